import { verifyMrz, type MrzResult, type MrzVerification } from '../../../../common/mrz';
import type { DocumentFieldsView, SessionView } from '../../../../common/ipc/contract';
import { Verdict, toneOf } from '../../app/Verdict';
import { documentFacts } from '../../../../common/session/document-facts';
import { documentFieldRows, FIELDS_SOURCE_WORDS, mrzLinesOf } from '../../../../common/session/document-field-text';
import { CHECK_NAMES, compareVizWithMrz } from './doc-facts';

/** The MRZ in monospace with each check digit marked pass/fail (and a letter for those who cannot see colour). */
function MrzLines({ lines, mrz }: { lines: string[]; mrz: MrzResult | undefined }): React.JSX.Element {
  return (
    <pre className="mrz" aria-label="Machine-readable zone">
      {lines.map((line, li) => (
        <span key={li} className="mrz-line">
          {[...line].map((ch, ci) => {
            const c = mrz?.checks.find((k) => k.line === li && k.index === ci);
            return c ? (
              <mark key={ci} className={c.ok ? 'cd cd-ok' : 'cd cd-bad'} title={`${CHECK_NAMES[c.name] ?? c.name} check digit: ${c.ok ? 'correct' : `should be ${c.expected}`}`}>
                {ch}
              </mark>
            ) : (
              <span key={ci}>{ch}</span>
            );
          })}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}

function MrzSection({ doc }: { doc: DocumentFieldsView }): React.JSX.Element | null {
  const fields = doc.fields ?? {};
  const lines = mrzLinesOf(fields);
  const verification: MrzVerification | undefined = doc.mrz ?? (lines.length > 0 ? verifyMrz(lines) : undefined);
  if (verification === undefined) return <p className="muted">This document has no machine-readable zone (MRZ) in its fields.</p>;
  if ('error' in verification) {
    return (
      <p role="note">
        <Verdict tone="fail" text={`The MRZ could not be read: ${verification.error}`} />
      </p>
    );
  }
  const rows = compareVizWithMrz(fields, verification);
  return (
    <>
      <h4>Machine-readable zone ({verification.format})</h4>
      <MrzLines lines={lines} mrz={verification} />
      <p>
        <Verdict
          tone={verification.valid ? 'pass' : 'fail'}
          text={verification.valid ? 'Every check digit verified here (ICAO 9303)' : 'At least one check digit is wrong (verified here, ICAO 9303)'}
          testId="mrz-valid"
        />
      </p>
      <table className="grid-table" data-testid="mrz-checks">
        <caption>Check digits, recomputed locally</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Printed</th>
            <th scope="col">Computed</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {verification.checks.map((c) => (
            <tr key={c.name}>
              <th scope="row">{CHECK_NAMES[c.name] ?? c.name}</th>
              <td className="mono">{c.actual}</td>
              <td className="mono">{c.expected}</td>
              <td>
                <Verdict tone={c.ok ? 'pass' : 'fail'} text={c.ok ? 'Correct' : 'Wrong'} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <table className="grid-table" data-testid="viz-mrz">
        <caption>Printed fields compared with the MRZ</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Printed</th>
            <th scope="col">MRZ</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.field}>
              <th scope="row">{r.field}</th>
              <td>{r.printed ?? '—'}</td>
              <td className="mono">{r.mrz ?? '—'}</td>
              <td>
                <Verdict tone={toneOf(r.result)} text={r.result} />
                {r.note && <span className="note"> {r.note}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function DocumentSection({ doc, title }: { doc: DocumentFieldsView; title: string }): React.JSX.Element {
  const fields = doc.fields;
  const facts = fields ? documentFacts(fields) : {};
  return (
    <section className="card" aria-label={title}>
      <h3>{title}</h3>
      <p className="muted">{FIELDS_SOURCE_WORDS[doc.source]}.</p>
      {fields && (
        <>
          <dl className="facts facts-strong" data-testid="doc-facts">
            <dt>Age today</dt>
            <dd>{facts.ageToday === undefined ? 'Unknown (no date of birth)' : years(facts.ageToday)}</dd>
            {facts.ageAtIssue !== undefined && (
              <>
                <dt>Age when issued</dt>
                <dd>{years(facts.ageAtIssue)}</dd>
              </>
            )}
            <dt>Expiry</dt>
            <dd>
              {facts.expiryText === undefined ? (
                'Unknown (no expiry date)'
              ) : (
                <Verdict tone={(facts.daysToExpiry ?? 0) >= 0 ? 'pass' : 'fail'} text={facts.expiryText} />
              )}
            </dd>
          </dl>
          <h4>Extracted fields</h4>
          <dl className="facts" data-testid="doc-fields">
            {documentFieldRows(fields).map((row) => (
              <div key={row.key} className="fact-row">
                <dt>{row.label}</dt>
                <dd className="field-lines">{row.text}</dd>
              </div>
            ))}
          </dl>
          <MrzSection doc={doc} />
        </>
      )}
    </section>
  );
}

const years = (n: number): string => `${n} year${n === 1 ? '' : 's'}`;

export function DocumentTab({ view }: { view: SessionView }): React.JSX.Element {
  if (view.documents.length === 0) return <p className="muted">This session has no identity document.</p>;
  return (
    <div className="stack">
      {view.documents.map((d, i) => {
        const summary = view.summary.documents.find((s) => s.resourceId !== undefined && s.resourceId === d.resourceId);
        const title = summary ? `${d.label} — ${summary.documentType.text}${summary.issuingCountry ? `, ${summary.issuingCountry}` : ''}` : d.label;
        return <DocumentSection key={d.resourceId ?? i} doc={d} title={title} />;
      })}
    </div>
  );
}

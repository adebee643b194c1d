import type { SessionView } from '../../../../common/ipc/contract';
import { recommendationWords } from '../../../../common/session/words';
import { Verdict, toneOf } from '../../app/Verdict';
import { FaceMatchCard } from './FaceMatch';

/** Severity in words, so it is never told by colour alone. */
const SEVERITY_WORDS = { critical: 'Critical', warning: 'Warning', notice: 'Notice' } as const;

/** Warnings first, then the face match against the threshold, then what was captured. */
export function SummaryTab({ view }: { view: SessionView }): React.JSX.Element {
  const s = view.summary;
  const labelOf = (checkIndex: number): string => s.checks.find((c) => c.checkIndex === checkIndex)?.label ?? 'Face match';
  return (
    <div className="stack">
      <section aria-labelledby="warnings-h" className="warnings-section">
        <h3 id="warnings-h">
          Warnings <span className="count">({s.warnings.length})</span>
        </h3>
        {s.warnings.length === 0 ? (
          <p>
            <Verdict tone="pass" text="No warnings: no check failed or was unavailable." />
          </p>
        ) : (
          <ul className="warnings" data-testid="warnings">
            {s.warnings.map((w, i) => (
              <li key={`${w.kind}-${i}`} className={`warning is-${w.severity}`} data-severity={w.severity}>
                <span className="warning-icon" aria-hidden="true">
                  ⚠
                </span>
                <div>
                  <span className="warning-severity">{SEVERITY_WORDS[w.severity]}: </span>
                  <span>{w.text}</span>
                  {w.details && w.details.length > 0 && (
                    <ul className="warning-details">
                      {w.details.map((d) => (
                        <li key={d}>{d}</li>
                      ))}
                    </ul>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="face-h">
        <h3 id="face-h">Face match</h3>
        {s.faceMatches.length === 0 ? (
          <p className="muted">This session has no face-match check.</p>
        ) : (
          s.faceMatches.map((f) => <FaceMatchCard key={f.checkIndex} f={f} label={labelOf(f.checkIndex)} />)
        )}
      </section>

      <section aria-labelledby="captured-h">
        <h3 id="captured-h">What was captured</h3>
        <ul className="plain-list">
          {s.documents.map((d, i) => (
            <li key={`d${i}`}>
              <strong>{d.label}</strong>: {d.documentType.text}
              {d.issuingCountry ? `, ${d.issuingCountry}` : ''}, {d.pages} page{d.pages === 1 ? '' : 's'}
              {d.checks.length > 0 && <> · checks: {d.checks.map((c) => recommendationWords(c.recommendation)).join(', ')}</>}
            </li>
          ))}
          {s.liveness.map((l, i) => (
            <li key={`l${i}`}>
              <strong>{l.label}</strong>: {l.livenessType.text}, {l.capturedFrames} of {l.frames} frames captured
              {l.checks.map((c) => (
                <span key={c.checkIndex}>
                  {' '}
                  · <Verdict tone={toneOf(c.recommendation)} text={recommendationWords(c.recommendation)} />
                </span>
              ))}
            </li>
          ))}
          {s.documents.length === 0 && s.liveness.length === 0 && <li className="muted">Nothing captured yet.</li>}
        </ul>
      </section>
      {s.problems.length > 0 && (
        <section aria-labelledby="problems-h">
          <h3 id="problems-h">Parts that could not be read</h3>
          <ul className="plain-list">
            {s.problems.slice(0, 20).map((p, i) => (
              <li key={i}>
                <code className="code">{p.path}</code>: {p.message}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

import type { CheckSummary } from '../../../../main/core/session/summary';
import type { SessionView } from '../../../../main/ipc/contract';
import { Verdict, toneOf } from '../../app/Verdict';

function CheckCard({ c }: { c: CheckSummary }): React.JSX.Element {
  const id = `check-${c.checkIndex}`;
  return (
    <article className={`card check ${c.warning ? 'is-warning' : ''}`} aria-labelledby={id} data-testid="check">
      <header className="check-head">
        <h4 id={id}>
          {c.warning && (
            <span className="warning-icon" aria-label="Warning: ">
              ⚠{' '}
            </span>
          )}
          {c.label}
        </h4>
        <Verdict tone={c.state.value === 'DONE' ? toneOf(c.recommendation.value) : 'pending'} text={c.state.value === 'DONE' ? c.recommendation.text : c.state.text} />
      </header>
      <dl className="facts">
        <dt>State</dt>
        <dd>{c.state.text}</dd>
        <dt>Recommendation</dt>
        <dd>{c.recommendation.text}</dd>
        {c.reason && (
          <>
            <dt>Reason</dt>
            <dd data-testid="check-reason">
              {c.reason.text} <code className="code">{c.reason.code}</code>
            </dd>
          </>
        )}
        {c.recoverySuggestion && (
          <>
            <dt>Recovery suggestion</dt>
            <dd>
              {c.recoverySuggestion.text} <code className="code">{c.recoverySuggestion.code}</code>
            </dd>
          </>
        )}
        {c.resources.length > 0 && (
          <>
            <dt>Used</dt>
            <dd>{c.resources.map((r) => r.label).join(', ')}</dd>
          </>
        )}
        {c.missingResources.length > 0 && (
          <>
            <dt>Missing</dt>
            <dd>Resources not in the session: {c.missingResources.join(', ')}</dd>
          </>
        )}
      </dl>
      {c.subChecks.length > 0 && (
        <table className="subchecks">
          <caption className="visually-hidden">Sub-checks of {c.label}</caption>
          <thead>
            <tr>
              <th scope="col">Sub-check</th>
              <th scope="col">Result</th>
              <th scope="col">Process</th>
            </tr>
          </thead>
          <tbody>
            {c.subChecks.map((s, i) => (
              <tr key={i} className={s.failed ? 'is-failed' : undefined}>
                <th scope="row">
                  {s.name.text}
                  {s.details.length > 0 && (
                    <span className="details">
                      {s.details.map((d, j) => (
                        <span key={j}>
                          {' '}
                          {d.name ?? 'detail'}: {d.value ?? '—'}
                        </span>
                      ))}
                    </span>
                  )}
                </th>
                <td>
                  <Verdict tone={toneOf(s.result.value)} text={s.result.text} />
                </td>
                <td>
                  {s.process?.text ?? (
                    <>
                      <span aria-hidden="true">—</span>
                      <span className="visually-hidden">Not given</span>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}

/** Every check (retries included), those with warnings first. */
export function ChecksTab({ view }: { view: SessionView }): React.JSX.Element {
  const checks = [...view.summary.checks].sort((a, b) => Number(b.warning) - Number(a.warning) || a.checkIndex - b.checkIndex);
  if (checks.length === 0) return <p className="muted">Yoti has not run any checks on this session yet.</p>;
  return (
    <div className="stack">
      {checks.map((c) => (
        <CheckCard key={c.checkIndex} c={c} />
      ))}
    </div>
  );
}

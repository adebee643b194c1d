import { useEffect, useRef } from 'react';
import { taskOutputWords, type CheckSummary } from '../../../../common/session/summary';
import { atYotiWords } from '../../../../common/session/times';
import type { SessionView } from '../../../../common/ipc/contract';
import { Verdict, toneOf } from '../../app/Verdict';
import { dateTime } from '../../lib/format';
import { saveDraftNow, setVerdict, setVerdictNote } from '../../store/draft';
import { useConsole, type CheckVerdict, type ReviewDraft } from '../../store/store';

export const VERDICT_WORDS: Record<CheckVerdict['verdict'], string> = {
  AGREE: 'Agree with Yoti',
  OVERRIDE: 'Override Yoti',
};

/**
 * The reviewer's own verdict on one check: Agree or Override (a native radio group, so arrow keys
 * choose), with a note that says why once Override is chosen. Read-only once the decision is final.
 */
function CheckVerdictControl({
  c,
  checkId,
  sessionId,
  verdict,
  mode,
  showErrors,
  focusSeq,
}: {
  c: CheckSummary;
  checkId: string;
  sessionId: string;
  verdict: CheckVerdict | undefined;
  mode: ReviewDraft['mode'];
  showErrors: boolean;
  /** Changes when the decision pane asks for this verdict to take focus. */
  focusSeq: number | undefined;
}): React.JSX.Element {
  const box = useRef<HTMLFieldSetElement>(null);
  const note = useRef<HTMLTextAreaElement>(null);
  const base = `verdict-${c.checkIndex}`;

  useEffect(() => {
    if (focusSeq === undefined) return;
    const target = note.current ?? box.current?.querySelector<HTMLInputElement>('input:checked') ?? box.current?.querySelector<HTMLInputElement>('input');
    target?.scrollIntoView({ block: 'center' });
    target?.focus();
    useConsole.setState({ focusVerdict: null });
  }, [focusSeq]);

  if (mode === 'final') {
    return (
      <div className="check-verdict is-final" data-testid="check-verdict" data-check-id={checkId}>
        <p>
          <span className="muted">Your verdict: </span>
          <strong data-testid="check-verdict-value">
            {verdict === undefined ? 'None recorded' : verdict.verdict === 'AGREE' ? '✓ Agreed with Yoti' : '⚑ Overridden: you disagree with Yoti'}
          </strong>
        </p>
        {verdict !== undefined && verdict.note.trim() !== '' && (
          <p className="notes-text verdict-note-text" data-testid="check-verdict-note">
            <span className="muted">Why: </span>
            {verdict.note}
          </p>
        )}
      </div>
    );
  }

  const overriding = verdict?.verdict === 'OVERRIDE';
  const noteMissing = overriding && verdict.note.trim() === '';
  const invalid = noteMissing && showErrors;
  return (
    <fieldset ref={box} className={`check-verdict ${invalid ? 'is-invalid' : ''}`} data-testid="check-verdict" data-check-id={checkId}>
      <legend>
        Your verdict<span className="visually-hidden"> on {c.label}</span>
      </legend>
      <div className="verdict-options">
        {(['AGREE', 'OVERRIDE'] as const).map((v) => (
          <label key={v} className="choice">
            <input type="radio" name={`${base}-${sessionId}`} value={v} checked={verdict?.verdict === v} onChange={() => setVerdict(checkId, v)} />
            <span className="choice-name">{VERDICT_WORDS[v]}</span>
          </label>
        ))}
      </div>
      {verdict === undefined && <p className="muted verdict-hint">No verdict yet (optional; an override needs a note).</p>}
      {overriding && (
        <>
          <label className="verdict-note">
            <span>
              Why you override it <span className="muted">(required)</span>
            </span>
            <textarea
              ref={note}
              rows={2}
              value={verdict.note}
              aria-required="true"
              aria-invalid={invalid || undefined}
              aria-describedby={`${base}-hint`}
              onChange={(e) => setVerdictNote(checkId, e.currentTarget.value)}
              onBlur={() => void saveDraftNow()}
            />
          </label>
          <p id={`${base}-hint`} className={invalid ? 'error-text verdict-hint' : 'muted verdict-hint'} data-testid="verdict-note-hint">
            {noteMissing
              ? invalid
                ? 'Write why you override this check: the decision cannot be confirmed without this note.'
                : 'A note is required: the decision cannot be confirmed until you say why.'
              : mode === 'supersede'
                ? 'Recorded when you confirm the new decision.'
                : 'Saved with your draft as you type.'}
          </p>
        </>
      )}
    </fieldset>
  );
}

function CheckCard({
  c,
  sessionId,
  draft,
  focusSeq,
}: {
  c: CheckSummary;
  sessionId: string;
  draft: Pick<ReviewDraft, 'mode' | 'checkVerdicts' | 'showVerdictErrors'>;
  focusSeq: number | undefined;
}): React.JSX.Element {
  const id = `check-${c.checkIndex}`;
  const verdict = c.id === undefined ? undefined : draft.checkVerdicts.find((v) => v.checkId === c.id);
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
        <span className="check-results">
          <Verdict tone={c.state.value === 'DONE' ? toneOf(c.recommendation.value) : 'pending'} text={c.state.value === 'DONE' ? c.recommendation.text : c.state.text} />
          {verdict !== undefined && (
            <span className={`your-verdict ${verdict.verdict === 'OVERRIDE' ? 'is-override' : ''}`} data-testid="check-your-verdict">
              <span aria-hidden="true">{verdict.verdict === 'AGREE' ? '✓ ' : '⚑ '}</span>
              {verdict.verdict === 'AGREE' ? 'You agree' : 'You override'}
            </span>
          )}
        </span>
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
        {c.created !== undefined && (
          <>
            <dt>At Yoti</dt>
            <dd data-testid="check-times">{atYotiWords(c.created, c.lastUpdated, dateTime)}</dd>
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
      {c.id === undefined ? (
        <p className="muted check-verdict">Yoti gave this check no id, so no verdict can be recorded for it.</p>
      ) : (
        <CheckVerdictControl
          c={c}
          checkId={c.id}
          sessionId={sessionId}
          verdict={verdict}
          mode={draft.mode}
          showErrors={draft.showVerdictErrors}
          focusSeq={focusSeq}
        />
      )}
    </article>
  );
}

/** Every check (retries included), those with warnings first, each with the reviewer's verdict. */
export function ChecksTab({ view }: { view: SessionView }): React.JSX.Element {
  const draft = useConsole((s) => (s.draft?.sessionId === view.sessionId ? s.draft : null));
  const focus = useConsole((s) => s.focusVerdict);
  const checks = [...view.summary.checks].sort((a, b) => Number(b.warning) - Number(a.warning) || a.checkIndex - b.checkIndex);
  if (checks.length === 0) {
    return (
      <div className="stack">
        <p className="muted">Yoti has not run any checks on this session yet.</p>
        <TasksTable tasks={view.summary.tasks} />
      </div>
    );
  }
  // Without a draft (not expected once the session is open) the stored verdicts show read-only.
  const shown = draft ?? { mode: 'final' as const, checkVerdicts: view.review.checkVerdicts, showVerdictErrors: false };
  const overrides = shown.checkVerdicts.filter((v) => v.verdict === 'OVERRIDE').length;
  return (
    <div className="stack">
      <p className="muted verdict-intro">
        {shown.mode === 'final'
          ? 'Your verdicts are part of the confirmed decision and can no longer be changed here.'
          : 'Give your verdict on each check: agree with Yoti, or override it and say why. Verdicts are saved with your draft.'}
        {overrides > 0 ? ` ${overrides} overridden.` : ''}
      </p>
      {checks.map((c) => (
        <CheckCard key={c.checkIndex} c={c} sessionId={view.sessionId} draft={shown} focusSeq={focus !== null && focus.checkId === c.id ? focus.seq : undefined} />
      ))}
      <TasksTable tasks={view.summary.tasks} />
    </div>
  );
}

/** Yoti's tasks (text extraction and the like): what ran on each resource and what it made. */
function TasksTable({ tasks }: { tasks: SessionView['summary']['tasks'] }): React.JSX.Element {
  return (
    <section aria-labelledby="tasks-h">
      <h3 id="tasks-h">Yoti's tasks</h3>
      {tasks.length === 0 ? (
        <p className="muted">Yoti lists no tasks on this session's resources.</p>
      ) : (
        <table className="subchecks" data-testid="tasks">
          <thead>
            <tr>
              <th scope="col">Resource</th>
              <th scope="col">Task</th>
              <th scope="col">State</th>
              <th scope="col">Created</th>
              <th scope="col">Made</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((t, i) => (
              <tr key={t.id ?? i}>
                <td>{t.resource}</td>
                <th scope="row">{t.type.text}</th>
                <td>{t.state ?? 'Not given'}</td>
                <td>{t.created === undefined ? 'Not given' : dateTime(t.created)}</td>
                <td>{taskOutputWords(t)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

import { useEffect, useMemo, useRef, useState } from 'react';
import type { CheckSummary } from '../../../../common/session/summary';
import type { DecisionCheckView, ReasonOption, ReviewView, SessionView } from '../../../../common/ipc/contract';
import { Modal } from '../../app/Modal';
import { Verdict } from '../../app/Verdict';
import { call, errorText, isApiError } from '../../lib/api';
import { clockTime, dateTime } from '../../lib/format';
import { loadApp, refreshQueue } from '../../store/actions';
import {
  cancelSupersede,
  checkDraft,
  confirmDraft,
  goToVerdict,
  overridesWithoutNote,
  saveDraftNow,
  setDecision,
  showVerdictErrors,
  startSupersede,
  updateDraft,
} from '../../store/draft';
import { notify, useConsole, type CheckVerdict, type ReviewDraft } from '../../store/store';
import { refreshTeam } from '../../store/team';
import { ConfirmDialog } from './ConfirmDialog';
import { askReasonOverAnother, type GuardrailAnswers } from './Guardrails';
import { suggestedReasons } from './reason-suggestions';
import { ExportLinks } from './ExportLinks';
import { ReviewRecord } from './ReviewRecord';
import { RecordActions } from '../record/RecordActions';
import { DECISION_HELP, DECISION_WORDS, DECISIONS, REASON_CATEGORIES, REASON_CATEGORY_WORDS, type Decision } from '../../../../common/review/decisions';
import { decisionContextLines } from '../../../../common/review/guardrails';

/** The reason a code means: its own, or the one it is an alias of (records saved before codes were merged). */
function reasonOf(reasons: ReasonOption[], code: string): ReasonOption | undefined {
  return reasons.find((r) => r.code === code) ?? reasons.find((r) => r.aliases.includes(code));
}

function reasonText(reasons: ReasonOption[], code: string): string {
  return reasonOf(reasons, code)?.text ?? code;
}

function reasonLabel(reasons: ReasonOption[], code: string): string {
  return reasonOf(reasons, code)?.label ?? code;
}

/**
 * The reasons as a reviewer scans them: the ones the session suggests first, then by category; within
 * one, the kind that fits the decision first (retry reasons for a resubmission, final ones otherwise).
 * Short labels; the full texts on request.
 */
function ReasonPicker({
  reasons,
  chosen,
  suggested,
  decision,
  onToggle,
  disabled,
  required,
  invalid,
  filterRef,
}: {
  reasons: ReasonOption[];
  chosen: string[];
  suggested: string[];
  decision: Decision | null;
  onToggle: (code: string) => void;
  disabled: boolean;
  required: boolean;
  invalid: boolean;
  filterRef: React.RefObject<HTMLInputElement | null>;
}): React.JSX.Element {
  const [filter, setFilter] = useState('');
  const [full, setFull] = useState(false);
  const error = useConsole((s) => s.reasonsError);
  const f = filter.trim().toLowerCase();
  const shown = reasons.filter((r) => f === '' || [r.label, r.text, r.code, ...r.aliases].some((t) => t.toLowerCase().includes(f)));
  const firstKind = decision === 'REQUEST_RESUBMISSION' ? 'retry' : 'final';
  const byKind = (list: ReasonOption[]): ReasonOption[] => [...list.filter((r) => r.kind === firstKind), ...list.filter((r) => r.kind !== firstKind)];
  const groups: Array<[string, ReasonOption[]]> = [
    ["Suggested by this session's findings", suggested.flatMap((c) => shown.filter((r) => r.code === c))],
    ...REASON_CATEGORIES.map((cat): [string, ReasonOption[]] => [REASON_CATEGORY_WORDS[cat], byKind(shown.filter((r) => r.category === cat && !suggested.includes(r.code)))]),
  ];
  return (
    <fieldset className={`reasons ${invalid ? 'is-invalid' : ''}`} disabled={disabled} aria-describedby="reasons-state">
      <legend>
        Reasons <span className="muted">{required ? '(at least one is required)' : '(optional for approve)'}</span>
      </legend>
      <div className="row reason-tools">
        <input
          ref={filterRef}
          type="search"
          className="reason-filter"
          placeholder="Filter reasons"
          aria-label="Filter reasons"
          aria-invalid={invalid || undefined}
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
        />
        <button type="button" className="link-button" aria-pressed={full} onClick={() => setFull(!full)}>
          {full ? 'Short labels' : 'Full descriptions'}
        </button>
      </div>
      {error && <p className="error-text">Reasons could not be loaded: {error}</p>}
      <div className="reason-list" role="group" aria-label="Reason list">
        {groups.map(([title, list]) =>
          list.length === 0 ? null : (
            <div key={title} role="group" aria-label={title}>
              <p className="reason-group">{title}</p>
              {list.map((r) => (
                <label key={r.code} className="reason" title={r.text}>
                  <input type="checkbox" checked={chosen.includes(r.code)} onChange={() => onToggle(r.code)} />
                  <span className="reason-text">
                    {r.label}
                    {r.kind === 'retry' && <span className="reason-kind"> · can retry</span>}
                    {full && r.text !== r.label && <span className="reason-full">{r.text}</span>}
                  </span>{' '}
                  <code className="code">{r.code}</code>
                </label>
              ))}
            </div>
          ),
        )}
        {shown.length === 0 && <p className="muted">No reason matches "{filter}".</p>}
      </div>
      <p id="reasons-state" className={invalid ? 'error-text' : 'muted'} data-testid="reasons-chosen" data-invalid={invalid || undefined}>
        {invalid
          ? 'Choose at least one reason for this decision.'
          : chosen.length === 0
            ? 'No reason chosen.'
            : `Chosen: ${chosen.map((c) => reasonLabel(reasons, c)).join('; ')}`}
      </p>
    </fieldset>
  );
}

function verdictCounts(checks: readonly CheckSummary[], verdicts: readonly CheckVerdict[]): { agreed: number; overridden: number; none: number } {
  const byId = new Map(verdicts.map((v) => [v.checkId, v]));
  let agreed = 0;
  let overridden = 0;
  let none = 0;
  for (const c of checks) {
    const v = c.id === undefined ? undefined : byId.get(c.id);
    if (v === undefined) none += 1;
    else if (v.verdict === 'AGREE') agreed += 1;
    else overridden += 1;
  }
  return { agreed, overridden, none };
}

function checkLabel(checks: readonly CheckSummary[], checkId: string): string {
  return checks.find((c) => c.id === checkId)?.label ?? `Check ${checkId} (not in this session)`;
}

/** "1 overridden, 3 agreed, 2 without a verdict", in words. */
function countsText(n: { agreed: number; overridden: number; none: number }): string {
  const parts: string[] = [];
  if (n.overridden > 0) parts.push(`${n.overridden} overridden`);
  if (n.agreed > 0) parts.push(`${n.agreed} agreed`);
  if (n.none > 0) parts.push(`${n.none} without a verdict`);
  return parts.length === 0 ? 'no checks' : parts.join(', ');
}

/** The overrides, each with its note (the words a reviewer of the record reads first). */
function OverrideList({ checks, verdicts }: { checks: readonly CheckSummary[]; verdicts: readonly CheckVerdict[] }): React.JSX.Element | null {
  const overrides = verdicts.filter((v) => v.verdict === 'OVERRIDE');
  if (overrides.length === 0) return null;
  return (
    <ul className="override-list" data-testid="override-list">
      {overrides.map((v) => (
        <li key={v.checkId}>
          <span aria-hidden="true">⚑ </span>
          <strong>Overridden: {checkLabel(checks, v.checkId)}</strong>
          {v.note.trim() === '' ? <span className="error-text"> (no note yet)</span> : <span className="notes-text">: {v.note}</span>}
        </li>
      ))}
    </ul>
  );
}

/** In the form: how many checks have a verdict, what is still missing, and a way to the Checks tab. */
function VerdictSummary({ checks, verdicts, invalid }: { checks: readonly CheckSummary[]; verdicts: readonly CheckVerdict[]; invalid: boolean }): React.JSX.Element {
  const missing = overridesWithoutNote(verdicts);
  const n = verdictCounts(checks, verdicts);
  const first = missing[0] ?? verdicts.find((v) => v.verdict === 'OVERRIDE');
  const firstCheck = checks.find((c) => c.id !== undefined);
  return (
    <div className={`verdict-summary ${invalid && missing.length > 0 ? 'is-invalid' : ''}`} data-testid="verdict-summary" role="group" aria-labelledby="verdict-summary-h">
      <p>
        <strong id="verdict-summary-h">Check verdicts: </strong>
        <span data-testid="verdict-counts">{checks.length === 0 ? 'Yoti ran no checks.' : `${countsText(n)}.`}</span>{' '}
        {checks.length > 0 && (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              const to = first?.checkId ?? firstCheck?.id;
              if (to !== undefined) goToVerdict(to);
            }}
          >
            {missing.length > 0 ? 'Write the missing note' : 'Give verdicts on the Checks tab'}
          </button>
        )}
      </p>
      <OverrideList checks={checks} verdicts={verdicts} />
      {missing.length > 0 && (
        <p className={invalid ? 'error-text' : 'muted'} data-testid="verdict-problem" data-invalid={invalid || undefined}>
          {missing.length === 1 ? 'An override needs a note that says why' : `${missing.length} overrides need a note that says why`} before the decision can be
          confirmed: {missing.map((v) => checkLabel(checks, v.checkId)).join('; ')}.
        </p>
      )}
    </div>
  );
}

function FinalDecision({
  review,
  reasons,
  checks,
  onChange,
}: {
  review: ReviewView;
  reasons: ReasonOption[];
  checks: readonly CheckSummary[];
  onChange: () => void;
}): React.JSX.Element {
  const d = review.decision;
  return (
    <div className="final" data-testid="final-decision">
      <p className="final-badge">
        <Verdict tone={d === 'APPROVE' ? 'pass' : d === 'REJECT' ? 'fail' : 'info'} text={`Final decision: ${d ? DECISION_WORDS[d] : 'unknown'}`} />
      </p>
      <dl className="facts">
        <dt>Reasons</dt>
        <dd data-testid="final-reasons">{review.reasonCodes.length === 0 ? 'None' : review.reasonCodes.map((c) => reasonText(reasons, c)).join('; ')}</dd>
        <dt>Notes</dt>
        <dd className="notes-text">{review.notes === '' ? 'None' : review.notes}</dd>
        <dt>Check verdicts</dt>
        <dd data-testid="final-verdicts">
          {checks.length === 0 ? 'Yoti ran no checks.' : `${countsText(verdictCounts(checks, review.checkVerdicts))}.`}
          <OverrideList checks={checks} verdicts={review.checkVerdicts} />
        </dd>
        {review.context !== undefined && (
          <>
            <dt>Decided with</dt>
            <dd data-testid="final-context">
              <ul className="plain-list">
                {decisionContextLines(review.context).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
      <button type="button" onClick={onChange}>
        Change decision…
      </button>
    </div>
  );
}

function DecisionForm({ view, draft }: { view: SessionView; draft: ReviewDraft }): React.JSX.Element {
  const review = view.review;
  const checks = view.summary.checks;
  const reasons = useConsole((s) => s.reasons);
  const reviewerName = useConsole((s) => s.app?.settings.reviewerName);
  const focusDecision = useConsole((s) => s.focusDecision);
  const confirmRequest = useConsole((s) => s.confirmRequest);
  const { decision, reasonCodes: chosen, notes, mode, save } = draft;
  const [dialog, setDialog] = useState<'confirm' | 'change' | null>(null);
  const [invalid, setInvalid] = useState<'decision' | 'reasons' | 'verdicts' | null>(null);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [check, setCheck] = useState<DecisionCheckView | null>(null);
  const [busy, setBusy] = useState(false);
  const radios = useRef<HTMLFieldSetElement>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const sessionId = view.sessionId;

  // Only a press of D after this session opened moves focus (not the count carried over from before).
  const focusAtMount = useRef(focusDecision);
  useEffect(() => {
    if (focusDecision === focusAtMount.current) return;
    const el = radios.current?.querySelector<HTMLInputElement>('input:checked') ?? radios.current?.querySelector<HTMLInputElement>('input');
    el?.focus();
  }, [focusDecision]);

  // What the reviewer must fix is scrolled into view, above the sticky action bar (the pane's scroll padding).
  useEffect(() => {
    if (invalid !== null) document.querySelector('.decision-pane [data-invalid]')?.scrollIntoView({ block: 'nearest' });
  }, [invalid]);

  const requireReasons = decision !== null && decision !== 'APPROVE';
  const missingNotes = overridesWithoutNote(draft.checkVerdicts);

  const requestConfirm = (): void => {
    if (mode === 'final') return;
    if (decision === null) {
      setInvalid('decision');
      radios.current?.querySelector<HTMLInputElement>('input')?.focus();
      return;
    }
    if (requireReasons && chosen.length === 0) {
      setInvalid('reasons');
      filterRef.current?.focus();
      return;
    }
    const missing = missingNotes[0];
    if (missing !== undefined) {
      setInvalid('verdicts');
      showVerdictErrors(true);
      notify(`Not recorded yet: overriding "${checkLabel(checks, missing.checkId)}" needs a note that says why.`);
      // Straight to the note that is missing, when its check is in this session.
      if (checks.some((c) => c.id === missing.checkId)) goToVerdict(missing.checkId);
      return;
    }
    setInvalid(null);
    setConfirmError(null);
    // Main's guardrails say what the confirm step must ask for; nothing is saved by asking.
    checkDraft().then(
      (r) => {
        setCheck(r);
        setDialog('confirm');
      },
      (e: unknown) => notify(`Cannot confirm yet: ${errorText(e)}`, 'error'),
    );
  };

  const lastConfirmRequest = useRef(confirmRequest);
  useEffect(() => {
    if (confirmRequest === lastConfirmRequest.current) return;
    lastConfirmRequest.current = confirmRequest;
    requestConfirm();
  });

  const confirm = async (answers: GuardrailAnswers): Promise<void> => {
    if (decision === null) return;
    setBusy(true);
    setConfirmError(null);
    try {
      if (answers.reviewerName !== '') {
        await call('updateSettings', { reviewerName: answers.reviewerName });
        await loadApp();
      }
      const r = await confirmDraft(answers.overrides);
      setDialog(null);
      setInvalid(null);
      notify(`Decision recorded for ${sessionId}: ${r.decision ? DECISION_WORDS[r.decision] : DECISION_WORDS[decision]} (${teamWords(r.team)}). Press N for the next undecided session.`);
      void refreshQueue();
      void refreshTeam();
    } catch (e) {
      setConfirmError(errorText(e));
      if (isApiError(e, 'TEAM_DECIDED_BY_ANOTHER')) {
        setCheck((c) => c && askReasonOverAnother(c));
        // Confirm now waits for the reason: focus goes to its field.
        requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-testid="confirm-decision"] [data-rule="CHANGE_REASON"] textarea')?.focus());
      }
    } finally {
      setBusy(false);
    }
  };

  const toggleReason = (code: string): void => {
    updateDraft({ reasonCodes: chosen.includes(code) ? chosen.filter((x) => x !== code) : [...chosen, code] });
    if (invalid === 'reasons') setInvalid(null);
  };

  const saveLine =
    mode === 'supersede'
      ? 'Changing a final decision: nothing is saved until you confirm.'
      : save.state === 'saved'
        ? `Saved ${clockTime(save.at)}`
        : save.state === 'saving'
          ? 'Saving…'
          : save.state === 'pending'
            ? 'Changed… (saved as you pause)'
            : save.state === 'error'
              ? `Not saved: ${save.text}`
              : 'Your choice, reasons, notes and check verdicts are saved as you go.';

  const decidedReview = review.status === 'CONFIRMED' ? review : undefined;
  const reasonWords = useMemo(() => chosen.map((c) => reasonText(reasons, c)), [chosen, reasons]);
  const suggested = useMemo(() => suggestedReasons(reasons, view), [reasons, view]);

  return (
    <div className="decision-form">
      {mode === 'final' && decidedReview ? (
        <FinalDecision review={decidedReview} reasons={reasons} checks={checks} onChange={() => setDialog('change')} />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            requestConfirm();
          }}
        >
          {mode === 'supersede' && (
            <div className="note supersede-note" role="status">
              <p>You are changing a final decision. The earlier one stays in the record; this one supersedes it.</p>
              <button type="button" onClick={() => cancelSupersede()}>
                Keep the final decision
              </button>
            </div>
          )}
          <fieldset ref={radios} className={`decision-choice ${invalid === 'decision' ? 'is-invalid' : ''}`} data-testid="decision-choice">
            <legend>Your decision</legend>
            {DECISIONS.map((d) => (
              <label key={d} className="choice" title={DECISION_HELP[d]}>
                <input
                  type="radio"
                  name={`decision-${sessionId}`}
                  value={d}
                  checked={decision === d}
                  aria-describedby={`help-${d}`}
                  onChange={() => {
                    setDecision(d);
                    if (invalid === 'decision') setInvalid(null);
                  }}
                />
                <span className="choice-name">{DECISION_WORDS[d]}</span>
              </label>
            ))}
            {DECISIONS.map((d) => (
              <span key={d} id={`help-${d}`} className="visually-hidden">
                {DECISION_HELP[d]}
              </span>
            ))}
            <p className="choice-help" aria-hidden="true">
              {decision === null ? 'Choose one; every decision except Approve needs a reason.' : DECISION_HELP[decision]}
            </p>
            {invalid === 'decision' && (
              <p className="error-text" data-invalid>
                Choose a decision first.
              </p>
            )}
          </fieldset>
          <ReasonPicker
            reasons={reasons}
            chosen={chosen}
            suggested={suggested}
            decision={decision}
            onToggle={toggleReason}
            disabled={false}
            required={requireReasons}
            invalid={invalid === 'reasons'}
            filterRef={filterRef}
          />
          <label className="notes">
            <span>Notes</span>
            <textarea value={notes} rows={3} onChange={(e) => updateDraft({ notes: e.currentTarget.value })} onBlur={() => void saveDraftNow()} />
          </label>
          <VerdictSummary checks={checks} verdicts={draft.checkVerdicts} invalid={invalid === 'verdicts'} />
          <div className="decision-actions">
            <p className={save.state === 'error' ? 'error-text save-line' : 'muted save-line'} role="status" data-testid="save-state">
              {saveLine}
            </p>
            <button type="submit" className="primary" title="Ctrl+Enter">
              Record decision…
            </button>
          </div>
        </form>
      )}
      <ReviewRecord review={review} />
      <ExportLinks />

      {dialog === 'confirm' && decision !== null && check !== null && (
        <ConfirmDialog
          title={mode === 'supersede' ? 'Confirm the new decision' : 'Confirm your decision'}
          sessionId={sessionId}
          decision={decision}
          reasonWords={reasonWords}
          notes={notes}
          check={check}
          busy={busy}
          error={confirmError}
          footnote={`This is recorded as final, with your name (${reviewerName ?? 'asked for above'}), the time and the hash of the evidence it is made on.${
            mode === 'supersede' ? ' It supersedes the earlier decision, which stays in the record.' : ''
          }`}
          onCancel={() => setDialog(null)}
          onConfirm={(answers) => void confirm(answers)}
        >
          <div data-testid="confirm-verdicts">
            <p>Check verdicts: {checks.length === 0 ? 'Yoti ran no checks.' : `${countsText(verdictCounts(checks, draft.checkVerdicts))}.`}</p>
            <OverrideList checks={checks} verdicts={draft.checkVerdicts} />
          </div>
        </ConfirmDialog>
      )}
      {dialog === 'change' && (
        <Modal title="Change a final decision?" onClose={() => setDialog(null)} testId="change-decision">
          <p>
            This session already has a final decision ({decidedReview?.decision ? DECISION_WORDS[decidedReview.decision] : 'unknown'}, {dateTime(decidedReview?.decidedAt)}).
          </p>
          <p>If you change it, the earlier decision is kept in the record and your new decision is saved as a new version that supersedes it.</p>
          <div className="modal-actions">
            <button type="button" data-autofocus onClick={() => setDialog(null)}>
              Keep the decision
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => {
                startSupersede();
                setDialog(null);
              }}
            >
              Change it
            </button>
          </div>
        </Modal>
      )}
    </div>
  );
}

export function DecisionPanel(): React.JSX.Element {
  const view = useConsole((s) => s.session);
  const draft = useConsole((s) => s.draft);
  const record = useConsole((s) => s.record);
  return (
    <section className="pane decision-pane" aria-labelledby="decision-h" data-pane="decision" tabIndex={-1}>
      <header className="pane-head">
        <h2 id="decision-h">Decision</h2>
      </header>
      <div className="pane-scroll">
        {view && draft && draft.sessionId === view.sessionId ? (
          <DecisionForm key={view.sessionId} view={view} draft={draft} />
        ) : record ? (
          <RecordActions record={record} />
        ) : (
          <p className="empty-note">Open a session to record your decision.</p>
        )}
      </div>
    </section>
  );
}

/** What the status line says of a confirmed decision: final alone, or where it stands in the team database. */
function teamWords(team: ReviewView['team']): string {
  if (team === undefined) return 'final';
  if (!team.sent) return 'kept on this workstation: the team database is away; sent when it is back';
  if (team.conflict) return 'sent; in conflict with a decision made meanwhile, both kept';
  return team.awaitingCountersign ? 'sent; final once another reviewer countersigns' : 'sent to the team database, final';
}

import { useEffect, useMemo, useRef, useState } from 'react';
import type { Decision, ReasonOption, ReviewView, SessionView } from '../../../../main/ipc/contract';
import { Modal } from '../../app/Modal';
import { Verdict } from '../../app/Verdict';
import { call, errorText } from '../../lib/api';
import { clockTime, dateTime, duration } from '../../lib/format';
import { exportReport, refreshQueue, updateOpenSession } from '../../store/actions';
import { notify, useConsole } from '../../store/store';
import { DECISION_HELP, DECISION_WORDS, DECISION_ORDER } from './words';

const DRAFT_DELAY_MS = 800;

type SaveState = { state: 'idle' } | { state: 'pending' } | { state: 'saving' } | { state: 'saved'; at: string } | { state: 'error'; text: string };

function reasonText(reasons: ReasonOption[], code: string): string {
  return reasons.find((r) => r.code === code)?.text ?? code;
}

function ReasonPicker({
  reasons,
  chosen,
  onToggle,
  disabled,
  required,
  invalid,
  filterRef,
}: {
  reasons: ReasonOption[];
  chosen: string[];
  onToggle: (code: string) => void;
  disabled: boolean;
  required: boolean;
  invalid: boolean;
  filterRef: React.RefObject<HTMLInputElement | null>;
}): React.JSX.Element {
  const [filter, setFilter] = useState('');
  const error = useConsole((s) => s.reasonsError);
  const f = filter.trim().toLowerCase();
  const shown = reasons.filter((r) => f === '' || r.text.toLowerCase().includes(f) || r.code.toLowerCase().includes(f));
  const groups: Array<[string, ReasonOption[]]> = [
    ['Console reasons', shown.filter((r) => r.source === 'reviewer')],
    ["Yoti's reason codes", shown.filter((r) => r.source === 'yoti')],
  ];
  return (
    <fieldset className={`reasons ${invalid ? 'is-invalid' : ''}`} disabled={disabled} aria-describedby="reasons-state">
      <legend>
        Reasons <span className="muted">{required ? '(at least one is required)' : '(optional for approve)'}</span>
      </legend>
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
      {error && <p className="error-text">Reasons could not be loaded: {error}</p>}
      <div className="reason-list" role="group" aria-label="Reason list">
        {groups.map(([title, list]) =>
          list.length === 0 ? null : (
            <div key={title} role="group" aria-label={title}>
              <p className="reason-group">{title}</p>
              {list.map((r) => (
                <label key={`${r.source}:${r.code}`} className="reason">
                  <input type="checkbox" checked={chosen.includes(r.code)} onChange={() => onToggle(r.code)} />
                  <span className="reason-text">{r.text}</span> <code className="code">{r.code}</code>
                </label>
              ))}
            </div>
          ),
        )}
        {shown.length === 0 && <p className="muted">No reason matches "{filter}".</p>}
      </div>
      <p id="reasons-state" className={invalid ? 'error-text' : 'muted'} data-testid="reasons-chosen">
        {invalid
          ? 'Choose at least one reason for this decision.'
          : chosen.length === 0
            ? 'No reason chosen.'
            : `Chosen: ${chosen.map((c) => reasonText(reasons, c)).join('; ')}`}
      </p>
    </fieldset>
  );
}

function FinalDecision({ review, reasons, onChange }: { review: ReviewView; reasons: ReasonOption[]; onChange: () => void }): React.JSX.Element {
  const d = review.decision;
  return (
    <div className="final" data-testid="final-decision">
      <p className="final-badge">
        <Verdict tone={d === 'APPROVE' ? 'pass' : d === 'REJECT' ? 'fail' : 'info'} text={`Final decision: ${d ? DECISION_WORDS[d] : 'unknown'}`} />
      </p>
      <dl className="facts">
        <dt>Decided</dt>
        <dd>
          {dateTime(review.decidedAt)}
          {review.reviewer ? ` by ${review.reviewer.name ?? 'an unnamed reviewer'} (${review.reviewer.osAccount})` : ''}
        </dd>
        <dt>Reasons</dt>
        <dd data-testid="final-reasons">{review.reasonCodes.length === 0 ? 'None' : review.reasonCodes.map((c) => reasonText(reasons, c)).join('; ')}</dd>
        <dt>Notes</dt>
        <dd className="notes-text">{review.notes === '' ? 'None' : review.notes}</dd>
        {review.timeOnTaskSeconds !== undefined && (
          <>
            <dt>Time on task</dt>
            <dd>{duration(review.timeOnTaskSeconds)}</dd>
          </>
        )}
      </dl>
      <button type="button" onClick={onChange}>
        Change decision…
      </button>
    </div>
  );
}

function DecisionForm({ view }: { view: SessionView }): React.JSX.Element {
  const review = view.review;
  const reasons = useConsole((s) => s.reasons);
  const reviewerName = useConsole((s) => s.app?.settings.reviewerName);
  const focusDecision = useConsole((s) => s.focusDecision);
  const confirmRequest = useConsole((s) => s.confirmRequest);
  const [decision, setDecision] = useState<Decision | null>(review.decision ?? null);
  const [chosen, setChosen] = useState<string[]>(review.reasonCodes);
  const [notes, setNotes] = useState(review.notes);
  const [mode, setMode] = useState<'edit' | 'final' | 'supersede'>(review.status === 'CONFIRMED' ? 'final' : 'edit');
  const [save, setSave] = useState<SaveState>(review.savedAt ? { state: 'saved', at: review.savedAt } : { state: 'idle' });
  const [dialog, setDialog] = useState<'confirm' | 'change' | null>(null);
  const [invalid, setInvalid] = useState<'decision' | 'reasons' | null>(null);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const radios = useRef<HTMLFieldSetElement>(null);
  const filterRef = useRef<HTMLInputElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef({ notes, chosen, dirty: false });
  latest.current = { ...latest.current, notes, chosen };
  const sessionId = view.sessionId;

  const saveDraft = async (): Promise<void> => {
    if (timer.current !== undefined) clearTimeout(timer.current);
    timer.current = undefined;
    if (!latest.current.dirty) return;
    latest.current.dirty = false;
    setSave({ state: 'saving' });
    try {
      const r = await call('saveReviewDraft', { sessionId, notes: latest.current.notes, reasonCodes: latest.current.chosen, checkVerdicts: review.checkVerdicts });
      setSave({ state: 'saved', at: r.savedAt ?? new Date().toISOString() });
    } catch (e) {
      latest.current.dirty = true;
      setSave({ state: 'error', text: errorText(e) });
    }
  };

  const scheduleDraft = (): void => {
    if (mode !== 'edit') return;
    latest.current.dirty = true;
    setSave({ state: 'pending' });
    if (timer.current !== undefined) clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveDraft(), DRAFT_DELAY_MS);
  };

  // Leaving the session (or the page) with a pending draft saves it at once.
  useEffect(
    () => () => {
      if (timer.current !== undefined) clearTimeout(timer.current);
      if (latest.current.dirty) {
        const { notes: n, chosen: c } = latest.current;
        void call('saveReviewDraft', { sessionId, notes: n, reasonCodes: c, checkVerdicts: review.checkVerdicts }).catch((e: unknown) =>
          notify(`Your notes for ${sessionId} could not be saved: ${errorText(e)}`, 'error'),
        );
      }
    },
    [sessionId],
  );

  // Only a press of D after this session opened moves focus (not the count carried over from before).
  const focusAtMount = useRef(focusDecision);
  useEffect(() => {
    if (focusDecision === focusAtMount.current) return;
    const el = radios.current?.querySelector<HTMLInputElement>('input:checked') ?? radios.current?.querySelector<HTMLInputElement>('input');
    el?.focus();
  }, [focusDecision]);

  const requireReasons = decision !== null && decision !== 'APPROVE';

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
    setInvalid(null);
    setConfirmError(null);
    setDialog('confirm');
  };

  const lastConfirmRequest = useRef(confirmRequest);
  useEffect(() => {
    if (confirmRequest === lastConfirmRequest.current) return;
    lastConfirmRequest.current = confirmRequest;
    requestConfirm();
  });

  const confirm = async (): Promise<void> => {
    if (decision === null) return;
    setBusy(true);
    setConfirmError(null);
    try {
      if (timer.current !== undefined) clearTimeout(timer.current);
      latest.current.dirty = false;
      const r = await call('confirmDecision', {
        sessionId,
        decision,
        reasonCodes: chosen,
        notes,
        checkVerdicts: review.checkVerdicts,
        ...(mode === 'supersede' ? { supersede: true } : {}),
      });
      updateOpenSession((v) => (v.sessionId === sessionId ? { ...v, review: r } : v));
      setMode('final');
      setDialog(null);
      setSave({ state: 'saved', at: r.savedAt ?? r.decidedAt ?? new Date().toISOString() });
      notify(`Decision recorded for ${sessionId}: ${DECISION_WORDS[decision]} (final). Press N for the next undecided session.`);
      void refreshQueue();
    } catch (e) {
      setConfirmError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const toggleReason = (code: string): void => {
    setChosen((c) => (c.includes(code) ? c.filter((x) => x !== code) : [...c, code]));
    if (invalid === 'reasons') setInvalid(null);
    scheduleDraft();
  };

  const saveLine =
    mode === 'supersede'
      ? 'Changing a final decision: nothing is saved until you confirm.'
      : save.state === 'saved'
        ? `Saved ${clockTime(save.at)}`
        : save.state === 'saving'
          ? 'Saving…'
          : save.state === 'pending'
            ? 'Typing… (saved as you pause)'
            : save.state === 'error'
              ? `Not saved: ${save.text}`
              : 'Notes and reasons are saved as you type.';

  const decidedReview = review.status === 'CONFIRMED' ? review : undefined;
  const reasonWords = useMemo(() => chosen.map((c) => reasonText(reasons, c)), [chosen, reasons]);

  return (
    <div className="decision-form">
      {mode === 'final' && decidedReview ? (
        <FinalDecision review={decidedReview} reasons={reasons} onChange={() => setDialog('change')} />
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            requestConfirm();
          }}
        >
          {mode === 'supersede' && (
            <p className="note" role="status">
              You are changing a final decision. The earlier one stays in the record; this one supersedes it.
            </p>
          )}
          <fieldset ref={radios} className={`decision-choice ${invalid === 'decision' ? 'is-invalid' : ''}`} data-testid="decision-choice">
            <legend>Your decision</legend>
            {DECISION_ORDER.map((d) => (
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
            {DECISION_ORDER.map((d) => (
              <span key={d} id={`help-${d}`} className="visually-hidden">
                {DECISION_HELP[d]}
              </span>
            ))}
            <p className="choice-help" aria-hidden="true">
              {decision === null ? 'Choose one; every decision except Approve needs a reason.' : DECISION_HELP[decision]}
            </p>
            {invalid === 'decision' && <p className="error-text">Choose a decision first.</p>}
          </fieldset>
          <ReasonPicker reasons={reasons} chosen={chosen} onToggle={toggleReason} disabled={false} required={requireReasons} invalid={invalid === 'reasons'} filterRef={filterRef} />
          <label className="notes">
            <span>Notes</span>
            <textarea
              value={notes}
              rows={3}
              onChange={(e) => {
                setNotes(e.currentTarget.value);
                scheduleDraft();
              }}
              onBlur={() => void saveDraft()}
            />
          </label>
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
      <div className="row export-row">
        <button type="button" className="link-button" onClick={() => void exportReport(false)}>
          Export PDF report…
        </button>
        <button type="button" className="link-button" onClick={() => void exportReport(true)}>
          Export redacted PDF…
        </button>
      </div>

      {dialog === 'confirm' && decision !== null && (
        <Modal title={mode === 'supersede' ? 'Confirm the new decision' : 'Confirm your decision'} onClose={() => setDialog(null)} testId="confirm-decision">
          <p>
            Session <span className="mono">{sessionId}</span>
          </p>
          <p className="confirm-decision">
            <strong>{DECISION_WORDS[decision]}</strong>
          </p>
          <p>Reasons: {reasonWords.length === 0 ? 'none' : reasonWords.join('; ')}</p>
          {notes.trim() !== '' && <p className="notes-text">Notes: {notes.length > 300 ? `${notes.slice(0, 300)}…` : notes}</p>}
          <p className="muted">
            This is recorded as final, with your name ({reviewerName ?? 'not set: add it in Settings'}) and the time.
            {mode === 'supersede' ? ' It supersedes the earlier decision, which stays in the record.' : ''}
          </p>
          {confirmError && (
            <p className="error-text" role="alert">
              {confirmError}
            </p>
          )}
          <div className="modal-actions">
            <button type="button" onClick={() => setDialog(null)}>
              Cancel
            </button>
            <button type="button" className="primary" data-autofocus disabled={busy} onClick={() => void confirm()}>
              {busy ? 'Recording…' : `Confirm: ${DECISION_WORDS[decision]}`}
            </button>
          </div>
        </Modal>
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
                setMode('supersede');
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
  return (
    <section className="pane decision-pane" aria-labelledby="decision-h" data-pane="decision" tabIndex={-1}>
      <header className="pane-head">
        <h2 id="decision-h">Decision</h2>
      </header>
      <div className="pane-scroll">
        {view ? <DecisionForm key={view.sessionId} view={view} /> : <p className="empty-note">Open a session to record your decision.</p>}
      </div>
    </section>
  );
}

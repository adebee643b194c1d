import type { ReactNode } from 'react';
import type { DecisionCheckView } from '../../../../common/ipc/contract';
import { DECISION_WORDS, type Decision } from '../../../../common/review/decisions';
import { Modal } from '../../app/Modal';
import { updateDraft } from '../../store/draft';
import { GuardrailFields, useGuardrailAnswers, type GuardrailAnswers } from './Guardrails';

/**
 * The confirm step of a final decision: what is recorded (decision, reasons, notes, verdicts), Yoti's
 * result and the warnings in words, and what main's guardrails ask for before it records anything.
 */
export function ConfirmDialog({
  title,
  sessionId,
  decision,
  reasonWords,
  notes,
  check,
  busy,
  error,
  footnote,
  children,
  onCancel,
  onConfirm,
}: {
  title: string;
  sessionId: string;
  decision: Decision;
  reasonWords: string[];
  notes: string;
  check: DecisionCheckView;
  busy: boolean;
  error: string | null;
  footnote: string;
  children: ReactNode;
  onCancel: () => void;
  onConfirm: (answers: GuardrailAnswers) => void;
}): React.JSX.Element {
  const state = useGuardrailAnswers(check, notes);
  const asksForNotes = check.unmet.some((u) => u.rule === 'OVERRIDE_NOTE');
  return (
    <Modal title={title} onClose={onCancel} testId="confirm-decision" wide>
      <p>
        Session <span className="mono">{sessionId}</span>
      </p>
      <p className="confirm-decision">
        <strong>{DECISION_WORDS[decision]}</strong>
      </p>
      <p>Reasons: {reasonWords.length === 0 ? 'none' : reasonWords.join('; ')}</p>
      {!asksForNotes && notes.trim() !== '' && <p className="notes-text">Notes: {notes.length > 300 ? `${notes.slice(0, 300)}…` : notes}</p>}
      {children}
      <GuardrailFields check={check} notes={notes} onNotes={(n) => updateDraft({ notes: n })} state={state} />
      <p className="muted">{footnote}</p>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <div className="modal-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="primary" data-autofocus disabled={busy || !state.complete} onClick={() => onConfirm(state.answers)}>
          {busy ? 'Recording…' : `Confirm: ${DECISION_WORDS[decision]}`}
        </button>
      </div>
    </Modal>
  );
}

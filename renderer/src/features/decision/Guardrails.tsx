import { useState } from 'react';
import type { DecisionCheckView } from '../../../../common/ipc/contract';
import type { DecisionOverrides, GuardrailRule } from '../../../../common/review/guardrails';

/**
 * The part of the confirm step main's guardrails ask for (checkDecision): Yoti's result and the
 * warnings in words, then one input per unmet rule (a name, a reason, a note, an acknowledgement).
 * Main checks again on confirm; this only lets the reviewer give what it will ask for.
 */

/**
 * Main's refusal in team mode (TEAM_DECIDED_BY_ANOTHER): another reviewer decided the session in the
 * team database. The confirm step then asks why this decision differs, in the field a change of a
 * final decision asks with (main sends the reason with the team version as `changeReason`).
 */
export function askReasonOverAnother(check: DecisionCheckView): DecisionCheckView {
  if (check.unmet.some((u) => u.rule === 'CHANGE_REASON')) return check;
  const text = "Another reviewer already decided this session in the team database. To decide otherwise, say why: your decision then waits for a second reviewer's countersignature.";
  return { ...check, unmet: [...check.unmet, { rule: 'CHANGE_REASON', text }] };
}

export interface GuardrailAnswers {
  reviewerName: string;
  overrides: DecisionOverrides;
}

type Raw = Partial<Record<'reviewerName' | 'beforeComplete' | 'changeReason', string> & Record<'acknowledgeContradictions' | 'acknowledgeUnviewed', boolean>>;

export interface GuardrailState {
  answers: GuardrailAnswers;
  set: (patch: Raw) => void;
  /** Every unmet rule has its answer. */
  complete: boolean;
  raw: Raw;
}

export function useGuardrailAnswers(check: DecisionCheckView, notes: string): GuardrailState {
  const [raw, setRaw] = useState<Raw>({});
  const text = (k: 'reviewerName' | 'beforeComplete' | 'changeReason'): string => raw[k] ?? '';
  const flag = (k: 'acknowledgeContradictions' | 'acknowledgeUnviewed'): boolean => raw[k] === true;
  const needs = (rule: GuardrailRule): boolean => check.unmet.some((u) => u.rule === rule);
  const met: Record<GuardrailRule, boolean> = {
    REVIEWER_NAME: text('reviewerName').trim() !== '',
    CHANGE_REASON: text('changeReason').trim() !== '',
    BEFORE_COMPLETE: text('beforeComplete').trim() !== '',
    OVERRIDE_NOTE: notes.trim() !== '',
    CONTRADICTED_REASON: flag('acknowledgeContradictions'),
    UNVIEWED_EVIDENCE: flag('acknowledgeUnviewed'),
  };
  const overrides: DecisionOverrides = {
    ...(needs('BEFORE_COMPLETE') ? { beforeComplete: text('beforeComplete').trim() } : {}),
    ...(needs('CHANGE_REASON') ? { changeReason: text('changeReason').trim() } : {}),
    ...(needs('CONTRADICTED_REASON') ? { acknowledgeContradictions: flag('acknowledgeContradictions') } : {}),
    ...(needs('UNVIEWED_EVIDENCE') ? { acknowledgeUnviewed: flag('acknowledgeUnviewed') } : {}),
  };
  return {
    answers: { reviewerName: text('reviewerName').trim(), overrides },
    set: (patch) => setRaw((r) => ({ ...r, ...patch })),
    complete: check.unmet.every((u) => met[u.rule]),
    raw,
  };
}

export function GuardrailFields({
  check,
  notes,
  onNotes,
  state,
}: {
  check: DecisionCheckView;
  notes: string;
  onNotes: (notes: string) => void;
  state: GuardrailState;
}): React.JSX.Element {
  const { context } = check;
  const text = (k: 'reviewerName' | 'beforeComplete' | 'changeReason'): string => state.raw[k] ?? '';
  return (
    <div className="guardrails" data-testid="guardrails">
      <p data-testid="confirm-yoti">
        <strong>Yoti's result:</strong> {context.yotiResultText}
      </p>
      {context.warnings.length > 0 && (
        <div data-testid="confirm-warnings">
          <p>
            <strong>
              {context.warnings.length} warning{context.warnings.length === 1 ? '' : 's'} stand{context.warnings.length === 1 ? 's' : ''}:
            </strong>
          </p>
          <ul>
            {context.warnings.map((w, i) => (
              <li key={i}>
                {w.severity === 'critical' ? 'Critical' : 'Warning'}: {w.text}
              </li>
            ))}
          </ul>
        </div>
      )}
      {check.unmet.map((u, i) => (
        <div key={u.rule} className="guardrail" data-rule={u.rule}>
          <p className="guardrail-text">{u.text.replace(/ \(CLI: [^)]*\)/, '')}</p>
          {u.rule === 'REVIEWER_NAME' && (
            <label className="field">
              <span>Your name (kept in Settings, recorded with every decision)</span>
              <input data-autofocus={i === 0 || undefined} type="text" maxLength={200} value={text('reviewerName')} onChange={(e) => state.set({ reviewerName: e.currentTarget.value })} />
            </label>
          )}
          {u.rule === 'CHANGE_REASON' && (
            <label className="field">
              <span>Why you change the decision</span>
              <textarea data-autofocus={i === 0 || undefined} rows={2} maxLength={2000} value={text('changeReason')} onChange={(e) => state.set({ changeReason: e.currentTarget.value })} />
            </label>
          )}
          {u.rule === 'BEFORE_COMPLETE' && (
            <label className="field">
              <span>Why you decide before Yoti has finished</span>
              <textarea data-autofocus={i === 0 || undefined} rows={2} maxLength={2000} value={text('beforeComplete')} onChange={(e) => state.set({ beforeComplete: e.currentTarget.value })} />
            </label>
          )}
          {u.rule === 'OVERRIDE_NOTE' && (
            <label className="field">
              <span>Why you override (kept as the notes)</span>
              <textarea data-autofocus={i === 0 || undefined} rows={3} value={notes} onChange={(e) => onNotes(e.currentTarget.value)} />
            </label>
          )}
          {u.rule === 'CONTRADICTED_REASON' && (
            <label className="check-line">
              <input data-autofocus={i === 0 || undefined} type="checkbox" checked={state.raw.acknowledgeContradictions === true} onChange={(e) => state.set({ acknowledgeContradictions: e.currentTarget.checked })} />{' '}
              I have read this and keep the reason
            </label>
          )}
          {u.rule === 'UNVIEWED_EVIDENCE' && (
            <label className="check-line">
              <input data-autofocus={i === 0 || undefined} type="checkbox" checked={state.raw.acknowledgeUnviewed === true} onChange={(e) => state.set({ acknowledgeUnviewed: e.currentTarget.checked })} /> Decide
              without viewing it (recorded and printed in the report)
            </label>
          )}
        </div>
      ))}
    </div>
  );
}

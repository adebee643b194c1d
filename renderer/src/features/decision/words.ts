import type { Decision } from '../../../../common/ipc/contract';

export const DECISION_WORDS: Record<Decision, string> = {
  APPROVE: 'Approve',
  REJECT: 'Reject',
  REQUEST_RESUBMISSION: 'Request resubmission',
  ESCALATE: 'Escalate',
};

export const DECISION_HELP: Record<Decision, string> = {
  APPROVE: 'The person and the document are genuine and match.',
  REJECT: 'Refuse: fraud, a mismatch or a document that is not acceptable.',
  REQUEST_RESUBMISSION: 'Ask the person to capture again (quality, missing side).',
  ESCALATE: 'Pass to a senior reviewer.',
};

/** The order the choices are offered in (the contract's DECISIONS, kept here so no runtime code of main is bundled). */
export const DECISION_ORDER: readonly Decision[] = ['APPROVE', 'REJECT', 'REQUEST_RESUBMISSION', 'ESCALATE'];

/**
 * The reviewer's four decisions and their words: one list for main, the CLI, the contract and the page.
 */
export const DECISIONS = ['APPROVE', 'REJECT', 'REQUEST_RESUBMISSION', 'ESCALATE'] as const;
export type Decision = (typeof DECISIONS)[number];

export const DECISION_WORDS: Readonly<Record<Decision, string>> = {
  APPROVE: 'Approve',
  REJECT: 'Reject',
  REQUEST_RESUBMISSION: 'Request resubmission',
  ESCALATE: 'Escalate',
};

export const DECISION_HELP: Readonly<Record<Decision, string>> = {
  APPROVE: 'The person and the document are genuine and match.',
  REJECT: 'Refuse: fraud, a mismatch or a document that is not acceptable.',
  REQUEST_RESUBMISSION: 'Ask the person to capture again (quality, missing side).',
  ESCALATE: 'Pass to a senior reviewer.',
};

/** How reasons are grouped for the reviewer, in this order. */
export const REASON_CATEGORIES = ['document', 'face', 'liveness', 'data', 'fraud', 'process'] as const;
export type ReasonCategory = (typeof REASON_CATEGORIES)[number];

export const REASON_CATEGORY_WORDS: Readonly<Record<ReasonCategory, string>> = {
  document: 'Document',
  face: 'Face',
  liveness: 'Liveness',
  data: 'Data',
  fraud: 'Fraud',
  process: 'Capture and process',
};

/** 'final': a finding that stands; 'retry': the person can capture or submit again (REQUEST_RESUBMISSION). */
export type ReasonKind = 'final' | 'retry';

export function isDecision(value: unknown): value is Decision {
  return typeof value === 'string' && (DECISIONS as readonly string[]).includes(value);
}

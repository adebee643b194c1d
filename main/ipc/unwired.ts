import { LocalError } from '../core/errors';
import { REASON_CATALOGUE } from '../core/session/reasons';
import type { ReasonOption, ReviewView } from './contract';
import type { AuditPort, ReportsPort, ReviewsPort } from './ports';

/**
 * Stand-ins for the ports whose real implementations are being written elsewhere
 * (main/core/{review,audit,report}); compose.ts uses them until the project lead passes the real
 * ones. Reads answer "nothing recorded yet", so the rest of the app works; writes refuse in words,
 * so nothing is silently lost.
 */
const notYet = (what: string): LocalError =>
  new LocalError('NOT_AVAILABLE', `${what} is not available in this build yet; nothing was recorded.`);

export function emptyReview(sessionId: string): ReviewView {
  return { sessionId, status: 'NONE', reasonCodes: [], notes: '', checkVerdicts: [], history: [] };
}

export const unwiredReviews: ReviewsPort = {
  get: (sessionId) => Promise.resolve(emptyReview(sessionId)),
  saveDraft: () => Promise.reject(notYet('Saving a review')),
  confirmDecision: () => Promise.reject(notYet('Recording a decision')),
  recordEvidenceViewed: () => Promise.resolve(),
  markOpened: () => Promise.resolve(),
  listReasonCodes: () => Promise.resolve(yotiReasons()),
};

/** Yoti's reason codes from the session model's catalogue, each once. */
function yotiReasons(): ReasonOption[] {
  const out = new Map<string, ReasonOption>();
  for (const entries of Object.values(REASON_CATALOGUE)) {
    for (const e of entries) if (!out.has(e.code)) out.set(e.code, { code: e.code, text: e.text, source: 'yoti' });
  }
  return [...out.values()];
}

export const unwiredAudit: AuditPort = {
  append: () => Promise.resolve(),
  verify: () => Promise.reject(notYet('The audit log')),
};

export const unwiredReports: ReportsPort = {
  export: () => Promise.reject(notYet('The PDF report')),
};

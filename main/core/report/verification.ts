import { encode } from 'uqr';

/**
 * What page 1 carries so that a printed record can be tied back to the store: a QR code of the
 * report id, the session id, the decision and the evidence manifest digest as printed (a keyed
 * commitment in a redacted export), and nothing personal. `idv-review verify-report --id` takes the
 * report id it holds.
 *
 *   IDV-REVIEW-REPORT/1 <report id> <session id> <decision or DRAFT> <manifest digest or NONE>
 */
export const VERIFICATION_PREFIX = 'IDV-REVIEW-REPORT/1';

export interface ReportVerification {
  payload: string;
  /** The QR code's modules, row by row (true: dark), quiet zone included. */
  modules: boolean[][];
  /** The command that checks it, printed beside the code. */
  command: string;
}

export function reportVerification(v: { reportId: string; sessionId: string; decision: string | null; manifestDigest: string | null }): ReportVerification {
  const payload = [VERIFICATION_PREFIX, v.reportId, v.sessionId, v.decision ?? 'DRAFT', v.manifestDigest ?? 'NONE'].join(' ');
  return {
    payload,
    modules: encode(payload, { ecc: 'M', border: 2 }).data,
    command: `idv-review verify-report --id ${v.reportId}`,
  };
}

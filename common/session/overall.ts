import type { Check, Session } from './schema';
import { CHECK_TYPE_WORDS, checkTypeWords, recommendationWords } from './words';

/**
 * Yoti's overall result for a session, and how far Yoti has got with it. Pure.
 *
 * Each check type counts once, by its latest attempt (a liveness REJECT followed by an APPROVE retry
 * counts as APPROVE; every attempt stays listed, and the rejected one stays among the warnings).
 * - REJECT when any counted check is DONE and rejects;
 * - else PENDING while Yoti is still working (session ONGOING, or a counted check not finished);
 * - else APPROVE only when there are counted checks, every one DONE, of a type this console knows,
 *   and approving;
 * - else NEEDS_ATTENTION: CONSIDER, NOT_AVAILABLE, an internal error, no result, a value or a check
 *   type this console does not know, no checks at all. Never clean, never "pending".
 */

export type OverallValue = 'APPROVE' | 'REJECT' | 'NEEDS_ATTENTION' | 'PENDING';

/** Check states in which Yoti is still working on a check. */
const WORKING_CHECK_STATES: ReadonlySet<string> = new Set(['CREATED', 'READY', 'PENDING']);
/** The recommendations a check can carry (yoti-api-notes §4; CONSIDER: watchlist and address reports). */
const CHECK_RECOMMENDATIONS: ReadonlySet<string> = new Set(['APPROVE', 'REJECT', 'NOT_AVAILABLE', 'CONSIDER']);

export interface CountedCheck {
  /** Position in `session.checks`. */
  checkIndex: number;
  check: Check;
}

/** The latest attempt of each check type, in the order of those attempts. A check without a type counts on its own. */
export function countedChecks(session: Session): CountedCheck[] {
  const latest = new Map<string, CountedCheck>();
  (session.checks ?? []).forEach((check, checkIndex) => {
    const key = check.type ?? `#${checkIndex}`;
    latest.delete(key); // re-inserted, so the order is that of the latest attempts
    latest.set(key, { checkIndex, check });
  });
  return [...latest.values()];
}

/** How far Yoti has got: what the review status and the "decide before Yoti has finished" rule read. */
export interface YotiProgress {
  /** Yoti's session state, verbatim (ONGOING, COMPLETED, EXPIRED, or one this console does not know). */
  state?: string;
  /** Counted checks (latest attempt of each type). */
  checkCount: number;
  /** Counted checks Yoti is still working on (CREATED, READY, PENDING). */
  checksNotDone: number;
  /** Counted checks that failed at Yoti (INTERNAL_ERROR). */
  checksFailedAtYoti: number;
  /** Counted checks DONE with NOT_AVAILABLE: Yoti could not do them. */
  checksNotAvailable: number;
  /** The session is COMPLETED and every counted check is DONE. */
  finished: boolean;
  /** The session is ONGOING, or a counted check is still being worked on. */
  working: boolean;
}

const rec = (c: Check): string | undefined => c.report?.recommendation?.value;

export function yotiProgress(session: Session): YotiProgress {
  const counted = countedChecks(session).map((c) => c.check);
  const checksNotDone = counted.filter((c) => c.state === undefined || WORKING_CHECK_STATES.has(c.state)).length;
  return {
    state: session.state,
    checkCount: counted.length,
    checksNotDone,
    checksFailedAtYoti: counted.filter((c) => c.state === 'INTERNAL_ERROR').length,
    checksNotAvailable: counted.filter((c) => c.state === 'DONE' && rec(c) === 'NOT_AVAILABLE').length,
    finished: session.state === 'COMPLETED' && counted.every((c) => c.state === 'DONE'),
    working: session.state === 'ONGOING' || counted.some((c) => c.state !== undefined && WORKING_CHECK_STATES.has(c.state)),
  };
}

export function overallRecommendation(session: Session): OverallValue {
  return overallResult(session).value;
}

export interface OverallResult {
  value: OverallValue;
  /** In words, with why when it is not a clean answer: "Needs attention: Watchlist screening says Consider (look closer)". */
  text: string;
}

/** Short words for a value, for a table cell or a queue badge. */
export const OVERALL_WORDS: Readonly<Record<OverallValue, string>> = {
  APPROVE: 'Approve',
  REJECT: 'Reject',
  NEEDS_ATTENTION: 'Needs attention',
  PENDING: 'Pending',
};

/** Short words for a stored value; an older record's NOT_AVAILABLE reads "Needs attention", anything unknown verbatim. */
export function overallWords(value: string | undefined): string {
  if (value === undefined) return 'Not known yet';
  if (value === 'NOT_AVAILABLE') return OVERALL_WORDS.NEEDS_ATTENTION;
  return (OVERALL_WORDS as Record<string, string | undefined>)[value] ?? value;
}

/** Why one counted check keeps the overall result from being a clean APPROVE; undefined when it approves cleanly. */
function notCleanBecause(c: Check): string | undefined {
  const label = checkTypeWords(c.type);
  if (c.type === undefined || !CHECK_TYPE_WORDS.has(c.type)) return `${label}: a check type this console does not know`;
  if (c.state === 'INTERNAL_ERROR') return `${label} failed at Yoti (internal error)`;
  if (c.state !== 'DONE') return c.state === undefined ? `${label} has no state` : `${label} is in a state this console does not know, ${c.state} (no description)`;
  const value = rec(c);
  if (value === 'APPROVE') return undefined;
  if (value === undefined) return `${label} is done but gives no result`;
  if (!CHECK_RECOMMENDATIONS.has(value)) return `${label} gives a result this console does not know, ${value} (no description)`;
  return `${label} says ${recommendationWords(value)}`;
}

export function overallResult(session: Session): OverallResult {
  const counted = countedChecks(session).map((c) => c.check);
  const rejected = counted.filter((c) => c.state === 'DONE' && rec(c) === 'REJECT');
  if (rejected.length > 0) {
    return { value: 'REJECT', text: `Reject: ${rejected.map((c) => checkTypeWords(c.type)).join(', ')} ${rejected.length === 1 ? 'rejects' : 'reject'}` };
  }
  const progress = yotiProgress(session);
  if (progress.working) {
    const why =
      progress.checksNotDone > 0
        ? `${progress.checksNotDone} of ${progress.checkCount} check${progress.checkCount === 1 ? '' : 's'} not done yet`
        : 'the session is still ongoing';
    return { value: 'PENDING', text: `Pending: Yoti is still working (${why})` };
  }
  if (counted.length === 0) return { value: 'NEEDS_ATTENTION', text: 'Needs attention: Yoti ran no checks on this session' };
  const reasons = counted.map(notCleanBecause).filter((r): r is string => r !== undefined);
  if (reasons.length === 0) return { value: 'APPROVE', text: 'Approve: every check approves' };
  return { value: 'NEEDS_ATTENTION', text: `Needs attention: ${reasons.join('; ')}` };
}

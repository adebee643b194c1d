import type { YotiProgress } from './overall';

/**
 * Where a session stands for the reviewer, in one word and one sentence. Pure; the same answer in the
 * queue, the session header, `idv-review list` / `show` and the PDF.
 *
 * Input: what is known locally.
 * - `yoti`: yotiProgress(session) of the cached copy; absent when the session has never been downloaded.
 * - `decided`: a final (confirmed) decision is in force.
 * - `goneAtYoti`: Yoti answered that the session does not exist (404), so it can never be fetched (again).
 *
 * Order: decided, then gone, then expired, then Yoti still working, then completed with no checks, then
 * Yoti could not finish (a check INTERNAL_ERROR or NOT_AVAILABLE), else ready for review.
 */

export type ReviewStatusValue =
  | 'NOT_DOWNLOADED'
  | 'YOTI_WORKING'
  | 'YOTI_COULD_NOT_FINISH'
  | 'NO_CHECKS'
  | 'READY'
  | 'DECIDED'
  | 'EXPIRED'
  | 'GONE_AT_YOTI';

export interface ReviewStatusInput {
  yoti?: YotiProgress;
  decided?: boolean;
  goneAtYoti?: boolean;
}

export interface ReviewStatus {
  value: ReviewStatusValue;
  /** A few words, for a badge. */
  short: string;
  /** One sentence. */
  text: string;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function reviewStatus(input: ReviewStatusInput): ReviewStatus {
  const { yoti } = input;
  if (input.decided) return { value: 'DECIDED', short: 'Decided', text: 'Decided: a final decision is recorded.' };
  if (input.goneAtYoti) {
    return { value: 'GONE_AT_YOTI', short: 'Gone at Yoti', text: 'Gone at Yoti: Yoti has no session with this id (deleted, or never created there).' };
  }
  if (yoti === undefined) return { value: 'NOT_DOWNLOADED', short: 'Not downloaded', text: 'Not downloaded yet: nothing is known about this session here.' };
  if (yoti.state === 'EXPIRED') {
    return { value: 'EXPIRED', short: 'Expired at Yoti', text: 'Expired at Yoti: the session ended before Yoti could complete its checks.' };
  }
  if (yoti.working) {
    const why = yoti.checksNotDone > 0 ? `${plural(yoti.checksNotDone, 'check')} of ${yoti.checkCount} not done yet` : 'the session is still ongoing';
    return { value: 'YOTI_WORKING', short: 'Yoti still working', text: `Yoti is still working: ${why}.` };
  }
  if (yoti.checkCount === 0) {
    return yoti.state === 'COMPLETED'
      ? { value: 'NO_CHECKS', short: 'Completed, no checks', text: 'Completed with no checks: Yoti finished this session without running any check.' }
      : { value: 'NO_CHECKS', short: 'No checks', text: 'No checks: the session has none, and its state is not given or not known.' };
  }
  if (yoti.checksFailedAtYoti > 0 || yoti.checksNotAvailable > 0) {
    const parts = [
      yoti.checksFailedAtYoti > 0 ? `${plural(yoti.checksFailedAtYoti, 'check')} failed at Yoti (internal error)` : '',
      yoti.checksNotAvailable > 0 ? `${plural(yoti.checksNotAvailable, 'check')} could not be done (not available)` : '',
    ].filter(Boolean);
    return { value: 'YOTI_COULD_NOT_FINISH', short: 'Yoti could not finish', text: `Yoti could not finish: ${parts.join(', ')}.` };
  }
  return { value: 'READY', short: 'Ready for review', text: 'Ready for review: Yoti has finished its checks.' };
}

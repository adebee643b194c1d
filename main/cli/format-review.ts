import type { SeenBeforeRow, RetentionView } from '../core/store/offline-store';
import { DECISION_WORDS } from '../../common/review/decisions';
import { decisionContextLines } from '../../common/review/guardrails';
import type { ReviewRecord } from '../core/review/review-store';
import type { ReviewerIdentity } from '../core/review/record';

/** The review and retention parts of `show`, as lines of text (pure). */
export function formatReview(review: ReviewRecord, retention: RetentionView | null, recordKeptUntil: string | null): string[] {
  const lines: string[] = [];
  const add = (s = '') => lines.push(s);
  add();
  add('Review');
  const decided = review.decided;
  if (decided?.decision) {
    add(`  Decision: ${DECISION_WORDS[decided.decision]} (${decided.decision}), confirmed ${decided.decidedAt ?? decided.savedAt} by ${who(decided.reviewer)}`);
    if (decided.reasons.length > 0) add(`  Reasons: ${decided.reasons.map((r) => `${r.code} (${r.text})`).join('; ')}`);
    if (decided.timeOnTaskMs !== null) add(`  Time on task: ${timeOnTaskWords(decided)}; evidence manifest sha256:${decided.manifestHash ?? '?'}`);
    if (decided.supersedes) add(`  Supersedes version ${decided.supersedes}`);
    for (const line of decisionContextLines(decided.context)) add(`  ${line}`);
  } else {
    add('  No decision confirmed yet.');
  }
  if (review.current && review.current.status === 'DRAFT') {
    add(`  Draft saved ${review.current.savedAt}${review.current.decision ? ` (${review.current.decision})` : ''}${review.current.notes ? `, ${review.current.notes.length} characters of notes` : ''}`);
  }
  if (review.versions.length > 0) add(`  ${review.versions.length} saved version${review.versions.length === 1 ? '' : 's'} kept`);
  const v = review.evidenceViewed;
  if (v.firstOpenedAt) add(`  First opened ${v.firstOpenedAt}; ${v.opens} opening${v.opens === 1 ? '' : 's'}; ${v.items.length} media item${v.items.length === 1 ? '' : 's'} viewed`);
  for (const p of review.problems) add(`  ! ${p}`);
  if (retention) {
    add(`  Evidence kept until ${retention.retainUntil} (${retention.overridden ? 'set for this session' : `default, from the first fetch on ${retention.firstFetchedAt}`})`);
  }
  if (recordKeptUntil) add(`  Record kept until ${recordKeptUntil} (the record retention, from its last change)`);
  return lines;
}

/** The seen-before part of `show` (pure). */
export function formatSeenBefore(seen: readonly SeenBeforeRow[]): string[] {
  const lines: string[] = [];
  const add = (s = '') => lines.push(s);
  add();
  add('Seen before (same document or person among cached sessions)');
  if (seen.length === 0) add('  none');
  for (const s of seen) {
    const kinds = s.matches.map((m) => (m === 'SAME_DOCUMENT' ? 'same document' : 'same person')).join(' and ');
    add(`  ${s.sessionId}: ${kinds}, fetched ${s.fetchedAt}${s.decision ? `, decision ${s.decision}` : ', no decision'}`);
  }
  return lines;
}

function who(r: ReviewerIdentity): string {
  return r.name ? `${r.name} (OS account ${r.osAccount})` : `OS account ${r.osAccount}`;
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "4 min 10 s elapsed, 2 min 5 s active" (active time is measured only in the app). */
export function timeOnTaskWords(v: { timeOnTaskMs: number | null; activeMs?: number | null }): string {
  const active = v.activeMs === undefined || v.activeMs === null ? 'active time not measured' : `${duration(v.activeMs)} active`;
  return `${v.timeOnTaskMs === null ? 'not recorded' : `${duration(v.timeOnTaskMs)} elapsed`}, ${active}`;
}

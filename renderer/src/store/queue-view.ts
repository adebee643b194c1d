import type { QueueRow } from '../../../common/ipc/contract';

/**
 * How the queue is shown: which rows (filter, search) in which order (sort). Pure; the panel, "Next
 * undecided" and the up/down keys all read the queue through visibleQueue(), so they follow what the
 * reviewer sees.
 */

export type QueueSort = 'added' | 'created' | 'attention' | 'warnings' | 'decided';
export type QueueFilter = 'all' | 'undecided' | 'attention' | 'warnings' | 'seen-before' | 'follow-up' | 'decided';

export interface QueueView {
  sort: QueueSort;
  filter: QueueFilter;
  /** Part of a session id or a user tracking id; case does not matter. */
  search: string;
}

export const DEFAULT_QUEUE_VIEW: QueueView = { sort: 'added', filter: 'all', search: '' };

export const SORT_WORDS: Readonly<Record<QueueSort, string>> = {
  added: 'Oldest added first',
  created: 'Oldest session first (created at Yoti)',
  attention: "Yoti's result: rejects and needs attention first",
  warnings: 'Most warnings first',
  decided: 'Latest decision first',
};

export const FILTER_WORDS: Readonly<Record<QueueFilter, string>> = {
  all: 'All sessions',
  undecided: 'Undecided',
  attention: 'Yoti rejects or needs attention',
  warnings: 'With warnings',
  'seen-before': 'Seen before (same document or person)',
  'follow-up': 'Follow up: escalated or resubmission requested',
  decided: 'Decided',
};

/** No decision yet, and there is evidence to decide on. */
export function isUndecided(r: QueueRow): boolean {
  return r.decision === undefined && r.cache !== 'evidence-deleted';
}

const FILTERS: Readonly<Record<QueueFilter, (r: QueueRow) => boolean>> = {
  all: () => true,
  undecided: isUndecided,
  attention: (r) => r.overall === 'REJECT' || r.overall === 'NEEDS_ATTENTION' || r.overall === 'NOT_AVAILABLE',
  warnings: (r) => (r.warnings ?? 0) > 0,
  'seen-before': (r) => r.seenBefore !== undefined,
  'follow-up': (r) => r.decision === 'ESCALATE' || r.decision === 'REQUEST_RESUBMISSION',
  decided: (r) => r.decision !== undefined,
};

/** Rejects first, then what needs attention, what Yoti is still working on, approvals, and rows not fetched yet. */
const ATTENTION_RANK: Readonly<Record<string, number>> = { REJECT: 0, NEEDS_ATTENTION: 1, NOT_AVAILABLE: 1, PENDING: 2, APPROVE: 3 };

const byAdded = (a: QueueRow, b: QueueRow): number => (a.addedAt === b.addedAt ? a.sessionId.localeCompare(b.sessionId) : a.addedAt < b.addedAt ? -1 : 1);
/** Rows without the value go last, in the order they were added. */
const byValue = (value: (r: QueueRow) => string | number | undefined, descending = false) => (a: QueueRow, b: QueueRow): number => {
  const x = value(a);
  const y = value(b);
  if (x === undefined || y === undefined) return x === y ? byAdded(a, b) : x === undefined ? 1 : -1;
  if (x === y) return byAdded(a, b);
  return (x < y ? -1 : 1) * (descending ? -1 : 1);
};

const SORTS: Readonly<Record<QueueSort, (a: QueueRow, b: QueueRow) => number>> = {
  added: byAdded,
  created: byValue((r) => (r.created === undefined ? undefined : Date.parse(r.created))),
  attention: byValue((r) => (r.overall === undefined ? undefined : (ATTENTION_RANK[r.overall] ?? 1))),
  warnings: byValue((r) => r.warnings, true),
  decided: byValue((r) => r.decidedAt, true),
};

export function visibleQueue(rows: readonly QueueRow[], view: QueueView): QueueRow[] {
  const needle = view.search.trim().toLowerCase();
  return rows
    .filter(FILTERS[view.filter])
    .filter((r) => needle === '' || r.sessionId.toLowerCase().includes(needle) || (r.userTrackingId ?? '').toLowerCase().includes(needle))
    .sort(SORTS[view.sort]);
}

/** What "Next undecided" goes through, in order: undecided rows as the queue shows them (its sort and filter), the open one left out. */
export function undecidedAfter(rows: readonly QueueRow[], view: QueueView, selectedId: string | null): QueueRow[] {
  return visibleQueue(rows, view).filter((r) => isUndecided(r) && r.sessionId !== selectedId);
}

import * as z from 'zod';
import { UsageError } from '../../../common/errors';

/**
 * Retention has two lifetimes. Evidence: every stored session has a retain-until, by default the
 * first fetch plus settings.retentionDays (DEFAULT_RETENTION_DAYS when unset), or its own
 * retain-until (an override, e.g. "5 years after the relationship ended"); past it, the start-up purge
 * and `idv-review purge` delete the session's evidence and seen-before entry. Records: a review record
 * is kept settings.recordRetentionDays after its last change (recordRetainUntil); past it, the purge
 * deletes the record. Each deletion leaves an audit entry, and the audit log itself is never purged.
 * Pure helpers; the evidence's file lives in `evidence/<sessionId>/retention.idvr` (sealed with the
 * review key, see store/offline-store.ts).
 */

export interface RetentionRecord {
  v: 1;
  sessionId: string;
  /** When the session was first fetched into this store. */
  firstFetchedAt: string;
  /** A retain-until set for this session, replacing the default; null for the default. */
  retainUntilOverride: string | null;
}

export const RetentionSchema = z
  .object({
    v: z.literal(1),
    sessionId: z.string().max(64),
    firstFetchedAt: z.string().max(64),
    retainUntilOverride: z.string().max(64).nullable(),
  })
  .strict();

export function retentionAad(sessionId: string): string {
  return `idv-review|retention|${sessionId}`;
}

const DAY_MS = 86_400_000;

/** The retain-until in force (ISO 8601, UTC). */
export function retainUntilOf(record: Pick<RetentionRecord, 'firstFetchedAt' | 'retainUntilOverride'>, retentionDays: number): string {
  if (record.retainUntilOverride !== null) return record.retainUntilOverride;
  const from = Date.parse(record.firstFetchedAt);
  return new Date((Number.isNaN(from) ? 0 : from) + retentionDays * DAY_MS).toISOString();
}

/** When a review record last changed at `lastChangedAt` may be purged (ISO 8601, UTC). */
export function recordRetainUntil(lastChangedAt: string, recordRetentionDays: number): string {
  return retainUntilOf({ firstFetchedAt: lastChangedAt, retainUntilOverride: null }, recordRetentionDays);
}

/** Past its retain-until at `now` (the retain-until instant itself is still kept). */
export function isExpired(retainUntil: string, now: Date): boolean {
  const t = Date.parse(retainUntil);
  return !Number.isNaN(t) && now.getTime() > t;
}

/**
 * A retain-until typed by a person: `YYYY-MM-DD` (kept through the end of that day, UTC) or a full
 * ISO 8601 timestamp with a zone. Returned as ISO 8601 UTC.
 */
export function parseRetainUntil(text: string): string {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (date) {
    const t = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]), 23, 59, 59, 999);
    const back = new Date(t);
    if (back.getUTCMonth() + 1 !== Number(date[2]) || back.getUTCDate() !== Number(date[3])) throw badDate(text);
    return back.toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(text) && !Number.isNaN(Date.parse(text))) {
    return new Date(Date.parse(text)).toISOString();
  }
  throw badDate(text);
}

function badDate(text: string): UsageError {
  return new UsageError('INVALID_DATE', `"${text.slice(0, 40)}" is not a date: use YYYY-MM-DD (kept through that day, UTC) or an ISO 8601 timestamp.`);
}

import type { AuditLog } from '../audit/audit-log';
import type { ReviewStore } from '../review/review-store';
import type { SeenBeforeIndex } from '../seen-before/seen-before';
import type { AtomicFs } from './atomic';
import type { SessionStore } from './session-store';

/** What the parts of the offline store (offline-store.ts) share: its stores, keys, settings and lock. */
export interface StoreCore {
  readonly dataDir: string;
  readonly sessions: SessionStore;
  readonly audit: AuditLog;
  readonly reviews: ReviewStore;
  readonly seen: SeenBeforeIndex;
  /** KeyVault.subkey('review'): seals the retention files. */
  readonly reviewKey: Buffer;
  readonly fs: AtomicFs;
  readonly now: () => Date;
  /** Evidence, in days after the first fetch. */
  readonly retentionDays: number;
  /** Review records, in days after their last change. */
  readonly recordRetentionDays: number;
  /** Runs fn as one locked step (offline-store.ts section). */
  section<T>(fn: () => Promise<T>): Promise<T>;
}

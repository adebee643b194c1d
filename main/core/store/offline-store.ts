import * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, LocalError, UsageError } from '../../../common/errors';
import type { EvidenceDeletion } from '../../../common/review/evidence-deletion';
import { DEFAULT_FACE_MATCH_THRESHOLD } from '../../../common/session/face-match';
import { assertYotiId } from '../../../common/yoti-ids';
import { auditDamaged, AuditLog, type AuditEntry, type AuditEventType, type AuditWho } from '../audit/audit-log';
import type { JsonObject } from '../audit/canonical';
import { AnchorGuard, rolledBack, type AcceptedRestore, type AnchorPort } from '../audit/keychain-anchor';
import { verifySession, verifyStore, type StoredManifest, type VerifiedEvidence, type VerifyReport } from '../audit/verify';
import type { SubkeyLabel } from '../keys/key-vault';
import { StoreLock, type StoreLockOptions } from '../lock/store-lock';
import type { RetentionRecord } from '../retention/retention';
import { readDecisionFacts } from '../review/decision-facts';
import { reviewerIdentity } from '../review/identity';
import { reasonCatalogue, type ReasonCatalogue } from '../review/reasons';
import type { ReviewerIdentity, ReviewVersion } from '../review/record';
import { ReviewStore, type ReviewRecord } from '../review/review-store';
import { SeenBeforeIndex } from '../seen-before/seen-before';
import { DEFAULT_RECORD_RETENTION_DAYS, DEFAULT_RETENTION_DAYS, effectiveRecordRetentionDays, effectiveRetentionDays, type Settings } from '../settings';
import type { AtomicFs } from './atomic';
import { EvidenceFiles, type CachedSessionState, type FetchCommit, type FetchCommitResult, type ManifestReport } from './evidence-files';
import { hasLegacyLayout } from './layout';
import type { MediaReads } from './media-reads';
import { Lifetimes, type DeletedEvidence, type PurgeReport } from './lifetimes';
import { RetentionFiles, type RetentionView } from './retention-files';
import { SessionRows, type CachedSessionRow, type RowOptions, type SeenBeforeRow } from './session-rows';
import { SessionStore, type MediaListEntry } from './session-store';
import type { StoreCore } from './store-core';

/**
 * The offline store: evidence (session-store.ts, evidence-files.ts), review records (review/review-store.ts),
 * the audit log (audit/audit-log.ts) and its keychain anchor (audit/keychain-anchor.ts), retention and
 * deletion (lifetimes.ts, retention-files.ts), the session list and seen-before (session-rows.ts),
 * behind one lock. This façade composes those parts, runs every step (section) and checks the log
 * (verify, the trust methods); the desktop app and the `idv-review` command line each open one on the
 * same data folder.
 *
 * Every change is one locked, audited step:
 *   1. stage the new files (written and fsynced under temporary names: a full disk fails here, and
 *      nothing has changed),
 *   2. append an audit entry with `intent: true` that says what the files will be (manifest, SHA-256),
 *   3. move the files into place (renames: no space needed; each folder fsynced),
 *   4. anchor the audit log (head.json, then the OS keychain).
 * Every locked step starts by comparing the log with its keychain anchor, then reconciling intents left
 * unanchored by a process that died (SIGKILL, power loss): a review version that never reached its
 * place is marked aborted; a fetch half moved into place is recorded as what is actually stored (each
 * file is whole: the old or the new one); deletions, retention changes and evidence-viewed updates are
 * finished. So the store always opens, verifies, and holds every save that returned.
 *
 * Layout under the data folder (layout.ts):
 *   evidence/<sessionId>/session.idvc, media-<mediaId>.idvc   session JSON and media (cache key)
 *   evidence/<sessionId>/retention.idvr                       first fetch + retain-until override (review key)
 *   records/<sessionId>/v-<seq>.idvr, viewed.idvr             review versions, evidence viewed (review key)
 *   audit/log.jsonl, audit/head.json                          the HMAC-chained audit log and its anchor
 *   audit/verified.json                                       how much of the log a check verified (sealed-prefix.ts)
 *   seen-before/index.idvr                                    keyed hashes for seen-before (review key)
 *   store.lock                                                the inter-process lock
 */

export interface StoreKeys {
  /** KeyVault.cacheKey(). */
  cache: Buffer;
  /** KeyVault.subkey('review'). */
  review: Buffer;
  /** KeyVault.subkey('audit'). */
  audit: Buffer;
  /** KeyVault.subkey('seen-before'). */
  seenBefore: Buffer;
}

/**
 * Opens the offline store as the app and the CLI do: keys from the key vault (the OS keychain), the
 * reviewer from the settings and the OS account, retention and reasons from the settings.
 */
export async function openOfflineStoreFor(opts: {
  dataDir: string;
  vault: { cacheKey(): Promise<Buffer>; subkey(label: SubkeyLabel): Promise<Buffer>; auditAnchor(): AnchorPort };
  settings: Pick<Settings, 'reviewerName' | 'reviewerRole' | 'workstation' | 'retentionDays' | 'recordRetentionDays' | 'reviewReasons'> & { faceMatchThreshold?: number };
  osAccount?: () => string;
  now?: () => Date;
  /** Only to check it (`audit verify`): nothing is written. */
  readOnly?: boolean;
}): Promise<OfflineStore> {
  return OfflineStore.open({
    dataDir: opts.dataDir,
    keys: await storeKeysFrom(opts.vault),
    anchor: opts.vault.auditAnchor(),
    readOnly: opts.readOnly,
    reviewer: reviewerIdentity(opts.settings, opts.osAccount),
    retentionDays: effectiveRetentionDays(opts.settings),
    recordRetentionDays: effectiveRecordRetentionDays(opts.settings),
    faceMatchThreshold: opts.settings.faceMatchThreshold,
    reasons: reasonCatalogue(opts.settings.reviewReasons),
    ...(opts.now ? { now: opts.now } : {}),
  });
}

/** The keys of a store from the key vault (one keychain read). */
export async function storeKeysFrom(vault: { cacheKey(): Promise<Buffer>; subkey(label: SubkeyLabel): Promise<Buffer> }): Promise<StoreKeys> {
  return { cache: await vault.cacheKey(), review: await vault.subkey('review'), audit: await vault.subkey('audit'), seenBefore: await vault.subkey('seen-before') };
}

export interface OfflineStoreOptions {
  dataDir: string;
  keys: StoreKeys;
  /** Recorded on every review version and audit entry. */
  reviewer: ReviewerIdentity;
  /** settings.retentionDays (DEFAULT_RETENTION_DAYS when unset): evidence. */
  retentionDays?: number;
  /** settings.recordRetentionDays (DEFAULT_RECORD_RETENTION_DAYS when unset): review records. */
  recordRetentionDays?: number;
  /** settings.faceMatchThreshold (DEFAULT_FACE_MATCH_THRESHOLD when unset): recorded with each decision. */
  faceMatchThreshold?: number;
  /** The reason catalogue in force (default: built-in). */
  reasons?: ReasonCatalogue;
  now?: () => Date;
  /** Writes go through this (tests inject ENOSPC). */
  fs?: AtomicFs;
  lock?: Omit<StoreLockOptions, 'path'>;
  /** The audit log's anchor in the OS keychain (KeyVault.auditAnchor()); without it, no roll-back check. */
  anchor?: AnchorPort;
  /** Opened only to check (`audit verify`, a read-only copy): nothing is written, no step can run. */
  readOnly?: boolean;
}

export class OfflineStore {
  readonly dataDir: string;
  readonly sessions: SessionStore;
  readonly audit: AuditLog;
  readonly reviews: ReviewStore;
  readonly seen: SeenBeforeIndex;
  readonly reasons: ReasonCatalogue;
  readonly retentionDays: number;
  readonly recordRetentionDays: number;
  /** Interrupted steps this instance reconciled (type of the announcing entry), and torn audit bytes cut. */
  readonly recovered: { steps: Array<{ seq: number; type: AuditEventType; sessionId: string | null }>; tornBytes: number } = { steps: [], tornBytes: 0 };
  private readonly lock: StoreLock;
  private readonly anchor: AnchorGuard;
  private readonly readOnly: boolean;
  private readonly reviewKey: Buffer;
  /** undefined: not checked yet; null: the chain verified when this store was opened; else why not. */
  private chainProblem: AppError | null | undefined;
  private readonly now: () => Date;
  private readonly fs: AtomicFs;
  private readonly retentionFiles: RetentionFiles;
  private readonly evidence: EvidenceFiles;
  private readonly lifetimes: Lifetimes;
  private readonly rows: SessionRows;

  constructor(opts: OfflineStoreOptions) {
    this.dataDir = opts.dataDir;
    this.now = opts.now ?? (() => new Date());
    this.fs = opts.fs ?? nodeFs;
    this.retentionDays = opts.retentionDays ?? DEFAULT_RETENTION_DAYS;
    this.recordRetentionDays = opts.recordRetentionDays ?? DEFAULT_RECORD_RETENTION_DAYS;
    this.reasons = opts.reasons ?? reasonCatalogue();
    this.reviewKey = Buffer.from(opts.keys.review);
    this.lock = new StoreLock({ ...opts.lock, path: join(opts.dataDir, 'store.lock') });
    this.anchor = new AnchorGuard(opts.anchor);
    this.readOnly = opts.readOnly === true;
    this.sessions = new SessionStore({ dataDir: opts.dataDir, key: opts.keys.cache, fs: this.fs });
    const who: AuditWho = { name: opts.reviewer.name, osAccount: opts.reviewer.osAccount };
    this.audit = new AuditLog({
      dataDir: opts.dataDir,
      key: opts.keys.audit,
      who,
      now: this.now,
      fs: this.fs,
      section: (fn) => this.section(fn),
      onAnchored: (head) => this.anchor.anchored(head),
      sealVerifiedPrefix: !this.readOnly,
    });
    this.seen = new SeenBeforeIndex({
      dataDir: opts.dataDir,
      hashKey: opts.keys.seenBefore,
      sealKey: opts.keys.review,
      sessions: this.sessions,
      lock: this.lock,
      fs: this.fs,
    });
    this.reviews = new ReviewStore({
      dataDir: opts.dataDir,
      key: opts.keys.review,
      reviewer: { ...opts.reviewer },
      reasons: this.reasons,
      audit: this.audit,
      section: (fn) => this.section(fn),
      verifiedManifestLocked: async (sid) => {
        const stored = await this.evidence.storedManifest(sid);
        if (stored.manifest === null) {
          throw stored.problems.length > 0
            ? new LocalError('CACHE_DAMAGED', `${stored.problems[0] ?? ''} Fetch the session again before deciding.`)
            : new LocalError('SESSION_NOT_CACHED', `Session ${sid} is not in the local store: fetch it first.`);
        }
        if (stored.problems.length > 0) throw new LocalError('CACHE_DAMAGED', `${stored.problems[0] ?? ''} Fetch the session again before deciding.`);
        return stored.manifest;
      },
      isCached: (sid) => this.evidence.hasSessionFile(sid),
      decisionFactsLocked: (sid) =>
        readDecisionFacts({ sessions: this.sessions, seenBefore: (s) => this.rows.seenBeforeLocked(s) }, sid, {
          faceMatchThreshold: opts.faceMatchThreshold ?? DEFAULT_FACE_MATCH_THRESHOLD,
          now: this.now(),
        }),
      now: this.now,
      fs: this.fs,
    });
    const core: StoreCore = {
      dataDir: this.dataDir,
      sessions: this.sessions,
      audit: this.audit,
      reviews: this.reviews,
      seen: this.seen,
      reviewKey: this.reviewKey,
      fs: this.fs,
      now: this.now,
      retentionDays: this.retentionDays,
      recordRetentionDays: this.recordRetentionDays,
      section: (fn) => this.section(fn),
    };
    this.retentionFiles = new RetentionFiles(core);
    this.evidence = new EvidenceFiles(core, this.retentionFiles);
    this.lifetimes = new Lifetimes(core, this.evidence, this.retentionFiles);
    this.rows = new SessionRows(core, this.lifetimes, this.retentionFiles);
  }

  /** Opens the store: finishes what an interrupted process left (see the class comment). */
  static async open(opts: OfflineStoreOptions): Promise<OfflineStore> {
    const store = new OfflineStore(opts);
    if (store.readOnly) return store;
    await store.section(
      async () => {
        if (store.chainProblem === null) await store.sessions.sweepTrash();
      },
      { write: false },
    );
    return store;
  }

  /**
   * Runs fn under the store lock, after reconciling interrupted steps and anchoring the audit log.
   * The whole chain is checked once per store object (on its first step): when it does not verify,
   * every changing step is refused with AUDIT_DAMAGED (nothing more is recorded on a log that cannot be
   * trusted). Every step also compares the log with its anchor in the OS keychain: a log rolled back
   * or replaced refuses every changing step with AUDIT_ROLLED_BACK, until acceptRestore (`accept`).
   * `{ write: false }` steps still run then, and change nothing.
   */
  section<T>(fn: () => Promise<T>, opts: { write?: boolean; accept?: boolean } = {}): Promise<T> {
    if (this.readOnly && opts.write !== false) return Promise.reject(readOnly());
    return this.lock.run(async () => {
      let opened: { tail: AuditEntry[]; repairedBytes: number } | null = null;
      try {
        opened = await this.audit.openLocked();
        if (this.chainProblem === undefined) {
          const check = await this.audit.check();
          this.chainProblem = check.ok ? null : auditDamaged(check.problems[0] ?? 'it does not verify');
        }
      } catch (err) {
        if (!(err instanceof AppError && err.code === 'AUDIT_DAMAGED')) throw err;
        this.chainProblem = err;
      }
      if (this.chainProblem !== null || opened === null) {
        if (opts.write === false) return fn();
        throw this.chainProblem ?? auditDamaged('it does not verify');
      }
      const refused = await this.anchor.checkLocked(this.audit.headLocked, async () => (await this.audit.check()).entries, opts.accept === true);
      if (refused !== null) {
        if (opts.write === false) return fn();
        throw refused;
      }
      const { tail, repairedBytes } = opened;
      // Before anything reads a session's files where they are now (reconciling included); a
      // migration a crash interrupted runs again here, its earlier announcement already in the tail.
      if (await hasLegacyLayout(this.dataDir)) await this.lifetimes.migrateLayoutLocked();
      // Nothing is anchored until every unanchored intent is reconciled (a second crash meanwhile
      // must find them again); one already answered by an op.* entry is not reconciled twice.
      const answered = new Set(tail.flatMap((e) => ((e.type === 'op.recovered' || e.type === 'op.aborted') && typeof e.data.ref === 'number' ? [e.data.ref] : [])));
      for (const entry of tail) {
        if (!entry.intent || answered.has(entry.seq)) continue;
        await this.reconcileLocked(entry);
        this.recovered.steps.push({ seq: entry.seq, type: entry.type, sessionId: entry.sessionId });
      }
      if (repairedBytes > 0) {
        await this.audit.appendLocked('audit.repaired', null, { droppedBytes: repairedBytes }, { anchor: false });
        this.recovered.tornBytes += repairedBytes;
      }
      await this.audit.anchorLocked();
      return fn();
    });
  }

  /** Finishes (or marks aborted) a step whose process stopped before anchoring it. */
  private async reconcileLocked(entry: AuditEntry): Promise<void> {
    const sid = entry.sessionId;
    if (sid === null) return;
    switch (entry.type) {
      case 'review.note-saved':
      case 'review.decision-saved':
      case 'session.opened':
      case 'media.viewed':
        await this.reviews.reconcileLocked(entry);
        return;
      case 'session.fetched':
        await this.evidence.reconcileFetchLocked(sid, entry);
        return;
      default:
        await this.lifetimes.reconcileLocked({ ...entry, sessionId: sid });
    }
  }

  // ---- audit ----

  /** Appends an event the app records itself (report.exported, key.imported, key.removed …); same as audit.append. */
  async recordAudit(type: AuditEventType, sessionId: string | null, data: JsonObject = {}): Promise<AuditEntry> {
    const sid = sessionId === null ? null : assertYotiId(sessionId, 'session ID');
    return this.audit.append(type, sid, data);
  }

  /**
   * Checks the audit chain, its anchor in the OS keychain, every manifest and every review version
   * against the stored files. Writes nothing: an interrupted step is named, and finished by the next
   * step that writes.
   */
  verify(): Promise<VerifyReport> {
    const run = async (): Promise<VerifyReport> =>
      verifyStore({ ...this.verifyDeps(), anchor: (entries) => this.anchor.compare(entries), legacyLayout: await hasLegacyLayout(this.dataDir) });
    // A read-only copy (an auditor's backup) is checked without the lock: nobody writes it.
    return this.readOnly ? run() : this.lock.run(run);
  }

  /**
   * One session's files (evidence, review versions, retention, evidence viewed) against what the
   * audit log records for them: what was changed outside the app, in words; empty when nothing was.
   * `verified`: what the caller decrypted and checked itself in this same call (not decrypted again).
   */
  sessionIntegrity(sessionId: string, verified?: VerifiedEvidence): Promise<string[]> {
    return verifySession(this.verifyDeps(), assertYotiId(sessionId, 'session ID'), verified);
  }

  private verifyDeps() {
    return {
      audit: this.audit,
      sessions: this.sessions,
      reviews: this.reviews,
      readRetention: (sid: string) => this.readRetention(sid),
      storedManifest: (sid: string, verified?: VerifiedEvidence) => this.evidence.storedManifest(sid, verified),
    };
  }

  /** Why the audit log cannot be trusted now (damaged, rolled back or replaced), in words; null when it can. */
  trustProblem(): Promise<string | null> {
    return this.section(() => Promise.resolve(this.chainProblem?.message ?? this.anchor.problem), { write: false });
  }

  /** Refuses (AUDIT_DAMAGED, AUDIT_ROLLED_BACK) what must not rest on a log that cannot be trusted: exports. */
  async assertTrusted(): Promise<void> {
    await this.section(() => {
      if (this.chainProblem) return Promise.reject(this.chainProblem);
      return this.anchor.problem === null ? Promise.resolve() : Promise.reject(rolledBack(this.anchor.problem));
    }, { write: false });
  }

  /**
   * Accepts a log that does not match its keychain anchor (a backup restored on purpose): records
   * `audit.restore-accepted` with the old and the new head and the reason, then anchors the log as it
   * is. NOTHING_TO_ACCEPT when the log matches.
   */
  async acceptRestore(reason: string): Promise<AcceptedRestore> {
    // eslint-disable-next-line no-control-regex -- one printable line
    const why = reason.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, 500);
    if (why === '') throw new UsageError('REASON_REQUIRED', 'Say why the restored audit log is accepted (--reason "…").');
    try {
      return await this.section(
        async () => {
          const restore = this.anchor.pendingRestore(this.audit.headLocked);
          if (restore === null) throw new UsageError('NOTHING_TO_ACCEPT', 'The audit log matches its anchor in the OS keychain: there is no restore to accept.');
          await this.audit.appendLocked('audit.restore-accepted', null, {
            fromCount: restore.from.count,
            fromHead: restore.from.head,
            toCount: restore.to.count,
            toHead: restore.to.head,
            reason: why,
          });
          await this.anchor.acceptRestore(this.audit.headLocked);
          return restore;
        },
        { accept: true },
      );
    } finally {
      this.anchor.endAccept();
    }
  }

  /** Why the audit log cannot be trusted, in words (null when it verified on opening; undefined before the first step). */
  get auditProblem(): string | null | undefined {
    return this.chainProblem === undefined || this.chainProblem === null ? this.chainProblem : this.chainProblem.message;
  }

  // ---- evidence (evidence-files.ts) ----

  /** What is stored for a session, every item decrypted and checked. Reads only. */
  inspect(sessionId: string): Promise<CachedSessionState> {
    return this.evidence.inspect(sessionId);
  }

  /** The stored media of a session, each payload decrypted and checked: a damaged one is a DamagedEntry. */
  listMediaVerified(sessionId: string, reads?: MediaReads): Promise<MediaListEntry[]> {
    return this.evidence.listMediaVerified(sessionId, reads);
  }

  /** Writes what a fetch brought as one audited step. */
  commitFetch(input: FetchCommit): Promise<FetchCommitResult> {
    return this.evidence.commitFetch(input);
  }

  /** The evidence manifest of what is stored now, and whether it matches what the audit log records (`verified` as for sessionIntegrity). */
  evidenceManifest(sessionId: string, verified?: VerifiedEvidence): Promise<ManifestReport> {
    return this.evidence.evidenceManifest(sessionId, verified);
  }

  /** The manifest of what is stored, each item decrypted and hashed (damaged items left out, named in problems). */
  storedManifest(sessionId: string): Promise<StoredManifest> {
    return this.evidence.storedManifest(sessionId);
  }

  // ---- the list and seen-before (session-rows.ts) ----

  /** Stored sessions and records whose evidence was deleted, newest fetch first. */
  listCachedSessions(opts: RowOptions = {}): Promise<CachedSessionRow[]> {
    return this.rows.listCachedSessions(opts);
  }

  /** Other stored sessions of the same document or person, with their decisions. */
  seenBefore(sessionId: string): Promise<SeenBeforeRow[]> {
    return this.rows.seenBefore(sessionId);
  }

  /** The matches of every stored session, with the decisions recorded on them (the queue's badges). */
  seenBeforeAll(): Promise<Map<string, SeenBeforeRow[]>> {
    return this.rows.seenBeforeAll();
  }

  // ---- lifetimes: deletion and retention (lifetimes.ts, retention-files.ts) ----

  /** The latest deletion of a session's evidence the audit log records (null when none, or fetched again since). */
  evidenceDeletion(sessionId: string): Promise<EvidenceDeletion | null> {
    return this.lifetimes.evidenceDeletion(sessionId);
  }

  /** Media of a session this console deleted at Yoti (media id → when): see Lifetimes. */
  mediaDeletedAtYoti(sessionId: string): Promise<Map<string, string>> {
    return this.lifetimes.mediaDeletedAtYoti(sessionId);
  }

  /** What the log keeps of a session whose evidence was deleted (null when it was not): see Lifetimes. */
  deletedEvidence(sessionId: string, decidedOn?: string): Promise<DeletedEvidence | null> {
    return this.lifetimes.deletedEvidence(sessionId, decidedOn);
  }

  /** Deletes a session's evidence; its review record and the audit log stay. True if anything was there. */
  deleteSessionLocally(sessionId: string, scope: 'local-only' | 'at-yoti'): Promise<boolean> {
    return this.lifetimes.deleteSessionLocally(sessionId, scope);
  }

  /** Deletes one media item locally, recording the resulting manifest; true if it was there. */
  deleteMediaLocally(sessionId: string, mediaId: string, scope: 'local-only' | 'at-yoti'): Promise<boolean> {
    return this.lifetimes.deleteMediaLocally(sessionId, mediaId, scope);
  }

  /** Deletes a session's review record (and any evidence still stored) as its own audited step. */
  deleteRecord(sessionId: string): Promise<boolean> {
    return this.lifetimes.deleteRecord(sessionId);
  }

  /** The retain-until of a session's evidence (null when it is not stored). */
  retention(sessionId: string): Promise<RetentionView | null> {
    return this.retentionFiles.retention(sessionId);
  }

  /** The evidence's retention file as stored (null when none). */
  readRetention(sessionId: string): Promise<RetentionRecord | null> {
    return this.retentionFiles.readRetention(sessionId);
  }

  /** Sets (or, with null, clears) a session's own retain-until (ISO 8601). */
  setRetainUntil(sessionId: string, retainUntil: string | null): Promise<RetentionView> {
    return this.lifetimes.setRetainUntil(sessionId, retainUntil);
  }

  /** Deletes evidence past its retain-until and records past the record retention (dryRun: says what it would). */
  purgeExpired(now: Date = this.now(), opts: { dryRun?: boolean } = {}): Promise<PurgeReport> {
    return this.lifetimes.purgeExpired(now, opts);
  }

  /** Until when a review record is kept: its last change plus the record retention. */
  recordKeptUntil(record: ReviewRecord): string | null {
    return this.lifetimes.recordKeptUntil(record);
  }
}

function readOnly(): LocalError {
  return new LocalError('READ_ONLY', 'This store was opened only to be checked: nothing can be changed through it.');
}

export type { ReviewVersion };
export type { CachedSessionRow, SeenBeforeRow } from './session-rows';
export type { DeletedEvidence, PurgeReport } from './lifetimes';
export type { RetentionView } from './retention-files';
export type { CachedSessionState, FetchCommit, FetchCommitResult, ManifestReport } from './evidence-files';

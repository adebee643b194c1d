import * as nodeFs from 'node:fs/promises';
import { rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { forEachBounded } from '../async/bounded';
import { auditDamaged, AuditLog, type AuditEntry, type AuditEventType, type AuditWho } from '../audit/audit-log';
import type { JsonObject } from '../audit/canonical';
import { buildManifest, manifestFromJson, manifestToJson, sha256Hex, type EvidenceManifest, type ManifestItem } from '../audit/manifest';
import { verifySession, verifyStore, type StoredManifest, type VerifyReport } from '../audit/verify';
import { AnchorGuard, rolledBack, type AcceptedRestore, type AnchorPort } from '../audit/keychain-anchor';
import { AppError, LocalError, UsageError } from '../../../common/errors';
import type { SubkeyLabel } from '../keys/key-vault';
import { StoreLock, type StoreLockOptions } from '../lock/store-lock';
import { isExpired, recordRetainUntil, retainUntilOf, retentionAad, RetentionSchema, type RetentionRecord } from '../retention/retention';
import { SeenBeforeIndex, type SeenBeforeMatch } from '../seen-before/seen-before';
import { listMedia as listSessionMedia } from '../../../common/session/media';
import { parseSession } from '../../../common/session/parse';
import { overallRecommendation, yotiProgress, type YotiProgress } from '../../../common/session/overall';
import { DEFAULT_RECORD_RETENTION_DAYS, DEFAULT_RETENTION_DAYS, effectiveRecordRetentionDays, effectiveRetentionDays, type Settings } from '../settings';
import { stageFile, type AtomicFs, type StagedFile } from '../store/atomic';
import { evidenceDir, hasLegacyLayout, migrateLegacyLayout } from '../store/layout';
import {
  isDamaged,
  SessionStore,
  type MediaListEntry,
  type MediaMeta,
  type SessionListEntry,
  type SessionMeta,
} from '../store/session-store';
import { assertYotiId } from '../../../common/yoti-ids';
import { reviewerIdentity } from './identity';
import type { Decision } from '../../../common/review/decisions';
import type { EvidenceDeletion } from '../../../common/review/evidence-deletion';
import { reasonCatalogue, type ReasonCatalogue } from './reasons';
import { readDecisionFacts } from './decision-facts';
import { DEFAULT_FACE_MATCH_THRESHOLD } from '../../../common/session/face-match';
import type { ReviewerIdentity, ReviewVersion } from './record';
import { ReviewStore, sweepTemps, type ReviewRecord, type ReviewState } from './review-store';
import { openJson, readIfExists, sealJson } from './sealed-json';

/**
 * The offline store: the encrypted cache (store/session-store.ts), review records (review-store.ts),
 * the audit log (audit/audit-log.ts), retention and the seen-before index, behind one lock. The desktop
 * app and the `idv-review` command line each open one on the same data folder.
 *
 * Every change is one locked, audited step:
 *   1. stage the new files (written and fsynced under temporary names: a full disk fails here, and
 *      nothing has changed),
 *   2. append an audit entry with `intent: true` that says what the files will be (manifest, SHA-256),
 *   3. move the files into place (renames: no space needed),
 *   4. anchor the audit log (head.json).
 * Every locked step starts by reconciling intents left unanchored by a process that died (SIGKILL,
 * power loss): a review version that never reached its place is marked aborted; a fetch half moved
 * into place is recorded as what is actually stored (each file is whole: the old or the new one);
 * deletions, retention changes and evidence-viewed updates are finished. So the store always opens,
 * verifies, and holds every save that returned.
 *
 * Layout under the data folder:
 *   cache/<sessionId>/session.idvc, media-<mediaId>.idvc   session JSON and media (cache key)
 *   cache/<sessionId>/retention.idvr                       first fetch + retain-until override (review key)
 *   cache/<sessionId>/review/v-<seq>.idvr, viewed.idvr     review versions, evidence viewed (review key)
 *   audit/log.jsonl, audit/head.json                       the HMAC-chained audit log and its anchor
 *   seen-before/index.idvr                                 keyed hashes for seen-before (review key)
 *   store.lock                                             the inter-process lock
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
  settings: Pick<Settings, 'reviewerName' | 'retentionDays' | 'recordRetentionDays' | 'reviewReasons'> & { faceMatchThreshold?: number };
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

/** One row of the session list (`idv-review list`, the app's queue). */
export interface CachedSessionRow {
  sessionId: string;
  /** Yoti's session state (ONGOING, COMPLETED, EXPIRED) from the cached JSON. */
  state?: string;
  /** Yoti's overall result (session/overall.ts): APPROVE, REJECT, NEEDS_ATTENTION or PENDING. */
  overall?: string;
  /** How far Yoti has got (session/overall.ts yotiProgress): the input of reviewStatus. */
  yoti?: YotiProgress;
  fetchedAt?: string;
  apiUrl?: string;
  sdkId?: string;
  tokenTtlSeconds?: number;
  /** The review: NONE, DRAFT, CONFIRMED (or DAMAGED). */
  review: ReviewState;
  /** The decision in force (latest confirmed version). */
  decision?: Decision;
  decidedAt?: string;
  retainUntil?: string;
  retainUntilOverridden: boolean;
  /**
   * intact: every referenced media item stored and verified; partial: some not stored; damaged: some
   * file does not verify; evidence-deleted: the evidence was deleted, the review record stays.
   */
  cache: 'intact' | 'partial' | 'damaged' | 'evidence-deleted';
  /** When cache is evidence-deleted: the deletion the audit log records. */
  evidenceDeleted?: EvidenceDeletion;
  mediaStored: number;
  mediaExpected: number;
  /** In words: damaged files, items not stored. */
  problems: string[];
}

export interface SeenBeforeRow extends SeenBeforeMatch {
  decision?: Decision;
  decidedAt?: string;
}

export interface RetentionView {
  sessionId: string;
  firstFetchedAt: string;
  retainUntil: string;
  overridden: boolean;
}

export interface PurgeReport {
  dryRun: boolean;
  /** Sessions whose evidence was deleted (or, in a dry run, is to be deleted); their records stay. */
  purged: Array<{ sessionId: string; retainUntil: string }>;
  /** Sessions whose evidence was kept. */
  kept: number;
  /** Review records deleted (or to be deleted) past the record retention. */
  recordsPurged: Array<{ sessionId: string; retainUntil: string }>;
  recordsKept: number;
  /** Sessions whose retain-until could not be read: kept, in words. */
  problems: string[];
}

export interface ManifestReport {
  /** The manifest of what is stored now (damaged items left out); null when the session is not cached or its JSON is damaged. */
  manifest: EvidenceManifest | null;
  /** Damaged items, in words. */
  problems: string[];
  /** The latest manifest the audit log records for the session. */
  recorded: { seq: number; at: string; manifestHash: string } | null;
  /** Stored evidence equals the recorded manifest and nothing is damaged. */
  intact: boolean;
}

export interface FetchCommit {
  sessionId: string;
  sdkId: string;
  apiUrl: string;
  fetchedAt: string;
  /** The new session JSON, or null to keep the cached one (a COMPLETED session whose damaged media are repaired). */
  body: Buffer | null;
  media: ReadonlyArray<{ mediaId: string; status: 'ok'; bytes: Buffer; mimeType: string } | { mediaId: string; status: 'no-content' }>;
  forced: boolean;
  refreshed: boolean;
}

export interface FetchCommitResult {
  manifest: EvidenceManifest;
  /** Media ids written (content or a no-content marker). */
  written: string[];
  /** Yoti had no content any more, but an intact local copy existed: kept. */
  keptLocalCopy: string[];
  firstFetch: boolean;
}

/** What is cached for a session now, each item verified (used to decide what a fetch must get). */
export interface CachedSessionState {
  session: { body: Buffer; meta: SessionMeta; state?: string } | null;
  sessionProblem: string | null;
  media: Map<string, 'intact' | 'no-content' | 'damaged'>;
}

const RETENTION_FILE = 'retention.idvr';
/** Sessions read at once when listing the cache. */
const LIST_CONCURRENCY = 8;

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
        const stored = await this.storedManifest(sid);
        if (stored.manifest === null) {
          throw stored.problems.length > 0
            ? new LocalError('CACHE_DAMAGED', `${stored.problems[0] ?? ''} Fetch the session again before deciding.`)
            : new LocalError('SESSION_NOT_CACHED', `Session ${sid} is not in the local store: fetch it first.`);
        }
        if (stored.problems.length > 0) throw new LocalError('CACHE_DAMAGED', `${stored.problems[0] ?? ''} Fetch the session again before deciding.`);
        return stored.manifest;
      },
      isCached: (sid) => this.hasSessionFile(sid),
      decisionFactsLocked: (sid) =>
        readDecisionFacts({ sessions: this.sessions, seenBefore: (s) => this.seenBeforeLocked(s) }, sid, {
          faceMatchThreshold: opts.faceMatchThreshold ?? DEFAULT_FACE_MATCH_THRESHOLD,
          now: this.now(),
        }),
      now: this.now,
      fs: this.fs,
    });
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
      if (await hasLegacyLayout(this.dataDir)) await this.migrateLayoutLocked();
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
   */
  sessionIntegrity(sessionId: string): Promise<string[]> {
    return verifySession(this.verifyDeps(), assertYotiId(sessionId, 'session ID'));
  }

  private verifyDeps() {
    return {
      audit: this.audit,
      sessions: this.sessions,
      reviews: this.reviews,
      readRetention: (sid: string) => this.readRetention(sid),
      storedManifest: (sid: string) => this.storedManifest(sid),
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

  // ---- cache ----

  /** What is cached for a session, every item decrypted and checked. Reads only. */
  async inspect(sessionId: string): Promise<CachedSessionState> {
    const sid = assertYotiId(sessionId, 'session ID');
    const media = new Map<string, 'intact' | 'no-content' | 'damaged'>();
    for (const entry of await this.sessions.listMedia(sid)) {
      if (isDamaged(entry)) {
        if (entry.mediaId) media.set(entry.mediaId, 'damaged');
        continue;
      }
      try {
        const loaded = await this.sessions.loadMedia(sid, entry.mediaId);
        if (loaded !== null) media.set(entry.mediaId, 'noContent' in loaded ? 'no-content' : 'intact');
      } catch {
        media.set(entry.mediaId, 'damaged');
      }
    }
    try {
      const loaded = await this.sessions.loadSession(sid);
      if (loaded === null) return { session: null, sessionProblem: null, media };
      let state: string | undefined;
      try {
        state = parseSession(loaded.body).session.state;
      } catch {
        state = undefined;
      }
      return { session: { body: loaded.body, meta: loaded.meta, state }, sessionProblem: null, media };
    } catch (err) {
      if (err instanceof AppError) return { session: null, sessionProblem: err.message, media };
      throw err;
    }
  }

  /** The stored media of a session, each payload decrypted and checked: a damaged one is a DamagedEntry. */
  async listMediaVerified(sessionId: string): Promise<MediaListEntry[]> {
    const sid = assertYotiId(sessionId, 'session ID');
    const out: MediaListEntry[] = [];
    for (const entry of await this.sessions.listMedia(sid)) {
      if (isDamaged(entry)) {
        out.push(entry);
        continue;
      }
      try {
        await this.sessions.loadMedia(sid, entry.mediaId);
        out.push(entry);
      } catch (err) {
        const code = err instanceof AppError ? err.code : 'CACHE_UNREADABLE';
        out.push({ damaged: true, sessionId: sid, mediaId: entry.mediaId, code, message: err instanceof Error ? err.message : String(err) });
      }
    }
    return out;
  }

  /** Writes what a fetch brought as one audited step (see the class comment). */
  async commitFetch(input: FetchCommit): Promise<FetchCommitResult> {
    const sid = assertYotiId(input.sessionId, 'session ID');
    return this.section(async () => {
      const staged: StagedFile[] = [];
      try {
        let session: { sha256: string; size: number };
        if (input.body !== null) {
          staged.push(await this.sessions.stageSession(sid, input.body, { apiUrl: input.apiUrl, fetchedAt: input.fetchedAt, sdkId: input.sdkId }));
          session = { sha256: sha256(input.body), size: input.body.length };
        } else {
          const cached = await this.sessions.loadSession(sid);
          if (cached === null) throw new LocalError('SESSION_NOT_CACHED', `Session ${sid} is not in the local store.`);
          session = { sha256: cached.meta.sha256, size: cached.meta.size };
        }
        // What stays: every intact item not replaced now.
        const items = new Map<string, ManifestItem>();
        const intactContent = new Set<string>();
        for (const entry of await this.sessions.listMedia(sid)) {
          if (isDamaged(entry)) continue;
          try {
            const loaded = await this.sessions.loadMedia(sid, entry.mediaId);
            if (loaded === null) continue;
            items.set(entry.mediaId, itemOf(loaded.meta));
            if (!('noContent' in loaded)) intactContent.add(entry.mediaId);
          } catch {
            // damaged: left out, replaced if this fetch brought it
          }
        }
        const written: string[] = [];
        const keptLocalCopy: string[] = [];
        for (const m of input.media) {
          const mid = assertYotiId(m.mediaId, 'media ID');
          if (m.status === 'ok') {
            staged.push(await this.sessions.stageMedia(sid, mid, m.bytes, { mimeType: m.mimeType, apiUrl: input.apiUrl, fetchedAt: input.fetchedAt }));
            items.set(mid, { mediaId: mid, sha256: sha256(m.bytes), size: m.bytes.length, mimeType: m.mimeType, noContent: false });
            written.push(mid);
          } else if (intactContent.has(mid)) {
            keptLocalCopy.push(mid); // Yoti no longer has it: our copy is the evidence
          } else {
            staged.push(await this.sessions.stageNoContent(sid, mid, { apiUrl: input.apiUrl, fetchedAt: input.fetchedAt }));
            items.set(mid, { mediaId: mid, sha256: null, size: 0, mimeType: null, noContent: true });
            written.push(mid);
          }
        }
        const firstFetch = (await this.readRetention(sid).catch(() => 'damaged' as const)) === null;
        if (firstFetch) {
          const record: RetentionRecord = { v: 1, sessionId: sid, firstFetchedAt: input.fetchedAt, retainUntilOverride: null };
          staged.push(await stageFile(this.fs, this.retentionPath(sid), sealJson(this.reviewKey, record, retentionAad(sid))));
        }
        const manifest = buildManifest(sid, session, [...items.values()]);
        const data: JsonObject = {
          sdkId: input.sdkId,
          apiUrl: input.apiUrl,
          forced: input.forced,
          refreshed: input.refreshed,
          sessionWritten: input.body !== null,
          mediaWritten: written.length,
          manifest: manifestToJson(manifest),
        };
        if (firstFetch) data.firstFetchedAt = input.fetchedAt;
        await this.audit.appendLocked('session.fetched', sid, data, { intent: true });
        // The session file first: after a crash, no media is ever in place without its session.
        await this.sessions.commitStaged(staged);
        staged.length = 0;
        await this.audit.anchorLocked().catch(() => undefined);
        return { manifest, written, keptLocalCopy, firstFetch };
      } finally {
        if (staged.length > 0) await this.sessions.discardStaged(staged);
      }
    });
  }

  /** The evidence manifest of what is stored now, and whether it matches what the audit log records. */
  async evidenceManifest(sessionId: string): Promise<ManifestReport> {
    const sid = assertYotiId(sessionId, 'session ID');
    const stored = await this.storedManifest(sid);
    const entries = await this.audit.entries({ sessionId: sid });
    let recorded: ManifestReport['recorded'] = null;
    for (const e of entries) {
      if (e.type === 'session.deleted' || e.type === 'session.purged') recorded = null;
      const raw = e.type === 'session.fetched' || e.type === 'media.deleted' || (e.type === 'op.recovered' && e.data.manifest !== undefined) ? e.data.manifest : undefined;
      if (raw === undefined) continue;
      const m = raw === null ? null : manifestFromJson(sid, raw);
      recorded = m === null ? null : { seq: e.seq, at: e.at, manifestHash: m.manifestHash };
    }
    const intact = stored.manifest !== null && stored.problems.length === 0 && recorded !== null && recorded.manifestHash === stored.manifest.manifestHash;
    return { manifest: stored.manifest, problems: stored.problems, recorded, intact };
  }

  /** Cached sessions, newest fetch first, with state, Yoti's recommendation, decision, retain-until and cache health. */
  async listCachedSessions(opts: { deep?: boolean } = {}): Promise<CachedSessionRow[]> {
    const listed = new Map((await this.sessions.listSessions()).map((e) => [e.sessionId, e]));
    const sids = [...new Set([...(await this.sessions.listSessionIds()), ...(await this.reviews.listSessionIds())])];
    const built = new Array<CachedSessionRow | null>(sids.length);
    // Each row is a dozen small reads: several sessions at once keep the disk and thread pool busy.
    await forEachBounded(sids, LIST_CONCURRENCY, async (sid, i) => {
      built[i] = await this.cachedRow(sid, listed.get(sid), opts);
    });
    const rows = built.filter((r): r is CachedSessionRow => r !== null);
    const key = (r: CachedSessionRow) => r.fetchedAt ?? '';
    return rows.sort((a, b) => (key(a) === key(b) ? a.sessionId.localeCompare(b.sessionId) : key(a) < key(b) ? 1 : -1));
  }

  /** One session's queue row; null for an interrupted first fetch (nothing there yet). */
  private async cachedRow(sid: string, entry: SessionListEntry | undefined, opts: { deep?: boolean }): Promise<CachedSessionRow | null> {
    const review = await this.reviews.summary(sid);
    if (entry === undefined && review.status === 'NONE') return null;
    const row: CachedSessionRow = { sessionId: sid, review: review.status, retainUntilOverridden: false, cache: 'intact', mediaStored: 0, mediaExpected: 0, problems: [] };
    if (review.problem) row.problems.push(review.problem);
    if (review.decided?.decision) {
      row.decision = review.decided.decision;
      if (review.decided.decidedAt) row.decidedAt = review.decided.decidedAt;
    }
    const retention = await this.retention(sid).catch((err: unknown) => {
      row.problems.push(err instanceof Error ? err.message : String(err));
      return null;
    });
    if (retention) {
      row.retainUntil = retention.retainUntil;
      row.retainUntilOverridden = retention.overridden;
    }
    if (entry === undefined) {
      const deletion = await this.evidenceDeletion(sid);
      if (deletion !== null && !(await this.sessions.listSessionIds()).includes(sid)) {
        row.cache = 'evidence-deleted';
        row.evidenceDeleted = deletion;
        return row;
      }
    }
    if (entry === undefined || isDamaged(entry)) {
      row.cache = 'damaged';
      row.problems.push(entry ? entry.message : `The session file of session ${sid} is missing.`);
      return row;
    }
    row.fetchedAt = entry.fetchedAt;
    row.apiUrl = entry.apiUrl;
    row.sdkId = entry.sdkId;
    let expected: string[] = [];
    try {
      const loaded = await this.sessions.loadSession(sid);
      if (loaded) {
        const { session } = parseSession(loaded.body);
        row.state = session.state;
        row.overall = overallRecommendation(session);
        row.yoti = yotiProgress(session);
        if (session.client_session_token_ttl !== undefined) row.tokenTtlSeconds = session.client_session_token_ttl;
        expected = [...new Set(listSessionMedia(session).flatMap((m) => (m.mediaId && m.fetchable ? [m.mediaId] : [])))];
      }
    } catch (err) {
      row.cache = 'damaged';
      row.problems.push(err instanceof Error ? err.message : String(err));
    }
    const stored = new Map<string, 'ok' | 'damaged'>();
    for (const m of await this.sessions.listMedia(sid)) {
      if (isDamaged(m)) {
        stored.set(m.mediaId ?? '', 'damaged');
        row.problems.push(m.message);
        continue;
      }
      if (opts.deep) {
        try {
          await this.sessions.loadMedia(sid, m.mediaId);
        } catch (err) {
          stored.set(m.mediaId, 'damaged');
          row.problems.push(err instanceof Error ? err.message : String(err));
          continue;
        }
      }
      stored.set(m.mediaId, 'ok');
    }
    row.mediaExpected = expected.length;
    row.mediaStored = expected.filter((id) => stored.get(id) === 'ok').length;
    const missing = expected.filter((id) => !stored.has(id));
    if ([...stored.values()].includes('damaged')) row.cache = 'damaged';
    else if (row.cache !== 'damaged' && missing.length > 0) {
      row.cache = 'partial';
      row.problems.push(`${missing.length} media item${missing.length === 1 ? ' is' : 's are'} not stored (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}).`);
    }
    return row;
  }

  /** The latest deletion of a session's evidence the audit log records (null when none, or fetched again since). */
  async evidenceDeletion(sessionId: string): Promise<EvidenceDeletion | null> {
    const sid = assertYotiId(sessionId, 'session ID');
    let found: EvidenceDeletion | null = null;
    for (const e of await this.audit.entries({ sessionId: sid })) {
      if (e.type === 'session.fetched') found = null;
      if (e.type !== 'session.deleted' && e.type !== 'session.purged') continue;
      const how = e.type === 'session.purged' ? 'purged' : e.data.scope === 'at-yoti' ? 'at-yoti' : 'local-only';
      found = { at: e.at, how, by: e.who.name ?? e.who.osAccount, seq: e.seq };
    }
    return found;
  }

  /** Other cached sessions of the same document or person, with their decisions. */
  async seenBefore(sessionId: string): Promise<SeenBeforeRow[]> {
    return this.withDecisions(await this.seen.find(assertYotiId(sessionId, 'session ID')));
  }

  /** The matches of every stored session, with the decisions recorded on them (the queue's badges). */
  async seenBeforeAll(): Promise<Map<string, SeenBeforeRow[]>> {
    const all = await this.seen.all();
    const out = new Map<string, SeenBeforeRow[]>();
    for (const [sid, matches] of all) if (matches.length > 0) out.set(sid, await this.withDecisions(matches));
    return out;
  }

  /** The same as seenBefore, for a step that holds the lock. */
  private async seenBeforeLocked(sid: string): Promise<SeenBeforeRow[]> {
    return this.withDecisions(await this.seen.findLocked(sid));
  }

  /** Each match with the final decision recorded on it. */
  private async withDecisions(matches: readonly SeenBeforeMatch[]): Promise<SeenBeforeRow[]> {
    const rows: SeenBeforeRow[] = [];
    for (const m of matches) {
      const row: SeenBeforeRow = { ...m };
      const review = await this.reviews.summary(m.sessionId).catch(() => null);
      if (review?.decided?.decision) {
        row.decision = review.decided.decision;
        if (review.decided.decidedAt) row.decidedAt = review.decided.decidedAt;
      }
      rows.push(row);
    }
    return rows;
  }

  /**
   * Deletes a session's evidence (session JSON, media, its retention, seen-before entry); its review
   * record, with the manifest of every decision, and the audit log stay. True if anything was there.
   */
  async deleteSessionLocally(sessionId: string, scope: 'local-only' | 'at-yoti'): Promise<boolean> {
    const sid = assertYotiId(sessionId, 'session ID');
    return this.section(async () => {
      if (!(await this.sessions.listSessionIds()).includes(sid)) return false;
      await this.deleteEvidenceLocked(sid, 'session.deleted', { scope });
      return true;
    });
  }

  /**
   * Deletes a session's review record (every version, evidence viewed), and its evidence if still
   * stored: its own explicit, audited step. The audit log keeps the entries. True if anything was there.
   */
  async deleteRecord(sessionId: string): Promise<boolean> {
    const sid = assertYotiId(sessionId, 'session ID');
    return this.section(async () => {
      const hadEvidence = (await this.sessions.listSessionIds()).includes(sid);
      if (hadEvidence) await this.deleteEvidenceLocked(sid, 'session.deleted', { scope: 'with-record' });
      if (!(await this.reviews.listSessionIds()).includes(sid)) return hadEvidence;
      await this.deleteRecordLocked(sid, 'record.deleted', {});
      return true;
    });
  }

  /** Deletes one media item locally, recording the resulting manifest; true if it was there. */
  async deleteMediaLocally(sessionId: string, mediaId: string, scope: 'local-only' | 'at-yoti'): Promise<boolean> {
    const sid = assertYotiId(sessionId, 'session ID');
    const mid = assertYotiId(mediaId, 'media ID');
    return this.section(async () => {
      const listed = await this.sessions.listMedia(sid);
      if (!listed.some((m) => m.mediaId === mid)) return false;
      const stored = await this.storedManifest(sid);
      const data: JsonObject = { mediaId: mid, scope };
      if (stored.manifest !== null) {
        const rest = stored.manifest.media.filter((m) => m.mediaId !== mid);
        data.manifest = manifestToJson(buildManifest(sid, stored.manifest.session, rest));
      }
      await this.audit.appendLocked('media.deleted', sid, data, { intent: true });
      await this.sessions.deleteMedia(sid, mid);
      await this.audit.anchorLocked().catch(() => undefined);
      return true;
    });
  }

  // ---- retention ----

  /** The retain-until in force for a session (null when it is not cached). */
  async retention(sessionId: string): Promise<RetentionView | null> {
    const sid = assertYotiId(sessionId, 'session ID');
    const record = await this.readRetention(sid);
    if (record !== null) return this.viewOf(record);
    // Cached before retention records existed: from the last fetch.
    const meta = (await this.sessions.listSessions()).find((s) => s.sessionId === sid);
    if (!meta || isDamaged(meta)) return null;
    return this.viewOf({ v: 1, sessionId: sid, firstFetchedAt: meta.fetchedAt, retainUntilOverride: null });
  }

  /** Sets (or, with null, clears) a session's own retain-until (ISO 8601). */
  async setRetainUntil(sessionId: string, retainUntil: string | null): Promise<RetentionView> {
    const sid = assertYotiId(sessionId, 'session ID');
    if (retainUntil !== null && Number.isNaN(Date.parse(retainUntil))) throw new RangeError('retainUntil must be an ISO 8601 timestamp');
    return this.section(async () => {
      const current = await this.retention(sid);
      if (current === null) throw new LocalError('SESSION_NOT_CACHED', `Session ${sid} is not in the local store.`);
      const record: RetentionRecord = { v: 1, sessionId: sid, firstFetchedAt: current.firstFetchedAt, retainUntilOverride: retainUntil };
      const staged = await stageFile(this.fs, this.retentionPath(sid), sealJson(this.reviewKey, record, retentionAad(sid)));
      try {
        await this.audit.appendLocked('retention.set', sid, { retainUntil, firstFetchedAt: record.firstFetchedAt }, { intent: true });
      } catch (err) {
        await this.fs.unlink(staged.temp).catch(() => undefined);
        throw err;
      }
      await this.sessions.commitStaged([staged]);
      await this.audit.anchorLocked().catch(() => undefined);
      return this.viewOf(record);
    });
  }

  /**
   * Deletes the evidence of every session past its retain-until at `now`, and every review record
   * past its record retention (the app calls this at start-up), saying what it deleted; with dryRun,
   * only says what it would delete.
   */
  async purgeExpired(now: Date = this.now(), opts: { dryRun?: boolean } = {}): Promise<PurgeReport> {
    const run = async (): Promise<PurgeReport> => {
      const report: PurgeReport = { dryRun: opts.dryRun === true, purged: [], kept: 0, recordsPurged: [], recordsKept: 0, problems: [] };
      for (const sid of await this.sessions.listSessionIds()) {
        let view: RetentionView | null;
        try {
          view = await this.retention(sid);
        } catch (err) {
          report.problems.push(`Session ${sid} was kept: its retain-until cannot be read (${err instanceof Error ? err.message : String(err)})`);
          continue;
        }
        if (view === null) {
          if ((await this.sessions.listMedia(sid)).length > 0) {
            report.problems.push(`Session ${sid} was kept: its session file is missing or damaged, so its retain-until is unknown.`);
          }
          continue;
        }
        if (!isExpired(view.retainUntil, now)) {
          report.kept += 1;
          continue;
        }
        if (!report.dryRun) await this.deleteEvidenceLocked(sid, 'session.purged', { retainUntil: view.retainUntil, purgedAt: now.toISOString() });
        report.purged.push({ sessionId: sid, retainUntil: view.retainUntil });
      }
      for (const sid of await this.reviews.listSessionIds()) {
        const record = await this.reviews.get(sid).catch(() => null);
        const until = record === null || record.problems.length > 0 ? null : this.recordKeptUntil(record);
        if (until === null) {
          if (record === null || record.problems.length > 0) report.problems.push(`The review record of session ${sid} was kept: it does not read whole, so when it last changed is unknown.`);
          continue;
        }
        if (!isExpired(until, now)) {
          report.recordsKept += 1;
          continue;
        }
        if (!report.dryRun) await this.deleteRecordLocked(sid, 'record.purged', { retainUntil: until, purgedAt: now.toISOString() });
        report.recordsPurged.push({ sessionId: sid, retainUntil: until });
      }
      return report;
    };
    return opts.dryRun ? run() : this.section(run);
  }

  /** Until when a review record is kept: its last change plus the record retention (null when no version reads). */
  recordKeptUntil(record: ReviewRecord): string | null {
    const last = record.versions.at(-1)?.savedAt;
    return last === undefined ? null : recordRetainUntil(last, this.recordRetentionDays);
  }

  // ---- internals ----

  private viewOf(record: RetentionRecord): RetentionView {
    return {
      sessionId: record.sessionId,
      firstFetchedAt: record.firstFetchedAt,
      retainUntil: retainUntilOf(record, this.retentionDays),
      overridden: record.retainUntilOverride !== null,
    };
  }

  private retentionPath(sid: string): string {
    return join(evidenceDir(this.dataDir, sid), RETENTION_FILE);
  }

  async readRetention(sessionId: string): Promise<RetentionRecord | null> {
    const sid = assertYotiId(sessionId, 'session ID');
    const what = `the retention record of session ${sid}`;
    const file = await readIfExists(this.retentionPath(sid), 'RETENTION_DAMAGED', what);
    if (file === null) return null;
    const r = openJson(this.reviewKey, file, retentionAad(sid), RetentionSchema, 'RETENTION_DAMAGED', what);
    if (r.sessionId !== sid) throw new LocalError('RETENTION_DAMAGED', `The retention record of session ${sid} is damaged: it belongs to another session.`);
    return r;
  }

  /** The session JSON file exists (intact or not). */
  private async hasSessionFile(sid: string): Promise<boolean> {
    try {
      return (await stat(join(evidenceDir(this.dataDir, sid), 'session.idvc'))).isFile();
    } catch {
      return false;
    }
  }

  /** The manifest of what is stored, each item decrypted and hashed (damaged items left out, named in problems). */
  async storedManifest(sessionId: string): Promise<StoredManifest> {
    const sid = assertYotiId(sessionId, 'session ID');
    const problems: string[] = [];
    const damagedMediaIds: string[] = [];
    const items: ManifestItem[] = [];
    let files = 0;
    for (const entry of await this.sessions.listMedia(sid)) {
      files += 1;
      if (isDamaged(entry)) {
        problems.push(entry.message);
        if (entry.mediaId) damagedMediaIds.push(entry.mediaId);
        continue;
      }
      try {
        const loaded = await this.sessions.loadMedia(sid, entry.mediaId);
        if (loaded) items.push(itemOf(loaded.meta));
      } catch (err) {
        problems.push(err instanceof Error ? err.message : String(err));
        damagedMediaIds.push(entry.mediaId);
      }
    }
    let session: { sha256: string; size: number } | null = null;
    try {
      const loaded = await this.sessions.loadSession(sid);
      if (loaded) {
        files += 1;
        session = { sha256: loaded.meta.sha256, size: loaded.meta.size };
      }
    } catch (err) {
      files += 1;
      problems.unshift(err instanceof Error ? err.message : String(err));
    }
    return { manifest: session === null ? null : buildManifest(sid, session, items), problems, damagedMediaIds, files };
  }

  /** Deletes a session's evidence folder as one audited step, keeping its record (the lock is held). */
  private async deleteEvidenceLocked(sid: string, type: 'session.deleted' | 'session.purged', extra: JsonObject): Promise<void> {
    const stored = await this.storedManifest(sid).catch(() => null);
    const versions = (await this.reviews.versionSeqs(sid)).length;
    const data = { ...extra, manifestHash: stored?.manifest?.manifestHash ?? null, reviewVersions: versions, recordKept: true };
    await this.audit.appendLocked(type, sid, data, { intent: true });
    await this.sessions.deleteSession(sid);
    await this.seen.forgetLocked(sid).catch(() => undefined);
    await this.audit.anchorLocked().catch(() => undefined);
  }

  /** Deletes a session's review record as one audited step (the lock is held). */
  private async deleteRecordLocked(sid: string, type: 'record.deleted' | 'record.purged', extra: JsonObject): Promise<void> {
    const versions = (await this.reviews.versionSeqs(sid)).length;
    await this.audit.appendLocked(type, sid, { ...extra, reviewVersions: versions }, { intent: true });
    await this.reviews.deleteLocked(sid);
    await this.audit.anchorLocked().catch(() => undefined);
  }

  /** Moves a store from before records were kept apart (store/layout.ts), announced first (lock held). */
  private async migrateLayoutLocked(): Promise<void> {
    await migrateLegacyLayout(this.fs, this.dataDir, async (plan) => {
      await this.audit.appendLocked('store.migrated', null, { from: 'cache', sessions: plan.sessions, records: plan.records }, { intent: true });
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
      case 'session.deleted':
      case 'session.purged':
        await this.sessions.deleteSession(sid);
        await this.seen.forgetLocked(sid).catch(() => undefined);
        // Announced before records were kept apart: the record went with the evidence.
        if (entry.data.recordKept !== true) await this.reviews.deleteLocked(sid);
        return;
      case 'record.deleted':
      case 'record.purged':
        await this.reviews.deleteLocked(sid);
        return;
      case 'media.deleted':
        if (typeof entry.data.mediaId === 'string') await this.sessions.deleteMedia(sid, entry.data.mediaId);
        return;
      case 'retention.set': {
        const first = entry.data.firstFetchedAt;
        const until = entry.data.retainUntil;
        if (typeof first !== 'string') return;
        const record: RetentionRecord = { v: 1, sessionId: sid, firstFetchedAt: first, retainUntilOverride: typeof until === 'string' ? until : null };
        await sweepTemps(this.fs, evidenceDir(this.dataDir, sid));
        await this.sessions.commitStaged([await stageFile(this.fs, this.retentionPath(sid), sealJson(this.reviewKey, record, retentionAad(sid)))]);
        return;
      }
      case 'session.fetched':
        await this.reconcileFetchLocked(sid, entry);
        return;
      default:
        return;
    }
  }

  private async reconcileFetchLocked(sid: string, entry: AuditEntry): Promise<void> {
    const dir = evidenceDir(this.dataDir, sid);
    await sweepTemps(this.fs, dir);
    const intended = manifestFromJson(sid, entry.data.manifest);
    const stored = await this.storedManifest(sid);
    if (stored.manifest === null) {
      // Nothing reached its place (the session file is moved first).
      await this.audit.appendLocked('op.aborted', sid, { ref: entry.seq, reason: 'the fetched files were not moved into place' }, { anchor: false });
      await rmdir(dir).catch(() => undefined); // only if empty
      return;
    }
    const first = entry.data.firstFetchedAt;
    if (typeof first === 'string' && (await this.readRetention(sid).catch(() => 'damaged' as const)) === null) {
      const record: RetentionRecord = { v: 1, sessionId: sid, firstFetchedAt: first, retainUntilOverride: null };
      await this.sessions.commitStaged([await stageFile(this.fs, this.retentionPath(sid), sealJson(this.reviewKey, record, retentionAad(sid)))]);
    }
    if (intended !== null && intended.manifestHash === stored.manifest.manifestHash) return; // it completed
    await this.audit.appendLocked(
      'op.recovered',
      sid,
      { ref: entry.seq, reason: 'the fetch was interrupted: recorded what is stored (each file whole, old or new)', manifest: manifestToJson(stored.manifest) },
      { anchor: false },
    );
  }
}

function itemOf(meta: MediaMeta): ManifestItem {
  return meta.noContent
    ? { mediaId: meta.mediaId, sha256: null, size: 0, mimeType: null, noContent: true }
    : { mediaId: meta.mediaId, sha256: meta.sha256, size: meta.size, mimeType: meta.mimeType, noContent: false };
}

const sha256 = (data: Uint8Array): string => sha256Hex(data);

export type { ReviewVersion };

function readOnly(): LocalError {
  return new LocalError('READ_ONLY', 'This store was opened only to be checked: nothing can be changed through it.');
}

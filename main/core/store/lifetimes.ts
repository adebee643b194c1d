import { LocalError } from '../../../common/errors';
import type { EvidenceDeletion } from '../../../common/review/evidence-deletion';
import { assertYotiId } from '../../../common/yoti-ids';
import type { AuditEntry } from '../audit/audit-log';
import type { JsonObject } from '../audit/canonical';
import { buildManifest, manifestFromJson, manifestToJson, type EvidenceManifest } from '../audit/manifest';
import { isExpired, recordRetainUntil, type RetentionRecord } from '../retention/retention';
import { sweepTemps, type ReviewRecord } from '../review/review-store';
import type { EvidenceFiles } from './evidence-files';
import { evidenceDir, migrateLegacyLayout } from './layout';
import type { RetentionFiles, RetentionView } from './retention-files';
import type { StoreCore } from './store-core';

/**
 * The two lifetimes (store/layout.ts): deleting evidence (at Yoti, locally, by the purge) keeps the
 * record; deleting a record is its own step; retain-until and the purge of each; and the one-time move
 * of a store from before they were kept apart. Each deletion is one audited step.
 */

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

/** A session whose evidence was deleted, as the audit log keeps it (Lifetimes.deletedEvidence). */
export interface DeletedEvidence {
  deletion: EvidenceDeletion;
  /** The last fetch before the deletion (null when the log has none, as after a migration). */
  fetched: { at: string; apiUrl?: string; sdkId?: string } | null;
  manifest: EvidenceManifest | null;
}

export class Lifetimes {
  constructor(
    private readonly core: StoreCore,
    private readonly evidence: EvidenceFiles,
    private readonly retention: RetentionFiles,
  ) {}

  /** The latest deletion of a session's evidence the audit log records (null when none, or fetched again since). */
  async evidenceDeletion(sessionId: string): Promise<EvidenceDeletion | null> {
    const sid = assertYotiId(sessionId, 'session ID');
    const entries = await this.core.audit.entries({ sessionId: sid });
    const deleted = entries[latestDeletionIndex(entries)];
    return deleted === undefined ? null : deletionOf(deleted);
  }

  /**
   * Media of a session this console deleted at Yoti (media id → when), from the log. Yoti may keep
   * listing such an item in the session JSON; fetching it again can only 404.
   */
  async mediaDeletedAtYoti(sessionId: string): Promise<Map<string, string>> {
    const sid = assertYotiId(sessionId, 'session ID');
    const out = new Map<string, string>();
    for (const e of await this.core.audit.entries({ sessionId: sid })) {
      if (e.type === 'media.deleted' && e.data.scope === 'at-yoti' && typeof e.data.mediaId === 'string') out.set(e.data.mediaId, e.at);
    }
    return out;
  }

  /**
   * What the log keeps of a session whose evidence was deleted: the deletion, where the evidence was
   * fetched from, and the manifest the decision rested on (`decidedOn`; else the last one recorded
   * before the deletion), each item with its hash. Null when the evidence was not deleted.
   */
  async deletedEvidence(sessionId: string, decidedOn?: string): Promise<DeletedEvidence | null> {
    const sid = assertYotiId(sessionId, 'session ID');
    const entries = await this.core.audit.entries({ sessionId: sid });
    const at = latestDeletionIndex(entries);
    const deleted = entries[at];
    if (deleted === undefined) return null;
    const before = entries.slice(0, at);
    const fetch = before.filter((e) => e.type === 'session.fetched').at(-1);
    const manifests = before.flatMap((e) => {
      const m = e.data.manifest === undefined || e.data.manifest === null ? null : manifestFromJson(sid, e.data.manifest);
      return m === null ? [] : [m];
    });
    const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
    return {
      deletion: deletionOf(deleted),
      fetched: fetch === undefined ? null : { at: fetch.at, apiUrl: text(fetch.data.apiUrl), sdkId: text(fetch.data.sdkId) },
      manifest: manifests.find((m) => m.manifestHash === decidedOn) ?? manifests.at(-1) ?? null,
    };
  }

  /**
   * Deletes a session's evidence (session JSON, media, its retention, seen-before entry); its review
   * record, with the manifest of every decision, and the audit log stay. True if anything was there.
   */
  async deleteSessionLocally(sessionId: string, scope: 'local-only' | 'at-yoti'): Promise<boolean> {
    const sid = assertYotiId(sessionId, 'session ID');
    return this.core.section(async () => {
      if (!(await this.core.sessions.listSessionIds()).includes(sid)) return false;
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
    return this.core.section(async () => {
      const hadEvidence = (await this.core.sessions.listSessionIds()).includes(sid);
      if (hadEvidence) await this.deleteEvidenceLocked(sid, 'session.deleted', { scope: 'with-record' });
      if (!(await this.core.reviews.listSessionIds()).includes(sid)) return hadEvidence;
      await this.deleteRecordLocked(sid, 'record.deleted', {});
      return true;
    });
  }

  /** Deletes one media item locally, recording the resulting manifest; true if it was there. */
  async deleteMediaLocally(sessionId: string, mediaId: string, scope: 'local-only' | 'at-yoti'): Promise<boolean> {
    const sid = assertYotiId(sessionId, 'session ID');
    const mid = assertYotiId(mediaId, 'media ID');
    return this.core.section(async () => {
      const listed = await this.core.sessions.listMedia(sid);
      if (!listed.some((m) => m.mediaId === mid)) return false;
      const stored = await this.evidence.storedManifest(sid);
      const data: JsonObject = { mediaId: mid, scope };
      if (stored.manifest !== null) {
        const rest = stored.manifest.media.filter((m) => m.mediaId !== mid);
        data.manifest = manifestToJson(buildManifest(sid, stored.manifest.session, rest));
      }
      await this.core.audit.appendLocked('media.deleted', sid, data, { intent: true });
      await this.core.sessions.deleteMedia(sid, mid);
      await this.core.audit.anchorLocked().catch(() => undefined);
      return true;
    });
  }

  /** Sets (or, with null, clears) a session's own retain-until (ISO 8601). */
  async setRetainUntil(sessionId: string, retainUntil: string | null): Promise<RetentionView> {
    const sid = assertYotiId(sessionId, 'session ID');
    if (retainUntil !== null && Number.isNaN(Date.parse(retainUntil))) throw new RangeError('retainUntil must be an ISO 8601 timestamp');
    return this.core.section(async () => {
      const current = await this.retention.retention(sid);
      if (current === null) throw new LocalError('SESSION_NOT_CACHED', `Session ${sid} is not in the local store.`);
      const record: RetentionRecord = { v: 1, sessionId: sid, firstFetchedAt: current.firstFetchedAt, retainUntilOverride: retainUntil };
      const staged = await this.retention.stage(record);
      try {
        await this.core.audit.appendLocked('retention.set', sid, { retainUntil, firstFetchedAt: record.firstFetchedAt }, { intent: true });
      } catch (err) {
        await this.core.fs.unlink(staged.temp).catch(() => undefined);
        throw err;
      }
      await this.core.sessions.commitStaged([staged]);
      await this.core.audit.anchorLocked().catch(() => undefined);
      return this.retention.viewOf(record);
    });
  }

  /**
   * Deletes the evidence of every session past its retain-until at `now`, and every review record
   * past its record retention (the app calls this at start-up), saying what it deleted; with dryRun,
   * only says what it would delete.
   */
  async purgeExpired(now: Date = this.core.now(), opts: { dryRun?: boolean } = {}): Promise<PurgeReport> {
    const run = async (): Promise<PurgeReport> => {
      const report: PurgeReport = { dryRun: opts.dryRun === true, purged: [], kept: 0, recordsPurged: [], recordsKept: 0, problems: [] };
      for (const sid of await this.core.sessions.listSessionIds()) {
        let view: RetentionView | null;
        try {
          view = await this.retention.retention(sid);
        } catch (err) {
          report.problems.push(`Session ${sid} was kept: its retain-until cannot be read (${err instanceof Error ? err.message : String(err)})`);
          continue;
        }
        if (view === null) {
          if ((await this.core.sessions.listMedia(sid)).length > 0) {
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
      for (const sid of await this.core.reviews.listSessionIds()) {
        const record = await this.core.reviews.get(sid).catch(() => null);
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
    return opts.dryRun ? run() : this.core.section(run);
  }

  /** Until when a review record is kept: its last change plus the record retention (null when no version reads). */
  recordKeptUntil(record: ReviewRecord): string | null {
    const last = record.versions.at(-1)?.savedAt;
    return last === undefined ? null : recordRetainUntil(last, this.core.recordRetentionDays);
  }

  /** Deletes a session's evidence folder as one audited step, keeping its record (the lock is held). */
  private async deleteEvidenceLocked(sid: string, type: 'session.deleted' | 'session.purged', extra: JsonObject): Promise<void> {
    const stored = await this.evidence.storedManifest(sid).catch(() => null);
    const versions = (await this.core.reviews.versionSeqs(sid)).length;
    const data = { ...extra, manifestHash: stored?.manifest?.manifestHash ?? null, reviewVersions: versions, recordKept: true };
    await this.core.audit.appendLocked(type, sid, data, { intent: true });
    await this.core.sessions.deleteSession(sid);
    await this.core.seen.forgetLocked(sid).catch(() => undefined);
    await this.core.audit.anchorLocked().catch(() => undefined);
  }

  /** Deletes a session's review record as one audited step (the lock is held). */
  private async deleteRecordLocked(sid: string, type: 'record.deleted' | 'record.purged', extra: JsonObject): Promise<void> {
    const versions = (await this.core.reviews.versionSeqs(sid)).length;
    await this.core.audit.appendLocked(type, sid, { ...extra, reviewVersions: versions }, { intent: true });
    await this.core.reviews.deleteLocked(sid);
    await this.core.audit.anchorLocked().catch(() => undefined);
  }

  /** Moves a store from before records were kept apart (store/layout.ts), announced first (lock held). */
  async migrateLayoutLocked(): Promise<void> {
    await migrateLegacyLayout(this.core.fs, this.core.dataDir, async (plan) => {
      await this.core.audit.appendLocked('store.migrated', null, { from: 'cache', sessions: plan.sessions, records: plan.records }, { intent: true });
    });
  }

  /** Finishes a deletion or retention change a crash interrupted (lock held); other entries need nothing here. */
  async reconcileLocked(entry: AuditEntry & { sessionId: string }): Promise<void> {
    const sid = entry.sessionId;
    switch (entry.type) {
      case 'session.deleted':
      case 'session.purged':
        await this.core.sessions.deleteSession(sid);
        await this.core.seen.forgetLocked(sid).catch(() => undefined);
        // Announced before records were kept apart: the record went with the evidence.
        if (entry.data.recordKept !== true) await this.core.reviews.deleteLocked(sid);
        return;
      case 'record.deleted':
      case 'record.purged':
        await this.core.reviews.deleteLocked(sid);
        return;
      case 'media.deleted':
        if (typeof entry.data.mediaId === 'string') await this.core.sessions.deleteMedia(sid, entry.data.mediaId);
        return;
      case 'retention.set': {
        const first = entry.data.firstFetchedAt;
        const until = entry.data.retainUntil;
        if (typeof first !== 'string') return;
        const record: RetentionRecord = { v: 1, sessionId: sid, firstFetchedAt: first, retainUntilOverride: typeof until === 'string' ? until : null };
        await sweepTemps(this.core.fs, evidenceDir(this.core.dataDir, sid));
        await this.core.sessions.commitStaged([await this.retention.stage(record)]);
        return;
      }
      default:
        return;
    }
  }
}

/** The index of the latest evidence deletion not followed by a fetch; -1 when none. */
function latestDeletionIndex(entries: readonly AuditEntry[]): number {
  let found = -1;
  entries.forEach((e, i) => {
    if (e.type === 'session.fetched') found = -1;
    else if (e.type === 'session.deleted' || e.type === 'session.purged') found = i;
  });
  return found;
}

function deletionOf(e: AuditEntry): EvidenceDeletion {
  const how = e.type === 'session.purged' ? 'purged' : e.data.scope === 'at-yoti' ? 'at-yoti' : 'local-only';
  return { at: e.at, how, by: e.who.name ?? e.who.osAccount, seq: e.seq };
}

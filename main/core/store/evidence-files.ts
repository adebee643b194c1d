import { rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError, LocalError } from '../../../common/errors';
import { parseSession } from '../../../common/session/parse';
import { assertYotiId } from '../../../common/yoti-ids';
import type { AuditEntry } from '../audit/audit-log';
import type { JsonObject } from '../audit/canonical';
import { buildManifest, manifestFromJson, manifestToJson, sha256Hex, type EvidenceManifest, type ManifestItem } from '../audit/manifest';
import type { StoredManifest, VerifiedEvidence } from '../audit/verify';
import type { RetentionRecord } from '../retention/retention';
import { sweepTemps } from '../review/review-store';
import type { StagedFile } from './atomic';
import { evidenceDir } from './layout';
import type { MediaReads } from './media-reads';
import type { RetentionFiles } from './retention-files';
import { isDamaged, type MediaListEntry, type MediaMeta, type SessionMeta, type StagedMedia } from './session-store';
import type { StoreCore } from './store-core';

/**
 * A session's evidence in the store: what is stored (each item decrypted and checked), the manifest
 * of it, and the fetch written as one audited step (stage, announce, move into place, anchor), with
 * the reconciliation of a fetch a crash interrupted.
 */

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
  /** Content arrives staged (SessionStore.stageMedia, as each item was downloaded): the commit holds no media bytes. */
  media: ReadonlyArray<{ mediaId: string; status: 'ok'; staged: StagedMedia } | { mediaId: string; status: 'no-content' }>;
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

export class EvidenceFiles {
  constructor(
    private readonly core: StoreCore,
    private readonly retention: RetentionFiles,
  ) {}

  /** What is cached for a session, every item decrypted and checked. Reads only. */
  async inspect(sessionId: string): Promise<CachedSessionState> {
    const sid = assertYotiId(sessionId, 'session ID');
    const media = new Map<string, 'intact' | 'no-content' | 'damaged'>();
    for (const entry of await this.core.sessions.listMedia(sid)) {
      if (isDamaged(entry)) {
        if (entry.mediaId) media.set(entry.mediaId, 'damaged');
        continue;
      }
      try {
        const loaded = await this.core.sessions.loadMedia(sid, entry.mediaId);
        if (loaded !== null) media.set(entry.mediaId, 'noContent' in loaded ? 'no-content' : 'intact');
      } catch {
        media.set(entry.mediaId, 'damaged');
      }
    }
    try {
      const loaded = await this.core.sessions.loadSession(sid);
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

  /**
   * The stored media of a session, each payload decrypted and checked (through `reads` when the caller
   * keeps what verified for its integrity check): a damaged one is a DamagedEntry.
   */
  async listMediaVerified(sessionId: string, reads?: MediaReads): Promise<MediaListEntry[]> {
    const sid = assertYotiId(sessionId, 'session ID');
    const out: MediaListEntry[] = [];
    for (const entry of await this.core.sessions.listMedia(sid)) {
      if (isDamaged(entry)) {
        out.push(entry);
        continue;
      }
      try {
        await (reads === undefined ? this.core.sessions.loadMedia(sid, entry.mediaId) : reads.item(entry.mediaId));
        out.push(entry);
      } catch (err) {
        const code = err instanceof AppError ? err.code : 'CACHE_UNREADABLE';
        out.push({ damaged: true, sessionId: sid, mediaId: entry.mediaId, code, message: err instanceof Error ? err.message : String(err) });
      }
    }
    return out;
  }

  /** Writes what a fetch brought as one audited step (see offline-store.ts: stage, announce, move into place, anchor). */
  async commitFetch(input: FetchCommit): Promise<FetchCommitResult> {
    const sid = assertYotiId(input.sessionId, 'session ID');
    return this.core.section(async () => {
      const staged: StagedFile[] = [];
      try {
        let session: { sha256: string; size: number };
        if (input.body !== null) {
          staged.push(await this.core.sessions.stageSession(sid, input.body, { apiUrl: input.apiUrl, fetchedAt: input.fetchedAt, sdkId: input.sdkId }));
          session = { sha256: sha256(input.body), size: input.body.length };
        } else {
          const cached = await this.core.sessions.loadSession(sid);
          if (cached === null) throw new LocalError('SESSION_NOT_CACHED', `Session ${sid} is not in the local store.`);
          session = { sha256: cached.meta.sha256, size: cached.meta.size };
        }
        // What stays: every intact item not replaced now.
        const items = new Map<string, ManifestItem>();
        const intactContent = new Set<string>();
        for (const entry of await this.core.sessions.listMedia(sid)) {
          if (isDamaged(entry)) continue;
          try {
            const loaded = await this.core.sessions.loadMedia(sid, entry.mediaId);
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
            const item = m.staged;
            if (item.sessionId !== sid || item.mediaId !== mid || item.apiUrl !== input.apiUrl || item.fetchedAt !== input.fetchedAt) {
              throw new RangeError(`media ${mid} was staged for another fetch`);
            }
            staged.push(...(await this.core.sessions.adoptStaged(item)));
            items.set(mid, { mediaId: mid, sha256: item.sha256, size: item.size, mimeType: item.mimeType, noContent: false });
            written.push(mid);
          } else if (intactContent.has(mid)) {
            keptLocalCopy.push(mid); // Yoti no longer has it: our copy is the evidence
          } else {
            staged.push(await this.core.sessions.stageNoContent(sid, mid, { apiUrl: input.apiUrl, fetchedAt: input.fetchedAt }));
            items.set(mid, { mediaId: mid, sha256: null, size: 0, mimeType: null, noContent: true });
            written.push(mid);
          }
        }
        const firstFetch = (await this.retention.readRetention(sid).catch(() => 'damaged' as const)) === null;
        if (firstFetch) {
          const record: RetentionRecord = { v: 1, sessionId: sid, firstFetchedAt: input.fetchedAt, retainUntilOverride: null };
          staged.push(await this.retention.stage(record));
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
        await this.core.audit.appendLocked('session.fetched', sid, data, { intent: true });
        // The session file first: after a crash, no media is ever in place without its session.
        await this.core.sessions.commitStaged(staged);
        staged.length = 0;
        for (const m of input.media) if (m.status === 'ok') await this.core.sessions.removeStaleDerived(m.staged).catch(() => undefined);
        await this.core.audit.anchorLocked().catch(() => undefined);
        return { manifest, written, keptLocalCopy, firstFetch };
      } finally {
        if (staged.length > 0) await this.core.sessions.discardStaged(staged);
      }
    });
  }

  /**
   * The evidence manifest of what is stored now, and whether it matches what the audit log records.
   * `verified`: what the caller decrypted and checked in the same call (storedManifest).
   */
  async evidenceManifest(sessionId: string, verified?: VerifiedEvidence): Promise<ManifestReport> {
    const sid = assertYotiId(sessionId, 'session ID');
    const stored = await this.storedManifest(sid, verified);
    const entries = await this.core.audit.entries({ sessionId: sid });
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

  /**
   * The manifest of what is stored, each item decrypted and hashed (damaged items left out, named in
   * problems). What is in `verified` the caller decrypted and checked in the same call: taken as it
   * is (a media item only while its file is still there).
   */
  async storedManifest(sessionId: string, verified?: VerifiedEvidence): Promise<StoredManifest> {
    const sid = assertYotiId(sessionId, 'session ID');
    const problems: string[] = [];
    const damagedMediaIds: string[] = [];
    const items: ManifestItem[] = [];
    let files = 0;
    for (const entry of await this.core.sessions.listMedia(sid, verified?.media)) {
      files += 1;
      if (isDamaged(entry)) {
        problems.push(entry.message);
        if (entry.mediaId) damagedMediaIds.push(entry.mediaId);
        continue;
      }
      if (verified?.media.has(entry.mediaId) === true) {
        items.push(itemOf(entry));
        continue;
      }
      try {
        const loaded = await this.core.sessions.loadMedia(sid, entry.mediaId);
        if (loaded) items.push(itemOf(loaded.meta));
      } catch (err) {
        problems.push(err instanceof Error ? err.message : String(err));
        damagedMediaIds.push(entry.mediaId);
      }
    }
    let session: { sha256: string; size: number } | null = null;
    try {
      const meta = verified?.session ?? (await this.core.sessions.loadSession(sid))?.meta;
      if (meta) {
        files += 1;
        session = { sha256: meta.sha256, size: meta.size };
      }
    } catch (err) {
      files += 1;
      problems.unshift(err instanceof Error ? err.message : String(err));
    }
    return { manifest: session === null ? null : buildManifest(sid, session, items), problems, damagedMediaIds, files };
  }

  /** The session JSON file exists (intact or not). */
  async hasSessionFile(sid: string): Promise<boolean> {
    try {
      return (await stat(join(evidenceDir(this.core.dataDir, sid), 'session.idvc'))).isFile();
    } catch {
      return false;
    }
  }

  async reconcileFetchLocked(sid: string, entry: AuditEntry): Promise<void> {
    const dir = evidenceDir(this.core.dataDir, sid);
    await sweepTemps(this.core.fs, dir);
    const intended = manifestFromJson(sid, entry.data.manifest);
    const stored = await this.storedManifest(sid);
    if (stored.manifest === null) {
      // Nothing reached its place (the session file is moved first).
      await this.core.audit.appendLocked('op.aborted', sid, { ref: entry.seq, reason: 'the fetched files were not moved into place' }, { anchor: false });
      await rmdir(dir).catch(() => undefined); // only if empty
      return;
    }
    const first = entry.data.firstFetchedAt;
    if (typeof first === 'string' && (await this.retention.readRetention(sid).catch(() => 'damaged' as const)) === null) {
      const record: RetentionRecord = { v: 1, sessionId: sid, firstFetchedAt: first, retainUntilOverride: null };
      await this.core.sessions.commitStaged([await this.retention.stage(record)]);
    }
    if (intended !== null && intended.manifestHash === stored.manifest.manifestHash) return; // it completed
    await this.core.audit.appendLocked(
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

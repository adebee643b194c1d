import type { AppError } from '../../../common/errors';
import type { OfflineStore } from '../store/offline-store';
import { listMedia } from '../../../common/session/media';
import { parseSession } from '../../../common/session/parse';
import type { FetchCommit } from '../store/evidence-files';
import { stagedFiles, type StagedMedia } from '../store/session-store';
import { maxSessionMediaBytes } from '../settings';
import { ResponseError } from '../yoti/api-errors';
import type { IdvClient } from '../yoti/client';

export interface FetchProgress {
  sessionId: string;
  done: number;
  total: number;
}

export interface FetchOutcome {
  sessionId: string;
  state: string | undefined;
  mediaTotal: number;
  /** Media items written with content now. */
  mediaSaved: number;
  /** Yoti answered 204: the item exists but has no content (yet, or any more). */
  mediaNoContent: number;
  mediaFailed: Array<{ mediaId: string; code: string; message: string }>;
  bytes: number;
  /** Parts of the session JSON that could not be read and were left out. */
  problems: number;
  /** The session was COMPLETED (or EXPIRED) and cached: it was kept (only missing or damaged media were fetched). */
  keptCached?: boolean;
  /** The cached copy was replaced by Yoti's current one. */
  refreshed?: boolean;
  /** Media that were missing or damaged locally and were fetched again. */
  repaired?: string[];
  /** Yoti had no content for these any more; the intact local copy was kept. */
  keptLocalCopy?: string[];
  /** The evidence manifest hash after the fetch (undefined when nothing was written). */
  manifestHash?: string;
  /** Media this console deleted at Yoti that the session still lists (media id → when): not asked for again. */
  deletedAtYoti?: Array<{ mediaId: string; at: string }>;
}

const MIB = 1024 * 1024;

/** Yoti's states after which a session no longer changes. */
const FINAL_STATES = new Set(['COMPLETED', 'EXPIRED']);

/**
 * Retrieves one session and the media it references into the offline store.
 *
 * - Not cached, or cached and still changing (ONGOING, or any state but COMPLETED/EXPIRED), or
 *   `force`: the session JSON and every media item are fetched again and replace the local copy.
 * - Cached and COMPLETED (or EXPIRED): kept as it is; only media that are missing or damaged locally
 *   are fetched (a damaged item is replaced, never a reason to fail).
 * - A media item Yoti no longer has (204) never replaces an intact local copy.
 *
 * Each media item is sealed and staged (written and fsynced under a temporary name, not in place) as
 * soon as it arrives, while the others are still downloading (SessionStore.stageMedia), and its bytes
 * are let go: memory is bounded by the downloads in flight (the client's mediaConcurrency), not by
 * the session. The media of one session may not exceed `maxMediaBytes` together: past it the fetch
 * stops starting downloads and fails in words. Once all have arrived, everything is committed as one
 * audited step (OfflineStore.commitFetch), which only moves the staged files into place. So the
 * network is never waited on while holding the store lock, and a fetch is all or nothing: nothing is
 * visible before the commit, and a fetch that fails before it leaves the store as it was (its staged
 * files removed; a process killed meanwhile leaves only encrypted temporary files, which readers
 * skip). The review record is untouched.
 */

export interface FetchSessionToStoreOptions {
  client: IdvClient;
  store: OfflineStore;
  sessionId: string;
  sdkId: string;
  apiUrl: string;
  /** Fetch a cached COMPLETED session again. */
  force?: boolean;
  /** The most media bytes one session may bring: maxSessionMediaBytes(settings). */
  maxMediaBytes?: number;
  now?: () => Date;
  onProgress?: (p: FetchProgress) => void;
}

export async function fetchSessionToStore(opts: FetchSessionToStoreOptions): Promise<FetchOutcome> {
  const { client, store, sessionId } = opts;
  const stamp = () => (opts.now ?? (() => new Date()))().toISOString();
  const local = await store.inspect(sessionId);
  const keep = !opts.force && local.session !== null && local.session.state !== undefined && FINAL_STATES.has(local.session.state);

  let body: Buffer;
  if (keep && local.session) body = local.session.body;
  else body = (await client.getSession(sessionId)).body;
  const { session, problems } = parseSession(body);

  // What this console deleted at Yoti can only 404 now, however long Yoti keeps listing it.
  const gone = await store.mediaDeletedAtYoti(sessionId);
  const all = listMedia(session);
  const listed = all.filter((m) => m.mediaId && m.fetchable && !gone.has(m.mediaId));
  const mediaIds = [...new Set(listed.map((m) => m.mediaId!))];
  const sessionTypes = new Map(listed.flatMap((m) => (m.mediaType === undefined ? [] : [[m.mediaId!, m.mediaType] as const])));
  const needed = keep ? mediaIds.filter((id) => local.media.get(id) === undefined || local.media.get(id) === 'damaged') : mediaIds;
  /** Locally damaged, or (for a kept session) missing: what a write now repairs. */
  const wasBad = (id: string): boolean => local.media.get(id) === 'damaged' || (keep && local.media.get(id) === undefined);
  const outcome: FetchOutcome = {
    sessionId,
    state: session.state,
    mediaTotal: mediaIds.length,
    mediaSaved: 0,
    mediaNoContent: 0,
    mediaFailed: [],
    bytes: keep ? 0 : body.length,
    problems: problems.length,
    keptCached: keep,
    refreshed: !keep && local.session !== null,
    repaired: [],
    keptLocalCopy: [],
  };
  const stillListed = all.flatMap((m) => (m.mediaId !== undefined && gone.has(m.mediaId) ? [m.mediaId] : []));
  if (stillListed.length > 0) outcome.deletedAtYoti = [...new Set(stillListed)].map((mediaId) => ({ mediaId, at: gone.get(mediaId)! }));
  if (keep && needed.length === 0) return outcome;

  opts.onProgress?.({ sessionId, done: 0, total: needed.length });
  // One time for the whole fetch: the files staged as items arrive and the commit must agree on it.
  const fetchedAt = stamp();
  const cap = opts.maxMediaBytes ?? maxSessionMediaBytes({});
  const staged: StagedMedia[] = [];
  /** Items that brought no content: Yoti had none (204), or the download failed. */
  const empty = new Map<string, { status: 'no-content' } | { status: 'error'; error: AppError }>();
  const tooLarge = new AbortController();
  try {
    await client.forEachMedia(sessionId, needed, {
      signal: tooLarge.signal,
      sessionTypes,
      onProgress: (done, total) => opts.onProgress?.({ sessionId, done, total }),
      onItem: async (mediaId, result) => {
        if (result.status !== 'ok') {
          empty.set(mediaId, result);
          return;
        }
        outcome.bytes += result.content.bytes.length;
        if (outcome.bytes - (keep ? 0 : body.length) > cap) {
          tooLarge.abort();
          return;
        }
        staged.push(await store.sessions.stageMedia(sessionId, mediaId, result.content.bytes, { mimeType: result.content.mimeType, apiUrl: opts.apiUrl, fetchedAt }));
      },
    });
    if (tooLarge.signal.aborted) {
      throw new ResponseError(
        'SESSION_TOO_LARGE',
        `The media of session ${sessionId} exceed ${Math.round(cap / MIB)} MiB (settings.maxSessionMediaMiB): the fetch was stopped and nothing of it was kept. ` +
          'Raise the limit in the settings if a session this large is expected.',
      );
    }
    const stagedById = new Map(staged.map((m) => [m.mediaId, m]));
    const media: FetchCommit['media'][number][] = [];
    for (const mediaId of needed) {
      const result = empty.get(mediaId);
      const item = stagedById.get(mediaId);
      if (item !== undefined) {
        media.push({ mediaId, status: 'ok', staged: item });
        outcome.mediaSaved += 1;
      } else if (result?.status === 'no-content') {
        media.push({ mediaId, status: 'no-content' });
      } else if (result?.status === 'error') {
        outcome.mediaFailed.push({ mediaId, code: result.error.code, message: result.error.message });
      }
    }
    if (keep && media.length === 0) return outcome;
    const committed = await store.commitFetch({
      sessionId,
      sdkId: opts.sdkId,
      apiUrl: opts.apiUrl,
      fetchedAt,
      body: keep ? null : body,
      media,
      forced: opts.force === true,
      refreshed: outcome.refreshed === true,
    });
    outcome.keptLocalCopy = committed.keptLocalCopy;
    outcome.mediaNoContent = media.filter((m) => m.status === 'no-content' && !committed.keptLocalCopy.includes(m.mediaId)).length;
    outcome.repaired = committed.written.filter(wasBad);
    outcome.manifestHash = committed.manifest.manifestHash;
    return outcome;
  } finally {
    // Whatever the commit did not take over (it failed, or never ran): files it moved into place are
    // no longer under their temporary names and are left alone.
    await store.sessions.discardStaged(staged.flatMap(stagedFiles));
  }
}

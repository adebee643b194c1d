import type { AppError } from '../../../common/errors';
import type { OfflineStore } from '../review/offline-store';
import { listMedia } from '../../../common/session/media';
import { parseSession } from '../../../common/session/parse';
import type { StagedFile } from '../store/atomic';
import { SessionStore } from '../store/session-store';
import type { IdvClient, MediaResult } from '../yoti/client';

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
  // The fields below are set by the offline-store path (absent for a bare SessionStore).
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
}

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
 * soon as it arrives, while the others are still downloading (SessionStore.prestageMedia); once all
 * have arrived, everything is committed as one audited step (OfflineStore.commitFetch), which takes
 * the staged files over and only moves them into place. So the network is never waited on while
 * holding the store lock, and a fetch is still all or nothing: nothing is visible before the commit,
 * and a fetch that fails before it leaves the store as it was (its staged files removed; a process
 * killed meanwhile leaves only encrypted temporary files, which readers skip, as a process killed
 * while the commit stages does). The review record is untouched.
 *
 * Given a bare SessionStore instead (callers not moved to the offline store yet), it behaves as it
 * did before the offline store existed, unaudited: the session JSON is written first, then each media
 * item as soon as it arrives (each file atomically), while the others are still downloading.
 */
export async function fetchSessionToStore(opts: FetchSessionToStoreOptions): Promise<FetchOutcome> {
  if (opts.store instanceof SessionStore) return fetchDirect({ ...opts, store: opts.store });
  return fetchAudited({ ...opts, store: opts.store });
}

export interface FetchSessionToStoreOptions {
  client: IdvClient;
  store: OfflineStore | SessionStore;
  sessionId: string;
  sdkId: string;
  apiUrl: string;
  /** Fetch a cached COMPLETED session again (offline store only). */
  force?: boolean;
  now?: () => Date;
  onProgress?: (p: FetchProgress) => void;
}

async function fetchAudited(opts: FetchSessionToStoreOptions & { store: OfflineStore }): Promise<FetchOutcome> {
  const { client, store, sessionId } = opts;
  const stamp = () => (opts.now ?? (() => new Date()))().toISOString();
  const local = await store.inspect(sessionId);
  const keep = !opts.force && local.session !== null && local.session.state !== undefined && FINAL_STATES.has(local.session.state);

  let body: Buffer;
  if (keep && local.session) body = local.session.body;
  else body = (await client.getSession(sessionId)).body;
  const { session, problems } = parseSession(body);

  const mediaIds = [...new Set(listMedia(session).flatMap((m) => (m.mediaId && m.fetchable ? [m.mediaId] : [])))];
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
  if (keep && needed.length === 0) return outcome;

  opts.onProgress?.({ sessionId, done: 0, total: needed.length });
  // One time for the whole fetch: the files staged as items arrive and the commit must agree on it.
  const fetchedAt = stamp();
  const prestaged: Array<Promise<StagedFile | null>> = [];
  const staged = (): Promise<StagedFile[]> => Promise.all(prestaged).then((files) => files.filter((f): f is StagedFile => f !== null));
  try {
    const results: Map<string, MediaResult> =
      needed.length === 0
        ? new Map<string, MediaResult>()
        : await client.fetchAllMedia(
            sessionId,
            needed,
            (done, total) => opts.onProgress?.({ sessionId, done, total }),
            (mediaId, result) => {
              if (result.status !== 'ok') return;
              // Never rejects; an item that could not be staged now is staged by the commit.
              prestaged.push(store.sessions.prestageMedia(sessionId, mediaId, result.content.bytes, { mimeType: result.content.mimeType, apiUrl: opts.apiUrl, fetchedAt }));
            },
          );
    const media: Array<{ mediaId: string; status: 'ok'; bytes: Buffer; mimeType: string } | { mediaId: string; status: 'no-content' }> = [];
    for (const mediaId of needed) {
      const result = results.get(mediaId);
      if (!result) continue;
      if (result.status === 'ok') {
        media.push({ mediaId, status: 'ok', bytes: result.content.bytes, mimeType: result.content.mimeType });
        outcome.mediaSaved += 1;
        outcome.bytes += result.content.bytes.length;
      } else if (result.status === 'no-content') {
        media.push({ mediaId, status: 'no-content' });
      } else {
        const error: AppError = result.error;
        outcome.mediaFailed.push({ mediaId, code: error.code, message: error.message });
      }
    }
    if (keep && media.length === 0) return outcome;
    await staged();
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
    await store.sessions.discardStaged(await staged());
  }
}

/**
 * The pre-offline-store behaviour over a bare SessionStore, unaudited: the session JSON first, then
 * each media item written (atomically) as soon as it arrives, while the others are still downloading.
 * A failed write fails the fetch once the downloads are over (what was written stays, as before).
 */
async function fetchDirect(opts: FetchSessionToStoreOptions & { store: SessionStore }): Promise<FetchOutcome> {
  const { client, store, sessionId } = opts;
  const stamp = () => (opts.now ?? (() => new Date()))().toISOString();
  const { body } = await client.getSession(sessionId);
  const { session, problems } = parseSession(body);
  // Started now, awaited below: the media downloads need not wait for this write.
  const sessionSaved = store.saveSession(sessionId, body, { apiUrl: opts.apiUrl, fetchedAt: stamp(), sdkId: opts.sdkId });
  const writes: Array<Promise<void>> = [];
  let writeError: { error: unknown } | undefined;
  const track = (p: Promise<unknown>): void => {
    writes.push(
      p.then(
        () => undefined,
        (error: unknown) => {
          writeError ??= { error };
        },
      ),
    );
  };
  // A failure of the session write fails the fetch: record it (and never leave it unhandled).
  track(sessionSaved);

  const mediaIds = [...new Set(listMedia(session).flatMap((m) => (m.mediaId && m.fetchable ? [m.mediaId] : [])))];
  const outcome: FetchOutcome = {
    sessionId, state: session.state, mediaTotal: mediaIds.length, mediaSaved: 0, mediaNoContent: 0, mediaFailed: [], bytes: body.length,
    problems: problems.length,
  };
  opts.onProgress?.({ sessionId, done: 0, total: mediaIds.length });
  const results = await client.fetchAllMedia(
    sessionId,
    mediaIds,
    (done, total) => opts.onProgress?.({ sessionId, done, total }),
    (mediaId, result) => {
      // No media file is placed before its session file.
      if (result.status === 'ok') {
        track(sessionSaved.then(() => store.saveMedia(sessionId, mediaId, result.content.bytes, { mimeType: result.content.mimeType, apiUrl: opts.apiUrl, fetchedAt: stamp() })));
      } else if (result.status === 'no-content') {
        track(sessionSaved.then(() => store.markMediaNoContent(sessionId, mediaId, { apiUrl: opts.apiUrl, fetchedAt: stamp() })));
      }
    },
  );
  await Promise.all(writes);
  if (writeError) throw writeError.error;
  for (const mediaId of mediaIds) {
    const result = results.get(mediaId);
    if (!result) continue;
    if (result.status === 'ok') {
      outcome.mediaSaved += 1;
      outcome.bytes += result.content.bytes.length;
    } else if (result.status === 'no-content') {
      outcome.mediaNoContent += 1;
    } else {
      const error: AppError = result.error;
      outcome.mediaFailed.push({ mediaId, code: error.code, message: error.message });
    }
  }
  return outcome;
}

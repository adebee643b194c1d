import type { AppError } from '../errors';
import type { OfflineStore } from '../review/offline-store';
import { listMedia } from '../session/media';
import { parseSession } from '../session/parse';
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
 * Everything is downloaded first; then it is written as one audited step (OfflineStore.commitFetch),
 * so the network is never waited on while holding the store lock. The review record is untouched.
 *
 * Given a bare SessionStore instead (callers not moved to the offline store yet), it behaves as it
 * did before the offline store existed: everything is fetched and written directly, unaudited.
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
  const results: Map<string, MediaResult> =
    needed.length === 0
      ? new Map<string, MediaResult>()
      : await client.fetchAllMedia(sessionId, needed, (done, total) => opts.onProgress?.({ sessionId, done, total }));
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
  const committed = await store.commitFetch({
    sessionId,
    sdkId: opts.sdkId,
    apiUrl: opts.apiUrl,
    fetchedAt: stamp(),
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
}

/** The pre-offline-store behaviour over a bare SessionStore: session JSON first, then every media item, unaudited. */
async function fetchDirect(opts: FetchSessionToStoreOptions & { store: SessionStore }): Promise<FetchOutcome> {
  const { client, store, sessionId } = opts;
  const stamp = () => (opts.now ?? (() => new Date()))().toISOString();
  const { body } = await client.getSession(sessionId);
  const { session, problems } = parseSession(body);
  await store.saveSession(sessionId, body, { apiUrl: opts.apiUrl, fetchedAt: stamp(), sdkId: opts.sdkId });

  const mediaIds = [...new Set(listMedia(session).flatMap((m) => (m.mediaId && m.fetchable ? [m.mediaId] : [])))];
  const outcome: FetchOutcome = {
    sessionId, state: session.state, mediaTotal: mediaIds.length, mediaSaved: 0, mediaNoContent: 0, mediaFailed: [], bytes: body.length,
    problems: problems.length,
  };
  opts.onProgress?.({ sessionId, done: 0, total: mediaIds.length });
  const results = await client.fetchAllMedia(sessionId, mediaIds, (done, total) => opts.onProgress?.({ sessionId, done, total }));
  for (const mediaId of mediaIds) {
    const result = results.get(mediaId);
    if (!result) continue;
    if (result.status === 'ok') {
      await store.saveMedia(sessionId, mediaId, result.content.bytes, {
        mimeType: result.content.mimeType, apiUrl: opts.apiUrl, fetchedAt: stamp(),
      });
      outcome.mediaSaved += 1;
      outcome.bytes += result.content.bytes.length;
    } else if (result.status === 'no-content') {
      await store.markMediaNoContent(sessionId, mediaId, { apiUrl: opts.apiUrl, fetchedAt: stamp() });
      outcome.mediaNoContent += 1;
    } else {
      const error: AppError = result.error;
      outcome.mediaFailed.push({ mediaId, code: error.code, message: error.message });
    }
  }
  return outcome;
}

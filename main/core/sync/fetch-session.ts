import type { AppError } from '../errors';
import { listMedia } from '../session/media';
import { parseSession } from '../session/parse';
import type { SessionStore } from '../store/session-store';
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
  mediaSaved: number;
  /** Yoti answered 204: the item exists but has no content (yet, or any more). */
  mediaNoContent: number;
  mediaFailed: Array<{ mediaId: string; code: string; message: string }>;
  bytes: number;
  /** Parts of the session JSON that could not be read and were left out. */
  problems: number;
}

/**
 * Retrieves one session and every media item it references into the local store. The session JSON
 * is stored first (as received), so a failure on one media item loses nothing else.
 */
export async function fetchSessionToStore(opts: {
  client: IdvClient;
  store: SessionStore;
  sessionId: string;
  sdkId: string;
  apiUrl: string;
  now?: () => Date;
  onProgress?: (p: FetchProgress) => void;
}): Promise<FetchOutcome> {
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

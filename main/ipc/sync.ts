import { AppError } from '../core/errors';
import { listMedia } from '../core/session/media';
import { parseSession } from '../core/session/parse';
import type { SessionStore } from '../core/store/session-store';
import type { FetchReport, FetchRequest, SyncPort } from './ports';

/** Yoti's states after which a session no longer changes. */
const FINAL_STATES: ReadonlySet<string> = new Set(['COMPLETED', 'EXPIRED']);

/**
 * The default sync port: writes straight into the encrypted SessionStore, session JSON first (so a
 * failure on one media item loses nothing else), then each media item. A stored session in a final
 * state is kept unless `force`. The offline store (main/core/review) replaces this with its audited,
 * locked commit (sync/fetch-session.ts), which the project lead wires in compose options.
 */
export function directSync(store: () => Promise<SessionStore>): SyncPort {
  return {
    async fetch(r: FetchRequest): Promise<FetchReport> {
      const s = await store();
      if (!r.force) {
        const kept = await keptCopy(s, r.sessionId);
        if (kept) return kept;
      }
      const stamp = (): string => r.now().toISOString();
      const { body } = await r.client.getSession(r.sessionId);
      const { session } = parseSession(body);
      await s.saveSession(r.sessionId, body, { apiUrl: r.apiUrl, fetchedAt: stamp(), sdkId: r.sdkId });
      const ids = fetchableIds(session);
      const report: FetchReport = { state: session.state, mediaTotal: ids.length, mediaSaved: 0, mediaNoContent: 0, mediaFailed: [], keptCached: false };
      r.onProgress({ sessionId: r.sessionId, done: 0, total: ids.length });
      const results = await r.client.fetchAllMedia(r.sessionId, ids, (done, total) => r.onProgress({ sessionId: r.sessionId, done, total }));
      for (const mediaId of ids) {
        const result = results.get(mediaId);
        if (!result) continue;
        if (result.status === 'ok') {
          await s.saveMedia(r.sessionId, mediaId, result.content.bytes, { mimeType: result.content.mimeType, apiUrl: r.apiUrl, fetchedAt: stamp() });
          report.mediaSaved += 1;
        } else if (result.status === 'no-content') {
          await s.markMediaNoContent(r.sessionId, mediaId, { apiUrl: r.apiUrl, fetchedAt: stamp() });
          report.mediaNoContent += 1;
        } else {
          report.mediaFailed.push({ mediaId, code: result.error.code, message: result.error.message });
        }
      }
      return report;
    },
  };
}

function fetchableIds(session: ReturnType<typeof parseSession>['session']): string[] {
  return [...new Set(listMedia(session).flatMap((m) => (m.mediaId && m.fetchable ? [m.mediaId] : [])))];
}

/** The stored copy's counts when it is in a final state, else null (a damaged copy is fetched again). */
async function keptCopy(store: SessionStore, sessionId: string): Promise<FetchReport | null> {
  let cached;
  try {
    cached = await store.loadSession(sessionId);
  } catch (err) {
    if (err instanceof AppError) return null;
    throw err;
  }
  if (!cached) return null;
  const { session } = parseSession(cached.body);
  if (session.state === undefined || !FINAL_STATES.has(session.state)) return null;
  const ids = fetchableIds(session);
  const stored = new Map<string, boolean>();
  for (const e of await store.listMedia(sessionId)) if (!('damaged' in e)) stored.set(e.mediaId, e.noContent);
  return {
    state: session.state,
    mediaTotal: ids.length,
    mediaSaved: ids.filter((id) => stored.get(id) === false).length,
    mediaNoContent: ids.filter((id) => stored.get(id) === true).length,
    mediaFailed: [],
    keptCached: true,
  };
}

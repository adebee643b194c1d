import { AppError, LocalError, isAppError } from '../core/errors';
import { verifyMrz } from '../core/mrz/verify';
import { scanJson } from '../core/session/json-guard';
import { listMedia } from '../core/session/media';
import { parseSession } from '../core/session/parse';
import { overallRecommendation, summarizeSession } from '../core/session/summary';
import type { Settings } from '../core/settings';
import type { SessionMeta, SessionStore } from '../core/store/session-store';
import type { CacheStatus, DocumentFieldsView, MediaView, QueueRow, SessionView } from './contract';
import type { MediaRegistry } from './media-registry';
import { SERVED_MEDIA_TYPES } from './media-registry';
import type { QueueEntry } from './queue';
import type { LocalCopiesPort, Logger, ReviewsPort, SeenBeforePort, Stamp } from './ports';

/** Document fields JSON is a few KB; anything near this is not document fields. */
const MAX_FIELDS_BYTES = 1024 * 1024;
const MAX_FIELDS_DEPTH = 32;

export function notCached(sessionId: string): LocalError {
  return new LocalError('SESSION_NOT_CACHED', `Session ${sessionId} is not on this computer yet: fetch it first.`);
}

export interface SessionViewDeps {
  store: SessionStore;
  media: MediaRegistry;
  settings: Settings;
  reviews: ReviewsPort;
  seenBefore?: SeenBeforePort;
  local: Pick<LocalCopiesPort, 'retainUntil'>;
  stamp: Stamp;
}

/**
 * Everything the review screen shows for one stored session. Every stored media item is read and
 * checked (size, sha256, AEAD) before it gets a URL, so a tampered item is never shown as valid; what
 * could not be read is listed in `cacheProblems`, in words.
 */
export async function buildSessionView(deps: SessionViewDeps, sessionId: string): Promise<SessionView> {
  const { store } = deps;
  const stored = await store.loadSession(sessionId);
  if (stored === null) throw notCached(sessionId);
  const { session, problems } = parseSession(stored.body);
  const summary = summarizeSession(session, { faceMatchThreshold: deps.settings.faceMatchThreshold, problems });
  const cacheProblems: string[] = [];

  const fieldIds = new Set(
    summary.documents.flatMap((d) => (d.fields && d.fields.source !== 'NONE' ? [d.fields.mediaId] : [])),
  );
  const jsonBytes = new Map<string, Buffer>();
  const media: MediaView[] = [];
  for (const item of summary.media) {
    if (item.mediaId === undefined || !item.fetchable) {
      media.push({ ...item });
      continue;
    }
    try {
      const loaded = await store.loadMedia(sessionId, item.mediaId);
      if (loaded === null) {
        cacheProblems.push(`${item.label} is not on this computer: fetch the session again to get it.`);
        media.push({ ...item });
      } else if ('noContent' in loaded) {
        const m = loaded.meta;
        media.push({ ...item, stored: { mimeType: null, size: 0, sha256: null, noContent: true, fetchedAt: m.fetchedAt } });
      } else {
        const m = loaded.meta;
        const view: MediaView = { ...item, stored: { mimeType: m.mimeType, size: m.size, sha256: m.sha256, noContent: false, fetchedAt: m.fetchedAt } };
        if (SERVED_MEDIA_TYPES.has(m.mimeType.toLowerCase())) view.url = deps.media.urlFor(sessionId, item.mediaId);
        if (fieldIds.has(item.mediaId)) jsonBytes.set(item.mediaId, loaded.bytes);
        media.push(view);
      }
    } catch (err) {
      if (!isAppError(err)) throw err;
      cacheProblems.push(`${item.label}: ${err.message}`);
      media.push({ ...item });
    }
  }

  const documents: DocumentFieldsView[] = summary.documents.map((doc) => {
    const fields = doc.fields;
    if (fields === undefined || fields.source === 'NONE') {
      return { resourceId: doc.resourceId, label: doc.label, fields: null, source: 'NONE' };
    }
    const view: DocumentFieldsView = { resourceId: doc.resourceId, label: doc.label, fields: null, source: fields.source };
    const bytes = jsonBytes.get(fields.mediaId);
    if (bytes === undefined) {
      cacheProblems.push(`The document fields of ${doc.label} are not readable on this computer, so they are not shown.`);
      return view;
    }
    const parsed = parseFields(bytes);
    if (typeof parsed === 'string') {
      cacheProblems.push(`The document fields of ${doc.label} ${parsed}, so they are not shown.`);
      return view;
    }
    view.fields = parsed;
    const lines = mrzLines(parsed);
    if (lines.length > 0) view.mrz = verifyMrz(lines);
    return view;
  });

  let seenBefore: SessionView['seenBefore'] = [];
  if (deps.seenBefore) {
    try {
      seenBefore = await deps.seenBefore.find(sessionId);
    } catch (err) {
      cacheProblems.push(`Earlier sessions of the same document or person could not be checked: ${isAppError(err) ? err.message : 'internal error'}.`);
    }
  }

  await deps.reviews.markOpened(sessionId, deps.stamp);
  const review = await deps.reviews.get(sessionId);

  return {
    sessionId,
    stored: {
      fetchedAt: stored.meta.fetchedAt,
      apiUrl: stored.meta.apiUrl,
      sdkId: stored.meta.sdkId,
      retainUntil: await deps.local.retainUntil(sessionId),
    },
    summary,
    media,
    documents,
    seenBefore,
    review,
    cacheProblems,
  };
}

function parseFields(bytes: Buffer): Record<string, unknown> | string {
  if (bytes.length > MAX_FIELDS_BYTES) return 'are larger than expected';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'are not UTF-8 text';
  }
  const scan = scanJson(text.replace(/^\uFEFF/, ''), MAX_FIELDS_DEPTH);
  if (!scan.ok) return scan.kind === 'depth' ? 'are nested too deeply' : 'are not valid JSON';
  const value: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'are not a JSON object';
  return value as Record<string, unknown>;
}

/** `mrz.line1`…`line3` as Yoti sends them (also accepts `mrz.lines: [...]`). */
function mrzLines(fields: Record<string, unknown>): string[] {
  const mrz = fields.mrz;
  if (mrz === null || typeof mrz !== 'object') return [];
  const m = mrz as Record<string, unknown>;
  if (Array.isArray(m.lines)) return m.lines.filter((l): l is string => typeof l === 'string').slice(0, 3);
  return ['line1', 'line2', 'line3'].map((k) => m[k]).filter((l): l is string => typeof l === 'string' && l.length <= 100);
}

// ---- the queue ---------------------------------------------------------------------------------

interface Digest {
  sha256: string;
  state?: string;
  overall: string;
  ttl?: number;
  fetchable: string[];
}

/**
 * Queue rows: the queue entries (oldest first) with what the store and the review records know.
 * Parsed sessions are remembered by their sha256, so listing again does not re-parse.
 */
export class QueueRows {
  readonly #digests = new Map<string, Digest>();

  async rows(
    entries: readonly QueueEntry[],
    deps: { store: SessionStore; reviews: ReviewsPort; local: Pick<LocalCopiesPort, 'retainUntil'>; now: Date; log: Logger },
  ): Promise<QueueRow[]> {
    const out: QueueRow[] = [];
    for (const entry of entries) {
      const row: QueueRow = { sessionId: entry.sessionId, addedAt: entry.addedAt, cache: 'not-fetched' };
      await this.#fill(row, deps);
      try {
        const review = await deps.reviews.get(entry.sessionId);
        if (review.status === 'CONFIRMED') {
          row.decision = review.decision;
          row.decidedAt = review.decidedAt;
        }
      } catch (err) {
        deps.log.warn(`review record of ${entry.sessionId} unreadable: ${isAppError(err) ? err.code : 'error'}`);
      }
      out.push(row);
    }
    return out;
  }

  forget(sessionId: string): void {
    this.#digests.delete(sessionId);
  }

  async #fill(row: QueueRow, deps: { store: SessionStore; local: Pick<LocalCopiesPort, 'retainUntil'>; now: Date }): Promise<void> {
    let meta: SessionMeta;
    let digest: Digest;
    try {
      const known = this.#digests.get(row.sessionId);
      const stored = await deps.store.loadSession(row.sessionId);
      if (stored === null) {
        this.#digests.delete(row.sessionId);
        return;
      }
      meta = stored.meta;
      if (known?.sha256 === meta.sha256) digest = known;
      else {
        const { session } = parseSession(stored.body);
        digest = {
          sha256: meta.sha256,
          state: session.state,
          overall: overallRecommendation(session),
          ttl: session.client_session_token_ttl,
          fetchable: [...new Set(listMedia(session).flatMap((m) => (m.mediaId && m.fetchable ? [m.mediaId] : [])))],
        };
        this.#digests.set(row.sessionId, digest);
      }
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      row.cache = 'damaged';
      return;
    }
    row.state = digest.state;
    row.overall = digest.overall;
    row.fetchedAt = meta.fetchedAt;
    row.retainUntil = await deps.local.retainUntil(row.sessionId);
    if (digest.ttl !== undefined) {
      const elapsed = Math.max(0, Math.floor((deps.now.getTime() - Date.parse(meta.fetchedAt)) / 1000));
      row.tokenTtlSeconds = Math.max(0, digest.ttl - elapsed);
    }
    row.cache = await mediaStatus(deps.store, row.sessionId, digest.fetchable);
  }
}

async function mediaStatus(store: SessionStore, sessionId: string, fetchable: string[]): Promise<CacheStatus> {
  try {
    const entries = await store.listMedia(sessionId);
    // The store lists a damaged item in its place (or, in older versions, throws).
    if (entries.some((e) => 'damaged' in e)) return 'damaged';
    const have = new Set(entries.map((m) => m.mediaId));
    return fetchable.every((id) => have.has(id)) ? 'intact' : 'partial';
  } catch (err) {
    if (err instanceof AppError) return 'damaged';
    throw err;
  }
}

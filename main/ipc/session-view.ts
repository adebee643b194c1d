import { LocalError, isAppError } from '../../common/errors';
import { evidenceDeleted } from '../../common/review/evidence-deletion';
import type { Settings } from '../core/settings';
import { MediaReads } from '../core/store/media-reads';
import type { SessionStore } from '../core/store/session-store';
import { storedSummary } from '../core/review/stored-summary';
import { documentFieldsFrom, documentFieldsMediaIds } from '../core/review/stored-document-fields';
import type { SessionSummary } from '../../common/session/summary';
import type { MediaView, SessionView } from '../../common/ipc/contract';
import type { MediaRegistry } from './media-registry';
import { storedMediaView } from '../core/store/media-view';
import type { LocalCopiesPort, ReviewsPort, SeenBeforePort } from './ports';

export function notCached(sessionId: string): LocalError {
  return new LocalError('SESSION_NOT_CACHED', `Session ${sessionId} is not on this computer yet: fetch it first.`);
}

export interface SessionViewDeps {
  store: SessionStore;
  media: MediaRegistry;
  settings: Settings;
  reviews: ReviewsPort;
  seenBefore: SeenBeforePort;
  local: Pick<LocalCopiesPort, 'retainUntil' | 'integrity' | 'evidenceDeletion'>;
}

/**
 * Everything the review screen shows for one stored session. Every stored media item is read and
 * checked (size, sha256, AEAD) before it gets a URL, so a tampered item is never shown as valid; what
 * could not be read is listed in `cacheProblems`, in words. The opening is recorded, unless the view is
 * only read ahead (for "Next", while the reviewer works on another session).
 */
export async function buildSessionView(deps: SessionViewDeps, sessionId: string, opts: { readAhead?: boolean } = {}): Promise<SessionView> {
  const { store } = deps;
  // Each item is decrypted and checked once in this call; the integrity check below reuses what verified.
  const reads = new MediaReads(store, sessionId);
  const before = await deps.reviews.get(sessionId);
  const sessions = { loadSession: (sid: string) => store.loadSession(sid), loadMedia: reads.loadMedia };
  const read = await storedSummary({ sessions, seenBefore: (sid) => deps.seenBefore.find(sid) }, sessionId, {
    // A decided session keeps the threshold its decision was made with; a later settings change re-colours nothing.
    faceMatchThreshold: before.faceMatchThreshold ?? deps.settings.faceMatchThreshold,
    decidedAt: before.status === 'CONFIRMED' ? before.decidedAt : undefined,
  });
  if (read === null) {
    const deleted = await deps.local.evidenceDeletion(sessionId);
    if (deleted === null) throw notCached(sessionId);
    throw evidenceDeleted(sessionId, deleted, '');
  }
  const { stored, summary, seenBefore } = read;
  const cacheProblems: string[] = read.seenBeforeProblem === undefined ? [] : [read.seenBeforeProblem];

  // Recording the opening waits on the disk (fsync): it goes on while the media are read and checked.
  const opening = opts.readAhead === true ? undefined : deps.reviews.markOpened(sessionId);
  const [{ media, jsonBytes, problems }] = await Promise.all([mediaViews(deps, reads, summary), opening]);
  cacheProblems.push(...problems);

  const documents = documentFieldsFrom(summary, (mediaId) => jsonBytes.get(mediaId)).map(({ view, unreadable }) => {
    if (unreadable !== undefined) cacheProblems.push(unreadable);
    return view;
  });

  let retainUntil: string | undefined;
  try {
    retainUntil = await deps.local.retainUntil(sessionId);
  } catch (err) {
    if (!isAppError(err)) throw err;
    cacheProblems.push(err.message);
  }

  // The record as the opening left it.
  const review = opening === undefined ? before : await deps.reviews.get(sessionId);
  // After recording the opening, which changes the record and the log together.
  for (const p of await deps.local.integrity(sessionId, { session: stored.meta, media: reads.verified })) cacheProblems.unshift(`Changed outside the app: ${p}.`);

  return {
    sessionId,
    stored: { fetchedAt: stored.meta.fetchedAt, apiUrl: stored.meta.apiUrl, sdkId: stored.meta.sdkId, retainUntil },
    summary,
    media,
    documents,
    seenBefore,
    review,
    cacheProblems,
  };
}

/**
 * The stored media of the summary as the review screen shows them, each read (decrypted and checked)
 * before it gets a URL; what could not be read in words; the bytes of the document fields items.
 */
async function mediaViews(
  deps: Pick<SessionViewDeps, 'media'>,
  reads: MediaReads,
  summary: SessionSummary,
): Promise<{ media: MediaView[]; jsonBytes: Map<string, Buffer>; problems: string[] }> {
  const { sessionId } = reads;
  const fieldIds = documentFieldsMediaIds(summary);
  const jsonBytes = new Map<string, Buffer>();
  const media: MediaView[] = [];
  const problems: string[] = [];
  for (const item of summary.media) {
    if (item.mediaId === undefined || !item.fetchable) {
      media.push({ ...item });
      continue;
    }
    try {
      const loaded = await reads.item(item.mediaId);
      if (loaded === null) problems.push(`${item.label} is not on this computer: fetch the session again to get it.`);
      else if (!('noContent' in loaded) && fieldIds.has(item.mediaId)) jsonBytes.set(item.mediaId, loaded.bytes);
      media.push(storedMediaView(sessionId, item, loaded?.meta ?? null, deps.media.urlFor));
    } catch (err) {
      if (!isAppError(err)) throw err;
      problems.push(`${item.label}: ${err.message}`);
      media.push({ ...item });
    }
  }
  return { media, jsonBytes, problems };
}

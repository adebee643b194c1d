import type { Decision } from '../../../common/review/decisions';
import type { EvidenceDeletion } from '../../../common/review/evidence-deletion';
import { listMedia as listSessionMedia, type MediaItem } from '../../../common/session/media';
import { overallRecommendation, yotiProgress, type YotiProgress } from '../../../common/session/overall';
import { readChangedFields } from '../../../common/session/changed-fields';
import { parseSession } from '../../../common/session/parse';
import type { Session } from '../../../common/session/schema';
import { summarizeSession } from '../../../common/session/summary';
import { sessionTimes } from '../../../common/session/times';
import { documentTypeWords } from '../../../common/session/words';
import { assertYotiId } from '../../../common/yoti-ids';
import { buildEvidence, openingImage, stageUrl } from '../../../common/session/evidence';
import { storedMediaView, type MediaUrl } from './media-view';
import { forEachBounded } from '../async/bounded';
import type { ReviewState } from '../review/review-store';
import type { SeenBeforeMatch } from '../seen-before/seen-before';
import type { Lifetimes } from './lifetimes';
import type { RetentionFiles } from './retention-files';
import { isDamaged, type MediaMeta, type SessionListEntry } from './session-store';
import type { StoreCore } from './store-core';
import { storedFieldsReader } from './stored-fields';

/**
 * The rows of the session list (`idv-review list`, the app's queue): every stored session and every
 * record whose evidence was deleted, with Yoti's result, the decision, retention and evidence health;
 * and the seen-before matches with the decisions recorded on them.
 */

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
  /** The decision in force (latest confirmed version), and who made it (name, else OS account). */
  decision?: Decision;
  decidedAt?: string;
  decidedBy?: string;
  /** Derived from the times in Yoti's JSON (session/times.ts). */
  created?: string;
  userTrackingId?: string;
  /** The first document, in words: "Passport, UTO". */
  document?: string;
  /**
   * How many warnings the opened session lists, but the seen-before one (which needs the other
   * sessions: the caller adds it); counted when a face-match threshold is given.
   */
  warnings?: number;
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
  /** The image the viewer opens this session on (with RowOptions.mediaUrl), so the page can ask for it on the click. */
  openingImageUrl?: string;
}

export interface SeenBeforeRow extends SeenBeforeMatch {
  decision?: Decision;
  decidedAt?: string;
}

/** What a queue row shows of a session before it is opened: when it began, whose it is, which document. */
function queueFacts(session: Session): Pick<CachedSessionRow, 'created' | 'userTrackingId' | 'document'> {
  const out: Pick<CachedSessionRow, 'created' | 'userTrackingId' | 'document'> = {};
  const created = sessionTimes(session).created;
  if (created !== undefined) out.created = created;
  if (session.user_tracking_id !== undefined) out.userTrackingId = session.user_tracking_id;
  const doc = session.resources?.id_documents?.[0] ?? session.resources?.supplementary_documents?.[0];
  if (doc !== undefined) out.document = [documentTypeWords(doc.document_type), doc.issuing_country].filter((x) => x !== undefined && x !== '').join(', ');
  return out;
}

/**
 * The image the viewer opens the session on, by the viewer's own rule over what is stored (an item
 * that turns out damaged when opened is then simply not shown; the page asked for it in vain).
 * Only that image gets a URL: the others are named by their ids while the rule looks at them.
 */
function openingImageUrl(sid: string, items: readonly MediaItem[], metas: ReadonlyMap<string, MediaMeta>, url: MediaUrl): string | undefined {
  const byId: MediaUrl = (_sid, mediaId, variant) => `${mediaId}/${variant}`;
  const media = items.map((item) => storedMediaView(sid, item, item.mediaId !== undefined && item.fetchable ? (metas.get(item.mediaId) ?? null) : null, byId));
  const image = openingImage(buildEvidence({ media, summary: { documents: [], liveness: [] } }));
  // What the stage loads first (the viewer's own rule), named by its stand-in.
  return image === undefined ? undefined : url(sid, image.mediaId, stageUrl(image) === image.url ? 'full' : 'screen');
}

export interface RowOptions {
  /** Check every stored media item (idv-review list). */
  deep?: boolean;
  /** Count each session's warnings under this threshold (undecided sessions; a decided one uses its decision's). */
  faceMatchThreshold?: number;
  /** Give each row the URL of the image its session opens on (the app's queue). */
  mediaUrl?: MediaUrl;
}

/** Sessions read at once when listing the cache. */
const LIST_CONCURRENCY = 8;

export class SessionRows {
  constructor(
    private readonly core: StoreCore,
    private readonly lifetimes: Lifetimes,
    private readonly retention: RetentionFiles,
  ) {}

  /** Cached sessions, newest fetch first, with state, Yoti's recommendation, decision, retain-until and cache health. */
  async listCachedSessions(opts: RowOptions = {}): Promise<CachedSessionRow[]> {
    const listed = new Map((await this.core.sessions.listSessions()).map((e) => [e.sessionId, e]));
    const withEvidence = new Set(await this.core.sessions.listSessionIds());
    const sids = [...new Set([...withEvidence, ...(await this.core.reviews.listSessionIds())])];
    const built = new Array<CachedSessionRow | null>(sids.length);
    // Each row is a dozen small reads: several sessions at once keep the disk and thread pool busy.
    await forEachBounded(sids, LIST_CONCURRENCY, async (sid, i) => {
      built[i] = await this.cachedRow(sid, listed.get(sid), withEvidence.has(sid), opts);
    });
    const rows = built.filter((r): r is CachedSessionRow => r !== null);
    const key = (r: CachedSessionRow) => r.fetchedAt ?? '';
    return rows.sort((a, b) => (key(a) === key(b) ? a.sessionId.localeCompare(b.sessionId) : key(a) < key(b) ? 1 : -1));
  }

  /** One session's queue row; null for an interrupted first fetch (nothing there yet). */
  private async cachedRow(sid: string, entry: SessionListEntry | undefined, hasEvidence: boolean, opts: RowOptions): Promise<CachedSessionRow | null> {
    const review = await this.core.reviews.summary(sid);
    if (entry === undefined && review.status === 'NONE') return null;
    const row: CachedSessionRow = { sessionId: sid, review: review.status, retainUntilOverridden: false, cache: 'intact', mediaStored: 0, mediaExpected: 0, problems: [] };
    if (review.problem) row.problems.push(review.problem);
    if (review.decided?.decision) {
      row.decision = review.decided.decision;
      if (review.decided.decidedAt) row.decidedAt = review.decided.decidedAt;
      row.decidedBy = review.decided.reviewer.name ?? review.decided.reviewer.osAccount;
    }
    if (!hasEvidence) {
      // A record whose evidence is gone: no evidence retention to read, only the deletion to name.
      const deletion = await this.lifetimes.evidenceDeletion(sid);
      if (deletion !== null) {
        row.cache = 'evidence-deleted';
        row.evidenceDeleted = deletion;
        return row;
      }
    }
    const retention = await this.retention.retention(sid).catch((err: unknown) => {
      row.problems.push(err instanceof Error ? err.message : String(err));
      return null;
    });
    if (retention) {
      row.retainUntil = retention.retainUntil;
      row.retainUntilOverridden = retention.overridden;
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
    let items: MediaItem[] = [];
    try {
      const loaded = await this.core.sessions.loadSession(sid);
      if (loaded) {
        const { session, problems } = parseSession(loaded.body);
        row.state = session.state;
        row.overall = overallRecommendation(session);
        row.yoti = yotiProgress(session);
        if (session.client_session_token_ttl !== undefined) row.tokenTtlSeconds = session.client_session_token_ttl;
        Object.assign(row, queueFacts(session));
        if (opts.faceMatchThreshold !== undefined) {
          // As the opened session counts them (stored-summary.ts), with the threshold its decision used.
          const faceMatchThreshold = review.decided?.context?.faceMatchThreshold ?? opts.faceMatchThreshold;
          const changedFields = await readChangedFields(session, storedFieldsReader(this.core.sessions, sid));
          row.warnings = summarizeSession(session, { faceMatchThreshold, problems, changedFields }).warnings.length;
        }
        items = listSessionMedia(session);
        expected = [...new Set(items.flatMap((m) => (m.mediaId && m.fetchable ? [m.mediaId] : [])))];
      }
    } catch (err) {
      row.cache = 'damaged';
      row.problems.push(err instanceof Error ? err.message : String(err));
    }
    const stored = new Map<string, 'ok' | 'damaged'>();
    const metas = new Map<string, MediaMeta>();
    for (const m of await this.core.sessions.listMedia(sid)) {
      if (isDamaged(m)) {
        stored.set(m.mediaId ?? '', 'damaged');
        row.problems.push(m.message);
        continue;
      }
      metas.set(m.mediaId, m);
      if (opts.deep) {
        try {
          await this.core.sessions.loadMedia(sid, m.mediaId);
        } catch (err) {
          stored.set(m.mediaId, 'damaged');
          row.problems.push(err instanceof Error ? err.message : String(err));
          continue;
        }
      }
      stored.set(m.mediaId, 'ok');
    }
    // Media this console deleted at Yoti stay listed in Yoti's JSON; they are not missing (read only then: one log scan).
    if (expected.some((id) => !stored.has(id))) {
      const gone = await this.lifetimes.mediaDeletedAtYoti(sid);
      expected = expected.filter((id) => !gone.has(id));
    }
    row.mediaExpected = expected.length;
    row.mediaStored = expected.filter((id) => stored.get(id) === 'ok').length;
    const missing = expected.filter((id) => !stored.has(id));
    if (opts.mediaUrl !== undefined) row.openingImageUrl = openingImageUrl(sid, items, metas, opts.mediaUrl);
    if ([...stored.values()].includes('damaged')) row.cache = 'damaged';
    else if (row.cache !== 'damaged' && missing.length > 0) {
      row.cache = 'partial';
      row.problems.push(`${missing.length} media item${missing.length === 1 ? ' is' : 's are'} not stored (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''}).`);
    }
    return row;
  }

  /** Other cached sessions of the same document or person, with their decisions. */
  async seenBefore(sessionId: string): Promise<SeenBeforeRow[]> {
    return this.withDecisions(await this.core.seen.find(assertYotiId(sessionId, 'session ID')));
  }

  /** The matches of every stored session, with the decisions recorded on them (the queue's badges). */
  async seenBeforeAll(): Promise<Map<string, SeenBeforeRow[]>> {
    const all = await this.core.seen.all();
    const out = new Map<string, SeenBeforeRow[]>();
    for (const [sid, matches] of all) if (matches.length > 0) out.set(sid, await this.withDecisions(matches));
    return out;
  }

  /** The same as seenBefore, for a step that holds the lock. */
  async seenBeforeLocked(sid: string): Promise<SeenBeforeRow[]> {
    return this.withDecisions(await this.core.seen.findLocked(sid));
  }

  /** Each match with the final decision recorded on it. */
  private async withDecisions(matches: readonly SeenBeforeMatch[]): Promise<SeenBeforeRow[]> {
    const rows: SeenBeforeRow[] = [];
    for (const m of matches) {
      const row: SeenBeforeRow = { ...m };
      const review = await this.core.reviews.summary(m.sessionId).catch(() => null);
      if (review?.decided?.decision) {
        row.decision = review.decided.decision;
        if (review.decided.decidedAt) row.decidedAt = review.decided.decidedAt;
      }
      rows.push(row);
    }
    return rows;
  }
}

import { UsageError, LocalError } from '../../../common/errors';
import { storedSummary } from '../../core/review/stored-summary';
import { readStoredDocumentFields } from '../../core/review/stored-document-fields';
import { MediaReads } from '../../core/store/media-reads';
import type { OfflineStore } from '../../core/store/offline-store';
import { evidenceDeletionWords } from '../../../common/review/evidence-deletion';
import { assertYotiId } from '../../../common/yoti-ids';
import { parse } from '../args';
import type { CliContext } from '../context';
import { formatReview, formatSeenBefore } from '../format-review';
import { formatSummary } from '../format-summary';

const USAGE = 'idv-review show SESSION_ID [--json]';

/**
 * Shows a stored session, each document's fields included; reads only the local store, so it works
 * offline. Opening it is recorded (audit "session.opened"). A damaged session file is refused; damaged
 * media are marked, never shown, and fields that cannot be read are said in words.
 */
export async function showCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } }, USAGE);
  if (positionals.length !== 1) throw new UsageError('USAGE', `exactly one session ID is required\nusage: ${USAGE}`);
  const sessionId = assertYotiId(positionals[0], 'session ID');
  const offline = await ctx.offline();
  const decided = (await offline.reviews.get(sessionId)).decided;
  // Each item is decrypted and checked once; the integrity check below reuses what verified.
  const reads = new MediaReads(offline.sessions, sessionId);
  const sessions = { loadSession: (sid: string) => offline.sessions.loadSession(sid), loadMedia: reads.loadMedia };
  const read = await storedSummary({ sessions, seenBefore: (sid) => offline.seenBefore(sid) }, sessionId, {
    faceMatchThreshold: decided?.context?.faceMatchThreshold ?? (await ctx.settings()).faceMatchThreshold,
    decidedAt: decided?.decidedAt ?? undefined,
  });
  if (!read) return showRecordOnly(ctx, offline, sessionId, values.json === true);
  const { stored, summary, seenBefore } = read;
  const media = new Map((await offline.listMediaVerified(sessionId, reads)).map((m) => [m.mediaId ?? '', m]));
  const documents = await readStoredDocumentFields(reads, sessionId, summary);
  await offline.reviews.markOpened(sessionId);
  const review = await offline.reviews.get(sessionId);
  const retention = await offline.retention(sessionId);
  const cacheProblems = [...(read.seenBeforeProblem === undefined ? [] : [read.seenBeforeProblem]), ...[...media.values()].flatMap((m) => ('damaged' in m ? [m.message] : []))];
  const changedOutsideApp = await offline.sessionIntegrity(sessionId, { session: stored.meta, media: reads.verified });
  if (values.json) {
    const documentFields = documents.map(({ view, unreadable }) => (unreadable === undefined ? view : { ...view, unreadable }));
    ctx.out.json({ stored: stored.meta, summary, documentFields, storedMedia: [...media.values()], review, retention, seenBefore, cacheProblems, changedOutsideApp });
    return 0;
  }
  printChanged(ctx, changedOutsideApp);
  for (const line of formatSummary(summary, { session: stored.meta, media, documents }, new Date())) ctx.out.line(line);
  for (const line of formatReview(review, retention, offline.recordKeptUntil(review))) ctx.out.line(line);
  for (const line of formatSeenBefore(seenBefore)) ctx.out.line(line);
  if (cacheProblems.length > 0) {
    ctx.out.line();
    ctx.out.line('Damaged in the local store (not shown; idv-review fetch replaces them)');
    for (const p of cacheProblems) ctx.out.line(`  ! ${p}`);
  }
  return 0;
}

/**
 * A session whose evidence was deleted: its review record, and when, how and by whom the evidence
 * went. Nothing is recorded (there is no evidence to open).
 */
async function showRecordOnly(ctx: CliContext, offline: OfflineStore, sessionId: string, json: boolean): Promise<number> {
  const deletion = await offline.evidenceDeletion(sessionId);
  const review = await offline.reviews.get(sessionId);
  if (deletion === null || review.status === 'NONE') {
    throw new LocalError('SESSION_NOT_CACHED', `Session ${sessionId} is not in the local store: run idv-review fetch ${sessionId} first.`);
  }
  const recordKeptUntil = offline.recordKeptUntil(review);
  const changedOutsideApp = await offline.sessionIntegrity(sessionId);
  if (json) {
    ctx.out.json({ sessionId, evidenceDeleted: deletion, review, recordKeptUntil, changedOutsideApp });
    return 0;
  }
  printChanged(ctx, changedOutsideApp);
  ctx.out.line(`Session ${sessionId}`);
  ctx.out.line(`  ${evidenceDeletionWords(deletion)} The review record is kept.`);
  for (const line of formatReview(review, null, recordKeptUntil)) ctx.out.line(line);
  return 0;
}

/** First, where it cannot be missed: what the audit log says was changed outside the app (export is refused). */
function printChanged(ctx: CliContext, problems: readonly string[]): void {
  if (problems.length === 0) return;
  ctx.out.line('CHANGED OUTSIDE THE APP (export is refused; idv-review audit verify names every file)');
  for (const p of problems) ctx.out.line(`  ! ${p}`);
  ctx.out.line();
}

import { UsageError } from '../../../common/errors';
import { assertYotiId } from '../../../common/yoti-ids';
import { parse } from '../args';
import { confirmed } from '../confirm';
import type { CliContext } from '../context';

const USAGE = 'idv-review delete SESSION_ID [--media MEDIA_ID] [--local-only | --record] [--yes] [--sdk-id ID] [--api-url URL]';

/**
 * Deletes evidence at Yoti first, then the local copy: the local copy never outlives a confirmed
 * remote delete. With --local-only, deletes only the local copy of the evidence (session JSON, media,
 * retention, seen-before entry); works offline. Either way the review record (every version, the
 * evidence manifest of each decision) and the audit log stay. --record deletes the review record
 * itself (and any evidence still stored), locally: its own, confirmed step. Every deletion leaves an
 * audit entry (ids and hashes), never the data.
 */
export async function deleteCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      media: { type: 'string' },
      yes: { type: 'boolean' },
      'local-only': { type: 'boolean' },
      record: { type: 'boolean' },
      'sdk-id': { type: 'string' },
      'api-url': { type: 'string' },
    },
    USAGE,
  );
  if (positionals.length !== 1) throw new UsageError('USAGE', `exactly one session ID is required\nusage: ${USAGE}`);
  const sessionId = assertYotiId(positionals[0], 'session ID');
  const mediaId = values.media === undefined ? undefined : assertYotiId(values.media, 'media ID');

  if (values.record) {
    if (values['local-only'] || mediaId !== undefined || values['sdk-id'] !== undefined || values['api-url'] !== undefined) {
      throw new UsageError('USAGE', `--record deletes the local review record only: leave out --local-only, --media, --sdk-id and --api-url\nusage: ${USAGE}`);
    }
    const store = await ctx.offline();
    const what = `the review record of session ${sessionId} (every version, notes and decisions, with any evidence still stored; the audit log keeps its entries)`;
    const question = `Delete ${what} from this computer? Records are kept for the record retention (UK MLR 2017 reg 40: five years) unless you must delete this one now. This cannot be undone.`;
    if (!(await sure(ctx, values.yes, what, question))) return 0;
    if (!(await store.deleteRecord(sessionId))) throw new UsageError('NOT_CACHED', `Nothing to delete: session ${sessionId} has no review record or evidence in the local store.`);
    ctx.out.line(`Deleted ${what}.`);
    return 0;
  }

  if (values['local-only']) {
    if (values['sdk-id'] !== undefined || values['api-url'] !== undefined) {
      throw new UsageError('USAGE', `--local-only deletes nothing at Yoti: leave out --sdk-id and --api-url\nusage: ${USAGE}`);
    }
    const store = await ctx.offline();
    const what = mediaId
      ? `the local copy of media item ${mediaId} of session ${sessionId}`
      : `the local copy of the evidence of session ${sessionId} (session JSON and media; its review record and the audit log stay)`;
    if (!(await sure(ctx, values.yes, what, `Delete ${what} from this computer? It stays at Yoti. This cannot be undone.`))) return 0;
    const deleted = mediaId ? await store.deleteMediaLocally(sessionId, mediaId, 'local-only') : await store.deleteSessionLocally(sessionId, 'local-only');
    if (!deleted) throw new UsageError('NOT_CACHED', `Nothing to delete: ${mediaId ? `media ${mediaId} of session ${sessionId}` : `session ${sessionId}`} is not in the local store.`);
    ctx.out.line(`Deleted ${what}.`);
    return 0;
  }

  const { client, sdkId, apiUrl } = await ctx.client({ sdkId: values['sdk-id'], apiUrl: values['api-url'] });
  const store = await ctx.offline();

  try {
    const cached = await store.sessions.loadSession(sessionId).catch(() => null);
    if (cached && cached.meta.apiUrl !== apiUrl) {
      throw new UsageError(
        'ENVIRONMENT_MISMATCH',
        `Session ${sessionId} was fetched from ${cached.meta.apiUrl} but the API URL in force is ${apiUrl}; pass --api-url ${cached.meta.apiUrl} to delete it there.`,
      );
    }
    const what = mediaId
      ? `media item ${mediaId} of session ${sessionId}`
      : `session ${sessionId} and all its media (document images, liveness frames, extracted data)`;
    const kept = 'The review record, with the evidence manifest of each decision, and the audit log stay on this computer.';
    if (!(await sure(ctx, values.yes, what, `Delete ${what} at Yoti (${apiUrl}, SDK ID ${sdkId}) and from this computer? ${kept} This cannot be undone.`))) return 0;
    if (mediaId) await client.deleteMediaContent(sessionId, mediaId);
    else await client.deleteSession(sessionId);
    // As the app does: the remote deletion has its own entry, naming where it happened.
    await store.recordAudit('remote.deleted', sessionId, { apiUrl, sdkId, mediaId: mediaId ?? null });
    if (mediaId) await store.deleteMediaLocally(sessionId, mediaId, 'at-yoti');
    else await store.deleteSessionLocally(sessionId, 'at-yoti');
    ctx.out.line(`Deleted ${what} at Yoti and locally; the review record and the audit log stay.`);
    return 0;
  } finally {
    client.close();
  }
}

function sure(ctx: CliContext, yes: boolean | undefined, what: string, question: string): Promise<boolean> {
  return confirmed(ctx, yes, { question, refused: `Not deleting ${what} without confirmation`, declined: 'Nothing was deleted.' });
}

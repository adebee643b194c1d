import { UsageError } from '../../core/errors';
import { assertYotiId } from '../../core/yoti/ids';
import { parse } from '../args';
import type { CliContext } from '../context';

const USAGE = 'idv-review delete SESSION_ID [--media MEDIA_ID] [--yes] [--sdk-id ID] [--api-url URL]';

/** Deletes at Yoti first, then the local copy: the local copy never outlives a confirmed remote delete. */
export async function deleteCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { media: { type: 'string' }, yes: { type: 'boolean' }, 'sdk-id': { type: 'string' }, 'api-url': { type: 'string' } },
    USAGE,
  );
  if (positionals.length !== 1) throw new UsageError('USAGE', `exactly one session ID is required\nusage: ${USAGE}`);
  const sessionId = assertYotiId(positionals[0], 'session ID');
  const mediaId = values.media === undefined ? undefined : assertYotiId(values.media, 'media ID');
  const { client, sdkId, apiUrl } = await ctx.client({ sdkId: values['sdk-id'], apiUrl: values['api-url'] });
  const store = await ctx.store();

  try {
    const cached = await store.loadSession(sessionId);
    if (cached && cached.meta.apiUrl !== apiUrl) {
      throw new UsageError(
        'ENVIRONMENT_MISMATCH',
        `Session ${sessionId} was fetched from ${cached.meta.apiUrl} but the API URL in force is ${apiUrl}; pass --api-url ${cached.meta.apiUrl} to delete it there.`,
      );
    }
    const what = mediaId
      ? `media item ${mediaId} of session ${sessionId}`
      : `session ${sessionId} and all its media (document images, liveness frames, extracted data)`;
    if (!values.yes) {
      if (!ctx.io.confirm) throw new UsageError('CONFIRMATION_REQUIRED', `Not deleting ${what} without confirmation: pass --yes.`);
      const ok = await ctx.io.confirm(`Delete ${what} at Yoti (${apiUrl}, SDK ID ${sdkId}) and from this computer? This cannot be undone.`);
      if (!ok) {
        ctx.out.line('Nothing was deleted.');
        return 0;
      }
    }
    if (mediaId) {
      await client.deleteMediaContent(sessionId, mediaId);
      await store.deleteMedia(sessionId, mediaId);
    } else {
      await client.deleteSession(sessionId);
      await store.deleteSession(sessionId);
    }
    ctx.out.line(`Deleted ${what} at Yoti and locally.`);
    return 0;
  } finally {
    client.close();
  }
}

import { open } from 'node:fs/promises';
import { LocalError, UsageError } from '../../../common/errors';
import { assertYotiId } from '../../../common/yoti-ids';
import { parse, requireValue } from '../args';
import type { CliContext } from '../context';
import { formatBytes } from '../../../common/format-bytes';

const USAGE = 'idv-review media SESSION_ID MEDIA_ID --out FILE [--force]';

/** Writes one cached media item to a file the person names; works offline. */
export async function mediaCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { out: { type: 'string' }, force: { type: 'boolean' } }, USAGE);
  if (positionals.length !== 2) throw new UsageError('USAGE', `a session ID and a media ID are required\nusage: ${USAGE}`);
  const sessionId = assertYotiId(positionals[0], 'session ID');
  const mediaId = assertYotiId(positionals[1], 'media ID');
  const outFile = requireValue(values.out, '--out', USAGE);

  const offline = await ctx.offline();
  const item = await offline.sessions.loadMedia(sessionId, mediaId);
  if (item === null) {
    throw new LocalError('MEDIA_NOT_CACHED', `Media ${mediaId} of session ${sessionId} is not in the local store: run idv-review fetch ${sessionId} first.`);
  }
  if ('noContent' in item) {
    throw new LocalError('MEDIA_NO_CONTENT', `Yoti had no content for media ${mediaId} (204) when session ${sessionId} was fetched.`);
  }
  // Recorded as viewed (audit "media.viewed") before it leaves the store.
  await offline.reviews.recordEvidenceViewed(sessionId, { mediaId });
  // 'wx' refuses to follow or replace an existing file unless --force; 0600 because this is PII.
  const handle = await open(outFile, values.force ? 'w' : 'wx', 0o600).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EEXIST') throw new UsageError('OUT_EXISTS', `${outFile} already exists; pass --force to replace it.`);
    throw new LocalError('OUT_UNWRITABLE', `Cannot write ${outFile}: ${e.code ?? e.message}.`);
  });
  try {
    await handle.writeFile(item.bytes);
  } finally {
    await handle.close();
  }
  ctx.out.line(`Wrote ${outFile}: ${item.meta.mimeType}, ${formatBytes(item.bytes.length)}, sha256 ${item.meta.sha256}`);
  return 0;
}

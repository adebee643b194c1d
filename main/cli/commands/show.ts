import { UsageError, LocalError } from '../../core/errors';
import { parseSession } from '../../core/session/parse';
import { summarizeSession } from '../../core/session/summary';
import { assertYotiId } from '../../core/yoti/ids';
import { parse } from '../args';
import type { CliContext } from '../context';
import { formatSummary } from '../format-summary';

const USAGE = 'idv-review show SESSION_ID [--json]';

/** Shows a stored session; reads only the local store, so it works offline. */
export async function showCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } }, USAGE);
  if (positionals.length !== 1) throw new UsageError('USAGE', `exactly one session ID is required\nusage: ${USAGE}`);
  const sessionId = assertYotiId(positionals[0], 'session ID');
  const store = await ctx.store();
  const stored = await store.loadSession(sessionId);
  if (!stored) throw new LocalError('SESSION_NOT_CACHED', `Session ${sessionId} is not in the local store: run idv-review fetch ${sessionId} first.`);
  const { session, problems } = parseSession(stored.body);
  const summary = summarizeSession(session, { faceMatchThreshold: (await ctx.settings()).faceMatchThreshold, problems });
  const media = new Map((await store.listMedia(sessionId)).map((m) => [m.mediaId, m]));
  if (values.json) ctx.out.json({ stored: stored.meta, summary, storedMedia: [...media.values()] });
  else for (const line of formatSummary(summary, { session: stored.meta, media })) ctx.out.line(line);
  return 0;
}

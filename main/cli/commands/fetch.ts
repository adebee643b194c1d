import { UsageError, isAppError } from '../../core/errors';
import { fetchSessionToStore, type FetchOutcome } from '../../core/sync/fetch-session';
import { assertYotiId } from '../../core/yoti/ids';
import { parse } from '../args';
import type { CliContext } from '../context';
import { formatBytes } from '../io';

const USAGE = 'idv-review fetch SESSION_ID... [--sdk-id ID] [--api-url URL]';

export async function fetchCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { 'sdk-id': { type: 'string' }, 'api-url': { type: 'string' } }, USAGE);
  if (positionals.length === 0) throw new UsageError('USAGE', `at least one session ID is required\nusage: ${USAGE}`);
  const sessionIds = positionals.map((id) => assertYotiId(id, 'session ID'));
  const { client, sdkId, apiUrl } = await ctx.client({ sdkId: values['sdk-id'], apiUrl: values['api-url'] });
  const store = await ctx.store();
  ctx.out.line(`Fetching ${sessionIds.length} session${sessionIds.length === 1 ? '' : 's'} from ${apiUrl} with SDK ID ${sdkId}`);

  const outcomes: FetchOutcome[] = [];
  const failures: Array<{ sessionId: string; message: string }> = [];
  try {
    for (const [i, sessionId] of sessionIds.entries()) {
      try {
        const outcome = await fetchSessionToStore({
          client, store, sessionId, sdkId, apiUrl,
          onProgress: (p) => ctx.out.progress(`[${i + 1}/${sessionIds.length}] ${sessionId}: media ${p.done}/${p.total}`),
        });
        outcomes.push(outcome);
        ctx.out.line(describeOutcome(outcome));
        for (const f of outcome.mediaFailed) ctx.out.warn(`  media ${f.mediaId} failed: ${f.message}`);
      } catch (e) {
        // A local failure (keychain, disk) will fail every session: stop at once.
        if (!isAppError(e) || e.kind !== 'remote') throw e;
        failures.push({ sessionId, message: e.message });
        ctx.out.warn(`${sessionId}: ${e.message}`);
      }
    }
  } finally {
    client.close();
  }

  const mediaFailed = outcomes.reduce((n, o) => n + o.mediaFailed.length, 0);
  const bytes = outcomes.reduce((n, o) => n + o.bytes, 0);
  const media = outcomes.reduce((n, o) => n + o.mediaSaved, 0);
  ctx.out.line(
    `Done: ${outcomes.length} of ${sessionIds.length} sessions stored, ${media} media items (${formatBytes(bytes)})` +
      `${mediaFailed ? `, ${mediaFailed} media items failed` : ''}${failures.length ? `, ${failures.length} sessions failed` : ''}.`,
  );
  return failures.length > 0 || mediaFailed > 0 ? 2 : 0;
}

function describeOutcome(o: FetchOutcome): string {
  const parts = [`${o.mediaSaved}/${o.mediaTotal} media stored`];
  if (o.mediaNoContent) parts.push(`${o.mediaNoContent} with no content available`);
  if (o.mediaFailed.length) parts.push(`${o.mediaFailed.length} failed`);
  if (o.problems) parts.push(`${o.problems} unreadable parts of the session left out`);
  return `${o.sessionId}: ${o.state ?? 'state unknown'}, ${parts.join(', ')} (${formatBytes(o.bytes)})`;
}

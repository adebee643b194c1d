import { UsageError, isAppError } from '../../../common/errors';
import { fetchSessionToStore, type FetchOutcome } from '../../core/sync/fetch-session';
import { assertYotiId } from '../../../common/yoti-ids';
import { parse } from '../args';
import type { CliContext } from '../context';
import { formatBytes } from '../../../common/format-bytes';
import { DEFAULT_RETENTION_DAYS, maxSessionMediaBytes } from '../../core/settings';

const USAGE = 'idv-review fetch SESSION_ID... [--force] [--sdk-id ID] [--api-url URL]';

/**
 * Fetches sessions into the offline store. A cached COMPLETED session is kept (only its missing or
 * damaged media are fetched) unless --force; other sessions are refreshed. The review record stays.
 */
export async function fetchCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { 'sdk-id': { type: 'string' }, 'api-url': { type: 'string' }, force: { type: 'boolean' } },
    USAGE,
  );
  if (positionals.length === 0) throw new UsageError('USAGE', `at least one session ID is required\nusage: ${USAGE}`);
  const sessionIds = positionals.map((id) => assertYotiId(id, 'session ID'));
  const { client, sdkId, apiUrl } = await ctx.client({ sdkId: values['sdk-id'], apiUrl: values['api-url'] });
  const store = await ctx.offline();
  ctx.out.line(`Fetching ${sessionIds.length} session${sessionIds.length === 1 ? '' : 's'} from ${apiUrl} with SDK ID ${sdkId}`);
  const settings = await ctx.settings();
  if (settings.retentionDays === undefined) {
    ctx.out.warn(
      `The evidence retention is not chosen yet, so evidence is kept ${DEFAULT_RETENTION_DAYS} days after its first fetch: choose it in the app ` +
        "(first start or Settings) or as retentionDays in settings.json; the README's \"Retention\" says what to consider.",
    );
  }

  const outcomes: FetchOutcome[] = [];
  const failures: Array<{ sessionId: string; message: string }> = [];
  try {
    for (const [i, sessionId] of sessionIds.entries()) {
      try {
        const outcome = await fetchSessionToStore({
          client, store, sessionId, sdkId, apiUrl, force: values.force === true, maxMediaBytes: maxSessionMediaBytes(settings),
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

export function describeOutcome(o: FetchOutcome): string {
  const repaired = o.repaired ?? [];
  const keptLocal = o.keptLocalCopy ?? [];
  const gone = (o.deletedAtYoti ?? []).map((d) => `; media ${d.mediaId} deleted at Yoti from this console on ${d.at.slice(0, 10)} (still listed by Yoti; not fetched)`).join('');
  if (o.keptCached && repaired.length === 0 && o.mediaFailed.length === 0) {
    return `${o.sessionId}: ${o.state ?? 'state unknown'}, already stored and intact: kept (use --force to fetch it again)${gone}`;
  }
  const parts = o.keptCached ? [`kept the stored copy, ${o.mediaSaved} missing or damaged media fetched again`] : [`${o.mediaSaved}/${o.mediaTotal} media stored`];
  if (o.refreshed) parts.push('replaced the stored copy (review record kept)');
  if (repaired.length) parts.push(`${repaired.length} damaged or missing item${repaired.length === 1 ? '' : 's'} replaced`);
  if (o.mediaNoContent) parts.push(`${o.mediaNoContent} with no content available`);
  if (keptLocal.length) parts.push(`${keptLocal.length} no longer at Yoti, local copy kept`);
  if (o.mediaFailed.length) parts.push(`${o.mediaFailed.length} failed`);
  if (o.problems) parts.push(`${o.problems} unreadable parts of the session left out`);
  return `${o.sessionId}: ${o.state ?? 'state unknown'}, ${parts.join(', ')} (${formatBytes(o.bytes)})${gone}`;
}

import { UsageError } from '../../../common/errors';
import { parseRetainUntil } from '../../core/retention/retention';
import { assertYotiId } from '../../../common/yoti-ids';
import { parse } from '../args';
import type { CliContext } from '../context';

const USAGE = 'idv-review retain SESSION_ID (--until YYYY-MM-DD | --default)';

/** Sets a session's own retain-until, or returns it to the default (settings.retentionDays after the first fetch). */
export async function retainCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { until: { type: 'string' }, default: { type: 'boolean' } }, USAGE);
  if (positionals.length !== 1) throw new UsageError('USAGE', `exactly one session ID is required\nusage: ${USAGE}`);
  if ((values.until === undefined) === (values.default !== true)) throw new UsageError('USAGE', `give either --until or --default\nusage: ${USAGE}`);
  const sessionId = assertYotiId(positionals[0], 'session ID');
  const until = values.until === undefined ? null : parseRetainUntil(values.until);
  const view = await (await ctx.offline()).setRetainUntil(sessionId, until);
  ctx.out.line(`Session ${sessionId} is kept until ${view.retainUntil}${view.overridden ? '' : ' (the default)'}.`);
  return 0;
}

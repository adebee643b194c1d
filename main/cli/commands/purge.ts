import { UsageError } from '../../../common/errors';
import { parse } from '../args';
import type { CliContext } from '../context';

const USAGE = 'idv-review purge [--dry-run]';

/** Deletes every cached session past its retain-until (evidence, review record, retention), saying which. */
export async function purgeCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } }, USAGE);
  if (positionals.length > 0) throw new UsageError('USAGE', `unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
  const store = await ctx.offline();
  const report = await store.purgeExpired(new Date(), { dryRun: values['dry-run'] === true });
  if (values.json) {
    ctx.out.json(report);
    return 0;
  }
  const verb = report.dryRun ? 'Would delete' : 'Deleted';
  if (report.purged.length === 0) ctx.out.line(`Nothing is past its retain-until (${report.kept} session${report.kept === 1 ? '' : 's'} kept).`);
  else {
    ctx.out.line(`${verb} ${report.purged.length} session${report.purged.length === 1 ? '' : 's'} past the retain-until (${report.kept} kept):`);
    for (const p of report.purged) ctx.out.line(`  ${p.sessionId}  retain-until ${p.retainUntil}`);
    if (report.dryRun) ctx.out.line('Nothing was deleted (dry run).');
  }
  for (const p of report.problems) ctx.out.warn(p);
  return 0;
}

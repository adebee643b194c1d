import { UsageError } from '../../../common/errors';
import { parse } from '../args';
import type { CliContext } from '../context';

const USAGE = 'idv-review purge [--dry-run] [--json]';

/**
 * Deletes the evidence of every session past its retain-until, and every review record past the
 * record retention, saying which. Evidence purged keeps its record; the audit log is never purged.
 */
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
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (report.purged.length === 0) ctx.out.line(`No evidence is past its retain-until (${plural(report.kept, 'session', 'sessions')} kept).`);
  else {
    ctx.out.line(`${verb} the evidence of ${plural(report.purged.length, 'session', 'sessions')} past the retain-until (${report.kept} kept; their review records stay):`);
    for (const p of report.purged) ctx.out.line(`  ${p.sessionId}  retain-until ${p.retainUntil}`);
  }
  if (report.recordsPurged.length === 0) ctx.out.line(`No review record is past the record retention (${plural(report.recordsKept, 'record', 'records')} kept).`);
  else {
    ctx.out.line(`${verb} ${plural(report.recordsPurged.length, 'review record', 'review records')} past the record retention (${report.recordsKept} kept):`);
    for (const p of report.recordsPurged) ctx.out.line(`  ${p.sessionId}  kept until ${p.retainUntil}`);
  }
  if (report.dryRun && report.purged.length + report.recordsPurged.length > 0) ctx.out.line('Nothing was deleted (dry run).');
  for (const p of report.problems) ctx.out.warn(p);
  return 0;
}

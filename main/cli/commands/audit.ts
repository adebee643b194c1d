import { UsageError } from '../../../common/errors';
import { assertYotiId } from '../../../common/yoti-ids';
import { parse } from '../args';
import type { CliContext } from '../context';

const USAGE = 'idv-review audit verify [--json] | audit log [SESSION_ID] [--json]';

/**
 * `audit verify`: checks the hash chain, its anchor, every evidence manifest and every review version
 * against the stored files; exit 0 when intact, 3 otherwise, naming the first entry or file that does
 * not match. `audit log`: the entries (of one session), after checking the chain.
 */
export async function auditCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, { json: { type: 'boolean' } }, USAGE);
  const store = await ctx.offline();
  switch (sub) {
    case 'verify': {
      if (positionals.length > 0) throw new UsageError('USAGE', `unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
      const report = await store.verify();
      if (values.json) ctx.out.json(report);
      else if (report.ok) {
        ctx.out.line(
          `Audit log intact: ${report.entries} entries, head ${report.head ?? '(empty)'}; ` +
            `${report.sessionsChecked} session${report.sessionsChecked === 1 ? '' : 's'} and ${report.filesChecked} files match it.`,
        );
        for (const w of report.warnings) ctx.out.warn(`note: ${w}`);
      } else {
        ctx.out.line(`Audit verification FAILED: ${report.firstProblem ?? 'unknown problem'}`);
        const more = report.problems.slice(1);
        for (const p of more.slice(0, 50)) ctx.out.line(`  also: ${p}`);
        if (more.length > 50) ctx.out.line(`  … and ${more.length - 50} more`);
      }
      return report.ok ? 0 : 3;
    }
    case 'log': {
      if (positionals.length > 1) throw new UsageError('USAGE', `at most one session ID\nusage: ${USAGE}`);
      const sessionId = positionals[0] === undefined ? undefined : assertYotiId(positionals[0], 'session ID');
      const entries = await store.audit.entries(sessionId === undefined ? {} : { sessionId });
      if (values.json) ctx.out.json(entries);
      else {
        for (const e of entries) {
          const who = e.who.name ? `${e.who.name} (${e.who.osAccount})` : e.who.osAccount;
          ctx.out.line(`#${e.seq} ${e.at} ${e.type}${e.sessionId ? ` ${e.sessionId}` : ''} by ${who} ${JSON.stringify(e.data).slice(0, 160)}`);
        }
        if (entries.length === 0) ctx.out.line('No audit entries.');
      }
      return 0;
    }
    default:
      throw new UsageError('USAGE', `unknown audit command ${sub ? `"${sub}"` : '(none)'}\nusage: ${USAGE}`);
  }
}

import { UsageError } from '../../../common/errors';
import { assertYotiId } from '../../../common/yoti-ids';
import { parse, requireValue } from '../args';
import { confirmed } from '../confirm';
import type { CliContext } from '../context';

const USAGE = 'idv-review audit verify [--data DIR] [--json] | audit log [SESSION_ID] [--json] | audit accept-restore --reason WHY [--yes]';

/**
 * `audit verify`: checks the hash chain, its anchors (audit/head.json and the OS keychain), every
 * evidence manifest and every review version against the stored files, writing nothing (`--data DIR`
 * checks another folder, such as a read-only backup); exit 0 when intact, 3 otherwise, naming the
 * first entry or file that does not match. `audit log`: the entries (of one session), after checking
 * the chain. `audit accept-restore`: accepts a log that does not match its keychain anchor (a backup
 * restored on purpose), recording the old and the new head and the reason.
 */
export async function auditCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, { json: { type: 'boolean' }, data: { type: 'string' }, reason: { type: 'string' }, yes: { type: 'boolean' } }, USAGE);
  if (values.data !== undefined && sub !== 'verify') throw new UsageError('USAGE', `--data is for audit verify only\nusage: ${USAGE}`);
  if (values.reason !== undefined && sub !== 'accept-restore') throw new UsageError('USAGE', `--reason is for audit accept-restore only\nusage: ${USAGE}`);
  switch (sub) {
    case 'verify': {
      if (positionals.length > 0) throw new UsageError('USAGE', `unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
      const report = await (await ctx.checkOnly(values.data)).verify();
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
      const entries = await (await ctx.checkOnly()).audit.entries(sessionId === undefined ? {} : { sessionId });
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
    case 'accept-restore': {
      if (positionals.length > 0) throw new UsageError('USAGE', `unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
      const reason = requireValue(values.reason, '--reason', USAGE);
      const store = await ctx.offline();
      const problem = await store.trustProblem();
      const question = `The audit log does not match its anchor in the OS keychain: ${problem ?? 'it matches'}. Accept the log as it is now (after restoring a backup on purpose)? The old and the new head and your reason are recorded.`;
      if (!(await confirmed(ctx, values.yes, { question, refused: 'Not accepting the restored audit log without confirmation', declined: 'Nothing was accepted.' }))) return 0;
      const accepted = await store.acceptRestore(reason);
      ctx.out.line(
        `Accepted the restored audit log: the keychain anchored entry #${accepted.from.count} (${accepted.from.head.slice(0, 12)}…); ` +
          `it now anchors entry #${accepted.to.count + 1}, which records this acceptance over the log's head #${accepted.to.count} (${accepted.to.head.slice(0, 12)}…).`,
      );
      return 0;
    }
    default:
      throw new UsageError('USAGE', `unknown audit command ${sub ? `"${sub}"` : '(none)'}\nusage: ${USAGE}`);
  }
}

import { UsageError } from '../../../common/errors';
import { parse } from '../args';
import type { CliContext } from '../context';

const USAGE = 'idv-review list [--json]';

/** Stored sessions with state, Yoti's recommendation, decision, retain-until and evidence health (every file checked), and records whose evidence was deleted. Offline. */
export async function listCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } }, USAGE);
  if (positionals.length > 0) throw new UsageError('USAGE', `unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
  const store = await ctx.offline();
  const distrust = await store.trustProblem();
  if (distrust !== null) ctx.out.warn(`WARNING: the audit log cannot be trusted: ${distrust}. Decisions and exports are refused until this is resolved (idv-review audit verify).`);
  const rows = await store.listCachedSessions({ deep: true });
  if (values.json) {
    ctx.out.json(rows);
    return 0;
  }
  if (rows.length === 0) {
    ctx.out.line('No sessions or review records in the local store. Fetch one with: idv-review fetch SESSION_ID');
    return 0;
  }
  const table = [
    ['SESSION', 'STATE', 'YOTI', 'DECISION', 'RETAIN UNTIL', 'EVIDENCE'],
    ...rows.map((r) => [
      r.sessionId,
      r.state ?? '?',
      r.overall ?? '?',
      r.decision ?? (r.review === 'DRAFT' ? '(draft)' : r.review === 'DAMAGED' ? '(damaged)' : '-'),
      r.retainUntil ? `${r.retainUntil.slice(0, 10)}${r.retainUntilOverridden ? '*' : ''}` : '?',
      r.evidenceDeleted ? `deleted ${r.evidenceDeleted.at.slice(0, 10)} (${r.evidenceDeleted.how}), record kept` : r.cache,
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  for (const row of table) ctx.out.line(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
  if (rows.some((r) => r.retainUntilOverridden)) ctx.out.line('* retain-until set for that session');
  for (const r of rows) for (const p of r.problems) ctx.out.warn(`${r.sessionId}: ${p}`);
  return 0;
}

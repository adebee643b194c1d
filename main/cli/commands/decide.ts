import { UsageError } from '../../../common/errors';
import { DECISIONS, isDecision } from '../../../common/review/decisions';
import { assertYotiId } from '../../../common/yoti-ids';
import { parse } from '../args';
import type { CliContext } from '../context';
import { decisionContextLines } from '../../../common/review/guardrails';
import { timeOnTaskWords } from '../format-review';
import { confirmDecision } from '../../core/team/team-decision';

const USAGE =
  'idv-review decide SESSION_ID --decision D [--reason CODE]... [--note TEXT] [--reviewer NAME]\n' +
  '                  [--before-complete WHY] [--acknowledge-contradiction] [--supersede WHY]';

/**
 * Confirms the reviewer's decision on a cached session (works offline). The reasons are exactly the
 * --reason codes given; --note replaces the notes (left out, the saved notes are kept). The review
 * store's guardrails apply (common/review/guardrails.ts): each override is a flag of its own, and a
 * refusal records nothing. A confirmed decision is final: changing it needs --supersede with the
 * reason for the change, and creates a new, linked version.
 */
export async function decideCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    {
      decision: { type: 'string' },
      reason: { type: 'string', multiple: true },
      note: { type: 'string' },
      reviewer: { type: 'string' },
      'before-complete': { type: 'string' },
      'acknowledge-contradiction': { type: 'boolean' },
      supersede: { type: 'string' },
    },
    USAGE,
  );
  if (positionals.length !== 1) throw new UsageError('USAGE', `exactly one session ID is required\nusage: ${USAGE}`);
  const sessionId = assertYotiId(positionals[0], 'session ID');
  const decision = values.decision?.toUpperCase().replaceAll('-', '_');
  if (!isDecision(decision)) {
    throw new UsageError('UNKNOWN_DECISION', `--decision must be one of ${DECISIONS.join(', ')}\nusage: ${USAGE}`);
  }
  const store = await ctx.offline();
  const team = (await ctx.settings()).team === undefined ? null : await ctx.team();
  const { version, sent } = await confirmDecision(store, team, sessionId, {
    decision,
    reasonCodes: (values.reason ?? []).map((r) => r.trim().toUpperCase()),
    ...(values.note === undefined ? {} : { notes: values.note }),
    supersede: values.supersede !== undefined,
    via: 'cli',
    overrides: {
      beforeComplete: values['before-complete'],
      acknowledgeContradictions: values['acknowledge-contradiction'] === true,
      changeReason: values.supersede,
    },
    reviewerName: values.reviewer,
  });
  const reasons = version.reasons.length > 0 ? version.reasons.map((r) => r.code).join(', ') : 'none';
  ctx.out.line(
    `Decision ${version.decision ?? ''} confirmed for session ${sessionId} (version ${version.seq}${version.supersedes ? `, supersedes ${version.supersedes}` : ''}).`,
  );
  ctx.out.line(`  Reasons: ${reasons}`);
  ctx.out.line(`  Reviewer: ${version.reviewer.name ? `${version.reviewer.name}, ` : ''}OS account ${version.reviewer.osAccount}`);
  ctx.out.line(`  Made on evidence manifest sha256:${version.manifestHash ?? '?'}`);
  if (version.timeOnTaskMs !== null) ctx.out.line(`  Time on task: ${timeOnTaskWords(version)}`);
  for (const line of decisionContextLines(version.context)) ctx.out.line(`  ${line}`);
  if (sent !== null) {
    (await import('./team')).reportSent(ctx, sent);
    const mine = sent.submitted.find((s) => s.item.versionId === version.versionId);
    if (mine !== undefined) ctx.out.line(`  Team database: submitted${mine.requiresCountersign ? '; final once another reviewer countersigns' : ''}.`);
  }
  return 0;
}

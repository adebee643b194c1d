import pg from 'pg';
import { isAppError, UsageError } from '../../../common/errors';
import { assertYotiId } from '../../../common/yoti-ids';
import { describeTeamConnection, parseTeamUrl } from '../../core/team/connection';
import { migrate } from '../../core/team/migrate';
import { sendOutbox as sendTeamOutbox } from '../../core/team/team-decision';
import { withTeamClient, type FlushOutcome } from '../../core/team/team-service';
import { parse, requireValue } from '../args';
import type { CliContext } from '../context';

const USAGE =
  'idv-review team migrate --db URL [--password-stdin] | team connect --db URL [--password-stdin] |\n' +
  '                team queue add SESSION_ID... [--priority N] | team claim [--json] [--lease MINUTES] |\n' +
  '                team release SESSION_ID | team reassign SESSION_ID --to ROLE | team countersign SESSION_ID |\n' +
  '                team status [--json] | team audit verify [--json]';

const OPTIONS = {
  db: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  priority: { type: 'string' },
  lease: { type: 'string' },
  json: { type: 'boolean' },
  to: { type: 'string' },
} as const;

/** Team mode (core/team): the shared queue, claims, four eyes and the outbox, on the team's PostgreSQL. */
export async function teamCommand(ctx: CliContext, argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parse(rest, OPTIONS, USAGE);
  const team = await ctx.team();
  const password = async () => (values['password-stdin'] === true ? (await ctx.io.readStdin()).replace(/\r?\n$/, '') : null);
  switch (sub) {
    case 'migrate': {
      const { connection, password: inUrl } = parseTeamUrl(requireValue(values.db, '--db', USAGE));
      const given = (await password()) ?? inUrl;
      if (given === null) throw new UsageError('TEAM_PASSWORD_MISSING', 'Give the admin role\'s password with --password-stdin (or in the URL).');
      const ca = await team.extraCa();
      let outcome;
      try {
        outcome = await withTeamClient(connection, given, ca, (client) => migrate(client));
      } catch (err) {
        if (!isAppError(err) || err.code !== 'TEAM_DATABASE_MISSING') throw err;
        // Setting up in one command: the database is made first (the admin role needs CREATEDB), then migrated.
        await withTeamClient({ ...connection, database: 'postgres' }, given, ca, (client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(connection.database)}`));
        ctx.out.line(`Created the database ${connection.database} on ${connection.host}.`);
        outcome = await withTeamClient(connection, given, ca, (client) => migrate(client));
      }
      ctx.out.line(
        outcome.applied.length === 0
          ? `The team database ${describeTeamConnection(connection)} is at schema version ${outcome.to}, the newest this build knows: nothing to do.`
          : `Migrated ${describeTeamConnection(connection)} from schema version ${outcome.from} to ${outcome.to}: ${outcome.applied.map((m) => `${m.version} ${m.name}`).join(', ')}.`,
      );
      return 0;
    }
    case 'connect': {
      const joined = await team.join(requireValue(values.db, '--db', USAGE), await password());
      await (await ctx.offline()).recordAudit('team.joined', null, { host: joined.connection.host, port: joined.connection.port, database: joined.connection.database, role: joined.role });
      ctx.out.line(`Joined the team database ${describeTeamConnection(joined.connection)} as ${joined.role} (${joined.supervisor ? 'supervisor' : 'reviewer'}).`);
      ctx.out.line('The password is in the OS keychain; decisions confirmed on this workstation now go to the team database too.');
      return 0;
    }
    case 'queue': {
      const [verb, ...ids] = positionals;
      if (verb !== 'add' || ids.length === 0) throw new UsageError('USAGE', `usage: ${USAGE}`);
      const priority = values.priority === undefined ? 0 : integerIn(values.priority, -1000, 1000, '--priority');
      const result = await team.db((db) => db.addToQueue(ids.map((id) => assertYotiId(id, 'session ID')), priority));
      ctx.out.line(`Added ${result.added.length} session${result.added.length === 1 ? '' : 's'} to the team queue${result.alreadyQueued.length > 0 ? `; already queued: ${result.alreadyQueued.join(', ')}` : ''}.`);
      return 0;
    }
    case 'claim': {
      const leaseMinutes = values.lease === undefined ? 30 : integerIn(values.lease, 1, 24 * 60, '--lease');
      await sendOutbox(ctx);
      const sessionId = await team.db((db) => db.claimNext(leaseMinutes * 60));
      if (values.json === true) ctx.out.json({ sessionId });
      else ctx.out.line(sessionId ?? 'Nothing left to claim: every queued session is decided or claimed.');
      return 0;
    }
    case 'release': {
      const sessionId = oneSession(positionals);
      const released = await team.db((db) => db.releaseClaim(sessionId));
      ctx.out.line(released ? `Released your claim on session ${sessionId}.` : `You hold no claim on session ${sessionId} (a supervisor may release anyone's).`);
      return released ? 0 : 3;
    }
    case 'reassign': {
      const sessionId = oneSession(positionals);
      const to = requireValue(values.to, '--to', USAGE);
      const moved = await team.db((db) => db.reassignClaim(sessionId, to));
      if (!moved) throw new UsageError('TEAM_NOT_REASSIGNED', `Session ${sessionId} was not reassigned: nobody holds a claim on it.`);
      ctx.out.line(`Session ${sessionId} is now claimed by ${to}.`);
      return 0;
    }
    case 'audit': {
      if (positionals[0] !== 'verify') throw new UsageError('USAGE', `usage: ${USAGE}`);
      const check = await team.db((db) => db.verifyAudit());
      if (values.json === true) ctx.out.json(check);
      else ctx.out.line(check.problem === null ? `The team audit log is intact: ${check.entries} entries, each hash-chained to the one before.` : `The team audit log is broken at entry ${check.brokenAt ?? '?'}: ${check.problem}.`);
      return check.problem === null ? 0 : 3;
    }
    case 'countersign': {
      const sessionId = oneSession(positionals);
      const signed = await team.db((db) => db.countersign(sessionId));
      ctx.out.line(`Countersigned ${signed.author}'s ${signed.decision} on session ${sessionId} (version ${signed.versionId}): it is final.`);
      return 0;
    }
    case 'status': {
      const sent = await sendOutbox(ctx);
      const status = await team.db((db) => db.overview());
      const pending = (await team.pending()).length;
      if (values.json === true) {
        ctx.out.json({
          role: status.me.role,
          supervisor: status.me.supervisor,
          counts: status.figures.counts,
          awaitingYourCountersignature: status.awaiting.map((s) => ({ sessionId: s.session_id, versionId: s.version_id, reviewer: s.reviewer, decision: s.decision })),
          conflicts: status.conflicts.map((s) => ({ sessionId: s.session_id, versionId: s.version_id, reviewer: s.reviewer, decision: s.decision, conflictsWith: { versionId: s.conflicts_with, reviewer: s.other_reviewer, decision: s.other_decision } })),
          outbox: { pending, sentNow: sent.submitted.length },
          ...(status.me.supervisor ? { reviewersToday: status.figures.reviewers } : {}),
        });
        return 0;
      }
      const c = status.figures.counts;
      ctx.out.line(`Team queue: ${c.open} open, ${c.claimed} claimed, ${c.awaiting_countersign} awaiting a countersignature, ${c.in_conflict} in conflict, ${c.final} final.`);
      ctx.out.line(`You are ${status.me.role} (${status.me.supervisor ? 'supervisor' : 'reviewer'}).`);
      for (const s of status.awaiting) ctx.out.line(`  Waiting for your countersignature: ${s.session_id}: ${s.decision ?? ''} by ${s.reviewer ?? ''}`);
      for (const s of status.conflicts) {
        ctx.out.line(`  In conflict: ${s.session_id}: ${s.decision ?? ''} by ${s.reviewer ?? ''} was made without seeing ${s.other_decision ?? ''} by ${s.other_reviewer ?? ''}; both are kept`);
      }
      ctx.out.line(pending === 0 ? 'Outbox: empty.' : `Outbox: ${pending} decision${pending === 1 ? '' : 's'} waiting to be sent.`);
      if (status.me.supervisor) {
        for (const r of status.figures.reviewers) {
          const agreement = r.compared === 0 ? 'no comparable Yoti result' : `${Math.round((100 * r.agreed) / r.compared)}% agree with Yoti`;
          const median = r.median_active_ms === null ? '' : `, median ${Math.round(r.median_active_ms / 1000)} s on task`;
          ctx.out.line(`  ${r.reviewer}: ${r.decided} decided today, ${agreement}${median}`);
        }
      }
      return 0;
    }
    default:
      throw new UsageError('USAGE', `usage: ${USAGE}`);
  }
}

/** Sends the decisions waiting in the outbox, saying what happened; offline is said, not an error. */
export async function sendOutbox(ctx: CliContext): Promise<FlushOutcome> {
  return reportSent(ctx, await sendTeamOutbox(await ctx.offline(), await ctx.team()));
}

export function reportSent(ctx: CliContext, outcome: FlushOutcome): FlushOutcome {
  for (const s of outcome.submitted) {
    if (s.conflictsWith !== null) {
      ctx.out.warn(`Session ${s.item.sessionId}: another reviewer's decision (version ${s.conflictsWith}) reached the team database first; both are kept and the conflict is shown to you, them and the supervisor.`);
    }
  }
  for (const u of outcome.unsendable) ctx.out.warn(`Not sent to the team database, taken out of the outbox: ${u.why}.`);
  if (outcome.offline) ctx.out.warn(`The team database cannot be reached: ${outcome.pending} decision${outcome.pending === 1 ? '' : 's'} kept in the outbox, sent when it is back.`);
  return outcome;
}

function oneSession(positionals: string[]): string {
  if (positionals.length !== 1) throw new UsageError('USAGE', `exactly one session ID is required\nusage: ${USAGE}`);
  return assertYotiId(positionals[0], 'session ID');
}

function integerIn(text: string, min: number, max: number, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError('USAGE', `${flag} must be a whole number from ${min} to ${max}.`);
  return n;
}

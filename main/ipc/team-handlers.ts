import { isAppError } from '../../common/errors';
import type { Channel, ParsedArgs, Results, TeamSessionView, TeamView } from '../../common/ipc/contract';
import { describeTeamConnection, parseTeamUrl, teamUrl, TeamUnreachableError } from '../core/team/connection';
import type { SessionState } from '../core/team/team-db';
import type { TeamService } from '../core/team/team-service';
import type { CallContext, Services } from './ports';

type TeamChannel = Extract<Channel, 'getTeamView' | 'joinTeam' | 'claimNextTeamSession' | 'countersignTeamDecision'>;

/**
 * Team mode's calls (core/team): the same service, rules and outbox as `idv-review team`. Joining
 * is confirmed natively by main (where decisions go is security-relevant); the password goes
 * straight to the OS keychain and is never sent back.
 */
export function teamHandlers(services: Services): { [C in TeamChannel]: (args: ParsedArgs<C>, ctx: CallContext) => Promise<Results[C]> } {
  const sessionView = (s: SessionState): TeamSessionView => ({ sessionId: s.session_id, versionId: s.version_id, reviewer: s.reviewer, decision: s.decision });

  async function view(team: TeamService): Promise<TeamView> {
    const connection = await team.connection();
    if (connection === null) return { joined: false };
    try {
      const sentNow = (await services.team.sendOutbox()).submitted.length;
      const state = await team.db((db) => db.overview());
      const c = state.figures.counts;
      return {
        joined: true,
        connection: describeTeamConnection(connection),
        url: teamUrl(connection),
        outboxPending: (await team.pending()).length,
        reachable: true,
        role: state.me.role,
        supervisor: state.me.supervisor,
        sentNow,
        counts: { open: c.open, claimed: c.claimed, awaitingCountersign: c.awaiting_countersign, inConflict: c.in_conflict, final: c.final },
        claims: state.claims.map((cl) => ({ sessionId: cl.sessionId, claimedBy: cl.claimedBy, leaseUntil: cl.leaseUntil.toISOString() })),
        awaitingYou: state.awaiting.map(sessionView),
        conflicts: state.conflicts.map((s) => ({
          ...sessionView(s),
          ...(s.conflicts_with === null ? {} : { conflictsWith: { versionId: s.conflicts_with, reviewer: s.other_reviewer ?? null, decision: s.other_decision ?? null } }),
        })),
        ...(state.me.supervisor
          ? { reviewersToday: state.figures.reviewers.map((r) => ({ reviewer: r.reviewer, decided: r.decided, compared: r.compared, agreed: r.agreed, medianActiveMs: r.median_active_ms })) }
          : {}),
      };
    } catch (err) {
      // Away, refusing this login, or a password or outbox that cannot be read: the app works on, saying why.
      if (!(err instanceof TeamUnreachableError) && !isAppError(err)) throw err;
      return { joined: true, connection: describeTeamConnection(connection), url: teamUrl(connection), outboxPending: (await team.pending()).length, reachable: false, problem: err.message };
    }
  }

  return {
    async getTeamView() {
      // Without a team database the driver is never loaded.
      if ((await services.settings.load()).team === undefined) return { joined: false };
      return view(await services.team.service());
    },

    async joinTeam(args) {
      const { connection } = parseTeamUrl(args.url);
      const confirmed = await services.dialogs.confirm({
        title: 'Join a team database',
        message: `Join the team database ${describeTeamConnection(connection)}?`,
        detail:
          'Decisions confirmed on this workstation will also be sent there, in your login role\'s name, with your reasons and notes ' +
          '(never images or document data). The password is kept in the OS keychain.',
        confirmLabel: 'Join',
      });
      if (!confirmed) return { joined: false };
      const team = await services.team.service();
      const joined = await team.join(args.url, args.password);
      await services.audit.append({ action: 'team.joined', details: { host: connection.host, port: connection.port, database: connection.database, role: joined.role } });
      return view(team);
    },

    async claimNextTeamSession() {
      const team = await services.team.service();
      const sessionId = await team.db((db) => db.claimNext());
      if (sessionId !== null) await (await services.queue()).add([sessionId], services.clock.now().toISOString());
      return { sessionId };
    },

    async countersignTeamDecision(args) {
      return (await services.team.service()).db((db) => db.countersign(args.sessionId));
    },
  };
}

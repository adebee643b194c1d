/**
 * Team mode in the page (issue 16): main's team view (claims, decisions awaiting this reviewer's
 * countersignature, conflicts, a supervisor's figures) read at start, every 30 s while joined, and
 * after a join, a claim, a countersignature or a decision. Reading it also sends main's outbox (the
 * decisions confirmed while the team database was away). Without a team database the view is
 * `joined: false` and nothing of the team is shown.
 */
import type { TeamView } from '../../../common/ipc/contract';
import { DECISION_WORDS, isDecision } from '../../../common/review/decisions';
import { call, errorText } from '../lib/api';
import { coalesced } from '../lib/coalesced';
import { openSessionById, refreshQueue } from './actions';
import { notify, useConsole } from './store';

export type JoinedTeam = Extract<TeamView, { joined: true }>;
export type ReachableTeam = Extract<TeamView, { reachable: true }>;

const REFRESH_MS = 30_000;

const get = useConsole.getState;
const set = useConsole.setState;

/** A decision as the team database names it, in the console's words. */
export function teamDecisionWords(decision: string | null): string {
  return decision === null ? 'no decision' : isDecision(decision) ? DECISION_WORDS[decision] : decision;
}

/** The team view, when the team database answered; null otherwise. */
export function reachableTeam(team: TeamView): ReachableTeam | null {
  return team.joined && team.reachable ? team : null;
}

/** Bumped by a join, whose answer is newer than any read that began before it. */
let joins = 0;

async function readOnce(): Promise<void> {
  const at = joins;
  try {
    const team = await call('getTeamView', {});
    if (at !== joins) return;
    set({ team, teamError: undefined, teamAt: Date.now() });
    if (team.joined && team.reachable && team.sentNow > 0) {
      notify(`Sent ${team.sentNow} decision${team.sentNow === 1 ? '' : 's'} confirmed while the team database could not be reached.`);
    }
  } catch (e) {
    if (at === joins) set({ teamError: errorText(e), teamAt: Date.now() });
  }
}

/** Reads the team view: one read at a time (each sends the outbox), never older than the request. */
export const loadTeam = coalesced(readOnce);

/** Reads the team view again, only when this workstation has joined one (or the last read failed). */
export function refreshTeam(): Promise<void> {
  const { team, teamError } = get();
  return team.joined || teamError !== undefined ? loadTeam() : Promise.resolve();
}

/** The first read, then one every 30 s while joined (App's lifetime); returns the function that stops it. */
export function startTeamRefresh(): () => void {
  void loadTeam();
  const timer = setInterval(() => void refreshTeam(), REFRESH_MS);
  return () => clearInterval(timer);
}

/**
 * Joins a team database; main asks the person to confirm, natively, and keeps the password in the
 * OS keychain. The password is passed through, never kept in the page. Resolves to the new view
 * (`joined: false` when the person cancelled); a refused login rejects, in words.
 */
export async function joinTeam(url: string, password: string): Promise<TeamView> {
  const team = await call('joinTeam', { url, password });
  joins += 1;
  set({ team, teamError: undefined, teamAt: Date.now() });
  return team;
}

/**
 * Claims the next session of the team queue for this reviewer and opens it. Main adds it to the
 * local list; opening downloads it first when it is not stored yet, as for any session there.
 */
export async function claimNext(): Promise<void> {
  try {
    const { sessionId } = await call('claimNextTeamSession', {});
    void loadTeam();
    if (sessionId === null) {
      notify('Nothing left to claim: every session in the team queue is claimed or decided.');
      return;
    }
    await refreshQueue();
    notify(`Session ${sessionId} is claimed for you.`);
    await openSessionById(sessionId);
  } catch (e) {
    notify(`Could not claim a session: ${errorText(e)}`, 'error');
  }
}

/**
 * Countersigns another reviewer's decision; resolves to what happened in words, rejects with main's
 * refusal in words. The view is read again either way: a refusal usually means it was out of date.
 */
export async function countersign(sessionId: string): Promise<string> {
  try {
    const r = await call('countersignTeamDecision', { sessionId });
    return `You countersigned ${r.author}'s decision (${teamDecisionWords(r.decision)}) on session ${sessionId}: it is final.`;
  } finally {
    await loadTeam();
  }
}

/** Opens a session the team names, adding it to the local list first when it is not there (to see the evidence before countersigning). */
export async function openTeamSession(sessionId: string): Promise<void> {
  if (!get().queue.some((r) => r.sessionId === sessionId)) {
    try {
      await call('addSessions', { text: sessionId });
      await refreshQueue();
    } catch (e) {
      notify(`Could not add session ${sessionId} to the queue: ${errorText(e)}`, 'error');
      return;
    }
  }
  await openSessionById(sessionId);
}

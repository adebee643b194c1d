import { openDialog, useConsole } from '../../store/store';

/**
 * The way to the team panel, in the top bar in team mode only: how many decisions wait for this
 * reviewer's countersignature, or that the team database cannot be used now.
 */
export function TeamButton(): React.JSX.Element | null {
  const team = useConsole((s) => s.team);
  const error = useConsole((s) => s.teamError);
  if (!team.joined && error === undefined) return null;
  const waiting = team.joined && team.reachable ? team.awaitingYou.length : 0;
  const problem = error ?? (team.joined && !team.reachable ? team.problem : undefined);
  const name = ['Team', waiting > 0 ? `${waiting} awaiting your countersignature` : '', problem !== undefined ? 'unavailable' : ''].filter(Boolean).join(': ');
  return (
    <button type="button" onClick={() => openDialog({ kind: 'team' })} aria-label={name} title={problem ?? 'Claims, countersignatures and conflicts of the team'} data-testid="team-button">
      Team
      {waiting > 0 && <span className="team-badge">{waiting}</span>}
      {problem !== undefined && <span className="team-badge is-away">unavailable</span>}
    </button>
  );
}

import { useState } from 'react';
import { claimNext } from '../../store/team';
import { useConsole } from '../../store/store';

/**
 * The queue's team row, in team mode only: "Claim next" and how many sessions of the team queue are
 * open. Disabled, saying why, while the team database cannot be used.
 */
export function TeamQueueTools(): React.JSX.Element | null {
  const team = useConsole((s) => s.team);
  const [claiming, setClaiming] = useState(false);
  if (!team.joined) return null;
  const away = team.reachable ? undefined : `The team database cannot be used now: ${team.problem}`;
  const claim = async (): Promise<void> => {
    setClaiming(true);
    try {
      await claimNext();
    } finally {
      setClaiming(false);
    }
  };
  return (
    <div className="queue-tools" role="group" aria-label="Team queue">
      <button type="button" onClick={() => void claim()} disabled={claiming || away !== undefined} title={away ?? 'Claim the next session of the team queue and open it'}>
        {claiming ? 'Claiming…' : 'Claim next'}
      </button>
      <span className="muted" data-testid="team-open">
        {team.reachable ? `${team.counts.open} open in the team queue` : 'Team database unavailable'}
      </span>
    </div>
  );
}

import { useEffect, useState } from 'react';
import type { TeamSessionView } from '../../../../common/ipc/contract';
import { Modal } from '../../app/Modal';
import { Verdict, toneOf } from '../../app/Verdict';
import { errorText } from '../../lib/api';
import { clockTime, shortId } from '../../lib/format';
import { countersign, loadTeam, openTeamSession, reachableTeam, teamDecisionWords, type JoinedTeam, type ReachableTeam } from '../../store/team';
import { closeDialog, useConsole } from '../../store/store';
import { TodayPerReviewer } from './TodayPerReviewer';

/** Where this workstation stands: the database, its role, whether it answers (or why not), what waits to be sent. */
function Standing({ team, at }: { team: JoinedTeam; at: number }): React.JSX.Element {
  return (
    <dl className="facts" data-testid="team-standing">
      <dt>Team database</dt>
      <dd className="mono">{team.connection}</dd>
      <dt>Your role</dt>
      <dd>{team.reachable ? `${team.role} (${team.supervisor ? 'supervisor' : 'reviewer'})` : 'Not known while the team database cannot be used'}</dd>
      <dt>Connection</dt>
      <dd data-testid="team-reachable">
        {team.reachable ? `Reachable (read at ${clockTime(new Date(at).toISOString())})` : <span className="error-text">{team.problem}</span>}
      </dd>
      <dt>Not sent yet</dt>
      <dd data-testid="team-outbox">
        {team.outboxPending === 0
          ? 'Nothing: every decision confirmed here is in the team database.'
          : `${team.outboxPending} decision${team.outboxPending === 1 ? '' : 's'} confirmed here, sent once the team database answers.`}
      </dd>
    </dl>
  );
}

const COUNT_WORDS: ReadonlyArray<[keyof ReachableTeam['counts'], string]> = [
  ['open', 'Open'],
  ['claimed', 'Claimed'],
  ['awaitingCountersign', 'Awaiting a countersignature'],
  ['inConflict', 'In conflict'],
  ['final', 'Final'],
];

function Counts({ counts }: { counts: ReachableTeam['counts'] }): React.JSX.Element {
  return (
    <section aria-labelledby="team-counts-h">
      <h3 id="team-counts-h">Team queue</h3>
      <dl className="facts facts-inline" data-testid="team-counts">
        {COUNT_WORDS.map(([key, words]) => (
          <div key={key} className="fact-row">
            <dt>{words}</dt>
            <dd data-testid={`team-count-${key}`}>{counts[key]}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** One session the team names: its id, the newest decision and who made it. */
function SessionLine({ s }: { s: TeamSessionView }): React.JSX.Element {
  return (
    <>
      <span className="mono" title={s.sessionId}>
        {s.sessionId}
      </span>{' '}
      <Verdict tone={toneOf(s.decision ?? undefined)} text={teamDecisionWords(s.decision)} /> <span>by {s.reviewer ?? 'an unknown reviewer'}</span>
    </>
  );
}

function OpenButton({ sessionId }: { sessionId: string }): React.JSX.Element {
  return (
    <button
      type="button"
      onClick={() => {
        closeDialog();
        void openTeamSession(sessionId);
      }}
    >
      Open<span className="visually-hidden"> session {sessionId}</span>
    </button>
  );
}

/**
 * The team panel (issue 16): the team queue in numbers, other reviewers' decisions waiting for this
 * reviewer's countersignature, sessions in conflict (both decisions kept), and for a supervisor
 * today's figures per reviewer. Read afresh when it opens.
 */
export function TeamDialog(): React.JSX.Element {
  const team = useConsole((s) => s.team);
  const error = useConsole((s) => s.teamError);
  const at = useConsole((s) => s.teamAt);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);

  useEffect(() => {
    void loadTeam();
  }, []);

  const sign = async (s: TeamSessionView): Promise<void> => {
    setBusy(s.sessionId);
    setMessage(null);
    try {
      setMessage({ tone: 'info', text: await countersign(s.sessionId) });
    } catch (e) {
      setMessage({ tone: 'error', text: `Not countersigned: ${errorText(e)}` });
    } finally {
      setBusy(null);
    }
  };

  const refresh = async (): Promise<void> => {
    setBusy('refresh');
    await loadTeam();
    setBusy(null);
  };

  const reachable = reachableTeam(team);
  return (
    <Modal title="Team" onClose={closeDialog} wide testId="team">
      {error !== undefined && (
        <p className="error-text" role="alert">
          The team view could not be read: {error}
        </p>
      )}
      {team.joined ? <Standing team={team} at={at} /> : <p>This workstation has not joined a team database; join one in Settings.</p>}
      {reachable && (
        <>
          <Counts counts={reachable.counts} />
          <section aria-labelledby="team-awaiting-h" data-testid="team-awaiting">
            <h3 id="team-awaiting-h">
              Waiting for your countersignature <span className="count">({reachable.awaitingYou.length})</span>
            </h3>
            {reachable.awaitingYou.length === 0 ? (
              <p className="muted">Nothing waits for you. Your own decisions that need a second reviewer wait for someone else.</p>
            ) : (
              <ul className="team-list">
                {reachable.awaitingYou.map((s) => (
                  <li key={s.sessionId} data-session-id={s.sessionId}>
                    <p>
                      <SessionLine s={s} />
                    </p>
                    <div className="row">
                      <OpenButton sessionId={s.sessionId} />
                      <button type="button" className="primary" disabled={busy !== null} onClick={() => void sign(s)}>
                        {busy === s.sessionId ? 'Countersigning…' : 'Countersign'}
                        <span className="visually-hidden">
                          {' '}
                          {s.reviewer ?? 'another reviewer'}'s decision on session {s.sessionId}
                        </span>
                      </button>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="team-conflicts-h" data-testid="team-conflicts">
            <h3 id="team-conflicts-h">
              In conflict <span className="count">({reachable.conflicts.length})</span>
            </h3>
            {reachable.conflicts.length === 0 ? (
              <p className="muted">No session has two decisions made without seeing each other.</p>
            ) : (
              <ul className="team-list">
                {reachable.conflicts.map((s) => (
                  <li key={s.sessionId} data-session-id={s.sessionId}>
                    <p>
                      <SessionLine s={s} />, made without seeing the decision before it
                      {s.conflictsWith ? (
                        <>
                          {': '}
                          {teamDecisionWords(s.conflictsWith.decision)} by {s.conflictsWith.reviewer ?? 'another reviewer'} (version{' '}
                          <span className="mono">{shortId(s.conflictsWith.versionId)}</span>)
                        </>
                      ) : null}
                      . Both are kept; a new decision settles it.
                    </p>
                    <div className="row">
                      <OpenButton sessionId={s.sessionId} />
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>
          {reachable.reviewersToday && <TodayPerReviewer rows={reachable.reviewersToday} you={reachable.role} />}
        </>
      )}
      {message && (
        <p role={message.tone === 'error' ? 'alert' : 'status'} className={message.tone === 'error' ? 'error-text' : 'ok-text'} data-testid="team-message">
          {message.text}
        </p>
      )}
      <div className="modal-actions">
        <button type="button" disabled={busy !== null} onClick={() => void refresh()}>
          {busy === 'refresh' ? 'Reading…' : 'Read again'}
        </button>
        <button type="button" onClick={closeDialog}>
          Close
        </button>
      </div>
    </Modal>
  );
}

import type { ReachableTeam } from '../../store/team';
import { elapsed } from '../../lib/format';

type ReviewerToday = NonNullable<ReachableTeam['reviewersToday']>[number];

/** "75% (3 of 4)"; "—" when Yoti recommended neither approve nor reject on any of them. */
function agreementWords(r: ReviewerToday): string {
  return r.compared === 0 ? '—' : `${Math.round((100 * r.agreed) / r.compared)}% (${r.agreed} of ${r.compared})`;
}

/** The supervisor's view of today: per reviewer, decisions made, agreement with Yoti and the median active time on task. */
export function TodayPerReviewer({ rows, you }: { rows: ReviewerToday[]; you: string }): React.JSX.Element {
  return (
    <section aria-labelledby="team-today-h" data-testid="team-today">
      <h3 id="team-today-h">Today per reviewer</h3>
      {rows.length === 0 ? (
        <p className="muted">No decision reached the team database today.</p>
      ) : (
        <>
          <table className="grid-table" aria-labelledby="team-today-h" aria-describedby="team-today-note">
            <thead>
              <tr>
                <th scope="col">Reviewer</th>
                <th scope="col">Decided</th>
                <th scope="col">Agreement with Yoti</th>
                <th scope="col">Median active time on task</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.reviewer} data-reviewer={r.reviewer}>
                  <th scope="row">{r.reviewer === you ? `${r.reviewer} (you)` : r.reviewer}</th>
                  <td>{r.decided}</td>
                  <td>{agreementWords(r)}</td>
                  <td>{r.medianActiveMs === null ? '—' : elapsed(r.medianActiveMs / 1000)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p id="team-today-note" className="muted">
            Agreement: of the decisions on sessions Yoti approved or rejected, those that approve what Yoti approved or do not approve what Yoti rejected.
            Active time is what the app measured; time on task where it was not measured (the command line). — : nothing to count.
          </p>
        </>
      )}
    </section>
  );
}

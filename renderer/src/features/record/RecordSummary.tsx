import type { RecordView } from '../../../../common/ipc/contract';
import { ProblemList } from '../../app/ProblemList';
import { SessionIdLine } from '../../app/SessionIdLine';
import { Verdict } from '../../app/Verdict';
import { dateTime } from '../../lib/format';

const HOW_SHORT: Record<RecordView['evidenceDeleted']['how'], string> = {
  'at-yoti': 'Deleted at Yoti',
  'local-only': 'Deleted from this computer',
  purged: 'Deleted by the retention purge',
};

/** The findings pane of a session whose evidence was deleted: what is known of it, and whether its files are as the log says. */
export function RecordSummary({ record }: { record: RecordView }): React.JSX.Element {
  const gone = record.evidenceDeleted;
  return (
    <div className="session-head" data-testid="record-summary">
      <SessionIdLine sessionId={record.sessionId} />
      <ProblemList problems={record.changedOutsideApp.map((p) => `Changed outside the app: ${p}. Export is refused.`)} />
      <dl className="facts">
        <dt>Evidence</dt>
        <dd>
          <Verdict tone="info" text={HOW_SHORT[gone.how]} testId="record-evidence" /> on {dateTime(gone.at)}, by {gone.by} (audit entry #{gone.seq})
        </dd>
        <dt>Fetched</dt>
        <dd>{record.fetched === undefined ? 'Not recorded' : `${dateTime(record.fetched.at)} from ${record.fetched.apiUrl ?? 'an API not recorded'}`}</dd>
        {record.fetched?.sdkId !== undefined && (
          <>
            <dt>SDK ID</dt>
            <dd className="mono">{record.fetched.sdkId}</dd>
          </>
        )}
        <dt>Record kept until</dt>
        <dd data-testid="record-kept-until">{record.recordKeptUntil === undefined ? 'Not known' : `${dateTime(record.recordKeptUntil)} (the record retention)`}</dd>
      </dl>
      <p className="muted">
        The session's checks, document fields and images went with its evidence
        {gone.how === 'at-yoti' ? ': Yoti deleted them too, so they cannot be fetched again.' : '. Yoti may still hold them until its own retention ends.'}
      </p>
    </div>
  );
}

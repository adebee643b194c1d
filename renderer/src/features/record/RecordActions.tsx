import type { RecordView } from '../../../../common/ipc/contract';
import { ReviewRecord } from '../decision/ReviewRecord';
import { deleteRecord, exportReport, fetchOne, openSessionById } from '../../store/actions';
import { useConsole } from '../../store/store';

/** The decision pane of a session whose evidence was deleted: the record as it stands, its PDF, and its deletion (main asks first). */
export function RecordActions({ record }: { record: RecordView }): React.JSX.Element {
  const online = useConsole((s) => s.online);
  const fetching = useConsole((s) => s.fetching[record.sessionId] === true);
  const fetchAgain = async (): Promise<void> => {
    if (await fetchOne(record.sessionId, { force: true })) await openSessionById(record.sessionId);
  };
  return (
    <>
      <p className="muted">No decision can be recorded without the evidence.</p>
      {record.evidenceDeleted.how !== 'at-yoti' && (
        <div className="row">
          <button type="button" onClick={() => void fetchAgain()} disabled={fetching || !online} title={online ? undefined : 'Offline'}>
            {fetching ? 'Fetching…' : 'Fetch again from Yoti (it may still hold it)'}
          </button>
        </div>
      )}
      <ReviewRecord review={record.review} />
      <div className="row export-row">
        <button type="button" className="link-button" onClick={() => void exportReport(false)}>
          Export PDF report…
        </button>
        <button type="button" className="link-button" onClick={() => void exportReport(true)}>
          Export redacted PDF…
        </button>
      </div>
      <div className="row">
        <button type="button" className="danger" onClick={() => void deleteRecord(record.sessionId)} data-testid="delete-record">
          Delete the review record…
        </button>
      </div>
    </>
  );
}

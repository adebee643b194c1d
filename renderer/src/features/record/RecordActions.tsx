import type { RecordView } from '../../../../common/ipc/contract';
import { ExportLinks } from '../decision/ExportLinks';
import { ReviewRecord } from '../decision/ReviewRecord';
import { deleteRecord, openSessionById } from '../../store/actions';
import { FetchAgainButton } from '../findings/FetchAgainButton';

/** The decision pane of a session whose evidence was deleted: the record as it stands, its PDF, and its deletion (main asks first). */
export function RecordActions({ record }: { record: RecordView }): React.JSX.Element {
  return (
    <>
      <p className="muted">No decision can be recorded without the evidence.</p>
      {record.evidenceDeleted.how !== 'at-yoti' && (
        <FetchAgainButton sessionId={record.sessionId} label="Fetch again from Yoti (it may still hold it)" after={() => openSessionById(record.sessionId)} />
      )}
      <ReviewRecord review={record.review} />
      <ExportLinks />
      <div className="row">
        <button type="button" className="danger" onClick={() => void deleteRecord(record.sessionId)} data-testid="delete-record">
          Delete the review record…
        </button>
      </div>
    </>
  );
}

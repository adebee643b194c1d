import type { RecordView } from '../../../../common/ipc/contract';
import { bytes, dateTime } from '../../lib/format';

/**
 * The evidence pane of a session whose evidence was deleted: when, how and by whom, and each item
 * the decision rested on, replaced by "deleted on …" with the size and SHA-256 the log recorded.
 */
export function DeletedEvidence({ record }: { record: RecordView }): React.JSX.Element {
  const gone = record.evidenceDeleted;
  return (
    // Focusable, so the list scrolls from the keyboard too.
    <div className="pane-scroll deleted-evidence" data-testid="deleted-evidence" tabIndex={0} role="region" aria-label="Deleted evidence">
      <div className="note" role="note">
        <h3>Documents, images and Yoti's data deleted</h3>
        <p data-testid="deletion-words">{gone.words}</p>
        <p className="muted">The review record stays: the decision, its notes and the manifest below are what the record rests on.</p>
      </div>
      {record.manifest === undefined ? (
        <p className="muted" data-testid="deleted-manifest">
          The audit log holds no evidence manifest for this session, so the deleted items cannot be listed.
        </p>
      ) : (
        <table className="table deleted-items" data-testid="deleted-manifest">
          <caption>
            What the decision rested on, as the audit log recorded it (manifest <code className="mono">{record.manifest.manifestHash.slice(0, 12)}…</code>)
          </caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Type</th>
              <th scope="col">Size</th>
              <th scope="col">SHA-256</th>
              <th scope="col">Now</th>
            </tr>
          </thead>
          <tbody>
            {record.manifest.items.map((item) => (
              <tr key={item.what} data-testid="deleted-item">
                <th scope="row" className="mono">
                  {item.what}
                </th>
                <td>{item.mimeType ?? 'No content'}</td>
                <td>{item.sha256 === null ? '—' : bytes(item.size)}</td>
                <td className="mono hash">{item.sha256 ?? 'Yoti had no content'}</td>
                <td>Deleted on {dateTime(gone.at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

import { exportReport } from '../../store/actions';

/** The open record as PDF, whole or redacted (main's save dialog; the audit log records each). */
export function ExportLinks(): React.JSX.Element {
  return (
    <div className="row export-row">
      <button type="button" className="link-button" onClick={() => void exportReport(false)}>
        Export PDF report…
      </button>
      <button type="button" className="link-button" onClick={() => void exportReport(true)}>
        Export redacted PDF…
      </button>
    </div>
  );
}

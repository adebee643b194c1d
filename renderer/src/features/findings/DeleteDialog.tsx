import { useState } from 'react';
import { Modal } from '../../app/Modal';
import { deleteAtYoti } from '../../store/actions';
import { useNeedsYoti } from '../../store/offline';
import { closeDialog } from '../../store/store';

/** Deleting at Yoti: names exactly what will be gone for good, and asks twice. */
export function DeleteDialog({ sessionId, mediaId, what }: { sessionId: string; mediaId?: string; what: string }): React.JSX.Element {
  const [sure, setSure] = useState(false);
  const [busy, setBusy] = useState(false);
  // The API can stop answering while the dialog is open.
  const offline = useNeedsYoti();
  return (
    <Modal title={mediaId ? 'Delete a media item at Yoti?' : 'Delete the whole session at Yoti?'} onClose={closeDialog} testId="delete-dialog">
      <p>
        This deletes <strong>{what}</strong> at Yoti and from this computer.
      </p>
      <p>
        <strong>It is gone for good:</strong> Yoti cannot restore it, and it cannot be fetched again. Your review record (the decision, notes and the SHA-256
        of every item it rested on) and the audit log stay on this computer; the log records that you deleted it, but not the data.
      </p>
      <label className="check">
        <input type="checkbox" checked={sure} onChange={(e) => setSure(e.currentTarget.checked)} /> I understand that this cannot be undone
      </label>
      {offline !== undefined && (
        <p className="note" role="status">
          {offline}
        </p>
      )}
      <div className="modal-actions">
        <button type="button" data-autofocus onClick={closeDialog}>
          Keep it
        </button>
        <button
          type="button"
          className="danger"
          disabled={!sure || busy || offline !== undefined}
          title={offline}
          onClick={() => {
            setBusy(true);
            void deleteAtYoti(sessionId, mediaId).then(() => closeDialog());
          }}
        >
          {busy ? 'Deleting…' : 'Delete for good'}
        </button>
      </div>
    </Modal>
  );
}

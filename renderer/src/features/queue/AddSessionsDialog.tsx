import { useState } from 'react';
import type { AddSessionsResult } from '../../../../common/ipc/contract';
import { Modal } from '../../app/Modal';
import { errorText } from '../../lib/api';
import { addSessions, describeAdded, fetchOne } from '../../store/actions';
import { useNeedsYoti } from '../../store/offline';
import { closeDialog, useConsole } from '../../store/store';

/** Paste many session ids at once; invalid ones are listed with the reason, never added. */
export function AddSessionsDialog(): React.JSX.Element {
  const [text, setText] = useState('');
  const [result, setResult] = useState<AddSessionsResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const offline = useNeedsYoti();
  const submit = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const r = await addSessions(text);
      setResult(r);
      if (r.invalid.length === 0) setText('');
      if (useConsole.getState().online) {
        void (async () => {
          for (const id of r.added) await fetchOne(id, { quiet: true });
        })();
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal title="Add sessions" onClose={closeDialog} testId="add-sessions">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label className="field">
          <span>Session ids</span>
          <textarea
            value={text}
            rows={8}
            data-autofocus
            className="mono"
            aria-describedby="add-help"
            onChange={(e) => setText(e.currentTarget.value)}
          />
        </label>
        <p id="add-help" className="muted">
          Paste as many as you like: one per line, or separated by commas or spaces.{' '}
          {offline === undefined
            ? 'New sessions are downloaded straight away.'
            : `New sessions are added to the queue and downloaded once the API answers. ${offline}`}
        </p>
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        {result && (
          <div role="status" className="add-result">
            <p>{describeAdded(result)}.</p>
            {result.invalid.length > 0 && (
              <ul className="plain-list">
                {result.invalid.slice(0, 20).map((i) => (
                  <li key={i.value}>
                    <span className="mono">{i.value}</span>: {i.reason}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div className="modal-actions">
          <button type="button" onClick={closeDialog}>
            Close
          </button>
          <button type="submit" className="primary" disabled={busy || text.trim() === ''}>
            Add to the queue
          </button>
        </div>
      </form>
    </Modal>
  );
}

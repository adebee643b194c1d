import { useState } from 'react';
import { startDemo } from '../../store/actions';
import { openDialog } from '../../store/store';

/** First run without a key: one click starts the demo so the whole console can be seen working. */
export function Welcome(): React.JSX.Element {
  const [busy, setBusy] = useState(false);
  return (
    <div className="welcome" data-testid="welcome">
      <h3>Welcome to IDV Review Console</h3>
      <p>To review your own Yoti sessions, add your SDK ID and key in Settings. Not ready yet? The demo runs a local Yoti-like server with five made-up sessions, so you can try every screen.</p>
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void startDemo().finally(() => setBusy(false));
          }}
        >
          {busy ? 'Starting the demo…' : 'Try the demo'}
        </button>
        <button type="button" onClick={() => openDialog({ kind: 'settings' })}>
          Open settings
        </button>
      </div>
    </div>
  );
}

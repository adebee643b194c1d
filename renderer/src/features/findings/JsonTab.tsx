import { useEffect, useState } from 'react';
import type { SessionJsonView } from '../../../../common/ipc/contract';
import { call, errorText } from '../../lib/api';
import { bytes, dateTime } from '../../lib/format';

/**
 * Yoti's session JSON as stored, read-only: what every other tab is made from, for the case the
 * words do not cover. Personal values are masked until the reviewer asks (main does the masking, so
 * the page never holds them unasked).
 */
export function JsonTab({ sessionId }: { sessionId: string }): React.JSX.Element {
  const [reveal, setReveal] = useState(false);
  const [shown, setShown] = useState<SessionJsonView | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setError(null);
    call('getSessionJson', { sessionId, reveal }).then(
      (v) => live && setShown(v),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [sessionId, reveal]);

  if (error !== null) return <p role="alert" className="error-text">Yoti's JSON cannot be shown: {error}</p>;
  if (shown === null) return <div className="skeleton skeleton-block" aria-busy="true" />;
  return (
    <div className="stack">
      <p className="muted" data-testid="json-facts">
        As Yoti sent it, fetched {dateTime(shown.fetchedAt)}: {bytes(shown.size)}, SHA-256 <span className="mono hash">{shown.sha256}</span>.{' '}
        {shown.revealed
          ? 'Personal values are shown.'
          : shown.masked === 0
            ? 'No personal value was found to mask.'
            : `${shown.masked} personal value${shown.masked === 1 ? ' is' : 's are'} masked.`}
      </p>
      <p>
        <button type="button" onClick={() => setReveal(!reveal)} aria-pressed={reveal}>
          {reveal ? 'Mask personal values' : 'Show personal values'}
        </button>
      </p>
      <pre className="json-view" tabIndex={0} aria-label="Yoti's session JSON, read-only" data-testid="session-json">
        {shown.text}
      </pre>
    </div>
  );
}

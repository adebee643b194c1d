import { fetchOne } from '../../store/actions';
import { useNeedsYoti } from '../../store/offline';
import { useConsole } from '../../store/store';

/** Fetches the session from Yoti again (forced), then `after()`; disabled while fetching and while the API does not answer (saying why). */
export function FetchAgainButton({ sessionId, label, after }: { sessionId: string; label: string; after: () => Promise<void> }): React.JSX.Element {
  const offline = useNeedsYoti();
  const fetching = useConsole((s) => s.fetching[sessionId] === true);
  const run = async (): Promise<void> => {
    if (await fetchOne(sessionId, { force: true })) await after();
  };
  return (
    <div className="row">
      <button type="button" onClick={() => void run()} disabled={fetching || offline !== undefined} title={offline}>
        {fetching ? 'Fetching…' : label}
      </button>
    </div>
  );
}

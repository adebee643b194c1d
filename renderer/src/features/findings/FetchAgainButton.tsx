import { fetchOne } from '../../store/actions';
import { useConsole } from '../../store/store';

/** Fetches the session from Yoti again (forced), then `after()`; disabled offline and while fetching. */
export function FetchAgainButton({ sessionId, label, after }: { sessionId: string; label: string; after: () => Promise<void> }): React.JSX.Element {
  const online = useConsole((s) => s.online);
  const fetching = useConsole((s) => s.fetching[sessionId] === true);
  const run = async (): Promise<void> => {
    if (await fetchOne(sessionId, { force: true })) await after();
  };
  return (
    <div className="row">
      <button type="button" onClick={() => void run()} disabled={fetching || !online} title={online ? undefined : 'Offline: nothing can be fetched'}>
        {fetching ? 'Fetching…' : label}
      </button>
    </div>
  );
}

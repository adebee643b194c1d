import { openDialog, useConsole } from '../store/store';
import { TeamButton } from '../features/team/TeamButton';

export function TopBar(): React.JSX.Element {
  const app = useConsole((s) => s.app);
  const online = useConsole((s) => s.online);
  const offlineReason = useConsole((s) => s.offlineReason);
  const env = app?.settings.environment;
  return (
    <header className="topbar">
      <h1 className="brand">IDV Review Console</h1>
      <div className="topbar-status">
        {env && (
          <span className={`env env-${env}`} data-testid="environment" title={app?.settings.apiUrl}>
            {env === 'demo' ? 'Demo server' : env === 'custom' ? `Custom API: ${app?.settings.apiUrl ?? ''}` : 'Yoti production'}
          </span>
        )}
        <span className={`online ${online ? 'is-online' : 'is-offline'}`} role="status" data-testid="online">
          <span aria-hidden="true">{online ? '●' : '○'}</span> {online ? 'Online' : `Offline — ${offlineReason ?? "Yoti's API does not answer"}; showing cached copies`}
        </span>
        <span className="reviewer">
          {app?.settings.reviewerName ? (
            <>Reviewer: {app.settings.reviewerName}</>
          ) : (
            <button type="button" className="link-button" onClick={() => openDialog({ kind: 'settings' })}>
              Set your reviewer name
            </button>
          )}
        </span>
      </div>
      <nav className="topbar-actions" aria-label="App">
        <TeamButton />
        <button type="button" onClick={() => openDialog({ kind: 'shortcuts' })} aria-keyshortcuts="?" title="Keyboard shortcuts (?)">
          Shortcuts <kbd>?</kbd>
        </button>
        <button type="button" onClick={() => openDialog({ kind: 'settings' })} aria-keyshortcuts="Control+," title="Settings (Ctrl+,)">
          Settings
        </button>
      </nav>
    </header>
  );
}

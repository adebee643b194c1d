import { useEffect } from 'react';
import { Group, Panel, Separator, useDefaultLayout } from 'react-resizable-panels';
import { on } from '../lib/api';
import { applyReachability, loadApp, loadReasons, onSessionUpdated, refreshQueue } from '../store/actions';
import { saveDraftNow } from '../store/draft';
import { startBackgroundFetch } from '../store/background-fetch';
import { startRefresher } from '../store/refresher';
import { startActiveTime } from '../store/active-time';
import { startTeamRefresh } from '../store/team';
import { useConsole } from '../store/store';
import { DecisionPanel } from '../features/decision/DecisionPanel';
import { DeleteDialog } from '../features/findings/DeleteDialog';
import { Findings } from '../features/findings/Findings';
import { AddSessionsDialog } from '../features/queue/AddSessionsDialog';
import { QueuePanel } from '../features/queue/QueuePanel';
import { SettingsDialog } from '../features/settings/SettingsDialog';
import { ShortcutsDialog } from '../features/shortcuts/ShortcutsDialog';
import { TeamDialog } from '../features/team/TeamDialog';
import { handleKey, runMenuCommand } from '../features/shortcuts/shortcuts';
import { ViewerPane } from '../features/viewer/ViewerPane';
import { ErrorBoundary } from './ErrorBoundary';
import { StatusBar } from './StatusBar';
import { TopBar } from './TopBar';

function Dialogs(): React.JSX.Element | null {
  const dialog = useConsole((s) => s.dialog);
  if (dialog === null) return null;
  switch (dialog.kind) {
    case 'settings':
      return <SettingsDialog />;
    case 'shortcuts':
      return <ShortcutsDialog />;
    case 'add-sessions':
      return <AddSessionsDialog />;
    case 'team':
      return <TeamDialog />;
    case 'delete':
      return <DeleteDialog sessionId={dialog.sessionId} mediaId={dialog.mediaId} what={dialog.what} />;
  }
}

/** Subscriptions and timers for the page's lifetime; all removed on unmount. */
function useConsoleLifecycle(): void {
  useEffect(() => {
    void loadApp();
    void refreshQueue();
    void loadReasons();
    const offs = [
      on('fetch-progress', (p) => useConsole.setState((s) => ({ progress: { ...s.progress, [p.sessionId]: { done: p.done, total: p.total } } }))),
      on('online-changed', applyReachability),
      on('session-updated', (p) => void onSessionUpdated(p.sessionId)),
      on('menu-command', (p) => runMenuCommand(p.command)),
    ];
    window.addEventListener('keydown', handleKey);
    // Closing or reloading the window: a draft change still waiting for its pause is sent now.
    const onHide = (): void => void saveDraftNow();
    window.addEventListener('pagehide', onHide);
    const stopRefresher = startRefresher();
    const stopActiveTime = startActiveTime();
    const stopBackgroundFetch = startBackgroundFetch();
    const stopTeamRefresh = startTeamRefresh();
    return () => {
      for (const off of offs) off();
      window.removeEventListener('keydown', handleKey);
      window.removeEventListener('pagehide', onHide);
      stopRefresher();
      stopActiveTime();
      stopBackgroundFetch();
      stopTeamRefresh();
    };
  }, []);
}

const layoutStorage = typeof localStorage === 'undefined' ? undefined : localStorage;

export function App(): React.JSX.Element {
  useConsoleLifecycle();
  const outer = useDefaultLayout({ id: 'idv-console-columns', storage: layoutStorage });
  const right = useDefaultLayout({ id: 'idv-console-right', storage: layoutStorage });
  return (
    <div className="app">
      <a className="skip-link" href="#main-panes">
        Skip to the panes
      </a>
      <TopBar />
      <main id="main-panes" className="workspace" aria-label="Review workspace">
        <Group orientation="horizontal" defaultLayout={outer.defaultLayout} onLayoutChanged={outer.onLayoutChanged} className="panes">
          <Panel id="queue" defaultSize="21%" minSize="12%" maxSize="40%">
            <ErrorBoundary where="the queue">
              <QueuePanel />
            </ErrorBoundary>
          </Panel>
          <Separator className="separator" aria-label="Resize the queue and the evidence viewer" />
          <Panel id="viewer" defaultSize="45%" minSize="25%">
            <ErrorBoundary where="the evidence viewer">
              <ViewerPane />
            </ErrorBoundary>
          </Panel>
          <Separator className="separator" aria-label="Resize the evidence viewer and the findings" />
          <Panel id="right" defaultSize="34%" minSize="20%">
            <Group orientation="vertical" defaultLayout={right.defaultLayout} onLayoutChanged={right.onLayoutChanged}>
              <Panel id="findings" defaultSize="62%" minSize="20%">
                <ErrorBoundary where="the findings">
                  <Findings />
                </ErrorBoundary>
              </Panel>
              <Separator className="separator separator-h" aria-label="Resize the findings and the decision" />
              <Panel id="decision" defaultSize="38%" minSize="15%">
                <ErrorBoundary where="the decision panel">
                  <DecisionPanel />
                </ErrorBoundary>
              </Panel>
            </Group>
          </Panel>
        </Group>
      </main>
      <StatusBar />
      <Dialogs />
    </div>
  );
}

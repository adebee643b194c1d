import { useConsole } from '../store/store';

/** The last message, announced to screen readers (errors assertively). */
export function StatusBar(): React.JSX.Element {
  const notice = useConsole((s) => s.notice);
  const appError = useConsole((s) => s.appError);
  return (
    <footer className="statusbar">
      <p role="status" aria-live="polite" className="status-text" data-testid="status">
        {notice?.tone === 'info' ? notice.text : ''}
      </p>
      <p role="alert" className="status-text error-text" data-testid="status-error">
        {notice?.tone === 'error' ? notice.text : appError ? `The app state could not be read: ${appError}` : ''}
      </p>
      <p className="status-hint muted">
        Press <kbd>?</kbd> for shortcuts
      </p>
    </footer>
  );
}

import { useRef, useState, type KeyboardEvent } from 'react';
import { errorText } from '../../lib/api';
import { joinTeam } from '../../store/team';
import { useConsole } from '../../store/store';

/** A password typed into the URL would sit in the page's state; it has its own field, cleared after the call. */
function urlHasPassword(url: string): boolean {
  return URL.canParse(url.trim()) && new URL(url.trim()).password !== '';
}

/**
 * Settings → Team database: joining one (main confirms natively; the password goes to the OS
 * keychain), or, once joined, which one and as which role, and joining again (a password the
 * administrator changed, or another database) from the same form. The password is read from its
 * field at the call and the field is cleared after it: the page never keeps it.
 */
export function TeamDatabaseSettings(): React.JSX.Element {
  const team = useConsole((s) => s.team);
  // Here rather than in the form: joining swaps the form for the joined view, and the outcome stays.
  const [message, setMessage] = useState<Message | null>(null);
  return (
    <section aria-labelledby="set-team" data-testid="team-settings">
      <h3 id="set-team">Team database</h3>
      {team.joined ? (
        <>
          <p>
            Joined: <span className="mono">{team.connection}</span>
            {team.reachable ? `, as ${team.role} (${team.supervisor ? 'supervisor' : 'reviewer'}).` : '.'}
          </p>
          {!team.reachable && <p className="error-text">{team.problem}</p>}
          <p className="muted">Decisions confirmed here are also sent there, in your login role's name, with your reasons and notes (never images or document data).</p>
          {/* Open while the database cannot be used: a refused login is mended here. */}
          <details open={!team.reachable} data-testid="team-join-again">
            <summary>Join again: a new password, or another team database</summary>
            <JoinForm initialUrl={team.url} onOutcome={setMessage} />
          </details>
        </>
      ) : (
        <>
          <p className="muted">
            Working alone: decisions stay on this computer. To share a queue, claims and countersignatures with other reviewers, join your team's PostgreSQL
            database; the password is kept in the operating system's keychain.
          </p>
          <JoinForm initialUrl="" onOutcome={setMessage} />
        </>
      )}
      {message && (
        <p role={message.tone === 'error' ? 'alert' : 'status'} className={message.tone === 'error' ? 'error-text' : 'ok-text'} data-testid="team-settings-message">
          {message.text}
        </p>
      )}
    </section>
  );
}

interface Message {
  tone: 'info' | 'error';
  text: string;
}

function JoinForm({ initialUrl, onOutcome }: { initialUrl: string; onOutcome: (m: Message | null) => void }): React.JSX.Element {
  const [url, setUrl] = useState(initialUrl);
  const [hasPassword, setHasPassword] = useState(false);
  const [busy, setBusy] = useState(false);
  const password = useRef<HTMLInputElement>(null);
  const passwordInUrl = urlHasPassword(url);
  const ready = url.trim() !== '' && hasPassword && !passwordInUrl;

  const join = async (): Promise<void> => {
    const field = password.current;
    if (!ready || busy || field === null) return;
    setBusy(true);
    onOutcome(null);
    try {
      const joined = await joinTeam(url.trim(), field.value);
      if (joined.joined) {
        setUrl(joined.url);
        onOutcome({ tone: 'info', text: `Joined the team database ${joined.connection}.` });
      } else onOutcome({ tone: 'info', text: 'Not joined: the confirmation was cancelled.' });
    } catch (e) {
      onOutcome({ tone: 'error', text: `Not joined: ${errorText(e)}` });
    } finally {
      field.value = '';
      setHasPassword(false);
      setBusy(false);
    }
  };

  // The fields sit inside the settings form: Enter joins, rather than saving the settings.
  const enterJoins = (e: KeyboardEvent): void => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    void join();
  };

  return (
    <>
      <label className="field">
        <span>Database URL</span>
        <input
          type="text"
          value={url}
          placeholder="postgres://role@host:5432/database"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={passwordInUrl}
          aria-describedby="team-url-help"
          onChange={(e) => setUrl(e.currentTarget.value)}
          onKeyDown={enterJoins}
        />
      </label>
      <p id="team-url-help" className={passwordInUrl ? 'error-text' : 'muted'}>
        {passwordInUrl ? 'Give the password in its own field, not in the URL.' : 'Your login role, the host and the database, as your administrator gave them.'}
      </p>
      <div className="row">
        <label className="field">
          <span>Password</span>
          <input ref={password} type="password" autoComplete="current-password" onChange={(e) => setHasPassword(e.currentTarget.value !== '')} onKeyDown={enterJoins} />
        </label>
        <button type="button" disabled={busy || !ready} onClick={() => void join()}>
          {busy ? 'Joining…' : 'Join'}
        </button>
      </div>
    </>
  );
}

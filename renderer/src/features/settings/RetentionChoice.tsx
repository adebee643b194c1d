import { useState } from 'react';
import { call, errorText } from '../../lib/api';
import { loadApp } from '../../store/actions';
import { notify, useConsole } from '../../store/store';

const PRESETS = [7, 30, 90, 365] as const;

/**
 * The evidence retention, asked for once: how long the subject's face and documents stay on this
 * computer after the first fetch. Until someone chooses, the default (30 days) applies and this says
 * so. The record retention is not asked here: it has a regulatory default (Settings).
 */
export function RetentionChoice(): React.JSX.Element | null {
  const settings = useConsole((s) => s.app?.settings);
  const [days, setDays] = useState<number>(settings?.retentionDays ?? 30);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (settings === undefined || settings.retentionChosen) return null;
  const save = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      // A shorter time than the default is confirmed by main, natively (the next start purges past it).
      await call('updateSettings', { retentionDays: days });
      await loadApp();
      notify(`Evidence is kept ${days} days after its first fetch; change it in Settings.`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="retention-choice" aria-labelledby="retention-choice-h" data-testid="retention-choice">
      <h3 id="retention-choice-h">How long should documents and face images stay on this computer?</h3>
      <p>
        The evidence is the person's face and identity documents. Keep it no longer than your policy needs: the review record, with the SHA-256 of every
        item a decision rested on, stays for {settings.recordRetentionDays.toLocaleString('en-GB')} days without it. Until you choose, {settings.retentionDays} days apply.
      </p>
      <fieldset className="row" disabled={busy}>
        <legend className="visually-hidden">Keep evidence for</legend>
        {PRESETS.map((n) => (
          <label key={n} className="check">
            <input type="radio" name="retention-choice" checked={days === n} onChange={() => setDays(n)} /> {n} days
          </label>
        ))}
      </fieldset>
      <div className="row">
        <button type="button" className="primary" disabled={busy} onClick={() => void save()}>
          Keep evidence {days} days
        </button>
      </div>
      {error !== null && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

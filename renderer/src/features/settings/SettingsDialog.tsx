import { useState } from 'react';
import { Modal } from '../../app/Modal';
import { call, errorText } from '../../lib/api';
import { dateTime } from '../../lib/format';
import { loadApp, reloadOpenSession, startDemo } from '../../store/actions';
import { closeDialog, notify, useConsole } from '../../store/store';
import { TeamDatabaseSettings } from './TeamDatabaseSettings';

const SDK_ID = /^[0-9A-Za-z](?:[0-9A-Za-z-]{0,62}[0-9A-Za-z])?$/;

const isDays = (text: string): boolean => {
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= 36_500;
};

/** A number of days (1 to 36500), with its help line, or what is wrong with it. */
function DaysField(props: { id: string; label: string; value: string; onChange: (value: string) => void; help: string }): React.JSX.Element {
  const ok = isDays(props.value);
  return (
    <>
      <label className="field">
        <span>{props.label}</span>
        <input
          type="number"
          min={1}
          max={36500}
          step={1}
          value={props.value}
          aria-invalid={!ok}
          aria-describedby={`${props.id}-help`}
          onChange={(e) => props.onChange(e.currentTarget.value)}
        />
      </label>
      <p id={`${props.id}-help`} className={ok ? 'muted' : 'error-text'}>
        {ok ? props.help : 'Enter a whole number of days from 1 to 36500.'}
      </p>
    </>
  );
}

/** Reviewer, Yoti key (the PEM is read by main through its own dialog), API environment, retention, threshold. */
export function SettingsDialog(): React.JSX.Element {
  const app = useConsole((s) => s.app);
  const settings = app?.settings;
  const [name, setName] = useState(settings?.reviewerName ?? '');
  const [role, setRole] = useState(settings?.reviewerRole ?? '');
  const [workstation, setWorkstation] = useState(settings?.workstation ?? '');
  const [retention, setRetention] = useState(String(settings?.retentionDays ?? 30));
  const [recordRetention, setRecordRetention] = useState(String(settings?.recordRetentionDays ?? 1826));
  const [threshold, setThreshold] = useState(String(settings?.faceMatchThreshold ?? 0.7));
  const [sdkId, setSdkId] = useState('');
  const [picked, setPicked] = useState<string | undefined>(undefined);
  const [message, setMessage] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const retentionN = Number(retention);
  const recordRetentionN = Number(recordRetention);
  const thresholdN = Number(threshold);
  const retentionOk = isDays(retention) && isDays(recordRetention);
  const thresholdOk = threshold.trim() !== '' && Number.isFinite(thresholdN) && thresholdN >= 0 && thresholdN <= 1;
  const sdkOk = SDK_ID.test(sdkId.trim());

  const run = async (what: () => Promise<string | null>): Promise<void> => {
    setBusy(true);
    setMessage(null);
    try {
      const text = await what();
      if (text !== null) setMessage({ tone: 'info', text });
    } catch (e) {
      setMessage({ tone: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  const save = (): Promise<void> =>
    run(async () => {
      await call('updateSettings', { reviewerName: name.trim(), reviewerRole: role.trim(), workstation: workstation.trim(), retentionDays: retentionN, recordRetentionDays: recordRetentionN, faceMatchThreshold: thresholdN });
      await loadApp();
      await reloadOpenSession();
      notify('Settings saved.');
      closeDialog();
      return null;
    });

  const importKey = (): Promise<void> =>
    run(async () => {
      const r = await call('importKeyWithDialog', { sdkId: sdkId.trim() });
      if (r.cancelled || !r.key) return 'No key imported: the file dialog was cancelled.';
      await loadApp();
      setSdkId('');
      return `Key for SDK ID ${r.key.sdkId} imported (RSA ${r.key.modulusBits} bits, fingerprint ${r.key.fingerprint}).`;
    });

  const removeKey = (id: string): Promise<void> =>
    run(async () => {
      await call('removeKey', { sdkId: id });
      await loadApp();
      return `Key for ${id} removed from this computer.`;
    });

  const chooseKey = (id: string): Promise<void> => {
    setPicked(id); // shown at once; the saved choice replaces it, or a failure takes it back
    return run(async () => {
      try {
        await call('updateSettings', { sdkId: id });
        await loadApp();
      } finally {
        setPicked(undefined);
      }
      return `Sessions are fetched with the key of SDK ID ${id}.`;
    });
  };

  // The demo key signs only for the local demo server; the choice is between the customer's own keys.
  const customerKeys = (app?.keys ?? []).filter((k) => k.sdkId !== app?.demo.sdkId);
  const chosen = picked ?? (customerKeys.some((k) => k.sdkId === settings?.sdkId) ? settings?.sdkId : undefined);

  const useProduction = (): Promise<void> =>
    run(async () => {
      if (app?.demo.running) await call('stopDemo', {});
      await call('updateSettings', { apiUrl: null });
      await loadApp();
      return 'Using Yoti production.';
    });

  const useDemo = (): Promise<void> =>
    run(async () => {
      await startDemo();
      return 'Using the local demo server.';
    });

  // The file is read, and trusted, by main after its own confirmation; this window sees only the file name.
  const chooseCa = (): Promise<void> =>
    run(async () => {
      const r = await call('chooseCaFileWithDialog', {});
      if (r.cancelled) return 'No CA bundle chosen: the file dialog was cancelled.';
      await loadApp();
      return `Trusting ${r.certificates ?? 0} more certificate authorit${r.certificates === 1 ? 'y' : 'ies'} (file SHA-256 ${r.sha256 ?? 'unknown'}).`;
    });

  const clearCa = (): Promise<void> =>
    run(async () => {
      await call('updateSettings', { extraCaFile: null });
      await loadApp();
      return "Only Node's bundled certificate authorities are trusted.";
    });

  return (
    <Modal title="Settings" onClose={closeDialog} wide testId="settings">
      <form
        className="settings"
        onSubmit={(e) => {
          e.preventDefault();
          if (retentionOk && thresholdOk) void save();
        }}
      >
        <section aria-labelledby="set-reviewer">
          <h3 id="set-reviewer">Reviewer</h3>
          <label className="field">
            <span>Your name (recorded with every decision, next to the computer account {app?.osAccount ?? ''})</span>
            <input type="text" value={name} maxLength={200} autoComplete="name" onChange={(e) => setName(e.currentTarget.value)} />
          </label>
          <label className="field">
            <span>Your role (printed with your name on each review record, e.g. "Senior reviewer, KYC")</span>
            <input type="text" value={role} maxLength={100} autoComplete="organization-title" onChange={(e) => setRole(e.currentTarget.value)} />
          </label>
          <label className="field">
            <span>This workstation (printed on each review record; empty: the computer's name)</span>
            <input type="text" value={workstation} maxLength={200} autoComplete="off" placeholder={settings?.hostName} onChange={(e) => setWorkstation(e.currentTarget.value)} />
          </label>
        </section>

        <section aria-labelledby="set-key">
          <h3 id="set-key">Yoti key</h3>
          {app && app.keys.length > 0 ? (
            <ul className="plain-list">
              {app.keys.map((k) => (
                <li key={k.sdkId}>
                  <span className="mono">{k.sdkId}</span> — RSA {k.modulusBits} bits, fingerprint <span className="mono">{k.fingerprint}</span>, imported {dateTime(k.importedAt)}{' '}
                  <button type="button" className="link-button" disabled={busy} onClick={() => void removeKey(k.sdkId)}>
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No key yet. The key file is read by the app itself and kept in the operating system's keychain; this window never sees it.</p>
          )}
          {customerKeys.length > 1 && (
            <fieldset className="key-choice" data-testid="key-choice">
              <legend>Fetch sessions with</legend>
              {chosen === undefined && <p className="error-text">Several keys are stored: choose the one whose Yoti application the sessions belong to.</p>}
              {customerKeys.map((k) => (
                <label key={k.sdkId} className="choice">
                  <input type="radio" name="fetch-key" value={k.sdkId} checked={chosen === k.sdkId} disabled={busy} onChange={() => void chooseKey(k.sdkId)} />
                  <span className="mono">{k.sdkId}</span>
                </label>
              ))}
            </fieldset>
          )}
          <div className="row">
            <label className="field">
              <span>SDK ID</span>
              <input type="text" value={sdkId} onChange={(e) => setSdkId(e.currentTarget.value)} aria-invalid={sdkId !== '' && !sdkOk} aria-describedby="sdk-help" />
            </label>
            <button type="button" disabled={busy || !sdkOk} onClick={() => void importKey()}>
              Import PEM file…
            </button>
          </div>
          <p id="sdk-help" className={sdkId !== '' && !sdkOk ? 'error-text' : 'muted'}>
            {sdkId !== '' && !sdkOk ? 'An SDK ID has only letters, digits and hyphens.' : 'Enter the SDK ID from Yoti Hub, then choose its .pem file.'}
          </p>
        </section>

        <section aria-labelledby="set-env">
          <h3 id="set-env">API environment</h3>
          <p>
            Now: <strong>{settings?.environment === 'demo' ? 'Local demo server' : settings?.environment === 'custom' ? 'Custom address' : 'Yoti production'}</strong>{' '}
            <span className="mono">{settings?.apiUrl}</span>
          </p>
          <div className="row">
            <button type="button" disabled={busy || (settings?.environment === 'production' && !app?.demo.running)} onClick={() => void useProduction()}>
              Use Yoti production
            </button>
            <button type="button" disabled={busy || app?.demo.running} onClick={() => void useDemo()}>
              Use the local demo server
            </button>
          </div>
          <p data-testid="extra-ca">
            Certificate authorities:{' '}
            {settings?.extraCaFile === undefined ? (
              "Node's bundled ones only."
            ) : (
              <>
                Node's bundled ones, and your organisation's from <span className="mono">{settings.extraCaFile}</span>.
              </>
            )}
          </p>
          <div className="row">
            <button type="button" disabled={busy} onClick={() => void chooseCa()}>
              Trust a corporate CA bundle…
            </button>
            {settings?.extraCaFile !== undefined && (
              <button type="button" disabled={busy} onClick={() => void clearCa()}>
                Stop trusting it
              </button>
            )}
          </div>
        </section>

        <TeamDatabaseSettings />

        <section aria-labelledby="set-review">
          <h3 id="set-review">Review rules</h3>
          <DaysField
            id="ret"
            label="Keep evidence (document images, selfies, Yoti's data) for (days)"
            value={retention}
            onChange={setRetention}
            help="Counted from the first download. Personal data: keep it no longer than your policy needs. Deleting it keeps the review record."
          />
          <DaysField
            id="rec"
            label="Keep review records (decisions, notes, evidence hashes) for (days)"
            value={recordRetention}
            onChange={setRecordRetention}
            help="Counted from the record's last change. UK MLR 2017 reg 40 asks for 5 years (1826 days) after the business relationship ends."
          />
          <label className="field">
            <span>Face-match threshold (0 to 1)</span>
            <input type="number" min={0} max={1} step={0.01} value={threshold} aria-invalid={!thresholdOk} aria-describedby="thr-help" onChange={(e) => setThreshold(e.currentTarget.value)} />
          </label>
          <p id="thr-help" className={thresholdOk ? 'muted' : 'error-text'}>
            {thresholdOk ? 'A confidence score must be above this to count as a match. Yoti passes scores over 0.7.' : 'Enter a number from 0 to 1.'}
          </p>
        </section>

        {message && (
          <p role={message.tone === 'error' ? 'alert' : 'status'} className={message.tone === 'error' ? 'error-text' : 'ok-text'}>
            {message.text}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" onClick={closeDialog}>
            Close
          </button>
          <button type="submit" className="primary" disabled={busy || !retentionOk || !thresholdOk}>
            Save settings
          </button>
        </div>
      </form>
    </Modal>
  );
}

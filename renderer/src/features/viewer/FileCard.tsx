import { useState } from 'react';
import type { MediaView } from '../../../../common/ipc/contract';
import { call, errorText } from '../../lib/api';
import { bytes } from '../../lib/format';
import { useConsole } from '../../store/store';
import { recordViewed } from './record';

/** A binary item (the facemap): its size and SHA-256, and a save link through main's native dialog. */
export function FileCard({ media, title }: { media: MediaView; title: string }): React.JSX.Element {
  const sessionId = useConsole((s) => s.selectedId);
  const [status, setStatus] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const kind = media.role === 'FACEMAP' ? 'facemap' : 'file';

  const save = async (): Promise<void> => {
    if (sessionId === null || media.mediaId === undefined) return;
    setBusy(true);
    setStatus(null);
    try {
      const r = await call('saveMediaWithDialog', { sessionId, mediaId: media.mediaId });
      if (r.cancelled) setStatus({ tone: 'info', text: 'Not saved: the save dialog was cancelled.' });
      else {
        recordViewed(media.mediaId);
        const same = r.sha256 !== undefined && media.stored?.sha256 != null && r.sha256 === media.stored.sha256;
        setStatus({
          tone: 'info',
          text: `Saved ${bytes(r.size)}. SHA-256 ${r.sha256 ?? 'unknown'}${same ? ' — matches the stored copy.' : '.'}`,
        });
      }
    } catch (e) {
      setStatus({ tone: 'error', text: `Could not save the ${kind}: ${errorText(e)}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="file-card" data-testid="file-card">
      <h3>{title}</h3>
      <p className="muted">
        {media.role === 'FACEMAP'
          ? 'The 3D face map from active liveness. It is binary data, not a picture: save it to pass it on.'
          : 'This item is not an image the console can show. Save it to open it with another program.'}
      </p>
      <dl className="facts">
        <dt>Type</dt>
        <dd>{[media.mediaType, media.stored?.mimeType].filter(Boolean).join(', ') || 'Not given'}</dd>
        <dt>Size</dt>
        <dd data-testid="file-size">{bytes(media.stored?.size)}</dd>
        <dt>SHA-256</dt>
        <dd className="mono hash" data-testid="file-sha256">
          {media.stored?.sha256 ?? 'not stored'}
        </dd>
      </dl>
      <button type="button" className="link-button" onClick={() => void save()} disabled={busy || media.url === undefined && media.stored === undefined}>
        {busy ? 'Saving…' : `Save ${kind} to a file…`}
      </button>
      {status && (
        <p role={status.tone === 'error' ? 'alert' : 'status'} className={status.tone === 'error' ? 'error-text' : 'ok-text'} data-testid="file-save-status">
          {status.text}
        </p>
      )}
    </div>
  );
}

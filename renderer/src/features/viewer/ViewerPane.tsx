import { useEffect } from 'react';
import { captureMethodWords } from '../../../../common/session/words';
import { dateTime } from '../../lib/format';
import { useConsole } from '../../store/store';
import { CompareView } from './CompareView';
import { evidenceOf, openingEntry, shownImage, type Evidence, type EvidenceEntry, type EvidenceImage } from '../../../../common/session/evidence';
import { EvidenceStrip } from './EvidenceStrip';
import { FileCard } from './FileCard';
import { Stage } from './Stage';
import { Toolbar } from './Toolbar';
import { RetentionChoice } from '../settings/RetentionChoice';
import { Welcome } from '../settings/Welcome';
import { DeletedEvidence } from '../record/DeletedEvidence';
import { selectEntry, stepFrame, togglePlay } from './viewer-actions';

const FLIP_MS = 450;

/** How and when the shown image was taken, as Yoti says: an upload is a different risk from a live capture. */
function ImageFacts({ image, entry }: { image: EvidenceImage; entry: EvidenceEntry & { kind: 'image' } }): React.JSX.Element {
  // A frame of a page was captured as its page was.
  const method = image.media.captureMethod ?? entry.images[0]?.media.captureMethod;
  const created = image.media.created;
  return (
    <p className="stage-facts" data-testid="stage-facts">
      {method !== undefined && (
        <span className={method === 'UPLOAD' ? 'warn-text' : undefined}>
          {method === 'UPLOAD' ? 'Uploaded from a file, not captured live' : method === 'CAMERA' ? 'Captured live with the camera' : `Capture method: ${captureMethodWords(method)}`}
        </span>
      )}
      {method !== undefined && created !== undefined && ' · '}
      {created !== undefined && <span>Created at Yoti {dateTime(created)}</span>}
    </p>
  );
}

function SingleView({ entry }: { entry: EvidenceEntry | undefined }): React.JSX.Element {
  const frame = useConsole((s) => s.viewer.frame);
  const playing = useConsole((s) => s.viewer.playing);
  const view = useConsole((s) => s.viewer.view);

  useEffect(() => {
    if (!playing) return;
    const t = setInterval(() => stepFrame(1), FLIP_MS);
    return () => clearInterval(t);
  }, [playing]);

  if (!entry) return <p className="empty-note">Choose an item below to look at it.</p>;
  if (entry.kind === 'missing') {
    return (
      <div className="missing-card" role="note" data-testid="missing-card">
        <span className="missing-icon" aria-hidden="true">
          ∅
        </span>
        <h3>{entry.title}</h3>
        <p>
          {entry.reason}.{' '}
          {entry.reason === 'Not captured'
            ? 'Yoti lists this item, but no image was taken for it (an empty frame).'
            : entry.reason === 'Not downloaded'
              ? 'It is not in the local copy: fetch the session again while online.'
              : 'There is nothing to show.'}
        </p>
      </div>
    );
  }
  if (entry.kind === 'file') return <FileCard media={entry.media} title={entry.title} />;
  const img = shownImage(entry, frame);
  if (!img) return <p className="empty-note">Nothing to show.</p>;
  const n = entry.images.length;
  return (
    <div className="single">
      <Stage key={img.url} image={img} view={view} slot="single" label={`${entry.title}, ${img.label}`} testId="stage" />
      <ImageFacts image={img} entry={entry} />
      {n > 1 && (
        <div className="flipbook" role="group" aria-label="Flip-book of this page's images (hologram movement)">
          <button type="button" onClick={() => stepFrame(-1)} aria-label="Previous image" title="Previous image (,)">
            ‹
          </button>
          <span className="flip-pos" aria-live="polite" data-testid="flip-position">
            {img.label} · {Math.min(frame, n - 1) + 1} of {n}
          </span>
          <button type="button" onClick={() => stepFrame(1)} aria-label="Next image" title="Next image (.)">
            ›
          </button>
          <button type="button" onClick={togglePlay} aria-pressed={playing} title="Play the frames in a loop (P)">
            {playing ? 'Pause' : 'Play'}
          </button>
        </div>
      )}
    </div>
  );
}

function Body({ evidence }: { evidence: Evidence }): React.JSX.Element {
  const entryKey = useConsole((s) => s.viewer.entryKey);
  const compare = useConsole((s) => s.viewer.compare);
  const entry = evidence.entries.find((e) => e.key === entryKey);
  // A session opens on its first entry (actions.ts); this keeps one selected when a reload drops the selected one.
  useEffect(() => {
    const first = openingEntry(evidence);
    if (!entry && first) selectEntry(first.key);
  }, [entry, evidence]);
  const title = compare ? 'Compare: document portrait and liveness frame' : (entry?.title ?? '');
  return (
    <>
      <Toolbar disabled={!compare && entry?.kind !== 'image'} />
      <p className="stage-title" aria-live="polite" data-testid="stage-title">
        {title}
      </p>
      <div className="stage-area">{compare ? <CompareView evidence={evidence} /> : <SingleView entry={entry} />}</div>
      <EvidenceStrip evidence={evidence} />
    </>
  );
}

export function ViewerPane(): React.JSX.Element {
  const session = useConsole((s) => s.session);
  const record = useConsole((s) => s.record);
  const status = useConsole((s) => s.sessionStatus);
  const error = useConsole((s) => s.sessionError);
  const selected = useConsole((s) => s.selectedId);
  const progress = useConsole((s) => (s.selectedId ? s.progress[s.selectedId] : undefined));
  const firstRun = useConsole((s) => s.app !== null && s.app.keys.length === 0 && (!s.app.demo.running || (s.queueStatus === 'ready' && s.queue.length === 0)));

  let body: React.JSX.Element;
  if (session) body = <Body evidence={evidenceOf(session)} />;
  else if (record) body = <DeletedEvidence record={record} />;
  else if (status === 'loading')
    body = (
      <div className="viewer-loading" aria-busy="true">
        <p className="muted" role="status">
          {progress ? `Downloading evidence: ${progress.done} of ${progress.total} items…` : 'Opening the session…'}
        </p>
        <div className="skeleton skeleton-stage" aria-hidden="true" />
        <div className="skeleton skeleton-strip" aria-hidden="true" />
      </div>
    );
  else if (status === 'error')
    body = (
      <div className="error-card" role="alert">
        <h3>The session could not be opened</h3>
        <p>{error}</p>
      </div>
    );
  else if (firstRun && selected === null)
    body = (
      <>
        <Welcome />
        <RetentionChoice />
      </>
    );
  else
    body = (
      <div className="empty-state">
        <RetentionChoice />
        <h3>No session open</h3>
        <p>
          {selected === null
            ? 'Pick a session in the queue, or press N to open the oldest one without a decision.'
            : 'Opening…'}
        </p>
      </div>
    );

  return (
    <section className="pane viewer-pane" aria-labelledby="viewer-h" data-pane="viewer" tabIndex={-1}>
      <header className="pane-head">
        <h2 id="viewer-h">Evidence</h2>
      </header>
      <p id="stage-help" className="visually-hidden">
        Scroll or press plus and minus to zoom, drag or use the arrow keys to pan, 0 to fit, 1 for actual size, R to rotate; in the compare view, L links or unlinks the two sides.
      </p>
      {body}
    </section>
  );
}

import { useEffect, useState } from 'react';
import { useConsole } from '../../store/store';
import type { Evidence, EvidenceImage } from './evidence';
import { Stage } from './Stage';
import { setCompareSide } from './viewer-actions';

const FLIP_MS = 450;

/**
 * The document's ID photo beside a face from liveness; both stages share one transform, so zoom and pan
 * are linked. The right side opens on the liveness attempt the face match used and plays its frames as a
 * sequence. Without an ID photo the left side says so: a whole page is never offered as the portrait.
 */
export function CompareView({ evidence }: { evidence: Evidence }): React.JSX.Element {
  const left = useConsole((s) => s.viewer.compareLeft);
  const right = useConsole((s) => s.viewer.compareRight);
  const view = useConsole((s) => s.viewer.view);
  const face = useConsole((s) => s.session?.summary.faceMatches.at(-1));
  const l = evidence.portraits.find((p) => p.mediaId === left) ?? evidence.portraits[0];
  const r = evidence.faces.find((p) => p.mediaId === right) ?? evidence.faces[0];
  if (!r) return <p className="empty-note">There is no face from liveness to compare in this session.</p>;
  return (
    <div className="compare" data-testid="compare-view">
      <p className="compare-note">
        Zoom and pan are linked.
        {face && face.score !== null && (
          <>
            {' '}
            AI face-match confidence {face.score.toFixed(2)} against the threshold {face.threshold.toFixed(2)}
            {face.aboveThreshold ? ' (above)' : ' (not above)'}.
          </>
        )}
      </p>
      <div className="compare-sides">
        {l ? (
          <CompareSide side="left" title="ID photo" image={l} choices={evidence.portraits} view={view} primary testId="compare-left" />
        ) : (
          <figure className="compare-side">
            <figcaption>ID photo</figcaption>
            <div className="missing-card compare-missing" role="note" data-testid="compare-left-missing">
              <h3>No ID photo in this session</h3>
              <p>
                Yoti gave no portrait cut from the document. A whole page is not offered in its place: compare the face on the page in the single view, and say
                in your notes how you compared.
              </p>
            </div>
          </figure>
        )}
        <CompareSide side="right" title="Face" image={r} choices={evidence.faces} view={view} primary={!l} testId="compare-right" sequence />
      </div>
    </div>
  );
}

/** One side of the compare view: a picker among its candidates above a stage on the shared transform. */
function CompareSide(props: {
  side: 'left' | 'right';
  title: string;
  image: EvidenceImage;
  choices: EvidenceImage[];
  view: React.ComponentProps<typeof Stage>['view'];
  primary: boolean;
  testId: string;
  /** Frames of the same attempt can be played in order, like a document's frames. */
  sequence?: boolean;
}): React.JSX.Element {
  const { side, title, image, choices, view, primary, testId, sequence } = props;
  const frames = choices.filter((c) => c.media.resourceId === image.media.resourceId);
  const [playing, setPlaying] = useState(false);
  const at = frames.findIndex((f) => f.mediaId === image.mediaId);
  useEffect(() => {
    if (!playing || frames.length < 2) return;
    const t = setTimeout(() => setCompareSide(side, frames[(at + 1) % frames.length]!.mediaId), FLIP_MS);
    return () => clearTimeout(t);
  }, [playing, at, frames, side]);
  return (
    <figure className="compare-side">
      <figcaption>
        <label>
          {title}{' '}
          <select value={image.mediaId} onChange={(e) => setCompareSide(side, e.currentTarget.value)}>
            {choices.map((p) => (
              <option key={p.mediaId} value={p.mediaId}>
                {p.media.label}
              </option>
            ))}
          </select>
        </label>
        {sequence && frames.length > 1 && (
          <button type="button" onClick={() => setPlaying(!playing)} aria-pressed={playing} data-testid={`${testId}-play`}>
            {playing ? 'Pause' : `Play ${frames.length} frames`}
          </button>
        )}
      </figcaption>
      <Stage key={image.url} image={image} view={view} primary={primary} label={`${title}, ${image.media.label}`} testId={testId} />
    </figure>
  );
}

import { useEffect, useState } from 'react';
import { useConsole, type CompareSide as Side } from '../../store/store';
import type { Evidence, EvidenceImage } from '../../../../common/session/evidence';
import { Stage } from './Stage';
import { setCompareSide, setLinked } from './viewer-actions';
import { pixelWords, zoomTarget, zoomWords } from './zoom';

const FLIP_MS = 450;

export const SIDE_TITLE: Record<Side, string> = { left: 'ID photo', right: 'Face' };

/**
 * The document's ID photo beside a face from liveness. Zoom and pan are linked by default; unlinked,
 * each side keeps its own, so a small ID photo and a close selfie can be brought to the same face size.
 * Orientation and filters stay shared either way, so both faces are seen under the same treatment and
 * the toolbar's sliders are true of both. The right side opens on the liveness attempt the face match
 * used and plays its frames as a sequence. Without an ID photo the left side says so: a whole page is
 * never offered as the portrait.
 */
export function CompareView({ evidence }: { evidence: Evidence }): React.JSX.Element {
  const left = useConsole((s) => s.viewer.compareLeft);
  const right = useConsole((s) => s.viewer.compareRight);
  const linked = useConsole((s) => s.viewer.linked);
  const actingSlot = useConsole((s) => zoomTarget(s.viewer).slot);
  const acting = actingSlot === 'single' ? null : actingSlot;
  const face = useConsole((s) => s.session?.summary.faceMatches.at(-1));
  const l = evidence.portraits.find((p) => p.mediaId === left) ?? evidence.portraits[0];
  const r = evidence.faces.find((p) => p.mediaId === right) ?? evidence.faces[0];
  if (!r) return <p className="empty-note">There is no face from liveness to compare in this session.</p>;
  return (
    <div className="compare" data-testid="compare-view">
      <p className="compare-note">
        <label className="compare-link">
          <input type="checkbox" checked={linked} onChange={(e) => setLinked(e.currentTarget.checked)} data-testid="compare-link" aria-keyshortcuts="L" />
          Link zoom and pan (L)
        </label>{' '}
        <span data-testid="compare-acting">
          {linked
            ? 'Both sides zoom and pan together.'
            : `Each side zooms and pans on its own; the toolbar and keys act on the ${acting ? SIDE_TITLE[acting] : ''}, the side last used (outlined).`}
        </span>
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
          <CompareSide side="left" image={l} choices={evidence.portraits} active={!linked && acting === 'left'} testId="compare-left" />
        ) : (
          <figure className="compare-side">
            <figcaption>{SIDE_TITLE.left}</figcaption>
            <div className="missing-card compare-missing" role="note" data-testid="compare-left-missing">
              <h3>No ID photo in this session</h3>
              <p>
                Yoti gave no portrait cut from the document. A whole page is not offered in its place: compare the face on the page in the single view, and say
                in your notes how you compared.
              </p>
            </div>
          </figure>
        )}
        <CompareSide side="right" image={r} choices={evidence.faces} active={!linked && acting === 'right'} testId="compare-right" sequence />
      </div>
    </div>
  );
}

/** One side of the compare view: a picker among its candidates above its stage, and its own zoom read-out below. */
function CompareSide(props: {
  side: Side;
  image: EvidenceImage;
  choices: EvidenceImage[];
  /** Unlinked and the side the toolbar and keys act on. */
  active: boolean;
  testId: string;
  /** Frames of the same attempt can be played in order, like a document's frames. */
  sequence?: boolean;
}): React.JSX.Element {
  const { side, image, choices, active, testId, sequence } = props;
  const title = SIDE_TITLE[side];
  const shared = useConsole((s) => s.viewer.view);
  const own = useConsole((s) => (s.viewer.linked ? null : s.viewer.sideZoom[side]));
  const fit = useConsole((s) => s.viewer.fitScales[side]);
  const view = own ? { ...shared, ...own } : shared;
  const frames = choices.filter((c) => c.media.resourceId === image.media.resourceId);
  const [playing, setPlaying] = useState(false);
  const at = frames.findIndex((f) => f.mediaId === image.mediaId);
  useEffect(() => {
    if (!playing || frames.length < 2) return;
    const t = setTimeout(() => setCompareSide(side, frames[(at + 1) % frames.length]!.mediaId), FLIP_MS);
    return () => clearTimeout(t);
  }, [playing, at, frames, side]);
  return (
    <figure className={active ? 'compare-side is-active' : 'compare-side'}>
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
      <Stage key={image.url} image={image} view={view} slot={side} label={`${title}, ${image.media.label}`} testId={testId} />
      <p className="side-zoom" title={pixelWords(view.zoom, fit)}>
        Zoom <output data-testid={`${testId}-zoom`}>{zoomWords(view)}</output>
      </p>
    </figure>
  );
}

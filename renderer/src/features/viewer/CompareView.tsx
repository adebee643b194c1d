import { useConsole } from '../../store/store';
import type { Evidence, EvidenceImage } from './evidence';
import { Stage } from './Stage';
import { setCompareSide } from './viewer-actions';

/** Document portrait beside a liveness frame; both stages share one transform, so zoom and pan are linked. */
export function CompareView({ evidence }: { evidence: Evidence }): React.JSX.Element {
  const left = useConsole((s) => s.viewer.compareLeft);
  const right = useConsole((s) => s.viewer.compareRight);
  const view = useConsole((s) => s.viewer.view);
  const face = useConsole((s) => s.session?.summary.faceMatches.at(-1));
  const l = evidence.portraits.find((p) => p.mediaId === left) ?? evidence.portraits[0];
  const r = evidence.faces.find((p) => p.mediaId === right) ?? evidence.faces[0];
  if (!l || !r) return <p className="empty-note">There is nothing to compare in this session.</p>;
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
        <CompareSide side="left" title="Document portrait" image={l} choices={evidence.portraits} view={view} primary testId="compare-left" />
        <CompareSide side="right" title="Liveness frame" image={r} choices={evidence.faces} view={view} primary={false} testId="compare-right" />
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
}): React.JSX.Element {
  const { side, title, image, choices, view, primary, testId } = props;
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
      </figcaption>
      <Stage key={image.url} image={image} view={view} primary={primary} label={`${title}, ${image.media.label}`} testId={testId} />
    </figure>
  );
}

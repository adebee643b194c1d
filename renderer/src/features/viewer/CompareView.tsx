import { useConsole } from '../../store/store';
import type { Evidence } from './evidence';
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
        <figure className="compare-side">
          <figcaption>
            <label>
              Document portrait{' '}
              <select value={l.mediaId} onChange={(e) => setCompareSide('left', e.currentTarget.value)}>
                {evidence.portraits.map((p) => (
                  <option key={p.mediaId} value={p.mediaId}>
                    {p.media.label}
                  </option>
                ))}
              </select>
            </label>
          </figcaption>
          <Stage key={l.url} image={l} view={view} primary label={`Document portrait, ${l.media.label}`} testId="compare-left" />
        </figure>
        <figure className="compare-side">
          <figcaption>
            <label>
              Liveness frame{' '}
              <select value={r.mediaId} onChange={(e) => setCompareSide('right', e.currentTarget.value)}>
                {evidence.faces.map((p) => (
                  <option key={p.mediaId} value={p.mediaId}>
                    {p.media.label}
                  </option>
                ))}
              </select>
            </label>
          </figcaption>
          <Stage key={r.url} image={r} view={view} primary={false} label={`Liveness frame, ${r.media.label}`} testId="compare-right" />
        </figure>
      </div>
    </div>
  );
}

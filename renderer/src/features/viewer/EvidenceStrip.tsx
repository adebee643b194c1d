import { useConsole } from '../../store/store';
import type { Evidence } from '../../../../common/session/evidence';
import { selectEntry } from './viewer-actions';
import { bytes } from '../../lib/format';

const framesText = (n: number): string => `${n} frame${n === 1 ? '' : 's'}`;

/** Every item of every attempt, grouped by attempt; the selected one is marked aria-current. */
export function EvidenceStrip({ evidence }: { evidence: Evidence }): React.JSX.Element {
  const current = useConsole((s) => (s.viewer.compare ? null : s.viewer.entryKey));
  if (evidence.groups.length === 0) {
    return (
      <p className="strip empty-note" role="note">
        This session has no images or files yet. If it is still ongoing, it is fetched again on its own.
      </p>
    );
  }
  return (
    <nav className="strip" aria-label="Evidence items">
      {evidence.groups.map((g) => (
        <section className="strip-group" key={g.key} aria-label={`${g.title}${g.detail ? `, ${g.detail}` : ''}`}>
          <h3 className="strip-title">
            {g.title}
            {g.detail && <span className="muted"> · {g.detail}</span>}
          </h3>
          <ul className="strip-list">
            {g.entries.map((e) => (
              <li key={e.key}>
                <button
                  type="button"
                  className={`tile tile-${e.kind}`}
                  aria-current={current === e.key ? 'true' : undefined}
                  onClick={() => selectEntry(e.key)}
                  title={e.title}
                  data-testid="evidence-tile"
                >
                  {e.kind === 'image' && (
                    <span className="tile-thumbs">
                      {e.images.map((img, i) => (
                        <img key={img.mediaId} src={img.thumbnailUrl} alt="" className={i === 0 ? 'thumb' : 'thumb thumb-frame'} draggable={false} />
                      ))}
                    </span>
                  )}
                  {e.kind === 'missing' && (
                    <span className="tile-icon" aria-hidden="true">
                      ∅
                    </span>
                  )}
                  {e.kind === 'file' && (
                    <span className="tile-icon" aria-hidden="true">
                      ⤓
                    </span>
                  )}
                  <span className="tile-label">{e.label}</span>
                  {e.kind === 'image' && e.images.length > 1 && <span className="tile-note">{framesText(e.images.length - (e.images[0]?.label === 'Page image' ? 1 : 0))}</span>}
                  {e.kind === 'missing' && <span className="tile-note">{e.reason}</span>}
                  {e.kind === 'file' && <span className="tile-note">{bytes(e.media.stored?.size)}</span>}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}

import { useState } from 'react';
import type { SessionView } from '../../../../common/ipc/contract';
import { dateTime } from '../../lib/format';
import { openSessionById } from '../../store/actions';
import { useNeedsYoti } from '../../store/offline';
import { openDialog, useConsole } from '../../store/store';
import { DECISION_WORDS } from '../../../../common/review/decisions';

const MATCH_WORDS = { SAME_DOCUMENT: 'Same document (number and date of birth)', SAME_PERSON: 'Same person' } as const;

/** Other sessions seen before, the decision's history, and deleting at Yoti. */
export function OtherTab({ view }: { view: SessionView }): React.JSX.Element {
  const queue = useConsole((s) => s.queue);
  const deletable = view.media.filter((m) => m.captured && m.mediaId !== undefined);
  const [mediaId, setMediaId] = useState(deletable[0]?.mediaId ?? '');
  const completed = view.summary.state.value === 'COMPLETED';
  const chosen = deletable.find((m) => m.mediaId === mediaId);
  const offline = useNeedsYoti();

  return (
    <div className="stack">
      <section aria-labelledby="seen-h">
        <h3 id="seen-h">Seen before</h3>
        {view.seenBefore.length === 0 ? (
          <p className="muted">No other cached session has the same document or person.</p>
        ) : (
          <ul className="plain-list" data-testid="seen-before">
            {view.seenBefore.map((s) => (
              <li key={s.sessionId}>
                <span className="mono">{s.sessionId}</span> — {MATCH_WORDS[s.match]}
                {s.decision ? `, decided: ${DECISION_WORDS[s.decision]}` : ', no decision'}
                {s.fetchedAt ? `, fetched ${dateTime(s.fetchedAt)}` : ''}{' '}
                {queue.some((q) => q.sessionId === s.sessionId) && (
                  <button type="button" className="link-button" onClick={() => void openSessionById(s.sessionId)}>
                    Open
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="hist-h">
        <h3 id="hist-h">Decision history</h3>
        {view.review.history.length === 0 ? (
          <p className="muted">No earlier versions.</p>
        ) : (
          <ol className="plain-list">
            {view.review.history.map((h) => (
              <li key={h.versionId}>
                {dateTime(h.savedAt)} — {h.status === 'CONFIRMED' ? 'Confirmed' : 'Draft'}
                {h.decision ? `: ${DECISION_WORDS[h.decision]}` : ''}
              </li>
            ))}
          </ol>
        )}
        {view.review.manifestHash && (
          <p className="muted">
            Evidence manifest SHA-256 <span className="mono hash">{view.review.manifestHash}</span>
          </p>
        )}
      </section>

      <section aria-labelledby="del-h" className="danger-zone">
        <h3 id="del-h">Delete at Yoti</h3>
        <p className="muted">Deleting at Yoti cannot be undone. The local copy is deleted too; the audit log keeps a record that it happened.</p>
        {offline !== undefined && (
          <p className="note" data-testid="delete-offline">
            {offline}
          </p>
        )}
        <div className="row">
          <button
            type="button"
            className="danger"
            disabled={!completed || offline !== undefined}
            title={offline}
            onClick={() => openDialog({ kind: 'delete', sessionId: view.sessionId, what: `the whole session ${view.sessionId}: every document image, liveness frame, facemap and result` })}
          >
            Delete the whole session at Yoti…
          </button>
          {!completed && <span className="note">Only a COMPLETED session can be deleted (this one is {view.summary.state.value ?? 'unknown'}).</span>}
        </div>
        {deletable.length > 0 && (
          <div className="row">
            <label>
              Media item{' '}
              <select value={mediaId} onChange={(e) => setMediaId(e.currentTarget.value)}>
                {deletable.map((m) => (
                  <option key={m.mediaId} value={m.mediaId}>
                    {m.label}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="danger"
              disabled={chosen === undefined || offline !== undefined}
              title={offline}
              onClick={() => chosen?.mediaId && openDialog({ kind: 'delete', sessionId: view.sessionId, mediaId: chosen.mediaId, what: `${chosen.label} (media ${chosen.mediaId})` })}
            >
              Delete this item at Yoti…
            </button>
          </div>
        )}
      </section>
    </div>
  );
}

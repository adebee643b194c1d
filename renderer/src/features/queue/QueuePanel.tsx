import { useRef, useState, type KeyboardEvent } from 'react';
import type { CacheStatus, QueueRow } from '../../../../common/ipc/contract';
import { overallWords } from '../../../../common/session/overall';
import { reviewStatus, type ReviewStatusValue } from '../../../../common/session/review-status';
import { useNow } from '../../app/useNow';
import { Verdict, toneOf, type Tone } from '../../app/Verdict';
import { clockTime, dateTime, duration, shortId } from '../../lib/format';
import { importCsv, loadApp, nextUndecided, openSessionById, refreshQueue, removeFromQueue } from '../../store/actions';
import { useReadAhead } from '../../store/read-ahead';
import { FILTER_WORDS, isUndecided, SORT_WORDS, visibleQueue } from '../../store/queue-view';
import { openDialog, useConsole } from '../../store/store';
import { reachableTeam } from '../../store/team';
import { DECISION_WORDS } from '../../../../common/review/decisions';
import { TeamQueueTools } from '../team/TeamQueueTools';

/** "Seen before (2, incl. a rejection)": other stored sessions of the same document or person. */
function seenBeforeWords(seen: { count: number; rejected: boolean }): string {
  return `Seen before (${seen.count}${seen.rejected ? ', incl. a rejection' : ''})`;
}

const CACHE_WORDS: Record<CacheStatus, string> = {
  'not-fetched': 'Not downloaded',
  intact: 'Cached',
  partial: 'Partly cached',
  damaged: 'Cache damaged',
  'evidence-deleted': 'Evidence deleted, record kept',
};
const CACHE_TONE: Record<CacheStatus, 'pass' | 'na' | 'fail' | 'info'> = { 'not-fetched': 'info', intact: 'pass', partial: 'na', damaged: 'fail', 'evidence-deleted': 'info' };

const STATE_WORDS: Record<string, string> = { ONGOING: 'Ongoing', COMPLETED: 'Completed', EXPIRED: 'Expired' };

function statusTone(value: ReviewStatusValue): Tone {
  return value === 'YOTI_WORKING' ? 'pending' : value === 'READY' || value === 'DECIDED' ? 'pass' : value === 'NOT_DOWNLOADED' ? 'info' : 'warn';
}

/** A claim in the team on a row's session: who holds it ("you" for this reviewer) and until when. */
interface RowClaim {
  by: string;
  until: string;
}

function Row({ row, selected, focusable, now, claim }: { row: QueueRow; selected: boolean; focusable: boolean; now: number; claim?: RowClaim }): React.JSX.Element {
  const progress = useConsole((s) => s.progress[row.sessionId]);
  const fetching = useConsole((s) => s.fetching[row.sessionId] === true);
  const error = useConsole((s) => s.fetchErrors[row.sessionId]);
  const state = row.state === undefined ? 'Not fetched yet' : (STATE_WORDS[row.state] ?? row.state);
  const queueAt = useConsole((s) => s.queueAt);
  // The queue's token time is as of when the queue was read.
  const left = row.state === 'ONGOING' && row.tokenTtlSeconds !== undefined ? Math.max(0, row.tokenTtlSeconds - (now - queueAt) / 1000) : undefined;
  const yoti = row.overall === undefined ? undefined : overallWords(row.overall);
  const status = row.state === undefined ? undefined : reviewStatus({ yoti: row.yoti, decided: row.decision !== undefined });
  // The option's name is its content, as seen (a screen reader hears the full id where the eye sees its short form).
  return (
    <li
      role="option"
      id={`q-${row.sessionId}`}
      aria-selected={selected}
      tabIndex={focusable ? 0 : -1}
      className={`queue-row ${selected ? 'is-selected' : ''}`}
      data-testid="queue-row"
      data-session-id={row.sessionId}
      onClick={() => void openSessionById(row.sessionId)}
    >
      <div className="q-top">
        <span className="q-id mono" title={row.sessionId}>
          <span className="visually-hidden">Session {row.sessionId}</span>
          <span aria-hidden="true">{shortId(row.sessionId)}</span>
        </span>
        <Verdict tone={row.decision ? (row.decision === 'APPROVE' ? 'pass' : row.decision === 'REJECT' ? 'fail' : 'info') : 'pending'} text={row.decision ? DECISION_WORDS[row.decision] : 'Undecided'} testId="q-decision" />
      </div>
      <div className="q-badges">
        {row.evidenceDeleted !== undefined ? (
          <Verdict tone="info" text={`${CACHE_WORDS[row.cache]} (${dateTime(row.evidenceDeleted.at)})`} testId="q-cache" />
        ) : row.cache === 'not-fetched' && row.state === undefined ? (
          <Verdict tone="info" text="Not downloaded yet" testId="q-cache" />
        ) : (
          <>
            <Verdict tone={toneOf(row.state)} text={state} testId="q-state" />
            {status && status.value !== 'DECIDED' && status.value !== 'READY' && <Verdict tone={statusTone(status.value)} text={status.short} testId="q-status" />}
            <span className="q-badge" data-testid="q-yoti">
              <span className="muted">Yoti: </span>
              {yoti === undefined ? '—' : <Verdict tone={toneOf(row.overall)} text={yoti} />}
            </span>
            <Verdict tone={CACHE_TONE[row.cache]} text={CACHE_WORDS[row.cache]} testId="q-cache" />
            {row.warnings !== undefined && row.warnings > 0 && <Verdict tone="warn" text={`${row.warnings} warning${row.warnings === 1 ? '' : 's'}`} testId="q-warnings" />}
            {row.seenBefore && <Verdict tone={row.seenBefore.rejected ? 'fail' : 'warn'} text={seenBeforeWords(row.seenBefore)} testId="q-seen-before" />}
          </>
        )}
      </div>
      {(row.created !== undefined || row.document !== undefined) && (
        <div className="q-note" data-testid="q-facts">
          {[row.created === undefined ? '' : `Created ${duration((now - Date.parse(row.created)) / 1000)} ago`, row.document ?? ''].filter(Boolean).join(' · ')}
        </div>
      )}
      {row.decidedBy !== undefined && (
        <div className="q-note" data-testid="q-decided-by">
          Decided by {row.decidedBy}
          {row.decidedAt === undefined ? '' : `, ${dateTime(row.decidedAt)}`}
        </div>
      )}
      {claim !== undefined && (
        <div className="q-note" data-testid="q-claimed-by">
          Claimed by {claim.by}, until {clockTime(claim.until)}
        </div>
      )}
      {left !== undefined && <div className="q-note">Token {left <= 0 ? 'expired' : `${duration(left)} left`}</div>}
      {fetching && (
        <div className="q-progress">
          <div
            className="progress"
            role="progressbar"
            aria-label={`Downloading ${row.sessionId}`}
            aria-valuemin={0}
            aria-valuemax={progress?.total ?? 1}
            aria-valuenow={progress?.done ?? 0}
            aria-valuetext={progress ? `${progress.done} of ${progress.total} items` : 'Starting'}
          >
            <div className="progress-fill" style={{ width: progress && progress.total > 0 ? `${(100 * progress.done) / progress.total}%` : '4%' }} />
          </div>
          <span className="q-note">{progress ? `${progress.done} / ${progress.total}` : 'Fetching…'}</span>
        </div>
      )}
      {error && !fetching && (
        <div className="q-note error-text" title={error}>
          {error}
        </div>
      )}
    </li>
  );
}

/** A labelled choice among the keys of a table of words. */
function WordsSelect<K extends string>(props: { label: string; words: Readonly<Record<K, string>>; value: K; onChange: (v: K) => void; testId: string }): React.JSX.Element {
  return (
    <label className="field">
      <span>{props.label}</span>
      <select value={props.value} onChange={(e) => props.onChange(e.currentTarget.value as K)} data-testid={props.testId}>
        {(Object.entries(props.words) as Array<[K, string]>).map(([k, w]) => (
          <option key={k} value={k}>
            {w}
          </option>
        ))}
      </select>
    </label>
  );
}

function QueueControls({ shown, total }: { shown: number; total: number }): React.JSX.Element {
  const view = useConsole((s) => s.queueView);
  const set = (patch: Partial<typeof view>): void => useConsole.setState({ queueView: { ...view, ...patch } });
  return (
    <div className="queue-controls">
      <label className="field">
        <span>Search</span>
        <input type="search" value={view.search} placeholder="Session or tracking id" onChange={(e) => set({ search: e.currentTarget.value })} data-testid="queue-search" />
      </label>
      <WordsSelect label="Show" words={FILTER_WORDS} value={view.filter} onChange={(filter) => set({ filter })} testId="queue-filter" />
      <WordsSelect label="Sort" words={SORT_WORDS} value={view.sort} onChange={(sort) => set({ sort })} testId="queue-sort" />
      {shown !== total && (
        <p className="muted" role="status" data-testid="queue-shown">
          Showing {shown} of {total}
        </p>
      )}
    </div>
  );
}

export function QueuePanel(): React.JSX.Element {
  const queue = useConsole((s) => s.queue);
  const queueView = useConsole((s) => s.queueView);
  const rows = visibleQueue(queue, queueView);
  const status = useConsole((s) => s.queueStatus);
  const error = useConsole((s) => s.queueError);
  const selectedId = useConsole((s) => s.selectedId);
  const app = useConsole((s) => s.app);
  const [active, setActive] = useState<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const now = useNow(30_000);
  const undecided = rows.filter(isUndecided).length;
  const selectedRow = queue.find((r) => r.sessionId === selectedId);
  const background = useConsole((s) => s.background);
  const readAhead = useReadAhead((s) => s.ready);
  const online = useConsole((s) => s.online);
  const waiting = rows.filter((r) => r.cache === 'not-fetched' && r.yoti === undefined).length;
  const focusId = (active !== null && rows.some((r) => r.sessionId === active) ? active : null) ?? selectedId ?? rows[0]?.sessionId ?? null;
  const team = reachableTeam(useConsole((s) => s.team));
  const claims = new Map(team?.claims.map((c): [string, RowClaim] => [c.sessionId, { by: c.claimedBy === team.role ? 'you' : c.claimedBy, until: c.leaseUntil }]));

  const move = (to: number): void => {
    const row = rows[Math.max(0, Math.min(rows.length - 1, to))];
    if (!row) return;
    setActive(row.sessionId);
    listRef.current?.querySelector<HTMLElement>(`[data-session-id="${CSS.escape(row.sessionId)}"]`)?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>): void => {
    const i = rows.findIndex((r) => r.sessionId === focusId);
    if (e.key === 'ArrowDown') move(i + 1);
    else if (e.key === 'ArrowUp') move(i - 1);
    else if (e.key === 'Home') move(0);
    else if (e.key === 'End') move(rows.length - 1);
    else if ((e.key === 'Enter' || e.key === ' ') && focusId !== null) void openSessionById(focusId);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <section className="pane queue-pane" aria-labelledby="queue-h" data-pane="queue" tabIndex={-1}>
      <header className="pane-head">
        <h2 id="queue-h">
          Queue <span className="count">({queue.length})</span>
        </h2>
        <div className="pane-actions">
          <button type="button" onClick={() => openDialog({ kind: 'add-sessions' })} title="Paste session ids (A)">
            Add…
          </button>
          <button type="button" onClick={() => void importCsv()}>
            Import CSV…
          </button>
        </div>
      </header>
      <div className="queue-tools">
        <button
          type="button"
          className="primary"
          onClick={() => void nextUndecided()}
          disabled={undecided === 0}
          title={readAhead === null ? 'N' : `N: session ${readAhead} is read ahead and opens at once`}
          data-read-ahead={readAhead ?? undefined}
        >
          Next undecided <kbd>N</kbd>
        </button>
        <span className="muted" aria-live="polite">
          {undecided} undecided
        </span>
        <button
          type="button"
          onClick={() => selectedRow && void removeFromQueue(selectedRow.sessionId)}
          disabled={selectedRow === undefined}
          title={selectedRow === undefined ? 'Select a session first' : `Remove ${selectedRow.sessionId} from this computer and the queue`}
        >
          Remove…
        </button>
      </div>
      <TeamQueueTools />
      {queue.length > 0 && <QueueControls shown={rows.length} total={queue.length} />}
      {(background || (!online && waiting > 0)) && (
        <p className="queue-background muted" role="status" data-testid="queue-background">
          {background ? `Fetching the queue in the background: ${background.done} of ${background.total}` : `Offline: ${waiting} not fetched yet (fetched once the API answers)`}
        </p>
      )}
      <div className="pane-scroll">
        {status === 'loading' && queue.length === 0 && (
          <div aria-busy="true" aria-label="Loading the queue">
            {[0, 1, 2, 3].map((i) => (
              <div key={i} className="skeleton skeleton-row" aria-hidden="true" />
            ))}
          </div>
        )}
        {status === 'error' && (
          <div className="error-card" role="alert">
            <p>The queue could not be read: {error}</p>
            <button type="button" onClick={() => void Promise.all([refreshQueue(), loadApp()])}>
              Try again
            </button>
          </div>
        )}
        {status === 'ready' && queue.length > 0 && rows.length === 0 && (
          <p className="empty-note" data-testid="queue-none-shown">
            No session matches the search or the filter.
          </p>
        )}
        {status === 'ready' && queue.length === 0 && (
          <div className="empty-state" data-testid="queue-empty">
            <h3>No sessions yet</h3>
            <p>Paste Yoti session ids with “Add…”, or import a CSV file that lists them.</p>
            {app && app.keys.length === 0 && <p>No key yet? Try the demo from the middle pane.</p>}
          </div>
        )}
        {rows.length > 0 && (
          <ul ref={listRef} role="listbox" aria-label={`Sessions, ${SORT_WORDS[queueView.sort].toLowerCase()}`} className="queue-list" onKeyDown={onKeyDown} data-testid="queue">
            {rows.map((r) => (
              <Row key={r.sessionId} row={r} selected={r.sessionId === selectedId} focusable={r.sessionId === focusId} now={now} claim={claims.get(r.sessionId)} />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

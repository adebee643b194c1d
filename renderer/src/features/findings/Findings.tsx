import type { SessionView } from '../../../../common/ipc/contract';
import { Tabs } from '../../app/Tabs';
import { useNow } from '../../app/useNow';
import { Verdict, toneOf } from '../../app/Verdict';
import { dateTime, duration, remainingSeconds } from '../../lib/format';
import { fetchOne, reloadOpenSession } from '../../store/actions';
import { useConsole } from '../../store/store';
import { ChecksTab } from './ChecksTab';
import { DocumentTab } from './DocumentTab';
import { OtherTab } from './OtherTab';
import { SummaryTab } from './SummaryTab';
import { RecordSummary } from '../record/RecordSummary';

function SessionHeader({ view }: { view: SessionView }): React.JSX.Element {
  const now = useNow(15_000);
  const online = useConsole((s) => s.online);
  const fetching = useConsole((s) => s.fetching[view.sessionId] === true);
  const due = useConsole((s) => s.refreshDue[view.sessionId]);
  const s = view.summary;
  const left = remainingSeconds(s.tokenTtlSeconds, view.stored.fetchedAt, now);
  const ongoing = s.state.value === 'ONGOING';
  const refresh = async (): Promise<void> => {
    if (await fetchOne(view.sessionId, { force: true })) await reloadOpenSession();
  };
  return (
    <div className="session-head">
      <p className="session-id">
        <span className="muted">Session </span>
        <span className="mono" data-testid="session-id">
          {view.sessionId}
        </span>
      </p>
      <dl className="facts facts-inline">
        <div className="fact-row">
          <dt>State</dt>
          <dd>
            <Verdict tone={toneOf(s.state.value)} text={s.state.value === undefined ? s.state.text : (s.state.text.split(' (')[0] ?? s.state.text)} testId="session-state" />
          </dd>
        </div>
        <div className="fact-row">
          <dt>Yoti overall</dt>
          <dd>
            <Verdict tone={toneOf(s.overall.value)} text={s.overall.text} testId="overall" />
          </dd>
        </div>
        <div className="fact-row">
          <dt>Token</dt>
          <dd data-testid="token-left">
            {left === undefined ? 'Not given' : left <= 0 ? 'Expired' : `${duration(left)} left`}
          </dd>
        </div>
        <div className="fact-row">
          <dt>Fetched</dt>
          <dd>{dateTime(view.stored.fetchedAt)}</dd>
        </div>
        {s.userTrackingId !== undefined && (
          <div className="fact-row">
            <dt>User tracking id</dt>
            <dd className="mono" data-testid="user-tracking-id">
              {s.userTrackingId}
            </dd>
          </div>
        )}
        {view.stored.retainUntil && (
          <div className="fact-row">
            <dt>Keep until</dt>
            <dd>{dateTime(view.stored.retainUntil)}</dd>
          </div>
        )}
      </dl>
      {ongoing && (
        <p className="note" role="status">
          Still ongoing at Yoti.{' '}
          {online
            ? due !== undefined
              ? `Checked again on its own in about ${duration(Math.max(0, (due - now) / 1000))}.`
              : 'Checked again on its own.'
            : 'Automatic refresh is paused while offline.'}
        </p>
      )}
      <div className="row">
        <button type="button" onClick={() => void refresh()} disabled={fetching || !online} title={online ? undefined : 'Offline: showing the cached copy'}>
          {fetching ? 'Fetching…' : 'Fetch again from Yoti'}
        </button>
      </div>
      {view.cacheProblems.length > 0 && (
        <ul className="warnings" role="alert">
          {view.cacheProblems.map((p, i) => (
            <li key={i} className="warning">
              <span className="warning-icon" aria-hidden="true">
                ⚠
              </span>
              {p}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Findings(): React.JSX.Element {
  const view = useConsole((s) => s.session);
  const record = useConsole((s) => s.record);
  const status = useConsole((s) => s.sessionStatus);
  const tab = useConsole((s) => s.findingsTab);
  const setTab = (findingsTab: string): void => useConsole.setState({ findingsTab });

  let body: React.JSX.Element;
  if (view) {
    const s = view.summary;
    const failing = s.checks.filter((c) => c.warning).length;
    body = (
      <>
        <SessionHeader view={view} />
        <Tabs
          label="Findings"
          selected={tab}
          onSelect={setTab}
          tabs={[
            { id: 'summary', label: 'Summary', badge: s.warnings.length > 0 ? `${s.warnings.length} ⚠` : undefined },
            { id: 'checks', label: 'Checks', badge: failing > 0 ? `${failing} ⚠` : String(s.checks.length) },
            { id: 'document', label: 'Document' },
            { id: 'other', label: 'History', badge: view.seenBefore.length > 0 ? String(view.seenBefore.length) : undefined },
          ]}
        >
          {tab === 'summary' && <SummaryTab view={view} />}
          {tab === 'checks' && <ChecksTab view={view} />}
          {tab === 'document' && <DocumentTab view={view} />}
          {tab === 'other' && <OtherTab view={view} />}
        </Tabs>
      </>
    );
  } else if (record) {
    body = <RecordSummary record={record} />;
  } else if (status === 'loading') {
    body = (
      <div aria-busy="true" className="stack">
        <div className="skeleton skeleton-line" aria-hidden="true" />
        <div className="skeleton skeleton-line short" aria-hidden="true" />
        <div className="skeleton skeleton-block" aria-hidden="true" />
      </div>
    );
  } else {
    body = <p className="empty-note">Findings appear here once a session is open.</p>;
  }

  return (
    <section className="pane findings-pane" aria-labelledby="findings-h" data-pane="findings" tabIndex={-1}>
      <header className="pane-head">
        <h2 id="findings-h">Findings</h2>
      </header>
      <div className="pane-scroll">{body}</div>
    </section>
  );
}

import type { SessionView } from '../../../../common/ipc/contract';
import { ProblemList } from '../../app/ProblemList';
import { Tabs } from '../../app/Tabs';
import { useNow } from '../../app/useNow';
import { Verdict, toneOf } from '../../app/Verdict';
import { dateTime, duration, remainingSeconds } from '../../lib/format';
import { reloadOpenSession } from '../../store/actions';
import { SessionIdLine } from '../../app/SessionIdLine';
import { FetchAgainButton } from './FetchAgainButton';
import { useConsole } from '../../store/store';
import { ChecksTab } from './ChecksTab';
import { DocumentTab } from './DocumentTab';
import { JsonTab } from './JsonTab';
import { OtherTab } from './OtherTab';
import { SummaryTab } from './SummaryTab';
import { RecordSummary } from '../record/RecordSummary';

/** A time the header derives from Yoti's JSON, marked as derived and saying from what. */
function DerivedTime({ label, at, testId, how }: { label: string; at: string | undefined; testId: string; how: string }): React.JSX.Element | null {
  if (at === undefined) return null;
  return (
    <div className="fact-row">
      <dt>{label}</dt>
      <dd data-testid={testId} title={`Derived: ${how}`}>
        {dateTime(at)} <span className="muted">(derived)</span>
      </dd>
    </div>
  );
}

function SessionHeader({ view }: { view: SessionView }): React.JSX.Element {
  const now = useNow(15_000);
  const online = useConsole((s) => s.online);
  const due = useConsole((s) => s.refreshDue[view.sessionId]);
  const s = view.summary;
  const left = remainingSeconds(s.tokenTtlSeconds, view.stored.fetchedAt, now);
  const ongoing = s.state.value === 'ONGOING';
  return (
    <div className="session-head">
      <SessionIdLine sessionId={view.sessionId} />
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
        <DerivedTime label="Created" at={s.times.created} testId="session-created" how="Yoti's session has no creation time; this is the earliest time it gives for a resource, task, check or media item" />
        <DerivedTime label="Completed" at={s.times.completed} testId="session-completed" how="the last update Yoti gives for a check or task of this completed session" />
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
      <FetchAgainButton sessionId={view.sessionId} label="Fetch again from Yoti" after={reloadOpenSession} />
      <ProblemList problems={view.cacheProblems} />
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
            { id: 'json', label: 'JSON' },
          ]}
        >
          {tab === 'summary' && <SummaryTab view={view} />}
          {tab === 'checks' && <ChecksTab view={view} />}
          {tab === 'document' && <DocumentTab view={view} />}
          {tab === 'other' && <OtherTab view={view} />}
          {tab === 'json' && <JsonTab sessionId={view.sessionId} />}
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

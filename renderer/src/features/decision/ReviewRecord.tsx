import { useEffect, useRef, useState } from 'react';
import type { ReviewView } from '../../../../common/ipc/contract';
import { dateTimeSeconds, elapsed } from '../../lib/format';
import { useConsole } from '../../store/store';
import { DECISION_WORDS, type Decision } from '../../../../common/review/decisions';

type VersionEntry = ReviewView['history'][number];

interface VersionItem {
  key: string;
  kind: 'confirmed' | 'drafts';
  decision?: Decision;
  /** Newest first within a group of drafts. */
  savedAt: string[];
  versionIds: string[];
  current: boolean;
  superseded: boolean;
}

/**
 * The versions, newest first: every confirmed decision on its own line (the one in force, and those a
 * later decision superseded), and each run of draft saves between them folded into one line.
 */
export function versionItems(review: ReviewView): VersionItem[] {
  const all: Array<VersionEntry & { current: boolean }> = [];
  if (review.status !== 'NONE' && review.versionId !== undefined) {
    all.push({
      versionId: review.versionId,
      status: review.status,
      decision: review.decision,
      savedAt: review.savedAt ?? review.decidedAt ?? '',
      current: true,
    });
  }
  for (const h of review.history) if (h.versionId !== review.versionId) all.push({ ...h, current: false });
  const items: VersionItem[] = [];
  let laterConfirmed = false;
  for (const v of all) {
    if (v.status === 'CONFIRMED') {
      items.push({ key: v.versionId, kind: 'confirmed', decision: v.decision, savedAt: [v.savedAt], versionIds: [v.versionId], current: v.current, superseded: laterConfirmed });
      laterConfirmed = true;
      continue;
    }
    const last = items.at(-1);
    if (last !== undefined && last.kind === 'drafts') {
      last.savedAt.push(v.savedAt);
      last.versionIds.push(v.versionId);
    } else {
      items.push({ key: v.versionId, kind: 'drafts', decision: v.decision, savedAt: [v.savedAt], versionIds: [v.versionId], current: v.current, superseded: false });
    }
  }
  return items;
}

function When({ iso }: { iso: string | undefined }): React.JSX.Element {
  if (iso === undefined || iso === '') return <>Not given</>;
  return (
    <time dateTime={iso} title={`${iso} (UTC)`}>
      {dateTimeSeconds(iso)}
    </time>
  );
}

function VersionLine({ item }: { item: VersionItem }): React.JSX.Element {
  const newest = item.savedAt[0];
  const oldest = item.savedAt.at(-1);
  if (item.kind === 'confirmed') {
    return (
      <li className={`version ${item.superseded ? 'is-superseded' : 'is-in-force'}`} data-testid="record-version" data-status={item.superseded ? 'superseded' : 'confirmed'}>
        <span className="version-what">
          <span aria-hidden="true">{item.superseded ? '↺ ' : '✓ '}</span>
          Confirmed: <strong>{item.decision ? DECISION_WORDS[item.decision] : 'unknown'}</strong>
        </span>{' '}
        <When iso={newest} />{' '}
        <span className="version-state">{item.superseded ? '(superseded by a later decision; kept unchanged in the record)' : '(the decision in force)'}</span>{' '}
        <code className="code" title={item.versionIds[0]}>
          {item.versionIds[0]?.slice(0, 8)}
        </code>
      </li>
    );
  }
  const n = item.savedAt.length;
  return (
    <li className="version is-draft" data-testid="record-version" data-status="draft">
      <span className="version-what">
        <span aria-hidden="true">✎ </span>
        {item.current ? 'Draft, not confirmed' : 'Draft'}
        {item.decision ? ` (${DECISION_WORDS[item.decision]} chosen)` : ''}
      </span>
      {n === 1 ? (
        <>
          , saved <When iso={newest} />
        </>
      ) : (
        <>
          , saved {n} times from <When iso={oldest} /> to <When iso={newest} />
        </>
      )}
    </li>
  );
}

/** The manifest hash the decision was made on: short, the whole of it on request, and a copy button. */
function ManifestHash({ hash }: { hash: string }): React.JSX.Element {
  const [copied, setCopied] = useState<{ ok: boolean; text: string } | null>(null);
  const fade = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(fade.current), []);
  const copy = async (): Promise<void> => {
    clearTimeout(fade.current);
    try {
      await navigator.clipboard.writeText(hash);
      setCopied({ ok: true, text: 'Copied the whole hash.' });
      fade.current = setTimeout(() => setCopied(null), 6_000);
    } catch {
      setCopied({ ok: false, text: 'Could not copy: open "Whole hash" and copy it from there.' });
    }
  };
  return (
    <>
      <span className="manifest-line">
        <code className="mono" data-testid="record-manifest-short" title={hash}>
          {hash.slice(0, 12)}…
        </code>
        <button type="button" className="small-button" onClick={() => void copy()} aria-describedby="manifest-copy-state">
          Copy hash
        </button>
      </span>
      <span id="manifest-copy-state" role="status" className={copied === null ? 'visually-hidden' : copied.ok ? 'ok-text copy-state' : 'error-text copy-state'}>
        {copied?.text ?? ''}
      </span>
      <details className="manifest-full">
        <summary>Whole hash (SHA-256)</summary>
        <code className="mono hash" data-testid="record-manifest-full">
          {hash}
        </code>
      </details>
    </>
  );
}

/**
 * The review record facts a compliance reviewer checks: who (name and OS account), first opened,
 * decided, time on task, the evidence manifest the decision was made on, and every version.
 */
export function ReviewRecord({ review }: { review: ReviewView }): React.JSX.Element {
  const app = useConsole((s) => s.app);
  const confirmed = review.status === 'CONFIRMED';
  const reviewer = review.reviewer ?? (app ? { name: app.settings.reviewerName, osAccount: app.osAccount } : undefined);
  const items = versionItems(review);
  const superseded = items.filter((i) => i.superseded).length;
  return (
    <section className="record" aria-labelledby="record-h" data-testid="review-record">
      <h3 id="record-h">Review record</h3>
      <dl className="facts record-facts">
        <dt>Reviewer</dt>
        <dd data-testid="record-reviewer">
          {reviewer === undefined ? (
            'Not known yet'
          ) : (
            <>
              {reviewer.name ?? <span className="muted">No name set (add it in Settings)</span>}
              <span className="muted">, OS account </span>
              <span className="mono">{reviewer.osAccount}</span>
              {review.reviewer === undefined && <span className="muted"> (recorded with your first save)</span>}
            </>
          )}
        </dd>
        <dt>First opened</dt>
        <dd data-testid="record-first-opened">{review.firstOpenedAt === undefined ? 'Not recorded' : <When iso={review.firstOpenedAt} />}</dd>
        {review.savedAt !== undefined && !confirmed && (
          <>
            <dt>Last saved</dt>
            <dd data-testid="record-saved">
              <When iso={review.savedAt} />
            </dd>
          </>
        )}
        <dt>Decided</dt>
        <dd data-testid="record-decided">{confirmed ? <When iso={review.decidedAt} /> : <span className="muted">Not yet: no decision is confirmed</span>}</dd>
        <dt>Time on task</dt>
        <dd data-testid="record-time">
          {confirmed && review.timeOnTaskSeconds !== undefined ? (
            <>
              {review.activeSeconds === undefined ? 'Active time not measured' : `${elapsed(review.activeSeconds)} active`}
              <span className="muted">, {elapsed(review.timeOnTaskSeconds)} elapsed</span>
            </>
          ) : (
            <span className="muted">{confirmed ? 'Not recorded' : 'Measured when you confirm: active time (window in use) and elapsed time'}</span>
          )}
        </dd>
        <dt>Evidence manifest</dt>
        <dd data-testid="record-manifest">
          {confirmed && review.manifestHash !== undefined ? (
            <ManifestHash hash={review.manifestHash} />
          ) : (
            <span className="muted">{confirmed ? 'Not recorded' : 'Fixed when you confirm: the hash of the evidence the decision is made on'}</span>
          )}
        </dd>
      </dl>
      <h4 className="record-sub">
        Versions <span className="count">({review.history.length + (review.status === 'NONE' ? 0 : 1)})</span>
      </h4>
      <p className="muted record-rule">
        A confirmed decision is never overwritten: a change is a new version that supersedes it{superseded > 0 ? `; ${superseded} superseded decision${superseded === 1 ? ' is' : 's are'} kept below` : ''}.
      </p>
      {items.length === 0 ? (
        <p className="muted" data-testid="record-versions">
          Nothing saved yet.
        </p>
      ) : (
        <ul className="versions" data-testid="record-versions">
          {items.map((i) => (
            <VersionLine key={i.key} item={i} />
          ))}
        </ul>
      )}
    </section>
  );
}

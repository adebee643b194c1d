/**
 * The session "Next undecided" will open, read ahead while the reviewer works on the current one:
 * its view (main records no opening for a read ahead) and the images it opens on, decoded, so that
 * Next shows it at once: Next records the opening (markSessionOpened, a single audited step) and shows
 * it then, so no evidence is ever on screen without its opening in the log. One session is held at a
 * time, never the open one (so no draft is typed into it meanwhile); it is forgotten when its stored
 * copy or record changes ('session-updated': a fetch, a decision from the command line).
 */
import { create } from 'zustand';
import type { QueueRow, SessionView } from '../../../common/ipc/contract';
import { evidenceOf, openingImage, stageUrl } from '../../../common/session/evidence';
import { call } from '../lib/api';
import { undecidedAfter } from './queue-view';
import { useConsole } from './store';

interface Ahead {
  sessionId: string;
  /** The stored copy it was read from: a fetch since makes it stale. */
  fetchedAt: string;
  view: SessionView | null;
}

let ahead: Ahead | null = null;

/**
 * Image elements that load and decode what is read ahead, made once and reused: one set holds the
 * session read ahead, the other the one last taken (until its page shows it). Making new elements
 * for every read-ahead left the page's node count growing over a day's sessions.
 */
const banks: [HTMLImageElement[], HTMLImageElement[]] = [[], []];
let aheadBank: 0 | 1 = 0;

function loadInto(bank: HTMLImageElement[], urls: readonly string[]): Promise<unknown> {
  while (bank.length < urls.length) bank.push(Object.assign(new Image(), { decoding: 'async' as const }));
  bank.forEach((img, i) => {
    if (i < urls.length) img.src = urls[i]!;
    else img.removeAttribute('src');
  });
  return Promise.all(bank.slice(0, urls.length).map((img) => img.decode().catch(() => undefined)));
}

/** The session read ahead and ready (the Next button says which). */
export const useReadAhead = create<{ ready: string | null }>(() => ({ ready: null }));

function setAhead(next: Ahead | null): void {
  ahead = next;
  useReadAhead.setState({ ready: next?.view == null ? null : next.sessionId });
}

/** The session Next would open without waiting: stored, and Yoti has finished with it. */
function nextReady(): QueueRow | undefined {
  const { queue, queueView, selectedId } = useConsole.getState();
  return undecidedAfter(queue, queueView, selectedId).find((r) => r.fetchedAt !== undefined && r.yoti !== undefined && !r.yoti.working);
}

/**
 * How long after a session opens the next one is read ahead: the open session's own images load and
 * decode first (the page has one image decoder, and a read-ahead page decoding at the same time
 * delayed the open one's stage). A reviewer spends far longer than this on a session.
 */
const READ_AHEAD_DELAY_MS = 1_000;
let scheduled: ReturnType<typeof setTimeout> | undefined;

/** Reads the next session ahead once the one just opened has had its turn (one pending at a time). */
export function scheduleReadAhead(): void {
  clearTimeout(scheduled);
  scheduled = setTimeout(() => void readAheadNext(), READ_AHEAD_DELAY_MS);
}

/** Reads the next session ahead (if it is not already); failures are silent: Next then opens it as usual. */
async function readAheadNext(): Promise<void> {
  const row = nextReady();
  if (row?.fetchedAt === undefined) return;
  if (ahead?.sessionId === row.sessionId && ahead.fetchedAt === row.fetchedAt) return;
  forgetReadAhead();
  const mine: Ahead = { sessionId: row.sessionId, fetchedAt: row.fetchedAt, view: null };
  setAhead(mine);
  try {
    const view = await call('openSession', { sessionId: row.sessionId, readAhead: true });
    if (ahead !== mine) return;
    const first = openingImage(evidenceOf(view));
    const urls = [...(first ? [stageUrl(first)] : []), ...evidenceOf(view).entries.flatMap((e) => (e.kind === 'image' ? e.images.map((i) => i.thumbnailUrl) : []))];
    await loadInto(banks[aheadBank], urls);
    if (ahead === mine) setAhead({ ...mine, view });
  } catch {
    if (ahead === mine) setAhead(null);
  }
}

/** The view read ahead for this session, if it is still the stored copy; taking it clears it. */
export function takeReadAhead(row: QueueRow | undefined): SessionView | null {
  const got = ahead;
  if (got?.view == null || row === undefined || got.sessionId !== row.sessionId || got.fetchedAt !== row.fetchedAt) return null;
  aheadBank = aheadBank === 0 ? 1 : 0; // the taken session's images stay held until the next is read ahead
  setAhead(null);
  return got.view;
}

/** Forgets what was read ahead (of one session, or whatever it is). */
export function forgetReadAhead(sessionId?: string): void {
  if (ahead === null || (sessionId !== undefined && ahead.sessionId !== sessionId)) return;
  void loadInto(banks[aheadBank], []);
  setAhead(null);
}

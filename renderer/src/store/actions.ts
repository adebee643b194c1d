/**
 * The async work behind the screens: every call to main goes through lib/api `call`, and every
 * failure lands in the store as words. Opening sessions is race-safe (a late answer for a session
 * the reviewer already left is dropped).
 */
import type { AddSessionsResult, ApiReachability, SessionView } from '../../../common/ipc/contract';
import { needsYotiWords } from './offline';
import { ApiError, call, errorText } from '../lib/api';
import { coalesced } from '../lib/coalesced';
import { draftSettled, dropDraft, initDraft, leaveDraft } from './draft';
import { INITIAL_VIEWER, notify, sortQueue, useConsole } from './store';
import { undecidedAfter, visibleQueue } from './queue-view';
import { forgetReadAhead, scheduleReadAhead, takeReadAhead } from './read-ahead';
import { loadOpeningImage } from './opening-image';
import { evidenceOf, openingEntry } from '../../../common/session/evidence';

const get = useConsole.getState;
const set = useConsole.setState;

export async function loadApp(): Promise<void> {
  if (get().app === null) set({ appStatus: 'loading' });
  try {
    const app = await call('getAppState', {});
    set({ app, appStatus: 'ready', appError: undefined });
    applyReachability(app.reachability);
  } catch (e) {
    set({ appStatus: 'error', appError: errorText(e) });
  }
}

/** Main's word on whether the configured API answers (getAppState, 'online-changed'). */
export function applyReachability(r: ApiReachability): void {
  set({ online: r.online, offlineReason: r.online ? undefined : r.reason });
}

export async function refreshQueue(): Promise<void> {
  if (get().queueStatus === 'idle') set({ queueStatus: 'loading' });
  try {
    const rows = await call('listSessions', {});
    set({ queue: sortQueue(rows), queueAt: Date.now(), queueStatus: 'ready', queueError: undefined });
  } catch (e) {
    set({ queueStatus: 'error', queueError: errorText(e) });
  }
}

export async function loadReasons(): Promise<void> {
  try {
    const reasons = await call('listReasonCodes', {});
    set({ reasons, reasonsError: undefined });
  } catch (e) {
    set({ reasonsError: errorText(e) });
  }
}

function setFlag(key: 'fetching', id: string, on: boolean): void {
  set((s) => {
    const next = { ...s[key] };
    if (on) next[id] = true;
    else delete next[id];
    return { [key]: next };
  });
}

/** Fetches in flight, by session id: a second caller (opening a session the background fetch is downloading) waits for the first. */
const inFlight = new Map<string, Promise<boolean>>();

/** Fetches one session (and its media) into the local store. Resolves true when it worked. */
export function fetchOne(sessionId: string, opts: { force?: boolean; quiet?: boolean } = {}): Promise<boolean> {
  const running = inFlight.get(sessionId);
  if (running) return running;
  const fetching = fetchNow(sessionId, opts).finally(() => inFlight.delete(sessionId));
  inFlight.set(sessionId, fetching);
  return fetching;
}

async function fetchNow(sessionId: string, opts: { force?: boolean; quiet?: boolean }): Promise<boolean> {
  setFlag('fetching', sessionId, true);
  set((s) => {
    const fetchErrors = { ...s.fetchErrors };
    delete fetchErrors[sessionId];
    return { fetchErrors };
  });
  try {
    const r = await call('fetchSession', { sessionId, force: opts.force });
    if (!opts.quiet) {
      const failed = r.mediaFailed.length;
      if (r.keptCached) notify(`Session ${sessionId} is complete and already cached; nothing new to fetch.`);
      else if (failed > 0) notify(`Fetched session ${sessionId}, but ${failed} media item${failed === 1 ? '' : 's'} could not be downloaded.`, 'error');
      else notify(`Fetched session ${sessionId}: ${r.mediaSaved} of ${r.mediaTotal} media items saved.`);
    }
    return true;
  } catch (e) {
    const text = errorText(e);
    set((s) => ({ fetchErrors: { ...s.fetchErrors, [sessionId]: text } }));
    if (!opts.quiet) notify(`Could not fetch session ${sessionId}: ${text}`, 'error');
    return false;
  } finally {
    setFlag('fetching', sessionId, false);
    set((s) => {
      const progress = { ...s.progress };
      delete progress[sessionId];
      return { progress };
    });
    await refreshQueue();
  }
}

let openToken = 0;
let recordedReset: (() => void) | undefined;
/** Lets the viewer forget what it recorded when another session opens (avoids an import cycle). */
export function onSessionChange(fn: () => void): void {
  recordedReset = fn;
}

/** Opens a session: from the local copy when there is one, fetching it first when there is not. */
export async function openSessionById(sessionId: string): Promise<void> {
  const token = ++openToken;
  recordedReset?.();
  // What was typed for the session being left is saved now, before anything else is read.
  leaveDraft();
  set({ selectedId: sessionId, session: null, record: null, sessionStatus: 'loading', sessionError: undefined, viewer: INITIAL_VIEWER });
  const row = get().queue.find((r) => r.sessionId === sessionId);
  if (row?.cache === 'evidence-deleted') return openRecord(sessionId, token);
  if (row === undefined || row.cache === 'not-fetched') {
    if (!get().online) {
      set({
        sessionStatus: 'error',
        sessionError: `This session has not been downloaded yet. ${needsYotiWords(get().offlineReason)} Open it again once the API answers.`,
      });
      return;
    }
    const fetched = await fetchOne(sessionId, { quiet: true });
    if (token !== openToken) return;
    if (!fetched) {
      set({ sessionStatus: 'error', sessionError: `Could not download the session: ${get().fetchErrors[sessionId] ?? 'unknown error'}` });
      return;
    }
  }
  // Read ahead for "Next": shown once its opening is recorded, as every opening is, without building the view again.
  const early = takeReadAhead(row);
  try {
    let view: SessionView;
    if (early !== null) {
      view = { ...early, review: await call('markSessionOpened', { sessionId }) };
    } else {
      loadOpeningImage(row?.openingImageUrl);
      await draftSettled();
      if (token !== openToken) return;
      view = await call('openSession', { sessionId });
    }
    if (token !== openToken) return;
    initDraft(view);
    // Opened on its first image in the same update, so the stage's image is in the first frame that shows the session.
    set({ session: view, sessionStatus: 'ready', viewer: { ...INITIAL_VIEWER, entryKey: openingEntry(evidenceOf(view))?.key ?? null } });
    scheduleReadAhead();
  } catch (e) {
    if (token !== openToken) return;
    // Deleted since the queue was read: its record is what there is to open.
    if (e instanceof ApiError && e.code === 'EVIDENCE_DELETED') return openRecord(sessionId, token);
    set({ sessionStatus: 'error', sessionError: errorText(e) });
  }
}

/** Opens the review record of a session whose evidence was deleted (reads only; nothing to decide on). */
async function openRecord(sessionId: string, token: number): Promise<void> {
  try {
    const record = await call('openRecord', { sessionId });
    if (token === openToken) set({ record, sessionStatus: 'ready' });
  } catch (e) {
    if (token === openToken) set({ sessionStatus: 'error', sessionError: errorText(e) });
  }
}

/** Nothing open (the session left the list, or its evidence or record was deleted). */
function closeOpen(): void {
  dropDraft();
  set({ selectedId: null, session: null, record: null, sessionStatus: 'idle' });
}

/** Re-reads the open session (after a fetch or a settings change) without resetting the viewer. Calls coalesce. */
export const reloadOpenSession = coalesced(async () => {
  const { selectedId, sessionStatus } = get();
  if (selectedId === null || sessionStatus !== 'ready') return;
  const token = openToken;
  try {
    const view = await call('openSession', { sessionId: selectedId });
    if (token !== openToken) return;
    set({ session: view });
  } catch (e) {
    if (token === openToken) notify(`Could not reload the session: ${errorText(e)}`, 'error');
  }
});

/**
 * 'session-updated': the queue row always changes; the open session is re-read only when its stored
 * copy changed (a fetch, a deletion), not for review saves, which the decision panel already holds.
 */
export async function onSessionUpdated(sessionId: string): Promise<void> {
  forgetReadAhead(sessionId);
  await refreshQueue();
  const { selectedId, session, record, queue } = get();
  if (selectedId !== sessionId || (session === null && record === null)) return;
  const row = queue.find((r) => r.sessionId === sessionId);
  if (row === undefined) {
    closeOpen();
    notify(`Session ${sessionId} is no longer on this computer.`);
    return;
  }
  // Its evidence was deleted (or fetched again): what there is to open changed.
  if ((row.cache === 'evidence-deleted') !== (record !== null)) {
    await openSessionById(sessionId);
    return;
  }
  if (session === null) return;
  if (row.fetchedAt !== undefined && row.fetchedAt !== session.stored.fetchedAt) await reloadOpenSession();
}

export function updateOpenSession(patch: (v: SessionView) => SessionView): void {
  const s = get().session;
  if (s) set({ session: patch(s) });
}

/**
 * Oldest undecided session other than the open one that can be decided now. A session not fetched
 * yet is fetched first to know; sessions Yoti is still working on and ids that cannot be fetched are
 * skipped, and the status line says how many and why.
 */
export async function nextUndecided(): Promise<void> {
  const { queue, queueView, selectedId } = get();
  const candidates = undecidedAfter(queue, queueView, selectedId);
  let working = 0;
  let unfetchable = 0;
  for (const candidate of candidates) {
    if (candidate.yoti === undefined && !(await fetchOne(candidate.sessionId, { quiet: true }))) {
      unfetchable += 1;
      continue;
    }
    const row = get().queue.find((r) => r.sessionId === candidate.sessionId);
    if (row === undefined || row.decision !== undefined) continue;
    if (row.yoti?.working === true) {
      working += 1;
      continue;
    }
    await openSessionById(row.sessionId);
    const skipped = skippedText(working, unfetchable);
    if (skipped !== '') notify(skipped);
    return;
  }
  notify(
    queue.length === 0
      ? 'The queue is empty: add session ids first.'
      : candidates.length === 0
        ? get().queueView.filter === 'all' && get().queueView.search === ''
          ? 'Every other session in the queue has a decision.'
          : 'Every other session shown has a decision (the queue is filtered).'
        : `No other session is ready for a decision. ${skippedText(working, unfetchable)}`,
  );
}

function skippedText(working: number, unfetchable: number): string {
  const sessions = (n: number): string => `${n} session${n === 1 ? '' : 's'}`;
  const parts = [
    working > 0 ? `${sessions(working)} Yoti is still working on` : '',
    unfetchable > 0 ? `${sessions(unfetchable)} that could not be fetched` : '',
  ].filter(Boolean);
  return parts.length === 0 ? '' : `Skipped ${parts.join(' and ')}.`;
}

/**
 * Removes a session from this computer and the queue: for an id that will never open (a typo, a
 * session Yoti deleted), or evidence no longer needed. Main asks natively first; the review record
 * and the audit log stay.
 */
export async function removeFromQueue(sessionId: string): Promise<void> {
  try {
    const r = await call('removeSessionLocally', { sessionId });
    if (!r.removed) {
      notify('Nothing was removed.');
      return;
    }
    if (get().selectedId === sessionId) closeOpen();
    await refreshQueue();
    notify(`Session ${sessionId} removed from this computer and the queue.`);
  } catch (e) {
    notify(`Could not remove session ${sessionId}: ${errorText(e)}`, 'error');
  }
}

/** Moves the selection up or down the queue and opens that session. */
export function stepQueue(delta: number): void {
  const { queue, queueView, selectedId } = get();
  const rows = visibleQueue(queue, queueView);
  if (rows.length === 0) return;
  const i = rows.findIndex((r) => r.sessionId === selectedId);
  const next = rows[Math.min(rows.length - 1, Math.max(0, i < 0 ? 0 : i + delta))];
  if (next && next.sessionId !== selectedId) void openSessionById(next.sessionId);
}

export function describeAdded(r: AddSessionsResult): string {
  const parts = [`${r.added.length} added`];
  if (r.duplicates.length > 0) parts.push(`${r.duplicates.length} already in the queue`);
  if (r.invalid.length > 0) parts.push(`${r.invalid.length} not valid`);
  return parts.join(', ');
}

export async function addSessions(text: string): Promise<AddSessionsResult> {
  const r = await call('addSessions', { text });
  await refreshQueue();
  notify(`Session ids: ${describeAdded(r)}.`);
  return r;
}

export async function importCsv(): Promise<void> {
  try {
    const r = await call('importSessionsCsvWithDialog', {});
    if (r.cancelled) return;
    await refreshQueue();
    notify(`CSV imported: ${describeAdded(r)}.${r.invalid.length > 0 ? ` Not valid: ${r.invalid.slice(0, 3).map((i) => `${i.value} (${i.reason})`).join('; ')}` : ''}`);
  } catch (e) {
    notify(`Could not import the CSV file: ${errorText(e)}`, 'error');
  }
}

export async function startDemo(): Promise<void> {
  notify('Starting the local demo server…');
  try {
    const r = await call('startDemo', {});
    if (r.sessionIds.length > 0) await call('addSessions', { text: r.sessionIds.join('\n') });
    await Promise.all([loadApp(), refreshQueue()]);
    notify(`Demo running at ${r.apiUrl} with ${r.sessionIds.length} sessions. Press N to open the oldest undecided one.`);
    const first = sortQueue(get().queue).find((q) => q.decision === undefined);
    if (first && get().selectedId === null) void openSessionById(first.sessionId);
  } catch (e) {
    notify(`Could not start the demo: ${errorText(e)}`, 'error');
  }
}

export async function deleteAtYoti(sessionId: string, mediaId?: string): Promise<boolean> {
  try {
    const r = await call('deleteAtYoti', mediaId === undefined ? { sessionId } : { sessionId, mediaId });
    notify(r.deleted ? (mediaId ? `Media item ${mediaId} was deleted at Yoti and here.` : `Session ${sessionId} was deleted at Yoti and here.`) : 'Nothing was deleted.');
    await refreshQueue();
    if (mediaId !== undefined) await reloadOpenSession();
    else if (get().selectedId === sessionId) {
      // A session with a review record stays listed: its record opens in place of the evidence.
      if (get().queue.some((q) => q.sessionId === sessionId)) await openSessionById(sessionId);
      else closeOpen();
    }
    return r.deleted;
  } catch (e) {
    notify(`Could not delete at Yoti: ${errorText(e)}`, 'error');
    return false;
  }
}

/** Deletes a session's review record; main asks first, natively, and says what goes and what stays. */
export async function deleteRecord(sessionId: string): Promise<void> {
  try {
    const r = await call('deleteRecord', { sessionId });
    if (!r.deleted) {
      notify('Nothing was deleted.');
      return;
    }
    // Closed first, so the 'session-updated' that follows finds nothing open to report as gone.
    if (get().selectedId === sessionId) closeOpen();
    notify(`The review record of session ${sessionId} was deleted; the audit log keeps its entries.`);
    await refreshQueue();
  } catch (e) {
    notify(`Could not delete the review record: ${errorText(e)}`, 'error');
  }
}

export async function exportReport(redact = false): Promise<void> {
  const id = get().selectedId;
  if (id === null || (get().session === null && get().record === null)) {
    notify('Open a session first, then export its report.');
    return;
  }
  try {
    const r = await call('exportReportWithDialog', { sessionId: id, redact });
    if (r.cancelled) return;
    notify(`Report saved${r.draft ? ' (draft: no confirmed decision yet)' : ''}: ${r.pages ?? '?'} pages, SHA-256 ${r.sha256 ?? 'unknown'}.`);
  } catch (e) {
    notify(`Could not export the report: ${errorText(e)}`, 'error');
  }
}

/**
 * The review draft of the open session: the decision chosen so far, reasons, notes and the verdict
 * on each check. Every change is saved through saveReviewDraft a short pause after the last one
 * (one save at a time, always the latest values, in order); leaving the session or the page saves
 * what is pending at once. Nothing is saved while a confirmed decision is shown or being changed:
 * a change of a final decision is recorded only by confirming it.
 */
import { activeTimeOn, restartActiveTime } from './active-time';
import type { Args, DecisionCheckView, ReviewView, SessionView } from '../../../common/ipc/contract';
import type { DecisionOverrides } from '../../../common/review/guardrails';
import type { Decision } from '../../../common/review/decisions';
import { call, errorText } from '../lib/api';
import { notify, useConsole, type CheckVerdict, type ReviewDraft, type SaveState } from './store';

const DRAFT_DELAY_MS = 800;

const get = useConsole.getState;
const set = useConsole.setState;

let timer: ReturnType<typeof setTimeout> | undefined;
/** A change of the current draft has not been sent yet. */
let dirty = false;
/** Saves run one after another; this settles when the last one started has. */
let chain: Promise<void> = Promise.resolve();
/** Notes of overrides switched back to Agree, so switching again brings the words back. */
const stashedNotes = new Map<string, string>();

type DraftFields = Pick<ReviewDraft, 'decision' | 'reasonCodes' | 'notes' | 'checkVerdicts'>;

function fieldsOf(review: ReviewView): DraftFields {
  return {
    decision: review.decision ?? null,
    reasonCodes: [...review.reasonCodes],
    notes: review.notes,
    checkVerdicts: review.checkVerdicts.map((v) => ({ ...v })),
  };
}

function clearTimer(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
}

function patchDraft(sessionId: string, patch: Partial<ReviewDraft>): void {
  const d = get().draft;
  if (d === null || d.sessionId !== sessionId) return;
  set({ draft: { ...d, ...patch } });
}

function setSave(sessionId: string, save: SaveState): void {
  patchDraft(sessionId, { save });
}

function payload(d: ReviewDraft): Args<'saveReviewDraft'> {
  return {
    sessionId: d.sessionId,
    ...(d.decision === null ? {} : { decision: d.decision }),
    notes: d.notes,
    reasonCodes: [...d.reasonCodes],
    checkVerdicts: d.checkVerdicts.map((v) => ({ ...v })),
  };
}

/** Starts the draft of a session that has just opened, from what is stored. */
export function initDraft(view: SessionView): void {
  clearTimer();
  dirty = false;
  const review = view.review;
  set({
    draft: {
      sessionId: view.sessionId,
      mode: review.status === 'CONFIRMED' ? 'final' : 'edit',
      ...fieldsOf(review),
      save: review.savedAt !== undefined && review.status === 'DRAFT' ? { state: 'saved', at: review.savedAt } : { state: 'idle' },
      showVerdictErrors: false,
    },
  });
}

/** Sends one save in turn; its answer updates the open session's review (not what the reviewer is typing). */
function enqueue(args: Args<'saveReviewDraft'>, onError: (e: unknown) => void): Promise<void> {
  const run = chain.then(async () => {
    const sid = args.sessionId;
    setSave(sid, { state: 'saving' });
    try {
      const r = await call('saveReviewDraft', args);
      const s = get();
      if (s.session?.sessionId === sid) set({ session: { ...s.session, review: r } });
      setSave(sid, dirty && s.draft?.sessionId === sid ? { state: 'pending' } : { state: 'saved', at: r.savedAt ?? new Date().toISOString() });
    } catch (e) {
      onError(e);
    }
  });
  chain = run;
  return run;
}

/** Saves a pending change now (and waits for every save started so far). */
export function saveDraftNow(): Promise<void> {
  clearTimer();
  const d = get().draft;
  if (!dirty || d === null || d.mode !== 'edit') return chain;
  dirty = false;
  return enqueue(payload(d), (e) => {
    // Kept as a pending change: the next edit, blur or session switch tries again.
    if (get().draft?.sessionId === d.sessionId) dirty = true;
    setSave(d.sessionId, { state: 'error', text: errorText(e) });
  });
}

/** Every save started so far has settled (for opening a session, or confirming, after them). */
export function draftSettled(): Promise<void> {
  return chain;
}

/** Leaving the session (or the page): what is pending is saved at once; a failure is reported. */
export function leaveDraft(): void {
  clearTimer();
  const d = get().draft;
  if (d !== null && dirty && d.mode === 'edit') {
    dirty = false;
    void enqueue(payload(d), (e) => notify(`Your draft for ${d.sessionId} could not be saved: ${errorText(e)}`, 'error'));
  }
  dirty = false;
  set({ draft: null });
}

/** The session is gone (deleted, removed): its pending draft goes with it. */
export function dropDraft(): void {
  clearTimer();
  dirty = false;
  set({ draft: null });
}

/** Changes the draft; in edit mode the change is saved after a short pause. A final decision does not change. */
export function updateDraft(patch: Partial<DraftFields>): void {
  const d = get().draft;
  if (d === null || d.mode === 'final') return;
  const next: ReviewDraft = { ...d, ...patch };
  if (d.mode === 'edit') {
    dirty = true;
    next.save = { state: 'pending' };
    clearTimer();
    timer = setTimeout(() => void saveDraftNow(), DRAFT_DELAY_MS);
  }
  set({ draft: next });
}

export function setDecision(decision: Decision): void {
  updateDraft({ decision });
}

/** Agree with Yoti's result, or override it (an override needs a note before the decision is confirmed). */
export function setVerdict(checkId: string, verdict: CheckVerdict['verdict']): void {
  const d = get().draft;
  if (d === null || d.mode === 'final') return;
  const key = `${d.sessionId}|${checkId}`;
  const current = d.checkVerdicts.find((v) => v.checkId === checkId);
  if (current?.verdict === verdict) return;
  let note = '';
  if (verdict === 'AGREE') {
    if (current !== undefined && current.note !== '') stashedNotes.set(key, current.note);
  } else {
    note = stashedNotes.get(key) ?? current?.note ?? '';
    stashedNotes.delete(key);
  }
  const next: CheckVerdict = { checkId, verdict, note };
  updateDraft({
    checkVerdicts: current === undefined ? [...d.checkVerdicts, next] : d.checkVerdicts.map((v) => (v.checkId === checkId ? next : v)),
  });
}

export function setVerdictNote(checkId: string, note: string): void {
  const d = get().draft;
  if (d === null || d.mode === 'final') return;
  updateDraft({ checkVerdicts: d.checkVerdicts.map((v) => (v.checkId === checkId ? { ...v, note } : v)) });
}

/** Overrides that still need a note that says why. */
export function overridesWithoutNote(verdicts: readonly CheckVerdict[]): CheckVerdict[] {
  return verdicts.filter((v) => v.verdict === 'OVERRIDE' && v.note.trim() === '');
}

export function showVerdictErrors(on: boolean): void {
  const d = get().draft;
  if (d !== null && d.showVerdictErrors !== on) set({ draft: { ...d, showVerdictErrors: on } });
}

/** Shows the Checks tab and puts focus on the verdict of one check. */
export function goToVerdict(checkId: string): void {
  set((s) => ({ findingsTab: 'checks', focusVerdict: { checkId, seq: (s.focusVerdict?.seq ?? 0) + 1 } }));
}

/** "Change decision…": the confirmed choices become editable; nothing is saved until the new one is confirmed. */
export function startSupersede(): void {
  const d = get().draft;
  if (d === null || d.mode !== 'final') return;
  set({ draft: { ...d, mode: 'supersede', showVerdictErrors: false } });
}

/** Gives up changing a final decision: back to the confirmed one, as stored. */
export function cancelSupersede(): void {
  const d = get().draft;
  const view = get().session;
  if (d === null || d.mode !== 'supersede' || view === null || view.sessionId !== d.sessionId) return;
  set({ draft: { ...d, ...fieldsOf(view.review), mode: 'final', showVerdictErrors: false } });
}

/** The draft as a decision to check or confirm. */
function decisionArgs(d: ReviewDraft & { decision: Decision }, overrides: DecisionOverrides = {}): Args<'confirmDecision'> {
  return {
    sessionId: d.sessionId,
    decision: d.decision,
    reasonCodes: [...d.reasonCodes],
    notes: d.notes,
    checkVerdicts: d.checkVerdicts.map((v) => ({ ...v })),
    ...(d.mode === 'supersede' ? { supersede: true } : {}),
    overrides,
  };
}

/** What main's guardrails would need to confirm the draft now (nothing is saved). */
export async function checkDraft(): Promise<DecisionCheckView> {
  const d = get().draft;
  if (d === null || d.decision === null || d.mode === 'final') throw new Error('nothing to confirm');
  return call('checkDecision', decisionArgs({ ...d, decision: d.decision }));
}

/** Confirms the draft as the decision (a new version when superseding), with the overrides the confirm step collected. */
export async function confirmDraft(overrides: DecisionOverrides = {}): Promise<ReviewView> {
  const d = get().draft;
  if (d === null || d.decision === null || d.mode === 'final') throw new Error('nothing to confirm');
  clearTimer();
  dirty = false;
  // A draft save still on its way must not land after the decision (it would be refused).
  await chain;
  let r: ReviewView;
  try {
    r = await call('confirmDecision', { ...decisionArgs({ ...d, decision: d.decision }, overrides), activeMs: activeTimeOn(d.sessionId) });
  } catch (e) {
    // Not recorded: what was typed is still a draft to save.
    if (d.mode === 'edit' && get().draft?.sessionId === d.sessionId) {
      dirty = true;
      void saveDraftNow();
    }
    throw e;
  }
  restartActiveTime(d.sessionId);
  const s = get();
  if (s.session?.sessionId === d.sessionId) set({ session: { ...s.session, review: r } });
  const now = get().draft;
  if (now !== null && now.sessionId === d.sessionId) {
    set({ draft: { ...now, ...fieldsOf(r), mode: 'final', showVerdictErrors: false, save: { state: 'saved', at: r.savedAt ?? r.decidedAt ?? new Date().toISOString() } } });
  }
  return r;
}

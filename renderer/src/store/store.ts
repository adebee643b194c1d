/**
 * The one zustand store. Plain data only; the async work lives in actions.ts. Everything a keyboard
 * shortcut or a menu command can act on is here, so a key press does not need to reach a component.
 */
import { create } from 'zustand';
import type { AppState, QueueRow, ReasonOption, RecordView, ReviewView, SessionView, TeamView } from '../../../common/ipc/contract';
import type { Decision } from '../../../common/review/decisions';
import { DEFAULT_QUEUE_VIEW, visibleQueue, type QueueView } from './queue-view';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export type DialogState =
  | { kind: 'settings' }
  | { kind: 'shortcuts' }
  | { kind: 'add-sessions' }
  | { kind: 'team' }
  | { kind: 'delete'; sessionId: string; mediaId?: string; what: string };

export interface Notice {
  id: number;
  text: string;
  tone: 'info' | 'error';
}

export interface ViewTransform {
  /** Multiple of the fit-to-stage scale (1 = fit). */
  zoom: number;
  tx: number;
  ty: number;
  rotate: 0 | 90 | 180 | 270;
  flip: boolean;
  brightness: number;
  contrast: number;
  invert: boolean;
}

export const IDENTITY_VIEW: ViewTransform = { zoom: 1, tx: 0, ty: 0, rotate: 0, flip: false, brightness: 1, contrast: 1, invert: false };

/** Zoom and pan alone: what a compare side keeps of its own while the sides are unlinked. */
export type ZoomPan = Pick<ViewTransform, 'zoom' | 'tx' | 'ty'>;
export const FITTED: ZoomPan = { zoom: 1, tx: 0, ty: 0 };

export type CompareSide = 'left' | 'right';
/** Where a stage is: the single view, or one side of the compare view. */
export type StageSlot = 'single' | CompareSide;

export interface ViewerState {
  /** Key of the selected evidence entry (see common/session/evidence.ts). */
  entryKey: string | null;
  /** Position in the entry's flip-book. */
  frame: number;
  playing: boolean;
  compare: boolean;
  /** Compare view: the document portrait (left) and the liveness frame (right). */
  compareLeft: string | null;
  compareRight: string | null;
  /** The single view's transform, and both compare sides' while they are linked. */
  view: ViewTransform;
  /** Compare view: both sides share `view`'s zoom and pan; when false each has its own in sideZoom (orientation and filters stay shared). */
  linked: boolean;
  sideZoom: Record<CompareSide, ZoomPan>;
  /** The compare side the toolbar and keys act on: the one last wheeled, dragged, clicked or focused. */
  activeSide: CompareSide;
  /** Scale at which each stage's image fits it; lets 1:1 and the pixel scale be computed from a key press. */
  fitScales: Record<StageSlot, number>;
}

export const INITIAL_VIEWER: ViewerState = {
  entryKey: null,
  frame: 0,
  playing: false,
  compare: false,
  compareLeft: null,
  compareRight: null,
  view: IDENTITY_VIEW,
  linked: true,
  sideZoom: { left: FITTED, right: FITTED },
  activeSide: 'left',
  fitScales: { single: 1, left: 1, right: 1 },
};

export type CheckVerdict = ReviewView['checkVerdicts'][number];

export type SaveState =
  | { state: 'idle' }
  | { state: 'pending' }
  | { state: 'saving' }
  | { state: 'saved'; at: string }
  | { state: 'error'; text: string };

/**
 * What the reviewer has chosen and typed for the open session, shared by the findings (check
 * verdicts) and the decision pane. Saved as a draft as it changes (store/draft.ts); it becomes the
 * decision only through confirmDecision.
 */
export interface ReviewDraft {
  sessionId: string;
  /** edit: a draft, saved as typed; final: the confirmed decision, read-only; supersede: changing it (saved only on confirm). */
  mode: 'edit' | 'final' | 'supersede';
  decision: Decision | null;
  reasonCodes: string[];
  notes: string;
  checkVerdicts: CheckVerdict[];
  save: SaveState;
  /** A confirm was asked for while an override had no note: the missing notes now show as errors. */
  showVerdictErrors: boolean;
}

export interface ConsoleState {
  app: AppState | null;
  appStatus: LoadStatus;
  appError?: string;
  /** Whether the configured API answers (main's reachability): actions that need Yoti are disabled while it does not. */
  online: boolean;
  /** Why it counts as offline, in main's words; undefined while online. */
  offlineReason?: string;

  queue: QueueRow[];
  /** How the queue is shown (sort, filter, search): the panel, "Next undecided" and the arrows follow it. */
  queueView: QueueView;
  /** When the queue was last read (its tokenTtlSeconds are as of then). */
  queueAt: number;
  queueStatus: LoadStatus;
  queueError?: string;
  /** Media fetch progress per session, from 'fetch-progress'. */
  progress: Record<string, { done: number; total: number }>;
  fetching: Record<string, boolean>;
  fetchErrors: Record<string, string>;
  /** The background fetch of the queue (background-fetch.ts) while it runs. */
  background: { done: number; total: number } | null;
  /** When each ONGOING session is fetched again (epoch ms), from the refresher. */
  refreshDue: Record<string, number>;

  selectedId: string | null;
  session: SessionView | null;
  /** The open session when its evidence was deleted and its review record kept (then session is null). */
  record: RecordView | null;
  sessionStatus: LoadStatus;
  sessionError?: string;

  reasons: ReasonOption[];
  reasonsError?: string;

  /** Team mode as main last told it (store/team.ts); `joined: false` without a team database, and then nothing of the team shows. */
  team: TeamView;
  /** Why the team view could not be read, in words (the view read before stays). */
  teamError?: string;
  /** When the team view was last read (epoch ms; 0: not yet). */
  teamAt: number;

  dialog: DialogState | null;
  notice: Notice | null;
  viewer: ViewerState;
  /** Bumped by the D shortcut / menu so the decision panel takes focus. */
  focusDecision: number;
  /** Bumped by Ctrl+Enter so the decision panel opens its confirm step. */
  confirmRequest: number;

  draft: ReviewDraft | null;
  /** The findings tab shown (summary, checks, document, other). */
  findingsTab: string;
  /** Asks the Checks tab to focus the verdict of one check (seq makes a repeat request count). */
  focusVerdict: { checkId: string; seq: number } | null;
}

export const useConsole = create<ConsoleState>()(() => ({
  app: null,
  appStatus: 'idle',
  online: true,
  queue: [],
  queueView: DEFAULT_QUEUE_VIEW,
  queueAt: 0,
  queueStatus: 'idle',
  progress: {},
  fetching: {},
  fetchErrors: {},
  background: null,
  refreshDue: {},
  selectedId: null,
  session: null,
  record: null,
  sessionStatus: 'idle',
  reasons: [],
  team: { joined: false },
  teamAt: 0,
  dialog: null,
  notice: null,
  viewer: INITIAL_VIEWER,
  focusDecision: 0,
  confirmRequest: 0,
  draft: null,
  findingsTab: 'summary',
  focusVerdict: null,
}));

let noticeId = 0;
let noticeTimer: ReturnType<typeof setTimeout> | undefined;
const NOTICE_MS = 12_000;
/** Shows a message in the status line (announced to screen readers). Information fades; errors stay until replaced. */
export function notify(text: string, tone: Notice['tone'] = 'info'): void {
  noticeId += 1;
  const id = noticeId;
  useConsole.setState({ notice: { id, text, tone } });
  if (noticeTimer !== undefined) clearTimeout(noticeTimer);
  noticeTimer =
    tone === 'info'
      ? setTimeout(() => {
          if (useConsole.getState().notice?.id === id) useConsole.setState({ notice: null });
        }, NOTICE_MS)
      : undefined;
}

export function setViewer(patch: Partial<ViewerState>): void {
  useConsole.setState((s) => ({ viewer: { ...s.viewer, ...patch } }));
}

export function setView(patch: Partial<ViewTransform>): void {
  useConsole.setState((s) => ({ viewer: { ...s.viewer, view: { ...s.viewer.view, ...patch } } }));
}

export function openDialog(dialog: DialogState): void {
  useConsole.setState({ dialog });
}

export function closeDialog(): void {
  useConsole.setState({ dialog: null });
}

/** Oldest first (by the time the id was added), then by id so the order is stable. */
export function sortQueue(rows: readonly QueueRow[]): QueueRow[] {
  return visibleQueue(rows, DEFAULT_QUEUE_VIEW);
}

/**
 * Every keyboard shortcut, in one table: the help dialog lists it and the handler dispatches from
 * it. Menu commands from main ('menu-command') run the same actions.
 */
import type { MenuCommand } from '../../../../common/ipc/contract';
import { exportReport, nextUndecided, stepQueue } from '../../store/actions';
import { openDialog, useConsole } from '../../store/store';
import {
  flip,
  resetView,
  rotate,
  setBrightness,
  setContrast,
  stepEntry,
  stepFrame,
  toggleCompare,
  toggleInvert,
  toggleLink,
  togglePlay,
  zoomActual,
  zoomBy,
  zoomFit,
} from '../viewer/viewer-actions';

export interface Shortcut {
  /** What is shown in the help ("Shift+R"). */
  keys: string[];
  does: string;
  group: 'Queue and panes' | 'Evidence viewer' | 'Decision';
  /** e.key values that trigger it (case-sensitive: "r" and "R" differ). */
  match?: string[];
  ctrl?: boolean;
  run?: () => void;
  /** Also works while typing in a text field. */
  inFields?: boolean;
}

const viewer = () => useConsole.getState().viewer.view;

export function focusPane(delta: number): void {
  const panes = [...document.querySelectorAll<HTMLElement>('[data-pane]')];
  if (panes.length === 0) return;
  const i = panes.findIndex((p) => p.contains(document.activeElement));
  const next = panes[(i < 0 ? (delta > 0 ? 0 : panes.length - 1) : i + delta + panes.length) % panes.length];
  if (!next) return;
  const target =
    next.dataset.pane === 'queue'
      ? (next.querySelector<HTMLElement>('[role="option"][tabindex="0"]') ?? next)
      : next.dataset.pane === 'viewer'
        ? (next.querySelector<HTMLElement>('.stage') ?? next)
        : next;
  target.focus();
}

export const SHORTCUTS: Shortcut[] = [
  { keys: ['N'], does: 'Open the next undecided session Yoti has finished (oldest first)', group: 'Queue and panes', match: ['n', 'N'], run: () => void nextUndecided() },
  { keys: ['J'], does: 'Open the next session in the queue', group: 'Queue and panes', match: ['j'], run: () => stepQueue(1) },
  { keys: ['K'], does: 'Open the previous session in the queue', group: 'Queue and panes', match: ['k'], run: () => stepQueue(-1) },
  { keys: ['↑', '↓', 'Enter'], does: 'In the queue: move, then open the session', group: 'Queue and panes' },
  { keys: ['A'], does: 'Add sessions by pasting their ids', group: 'Queue and panes', match: ['a'], run: () => openDialog({ kind: 'add-sessions' }) },
  { keys: ['F6'], does: 'Move to the next pane (Shift+F6: previous)', group: 'Queue and panes', inFields: true },
  { keys: ['Ctrl', ','], does: 'Settings', group: 'Queue and panes', match: [','], ctrl: true, inFields: true, run: () => openDialog({ kind: 'settings' }) },
  { keys: ['?'], does: 'Show this list', group: 'Queue and panes', match: ['?'], run: () => openDialog({ kind: 'shortcuts' }) },
  { keys: ['Esc'], does: 'Close a dialog', group: 'Queue and panes' },

  { keys: [']'], does: 'Next evidence item', group: 'Evidence viewer', match: [']'], run: () => stepEntry(1) },
  { keys: ['['], does: 'Previous evidence item', group: 'Evidence viewer', match: ['['], run: () => stepEntry(-1) },
  { keys: ['.'], does: 'Next frame of the page (flip-book)', group: 'Evidence viewer', match: ['.'], run: () => stepFrame(1) },
  { keys: [','], does: 'Previous frame of the page', group: 'Evidence viewer', match: [','], run: () => stepFrame(-1) },
  { keys: ['P'], does: 'Play or pause the flip-book (hologram movement)', group: 'Evidence viewer', match: ['p'], run: togglePlay },
  { keys: ['+'], does: 'Zoom in (or the mouse wheel)', group: 'Evidence viewer', match: ['+', '='], run: () => zoomBy(1.25) },
  { keys: ['−'], does: 'Zoom out', group: 'Evidence viewer', match: ['-', '_'], run: () => zoomBy(0.8) },
  { keys: ['0'], does: 'Fit to the pane', group: 'Evidence viewer', match: ['0'], run: zoomFit },
  { keys: ['1'], does: 'Actual size (1:1)', group: 'Evidence viewer', match: ['1'], run: zoomActual },
  { keys: ['←', '→', '↑', '↓'], does: 'Pan (when the image has focus; drag with the mouse)', group: 'Evidence viewer' },
  { keys: ['R'], does: 'Rotate right (Shift+R: left)', group: 'Evidence viewer', match: ['r'], run: () => rotate(true) },
  { keys: ['Shift', 'R'], does: 'Rotate left', group: 'Evidence viewer', match: ['R'], run: () => rotate(false) },
  { keys: ['H'], does: 'Flip horizontally', group: 'Evidence viewer', match: ['h'], run: flip },
  { keys: ['B'], does: 'Brighter (Shift+B: darker)', group: 'Evidence viewer', match: ['b'], run: () => setBrightness(viewer().brightness + 0.1) },
  { keys: ['Shift', 'B'], does: 'Darker', group: 'Evidence viewer', match: ['B'], run: () => setBrightness(viewer().brightness - 0.1) },
  { keys: ['V'], does: 'More contrast (Shift+V: less)', group: 'Evidence viewer', match: ['v'], run: () => setContrast(viewer().contrast + 0.1) },
  { keys: ['Shift', 'V'], does: 'Less contrast', group: 'Evidence viewer', match: ['V'], run: () => setContrast(viewer().contrast - 0.1) },
  { keys: ['I'], does: 'Invert colours', group: 'Evidence viewer', match: ['i'], run: toggleInvert },
  { keys: ['E'], does: 'Reset zoom, orientation and filters', group: 'Evidence viewer', match: ['e'], run: resetView },
  { keys: ['C'], does: 'Compare the document portrait with a liveness frame', group: 'Evidence viewer', match: ['c'], run: toggleCompare },
  {
    keys: ['L'],
    does: 'Compare view: link or unlink the two sides\' zoom and pan (unlinked, zoom keys act on the side last used)',
    group: 'Evidence viewer',
    match: ['l'],
    run: toggleLink,
  },

  {
    keys: ['D'],
    does: 'Go to the decision (then arrows choose, Tab reaches reasons and notes)',
    group: 'Decision',
    match: ['d'],
    run: () => useConsole.setState((s) => ({ focusDecision: s.focusDecision + 1 })),
  },
  {
    keys: ['Ctrl', 'Enter'],
    does: 'Record the decision (opens the confirm step; Enter confirms)',
    group: 'Decision',
    match: ['Enter'],
    ctrl: true,
    inFields: true,
    run: () => useConsole.setState((s) => ({ confirmRequest: s.confirmRequest + 1 })),
  },
  { keys: ['X'], does: 'Export the PDF report', group: 'Decision', match: ['x'], run: () => void exportReport(false) },
];

/** Input types where a letter key means nothing, so shortcuts keep working there. */
const KEYLESS_INPUTS: ReadonlySet<string> = new Set(['radio', 'checkbox', 'range', 'button', 'submit', 'reset', 'color', 'file']);

/** Somewhere the reviewer types text: single-letter shortcuts stay out of the way. */
const isField = (t: EventTarget | null): boolean =>
  t instanceof HTMLElement &&
  (t.isContentEditable ||
    t instanceof HTMLTextAreaElement ||
    t instanceof HTMLSelectElement ||
    (t instanceof HTMLInputElement && !KEYLESS_INPUTS.has(t.type)));

/** The window keydown handler. */
export function handleKey(e: KeyboardEvent): void {
  if (e.defaultPrevented || e.isComposing) return;
  if (document.querySelector('dialog[open]')) return;
  if (e.key === 'F6') {
    e.preventDefault();
    focusPane(e.shiftKey ? -1 : 1);
    return;
  }
  const ctrl = e.ctrlKey || e.metaKey;
  if (e.altKey) return;
  const field = isField(e.target);
  for (const s of SHORTCUTS) {
    if (!s.run || !s.match?.includes(e.key) || Boolean(s.ctrl) !== ctrl) continue;
    if (field && !s.inFields) continue;
    e.preventDefault();
    s.run();
    return;
  }
}

export function runMenuCommand(command: MenuCommand): void {
  const actions: Record<MenuCommand, () => void> = {
    'next-undecided': () => void nextUndecided(),
    'add-sessions': () => openDialog({ kind: 'add-sessions' }),
    'export-report': () => void exportReport(false),
    'open-settings': () => openDialog({ kind: 'settings' }),
    'show-shortcuts': () => openDialog({ kind: 'shortcuts' }),
    'zoom-in': () => zoomBy(1.25),
    'zoom-out': () => zoomBy(0.8),
    'zoom-fit': zoomFit,
    'zoom-actual': zoomActual,
    rotate: () => rotate(true),
    compare: toggleCompare,
  };
  actions[command]();
}

import { useConsole } from './store';

/**
 * Active time on each session while it is open in this window, as the record states it: counted
 * only while the window is visible and focused and the reviewer gave input (a key, a click, the
 * wheel, the pointer moving) within the last minute. Sent with the decision; main keeps it at most
 * the elapsed time. A confirmed decision starts the count of that session again.
 */
const IDLE_MS = 60_000;
const TICK_MS = 1_000;
const INPUT_EVENTS = ['keydown', 'pointerdown', 'pointermove', 'wheel'] as const;

const activeBySession = new Map<string, number>();
let lastInput = 0;
let lastTick = 0;

/** Starts counting (App's lifetime); returns the function that stops it. */
export function startActiveTime(now: () => number = Date.now): () => void {
  const onInput = (): void => {
    lastInput = now();
  };
  for (const e of INPUT_EVENTS) window.addEventListener(e, onInput, { passive: true });
  lastInput = now();
  lastTick = now();
  const timer = setInterval(() => {
    const t = now();
    const open = useConsole.getState().session?.sessionId;
    const counting = open !== undefined && document.visibilityState === 'visible' && document.hasFocus() && t - lastInput <= IDLE_MS;
    // A tick that came late (the machine slept) counts no more than two ticks.
    if (counting) activeBySession.set(open, (activeBySession.get(open) ?? 0) + Math.min(Math.max(0, t - lastTick), 2 * TICK_MS));
    lastTick = t;
  }, TICK_MS);
  return () => {
    clearInterval(timer);
    for (const e of INPUT_EVENTS) window.removeEventListener(e, onInput);
  };
}

/** The active time counted on a session in this window so far (ms, whole). */
export function activeTimeOn(sessionId: string): number {
  return Math.round(activeBySession.get(sessionId) ?? 0);
}

/** After a confirmed decision: the next decision on the session counts from zero. */
export function restartActiveTime(sessionId: string): void {
  activeBySession.delete(sessionId);
}

/**
 * Sessions still ONGOING at Yoti are fetched again on their own, with a growing back-off, until they
 * are COMPLETED or EXPIRED. Nothing runs while offline. One timer; stop() clears it.
 */
import { fetchOne, reloadOpenSession } from './actions';
import { useConsole } from './store';

const FIRST_DELAY_MS = 15_000;
const MAX_DELAY_MS = 5 * 60_000;
const TICK_MS = 3_000;

export function startRefresher(opts: { firstDelayMs?: number } = {}): () => void {
  const first = opts.firstDelayMs ?? FIRST_DELAY_MS;
  const plan = new Map<string, { delay: number; due: number }>();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const publish = (): void => {
    const due: Record<string, number> = {};
    for (const [id, p] of plan) due[id] = p.due;
    useConsole.setState({ refreshDue: due });
  };

  const tick = async (): Promise<void> => {
    const s = useConsole.getState();
    const ongoing = new Set(s.queue.filter((r) => r.state === 'ONGOING').map((r) => r.sessionId));
    for (const id of [...plan.keys()]) if (!ongoing.has(id)) plan.delete(id);
    const now = Date.now();
    for (const id of ongoing) if (!plan.has(id)) plan.set(id, { delay: first, due: now + first });
    if (s.online) {
      for (const [id, p] of plan) {
        if (stopped) return;
        if (p.due > Date.now() || useConsole.getState().fetching[id]) continue;
        const fetched = await fetchOne(id, { quiet: true });
        p.delay = Math.min(p.delay * 2, MAX_DELAY_MS);
        p.due = Date.now() + p.delay;
        if (fetched && useConsole.getState().selectedId === id) await reloadOpenSession();
      }
    } else {
      // Paused: nothing becomes due while offline; resume from a fresh delay.
      for (const p of plan.values()) p.due = Math.max(p.due, Date.now() + first);
    }
    publish();
  };

  const loop = (): void => {
    timer = setTimeout(() => {
      void tick().finally(() => {
        if (!stopped) loop();
      });
    }, TICK_MS);
  };
  loop();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
  };
}

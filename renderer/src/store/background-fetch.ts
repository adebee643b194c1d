/**
 * The queued sessions nothing is known about yet are fetched in the background, two at a time, so
 * every row shows Yoti's result, the review status and seen-before matches before it is opened, and
 * a match never depends on the order sessions are opened in. Paused while offline (it resumes when
 * the connection is back); an id whose fetch failed is not retried here (its row says why);
 * progress is in the store for the queue's header.
 */
import { fetchOne } from './actions';
import { sortQueue, useConsole } from './store';

const AT_ONCE = 2;

export function startBackgroundFetch(): () => void {
  let running = false;
  let stopped = false;

  const waiting = (): string[] => {
    const s = useConsole.getState();
    return sortQueue(s.queue)
      .filter((r) => r.cache === 'not-fetched' && r.yoti === undefined && !s.fetching[r.sessionId] && s.fetchErrors[r.sessionId] === undefined)
      .map((r) => r.sessionId);
  };

  const run = async (): Promise<void> => {
    if (running) return;
    running = true;
    let done = 0;
    try {
      for (let todo = waiting(); todo.length > 0 && !stopped && useConsole.getState().online; todo = waiting()) {
        useConsole.setState({ background: { done, total: done + todo.length } });
        const batch = todo.slice(0, AT_ONCE);
        await Promise.all(batch.map((id) => fetchOne(id, { quiet: true })));
        done += batch.length;
      }
    } finally {
      running = false;
      useConsole.setState({ background: null });
    }
  };

  // The queue changes (sessions added, a fetch done) or the connection comes back: look again.
  const unsubscribe = useConsole.subscribe((s, prev) => {
    if (s.queue !== prev.queue || (s.online && !prev.online)) void run();
  });
  void run();
  return () => {
    stopped = true;
    unsubscribe();
  };
}

/**
 * Saves what the reviewer types without saving on every key stroke: `update(value)` on each change,
 * the value is saved `delayMs` after the last change (and at least every `maxWaitMs` while typing
 * goes on), one save at a time, always the latest value. `flush()` saves now (call it before
 * confirming, switching session or closing the window). The store itself saves immediately; this
 * helper only decides when to call it. Timers are injected, so tests need no real time.
 */
export interface SaverTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface DebouncedSaverOptions<T> {
  save: (value: T) => Promise<unknown>;
  /** Quiet time before saving (default 800 ms). */
  delayMs?: number;
  /** Longest time a change waits while typing goes on (default 5 s). */
  maxWaitMs?: number;
  timers?: SaverTimers;
  /** A save failed: the value stays pending and is retried on the next change or flush. */
  onError?: (error: unknown) => void;
  onSaved?: (value: T) => void;
}

export interface DebouncedSaver<T> {
  update(value: T): void;
  /** Saves the pending value now (if any) and waits for every save started so far. Rejects if the save fails. */
  flush(): Promise<void>;
  /** A change is waiting to be saved or being saved. */
  readonly dirty: boolean;
  /** Stops the timer; a pending value is dropped unless flush() is called first. */
  cancel(): void;
}

const realTimers: SaverTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export function createDebouncedSaver<T>(opts: DebouncedSaverOptions<T>): DebouncedSaver<T> {
  const delayMs = opts.delayMs ?? 800;
  const maxWaitMs = opts.maxWaitMs ?? 5_000;
  const timers = opts.timers ?? realTimers;
  let pending: { value: T } | null = null;
  let firstChangeAt: number | null = null;
  let timer: unknown = null;
  let running: Promise<void> = Promise.resolve();
  let inFlight = 0;

  const clear = (): void => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };

  /** Queues a save of the current pending value behind earlier saves. */
  const start = (): Promise<void> => {
    clear();
    firstChangeAt = null;
    const job = pending;
    pending = null;
    if (job === null) return running;
    inFlight += 1;
    const run = running.then(async () => {
      try {
        await opts.save(job.value);
        opts.onSaved?.(job.value);
      } catch (err) {
        // Keep the newest value: a later update() may already have replaced it.
        pending ??= job;
        throw err;
      } finally {
        inFlight -= 1;
      }
    });
    running = run.catch(() => undefined);
    return run;
  };

  const schedule = (): void => {
    clear();
    const now = timers.now();
    firstChangeAt ??= now;
    const wait = Math.max(0, Math.min(delayMs, firstChangeAt + maxWaitMs - now));
    timer = timers.setTimeout(() => {
      timer = null;
      start().catch((err: unknown) => opts.onError?.(err));
    }, wait);
  };

  return {
    update(value: T): void {
      pending = { value };
      schedule();
    },
    flush(): Promise<void> {
      return start();
    },
    get dirty(): boolean {
      return pending !== null || inFlight > 0;
    },
    cancel(): void {
      clear();
      pending = null;
      firstChangeAt = null;
    },
  };
}

import { describe, expect, test } from 'vitest';
import { createDebouncedSaver, type SaverTimers } from '../../../main/core/review/debounced-saver';

/** Timers driven by the test: no real time passes. */
function manualTimers() {
  let now = 0;
  let nextId = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const timers: SaverTimers = {
    setTimeout: (fn, ms) => {
      const id = nextId++;
      pending.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout: (h) => void pending.delete(h as number),
    now: () => now,
  };
  const advance = async (ms: number) => {
    now += ms;
    for (const [id, t] of [...pending].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at <= now) {
        pending.delete(id);
        t.fn();
      }
    }
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
  };
  return { timers, advance, get scheduled() { return pending.size; } };
}

describe('debounced saver', () => {
  test('saves the latest value once typing pauses', async () => {
    const t = manualTimers();
    const saved: string[] = [];
    const s = createDebouncedSaver<string>({ save: (v) => Promise.resolve(void saved.push(v)), delayMs: 500, timers: t.timers });
    s.update('h');
    await t.advance(200);
    s.update('he');
    await t.advance(200);
    s.update('hel');
    expect(saved).toEqual([]);
    expect(s.dirty).toBe(true);
    await t.advance(500);
    expect(saved).toEqual(['hel']);
    expect(s.dirty).toBe(false);
  });

  test('saves at least every maxWait while typing goes on', async () => {
    const t = manualTimers();
    const saved: string[] = [];
    const s = createDebouncedSaver<string>({ save: (v) => Promise.resolve(void saved.push(v)), delayMs: 500, maxWaitMs: 1_000, timers: t.timers });
    for (let i = 0; i < 12; i += 1) {
      s.update(`v${i}`);
      await t.advance(200);
    }
    expect(saved.length).toBeGreaterThanOrEqual(2);
    expect(saved.at(-1)).not.toBe('v11');
    await t.advance(500);
    expect(saved.at(-1)).toBe('v11');
  });

  test('flush saves now and waits; saves never overlap and keep their order', async () => {
    const t = manualTimers();
    const log: string[] = [];
    let release: (() => void) | undefined;
    const s = createDebouncedSaver<string>({
      save: (v) =>
        new Promise<void>((resolve) => {
          log.push(`start ${v}`);
          release = () => {
            log.push(`end ${v}`);
            resolve();
          };
        }),
      delayMs: 100,
      timers: t.timers,
    });
    s.update('a');
    await t.advance(100);
    s.update('b');
    const flushed = s.flush();
    await Promise.resolve();
    expect(log).toEqual(['start a']);
    release?.();
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['start a', 'end a', 'start b']);
    release?.();
    await flushed;
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
    expect(t.scheduled).toBe(0);
  });

  test('a failed save keeps the value pending, reports it, and the next flush retries', async () => {
    const t = manualTimers();
    let fail = true;
    const saved: string[] = [];
    const errors: unknown[] = [];
    const s = createDebouncedSaver<string>({
      save: (v) => {
        if (fail) return Promise.reject(new Error('disk full'));
        saved.push(v);
        return Promise.resolve();
      },
      delayMs: 10,
      timers: t.timers,
      onError: (e) => errors.push(e),
    });
    s.update('x');
    await t.advance(10);
    expect(errors).toHaveLength(1);
    expect(s.dirty).toBe(true);
    fail = false;
    await s.flush();
    expect(saved).toEqual(['x']);
    expect(s.dirty).toBe(false);
  });

  test('cancel drops a pending value', async () => {
    const t = manualTimers();
    const saved: string[] = [];
    const s = createDebouncedSaver<string>({ save: (v) => Promise.resolve(void saved.push(v)), delayMs: 10, timers: t.timers });
    s.update('x');
    s.cancel();
    await t.advance(100);
    await s.flush();
    expect(saved).toEqual([]);
  });
});

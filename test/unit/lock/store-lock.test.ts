import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { processIsAlive, StoreLock } from '../../../main/core/lock/store-lock';

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'idv-lock-'));
  path = join(dir, 'store.lock');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const exists = (p: string) => readFile(p).then(() => true, () => false);

/** A clock that only moves when sleep() is called: waiting costs no real time. */
function fakeTime() {
  let t = 1_000_000;
  return { now: () => t, sleep: (ms: number) => { t += ms; return Promise.resolve(); } };
}

describe('StoreLock', () => {
  test('runs sections one at a time within a process and removes the lock file afterwards', async () => {
    const lock = new StoreLock({ path });
    const events: string[] = [];
    const section = (name: string) =>
      lock.run(async () => {
        events.push(`${name}:start`);
        expect(lock.isHeld).toBe(true);
        const held = JSON.parse(await readFile(path, 'utf8')) as { pid: number; host: string };
        expect(held.pid).toBe(process.pid);
        await new Promise((r) => setImmediate(r));
        events.push(`${name}:end`);
        return name;
      });
    expect(await Promise.all([section('a'), section('b'), section('c')])).toEqual(['a', 'b', 'c']);
    expect(events).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    expect(await exists(path)).toBe(false);
  });

  test('a failing section releases the lock and the next one runs', async () => {
    const lock = new StoreLock({ path });
    await expect(lock.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await lock.run(() => Promise.resolve(42))).toBe(42);
    expect(await exists(path)).toBe(false);
  });

  test('two lock objects on one file (two processes): the second waits for the first', async () => {
    const a = new StoreLock({ path });
    const b = new StoreLock({ path });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const order: string[] = [];
    const first = a.run(async () => {
      order.push('a');
      entered();
      await gate;
      order.push('a-done');
    });
    await inside;
    const second = b.run(() => {
      order.push('b');
      return Promise.resolve();
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(order).toEqual(['a']);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['a', 'a-done', 'b']);
  });

  test('first come, first served: a waiting process goes before the holder takes the lock again', async () => {
    const a = new StoreLock({ path });
    const b = new StoreLock({ path });
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const a1 = a.run(async () => {
      order.push('a1');
      entered();
      await gate;
    });
    await inside;
    const b1 = b.run(() => Promise.resolve(void order.push('b1')));
    // Wait until b has left its waiting ticket next to the lock.
    while (!(await readdir(dir)).some((n) => n.startsWith('store.lock.wait-'))) await new Promise((r) => setImmediate(r));
    release();
    // a saves again at once, as a tight loop would.
    const a2 = a1.then(() => a.run(() => Promise.resolve(void order.push('a2'))));
    await Promise.all([a1, b1, a2]);
    expect(order).toEqual(['a1', 'b1', 'a2']);
    expect((await readdir(dir)).filter((n) => n.startsWith('store.lock'))).toEqual([]);
  });

  test('a waiting ticket left by a dead process is removed, never waited for', async () => {
    await writeFile(`${path}.wait-deadbeef`, JSON.stringify({ pid: 999_999_999, host: hostname(), token: 'deadbeef', at: Date.now() - 5 }));
    expect(await new StoreLock({ path, isAlive: (pid) => pid === process.pid }).run(() => Promise.resolve('ran'))).toBe('ran');
    expect(await readdir(dir)).toEqual([]);
  });

  test('a lock left by a dead process (same host) is broken at once', async () => {
    await writeFile(path, JSON.stringify({ pid: 999_999_999, host: hostname(), token: 'dead', at: Date.now() }));
    const lock = new StoreLock({ path, isAlive: () => false });
    expect(await lock.run(() => Promise.resolve('ran'))).toBe('ran');
    expect(await exists(path)).toBe(false);
  });

  test('a lock with our own pid but not held by us (pid reused after a crash) is broken', async () => {
    await writeFile(path, JSON.stringify({ pid: process.pid, host: hostname(), token: 'old-run', at: Date.now() }));
    expect(await new StoreLock({ path }).run(() => Promise.resolve('ran'))).toBe('ran');
  });

  test('a lock that is not in our format is broken', async () => {
    await writeFile(path, 'garbage');
    expect(await new StoreLock({ path }).run(() => Promise.resolve('ran'))).toBe('ran');
  });

  test('a live holder is waited for, then STORE_BUSY names it (no real time passes)', async () => {
    const t = fakeTime();
    await writeFile(path, JSON.stringify({ pid: 4242, host: hostname(), token: 'live', at: t.now() }));
    const lock = new StoreLock({ path, isAlive: () => true, timeoutMs: 5_000, staleMs: 60_000, ...t });
    const err = await lock.run(() => Promise.resolve()).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'STORE_BUSY', kind: 'local' });
    expect((err as Error).message).toMatch(/process 4242/);
    // Nothing of the other process was touched.
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ token: 'live' });
  });

  test('a lock older than staleMs is broken even if its pid looks alive (pid reuse, another host)', async () => {
    const t = fakeTime();
    await writeFile(path, JSON.stringify({ pid: 4242, host: 'other-host', token: 'old', at: t.now() - 61_000 }));
    const lock = new StoreLock({ path, isAlive: () => true, staleMs: 60_000, ...t });
    expect(await lock.run(() => Promise.resolve('ran'))).toBe('ran');
  });

  test('a lock of another host is not judged by pid: waited for until stale', async () => {
    const t = fakeTime();
    await writeFile(path, JSON.stringify({ pid: 1, host: 'other-host', token: 'remote', at: t.now() }));
    const lock = new StoreLock({ path, isAlive: () => false, staleMs: 2_000, timeoutMs: 60_000, ...t });
    const before = t.now();
    expect(await lock.run(() => Promise.resolve('ran'))).toBe('ran');
    expect(t.now() - before).toBeGreaterThanOrEqual(2_000);
  });

  test('release never removes a lock that is no longer ours', async () => {
    const lock = new StoreLock({ path });
    await lock.run(async () => {
      // Someone judged ours stale and took it over meanwhile.
      await writeFile(path, JSON.stringify({ pid: 1, host: 'x', token: 'theirs', at: Date.now() }));
    });
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ token: 'theirs' });
  });

  test('processIsAlive: this process yes, an impossible pid no', () => {
    expect(processIsAlive(process.pid)).toBe(true);
    expect(processIsAlive(2 ** 30)).toBe(false);
  });
});

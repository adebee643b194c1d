import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startDemoServer } from '../../../main/core/demo-server/server';
import type { DemoSession } from '../../../main/core/demo-server/types';
import { AppError, LocalError, UsageError } from '../../../common/errors';
import type { OfflineStore } from '../../../main/core/store/offline-store';
import { openStore, randomKeys } from '../review/support';
import type { FetchOutcome } from '../../../main/core/sync/fetch-session';
import { prefetchQueue, type FetchSessionOptions, type PrefetchOptions, type PrefetchResult } from '../../../main/core/sync/prefetch';
import { IdvClient } from '../../../main/core/yoti/client';

const SDK_ID = '0f9a7e2c-1111-4c3d-9e8f-00000000beef';
const API = 'http://127.0.0.1:1/idverify/v1';
const ids = (n: number): string[] => Array.from({ length: n }, (_, i) => `5e551011-0000-4000-8000-${String(i).padStart(12, '0')}`);

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

function outcome(sessionId: string): FetchOutcome {
  return { sessionId, state: 'COMPLETED', mediaTotal: 0, mediaSaved: 0, mediaNoContent: 0, mediaFailed: [], bytes: 1, problems: 0 };
}

/** A fake fetchSession whose calls finish when the test says so, recording what is in flight. */
function controlledFetch() {
  const pending = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  const started: string[] = [];
  const calls: FetchSessionOptions[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchSession = (opts: FetchSessionOptions): Promise<FetchOutcome> => {
    calls.push(opts);
    started.push(opts.sessionId);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return new Promise<FetchOutcome>((resolve, reject) => {
      pending.set(opts.sessionId, {
        resolve: () => {
          inFlight--;
          resolve(outcome(opts.sessionId));
        },
        reject: (e) => {
          inFlight--;
          reject(e);
        },
      });
    });
  };
  const settle = async (sessionId: string, error?: Error): Promise<void> => {
    await until(() => pending.has(sessionId));
    const p = pending.get(sessionId)!;
    pending.delete(sessionId);
    if (error === undefined) p.resolve();
    else p.reject(error);
    await flush();
  };
  return { fetchSession, settle, started, calls, get maxInFlight() { return maxInFlight; }, get inFlight() { return inFlight; } };
}

const flush = () => new Promise<void>((r) => setImmediate(r));
async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !cond(); i++) await flush();
  if (!cond()) throw new Error('condition not reached');
}

/** Options whose client and store are never touched (fetchSession is faked). */
function fakeDeps(fetchSession: PrefetchOptions['fetchSession']): PrefetchOptions {
  return {
    client: {} as IdvClient,
    store: {} as OfflineStore,
    sdkId: SDK_ID,
    apiUrl: API,
    ...(fetchSession ? { fetchSession } : {}),
  };
}

describe('prefetchQueue', () => {
  test('never has more than `concurrency` sessions in flight, and keeps that many busy', async () => {
    const f = controlledFetch();
    const queue = ids(7);
    const run = prefetchQueue(queue, { ...fakeDeps(f.fetchSession), concurrency: 3 });
    await until(() => f.started.length === 3);
    expect(f.started).toEqual(queue.slice(0, 3));
    // finishing one starts exactly one more
    await f.settle(queue[1]!);
    expect(f.started).toEqual(queue.slice(0, 4));
    for (const id of [queue[0]!, queue[2]!, queue[3]!, queue[4]!, queue[5]!, queue[6]!]) await f.settle(id);
    const results = await run;
    expect(f.maxInFlight).toBe(3);
    expect(results.map((r) => r.status)).toEqual(Array(7).fill('fetched'));
  });

  test('concurrency 1 fetches one session after the other; the default is 4', async () => {
    const serial = controlledFetch();
    const queue = ids(3);
    const run = prefetchQueue(queue, { ...fakeDeps(serial.fetchSession), concurrency: 1 });
    for (const id of queue) await serial.settle(id);
    await run;
    expect(serial.maxInFlight).toBe(1);

    const byDefault = controlledFetch();
    const many = ids(9);
    const run2 = prefetchQueue(many, fakeDeps(byDefault.fetchSession));
    await until(() => byDefault.started.length === 4);
    await flush();
    expect(byDefault.started).toHaveLength(4);
    for (const id of many) await byDefault.settle(id);
    await run2;
  });

  test('results follow the queue order whatever the completion order; duplicates are fetched once', async () => {
    const f = controlledFetch();
    const [a, b, c] = ids(3) as [string, string, string];
    const run = prefetchQueue([a, b, a, c, b], { ...fakeDeps(f.fetchSession), concurrency: 3 });
    await f.settle(c);
    await f.settle(b);
    await f.settle(a);
    const results = await run;
    expect(results.map((r) => r.sessionId)).toEqual([a, b, c]);
    expect(f.started.sort()).toEqual([a, b, c].sort());
  });

  test('a failing session does not stop the others; unexpected errors are wrapped', async () => {
    const f = controlledFetch();
    const [a, b, c] = ids(3) as [string, string, string];
    const run = prefetchQueue([a, b, c], { ...fakeDeps(f.fetchSession), concurrency: 2 });
    await f.settle(a, new LocalError('DISK_FULL', 'The disk is full'));
    await f.settle(b, new TypeError('boom'));
    await f.settle(c);
    const results = await run;
    expect(results[0]).toMatchObject({ status: 'failed', error: { code: 'DISK_FULL' } });
    expect(results[1]).toMatchObject({ status: 'failed', error: { code: 'UNEXPECTED_ERROR' } });
    const wrapped = results[1] as Extract<PrefetchResult, { status: 'failed' }>;
    expect(wrapped.error).toBeInstanceOf(AppError);
    expect(wrapped.error.cause).toBeInstanceOf(TypeError);
    expect(wrapped.error.message).toContain(b);
    expect(results[2]).toMatchObject({ status: 'fetched', outcome: { sessionId: c } });
  });

  test('after abort no further session starts; those not started are cancelled', async () => {
    const f = controlledFetch();
    const queue = ids(6);
    const abort = new AbortController();
    const run = prefetchQueue(queue, { ...fakeDeps(f.fetchSession), concurrency: 2, signal: abort.signal });
    await until(() => f.started.length === 2);
    abort.abort();
    await f.settle(queue[0]!);
    await f.settle(queue[1]!);
    const results = await run;
    expect(f.started).toEqual(queue.slice(0, 2));
    expect(results.map((r) => r.status)).toEqual(['fetched', 'fetched', 'cancelled', 'cancelled', 'cancelled', 'cancelled']);

    const none = controlledFetch();
    const aborted = AbortSignal.abort();
    expect((await prefetchQueue(queue, { ...fakeDeps(none.fetchSession), signal: aborted })).every((r) => r.status === 'cancelled')).toBe(true);
    expect(none.started).toEqual([]);
  });

  test('passes the client, store and ids through; reports progress; a throwing callback changes nothing', async () => {
    const f = controlledFetch();
    const queue = ids(2);
    const done: Array<[string, number, number]> = [];
    const progress: string[] = [];
    const deps = fakeDeps(f.fetchSession);
    const run = prefetchQueue(queue, {
      ...deps,
      concurrency: 2,
      onSessionDone: (r, n, total) => {
        done.push([r.sessionId, n, total]);
        throw new Error('callback failure');
      },
      onProgress: (p) => {
        progress.push(`${p.sessionId}:${p.done}/${p.total}`);
        throw new Error('callback failure');
      },
    });
    await until(() => f.calls.length === 2);
    expect(f.calls[0]).toMatchObject({ sessionId: queue[0], sdkId: SDK_ID, apiUrl: API });
    expect(f.calls[0]!.client).toBe(deps.client);
    expect(f.calls[0]!.store).toBe(deps.store);
    expect(() => f.calls[1]!.onProgress?.({ sessionId: queue[1]!, done: 1, total: 3 })).not.toThrow();
    await f.settle(queue[1]!);
    await f.settle(queue[0]!);
    const results = await run;
    expect(results.map((r) => r.status)).toEqual(['fetched', 'fetched']);
    expect(done).toEqual([[queue[1], 1, 2], [queue[0], 2, 2]]);
    expect(progress).toEqual([`${queue[1]}:1/3`]);
  });

  test('refuses a bad concurrency or a non-array queue; an empty queue resolves at once', async () => {
    for (const concurrency of [0, -1, 1.5, 17, Number.NaN]) {
      await expect(prefetchQueue(ids(1), { ...fakeDeps(undefined), concurrency })).rejects.toBeInstanceOf(UsageError);
    }
    await expect(prefetchQueue('abc' as unknown as string[], fakeDeps(undefined))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await prefetchQueue([], fakeDeps(undefined))).toEqual([]);
  });
});

describe('prefetchQueue with the real fetch, client and store', () => {
  test('stores every session of the queue against the demo server; a refused id fails alone', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const queue = ids(5);
    const jpeg = (n: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(n, n % 251), Buffer.from([0xff, 0xd9])]);
    const pageIds = queue.map((_, i) => `9a9e0000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const sessions: DemoSession[] = queue.map((sessionId, i) => {
      const page = pageIds[i]!;
      return {
        sessionId,
        session: {
          session_id: sessionId,
          state: 'COMPLETED',
          resources: { id_documents: [{ id: `d0c00000-0000-4000-8000-${String(i).padStart(12, '0')}`, tasks: [], pages: [{ media: { id: page, type: 'IMAGE' } }] }] },
          checks: [],
        },
        media: { [page]: { contentType: 'image/jpeg', bytes: jpeg(1000 + i) } },
      };
    });
    const server = await startDemoServer({ apps: [{ sdkId: SDK_ID, publicKey }], sessions, faults: { rules: [{ route: '*', latencyMs: 5 }] } });
    cleanups.push(() => server.close());
    const client = new IdvClient({ sdkId: SDK_ID, key: privateKey, baseUrl: server.baseUrl });
    cleanups.push(() => client.close());
    const dataDir = await mkdtemp(join(tmpdir(), 'idv-prefetch-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const store = await openStore(dataDir, randomKeys());

    const results = await prefetchQueue([...queue, '../etc'], { client, store, sdkId: SDK_ID, apiUrl: server.baseUrl, concurrency: 3 });
    expect(results.map((r) => r.status)).toEqual(['fetched', 'fetched', 'fetched', 'fetched', 'fetched', 'failed']);
    expect(results[5]).toMatchObject({ error: { code: 'INVALID_ID' } });
    for (const [i, sessionId] of queue.entries()) {
      expect((await store.sessions.loadSession(sessionId))?.meta.sessionId).toBe(sessionId);
      const media = await store.sessions.loadMedia(sessionId, pageIds[i]!);
      expect(media && 'bytes' in media ? media.bytes.equals(jpeg(1000 + i)) : false).toBe(true);
    }
  });
});

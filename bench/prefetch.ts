import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OfflineStore } from '../main/core/store/offline-store';
import { prefetchQueue } from '../main/core/sync/prefetch';
import { IdvClient } from '../main/core/yoti/client';
import { BANDWIDTH_BYTES_PER_SEC, expectFetched, faultsFor, type BenchContext } from './lib/context';
import { interleave, type Variant } from './lib/interleave';
import { machineLine, today } from './lib/report';
import { sdkClient, sdkFetchSession } from './lib/sdk';
import { startBenchServer } from './lib/server';
import { benchStore } from './lib/store';
import { fmtMB, fmtMs, fmtRatio, median, pairedRatio } from './lib/stats';

/**
 * Issue 6 part 6: prefetch a queue of 30 sessions (each the 12-item fixture) into the offline store (as the app does)
 * at 100 ms latency and 200 Mbit/s: sessions per second with prefetchQueue at concurrency 1 and 4
 * with a client at the default mediaConcurrency (12), at concurrency 4 with a client at the old
 * default (4), and the SDK used one session at a time. (Concurrency 8 was measured at 4.0–4.15/s in
 * the first runs, at the bandwidth bound; it is left out to keep the whole run under 10 minutes.)
 */
const LATENCY_MS = 100;
const QUEUE = 30;
const CONCURRENCIES = [1, 4] as const;
/** The SDK takes ~1.5 s per session here; one at a time, its rate does not change along the queue. */
const SDK_SESSIONS = 6;
const ROUNDS = 3;
const OLD_DEFAULT_MEDIA_CONCURRENCY = 4;

export async function prefetchBench(ctx: BenchContext): Promise<string> {
  const { keys } = ctx;
  const queueLength = ctx.quick ? 12 : QUEUE;
  const server = await startBenchServer(ctx.entry, {
    sdkId: keys.sdkId,
    publicKeyPem: keys.publicPem,
    sessions: queueLength,
    faults: faultsFor(LATENCY_MS),
  });
  const client = new IdvClient({ sdkId: keys.sdkId, key: keys.privateKey, baseUrl: server.baseUrl });
  const defaultClient = new IdvClient({ sdkId: keys.sdkId, key: keys.privateKey, baseUrl: server.baseUrl, mediaConcurrency: OLD_DEFAULT_MEDIA_CONCURRENCY });
  const sdk = sdkClient(keys.sdkId, keys.privatePem, server.baseUrl);
  const want = { items: server.mediaCount, bytes: server.mediaBytes };
  const queue = server.sessionIds;
  const sdkQueue = queue.slice(0, ctx.quick ? 3 : SDK_SESSIONS);
  const dirs: string[] = [];
  let store: OfflineStore | undefined;

  const freshStore = async (): Promise<void> => {
    const dir = await mkdtemp(join(tmpdir(), 'idv-bench-prefetch-'));
    dirs.push(dir);
    store = await benchStore(dir);
  };
  const dropStores = async (): Promise<void> => {
    store = undefined;
    while (dirs.length > 0) await rm(dirs.pop()!, { recursive: true, force: true });
  };
  const name = (c: number): string => `prefetchQueue, concurrency ${c}`;
  const prefetch = (c: number, by: IdvClient) => async (): Promise<void> => {
    const results = await prefetchQueue(queue, { client: by, store: store!, sdkId: keys.sdkId, apiUrl: server.baseUrl, concurrency: c });
    for (const r of results) {
      if (r.status !== 'fetched') throw new Error(`${r.sessionId}: ${r.status === 'failed' ? `${r.error.code} ${r.error.message}` : r.status}`);
      const o = r.outcome;
      if (o.mediaSaved !== want.items || o.mediaFailed.length > 0) throw new Error(`${r.sessionId}: ${o.mediaSaved} media saved`);
    }
  };
  const viaDefault = `before: prefetchQueue, concurrency 4, client with the old default mediaConcurrency (${defaultClient.mediaConcurrency})`;
  const variants: Variant[] = [
    ...CONCURRENCIES.map((c) => ({ name: name(c), before: freshStore, after: dropStores, run: prefetch(c, client) })),
    { name: viaDefault, before: freshStore, after: dropStores, run: prefetch(4, defaultClient) },
    {
      name: 'SDK, one session at a time',
      run: async () => {
        for (const id of sdkQueue) expectFetched(await sdkFetchSession(sdk, id), want, 'SDK');
      },
    },
  ];
  const sessionsOf = (v: string): number => (v.startsWith('SDK') ? sdkQueue.length : queue.length);
  let samples: Map<string, number[]>;
  let requests: number;
  let non200: number;
  try {
    // Warm the connections and the code paths once (not timed): one session each.
    await freshStore();
    for (const c of [client, defaultClient]) {
      await prefetchQueue(queue.slice(0, 1), { client: c, store: store!, sdkId: keys.sdkId, apiUrl: server.baseUrl, concurrency: 1 });
    }
    await dropStores();
    await sdkFetchSession(sdk, queue[0]!);
    await server.counters();
    const rounds = ctx.quick ? 1 : ROUNDS;
    ctx.log(`prefetch: ${queue.length} sessions, ${rounds} rounds (no warm-up round)`);
    ({ wall: samples } = await interleave(variants, {
      rounds,
      warmup: 0,
      onRound: (r, t) => ctx.log(`  round ${r}: ${[...t].map(([k, v]) => `${k} ${(sessionsOf(k) / (v / 1000)).toFixed(2)}/s`).join(', ')}`),
    }));
    const counters = await server.counters();
    requests = counters.total;
    non200 = counters.total - (counters.byStatus['200'] ?? 0);
  } finally {
    client.close();
    defaultClient.close();
    await dropStores();
    await server.close();
  }

  const rate = (v: string, ms: number): number => sessionsOf(v) / (ms / 1000);
  const perSessionBytes = server.mediaBytes + server.sessionJsonBytes;
  const boundRate = BANDWIDTH_BYTES_PER_SEC / perSessionBytes;
  const base = name(1);
  const out: string[] = [];
  out.push('### 6. Prefetch a queue of sessions');
  out.push('');
  out.push(`Run ${today()}${ctx.quick ? ' (QUICK smoke run: too few rounds to quote)' : ''} on ${machineLine()}.`);
  out.push('');
  out.push(
    `${queue.length} sessions of 12 media (${fmtMB(perSessionBytes)} each) at ${LATENCY_MS} ms latency and 200 Mbit/s, fetched with ` +
      `\`prefetchQueue\` into a fresh encrypted \`SessionStore\` (every file written atomically with fsync) by one client ` +
      `at the default mediaConcurrency (${client.mediaConcurrency}; for comparison, one at the old default, ${OLD_DEFAULT_MEDIA_CONCURRENCY}); ` +
      `the SDK fetches the first ${sdkQueue.length} sessions into memory, one after ` +
      `the other (its rate does not change along a serial queue). ${samples.get(base)!.length} interleaved rounds; ` +
      `sessions per second from the median time. The bandwidth alone allows at most ${boundRate.toFixed(2)} sessions/s.`,
  );
  out.push('');
  out.push('| variant | median time | sessions/s | rounds (sessions/s) | vs concurrency 1 | of the bandwidth bound |');
  out.push('|---|---|---|---|---|---|');
  for (const v of variants) {
    const s = samples.get(v.name)!;
    const r = rate(v.name, median(s));
    const vs = pairedRatio(s.map((ms) => rate(v.name, ms)), samples.get(base)!.map((ms) => rate(base, ms)));
    out.push(
      `| ${v.name} | ${fmtMs(median(s))} | **${r.toFixed(2)}** | ${s.map((ms) => rate(v.name, ms).toFixed(2)).join(', ')} | ` +
        `${fmtRatio(vs)} | ${Math.round((100 * r) / boundRate)} % |`,
    );
  }
  out.push('');
  out.push(`Requests answered during the rounds: ${requests}, of which not 200: ${non200}.`);
  return out.join('\n');
}

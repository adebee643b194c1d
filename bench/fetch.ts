import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionStore } from '../main/core/store/session-store';
import { fetchSessionToStore } from '../main/core/sync/fetch-session';
import { IdvClient } from '../main/core/yoti/client';
import { boundMs, expectFetched, faultsFor, ourFetchSession, type BenchContext } from './lib/context';
import { interleave, type Variant } from './lib/interleave';
import { machineLine, today } from './lib/report';
import { sdkClient, sdkFetchSession } from './lib/sdk';
import { startBenchServer } from './lib/server';
import { fmtMB, fmtMs, fmtRatio, median, p90, pairedRatio } from './lib/stats';

/**
 * Issue 6 part 1: fetch one 12-item session (≈5.9 MB) from the local Yoti-compatible server with
 * latency injected before every response and a 200 Mbit/s cap on the total bandwidth; our client
 * (default mediaConcurrency and higher) versus the official SDK used as integrators do, and versus the
 * lower bound for that latency and bandwidth.
 */
const LATENCIES = [20, 100, 300] as const;
const ROUNDS: Record<(typeof LATENCIES)[number], number> = { 20: 9, 100: 7, 300: 5 };
/** mediaConcurrency values compared; `undefined` = the client's default. */
const CONCURRENCIES = [undefined, 8, 12] as const;
const TARGET = 1.3;
/** The app's own path: fetchSessionToStore into the encrypted store (the bound leaves the disk out). */
const STORED = 'ours mc=12 into the store';

interface Row {
  latencyMs: number;
  rounds: number;
  boundMs: number;
  samples: Map<string, number[]>;
  requests: number;
  non200: number;
}

export async function fetchBench(ctx: BenchContext): Promise<string> {
  const { keys } = ctx;
  const server = await startBenchServer(ctx.entry, { sdkId: keys.sdkId, publicKeyPem: keys.publicPem, sessions: 1, faults: faultsFor(100) });
  const sessionId = server.sessionIds[0]!;
  const want = { items: server.mediaCount, bytes: server.mediaBytes };
  const clients = CONCURRENCIES.map(
    (c) => new IdvClient({ sdkId: keys.sdkId, key: keys.privateKey, baseUrl: server.baseUrl, ...(c === undefined ? {} : { mediaConcurrency: c }) }),
  );
  const defaultConcurrency = clients[0]!.mediaConcurrency;
  const mc12 = clients.find((c) => c.mediaConcurrency === 12)!;
  const name = (c: IdvClient, i: number): string => `ours mc=${c.mediaConcurrency}${CONCURRENCIES[i] === undefined ? ' (default)' : ''}`;
  const sdk = sdkClient(keys.sdkId, keys.privatePem, server.baseUrl);
  const variants: Variant[] = [
    ...clients.map((c, i) => ({
      name: name(c, i),
      run: async () => expectFetched(await ourFetchSession(c, sessionId), want, name(c, i)),
    })),
    {
      name: STORED,
      before: async () => {
        storeDir = await mkdtemp(join(tmpdir(), 'idv-bench-fetch-'));
        store = new SessionStore({ dataDir: storeDir, key: storeKey });
      },
      after: async () => {
        if (storeDir) await rm(storeDir, { recursive: true, force: true });
        storeDir = undefined;
      },
      run: async () => {
        const o = await fetchSessionToStore({ client: mc12, store: store!, sessionId, sdkId: keys.sdkId, apiUrl: server.baseUrl });
        if (o.mediaSaved !== want.items || o.bytes !== want.bytes + server.sessionJsonBytes) throw new Error(`stored ${o.mediaSaved} items, ${o.bytes} bytes`);
      },
    },
    { name: 'SDK loop', run: async () => expectFetched(await sdkFetchSession(sdk, sessionId), want, 'SDK') },
  ];
  const storeKey = randomBytes(32);
  let storeDir: string | undefined;
  let store: SessionStore | undefined;
  const rows: Row[] = [];
  try {
    for (const latencyMs of LATENCIES) {
      await server.setFaults(faultsFor(latencyMs));
      await server.counters();
      const rounds = ctx.quick ? 2 : ROUNDS[latencyMs];
      ctx.log(`fetch: ${latencyMs} ms latency, ${rounds} rounds + 1 warm-up`);
      const { wall: samples } = await interleave(variants, {
        rounds,
        warmup: 1,
        onRound: (r, t) => ctx.log(`  round ${r}: ${[...t].map(([k, v]) => `${k} ${fmtMs(v)}`).join(', ')}`),
      });
      const counters = await server.counters();
      rows.push({
        latencyMs,
        rounds,
        boundMs: boundMs(latencyMs, server.mediaBytes + server.sessionJsonBytes),
        samples,
        requests: counters.total,
        non200: counters.total - (counters.byStatus['200'] ?? 0),
      });
    }
  } finally {
    if (storeDir) await rm(storeDir, { recursive: true, force: true });
    for (const c of clients) c.close();
    await server.close();
  }
  return render(rows, variants.map((v) => v.name), { defaultConcurrency, bytes: server.mediaBytes, json: server.sessionJsonBytes, quick: ctx.quick });
}

function render(rows: Row[], names: string[], info: { defaultConcurrency: number; bytes: number; json: number; quick: boolean }): string {
  const best = names.find((n) => n === 'ours mc=12')!;
  const byDefault = names.find((n) => n.includes('(default)'))!;
  const out: string[] = [];
  out.push('### 1. Fetch one session: our client, the SDK loop, the lower bound');
  out.push('');
  out.push(`Run ${today()}${info.quick ? ' (QUICK smoke run: too few rounds to quote)' : ''} on ${machineLine()}.`);
  out.push('');
  out.push(
    `One session, 12 media items, ${fmtMB(info.bytes)} of media + ${info.json} bytes of session JSON; every response delayed by ` +
      `the latency, all bodies sharing 200 Mbit/s. Bound = 2 × latency + bytes / bandwidth. ` +
      `"${STORED}" is the app's path (fetchSessionToStore: the same fetch, then every item sealed and written ` +
      `atomically with fsync into a fresh encrypted store), outside the bound, which leaves the disk out. ` +
      `Medians (p90 in brackets) of the recorded rounds; the variants ran interleaved, order rotating each round.`,
  );
  out.push('');
  out.push(`| latency | rounds | bound | ${names.join(' | ')} |`);
  out.push(`|---|---|---|${names.map(() => '---|').join('')}`);
  for (const r of rows) {
    const cells = names.map((n) => {
      const s = r.samples.get(n)!;
      return `${fmtMs(median(s))} (${fmtMs(p90(s))})`;
    });
    out.push(`| ${r.latencyMs} ms | ${r.rounds} | ${fmtMs(r.boundMs)} | ${cells.join(' | ')} |`);
  }
  out.push('');
  out.push(`Ratios (median of the per-round ratios, p90 of the times over the bound in brackets; target for our client ≤ ${TARGET}× the bound):`);
  out.push('');
  const others = names.filter((n) => n !== best);
  out.push(`| latency | ${names.map((n) => `${n} / bound`).join(' | ')} | ${others.map((n) => `${n} / ${best}`).join(' | ')} | requests (non-200) |`);
  out.push(`|---|${names.map(() => '---|').join('')}${others.map(() => '---|').join('')}---|`);
  for (const r of rows) {
    const over = names.map((n) => {
      const s = r.samples.get(n)!;
      const x = median(s) / r.boundMs;
      const mark = n.startsWith('ours') && n !== STORED ? (x <= TARGET ? ' ✓' : ' ✗') : '';
      return `${fmtRatio(x)} (${fmtRatio(p90(s) / r.boundMs)})${mark}`;
    });
    const rel = others.map((n) => fmtRatio(pairedRatio(r.samples.get(n)!, r.samples.get(best)!)));
    out.push(`| ${r.latencyMs} ms | ${over.join(' | ')} | ${rel.join(' | ')} | ${r.requests} (${r.non200}) |`);
  }
  out.push('');
  const at100 = rows.find((r) => r.latencyMs === 100);
  if (at100) {
    const d = median(at100.samples.get(byDefault)!) / at100.boundMs;
    const b = median(at100.samples.get(best)!) / at100.boundMs;
    const s = median(at100.samples.get('SDK loop')!) / at100.boundMs;
    out.push(
      `At 100 ms: our client with mediaConcurrency 12 is ${fmtRatio(b)} the bound, with the default ` +
        `(${info.defaultConcurrency}) ${fmtRatio(d)}; the SDK loop is ${fmtRatio(s)}.`,
    );
  }
  return out.join('\n');
}

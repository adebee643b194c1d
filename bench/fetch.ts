import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OfflineStore } from '../main/core/store/offline-store';
import { listMedia } from '../common/session/media';
import { parseSession } from '../common/session/parse';
import { fetchSessionToStore, type FetchOutcome } from '../main/core/sync/fetch-session';
import { IdvClient } from '../main/core/yoti/client';
import { boundMs, expectFetched, faultsFor, ourFetchSession, type BenchContext } from './lib/context';
import { interleave, type Variant } from './lib/interleave';
import { machineLine, today } from './lib/report';
import { sdkClient, sdkFetchSession } from './lib/sdk';
import { startBenchServer } from './lib/server';
import { benchStore } from './lib/store';
import { fmtMB, fmtMs, fmtRatio, median, p90, pairedRatio } from './lib/stats';

/**
 * Issue 6 part 1: fetch one 12-item session (≈5.9 MB) from the local Yoti-compatible server with
 * latency injected before every response and a 200 Mbit/s cap on the total bandwidth; our client
 * (the old default mediaConcurrency 4, 8, and the default 12) versus the official SDK used as
 * integrators do, and versus the lower bound for that latency and bandwidth. Then the app's own path
 * into the offline store (its only way in), as it is now and as it was before finding 3 (the old code
 * path rebuilt here from the same public calls), side by side.
 */
const LATENCIES = [20, 100, 300] as const;
const ROUNDS: Record<(typeof LATENCIES)[number], number> = { 20: 9, 100: 7, 300: 5 };
const TARGET = 1.3;

const OLD_DEFAULT = 'ours mc=4 (old default)';
const MC8 = 'ours mc=8';
const BEST = 'ours mc=12 (default)';
const SDK = 'SDK loop';
/** The store paths; all use the mc=12 client. */
const OFFLINE_BEFORE = 'OfflineStore, before: download all, then commitFetch';
const OFFLINE_AFTER = 'OfflineStore, now: fetchSessionToStore (stage as each arrives, then commit)';
const STORE_VARIANTS = [OFFLINE_BEFORE, OFFLINE_AFTER] as const;

interface Row {
  latencyMs: number;
  rounds: number;
  boundMs: number;
  samples: Map<string, number[]>;
  requests: number;
  non200: number;
}

interface Target {
  client: IdvClient;
  sessionId: string;
  sdkId: string;
  apiUrl: string;
  now: () => Date;
}

const fetchableIds = (body: Buffer): string[] =>
  [...new Set(listMedia(parseSession(body).session).flatMap((m) => (m.mediaId && m.fetchable ? [m.mediaId] : [])))];

/** fetch-session.ts over the offline store before finding 3: inspect, every download, then each item sealed and staged in turn, then one commit. */
async function offlineBefore(t: Target, store: OfflineStore): Promise<number> {
  await store.inspect(t.sessionId);
  const { body } = await t.client.getSession(t.sessionId);
  const results = await t.client.fetchAllMedia(t.sessionId, fetchableIds(body));
  const fetchedAt = t.now().toISOString();
  const media = [];
  for (const [mediaId, r] of results) {
    if (r.status !== 'ok') throw new Error(`media ${mediaId}: ${r.status}`);
    media.push({ mediaId, status: 'ok' as const, staged: await store.sessions.stageMedia(t.sessionId, mediaId, r.content.bytes, { mimeType: r.content.mimeType, apiUrl: t.apiUrl, fetchedAt }) });
  }
  await store.commitFetch({ sessionId: t.sessionId, sdkId: t.sdkId, apiUrl: t.apiUrl, fetchedAt, body, media, forced: false, refreshed: false });
  return media.length;
}

export async function fetchBench(ctx: BenchContext): Promise<string> {
  const { keys } = ctx;
  const server = await startBenchServer(ctx.entry, { sdkId: keys.sdkId, publicKeyPem: keys.publicPem, sessions: 1, faults: faultsFor(100) });
  const sessionId = server.sessionIds[0]!;
  const want = { items: server.mediaCount, bytes: server.mediaBytes };
  const make = (mediaConcurrency?: number): IdvClient =>
    new IdvClient({ sdkId: keys.sdkId, key: keys.privateKey, baseUrl: server.baseUrl, ...(mediaConcurrency === undefined ? {} : { mediaConcurrency }) });
  const clients: Array<[string, IdvClient]> = [
    [OLD_DEFAULT, make(4)],
    [MC8, make(8)],
    [BEST, make()],
  ];
  const best = clients[2]![1];
  if (best.mediaConcurrency !== 12) throw new Error(`the default mediaConcurrency is ${best.mediaConcurrency}, not 12: rename the variants`);
  const sdk = sdkClient(keys.sdkId, keys.privatePem, server.baseUrl);
  const target: Target = { client: best, sessionId, sdkId: keys.sdkId, apiUrl: server.baseUrl, now: () => new Date() };

  let storeDir: string | undefined;
  let offline: OfflineStore | undefined;
  // The app's only way into the store: the offline store (audited, one commit per fetch).
  const fresh = async (): Promise<void> => {
    storeDir = await mkdtemp(join(tmpdir(), 'idv-bench-fetch-'));
    offline = await benchStore(storeDir);
  };
  const drop = async (): Promise<void> => {
    offline = undefined;
    if (storeDir) await rm(storeDir, { recursive: true, force: true });
    storeDir = undefined;
  };
  const checkOutcome = (o: FetchOutcome): void => {
    if (o.mediaSaved !== want.items || o.bytes !== want.bytes + server.sessionJsonBytes) throw new Error(`stored ${o.mediaSaved} items, ${o.bytes} bytes`);
  };
  const checkSaved = (n: number): void => {
    if (n !== want.items) throw new Error(`stored ${n} items`);
  };
  const opts = () => ({ client: best, sessionId, sdkId: keys.sdkId, apiUrl: server.baseUrl });
  const variants: Variant[] = [
    ...clients.map(([name, c]) => ({ name, run: async () => expectFetched(await ourFetchSession(c, sessionId), want, name) })),
    { name: OFFLINE_BEFORE, before: fresh, after: drop, run: async () => checkSaved(await offlineBefore(target, offline!)) },
    { name: OFFLINE_AFTER, before: fresh, after: drop, run: async () => checkOutcome(await fetchSessionToStore({ ...opts(), store: offline! })) },
    { name: SDK, run: async () => expectFetched(await sdkFetchSession(sdk, sessionId), want, 'SDK') },
  ];
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
        onRound: (r, t) => ctx.log(`  round ${r}: ${[...t].map(([k, v]) => `${k.split(':')[0]} ${fmtMs(v)}`).join(', ')}`),
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
    await drop();
    for (const [, c] of clients) c.close();
    await server.close();
  }
  return render(rows, { bytes: server.mediaBytes, json: server.sessionJsonBytes, quick: ctx.quick });
}

function render(rows: Row[], info: { bytes: number; json: number; quick: boolean }): string {
  const clientNames = [OLD_DEFAULT, MC8, BEST, SDK];
  const cell = (r: Row, n: string): string => {
    const s = r.samples.get(n)!;
    return `${fmtMs(median(s))} (${fmtMs(p90(s))})`;
  };
  const paired = (r: Row, a: string, b: string): string => fmtRatio(pairedRatio(r.samples.get(a)!, r.samples.get(b)!));
  const out: string[] = [];
  out.push('### 1. Fetch one session: our client, the SDK loop, the lower bound; and into the store');
  out.push('');
  out.push(`Run ${today()}${info.quick ? ' (QUICK smoke run: too few rounds to quote)' : ''} on ${machineLine()}.`);
  out.push('');
  out.push(
    `One session, 12 media items, ${fmtMB(info.bytes)} of media + ${info.json} bytes of session JSON; every response delayed by ` +
      `the latency, all bodies sharing 200 Mbit/s. Bound = 2 × latency + bytes / bandwidth. All variants, the client alone and ` +
      `the paths into the stores, ran interleaved in the same rounds (order rotating each round, one warm-up round); medians ` +
      `(p90 in brackets) of the recorded rounds.`,
  );
  out.push('');
  out.push('**Our client into memory, and the SDK** (target ≤ ' + `${TARGET}× the bound):`);
  out.push('');
  out.push(`| latency | rounds | bound | ${clientNames.join(' | ')} | ${clientNames.map((n) => `${n} / bound`).join(' | ')} | requests (non-200) |`);
  out.push(`|---|---|---|${clientNames.map(() => '---|').join('')}${clientNames.map(() => '---|').join('')}---|`);
  for (const r of rows) {
    const over = clientNames.map((n) => {
      const x = median(r.samples.get(n)!) / r.boundMs;
      return `${fmtRatio(x)}${n === SDK ? '' : x <= TARGET ? ' ✓' : ' ✗'}`;
    });
    out.push(`| ${r.latencyMs} ms | ${r.rounds} | ${fmtMs(r.boundMs)} | ${clientNames.map((n) => cell(r, n)).join(' | ')} | ${over.join(' | ')} | ${r.requests} (${r.non200}) |`);
  }
  out.push('');
  out.push(`**Into the store** (the mc=12 client; a fresh store per run, every file fsynced; "before" is the code path as it was before finding 3):`);
  out.push('');
  out.push(`| latency | ${STORE_VARIANTS.join(' | ')} |`);
  out.push(`|---|${STORE_VARIANTS.map(() => '---|').join('')}`);
  for (const r of rows) out.push(`| ${r.latencyMs} ms | ${STORE_VARIANTS.map((n) => cell(r, n)).join(' | ')} |`);
  out.push('');
  out.push('**Ratios** (median of the per-round ratios):');
  out.push('');
  const cols: Array<[string, string, string]> = [
    ['client: old default (4) / default (12)', OLD_DEFAULT, BEST],
    ['SDK / our default', SDK, BEST],
    ['OfflineStore before / client alone', OFFLINE_BEFORE, BEST],
    ['OfflineStore now / client alone', OFFLINE_AFTER, BEST],
    ['OfflineStore now / before', OFFLINE_AFTER, OFFLINE_BEFORE],
  ];
  out.push(`| latency | ${cols.map(([label]) => label).join(' | ')} |`);
  out.push(`|---|${cols.map(() => '---|').join('')}`);
  for (const r of rows) out.push(`| ${r.latencyMs} ms | ${cols.map(([, a, b]) => paired(r, a, b)).join(' | ')} |`);
  const at100 = rows.find((r) => r.latencyMs === 100);
  if (at100) {
    out.push('');
    out.push(
      `At 100 ms: our client at the default (12) is ${fmtRatio(median(at100.samples.get(BEST)!) / at100.boundMs)} the bound, at the old ` +
        `default (4) ${fmtRatio(median(at100.samples.get(OLD_DEFAULT)!) / at100.boundMs)}; the SDK loop is ` +
        `${fmtRatio(median(at100.samples.get(SDK)!) / at100.boundMs)}. Into the offline store: ${paired(at100, OFFLINE_AFTER, BEST)} the ` +
        `client alone (before: ${paired(at100, OFFLINE_BEFORE, BEST)}).`,
    );
  }
  return out.join('\n');
}

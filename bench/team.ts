import { randomBytes } from 'node:crypto';
import { parentPort, Worker } from 'node:worker_threads';
import pg from 'pg';
import { migrate } from '../main/core/team/migrate';
import { createLoginRole } from '../main/core/team/roles';
import { TeamDb } from '../main/core/team/team-db';
import { startCluster } from '../test/team/support/cluster';
import type { BenchContext } from './lib/context';
import { machineLine, today } from './lib/report';
import { fmtMs, fmtRatio, median, quantile } from './lib/stats';

/**
 * Issue 16: claim-next latency and throughput with 20 reviewers over 10,000 sessions, on a real
 * PostgreSQL cluster of the benchmark's own (test/team/support/cluster.ts: fsync and synchronous
 * commit off, as for the tests). Side by side in the same run: one reviewer over as many sessions (a
 * fresh queue), a bare `SELECT 1` on the same connections at the same concurrency, and 20 reviewers
 * again while a supervisor's connection runs `TeamDb.verifyAudit()` over and over (in a worker thread,
 * so its hashing does not hold up the reviewers' event loop). Each run has a database of its own.
 * Nothing fails on speed: the benchmark throws only when a session is claimed twice or not at all, or
 * the audit chain does not verify.
 */
const SESSIONS = 10_000;
const QUICK_SESSIONS = 2_000;
const REVIEWERS = 20;
/** Bare round trips per connection after the claims: 20 × 200, or 1 × 4,000. */
const ROUND_TRIPS = 4_000;
const SAMPLE_EVERY_MS = 50;
const PASSWORD = randomBytes(18).toString('base64url');

interface Run {
  label: string;
  reviewers: number;
  reader: boolean;
  wallMs: number;
  /** Per claim, in the order they completed. */
  claimMs: number[];
  /** Each reviewer's last call, the one that found nothing left (it reads past every claimed session). */
  emptyMs: number[];
  perReviewer: number[];
  roundTripMs: number[];
  roundTripWallMs: number;
  /** pg_stat_activity of the reviewers' backends, sampled while they claimed: samples per category. */
  waits: Map<string, number>;
  /** Executions of the candidate search (index scans of queue_open), one per claim_next call plus one per lost race. */
  searches: number;
  auditEntries: number;
  verifyAloneMs: number;
  readerPasses: Array<{ ms: number; entries: number }>;
}

export interface AuditReaderData {
  role: 'bench-team-audit-reader';
  url: string;
}

export function isAuditReaderData(data: unknown): data is AuditReaderData {
  return typeof data === 'object' && data !== null && (data as { role?: unknown }).role === 'bench-team-audit-reader';
}

/** Worker side: verifyAudit() again and again until told to stop, then the time and size of each pass. */
export async function runAuditReader(data: AuditReaderData): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('runAuditReader must run in a worker thread');
  const client = new pg.Client({ connectionString: data.url });
  await client.connect();
  const db = new TeamDb(client);
  let stop = false;
  port.once('message', () => {
    stop = true;
  });
  port.postMessage({ type: 'ready' });
  const passes: Array<{ ms: number; entries: number }> = [];
  while (!stop) {
    const t0 = performance.now();
    const check = await db.verifyAudit();
    if (check.brokenAt !== null) throw new Error(`the audit chain broke at ${check.brokenAt}: ${check.problem ?? ''}`);
    passes.push({ ms: performance.now() - t0, entries: check.entries });
  }
  await client.end();
  port.postMessage({ type: 'done', passes });
  port.close();
}

function startAuditReader(entry: URL, url: string): Promise<{ stop(): Promise<Array<{ ms: number; entries: number }>> }> {
  const worker = new Worker(entry, { workerData: { role: 'bench-team-audit-reader', url } satisfies AuditReaderData });
  return new Promise((resolve, reject) => {
    let done: ((passes: Array<{ ms: number; entries: number }>) => void) | undefined;
    worker.once('error', reject);
    worker.on('message', (msg: { type: string; passes?: Array<{ ms: number; entries: number }> }) => {
      if (msg.type === 'ready') {
        resolve({
          stop: () =>
            new Promise((res) => {
              done = res;
              worker.postMessage('stop');
            }),
        });
      } else if (msg.type === 'done') done?.(msg.passes ?? []);
    });
  });
}

export async function teamBench(ctx: BenchContext): Promise<string> {
  const sessions = ctx.quick ? QUICK_SESSIONS : SESSIONS;
  ctx.log('team: starting a PostgreSQL cluster');
  const cluster = await startCluster();
  const admin = new pg.Client({ connectionString: cluster.adminUrl });
  try {
    await admin.connect();
    const server = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
    const reviewers = Array.from({ length: REVIEWERS }, (_, i) => `bench_reviewer_${String(i + 1).padStart(2, '0')}`);
    // Login roles are cluster-wide: made once (in the first database, which creates the group roles), used in every database.
    let rolesMade = false;
    const url = (database: string, role?: string): string => {
      const u = new URL(cluster.adminUrl);
      u.pathname = `/${database}`;
      if (role !== undefined) {
        u.username = role;
        u.password = encodeURIComponent(PASSWORD);
      }
      return u.href;
    };
    const ids = Array.from({ length: sessions }, (_, i) => `bench-${String(i + 1).padStart(5, '0')}`);

    const run = async (label: string, database: string, count: number, reader: boolean): Promise<Run> => {
      ctx.log(`team: ${label}: ${sessions} sessions`);
      await admin.query(`CREATE DATABASE ${database}`);
      const owner = new pg.Client({ connectionString: url(database) });
      const clients: pg.Client[] = [];
      try {
        await owner.connect();
        await migrate(owner);
        if (!rolesMade) {
          for (const r of reviewers) await createLoginRole(owner, r, PASSWORD, 'reviewer');
          await createLoginRole(owner, 'bench_supervisor', PASSWORD, 'supervisor');
          rolesMade = true;
        }
        const connect = async (role: string): Promise<pg.Client> => {
          const c = new pg.Client({ connectionString: url(database, role) });
          await c.connect();
          clients.push(c);
          return c;
        };
        const supervisor = new TeamDb(await connect('bench_supervisor'));
        const queued = await supervisor.addToQueue(ids);
        if (queued.added.length !== sessions) throw new Error(`${label}: ${queued.added.length} of ${sessions} sessions queued`);
        const conns = await Promise.all(reviewers.slice(0, count).map(async (r) => ({ role: r, client: await connect(r) })));
        const auditReader = reader ? await startAuditReader(ctx.entry, url(database, 'bench_supervisor')) : undefined;
        const scansBefore = await queueOpenScans(owner);
        const sampler = sampleWaits(admin, database);

        const claims: Array<{ id: string; ms: number }> = [];
        const perReviewer = conns.map(() => 0);
        const emptyMs: number[] = [];
        const start = performance.now();
        await Promise.all(
          conns.map(async ({ client }, r) => {
            const db = new TeamDb(client);
            for (;;) {
              const t0 = performance.now();
              const id = await db.claimNext();
              const ms = performance.now() - t0;
              if (id === null) {
                emptyMs.push(ms);
                return;
              }
              claims.push({ id, ms });
              perReviewer[r] = (perReviewer[r] ?? 0) + 1;
              if (claims.length % 1000 === 0) ctx.log(`team: ${label}: ${claims.length} claimed`);
            }
          }),
        );
        const wallMs = performance.now() - start;
        const waits = await sampler.stop();
        const readerPasses = auditReader ? await auditReader.stop() : [];

        // Correctness: every queued session claimed exactly once, and the claims table says the same.
        const seen = new Set<string>();
        const twice = claims.filter((c) => (seen.has(c.id) ? true : (seen.add(c.id), false)));
        const queuedSet = new Set(ids);
        const stray = [...seen].filter((id) => !queuedSet.has(id));
        if (twice.length > 0 || stray.length > 0 || seen.size !== sessions) {
          throw new Error(
            `${label}: ${seen.size} distinct sessions claimed of ${sessions}; ${twice.length} claimed twice (${twice.slice(0, 3).map((c) => c.id).join(', ')}); ${stray.length} not queued`,
          );
        }
        const table = (await owner.query<{ n: number; distinct: number }>('SELECT count(*)::int AS n, count(DISTINCT session_id)::int AS distinct FROM idv_team.claims')).rows[0];
        if (table?.n !== sessions || table.distinct !== sessions) throw new Error(`${label}: the claims table holds ${table?.n ?? 0} rows (${table?.distinct ?? 0} sessions), expected ${sessions}`);

        // A bare round trip on the same connections at the same concurrency.
        const roundTripMs: number[] = [];
        const rtStart = performance.now();
        await Promise.all(
          conns.map(async ({ client }) => {
            for (let i = 0; i < ROUND_TRIPS / count; i++) {
              const t0 = performance.now();
              await client.query('SELECT 1');
              roundTripMs.push(performance.now() - t0);
            }
          }),
        );
        const roundTripWallMs = performance.now() - rtStart;

        // The chain after the run, verified alone (untimed for the ratios): one entry per queued session and per claim.
        const v0 = performance.now();
        const check = await supervisor.verifyAudit();
        const verifyAloneMs = performance.now() - v0;
        if (check.brokenAt !== null || check.entries !== 2 * sessions) {
          throw new Error(`${label}: audit chain ${check.brokenAt === null ? 'intact' : `broken at ${check.brokenAt} (${check.problem ?? ''})`}, ${check.entries} entries, expected ${2 * sessions}`);
        }
        // Every candidate search, lost races included, is one scan of queue_open; the reviewers' backends report
        // their counts when they end.
        const ended = conns.map((c) => c.client);
        await Promise.all(ended.map((c) => c.end()));
        for (const c of ended) clients.splice(clients.indexOf(c), 1);
        let searches = -1;
        for (let i = 0; i < 50; i++) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          const now = (await queueOpenScans(owner)) - scansBefore;
          if (now === searches && now >= sessions + count) break;
          searches = now;
        }
        const run: Run = {
          label,
          reviewers: count,
          reader,
          wallMs,
          claimMs: claims.map((c) => c.ms),
          emptyMs,
          perReviewer,
          roundTripMs,
          roundTripWallMs,
          waits,
          searches,
          auditEntries: check.entries,
          verifyAloneMs,
          readerPasses,
        };
        ctx.log(`team: ${label}: ${fmtRate(sessions / (wallMs / 1000))} claims/s, p50 ${fmtFine(median(run.claimMs))}, SELECT 1 p50 ${fmtFine(median(roundTripMs))}`);
        return run;
      } finally {
        await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
        await owner.end().catch(() => undefined);
      }
    };

    const twenty = await run(`${REVIEWERS} reviewers`, 'bench_team_20', REVIEWERS, false);
    const one = await run('1 reviewer', 'bench_team_1', 1, false);
    const withReader = await run(`${REVIEWERS} reviewers, verifyAudit() looping`, 'bench_team_20_audit', REVIEWERS, true);
    return report(ctx, sessions, server, [one, twenty, withReader]);
  } finally {
    await admin.end().catch(() => undefined);
    await cluster.stop();
  }
}

async function queueOpenScans(client: pg.Client): Promise<number> {
  const r = await client.query<{ n: string }>("SELECT idx_scan AS n FROM pg_stat_user_indexes WHERE schemaname = 'idv_team' AND indexrelname = 'queue_open'");
  return Number(r.rows[0]?.n ?? 0);
}

/** Samples pg_stat_activity for the reviewers' backends of one database until stopped: where their time goes. */
function sampleWaits(admin: pg.Client, database: string): { stop(): Promise<Map<string, number>> } {
  const counts = new Map<string, number>();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const r = await admin.query<{ state: string | null; wait_event_type: string | null; wait_event: string | null }>(
        "SELECT state, wait_event_type, wait_event FROM pg_stat_activity WHERE datname = $1 AND usename::text LIKE 'bench_reviewer%'",
        [database],
      );
      for (const row of r.rows) {
        const key = category(row);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop;
      return counts;
    },
  };
}

function category(row: { state: string | null; wait_event_type: string | null; wait_event: string | null }): string {
  if (row.state === 'idle') return 'idle: between calls (the client, Node and the socket)';
  if (row.state !== 'active') return `${row.state ?? 'unknown'}`;
  if (row.wait_event_type === null) return 'running: on a CPU or waiting for one';
  if (row.wait_event_type === 'Lock' && row.wait_event === 'advisory') return 'waiting for the advisory lock (the audit chain)';
  if (row.wait_event_type === 'Lock') return `waiting for a lock: ${row.wait_event ?? '?'}`;
  return `waiting: ${row.wait_event_type} ${row.wait_event ?? ''}`.trim();
}

/** fmtMs, with two decimals below a millisecond. */
const fmtFine = (ms: number): string => (ms < 1 ? `${ms.toFixed(2)} ms` : fmtMs(ms));
const fmtRate = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const pct = (x: number): string => `${(100 * x).toFixed(0)} %`;

function report(ctx: BenchContext, sessions: number, server: string, runs: [Run, Run, Run]): string {
  const [one, twenty, withReader] = runs;
  const rate = (r: Run): number => sessions / (r.wallMs / 1000);
  const rtRate = (r: Run): number => r.roundTripMs.length / (r.roundTripWallMs / 1000);
  const tenth = Math.max(1, Math.floor(sessions / 10));
  const row = (r: Run): string => {
    const q = (p: number): string => fmtFine(quantile(r.claimMs, p));
    return (
      `| ${r.label} | ${(r.wallMs / 1000).toFixed(1)} s | ${fmtRate(rate(r))} | ${q(0.5)} | ${q(0.95)} | ${q(0.99)} | ` +
      `${fmtFine(median(r.roundTripMs))} (${fmtRate(rtRate(r))}/s) | ${fmtRatio(median(r.claimMs) / median(r.roundTripMs))} | ` +
      `${fmtFine(median(r.claimMs.slice(0, tenth)))} → ${fmtFine(median(r.claimMs.slice(-tenth)))} | ${fmtFine(median(r.emptyMs))} | ` +
      `${((r.searches - r.reviewers) / sessions).toFixed(2)} |`
    );
  };
  const total = (r: Run): number => [...r.waits.values()].reduce((a, b) => a + b, 0);
  const fraction = (r: Run, key: string): number => (total(r) === 0 ? 0 : (r.waits.get(key) ?? 0) / total(r));
  // States under 1 % of the samples in every run are shown together.
  const all = [...new Set(runs.flatMap((r) => [...r.waits.keys()]))].sort();
  const shown = all.filter((c) => runs.some((r) => fraction(r, c) >= 0.01));
  const rest = all.filter((c) => !shown.includes(c));
  const share = (r: Run, keys: string[]): string => (total(r) === 0 ? '—' : pct(keys.reduce((a, k) => a + fraction(r, k), 0)));
  const passes = withReader.readerPasses;
  const readerLine =
    passes.length === 0
      ? 'The reader finished no pass while the reviewers claimed.'
      : `The reader completed ${passes.length} passes while the reviewers claimed (${passes[0]?.entries ?? 0} to ${passes.at(-1)?.entries ?? 0} entries each, ` +
        `median ${fmtFine(median(passes.map((p) => p.ms)))} a pass); alone after the run, one pass over the ${withReader.auditEntries} entries took ${fmtFine(withReader.verifyAloneMs)}.`;
  return [
    `### 9. Team mode: claim-next with ${REVIEWERS} reviewers over ${sessions.toLocaleString('en')} sessions`,
    '',
    `${today()}. ${machineLine()}. PostgreSQL ${server}.`,
    '',
    `A temporary PostgreSQL cluster (\`test/team/support/cluster.ts\`: loopback TCP, scram-sha-256, fsync and synchronous commit off); ` +
      `each run in a fresh database, migrated, with ${sessions.toLocaleString('en')} sessions queued by a supervisor (\`bench-00001\`…). ` +
      `Each reviewer is a login role of its own on its own connection, calling \`TeamDb.claimNext()\` (\`idv_team.claim_next\`: ` +
      '`SELECT … FOR UPDATE SKIP LOCKED`, then the claim, whose trigger appends a hash-chained audit row under one advisory lock) ' +
      'until it returns null; every call timed with `performance.now()` (the final null not counted). Claims/s = sessions ÷ wall time ' +
      'of the whole run. *SELECT 1*: right after the claims, the same connections at the same concurrency run ' +
      `${ROUND_TRIPS.toLocaleString('en')} bare \`SELECT 1\` between them; the multiple is claim p50 ÷ SELECT 1 p50. ` +
      '*First → last tenth*: claim p50 of the first and of the last tenth of the claims; *last call*: each reviewer\'s final call, ' +
      'the one that finds every session claimed. *Searches per claim*: executions of the candidate search (index scans of ' +
      '`queue_open` in `pg_stat_user_indexes`), less the final calls, per claim: above 1.00, a claim lost a race to a reviewer who ' +
      'committed the same session after its snapshot and searched again. The third run repeats the 20 reviewers while ' +
      "the supervisor's connection runs `TeamDb.verifyAudit()` (read the whole audit table, recompute the chain) over and over, in a worker " +
      'thread of the benchmark process. All three share the 2 cores with the server and the benchmark.',
    '',
    '| reviewers at once | wall | claims/s | claim p50 | p95 | p99 | SELECT 1 p50 (rate) | claim p50 ÷ SELECT 1 p50 | claim p50, first → last tenth | last call (none left), median | searches per claim |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    row(one),
    row(twenty),
    row(withReader),
    '',
    `**Throughput, ${REVIEWERS} reviewers ÷ 1 reviewer: ${fmtRatio(rate(twenty) / rate(one))}** (${fmtRate(rate(twenty))} vs ${fmtRate(rate(one))} claims/s); ` +
      `with \`verifyAudit()\` looping on another connection ÷ without: ${fmtRatio(rate(withReader) / rate(twenty))}. ` +
      `Claims per reviewer (${REVIEWERS} at once): ${Math.min(...twenty.perReviewer)}–${Math.max(...twenty.perReviewer)}.`,
    '',
    `**Correct in every run**: ${sessions.toLocaleString('en')} distinct sessions claimed, none twice, the claims table holding as many; ` +
      `the audit chain verified intact afterwards (${twenty.auditEntries.toLocaleString('en')} entries: one per queued session, one per claim). ` +
      readerLine,
    '',
    `**Where the reviewers' backends were** (\`pg_stat_activity\` sampled every ${SAMPLE_EVERY_MS} ms during the claims; share of samples):`,
    '',
    `| state | ${runs.map((r) => r.label).join(' | ')} |`,
    `|---|${runs.map(() => '---').join('|')}|`,
    ...shown.map((c) => `| ${c} | ${runs.map((r) => share(r, [c])).join(' | ')} |`),
    ...(rest.length > 0 ? [`| other (each under 1 %: ${rest.map((c) => c.replace(/^waiting: /, '')).join(', ')}) | ${runs.map((r) => share(r, rest)).join(' | ')} |`] : []),
    ...(ctx.quick ? ['', '(QUICK smoke run: figures not for quoting.)'] : []),
  ].join('\n');
}

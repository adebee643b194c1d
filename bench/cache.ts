import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open as openSealed, SEAL_OVERHEAD } from '../main/core/crypto/aead';
import { mediaAad, SessionStore, sessionAad } from '../main/core/store/session-store';
import type { DemoMedia } from '../main/core/demo-server/types';
import type { BenchContext } from './lib/context';
import { benchSession, buildTemplate } from './lib/fixture';
import { interleave, type Samples, type Variant } from './lib/interleave';
import { machineLine, today } from './lib/report';
import { fmtMB, fmtMs, fmtRatio, median, p90, pairedRatio } from './lib/stats';

/**
 * Issue 6 part 2: open a cached session (read, verify and decrypt the session JSON and all 12 media
 * items through SessionStore) versus reading the same plaintext bytes from disk. The plaintext copies
 * exist only in a temporary directory for the duration of the benchmark.
 */
const ROUNDS = 60;
const COLD_ROUNDS = 30;
const TARGET = 1.5;

export async function cacheBench(ctx: BenchContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'idv-bench-cache-'));
  try {
    const key = randomBytes(32);
    const store = new SessionStore({ dataDir: dir, key });
    const session = benchSession(0, buildTemplate());
    const sid = session.sessionId;
    const body = Buffer.from(JSON.stringify(session.session), 'utf8');
    const media = [...(session.media as ReadonlyMap<string, DemoMedia>)].map(([mediaId, m]) => {
      if (!('bytes' in m)) throw new Error('fixture media must be bytes');
      return { mediaId, bytes: Buffer.from(m.bytes), mimeType: m.contentType };
    });
    const meta = { apiUrl: 'http://127.0.0.1/idverify/v1', fetchedAt: '2026-01-05T10:00:00.000Z', sdkId: ctx.keys.sdkId };
    await store.saveSession(sid, body, meta);
    for (const m of media) await store.saveMedia(sid, m.mediaId, m.bytes, { ...meta, mimeType: m.mimeType });
    const plainDir = join(dir, 'plain');
    await mkdir(plainDir);
    await writeFileSynced(join(plainDir, 'session.json'), body);
    for (const m of media) await writeFileSynced(join(plainDir, `${m.mediaId}.bin`), m.bytes);
    const totalBytes = body.length + media.reduce((n, m) => n + m.bytes.length, 0);

    const plainPaths = [join(plainDir, 'session.json'), ...media.map((m) => join(plainDir, `${m.mediaId}.bin`))];
    const sealedPaths = [join(dir, 'cache', sid, 'session.idvc'), ...media.map((m) => join(dir, 'cache', sid, `media-${m.mediaId}.idvc`))];
    const aads = [sessionAad(sid), ...media.map((m) => mediaAad(sid, m.mediaId))];
    const check = (n: number): void => {
      if (n !== totalBytes) throw new Error(`read ${n} bytes, expected ${totalBytes}`);
    };

    const openStoreSequential = async (): Promise<void> => {
      let n = (await store.loadSession(sid))!.body.length;
      for (const m of media) {
        const got = await store.loadMedia(sid, m.mediaId);
        n += got && 'bytes' in got ? got.bytes.length : 0;
      }
      check(n);
    };
    const readPlainSequential = async (): Promise<void> => {
      let n = 0;
      for (const p of plainPaths) n += (await readFile(p)).length;
      check(n);
    };
    const openStoreParallel = async (): Promise<void> => {
      const [s, ...items] = await Promise.all([store.loadSession(sid), ...media.map((m) => store.loadMedia(sid, m.mediaId))]);
      check(s!.body.length + items.reduce((n, got) => n + (got && 'bytes' in got ? got.bytes.length : 0), 0));
    };
    const readPlainParallel = async (): Promise<void> => {
      check((await Promise.all(plainPaths.map((p) => readFile(p)))).reduce((n, b) => n + b.length, 0));
    };

    // Two in flight: the next item's read runs in the thread pool while this one is decrypted and hashed.
    const loaders = [() => store.loadSession(sid).then((r) => r!.body.length), ...media.map((m) => () => store.loadMedia(sid, m.mediaId).then((r) => (r && 'bytes' in r ? r.bytes.length : 0)))];
    const openStoreReadAhead = async (): Promise<void> => check(await windowOfTwo(loaders));
    const readPlainReadAhead = async (): Promise<void> => check(await windowOfTwo(plainPaths.map((p) => () => readFile(p).then((b) => b.length))));

    // What-if (not the store's code): the same files and checks minus the SHA-256 re-hash of the payload,
    // as a format whose payload AAD carries the recorded hash would allow (see BENCHMARKS.md).
    const openWithoutRehash = (file: Buffer, aad: string): Buffer => {
      if (file.subarray(0, 4).toString('latin1') !== 'IDVC' || file[4] !== 1) throw new Error('not a store file');
      const metaLength = file.readUInt32BE(5);
      const meta = JSON.parse(openSealed(key, file.subarray(9, 9 + metaLength), `${aad}|meta`).toString('utf8')) as { size: number };
      const payload = openSealed(key, file.subarray(9 + metaLength), aad);
      if (payload.length !== meta.size) throw new Error('size mismatch');
      return payload;
    };
    const whatIfSequential = async (): Promise<void> => {
      let n = 0;
      for (const [i, p] of sealedPaths.entries()) n += openWithoutRehash(await readFile(p), aads[i]!).length;
      check(n);
    };
    const whatIfReadAhead = async (): Promise<void> =>
      check(await windowOfTwo(sealedPaths.map((p, i) => () => readFile(p).then((f) => openWithoutRehash(f, aads[i]!).length))));

    // The parts of the store's load path, each alone (the files as the store reads them).
    const sealedFiles = await Promise.all(sealedPaths.map((p) => readFile(p)));
    const payloadOf = (file: Buffer): Buffer => file.subarray(9 + file.readUInt32BE(5));
    const plaintexts = [body, ...media.map((m) => m.bytes)];
    const readSealed = async (): Promise<void> => {
      let n = 0;
      for (const p of sealedPaths) n += (await readFile(p)).length;
      if (n < totalBytes) throw new Error('short read');
    };
    const decryptOnly = (): Promise<void> => {
      let n = 0;
      sealedFiles.forEach((f, i) => (n += openSealed(key, payloadOf(f), aads[i]!).length));
      check(n);
      return Promise.resolve();
    };
    const sha256Only = (): Promise<void> => {
      for (const p of plaintexts) createHash('sha256').update(p).digest('hex');
      return Promise.resolve();
    };
    const copyOnly = (): Promise<void> => {
      let n = 0;
      for (const p of plaintexts) n += Buffer.concat([p.subarray(0, p.length >> 1), p.subarray(p.length >> 1)]).length;
      check(n);
      return Promise.resolve();
    };

    // Cold: the files dropped from the page cache first (untimed), so the reads go to the disk.
    const canDrop = dropFromPageCache([plainPaths[0]!]);
    const dropAll = (): Promise<void> => {
      if (!dropFromPageCache([...plainPaths, ...sealedPaths])) throw new Error('could not drop the files from the page cache');
      return Promise.resolve();
    };
    // …and read back in (untimed) after a cold run, so that the warm variants stay warm.
    const rewarm = async (): Promise<void> => {
      for (const p of [...plainPaths, ...sealedPaths]) await readFile(p);
    };
    const COLD = ['cold: store, sequential', 'cold: plaintext, sequential', 'cold: what-if no re-hash, sequential'] as const;

    const HEAD = [
      'store, sequential',
      'plaintext, sequential',
      'store, two in flight',
      'plaintext, two in flight',
      'store, all at once',
      'plaintext, all at once',
    ] as const;
    const WHAT_IF = ['what-if: no SHA-256 re-hash, sequential', 'what-if: no SHA-256 re-hash, two in flight'] as const;
    // Each group runs on its own, its variants interleaved: the two sides of a ratio run back to back.
    const groups: Array<{ rounds: number; variants: Variant[] }> = [
      {
        rounds: ROUNDS,
        variants: [
          { name: HEAD[0], run: openStoreSequential },
          { name: HEAD[1], run: readPlainSequential },
          { name: WHAT_IF[0], run: whatIfSequential },
        ],
      },
      {
        rounds: ROUNDS,
        variants: [
          { name: HEAD[2], run: openStoreReadAhead },
          { name: HEAD[3], run: readPlainReadAhead },
          { name: WHAT_IF[1], run: whatIfReadAhead },
        ],
      },
      {
        rounds: ROUNDS,
        variants: [
          { name: HEAD[4], run: openStoreParallel },
          { name: HEAD[5], run: readPlainParallel },
        ],
      },
      ...(canDrop
        ? [
            {
              rounds: COLD_ROUNDS,
              variants: [
                { name: COLD[0], before: dropAll, after: rewarm, run: openStoreSequential },
                { name: COLD[1], before: dropAll, after: rewarm, run: readPlainSequential },
                { name: COLD[2], before: dropAll, after: rewarm, run: whatIfSequential },
              ],
            },
          ]
        : []),
      {
        rounds: ROUNDS,
        variants: [
          { name: 'part: read the .idvc files', run: readSealed },
          { name: 'part: AES-256-GCM open (in memory)', run: decryptOnly },
          { name: 'part: SHA-256 of the plaintext (in memory)', run: sha256Only },
          { name: 'part: one copy of the plaintext (Buffer.concat)', run: copyOnly },
        ],
      },
    ];
    const variants = groups.flatMap((g) => g.variants);
    const samples: Samples = { wall: new Map(), cpu: new Map() };
    for (const g of groups) {
      const rounds = ctx.quick ? 5 : g.rounds;
      ctx.log(`cache: ${g.variants.map((v) => v.name).join(' | ')}: ${rounds} rounds + 3 warm-up`);
      const got = await interleave(g.variants, { rounds, warmup: 3 });
      for (const [k, v] of got.wall) samples.wall.set(k, v);
      for (const [k, v] of got.cpu) samples.cpu.set(k, v);
    }

    const wall = (n: string): number[] => samples.wall.get(n)!;
    const cpu = (n: string): number[] => samples.cpu.get(n)!;
    const out: string[] = [];
    out.push('### 2. Open a cached session: SessionStore versus plaintext reads');
    out.push('');
    out.push(`Run ${today()}${ctx.quick ? ' (QUICK smoke run: too few rounds to quote)' : ''} on ${machineLine()}.`);
    out.push('');
    out.push(
      `The session JSON and 12 media items (${fmtMB(totalBytes)}; sealed overhead ${SEAL_OVERHEAD} bytes + sealed metadata per file) ` +
        `read back through \`SessionStore.loadSession\` + \`loadMedia\` (read, check the header, decrypt and check the metadata, ` +
        `decrypt the payload, compare size and SHA-256) versus \`fs.readFile\` of plaintext copies of the same bytes in the ` +
        `same temporary directory (deleted afterwards). Warm: the files are in the page cache (just written and read ` +
        `again and again), so this is the CPU cost of opening. Cold: before each run (untimed) every file is dropped ` +
        `from the page cache (\`dd iflag=nocache count=0\`, i.e. posix_fadvise DONTNEED), so the reads go to the disk. ` +
        `Each group of rows below (sequential, two in flight, all at once, cold, parts) ran on its own, its variants ` +
        `interleaved: ${ctx.quick ? 5 : ROUNDS} rounds (cold ${ctx.quick ? 5 : COLD_ROUNDS}) + 3 warm-up. Wall time is what a reviewer waits; CPU time (user + system, all ` +
        `threads of the process) is the work done, and moves less when other work on the machine preempts the benchmark.`,
    );
    out.push('');
    out.push('| variant | wall median | wall p90 | CPU median |');
    out.push('|---|---|---|---|');
    for (const v of variants) out.push(`| ${v.name} | ${fmtMs(median(wall(v.name)))} | ${fmtMs(p90(wall(v.name)))} | ${fmtMs(median(cpu(v.name)))} |`);
    out.push('');
    const mark = (r: number): string => `${fmtRatio(r)} ${r <= TARGET ? '✓' : '✗'}`;
    const rows: Array<[string, string, string]> = [
      ['one item after the other: store', HEAD[0], HEAD[1]],
      ['one item after the other: what-if without the re-hash', WHAT_IF[0], HEAD[1]],
      ['two in flight: store', HEAD[2], HEAD[3]],
      ['two in flight: what-if without the re-hash', WHAT_IF[1], HEAD[3]],
      ['all 13 at once: store', HEAD[4], HEAD[5]],
      ...(canDrop
        ? ([
            ['cold, one item after the other: store', COLD[0], COLD[1]],
            ['cold, one item after the other: what-if without the re-hash', COLD[2], COLD[1]],
          ] as Array<[string, string, string]>)
        : []),
    ];
    out.push(`Ratio to the plaintext read done the same way (median of the per-round ratios; target ≤ ${TARGET}×):`);
    out.push('');
    out.push('| comparison | wall | CPU |');
    out.push('|---|---|---|');
    for (const [label, a, b] of rows) out.push(`| ${label} | **${mark(pairedRatio(wall(a), wall(b)))}** | ${mark(pairedRatio(cpu(a), cpu(b)))} |`);
    if (!canDrop) out.push('| cold | not measured: `dd iflag=nocache` could not drop the files from the page cache | |');
    out.push('');
    const parts = ['part: read the .idvc files', 'part: AES-256-GCM open (in memory)', 'part: SHA-256 of the plaintext (in memory)', 'part: one copy of the plaintext (Buffer.concat)'];
    const partsSum = parts.map((n) => median(cpu(n))).reduce((a, b) => a + b, 0);
    out.push(
      `The parts (read + decrypt + hash + copy) add up to ${fmtMs(partsSum)} of CPU against ${fmtMs(median(cpu(HEAD[0])))} for ` +
        `the store's sequential open, and ${fmtMs(median(cpu(HEAD[1])))} for the plaintext read.`,
    );
    return out.join('\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs the jobs in order with at most two in flight; resolves the sum of their results. */
async function windowOfTwo(jobs: ReadonlyArray<() => Promise<number>>): Promise<number> {
  let total = 0;
  let ahead = jobs[0]?.();
  for (let i = 0; i < jobs.length; i++) {
    const current = ahead!;
    ahead = jobs[i + 1]?.();
    total += await current;
  }
  return total;
}

/**
 * Drops the files from the page cache with posix_fadvise(DONTNEED) through GNU dd (one shell for all
 * files). Only clean pages can be dropped: the store fsyncs what it writes, and the plaintext copies
 * are fsynced when written. Best effort; false when dd cannot do it.
 */
function dropFromPageCache(paths: readonly string[]): boolean {
  const script = 'for f in "$@"; do dd if="$f" iflag=nocache count=0 status=none || exit 1; done';
  return spawnSync('sh', ['-c', script, 'sh', ...paths]).status === 0;
}

async function writeFileSynced(path: string, data: Buffer): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open as openSealed, seal, SEAL_OVERHEAD } from '../main/core/crypto/aead';
import { CONTAINER_VERSION, mediaAad, SessionStore, sessionAad } from '../main/core/store/session-store';
import type { DemoMedia } from '../main/core/demo-server/types';
import type { BenchContext } from './lib/context';
import { benchSession, buildTemplate } from './lib/fixture';
import { interleave, type Samples, type Variant } from './lib/interleave';
import { machineLine, today } from './lib/report';
import { fmtMB, fmtMs, fmtRatio, median, p90, pairedRatio } from './lib/stats';

/**
 * Issue 6 part 2: open a cached session (read, verify and decrypt the session JSON and all 12 media
 * items through SessionStore) versus reading the same plaintext bytes from disk. The store writes
 * container version 2 (the payload bound to its metadata, no re-hash on load); the same items as
 * version-1 files (what earlier releases wrote, re-hashed on load) are the "before", read by the same
 * SessionStore. The plaintext copies exist only in a temporary directory for the duration of the
 * benchmark.
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
    // The same items as version-1 files, as earlier releases wrote them, in a second data folder.
    const v1Dir = join(dir, 'v1');
    const v1Store = new SessionStore({ dataDir: v1Dir, key });
    await mkdir(join(v1Dir, 'evidence', sid), { recursive: true });
    const v1Paths = [join(v1Dir, 'evidence', sid, 'session.idvc'), ...media.map((m) => join(v1Dir, 'evidence', sid, `media-${m.mediaId}.idvc`))];
    await writeFileSynced(
      v1Paths[0]!,
      v1File(key, { v: 1, kind: 'session', sessionId: sid, ...meta, size: body.length, sha256: sha256(body) }, body, sessionAad(sid)),
    );
    for (const [i, m] of media.entries()) {
      const stored = { v: 1, kind: 'media', sessionId: sid, mediaId: m.mediaId, noContent: false, mimeType: m.mimeType, size: m.bytes.length, sha256: sha256(m.bytes), apiUrl: meta.apiUrl, fetchedAt: meta.fetchedAt };
      await writeFileSynced(v1Paths[i + 1]!, v1File(key, stored, m.bytes, mediaAad(sid, m.mediaId)));
    }
    const plainDir = join(dir, 'plain');
    await mkdir(plainDir);
    await writeFileSynced(join(plainDir, 'session.json'), body);
    for (const m of media) await writeFileSynced(join(plainDir, `${m.mediaId}.bin`), m.bytes);
    const totalBytes = body.length + media.reduce((n, m) => n + m.bytes.length, 0);

    const plainPaths = [join(plainDir, 'session.json'), ...media.map((m) => join(plainDir, `${m.mediaId}.bin`))];
    const sealedPaths = [join(dir, 'evidence', sid, 'session.idvc'), ...media.map((m) => join(dir, 'evidence', sid, `media-${m.mediaId}.idvc`))];
    const aads = [sessionAad(sid), ...media.map((m) => mediaAad(sid, m.mediaId))];
    const check = (n: number): void => {
      if (n !== totalBytes) throw new Error(`read ${n} bytes, expected ${totalBytes}`);
    };
    const version = async (path: string): Promise<number> => (await readFile(path))[4] ?? 0;
    if ((await version(sealedPaths[1]!)) !== CONTAINER_VERSION || (await version(v1Paths[1]!)) !== 1) throw new Error('unexpected container versions');

    const mediaLength = (got: Awaited<ReturnType<SessionStore['loadMedia']>>): number => (got && 'bytes' in got ? got.bytes.length : 0);
    const openSequential = (s: SessionStore) => async (): Promise<void> => {
      let n = (await s.loadSession(sid))!.body.length;
      for (const m of media) n += mediaLength(await s.loadMedia(sid, m.mediaId));
      check(n);
    };
    const openParallel = (s: SessionStore) => async (): Promise<void> => {
      const [got, ...items] = await Promise.all([s.loadSession(sid), ...media.map((m) => s.loadMedia(sid, m.mediaId))]);
      check(got!.body.length + items.reduce((n, item) => n + mediaLength(item), 0));
    };
    // Two in flight: the next item's read runs in the thread pool while this one is decrypted.
    const openReadAhead = (s: SessionStore) => async (): Promise<void> =>
      check(await windowOfTwo([() => s.loadSession(sid).then((r) => r!.body.length), ...media.map((m) => () => s.loadMedia(sid, m.mediaId).then(mediaLength))]));
    const readPlainSequential = async (): Promise<void> => {
      let n = 0;
      for (const p of plainPaths) n += (await readFile(p)).length;
      check(n);
    };
    const readPlainParallel = async (): Promise<void> => {
      check((await Promise.all(plainPaths.map((p) => readFile(p)))).reduce((n, b) => n + b.length, 0));
    };
    const readPlainReadAhead = async (): Promise<void> => check(await windowOfTwo(plainPaths.map((p) => () => readFile(p).then((b) => b.length))));

    // The parts of the store's load path, each alone (the files as the store reads them).
    const v1Files = await Promise.all(v1Paths.map((p) => readFile(p)));
    const payloadOf = (file: Buffer): Buffer => file.subarray(9 + file.readUInt32BE(5));
    const plaintexts = [body, ...media.map((m) => m.bytes)];
    const readSealed = async (): Promise<void> => {
      let n = 0;
      for (const p of sealedPaths) n += (await readFile(p)).length;
      if (n < totalBytes) throw new Error('short read');
    };
    // Version-1 payloads are sealed under the item's AAD alone, so they can be opened without the metadata.
    const decryptOnly = (): Promise<void> => {
      let n = 0;
      v1Files.forEach((f, i) => (n += openSealed(key, payloadOf(f), aads[i]!).length));
      check(n);
      return Promise.resolve();
    };
    const sha256Only = (): Promise<void> => {
      for (const p of plaintexts) sha256(p);
      return Promise.resolve();
    };
    // Cold: the files dropped from the page cache first (untimed), so the reads go to the disk.
    const allPaths = [...plainPaths, ...sealedPaths, ...v1Paths];
    const canDrop = dropFromPageCache([plainPaths[0]!]);
    const dropAll = (): Promise<void> => {
      if (!dropFromPageCache(allPaths)) throw new Error('could not drop the files from the page cache');
      return Promise.resolve();
    };
    // …and read back in (untimed) after a cold run, so that the warm variants stay warm.
    const rewarm = async (): Promise<void> => {
      for (const p of allPaths) await readFile(p);
    };

    const V = {
      seq: ['store (v2), sequential', 'before: v1 files (re-hash), sequential', 'plaintext, sequential'],
      two: ['store (v2), two in flight', 'before: v1 files (re-hash), two in flight', 'plaintext, two in flight'],
      all: ['store (v2), all at once', 'before: v1 files (re-hash), all at once', 'plaintext, all at once'],
      cold: ['cold: store (v2), sequential', 'cold: before: v1 files (re-hash), sequential', 'cold: plaintext, sequential'],
    } as const;
    // Each group runs on its own, its variants interleaved: the sides of a ratio run back to back.
    const groups: Array<{ rounds: number; variants: Variant[] }> = [
      {
        rounds: ROUNDS,
        variants: [
          { name: V.seq[0], run: openSequential(store) },
          { name: V.seq[1], run: openSequential(v1Store) },
          { name: V.seq[2], run: readPlainSequential },
        ],
      },
      {
        rounds: ROUNDS,
        variants: [
          { name: V.two[0], run: openReadAhead(store) },
          { name: V.two[1], run: openReadAhead(v1Store) },
          { name: V.two[2], run: readPlainReadAhead },
        ],
      },
      {
        rounds: ROUNDS,
        variants: [
          { name: V.all[0], run: openParallel(store) },
          { name: V.all[1], run: openParallel(v1Store) },
          { name: V.all[2], run: readPlainParallel },
        ],
      },
      ...(canDrop
        ? [
            {
              rounds: COLD_ROUNDS,
              variants: [
                { name: V.cold[0], before: dropAll, after: rewarm, run: openSequential(store) },
                { name: V.cold[1], before: dropAll, after: rewarm, run: openSequential(v1Store) },
                { name: V.cold[2], before: dropAll, after: rewarm, run: readPlainSequential },
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
        `read back through \`SessionStore.loadSession\` + \`loadMedia\` versus \`fs.readFile\` of plaintext copies of the same bytes in the ` +
        `same temporary directory (deleted afterwards). *store (v2)*: the files as the store writes them now (container version 2: ` +
        `read, check the header, decrypt and check the metadata, decrypt the payload, whose AAD binds it to that metadata; no ` +
        `re-hash). *before: v1 files*: the same items written in the version-1 format of earlier releases and read by the same ` +
        `\`SessionStore\` (which then also re-hashes each payload with SHA-256 and compares it with the metadata): the cost before ` +
        `finding 2, measured side by side. Warm: the files are in the page cache (just written and read ` +
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
    const ways: Array<[string, readonly [string, string, string]]> = [
      ['one item after the other', V.seq],
      ['two in flight', V.two],
      ['all 13 at once', V.all],
      ...(canDrop ? ([['cold, one item after the other', V.cold]] as Array<[string, readonly [string, string, string]]>) : []),
    ];
    out.push(`Ratios (median of the per-round ratios; target for the store ≤ ${TARGET}× the plaintext read done the same way):`);
    out.push('');
    out.push('| read | store (v2) / plaintext, wall | CPU | before (v1) / plaintext, wall | CPU | v2 / v1, wall | CPU |');
    out.push('|---|---|---|---|---|---|---|');
    for (const [label, [v2, v1, plain]] of ways) {
      out.push(
        `| ${label} | **${mark(pairedRatio(wall(v2), wall(plain)))}** | ${mark(pairedRatio(cpu(v2), cpu(plain)))} | ` +
          `${mark(pairedRatio(wall(v1), wall(plain)))} | ${mark(pairedRatio(cpu(v1), cpu(plain)))} | ` +
          `${fmtRatio(pairedRatio(wall(v2), wall(v1)))} | ${fmtRatio(pairedRatio(cpu(v2), cpu(v1)))} |`,
      );
    }
    if (!canDrop) out.push('| cold | not measured: `dd iflag=nocache` could not drop the files from the page cache | | | | | |');
    out.push('');
    const parts = ['part: read the .idvc files', 'part: AES-256-GCM open (in memory)', 'part: SHA-256 of the plaintext (in memory)'];
    const [pRead, pAes, pSha] = parts.map((n) => median(cpu(n))) as [number, number, number];
    out.push(
      `Parts (CPU): read ${fmtMs(pRead)} + decrypt ${fmtMs(pAes)} = ${fmtMs(pRead + pAes)} for version 2, ` +
        `+ SHA-256 ${fmtMs(pSha)} = ${fmtMs(pRead + pAes + pSha)} for version 1; measured: ${fmtMs(median(cpu(V.seq[0])))} (v2) and ` +
        `${fmtMs(median(cpu(V.seq[1])))} (v1) for the sequential open, ${fmtMs(median(cpu(V.seq[2])))} for the plaintext read.`,
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

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** A container as version 1 wrote it (see session-store.ts): payload sealed under the item's AAD alone, meta `v: 1`. */
function v1File(key: Buffer, meta: object, payload: Buffer, aad: string): Buffer {
  const sealedMeta = seal(key, Buffer.from(JSON.stringify(meta), 'utf8'), `${aad}|meta`);
  const header = Buffer.alloc(9);
  header.write('IDVC', 0, 'ascii');
  header.writeUInt8(1, 4);
  header.writeUInt32BE(sealedMeta.length, 5);
  return Buffer.concat([header, sealedMeta, seal(key, payload, aad)]);
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

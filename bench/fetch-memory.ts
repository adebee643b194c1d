import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoServer } from '../main/core/demo-server/server';
import { largeSession, MIB } from '../test/support/large-session';
import { exitOf, privateKeychain } from './lib/cli-process';
import type { BenchContext } from './lib/context';
import { machineLine, today } from './lib/report';
import { fmtRatio, median } from './lib/stats';

/**
 * Issue 12 part 3: the peak resident set of the built command line fetching a session of 20 media of
 * 20 MiB (400 MiB), measured from outside by GNU time, next to the same command fetching a session of
 * one such item, in the same rounds: memory follows the downloads in flight, not the session.
 */
const TARGET_BYTES = 300 * 1000 * 1000;
const ROUNDS = 3;

export async function fetchMemoryBench(ctx: BenchContext): Promise<string> {
  const cli = join(process.cwd(), 'bin', 'idv-review.mjs');
  if (!existsSync(join(process.cwd(), 'out', 'cli', 'idv-review.mjs'))) throw new Error('the command line is not built: run npm run build first');
  if (!existsSync('/usr/bin/time')) throw new Error('GNU time is missing: run npm run setup:system first');
  const home = await mkdtemp(join(tmpdir(), 'idv-bench-memory-'));
  const keychain = await privateKeychain(join(home, 'keyrings'));
  const sessions = { large: largeSession('bench-memory-20', 20, 20 * MIB), one: largeSession('bench-memory-1', 1, 20 * MIB) };
  const server = await startDemoServer({ apps: [{ sdkId: ctx.keys.sdkId, publicKey: ctx.keys.publicPem }], sessions: [sessions.large, sessions.one] });
  try {
    const env = { ...process.env, ...keychain.env, IDV_REVIEW_HOME: join(home, 'data'), NODE_EXTRA_CA_CERTS: undefined };
    /** Peak RSS in bytes of one CLI run. */
    const peak = async (args: string[]): Promise<number> => {
      const out = join(home, 'rss');
      const r = await exitOf(spawn('/usr/bin/time', ['-f', '%M', '-o', out, process.execPath, cli, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] }));
      if (r.code !== 0) throw new Error(`idv-review ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
      return Number((await readFile(out, 'utf8')).trim().split('\n').at(-1)) * 1024;
    };
    const pem = join(home, 'key.pem');
    await writeFile(pem, ctx.keys.privatePem, { mode: 0o600 });
    await peak(['key', 'import', '--sdk-id', ctx.keys.sdkId, '--pem', pem]);
    await writeFile(join(home, 'data', 'settings.json'), JSON.stringify({ retentionDays: 30 }));
    const fetch = (sid: string): string[] => ['fetch', sid, '--force', '--api-url', server.baseUrl];
    const samples = { large: [] as number[], one: [] as number[] };
    const rounds = ctx.quick ? 1 : ROUNDS;
    for (let r = 1; r <= rounds; r++) {
      samples.one.push(await peak(fetch(sessions.one.sessionId)));
      samples.large.push(await peak(fetch(sessions.large.sessionId)));
      ctx.log(`fetch memory: round ${r}/${rounds}: one item ${mb(samples.one.at(-1)!)}, 20 items ${mb(samples.large.at(-1)!)}`);
    }
    const large = median(samples.large);
    return [
      '### 8. Peak memory of a large fetch',
      '',
      `${today()}. ${machineLine()}.`,
      '',
      'The built `idv-review fetch --force` of a session whose media are 20 JPEGs of 20 MiB (400 MiB, plus three small items), ' +
        `next to the same command for a session with one such item, alternately, ${rounds} round${rounds === 1 ? '' : 's'}; ` +
        'peak resident set size from GNU time (`%M`), from outside the process. Each item is sealed and staged as it arrives and ' +
        'its bytes let go; bodies are read within a budget of 32 MiB in flight (`mediaBytesInFlight`).',
      '',
      '| session | peak RSS (median) | ratio to one item | target | met |',
      '|---|---|---|---|---|',
      `| 1 × 20 MiB | ${mb(median(samples.one))} | 1.00× | | |`,
      `| 20 × 20 MiB | ${mb(large)} | ${fmtRatio(large / median(samples.one))} | ≤ 300 MB | ${large <= TARGET_BYTES ? '✓' : '✗'} |`,
    ].join('\n');
  } finally {
    await server.close();
    keychain.stop();
    await rm(home, { recursive: true, force: true });
  }
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 1e6)} MB`;
}

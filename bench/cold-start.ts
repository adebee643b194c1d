import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { DEMO_SESSION_IDS } from '../main/core/demo-server/demo-sessions';
import { startDemoServer } from '../main/core/demo-server/server';
import { exitOf, privateKeychain } from './lib/cli-process';
import type { BenchContext } from './lib/context';
import { interleave, type Variant } from './lib/interleave';
import { machineLine, today } from './lib/report';
import { fmtMs, fmtRatio, median, p90, pairedRatio } from './lib/stats';

/**
 * Issue 15 part 3: how long the built command line takes to answer, a fresh `node` process each time,
 * next to a bare `node -e 0` run in the same rounds. `list` and `show` read a store holding one demo
 * session (fetched beforehand from the local demo server) with the data key in a private keychain
 * (a D-Bus session and a gnome-keyring of the benchmark's own, never the person's). *Before*: the same
 * sources built as one file with every package external, as scripts/build.mjs did before each
 * command was loaded on its own (a one-file bundle inlines the commands, so every package loads at start).
 */
const ROUNDS = 30;
const TARGET_MS = 150;
const SESSION = DEMO_SESSION_IDS.approvedPassport;

export async function coldStartBench(ctx: BenchContext): Promise<string> {
  const cli = join(process.cwd(), 'bin', 'idv-review.mjs');
  if (!existsSync(join(process.cwd(), 'out', 'cli', 'idv-review.mjs'))) throw new Error('the command line is not built: run npm run build first');
  const home = await mkdtemp(join(tmpdir(), 'idv-bench-cli-'));
  const keychain = await privateKeychain(join(home, 'keyrings'));
  const server = await startDemoServer({ apps: [{ sdkId: ctx.keys.sdkId, publicKey: ctx.keys.publicPem }] });
  try {
    const env = { ...process.env, ...keychain.env, IDV_REVIEW_HOME: join(home, 'data') };
    const run = async (args: string[]): Promise<void> => {
      const r = await exitOf(spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] }));
      if (r.code !== 0) throw new Error(`node ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
    };
    const pem = join(home, 'key.pem');
    await writeFile(pem, ctx.keys.privatePem, { mode: 0o600 });
    await run([cli, 'key', 'import', '--sdk-id', ctx.keys.sdkId, '--pem', pem]);
    await run([cli, 'fetch', SESSION, '--api-url', server.baseUrl]);

    const before = await oneFileBuild();
    const measures: Array<{ name: string; args: string[]; target?: boolean }> = [
      { name: 'node -e 0', args: ['-e', '0'] },
      { name: 'idv-review --help', args: [cli, '--help'], target: true },
      { name: 'idv-review list', args: [cli, 'list'], target: true },
      { name: 'idv-review show SESSION', args: [cli, 'show', SESSION], target: true },
      { name: 'before: idv-review --help', args: [before, '--help'] },
      { name: 'before: idv-review list', args: [before, 'list'] },
    ];
    const rounds = ctx.quick ? 5 : ROUNDS;
    const variants: Variant[] = measures.map((m) => ({ name: m.name, run: () => run(m.args) }));
    const { wall } = await interleave(variants, {
      rounds,
      warmup: 2,
      onRound: (r) => {
        if (r % 10 === 0) ctx.log(`cold start: round ${r}/${rounds}`);
      },
    });
    const base = wall.get('node -e 0') ?? [];
    const rows = measures.map((m) => {
      const xs = wall.get(m.name) ?? [];
      const ratio = m.name === 'node -e 0' ? '1.00×' : fmtRatio(pairedRatio(xs, base));
      const target = m.target ? `≤ ${TARGET_MS} ms | ${median(xs) <= TARGET_MS ? '✓' : '✗'}` : ' | ';
      return `| ${m.name} | ${fmtMs(median(xs))} | ${fmtMs(p90(xs))} | ${ratio} | ${target} |`;
    });
    return [
      '### 7. Cold start of the command line',
      '',
      `${today()}. ${machineLine()}.`,
      '',
      `The built \`idv-review\` (\`bin/idv-review.mjs\`, \`out/cli\`), a new \`node\` process per run, wall time from spawn to exit, ` +
        `next to \`node -e 0\`; ${rounds} interleaved rounds after 2 warm-up rounds. \`list\` and \`show\` read a store with one demo ` +
        `session (8 media items, every file checked by \`list\`), data key in a private gnome-keyring. *Before*: the same sources ` +
        `built as one file with every package external, as the CLI was built before (every package loads at start). The ratio is ` +
        `the median of the per-round ratios to \`node -e 0\`.`,
      '',
      '| command | median | p90 | ratio to `node -e 0` | target | met |',
      '|---|---|---|---|---|---|',
      ...rows,
    ].join('\n');
  } finally {
    await server.close();
    keychain.stop();
    await rm(home, { recursive: true, force: true });
  }
}

/** The command line built as one file, as before (bin/idv-review.mjs beside it, below the repository so packages resolve). */
async function oneFileBuild(): Promise<string> {
  const dir = join(process.cwd(), 'node_modules', '.tmp', 'bench', 'cli-one-file');
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'bin'), { recursive: true });
  await build({
    entryPoints: [join(process.cwd(), 'main', 'cli', 'index.ts')],
    outfile: join(dir, 'out', 'cli', 'idv-review.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  await copyFile(join(process.cwd(), 'bin', 'idv-review.mjs'), join(dir, 'bin', 'idv-review.mjs'));
  return join(dir, 'bin', 'idv-review.mjs');
}

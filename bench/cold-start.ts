import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
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
const EXPORT_NOTE = 'Portrait, liveness frames and the data page agree; the MRZ check digits are valid. '.repeat(25).trim();
const CLI_EXPORT = 'idv-review export SESSION';
const WARM_EXPORT = 'the same export in a warm process';
const EXPORT_TARGET = 1.5;

/**
 * The built command line's main() in one long-lived process: a line of JSON argv on stdin runs the
 * command, a line back says how it ended. The warm side of the export comparison.
 */
const WARM_CLI = `
import { createInterface } from 'node:readline';
const { main } = await import(process.argv[1]);
const quiet = { write: () => true };
const io = { stdout: quiet, stderr: process.stderr, env: process.env, untilInterrupted: () => new Promise(() => {}) };
for await (const line of createInterface({ input: process.stdin })) process.stdout.write(JSON.stringify(await main(JSON.parse(line), io)) + '\\n');
`;

function warmCli(env: NodeJS.ProcessEnv): { run(argv: string[]): Promise<void>; stop(): void } {
  const bundle = pathToFileURL(join(process.cwd(), 'out', 'cli', 'idv-review.mjs')).href;
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--input-type=module', '-e', WARM_CLI, bundle], { env });
  child.stderr.on('data', () => undefined);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async run(argv) {
      child.stdin.write(`${JSON.stringify(argv)}\n`);
      const { value, done } = await lines.next();
      if (done || value !== '0') throw new Error(`the warm command line ended ${done ? 'without answering' : `with exit ${String(value)}`}`);
    },
    stop: () => void child.kill(),
  };
}

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
    await run([cli, 'decide', SESSION, '--decision', 'APPROVE', '--note', EXPORT_NOTE, '--reviewer', 'Bench Reviewer']);
    const pdf = join(home, 'review.pdf');
    const exportArgs = ['export', SESSION, '--out', pdf, '--force'];
    const warm = warmCli(env);

    const before = await oneFileBuild();
    const measures: Array<{ name: string; args: string[]; target?: boolean }> = [
      { name: 'node -e 0', args: ['-e', '0'] },
      { name: 'idv-review --help', args: [cli, '--help'], target: true },
      { name: 'idv-review list', args: [cli, 'list'], target: true },
      { name: 'idv-review show SESSION', args: [cli, 'show', SESSION], target: true },
      { name: 'before: idv-review --help', args: [before, '--help'] },
      { name: 'before: idv-review list', args: [before, 'list'] },
      { name: CLI_EXPORT, args: [cli, ...exportArgs] },
    ];
    const rounds = ctx.quick ? 5 : ROUNDS;
    const variants: Variant[] = [...measures.map((m) => ({ name: m.name, run: () => run(m.args) })), { name: WARM_EXPORT, run: () => warm.run(exportArgs) }];
    const { wall } = await interleave(variants, {
      rounds,
      warmup: 2,
      onRound: (r) => {
        if (r % 10 === 0) ctx.log(`cold start: round ${r}/${rounds}`);
      },
    });
    warm.stop();
    const base = wall.get('node -e 0') ?? [];
    const exportRatio = pairedRatio(wall.get(CLI_EXPORT) ?? [], wall.get(WARM_EXPORT) ?? []);
    const rows = measures.filter((m) => m.name !== CLI_EXPORT).map((m) => {
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
      '',
      `**Export from the command line**: \`idv-review export\` of the same session (its confirmed decision with a ` +
        `${EXPORT_NOTE.length}-character note) as a new process each time, next to the same command run by \`main()\` in a ` +
        `process that stays up (the same built code, warmed by the 2 warm-up rounds; each run still opens the store and ` +
        `reads the keychain, as a command does), in the same rounds:`,
      '',
      '| export | median | p90 | ratio to the warm process | target | met |',
      '|---|---|---|---|---|---|',
      `| ${WARM_EXPORT} | ${fmtMs(median(wall.get(WARM_EXPORT) ?? []))} | ${fmtMs(p90(wall.get(WARM_EXPORT) ?? []))} | 1.00× | | |`,
      `| ${CLI_EXPORT} | ${fmtMs(median(wall.get(CLI_EXPORT) ?? []))} | ${fmtMs(p90(wall.get(CLI_EXPORT) ?? []))} | ${fmtRatio(exportRatio)} | ≤ ${EXPORT_TARGET}× | ${exportRatio <= EXPORT_TARGET ? '✓' : '✗'} |`,
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

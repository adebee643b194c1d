import { join } from 'node:path';
import { isMainThread, workerData } from 'node:worker_threads';
import { cacheBench } from './cache';
import { fetchBench } from './fetch';
import { benchKeys, type BenchContext } from './lib/context';
import { loadAverage, machineBlock, writeReport } from './lib/report';
import { isServerWorkerData, runServerWorker } from './lib/server';
import { prefetchBench } from './prefetch';

/**
 * `npm run bench [-- NAME… ] [--quick] [--no-write]`: runs the benchmarks (all, or those named) and
 * updates their sections of BENCHMARKS.md. The bundle also serves as the demo server's worker thread.
 * Nothing fails on speed: a benchmark fails only when a transfer goes wrong.
 */
const BENCHES = {
  fetch: fetchBench,
  cache: cacheBench,
  prefetch: prefetchBench,
} as const satisfies Record<string, (ctx: BenchContext) => Promise<string>>;
type Name = keyof typeof BENCHES;

async function main(argv: string[]): Promise<void> {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const unknownFlags = [...flags].filter((f) => f !== '--quick' && f !== '--no-write' && f !== '--help');
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !(n in BENCHES));
  if (flags.has('--help') || unknown.length > 0 || unknownFlags.length > 0) {
    if (unknown.length > 0 || unknownFlags.length > 0) console.error(`unknown: ${[...unknown, ...unknownFlags].join(', ')}`);
    console.error(`usage: npm run bench [-- ${Object.keys(BENCHES).join('|')} …] [--quick] [--no-write]`);
    process.exitCode = 1;
    return;
  }
  const selected = (names.length > 0 ? names : Object.keys(BENCHES)) as Name[];
  const started = performance.now();
  const loadAtStart = loadAverage();
  const log = (line: string): void => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
  const ctx: BenchContext = { entry: new URL(import.meta.url), quick: flags.has('--quick'), log, keys: benchKeys() };
  const blocks: Array<{ name: string; markdown: string }> = [];
  for (const name of selected) {
    log(`== ${name}`);
    const markdown = await BENCHES[name](ctx);
    blocks.push({ name, markdown });
    console.log(`\n${markdown}\n`);
  }
  blocks.unshift({
    name: 'machine',
    markdown: machineBlock({ names: selected, seconds: (performance.now() - started) / 1000, loadAtStart, quick: ctx.quick }),
  });
  const path = join(process.cwd(), 'BENCHMARKS.md');
  if (flags.has('--no-write')) log('not written (--no-write)');
  else {
    await writeReport(path, blocks);
    log(`wrote the ${blocks.map((b) => b.name).join(', ')} sections of ${path}`);
  }
  log('done');
}

if (!isMainThread && isServerWorkerData(workerData)) {
  await runServerWorker(workerData);
} else {
  await main(process.argv.slice(2));
}

import { join } from 'node:path';
import { isMainThread, workerData } from 'node:worker_threads';
import { cacheBench } from './cache';
import { coldStartBench } from './cold-start';
import { fetchBench } from './fetch';
import { fetchMemoryBench } from './fetch-memory';
import { benchKeys, type BenchContext } from './lib/context';
import { loadAverage, machineBlock, writeReport } from './lib/report';
import { isServerWorkerData, runServerWorker } from './lib/server';
import { importWithSourceUrls } from './lib/source-bundle';
import { prefetchBench } from './prefetch';
import { isAuditReaderData, runAuditReader, teamBench } from './team';
import type * as Ui from './ui';

/**
 * `npm run bench [-- NAME… ] [--quick] [--no-write]`: runs the benchmarks (all, or those named) and
 * updates their sections of BENCHMARKS.md. The bundle also serves as the demo server's worker thread
 * and as the team benchmark's audit reader (bench/team.ts).
 * Nothing fails on speed: a benchmark fails only when a transfer goes wrong.
 *
 * render, pdf and memory (issue 6 parts 3–5) share one set-up (renderer build, bridge, Chromium) and
 * run together in bench/ui.ts, which is bundled on its own at run time (see lib/source-bundle.ts).
 */
const BENCHES = {
  fetch: fetchBench,
  cache: cacheBench,
  prefetch: prefetchBench,
  'cold-start': coldStartBench,
  'fetch-memory': fetchMemoryBench,
  team: teamBench,
} as const satisfies Record<string, (ctx: BenchContext) => Promise<string>>;
const UI_PARTS = ['render', 'pdf', 'memory'] as const satisfies readonly Ui.UiPart[];
/** The order of the report (and of a full run). */
const ALL = ['fetch', 'cache', 'render', 'pdf', 'memory', 'prefetch', 'cold-start', 'fetch-memory', 'team'] as const;
type Name = (typeof ALL)[number];
const isName = (n: string): n is Name => (ALL as readonly string[]).includes(n);
const isUiPart = (n: Name): n is Ui.UiPart => (UI_PARTS as readonly string[]).includes(n);

async function runUi(ctx: BenchContext, parts: readonly Ui.UiPart[]): Promise<Partial<Record<Ui.UiPart, string>>> {
  const ui = await importWithSourceUrls<typeof Ui>(join(process.cwd(), 'bench', 'ui.ts'), join(process.cwd(), 'node_modules', '.tmp', 'bench', 'ui.mjs'));
  return ui.uiBench(ctx, parts);
}

async function main(argv: string[]): Promise<void> {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const unknownFlags = [...flags].filter((f) => f !== '--quick' && f !== '--no-write' && f !== '--help');
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !isName(n));
  if (flags.has('--help') || unknown.length > 0 || unknownFlags.length > 0) {
    if (unknown.length > 0 || unknownFlags.length > 0) console.error(`unknown: ${[...unknown, ...unknownFlags].join(', ')}`);
    console.error(`usage: npm run bench [-- ${ALL.join('|')} …] [--quick] [--no-write]`);
    process.exitCode = 1;
    return;
  }
  const selected = ALL.filter((n) => names.length === 0 || names.includes(n));
  const started = performance.now();
  const loadAtStart = loadAverage();
  const log = (line: string): void => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${line}`);
  const ctx: BenchContext = { entry: new URL(import.meta.url), quick: flags.has('--quick'), log, keys: benchKeys() };
  const blocks: Array<{ name: string; markdown: string }> = [];
  const uiParts = selected.filter(isUiPart);
  for (const name of selected) {
    if (isUiPart(name)) {
      if (name !== uiParts[0]) continue; // all of them ran with the first
      log(`== ${uiParts.join(', ')}`);
      const got = await runUi(ctx, uiParts);
      for (const part of uiParts) {
        const markdown = got[part];
        if (markdown === undefined) throw new Error(`${part}: no result`);
        blocks.push({ name: part, markdown });
        console.log(`\n${markdown}\n`);
      }
      continue;
    }
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
} else if (!isMainThread && isAuditReaderData(workerData)) {
  await runAuditReader(workerData);
} else {
  await main(process.argv.slice(2));
}

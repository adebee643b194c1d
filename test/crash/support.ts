import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { StoreKeys } from '../../main/core/store/offline-store';

/**
 * Bundles child/worker.ts (zod and our code inlined; node built-ins and the keychain's native module
 * outside) into the project's node_modules/.tmp, where the worker finds @github/keytar.
 */
export async function bundleWorker(): Promise<string> {
  const dir = join(process.cwd(), 'node_modules', '.tmp', 'crash');
  await mkdir(dir, { recursive: true });
  const out = join(dir, `worker-${process.pid}.mjs`);
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./child/worker.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    // Packages load from node_modules as in the built app (keytar and sharp are native).
    packages: 'external',
    logLevel: 'silent',
  });
  await writeFile(out, result.outputFiles[0]!.contents);
  return out;
}

export function keysEnv(keys: StoreKeys): string {
  const json = JSON.stringify({
    cache: keys.cache.toString('base64'),
    review: keys.review.toString('base64'),
    audit: keys.audit.toString('base64'),
    seenBefore: keys.seenBefore.toString('base64'),
  });
  return Buffer.from(json, 'utf8').toString('base64');
}

export interface Worker {
  child: ChildProcess;
  lines: string[];
  /** Resolves when a line matching `pred` has been printed (or rejects when the child ends first). */
  until(pred: (line: string, all: string[]) => boolean): Promise<void>;
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts the worker with the given environment (only the variables it needs, plus PATH). */
export function startWorker(script: string, env: Record<string, string>): Worker {
  const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  const waiters: Array<{ pred: (l: string, all: string[]) => boolean; resolve: () => void; reject: (e: Error) => void }> = [];
  child.stdout.on('data', (d: Buffer) => {
    partial += d.toString('utf8');
    let nl = partial.indexOf('\n');
    while (nl !== -1) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.pred(line, lines)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
      nl = partial.indexOf('\n');
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`worker ended (${code ?? signal}) before the awaited line; stderr: ${stderr.slice(0, 500)}; last: ${lines.slice(-3).join(' | ')}`));
      resolve({ code, signal, stderr });
    });
  });
  return {
    child,
    lines,
    closed,
    until(pred) {
      if (lines.some((l) => pred(l, lines))) return Promise.resolve();
      return new Promise<void>((resolve, reject) => waiters.push({ pred, resolve, reject }));
    },
  };
}

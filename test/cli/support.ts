import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemoServer, type DemoServer } from '../../main/core/demo-server/server';

export const CLI = fileURLToPath(new URL('../../bin/idv-review.mjs', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'idv-review-cli-'));
}

/**
 * A data folder with a customer key imported through the CLI (into the real keychain) and a demo
 * server that knows it; `close` removes the key and stops the server.
 */
export async function homeWithKey(sdkId: string): Promise<{ home: string; server: DemoServer; cli: (args: string[]) => Promise<CliRun>; close: () => Promise<void> }> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const server = await startDemoServer({ apps: [{ sdkId, publicKey }] });
  const home = tempHome();
  const cli = (args: string[]): Promise<CliRun> => runCli(args, { home });
  const pem = join(home, 'key.pem');
  writeFileSync(pem, privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  const imported = await cli(['key', 'import', '--sdk-id', sdkId, '--pem', pem]);
  if (imported.code !== 0) throw new Error(`key import failed: ${imported.stderr}`);
  return {
    home,
    server,
    cli,
    async close() {
      await cli(['key', 'remove', '--sdk-id', sdkId]);
      await server.close();
    },
  };
}

/** Runs the built command line as a person would, in its own data folder (`prefix`: a command that runs it, e.g. GNU time). */
export function runCli(args: string[], opts: { home: string; env?: NodeJS.ProcessEnv; input?: string; nodeArgs?: string[]; prefix?: string[] }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const [command, ...rest] = [...(opts.prefix ?? []), process.execPath, ...(opts.nodeArgs ?? []), CLI, ...args];
    const child = spawn(command!, rest, {
      // This machine's own TLS overrides (a proxy's CA) are not the person's: a test that wants one sets it.
      env: { ...process.env, NODE_EXTRA_CA_CERTS: undefined, NODE_TLS_REJECT_UNAUTHORIZED: undefined, IDV_REVIEW_HOME: opts.home, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** runCli under GNU time: the peak resident set size of the command, measured from outside the process. */
export async function runCliPeakRss(args: string[], opts: { home: string; env?: NodeJS.ProcessEnv }): Promise<CliRun & { peakRssBytes: number }> {
  const out = join(mkdtempSync(join(tmpdir(), 'idv-rss-')), 'rss');
  const run = await runCli(args, { ...opts, prefix: ['/usr/bin/time', '-f', '%M', '-o', out] });
  const kib = Number(readFileSync(out, 'utf8').trim().split('\n').at(-1));
  if (!Number.isFinite(kib) || kib <= 0) throw new Error(`GNU time reported no peak RSS: ${readFileSync(out, 'utf8')}`);
  return { ...run, peakRssBytes: kib * 1024 };
}

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import { runCli, tempHome, type CliRun } from './support';

// Each command loads only what it uses (main/cli/index.ts, scripts/build.mjs): checked on the built
// command line with a loader hook that records every module it loads, never by timing.
const RECORDER = fileURLToPath(new URL('./import-recorder/register.mjs', import.meta.url));
const home = tempHome();

afterAll(() => rmSync(home, { recursive: true, force: true }));

async function loaded(args: string[]): Promise<{ run: CliRun; modules: string[] }> {
  const log = join(home, `imports-${args[0]?.replace(/\W/g, '')}.log`);
  const run = await runCli(args, { home, nodeArgs: ['--import', RECORDER], env: { IDV_IMPORT_LOG: log } });
  expect(existsSync(log), 'the loader hook recorded nothing').toBe(true);
  return { run, modules: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

const packages = (modules: string[]): Set<string> =>
  new Set(modules.flatMap((m) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(m)?.[1] ?? []));
const commandChunks = (modules: string[]): string[] =>
  modules.flatMap((m) => /\/out\/cli\/chunks\/([a-z]+)-[A-Z0-9]+\.mjs$/.exec(m)?.[1] ?? []).filter((name) => name !== 'chunk');

describe('the command line loads each command on its own', () => {
  test('--help loads no command, no package (no PDF renderer, React, keychain or zod)', async () => {
    const { run, modules } = await loaded(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^idv-review: review Yoti IDV sessions/);
    expect([...packages(modules)]).toEqual([]);
    expect(commandChunks(modules)).toEqual([]);
  });

  test('list loads the keychain and its own chunk, never the PDF renderer or React', async () => {
    const { run, modules } = await loaded(['list']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(packages(modules)).toEqual(new Set(['@github/keytar']));
    expect(commandChunks(modules).sort()).toEqual(['context', 'list']);
  });

  test('show loads neither the PDF renderer nor React', async () => {
    const { run, modules } = await loaded(['show', DEMO_SESSION_IDS.approvedPassport]);
    expect(run.stderr).toMatch(/is not in the local store/);
    expect(packages(modules)).toEqual(new Set(['@github/keytar']));
    expect(commandChunks(modules).sort()).toEqual(['context', 'show']);
  });

  test('export does load the PDF renderer (the recorder sees what a command loads)', async () => {
    const { modules } = await loaded(['export', DEMO_SESSION_IDS.approvedPassport, '--out', join(home, 'r.pdf')]);
    expect(packages(modules)).toContain('@react-pdf/renderer');
    expect(commandChunks(modules)).toContain('export');
  });
});

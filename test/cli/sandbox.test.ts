import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { CLI, runCli, tempHome } from './support';

// `idv-review sandbox` as a new reviewer meets it: start it, follow what it prints, stop it.
test('sandbox prints how to use it; following its instructions fetches and shows a demo session', async () => {
  expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through `npm test`, which provides the keychain').toBeTruthy();
  const home = tempHome();
  const child = spawn(process.execPath, [CLI, 'sandbox', '--port', '0'], { env: { ...process.env, IDV_REVIEW_HOME: home } });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sandbox did not start:\n${stdout}`)), 30_000);
      child.stdout.on('data', () => {
        if (stdout.includes('Press Ctrl-C')) { clearTimeout(timer); resolve(); }
      });
    });
    expect(stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+\/idverify\/v1/);
    const fetchLine = stdout.split('\n').find((l) => l.trim().startsWith('idv-review fetch'))!;
    const showLine = stdout.split('\n').find((l) => l.trim().startsWith('idv-review show'))!;
    const args = (line: string) => line.trim().split(/\s+/).slice(1);

    const fetched = await runCli(args(fetchLine), { home });
    // A newcomer's first fetch also says which evidence retention applies until one is chosen.
    expect(fetched.stderr).toMatch(/^The evidence retention is not chosen yet, so evidence is kept 30 days after its first fetch: .*\n$/);
    expect(fetched.code).toBe(0);
    const shown = await runCli(args(showLine), { home });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/Document authenticity/);

    // With a second key stored, leaving out --sdk-id is refused and the stored SDK IDs are named.
    const pemFile = join(home, 'second.pem');
    writeFileSync(pemFile, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const secondId = '5ec0d000-0000-4000-8000-000000000002';
    expect((await runCli(['key', 'import', '--sdk-id', secondId, '--pem', pemFile], { home })).code).toBe(0);
    const ambiguous = await runCli(args(fetchLine).filter((a, i, all) => a !== '--sdk-id' && all[i - 1] !== '--sdk-id'), { home });
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain(secondId);
    await runCli(['key', 'remove', '--sdk-id', secondId], { home });
  } finally {
    child.kill('SIGINT');
  }
  expect(await exited).toBe(0);
  expect(stdout).toContain('Demo server stopped.');
});

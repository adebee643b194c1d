import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

/**
 * npm run test:electron where Electron's binary is missing (forced with ELECTRON_OVERRIDE_DIST_PATH,
 * so this holds on machines that have it): one line, exit 1, and vitest is never started.
 */
test('npm run test:electron without the binary stops with one line', () => {
  const script = fileURLToPath(new URL('../../scripts/test-electron.mjs', import.meta.url));
  const r = spawnSync(process.execPath, [script], { env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/electron-dist' }, encoding: 'utf8' });
  expect(r.status).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^The Electron smoke test cannot run here: .+ \(the release workflow runs it\)\.\n$/);
});

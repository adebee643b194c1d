// npm run test:electron: the smoke test of the real desktop app (test/electron/, Playwright's Electron
// support). Not part of npm test: it needs Electron's binary, which comes from outside the npm
// registry; where the binary is missing it stops with one line. The release workflow runs it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const binary = electronBinary(root);
if (typeof binary !== 'string') {
  process.stderr.write(`The Electron smoke test cannot run here: ${binary.error} (the release workflow runs it).\n`);
  process.exit(1);
}
const step = (command, args) => {
  const r = spawnSync(command, args, { stdio: 'inherit', cwd: root, shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
if (!existsSync(new URL('../out/main/index.js', import.meta.url))) step('npm', ['run', '--silent', 'build']);
step('npx', ['vitest', 'run', '--config', 'vitest.electron.config.ts', ...process.argv.slice(2)]);

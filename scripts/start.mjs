// npm start: runs the desktop app where Electron can start; where its binary is missing, says so in
// one line and starts the console in the system Chromium over the same services (scripts/dev-browser.mjs,
// a window where a display exists). With neither a display nor Electron, says what to run instead.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const appEntry = new URL('../out/main/index.js', import.meta.url);
const args = process.argv.slice(2);

/** Runs a child with this terminal and ends with its exit code. */
function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', cwd: root });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const binary = existsSync(appEntry) ? electronBinary(root) : { error: 'the desktop shell has not been built (out/main/index.js is missing)' };
const display = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY) || process.platform !== 'linux';

if (typeof binary === 'string') {
  run(binary, ['.', ...args]);
} else if (display || args.includes('--headless')) {
  process.stderr.write(`The desktop app cannot start here (${binary.error}): starting the console in Chromium instead.\n`);
  run(process.execPath, [fileURLToPath(new URL('dev-browser.mjs', import.meta.url)), ...args]);
} else {
  process.stderr.write(`The desktop app cannot start here (${binary.error}), and there is no display for a Chromium window.
Run instead, on this machine:

  npm start -- --headless                     # the console in headless Chromium; prints its URL
  npx idv-review sandbox                      # local Yoti-compatible demo server with demo sessions
  npx idv-review fetch SESSION_ID --api-url URL --sdk-id ID
  npx idv-review show SESSION_ID
  npx idv-review --help
`);
  process.exit(1);
}

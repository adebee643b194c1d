// npm start: runs the desktop app where Electron can start; otherwise says why and points to the CLI.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const appEntry = new URL('../out/main/index.js', import.meta.url);

function electronBinary() {
  // Resolving the binary downloads it on first use where the network allows; run that in a child
  // so a failed download's own output does not bury the explanation below.
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
  });
  if (probe.status === 0 && probe.stdout) return probe.stdout;
  const firstError = (probe.stderr ?? '').split('\n').find((l) => l.startsWith('Error')) ?? 'the Electron binary is missing';
  return { error: firstError.replace(/^Error:\s*/, '').replace(/\.+$/, '') };
}

const binary = existsSync(appEntry) ? electronBinary() : { error: 'the desktop shell has not been built (out/main/index.js is missing)' };
if (typeof binary === 'string') {
  const child = spawn(binary, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  process.stderr.write(`The desktop app cannot start here: ${binary.error}.
Electron's binary comes from outside the npm registry, so on machines without that access use the
browser console or the command line, which run the same main-process services:

  npm run dev:browser                         # the console in Chromium, over the same services and the demo server
  npx idv-review sandbox                      # local Yoti-compatible demo server with demo sessions
  npx idv-review fetch SESSION_ID --api-url URL --sdk-id ID
  npx idv-review show SESSION_ID
  npx idv-review --help
`);
  process.exit(1);
}

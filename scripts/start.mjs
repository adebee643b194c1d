// npm start: runs the desktop app where Electron can start; otherwise says why and points to the CLI.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const appEntry = new URL('../out/main/index.js', import.meta.url);

function electronBinary() {
  try {
    // Resolves the binary path, downloading it on first use where the network allows.
    return require('electron');
  } catch (e) {
    return { error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}

const binary = existsSync(appEntry) ? electronBinary() : { error: 'the desktop shell has not been built (out/main/index.js is missing)' };
if (typeof binary === 'string') {
  const child = spawn(binary, ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  process.stderr.write(`The desktop app cannot start here: ${binary.error}.
Electron's binary comes from outside the npm registry, so on machines without that access use the
command line, which runs the same main-process services:

  npx idv-review sandbox                      # local Yoti-compatible demo server with demo sessions
  npx idv-review fetch SESSION_ID --api-url URL --sdk-id ID
  npx idv-review show SESSION_ID
  npx idv-review --help
`);
  process.exit(1);
}

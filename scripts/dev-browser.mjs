// npm run dev:browser — DEVELOPMENT ONLY, never packaged.
//
// Runs the built renderer in Debian's Chromium against the real main-process handlers (the browser
// bridge, main/browser-bridge/bridge.ts) and the local demo server, for machines where Electron cannot run.
// The Chromium window it opens is bridged: it has `window.api`. A tab opened by hand at the printed
// URL is not (there is no preload in a plain browser), so use the window this script opens.
//
//   npm run dev:browser                 # headed when a display is available, else headless
//   npm run dev:browser -- --headless   # prints the URL and a DevTools port to attach to
//
// Data lives in .idv-review-dev/ (git-ignored); keychain items get the prefix "dev-browser/".
// Without a D-Bus session (Linux) an in-memory keychain and a temporary data folder are used.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const rendererDir = join(root, 'out', 'renderer');
const headless = process.argv.includes('--headless') || (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY);

if (!existsSync(join(rendererDir, 'index.html'))) {
  console.log('The renderer is not built yet: running npm run build…');
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

// The bridge is TypeScript: bundle it (dependencies stay in node_modules). The output sits two levels
// below the repository, like main/browser-bridge/bridge.ts, so its relative paths still hold.
const outfile = join(root, 'node_modules', '.tmp', 'dev-bridge.mjs');
await build({
  entryPoints: [join(root, 'main', 'browser-bridge', 'bridge.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
const chromiumFile = join(root, 'node_modules', '.tmp', 'dev-chromium.mjs');
await build({
  entryPoints: [join(root, 'main', 'browser-bridge', 'chromium.ts')],
  outfile: chromiumFile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
const { startBridge } = await import(outfile);
const { launchChromium } = await import(chromiumFile);

const keychain = process.platform !== 'linux' || Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);
// With the keychain, a persistent dev data folder; without it, a temp folder (its data key dies with us).
const dataDir = keychain ? join(root, '.idv-review-dev') : undefined;
if (dataDir) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
else console.warn('No D-Bus session: in-memory keychain and a temporary data folder (nothing survives a restart).');

const bridge = await startBridge({
  dataDir,
  rendererDir,
  startDemo: true,
  secrets: keychain ? 'keychain' : 'memory',
  keychainPrefix: 'dev-browser/',
});
const browser = await launchChromium({ headless, handleSignals: false });
const context = await browser.newContext({ viewport: headless ? { width: 1440, height: 900 } : null });
context.on('page', (page) => {
  void bridge.attach(page);
});
const page = await context.newPage();
await page.goto(bridge.rendererUrl);

console.log(`
IDV Review Console in Chromium (development bridge, not the app)
  renderer:     ${bridge.rendererUrl}
  demo server:  ${bridge.demoServerUrl ?? '(not started)'}
  data folder:  ${bridge.dataDir}
${headless ? '  headless: screenshot with Playwright, or run with a display to get a window\n' : '  use the Chromium window that opened (a hand-opened tab has no window.api)\n'}Press Ctrl-C to stop.`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await browser.close().catch(() => undefined);
  await bridge.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
browser.on('disconnected', () => void stop());

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';

/**
 * `npm start` (scripts/start.mjs) where Electron's binary is missing: it says so in one line and runs
 * the console in Chromium over the browser bridge; with no display either, it says what to run instead.
 * ELECTRON_OVERRIDE_DIST_PATH points electron's resolver at an empty place, so the binary is missing
 * on every machine, including those that have it.
 */
const START = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));

function startEnv(display: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '/nonexistent/electron-dist' };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  // no D-Bus: an in-memory keychain and a temporary data folder, nothing left in the repository
  delete env.DBUS_SESSION_BUS_ADDRESS;
  if (display !== undefined) env.DISPLAY = display;
  return env;
}

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

function run(args: string[], env: NodeJS.ProcessEnv): { proc: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> } {
  const proc = spawn(process.execPath, [START, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  child = proc;
  let stdout = '';
  let stderr = '';
  proc.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  return { proc, out: () => stdout, err: () => stderr, exit };
}

describe('npm start without the Electron binary', () => {
  test('with no display either, it says what to run instead and exits 1', async () => {
    const r = run([], startEnv(undefined));
    expect(await r.exit).toBe(1);
    expect(r.err()).toMatch(/^The desktop app cannot start here \(.+\), and there is no display for a Chromium window\.\n/);
    expect(r.err()).toContain('npm start -- --headless');
    expect(r.err()).toContain('npx idv-review --help');
    expect(r.out()).toBe('');
  });

  test('it says so in one line and serves the console in Chromium over the browser bridge', async () => {
    const r = run(['--headless'], startEnv(undefined));
    await expect.poll(r.out, { timeout: 45_000 }).toContain('Press Ctrl-C to stop.');
    const firstLine = r.err().split('\n')[0] ?? '';
    expect(firstLine).toMatch(/^The desktop app cannot start here \(.+\): starting the console in Chromium instead\.$/);
    const rendererUrl = /renderer:\s+(\S+)/.exec(r.out())?.[1];
    const demoUrl = /demo server:\s+(\S+)/.exec(r.out())?.[1];
    expect(rendererUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(demoUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    // the page is the app's own, with the app's Content-Security-Policy
    const page = await fetch(rendererUrl ?? '');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('<div id="root">');
    // Ctrl-C stops Chromium, the bridge and the demo server
    r.proc.kill('SIGINT');
    expect(await r.exit).toBe(0);
    await expect(fetch(rendererUrl ?? '')).rejects.toThrow();
  });
});

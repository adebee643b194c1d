import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

/**
 * The real desktop app, started as `electron .` by Playwright's Electron support: what the browser
 * bridge cannot show (Electron's protocols, preload, sandbox and window). Run by npm run test:electron
 * on machines that have Electron's binary (the release workflow); not part of npm test.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let app: ElectronApplication;
let page: Page;
let home: string;

/** A request made from main with Electron's net.fetch, which goes through the app's protocol handlers. */
async function fetchInMain(url: string): Promise<{ status: number; csp: string | null; type: string | null }> {
  return app.evaluate(async ({ net }, u) => {
    const r = await net.fetch(u);
    return { status: r.status, csp: r.headers.get('content-security-policy'), type: r.headers.get('content-type') };
  }, url);
}

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'idv-electron-'));
  app = await electron.launch({ args: [ROOT], cwd: ROOT, env: { ...process.env, IDV_REVIEW_HOME: home } });
  page = await app.firstWindow();
  page.setDefaultTimeout(20_000);
  await page.getByRole('heading', { name: 'Evidence' }).waitFor();
});

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await rm(home, { recursive: true, force: true });
});

describe('the desktop app, in Electron', () => {
  test('one window, on app://renderer/, its page served with the Content-Security-Policy header', async () => {
    expect(app.windows()).toHaveLength(1);
    expect(page.url()).toBe('app://renderer/index.html');
    const index = await fetchInMain('app://renderer/index.html');
    expect(index.status).toBe(200);
    expect(index.csp).toContain("default-src 'none'");
    expect(index.csp).toContain("connect-src 'none'");
  });

  test('app:// and idv-media:// answer only for what they serve, and refuse traversal', async () => {
    for (const url of [
      'app://renderer/../package.json',
      'app://renderer/%2e%2e/%2e%2e/package.json',
      'app://renderer/..%2f..%2fpackage.json',
      'app://other/index.html',
      'idv-media://media/../../etc/passwd',
      'idv-media://media/not-a-token',
    ]) {
      expect((await fetchInMain(url)).status, url).toBeGreaterThanOrEqual(400);
    }
  });

  test('the page has the preload API and no Node: no require, no process', async () => {
    const globals = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return { api: typeof w.api, require: typeof w.require, process: typeof w.process, module: typeof w.module };
    });
    expect(globals).toEqual({ api: 'object', require: 'undefined', process: 'undefined', module: 'undefined' });
  });

  test('the demo opens a session whose images decode from idv-media://', async () => {
    await page.getByRole('button', { name: 'Try the demo' }).click();
    await expect.poll(() => page.getByTestId('queue-row').count(), { timeout: 30_000 }).toBe(5);
    await expect.poll(() => page.getByTestId('session-id').textContent(), { timeout: 30_000 }).toMatch(/^[0-9a-f-]{36}$/);
    const images = page.locator('.strip img');
    await expect.poll(() => images.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    await expect
      .poll(() => images.evaluateAll((els) => els.every((el) => el instanceof HTMLImageElement && el.complete && el.naturalWidth > 0)), { timeout: 30_000 })
      .toBe(true);
    const sources = await images.evaluateAll((els) => els.map((el) => (el as HTMLImageElement).src));
    expect(sources.every((s) => s.startsWith('idv-media://media/'))).toBe(true);
    // a token the page holds answers from main too, as an image with the protocol's headers
    const media = await fetchInMain(sources[0] ?? '');
    expect(media.status).toBe(200);
    expect(media.type).toMatch(/^image\/(jpeg|png)$/);
  });
});

import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import type { Api, AppState, Result, SessionView } from '../../common/ipc/contract';
import { APP_CSP } from '../../main/shell/content';
import { startBridge, type Bridge } from '../../main/browser-bridge/bridge';
import { launchChromium } from '../../main/browser-bridge/chromium';
import { EXPECTED_API_KEYS } from '../unit/ipc/expected-api';

/*
 * The bridge itself: the built renderer in Chromium, `window.api` from the preload's createApi, the
 * real handler table on the real OS keychain (npm test's D-Bus session) and the demo server. The
 * renderer's own end-to-end tests live next to this file.
 */
type ApiWindow = Window & { api: Api };

let bridge: Bridge;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  bridge = await startBridge();
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await bridge.attach(page);
  const response = await page.goto(bridge.rendererUrl);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toBe(APP_CSP);
});

afterAll(async () => {
  await browser?.close();
  await bridge?.close();
});

describe('test bridge', () => {
  test('window.api.getAppState() answers from the real handler table', async () => {
    const result = await page.evaluate(() => (window as unknown as ApiWindow).api.getAppState({}));
    expect(result.ok).toBe(true);
    const state = (result as Extract<Result<AppState>, { ok: true }>).value;
    expect(state.settings.environment).toBe('demo');
    expect(state.demo).toMatchObject({ running: true, apiUrl: bridge.demoServerUrl });
  });

  test('window.api has exactly the shape createApi produces, and cannot be replaced', async () => {
    const shape = await page.evaluate(() => {
      const w = window as unknown as ApiWindow & { api: Record<string, unknown> };
      const keys = Object.keys(w.api).sort();
      const allFunctions = keys.every((k) => typeof w.api[k] === 'function');
      try {
        (window as unknown as { api: unknown }).api = {};
      } catch {
        // strict-mode assignment to a read-only property
      }
      return { keys, allFunctions, frozen: Object.isFrozen(w.api), same: Object.keys(w.api).length === keys.length };
    });
    expect(shape).toEqual({ keys: [...EXPECTED_API_KEYS], allFunctions: true, frozen: true, same: true });
  });

  test('a session fetched through the page: progress events arrive, and images load from /media with the protocol headers', async () => {
    const sid = DEMO_SESSION_IDS.approvedPassport;
    const outcome = await page.evaluate(async (sessionId) => {
      const api = (window as unknown as ApiWindow).api;
      const progress: number[] = [];
      const off = api.on('fetch-progress', (p) => progress.push(p.done));
      const fetched = await api.fetchSession({ sessionId });
      await new Promise((r) => setTimeout(r, 100));
      off();
      const view = await api.openSession({ sessionId });
      return { fetched, progress, view };
    }, sid);
    expect(outcome.fetched.ok).toBe(true);
    expect(outcome.progress.length).toBeGreaterThan(0);
    expect(outcome.view.ok).toBe(true);
    const view = (outcome.view as Extract<Result<SessionView>, { ok: true }>).value;
    const image = view.media.find((m) => m.url !== undefined)!;
    expect(image.url!.startsWith(`${bridge.origin}/media/`)).toBe(true);

    const loaded = await page.evaluate(async (src) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      return { width: img.naturalWidth, height: img.naturalHeight };
    }, image.url!);
    expect(loaded.width).toBeGreaterThan(0);
    const res = await page.request.get(image.url!);
    expect(res.status()).toBe(200);
    expect(res.headers()['x-content-type-options']).toBe('nosniff');
    expect(res.headers()['cache-control']).toBe('no-store');
    expect((await page.request.get(`${bridge.origin}/media/${'0'.repeat(32)}`)).status()).toBe(404);
    expect((await page.request.get(`${bridge.origin}/..%2f..%2fpackage.json`)).status()).toBe(404);
  });

  test('events pushed by main reach listeners registered with api.on', async () => {
    await page.evaluate(() => {
      const w = window as unknown as ApiWindow & { seen: unknown[] };
      w.seen = [];
      w.api.on('menu-command', (p) => w.seen.push(p));
    });
    bridge.emit('menu-command', { command: 'show-shortcuts' });
    await expect.poll(() => page.evaluate(() => (window as unknown as { seen: unknown[] }).seen)).toContainEqual({ command: 'show-shortcuts' });
  });

  test('the page raised no errors', () => {
    expect(pageErrors).toEqual([]);
  });
});

describe('the built preload', () => {
  test('out/preload/index.cjs requires electron only and carries no zod', () => {
    const code = readFileSync('out/preload/index.cjs', 'utf8');
    expect(new Set([...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]))).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/ZodError|z\.object/);
  });
});

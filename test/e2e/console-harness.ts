/**
 * Shared set-up for the renderer's end-to-end tests: the real bridge (handler table, services, OS
 * keychain, demo server), the built renderer in Debian Chromium, and a record of every console error,
 * page error and request, so each test can fail on any of them.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startBridge, type Bridge, type StartBridgeOptions } from '../../main/browser-bridge/bridge';
import { launchChromium } from '../../main/browser-bridge/chromium';

export const SCREENS_DIR = join(process.cwd(), 'test-artifacts', 'screens');

export interface Harness {
  bridge: Bridge;
  browser: Browser;
  page: Page;
  /** Console errors and uncaught page errors, in order. */
  errors: string[];
  /** Every URL the page requested. */
  requests: string[];
  close(): Promise<void>;
}

export async function openConsole(opts: StartBridgeOptions = {}, viewport = { width: 1440, height: 900 }): Promise<Harness> {
  const bridge = await startBridge(opts);
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  // Fail with the locator's name well before the test's own timeout.
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  page.on('request', (r) => requests.push(r.url()));
  await bridge.attach(page);
  const response = await page.goto(bridge.rendererUrl);
  expect(response?.status()).toBe(200);
  await page.getByRole('heading', { name: 'Evidence' }).waitFor();
  return {
    bridge,
    browser,
    page,
    errors,
    requests,
    async close() {
      await browser.close().catch(() => undefined);
      await bridge.close();
    },
  };
}

/**
 * One console for a file's tests: opened before the first (by `open`, which may set up more), checked
 * after each for console and page errors (a test that caused one fails), closed after the last. The
 * harness returned is usable in tests and in hooks registered after this call.
 */
export function useConsoleHarness(open: () => Promise<Harness>, timeoutMs?: number): Harness {
  let current: Harness | undefined;
  beforeAll(async () => {
    current = await open();
  }, timeoutMs);
  afterEach(() => {
    expect(current?.errors.splice(0) ?? []).toEqual([]);
  });
  afterAll(async () => {
    await current?.close();
  });
  return new Proxy({} as Harness, {
    get(_target, key) {
      if (current === undefined) throw new Error('the console is not open yet: use the harness in a test or a later hook');
      return Reflect.get(current, key) as unknown;
    },
  });
}

/** The console with these sessions queued (setting up the queue is not what the tests test), reloaded and ready. */
export async function openConsoleWithQueue(sessionIds: readonly string[], opts: StartBridgeOptions = {}): Promise<Harness> {
  const h = await openConsole(opts);
  const added = await h.bridge.handlers.addSessions({ text: sessionIds.join('\n') }, { senderId: 0 });
  expect(added.ok).toBe(true);
  await h.page.reload();
  await h.page.getByRole('heading', { name: 'Evidence' }).waitFor();
  return h;
}

/**
 * A screen as a person sees it: the picture in test-artifacts/screens, and axe-core's check of the
 * same state, which must find no serious or critical violation (every screenshot is a screen or state
 * worth checking).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  // Let transitions and image decodes settle so the picture shows what a person would see.
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(SCREENS_DIR, `${name}.png`) });
  expect(await accessibilityViolations(page), `axe-core on screen ${name}`).toEqual([]);
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * axe-core's serious and critical violations on the page as it is (WCAG 2.1 A and AA rules and best
 * practices). Injected through the DevTools protocol, which the page's CSP rightly does not let a
 * script tag do.
 */
export async function accessibilityViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact ?? 'unknown', help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Waits until every <img> matched has loaded and decoded to a real picture; returns their sources. */
export async function expectImagesDecoded(images: Locator, atLeast = 1): Promise<string[]> {
  await expect.poll(() => images.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(atLeast);
  await expect
    .poll(
      () => images.evaluateAll((els) => els.every((el) => el instanceof HTMLImageElement && el.complete && el.naturalWidth > 0 && el.naturalHeight > 0)),
      { timeout: 15_000 },
    )
    .toBe(true);
  return images.evaluateAll((els) => els.map((el) => (el as HTMLImageElement).src));
}

export function queueRow(page: Page, sessionId: string): Locator {
  return page.locator(`[data-testid="queue-row"][data-session-id="${sessionId}"]`);
}

/** Opens a session from the queue with the mouse and waits until its findings show. */
export async function openFromQueue(page: Page, sessionId: string): Promise<void> {
  await queueRow(page, sessionId).click();
  await expect.poll(() => page.getByTestId('session-id').textContent(), { timeout: 20_000 }).toBe(sessionId);
}

export interface Box {
  width: number;
  height: number;
  x: number;
  y: number;
}

export async function box(locator: Locator): Promise<Box> {
  const b = await locator.boundingBox();
  if (!b) throw new Error('element has no box');
  return b;
}

/**
 * Answers what main's guardrails ask for in the confirm step, where they ask: the reviewer's name,
 * the reason for a change or for deciding before Yoti has finished, the acknowledgements. Returns
 * the rules that were asked (so a test can assert the dangerous ones were).
 */
export async function answerGuardrails(
  dialog: Locator,
  answers: { name?: string; changeReason?: string; beforeComplete?: string; overrideNote?: string; acknowledge?: boolean } = {},
): Promise<string[]> {
  await dialog.getByTestId('guardrails').waitFor();
  const rules = await dialog.locator('[data-rule]').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule') ?? ''));
  const fill = async (rule: string, value: string | undefined): Promise<void> => {
    if (rules.includes(rule) && value !== undefined) await dialog.locator(`[data-rule="${rule}"]`).getByRole('textbox').fill(value);
  };
  await fill('REVIEWER_NAME', answers.name ?? 'Erin Reviewer');
  await fill('CHANGE_REASON', answers.changeReason);
  await fill('BEFORE_COMPLETE', answers.beforeComplete);
  await fill('OVERRIDE_NOTE', answers.overrideNote);
  if (answers.acknowledge !== false) {
    for (const rule of ['CONTRADICTED_REASON', 'UNVIEWED_EVIDENCE']) {
      if (rules.includes(rule)) await dialog.locator(`[data-rule="${rule}"]`).getByRole('checkbox').check();
    }
  }
  return rules;
}

import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import { box, expectImagesDecoded, openConsole, openFromQueue, queueRow, screenshot, useConsoleHarness } from './console-harness';

/*
 * What keeps the console trustworthy over a working day: no leaks over 100 sessions, ongoing
 * sessions refreshed on their own, menu commands, bulk ids, remembered pane sizes, labelled
 * controls, and the bundle budget.
 */
let tmp: string;
const ALL = Object.values(DEMO_SESSION_IDS);

const h = useConsoleHarness(() => openConsole());

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'idv-e2e-'));
  const ctx = { senderId: 0 };
  expect((await h.bridge.handlers.addSessions({ text: ALL.join(' ') }, ctx)).ok).toBe(true);
  for (const sessionId of ALL) expect((await h.bridge.handlers.fetchSession({ sessionId }, ctx)).ok).toBe(true);
  await h.page.reload();
  await h.page.locator('[data-testid="queue-row"]').nth(ALL.length - 1).waitFor();
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('over a working day', () => {
  test('100 sessions opened in a row leave no listeners, DOM nodes or memory behind', { timeout: 180_000 }, async () => {
    const { page } = h;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async (): Promise<Record<string, number>> => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics: list } = await cdp.send('Performance.getMetrics');
      return Object.fromEntries(list.map((m) => [m.name, m.value]));
    };
    const open = async (i: number): Promise<void> => {
      const id = ALL[i % ALL.length]!;
      await queueRow(page, id).click();
      await expect.poll(() => page.getByTestId('session-id').textContent(), { timeout: 10_000 }).toBe(id);
      await expectImagesDecoded(page.locator('.strip img'));
    };
    for (let i = 0; i < 10; i++) await open(i);
    const base = await metrics();
    for (let i = 10; i < 100; i++) await open(i);
    const end = await metrics();
    expect(end.JSEventListeners!).toBeLessThanOrEqual(base.JSEventListeners! + 20);
    expect(end.Nodes!).toBeLessThanOrEqual(base.Nodes! * 1.25 + 300);
    expect(end.JSHeapUsedSize!).toBeLessThanOrEqual(base.JSHeapUsedSize! * 1.5 + 4_000_000);
    expect(await page.locator('img').count()).toBeLessThan(60);
    await cdp.detach();
  });

  test('a session still ONGOING is fetched again on its own; the state and token time are shown', { timeout: 90_000 }, async () => {
    const { page, bridge } = h;
    const id = DEMO_SESSION_IDS.ongoing;
    await openFromQueue(page, id);
    await expect.poll(() => page.getByTestId('session-state').textContent()).toContain('Ongoing');
    await expect.poll(() => page.getByTestId('token-left').textContent()).toMatch(/\d+ (s|min|h \d+ min) left/);
    await expect.poll(() => page.locator('.session-head').textContent()).toContain('Checked again on its own');
    const updates = () => bridge.events.filter((e) => e.event === 'session-updated' && (e.payload as { sessionId: string }).sessionId === id).length;
    const before = updates();
    await expect.poll(updates, { timeout: 45_000, interval: 1_000 }).toBeGreaterThan(before);
    await screenshot(page, '30-ongoing');

    bridge.setOnline(false);
    await expect.poll(() => page.locator('.session-head').textContent()).toContain('Automatic refresh is paused while offline');
    expect(await page.getByRole('button', { name: 'Fetch again from Yoti' }).isDisabled()).toBe(true);
    bridge.setOnline(true);
  });

  test('menu commands run the same actions as the keys', async () => {
    const { page, bridge } = h;
    await openFromQueue(page, DEMO_SESSION_IDS.approvedPassport);
    const readout = page.getByTestId('zoom-readout');
    await expectImagesDecoded(page.getByTestId('stage').locator('img.stage-img'));
    const fit = await readout.textContent();
    bridge.emit('menu-command', { command: 'zoom-in' });
    await expect.poll(() => readout.textContent()).not.toBe(fit);
    bridge.emit('menu-command', { command: 'zoom-fit' });
    await expect.poll(() => readout.textContent()).toBe(fit);
    const img = page.getByTestId('stage').locator('img.stage-img');
    const wide = await box(img);
    bridge.emit('menu-command', { command: 'rotate' });
    await expect.poll(async () => (await box(img)).height).toBeGreaterThan(wide.height);
    bridge.emit('menu-command', { command: 'compare' });
    await expect.poll(() => page.getByTestId('compare-view').isVisible()).toBe(true);
    bridge.emit('menu-command', { command: 'show-shortcuts' });
    await expect.poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    bridge.emit('menu-command', { command: 'next-undecided' });
    await expect.poll(() => page.getByTestId('session-id').textContent()).not.toBe(DEMO_SESSION_IDS.approvedPassport);
  });

  test('many ids pasted at once, and a CSV file imported through the native dialog', async () => {
    const { page, bridge } = h;
    const a = '0a000000-0000-4000-8000-000000000001';
    const b = '0a000000-0000-4000-8000-000000000002';
    bridge.setOnline(false); // keep them in the queue without trying to fetch them
    await page.keyboard.press('a');
    const dialog = page.getByTestId('add-sessions');
    await dialog.getByRole('textbox', { name: 'Session ids' }).fill(`${a}, ${b}\n<b>not-an-id</b>\n${DEMO_SESSION_IDS.approvedPassport}`);
    await screenshot(page, '31-add-sessions');
    await dialog.getByRole('button', { name: 'Add to the queue' }).click();
    await expect.poll(() => dialog.getByRole('status').textContent()).toContain('2 added, 1 already in the queue, 1 not valid');
    expect(await dialog.textContent()).toContain('<b>not-an-id</b>'); // shown as text, never as HTML
    await page.keyboard.press('Escape');
    await expect.poll(() => queueRow(page, b).count()).toBe(1);

    const csv = join(tmp, 'ids.csv');
    const c = '0a000000-0000-4000-8000-000000000003';
    await writeFile(csv, `Session ID,Name\n${c},first\n${a},again\n`);
    bridge.dialogs.nextOpenFile = csv;
    await page.getByRole('button', { name: 'Import CSV…' }).click();
    await expect.poll(() => page.getByTestId('status').textContent()).toContain('CSV imported: 1 added, 1 already in the queue');
    await expect.poll(() => queueRow(page, c).getByTestId('q-cache').textContent()).toContain('Not downloaded yet');
    bridge.setOnline(true);
  });

  test('the panes resize from the keyboard and keep their sizes after a reload', async () => {
    const { page } = h;
    const queue = page.locator('[data-pane="queue"]');
    const start = (await box(queue)).width;
    const separator = page.getByRole('separator', { name: 'Resize the queue and the evidence viewer' });
    await separator.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await box(queue)).width).toBeGreaterThan(start + 20);
    const resized = (await box(queue)).width;
    await page.waitForTimeout(300);
    await page.reload();
    await page.getByRole('heading', { name: 'Evidence' }).waitFor();
    expect(Math.abs((await box(queue)).width - resized)).toBeLessThan(3);
  });

  test('controls are labelled, focus is visible, and lists, tabs and dialogs have their roles', async () => {
    const { page } = h;
    await openFromQueue(page, DEMO_SESSION_IDS.rejectedIdCard);
    const unlabelled = await page.evaluate(() => {
      const name = (el: Element): string => {
        const aria = el.getAttribute('aria-label') ?? '';
        const by = (el.getAttribute('aria-labelledby') ?? '').split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join('');
        const labels = el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement ? Array.from(el.labels ?? [], (l) => l.textContent ?? '').join('') : '';
        // Buttons, tabs and options are named by their content.
        const text = el instanceof HTMLButtonElement || el.getAttribute('role') === 'tab' || el.getAttribute('role') === 'option' ? (el.textContent ?? '') : '';
        return (aria + by + labels + text + (el.getAttribute('title') ?? '')).trim();
      };
      return Array.from(document.querySelectorAll('button, input, select, textarea, [role="option"], [role="tab"], [role="separator"]'))
        .filter((el) => name(el) === '' && !(el instanceof HTMLInputElement && el.type === 'hidden'))
        .map((el) => el.outerHTML.slice(0, 120));
    });
    expect(unlabelled).toEqual([]);
    for (const role of ['listbox', 'option', 'tablist', 'tab', 'tabpanel', 'separator', 'group'] as const) {
      expect(await page.getByRole(role).count(), role).toBeGreaterThan(0);
    }
    expect(await page.getByRole('navigation', { name: 'Evidence items' }).count()).toBe(1);

    // Keyboard focus is drawn.
    await page.getByRole('tab', { name: /Checks/ }).focus();
    await page.keyboard.press('ArrowRight');
    const outline = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const s = getComputedStyle(el);
      return { role: el.getAttribute('role'), style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
    });
    expect(outline).toMatchObject({ role: 'tab', style: 'solid' });
    expect(outline.width).toBeGreaterThanOrEqual(2);

    // Results are never colour alone: every verdict carries words and an icon.
    const verdicts = await page.locator('.verdict').evaluateAll((els) => els.map((e) => ({ icon: e.querySelector('.verdict-icon')?.textContent ?? '', text: (e.textContent ?? '').trim() })));
    expect(verdicts.length).toBeGreaterThan(5);
    expect(verdicts.every((v) => v.icon !== '' && v.text.length > v.icon.length)).toBe(true);
  });

  test('at 1440 × 900 the decision area has no nested scroll box, and what must be fixed is never under the action bar', async () => {
    const { page } = h;
    await openFromQueue(page, DEMO_SESSION_IDS.rejectedIdCard);
    const list = page.locator('.reason-list');
    expect(await list.evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
    await page.getByRole('radio', { name: /^Reject/ }).check();
    await page.getByRole('button', { name: /Record decision/ }).click();
    const message = page.getByTestId('reasons-chosen');
    await expect.poll(() => message.textContent()).toBe('Choose at least one reason for this decision.');
    await expect.poll(async () => (await box(message)).y + (await box(message)).height <= (await box(page.locator('.decision-actions'))).y + 1).toBe(true);
    await screenshot(page, '42-decision-reason-missing');
  });

  test('the renderer bundle stays under 300 KB of gzipped JavaScript', () => {
    const dir = join(process.cwd(), 'out', 'renderer', 'assets');
    const js = readdirSync(dir).filter((f) => f.endsWith('.js'));
    const gz = js.reduce((n, f) => n + gzipSync(readFileSync(join(dir, f))).length, 0);
    expect(js.length).toBeGreaterThan(0);
    expect(gz).toBeLessThan(300 * 1024);
  });

  test('the page requested nothing but the renderer and its media URLs', () => {
    const foreign = h.requests.filter((u) => !u.startsWith(`${h.bridge.origin}/`));
    expect(foreign).toEqual([]);
  });
});

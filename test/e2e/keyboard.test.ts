import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import { openConsoleWithQueue, queueRow, screenshot, useConsoleHarness } from './console-harness';

/*
 * The whole review without a mouse: from the queue (N), through the evidence (keys), to a confirmed
 * decision with a reason, and on to the next session. Not one mouse event is sent in this file.
 */

const active = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return { tag: el?.tagName.toLowerCase() ?? '', type: el?.getAttribute('type') ?? '', name: el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '', value: (el as HTMLInputElement | null)?.value ?? '' };
  });

/** In the confirm step: ticks each acknowledgement on the way (Space), writes a note asked for, then presses the confirm button. */
async function confirmByKeyboard(page: Page, button: string): Promise<void> {
  for (let i = 0; i < 25; i++) {
    const a = await active(page);
    if (a.tag === 'button' && a.name === button) {
      await page.keyboard.press('Enter');
      return;
    }
    if (a.type === 'checkbox') await page.keyboard.press('Space');
    // The note main asks for when approving against a warning (the same person was seen in another session).
    if (a.tag === 'textarea' && a.value === '') await page.keyboard.type('The other session is the same person; this one is genuine.');
    await page.keyboard.press('Tab');
  }
  throw new Error(`focus never reached ${button}`);
}

async function tabUntil(page: Page, match: (a: Awaited<ReturnType<typeof active>>) => boolean, max = 25): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (match(await active(page))) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`focus never reached the element; last: ${JSON.stringify(await active(page))}`);
}

const h = useConsoleHarness(() => openConsoleWithQueue(Object.values(DEMO_SESSION_IDS)));

beforeAll(async () => {
  await h.page.locator('[data-testid="queue-row"]').nth(4).waitFor();
});

describe('keyboard only', () => {
  test('N opens the oldest undecided session; keys drive the viewer', async () => {
    const { page, bridge } = h;
    await page.keyboard.press('n');
    await expect.poll(() => page.getByTestId('session-id').textContent(), { timeout: 20_000 }).toBe(DEMO_SESSION_IDS.approvedPassport);
    const readout = page.getByTestId('zoom-readout');
    await expect.poll(() => page.getByTestId('stage').locator('img.stage-img').evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    // "Fit" on every item, whatever its pixel size; a zoom reads relative to it.
    await expect.poll(() => readout.textContent()).toBe('Fit');
    const start = await readout.textContent();
    await page.keyboard.press('+');
    await expect.poll(() => readout.textContent()).toBe('125%');
    await page.keyboard.press('1'); // 1:1
    await page.keyboard.press('0'); // fit
    await expect.poll(() => readout.textContent()).toBe(start);
    await page.keyboard.press(']');
    await expect.poll(() => page.getByTestId('stage-title').textContent()).toContain('ID photo');
    await page.keyboard.press('c');
    await expect.poll(() => page.getByTestId('compare-view').isVisible()).toBe(true);
    await page.keyboard.press('c');
    // F6 reaches the image, where arrow keys pan it.
    for (let i = 0; i < 4 && (await page.evaluate(() => document.activeElement?.classList.contains('stage'))) !== true; i++) await page.keyboard.press('F6');
    // Measure once the stage has settled after leaving the compare view (it refits the image).
    let previousX: number | undefined;
    await expect.poll(async () => {
      const x = (await page.getByTestId('stage').locator('img.stage-img').boundingBox())?.x;
      const settled = x !== undefined && x === previousX;
      previousX = x;
      return settled;
    }).toBe(true);
    const before = await page.getByTestId('stage').locator('img.stage-img').boundingBox();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await page.getByTestId('stage').locator('img.stage-img').boundingBox())?.x).toBeCloseTo((before?.x ?? 0) + 40, 0);
    await screenshot(page, '20-keyboard-viewer-focus');
    expect(bridge.memory.reviews.viewed.some((v) => v.tools.compare === true)).toBe(true);
  });

  test('approve: D, Space, Ctrl+Enter, Enter', async () => {
    const { page } = h;
    await page.keyboard.press('d');
    expect(await active(page)).toMatchObject({ tag: 'input', type: 'radio', value: 'APPROVE' });
    await page.keyboard.press('Space');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('confirm-decision').isVisible()).toBe(true);
    // No name yet: focus starts in the field that asks for it; every acknowledgement is a Tab away.
    expect(await active(page)).toMatchObject({ tag: 'input', type: 'text' });
    await page.keyboard.type('Kim Keyboard');
    await confirmByKeyboard(page, 'Confirm: Approve');
    await expect.poll(() => page.getByTestId('final-decision').textContent()).toContain('Final decision: Approve');
    await expect.poll(() => queueRow(page, DEMO_SESSION_IDS.approvedPassport).getByTestId('q-decision').textContent()).toContain('Approve');
  });

  test('reject with a reason and notes, then on to the next session', async () => {
    const { page, bridge } = h;
    await page.keyboard.press('n');
    await expect.poll(() => page.getByTestId('session-id').textContent(), { timeout: 20_000 }).toBe(DEMO_SESSION_IDS.rejectedIdCard);
    await page.keyboard.press('d');
    await page.keyboard.press('ArrowRight'); // Approve → Reject
    expect(await active(page)).toMatchObject({ type: 'radio', value: 'REJECT' });

    // Asking to record without a reason sends focus to the reasons.
    await page.keyboard.press('Control+Enter');
    expect(await active(page)).toMatchObject({ tag: 'input', name: 'Filter reasons' });
    await expect.poll(() => page.getByTestId('reasons-chosen').textContent()).toBe('Choose at least one reason for this decision.');
    await page.keyboard.type('expired');
    await page.keyboard.press('Tab');
    expect(await active(page)).toMatchObject({ tag: 'button', name: 'Full descriptions' });
    await page.keyboard.press('Tab');
    expect(await active(page)).toMatchObject({ tag: 'input', type: 'checkbox' });
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByTestId('reasons-chosen').textContent()).toMatch(/^Chosen: Document expired/);
    await tabUntil(page, (a) => a.tag === 'textarea');
    await page.keyboard.type('Expired card; the liveness person differs from the portrait.');
    await screenshot(page, '21-keyboard-decision');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('confirm-decision').isVisible()).toBe(true);
    await confirmByKeyboard(page, 'Confirm: Reject');
    await expect.poll(() => page.getByTestId('final-decision').textContent()).toContain('Final decision: Reject');
    const stored = bridge.memory.reviews.records.get(DEMO_SESSION_IDS.rejectedIdCard)!;
    expect(stored).toMatchObject({ status: 'CONFIRMED', decision: 'REJECT', notes: 'Expired card; the liveness person differs from the portrait.' });
    expect(stored.reasonCodes.length).toBeGreaterThan(0);

    // Next undecided skips the session Yoti is still working on, and says so.
    await page.keyboard.press('n');
    await expect.poll(() => page.getByTestId('session-id').textContent(), { timeout: 20_000 }).toBe(DEMO_SESSION_IDS.edgeCases);
    expect(await page.getByTestId('status').textContent()).toContain('Skipped 1 session Yoti is still working on.');
  });

  test('the queue: F6 to the list, arrows to move, Enter to open; ? lists the shortcuts, Esc closes', async () => {
    const { page } = h;
    for (let i = 0; i < 5 && (await page.evaluate(() => document.activeElement?.getAttribute('role'))) !== 'option'; i++) await page.keyboard.press('F6');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-session-id'))).toBe(DEMO_SESSION_IDS.edgeCases);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('session-id').textContent(), { timeout: 20_000 }).toBe(DEMO_SESSION_IDS.ongoing);
    await page.keyboard.press('?');
    await expect.poll(() => page.getByTestId('shortcuts').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('shortcuts').count()).toBe(0);
    // Focus went back where it was.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-session-id'))).toBe(DEMO_SESSION_IDS.ongoing);
  });
});

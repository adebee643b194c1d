import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import { box, expectImagesDecoded, openConsoleWithQueue, openFromQueue, screenshot, useConsoleHarness } from './console-harness';

/*
 * The zoom read-out and the compare view's link, against the real bridge: "Fit" means the same on
 * every item, 1:1 is one image pixel per screen pixel, and an unlinked compare side zooms alone.
 */
const APPROVED = DEMO_SESSION_IDS.approvedPassport;

const h = useConsoleHarness(() => openConsoleWithQueue([APPROVED]));

const naturalWidth = (img: Locator): Promise<number> => img.evaluate((el) => (el as HTMLImageElement).naturalWidth);

/** Waits until an image's on-screen width stops changing (the stage has laid out and the transform applied). */
async function settledWidth(img: Locator): Promise<number> {
  let previous = -1;
  await expect.poll(async () => {
    const w = Math.round((await box(img)).width * 10) / 10;
    const stable = w === previous;
    previous = w;
    return stable;
  }).toBe(true);
  return previous;
}

async function showItem(page: Page, title: string): Promise<Locator> {
  await page.getByTestId('evidence-tile').filter({ hasText: title }).first().click();
  const img = page.getByTestId('stage').locator('img.stage-img');
  await expectImagesDecoded(img);
  return img;
}

describe('the zoom read-out', () => {
  test('says Fit on items of different sizes, a zoom relative to Fit, and 1:1 shows one image pixel per screen pixel', async () => {
    const { page } = h;
    await openFromQueue(page, APPROVED);
    const readout = page.getByTestId('zoom-readout');
    const pixelScales: string[] = [];
    for (const title of ['Page 1', 'ID photo']) {
      const img = await showItem(page, title);
      await expect.poll(() => readout.textContent()).toBe('Fit');
      const fitted = await settledWidth(img);
      // The pixel scale at Fit differs per item; it is the secondary information, not the read-out.
      const scale = Math.round((fitted / (await naturalWidth(img))) * 100);
      expect(await readout.getAttribute('title')).toContain(`shown at ${scale}% of its pixels`);
      expect(await page.getByTestId('stage').getAttribute('aria-label')).toContain(`zoom Fit, shown at ${scale}% of its pixels`);
      pixelScales.push(`${scale}`);
    }
    expect(pixelScales[0]).not.toBe(pixelScales[1]);

    const img = page.getByTestId('stage').locator('img.stage-img');
    const fitted = await settledWidth(img);
    await page.keyboard.press('+');
    await expect.poll(() => readout.textContent()).toBe('125%');
    expect(await settledWidth(img)).toBeCloseTo(fitted * 1.25, 0);
    await page.keyboard.press('+');
    await expect.poll(() => readout.textContent()).toBe('156%');

    await page.getByRole('button', { name: 'Actual size, 1:1' }).click();
    const natural = await naturalWidth(img);
    await expect.poll(async () => Math.abs((await box(img)).width - natural)).toBeLessThan(0.5);
    expect(await readout.textContent()).toBe(`${Math.round((natural / fitted) * 100)}%`);
    expect(await readout.getAttribute('title')).toContain('shown at 100% of its pixels');

    await page.keyboard.press('0');
    await expect.poll(() => readout.textContent()).toBe('Fit');
    expect(await settledWidth(img)).toBeCloseTo(fitted, 0);
  });
});

describe('the compare view', () => {
  test('unlinked, each side zooms and pans on its own and the toolbar follows the side last used; linked again, both follow', async () => {
    const { page, bridge } = h;
    await page.keyboard.press('c');
    const leftStage = page.getByTestId('compare-left');
    const rightStage = page.getByTestId('compare-right');
    const left = leftStage.locator('img.stage-img');
    const right = rightStage.locator('img.stage-img');
    const leftZoom = page.getByTestId('compare-left-zoom');
    const rightZoom = page.getByTestId('compare-right-zoom');
    const link = page.getByTestId('compare-link');
    const readout = page.getByTestId('zoom-readout');
    await expectImagesDecoded(left);
    await expectImagesDecoded(right);
    expect(await link.isChecked()).toBe(true);
    expect(await page.getByTestId('compare-acting').textContent()).toBe('Both sides zoom and pan together.');
    await expect.poll(() => leftZoom.textContent()).toBe('Fit');
    expect(await rightZoom.textContent()).toBe('Fit');
    const l0 = await settledWidth(left);
    const r0 = await box(right);

    await link.uncheck();
    // Wheel on the ID photo: it alone grows.
    await leftStage.hover();
    await page.mouse.wheel(0, -400);
    await expect.poll(async () => (await box(left)).width).toBeGreaterThan(l0 * 1.3);
    await expect.poll(() => leftZoom.textContent()).not.toBe('Fit');
    expect(await box(right)).toEqual(r0);
    expect(await rightZoom.textContent()).toBe('Fit');
    expect(await page.getByTestId('compare-acting').textContent()).toContain('act on the ID photo');
    // Each side states its own pixel scale, from its own fit.
    const pixels = async (img: Locator): Promise<string> => `shown at ${Math.round(((await settledWidth(img)) / (await naturalWidth(img))) * 100)}% of its pixels`;
    expect(await leftZoom.locator('..').getAttribute('title')).toContain(await pixels(left));
    expect(await rightZoom.locator('..').getAttribute('title')).toContain(await pixels(right));
    expect(await readout.textContent()).toBe(await leftZoom.textContent());

    // The toolbar acts on the side last used: the ID photo.
    const leftBefore = await leftZoom.textContent();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await expect.poll(() => leftZoom.textContent()).not.toBe(leftBefore);
    expect(await rightZoom.textContent()).toBe('Fit');

    // Clicking the face makes it the side acted on; keys then zoom and pan it alone.
    const l1 = await box(left);
    await rightStage.click();
    await expect.poll(() => page.getByTestId('compare-acting').textContent()).toContain('act on the Face');
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await expect.poll(() => rightZoom.textContent()).toBe('156%');
    expect(await readout.textContent()).toBe('156%');
    const r1 = await settledWidth(right);
    expect(r1).toBeCloseTo(r0.width * 1.5625, 0);
    const rx = (await box(right)).x;
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => (await box(right)).x).toBeCloseTo(rx + 40, 0);
    expect(await box(left)).toEqual(l1);
    await screenshot(page, '06-compare-unlinked-zoomed');

    // Linked again (L): both take the face's zoom and pan, relative to each side's own fit.
    await page.keyboard.press('l');
    await expect.poll(() => link.isChecked()).toBe(true);
    await expect.poll(() => leftZoom.textContent()).toBe('156%');
    expect(await rightZoom.textContent()).toBe('156%');
    expect(await settledWidth(left)).toBeCloseTo(l0 * 1.5625, 0);
    const l2 = await box(left);
    const r2 = await box(right);
    await leftStage.hover();
    await page.mouse.wheel(0, 200);
    await expect.poll(async () => (await box(left)).width).toBeLessThan(l2.width * 0.9);
    await expect.poll(async () => (await box(right)).width / r2.width).toBeCloseTo((await box(left)).width / l2.width, 2);
    expect(await leftZoom.textContent()).toBe(await rightZoom.textContent());
    await screenshot(page, '07-compare-linked');

    // The zoom is recorded on both images compared.
    const zoomed = bridge.memory.reviews.viewed.filter((v) => v.sessionId === APPROVED && v.tools.zoom === true).map((v) => v.mediaId);
    const shown = await page.getByTestId('compare-view').locator('select').evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value));
    for (const id of shown) expect(zoomed).toContain(id);
    await page.keyboard.press('c');
  });
});

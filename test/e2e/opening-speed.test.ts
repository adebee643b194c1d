import { describe, expect, test } from 'vitest';
import type { QueueRow, SessionView } from '../../common/ipc/contract';
import { createDemoSessions } from '../../main/core/demo-server/demo-sessions';
import { DEFAULT_RESPONSE_CONFIG, sessionFromResponseConfig } from '../../main/core/demo-server/response-config';
import { THUMBNAIL_BOX } from '../../main/core/images/derived-sizes';
import type { Handlers } from '../../main/ipc/ports';
import { expectImagesDecoded, queueRow, screenshot, openConsoleWithQueue, useConsoleHarness } from './console-harness';

/*
 * Opening a session as fast as the screen allows: the strip shows thumbnails made when each image
 * entered the store (the stage alone decodes a full page), and the session "Next undecided" will open
 * is read ahead while the reviewer works, without recording an opening, so Next shows it at once.
 */
const DAY = 86_400_000;
// Pages as large as a phone's capture (2600 pixels wide), so each has a screen copy.
const PAGE_WIDTH = 2600;
const sessions = [0, 1].map((i) =>
  sessionFromResponseConfig(DEFAULT_RESPONSE_CONFIG, {
    sessionId: `0d000000-0000-4000-8000-00000000000${i + 1}`,
    createdAt: new Date(Date.now() - (2 - i) * DAY),
    media: { pageWidth: PAGE_WIDTH },
  }),
);
const IDS = sessions.map((s) => s.sessionId);
const ctx = { senderId: 0 };

async function rows(): Promise<QueueRow[]> {
  const r = await h.bridge.handlers.listSessions({}, ctx);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
/** The view as read ahead: it records no opening, so it shows whether anything else did. */
async function peek(sessionId: string): Promise<SessionView> {
  const r = await h.bridge.handlers.openSession({ sessionId, readAhead: true }, ctx);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const h = useConsoleHarness(() => openConsoleWithQueue(IDS, { compose: { demoServer: { sessions: [...createDemoSessions(), ...sessions] } } }), 60_000);

describe('opening a session', () => {
  test("the click asks for the image the session opens on before its view comes; the strip shows thumbnails, the stage a large page's screen copy", async () => {
    const { page, bridge } = h;
    // The queue is fetched in the background first (what Next reads ahead must be stored).
    await expect.poll(async () => (await rows()).filter((r) => r.fetchedAt !== undefined).length, { timeout: 60_000, interval: 300 }).toBe(IDS.length);
    // The row names the image (once the page's queue shows the session fetched); the view is held in
    // main until the page has asked for it.
    await queueRow(page, IDS[0]!).getByTestId('q-yoti').waitFor({ timeout: 20_000 });
    const opening = (await rows()).find((r) => r.sessionId === IDS[0])!.openingImageUrl!;
    expect(opening).toMatch(/\/media\/[0-9a-f]{32}$/);
    const asked = page.waitForRequest((req) => req.url() === opening, { timeout: 10_000 });
    // The bridge dispatches through its handler table at each call.
    const table = bridge.handlers as { -readonly [C in keyof Handlers]: Handlers[C] };
    const openSession = table.openSession;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    table.openSession = async (args, c) => {
      await held;
      return openSession(args, c);
    };
    try {
      await queueRow(page, IDS[0]!).click();
      await asked;
    } finally {
      release();
      table.openSession = openSession;
    }
    await expect.poll(() => page.getByTestId('session-id').textContent()).toBe(IDS[0]);
    const strip = page.locator('.strip img');
    await expectImagesDecoded(strip, 5);
    const stage = page.locator('[data-testid="stage"] img.stage-img');
    await expectImagesDecoded(stage);
    const sizes = await strip.evaluateAll((els) => els.map((e) => ({ w: (e as HTMLImageElement).naturalWidth, h: (e as HTMLImageElement).naturalHeight, src: (e as HTMLImageElement).src })));
    for (const s of sizes) expect(Math.max(s.w, s.h)).toBeLessThanOrEqual(THUMBNAIL_BOX.width);
    const full = await stage.evaluate((e) => ({ w: (e as HTMLImageElement).naturalWidth, src: (e as HTMLImageElement).src }));
    // The stage opens on the first page's screen copy (below, the original when zoomed in); its thumbnail is another URL.
    expect(full.w).toBeGreaterThan(THUMBNAIL_BOX.width);
    expect(sizes.map((s) => s.src)).not.toContain(full.src);
    expect(full.src).toBe(opening);
    await screenshot(page, '75-strip-thumbnails');
  });

  test("at fit the stage shows a large page's screen copy, laid out as the original; zoomed past the copy's pixels, the original", async () => {
    const { page } = h;
    const view = await peek(IDS[0]!);
    const item = view.media.find((m) => m.screen !== undefined)!;
    expect(item.pixels?.width).toBe(PAGE_WIDTH);
    expect(item.screen!.width).toBeLessThan(PAGE_WIDTH);
    const stage = page.getByTestId('stage');
    const img = stage.locator('img.stage-img');
    await expectImagesDecoded(img);
    expect(await img.getAttribute('data-source')).toBe('copy');
    expect(await img.evaluate((e) => (e as HTMLImageElement).naturalWidth)).toBe(item.screen!.width);
    expect(await stage.getAttribute('aria-label')).toContain('shown from its screen copy');
    // Laid out as the original: the read-out speaks of the original's pixels.
    const fitted = (await img.boundingBox())!.width;
    const readout = page.getByTestId('zoom-readout');
    expect(await readout.getAttribute('title')).toContain(`shown at ${Math.round((fitted / PAGE_WIDTH) * 100)}% of its pixels`);

    const original = page.waitForRequest((req) => req.url() === item.url, { timeout: 10_000 });
    await page.getByRole('button', { name: 'Actual size, 1:1' }).click();
    await original;
    await expect.poll(() => img.getAttribute('data-source')).toBe('original');
    await expectImagesDecoded(img);
    // Shown once decoded (until then the copy stays under it).
    await expect.poll(() => img.getAttribute('class')).toBe('stage-img');
    expect(await img.evaluate((e) => (e as HTMLImageElement).naturalWidth)).toBe(PAGE_WIDTH);
    await expect.poll(async () => Math.abs((await img.boundingBox())!.width - PAGE_WIDTH)).toBeLessThan(0.5);
    expect(await readout.getAttribute('title')).toContain('shown at 100% of its pixels');
    expect(await stage.getAttribute('aria-label')).not.toContain('screen copy');
    await expect.poll(() => stage.locator('img.stage-under').count()).toBe(0);
    // Back at fit it keeps the original it has.
    await page.keyboard.press('0');
    await expect.poll(() => readout.textContent()).toBe('Fit');
    expect(await img.getAttribute('data-source')).toBe('original');
  });

  test('the next session is read ahead without recording an opening, and Next opens it from there', async () => {
    const { page } = h;
    const next = page.getByRole('button', { name: /Next undecided/ });
    await expect.poll(() => next.getAttribute('data-read-ahead'), { timeout: 20_000 }).toBe(IDS[1]);
    expect(await next.getAttribute('title')).toBe(`N: session ${IDS[1]!} is read ahead and opens at once`);
    expect((await peek(IDS[1]!)).review.firstOpenedAt).toBeUndefined();

    await next.click();
    await expect.poll(() => page.getByTestId('session-id').textContent()).toBe(IDS[1]);
    await expectImagesDecoded(page.locator('[data-testid="stage"] img.stage-img'));
    // Opening it recorded the opening, as any opening does (before showing it); and the next one is read ahead in turn: the
    // oldest undecided other than the open one, the first again, since it has no decision yet.
    await expect.poll(async () => (await peek(IDS[1]!)).review.firstOpenedAt).toBeDefined();
    await expect.poll(() => next.getAttribute('data-read-ahead'), { timeout: 20_000 }).toBe(IDS[0]);
  });

  test('a session fetched again after it was read ahead is forgotten, and Next opens the new copy', async () => {
    const { page } = h;
    const next = page.getByRole('button', { name: /Next undecided/ });
    await expect.poll(() => next.getAttribute('data-read-ahead'), { timeout: 20_000 }).toBe(IDS[0]);
    const r = await h.bridge.handlers.fetchSession({ sessionId: IDS[0]!, force: true }, ctx);
    expect(r.ok).toBe(true);
    await expect.poll(() => next.getAttribute('data-read-ahead')).toBeNull();
    const fetchedAt = (await rows()).find((x) => x.sessionId === IDS[0])!.fetchedAt;
    await next.click();
    await expect.poll(() => page.getByTestId('session-id').textContent()).toBe(IDS[0]);
    expect((await peek(IDS[0]!)).stored.fetchedAt).toBe(fetchedAt);
    await expectImagesDecoded(page.locator('[data-testid="stage"] img.stage-img'));
  });
});

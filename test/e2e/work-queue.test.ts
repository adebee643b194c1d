import { describe, expect, test } from 'vitest';
import type { QueueRow } from '../../common/ipc/contract';
import { createDemoSessions } from '../../main/core/demo-server/demo-sessions';
import { DEFAULT_RESPONSE_CONFIG, sessionFromResponseConfig } from '../../main/core/demo-server/response-config';
import { openConsoleWithQueue, queueRow, screenshot, useConsoleHarness } from './console-harness';

/*
 * The queue as a work queue: 50 sessions fetched in the background show Yoti's result, when each
 * session began and which document it holds before any is opened; the reviewer sorts, filters and
 * searches them, "Next undecided" follows what is shown, and an id that will never open is removed
 * behind main's own confirmation.
 */
const DAY = 86_400_000;
const demo = createDemoSessions();
// 45 more, small images, created a day apart (the oldest first in the list is the newest at Yoti).
const more = Array.from({ length: 45 }, (_, i) =>
  sessionFromResponseConfig(DEFAULT_RESPONSE_CONFIG, {
    sessionId: `0c000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
    createdAt: new Date(Date.now() - (i + 10) * DAY),
    media: { pageWidth: 160, zoomImageFrames: 1, zoomEmptyFrames: 0 },
  }),
);
const IDS = [...demo, ...more].map((s) => s.sessionId);
/** A well-formed id Yoti does not know (a typo): it will never open. */
const NEVER = '0c000000-0000-4000-8000-00000000dead';
const ctx = { senderId: 0 };

async function rows(): Promise<QueueRow[]> {
  const r = await h.bridge.handlers.listSessions({}, ctx);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
const shownIds = () => h.page.getByTestId('queue-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-session-id') ?? ''));

const h = useConsoleHarness(() => openConsoleWithQueue([...IDS, NEVER], { compose: { demoServer: { sessions: [...demo, ...more] } } }), 60_000);

describe('the queue as a work queue', () => {
  test('fetched in the background: every row shows Yoti, created and document before it is opened', async () => {
    const { page } = h;
    await expect.poll(async () => (await rows()).filter((r) => r.yoti !== undefined).length, { timeout: 120_000, interval: 500 }).toBe(IDS.length);
    await expect.poll(() => page.getByTestId('q-facts').count(), { timeout: 10_000 }).toBe(IDS.length);
    expect(await page.getByTestId('session-id').count()).toBe(0); // nothing was opened
    expect(await queueRow(page, more[0]!.sessionId).getByTestId('q-facts').textContent()).toMatch(/^Created (9|10) days ago · Passport, [A-Z]{3}$/);
    expect(await page.locator('.queue-pane .count').textContent()).toBe(`(${IDS.length + 1})`);
    await screenshot(page, '70-queue-50-prefetched');
  });

  test('filtered to what Yoti rejects or flags, sorted by Yoti result; searched by tracking id', async () => {
    const { page } = h;
    const all = await rows();
    const flagged = all.filter((r) => r.overall === 'REJECT' || r.overall === 'NEEDS_ATTENTION');
    expect(flagged.length).toBeGreaterThan(0);
    await page.getByTestId('queue-filter').selectOption('attention');
    await page.getByTestId('queue-sort').selectOption('attention');
    await expect.poll(shownIds).toHaveLength(flagged.length);
    const shown = await shownIds();
    expect(new Set(shown)).toEqual(new Set(flagged.map((r) => r.sessionId)));
    // Rejections first.
    const ranks = shown.map((id) => (all.find((r) => r.sessionId === id)?.overall === 'REJECT' ? 0 : 1));
    expect(ranks).toEqual([...ranks].sort());
    expect(await page.getByTestId('queue-shown').textContent()).toBe(`Showing ${flagged.length} of ${IDS.length + 1}`);
    await screenshot(page, '71-queue-filtered-sorted');

    // "Next undecided" follows what is shown: the first flagged session Yoti has finished.
    await page.getByRole('button', { name: /Next undecided/ }).click();
    const first = shown.find((id) => all.find((r) => r.sessionId === id)?.yoti?.working !== true);
    await expect.poll(() => page.getByTestId('session-id').textContent()).toContain(first);

    await page.getByTestId('queue-filter').selectOption('all');
    await page.getByTestId('queue-sort').selectOption('created');
    await expect.poll(async () => (await shownIds()).length).toBe(IDS.length + 1);
    const created = (await shownIds()).map((id) => all.find((r) => r.sessionId === id)?.created).filter((c): c is string => c !== undefined);
    expect(created.map((c) => Date.parse(c))).toEqual(created.map((c) => Date.parse(c)).sort((a, b) => a - b));

    const tracked = all.find((r) => r.userTrackingId !== undefined)!;
    await page.getByTestId('queue-search').fill(tracked.userTrackingId!.slice(0, 13).toUpperCase());
    await expect.poll(shownIds).toEqual([tracked.sessionId]);
    await page.getByTestId('queue-search').fill('no-such-id');
    await expect.poll(() => page.getByTestId('queue-none-shown').count()).toBe(1);
    await page.getByTestId('queue-search').fill('');
  });

  test('each row counts the warnings its session lists when opened; filtered and sorted on them, and on seen before', async () => {
    const { page } = h;
    const all = (await rows()).filter((r) => r.yoti !== undefined);
    for (const r of all) {
      const opened = await h.bridge.handlers.openSession({ sessionId: r.sessionId, readAhead: true }, ctx);
      if (!opened.ok) throw new Error(opened.error.message);
      expect(r.warnings, r.sessionId).toBe(opened.value.summary.warnings.length);
    }
    const warned = all.filter((r) => (r.warnings ?? 0) > 0);
    expect(warned.length).toBeGreaterThan(0);
    expect(warned.length).toBeLessThan(all.length);
    const most = warned.reduce((a, b) => ((b.warnings ?? 0) > (a.warnings ?? 0) ? b : a));
    expect(await queueRow(page, most.sessionId).getByTestId('q-warnings').textContent()).toMatch(new RegExp(`(^|[^0-9])${most.warnings!} warnings?$`));

    await page.getByTestId('queue-filter').selectOption('warnings');
    await page.getByTestId('queue-sort').selectOption('warnings');
    await expect.poll(shownIds).toHaveLength(warned.length);
    const counts = (await shownIds()).map((id) => warned.find((r) => r.sessionId === id)!.warnings!);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    await screenshot(page, '73-queue-most-warnings-first');

    const seen = all.filter((r) => r.seenBefore !== undefined);
    expect(seen.length).toBeGreaterThan(0);
    await page.getByTestId('queue-filter').selectOption('seen-before');
    await expect.poll(async () => new Set(await shownIds())).toEqual(new Set(seen.map((r) => r.sessionId)));
    await page.getByTestId('queue-filter').selectOption('all');
    await page.getByTestId('queue-sort').selectOption('added');
  });

  test('an id that will never open is removed, behind main’s confirmation; cancelling keeps it', async () => {
    const { page } = h;
    await page.getByTestId('queue-search').fill(NEVER);
    await expect.poll(shownIds).toEqual([NEVER]);
    await queueRow(page, NEVER).click();
    await expect.poll(() => page.getByRole('button', { name: 'Remove…' }).isEnabled()).toBe(true);
    h.bridge.dialogs.nextConfirm = false;
    await page.getByRole('button', { name: 'Remove…' }).click();
    await expect.poll(() => h.bridge.dialogs.history.at(-1)?.question?.message).toBe(`Remove session ${NEVER} from this computer and from the queue?`);
    expect((await rows()).some((r) => r.sessionId === NEVER)).toBe(true);
    h.bridge.dialogs.nextConfirm = true;
    await page.getByRole('button', { name: 'Remove…' }).click();
    await expect.poll(async () => (await rows()).some((r) => r.sessionId === NEVER)).toBe(false);
    await expect.poll(() => page.getByTestId('queue-none-shown').count()).toBe(1);
    await page.getByTestId('queue-search').fill('');
    await expect.poll(async () => (await shownIds()).length).toBe(IDS.length);
    await screenshot(page, '72-queue-bad-id-removed');
  });
});

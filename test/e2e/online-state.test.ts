import { describe, expect, test } from 'vitest';
import type { ApiReachability } from '../../common/ipc/contract';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import { openConsoleWithQueue, openFromQueue, queueRow, screenshot, useConsoleHarness } from './console-harness';

/*
 * "Online" means the configured API answered recently, not that a network interface exists: with the
 * demo server stopped the top bar says offline and why, and every action that needs Yoti (fetch
 * again, delete the session or a media item at Yoti) is disabled with that reason; when the server
 * answers again, they are enabled again.
 */
const SESSION = DEMO_SESSION_IDS.approvedPassport;
const ctx = { senderId: 0 };

const h = useConsoleHarness(() => openConsoleWithQueue([SESSION]));

const lastTold = (): ApiReachability | undefined =>
  h.bridge.events
    .filter((e) => e.event === 'online-changed')
    .map((e) => e.payload as ApiReachability)
    .at(-1);

describe('online is what the API answers', () => {
  test('stopped, the server is offline with the reason and the actions that need Yoti are disabled; started again, online', { timeout: 90_000 }, async () => {
    const { page, bridge } = h;
    const bar = page.getByTestId('online');
    const fetchAgain = page.getByRole('button', { name: 'Fetch again from Yoti' });
    const deleteSession = page.getByRole('button', { name: 'Delete the whole session at Yoti…' });
    const deleteItem = page.getByRole('button', { name: 'Delete this item at Yoti…' });

    await expect.poll(() => queueRow(page, SESSION).getByTestId('q-cache').textContent(), { timeout: 20_000 }).toContain('Cached');
    await openFromQueue(page, SESSION);
    await expect.poll(() => bar.textContent()).toBe('● Online');
    expect(await fetchAgain.isEnabled()).toBe(true);

    // Stopped, with the API URL still naming it: requests may not go there (it is no longer the demo server main runs).
    const url = bridge.demoServerUrl!;
    const host = new URL(url).host;
    await bridge.stopDemoServer();
    await expect
      .poll(() => bar.textContent())
      .toBe(`○ Offline — nothing is sent to ${host}: it is not Yoti's API, the demo server this app started or a host allowed in Settings; showing cached copies`);
    expect(await fetchAgain.isDisabled()).toBe(true);

    // A person allows that host in main's dialog: requests go there again, and its last answer (a minute ago at most) stands.
    bridge.dialogs.nextConfirm = true;
    expect((await bridge.handlers.updateSettings({ apiUrl: url }, ctx)).ok).toBe(true);
    await expect.poll(() => bar.textContent()).toBe('● Online');

    // The next request finds nobody there: refused, and the bar says so at once.
    await fetchAgain.click();
    await expect.poll(() => bar.textContent()).toMatch(new RegExp(`^○ Offline — the API at ${host.replace(/\./g, '\\.')} did not answer at \\d\\d:\\d\\d \\(connection refused\\); showing cached copies$`));
    const told = lastTold()!;
    expect(told).toMatchObject({ online: false, reason: expect.stringContaining('(connection refused)') });
    expect(await bar.textContent()).toBe(`○ Offline — ${told.reason}; showing cached copies`);
    const why = `Needs Yoti's API, and the app is offline: ${told.reason}.`;
    await expect.poll(() => fetchAgain.isDisabled(), { timeout: 30_000 }).toBe(true); // once the refused fetch (with its retries) is over
    expect(await fetchAgain.getAttribute('title')).toBe(why);

    await page.getByRole('tab', { name: /History/ }).click();
    expect(await deleteSession.isDisabled()).toBe(true);
    expect(await deleteSession.getAttribute('title')).toBe(why);
    expect(await deleteItem.isDisabled()).toBe(true);
    expect(await deleteItem.getAttribute('title')).toBe(why);
    expect(await page.getByTestId('delete-offline').textContent()).toBe(why);
    await screenshot(page, '40-offline-api-refused');

    // Started again (on a new port): checked at once, it answers, and everything is enabled again.
    expect((await bridge.handlers.startDemo({}, ctx)).ok).toBe(true);
    await expect.poll(() => bar.textContent()).toBe('● Online');
    expect(lastTold()).toMatchObject({ online: true });
    expect(await deleteSession.isEnabled()).toBe(true);
    expect(await deleteItem.isEnabled()).toBe(true);
    expect(await page.getByTestId('delete-offline').count()).toBe(0);
    await page.getByRole('tab', { name: /Summary/ }).click();
    expect(await fetchAgain.isEnabled()).toBe(true);
    expect(await fetchAgain.getAttribute('title')).toBeNull();
  });

  test('the API stops answering while the delete dialog is open: "Delete for good" is disabled and says why', async () => {
    const { page, bridge } = h;
    await page.getByRole('tab', { name: /History/ }).click();
    await page.getByRole('button', { name: 'Delete the whole session at Yoti…' }).click();
    const dialog = page.getByTestId('delete-dialog');
    await dialog.getByRole('checkbox').check();
    const remove = dialog.getByRole('button', { name: 'Delete for good' });
    expect(await remove.isEnabled()).toBe(true);

    await bridge.stopDemoServer();
    await expect.poll(() => remove.isDisabled()).toBe(true);
    const why = `Needs Yoti's API, and the app is offline: ${lastTold()!.reason}.`;
    expect(await remove.getAttribute('title')).toBe(why);
    expect(await dialog.getByRole('status').textContent()).toBe(why);
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    expect((await bridge.handlers.startDemo({}, ctx)).ok).toBe(true);
  });
});

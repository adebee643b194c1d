import { describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import { openConsoleWithQueue, openFromQueue, queueRow, screenshot, useConsoleHarness } from './console-harness';

/*
 * Seen before, up front: the queue is fetched in the background, so a match with another session of
 * the same person shows as a badge in the queue and as a warning on the first session opened, never
 * depending on the order sessions are opened in; a session decided before the match was fetched
 * shows it too, marked as known only after its decision.
 */
const { approvedPassport: APPROVED, rejectedIdCard: SAME_PERSON } = DEMO_SESSION_IDS;
const ctx = { senderId: 0 };

const h = useConsoleHarness(() => openConsoleWithQueue([APPROVED]));

describe('seen before, up front', () => {
  test('the queue is fetched in the background: every row shows what Yoti said without being opened', async () => {
    const { page } = h;
    await expect.poll(() => queueRow(page, APPROVED).getByTestId('q-state').textContent(), { timeout: 20_000 }).toContain('Completed');
    expect(await page.getByTestId('session-id').count()).toBe(0); // nothing was opened
    // Decided before the other session of the same person is known here.
    expect((await h.bridge.handlers.updateSettings({ reviewerName: 'Sam Seen' }, ctx)).ok).toBe(true);
    const decided = await h.bridge.handlers.confirmDecision(
      { sessionId: APPROVED, decision: 'APPROVE', reasonCodes: [], notes: '', checkVerdicts: [], overrides: { acknowledgeUnviewed: true } },
      ctx,
    );
    expect(decided.ok).toBe(true);
  });

  test('a later session of the same person: a badge in both rows, a warning on the first session opened', async () => {
    const { page } = h;
    expect((await h.bridge.handlers.addSessions({ text: SAME_PERSON }, ctx)).ok).toBe(true);
    await page.reload();
    await page.getByRole('heading', { name: 'Evidence' }).waitFor();
    await expect.poll(() => queueRow(page, SAME_PERSON).getByTestId('q-seen-before').textContent(), { timeout: 20_000 }).toBe('⚠Seen before (1)');
    await expect.poll(() => queueRow(page, APPROVED).getByTestId('q-seen-before').textContent()).toBe('⚠Seen before (1)');
    await screenshot(page, '50-queue-seen-before');

    await openFromQueue(page, SAME_PERSON);
    const warning = page.getByTestId('warnings').locator('li.warning', { hasText: 'Seen before' });
    await expect.poll(() => warning.textContent()).toContain('Seen before: the same person in 1 other session');
    expect(await warning.textContent()).toContain(`${APPROVED}: same person, decision APPROVE`);
    await screenshot(page, '51-seen-before-first-opened');
  });

  test('the session decided before the match was fetched shows it, marked as known only after its decision', async () => {
    const { page } = h;
    await openFromQueue(page, APPROVED);
    const warning = page.getByTestId('warnings').locator('li.warning', { hasText: 'Seen before' });
    await expect.poll(() => warning.textContent()).toContain(`${SAME_PERSON}: same person, no decision, known only after this session was decided`);
  });
});

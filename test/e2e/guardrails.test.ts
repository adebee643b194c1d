import { describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import { answerGuardrails, openConsoleWithQueue, openFromQueue, screenshot, useConsoleHarness } from './console-harness';

/*
 * The dangerous paths of a final decision, in the page over the real handler table: approving a
 * session Yoti is still working on is blocked until the reviewer says why; approving over Yoti's
 * REJECT names Yoti's result and the warnings and needs a note; main refuses the same decisions sent
 * without the overrides, and a refusal records nothing.
 */
const { ongoing: ONGOING, rejectedIdCard: REJECTED } = DEMO_SESSION_IDS;

const h = useConsoleHarness(() => openConsoleWithQueue([ONGOING, REJECTED]));

async function decisionEntries(sessionId: string): Promise<number> {
  return (await (await h.bridge.services.offline()).audit.entries({ sessionId })).filter((e) => e.type === 'review.decision-saved').length;
}

describe('guardrails on a final decision', () => {
  test('approving a session Yoti is still working on is blocked until the reviewer says why', async () => {
    const { page } = h;
    await openFromQueue(page, ONGOING);
    await page.getByRole('radio', { name: /^Approve/ }).check();
    await page.getByRole('button', { name: 'Record decision…' }).click();
    const dialog = page.getByTestId('confirm-decision');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const rule = dialog.locator('[data-rule="BEFORE_COMPLETE"]');
    expect(await rule.textContent()).toMatch(/^Yoti has not finished this session \(Yoti is still working: .*\): deciding now needs the reason why\./);
    expect(await dialog.getByTestId('confirm-yoti').textContent()).toMatch(/^Yoti's result: Pending/);
    const confirm = dialog.getByRole('button', { name: 'Confirm: Approve' });
    await answerGuardrails(dialog, { name: 'Erin Reviewer', overrideNote: 'nothing to see yet' });
    // Everything else answered: still blocked without the reason for deciding now.
    expect(await confirm.isDisabled()).toBe(true);
    await screenshot(page, '40-guardrail-before-complete');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Main refuses the same decision sent straight to it, and records nothing.
    const before = await decisionEntries(ONGOING);
    const refused = await h.bridge.handlers.confirmDecision(
      { sessionId: ONGOING, decision: 'APPROVE', reasonCodes: [], notes: 'nothing to see yet', checkVerdicts: [], overrides: { acknowledgeUnviewed: true } },
      { senderId: 0 },
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'DECISION_REFUSED', message: expect.stringContaining('Yoti has not finished this session') } });
    expect(await decisionEntries(ONGOING)).toBe(before);
    expect(h.bridge.memory.reviews.records.get(ONGOING)?.status).not.toBe('CONFIRMED');
  });

  test("approving over Yoti's REJECT: the confirm names Yoti's result and the warnings, and needs a note", async () => {
    const { page, bridge } = h;
    await openFromQueue(page, REJECTED);
    await page.getByRole('radio', { name: /^Approve/ }).check();
    await page.getByRole('button', { name: 'Record decision…' }).click();
    const dialog = page.getByTestId('confirm-decision');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByTestId('confirm-yoti').textContent()).toMatch(/^Yoti's result: Reject/);
    expect(await dialog.getByTestId('confirm-warnings').textContent()).toMatch(/\d+ warnings stand:.*Critical: /);
    expect(await dialog.locator('[data-rule="OVERRIDE_NOTE"]').textContent()).toMatch(/^Approving against Yoti's result \(Reject: .*\) and \d+ standing warnings needs a note saying why you override\./);
    const confirm = dialog.getByRole('button', { name: 'Confirm: Approve' });
    // The name is kept from the first decision of this run, or asked now; the note is what is missing.
    await answerGuardrails(dialog, { name: 'Erin Reviewer' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.locator('[data-rule="OVERRIDE_NOTE"]').getByRole('textbox').fill('Renewed card seen by video call; the face match failed on glare.');
    expect(await confirm.isDisabled()).toBe(false);
    await screenshot(page, '41-guardrail-override-reject');
    await confirm.click();
    await expect.poll(() => page.getByTestId('final-decision').textContent()).toContain('Final decision: Approve');
    // The final decision says what it was made against and the override it rests on.
    const made = await page.getByTestId('final-context').locator('li').allTextContents();
    expect(made[0]).toBe('Made in the app.');
    expect(made[1]).toMatch(/^Yoti's result at the time: Reject: .*; \d+ warnings\. Face-match threshold in force: 0\.\d\d\.$/);
    expect(made).toContain("Approved over Yoti's result or its warnings: the notes say why.");
    await screenshot(page, '43-final-decision-overrides');
    const stored = bridge.memory.reviews.records.get(REJECTED)!;
    expect(stored).toMatchObject({ status: 'CONFIRMED', decision: 'APPROVE', notes: 'Renewed card seen by video call; the face match failed on glare.' });
    const entry = (await (await bridge.services.offline()).audit.entries({ sessionId: REJECTED })).filter((e) => e.type === 'review.decision-saved').at(-1);
    expect(entry?.data).toMatchObject({ via: 'app', overrides: expect.arrayContaining(['OVERRIDE_NOTE']) });
    expect(entry?.who).toMatchObject({ name: 'Erin Reviewer' });
  });
});

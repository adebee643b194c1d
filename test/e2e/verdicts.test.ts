import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import type { ReviewView, SessionView } from '../../common/ipc/contract';
import { SCREENS_DIR, answerGuardrails, openConsole, openFromQueue, queueRow, screenshot, useConsoleHarness } from './console-harness';

/*
 * The review record of issue 4: the reviewer's verdict on every check (agree, or override with a
 * note), the decision chosen so far kept with the draft, and the record facts a compliance reviewer
 * checks (who, first opened, decided, time on task, manifest hash, versions). One page for the file;
 * each test continues where the last one ended.
 */
const SESSION = DEMO_SESSION_IDS.rejectedIdCard;
const OVERRIDE_NOTE = 'The expiry date is misread: the card is a renewal issued in 2012, valid to 2032 (checked on the back).';

async function viewOf(sessionId: string): Promise<SessionView> {
  const r = await h.bridge.handlers.openSession({ sessionId }, { senderId: 0 });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function reviewOf(sessionId: string): Promise<ReviewView> {
  return (await viewOf(sessionId)).review;
}

const active = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      type: el?.getAttribute('type') ?? '',
      name: el?.getAttribute('name') ?? '',
      value: (el as HTMLInputElement | null)?.value ?? '',
      checked: (el as HTMLInputElement | null)?.checked ?? false,
      checkId: el?.closest('[data-testid="check-verdict"]')?.getAttribute('data-check-id') ?? '',
    };
  });

async function tabUntil(page: Page, match: (a: Awaited<ReturnType<typeof active>>) => boolean, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (match(await active(page))) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`focus never reached the element; last: ${JSON.stringify(await active(page))}`);
}

/** The verdict block of one check, by its Yoti check id. */
const verdictOf = (page: Page, checkId: string): Locator => page.locator(`[data-testid="check-verdict"][data-check-id="${checkId}"]`);

async function showChecks(page: Page): Promise<void> {
  await page.getByRole('tab', { name: /Checks/ }).click();
  await page.getByTestId('check').first().waitFor();
}

let overridden = '';
let agreed = '';

const h = useConsoleHarness(() => openConsole());

beforeAll(async () => {
  const added = await h.bridge.handlers.addSessions({ text: Object.values(DEMO_SESSION_IDS).join('\n') }, { senderId: 0 });
  expect(added.ok).toBe(true);
  const named = await h.bridge.handlers.updateSettings({ reviewerName: 'Riley Reviewer' }, { senderId: 0 });
  expect(named.ok).toBe(true);
  await h.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.bridge.origin });
  await h.page.reload();
  await h.page.getByRole('heading', { name: 'Evidence' }).waitFor();
  await queueRow(h.page, SESSION).waitFor();
});

describe('check verdicts and the review record', () => {
  test('every check, each attempt included, offers Agree / Override; Override asks for a note in words', async () => {
    const { page } = h;
    await openFromQueue(page, SESSION);
    const view = await viewOf(SESSION);
    const withId = view.summary.checks.filter((c) => c.id !== undefined);
    expect(withId.length).toBeGreaterThanOrEqual(3);
    expect(view.summary.checks.some((c) => c.sameTypeCount > 1)).toBe(true); // retries are listed too

    await showChecks(page);
    expect(await page.getByTestId('check-verdict').count()).toBe(view.summary.checks.length);
    for (const c of withId) {
      const group = page.getByRole('group', { name: `Your verdict on ${c.label}` });
      expect(await group.getByRole('radio').count()).toBe(2);
      expect(await group.getByRole('radio', { name: 'Agree with Yoti' }).isChecked()).toBe(false);
    }

    // The first card (a warning) is overridden with the mouse.
    const firstCard = page.getByTestId('check').first();
    overridden = (await firstCard.getByTestId('check-verdict').getAttribute('data-check-id')) ?? '';
    expect(overridden).not.toBe('');
    await firstCard.getByRole('radio', { name: 'Override Yoti' }).check();
    const note = firstCard.getByRole('textbox', { name: /Why you override it/ });
    await expect.poll(() => note.isVisible()).toBe(true);
    expect(await note.getAttribute('aria-required')).toBe('true');
    expect(await firstCard.getByTestId('verdict-note-hint').textContent()).toBe('A note is required: the decision cannot be confirmed until you say why.');
    await screenshot(page, '30-verdict-override');
  });

  test('confirming with an override that has no note is refused in words, and focus goes to the note', async () => {
    const { page } = h;
    await page.getByRole('radio', { name: /^Reject/ }).check();
    await page.getByRole('checkbox', { name: /Document expired DOCUMENT_EXPIRED/ }).check();
    await page.getByRole('button', { name: 'Record decision…' }).click();

    const problem = page.getByTestId('verdict-problem');
    await expect.poll(() => problem.textContent()).toMatch(/^An override needs a note that says why before the decision can be confirmed: /);
    expect(await page.getByTestId('confirm-decision').count()).toBe(0);
    expect(await active(page)).toMatchObject({ tag: 'textarea', checkId: overridden });
    const card = verdictOf(page, overridden);
    expect(await card.getByRole('textbox').getAttribute('aria-invalid')).toBe('true');
    expect(await card.getByTestId('verdict-note-hint').textContent()).toBe('Write why you override this check: the decision cannot be confirmed without this note.');
    await screenshot(page, '31-verdict-note-required');

    await page.keyboard.type(OVERRIDE_NOTE);
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 5_000 }).toMatch(/^Saved \d\d:\d\d$/);
    expect(await card.getByTestId('verdict-note-hint').textContent()).toBe('Saved with your draft as you type.');
    expect(await problem.count()).toBe(0);

    // The draft holds the verdict, its note and the decision chosen so far.
    const review = await reviewOf(SESSION);
    expect(review.status).toBe('DRAFT');
    expect(review.decision).toBe('REJECT');
    expect(review.reasonCodes).toEqual(['DOCUMENT_EXPIRED']);
    expect(review.checkVerdicts).toEqual([{ checkId: overridden, verdict: 'OVERRIDE', note: OVERRIDE_NOTE }]);
  });

  test('keyboard only: Tab to a verdict, Space agrees, arrows move to Override, Tab reaches its note', async () => {
    const { page } = h;
    // From the note just typed, on through the next check's verdict (no mouse from here).
    await page.keyboard.press('Tab');
    await tabUntil(page, (a) => a.tag === 'input' && a.type === 'radio' && a.checkId !== '' && a.checkId !== overridden);
    const first = await active(page);
    agreed = first.checkId;
    expect(first).toMatchObject({ value: 'AGREE', checked: false });
    // The focused control shows a focus ring.
    expect(await page.evaluate(() => (document.activeElement ? getComputedStyle(document.activeElement).outlineStyle : ''))).toBe('solid');

    await page.keyboard.press('Space');
    expect(await active(page)).toMatchObject({ value: 'AGREE', checked: true });
    await page.keyboard.press('ArrowRight');
    expect(await active(page)).toMatchObject({ value: 'OVERRIDE', checked: true, checkId: agreed });
    await page.keyboard.press('Tab');
    expect(await active(page)).toMatchObject({ tag: 'textarea', checkId: agreed });
    await page.keyboard.type('Typed, then withdrawn.');
    // Back to Agree: the note is put aside (not saved with an Agree) and comes back with Override.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('ArrowLeft');
    expect(await active(page)).toMatchObject({ value: 'AGREE', checked: true, checkId: agreed });
    expect(await verdictOf(page, agreed).getByRole('textbox').count()).toBe(0);
    await screenshot(page, '32-verdict-keyboard');

    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 5_000 }).toMatch(/^Saved \d\d:\d\d$/);
    await expect
      .poll(async () => (await reviewOf(SESSION)).checkVerdicts.find((v) => v.checkId === agreed))
      .toEqual({ checkId: agreed, verdict: 'AGREE', note: '' });
    expect(await page.getByTestId('verdict-counts').textContent()).toMatch(/^1 overridden, 1 agreed, \d+ without a verdict\.$/);
  });

  test('after a reload the draft comes back: the decision chosen, the reasons, the verdicts and the note', async () => {
    const { page } = h;
    await page.reload();
    await page.getByRole('heading', { name: 'Evidence' }).waitFor();
    await openFromQueue(page, SESSION);
    await expect.poll(() => page.getByRole('radio', { name: /^Reject/ }).isChecked()).toBe(true);
    expect(await page.getByTestId('reasons-chosen').textContent()).toBe('Chosen: Document expired');
    expect(await page.getByTestId('save-state').textContent()).toMatch(/^Saved \d\d:\d\d$/);
    expect(await page.getByTestId('record-decided').textContent()).toBe('Not yet: no decision is confirmed');

    await showChecks(page);
    const card = verdictOf(page, overridden);
    expect(await card.getByRole('radio', { name: 'Override Yoti' }).isChecked()).toBe(true);
    expect(await card.getByRole('textbox', { name: /Why you override it/ }).inputValue()).toBe(OVERRIDE_NOTE);
    expect(await verdictOf(page, agreed).getByRole('radio', { name: 'Agree with Yoti' }).isChecked()).toBe(true);
    await screenshot(page, '33-verdicts-after-reload');
  });

  test('confirming records the verdicts; the decision shows them read-only with the review record', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'Record decision…' }).click();
    const dialog = page.getByTestId('confirm-decision');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const verdicts = (await dialog.getByTestId('confirm-verdicts').textContent()) ?? '';
    expect(verdicts).toMatch(/Check verdicts: 1 overridden, 1 agreed/);
    expect(verdicts).toContain(OVERRIDE_NOTE);
    await answerGuardrails(dialog);
    await screenshot(page, '34-confirm-with-verdicts');
    await dialog.getByRole('button', { name: 'Confirm: Reject' }).click();
    await expect.poll(() => page.getByTestId('final-decision').textContent()).toContain('Final decision: Reject');

    const review = await reviewOf(SESSION);
    expect(review.status).toBe('CONFIRMED');
    expect(review.checkVerdicts).toEqual(
      expect.arrayContaining([
        { checkId: overridden, verdict: 'OVERRIDE', note: OVERRIDE_NOTE },
        { checkId: agreed, verdict: 'AGREE', note: '' },
      ]),
    );

    // Read-only in the findings: no radios, no text fields; the words stay.
    expect(await page.getByTestId('check-verdict').getByRole('radio').count()).toBe(0);
    expect(await page.getByTestId('check-verdict').getByRole('textbox').count()).toBe(0);
    expect(await verdictOf(page, overridden).getByTestId('check-verdict-value').textContent()).toContain('Overridden');
    expect(await verdictOf(page, overridden).getByTestId('check-verdict-note').textContent()).toBe(`Why: ${OVERRIDE_NOTE}`);
    expect(await verdictOf(page, agreed).getByTestId('check-verdict-value').textContent()).toContain('Agreed with Yoti');
    // Each card says the verdict next to Yoti's result too, in words.
    expect(await page.getByTestId('check').first().getByTestId('check-your-verdict').textContent()).toBe('⚑ You override');
    expect(await page.getByTestId('final-verdicts').textContent()).toContain(OVERRIDE_NOTE);
    await screenshot(page, '35-verdicts-read-only');

    // The record facts.
    const record = page.getByTestId('review-record');
    const state = await h.bridge.handlers.getAppState({}, { senderId: 0 });
    const osAccount = state.ok ? state.value.osAccount : 'unknown';
    expect(review.reviewer).toEqual({ name: 'Riley Reviewer', osAccount });
    expect(await record.getByTestId('record-reviewer').textContent()).toBe(`Riley Reviewer, OS account ${osAccount}`);
    expect(await record.getByTestId('record-first-opened').textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(await record.getByTestId('record-decided').textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(await record.getByTestId('record-decided').locator('time').getAttribute('datetime')).toBe(review.decidedAt);
    // Elapsed time runs from the first opening to the confirmation (the store rounds to seconds); the
    // active time the page measured comes with the decision and never exceeds it.
    expect(review.timeOnTaskSeconds).toBeGreaterThanOrEqual(1);
    expect(review.activeSeconds).toBeGreaterThanOrEqual(0);
    expect(review.activeSeconds).toBeLessThanOrEqual(review.timeOnTaskSeconds!);
    expect(await record.getByTestId('record-time').textContent()).toMatch(/^\d+ (s|min \d\d s) active, \d+ (s|min \d\d s) elapsed$/);
    // The evidence manifest hash the decision was made on: short, whole on request, and copied whole.
    const hash = review.manifestHash ?? '';
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await record.getByTestId('record-manifest-short').textContent()).toBe(`${hash.slice(0, 12)}…`);
    await record.getByText('Whole hash (SHA-256)').click();
    expect(await record.getByTestId('record-manifest-full').textContent()).toBe(hash);
    await record.getByRole('button', { name: 'Copy hash' }).click();
    await expect.poll(() => record.getByRole('status').textContent()).toBe('Copied the whole hash.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(hash);
    // The whole record in one picture: a taller window for a moment.
    await page.setViewportSize({ width: 1440, height: 1800 });
    await record.scrollIntoViewIfNeeded();
    await page.waitForTimeout(150);
    await record.screenshot({ path: join(SCREENS_DIR, '37-review-record.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    const versions = record.getByTestId('record-version');
    expect(await versions.first().getAttribute('data-status')).toBe('confirmed');
    expect(await versions.first().textContent()).toContain('Confirmed: Reject');
    expect(await versions.first().textContent()).toContain('(the decision in force)');
    expect(await versions.nth(1).getAttribute('data-status')).toBe('draft');
  });

  test('a reload shows the confirmed verdicts read-only; a second confirm without supersede is refused in words', async () => {
    const { page, bridge } = h;
    await page.reload();
    await page.getByRole('heading', { name: 'Evidence' }).waitFor();
    await openFromQueue(page, SESSION);
    await expect.poll(() => page.getByTestId('final-decision').textContent()).toContain('Final decision: Reject');
    await showChecks(page);
    expect(await page.getByTestId('check-verdict').getByRole('radio').count()).toBe(0);
    expect(await verdictOf(page, overridden).getByTestId('check-verdict-note').textContent()).toBe(`Why: ${OVERRIDE_NOTE}`);

    const again = await bridge.handlers.confirmDecision(
      { sessionId: SESSION, decision: 'APPROVE', reasonCodes: [], notes: '', checkVerdicts: [] },
      { senderId: 0 },
    );
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.message).toMatch(/already has a confirmed decision|confirmed/i);
    expect((await reviewOf(SESSION)).decision).toBe('REJECT');
  });

  test('changing the decision makes the verdicts editable again; the earlier decision is listed as superseded', async () => {
    const { page } = h;
    await page.getByRole('button', { name: 'Change decision…' }).click();
    await page.getByTestId('change-decision').getByRole('button', { name: 'Change it' }).click();
    const card = verdictOf(page, overridden);
    await expect.poll(() => card.getByRole('radio', { name: 'Override Yoti' }).isChecked()).toBe(true);
    expect(await card.getByTestId('verdict-note-hint').textContent()).toBe('Recorded when you confirm the new decision.');
    await card.getByRole('radio', { name: 'Agree with Yoti' }).check();
    await page.getByRole('radio', { name: /^Escalate/ }).check();
    // The reasons chosen before stay chosen.
    expect(await page.getByTestId('reasons-chosen').textContent()).toBe('Chosen: Document expired');
    await page.getByRole('button', { name: 'Record decision…' }).click();
    await answerGuardrails(page.getByTestId('confirm-decision'), { changeReason: 'the verdict on the document was wrong' });
    await page.getByTestId('confirm-decision').getByRole('button', { name: 'Confirm: Escalate' }).click();
    await expect.poll(() => page.getByTestId('final-decision').textContent()).toContain('Final decision: Escalate');

    const review = await reviewOf(SESSION);
    expect(review.decision).toBe('ESCALATE');
    expect(review.checkVerdicts.find((v) => v.checkId === overridden)).toEqual({ checkId: overridden, verdict: 'AGREE', note: '' });
    expect(review.history.some((v) => v.status === 'CONFIRMED' && v.decision === 'REJECT')).toBe(true);

    const versions = page.getByTestId('review-record').getByTestId('record-version');
    expect(await versions.first().textContent()).toContain('Confirmed: Escalate');
    const superseded = versions.and(page.locator('[data-status="superseded"]'));
    expect(await superseded.count()).toBe(1);
    expect(await superseded.textContent()).toContain('Confirmed: Reject');
    expect(await superseded.textContent()).toContain('superseded by a later decision');
    await page.getByTestId('review-record').scrollIntoViewIfNeeded();
    await screenshot(page, '36-record-superseded');
    await page.setViewportSize({ width: 1440, height: 1800 });
    await page.getByTestId('review-record').scrollIntoViewIfNeeded();
    await page.waitForTimeout(150);
    await page.getByTestId('review-record').screenshot({ path: join(SCREENS_DIR, '38-review-record-superseded.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    await expect.poll(() => queueRow(page, SESSION).getByTestId('q-decision').textContent()).toContain('Escalate');
  });
});

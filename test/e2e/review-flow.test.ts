import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import type { SessionView, SettingsView } from '../../common/ipc/contract';
import { tlsFixture } from '../unit/yoti/support/fault-server';
import { answerGuardrails, box, expectImagesDecoded, openConsole, openFromQueue, queueRow, screenshot, useConsoleHarness } from './console-harness';

/*
 * The review screens against the real bridge: first run → one-click demo → open a demo session →
 * every image decoded → findings in words → viewer tools → compare → decide → reload → offline copy.
 * One page for the whole file, as a reviewer would use it; each test continues where the last ended.
 */
let tmp: string;
const APPROVED = DEMO_SESSION_IDS.approvedPassport;
const REJECTED = DEMO_SESSION_IDS.rejectedIdCard;
const EDGE = DEMO_SESSION_IDS.edgeCases;

async function viewSettings(): Promise<SettingsView> {
  const r = await h.bridge.handlers.getAppState({}, { senderId: 0 });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.settings;
}

async function viewOf(sessionId: string): Promise<SessionView> {
  const r = await h.bridge.handlers.openSession({ sessionId }, { senderId: 0 });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

// No demo yet and no key: the first-run screen.
const h = useConsoleHarness(() => openConsole({ startDemo: false }));

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'idv-e2e-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('reviewing a demo session', () => {
  test('first run without a key: one click starts the demo and fills the queue, oldest first', async () => {
    const { page } = h;
    await expect.poll(() => page.getByTestId('welcome').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('queue-empty').isVisible()).toBe(true);
    await screenshot(page, '01-first-run');

    // The evidence retention is asked for once; a shorter time than the default needs main's own confirmation.
    const choice = page.getByTestId('retention-choice');
    expect(await choice.textContent()).toContain('Until you choose, 30 days apply.');
    h.bridge.dialogs.nextConfirm = false;
    await choice.getByRole('radio', { name: '7 days' }).check();
    await choice.getByRole('button', { name: 'Keep evidence 7 days' }).click();
    await expect.poll(() => choice.getByRole('alert').textContent()).toBe('Nothing was changed: the change was not confirmed.');
    expect(h.bridge.dialogs.history.at(-1)?.question?.message).toContain('Keep evidence 7 days instead of 30');
    await choice.getByRole('radio', { name: '90 days' }).check();
    await choice.getByRole('button', { name: 'Keep evidence 90 days' }).click();
    await expect.poll(() => choice.count()).toBe(0);
    expect(await viewSettings()).toMatchObject({ retentionDays: 90, retentionChosen: true });

    await page.getByRole('button', { name: 'Try the demo' }).click();
    await expect.poll(() => page.getByTestId('queue-row').count(), { timeout: 20_000 }).toBe(5);
    await expect.poll(() => page.getByTestId('environment').textContent()).toBe('Demo server');
    const order = await page.getByTestId('queue-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-session-id')));
    expect(order).toEqual(Object.values(DEMO_SESSION_IDS).sort());
    // The demo opens the oldest undecided session by itself.
    await expect.poll(() => page.getByTestId('session-id').textContent(), { timeout: 20_000 }).toBe(APPROVED);
  });

  test("the session header shows the integrator's own tracking id", async () => {
    const tracking = (await viewOf(APPROVED)).summary.userTrackingId;
    expect(tracking).toBeTruthy();
    await expect.poll(() => h.page.getByTestId('user-tracking-id').textContent()).toBe(tracking);
  });

  test('every document page, frame, id photo and liveness frame decodes; empty frames read "not captured"', async () => {
    const { page } = h;
    await expect.poll(() => queueRow(page, APPROVED).getByTestId('q-cache').textContent(), { timeout: 20_000 }).toContain('Cached');
    const view = await viewOf(APPROVED);
    // The strip shows each image's thumbnail.
    const expected = view.media.flatMap((m) => (m.thumbnailUrl === undefined ? [] : [m.thumbnailUrl]));
    expect(expected.length).toBeGreaterThanOrEqual(5);
    expect(view.media.some((m) => m.role === 'DOCUMENT_FRAME' && m.url)).toBe(true);

    const shown = await expectImagesDecoded(page.locator('.strip img'), expected.length);
    expect(new Set(shown)).toEqual(new Set(expected));
    await expectImagesDecoded(page.getByTestId('stage').locator('img.stage-img'));

    const empty = view.media.filter((m) => m.role === 'LIVENESS_FRAME' && !m.captured).length;
    expect(empty).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.tile-missing').filter({ hasText: 'Not captured' }).count()).toBe(empty);

    // The page's flip-book steps through its frames (hologram movement), each decoded.
    const first = await page.getByTestId('stage').locator('img.stage-img').getAttribute('src');
    await page.keyboard.press('.');
    await expect.poll(() => page.getByTestId('stage').locator('img.stage-img').getAttribute('src')).not.toBe(first);
    await expectImagesDecoded(page.getByTestId('stage').locator('img.stage-img'));
    await expect.poll(() => page.getByTestId('flip-position').textContent()).toContain('Frame 1');
    await page.keyboard.press(',');

    // What was opened is recorded.
    await expect.poll(() => h.bridge.memory.reviews.viewed.some((v) => v.sessionId === APPROVED)).toBe(true);
    await screenshot(page, '02-session-approved');
  });

  test('the face match shows the AI score against the threshold, and the manual result', async () => {
    const { page } = h;
    await expect.poll(() => page.getByTestId('face-score-value').first().textContent()).toBe('0.93');
    expect(await page.getByTestId('face-threshold-value').first().textContent()).toBe('0.70');
    const face = page.getByTestId('face-score').first();
    expect(await face.getByRole('img').getAttribute('aria-label')).toBe('Confidence 0.93 is above the threshold 0.70');
    expect(await page.locator('.face-card').first().textContent()).toContain('Manual result✓Pass');
  });

  test('the facemap link saves the binary through the native dialog, with its size and SHA-256', async () => {
    const { page, bridge } = h;
    const view = await viewOf(APPROVED);
    const facemap = view.media.find((m) => m.role === 'FACEMAP' && m.stored)!;
    expect(facemap.url).toBeUndefined(); // binaries never reach the page as URLs

    await page.getByTestId('evidence-tile').filter({ hasText: 'Facemap' }).click();
    const card = page.getByTestId('file-card');
    await expect.poll(() => card.getByTestId('file-sha256').textContent()).toBe(facemap.stored!.sha256);
    expect(await card.getByTestId('file-size').textContent()).toMatch(/KB|B$/);
    await screenshot(page, '03-facemap');

    const target = join(tmp, 'facemap.bin');
    bridge.dialogs.nextSavePath = target;
    await card.getByRole('button', { name: 'Save facemap to a file…' }).click();
    await expect.poll(() => card.getByTestId('file-save-status').textContent()).toContain('matches the stored copy');
    const saved = await readFile(target);
    const sha = createHash('sha256').update(saved).digest('hex');
    expect(sha).toBe(facemap.stored!.sha256);
    expect(saved.length).toBe(facemap.stored!.size);
    expect(await card.getByTestId('file-save-status').textContent()).toContain(sha);
    expect(bridge.dialogs.history.at(-1)).toMatchObject({ kind: 'saveFile', answer: target });
  });

  test('zoom (keys and wheel), rotate, flip and filters change the image', async () => {
    const { page, bridge } = h;
    await page.getByTestId('evidence-tile').filter({ hasText: 'Page 1' }).click();
    const img = page.getByTestId('stage').locator('img.stage-img');
    await expectImagesDecoded(img);
    // Start from "fit" once the stage has laid out, so the reference size is the fitted one.
    await page.keyboard.press('0');
    let previous = -1;
    await expect.poll(async () => {
      const w = Math.round((await box(img)).width);
      const stable = w === previous;
      previous = w;
      return stable;
    }).toBe(true);
    const before = await box(img);
    const readout = await page.getByTestId('zoom-readout').textContent();

    await page.keyboard.press('+');
    await expect.poll(async () => (await box(img)).width).toBeGreaterThan(before.width * 1.2);
    expect(await page.getByTestId('zoom-readout').textContent()).not.toBe(readout);

    await page.getByTestId('stage').hover();
    const zoomed = await box(img);
    await page.mouse.wheel(0, -300);
    await expect.poll(async () => (await box(img)).width).toBeGreaterThan(zoomed.width * 1.1);

    await page.keyboard.press('0'); // fit
    await expect.poll(async () => Math.round((await box(img)).width)).toBe(Math.round(before.width));

    const landscape = await box(img);
    expect(landscape.width).toBeGreaterThan(landscape.height);
    await page.keyboard.press('r');
    await expect.poll(async () => {
      const b = await box(img);
      return b.height > b.width;
    }).toBe(true);
    expect(await img.evaluate((el) => getComputedStyle(el).transform)).not.toBe('none');

    await page.keyboard.press('h');
    await page.keyboard.press('b');
    await page.keyboard.press('i');
    const filter = await img.evaluate((el) => getComputedStyle(el).filter);
    expect(filter).toContain('invert(1)');
    expect(filter).toMatch(/brightness\(1\.1\)/);
    // The sliders show their values.
    expect(await page.getByTestId('brightness-value').textContent()).toBe('110%');
    expect(await page.getByTestId('contrast-value').textContent()).toBe('100%');
    await screenshot(page, '04-viewer-tools');

    await page.keyboard.press('e'); // reset
    await expect.poll(() => img.evaluate((el) => getComputedStyle(el).filter)).toContain('invert(0)');

    const tools = bridge.memory.reviews.viewed.filter((v) => v.sessionId === APPROVED).map((v) => v.tools);
    expect(tools).toContainEqual({ zoom: true });
    expect(tools).toContainEqual({ rotate: true });
    expect(tools).toContainEqual({ filters: true });
  });

  test('the compare view puts the document portrait beside a liveness frame, with zoom and pan linked', async () => {
    const { page, bridge } = h;
    await page.keyboard.press('c');
    const left = page.getByTestId('compare-left').locator('img.stage-img');
    const right = page.getByTestId('compare-right').locator('img.stage-img');
    await expectImagesDecoded(left);
    await expectImagesDecoded(right);
    const l0 = await box(left);
    const r0 = await box(right);
    // The two stages start on the same line.
    expect((await box(page.getByTestId('compare-left'))).y).toBeCloseTo((await box(page.getByTestId('compare-right'))).y, 0);

    await page.getByTestId('compare-left').hover();
    await page.mouse.wheel(0, -400);
    await expect.poll(async () => (await box(left)).width).toBeGreaterThan(l0.width * 1.3);
    const l1 = await box(left);
    const r1 = await box(right);
    expect(r1.width / r0.width).toBeCloseTo(l1.width / l0.width, 2);

    // Dragging one side pans both.
    const stage = await box(page.getByTestId('compare-right'));
    await page.mouse.move(stage.x + stage.width / 2, stage.y + stage.height / 2);
    await page.mouse.down();
    await page.mouse.move(stage.x + stage.width / 2 + 60, stage.y + stage.height / 2 + 30, { steps: 4 });
    await page.mouse.up();
    const l2 = await box(left);
    const r2 = await box(right);
    expect(l2.x - l1.x).toBeCloseTo(60, 0);
    expect(r2.x - r1.x).toBeCloseTo(60, 0);
    expect(await page.getByTestId('compare-view').textContent()).toContain('AI face-match confidence 0.93 against the threshold 0.70');
    await screenshot(page, '05-compare');

    const compared = bridge.memory.reviews.viewed.filter((v) => v.tools.compare === true).map((v) => v.mediaId);
    expect(compared.length).toBeGreaterThanOrEqual(2);
    // The liveness frames play as a sequence, like a document's frames.
    const picker = page.getByTestId('compare-view').locator('figure').nth(1).locator('select');
    const first = await picker.inputValue();
    await page.getByTestId('compare-right-play').click();
    await expect.poll(() => picker.inputValue(), { timeout: 5_000 }).not.toBe(first);
    await page.getByTestId('compare-right-play').click();
    await page.keyboard.press('c');
  });

  test('warnings come first and every reason reads in words, with the code beside it', async () => {
    const { page } = h;
    await openFromQueue(page, REJECTED);
    const warnings = page.getByTestId('warnings');
    await expect.poll(() => warnings.textContent()).toContain('The document has expired');
    const text = (await warnings.textContent()) ?? '';
    expect(text).toContain('Different person is detected from ID.');
    expect(text).toContain('The photo is blurry');
    // one warning per finding: the face match's score is a detail under it, not a line of its own
    expect(text).toContain('AI confidence score 0.41, not above the threshold 0.70');
    const items = warnings.locator(':scope > li');
    expect(await items.first().getAttribute('data-severity')).toBe('critical');
    expect(await items.first().textContent()).toMatch(/^⚠Critical: /);
    await expect.poll(() => page.getByTestId('face-score-value').first().textContent()).toBe('0.41');
    await screenshot(page, '06-session-rejected');

    await page.getByRole('tab', { name: /Checks/ }).click();
    const checks = page.getByTestId('check');
    // Checks with warnings are listed first.
    expect(await checks.first().textContent()).toContain('⚠');
    const reasons = await page.getByTestId('check-reason').allTextContents();
    expect(reasons).toContain('The document has expired EXPIRED_DOCUMENT');
    expect(reasons.join('\n')).toContain('Different person is detected from ID.');
    expect(await page.locator('.subchecks').first().textContent()).toContain('Document is in date (not expired)');
    await screenshot(page, '07-checks');

    await page.getByRole('tab', { name: /Document/ }).click();
    await expect.poll(() => page.getByTestId('doc-facts').textContent()).toMatch(/Expired \d+ days ago/);
    const mrz = (await page.getByTestId('mrz-checks').textContent()) ?? '';
    for (const name of ['Document number', 'Date of birth', 'Expiry date', 'Composite (whole line)']) expect(mrz).toContain(name);
    expect(await page.getByTestId('mrz-valid').textContent()).toContain('Every check digit verified here');
    const viz = (await page.getByTestId('viz-mrz').textContent()) ?? '';
    expect(viz).toContain('SurnameErikssonERIKSSON');
    expect(viz).not.toContain('Failed');
    await screenshot(page, '08-document-mrz');

    // The reviewer's own reasons read in words too.
    const labels = await page.locator('.reason .reason-text').allTextContents();
    expect(labels.length).toBeGreaterThan(3);
    expect(labels.every((l) => /\s/.test(l))).toBe(true);
    await page.getByRole('tab', { name: /Summary/ }).click();
  });

  test('a decision needs a reason, asks to confirm, and survives a reload', async () => {
    const { page } = h;
    await page.getByRole('radio', { name: /^Reject/ }).check();
    await page.getByRole('button', { name: 'Record decision…' }).click();
    await expect.poll(() => page.getByTestId('reasons-chosen').textContent()).toBe('Choose at least one reason for this decision.');

    // One code per meaning, the session's own findings first, short labels with the full text on request.
    const firstGroup = page.locator('.reason-list > [role="group"]').first();
    expect(await firstGroup.getAttribute('aria-label')).toBe("Suggested by this session's findings");
    const suggested = await firstGroup.locator('.reason-text').allTextContents();
    expect(suggested[0]).toBe('Document expired');
    expect(suggested).toContain('Face does not match');
    expect(await page.locator('.reason-list code', { hasText: /^EXPIRED_DOCUMENT$/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'Full descriptions' }).click();
    expect(await firstGroup.locator('.reason-full').first().textContent()).toBe('The document has expired');
    await screenshot(page, '08b-reasons-suggested');
    await page.getByRole('button', { name: 'Short labels' }).click();
    await page.getByRole('checkbox', { name: /Document expired DOCUMENT_EXPIRED/ }).check();
    await page.getByRole('textbox', { name: 'Notes' }).fill('Card expired in 2012; face does not match the liveness frames.');
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 5_000 }).toMatch(/^Saved \d\d:\d\d$/);

    await page.getByRole('button', { name: 'Record decision…' }).click();
    const dialog = page.getByTestId('confirm-decision');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain('Reasons: The document has expired');
    expect(await dialog.getByTestId('confirm-yoti').textContent()).toMatch(/^Yoti's result: Reject/);
    // No name yet: the confirm step asks for it (and keeps it in Settings); Confirm waits for it.
    expect(await dialog.getByRole('button', { name: 'Confirm: Reject' }).isDisabled()).toBe(true);
    const asked = await answerGuardrails(dialog, { name: 'Erin Reviewer' });
    expect(asked).toContain('REVIEWER_NAME');
    await screenshot(page, '09-confirm-decision');
    await dialog.getByRole('button', { name: 'Confirm: Reject' }).click();
    await expect.poll(() => page.getByTestId('final-decision').isVisible()).toBe(true);
    await expect.poll(() => queueRow(page, REJECTED).getByTestId('q-decision').textContent()).toContain('Reject');
    await screenshot(page, '10-decision-final');

    await page.reload();
    await page.getByRole('heading', { name: 'Evidence' }).waitFor();
    await openFromQueue(page, REJECTED);
    const final = page.getByTestId('final-decision');
    await expect.poll(() => final.textContent()).toContain('Final decision: Reject');
    expect(await page.getByTestId('final-reasons').textContent()).toBe('The document has expired');
    expect(await final.textContent()).toContain('Card expired in 2012');
  });

  test('changing a final decision asks first, then supersedes it', async () => {
    const { page, bridge } = h;
    await page.getByRole('button', { name: 'Change decision…' }).click();
    const ask = page.getByTestId('change-decision');
    await expect.poll(() => ask.textContent()).toContain('supersedes it');
    await ask.getByRole('button', { name: 'Change it' }).click();
    await page.getByRole('radio', { name: /^Escalate/ }).check();
    await page.getByRole('checkbox', { name: /Needs a second reviewer NEEDS_SECOND_OPINION/ }).check();
    await page.getByRole('button', { name: 'Record decision…' }).click();
    const dialog = page.getByTestId('confirm-decision');
    // The name is kept from the first decision; the change needs its reason.
    expect(await answerGuardrails(dialog, { changeReason: 'a senior reviewer should see the face match' })).toEqual(
      expect.arrayContaining(['CHANGE_REASON']),
    );
    expect(await dialog.locator('[data-rule="REVIEWER_NAME"]').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Confirm: Escalate' }).click();
    await expect.poll(() => page.getByTestId('final-decision').textContent()).toContain('Final decision: Escalate');
    const stored = bridge.memory.reviews.records.get(REJECTED)!;
    expect(stored.decision).toBe('ESCALATE');
    expect(stored.history.some((v) => v.status === 'CONFIRMED' && v.decision === 'REJECT')).toBe(true);
  });

  test('deleting a media item at Yoti names what will be gone for good, behind a confirm step', async () => {
    const { page, bridge } = h;
    await openFromQueue(page, EDGE);
    await page.getByRole('tab', { name: /History/ }).click();
    const view = await viewOf(EDGE);
    const item = view.media.find((m) => m.url !== undefined && m.mediaId !== undefined && m.role === 'LIVENESS_IMAGE')!;
    await page.getByRole('combobox', { name: 'Media item' }).selectOption(item.mediaId!);
    await page.getByRole('button', { name: 'Delete this item at Yoti…' }).click();
    const dialog = page.getByTestId('delete-dialog');
    expect(await dialog.textContent()).toContain(`${item.label} (media ${item.mediaId})`);
    expect(await dialog.textContent()).toContain('gone for good');
    const remove = dialog.getByRole('button', { name: 'Delete for good' });
    expect(await remove.isDisabled()).toBe(true);
    await screenshot(page, '11-delete-confirm');
    await dialog.getByRole('checkbox').check();
    bridge.dialogs.nextConfirm = true; // main's own native confirmation
    await remove.click();
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 15_000 }).toContain(`Media item ${item.mediaId} was deleted at Yoti`);
    const after = await viewOf(EDGE);
    expect(after.media.find((m) => m.mediaId === item.mediaId)?.stored).toBeUndefined();
    // The whole session can be deleted only once COMPLETED: the ongoing one says so.
    await openFromQueue(page, DEMO_SESSION_IDS.ongoing);
    await page.getByRole('tab', { name: /History/ }).click();
    expect(await page.getByRole('button', { name: 'Delete the whole session at Yoti…' }).isDisabled()).toBe(true);
    await page.getByRole('tab', { name: /Summary/ }).click();
    await expect.poll(() => page.getByTestId('session-state').textContent()).toContain('Ongoing');
    expect(await page.getByTestId('token-left').textContent()).toMatch(/left|Expired|Not given/);
  });

  test('a decided session deleted at Yoti keeps its record: the row stays, the record opens in place of the evidence, and goes only after main asks', async () => {
    const { page, bridge } = h;
    await openFromQueue(page, REJECTED);
    await page.getByRole('tab', { name: /History/ }).click();
    await page.getByRole('button', { name: 'Delete the whole session at Yoti…' }).click();
    const dialog = page.getByTestId('delete-dialog');
    await dialog.getByRole('checkbox').check();
    bridge.dialogs.nextConfirm = true;
    await dialog.getByRole('button', { name: 'Delete for good' }).click();
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 15_000 }).toContain(`Session ${REJECTED} was deleted at Yoti and here.`);

    const gone = page.getByTestId('deleted-evidence');
    await expect.poll(() => gone.getByTestId('deletion-words').textContent()).toMatch(/^Evidence deleted at Yoti \(and on this computer\) on .*\(audit entry #\d+\)\.$/);
    const items = gone.getByTestId('deleted-item');
    expect(await items.count()).toBeGreaterThan(3);
    expect(await items.first().textContent()).toMatch(/Session JSON.*[0-9a-f]{64}.*Deleted on/);
    expect(await page.getByTestId('record-evidence').textContent()).toContain('Deleted at Yoti');
    expect(await page.getByTestId('review-record').textContent()).toContain('Confirmed: Escalate');
    const row = page.locator(`[data-testid="queue-row"][data-session-id="${REJECTED}"]`);
    expect(await row.getByTestId('q-cache').textContent()).toMatch(/Evidence deleted, record kept \(/);
    await screenshot(page, '11b-record-kept');

    bridge.dialogs.nextConfirm = false;
    await page.getByTestId('delete-record').click();
    await expect.poll(() => page.getByTestId('status').textContent()).toContain('Nothing was deleted.');
    expect(bridge.dialogs.history.at(-1)?.question?.message).toBe(`Delete the review record of session ${REJECTED} from this computer?`);
    expect(await row.count()).toBe(1);
    bridge.dialogs.nextConfirm = true;
    await page.getByTestId('delete-record').click();
    await expect.poll(() => page.getByTestId('status').textContent()).toContain(`The review record of session ${REJECTED} was deleted`);
    await expect.poll(() => row.count()).toBe(0);
    expect(await page.getByTestId('deleted-evidence').count()).toBe(0);
  });

  test('a cached session opens with the demo server stopped; one never fetched says why in words', async () => {
    const { page, bridge } = h;
    await bridge.stopDemoServer();
    await page.reload();
    await page.getByRole('heading', { name: 'Evidence' }).waitFor();
    await openFromQueue(page, APPROVED);
    await expectImagesDecoded(page.locator('.strip img'), 5);
    await expectImagesDecoded(page.getByTestId('stage').locator('img.stage-img'));
    await screenshot(page, '12-offline-cached');

    // Every queued session was fetched in the background while the server ran: one queued now was not.
    const never = 'de3c0a11-5e55-4a0d-8e11-00000000abcd';
    expect((await bridge.handlers.addSessions({ text: never }, { senderId: 0 })).ok).toBe(true);
    await page.reload();
    await page.getByRole('heading', { name: 'Evidence' }).waitFor();
    await queueRow(page, never).click();
    const error = page.locator('.error-card');
    await expect.poll(() => error.isVisible(), { timeout: 30_000 }).toBe(true);
    const words = (await error.textContent()) ?? '';
    // Requests may not go to a server main no longer runs: the app is offline, and says so rather than trying.
    expect(words).toContain("This session has not been downloaded yet. Needs Yoti's API, and the app is offline: nothing is sent to 127.0.0.1:");
    expect(words).not.toMatch(/Error:|at \w+ \(/); // no stack, no bare code
  });

  test('settings, shortcuts and the offline indicator', async () => {
    const { page, bridge } = h;
    await openFromQueue(page, APPROVED);
    await expect.poll(() => page.getByTestId('face-threshold-value').first().textContent()).toBe('0.70');
    await page.keyboard.press('?');
    const shortcuts = page.getByTestId('shortcuts');
    await expect.poll(() => shortcuts.isVisible()).toBe(true);
    expect(await shortcuts.textContent()).toContain('Open the next undecided session');
    await screenshot(page, '13-shortcuts');
    await page.keyboard.press('Escape');
    await expect.poll(() => shortcuts.count()).toBe(0);

    bridge.emit('menu-command', { command: 'open-settings' });
    const settings = page.getByTestId('settings');
    await expect.poll(() => settings.isVisible()).toBe(true);
    // The PEM is chosen in main's file dialog and goes to the OS keychain; the page only sees its fingerprint.
    await settings.getByRole('textbox', { name: 'SDK ID' }).fill('e2e-sdk-1234');
    bridge.dialogs.nextOpenFile = join(process.cwd(), 'test', 'fixtures', 'keys', 'yoti-docs-test-vector.pem');
    await settings.getByRole('button', { name: 'Import PEM file…' }).click();
    await expect.poll(() => settings.getByRole('status').textContent()).toMatch(/^Key for SDK ID e2e-sdk-1234 imported \(RSA \d+ bits, fingerprint /);
    expect(await settings.textContent()).not.toContain('PRIVATE KEY');
    // A second application's key: the reviewer chooses which one fetches.
    expect(await settings.getByTestId('key-choice').count()).toBe(0);
    await settings.getByRole('textbox', { name: 'SDK ID' }).fill('e2e-sdk-5678');
    bridge.dialogs.nextOpenFile = join(process.cwd(), 'test', 'fixtures', 'keys', 'yoti-docs-test-vector.pem');
    await settings.getByRole('button', { name: 'Import PEM file…' }).click();
    const choice = settings.getByTestId('key-choice');
    await expect.poll(() => choice.isVisible()).toBe(true);
    expect(await choice.textContent()).toContain('Several keys are stored: choose the one');
    await choice.getByRole('radio', { name: 'e2e-sdk-5678' }).check();
    await expect.poll(() => settings.getByRole('status').textContent()).toBe('Sessions are fetched with the key of SDK ID e2e-sdk-5678.');
    expect(await choice.getByRole('radio', { name: 'e2e-sdk-5678' }).isChecked()).toBe(true);
    expect(await choice.textContent()).not.toContain('Several keys are stored');
    // A corporate CA bundle: picked in main's dialog, trusted after main's own confirmation; the page sees its file name.
    const caFile = join(tmp, 'corporate-ca.pem');
    await writeFile(caFile, tlsFixture.cert);
    bridge.dialogs.nextOpenFile = caFile;
    bridge.dialogs.nextConfirm = true;
    await settings.getByRole('button', { name: 'Trust a corporate CA bundle…' }).click();
    await expect.poll(() => settings.getByRole('status').textContent()).toMatch(/^Trusting 1 more certificate authority \(file SHA-256 [0-9a-f]{64}\)\.$/);
    expect(await settings.getByTestId('extra-ca').textContent()).toBe("Certificate authorities: Node's bundled ones, and your organisation's from corporate-ca.pem.");
    await settings.getByRole('button', { name: 'Stop trusting it' }).click();
    await expect.poll(() => settings.getByTestId('extra-ca').textContent()).toBe("Certificate authorities: Node's bundled ones only.");
    await settings.getByRole('textbox', { name: /Your name/ }).fill('Riley Reviewer');
    await settings.getByRole('textbox', { name: /Your role/ }).fill('Senior reviewer, KYC');
    expect(await settings.getByRole('textbox', { name: /This workstation/ }).getAttribute('placeholder')).toBe(hostname());
    await settings.getByRole('spinbutton', { name: /Face-match threshold/ }).fill('0.95');
    await screenshot(page, '14-settings');
    // Moving the threshold is confirmed by main's own dialog (the page cannot confirm for itself).
    bridge.dialogs.nextConfirm = true;
    await settings.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => settings.count()).toBe(0);
    expect(bridge.dialogs.history.at(-1)?.question?.message).toBe('Set the face-match threshold to 0.95 instead of 0.70?');
    await expect.poll(() => page.locator('.reviewer').textContent()).toBe('Reviewer: Riley Reviewer');
    const state = await bridge.handlers.getAppState({}, { senderId: 0 });
    expect(state.ok && state.value.keys.map((k) => k.sdkId).sort()).toEqual(['e2e-sdk-1234', 'e2e-sdk-5678']);
    expect(state.ok && state.value.settings.sdkId).toBe('e2e-sdk-5678');
    expect(state.ok && state.value.settings.reviewerRole).toBe('Senior reviewer, KYC');
    // The open session is re-read with the new threshold.
    await expect.poll(() => page.getByTestId('face-threshold-value').first().textContent()).toBe('0.95');

    // The demo server again (stopped above): online is what the API answers.
    expect((await bridge.handlers.startDemo({}, { senderId: 0 })).ok).toBe(true);
    await expect.poll(() => page.getByTestId('online').textContent()).toBe('● Online');
    bridge.setOnline(false); // the computer loses its network
    await expect.poll(() => page.getByTestId('online').textContent()).toBe('○ Offline — this computer is not connected to any network; showing cached copies');
    await screenshot(page, '15-offline-indicator');
    bridge.setOnline(true);
    await expect.poll(() => page.getByTestId('online').textContent()).toBe('● Online');
  });

  test('the page requested nothing but the renderer and its media URLs', () => {
    const foreign = h.requests.filter((u) => !u.startsWith(`${h.bridge.origin}/`) && !u.startsWith('data:'));
    expect(foreign).toEqual([]);
  });
});

import { describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import { expectImagesDecoded, openConsoleWithQueue, openFromQueue, screenshot, useConsoleHarness } from './console-harness';

/*
 * Everything Yoti sends, on the surface it belongs to: the session's derived created and completed
 * times in its header, how and when the image on the stage was captured, each check's times and Yoti's
 * tasks on the Checks tab, and the stored JSON itself, read-only, masked until asked.
 */
const { approvedPassport: APPROVED, edgeCases: NO_ID_PHOTO } = DEMO_SESSION_IDS;

const h = useConsoleHarness(() => openConsoleWithQueue([APPROVED, NO_ID_PHOTO]));

describe("Yoti's data in the app", () => {
  test('the header says when the session was created and completed, marked as derived', async () => {
    const { page } = h;
    await openFromQueue(page, APPROVED);
    expect(await page.getByTestId('session-created').textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d \(derived\)$/);
    expect(await page.getByTestId('session-completed').textContent()).toMatch(/\(derived\)$/);
    expect(await page.getByTestId('session-created').getAttribute('title')).toContain('has no creation time');
  });

  test('the stage says how the image was captured and when Yoti created it', async () => {
    const facts = h.page.getByTestId('stage-facts');
    await expect.poll(() => facts.textContent()).toMatch(/^Captured live with the camera · Created at Yoti \d{4}-\d\d-\d\d \d\d:\d\d$/);
  });

  test("the Checks tab gives each check's times at Yoti and lists Yoti's tasks", async () => {
    const { page } = h;
    await page.getByRole('tab', { name: /^Checks/ }).click();
    expect(await page.getByTestId('check-times').first().textContent()).toMatch(/^created \d{4}-\d\d-\d\d \d\d:\d\d/);
    const tasks = page.getByTestId('tasks');
    expect(await tasks.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await tasks.locator('tbody tr').first().textContent()).toMatch(/Document 1.*Text extraction.*DONE/i);
    await tasks.scrollIntoViewIfNeeded();
    await screenshot(page, '60-checks-times-and-tasks');
  });

  test('the findings pane prints no text under 12 px, on any tab', async () => {
    const { page } = h;
    const small: string[] = [];
    for (const tab of [/^Summary/, /^Checks/, /^Document/, /^History/, /^JSON/]) {
      await page.getByRole('tab', { name: tab }).click();
      small.push(
        ...(await page.evaluate(() => {
          const out: string[] = [];
          const pane = document.querySelector('[data-pane="findings"]');
          const walker = document.createTreeWalker(pane ?? document.body, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n !== null; n = walker.nextNode()) {
            const el = n.parentElement;
            if (el === null || (n.textContent ?? '').trim() === '' || el.closest('.visually-hidden,[aria-hidden="true"]') !== null) continue;
            const size = parseFloat(getComputedStyle(el).fontSize);
            if (size < 12) out.push(`${el.tagName.toLowerCase()}.${el.className} ${size}px: ${(n.textContent ?? '').trim().slice(0, 30)}`);
          }
          return out;
        })),
      );
    }
    expect([...new Set(small)]).toEqual([]);
  });

  test("the JSON tab shows Yoti's stored JSON, read-only; personal values only when asked", async () => {
    const { page } = h;
    await page.getByRole('tab', { name: 'JSON' }).click();
    const json = page.getByTestId('session-json');
    await expect.poll(() => json.textContent()).toContain(`"session_id": "${APPROVED}"`);
    expect(await page.getByTestId('json-facts').textContent()).toMatch(/^As Yoti sent it, fetched .*SHA-256 [0-9a-f]{64}\. (No personal value was found to mask\.|\d+ personal values? (is|are) masked\.)$/);
    await screenshot(page, '61-yoti-json-masked');
    await page.getByRole('button', { name: 'Show personal values' }).click();
    await expect.poll(() => page.getByTestId('json-facts').textContent()).toContain('Personal values are shown.');
    expect(await page.getByRole('button', { name: 'Mask personal values' }).getAttribute('aria-pressed')).toBe('true');
    expect(JSON.parse((await json.textContent()) ?? '')).toMatchObject({ session_id: APPROVED, state: 'COMPLETED' });
  });

  test('the compare view of a session without an ID photo says it is missing, and offers no page in its place', async () => {
    const { page } = h;
    await openFromQueue(page, NO_ID_PHOTO);
    await page.keyboard.press('c');
    await expect.poll(() => page.getByTestId('compare-left-missing').textContent()).toContain('No ID photo in this session');
    expect(await page.getByTestId('compare-left').count()).toBe(0);
    await expectImagesDecoded(page.getByTestId('compare-right').locator('img.stage-img'));
    await screenshot(page, '62-compare-no-id-photo');
    await page.keyboard.press('c');
  });

  test("the Document tab lists every extracted field in words: Yoti's structured postal address as its lines, not JSON", async () => {
    const { page } = h;
    await openFromQueue(page, NO_ID_PHOTO);
    await page.getByRole('tab', { name: /^Document/ }).click();
    const bill = page.getByRole('region', { name: /^Supplementary document 1 — / });
    const fields = bill.getByTestId('doc-fields');
    await expect.poll(() => fields.textContent()).toContain('Structured postal address');
    const address = fields.locator('.fact-row', { has: page.locator('dt', { hasText: /^Structured postal address$/ }) }).locator('dd');
    // innerText is the text as laid out: each part of the address on a line of its own.
    expect(await address.innerText()).toBe('Address format: 1\nBuilding number: 1\nAddress line1: 1 SPECIMEN STREET\nTown city: UTOPIA CITY\nCountry iso: UTO');
    expect(await fields.textContent()).not.toMatch(/[{}"]|address_line1/);
    // The licence's fields are its text data check's, which replaced the document's own.
    const licence = page.getByRole('region', { name: /^Document 1 — / });
    expect(await licence.textContent()).toContain("From Yoti's text data check (these replace the document's own fields).");
    expect(await licence.getByTestId('doc-fields').textContent()).toContain('Given namesROBIN ALEX');
    await bill.scrollIntoViewIfNeeded();
    await screenshot(page, '63-document-fields-address');
  });
});

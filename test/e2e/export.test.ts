import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import type { Api, AuditVerifyResult, Result } from '../../common/ipc/contract';
import { normalise, pdfText } from '../unit/report/poppler';
import { answerGuardrails, openConsoleWithQueue, openFromQueue, useConsoleHarness } from './console-harness';

/*
 * The review record PDF through the UI, over the real handler table, ports and keychain: open a demo
 * session, record a decision with a reason, export the PDF (full and redacted) through the save
 * dialog, read it back with pdftotext, and check that the audit log records each export's SHA-256
 * and still verifies.
 */
type ApiWindow = Window & { api: Api };
const SESSION = DEMO_SESSION_IDS.rejectedIdCard;
const NOTES = 'Card expired in 2012; the face in the liveness frames is another person.';
let tmp: string;

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The first document's number, as the review screen shows it. */
async function documentNumber(): Promise<string> {
  const view = await h.bridge.handlers.openSession({ sessionId: SESSION }, { senderId: 0 });
  const number = view.ok ? view.value.documents[0]?.fields?.document_number : undefined;
  if (typeof number !== 'string' || number.length < 5) throw new Error('no document number');
  return number;
}

/** Clicks an export link, answers the save dialog with `file`, and waits until the page says it is saved. */
async function exportThroughUi(link: 'Export PDF report…' | 'Export redacted PDF…', file: string): Promise<string> {
  const { page, bridge } = h;
  bridge.dialogs.nextSavePath = file;
  await page.getByRole('button', { name: link }).click();
  // The page says so once the file is written, naming the SHA-256 of what was written.
  await expect
    .poll(async () => existsSync(file) && ((await page.getByTestId('status').textContent()) ?? '').includes(`SHA-256 ${sha256(file)}`), { timeout: 30_000 })
    .toBe(true);
  return (await page.getByTestId('status').textContent()) ?? '';
}

const h = useConsoleHarness(() => openConsoleWithQueue([SESSION]));

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'idv-e2e-export-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('exporting the review record', () => {
  test('a decision recorded in the UI with a reason and notes', async () => {
    const { page } = h;
    await openFromQueue(page, SESSION);
    await page.getByRole('radio', { name: /^Reject/ }).check();
    await page.getByRole('checkbox', { name: /Document expired DOCUMENT_EXPIRED/ }).check();
    await page.getByRole('textbox', { name: 'Notes' }).fill(NOTES);
    await page.getByRole('button', { name: 'Record decision…' }).click();
    await answerGuardrails(page.getByTestId('confirm-decision'));
    await page.getByTestId('confirm-decision').getByRole('button', { name: 'Confirm: Reject' }).click();
    await expect.poll(() => page.getByTestId('final-decision').textContent(), { timeout: 15_000 }).toContain('Final decision: Reject');
  });

  test('Export PDF report… writes the PDF through the save dialog; it reads back with the decision, reason and notes', async () => {
    const file = join(tmp, 'record.pdf');
    const status = await exportThroughUi('Export PDF report…', file);
    expect(status).toMatch(/Report saved: \d+ pages, SHA-256/); // not a draft
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(h.bridge.dialogs.history.at(-1)).toMatchObject({ kind: 'saveFile', suggestedName: `review-${SESSION}.pdf`, answer: file });

    const text = normalise(pdfText(file));
    expect(text).toContain(SESSION);
    expect(text).toContain('Confirmed decision: Reject');
    expect(text).toContain('The document has expired');
    expect(text).toContain(NOTES);
    expect(text).toContain(await documentNumber());
    expect(text).not.toContain('DRAFT: no confirmed decision');
  });

  test('Export redacted PDF… masks the document number', async () => {
    const file = join(tmp, 'redacted.pdf');
    await exportThroughUi('Export redacted PDF…', file);
    const text = pdfText(file);
    expect(text.replace(/\s+/g, '')).not.toContain(await documentNumber());
    expect(normalise(text)).toContain('masked in this export');
  });

  test('each export is in the audit log with its SHA-256, and Audit verify is ok', async () => {
    const entries = (await (await h.bridge.services.offline()).audit.entries({ sessionId: SESSION })).filter((e) => e.type === 'report.exported');
    expect(entries.map((e) => [e.data.sha256, e.data.redact, e.data.draft])).toEqual([
      [sha256(join(tmp, 'record.pdf')), 'none', false],
      [sha256(join(tmp, 'redacted.pdf')), 'numbers', false],
    ]);
    const verified = await h.page.evaluate(() => (window as unknown as ApiWindow).api.verifyAudit({}));
    expect(verified).toMatchObject({ ok: true, value: { ok: true } });
    expect((verified as Extract<Result<AuditVerifyResult>, { ok: true }>).value.entries).toBeGreaterThan(5);
  });
});

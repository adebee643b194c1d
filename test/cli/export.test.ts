import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AuditEntry } from '../../main/core/audit/audit-log';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import { startDemoServer, type DemoServer } from '../../main/core/demo-server/server';
import { normalise, pdfPages, pdfText } from '../unit/report/poppler';
import { runCli, tempHome, type CliRun } from './support';

// `idv-review export` as a person runs it: the built command, the real keychain (this project runs in
// the test command's D-Bus session with an unlocked gnome-keyring), sessions from our local server.
const SDK_ID = `e4e4e4e4-0000-4000-8000-${Date.now().toString(16).padStart(12, '0').slice(-12)}`;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const DECIDED = DEMO_SESSION_IDS.rejectedIdCard;
const UNDECIDED = DEMO_SESSION_IDS.approvedPassport;
const NOTES = 'Card expired in 2012; the liveness frames show another person.';
let server: DemoServer;
let home: string;

async function cli(args: string[]): Promise<CliRun> {
  return runCli(args, { home });
}
const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The full document number of a session's first document, from what the server serves. */
async function documentNumber(sessionId: string): Promise<string> {
  const shown = JSON.parse((await cli(['show', sessionId, '--json'])).stdout) as { summary: { documents: Array<{ fields?: { mediaId?: string } }> } };
  const mediaId = shown.summary.documents[0]?.fields?.mediaId;
  const served = mediaId === undefined ? undefined : server.getMedia(sessionId, mediaId);
  if (served === undefined || 'noContent' in served) throw new Error('no document fields');
  const fields = JSON.parse(Buffer.from(served.bytes).toString('utf8')) as { document_number: string };
  return fields.document_number;
}

beforeAll(async () => {
  expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through `npm test`, which provides the keychain').toBeTruthy();
  server = await startDemoServer({ apps: [{ sdkId: SDK_ID, publicKey }] });
  home = tempHome();
  const pemFile = join(home, 'key.pem');
  writeFileSync(pemFile, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  expect((await cli(['key', 'import', '--sdk-id', SDK_ID, '--pem', pemFile])).code).toBe(0);
  expect((await cli(['fetch', DECIDED, UNDECIDED, '--api-url', server.baseUrl])).code).toBe(0);
  // The role and workstation of the settings are recorded with the decision and printed on its record.
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ retentionDays: 30, reviewerRole: 'Senior reviewer, KYC', workstation: 'Desk 7, Leeds' }));
  const decided = await cli(['decide', DECIDED, '--decision', 'REJECT', '--reason', 'DOCUMENT_EXPIRED', '--reason', 'FACE_MISMATCH', '--note', NOTES, '--reviewer', 'Rosa Reviewer']);
  expect(decided.code).toBe(0);
});

afterAll(async () => {
  await cli(['key', 'remove', '--sdk-id', SDK_ID]);
  await server?.close();
});

describe('idv-review export', () => {
  test('writes the review record of a decided session (offline), 0600, and says pages and SHA-256', async () => {
    // The demo server is not needed: everything comes from the local store.
    const out = join(home, 'record.pdf');
    const before = server.requests.length;
    const run = await cli(['export', DECIDED, '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(server.requests.length).toBe(before);
    const sha = sha256(out);
    expect(run.stdout).toMatch(new RegExp(`Wrote .*record\\.pdf: \\d+ pages, .*sha256 ${sha}`));
    expect(run.stdout).toContain('Review record of the confirmed decision');
    expect(run.stdout).not.toContain('DRAFT');
    expect(statSync(out).mode & 0o777).toBe(0o600);

    const text = normalise(pdfText(out));
    expect(text).toContain(DECIDED);
    expect(text).toContain('Confirmed decision: Reject');
    expect(text).toContain('The document has expired');
    expect(text).toContain('The face does not match the document photo');
    expect(text).toContain(NOTES);
    expect(text).not.toContain('DRAFT');
    expect(text).toContain(await documentNumber(DECIDED));
    expect(text).toMatch(/Role\s+Senior reviewer, KYC/);
    expect(text).toMatch(/Workstation\s+Desk 7, Leeds/);
    expect(text).toMatch(/Created \(derived\)\s+\d{4}-\d\d-\d\d/);
  });

  test('an existing file is replaced only with --force', async () => {
    const out = join(home, 'record.pdf');
    const refused = await cli(['export', DECIDED, '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already exists; pass --force/);
    const replaced = await cli(['export', DECIDED, '--out', out, '--force']);
    expect(replaced.code).toBe(0);
    expect(replaced.stdout).toContain(sha256(out));
  });

  test('--redact leaves no full document number in the PDF', async () => {
    const out = join(home, 'redacted.pdf');
    const run = await cli(['export', DECIDED, '--out', out, '--redact']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('redacted');
    const text = pdfText(out);
    const number = await documentNumber(DECIDED);
    expect(number.length).toBeGreaterThan(4);
    expect(text).not.toContain(number);
    expect(text.replace(/\s+/g, '')).not.toContain(number);
    expect(normalise(text)).toContain('masked in this export');
  });

  test('an undecided session exports as a DRAFT', async () => {
    const out = join(home, 'draft.pdf');
    const run = await cli(['export', UNDECIDED, '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^DRAFT: the session has no confirmed decision/m);
    expect(pdfText(out)).toContain('DRAFT: no confirmed decision');
  });

  test('each export is in the audit log with the SHA-256 of its file, and the log verifies', async () => {
    const log = JSON.parse((await cli(['audit', 'log', DECIDED, '--json'])).stdout) as AuditEntry[];
    const exported = log.filter((e) => e.type === 'report.exported');
    expect(exported).toHaveLength(3);
    expect(exported.at(-1)?.data).toMatchObject({
      sha256: sha256(join(home, 'redacted.pdf')),
      redact: 'numbers',
      draft: false,
      pages: expect.any(Number),
      commitmentKey: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(exported[1]?.data).toMatchObject({ sha256: sha256(join(home, 'record.pdf')), redact: 'none' });
    expect(exported[1]?.data).not.toHaveProperty('commitmentKey');
    expect(JSON.stringify(exported)).not.toContain(home); // never a path
    const drafts = (JSON.parse((await cli(['audit', 'log', UNDECIDED, '--json'])).stdout) as AuditEntry[]).filter((e) => e.type === 'report.exported');
    expect(drafts.map((e) => e.data)).toEqual([expect.objectContaining({ sha256: sha256(join(home, 'draft.pdf')), draft: true })]);
    const verify = await cli(['audit', 'verify']);
    expect(verify.stdout).toMatch(/^Audit log intact/);
    expect(verify.code).toBe(0);
  });

  test('--redact full scrubs the note of another stored session\'s number and prints no hash the store could be tested against', async () => {
    const other = await documentNumber(UNDECIDED);
    const mine = await documentNumber(DECIDED);
    const noted = await cli(['decide', DECIDED, '--supersede', 'the note names the other passport', '--reviewer', 'Rosa Reviewer', '--decision', 'REJECT', '--reason', 'DOCUMENT_EXPIRED', '--note', `Same person as passport ${other}; card ${mine}.`]);
    expect(noted.code).toBe(0);
    const out = join(home, 'redacted-full.pdf');
    const run = await cli(['export', DECIDED, '--redact', 'full', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('redacted (full)');
    const text = normalise(pdfText(out));
    for (const secret of [other, mine, 'Eriksson']) expect(text).not.toContain(secret);
    expect(text).toMatch(/Masked in free text [1-9]\d* values?/);
    const log = JSON.parse((await cli(['audit', 'log', DECIDED, '--json'])).stdout) as AuditEntry[];
    const key = log.filter((e) => e.type === 'report.exported').at(-1)?.data.commitmentKey as string;
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    // A later export's audit excerpt names this export but never prints its key.
    const later = join(home, 'later.pdf');
    expect((await cli(['export', DECIDED, '--out', later])).code).toBe(0);
    expect(pdfText(later).replace(/\s+/g, '')).not.toContain(key.slice(0, 12));
    expect((await cli(['export', DECIDED, '--redact=everything', '--out', join(home, 'x.pdf')])).stderr).toMatch(/--redact takes "numbers" or "full"/);
  });

  test('a session that is not stored, or a missing --out, is refused in words', async () => {
    const missing = await cli(['export', DEMO_SESSION_IDS.ongoing, '--out', join(home, 'x.pdf')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/not in the local store: fetch it first/);
    expect((await cli(['export', DECIDED])).code).toBe(1);
  });

  test('a decision before Yoti has finished: refused without --before-complete; with it, the reason is in the record and on paper', async () => {
    const ongoing = DEMO_SESSION_IDS.ongoing;
    expect((await cli(['fetch', ongoing, '--api-url', server.baseUrl])).code).toBe(0);
    const decide = ['decide', ongoing, '--decision', 'REJECT', '--reason', 'SUSPECTED_FRAUD', '--reviewer', 'Rosa Reviewer'];
    const refused = await cli(decide);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^idv-review: Not recorded: Yoti has not finished this session \(Yoti is still working: .*\): deciding now needs the reason why \(CLI: --before-complete "why"\)\.\n$/);
    const decided = await cli([...decide, '--before-complete', 'the same card was used in a fraud report today']);
    expect(decided.code).toBe(0);
    expect(decided.stdout).toContain('Why: the same card was used in a fraud report today');
    const out = join(home, 'ongoing.pdf');
    expect((await cli(['export', ongoing, '--out', out])).code).toBe(0);
    const text = normalise(pdfText(out));
    expect(text).toContain('Made from the command line, where viewing is not tracked.');
    expect(text).toMatch(/Decided before Yoti had finished \(Yoti is still working: .*\)\. Why: the same card was used in a fraud report today/);
  });

  test('evidence changed after the decision: refused (exit 3, nothing written) unless --allow-changed-evidence, which says so on page 1', async () => {
    const dir = join(home, 'evidence', DECIDED);
    const media = readdirSync(dir).find((n) => n.startsWith('media-'))!;
    const original = readFileSync(join(dir, media));
    const flipped = Buffer.from(original);
    flipped[flipped.length - 1] = flipped[flipped.length - 1]! ^ 0x01;
    writeFileSync(join(dir, media), flipped);

    const out = join(home, 'changed.pdf');
    const refused = await cli(['export', DECIDED, '--out', out]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^idv-review: Not exported: The local copy of media \S+ of session \S+ is damaged[^]*The confirmed decision was made on evidence manifest sha256:[0-9a-f]{64}\.[^]*--allow-changed-evidence/);
    expect(existsSync(out)).toBe(false);

    const allowed = await cli(['export', DECIDED, '--out', out, '--allow-changed-evidence']);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toMatch(/Exported despite changed evidence \(page 1 says so\)/);
    const firstPage = normalise(pdfPages(out)[0] ?? '');
    expect(firstPage).toMatch(/EVIDENCE CHANGED: .*is damaged.*Exported on purpose despite this\. Decided on evidence manifest: [0-9a-f]{64}\. Stored now: [0-9a-f]{64}\./);
    writeFileSync(join(dir, media), original);
  });

  test('when the audit log cannot record the export, no PDF is left on disk', async () => {
    const path = join(home, 'audit', 'log.jsonl');
    const log = readFileSync(path, 'utf8');
    writeFileSync(path, log.replace(/"at":"(\d{4})/, (_, y: string) => `"at":"${Number(y) - 1}`));
    const out = join(home, 'unrecorded.pdf');
    const run = await cli(['export', DECIDED, '--out', out]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/audit log cannot be trusted/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(home).filter((n) => n.includes('unrecorded'))).toEqual([]);
    writeFileSync(path, log);
  });
});

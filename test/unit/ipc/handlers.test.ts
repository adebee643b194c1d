import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_SDK_ID } from '../../../main/core/demo/demo-key';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import { parsePrivateKeyPem } from '../../../main/core/keys/pem';
import type { AuditEntry } from '../../../main/core/audit/audit-log';
import type { EventName, Events } from '../../../common/ipc/contract';
import { CHANNELS } from '../../../common/ipc/contract';
import { createHandlers } from '../../../main/ipc/handlers';
import { buildEvidence, openingImage, stageUrl } from '../../../common/session/evidence';
import { handlerHarness } from './handler-harness';
import { startServer, tlsFixture } from '../yoti/support/fault-server';

/*
 * The handler table over the real services and ports: a temp data folder, the key vault on an
 * in-memory keychain, the offline store (cache, review records, audit log, retention, seen before),
 * the PDF report, and the Yoti-compatible demo server in this process.
 */
const PRODUCTION = 'https://api.yoti.com/idverify/v1';
const { approvedPassport, rejectedIdCard, ongoing, edgeCases, nonLatin } = DEMO_SESSION_IDS;

const dataDir = mkdtempSync(join(tmpdir(), 'idv-handlers-'));
const files = mkdtempSync(join(tmpdir(), 'idv-handlers-files-'));
// `answers`: every Result any handler returned in this file, for the leak checks at the end.
const { services, handlers, dialogs, emitted, logged, answers, ok, fails } = handlerHarness(dataDir);
const eventsOf = <E extends EventName>(e: E): Array<Events[E]> => emitted.filter((x) => x.event === e).map((x) => x.payload as Events[E]);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
/** The audit log as the offline store reads it back (after checking the whole chain). */
const auditLog = async (): Promise<AuditEntry[]> => (await services.offline()).audit.entries();
const lastOf = async (type: AuditEntry['type']): Promise<AuditEntry | undefined> => (await auditLog()).filter((e) => e.type === type).at(-1);

beforeAll(async () => {
  await ok('startDemo', {});
});

afterAll(async () => {
  if (process.env.DEBUG_LOG) console.log(logged.join("\n"));
  await services.close();
});

describe('the handler table', () => {
  test('has one handler per contract channel', () => {
    expect(Object.keys(handlers).sort()).toEqual([...CHANNELS].sort());
  });

  test('invalid arguments are INVALID_ARGUMENTS (usage), before anything runs', async () => {
    for (const [channel, args] of [
      ['openSession', { sessionId: '../../etc/passwd' }],
      ['openSession', {}],
      ['getAppState', { extra: 1 }],
      ['addSessions', null],
      ['addSessions', { text: 42 }],
      ['fetchSession', { sessionId: approvedPassport, force: 'yes' }],
      ['confirmDecision', { sessionId: approvedPassport, decision: 'MAYBE', reasonCodes: [], notes: '', checkVerdicts: [] }],
      ['updateSettings', { faceMatchThreshold: 2 }],
      ['deleteAtYoti', 'x'],
      ['openRecord', { sessionId: '..' }],
      ['deleteRecord', { sessionId: approvedPassport, also: 'evidence' }],
    ] as const) {
      const error = await fails(channel, args);
      expect(error, `${channel} ${JSON.stringify(args)}`).toMatchObject({ code: 'INVALID_ARGUMENTS', kind: 'usage' });
      expect(error.message).toMatch(/^Invalid arguments: /);
    }
    expect(dialogs.history).toEqual([]);
  });
});

describe('app state, settings and demo', () => {
  test('getAppState while the demo runs', async () => {
    const state = await ok('getAppState', {});
    expect(state.version).toBe('9.9.9-test');
    expect(state.osAccount).toBe('tester');
    // Nothing asked the demo server yet, and nothing watches it here (test/unit/ipc/reachability-state.test.ts does).
    expect(state.reachability).toEqual({ online: false, reason: 'the demo server has not been asked yet' });
    expect(state.demo).toMatchObject({ running: true, sdkId: DEMO_SDK_ID });
    expect(state.settings.environment).toBe('demo');
    expect(state.settings.apiUrl).toBe(state.demo.apiUrl);
    expect(state.settings.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/idverify\/v1$/);
    // The demo key is the demo's, not one of the customer's keys.
    expect(state.keys).toEqual([]);
  });

  test('updateSettings: reviewer name, threshold, retention; an insecure URL is refused in words', async () => {
    // Lowering a retention or moving the threshold is confirmed by main; declined, nothing changes.
    dialogs.nextConfirm = false;
    expect(await fails('updateSettings', { reviewerName: 'Not Saved', retentionDays: 7, recordRetentionDays: 400 })).toMatchObject({ code: 'NOT_CONFIRMED' });
    expect(dialogs.history.at(-1)?.question?.message).toBe(
      'Make these changes?\n• Keep evidence 7 days instead of 30 (the next start deletes evidence past it)\n• Keep review records 400 days instead of 1826 (the next start deletes records past it)',
    );
    expect((await ok('getAppState', {})).settings).toMatchObject({ retentionDays: 30, recordRetentionDays: 1826 });
    expect((await ok('getAppState', {})).settings.reviewerName).toBeUndefined();
    dialogs.nextConfirm = true;
    const view = await ok('updateSettings', { reviewerName: '  Rita Reviewer\u0007 ', faceMatchThreshold: 0.8, retentionDays: 400, recordRetentionDays: 2600 });
    expect(dialogs.history.at(-1)?.question?.message).toBe('Set the face-match threshold to 0.80 instead of 0.70?');
    expect(view).toMatchObject({ reviewerName: 'Rita Reviewer', faceMatchThreshold: 0.8, retentionDays: 400, recordRetentionDays: 2600, environment: 'demo' });
    const insecure = await fails('updateSettings', { apiUrl: 'http://yoti.example.com/idverify/v1' });
    expect(insecure).toMatchObject({ code: 'INSECURE_BASE_URL', kind: 'usage' });
    expect(insecure.message).toMatch(/https/);
    // Recorded by the store opened again with the new reviewer name.
    expect(await lastOf('settings.changed')).toMatchObject({ who: { name: 'Rita Reviewer', osAccount: 'tester' }, data: { fields: 'reviewerName,retentionDays,recordRetentionDays,faceMatchThreshold', faceMatchThresholdFrom: 0.7, faceMatchThresholdTo: 0.8 } });
  });

  test('updateSettings: role and workstation, one printable line each; empty clears them (the host name stands in for the workstation)', async () => {
    const view = await ok('updateSettings', { reviewerRole: ' Senior reviewer\n KYC ', workstation: 'Desk\u00077' });
    expect(view).toMatchObject({ reviewerRole: 'Senior reviewer  KYC', workstation: 'Desk 7', hostName: hostname() });
    expect(await lastOf('settings.changed')).toMatchObject({ data: { fields: 'reviewerRole,workstation' } });
    const cleared = await ok('updateSettings', { reviewerRole: '', workstation: '  ' });
    expect(cleared.reviewerRole).toBeUndefined();
    expect(cleared.workstation).toBeUndefined();
  });
});

describe('the session queue', () => {
  test('addSessions: pasted text with valid, invalid and duplicate ids', async () => {
    const text = `${approvedPassport}, ${rejectedIdCard}\n\t"${ongoing}" please-review ${approvedPassport};not/an/id\n${'x'.repeat(300)}`;
    const result = await ok('addSessions', { text });
    expect(result.added).toEqual([approvedPassport, rejectedIdCard, ongoing]);
    expect(result.duplicates).toEqual([approvedPassport]);
    expect(result.invalid.map((i) => i.value)).toEqual(['please-review', 'not/an/id', `${'x'.repeat(40)}…`]);
    for (const i of result.invalid) expect(i.reason).toMatch(/not a Yoti session id/);

    const again = await ok('addSessions', { text: `${rejectedIdCard} ${edgeCases}` });
    expect(again).toEqual({ added: [edgeCases], duplicates: [rejectedIdCard], invalid: [] });
  });

  test('importSessionsCsvWithDialog: the session id column of a CSV; cancelling adds nothing', async () => {
    const csv = join(files, 'sessions.csv');
    writeFileSync(csv, `\uFEFFCreated,Session ID,State\r\n2025-01-01,"${nonLatin}",COMPLETED\r\n2025-01-02,${edgeCases},COMPLETED\r\n2025-01-03,bogus,ONGOING\r\n`);
    dialogs.nextOpenFile = csv;
    const result = await ok('importSessionsCsvWithDialog', {});
    expect(result).toEqual({ cancelled: false, added: [nonLatin], duplicates: [edgeCases], invalid: [{ value: 'bogus', reason: expect.any(String) }] });
    expect(await ok('importSessionsCsvWithDialog', {})).toEqual({ cancelled: true, added: [], duplicates: [], invalid: [] });
  });

  test('listSessions: oldest first, nothing fetched yet', async () => {
    const rows = await ok('listSessions', {});
    expect(rows.map((r) => r.sessionId)).toEqual([approvedPassport, rejectedIdCard, ongoing, edgeCases, nonLatin]);
    expect(rows.every((r) => r.cache === 'not-fetched' && r.state === undefined)).toBe(true);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.addedAt >= rows[i - 1]!.addedAt).toBe(true);
  });

  test('the queue is encrypted at rest', () => {
    const raw = readFileSync(join(dataDir, 'queue.idvq'));
    expect(raw.toString('latin1')).not.toContain(approvedPassport);
    expect(raw.toString('latin1')).not.toContain('sessionId');
  });
});

describe('fetching and opening a session', () => {
  test('fetchSession stores the session and its media, with progress events', async () => {
    emitted.length = 0;
    const result = await ok('fetchSession', { sessionId: approvedPassport });
    expect(result).toMatchObject({ sessionId: approvedPassport, state: 'COMPLETED', mediaFailed: [] });
    expect(result.mediaTotal).toBeGreaterThan(3);
    expect(result.mediaSaved + result.mediaNoContent).toBe(result.mediaTotal);
    const progress = eventsOf('fetch-progress');
    expect(progress[0]).toEqual({ sessionId: approvedPassport, done: 0, total: result.mediaTotal });
    expect(progress.at(-1)).toEqual({ sessionId: approvedPassport, done: result.mediaTotal, total: result.mediaTotal });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));
    expect(eventsOf('session-updated')).toEqual([{ sessionId: approvedPassport }]);
    // The fetch is one audited step of the offline store, with the evidence manifest it wrote.
    expect((await auditLog()).at(-1)).toMatchObject({ type: 'session.fetched', sessionId: approvedPassport, data: { manifest: { hash: expect.stringMatching(/^[0-9a-f]{64}$/) } } });
  });

  test('a COMPLETED session already stored is kept unless forced', async () => {
    const entries = (await auditLog()).length;
    const kept = await ok('fetchSession', { sessionId: approvedPassport });
    expect(kept.keptCached).toBe(true);
    expect((await auditLog()).length).toBe(entries); // nothing changed, nothing recorded
    expect(kept).toMatchObject({ state: 'COMPLETED', mediaSaved: 0, mediaNoContent: 0, mediaFailed: [] });
    const forced = await ok('fetchSession', { sessionId: approvedPassport, force: true });
    expect(forced.keptCached).toBeUndefined();
    expect(forced.mediaSaved + forced.mediaNoContent).toBe(forced.mediaTotal);
    expect((await auditLog()).at(-1)).toMatchObject({ type: 'session.fetched', data: { forced: true, refreshed: true } });
  });

  test('listSessions merges what the store knows', async () => {
    const row = (await ok('listSessions', {})).find((r) => r.sessionId === approvedPassport)!;
    expect(row).toMatchObject({ cache: 'intact', state: 'COMPLETED', overall: 'APPROVE' });
    // retentionDays after the first fetch (the forced fetch since did not move it).
    const retention = await (await services.offline()).retention(approvedPassport);
    expect(row.retainUntil).toBe(retention?.retainUntil);
    expect(Date.parse(row.retainUntil!) - Date.parse(retention!.firstFetchedAt)).toBe(400 * 24 * 3600 * 1000);
    expect(Date.parse(row.fetchedAt!)).toBeGreaterThan(Date.parse(retention!.firstFetchedAt));
  });

  test('openSession: summary, media URLs serving the stored bytes, no URL for the facemap, document fields with MRZ', async () => {
    const view = await ok('openSession', { sessionId: approvedPassport });
    expect(view.sessionId).toBe(approvedPassport);
    expect(view.summary.overall.value).toBe('APPROVE');
    expect(view.stored).toMatchObject({ sdkId: DEMO_SDK_ID, apiUrl: services.demo.status().apiUrl });
    expect(view.cacheProblems).toEqual([]);
    expect(view.review).toMatchObject({ sessionId: approvedPassport, status: 'NONE', history: [], firstOpenedAt: expect.any(String) });
    expect(view.stored.retainUntil).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await lastOf('session.opened')).toMatchObject({ sessionId: approvedPassport, who: { name: 'Rita Reviewer', osAccount: 'tester' } });

    const withUrl = view.media.filter((m) => m.url !== undefined);
    expect(withUrl.length).toBeGreaterThan(2);
    for (const m of withUrl) {
      expect(m.url).toMatch(/^idv-media:\/\/media\/[0-9a-f]{32}$/);
      expect(m.stored?.mimeType).toMatch(/^image\/(jpeg|png)$/);
      const served = await services.media.resolve(services.media.tokenFromUrl(m.url!)!);
      const original = services.demo.server!.getMedia(approvedPassport, m.mediaId!);
      if (!served.ok || !original || 'noContent' in original) throw new Error(`media ${m.mediaId} not served`);
      expect(Buffer.from(original.bytes).equals(served.bytes)).toBe(true);
      expect(sha256(served.bytes)).toBe(m.stored?.sha256);
    }
    const facemap = view.media.find((m) => m.role === 'FACEMAP');
    expect(facemap?.stored?.size).toBeGreaterThan(0);
    expect(facemap?.url).toBeUndefined();
    for (const m of view.media.filter((x) => x.stored?.mimeType === 'application/json')) expect(m.url).toBeUndefined();

    const doc = view.documents[0]!;
    expect(doc.fields).toMatchObject({ document_number: expect.any(String) });
    expect(doc.source).not.toBe('NONE');
    expect(doc.mrz).toMatchObject({ format: 'TD3', valid: true });
    expect(JSON.stringify(view)).not.toContain(dataDir);
  });

  test('listSessions names the image each session opens on, by the viewer\'s rule over what is stored', async () => {
    const openingOf = async (): Promise<string | undefined> => (await ok('listSessions', {})).find((r) => r.sessionId === approvedPassport)?.openingImageUrl;
    const view = await ok('openSession', { sessionId: approvedPassport });
    const first = openingImage(buildEvidence(view))!;
    expect(first.media.role).toBe('DOCUMENT_PAGE');
    // The URL the view's stage loads first (one per item for the run), serving the stored bytes (the demo's pages have no screen copy).
    expect(first.media.screen).toBeUndefined();
    expect(await openingOf()).toBe(stageUrl(first));
    const served = await services.media.resolve(services.media.tokenFromUrl(first.url)!);
    expect(served.ok && sha256(served.bytes)).toBe(first.media.stored?.sha256);
    // Its item gone from this computer: the row and the view both open on the next image.
    const file = join(dataDir, 'evidence', approvedPassport, `media-${first.mediaId}.idvc`);
    const bytes = readFileSync(file);
    rmSync(file);
    try {
      const next = openingImage(buildEvidence(await ok('openSession', { sessionId: approvedPassport })))!;
      expect(next.mediaId).not.toBe(first.mediaId);
      expect(await openingOf()).toBe(stageUrl(next));
    } finally {
      writeFileSync(file, bytes);
    }
    expect(await openingOf()).toBe(stageUrl(first));
  });

  test("getSessionJson: Yoti's JSON as stored, masked unless asked, reading only", async () => {
    const stored = await ok('openSession', { sessionId: approvedPassport });
    const masked = await ok('getSessionJson', { sessionId: approvedPassport, reveal: false });
    const shown = await ok('getSessionJson', { sessionId: approvedPassport, reveal: true });
    expect(shown).toMatchObject({ revealed: true, masked: 0, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), fetchedAt: stored.stored.fetchedAt });
    const body = readFileSync(join(dataDir, 'evidence', approvedPassport, 'session.idvc'));
    expect(body.includes('COMPLETED')).toBe(false); // encrypted at rest; the handler decrypts it
    expect((JSON.parse(shown.text) as { session_id: string }).session_id).toBe(approvedPassport);
    expect(shown.text.split('\n')[1]).toMatch(/^ {2}"/);
    expect(masked.revealed).toBe(false);
    expect(JSON.parse(masked.text)).toMatchObject({ session_id: approvedPassport });
    expect(await fails('getSessionJson', { sessionId: nonLatin, reveal: false })).toMatchObject({ code: 'SESSION_NOT_CACHED', kind: 'local' });
  });

  test('openSession of a session that is not stored says so', async () => {
    expect(await fails('openSession', { sessionId: nonLatin })).toMatchObject({ code: 'SESSION_NOT_CACHED', kind: 'local' });
  });

  test('a tampered media file is reported in words and gets no URL', async () => {
    await ok('fetchSession', { sessionId: rejectedIdCard });
    const dir = join(dataDir, 'evidence', rejectedIdCard);
    const view = await ok('openSession', { sessionId: rejectedIdCard });
    const victim = view.media.find((m) => m.url !== undefined)!;
    const file = join(dir, `media-${victim.mediaId}.idvc`);
    const bytes = readFileSync(file);
    bytes[bytes.length - 30]! ^= 0x40;
    writeFileSync(file, bytes);
    const after = await ok('openSession', { sessionId: rejectedIdCard });
    const same = after.media.find((m) => m.mediaId === victim.mediaId)!;
    expect(same.url).toBeUndefined();
    expect(after.cacheProblems.join('\n')).toMatch(/damaged/);
    // Checked against the audit log too, and named first.
    expect(after.cacheProblems[0]).toMatch(new RegExp(`^Changed outside the app: The local copy of media ${victim.mediaId} of session ${rejectedIdCard} is damaged`));
    // Listing checks metadata and lengths only (it never decrypts media): a truncated file shows there.
    expect((await ok('listSessions', {})).find((r) => r.sessionId === rejectedIdCard)?.cache).toBe('intact');
    const other = after.media.find((m) => m.url !== undefined && m.mediaId !== victim.mediaId)!;
    const otherFile = join(dir, `media-${other.mediaId}.idvc`);
    writeFileSync(otherFile, readFileSync(otherFile).subarray(0, -5));
    expect((await ok('listSessions', {})).find((r) => r.sessionId === rejectedIdCard)?.cache).toBe('damaged');
  });

  test('saveMediaWithDialog writes the facemap through the dialogs port, with size and sha256', async () => {
    const view = await ok('openSession', { sessionId: approvedPassport });
    const facemap = view.media.find((m) => m.role === 'FACEMAP')!;
    expect(await ok('saveMediaWithDialog', { sessionId: approvedPassport, mediaId: facemap.mediaId })).toEqual({ cancelled: true });
    const target = join(files, 'facemap.bin');
    dialogs.nextSavePath = target;
    const saved = await ok('saveMediaWithDialog', { sessionId: approvedPassport, mediaId: facemap.mediaId });
    const written = readFileSync(target);
    expect(saved).toEqual({ cancelled: false, size: written.length, sha256: sha256(written) });
    expect(saved.sha256).toBe(facemap.stored?.sha256);
    if (process.platform !== 'win32') expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(dialogs.history.at(-1)).toMatchObject({ kind: 'saveFile', suggestedName: `${approvedPassport}-${facemap.mediaId}.bin` });
    expect((await auditLog()).at(-1)).toMatchObject({ type: 'media.exported', sessionId: approvedPassport, data: { mediaId: facemap.mediaId, sha256: saved.sha256 } });
  });
});

describe('reviews, report and audit over the offline store', () => {
  test('the reason catalogue: the console\'s reasons, then Yoti\'s codes', async () => {
    const reasons = await ok('listReasonCodes', {});
    expect(reasons[0]).toEqual({ code: 'DOCUMENT_EXPIRED', label: 'Document expired', text: 'The document has expired', category: 'document', kind: 'final', source: 'reviewer', aliases: ['EXPIRED_DOCUMENT'] });
    expect(reasons.some((r) => r.source === 'yoti')).toBe(true);
    expect(new Set(reasons.map((r) => r.code)).size).toBe(reasons.length);
  });

  test('draft, confirm, supersede; history newest first; the queue shows the decision in force', async () => {
    const draft = await ok('saveReviewDraft', { sessionId: approvedPassport, notes: 'looks fine', reasonCodes: [], checkVerdicts: [] });
    expect(draft).toMatchObject({ status: 'DRAFT', notes: 'looks fine', reviewer: { name: 'Rita Reviewer', osAccount: 'tester' }, history: [] });
    expect(draft.decision).toBeUndefined();
    const args = { sessionId: approvedPassport, decision: 'APPROVE', reasonCodes: [], notes: 'ok', checkVerdicts: [{ checkId: 'c1', verdict: 'AGREE' }] };
    // In the app, what was viewed is checked: the check names it, the refusal records nothing.
    const check = await ok('checkDecision', args);
    expect(check.unmet.map((u) => u.rule)).toEqual(['UNVIEWED_EVIDENCE']);
    expect(check.context).toMatchObject({ via: 'app', yotiResult: 'APPROVE' });
    const decisionsBefore = (await auditLog()).length;
    expect(await fails('confirmDecision', args)).toMatchObject({ code: 'DECISION_REFUSED', kind: 'usage', message: expect.stringMatching(/^Not recorded: Not viewed yet: Document 1 page 1/) });
    expect(await auditLog()).toHaveLength(decisionsBefore);
    // The page claims a day of active time: main keeps no more than the clock allows.
    const confirmed = await ok('confirmDecision', { ...args, overrides: { acknowledgeUnviewed: true }, activeMs: 86_400_000 });
    expect(confirmed).toMatchObject({ status: 'CONFIRMED', decision: 'APPROVE', checkVerdicts: [{ checkId: 'c1', verdict: 'AGREE', note: '' }] });
    expect(confirmed.manifestHash).toMatch(/^[0-9a-f]{64}$/);
    expect(confirmed.timeOnTaskSeconds).toBeGreaterThanOrEqual(0);
    expect(confirmed.activeSeconds).toBe(confirmed.timeOnTaskSeconds);
    expect((await lastOf('review.decision-saved'))?.data.activeMs).toBeLessThan(86_400_000);
    expect(confirmed.history).toEqual([{ versionId: draft.versionId, status: 'DRAFT', savedAt: draft.savedAt }]);
    expect(await fails('confirmDecision', { ...args, decision: 'REJECT', reasonCodes: ['FACE_MISMATCH'] })).toMatchObject({ code: 'DECISION_FINAL', kind: 'usage' });
    expect(await fails('saveReviewDraft', { sessionId: approvedPassport, notes: 'later', reasonCodes: [], checkVerdicts: [] })).toMatchObject({ code: 'DECISION_FINAL' });
    expect(await fails('confirmDecision', { ...args, decision: 'ESCALATE', supersede: true })).toMatchObject({ code: 'REASON_REQUIRED' });
    const change = { ...args, decision: 'ESCALATE', reasonCodes: ['NEEDS_SECOND_OPINION'], supersede: true, overrides: { acknowledgeUnviewed: true } };
    expect(await fails('confirmDecision', change)).toMatchObject({ code: 'DECISION_REFUSED', message: expect.stringContaining('Changing a final decision needs the reason for the change') });
    const superseded = await ok('confirmDecision', { ...change, overrides: { acknowledgeUnviewed: true, changeReason: 'a second opinion is needed' } });
    expect(superseded.activeSeconds).toBeUndefined(); // not sent: not measured
    expect(superseded.history.map((h) => [h.status, h.decision])).toEqual([['CONFIRMED', 'APPROVE'], ['DRAFT', undefined]]);
    const row = (await ok('listSessions', {})).find((r) => r.sessionId === approvedPassport);
    expect(row).toMatchObject({ decision: 'ESCALATE', decidedAt: superseded.decidedAt });
    expect(await lastOf('review.decision-saved')).toMatchObject({ who: { name: 'Rita Reviewer' }, data: { decision: 'ESCALATE', supersedes: confirmed.versionId } });
  });

  test('seen before: the queue row carries a badge; the opened session a warning that names the other session', async () => {
    const rows = await ok('listSessions', {});
    expect(rows.find((r) => r.sessionId === approvedPassport)?.seenBefore).toEqual({ count: 1, rejected: false });
    const view = await ok('openSession', { sessionId: rejectedIdCard });
    const seen = view.summary.warnings.find((w) => w.kind === 'SEEN_BEFORE');
    expect(seen).toMatchObject({ severity: 'warning', text: 'Seen before: the same person in 1 other session' });
    expect(seen?.details).toEqual([`${approvedPassport}: same person, decision ESCALATE`]);
  });

  test('a decided session keeps the threshold its decision was made with: a later change re-colours nothing', async () => {
    dialogs.nextConfirm = true;
    await ok('updateSettings', { faceMatchThreshold: 0.95 });
    const decided = await ok('openSession', { sessionId: approvedPassport });
    expect(decided.review.faceMatchThreshold).toBe(0.8);
    expect(decided.summary.faceMatches[0]?.threshold).toBe(0.8);
    const undecided = await ok('openSession', { sessionId: rejectedIdCard });
    expect(undecided.review.faceMatchThreshold).toBeUndefined();
    expect(undecided.summary.faceMatches[0]?.threshold).toBe(0.95);
    dialogs.nextConfirm = true;
    await ok('updateSettings', { faceMatchThreshold: 0.8 });
  });

  test('a draft keeps the decision chosen so far; unknown reasons are refused in words', async () => {
    expect(await fails('saveReviewDraft', { sessionId: nonLatin, notes: '', reasonCodes: [], checkVerdicts: [] })).toMatchObject({ code: 'SESSION_NOT_CACHED' });
    await ok('fetchSession', { sessionId: nonLatin });
    const draft = await ok('saveReviewDraft', { sessionId: nonLatin, decision: 'REJECT', notes: '', reasonCodes: ['FACE_MISMATCH'], checkVerdicts: [] });
    expect(draft).toMatchObject({ status: 'DRAFT', decision: 'REJECT', reasonCodes: ['FACE_MISMATCH'] });
    // Left out, the decision stays as it was.
    expect(await ok('saveReviewDraft', { sessionId: nonLatin, notes: 'face differs', reasonCodes: ['FACE_MISMATCH'], checkVerdicts: [] })).toMatchObject({ decision: 'REJECT', notes: 'face differs' });
    const unknown = await fails('saveReviewDraft', { sessionId: nonLatin, notes: '', reasonCodes: ['NOT_A_REASON'], checkVerdicts: [] });
    expect(unknown).toMatchObject({ code: 'UNKNOWN_REASON', kind: 'usage' });
    expect(unknown.message).toMatch(/Valid codes: DOCUMENT_EXPIRED/);
    expect((await ok('listSessions', {})).find((r) => r.sessionId === nonLatin)?.decision).toBeUndefined();
  });

  test('evidence viewed is recorded with the tools used', async () => {
    const view = await ok('openSession', { sessionId: approvedPassport });
    const page = view.media.find((m) => m.role === 'DOCUMENT_PAGE' && m.url !== undefined)!;
    expect(await ok('recordEvidenceViewed', { sessionId: approvedPassport, mediaId: page.mediaId, tools: { zoom: true } })).toEqual({ recorded: true });
    expect(await lastOf('media.viewed')).toMatchObject({ sessionId: approvedPassport, data: { mediaId: page.mediaId, tools: { zoom: true, rotate: false } } });
    expect(await fails('recordEvidenceViewed', { sessionId: ongoing, mediaId: page.mediaId, tools: {} })).toMatchObject({ code: 'SESSION_NOT_CACHED' });
  });

  test('a decision on damaged evidence is refused; verifyAudit names the damage; fetching again repairs it', async () => {
    const refused = await fails('confirmDecision', { sessionId: rejectedIdCard, decision: 'REJECT', reasonCodes: ['DOCUMENT_EXPIRED'], notes: '', checkVerdicts: [] });
    expect(refused).toMatchObject({ code: 'CACHE_DAMAGED', kind: 'local' });
    const damaged = await ok('verifyAudit', {});
    expect(damaged.ok).toBe(false);
    expect(damaged.firstProblem).toMatch(/damaged/);
    const repaired = await ok('fetchSession', { sessionId: rejectedIdCard });
    expect(repaired).toMatchObject({ keptCached: true, mediaSaved: 2 });
    expect(await ok('verifyAudit', {})).toMatchObject({ ok: true });
    expect((await ok('listSessions', {})).find((r) => r.sessionId === rejectedIdCard)?.cache).toBe('intact');
  });

  test('exportReportWithDialog saves the PDF where the person chose; its sha256 goes into the audit log', async () => {
    expect(await ok('exportReportWithDialog', { sessionId: approvedPassport, redact: true })).toEqual({ cancelled: true });
    const target = join(files, 'report.pdf');
    dialogs.nextSavePath = target;
    const result = await ok('exportReportWithDialog', { sessionId: approvedPassport, redact: true });
    const written = readFileSync(target);
    expect(result).toEqual({ cancelled: false, sha256: sha256(written), pages: expect.any(Number), draft: false });
    expect(result.pages).toBeGreaterThan(1);
    expect(written.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(dialogs.history.at(-1)).toMatchObject({ suggestedName: `review-${approvedPassport}-redacted-numbers.pdf` });
    expect((await auditLog()).at(-1)).toMatchObject({
      type: 'report.exported',
      sessionId: approvedPassport,
      data: {
        sha256: result.sha256,
        pages: result.pages,
        draft: false,
        redact: 'numbers',
        bytes: written.length,
        reportId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        // the key of the PDF's commitments, kept only here
        commitmentKey: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
    expect(await ok('verifyAudit', {})).toMatchObject({ ok: true });
  });

  test('a session without a confirmed decision exports as a DRAFT', async () => {
    dialogs.nextSavePath = join(files, 'draft.pdf');
    expect(await ok('exportReportWithDialog', { sessionId: nonLatin, redact: false })).toMatchObject({ cancelled: false, draft: true });
    expect(dialogs.history.at(-1)).toMatchObject({ suggestedName: `review-${nonLatin}-draft.pdf` });
  });
});

describe('deletion', () => {
  test('deleteAtYoti refuses an ONGOING session in words, without asking or sending', async () => {
    await ok('fetchSession', { sessionId: ongoing });
    const before = services.demo.server!.requests.length;
    const asked = dialogs.history.length;
    const error = await fails('deleteAtYoti', { sessionId: ongoing });
    expect(error).toMatchObject({ code: 'SESSION_NOT_COMPLETED', kind: 'usage' });
    expect(error.message).toMatch(/ONGOING/);
    expect(error.message).toMatch(/only once it is COMPLETED/);
    expect(services.demo.server!.requests.length).toBe(before);
    expect(dialogs.history.slice(asked).some((d) => d.kind === 'confirm')).toBe(false);
  });

  test('deleteAtYoti asks natively; "Cancel" deletes nothing; "Delete" deletes at Yoti, then locally', async () => {
    await ok('fetchSession', { sessionId: edgeCases });
    expect(await ok('deleteAtYoti', { sessionId: edgeCases })).toEqual({ deleted: false });
    expect(dialogs.history.at(-1)?.question?.message).toMatch(new RegExp(`Delete session ${edgeCases}`));
    expect((await ok('openSession', { sessionId: edgeCases })).sessionId).toBe(edgeCases);

    dialogs.nextConfirm = true;
    expect(await ok('deleteAtYoti', { sessionId: edgeCases })).toEqual({ deleted: true });
    expect(services.demo.server!.getMedia(edgeCases, 'x')).toBeUndefined();
    expect(await fails('openSession', { sessionId: edgeCases })).toMatchObject({ code: 'EVIDENCE_DELETED', message: expect.stringContaining('Evidence deleted at Yoti (and on this computer) on ') });
    expect((await ok('listSessions', {})).some((r) => r.sessionId === edgeCases)).toBe(false);
    const entries = await auditLog();
    expect(entries.at(-2)).toMatchObject({ type: 'remote.deleted', sessionId: edgeCases, data: { apiUrl: services.demo.status().apiUrl, sdkId: DEMO_SDK_ID, mediaId: null } });
    expect(entries.at(-1)).toMatchObject({ type: 'session.deleted', sessionId: edgeCases, data: { scope: 'at-yoti' } });
  });

  test('deleteAtYoti of one media item', async () => {
    const view = await ok('openSession', { sessionId: rejectedIdCard });
    const item = view.media.find((m) => m.url !== undefined)!;
    dialogs.nextConfirm = true;
    expect(await ok('deleteAtYoti', { sessionId: rejectedIdCard, mediaId: item.mediaId })).toEqual({ deleted: true });
    const after = await ok('openSession', { sessionId: rejectedIdCard });
    expect(after.media.find((m) => m.mediaId === item.mediaId)?.stored).toBeUndefined();
    expect(services.demo.server!.getMedia(rejectedIdCard, item.mediaId!)).toBeUndefined();
    const deletions = (await auditLog()).filter((e) => e.type === 'remote.deleted' || e.type === 'media.deleted');
    expect(deletions.slice(-2).map((e) => [e.type, e.data.mediaId])).toEqual([
      ['remote.deleted', item.mediaId],
      ['media.deleted', item.mediaId],
    ]);
  });

  test('removeSessionLocally asks natively, then forgets the copy, the queue entry and the media URLs; the record stays', async () => {
    const view = await ok('openSession', { sessionId: ongoing });
    const url = view.media.find((m) => m.url !== undefined)?.url;
    dialogs.nextConfirm = false;
    expect(await ok('removeSessionLocally', { sessionId: ongoing })).toEqual({ removed: false });
    expect(readdirSync(join(dataDir, 'evidence')).includes(ongoing)).toBe(true);
    expect(dialogs.history.at(-1)?.question).toMatchObject({ confirmLabel: 'Remove', detail: expect.stringContaining('The review record, with the evidence manifest of each decision, and the audit log stay') });
    dialogs.nextConfirm = true;
    expect(await ok('removeSessionLocally', { sessionId: ongoing })).toEqual({ removed: true });
    dialogs.nextConfirm = true;
    expect(await ok('removeSessionLocally', { sessionId: ongoing })).toEqual({ removed: false });
    expect((await ok('listSessions', {})).some((r) => r.sessionId === ongoing)).toBe(false);
    if (url) expect((await services.media.resolve(services.media.tokenFromUrl(url)!)).ok).toBe(false);
    expect(readdirSync(join(dataDir, 'evidence')).includes(ongoing)).toBe(false);
    expect((await auditLog()).filter((e) => e.sessionId === ongoing).slice(-2).map((e) => [e.type, e.data.scope ?? e.data.hadCopy])).toEqual([
      ['session.deleted', 'local-only'],
      ['sessions.removed', true],
    ]);
    // Its evidence is gone, its record stays: opening it says so instead of "fetch it first".
    expect(await fails('openSession', { sessionId: ongoing })).toMatchObject({
      code: 'EVIDENCE_DELETED',
      message: expect.stringMatching(/^Evidence deleted from this computer \(Yoti may still hold it\) on .* \(audit entry #\d+\)\. Its review record is kept/),
    });
  });

  test('a view read ahead records no opening; markSessionOpened records it, only for a stored session', async () => {
    const logged = (await auditLog()).length;
    const ahead = await ok('openSession', { sessionId: nonLatin, readAhead: true });
    expect(ahead.sessionId).toBe(nonLatin);
    expect((await auditLog()).length).toBe(logged);

    const review = await ok('markSessionOpened', { sessionId: nonLatin });
    expect(review.firstOpenedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await auditLog()).slice(logged).map((e) => [e.type, e.sessionId])).toEqual([['session.opened', nonLatin]]);

    expect(await fails('markSessionOpened', { sessionId: '0c000000-0000-4000-8000-00000000dead' })).toMatchObject({ code: 'SESSION_NOT_CACHED' });
    expect(await fails('markSessionOpened', { sessionId: '../x' })).toMatchObject({ code: 'INVALID_ARGUMENTS' });
    expect((await auditLog()).length).toBe(logged + 1);
  });

  test('a session whose evidence was deleted stays listed, opens as its record (recording nothing), exports, and loses its record only after main asks', async () => {
    dialogs.nextConfirm = true;
    expect(await ok('removeSessionLocally', { sessionId: approvedPassport })).toEqual({ removed: true });
    const row = (await ok('listSessions', {})).find((r) => r.sessionId === approvedPassport);
    expect(row).toMatchObject({ cache: 'evidence-deleted', decision: 'ESCALATE', evidenceDeleted: { how: 'local-only', by: 'Rita Reviewer' } });
    expect(await fails('openSession', { sessionId: approvedPassport })).toMatchObject({ code: 'EVIDENCE_DELETED' });

    const logged = (await auditLog()).length;
    const record = await ok('openRecord', { sessionId: approvedPassport });
    expect(record.evidenceDeleted.words).toMatch(/^Evidence deleted from this computer \(Yoti may still hold it\) on .*, by Rita Reviewer \(audit entry #\d+\)\.$/);
    expect(record.review).toMatchObject({ status: 'CONFIRMED', decision: 'ESCALATE' });
    // The manifest the decision rested on, item by item, from the log.
    expect(record.manifest?.manifestHash).toBe(record.review.manifestHash);
    expect(record.manifest?.items[0]).toMatchObject({ what: 'Session JSON', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(record.manifest?.items.length).toBeGreaterThan(3);
    expect(record.fetched).toMatchObject({ apiUrl: services.demo.status().apiUrl, sdkId: DEMO_SDK_ID });
    expect(record.recordKeptUntil).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(record.changedOutsideApp).toEqual([]);
    expect((await auditLog()).length).toBe(logged);

    const target = join(files, 'record-only.pdf');
    dialogs.nextSavePath = target;
    const exported = await ok('exportReportWithDialog', { sessionId: approvedPassport, redact: false });
    expect(exported).toMatchObject({ cancelled: false, draft: false });
    expect(sha256(readFileSync(target))).toBe(exported.sha256);

    expect(await fails('openRecord', { sessionId: nonLatin })).toMatchObject({ code: 'EVIDENCE_STORED', message: expect.stringContaining('open the session itself') });
    expect(await fails('openRecord', { sessionId: rejectedIdCard })).toMatchObject({ code: 'SESSION_NOT_CACHED' });

    dialogs.nextConfirm = false;
    expect(await ok('deleteRecord', { sessionId: approvedPassport })).toEqual({ deleted: false });
    expect(dialogs.history.at(-1)?.question).toMatchObject({
      confirmLabel: 'Delete record',
      message: `Delete the review record of session ${approvedPassport} from this computer?`,
      detail: expect.stringMatching(/The audit log keeps its entries .*UK MLR 2017 reg 40: five years\); this one until \d{4}-\d\d-\d\d/),
    });
    expect((await ok('openRecord', { sessionId: approvedPassport })).review.status).toBe('CONFIRMED');

    dialogs.nextConfirm = true;
    expect(await ok('deleteRecord', { sessionId: approvedPassport })).toEqual({ deleted: true });
    expect((await ok('listSessions', {})).some((r) => r.sessionId === approvedPassport)).toBe(false);
    expect(await fails('openRecord', { sessionId: approvedPassport })).toMatchObject({ code: 'SESSION_NOT_CACHED' });
    expect(await lastOf('record.deleted')).toMatchObject({ sessionId: approvedPassport, data: { reviewVersions: expect.any(Number) } });
    expect(eventsOf('session-updated').at(-1)).toEqual({ sessionId: approvedPassport });
    dialogs.nextConfirm = true;
    expect(await ok('deleteRecord', { sessionId: approvedPassport })).toEqual({ deleted: false });
  });
});

describe('keys', () => {
  test('importKeyWithDialog: a generated PEM through the dialogs port; cancel; garbage refused with the key module\'s words', async () => {
    expect(await ok('importKeyWithDialog', { sdkId: 'a1b2c3d4-0000-4000-8000-000000000001' })).toEqual({ cancelled: true });

    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pemText = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const pemFile = join(files, 'customer.pem');
    writeFileSync(pemFile, pemText);
    dialogs.nextOpenFile = pemFile;
    const imported = await ok('importKeyWithDialog', { sdkId: 'a1b2c3d4-0000-4000-8000-000000000001' });
    expect(imported.cancelled).toBe(false);
    expect(imported.key).toMatchObject({ sdkId: 'a1b2c3d4-0000-4000-8000-000000000001', modulusBits: 2048, fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await ok('getAppState', {})).keys.map((k) => k.sdkId)).toEqual(['a1b2c3d4-0000-4000-8000-000000000001']);
    expect(await lastOf('key.imported')).toMatchObject({ data: { sdkId: 'a1b2c3d4-0000-4000-8000-000000000001', fingerprint: imported.key?.fingerprint } });

    const garbage = join(files, 'garbage.pem');
    writeFileSync(garbage, 'this is not a key at all\n');
    let expected = '';
    try {
      parsePrivateKeyPem(readFileSync(garbage));
    } catch (e) {
      expected = (e as Error).message;
    }
    expect(expected).not.toBe('');
    dialogs.nextOpenFile = garbage;
    const refused = await fails('importKeyWithDialog', { sdkId: 'a1b2c3d4-0000-4000-8000-000000000002' });
    expect(refused.kind).toBe('usage');
    expect(refused.message).toBe(expected);

    expect(await fails('importKeyWithDialog', { sdkId: DEMO_SDK_ID })).toMatchObject({ code: 'RESERVED_SDK_ID' });
    // The demo server still gets the demo key: a loopback URL never signs with the customer's key.
    expect((await ok('fetchSession', { sessionId: nonLatin })).state).toBe('COMPLETED');
  });

  test('removeKey asks natively; declined, the key stays', async () => {
    dialogs.nextConfirm = false;
    expect(await ok('removeKey', { sdkId: 'a1b2c3d4-0000-4000-8000-000000000001' })).toEqual({ removed: false });
    expect(dialogs.history.at(-1)?.question).toMatchObject({ confirmLabel: 'Remove key', message: expect.stringContaining('a1b2c3d4-0000-4000-8000-000000000001') });
    dialogs.nextConfirm = true;
    expect(await ok('removeKey', { sdkId: 'a1b2c3d4-0000-4000-8000-000000000001' })).toEqual({ removed: true });
    dialogs.nextConfirm = true;
    expect(await ok('removeKey', { sdkId: 'a1b2c3d4-0000-4000-8000-000000000001' })).toEqual({ removed: false });
  });

  test('a refused signature comes back in words, without digest, signature or key', async () => {
    // Another key under the demo SDK ID: the demo server still knows the old public key, so Yoti-style 401.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await services.vault.importKey(DEMO_SDK_ID, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const error = await fails('fetchSession', { sessionId: nonLatin, force: true });
    expect(error).toMatchObject({ code: 'UNAUTHORIZED', kind: 'remote' });
    expect(error.message).toMatch(/does not belong to SDK ID/);
  });
});

describe('errors that are bugs', () => {
  test('an unexpected exception is INTERNAL with a generic sentence; the details are logged redacted', async () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const broken = createHandlers({
      ...services,
      reviews: { ...services.reviews, listReasonCodes: () => Promise.reject(new Error(`boom at ${join(dataDir, 'x')} with ${pem}`)) },
    });
    const result = await broken.listReasonCodes({}, { senderId: 0 });
    answers.push(result);
    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL', kind: 'local', message: expect.stringMatching(/^Something went wrong/) } });
    const line = logged.find((l) => l.includes('listReasonCodes'))!;
    expect(line).toContain('boom');
    expect(line).not.toContain('PRIVATE KEY');
    expect(line).not.toContain(dataDir);
  });
});

describe('switching back to production', () => {
  test('a page that aims the key at another server: main asks; declined or edited behind its back, nothing reaches it; allowed, remembered and audited', async () => {
    const attacker = await startServer((_req, res) => {
      res.writeHead(404).end();
    });
    const settingsFile = join(dataDir, 'settings.json');
    const before = readFileSync(settingsFile, 'utf8');
    try {
      dialogs.nextConfirm = false;
      expect(await fails('updateSettings', { apiUrl: attacker.baseUrl })).toMatchObject({ code: 'NOT_CONFIRMED' });
      expect(dialogs.history.at(-1)?.question).toMatchObject({ message: `Let your Yoti key sign requests sent to 127.0.0.1:${attacker.port}?`, confirmLabel: `Allow 127.0.0.1:${attacker.port}` });
      expect(readFileSync(settingsFile, 'utf8')).toBe(before);
      expect(attacker.requests).toEqual([]);

      // The settings file changed behind main's back: main still refuses to sign for that host.
      writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(before), apiUrl: attacker.baseUrl }));
      expect(await fails('fetchSession', { sessionId: approvedPassport, force: true })).toMatchObject({ code: 'HOST_NOT_ALLOWED' });
      await fails('deleteAtYoti', { sessionId: nonLatin }); // refused before any request (the stored copy names the demo server)
      expect(attacker.requests).toEqual([]);
      writeFileSync(settingsFile, before);

      dialogs.nextConfirm = true;
      await ok('updateSettings', { apiUrl: attacker.baseUrl });
      expect((await auditLog()).filter((e) => e.type === 'settings.changed').at(-1)?.data).toMatchObject({ trustedHost: `127.0.0.1:${attacker.port}` });
      await fails('fetchSession', { sessionId: approvedPassport, force: true });
      expect(attacker.requests.length).toBeGreaterThan(0); // allowed by a person: it goes there
    } finally {
      await ok('updateSettings', { apiUrl: services.demo.status().apiUrl! });
      await attacker.close();
    }
  });

  test('stopDemo restores the previous API URL (production)', async () => {
    expect(await ok('stopDemo', {})).toEqual({ stopped: true });
    const state = await ok('getAppState', {});
    expect(state.demo.running).toBe(false);
    expect(state.settings).toMatchObject({ apiUrl: PRODUCTION, environment: 'production' });
  });

  test('updateSettings apiUrl null means production', async () => {
    dialogs.nextConfirm = true; // not Yoti's API host: main asks first
    expect((await ok('updateSettings', { apiUrl: 'https://eu.api.yoti.com/idverify/v1/' })).apiUrl).toBe('https://eu.api.yoti.com/idverify/v1');
    expect((await ok('getAppState', {})).settings.environment).toBe('custom');
    const view = await ok('updateSettings', { apiUrl: null });
    expect(view).toMatchObject({ apiUrl: PRODUCTION, environment: 'production' });
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'))).not.toHaveProperty('apiUrl');
  });
});

describe('the audit log', () => {
  test('every change the handlers made is in it, and it verifies against the stored files', async () => {
    const types = new Set((await auditLog()).map((e) => e.type));
    for (const t of [
      'demo.started',
      'settings.changed',
      'sessions.added',
      'session.fetched',
      'session.opened',
      'media.viewed',
      'media.exported',
      'review.note-saved',
      'review.decision-saved',
      'report.exported',
      'remote.deleted',
      'session.deleted',
      'media.deleted',
      'sessions.removed',
      'key.imported',
      'key.removed',
      'demo.stopped',
    ] as const) {
      expect(types.has(t), t).toBe(true);
    }
    expect(await ok('verifyAudit', {})).toMatchObject({ ok: true });
  });
});

describe('nothing secret crosses to the renderer', () => {
  test('no answer contains a PEM, a digest, a signature, a signed query or a local path', () => {
    const text = JSON.stringify(answers);
    expect(answers.length).toBeGreaterThan(40);
    // (The key module's own words may quote `"-----BEGIN …-----"`; a real PEM header never appears.)
    expect(text).not.toMatch(/-----BEGIN [A-Z ]+-----/);
    for (const needle of ['PRIVATE KEY-----', 'MII', 'X-Yoti-Auth-Digest', 'x-yoti-auth-digest', 'nonce=', 'timestamp=', dataDir, files, '    at ']) {
      expect(text, needle).not.toContain(needle);
    }
    expect(text).not.toMatch(/[A-Za-z0-9+/]{120,}/);
  });
});

describe('a corporate CA bundle', () => {
  test("chosen through main's dialog, read by main, trusted only after main's own confirmation, audited; cleared by the page without asking", async () => {
    const settingsFile = join(dataDir, 'settings.json');
    expect(await ok('chooseCaFileWithDialog', {})).toEqual({ cancelled: true });

    const bad = join(files, 'not-a-ca.pem');
    writeFileSync(bad, tlsFixture.key);
    dialogs.nextOpenFile = bad;
    expect(await fails('chooseCaFileWithDialog', {})).toMatchObject({ code: 'CA_FILE_INVALID', message: expect.stringContaining('holds a private key') });

    const good = join(files, 'corporate-ca.pem');
    writeFileSync(good, tlsFixture.cert);
    dialogs.nextOpenFile = good;
    dialogs.nextConfirm = false;
    expect(await fails('chooseCaFileWithDialog', {})).toMatchObject({ code: 'NOT_CONFIRMED' });
    expect(dialogs.history.at(-1)?.question).toMatchObject({ message: 'Trust the 1 certificate authority in corporate-ca.pem for requests signed with your Yoti key?', confirmLabel: 'Trust them' });
    expect(JSON.parse(readFileSync(settingsFile, 'utf8')).extraCaFile).toBeUndefined();

    dialogs.nextOpenFile = good;
    dialogs.nextConfirm = true;
    const chosen = await ok('chooseCaFileWithDialog', {});
    expect(chosen).toEqual({ cancelled: false, certificates: 1, sha256: sha256(readFileSync(good)) });
    expect(JSON.parse(readFileSync(settingsFile, 'utf8')).extraCaFile).toBe(good);
    expect((await ok('getAppState', {})).settings.extraCaFile).toBe('corporate-ca.pem');
    expect(await lastOf('settings.changed')).toMatchObject({ data: { fields: 'extraCaFile', extraCaSha256: chosen.sha256, certificates: 1 } });

    const asked = dialogs.history.length;
    expect((await ok('updateSettings', { extraCaFile: null })).extraCaFile).toBeUndefined();
    expect(dialogs.history.length).toBe(asked);
    expect(JSON.parse(readFileSync(settingsFile, 'utf8')).extraCaFile).toBeUndefined();
  });
});

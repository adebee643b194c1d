import { copyFile, cp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { manifestText, sha256Hex } from '../../../main/core/audit/manifest';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import type { OfflineStore, StoreKeys } from '../../../main/core/store/offline-store';
import { listMedia } from '../../../common/session/media';
import { parseSession } from '../../../common/session/parse';
import { isDamaged } from '../../../main/core/store/session-store';
import { fetchInto, openStore, storeTestHooks, variantSessions, type Demo } from '../review/support';

const A = DEMO_SESSION_IDS.approvedPassport;
const B = DEMO_SESSION_IDS.ongoing;
let demo: Demo;
let dir: string;
let keys: StoreKeys;
let store: OfflineStore;
const variants = variantSessions([B]);

storeTestHooks('idv-verify-', async (env) => {
  ({ demo, dir, keys } = env);
  store = await openStore(dir, keys);
  await fetchInto(store, demo, A);
  await fetchInto(store, demo, B);
  await store.reviews.markOpened(A);
  await store.reviews.saveDraft(A, { notes: 'first look' });
  await store.reviews.confirmDecision(A, { via: 'cli', decision: 'APPROVE' });
});

const sessionDir = (sid: string) => join(dir, 'evidence', sid);
const recordDir = (sid: string) => join(dir, 'records', sid);
const mediaPath = (sid: string, mid: string) => join(sessionDir(sid), `media-${mid}.idvc`);
async function someMedia(sid: string): Promise<string[]> {
  return (await store.sessions.listMedia(sid)).filter((m) => !isDamaged(m) && !m.noContent).map((m) => m.mediaId!);
}
async function verifyFails(): Promise<string> {
  const report = await (await openStore(dir, keys)).verify();
  expect(report.ok).toBe(false);
  expect(report.firstProblem).toBeDefined();
  return report.firstProblem!;
}

describe('audit verify', () => {
  test('an intact store verifies, and names what it checked', async () => {
    const r = await store.verify();
    expect(r).toMatchObject({ ok: true, problems: [], sessionsChecked: 2 });
    expect(r.entries).toBeGreaterThan(4);
    expect(r.filesChecked).toBeGreaterThan(10);
  });

  test('a media file rolled back to an older, validly encrypted version of itself (not caught by AES-GCM alone)', async () => {
    demo.server.addSession(variants(1)[0]!);
    await fetchInto(store, demo, B); // ONGOING: refreshed
    const mid = (await someMedia(B))[0]!;
    const old = await readFile(mediaPath(B, mid));
    demo.server.addSession(variants(2)[0]!);
    await fetchInto(store, demo, B);
    expect((await store.verify()).ok).toBe(true);
    await writeFile(mediaPath(B, mid), old);
    expect((await store.sessions.loadMedia(B, mid)) !== null).toBe(true); // it still decrypts…
    expect(await verifyFails()).toMatch(new RegExp(`session ${B}: media ${mid} does not match the recorded SHA-256 \\(recorded in audit entry #\\d+\\)`));
  });

  test('a flipped bit in a media file: named as damaged', async () => {
    const mid = (await someMedia(A))[1]!;
    const bytes = await readFile(mediaPath(A, mid));
    bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0x10;
    await writeFile(mediaPath(A, mid), bytes);
    expect(await verifyFails()).toMatch(new RegExp(`media ${mid} of session ${A} is damaged`));
  });

  test('a media file deleted', async () => {
    const mid = (await someMedia(A))[0]!;
    await unlink(mediaPath(A, mid));
    expect(await verifyFails()).toMatch(new RegExp(`session ${A}: media ${mid} is missing`));
  });

  test("another session's media file copied in under a new name", async () => {
    const mid = (await someMedia(B))[0]!;
    await copyFile(mediaPath(B, mid), mediaPath(A, mid));
    expect(await verifyFails()).toMatch(new RegExp(`media ${mid} of session ${A} is damaged`));
  });

  test("the session file swapped with another session's", async () => {
    await copyFile(join(sessionDir(B), 'session.idvc'), join(sessionDir(A), 'session.idvc'));
    expect(await verifyFails()).toMatch(new RegExp(`session ${A} is damaged`));
  });

  test('a review version deleted, or replaced by another version', async () => {
    const reviewDir = recordDir(A);
    const v1 = await readFile(join(reviewDir, 'v-00000001.idvr'));
    await unlink(join(reviewDir, 'v-00000002.idvr'));
    expect(await verifyFails()).toMatch(new RegExp(`review version 2 of session ${A} \\(audit entry #\\d+\\) is missing`));
    await writeFile(join(reviewDir, 'v-00000002.idvr'), v1);
    expect(await verifyFails()).toMatch(new RegExp(`review version 2 of session ${A} does not match audit entry #\\d+: it was replaced or edited`));
  });

  test('the retain-until or the evidence-viewed record rolled back to an older file', async () => {
    const retention = join(sessionDir(A), 'retention.idvr');
    const before = await readFile(retention);
    await store.setRetainUntil(A, '2031-01-01T23:59:59.999Z');
    await writeFile(retention, before);
    expect(await verifyFails()).toMatch(new RegExp(`the retain-until of session ${A} does not match the audit log`));
    await store.setRetainUntil(A, '2031-01-01T23:59:59.999Z'); // set again: file and log agree once more
    expect((await store.verify()).ok).toBe(true);

    const viewed = join(recordDir(A), 'viewed.idvr');
    const old = await readFile(viewed);
    await store.reviews.recordEvidenceViewed(A, { mediaId: (await someMedia(A))[0]!, tools: { zoom: true } });
    await writeFile(viewed, old);
    expect(await verifyFails()).toMatch(new RegExp(`the evidence-viewed record of session ${A} does not match the audit log`));
  });

  test('the audit log and its anchor both rolled back to an earlier state: later records no longer match', async () => {
    const saved = join(dir, 'audit-copy');
    await cp(join(dir, 'audit'), saved, { recursive: true });
    await store.reviews.confirmDecision(A, { via: 'cli', decision: 'REJECT', reasonCodes: ['SUSPECTED_FRAUD'], supersede: true, overrides: { changeReason: 'second look' } });
    await rm(join(dir, 'audit'), { recursive: true });
    await cp(saved, join(dir, 'audit'), { recursive: true });
    expect(await verifyFails()).toMatch(new RegExp(`review version 3 of session ${A} is not recorded in the audit log`));
  });

  test('a deleted session restored from a backup', async () => {
    const backup = join(dir, 'backup');
    await cp(sessionDir(B), backup, { recursive: true });
    expect(await store.deleteSessionLocally(B, 'local-only')).toBe(true);
    expect((await store.verify()).ok).toBe(true);
    await cp(backup, sessionDir(B), { recursive: true });
    expect(await verifyFails()).toMatch(new RegExp(`session ${B} was deleted \\(audit entry #\\d+, session.deleted\\) but its files are still stored`));
  });

  test('a session put into the store without the app (no fetch recorded)', async () => {
    const other = await openStore(join(dir, 'elsewhere'), keys);
    await fetchInto(other, demo, DEMO_SESSION_IDS.nonLatin);
    await cp(join(dir, 'elsewhere', 'evidence', DEMO_SESSION_IDS.nonLatin), sessionDir(DEMO_SESSION_IDS.nonLatin), { recursive: true });
    expect(await verifyFails()).toMatch(new RegExp(`session ${DEMO_SESSION_IDS.nonLatin} is stored but no fetch of it is recorded in the audit log`));
  });
});

describe('a log that does not verify', () => {
  test('an edited entry or a deleted anchor: verify names it; every change is refused (fail closed)', async () => {
    const log = join(dir, 'audit', 'log.jsonl');
    const lines = (await readFile(log, 'utf8')).split('\n');
    lines[1] = lines[1]!.replace('"intent":true', '"intent":false');
    await writeFile(log, lines.join('\n'));
    let reopened = await openStore(dir, keys);
    expect(reopened.auditProblem).toMatch(/audit entry #2 .*does not verify/);
    expect((await reopened.verify()).firstProblem).toMatch(/^audit entry #2 \(session\.fetched at .*\) does not verify: it was edited/);
    await expect(reopened.reviews.saveDraft(A, { notes: 'x' })).rejects.toMatchObject({ code: 'AUDIT_DAMAGED' });
    await expect(reopened.recordAudit('report.exported', A)).rejects.toMatchObject({ code: 'AUDIT_DAMAGED' });

    await unlink(join(dir, 'audit', 'head.json'));
    reopened = await openStore(dir, keys);
    expect((await reopened.verify()).firstProblem).toMatch(/anchor \(audit\/head\.json\) is missing/);
    await expect(reopened.reviews.markOpened(A)).rejects.toMatchObject({ code: 'AUDIT_DAMAGED' });
  });
});

describe('evidence manifest', () => {
  test('recomputable by anyone from the files: SHA-256 of the session JSON and each item, then of the manifest text', async () => {
    const report = await store.evidenceManifest(A);
    expect(report.intact).toBe(true);
    const m = report.manifest!;
    // Independently: hash the stored bytes and write the manifest text by hand.
    const session = (await store.sessions.loadSession(A))!;
    const lines = ['idv-review evidence manifest v1', `session ${A} sha256=${sha256Hex(session.body)} size=${session.body.length}`];
    const ids = [...new Set(listMedia(parseSession(session.body).session).flatMap((x) => (x.mediaId && x.fetchable ? [x.mediaId] : [])))].sort();
    for (const id of ids) {
      const item = (await store.sessions.loadMedia(A, id))!;
      lines.push('bytes' in item ? `media ${id} sha256=${sha256Hex(item.bytes)} size=${item.bytes.length} type=${item.meta.mimeType}` : `media ${id} no-content`);
    }
    const text = `${lines.join('\n')}\n`;
    expect(manifestText(m)).toBe(text);
    expect(m.manifestHash).toBe(sha256Hex(text));
    expect(report.recorded?.manifestHash).toBe(m.manifestHash);
    // The confirmed decision records the manifest it was made on.
    expect((await store.reviews.get(A)).decided?.manifestHash).toBe(m.manifestHash);
  });

  test('reports a damaged item and is then not intact', async () => {
    const mid = (await someMedia(A))[0]!;
    await writeFile(mediaPath(A, mid), Buffer.from('not a store file'));
    const report = await store.evidenceManifest(A);
    expect(report.intact).toBe(false);
    expect(report.problems.join('\n')).toMatch(new RegExp(`media ${mid} of session ${A} is damaged`));
  });
});

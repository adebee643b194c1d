import { appendFile, copyFile, cp, mkdtemp, readdir, readFile, rename, rm, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { isAppError } from '../../../common/errors';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import { gatherReportInput } from '../../../main/core/report/gather';
import type { OfflineStore, StoreKeys } from '../../../main/core/store/offline-store';
import { fetchInto, MemoryAnchor, openStore, randomKeys, removeDir, startDemo, tempDir, type Demo } from '../review/support';

/**
 * The tamper suite: every way a file-level attacker (or a bad backup) can change the data folder,
 * each asserting detection twice: by `audit verify` (opened read-only) and by the everyday view, a
 * person opening or exporting the session (show's "changed outside the app", or the audit log named as
 * untrustworthy, and the export refused). The scenario: A fetched, opened, viewed, decided, its
 * retain-until set and its decision superseded; B fetched, opened and decided. `earlier` is a copy of
 * the whole folder after A's first decision.
 */

const A = DEMO_SESSION_IDS.approvedPassport;
const B = DEMO_SESSION_IDS.rejectedIdCard;
const OTHER = DEMO_SESSION_IDS.edgeCases;

let demo: Demo;
let dir: string;
let earlier: string;
let keys: StoreKeys;
let keychain: MemoryAnchor;

const evidence = (sid: string, name = ''): string => join(dir, 'evidence', sid, name);
const record = (sid: string, name = ''): string => join(dir, 'records', sid, name);
const auditFile = (name: string): string => join(dir, 'audit', name);
const old = (path: string): string => join(earlier, path.slice(dir.length));
const mediaOf = async (sid: string): Promise<string[]> => (await readdir(evidence(sid))).filter((n) => n.startsWith('media-')).sort();

async function flip(path: string, at: (size: number) => number): Promise<void> {
  const bytes = await readFile(path);
  const i = at(bytes.length);
  bytes[i] = bytes[i]! ^ 0x01;
  await writeFile(path, bytes);
}

async function editLog(edit: (lines: string[]) => string[]): Promise<void> {
  const lines = (await readFile(auditFile('log.jsonl'), 'utf8')).split('\n').filter((l) => l !== '');
  await writeFile(auditFile('log.jsonl'), `${edit(lines).join('\n')}\n`);
}

async function putBack(from: string, to: string): Promise<void> {
  await rm(to, { recursive: true, force: true });
  await cp(from, to, { recursive: true });
}

async function scenario(): Promise<void> {
  const store = await openStore(dir, keys, { anchor: keychain });
  for (const sid of [A, B]) await fetchInto(store, demo, sid);
  await store.reviews.markOpened(A);
  await store.reviews.confirmDecision(A, { via: 'cli', decision: 'REJECT', reasonCodes: ['SUSPECTED_FRAUD'], notes: 'first look' });
  await cp(dir, earlier, { recursive: true });
  await store.reviews.recordEvidenceViewed(A, { mediaId: (await mediaOf(A))[0]!.slice('media-'.length, -'.idvc'.length), tools: { zoom: true } });
  await store.setRetainUntil(A, '2031-01-01T23:59:59.999Z');
  await store.reviews.confirmDecision(A, { via: 'cli', decision: 'REJECT', reasonCodes: ['SUSPECTED_FRAUD'], notes: 'second look', supersede: true, overrides: { changeReason: 'more evidence' } });
  await store.reviews.markOpened(B);
  await store.reviews.confirmDecision(B, { via: 'cli', decision: 'ESCALATE', reasonCodes: ['NEEDS_SECOND_OPINION'], notes: 'unsure' });
  expect((await store.verify()).ok).toBe(true);
}

/** [what, the session a person opens and exports, the change]. */
const CASES: Array<[string, string, () => Promise<void>]> = [
  // Evidence
  ['a bit flipped in the session file\'s metadata', A, () => flip(evidence(A, 'session.idvc'), () => 12)],
  ['a bit flipped in the session file\'s content', A, () => flip(evidence(A, 'session.idvc'), (n) => n - 1)],
  ['a bit flipped in the middle of a media file', A, async () => flip(evidence(A, (await mediaOf(A))[0]), (n) => Math.floor(n / 2))],
  ['a bit flipped in the tag of another media file', A, async () => flip(evidence(A, (await mediaOf(A)).at(-1)), (n) => n - 1)],
  ['the session file cut by one byte', A, async () => truncate(evidence(A, 'session.idvc'), (await readFile(evidence(A, 'session.idvc'))).length - 1)],
  ['a media file emptied', A, async () => truncate(evidence(A, (await mediaOf(A))[0]), 0)],
  ['a media file cut to its header', A, async () => truncate(evidence(A, (await mediaOf(A))[0]), 9)],
  ['a byte appended to a media file', A, async () => appendFile(evidence(A, (await mediaOf(A))[0]), Buffer.from([0]))],
  ['a media file deleted', A, async () => unlink(evidence(A, (await mediaOf(A))[0]))],
  ['the session file deleted', A, () => unlink(evidence(A, 'session.idvc'))],
  ['two media files swapped', A, async () => {
    const [m1, m2] = await mediaOf(A);
    await rename(evidence(A, m1), evidence(A, 'swap'));
    await rename(evidence(A, m2), evidence(A, m1));
    await rename(evidence(A, 'swap'), evidence(A, m2));
  }],
  ['another session\'s media file copied in', A, async () => copyFile(evidence(B, (await mediaOf(B))[0]), evidence(A, (await mediaOf(B))[0]))],
  ['the session file replaced by another session\'s', A, () => copyFile(evidence(B, 'session.idvc'), evidence(A, 'session.idvc'))],
  ['the session file and a media file swapped', A, async () => {
    const [m1] = await mediaOf(A);
    await rename(evidence(A, 'session.idvc'), evidence(A, 'swap'));
    await rename(evidence(A, m1), evidence(A, 'session.idvc'));
    await rename(evidence(A, 'swap'), evidence(A, m1));
  }],
  ['the whole evidence folder deleted', A, () => rm(evidence(A), { recursive: true })],
  ['another session\'s evidence put in its place', A, () => putBack(evidence(B), evidence(A))],
  // Retention and evidence viewed
  ['the retain-until rolled back to an earlier file', A, () => copyFile(old(evidence(A, 'retention.idvr')), evidence(A, 'retention.idvr'))],
  ['the retention file deleted', A, () => unlink(evidence(A, 'retention.idvr'))],
  ['another session\'s retention file copied in', A, () => copyFile(evidence(B, 'retention.idvr'), evidence(A, 'retention.idvr'))],
  ['the evidence-viewed record rolled back to an earlier file', A, () => copyFile(old(record(A, 'viewed.idvr')), record(A, 'viewed.idvr'))],
  ['the evidence-viewed record deleted', A, () => unlink(record(A, 'viewed.idvr'))],
  ['another session\'s evidence-viewed record copied in', A, () => copyFile(record(B, 'viewed.idvr'), record(A, 'viewed.idvr'))],
  // Review records
  ['the superseding version deleted', A, () => unlink(record(A, 'v-00000002.idvr'))],
  ['the superseding version replaced by the earlier one', A, () => copyFile(record(A, 'v-00000001.idvr'), record(A, 'v-00000002.idvr'))],
  ['a bit flipped in the first version', A, () => flip(record(A, 'v-00000001.idvr'), (n) => n - 3)],
  ['the latest version cut short', A, () => truncate(record(A, 'v-00000002.idvr'), 20)],
  ['the whole record deleted', A, () => rm(record(A), { recursive: true })],
  ['a version added (a copy of the latest)', A, () => copyFile(record(A, 'v-00000002.idvr'), record(A, 'v-00000003.idvr'))],
  ['another session\'s version copied over the first', A, () => copyFile(record(B, 'v-00000001.idvr'), record(A, 'v-00000001.idvr'))],
  ['the two versions swapped', A, async () => {
    await rename(record(A, 'v-00000001.idvr'), record(A, 'swap'));
    await rename(record(A, 'v-00000002.idvr'), record(A, 'v-00000001.idvr'));
    await rename(record(A, 'swap'), record(A, 'v-00000002.idvr'));
  }],
  ['the whole record rolled back to the earlier copy', A, () => putBack(old(record(A)), record(A))],
  // The audit log itself
  ['an entry back-dated', A, () => editLog((l) => l.map((x, i) => (i === 2 ? x.replace(/"at":"(\d{4})/, (_, y: string) => `"at":"${Number(y) - 1}`) : x)))],
  ['an entry removed from the middle', A, () => editLog((l) => l.filter((_, i) => i !== 3))],
  ['two entries swapped', A, () => editLog((l) => [l[0]!, l[2]!, l[1]!, ...l.slice(3)])],
  ['the last entry removed', A, () => editLog((l) => l.slice(0, -1))],
  ['the log cut by ten bytes', A, async () => truncate(auditFile('log.jsonl'), (await readFile(auditFile('log.jsonl'))).length - 10)],
  ['a bit flipped in an entry\'s MAC', A, () => editLog((l) => l.map((x, i) => (i === 4 ? x.replace(/"mac":"(.)/, (_, c: string) => `"mac":"${c === 'a' ? 'b' : 'a'}`) : x)))],
  ['a forged entry appended', A, () => editLog((l) => [...l, l.at(-1)!.replace(/"seq":(\d+)/, (_, n: string) => `"seq":${Number(n) + 1}`)])],
  ['the last entry duplicated', A, () => editLog((l) => [...l, l.at(-1)!])],
  ['an entry\'s data edited (another manifest hash)', A, () => editLog((l) => l.map((x) => (x.includes('"session.fetched"') ? x.replace(/"hash":"(.)/, (_, c: string) => `"hash":"${c === 'a' ? 'b' : 'a'}`) : x)))],
  ['the anchor file edited', A, async () => writeFile(auditFile('head.json'), (await readFile(auditFile('head.json'), 'utf8')).replace(/"count":(\d+)/, (_, n: string) => `"count":${Number(n) - 1}`))],
  ['the anchor file deleted', A, () => unlink(auditFile('head.json'))],
  ['the anchor file made unreadable JSON', A, () => writeFile(auditFile('head.json'), '{')],
  // Rolled back or replaced (the OS keychain's anchor)
  ['an earlier audit log put back, newer files kept', A, () => putBack(old(join(dir, 'audit')), join(dir, 'audit'))],
  ['an earlier audit log put back and the superseding version deleted', A, async () => {
    await putBack(old(join(dir, 'audit')), join(dir, 'audit'));
    await unlink(record(A, 'v-00000002.idvr'));
  }],
  ['the whole data folder restored from an earlier copy', A, () => putBack(earlier, dir)],
  ['the audit folder deleted', A, () => rm(join(dir, 'audit'), { recursive: true })],
  ['the log replaced (the keychain anchors another head)', A, () => keychain.set({ count: keychain.value!.count, head: 'f'.repeat(64) })],
  // Folders
  ['a session put in place without the app (no fetch recorded)', OTHER, () => cp(evidence(A), evidence(OTHER), { recursive: true })],
  ['deleted evidence restored from a copy', A, async () => {
    await (await openStore(dir, keys, { anchor: keychain })).deleteSessionLocally(A, 'local-only');
    await cp(old(evidence(A)), evidence(A), { recursive: true });
  }],
  ['a deleted record restored from a copy', B, async () => {
    const saved = await mkdtemp(join(tmpdir(), 'idv-tamper-record-'));
    await cp(record(B), saved, { recursive: true });
    await (await openStore(dir, keys, { anchor: keychain })).deleteRecord(B);
    await cp(saved, record(B), { recursive: true });
    await rm(saved, { recursive: true });
  }],
  ['a record put in place without the app', OTHER, () => cp(record(B), record(OTHER), { recursive: true })],
];

beforeAll(async () => {
  demo = await startDemo();
});
afterAll(async () => {
  await demo.close();
});
beforeEach(async () => {
  await removeDir(dir);
  await removeDir(earlier);
  dir = await tempDir('idv-tamper-');
  earlier = await tempDir('idv-tamper-earlier-');
  keys = randomKeys();
  keychain = new MemoryAnchor();
  await scenario();
});
afterAll(async () => {
  await removeDir(dir);
  await removeDir(earlier);
});

/** What a person sees on opening the session (show, the app): a warning in words, or a refusal. */
async function openingWarns(store: OfflineStore, sid: string): Promise<boolean> {
  try {
    if ((await store.trustProblem()) !== null) return true;
    return (await store.sessionIntegrity(sid)).length > 0 || (await store.reviews.get(sid)).problems.length > 0;
  } catch (err) {
    if (isAppError(err)) return true;
    throw err;
  }
}

/** The export of the session's record: refused in words. */
async function exportRefused(store: OfflineStore, sid: string): Promise<string> {
  try {
    await gatherReportInput(store, sid, { appVersion: 'test', online: false, faceMatchThreshold: 0.7 });
  } catch (err) {
    if (isAppError(err)) return err.code;
    throw err;
  }
  return 'EXPORTED';
}

describe('tamper suite', () => {
  test('has at least 50 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(50);
  });

  test('the control: untouched, verify passes, opening warns of nothing, and every record exports', async () => {
    expect((await (await openStore(dir, keys, { anchor: keychain, readOnly: true })).verify()).problems).toEqual([]);
    const store = await openStore(dir, keys, { anchor: keychain });
    for (const sid of [A, B]) {
      expect(await openingWarns(store, sid)).toBe(false);
      expect(await exportRefused(store, sid)).toBe('EXPORTED');
    }
  });

  test.each(CASES)('%s: audit verify and the everyday view both notice', async (_, sid, change) => {
    await change();
    const report = await (await openStore(dir, keys, { anchor: keychain, readOnly: true })).verify();
    expect(report.ok, 'audit verify').toBe(false);
    expect(report.problems[0]).toMatch(/\S/);
    const store = await openStore(dir, keys, { anchor: keychain }).catch((err: unknown) => err);
    if (!isAppError(store)) {
      expect(await openingWarns(store as OfflineStore, sid), 'opening the session').toBe(true);
      expect(await exportRefused(store as OfflineStore, sid), 'exporting its record').not.toBe('EXPORTED');
    }
  });
});

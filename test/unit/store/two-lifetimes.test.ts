import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import type { OfflineStore, StoreKeys } from '../../../main/core/store/offline-store';
import { fetchInto, openStore, readAll, storeTestHooks, TestClock, type Demo } from '../review/support';

/**
 * Evidence and review records have separate lifetimes (store/layout.ts): deleting or purging a
 * session's evidence keeps its record, the manifest of every decision and the audit trail; deleting a
 * record is its own audited step; a store from before they were kept apart is moved once.
 */

const A = DEMO_SESSION_IDS.approvedPassport;
const B = DEMO_SESSION_IDS.rejectedIdCard;
const DAY = 86_400_000;
let demo: Demo;
let dir: string;
let keys: StoreKeys;
let clock: TestClock;
let store: OfflineStore;

storeTestHooks('idv-lifetimes-', async (env) => {
  ({ demo, dir, keys } = env);
  clock = new TestClock();
  store = await openStore(dir, keys, { now: clock.now, retentionDays: 30, recordRetentionDays: 1826 });
});

/** A fetched, opened, decided session (version 1 a draft, version 2 the decision). */
async function decided(sid: string): Promise<void> {
  await fetchInto(store, demo, sid, { now: clock.now });
  await store.reviews.markOpened(sid);
  await store.reviews.saveDraft(sid, { notes: 'looked at the MRZ' });
  await store.reviews.confirmDecision(sid, { via: 'cli', decision: 'APPROVE', reasonCodes: [], notes: 'all good' });
}

const recordFiles = async (sid: string): Promise<string[]> => (await readdir(join(dir, 'records', sid)).catch(() => [])).sort();
const types = async (sid: string): Promise<string[]> => (await store.audit.entries({ sessionId: sid })).map((e) => e.type);

describe('deleting evidence keeps the record', () => {
  test.each(['at-yoti', 'local-only'] as const)('delete (%s): the record, its manifest and the audit trail stay; the session still lists and verifies', async (scope) => {
    await decided(A);
    const before = await store.reviews.get(A);
    const files = await recordFiles(A);
    expect(files).toEqual(['v-00000001.idvr', 'v-00000002.idvr', 'viewed.idvr']);

    clock.advance(60_000);
    expect(await store.deleteSessionLocally(A, scope)).toBe(true);
    expect(existsSync(join(dir, 'evidence', A))).toBe(false);
    expect(await recordFiles(A)).toEqual(files);
    const after = await store.reviews.get(A);
    expect(after.decided).toEqual(before.decided);
    expect(after.decided?.manifestHash).toMatch(/^[0-9a-f]{64}$/);
    expect(after.evidenceViewed).toEqual(before.evidenceViewed);

    const row = (await store.listCachedSessions()).find((r) => r.sessionId === A);
    expect(row).toMatchObject({ cache: 'evidence-deleted', decision: 'APPROVE', review: 'CONFIRMED', problems: [] });
    expect(row?.evidenceDeleted).toEqual({ at: clock.now().toISOString(), how: scope, by: 'R. Viewer', seq: expect.any(Number) });
    const deletion = (await store.audit.entries({ sessionId: A })).at(-1);
    expect(deletion).toMatchObject({ type: 'session.deleted', data: { scope, recordKept: true, reviewVersions: 2, manifestHash: before.decided?.manifestHash } });
    expect(await store.seenBefore(A)).toEqual([]);

    const report = await store.verify();
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  test('a record without evidence cannot take new review steps, in words; fetching the session again brings the evidence back under the same record', async () => {
    await decided(A);
    await store.deleteSessionLocally(A, 'local-only');
    await expect(store.reviews.markOpened(A)).rejects.toMatchObject({ code: 'SESSION_NOT_CACHED' });
    await fetchInto(store, demo, A, { now: clock.now });
    expect((await store.listCachedSessions()).find((r) => r.sessionId === A)).toMatchObject({ cache: 'intact', decision: 'APPROVE' });
    expect((await store.verify()).ok).toBe(true);
  });
});

describe('retention: two lifetimes', () => {
  test('the evidence purge keeps records; records go only after the record retention, each step audited', async () => {
    await decided(A);
    await fetchInto(store, demo, B, { now: clock.now }); // never reviewed: no record

    clock.advance(31 * DAY);
    const evidence = await store.purgeExpired(clock.now());
    expect(evidence.purged.map((p) => p.sessionId).sort()).toEqual([A, B].sort());
    expect(evidence).toMatchObject({ recordsPurged: [], recordsKept: 1, problems: [] });
    expect(await recordFiles(A)).toHaveLength(3);
    expect(await types(A)).toContain('session.purged');
    expect((await store.listCachedSessions()).map((r) => [r.sessionId, r.cache])).toEqual([[A, 'evidence-deleted']]);
    expect((await store.verify()).ok).toBe(true);

    // Five years after the record last changed (the decision), not after the fetch.
    clock.advance((1826 - 31) * DAY);
    expect((await store.purgeExpired(clock.now())).recordsPurged).toEqual([]);
    clock.advance(DAY);
    const dry = await store.purgeExpired(clock.now(), { dryRun: true });
    expect(dry.recordsPurged.map((p) => p.sessionId)).toEqual([A]);
    expect(await recordFiles(A)).toHaveLength(3);
    const records = await store.purgeExpired(clock.now());
    expect(records.recordsPurged.map((p) => p.sessionId)).toEqual([A]);
    expect(await recordFiles(A)).toEqual([]);
    expect(await types(A)).toContain('record.purged');
    expect(await store.listCachedSessions()).toEqual([]);
    expect((await store.verify()).ok).toBe(true);
  });

  test('a record that does not read whole is kept by the purge, in words', async () => {
    await decided(A);
    await writeFile(join(dir, 'records', A, 'v-00000002.idvr'), 'x');
    clock.advance(3000 * DAY);
    const report = await store.purgeExpired(clock.now());
    expect(report.recordsPurged).toEqual([]);
    expect(report.problems).toEqual([`The review record of session ${A} was kept: it does not read whole, so when it last changed is unknown.`]);
    expect(await recordFiles(A)).toHaveLength(3);
  });
});

describe('deleting a record', () => {
  test('deleteRecord removes the record and any evidence still stored, each with its own audit entry; the log keeps them', async () => {
    await decided(A);
    await decided(B);
    expect(await store.deleteRecord(A)).toBe(true);
    expect(existsSync(join(dir, 'records', A))).toBe(false);
    expect(existsSync(join(dir, 'evidence', A))).toBe(false);
    expect((await types(A)).slice(-2)).toEqual(['session.deleted', 'record.deleted']);
    expect((await store.audit.entries({ sessionId: A })).at(-1)?.data).toMatchObject({ reviewVersions: 2 });
    expect((await store.listCachedSessions()).map((r) => r.sessionId)).toEqual([B]);
    expect((await store.verify()).ok).toBe(true);
    expect(await store.deleteRecord(A)).toBe(false);
  });

  test('a deleted record put back from a copy is named by verify', async () => {
    await decided(A);
    const saved = await readAll(join(dir, 'records', A));
    await store.deleteRecord(A);
    await mkdir(join(dir, 'records', A));
    for (const [file, bytes] of saved) await writeFile(file, bytes);
    const report = await store.verify();
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatch(new RegExp(`the review record of session ${A} was deleted \\(audit entry #\\d+, record.deleted\\) but its files are still stored`));
  });
});

describe('moving a store from before records were kept apart', () => {
  /** Puts the store back into the old layout: cache/<sid>/ with the record in cache/<sid>/review/. */
  async function toLegacyLayout(): Promise<void> {
    await mkdir(join(dir, 'cache'));
    for (const sid of await readdir(join(dir, 'evidence'))) await rename(join(dir, 'evidence', sid), join(dir, 'cache', sid));
    for (const sid of await readdir(join(dir, 'records'))) await rename(join(dir, 'records', sid), join(dir, 'cache', sid, 'review'));
  }

  test('moved once, as one audited step: every record, version and file the same, and the store verifies', async () => {
    await decided(A);
    await fetchInto(store, demo, B, { now: clock.now });
    const listed = await store.listCachedSessions();
    const records = await readAll(join(dir, 'records'));
    await toLegacyLayout();

    const reopened = await openStore(dir, keys, { now: clock.now }); // opening moves it
    expect((await reopened.verify()).ok).toBe(true);
    const migrated = (await reopened.audit.entries()).filter((e) => e.type === 'store.migrated');
    expect(migrated).toHaveLength(1);
    expect(migrated[0]?.data).toEqual({ from: 'cache', sessions: 2, records: 1 });
    expect(existsSync(join(dir, 'cache'))).toBe(false);
    expect(await readAll(join(dir, 'records'))).toEqual(records);
    expect(await reopened.listCachedSessions()).toEqual(listed);

    // Deleting evidence now keeps the record, as for any store.
    await reopened.deleteSessionLocally(A, 'local-only');
    expect((await reopened.reviews.get(A)).decided?.decision).toBe('APPROVE');
    expect((await reopened.verify()).ok).toBe(true);
    await expect((await openStore(dir, keys)).audit.entries().then((es) => es.filter((e) => e.type === 'store.migrated').length)).resolves.toBe(1);
  });

  test('a migration a crash interrupted (some sessions moved) is finished by the next step; nothing is lost', async () => {
    await decided(A);
    await decided(B);
    const records = await readAll(join(dir, 'records'));
    // As if the process died after announcing the move and moving A: B is still in the old place.
    await store.section(() => store.audit.appendLocked('store.migrated', null, { from: 'cache', sessions: 2, records: 2 }, { intent: true }));
    await mkdir(join(dir, 'cache'));
    await rename(join(dir, 'evidence', B), join(dir, 'cache', B));
    await rename(join(dir, 'records', B), join(dir, 'cache', B, 'review'));

    const reopened = await openStore(dir, keys, { now: clock.now });
    expect((await reopened.verify()).problems).toEqual([]);
    expect(existsSync(join(dir, 'cache'))).toBe(false);
    expect(await readAll(join(dir, 'records'))).toEqual(records);
    expect((await reopened.listCachedSessions()).map((r) => [r.sessionId, r.decision])).toEqual(expect.arrayContaining([[A, 'APPROVE'], [B, 'APPROVE']]));
  });

  test('a file the app did not write in the old folder stops it in words, with nothing moved', async () => {
    await decided(A);
    await toLegacyLayout();
    await writeFile(join(dir, 'cache', 'notes.txt'), 'mine');
    await expect(openStore(dir, keys, { now: clock.now })).rejects.toMatchObject({
      code: 'STORE_LAYOUT',
      message: expect.stringContaining('holds notes.txt, which this app did not write: move it out of the data folder'),
    });
    expect(existsSync(join(dir, 'cache', A, 'review'))).toBe(true);
    expect(await readFile(join(dir, 'audit', 'log.jsonl'), 'utf8')).not.toContain('store.migrated');
  });
});

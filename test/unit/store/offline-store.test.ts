import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import type { OfflineStore, StoreKeys } from '../../../main/core/store/offline-store';
import { isDamaged } from '../../../main/core/store/session-store';
import { fetchInto, FullDiskFs, openStore, readAll, storeTestHooks, variantSessions, type Demo } from '../review/support';

const A = DEMO_SESSION_IDS.approvedPassport;
const ONGOING = DEMO_SESSION_IDS.ongoing;
const EDGE = DEMO_SESSION_IDS.edgeCases;
let demo: Demo;
let dir: string;
let keys: StoreKeys;
let disk: FullDiskFs;
let store: OfflineStore;
const variants = variantSessions([ONGOING, A]);

storeTestHooks('idv-store-', async (env) => {
  ({ demo, dir, keys } = env);
  disk = new FullDiskFs();
  store = await openStore(dir, keys, { fs: disk });
  for (const s of variants(0)) demo.server.addSession(s);
});

const mediaFile = (sid: string, mid: string) => join(dir, 'evidence', sid, `media-${mid}.idvc`);
async function contentIds(sid: string): Promise<string[]> {
  return (await store.sessions.listMedia(sid)).filter((m) => !isDamaged(m) && !m.noContent).map((m) => m.mediaId!);
}

describe('fetching into the offline store', () => {
  test('a COMPLETED session is kept unless forced; --force fetches it again', async () => {
    const first = await fetchInto(store, demo, A);
    expect(first).toMatchObject({ state: 'COMPLETED', keptCached: false, refreshed: false });
    expect(first.mediaSaved).toBe(first.mediaTotal);
    const requests = demo.server.requests.length;
    const again = await fetchInto(store, demo, A);
    expect(again).toMatchObject({ keptCached: true, mediaSaved: 0, repaired: [] });
    expect(demo.server.requests.length).toBe(requests); // nothing asked of Yoti
    const forced = await fetchInto(store, demo, A, { force: true });
    expect(forced).toMatchObject({ keptCached: false, refreshed: true });
    expect(forced.mediaSaved).toBe(first.mediaTotal);
  });

  test('an ONGOING session is refreshed every time', async () => {
    await fetchInto(store, demo, ONGOING);
    for (const s of variants(1)) demo.server.addSession(s);
    const again = await fetchInto(store, demo, ONGOING);
    expect(again).toMatchObject({ keptCached: false, refreshed: true });
    const body = JSON.parse((await store.sessions.loadSession(ONGOING))!.body.toString('utf8')) as { user_tracking_id: string };
    expect(body.user_tracking_id).toBe('variant-1');
  });

  test('a damaged item is re-fetched and replaced (not a reason to fail); lists report it per item meanwhile', async () => {
    await fetchInto(store, demo, A);
    const [m1, m2] = await contentIds(A);
    await writeFile(mediaFile(A, m1!), 'garbage');
    const bytes = await readFile(mediaFile(A, m2!));
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff; // payload only: the metadata still reads
    await writeFile(mediaFile(A, m2!), bytes);
    const listed = await store.sessions.listMedia(A);
    expect(listed.filter(isDamaged).map((m) => m.mediaId)).toEqual([m1]);
    expect((await store.listMediaVerified(A)).filter(isDamaged).map((m) => m.mediaId).sort()).toEqual([m1, m2].sort());
    const rows = await store.listCachedSessions({ deep: true });
    expect(rows.find((r) => r.sessionId === A)?.cache).toBe('damaged');

    const repaired = await fetchInto(store, demo, A); // COMPLETED, not forced: only the damaged items
    expect(repaired.keptCached).toBe(true);
    expect(repaired.repaired?.sort()).toEqual([m1, m2].sort());
    expect(repaired.mediaSaved).toBe(2);
    expect((await store.listMediaVerified(A)).filter(isDamaged)).toEqual([]);
    expect((await store.verify()).ok).toBe(true);
  });

  test('a damaged session file is re-fetched in full', async () => {
    await fetchInto(store, demo, A);
    await writeFile(join(dir, 'evidence', A, 'session.idvc'), 'x');
    expect((await store.sessions.listSessions()).filter(isDamaged).map((s) => s.sessionId)).toEqual([A]);
    const again = await fetchInto(store, demo, A);
    expect(again.keptCached).toBe(false);
    expect((await store.verify()).ok).toBe(true);
  });

  test("an item Yoti no longer has (204) never replaces the local copy", async () => {
    await fetchInto(store, demo, ONGOING);
    const [mid] = await contentIds(ONGOING);
    const s = variants(2).find((x) => x.sessionId === ONGOING)!;
    demo.server.addSession({ ...s, media: new Map([...(s.media as Map<string, never>)].map(([id, m]) => [id, id === mid ? { noContent: true } : m])) });
    const again = await fetchInto(store, demo, ONGOING);
    expect(again.keptLocalCopy).toEqual([mid]);
    const item = await store.sessions.loadMedia(ONGOING, mid!);
    expect(item && 'bytes' in item).toBe(true);
    expect((await store.verify()).ok).toBe(true);
  });

  test('listCachedSessions: state, recommendation, decision, retain-until, cache health', async () => {
    await fetchInto(store, demo, A);
    await fetchInto(store, demo, EDGE);
    await store.reviews.confirmDecision(A, { via: 'cli', decision: 'APPROVE' });
    const rows = await store.listCachedSessions({ deep: true });
    const a = rows.find((r) => r.sessionId === A)!;
    expect(a).toMatchObject({ state: 'COMPLETED', overall: 'APPROVE', review: 'CONFIRMED', decision: 'APPROVE', cache: 'intact', retainUntilOverridden: false });
    expect(Date.parse(a.retainUntil!) - Date.parse(a.fetchedAt!)).toBe(30 * 86_400_000);
    const edge = rows.find((r) => r.sessionId === EDGE)!;
    expect(edge).toMatchObject({ review: 'NONE', cache: 'intact' });
    expect(edge.decision).toBeUndefined();
  });
});

describe('a full disk', () => {
  test('saving a draft: every point at which the disk fills gives DISK_FULL in words or completes; the previous state stays intact', async () => {
    await fetchInto(store, demo, A);
    await store.reviews.saveDraft(A, { notes: 'v1' });
    const outcomes = { refused: 0, saved: 0 };
    for (let allow = 0; allow < 20; allow += 1) {
      const before = await store.reviews.get(A);
      disk.full = true;
      disk.allowWrites = allow;
      const notes = `attempt ${allow}`;
      const result = await store.reviews.saveDraft(A, { notes }).then(
        () => 'saved' as const,
        (e: { code?: string; message?: string }) => {
          expect(e.code).toBe('DISK_FULL');
          expect(e.message).toMatch(/^The disk is full; nothing was changed/);
          return 'refused' as const;
        },
      );
      disk.full = false;
      outcomes[result] += 1;
      const after = await store.reviews.get(A);
      if (result === 'refused') expect(after.versions).toEqual(before.versions);
      else expect(after.current?.notes).toBe(notes);
      // verify writes nothing: a saved step whose anchoring the full disk stopped is named until the next step finishes it.
      const named = (await store.verify()).problems;
      expect(named.every((p) => /announced a change that was interrupted and is not reconciled yet/.test(p)), named.join('; ')).toBe(true);
      expect(await store.trustProblem()).toBeNull();
      const report = await store.verify();
      expect(report.problems, `disk full after ${allow} writes`).toEqual([]);
    }
    expect(outcomes.refused).toBeGreaterThan(0);
    expect(outcomes.saved).toBeGreaterThan(0);
  });

  test('a fetch that fills the disk half way leaves every previously stored file as it was', async () => {
    await fetchInto(store, demo, ONGOING);
    const snapshot = await readAll(join(dir, 'evidence', ONGOING));
    const manifest = (await store.evidenceManifest(ONGOING)).manifest;
    for (const s of variants(3)) demo.server.addSession(s);
    for (const allow of [0, 1, 3, 6]) {
      disk.full = true;
      disk.allowWrites = allow;
      const err = await fetchInto(store, demo, ONGOING).then(() => null, (e: { code?: string; message?: string }) => e);
      disk.full = false;
      expect(err).toMatchObject({ code: 'DISK_FULL', message: expect.stringMatching(/disk is full; nothing was changed/) });
      expect(await readAll(join(dir, 'evidence', ONGOING))).toEqual(snapshot);
      expect((await store.evidenceManifest(ONGOING)).manifest).toEqual(manifest);
      expect((await store.verify()).ok).toBe(true);
    }
    expect(disk.failures).toBeGreaterThan(0);
    // With space again, the same fetch goes through.
    expect((await fetchInto(store, demo, ONGOING)).refreshed).toBe(true);
  });

  test('an audit entry that cannot be written leaves no partial line behind', async () => {
    await fetchInto(store, demo, A);
    const log = await readFile(join(dir, 'audit', 'log.jsonl'));
    disk.full = true;
    await expect(store.recordAudit('report.exported', A, { sha256: 'a'.repeat(64) })).rejects.toMatchObject({ code: 'DISK_FULL' });
    disk.full = false;
    expect(await readFile(join(dir, 'audit', 'log.jsonl'))).toEqual(log);
    expect((await store.verify()).ok).toBe(true);
  });
});

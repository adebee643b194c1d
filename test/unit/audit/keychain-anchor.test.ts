import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import type { OfflineStore, StoreKeys } from '../../../main/core/store/offline-store';
import { fetchInto, MemoryAnchor, openStore, readAll, storeTestHooks, type Demo } from '../review/support';

/**
 * The audit log's head is also kept in the OS keychain (keychain-anchor.ts): a data folder put back
 * from an earlier copy, a log from elsewhere, or a deleted audit folder is "rolled back or replaced",
 * refuses every changing step, decisions and exports included, and stays so until a person accepts it.
 * The keychain is a port here (the CLI test uses the real one).
 */

const A = DEMO_SESSION_IDS.approvedPassport;
let demo: Demo;
let dir: string;
let keys: StoreKeys;
let keychain: MemoryAnchor;
let store: OfflineStore;

const open = (extra: { readOnly?: boolean; dataDir?: string } = {}): Promise<OfflineStore> => openStore(extra.dataDir ?? dir, keys, { anchor: keychain, ...extra });

storeTestHooks('idv-anchor-', async (env) => {
  ({ demo, dir, keys } = env);
  keychain = new MemoryAnchor();
  store = await open();
});

async function decide(s: OfflineStore, supersede?: string): Promise<void> {
  await s.reviews.confirmDecision(A, { via: 'cli', decision: 'REJECT', reasonCodes: ['SUSPECTED_FRAUD'], notes: supersede ?? 'first look', ...(supersede ? { supersede: true, overrides: { changeReason: supersede } } : {}) });
}

/** A decision, a copy of the whole data folder, then a superseding decision (the copy is "earlier"). */
async function decidedTwiceWithEarlierCopy(): Promise<string> {
  await fetchInto(store, demo, A);
  await decide(store);
  const copy = await mkdtemp(join(tmpdir(), 'idv-anchor-copy-'));
  await cp(dir, copy, { recursive: true });
  await decide(store, 'the second document was forged');
  return copy;
}

async function putBack(copy: string, what: 'audit' | 'all'): Promise<void> {
  const from = what === 'audit' ? join(copy, 'audit') : copy;
  const to = what === 'audit' ? join(dir, 'audit') : dir;
  await rm(to, { recursive: true, force: true });
  await cp(from, to, { recursive: true });
  if (what === 'audit') await rm(join(dir, 'records', A, 'v-00000002.idvr'));
  await rm(copy, { recursive: true, force: true });
}

describe('the keychain follows the log', () => {
  test('every anchoring moves it to the head of the log; verify finds them equal', async () => {
    await fetchInto(store, demo, A);
    await decide(store);
    const entries = await store.audit.entries();
    expect(keychain.value).toEqual({ count: entries.length, head: entries.at(-1)?.mac });
    expect((await store.verify()).ok).toBe(true);
  });

  test('a keychain behind the log by what a crash left (head written, keychain not yet) is no problem, and is moved forward', async () => {
    await fetchInto(store, demo, A);
    const before = { ...keychain.value! };
    await decide(store);
    keychain.value = before;
    const reopened = await open();
    expect(await reopened.trustProblem()).toBeNull();
    expect(keychain.value?.count).toBe((await reopened.audit.entries()).length);
  });
});

describe('rolled back or replaced', () => {
  test.each([
    ['an earlier copy of the audit folder put back, the superseding version deleted', 'audit'],
    ['the whole data folder restored from an earlier copy', 'all'],
  ] as const)('%s: verify names it; list still lists; decisions, exports and every write are refused; verify writes nothing', async (_, what) => {
    const copy = await decidedTwiceWithEarlierCopy();
    await putBack(copy, what);
    const reopened = await open();
    const report = await reopened.verify();
    expect(report.ok).toBe(false);
    expect(report.problems[0]).toMatch(/^the audit log has \d+ entries but the OS keychain anchors \d+: it was rolled back/);
    expect(await reopened.trustProblem()).toMatch(/rolled back/);
    expect((await reopened.listCachedSessions()).map((r) => r.decision)).toEqual(['REJECT']);
    await expect(decide(reopened, 'again')).rejects.toMatchObject({ code: 'AUDIT_ROLLED_BACK', message: expect.stringContaining('idv-review audit accept-restore') });
    await expect(reopened.reviews.markOpened(A)).rejects.toMatchObject({ code: 'AUDIT_ROLLED_BACK' });
    await expect(reopened.assertTrusted()).rejects.toMatchObject({ code: 'AUDIT_ROLLED_BACK' });
    const files = await readAll(dir);
    expect((await (await open({ readOnly: true })).verify()).ok).toBe(false);
    expect(await readAll(dir)).toEqual(files);
  });

  test('the audit folder deleted: a fresh log is behind the keychain', async () => {
    await fetchInto(store, demo, A);
    await decide(store);
    await rm(join(dir, 'audit'), { recursive: true });
    const reopened = await open();
    expect(await reopened.trustProblem()).toMatch(/the audit log has 0 entries but the OS keychain anchors \d+/);
    await expect(reopened.recordAudit('report.exported', A, {})).rejects.toMatchObject({ code: 'AUDIT_ROLLED_BACK' });
  });

  test('a log from another folder (same keys, as long): replaced', async () => {
    await fetchInto(store, demo, A);
    const other = await mkdtemp(join(tmpdir(), 'idv-anchor-other-'));
    const elsewhere = await openStore(other, keys);
    await fetchInto(elsewhere, demo, A);
    const count = (await store.audit.entries()).length;
    expect((await elsewhere.audit.entries()).length).toBe(count);
    await rm(join(dir, 'audit'), { recursive: true });
    await cp(join(other, 'audit'), join(dir, 'audit'), { recursive: true });
    await rm(other, { recursive: true, force: true });
    const report = await (await open()).verify();
    expect(report.problems[0]).toMatch(new RegExp(`^audit entry #${count} is not the one the OS keychain anchors: the log was replaced`));
  });
});

describe('accepting a restore', () => {
  test('records the old and the new head and the reason, anchors the log as it is, and writing works again', async () => {
    const copy = await decidedTwiceWithEarlierCopy();
    const anchoredBefore = { ...keychain.value! };
    await putBack(copy, 'audit');
    const reopened = await open();
    await expect(reopened.acceptRestore('  ')).rejects.toMatchObject({ code: 'REASON_REQUIRED' });
    const accepted = await reopened.acceptRestore('restored the backup of 3 December after the disk failed');
    expect(accepted.from).toEqual(anchoredBefore);
    const entries = await reopened.audit.entries();
    const last = entries.at(-1)!;
    expect(last).toMatchObject({
      type: 'audit.restore-accepted',
      data: { fromCount: anchoredBefore.count, fromHead: anchoredBefore.head, toCount: last.seq - 1, toHead: entries.at(-2)?.mac, reason: 'restored the backup of 3 December after the disk failed' },
    });
    expect(keychain.value).toEqual({ count: last.seq, head: last.mac });
    expect((await reopened.verify()).ok).toBe(true);
    await decide(reopened, 'decided again after the restore');
    await expect(reopened.acceptRestore('nothing to accept')).rejects.toMatchObject({ code: 'NOTHING_TO_ACCEPT' });
  });
});

describe('verify reads only', () => {
  test('an interrupted step is named, not finished; a read-only copy is checked without a lock file and warns that no anchor vouches for it', async () => {
    await fetchInto(store, demo, A);
    await store.section(() => store.audit.appendLocked('retention.set', A, { retainUntil: null, firstFetchedAt: '2025-01-01T00:00:00.000Z' }, { intent: true }));
    const log = await readFile(join(dir, 'audit', 'log.jsonl'));
    const checked = await open({ readOnly: true });
    const report = await checked.verify();
    expect(report.problems.some((p) => /announced a change that was interrupted and is not reconciled yet/.test(p))).toBe(true);
    expect(await readFile(join(dir, 'audit', 'log.jsonl'))).toEqual(log);
    await expect(checked.reviews.markOpened(A)).rejects.toMatchObject({ code: 'READ_ONLY' });

    const copy = await mkdtemp(join(tmpdir(), 'idv-anchor-ro-'));
    await (await open()).trustProblem(); // finishes the interrupted step
    await cp(dir, copy, { recursive: true });
    await rm(join(copy, 'store.lock'), { force: true });
    const keychainOfCopy = new MemoryAnchor();
    const copied = await openStore(copy, keys, { anchor: keychainOfCopy, readOnly: true });
    const ok = await copied.verify();
    expect(ok.problems).toEqual([]);
    expect(ok.warnings[0]).toMatch(/the OS keychain holds no anchor for this data folder/);
    expect(existsSync(join(copy, 'store.lock'))).toBe(false);
    await writeFile(join(copy, 'audit', 'log.jsonl'), '');
    expect((await copied.verify()).ok).toBe(false);
    await rm(copy, { recursive: true, force: true });
  });
});

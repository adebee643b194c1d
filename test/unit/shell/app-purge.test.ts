import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import { KeyVault } from '../../../main/core/keys/key-vault';
import { KeytarSecretStore } from '../../../main/core/keys/secret-store';
import { openOfflineStoreFor } from '../../../main/core/store/offline-store';
import { SessionQueue } from '../../../main/ipc/queue';
import { fetchInto, startDemo, type Demo } from '../review/support';
import { recorder } from './electron-stub';

vi.mock('electron', async () => (await import('./electron-stub')).electronModule());
// The app's keychain, in memory and shared by every instance: the test prepares the store with it.
vi.mock('../../../main/core/keys/secret-store', async (importOriginal) => (await import('./shared-secret-store')).sharedSecretStore(importOriginal));

/*
 * Start-up of main/shell/app.ts over a data folder holding one session past its retain-until and one
 * within it: the expired one is purged (evidence, review record, queue entry) before the window
 * exists, and the log says how many without naming any session.
 */
const { approvedPassport: EXPIRED, rejectedIdCard: KEPT } = DEMO_SESSION_IDS;
const dataDir = mkdtempSync(join(tmpdir(), 'idv-shell-purge-'));
const infos: string[] = [];
let demo: Demo;

beforeAll(async () => {
  demo = await startDemo();
  const vault = new KeyVault({ secrets: new KeytarSecretStore(), dataDir });
  const store = await openOfflineStoreFor({ dataDir, vault, settings: {} });
  for (const sid of [EXPIRED, KEPT]) await fetchInto(store, demo, sid);
  await store.reviews.confirmDecision(EXPIRED, { via: 'cli', decision: 'APPROVE', notes: 'the same person as the kept card', reviewerName: 'Purge Tester' });
  await store.setRetainUntil(EXPIRED, '2020-01-01T00:00:00.000Z');
  const key = await vault.cacheKey();
  await new SessionQueue({ dataDir, key }).add([EXPIRED, KEPT], new Date().toISOString());

  vi.spyOn(console, 'info').mockImplementation((line: string) => {
    infos.push(line);
    recorder.calls.push('console.info');
  });
  process.env.IDV_REVIEW_HOME = dataDir;
  const { started } = await import('../../../main/shell/app');
  if (!(await started)) throw new Error('the app did not start');
});

afterAll(async () => {
  vi.restoreAllMocks();
  await demo?.close();
});

describe('start-up purge', () => {
  test('the session past its retain-until is deleted before the window is created; the other is kept', async () => {
    expect(existsSync(join(dataDir, 'evidence', EXPIRED))).toBe(false);
    expect(existsSync(join(dataDir, 'evidence', KEPT))).toBe(true);
    // Its review record is kept for the record retention (five years by default).
    expect(existsSync(join(dataDir, 'records', EXPIRED))).toBe(true);
    expect(recorder.calls.indexOf('console.info')).toBeGreaterThan(recorder.calls.indexOf('app.whenReady'));
    expect(recorder.calls.indexOf('console.info')).toBeLessThan(recorder.calls.indexOf('new BrowserWindow'));

    const vault = new KeyVault({ secrets: new KeytarSecretStore(), dataDir });
    const store = await openOfflineStoreFor({ dataDir, vault, settings: {} });
    const purged = (await store.audit.entries()).filter((e) => e.type === 'session.purged');
    expect(purged.map((e) => e.sessionId)).toEqual([EXPIRED]);
    expect(purged[0]?.data).toMatchObject({ retainUntil: '2020-01-01T00:00:00.000Z', reviewVersions: 1 });
    expect((await store.verify()).ok).toBe(true);
    // Not in the queue any more, so nothing fetches it again by itself.
    expect((await new SessionQueue({ dataDir, key: await vault.cacheKey() }).list()).map((e) => e.sessionId)).toEqual([KEPT]);
  });

  test('the log says what was purged in counts, never with a session id', () => {
    expect(infos).toEqual([
      '[idv-review] start-up purge: evidence of 1 session(s) past their retain-until deleted, 1 kept; 0 review record(s) past the record retention deleted, 1 kept',
    ]);
  });

  test('the window lists what is left: the kept session, and the purged one as its record', async () => {
    const win = recorder.windows[0]!;
    const list = recorder.ipcHandlers.get('idv:listSessions')!;
    const result = (await list({ sender: win.webContents, senderFrame: win.webContents.mainFrame }, {})) as { ok: boolean; value?: Array<{ sessionId: string; cache: string }> };
    expect(result.value?.map((r) => [r.sessionId, r.cache])).toEqual([
      [KEPT, 'intact'],
      [EXPIRED, 'evidence-deleted'],
    ]);
  });
});

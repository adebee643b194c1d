import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import { KeyVault } from '../../../main/core/keys/key-vault';
import { KeytarSecretStore } from '../../../main/core/keys/secret-store';
import { openOfflineStoreFor } from '../../../main/core/store/offline-store';
import type { Result } from '../../../common/ipc/contract';
import { recorder } from './electron-stub';

vi.mock('electron', async () => (await import('./electron-stub')).electronModule());
// The app's keychain, in memory and shared by every instance: the test reads the store with it.
vi.mock('../../../main/core/keys/secret-store', async (importOriginal) => (await import('./shared-secret-store')).sharedSecretStore(importOriginal));

/*
 * main/shell/app.ts with the recording Electron stand-in: every call that cannot be undone or weakens
 * security raises main's own message box, parented to the window, with Cancel as the default; the
 * page's call changes nothing until that box is answered with the confirming button.
 */
const { approvedPassport: A, rejectedIdCard: B } = DEMO_SESSION_IDS;
const dataDir = mkdtempSync(join(tmpdir(), 'idv-shell-confirms-'));
const SDK_ID = 'c0ff1e00-0000-4000-8000-000000000001';
const CANCEL = 1;
const CONFIRM = 0;

async function invoke<T>(channel: string, args: unknown): Promise<Result<T>> {
  const win = recorder.windows[0]!;
  const handler = recorder.ipcHandlers.get(`idv:${channel}`)!;
  return (await handler({ sender: win.webContents, senderFrame: win.webContents.mainFrame }, args)) as Result<T>;
}

async function value<T>(channel: string, args: unknown): Promise<T> {
  const r = await invoke<T>(channel, args);
  if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** Calls `channel` with the box answered `response`; returns the result and the one box main raised. */
async function asked<T>(response: number, channel: string, args: unknown): Promise<{ result: Result<T>; box: { parent: unknown; options: Electron.MessageBoxOptions } }> {
  recorder.messageBoxResponse = response;
  const before = recorder.dialogCalls.length;
  const result = await invoke<T>(channel, args);
  const boxes = recorder.dialogCalls.slice(before).filter((d) => d.kind === 'message');
  expect(boxes, `${channel} raises exactly one box`).toHaveLength(1);
  recorder.messageBoxResponse = CANCEL;
  return { result, box: boxes[0] as { parent: unknown; options: Electron.MessageBoxOptions } };
}

const auditTypes = async (): Promise<string[]> => {
  const vault = new KeyVault({ secrets: new KeytarSecretStore(), dataDir });
  const store = await openOfflineStoreFor({ dataDir, vault, settings: {}, readOnly: true });
  return (await store.audit.entries()).map((e) => e.type);
};

beforeAll(async () => {
  const vault = new KeyVault({ secrets: new KeytarSecretStore(), dataDir });
  await vault.importKey(SDK_ID, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  process.env.IDV_REVIEW_HOME = dataDir;
  const { started } = await import('../../../main/shell/app');
  if (!(await started)) throw new Error('the app did not start');
  await value('startDemo', {});
  for (const sessionId of [A, B]) await value('fetchSession', { sessionId });
  await value('saveReviewDraft', { sessionId: A, decision: 'APPROVE', notes: 'a record to keep', reasonCodes: [], checkVerdicts: [] });
});

afterAll(async () => {
  await invoke('stopDemo', {});
});

describe("main's own confirmation, before anything that cannot be undone or weakens security", () => {
  const cases: Array<{ what: string; channel: string; args: () => unknown; unchanged: () => Promise<void> | void }> = [
    {
      what: 'removing a session locally',
      channel: 'removeSessionLocally',
      args: () => ({ sessionId: B }),
      unchanged: () => expect(existsSync(join(dataDir, 'evidence', B))).toBe(true),
    },
    {
      what: 'deleting a session at Yoti',
      channel: 'deleteAtYoti',
      args: () => ({ sessionId: B }),
      unchanged: async () => {
        expect(existsSync(join(dataDir, 'evidence', B))).toBe(true);
        expect(await auditTypes()).not.toContain('remote.deleted');
      },
    },
    {
      what: 'removing a key',
      channel: 'removeKey',
      args: () => ({ sdkId: SDK_ID }),
      unchanged: async () => expect((await new KeyVault({ secrets: new KeytarSecretStore(), dataDir }).list()).map((k) => k.sdkId)).toContain(SDK_ID),
    },
    {
      what: 'lowering the evidence retention',
      channel: 'updateSettings',
      args: () => ({ retentionDays: 3 }),
      unchanged: () => expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')).retentionDays).toBeUndefined(),
    },
    {
      what: 'lowering the record retention',
      channel: 'updateSettings',
      args: () => ({ recordRetentionDays: 30 }),
      unchanged: () => expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')).recordRetentionDays).toBeUndefined(),
    },
    {
      what: 'moving the face-match threshold',
      channel: 'updateSettings',
      args: () => ({ faceMatchThreshold: 0.3 }),
      unchanged: () => expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8')).faceMatchThreshold).not.toBe(0.3),
    },
    {
      what: 'aiming the key at a host outside the allowlist',
      channel: 'updateSettings',
      args: () => ({ apiUrl: 'https://idv.attacker.example/idverify/v1' }),
      unchanged: () => expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).not.toContain('attacker'),
    },
  ];

  for (const c of cases) {
    test(`${c.what}: a box from main, parented to the window, Cancel by default; cancelled, nothing changes`, async () => {
      const { result, box } = await asked(CANCEL, c.channel, c.args());
      expect(box.parent).toBe(recorder.windows[0]);
      expect(box.options).toMatchObject({ type: 'warning', defaultId: 1, cancelId: 1, buttons: [expect.any(String), 'Cancel'] });
      expect(box.options.message).toBeTruthy();
      // A cancelled call answers "nothing done" or refuses in words; either way nothing changed.
      if (!result.ok) expect(result.error.code).toBe('NOT_CONFIRMED');
      else expect(Object.values(result.value as Record<string, unknown>)).not.toContain(true);
      await c.unchanged();
    });
  }

  test('deleting a review record: cancelled, it stays; confirmed, it goes, with its audit entry', async () => {
    await asked(CONFIRM, 'removeSessionLocally', { sessionId: A });
    expect(existsSync(join(dataDir, 'records', A))).toBe(true);
    const cancelled = await asked<{ deleted: boolean }>(CANCEL, 'deleteRecord', { sessionId: A });
    expect(cancelled.result).toEqual({ ok: true, value: { deleted: false } });
    expect(cancelled.box.options.message).toBe(`Delete the review record of session ${A} from this computer?`);
    expect(existsSync(join(dataDir, 'records', A))).toBe(true);
    const confirmed = await asked<{ deleted: boolean }>(CONFIRM, 'deleteRecord', { sessionId: A });
    expect(confirmed.result).toEqual({ ok: true, value: { deleted: true } });
    expect(existsSync(join(dataDir, 'records', A))).toBe(false);
    expect((await auditTypes()).slice(-1)).toEqual(['record.deleted']);
  });
});

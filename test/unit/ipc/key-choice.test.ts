import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AuditEntry } from '../../../main/core/audit/audit-log';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import { startDemoServer, type DemoServer } from '../../../main/core/demo-server/server';
import { handlerHarness } from './handler-harness';

// Two Yoti applications' keys on one workstation: the one to fetch with is chosen in Settings.
const KNOWN = 'a1b2c3d4-0000-4000-8000-00000000c0de';
const OTHER = 'a1b2c3d4-0000-4000-8000-00000000beef';
const known = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (k: typeof known) => k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const SESSION = DEMO_SESSION_IDS.approvedPassport;

const dataDir = mkdtempSync(join(tmpdir(), 'idv-key-choice-'));
let server: DemoServer;
const { services, dialogs, ok, fails } = handlerHarness(dataDir);

beforeAll(async () => {
  // The server knows one of the two applications only, so which key signed shows in the answer.
  server = await startDemoServer({ apps: [{ sdkId: KNOWN, publicKey: known.publicKey }] });
  await services.vault.importKey(KNOWN, pem(known));
  await services.vault.importKey(OTHER, pem(other));
  dialogs.nextConfirm = true; // a test server, not Yoti's API: main asks first
  await ok('updateSettings', { apiUrl: server.baseUrl });
});
afterAll(async () => {
  await services.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('choosing the key to fetch with', () => {
  test('with two keys and no choice, fetching says to choose in Settings, naming both', async () => {
    const err = await fails('fetchSession', { sessionId: SESSION });
    expect(err.code).toBe('SDK_ID_REQUIRED');
    expect(err.message).toContain(KNOWN);
    expect(err.message).toContain(OTHER);
    expect(err.message).toMatch(/choose the one to fetch with in Settings/);
    expect(server.requests).toHaveLength(0);
  });

  test('the chosen key signs: the other application is refused by the server, the known one fetches', async () => {
    expect((await ok('updateSettings', { sdkId: OTHER })).sdkId).toBe(OTHER);
    expect(await fails('fetchSession', { sessionId: SESSION })).toMatchObject({ code: expect.stringMatching(/APP_NOT_FOUND|UNAUTHORIZED/) });
    expect((await ok('updateSettings', { sdkId: KNOWN })).sdkId).toBe(KNOWN);
    expect((await ok('getAppState', {})).settings.sdkId).toBe(KNOWN);
    expect((await ok('fetchSession', { sessionId: SESSION })).state).toBe('COMPLETED');
    // Kept in the settings file the CLI reads too, and audited.
    expect(JSON.parse(readFileSync(join(dataDir, 'settings.json'), 'utf8'))).toMatchObject({ sdkId: KNOWN });
    const changes: AuditEntry[] = (await (await services.offline()).audit.entries()).filter((e) => e.type === 'settings.changed');
    expect(changes.at(-1)?.data).toMatchObject({ fields: 'sdkId', sdkId: KNOWN });
  });

  test('deleting at Yoti a session with no local copy signs with the chosen key too', async () => {
    const notCached = DEMO_SESSION_IDS.edgeCases;
    dialogs.nextConfirm = true;
    expect(await ok('deleteAtYoti', { sessionId: notCached })).toEqual({ deleted: true });
    expect(server.requests.at(-1)).toMatchObject({ method: 'DELETE', status: 204 });
  });

  test('only a stored customer key can be chosen; null clears the choice', async () => {
    expect(await fails('updateSettings', { sdkId: 'a1b2c3d4-0000-4000-8000-000000000000' })).toMatchObject({ code: 'KEY_NOT_FOUND' });
    expect(await fails('updateSettings', { sdkId: '../../etc' })).toMatchObject({ code: 'INVALID_ARGUMENTS' });
    expect((await ok('getAppState', {})).settings.sdkId).toBe(KNOWN);
    expect((await ok('updateSettings', { sdkId: null })).sdkId).toBeUndefined();
    expect((await fails('fetchSession', { sessionId: SESSION, force: true })).code).toBe('SDK_ID_REQUIRED');
  });

  test('removing the chosen key clears the choice; with one key left, that one is used', async () => {
    await ok('updateSettings', { sdkId: OTHER });
    dialogs.nextConfirm = true;
    expect(await ok('removeKey', { sdkId: OTHER })).toEqual({ removed: true });
    expect((await ok('getAppState', {})).settings.sdkId).toBeUndefined();
    expect((await ok('fetchSession', { sessionId: SESSION, force: true })).state).toBe('COMPLETED');
  });
});

import { beforeAll, describe, expect, test, vi } from 'vitest';
import type { Api } from '../../../common/ipc/contract';
import { recorder } from './electron-stub';
import { EXPECTED_API_KEYS } from '../ipc/expected-api';

vi.mock('electron', async () => (await import('./electron-stub')).electronModule());

/* The real preload entry, against the stand-in contextBridge and ipcRenderer. */
let api: Api;

beforeAll(async () => {
  await import('../../../preload/index');
  api = recorder.exposed.get('api') as Api;
});

describe('preload', () => {
  test('exposes one thing, `api`, once', () => {
    expect([...recorder.exposed.keys()]).toEqual(['api']);
    expect(recorder.calls.filter((c) => c.startsWith('contextBridge.'))).toEqual(['contextBridge.exposeInMainWorld(api)']);
  });

  test('the API surface is exactly the contract channels plus on()', () => {
    expect(Object.keys(api).sort()).toEqual([...EXPECTED_API_KEYS].sort());
    expect(Object.isFrozen(api)).toBe(true);
    for (const leak of ['ipcRenderer', 'invoke', 'send', 'sendSync', 'require', 'process']) expect(leak in api, leak).toBe(false);
  });

  test('a call invokes its wire channel with exactly one argument', async () => {
    recorder.rendererInvokes.length = 0;
    await api.openSession({ sessionId: 's1' });
    await (api.getAppState as (...a: unknown[]) => Promise<unknown>)({}, 'extra', { channel: 'idv:removeKey' });
    await (api.listSessions as () => Promise<unknown>)();
    expect(recorder.rendererInvokes).toEqual([
      { channel: 'idv:openSession', args: [{ sessionId: 's1' }] },
      { channel: 'idv:getAppState', args: [{}] },
      { channel: 'idv:listSessions', args: [{}] },
    ]);
  });

  test('on() delivers the payload only, and its return value unsubscribes', () => {
    const seen: unknown[] = [];
    const off = api.on('fetch-progress', (p) => seen.push(p));
    const listeners = recorder.rendererListeners.get('idv-event:fetch-progress')!;
    expect(listeners.size).toBe(1);
    const [listener] = [...listeners];
    listener!({ sender: 'the IPC event object' }, { sessionId: 's', done: 1, total: 2 });
    expect(seen).toEqual([{ sessionId: 's', done: 1, total: 2 }]);
    off();
    off();
    expect(listeners.size).toBe(0);
  });

  test('on() refuses names outside the contract events', () => {
    expect(() => (api.on as (e: string, l: () => void) => void)('idv:getAppState', () => undefined)).toThrow(/Unknown event/);
    expect(() => (api.on as (e: string, l: () => void) => void)('ipc-message', () => undefined)).toThrow(/Unknown event/);
    expect(() => (api.on as (e: string, l: unknown) => void)('menu-command', 'not a function')).toThrow(/function/);
  });
});

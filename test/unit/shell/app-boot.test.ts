import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { CHANNELS, ipcChannel } from '../../../common/ipc/contract';
import type { AppRuntime } from '../../../main/shell/app';
import { FakeFrame, FakeWebContents, recorder } from './electron-stub';

vi.mock('electron', async () => (await import('./electron-stub')).electronModule());

/*
 * The whole start-up of main/shell/app.ts against the recording stand-in: what is registered, in
 * which order, with which options. The data folder is a temp dir (IDV_REVIEW_HOME).
 */
const dataDir = mkdtempSync(join(tmpdir(), 'idv-shell-boot-'));
let runtime: AppRuntime;

beforeAll(async () => {
  process.env.IDV_REVIEW_HOME = dataDir;
  // No network interface (net.isOnline()): the app says so without asking Yoti, and the test never reaches out.
  recorder.online = false;
  const { started } = await import('../../../main/shell/app');
  const r = await started;
  if (!r) throw new Error('the app did not start');
  runtime = r;
});

describe('app start-up', () => {
  test('sandbox, privileged schemes, single-instance lock and session data path come before ready', () => {
    const ready = recorder.calls.indexOf('app.whenReady');
    expect(ready).toBeGreaterThan(0);
    for (const call of ['protocol.registerSchemesAsPrivileged', 'app.enableSandbox', 'app.requestSingleInstanceLock', 'app.setPath(sessionData)']) {
      expect(recorder.calls.indexOf(call), call).toBeGreaterThanOrEqual(0);
      expect(recorder.calls.indexOf(call), call).toBeLessThan(ready);
    }
    expect(recorder.paths.get('sessionData')).toBe(join(dataDir, 'chromium'));
  });

  test('app:// and idv-media:// are standard and secure, and bypass nothing', () => {
    expect(recorder.schemes.map((s) => s.scheme).sort()).toEqual(['app', 'idv-media']);
    for (const s of recorder.schemes) {
      expect(s.privileges).toEqual({ standard: true, secure: true });
      expect(s.privileges?.bypassCSP).toBeUndefined();
      expect(s.privileges?.corsEnabled).toBeUndefined();
    }
  });

  test('both protocols are handled after ready', () => {
    const ready = recorder.calls.indexOf('app.whenReady');
    expect([...recorder.protocolHandlers.keys()].sort()).toEqual(['app', 'idv-media']);
    expect(recorder.calls.indexOf('protocol.handle(app)')).toBeGreaterThan(ready);
  });

  test('every contract channel is registered exactly once, and nothing else', () => {
    expect([...recorder.ipcHandlers.keys()].sort()).toEqual(CHANNELS.map(ipcChannel).sort());
    for (const c of CHANNELS) expect(recorder.ipcHandleCount.get(ipcChannel(c)), c).toBe(1);
  });

  test('one window, loading app://renderer/index.html, trusted for IPC', () => {
    expect(recorder.windows).toHaveLength(1);
    const win = recorder.windows[0]!;
    expect(win.loadedUrl).toBe('app://renderer/index.html');
    expect(runtime.trusted.has(win.webContents.id)).toBe(true);
    expect(win.options.webPreferences?.preload).toBe(join(process.cwd(), 'main', 'preload', 'index.cjs'));
  });

  test('guards are on the default session before the window, and on every new webContents', () => {
    const s = recorder.defaultSession;
    expect(s.permissionRequestHandler).toBeTypeOf('function');
    expect(s.permissionCheckHandler).toBeTypeOf('function');
    expect(s.beforeRequest).toBeTypeOf('function');
    expect(recorder.calls.indexOf('session.setPermissionRequestHandler')).toBeLessThan(recorder.calls.indexOf('new BrowserWindow'));
    const win = recorder.windows[0]!;
    expect(win.webContents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(win.webContents.listenerCount('will-navigate')).toBe(1);

    const other = new FakeWebContents();
    recorder.emitApp('web-contents-created', {}, other);
    expect(other.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(other.listenerCount('will-navigate')).toBe(1);
    expect(other.listenerCount('will-redirect')).toBe(1);
    expect(other.listenerCount('will-attach-webview')).toBe(1);
  });

  test('the application menu is set', () => {
    expect(recorder.applicationMenu).toBeDefined();
    expect(recorder.menuTemplate?.length).toBeGreaterThan(0);
  });

  test('IPC from the window is answered by the real handler table; from anything else, FORBIDDEN', async () => {
    const win = recorder.windows[0]!;
    const handler = recorder.ipcHandlers.get(ipcChannel('getAppState'))!;
    const trustedEvent = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
    const ok = (await handler(trustedEvent, {})) as { ok: boolean; value?: { settings: { apiUrl: string; environment: string }; keys: unknown[]; reachability: unknown } };
    expect(ok.ok).toBe(true);
    expect(ok.value?.reachability).toEqual({ online: false, reason: 'this computer is not connected to any network' });
    expect(ok.value?.settings).toMatchObject({ apiUrl: 'https://api.yoti.com/idverify/v1', environment: 'production' });
    expect(ok.value?.keys).toEqual([]);

    const stranger = new FakeWebContents();
    stranger.mainFrame = new FakeFrame('app://renderer/index.html', 1, stranger.id);
    const refused = (await handler({ sender: stranger, senderFrame: stranger.mainFrame }, {})) as { ok: boolean; error?: { code: string } };
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  test('events go to the trusted window on their wire name', () => {
    const win = recorder.windows[0]!;
    runtime.services.events.emit('session-updated', { sessionId: 'x' });
    expect(win.webContents.sent).toContainEqual(['idv-event:session-updated', { sessionId: 'x' }]);
  });

  test('a menu click sends a menu-command event to the window', () => {
    const win = recorder.windows[0]!;
    const items = (recorder.menuTemplate ?? []).flatMap((m) => (Array.isArray(m.submenu) ? m.submenu : []));
    const next = items.find((i) => i.id === 'next-undecided');
    (next?.click as (() => void) | undefined)?.();
    expect(win.webContents.sent).toContainEqual(['idv-event:menu-command', { command: 'next-undecided' }]);
  });
});

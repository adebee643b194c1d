import { describe, expect, test, vi } from 'vitest';
import { createMainWindow } from '../../../main/shell/window';
import { hardenSession, hardenWebContents, installGuards, isAllowedRequest } from '../../../main/shell/guards';
import { FakeSession, FakeWebContents, recorder } from './electron-stub';

vi.mock('electron', async () => (await import('./electron-stub')).electronModule());

describe('the main window', () => {
  test('has exactly the required webPreferences', () => {
    const win = createMainWindow() as unknown as { options: { webPreferences: Record<string, unknown>; show: boolean }; loadedUrl: string };
    const prefs = win.options.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    });
    expect(String(prefs.preload).replaceAll('\\', '/')).toMatch(/\/preload\/index\.cjs$/);
    // Nothing that loosens the sandbox, ever.
    for (const key of ['enableBlinkFeatures', 'experimentalFeatures', 'nodeIntegrationInWorker', 'additionalArguments', 'partition']) {
      expect(prefs[key] === undefined || prefs[key] === false, key).toBe(true);
    }
    expect(win.loadedUrl).toBe('app://renderer/index.html');
    expect(win.options.show).toBe(false);
  });
});

describe('webContents guards', () => {
  const guarded = (): FakeWebContents => {
    const wc = new FakeWebContents(new FakeSession());
    hardenWebContents(wc as never);
    return wc;
  };

  test.each(['will-navigate', 'will-redirect', 'will-attach-webview'])('%s is prevented, whatever the target', (name) => {
    const wc = guarded();
    for (const url of ['https://evil.example/', 'app://renderer/index.html', 'file:///etc/passwd']) {
      const event = { preventDefault: vi.fn() };
      wc.emit(name, event, url);
      expect(event.preventDefault).toHaveBeenCalledTimes(1);
    }
  });

  test('window.open is denied', () => {
    const wc = guarded();
    expect(wc.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler?.({ url: 'app://renderer/index.html' })).toEqual({ action: 'deny' });
  });

  test('every permission request and check is denied', () => {
    const s = new FakeSession();
    hardenSession(s as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'fullscreen', 'openExternal']) {
      const callback = vi.fn();
      s.permissionRequestHandler?.({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(s.permissionCheckHandler?.({}, permission, 'app://renderer')).toBe(false);
    }
  });

  test('requests are cancelled unless app:, idv-media: or devtools:', () => {
    const s = new FakeSession();
    hardenSession(s as never);
    const cancelled = (url: string): boolean | undefined => {
      let answer: { cancel?: boolean } | undefined;
      s.beforeRequest?.({ url }, (r) => (answer = r));
      return answer?.cancel;
    };
    for (const url of ['app://renderer/index.html', 'idv-media://media/0123456789abcdef0123456789abcdef', 'devtools://devtools/bundled/x.html']) {
      expect(cancelled(url), url).toBe(false);
    }
    for (const url of ['https://api.yoti.com/idverify/v1/sessions', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'data:text/html,x', 'blob:app://renderer/1', 'ws://localhost:5173', 'ftp://x', 'not a url']) {
      expect(cancelled(url), url).toBe(true);
    }
    expect(isAllowedRequest('APP://renderer/x')).toBe(true);
  });

  test('installGuards hardens the default session and every created webContents', () => {
    const s = new FakeSession();
    const listeners = new Map<string, (...a: unknown[]) => void>();
    installGuards({ on: (e: string, l: (...a: unknown[]) => void) => listeners.set(e, l) } as never, s as never);
    expect(s.permissionRequestHandler).toBeTypeOf('function');
    const wc = new FakeWebContents(new FakeSession());
    listeners.get('web-contents-created')?.({}, wc);
    expect(wc.windowOpenHandler?.({ url: 'x' })).toEqual({ action: 'deny' });
    expect(wc.session.permissionCheckHandler?.({}, 'media', 'x')).toBe(false);
    expect(recorder.windows.length).toBeGreaterThanOrEqual(0);
  });
});

/**
 * A recording stand-in for the `electron` module: the binary cannot run here, and a runtime import
 * of the real package throws in Node. Use it with
 *
 *   vi.mock('electron', async () => (await import('./electron-stub')).electronModule());
 *
 * and read what the code under test did from `recorder`. Only the parts the shell and the preload
 * use exist; each records its calls in order (`recorder.calls`).
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserWindowConstructorOptions, CustomScheme, MenuItemConstructorOptions } from 'electron';

// Method syntax makes the parameters bivariant, so any listener signature fits.
type Listener = { bivarianceHack(...args: unknown[]): unknown }['bivarianceHack'];

export class FakeFrame {
  constructor(
    public url: string,
    public processId: number,
    public routingId: number,
    public parent: FakeFrame | null = null,
  ) {}
}

export class FakeSession {
  permissionRequestHandler?: (contents: unknown, permission: string, callback: (granted: boolean) => void, details?: unknown) => void;
  permissionCheckHandler?: (contents: unknown, permission: string, origin: string, details?: unknown) => boolean;
  beforeRequest?: (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void;
  readonly webRequest = {
    onBeforeRequest: (listener: NonNullable<FakeSession['beforeRequest']>) => {
      recorder.calls.push('session.webRequest.onBeforeRequest');
      this.beforeRequest = listener;
    },
  };
  setPermissionRequestHandler(handler: NonNullable<FakeSession['permissionRequestHandler']>): void {
    recorder.calls.push('session.setPermissionRequestHandler');
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: NonNullable<FakeSession['permissionCheckHandler']>): void {
    recorder.calls.push('session.setPermissionCheckHandler');
    this.permissionCheckHandler = handler;
  }
}

let nextContentsId = 100;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly sent: Array<[string, unknown]> = [];
  windowOpenHandler?: (details: { url: string }) => { action: 'allow' | 'deny' };
  mainFrame: FakeFrame;
  destroyed = false;
  constructor(public session: FakeSession = recorder.defaultSession) {
    super();
    this.mainFrame = new FakeFrame('about:blank', 1, this.id);
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: NonNullable<FakeWebContents['windowOpenHandler']>): void {
    this.windowOpenHandler = handler;
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  loadedUrl?: string;
  constructor(public readonly options: BrowserWindowConstructorOptions) {
    super();
    recorder.calls.push('new BrowserWindow');
    recorder.windows.push(this);
    // Like Electron: every new webContents goes through 'web-contents-created'.
    recorder.emitApp('web-contents-created', { preventDefault() {} }, this.webContents);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  show(): void {}
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  static getAllWindows(): FakeBrowserWindow[] {
    return recorder.windows;
  }
}

export interface Recorder {
  calls: string[];
  schemes: CustomScheme[];
  protocolHandlers: Map<string, (request: Request) => Response | Promise<Response>>;
  ipcHandlers: Map<string, Listener>;
  ipcHandleCount: Map<string, number>;
  windows: FakeBrowserWindow[];
  appListeners: Map<string, Listener[]>;
  menuTemplate?: MenuItemConstructorOptions[];
  applicationMenu?: unknown;
  defaultSession: FakeSession;
  paths: Map<string, string>;
  exposed: Map<string, unknown>;
  rendererInvokes: Array<{ channel: string; args: unknown[] }>;
  rendererListeners: Map<string, Set<Listener>>;
  /** Scripted dialog answers. */
  openDialog: { canceled: boolean; filePaths: string[] };
  saveDialog: { canceled: boolean; filePath?: string };
  messageBoxResponse: number;
  dialogCalls: Array<{ kind: string; parent: unknown; options: unknown }>;
  online: boolean;
  emitApp(event: string, ...args: unknown[]): void;
}

const stubHome = mkdtempSync(join(tmpdir(), 'idv-electron-stub-'));

export const recorder: Recorder = {
  calls: [],
  schemes: [],
  protocolHandlers: new Map(),
  ipcHandlers: new Map(),
  ipcHandleCount: new Map(),
  windows: [],
  appListeners: new Map(),
  defaultSession: new FakeSession(),
  paths: new Map(),
  exposed: new Map(),
  rendererInvokes: [],
  rendererListeners: new Map(),
  openDialog: { canceled: true, filePaths: [] },
  saveDialog: { canceled: true },
  messageBoxResponse: 1,
  dialogCalls: [],
  online: true,
  emitApp(event, ...args) {
    for (const l of this.appListeners.get(event) ?? []) l(...args);
  },
};

export function electronModule(): Record<string, unknown> {
  const app = {
    isPackaged: false,
    enableSandbox: () => recorder.calls.push('app.enableSandbox'),
    requestSingleInstanceLock: () => {
      recorder.calls.push('app.requestSingleInstanceLock');
      return true;
    },
    whenReady: () => {
      recorder.calls.push('app.whenReady');
      return Promise.resolve();
    },
    on: (event: string, listener: Listener) => {
      recorder.calls.push(`app.on(${event})`);
      recorder.appListeners.set(event, [...(recorder.appListeners.get(event) ?? []), listener]);
      return app;
    },
    quit: () => recorder.calls.push('app.quit'),
    exit: (code: number) => recorder.calls.push(`app.exit(${code})`),
    getVersion: () => '0.0.0-test',
    getPath: (name: string) => recorder.paths.get(name) ?? join(stubHome, name),
    setPath: (name: string, value: string) => {
      recorder.calls.push(`app.setPath(${name})`);
      recorder.paths.set(name, value);
    },
  };
  const protocol = {
    registerSchemesAsPrivileged: (schemes: CustomScheme[]) => {
      recorder.calls.push('protocol.registerSchemesAsPrivileged');
      recorder.schemes.push(...schemes);
    },
    handle: (scheme: string, handler: (request: Request) => Response | Promise<Response>) => {
      recorder.calls.push(`protocol.handle(${scheme})`);
      if (recorder.protocolHandlers.has(scheme)) throw new Error(`scheme ${scheme} handled twice`);
      recorder.protocolHandlers.set(scheme, handler);
    },
  };
  const ipcMain = {
    handle: (channel: string, listener: Listener) => {
      recorder.ipcHandleCount.set(channel, (recorder.ipcHandleCount.get(channel) ?? 0) + 1);
      // Electron throws on a second handler for the same channel.
      if (recorder.ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      recorder.ipcHandlers.set(channel, listener);
    },
  };
  const Menu = {
    buildFromTemplate: (template: MenuItemConstructorOptions[]) => {
      recorder.menuTemplate = template;
      return { template };
    },
    setApplicationMenu: (menu: unknown) => {
      recorder.calls.push('Menu.setApplicationMenu');
      recorder.applicationMenu = menu;
    },
  };
  const dialog = {
    showOpenDialog: (parent: unknown, options?: unknown) => {
      recorder.dialogCalls.push({ kind: 'open', parent: options === undefined ? undefined : parent, options: options ?? parent });
      return Promise.resolve(recorder.openDialog);
    },
    showSaveDialog: (parent: unknown, options?: unknown) => {
      recorder.dialogCalls.push({ kind: 'save', parent: options === undefined ? undefined : parent, options: options ?? parent });
      return Promise.resolve(recorder.saveDialog);
    },
    showMessageBox: (parent: unknown, options?: unknown) => {
      recorder.dialogCalls.push({ kind: 'message', parent: options === undefined ? undefined : parent, options: options ?? parent });
      return Promise.resolve({ response: recorder.messageBoxResponse, checkboxChecked: false });
    },
  };
  const contextBridge = {
    exposeInMainWorld: (key: string, value: unknown) => {
      recorder.calls.push(`contextBridge.exposeInMainWorld(${key})`);
      recorder.exposed.set(key, value);
    },
  };
  const ipcRenderer = {
    invoke: (channel: string, ...args: unknown[]) => {
      recorder.rendererInvokes.push({ channel, args });
      return Promise.resolve({ ok: true, value: channel });
    },
    on: (channel: string, listener: Listener) => {
      const set = recorder.rendererListeners.get(channel) ?? new Set();
      set.add(listener);
      recorder.rendererListeners.set(channel, set);
      return ipcRenderer;
    },
    removeListener: (channel: string, listener: Listener) => {
      recorder.rendererListeners.get(channel)?.delete(listener);
      return ipcRenderer;
    },
  };
  const net = { isOnline: () => recorder.online };
  const session = { defaultSession: recorder.defaultSession };
  return { app, protocol, ipcMain, Menu, dialog, contextBridge, ipcRenderer, net, session, BrowserWindow: FakeBrowserWindow };
}

/**
 * The desktop app's start-up: the only composition of Electron with the services. Everything here is
 * wiring; the behaviour lives in main/ipc (handlers, media registry) and main/core.
 *
 * Order matters:
 * 1. before 'ready': privileged schemes, the process sandbox for every renderer, the single-instance
 *    lock, Chromium's own session data moved out of our data folder;
 * 2. on 'ready': session guards, protocol handlers, IPC handlers, menu, the purge of what is past its
 *    retain-until (so the window never lists it), then the window.
 */
import { ignoredTlsEnvironment } from '../core/yoti/http';
import { app, BrowserWindow, ipcMain, Menu, net, protocol, session } from 'electron';
import { join } from 'node:path';
import { KeytarSecretStore } from '../core/keys/secret-store';
import { defaultDataDir } from '../core/paths';
import { redact } from '../core/redact';
import { composeServices, consoleLogger, type ComposedServices } from '../ipc/compose';
import { createHandlers } from '../ipc/handlers';
import { createElectronDialogs } from './dialogs';
import { createWindowEvents } from './events';
import { installGuards } from './guards';
import { isTrustedSender, registerHandlers, TrustedSenders } from './ipc';
import { menuTemplate } from './menu';
import { handleProtocols, MEDIA_BASE, registerSchemes } from './protocols';
import { createMainWindow } from './window';

export interface AppRuntime {
  window: BrowserWindow;
  services: ComposedServices;
  trusted: TrustedSenders;
}

registerSchemes(protocol);
app.enableSandbox();

/** Resolves once the window exists (null when another instance already runs). Tests await it. */
export const started: Promise<AppRuntime | null> = launch().catch((err: unknown) => {
  consoleLogger.error(`start-up failed: ${redact(err instanceof Error ? (err.stack ?? err.message) : String(err))}`);
  app.exit(1);
  return null;
});

async function launch(): Promise<AppRuntime | null> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  // The data folder is shared with the CLI (keys/, cache/, settings.json). Chromium's cookies, caches
  // and local storage go to a subfolder: on case-insensitive disks its "Cache" would be our "cache".
  const dataDir = defaultDataDir();
  app.setPath('sessionData', join(dataDir, 'chromium'));

  await app.whenReady();
  installGuards(app, session.defaultSession);

  const trusted = new TrustedSenders();
  let mainWindow: BrowserWindow | null = null;
  const events = createWindowEvents(() => trusted.contents());
  const services = composeServices({
    dataDir,
    secrets: new KeytarSecretStore(),
    appVersion: app.getVersion(),
    dialogs: createElectronDialogs(() => mainWindow),
    events,
    mediaBase: MEDIA_BASE,
    // No network interface at all: offline without asking. Otherwise what the API answers decides.
    networkUp: () => net.isOnline(),
    log: consoleLogger,
    // Packaged: electron-builder's extraResources; in development, assets/fonts above the bundle.
    reportFontsDir: app.isPackaged ? join(process.resourcesPath, 'fonts') : undefined,
  });

  handleProtocols(protocol, { rendererRoot: join(import.meta.dirname, '../renderer'), media: services.media, log: services.log });
  registerHandlers(ipcMain, createHandlers(services), (event) => isTrustedSender(event, trusted), services.log);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(menuTemplate((command) => events.emit('menu-command', { command }), { platform: process.platform, devTools: !app.isPackaged })),
  );

  for (const line of ignoredTlsEnvironment(process.env)) services.log.warn(line);
  await services.purgeExpired();
  const win = createMainWindow();
  mainWindow = win;
  trusted.add(win.webContents);
  win.on('closed', () => {
    mainWindow = null;
  });

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => {
    app.quit();
  });
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    void services.close().finally(() => app.quit());
  });

  // The window is open: watch whether the configured API answers ('online-changed' tells it).
  services.reachability.start();

  return { window: win, services, trusted };
}

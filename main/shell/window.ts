import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { APP_NAME } from '../core/paths';
import { START_URL } from './protocols';

/**
 * The one app window. Every security-relevant webPreference is set explicitly (even where it is
 * Electron's default) so that a default changing upstream, or a careless edit, shows up in the tests
 * and in Electronegativity: sandboxed, context-isolated, no Node in the page or its frames, no
 * webview, web security on, no insecure content, middle-click (Auxclick) disabled, no spellchecker
 * (it would send words to a service on some platforms). The preload is the CommonJS bundle.
 */
export function createMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: APP_NAME,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: !app.isPackaged,
    },
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(START_URL);
  return win;
}

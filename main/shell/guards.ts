import type { App, Session, WebContents } from 'electron';

/**
 * Limits on every webContents and on the session (checklist items 5, 11–14 and "block renderer
 * network access"): the page cannot navigate, open windows, attach webviews, get any permission, or
 * load anything but app:, idv-media: (and devtools: for the developer tools). Main talks to Yoti;
 * the page talks to main.
 */
export const ALLOWED_REQUEST_SCHEMES: ReadonlySet<string> = new Set(['app:', 'idv-media:', 'devtools:']);

export function isAllowedRequest(url: string): boolean {
  try {
    return ALLOWED_REQUEST_SCHEMES.has(new URL(url).protocol);
  } catch {
    return false;
  }
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'> & { session?: Session };

/** Applied to every webContents through 'web-contents-created' (also devtools and any future window). */
export function hardenWebContents(contents: GuardedContents): void {
  // The renderer is a single page: no navigation of any kind, to any URL.
  contents.on('will-navigate', (event) => {
    event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  if (contents.session) hardenSession(contents.session);
}

const hardened = new WeakSet<object>();

export function hardenSession(ses: Session): void {
  if (hardened.has(ses)) return;
  hardened.add(ses);
  ses.setPermissionRequestHandler((_contents, _permission, callback) => {
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isAllowedRequest(details.url) });
  });
}

export function installGuards(app: Pick<App, 'on'>, defaultSession: Session): void {
  hardenSession(defaultSession);
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents);
  });
}

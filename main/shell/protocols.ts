import type { Protocol } from 'electron';
import type { MediaRegistry } from '../ipc/media-registry';
import type { Logger } from '../ipc/ports';
import { mediaReply, rendererFile, textReply, type HttpReply } from './content';

/**
 * The two custom schemes (checklist item 18: no file://).
 * - `app://renderer/…` serves the built renderer (out/renderer) and nothing else, with the CSP header.
 * - `idv-media://media/<token>` serves stored JPEG/PNG through the MediaRegistry.
 * Both are standard (relative URLs, origins) and secure (a secure context, like https); neither
 * bypasses CSP, is CORS-enabled or may be fetched by the page (connect-src 'none').
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const MEDIA_SCHEME = 'idv-media';
export const MEDIA_HOST = 'media';
export const START_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;
export const MEDIA_BASE = `${MEDIA_SCHEME}://${MEDIA_HOST}/`;

/** Must run before the app's 'ready' event (Electron's rule for privileged schemes). */
export function registerSchemes(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true } },
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true } },
  ]);
}

/** After 'ready': the handlers of both schemes, on the default session (the window's session). */
export function handleProtocols(
  protocol: Pick<Protocol, 'handle'>,
  opts: { rendererRoot: string; media: MediaRegistry; log?: Logger },
): void {
  protocol.handle(APP_SCHEME, (request) => appResponse(request, opts.rendererRoot));
  protocol.handle(MEDIA_SCHEME, (request) => mediaResponse(request, opts.media, opts.log));
}

export async function appResponse(request: Request, rendererRoot: string): Promise<Response> {
  const url = parse(request.url);
  if (!url || url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return toResponse(textReply(404, 'Not found'));
  return toResponse(await rendererFile(rendererRoot, url.pathname, request.method));
}

export async function mediaResponse(request: Request, media: MediaRegistry, log?: Logger): Promise<Response> {
  const url = parse(request.url);
  if (!url || url.protocol !== `${MEDIA_SCHEME}:` || url.host !== MEDIA_HOST || url.search !== '') {
    return toResponse(textReply(404, 'Not found'));
  }
  const token = url.pathname.slice(1);
  const reply = await mediaReply(media, token, request.method);
  if (reply.status !== 200) log?.warn(`media request refused (${reply.status})`);
  return toResponse(reply);
}

function parse(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

export function toResponse(reply: HttpReply): Response {
  return new Response(reply.body === null ? null : new Uint8Array(reply.body), { status: reply.status, headers: reply.headers });
}

/**
 * What the app:// and idv-media:// protocol handlers answer, as plain data, so the Electron shell
 * (protocols.ts) and the browser bridge's node:http server (main/browser-bridge/bridge.ts) send byte-for-byte
 * the same bodies and headers. No electron import here.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { MediaRegistry } from '../ipc/media-registry';

/**
 * The Content-Security-Policy of every app:// (and idv-media://) response, sent as a header so that
 * frame-ancestors applies (it is ignored in a <meta> tag).
 * - style-src: the two hashes are the <style> elements react-zoom-pan-pinch 4.2.0 injects (an empty
 *   one and its rules; toolchain notes §5 trap 8). They change when that library changes: Chromium
 *   prints the new hash in the console. Inline style *attributes* stay blocked; React's `style` prop
 *   sets CSSOM properties, which CSP does not block.
 * - img-src idv-media: for the stored images (see media-registry.ts); 'self' covers the bridge,
 *   which serves media from its own origin.
 * - connect-src 'none': the page talks to main over IPC only; all network access is in main.
 */
export const REACT_ZOOM_PAN_PINCH_STYLE_HASHES = [
  "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",
  "'sha256-/aQdAPrD+kc0v7HnGQTuKBtoP6ZN+lnzOGVJ1Qt6dfw='",
] as const;

export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  `style-src 'self' ${REACT_ZOOM_PAN_PINCH_STYLE_HASHES.join(' ')}`,
  "img-src 'self' idv-media:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: Buffer | null;
}

/** Headers on every response of both protocols. */
export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': APP_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
  };
}

/** The renderer's own files: nothing else is served from out/renderer. */
const RENDERER_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

export function textReply(status: number, text: string): HttpReply {
  return { status, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.from(text, 'utf8') };
}

/**
 * A file of the built renderer for a URL path (`/index.html`, `/assets/x.js`). Refuses, with 404,
 * anything that is not a plain relative path inside `root` after decoding: `..` and `.` segments,
 * hidden files, backslashes, NUL, encoded slashes, symlinks out of the root, unknown file types.
 */
export async function rendererFile(root: string, urlPath: string, method = 'GET'): Promise<HttpReply> {
  if (method !== 'GET' && method !== 'HEAD') return textReply(405, 'Method not allowed');
  const relative = safeRelativePath(urlPath);
  if (relative === null) return textReply(404, 'Not found');
  const type = RENDERER_TYPES[extname(relative).toLowerCase()];
  if (type === undefined) return textReply(404, 'Not found');
  const base = resolve(root);
  const target = resolve(base, relative);
  if (!target.startsWith(base + sep)) return textReply(404, 'Not found');
  try {
    const [realBase, realTarget] = await Promise.all([realpath(base), realpath(target)]);
    if (!realTarget.startsWith(realBase + sep)) return textReply(404, 'Not found');
    if (!(await stat(realTarget)).isFile()) return textReply(404, 'Not found');
    const body = await readFile(realTarget);
    return {
      status: 200,
      headers: { ...securityHeaders(), 'Content-Type': type, 'Content-Length': String(body.length) },
      body: method === 'HEAD' ? null : body,
    };
  } catch {
    return textReply(404, 'Not found');
  }
}

/** `/a/b.js` → `a/b.js`; `/` → `index.html`; null when the path is not acceptable. */
export function safeRelativePath(urlPath: string): string | null {
  if (typeof urlPath !== 'string' || urlPath.length > 1024 || !urlPath.startsWith('/')) return null;
  if (/%2f|%5c|%00/i.test(urlPath)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.slice(1).split('/');
  if (segments.length === 1 && segments[0] === '') return 'index.html';
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..' || s.startsWith('.') || s.includes(':')) return null;
  }
  return segments.join('/');
}

/** An idv-media:// (or bridge /media/) response for one token. */
export async function mediaReply(registry: MediaRegistry, token: string, method = 'GET'): Promise<HttpReply> {
  if (method !== 'GET' && method !== 'HEAD') return textReply(405, 'Method not allowed');
  const found = await registry.resolve(token);
  if (!found.ok) return textReply(404, 'Not found');
  return {
    status: 200,
    headers: { ...securityHeaders(), 'Content-Type': found.contentType, 'Content-Length': String(found.bytes.length) },
    body: method === 'HEAD' ? null : found.bytes,
  };
}

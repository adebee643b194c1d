import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test, vi } from 'vitest';
import { SessionStore } from '../../../main/core/store/session-store';
import { MediaRegistry } from '../../../main/ipc/media-registry';
import { APP_CSP, safeRelativePath } from '../../../main/shell/content';
import { appResponse, handleProtocols, mediaResponse, registerSchemes } from '../../../main/shell/protocols';

vi.mock('electron', async () => (await import('./electron-stub')).electronModule());

const EXPECTED_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' " +
  "'sha256-/aQdAPrD+kc0v7HnGQTuKBtoP6ZN+lnzOGVJ1Qt6dfw='; img-src 'self' idv-media:; font-src 'self'; connect-src 'none'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const base = mkdtempSync(join(tmpdir(), 'idv-protocols-'));
const root = join(base, 'renderer');
const SID = '5e551090-0000-4000-8000-000000000001';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(200)]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(200)]);
let store: SessionStore;
let media: MediaRegistry;

beforeAll(async () => {
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, '.env'), 'SECRET=1');
  writeFileSync(join(root, 'assets', 'data.bin'), 'x');
  writeFileSync(join(base, 'secret.txt'), 'outside the root');
  writeFileSync(join(base, 'secret.js'), 'outside the root');
  symlinkSync(join(base, 'secret.js'), join(root, 'assets', 'link.js'));

  store = new SessionStore({ dataDir: join(base, 'data'), key: randomBytes(32) });
  const meta = { apiUrl: 'http://127.0.0.1:1/idverify/v1', fetchedAt: '2025-01-01T00:00:00.000Z' };
  await store.saveMedia(SID, 'm-jpeg', JPEG, { ...meta, mimeType: 'image/jpeg' });
  await store.saveMedia(SID, 'm-png', PNG, { ...meta, mimeType: 'image/png' });
  await store.saveMedia(SID, 'm-facemap', randomBytes(64), { ...meta, mimeType: 'application/octet-stream' });
  await store.saveMedia(SID, 'm-json', Buffer.from('{"full_name":"X"}'), { ...meta, mimeType: 'application/json' });
  await store.saveMedia(SID, 'm-fakepng', Buffer.from('<html><script>alert(1)</script></html>'), { ...meta, mimeType: 'image/png' });
  await store.saveMedia(SID, 'm-jpeg-as-png', JPEG, { ...meta, mimeType: 'image/png' });
  await store.saveMedia(SID, 'm-svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), { ...meta, mimeType: 'image/svg+xml' });
  await store.markMediaNoContent(SID, 'm-empty', meta);
  media = new MediaRegistry({ base: 'idv-media://media/', store: () => Promise.resolve(store) });
});

const app = (url: string, init?: RequestInit) => appResponse(new Request(url, init), root);
const mediaGet = (url: string) => mediaResponse(new Request(url), media);

describe('scheme registration', () => {
  test('standard and secure, nothing else', () => {
    const recorded: unknown[] = [];
    registerSchemes({ registerSchemesAsPrivileged: (s: unknown[]) => recorded.push(...s) });
    expect(recorded).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true } },
      { scheme: 'idv-media', privileges: { standard: true, secure: true } },
    ]);
  });

  test('handleProtocols registers exactly app and idv-media', () => {
    const handled: string[] = [];
    handleProtocols({ handle: (scheme: string) => handled.push(scheme) }, { rendererRoot: root, media });
    expect(handled).toEqual(['app', 'idv-media']);
  });
});

describe('app://', () => {
  test('serves the renderer with the CSP header and safe headers', async () => {
    expect(APP_CSP).toBe(EXPECTED_CSP);
    const res = await app('app://renderer/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('<title>x</title>');
    const js = await app('app://renderer/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    expect((await app('app://renderer/')).status).toBe(200);
  });

  test.each([
    'app://renderer/../secret.txt',
    'app://renderer/../../../../etc/passwd',
    'app://renderer/%2e%2e/secret.js',
    'app://renderer/assets/..%2f..%2fsecret.js',
    'app://renderer/assets/%2e%2e%2f%2e%2e%2fsecret.js',
    'app://renderer/..%5csecret.js',
    'app://renderer/assets/%00app.js',
    'app://renderer/.env',
    'app://renderer/assets/link.js',
    'app://renderer/assets/data.bin',
    'app://renderer/missing.js',
    'app://renderer//etc/passwd',
    'app://other-host/index.html',
  ])('refuses %s', async (url) => {
    const res = await app(url);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    expect(await res.text()).not.toContain('outside the root');
  });

  test('refuses methods other than GET and HEAD', async () => {
    expect((await app('app://renderer/index.html', { method: 'POST', body: 'x' })).status).toBe(405);
    const head = await app('app://renderer/index.html', { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  test('safeRelativePath', () => {
    expect(safeRelativePath('/')).toBe('index.html');
    expect(safeRelativePath('/assets/a.js')).toBe('assets/a.js');
    for (const bad of ['', 'x', '/a/../b', '/./a', '/a//b', '/.git/config', '/a%2fb', '/C:/x', '/a\\b']) expect(safeRelativePath(bad), bad).toBeNull();
  });
});

describe('idv-media://', () => {
  test('serves an allowlisted image with its type, nosniff and no-store', async () => {
    for (const [id, bytes, type] of [['m-jpeg', JPEG, 'image/jpeg'], ['m-png', PNG, 'image/png']] as const) {
      const url = media.urlFor(SID, id);
      expect(url).toMatch(/^idv-media:\/\/media\/[0-9a-f]{32}$/);
      expect(url).not.toContain(SID);
      const res = await mediaGet(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    }
  });

  test('the same pair gets the same URL for the run', () => {
    expect(media.urlFor(SID, 'm-jpeg')).toBe(media.urlFor(SID, 'm-jpeg'));
    expect(media.urlFor(SID, 'm-jpeg')).not.toBe(media.urlFor(SID, 'm-png'));
  });

  test.each(['m-facemap', 'm-json', 'm-fakepng', 'm-jpeg-as-png', 'm-svg', 'm-empty', 'm-not-stored'])('never serves %s', async (id) => {
    const res = await mediaGet(media.urlFor(SID, id));
    expect(res.status).toBe(404);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  });

  test('unknown, malformed and revoked tokens are 404', async () => {
    expect((await mediaGet(`idv-media://media/${'0'.repeat(32)}`)).status).toBe(404);
    expect((await mediaGet('idv-media://media/../../etc/passwd')).status).toBe(404);
    expect((await mediaGet(`idv-media://media/${SID}/m-jpeg`)).status).toBe(404);
    const url = media.urlFor(SID, 'm-png');
    expect((await mediaGet(`${url}?x=1`)).status).toBe(404);
    expect((await mediaGet(url.replace('://media/', '://other/'))).status).toBe(404);
    media.revokeSession(SID);
    expect((await mediaGet(url)).status).toBe(404);
    expect((await mediaGet(media.urlFor(SID, 'm-png'))).status).toBe(200);
  });

  test('a tampered stored image is not served', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = join(base, 'data', 'evidence', SID);
    const file = readdirSync(dir).find((n) => n === 'media-m-jpeg.idvc')!;
    const bytes = readFileSync(join(dir, file));
    bytes[bytes.length - 20]! ^= 0x01;
    writeFileSync(join(dir, file), bytes);
    expect((await mediaGet(media.urlFor(SID, 'm-jpeg'))).status).toBe(404);
  });
});

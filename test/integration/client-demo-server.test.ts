import { generateKeyPairSync } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import { startDemoServer, type DemoServer } from '../../main/core/demo-server/server';
import { listMedia } from '../../common/session/media';
import { parseSession } from '../../common/session/parse';
import { IdvClient, type IdvClientOptions } from '../../main/core/yoti/client';

// Our signed client against our Yoti-compatible server, end to end over loopback, with the
// server's fault knobs standing in for what production networks and Yoti do to us.
const SDK_ID = 'a1b2c3d4-0000-4000-8000-00000000c11e';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const APPROVED = DEMO_SESSION_IDS.approvedPassport;
let server: DemoServer;
const clients: IdvClient[] = [];
const sleeps: number[] = [];

function client(extra: Partial<IdvClientOptions> = {}): IdvClient {
  const c = new IdvClient({
    sdkId: SDK_ID, key: privateKey, baseUrl: server.baseUrl,
    retry: { retries: 3, baseDelayMs: 1, maxDelayMs: 5_000, maxTotalMs: 60_000 },
    // Retry waits are recorded, not slept: tests never depend on the clock.
    sleep: (ms) => { sleeps.push(ms); return Promise.resolve(); },
    ...extra,
  });
  clients.push(c);
  return c;
}

const mediaIdsOf = async (c: IdvClient, sessionId: string) =>
  listMedia(parseSession((await c.getSession(sessionId)).body).session).flatMap((m) => (m.mediaId && m.fetchable ? [m.mediaId] : []));
const statuses = () => server.requests.map((r) => r.status);

beforeAll(async () => {
  server = await startDemoServer({ apps: [{ sdkId: SDK_ID, publicKey }] });
});
afterEach(() => {
  server.setFaults({});
  sleeps.length = 0;
  while (clients.length) clients.pop()!.close();
});
afterAll(async () => { await server.close(); });

describe('a whole session', () => {
  test('retrieves the session and every media item byte for byte', async () => {
    const c = client();
    const ids = await mediaIdsOf(c, APPROVED);
    expect(ids.length).toBeGreaterThan(5);
    const results = await c.fetchAllMedia(APPROVED, ids);
    for (const id of ids) {
      const served = server.getMedia(APPROVED, id);
      const got = results.get(id);
      if (served && 'bytes' in served) {
        expect(got?.status).toBe('ok');
        if (got?.status === 'ok') {
          expect(Buffer.compare(got.content.bytes, Buffer.from(served.bytes))).toBe(0);
          expect(got.content.mimeType).toBe(served.contentType.split(';')[0]);
        }
      } else {
        expect(got?.status).toBe('no-content');
      }
    }
  });

  test('a media item answering 204 is "no content", distinct from not found', async () => {
    const c = client();
    const ids = await mediaIdsOf(c, DEMO_SESSION_IDS.edgeCases);
    const results = await c.fetchAllMedia(DEMO_SESSION_IDS.edgeCases, ids);
    expect([...results.values()].some((r) => r.status === 'no-content')).toBe(true);
    await expect(c.getMediaContent(APPROVED, 'ffffffff-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'MEDIA_NOT_FOUND' });
  });
});

describe('fault knobs: retried and recovered', () => {
  test('429 with Retry-After waits as told, then succeeds with a fresh signature', async () => {
    server.setFaults({ rules: [{ route: 'session', times: 1, status429: { retryAfterSeconds: 2 } }] });
    const before = server.requests.length;
    await client().getSession(APPROVED);
    expect(statuses().slice(before)).toEqual([429, 200]);
    expect(sleeps).toEqual([2000]);
  });

  test('a 503 then success', async () => {
    server.setFaults({ rules: [{ route: 'session', times: 2, status5xx: { status: 503 } }] });
    const before = server.requests.length;
    await client().getSession(APPROVED);
    expect(statuses().slice(before)).toEqual([503, 503, 200]);
  });

  test('a connection reset mid-body and a truncated body are retried', async () => {
    const c = client();
    const [mediaId] = await mediaIdsOf(c, APPROVED);
    const served = server.getMedia(APPROVED, mediaId!) as { bytes: Uint8Array };
    for (const fault of [{ resetMidBody: true as const }, { truncateBody: true as const }]) {
      server.setFaults({ rules: [{ route: 'media', mediaId: mediaId!, times: 1, ...fault }] });
      const got = await c.getMediaContent(APPROVED, mediaId!);
      expect(Buffer.compare(got!.bytes, Buffer.from(served.bytes))).toBe(0);
    }
  });

  test('no retry on a 4xx: deleting an ongoing session is refused once, clearly', async () => {
    const before = server.requests.length;
    await expect(client().deleteSession(DEMO_SESSION_IDS.ongoing)).rejects.toMatchObject({
      code: 'SESSION_NOT_COMPLETED', message: expect.stringMatching(/COMPLETED/),
    });
    expect(statuses().slice(before)).toEqual([409]);
  });
});

describe('fault knobs: refused clearly', () => {
  test('a missing Content-Type is resolved by sniffing, or refused for unknown bytes', async () => {
    const c = client();
    const session = parseSession((await c.getSession(APPROVED)).body).session;
    const page = listMedia(session).find((m) => m.role === 'DOCUMENT_PAGE')!;
    const facemap = listMedia(session).find((m) => m.role === 'FACEMAP')!;
    server.setFaults({ rules: [{ route: 'media', omitContentType: true }] });
    const got = await c.getMediaContent(APPROVED, page.mediaId!);
    expect(got).toMatchObject({ mimeType: 'image/jpeg', declaredType: null, sniffedType: 'image/jpeg' });
    await expect(c.getMediaContent(APPROVED, facemap.mediaId!)).rejects.toMatchObject({ code: 'MEDIA_TYPE_UNKNOWN' });
    // Fetched as a session is fetched, the facemap the session declares BINARY is kept as opaque bytes.
    expect(facemap.mediaType).toBe('BINARY');
    const results = new Map<string, string>();
    await c.forEachMedia(APPROVED, [page.mediaId!, facemap.mediaId!], {
      sessionTypes: new Map([[page.mediaId!, 'IMAGE'], [facemap.mediaId!, 'BINARY']]),
      onItem: (id, r) => Promise.resolve(void results.set(id, r.status === 'ok' ? r.content.mimeType : r.status)),
    });
    expect(Object.fromEntries(results)).toEqual({ [page.mediaId!]: 'image/jpeg', [facemap.mediaId!]: 'application/octet-stream' });
  });

  test('a declared type that the bytes contradict is refused', async () => {
    const c = client();
    const [mediaId] = await mediaIdsOf(c, APPROVED);
    server.setFaults({ rules: [{ route: 'media', wrongContentType: true }] });
    await expect(c.getMediaContent(APPROVED, mediaId!)).rejects.toMatchObject({ code: 'MEDIA_TYPE_MISMATCH' });
  });

  test('latency beyond the headers timeout, and a body slower than the body timeout', async () => {
    const c = client({ timeouts: { headersMs: 200, bodyMs: 300 }, retry: { retries: 0 } });
    server.setFaults({ rules: [{ route: 'session', latencyMs: 3_000 }] });
    await expect(c.getSession(APPROVED)).rejects.toMatchObject({ code: 'HEADERS_TIMEOUT' });
    server.setFaults({ rules: [{ route: 'session', bandwidthBytesPerSec: 100 }] });
    await expect(c.getSession(APPROVED)).rejects.toMatchObject({ code: 'BODY_TIMEOUT' });
  });

  test('a media size cap stops the download', async () => {
    const c = client({ maxMediaBytes: 1024 });
    const [mediaId] = await mediaIdsOf(c, APPROVED);
    await expect(c.getMediaContent(APPROVED, mediaId!)).rejects.toMatchObject({ code: 'MEDIA_TOO_LARGE' });
  });
});

describe('auth and deletion as Yoti does them', () => {
  test('a key that does not belong to the SDK ID is a 401 that says so', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    await expect(client({ key: other }).getSession(APPROVED)).rejects.toMatchObject({
      code: 'UNAUTHORIZED', message: expect.stringContaining(SDK_ID),
    });
  });

  test('an unknown SDK ID is APP_NOT_FOUND', async () => {
    await expect(client({ sdkId: 'ffffffff-0000-4000-8000-000000000000' }).getSession(APPROVED)).rejects.toMatchObject({ code: 'APP_NOT_FOUND' });
  });

  test('a retried DELETE that finds the item gone counts as deleted; a first-attempt 404 does not', async () => {
    const c = client();
    const session = DEMO_SESSION_IDS.edgeCases;
    const [mediaId] = await mediaIdsOf(c, session);
    await c.deleteMediaContent(session, mediaId!);
    await expect(c.deleteMediaContent(session, mediaId!)).rejects.toMatchObject({ code: 'MEDIA_NOT_FOUND' });
    // As if the first answer had been lost: the retry meets the already deleted item.
    server.setFaults({ rules: [{ route: 'deleteMedia', times: 1, status5xx: { status: 503 } }] });
    const before = server.requests.length;
    await expect(c.deleteMediaContent(session, mediaId!)).resolves.toBeUndefined();
    expect(statuses().slice(before)).toEqual([503, 404]);
  });

  test('deleting one media item, then the completed session', async () => {
    const c = client();
    const session = DEMO_SESSION_IDS.nonLatin;
    const [first] = await mediaIdsOf(c, session);
    await c.deleteMediaContent(session, first!);
    await expect(c.getMediaContent(session, first!)).rejects.toMatchObject({ code: 'MEDIA_NOT_FOUND' });
    await c.deleteSession(session);
    await expect(c.getSession(session)).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' });
  });
});

import { generateKeyPairSync } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { AppError, UsageError } from '../../../common/errors';
import { NetworkError, ResponseError, YotiApiError } from '../../../main/core/yoti/api-errors';
import { DEFAULT_MEDIA_CONCURRENCY, IdvClient, type IdvClientOptions, PRODUCTION_API_URL } from '../../../main/core/yoti/client';
import {
  bytes,
  type Handler,
  MEDIA_ID,
  onRequestHead,
  privateKey,
  type RawServer,
  SDK_ID,
  SESSION_ID,
  startRawServer,
  startServer,
  type TestServer,
  tlsFixture,
} from './support/fault-server';

const MEDIA_2 = '2c1f6a7e-0000-4000-8000-000000000002';
const MEDIA_3 = '2c1f6a7e-0000-4000-8000-000000000003';

// ---- harness -------------------------------------------------------------------------------

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function server(handler: Handler, opts: { tls?: boolean } = {}): Promise<TestServer> {
  const s = await startServer(handler, opts);
  cleanups.push(() => s.close());
  return s;
}

async function rawServer(onSocket: Parameters<typeof startRawServer>[0]): Promise<RawServer> {
  const s = await startRawServer(onSocket);
  cleanups.push(() => s.close());
  return s;
}

interface Harness {
  client: IdvClient;
  sleeps: number[];
}

/** A client whose sleeps are recorded and return at once; no test waits on backoff. */
function makeClient(baseUrl: string, options: Partial<IdvClientOptions> = {}): Harness {
  const sleeps: number[] = [];
  const client = new IdvClient({
    sdkId: SDK_ID,
    key: privateKey,
    baseUrl,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0.5,
    ...options,
  });
  cleanups.push(() => client.close());
  return { client, sleeps };
}

async function caught(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected the call to fail');
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function send(res: ServerResponse, status: number, body: Buffer | string, contentType?: string): void {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
  res.writeHead(status, { ...(contentType ? { 'Content-Type': contentType } : {}), 'Content-Length': buf.length });
  res.end(buf);
}

const SESSION_JSON = { session_id: SESSION_ID, state: 'COMPLETED', resources: { id_documents: [] } };
const ok = (_req: IncomingMessage, res: ServerResponse): void => json(res, 200, SESSION_JSON);

// ---- construction ----------------------------------------------------------------------------

describe('construction', () => {
  test('defaults to the production URL and never reads YOTI_* environment variables', () => {
    vi.stubEnv('YOTI_IDV_API', 'http://127.0.0.1:9/evil');
    vi.stubEnv('YOTI_IDV_API_URL', 'http://127.0.0.1:9/evil');
    try {
      const client = new IdvClient({ sdkId: SDK_ID, key: privateKey });
      cleanups.push(() => client.close());
      expect(PRODUCTION_API_URL).toBe('https://api.yoti.com/idverify/v1');
      expect(client.baseUrl).toBe(PRODUCTION_API_URL);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  test.each([
    'http://api.yoti.com/idverify/v1',
    'http://example.com',
    'http://127.0.0.1.evil.example/idverify/v1',
    'http://localhost.evil.example/',
    'http://10.0.0.1:8080/idverify/v1',
    'ftp://127.0.0.1/idverify/v1',
    'file:///etc/passwd',
    'https://user:pw@api.yoti.com/idverify/v1',
    'https://api.yoti.com/idverify/v1?x=1',
    'https://api.yoti.com/idverify/v1#frag',
    'not a url',
    '',
  ])('refuses base URL %j', (baseUrl) => {
    expect(() => new IdvClient({ sdkId: SDK_ID, key: privateKey, baseUrl })).toThrow(UsageError);
  });

  test.each(['http://127.0.0.1:8080/idverify/v1', 'http://localhost/x', 'http://[::1]:9000/idverify/v1/', 'https://example.com/'])(
    'accepts base URL %j',
    (baseUrl) => {
      const client = new IdvClient({ sdkId: SDK_ID, key: privateKey, baseUrl });
      cleanups.push(() => client.close());
      expect(client.baseUrl.endsWith('/')).toBe(false);
    },
  );

  test('refuses a hostile SDK ID and a key that is not an RSA private key', () => {
    expect(() => new IdvClient({ sdkId: '../x', key: privateKey })).toThrow(/SDK ID/);
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => new IdvClient({ sdkId: SDK_ID, key: publicKey })).toThrow(UsageError);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(() => new IdvClient({ sdkId: SDK_ID, key: ec })).toThrow(UsageError);
  });

  test('refuses nonsensical numeric options', () => {
    expect(() => new IdvClient({ sdkId: SDK_ID, key: privateKey, mediaConcurrency: 0 })).toThrow(UsageError);
    expect(() => new IdvClient({ sdkId: SDK_ID, key: privateKey, timeouts: { connectMs: -1 } })).toThrow(UsageError);
    expect(() => new IdvClient({ sdkId: SDK_ID, key: privateKey, retry: { retries: 1.5 } })).toThrow(UsageError);
  });
});

// ---- signing on the wire -----------------------------------------------------------------

describe('signed requests', () => {
  test('getSession sends a verifiable signature, the SDK headers and sdkId, nonce, timestamp in that order', async () => {
    const s = await server(ok);
    const { client } = makeClient(s.baseUrl);
    const result = await client.getSession(SESSION_ID);
    expect(result.json).toEqual(SESSION_JSON);
    expect(result.body.toString()).toBe(JSON.stringify(SESSION_JSON));

    expect(s.requests).toHaveLength(1);
    const seen = s.requests[0]!;
    expect(seen.method).toBe('GET');
    expect(seen.url.startsWith(`/idverify/v1/sessions/${SESSION_ID}?`)).toBe(true);
    expect(seen.path).toBe(`/sessions/${SESSION_ID}`);
    expect(seen.query.map(([k]) => k)).toEqual(['sdkId', 'nonce', 'timestamp']);
    expect(seen.query[0]![1]).toBe(SDK_ID);
    expect(seen.query[1]![1]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(seen.query[2]![1]).toMatch(/^\d{13}$/);
    expect(seen.digestValid).toBe(true);
    expect(seen.headers['x-yoti-sdk']).toBe('Node');
    expect(seen.headers['x-yoti-sdk-version']).toBe('Node-4.13.2');
    expect(seen.headers.accept).toBe('application/json');
    expect(seen.headers['content-type']).toBeUndefined();
  });

  test('every endpoint uses its path and method relative to the mount, each signature valid', async () => {
    const s = await server((req, res) => {
      if (req.method === 'DELETE') {
        res.writeHead(204);
        res.end();
      } else if (req.url?.includes('/media/')) send(res, 200, bytes.jpeg, 'image/jpeg');
      else json(res, 200, { client_session_token_ttl: 600 });
    });
    const { client } = makeClient(`${s.baseUrl}//`);
    await client.getSession(SESSION_ID);
    await client.getSessionConfiguration(SESSION_ID);
    await client.getMediaContent(SESSION_ID, MEDIA_ID);
    await client.deleteMediaContent(SESSION_ID, MEDIA_ID);
    await client.deleteSession(SESSION_ID);
    expect(s.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /sessions/${SESSION_ID}`,
      `GET /sessions/${SESSION_ID}/configuration`,
      `GET /sessions/${SESSION_ID}/media/${MEDIA_ID}/content`,
      `DELETE /sessions/${SESSION_ID}/media/${MEDIA_ID}/content`,
      `DELETE /sessions/${SESSION_ID}`,
    ]);
    expect(s.requests.every((r) => r.digestValid && r.url.startsWith('/idverify/v1/sessions/'))).toBe(true);
  });

  test('each retry is signed afresh: new nonce, valid digest', async () => {
    let n = 0;
    const s = await server((_req, res) => (++n < 3 ? json(res, 503, { code: 'UNAVAILABLE' }) : ok(_req, res)));
    const { client, sleeps } = makeClient(s.baseUrl);
    await client.getSession(SESSION_ID);
    expect(s.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
    const nonces = s.requests.map((r) => r.query.find(([k]) => k === 'nonce')?.[1]);
    expect(new Set(nonces).size).toBe(3);
    const digests = new Set(s.requests.map((r) => r.digest));
    expect(digests.size).toBe(3);
    expect(s.requests.every((r) => r.digestValid)).toBe(true);
  });
});

// ---- connections and concurrency ----------------------------------------------------------

describe('connections', () => {
  test('sequential requests reuse one keep-alive connection', async () => {
    const s = await server(ok);
    const { client } = makeClient(s.baseUrl);
    for (let i = 0; i < 4; i++) await client.getSession(SESSION_ID);
    await client.deleteSession(SESSION_ID);
    expect(s.requests).toHaveLength(5);
    expect(s.connections).toBe(1);
  });

  test('fetchAllMedia never has more than mediaConcurrency requests in flight', async () => {
    const LIMIT = 3;
    const ids = Array.from({ length: 10 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const waiting: ServerResponse[] = [];
    let completed = 0;
    // The server holds answers until as many requests are in flight as the client may have (or all that
    // remain), then releases one. A client that exceeded the bound would push maxInFlight past LIMIT.
    const release = (): void => {
      const remaining = ids.length - completed;
      if (waiting.length > 0 && waiting.length >= Math.min(LIMIT, remaining)) {
        const res = waiting.shift()!;
        completed++;
        send(res, 200, bytes.png, 'image/png');
      }
    };
    const s = await server((_req, res) => {
      waiting.push(res);
      release();
      res.on('finish', () => setImmediate(release));
    });
    const progress: Array<[number, number]> = [];
    const { client } = makeClient(s.baseUrl, { mediaConcurrency: LIMIT });
    const results = await client.fetchAllMedia(SESSION_ID, ids, (done, total) => progress.push([done, total]));
    expect(s.requests).toHaveLength(10);
    expect(s.maxInFlight).toBe(LIMIT);
    expect(s.connections).toBeLessThanOrEqual(LIMIT);
    expect([...results.keys()]).toEqual(ids);
    expect([...results.values()].every((r) => r.status === 'ok' && r.content.mimeType === 'image/png')).toBe(true);
    expect(progress.map(([d]) => d)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(progress.every(([, t]) => t === 10)).toBe(true);
  });

  test('by default 12 media requests are in flight at once (a typical session in one round trip), over at most 14 sockets', async () => {
    expect(DEFAULT_MEDIA_CONCURRENCY).toBe(12);
    const ids = Array.from({ length: 20 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const waiting: ServerResponse[] = [];
    let completed = 0;
    // As above: answers are held until the client has as many requests in flight as it may.
    const release = (): void => {
      if (waiting.length > 0 && waiting.length >= Math.min(DEFAULT_MEDIA_CONCURRENCY, ids.length - completed)) {
        completed++;
        send(waiting.shift()!, 200, bytes.png, 'image/png');
      }
    };
    const s = await server((_req, res) => {
      waiting.push(res);
      release();
      res.on('finish', () => setImmediate(release));
    });
    const { client } = makeClient(s.baseUrl);
    expect(client.mediaConcurrency).toBe(12);
    const results = await client.fetchAllMedia(SESSION_ID, ids);
    expect([...results.values()].every((r) => r.status === 'ok')).toBe(true);
    expect(s.maxInFlight).toBe(12);
    expect(s.connections).toBeLessThanOrEqual(14);
  });

  test('forEachMedia: each result goes to onItem as it arrives, awaited before onProgress and the next download', async () => {
    const s = await server((req, res) => {
      if (req.url?.includes(MEDIA_ID)) send(res, 200, bytes.jpeg, 'image/jpeg');
      else if (req.url?.includes(MEDIA_2)) {
        res.writeHead(204);
        res.end();
      } else json(res, 404, { code: 'NOT_FOUND', message: 'Media not found' });
    });
    const { client } = makeClient(s.baseUrl, { mediaConcurrency: 1 });
    const calls: string[] = [];
    await client.forEachMedia(SESSION_ID, [MEDIA_ID, MEDIA_2, MEDIA_ID, MEDIA_3], {
      onProgress: (done, total, mediaId) => calls.push(`progress ${done}/${total} ${mediaId}`),
      onItem: async (mediaId, result) => {
        calls.push(`item ${mediaId} ${result.status}`);
        await new Promise((r) => setTimeout(r, 20));
        calls.push(`stored ${mediaId} (requests so far: ${s.requests.length})`);
      },
    });
    expect(calls).toEqual([
      `item ${MEDIA_ID} ok`,
      `stored ${MEDIA_ID} (requests so far: 1)`,
      `progress 1/3 ${MEDIA_ID}`,
      `item ${MEDIA_2} no-content`,
      `stored ${MEDIA_2} (requests so far: 2)`,
      `progress 2/3 ${MEDIA_2}`,
      `item ${MEDIA_3} error`,
      `stored ${MEDIA_3} (requests so far: 3)`,
      `progress 3/3 ${MEDIA_3}`,
    ]);
  });

  test('forEachMedia: a failing onItem stops further downloads and is thrown; an aborted signal starts none', async () => {
    const s = await server((_req, res) => send(res, 200, bytes.jpeg, 'image/jpeg'));
    const { client } = makeClient(s.baseUrl, { mediaConcurrency: 1 });
    await expect(
      client.forEachMedia(SESSION_ID, [MEDIA_ID, MEDIA_2, MEDIA_3], {
        onItem: () => Promise.reject(new Error('disk full')),
      }),
    ).rejects.toThrow('disk full');
    expect(s.requests).toHaveLength(1);
    const stop = new AbortController();
    stop.abort();
    const seen: string[] = [];
    await client.forEachMedia(SESSION_ID, [MEDIA_ID, MEDIA_2], { signal: stop.signal, onItem: (id) => Promise.resolve(void seen.push(id)) });
    expect(seen).toEqual([]);
    expect(s.requests).toHaveLength(1);
  });

  test('fetchAllMedia: one failed item does not fail the others', async () => {
    const s = await server((req, res) => {
      if (req.url?.includes(MEDIA_ID)) send(res, 200, bytes.jpeg, 'image/jpeg');
      else if (req.url?.includes(MEDIA_2)) {
        res.writeHead(204);
        res.end();
      } else json(res, 404, { code: 'NOT_FOUND', message: 'Media not found' });
    });
    const { client } = makeClient(s.baseUrl);
    const results = await client.fetchAllMedia(SESSION_ID, [MEDIA_ID, MEDIA_2, MEDIA_3, 'a b', MEDIA_ID], () => {
      throw new Error('a faulty progress callback is ignored');
    });
    expect([...results.keys()]).toEqual([MEDIA_ID, MEDIA_2, MEDIA_3, 'a b']);
    expect(results.get(MEDIA_ID)?.status).toBe('ok');
    expect(results.get(MEDIA_2)).toEqual({ status: 'no-content' });
    const notFound = results.get(MEDIA_3);
    expect(notFound?.status === 'error' && notFound.error.code).toBe('MEDIA_NOT_FOUND');
    const hostile = results.get('a b');
    expect(hostile?.status === 'error' && hostile.error.code).toBe('INVALID_ID');
    expect(s.requests).toHaveLength(3);
  });
});

// ---- ids -----------------------------------------------------------------------------------

describe('hostile ids are refused before any URL is built', () => {
  const hostile = ['../x', 'a?b', 'a#b', 'a%2Fb', 'é', '', 'a'.repeat(65), 'a b', '/x', 'a/b', 'x\r\nHost: evil'];
  test.each(hostile)('%j', async (id) => {
    const s = await server(ok);
    const { client } = makeClient(s.baseUrl);
    const calls: Array<Promise<unknown>> = [
      client.getSession(id),
      client.getSessionConfiguration(id),
      client.deleteSession(id),
      client.getMediaContent(id, MEDIA_ID),
      client.getMediaContent(SESSION_ID, id),
      client.deleteMediaContent(id, MEDIA_ID),
      client.deleteMediaContent(SESSION_ID, id),
      client.fetchAllMedia(id, [MEDIA_ID]),
    ];
    for (const call of calls) {
      const error = await caught(call);
      expect(error).toBeInstanceOf(UsageError);
      expect(error.code).toBe('INVALID_ID');
    }
    expect(s.requests).toHaveLength(0);
    expect(s.connections).toBe(0);
  });
});

// ---- Yoti error answers ------------------------------------------------------------------

describe('error answers', () => {
  type Call = 'getSession' | 'getMedia' | 'deleteSession' | 'deleteMedia' | 'getConfiguration';
  const run = (client: IdvClient, call: Call): Promise<unknown> => {
    switch (call) {
      case 'getSession':
        return client.getSession(SESSION_ID);
      case 'getConfiguration':
        return client.getSessionConfiguration(SESSION_ID);
      case 'getMedia':
        return client.getMediaContent(SESSION_ID, MEDIA_ID);
      case 'deleteSession':
        return client.deleteSession(SESSION_ID);
      case 'deleteMedia':
        return client.deleteMediaContent(SESSION_ID, MEDIA_ID);
    }
  };
  const cases: Array<{ call: Call; status: number; body?: unknown; code: string; requests: number }> = [
    { call: 'getSession', status: 400, body: { code: 'MALFORMED_REQUEST' }, code: 'MALFORMED_REQUEST', requests: 1 },
    { call: 'getSession', status: 401, code: 'UNAUTHORIZED', requests: 1 },
    { call: 'getSession', status: 403, code: 'APP_DISABLED', requests: 1 },
    { call: 'getSession', status: 404, body: { code: 'APP_NOT_FOUND', message: 'The referenced application does not exist' }, code: 'APP_NOT_FOUND', requests: 1 },
    { call: 'getMedia', status: 404, body: { code: 'APP_NOT_FOUND' }, code: 'APP_NOT_FOUND', requests: 1 },
    { call: 'getSession', status: 404, body: { code: 'NOT_FOUND' }, code: 'SESSION_NOT_FOUND', requests: 1 },
    { call: 'getConfiguration', status: 404, code: 'SESSION_NOT_FOUND', requests: 1 },
    { call: 'deleteSession', status: 404, code: 'SESSION_NOT_FOUND', requests: 1 },
    { call: 'getMedia', status: 404, body: { code: 'NOT_FOUND', message: 'Media not found' }, code: 'MEDIA_NOT_FOUND', requests: 1 },
    { call: 'deleteMedia', status: 404, code: 'MEDIA_NOT_FOUND', requests: 1 },
    { call: 'deleteSession', status: 409, body: { code: 'CONFLICT' }, code: 'SESSION_NOT_COMPLETED', requests: 1 },
    { call: 'deleteSession', status: 400, body: { code: 'SESSION_NOT_COMPLETED' }, code: 'SESSION_NOT_COMPLETED', requests: 1 },
    { call: 'deleteMedia', status: 409, code: 'SESSION_NOT_COMPLETED', requests: 1 },
    { call: 'getSession', status: 409, code: 'UNEXPECTED_STATUS', requests: 1 },
    { call: 'getSession', status: 418, code: 'UNEXPECTED_STATUS', requests: 1 },
    { call: 'getSession', status: 302, code: 'UNEXPECTED_STATUS', requests: 1 },
    { call: 'getSession', status: 204, code: 'UNEXPECTED_STATUS', requests: 1 },
    { call: 'getSession', status: 429, code: 'RATE_LIMITED', requests: 3 },
    { call: 'getSession', status: 503, code: 'SERVICE_UNAVAILABLE', requests: 3 },
    { call: 'getSession', status: 500, code: 'SERVER_ERROR', requests: 3 },
    { call: 'deleteSession', status: 502, code: 'SERVER_ERROR', requests: 3 },
  ];
  test.each(cases)('$call answered $status → $code after $requests request(s)', async ({ call, status, body, code, requests }) => {
    const s = await server((_req, res) => {
      if (status === 302) res.setHeader('Location', 'https://evil.example/steal');
      if (body === undefined) {
        res.writeHead(status);
        res.end();
      } else json(res, status, body);
    });
    const { client } = makeClient(s.baseUrl, { retry: { retries: 2 } });
    const error = await caught(run(client, call));
    expect(error).toBeInstanceOf(YotiApiError);
    expect(error.code).toBe(code);
    expect(error.kind).toBe('remote');
    expect((error as YotiApiError).status).toBe(status);
    expect(s.requests).toHaveLength(requests);
    expect(error.message).toContain(SESSION_ID);
  });

  test('messages tell the reviewer what to do', async () => {
    const answers: Array<[number, unknown]> = [
      [401, { code: 'UNAUTHORIZED' }],
      [404, { code: 'APP_NOT_FOUND', message: 'The referenced application does not exist' }],
      [409, {}],
    ];
    const s = await server((_req, res) => {
      const [status, body] = answers[s.requests.length - 1]!;
      json(res, status, body);
    });
    const { client } = makeClient(s.baseUrl);
    const unauthorized = await caught(client.getSession(SESSION_ID));
    expect(unauthorized.message).toContain(`this key does not belong to SDK ID ${SDK_ID}`);
    expect(unauthorized.message).toContain('sandbox key used against production (or the reverse)');
    const appNotFound = await caught(client.getSession(SESSION_ID));
    expect(appNotFound.message).toContain(SDK_ID);
    expect(appNotFound.message).toMatch(/sandbox/i);
    expect(appNotFound.message).toContain('The referenced application does not exist');
    const notCompleted = await caught(client.deleteSession(SESSION_ID));
    expect(notCompleted.message).toContain('Yoti deletes a session only once it is COMPLETED');
  });

  test("Yoti's JSON error body is kept", async () => {
    const body = {
      code: 'MALFORMED_REQUEST',
      message: 'The request was malformed',
      errors: [{ property: 'header.X-Yoti-Auth-Digest', message: 'must not be null or empty' }, 'junk', { property: 'x' }],
    };
    const s = await server((_req, res) => json(res, 400, body));
    const { client } = makeClient(s.baseUrl);
    const error = (await caught(client.getSession(SESSION_ID))) as YotiApiError;
    expect(error.yotiCode).toBe('MALFORMED_REQUEST');
    expect(error.yotiMessage).toBe('The request was malformed');
    expect(error.errors).toEqual([{ property: 'header.X-Yoti-Auth-Digest', message: 'must not be null or empty' }, { property: 'x' }]);
    expect(error.rawText).toBeUndefined();
    expect(error.message).toContain('MALFORMED_REQUEST - The request was malformed');
  });

  test('a non-JSON error body is kept as raw text, truncated to 2 KB', async () => {
    const page = `<html><body>${'Bad gateway. '.repeat(400)}</body></html>`;
    const s = await server((_req, res) => send(res, 400, page, 'text/html'));
    const { client } = makeClient(s.baseUrl);
    const error = (await caught(client.getSession(SESSION_ID))) as YotiApiError;
    expect(error.code).toBe('MALFORMED_REQUEST');
    expect(error.yotiCode).toBeUndefined();
    expect(error.rawText).toBe(page.slice(0, 2048));
    expect(error.errors).toEqual([]);
  });

  test('error messages and kept bodies never carry the signed query, nonce or digest, even when echoed', async () => {
    const s = await server((req, res) => {
      const digest = String(req.headers['x-yoti-auth-digest']);
      const echo = `GET ${req.url ?? ''} X-Yoti-Auth-Digest: ${digest}`;
      if (s.requests.length === 1) json(res, 401, { code: 'UNAUTHORIZED', message: echo, errors: [{ property: req.url, message: digest }] });
      else send(res, 403, echo, 'text/plain');
    });
    const { client } = makeClient(s.baseUrl);
    const errors = [(await caught(client.getSession(SESSION_ID))) as YotiApiError, (await caught(client.getSession(SESSION_ID))) as YotiApiError];
    for (const [i, error] of errors.entries()) {
      const seen = s.requests[i]!;
      const nonce = seen.query.find(([k]) => k === 'nonce')![1];
      const kept = JSON.stringify({ message: error.message, m: error.yotiMessage, e: error.errors, r: error.rawText, s: error.stack });
      for (const secret of ['nonce=', 'timestamp=', 'sdkId=', nonce, seen.digest!, seen.digest!.slice(0, 40)]) {
        expect(kept).not.toContain(secret);
      }
    }
  });

  test('no retry on 400, 401, 403, 404', async () => {
    for (const status of [400, 401, 403, 404]) {
      const s = await server((_req, res) => json(res, status, { code: 'X' }));
      const { client, sleeps } = makeClient(s.baseUrl);
      await caught(client.getSession(SESSION_ID));
      await caught(client.deleteSession(SESSION_ID));
      expect(s.requests).toHaveLength(2);
      expect(sleeps).toEqual([]);
    }
  });

  test('invalid JSON in a 200 session answer is INVALID_JSON with a clear message', async () => {
    const s = await server((_req, res) => send(res, 200, '<html>Sign in to the Wi-Fi</html>', 'text/html; charset=utf-8'));
    const { client } = makeClient(s.baseUrl);
    const error = await caught(client.getSession(SESSION_ID));
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.code).toBe('INVALID_JSON');
    expect(error.kind).toBe('remote');
    expect(error.message).toContain('not valid JSON');
    expect(error.message).toContain(SESSION_ID);
    expect(s.requests).toHaveLength(1);
  });

  test('a session answer for another session_id is refused (SESSION_ID_MISMATCH), in words', async () => {
    const other = 'de3c0a11-5e55-4a0d-8e11-0000000000ff';
    const s = await server((_req, res) => json(res, 200, { ...SESSION_JSON, session_id: other }));
    const { client } = makeClient(s.baseUrl);
    const error = await caught(client.getSession(SESSION_ID));
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.code).toBe('SESSION_ID_MISMATCH');
    expect(error.message).toBe(`Yoti answered for session ${SESSION_ID} with the data of another session (${other}), so nothing was stored.`);
    // the same id in capitals, or no session_id at all, is accepted
    const upper = await server((_req, res) => json(res, 200, { ...SESSION_JSON, session_id: SESSION_ID.toUpperCase() }));
    expect((await makeClient(upper.baseUrl).client.getSession(SESSION_ID)).json).toMatchObject({ state: 'COMPLETED' });
    const none = await server((_req, res) => json(res, 200, { state: 'ONGOING' }));
    expect((await makeClient(none.baseUrl).client.getSession(SESSION_ID)).json).toEqual({ state: 'ONGOING' });
  });

  test('a session answer over maxSessionBytes is RESPONSE_TOO_LARGE', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(5000) });
    const s = await server((_req, res) => send(res, 200, big, 'application/json'));
    const { client } = makeClient(s.baseUrl, { maxSessionBytes: 1024 });
    const error = await caught(client.getSession(SESSION_ID));
    expect(error.code).toBe('RESPONSE_TOO_LARGE');
    expect(error.message).toContain('1 KiB');
    expect(s.requests).toHaveLength(1);
  });

  test('DELETE succeeds on any 2xx, with or without a body', async () => {
    const answers = [204, 200, 202];
    const s = await server((_req, res) => {
      const status = answers[s.requests.length - 1]!;
      if (status === 200) json(res, 200, { ok: true });
      else {
        res.writeHead(status);
        res.end();
      }
    });
    const { client } = makeClient(s.baseUrl);
    await expect(client.deleteSession(SESSION_ID)).resolves.toBeUndefined();
    await expect(client.deleteMediaContent(SESSION_ID, MEDIA_ID)).resolves.toBeUndefined();
    await expect(client.deleteSession(SESSION_ID)).resolves.toBeUndefined();
  });
});

// ---- retries --------------------------------------------------------------------------------

describe('retries', () => {
  test('429 with Retry-After in seconds: the injected sleep gets exactly that delay', async () => {
    const s = await server((req, res) =>
      s.requests.length === 1 ? json(res, 429, { code: 'TOO_MANY_REQUESTS' }, { 'Retry-After': '3' }) : ok(req, res),
    );
    const { client, sleeps } = makeClient(s.baseUrl);
    await expect(client.getSession(SESSION_ID)).resolves.toMatchObject({ json: SESSION_JSON });
    expect(sleeps).toEqual([3000]);
    expect(s.requests).toHaveLength(2);
  });

  test('429 with Retry-After as an HTTP-date, measured against the injected clock', async () => {
    const now = Date.UTC(2030, 0, 1, 12, 0, 0);
    const s = await server((req, res) =>
      s.requests.length === 1
        ? json(res, 429, {}, { 'Retry-After': new Date(now + 5000).toUTCString() })
        : ok(req, res),
    );
    const { client, sleeps } = makeClient(s.baseUrl, { now: () => now });
    await client.getSession(SESSION_ID);
    expect(sleeps).toEqual([5000]);
  });

  test('Retry-After is capped by maxDelayMs, and no retry starts past maxTotalMs', async () => {
    const s = await server((_req, res) => json(res, 429, {}, { 'Retry-After': '120' }));
    let clock = 0;
    const sleeps: number[] = [];
    const { client } = makeClient(s.baseUrl, {
      now: () => clock,
      sleep: (ms) => {
        sleeps.push(ms);
        clock += ms;
        return Promise.resolve();
      },
      retry: { retries: 10, maxDelayMs: 4000, maxTotalMs: 10_000 },
    });
    const error = (await caught(client.getSession(SESSION_ID))) as YotiApiError;
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.retryAfterMs).toBe(120_000);
    expect(sleeps).toEqual([4000, 4000]);
    expect(s.requests).toHaveLength(3);
  });

  test('5xx is retried with jittered exponential backoff, then the last error is thrown', async () => {
    const statuses = [500, 502, 503, 500];
    const s = await server((_req, res) => json(res, statuses[s.requests.length - 1] ?? 500, {}));
    const { client, sleeps } = makeClient(s.baseUrl, { retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 1000 } });
    const error = await caught(client.getSession(SESSION_ID));
    expect(s.requests).toHaveLength(4);
    expect(error.code).toBe('SERVER_ERROR');
    expect((error as YotiApiError).status).toBe(500);
    // random() = 0.5 → half of 100, 200, 400
    expect(sleeps).toEqual([50, 100, 200]);
  });

  test('a connection reset is retried', async () => {
    const s = await server((req, res) => {
      if (s.requests.length === 1) req.socket.resetAndDestroy();
      else ok(req, res);
    });
    const { client, sleeps } = makeClient(s.baseUrl);
    await expect(client.getSession(SESSION_ID)).resolves.toMatchObject({ json: SESSION_JSON });
    expect(s.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  test('DELETE is retried on 503', async () => {
    const s = await server((_req, res) => {
      if (s.requests.length === 1) json(res, 503, {});
      else {
        res.writeHead(204);
        res.end();
      }
    });
    const { client } = makeClient(s.baseUrl);
    await client.deleteSession(SESSION_ID);
    expect(s.requests.map((r) => r.method)).toEqual(['DELETE', 'DELETE']);
  });
});

// ---- network failures and timeouts ------------------------------------------------------------

describe('network failures', () => {
  const noRetry = { retry: { retries: 0 } };
  const long = 20_000;

  test('CONNECT_TIMEOUT: the TLS peer never completes the handshake', async () => {
    const raw = await rawServer(() => undefined); // accepts TCP, never answers the ClientHello
    const { client } = makeClient(raw.httpsBaseUrl, { ...noRetry, timeouts: { connectMs: 200, headersMs: long, bodyMs: long } });
    const error = await caught(client.getSession(SESSION_ID));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.code).toBe('CONNECT_TIMEOUT');
    expect(error.message).toContain(SESSION_ID);
  });

  test('HEADERS_TIMEOUT: connected, but no answer', async () => {
    const s = await server(() => undefined);
    const { client } = makeClient(s.baseUrl, { ...noRetry, timeouts: { connectMs: long, headersMs: 200, bodyMs: long } });
    const error = await caught(client.getSession(SESSION_ID));
    expect(error.code).toBe('HEADERS_TIMEOUT');
    expect(s.requests).toHaveLength(1);
  });

  test('BODY_TIMEOUT: headers arrive, the body stalls', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': 1000 });
      res.write(bytes.jpeg);
    });
    const { client } = makeClient(s.baseUrl, { ...noRetry, timeouts: { connectMs: long, headersMs: long, bodyMs: 200 } });
    const error = await caught(client.getMediaContent(SESSION_ID, MEDIA_ID));
    expect(error.code).toBe('BODY_TIMEOUT');
    expect(error.message).toContain(MEDIA_ID);
  });

  test('timeouts are retried, each attempt signed afresh', async () => {
    const s = await server((req, res) => {
      if (s.requests.length > 1) ok(req, res);
    });
    const { client, sleeps } = makeClient(s.baseUrl, { timeouts: { connectMs: long, headersMs: 1000, bodyMs: long } });
    await client.getSession(SESSION_ID);
    expect(s.requests).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
    expect(s.requests[0]!.digest).not.toBe(s.requests[1]!.digest);
  });

  test('CONNECTION_FAILED: nothing listens on the port', async () => {
    const raw = await startRawServer(() => undefined);
    const port = raw.port;
    await raw.close();
    const { client, sleeps } = makeClient(`http://127.0.0.1:${port}/idverify/v1`, { retry: { retries: 2 } });
    const error = await caught(client.getSession(SESSION_ID));
    expect(error.code).toBe('CONNECTION_FAILED');
    expect(error.message).toContain('ECONNREFUSED');
    expect(sleeps).toHaveLength(2);
  });

  test('TRUNCATED_BODY: the connection closes before Content-Length bytes arrived', async () => {
    const raw = await rawServer((socket) =>
      onRequestHead(socket, () => {
        socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"session_id":');
      }),
    );
    const { client, sleeps } = makeClient(raw.baseUrl, { retry: { retries: 1 } });
    const error = await caught(client.getSession(SESSION_ID));
    expect(error.code).toBe('TRUNCATED_BODY');
    expect(error.message).toContain('of 100 bytes');
    expect(raw.connections).toBe(2);
    expect(sleeps).toHaveLength(1);
  });

  test('TRUNCATED_BODY: a chunked body that ends without its last chunk', async () => {
    const raw = await rawServer((socket) =>
      onRequestHead(socket, () => {
        socket.end('HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n\xff\xd8\xff\xe0\r\n');
      }),
    );
    const { client } = makeClient(raw.baseUrl, noRetry);
    expect((await caught(client.getMediaContent(SESSION_ID, MEDIA_ID))).code).toBe('TRUNCATED_BODY');
  });

  test('CONNECTION_RESET: reset in the middle of the body', async () => {
    const raw = await rawServer((socket) =>
      onRequestHead(socket, () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 100000\r\n\r\n');
        // Reset well after the write has flushed: resetAndDestroy() from inside the write callback's
        // tick (or, on a loaded machine, the very next macrotask) was observed to go out as a plain FIN,
        // which is (correctly) a TRUNCATED_BODY instead.
        socket.write(Buffer.alloc(1000, 0xff), () => setTimeout(() => socket.resetAndDestroy(), 50));
      }),
    );
    const { client } = makeClient(raw.baseUrl, noRetry);
    const error = await caught(client.getMediaContent(SESSION_ID, MEDIA_ID));
    expect(error.code).toBe('CONNECTION_RESET');
    expect(error.message).toContain(MEDIA_ID);
  });

  test('CONNECTION_RESET: reset before any answer', async () => {
    const raw = await rawServer((socket) => onRequestHead(socket, () => socket.resetAndDestroy()));
    const { client } = makeClient(raw.baseUrl, noRetry);
    expect((await caught(client.getSession(SESSION_ID))).code).toBe('CONNECTION_RESET');
  });
});

// ---- size cap -----------------------------------------------------------------------------

describe('media size cap', () => {
  test('a streamed body over the cap is cut off and the connection destroyed', async () => {
    const LIMIT = 64 * 1024;
    const TOTAL = 8 * 1024 * 1024;
    let written = 0;
    let serverSaw!: (outcome: { finished: boolean; written: number }) => void;
    const serverClosed = new Promise<{ finished: boolean; written: number }>((resolve) => {
      serverSaw = resolve;
    });
    const s = await server((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'image/jpeg' }); // chunked: no Content-Length to refuse early
      const chunk = Buffer.alloc(16 * 1024, 0xff);
      const pump = (): void => {
        while (written < TOTAL && !res.destroyed) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        if (!res.destroyed) res.end();
      };
      res.on('close', () => serverSaw({ finished: res.writableFinished, written }));
      pump();
    });
    const { client } = makeClient(s.baseUrl, { maxMediaBytes: LIMIT });
    const error = await caught(client.getMediaContent(SESSION_ID, MEDIA_ID));
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.code).toBe('MEDIA_TOO_LARGE');
    expect(error.message).toContain(`64 KiB (${LIMIT} bytes)`);
    const outcome = await serverClosed;
    expect(outcome.finished).toBe(false);
    expect(outcome.written).toBeLessThan(TOTAL);
    expect(s.requests).toHaveLength(1); // never retried
  });

  test('a declared Content-Length over the cap is refused before reading the body', async () => {
    let sawClose = false;
    const s = await server((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': 100 * 1024 * 1024 });
      res.write(bytes.jpeg);
      res.on('close', () => {
        sawClose = true;
      });
    });
    const { client } = makeClient(s.baseUrl, { maxMediaBytes: 1024 * 1024 });
    const error = await caught(client.getMediaContent(SESSION_ID, MEDIA_ID));
    expect(error.code).toBe('MEDIA_TOO_LARGE');
    expect(error.message).toContain('1 MiB (1048576 bytes)');
    await vi.waitFor(() => expect(sawClose).toBe(true));
    expect(s.requests).toHaveLength(1);
  });

  test('a body exactly at the cap is accepted', async () => {
    const body = Buffer.concat([bytes.jpeg, Buffer.alloc(1024 - bytes.jpeg.length)]);
    const s = await server((_req, res) => send(res, 200, body, 'image/jpeg'));
    const { client } = makeClient(s.baseUrl, { maxMediaBytes: 1024 });
    expect((await client.getMediaContent(SESSION_ID, MEDIA_ID))?.bytes.length).toBe(1024);
  });
});

// ---- media content types ----------------------------------------------------------------------

describe('media content', () => {
  test('204 resolves null; 404 is MEDIA_NOT_FOUND', async () => {
    const s = await server((_req, res) => {
      if (s.requests.length === 1) {
        res.writeHead(204);
        res.end();
      } else json(res, 404, { code: 'NOT_FOUND', message: 'Media not found' });
    });
    const { client } = makeClient(s.baseUrl);
    await expect(client.getMediaContent(SESSION_ID, MEDIA_ID)).resolves.toBeNull();
    const error = await caught(client.getMediaContent(SESSION_ID, MEDIA_ID));
    expect(error.code).toBe('MEDIA_NOT_FOUND');
    expect(error.message).toContain(MEDIA_ID);
  });

  test.each([
    ['image/jpeg', bytes.jpeg],
    ['image/png', bytes.png],
    ['application/pdf', bytes.pdf],
    ['application/json', bytes.json],
  ] as const)('missing Content-Type: sniffed as %s', async (type, body) => {
    const s = await server((_req, res) => send(res, 200, body));
    const { client } = makeClient(s.baseUrl);
    const media = await client.getMediaContent(SESSION_ID, MEDIA_ID);
    expect(media).toEqual({ bytes: body, mimeType: type, declaredType: null, sniffedType: type });
  });

  test('missing Content-Type and unknown bytes: MEDIA_TYPE_UNKNOWN', async () => {
    const s = await server((_req, res) => send(res, 200, Buffer.from('GIF89a....')));
    const { client } = makeClient(s.baseUrl);
    const error = await caught(client.getMediaContent(SESSION_ID, MEDIA_ID));
    expect(error.code).toBe('MEDIA_TYPE_UNKNOWN');
    expect(s.requests).toHaveLength(1);
  });

  test.each([
    ['image/jpeg', bytes.html],
    ['image/jpeg', bytes.svg],
    ['image/png', bytes.jpeg],
    ['application/pdf', bytes.html],
    ['application/json', Buffer.from('{not json')],
  ] as const)('declared %s with other bytes: MEDIA_TYPE_MISMATCH', async (type, body) => {
    const s = await server((_req, res) => send(res, 200, body, type));
    const { client } = makeClient(s.baseUrl);
    const error = await caught(client.getMediaContent(SESSION_ID, MEDIA_ID));
    expect(error.code).toBe('MEDIA_TYPE_MISMATCH');
    expect(error.message).toContain(type);
  });

  test.each(['text/html', 'image/svg+xml', 'image/gif', 'text/plain', 'application/javascript'])(
    'declared %s: MEDIA_TYPE_NOT_ALLOWED',
    async (type) => {
      const s = await server((_req, res) => send(res, 200, bytes.jpeg, type));
      const { client } = makeClient(s.baseUrl);
      const error = await caught(client.getMediaContent(SESSION_ID, MEDIA_ID));
      expect(error.code).toBe('MEDIA_TYPE_NOT_ALLOWED');
    },
  );

  test('declared types are matched without parameters and case-insensitively', async () => {
    const answers: Array<[string, Buffer]> = [
      ['Image/JPEG; charset=binary', bytes.jpeg],
      ['application/json; charset=UTF-8', bytes.json],
    ];
    const s = await server((_req, res) => {
      const [type, body] = answers[s.requests.length - 1]!;
      send(res, 200, body, type);
    });
    const { client } = makeClient(s.baseUrl);
    expect(await client.getMediaContent(SESSION_ID, MEDIA_ID)).toMatchObject({ mimeType: 'image/jpeg', declaredType: 'image/jpeg' });
    expect(await client.getMediaContent(SESSION_ID, MEDIA_ID)).toMatchObject({
      mimeType: 'application/json',
      declaredType: 'application/json',
      sniffedType: 'application/json',
    });
  });

  test('application/octet-stream (facemaps) is accepted as declared', async () => {
    const facemap = Buffer.from([0x00, 0x01, 0x02, 0x03, 0xfe]);
    const s = await server((_req, res) => send(res, 200, facemap, 'application/octet-stream'));
    const { client } = makeClient(s.baseUrl);
    expect(await client.getMediaContent(SESSION_ID, MEDIA_ID)).toEqual({
      bytes: facemap,
      mimeType: 'application/octet-stream',
      declaredType: 'application/octet-stream',
      sniffedType: null,
    });
  });
});

// ---- https and close ------------------------------------------------------------------------

describe('https and lifecycle', () => {
  test('https with an extra trusted CA works; without it the certificate is refused and not retried', async () => {
    const s = await server(ok, { tls: true });
    const trusted = makeClient(s.baseUrl, { ca: tlsFixture.cert });
    await expect(trusted.client.getSession(SESSION_ID)).resolves.toMatchObject({ json: SESSION_JSON });
    expect(s.requests[0]!.digestValid).toBe(true);

    const untrusted = makeClient(s.baseUrl);
    const error = await caught(untrusted.client.getSession(SESSION_ID));
    expect(error.code).toBe('TLS_FAILED');
    expect(untrusted.sleeps).toEqual([]);
    expect(s.requests).toHaveLength(1);
  });

  test('close() fails requests in flight and later calls with CLIENT_CLOSED, without retrying', async () => {
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const s = await server(() => arrived());
    const { client, sleeps } = makeClient(s.baseUrl);
    const pending = caught(client.getSession(SESSION_ID));
    await arrival;
    client.close();
    expect((await pending).code).toBe('CLIENT_CLOSED');
    expect((await caught(client.getSession(SESSION_ID))).code).toBe('CLIENT_CLOSED');
    expect(sleeps).toEqual([]);
    expect(s.requests).toHaveLength(1);
  });
});

import { createSign, generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NonceMemory } from '../../../main/core/demo-server/auth';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import type { DemoServer } from '../../../main/core/demo-server/server';
import { parse, rawRequest, SDK_ID, signedRequest, startTestServer, testKeys } from './helpers';

const SESSION = DEMO_SESSION_IDS.approvedPassport;
let server: DemoServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('signature verification', () => {
  test('a good signature gets 200 and the session JSON', async () => {
    const r = await signedRequest(server, `/sessions/${SESSION}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(parse(r)).toMatchObject({ session_id: SESSION, state: 'COMPLETED' });
  });

  test('a tampered query is 401 UNAUTHORIZED', async () => {
    const r = await signedRequest(server, `/sessions/${SESSION}`, { firstChunkOnly: false });
    expect(r.status).toBe(200);
    // re-send the same digest with a different (fresh) nonce in the query
    const signed = await signedRequestParts(`/sessions/${SESSION}`);
    const tampered = signed.pathWithQuery.replace(/nonce=[^&]+/, 'nonce=11111111-1111-4111-8111-111111111111');
    const t = await rawRequest(server, `/idverify/v1${tampered}`, { headers: signed.headers });
    expect(t.status).toBe(401);
    expect(parse(t)).toMatchObject({ code: 'UNAUTHORIZED' });
    // an extra parameter is tampering too
    const extra = await rawRequest(server, `/idverify/v1${signed.pathWithQuery}&x=1`, { headers: signed.headers });
    expect(extra.status).toBe(401);
  });

  test('a tampered method is 401', async () => {
    const r = await signedRequest(server, `/sessions/${SESSION}`, { method: 'DELETE', signMethod: 'GET' });
    expect(r.status).toBe(401);
    expect(parse(r).code).toBe('UNAUTHORIZED');
  });

  test('a signature made with another key is 401', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const r = await signedRequest(server, `/sessions/${SESSION}`, { key: other });
    expect(r.status).toBe(401);
  });

  test('a missing digest is 400 MALFORMED_REQUEST naming the header', async () => {
    const r = await signedRequest(server, `/sessions/${SESSION}`, { headers: { 'X-Yoti-Auth-Digest': '' } });
    expect(r.status).toBe(400);
    expect(parse(r)).toEqual({
      code: 'MALFORMED_REQUEST',
      errors: [{ property: 'header.X-Yoti-Auth-Digest', message: 'must not be null or empty' }],
    });
  });

  test('missing sdkId, nonce and timestamp are each named', async () => {
    const r = await rawRequest(server, `/idverify/v1/sessions/${SESSION}`, { headers: { 'X-Yoti-Auth-Digest': 'AAAA' } });
    expect(r.status).toBe(400);
    const props = (parse(r).errors as Array<{ property: string }>).map((e) => e.property);
    expect(props).toEqual(['query.sdkId', 'query.nonce', 'query.timestamp']);
    const bad = await rawRequest(server, `/idverify/v1/sessions/${SESSION}?sdkId=${SDK_ID}&nonce=n&timestamp=soon`, {
      headers: { 'X-Yoti-Auth-Digest': 'AAAA' },
    });
    expect((parse(bad).errors as Array<{ property: string }>)[0]!.property).toBe('query.timestamp');
  });

  test('a replayed nonce is refused', async () => {
    const nonce = '22222222-2222-4222-8222-222222222222';
    const first = await signedRequest(server, `/sessions/${SESSION}`, { nonce, timestamp: 1_700_000_000_000 });
    expect(first.status).toBe(200);
    const again = await signedRequest(server, `/sessions/${SESSION}`, { nonce, timestamp: 1_700_000_000_000 });
    expect(again.status).toBe(401);
    expect(parse(again).code).toBe('NONCE_REUSED');
    // the same nonce with a bad signature does not burn anything: still 401 UNAUTHORIZED, not NONCE_REUSED
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    const forged = await signedRequest(server, `/sessions/${SESSION}`, { nonce: '33333333-3333-4333-8333-333333333333', key: other });
    expect(parse(forged).code).toBe('UNAUTHORIZED');
    const real = await signedRequest(server, `/sessions/${SESSION}`, { nonce: '33333333-3333-4333-8333-333333333333' });
    expect(real.status).toBe(200);
  });

  test('an unknown sdkId is 404 APP_NOT_FOUND', async () => {
    const r = await signedRequest(server, `/sessions/${SESSION}`, { sdkId: 'ffffffff-0000-4000-8000-000000000000' });
    expect(r.status).toBe(404);
    expect(parse(r)).toEqual({ code: 'APP_NOT_FOUND', message: 'The referenced application does not exist' });
  });

  test('the raw query is verified as sent: Go-style order (timestamp before nonce) works', async () => {
    const pathWithQuery = `/sessions/${SESSION}?sdkId=${SDK_ID}&timestamp=1700000000001&nonce=44444444-4444-4444-8444-444444444444`;
    const digest = createSign('RSA-SHA256').update(`GET&${pathWithQuery}`).sign(testKeys().privateKey, 'base64');
    const r = await rawRequest(server, `/idverify/v1${pathWithQuery}`, { headers: { 'X-Yoti-Auth-Digest': digest } });
    expect(r.status).toBe(200);
  });

  test('a PUT body is covered by the signature', async () => {
    const body = Buffer.from(JSON.stringify({ check_reports: {} }));
    const signed = await signedRequestParts(`/sessions/${SESSION}/response-config`, 'PUT', body);
    const other = Buffer.from(JSON.stringify({ check_reports: { LIVENESS: [] } }));
    const r = await rawRequest(server, `/idverify/v1${signed.pathWithQuery}`, { method: 'PUT', headers: signed.headers, body: other });
    expect(r.status).toBe(401);
  });
});

describe('hostile paths are refused without crashing', () => {
  test.each([
    ['/idverify/v1/sessions/..%2f..', 404],
    ['/idverify/v1/sessions/%2e%2e', 404],
    ['/idverify/v1/sessions/../sessions', 404],
    ['/idverify/v1/sessions//media', 404],
    [`/idverify/v1/sessions/${SESSION}/media/..%2F..%2Fetc%2Fpasswd/content`, 404],
    [`/idverify/v1/sessions/${'a'.repeat(70)}`, 404],
    [`/idverify/v1/sessions/${SESSION}${'/x'.repeat(2000)}`, 404],
    ['/idverify/v1/sessions/a?b', 400],
    ['/etc/passwd', 404],
    ['/idverify/v1', 404],
    ['/idverify/v1/', 404],
  ])('%s → %i', async (path, status) => {
    const r = await rawRequest(server, path, { headers: { 'X-Yoti-Auth-Digest': 'AAAA' } });
    expect(r.status).toBe(status);
    expect(r.headers['content-type']).toBe('application/json');
    expect(typeof parse(r).code).toBe('string');
  });

  test('a non-ASCII request target is refused by the HTTP parser (400), the server keeps running', async () => {
    const r = await rawRequest(server, '/idverify/v1/sessions/\u00e9');
    expect([400, 404]).toContain(r.status);
  });

  test('wrong method on a known route is 405 with Allow', async () => {
    const r = await rawRequest(server, `/idverify/v1/sessions/${SESSION}`, { method: 'PATCH' });
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe('GET, DELETE');
  });

  test('the server still answers after all of that', async () => {
    expect((await signedRequest(server, `/sessions/${SESSION}`)).status).toBe(200);
  });
});

describe('request log', () => {
  test('records method, route, path and status, never the digest or the signed query', async () => {
    await signedRequest(server, `/sessions/${SESSION}`);
    const last = server.requests[server.requests.length - 1]!;
    expect(last).toEqual({ method: 'GET', route: 'session', path: `/idverify/v1/sessions/${SESSION}`, status: 200 });
    const all = JSON.stringify(server.requests);
    expect(all).not.toContain('nonce=');
    expect(all).not.toContain('sdkId=');
    expect(all.toLowerCase()).not.toContain('digest');
  });
});

describe('NonceMemory', () => {
  test('claims once, forgets the oldest beyond capacity', () => {
    const m = new NonceMemory(3);
    expect(m.claim('app', 'a')).toBe(true);
    expect(m.claim('app', 'a')).toBe(false);
    expect(m.claim('other', 'a')).toBe(true);
    m.claim('app', 'b');
    m.claim('app', 'c');
    expect(m.size).toBe(3);
    expect(m.claim('app', 'a')).toBe(true); // evicted, so accepted again
  });
});

async function signedRequestParts(path: string, method: 'GET' | 'PUT' = 'GET', body?: Buffer) {
  const { signRequest } = await import('../../../main/core/yoti/signing');
  const s = signRequest({ method, path, query: [['sdkId', SDK_ID]], key: testKeys().privateKey, body });
  return { pathWithQuery: s.pathWithQuery, headers: { ...s.headers, ...(body ? { 'Content-Type': 'application/json' } : {}) } };
}

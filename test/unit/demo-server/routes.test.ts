import { Agent } from 'node:http';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import type { DemoServer } from '../../../main/core/demo-server/server';
import { mediaIds, nullPaths, parse, rawRequest, SDK_ID, signedRequest, startTestServer, testKeys } from './helpers';
import { signRequest } from '../../../main/core/yoti/signing';

const A = DEMO_SESSION_IDS.approvedPassport;
let server: DemoServer;
let clock: Date;

beforeEach(async () => {
  clock = new Date('2026-03-01T12:00:00Z');
  server = await startTestServer({ now: () => clock });
});
afterEach(async () => {
  await server.close();
});

const session = async (id: string) => parse(await signedRequest(server, `/sessions/${id}`));
const docOf = (s: Record<string, unknown>) => (s.resources as { id_documents: Array<Record<string, unknown>> }).id_documents[0]!;
const mediaIdOf = (ref: unknown) => (ref as { media: { id: string } }).media.id;

describe('GET session and media', () => {
  test('every demo session is JSON without a single null', async () => {
    for (const id of Object.values(DEMO_SESSION_IDS)) {
      const r = await signedRequest(server, `/sessions/${id}`);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe('application/json');
      expect(nullPaths(parse(r))).toEqual([]);
    }
  });

  test('media come with the right Content-Type', async () => {
    const s = await session(A);
    const doc = docOf(s);
    const page = (doc.pages as Array<{ media: { id: string } }>)[0]!.media.id;
    const fields = mediaIdOf(doc.document_fields);
    const photo = mediaIdOf(doc.document_id_photo);
    const live = (s.resources as { liveness_capture: Array<{ facemap: unknown; frames: Array<{ media?: { id: string } }> }> }).liveness_capture[0]!;
    const expectations: Array<[string, string]> = [
      [page, 'image/jpeg'],
      [fields, 'application/json'],
      [photo, 'image/jpeg'],
      [mediaIdOf(live.facemap), 'application/octet-stream'],
      [live.frames[0]!.media!.id, 'image/jpeg'],
    ];
    for (const [id, type] of expectations) {
      const r = await signedRequest(server, `/sessions/${A}/media/${id}/content`);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toBe(type);
      expect(Number(r.headers['content-length'])).toBe(r.body.length);
      expect(r.body.length).toBeGreaterThan(0);
    }
  });

  test('every referenced media id of every demo session is served (or 204)', async () => {
    for (const id of Object.values(DEMO_SESSION_IDS)) {
      for (const mediaId of mediaIds(await session(id))) {
        const r = await signedRequest(server, `/sessions/${id}/media/${mediaId}/content`);
        expect([200, 204], `${id} ${mediaId}`).toContain(r.status);
      }
    }
  });

  test('a 204 media item has no body and no Content-Type', async () => {
    const s = await session(DEMO_SESSION_IDS.edgeCases);
    const photo = mediaIdOf(docOf(s).document_id_photo);
    const r = await signedRequest(server, `/sessions/${DEMO_SESSION_IDS.edgeCases}/media/${photo}/content`);
    expect(r.status).toBe(204);
    expect(r.body.length).toBe(0);
    expect(r.headers['content-type']).toBeUndefined();
  });

  test('unknown session → SESSION_NOT_FOUND, unknown media → NOT_FOUND', async () => {
    const unknown = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const s = await signedRequest(server, `/sessions/${unknown}`);
    expect(s.status).toBe(404);
    expect(parse(s)).toEqual({ code: 'SESSION_NOT_FOUND', message: 'Session not found' });
    const m = await signedRequest(server, `/sessions/${A}/media/${unknown}/content`);
    expect(m.status).toBe(404);
    expect(parse(m)).toEqual({ code: 'NOT_FOUND', message: 'Media not found' });
    const mu = await signedRequest(server, `/sessions/${unknown}/media/${unknown}/content`);
    expect(parse(mu).code).toBe('SESSION_NOT_FOUND');
  });

  test('configuration: the fields the SDK requires', async () => {
    const r = await signedRequest(server, `/sessions/${A}/configuration`);
    expect(r.status).toBe(200);
    const c = parse(r);
    expect(c).toMatchObject({ session_id: A, client_session_token_ttl: 0, capture: { biometric_consent: 'PROVIDED' } });
    expect(c.requested_checks).toEqual(['ID_DOCUMENT_AUTHENTICITY', 'ID_DOCUMENT_TEXT_DATA_CHECK', 'ID_DOCUMENT_FACE_MATCH', 'LIVENESS']);
  });

  test('keep-alive: a second request reuses the connection', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await signedRequest(server, `/sessions/${A}`, { agent });
      const second = await signedRequest(server, `/sessions/${A}`, { agent });
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.reusedSocket).toBe(true);
    } finally {
      agent.destroy();
    }
  });

  test('getMedia() exposes exactly the bytes the route serves', async () => {
    const page = (docOf(await session(A)).pages as Array<{ media: { id: string } }>)[0]!.media.id;
    const r = await signedRequest(server, `/sessions/${A}/media/${page}/content`);
    const direct = server.getMedia(A, page);
    expect(direct && 'bytes' in direct ? Buffer.from(direct.bytes).equals(r.body) : false).toBe(true);
  });
});

describe('deletion', () => {
  test('a session that is not COMPLETED cannot be deleted (409), nor its media', async () => {
    const id = DEMO_SESSION_IDS.ongoing;
    const r = await signedRequest(server, `/sessions/${id}`, { method: 'DELETE' });
    expect(r.status).toBe(409);
    expect(parse(r)).toEqual({ code: 'SESSION_NOT_COMPLETED', message: 'The session can only be deleted once it is completed' });
    const page = (docOf(await session(id)).pages as Array<{ media: { id: string } }>)[0]!.media.id;
    const m = await signedRequest(server, `/sessions/${id}/media/${page}/content`, { method: 'DELETE' });
    expect(m.status).toBe(409);
    expect((await signedRequest(server, `/sessions/${id}`)).status).toBe(200);
  });

  test('deleting a media item: 204 empty, then its content is 404 but the session keeps the reference', async () => {
    const fields = mediaIdOf(docOf(await session(A)).document_fields);
    const del = await signedRequest(server, `/sessions/${A}/media/${fields}/content`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(del.body.length).toBe(0);
    const get = await signedRequest(server, `/sessions/${A}/media/${fields}/content`);
    expect(get.status).toBe(404);
    expect(parse(get).code).toBe('NOT_FOUND');
    expect(mediaIdOf(docOf(await session(A)).document_fields)).toBe(fields);
    const again = await signedRequest(server, `/sessions/${A}/media/${fields}/content`, { method: 'DELETE' });
    expect(again.status).toBe(404);
  });

  test('deleting a session: 204, then everything of it is 404', async () => {
    const s = await session(A);
    const ids = mediaIds(s);
    const del = await signedRequest(server, `/sessions/${A}`, { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect(del.body.length).toBe(0);
    expect((await signedRequest(server, `/sessions/${A}`)).status).toBe(404);
    expect((await signedRequest(server, `/sessions/${A}/configuration`)).status).toBe(404);
    expect((await signedRequest(server, `/sessions/${A}/media/${ids[0]!}/content`)).status).toBe(404);
    expect((await signedRequest(server, `/sessions/${A}`, { method: 'DELETE' })).status).toBe(404);
  });
});

const LIVENESS_CONFIG = {
  check_reports: {
    LIVENESS: [
      { liveness_type: 'ZOOM', result: { report: { recommendation: { value: 'REJECT' }, breakdown: [{ sub_check: 'liveness_auth', result: 'FAIL' }] } } },
      { liveness_type: 'ZOOM', result: { report: { recommendation: { value: 'APPROVE' }, breakdown: [{ sub_check: 'liveness_auth', result: 'PASS' }] } } },
    ],
  },
};

async function putConfig(path: string, body: unknown, withSdkQuery = true) {
  const bytes = Buffer.from(JSON.stringify(body));
  const s = signRequest({ method: 'PUT', path, query: withSdkQuery ? [['sdkId', SDK_ID]] : [], key: testKeys().privateKey, body: bytes });
  return rawRequest(server, `/idverify/v1${s.pathWithQuery}`, { method: 'PUT', headers: { ...s.headers, 'Content-Type': 'application/json' }, body: bytes });
}

describe('response-config (sandbox format)', () => {
  test('PUT a session config (signed with the body part), then GET reflects it', async () => {
    const id = 'c0ffee00-0000-4000-8000-000000000001';
    const put = await putConfig(`/sessions/${id}/response-config`, LIVENESS_CONFIG);
    expect(put.status).toBe(204);
    const s = await session(id);
    expect(s.state).toBe('COMPLETED');
    const checks = s.checks as Array<{ type: string; report: { recommendation: { value: string } }; resources_used: string[] }>;
    expect(checks.map((c) => [c.type, c.report.recommendation.value])).toEqual([
      ['LIVENESS', 'REJECT'],
      ['LIVENESS', 'APPROVE'],
    ]);
    const live = (s.resources as { liveness_capture: Array<{ id: string }> }).liveness_capture;
    expect(checks.map((c) => c.resources_used)).toEqual(live.map((l) => [l.id]));
  });

  test('a bad config is 400 MALFORMED_REQUEST naming the property', async () => {
    const r = await putConfig(`/sessions/${A}/response-config`, { check_reports: { LIVENESS: [{ result: { report: { recommendation: {} } } }] } });
    expect(r.status).toBe(400);
    const body = parse(r) as { code: string; errors: Array<{ property: string; message: string }> };
    expect(body.code).toBe('MALFORMED_REQUEST');
    expect(body.errors.map((e) => e.property)).toContain('check_reports.LIVENESS[0].result.report.recommendation.value');
    const notJson = await rawRequestPut(`/sessions/${A}/response-config`, Buffer.from('{nope'));
    expect(notJson.status).toBe(400);
    expect(parse(notJson)).toMatchObject({ code: 'MALFORMED_REQUEST', errors: [{ property: 'body' }] });
  });

  test('app-level config (no sdkId query) applies to sessions created afterwards', async () => {
    const put = await putConfig(`/apps/${SDK_ID}/response-config`, LIVENESS_CONFIG, false);
    expect(put.status).toBe(204);
    const body = Buffer.from(JSON.stringify({ user_tracking_id: 'demo-user-1' }));
    const created = await signedRequest(server, '/sessions', { method: 'POST', body });
    expect(created.status).toBe(201);
    const { session_id } = parse(created) as { session_id: string };
    const s = await session(session_id);
    expect(s.user_tracking_id).toBe('demo-user-1');
    expect((s.checks as unknown[]).length).toBe(2);
    // an app path for another (unknown) app is APP_NOT_FOUND
    const other = await putConfig(`/apps/ffffffff-0000-4000-8000-000000000000/response-config`, LIVENESS_CONFIG, false);
    expect(other.status).toBe(404);
    expect(parse(other).code).toBe('APP_NOT_FOUND');
  });

  test('async_report_delay: checks stay PENDING until the delay has passed', async () => {
    const id = 'c0ffee00-0000-4000-8000-000000000002';
    expect((await putConfig(`/sessions/${id}/response-config`, { check_reports: { ...LIVENESS_CONFIG.check_reports, async_report_delay: 30 } })).status).toBe(204);
    const before = await session(id);
    expect(before.state).toBe('ONGOING');
    expect((before.checks as Array<Record<string, unknown>>).every((c) => c.state === 'PENDING' && c.report === undefined)).toBe(true);
    expect((await signedRequest(server, `/sessions/${id}`, { method: 'DELETE' })).status).toBe(409);
    clock = new Date(clock.getTime() + 31_000);
    const after = await session(id);
    expect(after.state).toBe('COMPLETED');
    expect((after.checks as Array<Record<string, unknown>>).every((c) => c.state === 'DONE' && c.report !== undefined)).toBe(true);
  });

  test('configureSession() and addSession() from code', async () => {
    const id = 'c0ffee00-0000-4000-8000-000000000003';
    server.configureSession(id, LIVENESS_CONFIG);
    expect((await session(id)).session_id).toBe(id);
    expect(() => server.configureSession(id, { check_reports: { LIVENESS: 'no' } })).toThrow(/check_reports\.LIVENESS/);
    server.addSession({
      sessionId: 'c0ffee00-0000-4000-8000-000000000004',
      session: { session_id: 'c0ffee00-0000-4000-8000-000000000004', state: 'COMPLETED' },
      media: { m1: { contentType: 'text/plain', bytes: Buffer.from('hello') }, m2: { contentType: 'image/png', generate: () => Buffer.from('png') } },
    });
    const m1 = await signedRequest(server, '/sessions/c0ffee00-0000-4000-8000-000000000004/media/m1/content');
    expect([m1.status, m1.headers['content-type'], m1.body.toString()]).toEqual([200, 'text/plain', 'hello']);
    const m2 = await signedRequest(server, '/sessions/c0ffee00-0000-4000-8000-000000000004/media/m2/content');
    expect(m2.body.toString()).toBe('png');
    expect(() => server.addSession({ sessionId: '../x', session: {}, media: {} })).toThrow();
  });
});

async function rawRequestPut(path: string, bytes: Buffer) {
  const s = signRequest({ method: 'PUT', path, query: [['sdkId', SDK_ID]], key: testKeys().privateKey, body: bytes });
  return rawRequest(server, `/idverify/v1${s.pathWithQuery}`, { method: 'PUT', headers: { ...s.headers, 'Content-Type': 'application/json' }, body: bytes });
}

import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import { FaultEngine, TokenBucket, type BucketClock } from '../../../main/core/demo-server/faults';
import type { DemoServer } from '../../../main/core/demo-server/server';
import { asSession, parse, signedRequest, startTestServer } from './helpers';

const A = DEMO_SESSION_IDS.approvedPassport;
const E = DEMO_SESSION_IDS.nonLatin;
let server: DemoServer;
let ids: { page: string; facemap: string; fields: string; pngPhoto: string };

beforeEach(async () => {
  server = await startTestServer();
  const a = asSession(parse(await signedRequest(server, `/sessions/${A}`)));
  const e = asSession(parse(await signedRequest(server, `/sessions/${E}`)));
  ids = {
    page: a.resources.id_documents[0]!.pages[0]!.media.id,
    facemap: a.resources.liveness_capture[0]!.facemap!.media.id,
    fields: a.resources.id_documents[0]!.document_fields!.media.id,
    pngPhoto: e.resources.id_documents[0]!.document_id_photo!.media.id,
  };
});
afterEach(async () => {
  await server.close();
});

const media = (id: string, session: string = A, opts: { firstChunkOnly?: boolean } = {}) => signedRequest(server, `/sessions/${session}/media/${id}/content`, opts);

describe('status faults', () => {
  test('status429 carries Retry-After and `times` expires', async () => {
    server.setFaults({ rules: [{ route: 'session', times: 1, status429: { retryAfterSeconds: 7 } }] });
    const first = await signedRequest(server, `/sessions/${A}`);
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('7');
    expect(parse(first).code).toBe('TOO_MANY_REQUESTS');
    const second = await signedRequest(server, `/sessions/${A}`);
    expect(second.status).toBe(200);
  });

  test('status5xx on every route, twice', async () => {
    server.setFaults({ rules: [{ route: '*', times: 2, status5xx: { status: 503 } }] });
    const a = await signedRequest(server, `/sessions/${A}`);
    const b = await media(ids.page);
    const c = await media(ids.page);
    expect([a.status, b.status, c.status]).toEqual([503, 503, 200]);
    expect(parse(a)).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(server.requests.slice(-3).map((r) => r.faults)).toEqual([['status5xx'], ['status5xx'], undefined]);
  });

  test('other statuses and routes that do not match are untouched', async () => {
    server.setFaults({ rules: [{ route: 'deleteSession', status5xx: { status: 500 } }] });
    expect((await signedRequest(server, `/sessions/${A}`)).status).toBe(200);
    expect((await signedRequest(server, `/sessions/${A}`, { method: 'DELETE' })).status).toBe(500);
  });
});

describe('body faults', () => {
  test('resetMidBody: headers and part of the body, then a socket error', async () => {
    server.setFaults({ rules: [{ route: 'media', mediaId: ids.page, resetMidBody: { afterBytes: 1000 } }] });
    const r = await media(ids.page);
    expect(r.status).toBe(200);
    expect(r.error?.code).toMatch(/ECONNRESET|ERR_STREAM_PREMATURE_CLOSE/);
    expect(r.complete).toBe(false);
    expect(r.body.length).toBeLessThan(Number(r.headers['content-length']));
    // only that media item: the facemap is fine
    const ok = await media(ids.facemap);
    expect([ok.status, ok.complete, ok.error]).toEqual([200, true, undefined]);
  });

  test('truncateBody: fewer bytes than Content-Length, then the connection ends', async () => {
    server.setFaults({ rules: [{ route: 'media', truncateBody: true, times: 1 }] });
    const r = await media(ids.fields);
    const declared = Number(r.headers['content-length']);
    expect(r.status).toBe(200);
    expect(r.complete).toBe(false);
    expect(r.body.length).toBe(Math.floor(declared / 2));
    const after = await media(ids.fields);
    expect(after.body.length).toBe(Number(after.headers['content-length']));
  });

  test('omitContentType: no Content-Type header at all', async () => {
    server.setFaults({ rules: [{ route: 'media', omitContentType: true }] });
    const r = await media(ids.page);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBeUndefined();
    expect(r.body.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  test('media204: 204 with no body', async () => {
    server.setFaults({ rules: [{ route: 'media', mediaId: ids.facemap, media204: true }] });
    const r = await media(ids.facemap);
    expect(r.status).toBe(204);
    expect(r.body.length).toBe(0);
    expect((await media(ids.page)).status).toBe(200);
  });

  test('wrongContentType: JPEG declared on PNG bytes, or any given value', async () => {
    server.setFaults({ rules: [{ route: 'media', mediaId: ids.pngPhoto, wrongContentType: true }] });
    const r = await media(ids.pngPhoto, E);
    expect(r.headers['content-type']).toBe('image/jpeg');
    expect(r.body.subarray(0, 8).toString('latin1')).toBe('\x89PNG\r\n\x1a\n');
    server.setFaults({ rules: [{ route: 'session', wrongContentType: 'text/plain' }] });
    expect((await signedRequest(server, `/sessions/${A}`)).headers['content-type']).toBe('text/plain');
  });
});

describe('timing faults (behaviour, not durations)', () => {
  test('latencyMs holds the matching response back while others are answered', async () => {
    server.setFaults({ rules: [{ route: 'session', sessionId: A, latencyMs: 60_000 }] });
    let settled = false;
    const slow = signedRequest(server, `/sessions/${A}`).then((r) => {
      settled = true;
      return r;
    });
    const other = await signedRequest(server, `/sessions/${E}`);
    const mediaToo = await media(ids.page);
    expect(other.status).toBe(200);
    expect(mediaToo.status).toBe(200);
    expect(settled).toBe(false);
    await server.close();
    const r = await slow;
    expect(r.status).toBe(0);
    expect(r.error).toBeDefined();
  });

  test('bandwidthBytesPerSec paces the body in small chunks', async () => {
    const free = await media(ids.facemap, A, { firstChunkOnly: true });
    expect(free.firstChunk).toBeGreaterThan(1024);
    server.setFaults({ rules: [{ route: 'media', bandwidthBytesPerSec: 20_000 }] });
    const slow = await media(ids.facemap, A, { firstChunkOnly: true });
    expect(slow.status).toBe(200);
    expect(Number(slow.headers['content-length'])).toBe(24 * 1024);
    expect(slow.firstChunk).toBeLessThanOrEqual(4 * 400); // 400-byte chunks at 20 kB/s
  });

  test('the global bandwidth cap is shared by concurrent responses', async () => {
    await media(ids.page); // draw the page first, so only the transfer is measured below
    await media(ids.facemap);
    server.setFaults({ globalBandwidthBytesPerSec: 50_000 });
    const [x, y] = await Promise.all([
      media(ids.facemap, A, { firstChunkOnly: true }),
      media(ids.page, A, { firstChunkOnly: true }),
    ]);
    expect([x.status, y.status]).toEqual([200, 200]);
    // paced in 1000-byte chunks (20 ms at 50 kB/s): the first read holds a chunk or two, not the body
    expect(x.firstChunk).toBeLessThanOrEqual(4000);
    expect(y.firstChunk).toBeLessThanOrEqual(4000);
    expect(Number(y.headers['content-length'])).toBeGreaterThan(10 * 4000);
  });
});

describe('fault rules', () => {
  test('knobs of several matching rules combine; later rules win per knob', () => {
    const engine = new FaultEngine({
      rules: [
        { route: '*', latencyMs: 100 },
        { route: 'media', mediaId: 'm1', latencyMs: 5, omitContentType: true, times: 1 },
      ],
    });
    expect(engine.select('media', { mediaId: 'm1' })).toEqual({ latencyMs: 5, omitContentType: true, names: ['latencyMs', 'omitContentType'] });
    expect(engine.select('media', { mediaId: 'm1' })).toEqual({ latencyMs: 100, names: ['latencyMs'] });
    expect(engine.select('session', {})).toEqual({ latencyMs: 100, names: ['latencyMs'] });
  });

  test('bad rules are refused', () => {
    expect(() => server.setFaults({ rules: [{ route: 'media', times: -1 }] })).toThrow(RangeError);
    expect(() => server.setFaults({ rules: [{ route: 'media', status5xx: { status: 501 as 500 } }] })).toThrow(RangeError);
    expect(() => server.setFaults({ globalBandwidthBytesPerSec: 0 })).toThrow(RangeError);
  });

  test('TokenBucket reserves transmission time in order (GCRA)', async () => {
    let t = 0;
    const sleeps: number[] = [];
    const clock: BucketClock = { now: () => t, sleep: (ms) => (sleeps.push(ms), Promise.resolve()) };
    const bucket = new TokenBucket(1000, 20, clock);
    await bucket.take(10); // slot 0–10 ms: goes at once
    await bucket.take(100); // slot 10–110 ms: starts within the 20 ms burst allowance, no wait
    await bucket.take(100); // slot 110–210 ms → waits 90 ms
    await bucket.take(100); // slot 210–310 ms → waits 190 ms
    expect(sleeps).toEqual([90, 190]);
    t = 1000; // idle time is not banked beyond the burst
    await bucket.take(100); // slot 1000–1100: at once
    await bucket.take(100); // slot 1100–1200 → waits 80 ms
    expect(sleeps).toEqual([90, 190, 80]);
    expect(bucket.chunkSize()).toBe(20);
    expect(new TokenBucket(100).chunkSize()).toBe(16);
    expect(new TokenBucket(25_000_000).chunkSize()).toBe(65536);
  });
});

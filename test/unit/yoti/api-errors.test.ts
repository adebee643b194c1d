import { describe, expect, test } from 'vitest';
import { AppError } from '../../../common/errors';
import { apiErrorFromResponse, NetworkError, parseErrorBody, YotiApiError } from '../../../main/core/yoti/api-errors';
import { redact } from '../../../main/core/redact';
import { MEDIA_ID, SDK_ID, SESSION_ID } from './support/fault-server';

const DIGEST =
  'FPUFW4zgrqM2iMld8CNwXtECjvukNSo4yPIbS6xOS8DjE5jgYT6VHayI0U0w91nNK/7WjFGbIYSNCwjpV83qrLO4y66SfB+12DN2mWpcQKxqZkhO3ohCrsOCl0tSRl3FzBn9/ogFMGQn5/Brsdu6GBbMNhZuSfSAeVFxHcsBVGakkw==';

describe('error classes', () => {
  test('YotiApiError and NetworkError are remote AppErrors', () => {
    const api = new YotiApiError({ code: 'X', message: 'm', status: 500 });
    expect(api).toBeInstanceOf(AppError);
    expect(api.kind).toBe('remote');
    expect(api.name).toBe('YotiApiError');
    expect(api.errors).toEqual([]);
    const net = new NetworkError('CONNECT_TIMEOUT', 'm');
    expect(net).toBeInstanceOf(AppError);
    expect(net.kind).toBe('remote');
    expect(net.code).toBe('CONNECT_TIMEOUT');
  });
});

describe('redact', () => {
  test('removes signed query parameters, digests and PEM blocks; keeps ordinary text', () => {
    const text =
      `GET /idverify/v1/sessions/${SESSION_ID}?sdkId=${SDK_ID}&nonce=00000000-0000-4000-8000-000000000000&timestamp=1700000000000 ` +
      `digest ${DIGEST} -----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY----- The referenced application does not exist`;
    const out = redact(text);
    for (const secret of ['nonce=', 'timestamp=', 'sdkId=', '00000000-0000-4000-8000-000000000000', DIGEST.slice(0, 30), 'PRIVATE KEY', 'MIIE']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain(`/sessions/${SESSION_ID}`);
    expect(out).toContain('The referenced application does not exist');
  });

  test('replaces control characters', () => {
    expect(redact('a\u0000b\u001bc\r\nd')).toBe('a b c\r\nd');
  });
});

describe('parseErrorBody', () => {
  test('empty body', () => {
    expect(parseErrorBody(Buffer.alloc(0))).toEqual({ errors: [] });
  });

  test('JSON array or scalar is not a Yoti body: raw text kept', () => {
    expect(parseErrorBody(Buffer.from('[1]'))).toEqual({ errors: [], rawText: '[1]' });
    expect(parseErrorBody(Buffer.from('"x"'))).toEqual({ errors: [], rawText: '"x"' });
  });

  test('wrong-typed fields are ignored', () => {
    expect(parseErrorBody(Buffer.from(JSON.stringify({ code: 5, message: null, errors: 'x' })))).toEqual({ errors: [] });
  });

  test('a BOM before JSON is tolerated', () => {
    expect(parseErrorBody(Buffer.from('\uFEFF{"code":"NOT_FOUND"}'))).toEqual({ errors: [], yotiCode: 'NOT_FOUND' });
  });
});

describe('apiErrorFromResponse', () => {
  const call = { operation: 'get-media', sessionId: SESSION_ID, mediaId: MEDIA_ID } as const;
  const make = (status: number, body: unknown = {}, retryAfterMs?: number) =>
    apiErrorFromResponse({ status, body: Buffer.from(JSON.stringify(body)), call, sdkId: SDK_ID, retryAfterMs: retryAfterMs ?? null });

  test('media calls name the media and the session', () => {
    const e = make(404);
    expect(e.code).toBe('MEDIA_NOT_FOUND');
    expect(e.message).toContain(MEDIA_ID);
    expect(e.message).toContain(SESSION_ID);
  });

  test("a session Yoti does not have: the message explains Yoti's own retention and automatic deletion", () => {
    const e = apiErrorFromResponse({ status: 404, body: Buffer.from('{}'), call: { operation: 'get-session', sessionId: SESSION_ID }, sdkId: SDK_ID, retryAfterMs: null });
    expect(e.code).toBe('SESSION_NOT_FOUND');
    expect(e.message).toContain(SESSION_ID);
    expect(e.message).toMatch(/deletes a session and all its media by itself once the retention period set when the session was created is over/);
  });

  test('RATE_LIMITED mentions the wait and keeps retryAfterMs', () => {
    const e = make(429, {}, 4500);
    expect(e.retryAfterMs).toBe(4500);
    expect(e.message).toContain('wait 5 s');
  });

  test('SESSION_NOT_COMPLETED applies to DELETE only', () => {
    const body = Buffer.from(JSON.stringify({ code: 'SESSION_NOT_COMPLETED' }));
    const del = apiErrorFromResponse({ status: 400, body, call: { operation: 'delete-session', sessionId: SESSION_ID }, sdkId: SDK_ID });
    const get = apiErrorFromResponse({ status: 400, body, call: { operation: 'get-session', sessionId: SESSION_ID }, sdkId: SDK_ID });
    expect(del.code).toBe('SESSION_NOT_COMPLETED');
    expect(get.code).toBe('MALFORMED_REQUEST');
  });

  test('a very long Yoti message is shortened in the message but kept (redacted) in yotiMessage', () => {
    const long = 'word '.repeat(1000);
    const e = make(500, { code: 'INTERNAL', message: long });
    expect(e.message.length).toBeLessThan(1000);
    expect(e.yotiMessage?.length).toBeLessThanOrEqual(2049);
  });
});

import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { LocalError, UsageError } from '../../../common/errors';
import { cleanMessage, INTERNAL_MESSAGE, toApiError } from '../../../main/ipc/errors';
import { QUEUE_FILE, SessionQueue } from '../../../main/ipc/queue';
import { MAX_INVALID_REPORTED, parseCsv, parseSessionIdCsv, parseSessionIdText } from '../../../main/ipc/session-ids';

const A = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const B = '5e551090-0000-4000-8000-000000000001';
const C = 'DE3C0A11-5E55-4A0D-8E11-000000000002';

describe('session ids from pasted text', () => {
  test('separators, quotes, duplicates, invalid values', () => {
    const r = parseSessionIdText(`\uFEFF${A}\n${B},${B}; '${C}'\t"x" ${A}/evil`);
    expect(r.ids).toEqual([A, B, C]);
    expect(r.repeated).toEqual([B]);
    expect(r.invalid.map((i) => i.value)).toEqual(['x', `${A}/evi…`]);
  });

  test('control characters are not echoed, long values are cut, the list is bounded', () => {
    const r = parseSessionIdText(`bad\u0007id ${'y'.repeat(100)}`);
    expect(r.invalid.map((i) => i.value)).toEqual(['bad?id', `${'y'.repeat(40)}…`]);
    const many = parseSessionIdText(Array.from({ length: 500 }, (_, i) => `junk${i}`).join(' '));
    expect(many.invalid).toHaveLength(MAX_INVALID_REPORTED + 1);
    expect(many.invalid.at(-1)?.reason).toMatch(/300 more values/);
  });

  test('an empty paste adds nothing', () => {
    expect(parseSessionIdText(' \n\t ,, ')).toEqual({ ids: [], repeated: [], invalid: [] });
  });
});

describe('session ids from CSV', () => {
  test('the header naming the session id picks the column', () => {
    expect(parseSessionIdCsv(`state,session_id\nDONE,${A}\nDONE,"${B}"\r\n`).ids).toEqual([A, B]);
    expect(parseSessionIdCsv(`Created;Session ID;x\n2025;${A};1\n`).ids).toEqual([A]);
    expect(parseSessionIdCsv(`id\n${A}\n`).ids).toEqual([A]);
  });

  test('without a header, the first column', () => {
    expect(parseSessionIdCsv(`${A},COMPLETED\n${B},ONGOING\n`).ids).toEqual([A, B]);
  });

  test('quoted fields with separators, doubled quotes and new lines', () => {
    expect(parseCsv('a,"b,c","d ""e""","f\ng"\n1,2')).toEqual([
      ['a', 'b,c', 'd "e"', 'f\ng'],
      ['1', '2'],
    ]);
  });
});

describe('the session queue', () => {
  const key = randomBytes(32);

  test('adds once, keeps the order, removes; encrypted at rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idv-queue-'));
    const q = new SessionQueue({ dataDir: dir, key });
    expect(await q.add([A, B], '2025-01-02T00:00:00.000Z')).toEqual({ added: [A, B], existing: [] });
    expect(await q.add([C, A], '2025-01-01T00:00:00.000Z')).toEqual({ added: [C], existing: [A] });
    expect((await q.list()).map((e) => e.sessionId)).toEqual([C, A, B]);
    expect(await q.remove(A)).toBe(true);
    expect(await q.remove(A)).toBe(false);
    expect((await new SessionQueue({ dataDir: dir, key }).list()).map((e) => e.sessionId)).toEqual([C, B]);
    const raw = readFileSync(join(dir, QUEUE_FILE)).toString('latin1');
    expect(raw).not.toContain(B);
    expect(raw).not.toContain('2025-01');
  });

  test('concurrent adds do not lose entries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idv-queue-'));
    const q = new SessionQueue({ dataDir: dir, key });
    await Promise.all([q.add([A], 't1'), q.add([B], 't2'), q.add([C], 't3')]);
    expect((await q.list()).map((e) => e.sessionId).sort()).toEqual([A, B, C].sort());
  });

  test('a changed file or another key: QUEUE_DAMAGED in words, set aside, a fresh list afterwards', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idv-queue-'));
    await new SessionQueue({ dataDir: dir, key }).add([A], 't');
    const file = join(dir, QUEUE_FILE);
    const bytes = readFileSync(file);
    bytes[20]! ^= 1;
    writeFileSync(file, bytes);
    const q = new SessionQueue({ dataDir: dir, key });
    await expect(q.list()).rejects.toMatchObject({ code: 'QUEUE_DAMAGED', kind: 'local' });
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir).some((n) => n.startsWith(`${QUEUE_FILE}.damaged-`))).toBe(true);
    expect(await q.list()).toEqual([]);

    await q.add([B], 't');
    await expect(new SessionQueue({ dataDir: dir, key: randomBytes(32) }).list()).rejects.toMatchObject({ code: 'QUEUE_DAMAGED' });
  });
});

describe('errors for the renderer', () => {
  const dataDir = '/home/alice smith/.config/IDV Review Console';

  test('AppError: code, kind, words without paths, PEM, digests or signed queries', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----';
    const e = new LocalError(
      'WRITE_FAILED',
      `Cannot write ${dataDir}/cache/x/session.idvc and /var/tmp/a/b.txt and C:\\Users\\alice\\x.pem (EACCES); ${pem}; ` +
        'GET /sessions/1?sdkId=abc&nonce=123&timestamp=9 X-Yoti-Auth-Digest: c2lnbmF0dXJlc2lnbmF0dXJl and/or 1/2',
    );
    const info = toApiError(e, { dataDir });
    expect(info.code).toBe('WRITE_FAILED');
    expect(info.kind).toBe('local');
    expect(info.message).toContain('the data folder/cache/x/session.idvc');
    for (const bad of ['alice', '/var/tmp', 'C:\\', 'BEGIN', 'MIIE', 'nonce=123', 'c2lnbmF0dXJl']) expect(info.message, bad).not.toContain(bad);
    expect(info.message).toContain('and/or 1/2');
    expect(info.message).toContain('[path]');
  });

  test('usage errors keep their kind; long messages are capped', () => {
    expect(toApiError(new UsageError('X', 'y'.repeat(5000)), {}).message.length).toBeLessThanOrEqual(600);
    expect(toApiError(new UsageError('X', 'z'), {}).kind).toBe('usage');
  });

  test('anything else is INTERNAL with a generic sentence; the stack goes to the log, redacted', () => {
    const lines: string[] = [];
    const err = new TypeError(`x is undefined in ${dataDir}/keys -----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----`);
    const info = toApiError(err, { dataDir, channel: 'openSession', log: { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) } });
    expect(info).toEqual({ code: 'INTERNAL', kind: 'local', message: INTERNAL_MESSAGE });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('openSession failed: TypeError: x is undefined');
    expect(lines[0]).not.toContain('alice');
    expect(lines[0]).not.toContain('RSA PRIVATE KEY');
    expect(toApiError('a string', {}).code).toBe('INTERNAL');
  });

  test('cleanMessage leaves URLs of the API alone', () => {
    expect(cleanMessage('fetched from https://api.yoti.com/idverify/v1 and http://127.0.0.1:8080/idverify/v1')).toBe(
      'fetched from https://api.yoti.com/idverify/v1 and http://127.0.0.1:8080/idverify/v1',
    );
  });
});

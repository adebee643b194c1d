import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { redact } from '../../main/core/redact';
import { signRequest } from '../../main/core/yoti/signing';

const pem = readFileSync(new URL('../fixtures/keys/yoti-docs-test-vector.pem', import.meta.url), 'utf8');

test('removes PEM blocks, digests and signed query parameters', () => {
  const signed = signRequest({ method: 'GET', path: '/sessions/abc', query: [['sdkId', 'sdk-1']], key: pem });
  const text = `failed ${signed.pathWithQuery} with ${JSON.stringify(signed.headers)} using ${pem}`;
  const out = redact(text);
  expect(out).not.toContain(signed.digest);
  expect(out).not.toContain('PRIVATE KEY');
  expect(out).not.toMatch(/nonce=[0-9a-f]/);
  expect(out).toContain('/sessions/abc');
});

test('leaves ordinary messages alone', () => {
  const msg = 'Session 3fa85f64-5717-4562-b3fc-2c963f66afa6 not found (404 SESSION_NOT_FOUND)';
  expect(redact(msg)).toBe(msg);
});

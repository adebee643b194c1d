import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { signRequest, verifyDigest } from '../../../main/core/yoti/signing';

// Published vectors from shared/docs/yoti-api-notes.md §2 (throwaway test key).
const pem = readFileSync(new URL('../../fixtures/keys/yoti-docs-test-vector.pem', import.meta.url), 'utf8');
const SDK = 'b4a0a9c4-5d4c-4b8e-9f3a-2f1c6a7e8d90';
const SESSION = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const MEDIA = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';
const fixed = { nonce: '00000000-0000-4000-8000-000000000000', timestamp: 1700000000000 };

const vectors = [
  {
    method: 'GET',
    path: `/sessions/${SESSION}`,
    digest:
      'FPUFW4zgrqM2iMld8CNwXtECjvukNSo4yPIbS6xOS8DjE5jgYT6VHayI0U0w91nNK/7WjFGbIYSNCwjpV83qrLO4y66SfB+12DN2mWpcQKxqZkhO3ohCrsOCl0tSRl3FzBn9/ogFMGQn5/Brsdu6GBbMNhZuSfSAeVFxHcsBVGakkw/sbMh5voAmvlubKMfhYVRHQVE/TAOlAMTe7M8Yf4knbuWoHUEcva0JbndaAVMLmX0AsdkdveOOg9U6E75/FXc84L/vLcO1WIfvg1Gvw+FGRNVXEoSdNEjR+osjiuM+VXgIsJdXfdfHJl8Qg9Tn5Lp/nWx0tQZkAdg1vIJxQQ==',
  },
  {
    method: 'GET',
    path: `/sessions/${SESSION}/media/${MEDIA}/content`,
    digest:
      'Cdz7168uk6A1dKmZRfzoqlUdFMFAoetPk87qtJUsKt8ja9jYVLhu6gvISZM7cSojSGv7Q6V8ce7Mz000/dtBsr+Qonyp7IaeRIhiX1dzIbbqU4aJm6kFSwniuYrpdE4FjsNi9S/k4swtHQ1Jd5ZU4gbHnjPIDsp36atstYGksEGVOoRluY+a4t0EQKHcqdh+pmDGE95pMCntJPACSZmApwQi70zKgWNKdbVR6EZvJs7jOwInxfDLVtAWRv6h87HvNqkTe3FhCJ65w047iDrL4YTqAE0oLVdVsau2uoGfmzzGttY6/wMYfUBc3k65ZQezaUlWhjpVM7E2dTLdF9qHVQ==',
  },
  {
    method: 'DELETE',
    path: `/sessions/${SESSION}`,
    digest:
      'Y7DRFSiFzdq5QHZq1vPgVH9Oik+e9j3dsllYfiUEpZwPvmmCKjdM0dpR3r+ZuRJSNlMBIMbxmDtQq1aNtolYP1kxMpJcuxwyqBRncmEpozl4J485dipr9HemP7l1TkStxYDSr3jeKjC9TvMkPlGaN2qLF0Kp3ZNcWNPLPuAGqBpToMCa/h0N0cKMJNcdsPx9JoVHN8VB3R7kHYaT5O8kp4xiH37z/Mut6Z5h7TRvaFrEb3WdYtGQukFG4RzoHiBCSFDwmb4lPKYLCbHxCYAFfbsf7iRN9cvs0RfGggyefYd7F7q9WMSs0hoCmktBWt9CezBAiQ+DdYnWb0sWxnBiyA==',
  },
  {
    method: 'DELETE',
    path: `/sessions/${SESSION}/media/${MEDIA}/content`,
    digest:
      'lMfDKCpx3PIhe3WMDglyHZBip7Lm4wZBQVsgl95fb4LnWhzJc+S0fAxUJygWSRML77kqYTSK5XB9thKA+/lVZssMLRVLjT9Q15An60ojozIWqZNjJlTAJQrgJCm5zimvjPZsA55+7f/LeMV5LtGn8mrCPWg7PO1LM9WcdEkDP8/Z5oJMWuNw2iJrvX49e2EKAGjNmDvjGSyi2kEPYSfujOxt2I4ZhHdybGwc4hWtoee3N1ZkcWzVQSrLLm52DOm6Cjfsav92JHgmJevNo/7BKooig646pjM8OTdF82VljrFy0UTdMVlBhkeQrGLQYJ07AsjL6ccT9AxS/x27jwc+LA==',
  },
] as const;

describe('signRequest reproduces the published digests byte for byte', () => {
  for (const v of vectors) {
    test(`${v.method} ${v.path.replace(SESSION, '{session}').replace(MEDIA, '{media}')}`, () => {
      const signed = signRequest({ method: v.method, path: v.path, query: [['sdkId', SDK]], key: pem, ...fixed });
      expect(signed.message).toBe(
        `${v.method}&${v.path}?sdkId=${SDK}&nonce=${fixed.nonce}&timestamp=${fixed.timestamp}`,
      );
      expect(signed.digest).toBe(v.digest);
      expect(signed.headers).toEqual({
        'X-Yoti-Auth-Digest': v.digest,
        'X-Yoti-SDK': 'Node',
        'X-Yoti-SDK-Version': 'Node-4.13.2',
        Accept: 'application/json',
      });
    });
  }

  test('POST with a body appends the base64 of the body', () => {
    const signed = signRequest({
      method: 'POST', path: '/sessions', query: [['sdkId', SDK]], key: pem,
      body: Buffer.from('{"a":1}'), ...fixed,
    });
    expect(signed.message.endsWith('&eyJhIjoxfQ==')).toBe(true);
    expect(signed.digest).toBe(
      'XuZ+W2jllQeEJ0qUyoT0hLqRo+PGNJshVfoUX2/MpPchkxYvw2nVPIX1Rbnqc/7Mxg8W+pARq+ytF6AhXC86oz0++w4Z2OU7dKocVNiUBn/1pWNc83NSXJqJVbRPq59jqwcQz3RwufZslCBS8B00u9O5sL5SSV36NLb/xojG7hiYiC1Bd1XrllOQtY18a21MRiGwsxFeci8vQqs3SsYCZbupPvgYf86C2nUR6OqcJTEM2zs7H/0A39f+VtTp5cMvSH08Wkav0GhtHc7Tbv4k2ivVaC0icca3LJmlteV0xQQaVfBA2cNhAfHLIca+etuQd+iKsUCCkQtbdvdm8mTj9w==',
    );
  });

  test('a PKCS#8 export of the same key signs identically', () => {
    const pkcs8 = createPrivateKey(pem).export({ type: 'pkcs8', format: 'pem' }).toString();
    const a = signRequest({ method: 'GET', path: `/sessions/${SESSION}`, query: [['sdkId', SDK]], key: pem, ...fixed });
    const b = signRequest({ method: 'GET', path: `/sessions/${SESSION}`, query: [['sdkId', SDK]], key: pkcs8, ...fixed });
    expect(b.digest).toBe(a.digest);
  });

  test('nonce and timestamp are fresh on every call', () => {
    const a = signRequest({ method: 'GET', path: `/sessions/${SESSION}`, query: [['sdkId', SDK]], key: pem });
    const b = signRequest({ method: 'GET', path: `/sessions/${SESSION}`, query: [['sdkId', SDK]], key: pem });
    const nonce = (s: string) => new URLSearchParams(s.split('?')[1]).get('nonce');
    expect(nonce(a.pathWithQuery)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(nonce(a.pathWithQuery)).not.toBe(nonce(b.pathWithQuery));
  });
});

describe('verifyDigest', () => {
  const signed = signRequest({ method: 'GET', path: `/sessions/${SESSION}`, query: [['sdkId', SDK]], key: pem, ...fixed });
  const publicKey = createPrivateKey(pem);
  test('accepts the raw target it was signed over', () => {
    expect(verifyDigest({ method: 'GET', pathWithQuery: signed.pathWithQuery, digest: signed.digest, publicKey })).toBe(true);
  });
  test('refuses another method, a changed query or garbage', () => {
    expect(verifyDigest({ method: 'DELETE', pathWithQuery: signed.pathWithQuery, digest: signed.digest, publicKey })).toBe(false);
    expect(verifyDigest({ method: 'GET', pathWithQuery: `${signed.pathWithQuery}1`, digest: signed.digest, publicKey })).toBe(false);
    expect(verifyDigest({ method: 'GET', pathWithQuery: signed.pathWithQuery, digest: 'not-base64!', publicKey })).toBe(false);
  });
});

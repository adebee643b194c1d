import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { signRequest, type HttpMethod } from '../../../main/core/yoti/signing';

// The official SDK is the oracle: with the same pinned nonce and timestamp it must produce the
// same URL and the same digest as our signer. Its randomUUID is captured when the module loads,
// so the stub goes in before the first require (this file runs in its own worker).
const require = createRequire(import.meta.url);
const NONCE = '00000000-0000-4000-8000-000000000000';
const TIMESTAMP = 1700000000000;
const SDK = 'b4a0a9c4-5d4c-4b8e-9f3a-2f1c6a7e8d90';
const SESSION = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const MEDIA = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';
const BASE = 'https://api.yoti.com/idverify/v1';

interface SdkRequest { getUrl(): string; getHeaders(): Record<string, string> }
interface SdkBuilder {
  withPemString(pem: string): SdkBuilder; withBaseUrl(u: string): SdkBuilder; withEndpoint(e: string): SdkBuilder;
  withQueryParam(k: string, v: string): SdkBuilder; withMethod(m: string): SdkBuilder; build(): SdkRequest;
}
let RequestBuilder: new () => SdkBuilder;

beforeAll(() => {
  const nodeCrypto = require('node:crypto') as { randomUUID: () => string };
  nodeCrypto.randomUUID = () => NONCE;
  vi.spyOn(Date, 'now').mockReturnValue(TIMESTAMP);
  ({ RequestBuilder } = require('yoti') as { RequestBuilder: new () => SdkBuilder });
});
afterAll(() => { vi.restoreAllMocks(); });

const vectorPem = readFileSync(new URL('../../fixtures/keys/yoti-docs-test-vector.pem', import.meta.url), 'utf8');
const generated = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const keys = {
  'PKCS#1 (published vector key)': vectorPem,
  'PKCS#8 (published vector key)': createPrivateKey(vectorPem).export({ type: 'pkcs8', format: 'pem' }).toString(),
  'PKCS#1 (generated key)': generated.export({ type: 'pkcs1', format: 'pem' }).toString(),
  'PKCS#8 (generated key)': generated.export({ type: 'pkcs8', format: 'pem' }).toString(),
};
const requests: Array<[HttpMethod, string]> = [
  ['GET', `/sessions/${SESSION}`],
  ['DELETE', `/sessions/${SESSION}`],
  ['GET', `/sessions/${SESSION}/media/${MEDIA}/content`],
  ['DELETE', `/sessions/${SESSION}/media/${MEDIA}/content`],
];

describe('our signer matches the official yoti SDK byte for byte', () => {
  for (const [keyName, pem] of Object.entries(keys)) {
    for (const [method, path] of requests) {
      test(`${keyName}: ${method} ${path.includes('media') ? 'media' : 'session'}`, () => {
        const sdk = new RequestBuilder().withPemString(pem).withBaseUrl(BASE).withEndpoint(path)
          .withQueryParam('sdkId', SDK).withMethod(method).build();
        const ours = signRequest({ method, path, query: [['sdkId', SDK]], key: pem, nonce: NONCE, timestamp: TIMESTAMP });
        expect(BASE + ours.pathWithQuery).toBe(sdk.getUrl());
        const sdkHeaders = sdk.getHeaders();
        expect(ours.digest).toBe(sdkHeaders['X-Yoti-Auth-Digest']);
        expect(ours.headers['X-Yoti-SDK']).toBe(sdkHeaders['X-Yoti-SDK']);
        expect(ours.headers['X-Yoti-SDK-Version']).toBe(sdkHeaders['X-Yoti-SDK-Version']);
        expect(ours.headers.Accept).toBe(sdkHeaders.Accept);
      });
    }
  }
});

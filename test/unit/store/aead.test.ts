import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { hkdf32, open, seal, SEAL_OVERHEAD } from '../../../main/core/crypto/aead';
import { LocalError } from '../../../common/errors';

const key = randomBytes(32);
const aad = 'idv-review|media|s-1|m-1';

function expectDecryptFailed(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(LocalError);
    expect((err as LocalError).code).toBe('DECRYPT_FAILED');
    return;
  }
  throw new Error('expected DECRYPT_FAILED');
}

/** RFC 5869 with an empty salt, written out with HMAC so the helper is checked against the definition. */
function referenceHkdf(ikm: Buffer, info: string, length: number): Buffer {
  const prk = createHmac('sha256', Buffer.alloc(32)).update(ikm).digest();
  let t = Buffer.alloc(0);
  const out: Buffer[] = [];
  for (let i = 1; Buffer.concat(out).length < length; i += 1) {
    t = createHmac('sha256', prk).update(Buffer.concat([t, Buffer.from(info), Buffer.of(i)])).digest();
    out.push(t);
  }
  return Buffer.concat(out).subarray(0, length);
}

describe('seal / open (AES-256-GCM)', () => {
  test('round trip and format: version byte, 12-byte nonce, ciphertext, 16-byte tag', () => {
    const plain = Buffer.from('Zoë Ødegård-Łukasiewicz');
    const sealed = seal(key, plain, aad);
    expect(sealed.length).toBe(plain.length + SEAL_OVERHEAD);
    expect(SEAL_OVERHEAD).toBe(29);
    expect(sealed[0]).toBe(1);
    expect(sealed.includes(plain)).toBe(false);
    expect(open(key, sealed, aad).equals(plain)).toBe(true);
    expect(open(key, seal(key, Buffer.alloc(0), aad), aad).length).toBe(0);
  });

  test('a fresh random nonce on every call', () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 50; i += 1) nonces.add(seal(key, Buffer.from('same'), aad).subarray(1, 13).toString('hex'));
    expect(nonces.size).toBe(50);
  });

  test('any changed byte (version, nonce, ciphertext, tag) fails with DECRYPT_FAILED', () => {
    const sealed = seal(key, randomBytes(40), aad);
    for (let i = 0; i < sealed.length; i += 1) {
      const bad = Buffer.from(sealed);
      bad[i] = (bad[i] ?? 0) ^ 0x01;
      expectDecryptFailed(() => open(key, bad, aad));
    }
  });

  test('wrong AAD, wrong key, truncation and extension fail', () => {
    const sealed = seal(key, randomBytes(40), aad);
    expectDecryptFailed(() => open(key, sealed, 'idv-review|media|s-1|m-2'));
    expectDecryptFailed(() => open(randomBytes(32), sealed, aad));
    expectDecryptFailed(() => open(key, sealed.subarray(0, sealed.length - 1), aad));
    expectDecryptFailed(() => open(key, sealed.subarray(0, 20), aad));
    expectDecryptFailed(() => open(key, Buffer.alloc(0), aad));
    expectDecryptFailed(() => open(key, Buffer.concat([sealed, Buffer.of(0)]), aad));
  });

  test('refuses keys that are not 32 bytes', () => {
    expect(() => seal(randomBytes(16), Buffer.from('x'), aad)).toThrow(RangeError);
  });
});

describe('hkdf32', () => {
  test('matches RFC 5869 (HMAC-SHA256, empty salt) and separates purposes', () => {
    const dek = randomBytes(32);
    const pem = hkdf32(dek, 'pem');
    expect(pem.length).toBe(32);
    expect(pem.equals(referenceHkdf(dek, 'pem', 32))).toBe(true);
    expect(hkdf32(dek, 'pem').equals(pem)).toBe(true);
    expect(hkdf32(dek, 'cache').equals(pem)).toBe(false);
    expect(hkdf32(randomBytes(32), 'pem').equals(pem)).toBe(false);
  });
});

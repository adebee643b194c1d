import { createHash, createPublicKey, createSign, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { UsageError } from '../../../common/errors';
import { MAX_PEM_BYTES, parsePrivateKeyPem } from '../../../main/core/keys/pem';

const fixture = readFileSync(new URL('../../fixtures/keys/yoti-docs-test-vector.pem', import.meta.url));
// Published in yoti-api-notes.md §2.1 next to the throwaway key.
const FIXTURE_FINGERPRINT = 'b2d28cf2ad7c667f7fbd404d0d5e623522a272d6f40f54b0b15d765d1c8550a3';

function rsa(bits: number) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return {
    privateKey,
    publicKey,
    pkcs1: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    pkcs8: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    fingerprint: createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex'),
  };
}

type Rsa = ReturnType<typeof rsa>;
const keys = new Map<number, Rsa>();
beforeAll(() => {
  for (const bits of [2048, 3072, 4096]) keys.set(bits, rsa(bits));
});
const key = (bits: number): Rsa => keys.get(bits)!;

/** Base64 body of a PEM (no armour lines): what must never show up in a message. */
function bodyChunks(pem: string): string[] {
  return pem
    .split('\n')
    .filter((l) => l.length >= 16 && !l.startsWith('-----') && !l.includes(':'))
    .map((l) => l.slice(0, 16));
}

function refusal(input: string | Buffer): UsageError {
  try {
    parsePrivateKeyPem(input);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    const e = err as UsageError;
    expect(e.kind).toBe('usage');
    // Never echo key material: no 16-character run of the base64 body, no DER bytes.
    const text = typeof input === 'string' ? input : input.toString('latin1');
    for (const chunk of bodyChunks(text)) expect(e.message).not.toContain(chunk);
    return e;
  }
  throw new Error('expected a refusal');
}

function sigOk(priv: KeyObject, pub: KeyObject): boolean {
  const sig = createSign('RSA-SHA256').update('GET&/sessions/x?sdkId=y').sign(priv);
  return createVerify('RSA-SHA256').update('GET&/sessions/x?sdkId=y').verify(pub, sig);
}

describe('parsePrivateKeyPem accepts RSA PKCS#1 and PKCS#8, 2048 bits and more', () => {
  test.each([2048, 3072, 4096])('RSA-%i in both formats', (bits) => {
    const k = key(bits);
    const p1 = parsePrivateKeyPem(k.pkcs1);
    const p8 = parsePrivateKeyPem(Buffer.from(k.pkcs8));
    expect(p1.format).toBe('pkcs1');
    expect(p8.format).toBe('pkcs8');
    for (const p of [p1, p8]) {
      expect(p.modulusBits).toBe(bits);
      expect(p.fingerprint).toBe(k.fingerprint);
      expect(p.key.type).toBe('private');
      expect(sigOk(p.key, k.publicKey)).toBe(true);
    }
  });

  test('the published test vector, with the explanatory text around it, gives the published fingerprint', () => {
    const p = parsePrivateKeyPem(fixture);
    expect(p).toMatchObject({ format: 'pkcs1', modulusBits: 2048, fingerprint: FIXTURE_FINGERPRINT });
  });

  test('CRLF line endings, a UTF-8 BOM and surrounding blank lines are fine', () => {
    const k = key(2048);
    const crlf = `\uFEFF\r\n${k.pkcs8.replace(/\n/g, '\r\n')}\r\n\r\n`;
    expect(parsePrivateKeyPem(crlf).fingerprint).toBe(k.fingerprint);
  });

  test('the fingerprint is the sha256 of the SPKI DER', () => {
    const p = parsePrivateKeyPem(key(2048).pkcs1);
    const spki = createPublicKey(p.key).export({ type: 'spki', format: 'der' });
    expect(p.fingerprint).toBe(createHash('sha256').update(spki).digest('hex'));
    expect(p.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('parsePrivateKeyPem refuses, each with its own code', () => {
  test('public keys and certificates: KEY_IS_PUBLIC', () => {
    const k = key(2048);
    expect(refusal(k.publicKey.export({ type: 'spki', format: 'pem' }).toString()).code).toBe('KEY_IS_PUBLIC');
    expect(refusal(k.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString()).code).toBe('KEY_IS_PUBLIC');
    const certBody = randomBytes(600).toString('base64').replace(/(.{64})/g, '$1\n');
    const cert = `-----BEGIN CERTIFICATE-----\n${certBody}\n-----END CERTIFICATE-----\n`;
    const e = refusal(cert);
    expect(e.code).toBe('KEY_IS_PUBLIC');
    expect(e.message).toMatch(/certificate/);
  });

  test('passphrase-protected keys: KEY_ENCRYPTED (PKCS#8 ENCRYPTED PRIVATE KEY and PKCS#1 Proc-Type)', () => {
    const enc8 = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    expect(enc8).toContain('BEGIN ENCRYPTED PRIVATE KEY');
    expect(refusal(enc8).code).toBe('KEY_ENCRYPTED');

    const enc1 = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'correct horse' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    }).privateKey;
    expect(enc1).toMatch(/Proc-Type: 4,ENCRYPTED/);
    const e = refusal(enc1);
    expect(e.code).toBe('KEY_ENCRYPTED');
    expect(e.message).not.toContain('correct horse');
  });

  test('EC, Ed25519 and RSA-PSS keys: KEY_NOT_RSA', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expect(refusal(ec.export({ type: 'sec1', format: 'pem' }).toString()).code).toBe('KEY_NOT_RSA');
    expect(refusal(ec.export({ type: 'pkcs8', format: 'pem' }).toString()).code).toBe('KEY_NOT_RSA');
    const ed = generateKeyPairSync('ed25519').privateKey;
    const e = refusal(ed.export({ type: 'pkcs8', format: 'pem' }).toString());
    expect(e.code).toBe('KEY_NOT_RSA');
    expect(e.message).toContain('ed25519');
    const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey;
    expect(refusal(pss.export({ type: 'pkcs8', format: 'pem' }).toString()).code).toBe('KEY_NOT_RSA');
  });

  test('RSA under 2048 bits: KEY_TOO_SHORT', () => {
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    for (const type of ['pkcs1', 'pkcs8'] as const) {
      const e = refusal(short.export({ type, format: 'pem' }).toString());
      expect(e.code).toBe('KEY_TOO_SHORT');
      expect(e.message).toContain('1024');
    }
  });

  test('garbage, empty, whitespace, binary and DER: KEY_NOT_PEM', () => {
    const k = key(2048);
    expect(refusal('').code).toBe('KEY_NOT_PEM');
    expect(refusal(Buffer.alloc(0)).code).toBe('KEY_NOT_PEM');
    expect(refusal(' \n\t\r\n').code).toBe('KEY_NOT_PEM');
    expect(refusal('hello, this is not a key').code).toBe('KEY_NOT_PEM');
    expect(refusal(randomBytes(2048)).code).toBe('KEY_NOT_PEM');
    expect(refusal(k.privateKey.export({ type: 'pkcs8', format: 'der' })).code).toBe('KEY_NOT_PEM');
    expect(refusal(`${k.pkcs8}\u0000`).code).toBe('KEY_NOT_PEM');
    expect(refusal('-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n').code).toBe('KEY_NOT_PEM');
  });

  test('a key whose numbers were damaged but still parses (any single flipped byte of the DER): refused, with the reason', () => {
    const k = key(2048);
    const der = k.privateKey.export({ type: 'pkcs1', format: 'der' });
    const pem = (bytes: Buffer): string => `-----BEGIN RSA PRIVATE KEY-----\n${bytes.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END RSA PRIVATE KEY-----\n`;
    expect(parsePrivateKeyPem(pem(der)).modulusBits).toBe(2048);
    let parsedByOpenSsl = 0;
    for (let i = 8; i < der.length; i += 3) {
      const damaged = Buffer.from(der);
      damaged[i] = damaged[i]! ^ 0x10;
      const error = refusal(pem(damaged));
      expect(error.code, `byte ${i}`).toBe('KEY_NOT_PEM');
      if (/its numbers do not agree/.test(error.message)) parsedByOpenSsl += 1;
    }
    // Most such files load in OpenSSL (and many would even sign): only the check of the numbers refuses them.
    expect(parsedByOpenSsl).toBeGreaterThan(300);
  });

  test('damaged blocks: bad base64, truncated DER, mismatched armour: KEY_NOT_PEM', () => {
    const k = key(2048);
    const lines = k.pkcs8.trim().split('\n');
    const truncated = [...lines.slice(0, 5), lines[lines.length - 1]].join('\n');
    expect(refusal(truncated).code).toBe('KEY_NOT_PEM');
    expect(refusal(k.pkcs8.replace(/[A-Za-z0-9]{3}\n/, '!!!\n')).code).toBe('KEY_NOT_PEM');
    expect(refusal(k.pkcs8.replace('END PRIVATE KEY', 'END RSA PRIVATE KEY')).code).toBe('KEY_NOT_PEM');
    expect(refusal(k.pkcs8.replace(/-----END PRIVATE KEY-----\n?$/, '')).code).toBe('KEY_NOT_PEM');
    expect(refusal(k.pkcs1.replace('-----BEGIN RSA PRIVATE KEY-----\n', '-----BEGIN RSA PRIVATE KEY-----\nComment: x\n\n')).code).toBe(
      'KEY_NOT_PEM',
    );
    expect(refusal(k.pkcs8.replace('PRIVATE KEY', 'OPENSSH PRIVATE KEY').replace(/END PRIVATE KEY/, 'END OPENSSH PRIVATE KEY')).code).toBe(
      'KEY_NOT_PEM',
    );
  });

  test('several keys in one file (or a key and a certificate): KEY_NOT_PEM', () => {
    const e = refusal(`${key(2048).pkcs1}${key(3072).pkcs8}`);
    expect(e.code).toBe('KEY_NOT_PEM');
    expect(e.message).toContain('2 PEM blocks');
    const pub = key(2048).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(refusal(`${key(2048).pkcs8}${pub}`).code).toBe('KEY_NOT_PEM');
  });

  test('over 64 KB: KEY_NOT_PEM, as text or as bytes', () => {
    const padded = `${'# comment line\n'.repeat(Math.ceil(MAX_PEM_BYTES / 15))}${key(2048).pkcs8}`;
    expect(Buffer.byteLength(padded)).toBeGreaterThan(MAX_PEM_BYTES);
    expect(refusal(padded).message).toContain('64 KB');
    expect(refusal(Buffer.from(padded)).code).toBe('KEY_NOT_PEM');
  });
});

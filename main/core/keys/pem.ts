import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { UsageError } from '../../../common/errors';

export interface ParsedPrivateKey {
  key: KeyObject;
  format: 'pkcs1' | 'pkcs8';
  modulusBits: number;
  /** sha256 (hex) of the public key's SPKI DER: identifies the key without revealing it. */
  fingerprint: string;
}

export const MAX_PEM_BYTES = 64 * 1024;
export const MIN_MODULUS_BITS = 2048;

const PUBLIC_LABELS = new Set([
  'PUBLIC KEY',
  'RSA PUBLIC KEY',
  'CERTIFICATE',
  'TRUSTED CERTIFICATE',
  'X509 CERTIFICATE',
  'X.509 CERTIFICATE',
  'CERTIFICATE REQUEST',
  'NEW CERTIFICATE REQUEST',
  'SSH2 PUBLIC KEY',
  'PKCS7',
  'CMS',
]);
const NON_RSA_LABELS = new Set(['EC PRIVATE KEY', 'DSA PRIVATE KEY', 'EC PARAMETERS', 'DSA PARAMETERS']);

const HOW_TO_CONVERT =
  'Export the key Yoti Hub gave you as an unencrypted PEM file: its first line reads "-----BEGIN" followed by "RSA PRIVATE KEY" or "PRIVATE KEY".';

function notPem(detail: string): UsageError {
  return new UsageError('KEY_NOT_PEM', `The key file is not a usable PEM private key: ${detail}. ${HOW_TO_CONVERT}`);
}

function encrypted(): UsageError {
  return new UsageError(
    'KEY_ENCRYPTED',
    'The private key is protected by a passphrase. Decrypt it first (e.g. `openssl pkey -in key.pem -out plain.pem`) ' +
      'and import the result; it is stored encrypted here, so delete the plain copy afterwards.',
  );
}

function isPublic(label: string): UsageError {
  return new UsageError(
    'KEY_IS_PUBLIC',
    `The file holds a ${label.toLowerCase()}, not a private key. Yoti requests are signed with the private key: ` +
      'import the .pem file downloaded from Yoti Hub when the application was created.',
  );
}

function notRsa(what: string): UsageError {
  return new UsageError('KEY_NOT_RSA', `The private key is ${what}, not RSA. Yoti IDV signs requests with an RSA key (RSA-SHA256).`);
}

/**
 * Reads the Yoti application key: exactly one PEM block, RSA, unencrypted, PKCS#1 or PKCS#8, at least
 * 2048 bits. Explanatory text around the block is tolerated (as OpenSSL does); binary input, several
 * blocks, or anything else is refused with a UsageError whose message never contains key material.
 */
export function parsePrivateKeyPem(input: string | Buffer): ParsedPrivateKey {
  const text = decodeText(input);
  if (text.trim().length === 0) throw notPem('the file is empty');

  const begins = [...text.matchAll(/-----BEGIN ([^-\r\n]{1,64})-----/g)];
  const ends = [...text.matchAll(/-----END ([^-\r\n]{1,64})-----/g)];
  if (begins.length === 0) throw notPem('no "-----BEGIN …-----" line was found');
  const labels = begins.map((m) => safeLabel(m[1] ?? ''));
  if (begins.length > 1) {
    throw notPem(`it holds ${begins.length} PEM blocks (${labels.join(', ')}) but must hold exactly one private key`);
  }
  const label = labels[0] ?? '';
  const begin = begins[0];
  const end = ends[0];
  if (!begin || !end || ends.length !== 1 || safeLabel(end[1] ?? '') !== label || (end.index ?? 0) < (begin.index ?? 0)) {
    throw notPem('the BEGIN and END lines do not match');
  }

  if (label === 'ENCRYPTED PRIVATE KEY') throw encrypted();
  if (PUBLIC_LABELS.has(label)) throw isPublic(label);
  if (NON_RSA_LABELS.has(label)) throw notRsa(label.startsWith('EC') ? 'an EC key' : 'a DSA key');
  if (label === 'OPENSSH PRIVATE KEY') {
    throw notPem('it is in OpenSSH format (convert it with `ssh-keygen -p -m PKCS8 -f FILE`)');
  }
  if (label !== 'RSA PRIVATE KEY' && label !== 'PRIVATE KEY') throw notPem(`unexpected PEM block "${label}"`);
  const format = label === 'RSA PRIVATE KEY' ? 'pkcs1' : 'pkcs8';

  const inner = text.slice((begin.index ?? 0) + begin[0].length, end.index ?? 0);
  const der = decodeBody(inner, format);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: der, format: 'der', type: format });
  } catch {
    // OpenSSL's message is not shown: it adds nothing a reviewer can act on.
    throw notPem('the block does not decode to a valid private key');
  } finally {
    der.fill(0);
  }

  const type = key.asymmetricKeyType;
  if (type !== 'rsa') {
    throw notRsa(type === 'rsa-pss' ? 'an RSA-PSS-only key (it cannot make PKCS#1 v1.5 signatures)' : `of type ${type ?? 'unknown'}`);
  }
  const modulusBits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (modulusBits < MIN_MODULUS_BITS) {
    throw new UsageError(
      'KEY_TOO_SHORT',
      `The RSA key is ${modulusBits} bits; at least ${MIN_MODULUS_BITS} bits are required. Generate a new key pair in Yoti Hub.`,
    );
  }
  // A damaged file can still parse: one changed digit in a prime or an exponent leaves a key that
  // OpenSSL loads, and often still signs (it falls back when its shortcut disagrees). Its numbers must agree.
  if (!rsaNumbersAgree(key) || !signsAndVerifies(key)) {
    throw notPem('it parses, but its numbers do not agree with each other (the file was damaged or edited): export the key again from where it was made');
  }
  return { key, format, modulusBits, fingerprint: spkiFingerprint(key) };
}

/** n = p·q, d·e ≡ 1 mod p−1 and q−1, the CRT exponents and coefficient match d, p and q. */
function rsaNumbersAgree(key: KeyObject): boolean {
  const jwk = key.export({ format: 'jwk' });
  const int = (b64url: string | undefined): bigint => BigInt(`0x${Buffer.from(b64url ?? '', 'base64url').toString('hex') || '0'}`);
  const [n, e, d, p, q, dp, dq, qi] = [jwk.n, jwk.e, jwk.d, jwk.p, jwk.q, jwk.dp, jwk.dq, jwk.qi].map(int) as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
  if (p < 3n || q < 3n) return false;
  return p * q === n && (d * e) % (p - 1n) === 1n && (d * e) % (q - 1n) === 1n && d % (p - 1n) === dp && d % (q - 1n) === dq && (qi * q) % p === 1n;
}

/** The key signs a test message that its own public half verifies (PKCS#1 v1.5 with SHA-256, as Yoti's requests are signed). */
function signsAndVerifies(key: KeyObject): boolean {
  const message = Buffer.from('idv-review key check');
  try {
    return verify('sha256', message, createPublicKey(key), sign('sha256', message, key));
  } catch {
    return false;
  }
}

/** sha256 hex of the SPKI DER of a private or public key. */
export function spkiFingerprint(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256').update(pub.export({ type: 'spki', format: 'der' })).digest('hex');
}

function decodeText(input: string | Buffer): string {
  if (typeof input === 'string') {
    if (Buffer.byteLength(input, 'utf8') > MAX_PEM_BYTES) throw notPem(`it is larger than ${MAX_PEM_BYTES / 1024} KB`);
    if (hasBinary(input)) throw notPem('it contains binary data (a DER file?)');
    return input.replace(/^\uFEFF/, '');
  }
  if (!Buffer.isBuffer(input)) throw notPem('expected text');
  if (input.length > MAX_PEM_BYTES) throw notPem(`it is larger than ${MAX_PEM_BYTES / 1024} KB`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    throw notPem('it is not text (a binary or DER file?)');
  }
  if (hasBinary(text)) throw notPem('it contains binary data (a DER file?)');
  return text.replace(/^\uFEFF/, '');
}

function hasBinary(text: string): boolean {
  // Control characters other than tab, LF, CR (e.g. NUL, or the 0x30 0x82 … of DER read as text).
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text);
}

function safeLabel(label: string): string {
  const trimmed = label.trim();
  return /^[A-Z0-9 .]{1,64}$/.test(trimmed) ? trimmed : 'UNKNOWN';
}

/** Strict base64 body; PKCS#1 may carry RFC 1421 headers, and Proc-Type: 4,ENCRYPTED means a passphrase. */
function decodeBody(inner: string, format: 'pkcs1' | 'pkcs8'): Buffer {
  const lines = inner.split(/\r?\n/).map((l) => l.trim());
  let bodyLines = lines;
  if (lines.some((l) => /^[A-Za-z-]+:/.test(l))) {
    if (lines.some((l) => /^Proc-Type:\s*4\s*,\s*ENCRYPTED/i.test(l)) || lines.some((l) => /^DEK-Info:/i.test(l))) throw encrypted();
    if (format === 'pkcs8') throw notPem('a PKCS#8 block cannot carry headers');
    throw notPem('the block has unexpected header lines');
  }
  bodyLines = bodyLines.filter((l) => l.length > 0);
  const b64 = bodyLines.join('');
  if (b64.length === 0) throw notPem('the block is empty');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) throw notPem('the block is not valid base64');
  return Buffer.from(b64, 'base64');
}

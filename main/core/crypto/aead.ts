import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { LocalError } from '../../../common/errors';

/**
 * AES-256-GCM with a fresh random 96-bit nonce per call. Sealed format (all binary):
 *
 *   [1 byte version = 0x01][12 bytes nonce][ciphertext (same length as the plaintext)][16 bytes tag]
 *
 * The AAD is not stored: the caller rebuilds it from what it expects (file kind and ids), so a file
 * moved, renamed or swapped on disk no longer opens.
 */
export const SEAL_VERSION = 0x01;
export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
/** Bytes a sealed value adds to its plaintext. */
export const SEAL_OVERHEAD = 1 + NONCE_BYTES + TAG_BYTES;

const ALGORITHM = 'aes-256-gcm';

function assertKey(key: Uint8Array, what: string): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
    // A programming error, not user input: never shows key bytes.
    throw new RangeError(`${what} must be ${KEY_BYTES} bytes`);
  }
}

function aadBytes(aad: string | Uint8Array): Uint8Array {
  return typeof aad === 'string' ? Buffer.from(aad, 'utf8') : aad;
}

/** HKDF-SHA256 with an empty salt (the input is already a uniformly random 32-byte key): 32 bytes out. */
export function hkdf32(dek: Uint8Array, info: string): Buffer {
  assertKey(dek, 'data key');
  if (info.length === 0) throw new RangeError('HKDF info must not be empty');
  return Buffer.from(hkdfSync('sha256', dek, Buffer.alloc(0), Buffer.from(info, 'utf8'), KEY_BYTES));
}

export function seal(key: Uint8Array, plaintext: Uint8Array, aad: string | Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(plaintext.length + SEAL_OVERHEAD);
  sealInto(key, plaintext, aad, out, 0);
  return out;
}

/** The slice encrypted at a time: a large payload is never copied whole while it is sealed. */
const SEAL_SLICE = 1024 * 1024;

/**
 * Seals `plaintext` into `out` at `offset` (plaintext.length + SEAL_OVERHEAD bytes), slice by slice:
 * a container is allocated once, whatever the size of what it holds.
 */
export function sealInto(key: Uint8Array, plaintext: Uint8Array, aad: string | Uint8Array, out: Buffer, offset: number): void {
  assertKey(key, 'encryption key');
  if (offset + plaintext.length + SEAL_OVERHEAD > out.length) throw new RangeError('the sealed value does not fit');
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aadBytes(aad));
  out[offset] = SEAL_VERSION;
  nonce.copy(out, offset + 1);
  let at = offset + 1 + NONCE_BYTES;
  for (let i = 0; i < plaintext.length; i += SEAL_SLICE) at += cipher.update(plaintext.subarray(i, i + SEAL_SLICE)).copy(out, at);
  at += cipher.final().copy(out, at);
  cipher.getAuthTag().copy(out, at);
}

/** Throws LocalError 'DECRYPT_FAILED' on any change: version, nonce, ciphertext, tag, AAD, key or length. */
export function open(key: Uint8Array, sealed: Uint8Array, aad: string | Uint8Array): Buffer {
  assertKey(key, 'encryption key');
  if (sealed.length < SEAL_OVERHEAD || sealed[0] !== SEAL_VERSION) throw decryptFailed();
  const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  const nonce = buf.subarray(1, 1 + NONCE_BYTES);
  const tag = buf.subarray(buf.length - TAG_BYTES);
  const body = buf.subarray(1 + NONCE_BYTES, buf.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aadBytes(aad));
    decipher.setAuthTag(tag);
    const plain = decipher.update(body);
    const rest = decipher.final(); // authenticates: nothing is returned before it succeeds
    // GCM has nothing left over at final(); concatenating would copy the whole plaintext once more.
    return rest.length === 0 ? plain : Buffer.concat([plain, rest]);
  } catch (cause) {
    throw decryptFailed(cause);
  }
}

function decryptFailed(cause?: unknown): LocalError {
  return new LocalError(
    'DECRYPT_FAILED',
    'Decryption failed: the data was changed, truncated, moved from another item, or sealed with another key.',
    cause === undefined ? undefined : { cause },
  );
}

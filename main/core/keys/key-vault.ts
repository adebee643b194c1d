import { randomBytes, type KeyObject } from 'node:crypto';
import { keychainAnchor, type AnchorPort } from '../audit/keychain-anchor';
import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { hkdf32, KEY_BYTES, open, seal } from '../crypto/aead';
import { AppError, LocalError, UsageError } from '../../../common/errors';
import { errnoCode, writeFileAtomic } from '../store/atomic';
import { assertYotiId } from '../../../common/yoti-ids';
import { parsePrivateKeyPem } from './pem';
import { KEYCHAIN_SERVICE, type SecretStore } from './secret-store';

/**
 * Envelope encryption for the Yoti PEM keys.
 *
 * - One random 32-byte data key (DEK) lives in the OS keychain as 44 base64 characters under
 *   account `data-key:v1`: small enough for every backend (Windows caps an item at 2560 bytes, and a
 *   4096-bit PEM is 3272 bytes).
 * - Each PEM is stored at `<dataDir>/keys/<sdkId>.key` as `seal(HKDF(DEK,'pem'), pem, 'idv-review|pem|<sdkId>|v1')`
 *   (see crypto/aead.ts for the byte format). Without the keychain item the files are useless; a file
 *   renamed to another SDK ID does not open.
 * - `<dataDir>/keys/index.json` holds the public metadata (SDK ID, modulus size, SPKI fingerprint,
 *   import time). No secret is in it; a changed fingerprint there is caught when the key is loaded.
 * - The same DEK derives the cache key (HKDF(DEK,'cache')) used by the session store, and the
 *   subkeys 'review', 'audit', 'seen-before' and 'team' (see subkey()).
 */
export const DATA_KEY_ACCOUNT = 'data-key:v1';
/** HKDF info labels of the keys derived from the DEK besides 'pem' and 'cache'. */
export const SUBKEY_LABELS = ['review', 'audit', 'seen-before', 'team'] as const;
export type SubkeyLabel = (typeof SUBKEY_LABELS)[number];
export const IMPORT_HINT = 'idv-review key import --sdk-id ID --pem FILE';

export interface KeyInfo {
  sdkId: string;
  modulusBits: number;
  fingerprint: string;
  importedAt: string;
}

export interface KeyVaultOptions {
  secrets: SecretStore;
  dataDir: string;
  now?: () => Date;
}

const KeyInfoSchema = z.object({
  sdkId: z.string(),
  modulusBits: z.number().int().positive(),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  importedAt: z.string(),
});
const IndexSchema = z.object({ version: z.literal(1), keys: z.array(KeyInfoSchema) });
type KeyIndex = z.infer<typeof IndexSchema>;

const KEY_FILE_SUFFIX = '.key';
const INDEX_FILE = 'index.json';

export function pemAad(sdkId: string): string {
  return `idv-review|pem|${sdkId}|v1`;
}

export class KeyVault {
  private readonly secrets: SecretStore;
  private readonly dataDir: string;
  private readonly keysDir: string;
  private readonly now: () => Date;
  private dek?: Promise<Buffer>;
  /** Serialises index read-modify-write within this process. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(opts: KeyVaultOptions) {
    this.secrets = opts.secrets;
    this.dataDir = opts.dataDir;
    this.keysDir = join(opts.dataDir, 'keys');
    this.now = opts.now ?? (() => new Date());
  }

  async importKey(sdkId: string, pemText: string | Buffer): Promise<KeyInfo> {
    const id = assertYotiId(sdkId, 'SDK ID');
    const parsed = parsePrivateKeyPem(pemText);
    const dek = await this.dataKey(true);
    // Stored in the format it came in, re-encoded canonically (surrounding text dropped).
    const plain = Buffer.from(parsed.key.export({ type: parsed.format, format: 'pem' }));
    const pemKey = hkdf32(dek, 'pem');
    let sealed: Buffer;
    try {
      sealed = seal(pemKey, plain, pemAad(id));
    } finally {
      plain.fill(0);
      pemKey.fill(0);
    }
    const info: KeyInfo = { sdkId: id, modulusBits: parsed.modulusBits, fingerprint: parsed.fingerprint, importedAt: this.now().toISOString() };
    return this.serial(async () => {
      await writeFileAtomic(this.keyPath(id), sealed);
      const index = await this.readIndex();
      index.keys = [...index.keys.filter((k) => k.sdkId !== id), info].sort((a, b) => a.sdkId.localeCompare(b.sdkId));
      await this.writeIndex(index);
      return { ...info };
    });
  }

  async list(): Promise<KeyInfo[]> {
    const index = await this.readIndex();
    return index.keys.map((k) => ({ ...k }));
  }

  /** Removes the key file and its index entry; true if anything was there. Needs no keychain access. */
  async remove(sdkId: string): Promise<boolean> {
    const id = assertYotiId(sdkId, 'SDK ID');
    return this.serial(async () => {
      const index = await this.readIndex();
      const kept = index.keys.filter((k) => k.sdkId !== id);
      const inIndex = kept.length !== index.keys.length;
      // Index first: a crash in between leaves an unlisted ciphertext, never a listed key without a file.
      if (inIndex) await this.writeIndex({ ...index, keys: kept });
      const hadFile = await unlinkIfExists(this.keyPath(id));
      return inIndex || hadFile;
    });
  }

  async loadKey(sdkId: string): Promise<KeyObject> {
    const id = assertYotiId(sdkId, 'SDK ID');
    const info = (await this.list()).find((k) => k.sdkId === id);
    if (!info) throw await this.keyNotFound(id);
    let sealed: Buffer;
    try {
      sealed = await readFile(this.keyPath(id));
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') throw damaged(id, 'its encrypted key file is missing', err);
      throw new LocalError('KEY_FILE_UNREADABLE', `Cannot read the key file for SDK ID ${id} (${errnoCode(err) ?? 'error'}).`, { cause: err });
    }
    const dek = await this.dataKey(false);
    const pemKey = hkdf32(dek, 'pem');
    let plain: Buffer;
    try {
      plain = open(pemKey, sealed, pemAad(id));
    } catch (err) {
      throw damaged(id, 'it does not decrypt (changed, truncated, swapped with another SDK ID, or written with another data key)', err);
    } finally {
      pemKey.fill(0);
    }
    try {
      const parsed = parsePrivateKeyPem(plain);
      if (parsed.fingerprint !== info.fingerprint) throw damaged(id, 'its key does not match the fingerprint recorded at import');
      return parsed.key;
    } catch (err) {
      if (err instanceof AppError && err.code === 'KEY_FILE_DAMAGED') throw err;
      throw damaged(id, 'its decrypted content is not a valid key', err);
    } finally {
      plain.fill(0);
    }
  }

  /**
   * The SDK ID to use: the one given (validated, must be stored); else `chosen` (the app's Settings)
   * when that key is still stored; else the only stored key.
   */
  async resolveSdkId(sdkId?: string, chosen?: string): Promise<string> {
    const keys = await this.list();
    if (sdkId !== undefined) {
      const id = assertYotiId(sdkId, 'SDK ID');
      if (keys.some((k) => k.sdkId === id)) return id;
      throw await this.keyNotFound(id);
    }
    if (chosen !== undefined && keys.some((k) => k.sdkId === chosen)) return chosen;
    const only = keys[0];
    if (keys.length === 1 && only) return only.sdkId;
    if (keys.length === 0) {
      throw new UsageError('SDK_ID_REQUIRED', `No key stored: run ${IMPORT_HINT} first.`);
    }
    throw new UsageError(
      'SDK_ID_REQUIRED',
      `${keys.length} keys are stored (${keys.map((k) => k.sdkId).join(', ')}): choose one with --sdk-id (or in the app's Settings).`,
    );
  }

  /** The audit log's anchor for this data folder, kept beside the data key (audit/keychain-anchor.ts). */
  auditAnchor(): AnchorPort {
    return keychainAnchor(this.secrets, this.dataDir);
  }

  /** 32-byte key for the local session cache: HKDF-SHA256(DEK, 'cache'). Creates the DEK on first need. */
  async cacheKey(): Promise<Buffer> {
    return hkdf32(await this.dataKey(true), 'cache');
  }

  /**
   * Another 32-byte key from the same data key: HKDF-SHA256(DEK, label) for one of the labels in
   * SUBKEY_LABELS ('review' seals review records, 'audit' keys the audit log's HMAC chain,
   * 'seen-before' keys the hashes of the seen-before index, 'team' seals the team outbox). Creates the DEK on first need.
   */
  async subkey(label: SubkeyLabel): Promise<Buffer> {
    if (!SUBKEY_LABELS.includes(label)) throw new RangeError('unknown subkey label');
    return hkdf32(await this.dataKey(true), label);
  }

  // ---- internals ----

  private keyPath(sdkId: string): string {
    return join(this.keysDir, `${sdkId}${KEY_FILE_SUFFIX}`);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async keyNotFound(id: string): Promise<UsageError> {
    const stored = (await this.list()).map((k) => k.sdkId);
    const have = stored.length > 0 ? ` Stored: ${stored.join(', ')}.` : ' No key is stored yet.';
    return new UsageError('KEY_NOT_FOUND', `No key is stored for SDK ID ${id}.${have} Import it with: ${IMPORT_HINT}`);
  }

  private dataKey(create: boolean): Promise<Buffer> {
    if (!this.dek) {
      const p = this.fetchDataKey(create);
      this.dek = p;
      // Do not memoise failures (a locked keychain may be unlocked, a missing key may be created later).
      p.catch(() => {
        if (this.dek === p) this.dek = undefined;
      });
    }
    return this.dek.then((k) => Buffer.from(k));
  }

  private async fetchDataKey(create: boolean): Promise<Buffer> {
    const stored = await this.secrets.get(DATA_KEY_ACCOUNT);
    if (stored !== null) return decodeDataKey(stored);
    const encrypted = await this.encryptedFiles();
    if (encrypted.length > 0) {
      throw new LocalError(
        'DATA_KEY_MISSING',
        `The data key ("${DATA_KEY_ACCOUNT}" under "${KEYCHAIN_SERVICE}") is not in the OS keychain, but ${encrypted.length} ` +
          `encrypted file(s) exist under ${this.dataDir} (${encrypted.slice(0, 3).join(', ')}${encrypted.length > 3 ? ', …' : ''}). ` +
          'If the keychain is locked, unlock it and retry. If the keychain entry was removed (or this data folder was copied ' +
          'from another account or computer), these files can no longer be decrypted: remove the keys with ' +
          '`idv-review key remove --sdk-id ID`, move this data folder aside (it holds review records), and import the PEM again.',
      );
    }
    if (!create) {
      throw new LocalError(
        'DATA_KEY_MISSING',
        `The data key ("${DATA_KEY_ACCOUNT}" under "${KEYCHAIN_SERVICE}") is not in the OS keychain. If the keychain is ` +
          `locked, unlock it and retry; otherwise import the key again with: ${IMPORT_HINT}`,
      );
    }
    const fresh = randomBytes(KEY_BYTES);
    await this.secrets.set(DATA_KEY_ACCOUNT, fresh.toString('base64'));
    // Read back: if another process created one at the same moment, both end up using the stored one.
    const back = await this.secrets.get(DATA_KEY_ACCOUNT);
    if (back === null) {
      throw new LocalError('KEYCHAIN_ERROR', 'The OS keychain accepted the data key but did not return it: check that it is unlocked and retry.');
    }
    return decodeDataKey(back);
  }

  /**
   * Names (relative to dataDir) of files that only the current DEK can open or verify: key files, cache
   * entries, the audit log and its anchor, the seen-before index. A new key over any of them would make
   * them unreadable, or a fresh audit chain that hides the old one.
   */
  private async encryptedFiles(): Promise<string[]> {
    const found: string[] = [];
    for (const name of await readdirIfExists(this.keysDir)) {
      if (name.endsWith(KEY_FILE_SUFFIX) && !name.startsWith('.')) found.push(`keys/${name}`);
    }
    // 'cache': a store from before evidence and records were kept apart, not migrated yet.
    for (const folder of ['evidence', 'records', 'audit', 'seen-before', 'team', 'cache']) {
      for (const name of await readdirIfExists(join(this.dataDir, folder))) {
        if (!name.startsWith('.')) found.push(`${folder}/${name}`);
      }
    }
    return found;
  }

  private async readIndex(): Promise<KeyIndex> {
    let text: string;
    try {
      text = await readFile(join(this.keysDir, INDEX_FILE), 'utf8');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return { version: 1, keys: [] };
      throw new LocalError('KEY_INDEX_UNREADABLE', `Cannot read ${join(this.keysDir, INDEX_FILE)} (${errnoCode(err) ?? 'error'}).`, { cause: err });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw indexDamaged(this.keysDir, cause);
    }
    const result = IndexSchema.safeParse(json);
    if (!result.success) throw indexDamaged(this.keysDir, result.error);
    return result.data;
  }

  private writeIndex(index: KeyIndex): Promise<void> {
    return writeFileAtomic(join(this.keysDir, INDEX_FILE), `${JSON.stringify(index, null, 2)}\n`);
  }
}

function decodeDataKey(stored: string): Buffer {
  const key = Buffer.from(stored, 'base64');
  if (stored.length !== 44 || key.length !== KEY_BYTES || key.toString('base64') !== stored) {
    throw new LocalError(
      'DATA_KEY_DAMAGED',
      `The data key "${DATA_KEY_ACCOUNT}" in the OS keychain is not a 32-byte base64 value; it was changed outside this app.`,
    );
  }
  return key;
}

function damaged(sdkId: string, why: string, cause?: unknown): LocalError {
  return new LocalError(
    'KEY_FILE_DAMAGED',
    `The stored key for SDK ID ${sdkId} cannot be used: ${why}. Remove it (idv-review key remove --sdk-id ${sdkId}) and import the PEM again.`,
    cause === undefined ? undefined : { cause },
  );
}

function indexDamaged(dir: string, cause: unknown): LocalError {
  return new LocalError(
    'KEY_INDEX_DAMAGED',
    `The key index ${join(dir, INDEX_FILE)} is damaged. Move it aside and import your keys again.`,
    { cause },
  );
}

async function readdirIfExists(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
}

async function unlinkIfExists(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false;
    throw new LocalError('WRITE_FAILED', `Cannot delete ${path} (${errnoCode(err) ?? 'error'}).`, { cause: err });
  }
}

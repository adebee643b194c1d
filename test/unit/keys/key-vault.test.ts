import { createPrivateKey, createSign, createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { AppError, LocalError, UsageError } from '../../../common/errors';
import { DATA_KEY_ACCOUNT, KeyVault } from '../../../main/core/keys/key-vault';
import { MAX_SECRET_BYTES, MemorySecretStore, type SecretStore } from '../../../main/core/keys/secret-store';

const SDK_A = 'b4a0a9c4-5d4c-4b8e-9f3a-2f1c6a7e8d90';
const SDK_B = '0f6c3f0e-2a57-4b43-8f3c-1e2d3c4b5a69';

/** Records every item written, to prove each one fits a Windows credential. */
class RecordingSecretStore extends MemorySecretStore {
  readonly writes: Array<{ account: string; bytes: number }> = [];
  override async set(account: string, secret: string): Promise<void> {
    this.writes.push({ account, bytes: Buffer.byteLength(secret, 'utf8') });
    await super.set(account, secret);
  }
}

/** A keychain that must not be touched. */
const noKeychain: SecretStore = {
  get: () => Promise.reject(new LocalError('KEYCHAIN_UNAVAILABLE', 'no keychain in this test')),
  set: () => Promise.reject(new LocalError('KEYCHAIN_UNAVAILABLE', 'no keychain in this test')),
  delete: () => Promise.reject(new LocalError('KEYCHAIN_UNAVAILABLE', 'no keychain in this test')),
};

let rsa2048: { pkcs1: string; pkcs8: string; publicKey: KeyObject };
let rsa4096: { pkcs1: string; publicKey: KeyObject };
let other2048: { pkcs8: string };
beforeAll(() => {
  const a = generateKeyPairSync('rsa', { modulusLength: 2048 });
  rsa2048 = {
    pkcs1: a.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    pkcs8: a.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: a.publicKey,
  };
  const b = generateKeyPairSync('rsa', { modulusLength: 4096 });
  rsa4096 = { pkcs1: b.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), publicKey: b.publicKey };
  other2048 = { pkcs8: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
});

let dataDir: string;
let secrets: RecordingSecretStore;
let vault: KeyVault;
const fixedNow = () => new Date('2025-03-04T05:06:07.000Z');
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'idv-vault-'));
  secrets = new RecordingSecretStore();
  vault = new KeyVault({ secrets, dataDir, now: fixedNow });
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function signs(key: KeyObject, publicKey: KeyObject): boolean {
  const msg = 'GET&/sessions/3fa85f64?sdkId=x&nonce=n&timestamp=1';
  return createVerify('RSA-SHA256').update(msg).verify(publicKey, createSign('RSA-SHA256').update(msg).sign(key));
}

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await allFiles(p)));
    else out.push(p);
  }
  return out;
}

async function code(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err.code;
}

describe('KeyVault round trip', () => {
  test('import, list, load (and sign), remove', async () => {
    const info = await vault.importKey(SDK_A, rsa2048.pkcs1);
    expect(info).toMatchObject({ sdkId: SDK_A, modulusBits: 2048, importedAt: '2025-03-04T05:06:07.000Z' });
    expect(info.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(await vault.list()).toEqual([info]);

    const key = await vault.loadKey(SDK_A);
    expect(signs(key, rsa2048.publicKey)).toBe(true);

    // A fresh instance (another process) over the same keychain and folder reads it too.
    const again = new KeyVault({ secrets, dataDir });
    expect(signs(await again.loadKey(SDK_A), rsa2048.publicKey)).toBe(true);

    expect(await vault.remove(SDK_A)).toBe(true);
    expect(await vault.list()).toEqual([]);
    expect(await vault.remove(SDK_A)).toBe(false);
    expect(await code(vault.loadKey(SDK_A))).toBe('KEY_NOT_FOUND');
    expect(await readdir(join(dataDir, 'keys'))).toEqual(['index.json']);
  });

  test('PKCS#8 works too, and re-importing an SDK ID replaces its key', async () => {
    await vault.importKey(SDK_A, Buffer.from(rsa2048.pkcs8));
    const first = (await vault.list())[0]!;
    await vault.importKey(SDK_A, other2048.pkcs8);
    const list = await vault.list();
    expect(list).toHaveLength(1);
    expect(list[0]!.fingerprint).not.toBe(first.fingerprint);
    expect(signs(await vault.loadKey(SDK_A), rsa2048.publicKey)).toBe(false);
  });

  test('several keys are listed sorted by SDK ID', async () => {
    await vault.importKey(SDK_A, rsa2048.pkcs1);
    await vault.importKey(SDK_B, other2048.pkcs8);
    expect((await vault.list()).map((k) => k.sdkId)).toEqual([SDK_B, SDK_A]);
  });

  test('a 4096-bit key works and every keychain item written is at most 2560 bytes', async () => {
    expect(Buffer.byteLength(rsa4096.pkcs1)).toBeGreaterThan(MAX_SECRET_BYTES); // would not fit a Windows credential
    const info = await vault.importKey(SDK_A, rsa4096.pkcs1);
    expect(info.modulusBits).toBe(4096);
    expect(signs(await vault.loadKey(SDK_A), rsa4096.publicKey)).toBe(true);
    await vault.cacheKey();
    expect(secrets.writes.length).toBeGreaterThan(0);
    for (const w of secrets.writes) expect(w.bytes).toBeLessThanOrEqual(MAX_SECRET_BYTES);
    // Exactly one item: the 44-character base64 data key.
    expect([...secrets.items.keys()]).toEqual([DATA_KEY_ACCOUNT]);
    expect(secrets.items.get(DATA_KEY_ACCOUNT)).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  test('no plaintext key material anywhere under the data folder', async () => {
    await vault.importKey(SDK_A, rsa4096.pkcs1);
    await vault.importKey(SDK_B, rsa2048.pkcs8);
    const bodies = [rsa4096.pkcs1, rsa2048.pkcs8, rsa2048.pkcs1].flatMap((pem) =>
      pem.split('\n').filter((l) => l.length >= 20 && !l.startsWith('-----')),
    );
    // Raw DER too (a window from the private part, past the public modulus).
    const derWindows = [rsa4096.pkcs1, rsa2048.pkcs8].map((pem) => {
      const der = createPrivateKey(pem).export({ type: 'pkcs1', format: 'der' });
      return der.subarray(der.length - 200, der.length - 136);
    });
    const dek = Buffer.from(secrets.items.get(DATA_KEY_ACCOUNT)!, 'base64');
    const files = await allFiles(dataDir);
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files) {
      const bytes = await readFile(f);
      const text = bytes.toString('latin1');
      expect(text).not.toContain('PRIVATE KEY');
      for (const line of bodies) expect(text).not.toContain(line);
      for (const w of derWindows) expect(bytes.includes(w)).toBe(false);
      expect(bytes.includes(dek)).toBe(false);
      expect(text).not.toContain(dek.toString('base64'));
    }
  });

  test('key files are 0600 in 0700 folders', async () => {
    if (process.platform === 'win32') return;
    await vault.importKey(SDK_A, rsa2048.pkcs1);
    expect((await stat(join(dataDir, 'keys'))).mode & 0o777).toBe(0o700);
    for (const f of await allFiles(dataDir)) expect((await stat(f)).mode & 0o777).toBe(0o600);
  });

  test('refused PEMs and bad SDK IDs write nothing, not even the data key', async () => {
    await expect(vault.importKey(SDK_A, 'not a key')).rejects.toMatchObject({ code: 'KEY_NOT_PEM', kind: 'usage' });
    await expect(vault.importKey('../etc/passwd', rsa2048.pkcs1)).rejects.toMatchObject({ code: 'INVALID_ID' });
    await expect(vault.importKey('a/b', rsa2048.pkcs1)).rejects.toBeInstanceOf(UsageError);
    expect(secrets.writes).toEqual([]);
    expect(await allFiles(dataDir)).toEqual([]);
  });

  test('list and remove need no keychain access', async () => {
    await vault.importKey(SDK_A, rsa2048.pkcs1);
    const offline = new KeyVault({ secrets: noKeychain, dataDir });
    expect(await offline.list()).toHaveLength(1);
    expect(await offline.remove(SDK_A)).toBe(true);
  });
});

describe('KeyVault detects damage', () => {
  const keyFile = (id: string) => join(dataDir, 'keys', `${id}.key`);

  test('a changed byte anywhere in the key file: KEY_FILE_DAMAGED', async () => {
    await vault.importKey(SDK_A, rsa2048.pkcs1);
    const original = await readFile(keyFile(SDK_A));
    for (const i of [0, 1, 13, Math.floor(original.length / 2), original.length - 1]) {
      const bad = Buffer.from(original);
      bad[i] = (bad[i] ?? 0) ^ 0x80;
      await writeFile(keyFile(SDK_A), bad);
      const err = await vault.loadKey(SDK_A).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LocalError);
      expect((err as LocalError).code).toBe('KEY_FILE_DAMAGED');
      expect((err as LocalError).message).toContain(SDK_A);
    }
  });

  test('truncated or missing key file: KEY_FILE_DAMAGED', async () => {
    await vault.importKey(SDK_A, rsa2048.pkcs1);
    await truncate(keyFile(SDK_A), 100);
    expect(await code(vault.loadKey(SDK_A))).toBe('KEY_FILE_DAMAGED');
    await rm(keyFile(SDK_A));
    expect(await code(vault.loadKey(SDK_A))).toBe('KEY_FILE_DAMAGED');
  });

  test('a key file swapped in from another SDK ID: KEY_FILE_DAMAGED', async () => {
    await vault.importKey(SDK_A, rsa2048.pkcs1);
    await vault.importKey(SDK_B, other2048.pkcs8);
    await copyFile(keyFile(SDK_B), keyFile(SDK_A));
    expect(await code(vault.loadKey(SDK_A))).toBe('KEY_FILE_DAMAGED');
    expect(signs(await vault.loadKey(SDK_B), rsa2048.publicKey)).toBe(false); // B itself still fine
  });

  test('a fingerprint changed in the index: KEY_FILE_DAMAGED', async () => {
    await vault.importKey(SDK_A, rsa2048.pkcs1);
    const indexPath = join(dataDir, 'keys', 'index.json');
    const index = JSON.parse(await readFile(indexPath, 'utf8')) as { keys: Array<{ fingerprint: string }> };
    index.keys[0]!.fingerprint = '0'.repeat(64);
    await writeFile(indexPath, JSON.stringify(index));
    expect(await code(vault.loadKey(SDK_A))).toBe('KEY_FILE_DAMAGED');
  });

  test('a garbled index: KEY_INDEX_DAMAGED', async () => {
    await vault.importKey(SDK_A, rsa2048.pkcs1);
    await writeFile(join(dataDir, 'keys', 'index.json'), '{"version":1,"keys":[{"sdkId":');
    expect(await code(vault.list())).toBe('KEY_INDEX_DAMAGED');
  });

  test('the data key removed from the keychain while key files exist: DATA_KEY_MISSING, never a new key', async () => {
    await vault.importKey(SDK_A, rsa2048.pkcs1);
    const emptied = new RecordingSecretStore();
    const fresh = new KeyVault({ secrets: emptied, dataDir });
    const err = await fresh.loadKey(SDK_A).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LocalError);
    expect((err as LocalError).code).toBe('DATA_KEY_MISSING');
    expect((err as LocalError).message).toMatch(/keychain/);
    expect((err as LocalError).message).toMatch(/removed/);
    expect(await code(fresh.cacheKey())).toBe('DATA_KEY_MISSING');
    expect(await code(fresh.importKey(SDK_B, other2048.pkcs8))).toBe('DATA_KEY_MISSING');
    expect(emptied.writes).toEqual([]);
  });

  test('cache entries alone also count as encrypted data', async () => {
    await vault.cacheKey();
    await mkdir(join(dataDir, 'cache', '3fa85f64-5717-4562-b3fc-2c963f66afa6'), { recursive: true });
    expect(await code(new KeyVault({ secrets: new MemorySecretStore(), dataDir }).cacheKey())).toBe('DATA_KEY_MISSING');
  });

  test('an audit log (or a seen-before index) without its data key: refused in words, never a new key over it', async () => {
    for (const [folder, file] of [
      ['audit', 'log.jsonl'],
      ['seen-before', 'index.idvr'],
    ] as const) {
      const dir = await mkdtemp(join(tmpdir(), 'idv-vault-orphan-'));
      await mkdir(join(dir, folder), { recursive: true });
      await writeFile(join(dir, folder, file), '{"seq":1}\n');
      const emptied = new RecordingSecretStore();
      const err = await new KeyVault({ secrets: emptied, dataDir: dir }).subkey('audit').catch((e: unknown) => e);
      expect((err as LocalError).code).toBe('DATA_KEY_MISSING');
      expect((err as LocalError).message).toContain(`${folder}/${file}`);
      expect(emptied.writes).toEqual([]);
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a data key changed outside the app: DATA_KEY_DAMAGED', async () => {
    await secrets.set(DATA_KEY_ACCOUNT, 'not-base64-of-32-bytes');
    expect(await code(vault.cacheKey())).toBe('DATA_KEY_DAMAGED');
  });

  test('another data key (keychain replaced): the key file does not open', async () => {
    await vault.importKey(SDK_A, rsa2048.pkcs1);
    const replaced = new MemorySecretStore();
    await replaced.set(DATA_KEY_ACCOUNT, Buffer.alloc(32, 7).toString('base64'));
    expect(await code(new KeyVault({ secrets: replaced, dataDir }).loadKey(SDK_A))).toBe('KEY_FILE_DAMAGED');
  });
});

describe('KeyVault.resolveSdkId', () => {
  test('no key stored: SDK_ID_REQUIRED telling how to import', async () => {
    const err = await vault.resolveSdkId().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).code).toBe('SDK_ID_REQUIRED');
    expect((err as UsageError).message).toMatch(/no key stored.*idv-review key import/i);
  });

  test('one key: used when omitted', async () => {
    await vault.importKey(SDK_A, rsa2048.pkcs1);
    expect(await vault.resolveSdkId()).toBe(SDK_A);
    expect(await vault.resolveSdkId(SDK_A)).toBe(SDK_A);
  });

  test('several keys: SDK_ID_REQUIRED listing them; a given one is used', async () => {
    await vault.importKey(SDK_A, rsa2048.pkcs1);
    await vault.importKey(SDK_B, other2048.pkcs8);
    const err = await vault.resolveSdkId().catch((e: unknown) => e);
    expect((err as UsageError).code).toBe('SDK_ID_REQUIRED');
    expect((err as UsageError).message).toContain(SDK_A);
    expect((err as UsageError).message).toContain(SDK_B);
    expect(await vault.resolveSdkId(SDK_B)).toBe(SDK_B);
  });

  test("several keys: the one chosen in the app's Settings, while it is stored; a given one wins over it", async () => {
    await vault.importKey(SDK_A, rsa2048.pkcs1);
    await vault.importKey(SDK_B, other2048.pkcs8);
    expect(await vault.resolveSdkId(undefined, SDK_B)).toBe(SDK_B);
    expect(await vault.resolveSdkId(SDK_A, SDK_B)).toBe(SDK_A);
    expect(await code(vault.resolveSdkId(undefined, 'c0ffee00-0000-4000-8000-000000000000'))).toBe('SDK_ID_REQUIRED');
  });

  test('a given SDK ID that is not stored: KEY_NOT_FOUND with the import command; an invalid one: INVALID_ID', async () => {
    await vault.importKey(SDK_A, rsa2048.pkcs1);
    const err = await vault.resolveSdkId(SDK_B).catch((e: unknown) => e);
    expect((err as UsageError).code).toBe('KEY_NOT_FOUND');
    expect((err as UsageError).message).toContain(SDK_A);
    expect((err as UsageError).message).toContain('idv-review key import');
    expect(await code(vault.resolveSdkId('../../x'))).toBe('INVALID_ID');
  });
});

describe('KeyVault.cacheKey', () => {
  test('32 bytes, stable for the same data key, created on first need', async () => {
    const k1 = await vault.cacheKey();
    expect(k1.length).toBe(32);
    expect(secrets.writes.map((w) => w.account)).toEqual([DATA_KEY_ACCOUNT]);
    expect((await new KeyVault({ secrets, dataDir }).cacheKey()).equals(k1)).toBe(true);
    const dek = Buffer.from(secrets.items.get(DATA_KEY_ACCOUNT)!, 'base64');
    expect(k1.equals(dek)).toBe(false);
    const otherDir = await mkdtemp(join(tmpdir(), 'idv-vault-'));
    try {
      expect((await new KeyVault({ secrets: new MemorySecretStore(), dataDir: otherDir }).cacheKey()).equals(k1)).toBe(false);
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });

  test('concurrent first use creates a single data key', async () => {
    const keys = await Promise.all([vault.cacheKey(), vault.cacheKey(), vault.importKey(SDK_A, rsa2048.pkcs1).then(() => vault.cacheKey())]);
    expect(secrets.writes).toHaveLength(1);
    expect(keys[0].equals(keys[1])).toBe(true);
    expect(keys[0].equals(keys[2])).toBe(true);
  });
});

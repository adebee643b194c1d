import keytar from '@github/keytar';
import { execFile } from 'node:child_process';
import { createSign, createVerify, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LocalError } from '../../common/errors';
import { DATA_KEY_ACCOUNT, KeyVault } from '../../main/core/keys/key-vault';
import { KEYCHAIN_SERVICE, KeytarSecretStore, MAX_SECRET_BYTES, type SecretStore } from '../../main/core/keys/secret-store';
import { SessionStore } from '../../main/core/store/session-store';

/*
 * Talks to the real Secret Service (gnome-keyring over D-Bus). Run through the keyring wrapper:
 *   XDG_DATA_HOME=$(mktemp -d) dbus-run-session -- sh -c 'echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null && npx vitest run --project keyring'
 * Without a session bus these tests FAIL (never skip), so CI cannot pass without touching the keychain.
 */
const hasBus = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);

/** Every account this run touches is prefixed, so a developer's real items are never read or replaced. */
const RUN = `idv-test-${randomUUID()}`;
const touched = new Set<string>();
class PrefixedSecretStore implements SecretStore {
  constructor(
    private readonly inner: SecretStore,
    private readonly prefix: string,
  ) {}
  get(account: string) {
    return this.inner.get(`${this.prefix}/${account}`);
  }
  set(account: string, secret: string) {
    touched.add(`${this.prefix}/${account}`);
    return this.inner.set(`${this.prefix}/${account}`, secret);
  }
  delete(account: string) {
    return this.inner.delete(`${this.prefix}/${account}`);
  }
}

const store = new KeytarSecretStore();
const account = (name: string) => {
  const a = `${RUN}/${name}`;
  touched.add(a);
  return a;
};

let dataDir: string;
/** Each keychain test calls this first, so a missing bus shows up as failures (a throwing hook would mark them skipped). */
function requireBus(): void {
  if (!hasBus) throw new Error('DBUS_SESSION_BUS_ADDRESS is not set: run the keyring tests inside dbus-run-session with an unlocked gnome-keyring.');
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'idv-keyring-'));
});
afterAll(async () => {
  for (const a of touched) await keytar.deletePassword(KEYCHAIN_SERVICE, a).catch(() => false);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('environment', () => {
  test('runs inside a D-Bus session (fails, never skips, otherwise)', () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'DBUS_SESSION_BUS_ADDRESS must be set: use the keyring wrapper').toBeTruthy();
  });
});

describe('KeytarSecretStore against the real Secret Service', () => {
  test('set, get, delete round trip under the fixed service name', async () => {
    requireBus();
    const a = account('round-trip');
    expect(await store.get(a)).toBeNull();
    await store.set(a, 'value-1');
    expect(await store.get(a)).toBe('value-1');
    expect(await keytar.getPassword('IDV Review Console', a)).toBe('value-1');
    await store.set(a, 'value-2');
    expect(await store.get(a)).toBe('value-2');
    expect(await store.delete(a)).toBe(true);
    expect(await store.get(a)).toBeNull();
    expect(await store.delete(a)).toBe(false);
  });

  test('2560 bytes is stored; 2561 bytes is refused (Windows limit) and nothing is written', async () => {
    requireBus();
    const max = account('max');
    const secret = 'k'.repeat(MAX_SECRET_BYTES);
    await store.set(max, secret);
    expect(await store.get(max)).toBe(secret);
    expect(await store.delete(max)).toBe(true);

    const over = account('over');
    const err = await store.set(over, 'k'.repeat(MAX_SECRET_BYTES + 1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LocalError);
    expect((err as LocalError).code).toBe('KEYCHAIN_SECRET_TOO_LARGE');
    expect(await store.get(over)).toBeNull();
  });
});

describe('KeyVault over the real keychain', () => {
  test('import a 4096-bit key, sign with it, list, cache key, remove', async () => {
    requireBus();
    const secrets = new PrefixedSecretStore(store, `${RUN}/vault`);
    const vault = new KeyVault({ secrets, dataDir });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 4096 });
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(Buffer.byteLength(pem)).toBeGreaterThan(MAX_SECRET_BYTES);
    const sdkId = randomUUID();

    const info = await vault.importKey(sdkId, pem);
    expect(info.modulusBits).toBe(4096);
    // Exactly one small item in the keychain: the base64 data key.
    const dek = await keytar.getPassword(KEYCHAIN_SERVICE, `${RUN}/vault/${DATA_KEY_ACCOUNT}`);
    expect(dek).toMatch(/^[A-Za-z0-9+/]{43}=$/);

    // A new vault (as another process would) loads it through the keychain and signs.
    const loaded = await new KeyVault({ secrets, dataDir }).loadKey(sdkId);
    const msg = `GET&/sessions/${randomUUID()}?sdkId=${sdkId}&nonce=n&timestamp=1`;
    const sig = createSign('RSA-SHA256').update(msg).sign(loaded);
    expect(createVerify('RSA-SHA256').update(msg).verify(publicKey, sig)).toBe(true);

    expect((await vault.list()).map((k) => k.sdkId)).toEqual([sdkId]);
    expect(await vault.resolveSdkId()).toBe(sdkId);

    // The same data key protects the cache.
    const cacheKey = await vault.cacheKey();
    const sessions = new SessionStore({ dataDir, key: cacheKey });
    const sid = randomUUID();
    await sessions.saveSession(sid, Buffer.from('{"full_name":"Zoë Ødegård"}'), { apiUrl: 'https://api.example.test/idverify/v1', fetchedAt: new Date().toISOString(), sdkId });
    expect((await sessions.loadSession(sid))?.body.toString()).toContain('Zoë');

    // Nothing readable on disk.
    for (const name of await readdir(join(dataDir, 'keys'))) {
      const bytes = await readFile(join(dataDir, 'keys', name), 'latin1');
      expect(bytes).not.toContain('PRIVATE KEY');
      expect(bytes).not.toContain(pem.split('\n')[1]);
    }

    expect(await vault.remove(sdkId)).toBe(true);
    expect(await vault.list()).toEqual([]);
    await expect(vault.loadKey(sdkId)).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
    expect(await secrets.delete(DATA_KEY_ACCOUNT)).toBe(true);
  });

  test('the data key deleted from the keychain while a key file exists: DATA_KEY_MISSING', async () => {
    requireBus();
    const dir = await mkdtemp(join(tmpdir(), 'idv-keyring-'));
    try {
      const secrets = new PrefixedSecretStore(store, `${RUN}/missing`);
      const vault = new KeyVault({ secrets, dataDir: dir });
      const sdkId = randomUUID();
      await vault.importKey(sdkId, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
      expect(await secrets.delete(DATA_KEY_ACCOUNT)).toBe(true);
      await expect(new KeyVault({ secrets, dataDir: dir }).loadKey(sdkId)).rejects.toMatchObject({ code: 'DATA_KEY_MISSING' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('no keychain reachable (child process)', () => {
  const run = promisify(execFile);
  let probe: string;
  let probeDir: string;

  beforeAll(async () => {
    probeDir = await mkdtemp(join(tmpdir(), 'idv-probe-'));
    probe = join(probeDir, 'probe.mjs');
    const keytarPath = createRequire(import.meta.url).resolve('@github/keytar');
    const result = await build({
      entryPoints: [fileURLToPath(new URL('./child/keychain-probe.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'keytar-absolute',
          setup(b) {
            b.onResolve({ filter: /^@github\/keytar$/ }, () => ({ path: keytarPath, external: true }));
          },
        },
      ],
    });
    await writeFile(probe, result.outputFiles[0]!.contents);
  });
  afterAll(async () => {
    if (probeDir) await rm(probeDir, { recursive: true, force: true });
  });

  async function probeWith(env: NodeJS.ProcessEnv, op: 'get' | 'set') {
    const { stdout } = await run(process.execPath, [probe], { env: { ...env, PROBE_OP: op, PROBE_TIMEOUT_MS: '8000' }, timeout: 20_000 });
    return JSON.parse(stdout.trim().split('\n').pop()!) as { ok: boolean; code?: string; kind?: string; message?: string };
  }

  function brokenEnv(bus: string | undefined): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    delete env.XDG_RUNTIME_DIR; // gdbus would otherwise try $XDG_RUNTIME_DIR/bus
    if (bus === undefined) delete env.DBUS_SESSION_BUS_ADDRESS;
    else env.DBUS_SESSION_BUS_ADDRESS = bus;
    return env;
  }

  test.each(['get', 'set'] as const)('a bus address pointing nowhere: %s reports KEYCHAIN_UNAVAILABLE with the fix', async (op) => {
    const r = await probeWith(brokenEnv('unix:path=/nonexistent'), op);
    expect(r.ok).toBe(false);
    expect(['KEYCHAIN_UNAVAILABLE', 'KEYCHAIN_TIMEOUT']).toContain(r.code);
    expect(r.kind).toBe('local');
    if (r.code === 'KEYCHAIN_UNAVAILABLE') {
      expect(r.message).toMatch(/^No OS keychain is reachable: on Linux start gnome-keyring or KWallet \(Secret Service over D-Bus\)/);
    }
    expect(r.message).not.toContain('probe-secret');
  });

  test('no session bus at all (no DISPLAY to autolaunch one): KEYCHAIN_UNAVAILABLE', async () => {
    const r = await probeWith(brokenEnv(undefined), 'get');
    expect(r.ok).toBe(false);
    expect(['KEYCHAIN_UNAVAILABLE', 'KEYCHAIN_TIMEOUT']).toContain(r.code);
  });
});

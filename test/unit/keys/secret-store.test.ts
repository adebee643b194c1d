import { afterEach, describe, expect, test, vi } from 'vitest';
import { LocalError } from '../../../common/errors';
import {
  DEFAULT_KEYCHAIN_TIMEOUT_MS,
  KEYCHAIN_SERVICE,
  KeytarSecretStore,
  mapKeychainError,
  MAX_SECRET_BYTES,
  MemorySecretStore,
  type KeytarLike,
} from '../../../main/core/keys/secret-store';

/** A keytar stand-in that records calls; `fail` makes every call reject with that message. */
function fakeKeytar(opts: { fail?: string; hang?: boolean } = {}) {
  const items = new Map<string, string>();
  const calls: string[] = [];
  const run = <T>(name: string, fn: () => T): Promise<T> => {
    calls.push(name);
    if (opts.hang) return new Promise<T>(() => undefined);
    if (opts.fail) return Promise.reject(new Error(opts.fail));
    return Promise.resolve(fn());
  };
  const keytar: KeytarLike = {
    getPassword: (s, a) => run('get', () => items.get(`${s}/${a}`) ?? null),
    setPassword: (s, a, p) => run('set', () => void items.set(`${s}/${a}`, p)),
    deletePassword: (s, a) => run('delete', () => items.delete(`${s}/${a}`)),
  };
  return { keytar, items, calls };
}

async function rejection(p: Promise<unknown>): Promise<LocalError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LocalError);
  return err as LocalError;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('MemorySecretStore', () => {
  test('set, get, delete', async () => {
    const s = new MemorySecretStore();
    expect(await s.get('a')).toBeNull();
    await s.set('a', 'secret');
    expect(await s.get('a')).toBe('secret');
    expect(await s.delete('a')).toBe(true);
    expect(await s.delete('a')).toBe(false);
    expect(await s.get('a')).toBeNull();
  });

  test('enforces the Windows 2560-byte limit in UTF-8 bytes, like the real store', async () => {
    const s = new MemorySecretStore();
    await s.set('max', 'x'.repeat(MAX_SECRET_BYTES));
    expect((await rejection(s.set('over', 'x'.repeat(MAX_SECRET_BYTES + 1)))).code).toBe('KEYCHAIN_SECRET_TOO_LARGE');
    // 1281 two-byte characters = 2562 bytes although only 1281 UTF-16 units.
    expect((await rejection(s.set('utf8', 'é'.repeat(1281)))).code).toBe('KEYCHAIN_SECRET_TOO_LARGE');
    expect(await s.get('over')).toBeNull();
  });
});

describe('KeytarSecretStore over an injected keytar', () => {
  test('uses the fixed service name and round-trips', async () => {
    const f = fakeKeytar();
    const s = new KeytarSecretStore({ keytar: f.keytar });
    await s.set('acct', 'v');
    expect([...f.items.keys()]).toEqual([`${KEYCHAIN_SERVICE}/acct`]);
    expect(KEYCHAIN_SERVICE).toBe('IDV Review Console');
    expect(await s.get('acct')).toBe('v');
    expect(await s.delete('acct')).toBe(true);
    expect(await s.get('acct')).toBeNull();
  });

  test('refuses a secret over 2560 bytes before calling the keychain, with sizes only in the message', async () => {
    const f = fakeKeytar();
    const s = new KeytarSecretStore({ keytar: f.keytar });
    const secret = `SECRET-${'A'.repeat(3265)}`;
    const e = await rejection(s.set('big', secret));
    expect(e.code).toBe('KEYCHAIN_SECRET_TOO_LARGE');
    expect(e.message).toContain('2560');
    expect(e.message).not.toContain('SECRET-');
    expect(f.calls).toEqual([]);
  });

  test('a hanging keychain call rejects with KEYCHAIN_TIMEOUT', async () => {
    const s = new KeytarSecretStore({ keytar: fakeKeytar({ hang: true }).keytar, timeoutMs: 50 });
    const started = Date.now();
    const e = await rejection(s.get('acct'));
    expect(e.code).toBe('KEYCHAIN_TIMEOUT');
    expect(e.message).toMatch(/unlock/i);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await rejection(s.set('acct', 'v'))).code).toBe('KEYCHAIN_TIMEOUT');
    expect((await rejection(s.delete('acct'))).code).toBe('KEYCHAIN_TIMEOUT');
  });

  test('the default timeout is 10 s', async () => {
    vi.useFakeTimers();
    expect(DEFAULT_KEYCHAIN_TIMEOUT_MS).toBe(10_000);
    const s = new KeytarSecretStore({ keytar: fakeKeytar({ hang: true }).keytar });
    let settled: unknown = 'pending';
    const p = s.get('acct').catch((e: unknown) => (settled = e));
    await vi.advanceTimersByTimeAsync(9_990);
    expect(settled).toBe('pending');
    await vi.advanceTimersByTimeAsync(20);
    await p;
    expect((settled as LocalError).code).toBe('KEYCHAIN_TIMEOUT');
  });

  test('a native module that fails to load is KEYCHAIN_UNAVAILABLE, and is retried on the next call', async () => {
    let attempts = 0;
    const good = fakeKeytar();
    const s = new KeytarSecretStore({
      keytar: () => {
        attempts += 1;
        if (attempts === 1) return Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file'));
        return Promise.resolve(good.keytar);
      },
    });
    const e = await rejection(s.get('acct'));
    expect(e.code).toBe('KEYCHAIN_UNAVAILABLE');
    expect(e.message).toMatch(/^No OS keychain is reachable: on Linux start gnome-keyring or KWallet \(Secret Service over D-Bus\)/);
    expect(e.message).toMatch(/libsecret/);
    expect(await s.get('acct')).toBeNull();
    expect(attempts).toBe(2);
  });

  test.each([
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', 'KEYCHAIN_UNAVAILABLE'],
    ['Could not connect: No such file or directory', 'KEYCHAIN_UNAVAILABLE'],
    ['The name org.freedesktop.secrets was not provided by any .service files', 'KEYCHAIN_UNAVAILABLE'],
    ['Object does not exist at path “/org/freedesktop/secrets/collection/login”', 'KEYCHAIN_UNAVAILABLE'],
    ['A specified logon session does not exist. It may already have been terminated.', 'KEYCHAIN_UNAVAILABLE'],
    ['Cannot create an item in a locked collection', 'KEYCHAIN_LOCKED'],
    ['User interaction is not allowed.', 'KEYCHAIN_LOCKED'],
    ['The stub received bad data.', 'KEYCHAIN_SECRET_TOO_LARGE'],
    ['Something unexpected', 'KEYCHAIN_ERROR'],
  ])('maps "%s" to %s through the store', async (message, code) => {
    const s = new KeytarSecretStore({ keytar: fakeKeytar({ fail: message }).keytar });
    const e = await rejection(s.set('acct', 'the-secret-value'));
    expect(e.code).toBe(code);
    expect(e.kind).toBe('local');
    expect(e.message).not.toContain('the-secret-value');
    expect(e.cause).toBeInstanceOf(Error);
  });

  test('mapKeychainError: actionable messages', () => {
    const unavailable = mapKeychainError(new Error('Could not connect: No such file or directory'), 'read');
    expect(unavailable.message).toMatch(/^No OS keychain is reachable: on Linux start gnome-keyring or KWallet/);
    expect(unavailable.message).toContain('Nothing was stored in plaintext');
    expect(mapKeychainError(new Error('Cannot create an item in a locked collection'), 'write').message).toMatch(/unlock/);
    const same = new LocalError('KEYCHAIN_TIMEOUT', 'x');
    expect(mapKeychainError(same, 'read')).toBe(same);
    expect(mapKeychainError('weird', 'delete').code).toBe('KEYCHAIN_ERROR');
  });

  test('empty and oversized account names are refused', async () => {
    const s = new KeytarSecretStore({ keytar: fakeKeytar().keytar });
    await expect(s.get('')).rejects.toMatchObject({ code: 'KEYCHAIN_ERROR' });
    await expect(s.get('a'.repeat(257))).rejects.toMatchObject({ code: 'KEYCHAIN_ERROR' });
    await expect(s.set('a', '')).rejects.toMatchObject({ code: 'KEYCHAIN_ERROR' });
  });
});

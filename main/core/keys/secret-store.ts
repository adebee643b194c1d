import { LocalError } from '../../../common/errors';

/**
 * The OS keychain behind a small interface. We keep exactly one small item there (the 32-byte data
 * key, see key-vault.ts); the service name is fixed so the CLI and the app share it.
 */
export const KEYCHAIN_SERVICE = 'IDV Review Console';

/**
 * Windows CRED_MAX_CREDENTIAL_BLOB_SIZE: keytar writes the UTF-8 bytes into a CRED_TYPE_GENERIC blob,
 * and anything longer fails with "The stub received bad data". Enforced on every platform so that a
 * design that works on Linux also works on Windows.
 */
export const MAX_SECRET_BYTES = 2560;
export const MAX_ACCOUNT_LENGTH = 256;
export const DEFAULT_KEYCHAIN_TIMEOUT_MS = 10_000;

export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True if an item was deleted, false if there was none. */
  delete(account: string): Promise<boolean>;
}

/** The subset of @github/keytar (and keytar) we call. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export function assertAccount(account: string): void {
  if (typeof account !== 'string' || account.length === 0 || account.length > MAX_ACCOUNT_LENGTH) {
    throw new LocalError('KEYCHAIN_ERROR', `Invalid keychain account name (1 to ${MAX_ACCOUNT_LENGTH} characters expected).`);
  }
}

/** Refuses empty secrets and secrets over 2560 UTF-8 bytes; the message gives sizes only. */
export function assertSecretSize(account: string, secret: string): void {
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new LocalError('KEYCHAIN_ERROR', `Refused to store an empty secret under "${account}".`);
  }
  const bytes = Buffer.byteLength(secret, 'utf8');
  if (bytes > MAX_SECRET_BYTES) {
    throw new LocalError(
      'KEYCHAIN_SECRET_TOO_LARGE',
      `Refused to store ${bytes} bytes under "${account}" in the OS keychain: the limit is ${MAX_SECRET_BYTES} bytes ` +
        '(the Windows Credential Manager maximum). Large secrets are kept encrypted on disk instead.',
    );
  }
}

/** For unit tests only: same validation as the real store, nothing leaves the process. */
export class MemorySecretStore implements SecretStore {
  readonly items = new Map<string, string>();

  get(account: string): Promise<string | null> {
    return attempt(() => {
      assertAccount(account);
      return this.items.get(account) ?? null;
    });
  }

  set(account: string, secret: string): Promise<void> {
    return attempt(() => {
      assertAccount(account);
      assertSecretSize(account, secret);
      this.items.set(account, secret);
    });
  }

  delete(account: string): Promise<boolean> {
    return attempt(() => {
      assertAccount(account);
      return this.items.delete(account);
    });
  }
}

/** Runs `fn` so that a synchronous throw becomes a rejection (callers only ever see promises). */
function attempt<T>(fn: () => T | Promise<T>): Promise<T> {
  return new Promise<T>((resolve) => resolve(fn()));
}

export interface KeytarSecretStoreOptions {
  /** A keytar-like module, or a loader for one (tests); default: `@github/keytar`, loaded on first use. */
  keytar?: KeytarLike | (() => Promise<KeytarLike>);
  /** Each keychain call rejects with KEYCHAIN_TIMEOUT after this long (default 10 s). */
  timeoutMs?: number;
}

/**
 * The OS keychain through @github/keytar: Secret Service (libsecret over D-Bus) on Linux, the login
 * Keychain on macOS, Credential Manager on Windows. Fails closed: there is no plaintext fallback.
 */
export class KeytarSecretStore implements SecretStore {
  readonly service = KEYCHAIN_SERVICE;
  private readonly timeoutMs: number;
  private readonly source: KeytarLike | (() => Promise<KeytarLike>);
  private loaded?: Promise<KeytarLike>;

  constructor(options: KeytarSecretStoreOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_KEYCHAIN_TIMEOUT_MS;
    this.source = options.keytar ?? loadKeytar;
  }

  get(account: string): Promise<string | null> {
    return attempt(() => {
      assertAccount(account);
      return this.call('read', (k) => k.getPassword(this.service, account));
    });
  }

  set(account: string, secret: string): Promise<void> {
    return attempt(() => {
      assertAccount(account);
      assertSecretSize(account, secret);
      return this.call('write', (k) => k.setPassword(this.service, account, secret));
    });
  }

  delete(account: string): Promise<boolean> {
    return attempt(() => {
      assertAccount(account);
      return this.call('delete', (k) => k.deletePassword(this.service, account));
    });
  }

  private module(): Promise<KeytarLike> {
    if (!this.loaded) {
      const source = this.source;
      const p = typeof source === 'function' ? Promise.resolve().then(source) : Promise.resolve(source);
      this.loaded = p.catch((cause: unknown) => {
        this.loaded = undefined; // a later call may retry (e.g. after libsecret was installed)
        throw cause instanceof LocalError ? cause : keychainModuleError(cause);
      });
    }
    return this.loaded;
  }

  private async call<T>(op: KeychainOperation, fn: (k: KeytarLike) => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(keychainTimeout(op, this.timeoutMs)), this.timeoutMs);
    });
    try {
      const work = (async () => fn(await this.module()))();
      // If the timeout wins, a late rejection of `work` must not become an unhandled rejection.
      work.catch(() => undefined);
      return await Promise.race([work, timeout]);
    } catch (err) {
      throw mapKeychainError(err, op);
    } finally {
      clearTimeout(timer);
    }
  }
}

export type KeychainOperation = 'read' | 'write' | 'delete';

async function loadKeytar(): Promise<KeytarLike> {
  const mod = (await import('@github/keytar')) as unknown as { default?: KeytarLike } & Partial<KeytarLike>;
  const k = mod.default ?? (mod as KeytarLike);
  if (typeof k.getPassword !== 'function') throw new Error('@github/keytar did not export getPassword');
  return k;
}

const UNAVAILABLE_HINT =
  'No OS keychain is reachable: on Linux start gnome-keyring or KWallet (Secret Service over D-Bus) in this desktop ' +
  'session, or run inside `dbus-run-session` with an unlocked gnome-keyring; on Windows and macOS sign in to a normal ' +
  'user session. Nothing was stored in plaintext instead.';

function keychainModuleError(cause: unknown): LocalError {
  return new LocalError(
    'KEYCHAIN_UNAVAILABLE',
    `${UNAVAILABLE_HINT} (The keychain library could not be loaded: on Linux install libsecret-1-0.)`,
    { cause },
  );
}

function keychainTimeout(op: KeychainOperation, ms: number): LocalError {
  return new LocalError(
    'KEYCHAIN_TIMEOUT',
    `The OS keychain did not answer a ${op} within ${Math.round(ms / 100) / 10} s. It may be waiting for an unlock ` +
      'prompt that cannot be shown: unlock the keychain (e.g. log in to the desktop, or unlock "login" in Seahorse / ' +
      'Keychain Access) and retry.',
  );
}

const UNAVAILABLE_PATTERNS: readonly RegExp[] = [
  /Cannot autolaunch D-Bus/i,
  /DBUS_SESSION_BUS_ADDRESS/i,
  /Could not connect/i,
  /Failed to connect to socket/i,
  /org\.freedesktop\.secrets/i,
  /ServiceUnknown|was not provided by any \.service files/i,
  /Object does not exist at path/i, // Secret Service running without a default (login) collection
  /No such secret collection|no default collection/i,
  /logon session does not exist/i, // Windows ERROR_NO_SUCH_LOGON_SESSION (no user profile loaded)
  /Failed to load keytar native addon/i,
];

const LOCKED_PATTERNS: readonly RegExp[] = [
  /locked collection/i,
  /is locked/i,
  /User interaction is not allowed/i, // macOS errSecInteractionNotAllowed: keychain locked, no UI
  /passphrase you entered is not correct/i,
  /prompt (was )?dismissed|Prompt dismissed/i,
];

/**
 * Maps whatever keytar / libsecret / Security.framework / wincred threw to a LocalError with a stable
 * code and an actionable message. The system's own text is kept as the cause and, briefly, in the
 * message: it never contains the secret.
 */
export function mapKeychainError(err: unknown, op: KeychainOperation): LocalError {
  if (err instanceof LocalError) return err;
  const raw = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  const said = raw ? ` (system said: ${truncate(raw)})` : '';
  if (UNAVAILABLE_PATTERNS.some((re) => re.test(raw))) {
    return new LocalError('KEYCHAIN_UNAVAILABLE', `${UNAVAILABLE_HINT}${said}`, { cause: err });
  }
  if (LOCKED_PATTERNS.some((re) => re.test(raw))) {
    return new LocalError(
      'KEYCHAIN_LOCKED',
      `The OS keychain is locked, so the ${op} was refused: unlock the default keyring (log in to the desktop, or unlock ` +
        `"login" in Seahorse / Keychain Access) and retry${said}.`,
      { cause: err },
    );
  }
  if (/stub received bad data/i.test(raw)) {
    return new LocalError(
      'KEYCHAIN_SECRET_TOO_LARGE',
      `The Windows Credential Manager refused the item as too large (limit ${MAX_SECRET_BYTES} bytes)${said}.`,
      { cause: err },
    );
  }
  return new LocalError('KEYCHAIN_ERROR', `The OS keychain ${op} failed${said}. Retry; if it persists, check the keychain app.`, {
    cause: err,
  });
}

function truncate(s: string): string {
  const oneLine = s.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine;
}

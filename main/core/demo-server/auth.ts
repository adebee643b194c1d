import { createPublicKey, type KeyObject } from 'node:crypto';
import { verifyDigest } from '../yoti/signing';
import { isYotiId } from '../../../common/yoti-ids';

/**
 * Request authentication exactly as Yoti does it: RSA-SHA256 over `METHOD&path?query[&base64(body)]`
 * where `path?query` is the raw request target relative to the mount (never re-serialised), with
 * `sdkId`, `nonce` and `timestamp` query parameters and the `X-Yoti-Auth-Digest` header. A nonce is
 * accepted once per SDK id; the memory of seen nonces is bounded.
 */
export interface ErrorBody {
  code: string;
  message?: string;
  errors?: Array<{ property: string; message: string }>;
}

export type AuthResult = { ok: true; sdkId: string } | { ok: false; status: number; body: ErrorBody };

export interface AuthRequest {
  method: string;
  /** Raw `path?query` after the mount prefix, exactly as received. */
  pathWithQuery: string;
  /** The raw query (after `?`), empty when absent. */
  query: string;
  body?: Uint8Array;
  /** Value(s) of the X-Yoti-Auth-Digest header. */
  digest: string | string[] | undefined;
  /** For `/apps/{sdkId}/…`, the SDK id is in the path and there is no sdkId query parameter. */
  pathSdkId?: string;
}

export class AppRegistry {
  private readonly keys = new Map<string, KeyObject>();

  constructor(apps: ReadonlyArray<{ sdkId: string; publicKey: KeyObject | string }>) {
    for (const app of apps) this.add(app.sdkId, app.publicKey);
  }

  add(sdkId: string, publicKey: KeyObject | string): void {
    if (!isYotiId(sdkId)) throw new RangeError(`Not a valid SDK id: ${JSON.stringify(String(sdkId).slice(0, 40))}`);
    const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
    // A private KeyObject works for verification too, but registering one is almost certainly a mistake.
    if (key.type !== 'public') throw new RangeError('Register the public key of the app, not its private key');
    this.keys.set(sdkId, key);
  }

  get(sdkId: string): KeyObject | undefined {
    return this.keys.get(sdkId);
  }
}

/** Remembers recently seen nonces (per SDK id), forgetting the oldest beyond `capacity`. */
export class NonceMemory {
  private readonly seen = new Map<string, true>();
  constructor(private readonly capacity = 50_000) {}

  /** Records the nonce; false when it had been seen already. */
  claim(sdkId: string, nonce: string): boolean {
    const key = `${sdkId}\u0000${nonce}`;
    if (this.seen.has(key)) return false;
    this.seen.set(key, true);
    if (this.seen.size > this.capacity) {
      const oldest = this.seen.keys().next();
      if (!oldest.done) this.seen.delete(oldest.value);
    }
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}

const MISSING = 'must not be null or empty';

function single(params: URLSearchParams, name: string, errors: Array<{ property: string; message: string }>): string | undefined {
  const all = params.getAll(name);
  if (all.length > 1) {
    errors.push({ property: `query.${name}`, message: 'must appear once' });
    return undefined;
  }
  const v = all[0];
  if (v === undefined || v === '') {
    errors.push({ property: `query.${name}`, message: MISSING });
    return undefined;
  }
  return v;
}

export function authenticate(req: AuthRequest, apps: AppRegistry, nonces: NonceMemory): AuthResult {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(req.query);
  } catch {
    params = new URLSearchParams();
  }
  const errors: Array<{ property: string; message: string }> = [];
  const sdkId = req.pathSdkId ?? single(params, 'sdkId', errors);
  const nonce = single(params, 'nonce', errors);
  const timestamp = single(params, 'timestamp', errors);
  if (timestamp !== undefined && !/^\d{1,16}$/.test(timestamp)) errors.push({ property: 'query.timestamp', message: 'must be a number' });
  const digestHeader = Array.isArray(req.digest) ? req.digest.join(', ') : req.digest;
  if (!digestHeader) errors.push({ property: 'header.X-Yoti-Auth-Digest', message: MISSING });
  if (errors.length > 0 || sdkId === undefined || nonce === undefined || !digestHeader) {
    return { ok: false, status: 400, body: { code: 'MALFORMED_REQUEST', errors } };
  }
  const key = isYotiId(sdkId) ? apps.get(sdkId) : undefined;
  if (!key) return { ok: false, status: 404, body: { code: 'APP_NOT_FOUND', message: 'The referenced application does not exist' } };
  const ok = verifyDigest({ method: req.method, pathWithQuery: req.pathWithQuery, body: req.body, digest: digestHeader, publicKey: key });
  if (!ok) {
    return {
      ok: false,
      status: 401,
      body: { code: 'UNAUTHORIZED', message: 'The request signature could not be verified with the key registered for this SDK ID' },
    };
  }
  if (!nonces.claim(sdkId, nonce)) {
    return { ok: false, status: 401, body: { code: 'NONCE_REUSED', message: 'This nonce has already been used; sign every request afresh' } };
  }
  return { ok: true, sdkId };
}

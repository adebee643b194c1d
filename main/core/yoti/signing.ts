import { createPublicKey, createSign, createVerify, randomUUID, type KeyObject } from 'node:crypto';

/**
 * Yoti's request signature, as the official SDKs compute it: RSA-SHA256 (PKCS#1 v1.5) over
 * `METHOD&path?query[&base64(body)]`, where the path is relative to the API base URL and the query
 * is exactly what goes on the wire (`sdkId`, then `nonce`, then `timestamp` in ms).
 */
export type HttpMethod = 'GET' | 'DELETE' | 'POST' | 'PUT' | 'PATCH';

const BODY_METHODS: ReadonlySet<HttpMethod> = new Set(['POST', 'PUT', 'PATCH']);

export const SDK_HEADER = 'Node';
/** We present ourselves as the SDK version whose wire format we reproduce byte for byte. */
export const SDK_VERSION_HEADER = 'Node-4.13.2';

export interface SignRequestInput {
  method: HttpMethod;
  /** Path relative to the base URL, e.g. `/sessions/{id}` (no `/idverify/v1`). */
  path: string;
  /** Parameters before nonce and timestamp, in order (normally just `sdkId`). */
  query?: ReadonlyArray<readonly [string, string]>;
  key: KeyObject | string;
  body?: Uint8Array;
  /** Fixed only by tests; fresh on every call otherwise. */
  nonce?: string;
  timestamp?: number;
}

export interface SignedRequest {
  /** `path?query` as sent and signed. */
  pathWithQuery: string;
  message: string;
  digest: string;
  headers: Record<string, string>;
}

export function signRequest(input: SignRequestInput): SignedRequest {
  const nonce = input.nonce ?? randomUUID();
  const timestamp = input.timestamp ?? Date.now();
  const params: Array<readonly [string, string]> = [
    ...(input.query ?? []),
    ['nonce', nonce],
    ['timestamp', String(timestamp)],
  ];
  const query = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const path = `/${input.path.replace(/^\/+/, '')}`;
  const pathWithQuery = `${path}?${query}`;
  const message = canonicalMessage(input.method, pathWithQuery, input.body);
  const digest = createSign('RSA-SHA256').update(message, 'utf8').sign(input.key, 'base64');
  const headers: Record<string, string> = {
    'X-Yoti-Auth-Digest': digest,
    'X-Yoti-SDK': SDK_HEADER,
    'X-Yoti-SDK-Version': SDK_VERSION_HEADER,
    Accept: 'application/json',
  };
  return { pathWithQuery, message, digest, headers };
}

export function canonicalMessage(method: string, pathWithQuery: string, body?: Uint8Array): string {
  const bodyPart =
    body && body.length > 0 && BODY_METHODS.has(method as HttpMethod) ? `&${Buffer.from(body).toString('base64')}` : '';
  return `${method}&${pathWithQuery}${bodyPart}`;
}

/** Server side: verify over the raw request target (relative to the mount), never a re-serialisation. */
export function verifyDigest(input: {
  method: string;
  pathWithQuery: string;
  body?: Uint8Array;
  digest: string;
  publicKey: KeyObject | string;
}): boolean {
  const key = typeof input.publicKey === 'string' ? createPublicKey(input.publicKey) : input.publicKey;
  try {
    return createVerify('RSA-SHA256')
      .update(canonicalMessage(input.method, input.pathWithQuery, input.body), 'utf8')
      .verify(key, input.digest, 'base64');
  } catch {
    return false;
  }
}

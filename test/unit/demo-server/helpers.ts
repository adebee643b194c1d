import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { Agent, request } from 'node:http';
import { signRequest, type HttpMethod } from '../../../main/core/yoti/signing';
import { startDemoServer, type DemoServer, type StartDemoServerOptions } from '../../../main/core/demo-server/server';

export const SDK_ID = 'a1b2c3d4-0000-4000-8000-00000000c11e';

let cached: { publicKey: KeyObject; privateKey: KeyObject } | undefined;
/** A throwaway RSA key generated at test time (never committed). */
export function testKeys(): { publicKey: KeyObject; privateKey: KeyObject } {
  cached ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
  return cached;
}

export async function startTestServer(extra: Partial<StartDemoServerOptions> = {}): Promise<DemoServer> {
  return startDemoServer({ apps: [{ sdkId: SDK_ID, publicKey: testKeys().publicKey }], now: () => new Date('2026-03-01T12:00:00Z'), ...extra });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** True when the body arrived in full. */
  complete: boolean;
  /** Transport error (reset, premature close), if any. */
  error?: NodeJS.ErrnoException;
  reusedSocket: boolean;
  /** Size of the first body chunk received. */
  firstChunk: number;
}

export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer;
  agent?: Agent;
  /** Stop reading after the first body chunk (and destroy the request). */
  firstChunkOnly?: boolean;
}

/** A plain node:http request against the server's origin; never throws on transport errors. */
export function rawRequest(server: DemoServer, pathAndQuery: string, opts: RawRequestOptions = {}): Promise<RawResponse> {
  const base = new URL(server.baseUrl);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let firstChunk = -1;
    let result: Omit<RawResponse, 'body' | 'firstChunk'> | undefined;
    const finish = (error?: NodeJS.ErrnoException): void => {
      resolve({
        status: result?.status ?? 0,
        headers: result?.headers ?? {},
        complete: result?.complete ?? false,
        reusedSocket: result?.reusedSocket ?? false,
        body: Buffer.concat(chunks),
        firstChunk,
        ...(error ? { error } : {}),
      });
    };
    // an options object (not a URL string) so the path goes out exactly as given, `..` and all
    const target = { host: base.hostname, port: Number(base.port), path: pathAndQuery };
    const req = request({ ...target, method: opts.method ?? 'GET', headers: opts.headers, agent: opts.agent ?? false }, (res) => {
      result = { status: res.statusCode ?? 0, headers: res.headers, complete: false, reusedSocket: req.reusedSocket };
      res.on('data', (c: Buffer) => {
        if (firstChunk < 0) firstChunk = c.length;
        chunks.push(c);
        if (opts.firstChunkOnly) {
          req.destroy();
          finish();
        }
      });
      res.on('end', () => {
        if (result) result.complete = res.complete;
        finish();
      });
      res.on('error', (e: NodeJS.ErrnoException) => finish(e));
      res.on('aborted', () => finish(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
    });
    req.on('error', (e: NodeJS.ErrnoException) => finish(e));
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

export interface SignedOptions extends RawRequestOptions {
  sdkId?: string;
  key?: KeyObject;
  nonce?: string;
  timestamp?: number;
  /** Sign this method but send `method`. */
  signMethod?: HttpMethod;
}

/** Signs like the SDK (sdkId, nonce, timestamp) and sends over raw node:http. */
export async function signedRequest(server: DemoServer, path: string, opts: SignedOptions = {}): Promise<RawResponse & { pathWithQuery: string }> {
  const method = (opts.method ?? 'GET') as HttpMethod;
  const signed = signRequest({
    method: opts.signMethod ?? method,
    path,
    query: [['sdkId', opts.sdkId ?? SDK_ID]],
    key: opts.key ?? testKeys().privateKey,
    body: opts.body,
    nonce: opts.nonce,
    timestamp: opts.timestamp,
  });
  const headers: Record<string, string> = { ...signed.headers, ...(opts.body ? { 'Content-Type': 'application/json' } : {}), ...opts.headers };
  const res = await rawRequest(server, `/idverify/v1${signed.pathWithQuery}`, { ...opts, method, headers });
  return { ...res, pathWithQuery: signed.pathWithQuery };
}

export const parse = (r: RawResponse): Record<string, unknown> => JSON.parse(r.body.toString('utf8')) as Record<string, unknown>;

/** Every path in `value` whose value is null (the server must never send one). */
export function nullPaths(value: unknown, path = '$'): string[] {
  if (value === null) return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nullPaths(v, `${path}[${i}]`));
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => nullPaths(v, `${path}.${k}`));
  return [];
}

/** All media ids referenced in a session JSON (media.id and generated_media ids). */
export function mediaIds(session: unknown): string[] {
  const out = new Set<string>();
  const walk = (v: unknown, key?: string): void => {
    if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((key === 'media' || key === 'generated_media') && typeof o.id === 'string') out.add(o.id);
      for (const [k, x] of Object.entries(o)) walk(x, k);
    }
  };
  walk(session);
  return [...out];
}

/** The parts of the GET-session JSON (yoti-api-notes §4) the tests look at. */
export interface TMedia {
  id: string;
  type: string;
  created?: string;
  last_updated?: string;
}
export interface TRef {
  media: TMedia;
}
export interface TGenerated {
  id: string;
  type: string;
}
export interface TTask {
  type: string;
  id: string;
  state: string;
  generated_media: TGenerated[];
  generated_checks: TGenerated[];
}
export interface TPage {
  capture_method: string;
  media: TMedia;
  frames: Array<Partial<TRef>>;
}
export interface TDoc {
  id: string;
  document_type: string;
  issuing_country: string;
  pages: TPage[];
  document_fields?: TRef;
  document_id_photo?: TRef;
  tasks: TTask[];
}
export interface TLiveness {
  id: string;
  liveness_type: string;
  frames?: Array<Partial<TRef>>;
  facemap?: TRef;
  image?: TRef;
  tasks: unknown[];
}
export interface TReport {
  recommendation: { value: string; reason?: string; recovery_suggestion?: string };
  breakdown: Array<{ sub_check: string; result: string; details: Array<{ name: string; value: string }> }>;
}
export interface TCheck {
  type: string;
  id: string;
  state: string;
  resources_used: string[];
  generated_media?: TGenerated[];
  report?: TReport;
  created?: string;
}
export interface TSession {
  session_id: string;
  state: string;
  client_session_token_ttl: number;
  user_tracking_id?: string;
  resources: { id_documents: TDoc[]; supplementary_documents: TDoc[]; liveness_capture: TLiveness[]; face_capture: unknown[] };
  checks: TCheck[];
}

export const asSession = (v: unknown): TSession => v as TSession;

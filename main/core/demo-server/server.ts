import { randomUUID, type KeyObject } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { UsageError } from '../../../common/errors';
import { isYotiId } from '../../../common/yoti-ids';
import { AppRegistry, authenticate, NonceMemory, type ErrorBody } from './auth';
import { createDemoSessions } from './demo-sessions';
import { FaultEngine, TokenBucket, type AppliedFaults, type FaultRules, type RouteName } from './faults';
import {
  DEFAULT_RESPONSE_CONFIG,
  parseResponseConfig,
  ResponseConfigError,
  sessionFromResponseConfig,
  type MaterialiseMediaOptions,
  type ResponseConfig,
} from './response-config';
import { matchRoute, MOUNT, splitTarget, type RouteMatch } from './routes';
import type { DemoMedia, DemoSession } from './types';

/**
 * A Yoti-compatible IDV server for demo and training mode and as the client's test bed. Loopback by
 * default, node:http only, synthetic data only. Requests are authenticated exactly as Yoti does
 * (see auth.ts); faults can be injected per route (see faults.ts).
 */
export interface StartDemoServerOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (default) = any free port. */
  port?: number;
  apps: ReadonlyArray<{ sdkId: string; publicKey: KeyObject | string }>;
  /** Default: the demo set (createDemoSessions). */
  sessions?: readonly DemoSession[];
  faults?: FaultRules;
  now?: () => Date;
  /** Media sizes for the default demo set and for sessions created or configured at run time. */
  media?: MaterialiseMediaOptions;
  /** Largest request body accepted (default 16 MiB). */
  maxBodyBytes?: number;
  /** How many nonces are remembered for replay detection (default 50 000). */
  nonceMemory?: number;
}

export interface RequestRecord {
  method: string;
  route: RouteName;
  /** Raw request path without the query (never the digest, never the signed query). */
  path: string;
  status: number;
  /** Fault knobs applied to this request, when any. */
  faults?: string[];
}

export interface DemoServer {
  /** `http://127.0.0.1:PORT/idverify/v1` */
  baseUrl: string;
  port: number;
  close(): Promise<void>;
  setFaults(rules: FaultRules): void;
  addSession(session: DemoSession): void;
  /** Replaces (or creates) a session from a sandbox response-config; throws ResponseConfigError when invalid. */
  configureSession(sessionId: string, responseConfig: unknown): void;
  readonly requests: readonly RequestRecord[];
  /**
   * Generates every lazily generated media item now (all sessions, or one), yielding to the event loop
   * between items, so that a benchmark measures transfer rather than drawing.
   */
  warm(sessionId?: string): Promise<void>;
  /** What GET media would serve now (generating it if needed); undefined when unknown or deleted. */
  getMedia(sessionId: string, mediaId: string): { contentType: string; bytes: Uint8Array } | { noContent: true } | undefined;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

interface Entry {
  demo: DemoSession;
  media: Map<string, DemoMedia>;
  resolved: Map<string, Uint8Array>;
  deletedMedia: Set<string>;
}

const EMPTY = Buffer.alloc(0);
const MAX_RECORDS = 10_000;

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: Buffer.from(JSON.stringify(body), 'utf8'),
});
const error = (status: number, body: ErrorBody, headers: Record<string, string> = {}): Reply => json(status, body, headers);
const noContent = (): Reply => ({ status: 204, headers: {}, body: EMPTY });

const SESSION_NOT_FOUND: ErrorBody = { code: 'SESSION_NOT_FOUND', message: 'Session not found' };
const MEDIA_NOT_FOUND: ErrorBody = { code: 'NOT_FOUND', message: 'Media not found' };
const NOT_COMPLETED: ErrorBody = { code: 'SESSION_NOT_COMPLETED', message: 'The session can only be deleted once it is completed' };

const STATUS_CODES: Readonly<Record<number, string>> = {
  500: 'INTERNAL_SERVER_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

function toMap(media: DemoSession['media']): Map<string, DemoMedia> {
  return media instanceof Map ? new Map<string, DemoMedia>(media as ReadonlyMap<string, DemoMedia>) : new Map(Object.entries(media as Record<string, DemoMedia>));
}

function swapContentType(ct: string | undefined): string {
  if (ct?.startsWith('image/png')) return 'image/jpeg';
  if (ct?.startsWith('image/jpeg')) return 'image/png';
  return 'image/jpeg';
}

export async function startDemoServer(opts: StartDemoServerOptions): Promise<DemoServer> {
  const host = opts.host ?? '127.0.0.1';
  const now = opts.now ?? (() => new Date());
  const apps = new AppRegistry(opts.apps);
  const nonces = new NonceMemory(opts.nonceMemory);
  const faults = new FaultEngine(opts.faults);
  const maxBody = opts.maxBodyBytes ?? 16 * 1024 * 1024;
  const shutdown = new AbortController();
  setMaxListeners(0, shutdown.signal); // every delayed or throttled response listens for shutdown
  const sessions = new Map<string, Entry>();
  const appConfigs = new Map<string, ResponseConfig>();
  const records: RequestRecord[] = [];

  const addSession = (s: DemoSession): void => {
    if (!isYotiId(s.sessionId)) throw new UsageError('INVALID_ID', `Refused demo session id ${JSON.stringify(String(s.sessionId).slice(0, 40))}`);
    sessions.set(s.sessionId, { demo: s, media: toMap(s.media), resolved: new Map(), deletedMedia: new Set() });
  };
  for (const s of opts.sessions ?? createDemoSessions({ now: now(), media: opts.media })) addSession(s);

  const configure = (sessionId: string, config: unknown): void => {
    if (!isYotiId(sessionId)) throw new ResponseConfigError([{ property: 'sessionId', message: 'is not a valid session id' }]);
    addSession(sessionFromResponseConfig(config, { sessionId, seed: sessionId, createdAt: now(), media: opts.media }));
  };

  const view = (e: Entry): Readonly<Record<string, unknown>> => {
    const at = e.demo.reportsAvailableAt;
    return at && e.demo.pendingSession && now().getTime() < at.getTime() ? e.demo.pendingSession : e.demo.session;
  };
  const stateOf = (e: Entry): unknown => view(e).state;

  const configurationOf = (e: Entry): unknown => {
    if (e.demo.configuration) return e.demo.configuration;
    const v = view(e);
    const checks = Array.isArray(v.checks) ? (v.checks as unknown[]) : [];
    const types = checks.map((c) => (typeof c === 'object' && c !== null ? (c as Record<string, unknown>).type : undefined));
    return {
      client_session_token_ttl: typeof v.client_session_token_ttl === 'number' ? v.client_session_token_ttl : 0,
      session_id: e.demo.sessionId,
      requested_checks: [...new Set(types.filter((t): t is string => typeof t === 'string'))],
      capture: { biometric_consent: 'PROVIDED', required_resources: [] },
    };
  };

  const resolveMedia = (e: Entry, mediaId: string): { contentType: string; bytes: Uint8Array } | { noContent: true } | undefined => {
    if (e.deletedMedia.has(mediaId)) return undefined;
    const m = e.media.get(mediaId);
    if (!m) return undefined;
    if ('noContent' in m) return { noContent: true };
    if ('bytes' in m) return { contentType: m.contentType, bytes: m.bytes };
    let bytes = e.resolved.get(mediaId);
    if (!bytes) {
      bytes = m.generate();
      e.resolved.set(mediaId, bytes);
    }
    return { contentType: m.contentType, bytes };
  };

  const parseJsonBody = (body: Buffer): { ok: true; value: unknown } | { ok: false; reply: Reply } => {
    try {
      return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
    } catch {
      return { ok: false, reply: error(400, { code: 'MALFORMED_REQUEST', errors: [{ property: 'body', message: 'must be a JSON object' }] }) };
    }
  };

  const handle = (route: RouteMatch, body: Buffer, sdkId: string): Reply => {
    const entry = route.sessionId ? sessions.get(route.sessionId) : undefined;
    switch (route.name) {
      case 'session':
        return entry ? json(200, view(entry)) : error(404, SESSION_NOT_FOUND);
      case 'configuration':
        return entry ? json(200, configurationOf(entry)) : error(404, SESSION_NOT_FOUND);
      case 'media': {
        if (!entry) return error(404, SESSION_NOT_FOUND);
        const m = resolveMedia(entry, route.mediaId ?? '');
        if (!m) return error(404, MEDIA_NOT_FOUND);
        if ('noContent' in m) return noContent();
        return { status: 200, headers: { 'Content-Type': m.contentType }, body: Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength) };
      }
      case 'deleteMedia': {
        if (!entry) return error(404, SESSION_NOT_FOUND);
        if (stateOf(entry) !== 'COMPLETED') return error(409, NOT_COMPLETED);
        const mediaId = route.mediaId ?? '';
        if (!entry.media.has(mediaId) || entry.deletedMedia.has(mediaId)) return error(404, MEDIA_NOT_FOUND);
        entry.deletedMedia.add(mediaId);
        entry.resolved.delete(mediaId);
        return noContent();
      }
      case 'deleteSession': {
        if (!entry) return error(404, SESSION_NOT_FOUND);
        if (stateOf(entry) !== 'COMPLETED') return error(409, NOT_COMPLETED);
        sessions.delete(entry.demo.sessionId);
        return noContent();
      }
      case 'sessionResponseConfig': {
        const parsed = parseJsonBody(body);
        if (!parsed.ok) return parsed.reply;
        try {
          configure(route.sessionId ?? '', parsed.value);
        } catch (e) {
          if (e instanceof ResponseConfigError) return error(400, { code: 'MALFORMED_REQUEST', errors: e.errors });
          throw e;
        }
        return noContent();
      }
      case 'appResponseConfig': {
        const parsed = parseJsonBody(body);
        if (!parsed.ok) return parsed.reply;
        const cfg = parseResponseConfig(parsed.value);
        if (!cfg.ok) return error(400, { code: 'MALFORMED_REQUEST', errors: cfg.errors });
        appConfigs.set(sdkId, cfg.config);
        return noContent();
      }
      case 'createSession': {
        const parsed = parseJsonBody(body);
        if (!parsed.ok) return parsed.reply;
        const spec = parsed.value;
        if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
          return error(400, { code: 'MALFORMED_REQUEST', errors: [{ property: 'body', message: 'must be a JSON object' }] });
        }
        const tracking = (spec as Record<string, unknown>).user_tracking_id;
        const sessionId = randomUUID();
        const s = sessionFromResponseConfig(appConfigs.get(sdkId) ?? DEFAULT_RESPONSE_CONFIG, {
          sessionId,
          seed: sessionId,
          createdAt: now(),
          media: opts.media,
          userTrackingId: typeof tracking === 'string' && tracking.length > 0 && tracking.length <= 256 ? tracking : undefined,
        });
        addSession(s);
        return json(201, { client_session_token_ttl: 599, session_id: sessionId, client_session_token: randomUUID() });
      }
    }
  };

  const record = (r: RequestRecord): void => {
    records.push(r);
    if (records.length > MAX_RECORDS) records.splice(0, records.length - MAX_RECORDS);
  };

  const readBody = async (req: IncomingMessage): Promise<Buffer | undefined> => {
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of req) {
      const b = chunk as Buffer;
      total += b.length;
      if (total > maxBody) return undefined;
      chunks.push(b);
    }
    return Buffer.concat(chunks);
  };

  const waitWritable = (res: ServerResponse): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.once('drain', done);
      res.once('close', done);
    });

  /** Writes `data` honouring backpressure, the per-response rate and the global bucket; resolves once flushed. */
  const writeBody = async (res: ServerResponse, data: Buffer, f: AppliedFaults): Promise<void> => {
    const per = f.bandwidthBytesPerSec ? new TokenBucket(f.bandwidthBytesPerSec) : undefined;
    const global = faults.globalBucket;
    const chunk = Math.min(per?.chunkSize() ?? 256 * 1024, global?.chunkSize() ?? 256 * 1024);
    for (let off = 0; off < data.length; off += chunk) {
      if (res.destroyed) return;
      const piece = data.subarray(off, Math.min(data.length, off + chunk));
      if (global) await global.take(piece.length, shutdown.signal);
      if (per) await per.take(piece.length, shutdown.signal);
      if (res.destroyed) return;
      const last = off + chunk >= data.length;
      if (last) {
        await new Promise<void>((resolve) => res.write(piece, () => resolve()));
      } else if (!res.write(piece)) {
        await waitWritable(res);
      }
    }
  };

  const send = async (res: ServerResponse, reply: Reply, f: AppliedFaults, route: RouteName): Promise<number> => {
    let { status, body } = reply;
    const headers = { ...reply.headers };
    if (f.media204 && route === 'media' && status === 200) {
      status = 204;
      body = EMPTY;
      delete headers['Content-Type'];
    }
    if (f.wrongContentType && status !== 204) {
      headers['Content-Type'] = f.wrongContentType === true ? swapContentType(headers['Content-Type']) : f.wrongContentType;
    }
    if (f.omitContentType) delete headers['Content-Type'];
    if (status !== 204) headers['Content-Length'] = String(body.length);
    res.writeHead(status, headers);
    if (status === 204 || body.length === 0) {
      res.end();
      return status;
    }
    const partial = f.resetMidBody
      ? { n: f.resetMidBody.afterBytes, reset: true }
      : f.truncateBody
        ? { n: f.truncateBody.sendBytes, reset: false }
        : undefined;
    if (partial) {
      const n = Math.max(0, Math.min(body.length - 1, Math.floor(partial.n ?? body.length / 2)));
      if (n > 0 && (f.bandwidthBytesPerSec || faults.globalBucket)) res.flushHeaders();
      if (n > 0) await writeBody(res, body.subarray(0, n), f);
      else {
        res.flushHeaders();
        await new Promise((r) => setImmediate(r));
      }
      const socket = res.socket;
      if (partial.reset) socket?.resetAndDestroy();
      else socket?.end();
      return status;
    }
    // a throttled body: let the client see the headers now, as a slow network would
    if (f.bandwidthBytesPerSec || faults.globalBucket) res.flushHeaders();
    await writeBody(res, body, f);
    if (!res.destroyed) res.end();
    return status;
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const raw = req.url ?? '/';
    const rawPath = (raw.split('?')[0] ?? '').slice(0, 512);
    const target = splitTarget(raw);
    const matched = target ? matchRoute(method, target.path) : ({ kind: 'not-found' } as const);
    const route: RouteName = matched.kind === 'match' ? matched.route.name : 'unknown';
    const f = faults.select(route, matched.kind === 'match' ? { sessionId: matched.route.sessionId, mediaId: matched.route.mediaId } : {});
    let status = 0;
    try {
      if (f.latencyMs) await delay(f.latencyMs, undefined, { signal: shutdown.signal });
      let reply: Reply;
      if (f.status429) {
        reply = error(429, { code: 'TOO_MANY_REQUESTS', message: 'Too many requests' }, { 'Retry-After': String(f.status429.retryAfterSeconds) });
      } else if (f.status5xx) {
        const s = f.status5xx.status;
        reply = error(s, { code: STATUS_CODES[s] ?? 'SERVER_ERROR', message: 'Injected fault' });
      } else if (matched.kind === 'not-found' || !target) {
        reply = error(404, { code: 'NOT_FOUND', message: 'Resource not found' });
      } else if (matched.kind === 'method-not-allowed') {
        reply = error(405, { code: 'METHOD_NOT_ALLOWED', message: `Use ${matched.allow.join(' or ')}` }, { Allow: matched.allow.join(', ') });
      } else {
        const body = await readBody(req);
        if (body === undefined) {
          reply = error(413, { code: 'PAYLOAD_TOO_LARGE', message: `The body exceeds ${maxBody} bytes` }, { Connection: 'close' });
        } else {
          const auth = authenticate(
            {
              method,
              pathWithQuery: target.pathWithQuery,
              query: target.query,
              body,
              digest: req.headers['x-yoti-auth-digest'],
              pathSdkId: matched.route.name === 'appResponseConfig' ? matched.route.sdkId : undefined,
            },
            apps,
            nonces,
          );
          reply = auth.ok ? handle(matched.route, body, auth.sdkId) : error(auth.status, auth.body);
        }
      }
      status = reply.status;
      record({ method, route, path: rawPath, status, ...(f.names.length ? { faults: f.names } : {}) });
      await send(res, reply, f, route);
    } catch {
      // AbortError at shutdown, a client that went away, or a generator failure
      if (!res.headersSent && !res.destroyed) {
        const reply = error(500, { code: 'INTERNAL_SERVER_ERROR', message: 'The demo server failed to answer' });
        if (status === 0) record({ method, route, path: rawPath, status: 500 });
        res.writeHead(500, { ...reply.headers, 'Content-Length': String(reply.body.length) });
        res.end(reply.body);
      } else {
        res.destroy();
      }
    }
  };

  const server = createServer({ keepAlive: true }, (req, res) => {
    void onRequest(req, res);
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;

  return {
    baseUrl: `http://${hostForUrl}:${port}${MOUNT}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        shutdown.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
    setFaults: (rules) => faults.set(rules),
    addSession,
    configureSession: configure,
    get requests() {
      return records;
    },
    warm: async (sessionId) => {
      const entries = sessionId ? [sessions.get(sessionId)] : [...sessions.values()];
      for (const e of entries) {
        if (!e) continue;
        for (const mediaId of e.media.keys()) {
          resolveMedia(e, mediaId);
          await new Promise((r) => setImmediate(r));
        }
      }
    },
    getMedia: (sessionId, mediaId) => {
      const e = sessions.get(sessionId);
      return e ? resolveMedia(e, mediaId) : undefined;
    },
  };
}

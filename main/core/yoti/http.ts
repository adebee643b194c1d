import http, { type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { rootCertificates, TLSSocket } from 'node:tls';
import { type AppError, UsageError } from '../../../common/errors';
import type { ByteBudget } from '../async/byte-budget';
import { NetworkError } from './api-errors';

/**
 * Transport for the Yoti client: one keep-alive agent, three distinct timeouts (connect, headers,
 * body), a body cap that destroys the socket as soon as it is exceeded, and network failures mapped
 * to NetworkError codes. It knows nothing about signing or Yoti status codes. Messages name the host
 * and what was being done, never the path or query.
 */

export interface Timeouts {
  /** TCP connect, plus the TLS handshake for https (DNS included). */
  connectMs: number;
  /** From connected (or a reused socket) to the response headers. */
  headersMs: number;
  /** From the response headers to the end of the body. */
  bodyMs: number;
}

export interface BaseUrl {
  protocol: 'http:' | 'https:';
  /** Without IPv6 brackets, as node:http wants it. */
  hostname: string;
  port: number;
  /** Path prefix without trailing slashes, e.g. `/idverify/v1` (may be empty). */
  basePath: string;
  /** `host[:port]`, for messages. */
  host: string;
  /** Normalised URL for display: origin + basePath. */
  href: string;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https anywhere; http only to this machine (a local Yoti-compatible server). No credentials, query or fragment. */
export function parseBaseUrl(raw: string): BaseUrl {
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new UsageError('INVALID_BASE_URL', 'The Yoti API URL is empty.');
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError('INVALID_BASE_URL', 'The Yoti API URL is not a valid absolute URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UsageError('INVALID_BASE_URL', `The Yoti API URL must use https (got ${url.protocol.replace(/:$/, '')}).`);
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname.toLowerCase())) {
    throw new UsageError(
      'INSECURE_BASE_URL',
      `Refused the Yoti API URL for ${url.hostname}: plain http is allowed only for 127.0.0.1, localhost or [::1]. Use https.`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new UsageError('INVALID_BASE_URL', 'The Yoti API URL must not contain a user name or password.');
  }
  if (url.search !== '' || url.hash !== '' || raw.includes('?') || raw.includes('#')) {
    throw new UsageError('INVALID_BASE_URL', 'The Yoti API URL must not contain a query (?) or a fragment (#).');
  }
  const protocol = url.protocol;
  const port = url.port === '' ? (protocol === 'https:' ? 443 : 80) : Number(url.port);
  const basePath = url.pathname.replace(/\/+$/, '');
  return {
    protocol,
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    basePath,
    host: url.host,
    href: `${url.origin}${basePath}`,
  };
}

export interface TransportRequest {
  method: 'GET' | 'DELETE';
  /** Path relative to the base URL, with its query, exactly as signed. */
  pathWithQuery: string;
  headers: Record<string, string>;
  /** Cap on a 2xx body; beyond it the request fails with `tooLarge(limit)`. */
  maxBodyBytes: number;
  tooLarge: (limit: number) => AppError;
  /** What is being done, for messages: "reading session …". */
  what: string;
  /**
   * Memory shared with other downloads: a 2xx body is read only once its declared length (or, when
   * undeclared, maxBodyBytes) is taken from it; until then the server is held back (TCP). The
   * response's `release` gives it back.
   */
  budget?: ByteBudget;
}

export interface TransportResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** True when a non-2xx body was longer than ERROR_BODY_LIMIT and was cut (the socket was then dropped). */
  bodyTruncated: boolean;
  /** Gives back what the body took from the request's budget (a no-op without one); call it once the body is let go. */
  release: () => void;
}

/** Error bodies are only read this far: enough for Yoti's `{code,message,errors}`, never a huge page. */
export const ERROR_BODY_LIMIT = 64 * 1024;

/** Whether one attempt got an HTTP answer (any status), or failed before one came (refused, DNS, timeout, TLS, reset). */
export type RequestOutcome = { answered: true } | { answered: false; error: NetworkError };

export interface TransportOptions {
  baseUrl: BaseUrl;
  timeouts: Timeouts;
  maxSockets: number;
  /** Extra trusted CA (PEM), added to Node's bundled roots. For tests against a local https server. */
  ca?: string | Buffer;
  /** Told about every attempt once its answer starts or it fails without one (not when the client is closed): the app's online state. */
  onOutcome?: (outcome: RequestOutcome) => void;
}

const TLS_CODE = /^(?:ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL)/;
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

function errno(e: unknown): { code?: string; syscall?: string } {
  if (typeof e !== 'object' || e === null) return {};
  const { code, syscall } = e as { code?: unknown; syscall?: unknown };
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof syscall === 'string' ? { syscall } : {}),
  };
}

function parseContentLength(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value.trim())) return null;
  const n = Number(value.trim());
  return Number.isSafeInteger(n) ? n : null;
}

/** What in the environment would weaken TLS and is ignored for signed requests, in words (said once by the app and the CLI). */
export function ignoredTlsEnvironment(env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  if (env.NODE_TLS_REJECT_UNAUTHORIZED === '0') out.push('NODE_TLS_REJECT_UNAUTHORIZED=0 is ignored: the certificate of the Yoti API server is always verified.');
  if (env.NODE_EXTRA_CA_CERTS) out.push("NODE_EXTRA_CA_CERTS is ignored for requests signed with your key: they trust Node's bundled certificate authorities only.");
  return out;
}

export class HttpTransport {
  readonly #base: BaseUrl;
  readonly #timeouts: Timeouts;
  readonly #agent: http.Agent;
  readonly #inflight = new Map<ClientRequest, (error: NetworkError) => void>();
  readonly #onOutcome: (outcome: RequestOutcome) => void;
  #closed = false;

  constructor(options: TransportOptions) {
    this.#base = options.baseUrl;
    this.#timeouts = options.timeouts;
    this.#onOutcome = options.onOutcome ?? (() => undefined);
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.maxSockets,
      maxFreeSockets: options.maxSockets,
      scheduling: 'lifo' as const,
    };
    // The trust store is explicit: Node's bundled roots (plus the given CA), always verified. Neither
    // NODE_TLS_REJECT_UNAUTHORIZED=0 nor NODE_EXTRA_CA_CERTS changes where requests signed with the key go.
    this.#agent =
      this.#base.protocol === 'https:'
        ? new https.Agent({
            ...agentOptions,
            ca: [...rootCertificates, ...(options.ca !== undefined ? [options.ca.toString()] : [])],
            rejectUnauthorized: true,
          })
        : new http.Agent(agentOptions);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Destroys the agent and fails every request in flight with CLIENT_CLOSED. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const abort of [...this.#inflight.values()]) {
      abort(new NetworkError('CLIENT_CLOSED', 'The Yoti client was closed while a request was in flight.'));
    }
    this.#agent.destroy();
  }

  request(r: TransportRequest): Promise<TransportResponse> {
    if (this.#closed) {
      return Promise.reject(new NetworkError('CLIENT_CLOSED', `The Yoti client is closed; nothing was sent while ${r.what}.`));
    }
    const host = this.#base.host;
    const { connectMs, headersMs, bodyMs } = this.#timeouts;

    return new Promise<TransportResponse>((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      let socket: Socket | undefined;
      let socketError: unknown;
      let phase: 'connect' | 'headers' | 'body' = 'connect';
      let received = 0;
      let expected: number | null = null;
      let release = (): void => undefined;

      const onSocketError = (e: unknown): void => {
        socketError = e;
      };
      const clearTimer = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
      };
      const cleanup = (): void => {
        clearTimer();
        socket?.off('error', onSocketError);
        this.#inflight.delete(req);
      };
      const fail = (error: AppError): void => {
        if (settled) return;
        settled = true;
        cleanup();
        // Before the response: the server never answered. After it, the answer was already reported.
        if (phase !== 'body' && error instanceof NetworkError && error.code !== 'CLIENT_CLOSED') this.#onOutcome({ answered: false, error });
        release();
        reject(error);
        req.destroy();
      };
      const arm = (ms: number, make: () => NetworkError): void => {
        clearTimer();
        timer = setTimeout(() => fail(make()), ms);
      };
      const startHeadersTimer = (): void => {
        if (settled || phase !== 'connect') return;
        phase = 'headers';
        arm(
          headersMs,
          () =>
            new NetworkError(
              'HEADERS_TIMEOUT',
              `${host} accepted the connection but did not answer within ${formatMs(headersMs)} while ${r.what}. ` +
                `Yoti may be slow or unavailable; try again.`,
            ),
        );
      };
      const truncatedOrReset = (e: unknown): NetworkError => {
        const own = errno(e);
        const fromSocket = errno(socketError);
        if ((own.syscall !== undefined && own.code !== undefined && RESET_CODES.has(own.code)) ||
          (fromSocket.code !== undefined && RESET_CODES.has(fromSocket.code))) {
          return new NetworkError('CONNECTION_RESET', `The connection to ${host} was reset in the middle of the answer while ${r.what}. Try again.`, { cause: e });
        }
        const of = expected === null ? '' : ` of ${expected}`;
        return new NetworkError(
          'TRUNCATED_BODY',
          `The answer from ${host} was cut short (${received}${of} bytes received) while ${r.what}. Try again.`,
          { cause: e },
        );
      };
      const mapRequestError = (e: unknown): NetworkError => {
        const { code = 'UNKNOWN' } = errno(e);
        if (TLS_CODE.test(code)) {
          return new NetworkError(
            'TLS_FAILED',
            `Could not set up a trusted HTTPS connection to ${host} (${code}) while ${r.what}. Do not work around this: ` +
              `check the API URL, any proxy that intercepts HTTPS, and the system clock.`,
            { cause: e },
          );
        }
        if (phase === 'body') return truncatedOrReset(e);
        if (RESET_CODES.has(code)) {
          return new NetworkError(
            'CONNECTION_RESET',
            `The connection to ${host} was closed before Yoti answered while ${r.what}. Try again.`,
            { cause: e },
          );
        }
        return new NetworkError(
          'CONNECTION_FAILED',
          `Could not connect to ${host} (${code}) while ${r.what}. Check the network connection and the API URL.`,
          { cause: e },
        );
      };

      const options: http.RequestOptions = {
        protocol: this.#base.protocol,
        hostname: this.#base.hostname,
        port: this.#base.port,
        method: r.method,
        path: `${this.#base.basePath}${r.pathWithQuery}`,
        headers: r.headers,
        agent: this.#agent,
      };
      const req = this.#base.protocol === 'https:' ? https.request(options) : http.request(options);
      this.#inflight.set(req, fail);

      req.on('socket', (s: Socket) => {
        socket = s;
        s.on('error', onSocketError);
        if (settled) return;
        if (!s.connecting) {
          startHeadersTimer(); // reused keep-alive socket: already connected (and TLS-negotiated)
          return;
        }
        arm(
          connectMs,
          () =>
            new NetworkError(
              'CONNECT_TIMEOUT',
              `Could not connect to ${host} within ${formatMs(connectMs)} while ${r.what}. ` +
                `Check the network connection, proxy and firewall.`,
            ),
        );
        if (s instanceof TLSSocket) s.once('secureConnect', startHeadersTimer);
        else s.once('connect', startHeadersTimer);
      });

      req.on('error', (e) => fail(mapRequestError(e)));

      req.on('response', (res: IncomingMessage) => {
        if (settled) {
          res.resume();
          return;
        }
        phase = 'body';
        this.#onOutcome({ answered: true });
        const status = res.statusCode ?? 0;
        const success = status >= 200 && status < 300;
        const limit = success ? r.maxBodyBytes : ERROR_BODY_LIMIT;
        expected = parseContentLength(res.headers['content-length']);
        if (success && expected !== null && expected > limit) {
          fail(r.tooLarge(limit));
          return;
        }
        // Memory first: with a budget, the body is not read until its size is taken from it.
        const waitForBudget = success && status !== 204 && r.budget !== undefined;
        if (waitForBudget) res.pause();
        const armBodyTimer = (): void =>
          arm(
            bodyMs,
            () =>
              new NetworkError(
                'BODY_TIMEOUT',
                `The answer from ${host} did not finish within ${formatMs(bodyMs)} while ${r.what} ` +
                  `(${received} bytes received). The connection may be too slow; try again.`,
              ),
          );
        // A declared length is read into one buffer of that size (allocated with the first bytes): a
        // large image is never held twice.
        let whole: Buffer | null | undefined;
        const chunks: Buffer[] = [];
        const finish = (bodyTruncated: boolean): void => {
          if (settled) return;
          settled = true;
          cleanup();
          const body = whole instanceof Buffer && received === whole.length ? whole : Buffer.concat(chunks);
          resolve({ status, headers: res.headers, body, bodyTruncated, release });
        };
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          whole ??= expected !== null && expected <= limit ? Buffer.allocUnsafe(expected) : null;
          const room = limit - received;
          if (whole !== null && received + chunk.length <= whole.length) {
            chunk.copy(whole, received);
            received += chunk.length;
            return;
          }
          if (whole !== null && chunks.length === 0) chunks.push(whole.subarray(0, received)); // more than declared: collected as it comes
          received += chunk.length;
          if (received <= limit) {
            chunks.push(chunk);
            return;
          }
          if (success) {
            fail(r.tooLarge(limit));
            return;
          }
          // An oversized error page: keep its beginning, drop the rest with the connection.
          if (room > 0) chunks.push(chunk.subarray(0, room));
          finish(true);
          req.destroy();
        });
        res.on('end', () => {
          const bodyless = status === 204 || status === 304;
          if (!bodyless && expected !== null && received < expected) fail(truncatedOrReset(undefined));
          else finish(false);
        });
        res.on('error', (e) => fail(truncatedOrReset(e)));
        res.on('close', () => {
          if (!res.complete) fail(truncatedOrReset(socketError));
        });
        if (!waitForBudget) {
          armBodyTimer();
          return;
        }
        // Waiting for memory is not the server being slow: no timer runs until the body is read.
        clearTimer();
        void r.budget!.take(expected ?? limit).then((give) => {
          if (settled) return give();
          release = give;
          armBodyTimer();
          res.resume();
        });
      });

      req.end();
    });
  }
}

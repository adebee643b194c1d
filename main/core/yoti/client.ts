import type { KeyObject } from 'node:crypto';
import { ByteBudget } from '../async/byte-budget';
import { AppError, LocalError, UsageError } from '../../../common/errors';
import { forEachBounded } from '../async/bounded';
import {
  type ApiCallContext,
  apiErrorFromResponse,
  describeCall,
  NetworkError,
  ResponseError,
  RETRYABLE_NETWORK_CODES,
  YotiApiError,
} from './api-errors';
import { HttpTransport, parseBaseUrl, type RequestOutcome, type TransportResponse } from './http';
import { assertYotiId } from '../../../common/yoti-ids';
import { type AttemptOutcome, DEFAULT_RETRY_POLICY, parseRetryAfter, realSleep, type RetryPolicy, runWithRetry } from './retry';
import { signRequest } from './signing';
import { checkMediaType, normaliseContentType, type SniffedType } from './sniff';

/**
 * Signed client for the Yoti IDV API (retrieval and deletion), for the main process.
 *
 * - The base URL is the production URL unless the caller passes another one explicitly; no environment
 *   variable is ever read (threat T5). http is accepted only for loopback.
 * - Every id is validated before a path is built; a refused id sends nothing.
 * - Every attempt is signed afresh (new nonce and timestamp); GET and DELETE are retried on network
 *   failures, 429 and 5xx only.
 * - Bodies are capped (session JSON, media), media types are checked against the bytes.
 */

export const PRODUCTION_API_URL = 'https://api.yoti.com/idverify/v1';

export interface IdvClientOptions {
  sdkId: string;
  key: KeyObject;
  /** Defaults to PRODUCTION_API_URL. https, or http to 127.0.0.1 / localhost / [::1] only. */
  baseUrl?: string;
  timeouts?: { connectMs?: number; headersMs?: number; bodyMs?: number };
  maxMediaBytes?: number;
  maxSessionBytes?: number;
  retry?: { retries?: number; baseDelayMs?: number; maxDelayMs?: number; maxTotalMs?: number };
  mediaConcurrency?: number;
  /** Bytes of media bodies forEachMedia holds at once, downloaded or being stored (default 64 MiB); one larger item goes alone. */
  mediaBytesInFlight?: number;
  /** Extra trusted CA (PEM) on top of Node's bundled roots; for tests against a local https server. */
  ca?: string | Buffer;
  /** Injected for tests; defaults to setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected for tests; defaults to Math.random. Used for backoff jitter only. */
  random?: () => number;
  /** Injected for tests; defaults to Date.now. Used for the retry time budget and Retry-After dates (not for signing). */
  now?: () => number;
  /** Told whether each attempt got an answer from the API (the app's online state, main/core/yoti/reachability.ts). */
  onOutcome?: (outcome: RequestOutcome) => void;
}

export interface MediaContent {
  bytes: Buffer;
  /** The type to handle the bytes as: the declared type, or the sniffed one when none was declared. */
  mimeType: string;
  /** Content-Type as sent, parameters stripped, lower-cased; null when absent. */
  declaredType: string | null;
  sniffedType: SniffedType | null;
}

export type MediaResult =
  | { status: 'ok'; content: MediaContent }
  | { status: 'no-content' }
  | { status: 'error'; error: AppError };

export const DEFAULT_TIMEOUTS = Object.freeze({ connectMs: 10_000, headersMs: 30_000, bodyMs: 120_000 });
export const DEFAULT_MAX_MEDIA_BYTES = 50 * 1024 * 1024;
export const DEFAULT_MAX_SESSION_BYTES = 5 * 1024 * 1024;
/** A dozen 1 MB captures download together, 20 MiB images one at a time: a large session stays in bounded memory (issue 12). */
export const DEFAULT_MEDIA_BYTES_IN_FLIGHT = 32 * 1024 * 1024;
/**
 * Media downloads in flight at once. Each request waits one full round trip before its first byte, so
 * a session's media take ceil(items / concurrency) round trips; 12 covers a typical session (two
 * document pages with their frames, the photo, the fields, five liveness frames and the facemap) in
 * one, which keeps a fetch at the latency + bandwidth bound even at 300 ms (BENCHMARKS.md, part 1).
 * The keep-alive pool is this + 2 sockets.
 */
export const DEFAULT_MEDIA_CONCURRENCY = 12;
/** DELETE answers are empty or tiny. */
const MAX_DELETE_BODY_BYTES = 64 * 1024;

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB (${n} bytes)`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB (${n} bytes)`;
  return `${n} bytes`;
}

/** A server-supplied type, shown only if it looks like a MIME type. */
function showType(type: string | null): string {
  if (type === null) return 'no type';
  return /^[a-z0-9!#$&^_.+-]{1,64}\/[a-z0-9!#$&^_.+-]{1,64}$/.test(type) ? type : 'an unrecognised type';
}

function integerOption(value: number | undefined, fallback: number, name: string, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError('INVALID_OPTION', `The Yoti client option ${name} must be an integer from ${min} to ${max}.`);
  }
  return value;
}

type JsonResult = { body: Buffer; json: unknown };

export class IdvClient {
  readonly sdkId: string;
  /** Normalised base URL actually used (for display: the UI must show a non-production URL). */
  readonly baseUrl: string;
  readonly mediaConcurrency: number;
  readonly #mediaBudget: ByteBudget;
  readonly #key: KeyObject;
  readonly #transport: HttpTransport;
  readonly #policy: RetryPolicy;
  readonly #maxMediaBytes: number;
  readonly #maxSessionBytes: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;

  constructor(options: IdvClientOptions) {
    this.sdkId = assertYotiId(options.sdkId, 'SDK ID');
    const key = options.key as KeyObject | undefined;
    if (!key || typeof key !== 'object' || key.type !== 'private' || key.asymmetricKeyType !== 'rsa') {
      throw new UsageError('INVALID_KEY', 'The Yoti key must be an RSA private key (the .pem file from Yoti Hub).');
    }
    this.#key = key;
    const base = parseBaseUrl(options.baseUrl ?? PRODUCTION_API_URL);
    this.baseUrl = base.href;

    const day = 24 * 60 * 60 * 1000;
    const timeouts = {
      connectMs: integerOption(options.timeouts?.connectMs, DEFAULT_TIMEOUTS.connectMs, 'timeouts.connectMs', 1, day),
      headersMs: integerOption(options.timeouts?.headersMs, DEFAULT_TIMEOUTS.headersMs, 'timeouts.headersMs', 1, day),
      bodyMs: integerOption(options.timeouts?.bodyMs, DEFAULT_TIMEOUTS.bodyMs, 'timeouts.bodyMs', 1, day),
    };
    this.#maxMediaBytes = integerOption(options.maxMediaBytes, DEFAULT_MAX_MEDIA_BYTES, 'maxMediaBytes', 1, 2 ** 31);
    this.#maxSessionBytes = integerOption(options.maxSessionBytes, DEFAULT_MAX_SESSION_BYTES, 'maxSessionBytes', 1, 2 ** 31);
    this.#policy = Object.freeze({
      retries: integerOption(options.retry?.retries, DEFAULT_RETRY_POLICY.retries, 'retry.retries', 0, 20),
      baseDelayMs: integerOption(options.retry?.baseDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs, 'retry.baseDelayMs', 0, day),
      maxDelayMs: integerOption(options.retry?.maxDelayMs, DEFAULT_RETRY_POLICY.maxDelayMs, 'retry.maxDelayMs', 0, day),
      maxTotalMs: integerOption(options.retry?.maxTotalMs, DEFAULT_RETRY_POLICY.maxTotalMs, 'retry.maxTotalMs', 0, day),
    });
    this.mediaConcurrency = integerOption(options.mediaConcurrency, DEFAULT_MEDIA_CONCURRENCY, 'mediaConcurrency', 1, 32);
    this.#mediaBudget = new ByteBudget(integerOption(options.mediaBytesInFlight, DEFAULT_MEDIA_BYTES_IN_FLIGHT, 'mediaBytesInFlight', 1, 2 ** 31));
    this.#sleep = options.sleep ?? realSleep;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? Date.now;
    this.#transport = new HttpTransport({
      baseUrl: base,
      timeouts,
      // Room for a session or delete call next to a full batch of media downloads.
      maxSockets: this.mediaConcurrency + 2,
      ...(options.ca !== undefined ? { ca: options.ca } : {}),
      ...(options.onOutcome !== undefined ? { onOutcome: options.onOutcome } : {}),
    });
  }

  /** GET /sessions/{id}: the raw body (for the encrypted cache) and its parsed JSON. */
  async getSession(sessionId: string): Promise<JsonResult> {
    const sid = assertYotiId(sessionId, 'session ID');
    const result = await this.#getJson({ operation: 'get-session', sessionId: sid }, `/sessions/${sid}`);
    // Another session's evidence stored under this id would be reviewed as this person's: refuse it.
    const answered = typeof result.json === 'object' && result.json !== null ? (result.json as { session_id?: unknown }).session_id : undefined;
    if (typeof answered === 'string' && answered.toLowerCase() !== sid.toLowerCase()) {
      throw new ResponseError(
        'SESSION_ID_MISMATCH',
        `Yoti answered for session ${sid} with the data of another session (${answered.slice(0, 64)}), so nothing was stored.`,
      );
    }
    return result;
  }

  /** GET /sessions/{id}/configuration. */
  async getSessionConfiguration(sessionId: string): Promise<JsonResult> {
    const sid = assertYotiId(sessionId, 'session ID');
    return this.#getJson({ operation: 'get-configuration', sessionId: sid }, `/sessions/${sid}/configuration`);
  }

  /** GET /sessions/{id}/media/{mediaId}/content. Resolves null on 204 (Yoti has no content for it); 404 throws MEDIA_NOT_FOUND. */
  async getMediaContent(sessionId: string, mediaId: string): Promise<MediaContent | null> {
    return (await this.#getMedia(sessionId, mediaId)).content;
  }

  /** getMediaContent, its body read within `budget` when given; `release` gives that back. */
  async #getMedia(sessionId: string, mediaId: string, budget?: ByteBudget, sessionType?: string): Promise<{ content: MediaContent | null; release: () => void }> {
    const sid = assertYotiId(sessionId, 'session ID');
    const mid = assertYotiId(mediaId, 'media ID');
    const call: ApiCallContext = { operation: 'get-media', sessionId: sid, mediaId: mid };
    const limit = this.#maxMediaBytes;
    const res = await this.#send(call, 'GET', `/sessions/${sid}/media/${mid}/content`, {
      limit,
      tooLarge: (max) =>
        new ResponseError(
          'MEDIA_TOO_LARGE',
          `Media ${mid} of session ${sid} is larger than the ${formatBytes(max)} limit; the download was stopped. ` +
            `Raise the media size limit in Settings if this file is expected.`,
        ),
      success: (status) => status === 200 || status === 204,
      ...(budget === undefined ? {} : { budget }),
    });
    if (res.status === 204) return { content: null, release: res.release };
    const verdict = checkMediaType(res.headers['content-type'], res.body, sessionType);
    if (verdict.ok) {
      return { content: { bytes: res.body, mimeType: verdict.mimeType, declaredType: verdict.declaredType, sniffedType: verdict.sniffedType }, release: res.release };
    }
    res.release();
    const what = `Media ${mid} of session ${sid}`;
    switch (verdict.code) {
      case 'MEDIA_TYPE_UNKNOWN':
        throw new ResponseError(
          verdict.code,
          `${what} came without a Content-Type, its bytes are not a JPEG, PNG, PDF or JSON document, and the session does not declare it BINARY, so it was refused.`,
        );
      case 'MEDIA_TYPE_MISMATCH':
        throw new ResponseError(
          verdict.code,
          `${what} is declared as ${showType(verdict.declaredType)} but its bytes are ` +
            `${verdict.sniffedType === null ? 'not' : verdict.sniffedType}, so it was refused: ` +
            `it may be disguised content (for example HTML or SVG posing as an image).`,
        );
      case 'MEDIA_TYPE_NOT_ALLOWED':
        throw new ResponseError(
          verdict.code,
          `${what} is declared as ${showType(verdict.declaredType)}, which the console does not open ` +
            `(only JPEG, PNG, PDF, JSON and opaque binary media), so it was refused.`,
        );
    }
  }

  /** DELETE /sessions/{id}. Any 2xx is success. Yoti refuses this until the session is COMPLETED (SESSION_NOT_COMPLETED). */
  async deleteSession(sessionId: string): Promise<void> {
    const sid = assertYotiId(sessionId, 'session ID');
    await this.#delete({ operation: 'delete-session', sessionId: sid }, `/sessions/${sid}`);
  }

  /** DELETE /sessions/{id}/media/{mediaId}/content. Any 2xx is success. */
  async deleteMediaContent(sessionId: string, mediaId: string): Promise<void> {
    const sid = assertYotiId(sessionId, 'session ID');
    const mid = assertYotiId(mediaId, 'media ID');
    await this.#delete({ operation: 'delete-media', sessionId: sid, mediaId: mid }, `/sessions/${sid}/media/${mid}/content`);
  }

  /**
   * Downloads several media of one session, at most `mediaConcurrency` at a time, and hands each
   * result to `onItem` as it finishes; the worker waits for `onItem` before its next download, and a
   * body is read only within the client's budget of bytes in flight (mediaBytesInFlight), given back
   * when onItem is done with it: a caller that stores each item there holds a bounded amount of media. One failure
   * never fails the others: each id gets ok / no-content / error. Duplicate ids are fetched once. A
   * refused media id is an error result (nothing sent for it); a refused session id throws before
   * anything is sent. Once `signal` is aborted no further download starts (those in flight finish).
   * An exception from onItem stops the downloads and is thrown once the workers are done.
   */
  async forEachMedia(
    sessionId: string,
    mediaIds: string[],
    opts: {
      onItem: (mediaId: string, result: MediaResult) => Promise<void>;
      onProgress?: (done: number, total: number, mediaId: string) => void;
      signal?: AbortSignal;
      /** The type the session JSON gives each item (IMAGE, JSON, BINARY): a BINARY one may come without a Content-Type. */
      sessionTypes?: ReadonlyMap<string, string>;
    },
  ): Promise<void> {
    const sid = assertYotiId(sessionId, 'session ID');
    if (!Array.isArray(mediaIds)) throw new UsageError('INVALID_ARGUMENT', 'mediaIds must be an array of media ids.');
    const ids = [...new Set(mediaIds)];
    const stop = new AbortController();
    const stopped = (): boolean => stop.signal.aborted || opts.signal?.aborted === true;
    let failure: { error: unknown } | undefined;
    let done = 0;
    await forEachBounded(ids, this.mediaConcurrency, async (id) => {
      if (stopped()) return;
      let result: MediaResult;
      let release = (): void => undefined;
      try {
        const got = await this.#getMedia(sid, id, this.#mediaBudget, opts.sessionTypes?.get(id));
        release = got.release;
        result = got.content === null ? { status: 'no-content' } : { status: 'ok', content: got.content };
      } catch (error) {
        result = {
          status: 'error',
          error: error instanceof AppError ? error : new LocalError('UNEXPECTED_ERROR', `Unexpected failure while downloading media of session ${sid}.`, { cause: error }),
        };
      }
      try {
        await opts.onItem(id, result);
      } catch (error) {
        failure ??= { error };
        stop.abort();
        return;
      } finally {
        release();
      }
      done++;
      try {
        opts.onProgress?.(done, ids.length, id);
      } catch {
        // Progress reporting is advisory; a faulty callback must not abort the downloads.
      }
    });
    if (failure !== undefined) throw failure.error;
  }

  /** Like forEachMedia, keeping every result (content included) in a map in the order of first appearance. */
  async fetchAllMedia(sessionId: string, mediaIds: string[], onProgress?: (done: number, total: number, mediaId: string) => void): Promise<Map<string, MediaResult>> {
    const results = new Map<string, MediaResult>();
    await this.forEachMedia(sessionId, mediaIds, { onItem: (id, r) => Promise.resolve(void results.set(id, r)), ...(onProgress ? { onProgress } : {}) });
    const ordered = new Map<string, MediaResult>();
    for (const id of new Set(mediaIds)) {
      const r = results.get(id);
      if (r) ordered.set(id, r);
    }
    return ordered;
  }

  /** Destroys the keep-alive agent; requests in flight fail with CLIENT_CLOSED, later calls too. */
  close(): void {
    this.#transport.close();
  }

  async #getJson(call: ApiCallContext, path: string): Promise<JsonResult> {
    const res = await this.#send(call, 'GET', path, {
      limit: this.#maxSessionBytes,
      tooLarge: (max) =>
        new ResponseError(
          'RESPONSE_TOO_LARGE',
          `Yoti's answer while ${describeCall(call)} is larger than the ${formatBytes(max)} limit; it was not read to the end.`,
        ),
      success: (status) => status === 200,
    });
    const text = res.body.toString('utf8').replace(/^\uFEFF/, '');
    try {
      return { body: res.body, json: JSON.parse(text) as unknown };
    } catch {
      const type = showType(normaliseContentType(res.headers['content-type']));
      throw new ResponseError(
        'INVALID_JSON',
        `Yoti's answer while ${describeCall(call)} is not valid JSON (${type}, ${res.body.length} bytes). ` +
          `Check that the API URL points at the Yoti IDV API and that no proxy or captive portal answers instead.`,
      );
    }
  }

  async #delete(call: ApiCallContext, path: string): Promise<void> {
    await this.#send(call, 'DELETE', path, {
      limit: MAX_DELETE_BODY_BYTES,
      tooLarge: (max) =>
        new ResponseError(
          'RESPONSE_TOO_LARGE',
          `Yoti's answer while ${describeCall(call)} is larger than the ${formatBytes(max)} limit; it was not read to the end.`,
        ),
      // DELETE is idempotent: when an earlier attempt got no definitive answer (the connection
      // dropped, or Yoti answered 5xx/429), "not found" on a retry means it is gone, which is
      // what was asked. A 404 on the first attempt is still an error.
      success: (status, attemptIndex) => (status >= 200 && status < 300) || (status === 404 && attemptIndex > 0),
    });
  }

  /** One logical request: signed afresh on every attempt, retried per the policy, non-success mapped to YotiApiError. */
  #send(
    call: ApiCallContext,
    method: 'GET' | 'DELETE',
    path: string,
    body: { limit: number; tooLarge: (limit: number) => AppError; success: (status: number, attemptIndex: number) => boolean; budget?: ByteBudget },
  ): Promise<TransportResponse> {
    const what = describeCall(call);
    return runWithRetry(
      {
        method,
        policy: this.#policy,
        sleep: this.#sleep,
        random: this.#random,
        now: this.#now,
        classify,
        stopped: () =>
          this.#transport.closed
            ? new NetworkError('CLIENT_CLOSED', `The Yoti client is closed; nothing was sent while ${what}.`)
            : undefined,
      },
      async (attemptIndex) => {
        const signed = signRequest({ method, path, query: [['sdkId', this.sdkId]], key: this.#key });
        const res = await this.#transport.request({
          method,
          pathWithQuery: signed.pathWithQuery,
          headers: signed.headers,
          maxBodyBytes: body.limit,
          tooLarge: body.tooLarge,
          what,
          ...(body.budget === undefined ? {} : { budget: body.budget }),
        });
        if (body.success(res.status, attemptIndex)) return res;
        res.release();
        throw apiErrorFromResponse({
          status: res.status,
          body: res.body,
          call,
          sdkId: this.sdkId,
          retryAfterMs: parseRetryAfter(res.headers['retry-after'], this.#now()),
        });
      },
    );
  }
}

function classify(error: unknown): AttemptOutcome {
  if (error instanceof NetworkError) return RETRYABLE_NETWORK_CODES.has(error.code) ? { kind: 'network' } : { kind: 'fatal' };
  if (error instanceof YotiApiError) return { kind: 'status', status: error.status, retryAfterMs: error.retryAfterMs ?? null };
  return { kind: 'fatal' };
}

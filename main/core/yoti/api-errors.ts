import { redact } from '../redact';
import { AppError } from '../../../common/errors';

/**
 * Errors from talking to Yoti. Every message says what happened and what to do, and names the session
 * and media ids involved, but never the request URL, its query (sdkId/nonce/timestamp), the digest,
 * the headers or the key. Text that comes back from the server is redacted the same way before it is
 * kept, because a proxy or a hostile server may echo the request back.
 */

/** One entry of Yoti's `errors[]` (`{property, message}`), e.g. a failed payload validation. */
export interface YotiErrorDetail {
  property?: string;
  message?: string;
}

/** What the client was doing when the error happened; drives the code (SESSION vs MEDIA) and the message. */
export type ApiOperation = 'get-session' | 'get-media' | 'delete-session' | 'delete-media' | 'get-configuration';

export interface ApiCallContext {
  operation: ApiOperation;
  sessionId: string;
  mediaId?: string;
}

/** The server answered, but with a status that is not a success for this call. */
export class YotiApiError extends AppError {
  override readonly name = 'YotiApiError';
  readonly status: number;
  readonly yotiCode?: string;
  readonly yotiMessage?: string;
  readonly errors: YotiErrorDetail[];
  /** The body as text (first 2 KB, redacted), only when it was not a JSON object. */
  readonly rawText?: string;
  /** Parsed `Retry-After`, in ms, when the server sent one. */
  readonly retryAfterMs?: number;

  constructor(init: {
    code: string;
    message: string;
    status: number;
    yotiCode?: string;
    yotiMessage?: string;
    errors?: YotiErrorDetail[];
    rawText?: string;
    retryAfterMs?: number;
  }) {
    super(init.code, init.message, 'remote');
    this.status = init.status;
    if (init.yotiCode !== undefined) this.yotiCode = init.yotiCode;
    if (init.yotiMessage !== undefined) this.yotiMessage = init.yotiMessage;
    this.errors = init.errors ?? [];
    if (init.rawText !== undefined) this.rawText = init.rawText;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }
}

/** Codes a NetworkError can carry. */
export type NetworkErrorCode =
  | 'CONNECT_TIMEOUT'
  | 'HEADERS_TIMEOUT'
  | 'BODY_TIMEOUT'
  | 'CONNECTION_FAILED'
  | 'CONNECTION_RESET'
  | 'TRUNCATED_BODY'
  | 'TLS_FAILED'
  | 'CLIENT_CLOSED';

/** No usable HTTP answer: the connection failed, timed out, was reset or cut short. */
export class NetworkError extends AppError {
  override readonly name = 'NetworkError';
  declare readonly code: NetworkErrorCode;
  constructor(code: NetworkErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, 'remote', options);
  }
}

/** Network failures worth another attempt. TLS failures and a closed client are not. */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set<NetworkErrorCode>([
  'CONNECT_TIMEOUT',
  'HEADERS_TIMEOUT',
  'BODY_TIMEOUT',
  'CONNECTION_FAILED',
  'CONNECTION_RESET',
  'TRUNCATED_BODY',
]);

/** Codes for a 2xx answer whose body we refuse (too large, not JSON, wrong or unknown media type). */
export type ResponseErrorCode =
  | 'INVALID_JSON'
  | 'SESSION_ID_MISMATCH'
  | 'RESPONSE_TOO_LARGE'
  | 'MEDIA_TOO_LARGE'
  | 'MEDIA_TYPE_UNKNOWN'
  | 'MEDIA_TYPE_MISMATCH'
  | 'MEDIA_TYPE_NOT_ALLOWED'
  | 'SESSION_TOO_LARGE';

/** The server answered with a success status, but the body cannot be accepted. Never retried. */
export class ResponseError extends AppError {
  override readonly name = 'ResponseError';
  declare readonly code: ResponseErrorCode;
  constructor(code: ResponseErrorCode, message: string) {
    super(code, message, 'remote');
  }
}

export const RAW_TEXT_LIMIT = 2048;
const SHOWN_TEXT_LIMIT = 300;

function shorten(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/** Describes the call in words, with the ids, for messages. */
export function describeCall(call: ApiCallContext): string {
  const media = call.mediaId ?? '(unknown)';
  switch (call.operation) {
    case 'get-session':
      return `reading session ${call.sessionId}`;
    case 'get-configuration':
      return `reading the configuration of session ${call.sessionId}`;
    case 'get-media':
      return `downloading media ${media} of session ${call.sessionId}`;
    case 'delete-session':
      return `deleting session ${call.sessionId}`;
    case 'delete-media':
      return `deleting media ${media} of session ${call.sessionId}`;
  }
}

interface ParsedBody {
  yotiCode?: string;
  yotiMessage?: string;
  errors: YotiErrorDetail[];
  rawText?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keeps Yoti's `{code, message, errors[]}` when the body is a JSON object, the raw text (2 KB) otherwise. */
export function parseErrorBody(body: Buffer): ParsedBody {
  if (body.length === 0) return { errors: [] };
  const text = body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed)) {
    return { errors: [], rawText: redact(body.subarray(0, RAW_TEXT_LIMIT).toString('utf8')) };
  }
  const out: ParsedBody = { errors: [] };
  if (typeof parsed.code === 'string') out.yotiCode = shorten(redact(parsed.code), 200);
  if (typeof parsed.message === 'string') out.yotiMessage = shorten(redact(parsed.message), RAW_TEXT_LIMIT);
  if (Array.isArray(parsed.errors)) {
    for (const item of parsed.errors.slice(0, 50)) {
      if (!isRecord(item)) continue;
      const detail: YotiErrorDetail = {};
      if (typeof item.property === 'string') detail.property = shorten(redact(item.property), 200);
      if (typeof item.message === 'string') detail.message = shorten(redact(item.message), 500);
      out.errors.push(detail);
    }
  }
  return out;
}

function yotiSaid(body: ParsedBody): string {
  const parts: string[] = [];
  if (body.yotiCode) parts.push(body.yotiCode);
  if (body.yotiMessage) parts.push(body.yotiMessage);
  let said = parts.join(' - ');
  const details = body.errors
    .filter((e) => e.property !== undefined || e.message !== undefined)
    .slice(0, 3)
    .map((e) => [e.property, e.message].filter((p) => p !== undefined).join(' '));
  if (details.length > 0) said += `${said ? ': ' : ''}${details.join('; ')}`;
  said = shorten(said.trim(), SHOWN_TEXT_LIMIT);
  return said ? ` Yoti said: ${said}.` : '';
}

/**
 * Maps a non-success answer to a YotiApiError with a code the UI can branch on and a message that
 * tells the reviewer what to do.
 */
export function apiErrorFromResponse(input: {
  status: number;
  body: Buffer;
  call: ApiCallContext;
  sdkId: string;
  retryAfterMs?: number | null;
}): YotiApiError {
  const { status, call, sdkId } = input;
  const body = parseErrorBody(input.body);
  const what = describeCall(call);
  const isDelete = call.operation === 'delete-session' || call.operation === 'delete-media';
  const isMedia = call.operation === 'get-media' || call.operation === 'delete-media';
  const retryAfterMs = input.retryAfterMs ?? undefined;

  let code: string;
  let message: string;
  if (isDelete && (status === 409 || (status >= 400 && status < 500 && body.yotiCode === 'SESSION_NOT_COMPLETED'))) {
    code = 'SESSION_NOT_COMPLETED';
    message =
      `Yoti refused ${what}: the session is not completed yet, and Yoti deletes a session only once it is COMPLETED ` +
      `(the same holds for its media). Try again once the user has finished the session or it has expired.`;
  } else if (status === 400) {
    code = 'MALFORMED_REQUEST';
    message =
      `Yoti rejected the request as malformed (HTTP 400) while ${what}. The ids may not be valid Yoti ids, ` +
      `or this version of the console sends something Yoti no longer accepts; report it with the details below.`;
  } else if (status === 401) {
    code = 'UNAUTHORIZED';
    message =
      `Yoti refused the signature: this key does not belong to SDK ID ${sdkId}, or it is a sandbox key used against ` +
      `production (or the reverse). Check the SDK ID and the key file in Settings, and that the API URL matches the ` +
      `environment they come from (HTTP 401 while ${what}).`;
  } else if (status === 403) {
    code = 'APP_DISABLED';
    message =
      `Yoti refused access for SDK ID ${sdkId} (HTTP 403 while ${what}): the application is disabled or has no ` +
      `organisation. Ask whoever administers the application in Yoti Hub to check that it is active.`;
  } else if (status === 404 && body.yotiCode === 'APP_NOT_FOUND') {
    code = 'APP_NOT_FOUND';
    message =
      `Yoti does not know an application with SDK ID ${sdkId} in this environment (APP_NOT_FOUND while ${what}). ` +
      `Check the SDK ID, and that sandbox credentials are not used against production (or the reverse).`;
  } else if (status === 404) {
    code = isMedia ? 'MEDIA_NOT_FOUND' : 'SESSION_NOT_FOUND';
    message = isMedia
      ? `Yoti has no media ${call.mediaId ?? ''} in session ${call.sessionId} (HTTP 404). It may have been deleted, ` +
        `or it is past Yoti's retention period.`
      : `Yoti has no session ${call.sessionId} for SDK ID ${sdkId} (HTTP 404 while ${what}). Yoti deletes a session and all ` +
        `its media by itself once the retention period set when the session was created is over; it may also have been ` +
        `deleted (at Yoti or from this console), or it belongs to another application.`;
  } else if (status === 429) {
    code = 'RATE_LIMITED';
    const wait = retryAfterMs !== undefined ? ` Yoti asked to wait ${Math.ceil(retryAfterMs / 1000)} s.` : '';
    message = `Yoti is rate limiting this application (HTTP 429 while ${what}). Wait a little and try again.${wait}`;
  } else if (status === 503) {
    code = 'SERVICE_UNAVAILABLE';
    message = `Yoti is temporarily unavailable (HTTP 503 while ${what}). Try again in a few minutes.`;
  } else if (status >= 500 && status <= 599) {
    code = 'SERVER_ERROR';
    message =
      `Yoti had an internal error (HTTP ${status} while ${what}). Try again later; if it persists, contact Yoti ` +
      `support and quote session ${call.sessionId}.`;
  } else {
    code = 'UNEXPECTED_STATUS';
    const redirect = status >= 300 && status < 400 ? ' Redirects are never followed, so check the API URL.' : '';
    message = `Yoti answered HTTP ${status} while ${what}, which the console does not expect.${redirect}`;
  }

  const init: ConstructorParameters<typeof YotiApiError>[0] = {
    code,
    message: message + yotiSaid(body),
    status,
    errors: body.errors,
  };
  if (body.yotiCode !== undefined) init.yotiCode = body.yotiCode;
  if (body.yotiMessage !== undefined) init.yotiMessage = body.yotiMessage;
  if (body.rawText !== undefined) init.rawText = body.rawText;
  if (retryAfterMs !== undefined) init.retryAfterMs = retryAfterMs;
  return new YotiApiError(init);
}

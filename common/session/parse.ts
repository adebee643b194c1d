import { AppError } from '../errors';
import { scanJson } from './json-guard';
import { SessionSchema, type Session } from './schema';
import { collectDropped, formatPath, type Problem } from './tolerant';

export type { Problem } from './tolerant';

/** Bounds against hostile or broken responses. */
export const SESSION_LIMITS = {
  /** Largest session text accepted, in bytes (UTF-8). */
  maxBytes: 5 * 1024 * 1024,
  /** Deepest nesting of objects and arrays accepted; the top-level object is depth 1. */
  maxDepth: 64,
  /** Longer arrays are cut to this length, and a problem is recorded. */
  maxArrayLength: 10_000,
  /** Most values (of any kind) visited when the input is an object rather than text (5 MiB of JSON text holds fewer). */
  maxNodes: 3_000_000,
} as const;

export interface ParsedSession {
  session: Session;
  /** What could not be used and was dropped, truncated or replaced, with where it was. */
  problems: Problem[];
}

const remote = (code: string, message: string, cause?: unknown): AppError =>
  new AppError(code, message, 'remote', cause === undefined ? undefined : { cause });

/**
 * Reads a GET /sessions/{id} response tolerantly.
 *
 * Text (string or bytes) is checked for size, syntax and depth before `JSON.parse`; an already
 * parsed value is checked for depth and size while it is copied. Arrays over the length limit are
 * cut. Then the tolerant schema keeps everything usable and reports what was not.
 *
 * Throws AppError (kind 'remote'): SESSION_TOO_LARGE, INVALID_SESSION_JSON (with the position),
 * SESSION_TOO_DEEP, INVALID_SESSION (top level not an object).
 */
export function parseSession(input: Uint8Array | string): ParsedSession;
export function parseSession(input: unknown): ParsedSession;
export function parseSession(input: unknown): ParsedSession {
  const problems: Problem[] = [];
  const value = typeof input === 'string' || input instanceof Uint8Array ? parseText(input) : input;
  const copy = sanitize(value, problems);
  if (copy === null || typeof copy !== 'object' || Array.isArray(copy)) {
    const what = copy === null ? 'null' : Array.isArray(copy) ? 'an array' : typeof copy;
    throw remote('INVALID_SESSION', `The session response is not a JSON object (it is ${what}).`);
  }
  const session = SessionSchema.parse(copy);
  problems.push(...collectDropped(session));
  return { session, problems };
}

function parseText(input: string | Uint8Array): unknown {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input).byteLength : input.byteLength;
  if (bytes > SESSION_LIMITS.maxBytes) {
    throw remote('SESSION_TOO_LARGE', `The session response is ${bytes} bytes; at most ${SESSION_LIMITS.maxBytes} are accepted.`);
  }
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch (e) {
      throw remote('INVALID_SESSION_JSON', 'The session response is not valid UTF-8 text.', e);
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const scan = scanJson(text, SESSION_LIMITS.maxDepth);
  if (!scan.ok) {
    const at = `at position ${scan.position} (line ${scan.line}, column ${scan.column})`;
    if (scan.kind === 'depth') {
      throw remote('SESSION_TOO_DEEP', `The session response nests deeper than ${SESSION_LIMITS.maxDepth} levels ${at}; refused.`);
    }
    throw remote('INVALID_SESSION_JSON', `The session response is not valid JSON ${at}: expected ${scan.expected}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    // The scan accepts only valid JSON, so this is not expected; keep V8's position, never its quote of the text.
    const pos = /position (\d+)/.exec(e instanceof Error ? e.message : '')?.[1];
    throw remote('INVALID_SESSION_JSON', `The session response is not valid JSON${pos === undefined ? '' : ` at position ${pos}`}.`, e);
  }
}

const DROP: unique symbol = Symbol('drop');

/**
 * Copies a JSON-like value with the bounds applied: depth (throws), array length (cuts, records),
 * total size (throws), `__proto__` keys (drops, records), and values JSON cannot hold (drops, records).
 * The copy is ours, so later steps may change it without touching the caller's object.
 */
function sanitize(root: unknown, problems: Problem[]): unknown {
  let nodes = 0;
  const path: (string | number)[] = [];
  const copy = (value: unknown, depth: number): unknown => {
    if (++nodes > SESSION_LIMITS.maxNodes) {
      throw remote('SESSION_TOO_LARGE', `The session response holds more than ${SESSION_LIMITS.maxNodes} values; refused.`);
    }
    if (value === undefined) return DROP; // absent, as in JSON: nothing to report
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number') return Number.isFinite(value) ? value : dropped(`a non-finite number`);
    if (typeof value !== 'object') return dropped(`a value of type ${typeof value}, which JSON cannot hold`);
    if (depth + 1 > SESSION_LIMITS.maxDepth) {
      throw remote('SESSION_TOO_DEEP', `The session response nests deeper than ${SESSION_LIMITS.maxDepth} levels at ${formatPath(path)}; refused.`);
    }
    if (Array.isArray(value)) {
      const items: unknown[] = value;
      if (items.length > SESSION_LIMITS.maxArrayLength) {
        problems.push({
          path: formatPath(path),
          message: `array of ${items.length} items cut to the first ${SESSION_LIMITS.maxArrayLength}`,
        });
      }
      const out: unknown[] = [];
      const count = Math.min(items.length, SESSION_LIMITS.maxArrayLength);
      for (let i = 0; i < count; i++) {
        path.push(i);
        const item = copy(items[i], depth + 1);
        path.pop();
        out.push(item === DROP ? null : item);
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      path.push(key);
      if (key === '__proto__') {
        problems.push({ path: formatPath(path), message: 'dropped: a "__proto__" key is never copied' });
      } else {
        const item = copy((value as Record<string, unknown>)[key], depth + 1);
        if (item !== DROP) out[key] = item;
      }
      path.pop();
    }
    return out;
  };
  const dropped = (what: string): typeof DROP => {
    problems.push({ path: formatPath(path), message: `dropped: ${what}` });
    return DROP;
  };
  const result = copy(root, 0);
  return result === DROP ? undefined : result;
}

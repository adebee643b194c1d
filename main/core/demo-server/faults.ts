import { setTimeout as delay } from 'node:timers/promises';

/**
 * Fault injection for the demo server. A rule matches requests by route name (and optionally session
 * and media id); every matching rule applies its knobs, and a rule with `times` applies to the next N
 * matching requests only. A global bandwidth cap (token bucket) is shared by all concurrent responses.
 */
export type RouteName =
  | 'session'
  | 'media'
  | 'deleteSession'
  | 'deleteMedia'
  | 'configuration'
  | 'sessionResponseConfig'
  | 'appResponseConfig'
  | 'createSession'
  | 'unknown';

export interface FaultRule {
  /** Route name, or '*' for every route. */
  route: RouteName | '*';
  sessionId?: string;
  mediaId?: string;
  /** Apply to the next N matching requests, then stop (default: always). */
  times?: number;
  /** Wait this long before answering. */
  latencyMs?: number;
  /** Throttle this response's body to this rate. */
  bandwidthBytesPerSec?: number;
  /** Answer 429 with `Retry-After` (seconds) instead of handling the request. */
  status429?: { retryAfterSeconds: number };
  /** Answer with this 5xx instead of handling the request. */
  status5xx?: { status: 500 | 502 | 503 | 504 };
  /** Send the headers and part of the body (`afterBytes`, default half), then reset the connection. */
  resetMidBody?: true | { afterBytes?: number };
  /** Declare the full Content-Length but send only part of the body (`sendBytes`, default half), then close. */
  truncateBody?: true | { sendBytes?: number };
  /** Send no Content-Type header. */
  omitContentType?: true;
  /** Answer a media GET with 204 and no body. */
  media204?: true;
  /** Declare the wrong Content-Type: a given value, or `true` to swap (PNG↔JPEG, anything else → image/jpeg). */
  wrongContentType?: true | string;
}

export interface FaultRules {
  rules?: FaultRule[];
  /** Total body bandwidth across all concurrent responses (e.g. 25_000_000 for 200 Mbit/s). */
  globalBandwidthBytesPerSec?: number;
}

/** What applies to one request: the knobs of every matching rule merged (later rules win per knob). */
export interface AppliedFaults {
  latencyMs?: number;
  bandwidthBytesPerSec?: number;
  status429?: { retryAfterSeconds: number };
  status5xx?: { status: 500 | 502 | 503 | 504 };
  resetMidBody?: { afterBytes?: number };
  truncateBody?: { sendBytes?: number };
  omitContentType?: boolean;
  media204?: boolean;
  wrongContentType?: true | string;
  /** Names of the knobs applied, for the request log. */
  names: string[];
}

const KNOBS = [
  'latencyMs',
  'bandwidthBytesPerSec',
  'status429',
  'status5xx',
  'resetMidBody',
  'truncateBody',
  'omitContentType',
  'media204',
  'wrongContentType',
] as const;

/** Checks a rule set; throws a RangeError naming the bad rule. */
export function validateFaultRules(rules: FaultRules): void {
  const positive = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0;
  if (rules.globalBandwidthBytesPerSec !== undefined && !positive(rules.globalBandwidthBytesPerSec)) {
    throw new RangeError('globalBandwidthBytesPerSec must be a positive number');
  }
  (rules.rules ?? []).forEach((r, i) => {
    const where = `rules[${i}]`;
    if (typeof r.route !== 'string') throw new RangeError(`${where}.route is required`);
    if (r.times !== undefined && !(Number.isInteger(r.times) && r.times >= 0)) throw new RangeError(`${where}.times must be a whole number`);
    if (r.latencyMs !== undefined && !(typeof r.latencyMs === 'number' && r.latencyMs >= 0)) throw new RangeError(`${where}.latencyMs must be ≥ 0`);
    if (r.bandwidthBytesPerSec !== undefined && !positive(r.bandwidthBytesPerSec)) throw new RangeError(`${where}.bandwidthBytesPerSec must be > 0`);
    if (r.status5xx && ![500, 502, 503, 504].includes(r.status5xx.status)) throw new RangeError(`${where}.status5xx.status must be 500, 502, 503 or 504`);
    if (r.status429 && !(Number.isInteger(r.status429.retryAfterSeconds) && r.status429.retryAfterSeconds >= 0)) {
      throw new RangeError(`${where}.status429.retryAfterSeconds must be a whole number ≥ 0`);
    }
  });
}

interface LiveRule {
  rule: FaultRule;
  remaining: number;
}

export class FaultEngine {
  private live: LiveRule[] = [];
  private bucket: TokenBucket | undefined;

  constructor(rules: FaultRules = {}) {
    this.set(rules);
  }

  set(rules: FaultRules): void {
    validateFaultRules(rules);
    this.live = (rules.rules ?? []).map((rule) => ({ rule: { ...rule }, remaining: rule.times ?? Number.POSITIVE_INFINITY }));
    this.bucket = rules.globalBandwidthBytesPerSec ? new TokenBucket(rules.globalBandwidthBytesPerSec) : undefined;
  }

  get globalBucket(): TokenBucket | undefined {
    return this.bucket;
  }

  /** Selects (and counts down) the rules matching this request. */
  select(route: RouteName, ids: { sessionId?: string; mediaId?: string }): AppliedFaults {
    const out: AppliedFaults = { names: [] };
    for (const lr of this.live) {
      const r = lr.rule;
      if (lr.remaining <= 0) continue;
      if (r.route !== '*' && r.route !== route) continue;
      if (r.sessionId !== undefined && r.sessionId !== ids.sessionId) continue;
      if (r.mediaId !== undefined && r.mediaId !== ids.mediaId) continue;
      lr.remaining -= 1;
      if (r.latencyMs !== undefined) out.latencyMs = r.latencyMs;
      if (r.bandwidthBytesPerSec !== undefined) out.bandwidthBytesPerSec = r.bandwidthBytesPerSec;
      if (r.status429) out.status429 = r.status429;
      if (r.status5xx) out.status5xx = r.status5xx;
      if (r.resetMidBody) out.resetMidBody = r.resetMidBody === true ? {} : r.resetMidBody;
      if (r.truncateBody) out.truncateBody = r.truncateBody === true ? {} : r.truncateBody;
      if (r.omitContentType) out.omitContentType = true;
      if (r.media204) out.media204 = true;
      if (r.wrongContentType) out.wrongContentType = r.wrongContentType;
      for (const k of KNOBS) if (r[k] !== undefined && !out.names.includes(k)) out.names.push(k);
    }
    return out;
  }
}

/**
 * A token bucket in its virtual-scheduling (GCRA) form: each take(n) reserves n bytes of transmission
 * time on a shared timeline and waits until its slot starts (less a small burst allowance), so the
 * first chunk goes out at once and each further chunk waits for the ones before it. Concurrent takers
 * queue in order, so several responses share the rate fairly chunk by chunk.
 */
export interface BucketClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const realClock: BucketClock = {
  now: () => performance.now(),
  sleep: (ms, signal) => delay(ms, undefined, signal ? { signal } : undefined),
};

export class TokenBucket {
  private tat = 0;

  constructor(
    readonly bytesPerSec: number,
    private readonly burstMs = 20,
    private readonly clock: BucketClock = realClock,
  ) {}

  /** Resolves when `n` bytes may be sent. */
  async take(n: number, signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    const start = Math.max(this.tat, now);
    this.tat = start + (n * 1000) / this.bytesPerSec;
    const wait = start - this.burstMs - now;
    if (wait > 1) await this.clock.sleep(wait, signal);
  }

  /** Chunk size that keeps the pacing smooth: about 20 ms of transmission, between 16 bytes and 64 KiB. */
  chunkSize(): number {
    return Math.max(16, Math.min(65536, Math.floor(this.bytesPerSec / 50)));
  }
}

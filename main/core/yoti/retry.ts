/**
 * Retry policy for Yoti requests. Pure: time, sleep and randomness are injected.
 *
 * Only idempotent GET and DELETE are retried, and only on network failures, 429 and 5xx. Backoff is
 * exponential with full jitter; a server's Retry-After (429/503) is honoured up to maxDelayMs. The
 * number of retries and the total time are both bounded; when either runs out the last error is thrown.
 */

export interface RetryPolicy {
  /** Retries after the first attempt (so at most retries + 1 attempts). */
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** No retry starts (or would end its wait) later than this many ms after the first attempt began. */
  readonly maxTotalMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  retries: 4,
  baseDelayMs: 250,
  maxDelayMs: 8000,
  maxTotalMs: 30_000,
});

/** How an attempt failed, as far as retrying is concerned. */
export type AttemptOutcome =
  | { kind: 'network' }
  | { kind: 'status'; status: number; retryAfterMs?: number | null }
  | { kind: 'fatal' };

export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: 'method' | 'not-retryable' | 'attempts' | 'time' };

const IDEMPOTENT = new Set(['GET', 'DELETE', 'HEAD']);

export function isRetryableMethod(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

/** 429 and every 5xx. Never any other 4xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/**
 * Parses Retry-After: delay-seconds (non-negative integer) or an HTTP-date. Returns ms to wait
 * (0 for a date in the past), or null when absent or unparseable.
 */
export function parseRetryAfter(value: string | readonly string[] | undefined | null, nowMs: number): number | null {
  const raw = typeof value === 'string' ? value : value?.[0];
  if (typeof raw !== 'string') return null;
  const text = raw.trim();
  if (text === '') return null;
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds) ? seconds * 1000 : null;
  }
  // An HTTP-date always names the day or month in letters; refuse "1.5", "-3" and other numbers Date.parse accepts.
  if (!/[A-Za-z]{3}/.test(text)) return null;
  const at = Date.parse(text);
  if (!Number.isFinite(at)) return null;
  return Math.max(0, at - nowMs);
}

function clampUnit(x: number): number {
  if (!Number.isFinite(x) || x < 0) return 0;
  return x >= 1 ? 1 - Number.EPSILON : x;
}

/** Full jitter: uniform in [0, min(maxDelayMs, baseDelayMs · 2^retryIndex)). retryIndex starts at 0. */
export function backoffDelayMs(retryIndex: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(retryIndex, 30));
  return Math.floor(clampUnit(random()) * ceiling);
}

export function decideRetry(input: {
  method: string;
  outcome: AttemptOutcome;
  /** Retries already made (0 after the first attempt failed). */
  retriesSoFar: number;
  /** Time since the first attempt started. */
  elapsedMs: number;
  policy: RetryPolicy;
  random: () => number;
}): RetryDecision {
  const { outcome, policy } = input;
  if (!isRetryableMethod(input.method)) return { retry: false, reason: 'method' };
  if (outcome.kind === 'fatal') return { retry: false, reason: 'not-retryable' };
  if (outcome.kind === 'status' && !isRetryableStatus(outcome.status)) return { retry: false, reason: 'not-retryable' };
  if (input.retriesSoFar >= policy.retries) return { retry: false, reason: 'attempts' };

  let delayMs = backoffDelayMs(input.retriesSoFar, policy, input.random);
  if (
    outcome.kind === 'status' &&
    (outcome.status === 429 || outcome.status === 503) &&
    typeof outcome.retryAfterMs === 'number' &&
    Number.isFinite(outcome.retryAfterMs)
  ) {
    delayMs = Math.min(Math.max(0, outcome.retryAfterMs), policy.maxDelayMs);
  }
  if (input.elapsedMs + delayMs > policy.maxTotalMs) return { retry: false, reason: 'time' };
  return { retry: true, delayMs };
}

export interface RetryRuntime {
  method: string;
  policy: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
  classify: (error: unknown) => AttemptOutcome;
  /** Checked before every attempt; a returned error is thrown at once (e.g. the client was closed). */
  stopped?: () => Error | undefined;
}

/** Runs attempt(0), attempt(1)… until one succeeds or the policy says stop; then throws the last error. */
export async function runWithRetry<T>(runtime: RetryRuntime, attempt: (attemptIndex: number) => Promise<T>): Promise<T> {
  const started = runtime.now();
  for (let index = 0; ; index++) {
    const stop = runtime.stopped?.();
    if (stop) throw stop;
    try {
      return await attempt(index);
    } catch (error) {
      const decision = decideRetry({
        method: runtime.method,
        outcome: runtime.classify(error),
        retriesSoFar: index,
        elapsedMs: Math.max(0, runtime.now() - started),
        policy: runtime.policy,
        random: runtime.random,
      });
      if (!decision.retry) throw error;
      await runtime.sleep(decision.delayMs);
    }
  }
}

export const realSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

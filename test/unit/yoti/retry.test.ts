import { describe, expect, test } from 'vitest';
import {
  type AttemptOutcome,
  backoffDelayMs,
  decideRetry,
  DEFAULT_RETRY_POLICY,
  isRetryableMethod,
  isRetryableStatus,
  parseRetryAfter,
  type RetryPolicy,
  runWithRetry,
} from '../../../main/core/yoti/retry';

const policy: RetryPolicy = { retries: 4, baseDelayMs: 250, maxDelayMs: 8000, maxTotalMs: 30_000 };
const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const half = (): number => 0.5;

describe('defaults', () => {
  test('match the documented policy', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual(policy);
    expect(Object.isFrozen(DEFAULT_RETRY_POLICY)).toBe(true);
  });
});

describe('parseRetryAfter', () => {
  test.each([
    ['0', 0],
    ['3', 3000],
    [' 120 ', 120_000],
  ] as const)('delay-seconds %j → %d ms', (value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  test('HTTP-date in the future, IMF-fixdate and RFC 850 forms', () => {
    expect(parseRetryAfter(new Date(NOW + 7000).toUTCString(), NOW)).toBe(7000);
    expect(parseRetryAfter('Tuesday, 01-Jan-30 12:00:10 GMT', NOW)).toBe(10_000);
  });

  test('HTTP-date in the past → 0', () => {
    expect(parseRetryAfter(new Date(NOW - 60_000).toUTCString(), NOW)).toBe(0);
  });

  test.each([undefined, null, '', '  ', '-1', '1.5', '1e3', 'soon', '0x10', '3 seconds', 'Mon, 99 Foo 2030'])('%j → null', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeNull();
  });

  test('first of repeated headers', () => {
    expect(parseRetryAfter(['2', '9'], NOW)).toBe(2000);
  });
});

describe('backoffDelayMs (full jitter)', () => {
  test('ceiling doubles from baseDelayMs and is capped at maxDelayMs', () => {
    const top = (): number => 1 - Number.EPSILON;
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 10, 100].map((i) => backoffDelayMs(i, policy, top));
    expect(ceilings).toEqual([249, 499, 999, 1999, 3999, 7999, 7999, 7999, 7999]);
  });

  test('uniform in [0, ceiling): random 0 → 0, 0.5 → half', () => {
    expect(backoffDelayMs(2, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(2, policy, half)).toBe(500);
  });

  test('a misbehaving random source is clamped into range', () => {
    expect(backoffDelayMs(0, policy, () => 7)).toBeLessThan(250);
    expect(backoffDelayMs(0, policy, () => -1)).toBe(0);
    expect(backoffDelayMs(0, policy, () => Number.NaN)).toBe(0);
  });
});

describe('what is retryable', () => {
  test('methods: only GET and DELETE (and HEAD)', () => {
    expect(['GET', 'DELETE', 'get', 'HEAD'].map(isRetryableMethod)).toEqual([true, true, true, true]);
    expect(['POST', 'PUT', 'PATCH'].map(isRetryableMethod)).toEqual([false, false, false]);
  });

  test('statuses: 429 and 5xx, never another 4xx', () => {
    expect([429, 500, 502, 503, 504, 599].every(isRetryableStatus)).toBe(true);
    expect([200, 204, 301, 400, 401, 403, 404, 408, 409, 410, 422, 428, 600].some(isRetryableStatus)).toBe(false);
  });
});

describe('decideRetry', () => {
  const base = { method: 'GET', retriesSoFar: 0, elapsedMs: 0, policy, random: half };
  const status = (s: number, retryAfterMs?: number | null): AttemptOutcome => ({ kind: 'status', status: s, retryAfterMs });

  test('network failures and 5xx are retried with backoff', () => {
    expect(decideRetry({ ...base, outcome: { kind: 'network' } })).toEqual({ retry: true, delayMs: 125 });
    expect(decideRetry({ ...base, retriesSoFar: 2, outcome: status(500) })).toEqual({ retry: true, delayMs: 500 });
  });

  test.each([400, 401, 403, 404, 409, 422])('%d is never retried', (s) => {
    expect(decideRetry({ ...base, outcome: status(s) })).toEqual({ retry: false, reason: 'not-retryable' });
  });

  test('fatal outcomes and non-idempotent methods are never retried', () => {
    expect(decideRetry({ ...base, outcome: { kind: 'fatal' } })).toEqual({ retry: false, reason: 'not-retryable' });
    expect(decideRetry({ ...base, method: 'POST', outcome: status(503) })).toEqual({ retry: false, reason: 'method' });
  });

  test('Retry-After is honoured on 429 and 503, capped at maxDelayMs', () => {
    expect(decideRetry({ ...base, outcome: status(429, 3000) })).toEqual({ retry: true, delayMs: 3000 });
    expect(decideRetry({ ...base, outcome: status(503, 0) })).toEqual({ retry: true, delayMs: 0 });
    expect(decideRetry({ ...base, outcome: status(429, 60_000) })).toEqual({ retry: true, delayMs: 8000 });
  });

  test('Retry-After on another 5xx is ignored in favour of backoff; absent Retry-After uses backoff', () => {
    expect(decideRetry({ ...base, outcome: status(500, 3000) })).toEqual({ retry: true, delayMs: 125 });
    expect(decideRetry({ ...base, outcome: status(429, null) })).toEqual({ retry: true, delayMs: 125 });
  });

  test('bounded attempts', () => {
    expect(decideRetry({ ...base, retriesSoFar: 3, outcome: status(503) }).retry).toBe(true);
    expect(decideRetry({ ...base, retriesSoFar: 4, outcome: status(503) })).toEqual({ retry: false, reason: 'attempts' });
    expect(decideRetry({ ...base, policy: { ...policy, retries: 0 }, outcome: { kind: 'network' } })).toEqual({
      retry: false,
      reason: 'attempts',
    });
  });

  test('never retries beyond maxTotalMs, even when Retry-After asks for it', () => {
    expect(decideRetry({ ...base, elapsedMs: 29_000, outcome: status(429, 2000) })).toEqual({ retry: false, reason: 'time' });
    expect(decideRetry({ ...base, elapsedMs: 28_000, outcome: status(429, 2000) })).toEqual({ retry: true, delayMs: 2000 });
    expect(decideRetry({ ...base, elapsedMs: 31_000, outcome: status(429, 0) })).toEqual({ retry: false, reason: 'time' });
  });
});

describe('runWithRetry', () => {
  class Failure extends Error {
    constructor(readonly outcome: AttemptOutcome) {
      super(`failure ${JSON.stringify(outcome)}`);
    }
  }
  const classify = (e: unknown): AttemptOutcome => (e instanceof Failure ? e.outcome : { kind: 'fatal' });

  function runtime(overrides: Partial<Parameters<typeof runWithRetry>[0]> = {}) {
    let clock = 0;
    const sleeps: number[] = [];
    return {
      sleeps,
      rt: {
        method: 'GET',
        policy,
        random: half,
        now: () => clock,
        sleep: (ms: number) => {
          sleeps.push(ms);
          clock += ms;
          return Promise.resolve();
        },
        classify,
        ...overrides,
      },
    };
  }

  test('succeeds after transient failures, sleeping between attempts', async () => {
    const { rt, sleeps } = runtime();
    const seen: number[] = [];
    const result = await runWithRetry(rt, (i) => {
      seen.push(i);
      if (i < 2) throw new Failure({ kind: 'network' });
      return Promise.resolve('done');
    });
    expect(result).toBe('done');
    expect(seen).toEqual([0, 1, 2]);
    expect(sleeps).toEqual([125, 250]);
  });

  test('after exhausting retries, throws the last error', async () => {
    const { rt, sleeps } = runtime();
    const errors: Failure[] = [];
    const promise = runWithRetry(rt, (i) => {
      const e = new Failure({ kind: 'status', status: i === 4 ? 502 : 503 });
      errors.push(e);
      throw e;
    });
    const thrown = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(thrown).toBe(errors[4]);
    expect(errors).toHaveLength(5);
    expect(sleeps).toEqual([125, 250, 500, 1000]);
  });

  test('a non-retryable error is thrown at once', async () => {
    const { rt, sleeps } = runtime();
    const e = new Failure({ kind: 'status', status: 401 });
    let attempts = 0;
    await expect(
      runWithRetry(rt, () => {
        attempts++;
        throw e;
      }),
    ).rejects.toBe(e);
    expect(attempts).toBe(1);
    expect(sleeps).toEqual([]);
  });

  test('the total time budget stops retries (clock advanced by the injected sleep)', async () => {
    const { rt, sleeps } = runtime({ policy: { ...policy, retries: 100, maxTotalMs: 5000 } });
    let attempts = 0;
    await expect(
      runWithRetry(rt, () => {
        attempts++;
        throw new Failure({ kind: 'status', status: 429, retryAfterMs: 2000 });
      }),
    ).rejects.toBeInstanceOf(Failure);
    expect(sleeps).toEqual([2000, 2000]);
    expect(attempts).toBe(3);
  });

  test('stopped() is checked before every attempt', async () => {
    let stop = false;
    const { rt } = runtime({ stopped: () => (stop ? new Error('closed') : undefined) });
    await expect(
      runWithRetry(rt, () => {
        stop = true;
        throw new Failure({ kind: 'network' });
      }),
    ).rejects.toThrow('closed');
  });
});

import { AppError, LocalError, UsageError } from '../../../common/errors';
import { forEachBounded } from '../async/bounded';
import { fetchSessionToStore, type FetchOutcome, type FetchProgress } from './fetch-session';

/**
 * Prefetches a queue of sessions into the local store, several at a time. Each session is fetched
 * exactly as `fetchSessionToStore` does (session JSON first, then its media); a session that fails
 * never stops the others. With one session at a time, most of the time is spent waiting for Yoti's
 * answers (two round trips per session, more when a session has more media than the client's
 * mediaConcurrency); a few sessions in flight keep the connection busy instead.
 *
 * All sessions share the client, so the client's connection pool (mediaConcurrency + 2 sockets) caps
 * the requests in flight across the whole queue: more sessions in flight than that only queue up.
 */

export type FetchSessionOptions = Parameters<typeof fetchSessionToStore>[0];

export type PrefetchResult =
  | { sessionId: string; status: 'fetched'; outcome: FetchOutcome }
  | { sessionId: string; status: 'failed'; error: AppError }
  /** Not started: the signal was aborted first. */
  | { sessionId: string; status: 'cancelled' };

export interface PrefetchOptions extends Omit<FetchSessionOptions, 'sessionId' | 'onProgress'> {
  /** Sessions fetched at the same time (default 4, from 1 to 16). */
  concurrency?: number;
  /** Once aborted, no further session starts; sessions already started finish (close the client to stop them). */
  signal?: AbortSignal;
  /** Media progress of every session in flight. */
  onProgress?: (p: FetchProgress) => void;
  /** After each session, whatever its result; `done` counts finished sessions (not cancelled ones). */
  onSessionDone?: (result: PrefetchResult, done: number, total: number) => void;
  /** Injected for tests; defaults to fetchSessionToStore. */
  fetchSession?: (opts: FetchSessionOptions) => Promise<FetchOutcome>;
}

export const DEFAULT_PREFETCH_CONCURRENCY = 4;
export const MAX_PREFETCH_CONCURRENCY = 16;

/**
 * Fetches every session of the queue (duplicates once) and resolves one result per session, in queue
 * order. Never rejects for a session's failure; throws a UsageError only for a bad `concurrency` or a
 * `sessionIds` that is not an array.
 */
export async function prefetchQueue(sessionIds: readonly string[], options: PrefetchOptions): Promise<PrefetchResult[]> {
  if (!Array.isArray(sessionIds)) throw new UsageError('INVALID_ARGUMENT', 'sessionIds must be an array of session ids.');
  const { concurrency: requested, signal, onProgress, onSessionDone, fetchSession = fetchSessionToStore, ...fetchOptions } = options;
  const concurrency = requested ?? DEFAULT_PREFETCH_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_PREFETCH_CONCURRENCY) {
    throw new UsageError('INVALID_OPTION', `The prefetch concurrency must be an integer from 1 to ${MAX_PREFETCH_CONCURRENCY}.`);
  }
  const ids: string[] = [...new Set<string>(sessionIds)];
  const results = new Array<PrefetchResult | undefined>(ids.length);
  let done = 0;

  await forEachBounded(ids, concurrency, async (sessionId, i) => {
    if (signal?.aborted) {
      results[i] = { sessionId, status: 'cancelled' };
      return;
    }
    let result: PrefetchResult;
    try {
      const outcome = await fetchSession({
        ...fetchOptions,
        sessionId,
        ...(onProgress ? { onProgress: (p: FetchProgress) => safely(() => onProgress(p)) } : {}),
      });
      result = { sessionId, status: 'fetched', outcome };
    } catch (error) {
      result = {
        sessionId,
        status: 'failed',
        error:
          error instanceof AppError
            ? error
            : new LocalError('UNEXPECTED_ERROR', `Unexpected failure while prefetching session ${sessionId}.`, { cause: error }),
      };
    }
    results[i] = result;
    done++;
    safely(() => onSessionDone?.(result, done, ids.length));
});
return results.map((r, i) => r ?? { sessionId: ids[i] as string, status: 'cancelled' });
}

/** Progress callbacks are advisory: one that throws must not abort a download. */
function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // ignored on purpose
  }
}

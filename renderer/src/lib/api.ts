/**
 * The page's only door to the main process: `call(channel, args)` unwraps the Result of a
 * `window.api` call into its value, or throws an ApiError whose message is words a reviewer can act
 * on. Types come from the IPC contract (type-only import: nothing of main runs in the page).
 */
import type { Api, ApiErrorInfo, Args, Channel, EventName, Events, Result, Results } from '../../../common/ipc/contract';

export class ApiError extends Error {
  readonly code: string;
  readonly kind: ApiErrorInfo['kind'];
  constructor(info: ApiErrorInfo) {
    super(info.message);
    this.name = 'ApiError';
    this.code = info.code;
    this.kind = info.kind;
  }
}

function api(): Api {
  const found = (globalThis as { api?: Api }).api;
  if (found === undefined) {
    throw new ApiError({
      code: 'NO_BRIDGE',
      message: 'The console cannot reach the app: this page must run inside IDV Review Console.',
      kind: 'local',
    });
  }
  return found;
}

/** Calls one channel; resolves to its value or rejects with an ApiError. */
export async function call<C extends Channel>(channel: C, args: Args<C>): Promise<Results[C]> {
  const fn = api()[channel] as (a: Args<C>) => Promise<Result<Results[C]>>;
  let result: Result<Results[C]>;
  try {
    result = await fn(args);
  } catch (e) {
    throw new ApiError({
      code: 'IPC_FAILED',
      message: `The app did not answer (${channel}). ${e instanceof Error ? e.message : ''}`.trim(),
      kind: 'local',
    });
  }
  if (result.ok) return result.value;
  throw new ApiError(result.error);
}

/** Subscribes to an event main pushes; returns the unsubscribe function (never throws). */
export function on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
  const found = (globalThis as { api?: Api }).api;
  if (found === undefined) return () => undefined;
  return found.on(event, listener);
}

/** Any failure, in words. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return `Something went wrong: ${e.message}`;
  return 'Something went wrong.';
}

export const isApiError = (e: unknown, code?: string): e is ApiError => e instanceof ApiError && (code === undefined || e.code === code);

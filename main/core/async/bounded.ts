/**
 * Runs `fn` over `items` with at most `limit` calls in flight, taking items in order, and resolves
 * when every call has finished. A call that rejects rejects the whole at once (no further items are
 * started by that worker; calls already in flight still run to their end), so callers that must
 * visit every item turn their failures into results.
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i] as T, i);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

import { describe, expect, test } from 'vitest';
import { forEachBounded } from '../../../main/core/async/bounded';

describe('forEachBounded', () => {
  test('never has more than the limit in flight, takes items in order, and visits each once', async () => {
    let inFlight = 0;
    let peak = 0;
    const started: number[] = [];
    const seen: Array<[string, number]> = [];
    const items = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    await forEachBounded(items, 3, async (item, index) => {
      started.push(index);
      inFlight++;
      peak = Math.max(peak, inFlight);
      // Later items finish first, so a limiter that waited for whole batches would show in the order.
      await new Promise((r) => setTimeout(r, (items.length - index) * 2));
      seen.push([item, index]);
      inFlight--;
    });
    expect(peak).toBe(3);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(seen.map(([, i]) => i).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(seen.every(([item, i]) => items[i] === item)).toBe(true);
  });

  test('an empty list resolves at once; a limit above the count runs them all together', async () => {
    let calls = 0;
    await forEachBounded([], 4, () => {
      calls++;
      return Promise.resolve();
    });
    expect(calls).toBe(0);
    let inFlight = 0;
    let peak = 0;
    await forEachBounded([1, 2], 10, async () => {
      peak = Math.max(peak, ++inFlight);
      await Promise.resolve();
      inFlight--;
    });
    expect(peak).toBe(2);
  });
});

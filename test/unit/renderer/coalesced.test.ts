import { describe, expect, test } from 'vitest';
import { coalesced } from '../../../renderer/src/lib/coalesced';

describe('coalesced: one run at a time, once more if asked meanwhile', () => {
  test('calls during a run share it and make exactly one more run after it; a later call starts afresh', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const run = coalesced(async () => {
      runs += 1;
      if (runs === 1) await new Promise<void>((r) => (release = r));
    });
    const first = run();
    const second = run();
    const third = run();
    expect(second).toBe(first);
    expect(third).toBe(first);
    release();
    await first;
    expect(runs).toBe(2); // the first, then one for both calls made during it
    await run();
    expect(runs).toBe(3);
  });

  test('a failed run rejects its callers and does not block the next call', async () => {
    let fail = true;
    const run = coalesced(() => (fail ? Promise.reject(new Error('no')) : Promise.resolve()));
    await expect(run()).rejects.toThrow('no');
    fail = false;
    await expect(run()).resolves.toBeUndefined();
  });
});

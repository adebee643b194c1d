import { describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import { isExpired, parseRetainUntil, retainUntilOf } from '../../../main/core/retention/retention';
import type { OfflineStore, StoreKeys } from '../../../main/core/store/offline-store';
import { DEFAULT_RETENTION_DAYS, effectiveRetentionDays } from '../../../main/core/settings';
import { allFiles, fetchInto, openStore, storeTestHooks, TestClock, type Demo } from '../review/support';

const DAY = 86_400_000;

describe('retain-until (pure)', () => {
  test('default: first fetch + retentionDays; an override wins', () => {
    expect(DEFAULT_RETENTION_DAYS).toBe(30);
    expect(effectiveRetentionDays({})).toBe(30);
    expect(effectiveRetentionDays({ retentionDays: 1830 })).toBe(1830);
    expect(retainUntilOf({ firstFetchedAt: '2025-01-01T00:00:00.000Z', retainUntilOverride: null }, 30)).toBe('2025-01-31T00:00:00.000Z');
    expect(retainUntilOf({ firstFetchedAt: '2025-01-01T00:00:00.000Z', retainUntilOverride: '2030-06-30T23:59:59.999Z' }, 30)).toBe('2030-06-30T23:59:59.999Z');
  });

  test('expired strictly after the instant; dates typed by a person are kept through that day (UTC)', () => {
    expect(isExpired('2025-01-31T00:00:00.000Z', new Date('2025-01-31T00:00:00.000Z'))).toBe(false);
    expect(isExpired('2025-01-31T00:00:00.000Z', new Date('2025-01-31T00:00:00.001Z'))).toBe(true);
    expect(parseRetainUntil('2030-02-28')).toBe('2030-02-28T23:59:59.999Z');
    expect(parseRetainUntil('2030-02-28T10:00:00+02:00')).toBe('2030-02-28T08:00:00.000Z');
    expect(() => parseRetainUntil('2030-02-30')).toThrow(/not a date/);
    expect(() => parseRetainUntil('next year')).toThrow(/not a date/);
  });
});

describe('purge', () => {
  let demo: Demo;
  let dir: string;
  let keys: StoreKeys;
  let clock: TestClock;
  let store: OfflineStore;
  const { approvedPassport: A, rejectedIdCard: R, ongoing: O } = DEMO_SESSION_IDS;
  storeTestHooks('idv-purge-', async (env) => {
    ({ demo, dir, keys } = env);
    clock = new TestClock('2025-03-01T12:00:00.000Z');
    store = await openStore(dir, keys, { now: clock.now, retentionDays: 10 });
    await fetchInto(store, demo, A, { now: clock.now });
    clock.advance(5 * DAY);
    await fetchInto(store, demo, R, { now: clock.now });
    await fetchInto(store, demo, O, { now: clock.now });
    await store.reviews.confirmDecision(A, { via: 'cli', decision: 'APPROVE', notes: 'fine' });
  });

  test('nothing before the retain-until; then exactly the expired sessions, saying which; the audit keeps an entry, never the data', async () => {
    expect((await store.purgeExpired(new Date('2025-03-11T12:00:00.000Z'))).purged).toEqual([]);
    await store.setRetainUntil(O, '2025-03-08T00:00:00.000Z');
    const dry = await store.purgeExpired(new Date('2025-03-11T12:00:00.001Z'), { dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, kept: 1 });
    expect(dry.purged.map((p) => p.sessionId).sort()).toEqual([A, O].sort());
    expect((await store.sessions.listSessionIds()).length).toBe(3); // a dry run deletes nothing

    const report = await store.purgeExpired(new Date('2025-03-11T12:00:00.001Z'));
    expect(report.purged).toEqual(expect.arrayContaining([{ sessionId: A, retainUntil: '2025-03-11T12:00:00.000Z' }, { sessionId: O, retainUntil: '2025-03-08T00:00:00.000Z' }]));
    expect(await store.sessions.listSessionIds()).toEqual([R]);
    expect((await allFiles(`${dir}/cache`)).some((f) => f.includes(A))).toBe(false); // the review record went too
    const purged = (await store.audit.entries()).filter((e) => e.type === 'session.purged');
    expect(purged.map((e) => e.sessionId).sort()).toEqual([A, O].sort());
    expect(purged.find((e) => e.sessionId === A)?.data).toMatchObject({ retainUntil: '2025-03-11T12:00:00.000Z', reviewVersions: 1, manifestHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await store.verify()).ok).toBe(true);
  });

  test('a per-session retain-until keeps a session past the default; back to the default with null', async () => {
    await store.setRetainUntil(A, parseRetainUntil('2031-01-01'));
    expect(await store.retention(A)).toMatchObject({ retainUntil: '2031-01-01T23:59:59.999Z', overridden: true });
    expect((await store.purgeExpired(new Date('2026-01-01T00:00:00Z'))).purged.map((p) => p.sessionId).sort()).toEqual([O, R].sort());
    expect(await store.sessions.listSessionIds()).toEqual([A]);
    const back = await store.setRetainUntil(A, null);
    expect(back).toMatchObject({ overridden: false, retainUntil: '2025-03-11T12:00:00.000Z' });
  });

  test('the default follows the setting: a store opened with another retentionDays', async () => {
    const longer = await openStore(dir, keys, { now: clock.now, retentionDays: 365 });
    expect((await longer.retention(A))?.retainUntil).toBe('2026-03-01T12:00:00.000Z');
    expect((await longer.purgeExpired(new Date('2025-12-01T00:00:00Z'))).purged).toEqual([]);
  });

  test('a refresh does not move the retain-until (it counts from the first fetch)', async () => {
    const before = await store.retention(O);
    clock.advance(3 * DAY);
    await fetchInto(store, demo, O, { now: clock.now });
    expect(await store.retention(O)).toEqual(before);
  });
});

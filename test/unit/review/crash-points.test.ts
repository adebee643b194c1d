import { cp, rm } from 'node:fs/promises';
import * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import type { OfflineStore, StoreKeys } from '../../../main/core/store/offline-store';
import type { AtomicFileHandle, AtomicFs } from '../../../main/core/store/atomic';
import { isDamaged } from '../../../main/core/store/session-store';
import { fetchInto, openStore, randomKeys, removeDir, startDemo, tempDir, variantSessions, type Demo } from './support';

/*
 * Every write step of every store operation, one at a time, as the point where the process stops:
 * the file system "freezes" (that call and every later one never return, as if the process had been
 * killed there), the lock file is removed (the dead process's lock), and a new store opens the folder.
 * It must open, verify, and show either the state before the operation or the state after it.
 */

/** node:fs/promises whose write calls stop returning from the `freezeAt`-th call on. */
class FreezingFs implements AtomicFs {
  calls = 0;
  freezeAt = Number.POSITIVE_INFINITY;
  frozen = false;
  private onFreeze: (() => void) | undefined;
  /** Files left open by the stopped "process": closed by closeAll(), as the kernel would. */
  private readonly open_ = new Set<nodeFs.FileHandle>();
  readonly froze = new Promise<void>((resolve) => (this.onFreeze = resolve));

  private step(): Promise<void> {
    this.calls += 1;
    if (this.calls < this.freezeAt) return Promise.resolve();
    this.frozen = true;
    this.onFreeze?.();
    return new Promise<void>(() => undefined);
  }
  async open(path: string, flags: string, mode?: number): Promise<AtomicFileHandle> {
    await this.step();
    const h = await nodeFs.open(path, flags, mode);
    this.open_.add(h);
    return {
      writeFile: async (d) => {
        await this.step();
        await h.writeFile(d);
      },
      sync: async () => {
        await this.step();
        await h.sync();
      },
      close: async () => {
        await this.step();
        this.open_.delete(h);
        await h.close();
      },
    };
  }
  async closeAll(): Promise<void> {
    for (const h of this.open_) await h.close().catch(() => undefined);
    this.open_.clear();
  }
  async rename(a: string, b: string): Promise<void> {
    await this.step();
    await nodeFs.rename(a, b);
  }
  async unlink(p: string): Promise<void> {
    await this.step();
    await nodeFs.unlink(p);
  }
  async mkdir(p: string, o: { recursive: true; mode: number }): Promise<unknown> {
    await this.step();
    return nodeFs.mkdir(p, o);
  }
}

const A = DEMO_SESSION_IDS.approvedPassport;
const B = DEMO_SESSION_IDS.ongoing;
let demo: Demo;
let work: string;
let baseline: string;
let keys: StoreKeys;
let mediaA: string[];
const variants = variantSessions([B]);

beforeAll(async () => {
  demo = await startDemo();
  work = await tempDir('idv-crashpoints-');
  baseline = join(work, 'baseline');
  keys = randomKeys();
  const store = await openStore(baseline, keys);
  await fetchInto(store, demo, A);
  demo.server.addSession(variants(1)[0]!);
  await fetchInto(store, demo, B);
  await store.reviews.markOpened(A);
  await store.reviews.saveDraft(A, { notes: 'before' });
  mediaA = (await store.sessions.listMedia(A)).filter((m) => !isDamaged(m)).map((m) => m.mediaId!);
  demo.server.addSession(variants(2)[0]!); // B's next fetch brings new files
}, 60_000);
afterAll(async () => {
  await demo.close();
  await removeDir(work);
});

interface Scenario {
  name: string;
  run: (store: OfflineStore) => Promise<unknown>;
  /** After the crash and reopening: the state is the one before or the one after. */
  check: (store: OfflineStore) => Promise<'before' | 'after'>;
}

const scenarios: Scenario[] = [
  {
    name: 'saving a draft',
    run: (s) => s.reviews.saveDraft(A, { notes: 'after' }),
    check: async (s) => {
      const r = await s.reviews.get(A);
      expect(r.problems).toEqual([]);
      return r.current?.notes === 'after' ? 'after' : (expect(r.current?.notes).toBe('before'), 'before');
    },
  },
  {
    name: 'confirming a decision',
    run: (s) => s.reviews.confirmDecision(A, { via: 'cli', decision: 'REJECT', reasonCodes: ['FACE_MISMATCH'] }),
    check: async (s) => ((await s.reviews.get(A)).decided?.decision === 'REJECT' ? 'after' : 'before'),
  },
  {
    name: 'recording evidence viewed',
    run: (s) => s.reviews.recordEvidenceViewed(A, { mediaId: mediaA[0]!, tools: { zoom: true } }),
    check: async (s) => ((await s.reviews.evidenceViewed(A)).items.length === 1 ? 'after' : 'before'),
  },
  {
    name: 'refreshing a fetched session (new files)',
    run: (s) => fetchInto(s, demo, B),
    check: async (s) => {
      const m = await s.evidenceManifest(B);
      expect(m.intact).toBe(true);
      const tracking = JSON.parse((await s.sessions.loadSession(B))!.body.toString('utf8')) as { user_tracking_id?: string };
      return tracking.user_tracking_id === 'variant-2' ? 'after' : 'before';
    },
  },
  {
    name: 'deleting a session locally',
    run: (s) => s.deleteSessionLocally(B, 'local-only'),
    check: async (s) => ((await s.sessions.loadSession(B)) === null ? 'after' : 'before'),
  },
  {
    name: 'setting a retain-until',
    run: (s) => s.setRetainUntil(A, '2030-01-01T23:59:59.999Z'),
    check: async (s) => ((await s.retention(A))?.overridden ? 'after' : 'before'),
  },
];

describe('a stop at every write step', () => {
  for (const sc of scenarios) {
    test(`${sc.name}: every stopping point leaves the state before or after, and the store verifies`, async () => {
      // How many write calls the operation makes when nothing stops it.
      const probeDir = join(work, `probe-${sc.name.replaceAll(' ', '-')}`);
      await cp(baseline, probeDir, { recursive: true });
      const probeFs = new FreezingFs();
      const probe = await openStore(probeDir, keys, { fs: probeFs });
      const before = probeFs.calls;
      await sc.run(probe);
      const total = probeFs.calls - before;
      await probeFs.closeAll();
      expect(total).toBeGreaterThan(3);
      const outcomes = { before: 0, after: 0 };
      let secondStops = 0;
      for (let n = 1; n <= total; n += 1) {
        const d = join(work, `run-${n}`);
        await rm(d, { recursive: true, force: true });
        await cp(baseline, d, { recursive: true });
        const fs = new FreezingFs();
        const store = await openStore(d, keys, { fs });
        fs.freezeAt = fs.calls + n;
        const done = sc.run(store).then(() => 'completed' as const);
        const how = await Promise.race([done, fs.froze.then(() => 'frozen' as const)]);
        expect(how).toBe('frozen');
        // The process is gone: its files are closed, its lock is stale (here removed), and a new process opens the folder.
        await fs.closeAll();
        await rm(join(d, 'store.lock'), { force: true });
        // Every third time, that process stops too, part way through finishing the first one's step.
        if (n % 3 === 0) {
          const again = new FreezingFs();
          again.freezeAt = 1 + (n % 7);
          const opening = openStore(d, keys, { fs: again }).then(() => 'opened' as const);
          if ((await Promise.race([opening, again.froze.then(() => 'frozen' as const)])) === 'frozen') {
            secondStops += 1;
            await again.closeAll();
            await rm(join(d, 'store.lock'), { force: true });
          }
        }
        const reopened = await openStore(d, keys);
        const report = await reopened.verify();
        expect(report.problems, `${sc.name}, stopped at write call ${n} of ${total}`).toEqual([]);
        outcomes[await sc.check(reopened)] += 1;
        // And it goes on working.
        await reopened.reviews.markOpened(A);
        expect((await reopened.verify()).ok).toBe(true);
        await rm(d, { recursive: true, force: true });
      }
      // The last stopping points come after the step was durable: some runs end "after".
      expect(outcomes.before + outcomes.after).toBe(total);
      expect(outcomes.before).toBeGreaterThan(0);
      expect(outcomes.after).toBeGreaterThan(0);
      if (sc.name.startsWith('refreshing')) expect(secondStops).toBeGreaterThan(0);
    }, 120_000);
  }
});

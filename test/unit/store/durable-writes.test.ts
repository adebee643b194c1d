import * as fsp from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import type { AtomicFileHandle, AtomicFs } from '../../../main/core/store/atomic';
import { isDamaged } from '../../../main/core/store/session-store';
import { fetchInto, openStore, storeTestHooks, TestClock, type Demo } from '../review/support';
import type { StoreKeys } from '../../../main/core/store/offline-store';

/**
 * Every write of user data is durable: written and fsynced under a temporary name, renamed into
 * place, and the directory fsynced before the step returns; every removal is followed by an fsync of
 * its directory. A recording file system watches the offline store through fetch, drafts, views, a
 * decision, retention, a media deletion and a session deletion.
 */

type Op = { op: 'create' | 'fsync-file' | 'fsync-dir' | 'rename' | 'unlink' | 'append'; path: string; to?: string };

function recordingFs(ops: Op[]): AtomicFs {
  return {
    mkdir: (p, o) => fsp.mkdir(p, o),
    unlink: async (p) => {
      await fsp.unlink(p);
      ops.push({ op: 'unlink', path: p });
    },
    rename: async (a, b) => {
      await fsp.rename(a, b);
      ops.push({ op: 'rename', path: a, to: b });
    },
    open: async (p, flags, mode): Promise<AtomicFileHandle> => {
      const h = await fsp.open(p, flags, mode);
      if (flags === 'wx') ops.push({ op: 'create', path: p });
      if (flags === 'a') ops.push({ op: 'append', path: p });
      return {
        writeFile: (data) => h.writeFile(data),
        sync: async () => {
          await h.sync();
          ops.push({ op: flags === 'r' ? 'fsync-dir' : 'fsync-file', path: p });
        },
        close: () => h.close(),
      };
    },
  };
}

/** Each rename: its temp file fsynced before it, its target's directory fsynced after it. Each removal: its directory fsynced after it. */
function undurable(ops: readonly Op[]): string[] {
  const problems: string[] = [];
  ops.forEach((o, i) => {
    const before = ops.slice(0, i);
    const after = ops.slice(i + 1);
    if (o.op === 'rename') {
      const to = o.to ?? '';
      const isDir = !basename(o.path).startsWith('.');
      if (!isDir && !before.some((b) => b.op === 'fsync-file' && b.path === o.path)) problems.push(`renamed before fsync: ${basename(o.path)}`);
      if (!after.some((a) => a.op === 'fsync-dir' && a.path === dirname(to))) problems.push(`rename not followed by fsync of ${basename(dirname(to))}: ${basename(to)}`);
    }
    if (o.op === 'unlink' && !basename(o.path).startsWith('.')) {
      if (!after.some((a) => a.op === 'fsync-dir' && a.path === dirname(o.path))) problems.push(`unlink not followed by fsync of its directory: ${basename(o.path)}`);
    }
    if (o.op === 'append' && !after.some((a) => a.op === 'fsync-file' && a.path === o.path)) problems.push(`append not fsynced: ${basename(o.path)}`);
  });
  return problems;
}

const { approvedPassport: A, rejectedIdCard: R } = DEMO_SESSION_IDS;
let demo: Demo;
let dir: string;
let keys: StoreKeys;

storeTestHooks('idv-durable-', (env) => {
  ({ demo, dir, keys } = env);
  return Promise.resolve();
});

describe('durable writes', () => {
  test('fetch, draft, views, decision, retention, media and session deletion, record deletion and both purges: write → fsync → rename → fsync(dir)', async () => {
    const ops: Op[] = [];
    const clock = new TestClock();
    const store = await openStore(dir, keys, { now: clock.now, fs: recordingFs(ops) });
    await fetchInto(store, demo, A, { now: clock.now });
    await fetchInto(store, demo, R, { now: clock.now });
    await store.reviews.markOpened(A);
    const media = (await store.sessions.listMedia(A)).filter((m) => !isDamaged(m)).map((m) => m.mediaId ?? '');
    await store.reviews.recordEvidenceViewed(A, { mediaId: media[0] ?? '' });
    await store.reviews.saveDraft(A, { notes: 'looks fine' });
    await store.reviews.confirmDecision(A, { via: 'cli', decision: 'APPROVE', notes: 'the other session is the same person', reviewerName: 'Dee Durable' });
    await store.setRetainUntil(A, '2031-01-01T23:59:59.999Z');
    await store.deleteMediaLocally(R, (await store.sessions.listMedia(R)).map((m) => m.mediaId ?? '')[0] ?? '', 'local-only');
    await store.deleteSessionLocally(R, 'local-only');
    await store.deleteRecord(A);
    // The purge of evidence and of records, far in the future.
    await fetchInto(store, demo, R, { now: clock.now });
    await store.reviews.saveDraft(R, { notes: 'to be purged' });
    const purged = await store.purgeExpired(new Date('2100-01-01T00:00:00Z'));
    expect([purged.purged.length, purged.recordsPurged.length]).toEqual([1, 1]);

    const kinds = new Set(ops.map((o) => o.op));
    expect([...kinds].sort()).toEqual(['append', 'create', 'fsync-dir', 'fsync-file', 'rename', 'unlink']);
    expect(ops.filter((o) => o.op === 'rename').length).toBeGreaterThan(10);
    expect(undurable(ops)).toEqual([]);
  });

  test('the recorder notices a rename without its directory fsync (the check can fail)', () => {
    const ops: Op[] = [
      { op: 'create', path: '/d/.f.1.tmp' },
      { op: 'fsync-file', path: '/d/.f.1.tmp' },
      { op: 'rename', path: '/d/.f.1.tmp', to: '/d/f' },
      { op: 'unlink', path: '/d/g' },
    ];
    expect(undurable(ops)).toEqual(['rename not followed by fsync of d: f', 'unlink not followed by fsync of its directory: g']);
  });
});

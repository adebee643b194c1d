import * as nodeFs from 'node:fs/promises';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createDemoSessions, DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import type { DemoMedia, DemoSession } from '../../../main/core/demo-server/types';
import { listMedia } from '../../../common/session/media';
import { parseSession } from '../../../common/session/parse';
import type { AtomicFileHandle, AtomicFs } from '../../../main/core/store/atomic';
import { fetchSessionToStore } from '../../../main/core/sync/fetch-session';
import { IdvClient, type MediaResult } from '../../../main/core/yoti/client';
import { privateKey, SDK_ID as SIGNED_SDK_ID, startServer } from '../yoti/support/fault-server';
import { FullDiskFs, openStore, randomKeys, removeDir, tempDir } from '../review/support';

/*
 * fetchSessionToStore stores each media item as it arrives, while the others are still downloading:
 * written in place over a bare SessionStore, staged (not visible) over the offline store, whose commit
 * then takes the staged files over. The fake client below hands over every item but the last, and
 * holds the last one back until the test has seen the others stored (or staged): an implementation
 * that wrote only after the last download would never get there.
 */

const SDK_ID = 'a1b2c3d4-0000-4000-8000-0000000f1ee7';
const API = 'http://127.0.0.1:1/idverify/v1';
const NOW = new Date('2025-06-01T09:00:00.000Z');
const SID = DEMO_SESSION_IDS.approvedPassport;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function dataDir(): Promise<string> {
  const dir = await tempDir('idv-fetch-');
  cleanups.push(() => removeDir(dir));
  return dir;
}

const demo: DemoSession = createDemoSessions({ now: NOW }).find((d) => d.sessionId === SID)!;
const body = Buffer.from(JSON.stringify(demo.session), 'utf8');
const fetchable = [...new Set(listMedia(parseSession(body).session).flatMap((m) => (m.mediaId && m.fetchable ? [m.mediaId] : [])))];

function resultFor(mediaId: string): MediaResult {
  const m: DemoMedia | undefined = demo.media instanceof Map ? demo.media.get(mediaId) : (demo.media as Record<string, DemoMedia>)[mediaId];
  if (m === undefined) return { status: 'no-content' };
  if ('noContent' in m) return { status: 'no-content' };
  const bytes = Buffer.from('bytes' in m ? m.bytes : m.generate());
  return { status: 'ok', content: { bytes, mimeType: m.contentType, declaredType: m.contentType, sniffedType: null } };
}

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 5));
async function until(what: string, cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await cond()) return;
    await flush();
  }
  throw new Error(`never reached: ${what}`);
}

/**
 * An IdvClient stand-in: the session JSON of the demo session, then every media item but the last,
 * each reported through onItem/onProgress; the last only once `beforeLast` resolves.
 */
function holdingClient(beforeLast: (delivered: string[]) => Promise<void>): IdvClient {
  const client = {
    getSession: () => Promise.resolve({ body, json: JSON.parse(body.toString('utf8')) as unknown }),
    forEachMedia: async (
      _sid: string,
      ids: string[],
      opts: { onItem: (mediaId: string, result: MediaResult) => Promise<void>; onProgress?: (done: number, total: number, mediaId: string) => void; signal?: AbortSignal },
    ): Promise<void> => {
      for (const [i, id] of ids.entries()) {
        if (opts.signal?.aborted) return;
        if (i === ids.length - 1) await beforeLast(ids.slice(0, -1));
        await opts.onItem(id, resultFor(id));
        opts.onProgress?.(i + 1, ids.length, id);
        await flush();
      }
    },
  };
  return client as unknown as IdvClient;
}

const okIds = (ids: readonly string[]): string[] => ids.filter((id) => resultFor(id).status === 'ok');
const temps = async (dir: string): Promise<string[]> => (await readdir(join(dir, 'evidence', SID)).catch(() => [])).filter((n) => n.endsWith('.tmp'));

/** node:fs/promises, counting the temporary media files created. */
class CountingFs implements AtomicFs {
  mediaTemps = 0;
  open(path: string, flags: string, mode?: number): Promise<AtomicFileHandle> {
    if (flags === 'wx' && /\/\.media-[^/]+\.tmp$/.test(path)) this.mediaTemps += 1;
    return nodeFs.open(path, flags, mode);
  }
  rename(from: string, to: string): Promise<void> {
    return nodeFs.rename(from, to);
  }
  unlink(path: string): Promise<void> {
    return nodeFs.unlink(path);
  }
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<unknown> {
    return nodeFs.mkdir(path, options);
  }
}

describe('fetchSessionToStore over the offline store', () => {
  test('stages each item as it arrives, shows nothing before the commit, and the commit writes no item twice', async () => {
    const dir = await dataDir();
    const fs = new CountingFs();
    const store = await openStore(dir, randomKeys(), { fs, now: () => NOW });
    const client = holdingClient(async (delivered) => {
      const staged = okIds(delivered).length;
      await until(`${staged} items staged`, async () => (await temps(dir)).length >= staged);
      // Staged, not placed: nothing of the fetch is visible yet.
      expect(await store.sessions.loadSession(SID)).toBeNull();
      expect(await store.sessions.listMedia(SID)).toEqual([]);
    });
    const outcome = await fetchSessionToStore({ client, store, sessionId: SID, sdkId: SDK_ID, apiUrl: API, now: () => NOW });
    expect(outcome.mediaSaved).toBe(okIds(fetchable).length);
    expect(fs.mediaTemps).toBe(okIds(fetchable).length);
    expect(await temps(dir)).toEqual([]);
    for (const id of okIds(fetchable)) {
      const got = await store.sessions.loadMedia(SID, id);
      const want = resultFor(id);
      expect(got && 'bytes' in got && want.status === 'ok' && got.bytes.equals(want.content.bytes)).toBe(true);
      expect(got?.meta.fetchedAt).toBe(NOW.toISOString());
    }
    const manifest = await store.evidenceManifest(SID);
    expect(manifest.intact).toBe(true);
    expect(manifest.recorded?.manifestHash).toBe(outcome.manifestHash);
    expect((await store.verify()).problems).toEqual([]);
  });

  test('all or nothing: a commit that fails leaves nothing stored and no staged file behind', async () => {
    const dir = await dataDir();
    const fs = new FullDiskFs();
    const store = await openStore(dir, randomKeys(), { fs, now: () => NOW });
    const client = holdingClient(async (delivered) => {
      await until('items staged', async () => (await temps(dir)).length >= okIds(delivered).length);
      fs.full = true; // the disk fills up before the commit
    });
    await expect(fetchSessionToStore({ client, store, sessionId: SID, sdkId: SDK_ID, apiUrl: API, now: () => NOW })).rejects.toMatchObject({
      code: 'DISK_FULL',
    });
    fs.full = false;
    expect(await temps(dir)).toEqual([]);
    expect(await store.sessions.loadSession(SID)).toBeNull();
    expect(await store.sessions.listMedia(SID)).toEqual([]);
    expect((await store.verify()).problems).toEqual([]);
    // And the next fetch stores it whole.
    const outcome = await fetchSessionToStore({ client: holdingClient(() => Promise.resolve()), store, sessionId: SID, sdkId: SDK_ID, apiUrl: API, now: () => NOW });
    expect(outcome.mediaSaved).toBe(okIds(fetchable).length);
    expect((await store.evidenceManifest(SID)).intact).toBe(true);
  });

  test('past the per-session byte cap the fetch stops starting downloads, keeps nothing and says so', async () => {
    const dir = await dataDir();
    const store = await openStore(dir, randomKeys(), { now: () => NOW });
    const sizes = okIds(fetchable).map((id) => { const r = resultFor(id); return r.status === 'ok' ? r.content.bytes.length : 0; });
    const cap = (sizes[0] ?? 0) + (sizes[1] ?? 0) - 1; // the second item crosses it
    const asked: string[] = [];
    const client = holdingClient(() => Promise.resolve());
    const forEach = client.forEachMedia.bind(client);
    client.forEachMedia = (sid, ids, opts) => forEach(sid, ids, { ...opts, onItem: (id, r) => (asked.push(id), opts.onItem(id, r)) });
    await expect(fetchSessionToStore({ client, store, sessionId: SID, sdkId: SDK_ID, apiUrl: API, now: () => NOW, maxMediaBytes: cap })).rejects.toMatchObject({
      code: 'SESSION_TOO_LARGE',
      message: expect.stringMatching(/^The media of session .* exceed \d+ MiB \(settings\.maxSessionMediaMiB\): the fetch was stopped and nothing of it was kept\./),
    });
    expect(asked.length).toBeLessThan(fetchable.length);
    expect(await temps(dir)).toEqual([]);
    expect(await store.sessions.loadSession(SID)).toBeNull();
    expect(await store.sessions.listMedia(SID)).toEqual([]);
    expect((await store.audit.entries()).filter((e) => e.type === 'session.fetched')).toEqual([]);
  });
});

describe('a session answer for another session', () => {
  test('is refused at fetch: nothing stored, one line in words', async () => {
    const dir = await dataDir();
    const store = await openStore(dir, randomKeys(), { now: () => NOW });
    const other = DEMO_SESSION_IDS.rejectedIdCard;
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...demo.session, session_id: other }));
    });
    cleanups.push(() => server.close());
    const client = new IdvClient({ sdkId: SIGNED_SDK_ID, key: privateKey, baseUrl: server.baseUrl });
    const error = await fetchSessionToStore({ client, store, sessionId: SID, sdkId: SIGNED_SDK_ID, apiUrl: server.baseUrl, now: () => NOW }).then(
      () => new Error('the fetch was accepted'),
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ code: 'SESSION_ID_MISMATCH', message: `Yoti answered for session ${SID} with the data of another session (${other}), so nothing was stored.` });
    expect(error.message).not.toContain('\n');
    expect(server.requests).toHaveLength(1); // no media were asked for
    expect(await store.sessions.loadSession(SID)).toBeNull();
    expect(await store.sessions.loadSession(other)).toBeNull();
    expect(await store.listCachedSessions()).toEqual([]);
  });
});

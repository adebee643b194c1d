import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { AnchorPort, KeychainAnchor } from '../../../main/core/audit/keychain-anchor';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDemoSessions } from '../../../main/core/demo-server/demo-sessions';
import { startDemoServer, type DemoServer } from '../../../main/core/demo-server/server';
import type { DemoMedia, DemoSession } from '../../../main/core/demo-server/types';
import { OfflineStore, type OfflineStoreOptions, type StoreKeys } from '../../../main/core/store/offline-store';
import type { AtomicFileHandle, AtomicFs } from '../../../main/core/store/atomic';
import * as nodeFs from 'node:fs/promises';
import { fetchSessionToStore, type FetchOutcome } from '../../../main/core/sync/fetch-session';
import { IdvClient } from '../../../main/core/yoti/client';
import { afterAll, beforeAll, beforeEach } from 'vitest';

export const SDK_ID = 'a1b2c3d4-0000-4000-8000-0000000f1ee7';
export const REVIEWER = { name: 'R. Viewer', osAccount: 'tester' };

/** The OS keychain's copy of the audit log's head, in memory (the CLI tests use the real keychain). */
export class MemoryAnchor implements AnchorPort {
  value: KeychainAnchor | null = null;
  get(): Promise<KeychainAnchor | null> {
    return Promise.resolve(this.value === null ? null : { ...this.value });
  }
  set(anchor: KeychainAnchor): Promise<void> {
    this.value = { ...anchor };
    return Promise.resolve();
  }
}

export function randomKeys(): StoreKeys {
  return { cache: randomBytes(32), review: randomBytes(32), audit: randomBytes(32), seenBefore: randomBytes(32) };
}

export async function tempDir(prefix = 'idv-offline-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** A settable clock: tests never depend on wall-clock time. */
export class TestClock {
  t: number;
  constructor(start = '2025-06-01T09:00:00.000Z') {
    this.t = Date.parse(start);
  }
  now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
}

export async function openStore(dataDir: string, keys: StoreKeys, extra: Partial<OfflineStoreOptions> = {}): Promise<OfflineStore> {
  return OfflineStore.open({ dataDir, keys, reviewer: REVIEWER, ...extra });
}

export interface Demo {
  server: DemoServer;
  client: IdvClient;
  close(): Promise<void>;
}

export async function startDemo(opts: { now?: () => Date } = {}): Promise<Demo> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const server = await startDemoServer({ apps: [{ sdkId: SDK_ID, publicKey }], ...(opts.now ? { now: opts.now } : {}) });
  const client = new IdvClient({
    sdkId: SDK_ID,
    key: privateKey,
    baseUrl: server.baseUrl,
    retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 5, maxTotalMs: 1000 },
    sleep: () => Promise.resolve(),
  });
  return {
    server,
    client,
    async close() {
      client.close();
      await server.close();
    },
  };
}

export function fetchInto(store: OfflineStore, demo: Demo, sessionId: string, extra: { force?: boolean; now?: () => Date } = {}): Promise<FetchOutcome> {
  return fetchSessionToStore({ client: demo.client, store, sessionId, sdkId: SDK_ID, apiUrl: demo.server.baseUrl, ...extra });
}

/** Every file under a folder (recursively). */
export async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await allFiles(p)));
    else out.push(p);
  }
  return out;
}

export async function readAll(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const f of await allFiles(dir)) out.set(f, await readFile(f));
  return out;
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

/**
 * node:fs/promises with a switch that makes writes fail with ENOSPC (a full disk): opening a file for
 * writing, and writing into an open one, fail while `full` is true (after `allowWrites` more writes).
 */
export class FullDiskFs implements AtomicFs {
  full = false;
  allowWrites = 0;
  failures = 0;

  private fail(): boolean {
    if (!this.full) return false;
    if (this.allowWrites > 0) {
      this.allowWrites -= 1;
      return false;
    }
    this.failures += 1;
    return true;
  }

  async open(path: string, flags: string, mode?: number): Promise<AtomicFileHandle> {
    const handle = await nodeFs.open(path, flags, mode);
    return {
      writeFile: async (data: Uint8Array | string) => {
        if (flags !== 'r' && this.fail()) {
          // A full disk may take part of the data before refusing the rest.
          await handle.writeFile(typeof data === 'string' ? data.slice(0, Math.floor(data.length / 2)) : data.subarray(0, Math.floor(data.length / 2)));
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        }
        await handle.writeFile(data);
      },
      sync: () => handle.sync(),
      close: () => handle.close(),
    };
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

/**
 * Versions of demo sessions whose content changes with `n`: a new user_tracking_id and every image a
 * few bytes longer (`server.addSession(...)` serves them), so a fetch really replaces files.
 */
export function variantSessions(ids: readonly string[]): (n: number) => DemoSession[] {
  const base = createDemoSessions().filter((s) => ids.includes(s.sessionId));
  const fixed = base.map((s) => {
    const media = new Map<string, DemoMedia>();
    const entries = s.media instanceof Map ? [...(s.media as ReadonlyMap<string, DemoMedia>)] : Object.entries(s.media as Record<string, DemoMedia>);
    for (const [id, m] of entries) media.set(id, 'generate' in m ? { contentType: m.contentType, bytes: m.generate() } : m);
    return { ...s, media };
  });
  return (n) =>
    fixed.map((s) => {
      const media = new Map<string, DemoMedia>();
      for (const [id, m] of s.media) {
        const vary = 'bytes' in m && m.contentType.startsWith('image/');
        media.set(id, vary ? { contentType: m.contentType, bytes: Buffer.concat([m.bytes, Buffer.from(`#${n}`)]) } : m);
      }
      return { sessionId: s.sessionId, session: { ...s.session, user_tracking_id: `variant-${n}` }, media };
    });
}

/**
 * The hooks every store test file repeats: one demo server for the file; for each test a fresh data
 * folder (the previous one removed) and fresh keys, handed to `each`, which opens its store.
 */
export function storeTestHooks(prefix: string, each: (env: { demo: Demo; dir: string; keys: StoreKeys }) => Promise<void>): void {
  let demo: Demo;
  let dir: string | undefined;
  beforeAll(async () => {
    demo = await startDemo();
  });
  afterAll(async () => {
    await demo.close();
    await removeDir(dir);
  });
  beforeEach(async () => {
    await removeDir(dir);
    dir = await tempDir(prefix);
    await each({ demo, dir, keys: randomKeys() });
  });
}

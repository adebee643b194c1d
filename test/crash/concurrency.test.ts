import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import { startDemoServer, type DemoServer } from '../../main/core/demo-server/server';
import type { StoreKeys } from '../../main/core/store/offline-store';
import { fetchSessionToStore } from '../../main/core/sync/fetch-session';
import { IdvClient } from '../../main/core/yoti/client';
import { openStore, randomKeys, removeDir, tempDir } from '../unit/review/support';
import { bundleWorker, keysEnv, startWorker } from './support';

/*
 * Two processes at once (the app and the CLI): two real child processes save review versions and
 * append audit entries to the same session and the same log as fast as they can. The store lock
 * serialises them: afterwards the chain verifies, every entry of both is there exactly once in a
 * valid order, and every version of both is kept with its own sequence number.
 */
const SDK_ID = 'c0c0c0c0-0000-4000-8000-0000000c0c0c';
const SESSION = DEMO_SESSION_IDS.rejectedIdCard;
const COUNT = 60;

let work: string;
let dataDir: string;
let script: string;
let server: DemoServer;
let keys: StoreKeys;

beforeAll(async () => {
  work = await tempDir('idv-contend-');
  dataDir = join(work, 'data');
  script = await bundleWorker();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  server = await startDemoServer({ apps: [{ sdkId: SDK_ID, publicKey }] });
  keys = randomKeys();
  const store = await openStore(dataDir, keys);
  const client = new IdvClient({ sdkId: SDK_ID, key: privateKey, baseUrl: server.baseUrl });
  await fetchSessionToStore({ client, store, sessionId: SESSION, sdkId: SDK_ID, apiUrl: server.baseUrl });
  client.close();
}, 60_000);

afterAll(async () => {
  await server?.close();
  await removeDir(work);
});

test('two processes writing at once: nothing lost, nothing corrupted, the chain verifies', async () => {
  const env = (tag: string) => ({
    IDV_TEST_STORE_KEYS: keysEnv(keys),
    IDV_TEST_DATA_DIR: dataDir,
    IDV_TEST_MODE: 'contend',
    IDV_TEST_NOTES_SESSION: SESSION,
    IDV_TEST_TAG: tag,
    IDV_TEST_COUNT: String(COUNT),
    IDV_TEST_REVIEWER: tag,
    IDV_TEST_GO_FILE: join(work, 'go'),
  });
  const a = startWorker(script, env('app'));
  const b = startWorker(script, env('cli'));
  await Promise.all([a.until((l) => l === 'ready'), b.until((l) => l === 'ready')]);
  await writeFile(join(work, 'go'), '');
  const [ea, eb] = await Promise.all([a.closed, b.closed]);
  expect(a.lines.filter((l) => l.startsWith('error')), ea.stderr).toEqual([]);
  expect(b.lines.filter((l) => l.startsWith('error')), eb.stderr).toEqual([]);
  expect(a.lines.at(-1)).toBe('done');
  expect(b.lines.at(-1)).toBe('done');

  const store = await openStore(dataDir, keys);
  const report = await store.verify();
  expect(report.problems).toEqual([]);
  expect(report.ok).toBe(true);

  const entries = await store.audit.entries({ sessionId: SESSION });
  const exported = entries.filter((e) => e.type === 'report.exported');
  for (const tag of ['app', 'cli']) {
    const mine = exported.filter((e) => e.data.tag === tag).map((e) => e.data.i);
    expect(mine).toEqual(Array.from({ length: COUNT }, (_, i) => i)); // each once, in its own order
    expect(exported.filter((e) => e.who.name === tag).length).toBe(COUNT);
  }
  // The two really did interleave (neither ran all of its work before the other started).
  const order = exported.map((e) => String(e.data.tag as string)).join('');
  expect(order).not.toMatch(/^(app){60}(cli){60}$|^(cli){60}(app){60}$/);

  const record = await store.reviews.get(SESSION);
  expect(record.problems).toEqual([]);
  expect(record.versions).toHaveLength(2 * COUNT);
  expect(record.versions.map((v) => v.seq)).toEqual(Array.from({ length: 2 * COUNT }, (_, i) => i + 1));
  const notes = new Set(record.versions.map((v) => v.notes));
  for (const tag of ['app', 'cli']) for (let i = 0; i < COUNT; i += 1) expect(notes.has(`${tag} ${i}`)).toBe(true);
  // Each version follows the one before it.
  record.versions.forEach((v, i) => expect(v.previousVersionId).toBe(i === 0 ? null : record.versions[i - 1]!.versionId));
}, 120_000);

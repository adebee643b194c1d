/**
 * Run by the crash and concurrency tests in a child `node` process (bundled with esbuild at test time).
 * Opens the offline store on IDV_TEST_DATA_DIR with the keys the parent passes in IDV_TEST_STORE_KEYS
 * (random test keys, for this child only: the real app takes them from the OS keychain), then:
 *
 *   notes    saves drafts "note <n>" on IDV_TEST_NOTES_SESSION forever, printing "ack <n>" after each save returns
 *   fetch    fetches IDV_TEST_FETCH_SESSIONS (forced) from IDV_TEST_API_URL forever, printing "fetched <id>"
 *   mixed    both loops at once
 *   contend  IDV_TEST_COUNT times: a draft "<tag> <i>" and an audit entry, printing "ack <i>"; then "done"
 *
 * The parent kills it with SIGKILL whenever it likes. Output goes to a pipe, which is synchronous on
 * Linux, so an ack line is in the pipe before the next save starts.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AtomicFs } from '../../../main/core/store/atomic';
import { keychainAnchor } from '../../../main/core/audit/keychain-anchor';
import { KeytarSecretStore } from '../../../main/core/keys/secret-store';
import { OfflineStore } from '../../../main/core/store/offline-store';
import { fetchSessionToStore } from '../../../main/core/sync/fetch-session';
import { IdvClient } from '../../../main/core/yoti/client';

const env = process.env;
const need = (name: string): string => {
  const v = env[name];
  if (v === undefined || v === '') throw new Error(`${name} is not set`);
  return v;
};

/**
 * With IDV_TEST_SLOW_FS, every write step takes a little longer (0-3 ms), so that kills at random
 * moments land inside multi-file steps (staging, renames, audit appends) more often.
 */
const pause = (): Promise<void> => sleep(Math.floor(Math.random() * 4));
const slowFs: AtomicFs = {
  async open(path, flags, mode) {
    await pause();
    const h = await fsp.open(path, flags, mode);
    return {
      writeFile: async (data) => {
        await h.writeFile(data);
        await pause();
      },
      sync: () => h.sync(),
      close: () => h.close(),
    };
  },
  async rename(from, to) {
    await pause();
    await fsp.rename(from, to);
  },
  unlink: (p) => fsp.unlink(p),
  mkdir: (p, o) => fsp.mkdir(p, o),
};

const raw = JSON.parse(Buffer.from(need('IDV_TEST_STORE_KEYS'), 'base64').toString('utf8')) as Record<string, string>;
const key = (k: string): Buffer => Buffer.from(raw[k] ?? '', 'base64');
const store = await OfflineStore.open({
  dataDir: need('IDV_TEST_DATA_DIR'),
  keys: { cache: key('cache'), review: key('review'), audit: key('audit'), seenBefore: key('seenBefore') },
  reviewer: { name: env.IDV_TEST_REVIEWER ?? 'Crash Test', osAccount: 'crash-test' },
  lock: { timeoutMs: 60_000 },
  ...(env.IDV_TEST_SLOW_FS ? { fs: slowFs } : {}),
  // The audit log's head is also kept in the real OS keychain, as the app and the CLI keep it.
  ...(env.IDV_TEST_KEYCHAIN_ANCHOR ? { anchor: keychainAnchor(new KeytarSecretStore(), need('IDV_TEST_DATA_DIR')) } : {}),
});
const write = (line: string): void => {
  process.stdout.write(`${line}\n`);
};
// The worker reads the same keychain item the parent does (so it also moves it forward).
if (env.IDV_TEST_KEYCHAIN_ANCHOR) write(`anchored ${(await keychainAnchor(new KeytarSecretStore(), need('IDV_TEST_DATA_DIR')).get())?.count ?? 0}`);
write('ready');

async function notesLoop(): Promise<void> {
  const sid = need('IDV_TEST_NOTES_SESSION');
  for (let n = Number(need('IDV_TEST_NOTES_START')); ; n += 1) {
    await store.reviews.saveDraft(sid, { notes: `note ${n}` });
    write(`ack ${n}`);
  }
}

async function fetchLoop(): Promise<void> {
  const ids = need('IDV_TEST_FETCH_SESSIONS').split(',');
  const client = new IdvClient({
    sdkId: need('IDV_TEST_SDK_ID'),
    key: createPrivateKey(readFileSync(need('IDV_TEST_PEM_FILE'))),
    baseUrl: need('IDV_TEST_API_URL'),
  });
  for (let i = 0; ; i += 1) {
    const sessionId = ids[i % ids.length] ?? '';
    await fetchSessionToStore({ client, store, sessionId, sdkId: need('IDV_TEST_SDK_ID'), apiUrl: need('IDV_TEST_API_URL'), force: true });
    write(`fetched ${sessionId}`);
  }
}

async function contend(): Promise<void> {
  const sid = need('IDV_TEST_NOTES_SESSION');
  // Start together: wait until the parent creates the go file (after both workers said ready).
  const go = need('IDV_TEST_GO_FILE');
  while (!(await fsp.stat(go).then(() => true, () => false))) await sleep(2);
  const tag = need('IDV_TEST_TAG');
  const count = Number(need('IDV_TEST_COUNT'));
  for (let i = 0; i < count; i += 1) {
    await store.reviews.saveDraft(sid, { notes: `${tag} ${i}` });
    await store.recordAudit('report.exported', sid, { tag, i });
    write(`ack ${i}`);
  }
  write('done');
}

const mode = need('IDV_TEST_MODE');
try {
  if (mode === 'notes') await notesLoop();
  else if (mode === 'fetch') await fetchLoop();
  else if (mode === 'mixed') await Promise.all([notesLoop(), fetchLoop()]);
  else if (mode === 'contend') await contend();
  else throw new Error(`unknown mode ${mode}`);
} catch (err) {
  write(`error ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  process.exitCode = 1;
}

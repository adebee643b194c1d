import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startDemoServer, type DemoServer } from '../../main/core/demo-server/server';
import { largeSession, MIB } from '../support/large-session';
import { runCli, runCliPeakRss, tempHome } from './support';

/*
 * Memory follows the downloads in flight, not the session: the CLI fetches a session of 20 media of
 * 20 MiB (400 MiB) with a peak resident set, measured from outside by GNU time, under 300 MB. And a
 * session past the per-session cap stops, in words, keeping nothing.
 */
const SDK_ID = `3e3e3e3e-0000-4000-8000-${Date.now().toString(16).padStart(12, '0').slice(-12)}`;
const BIG = largeSession('memory-test', 20, 20 * MIB);
let server: DemoServer;
let home: string;

beforeAll(async () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  server = await startDemoServer({ apps: [{ sdkId: SDK_ID, publicKey }], sessions: [BIG] });
  home = tempHome();
  const pem = join(home, 'key.pem');
  writeFileSync(pem, privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  expect((await runCli(['key', 'import', '--sdk-id', SDK_ID, '--pem', pem], { home })).code).toBe(0);
});
afterAll(async () => {
  await runCli(['key', 'remove', '--sdk-id', SDK_ID], { home });
  await server?.close();
});

test('a session of 20 × 20 MiB: every item stored, peak RSS ≤ 300 MB', async () => {
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ retentionDays: 30 }));
  const run = await runCliPeakRss(['fetch', BIG.sessionId, '--api-url', server.baseUrl], { home });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/Done: 1 of 1 sessions stored, 2[0-9] media items \(4\d\d\.\d MB\)/);
  expect(readdirSync(join(home, 'evidence', BIG.sessionId)).filter((n) => n.startsWith('media-')).length).toBeGreaterThanOrEqual(20);
  expect(run.peakRssBytes).toBeLessThanOrEqual(300 * 1000 * 1000);
}, 120_000);

test('past settings.maxSessionMediaMiB the fetch stops in words (exit 2), keeping nothing', async () => {
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ retentionDays: 30, maxSessionMediaMiB: 100 }));
  const before = server.requests.filter((r) => r.path.includes('/media/')).length;
  const run = await runCli(['fetch', BIG.sessionId, '--force', '--api-url', server.baseUrl], { home });
  expect(run.stderr).toContain(`The media of session ${BIG.sessionId} exceed 100 MiB (settings.maxSessionMediaMiB): the fetch was stopped and nothing of it was kept.`);
  expect(run.code).toBe(2);
  // Stopped early: not every item was asked for again.
  expect(server.requests.filter((r) => r.path.includes('/media/')).length - before).toBeLessThan(20);
  expect(readdirSync(join(home, 'evidence', BIG.sessionId)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
}, 120_000);

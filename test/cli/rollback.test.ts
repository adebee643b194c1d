import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { AuditEntry } from '../../main/core/audit/audit-log';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import { homeWithKey, tempHome, type CliRun } from './support';

// Rolling the audit log back, with the real OS keychain holding its anchor: an earlier copy of the
// audit folder put back and the superseding decision's file deleted. audit verify names it without
// writing; list warns; decide and export are refused; audit accept-restore records the old and the new
// head; a copy checked with --data warns that no anchor vouches for it.
const SDK_ID = `a0c40000-0000-4000-8000-${Date.now().toString(16).padStart(12, '0').slice(-12)}`;
const R = DEMO_SESSION_IDS.rejectedIdCard;
let env: Awaited<ReturnType<typeof homeWithKey>>;
let home: string;

const cli = (args: string[]): Promise<CliRun> => env.cli(args);

beforeAll(async () => {
  expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through `npm test`, which provides the keychain').toBeTruthy();
  env = await homeWithKey(SDK_ID);
  home = env.home;
  expect((await cli(['fetch', R, '--api-url', env.server.baseUrl])).code).toBe(0);
});
afterAll(async () => {
  await env?.close();
});

test('an earlier audit log put back: detected against the keychain, refused, and accepted only in words', async () => {
  const decide = (...extra: string[]) => cli(['decide', R, '--decision', 'REJECT', '--reason', 'SUSPECTED_FRAUD', '--reviewer', 'Rosa Reviewer', ...extra]);
  expect((await decide()).code).toBe(0);
  const earlier = join(home, 'earlier-audit');
  cpSync(join(home, 'audit'), earlier, { recursive: true });
  expect((await decide('--supersede', 'the card was reported stolen')).code).toBe(0);

  rmSync(join(home, 'audit'), { recursive: true });
  cpSync(earlier, join(home, 'audit'), { recursive: true });
  rmSync(join(home, 'records', R, 'v-00000002.idvr'));
  const log = readFileSync(join(home, 'audit', 'log.jsonl'));

  const verify = await cli(['audit', 'verify']);
  expect(verify.code).toBe(3);
  expect(verify.stdout).toMatch(/^Audit verification FAILED: the audit log has \d+ entries but the OS keychain anchors \d+: it was rolled back/);
  expect(readFileSync(join(home, 'audit', 'log.jsonl'))).toEqual(log); // verify wrote nothing

  const list = await cli(['list']);
  expect(list.code).toBe(0);
  expect(list.stderr).toMatch(/^WARNING: the audit log cannot be trusted: .*rolled back.*Decisions and exports are refused/m);
  const refused = await decide('--supersede', 'once more');
  expect(refused.code).toBe(3);
  expect(refused.stderr).toMatch(/audit accept-restore --reason/);
  const out = join(home, 'record.pdf');
  expect((await cli(['export', R, '--out', out])).code).toBe(3);
  expect(existsSync(out)).toBe(false);

  const unconfirmed = await cli(['audit', 'accept-restore', '--reason', 'restored after the disk failed']);
  expect(unconfirmed.stderr).toMatch(/Not accepting the restored audit log without confirmation: pass --yes/);
  const accepted = await cli(['audit', 'accept-restore', '--reason', 'restored after the disk failed', '--yes']);
  expect(accepted.stderr).toBe('');
  expect(accepted.code).toBe(0);
  expect(accepted.stdout).toMatch(/^Accepted the restored audit log: the keychain anchored entry #\d+ /);
  const entries = JSON.parse((await cli(['audit', 'log', '--json'])).stdout) as AuditEntry[];
  expect(entries.at(-1)).toMatchObject({ type: 'audit.restore-accepted', data: { reason: 'restored after the disk failed' } });
  expect((await cli(['audit', 'verify'])).code).toBe(0);
  expect((await cli(['export', R, '--out', out])).code).toBe(0);
  expect((await cli(['audit', 'accept-restore', '--reason', 'again', '--yes'])).stderr).toMatch(/there is no restore to accept/);

  // A copy (an auditor's backup) is checked where it lies; no anchor in this keychain vouches for it.
  const copy = tempHome();
  cpSync(home, copy, { recursive: true, filter: (src) => !src.endsWith('store.lock') });
  const checked = await cli(['audit', 'verify', '--data', copy]);
  expect(checked.code).toBe(0);
  expect(checked.stderr).toMatch(/note: the OS keychain holds no anchor for this data folder/);
  expect(existsSync(join(copy, 'store.lock'))).toBe(false);
});

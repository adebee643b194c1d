import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import { normalise, pdfText } from '../unit/report/poppler';
import { homeWithKey, type CliRun } from './support';

/*
 * `idv-review verify-report` as an auditor runs it on a file someone hands them: a fresh export
 * stands; a copy changed by one byte or overlaid with qpdf is no export; a printed one is found by its
 * report ID; a redacted one names the commitment its paper shows; a decision changed since says so.
 */
const SDK_ID = `7e7e7e7e-0000-4000-8000-${Date.now().toString(16).padStart(12, '0').slice(-12)}`;
const SID = DEMO_SESSION_IDS.rejectedIdCard;
let env: Awaited<ReturnType<typeof homeWithKey>>;
let cli: (args: string[]) => Promise<CliRun>;
let exported: string;
let reportId: string;

beforeAll(async () => {
  env = await homeWithKey(SDK_ID);
  cli = env.cli;
  writeFileSync(join(env.home, 'settings.json'), JSON.stringify({ retentionDays: 30 }));
  expect((await cli(['fetch', SID, '--api-url', env.server.baseUrl])).code).toBe(0);
  const decided = await cli(['decide', SID, '--decision', 'REJECT', '--reason', 'DOCUMENT_EXPIRED', '--note', 'expired in 2012', '--reviewer', 'Vera Verifier']);
  expect(decided.stderr).toBe('');
  exported = join(env.home, 'record.pdf');
  expect((await cli(['export', SID, '--out', exported])).code).toBe(0);
  reportId = /Report ID (\S+)/.exec(normalise(pdfText(exported)))![1]!;
}, 60_000);
afterAll(async () => {
  await env?.close();
});

describe('idv-review verify-report', () => {
  test('a fresh export stands: session, decision, version, reviewer, and the same evidence (exit 0)', async () => {
    const run = await cli(['verify-report', exported]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Report ${reportId} of session ${SID}: it still stands.`);
    expect(run.stdout).toMatch(/Exported \S+ by \S+ \(audit entry #\d+\): report \S+, session \S+, decision REJECT by Vera Verifier at \S+ \(record version [0-9a-f-]{36}\), not redacted\./);
    expect(run.stdout).toContain('The record version it printed is still the latest.');
    expect(run.stdout).toContain('The evidence stored now is exactly what it printed (same manifest).');
    const json = JSON.parse((await cli(['verify-report', exported, '--json'])).stdout) as { ok: boolean; export: { sessionId: string; decision: string } };
    expect(json).toMatchObject({ ok: true, export: { sessionId: SID, decision: 'REJECT' } });
  });

  test('a printed copy is found by the report ID on its page 1; the file itself is not checked', async () => {
    const run = await cli(['verify-report', '--id', reportId]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Found by its report ID: the file itself was not checked. Its SHA-256 was ${execFileSync('sha256sum', [exported], { encoding: 'utf8' }).split(' ')[0]}.`);
    expect((await cli(['verify-report', '--id', 'no-such-report'])).code).toBe(3);
    expect((await cli(['verify-report', '--id', '../x'])).code).toBe(1);
  });

  test('one byte changed, or an overlay that turns the page: no export of this store (exit 3)', async () => {
    const bytes = readFileSync(exported);
    const flipped = join(env.home, 'flipped.pdf');
    const copy = Buffer.from(bytes);
    copy[Math.floor(copy.length / 2)]! ^= 0x01;
    writeFileSync(flipped, copy);
    const overlaid = join(env.home, 'overlaid.pdf');
    execFileSync('qpdf', [exported, '--overlay', exported, '--to=1', '--', overlaid]);
    for (const file of [flipped, overlaid]) {
      const run = await cli(['verify-report', file]);
      expect(run.code, file).toBe(3);
      expect(run.stdout).toContain('NOT AN EXPORT OF THIS STORE');
      expect(run.stdout).toContain('the file was changed after it was exported, or it was not exported from this store.');
    }
  });

  test('a redacted export: the manifest commitment verify-report names is the one its paper shows', async () => {
    const redacted = join(env.home, 'redacted.pdf');
    expect((await cli(['export', SID, '--out', redacted, '--redact'])).code).toBe(0);
    const run = await cli(['verify-report', redacted]);
    expect(run.code).toBe(0);
    const said = /its evidence manifest commitment, as printed, is ([0-9a-f]{64})\./.exec(run.stdout)?.[1];
    expect(said).toBeDefined();
    expect(normalise(pdfText(redacted)).replace(/\s/g, '')).toContain(said);
  });

  test('a decision changed since the export: the old paper no longer stands (exit 3), in words', async () => {
    const superseded = await cli(['decide', SID, '--supersede', 'second look', '--decision', 'ESCALATE', '--reason', 'NEEDS_SECOND_OPINION', '--reviewer', 'Vera Verifier']);
    expect(superseded.code).toBe(0);
    const run = await cli(['verify-report', exported]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('NO LONGER MATCHES the store.');
    expect(run.stdout).toMatch(/! The record changed since: the version printed \(\S+\) is no longer the latest; the latest is \S+ \(CONFIRMED, ESCALATE, saved /);
  });
});

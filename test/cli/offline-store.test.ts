import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import type { DemoServer } from '../../main/core/demo-server/server';
import { normalise, pdfText } from '../unit/report/poppler';
import { CLI, homeWithKey, runCli, type CliRun } from './support';

// The offline store through the built command line, with the real keychain: fetch, list, show with
// seen-before, decide with its refusals, audit verify (intact and tampered), retain, purge and
// delete --local-only; and with the API unreachable, show, list, decide and audit verify still work.
const SDK_ID = `0ff11e00-0000-4000-8000-${Date.now().toString(16).padStart(12, '0').slice(-12)}`;
const { approvedPassport: A, rejectedIdCard: R, edgeCases: E, nonLatin: G } = DEMO_SESSION_IDS;
let server: DemoServer;
let home: string;
let serverClosed = false;

const cli = (args: string[]): Promise<CliRun> => runCli(args, { home });

beforeAll(async () => {
  expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through `npm test`, which provides the keychain').toBeTruthy();
  ({ server, home } = await homeWithKey(SDK_ID));
  // The evidence retention chosen, as the app asks at first start (cli.test.ts covers the note when it is not).
  writeFileSync(join(home, 'settings.json'), JSON.stringify({ retentionDays: 30 }));
});
afterAll(async () => {
  await cli(['key', 'remove', '--sdk-id', SDK_ID]);
  if (!serverClosed) await server?.close();
});

const mediaFiles = (sid: string) => readdirSync(join(home, 'evidence', sid)).filter((n) => n.startsWith('media-'));

describe('idv-review with the offline store', () => {
  test('fetch; a stored COMPLETED session is kept unless --force', async () => {
    const run = await cli(['fetch', A, R, E, G, '--api-url', server.baseUrl]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const again = await cli(['fetch', A, '--api-url', server.baseUrl]);
    expect(again.stdout).toMatch(new RegExp(`${A}: COMPLETED, already stored and intact: kept \\(use --force`));
    const forced = await cli(['fetch', A, '--force', '--api-url', server.baseUrl]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/replaced the stored copy \(review record kept\)/);
  });

  test('list: state, Yoti recommendation, decision, retain-until, evidence', async () => {
    const run = await cli(['list']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^SESSION\s+STATE\s+YOTI\s+DECISION\s+RETAIN UNTIL\s+EVIDENCE$/);
    expect(run.stdout).toMatch(new RegExp(`${R}\\s+COMPLETED\\s+REJECT\\s+-\\s+\\d{4}-\\d{2}-\\d{2}\\s+intact`));
    const rows = JSON.parse((await cli(['list', '--json'])).stdout) as Array<{ sessionId: string; cache: string; retainUntil: string; fetchedAt: string }>;
    expect(rows.map((r) => r.sessionId).sort()).toEqual([A, R, E, G].sort());
    expect(rows.every((r) => r.cache === 'intact')).toBe(true);
    const a = rows.find((r) => r.sessionId === A)!;
    expect(Date.parse(a.retainUntil) - Date.parse(a.fetchedAt)).toBeGreaterThan(29 * 86_400_000);
  });

  test('show: the review, the retain-until, and the same person seen before', async () => {
    const run = await cli(['show', A]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Review\n\s+No decision confirmed yet\./);
    expect(run.stdout).toMatch(/Evidence kept until \d{4}-/);
    expect(run.stdout).toMatch(new RegExp(`Seen before .*\\n\\s+${R}: same person, fetched .*, no decision`));
    const json = JSON.parse((await cli(['show', A, '--json'])).stdout) as { seenBefore: Array<{ sessionId: string; match: string }>; review: { evidenceViewed: { opens: number } } };
    expect(json.seenBefore).toEqual([expect.objectContaining({ sessionId: R, match: 'SAME_PERSON' })]);
    expect(json.review.evidenceViewed.opens).toBe(2); // show = opened, recorded each time
  });

  test('show piped into a reader that has stopped (| head -c 0): no stack trace, exit 0', () => {
    // head exits at once, so every write of show meets a closed pipe (EPIPE); pipefail reports show's own exit.
    const run = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${CLI}" show ${A} | head -c 0`], {
      env: { ...process.env, IDV_REVIEW_HOME: home },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  test('decide: refusals in words (exit 1), then a decision, final unless --supersede', async () => {
    const noReason = await cli(['decide', R, '--decision', 'REJECT']);
    expect(noReason.code).toBe(1);
    expect(noReason.stderr).toMatch(/A REJECT decision needs at least one reason code \(for example DOCUMENT_EXPIRED/);
    const unknown = await cli(['decide', R, '--decision', 'REJECT', '--reason', 'BAD_VIBES']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Unknown reason code "BAD_VIBES"\. Valid codes: DOCUMENT_EXPIRED, FACE_MISMATCH, .*TAMPERED/);
    expect((await cli(['decide', R, '--decision', 'MAYBE'])).code).toBe(1);
    const reject = ['decide', R, '--decision', 'REJECT', '--reason', 'DOCUMENT_EXPIRED', '--reason', 'FACE_MISMATCH', '--note', 'card expired in 2012'];
    // No reviewer name in the settings: refused until --reviewer gives one.
    const nameless = await cli(reject);
    expect(nameless.code).toBe(1);
    expect(nameless.stderr).toBe('idv-review: Not recorded: A final decision needs the reviewer\'s name: set "Your name" (CLI: --reviewer NAME, or the reviewer name in the settings).\n');
    const ok = await cli([...reject, '--reviewer', 'Rosa Reviewer']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Decision REJECT confirmed for session .* \(version 1\)\.\n\s+Reasons: DOCUMENT_EXPIRED, FACE_MISMATCH\n\s+Reviewer: Rosa Reviewer, OS account .+\n\s+Made on evidence manifest sha256:[0-9a-f]{64}/);
    expect(ok.stdout).toContain('Made from the command line, where viewing is not tracked.');
    const final = await cli(['decide', R, '--decision', 'APPROVE', '--reviewer', 'Rosa Reviewer']);
    expect(final.code).toBe(1);
    expect(final.stderr).toMatch(/is final\. To change it, confirm a new decision with supersede/);
    const change = ['decide', R, '--decision', 'ESCALATE', '--reason', 'NEEDS_SECOND_OPINION', '--reviewer', 'Rosa Reviewer'];
    const noWhy = await cli([...change, '--supersede', ' ']);
    expect(noWhy.code).toBe(1);
    expect(noWhy.stderr).toMatch(/Changing a final decision needs the reason for the change \(CLI: --supersede "why"\)/);
    const changed = await cli([...change, '--supersede', 'the face match needs a second look']);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toMatch(/version 2, supersedes [0-9a-f-]{36}/);
    expect(changed.stdout).toContain('Reason for the change: the face match needs a second look');
    const shown = (await cli(['show', A])).stdout;
    expect(shown).toMatch(new RegExp(`${R}: same person, fetched .*, decision ESCALATE`));
    expect((await cli(['show', R])).stdout).toMatch(/Decision: Escalate \(ESCALATE\), confirmed .* by Rosa Reviewer[^]*Reason for the change: the face match needs a second look/);
  });

  test("decide: approving against Yoti's result (needs attention) needs --note; a contradicted reason needs --acknowledge-contradiction; refusals record nothing", async () => {
    const before = (await cli(['audit', 'log', '--json'])).stdout;
    const approve = await cli(['decide', E, '--decision', 'APPROVE', '--reviewer', 'Rosa Reviewer']);
    expect(approve.code).toBe(1);
    expect(approve.stderr).toMatch(/^idv-review: Not recorded: Approving against Yoti's result \(Needs attention: .*\) and 1 standing warning needs a note saying why you override \(CLI: --note "why"\)\.\n$/);
    const expired = await cli(['decide', A, '--decision', 'REJECT', '--reason', 'DOCUMENT_EXPIRED', '--reviewer', 'Rosa Reviewer']);
    expect(expired.code).toBe(1);
    expect(expired.stderr).toMatch(/Reason DOCUMENT_EXPIRED is contradicted: Document 1 is in date by its printed expiry date\. Acknowledge it to keep the reason \(CLI: --acknowledge-contradiction\)\./);
    expect((await cli(['audit', 'log', '--json'])).stdout).toBe(before);
    const kept = await cli(['decide', A, '--decision', 'REJECT', '--reason', 'DOCUMENT_EXPIRED', '--reviewer', 'Rosa Reviewer', '--acknowledge-contradiction']);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain('Reason DOCUMENT_EXPIRED kept although Document 1 is in date by its printed expiry date (acknowledged).');
  });

  test('audit verify: intact, exit 0; audit log names the session events', async () => {
    const run = await cli(['audit', 'verify']);
    expect(run.stdout).toMatch(/^Audit log intact: \d+ entries, head [0-9a-f]{64}; 4 sessions and \d+ files match it\./);
    expect(run.code).toBe(0);
    const log = JSON.parse((await cli(['audit', 'log', R, '--json'])).stdout) as Array<{ type: string; who: { osAccount: string } }>;
    expect(log.map((e) => e.type)).toEqual(['session.fetched', 'review.decision-saved', 'review.decision-saved', 'session.opened']);
    const all = JSON.parse((await cli(['audit', 'log', '--json'])).stdout) as Array<{ type: string }>;
    expect(all[0]?.type).toBe('key.imported');
    expect(all.map((e) => e.type)).toEqual(expect.arrayContaining(['session.opened', 'session.fetched']));
  });

  test('media = viewed: writing an item out is recorded', async () => {
    const mid = mediaFiles(G)[0]!.slice('media-'.length, -'.idvc'.length);
    const out = join(home, 'item.bin');
    expect((await cli(['media', G, mid, '--out', out])).code).toBe(0);
    const log = JSON.parse((await cli(['audit', 'log', G, '--json'])).stdout) as Array<{ type: string; data: { mediaId?: string } }>;
    expect(log.at(-1)).toMatchObject({ type: 'media.viewed', data: { mediaId: mid } });
  });

  test('offline (the API unreachable): show, list, decide and audit verify all work', async () => {
    await server.close();
    serverClosed = true;
    expect((await cli(['show', G])).code).toBe(0);
    expect((await cli(['list'])).code).toBe(0);
    const decided = await cli(['decide', G, '--decision', 'APPROVE', '--note', 'checked offline', '--reviewer', 'Rosa Reviewer']);
    expect(decided.stderr).toBe('');
    expect(decided.code).toBe(0);
    expect((await cli(['audit', 'verify'])).code).toBe(0);
    expect((await cli(['fetch', G, '--force', '--api-url', server.baseUrl])).code).toBe(2);
  });

  test('a damaged media file: show marks it, list reports it, audit verify names it and exits 3', async () => {
    // The document's fields: show says in words that they cannot be shown, and still shows the rest.
    const shown = JSON.parse((await cli(['show', A, '--json'])).stdout) as { summary: { documents: Array<{ fields: { mediaId: string } }> } };
    const file = join(home, 'evidence', A, `media-${shown.summary.documents[0]!.fields.mediaId}.idvc`);
    const original = readFileSync(file);
    const bad = Buffer.from(original);
    bad[bad.length - 10] = bad[bad.length - 10]! ^ 0x20;
    writeFileSync(file, bad);
    try {
      const show = await cli(['show', A]);
      expect(show.code).toBe(0);
      expect(show.stdout).toMatch(/DAMAGED, not shown/);
      expect(show.stdout).toMatch(/Damaged in the local store/);
      expect(show.stdout).toContain('\n    ! The document fields of Document 1 are not readable on this computer, so they are not shown.\n');
      expect(show.stdout).toMatch(/^Checks\n/m);
      // Read once by show (its integrity check reuses what verified): the damaged item is still named.
      const mediaId = shown.summary.documents[0]!.fields.mediaId;
      const changed = (JSON.parse((await cli(['show', A, '--json'])).stdout) as { changedOutsideApp: string[] }).changedOutsideApp;
      expect(changed.join('\n')).toContain(mediaId);
      const list = await cli(['list']);
      expect(list.stdout).toMatch(new RegExp(`${A}.*damaged`));
      const verify = await cli(['audit', 'verify']);
      expect(verify.code).toBe(3);
      expect(verify.stdout).toMatch(new RegExp(`^Audit verification FAILED: The local copy of media [0-9a-f-]+ of session ${A} is damaged`));
    } finally {
      writeFileSync(file, original);
    }
    expect((await cli(['audit', 'verify'])).code).toBe(0);
  });

  test('retain, purge --dry-run, purge; delete --local-only keeps the record; delete --record; the log stays intact', async () => {
    expect((await cli(['retain', E, '--until', '2020-01-01'])).code).toBe(0);
    const dry = await cli(['purge', '--dry-run']);
    expect(dry.stdout).toMatch(
      new RegExp(`Would delete the evidence of 1 session past the retain-until \\(3 kept; their review records stay\\):\\n\\s+${E}\\s+retain-until 2020-01-01T23:59:59.999Z\\n`),
    );
    expect(dry.stdout).toMatch(/\nNothing was deleted \(dry run\)\.\n$/);
    expect((await cli(['show', E])).code).toBe(0);
    const purge = await cli(['purge']);
    expect(purge.stdout).toMatch(new RegExp(`Deleted the evidence of 1 session past the retain-until .*\\n\\s+${E}`));
    expect((await cli(['show', E])).code).toBe(3);

    expect((await cli(['delete', G, '--local-only'])).stderr).toMatch(/without confirmation: pass --yes/);
    const del = await cli(['delete', G, '--local-only', '--yes']);
    expect(del.code).toBe(0);
    expect(del.stdout).toMatch(/Deleted the local copy of the evidence of session .*its review record and the audit log stay/);
    const shown = await cli(['show', G]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^Session \S+\n {2}Evidence deleted from this computer \(Yoti may still hold it\) on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC, by .* \(audit entry #\d+\)\. The review record is kept\.\n/);
    expect(shown.stdout).toMatch(/ {2}Decision: Approve \(APPROVE\), confirmed [^]*evidence manifest sha256:[0-9a-f]{64}[^]*Record kept until \d{4}-/);
    // The record still exports: from the record and the log, each item the decision rested on with its hash.
    const pdf = join(home, 'g.pdf');
    const exported = await cli(['export', G, '--out', pdf]);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    const text = normalise(pdfText(pdf));
    expect(text).toMatch(/EVIDENCE DELETED: Evidence deleted from this computer \(Yoti may still hold it\) on .* This record is printed from the review record and the audit log alone/);
    expect(text).toContain('Confirmed decision: Approve');
    // A hash wider than its column is cut onto a second line: read the pieces back together.
    const hashPieces = /Evidence \(deleted\) .*?Session JSON [0-9.]+ [KM]?i?B ((?:[0-9a-f]+ ?){1,3})/.exec(text)?.[1] ?? '';
    expect(hashPieces.replace(/ /g, '')).toMatch(/^[0-9a-f]{64}$/);
    const decided = JSON.parse((await cli(['show', G, '--json'])).stdout) as { review: { decided: { manifestHash: string } } };
    expect(text).toContain(decided.review.decided.manifestHash);
    expect(text).not.toMatch(/The session has no identity document|Yoti returned no checks/);
    const redacted = join(home, 'g-redacted.pdf');
    expect((await cli(['export', G, '--redact', '--out', redacted])).code).toBe(0);
    expect(normalise(pdfText(redacted))).not.toContain(decided.review.decided.manifestHash); // keyed commitments only
    const listed = await cli(['list']);
    expect(listed.stdout).toMatch(new RegExp(`${G}\\s+\\?\\s+\\?\\s+APPROVE\\s+\\?\\s+deleted \\d{4}-\\d{2}-\\d{2} \\(local-only\\), record kept`));
    expect(listed.stderr).toBe('');
    expect((await cli(['audit', 'verify'])).code).toBe(0);

    expect((await cli(['delete', G, '--record'])).stderr).toMatch(/Not deleting the review record of session .* without confirmation: pass --yes/);
    expect((await cli(['delete', G, '--record', '--local-only', '--yes'])).stderr).toMatch(/--record deletes the local review record only/);
    const gone = await cli(['delete', G, '--record', '--yes']);
    expect(gone.code).toBe(0);
    expect((await cli(['list'])).stdout).not.toContain(G);
    expect((await cli(['delete', G, '--record', '--yes'])).stderr).toMatch(/has no review record or evidence in the local store/);

    const log = JSON.parse((await cli(['audit', 'log', '--json'])).stdout) as Array<{ type: string; sessionId: string | null }>;
    expect(log.filter((e) => e.type === 'session.purged').map((e) => e.sessionId)).toEqual([E]);
    expect(log.filter((e) => e.type === 'session.deleted').map((e) => e.sessionId)).toEqual([G]);
    expect(log.filter((e) => e.type === 'record.deleted').map((e) => e.sessionId)).toEqual([G]);
    expect((await cli(['audit', 'verify'])).code).toBe(0);
  });

  test('an edited audit entry: audit verify names it and exits 3; writing stops', async () => {
    const path = join(home, 'audit', 'log.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    // Back-date entry #3 by a year.
    lines[2] = lines[2]!.replace(/"at":"(\d{4})/, (_, y: string) => `"at":"${Number(y) - 1}`);
    writeFileSync(path, lines.join('\n'));
    const verify = await cli(['audit', 'verify']);
    expect(verify.code).toBe(3);
    expect(verify.stdout).toMatch(/^Audit verification FAILED: audit entry #3 .*does not verify: it was edited/);
    // Nothing more is recorded on a log that does not verify.
    const show = await cli(['show', A]);
    expect(show.code).toBe(3);
    expect(show.stderr).toMatch(/audit log cannot be trusted/);
  });
});

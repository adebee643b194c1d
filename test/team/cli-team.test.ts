import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import { homeWithKey, runCli, type CliRun } from '../cli/support';
import { tcpProxy } from './support/tcp-proxy';
import { teamFixture, type TeamFixture } from './support/team-fixture';

const PASSWORD = 'correct horse battery staple';
const APPROVED = DEMO_SESSION_IDS.approvedPassport;
const REJECTED = DEMO_SESSION_IDS.rejectedIdCard;
const NON_LATIN = DEMO_SESSION_IDS.nonLatin;

type Workstation = Awaited<ReturnType<typeof homeWithKey>> & { run(args: string[], input?: string): Promise<CliRun> };

async function workstation(sdkId: string): Promise<Workstation> {
  const ws = await homeWithKey(sdkId);
  return { ...ws, run: (args, input) => runCli(args, { home: ws.home, ...(input === undefined ? {} : { input }) }) };
}

const json = (run: CliRun): unknown => JSON.parse(run.stdout);

describe('idv-review team: the command line in team mode, against the run\'s PostgreSQL', () => {
  let team: TeamFixture;
  let alice: Workstation;
  let bob: Workstation;
  let proxy: Awaited<ReturnType<typeof tcpProxy>>;
  const roles = { alice: '', bob: '', sam: '' };
  const cluster = new URL(inject('pgAdminUrl'));
  const dbUrl = (role: string, port = cluster.port) => `postgres://${role}@127.0.0.1:${port}/${team.database}`;

  beforeAll(async () => {
    team = await teamFixture(0);
    alice = await workstation('team-alice-sdk');
    bob = await workstation('team-bob-sdk');
    proxy = await tcpProxy(Number(cluster.port));
  });
  afterAll(async () => {
    await proxy.close();
    await Promise.all([alice.close(), bob.close()]);
    await team.close();
  });

  it('an admin migrates the database in one command; each reviewer joins as their own role, the password only in the keychain', async () => {
    const admin = `postgres://${cluster.username}@127.0.0.1:${cluster.port}/${team.database}`;
    const migrated = await alice.run(['team', 'migrate', '--db', admin, '--password-stdin'], `${decodeURIComponent(cluster.password)}\n`);
    expect(migrated.stderr).toBe('');
    expect(migrated.stdout).toMatch(/from schema version 0 to 3: 1 team-schema, 2 approve-sample, 3 open-queue\./);
    expect((await alice.run(['team', 'migrate', '--db', admin, '--password-stdin'], decodeURIComponent(cluster.password))).stdout).toMatch(/nothing to do/);
    // A database that does not exist yet is made first: setting up is one command.
    const fresh = await alice.run(['team', 'migrate', '--db', `${admin}_new`, '--password-stdin'], decodeURIComponent(cluster.password));
    expect(fresh.stdout).toBe(`Created the database ${team.database}_new on 127.0.0.1.\nMigrated ${cluster.username}@127.0.0.1:${cluster.port}/${team.database}_new from schema version 0 to 3: 1 team-schema, 2 approve-sample, 3 open-queue.\n`);

    roles.alice = (await team.person('alice')).role;
    roles.bob = (await team.person('bob')).role;
    roles.sam = (await team.person('sam', 'supervisor')).role;
    const wrong = await alice.run(['team', 'connect', '--db', dbUrl(roles.alice), '--password-stdin'], 'not the password');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/refused the login of alice_/);
    const joined = await alice.run(['team', 'connect', '--db', dbUrl(roles.alice), '--password-stdin'], `${PASSWORD}\n`);
    expect(joined.stdout).toMatch(new RegExp(`Joined the team database ${roles.alice}@127\\.0\\.0\\.1:\\d+/${team.database} as ${roles.alice} \\(reviewer\\)`));
    // Bob's workstation reaches the database through a relay the test can cut.
    expect((await bob.run(['team', 'connect', '--db', dbUrl(roles.bob, String(proxy.port)), '--password-stdin'], PASSWORD)).code).toBe(0);
    const settings = readFileSync(join(alice.home, 'settings.json'), 'utf8');
    expect(JSON.parse(settings)).toMatchObject({ team: { host: '127.0.0.1', database: team.database, user: roles.alice } });
    expect(settings).not.toContain('horse');
  });

  it('claims: each reviewer gets another session; {"sessionId": null} when none is left', async () => {
    expect((await alice.run(['team', 'queue', 'add', APPROVED, REJECTED])).stdout).toMatch(/Added 2 sessions to the team queue\./);
    expect((await bob.run(['team', 'queue', 'add', REJECTED])).stdout).toMatch(/already queued: /);
    const first = json(await alice.run(['team', 'claim', '--json'])) as { sessionId: string };
    const second = json(await bob.run(['team', 'claim', '--json'])) as { sessionId: string };
    expect(new Set([first.sessionId, second.sessionId])).toEqual(new Set([APPROVED, REJECTED]));
    expect(json(await alice.run(['team', 'claim', '--json']))).toEqual({ sessionId: null });
    expect((await alice.run(['team', 'claim'])).stdout).toMatch(/Nothing left to claim/);
  });

  it('four eyes: a REJECT waits for a second reviewer, the author cannot countersign it, another reviewer can', async () => {
    for (const ws of [alice, bob]) expect((await ws.run(['fetch', REJECTED, APPROVED, NON_LATIN, '--api-url', ws.server.baseUrl])).code).toBe(0);
    const decided = await alice.run(['decide', REJECTED, '--decision', 'REJECT', '--reason', 'DOCUMENT_EXPIRED', '--reviewer', 'Alice A']);
    expect(decided.stderr).toBe('');
    expect(decided.stdout).toMatch(/Team database: submitted; final once another reviewer countersigns\./);
    const own = await alice.run(['team', 'countersign', REJECTED]);
    expect(own.code).toBe(2);
    expect(own.stderr).toMatch(/You cannot countersign your own decision/);
    const waiting = json(await bob.run(['team', 'status', '--json'])) as { awaitingYourCountersignature: Array<{ sessionId: string; reviewer: string }> };
    expect(waiting.awaitingYourCountersignature).toEqual([expect.objectContaining({ sessionId: REJECTED, reviewer: roles.alice, decision: 'REJECT' })]);
    const signed = await bob.run(['team', 'countersign', REJECTED]);
    expect(signed.stdout).toMatch(new RegExp(`Countersigned ${roles.alice}'s REJECT on session ${REJECTED} .*: it is final\\.`));
  });

  it('deciding over a colleague\'s decision is refused in words, recording nothing, unless the reviewer says why', async () => {
    const refused = await bob.run(['decide', REJECTED, '--decision', 'APPROVE', '--reviewer', 'Bob B', '--note', 'looks fine']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`${roles.alice} already decided REJECT on session ${REJECTED} in the team database.*--supersede WHY`));
    expect((await bob.run(['show', REJECTED, '--json'])).stdout).not.toMatch(/"CONFIRMED"/);
    const over = await bob.run(['decide', REJECTED, '--decision', 'APPROVE', '--reviewer', 'Bob B', '--note', 'the expiry date was misread', '--supersede', 'the expiry date was misread']);
    expect(over.stderr).toBe('');
    expect(over.stdout).toMatch(/Team database: submitted; final once another reviewer countersigns\./);
    const stored = await team.admin.query("SELECT overrides->>'decidedOverAnother' AS why, requires_countersign FROM idv_team.review_versions WHERE session_id = $1 AND reviewer = $2", [REJECTED, roles.bob]);
    expect(stored.rows).toEqual([{ why: 'the expiry date was misread', requires_countersign: true }]);
    // The local record (and so show and the PDF) keeps whose decision it replaced, and why.
    const shown = await bob.run(['show', REJECTED]);
    expect(shown.stdout).toContain(`Decided over ${roles.alice}'s REJECT in the team database. Why: the expiry date was misread`);
    const record = json(await bob.run(['show', REJECTED, '--json'])) as { review: { decided: { context: { decidedOver?: unknown } } } };
    expect(record.review.decided.context.decidedOver).toEqual({ reviewer: roles.alice, decision: 'REJECT', reason: 'the expiry date was misread' });
    expect((await alice.run(['team', 'countersign', REJECTED])).stdout).toMatch(/it is final/);
  });

  it('offline: a decision is kept in the outbox and sent when the database is back; a colleague\'s decision meanwhile makes a conflict that keeps both', async () => {
    await proxy.cut();
    const offline = await bob.run(['decide', NON_LATIN, '--decision', 'APPROVE', '--reviewer', 'Bob B']);
    expect(offline.code).toBe(0);
    expect(offline.stdout).toMatch(/Decision APPROVE confirmed/);
    expect(offline.stderr).toMatch(/The team database cannot be reached: 1 decision kept in the outbox, sent when it is back\./);
    expect((await alice.run(['decide', NON_LATIN, '--decision', 'ESCALATE', '--reason', 'SUSPECTED_FRAUD', '--reviewer', 'Alice A'])).stdout).toMatch(/Team database: submitted/);

    await proxy.restore();
    const back = await bob.run(['team', 'status', '--json']);
    expect(back.stderr).toMatch(new RegExp(`Session ${NON_LATIN}: another reviewer's decision .* reached the team database first; both are kept`));
    const status = json(back) as { conflicts: Array<{ sessionId: string }>; outbox: { pending: number; sentNow: number } };
    expect(status.outbox).toEqual({ pending: 0, sentNow: 1 });
    expect(status.conflicts.map((c) => c.sessionId)).toEqual([NON_LATIN]);
    // Shown to the other reviewer and to the supervisor too; both versions are in the database.
    expect((await alice.run(['team', 'status'])).stdout).toMatch(new RegExp(`In conflict: ${NON_LATIN}: .*both are kept`));
    const versions = await team.admin.query('SELECT reviewer::text, decision FROM idv_team.review_versions WHERE session_id = $1 ORDER BY submitted_at', [NON_LATIN]);
    expect(versions.rows).toEqual([{ reviewer: roles.alice, decision: 'ESCALATE' }, { reviewer: roles.bob, decision: 'APPROVE' }]);
    // Sent once: a second status sends nothing.
    expect((json(await bob.run(['team', 'status', '--json'])) as { outbox: unknown }).outbox).toEqual({ pending: 0, sentNow: 0 });

    const sam = await workstation('team-sam-sdk');
    try {
      expect((await sam.run(['team', 'connect', '--db', dbUrl(roles.sam), '--password-stdin'], PASSWORD)).stdout).toMatch(/\(supervisor\)/);
      const figures = await sam.run(['team', 'status']);
      expect(figures.stdout).toMatch(/Team queue: .* 1 in conflict/);
      expect(figures.stdout).toMatch(new RegExp(`${roles.alice}: 2 decided today, 50% agree with Yoti`));
      expect(figures.stdout).toMatch(new RegExp(`${roles.bob}: 2 decided today`));
    } finally {
      await sam.close();
    }
  });

  it('claims change hands only as the rules say: release your own, a supervisor reassigns; the team audit log checks out', async () => {
    const EDGE = DEMO_SESSION_IDS.edgeCases;
    await alice.run(['team', 'queue', 'add', EDGE]);
    expect(json(await alice.run(['team', 'claim', '--json']))).toEqual({ sessionId: EDGE });
    const notMine = await bob.run(['team', 'release', EDGE]);
    expect([notMine.code, notMine.stdout]).toEqual([3, `You hold no claim on session ${EDGE} (a supervisor may release anyone's).\n`]);
    const notSupervisor = await bob.run(['team', 'reassign', EDGE, '--to', roles.bob]);
    expect(notSupervisor.code).toBe(1);
    expect(notSupervisor.stderr).toMatch(new RegExp(`Only a supervisor reassigns claims; ${roles.bob} is a reviewer\\.`));
    const sam = await workstation('team-sam2-sdk');
    try {
      await sam.run(['team', 'connect', '--db', dbUrl(roles.sam), '--password-stdin'], PASSWORD);
      expect((await sam.run(['team', 'reassign', EDGE, '--to', roles.bob])).stdout).toBe(`Session ${EDGE} is now claimed by ${roles.bob}.\n`);
    } finally {
      await sam.close();
    }
    expect((await alice.run(['team', 'release', EDGE])).code).toBe(3);
    expect((await bob.run(['team', 'release', EDGE])).stdout).toBe(`Released your claim on session ${EDGE}.\n`);

    const audit = json(await alice.run(['team', 'audit', 'verify', '--json'])) as { entries: number; problem: string | null };
    expect(audit.problem).toBeNull();
    expect(audit.entries).toBeGreaterThan(10);
    // The owner edits what a row says beside its hashed text (who a claim went to), then the hashed text itself.
    await team.admin.query(`UPDATE idv_team.audit SET detail = jsonb_set(detail, '{reviewer}', '"someone"') WHERE seq = (SELECT min(seq) FROM idv_team.audit WHERE action = 'claims.insert')`);
    const sideways = await alice.run(['team', 'audit', 'verify']);
    expect(sideways.code).toBe(3);
    expect(sideways.stdout).toMatch(/^The team audit log is broken at entry \d+: entry \d+'s columns differ from what was hashed\.\n$/);
    await team.admin.query("UPDATE idv_team.audit SET entry = replace(entry, 'claims.insert', 'claims.delete'), detail = (entry::jsonb)->'detail' WHERE action = 'claims.insert'");
    expect((await alice.run(['team', 'audit', 'verify'])).stdout).toMatch(/^The team audit log is broken at entry \d+: entry \d+ was changed after it was written\.\n$/);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamVersion } from '../../main/core/team/team-db';
import { teamFixture, type TeamFixture } from './support/team-fixture';

const SHA = 'a'.repeat(64);

function version(sessionId: string, decision: TeamVersion['decision'], over: Partial<TeamVersion> = {}): TeamVersion {
  return {
    versionId: randomUUID(),
    sessionId,
    decision,
    reasons: decision === 'APPROVE' ? [] : ['DOCUMENT_EXPIRED'],
    notes: 'checked the document against the selfie',
    verdicts: [],
    overrides: {},
    manifestSha256: SHA,
    yotiResult: 'APPROVE',
    baseVersionId: null,
    decidedAt: new Date().toISOString(),
    timeOnTaskMs: 90_000,
    activeMs: 60_000,
    ...over,
  };
}

const sqlState = (p: Promise<unknown>) => p.then(() => 'no error', (e: { code?: string }) => e.code);

describe('team database: four eyes, row-level security, conflicts, audit', () => {
  let team: TeamFixture;
  beforeAll(async () => {
    team = await teamFixture();
  });
  afterAll(() => team.close());

  it('a countersignature by the author is refused by the database, through the app and through direct SQL', async () => {
    const alice = await team.person('alice');
    const bob = await team.person('bob');
    const v = version('sess-reject-1', 'REJECT');
    expect(await alice.db.submitVersion(v)).toEqual({ written: true, requiresCountersign: true, conflictsWith: null });
    expect((await alice.db.sessionState('sess-reject-1'))?.final).toBe(false);

    await expect(alice.db.countersign('sess-reject-1')).rejects.toMatchObject({ code: 'TEAM_FOUR_EYES' });
    // Direct SQL: naming herself as signer breaks the check constraint; naming bob breaks the policy.
    expect(await sqlState(alice.client.query('INSERT INTO idv_team.countersignatures (version_id) VALUES ($1)', [v.versionId]))).toBe('23514');
    expect(await sqlState(alice.client.query('INSERT INTO idv_team.countersignatures (version_id, signer) VALUES ($1, $2)', [v.versionId, bob.role]))).toBe('42501');
    // The shared group role is no disguise: identity is the login role.
    await alice.client.query('SET ROLE idv_reviewer');
    expect(await sqlState(alice.client.query('INSERT INTO idv_team.countersignatures (version_id, signer) VALUES ($1, $2)', [v.versionId, 'idv_reviewer']))).toBe('42501');
    expect(await sqlState(alice.client.query('INSERT INTO idv_team.countersignatures (version_id) VALUES ($1)', [v.versionId]))).toBe('23514');
    await alice.client.query('RESET ROLE');

    expect((await bob.db.awaitingCountersign()).map((s) => s.session_id)).toContain('sess-reject-1');
    expect((await alice.db.awaitingCountersign()).map((s) => s.session_id)).not.toContain('sess-reject-1');
    expect(await bob.db.countersign('sess-reject-1')).toEqual({ versionId: v.versionId, author: alice.role, decision: 'REJECT' });
    expect(await bob.db.sessionState('sess-reject-1')).toMatchObject({ final: true, countersigned_by: bob.role });
    await expect(bob.db.countersign('sess-reject-1')).rejects.toMatchObject({ code: 'TEAM_ALREADY_COUNTERSIGNED' });
  });

  it('an APPROVE is final at once, an ESCALATE only once countersigned; a sample of approvals when a supervisor sets one', async () => {
    const alice = await team.person('alice2');
    const sam = await team.person('sam', 'supervisor');
    expect(await alice.db.submitVersion(version('sess-approve-1', 'APPROVE'))).toMatchObject({ requiresCountersign: false });
    expect((await alice.db.sessionState('sess-approve-1'))?.final).toBe(true);
    expect(await alice.db.submitVersion(version('sess-escalate-1', 'ESCALATE'))).toMatchObject({ requiresCountersign: true });
    // Only a supervisor sets the sample.
    expect(await sqlState(alice.client.query('UPDATE idv_team.settings SET approve_sample_percent = 100'))).toBe('42501');
    await sam.client.query('UPDATE idv_team.settings SET approve_sample_percent = 100');
    expect(await alice.db.submitVersion(version('sess-approve-2', 'APPROVE'))).toMatchObject({ requiresCountersign: true });
    await sam.client.query('UPDATE idv_team.settings SET approve_sample_percent = 0');
    // The client cannot decide it: the column is filled by the database whatever is sent.
    await alice.client.query(
      `INSERT INTO idv_team.review_versions (version_id, session_id, decision, reasons, notes, verdicts, overrides, manifest_sha256, yoti_result, decided_at, submitted_at, requires_countersign)
       VALUES ($1, 'sess-approve-2', 'REJECT', '[]', '', '[]', '{}', $2, 'APPROVE', now(), now(), false)`,
      [randomUUID(), SHA],
    );
    expect((await alice.db.sessionState('sess-approve-2'))?.requires_countersign).toBe(true);
  });

  it('row-level security: a reviewer cannot change another reviewer\'s claim or write a version in their name; a supervisor reassigns', async () => {
    await team.admin.query("INSERT INTO idv_team.queue (session_id, added_by) SELECT 'rls-' || g, 'admin' FROM generate_series(1, 3) g");
    const carol = await team.person('carol');
    const dave = await team.person('dave');
    const sam = await team.person('sam2', 'supervisor');
    const claimed = await carol.db.claimNext();
    expect(claimed).not.toBeNull();
    const session = claimed ?? '';
    // Dave's edits of Carol's claim match no row he may touch.
    expect((await dave.client.query("UPDATE idv_team.claims SET lease_until = now() + interval '9 hours' WHERE session_id = $1", [session])).rowCount).toBe(0);
    expect(await dave.db.releaseClaim(session)).toBe(false);
    expect(await sqlState(dave.client.query('UPDATE idv_team.claims SET reviewer = $2 WHERE session_id = $1', [session, dave.role]))).toBe('42501');
    expect((await dave.db.sessionState(session))?.claimed_by).toBe(carol.role);
    // A version in Carol's name, or any change to a version, is refused.
    expect(await sqlState(dave.client.query(
      `INSERT INTO idv_team.review_versions (version_id, session_id, reviewer, decision, reasons, notes, verdicts, overrides, manifest_sha256, yoti_result, decided_at, submitted_at, requires_countersign)
       VALUES ($1, $2, $3, 'APPROVE', '[]', '', '[]', '{}', $4, 'APPROVE', now(), now(), false)`,
      [randomUUID(), session, carol.role, SHA],
    ))).toBe('42501');
    await carol.db.submitVersion(version(session, 'APPROVE'));
    expect(await sqlState(dave.client.query("UPDATE idv_team.review_versions SET decision = 'REJECT' WHERE session_id = $1", [session]))).toBe('42501');
    expect(await sqlState(carol.client.query("UPDATE idv_team.review_versions SET notes = '' WHERE session_id = $1", [session]))).toBe('42501');
    expect(await sqlState(carol.client.query('DELETE FROM idv_team.review_versions WHERE session_id = $1', [session]))).toBe('42501');
    // The supervisor hands a claim to another reviewer.
    const next = (await carol.db.claimNext()) ?? '';
    expect(await sam.db.reassignClaim(next, dave.role)).toBe(true);
    expect((await dave.db.sessionState(next))?.claimed_by).toBe(dave.role);
    expect(await carol.db.releaseClaim(next)).toBe(false);
    expect(await dave.db.releaseClaim(next)).toBe(true);
  });

  it('two decisions made without seeing each other are both kept and the session shows the conflict until a decision sees both', async () => {
    const erin = await team.person('erin');
    const frank = await team.person('frank');
    const first = version('sess-conflict', 'APPROVE');
    const second = version('sess-conflict', 'REJECT');
    expect((await erin.db.submitVersion(first)).conflictsWith).toBeNull();
    expect((await frank.db.submitVersion(second)).conflictsWith).toBe(first.versionId);
    const versions = await team.admin.query("SELECT version_id, reviewer::text, decision FROM idv_team.review_versions WHERE session_id = 'sess-conflict' ORDER BY submitted_at");
    expect(versions.rows).toEqual([
      { version_id: first.versionId, reviewer: erin.role, decision: 'APPROVE' },
      { version_id: second.versionId, reviewer: frank.role, decision: 'REJECT' },
    ]);
    for (const viewer of [erin, frank]) expect((await viewer.db.conflicts()).map((s) => s.session_id)).toContain('sess-conflict');
    expect((await frank.db.sessionState('sess-conflict'))?.final).toBe(false);
    await expect(erin.db.countersign('sess-conflict')).rejects.toMatchObject({ code: 'TEAM_IN_CONFLICT' });
    // Erin decides again having seen Frank's version: the conflict is settled (and this REJECT waits for four eyes).
    expect((await erin.db.submitVersion(version('sess-conflict', 'REJECT', { baseVersionId: second.versionId }))).conflictsWith).toBeNull();
    expect((await erin.db.conflicts()).map((s) => s.session_id)).not.toContain('sess-conflict');
  });

  it('a decision that replaces another reviewer\'s needs a countersignature whatever it is, so no one turns a REJECT alone', async () => {
    const ivan = await team.person('ivan');
    const judy = await team.person('judy');
    const reject = version('sess-flip', 'REJECT');
    await ivan.db.submitVersion(reject);
    await judy.db.countersign('sess-flip');
    expect((await judy.db.sessionState('sess-flip'))?.final).toBe(true);
    const flip = version('sess-flip', 'APPROVE', { baseVersionId: reject.versionId });
    expect(await judy.db.submitVersion(flip)).toMatchObject({ requiresCountersign: true, conflictsWith: null });
    expect((await judy.db.sessionState('sess-flip'))?.final).toBe(false);
    await expect(judy.db.countersign('sess-flip')).rejects.toMatchObject({ code: 'TEAM_FOUR_EYES' });
    await ivan.db.countersign('sess-flip');
    expect(await ivan.db.sessionState('sess-flip')).toMatchObject({ decision: 'APPROVE', final: true });
    // The author's own next version needs no second reviewer for an APPROVE.
    expect(await ivan.db.submitVersion(version('sess-approve-own', 'APPROVE'))).toMatchObject({ requiresCountersign: false });
  });

  it('a version submitted twice is written once; the same id with another decision is refused', async () => {
    const gina = await team.person('gina');
    const v = version('sess-idem', 'APPROVE');
    expect((await gina.db.submitVersion(v)).written).toBe(true);
    expect(await gina.db.submitVersion(v)).toEqual({ written: false, requiresCountersign: false, conflictsWith: null });
    await expect(gina.db.submitVersion({ ...v, decision: 'REJECT' })).rejects.toMatchObject({ code: 'TEAM_VERSION_CLASH' });
    expect((await team.admin.query("SELECT count(*)::int AS n FROM idv_team.review_versions WHERE session_id = 'sess-idem'")).rows[0]).toEqual({ n: 1 });
  });

  it('the audit table is append-only for everyone but its owner, hash-chained, and an owner\'s edit is found', async () => {
    const hank = await team.person('hank');
    const sam = await team.person('sam3', 'supervisor');
    await hank.db.addToQueue(['sess-audit-1']);
    for (const who of [hank, sam]) {
      expect(await sqlState(who.client.query("UPDATE idv_team.audit SET action = 'x'"))).toBe('42501');
      expect(await sqlState(who.client.query('DELETE FROM idv_team.audit'))).toBe('42501');
      expect(await sqlState(who.client.query("INSERT INTO idv_team.audit (action, detail) VALUES ('forged', '{}')"))).toBe('42501');
    }
    const check = await hank.db.verifyAudit();
    expect(check).toMatchObject({ brokenAt: null, problem: null });
    expect(check.entries).toBeGreaterThan(10);
    const mine = await hank.client.query("SELECT actor::text, action FROM idv_team.audit WHERE session_id = 'sess-audit-1'");
    expect(mine.rows).toEqual([{ actor: hank.role, action: 'queue.insert' }]);
    // Notes never reach the log.
    expect((await hank.client.query("SELECT count(*)::int AS n FROM idv_team.audit WHERE entry LIKE '%selfie%'")).rows[0]).toEqual({ n: 0 });

    await team.admin.query("UPDATE idv_team.audit SET entry = replace(entry, 'queue.insert', 'queue.delete'), action = 'queue.delete' WHERE session_id = 'sess-audit-1'");
    const after = await hank.db.verifyAudit();
    expect(after.problem).toMatch(/was changed after it was written/);
    await team.admin.query("UPDATE idv_team.audit SET entry = replace(entry, 'queue.delete', 'queue.insert'), action = 'queue.insert' WHERE session_id = 'sess-audit-1'");
    // Moving an entry in time beside its hashed text is found too.
    await team.admin.query("UPDATE idv_team.audit SET at = at - interval '1 day' WHERE session_id = 'sess-audit-1'");
    expect((await hank.db.verifyAudit()).problem).toMatch(/columns differ from what was hashed/);
    await team.admin.query("UPDATE idv_team.audit SET at = at + interval '1 day' WHERE session_id = 'sess-audit-1'");
    expect((await hank.db.verifyAudit()).problem).toBeNull();
    await team.admin.query("DELETE FROM idv_team.audit WHERE seq = (SELECT max(seq) - 1 FROM idv_team.audit)");
    expect((await hank.db.verifyAudit()).problem).toMatch(/is missing|does not follow/);
  });
});

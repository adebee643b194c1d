import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import { loadSettings } from '../../main/core/settings';
import { TeamOutbox } from '../../main/core/team/outbox';
import { handlerHarness } from '../unit/ipc/handler-harness';
import { teamFixture, type TeamFixture } from './support/team-fixture';

const { approvedPassport: APPROVED, rejectedIdCard: REJECTED, nonLatin: NON_LATIN } = DEMO_SESSION_IDS;
const PASSWORD = 'correct horse battery staple';

/* The app's team calls over the real handler table and services, against the run's PostgreSQL. */
describe('the app in team mode (handler table)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'idv-team-handlers-'));
  const { services, ok, fails, dialogs } = handlerHarness(dataDir);
  let team: TeamFixture;
  let alice = '';
  let bob: Awaited<ReturnType<TeamFixture['person']>>;
  const url = () => {
    const u = new URL(inject('pgAdminUrl'));
    return `postgres://${alice}@127.0.0.1:${u.port}/${team.database}`;
  };
  const decide = (sessionId: string, decision: string, reasonCodes: string[]) => ({
    sessionId, decision, reasonCodes, notes: 'seen in the app', checkVerdicts: [], overrides: { acknowledgeUnviewed: true },
  });

  beforeAll(async () => {
    team = await teamFixture();
    alice = (await team.person('alice_app')).role;
    bob = await team.person('bob_app');
    await ok('startDemo', {});
    await ok('updateSettings', { reviewerName: 'Alice App' });
    for (const id of [APPROVED, REJECTED, NON_LATIN]) await ok('fetchSession', { sessionId: id });
  });
  afterAll(async () => {
    await services.close();
    await team.close();
  });

  it('joins only once the person confirms in main\'s own dialog, and only with a login the database accepts', async () => {
    expect(await ok('getTeamView', {})).toEqual({ joined: false });
    expect(await ok('joinTeam', { url: url(), password: PASSWORD })).toEqual({ joined: false });
    expect(dialogs.history.at(-1)).toMatchObject({ kind: 'confirm', answer: false, question: { message: `Join the team database ${alice}@127.0.0.1:${new URL(url()).port}/${team.database}?` } });
    dialogs.nextConfirm = true;
    expect(await fails('joinTeam', { url: url(), password: 'wrong password!' })).toMatchObject({ code: 'TEAM_LOGIN_REFUSED', kind: 'remote' });
    expect((await loadSettings(dataDir)).team).toBeUndefined();
    dialogs.nextConfirm = true;
    const view = await ok('joinTeam', { url: url(), password: PASSWORD });
    expect(view).toMatchObject({ joined: true, reachable: true, role: alice, supervisor: false, outboxPending: 0 });
    expect(JSON.stringify(view)).not.toContain('horse');
    expect((await loadSettings(dataDir)).team).toEqual({ host: '127.0.0.1', port: Number(new URL(url()).port), database: team.database, user: alice });
  });

  it('claim next: the session joins the local list and the team sees who holds it', async () => {
    await bob.db.addToQueue([REJECTED, APPROVED]);
    const claimed = await ok('claimNextTeamSession', {});
    expect([APPROVED, REJECTED]).toContain(claimed.sessionId);
    expect((await ok('listSessions', {})).map((r) => r.sessionId)).toContain(claimed.sessionId);
    const view = await ok('getTeamView', {});
    expect(view.joined && view.reachable && view.claims).toEqual([expect.objectContaining({ sessionId: claimed.sessionId, claimedBy: alice })]);
  });

  it('a REJECT confirmed in the app goes to the team database and waits for another reviewer; its author cannot countersign it', async () => {
    await ok('confirmDecision', decide(REJECTED, 'REJECT', ['DOCUMENT_EXPIRED']));
    expect((await bob.db.awaitingCountersign()).map((s) => [s.session_id, s.reviewer])).toEqual([[REJECTED, alice]]);
    expect(await fails('countersignTeamDecision', { sessionId: REJECTED })).toMatchObject({ code: 'TEAM_FOUR_EYES', kind: 'remote' });
    await bob.db.countersign(REJECTED);
    const view = await ok('getTeamView', {});
    expect(view.joined && view.reachable && view.counts.final).toBe(1);
  });

  it('deciding in the app over another reviewer\'s decision is refused in words and records nothing', async () => {
    await bob.db.submitVersion({
      versionId: randomUUID(), sessionId: APPROVED, decision: 'APPROVE', reasons: [], notes: '', verdicts: [], overrides: {},
      manifestSha256: 'd'.repeat(64), yotiResult: 'APPROVE', baseVersionId: null, decidedAt: new Date().toISOString(), timeOnTaskMs: null, activeMs: null,
    });
    const audit = (await services.offline()).audit;
    const before = (await audit.entries()).length;
    expect(await fails('confirmDecision', decide(APPROVED, 'APPROVE', []))).toMatchObject({ code: 'TEAM_DECIDED_BY_ANOTHER', message: expect.stringMatching(new RegExp(`${bob.role} already decided APPROVE`)) });
    expect((await audit.entries()).length).toBe(before);
    expect((await (await services.offline()).reviews.get(APPROVED)).decided).toBeNull();
  });

  it('a decision confirmed just before the process ended still reaches the team database; one refused leaves nothing to send', async () => {
    const team = await services.team.service();
    const offline = await services.offline();
    const online = { baseVersionId: null, offline: false, over: null };
    // What confirmDecision does, cut short after the local confirmation (no enqueue).
    await team.expect(NON_LATIN, online);
    const version = await offline.reviews.confirmDecision(NON_LATIN, { decision: 'ESCALATE', reasonCodes: ['SUSPECTED_FRAUD'], via: 'app', overrides: { acknowledgeUnviewed: true } });
    expect(await team.pending()).toEqual([expect.objectContaining({ sessionId: NON_LATIN, versionId: null })]);
    const view = await ok('getTeamView', {});
    expect(view.joined && view.reachable && [view.sentNow, view.outboxPending]).toEqual([1, 0]);
    expect(await bob.db.sessionState(NON_LATIN)).toMatchObject({ version_id: version.versionId, reviewer: alice, decision: 'ESCALATE' });

    // A note from long ago whose confirmation never happened, and a version whose record is gone, are taken out
    // without blocking the rest; a note of a confirmation still under way (another window) waits.
    const outbox = new TeamOutbox(dataDir, await services.vault.subkey('team'));
    await outbox.put({ sessionId: APPROVED, seq: null, versionId: null, baseVersionId: null, overReason: null, queuedAt: '2026-01-01T00:00:00.000Z' });
    await team.enqueue({ ...version, seq: 99, versionId: randomUUID() }, online);
    const outcome = await services.team.sendOutbox();
    expect([outcome.submitted, outcome.pending]).toEqual([[], 0]);
    expect(outcome.unsendable.map((u) => u.why)).toEqual([`version 99 of session ${NON_LATIN} is no longer in the review store as it was`]);
    expect(await team.pending()).toEqual([]);
    await team.expect(APPROVED, online);
    expect((await services.team.sendOutbox()).pending).toBe(1);
    expect(await team.pending()).toEqual([expect.objectContaining({ sessionId: APPROVED, versionId: null })]);
    await team.forget(APPROVED);
    expect(await team.pending()).toEqual([]);
  });
});

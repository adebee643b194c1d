import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamFixture, type TeamFixture } from './support/team-fixture';

describe('claims: one reviewer per session', () => {
  let team: TeamFixture;
  beforeAll(async () => {
    team = await teamFixture();
  });
  afterAll(() => team.close());

  it('20 reviewers claiming at once from 2,000 sessions: every session claimed exactly once, none lost', async () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `claim-${String(i).padStart(4, '0')}`);
    const lead = await team.person('lead', 'supervisor');
    expect((await lead.db.addToQueue(ids)).added).toHaveLength(2000);
    const reviewers = [];
    for (let i = 0; i < 20; i++) reviewers.push(await team.person(`r${i}`));
    const got = await Promise.all(
      reviewers.map(async (r) => {
        const mine: string[] = [];
        for (let s = await r.db.claimNext(); s !== null; s = await r.db.claimNext()) mine.push(s);
        return mine;
      }),
    );
    const all = got.flat();
    expect(all).toHaveLength(2000);
    expect(new Set(all).size).toBe(2000);
    expect([...all].sort()).toEqual(ids);
    // Every reviewer took part, and the database agrees with what each was told.
    expect(got.every((mine) => mine.length > 0)).toBe(true);
    const rows = await team.admin.query('SELECT session_id, reviewer::text FROM idv_team.claims');
    const holder = new Map(rows.rows.map((r: { session_id: string; reviewer: string }) => [r.session_id, r.reviewer]));
    reviewers.forEach((r, i) => {
      for (const s of got[i] ?? []) expect(holder.get(s)).toBe(r.role);
    });
    expect(await reviewers[0]?.db.claimNext()).toBeNull();
  });

  it('an expired claim can be taken by another reviewer; a decided session is never offered again', async () => {
    const lead = await team.person('lead2', 'supervisor');
    await team.admin.query('DELETE FROM idv_team.queue');
    await lead.db.addToQueue(['lease-1', 'lease-2']);
    const ann = await team.person('ann');
    const ben = await team.person('ben');
    expect(await ann.db.claimNext(60)).toBe('lease-1');
    await team.admin.query("UPDATE idv_team.claims SET claimed_at = now() - interval '2 hours', lease_until = now() - interval '1 second' WHERE session_id = 'lease-1'");
    expect(await ben.db.claimNext()).toBe('lease-1');
    expect((await ann.db.sessionState('lease-1'))?.claimed_by).toBe(ben.role);
    await ben.db.submitVersion({
      versionId: crypto.randomUUID(), sessionId: 'lease-1', decision: 'APPROVE', reasons: [], notes: '', verdicts: [], overrides: {},
      manifestSha256: 'b'.repeat(64), yotiResult: 'APPROVE', baseVersionId: null, decidedAt: new Date().toISOString(), timeOnTaskMs: null, activeMs: null,
    });
    expect((await ann.db.sessionState('lease-1'))?.claimed_by).toBeNull();
    expect(await ann.db.claimNext()).toBe('lease-2');
    expect(await ann.db.claimNext()).toBeNull();
    await expect(ann.db.claimNext(0)).rejects.toMatchObject({ code: '22023' });
  });
});

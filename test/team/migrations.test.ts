import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../main/core/team/migrate';
import { MIGRATIONS } from '../../main/core/team/migrations';
import { teamFixture, type TeamFixture } from './support/team-fixture';

describe('team schema migrations', () => {
  let team: TeamFixture | undefined;
  afterEach(() => team?.close());

  it('from empty: every migration applied in order, once; a second run applies nothing', async () => {
    team = await teamFixture(0);
    expect(await schemaVersion(team.admin)).toBe(0);
    expect(await migrate(team.admin)).toEqual({ from: 0, to: MIGRATIONS.length, applied: MIGRATIONS.map(({ version, name }) => ({ version, name })) });
    expect(await migrate(team.admin)).toEqual({ from: MIGRATIONS.length, to: MIGRATIONS.length, applied: [] });
    expect(await schemaVersion(team.admin)).toBe(MIGRATIONS.length);
    const reviewer = await team.person('ivy');
    expect(await schemaVersion(reviewer.client)).toBe(MIGRATIONS.length);
  });

  it('from the previous version: the data stays, the new rules apply, and the audit chain runs on unbroken', async () => {
    team = await teamFixture(MIGRATIONS.length - 1);
    const ivy = await team.person('ivy2');
    const sam = await team.person('sam4', 'supervisor');
    await ivy.db.addToQueue(['old-1', 'old-2', 'old-3']);
    const before = { versionId: randomUUID(), sessionId: 'old-1', decision: 'APPROVE' as const, reasons: [], notes: 'n', verdicts: [], overrides: {},
      manifestSha256: 'c'.repeat(64), yotiResult: 'APPROVE', baseVersionId: null, decidedAt: new Date().toISOString(), timeOnTaskMs: 1, activeMs: 1 };
    await ivy.db.submitVersion(before);
    expect(await ivy.db.claimNext()).toBe('old-2');

    expect((await migrate(team.admin)).applied.map((m) => m.version)).toEqual([MIGRATIONS.length]);
    expect(await ivy.db.sessionState('old-1')).toMatchObject({ version_id: before.versionId, final: true });
    expect((await ivy.db.sessionState('old-2'))?.claimed_by).toBe(ivy.role);
    // Whatever the previous version had claimed or decided stays out of claim-next.
    expect(await ivy.db.claimNext()).toBe('old-3');
    expect(await ivy.db.claimNext()).toBeNull();
    await sam.client.query('UPDATE idv_team.settings SET approve_sample_percent = 100');
    expect((await ivy.db.submitVersion({ ...before, versionId: randomUUID(), sessionId: 'old-2' })).requiresCountersign).toBe(true);
    expect(await ivy.db.verifyAudit()).toMatchObject({ brokenAt: null });
  });

  it('refuses a database newer than this build, and a released migration that was edited, changing nothing', async () => {
    team = await teamFixture();
    await expect(migrate(team.admin, 1, MIGRATIONS.slice(0, 1))).rejects.toMatchObject({ code: 'TEAM_SCHEMA_NEWER' });
    const edited = MIGRATIONS.map((m, i) => (i === 0 ? { ...m, sql: `${m.sql}\n-- edited` } : m));
    await expect(migrate(team.admin, MIGRATIONS.length, edited)).rejects.toMatchObject({ code: 'TEAM_MIGRATION_CHANGED' });
    await expect(migrate(team.admin, MIGRATIONS.length + 1)).rejects.toMatchObject({ code: 'TEAM_MIGRATION_UNKNOWN' });
    expect(await schemaVersion(team.admin)).toBe(MIGRATIONS.length);
  });

  it('a migration that fails leaves the schema as it was', async () => {
    team = await teamFixture(0);
    const broken = [MIGRATIONS[0], { version: 2, name: 'broken', sql: 'CREATE TABLE idv_team.x (); SELECT 1/0;' }].filter((m) => m !== undefined);
    await expect(migrate(team.admin, 2, broken)).rejects.toMatchObject({ code: '22012' });
    expect(await schemaVersion(team.admin)).toBe(0);
    expect((await team.admin.query("SELECT to_regclass('idv_team.queue') AS t")).rows[0]).toEqual({ t: null });
  });
});

import { createHash } from 'node:crypto';
import type pg from 'pg';
import * as z from 'zod';
import { LocalError } from '../../../common/errors';
import { MIGRATIONS, type Migration } from './migrations';

export interface MigrationOutcome {
  from: number;
  to: number;
  applied: Array<{ version: number; name: string }>;
}

const AppliedRow = z.object({ version: z.number().int(), name: z.string(), sha256: z.string() });

const checksum = (m: Migration) => createHash('sha256').update(m.sql, 'utf8').digest('hex');

/**
 * Brings the team schema to `to` (default: the newest this build knows), in one transaction under an
 * advisory lock, so two admins migrating at once apply each migration once and a failure leaves the
 * schema as it was. Refuses a database newer than this build, or one where an applied migration's
 * text differs from ours (someone edited a released migration).
 */
export async function migrate(client: pg.ClientBase, to: number = MIGRATIONS.length, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationOutcome> {
  if (!Number.isInteger(to) || to < 0 || to > migrations.length) {
    throw new LocalError('TEAM_MIGRATION_UNKNOWN', `There is no schema version ${to}: this build knows 0 to ${migrations.length}.`);
  }
  await client.query('BEGIN');
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('idv_team.migrate'))");
    await client.query('CREATE SCHEMA IF NOT EXISTS idv_team');
    await client.query(
      'CREATE TABLE IF NOT EXISTS idv_team.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const applied = z.array(AppliedRow).parse((await client.query('SELECT version, name, sha256 FROM idv_team.schema_migrations ORDER BY version')).rows);
    const from = applied.length;
    for (const [i, row] of applied.entries()) {
      const known = migrations[i];
      if (known === undefined || row.version !== known.version) {
        throw new LocalError(
          'TEAM_SCHEMA_NEWER',
          `The team database is at schema version ${applied.at(-1)?.version ?? from}, newer than this build knows (${migrations.length}): update IDV Review Console on this workstation.`,
        );
      }
      if (row.sha256 !== checksum(known)) {
        throw new LocalError('TEAM_MIGRATION_CHANGED', `Migration ${known.version} (${known.name}) differs from the one applied to this database; a released migration must never be edited.`);
      }
    }
    if (to < from) throw new LocalError('TEAM_SCHEMA_NEWER', `The team database is at schema version ${from}; migrations only go forward (asked for ${to}).`);
    const done: MigrationOutcome['applied'] = [];
    for (const m of migrations.slice(from, to)) {
      await client.query(m.sql);
      await client.query('INSERT INTO idv_team.schema_migrations (version, name, sha256) VALUES ($1, $2, $3)', [m.version, m.name, checksum(m)]);
      done.push({ version: m.version, name: m.name });
    }
    await client.query('COMMIT');
    return { from, to: Math.max(from, to), applied: done };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** The schema version of a team database (0: never migrated), for a workstation that joins it. */
export async function schemaVersion(client: pg.ClientBase): Promise<number> {
  const Version = z.object({ version: z.number().int() });
  // Two statements: a query naming the table fails to plan where it does not exist.
  const present = await client.query("SELECT (to_regclass('idv_team.schema_migrations') IS NOT NULL)::int AS version");
  if (Version.parse(present.rows[0]).version === 0) return 0;
  return Version.parse((await client.query('SELECT coalesce(max(version), 0)::int AS version FROM idv_team.schema_migrations')).rows[0]).version;
}

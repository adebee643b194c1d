import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { migrate } from '../../../main/core/team/migrate';
import { createLoginRole, type TeamRole } from '../../../main/core/team/roles';
import { TeamDb } from '../../../main/core/team/team-db';

export interface TeamFixture {
  database: string;
  /** A connection string for a login role of this fixture (the admin when none is named). */
  url(role?: string): string;
  admin: pg.Client;
  /** A new login role, named `${name}_${suffix}` so files never clash on the cluster-wide names. */
  person(name: string, role?: TeamRole): Promise<{ role: string; db: TeamDb; client: pg.Client }>;
  connect(role: string): Promise<pg.Client>;
  close(): Promise<void>;
}

const PASSWORD = 'correct horse battery staple';

/**
 * A fresh database on the run's cluster (test/team/support/global-setup.ts), migrated to `schema`
 * (the newest by default) by the admin, with login roles made on request.
 */
export async function teamFixture(schema?: number): Promise<TeamFixture> {
  const adminUrl = new URL(inject('pgAdminUrl'));
  const suffix = randomBytes(4).toString('hex');
  const database = `team_${suffix}`;
  const bootstrap = new pg.Client({ connectionString: adminUrl.href });
  await bootstrap.connect();
  await bootstrap.query(`CREATE DATABASE ${database}`);
  await bootstrap.end();
  const url = (role?: string) => {
    const u = new URL(adminUrl.href);
    u.pathname = `/${database}`;
    if (role !== undefined) {
      u.username = role;
      u.password = encodeURIComponent(PASSWORD);
    }
    return u.href;
  };
  const admin = new pg.Client({ connectionString: url() });
  await admin.connect();
  if (schema !== 0) await migrate(admin, schema);
  const clients: pg.Client[] = [];
  const connect = async (role: string) => {
    const client = new pg.Client({ connectionString: url(role) });
    await client.connect();
    clients.push(client);
    return client;
  };
  return {
    database,
    url,
    admin,
    connect,
    async person(name, role = 'reviewer') {
      const login = `${name}_${suffix}`;
      await createLoginRole(admin, login, PASSWORD, role);
      const client = await connect(login);
      return { role: login, db: new TeamDb(client), client };
    },
    async close() {
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
      await admin.end();
    },
  };
}

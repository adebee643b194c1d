import pg from 'pg';
import { expect, inject, test } from 'vitest';

test('the admin connects to the cluster as idv_admin', async () => {
  const client = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await client.connect();
  try {
    const { rows } = await client.query<{ current_user: string; version: string }>('select current_user, version()');
    expect(rows[0]?.current_user).toBe('idv_admin');
    expect(rows[0]?.version).toMatch(/^PostgreSQL \d+/);
  } finally {
    await client.end();
  }
});

test('a wrong password is refused (TCP connections need the password: scram-sha-256)', async () => {
  const url = new URL(inject('pgAdminUrl'));
  url.password = 'wrong';
  const client = new pg.Client({ connectionString: url.href });
  await expect(client.connect()).rejects.toMatchObject({ code: '28P01' });
});

import pg from 'pg';
import { UsageError } from '../../../common/errors';

export type TeamRole = 'reviewer' | 'supervisor';

const ROLE_NAME = /^[a-z_][a-z0-9_.-]{0,62}$/;

/**
 * Admins: a login role for one person, granted idv_reviewer or idv_supervisor. In team mode the
 * login role is the reviewer's identity, so each person has their own; nobody shares one.
 */
export async function createLoginRole(client: pg.ClientBase, name: string, password: string, role: TeamRole): Promise<void> {
  if (!ROLE_NAME.test(name)) throw new UsageError('TEAM_ROLE_NAME', `"${name}" is not a usable role name (lower-case letters, digits, _ . -; at most 63).`);
  if (password.length < 12) throw new UsageError('TEAM_ROLE_PASSWORD', 'A team database password has at least 12 characters.');
  const group = role === 'supervisor' ? 'idv_supervisor' : 'idv_reviewer';
  // CREATE ROLE takes no parameters: the name and password are quoted by the driver's own escaping.
  await client.query(`CREATE ROLE ${pg.escapeIdentifier(name)} LOGIN PASSWORD ${pg.escapeLiteral(password)} IN ROLE ${group}`);
}

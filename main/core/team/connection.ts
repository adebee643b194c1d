import type pg from 'pg';
import * as z from 'zod';
import { AppError, UsageError } from '../../../common/errors';

/**
 * Where the team database is: kept in settings without its password (the password is in the OS
 * keychain, under teamKeychainAccount). The login role is the reviewer's identity in team mode.
 */
export const TeamConnectionSchema = z
  .object({
    host: z.string().min(1).max(255),
    port: z.number().int().min(1).max(65535),
    database: z.string().min(1).max(63),
    user: z.string().min(1).max(63),
  })
  .strict();
export type TeamConnection = z.infer<typeof TeamConnectionSchema>;

/** postgres://user[:password]@host[:port]/database; the password, when given, goes to the keychain. */
export function parseTeamUrl(text: string): { connection: TeamConnection; password: string | null } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError('TEAM_URL_INVALID', 'The team database is named by a URL such as postgres://alice@db.example.com:5432/idv_team.');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new UsageError('TEAM_URL_INVALID', `The team database URL must start with postgres:// (not ${url.protocol}//).`);
  }
  const user = decodeURIComponent(url.username);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (user === '' || database === '' || host === '') {
    throw new UsageError('TEAM_URL_INVALID', 'The team database URL names the login role, the host and the database: postgres://alice@db.example.com:5432/idv_team.');
  }
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode !== null && ['disable', 'allow', 'prefer'].includes(sslmode) && !isLoopbackHost(host)) {
    throw new UsageError('TEAM_TLS_REQUIRED', `sslmode=${sslmode} is refused: the team database is reached over verified TLS unless it is on this computer.`);
  }
  const parsed = TeamConnectionSchema.safeParse({ host, port: url.port === '' ? 5432 : Number(url.port), database, user });
  if (!parsed.success) throw new UsageError('TEAM_URL_INVALID', `The team database URL is not usable: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
  return { connection: parsed.data, password: url.password === '' ? null : decodeURIComponent(url.password) };
}

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** The keychain item holding this connection's password (one per role, host and database). */
export const teamKeychainAccount = (c: TeamConnection) => `team-db:${c.user}@${c.host}:${c.port}/${c.database}`;

export const describeTeamConnection = (c: TeamConnection) => `${c.user}@${c.host}:${c.port}/${c.database}`;

/** The connection as a URL without a password, which parseTeamUrl reads back to the same connection. */
export function teamUrl(c: TeamConnection): string {
  const host = c.host.includes(':') ? `[${c.host}]` : c.host;
  return `postgres://${encodeURIComponent(c.user)}@${host}:${c.port}/${encodeURIComponent(c.database)}`;
}

/**
 * The driver's settings: verified TLS (the system's roots, or the extra authorities a person chose)
 * unless the server is on this computer, bounded waits so an unreachable database means "offline"
 * within seconds, and statements that cannot hang the app.
 */
export function teamClientConfig(c: TeamConnection, password: string, ca?: string): pg.ClientConfig {
  return {
    host: c.host,
    port: c.port,
    database: c.database,
    user: c.user,
    password,
    ssl: isLoopbackHost(c.host) ? false : { rejectUnauthorized: true, servername: c.host, ...(ca === undefined ? {} : { ca }) },
    application_name: 'idv-review',
    connectionTimeoutMillis: 5000,
    statement_timeout: 30_000,
    query_timeout: 35_000,
  };
}

/** The database could not be reached (down, network, timeout): the caller works offline. */
export class TeamUnreachableError extends AppError {
  override readonly name = 'TeamUnreachableError';
  constructor(what: string, options?: { cause?: unknown }) {
    super('TEAM_UNREACHABLE', `The team database ${what} cannot be reached.`, 'remote', options);
  }
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** True for failures that mean "not reachable now" rather than "refused" (a wrong password is refused). */
export function isUnreachable(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e.code === 'string' && (UNREACHABLE_CODES.has(e.code) || e.code === '57P01' || e.code === '57P03')) return true;
  return typeof e.message === 'string' && /Connection terminated|timeout expired|Connection ended/i.test(e.message);
}

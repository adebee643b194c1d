import { describe, expect, it } from 'vitest';
import { isUnreachable, parseTeamUrl, teamClientConfig, teamKeychainAccount, teamUrl } from '../../../main/core/team/connection';

describe('team database connection', () => {
  it('reads the role, host, port and database from the URL; the password is kept apart', () => {
    expect(parseTeamUrl('postgres://alice:s%3Dcret@db.example.com:6432/idv_team')).toEqual({
      connection: { host: 'db.example.com', port: 6432, database: 'idv_team', user: 'alice' },
      password: 's=cret',
    });
    expect(parseTeamUrl('postgresql://alice@[::1]/idv_team').connection).toEqual({ host: '::1', port: 5432, database: 'idv_team', user: 'alice' });
    expect(teamKeychainAccount(parseTeamUrl('postgres://alice@db.example.com/idv_team').connection)).toBe('team-db:alice@db.example.com:5432/idv_team');
  });

  it('gives the connection back as a URL without its password, which reads back to the same connection', () => {
    for (const url of ['postgres://alice:pw@db.example.com:6432/idv_team', 'postgresql://alice@[::1]/idv_team', 'postgres://r%C3%A9my%40corp@127.0.0.1:5432/team%2Fone']) {
      const { connection } = parseTeamUrl(url);
      const back = teamUrl(connection);
      expect(back).not.toContain('pw');
      expect(parseTeamUrl(back)).toEqual({ connection, password: null });
    }
    expect(teamUrl(parseTeamUrl('postgresql://alice@[::1]/idv_team').connection)).toBe('postgres://alice@[::1]:5432/idv_team');
  });

  it('refuses in words a URL that is not one, names no role or database, or turns TLS off for a remote server', () => {
    expect(() => parseTeamUrl('db.example.com')).toThrow(/postgres:\/\/alice@db\.example\.com:5432\/idv_team/);
    expect(() => parseTeamUrl('mysql://alice@db/x')).toThrow(/must start with postgres:\/\//);
    expect(() => parseTeamUrl('postgres://db.example.com/idv_team')).toThrow(/names the login role, the host and the database/);
    expect(() => parseTeamUrl('postgres://alice@db.example.com/')).toThrow(/names the login role, the host and the database/);
    for (const mode of ['disable', 'allow', 'prefer']) {
      expect(() => parseTeamUrl(`postgres://alice@db.example.com/idv_team?sslmode=${mode}`)).toThrow(/verified TLS unless it is on this computer/);
    }
    expect(parseTeamUrl('postgres://alice@127.0.0.1/idv_team?sslmode=disable').connection.host).toBe('127.0.0.1');
  });

  it('verified TLS to any server but one on this computer', () => {
    const remote = teamClientConfig(parseTeamUrl('postgres://alice@db.example.com/idv_team').connection, 'pw', '-----BEGIN CERTIFICATE-----');
    expect(remote.ssl).toEqual({ rejectUnauthorized: true, servername: 'db.example.com', ca: '-----BEGIN CERTIFICATE-----' });
    for (const host of ['127.0.0.1', 'localhost', '[::1]', '127.1.2.3']) {
      expect(teamClientConfig(parseTeamUrl(`postgres://alice@${host}/idv_team`).connection, 'pw').ssl).toBe(false);
    }
    expect(teamClientConfig(parseTeamUrl('postgres://alice@127.0.0.1.example.com/idv_team').connection, 'pw').ssl).toMatchObject({ rejectUnauthorized: true });
  });

  it('tells "away" from "refused": a wrong password is not offline', () => {
    expect(isUnreachable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isUnreachable(new Error('Connection terminated due to connection timeout'))).toBe(true);
    expect(isUnreachable(Object.assign(new Error('the database system is shutting down'), { code: '57P03' }))).toBe(true);
    expect(isUnreachable(Object.assign(new Error('password authentication failed'), { code: '28P01' }))).toBe(false);
  });
});

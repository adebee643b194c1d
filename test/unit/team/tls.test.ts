import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket } from 'node:tls';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTeamUrl, teamClientConfig } from '../../../main/core/team/connection';

/**
 * The TLS a workstation asks of a team database not on this computer, against a stand-in server
 * that answers PostgreSQL's SSLRequest and then speaks TLS with a certificate for db.idv.test
 * issued by a test authority. The driver connects to 127.0.0.1 but checks the certificate against
 * the configured host name (the `servername` teamClientConfig sets), as it would over the network.
 */
const HOST = 'db.idv.test';

function certificates(): { ca: string; key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'idv-team-tls-'));
  const f = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=IDV test team CA', '-keyout', f('ca.key'), '-out', f('ca.pem'));
  openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${HOST}`, '-keyout', f('db.key'), '-out', f('db.csr'));
  writeFileSync(f('ext'), `subjectAltName=DNS:${HOST}\n`);
  openssl('x509', '-req', '-in', f('db.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('ext'), '-out', f('db.pem'));
  return { ca: readFileSync(f('ca.pem'), 'utf8'), key: readFileSync(f('db.key'), 'utf8'), cert: readFileSync(f('db.pem'), 'utf8') };
}

/** Answers the SSLRequest with `answer`; after a TLS handshake, refuses the login (SQLSTATE 28P01) so the client stops there. */
function standIn(answer: 'S' | 'N', tls: { key: string; cert: string }): Promise<{ port: number; handshakes: () => number; close: () => Promise<void> }> {
  let handshakes = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('data', () => {
      socket.write(answer);
      if (answer === 'N') return;
      const secure = new TLSSocket(socket, { isServer: true, key: tls.key, cert: tls.cert });
      secure.on('error', () => undefined);
      secure.on('secure', () => {
        handshakes++;
        secure.once('data', () => {
          const fields = Buffer.from('SFATAL\0C28P01\0Mpassword authentication failed\0\0', 'utf8');
          const header = Buffer.alloc(5);
          header.write('E', 0);
          header.writeInt32BE(fields.length + 4, 1);
          secure.end(Buffer.concat([header, fields]));
        });
      });
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address !== null ? address.port : 0,
        handshakes: () => handshakes,
        close: () => new Promise<void>((done) => {
          for (const s of sockets) s.destroy();
          server.close(() => done());
        }),
      });
    }),
  );
}

async function connectError(config: pg.ClientConfig): Promise<string> {
  const client = new pg.Client(config);
  client.on('error', () => undefined);
  try {
    await client.connect();
    return 'connected';
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('team database TLS (a server not on this computer)', () => {
  let certs: ReturnType<typeof certificates>;
  const servers: Array<{ close: () => Promise<void> }> = [];
  beforeAll(() => {
    certs = certificates();
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  const config = (port: number, ca?: string): pg.ClientConfig => ({
    ...teamClientConfig(parseTeamUrl(`postgres://alice@${HOST}:${port}/idv_team`).connection, 'pw', ca),
    host: '127.0.0.1',
  });

  it('refuses a certificate from an authority it was not given, before sending the login', async () => {
    const server = await standIn('S', certs);
    servers.push(server);
    expect(await connectError(config(server.port))).toMatch(/certificate/i);
  });

  it('completes the handshake with the authority chosen in settings, and only then logs in', async () => {
    const server = await standIn('S', certs);
    servers.push(server);
    expect(await connectError(config(server.port, certs.ca))).toBe('password authentication failed');
    expect(server.handshakes()).toBe(1);
  });

  it('never falls back to a connection in clear when the server offers no TLS', async () => {
    const server = await standIn('N', certs);
    servers.push(server);
    expect(await connectError(config(server.port, certs.ca))).toMatch(/does not support SSL/);
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import { startServer, tlsFixture, type TestServer } from '../unit/yoti/support/fault-server';
import { homeWithKey, runCli } from './support';

// Requests signed with the customer key trust Node's bundled certificate authorities only, and always
// verify: a self-signed https server on loopback gets no HTTP request, whatever the environment says.
const SDK_ID = `7150e1f0-0000-4000-8000-${Date.now().toString(16).padStart(12, '0').slice(-12)}`;
let env: Awaited<ReturnType<typeof homeWithKey>>;
let server: TestServer;

beforeAll(async () => {
  env = await homeWithKey(SDK_ID);
  server = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  }, { tls: true });
});
afterAll(async () => {
  await server?.close();
  await env?.close();
});

test.each([
  ['NODE_TLS_REJECT_UNAUTHORIZED=0', { NODE_TLS_REJECT_UNAUTHORIZED: '0' }, /NODE_TLS_REJECT_UNAUTHORIZED=0 is ignored/],
  ['NODE_EXTRA_CA_CERTS naming its certificate', { NODE_EXTRA_CA_CERTS: 'CERT' }, /NODE_EXTRA_CA_CERTS is ignored for requests signed with your key/],
])('a self-signed server with %s: no request reaches it, exit 2, and the CLI says it ignored the variable', async (_, extra, said) => {
  const certFile = join(env.home, 'self-signed.pem');
  writeFileSync(certFile, tlsFixture.cert);
  const vars = Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, v === 'CERT' ? certFile : v]));
  const run = await runCli(['fetch', DEMO_SESSION_IDS.approvedPassport, '--api-url', server.baseUrl], { home: env.home, env: vars });
  expect(run.stderr).toMatch(said);
  expect(run.stderr).toMatch(/certificate/i);
  expect(run.code).toBe(2);
  expect(server.requests).toEqual([]);
});

test("settings.extraCaFile naming the server's certificate: trusted on purpose, said on stderr, and the request reaches it", async () => {
  const certFile = join(env.home, 'corporate-ca.pem');
  writeFileSync(certFile, tlsFixture.cert);
  writeFileSync(join(env.home, 'settings.json'), JSON.stringify({ retentionDays: 30, extraCaFile: certFile }));
  try {
    const run = await runCli(['fetch', DEMO_SESSION_IDS.approvedPassport, '--api-url', server.baseUrl], { home: env.home });
    expect(run.stderr).toContain('Also trusting 1 certificate authority from settings.extraCaFile for requests signed with your key.');
    expect(server.requests.length).toBeGreaterThan(0);
  } finally {
    server.requests.length = 0;
    writeFileSync(join(env.home, 'settings.json'), JSON.stringify({ retentionDays: 30 }));
  }
});

test.each([
  ['a private key', tlsFixture.key, /holds a private key/],
  ['no certificate', 'not a certificate\n', /holds no PEM certificate/],
  ['a certificate that does not parse', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', /Certificate 1 of 1 in the CA bundle does not parse/],
])('settings.extraCaFile holding %s: refused in words (exit 1), nothing sent', async (_, content, said) => {
  const file = join(env.home, 'bad-ca.pem');
  writeFileSync(file, content);
  writeFileSync(join(env.home, 'settings.json'), JSON.stringify({ retentionDays: 30, extraCaFile: file }));
  try {
    const run = await runCli(['fetch', DEMO_SESSION_IDS.approvedPassport, '--api-url', server.baseUrl], { home: env.home });
    expect(run.stderr).toMatch(said);
    expect(run.code).toBe(1);
    expect(server.requests).toEqual([]);
  } finally {
    writeFileSync(join(env.home, 'settings.json'), JSON.stringify({ retentionDays: 30 }));
  }
});

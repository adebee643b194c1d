import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import { startDemoServer, type DemoServer } from '../../main/core/demo-server/server';
import { runCli, tempHome, type CliRun } from './support';

// The built `idv-review` command, run as a person runs it: real keychain (this project runs inside
// the test command's D-Bus session with an unlocked gnome-keyring), real files, our local server.
const SDK_ID = `c11c11c1-0000-4000-8000-${Date.now().toString(16).padStart(12, '0').slice(-12)}`;
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const APPROVED = DEMO_SESSION_IDS.approvedPassport;
let server: DemoServer;
let home: string;
let pemFile: string;
const outputs: CliRun[] = [];

async function cli(args: string[], env?: NodeJS.ProcessEnv): Promise<CliRun> {
  const run = await runCli(args, { home, env });
  outputs.push(run);
  return run;
}

beforeAll(async () => {
  expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through `npm test`, which provides the keychain').toBeTruthy();
  server = await startDemoServer({ apps: [{ sdkId: SDK_ID, publicKey }] });
  home = tempHome();
  pemFile = join(home, 'customer-key.pem');
  writeFileSync(pemFile, pem, { mode: 0o600 });
});

let serverClosed = false;
afterAll(async () => {
  await cli(['key', 'remove', '--sdk-id', SDK_ID]);
  if (!serverClosed) await server?.close();
});

describe('idv-review end to end', () => {
  test('key import, then list', async () => {
    const imported = await cli(['key', 'import', '--sdk-id', SDK_ID, '--pem', pemFile]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/Imported RSA-2048 key for SDK ID/);
    const list = await cli(['key', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ sdkId: SDK_ID, modulusBits: 2048 })]);
  });

  test('fetch stores the session and every media item, with a summary', async () => {
    // --sdk-id left out: exactly one key is stored.
    const run = await cli(['fetch', APPROVED, DEMO_SESSION_IDS.edgeCases, '--api-url', server.baseUrl]);
    // Until someone chooses the evidence retention, every fetch says which applies.
    expect(run.stderr).toBe(
      "The evidence retention is not chosen yet, so evidence is kept 30 days after its first fetch: choose it in the app (first start or Settings) or as retentionDays in settings.json; the README's \"Retention\" says what to consider.\n",
    );
    expect(run.code).toBe(0);
    writeFileSync(join(home, 'settings.json'), JSON.stringify({ retentionDays: 30 }));
    expect((await cli(['fetch', APPROVED, '--api-url', server.baseUrl])).stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`${APPROVED}: COMPLETED, .*media stored`));
    expect(run.stdout).toMatch(/with no content available/);
    expect(run.stdout).toMatch(/Done: 2 of 2 sessions stored/);
  });

  test("with two keys, fetch needs --sdk-id or the key chosen in the app's Settings", async () => {
    const second = `c22c22c2-0000-4000-8000-${Date.now().toString(16).padStart(12, '0').slice(-12)}`;
    // Outside the data folder, whose files the last test scans for key material.
    const otherPem = join(mkdtempSync(join(tmpdir(), 'idv-second-key-')), 'second-key.pem');
    writeFileSync(otherPem, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
    expect((await cli(['key', 'import', '--sdk-id', second, '--pem', otherPem])).code).toBe(0);
    try {
      const ambiguous = await cli(['fetch', APPROVED, '--api-url', server.baseUrl]);
      expect(ambiguous.code).toBe(1);
      expect(ambiguous.stderr).toContain("choose one with --sdk-id (or in the app's Settings)");
      // The choice the app stores in settings.json (shared with the CLI) is used; --sdk-id still wins over it.
      writeFileSync(join(home, 'settings.json'), JSON.stringify({ retentionDays: 30, sdkId: SDK_ID }));
      const chosen = await cli(['fetch', APPROVED, '--force', '--api-url', server.baseUrl]);
      expect(chosen.code).toBe(0);
      expect(chosen.stdout).toContain(`with SDK ID ${SDK_ID}`);
      const given = await cli(['fetch', APPROVED, '--force', '--api-url', server.baseUrl, '--sdk-id', second]);
      expect(given.code).toBe(2); // the server knows only the first application
      // A choice naming a key that is no longer stored is no choice.
      writeFileSync(join(home, 'settings.json'), JSON.stringify({ retentionDays: 30, sdkId: 'c33c33c3-0000-4000-8000-000000000000' }));
      expect((await cli(['fetch', APPROVED, '--api-url', server.baseUrl])).code).toBe(1);
    } finally {
      await cli(['key', 'remove', '--sdk-id', second]);
      writeFileSync(join(home, 'settings.json'), JSON.stringify({ retentionDays: 30 }));
      rmSync(dirname(otherPem), { recursive: true, force: true });
    }
  });

  test('show reads the local store only, in words, with the face match against its threshold', async () => {
    const offline = await cli(['show', APPROVED]);
    expect(offline.code).toBe(0);
    expect(offline.stdout).toMatch(/Yoti's overall recommendation: /);
    expect(offline.stdout).toMatch(/AI confidence 0\.93 above the threshold 0\.70/);
    expect(offline.stdout).toMatch(/Hologram/);
    expect(offline.stdout).toMatch(/Liveness 1 frame \d+: not captured/);
    const json = await cli(['show', DEMO_SESSION_IDS.edgeCases, '--json']);
    const parsed = JSON.parse(json.stdout) as { summary: { checks: unknown[]; media: Array<{ role: string }> } };
    expect(parsed.summary.checks.length).toBeGreaterThan(0);
    expect(parsed.summary.media.map((m) => m.role)).toContain('LIVENESS_IMAGE');
  });

  test("show prints each document's fields: where they came from, every value, an address as its lines, the MRZ; --json has them parsed", async () => {
    const run = await cli(['show', DEMO_SESSION_IDS.edgeCases]);
    expect(run.code).toBe(0);
    // The corrected fields of the licence (its text data check replaced them), then the utility bill's.
    expect(run.stdout).toMatch(/^ {4}From Yoti's text data check \(these replace the document's own fields\), media [0-9a-f-]{36}\n {6}Full name: ROBIN ALEX SAMPLE\n {6}Given names: ROBIN ALEX\n/m);
    expect(run.stdout).toMatch(/^ {6}Date of birth: 1988-02-29$/m);
    // Yoti's structured_postal_address: its parts as lines under the label, never as JSON.
    expect(run.stdout).toMatch(/^ {2}Supplementary document 1: .*\n {4}From the document's own extracted fields, media [0-9a-f-]{36}\n/m);
    expect(run.stdout).toContain(
      ['      Structured postal address:', '        Address format: 1', '        Building number: 1', '        Address line1: 1 SPECIMEN STREET', '        Town city: UTOPIA CITY', '        Country iso: UTO'].join('\n'),
    );
    expect(run.stdout).not.toMatch(/address_line1|\{"/);
    const json = JSON.parse((await cli(['show', DEMO_SESSION_IDS.edgeCases, '--json'])).stdout) as { documentFields: Array<{ label: string; source: string; fields: Record<string, unknown> | null }> };
    expect(json.documentFields.map((d) => [d.label, d.source])).toEqual([['Document 1', 'TEXT_DATA_CHECK'], ['Supplementary document 1', 'RESOURCE']]);
    expect(json.documentFields[1]!.fields!.structured_postal_address).toMatchObject({ address_line1: '1 SPECIMEN STREET', town_city: 'UTOPIA CITY' });
    // A passport's MRZ: its lines, with what the check digits say.
    const passport = JSON.parse((await cli(['show', APPROVED, '--json'])).stdout) as { documentFields: Array<{ fields: { mrz: { line1: string; line2: string } } }> };
    const { line1, line2 } = passport.documentFields[0]!.fields.mrz;
    expect((await cli(['show', APPROVED])).stdout).toContain(`    Machine-readable zone (MRZ, TD3): every check digit verified here (ICAO 9303)\n      ${line1}\n      ${line2}\n`);
  });

  test('media writes the stored bytes; the file matches what the server sent', async () => {
    const shown = JSON.parse((await cli(['show', APPROVED, '--json'])).stdout) as { summary: { media: Array<{ role: string; mediaId?: string }> } };
    const page = shown.summary.media.find((m) => m.role === 'DOCUMENT_PAGE')!;
    const out = join(home, 'page.jpg');
    const run = await cli(['media', APPROVED, page.mediaId!, '--out', out]);
    expect(run.code).toBe(0);
    const served = server.getMedia(APPROVED, page.mediaId!) as { bytes: Uint8Array };
    const sha = createHash('sha256').update(readFileSync(out)).digest('hex');
    expect(sha).toBe(createHash('sha256').update(served.bytes).digest('hex'));
    expect(run.stdout).toContain(sha);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect((await cli(['media', APPROVED, page.mediaId!, '--out', out])).code).toBe(1);
  });

  test('delete refuses without confirmation, then deletes a media item and the session at Yoti and locally', async () => {
    const shown = JSON.parse((await cli(['show', APPROVED, '--json'])).stdout) as { summary: { media: Array<{ role: string; mediaId?: string }> } };
    const frame = shown.summary.media.find((m) => m.role === 'LIVENESS_FRAME' && m.mediaId)!;
    const refused = await cli(['delete', APPROVED, '--media', frame.mediaId!, '--api-url', server.baseUrl]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/without confirmation: pass --yes/);

    const media = await cli(['delete', APPROVED, '--media', frame.mediaId!, '--yes', '--api-url', server.baseUrl]);
    expect(media.code).toBe(0);
    expect(server.getMedia(APPROVED, frame.mediaId!)).toBeUndefined();
    expect((await cli(['media', APPROVED, frame.mediaId!, '--out', join(home, 'frame.jpg')])).code).toBe(3);
    // Yoti keeps listing the deleted item in the session: fetching again does not ask for it (it can only
    // 404), says why, and succeeds.
    const requests = server.requests.length;
    const again = await cli(['fetch', APPROVED, '--api-url', server.baseUrl]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(`media ${frame.mediaId!} deleted at Yoti from this console on `);
    expect(server.requests.slice(requests).some((r) => r.path.includes(frame.mediaId!))).toBe(false);
    // Nor is the stored copy "partly cached" for it.
    const rows = JSON.parse((await cli(['list', '--json'])).stdout) as Array<{ sessionId: string; cache: string }>;
    expect(rows.find((r) => r.sessionId === APPROVED)?.cache).toBe('intact');

    const session = await cli(['delete', APPROVED, '--yes', '--api-url', server.baseUrl]);
    expect(session.code).toBe(0);
    expect((await cli(['show', APPROVED])).code).toBe(3);

    // Each deletion at Yoti has its own audit entry naming the environment, and the log verifies.
    const log = JSON.parse((await cli(['audit', 'log', APPROVED, '--json'])).stdout) as Array<{ type: string; data: Record<string, unknown> }>;
    expect(log.filter((e) => e.type === 'remote.deleted').map((e) => e.data)).toEqual([
      { apiUrl: server.baseUrl, sdkId: SDK_ID, mediaId: frame.mediaId },
      { apiUrl: server.baseUrl, sdkId: SDK_ID, mediaId: null },
    ]);
    expect((await cli(['audit', 'verify'])).code).toBe(0);
  });

  test('remote errors exit 2 with one line in words', async () => {
    await cli(['fetch', DEMO_SESSION_IDS.ongoing, '--api-url', server.baseUrl]);
    const ongoing = await cli(['delete', DEMO_SESSION_IDS.ongoing, '--yes', '--api-url', server.baseUrl]);
    expect(ongoing.code).toBe(2);
    expect(ongoing.stderr.trim().split('\n')).toHaveLength(1);
    expect(ongoing.stderr).toMatch(/COMPLETED/);
    const missing = await cli(['fetch', 'ffffffff-0000-4000-8000-000000000000', '--api-url', server.baseUrl]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/not found/i);
  });

  test('hostile ids are refused locally (exit 1) and nothing is sent', async () => {
    const before = server.requests.length;
    for (const id of ['../../etc/passwd', 'a?b=c', 'a#b', 'a%2Fb', 'sessión', '']) {
      const run = await cli(['fetch', id, '--api-url', server.baseUrl]);
      expect(run.code, id).toBe(1);
      expect(run.stderr).toMatch(/Refused session ID|session ID is required/);
    }
    expect(server.requests.length).toBe(before);
  });

  test('usage errors exit 1; --debug adds a stack trace; a missing keychain exits 3 with what to do', async () => {
    expect((await cli(['fetch'])).code).toBe(1);
    expect((await cli(['frobnicate'])).code).toBe(1);
    const plain = await cli(['show', 'ffffffff-0000-4000-8000-000000000000']);
    expect(plain.code).toBe(3);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = await cli(['show', 'ffffffff-0000-4000-8000-000000000000', '--debug']);
    expect(debug.stderr).toMatch(/\n\s+at /);
    const noKeychain = await cli(['fetch', APPROVED, '--api-url', server.baseUrl], {
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', DISPLAY: '',
    });
    expect(noKeychain.code).toBe(3);
    expect(noKeychain.stderr).toMatch(/keychain/i);
  });

  test('offline: with the server stopped, show still works from the store', async () => {
    await server.close();
    serverClosed = true;
    const run = await cli(['show', DEMO_SESSION_IDS.edgeCases]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/no content available at Yoti/);
    // A stored COMPLETED session is kept without asking Yoti; forcing a fetch needs the network.
    const kept = await cli(['fetch', DEMO_SESSION_IDS.edgeCases, '--api-url', server.baseUrl]);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toMatch(/already stored and intact: kept/);
    const fetch = await cli(['fetch', DEMO_SESSION_IDS.edgeCases, '--force', '--api-url', server.baseUrl]);
    expect(fetch.code).toBe(2);
    expect(fetch.stderr).toMatch(/connect|reach/i);
  });

  test('nothing printed, and nothing on disk, carries the key, a digest or a signed query', () => {
    const printed = outputs.map((o) => o.stdout + o.stderr).join('\n');
    const body = pem.split('\n').slice(1, -2).join('');
    expect(printed).not.toContain('PRIVATE KEY');
    expect(printed).not.toMatch(/nonce=[0-9a-f]/);
    expect(printed).not.toContain(body.slice(0, 64));
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : [join(dir, d.name)]));
    for (const file of files(home).filter((f) => !f.endsWith('customer-key.pem'))) {
      const bytes = readFileSync(file);
      expect(bytes.includes('PRIVATE KEY'), file).toBe(false);
      expect(bytes.includes(body.slice(0, 64)), file).toBe(false);
    }
  });
});

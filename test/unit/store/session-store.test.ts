import { createHash, randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { seal } from '../../../main/core/crypto/aead';
import { AppError, LocalError } from '../../../common/errors';
import { KeyVault } from '../../../main/core/keys/key-vault';
import { MemorySecretStore } from '../../../main/core/keys/secret-store';
import { CONTAINER_VERSION, isDamaged, mediaAad, SessionStore, sessionAad, type DamagedEntry } from '../../../main/core/store/session-store';

const S1 = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const S2 = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const M1 = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';
const M2 = '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed';
const SDK = 'b4a0a9c4-5d4c-4b8e-9f3a-2f1c6a7e8d90';
const API = 'https://api.example.test/idverify/v1';

// Fixture "PII": must never appear in clear on disk.
const PII_NAME = 'Zoë Ødegård-Łukasiewicz';
const PII_DOC = 'DOCNUM-X12345678';
const sessionBody = Buffer.from(JSON.stringify({ session_id: S1, resources: { id_documents: [{ full_name: PII_NAME, document_number: PII_DOC }] } }));
const JPEG_MARKER = 'JFIF-fixture-marker-0123456789';
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from(JPEG_MARKER), randomBytes(4096), Buffer.from([0xff, 0xd9])]);
const png = Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), randomBytes(1000)]);
const FETCHED = '2025-03-04T05:06:07.000Z';

let dataDir: string;
let key: Buffer;
let store: SessionStore;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'idv-store-'));
  key = randomBytes(32);
  store = new SessionStore({ dataDir, key });
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sessionFile = (sid: string) => join(dataDir, 'evidence', sid, 'session.idvc');
const mediaFile = (sid: string, mid: string) => join(dataDir, 'evidence', sid, `media-${mid}.idvc`);

async function fill(): Promise<void> {
  await store.saveSession(S1, sessionBody, { apiUrl: API, fetchedAt: FETCHED, sdkId: SDK });
  await store.saveMedia(S1, M1, jpeg, { mimeType: 'image/jpeg', apiUrl: API, fetchedAt: FETCHED });
  await store.saveMedia(S1, M2, png, { mimeType: 'image/png', apiUrl: API, fetchedAt: FETCHED });
}

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await allFiles(p)));
    else out.push(p);
  }
  return out;
}

/** A list reports the damaged item in its place (CACHE_DAMAGED, in words, naming it) instead of throwing. */
async function listedDamaged(p: Promise<Array<object>>, id: string): Promise<DamagedEntry> {
  const list = await p;
  const bad = list.filter((e): e is DamagedEntry => 'damaged' in e);
  const hit = bad.find((e) => (e.mediaId ?? e.sessionId) === id);
  expect(hit, `a damaged entry for ${id}`).toBeDefined();
  expect(hit!.code).toBe('CACHE_DAMAGED');
  expect(hit!.message).toContain(id);
  return hit!;
}

async function damage(p: Promise<unknown>): Promise<LocalError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LocalError);
  expect((err as LocalError).code).toBe('CACHE_DAMAGED');
  return err as LocalError;
}

describe('SessionStore round trip', () => {
  test('session: save, load, list, with metadata', async () => {
    expect(await store.loadSession(S1)).toBeNull();
    await store.saveSession(S1, sessionBody, { apiUrl: API, fetchedAt: FETCHED, sdkId: SDK });
    const got = await store.loadSession(S1);
    expect(got?.body.equals(sessionBody)).toBe(true);
    expect(got?.meta).toEqual({ sessionId: S1, sdkId: SDK, apiUrl: API, fetchedAt: FETCHED, size: sessionBody.length, sha256: sha(sessionBody) });
    expect(await store.listSessions()).toEqual([got?.meta]);
  });

  test('media: save, load, list, 204 remembered', async () => {
    await fill();
    const m1 = await store.loadMedia(S1, M1);
    expect(m1 && 'bytes' in m1 && m1.bytes.equals(jpeg)).toBe(true);
    expect(m1?.meta).toEqual({
      sessionId: S1, mediaId: M1, noContent: false, mimeType: 'image/jpeg', size: jpeg.length, sha256: sha(jpeg), apiUrl: API, fetchedAt: FETCHED,
    });
    const gone = 'c0ffee00-0000-4000-8000-000000000204';
    await store.markMediaNoContent(S1, gone, { apiUrl: API, fetchedAt: FETCHED });
    const nc = await store.loadMedia(S1, gone);
    expect(nc).toEqual({
      noContent: true,
      meta: { sessionId: S1, mediaId: gone, noContent: true, mimeType: null, size: 0, sha256: null, apiUrl: API, fetchedAt: FETCHED },
    });
    expect((await store.listMedia(S1)).map((m) => (isDamaged(m) ? [m.mediaId, 'damaged'] : [m.mediaId, m.noContent, m.mimeType, m.size]))).toEqual(
      [
        [M2, false, 'image/png', png.length],
        [M1, false, 'image/jpeg', jpeg.length],
        [gone, true, null, 0],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(await store.loadMedia(S1, 'ffffffff-0000-4000-8000-000000000000')).toBeNull();
    expect(await store.listMedia(S2)).toEqual([]);
  });

  test('saving again replaces; media can be marked 204 after having content', async () => {
    await fill();
    await store.saveMedia(S1, M1, png, { mimeType: 'image/png', apiUrl: API, fetchedAt: FETCHED });
    expect((await store.loadMedia(S1, M1))?.meta.mimeType).toBe('image/png');
    await store.markMediaNoContent(S1, M1, { apiUrl: API, fetchedAt: FETCHED });
    expect(await store.loadMedia(S1, M1)).toMatchObject({ noContent: true });
  });

  test('sessions are listed most recently fetched first; folders without a session file are skipped', async () => {
    await store.saveSession(S1, sessionBody, { apiUrl: API, fetchedAt: '2025-01-01T00:00:00.000Z', sdkId: SDK });
    await store.saveSession(S2, Buffer.from('{}'), { apiUrl: API, fetchedAt: '2025-02-01T00:00:00.000Z', sdkId: SDK });
    await store.saveMedia('aaaaaaaa-0000-4000-8000-000000000000', M1, jpeg, { mimeType: 'image/jpeg', apiUrl: API, fetchedAt: FETCHED });
    expect((await store.listSessions()).map((s) => s.sessionId)).toEqual([S2, S1]);
    expect(await new SessionStore({ dataDir: join(dataDir, 'nothing-here'), key }).listSessions()).toEqual([]);
  });

  test('delete media and sessions', async () => {
    await fill();
    expect(await store.deleteMedia(S1, M1)).toBe(true);
    expect(await store.deleteMedia(S1, M1)).toBe(false);
    expect(await store.loadMedia(S1, M1)).toBeNull();
    expect(await store.deleteSession(S1)).toBe(true);
    expect(await store.deleteSession(S1)).toBe(false);
    expect(await store.loadSession(S1)).toBeNull();
    expect(await store.loadMedia(S1, M2)).toBeNull();
    expect(await store.listSessions()).toEqual([]);
  });

  test('works with the cache key from KeyVault, across instances', async () => {
    const secrets = new MemorySecretStore();
    const k = await new KeyVault({ secrets, dataDir }).cacheKey();
    await new SessionStore({ dataDir, key: k }).saveSession(S1, sessionBody, { apiUrl: API, fetchedAt: FETCHED, sdkId: SDK });
    const k2 = await new KeyVault({ secrets, dataDir }).cacheKey();
    expect((await new SessionStore({ dataDir, key: k2 }).loadSession(S1))?.body.equals(sessionBody)).toBe(true);
  });
});

describe('SessionStore at rest', () => {
  test('nothing personal in clear on disk: no body, media bytes or metadata', async () => {
    await fill();
    await store.markMediaNoContent(S1, 'c0ffee00-0000-4000-8000-000000000204', { apiUrl: API, fetchedAt: FETCHED });
    const needles: Buffer[] = [PII_NAME, PII_DOC, JPEG_MARKER, 'image/jpeg', 'image/png', API, 'api.example.test', FETCHED, SDK, 'full_name', sha(jpeg)].map(
      (s) => Buffer.from(s, 'utf8'),
    );
    needles.push(png.subarray(8, 72), jpeg.subarray(100, 164), key);
    const files = await allFiles(dataDir);
    expect(files).toHaveLength(4);
    for (const f of files) {
      const bytes = await readFile(f);
      for (const n of needles) expect(bytes.includes(n)).toBe(false);
      if (process.platform !== 'win32') expect((await stat(f)).mode & 0o777).toBe(0o600);
    }
    if (process.platform !== 'win32') expect((await stat(join(dataDir, 'evidence', S1))).mode & 0o777).toBe(0o700);
  });

  test('ids that are not Yoti ids never become paths', async () => {
    for (const bad of ['..', '../x', 'a/b', 'a\\b', '', 'x'.repeat(65), 'é']) {
      await expect(store.saveSession(bad, sessionBody, { apiUrl: API, fetchedAt: FETCHED, sdkId: SDK })).rejects.toMatchObject({ code: 'INVALID_ID' });
      await expect(store.loadMedia(S1, bad)).rejects.toMatchObject({ code: 'INVALID_ID' });
      await expect(store.deleteSession(bad)).rejects.toMatchObject({ code: 'INVALID_ID' });
    }
    await expect(store.saveSession(S1, sessionBody, { apiUrl: API, fetchedAt: FETCHED, sdkId: '../k' })).rejects.toMatchObject({ code: 'INVALID_ID' });
    await expect(store.saveMedia(S1, M1, jpeg, { mimeType: 'image/jpeg\n', apiUrl: API, fetchedAt: FETCHED })).rejects.toMatchObject({
      code: 'INVALID_CACHE_META',
    });
    await expect(store.saveMedia(S1, M1, jpeg, { mimeType: 'image/jpeg', apiUrl: 'not a url', fetchedAt: FETCHED })).rejects.toMatchObject({
      code: 'INVALID_CACHE_META',
    });
    await expect(store.saveMedia(S1, M1, jpeg, { mimeType: 'image/jpeg', apiUrl: API, fetchedAt: 'yesterday' })).rejects.toMatchObject({
      code: 'INVALID_CACHE_META',
    });
    expect(await readdir(dataDir)).toEqual([]);
  });
});

describe('SessionStore detects tampering', () => {
  test('a media file swapped onto another media id: CACHE_DAMAGED naming it', async () => {
    await fill();
    await copyFile(mediaFile(S1, M2), mediaFile(S1, M1));
    const e = await damage(store.loadMedia(S1, M1));
    expect(e.message).toContain(M1);
    expect(e.message).toContain(S1);
    await listedDamaged(store.listMedia(S1), M1);
    // the other item is still listed, intact
    expect((await store.listMedia(S1)).filter((m) => !isDamaged(m)).map((m) => m.mediaId)).toEqual([M2]);
    expect((await store.loadMedia(S1, M2))?.meta.mediaId).toBe(M2);
  });

  test('a session file (or its media) moved into another session: CACHE_DAMAGED', async () => {
    await fill();
    await store.saveSession(S2, Buffer.from('{}'), { apiUrl: API, fetchedAt: FETCHED, sdkId: SDK });
    await copyFile(sessionFile(S1), sessionFile(S2));
    expect((await damage(store.loadSession(S2))).message).toContain(S2);
    await listedDamaged(store.listSessions(), S2);
    expect((await store.listSessions()).filter((m) => !isDamaged(m)).map((m) => m.sessionId)).toEqual([S1]);
    await copyFile(mediaFile(S1, M1), mediaFile(S2, M1));
    await damage(store.loadMedia(S2, M1));
  });

  test('a session file renamed to a media file: CACHE_DAMAGED', async () => {
    await fill();
    await copyFile(sessionFile(S1), mediaFile(S1, M1));
    await damage(store.loadMedia(S1, M1));
  });

  test('an older version of the payload spliced under newer metadata: CACHE_DAMAGED', async () => {
    await store.saveMedia(S1, M1, Buffer.alloc(500, 1), { mimeType: 'image/jpeg', apiUrl: API, fetchedAt: FETCHED });
    const v1 = await readFile(mediaFile(S1, M1));
    await store.saveMedia(S1, M1, Buffer.alloc(500, 2), { mimeType: 'image/jpeg', apiUrl: API, fetchedAt: FETCHED });
    const v2 = await readFile(mediaFile(S1, M1));
    const metaEnd = 9 + v2.readUInt32BE(5);
    await writeFile(mediaFile(S1, M1), Buffer.concat([v2.subarray(0, metaEnd), v1.subarray(metaEnd)]));
    await damage(store.loadMedia(S1, M1));
  });

  test('version 2: a payload spliced under metadata that differs only outside size and SHA-256 still fails to decrypt', async () => {
    // Same bytes, so the same size and SHA-256: only the metadata's type and time differ.
    await store.saveMedia(S1, M1, jpeg, { mimeType: 'image/jpeg', apiUrl: API, fetchedAt: FETCHED });
    const a = await readFile(mediaFile(S1, M1));
    await store.saveMedia(S1, M1, jpeg, { mimeType: 'image/png', apiUrl: API, fetchedAt: '2025-03-05T00:00:00.000Z' });
    const b = await readFile(mediaFile(S1, M1));
    expect(a[4]).toBe(2);
    const metaEnd = (f: Buffer): number => 9 + f.readUInt32BE(5);
    await writeFile(mediaFile(S1, M1), Buffer.concat([b.subarray(0, metaEnd(b)), a.subarray(metaEnd(a))]));
    expect((await damage(store.loadMedia(S1, M1))).message).toContain('does not belong to its metadata');
    // The metadata alone (listing) still reads: the splice shows up when the payload is opened.
    expect((await store.listMedia(S1)).map((m) => !isDamaged(m) && m.mimeType)).toEqual(['image/png']);
  });

  test('the format version byte relabelled (2 as 1, 1 as 2): CACHE_DAMAGED', async () => {
    await store.saveMedia(S1, M1, jpeg, { mimeType: 'image/jpeg', apiUrl: API, fetchedAt: FETCHED });
    const v2 = await readFile(mediaFile(S1, M1));
    await writeFile(mediaFile(S1, M1), Buffer.concat([v2.subarray(0, 4), Buffer.of(1), v2.subarray(5)]));
    await damage(store.loadMedia(S1, M1));
    await listedDamaged(store.listMedia(S1), M1);
    const v1 = v1Media(S1, M1, jpeg, 'image/jpeg');
    await writeFile(mediaFile(S1, M1), Buffer.concat([v1.subarray(0, 4), Buffer.of(2), v1.subarray(5)]));
    await damage(store.loadMedia(S1, M1));
    await writeFile(mediaFile(S1, M1), Buffer.concat([v2.subarray(0, 4), Buffer.of(3), v2.subarray(5)]));
    expect((await damage(store.loadMedia(S1, M1))).message).toContain('unknown format version');
  });

  test('a flipped bit anywhere (header, metadata, content, tag): CACHE_DAMAGED, never the data', async () => {
    await fill();
    const original = await readFile(mediaFile(S1, M1));
    const metaEnd = 9 + original.readUInt32BE(5);
    const positions = [0, 4, 5, 8, 9, 10, 30, metaEnd - 1, metaEnd, metaEnd + 1, metaEnd + 20, metaEnd + 2000, original.length - 17, original.length - 1];
    for (const i of positions) {
      const bad = Buffer.from(original);
      bad[i] = (bad[i] ?? 0) ^ 0x04;
      await writeFile(mediaFile(S1, M1), bad);
      await damage(store.loadMedia(S1, M1));
    }
    const session = await readFile(sessionFile(S1));
    for (const i of [2, 20, session.length - 5]) {
      const bad = Buffer.from(session);
      bad[i] = (bad[i] ?? 0) ^ 0x01;
      await writeFile(sessionFile(S1), bad);
      await damage(store.loadSession(S1));
    }
  });

  test('truncation (by one byte, to the header, to nothing): CACHE_DAMAGED in load and in the lists', async () => {
    await fill();
    const size = (await stat(mediaFile(S1, M1))).size;
    for (const len of [size - 1, 200, 9, 3, 0]) {
      await store.saveMedia(S1, M1, jpeg, { mimeType: 'image/jpeg', apiUrl: API, fetchedAt: FETCHED });
      await truncate(mediaFile(S1, M1), len);
      await damage(store.loadMedia(S1, M1));
      await listedDamaged(store.listMedia(S1), M1);
    }
    await truncate(sessionFile(S1), (await stat(sessionFile(S1))).size - 1);
    await damage(store.loadSession(S1));
    await listedDamaged(store.listSessions(), S1);
  });

  test('an extra byte appended: CACHE_DAMAGED', async () => {
    await fill();
    await writeFile(mediaFile(S1, M1), Buffer.concat([await readFile(mediaFile(S1, M1)), Buffer.of(0)]));
    await damage(store.loadMedia(S1, M1));
    await listedDamaged(store.listMedia(S1), M1);
  });

  test('another key (e.g. the data key was replaced): CACHE_DAMAGED', async () => {
    await fill();
    const other = new SessionStore({ dataDir, key: randomBytes(32) });
    await damage(other.loadSession(S1));
    await damage(other.loadMedia(S1, M1));
    await listedDamaged(other.listSessions(), S1);
  });

  test('errors are AppErrors with ids only, never content', async () => {
    await fill();
    await copyFile(mediaFile(S1, M2), mediaFile(S1, M1));
    const e = await damage(store.loadMedia(S1, M1));
    expect(e).toBeInstanceOf(AppError);
    expect(e.kind).toBe('local');
    expect(e.message).not.toContain(PII_NAME);
    expect(e.message).not.toContain('image/');
  });
});

// ---- version 1 files (written by earlier releases) -------------------------------------------

/** A container as version 1 wrote it: payload sealed under the item's AAD alone, meta `v: 1`. */
function v1File(meta: object, payload: Buffer, aad: string): Buffer {
  const sealedMeta = seal(key, Buffer.from(JSON.stringify(meta), 'utf8'), `${aad}|meta`);
  const header = Buffer.alloc(9);
  header.write('IDVC', 0, 'ascii');
  header.writeUInt8(1, 4);
  header.writeUInt32BE(sealedMeta.length, 5);
  return Buffer.concat([header, sealedMeta, seal(key, payload, aad)]);
}

function v1Session(sid: string, body: Buffer): Buffer {
  return v1File({ v: 1, kind: 'session', sessionId: sid, sdkId: SDK, apiUrl: API, fetchedAt: FETCHED, size: body.length, sha256: sha(body) }, body, sessionAad(sid));
}

function v1Media(sid: string, mid: string, bytes: Buffer, mimeType: string): Buffer {
  return v1File(
    { v: 1, kind: 'media', sessionId: sid, mediaId: mid, noContent: false, mimeType, size: bytes.length, sha256: sha(bytes), apiUrl: API, fetchedAt: FETCHED },
    bytes,
    mediaAad(sid, mid),
  );
}

async function writeV1(path: string, data: Buffer): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, data);
}

describe('SessionStore reads version 1 files and writes version 2', () => {
  const GONE = 'c0ffee00-0000-4000-8000-000000000204';

  async function fillV1(): Promise<void> {
    await writeV1(sessionFile(S1), v1Session(S1, sessionBody));
    await writeV1(mediaFile(S1, M1), v1Media(S1, M1, jpeg, 'image/jpeg'));
    await writeV1(
      mediaFile(S1, GONE),
      v1File(
        { v: 1, kind: 'media', sessionId: S1, mediaId: GONE, noContent: true, mimeType: null, size: 0, sha256: null, apiUrl: API, fetchedAt: FETCHED },
        Buffer.alloc(0),
        mediaAad(S1, GONE),
      ),
    );
  }

  test('a data folder written by version 1 opens: session, media and 204 markers load and list as before', async () => {
    await fillV1();
    const session = await store.loadSession(S1);
    expect(session?.body.equals(sessionBody)).toBe(true);
    expect(session?.meta).toEqual({ sessionId: S1, sdkId: SDK, apiUrl: API, fetchedAt: FETCHED, size: sessionBody.length, sha256: sha(sessionBody) });
    const m1 = await store.loadMedia(S1, M1);
    expect(m1 && 'bytes' in m1 && m1.bytes.equals(jpeg)).toBe(true);
    expect(m1?.meta).toMatchObject({ mediaId: M1, mimeType: 'image/jpeg', size: jpeg.length, sha256: sha(jpeg) });
    expect(await store.loadMedia(S1, GONE)).toMatchObject({ noContent: true, meta: { mediaId: GONE, sha256: null } });
    expect((await store.listSessions()).map((e) => e.sessionId)).toEqual([S1]);
    expect((await store.listMedia(S1)).filter((e) => isDamaged(e))).toEqual([]);
    expect((await store.listMedia(S1)).map((e) => e.mediaId).sort()).toEqual([M1, GONE].sort());
  });

  test('version 1 keeps its SHA-256 check: an older payload spliced under newer metadata is CACHE_DAMAGED', async () => {
    const old = v1Media(S1, M1, Buffer.alloc(500, 1), 'image/jpeg');
    const current = v1Media(S1, M1, Buffer.alloc(500, 2), 'image/jpeg');
    const metaEnd = 9 + current.readUInt32BE(5);
    await writeV1(mediaFile(S1, M1), Buffer.concat([current.subarray(0, metaEnd), old.subarray(9 + old.readUInt32BE(5))]));
    expect((await damage(store.loadMedia(S1, M1))).message).toContain('does not match its recorded sha256');
  });

  test('version 1 files still detect swaps, truncation and bit flips', async () => {
    await fillV1();
    const original = await readFile(mediaFile(S1, M1));
    await writeFile(mediaFile(S1, M1), original.subarray(0, -1));
    await damage(store.loadMedia(S1, M1));
    const flipped = Buffer.from(original);
    flipped[original.length - 40] = (flipped[original.length - 40] ?? 0) ^ 0x10;
    await writeFile(mediaFile(S1, M1), flipped);
    await damage(store.loadMedia(S1, M1));
    await writeV1(mediaFile(S1, M2), v1Media(S1, M2, png, 'image/png'));
    await copyFile(mediaFile(S1, M2), mediaFile(S1, M1));
    await damage(store.loadMedia(S1, M1));
  });

  test('saving over a version 1 file writes version 2; version 1 is never written', async () => {
    await fillV1();
    expect((await readFile(mediaFile(S1, M1)))[4]).toBe(1);
    await store.saveMedia(S1, M1, png, { mimeType: 'image/png', apiUrl: API, fetchedAt: FETCHED });
    await store.saveSession(S1, sessionBody, { apiUrl: API, fetchedAt: FETCHED, sdkId: SDK });
    await store.markMediaNoContent(S1, GONE, { apiUrl: API, fetchedAt: FETCHED });
    expect(CONTAINER_VERSION).toBe(2);
    for (const f of [mediaFile(S1, M1), sessionFile(S1), mediaFile(S1, GONE)]) expect((await readFile(f))[4]).toBe(2);
    const m1 = await store.loadMedia(S1, M1);
    expect(m1 && 'bytes' in m1 && m1.bytes.equals(png)).toBe(true);
  });
});

// ---- staging (a fetch storing each item as it arrives, before its commit) -----------------------

describe('SessionStore.stageMedia', () => {
  const META = { mimeType: 'image/jpeg', apiUrl: API, fetchedAt: FETCHED };
  const temps = async (): Promise<string[]> => (await readdir(join(dataDir, 'evidence', S1)).catch(() => [])).filter((n) => n.endsWith('.tmp'));

  test('a staged item is invisible until its commit takes the file over; discarding afterwards leaves it alone', async () => {
    const staged = await store.stageMedia(S1, M1, Buffer.from(jpeg), META);
    expect(staged).toMatchObject({ sessionId: S1, mediaId: M1, mimeType: 'image/jpeg', size: jpeg.length, sha256: sha(jpeg) });
    expect(await temps()).toHaveLength(1);
    expect(await store.loadMedia(S1, M1)).toBeNull();
    expect(await store.listMedia(S1)).toEqual([]);
    const files = await store.adoptStaged(staged);
    expect(files).toEqual([staged.file]); // not a decodable image: no thumbnail
    await store.commitStaged(files);
    expect(await temps()).toEqual([]);
    const got = await store.loadMedia(S1, M1);
    expect(got && 'bytes' in got && got.bytes.equals(jpeg)).toBe(true);
    await store.discardStaged([staged.file]);
    expect((await store.loadMedia(S1, M1))?.meta.sha256).toBe(sha(jpeg));
  });

  test('a staged file swept before its commit is refused in words, never committed empty', async () => {
    const staged = await store.stageMedia(S1, M2, Buffer.from(png), { ...META, mimeType: 'image/png' });
    await unlink(staged.file.temp);
    await expect(store.adoptStaged(staged)).rejects.toMatchObject({ code: 'STAGED_MEDIA_GONE', message: expect.stringContaining('fetch the session again') });
    expect(await store.loadMedia(S1, M2)).toBeNull();
  });

  test('a refused id or type, or a full disk, is refused in words and leaves nothing behind', async () => {
    await expect(store.stageMedia('../x', M1, jpeg, META)).rejects.toMatchObject({ code: 'INVALID_ID' });
    await expect(store.stageMedia(S1, M1, Buffer.from(jpeg), { ...META, mimeType: 'image/jpeg\n' })).rejects.toMatchObject({ code: 'INVALID_CACHE_META' });
    const full = new SessionStore({
      dataDir,
      key,
      fs: {
        open: () => Promise.reject(Object.assign(new Error('no space'), { code: 'ENOSPC' })),
        rename: () => Promise.reject(new Error('unused')),
        unlink: () => Promise.resolve(),
        mkdir: () => Promise.resolve(undefined),
      },
    });
    await expect(full.stageMedia(S1, M1, Buffer.from(jpeg), META)).rejects.toMatchObject({ code: 'DISK_FULL' });
    expect(await temps()).toEqual([]);
  });
});

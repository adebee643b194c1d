import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { makeThumbnail, THUMBNAIL_BOX } from '../../../main/core/images/thumbnail';
import { SessionStore, stagedFiles } from '../../../main/core/store/session-store';
import { MediaRegistry } from '../../../main/ipc/media-registry';
import { picture } from '../../support/picture';

const SID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const PAGE = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';
const SELFIE = '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed';
const META = { mimeType: 'image/jpeg', apiUrl: 'https://api.example.test/idverify/v1', fetchedAt: '2025-03-04T05:06:07.000Z' };
const MARKER = 'PERSONAL-COMMENT-MARKER';

const info = async (b: Buffer) => {
  const m = await sharp(b).metadata();
  return { format: m.format, width: m.width, height: m.height, exif: m.exif, comments: m.comments };
};

let page: Buffer;
beforeEach(async () => {
  // A document page as captured (2769 × 1938), carrying a comment that must not reach the thumbnail.
  page = await sharp(await picture(2769, 1938, 'jpeg')).withMetadata({ exif: { IFD0: { ImageDescription: MARKER } } }).jpeg().toBuffer();
});

describe('makeThumbnail', () => {
  test('a page becomes a small JPEG inside the box, its proportions kept, nothing but pixels', async () => {
    const t = await makeThumbnail(page, 'image/jpeg');
    expect(t).not.toBeNull();
    const i = await info(t!);
    expect(i).toMatchObject({ format: 'jpeg', width: THUMBNAIL_BOX.width });
    expect(Math.abs((i.height ?? 0) - (THUMBNAIL_BOX.width * 1938) / 2769)).toBeLessThanOrEqual(1);
    expect(i.exif).toBeUndefined();
    expect(t!.includes(MARKER)).toBe(false);
    expect(t!.length).toBeLessThan(page.length / 20);
  });

  test('a PNG is thumbnailed, turned upright as its orientation says; a small image is never enlarged', async () => {
    const upright = await makeThumbnail(await picture(300, 200, 'png'), 'image/png');
    expect(await info(upright!)).toMatchObject({ format: 'jpeg', width: 300, height: 200 });
    const turned = await makeThumbnail(await picture(300, 200, 'jpeg', { orientation: 6 }), 'image/jpeg');
    expect(await info(turned!)).toMatchObject({ width: 200, height: 300 });
  });

  test('anything else has none: a facemap, JSON, HTML posing as a PNG, a JPEG declared PNG, a damaged JPEG', async () => {
    expect(await makeThumbnail(randomBytes(500), 'application/octet-stream')).toBeNull();
    expect(await makeThumbnail(Buffer.from('{"a":1}'), 'application/json')).toBeNull();
    expect(await makeThumbnail(Buffer.from('<html><script>alert(1)</script></html>'), 'image/png')).toBeNull();
    expect(await makeThumbnail(page, 'image/png')).toBeNull();
    expect(await makeThumbnail(page.subarray(0, 2000), 'image/jpeg')).toBeNull();
  });
});

describe('thumbnails in the store', () => {
  let dataDir: string;
  let store: SessionStore;
  let registry: MediaRegistry;
  const folder = () => join(dataDir, 'evidence', SID);
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'idv-thumbs-'));
    store = new SessionStore({ dataDir, key: randomBytes(32) });
    registry = new MediaRegistry({ base: 'idv-media://media/', store: () => Promise.resolve(store) });
  });
  afterEach(async () => rm(dataDir, { recursive: true, force: true }));

  const stageAndCommit = async (mediaId: string, bytes: Buffer, meta = META) => {
    const staged = await store.stageMedia(SID, mediaId, bytes, meta);
    await store.commitStaged(await store.adoptStaged(staged));
    return staged;
  };
  const served = async (mediaId: string) => {
    const r = await registry.resolve(registry.tokenFor(SID, mediaId, 'thumbnail'));
    return r.ok ? r.bytes : null;
  };

  test('an image entering the store gets its thumbnail staged and committed with it, sealed like the media', async () => {
    const staged = await store.stageMedia(SID, PAGE, page, META);
    expect(staged.thumbnail).toBeDefined();
    expect(stagedFiles(staged)).toEqual([staged.file, staged.thumbnail]);
    expect(await store.loadThumbnail(SID, PAGE)).toBeNull(); // nothing visible before the commit
    await store.commitStaged(await store.adoptStaged(staged));
    expect((await readdir(folder())).sort()).toEqual([`media-${PAGE}.idvc`, `thumb-${PAGE}.idvc`]);
    const thumb = await store.loadThumbnail(SID, PAGE);
    expect(await info(thumb!)).toMatchObject({ format: 'jpeg', width: THUMBNAIL_BOX.width });
    // Sealed: the JPEG's own bytes are not on disk.
    const onDisk = await readFile(join(folder(), `thumb-${PAGE}.idvc`));
    expect(onDisk.includes(thumb!.subarray(0, 64))).toBe(false);
    // Derived, not evidence: the media list is unchanged.
    expect((await store.listMedia(SID)).map((m) => m.mediaId)).toEqual([PAGE]);
  });

  test('the thumbnail token serves the stored thumbnail; the item token still serves the original', async () => {
    await stageAndCommit(PAGE, page);
    const thumb = await store.loadThumbnail(SID, PAGE);
    expect((await served(PAGE))!.equals(thumb!)).toBe(true);
    expect(registry.tokenFor(SID, PAGE, 'thumbnail')).not.toBe(registry.tokenFor(SID, PAGE));
    const full = await registry.resolve(registry.tokenFor(SID, PAGE));
    expect(full.ok && full.bytes.equals(page)).toBe(true);
  });

  test('a thumbnail made from another version of the item, or damaged, is not used: one is made from the item', async () => {
    await stageAndCommit(PAGE, page);
    const old = await readFile(join(folder(), `thumb-${PAGE}.idvc`));
    // The item fetched again with other bytes (no thumbnail staged this time: saveMedia).
    const other = await picture(1200, 800, 'jpeg');
    await store.saveMedia(SID, PAGE, other, META);
    expect(await store.loadThumbnail(SID, PAGE)).toBeNull();
    expect(await info((await served(PAGE))!)).toMatchObject({ width: THUMBNAIL_BOX.width, height: 256 });
    // A flipped byte in the thumbnail file.
    await stageAndCommit(PAGE, page);
    const file = join(folder(), `thumb-${PAGE}.idvc`);
    const bytes = await readFile(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 40) ^ 0x01, bytes.length - 40);
    await writeFile(file, bytes);
    expect(await store.loadThumbnail(SID, PAGE)).toBeNull();
    expect(await served(PAGE)).not.toBeNull();
    // The old file put back under the item: it belongs to the same version, so it is used again.
    await writeFile(file, old);
    expect(await store.loadThumbnail(SID, PAGE)).not.toBeNull();
  });

  test('an item stored before thumbnails existed gets one made when asked; a non-image never does', async () => {
    await store.saveMedia(SID, SELFIE, await picture(640, 480, 'png'), { ...META, mimeType: 'image/png' });
    expect(await info((await served(SELFIE))!)).toMatchObject({ format: 'jpeg', width: 384, height: 288 });
    await store.saveMedia(SID, PAGE, Buffer.from('<html></html>'), { ...META, mimeType: 'image/png' });
    expect(await registry.resolve(registry.tokenFor(SID, PAGE, 'thumbnail'))).toMatchObject({ ok: false, status: 404 });
  });

  test('a thumbnail swept before the commit is left out; the item still commits', async () => {
    const staged = await store.stageMedia(SID, PAGE, page, META);
    await unlink(staged.thumbnail!.temp);
    expect(await store.adoptStaged(staged)).toEqual([staged.file]);
  });

  test('deleting the item deletes its thumbnail; revoking the session revokes both tokens', async () => {
    await stageAndCommit(PAGE, page);
    const tokens = [registry.tokenFor(SID, PAGE), registry.tokenFor(SID, PAGE, 'thumbnail')];
    await store.deleteMedia(SID, PAGE);
    expect(await readdir(folder())).toEqual([]);
    registry.revokeSession(SID);
    for (const t of tokens) expect(await registry.resolve(t)).toMatchObject({ ok: false, reason: 'unknown or expired token' });
  });
});

import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { deriveImages } from '../../../main/core/images/derived-images';
import { DERIVED_IMAGES, fittedSize, THUMBNAIL_BOX } from '../../../main/core/images/derived-sizes';
import { storedMediaView } from '../../../main/core/store/media-view';
import { SessionStore, stagedFiles } from '../../../main/core/store/session-store';
import { MediaRegistry } from '../../../main/ipc/media-registry';
import { picture } from '../../support/picture';
import { openStore, randomKeys } from '../review/support';

const SID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
const PAGE = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';
const SELFIE = '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed';
const META = { mimeType: 'image/jpeg', apiUrl: 'https://api.example.test/idverify/v1', fetchedAt: '2025-03-04T05:06:07.000Z' };
const MARKER = 'PERSONAL-COMMENT-MARKER';

const info = async (b: Buffer) => {
  const m = await sharp(b).metadata();
  return { format: m.format, width: m.width, height: m.height, exif: m.exif, comments: m.comments };
};

const makeThumbnail = async (bytes: Buffer, type: string) => (await deriveImages(bytes, type))?.thumbnail ?? null;
const SCREEN = DERIVED_IMAGES.screen.box;

let page: Buffer;
beforeEach(async () => {
  // A document page as captured (2769 × 1938), carrying a comment that must not reach the thumbnail.
  page = await sharp(await picture(2769, 1938, 'jpeg')).withMetadata({ exif: { IFD0: { ImageDescription: MARKER } } }).jpeg().toBuffer();
});

describe('deriveImages', () => {
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

  test('a page larger than the screen box gets a screen copy of the size fittedSize predicts; its upright size is recorded', async () => {
    const d = await deriveImages(page, 'image/jpeg');
    expect(d!.pixels).toEqual({ width: 2769, height: 1938 });
    const copy = await info(d!.screen!);
    expect(copy).toMatchObject({ format: 'jpeg', ...fittedSize(d!.pixels, SCREEN) });
    expect(copy.width).toBe(SCREEN.width);
    expect(copy.exif).toBeUndefined();
    expect(d!.screen!.includes(MARKER)).toBe(false);
    // Turned by its orientation, the recorded size is the upright one, and so is the copy.
    const turned = await deriveImages(await picture(2400, 1600, 'jpeg', { orientation: 6 }), 'image/jpeg');
    expect(turned!.pixels).toEqual({ width: 1600, height: 2400 });
    expect(await info(turned!.screen!)).toMatchObject(fittedSize(turned!.pixels, SCREEN));
    expect(fittedSize(turned!.pixels, SCREEN)).toEqual({ width: 1365, height: 2048 });
    // Within the box (either way), none: the stage shows the image itself.
    for (const [w, h] of [[2048, 1200], [640, 480]] as const) {
      const small = await deriveImages(await picture(w, h, 'jpeg'), 'image/jpeg');
      expect(small).toMatchObject({ pixels: { width: w, height: h }, screen: null });
    }
  });

  test('anything else has none: a facemap, JSON, HTML posing as a PNG, a JPEG declared PNG, a damaged JPEG', async () => {
    expect(await makeThumbnail(randomBytes(500), 'application/octet-stream')).toBeNull();
    expect(await makeThumbnail(Buffer.from('{"a":1}'), 'application/json')).toBeNull();
    expect(await makeThumbnail(Buffer.from('<html><script>alert(1)</script></html>'), 'image/png')).toBeNull();
    expect(await makeThumbnail(page, 'image/png')).toBeNull();
    expect(await makeThumbnail(page.subarray(0, 2000), 'image/jpeg')).toBeNull();
  });
});

describe('derived images in the store', () => {
  let dataDir: string;
  let store: SessionStore;
  let registry: MediaRegistry;
  let key: Buffer;
  const folder = () => join(dataDir, 'evidence', SID);
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'idv-thumbs-'));
    key = randomBytes(32);
    store = new SessionStore({ dataDir, key });
    registry = new MediaRegistry({ base: 'idv-media://media/', store: () => Promise.resolve(store) });
  });
  afterEach(async () => rm(dataDir, { recursive: true, force: true }));

  const stageAndCommit = async (mediaId: string, bytes: Buffer, meta = META) => {
    const staged = await store.stageMedia(SID, mediaId, bytes, meta);
    await store.commitStaged(await store.adoptStaged(staged));
    return staged;
  };
  const served = async (mediaId: string, kind: 'thumbnail' | 'screen' = 'thumbnail') => {
    const r = await registry.resolve(registry.tokenFor(SID, mediaId, kind));
    return r.ok ? r.bytes : null;
  };

  test('an image entering the store gets its thumbnail and screen copy staged and committed with it, sealed like the media', async () => {
    const staged = await store.stageMedia(SID, PAGE, page, META);
    expect(staged.derived).toHaveLength(2);
    expect(stagedFiles(staged)).toEqual([staged.file, ...staged.derived]);
    expect(await store.loadDerived('thumbnail', SID, PAGE)).toBeNull(); // nothing visible before the commit
    await store.commitStaged(await store.adoptStaged(staged));
    expect((await readdir(folder())).sort()).toEqual([`media-${PAGE}.idvc`, `screen-${PAGE}.idvc`, `thumb-${PAGE}.idvc`]);
    const thumb = await store.loadDerived('thumbnail', SID, PAGE);
    expect(await info(thumb!)).toMatchObject({ format: 'jpeg', width: THUMBNAIL_BOX.width });
    const copy = await store.loadDerived('screen', SID, PAGE);
    expect(await info(copy!)).toMatchObject({ format: 'jpeg', width: SCREEN.width });
    // Sealed: the JPEGs' own bytes are not on disk.
    for (const [name, jpeg] of [[`thumb-${PAGE}.idvc`, thumb!], [`screen-${PAGE}.idvc`, copy!]] as const) {
      expect((await readFile(join(folder(), name))).includes(jpeg.subarray(0, 64))).toBe(false);
    }
    // Derived, not evidence: the media list is unchanged; the item's metadata has its size.
    const listed = await store.listMedia(SID);
    expect(listed.map((m) => m.mediaId)).toEqual([PAGE]);
    expect(listed[0]).toMatchObject({ pixels: { width: 2769, height: 1938 } });
  });

  test("the view offers the screen copy of a large image only, with the copy's size; its token serves it", async () => {
    await stageAndCommit(PAGE, page);
    await stageAndCommit(SELFIE, await picture(640, 480, 'jpeg'));
    const view = async (mediaId: string) => {
      const loaded = await store.loadMedia(SID, mediaId);
      return storedMediaView(SID, { mediaId, role: 'DOCUMENT_PAGE', fetchable: true } as never, loaded!.meta, registry.urlFor);
    };
    const large = await view(PAGE);
    expect(large.pixels).toEqual({ width: 2769, height: 1938 });
    expect(large.screen).toEqual({ url: registry.urlFor(SID, PAGE, 'screen'), ...fittedSize({ width: 2769, height: 1938 }, SCREEN) });
    expect((await served(PAGE, 'screen'))!.equals((await store.loadDerived('screen', SID, PAGE))!)).toBe(true);
    const small = await view(SELFIE);
    expect(small.pixels).toEqual({ width: 640, height: 480 });
    expect(small.screen).toBeUndefined();
    // Stored before sizes were recorded (saveMedia records none): no size, no copy offered.
    await store.saveMedia(SID, PAGE, page, META);
    expect(await view(PAGE)).not.toHaveProperty('screen');
  });

  test('the thumbnail token serves the stored thumbnail; the item token still serves the original', async () => {
    await stageAndCommit(PAGE, page);
    const thumb = await store.loadDerived('thumbnail', SID, PAGE);
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
    expect(await store.loadDerived('thumbnail', SID, PAGE)).toBeNull();
    expect(await store.loadDerived('screen', SID, PAGE)).toBeNull();
    expect(await info((await served(PAGE))!)).toMatchObject({ width: THUMBNAIL_BOX.width, height: 256 });
    expect(await info((await served(PAGE, 'screen'))!)).toMatchObject({ width: 1200, height: 800 });
    // A flipped byte in the thumbnail file.
    await stageAndCommit(PAGE, page);
    const file = join(folder(), `thumb-${PAGE}.idvc`);
    const bytes = await readFile(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 40) ^ 0x01, bytes.length - 40);
    await writeFile(file, bytes);
    expect(await store.loadDerived('thumbnail', SID, PAGE)).toBeNull();
    expect(await served(PAGE)).not.toBeNull();
    // The old file put back under the item: it belongs to the same version, so it is used again.
    await writeFile(file, old);
    expect(await store.loadDerived('thumbnail', SID, PAGE)).not.toBeNull();
    // One kind's file under the other's name is refused (its seal names its kind).
    await writeFile(join(folder(), `screen-${PAGE}.idvc`), old);
    expect(await store.loadDerived('screen', SID, PAGE)).toBeNull();
  });

  test('an item stored before thumbnails existed gets one made when asked; a non-image never does', async () => {
    await store.saveMedia(SID, SELFIE, await picture(640, 480, 'png'), { ...META, mimeType: 'image/png' });
    expect(await info((await served(SELFIE))!)).toMatchObject({ format: 'jpeg', width: 384, height: 288 });
    await store.saveMedia(SID, PAGE, Buffer.from('<html></html>'), { ...META, mimeType: 'image/png' });
    expect(await registry.resolve(registry.tokenFor(SID, PAGE, 'thumbnail'))).toMatchObject({ ok: false, status: 404 });
  });

  test('a derived image swept before the commit is left out; the item still commits', async () => {
    const staged = await store.stageMedia(SID, PAGE, page, META);
    await unlink(staged.derived[0]!.temp);
    expect(await store.adoptStaged(staged)).toEqual([staged.file, staged.derived[1]]);
    await unlink(staged.derived[1]!.temp);
    expect(await store.adoptStaged(staged)).toEqual([staged.file]);
  });

  test('a page fetched again smaller commits without a screen copy, and the earlier version\'s copy is removed', async () => {
    const offline = await openStore(dataDir, { ...randomKeys(), cache: key });
    const fetchOf = async (bytes: Buffer) =>
      offline.commitFetch({
        sessionId: SID,
        sdkId: SID,
        apiUrl: META.apiUrl,
        fetchedAt: META.fetchedAt,
        body: Buffer.from('{}'),
        media: [{ mediaId: PAGE, status: 'ok', staged: await offline.sessions.stageMedia(SID, PAGE, bytes, META) }],
        forced: true,
        refreshed: false,
      });
    await fetchOf(page);
    expect(await readdir(folder())).toContain(`screen-${PAGE}.idvc`);
    await fetchOf(await picture(1200, 800, 'jpeg'));
    const files = await readdir(folder());
    expect(files).not.toContain(`screen-${PAGE}.idvc`);
    expect(files).toContain(`thumb-${PAGE}.idvc`);
    expect(await offline.sessions.loadDerived('thumbnail', SID, PAGE)).not.toBeNull();
  });

  test('deleting the item deletes its derived images; revoking the session revokes every token', async () => {
    await stageAndCommit(PAGE, page);
    const tokens = [registry.tokenFor(SID, PAGE), registry.tokenFor(SID, PAGE, 'thumbnail'), registry.tokenFor(SID, PAGE, 'screen')];
    await store.deleteMedia(SID, PAGE);
    expect(await readdir(folder())).toEqual([]);
    registry.revokeSession(SID);
    for (const t of tokens) expect(await registry.resolve(t)).toMatchObject({ ok: false, reason: 'unknown or expired token' });
  });
});

import { createHash } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { open as openFile, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { forEachBounded } from '../async/bounded';
import { KEY_BYTES, open, seal, sealInto, SEAL_OVERHEAD } from '../crypto/aead';
import { AppError, LocalError, UsageError } from '../../../common/errors';
import { assertYotiId, isYotiId } from '../../../common/yoti-ids';
import type { DerivedImages } from '../images/derived-images';
import type { DerivedKind } from '../images/derived-sizes';
import { evidenceRoot, removeFolder, sweepTrash } from './layout';
import { errnoCode, moveIntoPlace, removeFile, stageFile, writeFileAtomic, type AtomicFs, type StagedFile } from './atomic';

/**
 * The local copy of fetched sessions and media, encrypted at rest with the cache key
 * (HKDF(DEK,'cache') from KeyVault.cacheKey()).
 *
 * Layout (layout.ts): `<dataDir>/evidence/<sessionId>/session.idvc` and `…/media-<mediaId>.idvc`.
 * Names come only from ids that passed assertYotiId. Ids are the only thing in clear on disk.
 *
 * File format ("IDVC" container, version 2; written since BENCHMARKS.md finding 2), all integers big-endian:
 *
 *   [4 bytes "IDVC"][1 byte version = 2][4 bytes M = length of sealed meta]
 *   [M bytes  seal(key, metaJSON, AAD + "|meta")]
 *   [rest     seal(key, payload,  AAD + "|v2|" + hex SHA-256 of metaJSON)]
 *
 * with AAD = `idv-review|session|<sessionId>` or `idv-review|media|<sessionId>|<mediaId>`, and seal as in
 * crypto/aead.ts (version byte, 12-byte nonce, ciphertext, 16-byte tag). The meta JSON (`v: 2`, ids, mime
 * type, size and sha256 of the plaintext, fetchedAt, apiUrl) is readable on its own, so listing does not
 * decrypt media. The payload's additional data binds it to that exact metadata (its size and SHA-256
 * among it): the writer hashed the payload when sealing it, so a payload that decrypts is the one that
 * metadata describes, and loading does not hash it again. A payload spliced under other metadata (an
 * older version of the same item, say) fails to decrypt. The header's version byte is not authenticated
 * by itself, so the sealed meta's `v` must equal it.
 *
 * Version 1 (written before; still read, never written): the same layout with the payload sealed under
 * AAD alone and meta `v: 1`, so nothing ties payload and metadata together but the SHA-256: loading a
 * version-1 file re-hashes the payload and compares it with the recorded sha256 and size. Either way, a
 * file renamed, swapped, truncated, spliced or bit-flipped fails with LocalError 'CACHE_DAMAGED' and is
 * never returned as valid.
 *
 * Lists (listSessions, listMedia) report a damaged or unreadable item as a DamagedEntry in its place
 * and go on, so one bad file never hides the others. Several files can be written as one step:
 * stage*() writes and fsyncs each under a temporary name, commitStaged() renames them into place
 * (no disk space needed), discardStaged() removes them; see store/offline-store.ts for how an
 * interrupted commit is reconciled. A fetch stages each media item as it arrives (stageMedia(), while
 * the rest is still downloading, outside the store lock), so its bytes need not be kept until the
 * commit, which takes the staged files over (adoptStaged()).
 * deleteSession() first renames the folder to `evidence/.trash-…` (atomic), then removes it; sweepTrash()
 * finishes removals a crash interrupted.
 *
 * An image entering the store by a fetch (stageMedia) gets its derived images beside it
 * (images/derived-images.ts): a thumbnail, `thumb-<mediaId>.idvc`, and for a large one a screen copy,
 * `screen-<mediaId>.idvc`, sealed the same way (AAD `idv-review|<kind>|<sessionId>|<mediaId>`) and bound
 * to the SHA-256 of the item they were made from; its upright size goes into its metadata. They are
 * derived, never evidence: not in the manifest; one that is missing, damaged or made from another
 * version of its item is not used (the media protocol makes one from the item instead).
 *
 * The evidence folder also holds the evidence's retention file (retention-files.ts), removed with it.
 * Review records live apart (layout.ts): deleting evidence never touches them.
 */

export interface SessionMeta {
  sessionId: string;
  sdkId: string;
  apiUrl: string;
  fetchedAt: string;
  size: number;
  sha256: string;
}

export interface MediaContentMeta {
  sessionId: string;
  mediaId: string;
  noContent: false;
  mimeType: string;
  size: number;
  sha256: string;
  /** The image's upright size, when it was recorded as it entered the store. */
  pixels?: { width: number; height: number };
  apiUrl: string;
  fetchedAt: string;
}

/** Yoti answered 204 (no content, e.g. deleted or expired): remembered so it is not fetched again. */
export interface MediaNoContentMeta {
  sessionId: string;
  mediaId: string;
  noContent: true;
  mimeType: null;
  size: 0;
  sha256: null;
  apiUrl: string;
  fetchedAt: string;
}

export type MediaMeta = MediaContentMeta | MediaNoContentMeta;

export type LoadedMedia = { bytes: Buffer; meta: MediaContentMeta } | { noContent: true; meta: MediaNoContentMeta };

/** A list entry for an item that could not be read or did not verify; `message` is in words, ids only. */
export interface DamagedEntry {
  damaged: true;
  sessionId: string;
  /** Absent for the session file itself. */
  mediaId?: string;
  /** CACHE_DAMAGED (changed, truncated, swapped, other key) or CACHE_UNREADABLE (I/O error). */
  code: string;
  message: string;
}

export type SessionListEntry = SessionMeta | DamagedEntry;
export type MediaListEntry = MediaMeta | DamagedEntry;

export function isDamaged<T extends object>(entry: T | DamagedEntry): entry is DamagedEntry {
  return 'damaged' in entry && entry.damaged === true;
}

export interface SessionStoreOptions {
  dataDir: string;
  /** 32-byte cache key from KeyVault.cacheKey(); copied. */
  key: Buffer;
  /** File system used for writes (tests inject failures such as ENOSPC). */
  fs?: AtomicFs;
}


const MAGIC = Buffer.from('IDVC', 'ascii');
/** The version written. */
export const CONTAINER_VERSION = 2;
/** Versions read: 1 (payload re-hashed on load) and 2 (payload bound to its metadata). */
type ContainerVersion = 1 | 2;
const HEADER_BYTES = MAGIC.length + 1 + 4;
const MAX_META_SEALED = 64 * 1024;
const SESSION_FILE = 'session.idvc';
const MEDIA_FILE = /^media-(.+)\.idvc$/;
const DERIVED_FILE: Record<DerivedKind, (mediaId: string) => string> = {
  thumbnail: (mediaId) => `thumb-${mediaId}.idvc`,
  screen: (mediaId) => `screen-${mediaId}.idvc`,
};
const DERIVED_KINDS = Object.keys(DERIVED_FILE) as DerivedKind[];
/** Media files whose metadata listMedia reads at once. */
const LIST_READS = 6;

const SHA256_HEX = z.string().regex(/^[0-9a-f]{64}$/);
const META_VERSION = z.union([z.literal(1), z.literal(2)]);
const StoredSessionMeta = z.object({
  v: META_VERSION,
  kind: z.literal('session'),
  sessionId: z.string(),
  sdkId: z.string(),
  apiUrl: z.string(),
  fetchedAt: z.string(),
  size: z.number().int().nonnegative(),
  sha256: SHA256_HEX,
});
/** What the metadata says of a media file's payload, for either kind of item (content, or Yoti's 204). */
type PayloadDescription<T = StoredMedia> = T extends StoredMedia ? Pick<T, 'noContent' | 'mimeType' | 'size' | 'sha256'> & Partial<Pick<T, 'pixels' & keyof T>> : never;
type StoredMedia = z.infer<typeof StoredMediaMeta>;

const StoredMediaMeta = z.discriminatedUnion('noContent', [
  z.object({
    v: META_VERSION,
    kind: z.literal('media'),
    sessionId: z.string(),
    mediaId: z.string(),
    noContent: z.literal(false),
    mimeType: z.string(),
    size: z.number().int().nonnegative(),
    sha256: SHA256_HEX,
    /** The image's upright size (recorded since screen copies were made). */
    pixels: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }).optional(),
    apiUrl: z.string(),
    fetchedAt: z.string(),
  }),
  z.object({
    v: META_VERSION,
    kind: z.literal('media'),
    sessionId: z.string(),
    mediaId: z.string(),
    noContent: z.literal(true),
    mimeType: z.null(),
    size: z.literal(0),
    sha256: z.null(),
    apiUrl: z.string(),
    fetchedAt: z.string(),
  }),
]);

const StoredDerivedMeta = z.object({
  v: z.literal(CONTAINER_VERSION),
  kind: z.enum(['thumbnail', 'screen']),
  sessionId: z.string(),
  mediaId: z.string(),
  /** The SHA-256 of the media item it was made from. */
  sourceSha256: SHA256_HEX,
  size: z.number().int().nonnegative(),
  sha256: SHA256_HEX,
});

/** What is derived from an image, or null for anything that is not one: the codec loads only when an image is stored. */
async function derivedOf(bytes: Buffer, mimeType: string): Promise<DerivedImages | null> {
  return (await import('../images/derived-images')).deriveImages(bytes, mimeType);
}

type Target = { sessionId: string; mediaId?: string };

/** A media item sealed and staged ahead of its fetch's commit (stageMedia): what it holds, and where. */
export interface StagedMedia {
  sessionId: string;
  mediaId: string;
  mimeType: string;
  apiUrl: string;
  fetchedAt: string;
  size: number;
  sha256: string;
  file: StagedFile;
  /** The item's derived images, staged beside it (images only). */
  derived: StagedFile[];
}

/** Every file staged for an item: the item, then what is derived from it. */
export function stagedFiles(item: StagedMedia): StagedFile[] {
  return [item.file, ...item.derived];
}

export function derivedAad(kind: DerivedKind, sessionId: string, mediaId: string): string {
  return `idv-review|${kind}|${sessionId}|${mediaId}`;
}

export function sessionAad(sessionId: string): string {
  return `idv-review|session|${sessionId}`;
}

export function mediaAad(sessionId: string, mediaId: string): string {
  return `idv-review|media|${sessionId}|${mediaId}`;
}

export class SessionStore {
  private readonly root: string;
  private readonly key: Buffer;
  private readonly fs: AtomicFs;

  constructor(opts: SessionStoreOptions) {
    if (!Buffer.isBuffer(opts.key) || opts.key.length !== KEY_BYTES) throw new RangeError(`the cache key must be ${KEY_BYTES} bytes`);
    this.root = evidenceRoot(opts.dataDir);
    this.key = Buffer.from(opts.key);
    this.fs = opts.fs ?? nodeFs;
  }

  async saveSession(sessionId: string, body: Buffer, meta: { apiUrl: string; fetchedAt: string; sdkId: string }): Promise<void> {
    const { path, data } = this.packSession(sessionId, body, meta);
    await writeFileAtomic(path, data, { fs: this.fs });
  }

  /** Like saveSession, but only staged: see commitStaged(). */
  async stageSession(sessionId: string, body: Buffer, meta: { apiUrl: string; fetchedAt: string; sdkId: string }): Promise<StagedFile> {
    const { path, data } = this.packSession(sessionId, body, meta);
    return stageFile(this.fs, path, data);
  }

  private packSession(sessionId: string, body: Buffer, meta: { apiUrl: string; fetchedAt: string; sdkId: string }): { path: string; data: Buffer } {
    const sid = assertYotiId(sessionId, 'session ID');
    const stored: z.infer<typeof StoredSessionMeta> = {
      v: CONTAINER_VERSION,
      kind: 'session',
      sessionId: sid,
      sdkId: assertYotiId(meta.sdkId, 'SDK ID'),
      apiUrl: checkApiUrl(meta.apiUrl),
      fetchedAt: checkTimestamp(meta.fetchedAt),
      size: body.length,
      sha256: sha256(body),
    };
    return { path: this.sessionPath(sid), data: this.pack(stored, body, sessionAad(sid)) };
  }

  async loadSession(sessionId: string): Promise<{ body: Buffer; meta: SessionMeta } | null> {
    const sid = assertYotiId(sessionId, 'session ID');
    const target = { sessionId: sid };
    const file = await this.readIfExists(this.sessionPath(sid), target);
    if (file === null) return null;
    const { meta, payload } = this.unpack(file, sessionAad(sid), StoredSessionMeta, target);
    if (meta.sessionId !== sid) throw cacheDamaged(target, 'it belongs to another session');
    return { body: payload, meta: toSessionMeta(meta) };
  }

  async saveMedia(
    sessionId: string,
    mediaId: string,
    bytes: Buffer,
    meta: { mimeType: string; apiUrl: string; fetchedAt: string },
  ): Promise<void> {
    const { path, data } = this.packMedia(sessionId, mediaId, bytes, meta);
    await writeFileAtomic(path, data, { fs: this.fs });
  }

  /**
   * Seals and stages (writes and fsyncs under a temporary name) a media item for a later commit, so
   * that a fetch stores each item as it arrives and keeps none of their bytes: nothing is visible
   * until the commit moves it into place (commitStaged, after adoptStaged). An image's derived images
   * are made and staged with it. Refused in words (a bad id or type, a full disk) with nothing left behind.
   */
  async stageMedia(sessionId: string, mediaId: string, bytes: Buffer, meta: { mimeType: string; apiUrl: string; fetchedAt: string }): Promise<StagedMedia> {
    const sid = assertYotiId(sessionId, 'session ID');
    const mid = assertYotiId(mediaId, 'media ID');
    const digest = sha256(bytes);
    const derived = await derivedOf(bytes, meta.mimeType);
    const { path, data } = this.packMedia(sid, mid, bytes, { ...meta, pixels: derived?.pixels }, digest);
    const file = await stageFile(this.fs, path, data);
    const item: StagedMedia = { sessionId: sid, mediaId: mid, mimeType: meta.mimeType, apiUrl: meta.apiUrl, fetchedAt: meta.fetchedAt, size: bytes.length, sha256: digest, file, derived: [] };
    if (derived === null) return item;
    try {
      for (const kind of DERIVED_KINDS) {
        const jpeg = derived[kind];
        if (jpeg !== null) item.derived.push(await stageFile(this.fs, this.derivedPath(kind, sid, mid), this.packDerived(kind, sid, mid, digest, jpeg)));
      }
      return item;
    } catch (err) {
      await this.discardStaged(stagedFiles(item));
      throw err;
    }
  }

  /**
   * The staged files of an item, for its commit: still there, or refused in words (an interrupted
   * step's reconciliation or a deletion may have swept them while the fetch ran). A derived image swept
   * meanwhile is left out (the protocol makes one from the item).
   */
  async adoptStaged(item: StagedMedia): Promise<StagedFile[]> {
    const there = async (f: StagedFile): Promise<boolean> => stat(f.temp).then((st) => st.isFile(), () => false);
    if (await there(item.file)) {
      const derived: StagedFile[] = [];
      for (const f of item.derived) if (await there(f)) derived.push(f);
      return [item.file, ...derived];
    }
    throw new LocalError(
      'STAGED_MEDIA_GONE',
      `Media ${item.mediaId} of session ${item.sessionId} was stored for this fetch, but its temporary file was removed while the fetch ran: nothing was changed; fetch the session again.`,
    );
  }

  /**
   * After an item's commit: removes a derived image of an earlier version that this one has none of
   * (a page fetched again smaller needs no screen copy). Such a file is never used (it is bound to the
   * other version); this only keeps nothing derived from evidence that is no longer stored.
   */
  async removeStaleDerived(item: StagedMedia): Promise<void> {
    const made = new Set(item.derived.map((f) => f.target));
    for (const kind of DERIVED_KINDS) {
      const path = this.derivedPath(kind, item.sessionId, item.mediaId);
      if (!made.has(path)) await removeFile(this.fs, path);
    }
  }

  private packDerived(kind: DerivedKind, sid: string, mid: string, sourceSha256: string, jpeg: Buffer): Buffer {
    const stored: z.infer<typeof StoredDerivedMeta> = { v: CONTAINER_VERSION, kind, sessionId: sid, mediaId: mid, sourceSha256, size: jpeg.length, sha256: sha256(jpeg) };
    return this.pack(stored, jpeg, derivedAad(kind, sid, mid));
  }

  /**
   * A derived image of the item stored now, or null: none was made (not an image, small enough to
   * need no screen copy, or stored before it was made), or it is damaged, or it was made from another
   * version of the item.
   */
  async loadDerived(kind: DerivedKind, sessionId: string, mediaId: string): Promise<Buffer | null> {
    const sid = assertYotiId(sessionId, 'session ID');
    const mid = assertYotiId(mediaId, 'media ID');
    const target = { sessionId: sid, mediaId: mid };
    try {
      const file = await this.readIfExists(this.derivedPath(kind, sid, mid), target);
      if (file === null) return null;
      const { meta, payload } = this.unpack(file, derivedAad(kind, sid, mid), StoredDerivedMeta, target);
      // Only the item's metadata is read to know which version is stored now, not its payload.
      const source = await this.readMeta(this.mediaPath(sid, mid), mediaAad(sid, mid), StoredMediaMeta, target);
      return meta.kind === kind && meta.sessionId === sid && meta.mediaId === mid && source !== null && source.sha256 === meta.sourceSha256 ? payload : null;
    } catch (err) {
      if (err instanceof AppError) return null;
      throw err;
    }
  }

  private packMedia(
    sessionId: string,
    mediaId: string,
    bytes: Buffer,
    meta: { mimeType: string; apiUrl: string; fetchedAt: string; pixels?: { width: number; height: number } },
    digest?: string,
  ): { path: string; data: Buffer } {
    const item = {
      noContent: false as const,
      mimeType: checkMimeType(meta.mimeType),
      size: bytes.length,
      sha256: digest ?? sha256(bytes),
      ...(meta.pixels ? { pixels: meta.pixels } : {}),
    };
    return this.packMediaFile(sessionId, mediaId, meta, item, bytes);
  }

  private packNoContent(sessionId: string, mediaId: string, meta: { apiUrl: string; fetchedAt: string }): { path: string; data: Buffer } {
    return this.packMediaFile(sessionId, mediaId, meta, { noContent: true, mimeType: null, size: 0, sha256: null }, Buffer.alloc(0));
  }

  /** One media file: the sealed metadata (ids, source, time and what describes the payload) and the payload. */
  private packMediaFile(
    sessionId: string,
    mediaId: string,
    meta: { apiUrl: string; fetchedAt: string },
    item: PayloadDescription,
    payload: Buffer,
  ): { path: string; data: Buffer } {
    const sid = assertYotiId(sessionId, 'session ID');
    const mid = assertYotiId(mediaId, 'media ID');
    const stored: z.infer<typeof StoredMediaMeta> = {
      v: CONTAINER_VERSION,
      kind: 'media',
      sessionId: sid,
      mediaId: mid,
      ...item,
      apiUrl: checkApiUrl(meta.apiUrl),
      fetchedAt: checkTimestamp(meta.fetchedAt),
    };
    return { path: this.mediaPath(sid, mid), data: this.pack(stored, payload, mediaAad(sid, mid)) };
  }

  async markMediaNoContent(sessionId: string, mediaId: string, meta: { apiUrl: string; fetchedAt: string }): Promise<void> {
    const { path, data } = this.packNoContent(sessionId, mediaId, meta);
    await writeFileAtomic(path, data, { fs: this.fs });
  }

  /** Like markMediaNoContent, but only staged: see commitStaged(). */
  async stageNoContent(sessionId: string, mediaId: string, meta: { apiUrl: string; fetchedAt: string }): Promise<StagedFile> {
    const { path, data } = this.packNoContent(sessionId, mediaId, meta);
    return stageFile(this.fs, path, data);
  }

  /**
   * Moves staged files into place, in order. Renames need no disk space, so after staging succeeded
   * only a crash can stop this half way (each file is then either the old or the new one).
   */
  async commitStaged(files: readonly StagedFile[]): Promise<void> {
    await moveIntoPlace(this.fs, files);
  }

  /** Removes staged files that will not be committed (best effort). */
  async discardStaged(files: readonly StagedFile[]): Promise<void> {
    for (const f of files) await this.fs.unlink(f.temp).catch(() => undefined);
  }

  async loadMedia(sessionId: string, mediaId: string): Promise<LoadedMedia | null> {
    const sid = assertYotiId(sessionId, 'session ID');
    const mid = assertYotiId(mediaId, 'media ID');
    const target = { sessionId: sid, mediaId: mid };
    const file = await this.readIfExists(this.mediaPath(sid, mid), target);
    if (file === null) return null;
    const { meta, payload } = this.unpack(file, mediaAad(sid, mid), StoredMediaMeta, target);
    if (meta.sessionId !== sid || meta.mediaId !== mid) throw cacheDamaged(target, 'it belongs to another item');
    const out = toMediaMeta(meta);
    if (out.noContent) return { noContent: true, meta: out };
    return { bytes: payload, meta: out };
  }

  /**
   * The stored media of a session, by media id. Checks each item's header, metadata and length (not
   * the payload: loadMedia does). A damaged or unreadable item is listed as a DamagedEntry. An item
   * in `known` (what the caller loaded itself just now) is listed as known when its file is there.
   */
  async listMedia(sessionId: string, known?: ReadonlyMap<string, MediaMeta>): Promise<MediaListEntry[]> {
    const sid = assertYotiId(sessionId, 'session ID');
    const out: MediaListEntry[] = [];
    const names = await this.readdirIfExists(join(this.root, sid), { sessionId: sid });
    // Only the header and sealed metadata of each file are read; a few at once, as each is several small reads.
    await forEachBounded(names, LIST_READS, async (name) => {
      const mid = MEDIA_FILE.exec(name)?.[1];
      if (mid === undefined || !isYotiId(mid)) return;
      const loaded = known?.get(mid);
      if (loaded !== undefined) {
        out.push(loaded);
        return;
      }
      const target = { sessionId: sid, mediaId: mid };
      try {
        const meta = await this.readMeta(join(this.root, sid, name), mediaAad(sid, mid), StoredMediaMeta, target);
        if (meta === null) return; // deleted meanwhile
        if (meta.sessionId !== sid || meta.mediaId !== mid) throw cacheDamaged(target, 'it belongs to another item');
        out.push(toMediaMeta(meta));
      } catch (err) {
        out.push(damagedEntry(target, err));
      }
    });
    return out.sort((a, b) => (a.mediaId ?? '').localeCompare(b.mediaId ?? ''));
  }

  /**
   * Every cached session, most recently fetched first (damaged ones last). Folders with media but no
   * session file are skipped. A damaged or unreadable session file is listed as a DamagedEntry.
   */
  async listSessions(): Promise<SessionListEntry[]> {
    const out: SessionListEntry[] = [];
    const sids = await this.listSessionIds();
    // As in listMedia: a few at once (opening a session lists them all, to check the seen-before index).
    await forEachBounded(sids, LIST_READS, async (sid) => {
      const target = { sessionId: sid };
      try {
        const meta = await this.readMeta(this.sessionPath(sid), sessionAad(sid), StoredSessionMeta, target);
        if (meta === null) return;
        if (meta.sessionId !== sid) throw cacheDamaged(target, 'it belongs to another session');
        out.push(toSessionMeta(meta));
      } catch (err) {
        out.push(damagedEntry(target, err));
      }
    });
    const key = (e: SessionListEntry): string => (isDamaged(e) ? '' : e.fetchedAt);
    return out.sort((a, b) => (key(a) === key(b) ? a.sessionId.localeCompare(b.sessionId) : key(a) < key(b) ? 1 : -1));
  }

  /** Ids of every session folder (with or without a session file), sorted. */
  async listSessionIds(): Promise<string[]> {
    return (await this.readdirIfExists(this.root, null)).filter((name) => isYotiId(name));
  }

  /**
   * Removes the session's evidence folder (session, media, retention); true if anything was there. The folder is first renamed out of sight, so readers see all of it or none of it.
   */
  async deleteSession(sessionId: string): Promise<boolean> {
    const sid = assertYotiId(sessionId, 'session ID');
    try {
      return await removeFolder(this.fs, this.root, sid);
    } catch (err) {
      throw deleteFailed(sid, err);
    }
  }

  /** Finishes removals that a crash interrupted (folders renamed to `.trash-…`). */
  sweepTrash(): Promise<number> {
    return sweepTrash(this.root);
  }

  async deleteMedia(sessionId: string, mediaId: string): Promise<boolean> {
    const sid = assertYotiId(sessionId, 'session ID');
    const mid = assertYotiId(mediaId, 'media ID');
    try {
      for (const kind of DERIVED_KINDS) await removeFile(this.fs, this.derivedPath(kind, sid, mid));
      return await removeFile(this.fs, this.mediaPath(sid, mid));
    } catch (err) {
      throw new LocalError(
        'CACHE_DELETE_FAILED',
        `Could not delete the local copy of media ${mid} of session ${sid} (${errnoCode(err) ?? 'error'}).`,
        { cause: err },
      );
    }
  }

  // ---- internals ----

  private sessionPath(sid: string): string {
    return join(this.root, sid, SESSION_FILE);
  }

  private mediaPath(sid: string, mid: string): string {
    return join(this.root, sid, `media-${mid}.idvc`);
  }

  private derivedPath(kind: DerivedKind, sid: string, mid: string): string {
    return join(this.root, sid, DERIVED_FILE[kind](mid));
  }

  /** A version-2 container (see the file comment): the payload sealed to the exact metadata JSON. */
  private pack(meta: { v: ContainerVersion }, payload: Uint8Array, aad: string): Buffer {
    const metaJson = Buffer.from(JSON.stringify(meta), 'utf8');
    const sealedMeta = seal(this.key, metaJson, `${aad}|meta`);
    // One allocation for the whole container: the payload (up to a 50 MiB image) is never copied twice.
    const file = Buffer.allocUnsafe(HEADER_BYTES + sealedMeta.length + payload.length + SEAL_OVERHEAD);
    MAGIC.copy(file, 0);
    file.writeUInt8(CONTAINER_VERSION, MAGIC.length);
    file.writeUInt32BE(sealedMeta.length, MAGIC.length + 1);
    sealedMeta.copy(file, HEADER_BYTES);
    sealInto(this.key, payload, payloadAad(CONTAINER_VERSION, aad, metaJson), file, HEADER_BYTES + sealedMeta.length);
    return file;
  }

  private unpack<S extends z.ZodType<{ v: ContainerVersion; size: number; sha256: string | null }>>(
    file: Buffer,
    aad: string,
    schema: S,
    target: Target,
  ): { meta: z.infer<S>; payload: Buffer } {
    const { version, metaLength } = parseHeader(file.subarray(0, HEADER_BYTES), target);
    if (file.length < HEADER_BYTES + metaLength + SEAL_OVERHEAD) throw cacheDamaged(target, 'it is truncated');
    const { meta, json } = this.openMeta(file.subarray(HEADER_BYTES, HEADER_BYTES + metaLength), aad, schema, version, target);
    const sealedPayload = file.subarray(HEADER_BYTES + metaLength);
    if (sealedPayload.length !== meta.size + SEAL_OVERHEAD) throw cacheDamaged(target, 'its length does not match its metadata');
    let payload: Buffer;
    try {
      payload = open(this.key, sealedPayload, payloadAad(version, aad, json));
    } catch (err) {
      throw cacheDamaged(target, version === 1 ? 'its content does not decrypt' : 'its content does not decrypt, or does not belong to its metadata', err);
    }
    if (payload.length !== meta.size) throw cacheDamaged(target, 'its length does not match its metadata');
    // Version 2: the tag just verified covers the metadata's SHA-256, which the writer computed from
    // this very payload. Version 1 has no such binding: hash it again.
    if (version === 1 && (meta.sha256 ?? sha256(Buffer.alloc(0))) !== sha256(payload)) {
      throw cacheDamaged(target, 'its content does not match its recorded sha256');
    }
    return { meta, payload };
  }

  /** Decrypts and checks the metadata; also returns its JSON bytes (a version-2 payload is bound to them). */
  private openMeta<S extends z.ZodType<{ v: ContainerVersion }>>(
    sealedMeta: Buffer,
    aad: string,
    schema: S,
    version: ContainerVersion,
    target: Target,
  ): { meta: z.infer<S>; json: Buffer } {
    let json: Buffer;
    let value: unknown;
    try {
      json = open(this.key, sealedMeta, `${aad}|meta`);
      value = JSON.parse(json.toString('utf8'));
    } catch (err) {
      throw cacheDamaged(target, 'its metadata does not decrypt', err);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw cacheDamaged(target, 'its metadata has an unexpected shape', parsed.error);
    // The header's version byte is not authenticated on its own: the sealed metadata must agree.
    if (parsed.data.v !== version) throw cacheDamaged(target, 'its header and metadata disagree on the format version');
    return { meta: parsed.data, json };
  }

  /** Reads and checks only the header and metadata (plus the file length), not the payload. */
  private async readMeta<S extends z.ZodType<{ v: ContainerVersion; size: number }>>(
    path: string,
    aad: string,
    schema: S,
    target: Target,
  ): Promise<z.infer<S> | null> {
    let handle;
    try {
      handle = await openFile(path, 'r');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return null;
      throw unreadable(target, err);
    }
    try {
      const { size } = await handle.stat();
      const header = Buffer.alloc(HEADER_BYTES);
      const { bytesRead } = await handle.read(header, 0, HEADER_BYTES, 0);
      if (bytesRead !== HEADER_BYTES) throw cacheDamaged(target, 'it is truncated');
      const { version, metaLength } = parseHeader(header, target);
      if (size < HEADER_BYTES + metaLength + SEAL_OVERHEAD) throw cacheDamaged(target, 'it is truncated');
      const sealedMeta = Buffer.alloc(metaLength);
      const read = await handle.read(sealedMeta, 0, metaLength, HEADER_BYTES);
      if (read.bytesRead !== metaLength) throw cacheDamaged(target, 'it is truncated');
      const { meta } = this.openMeta(sealedMeta, aad, schema, version, target);
      if (size !== HEADER_BYTES + metaLength + SEAL_OVERHEAD + meta.size) throw cacheDamaged(target, 'its length does not match its metadata');
      return meta;
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw unreadable(target, err);
    } finally {
      await handle.close().catch(() => undefined);
    }
  }

  private async readIfExists(path: string, target: Target): Promise<Buffer | null> {
    try {
      return await readFile(path);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return null;
      throw unreadable(target, err);
    }
  }

  private readdirIfExists(dir: string, target: Target | null): Promise<string[]>;
  private readdirIfExists(dir: string, target: Target | null, nullIfMissing: true): Promise<string[] | null>;
  private async readdirIfExists(dir: string, target: Target | null, nullIfMissing = false): Promise<string[] | null> {
    try {
      return (await readdir(dir)).sort();
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return nullIfMissing ? null : [];
      if (target) throw unreadable(target, err);
      throw new LocalError('CACHE_UNREADABLE', `Cannot read the local store folder ${dir} (${errnoCode(err) ?? 'error'}).`, { cause: err });
    }
  }
}

function parseHeader(header: Buffer, target: Target): { version: ContainerVersion; metaLength: number } {
  if (header.length < HEADER_BYTES || !header.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw cacheDamaged(target, 'it is not a store file');
  }
  const version = header.readUInt8(MAGIC.length);
  if (version !== 1 && version !== 2) throw cacheDamaged(target, 'it has an unknown format version');
  const metaLength = header.readUInt32BE(MAGIC.length + 1);
  if (metaLength < SEAL_OVERHEAD || metaLength > MAX_META_SEALED) throw cacheDamaged(target, 'its header is invalid');
  return { version, metaLength };
}

/**
 * The payload's additional data: version 1, the item's AAD alone; version 2, also the SHA-256 of the
 * exact metadata JSON sealed beside it (which records the payload's size and SHA-256).
 */
function payloadAad(version: ContainerVersion, aad: string, metaJson: Uint8Array): string {
  return version === 1 ? aad : `${aad}|v2|${sha256(metaJson)}`;
}

function damagedEntry(target: Target, err: unknown): DamagedEntry {
  if (err instanceof AppError) {
    return { damaged: true, sessionId: target.sessionId, ...(target.mediaId === undefined ? {} : { mediaId: target.mediaId }), code: err.code, message: err.message };
  }
  const e = unreadable(target, err);
  return { damaged: true, sessionId: target.sessionId, ...(target.mediaId === undefined ? {} : { mediaId: target.mediaId }), code: e.code, message: e.message };
}

function deleteFailed(sid: string, err: unknown): LocalError {
  return new LocalError('CACHE_DELETE_FAILED', `Could not delete the local copy of session ${sid} (${errnoCode(err) ?? 'error'}).`, { cause: err });
}


function toSessionMeta(m: z.infer<typeof StoredSessionMeta>): SessionMeta {
  return { sessionId: m.sessionId, sdkId: m.sdkId, apiUrl: m.apiUrl, fetchedAt: m.fetchedAt, size: m.size, sha256: m.sha256 };
}

function toMediaMeta(m: z.infer<typeof StoredMediaMeta>): MediaMeta {
  const common = { sessionId: m.sessionId, mediaId: m.mediaId, apiUrl: m.apiUrl, fetchedAt: m.fetchedAt };
  if (m.noContent) return { ...common, noContent: true, mimeType: null, size: 0, sha256: null };
  return { ...common, noContent: false, mimeType: m.mimeType, size: m.size, sha256: m.sha256, ...(m.pixels ? { pixels: m.pixels } : {}) };
}

function describe(target: Target): string {
  return target.mediaId === undefined
    ? `session ${target.sessionId}`
    : `media ${target.mediaId} of session ${target.sessionId}`;
}

function cacheDamaged(target: Target, why: string, cause?: unknown): LocalError {
  return new LocalError(
    'CACHE_DAMAGED',
    `The local copy of ${describe(target)} is damaged and was not used: ${why}. It was changed on disk, or written with ` +
      'another data key. Delete it and fetch it again.',
    cause === undefined ? undefined : { cause },
  );
}

function unreadable(target: Target, err: unknown): LocalError {
  return new LocalError('CACHE_UNREADABLE', `Cannot read the local copy of ${describe(target)} (${errnoCode(err) ?? 'error'}).`, {
    cause: err,
  });
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function checkApiUrl(value: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048 || !URL.canParse(value)) {
    throw new UsageError('INVALID_CACHE_META', 'Refused to cache an item: apiUrl must be an absolute URL (at most 2048 characters).');
  }
  return value;
}

function checkTimestamp(value: string): string {
  if (typeof value !== 'string' || value.length > 64 || Number.isNaN(Date.parse(value))) {
    throw new UsageError('INVALID_CACHE_META', 'Refused to cache an item: fetchedAt must be an ISO 8601 timestamp.');
  }
  return value;
}

function checkMimeType(value: string): string {
  if (typeof value !== 'string' || !/^[\x21-\x7E][\x20-\x7E]{0,254}$/.test(value)) {
    throw new UsageError('INVALID_CACHE_META', 'Refused to cache a media item: its MIME type must be 1–255 printable ASCII characters.');
  }
  return value;
}

import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { LocalError } from '../../../common/errors';

/** The part of a file handle the atomic writer uses (node:fs/promises FileHandle satisfies it). */
export interface AtomicFileHandle {
  writeFile(data: Uint8Array | string): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The part of node:fs/promises the atomic writer uses; tests inject failures (ENOSPC) through it. */
export interface AtomicFs {
  open(path: string, flags: string, mode?: number): Promise<AtomicFileHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<unknown>;
}

const defaultFs: AtomicFs = nodeFs;

export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;
/** Temp files are `.<name>.<random>.tmp` next to the target; readers skip names starting with '.'. */
export const TEMP_SUFFIX = '.tmp';

export interface WriteFileAtomicOptions {
  fs?: AtomicFs;
}

/** A file written and fsynced under a temporary name beside its target, not yet in place. */
export interface StagedFile {
  target: string;
  temp: string;
}

/**
 * Replaces `path` with `data` so that a reader sees the old file or the new one, never a mix:
 * staged (temp file in the same directory, mode 0600, exclusive create, written, fsynced), renamed
 * over the target, the directory fsynced. On any error the temp file is removed and the previous file
 * is intact. The parent directory is created with mode 0700 if missing.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const fs = options.fs ?? defaultFs;
  const staged = await stageFile(fs, path, data);
  try {
    await fs.rename(staged.temp, staged.target);
  } catch (err) {
    await fs.unlink(staged.temp).catch(() => undefined);
    throw mapWriteError(err, path);
  }
  await syncDir(fs, dirname(path));
}

/** Writes and fsyncs `data` under a temporary name next to `path` (see moveIntoPlace). */
export async function stageFile(fs: AtomicFs, path: string, data: Uint8Array | string): Promise<StagedFile> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  let created = false;
  try {
    await fs.mkdir(dir, { recursive: true, mode: DIR_MODE });
    const handle = await fs.open(temp, 'wx', FILE_MODE);
    created = true;
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return { target: path, temp };
  } catch (err) {
    if (created) await fs.unlink(temp).catch(() => undefined);
    throw mapWriteError(err, path);
  }
}

/**
 * Moves staged files into place, in order, then fsyncs each directory so the renames survive a power
 * cut. Renames need no disk space, so after staging succeeded only a crash can stop this half way
 * (each file is then either the old or the new one).
 */
export async function moveIntoPlace(fs: AtomicFs, files: readonly StagedFile[]): Promise<void> {
  const dirs = new Set<string>();
  for (const f of files) {
    try {
      await fs.rename(f.temp, f.target);
    } catch (err) {
      throw new LocalError('WRITE_FAILED', `Moving ${basename(f.target)} into place failed (${errnoCode(err) ?? 'error'}).`, { cause: err });
    }
    dirs.add(dirname(f.target));
  }
  for (const dir of dirs) await syncDir(fs, dir);
}

/** Removes a file of user data and fsyncs its directory; false when it was not there. */
export async function removeFile(fs: AtomicFs, path: string): Promise<boolean> {
  try {
    await fs.unlink(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return false;
    throw err;
  }
  await syncDir(fs, dirname(path));
  return true;
}

/** Creates a private directory (0700), parents included. */
export async function ensurePrivateDir(path: string, fs: AtomicFs = defaultFs): Promise<void> {
  try {
    await fs.mkdir(path, { recursive: true, mode: DIR_MODE });
  } catch (err) {
    throw mapWriteError(err, path);
  }
}

/**
 * fsync a directory so a rename, a new file or an unlink in it is durable. Best effort: Windows cannot
 * open a directory for syncing (EISDIR/EPERM) and its rename is already journaled, and once the rename
 * has happened reporting "nothing was changed" would be false, so a failure here is not an error.
 */
export async function syncDir(fs: AtomicFs, dir: string): Promise<void> {
  let handle: AtomicFileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // see above
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

export function errnoCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = err.code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

function mapWriteError(err: unknown, path: string): LocalError {
  if (err instanceof LocalError) return err;
  const code = errnoCode(err);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new LocalError('DISK_FULL', `The disk is full; nothing was changed (while writing ${path}). Free some space and retry.`, {
      cause: err,
    });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new LocalError(
      'WRITE_FAILED',
      `Cannot write ${path} (${code}): check that the data folder is writable by this user; nothing was changed.`,
      { cause: err },
    );
  }
  return new LocalError('WRITE_FAILED', `Writing ${path} failed${code ? ` (${code})` : ''}; nothing was changed.`, { cause: err });
}

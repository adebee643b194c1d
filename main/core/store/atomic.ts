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

/**
 * Replaces `path` with `data` so that a reader sees the old file or the new one, never a mix:
 * temp file in the same directory (mode 0600, exclusive create), write, fsync, rename over the
 * target, fsync the directory. On any error the temp file is removed and the previous file is intact.
 * The parent directory is created with mode 0700 if missing.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const fs = options.fs ?? defaultFs;
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`);
  let tmpCreated = false;
  try {
    await fs.mkdir(dir, { recursive: true, mode: DIR_MODE });
    const handle = await fs.open(tmp, 'wx', FILE_MODE);
    tmpCreated = true;
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, path);
    tmpCreated = false;
  } catch (err) {
    if (tmpCreated) await fs.unlink(tmp).catch(() => undefined);
    throw mapWriteError(err, path);
  }
  await syncDir(dir, fs);
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
 * fsync the directory so the rename itself is durable. Best effort: Windows cannot open a directory
 * for syncing (EISDIR/EPERM) and its rename is already journaled, and once the rename has happened
 * reporting "nothing was changed" would be false, so a failure here is not an error.
 */
async function syncDir(dir: string, fs: AtomicFs): Promise<void> {
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

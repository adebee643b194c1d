import { open } from 'node:fs/promises';
import { LocalError, UsageError } from '../../common/errors';
import { type AtomicFs, errnoCode, writeFileAtomic } from '../core/store/atomic';

/**
 * File I/O behind the dialogs port, shared by the Electron dialogs (main/shell/dialogs.ts) and the
 * test bridge's scripted ones: the person chose the path in a native dialog, main reads or writes it.
 * Messages never include the path (it may contain the person's name).
 */
export const MAX_PEM_FILE_BYTES = 64 * 1024;
export const MAX_CSV_FILE_BYTES = 1_000_000;

/** Reads a regular file of at most `maxBytes` (checked on the open handle, so a swap after the check cannot enlarge it). */
export async function readCappedFile(path: string, maxBytes: number, what: 'key' | 'csv'): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw new UsageError(what === 'key' ? 'PEM_FILE_UNREADABLE' : 'CSV_FILE_UNREADABLE', `The chosen file cannot be read (${errnoCode(err) ?? 'error'}).`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw tooBig(what, maxBytes);
    if (info.size > maxBytes) throw tooBig(what, maxBytes);
    const buf = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, length, buf.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) {
        buf.fill(0);
        throw tooBig(what, maxBytes);
      }
    }
    const out = Buffer.from(buf.subarray(0, length));
    buf.fill(0);
    return out;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function tooBig(what: 'key' | 'csv', maxBytes: number): UsageError {
  return what === 'key'
    ? new UsageError('KEY_NOT_PEM', `The chosen file is not a PEM key file (expected a small text file, at most ${maxBytes / 1024} KiB).`)
    : new UsageError('CSV_TOO_LARGE', `The chosen file is not a session list (expected a CSV file of at most ${Math.round(maxBytes / 1_000_000)} MB).`);
}

/** Decodes CSV bytes as UTF-8 (a BOM is dropped); refuses binary files. */
export function csvText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new UsageError('CSV_NOT_TEXT', 'The chosen file is not UTF-8 text: export the session list as CSV (UTF-8) and try again.');
  }
}

/**
 * Writes personal data where the person chose: mode 0600, atomically (a temporary file beside it,
 * fsynced, then renamed over), so a full disk or a crash leaves the file they agreed to replace intact.
 */
export async function writePrivateFile(path: string, bytes: Uint8Array, fs?: AtomicFs): Promise<void> {
  try {
    await writeFileAtomic(path, bytes, fs ? { fs } : {});
  } catch (err) {
    const code = errnoCode(err instanceof Error && err.cause !== undefined ? err.cause : err);
    const why = code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full' : `${code ?? 'error'}`;
    throw new LocalError(
      'SAVE_FAILED',
      `The file could not be saved (${why}); any file it was to replace is unchanged. Check the folder and the free space, and try again.`,
      { cause: err },
    );
  }
}

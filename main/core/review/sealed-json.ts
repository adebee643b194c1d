import { readFile } from 'node:fs/promises';
import type * as z from 'zod';
import { open, seal } from '../crypto/aead';
import { LocalError } from '../../../common/errors';
import { errnoCode } from '../store/atomic';

/**
 * Small encrypted JSON files (review versions, evidence-viewed activity, retention, the seen-before
 * index). Format: `IDVR` (4 bytes), format version 1 (1 byte), then seal(key, UTF-8 JSON, AAD) as in
 * crypto/aead.ts. The AAD names the file's kind and ids, so a file copied or renamed onto another
 * one does not open. Anything changed, truncated or swapped fails with `code` and never parses.
 */
const MAGIC = Buffer.from('IDVR', 'ascii');
const VERSION = 1;

export function sealJson(key: Uint8Array, value: unknown, aad: string): Buffer {
  return Buffer.concat([MAGIC, Buffer.of(VERSION), seal(key, Buffer.from(JSON.stringify(value), 'utf8'), aad)]);
}

/** Opens and validates; `what` names the file in words for the error ("review version 3 of session …"). */
export function openJson<S extends z.ZodType>(key: Uint8Array, file: Buffer, aad: string, schema: S, code: string, what: string): z.infer<S> {
  if (file.length < MAGIC.length + 1 || !file.subarray(0, MAGIC.length).equals(MAGIC) || file[MAGIC.length] !== VERSION) {
    throw damaged(code, what, 'it is not a store file of a known version');
  }
  let json: unknown;
  try {
    json = JSON.parse(open(key, file.subarray(MAGIC.length + 1), aad).toString('utf8'));
  } catch (err) {
    throw damaged(code, what, 'it does not decrypt (changed, truncated, moved from another item, or written with another data key)', err);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw damaged(code, what, 'its content has an unexpected shape', parsed.error);
  return parsed.data;
}

/** Reads a file; null when it does not exist. */
export async function readIfExists(path: string, code: string, what: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    throw new LocalError(code.replace(/_DAMAGED$/, '_UNREADABLE'), `Cannot read ${what} (${errnoCode(err) ?? 'error'}).`, { cause: err });
  }
}

function damaged(code: string, what: string, why: string, cause?: unknown): LocalError {
  return new LocalError(code, `${capitalise(what)} is damaged and was not used: ${why}.`, cause === undefined ? undefined : { cause });
}

function capitalise(s: string): string {
  return s.length === 0 ? s : `${s[0]?.toUpperCase() ?? ''}${s.slice(1)}`;
}

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { writeFileAtomic, type AtomicFs } from '../store/atomic';
import type { AuditEntry, VerifiedPrefix } from './audit-log';
import { canonicalJson } from './canonical';

/**
 * The audit log's verified prefix, kept between processes (audit/verified.json): how many bytes of the
 * log, with which SHA-256, a check of this store has verified entry by entry, under a MAC of the audit
 * key. A new process (every command of the command line, each start of the app) then checks only the
 * lines that follow, where it checked every line's MAC again, a cost that grew with every day of use.
 * A log whose first bytes changed in any way, a record without a valid MAC (edited, or written with
 * another key) or beyond the log's end is ignored: the whole chain is checked, as before.
 * `idv-review audit verify` never uses it.
 */
const SealedPrefixSchema = z
  .object({
    v: z.literal(1),
    bytes: z.number().int().nonnegative(),
    count: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    mac: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict();
type SealedPrefix = z.infer<typeof SealedPrefixSchema>;

const MAC_PREFIX = 'idv-review|audit-verified-prefix|v1|';
/** A new record only after this many more entries verified: each write costs an fsync. */
export const SEAL_EVERY = 100;

function macOf(key: Uint8Array, body: Omit<SealedPrefix, 'mac'>): string {
  return createHmac('sha256', key).update(MAC_PREFIX + canonicalJson(body)).digest('hex');
}

/** The prefix recorded at `path`, if it still describes the first bytes of `log`; undefined otherwise. */
export async function readSealedPrefix(key: Uint8Array, path: string, log: Buffer | null): Promise<VerifiedPrefix | undefined> {
  if (log === null) return undefined;
  let sealed: SealedPrefix;
  try {
    sealed = SealedPrefixSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch {
    return undefined; // missing, unreadable or not a record: the whole chain is checked
  }
  const { mac, ...body } = sealed;
  const expected = Buffer.from(macOf(key, body), 'hex');
  if (!timingSafeEqual(Buffer.from(mac, 'hex'), expected) || sealed.bytes > log.length) return undefined;
  const prefix = log.subarray(0, sealed.bytes);
  if (createHash('sha256').update(prefix).digest('hex') !== sealed.sha256) return undefined;
  // The very bytes whose MACs were checked: each line is read, not checked again.
  const entries: AuditEntry[] = [];
  const ends: number[] = [];
  for (let offset = 0; offset < prefix.length; ) {
    const nl = prefix.indexOf(0x0a, offset);
    if (nl === -1) return undefined;
    try {
      entries.push(JSON.parse(prefix.subarray(offset, nl).toString('utf8')) as AuditEntry);
    } catch {
      return undefined;
    }
    ends.push(nl + 1);
    offset = nl + 1;
  }
  return entries.length === sealed.count ? { bytes: sealed.bytes, sha256: sealed.sha256, entries, ends } : undefined;
}

/** Records `prefix` at `path` (atomically); a failure only means the next process checks more. */
export async function sealPrefix(key: Uint8Array, path: string, prefix: VerifiedPrefix, fs: AtomicFs): Promise<boolean> {
  const body = { v: 1 as const, bytes: prefix.bytes, count: prefix.entries.length, sha256: prefix.sha256 };
  try {
    await writeFileAtomic(path, `${JSON.stringify({ ...body, mac: macOf(key, body) })}\n`, { fs });
    return true;
  } catch {
    return false;
  }
}

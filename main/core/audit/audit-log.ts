import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { readFile, stat, truncate } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as z from 'zod';
import { KEY_BYTES } from '../crypto/aead';
import { AppError, LocalError } from '../../../common/errors';
import { errnoCode, FILE_MODE, syncDir, writeFileAtomic, type AtomicFs } from '../store/atomic';
import { canonicalJson, isJson, type JsonObject } from './canonical';
import { readSealedPrefix, SEAL_EVERY, sealPrefix } from './sealed-prefix';

/**
 * The tamper-evident audit log: `<dataDir>/audit/log.jsonl`, append-only, one canonical JSON entry per
 * line, each chained to the previous one by an HMAC keyed from the keychain data key
 * (HKDF(DEK,'audit')), plus an anchor `<dataDir>/audit/head.json` that holds the entry count, the
 * byte length and the last MAC, itself MAC'd. Without the key nobody can recompute the chain, so an
 * edited, removed, inserted or reordered entry breaks it; a truncated log no longer reaches the
 * anchor; an edited or deleted anchor fails its own MAC (the anchor exists from before the first
 * entry, so "no anchor" never passes as "new log").
 *
 * Entry (keys sorted, no whitespace; `mac` over everything else):
 *
 *   {"at":ISO,"data":{…},"intent":bool,"mac":hex,"prev":hex,"seq":n,"sessionId":id|null,"type":…,"v":1,
 *    "who":{"name":reviewer name|null,"osAccount":OS account}}
 *
 *   mac  = HMAC-SHA256(auditKey, "idv-review|audit|v1|" + canonical(entry without mac))
 *   prev = mac of entry seq-1 (64 zeros for seq 1)
 *   head = {"at","bytes","count","head","v":1,"mac"}, mac = HMAC-SHA256(auditKey, "idv-review|audit-head|v1|" + canonical(head without mac))
 *
 * Entries hold ids, codes, counts and hashes, never document PII or note text.
 *
 * Writes happen under the store lock (lock/store-lock.ts): openLocked() at the start of every locked
 * section reads the anchor and any entries after it. Those entries were appended by a process that
 * stopped before anchoring them: they are kept (their MACs prove we wrote them), a torn last line is
 * cut off, and entries with `intent: true` (an announced change whose files may be half written) are
 * handed to the caller to reconcile before anything else happens. See store/offline-store.ts.
 */

export const AUDIT_EVENT_TYPES = [
  'session.fetched',
  'session.opened',
  'media.viewed',
  'review.note-saved',
  'review.decision-saved',
  'report.exported',
  /** The session's evidence deleted (data.recordKept: its review record stays; absent in logs from before records were kept apart). */
  'session.deleted',
  'media.deleted',
  'session.purged',
  /** A review record deleted on purpose, or past its record retention. */
  'record.deleted',
  'record.purged',
  /** The data folder moved to the layout that keeps records apart from evidence (store/layout.ts). */
  'store.migrated',
  'retention.set',
  'key.imported',
  'key.removed',
  // Recorded by the app itself (no effect on verification): ids, codes and counts only.
  'media.exported',
  'settings.changed',
  'sessions.added',
  'sessions.removed',
  /** Deleted at Yoti (a session, or one media item: data.mediaId); the local copy's deletion has its own entry. */
  'remote.deleted',
  'demo.started',
  'demo.stopped',
  'op.recovered',
  'op.aborted',
  'audit.repaired',
  /** A log that did not match its anchor in the OS keychain, accepted by a person (old and new head, the reason). */
  'audit.restore-accepted',
  /** This workstation joined a team database (its host, database and login role; never the password). */
  'team.joined',
  /** A confirmed version reached the team database (its version id; whether the database flagged a conflict). */
  'team.submitted',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export interface AuditWho {
  /** settings.reviewerName, when set. */
  name: string | null;
  /** os.userInfo().username. */
  osAccount: string;
}

export interface AuditEntry {
  v: 1;
  seq: number;
  at: string;
  type: AuditEventType;
  sessionId: string | null;
  who: AuditWho;
  /** Announces a change of files that follows; reconciled if the process stops before anchoring it. */
  intent: boolean;
  data: JsonObject;
  prev: string;
  mac: string;
}

export interface AuditHead {
  count: number;
  bytes: number;
  /** MAC of the last anchored entry (64 zeros when empty). */
  head: string;
  at: string;
}

export interface ChainCheck {
  ok: boolean;
  /** Entries in the log that verified (up to the first problem). */
  entries: AuditEntry[];
  /** The anchor as read (null when missing or not verifying). */
  anchor: AuditHead | null;
  /** In words; the first one names the first entry or file that does not match. */
  problems: string[];
  /** Not failures: entries after the anchor (an interrupted write), a torn last line. */
  warnings: string[];
  /** Entries after the anchor that announce a change not yet reconciled. */
  unreconciled: AuditEntry[];
  /** The whole lines that verified, for the next check to start after (see VerifiedPrefix). */
  verified: VerifiedPrefix;
}

/**
 * Lines of the log whose MACs were already checked, in order: a later check of a log that starts with
 * the same bytes (compared by SHA-256) checks only what follows. Checking every entry's MAC on every
 * read made opening a session slower with every day of the log.
 */
export interface VerifiedPrefix {
  /** Length and SHA-256 of the verified bytes. */
  bytes: number;
  sha256: string;
  entries: readonly AuditEntry[];
  /** Where each entry's line ends (its byte offset + 1). */
  ends: readonly number[];
}

export const ZERO_MAC = '0'.repeat(64);
const ENTRY_PREFIX = 'idv-review|audit|v1|';
const HEAD_PREFIX = 'idv-review|audit-head|v1|';
const HEX64 = /^[0-9a-f]{64}$/;
/** A line longer than this is refused (a manifest of 10 000 media items fits). */
const MAX_LINE_BYTES = 4 * 1024 * 1024;

const EntrySchema = z
  .object({
    v: z.literal(1),
    seq: z.number().int().positive(),
    at: z.string().max(64),
    type: z.enum(AUDIT_EVENT_TYPES),
    sessionId: z.string().max(64).nullable(),
    who: z.object({ name: z.string().max(200).nullable(), osAccount: z.string().max(256) }).strict(),
    intent: z.boolean(),
    data: z.record(z.string(), z.unknown()),
    prev: z.string().regex(HEX64),
    mac: z.string().regex(HEX64),
  })
  .strict();

const HeadSchema = z
  .object({
    v: z.literal(1),
    count: z.number().int().nonnegative(),
    bytes: z.number().int().nonnegative(),
    head: z.string().regex(HEX64),
    at: z.string().max(64),
    mac: z.string().regex(HEX64),
  })
  .strict();

export interface AuditLogOptions {
  dataDir: string;
  /** 32 bytes: KeyVault.subkey('audit'); copied. */
  key: Buffer;
  who: AuditWho;
  now?: () => Date;
  /** Writes go through this (tests inject ENOSPC). */
  fs?: AtomicFs;
  /**
   * Runs a function under the store lock after opening the log (OfflineStore.section); needed for
   * append(). Without it, only the `…Locked` methods write.
   */
  section?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Told the new head after each anchoring (the store keeps a copy in the OS keychain: keychain-anchor.ts). */
  onAnchored?: (head: { count: number; head: string }) => Promise<void>;
  /** Records what a check verified for later processes (sealed-prefix.ts); not in a read-only store. */
  sealVerifiedPrefix?: boolean;
}

interface Cursor {
  count: number;
  bytes: number;
  last: string;
}

export class AuditLog {
  readonly dir: string;
  readonly logPath: string;
  readonly headPath: string;
  private readonly key: Buffer;
  private readonly who: AuditWho;
  private readonly now: () => Date;
  private readonly fs: AtomicFs;
  private readonly section: (<T>(fn: () => Promise<T>) => Promise<T>) | undefined;
  private readonly onAnchored: ((head: { count: number; head: string }) => Promise<void>) | undefined;
  /** End of the log as this section knows it (set by openLocked). */
  private cursor: Cursor | null = null;
  private anchored: Cursor | null = null;
  /** What the last check verified (checkChain's VerifiedPrefix). */
  private verified: VerifiedPrefix | null = null;
  private readonly prefixPath: string;
  private readonly keepsPrefix: boolean;
  /** Entries in the verified prefix as last read or recorded in prefixPath. */
  private sealedCount = 0;

  constructor(opts: AuditLogOptions) {
    if (!Buffer.isBuffer(opts.key) || opts.key.length !== KEY_BYTES) throw new RangeError(`the audit key must be ${KEY_BYTES} bytes`);
    this.dir = join(opts.dataDir, 'audit');
    this.logPath = join(this.dir, 'log.jsonl');
    this.headPath = join(this.dir, 'head.json');
    this.prefixPath = join(this.dir, 'verified.json');
    this.keepsPrefix = opts.sealVerifiedPrefix === true;
    this.key = Buffer.from(opts.key);
    this.who = { name: opts.who.name, osAccount: opts.who.osAccount };
    this.now = opts.now ?? (() => new Date());
    this.fs = opts.fs ?? nodeFs;
    this.section = opts.section;
    this.onAnchored = opts.onAnchored;
  }

  /** Appends one entry under the store lock (the app's own events: report.exported, key.imported …). */
  append(type: AuditEventType, sessionId: string | null, data: JsonObject = {}): Promise<AuditEntry> {
    if (this.section === undefined) throw new Error('AuditLog.append needs the store lock: open it through OfflineStore');
    return this.section(() => this.appendLocked(type, sessionId, data));
  }

  /** The chain and its anchor only, every line (OfflineStore.verify also checks every file against it). */
  verify(): Promise<ChainCheck> {
    return this.check({ full: true });
  }

  get identity(): AuditWho {
    return { ...this.who };
  }

  // ---- read-only ----

  /** The anchor (count, last MAC, when), checked; null for a log never written. */
  async head(): Promise<AuditHead | null> {
    const raw = await readText(this.headPath);
    if (raw === null) return null;
    const head = this.parseHead(raw);
    if (typeof head === 'string') throw auditDamaged(head);
    return head;
  }

  /** Every entry (optionally of one session), after checking the whole chain; AUDIT_DAMAGED otherwise. */
  async entries(filter: { sessionId?: string } = {}): Promise<AuditEntry[]> {
    const check = await this.check();
    if (!check.ok) throw auditDamaged(check.problems[0] ?? 'it does not verify');
    return filter.sessionId === undefined ? check.entries : check.entries.filter((e) => e.sessionId === filter.sessionId);
  }

  /**
   * Checks the chain and the anchor; never throws for damage, only for I/O errors. The lines an
   * earlier check verified (in this process, or recorded by another: sealed-prefix.ts) are not
   * checked again, unless `full`.
   */
  async check(opts: { full?: boolean } = {}): Promise<ChainCheck> {
    // The anchor first: it is written after the log, so a log read later is never behind it.
    const headText = await readText(this.headPath);
    const logBytes = await readBytes(this.logPath);
    const from = opts.full === true ? undefined : await this.verifiedBefore(logBytes);
    const checked = checkChain(this.key, logBytes, headText, from);
    this.verified = checked.verified;
    const count = checked.verified.entries.length;
    if (this.keepsPrefix && checked.ok && count >= this.sealedCount + SEAL_EVERY && (await sealPrefix(this.key, this.prefixPath, checked.verified, this.fs))) {
      this.sealedCount = count;
    }
    return checked;
  }

  /** What an earlier check verified of the log's first bytes: in this process, else as recorded. */
  private async verifiedBefore(log: Buffer | null): Promise<VerifiedPrefix | undefined> {
    const memo = this.verified;
    if (memo !== null) return log !== null && log.length >= memo.bytes && sha256Of(log.subarray(0, memo.bytes)) === memo.sha256 ? memo : undefined;
    const sealed = await readSealedPrefix(this.key, this.prefixPath, log);
    if (sealed !== undefined) this.sealedCount = sealed.entries.length;
    return sealed;
  }

  // ---- under the store lock ----

  /**
   * Starts a locked section: reads the anchor and the entries after it, cuts a torn last line, and
   * returns the entries after the anchor (the caller reconciles those with `intent`, then anchors).
   */
  async openLocked(): Promise<{ tail: AuditEntry[]; repairedBytes: number }> {
    this.cursor = null;
    this.anchored = null;
    const headText = await readText(this.headPath);
    const size = await fileSize(this.logPath);
    if (headText === null) {
      if (size > 0) throw auditDamaged('its anchor (audit/head.json) is missing while the log has entries');
      const empty: Cursor = { count: 0, bytes: 0, last: ZERO_MAC };
      await this.writeHead(empty);
      this.cursor = { ...empty };
      this.anchored = { ...empty };
      return { tail: [], repairedBytes: 0 };
    }
    const head = this.parseHead(headText);
    if (typeof head === 'string') throw auditDamaged(head);
    if (size < head.bytes) {
      throw await this.firstProblem(headText, `the log is ${size} bytes long but its anchor records ${head.bytes} bytes and ${head.count} entries: it was truncated`);
    }
    const anchored: Cursor = { count: head.count, bytes: head.bytes, last: head.head };
    this.anchored = { ...anchored };
    if (size === head.bytes) {
      this.cursor = anchored;
      return { tail: [], repairedBytes: 0 };
    }
    const tailBytes = await readRange(this.logPath, head.bytes, size);
    const parsed = parseTail(this.key, tailBytes, anchored);
    if (parsed.problem !== null) throw await this.firstProblem(headText, parsed.problem);
    let repairedBytes = 0;
    if (parsed.tornBytes > 0) {
      try {
        await truncate(this.logPath, parsed.cursor.bytes);
      } catch (err) {
        throw new LocalError('AUDIT_WRITE_FAILED', `Cannot repair the end of the audit log (${errnoCode(err) ?? 'error'}).`, { cause: err });
      }
      repairedBytes = parsed.tornBytes;
    }
    this.cursor = parsed.cursor;
    return { tail: parsed.entries, repairedBytes };
  }

  /**
   * Appends one entry (fsynced). Unless it is an intent (or `anchor: false`, while reconciling
   * interrupted steps), the anchor is moved past it too.
   */
  async appendLocked(
    type: AuditEventType,
    sessionId: string | null,
    data: JsonObject,
    opts: { intent?: boolean; at?: string; anchor?: boolean } = {},
  ): Promise<AuditEntry> {
    const cursor = this.cursor;
    if (cursor === null) throw new Error('AuditLog.appendLocked outside a locked section');
    if (!isJson(data)) throw new TypeError('audit data must be plain JSON');
    const body = {
      v: 1 as const,
      seq: cursor.count + 1,
      at: opts.at ?? this.now().toISOString(),
      type,
      sessionId,
      who: { ...this.who },
      intent: opts.intent === true,
      data,
      prev: cursor.last,
    };
    const mac = entryMac(this.key, body);
    const entry: AuditEntry = { ...body, mac };
    const line = `${canonicalJson(entry as unknown as JsonObject)}\n`;
    const bytes = Buffer.byteLength(line, 'utf8');
    if (bytes > MAX_LINE_BYTES) throw new RangeError('audit entry too large');
    try {
      const handle = await this.fs.open(this.logPath, 'a', FILE_MODE);
      try {
        await handle.writeFile(line);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (err) {
      // A partial line must not stay: cut back to where this entry started.
      await truncate(this.logPath, cursor.bytes).catch(() => undefined);
      throw writeFailed(err);
    }
    // The first entry created the file: its name must survive a power cut too.
    if (cursor.bytes === 0) await syncDir(this.fs, dirname(this.logPath));
    this.cursor = { count: entry.seq, bytes: cursor.bytes + bytes, last: mac };
    if (!entry.intent && opts.anchor !== false) await this.anchorLocked();
    return entry;
  }

  /** Moves the anchor to the end of the log (after the changes an intent announced are done). */
  async anchorLocked(): Promise<void> {
    const cursor = this.cursor;
    if (cursor === null) throw new Error('AuditLog.anchorLocked outside a locked section');
    const a = this.anchored;
    if (!(a && a.count === cursor.count && a.bytes === cursor.bytes && a.last === cursor.last)) {
      await this.writeHead(cursor);
      this.anchored = { ...cursor };
    }
    await this.onAnchored?.({ count: cursor.count, head: cursor.last });
  }

  /** Entry count as this section knows it. */
  get countLocked(): number {
    return this.cursor?.count ?? 0;
  }

  /** The end of the log as this section opened it (count and MAC of the last entry). */
  get headLocked(): { count: number; head: string } {
    const cursor = this.cursor;
    if (cursor === null) throw new Error('AuditLog.headLocked outside a locked section');
    return { count: cursor.count, head: cursor.last };
  }

  // ---- internals ----

  private async writeHead(c: Cursor): Promise<void> {
    const body = { v: 1 as const, count: c.count, bytes: c.bytes, head: c.last, at: this.now().toISOString() };
    const head = { ...body, mac: headMac(this.key, body) };
    try {
      await writeFileAtomic(this.headPath, `${canonicalJson(head)}\n`, { fs: this.fs });
    } catch (err) {
      throw err instanceof AppError ? err : writeFailed(err);
    }
  }

  /** The earliest problem of the whole log (an edit before the anchor shows up as a bad tail). */
  private async firstProblem(headText: string, fallback: string): Promise<LocalError> {
    const full = checkChain(this.key, await readBytes(this.logPath), headText);
    return auditDamaged(full.problems[0] ?? fallback);
  }

  private parseHead(text: string): AuditHead | string {
    return parseHeadText(this.key, text);
  }
}

// ---- pure chain checking (exported for verify and tests) ----

export function entryMac(key: Uint8Array, body: Omit<AuditEntry, 'mac'>): string {
  return createHmac('sha256', key)
    .update(ENTRY_PREFIX + canonicalJson(body as unknown as JsonObject))
    .digest('hex');
}

function headMac(key: Uint8Array, body: Omit<z.infer<typeof HeadSchema>, 'mac'>): string {
  return createHmac('sha256', key).update(HEAD_PREFIX + canonicalJson(body)).digest('hex');
}

function macEquals(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

function parseHeadText(key: Uint8Array, text: string): AuditHead | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'its anchor (audit/head.json) is not valid JSON: it was edited';
  }
  const parsed = HeadSchema.safeParse(json);
  if (!parsed.success) return 'its anchor (audit/head.json) has an unexpected shape: it was edited';
  const { mac, ...body } = parsed.data;
  if (!macEquals(mac, headMac(key, body))) return 'its anchor (audit/head.json) does not verify: it was edited or written with another key';
  return { count: body.count, bytes: body.bytes, head: body.head, at: body.at };
}

type LineResult = { entry: AuditEntry } | { problem: string };

function checkLine(key: Uint8Array, line: string, expectedSeq: number, prev: string): LineResult {
  const where = `audit entry #${expectedSeq}`;
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { problem: `${where} is not valid JSON: it was edited or the log is damaged` };
  }
  const parsed = EntrySchema.safeParse(json);
  if (!parsed.success) return { problem: `${where} has an unexpected shape: it was edited` };
  const e = parsed.data;
  if (!isJson(e.data)) return { problem: `${where} has an unexpected shape: it was edited` };
  const entry: AuditEntry = { ...e, data: e.data };
  const { mac, ...body } = entry;
  const label = `${where} (${entry.type} at ${entry.at})`;
  if (!macEquals(mac, entryMac(key, body))) return { problem: `${label} does not verify: it was edited, or written with another key` };
  if (canonicalJson(entry as unknown as JsonObject) !== line) return { problem: `${label} is not in canonical form: it was edited` };
  if (entry.seq !== expectedSeq) {
    return { problem: `${where} has sequence number ${entry.seq}: entries were removed, inserted or reordered before it` };
  }
  if (!macEquals(entry.prev, prev)) {
    return { problem: `${label} does not follow entry #${expectedSeq - 1}: entries were removed, inserted or reordered` };
  }
  return { entry };
}

/** Parses the bytes after the anchor: complete lines must verify; a final line without "\n" is torn. */
function parseTail(key: Uint8Array, bytes: Buffer, from: Cursor): { entries: AuditEntry[]; cursor: Cursor; tornBytes: number; problem: string | null } {
  const entries: AuditEntry[] = [];
  const cursor: Cursor = { ...from };
  let offset = 0;
  while (offset < bytes.length) {
    const nl = bytes.indexOf(0x0a, offset);
    if (nl === -1) return { entries, cursor, tornBytes: bytes.length - offset, problem: null };
    const line = bytes.subarray(offset, nl).toString('utf8');
    const r = checkLine(key, line, cursor.count + 1, cursor.last);
    if ('problem' in r) return { entries, cursor, tornBytes: 0, problem: r.problem };
    entries.push(r.entry);
    cursor.count = r.entry.seq;
    cursor.last = r.entry.mac;
    cursor.bytes += nl + 1 - offset;
    offset = nl + 1;
  }
  return { entries, cursor, tornBytes: 0, problem: null };
}

/** Checks a whole log against its anchor (both as read from disk; null when missing). */
export function checkChain(key: Uint8Array, log: Buffer | null, headText: string | null, from?: VerifiedPrefix): ChainCheck {
  const problems: string[] = [];
  const warnings: string[] = [];
  let anchor: AuditHead | null = null;
  if (headText === null) {
    if (log !== null && log.length > 0) problems.push('the audit log has entries but its anchor (audit/head.json) is missing: it was deleted');
  } else {
    const h = parseHeadText(key, headText);
    if (typeof h === 'string') problems.push(`the audit log cannot be trusted: ${h}`);
    else anchor = h;
  }
  const bytes = log ?? Buffer.alloc(0);
  const entries: AuditEntry[] = [...(from?.entries ?? [])];
  const ends: number[] = [...(from?.ends ?? [])];
  const cursor: Cursor = { count: entries.length, bytes: from?.bytes ?? 0, last: entries.at(-1)?.mac ?? ZERO_MAC };
  let offset = cursor.bytes;
  let broken = false;
  let anchorMac: string | null = anchor && anchor.count === 0 ? ZERO_MAC : null;
  let anchorBytes = 0;
  if (anchor && anchor.count > 0 && anchor.count <= entries.length) {
    anchorMac = entries[anchor.count - 1]!.mac;
    anchorBytes = ends[anchor.count - 1]!;
  }
  while (offset < bytes.length) {
    const nl = bytes.indexOf(0x0a, offset);
    if (nl === -1) {
      // A torn last line: an interrupted append if it lies after the anchor; otherwise the log was cut.
      if (anchor && cursor.count >= anchor.count) warnings.push(`the audit log ends with an incomplete entry after entry #${cursor.count} (an interrupted write; it is removed on the next write)`);
      else problems.push(`audit entry #${cursor.count + 1} is incomplete: the log was truncated`);
      break;
    }
    const r = checkLine(key, bytes.subarray(offset, nl).toString('utf8'), cursor.count + 1, cursor.last);
    if ('problem' in r) {
      problems.push(r.problem);
      broken = true;
      break;
    }
    entries.push(r.entry);
    cursor.count = r.entry.seq;
    cursor.last = r.entry.mac;
    cursor.bytes += nl + 1 - offset;
    ends.push(cursor.bytes);
    if (anchor && cursor.count === anchor.count) {
      anchorMac = r.entry.mac;
      anchorBytes = cursor.bytes;
    }
    offset = nl + 1;
  }
  const unreconciled: AuditEntry[] = [];
  if (anchor && !broken) {
    if (cursor.count < anchor.count) {
      problems.push(`the audit log ends after entry #${cursor.count} but its anchor records ${anchor.count} entries: entries were removed from the end`);
    } else if (anchorMac === null || !macEquals(anchorMac, anchor.head) || anchorBytes !== anchor.bytes) {
      problems.push(`audit entry #${anchor.count} is not the one its anchor records: the log was rewritten`);
    } else if (cursor.count > anchor.count) {
      const after = entries.slice(anchor.count);
      warnings.push(`${after.length} audit entr${after.length === 1 ? 'y was' : 'ies were'} written after the anchor (an interrupted write; anchored on the next write)`);
      unreconciled.push(...after.filter((e) => e.intent));
    }
  }
  const verified: VerifiedPrefix = { bytes: cursor.bytes, sha256: sha256Of(bytes.subarray(0, cursor.bytes)), entries: [...entries], ends };
  return { ok: problems.length === 0, entries, anchor, problems, warnings, unreconciled, verified };
}

function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

// ---- errors and file helpers ----

export function auditDamaged(why: string): LocalError {
  return new LocalError(
    'AUDIT_DAMAGED',
    `The audit log cannot be trusted: ${why}. Nothing more is recorded or changed until it is looked at: run idv-review audit verify.`,
  );
}

function writeFailed(err: unknown): LocalError {
  if (err instanceof LocalError) return err;
  const code = errnoCode(err);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new LocalError('DISK_FULL', 'The disk is full; nothing was changed (while writing the audit log). Free some space and retry.', { cause: err });
  }
  return new LocalError('AUDIT_WRITE_FAILED', `Writing the audit log failed${code ? ` (${code})` : ''}; nothing was changed.`, { cause: err });
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    throw unreadable(path, err);
  }
}

async function readBytes(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return null;
    throw unreadable(path, err);
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return 0;
    throw unreadable(path, err);
  }
}

async function readRange(path: string, start: number, end: number): Promise<Buffer> {
  const handle = await nodeFs.open(path, 'r').catch((err: unknown) => {
    throw unreadable(path, err);
  });
  try {
    const buf = Buffer.alloc(end - start);
    const { bytesRead } = await handle.read(buf, 0, buf.length, start);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function unreadable(path: string, err: unknown): LocalError {
  return new LocalError('AUDIT_UNREADABLE', `Cannot read ${path} (${errnoCode(err) ?? 'error'}).`, { cause: err });
}

import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import * as z from 'zod';
import { LocalError } from '../../../common/errors';
import type { SecretStore } from '../keys/secret-store';

/**
 * The head of the audit log (entry count and MAC of the last entry), also kept in the OS keychain:
 * `audit/head.json` lives in the data folder, so a person who can write the folder could put back an
 * earlier copy of the log and its head together, and the chain alone would still verify. The keychain
 * copy is moved forward after each anchoring; a log behind it, or one whose entry at its count has
 * another MAC, was rolled back or replaced. One item per data folder (by its resolved path), beside the
 * data key.
 */
export interface KeychainAnchor {
  count: number;
  head: string;
}

export interface AnchorPort {
  get(): Promise<KeychainAnchor | null>;
  set(anchor: KeychainAnchor): Promise<void>;
}

const AnchorSchema = z.object({ v: z.literal(1), count: z.number().int().nonnegative(), head: z.string().regex(/^[0-9a-f]{64}$/) }).strict();

/** The keychain account of a data folder's anchor. */
export function anchorAccount(dataDir: string): string {
  return `audit-anchor:v1:${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 32)}`;
}

export function keychainAnchor(secrets: SecretStore, dataDir: string): AnchorPort {
  const account = anchorAccount(dataDir);
  return {
    async get() {
      const raw = await secrets.get(account);
      if (raw === null) return null;
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = undefined;
      }
      const result = AnchorSchema.safeParse(parsed);
      if (!result.success) throw new LocalError('AUDIT_ANCHOR_DAMAGED', 'The audit anchor in the OS keychain is not what this app writes: it was changed outside the app.');
      return { count: result.data.count, head: result.data.head };
    },
    async set(anchor) {
      await secrets.set(account, JSON.stringify({ v: 1, count: anchor.count, head: anchor.head }));
    },
  };
}

/**
 * How the log (its entry count, and the MAC of its entry number `anchor.count` when it has that many)
 * stands against the keychain's anchor: null when the log is the anchored one or extends it; else why
 * not, in words.
 */
export function anchorMismatch(anchor: KeychainAnchor, count: number, macAt: (seq: number) => string | undefined): string | null {
  if (count < anchor.count) {
    return `the audit log has ${count} entries but the OS keychain anchors ${anchor.count}: it was rolled back (an earlier copy put back, or entries removed)`;
  }
  if (anchor.count === 0) return null;
  if (macAt(anchor.count) !== anchor.head) {
    return `audit entry #${anchor.count} is not the one the OS keychain anchors: the log was replaced (a copy from elsewhere, or rewritten)`;
  }
  return null;
}

/** A restore a person is accepting: the keychain's anchor, and the log's head it is moved to. */
export interface AcceptedRestore {
  from: KeychainAnchor;
  to: KeychainAnchor;
}

/**
 * Keeps the keychain anchor of one store: compared at the start of every locked step, moved forward
 * after each anchoring. While the log does not match it, nothing moves it: only acceptRestore does,
 * once the entry that records the restore is in the log.
 */
export class AnchorGuard {
  private cached: KeychainAnchor | null | undefined;
  private mismatch: { why: string; from: KeychainAnchor } | null = null;
  private accepting = false;

  constructor(private readonly port: AnchorPort | undefined) {}

  /** Why the log cannot be trusted against the keychain, in words (null when it matches). */
  get problem(): string | null {
    return this.mismatch?.why ?? null;
  }

  /**
   * Compares the log (its count and last MAC as this step opened it; `entries` reads all of it, only
   * when the keychain anchors an earlier entry) with the keychain. Returns the refusal for a step that
   * would write, or null. With `accept`, a mismatch is held for acceptRestore instead.
   */
  async checkLocked(log: KeychainAnchor, entries: () => Promise<ReadonlyArray<{ seq: number; mac: string }>>, accept = false): Promise<LocalError | null> {
    if (this.port === undefined) return null;
    this.cached ??= await this.port.get();
    const anchor = this.cached;
    this.mismatch = null;
    if (anchor === null) return null; // first use: anchored with the next step
    const all = anchor.count < log.count ? await entries() : [];
    const why = anchorMismatch(anchor, log.count, (seq) => (seq === log.count ? log.head : all[seq - 1]?.mac));
    if (why === null) return null;
    this.mismatch = { why, from: anchor };
    if (accept) {
      this.accepting = true;
      return null;
    }
    return rolledBack(why);
  }

  /**
   * For `audit verify` (reads only): the whole log's entries against the keychain. A problem when they
   * do not match; a warning when the keychain holds no anchor for this folder (a copy, or a store not
   * written since anchors were kept), as a roll-back cannot then be ruled out.
   */
  async compare(entries: ReadonlyArray<{ seq: number; mac: string }>): Promise<{ problem?: string; warning?: string }> {
    if (this.port === undefined) return {};
    const anchor = await this.port.get();
    if (anchor === null) {
      return { warning: 'the OS keychain holds no anchor for this data folder (a copy made elsewhere, or a store not written since anchors were kept): a roll-back cannot be ruled out' };
    }
    const last = entries.at(-1);
    const why = anchorMismatch(anchor, entries.length, (seq) => (seq === entries.length ? last?.mac : entries[seq - 1]?.mac));
    return why === null ? {} : { problem: why };
  }

  /** After each anchoring: moves the keychain to the log's head (never while a mismatch stands or a restore is being accepted). */
  async anchored(head: KeychainAnchor): Promise<void> {
    if (this.port === undefined || this.mismatch !== null || this.accepting) return;
    if (this.cached?.count === head.count && this.cached.head === head.head) return;
    await this.port.set(head);
    this.cached = { ...head };
  }

  /** The restore being accepted (checkLocked with accept found a mismatch), or null when the log matches. */
  pendingRestore(log: KeychainAnchor): AcceptedRestore | null {
    return this.mismatch === null ? null : { from: { ...this.mismatch.from }, to: { ...log } };
  }

  /** A step that was to accept a restore ended (accepted or not): the keychain moves again only when the log matches it. */
  endAccept(): void {
    this.accepting = false;
  }

  /** Once the entry recording the restore is in the log: the keychain anchors the log as it is now. */
  async acceptRestore(head: KeychainAnchor): Promise<void> {
    this.mismatch = null;
    this.accepting = false;
    this.cached = undefined;
    await this.anchored(head);
  }
}

export function rolledBack(why: string): LocalError {
  return new LocalError(
    'AUDIT_ROLLED_BACK',
    `The audit log cannot be trusted: ${why}. Nothing more is recorded, and no decision is confirmed or record exported, until a person ` +
      'accepts it: after restoring a backup on purpose, run idv-review audit accept-restore --reason "why"; otherwise restore the data folder from the newest copy.',
  );
}

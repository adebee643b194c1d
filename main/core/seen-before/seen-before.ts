import * as nodeFs from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { KEY_BYTES } from '../crypto/aead';
import { AppError } from '../../../common/errors';
import type { StoreLock } from '../lock/store-lock';
import { openJson, readIfExists, sealJson } from '../review/sealed-json';
import { documentFieldsResolver } from '../../../common/session/document-fields';
import { parseSession } from '../../../common/session/parse';
import { writeFileAtomic, type AtomicFs } from '../store/atomic';
import { isDamaged, type SessionMeta, type SessionStore } from '../store/session-store';
import { identityValues, keyedHash } from './normalise';

/**
 * Seen before: other cached sessions of the same document or the same person.
 *
 * The index `<dataDir>/seen-before/index.idvr` (sealed with the review key, AAD
 * `idv-review|seen-before|index`) maps each cached session to the keyed hashes of its identity values
 * (normalise.ts), computed from the authoritative document fields JSON media of each ID document
 * (session/document-fields.ts). It is derived data: an entry is recomputed whenever the session JSON
 * it came from changed (its SHA-256 differs), entries of sessions no longer cached are dropped, and a
 * missing or damaged index is rebuilt from the cache. Deleting a session removes its entry at once.
 */

export type SeenBeforeKind = 'SAME_DOCUMENT' | 'SAME_PERSON';

export interface SeenBeforeMatch {
  sessionId: string;
  /** The strongest match: the same document beats the same person. */
  match: SeenBeforeKind;
  matches: SeenBeforeKind[];
  fetchedAt: string;
}

const EntrySchema = z
  .object({
    sessionSha256: z.string().max(64),
    fetchedAt: z.string().max(64),
    documents: z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(100),
    persons: z.array(z.string().regex(/^[0-9a-f]{64}$/)).max(100),
  })
  .strict();
type Entry = z.infer<typeof EntrySchema>;
const IndexSchema = z.object({ v: z.literal(1), entries: z.record(z.string().max(64), EntrySchema) }).strict();
type Index = z.infer<typeof IndexSchema>;

const INDEX_AAD = 'idv-review|seen-before|index';
const MAX_FIELDS_BYTES = 1024 * 1024;

export interface SeenBeforeOptions {
  dataDir: string;
  /** HMAC key for the identity values: KeyVault.subkey('seen-before'). */
  hashKey: Buffer;
  /** Seals the index file: KeyVault.subkey('review'). */
  sealKey: Buffer;
  sessions: SessionStore;
  lock: StoreLock;
  fs?: AtomicFs;
}

export class SeenBeforeIndex {
  readonly path: string;
  private readonly hashKey: Buffer;
  private readonly sealKey: Buffer;
  private readonly sessions: SessionStore;
  private readonly lock: StoreLock;
  private readonly fs: AtomicFs;

  constructor(opts: SeenBeforeOptions) {
    for (const k of [opts.hashKey, opts.sealKey]) if (!Buffer.isBuffer(k) || k.length !== KEY_BYTES) throw new RangeError('seen-before keys must be 32 bytes');
    this.path = join(opts.dataDir, 'seen-before', 'index.idvr');
    this.hashKey = Buffer.from(opts.hashKey);
    this.sealKey = Buffer.from(opts.sealKey);
    this.sessions = opts.sessions;
    this.lock = opts.lock;
    this.fs = opts.fs ?? nodeFs;
  }

  /** Other cached sessions of the same document or person, newest fetch first. Takes the lock if the index must change. */
  async find(sessionId: string): Promise<SeenBeforeMatch[]> {
    return matchesOf(await this.current(), sessionId);
  }

  /** The matches of every indexed session, from one read of the index (the queue's badges). */
  async all(): Promise<Map<string, SeenBeforeMatch[]>> {
    const index = await this.current();
    return new Map(Object.keys(index.entries).map((sid) => [sid, matchesOf(index, sid)]));
  }

  /** The same as find, for a caller that holds the lock. */
  async findLocked(sessionId: string): Promise<SeenBeforeMatch[]> {
    return matchesOf((await this.fresh()) ?? (await this.refreshLocked()), sessionId);
  }

  /** The index up to date with the cache; takes the lock only when it must change. */
  private async current(): Promise<Index> {
    return (await this.fresh()) ?? (await this.lock.run(async () => (await this.fresh()) ?? (await this.refreshLocked())));
  }

  /** Drops a deleted session's entry (the caller holds the lock). */
  async forgetLocked(sessionId: string): Promise<void> {
    const index = await this.read();
    if (index === null || !(sessionId in index.entries)) return;
    const entries = { ...index.entries };
    delete entries[sessionId];
    await this.write({ v: 1, entries });
  }

  /** Brings the index up to date with the cache (the caller holds the lock). */
  async refreshLocked(): Promise<Index> {
    const current = (await this.read()) ?? { v: 1 as const, entries: {} };
    const listed = (await this.sessions.listSessions()).filter((s): s is SessionMeta => !isDamaged(s));
    const entries: Record<string, Entry> = {};
    let changed = false;
    for (const meta of listed) {
      const old = current.entries[meta.sessionId];
      if (old && old.sessionSha256 === meta.sha256) {
        entries[meta.sessionId] = old;
        continue;
      }
      changed = true;
      const fresh = await this.entryFor(meta);
      if (fresh) entries[meta.sessionId] = fresh;
    }
    if (Object.keys(current.entries).some((sid) => !(sid in entries))) changed = true;
    const next: Index = { v: 1, entries };
    if (changed) await this.write(next);
    return next;
  }

  // ---- internals ----

  /** The index if it matches the cache as listed now; null if it needs updating. */
  private async fresh(): Promise<Index | null> {
    const index = await this.read();
    if (index === null) return null;
    const listed = (await this.sessions.listSessions()).filter((s): s is SessionMeta => !isDamaged(s));
    if (listed.length !== Object.keys(index.entries).length) return null;
    for (const meta of listed) {
      if (index.entries[meta.sessionId]?.sessionSha256 !== meta.sha256) return null;
    }
    return index;
  }

  private async entryFor(meta: SessionMeta): Promise<Entry | null> {
    const documents = new Set<string>();
    const persons = new Set<string>();
    try {
      const loaded = await this.sessions.loadSession(meta.sessionId);
      if (loaded === null) return null;
      const { session } = parseSession(loaded.body);
      const resolve = documentFieldsResolver(session);
      for (const doc of session.resources?.id_documents ?? []) {
        if (doc.id === undefined) continue;
        const source = resolve(doc.id);
        if (source.source === 'NONE') continue;
        let fields: unknown;
        try {
          const media = await this.sessions.loadMedia(meta.sessionId, source.mediaId);
          if (media === null || !('bytes' in media) || media.bytes.length > MAX_FIELDS_BYTES) continue;
          fields = JSON.parse(media.bytes.toString('utf8'));
        } catch (err) {
          if (err instanceof AppError || err instanceof SyntaxError) continue; // damaged or not JSON: no values from it
          throw err;
        }
        const values = identityValues(fields, doc.issuing_country);
        if (values.document) documents.add(keyedHash(this.hashKey, values.document));
        if (values.person) persons.add(keyedHash(this.hashKey, values.person));
      }
    } catch (err) {
      if (err instanceof AppError) return { sessionSha256: meta.sha256, fetchedAt: meta.fetchedAt, documents: [], persons: [] };
      throw err;
    }
    return { sessionSha256: meta.sha256, fetchedAt: meta.fetchedAt, documents: [...documents].sort(), persons: [...persons].sort() };
  }

  private async read(): Promise<Index | null> {
    const file = await readIfExists(this.path, 'SEEN_BEFORE_DAMAGED', 'the seen-before index');
    if (file === null) return null;
    try {
      return openJson(this.sealKey, file, INDEX_AAD, IndexSchema, 'SEEN_BEFORE_DAMAGED', 'the seen-before index');
    } catch {
      return null; // derived data: rebuilt from the cache
    }
  }

  private async write(index: Index): Promise<void> {
    await writeFileAtomic(this.path, sealJson(this.sealKey, index, INDEX_AAD), { fs: this.fs });
  }
}

/** Other sessions of the index with a document or a person in common with this one, newest fetch first. */
function matchesOf(index: Index, sessionId: string): SeenBeforeMatch[] {
  const mine = index.entries[sessionId];
  if (!mine) return [];
  const docs = new Set(mine.documents);
  const persons = new Set(mine.persons);
  const out: SeenBeforeMatch[] = [];
  for (const [sid, e] of Object.entries(index.entries)) {
    if (sid === sessionId) continue;
    const matches: SeenBeforeKind[] = [];
    if (e.documents.some((h) => docs.has(h))) matches.push('SAME_DOCUMENT');
    if (e.persons.some((h) => persons.has(h))) matches.push('SAME_PERSON');
    const first = matches[0];
    if (first) out.push({ sessionId: sid, match: first, matches, fetchedAt: e.fetchedAt });
  }
  return out.sort((a, b) => (a.fetchedAt === b.fetchedAt ? a.sessionId.localeCompare(b.sessionId) : a.fetchedAt < b.fetchedAt ? 1 : -1));
}

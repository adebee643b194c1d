import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { KEY_BYTES, open, seal } from '../core/crypto/aead';
import { LocalError } from '../../common/errors';
import { errnoCode, writeFileAtomic } from '../core/store/atomic';
import { isYotiId } from '../../common/yoti-ids';

/**
 * The reviewer's list of sessions to work on: `<dataDir>/queue.idvq`, sealed with the cache key
 * (AES-256-GCM, AAD `idv-review|queue|v1`, see crypto/aead.ts) and replaced atomically. Session ids
 * are personal-data adjacent (they lead to a person's documents), so nothing of it is in clear.
 */
export const QUEUE_FILE = 'queue.idvq';
export const QUEUE_AAD = 'idv-review|queue|v1';

export interface QueueEntry {
  sessionId: string;
  addedAt: string;
}

const QueueSchema = z.object({
  v: z.literal(1),
  entries: z.array(z.object({ sessionId: z.string().refine(isYotiId), addedAt: z.string().max(64) })).max(1_000_000),
});

export class SessionQueue {
  readonly path: string;
  readonly #key: Buffer;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(opts: { dataDir: string; key: Buffer }) {
    if (!Buffer.isBuffer(opts.key) || opts.key.length !== KEY_BYTES) throw new RangeError(`the queue key must be ${KEY_BYTES} bytes`);
    this.path = join(opts.dataDir, QUEUE_FILE);
    this.#key = Buffer.from(opts.key);
  }

  /** Every entry, oldest first. */
  async list(): Promise<QueueEntry[]> {
    return this.#serial(async () => sortEntries(await this.#read()));
  }

  /** Adds the ids not yet queued, stamped `addedAt`; returns which were added and which were there already. */
  async add(sessionIds: readonly string[], addedAt: string): Promise<{ added: string[]; existing: string[] }> {
    return this.#serial(async () => {
      const entries = await this.#read();
      const known = new Set(entries.map((e) => e.sessionId));
      const added: string[] = [];
      const existing: string[] = [];
      for (const id of sessionIds) {
        if (known.has(id)) {
          if (!added.includes(id)) existing.push(id);
          continue;
        }
        known.add(id);
        added.push(id);
        entries.push({ sessionId: id, addedAt });
      }
      if (added.length > 0) await this.#write(entries);
      return { added, existing };
    });
  }

  async remove(sessionId: string): Promise<boolean> {
    return this.#serial(async () => {
      const entries = await this.#read();
      const kept = entries.filter((e) => e.sessionId !== sessionId);
      if (kept.length === entries.length) return false;
      await this.#write(kept);
      return true;
    });
  }

  async has(sessionId: string): Promise<boolean> {
    return (await this.list()).some((e) => e.sessionId === sessionId);
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(fn, fn);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #read(): Promise<QueueEntry[]> {
    let sealed: Buffer;
    try {
      sealed = await readFile(this.path);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return [];
      throw new LocalError('QUEUE_UNREADABLE', `Cannot read the session list (${errnoCode(err) ?? 'error'}).`, { cause: err });
    }
    let parsed: z.infer<typeof QueueSchema>;
    try {
      parsed = QueueSchema.parse(JSON.parse(open(this.#key, sealed, QUEUE_AAD).toString('utf8')));
    } catch (cause) {
      // Keep the evidence, start afresh, and say so once.
      const aside = `${this.path}.damaged-${Date.now()}`;
      await rename(this.path, aside).catch(() => undefined);
      throw new LocalError(
        'QUEUE_DAMAGED',
        `The session list could not be read: it was changed on disk or written with another data key. It was set aside ` +
          `(${QUEUE_FILE}.damaged-…) and a new, empty list was started; add the sessions again.`,
        { cause },
      );
    }
    return parsed.entries.map((e) => ({ sessionId: e.sessionId, addedAt: e.addedAt }));
  }

  async #write(entries: QueueEntry[]): Promise<void> {
    const plain = Buffer.from(JSON.stringify({ v: 1, entries }), 'utf8');
    try {
      await writeFileAtomic(this.path, seal(this.#key, plain, QUEUE_AAD));
    } finally {
      plain.fill(0);
    }
  }
}

function sortEntries(entries: QueueEntry[]): QueueEntry[] {
  return [...entries].sort((a, b) => (a.addedAt === b.addedAt ? 0 : a.addedAt < b.addedAt ? -1 : 1));
}

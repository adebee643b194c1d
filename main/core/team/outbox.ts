import { join } from 'node:path';
import * as z from 'zod';
import { StoreLock } from '../lock/store-lock';
import { writeFileAtomic } from '../store/atomic';
import { openJson, readIfExists, sealJson } from '../review/sealed-json';

/**
 * A confirmed local version waiting to reach the team database, with the team version it was made on;
 * or, with seq and versionId null, a decision being confirmed since queuedAt (written before the local
 * confirmation, so a crash between the two still leaves it to be sent).
 */
export const OutboxItemSchema = z
  .object({
    sessionId: z.string().max(64),
    seq: z.number().int().positive().nullable(),
    versionId: z.uuid().nullable(),
    baseVersionId: z.uuid().nullable(),
    /** Why the reviewer decided over another reviewer's version (null: they did not). */
    overReason: z.string().max(2000).nullable(),
    queuedAt: z.string().max(64),
  })
  .strict();
export type OutboxItem = z.infer<typeof OutboxItemSchema>;

const OutboxSchema = z.object({ v: z.literal(1), items: z.array(OutboxItemSchema).max(100_000) }).strict();

const AAD = 'team-outbox:v1';

/**
 * Decisions made while the team database was away, in the order they were made
 * (`<dataDir>/team/outbox.idvr`, sealed with the vault's 'team' subkey, written atomically). The
 * version itself stays in the review store; the team database takes each idempotently by its id, so
 * an item sent but not yet removed (a crash between the two) is sent again harmlessly. Each change
 * reads, changes and writes the file under its own lock (the app's periodic send and a decision, or
 * the app and the command line, change it at once).
 */
export class TeamOutbox {
  private readonly path: string;
  private readonly lock: StoreLock;

  constructor(dataDir: string, private readonly key: Buffer) {
    this.path = join(dataDir, 'team', 'outbox.idvr');
    this.lock = new StoreLock({ path: join(dataDir, 'team', 'outbox.lock') });
  }

  async items(): Promise<OutboxItem[]> {
    const file = await readIfExists(this.path, 'TEAM_OUTBOX_DAMAGED', 'the team outbox');
    return file === null ? [] : openJson(this.key, file, AAD, OutboxSchema, 'TEAM_OUTBOX_DAMAGED', 'the team outbox').items;
  }

  /** Adds a version, in place of the session's pending decision when there is one; a version already queued is left as it is. */
  put(item: OutboxItem): Promise<void> {
    const valid = OutboxItemSchema.parse(item);
    return this.lock.run(async () => {
      const items = await this.items();
      if (valid.versionId !== null && items.some((i) => i.versionId === valid.versionId)) return;
      const pending = items.findIndex((i) => i.sessionId === valid.sessionId && i.versionId === null);
      await this.write(pending === -1 ? [...items, valid] : items.map((i, n) => (n === pending ? valid : i)));
    });
  }

  /** Takes out one item: a version by its id, or a session's pending decision. */
  remove(item: Pick<OutboxItem, 'sessionId' | 'versionId'>): Promise<void> {
    return this.lock.run(async () => {
      const items = await this.items();
      const rest = items.filter((i) => !(i.sessionId === item.sessionId && i.versionId === item.versionId));
      if (rest.length !== items.length) await this.write(rest);
    });
  }

  private write(items: OutboxItem[]): Promise<void> {
    return writeFileAtomic(this.path, sealJson(this.key, { v: 1, items }, AAD));
  }
}

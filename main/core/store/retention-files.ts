import { join } from 'node:path';
import { LocalError } from '../../../common/errors';
import { assertYotiId } from '../../../common/yoti-ids';
import { retainUntilOf, retentionAad, RetentionSchema, type RetentionRecord } from '../retention/retention';
import { openJson, readIfExists, sealJson } from '../review/sealed-json';
import { stageFile, type StagedFile } from './atomic';
import { evidenceDir } from './layout';
import { isDamaged } from './session-store';
import type { StoreCore } from './store-core';

/**
 * The evidence's retention file, `evidence/<sessionId>/retention.idvr` (sealed with the review key):
 * when the session was first fetched and its own retain-until, if set (retention/retention.ts).
 */

export interface RetentionView {
  sessionId: string;
  firstFetchedAt: string;
  retainUntil: string;
  overridden: boolean;
}

const RETENTION_FILE = 'retention.idvr';

export class RetentionFiles {
  constructor(private readonly core: StoreCore) {}

  /** The retain-until in force for a session (null when it is not cached). */
  async retention(sessionId: string): Promise<RetentionView | null> {
    const sid = assertYotiId(sessionId, 'session ID');
    const record = await this.readRetention(sid);
    if (record !== null) return this.viewOf(record);
    // Cached before retention records existed: from the last fetch.
    const meta = (await this.core.sessions.listSessions()).find((s) => s.sessionId === sid);
    if (!meta || isDamaged(meta)) return null;
    return this.viewOf({ v: 1, sessionId: sid, firstFetchedAt: meta.fetchedAt, retainUntilOverride: null });
  }

  async readRetention(sessionId: string): Promise<RetentionRecord | null> {
    const sid = assertYotiId(sessionId, 'session ID');
    const what = `the retention record of session ${sid}`;
    const file = await readIfExists(this.path(sid), 'RETENTION_DAMAGED', what);
    if (file === null) return null;
    const r = openJson(this.core.reviewKey, file, retentionAad(sid), RetentionSchema, 'RETENTION_DAMAGED', what);
    if (r.sessionId !== sid) throw new LocalError('RETENTION_DAMAGED', `The retention record of session ${sid} is damaged: it belongs to another session.`);
    return r;
  }

  /** The retention file, sealed and staged (written and fsynced beside its place, not in it). */
  stage(record: RetentionRecord): Promise<StagedFile> {
    return stageFile(this.core.fs, this.path(record.sessionId), sealJson(this.core.reviewKey, record, retentionAad(record.sessionId)));
  }

  viewOf(record: RetentionRecord): RetentionView {
    return {
      sessionId: record.sessionId,
      firstFetchedAt: record.firstFetchedAt,
      retainUntil: retainUntilOf(record, this.core.retentionDays),
      overridden: record.retainUntilOverride !== null,
    };
  }

  private path(sid: string): string {
    return join(evidenceDir(this.core.dataDir, sid), RETENTION_FILE);
  }
}

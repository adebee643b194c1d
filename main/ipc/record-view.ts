import { LocalError } from '../../common/errors';
import { evidenceDeletionWords } from '../../common/review/evidence-deletion';
import type { DeletedItemView, RecordView } from '../../common/ipc/contract';
import type { LocalCopiesPort, ReviewsPort } from './ports';
import { notCached } from './session-view';

export interface RecordViewDeps {
  reviews: Pick<ReviewsPort, 'get'>;
  local: Pick<LocalCopiesPort, 'deletedEvidence' | 'recordKeptUntil' | 'integrity'>;
}

/**
 * What the app shows of a session whose evidence was deleted: the review record, which stays, and from
 * the audit log when, how and by whom the evidence went and what the decision rested on (every item
 * with its hash). Reads only: there is no evidence to open, so nothing is recorded.
 */
export async function buildRecordView(deps: RecordViewDeps, sessionId: string): Promise<RecordView> {
  const review = await deps.reviews.get(sessionId);
  const deleted = review.status === 'NONE' ? null : await deps.local.deletedEvidence(sessionId, review.manifestHash);
  if (deleted === null) {
    if (review.status === 'NONE') throw notCached(sessionId);
    throw new LocalError('EVIDENCE_STORED', `The evidence of session ${sessionId} is still on this computer: open the session itself.`);
  }
  const view: RecordView = {
    sessionId,
    evidenceDeleted: { ...deleted.deletion, words: evidenceDeletionWords(deleted.deletion) },
    review,
    changedOutsideApp: await deps.local.integrity(sessionId),
  };
  if (deleted.fetched !== null) view.fetched = deleted.fetched;
  if (deleted.manifest !== null) {
    const m = deleted.manifest;
    const items: DeletedItemView[] = [
      { what: 'Session JSON', mimeType: 'application/json', size: m.session.size, sha256: m.session.sha256 },
      ...m.media.map((i) => ({ what: i.mediaId, mimeType: i.mimeType, size: i.size, sha256: i.sha256 })),
    ];
    view.manifest = { manifestHash: m.manifestHash, items };
  }
  const keptUntil = await deps.local.recordKeptUntil(sessionId);
  if (keptUntil !== null) view.recordKeptUntil = keptUntil;
  return view;
}

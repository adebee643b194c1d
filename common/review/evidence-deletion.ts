import { LocalError } from '../errors';

/**
 * A deletion of a session's evidence (its JSON and media), as the audit log records it. The review
 * record stays (store/layout.ts): the app, `show` and the PDF say when, how and by whom.
 */
export interface EvidenceDeletion {
  /** ISO 8601. */
  at: string;
  how: 'at-yoti' | 'local-only' | 'purged';
  /** The reviewer name, or the OS account. */
  by: string;
  /** The audit entry that records it. */
  seq: number;
}

const HOW_WORDS: Record<EvidenceDeletion['how'], string> = {
  'at-yoti': 'deleted at Yoti (and on this computer)',
  'local-only': 'deleted from this computer (Yoti may still hold it)',
  purged: 'deleted by the evidence retention purge',
};

/** "Evidence deleted at Yoti (and on this computer) on 2026-12-04 09:12 UTC, by R. Viewer (audit entry #41)." */
export function evidenceDeletionWords(d: EvidenceDeletion): string {
  const when = `${d.at.slice(0, 10)} ${d.at.slice(11, 16)} UTC`;
  return `Evidence ${HOW_WORDS[d.how]} on ${when}, by ${d.by} (audit entry #${d.seq}).`;
}

/** What needs the evidence (opening it, exporting it) refused in words: when, how and by whom it went, and that the record stays. */
export function evidenceDeleted(sessionId: string, d: EvidenceDeletion, instead: string): LocalError {
  return new LocalError('EVIDENCE_DELETED', `${evidenceDeletionWords(d)} Its review record is kept: idv-review show ${sessionId} prints it${instead}.`);
}

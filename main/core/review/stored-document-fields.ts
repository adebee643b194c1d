import { isAppError } from '../../../common/errors';
import type { DocumentFieldsView } from '../../../common/ipc/contract';
import { verifyMrz } from '../../../common/mrz/verify';
import { mrzLinesOf } from '../../../common/session/document-field-text';
import type { SessionSummary } from '../../../common/session/summary';
import type { SessionStore } from '../store/session-store';
import { parseDocumentFieldsJson } from '../store/stored-fields';

/**
 * The authoritative fields of each document of a stored session (summary.documents[].fields: the
 * document's own, or its approved text data check's), parsed from the stored bytes, as the app, the
 * PDF and `idv-review show` read them.
 */

export interface StoredDocumentFields {
  /** fields is null when none is named, stored or readable; mrz is set when the fields hold MRZ lines. */
  view: DocumentFieldsView;
  /** Why fields the session names are not shown, as a sentence. */
  unreadable?: string;
}

/** The media ids holding the fields of the session's documents. */
export function documentFieldsMediaIds(summary: SessionSummary): Set<string> {
  return new Set(summary.documents.flatMap((d) => (d.fields && d.fields.source !== 'NONE' ? [d.fields.mediaId] : [])));
}

/**
 * One entry per summary.documents entry, in the same order. `bytesOf` gives a stored item's bytes,
 * or undefined when it is not stored, has no content or could not be read (then the entry says so).
 */
export function documentFieldsFrom(summary: SessionSummary, bytesOf: (mediaId: string) => Buffer | undefined): StoredDocumentFields[] {
  return summary.documents.map((doc) => {
    const fields = doc.fields;
    if (fields === undefined || fields.source === 'NONE') return { view: { resourceId: doc.resourceId, label: doc.label, fields: null, source: 'NONE' } };
    const view: DocumentFieldsView = { resourceId: doc.resourceId, label: doc.label, fields: null, source: fields.source };
    const bytes = bytesOf(fields.mediaId);
    if (bytes === undefined) return { view, unreadable: `The document fields of ${doc.label} are not readable on this computer, so they are not shown.` };
    const parsed = parseDocumentFieldsJson(bytes);
    if (typeof parsed === 'string') return { view, unreadable: `The document fields of ${doc.label} ${parsed}, so they are not shown.` };
    view.fields = parsed;
    const lines = mrzLinesOf(parsed);
    if (lines.length > 0) view.mrz = verifyMrz(lines);
    return { view };
  });
}

/**
 * documentFieldsFrom() for a caller that has not read the media yet (`idv-review show`): reads only
 * the fields items. A damaged item is left unread (the caller lists damaged media apart).
 */
export async function readStoredDocumentFields(store: Pick<SessionStore, 'loadMedia'>, sessionId: string, summary: SessionSummary): Promise<StoredDocumentFields[]> {
  const bytes = new Map<string, Buffer>();
  for (const mediaId of documentFieldsMediaIds(summary)) {
    try {
      const loaded = await store.loadMedia(sessionId, mediaId);
      if (loaded !== null && !('noContent' in loaded)) bytes.set(mediaId, loaded.bytes);
    } catch (err) {
      if (!isAppError(err)) throw err;
    }
  }
  return documentFieldsFrom(summary, (mediaId) => bytes.get(mediaId));
}

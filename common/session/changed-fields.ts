import { listAttempts } from './attempts';
import { documentFieldsResolver } from './document-fields';
import type { Session } from './schema';
import type { ChangedField } from './warnings';

/**
 * Which fields a manual text data check changed. Yoti: an approved check's JSON "will replace the
 * document_fields media in the resources", so the resource's own fields (what was read from the
 * document) and the check's (what the expert typed) can disagree, e.g. a date of birth the card prints
 * as 01 MAR 1988 and the check gives as 1988-02-29. The reviewer must see which field and both values.
 */

/** A document whose fields come from a text data check that replaced the document's own. */
export interface CorrectedDocument {
  label: string;
  /** The resource's own document_fields media (the document as read). */
  printedMediaId: string;
  /** The text data check's JSON media. */
  correctedMediaId: string;
  checkIndex: number;
  checkId?: string;
}

export function correctedDocuments(session: Session): CorrectedDocument[] {
  const fieldsOf = documentFieldsResolver(session);
  return listAttempts(session).flatMap((a) => {
    if ((a.kind !== 'ID_DOCUMENT' && a.kind !== 'SUPPLEMENTARY_DOCUMENT') || a.id === undefined) return [];
    const f = fieldsOf(a.id);
    if (f.source !== 'TEXT_DATA_CHECK' || f.replacedMediaId === undefined || f.replacedMediaId === f.mediaId) return [];
    const doc: CorrectedDocument = { label: a.label, printedMediaId: f.replacedMediaId, correctedMediaId: f.mediaId, checkIndex: f.checkIndex };
    return [f.checkId === undefined ? doc : { ...doc, checkId: f.checkId }];
  });
}

/** "date_of_birth" → "date of birth". */
const fieldWords = (key: string): string => key.replace(/_/g, ' ').trim();

/** A field's value as a reviewer reads it; objects (a postal address) as their lines, when they have them. */
function shown(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && !Array.isArray(value)) {
    const formatted = (value as Record<string, unknown>).formatted_address;
    if (typeof formatted === 'string') return formatted.replace(/\s*\n\s*/g, ', ');
  }
  return JSON.stringify(value);
}

/** Fields present in both with different values, in the order of the check's JSON. */
export function changedFields(doc: CorrectedDocument, printed: Record<string, unknown>, corrected: Record<string, unknown>): ChangedField[] {
  const out: ChangedField[] = [];
  for (const [key, value] of Object.entries(corrected)) {
    if (!Object.prototype.hasOwnProperty.call(printed, key)) continue;
    const before = shown(printed[key]);
    const after = shown(value);
    if (before === undefined || after === undefined || before === after) continue;
    const field: ChangedField = { document: doc.label, field: fieldWords(key), printed: before, corrected: after, checkIndex: doc.checkIndex };
    out.push(doc.checkId === undefined ? field : { ...field, checkId: doc.checkId });
  }
  return out;
}

/**
 * The changed fields of every corrected document; `readFields` reads one stored fields JSON (undefined
 * when it is not stored or not readable, and then that document is skipped: nothing to compare).
 */
export async function readChangedFields(
  session: Session,
  readFields: (mediaId: string) => Promise<Record<string, unknown> | undefined>,
): Promise<ChangedField[]> {
  const out: ChangedField[] = [];
  for (const doc of correctedDocuments(session)) {
    const printed = await readFields(doc.printedMediaId);
    const corrected = await readFields(doc.correctedMediaId);
    if (printed !== undefined && corrected !== undefined) out.push(...changedFields(doc, printed, corrected));
  }
  return out;
}

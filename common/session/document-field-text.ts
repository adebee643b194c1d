import type { AuthoritativeDocumentFields } from './document-fields';

/**
 * A document's fields JSON (what Yoti extracted, or what its text data check replaced them with) in
 * words, the same on every surface: the app's Document tab, `idv-review show` and the PDF review
 * record. An address reads as an address, a list as a list, nested fields as "Name: value" lines.
 */

/** Where the fields a reviewer sees came from (summary.documents[].fields.source), in words. */
export const FIELDS_SOURCE_WORDS: Readonly<Record<AuthoritativeDocumentFields['source'], string>> = {
  TEXT_DATA_CHECK: "From Yoti's text data check (these replace the document's own fields)",
  RESOURCE: "From the document's own extracted fields",
  NONE: 'No extracted fields are stored',
};

/** "country_of_birth" → "Country of birth". */
export function fieldLabel(key: string): string {
  const words = key.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A field's value in words: an address as its lines (Yoti's formatted_address when given), a list
 * joined with "; ", nested fields as "Name: value" lines; '' when it has nothing to say (null, an
 * empty string, list or object).
 */
export function fieldText(key: string, value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((v) => fieldText(key, v)).filter((v) => v !== '').join('; ');
  if (typeof value !== 'object' || value === null) return '';
  const o = value as Record<string, unknown>;
  if (key.includes('address') && typeof o.formatted_address === 'string') return o.formatted_address.trim();
  return Object.entries(o)
    .map(([k, v]) => [k, fieldText(k, v)] as const)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${fieldLabel(k)}: ${v}`)
    .join('\n');
}

/** `mrz.line1`…`line3` as Yoti sends them, trimmed; empty when the fields have no MRZ lines. */
export function mrzLinesOf(fields: Readonly<Record<string, unknown>>): string[] {
  const mrz = fields.mrz;
  if (mrz === null || typeof mrz !== 'object' || Array.isArray(mrz)) return [];
  const m = mrz as Record<string, unknown>;
  return [m.line1, m.line2, m.line3].flatMap((l) => (typeof l === 'string' && l.trim() !== '' ? [l.trim()] : []));
}

export interface DocumentFieldRow {
  /** The key as Yoti sent it ("structured_postal_address"). */
  key: string;
  /** "Structured postal address". */
  label: string;
  /** fieldText(): may hold several lines. */
  text: string;
}

/**
 * Every field of a document's fields JSON as label and text, in the order Yoti sent them. Only a
 * field with nothing to say is left out; so is the MRZ when it holds lines (mrzLinesOf), because
 * every surface shows those lines on their own, in monospace with their check digits recomputed,
 * where as a row they would read "Line1: P<UTO…". An MRZ of any other shape stays a row, so no
 * value Yoti sent goes unshown.
 */
export function documentFieldRows(fields: Readonly<Record<string, unknown>>): DocumentFieldRow[] {
  const mrzShownApart = mrzLinesOf(fields).length > 0;
  return Object.entries(fields).flatMap(([key, value]) => {
    if (key === 'mrz' && mrzShownApart) return [];
    const text = fieldText(key, value);
    return text === '' ? [] : [{ key, label: fieldLabel(key), text }];
  });
}

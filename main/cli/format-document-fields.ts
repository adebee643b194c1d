import type { MrzVerification } from '../../common/mrz';
import { documentFieldRows, FIELDS_SOURCE_WORDS, mrzLinesOf } from '../../common/session/document-field-text';
import type { DocumentSummary } from '../../common/session/summary';
import type { StoredDocumentFields } from '../core/review/stored-document-fields';

/**
 * Under one document in `show`: where its fields came from, every field's value ("Label: value"; a
 * value of several lines, such as an address, on the lines under its label, indented), and the MRZ
 * lines with what their check digits say. Pure; Output.line makes each line safe for the terminal.
 */
export function formatDocumentFields(doc: DocumentSummary, read: StoredDocumentFields | undefined): string[] {
  const source = doc.fields === undefined || doc.fields.source === 'NONE' ? undefined : doc.fields;
  if (source === undefined) return [`    ${FIELDS_SOURCE_WORDS.NONE}.`];
  const lines = [`    ${FIELDS_SOURCE_WORDS[source.source]}, media ${source.mediaId}`];
  if (read?.unreadable !== undefined) lines.push(`    ! ${read.unreadable}`);
  const fields = read?.view.fields ?? null;
  if (fields === null) return lines;
  const rows = documentFieldRows(fields);
  if (rows.length === 0) lines.push('      (no field has a value)');
  for (const row of rows) {
    const [first = '', ...rest] = row.text.split('\n');
    if (rest.length === 0) {
      lines.push(`      ${row.label}: ${first}`);
    } else {
      lines.push(`      ${row.label}:`);
      for (const l of [first, ...rest]) lines.push(`        ${l.trim()}`);
    }
  }
  const mrz = mrzLinesOf(fields);
  if (mrz.length > 0) {
    lines.push(`    ${mrzWords(read?.view.mrz)}`);
    for (const l of mrz) lines.push(`      ${l}`);
  }
  return lines;
}

function mrzWords(mrz: MrzVerification | undefined): string {
  if (mrz === undefined) return 'Machine-readable zone (MRZ)';
  if ('error' in mrz) return `Machine-readable zone (MRZ), which could not be read: ${mrz.error}`;
  return `Machine-readable zone (MRZ, ${mrz.format}): ${mrz.valid ? 'every check digit verified here (ICAO 9303)' : 'at least one check digit is wrong (verified here, ICAO 9303)'}`;
}

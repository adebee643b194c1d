import { describe, expect, test } from 'vitest';
import type { DocumentSummary, SessionSummary } from '../../../common/session/summary';
import { formatDocumentFields } from '../../../main/cli/format-document-fields';
import { documentFieldsFrom } from '../../../main/core/review/stored-document-fields';

/** `idv-review show`, under each document: where the fields came from, every value, the MRZ; damage in words. */
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];

function doc(label: string, fields: DocumentSummary['fields']): DocumentSummary {
  return { label, kind: 'ID_DOCUMENT', documentType: { value: 'PASSPORT', text: 'Passport' }, pages: 1, fields, checks: [] };
}
const own = (mediaId: string): DocumentSummary['fields'] => ({ source: 'RESOURCE', mediaId, resourceId: `r-${mediaId}`, textDataChecks: [] });

/** The lines under each document, read from `bytes` as show reads the store. */
function shown(documents: DocumentSummary[], bytes: Record<string, string>): string[][] {
  const read = documentFieldsFrom({ documents } as SessionSummary, (id) => (id in bytes ? Buffer.from(bytes[id]!) : undefined));
  return documents.map((d, i) => formatDocumentFields(d, read[i]));
}

describe('document fields in idv-review show', () => {
  test('every value as "Label: value", an address on its own indented lines, then the MRZ with its check digits', () => {
    const fields = {
      full_name: 'ANNA MARIA ERIKSSON',
      aliases: ['Ann E.', 'A. Eriksson'],
      structured_postal_address: { address_line1: '1 Main Street', town_city: 'Zenith', formatted_address: '1 Main Street\nZenith\nZE1 2AB' },
      mrz: { line1: TD3[0], line2: TD3[1] },
    };
    const [lines] = shown([doc('Document 1', own('m1'))], { m1: JSON.stringify(fields) });
    expect(lines).toEqual([
      "    From the document's own extracted fields, media m1",
      '      Full name: ANNA MARIA ERIKSSON',
      '      Aliases: Ann E.; A. Eriksson',
      '      Structured postal address:',
      '        1 Main Street',
      '        Zenith',
      '        ZE1 2AB',
      '    Machine-readable zone (MRZ, TD3): every check digit verified here (ICAO 9303)',
      `      ${TD3[0]}`,
      `      ${TD3[1]}`,
    ]);
  });

  test("a text data check's fields say so; a wrong check digit is named as wrong", () => {
    const check: DocumentSummary['fields'] = { source: 'TEXT_DATA_CHECK', mediaId: 'c1', resourceId: 'r1', checkIndex: 0, textDataChecks: [] };
    const fields = { given_names: 'ANNA', mrz: { line1: TD3[0], line2: TD3[1]!.replace('L898902C36', 'L898902C37') } };
    const [lines] = shown([doc('Document 1', check)], { c1: JSON.stringify(fields) });
    expect(lines).toEqual([
      "    From Yoti's text data check (these replace the document's own fields), media c1",
      '      Given names: ANNA',
      '    Machine-readable zone (MRZ, TD3): at least one check digit is wrong (verified here, ICAO 9303)',
      `      ${TD3[0]}`,
      `      ${fields.mrz.line2}`,
    ]);
  });

  test('damaged, missing or absent fields are said in words, never thrown', () => {
    const out = shown(
      [doc('Document 1', own('bad')), doc('Document 2', own('gone')), doc('Document 3', own('list')), doc('Document 4', undefined), doc('Document 5', own('empty'))],
      { bad: '{"full_name": "ANNA', list: '[1, 2]', empty: '{"middle_name": ""}' },
    );
    expect(out).toEqual([
      ["    From the document's own extracted fields, media bad", '    ! The document fields of Document 1 are not valid JSON, so they are not shown.'],
      ["    From the document's own extracted fields, media gone", '    ! The document fields of Document 2 are not readable on this computer, so they are not shown.'],
      ["    From the document's own extracted fields, media list", '    ! The document fields of Document 3 are not a JSON object, so they are not shown.'],
      ['    No extracted fields are stored.'],
      ["    From the document's own extracted fields, media empty", '      (no field has a value)'],
    ]);
  });
});

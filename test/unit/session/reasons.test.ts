import { describe, expect, test } from 'vitest';
import {
  describeReason,
  describeRecoverySuggestion,
  REASON_CATALOGUE,
  type ReasonCatalogueKey,
} from '../../../common/session/reasons';
import { docFacts } from './load';

type DocTable = { heading: string; rows: { code: string; description: string; recommendation: string }[] };

/** The reason tables of Yoti's retrieval page, as published (test/fixtures/docs/reason-tables.json). */
const docReasonTables = (): DocTable[] => docFacts<{ tables: DocTable[] }>('reason-tables.json').tables;

const CATALOGUE_FOR_HEADING: Record<string, ReasonCatalogueKey> = {
  'ID Document Authenticity': 'ID_DOCUMENT_AUTHENTICITY',
  'ID Document Face Match': 'ID_DOCUMENT_FACE_MATCH',
  'ID Document Text Data Extraction': 'ID_DOCUMENT_TEXT_DATA_CHECK',
};

describe('the reason catalogue matches the doc tables', () => {
  const tables = docReasonTables();

  test('the doc has the three reason tables we know of (a new one fails here)', () => {
    expect(tables.map((t) => [t.heading, t.rows.length])).toEqual([
      ['ID Document Authenticity', 25],
      ['ID Document Face Match', 18],
      ['ID Document Text Data Extraction', 18],
    ]);
  });

  test.each(tables.map((t) => [t.heading, t] as const))('every row of "%s" is in the catalogue, word for word', (heading, table) => {
    const key = CATALOGUE_FOR_HEADING[heading];
    expect(key, heading).toBeDefined();
    const entries = REASON_CATALOGUE[key!];
    for (const row of table.rows) {
      expect(entries.find((e) => e.code === row.code), row.code).toEqual({
        code: row.code,
        text: row.description,
        recommendation: row.recommendation,
        source: 'table',
      });
      expect(describeReason(key, row.code)).toEqual({ code: row.code, text: row.description, recommendation: row.recommendation, known: true, catalogue: key });
    }
    // …and the catalogue claims no table row the doc does not have.
    expect(entries.filter((e) => e.source === 'table').map((e) => e.code).sort()).toEqual(table.rows.map((r) => r.code).sort());
  });
});

describe('describeReason', () => {
  test('codes seen elsewhere in the docs are known', () => {
    expect(describeReason('ID_DOCUMENT_AUTHENTICITY', 'PICTURE_TOO_DARK')).toMatchObject({ known: true, recommendation: 'NOT_AVAILABLE' });
    expect(describeReason('ID_DOCUMENT_AUTHENTICITY', 'NOT_GENUINE')).toMatchObject({ known: true, recommendation: 'REJECT' });
    expect(describeReason('ID_DOCUMENT_AUTHENTICITY', 'EXPIRED_DOCUMENT')).toMatchObject({ text: 'The document has expired', recommendation: 'REJECT' });
    expect(describeReason('ID_DOCUMENT_TEXT_DATA_CHECK', 'EXTRACTION_FAILED')).toMatchObject({ known: true });
    expect(describeReason('ID_DOCUMENT_TEXT_DATA_CHECK', 'MRZ_VALIDATION').recommendation).toBeUndefined();
  });

  test('the same code reads per check type', () => {
    expect(describeReason('ID_DOCUMENT_FACE_MATCH', 'PARTIAL_PHOTO').text).toBe('Only part of the photo was shown');
    expect(describeReason('ID_DOCUMENT_AUTHENTICITY', 'PARTIAL_PHOTO').text).toBe('The photo is partially taken');
    expect(describeReason('ID_DOCUMENT_TEXT_DATA_EXTRACTION', 'MISUSE')).toMatchObject({ text: 'The photo has been misused', catalogue: 'ID_DOCUMENT_TEXT_DATA_CHECK' });
  });

  test('a check type without a catalogue borrows from the first that has the code, and says so', () => {
    expect(describeReason('LIVENESS', 'FACE_NOT_FOUND')).toEqual({
      code: 'FACE_NOT_FOUND', text: 'No face detected', recommendation: 'NOT_AVAILABLE', known: true, catalogue: 'ID_DOCUMENT_FACE_MATCH',
    });
    expect(describeReason(undefined, 'TAMPERED')).toMatchObject({ known: true, catalogue: 'ID_DOCUMENT_AUTHENTICITY' });
    expect(describeReason('ID_DOCUMENT_AUTHENTICITY', 'DIFFERENT_PERSON')).toMatchObject({ known: true, catalogue: 'ID_DOCUMENT_FACE_MATCH' });
  });

  test('unknown codes are shown verbatim, prototype names included', () => {
    for (const code of ['VOICE_MISMATCH_SUSPECTED', 'constructor', '__proto__', 'toString', '<script>x</script>', '']) {
      expect(describeReason('ID_DOCUMENT_AUTHENTICITY', code)).toEqual({ code, text: code === '' ? '(an empty code, no description)' : `${code} (no description)`, known: false });
    }
  });
});

describe('describeRecoverySuggestion', () => {
  test('BETTER_LIGHTING is known; others verbatim', () => {
    expect(describeRecoverySuggestion('BETTER_LIGHTING')).toEqual({ code: 'BETTER_LIGHTING', text: 'Retake the photo in better lighting', known: true });
    expect(describeRecoverySuggestion('SPEAK_CLEARLY')).toEqual({ code: 'SPEAK_CLEARLY', text: 'SPEAK_CLEARLY (no description)', known: false });
    expect(describeRecoverySuggestion('BETTER_FOCUS')).toEqual({ code: 'BETTER_FOCUS', text: 'Retake the photo in focus', known: true });
    expect(describeRecoverySuggestion('hasOwnProperty')).toMatchObject({ known: false });
  });
});

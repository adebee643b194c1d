import { describe, expect, test } from 'vitest';
import {
  captureMethodWords,
  checkStateWords,
  checkTypeWords,
  documentTypeWords,
  livenessTypeWords,
  NOT_GIVEN,
  processWords,
  recommendationWords,
  resultWords,
  sessionStateWords,
  SUB_CHECK_WORDS,
  subCheckWords,
  taskTypeWords,
} from '../../../common/session/words';
import { docFacts } from './load';

/** Every sub-check name Yoti's docs and the console notes mention (test/fixtures/docs/sub-check-names.json). */
const subCheckNamesInDocs = (): string[] => docFacts<{ names: string[] }>('sub-check-names.json').names;

describe('words', () => {
  test('every sub-check name in the docs has plain words', () => {
    const names = subCheckNamesInDocs();
    expect(names).toEqual(expect.arrayContaining(['hologram_movement', 'no_signs_of_forgery', 'fonts_authenticity', 'payload_signature_verification', 'issuing_authority_verification', 'mrz_validation']));
    expect(names.length).toBeGreaterThanOrEqual(25);
    for (const n of names) expect(SUB_CHECK_WORDS.has(n), n).toBe(true);
    expect(subCheckWords('hologram_movement')).toBe('Hologram moves when the document is tilted');
  });

  test('check types, task types, recommendations, results, states', () => {
    expect(checkTypeWords('ID_DOCUMENT_AUTHENTICITY')).toBe('Document authenticity');
    expect(checkTypeWords('LIVENESS')).toBe('Liveness');
    expect(taskTypeWords('ID_DOCUMENT_TEXT_DATA_EXTRACTION')).toBe('Document text extraction');
    expect(recommendationWords('NOT_AVAILABLE')).toBe('Not available (the check could not be done)');
    expect(resultWords('FAIL')).toBe('Fail');
    expect(sessionStateWords('EXPIRED')).toBe('Expired (Yoti could not complete the checks and tasks)');
    expect(checkStateWords('INTERNAL_ERROR')).toBe('Internal error at Yoti');
    expect(processWords('AUTOMATED')).toBe('Automated');
    expect(livenessTypeWords('STATIC')).toBe('Passive liveness (one still image)');
    expect(documentTypeWords('DRIVING_LICENCE')).toBe('Driving licence');
    expect(captureMethodWords('UPLOAD')).toBe('Upload');
  });

  test('every check type and state named in the docs has words', () => {
    for (const t of ['ID_DOCUMENT_AUTHENTICITY', 'ID_DOCUMENT_TEXT_DATA_CHECK', 'ID_DOCUMENT_FACE_MATCH', 'LIVENESS', 'ID_DOCUMENT_COMPARISON',
      'SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK', 'THIRD_PARTY_IDENTITY', 'THIRD_PARTY_IDENTITY_FRAUD_1', 'WATCHLIST_SCREENING',
      'WATCHLIST_ADVANCED_CA', 'FACE_COMPARISON']) {
      expect(checkTypeWords(t), t).not.toBe(t);
    }
    for (const s of ['CREATED', 'READY', 'PENDING', 'INTERNAL_ERROR', 'DONE']) expect(checkStateWords(s)).not.toBe(s);
    for (const s of ['ONGOING', 'COMPLETED', 'EXPIRED']) expect(sessionStateWords(s)).not.toBe(s);
    for (const r of ['APPROVE', 'REJECT', 'NOT_AVAILABLE', 'CONSIDER']) expect(recommendationWords(r)).not.toBe(r);
  });

  test('unknown values verbatim, absent values "Not given", prototype names never leak', () => {
    expect(checkTypeWords('VOICE_MATCH')).toBe('VOICE_MATCH');
    expect(subCheckWords('<b>x</b>')).toBe('<b>x</b>');
    expect(resultWords('INCONCLUSIVE')).toBe('INCONCLUSIVE');
    expect(subCheckWords('toString')).toBe('toString');
    expect(checkTypeWords('constructor')).toBe('constructor');
    expect(sessionStateWords('__proto__')).toBe('__proto__');
    expect(checkTypeWords(undefined)).toBe(NOT_GIVEN);
    expect(resultWords(null)).toBe(NOT_GIVEN);
    expect(resultWords('')).toBe(NOT_GIVEN);
  });
});

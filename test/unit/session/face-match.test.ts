import { describe, expect, test } from 'vitest';
import { assertThreshold, faceMatch, parseConfidenceScore } from '../../../common/session/face-match';
import { parseSession } from '../../../common/session/parse';
import { load, thrown } from './load';

describe('faceMatch', () => {
  const { session } = load('face-match-below-threshold.json');

  test('every retry is its own entry, with score, results, recommendation and threshold verdict', () => {
    const results = faceMatch(session);
    expect(results.map((r) => [r.attempt, r.checkIndex, r.score, r.scoreText, r.aiResult, r.manualResult, r.recommendation, r.reason, r.aboveThreshold])).toEqual([
      [1, 0, 0.42, '0.42', 'FAIL', 'FAIL', 'REJECT', 'DIFFERENT_PERSON', false],
      [2, 1, 0.7, '0.70', 'PASS', undefined, 'APPROVE', undefined, false],
      [3, 2, null, 'n/a', 'FAIL', undefined, 'NOT_AVAILABLE', 'FACE_NOT_FOUND', false],
    ]);
  });

  test('the threshold is configurable: score > threshold, strictly', () => {
    expect(faceMatch(session, 0.4).map((r) => r.aboveThreshold)).toEqual([true, true, false]);
    expect(faceMatch(session, 0.69).map((r) => r.aboveThreshold)).toEqual([false, true, false]);
    expect(faceMatch(session, 1).map((r) => r.aboveThreshold)).toEqual([false, false, false]);
    expect(faceMatch(session, 0).every((r) => r.threshold === 0)).toBe(true);
  });

  test('the threshold is validated to 0..1', () => {
    for (const bad of [-0.01, 1.01, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(thrown(() => faceMatch(session, bad))).toMatchObject({ code: 'INVALID_THRESHOLD', kind: 'usage' });
    }
    expect(assertThreshold(0.7)).toBe(0.7);
  });

  test('only ID_DOCUMENT_FACE_MATCH checks; none gives an empty list', () => {
    expect(faceMatch(load('liveness-retry.json').session)).toHaveLength(1);
    expect(faceMatch(load('static-liveness.json').session)).toEqual([]);
  });

  test('a face match without a report or without an ai sub-check', () => {
    const { session: s } = parseSession({
      checks: [
        { type: 'ID_DOCUMENT_FACE_MATCH', id: 'a', state: 'PENDING' },
        { type: 'ID_DOCUMENT_FACE_MATCH', id: 'b', state: 'DONE', report: { recommendation: { value: 'APPROVE' }, breakdown: [{ sub_check: 'manual_face_match', result: 'PASS' }] } },
        { type: 'ID_DOCUMENT_FACE_MATCH', id: 'c', state: 'DONE', report: { breakdown: [{ sub_check: 'ai_face_match', result: 'PASS', details: [{ name: 'confidence_score', value: 0.93 }] }] } },
      ],
    });
    expect(faceMatch(s).map((r) => [r.checkId, r.score, r.manualResult, r.aboveThreshold])).toEqual([
      ['a', null, undefined, false],
      ['b', null, 'PASS', false],
      ['c', 0.93, undefined, true],
    ]);
  });
});

describe('parseConfidenceScore', () => {
  test.each([
    ['1.00', 1],
    ['0.7', 0.7],
    [' 0.93 ', 0.93],
    ['.5', 0.5],
    ['0', 0],
    ['5e-1', 0.5],
  ])('%s → %s', (text, n) => expect(parseConfidenceScore(text)).toBe(n));
  test.each(['', 'n/a', '1.5', '-0.1', '0x1', 'NaN', 'Infinity', '0.5abc', '1,00'])('%s → null', (text) => {
    expect(parseConfidenceScore(text)).toBeNull();
  });
  test('absent → null', () => expect(parseConfidenceScore(undefined)).toBeNull());
});

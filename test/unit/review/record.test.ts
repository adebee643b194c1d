import { describe, expect, test } from 'vitest';
import { reasonCatalogue } from '../../../main/core/review/reasons';
import { applyViewEvent, assertConfirmable, emptyEvidenceViewed, fieldsOf, mergeInput, sameFields } from '../../../main/core/review/record';

const catalogue = reasonCatalogue();
const empty = fieldsOf(null);

describe('review input', () => {
  test('fields left out keep their value; verdicts are one per check', () => {
    const a = mergeInput(empty, { notes: 'n1', reasonCodes: ['FACE_MISMATCH', 'FACE_MISMATCH'] }, catalogue);
    expect(a).toEqual({ decision: null, reasonCodes: ['FACE_MISMATCH'], notes: 'n1', checkVerdicts: [] });
    const b = mergeInput(a, { checkVerdicts: [{ checkId: 'c1', verdict: 'AGREE' }, { checkId: 'c1', verdict: 'OVERRIDE', note: 'blurred' }] }, catalogue);
    expect(b).toMatchObject({ notes: 'n1', reasonCodes: ['FACE_MISMATCH'], checkVerdicts: [{ checkId: 'c1', verdict: 'OVERRIDE', note: 'blurred' }] });
    expect(sameFields(a, mergeInput(a, {}, catalogue))).toBe(true);
    expect(sameFields(a, b)).toBe(false);
  });

  test('unknown reason codes are refused, listing the valid ones', () => {
    const err = (() => {
      try {
        mergeInput(empty, { reasonCodes: ['NOPE', 'UNDERAGE'] }, catalogue);
      } catch (e) {
        return e as Error & { code: string };
      }
      throw new Error('not refused');
    })();
    expect(err.code).toBe('UNKNOWN_REASON');
    expect(err.message).toMatch(/Unknown reason code "NOPE"\. Valid codes: DOCUMENT_EXPIRED, FACE_MISMATCH, .*UNDERAGE/);
  });

  test('limits: long notes, bad verdicts, unknown decisions', () => {
    expect(() => mergeInput(empty, { notes: 'x'.repeat(200_001) }, catalogue)).toThrow(/200000 characters/);
    expect(() => mergeInput(empty, { checkVerdicts: [{ checkId: '', verdict: 'AGREE' }] }, catalogue)).toThrow(/check verdict/);
    // @ts-expect-error a decision from outside
    expect(() => mergeInput(empty, { decision: 'MAYBE' }, catalogue)).toThrow(/Unknown decision/);
  });

  test('confirmable: a decision; a reason unless APPROVE; a note for OTHER and for an override', () => {
    const code = (f: Parameters<typeof assertConfirmable>[0]) => {
      try {
        assertConfirmable(f, catalogue);
        return 'ok';
      } catch (e) {
        return (e as { code: string }).code;
      }
    };
    expect(code(empty)).toBe('DECISION_REQUIRED');
    expect(code({ ...empty, decision: 'APPROVE' })).toBe('ok');
    for (const d of ['REJECT', 'REQUEST_RESUBMISSION', 'ESCALATE'] as const) expect(code({ ...empty, decision: d })).toBe('REASON_REQUIRED');
    expect(code({ ...empty, decision: 'REJECT', reasonCodes: ['UNDERAGE'] })).toBe('ok');
    expect(code({ ...empty, decision: 'REJECT', reasonCodes: ['OTHER'] })).toBe('NOTE_REQUIRED');
    expect(code({ ...empty, decision: 'REJECT', reasonCodes: ['OTHER'], notes: 'why' })).toBe('ok');
    expect(code({ ...empty, decision: 'APPROVE', checkVerdicts: [{ checkId: 'c', verdict: 'OVERRIDE', note: ' ' }] })).toBe('NOTE_REQUIRED');
  });
});

describe('evidence viewed', () => {
  test('folds openings and views; tools accumulate per item; replays change nothing', () => {
    let v = emptyEvidenceViewed();
    v = applyViewEvent(v, { seq: 1, at: 't1', type: 'session.opened' });
    v = applyViewEvent(v, { seq: 2, at: 't2', type: 'media.viewed', mediaId: 'm2', tools: { zoom: true, rotate: false, filters: false, compare: false } });
    v = applyViewEvent(v, { seq: 3, at: 't3', type: 'media.viewed', mediaId: 'm1', tools: { zoom: false, rotate: false, filters: true, compare: false } });
    v = applyViewEvent(v, { seq: 4, at: 't4', type: 'media.viewed', mediaId: 'm2', tools: { zoom: false, rotate: false, filters: false, compare: true } });
    v = applyViewEvent(v, { seq: 5, at: 't5', type: 'session.opened' });
    expect(v).toEqual({
      firstOpenedAt: 't1',
      lastOpenedAt: 't5',
      opens: 2,
      appliedSeq: 5,
      items: [
        { mediaId: 'm1', firstViewedAt: 't3', lastViewedAt: 't3', views: 1, tools: { zoom: false, rotate: false, filters: true, compare: false } },
        { mediaId: 'm2', firstViewedAt: 't2', lastViewedAt: 't4', views: 2, tools: { zoom: true, rotate: false, filters: false, compare: true } },
      ],
    });
    expect(applyViewEvent(v, { seq: 4, at: 'again', type: 'session.opened' })).toBe(v);
  });
});

import { describe, expect, test } from 'vitest';
import { REVIEW_REASONS, REVIEWER_REASONS, reasonCatalogue, YOTI_REASONS } from '../../../main/core/review/reasons';
import { mergeInput, fieldsOf } from '../../../main/core/review/record';
import { REASON_CATALOGUE } from '../../../common/session/reasons';
import { REASON_CATEGORIES } from '../../../common/review/decisions';

describe('reason catalogue', () => {
  test('the reviewer reasons the issue asks for, each with a label and a text', () => {
    const codes = REVIEWER_REASONS.map((r) => r.code);
    for (const c of ['DOCUMENT_EXPIRED', 'FACE_MISMATCH', 'POOR_IMAGE_QUALITY', 'SUSPECTED_FRAUD', 'DATA_MISMATCH', 'UNDERAGE', 'NEEDS_SECOND_OPINION']) {
      expect(codes).toContain(c);
    }
    for (const r of REVIEW_REASONS) {
      expect(r.text.trim().length, r.code).toBeGreaterThan(3);
      // Short enough to scan in a narrow pane; the text carries the rest.
      expect(r.label.length, `${r.code}: ${r.label}`).toBeLessThanOrEqual(40);
      expect(r.label, r.code).not.toMatch(/^The |\.$/);
      expect(REASON_CATEGORIES, r.code).toContain(r.category);
    }
  });

  test("every one of Yoti's codes is a reason or the alias of exactly one; one code per meaning", () => {
    const yoti = new Set(Object.values(REASON_CATALOGUE).flatMap((list) => list.map((e) => e.code)));
    const c = reasonCatalogue();
    for (const code of yoti) expect(c.has(code), code).toBe(true);
    const codes = REVIEW_REASONS.map((r) => r.code);
    const aliases = REVIEW_REASONS.flatMap((r) => r.aliases);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(aliases).size).toBe(aliases.length);
    expect(aliases.filter((a) => codes.includes(a))).toEqual([]);
    // The duplicates the review found are merged.
    expect(c.canonical('EXPIRED_DOCUMENT')).toBe('DOCUMENT_EXPIRED');
    expect(c.canonical('DIFFERENT_PERSON')).toBe('FACE_MISMATCH');
    expect(c.canonical('PICTURE_TOO_DARK')).toBe('PHOTO_TOO_DARK');
    expect(c.canonical('MISSING_DOCUMENT_SIDE')).toBe('MISSING_EVIDENCE');
    expect(c.get('EXPIRED_DOCUMENT')?.code).toBe('DOCUMENT_EXPIRED');
    expect(YOTI_REASONS.every((r) => r.source === 'yoti')).toBe(true);
    expect(c.get('OTHER_SECURITY_FEATURES')).toMatchObject({ label: 'Security features failed', category: 'fraud', kind: 'final' });
    expect(c.get('OTHER_SECURITY_FEATURES')?.text).not.toMatch(/\n/);
  });

  test('final vs retry: what Yoti rejects stands; what it could not do the person can capture again', () => {
    const c = reasonCatalogue();
    expect(c.get('TAMPERED')?.kind).toBe('final');
    expect(c.get('PHOTO_TOO_BLURRY')).toMatchObject({ kind: 'retry', decisions: ['REQUEST_RESUBMISSION', 'ESCALATE'] });
    expect(c.get('POOR_IMAGE_QUALITY')?.kind).toBe('retry');
    expect(c.get('SUSPECTED_FRAUD')?.kind).toBe('final');
  });

  test("a Yoti code that means a console reason is stored as the console's code; unknown codes list only the canonical ones", () => {
    const c = reasonCatalogue();
    const fields = mergeInput(fieldsOf(null), { reasonCodes: ['EXPIRED_DOCUMENT', 'DOCUMENT_EXPIRED', 'DIFFERENT_PERSON'] }, c);
    expect(fields.reasonCodes).toEqual(['DOCUMENT_EXPIRED', 'FACE_MISMATCH']);
    expect(() => mergeInput(fieldsOf(null), { reasonCodes: ['MADE_UP'] }, c)).toThrow(/Valid codes: DOCUMENT_EXPIRED, .*TAMPERED/);
    const message = (() => {
      try {
        mergeInput(fieldsOf(null), { reasonCodes: ['MADE_UP'] }, c);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).not.toMatch(/\bEXPIRED_DOCUMENT\b/);
  });

  test('configurable: add, rename, disable; a decision lists its own reasons first', () => {
    const c = reasonCatalogue([
      { code: 'ADDRESS_MISMATCH', text: 'The address does not match' },
      { code: 'UNDERAGE', text: 'Under 18' },
      { code: 'LIVENESS_DOUBT', disabled: true },
    ]);
    expect(c.get('ADDRESS_MISMATCH')).toMatchObject({ text: 'The address does not match', label: 'The address does not match', source: 'reviewer', aliases: [] });
    expect(c.get('UNDERAGE')).toMatchObject({ text: 'Under 18', label: 'Under 18' });
    expect(c.has('LIVENESS_DOUBT')).toBe(false);
    expect(c.forDecision('ESCALATE')[0]?.decisions).toContain('ESCALATE');
    expect(c.forDecision('ESCALATE').length).toBe(c.reasons.length);
  });
});

import { describe, expect, test } from 'vitest';
import { REVIEW_REASONS, REVIEWER_REASONS, reasonCatalogue, YOTI_REASONS } from '../../../main/core/review/reasons';
import { REASON_CATALOGUE } from '../../../common/session/reasons';

describe('reason catalogue', () => {
  test('the reviewer reasons the issue asks for, each with a text', () => {
    const codes = REVIEWER_REASONS.map((r) => r.code);
    for (const c of ['DOCUMENT_EXPIRED', 'FACE_MISMATCH', 'POOR_IMAGE_QUALITY', 'SUSPECTED_FRAUD', 'DATA_MISMATCH', 'UNDERAGE', 'NEEDS_SECOND_OPINION']) {
      expect(codes).toContain(c);
    }
    for (const r of REVIEW_REASONS) expect(r.text.trim().length).toBeGreaterThan(3);
  });

  test("seeded from every one of Yoti's reason codes, each once, with Yoti's words", () => {
    const yoti = new Set(Object.values(REASON_CATALOGUE).flatMap((list) => list.map((e) => e.code)));
    const ours = new Map(REVIEW_REASONS.map((r) => [r.code, r]));
    for (const code of yoti) expect(ours.has(code), code).toBe(true);
    expect(new Set(REVIEW_REASONS.map((r) => r.code)).size).toBe(REVIEW_REASONS.length);
    expect(YOTI_REASONS.every((r) => r.source === 'yoti')).toBe(true);
    expect(ours.get('EXPIRED_DOCUMENT')?.text).toBe('The document has expired');
    expect(ours.get('OTHER_SECURITY_FEATURES')?.text).not.toMatch(/\n/);
  });

  test('configurable: add, rename, disable; a decision lists its own reasons first', () => {
    const c = reasonCatalogue([
      { code: 'ADDRESS_MISMATCH', text: 'The address does not match' },
      { code: 'UNDERAGE', text: 'Under 18' },
      { code: 'LIVENESS_DOUBT', disabled: true },
    ]);
    expect(c.get('ADDRESS_MISMATCH')).toMatchObject({ text: 'The address does not match', source: 'reviewer' });
    expect(c.get('UNDERAGE')?.text).toBe('Under 18');
    expect(c.has('LIVENESS_DOUBT')).toBe(false);
    expect(c.forDecision('ESCALATE')[0]?.decisions).toContain('ESCALATE');
    expect(c.forDecision('ESCALATE').length).toBe(c.reasons.length);
  });
});

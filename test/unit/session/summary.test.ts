import { describe, expect, test } from 'vitest';
import { parseSession } from '../../../main/core/session/parse';
import { overallRecommendation, summarizeSession } from '../../../main/core/session/summary';
import { load, thrown } from './load';

let typeCounter = 0;
// Each call is a different check type, unless a type is given (then it is a retry of that type).
const check = (state: string | undefined, value?: string, type = `CHECK_TYPE_${typeCounter++}`): Record<string, unknown> =>
  value === undefined ? { type, state } : { type, state, report: { recommendation: { value } } };
const overall = (...checks: Record<string, unknown>[]): string => overallRecommendation(parseSession({ checks }).session);

describe('overallRecommendation', () => {
  test('a retried check counts by its latest attempt', () => {
    expect(overall(check('DONE', 'REJECT', 'LIVENESS'), check('DONE', 'APPROVE', 'LIVENESS'))).toBe('APPROVE');
    expect(overall(check('DONE', 'APPROVE', 'LIVENESS'), check('DONE', 'REJECT', 'LIVENESS'))).toBe('REJECT');
    expect(overall(check('DONE', 'REJECT', 'LIVENESS'), check('PENDING', undefined, 'LIVENESS'))).toBe('PENDING');
  });

  test('REJECT if any DONE check rejects', () => {
    expect(overall(check('DONE', 'APPROVE'), check('DONE', 'REJECT'), check('DONE', 'NOT_AVAILABLE'))).toBe('REJECT');
  });
  test('else NOT_AVAILABLE if any DONE check is not available', () => {
    expect(overall(check('DONE', 'APPROVE'), check('DONE', 'NOT_AVAILABLE'), check('PENDING'))).toBe('NOT_AVAILABLE');
  });
  test('else APPROVE when every check is DONE and approves', () => {
    expect(overall(check('DONE', 'APPROVE'), check('DONE', 'APPROVE'))).toBe('APPROVE');
  });
  test('else PENDING: unfinished checks, no checks, unknown recommendations, or a recommendation on an unfinished check', () => {
    expect(overall(check('DONE', 'APPROVE'), check('PENDING'))).toBe('PENDING');
    expect(overall()).toBe('PENDING');
    expect(overall(check('DONE', 'CONSIDER'))).toBe('PENDING');
    expect(overall(check('DONE'))).toBe('PENDING');
    expect(overall(check('PENDING', 'REJECT'))).toBe('PENDING');
    expect(overall(check('INTERNAL_ERROR'))).toBe('PENDING');
  });
});

describe('summarizeSession', () => {
  test('session facts', () => {
    const s = summarizeSession(load('full-coverage.json').session);
    expect(s).toMatchObject({
      sessionId: '5e551090-0000-4000-8000-00000000000a',
      state: { value: 'COMPLETED' },
      tokenTtlSeconds: 599,
      tokenExpired: false,
      userTrackingId: '05e7a0c0-0000-4000-8000-00000000000a',
      biometricConsent: '2024-05-03T08:00:00Z',
      overall: { value: 'PENDING' },
    });
    expect(s.media).toHaveLength(25);
    expect(s.documents.map((d) => [d.label, d.kind, d.fields?.source])).toEqual([
      ['Document 1', 'ID_DOCUMENT', 'TEXT_DATA_CHECK'],
      ['Supplementary document 1', 'SUPPLEMENTARY_DOCUMENT', 'TEXT_DATA_CHECK'],
    ]);
    expect(summarizeSession(load('text-data-check-replaces-fields.json').session).tokenExpired).toBe(true);
    expect(JSON.stringify(s)).not.toContain('70ce0000'); // the client session token is never in the summary
  });

  test('a liveness retry: both attempts listed, the rejected one among the warnings, overall by the latest attempt', () => {
    const s = summarizeSession(load('liveness-retry.json').session);
    expect(s.overall.value).toBe('APPROVE');
    expect(s.checks.map((c) => [c.label, c.recommendation.value])).toEqual([
      ['Liveness (attempt 1 of 2)', 'REJECT'],
      ['Liveness (attempt 2 of 2)', 'APPROVE'],
      ['Document authenticity', 'APPROVE'],
      ['Face match (document photo vs. person)', 'APPROVE'],
    ]);
    expect(s.warnings).toEqual([
      { kind: 'CHECK_REJECTED', text: 'Liveness (attempt 1 of 2) — rejected', checkIndex: 0, checkId: 'c4ec0000-0000-4000-8000-000000000051' },
      { kind: 'SUB_CHECK_FAILED', text: 'Liveness (attempt 1 of 2) — failed: A live person was present', checkIndex: 0, checkId: 'c4ec0000-0000-4000-8000-000000000051' },
    ]);
    expect(s.liveness.map((l) => [l.label, l.frames, l.capturedFrames, l.checks.map((c) => c.recommendation)])).toEqual([
      ['Liveness 1', 3, 1, ['REJECT']],
      ['Liveness 2', 3, 2, ['APPROVE', 'APPROVE']],
    ]);
  });

  test('reasons and recovery suggestions in words; not-available warnings', () => {
    const { session } = parseSession({
      checks: [
        { type: 'ID_DOCUMENT_AUTHENTICITY', id: 'x', state: 'DONE', resources_used: [],
          report: { recommendation: { value: 'NOT_AVAILABLE', reason: 'PICTURE_TOO_DARK', recovery_suggestion: 'BETTER_LIGHTING' },
            breakdown: [{ sub_check: 'issuing_authority_verification', result: 'PASS', process: 'AUTOMATED' }] } },
      ],
    });
    const s = summarizeSession(session);
    expect(s.overall.value).toBe('NOT_AVAILABLE');
    expect(s.checks[0]).toMatchObject({
      recommendation: { value: 'NOT_AVAILABLE', text: 'Not available (the check could not be done)' },
      reason: { code: 'PICTURE_TOO_DARK', text: 'The picture is too dark', known: true },
      recoverySuggestion: { code: 'BETTER_LIGHTING', text: 'Retake the photo in better lighting', known: true },
      subChecks: [{ name: { text: 'Issuing authority verification' }, result: { text: 'Pass' }, process: { text: 'Automated' }, failed: false, details: [] }],
      warning: true,
    });
    expect(s.warnings.map((w) => w.text)).toEqual([
      'Document authenticity — could not be done: The picture is too dark; suggestion: Retake the photo in better lighting',
    ]);
  });

  test('face matches not above the threshold warn; the threshold is configurable and validated', () => {
    const { session } = load('face-match-below-threshold.json');
    const s = summarizeSession(session);
    expect(s.warnings.filter((w) => w.kind === 'FACE_MATCH_NOT_ABOVE_THRESHOLD').map((w) => w.text)).toEqual([
      'Face match (document photo vs. person) (attempt 1 of 3) — confidence score 0.42 is not above 0.7',
      'Face match (document photo vs. person) (attempt 2 of 3) — confidence score 0.7 is not above 0.7',
      'Face match (document photo vs. person) (attempt 3 of 3) — confidence score "n/a" is not a number from 0 to 1',
    ]);
    expect(s.warnings.map((w) => w.kind)).toEqual([
      'CHECK_REJECTED', 'CHECK_NOT_AVAILABLE', 'SUB_CHECK_FAILED', 'SUB_CHECK_FAILED', 'SUB_CHECK_FAILED',
      'FACE_MATCH_NOT_ABOVE_THRESHOLD', 'FACE_MATCH_NOT_ABOVE_THRESHOLD', 'FACE_MATCH_NOT_ABOVE_THRESHOLD',
    ]);
    expect(s.checks[0]!.reason).toMatchObject({ text: 'Different person is detected from ID.', recommendation: 'REJECT' });
    const lenient = summarizeSession(session, { faceMatchThreshold: 0.4 });
    expect(lenient.faceMatches.map((f) => f.aboveThreshold)).toEqual([true, true, false]);
    expect(thrown(() => summarizeSession(session, { faceMatchThreshold: 2 }))).toMatchObject({ code: 'INVALID_THRESHOLD' });
  });

  test('parse problems, missing resources and internal errors are warnings too', () => {
    const { session, problems } = load('messy-damaged.json');
    const s = summarizeSession(session, { problems });
    expect(s.problems).toHaveLength(15);
    expect(s.warnings.at(-1)).toEqual({ kind: 'SESSION_PARTS_UNREADABLE', text: '15 parts of the session could not be read and were left out' });
    const other = summarizeSession(parseSession({ checks: [{ type: 'LIVENESS', id: 'l', state: 'INTERNAL_ERROR', resources_used: ['gone'] }] }).session);
    expect(other.warnings.map((w) => w.kind)).toEqual(['CHECK_INTERNAL_ERROR', 'MISSING_RESOURCE']);
    expect(other.warnings[1]!.text).toBe('Liveness — used resource gone, which is not in the session');
  });

  test('unknown values are shown verbatim, and the summary is pure', () => {
    const { session } = load('messy-unknown-types.json');
    const before = JSON.stringify(session);
    const s = summarizeSession(session);
    expect(JSON.stringify(session)).toBe(before);
    expect(summarizeSession(session)).toEqual(s);
    expect(s.state).toEqual({ value: 'ARCHIVED', text: 'ARCHIVED' });
    expect(s.checks[0]).toMatchObject({
      type: { value: 'VOICE_MATCH', text: 'VOICE_MATCH' },
      state: { text: 'ESCALATED' },
      recommendation: { text: 'Consider (look closer)' },
      reason: { code: 'VOICE_MISMATCH_SUSPECTED', text: 'VOICE_MISMATCH_SUSPECTED', known: false },
      recoverySuggestion: { text: 'SPEAK_CLEARLY', known: false },
      subChecks: [{ name: { text: 'voice_timbre' }, result: { text: 'INCONCLUSIVE' }, process: { text: 'NEURAL' }, failed: false, details: [{ name: 'similarity', value: '0.4' }] }],
    });
    expect(s.liveness[0]!.livenessType).toEqual({ value: 'HOLOGRAPHIC', text: 'HOLOGRAPHIC' });
    expect(s.tokenExpired).toBe(true);
  });

  test('hostile strings pass through untouched (escaping is the renderer\'s job)', () => {
    const s = summarizeSession(load('hostile-html-strings.json').session);
    expect(s.state.text).toBe('<img src=x onerror=alert(1)>');
    expect(s.checks[0]!.type.text).toBe("<script>alert('type')</script>");
    expect(s.checks[0]!.reason).toEqual({ code: 'constructor', text: 'constructor', known: false });
  });

  test('an empty session', () => {
    const s = summarizeSession(parseSession('{}').session);
    expect(s).toMatchObject({ overall: { value: 'PENDING' }, warnings: [], checks: [], media: [], documents: [], liveness: [], state: { text: 'Not given' } });
  });
});

import { describe, expect, test } from 'vitest';
import { parseSession } from '../../../common/session/parse';
import { overallRecommendation } from '../../../common/session/overall';
import { summarizeSession } from '../../../common/session/summary';
import { load, thrown } from './load';

const KNOWN_TYPES = ['ID_DOCUMENT_AUTHENTICITY', 'ID_DOCUMENT_FACE_MATCH', 'LIVENESS', 'WATCHLIST_SCREENING', 'ID_DOCUMENT_TEXT_DATA_CHECK'];
let typeCounter = 0;
// Each call is a different (known) check type, unless a type is given (then it is a retry of that type).
const check = (state: string | undefined, value?: string, type = KNOWN_TYPES[typeCounter++ % KNOWN_TYPES.length]): Record<string, unknown> =>
  value === undefined ? { type, state } : { type, state, report: { recommendation: { value } } };
const overall = (...checks: Record<string, unknown>[]): string => {
  typeCounter = 0;
  return overallRecommendation(parseSession({ state: 'COMPLETED', checks }).session);
};
const overallIn = (state: string | undefined, ...checks: Record<string, unknown>[]): string => {
  typeCounter = 0;
  return overallRecommendation(parseSession({ state, checks }).session);
};

describe('overallRecommendation', () => {
  test('a retried check counts by its latest attempt', () => {
    expect(overall(check('DONE', 'REJECT', 'LIVENESS'), check('DONE', 'APPROVE', 'LIVENESS'))).toBe('APPROVE');
    expect(overall(check('DONE', 'APPROVE', 'LIVENESS'), check('DONE', 'REJECT', 'LIVENESS'))).toBe('REJECT');
    expect(overall(check('DONE', 'REJECT', 'LIVENESS'), check('PENDING', undefined, 'LIVENESS'))).toBe('PENDING');
  });

  test('REJECT if any DONE check rejects, even while Yoti is still working on others', () => {
    expect(overall(check('DONE', 'APPROVE'), check('DONE', 'REJECT'), check('DONE', 'NOT_AVAILABLE'))).toBe('REJECT');
    expect(overallIn('ONGOING', check('DONE', 'REJECT'), check('PENDING'))).toBe('REJECT');
  });
  test('APPROVE only when every check is DONE, of a known type, and approves', () => {
    expect(overall(check('DONE', 'APPROVE'), check('DONE', 'APPROVE'))).toBe('APPROVE');
    expect(overall(check('DONE', 'APPROVE'), { type: 'VOICE_MATCH', state: 'DONE', report: { recommendation: { value: 'APPROVE' } } })).toBe('NEEDS_ATTENTION');
  });
  test('PENDING only while Yoti is still working: session ONGOING or a check not finished', () => {
    expect(overall(check('DONE', 'APPROVE'), check('PENDING'))).toBe('PENDING');
    expect(overall(check('DONE', 'APPROVE'), check('CREATED'), check('READY'))).toBe('PENDING');
    expect(overallIn('ONGOING', check('DONE', 'APPROVE'))).toBe('PENDING');
    expect(overallIn('ONGOING')).toBe('PENDING');
    expect(overall(check('PENDING', 'REJECT'))).toBe('PENDING'); // a recommendation on an unfinished check does not count
  });
  test('anything else needs attention, never clean and never pending once Yoti has finished', () => {
    expect(overall(check('DONE', 'APPROVE'), check('DONE', 'CONSIDER'))).toBe('NEEDS_ATTENTION');
    expect(overall(check('DONE', 'APPROVE'), check('DONE', 'NOT_AVAILABLE'))).toBe('NEEDS_ATTENTION');
    expect(overall(check('DONE', 'SOMETHING_NEW'))).toBe('NEEDS_ATTENTION');
    expect(overall(check('DONE'))).toBe('NEEDS_ATTENTION');
    expect(overall(check('INTERNAL_ERROR'))).toBe('NEEDS_ATTENTION');
    expect(overall(check('ESCALATED', 'APPROVE'))).toBe('NEEDS_ATTENTION');
    expect(overall()).toBe('NEEDS_ATTENTION');
    expect(overallIn('EXPIRED', check('PENDING'))).toBe('PENDING'); // a check still pending: Yoti never finished it
    expect(overallIn('EXPIRED')).toBe('NEEDS_ATTENTION');
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
      {
        kind: 'CHECK_REJECTED',
        severity: 'notice',
        text: 'Liveness (attempt 1 of 2): Yoti rejects (a later attempt counts)',
        details: ['Failed: A live person was present'],
        checkIndex: 0,
        checkId: 'c4ec0000-0000-4000-8000-000000000051',
      },
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
    expect(s.overall).toEqual({ value: 'NEEDS_ATTENTION', text: 'Needs attention: Document authenticity says Not available (the check could not be done)' });
    expect(s.checks[0]).toMatchObject({
      recommendation: { value: 'NOT_AVAILABLE', text: 'Not available (the check could not be done)' },
      reason: { code: 'PICTURE_TOO_DARK', text: 'The picture is too dark', known: true },
      recoverySuggestion: { code: 'BETTER_LIGHTING', text: 'Retake the photo in better lighting', known: true },
      subChecks: [{ name: { text: 'Issuing authority verification' }, result: { text: 'Pass' }, process: { text: 'Automated' }, failed: false, details: [] }],
      warning: true,
    });
    expect(s.warnings).toEqual([
      {
        kind: 'CHECK_NOT_AVAILABLE',
        severity: 'warning',
        text: 'Document authenticity: could not be done: The picture is too dark',
        details: ['What the user can do: Retake the photo in better lighting'],
        checkIndex: 0,
        checkId: 'x',
      },
    ]);
  });

  test('face matches not above the threshold warn; the threshold is configurable and validated', () => {
    const { session } = load('face-match-below-threshold.json');
    const s = summarizeSession(session);
    // one warning per attempt; the earlier attempts are notices, the counted one (not available) a warning
    expect(s.warnings.map((w) => [w.severity, w.kind, w.text, w.details])).toEqual([
      [
        'warning',
        'CHECK_NOT_AVAILABLE',
        'Face match (document photo vs. person) (attempt 3 of 3): could not be done: No face detected',
        ['Failed: Face match by machine (AI)', 'AI confidence score "n/a" is not a number from 0 to 1'],
      ],
      [
        'notice',
        'CHECK_REJECTED',
        'Face match (document photo vs. person) (attempt 1 of 3): Yoti rejects: Different person is detected from ID. (a later attempt counts)',
        ['Failed: Face match by a person (manual)', 'Failed: Face match by machine (AI)', 'AI confidence score 0.42, not above the threshold 0.70'],
      ],
      [
        'notice',
        'CONTRADICTION',
        'Face match (document photo vs. person) (attempt 2 of 3): the AI face match passed, yet its confidence score 0.70 is not above the threshold 0.70',
        undefined,
      ],
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
    expect(s.warnings.at(-1)).toEqual({ kind: 'SESSION_PARTS_UNREADABLE', severity: 'warning', text: '15 parts of the session could not be read and were left out' });
    const other = summarizeSession(parseSession({ checks: [{ type: 'LIVENESS', id: 'l', state: 'INTERNAL_ERROR', resources_used: ['gone'] }] }).session);
    expect(other.warnings.map((w) => w.kind)).toEqual(['CHECK_INTERNAL_ERROR', 'MISSING_RESOURCE']);
    expect(other.warnings[1]!.text).toBe('Liveness: used resource gone, which is not in the session');
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
      reason: { code: 'VOICE_MISMATCH_SUSPECTED', text: 'VOICE_MISMATCH_SUSPECTED (no description)', known: false },
      recoverySuggestion: { text: 'SPEAK_CLEARLY (no description)', known: false },
      subChecks: [{ name: { text: 'voice_timbre' }, result: { text: 'INCONCLUSIVE' }, process: { text: 'NEURAL' }, failed: false, details: [{ name: 'similarity', value: '0.4' }] }],
    });
    expect(s.liveness[0]!.livenessType).toEqual({ value: 'HOLOGRAPHIC', text: 'HOLOGRAPHIC' });
    expect(s.tokenExpired).toBe(true);
  });

  test('hostile strings pass through untouched (escaping is the renderer\'s job)', () => {
    const s = summarizeSession(load('hostile-html-strings.json').session);
    expect(s.state.text).toBe('<img src=x onerror=alert(1)>');
    expect(s.checks[0]!.type.text).toBe("<script>alert('type')</script>");
    expect(s.checks[0]!.reason).toEqual({ code: 'constructor', text: 'constructor (no description)', known: false });
  });

  test('a document page uploaded as a file, not captured live, is a warning on every surface, naming the pages', () => {
    const page = (method: string) => ({ capture_method: method, media: { id: `m-${method}-${Math.random().toString(16).slice(2, 8)}`, type: 'IMAGE' } });
    const s = summarizeSession(
      parseSession({ state: 'COMPLETED', resources: { id_documents: [{ id: 'd1', pages: [page('CAMERA'), page('UPLOAD')] }, { id: 'd2', pages: [page('CAMERA')] }] }, checks: [] }).session,
    );
    expect(s.warnings.filter((w) => w.kind === 'DOCUMENT_UPLOADED')).toEqual([
      { kind: 'DOCUMENT_UPLOADED', severity: 'warning', text: 'Document 1 page 2 was uploaded as a file, not captured live with the camera' },
    ]);
    expect(s.media.filter((m) => m.role === 'DOCUMENT_PAGE').map((m) => m.captureMethod)).toEqual(['CAMERA', 'UPLOAD', 'CAMERA']);
  });

  test('an empty session', () => {
    const s = summarizeSession(parseSession('{}').session);
    expect(s).toMatchObject({ overall: { value: 'NEEDS_ATTENTION' }, yotiFinished: false, status: { value: 'NO_CHECKS' }, warnings: [], checks: [], media: [], documents: [], liveness: [], state: { text: 'Not given' } });
  });
});

import { describe, expect, test } from 'vitest';
import { changedFields, correctedDocuments, readChangedFields } from '../../../common/session/changed-fields';
import { overallResult, yotiProgress } from '../../../common/session/overall';
import { parseSession } from '../../../common/session/parse';
import { reviewStatus } from '../../../common/session/review-status';
import { summarizeSession } from '../../../common/session/summary';
import { fixtureNames, load } from './load';

/**
 * The review status, Yoti's overall result and the warnings, pinned for every session fixture and for
 * crafted sessions: what the queue, the header, the summary, `idv-review list` / `show` and the PDF show.
 */

type Pinned = { overall: string; yotiFinished: boolean; status: string; warnings: Array<[string, string, string]> };

const PINNED: Record<string, Pinned> = {
  'docs-01-full-session.json': {
    overall: "APPROVE",
    yotiFinished: true,
    status: "READY",
    warnings: [],
  },
  'docs-02-retrieved-state.json': {
    overall: "PENDING",
    yotiFinished: false,
    status: "YOTI_WORKING",
    warnings: [
      ["warning", "YOTI_NOT_FINISHED", "Yoti is still working: the session is still ongoing"]
    ],
  },
  'docs-03-authenticity-approve.json': {
    overall: "APPROVE",
    yotiFinished: false,
    status: "READY",
    warnings: [
      ["warning", "MISSING_RESOURCE", "Document authenticity: used resource d0c00000-0000-4000-8000-000000000001, which is not in the session"]
    ],
  },
  'docs-04-authenticity-reject.json': {
    overall: "REJECT",
    yotiFinished: false,
    status: "READY",
    warnings: [
      ["critical", "CHECK_REJECTED", "Document authenticity: Yoti rejects: The document has expired"],
      ["warning", "MISSING_RESOURCE", "Document authenticity: used resource d0c00000-0000-4000-8000-000000000001, which is not in the session"]
    ],
  },
  'docs-05-authenticity-not-available.json': {
    overall: "NEEDS_ATTENTION",
    yotiFinished: false,
    status: "YOTI_COULD_NOT_FINISH",
    warnings: [
      ["warning", "CHECK_NOT_AVAILABLE", "Document authenticity: could not be done: The picture is too dark"],
      ["warning", "MISSING_RESOURCE", "Document authenticity: used resource d0c00000-0000-4000-8000-000000000001, which is not in the session"]
    ],
  },
  'docs-06-liveness-check.json': {
    overall: "APPROVE",
    yotiFinished: false,
    status: "READY",
    warnings: [
      ["warning", "MISSING_RESOURCE", "Liveness: used resource 11fe0000-0000-4000-8000-000000000001, which is not in the session"]
    ],
  },
  'docs-07-face-match-check.json': {
    overall: "NEEDS_ATTENTION",
    yotiFinished: false,
    status: "NO_CHECKS",
    warnings: [],
  },
  'docs-08-text-data-check.json': {
    overall: "NEEDS_ATTENTION",
    yotiFinished: false,
    status: "NO_CHECKS",
    warnings: [],
  },
  'docs-09-tasks-fragment.json': {
    overall: "NEEDS_ATTENTION",
    yotiFinished: false,
    status: "NO_CHECKS",
    warnings: [],
  },
  'docs-10-id-documents-fragment.json': {
    overall: "NEEDS_ATTENTION",
    yotiFinished: false,
    status: "NO_CHECKS",
    warnings: [],
  },
  'docs-11-liveness-capture-fragment.json': {
    overall: "NEEDS_ATTENTION",
    yotiFinished: false,
    status: "NO_CHECKS",
    warnings: [],
  },
  'docs-12-document-fields-content.json': {
    overall: "NEEDS_ATTENTION",
    yotiFinished: false,
    status: "NO_CHECKS",
    warnings: [],
  },
  'face-match-below-threshold.json': {
    overall: "NEEDS_ATTENTION",
    yotiFinished: true,
    status: "YOTI_COULD_NOT_FINISH",
    warnings: [
      ["warning", "CHECK_NOT_AVAILABLE", "Face match (document photo vs. person) (attempt 3 of 3): could not be done: No face detected"],
      ["notice", "CHECK_REJECTED", "Face match (document photo vs. person) (attempt 1 of 3): Yoti rejects: Different person is detected from ID. (a later attempt counts)"],
      ["notice", "CONTRADICTION", "Face match (document photo vs. person) (attempt 2 of 3): the AI face match passed, yet its confidence score 0.70 is not above the threshold 0.70"]
    ],
  },
  'full-coverage.json': {
    overall: "PENDING",
    yotiFinished: false,
    status: "YOTI_WORKING",
    warnings: [
      ["warning", "YOTI_NOT_FINISHED", "Yoti is still working: 1 check not done yet"],
      ["warning", "CHECK_CONSIDER", "Watchlist screening (advanced): Yoti says look closer (Consider)"]
    ],
  },
  'hostile-html-strings.json': {
    overall: "REJECT",
    yotiFinished: false,
    status: "READY",
    warnings: [
      ["critical", "CHECK_REJECTED", "<script>alert('type')</script>: Yoti rejects: constructor (no description)"],
      ["warning", "MISSING_RESOURCE", "<script>alert('type')</script>: used resource <missing>, which is not in the session"],
      ["warning", "SESSION_PARTS_UNREADABLE", "1 part of the session could not be read and was left out"]
    ],
  },
  'hostile-huge-arrays.json': {
    overall: "APPROVE",
    yotiFinished: true,
    status: "READY",
    warnings: [
      ["warning", "SESSION_PARTS_UNREADABLE", "2 parts of the session could not be read and were left out"]
    ],
  },
  'liveness-retry.json': {
    overall: "APPROVE",
    yotiFinished: true,
    status: "READY",
    warnings: [
      ["notice", "CHECK_REJECTED", "Liveness (attempt 1 of 2): Yoti rejects (a later attempt counts)"]
    ],
  },
  'messy-damaged.json': {
    overall: "NEEDS_ATTENTION",
    yotiFinished: true,
    status: "READY",
    warnings: [
      ["warning", "CHECK_RESULT_UNKNOWN", "Liveness: done, but gives no result"],
      ["warning", "SESSION_PARTS_UNREADABLE", "15 parts of the session could not be read and were left out"]
    ],
  },
  'messy-nulls.json': {
    overall: "NEEDS_ATTENTION",
    yotiFinished: false,
    status: "READY",
    warnings: [
      ["warning", "CHECK_RESULT_UNKNOWN", "Not given: no state given, so no result"]
    ],
  },
  'messy-unknown-types.json': {
    overall: "NEEDS_ATTENTION",
    yotiFinished: false,
    status: "READY",
    warnings: [
      ["warning", "CHECK_RESULT_UNKNOWN", "VOICE_MATCH: in a state this console does not know, ESCALATED (no description)"]
    ],
  },
  'static-liveness.json': {
    overall: "APPROVE",
    yotiFinished: true,
    status: "READY",
    warnings: [],
  },
  'text-data-check-replaces-fields.json': {
    overall: "APPROVE",
    yotiFinished: true,
    status: "READY",
    warnings: [
      ["notice", "CHECK_NOT_AVAILABLE", "Document text check (manual) (attempt 1 of 3): could not be done: The photo is blurry (a later attempt counts)"]
    ],
  },
};

describe('every session fixture', () => {
  const names = fixtureNames();
  test('each one is pinned here (a new fixture must be added)', () => {
    expect(names.filter((n) => n !== 'hostile-deep-nesting.json').sort()).toEqual(Object.keys(PINNED).sort());
    expect(() => load('hostile-deep-nesting.json')).toThrow(/nests deeper/);
  });
  for (const name of Object.keys(PINNED)) {
    test(name, () => {
      const { session, problems } = load(name);
      const s = summarizeSession(session, { problems });
      expect({
        overall: s.overall.value,
        yotiFinished: s.yotiFinished,
        status: s.status.value,
        warnings: s.warnings.map((w) => [w.severity, w.kind, w.text]),
      }).toEqual(PINNED[name]);
    });
  }
});

const APPROVED_AUTHENTICITY = { type: 'ID_DOCUMENT_AUTHENTICITY', id: 'a', state: 'DONE', report: { recommendation: { value: 'APPROVE' }, breakdown: [{ sub_check: 'document_in_date', result: 'PASS' }] } };
const faceMatch = (value: string, ai: { result: string; score?: string }, manual?: string): Record<string, unknown> => ({
  type: 'ID_DOCUMENT_FACE_MATCH',
  id: 'fm',
  state: 'DONE',
  report: {
    recommendation: { value },
    breakdown: [
      { sub_check: 'ai_face_match', result: ai.result, details: ai.score === undefined ? [] : [{ name: 'confidence_score', value: ai.score }] },
      ...(manual === undefined ? [] : [{ sub_check: 'manual_face_match', result: manual }]),
    ],
  },
});
const summaryOf = (checks: Record<string, unknown>[], state: string | undefined = 'COMPLETED') => summarizeSession(parseSession({ state, checks }).session);
const brief = (checks: Record<string, unknown>[], state?: string) => {
  const s = summaryOf(checks, state);
  return { overall: s.overall, yotiFinished: s.yotiFinished, status: s.status.value, warnings: s.warnings.map((w) => [w.severity, w.kind, w.text, w.details]) };
};

describe('crafted sessions', () => {
  test('CONSIDER (a watchlist potential match) needs attention and is a warning, never "no warnings" or "pending"', () => {
    const watchlist = { type: 'WATCHLIST_SCREENING', id: 'w', state: 'DONE', report: { recommendation: { value: 'CONSIDER', reason: 'POTENTIAL_MATCH' } } };
    expect(brief([APPROVED_AUTHENTICITY, watchlist])).toEqual({
      overall: { value: 'NEEDS_ATTENTION', text: 'Needs attention: Watchlist screening says Consider (look closer)' },
      yotiFinished: true,
      status: 'READY',
      warnings: [['warning', 'CHECK_CONSIDER', 'Watchlist screening: Yoti says look closer (Consider): POTENTIAL_MATCH (no description)', undefined]],
    });
  });

  test('an unknown recommendation and an unknown check type need attention, with the code and "no description"', () => {
    const unknownValue = { type: 'LIVENESS', id: 'l', state: 'DONE', report: { recommendation: { value: 'MAYBE' } } };
    const unknownType = { type: 'VOICE_MATCH', id: 'v', state: 'DONE', report: { recommendation: { value: 'APPROVE' } } };
    expect(brief([APPROVED_AUTHENTICITY, unknownValue, unknownType])).toEqual({
      overall: {
        value: 'NEEDS_ATTENTION',
        text: 'Needs attention: Liveness gives a result this console does not know, MAYBE (no description); VOICE_MATCH: a check type this console does not know',
      },
      yotiFinished: true,
      status: 'READY',
      warnings: [
        ['warning', 'CHECK_RESULT_UNKNOWN', 'Liveness: a result this console does not know, MAYBE (no description)', undefined],
        ['warning', 'CHECK_TYPE_UNKNOWN', 'VOICE_MATCH: a check type this console does not know; Yoti approves it', undefined],
      ],
    });
  });

  test('NOT_AVAILABLE: Yoti could not finish; reason and recovery in words, failed sub-checks under the one warning', () => {
    const text = {
      type: 'ID_DOCUMENT_TEXT_DATA_CHECK', id: 't', state: 'DONE',
      report: { recommendation: { value: 'NOT_AVAILABLE', reason: 'PHOTO_TOO_BLURRY', recovery_suggestion: 'BETTER_FOCUS' }, breakdown: [{ sub_check: 'text_data_readable', result: 'FAIL' }] },
    };
    const b = brief([APPROVED_AUTHENTICITY, text]);
    expect(b).toEqual({
      overall: { value: 'NEEDS_ATTENTION', text: 'Needs attention: Document text check (manual) says Not available (the check could not be done)' },
      yotiFinished: true,
      status: 'YOTI_COULD_NOT_FINISH',
      warnings: [
        ['warning', 'CHECK_NOT_AVAILABLE', 'Document text check (manual): could not be done: The photo is blurry', ['Failed: Text on the document is readable', 'What the user can do: Retake the photo in focus']],
      ],
    });
    expect(JSON.stringify(b)).not.toMatch(/BETTER_FOCUS|PHOTO_TOO_BLURRY/);
  });

  test('INTERNAL_ERROR: Yoti could not finish, not finished, needs attention', () => {
    expect(brief([APPROVED_AUTHENTICITY, { type: 'LIVENESS', id: 'l', state: 'INTERNAL_ERROR' }])).toEqual({
      overall: { value: 'NEEDS_ATTENTION', text: 'Needs attention: Liveness failed at Yoti (internal error)' },
      yotiFinished: false,
      status: 'YOTI_COULD_NOT_FINISH',
      warnings: [['warning', 'CHECK_INTERNAL_ERROR', 'Liveness: failed at Yoti (internal error)', undefined]],
    });
  });

  test('pending checks: PENDING, Yoti still working, and said as a warning (never a green "no warnings")', () => {
    const pending = { type: 'LIVENESS', id: 'l', state: 'PENDING' };
    expect(brief([APPROVED_AUTHENTICITY, pending, { type: 'ID_DOCUMENT_FACE_MATCH', id: 'f', state: 'CREATED' }], 'ONGOING')).toEqual({
      overall: { value: 'PENDING', text: 'Pending: Yoti is still working (2 of 3 checks not done yet)' },
      yotiFinished: false,
      status: 'YOTI_WORKING',
      warnings: [['warning', 'YOTI_NOT_FINISHED', 'Yoti is still working: 2 checks not done yet', ['Liveness: Pending', 'Face match (document photo vs. person): Created']]],
    });
    // a COMPLETED session whose checks are done is never pending
    expect(summaryOf([APPROVED_AUTHENTICITY]).overall.value).toBe('APPROVE');
  });

  test('COMPLETED without checks says exactly that', () => {
    expect(brief([])).toEqual({
      overall: { value: 'NEEDS_ATTENTION', text: 'Needs attention: Yoti ran no checks on this session' },
      yotiFinished: true,
      status: 'NO_CHECKS',
      warnings: [['warning', 'NO_CHECKS', 'Yoti completed this session without running any check', undefined]],
    });
    expect(summaryOf([]).status.text).toBe('Completed with no checks: Yoti finished this session without running any check.');
  });

  test('an EXPIRED session: expired at Yoti', () => {
    const s = summaryOf([APPROVED_AUTHENTICITY, { type: 'LIVENESS', id: 'l', state: 'PENDING' }], 'EXPIRED');
    expect([s.status.value, s.yotiFinished, s.warnings[0]!.kind]).toEqual(['EXPIRED', false, 'SESSION_EXPIRED']);
  });

  describe('contradictions are warnings of their own', () => {
    test('the AI sub-check FAILs with a score of 1.00: a contradiction, not a pass', () => {
      expect(brief([APPROVED_AUTHENTICITY, faceMatch('APPROVE', { result: 'FAIL', score: '1.00' })]).warnings).toEqual([
        ['critical', 'CONTRADICTION', 'Face match (document photo vs. person): the AI face match failed, yet its confidence score 1.00 is above the threshold 0.70', undefined],
        ['critical', 'CONTRADICTION', 'Face match (document photo vs. person): Yoti approves, yet 1 sub-check failed: Face match by machine (AI)', undefined],
      ]);
    });
    test('the AI sub-check PASSes with a score below the threshold (said once)', () => {
      expect(brief([APPROVED_AUTHENTICITY, faceMatch('APPROVE', { result: 'PASS', score: '0.41' })]).warnings).toEqual([
        ['critical', 'CONTRADICTION', 'Face match (document photo vs. person): the AI face match passed, yet its confidence score 0.41 is not above the threshold 0.70', undefined],
      ]);
    });
    test('a low score with no AI verdict is the face match finding itself', () => {
      expect(brief([APPROVED_AUTHENTICITY, faceMatch('APPROVE', { result: 'INCONCLUSIVE', score: '0.41' })]).warnings).toEqual([
        ['critical', 'FACE_MATCH_NOT_ABOVE_THRESHOLD', 'Face match (document photo vs. person): Yoti approves, but the AI confidence score 0.41 is not above the threshold 0.70', undefined],
      ]);
    });
    test('AI and manual disagree', () => {
      expect(brief([APPROVED_AUTHENTICITY, faceMatch('REJECT', { result: 'PASS', score: '0.93' }, 'FAIL')]).warnings).toEqual([
        [
          'critical',
          'CHECK_REJECTED',
          'Face match (document photo vs. person): Yoti rejects',
          ['Failed: Face match by a person (manual)', 'AI confidence score 0.93, above the threshold 0.70'],
        ],
        ['critical', 'CONTRADICTION', 'Face match (document photo vs. person): the AI face match says pass, the manual face match says fail', undefined],
      ]);
    });
    test('APPROVE with failed sub-checks', () => {
      const auth = { ...APPROVED_AUTHENTICITY, report: { recommendation: { value: 'APPROVE' }, breakdown: [{ sub_check: 'document_in_date', result: 'FAIL' }, { sub_check: 'hologram', result: 'FAIL' }] } };
      expect(brief([auth]).warnings).toEqual([
        ['critical', 'CONTRADICTION', 'Document authenticity: Yoti approves, yet 2 sub-checks failed: Document is in date (not expired); Hologram is present', undefined],
      ]);
    });
    test('a field the text data check changed against the document: which field, both values', async () => {
      const { session } = load('text-data-check-replaces-fields.json');
      const [doc] = correctedDocuments(session);
      expect(doc).toBeDefined();
      const printed = { full_name: 'ROBIN ALEX SAMPLE', date_of_birth: '1988-03-01', structured_postal_address: { formatted_address: '1 Main St\nUtopia' } };
      const corrected = { full_name: 'ROBIN ALEX SAMPLE', date_of_birth: '1988-02-29', structured_postal_address: { formatted_address: '1 Main St\nUtopia' }, added: 'x' };
      const stored = new Map<string, Record<string, unknown>>([[doc!.printedMediaId, printed], [doc!.correctedMediaId, corrected]]);
      const changed = await readChangedFields(session, (id) => Promise.resolve(stored.get(id)));
      expect(changed).toEqual(changedFields(doc!, printed, corrected));
      const s = summarizeSession(session, { changedFields: changed });
      expect(s.warnings.filter((w) => w.kind === 'FIELD_CHANGED').map((w) => [w.severity, w.text, w.checkIndex])).toEqual([
        ['warning', `${doc!.label}: the manual text check changed date of birth from "1988-03-01" (as read from the document) to "1988-02-29"`, doc!.checkIndex],
      ]);
      // nothing stored to compare: no warning
      expect(await readChangedFields(session, () => Promise.resolve(undefined))).toEqual([]);
    });
  });

  test('warnings are ordered by severity: critical, then warning, then notice', () => {
    const s = summaryOf([
      { type: 'LIVENESS', id: 'l1', state: 'DONE', report: { recommendation: { value: 'REJECT' } } },
      { type: 'LIVENESS', id: 'l2', state: 'DONE', report: { recommendation: { value: 'APPROVE' } } },
      { type: 'WATCHLIST_SCREENING', id: 'w', state: 'DONE', report: { recommendation: { value: 'CONSIDER' } } },
      faceMatch('REJECT', { result: 'FAIL', score: '0.2' }),
    ]);
    expect(s.warnings.map((w) => [w.severity, w.checkId])).toEqual([['critical', 'fm'], ['warning', 'w'], ['notice', 'l1']]);
  });
});

describe('reviewStatus', () => {
  const progress = (checks: Record<string, unknown>[], state = 'COMPLETED') => yotiProgress(parseSession({ state, checks }).session);
  test('decided first, then gone at Yoti, then what Yoti says', () => {
    const ready = progress([APPROVED_AUTHENTICITY]);
    expect(reviewStatus({ yoti: ready }).value).toBe('READY');
    expect(reviewStatus({ yoti: ready, decided: true }).value).toBe('DECIDED');
    expect(reviewStatus({ yoti: ready, goneAtYoti: true })).toEqual({
      value: 'GONE_AT_YOTI',
      short: 'Gone at Yoti',
      text: 'Gone at Yoti: Yoti has no session with this id (deleted, or never created there).',
    });
    expect(reviewStatus({ goneAtYoti: true }).value).toBe('GONE_AT_YOTI');
    expect(reviewStatus({}).value).toBe('NOT_DOWNLOADED');
    expect(reviewStatus({ yoti: progress([], 'EXPIRED') }).value).toBe('EXPIRED');
    expect(reviewStatus({ yoti: progress([APPROVED_AUTHENTICITY], 'ONGOING') }).text).toBe('Yoti is still working: the session is still ongoing.');
    expect(reviewStatus({ yoti: progress([{ type: 'LIVENESS', state: 'INTERNAL_ERROR' }, { type: 'ID_DOCUMENT_AUTHENTICITY', state: 'DONE', report: { recommendation: { value: 'NOT_AVAILABLE' } } }]) }).text).toBe(
      'Yoti could not finish: 1 check failed at Yoti (internal error), 1 check could not be done (not available).',
    );
  });
  test('Yoti still working separates from could not finish, and a retry counts by its latest attempt', () => {
    expect(reviewStatus({ yoti: progress([{ type: 'LIVENESS', state: 'INTERNAL_ERROR' }, { type: 'LIVENESS', state: 'PENDING' }]) }).value).toBe('YOTI_WORKING');
    expect(reviewStatus({ yoti: progress([{ type: 'LIVENESS', state: 'INTERNAL_ERROR' }, { type: 'LIVENESS', state: 'DONE', report: { recommendation: { value: 'APPROVE' } } }]) }).value).toBe('READY');
  });
  test('overallResult and the summary agree', () => {
    const { session } = load('liveness-retry.json');
    expect(summarizeSession(session).overall).toEqual(overallResult(session));
  });
});

describe('seen before, as a warning', () => {
  const session = parseSession(load('docs-01-full-session.json')).session;

  test('none: no warning; matches: one warning naming each session, critical when one was rejected', () => {
    expect(summarizeSession(session, { seenBefore: [] }).warnings).toEqual([]);
    const person = summarizeSession(session, { seenBefore: [{ sessionId: 'other-1', match: 'SAME_PERSON', fetchedAt: '2026-01-02T00:00:00Z' }] }).warnings;
    expect(person).toEqual([
      { kind: 'SEEN_BEFORE', severity: 'warning', text: 'Seen before: the same person in 1 other session', details: ['other-1: same person, no decision'] },
    ]);
    const rejected = summarizeSession(session, {
      seenBefore: [
        { sessionId: 'other-1', match: 'SAME_DOCUMENT', fetchedAt: '2026-01-02T00:00:00Z', decision: 'REJECT' },
        { sessionId: 'other-2', match: 'SAME_PERSON', fetchedAt: '2026-01-03T00:00:00Z', decision: 'APPROVE' },
      ],
    }).warnings[0];
    expect(rejected).toMatchObject({ kind: 'SEEN_BEFORE', severity: 'critical', text: 'Seen before: the same document in 1 other session and the same person in 1 other session' });
    expect(rejected?.details).toEqual(['other-1: same document, decision REJECT', 'other-2: same person, decision APPROVE']);
  });

  test('a match fetched after this session was decided is marked as known only after the decision', () => {
    const w = summarizeSession(session, {
      decidedAt: '2026-01-02T12:00:00Z',
      seenBefore: [
        { sessionId: 'earlier', match: 'SAME_PERSON', fetchedAt: '2026-01-01T00:00:00Z' },
        { sessionId: 'later', match: 'SAME_PERSON', fetchedAt: '2026-01-05T00:00:00Z' },
      ],
    }).warnings[0];
    expect(w?.details).toEqual(['earlier: same person, no decision', 'later: same person, no decision, known only after this session was decided']);
  });
});

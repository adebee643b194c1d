import { describe, expect, test } from 'vitest';
import { linkChecks, listAttempts } from '../../../common/session/attempts';
import { authoritativeDocumentFields } from '../../../common/session/document-fields';
import { faceMatch } from '../../../common/session/face-match';
import { listMedia } from '../../../common/session/media';
import { summarizeSession } from '../../../common/session/summary';
import { load } from './load';

// "Example of a full session retrieval" from yoti-idv-session-and-media-retrieval.md (see the fixtures README for the ids).
const DOC = 'd0c00000-0000-4000-8000-000000000001';
const LIV = '11fe0000-0000-4000-8000-000000000001';
const FIELDS = 'f1e1d500-0000-4000-8000-000000000001';
const PAGE = '9a9e0000-0000-4000-8000-000000000001';
const FACEMAP = 'facea000-0000-4000-8000-000000000001';
const frame = (n: number): string => `f0a3e000-0000-4000-8000-00000000000${n}`;
const check = (n: number): string => `c4ec0000-0000-4000-8000-00000000000${n}`;

describe("the docs' full example", () => {
  const { session, problems } = load('docs-01-full-session.json');

  test('parses cleanly', () => {
    expect(problems).toEqual([]);
    expect(session.state).toBe('COMPLETED');
    expect(session.client_session_token_ttl).toBe(599);
  });

  test('has one document attempt and one liveness attempt, each with the checks that used it', () => {
    const attempts = listAttempts(session);
    expect(attempts.map((a) => [a.kind, a.index, a.label, a.id])).toEqual([
      ['ID_DOCUMENT', 0, 'Document 1', DOC],
      ['LIVENESS', 0, 'Liveness 1', LIV],
    ]);
    expect(attempts[0]!.checks.map((c) => [c.type, c.id, c.recommendation])).toEqual([
      ['ID_DOCUMENT_AUTHENTICITY', check(1), 'APPROVE'],
      ['ID_DOCUMENT_FACE_MATCH', check(3), 'APPROVE'],
    ]);
    expect(attempts[1]!.checks.map((c) => [c.type, c.checkIndex])).toEqual([
      ['LIVENESS', 1],
      ['ID_DOCUMENT_FACE_MATCH', 2],
    ]);
  });

  test('links every check to its resources, none missing', () => {
    const linked = linkChecks(session);
    expect(linked.map((l) => [l.type, l.resources.map((r) => r.label), l.missing])).toEqual([
      ['ID_DOCUMENT_AUTHENTICITY', ['Document 1'], []],
      ['LIVENESS', ['Liveness 1'], []],
      ['ID_DOCUMENT_FACE_MATCH', ['Document 1', 'Liveness 1'], []],
    ]);
  });

  test('media: document page, document fields, 3 captured + 4 not-captured liveness frames, BINARY facemap', () => {
    const media = listMedia(session);
    expect(media.map((m) => [m.role, m.label, m.mediaId, m.mediaType, m.captured])).toEqual([
      ['DOCUMENT_PAGE', 'Document 1 page 1', PAGE, 'IMAGE', true],
      ['DOCUMENT_FIELDS', 'Document 1 fields', FIELDS, 'JSON', true],
      ['LIVENESS_FRAME', 'Liveness 1 frame 1', frame(1), 'IMAGE', true],
      ['LIVENESS_FRAME', 'Liveness 1 frame 2', frame(2), 'IMAGE', true],
      ['LIVENESS_FRAME', 'Liveness 1 frame 3', frame(3), 'IMAGE', true],
      ['LIVENESS_FRAME', 'Liveness 1 frame 4', undefined, undefined, false],
      ['LIVENESS_FRAME', 'Liveness 1 frame 5', undefined, undefined, false],
      ['LIVENESS_FRAME', 'Liveness 1 frame 6', undefined, undefined, false],
      ['LIVENESS_FRAME', 'Liveness 1 frame 7', undefined, undefined, false],
      ['FACEMAP', 'Liveness 1 facemap', FACEMAP, 'BINARY', true],
    ]);
    // The extraction task's generated media is the document fields media: listed once, the task role kept as an alias.
    expect(media[1]!.alsoAs).toEqual([
      { role: 'TASK_GENERATED_MEDIA', label: 'Document 1 task 1 media 1', resourceId: DOC, taskId: '7a5c0000-0000-4000-8000-000000000001', checkId: undefined, checkIndex: undefined },
    ]);
    expect(media.filter((m) => m.role === 'LIVENESS_FRAME').map((m) => m.frameIndex)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(media.every((m) => m.fetchable === m.captured)).toBe(true);
  });

  test('face match: score 1.00 read as 1, above 0.7, PASS both ways', () => {
    expect(faceMatch(session)).toEqual([
      {
        checkIndex: 2,
        checkId: check(3),
        attempt: 1,
        state: 'DONE',
        recommendation: 'APPROVE',
        reason: undefined,
        recoverySuggestion: undefined,
        score: 1,
        scoreText: '1.00',
        aiResult: 'PASS',
        manualResult: 'PASS',
        threshold: 0.7,
        aboveThreshold: true,
        resourcesUsed: [DOC, LIV],
      },
    ]);
  });

  test('document fields come from the resource (no text data check)', () => {
    expect(authoritativeDocumentFields(session, DOC)).toEqual({ source: 'RESOURCE', resourceId: DOC, mediaId: FIELDS, textDataChecks: [] });
  });

  test('summary: APPROVE, no warnings, words for everything', () => {
    const s = summarizeSession(session);
    expect(s.overall).toEqual({ value: 'APPROVE', text: 'Approve: every check approves' });
    expect(s.yotiFinished).toBe(true);
    expect(s.status.value).toBe('READY');
    expect(s.warnings).toEqual([]);
    expect(s.state.text).toBe('Completed (Yoti has completed checks and tasks)');
    expect(s.checks.map((c) => c.label)).toEqual(['Document authenticity', 'Liveness', 'Face match (document photo vs. person)']);
    expect(s.checks[0]!.subChecks.map((x) => x.name.text)).toContain('Hologram moves when the document is tilted');
    expect(s.liveness).toEqual([
      { label: 'Liveness 1', resourceId: LIV, livenessType: { value: 'ZOOM', text: 'Active liveness (ZOOM: frames and a facemap)' }, frames: 7, capturedFrames: 3, checks: expect.any(Array) },
    ]);
    expect(s.documents[0]).toMatchObject({ label: 'Document 1', documentType: { value: 'DRIVING_LICENCE', text: 'Driving licence' }, issuingCountry: 'GBR', pages: 1 });
    expect(s.media).toHaveLength(10);
  });
});

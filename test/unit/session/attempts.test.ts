import { describe, expect, test } from 'vitest';
import { attemptLabel, linkChecks, listAttempts } from '../../../common/session/attempts';
import { parseSession } from '../../../common/session/parse';
import { load } from './load';

describe('listAttempts', () => {
  test('one attempt per resource, indexed within its kind, in reviewer order', () => {
    const attempts = listAttempts(load('full-coverage.json').session);
    expect(attempts.map((a) => [a.kind, a.index, a.label, a.resourceKey])).toEqual([
      ['ID_DOCUMENT', 0, 'Document 1', 'id_documents'],
      ['SUPPLEMENTARY_DOCUMENT', 0, 'Supplementary document 1', 'supplementary_documents'],
      ['LIVENESS', 0, 'Liveness 1', 'liveness_capture'],
      ['FACE_CAPTURE', 0, 'Face capture 1', 'face_capture'],
      ['SHARE_CODE', 0, 'Share code 1', 'share_codes'],
    ]);
    expect(attempts[0]!.checks.map((c) => c.type)).toEqual([
      'ID_DOCUMENT_TEXT_DATA_CHECK', 'THIRD_PARTY_IDENTITY', 'WATCHLIST_SCREENING', 'WATCHLIST_ADVANCED_CA',
    ]);
    expect(attempts[3]!.checks).toEqual([
      { checkIndex: 5, id: 'c4ec0000-0000-4000-8000-0000000000a6', type: 'FACE_COMPARISON', state: 'PENDING', recommendation: undefined },
    ]);
    expect(attempts[4]!.checks).toEqual([]);
  });

  test('a liveness retry is two attempts, each with its own check', () => {
    const attempts = listAttempts(load('liveness-retry.json').session).filter((a) => a.kind === 'LIVENESS');
    expect(attempts.map((a) => [a.label, a.checks.map((c) => `${c.type}:${c.recommendation}`)])).toEqual([
      ['Liveness 1', ['LIVENESS:REJECT']],
      ['Liveness 2', ['LIVENESS:APPROVE', 'ID_DOCUMENT_FACE_MATCH:APPROVE']],
    ]);
  });

  test('unknown resource lists are attempts of kind OTHER, read generically; non-lists are ignored', () => {
    const attempts = listAttempts(load('messy-unknown-types.json').session);
    const other = attempts.filter((a) => a.kind === 'OTHER');
    expect(other).toHaveLength(1);
    expect(other[0]).toMatchObject({ resourceKey: 'tracked_devices', index: 0, label: 'Resource tracked_devices 1', id: 'de71ce00-0000-4000-8000-000000000003' });
    expect(other[0]!.resource['device']).toEqual({ os: 'Android', model: 'Pixel' });
    expect(other[0]!.checks.map((c) => c.type)).toEqual(['VOICE_MATCH']);
    expect(attempts.find((a) => a.kind === 'LIVENESS')?.checks.map((c) => c.type)).toEqual(['VOICE_MATCH']);
  });

  test('non-object elements of an unknown resource list are dropped and reported', () => {
    const { session, problems } = parseSession({ resources: { gadgets: [{ id: 'g1', tasks: null }, 'junk', { id: 5 }] } });
    expect(problems.map((p) => p.path)).toEqual(['resources.gadgets[1]', 'resources.gadgets[2].id']);
    expect(listAttempts(session).map((a) => [a.kind, a.id, a.label])).toEqual([
      ['OTHER', 'g1', 'Resource gadgets 1'],
      ['OTHER', undefined, 'Resource gadgets 2'],
    ]);
  });

  test('a session without resources or checks has no attempts', () => {
    expect(listAttempts(parseSession({}).session)).toEqual([]);
    expect(linkChecks(parseSession({}).session)).toEqual([]);
  });

  test('labels', () => {
    expect(attemptLabel('ID_DOCUMENT', 1)).toBe('Document 2');
    expect(attemptLabel('SHARE_CODE', 0)).toBe('Share code 1');
    expect(attemptLabel('OTHER', 2, 'tracked_devices')).toBe('Resource tracked_devices 3');
  });
});

describe('linkChecks', () => {
  test('unknown resource ids are reported as missing, not thrown', () => {
    const linked = linkChecks(load('docs-05-authenticity-not-available.json').session);
    expect(linked).toHaveLength(1);
    expect(linked[0]!.resources).toEqual([]);
    expect(linked[0]!.missing).toEqual(['d0c00000-0000-4000-8000-000000000001']);
  });

  test('retries are separate entries numbered within their type', () => {
    const linked = linkChecks(load('liveness-retry.json').session);
    expect(linked.map((l) => [l.type, l.sameTypeNumber, l.sameTypeCount, l.resources.map((r) => r.label)])).toEqual([
      ['LIVENESS', 1, 2, ['Liveness 1']],
      ['LIVENESS', 2, 2, ['Liveness 2']],
      ['ID_DOCUMENT_AUTHENTICITY', 1, 1, ['Document 1']],
      ['ID_DOCUMENT_FACE_MATCH', 1, 1, ['Document 1', 'Liveness 2']],
    ]);
  });

  test('a mix of known, unknown and hostile ids', () => {
    const linked = linkChecks(load('hostile-html-strings.json').session);
    expect(linked[0]!.resources.map((r) => [r.id, r.kind, r.label])).toEqual([['../../etc/passwd', 'ID_DOCUMENT', 'Document 1']]);
    expect(linked[0]!.missing).toEqual(['<missing>']);
  });

  test('a check linked to an unknown resource kind', () => {
    const linked = linkChecks(load('messy-unknown-types.json').session);
    expect(linked[0]!.resources.map((r) => [r.kind, r.resourceKey, r.label])).toEqual([
      ['OTHER', 'tracked_devices', 'Resource tracked_devices 1'],
      ['LIVENESS', 'liveness_capture', 'Liveness 1'],
    ]);
  });
});

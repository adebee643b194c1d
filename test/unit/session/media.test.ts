import { describe, expect, test } from 'vitest';
import { listMedia, type MediaRole } from '../../../common/session/media';
import { parseSession } from '../../../common/session/parse';
import { load } from './load';

describe('listMedia', () => {
  test('every role of the full-coverage fixture, with labels and positions', () => {
    const media = listMedia(load('full-coverage.json').session);
    expect(media.map((m) => [m.role, m.label, m.mediaType, m.captured])).toEqual([
      ['DOCUMENT_PAGE', 'Document 1 page 1', 'IMAGE', true],
      ['DOCUMENT_FRAME', 'Document 1 page 1 frame 1', 'IMAGE', true],
      ['DOCUMENT_FRAME', 'Document 1 page 1 frame 2', 'IMAGE', true],
      ['DOCUMENT_FRAME', 'Document 1 page 1 frame 3', undefined, false],
      ['DOCUMENT_FIELDS', 'Document 1 fields', 'JSON', true],
      ['EXPANDED_DOCUMENT_FIELDS', 'Document 1 expanded fields', 'JSON', true],
      ['DOCUMENT_ID_PHOTO', 'Document 1 ID photo', 'IMAGE', true],
      ['DOCUMENT_PAGE', 'Supplementary document 1 page 1', 'IMAGE', true],
      ['DOCUMENT_FIELDS', 'Supplementary document 1 fields', 'JSON', true],
      ['SUPPLEMENTARY_FILE', 'Supplementary document 1 file', 'BINARY', true],
      ['LIVENESS_FRAME', 'Liveness 1 frame 1', 'IMAGE', true],
      ['LIVENESS_FRAME', 'Liveness 1 frame 2', undefined, false],
      ['FACEMAP', 'Liveness 1 facemap', 'BINARY', true],
      ['FACE_CAPTURE_IMAGE', 'Face capture 1 image', 'IMAGE', true],
      ['SHARE_CODE_MEDIA', 'Share code 1 lookup profile', 'JSON', true],
      ['SHARE_CODE_MEDIA', 'Share code 1 returned profile', 'JSON', true],
      ['SHARE_CODE_MEDIA', 'Share code 1 id photo', 'IMAGE', true],
      ['SHARE_CODE_MEDIA', 'Share code 1 file', 'BINARY', true],
      ['CHECK_GENERATED_MEDIA', 'Check 1 (Document text check (manual)) media 1', 'JSON', true],
      ['GENERATED_PROFILE', 'Check 3 (Third-party identity check) generated profile', 'JSON', true],
      ['GENERATED_PROFILE', 'Check 4 (Watchlist screening) generated profile', 'JSON', true],
      ['WATCHLIST_RAW_RESULTS', 'Check 4 (Watchlist screening) watchlist raw results', 'JSON', true],
      ['WATCHLIST_RAW_RESULTS', 'Check 5 (Watchlist screening (advanced)) watchlist raw results', 'JSON', true],
      ['IDENTITY_PROFILE_REPORT', 'Identity profile report', 'JSON', true],
      ['ADVANCED_IDENTITY_PROFILE_REPORT', 'Advanced identity profile report', 'JSON', true],
    ]);
    const frame = media[2]!;
    expect(frame).toMatchObject({ resourceId: 'd0c00000-0000-4000-8000-00000000000a', resourceKind: 'ID_DOCUMENT', resourceIndex: 0, pageIndex: 0, frameIndex: 1 });
    expect(media.find((m) => m.role === 'SHARE_CODE_MEDIA')?.detail).toBe('lookup_profile');
    expect(media.find((m) => m.role === 'CHECK_GENERATED_MEDIA')).toMatchObject({ checkIndex: 0, checkType: 'ID_DOCUMENT_TEXT_DATA_CHECK', itemIndex: 0 });
  });

  test('the same media id is listed once, under its most specific role, with the others in alsoAs', () => {
    const media = listMedia(load('full-coverage.json').session);
    const ids = media.flatMap((m) => (m.mediaId ? [m.mediaId] : []));
    expect(new Set(ids).size).toBe(ids.length);
    const docFields = media.find((m) => m.label === 'Document 1 fields')!;
    expect(docFields.alsoAs.map((a) => [a.role, a.label])).toEqual([['TASK_GENERATED_MEDIA', 'Document 1 task 1 media 1']]);
    // The supplementary text check generated the same id as the supplementary fields: the resource role wins over the check.
    const suppFields = media.find((m) => m.label === 'Supplementary document 1 fields')!;
    expect(suppFields.alsoAs).toEqual([
      { role: 'CHECK_GENERATED_MEDIA', label: 'Check 2 (Supplementary document text check (manual)) media 1', resourceId: undefined, taskId: undefined, checkId: 'c4ec0000-0000-4000-8000-0000000000a2', checkIndex: 1 },
    ]);
  });

  test('check media beats task media; the first of equals wins', () => {
    const id = 'aaaaaaaa-0000-4000-8000-000000000001';
    const { session } = parseSession({
      resources: { id_documents: [{ id: 'd', tasks: [{ id: 't', generated_media: [{ id, type: 'JSON' }] }] }] },
      checks: [
        { id: 'c1', type: 'ID_DOCUMENT_TEXT_DATA_CHECK', generated_media: [{ id, type: 'JSON' }] },
        { id: 'c2', type: 'ID_DOCUMENT_TEXT_DATA_CHECK', generated_media: [{ id, type: 'JSON' }] },
      ],
    });
    const media = listMedia(session);
    expect(media).toHaveLength(1);
    expect(media[0]).toMatchObject({ role: 'CHECK_GENERATED_MEDIA', checkId: 'c1' });
    expect(media[0]!.alsoAs.map((a) => [a.role, a.taskId ?? a.checkId])).toEqual([
      ['TASK_GENERATED_MEDIA', 't'],
      ['CHECK_GENERATED_MEDIA', 'c2'],
    ]);
  });

  test('static liveness: one LIVENESS_IMAGE', () => {
    expect(listMedia(load('static-liveness.json').session).map((m) => [m.role, m.label, m.mediaId])).toEqual([
      ['LIVENESS_IMAGE', 'Liveness 1 image', '57a71c00-0000-4000-8000-000000000006'],
    ]);
  });

  test('empty and damaged frames are "not captured"; ids unsafe for a request path are not fetchable', () => {
    const damaged = listMedia(load('messy-damaged.json').session).filter((m) => m.role === 'LIVENESS_FRAME');
    expect(damaged.map((m) => m.captured)).toEqual([false, false, false, false, true, false]);
    const hostile = listMedia(load('hostile-html-strings.json').session);
    expect(hostile).toHaveLength(1);
    expect(hostile[0]).toMatchObject({ role: 'DOCUMENT_PAGE', mediaId: '../media/<script>', captured: true, fetchable: false });
  });

  test('unknown kinds contribute their task media; unknown liveness types their frames', () => {
    const media = listMedia(load('messy-unknown-types.json').session);
    expect(media.map((m) => [m.role, m.mediaType])).toEqual([
      ['DOCUMENT_PAGE', 'IMAGE'],
      ['TASK_GENERATED_MEDIA', 'VIDEO'],
      ['LIVENESS_FRAME', 'IMAGE'],
    ]);
  });

  test('huge frame lists stay linear', () => {
    const started = performance.now();
    const media = listMedia(load('hostile-huge-arrays.json').session);
    expect(media).toHaveLength(10_000);
    expect(media.filter((m) => m.captured)).toHaveLength(3);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  test('every declared role is produced by some fixture', () => {
    const roles = new Set<MediaRole>();
    for (const name of ['full-coverage.json', 'docs-01-full-session.json', 'static-liveness.json']) {
      for (const m of listMedia(load(name).session)) {
        roles.add(m.role);
        for (const a of m.alsoAs) roles.add(a.role);
      }
    }
    expect([...roles].sort()).toEqual([
      'ADVANCED_IDENTITY_PROFILE_REPORT', 'CHECK_GENERATED_MEDIA', 'DOCUMENT_FIELDS', 'DOCUMENT_FRAME', 'DOCUMENT_ID_PHOTO', 'DOCUMENT_PAGE',
      'EXPANDED_DOCUMENT_FIELDS', 'FACEMAP', 'FACE_CAPTURE_IMAGE', 'GENERATED_PROFILE', 'IDENTITY_PROFILE_REPORT', 'LIVENESS_FRAME',
      'LIVENESS_IMAGE', 'SHARE_CODE_MEDIA', 'SUPPLEMENTARY_FILE', 'TASK_GENERATED_MEDIA', 'WATCHLIST_RAW_RESULTS',
    ]);
  });
});

describe('applicant profiles', () => {
  test('the JSON item of each applicant profile is listed and fetched, labelled as what the applicant entered', () => {
    const { session, problems } = parseSession(
      JSON.stringify({
        session_id: 'a1b2c3d4-0000-4000-8000-000000000001',
        state: 'COMPLETED',
        resources: {
          applicant_profiles: [
            { id: 'ap000000-0000-4000-8000-000000000001', tasks: [], media: { id: 'ap000000-0000-4000-8000-0000000000a1', type: 'JSON', created: '2026-01-05T10:00:00Z' } },
            { id: 'ap000000-0000-4000-8000-000000000002', tasks: [] },
          ],
        },
        checks: [],
      }),
    );
    expect(problems).toEqual([]);
    const profiles = listMedia(session).filter((m) => m.role === 'APPLICANT_PROFILE');
    // A profile without a media item has nothing to list (as an absent ID photo has none).
    expect(profiles).toHaveLength(1);
    expect(profiles[0]).toMatchObject({
      mediaId: 'ap000000-0000-4000-8000-0000000000a1',
      label: 'Applicant profile 1 (what the applicant entered)',
      mediaType: 'JSON',
      fetchable: true,
      resourceId: 'ap000000-0000-4000-8000-000000000001',
    });
  });
});

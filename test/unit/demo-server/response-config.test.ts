import { describe, expect, test } from 'vitest';
import {
  parseResponseConfig,
  ResponseConfigError,
  sessionFromResponseConfig,
} from '../../../main/core/demo-server/response-config';
import type { DemoMedia, DemoSession } from '../../../main/core/demo-server/types';
import { asSession, mediaIds, nullPaths, type TCheck } from './helpers';


// The sandbox body from yoti-api-notes §5 (as the SDK's builders produce it), with two liveness attempts.
const sandbox = {
  task_results: {
    ID_DOCUMENT_TEXT_DATA_EXTRACTION: [
      {
        result: { document_fields: { full_name: 'John Doe', date_of_birth: '1980-01-02', nationality: 'GBR' }, detected_country: 'GBR' },
        document_filter: { document_types: ['PASSPORT'], country_codes: ['GBR'] },
      },
    ],
  },
  check_reports: {
    ID_DOCUMENT_AUTHENTICITY: [
      { result: { report: { recommendation: { value: 'APPROVE' }, breakdown: [{ sub_check: 'document_in_date', result: 'PASS', details: [{ name: 'confidence_score', value: '0.53' }] }] } } },
    ],
    ID_DOCUMENT_TEXT_DATA_CHECK: [
      {
        result: {
          report: { recommendation: { value: 'APPROVE' }, breakdown: [{ sub_check: 'text_data_readable', result: 'PASS' }] },
          document_fields: { full_name: 'John Q Doe' },
        },
      },
    ],
    ID_DOCUMENT_FACE_MATCH: [{ result: { report: { recommendation: { value: 'APPROVE' }, breakdown: [{ sub_check: 'ai_face_match', result: 'PASS' }] } } }],
    LIVENESS: [
      { liveness_type: 'ZOOM', result: { report: { recommendation: { value: 'REJECT' }, breakdown: [{ sub_check: 'liveness_auth', result: 'FAIL' }] } } },
      {
        liveness_type: 'ZOOM',
        result: { report: { recommendation: { value: 'APPROVE', reason: 'PICTURE_TOO_DARK', recovery_suggestion: 'BETTER_LIGHTING' }, breakdown: [] } },
      },
    ],
  },
};

const bytesOf = (s: DemoSession, id: string): Buffer => {
  const m = (s.media as ReadonlyMap<string, DemoMedia>).get(id);
  if (!m || 'noContent' in m) throw new Error(`no bytes for ${id}`);
  return Buffer.from('bytes' in m ? m.bytes : m.generate());
};

describe('sessionFromResponseConfig', () => {
  const s = sessionFromResponseConfig(sandbox, { sessionId: 'sess-1', seed: 'seed-1' });
  const json = asSession(s.session);
  const doc = json.resources.id_documents[0]!;
  const checks = json.checks;

  test('session shape: state, ids, no nulls', () => {
    expect(json).toMatchObject({ session_id: 'sess-1', state: 'COMPLETED', client_session_token_ttl: 0 });
    expect(nullPaths(json)).toEqual([]);
    expect(Object.keys(json.resources)).toEqual(['id_documents', 'supplementary_documents', 'liveness_capture', 'face_capture']);
  });

  test('id document: type and country from the filter, page with frames, fields, id photo, task', () => {
    expect(doc).toMatchObject({ document_type: 'PASSPORT', issuing_country: 'GBR' });
    expect(doc.pages).toHaveLength(1);
    expect(doc.pages[0]).toMatchObject({ capture_method: 'CAMERA', media: { type: 'IMAGE' } });
    expect(doc.pages[0]!.frames).toHaveLength(1);
    expect(doc.document_id_photo!.media.type).toBe('IMAGE');
    const task = doc.tasks[0]!;
    expect(task).toMatchObject({ type: 'ID_DOCUMENT_TEXT_DATA_EXTRACTION', state: 'DONE' });
    expect(task.generated_media).toEqual([{ id: expect.any(String), type: 'JSON' }]);
    const extracted = JSON.parse(bytesOf(s, task.generated_media[0]!.id).toString()) as { mrz: { line1: unknown } };
    expect(extracted).toMatchObject({ full_name: 'John Doe', date_of_birth: '1980-01-02', nationality: 'GBR', document_type: 'PASSPORT' });
    expect(typeof extracted.mrz.line1).toBe('string');
  });

  test('the text data check generates JSON media that replaces document_fields', () => {
    const tdc = checks.find((c) => c.type === 'ID_DOCUMENT_TEXT_DATA_CHECK')!;
    expect(tdc.generated_media).toEqual([{ id: doc.document_fields!.media.id, type: 'JSON' }]);
    expect(doc.tasks[0]!.generated_media[0]!.id).not.toBe(doc.document_fields!.media.id);
    expect(doc.tasks[0]!.generated_checks).toEqual([{ id: tdc.id, type: 'ID_DOCUMENT_TEXT_DATA_CHECK' }]);
    expect(JSON.parse(bytesOf(s, tdc.generated_media![0]!.id).toString())).toMatchObject({ full_name: 'John Q Doe' });
  });

  test('liveness: one ZOOM resource and one check per attempt, with {} frames and a facemap', () => {
    const live = json.resources.liveness_capture;
    expect(live).toHaveLength(2);
    for (const l of live) {
      expect(l.liveness_type).toBe('ZOOM');
      expect(l.frames).toHaveLength(7);
      expect(l.frames!.slice(3)).toEqual([{}, {}, {}, {}]);
      expect(l.facemap!.media.type).toBe('BINARY');
      expect((s.media as ReadonlyMap<string, DemoMedia>).get(l.facemap!.media.id)).toMatchObject({ contentType: 'application/octet-stream' });
    }
    const lc = checks.filter((c) => c.type === 'LIVENESS');
    expect(lc.map((c) => c.report!.recommendation.value)).toEqual(['REJECT', 'APPROVE']);
    expect(lc.map((c) => c.resources_used)).toEqual(live.map((l) => [l.id]));
    expect(lc[1]!.report!.recommendation).toEqual({ value: 'APPROVE', reason: 'PICTURE_TOO_DARK', recovery_suggestion: 'BETTER_LIGHTING' });
  });

  test('checks link to resources; breakdown details are kept; face match uses document + last liveness', () => {
    const auth = checks.find((c) => c.type === 'ID_DOCUMENT_AUTHENTICITY')!;
    expect(auth.resources_used).toEqual([doc.id]);
    expect(auth.report!.breakdown).toEqual([{ sub_check: 'document_in_date', result: 'PASS', details: [{ name: 'confidence_score', value: '0.53' }] }]);
    const fm = checks.find((c) => c.type === 'ID_DOCUMENT_FACE_MATCH')!;
    expect(fm.resources_used).toEqual([doc.id, json.resources.liveness_capture[1]!.id]);
    for (const c of checks) expect(c).toMatchObject({ state: 'DONE', created: expect.stringMatching(/Z$/) });
  });

  test('every referenced media id has content', () => {
    for (const id of mediaIds(json)) expect((s.media as ReadonlyMap<string, DemoMedia>).has(id), id).toBe(true);
  });

  test('deterministic from the seed', () => {
    const again = sessionFromResponseConfig(sandbox, { sessionId: 'sess-1', seed: 'seed-1' });
    expect(again.session).toEqual(s.session);
    const page = doc.pages[0]!.media.id;
    expect(bytesOf(again, page).equals(bytesOf(s, page))).toBe(true);
    const other = asSession(sessionFromResponseConfig(sandbox, { sessionId: 'sess-1', seed: 'seed-2' }).session);
    expect(other.resources.id_documents[0]!.id).not.toBe(doc.id);
  });

  test('ONGOING: checks PENDING without reports, no extracted fields', () => {
    const o = asSession(sessionFromResponseConfig(sandbox, { sessionId: 'sess-2', state: 'ONGOING' }).session);
    expect(o.client_session_token_ttl).toBe(599);
    for (const c of o.checks) {
      expect(c.state).toBe('PENDING');
      expect(c.report).toBeUndefined();
    }
    expect(o.resources.id_documents[0]!.document_fields).toBeUndefined();
  });

  test('document_id_photo from the config is served as given; STATIC and unknown liveness; unknown check type', () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const cfg = {
      task_results: { ID_DOCUMENT_TEXT_DATA_EXTRACTION: [{ result: { document_id_photo: { content_type: 'image/png', data: png.toString('base64') } } }] },
      check_reports: {
        LIVENESS: [
          { liveness_type: 'STATIC', result: { report: { recommendation: { value: 'APPROVE' } } } },
          { liveness_type: 'FUTURE_KIND', result: { report: { recommendation: { value: 'APPROVE' } } } },
        ],
        SOME_NEW_CHECK: [{ result: { report: { recommendation: { value: 'CONSIDER' } } } }],
      },
    };
    const x = sessionFromResponseConfig(cfg, { sessionId: 'sess-3' });
    const j = asSession(x.session);
    const photo = j.resources.id_documents[0]!.document_id_photo!.media.id;
    expect((x.media as ReadonlyMap<string, DemoMedia>).get(photo)).toEqual({ contentType: 'image/png', bytes: png });
    const [stat, unknown] = j.resources.liveness_capture;
    expect(stat!.image!.media.type).toBe('IMAGE');
    expect(unknown).toEqual({ id: expect.any(String), source: { type: 'END_USER' }, created_at: expect.any(String), last_updated: expect.any(String), tasks: [], liveness_type: 'FUTURE_KIND' });
    expect(j.checks.map((c: TCheck) => c.type)).toEqual(['LIVENESS', 'LIVENESS', 'SOME_NEW_CHECK']);
    expect(x.configuration).toMatchObject({ requested_checks: ['LIVENESS', 'SOME_NEW_CHECK'] });
  });

  test('async_report_delay yields a pending view until the reports are due', () => {
    const created = new Date('2026-01-01T00:00:00Z');
    const d = sessionFromResponseConfig({ check_reports: { ...sandbox.check_reports, async_report_delay: 5 } }, { sessionId: 'sess-4', createdAt: created });
    expect(d.reportsAvailableAt?.toISOString()).toBe('2026-01-01T00:00:05.000Z');
    expect(asSession(d.pendingSession).state).toBe('ONGOING');
    expect(asSession(d.session).state).toBe('COMPLETED');
  });
});

describe('validation', () => {
  test.each([
    [{ check_reports: { LIVENESS: {} } }, 'check_reports.LIVENESS'],
    [{ check_reports: { LIVENESS: [{ result: { report: { recommendation: { value: 5 } } } }] } }, 'check_reports.LIVENESS[0].result.report.recommendation.value'],
    [{ check_reports: { ID_DOCUMENT_AUTHENTICITY: [{ result: {} }] } }, 'check_reports.ID_DOCUMENT_AUTHENTICITY[0].result.report'],
    [{ check_reports: { async_report_delay: -1 } }, 'check_reports.async_report_delay'],
    [{ check_reports: { lowercase_thing: [] } }, 'check_reports.lowercase_thing'],
    [{ task_results: { ID_DOCUMENT_TEXT_DATA_EXTRACTION: [{ result: { document_fields: { a: null } } }] } }, 'task_results.ID_DOCUMENT_TEXT_DATA_EXTRACTION[0].result.document_fields.a'],
    [{ task_results: { ID_DOCUMENT_TEXT_DATA_EXTRACTION: [{ result: { document_id_photo: { content_type: 'image/gif', data: '' } } }] } }, 'task_results.ID_DOCUMENT_TEXT_DATA_EXTRACTION[0].result.document_id_photo.content_type'],
    ['not an object', '(root)'],
  ])('%j → %s', (cfg, property) => {
    const r = parseResponseConfig(cfg);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.property)).toContain(property);
    expect(() => sessionFromResponseConfig(cfg, { sessionId: 'x' })).toThrow(ResponseConfigError);
  });

  test('an empty config is valid (a session without checks)', () => {
    const s = asSession(sessionFromResponseConfig({}, { sessionId: 'empty' }).session);
    expect(s.checks).toEqual([]);
    expect(s.resources.id_documents).toEqual([]);
  });
});

import { describe, expect, test } from 'vitest';
import { createDemoSessions, DEMO_SESSION_IDS, DEMO_SESSIONS } from '../../../main/core/demo-server/demo-sessions';
import type { DemoMedia, DemoSession } from '../../../main/core/demo-server/types';
import { verifyMrz, type MrzResult } from '../../../common/mrz';
import { asSession, mediaIds, nullPaths, type TCheck, type TSession } from './helpers';

const now = new Date('2026-03-01T12:00:00Z');
const sessions = createDemoSessions({ now });
const byId = new Map(sessions.map((s) => [s.sessionId, s]));
const get = (id: string): { demo: DemoSession; json: TSession } => {
  const demo = byId.get(id)!;
  return { demo, json: asSession(demo.session) };
};
const mediaOf = (demo: DemoSession, id: string): DemoMedia | undefined => (demo.media as ReadonlyMap<string, DemoMedia>).get(id);
const jsonMedia = (demo: DemoSession, id: string): Record<string, unknown> => {
  const m = mediaOf(demo, id);
  if (!m || !('bytes' in m)) throw new Error('expected JSON bytes');
  return JSON.parse(Buffer.from(m.bytes).toString('utf8')) as Record<string, unknown>;
};
const checksOf = (s: TSession, type: string): TCheck[] => s.checks.filter((c) => c.type === type);
const score = (c: TCheck): string | undefined =>
  c.report?.breakdown.find((b) => b.sub_check === 'ai_face_match')?.details.find((d) => d.name === 'confidence_score')?.value;
function mrzOf(fields: Record<string, unknown>): MrzResult {
  const m = fields.mrz as Record<string, string>;
  const r = verifyMrz([m.line1, m.line2, m.line3].filter((l): l is string => typeof l === 'string'));
  if ('error' in r) throw new Error(r.error);
  return r;
}

describe('the demo set', () => {
  test('five sessions with fixed ids, listed with a title and description each', () => {
    expect(sessions.map((s) => s.sessionId)).toEqual(DEMO_SESSIONS.map((d) => d.sessionId));
    expect(new Set(DEMO_SESSIONS.map((d) => d.sessionId)).size).toBe(5);
    for (const d of DEMO_SESSIONS) {
      expect(d.title.length).toBeGreaterThan(5);
      expect(d.description).not.toContain('\n');
      expect(get(d.sessionId).json.state).toBe(d.state);
    }
  });

  test('no nulls, and every referenced media item has content', () => {
    for (const s of sessions) {
      expect(nullPaths(s.session)).toEqual([]);
      for (const id of mediaIds(s.session)) expect(mediaOf(s, id), `${s.sessionId} ${id}`).toBeDefined();
    }
  });

  test('deterministic for a given reference time', () => {
    const again = createDemoSessions({ now });
    expect(again.map((s) => s.session)).toEqual(sessions.map((s) => s.session));
    const { demo, json } = get(DEMO_SESSION_IDS.approvedPassport);
    const page = json.resources.id_documents[0]!.pages[0]!.media.id;
    const gen = (d: DemoSession) => {
      const m = mediaOf(d, page);
      return m && 'generate' in m ? Buffer.from(m.generate()) : Buffer.alloc(0);
    };
    expect(gen(again[0]!).equals(gen(demo))).toBe(true);
    expect(gen(demo).length).toBeGreaterThan(1000);
  });
});

describe('(a) approved passport', () => {
  const { demo, json } = get(DEMO_SESSION_IDS.approvedPassport);
  const doc = json.resources.id_documents[0]!;
  const fields = jsonMedia(demo, doc.document_fields!.media.id);

  test('ICAO specimen data with the expiry rolled into the future, check digits recomputed', () => {
    expect(fields).toMatchObject({ full_name: 'Anna Maria Eriksson', document_number: 'L898902C3', date_of_birth: '1974-08-12', issuing_country: 'UTO' });
    expect(String(fields.expiration_date) > now.toISOString().slice(0, 10)).toBe(true);
    const m = fields.mrz as Record<string, string>;
    expect(m.line1).toBe('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<');
    expect(m.line2!.slice(0, 21)).toBe('L898902C36UTO7408122F');
    expect(m.line2!.slice(21, 27)).toBe('310415');
    expect(m.line2!.slice(28, 43)).toBe('ZE184226B<<<<<1');
    const r = mrzOf(fields);
    expect(r.valid).toBe(true);
  });

  test('approved checks, face match 0.93', () => {
    expect(json.checks.every((c) => c.report?.recommendation.value === 'APPROVE')).toBe(true);
    expect(score(checksOf(json, 'ID_DOCUMENT_FACE_MATCH')[0]!)).toBe('0.93');
  });
});

describe('(b) rejected ID card', () => {
  const { demo, json } = get(DEMO_SESSION_IDS.rejectedIdCard);
  const doc = json.resources.id_documents[0]!;

  test('TD1 national id, expired, MRZ = the ICAO TD1 specimen', () => {
    expect(doc.document_type).toBe('NATIONAL_ID');
    expect(doc.pages).toHaveLength(2);
    const fields = jsonMedia(demo, doc.document_fields!.media.id);
    expect(fields.mrz).toEqual({
      type: 1,
      line1: 'I<UTOD231458907<<<<<<<<<<<<<<<',
      line2: '7408122F1204159UTO<<<<<<<<<<<6',
      line3: 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
    });
    const auth = checksOf(json, 'ID_DOCUMENT_AUTHENTICITY')[0]!;
    expect(auth.report!.recommendation).toEqual({ value: 'REJECT', reason: 'EXPIRED_DOCUMENT' });
    expect(auth.report!.breakdown.find((b) => b.sub_check === 'document_in_date')!.result).toBe('FAIL');
  });

  test('liveness REJECT then APPROVE: two resources, two checks', () => {
    const live = json.resources.liveness_capture;
    const checks = checksOf(json, 'LIVENESS');
    expect(live).toHaveLength(2);
    expect(checks.map((c) => c.report!.recommendation.value)).toEqual(['REJECT', 'APPROVE']);
    expect(checks.map((c) => c.resources_used[0])).toEqual(live.map((l) => l.id));
  });

  test('face match 0.41 and a NOT_AVAILABLE text data check with a recovery suggestion', () => {
    const fm = checksOf(json, 'ID_DOCUMENT_FACE_MATCH')[0]!;
    expect(score(fm)).toBe('0.41');
    expect(fm.report!.recommendation.value).toBe('REJECT');
    const td = checksOf(json, 'ID_DOCUMENT_TEXT_DATA_CHECK')[0]!;
    expect(td.report!.recommendation).toEqual({ value: 'NOT_AVAILABLE', reason: 'PHOTO_TOO_BLURRY', recovery_suggestion: 'BETTER_FOCUS' });
  });
});

describe('(c) ongoing', () => {
  const { json } = get(DEMO_SESSION_IDS.ongoing);
  test('checks PENDING without reports', () => {
    expect(json.state).toBe('ONGOING');
    expect(json.checks.length).toBeGreaterThan(0);
    for (const c of json.checks) {
      expect(c.state).toBe('PENDING');
      expect(c.report).toBeUndefined();
    }
  });
});

describe('(d) edge cases', () => {
  const { demo, json } = get(DEMO_SESSION_IDS.edgeCases);
  const doc = json.resources.id_documents[0]!;
  test('unknown check type, unknown and STATIC liveness, supplementary document', () => {
    expect(json.checks.map((c) => c.type)).toContain('EXAMPLE_FUTURE_CHECK');
    expect(json.resources.liveness_capture.map((l) => l.liveness_type)).toEqual(['EXAMPLE_FUTURE_LIVENESS', 'STATIC']);
    expect(json.resources.liveness_capture[1]!.image!.media.type).toBe('IMAGE');
    expect(json.resources.supplementary_documents[0]!.document_type).toBe('UTILITY_BILL');
    expect(checksOf(json, 'SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK')).toHaveLength(1);
  });
  test('a 204 media item (the id photo) and a driving licence without MRZ', () => {
    expect(mediaOf(demo, doc.document_id_photo!.media.id)).toEqual({ noContent: true });
    expect(doc.document_type).toBe('DRIVING_LICENCE');
  });
  test('the text data check JSON replaces document_fields', () => {
    const td = checksOf(json, 'ID_DOCUMENT_TEXT_DATA_CHECK')[0]!;
    expect(td.generated_media![0]!.id).toBe(doc.document_fields!.media.id);
    expect(doc.tasks[0]!.generated_media[0]!.id).not.toBe(doc.document_fields!.media.id);
    const corrected = jsonMedia(demo, doc.document_fields!.media.id);
    const original = jsonMedia(demo, doc.tasks[0]!.generated_media[0]!.id);
    expect(corrected).toMatchObject({ full_name: 'ROBIN ALEX SAMPLE', date_of_birth: '1988-02-29' });
    expect(original).toMatchObject({ full_name: 'Robin Sample', date_of_birth: '1988-03-01' });
    expect(original.mrz).toBeUndefined();
  });
});

describe('(e) non-Latin name', () => {
  const { demo, json } = get(DEMO_SESSION_IDS.nonLatin);
  const doc = json.resources.id_documents[0]!;
  test('Greek full name, transliterated MRZ, PNG id photo', () => {
    const fields = jsonMedia(demo, doc.document_fields!.media.id);
    expect(fields.full_name).toBe('Ελένη Παπαδοπούλου');
    expect((fields.mrz as Record<string, string>).line1).toBe('P<UTOPAPADOPOULOU<<ELENI'.padEnd(44, '<'));
    expect(mrzOf(fields).valid).toBe(true);
    const photo = mediaOf(demo, doc.document_id_photo!.media.id);
    expect(photo && 'contentType' in photo ? photo.contentType : '').toBe('image/png');
  });
});

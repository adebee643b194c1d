import { sessionFromResponseConfig, type MaterialiseMediaOptions } from './response-config';
import type { DemoSession } from './types';

/**
 * The demo set: five fixed sessions covering what a reviewer meets (approve, reject with retries,
 * still ongoing, unusual shapes, non-Latin names). Every person and document is fictional (ICAO's
 * specimen "Utopia" data or generated names) and every image is drawn at run time.
 */
export const DEMO_SESSION_IDS = {
  approvedPassport: 'de3c0a11-5e55-4a0d-8e11-000000000001',
  rejectedIdCard: 'de3c0a11-5e55-4a0d-8e11-000000000002',
  ongoing: 'de3c0a11-5e55-4a0d-8e11-000000000003',
  edgeCases: 'de3c0a11-5e55-4a0d-8e11-000000000004',
  nonLatin: 'de3c0a11-5e55-4a0d-8e11-000000000005',
} as const;

export interface DemoSessionInfo {
  sessionId: string;
  title: string;
  /** One line for a list. */
  description: string;
  state: 'COMPLETED' | 'ONGOING';
}

export const DEMO_SESSIONS: readonly DemoSessionInfo[] = [
  {
    sessionId: DEMO_SESSION_IDS.approvedPassport,
    title: 'Approved passport (ICAO specimen, TD3)',
    description: 'Anna Maria Eriksson, Utopia passport L898902C3 in date; authenticity, text data, liveness approved; face match 0.93.',
    state: 'COMPLETED',
  },
  {
    sessionId: DEMO_SESSION_IDS.rejectedIdCard,
    title: 'Rejected: expired ID card, liveness retry, weak face match',
    description: 'TD1 card D23145890 expired 2012; liveness REJECT then APPROVE; face match 0.41; text data NOT_AVAILABLE (PHOTO_TOO_BLURRY).',
    state: 'COMPLETED',
  },
  {
    sessionId: DEMO_SESSION_IDS.ongoing,
    title: 'Ongoing session (checks pending)',
    description: 'The user is still in the journey: checks PENDING without reports; deleting it is refused (409).',
    state: 'ONGOING',
  },
  {
    sessionId: DEMO_SESSION_IDS.edgeCases,
    title: 'Edge cases: unknown types, static liveness, 204 media',
    description: 'Driving licence without MRZ, an unknown check type, an unknown and a STATIC liveness, an id photo answering 204, corrected text data.',
    state: 'COMPLETED',
  },
  {
    sessionId: DEMO_SESSION_IDS.nonLatin,
    title: 'Non-Latin name (Greek, transliterated MRZ)',
    description: 'Passport printed in Greek (ΕΛΕΝΗ ΠΑΠΑΔΟΠΟΥΛΟΥ) with the MRZ transliterated to PAPADOPOULOU<<ELENI; id photo as PNG.',
    state: 'COMPLETED',
  },
];

export interface DemoSetOptions {
  /** Reference time: creation timestamps and the in-date passport's expiry follow it. */
  now?: Date;
  /** Media sizes (e.g. `{ pageTargetBytes: 1_000_000 }` for the benchmark). */
  media?: MaterialiseMediaOptions;
}

const pass = (sub_check: string, details?: Array<{ name: string; value: string }>) =>
  details ? { sub_check, result: 'PASS', details } : { sub_check, result: 'PASS' };
const fail = (sub_check: string, details?: Array<{ name: string; value: string }>) =>
  details ? { sub_check, result: 'FAIL', details } : { sub_check, result: 'FAIL' };

const AUTHENTICITY_SUBCHECKS = [
  'data_in_correct_position',
  'document_in_date',
  'expected_data_present',
  'fraud_list_check',
  'hologram',
  'hologram_movement',
  'no_sign_of_tampering',
  'other_security_features',
  'real_document',
];

const check = (value: string, breakdown: object[], reason?: string, recovery_suggestion?: string) => ({
  result: {
    report: {
      recommendation: { value, ...(reason ? { reason } : {}), ...(recovery_suggestion ? { recovery_suggestion } : {}) },
      breakdown,
    },
  },
});

const approvedAuthenticity = check('APPROVE', AUTHENTICITY_SUBCHECKS.map((s) => pass(s)));
const approvedText = check('APPROVE', [pass('text_data_readable')]);
const faceMatch = (score: number) =>
  score >= 0.7
    ? check('APPROVE', [pass('ai_face_match', [{ name: 'confidence_score', value: score.toFixed(2) }])])
    : check('REJECT', [fail('ai_face_match', [{ name: 'confidence_score', value: score.toFixed(2) }]), fail('manual_face_match')], 'DIFFERENT_PERSON');
const zoom = (value: 'APPROVE' | 'REJECT') => ({
  ...check(value, [value === 'APPROVE' ? pass('liveness_auth') : fail('liveness_auth')]),
  liveness_type: 'ZOOM',
});

const DAY = 86_400_000;

/** Builds the five demo sessions (JSON + lazily generated media). */
export function createDemoSessions(opts: DemoSetOptions = {}): DemoSession[] {
  const now = opts.now ?? new Date();
  const year = now.getUTCFullYear();
  const ago = (ms: number): Date => new Date(Math.floor((now.getTime() - ms) / 1000) * 1000);
  const media = opts.media;

  const approved = sessionFromResponseConfig(
    {
      task_results: { ID_DOCUMENT_TEXT_DATA_EXTRACTION: [{ result: {}, document_filter: { document_types: ['PASSPORT'], country_codes: ['UTO'] } }] },
      check_reports: {
        ID_DOCUMENT_AUTHENTICITY: [approvedAuthenticity],
        ID_DOCUMENT_TEXT_DATA_CHECK: [approvedText],
        ID_DOCUMENT_FACE_MATCH: [
          check('APPROVE', [pass('ai_face_match', [{ name: 'confidence_score', value: '0.93' }]), pass('manual_face_match')]),
        ],
        LIVENESS: [zoom('APPROVE')],
      },
    },
    {
      sessionId: DEMO_SESSION_IDS.approvedPassport,
      seed: 'demo:approved-passport',
      createdAt: ago(3 * DAY),
      media,
      identities: [
        {
          documentType: 'PASSPORT',
          issuingCountry: 'UTO',
          issuingCountryName: 'UTOPIA',
          givenNames: 'Anna Maria',
          familyName: 'Eriksson',
          fullName: 'Anna Maria Eriksson',
          documentNumber: 'L898902C3',
          dateOfBirth: '1974-08-12',
          placeOfBirth: 'Zenith',
          nationality: 'UTO',
          gender: 'FEMALE',
          // the ICAO specimen expired in 2012: roll it forward so the document is in date
          dateOfIssue: `${year - 5}-04-16`,
          expirationDate: `${year + 5}-04-15`,
          issuingAuthority: 'Utopia Passport Office',
          personalNumber: 'ZE184226B',
          mrzFormat: 'TD3',
          portraitSeed: 'demo:anna-maria-eriksson',
        },
      ],
    },
  );

  const rejected = sessionFromResponseConfig(
    {
      task_results: { ID_DOCUMENT_TEXT_DATA_EXTRACTION: [{ result: {}, document_filter: { document_types: ['NATIONAL_ID'], country_codes: ['UTO'] } }] },
      check_reports: {
        ID_DOCUMENT_AUTHENTICITY: [
          check(
            'REJECT',
            AUTHENTICITY_SUBCHECKS.map((s) => (s === 'document_in_date' ? fail(s) : pass(s))),
            'EXPIRED_DOCUMENT',
          ),
        ],
        ID_DOCUMENT_TEXT_DATA_CHECK: [check('NOT_AVAILABLE', [fail('text_data_readable')], 'PHOTO_TOO_BLURRY', 'BETTER_FOCUS')],
        ID_DOCUMENT_FACE_MATCH: [faceMatch(0.41)],
        LIVENESS: [zoom('REJECT'), zoom('APPROVE')],
      },
    },
    {
      sessionId: DEMO_SESSION_IDS.rejectedIdCard,
      seed: 'demo:rejected-id-card',
      createdAt: ago(2 * DAY + 3_600_000),
      media,
      identities: [
        {
          documentType: 'NATIONAL_ID',
          issuingCountry: 'UTO',
          issuingCountryName: 'UTOPIA',
          givenNames: 'Anna Maria',
          familyName: 'Eriksson',
          fullName: 'Anna Maria Eriksson',
          documentNumber: 'D23145890',
          dateOfBirth: '1974-08-12',
          placeOfBirth: 'Zenith',
          nationality: 'UTO',
          gender: 'FEMALE',
          dateOfIssue: '2002-04-16',
          expirationDate: '2012-04-15',
          issuingAuthority: 'Utopia Identity Office',
          mrzFormat: 'TD1',
          portraitSeed: 'demo:anna-maria-eriksson',
        },
      ],
      // someone else in front of the camera: the reason the face match is weak
      livenessSubjectSeed: 'demo:someone-else',
    },
  );

  const ongoing = sessionFromResponseConfig(
    {
      task_results: { ID_DOCUMENT_TEXT_DATA_EXTRACTION: [{ result: {}, document_filter: { document_types: ['PASSPORT'], country_codes: ['UTO'] } }] },
      check_reports: {
        ID_DOCUMENT_AUTHENTICITY: [approvedAuthenticity],
        ID_DOCUMENT_FACE_MATCH: [faceMatch(0.9)],
        LIVENESS: [zoom('APPROVE')],
      },
    },
    { sessionId: DEMO_SESSION_IDS.ongoing, seed: 'demo:ongoing', state: 'ONGOING', createdAt: ago(10 * 60_000), media },
  );

  const edge = sessionFromResponseConfig(
    {
      task_results: {
        ID_DOCUMENT_TEXT_DATA_EXTRACTION: [{ result: {}, document_filter: { document_types: ['DRIVING_LICENCE'], country_codes: ['UTO'] } }],
        SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION: [{ result: {}, document_filter: { document_types: ['UTILITY_BILL'], country_codes: ['UTO'] } }],
      },
      check_reports: {
        ID_DOCUMENT_AUTHENTICITY: [approvedAuthenticity],
        // the manual text-data check corrected the extraction; its JSON replaces document_fields
        ID_DOCUMENT_TEXT_DATA_CHECK: [
          {
            result: {
              ...approvedText.result,
              document_fields: { given_names: 'ROBIN ALEX', first_name: 'ROBIN', full_name: 'ROBIN ALEX SAMPLE', date_of_birth: '1988-02-29' },
            },
          },
        ],
        ID_DOCUMENT_FACE_MATCH: [faceMatch(0.88)],
        LIVENESS: [
          { ...check('APPROVE', [pass('liveness_auth')]), liveness_type: 'EXAMPLE_FUTURE_LIVENESS' },
          { ...check('APPROVE', [pass('liveness_auth'), pass('face_processing'), pass('payload_signature_verification')]), liveness_type: 'STATIC' },
        ],
        SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK: [approvedText],
        EXAMPLE_FUTURE_CHECK: [check('CONSIDER', [pass('example_sub_check', [{ name: 'example_detail', value: 'synthetic' }])], 'EXAMPLE_REASON')],
      },
    },
    {
      sessionId: DEMO_SESSION_IDS.edgeCases,
      seed: 'demo:edge-cases',
      createdAt: ago(DAY + 7_200_000),
      media,
      identities: [
        {
          documentType: 'DRIVING_LICENCE',
          givenNames: 'Robin',
          familyName: 'Sample',
          fullName: 'Robin Sample',
          dateOfBirth: '1988-03-01',
          documentNumber: 'SAMPL803018RS9AB',
          gender: 'OTHER',
          issuingAuthority: 'Utopia Driver Agency',
          mrzFormat: undefined,
          portraitSeed: 'demo:robin-sample',
        },
      ],
    },
  );
  // Yoti answers 204 for a media item it holds no content for: make the id photo such an item.
  const idPhoto = firstDocument(edge.session)?.document_id_photo;
  const photoId = mediaIdOf(idPhoto);
  if (photoId && edge.media instanceof Map) edge.media.set(photoId, { noContent: true });

  const nonLatin = sessionFromResponseConfig(
    {
      task_results: { ID_DOCUMENT_TEXT_DATA_EXTRACTION: [{ result: {}, document_filter: { document_types: ['PASSPORT'], country_codes: ['UTO'] } }] },
      check_reports: {
        ID_DOCUMENT_AUTHENTICITY: [approvedAuthenticity],
        ID_DOCUMENT_TEXT_DATA_CHECK: [approvedText],
        ID_DOCUMENT_FACE_MATCH: [faceMatch(0.88)],
        LIVENESS: [zoom('APPROVE')],
      },
    },
    {
      sessionId: DEMO_SESSION_IDS.nonLatin,
      seed: 'demo:non-latin',
      createdAt: ago(5 * 3_600_000),
      media: { ...media, idPhotoFormat: 'png' },
      identities: [
        {
          documentType: 'PASSPORT',
          givenNames: 'Ελένη',
          familyName: 'Παπαδοπούλου',
          fullName: 'Ελένη Παπαδοπούλου',
          documentNumber: 'GR0000042',
          dateOfBirth: '1990-11-03',
          placeOfBirth: 'Utopia City',
          gender: 'FEMALE',
          dateOfIssue: `${year - 2}-06-01`,
          expirationDate: `${year + 8}-05-31`,
          mrzFormat: 'TD3',
          portraitSeed: 'demo:eleni',
        },
      ],
    },
  );

  return [approved, rejected, ongoing, edge, nonLatin];
}

function firstDocument(session: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
  const resources = session.resources;
  if (!isObject(resources)) return undefined;
  const docs = resources.id_documents;
  return Array.isArray(docs) && isObject(docs[0]) ? docs[0] : undefined;
}

function mediaIdOf(ref: unknown): string | undefined {
  if (!isObject(ref) || !isObject(ref.media)) return undefined;
  return typeof ref.media.id === 'string' ? ref.media.id : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}


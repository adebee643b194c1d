import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
// The official SDK, as an independent real client (devDependency only).
import { IDVClient, Payload, RequestBuilder, SessionSpecificationBuilder } from 'yoti';
import { DEMO_SESSION_IDS } from '../../main/core/demo-server/demo-sessions';
import { startDemoServer, type DemoServer } from '../../main/core/demo-server/server';
import { sdkMediaIds } from '../support/sdk-media-ids';

const SDK_ID = '5d0c0a5e-1234-4abc-8def-0123456789ab';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = keys.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

let server: DemoServer;
let client: IDVClient;

beforeAll(async () => {
  server = await startDemoServer({ apps: [{ sdkId: SDK_ID, publicKey: keys.publicKey }], now: () => new Date('2026-03-01T12:00:00Z') });
  client = new IDVClient(SDK_ID, pem, { apiUrl: server.baseUrl });
});
afterAll(async () => {
  await server.close();
});

interface SdkError {
  name: string;
  getResponseStatusCode(): number | null;
  getResponseBody(): unknown;
}
async function rejection(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (e) {
    return e as SdkError;
  }
  throw new Error('expected the SDK call to fail');
}

describe('the official yoti SDK against the demo server', () => {
  test('getSession parses every demo session', async () => {
    for (const id of Object.values(DEMO_SESSION_IDS)) {
      const s = await client.getSession(id);
      expect(s.getSessionId()).toBe(id);
    }
  });

  test('approved passport: state, checks, resources', async () => {
    const s = await client.getSession(DEMO_SESSION_IDS.approvedPassport);
    expect(s.getState()).toBe('COMPLETED');
    expect(s.getAuthenticityChecks()).toHaveLength(1);
    expect(s.getIdDocumentTextDataChecks()).toHaveLength(1);
    expect(s.getLivenessChecks()).toHaveLength(1);
    const fm = s.getFaceMatchChecks()[0]!;
    expect(fm.getReport().getRecommendation().getValue()).toBe('APPROVE');
    const ai = fm.getReport().getBreakdown().find((b) => b.getSubCheck() === 'ai_face_match')!;
    expect(ai.getDetails()[0]!.getValue()).toBe('0.93');
    const doc = s.getResources().getIdDocuments()[0]!;
    expect([doc.getDocumentType(), doc.getIssuingCountry()]).toEqual(['PASSPORT', 'UTO']);
    expect(fm.getResourcesUsed()).toContain(doc.getId());
    const zoom = s.getResources().getZoomLivenessResources();
    expect(zoom).toHaveLength(1);
    expect(zoom[0]!.getFrames()).toHaveLength(7);
    const cfg = await client.getSessionConfiguration(DEMO_SESSION_IDS.approvedPassport);
    expect(cfg.getSessionId()).toBe(DEMO_SESSION_IDS.approvedPassport);
    expect(cfg.getRequestedChecks()).toContain('LIVENESS');
  });

  test('rejected card: two liveness attempts, generic fallbacks where needed', async () => {
    const s = await client.getSession(DEMO_SESSION_IDS.rejectedIdCard);
    expect(s.getLivenessChecks().map((c) => c.getReport().getRecommendation().getValue())).toEqual(['REJECT', 'APPROVE']);
    const td = s.getIdDocumentTextDataChecks()[0]!.getReport().getRecommendation();
    expect([td.getValue(), td.getReason(), td.getRecoverySuggestion()]).toEqual(['NOT_AVAILABLE', 'PHOTO_TOO_BLURRY', 'BETTER_FOCUS']);
  });

  test('every media item downloads byte-identical with the right mime type; 204 → null', async () => {
    for (const sessionId of [DEMO_SESSION_IDS.approvedPassport, DEMO_SESSION_IDS.edgeCases, DEMO_SESSION_IDS.nonLatin]) {
      const ids = sdkMediaIds(await client.getSession(sessionId));
      expect(ids.length).toBeGreaterThan(5);
      for (const mediaId of ids) {
        const expected = server.getMedia(sessionId, mediaId);
        expect(expected, mediaId).toBeDefined();
        const media = await client.getMediaContent(sessionId, mediaId);
        if (expected && 'noContent' in expected) {
          expect(media).toBeNull();
        } else if (expected) {
          expect(media).not.toBeNull();
          expect(media!.getMimeType()).toBe(expected.contentType);
          expect(media!.getContent().equals(Buffer.from(expected.bytes))).toBe(true);
        }
      }
    }
    const png = (await client.getSession(DEMO_SESSION_IDS.nonLatin)).getResources().getIdDocuments()[0]!.getDocumentIdPhoto().getMedia().getId();
    expect((await client.getMediaContent(DEMO_SESSION_IDS.nonLatin, png))!.getMimeType()).toBe('image/png');
  });

  test('edge cases parse: unknown check, STATIC and unknown liveness', async () => {
    const s = await client.getSession(DEMO_SESSION_IDS.edgeCases);
    expect(s.getChecks().map((c) => c.getType())).toContain('EXAMPLE_FUTURE_CHECK');
    expect(s.getResources().getStaticLivenessResources()).toHaveLength(1);
    expect(s.getResources().getLivenessCapture()).toHaveLength(2);
    expect(s.getSupplementaryDocumentTextDataChecks()).toHaveLength(1);
  });

  test('delete a media item (then 404), delete the completed session (then 404); an ongoing one is refused', async () => {
    const id = DEMO_SESSION_IDS.approvedPassport;
    const doc = (await client.getSession(id)).getResources().getIdDocuments()[0]!;
    const fieldsId = doc.getDocumentFields().getMedia().getId();
    await client.deleteMediaContent(id, fieldsId);
    const gone = await rejection(client.getMediaContent(id, fieldsId));
    expect(gone.getResponseStatusCode()).toBe(404);
    expect(gone.getResponseBody()).toEqual({ code: 'NOT_FOUND', message: 'Media not found' });

    await client.deleteSession(id);
    const missing = await rejection(client.getSession(id));
    expect(missing.name).toBe('IDVError');
    expect(missing.getResponseStatusCode()).toBe(404);
    expect(missing.getResponseBody()).toEqual({ code: 'SESSION_NOT_FOUND', message: 'Session not found' });

    const refused = await rejection(client.deleteSession(DEMO_SESSION_IDS.ongoing));
    expect(refused.getResponseStatusCode()).toBe(409);
  });

  test('a client with the wrong key gets 401, an unknown SDK id APP_NOT_FOUND', async () => {
    const otherPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const wrong = await rejection(new IDVClient(SDK_ID, otherPem, { apiUrl: server.baseUrl }).getSession(DEMO_SESSION_IDS.nonLatin));
    expect(wrong.getResponseStatusCode()).toBe(401);
    const unknown = await rejection(new IDVClient('ffffffff-0000-4000-8000-000000000000', pem, { apiUrl: server.baseUrl }).getSession(DEMO_SESSION_IDS.nonLatin));
    expect(unknown.getResponseStatusCode()).toBe(404);
    expect(unknown.getResponseBody()).toEqual({ code: 'APP_NOT_FOUND', message: 'The referenced application does not exist' });
  });

  test('response-config PUT through the SDK RequestBuilder, read back with IDVClient', async () => {
    const sessionId = 'b0b0b0b0-0000-4000-8000-000000000001';
    const config = {
      task_results: { ID_DOCUMENT_TEXT_DATA_EXTRACTION: [{ result: { document_fields: { full_name: 'Sam Sample' } } }] },
      check_reports: {
        ID_DOCUMENT_AUTHENTICITY: [{ result: { report: { recommendation: { value: 'REJECT', reason: 'TAMPERED' }, breakdown: [{ sub_check: 'no_sign_of_tampering', result: 'FAIL' }] } } }],
        LIVENESS: [
          { liveness_type: 'ZOOM', result: { report: { recommendation: { value: 'REJECT' }, breakdown: [{ sub_check: 'liveness_auth', result: 'FAIL' }] } } },
          { liveness_type: 'ZOOM', result: { report: { recommendation: { value: 'APPROVE' }, breakdown: [{ sub_check: 'liveness_auth', result: 'PASS' }] } } },
        ],
      },
    };
    const response = (await new RequestBuilder()
      .withPemString(pem)
      .withBaseUrl(server.baseUrl)
      .withEndpoint(`/sessions/${sessionId}/response-config`)
      .withQueryParam('sdkId', SDK_ID)
      .withPut()
      .withPayload(new Payload(config))
      .build()
      .execute()) as { getStatusCode(): number };
    expect(response.getStatusCode()).toBe(204);

    const s = await client.getSession(sessionId);
    expect(s.getAuthenticityChecks()[0]!.getReport().getRecommendation().getReason()).toBe('TAMPERED');
    expect(s.getLivenessChecks().map((c) => c.getReport().getRecommendation().getValue())).toEqual(['REJECT', 'APPROVE']);
    const fieldsId = s.getResources().getIdDocuments()[0]!.getDocumentFields().getMedia().getId();
    const fields = await client.getMediaContent(sessionId, fieldsId);
    expect(fields!.getMimeType()).toBe('application/json');
    expect(JSON.parse(fields!.getContent().toString('utf8'))).toMatchObject({ full_name: 'Sam Sample' });
  });

  test('app-level response-config applies to a session created with createSession', async () => {
    await new RequestBuilder()
      .withPemString(pem)
      .withBaseUrl(server.baseUrl)
      .withEndpoint(`/apps/${SDK_ID}/response-config`)
      .withMethod('PUT')
      .withPayload(new Payload({ check_reports: { ID_DOCUMENT_FACE_MATCH: [{ result: { report: { recommendation: { value: 'REJECT' }, breakdown: [] } } }] } }))
      .build()
      .execute();
    const created = await client.createSession(new SessionSpecificationBuilder().withClientSessionTokenTtl(600).withUserTrackingId('trainee-7').build());
    const s = await client.getSession(created.getSessionId());
    expect(s.getUserTrackingId()).toBe('trainee-7');
    expect(s.getFaceMatchChecks()[0]!.getReport().getRecommendation().getValue()).toBe('REJECT');
  });

  test('a bad response-config comes back as MALFORMED_REQUEST naming the property', async () => {
    const err = await rejection(
      new RequestBuilder()
        .withPemString(pem)
        .withBaseUrl(server.baseUrl)
        .withEndpoint(`/sessions/${DEMO_SESSION_IDS.nonLatin}/response-config`)
        .withQueryParam('sdkId', SDK_ID)
        .withPut()
        .withPayload(new Payload({ check_reports: { LIVENESS: [{ result: {} }] } }))
        .build()
        .execute() as Promise<unknown>,
    );
    const e = err as unknown as { status?: number; response?: { body?: { code?: string; errors?: Array<{ property: string }> } } };
    expect(e.status).toBe(400);
    expect(e.response?.body?.code).toBe('MALFORMED_REQUEST');
    expect(e.response?.body?.errors?.[0]?.property).toBe('check_reports.LIVENESS[0].result.report');
  });
});

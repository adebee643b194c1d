import { createHash } from 'node:crypto';
import { createDemoSessions, DEMO_SESSION_IDS, type DemoSetOptions } from '../../../main/core/demo-server/demo-sessions';
import type { DemoMedia, DemoSession } from '../../../main/core/demo-server/types';
import { toDocumentFields } from '../../../main/core/report/document-fields';
import type { ReportInput, ReportReview, ReportStoredMedia } from '../../../main/core/report/types';
import { parseSession } from '../../../common/session/parse';
import { summarizeSession } from '../../../common/session/summary';
import type { MediaRole } from '../../../common/session/media';

/** Builds a ReportInput from a demo session, the way the app will from its store. */

export const NOW = new Date('2026-03-01T12:00:00Z');
export const FETCHED = '2026-03-01T09:15:00Z';
export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

const IMAGE_ROLES: ReadonlySet<MediaRole> = new Set(['DOCUMENT_PAGE', 'DOCUMENT_ID_PHOTO', 'LIVENESS_FRAME', 'LIVENESS_IMAGE', 'FACE_CAPTURE_IMAGE']);

/** The document fields JSON of a demo session's first document, as Yoti serves it (bytes and parsed). */
export function documentFieldsMedia(sessionId: string): { bytes: Buffer; json: Record<string, unknown> } {
  const demo = demoSession(sessionId);
  const { session } = parseSession(demo.session);
  const f = summarizeSession(session).documents[0]?.fields;
  const mediaId = f === undefined || f.source === 'NONE' ? undefined : f.mediaId;
  const m = mediaId === undefined ? undefined : mediaBytes(demo, mediaId);
  if (m === undefined || m === 'no-content') throw new Error(`no document fields in ${sessionId}`);
  const bytes = Buffer.from(m.bytes);
  return { bytes, json: JSON.parse(bytes.toString('utf8')) as Record<string, unknown> };
}

export function mediaBytes(demo: DemoSession, id: string): { contentType: string; bytes: Uint8Array } | 'no-content' | undefined {
  const m: DemoMedia | undefined = demo.media instanceof Map ? demo.media.get(id) : (demo.media as Record<string, DemoMedia>)[id];
  if (m === undefined) return undefined;
  if ('noContent' in m) return 'no-content';
  return { contentType: m.contentType, bytes: 'bytes' in m ? m.bytes : m.generate() };
}

export interface FixtureOptions {
  sessionId?: string;
  media?: DemoSetOptions['media'];
  review?: Partial<ReportReview>;
  /** Leave these media ids out of `images` (not stored). */
  withoutImages?: readonly string[];
  /** Also embed document page frames (every image of the session). */
  allImages?: boolean;
}

const demoCache = new Map<string, DemoSession[]>();

export function demoSession(sessionId: string, media?: DemoSetOptions['media']): DemoSession {
  const key = JSON.stringify(media ?? {});
  let set = demoCache.get(key);
  if (set === undefined) {
    set = createDemoSessions({ now: NOW, media });
    demoCache.set(key, set);
  }
  const demo = set.find((d) => d.sessionId === sessionId);
  if (!demo) throw new Error(`no demo session ${sessionId}`);
  return demo;
}

export function reportInputFor(opts: FixtureOptions = {}): ReportInput {
  const demo = demoSession(opts.sessionId ?? DEMO_SESSION_IDS.approvedPassport, opts.media);
  const { session, problems } = parseSession(demo.session);
  const summary = summarizeSession(session, { problems });

  const documentFields = summary.documents.flatMap((d) => {
    const f = d.fields;
    if (f === undefined || f.source === 'NONE' || d.resourceId === undefined) return [];
    const m = mediaBytes(demo, f.mediaId);
    if (m === undefined || m === 'no-content') return [];
    const json = JSON.parse(Buffer.from(m.bytes).toString('utf8')) as Record<string, unknown>;
    return [{ resourceId: d.resourceId, fields: toDocumentFields(json), json }];
  });

  const stored: ReportStoredMedia[] = [];
  const images: ReportInput['evidence']['images'] = [];
  for (const item of summary.media) {
    if (item.mediaId === undefined) continue;
    const m = mediaBytes(demo, item.mediaId);
    if (m === undefined) continue;
    if (m === 'no-content') {
      stored.push({ mediaId: item.mediaId, size: 0, fetchedAt: FETCHED, noContent: true });
      continue;
    }
    stored.push({ mediaId: item.mediaId, mimeType: m.contentType, size: m.bytes.byteLength, sha256: sha256(m.bytes), fetchedAt: FETCHED });
    if ((IMAGE_ROLES.has(item.role) || (opts.allImages === true && item.mediaType === 'IMAGE')) && m.contentType.startsWith('image/') && !(opts.withoutImages ?? []).includes(item.mediaId)) {
      images.push({ mediaId: item.mediaId, data: Buffer.from(m.bytes), format: m.contentType.includes('png') ? 'png' : 'jpg' });
    }
  }
  const manifestHash = sha256(Buffer.from(stored.map((s) => `${s.mediaId}:${s.sha256 ?? '-'}`).join('\n')));

  const checkIds = summary.checks.flatMap((c) => (c.id === undefined ? [] : [c.id]));
  const viewable = summary.media.filter((m) => m.captured && m.mediaId !== undefined && IMAGE_ROLES.has(m.role));
  const review: ReportReview = {
    status: 'CONFIRMED',
    versionId: 'rv-0001',
    decision: 'APPROVE',
    reviewer: { name: 'Zoë Ødegård-Łukasiewicz', osAccount: 'zoe.reviewer' },
    firstOpenedAt: '2026-03-01T10:00:05Z',
    decidedAt: '2026-03-01T10:07:47Z',
    timeOnTaskSeconds: 402,
    evidenceViewed: viewable.slice(0, 3).map((m, i) => ({
      mediaId: m.mediaId ?? '',
      firstViewedAt: `2026-03-01T10:0${i + 1}:00Z`,
      tools: { zoom: true, filters: i === 0, compare: i === 1 },
    })),
    reasonCodes: [
      { code: 'DOC_GENUINE', text: 'The document shows no sign of forgery or tampering', source: 'reviewer' },
      { code: 'FACE_MATCHES', text: 'The face on the document matches the person in the liveness frames', source: 'reviewer' },
    ],
    checkVerdicts: checkIds.map((checkId, i) => ({
      checkId,
      verdict: i === 1 ? 'OVERRIDE' : 'AGREE',
      note: i === 1 ? 'Text was readable on the second page frame; Yoti’s result overridden.' : '',
    })),
    notes: 'Checked the document under zoom and with the contrast filter.\nAll security features present.',
    ...opts.review,
  };

  return {
    report: { reportId: '4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f', appVersion: '0.1.0', buildHash: 'cfb2f2d', generatedOffline: true },
    session: { sessionId: demo.sessionId, apiUrl: 'http://127.0.0.1:43111/idverify/v1', fetchedAt: FETCHED, sdkId: 'a1b2c3d4-0000-4000-8000-00000000c11e' },
    summary,
    documentFields,
    evidence: { stored, images, manifestHash },
    review,
    audit: {
      entries: [
        { seq: 101, at: '2026-03-01T09:15:02Z', actor: 'system', action: 'session.fetched', detail: `${stored.length} media stored`, hash: sha256(Buffer.from('101')) },
        { seq: 102, at: '2026-03-01T10:00:05Z', actor: 'Zoë Ødegård-Łukasiewicz (zoe.reviewer)', action: 'session.opened', hash: sha256(Buffer.from('102')) },
        { seq: 103, at: '2026-03-01T10:07:47Z', actor: 'Zoë Ødegård-Łukasiewicz (zoe.reviewer)', action: 'decision.confirmed', detail: 'APPROVE; 2 reason codes', hash: sha256(Buffer.from('103')) },
      ],
      chainHeadHash: sha256(Buffer.from('head')),
      totalEntries: 240,
    },
    retention: { retainUntil: '2031-03-01', basis: '5 years after the end of the business relationship (UK MLR 2017 reg 40)' },
  };
}

/** Words (a realistic note) up to `length` characters, with paragraphs. */
export function longNote(length: number): string {
  const words =
    'The reviewer compared the portrait on the data page with every liveness frame under zoom and found the features consistent; the hologram moved as expected, the microprint was sharp, the MRZ check digits were valid and no sign of tampering was seen. Łódź Ærøskøbing Дмитрий Иванов ΕΛΕΝΗ ΠΑΠΑΔΟΠΟΥΛΟΥ'.split(
      ' ',
    );
  let out = '';
  let i = 0;
  while (out.length < length) {
    const w = words[i % words.length] ?? 'word';
    out += w;
    out += i % 83 === 82 ? '\n\n' : ' ';
    i += 1;
  }
  return out.slice(0, length).trimEnd();
}

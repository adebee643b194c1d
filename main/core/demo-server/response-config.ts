import * as z from 'zod';
import { AppError } from '../../../common/errors';
import { isYotiId } from '../../../common/yoti-ids';
import {
  documentFieldsObject,
  jsonMediaBytes,
  specimenMrzLines,
  syntheticIdentity,
  type SpecimenIdentity,
} from './media/document-fields';
import { generateFacemap } from './media/facemap';
import { renderLivenessFrame } from './media/liveness-frames';
import { renderPortrait } from './media/portrait';
import { renderDocumentPage, renderSupplementaryPage, type PageSide } from './media/specimen-document';
import { idFactory } from './random';
import type { DemoMedia, DemoSession, JsonObject, JsonValue } from './types';

/**
 * Yoti's sandbox `response-config` body (yoti-api-notes §5), validated with zod, and its
 * materialisation into a GET-session JSON (§4) plus generated media. Everything is deterministic from
 * the seed (and the creation time, which only moves timestamps).
 */

// ---------------------------------------------------------------------------------------------------
// Schema

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);
const jsonObject = z.record(z.string(), jsonValue);

const documentFilter = z.object({
  document_types: z.array(z.string().min(1)).max(20).optional(),
  country_codes: z.array(z.string().min(1)).max(50).optional(),
});

const recommendation = z.object({
  value: z.string().min(1),
  reason: z.string().min(1).optional(),
  recovery_suggestion: z.string().min(1).optional(),
});

const breakdown = z.object({
  sub_check: z.string().min(1),
  result: z.string().min(1),
  process: z.string().min(1).optional(),
  details: z.array(z.object({ name: z.string(), value: z.string() })).max(50).optional(),
});

const report = z.object({ recommendation, breakdown: z.array(breakdown).max(50).optional() });

const sandboxCheck = z.object({ result: z.object({ report }), document_filter: documentFilter.optional() });
const textDataCheck = z.object({
  result: z.object({ report, document_fields: jsonObject.optional() }),
  document_filter: documentFilter.optional(),
});
const livenessCheck = sandboxCheck.extend({ liveness_type: z.string().min(1).max(64).optional() });
const comparisonCheck = sandboxCheck.extend({ secondary_document_filter: documentFilter.optional() });

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const taskRecommendation = z.object({
  value: z.string().min(1),
  reason: z.object({ value: z.string().min(1), detail: z.string().optional() }).optional(),
});
const textExtractionTask = z.object({
  result: z.object({
    document_fields: jsonObject.optional(),
    document_id_photo: z
      .object({
        content_type: z.enum(['image/jpeg', 'image/png']),
        data: z.string().regex(BASE64, 'must be base64').max(8_000_000),
      })
      .optional(),
    detected_country: z.string().min(1).optional(),
    recommendation: taskRecommendation.optional(),
  }),
  document_filter: documentFilter.optional(),
});
const supplementaryExtractionTask = z.object({
  result: z.object({
    document_fields: jsonObject.optional(),
    detected_country: z.string().min(1).optional(),
    recommendation: taskRecommendation.optional(),
  }),
  document_filter: documentFilter.optional(),
});

const MAX = 10;

export const responseConfigSchema = z.object({
  task_results: z
    .object({
      ID_DOCUMENT_TEXT_DATA_EXTRACTION: z.array(textExtractionTask).max(MAX).optional(),
      SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION: z.array(supplementaryExtractionTask).max(MAX).optional(),
    })
    .optional(),
  check_reports: z
    .object({
      ID_DOCUMENT_AUTHENTICITY: z.array(sandboxCheck).max(MAX).optional(),
      ID_DOCUMENT_TEXT_DATA_CHECK: z.array(textDataCheck).max(MAX).optional(),
      ID_DOCUMENT_FACE_MATCH: z.array(sandboxCheck).max(MAX).optional(),
      LIVENESS: z.array(livenessCheck).max(MAX).optional(),
      ID_DOCUMENT_COMPARISON: z.array(comparisonCheck).max(MAX).optional(),
      SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK: z.array(textDataCheck).max(MAX).optional(),
      THIRD_PARTY_IDENTITY: sandboxCheck.optional(),
      async_report_delay: z.number().int().min(0).max(86_400).optional(),
    })
    // Any other upper-case key is taken as a check type Yoti may add later: rendered as a generic check.
    .catchall(z.array(sandboxCheck).max(MAX))
    .optional(),
});

export type ResponseConfig = z.infer<typeof responseConfigSchema>;
type SandboxCheck = z.infer<typeof sandboxCheck>;

export interface ConfigErrorDetail {
  property: string;
  message: string;
}

/** A response-config that does not validate; the server answers 400 MALFORMED_REQUEST with `errors`. */
export class ResponseConfigError extends AppError {
  override readonly name = 'ResponseConfigError';
  constructor(readonly errors: ConfigErrorDetail[]) {
    super('MALFORMED_REQUEST', `Invalid response-config: ${errors.map((e) => `${e.property} ${e.message}`).join('; ')}`, 'usage');
  }
}

function propertyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}

export function parseResponseConfig(input: unknown): { ok: true; config: ResponseConfig } | { ok: false; errors: ConfigErrorDetail[] } {
  const r = responseConfigSchema.safeParse(input);
  if (r.success) {
    const extra = Object.keys(r.data.check_reports ?? {}).filter((k) => !KNOWN_CHECK_KEYS.has(k) && !/^[A-Z][A-Z0-9_]{0,63}$/.test(k));
    if (extra.length > 0) {
      return { ok: false, errors: extra.map((k) => ({ property: `check_reports.${k}`, message: 'is not a check type' })) };
    }
    return { ok: true, config: r.data };
  }
  return {
    ok: false,
    errors: r.error.issues.slice(0, 20).map((i) => ({ property: propertyPath(i.path), message: i.message })),
  };
}

const KNOWN_CHECK_KEYS = new Set([
  'ID_DOCUMENT_AUTHENTICITY',
  'ID_DOCUMENT_TEXT_DATA_CHECK',
  'ID_DOCUMENT_FACE_MATCH',
  'LIVENESS',
  'ID_DOCUMENT_COMPARISON',
  'SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK',
  'THIRD_PARTY_IDENTITY',
  'async_report_delay',
]);

// ---------------------------------------------------------------------------------------------------
// Materialisation

export interface MaterialiseMediaOptions {
  /** About this many bytes per document page JPEG (the benchmark asks for ≈1 MB); default small. */
  pageTargetBytes?: number;
  /** Page width in pixels when no target size is set (default 640). */
  pageWidth?: number;
  /** Frames per document page (default 1). */
  pageFrames?: number;
  /** ZOOM liveness: frames with an image (default 3) and empty `{}` frames (default 4), as in Yoti's example. */
  zoomImageFrames?: number;
  zoomEmptyFrames?: number;
  /** document_id_photo format (default jpeg). */
  idPhotoFormat?: 'jpeg' | 'png';
  facemapBytes?: number;
}

export interface MaterialiseOptions {
  sessionId: string;
  /** Everything generated derives from it; defaults to the session id. */
  seed?: string;
  /** COMPLETED (default), ONGOING or EXPIRED; only COMPLETED (or another value) carries reports. */
  state?: string;
  /** Creation time of the session; timestamps follow it (default 2025-01-15T09:30:00Z). */
  createdAt?: Date;
  media?: MaterialiseMediaOptions;
  /** Per id-document overrides of the synthetic identity (index = document index). */
  identities?: ReadonlyArray<Partial<SpecimenIdentity> | undefined>;
  /** Whose face the liveness frames show (default: the first document's portrait, i.e. the same person). */
  livenessSubjectSeed?: string;
  userTrackingId?: string;
}

const DEFAULT_CREATED = new Date('2025-01-15T09:30:00Z');

/** Builds a session (JSON + media) from a sandbox response-config. Throws ResponseConfigError when invalid. */
export function sessionFromResponseConfig(config: unknown, opts: MaterialiseOptions): DemoSession {
  const parsed = parseResponseConfig(config);
  if (!parsed.ok) throw new ResponseConfigError(parsed.errors);
  if (!isYotiId(opts.sessionId)) throw new ResponseConfigError([{ property: 'sessionId', message: 'is not a valid session id' }]);
  const cfg = parsed.config;
  const state = opts.state ?? 'COMPLETED';
  const delay = cfg.check_reports?.async_report_delay ?? 0;
  const complete = materialise(cfg, opts, state);
  if (delay > 0 && reportsReady(state)) {
    const pending = materialise(cfg, opts, 'ONGOING');
    const created = opts.createdAt ?? DEFAULT_CREATED;
    return {
      ...complete,
      pendingSession: pending.session,
      reportsAvailableAt: new Date(created.getTime() + delay * 1000),
    };
  }
  return complete;
}

const reportsReady = (state: string): boolean => state !== 'ONGOING' && state !== 'EXPIRED';

const FIELD_MAP: ReadonlyArray<readonly [string, keyof SpecimenIdentity]> = [
  ['full_name', 'fullName'],
  ['given_names', 'givenNames'],
  ['family_name', 'familyName'],
  ['date_of_birth', 'dateOfBirth'],
  ['place_of_birth', 'placeOfBirth'],
  ['nationality', 'nationality'],
  ['gender', 'gender'],
  ['document_type', 'documentType'],
  ['issuing_country', 'issuingCountry'],
  ['document_number', 'documentNumber'],
  ['expiration_date', 'expirationDate'],
  ['date_of_issue', 'dateOfIssue'],
  ['issuing_authority', 'issuingAuthority'],
  ['personal_number', 'personalNumber'],
];

const COUNTRY_NAMES: Readonly<Record<string, string>> = { UTO: 'UTOPIA', GBR: 'UNITED KINGDOM', IRL: 'IRELAND', FRA: 'FRANCE', DEU: 'GERMANY' };

function identityFrom(
  seed: string,
  index: number,
  task: z.infer<typeof textExtractionTask> | undefined,
  filter: z.infer<typeof documentFilter> | undefined,
  override: Partial<SpecimenIdentity> | undefined,
  today: Date,
): SpecimenIdentity {
  const o: Partial<SpecimenIdentity> = {};
  const f = filter ?? task?.document_filter;
  if (f?.document_types?.[0]) o.documentType = f.document_types[0];
  if (f?.country_codes?.[0]) o.issuingCountry = f.country_codes[0];
  if (task?.result.detected_country) o.issuingCountry = task.result.detected_country;
  const fields = task?.result.document_fields ?? {};
  for (const [json, key] of FIELD_MAP) {
    const v = fields[json];
    if (typeof v === 'string' && v.length > 0) (o as Record<string, string>)[key] = v;
  }
  const merged = { ...o, ...override };
  if (merged.issuingCountry && !merged.issuingCountryName) merged.issuingCountryName = COUNTRY_NAMES[merged.issuingCountry] ?? merged.issuingCountry;
  const id = syntheticIdentity(`${seed}:doc${index}`, merged, today);
  // A configured value an MRZ cannot hold (odd dates, punctuation in the number): draw the card without an MRZ.
  try {
    specimenMrzLines(id);
    return id;
  } catch {
    return { ...id, mrzFormat: undefined };
  }
}

interface Built {
  session: JsonObject;
  configuration: JsonObject;
  media: Map<string, DemoMedia>;
}

function materialise(cfg: ResponseConfig, opts: MaterialiseOptions, state: string): DemoSession & Built {
  const seed = opts.seed ?? opts.sessionId;
  const id = idFactory(seed);
  const created = opts.createdAt ?? DEFAULT_CREATED;
  const ready = reportsReady(state);
  const m = opts.media ?? {};
  const media = new Map<string, DemoMedia>();
  const iso = (offsetSeconds: number): string => new Date(created.getTime() + offsetSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const mediaObj = (mediaId: string, type: string, at: number): JsonObject => ({ id: mediaId, type, created: iso(at), last_updated: iso(at) });
  const mediaRef = (mediaId: string, type: string, at: number): JsonObject => ({ media: mediaObj(mediaId, type, at) });
  const lazy = (contentType: string, gen: () => Uint8Array): DemoMedia => {
    let cached: Uint8Array | undefined;
    return { contentType, generate: () => (cached ??= gen()) };
  };

  const checks = cfg.check_reports ?? {};
  const idTasks = cfg.task_results?.ID_DOCUMENT_TEXT_DATA_EXTRACTION ?? [];
  const suppTasks = cfg.task_results?.SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION ?? [];
  const documentChecks = [
    ...(checks.ID_DOCUMENT_AUTHENTICITY ?? []),
    ...(checks.ID_DOCUMENT_TEXT_DATA_CHECK ?? []),
    ...(checks.ID_DOCUMENT_FACE_MATCH ?? []),
    ...(checks.ID_DOCUMENT_COMPARISON ?? []),
  ];
  const docCount = Math.max(idTasks.length, documentChecks.length > 0 || (opts.identities?.length ?? 0) > 0 ? 1 : 0, opts.identities?.length ?? 0);

  // --- id documents
  interface DocBuilt {
    resourceId: string;
    identity: SpecimenIdentity;
    json: JsonObject;
    task: JsonObject;
    filter: { types: string[]; countries: string[] };
  }
  const docs: DocBuilt[] = [];
  for (let i = 0; i < docCount; i++) {
    const tr = idTasks[i];
    const identity = identityFrom(seed, i, tr, undefined, opts.identities?.[i], created);
    const resourceId = id(`doc:${i}`);
    const at = 60 + i * 90;
    const sides: PageSide[] = identity.documentType === 'PASSPORT' ? ['front'] : ['front', 'back'];
    const pages: JsonValue[] = sides.map((side, p) => {
      const pageId = id(`doc:${i}:page:${p}`);
      media.set(pageId, lazy('image/jpeg', () => renderDocumentPage(identity, side, { targetBytes: m.pageTargetBytes, width: m.pageWidth })));
      const frames: JsonValue[] = [];
      for (let k = 0; k < (m.pageFrames ?? 1); k++) {
        const frameId = id(`doc:${i}:page:${p}:frame:${k}`);
        media.set(frameId, lazy('image/jpeg', () => renderDocumentPage(identity, side, { width: 480, variant: k + 1, quality: 80 })));
        frames.push(mediaRef(frameId, 'IMAGE', at + p * 10 + k));
      }
      return { capture_method: 'CAMERA', media: mediaObj(pageId, 'IMAGE', at + p * 10), frames };
    });
    const taskId = id(`doc:${i}:task`);
    const fieldsId = id(`doc:${i}:fields`);
    const rec = tr?.result.recommendation?.value;
    const extracted = ready && (rec === undefined || rec === 'PROGRESS');
    const fieldsObj: JsonObject = { ...documentFieldsObject(identity), ...(tr?.result.document_fields ?? {}) };
    const task = extractionTask('ID_DOCUMENT_TEXT_DATA_EXTRACTION', taskId, iso(at), iso(at + 20), ready, extracted ? fieldsId : undefined);
    const json: JsonObject = {
      id: resourceId,
      source: { type: 'END_USER' },
      created_at: iso(at),
      last_updated: iso(at + 20),
      tasks: [task],
      document_type: identity.documentType,
      issuing_country: identity.issuingCountry,
      pages,
    };
    if (extracted) {
      media.set(fieldsId, { contentType: 'application/json', bytes: jsonMediaBytes(fieldsObj) });
      json.document_fields = mediaRef(fieldsId, 'JSON', at + 20);
      const photoId = id(`doc:${i}:id-photo`);
      const photo = tr?.result.document_id_photo;
      if (photo) {
        media.set(photoId, { contentType: photo.content_type, bytes: Buffer.from(photo.data, 'base64') });
      } else {
        const format = m.idPhotoFormat ?? 'jpeg';
        media.set(photoId, lazy(format === 'png' ? 'image/png' : 'image/jpeg', () => renderPortrait(identity.portraitSeed, { format }).bytes));
      }
      json.document_id_photo = mediaRef(photoId, 'IMAGE', at + 20);
    }
    docs.push({
      resourceId,
      identity,
      json,
      task,
      filter: { types: [identity.documentType], countries: [identity.issuingCountry] },
    });
  }

  // --- supplementary documents
  const suppChecks = checks.SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK ?? [];
  const suppCount = Math.max(suppTasks.length, suppChecks.length > 0 ? 1 : 0);
  const supps: Array<{ resourceId: string; json: JsonObject; task: JsonObject; type: string; country: string }> = [];
  for (let i = 0; i < suppCount; i++) {
    const tr = suppTasks[i];
    const resourceId = id(`supp:${i}`);
    const at = 400 + i * 60;
    const type = tr?.document_filter?.document_types?.[0] ?? 'UTILITY_BILL';
    const country = tr?.result.detected_country ?? tr?.document_filter?.country_codes?.[0] ?? docs[0]?.identity.issuingCountry ?? 'UTO';
    const holder = docs[0]?.identity.fullName ?? 'ALEX SPECIMEN';
    const fieldsObj: JsonObject = {
      full_name: holder,
      document_type: type,
      issuing_country: country,
      structured_postal_address: { address_format: 1, building_number: '1', address_line1: '1 SPECIMEN STREET', town_city: 'UTOPIA CITY', country_iso: country },
      ...(tr?.result.document_fields ?? {}),
    };
    const pageId = id(`supp:${i}:page`);
    const name = typeof fieldsObj.full_name === 'string' ? fieldsObj.full_name : holder;
    media.set(pageId, lazy('image/jpeg', () =>
      renderSupplementaryPage({ documentType: type, fullName: name, address: '1 SPECIMEN STREET, UTOPIA CITY', issuer: 'UTOPIA POWER AND LIGHT', date: iso(0).slice(0, 10) }, `${seed}:supp:${i}`),
    ));
    const taskId = id(`supp:${i}:task`);
    const fieldsId = id(`supp:${i}:fields`);
    const rec = tr?.result.recommendation?.value;
    const extracted = ready && (rec === undefined || rec === 'PROGRESS');
    const task = extractionTask('SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION', taskId, iso(at), iso(at + 15), ready, extracted ? fieldsId : undefined);
    const json: JsonObject = {
      id: resourceId,
      source: { type: 'END_USER' },
      created_at: iso(at),
      last_updated: iso(at + 15),
      tasks: [task],
      document_type: type,
      issuing_country: country,
      pages: [{ capture_method: 'UPLOAD', media: mediaObj(pageId, 'IMAGE', at), frames: [] }],
    };
    if (extracted) {
      media.set(fieldsId, { contentType: 'application/json', bytes: jsonMediaBytes(fieldsObj) });
      json.document_fields = mediaRef(fieldsId, 'JSON', at + 15);
    }
    supps.push({ resourceId, json, task, type, country });
  }

  // --- liveness (one resource per attempt)
  const attempts = checks.LIVENESS ?? [];
  const subject = opts.livenessSubjectSeed ?? docs[0]?.identity.portraitSeed ?? `${seed}:subject`;
  const liveness: Array<{ resourceId: string; json: JsonObject; type: string }> = attempts.map((attempt, j) => {
    const resourceId = id(`liveness:${j}`);
    const at = 250 + j * 40;
    const type = attempt.liveness_type ?? 'ZOOM';
    const json: JsonObject = {
      id: resourceId,
      source: { type: 'END_USER' },
      created_at: iso(at),
      last_updated: iso(at + 5),
      tasks: [],
      liveness_type: type,
    };
    if (type === 'ZOOM') {
      const frames: JsonValue[] = [];
      for (let k = 0; k < (m.zoomImageFrames ?? 3); k++) {
        const frameId = id(`liveness:${j}:frame:${k}`);
        media.set(frameId, lazy('image/jpeg', () => renderLivenessFrame(subject, j * 10 + k)));
        frames.push(mediaRef(frameId, 'IMAGE', at + k));
      }
      for (let k = 0; k < (m.zoomEmptyFrames ?? 4); k++) frames.push({});
      json.frames = frames;
      const facemapId = id(`liveness:${j}:facemap`);
      media.set(facemapId, lazy('application/octet-stream', () => generateFacemap(`${seed}:${j}`, m.facemapBytes)));
      json.facemap = mediaRef(facemapId, 'BINARY', at + 5);
    } else if (type === 'STATIC') {
      const imageId = id(`liveness:${j}:image`);
      media.set(imageId, lazy('image/jpeg', () => renderLivenessFrame(subject, j * 10)));
      json.image = mediaRef(imageId, 'IMAGE', at + 2);
    }
    return { resourceId, json, type };
  });

  // --- checks
  const checkList: JsonObject[] = [];
  const checkTypes: string[] = [];
  let n = 0;
  const pickDoc = (filter: z.infer<typeof documentFilter> | undefined, k: number): DocBuilt | undefined => {
    const byFilter = filter
      ? docs.find(
          (d) =>
            (!filter.document_types?.length || filter.document_types.some((t) => d.filter.types.includes(t))) &&
            (!filter.country_codes?.length || filter.country_codes.some((c) => d.filter.countries.includes(c))),
        )
      : undefined;
    return byFilter ?? docs[Math.min(k, docs.length - 1)];
  };
  const makeCheck = (type: string, c: SandboxCheck, resourcesUsed: string[], generated: JsonValue[] = []): string => {
    const at = 600 + n * 15;
    const checkId = id(`check:${n++}:${type}`);
    const json: JsonObject = {
      type,
      id: checkId,
      state: ready ? 'DONE' : 'PENDING',
      resources_used: resourcesUsed,
      created: iso(at),
      last_updated: iso(ready ? at + 10 : at),
    };
    if (ready) {
      json.generated_media = generated;
      const rec: JsonObject = { value: c.result.report.recommendation.value };
      if (c.result.report.recommendation.reason) rec.reason = c.result.report.recommendation.reason;
      if (c.result.report.recommendation.recovery_suggestion) rec.recovery_suggestion = c.result.report.recommendation.recovery_suggestion;
      json.report = {
        recommendation: rec,
        breakdown: (c.result.report.breakdown ?? []).map((b) => {
          const out: JsonObject = { sub_check: b.sub_check, result: b.result };
          if (b.process) out.process = b.process;
          out.details = (b.details ?? []).map((d) => ({ name: d.name, value: d.value }));
          return out;
        }),
      };
    }
    checkList.push(json);
    checkTypes.push(type);
    return checkId;
  };

  (checks.ID_DOCUMENT_AUTHENTICITY ?? []).forEach((c, k) => {
    const d = pickDoc(c.document_filter, k);
    makeCheck('ID_DOCUMENT_AUTHENTICITY', c, d ? [d.resourceId] : []);
  });
  (checks.ID_DOCUMENT_TEXT_DATA_CHECK ?? []).forEach((c, k) => {
    const d = pickDoc(c.document_filter, k);
    const generated: JsonValue[] = [];
    const fields = c.result.document_fields;
    let mediaId: string | undefined;
    if (fields && ready) {
      mediaId = id(`text-data-check:${k}:fields`);
      const base = d ? documentFieldsObject(d.identity) : {};
      media.set(mediaId, { contentType: 'application/json', bytes: jsonMediaBytes({ ...base, ...fields }) });
      generated.push({ id: mediaId, type: 'JSON' });
    }
    const checkId = makeCheck('ID_DOCUMENT_TEXT_DATA_CHECK', c, d ? [d.resourceId] : [], generated);
    if (d) {
      const gc = d.task.generated_checks;
      if (Array.isArray(gc)) gc.push({ id: checkId, type: 'ID_DOCUMENT_TEXT_DATA_CHECK' });
      // "This media will replace the document_fields media in the resources" (Yoti docs).
      if (mediaId) d.json.document_fields = mediaRef(mediaId, 'JSON', 600);
    }
  });
  (checks.ID_DOCUMENT_FACE_MATCH ?? []).forEach((c, k) => {
    const d = pickDoc(c.document_filter, k);
    const live = liveness[liveness.length - 1];
    makeCheck('ID_DOCUMENT_FACE_MATCH', c, [...(d ? [d.resourceId] : []), ...(live ? [live.resourceId] : [])]);
  });
  attempts.forEach((c, j) => {
    const live = liveness[j];
    makeCheck('LIVENESS', c, live ? [live.resourceId] : []);
  });
  (checks.ID_DOCUMENT_COMPARISON ?? []).forEach((c) => {
    makeCheck('ID_DOCUMENT_COMPARISON', c, docs.map((d) => d.resourceId));
  });
  suppChecks.forEach((c, k) => {
    const s = supps[Math.min(k, supps.length - 1)];
    const generated: JsonValue[] = [];
    const fields = c.result.document_fields;
    if (fields && ready && s) {
      const mediaId = id(`supp-text-data-check:${k}:fields`);
      media.set(mediaId, { contentType: 'application/json', bytes: jsonMediaBytes(fields) });
      generated.push({ id: mediaId, type: 'JSON' });
      s.json.document_fields = mediaRef(mediaId, 'JSON', 600);
    }
    const checkId = makeCheck('SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK', c, s ? [s.resourceId] : [], generated);
    const gc = s?.task.generated_checks;
    if (Array.isArray(gc)) gc.push({ id: checkId, type: 'SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK' });
  });
  if (checks.THIRD_PARTY_IDENTITY) {
    makeCheck('THIRD_PARTY_IDENTITY', checks.THIRD_PARTY_IDENTITY, docs.map((d) => d.resourceId));
  }
  for (const [type, list] of Object.entries(checks)) {
    if (KNOWN_CHECK_KEYS.has(type) || !Array.isArray(list)) continue;
    for (const c of list as SandboxCheck[]) makeCheck(type, c, docs.map((d) => d.resourceId));
  }

  // --- the session
  const session: JsonObject = {
    client_session_token_ttl: state === 'ONGOING' ? 599 : 0,
    session_id: opts.sessionId,
    state,
    client_session_token: id('client-session-token'),
    user_tracking_id: opts.userTrackingId ?? id('user-tracking-id'),
    biometric_consent: iso(30),
    resources: {
      id_documents: docs.map((d) => d.json),
      supplementary_documents: supps.map((s) => s.json),
      liveness_capture: liveness.map((l) => l.json),
      face_capture: [],
    },
    checks: checkList,
  };

  // --- GET /sessions/{id}/configuration
  const requested = [...new Set(checkTypes)];
  const requiredResources: JsonValue[] = [
    ...docs.map((d, i) => ({
      type: 'ID_DOCUMENT',
      id: id(`requirement:doc:${i}`),
      state: ready ? 'COMPLETE' : 'REQUIRED',
      allowed_sources: [{ type: 'END_USER' }],
      requested_tasks: [{ type: 'ID_DOCUMENT_TEXT_DATA_EXTRACTION', state: ready ? 'DONE' : 'REQUIRED' }],
      supported_countries: [{ code: d.identity.issuingCountry, supported_documents: [{ type: d.identity.documentType }] }],
      allowed_capture_methods: 'CAMERA_AND_UPLOAD',
      attempts_remaining: { ID_DOCUMENT_TEXT_DATA_EXTRACTION: 2 },
    })),
    ...supps.map((s, i) => ({
      type: 'SUPPLEMENTARY_DOCUMENT',
      id: id(`requirement:supp:${i}`),
      state: ready ? 'COMPLETE' : 'REQUIRED',
      allowed_sources: [{ type: 'END_USER' }],
      requested_tasks: [{ type: 'SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION', state: ready ? 'DONE' : 'REQUIRED' }],
      document_types: [s.type],
      country_codes: [s.country],
    })),
    ...(liveness.length > 0
      ? [{
          type: 'LIVENESS',
          id: id('requirement:liveness'),
          state: ready ? 'COMPLETE' : 'REQUIRED',
          allowed_sources: [{ type: 'END_USER' }],
          liveness_type: liveness[liveness.length - 1]?.type ?? 'ZOOM',
        }]
      : []),
  ];
  const configuration: JsonObject = {
    client_session_token_ttl: Number(session.client_session_token_ttl),
    session_id: opts.sessionId,
    requested_checks: requested,
    capture: { biometric_consent: 'PROVIDED', required_resources: requiredResources },
  };

  return { sessionId: opts.sessionId, session, configuration, media };
}

/** What a session created through POST /sessions gets when its app has no response-config: all approved. */
export const DEFAULT_RESPONSE_CONFIG: Readonly<Record<string, unknown>> = {
  task_results: { ID_DOCUMENT_TEXT_DATA_EXTRACTION: [{ result: {} }] },
  check_reports: {
    ID_DOCUMENT_AUTHENTICITY: [
      { result: { report: { recommendation: { value: 'APPROVE' }, breakdown: [{ sub_check: 'document_in_date', result: 'PASS' }] } } },
    ],
    ID_DOCUMENT_TEXT_DATA_CHECK: [
      { result: { report: { recommendation: { value: 'APPROVE' }, breakdown: [{ sub_check: 'text_data_readable', result: 'PASS' }] } } },
    ],
    ID_DOCUMENT_FACE_MATCH: [
      {
        result: {
          report: {
            recommendation: { value: 'APPROVE' },
            breakdown: [{ sub_check: 'ai_face_match', result: 'PASS', details: [{ name: 'confidence_score', value: '0.90' }] }],
          },
        },
      },
    ],
    LIVENESS: [
      { liveness_type: 'ZOOM', result: { report: { recommendation: { value: 'APPROVE' }, breakdown: [{ sub_check: 'liveness_auth', result: 'PASS' }] } } },
    ],
  },
};

/** A text data extraction task as Yoti reports it; it names its JSON media once the fields exist. */
function extractionTask(type: string, id: string, created: string, lastUpdated: string, ready: boolean, fieldsId?: string): JsonObject {
  return {
    type,
    id,
    state: ready ? 'DONE' : 'CREATED',
    created,
    last_updated: lastUpdated,
    generated_checks: [],
    generated_media: fieldsId ? [{ id: fieldsId, type: 'JSON' }] : [],
  };
}

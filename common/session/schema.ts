import * as z from 'zod';
import { element, field, list, text } from './tolerant';

/**
 * The GET /sessions/{id} response (yoti-api-notes.md §4), as one tolerant zod schema.
 *
 * - Every field is optional; `null` is read as "absent" (Yoti's SDKs reject it, we do not).
 * - States, types and recommendation values are open strings: unknown ones are kept verbatim.
 * - Objects are loose: fields we do not model are kept and survive re-serialisation.
 * - A damaged field or array element is dropped on its own and reported (see tolerant.ts); the
 *   rest of the session still parses. Unknown check, task, resource and liveness types are kept
 *   and typed with the generic shapes below.
 *
 * Parse through `parseSession` (parse.ts), which adds the size and depth bounds and the report of
 * what was dropped; the schema alone leaves drop markers in place.
 */

const str = z.string();

// ---------------------------------------------------------------------------------------------
// Media

/** One stored media item. `type` is IMAGE, JSON, BINARY (ZOOM facemap) or anything else. */
export const MediaSchema = z.looseObject({
  id: field(str),
  type: field(str),
  created: field(str),
  last_updated: field(str),
});

/** The `{ media: {...} }` wrapper used almost everywhere. `{}` means "nothing captured". */
export const MediaRefSchema = z.looseObject({
  media: field(MediaSchema),
});

/** A media pointer produced by a task or a check. */
export const GeneratedMediaSchema = z.looseObject({
  id: field(str),
  type: field(str),
});

// ---------------------------------------------------------------------------------------------
// Tasks and resources

export const GeneratedCheckRefSchema = z.looseObject({
  id: field(str),
  type: field(str),
});

/** A task; type ID_DOCUMENT_TEXT_DATA_EXTRACTION, SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION or any other. */
export const TaskSchema = z.looseObject({
  type: field(str),
  id: field(str),
  state: field(str),
  created: field(str),
  last_updated: field(str),
  generated_checks: list(GeneratedCheckRefSchema),
  generated_media: list(GeneratedMediaSchema),
});

export const ResourceSourceSchema = z.looseObject({
  type: field(str),
});

const baseResourceShape = {
  id: field(str),
  tasks: list(TaskSchema),
  source: field(ResourceSourceSchema),
  created_at: field(str),
  last_updated: field(str),
};

/** The fields every resource has; also the shape unknown resource types are read with. */
export const BaseResourceSchema = z.looseObject(baseResourceShape);

export const PageSchema = z.looseObject({
  capture_method: field(str),
  media: field(MediaSchema),
  frames: list(MediaRefSchema),
  extraction_image_ids: list(str),
});

export const IdDocumentSchema = z.looseObject({
  ...baseResourceShape,
  document_type: field(str),
  issuing_country: field(str),
  pages: list(PageSchema),
  document_fields: field(MediaRefSchema),
  expanded_document_fields: field(MediaRefSchema),
  document_id_photo: field(MediaRefSchema),
});

export const SupplementaryDocumentSchema = z.looseObject({
  ...baseResourceShape,
  document_type: field(str),
  issuing_country: field(str),
  pages: list(PageSchema),
  document_fields: field(MediaRefSchema),
  file: field(MediaRefSchema),
});

/**
 * A liveness capture. One shape for every `liveness_type`: ZOOM uses `frames` + `facemap`, STATIC
 * uses `image`, unknown types keep whatever they have. A garbage frame becomes `{}` ("not
 * captured") rather than disappearing, so frame numbers stay those Yoti sent.
 */
export const LivenessSchema = z.looseObject({
  ...baseResourceShape,
  liveness_type: field(str),
  frames: list(MediaRefSchema, {}),
  facemap: field(MediaRefSchema),
  image: field(MediaRefSchema),
});

export const FaceCaptureSchema = z.looseObject({
  ...baseResourceShape,
  image: field(MediaRefSchema),
});

export const ShareCodeSchema = z.looseObject({
  ...baseResourceShape,
  lookup_profile: field(MediaRefSchema),
  returned_profile: field(MediaRefSchema),
  id_photo: field(MediaRefSchema),
  file: field(MediaRefSchema),
});

/** An applicant profile: what the applicant entered (a JSON media item). */
export const ApplicantProfileSchema = z.looseObject({
  ...baseResourceShape,
  media: field(MediaSchema),
});

/**
 * `resources`. A list under a key we do not know is read with the generic resource shape (its
 * non-object elements dropped and reported); any other unknown value is kept as it is.
 */
export const ResourceContainerSchema = z
  .object({
    id_documents: list(IdDocumentSchema),
    supplementary_documents: list(SupplementaryDocumentSchema),
    liveness_capture: list(LivenessSchema),
    face_capture: list(FaceCaptureSchema),
    share_codes: list(ShareCodeSchema),
    applicant_profiles: list(ApplicantProfileSchema),
  })
  .catchall(z.union([z.array(element(BaseResourceSchema)), z.unknown()]));

/** The resource lists we model, in the order a reviewer sees them. */
export const KNOWN_RESOURCE_KEYS = [
  'id_documents',
  'supplementary_documents',
  'liveness_capture',
  'face_capture',
  'share_codes',
  'applicant_profiles',
] as const;

// ---------------------------------------------------------------------------------------------
// Checks

export const RecommendationSchema = z.looseObject({
  value: field(str),
  reason: field(str),
  recovery_suggestion: field(str),
});

export const BreakdownDetailSchema = z.looseObject({
  name: field(str),
  value: field(text),
});

export const BreakdownSchema = z.looseObject({
  sub_check: field(str),
  result: field(str),
  process: field(str),
  details: list(BreakdownDetailSchema),
});

/** Both search_config variants (SCREENING: categories; ADVANCED_CA: type, sources, …) in one loose shape. */
export const WatchlistSearchConfigSchema = z.looseObject({
  type: field(str),
  categories: list(str),
  remove_deceased: field(z.boolean()),
  share_url: field(z.boolean()),
  sources: field(
    z.looseObject({
      type: field(str),
      search_profile: field(str),
      types: list(str),
    }),
  ),
  matching_strategy: field(
    z.looseObject({
      type: field(str),
      exact_match: field(z.boolean()),
      fuzziness: field(z.number()),
    }),
  ),
  api_key: field(str),
  monitoring: field(z.boolean()),
  client_ref: field(str),
  tags: field(z.record(z.string(), element(text))),
});

export const WatchlistSummarySchema = z.looseObject({
  total_hits: field(z.number()),
  associated_country_codes: list(str),
  raw_results: field(MediaRefSchema),
  search_config: field(WatchlistSearchConfigSchema),
});

export const ReportSchema = z.looseObject({
  recommendation: field(RecommendationSchema),
  breakdown: list(BreakdownSchema),
  watchlist_summary: field(WatchlistSummarySchema),
});

/** A check of any type (ID_DOCUMENT_AUTHENTICITY, LIVENESS, …, or one we do not know yet). */
export const CheckSchema = z.looseObject({
  type: field(str),
  id: field(str),
  state: field(str),
  resources_used: list(str),
  generated_media: list(GeneratedMediaSchema),
  report: field(ReportSchema),
  created: field(str),
  last_updated: field(str),
  generated_profile: field(MediaRefSchema),
});

// ---------------------------------------------------------------------------------------------
// Identity profiles

export const RequirementNotMetDetailSchema = z.looseObject({
  failure_type: field(str),
  document_type: field(str),
  document_country_iso_code: field(str),
  audit_id: field(str),
  details: field(str),
});

export const FailureReasonSchema = z.looseObject({
  reason_code: field(str),
  requirements_not_met_details: list(RequirementNotMetDetailSchema),
});

export const SchemeComplianceSchema = z.looseObject({
  scheme: field(
    z.looseObject({
      type: field(str),
      objective: field(str),
      label: field(str),
    }),
  ),
  requirements_met: field(z.boolean()),
  requirements_not_met_info: field(str),
});

export const IdentityProfileSchema = z.looseObject({
  subject_id: field(str),
  result: field(str),
  failure_reason: field(FailureReasonSchema),
  identity_profile_report: field(
    z.looseObject({
      trust_framework: field(str),
      schemes_compliance: list(SchemeComplianceSchema),
      media: field(MediaSchema),
    }),
  ),
});

export const AdvancedIdentityProfileSchema = z.looseObject({
  subject_id: field(str),
  result: field(str),
  failure_reason: field(FailureReasonSchema),
  identity_profile_report: field(
    z.looseObject({
      compliance: list(
        z.looseObject({
          trust_framework: field(str),
          schemes_compliance: list(SchemeComplianceSchema),
        }),
      ),
      media: field(MediaSchema),
    }),
  ),
});

// ---------------------------------------------------------------------------------------------
// The session

export const SessionSchema = z.looseObject({
  session_id: field(str),
  client_session_token_ttl: field(z.number()),
  client_session_token: field(str),
  state: field(str),
  user_tracking_id: field(str),
  biometric_consent: field(str),
  resources: field(ResourceContainerSchema),
  checks: list(CheckSchema),
  identity_profile: field(IdentityProfileSchema),
  advanced_identity_profile: field(AdvancedIdentityProfileSchema),
});

export type Session = z.infer<typeof SessionSchema>;
export type Media = z.infer<typeof MediaSchema>;
export type MediaRef = z.infer<typeof MediaRefSchema>;
export type GeneratedMedia = z.infer<typeof GeneratedMediaSchema>;
export type Task = z.infer<typeof TaskSchema>;
export type BaseResource = z.infer<typeof BaseResourceSchema>;
export type Page = z.infer<typeof PageSchema>;
export type IdDocument = z.infer<typeof IdDocumentSchema>;
export type SupplementaryDocument = z.infer<typeof SupplementaryDocumentSchema>;
export type Liveness = z.infer<typeof LivenessSchema>;
export type FaceCapture = z.infer<typeof FaceCaptureSchema>;
export type ShareCode = z.infer<typeof ShareCodeSchema>;
export type ApplicantProfile = z.infer<typeof ApplicantProfileSchema>;
export type ResourceContainer = z.infer<typeof ResourceContainerSchema>;
export type Recommendation = z.infer<typeof RecommendationSchema>;
export type BreakdownDetail = z.infer<typeof BreakdownDetailSchema>;
export type Breakdown = z.infer<typeof BreakdownSchema>;
export type WatchlistSummary = z.infer<typeof WatchlistSummarySchema>;
export type Report = z.infer<typeof ReportSchema>;
export type Check = z.infer<typeof CheckSchema>;
export type IdentityProfile = z.infer<typeof IdentityProfileSchema>;
export type AdvancedIdentityProfile = z.infer<typeof AdvancedIdentityProfileSchema>;

/** A ZOOM (active) liveness capture: frames + facemap. */
export type ZoomLiveness = Liveness & { liveness_type: 'ZOOM' };
/** A STATIC (passive) liveness capture: one image. */
export type StaticLiveness = Liveness & { liveness_type: 'STATIC' };

export const isZoomLiveness = (l: Liveness): l is ZoomLiveness => l.liveness_type === 'ZOOM';
export const isStaticLiveness = (l: Liveness): l is StaticLiveness => l.liveness_type === 'STATIC';

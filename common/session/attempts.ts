import {
  BaseResourceSchema,
  KNOWN_RESOURCE_KEYS,
  type ApplicantProfile,
  type BaseResource,
  type Check,
  type FaceCapture,
  type IdDocument,
  type Liveness,
  type Session,
  type ShareCode,
  type SupplementaryDocument,
} from './schema';
import { collectDropped } from './tolerant';

/**
 * Yoti creates one resource per capture attempt, and checks point at the resources they used through
 * `resources_used`. These helpers expose every attempt and every check (retries included, never
 * collapsed) and the links between them.
 */

export type AttemptKind = 'ID_DOCUMENT' | 'SUPPLEMENTARY_DOCUMENT' | 'LIVENESS' | 'FACE_CAPTURE' | 'SHARE_CODE' | 'APPLICANT_PROFILE' | 'OTHER';

/** A check, as seen from a resource it used. */
export interface CheckRef {
  /** Position in `session.checks`. */
  checkIndex: number;
  id?: string;
  type?: string;
  state?: string;
  recommendation?: string;
}

interface AttemptBase {
  /** Key of the list under `resources` (`id_documents`, … or an unknown one). */
  resourceKey: string;
  /** 0-based position within its kind. */
  index: number;
  /** "Document 1", "Liveness 2", … */
  label: string;
  id?: string;
  /** Checks whose `resources_used` names this resource, in check order. */
  checks: CheckRef[];
}

export type Attempt =
  | (AttemptBase & { kind: 'ID_DOCUMENT'; resource: IdDocument })
  | (AttemptBase & { kind: 'SUPPLEMENTARY_DOCUMENT'; resource: SupplementaryDocument })
  | (AttemptBase & { kind: 'LIVENESS'; resource: Liveness })
  | (AttemptBase & { kind: 'FACE_CAPTURE'; resource: FaceCapture })
  | (AttemptBase & { kind: 'SHARE_CODE'; resource: ShareCode })
  | (AttemptBase & { kind: 'APPLICANT_PROFILE'; resource: ApplicantProfile })
  | (AttemptBase & { kind: 'OTHER'; resource: BaseResource });

const KIND_OF_KEY = {
  id_documents: 'ID_DOCUMENT',
  supplementary_documents: 'SUPPLEMENTARY_DOCUMENT',
  liveness_capture: 'LIVENESS',
  face_capture: 'FACE_CAPTURE',
  share_codes: 'SHARE_CODE',
  applicant_profiles: 'APPLICANT_PROFILE',
} as const satisfies Record<(typeof KNOWN_RESOURCE_KEYS)[number], AttemptKind>;

const KIND_LABEL: Record<AttemptKind, string> = {
  ID_DOCUMENT: 'Document',
  SUPPLEMENTARY_DOCUMENT: 'Supplementary document',
  LIVENESS: 'Liveness',
  FACE_CAPTURE: 'Face capture',
  SHARE_CODE: 'Share code',
  APPLICANT_PROFILE: 'Applicant profile',
  OTHER: 'Resource',
};

/** "Document 1", "Liveness 2", "Resource tracked_devices 1". */
export function attemptLabel(kind: AttemptKind, index: number, resourceKey?: string): string {
  return kind === 'OTHER' ? `${KIND_LABEL.OTHER} ${resourceKey ?? '?'} ${index + 1}` : `${KIND_LABEL[kind]} ${index + 1}`;
}

/** Resources of kinds we do not model, read with the generic resource shape (elements that are not objects are skipped). */
function otherResources(session: Session): { key: string; items: BaseResource[] }[] {
  const container = session.resources;
  if (!container) return [];
  const known: ReadonlySet<string> = new Set(KNOWN_RESOURCE_KEYS);
  const out: { key: string; items: BaseResource[] }[] = [];
  for (const [key, value] of Object.entries(container)) {
    if (known.has(key) || !Array.isArray(value)) continue;
    const items: BaseResource[] = [];
    for (const item of value as unknown[]) {
      // parseSession already read these generically and reported what it dropped; reading again
      // keeps this helper safe on a session built some other way.
      const parsed = BaseResourceSchema.safeParse(item);
      if (!parsed.success) continue;
      collectDropped(parsed.data);
      items.push(parsed.data);
    }
    out.push({ key, items });
  }
  return out;
}

function checkRefsByResource(session: Session): Map<string, CheckRef[]> {
  const byResource = new Map<string, CheckRef[]>();
  (session.checks ?? []).forEach((check, checkIndex) => {
    const seen = new Set<string>();
    for (const id of check.resources_used ?? []) {
      if (seen.has(id)) continue;
      seen.add(id);
      const refs = byResource.get(id) ?? [];
      refs.push(checkRef(check, checkIndex));
      byResource.set(id, refs);
    }
  });
  return byResource;
}

function checkRef(check: Check, checkIndex: number): CheckRef {
  return {
    checkIndex,
    id: check.id,
    type: check.type,
    state: check.state,
    recommendation: check.report?.recommendation?.value,
  };
}

/** Every resource of the session as one attempt, in the order: documents, supplementary documents, liveness, face captures, share codes, others. */
export function listAttempts(session: Session): Attempt[] {
  const refs = checkRefsByResource(session);
  const checksOf = (id: string | undefined): CheckRef[] => (id === undefined ? [] : [...(refs.get(id) ?? [])]);
  const r = session.resources;
  const base = (resourceKey: string, kind: AttemptKind, index: number, id: string | undefined): AttemptBase => ({
    resourceKey,
    index,
    label: attemptLabel(kind, index, resourceKey),
    id,
    checks: checksOf(id),
  });
  const out: Attempt[] = [];
  (r?.id_documents ?? []).forEach((resource, i) =>
    out.push({ ...base('id_documents', KIND_OF_KEY.id_documents, i, resource.id), kind: 'ID_DOCUMENT', resource }),
  );
  (r?.supplementary_documents ?? []).forEach((resource, i) =>
    out.push({ ...base('supplementary_documents', KIND_OF_KEY.supplementary_documents, i, resource.id), kind: 'SUPPLEMENTARY_DOCUMENT', resource }),
  );
  (r?.liveness_capture ?? []).forEach((resource, i) =>
    out.push({ ...base('liveness_capture', KIND_OF_KEY.liveness_capture, i, resource.id), kind: 'LIVENESS', resource }),
  );
  (r?.face_capture ?? []).forEach((resource, i) =>
    out.push({ ...base('face_capture', KIND_OF_KEY.face_capture, i, resource.id), kind: 'FACE_CAPTURE', resource }),
  );
  (r?.share_codes ?? []).forEach((resource, i) =>
    out.push({ ...base('share_codes', KIND_OF_KEY.share_codes, i, resource.id), kind: 'SHARE_CODE', resource }),
  );
  (r?.applicant_profiles ?? []).forEach((resource, i) =>
    out.push({ ...base('applicant_profiles', KIND_OF_KEY.applicant_profiles, i, resource.id), kind: 'APPLICANT_PROFILE', resource }),
  );
  for (const { key, items } of otherResources(session)) {
    items.forEach((resource, i) => out.push({ ...base(key, 'OTHER', i, resource.id), kind: 'OTHER', resource }));
  }
  return out;
}

/** A resource, as seen from a check that used it. */
export interface ResourceRef {
  id: string;
  kind: AttemptKind;
  resourceKey: string;
  index: number;
  label: string;
}

export interface LinkedCheck {
  /** Position in `session.checks`. */
  checkIndex: number;
  check: Check;
  id?: string;
  type?: string;
  /** 1-based position among the checks of the same type (a retry is a new check). */
  sameTypeNumber: number;
  /** How many checks of this type the session has. */
  sameTypeCount: number;
  /** The resources named in `resources_used` that exist, in that order. */
  resources: ResourceRef[];
  /** Ids in `resources_used` that name no resource of this session. */
  missing: string[];
}

/** Each check with the resources it used. Unknown ids are reported in `missing`, never thrown. */
export function linkChecks(session: Session): LinkedCheck[] {
  const byId = new Map<string, ResourceRef>();
  for (const a of listAttempts(session)) {
    if (a.id !== undefined && !byId.has(a.id)) {
      byId.set(a.id, { id: a.id, kind: a.kind, resourceKey: a.resourceKey, index: a.index, label: a.label });
    }
  }
  const checks = session.checks ?? [];
  const typeCount = new Map<string, number>();
  for (const c of checks) typeCount.set(c.type ?? '', (typeCount.get(c.type ?? '') ?? 0) + 1);
  const typeSeen = new Map<string, number>();
  return checks.map((check, checkIndex) => {
    const key = check.type ?? '';
    const n = (typeSeen.get(key) ?? 0) + 1;
    typeSeen.set(key, n);
    const resources: ResourceRef[] = [];
    const missing: string[] = [];
    for (const id of check.resources_used ?? []) {
      const ref = byId.get(id);
      if (ref) resources.push(ref);
      else missing.push(id);
    }
    return {
      checkIndex,
      check,
      id: check.id,
      type: check.type,
      sameTypeNumber: n,
      sameTypeCount: typeCount.get(key) ?? n,
      resources,
      missing,
    };
  });
}

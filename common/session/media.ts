import { isYotiId } from '../yoti-ids';
import { listAttempts, type Attempt, type AttemptKind } from './attempts';
import type { GeneratedMedia, Media, MediaRef, Session, Task } from './schema';
import { checkTypeWords } from './words';

/**
 * Every media item a session points at, with what it is for. This is the list the sync fetches and
 * the viewer shows; an empty liveness frame (`{}`) is listed as "not captured" rather than hidden.
 */

export type MediaRole =
  | 'DOCUMENT_PAGE'
  | 'DOCUMENT_FRAME'
  | 'DOCUMENT_FIELDS'
  | 'EXPANDED_DOCUMENT_FIELDS'
  | 'DOCUMENT_ID_PHOTO'
  | 'SUPPLEMENTARY_FILE'
  | 'LIVENESS_FRAME'
  | 'LIVENESS_IMAGE'
  | 'FACEMAP'
  | 'FACE_CAPTURE_IMAGE'
  | 'SHARE_CODE_MEDIA'
  | 'APPLICANT_PROFILE'
  | 'TASK_GENERATED_MEDIA'
  | 'CHECK_GENERATED_MEDIA'
  | 'GENERATED_PROFILE'
  | 'WATCHLIST_RAW_RESULTS'
  | 'IDENTITY_PROFILE_REPORT'
  | 'ADVANCED_IDENTITY_PROFILE_REPORT';

/** Where else a de-duplicated media id appears. */
export interface MediaAlias {
  role: MediaRole;
  label: string;
  resourceId?: string;
  taskId?: string;
  checkId?: string;
  checkIndex?: number;
}

export interface MediaItem {
  role: MediaRole;
  /** "Document 1 page 2", "Liveness 1 frame 3", "Check 3 (Document text check (manual)) media 1". */
  label: string;
  /** Absent when nothing was captured (an empty frame, a `{}` media wrapper). */
  mediaId?: string;
  /** Yoti's media type: IMAGE, JSON, BINARY or another value. */
  mediaType?: string;
  /** False for an entry with no media id: shown as "not captured". */
  captured: boolean;
  /** The id is safe to put in a request path (see yoti/ids.ts). A captured item may still be unfetchable. */
  fetchable: boolean;
  /** The resource (attempt) the item belongs to. */
  resourceId?: string;
  resourceKind?: AttemptKind;
  /** 0-based position of that resource within its kind. */
  resourceIndex?: number;
  /** The check that generated it, with its position in `session.checks`. */
  checkId?: string;
  checkIndex?: number;
  checkType?: string;
  /** The task that generated it. */
  taskId?: string;
  taskType?: string;
  /** 0-based page / frame / generated-media positions. */
  pageIndex?: number;
  frameIndex?: number;
  itemIndex?: number;
  /** For SHARE_CODE_MEDIA: which field (lookup_profile, returned_profile, id_photo, file). */
  detail?: string;
  /** Document pages and their frames: Yoti's capture_method (CAMERA, UPLOAD, or what it sends). */
  captureMethod?: string;
  created?: string;
  lastUpdated?: string;
  /** Other places the same media id appears (de-duplicated into this item). */
  alsoAs: MediaAlias[];
}

/** Lower is more specific: where the media "lives" beats who generated it. */
const SPECIFICITY: Record<MediaRole, number> = {
  DOCUMENT_PAGE: 0,
  DOCUMENT_FRAME: 0,
  DOCUMENT_FIELDS: 0,
  EXPANDED_DOCUMENT_FIELDS: 0,
  DOCUMENT_ID_PHOTO: 0,
  SUPPLEMENTARY_FILE: 0,
  LIVENESS_FRAME: 0,
  LIVENESS_IMAGE: 0,
  FACEMAP: 0,
  FACE_CAPTURE_IMAGE: 0,
  SHARE_CODE_MEDIA: 0,
  APPLICANT_PROFILE: 0,
  IDENTITY_PROFILE_REPORT: 0,
  ADVANCED_IDENTITY_PROFILE_REPORT: 0,
  GENERATED_PROFILE: 1,
  WATCHLIST_RAW_RESULTS: 1,
  CHECK_GENERATED_MEDIA: 2,
  TASK_GENERATED_MEDIA: 3,
};

type Draft = Omit<MediaItem, 'captured' | 'fetchable' | 'alsoAs'>;

function fromMedia(media: Media | undefined): Pick<Draft, 'mediaId' | 'mediaType' | 'created' | 'lastUpdated'> {
  return {
    mediaId: media?.id === '' ? undefined : media?.id,
    mediaType: media?.type,
    created: media?.created,
    lastUpdated: media?.last_updated,
  };
}

function fromGenerated(g: GeneratedMedia): Pick<Draft, 'mediaId' | 'mediaType'> {
  return { mediaId: g.id === '' ? undefined : g.id, mediaType: g.type };
}

/** Every media item of the session, in reading order, de-duplicated by media id. */
export function listMedia(session: Session): MediaItem[] {
  const drafts: Draft[] = [];
  const add = (d: Draft): void => {
    drafts.push(d);
  };

  for (const a of listAttempts(session)) {
    const owner = { resourceId: a.id, resourceKind: a.kind, resourceIndex: a.index };
    const ref = (role: MediaRole, label: string, r: MediaRef | undefined, extra: Partial<Draft> = {}): void => {
      if (r !== undefined) add({ role, label, ...owner, ...fromMedia(r.media), ...extra });
    };
    addResourceMedia(a, ref, (role, label, media, extra) => add({ role, label, ...owner, ...fromMedia(media), ...extra }));
    (a.resource.tasks ?? []).forEach((task: Task, t) => {
      (task.generated_media ?? []).forEach((g, m) =>
        add({
          role: 'TASK_GENERATED_MEDIA',
          label: `${a.label} task ${t + 1} media ${m + 1}`,
          ...owner,
          ...fromGenerated(g),
          taskId: task.id,
          taskType: task.type,
          itemIndex: m,
        }),
      );
    });
  }

  (session.checks ?? []).forEach((check, checkIndex) => {
    const name = `Check ${checkIndex + 1} (${checkTypeWords(check.type)})`;
    const owner = { checkId: check.id, checkIndex, checkType: check.type };
    (check.generated_media ?? []).forEach((g, m) =>
      add({ role: 'CHECK_GENERATED_MEDIA', label: `${name} media ${m + 1}`, ...owner, ...fromGenerated(g), itemIndex: m }),
    );
    if (check.generated_profile !== undefined) {
      add({ role: 'GENERATED_PROFILE', label: `${name} generated profile`, ...owner, ...fromMedia(check.generated_profile.media) });
    }
    const raw = check.report?.watchlist_summary?.raw_results;
    if (raw !== undefined) {
      add({ role: 'WATCHLIST_RAW_RESULTS', label: `${name} watchlist raw results`, ...owner, ...fromMedia(raw.media) });
    }
  });

  const ipr = session.identity_profile?.identity_profile_report;
  if (ipr?.media !== undefined) add({ role: 'IDENTITY_PROFILE_REPORT', label: 'Identity profile report', ...fromMedia(ipr.media) });
  const aipr = session.advanced_identity_profile?.identity_profile_report;
  if (aipr?.media !== undefined) {
    add({ role: 'ADVANCED_IDENTITY_PROFILE_REPORT', label: 'Advanced identity profile report', ...fromMedia(aipr.media) });
  }

  return dedupe(drafts);
}

type AddRef = (role: MediaRole, label: string, r: MediaRef | undefined, extra?: Partial<Draft>) => void;
type AddMedia = (role: MediaRole, label: string, media: Media | undefined, extra?: Partial<Draft>) => void;

function addResourceMedia(a: Attempt, ref: AddRef, media: AddMedia): void {
  switch (a.kind) {
    case 'ID_DOCUMENT':
    case 'SUPPLEMENTARY_DOCUMENT': {
      (a.resource.pages ?? []).forEach((page, p) => {
        // CAMERA (a live capture) or UPLOAD (a file the person chose): a different risk, shown wherever the page is.
        const captured = page.capture_method === undefined ? {} : { captureMethod: page.capture_method };
        media('DOCUMENT_PAGE', `${a.label} page ${p + 1}`, page.media, { pageIndex: p, ...captured });
        (page.frames ?? []).forEach((frame, f) =>
          ref('DOCUMENT_FRAME', `${a.label} page ${p + 1} frame ${f + 1}`, frame, { pageIndex: p, frameIndex: f, ...captured }),
        );
      });
      ref('DOCUMENT_FIELDS', `${a.label} fields`, a.resource.document_fields);
      if (a.kind === 'ID_DOCUMENT') {
        ref('EXPANDED_DOCUMENT_FIELDS', `${a.label} expanded fields`, a.resource.expanded_document_fields);
        ref('DOCUMENT_ID_PHOTO', `${a.label} ID photo`, a.resource.document_id_photo);
      } else {
        ref('SUPPLEMENTARY_FILE', `${a.label} file`, a.resource.file);
      }
      return;
    }
    case 'LIVENESS':
      (a.resource.frames ?? []).forEach((frame, f) => ref('LIVENESS_FRAME', `${a.label} frame ${f + 1}`, frame, { frameIndex: f }));
      ref('FACEMAP', `${a.label} facemap`, a.resource.facemap);
      ref('LIVENESS_IMAGE', `${a.label} image`, a.resource.image);
      return;
    case 'FACE_CAPTURE':
      ref('FACE_CAPTURE_IMAGE', `${a.label} image`, a.resource.image);
      return;
    case 'SHARE_CODE':
      for (const key of ['lookup_profile', 'returned_profile', 'id_photo', 'file'] as const) {
        ref('SHARE_CODE_MEDIA', `${a.label} ${key.replaceAll('_', ' ')}`, a.resource[key], { detail: key });
      }
      return;
    case 'APPLICANT_PROFILE':
      // The resource holds its media item directly, not in a { media } wrapper.
      ref('APPLICANT_PROFILE', `${a.label} (what the applicant entered)`, a.resource.media === undefined ? undefined : { media: a.resource.media });
      return;
    case 'OTHER':
      return;
  }
}

function dedupe(drafts: Draft[]): MediaItem[] {
  const groups = new Map<string, number[]>();
  drafts.forEach((d, i) => {
    if (d.mediaId === undefined) return;
    const group = groups.get(d.mediaId);
    if (group) group.push(i);
    else groups.set(d.mediaId, [i]);
  });
  const winners = new Set<number>();
  for (const group of groups.values()) {
    winners.add(group.reduce((best, i) => (SPECIFICITY[drafts[i]!.role] < SPECIFICITY[drafts[best]!.role] ? i : best)));
  }
  const out: MediaItem[] = [];
  drafts.forEach((d, i) => {
    const group = d.mediaId === undefined ? undefined : groups.get(d.mediaId);
    if (group === undefined) {
      out.push({ ...d, captured: false, fetchable: false, alsoAs: [] });
      return;
    }
    if (!winners.has(i)) return;
    const alsoAs: MediaAlias[] = group
      .filter((j) => j !== i)
      .map((j) => {
        const o = drafts[j]!;
        return { role: o.role, label: o.label, resourceId: o.resourceId, taskId: o.taskId, checkId: o.checkId, checkIndex: o.checkIndex };
      });
    out.push({ ...d, captured: true, fetchable: isYotiId(d.mediaId), alsoAs });
  });
  return out;
}

/**
 * Turns the session's media list into what the viewer shows: one group per attempt (document,
 * liveness, …), each with entries. A document page is one entry whose flip-book is the page image
 * followed by its frames (hologram movement); an empty liveness frame is an entry that says "not
 * captured"; binaries (the facemap) are file entries with a save link. Pure and memoised per view.
 */
import type { MediaView, SessionView } from '../ipc/contract';

export interface EvidenceImage {
  mediaId: string;
  url: string;
  /** Its thumbnail (the item itself when main gave none): the strip, and the stage until the full image has decoded. */
  thumbnailUrl: string;
  /** "Page image", "Frame 2", "ID photo". */
  label: string;
  media: MediaView;
}

interface EntryBase {
  key: string;
  /** Short name inside its group: "Page 1", "Frame 3", "ID photo". */
  label: string;
  /** Full name: "Document 1 page 1". */
  title: string;
  groupKey: string;
}

export type EvidenceEntry =
  | (EntryBase & { kind: 'image'; images: EvidenceImage[] })
  | (EntryBase & { kind: 'missing'; reason: string })
  | (EntryBase & { kind: 'file'; media: MediaView });

export interface EvidenceGroup {
  key: string;
  title: string;
  detail?: string;
  entries: EvidenceEntry[];
}

export interface Evidence {
  groups: EvidenceGroup[];
  /** Every entry, in reading order (what [ and ] step through). */
  entries: EvidenceEntry[];
  /** Candidates for the compare view: the document's ID photos (left, never a whole page) and faces (right). */
  portraits: EvidenceImage[];
  faces: EvidenceImage[];
}

const isJson = (m: MediaView): boolean =>
  (m.mediaType ?? '').toUpperCase() === 'JSON' || (m.stored?.mimeType ?? '').toLowerCase().includes('json');

const isImage = (m: MediaView): boolean => {
  const mime = m.stored?.mimeType?.toLowerCase();
  if (mime) return mime.startsWith('image/') && !mime.includes('svg');
  return (m.mediaType ?? '').toUpperCase() === 'IMAGE';
};

/** Why a listed item cannot be shown, in words (undefined when it can). */
function unavailable(m: MediaView): string | undefined {
  if (!m.captured) return 'Not captured';
  if (m.stored?.noContent) return 'Yoti has no content for it';
  if (m.url === undefined && m.stored === undefined) return 'Not downloaded';
  return undefined;
}

/** What the evidence is made of: the view's media and the attempts they belong to (main builds it for a queue row too). */
export type EvidenceSource = Pick<SessionView, 'media'> & { summary: Pick<SessionView['summary'], 'documents' | 'liveness'> };

const cache = new WeakMap<SessionView, Evidence>();

export function evidenceOf(view: SessionView): Evidence {
  const hit = cache.get(view);
  if (hit) return hit;
  const built = buildEvidence(view);
  cache.set(view, built);
  return built;
}

function groupInfo(view: EvidenceSource, m: MediaView): { key: string; title: string; detail?: string } {
  if (m.resourceKind !== undefined && m.resourceIndex !== undefined) {
    const key = `${m.resourceKind}:${m.resourceIndex}`;
    const doc = view.summary.documents.find((d) => d.resourceId !== undefined && d.resourceId === m.resourceId);
    if (doc) return { key, title: doc.label, detail: [doc.documentType.text, doc.issuingCountry].filter(Boolean).join(', ') };
    const live = view.summary.liveness.find((l) => l.resourceId !== undefined && l.resourceId === m.resourceId);
    if (live) return { key, title: live.label, detail: live.livenessType.text };
    const prefix = /^(.*?\d+)\b/.exec(m.label)?.[1];
    return { key, title: prefix ?? m.label };
  }
  return { key: 'other', title: 'Other media', detail: 'Made by checks and tasks' };
}

function shortLabel(m: MediaView): string {
  switch (m.role) {
    case 'DOCUMENT_PAGE':
      return `Page ${(m.pageIndex ?? 0) + 1}`;
    case 'DOCUMENT_ID_PHOTO':
      return 'ID photo';
    case 'LIVENESS_FRAME':
      return `Frame ${(m.frameIndex ?? 0) + 1}`;
    case 'FACEMAP':
      return 'Facemap';
    case 'LIVENESS_IMAGE':
      return 'Liveness image';
    case 'FACE_CAPTURE_IMAGE':
      return 'Face image';
    case 'SUPPLEMENTARY_FILE':
      return 'File';
    default:
      return m.label;
  }
}

export function buildEvidence(view: EvidenceSource): Evidence {
  const groups: EvidenceGroup[] = [];
  const groupByKey = new Map<string, EvidenceGroup>();
  const portraits: EvidenceImage[] = [];
  const faces: EvidenceImage[] = [];
  const addEntry = (m: MediaView, entry: EvidenceEntry): void => {
    let g = groupByKey.get(entry.groupKey);
    if (!g) {
      const info = groupInfo(view, m);
      g = { key: info.key, title: info.title, detail: info.detail, entries: [] };
      groupByKey.set(g.key, g);
      groups.push(g);
    }
    g.entries.push(entry);
  };
  const keyOf = (m: MediaView, i: number): string => m.mediaId ?? `${m.role}:${m.resourceId ?? '-'}:${m.pageIndex ?? '-'}:${m.frameIndex ?? '-'}:${i}`;
  const image = (m: MediaView, label: string): EvidenceImage | undefined =>
    m.mediaId !== undefined && m.url !== undefined && unavailable(m) === undefined && isImage(m) ? { mediaId: m.mediaId, url: m.url, thumbnailUrl: m.thumbnailUrl ?? m.url, label, media: m } : undefined;

  // Frames of a page, by resource and page.
  const frames = new Map<string, MediaView[]>();
  for (const m of view.media) {
    if (m.role !== 'DOCUMENT_FRAME') continue;
    const k = `${m.resourceId ?? '-'}:${m.pageIndex ?? 0}`;
    const list = frames.get(k) ?? [];
    list.push(m);
    frames.set(k, list);
  }

  view.media.forEach((m, i) => {
    if (m.role === 'DOCUMENT_FRAME' || m.role === 'DOCUMENT_FIELDS' || m.role === 'EXPANDED_DOCUMENT_FIELDS') return;
    if (m.captured && isJson(m)) return; // fields and reports: shown as data in the findings
    const groupKey = groupInfo(view, m).key;
    const label = shortLabel(m);
    const base = { key: keyOf(m, i), label, title: m.label, groupKey };
    if (m.role === 'DOCUMENT_PAGE') {
      const pageFrames = frames.get(`${m.resourceId ?? '-'}:${m.pageIndex ?? 0}`) ?? [];
      const images: EvidenceImage[] = [];
      const own = image(m, 'Page image');
      if (own) images.push(own);
      pageFrames.forEach((f) => {
        const fi = image(f, `Frame ${(f.frameIndex ?? 0) + 1}`);
        if (fi) images.push(fi);
      });
      if (images.length > 0) {
        addEntry(m, { ...base, kind: 'image', images });
      } else addEntry(m, { ...base, kind: 'missing', reason: unavailable(m) ?? 'Not an image' });
      return;
    }
    const img = image(m, label);
    if (img) {
      addEntry(m, { ...base, kind: 'image', images: [img] });
      if (m.role === 'DOCUMENT_ID_PHOTO') portraits.push(img);
      if (m.role === 'LIVENESS_FRAME' || m.role === 'LIVENESS_IMAGE' || m.role === 'FACE_CAPTURE_IMAGE') faces.push(img);
      return;
    }
    const why = unavailable(m);
    if (why !== undefined || m.mediaId === undefined) {
      addEntry(m, { ...base, kind: 'missing', reason: why ?? 'Not captured' });
      return;
    }
    addEntry(m, { ...base, kind: 'file', media: m });
  });

  return {
    groups,
    entries: groups.flatMap((g) => g.entries),
    // Only a photo of a face: a whole page (or a utility bill) is never offered as the portrait.
    portraits,
    faces,
  };
}

/** The entry a session opens on: its first image, else its first item. */
export function openingEntry(evidence: Evidence): EvidenceEntry | undefined {
  return evidence.entries.find((e) => e.kind === 'image') ?? evidence.entries[0];
}

/** The image the stage shows first when a session opens (none when it opens on a file or a missing item). */
export function openingImage(evidence: Evidence): EvidenceImage | undefined {
  return shownImage(openingEntry(evidence), 0);
}

/** What the stage loads first for an image: its screen copy when main made one, else the image itself. */
export function stageUrl(image: EvidenceImage): string {
  return image.media.screen?.url ?? image.url;
}

/**
 * Whether the screen copy still shows the image as the original would, at `devicePixels` device
 * pixels per pixel of the original: each pixel of the copy must cover at least one device pixel.
 * Past that the stage shows the original (zoomed in, or a large stage on a dense screen).
 */
export function screenCopyEnough(image: EvidenceImage, devicePixels: number): boolean {
  const { screen, pixels } = image.media;
  return screen !== undefined && pixels !== undefined && devicePixels * pixels.width <= screen.width * (1 + 1e-6);
}

/** The media ids the stage shows for an entry and frame. */
export function shownImage(entry: EvidenceEntry | undefined, frame: number): EvidenceImage | undefined {
  if (entry?.kind !== 'image') return undefined;
  return entry.images[Math.min(Math.max(0, frame), entry.images.length - 1)];
}

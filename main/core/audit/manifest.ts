import { createHash } from 'node:crypto';
import type { JsonObject } from './canonical';

/**
 * The evidence manifest of one session: the SHA-256 of the session JSON and of every stored media
 * item, and one hash over them. It is recorded in the audit log whenever the stored evidence changes
 * (fetch, media deleted), and every confirmed decision records the manifest hash it was made on.
 *
 * The manifest hash is the SHA-256 (hex) of this UTF-8 text, one line each, "\n" after every line,
 * media sorted by media id (code-unit order):
 *
 *   idv-review evidence manifest v1
 *   session <sessionId> sha256=<hex> size=<bytes>
 *   media <mediaId> sha256=<hex> size=<bytes> type=<mime type>
 *   media <mediaId> no-content
 *
 * so anyone holding the exported files can recompute it with sha256sum.
 */
export interface ManifestItem {
  mediaId: string;
  /** null for an item Yoti answered 204 for. */
  sha256: string | null;
  size: number;
  mimeType: string | null;
  noContent: boolean;
}

export interface EvidenceManifest {
  sessionId: string;
  session: { sha256: string; size: number };
  /** Sorted by mediaId. */
  media: ManifestItem[];
  manifestHash: string;
}

export function manifestText(m: Omit<EvidenceManifest, 'manifestHash'>): string {
  const lines = ['idv-review evidence manifest v1', `session ${m.sessionId} sha256=${m.session.sha256} size=${m.session.size}`];
  for (const item of sortItems(m.media)) {
    lines.push(item.noContent ? `media ${item.mediaId} no-content` : `media ${item.mediaId} sha256=${item.sha256 ?? ''} size=${item.size} type=${item.mimeType ?? ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export function buildManifest(sessionId: string, session: { sha256: string; size: number }, media: readonly ManifestItem[]): EvidenceManifest {
  const base = { sessionId, session: { sha256: session.sha256, size: session.size }, media: sortItems(media).map((i) => ({ ...i })) };
  return { ...base, manifestHash: sha256Hex(manifestText(base)) };
}

/** The compact form kept in audit entries (ids and hashes only). */
export function manifestToJson(m: EvidenceManifest): JsonObject {
  return {
    hash: m.manifestHash,
    session: { sha256: m.session.sha256, size: m.session.size },
    media: m.media.map((i): JsonObject => (i.noContent ? { id: i.mediaId, noContent: true } : { id: i.mediaId, sha256: i.sha256, size: i.size, type: i.mimeType })),
  };
}

/** Reads the compact form back; null when it is not one (the audit entry's MAC already vouches for it). */
export function manifestFromJson(sessionId: string, value: unknown): EvidenceManifest | null {
  if (!isObject(value) || !isObject(value.session) || !Array.isArray(value.media) || typeof value.hash !== 'string') return null;
  const { sha256, size } = value.session;
  if (typeof sha256 !== 'string' || typeof size !== 'number') return null;
  const media: ManifestItem[] = [];
  for (const raw of value.media) {
    if (!isObject(raw) || typeof raw.id !== 'string') return null;
    if (raw.noContent === true) media.push({ mediaId: raw.id, sha256: null, size: 0, mimeType: null, noContent: true });
    else if (typeof raw.sha256 === 'string' && typeof raw.size === 'number' && typeof raw.type === 'string') {
      media.push({ mediaId: raw.id, sha256: raw.sha256, size: raw.size, mimeType: raw.type, noContent: false });
    } else return null;
  }
  const m = buildManifest(sessionId, { sha256, size }, media);
  return m.manifestHash === value.hash ? m : null;
}

/** The first difference between what was recorded and what is stored, in words; null when equal. */
export function diffManifests(expected: EvidenceManifest, actual: EvidenceManifest): string | null {
  if (expected.session.sha256 !== actual.session.sha256 || expected.session.size !== actual.session.size) {
    return 'its session JSON does not match the recorded SHA-256';
  }
  const have = new Map(actual.media.map((i) => [i.mediaId, i]));
  for (const item of expected.media) {
    const got = have.get(item.mediaId);
    if (!got) return `media ${item.mediaId} is missing`;
    if (got.noContent !== item.noContent || got.sha256 !== item.sha256 || got.size !== item.size || got.mimeType !== item.mimeType) {
      return `media ${item.mediaId} does not match the recorded SHA-256`;
    }
  }
  const want = new Set(expected.media.map((i) => i.mediaId));
  const extra = actual.media.find((i) => !want.has(i.mediaId));
  if (extra) return `media ${extra.mediaId} is stored but not in the recorded manifest`;
  return null;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function sortItems(items: readonly ManifestItem[]): ManifestItem[] {
  return [...items].sort((a, b) => (a.mediaId < b.mediaId ? -1 : a.mediaId > b.mediaId ? 1 : 0));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

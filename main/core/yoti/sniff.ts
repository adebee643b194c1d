/**
 * Content-type checks for media downloaded from Yoti (threat T3: an "image" that is really HTML or SVG,
 * a polyglot, or a missing Content-Type). Pure functions, no I/O.
 */

export type SniffedType = 'image/jpeg' | 'image/png' | 'application/pdf' | 'application/json';

/** Declared types we check against the bytes. */
export const CHECKED_TYPES: ReadonlySet<string> = new Set<SniffedType>([
  'image/jpeg',
  'image/png',
  'application/pdf',
  'application/json',
]);

/** Opaque binary media (ZOOM facemaps, BINARY media): accepted as declared, never rendered. */
export const OPAQUE_TYPE = 'application/octet-stream';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;
const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d] as const; // "%PDF-"

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  if (bytes.length < magic.length) return false;
  return magic.every((b, i) => bytes[i] === b);
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function looksLikeJson(bytes: Uint8Array): boolean {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  const first = bytes[i];
  if (first !== 0x7b && first !== 0x5b) return false; // '{' or '['
  try {
    JSON.parse(utf8.decode(bytes.subarray(i)));
    return true;
  } catch {
    return false;
  }
}

/** Identifies JPEG, PNG, PDF (magic bytes at offset 0) and JSON (an object or array that parses as UTF-8). */
export function sniffMediaType(bytes: Uint8Array): SniffedType | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (startsWith(bytes, PNG_MAGIC)) return 'image/png';
  if (startsWith(bytes, PDF_MAGIC)) return 'application/pdf';
  if (looksLikeJson(bytes)) return 'application/json';
  return null;
}

/** `Image/JPEG; charset=x` becomes `image/jpeg`; a missing or empty header becomes null. */
export function normaliseContentType(header: string | readonly string[] | undefined): string | null {
  const value = typeof header === 'string' ? header : header?.[0];
  if (typeof value !== 'string') return null;
  const type = value.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return type === '' ? null : type;
}

export type MediaTypeVerdict =
  | { ok: true; mimeType: string; declaredType: string | null; sniffedType: SniffedType | null }
  | {
      ok: false;
      code: 'MEDIA_TYPE_UNKNOWN' | 'MEDIA_TYPE_MISMATCH' | 'MEDIA_TYPE_NOT_ALLOWED';
      declaredType: string | null;
      sniffedType: SniffedType | null;
    };

/**
 * Decides which type a media body may be handled as:
 * - no declared type: the sniffed one; else opaque bytes when the session itself declares the item
 *   BINARY (a ZOOM facemap served without a Content-Type); else refused as unknown;
 * - declared JPEG/PNG/PDF/JSON: only if the bytes sniff as exactly that type;
 * - declared application/octet-stream: accepted as opaque bytes;
 * - anything else (text/html, image/svg+xml, …): refused.
 */
export function checkMediaType(contentType: string | readonly string[] | undefined, bytes: Uint8Array, sessionType?: string): MediaTypeVerdict {
  const declaredType = normaliseContentType(contentType);
  const sniffedType = sniffMediaType(bytes);
  if (declaredType === null) {
    if (sniffedType !== null) return { ok: true, mimeType: sniffedType, declaredType, sniffedType };
    return sessionType === 'BINARY' ? { ok: true, mimeType: OPAQUE_TYPE, declaredType, sniffedType } : { ok: false, code: 'MEDIA_TYPE_UNKNOWN', declaredType, sniffedType };
  }
  if (declaredType === OPAQUE_TYPE) return { ok: true, mimeType: declaredType, declaredType, sniffedType };
  if (!CHECKED_TYPES.has(declaredType)) return { ok: false, code: 'MEDIA_TYPE_NOT_ALLOWED', declaredType, sniffedType };
  if (sniffedType !== declaredType) return { ok: false, code: 'MEDIA_TYPE_MISMATCH', declaredType, sniffedType };
  return { ok: true, mimeType: declaredType, declaredType, sniffedType };
}

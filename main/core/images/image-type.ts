import { sniffMediaType } from '../yoti/sniff';

/** The only stored types ever decoded or shown (threat T3: an "image" that is really HTML or SVG, a polyglot). */
export const SERVED_MEDIA_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png']);

/** The image type to decode or serve, or why not: the declared type must be JPEG or PNG, and the bytes must be that. */
export function imageTypeOf(declared: string, bytes: Uint8Array): { type: 'image/jpeg' | 'image/png' } | { refused: string } {
  const type = declared.toLowerCase();
  if (!SERVED_MEDIA_TYPES.has(type)) return { refused: `type ${type} is never served` };
  const sniffed = sniffMediaType(bytes);
  if ((sniffed !== 'image/jpeg' && sniffed !== 'image/png') || sniffed !== type) return { refused: `stored as ${type} but the bytes are ${sniffed ?? 'unrecognised'}` };
  return { type: sniffed };
}

import type { MrzCheckName } from '../../../common/mrz';

/**
 * Masking for the exported record (what each redaction profile hides: redaction.ts). A redacted
 * export shows no full document number (nor personal number): the fields are masked (`L89•••••3`),
 * the MRZ lines are masked whole and the check digits computed over the numbers are hidden.
 */

export const MASK_CHAR = '•';

/**
 * Masks an identifier, keeping at most the first 3 and the last 1 characters and hiding at least
 * half of them: `L898902C3` → `L89•••••3`, `AB1234` → `AB•••4`, `123` → `••3`, 2 characters or
 * fewer are hidden entirely. The length is kept.
 */
export function maskIdentifier(value: string): string {
  const chars = Array.from(value);
  const n = chars.length;
  if (n <= 2) return MASK_CHAR.repeat(n);
  const reveal = n - Math.ceil(n / 2);
  const suffix = reveal >= 1 ? 1 : 0;
  const prefix = Math.min(3, reveal - suffix);
  return chars.map((c, i) => (i < prefix || i >= n - suffix ? c : MASK_CHAR)).join('');
}

/** Check digits computed over the document or personal number (the date check digits say nothing about them). */
export const SECRET_CHECKS: ReadonlySet<MrzCheckName> = new Set(['document_number', 'optional', 'composite']);

/** Identifiers shorter than this are not searched for in free text (too many false hits). */
export const MIN_SCRUB_LENGTH = 5;

/** Applies `f` to every string inside a plain data tree; byte arrays (image data) are left alone. */
export function mapStrings<T>(value: T, f: (s: string) => string): T {
  return mapUnknown(value, f) as T;
}

function mapUnknown(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map((v: unknown) => mapUnknown(v, f));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapUnknown(v, f);
    return out;
  }
  return value;
}

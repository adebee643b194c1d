import { verifyMrz, type MrzCheckName, type MrzResult } from '../mrz';

/**
 * Redaction for the exported record. A redacted export shows no full document number (nor personal
 * number) anywhere: the fields are masked (`L89•••••3`), the MRZ hides the masked characters, every
 * check digit computed over them and the optional data, and free text is scrubbed of the numbers.
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

/** Which positions of an identifier stay visible under maskIdentifier(). */
function revealedPositions(length: number): (i: number) => boolean {
  const masked = maskIdentifier('x'.repeat(length));
  return (i) => masked.charAt(i) !== MASK_CHAR;
}

type Spot = readonly [line: number, index: number];

/** Check digits computed over the document or personal number (the date check digits say nothing about them). */
export const SECRET_CHECKS: ReadonlySet<MrzCheckName> = new Set(['document_number', 'optional', 'composite']);

/**
 * The MRZ with the document number masked like the field (first 3 and last 1 characters at most),
 * and its check digit, the optional/personal number data and its check digit, and the composite
 * check digit replaced by `•` (the date check digits stay). Line lengths are kept. Lines that do not form an MRZ are masked entirely
 * except for `<` fillers.
 */
export function maskMrzLines(lines: readonly string[]): string[] {
  const ls = lines.map((l) => l.trim()).filter((l) => l.length > 0);
  const v = verifyMrz(ls);
  if ('error' in v) return ls.map((l) => l.replace(/[^<]/g, MASK_CHAR));
  const out = ls.map((l) => Array.from(l));
  const hide = ([line, index]: Spot): void => {
    const row = out[line];
    if (row !== undefined && index < row.length) row[index] = MASK_CHAR;
  };
  const hideData = (line: number, from: number, to: number): void => {
    const row = out[line];
    if (row === undefined) return;
    for (let i = from; i < to && i < row.length; i++) if (row[i] !== '<') row[i] = MASK_CHAR;
  };
  for (const spot of numberSpots(v, ls)) hide(spot);
  for (const c of v.checks) if (SECRET_CHECKS.has(c.name)) hide([c.line, c.index]);
  switch (v.format) {
    case 'TD3':
      hideData(1, 28, 42);
      break;
    case 'TD2':
      hideData(1, 28, 35);
      break;
    case 'TD1':
      hideData(0, 15, 30);
      hideData(1, 18, 29);
      break;
  }
  return out.map((r) => r.join(''));
}

/** Positions of the document number's characters that maskIdentifier() hides. */
function numberSpots(v: MrzResult, ls: readonly string[]): Spot[] {
  const line = v.format === 'TD1' ? 0 : 1;
  const start = v.format === 'TD1' ? 5 : 0;
  const overflowStart = v.format === 'TD1' ? 15 : 28;
  const positions: Spot[] = [];
  const firstPart = (ls[line] ?? '').slice(start, start + 9).replace(/<+$/, '').length;
  for (let i = 0; i < firstPart; i++) positions.push([line, start + i]);
  if (v.longDocumentNumber) {
    for (let i = 0; i < v.documentNumber.length - 9; i++) positions.push([line, overflowStart + i]);
  }
  const shown = revealedPositions(positions.length);
  return positions.filter((_, i) => !shown(i));
}

const escape = (c: string): string => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Identifiers shorter than this are not searched for in free text (too many false hits). */
export const MIN_SCRUB_LENGTH = 5;

/**
 * A function that replaces every occurrence of the given identifiers in free text by their masked
 * form, case-insensitively and also when written with spaces, hyphens, dots or slashes between the
 * characters (`L898 902 C3`).
 */
export function scrubber(identifiers: readonly string[]): (text: string) => string {
  const secrets = [...new Set(identifiers.map((s) => s.replace(/[^A-Za-z0-9]/g, '')).filter((s) => s.length >= MIN_SCRUB_LENGTH))].sort(
    (a, b) => b.length - a.length,
  );
  if (secrets.length === 0) return (t) => t;
  const patterns = secrets.map((s) => ({ re: new RegExp(Array.from(s).map(escape).join('[\\s\\-./]{0,3}'), 'giu'), masked: maskIdentifier(s) }));
  return (text) => patterns.reduce((t, p) => t.replace(p.re, p.masked), text);
}

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

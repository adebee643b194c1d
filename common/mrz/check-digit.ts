/**
 * ICAO Doc 9303 Part 3 §4.9 check digits. Pure functions, shared by the demo server (to build valid
 * specimen MRZs) and the desktop UI (to show per-digit results).
 */

/** The only characters an MRZ may hold. */
export const MRZ_CHARSET = /^[A-Z0-9<]*$/;

const WEIGHTS = [7, 3, 1] as const;

/** Value of one MRZ character: 0–9 → 0–9, A–Z → 10–35, `<` → 0. Throws on anything else. */
export function mrzCharValue(ch: string): number {
  const code = ch.charCodeAt(0);
  if (ch.length !== 1) throw new RangeError(`Expected one MRZ character, got ${JSON.stringify(ch)}`);
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  if (ch === '<') return 0;
  throw new RangeError(`Not an MRZ character: ${JSON.stringify(ch)}`);
}

/**
 * Check digit over `s` with weights 7, 3, 1 repeating from the first character, sum mod 10.
 * Throws a RangeError when `s` contains a character outside A–Z, 0–9 and `<`.
 */
export function mrzCheckDigit(s: string): number {
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    sum += mrzCharValue(s.charAt(i)) * (WEIGHTS[i % 3] ?? 1);
  }
  return sum % 10;
}

/** Same as {@link mrzCheckDigit}, as the single character that goes into the MRZ. */
export function mrzCheckChar(s: string): string {
  return String(mrzCheckDigit(s));
}

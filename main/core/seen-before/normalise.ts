import { createHmac } from 'node:crypto';

/**
 * What makes two sessions "seen before": the same document (issuing country + document number) or
 * the same person (family name + date of birth). Values are normalised so that spelling noise does
 * not hide a match (case, accents, spaces, hyphens, apostrophes; Greek final sigma and German ß fold
 * with toUpperCase), then only keyed hashes of them are kept (HMAC-SHA256 with a key derived from the
 * keychain data key), so no plaintext index of PII exists. Pure.
 */

export interface IdentityValues {
  /** `doc|<COUNTRY>|<NUMBER>` or null when either part is missing. */
  document: string | null;
  /** `person|<FAMILY NAME>|<YYYY-MM-DD>` or null when either part is missing. */
  person: string | null;
}

/** Upper case, accents removed, everything but letters and digits removed. */
export function normaliseName(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** Document numbers: as names (letters and digits only, upper case). */
export const normaliseDocumentNumber = normaliseName;

/** ISO alpha-2/alpha-3 codes: upper-case letters only. */
export function normaliseCountry(value: string): string {
  return value.toUpperCase().replace(/[^A-Z]/g, '');
}

/** YYYY-MM-DD from `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD` or an ISO timestamp; null otherwise. */
export function normaliseDate(value: string): string | null {
  const m = /^(\d{4})[-/]?(\d{2})[-/]?(\d{2})(?:$|T)/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${y}-${mo}-${d}`;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/**
 * From a document fields object (Yoti's flat JSON media). `issuingCountry` is the resource's own
 * value, used when the fields do not carry one.
 */
export function identityValues(fields: unknown, issuingCountry?: string): IdentityValues {
  const f = typeof fields === 'object' && fields !== null && !Array.isArray(fields) ? (fields as Record<string, unknown>) : {};
  const country = normaliseCountry(str(f.issuing_country) ?? issuingCountry ?? '');
  const number = normaliseDocumentNumber(str(f.document_number) ?? '');
  const family = normaliseName(str(f.family_name) ?? '');
  const dobText = str(f.date_of_birth);
  const dob = dobText === undefined ? null : normaliseDate(dobText);
  return {
    document: country !== '' && number !== '' ? `doc|${country}|${number}` : null,
    person: family !== '' && dob !== null ? `person|${family}|${dob}` : null,
  };
}

/** The keyed hash kept in the index (hex). */
export function keyedHash(key: Uint8Array, value: string): string {
  return createHmac('sha256', key).update(`idv-review|seen-before|v1|${value}`).digest('hex');
}

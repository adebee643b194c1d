import { createHmac } from 'node:crypto';
import { UsageError } from '../../../common/errors';
import { maskIdentifier, MIN_SCRUB_LENGTH } from './mask';

/**
 * What a redacted export hides, and how a reader can still check it against the store.
 *
 * Profiles: `numbers` hides document and personal numbers, MRZ lines and their check digits;
 * `full` also hides names, dates of birth, places of birth, addresses and every image. Free text
 * (notes, verdict notes, Yoti's details) is scrubbed of every value of every document field known to
 * the store that the profile hides, and of anything shaped like a document number or an MRZ line.
 *
 * A plain SHA-256 of anything carrying personal data would let a reader test guesses (rebuild the
 * fields JSON per candidate number, compare hashes), so a redacted export prints keyed commitments
 * instead: HMAC-SHA256 under a random key made for that export and kept only in its audit entry.
 */

export type RedactProfile = 'none' | 'numbers' | 'full';
export const REDACT_PROFILES = ['numbers', 'full'] as const;
/** What a bare `--redact` means. */
export const DEFAULT_REDACT_PROFILE = 'numbers' satisfies RedactProfile;

export function parseRedactProfile(value: string): Exclude<RedactProfile, 'none'> {
  if ((REDACT_PROFILES as readonly string[]).includes(value)) return value as Exclude<RedactProfile, 'none'>;
  throw new UsageError('USAGE', `--redact takes "numbers" or "full", not "${value}"`);
}

export const PROFILE_WORDS: Readonly<Record<RedactProfile, string>> = {
  none: 'Full (not redacted): contains the document number and document images',
  numbers: 'Redacted (numbers): document and personal numbers, MRZ lines and their check digits masked; document page images withheld',
  full: 'Redacted (full): numbers, names, dates of birth, places of birth, addresses and every image withheld',
};

/** The text that replaces a value in free text. */
export const FREE_TEXT_MASK = '[masked]';

// ---- Commitments ------------------------------------------------------------------------------

export const COMMITMENT_KEY_BYTES = 32;
const COMMITMENT_PREFIX = 'idv-review|commitment|v1|';

/**
 * The keyed commitment to one stored item: HMAC-SHA256(key, "idv-review|commitment|v1|" + label +
 * "|" + hex SHA-256 of the item). The label is the media id, or "manifest" for the evidence manifest.
 */
export function commitment(key: Uint8Array, label: string, sha256: string): string {
  return createHmac('sha256', key).update(`${COMMITMENT_PREFIX}${label}|${sha256}`).digest('hex');
}

export const MANIFEST_COMMITMENT_LABEL = 'manifest';

export const COMMITMENT_EXPLANATION =
  'Commitments replace the SHA-256 of every stored item in a redacted export: commitment = HMAC-SHA256(key, "idv-review|commitment|v1|" + media ID (or "manifest") + "|" + SHA-256 of the item as stored). ' +
  'The key is 256 random bits made for this export and kept only in its entry of the local audit log, so the store can prove the match while a reader of this paper cannot test guesses. ' +
  'Check with: idv-review verify-report FILE.pdf (or --id with the report ID).';

// ---- Values known to the store -----------------------------------------------------------------

/** Document field values the store holds, over every session: what free text is scrubbed of. */
export interface KnownFieldValues {
  /** Document and personal numbers, MRZ lines. */
  numbers: string[];
  /** Names, dates of birth, places of birth, address parts. */
  identity: string[];
}

export const NO_KNOWN_VALUES: KnownFieldValues = { numbers: [], identity: [] };

const NUMBER_KEYS: ReadonlySet<string> = new Set(['document_number', 'personal_number', 'line1', 'line2', 'line3']);
/** Categorical or document-level values that say nothing about the person on their own. */
const NEUTRAL_KEYS: ReadonlySet<string> = new Set([
  'document_type',
  'gender',
  'nationality',
  'issuing_country',
  'country_iso',
  'country',
  'address_format',
  'issuing_authority',
  'expiration_date',
  'date_of_issue',
  'type',
]);

/** Every string value of a parsed document fields JSON, sorted into numbers and identity values. */
export function fieldValuesOf(json: unknown, into: KnownFieldValues = { numbers: [], identity: [] }): KnownFieldValues {
  const walk = (v: unknown, key: string): void => {
    if (typeof v === 'string') {
      if (v.trim() === '' || NEUTRAL_KEYS.has(key)) return;
      (NUMBER_KEYS.has(key) || key.endsWith('_number') ? into.numbers : into.identity).push(v.trim());
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x, key);
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) walk(x, k);
    }
  };
  walk(json, '');
  return into;
}

// ---- Scrubbing -------------------------------------------------------------------------------

const escape = (c: string): string => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NOT_ALNUM_BEFORE = '(?<![\\p{L}\\p{N}])';
const NOT_ALNUM_AFTER = '(?![\\p{L}\\p{N}])';
/** Separators a person may type inside a number (`L898 902 C3`, `L898-902-C3`). */
const SEPARATORS = '[\\s\\-./]{0,3}';

/** A word that looks like a document or personal number: 6+ letters and digits with at least 2 digits. */
const NUMBER_SHAPE = /(?<![\p{L}\p{N}])(?=[A-Za-z0-9]*\d[A-Za-z0-9]*\d)[A-Za-z0-9]{6,}(?![\p{L}\p{N}])/gu;
/** A run that looks like an MRZ line (or part of one): 10+ of A–Z, 0–9 and `<`, with a `<`. */
const MRZ_SHAPE = /(?=[A-Z0-9<]*<)[A-Z0-9<]{10,}/g;

/** Dates as a person may write them: 1974-08-12, 12/08/1974, 12.08.1974, 12-08-1974, 740812 (MRZ). */
function dateSpellings(iso: string): string[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (m === null) return [iso];
  const [, y = '', mo = '', d = ''] = m;
  return [iso, `${d}/${mo}/${y}`, `${d}.${mo}.${y}`, `${d}-${mo}-${y}`, `${y.slice(2)}${mo}${d}`];
}

/** The values to search for: each whole value, its name words, and other spellings of dates. */
function needles(values: readonly string[], words: boolean): string[] {
  const out = new Set<string>();
  for (const v of values) {
    for (const s of dateSpellings(v)) out.add(s);
    if (words) for (const w of v.split(/[\s,;:/()]+/u)) if (Array.from(w).length >= 3) out.add(w);
  }
  return [...out].filter((s) => Array.from(s).length >= 3);
}

interface Pattern {
  re: RegExp;
  replace: (match: string) => string;
}

function valuePatterns(values: readonly string[], replace: (match: string) => string, spaced: boolean): Pattern[] {
  return [...new Set(values)]
    .sort((a, b) => b.length - a.length)
    .map((s) => {
      const chars = Array.from(spaced ? s.replace(/[^\p{L}\p{N}]/gu, '') : s);
      const body = chars.map(escape).join(spaced ? SEPARATORS : '');
      return { re: new RegExp(`${NOT_ALNUM_BEFORE}${body}${NOT_ALNUM_AFTER}`, 'giu'), replace };
    });
}

export interface Scrubbed {
  text: string;
  /** How many values were masked. */
  count: number;
}

export interface Redactor {
  profile: RedactProfile;
  /** Masks the known values the profile hides (a safety net over every string of the record). */
  known(text: string): string;
  /** Free text: the known values and anything shaped like a document number or an MRZ line. */
  freeText(text: string): Scrubbed;
}

/**
 * The scrubbers for a profile: numbers are masked like the printed fields (`L89•••••3`) when
 * structured and as `[masked]` in free text; identity values (full profile) as `[masked]`.
 */
export function redactor(profile: RedactProfile, known: KnownFieldValues): Redactor {
  if (profile === 'none') return { profile, known: (t) => t, freeText: (text) => ({ text, count: 0 }) };
  const numbers = known.numbers.map((n) => n.trim()).filter((n) => n.replace(/[^\p{L}\p{N}]/gu, '').length >= MIN_SCRUB_LENGTH);
  const numberPatterns = valuePatterns(numbers, (m) => maskIdentifier(m.replace(/[^\p{L}\p{N}<]/gu, '')), true);
  const identity = (words: boolean): Pattern[] => (profile === 'full' ? valuePatterns(needles(known.identity, words), () => FREE_TEXT_MASK, false) : []);
  // Whole values only over the structured record (a name word could be a word of a label); words too in free text.
  const knownPatterns = [...numberPatterns, ...identity(false)];
  const apply = (patterns: readonly Pattern[], text: string, counter: { n: number }, replace?: (m: string) => string): string =>
    patterns.reduce(
      (t, p) =>
        t.replace(p.re, (m) => {
          counter.n++;
          return (replace ?? p.replace)(m);
        }),
      text,
    );
  const freePatterns: Pattern[] = [
    ...numberPatterns,
    ...identity(true),
    { re: MRZ_SHAPE, replace: () => FREE_TEXT_MASK },
    { re: NUMBER_SHAPE, replace: () => FREE_TEXT_MASK },
  ];
  return {
    profile,
    known: (text) => apply(knownPatterns, text, { n: 0 }),
    freeText: (text) => {
      const counter = { n: 0 };
      const out = apply(freePatterns, text, counter, () => FREE_TEXT_MASK);
      return { text: out, count: counter.n };
    },
  };
}

// ---- A JSON document shown masked ------------------------------------------------------------

/** Keys whose string values are personal wherever they appear in Yoti's JSON (not `name`: a breakdown detail's name is its label). */
const PERSONAL_KEYS: ReadonlySet<string> = new Set([
  'full_name',
  'given_names',
  'first_name',
  'middle_name',
  'family_name',
  'date_of_birth',
  'place_of_birth',
  'document_number',
  'personal_number',
  'formatted_address',
  'address_line1',
  'address_line2',
  'address_line3',
  'postal_code',
  'email_address',
  'phone_number',
]);

/**
 * A parsed JSON document (Yoti's session) as shown to a reviewer by default: every value of the
 * session's document fields, wherever it appears, and every string under a personal key become
 * `[masked]`. Pure; `masked` counts the strings changed.
 */
export function maskedJson(json: unknown, known: KnownFieldValues): { json: unknown; masked: number } {
  const values = redactor('full', known);
  let masked = 0;
  const walk = (v: unknown, key: string): unknown => {
    if (typeof v === 'string') {
      const out = PERSONAL_KEYS.has(key) && v.trim() !== '' ? FREE_TEXT_MASK : values.known(v);
      if (out !== v) masked++;
      return out;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return { json: walk(json, ''), masked };
}

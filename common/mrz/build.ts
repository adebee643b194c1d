import { mrzCheckChar, MRZ_CHARSET } from './check-digit';
import { toMrzText } from './transliterate';

/**
 * Builds ICAO 9303 machine readable zones from document fields (Part 4 TD3, Part 5 TD1, Part 6 TD2).
 * Every check digit is computed here, so whatever is built verifies with verifyMrz().
 * Throws a RangeError when a field cannot be represented (too long, wrong characters, bad date).
 */
export interface MrzFields {
  /** `P` (passport), `I`, `ID`, `AC`, `IR`… one or two characters. */
  documentCode: string;
  /** Issuing state or organisation, ICAO alpha-3 (e.g. `UTO`, `GBR`, `D<<`). */
  issuingState: string;
  /** Primary identifier as printed; transliterated with toMrzText(). */
  surname: string;
  /** Secondary identifier as printed; may be empty. */
  givenNames: string;
  /** A–Z, 0–9. TD3: up to 9 characters; TD1/TD2: longer numbers use the ICAO overflow variant. */
  documentNumber: string;
  nationality: string;
  /** `YYYY-MM-DD` or `YYMMDD`. */
  dateOfBirth: string;
  sex: 'M' | 'F' | 'X' | '<';
  /** `YYYY-MM-DD` or `YYMMDD`. */
  expiryDate: string;
  /** TD3: personal number (14). TD2: optional data (7). TD1: optional data of line 1 (15). */
  optionalData?: string;
  /** TD1 only: optional data of line 2 (11). */
  optionalData2?: string;
}

/** `YYYY-MM-DD` (or already `YYMMDD`) to the MRZ's `YYMMDD`. */
export function toMrzDate(date: string): string {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (iso) {
    const [, y = '', m = '', d = ''] = iso;
    checkDate(Number(y), Number(m), Number(d), date);
    return `${y.slice(2)}${m}${d}`;
  }
  if (/^\d{6}$/.test(date)) return date;
  throw new RangeError(`Not a date for an MRZ: ${JSON.stringify(date)} (expected YYYY-MM-DD or YYMMDD)`);
}

function checkDate(y: number, m: number, d: number, shown: string): void {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) {
    throw new RangeError(`Not a calendar date: ${shown}`);
  }
}

function field(value: string, width: number, what: string): string {
  const v = value.toUpperCase();
  if (!MRZ_CHARSET.test(v)) throw new RangeError(`${what} has characters an MRZ cannot hold: ${JSON.stringify(value)}`);
  if (v.length > width) throw new RangeError(`${what} is longer than ${width} characters: ${JSON.stringify(value)}`);
  return v.padEnd(width, '<');
}

function code(documentCode: string): string {
  return field(documentCode, 2, 'Document code');
}

function sex(s: string): string {
  if (!['M', 'F', 'X', '<'].includes(s)) throw new RangeError(`Sex must be M, F, X or <: ${JSON.stringify(s)}`);
  return s === 'X' ? '<' : s;
}

/**
 * The name field: `SURNAME<<GIVEN<NAMES`, padded with `<`. When it does not fit, the given names are
 * truncated first and then the surname, as ICAO 9303 Part 3 §4.6 recommends (simplified: characters
 * are cut from the end of each component).
 */
export function mrzNameField(surname: string, givenNames: string, width: number): string {
  const sur = toMrzText(surname);
  const given = toMrzText(givenNames);
  if (sur.length === 0) throw new RangeError('The surname is empty after transliteration');
  let full = given ? `${sur}<<${given}` : sur;
  if (full.length > width) {
    const room = width - sur.length - 2;
    if (room >= 1) full = `${sur}<<${given.slice(0, room)}`;
    else full = sur.slice(0, width);
    full = full.replace(/<+$/, '');
  }
  return full.padEnd(width, '<');
}

/** Document number, its check digit and what spills into the optional field (TD1/TD2 overflow variant). */
function documentNumber(num: string, allowOverflow: boolean): { nine: string; check: string; overflow: string } {
  const v = num.toUpperCase();
  if (!/^[A-Z0-9]+$/.test(v)) throw new RangeError(`Document number must be A–Z/0–9: ${JSON.stringify(num)}`);
  if (v.length <= 9) return { nine: v.padEnd(9, '<'), check: mrzCheckChar(v.padEnd(9, '<')), overflow: '' };
  if (!allowOverflow) throw new RangeError(`Document number longer than 9 characters: ${JSON.stringify(num)}`);
  return { nine: v.slice(0, 9), check: '<', overflow: `${v.slice(9)}${mrzCheckChar(v)}` };
}

/** TD3 (passport booklet), 2 × 44. */
export function buildTd3(f: MrzFields): [string, string] {
  const line1 = `${code(f.documentCode)}${field(f.issuingState, 3, 'Issuing state')}${mrzNameField(f.surname, f.givenNames, 39)}`;
  const doc = documentNumber(f.documentNumber, false);
  const dob = toMrzDate(f.dateOfBirth);
  const exp = toMrzDate(f.expiryDate);
  const personal = field(f.optionalData ?? '', 14, 'Personal number');
  const personalCheck = mrzCheckChar(personal);
  const body =
    `${doc.nine}${doc.check}${field(f.nationality, 3, 'Nationality')}${dob}${mrzCheckChar(dob)}${sex(f.sex)}` +
    `${exp}${mrzCheckChar(exp)}${personal}${personalCheck}`;
  const composite = mrzCheckChar(body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43));
  return [line1, `${body}${composite}`];
}

/** TD2, 2 × 36. */
export function buildTd2(f: MrzFields): [string, string] {
  const line1 = `${code(f.documentCode)}${field(f.issuingState, 3, 'Issuing state')}${mrzNameField(f.surname, f.givenNames, 31)}`;
  const doc = documentNumber(f.documentNumber, true);
  const dob = toMrzDate(f.dateOfBirth);
  const exp = toMrzDate(f.expiryDate);
  const optional = field(doc.overflow + (doc.overflow && f.optionalData ? '<' : '') + (f.optionalData ?? ''), 7, 'Optional data');
  const body =
    `${doc.nine}${doc.check}${field(f.nationality, 3, 'Nationality')}${dob}${mrzCheckChar(dob)}${sex(f.sex)}` +
    `${exp}${mrzCheckChar(exp)}${optional}`;
  const composite = mrzCheckChar(body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 35));
  return [line1, `${body}${composite}`];
}

/** TD1 (ID card), 3 × 30. Document numbers over 9 characters use the ICAO overflow variant. */
export function buildTd1(f: MrzFields): [string, string, string] {
  const doc = documentNumber(f.documentNumber, true);
  const optional1 = field(doc.overflow + (doc.overflow && f.optionalData ? '<' : '') + (f.optionalData ?? ''), 15, 'Optional data');
  const line1 = `${code(f.documentCode)}${field(f.issuingState, 3, 'Issuing state')}${doc.nine}${doc.check}${optional1}`;
  const dob = toMrzDate(f.dateOfBirth);
  const exp = toMrzDate(f.expiryDate);
  const body2 =
    `${dob}${mrzCheckChar(dob)}${sex(f.sex)}${exp}${mrzCheckChar(exp)}${field(f.nationality, 3, 'Nationality')}` +
    field(f.optionalData2 ?? '', 11, 'Optional data 2');
  const composite = mrzCheckChar(line1.slice(5, 30) + body2.slice(0, 7) + body2.slice(8, 15) + body2.slice(18, 29));
  const line3 = mrzNameField(f.surname, f.givenNames, 30);
  return [line1, `${body2}${composite}`, line3];
}

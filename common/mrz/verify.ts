import { mrzCheckChar, MRZ_CHARSET } from './check-digit';

export type MrzFormat = 'TD1' | 'TD2' | 'TD3';
export type MrzCheckName = 'document_number' | 'date_of_birth' | 'expiry' | 'optional' | 'composite';

export interface MrzCheck {
  name: MrzCheckName;
  /** The digit computed from the covered characters. */
  expected: string;
  /** The character printed in the MRZ. */
  actual: string;
  ok: boolean;
  /** Where the printed check character is: 0-based line and column, for highlighting. */
  line: number;
  index: number;
}

export interface MrzResult {
  format: MrzFormat;
  documentCode: string;
  issuingState: string;
  surname: string;
  givenNames: string;
  /** Full document number, including the TD1/TD2 overflow when present. */
  documentNumber: string;
  /** True when the number used the TD1/TD2 long-number variant. */
  longDocumentNumber: boolean;
  nationality: string;
  /** `YYMMDD` as printed; see mrzDateToIso() for the century. */
  dateOfBirth: string;
  sex: string;
  expiryDate: string;
  /** TD3 personal number, TD2 optional data, TD1 line-1 optional data (without the overflow); fillers trimmed. */
  optionalData: string;
  /** TD1 line-2 optional data, fillers trimmed. */
  optionalData2?: string;
  checks: MrzCheck[];
  valid: boolean;
}

export type MrzVerification = MrzResult | { error: string };

const trimFill = (s: string): string => s.replace(/<+$/, '');

function parseName(field: string): { surname: string; givenNames: string } {
  const trimmed = trimFill(field);
  const sep = trimmed.indexOf('<<');
  const surname = (sep < 0 ? trimmed : trimmed.slice(0, sep)).replace(/</g, ' ').trim();
  const givenNames = sep < 0 ? '' : trimmed.slice(sep + 2).replace(/</g, ' ').trim();
  return { surname, givenNames };
}

function check(name: MrzCheckName, covered: string, actual: string, line: number, index: number, fillerAllowed = false): MrzCheck {
  const expected = mrzCheckChar(covered);
  // ICAO 9303 Part 4: an unused personal number may carry `<` instead of 0 as its check digit.
  const ok = actual === expected || (fillerAllowed && actual === '<' && /^<*$/.test(covered));
  return { name, expected, actual, ok, line, index };
}

/**
 * Document number, handling the long-number variant: when the check position holds `<` and the
 * optional field starts with characters, those characters up to the first `<` are the rest of the
 * number followed by its check digit.
 */
function documentNumberChecks(
  nine: string,
  checkChar: string,
  optional: string,
  line: number,
  checkIndex: number,
  optionalStart: number,
): { number: string; long: boolean; optionalRest: string; check: MrzCheck } {
  if (checkChar === '<' && /^[A-Z0-9]/.test(optional)) {
    const end = optional.indexOf('<');
    const run = end < 0 ? optional : optional.slice(0, end);
    const overflow = run.slice(0, -1);
    const printed = run.slice(-1);
    const number = nine + overflow;
    return {
      number,
      long: true,
      optionalRest: end < 0 ? '' : optional.slice(end + 1),
      check: check('document_number', number, printed, line, optionalStart + run.length - 1),
    };
  }
  return {
    number: trimFill(nine),
    long: false,
    optionalRest: optional,
    check: check('document_number', nine, checkChar, line, checkIndex),
  };
}

/**
 * Parses and verifies an MRZ (TD1 3×30, TD2 2×36, TD3 2×44). Surrounding whitespace on each line is
 * ignored; anything else outside A–Z, 0–9 and `<` is an error. Every check digit is reported separately.
 */
export function verifyMrz(lines: readonly string[]): MrzVerification {
  const ls = lines.map((l) => l.trim()).filter((l) => l.length > 0);
  for (const l of ls) {
    if (!MRZ_CHARSET.test(l)) return { error: `MRZ line has characters outside A–Z, 0–9 and <: ${JSON.stringify(l.slice(0, 44))}` };
  }
  const lengths = ls.map((l) => l.length).join('×');
  if (ls.length === 3 && ls.every((l) => l.length === 30)) return verifyTd1(ls[0] ?? '', ls[1] ?? '', ls[2] ?? '');
  if (ls.length === 2 && ls.every((l) => l.length === 36)) return verifyTd2or3('TD2', ls[0] ?? '', ls[1] ?? '');
  if (ls.length === 2 && ls.every((l) => l.length === 44)) return verifyTd2or3('TD3', ls[0] ?? '', ls[1] ?? '');
  return { error: `Not an MRZ shape: ${ls.length} line(s) of ${lengths || '0'} characters (TD1 3×30, TD2 2×36, TD3 2×44)` };
}

function verifyTd2or3(format: 'TD2' | 'TD3', l1: string, l2: string): MrzResult {
  const len = l2.length;
  const { surname, givenNames } = parseName(l1.slice(5));
  const optionalEnd = format === 'TD3' ? 42 : 35;
  const doc =
    format === 'TD2'
      ? documentNumberChecks(l2.slice(0, 9), l2.charAt(9), l2.slice(28, 35), 1, 9, 28)
      : documentNumberChecks(l2.slice(0, 9), l2.charAt(9), '', 1, 9, 28);
  const checks: MrzCheck[] = [
    doc.check,
    check('date_of_birth', l2.slice(13, 19), l2.charAt(19), 1, 19),
    check('expiry', l2.slice(21, 27), l2.charAt(27), 1, 27),
  ];
  if (format === 'TD3') checks.push(check('optional', l2.slice(28, 42), l2.charAt(42), 1, 42, true));
  checks.push(check('composite', l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, len - 1), l2.charAt(len - 1), 1, len - 1));
  return {
    format,
    documentCode: trimFill(l1.slice(0, 2)),
    issuingState: trimFill(l1.slice(2, 5)),
    surname,
    givenNames,
    documentNumber: doc.number,
    longDocumentNumber: doc.long,
    nationality: trimFill(l2.slice(10, 13)),
    dateOfBirth: l2.slice(13, 19),
    sex: l2.charAt(20),
    expiryDate: l2.slice(21, 27),
    optionalData: trimFill(format === 'TD3' ? l2.slice(28, optionalEnd) : doc.optionalRest),
    checks,
    valid: checks.every((c) => c.ok),
  };
}

function verifyTd1(l1: string, l2: string, l3: string): MrzResult {
  const doc = documentNumberChecks(l1.slice(5, 14), l1.charAt(14), l1.slice(15, 30), 0, 14, 15);
  const { surname, givenNames } = parseName(l3);
  const checks: MrzCheck[] = [
    doc.check,
    check('date_of_birth', l2.slice(0, 6), l2.charAt(6), 1, 6),
    check('expiry', l2.slice(8, 14), l2.charAt(14), 1, 14),
    check('composite', l1.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29), l2.charAt(29), 1, 29),
  ];
  return {
    format: 'TD1',
    documentCode: trimFill(l1.slice(0, 2)),
    issuingState: trimFill(l1.slice(2, 5)),
    surname,
    givenNames,
    documentNumber: doc.number,
    longDocumentNumber: doc.long,
    nationality: trimFill(l2.slice(15, 18)),
    dateOfBirth: l2.slice(0, 6),
    sex: l2.charAt(7),
    expiryDate: l2.slice(8, 14),
    optionalData: trimFill(doc.optionalRest),
    optionalData2: trimFill(l2.slice(18, 29)),
    checks,
    valid: checks.every((c) => c.ok),
  };
}

/**
 * `YYMMDD` to `YYYY-MM-DD`. Dates of birth pivot on `today` (a YY later than this year's means 19YY);
 * expiry dates are 20YY. Returns undefined for a value that is not a calendar date.
 */
export function mrzDateToIso(yymmdd: string, kind: 'birth' | 'expiry', today: Date = new Date()): string | undefined {
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(yymmdd);
  if (!m) return undefined;
  const yy = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const thisYy = today.getUTCFullYear() % 100;
  const century = kind === 'expiry' ? 2000 : yy > thisYy ? 1900 : 2000;
  const year = century + yy;
  const dt = new Date(Date.UTC(year, month - 1, day));
  if (dt.getUTCFullYear() !== year || dt.getUTCMonth() !== month - 1 || dt.getUTCDate() !== day) return undefined;
  return `${year}-${m[2]}-${m[3]}`;
}

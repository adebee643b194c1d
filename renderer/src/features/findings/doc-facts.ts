/**
 * The printed (VIZ) fields compared with the MRZ field by field (Passed / Failed / Skipped),
 * tolerating the usual OCR confusions 0/O, 1/I, 5/S and 8/B. (Age and expiry: common/session/document-facts.ts.)
 */
import { mrzDateToIso, toMrzText, type MrzResult } from '../../../../common/mrz';

export type CompareResult = 'Passed' | 'Failed' | 'Skipped';

export interface VizMrzRow {
  field: string;
  printed?: string;
  mrz?: string;
  result: CompareResult;
  note?: string;
}

const OCR: Readonly<Record<string, string>> = { O: '0', I: '1', S: '5', B: '8' };
const ocrCanonical = (s: string): string => s.replace(/[OISB]/g, (c) => OCR[c] ?? c);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Printed text as MRZ characters with fillers shown as spaces. */
const asMrz = (s: string): string => toMrzText(s).replace(/<+/g, ' ').trim();
const squash = (s: string): string => s.replace(/[\s<]+/g, '').toUpperCase();

function compare(field: string, printed: string | undefined, mrz: string | undefined, opts: { names?: boolean } = {}): VizMrzRow {
  if (printed === undefined || mrz === undefined || mrz === '') {
    return { field, printed, mrz, result: 'Skipped', note: printed === undefined ? 'Not among the printed fields' : 'Not in the MRZ' };
  }
  const p = opts.names ? asMrz(printed) : squash(printed);
  const m = opts.names ? mrz.trim() : squash(mrz);
  if (p === m) return { field, printed, mrz, result: 'Passed' };
  if (ocrCanonical(p) === ocrCanonical(m)) return { field, printed, mrz, result: 'Passed', note: 'Same once OCR confusions (0/O, 1/I, 5/S, 8/B) are allowed' };
  if (opts.names && m.length > 0 && p.replace(/ /g, '').startsWith(m.replace(/ /g, ''))) {
    return { field, printed, mrz, result: 'Passed', note: 'The MRZ holds a truncated form of the name' };
  }
  return { field, printed, mrz, result: 'Failed' };
}

/** 'YYYY-MM-DD' → 'YYMMDD'. */
const yymmdd = (v: unknown): string | undefined => {
  const s = str(v);
  const m = s === undefined ? null : /^\d{2}(\d{2})-(\d{2})-(\d{2})/.exec(s);
  return m ? `${m[1]}${m[2]}${m[3]}` : undefined;
};

const SEX: Readonly<Record<string, string>> = { MALE: 'M', FEMALE: 'F', M: 'M', F: 'F' };

export function compareVizWithMrz(fields: Record<string, unknown>, mrz: MrzResult): VizMrzRow[] {
  const gender = str(fields.gender)?.toUpperCase();
  const sexPrinted = gender === undefined ? undefined : (SEX[gender] ?? '<');
  const dob = compare('Date of birth', yymmdd(fields.date_of_birth), mrz.dateOfBirth);
  const exp = compare('Expiry date', yymmdd(fields.expiration_date), mrz.expiryDate);
  const withIso = (row: VizMrzRow, kind: 'birth' | 'expiry'): VizMrzRow => {
    const iso = row.mrz === undefined ? undefined : mrzDateToIso(row.mrz, kind);
    return iso === undefined ? row : { ...row, mrz: `${row.mrz} (${iso}${kind === 'birth' ? ', century assumed from today' : ''})` };
  };
  return [
    compare('Surname', str(fields.family_name), mrz.surname, { names: true }),
    compare('Given names', str(fields.given_names), mrz.givenNames, { names: true }),
    compare('Document number', str(fields.document_number), mrz.documentNumber),
    withIso(dob, 'birth'),
    withIso(exp, 'expiry'),
    compare('Sex', sexPrinted, mrz.sex === '<' ? '<' : mrz.sex),
    compare('Nationality', str(fields.nationality), mrz.nationality),
    compare('Issuing country', str(fields.issuing_country), mrz.issuingState),
    ...(str(fields.personal_number) !== undefined ? [compare('Personal number', str(fields.personal_number), mrz.optionalData)] : []),
  ];
}

export const CHECK_NAMES: Readonly<Record<string, string>> = {
  document_number: 'Document number',
  date_of_birth: 'Date of birth',
  expiry: 'Expiry date',
  optional: 'Personal number / optional data',
  composite: 'Composite (whole line)',
};

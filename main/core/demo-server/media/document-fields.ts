import { buildTd1, buildTd2, buildTd3, toMrzText, type MrzFields } from '../../../../common/mrz';
import { createRng } from '../random';
import type { JsonObject } from '../types';

/**
 * The synthetic identity behind one specimen document: what is printed on the card, what the MRZ
 * encodes and what the document_fields JSON media returns. Every value is fictional.
 */
export type MrzFormat = 'TD1' | 'TD2' | 'TD3';

export interface SpecimenIdentity {
  /** Yoti document type: PASSPORT, NATIONAL_ID, DRIVING_LICENCE, RESIDENCE_PERMIT… */
  documentType: string;
  /** ISO/ICAO alpha-3 (UTO is ICAO's fictional Utopia). */
  issuingCountry: string;
  /** Printed in the card header. */
  issuingCountryName: string;
  documentNumber: string;
  /** As printed (any script). */
  givenNames: string;
  familyName: string;
  fullName: string;
  /** Latin transliteration for the MRZ when the printed name is not Latin; derived with toMrzText() otherwise. */
  mrzGivenNames?: string;
  mrzFamilyName?: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
  placeOfBirth?: string;
  nationality: string;
  /** MALE, FEMALE, TRANSGENDER, OTHER (Yoti's values). */
  gender: string;
  expirationDate: string;
  dateOfIssue: string;
  issuingAuthority: string;
  /** TD3 personal number / TD1 optional data. */
  personalNumber?: string;
  /** No MRZ when undefined (e.g. a driving licence). */
  mrzFormat?: MrzFormat;
  /** Seed for the drawn portrait on the document and the id photo. */
  portraitSeed: string;
}

const GIVEN = ['ALEX', 'SAM', 'JORDAN', 'ROBIN', 'CASEY', 'MORGAN', 'TAYLOR', 'JAMIE', 'CHARLIE', 'RILEY'];
const FAMILY = ['SPECIMEN', 'SAMPLE', 'EXAMPLE', 'MUSTERMANN', 'TESTER', 'DEMO', 'MODEL', 'PROTOTYPE'];

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** A complete fictional identity from a seed; `overrides` wins field by field. */
export function syntheticIdentity(seed: string, overrides: Partial<SpecimenIdentity> = {}, today = new Date()): SpecimenIdentity {
  const rng = createRng(`identity:${seed}`);
  const given = rng.pick(GIVEN);
  const family = rng.pick(FAMILY);
  const year = today.getUTCFullYear();
  const birthYear = year - 20 - rng.int(50);
  const issueYear = year - 1 - rng.int(4);
  const md = `${pad2(1 + rng.int(12))}-${pad2(1 + rng.int(28))}`;
  const documentType = overrides.documentType ?? 'PASSPORT';
  const base: SpecimenIdentity = {
    documentType,
    issuingCountry: 'UTO',
    issuingCountryName: 'UTOPIA',
    documentNumber: `${String.fromCharCode(65 + rng.int(26))}${String.fromCharCode(65 + rng.int(26))}${String(1000000 + rng.int(9000000))}`,
    givenNames: given,
    familyName: family,
    fullName: `${given} ${family}`,
    dateOfBirth: `${birthYear}-${pad2(1 + rng.int(12))}-${pad2(1 + rng.int(28))}`,
    placeOfBirth: 'UTOPIA CITY',
    nationality: 'UTO',
    gender: rng.pick(['MALE', 'FEMALE']),
    dateOfIssue: `${issueYear}-${md}`,
    expirationDate: `${issueYear + 10}-${md}`,
    issuingAuthority: 'UTOPIA IDENTITY OFFICE',
    mrzFormat: defaultMrzFormat(documentType),
    portraitSeed: `${seed}:portrait`,
  };
  const merged = { ...base, ...overrides };
  if (overrides.fullName === undefined && (overrides.givenNames !== undefined || overrides.familyName !== undefined)) {
    merged.fullName = `${merged.givenNames} ${merged.familyName}`.trim();
  }
  if (overrides.fullName !== undefined && overrides.givenNames === undefined && overrides.familyName === undefined) {
    const parts = overrides.fullName.trim().split(/\s+/);
    merged.familyName = parts.length > 1 ? (parts.pop() ?? '') : (parts[0] ?? '');
    merged.givenNames = parts.join(' ');
  }
  return merged;
}

export function defaultMrzFormat(documentType: string): MrzFormat | undefined {
  switch (documentType) {
    case 'PASSPORT':
      return 'TD3';
    case 'NATIONAL_ID':
    case 'RESIDENCE_PERMIT':
      return 'TD1';
    default:
      return undefined;
  }
}

function documentCode(doc: SpecimenIdentity): string {
  switch (doc.documentType) {
    case 'PASSPORT':
      return 'P';
    case 'RESIDENCE_PERMIT':
      return 'IR';
    default:
      return 'I';
  }
}

const sexOf = (gender: string): MrzFields['sex'] => (gender === 'MALE' ? 'M' : gender === 'FEMALE' ? 'F' : '<');

/** The document's MRZ lines (valid per ICAO 9303), or undefined when it has none. */
export function specimenMrzLines(doc: SpecimenIdentity): string[] | undefined {
  if (!doc.mrzFormat) return undefined;
  const fields: MrzFields = {
    documentCode: documentCode(doc),
    issuingState: doc.issuingCountry,
    surname: doc.mrzFamilyName ?? toMrzText(doc.familyName),
    givenNames: doc.mrzGivenNames ?? toMrzText(doc.givenNames),
    documentNumber: doc.documentNumber,
    nationality: doc.nationality,
    dateOfBirth: doc.dateOfBirth,
    sex: sexOf(doc.gender),
    expiryDate: doc.expirationDate,
    optionalData: doc.personalNumber ?? '',
  };
  switch (doc.mrzFormat) {
    case 'TD3':
      return buildTd3(fields);
    case 'TD2':
      return buildTd2(fields);
    case 'TD1':
      return buildTd1(fields);
  }
}

/** Yoti's `mrz.type` as documented: 1 = TD1, 2 = TD3. TD2 (not documented by Yoti) is reported as 3. */
const MRZ_TYPE: Readonly<Record<MrzFormat, number>> = { TD1: 1, TD3: 2, TD2: 3 };

/** The flat user-data object Yoti returns as the document_fields JSON media. */
export function documentFieldsObject(doc: SpecimenIdentity): JsonObject {
  const out: JsonObject = {
    full_name: doc.fullName,
    given_names: doc.givenNames,
    first_name: doc.givenNames.split(/\s+/)[0] ?? doc.givenNames,
    family_name: doc.familyName,
    date_of_birth: doc.dateOfBirth,
    nationality: doc.nationality,
    gender: doc.gender,
    document_type: doc.documentType,
    issuing_country: doc.issuingCountry,
    document_number: doc.documentNumber,
    expiration_date: doc.expirationDate,
    date_of_issue: doc.dateOfIssue,
    issuing_authority: doc.issuingAuthority,
  };
  if (doc.placeOfBirth) out.place_of_birth = doc.placeOfBirth;
  if (doc.personalNumber) out.personal_number = doc.personalNumber;
  const mrz = specimenMrzLines(doc);
  if (mrz && doc.mrzFormat) {
    const m: JsonObject = { type: MRZ_TYPE[doc.mrzFormat] };
    mrz.forEach((line, i) => {
      m[`line${i + 1}`] = line;
    });
    out.mrz = m;
  }
  return out;
}

/** JSON bytes for a document_fields (or text-data-check) media item. */
export function jsonMediaBytes(obj: JsonObject): Buffer {
  return Buffer.from(JSON.stringify(obj), 'utf8');
}

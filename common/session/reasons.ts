/**
 * Yoti's recommendation reasons (`report.recommendation.reason`) and recovery suggestions, in words.
 *
 * Source: shared/docs/yoti-idv-session-and-media-retrieval.md. Entries marked `table` are the rows of
 * its three reason tables, copied exactly (a unit test re-reads the markdown and compares); entries
 * marked `docs` are codes that appear elsewhere in the docs (examples, prose, sandbox notes).
 * Unknown codes are shown verbatim.
 */

export type ReasonRecommendation = 'NOT_AVAILABLE' | 'REJECT';

export interface ReasonEntry {
  code: string;
  /** Yoti's own description. */
  text: string;
  /** What the reason comes with, when the docs say. */
  recommendation?: ReasonRecommendation;
  /** 'table': a row of the docs' reason table for this check; 'docs': seen elsewhere in the docs. */
  source: 'table' | 'docs';
}

export type ReasonCatalogueKey = 'ID_DOCUMENT_AUTHENTICITY' | 'ID_DOCUMENT_TEXT_DATA_CHECK' | 'ID_DOCUMENT_FACE_MATCH';

const row = (code: string, text: string, recommendation: ReasonRecommendation): ReasonEntry => ({ code, text, recommendation, source: 'table' });
const seen = (code: string, text: string, recommendation?: ReasonRecommendation): ReasonEntry =>
  recommendation === undefined ? { code, text, source: 'docs' } : { code, text, recommendation, source: 'docs' };

/** The NOT_AVAILABLE rows shared, word for word, by the authenticity and the text-extraction tables. */
const DOCUMENT_NOT_AVAILABLE: readonly ReasonEntry[] = [
  row('PHOTO_OVEREXPOSED', 'The photo is overexposed', 'NOT_AVAILABLE'),
  row('PHOTO_TOO_DARK', 'The photo is dark', 'NOT_AVAILABLE'),
  row('PHOTO_TOO_BLURRY', 'The photo is blurry', 'NOT_AVAILABLE'),
  row('DOCUMENT_TOO_DAMAGED', 'Document is too damaged (at the point we cannot check)', 'NOT_AVAILABLE'),
  row('GLARE_OBSTRUCTION', 'The photo has a glare', 'NOT_AVAILABLE'),
  row('OBJECT_OBSTRUCTION', 'Object in the way', 'NOT_AVAILABLE'),
  row('UNABLE_TO_LOAD', 'Unable to load file', 'NOT_AVAILABLE'),
  row('PARTIAL_PHOTO', 'The photo is partially taken', 'NOT_AVAILABLE'),
  row('IMAGE_RESOLUTION_TOO_LOW', 'The image resolution is too low', 'NOT_AVAILABLE'),
  row('COUNTRY_NOT_SUPPORTED', 'The country is not supported', 'NOT_AVAILABLE'),
  row('DOCUMENT_NOT_SUPPORTED', 'Yoti does not support this document', 'NOT_AVAILABLE'),
  row('INCORRECT_DOCUMENT_TYPE', 'The document type is incorrect', 'NOT_AVAILABLE'),
  row('INCORRECT_MRZ', 'MRZ on passport is incorrect', 'NOT_AVAILABLE'),
  row('DOCUMENT_VERSION_NOT_SUPPORTED', 'Yoti does not support this document template', 'NOT_AVAILABLE'),
  row('MISSING_DOCUMENT_SIDE', 'The full document was not sent', 'NOT_AVAILABLE'),
  row('BLACK_AND_WHITE_IMAGE', 'Black and white photo', 'NOT_AVAILABLE'),
  row('MISUSE', 'The photo has been misused', 'NOT_AVAILABLE'),
  row('INVALID', 'The photo is not a valid photo', 'NOT_AVAILABLE'),
];

export const REASON_CATALOGUE: Readonly<Record<ReasonCatalogueKey, readonly ReasonEntry[]>> = {
  /** "ID Document Authenticity" table, then the codes of its examples and of its list of rejection reasons. */
  ID_DOCUMENT_AUTHENTICITY: [
    ...DOCUMENT_NOT_AVAILABLE,
    row('DOCUMENT_COPY', 'The photo has been photocopied', 'REJECT'),
    row('NO_HOLOGRAM_MOVEMENT', 'There is no hologram movement detected', 'REJECT'),
    row('TAMPERED', 'The photo seems to be tampered with', 'REJECT'),
    row('MISSING_HOLOGRAM', 'There is no hologram on the photo', 'REJECT'),
    row(
      'OTHER_SECURITY_FEATURES',
      'Expected data present or data in correct position failed. This will vary document to document, an example of features checked:\n\n' +
        'Microprint, watermarks, optically variable ink, presence of fingerprint / other notable (non-text) features and any visible embossing / engraving',
      'REJECT',
    ),
    row('EXPIRED_DOCUMENT', 'The document has expired', 'REJECT'),
    row('FRAUD_LIST_MATCH', 'The fraud match list check failed', 'REJECT'),
    // The NOT_AVAILABLE example report uses this code (the table says PHOTO_TOO_DARK).
    seen('PICTURE_TOO_DARK', 'The picture is too dark', 'NOT_AVAILABLE'),
    // "If Yoti responds with the REJECT recommendation there will be a rejection reason …: Not genuine".
    seen('NOT_GENUINE', 'The document is not genuine', 'REJECT'),
  ],
  /** The table under "Retrieved Tasks / ID Document Text Data Extraction"; it also serves ID_DOCUMENT_TEXT_DATA_CHECK. */
  ID_DOCUMENT_TEXT_DATA_CHECK: [
    ...DOCUMENT_NOT_AVAILABLE,
    // review-console-notes §5: extraction reasons.
    seen('EXTRACTION_FAILED', 'The text could not be extracted from the document'),
    seen('MRZ_VALIDATION', 'The machine-readable zone (MRZ) failed validation'),
    // yoti-api-notes §5: reasons of a text-extraction task recommendation (sandbox).
    seen('QUALITY', 'The image quality was not good enough'),
    seen('USER_ERROR', 'The capture was not done correctly'),
  ],
  /** "ID Document Face Match" table (manual checks only). */
  ID_DOCUMENT_FACE_MATCH: [
    row('PHOTO_OVEREXPOSED', 'The photo is overexposed', 'NOT_AVAILABLE'),
    row('PHOTO_TOO_DARK', 'The photo is dark', 'NOT_AVAILABLE'),
    row('PHOTO_TOO_BLURRY', 'The photo is blurry', 'NOT_AVAILABLE'),
    row('FACE_NOT_FOUND', 'No face detected', 'NOT_AVAILABLE'),
    row('GLARE_OBSTRUCTION', 'The photo has a glare', 'NOT_AVAILABLE'),
    row('OBJECT_OBSTRUCTION', 'Object in the way', 'NOT_AVAILABLE'),
    row('DOCUMENT_NOT_FOUND', 'No photo detected', 'NOT_AVAILABLE'),
    row('PARTIAL_PHOTO', 'Only part of the photo was shown', 'NOT_AVAILABLE'),
    row('FACE_PHOTO_LOW_RESOLUTION', 'The photo had low resolution', 'NOT_AVAILABLE'),
    row('MISUSE', 'The photo is misused', 'NOT_AVAILABLE'),
    row('INVALID', 'The photo is invalid', 'NOT_AVAILABLE'),
    row('FACE_NOT_GENUINE', 'The face shown is not genuine', 'REJECT'),
    row('LARGE_AGE_GAP', 'The age gap looks unrealistic', 'REJECT'),
    row('DOCUMENT_COPY', 'The document has been photocopied', 'REJECT'),
    row('TAMPERED', 'The photo has been tampered', 'REJECT'),
    row('PHOTO_OF_MASK', 'The user is wearing a mask', 'REJECT'),
    row('PHOTO_OF_PHOTO', 'The photo has been photocopied', 'REJECT'),
    row('DIFFERENT_PERSON', 'Different person is detected from ID.', 'REJECT'),
  ],
};

/** Which catalogue a check (or task) type reads its reasons from. */
const CATALOGUE_OF_TYPE: ReadonlyMap<string, ReasonCatalogueKey> = new Map([
  ['ID_DOCUMENT_AUTHENTICITY', 'ID_DOCUMENT_AUTHENTICITY'],
  ['ID_DOCUMENT_TEXT_DATA_CHECK', 'ID_DOCUMENT_TEXT_DATA_CHECK'],
  ['ID_DOCUMENT_TEXT_DATA_EXTRACTION', 'ID_DOCUMENT_TEXT_DATA_CHECK'],
  ['ID_DOCUMENT_FACE_MATCH', 'ID_DOCUMENT_FACE_MATCH'],
]);

const CATALOGUE_ORDER: readonly ReasonCatalogueKey[] = ['ID_DOCUMENT_AUTHENTICITY', 'ID_DOCUMENT_TEXT_DATA_CHECK', 'ID_DOCUMENT_FACE_MATCH'];

const INDEX: ReadonlyMap<ReasonCatalogueKey, ReadonlyMap<string, ReasonEntry>> = new Map(
  CATALOGUE_ORDER.map((key) => [key, new Map(REASON_CATALOGUE[key].map((e) => [e.code, e]))]),
);

export interface ReasonDescription {
  code: string;
  /** Yoti's description, or the code itself when unknown. */
  text: string;
  recommendation?: ReasonRecommendation;
  known: boolean;
  /** The catalogue the description came from; differs from the check's own when borrowed. */
  catalogue?: ReasonCatalogueKey;
}

/**
 * Describes a reason code for a check type: from that check's own catalogue first; else, for a check
 * type with no catalogue of its own (or a code missing from it), from the first catalogue that has
 * the code (`catalogue` says which); else verbatim with `known: false`.
 */
export function describeReason(checkType: string | undefined, code: string): ReasonDescription {
  const own = checkType === undefined ? undefined : CATALOGUE_OF_TYPE.get(checkType);
  const order = own === undefined ? CATALOGUE_ORDER : [own, ...CATALOGUE_ORDER.filter((k) => k !== own)];
  for (const key of order) {
    const entry = INDEX.get(key)?.get(code);
    if (entry) {
      return entry.recommendation === undefined
        ? { code, text: entry.text, known: true, catalogue: key }
        : { code, text: entry.text, recommendation: entry.recommendation, known: true, catalogue: key };
    }
  }
  return { code, text: unknownCode(code), known: false };
}

/** An unknown code reads as itself with "(no description)", so it is never taken for words. */
export const unknownCode = (code: string): string => (code === '' ? '(an empty code, no description)' : `${code} (no description)`);

/** Recovery suggestions (`recommendation.recovery_suggestion`), sent with NOT_AVAILABLE. */
export const RECOVERY_SUGGESTIONS: ReadonlyMap<string, string> = new Map([
  // yoti-api-notes §5 (sandbox docs): PICTURE_TOO_DARK comes with BETTER_LIGHTING.
  ['BETTER_LIGHTING', 'Retake the photo in better lighting'],
  // Sent by the demo server (and Yoti's sandbox) with PHOTO_TOO_BLURRY; its meaning is in its name.
  ['BETTER_FOCUS', 'Retake the photo in focus'],
]);

export interface RecoveryDescription {
  code: string;
  text: string;
  known: boolean;
}

export function describeRecoverySuggestion(code: string): RecoveryDescription {
  const text = RECOVERY_SUGGESTIONS.get(code);
  return text === undefined ? { code, text: unknownCode(code), known: false } : { code, text, known: true };
}

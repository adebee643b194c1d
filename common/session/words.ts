/**
 * Plain words for Yoti's codes, for reviewers. Every lookup is total: a value we do not know is shown
 * verbatim (the UI escapes it), and a missing value reads "Not given". Maps, not object literals, so a
 * code such as "constructor" cannot reach Object.prototype.
 */

export const NOT_GIVEN = 'Not given';

const table = (entries: Record<string, string>): ReadonlyMap<string, string> => new Map(Object.entries(entries));

export const CHECK_TYPE_WORDS = table({
  ID_DOCUMENT_AUTHENTICITY: 'Document authenticity',
  ID_DOCUMENT_TEXT_DATA_CHECK: 'Document text check (manual)',
  ID_DOCUMENT_FACE_MATCH: 'Face match (document photo vs. person)',
  LIVENESS: 'Liveness',
  ID_DOCUMENT_COMPARISON: 'Document comparison',
  SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK: 'Supplementary document text check (manual)',
  THIRD_PARTY_IDENTITY: 'Third-party identity check',
  THIRD_PARTY_IDENTITY_FRAUD_1: 'Third-party identity fraud check',
  WATCHLIST_SCREENING: 'Watchlist screening',
  WATCHLIST_ADVANCED_CA: 'Watchlist screening (advanced)',
  FACE_COMPARISON: 'Face comparison',
});

export const TASK_TYPE_WORDS = table({
  ID_DOCUMENT_TEXT_DATA_EXTRACTION: 'Document text extraction',
  SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION: 'Supplementary document text extraction',
});

/**
 * Every sub-check name in the docs: the retrieval page's examples, the sandbox names (yoti-api-notes §5)
 * and review-console-notes §5 (authenticity, extraction, face match, liveness).
 */
export const SUB_CHECK_WORDS = table({
  // Document authenticity
  data_in_correct_position: 'Data is in the correct position on the document',
  document_in_date: 'Document is in date (not expired)',
  expected_data_present: 'Expected data is present on the document',
  fraud_list_check: 'Document is not on a fraud list',
  hologram: 'Hologram is present',
  hologram_movement: 'Hologram moves when the document is tilted',
  no_sign_of_tampering: 'No sign of tampering',
  other_security_features: 'Other security features are present (microprint, watermarks, optically variable ink, …)',
  real_document: 'A real document was captured (not a copy or a screen)',
  issuing_authority_verification: 'Issuing authority verification',
  no_signs_of_forgery: 'No signs of forgery',
  data_alignment: 'Data is aligned as expected',
  hologram_check: 'Hologram check',
  security_features_integrity: 'Security features are intact',
  printing_quality: 'Printing quality is as expected',
  fonts_authenticity: 'Fonts are authentic',
  document_number_integrity: 'Document number is consistent',
  physical_document_captured: 'A physical document was captured (not a screen or a photocopy)',
  ocr_barcode_comparison: 'Printed text matches the barcode',
  doc_number_validation: 'Document number is valid',
  // Text extraction
  text_data_readable: 'Text on the document is readable',
  mrz_validation: 'Machine-readable zone (MRZ) is valid',
  // Face match
  ai_face_match: 'Face match by machine (AI)',
  manual_face_match: 'Face match by a person (manual)',
  // Liveness
  liveness_auth: 'A live person was present',
  face_processing: 'Face could be processed',
  payload_signature_verification: 'Capture payload signature is valid',
});

export const RECOMMENDATION_WORDS = table({
  APPROVE: 'Approve',
  REJECT: 'Reject',
  NOT_AVAILABLE: 'Not available (the check could not be done)',
  CONSIDER: 'Consider (look closer)',
  PENDING: 'Pending (not all checks are done)',
  // Text-extraction task recommendations (sandbox configuration)
  PROGRESS: 'Progress',
  SHOULD_TRY_AGAIN: 'Should try again',
  MUST_TRY_AGAIN: 'Must try again',
});

export const RESULT_WORDS = table({
  PASS: 'Pass',
  FAIL: 'Fail',
});

export const SESSION_STATE_WORDS = table({
  ONGOING: 'Ongoing (Yoti is still working on tasks and checks)',
  COMPLETED: 'Completed (Yoti has completed checks and tasks)',
  EXPIRED: 'Expired (Yoti could not complete the checks and tasks)',
});

export const CHECK_STATE_WORDS = table({
  CREATED: 'Created',
  READY: 'Ready',
  PENDING: 'Pending',
  INTERNAL_ERROR: 'Internal error at Yoti',
  DONE: 'Done',
});

export const PROCESS_WORDS = table({
  AUTOMATED: 'Automated',
  EXPERT_REVIEW: 'Expert review (manual)',
});

export const LIVENESS_TYPE_WORDS = table({
  ZOOM: 'Active liveness (ZOOM: frames and a facemap)',
  STATIC: 'Passive liveness (one still image)',
});

export const DOCUMENT_TYPE_WORDS = table({
  PASSPORT: 'Passport',
  DRIVING_LICENCE: 'Driving licence',
  NATIONAL_ID: 'National identity card',
});

export const CAPTURE_METHOD_WORDS = table({
  CAMERA: 'Camera',
  UPLOAD: 'Upload',
});

function lookup(words: ReadonlyMap<string, string>, value: string | undefined | null): string {
  if (value === undefined || value === null || value === '') return NOT_GIVEN;
  return words.get(value) ?? value;
}

export const checkTypeWords = (v: string | undefined | null): string => lookup(CHECK_TYPE_WORDS, v);
export const taskTypeWords = (v: string | undefined | null): string => lookup(TASK_TYPE_WORDS, v);
export const subCheckWords = (v: string | undefined | null): string => lookup(SUB_CHECK_WORDS, v);
export const recommendationWords = (v: string | undefined | null): string => lookup(RECOMMENDATION_WORDS, v);
export const resultWords = (v: string | undefined | null): string => lookup(RESULT_WORDS, v);
export const sessionStateWords = (v: string | undefined | null): string => lookup(SESSION_STATE_WORDS, v);
export const checkStateWords = (v: string | undefined | null): string => lookup(CHECK_STATE_WORDS, v);
export const processWords = (v: string | undefined | null): string => lookup(PROCESS_WORDS, v);
export const livenessTypeWords = (v: string | undefined | null): string => lookup(LIVENESS_TYPE_WORDS, v);
export const documentTypeWords = (v: string | undefined | null): string => lookup(DOCUMENT_TYPE_WORDS, v);
export const captureMethodWords = (v: string | undefined | null): string => lookup(CAPTURE_METHOD_WORDS, v);

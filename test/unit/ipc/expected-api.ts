/**
 * The exposed API surface, written out by hand (Insomnia's "invoke surface" test): growing the API
 * means changing this list on purpose.
 */
export const EXPECTED_API_KEYS = [
  'addSessions',
  'checkDecision',
  'chooseCaFileWithDialog',
  'confirmDecision',
  'deleteAtYoti',
  'deleteRecord',
  'exportReportWithDialog',
  'fetchSession',
  'getAppState',
  'getSessionJson',
  'importKeyWithDialog',
  'importSessionsCsvWithDialog',
  'listReasonCodes',
  'listSessions',
  'markSessionOpened',
  'on',
  'openRecord',
  'openSession',
  'recordEvidenceViewed',
  'removeKey',
  'removeSessionLocally',
  'saveMediaWithDialog',
  'saveReviewDraft',
  'startDemo',
  'stopDemo',
  'updateSettings',
  'verifyAudit',
] as const;

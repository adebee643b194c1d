/** The review record as PDF (issue 5): pure content, rendering with @react-pdf/renderer, atomic export. */
export type * from './types';
export { buildReportContent, isDraftReview, DECISION_WORDS, DRAFT_BANNER, DRAFT_TITLE, REPORT_TITLE, SECTION_ORDER } from './content';
export { toDocumentFields } from './document-fields';
export { maskIdentifier, MASK_CHAR } from './mask';
export {
  commitment,
  COMMITMENT_KEY_BYTES,
  DEFAULT_REDACT_PROFILE,
  parseRedactProfile,
  PROFILE_WORDS,
  redactor,
  type KnownFieldValues,
  type RedactProfile,
} from './redaction';
export { environmentWords } from './format';
export { defaultFontsDir, registerReportFonts, FONT_FILES, type ReportFonts, type ReportFontSet } from './fonts';
export { renderReport, renderReportPdf, countPdfPages, type RenderReportOptions, type RenderedReport } from './render';
export { exportReport, generateReport, type ExportReportOptions, type ExportReportResult, type GenerateReportOptions, type GeneratedReport } from './export';

import type { SessionSummary } from '../../../common/session/summary';
import type { KnownFieldValues, RedactProfile } from './redaction';
import type { DecisionContext } from '../../../common/review/guardrails';
import type { EvidenceChange } from './evidence-check';
import type { EvidenceDeletion } from '../../../common/review/evidence-deletion';
import type { EvidenceManifest } from '../audit/manifest';
import type { ReportVerification } from './verification';

/**
 * The review record PDF (GitHub issue 5): what the caller hands in (`ReportInput`, plain data, no
 * store or keychain types) and what the pure content builder hands to the renderer (`ReportContent`,
 * every string the PDF shows). Timestamps are ISO 8601 strings (UTC, `…Z`); calendar dates are
 * `YYYY-MM-DD`.
 */

// ---- Input ------------------------------------------------------------------------------------

/** The reviewer's decision (same values as the IPC contract's `Decision`). */
export type ReviewDecision = 'APPROVE' | 'REJECT' | 'REQUEST_RESUBMISSION' | 'ESCALATE';

/** NONE: nothing saved yet; DRAFT: saved but not confirmed; CONFIRMED: the decision is final. */
export type ReviewStatus = 'NONE' | 'DRAFT' | 'CONFIRMED';

/** Image bytes to embed: JPEG is embedded as is, PNG is re-encoded by the PDF library. */
export interface ReportImage {
  data: Buffer;
  format: 'jpg' | 'png';
}

/**
 * The authoritative document fields JSON, a flat object as Yoti documents it. Every field is
 * optional; see `toDocumentFields()` to read one from parsed JSON.
 */
export interface YotiDocumentFields {
  full_name?: string;
  given_names?: string;
  first_name?: string;
  family_name?: string;
  /** YYYY-MM-DD */
  date_of_birth?: string;
  place_of_birth?: string;
  /** ISO alpha-3. */
  nationality?: string;
  /** MALE, FEMALE, TRANSGENDER, OTHER. */
  gender?: string;
  document_type?: string;
  /** ISO alpha-3. */
  issuing_country?: string;
  document_number?: string;
  personal_number?: string;
  /** YYYY-MM-DD */
  expiration_date?: string;
  /** YYYY-MM-DD */
  date_of_issue?: string;
  issuing_authority?: string;
  /** Yoti's `type`: 1 = TD1, 2 = TD3. */
  mrz?: { type?: number; line1?: string; line2?: string; line3?: string };
}

export interface ReportMeta {
  /** Caller-provided UUID of this export (the audit entry of the export names it). */
  reportId: string;
  appVersion: string;
  /** Build identifier (commit), when known. */
  buildHash?: string;
  /** True when the report was generated without a connection to Yoti. */
  generatedOffline: boolean;
  /** Printed in every footer; default "Confidential: contains personal data". */
  classification?: string;
}

export interface ReportSessionMeta {
  sessionId: string;
  /** The Yoti IDV API base URL the session was fetched from. */
  apiUrl: string;
  /** When the local copy was fetched. */
  fetchedAt: string;
  sdkId?: string;
}

/** The parsed authoritative document fields of one document resource (summary.documents[].resourceId). */
export interface ReportDocumentFields {
  resourceId: string;
  fields: YotiDocumentFields;
  /** The fields JSON as Yoti sent it (every field, addresses included). */
  json?: Record<string, unknown>;
}

/** One file of the local evidence copy. */
export interface ReportStoredMedia {
  mediaId: string;
  mimeType?: string;
  /** Bytes stored (0 when Yoti answered 204). */
  size: number;
  /** Hex SHA-256 of the bytes; absent when there were none. */
  sha256?: string;
  fetchedAt: string;
  /** Yoti answered 204 No Content. */
  noContent?: boolean;
}

export interface ReportEvidence {
  /** Every stored file, keyed by media id. Media of the session that are missing here show as "not stored". */
  stored: ReportStoredMedia[];
  /** Thumbnails to embed (document pages, id photo, liveness frames…), in any order; shown in session order. */
  images: Array<ReportImage & { mediaId: string }>;
  /** Hash over every file and the session JSON (the evidence manifest). */
  manifestHash?: string;
}

export interface ReportReviewer {
  name?: string;
  /** Operating-system account, recorded with every decision. */
  osAccount: string;
  /** Recorded with the version from the settings (versions saved before there was one have none). */
  role?: string;
  workstation?: string;
}

/** Which evidence the reviewer opened, and with which viewer tools. */
export interface ReportEvidenceViewed {
  mediaId: string;
  firstViewedAt?: string;
  tools: { zoom?: boolean; rotate?: boolean; filters?: boolean; compare?: boolean };
}

export interface ReportReasonCode {
  code: string;
  /** The code's meaning; the code itself is shown when absent. */
  text?: string;
  /** 'yoti' for Yoti's own reason codes, 'reviewer' for the console's catalogue. */
  source?: 'yoti' | 'reviewer';
}

export interface ReportCheckVerdict {
  /** Yoti check id (summary.checks[].id). */
  checkId: string;
  verdict: 'AGREE' | 'OVERRIDE';
  note: string;
}

export interface ReportReview {
  status: ReviewStatus;
  versionId?: string;
  /** The confirmed version this one replaced, when a decision was changed. */
  supersedesVersionId?: string;
  decision?: ReviewDecision;
  reviewer?: ReportReviewer;
  firstOpenedAt?: string;
  decidedAt?: string;
  /** When the draft was last saved. */
  savedAt?: string;
  /** Elapsed time on the decision (its start to its confirmation); the report falls back to first opened → decided. */
  timeOnTaskSeconds?: number;
  /** Active time the app measured (focused, visible, input within the last minute); absent from the command line. */
  activeSeconds?: number;
  evidenceViewed: ReportEvidenceViewed[];
  reasonCodes: ReportReasonCode[];
  checkVerdicts: ReportCheckVerdict[];
  /** In full; any length. */
  notes: string;
  /** What the decision was made against and the guardrail overrides (absent before guardrails existed). */
  context?: DecisionContext;
  /** Confirmed decisions a later one superseded, oldest first: kept whole in the record, printed whole. */
  superseded?: ReportEarlierDecision[];
  /** Draft saves in the record (they are not decisions; counted, not printed). */
  draftSaves?: number;
}

export interface ReportEarlierDecision {
  versionId: string;
  decision?: ReviewDecision;
  reviewer?: ReportReviewer;
  decidedAt?: string;
  reasonCodes: ReportReasonCode[];
  notes: string;
  /** Why the next decision changed it (that version's change reason). */
  changedBecause?: string;
}

export interface ReportAuditEntry {
  seq?: number;
  at: string;
  /** Reviewer name and OS account, or "system". */
  actor: string;
  action: string;
  /** Without PII (the caller's audit log never holds any). */
  detail?: string;
  /** Hex hash of this entry in the chain. */
  hash: string;
}

export interface ReportAudit {
  /** The session's entries, oldest first. */
  entries: ReportAuditEntry[];
  /** Hash of the newest entry of the whole log when the report was made. */
  chainHeadHash: string;
  /** Entries in the whole log, when known. */
  totalEntries?: number;
}

export interface ReportRetention {
  /** YYYY-MM-DD (or an ISO timestamp): when the local record must be deleted. */
  retainUntil?: string;
  /** Why that date ("5 years after the end of the relationship (UK MLR 2017 reg 40)"). */
  basis?: string;
}

export interface ReportInput {
  report: ReportMeta;
  session: ReportSessionMeta;
  /** summarizeSession() of the stored session: checks, reasons and sub-checks in words, face match, media roles. */
  summary: SessionSummary;
  /** The authoritative document fields of each document resource that has them. */
  documentFields: ReportDocumentFields[];
  evidence: ReportEvidence;
  review: ReportReview;
  audit: ReportAudit;
  retention: ReportRetention;
  /** Document field values of every session in the store (a redacted export scrubs free text of them). */
  knownValues?: KnownFieldValues;
  /** Exported although the evidence changed (--allow-changed-evidence): page 1 says so, with both manifests. */
  evidenceChanged?: EvidenceChange;
  /**
   * The session's evidence was deleted (its record stays): printed from the record and the audit log
   * alone, each item the decision rested on listed with its hash. `summary` is then empty.
   */
  evidenceDeleted?: { deletion: EvidenceDeletion; manifest: EvidenceManifest | null };
}

export interface BuildReportOptions {
  /** What to hide (redaction.ts): 'numbers' or 'full' print keyed commitments instead of SHA-256. */
  redact: RedactProfile;
  /** 32 random bytes, required when redacting: the key of the commitments (kept only in the export's audit entry). */
  commitmentKey?: Uint8Array;
  /** Generation time. */
  now: Date;
  /** IANA zone for local times and calendar dates; default the system's zone. */
  timeZone?: string;
}

// ---- Content ----------------------------------------------------------------------------------

export type Tone = 'normal' | 'good' | 'bad' | 'warn' | 'muted';

export interface FieldRow {
  label: string;
  value: string;
  mono?: boolean;
  tone?: Tone;
}

export interface TableColumn {
  title: string;
  /** Relative width. */
  width: number;
  mono?: boolean;
  /** Takes the row's tone colour (default: the last column). */
  toned?: boolean;
}

export interface TableRow {
  cells: string[];
  tone?: Tone;
  /** Full-width lines under the row (hashes, notes). */
  sub?: Array<{ label?: string; text: string; mono?: boolean }>;
}

export interface ImageTile {
  caption: string;
  detail: string;
  image?: ReportImage;
  /** Shown in the frame instead of an image ("Not captured", "Withheld in redacted export"). */
  placeholder?: string;
}

export type ReportBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'fields'; rows: FieldRow[] }
  | { kind: 'table'; columns: TableColumn[]; rows: TableRow[]; empty: string }
  | { kind: 'text'; text: string; mono?: boolean }
  | { kind: 'callout'; text: string; tone: Tone }
  | { kind: 'mrz'; lines: string[]; caption: string }
  | { kind: 'scoreBar'; label: string; score: number | null; threshold: number; scoreText: string; thresholdText: string; verdict: string; tone: Tone }
  | { kind: 'images'; tiles: ImageTile[] };

export type ReportSectionId = 'outcome' | 'session' | 'subject' | 'yoti' | 'evidence' | 'review' | 'audit';

export interface ReportSection {
  id: ReportSectionId;
  title: string;
  blocks: ReportBlock[];
}

export interface ReportContent {
  draft: boolean;
  redacted: boolean;
  title: string;
  subtitle: string;
  /** On every page of a draft. */
  draftBanner?: string;
  /** The title block. */
  header: FieldRow[];
  /** Beside the title block: the QR code that ties the paper to the store (verification.ts). */
  verification: ReportVerification;
  sections: ReportSection[];
  footer: { sessionId: string; retainUntil: string; classification: string };
  /** PDF document information (no personal data); `createdAt` is the generation time (ISO 8601). */
  info: { title: string; subject: string; creator: string; keywords: string; createdAt: string };
}

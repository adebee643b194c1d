import { createHash, randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import type { JsonObject } from '../audit/canonical';
import { moveIntoPlace, stageFile, type AtomicFs } from '../store/atomic';
import { buildReportContent, printedManifest } from './content';
import { COMMITMENT_KEY_BYTES, type RedactProfile } from './redaction';
import { renderReport } from './render';
import type { ReportInput } from './types';

export interface GenerateReportOptions {
  redact: RedactProfile;
  now: Date;
  /** IANA zone for local times (default: the system's). */
  timeZone?: string;
  fontsDir?: string;
}

export interface GeneratedReport {
  pdf: Buffer;
  /** Hex SHA-256 of `pdf`; the caller records it in the audit log. */
  sha256: string;
  bytes: number;
  pages: number;
  /** Made as a DRAFT (no confirmed decision). */
  draft: boolean;
  /**
   * The data of the export's `report.exported` audit entry. For a redacted export it holds the
   * commitment key, which exists nowhere else: the caller records exactly this, and only there.
   */
  auditData: JsonObject;
}

/** Builds and renders the review record in memory (for a caller that writes it itself, e.g. after a save dialog). */
export async function generateReport(input: ReportInput, opts: GenerateReportOptions): Promise<GeneratedReport> {
  // A fresh key per export: commitments of two exports cannot be linked or compared.
  const commitmentKey = opts.redact === 'none' ? undefined : randomBytes(COMMITMENT_KEY_BYTES);
  const content = buildReportContent(input, { redact: opts.redact, commitmentKey, now: opts.now, timeZone: opts.timeZone });
  const { pdf, pages } = await renderReport(content, { fontsDir: opts.fontsDir });
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  const auditData: JsonObject = {
    reportId: input.report.reportId,
    sha256,
    bytes: pdf.byteLength,
    pages,
    draft: content.draft,
    redact: opts.redact,
    // What verify-report checks the paper against: the version, decision and evidence it printed.
    versionId: input.review.versionId ?? null,
    decision: content.draft ? null : (input.review.decision ?? null),
    decidedBy: content.draft ? null : (input.review.reviewer?.name ?? input.review.reviewer?.osAccount ?? null),
    decidedAt: content.draft ? null : (input.review.decidedAt ?? null),
    manifestHash: printedManifest(input) ?? null,
    ...(commitmentKey === undefined ? {} : { commitmentKey: commitmentKey.toString('hex') }),
  };
  return { pdf, sha256, bytes: pdf.byteLength, pages, draft: content.draft, auditData };
}

export interface ExportReportOptions extends GenerateReportOptions {
  outFile: string;
  /** Appends the export's `report.exported` audit entry (its data: the result's auditData). */
  record: (auditData: JsonObject) => Promise<unknown>;
  /** For tests: the file system the atomic write uses. */
  fs?: AtomicFs;
}

export type ExportReportResult = Omit<GeneratedReport, 'pdf'>;

/**
 * Builds, renders and writes the review record as one audited step (placeAuditedReport). Throws
 * UsageError INVALID_TIME_ZONE, LocalError REPORT_FONTS_MISSING, DISK_FULL, WRITE_FAILED, or what
 * `record` throws.
 */
export async function exportReport(input: ReportInput, opts: ExportReportOptions): Promise<ExportReportResult> {
  const { pdf, ...result } = await generateReport(input, opts);
  await placeAuditedReport(opts.outFile, pdf, () => opts.record(result.auditData), opts.fs);
  return result;
}

/**
 * Puts a PDF in place only once the audit log records it: staged beside its target (0600, written,
 * fsynced), `record` appends the `report.exported` entry, then the file is renamed into place and its
 * folder fsynced. When the entry cannot be appended (a damaged log, a full disk) the staged file is
 * removed: no PDF is left that the log does not record, and any file it was to replace is unchanged.
 */
export async function placeAuditedReport(outFile: string, pdf: Uint8Array, record: () => Promise<unknown>, fs: AtomicFs = nodeFs): Promise<void> {
  const staged = await stageFile(fs, outFile, pdf);
  try {
    await record();
  } catch (err) {
    await fs.unlink(staged.temp).catch(() => undefined);
    throw err;
  }
  await moveIntoPlace(fs, [staged]);
}

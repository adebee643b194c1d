import { createHash, randomBytes } from 'node:crypto';
import type { JsonObject } from '../audit/canonical';
import { writeFileAtomic, type AtomicFs } from '../store/atomic';
import { buildReportContent } from './content';
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
    ...(commitmentKey === undefined ? {} : { commitmentKey: commitmentKey.toString('hex') }),
  };
  return { pdf, sha256, bytes: pdf.byteLength, pages, draft: content.draft, auditData };
}

export interface ExportReportOptions extends GenerateReportOptions {
  outFile: string;
  /** For tests: the file system the atomic write uses. */
  fs?: AtomicFs;
}

export type ExportReportResult = Omit<GeneratedReport, 'pdf'>;

/**
 * Builds, renders and writes the review record: the file appears whole or not at all (temp file
 * 0600, fsync, rename). Throws UsageError INVALID_TIME_ZONE, LocalError REPORT_FONTS_MISSING,
 * DISK_FULL or WRITE_FAILED.
 */
export async function exportReport(input: ReportInput, opts: ExportReportOptions): Promise<ExportReportResult> {
  const { pdf, ...result } = await generateReport(input, opts);
  await writeFileAtomic(opts.outFile, pdf, opts.fs === undefined ? {} : { fs: opts.fs });
  return result;
}

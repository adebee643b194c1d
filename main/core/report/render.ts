import { renderToBuffer } from '@react-pdf/renderer';
import { reportDocument } from './document';
import { registerReportFonts } from './fonts';
import type { ReportContent } from './types';

/**
 * Renders ReportContent to PDF bytes with @react-pdf/renderer in plain Node (it must stay external
 * to any bundle: toolchain notes §5 trap 5).
 */

export interface RenderReportOptions {
  /** Folder holding DejaVuSans.ttf, DejaVuSans-Bold.ttf and DejaVuSansMono.ttf (default: assets/fonts). */
  fontsDir?: string;
}

export interface RenderedReport {
  pdf: Buffer;
  pages: number;
}

/** The PDF and its page count (taken from the footer layout, which knows the total). */
export async function renderReport(content: ReportContent, opts: RenderReportOptions = {}): Promise<RenderedReport> {
  const fonts = registerReportFonts(opts.fontsDir);
  let pages = 0;
  const pdf = await renderToBuffer(reportDocument(content, fonts, { onTotalPages: (n) => (pages = Math.max(pages, n)) }));
  return { pdf, pages: pages > 0 ? pages : countPdfPages(pdf) };
}

export async function renderReportPdf(content: ReportContent, opts: RenderReportOptions = {}): Promise<Buffer> {
  return (await renderReport(content, opts)).pdf;
}

/** Page count from the page tree root (`/Type /Pages … /Count n`); 0 when not found. */
export function countPdfPages(pdf: Uint8Array): number {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  let max = 0;
  for (const m of text.matchAll(/\/Type\s*\/Pages\b[^>]*?\/Count\s+(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}

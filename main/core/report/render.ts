import { renderToBuffer } from '@react-pdf/renderer';
import { reportDocument } from './document';
import { registerReportFonts, type ReportFontSet } from './fonts';
import { UsageError } from '../../../common/errors';
import { textLines } from './document';
import { mapStrings } from './mask';
import { fitImagesForPrint } from './print-images';
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
  const fontSet = registerReportFonts(opts.fontsDir);
  const fonts = fontSet.forCodePoints(assertPrintable(content, fontSet));
  let pages = 0;
  const printed = await fitImagesForPrint(content);
  const pdf = await renderToBuffer(reportDocument(printed, fonts, { onTotalPages: (n) => (pages = Math.max(pages, n)) }));
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

/**
 * A record never prints a character as garbage: every code point of every string must have a glyph
 * in the report's fonts, or the export stops here, naming the code points (not the text around them,
 * which may be a name: the message stays out of logs as a usage refusal). Returns the code points
 * the record prints.
 */
export function assertPrintable(content: ReportContent, fonts: Pick<ReportFontSet, 'covers'>): Set<number> {
  const used = new Set<number>();
  mapStrings(content, (s) => {
    for (const line of textLines(s)) for (const ch of line) used.add(ch.codePointAt(0)!);
    return s;
  });
  const missing = new Set([...used].filter((cp) => !fonts.covers(cp)));
  if (missing.size === 0) return used;
  const named = [...missing].sort((a, b) => a - b).map((cp) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
  throw new UsageError(
    'REPORT_UNPRINTABLE',
    `Not exported: the record holds ${missing.size} character${missing.size === 1 ? '' : 's'} the report's fonts cannot print (${named.slice(0, 12).join(', ')}${named.length > 12 ? ', …' : ''}), ` +
      'and a record never prints a character as garbage. Nothing was written.',
  );
}

import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** poppler-utils, to read exported PDFs back the way a person or an auditor would. */

const run = (cmd: string, args: string[]): string => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** Text of the whole PDF; pages are separated by form feeds. */
export const pdfText = (file: string): string => run('pdftotext', ['-enc', 'UTF-8', file, '-']);
export const pdfPages = (file: string): string[] => pdfText(file).split('\f').filter((p, i, all) => i < all.length - 1 || p.trim() !== '');
export const normalise = (s: string): string => s.replace(/\s+/g, ' ').trim();
/** Each page's text laid out as printed (columns side by side on one line), for table rows. */
export const pdfLayoutPages = (file: string): string[] =>
  run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']).split('\f').filter((p, i, all) => i < all.length - 1 || p.trim() !== '');

/** The text of every page without the page furniture (footer, draft banner), pages joined. */
export function bodyText(file: string): string {
  return pdfPages(file)
    .map((p) =>
      p
        .replace(/^(?:DRAFT · )?Session \S+ · Retain until .*$/m, '')
        .replace(/^Page \d+ of \d+$/m, '')
        .replace(/Page \d+ of \d+\s*$/, '')
        .replace(/^DRAFT: no confirmed decision\. This is not a review record\.$/m, ''),
    )
    .join('\n');
}

export interface PdfImageRow {
  page: number;
  type: string;
  width: number;
  height: number;
  enc: string;
}

export function pdfImages(file: string): PdfImageRow[] {
  return run('pdfimages', ['-list', file])
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const c = l.trim().split(/\s+/);
      return { page: Number(c[0]), type: c[2] ?? '', width: Number(c[3]), height: Number(c[4]), enc: c[8] ?? '' };
    });
}

/** JPEG streams exactly as embedded (`pdfimages -j`). */
export function extractJpegs(file: string, dir: string): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  run('pdfimages', ['-j', file, join(dir, 'img')]);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jpg'))
    .map((f) => join(dir, f));
}

export interface PdfFontRow {
  name: string;
  type: string;
  emb: string;
  uni: string;
}

export function pdfFonts(file: string): PdfFontRow[] {
  return run('pdffonts', [file])
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const c = l.trim().split(/\s+/);
      // name, type (may be two words), encoding, emb, sub, uni, object id
      const n = c.length;
      return { name: c[0] ?? '', type: c.slice(1, n - 6).join(' '), emb: c[n - 5] ?? '', uni: c[n - 3] ?? '' };
    });
}

export function pdfInfo(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of run('pdfinfo', ['-enc', 'UTF-8', file]).split('\n')) {
    const i = l.indexOf(':');
    if (i > 0) out[l.slice(0, i).trim()] = l.slice(i + 1).trim();
  }
  return out;
}

/** Renders every page to PNG at 60 dpi (`<prefix>-N.png`) and returns the files. */
export function renderPngs(file: string, dir: string, prefix: string): string[] {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (f.startsWith(`${prefix}-`) && f.endsWith('.png')) rmSync(join(dir, f));
  run('pdftoppm', ['-r', '60', '-png', file, join(dir, prefix)]);
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${prefix}-`) && f.endsWith('.png'))
    .map((f) => join(dir, f));
}

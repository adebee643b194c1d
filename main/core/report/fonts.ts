import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Font as PdfFont } from '@react-pdf/renderer';
import { openSync, type Font } from 'fontkit';
import { LocalError } from '../../../common/errors';

/**
 * The report's fonts: DejaVu Sans (regular, bold) and DejaVu Sans Mono, shipped in assets/fonts
 * (copied from the dejavu-fonts-ttf package with its LICENSE). They cover Latin, Greek and Cyrillic,
 * so names print as text, never as boxes, and the PDF embeds them as subsets with a ToUnicode map.
 */

export const FONT_FILES = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  mono: 'DejaVuSansMono.ttf',
} as const;

export type FontFace = 'sans' | 'bold' | 'mono';

export interface ReportFonts {
  sans: string;
  mono: string;
  /** The printed width, in points, of `text` in a face at a size (glyph advances, as the layout places them). */
  width(text: string, fontSize: number, face: FontFace): number;
  /** Whether the fonts have a glyph for a code point (the report prints nothing it has none for). */
  covers(codePoint: number): boolean;
}

const hasFonts = (dir: string): boolean => Object.values(FONT_FILES).every((f) => existsSync(join(dir, f)));

/**
 * `assets/fonts` found by walking up from this module: the source tree (main/core/report), the CLI
 * bundle (out/cli) and the dev build of the app (out/main) all sit below the project folder. The
 * packaged app passes `process.resourcesPath/fonts` instead.
 */
export function defaultFontsDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(from);
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'assets', 'fonts');
    if (hasFonts(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new LocalError('REPORT_FONTS_MISSING', `The report fonts (assets/fonts) were not found above ${from}; pass the fonts folder explicitly.`);
}

const registered = new Map<string, ReportFonts>();

/**
 * Registers the DejaVu families from `fontsDir` (default: defaultFontsDir()) with react-pdf, once per
 * folder, and returns the family names to use. Throws LocalError REPORT_FONTS_MISSING when a file is
 * missing.
 */
export function registerReportFonts(fontsDir?: string): ReportFonts {
  const dir = resolve(fontsDir ?? defaultFontsDir());
  const known = registered.get(dir);
  if (known) return known;
  const missing = Object.values(FONT_FILES).filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) {
    throw new LocalError('REPORT_FONTS_MISSING', `The report fonts are missing from ${dir}: ${missing.join(', ')}.`);
  }
  const suffix = registered.size === 0 ? '' : `-${registered.size + 1}`;
  const faces: Record<FontFace, Font> = {
    sans: openFont(join(dir, FONT_FILES.regular)),
    bold: openFont(join(dir, FONT_FILES.bold)),
    mono: openFont(join(dir, FONT_FILES.mono)),
  };
  const fonts: ReportFonts = {
    sans: `DejaVuSans${suffix}`,
    mono: `DejaVuSansMono${suffix}`,
    covers: (codePoint) => faces.sans.hasGlyphForCodePoint(codePoint) && faces.bold.hasGlyphForCodePoint(codePoint),
    width(text, fontSize, face) {
      const font = faces[face];
      let units = 0;
      for (const ch of text) units += font.glyphForCodePoint(ch.codePointAt(0)!).advanceWidth;
      return (units / font.unitsPerEm) * fontSize;
    },
  };
  PdfFont.register({
    family: fonts.sans,
    fonts: [
      { src: join(dir, FONT_FILES.regular), fontWeight: 'normal' },
      { src: join(dir, FONT_FILES.bold), fontWeight: 'bold' },
    ],
  });
  PdfFont.register({ family: fonts.mono, fonts: [{ src: join(dir, FONT_FILES.mono), fontWeight: 'normal' }] });
  registered.set(dir, fonts);
  return fonts;
}

function openFont(path: string): Font {
  const font = openSync(path);
  if (!('glyphForCodePoint' in font)) throw new LocalError('REPORT_FONTS_MISSING', `${path} is a font collection, not one font.`);
  return font;
}

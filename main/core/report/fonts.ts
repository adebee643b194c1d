import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Font as PdfFont } from '@react-pdf/renderer';
import { openSync, type Font } from 'fontkit';
import { LocalError } from '../../../common/errors';

/**
 * The report's fonts: DejaVu Sans (regular, bold) and DejaVu Sans Mono, shipped in assets/fonts
 * (copied from the dejavu-fonts-ttf package with its LICENSE), for Latin, Greek, Cyrillic, Hebrew and
 * Arabic; then, per character, the fallbacks below for the scripts DejaVu lacks. The PDF embeds each
 * as a subset (only the glyphs used) with a ToUnicode map, so a Latin-only record does not grow.
 */

export const FONT_FILES = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  mono: 'DejaVuSansMono.ttf',
} as const;

export type FontFace = 'sans' | 'bold' | 'mono';

export interface ReportFonts {
  /** Font stacks (families in order): DejaVu first, then the fallbacks this record needs. */
  sans: string[];
  mono: string[];
  /** The printed width, in points, of `text` in a face at a size (glyph advances, as the layout places them). */
  width(text: string, fontSize: number, face: FontFace): number;
  /** Whether the fonts have a glyph for a code point (the report prints nothing it has none for). */
  covers(codePoint: number): boolean;
}

/** Every font the report may use; a record takes the stacks for its own characters. */
export interface ReportFontSet extends Pick<ReportFonts, 'width' | 'covers'> {
  /**
   * The fonts for a record holding these code points: DejaVu and only the fallbacks that print one
   * of them. react-pdf reads every family of a stack, and the CJK collection alone is 40 MB: a
   * Latin-only record reads none of it.
   */
  forCodePoints(codePoints: Iterable<number>): ReportFonts;
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

/**
 * Scripts DejaVu does not cover, tried after it for each character, in this order: Noto Sans for the
 * Indic scripts and Thai (Debian fonts-noto-core), CJK (fonts-noto-cjk: the Simplified Chinese face
 * of the collection, which also holds kana and hangul) and Noto Emoji, monochrome (npm
 * @fontsource/noto-emoji). All SIL OFL 1.1. A font that is not installed is left out; what then has
 * no glyph stops the export in words (render.ts) rather than printing garbage.
 */
const NOTO_TTF = '/usr/share/fonts/truetype/noto';
const NOTO_OTF = '/usr/share/fonts/opentype/noto';
const NOTO_SCRIPTS = ['Devanagari', 'Bengali', 'Gurmukhi', 'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala', 'Thai'];

interface FallbackFont {
  family: string;
  regular: { src: string; postscriptName?: string };
  bold?: { src: string; postscriptName?: string };
}

export function fallbackFonts(): FallbackFont[] {
  const out: FallbackFont[] = [];
  for (const script of NOTO_SCRIPTS) {
    const regular = join(NOTO_TTF, `NotoSans${script}-Regular.ttf`);
    const bold = join(NOTO_TTF, `NotoSans${script}-Bold.ttf`);
    if (existsSync(regular)) out.push({ family: `NotoSans${script}`, regular: { src: regular }, ...(existsSync(bold) ? { bold: { src: bold } } : {}) });
  }
  const cjk = join(NOTO_OTF, 'NotoSansCJK-Regular.ttc');
  const cjkBold = join(NOTO_OTF, 'NotoSansCJK-Bold.ttc');
  if (existsSync(cjk)) {
    out.push({
      family: 'NotoSansCJK',
      regular: { src: cjk, postscriptName: 'NotoSansCJKsc-Regular' },
      ...(existsSync(cjkBold) ? { bold: { src: cjkBold, postscriptName: 'NotoSansCJKsc-Bold' } } : {}),
    });
  }
  const emoji = emojiFontsDir();
  if (emoji !== null) {
    for (const file of readdirSync(emoji).filter((f) => /^noto-emoji-[\w]+-400-normal\.woff$/.test(f)).sort()) {
      out.push({ family: `NotoEmoji-${file.split('-')[2]}`, regular: { src: join(emoji, file) } });
    }
  }
  return out;
}

function emojiFontsDir(): string | null {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@fontsource/noto-emoji/package.json')), 'files');
  } catch {
    return null;
  }
}

const registered = new Map<string, ReportFontSet>();

/** A font file opened (read and parsed) only when a character asks for it. */
class LazyFont {
  private opened?: Font;
  constructor(
    private readonly src: string,
    private readonly postscriptName?: string,
  ) {}
  get font(): Font {
    this.opened ??= openFont(this.src, this.postscriptName);
    return this.opened;
  }
}

/**
 * Registers the DejaVu families from `fontsDir` (default: defaultFontsDir()) and the fallbacks with
 * react-pdf, once per folder. Throws LocalError REPORT_FONTS_MISSING when a DejaVu file is missing.
 */
export function registerReportFonts(fontsDir?: string): ReportFontSet {
  const dir = resolve(fontsDir ?? defaultFontsDir());
  const known = registered.get(dir);
  if (known) return known;
  const missing = Object.values(FONT_FILES).filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) {
    throw new LocalError('REPORT_FONTS_MISSING', `The report fonts are missing from ${dir}: ${missing.join(', ')}.`);
  }
  const suffix = registered.size === 0 ? '' : `-${registered.size + 1}`;
  const sans = `DejaVuSans${suffix}`;
  const mono = `DejaVuSansMono${suffix}`;
  PdfFont.register({
    family: sans,
    fonts: [
      { src: join(dir, FONT_FILES.regular), fontWeight: 'normal' },
      { src: join(dir, FONT_FILES.bold), fontWeight: 'bold' },
    ],
  });
  PdfFont.register({ family: mono, fonts: [{ src: join(dir, FONT_FILES.mono), fontWeight: 'normal' }] });
  const fallbacks = fallbackFonts().map((f) => {
    const family = `${f.family}${suffix}`;
    PdfFont.register({ family, fonts: [{ ...f.regular, fontWeight: 'normal' }, ...(f.bold ? [{ ...f.bold, fontWeight: 'bold' as const }] : [])] });
    const regular = new LazyFont(f.regular.src, f.regular.postscriptName);
    return { family, regular, bold: f.bold ? new LazyFont(f.bold.src, f.bold.postscriptName) : regular };
  });
  const faces: Record<FontFace, LazyFont[]> = {
    sans: [new LazyFont(join(dir, FONT_FILES.regular)), ...fallbacks.map((f) => f.regular)],
    bold: [new LazyFont(join(dir, FONT_FILES.bold)), ...fallbacks.map((f) => f.bold)],
    mono: [new LazyFont(join(dir, FONT_FILES.mono)), ...fallbacks.map((f) => f.regular)],
  };
  // Which font of a stack react-pdf picks for a character: the first with a glyph for it (-1: none).
  const picked: Record<FontFace, Map<number, number>> = { sans: new Map(), bold: new Map(), mono: new Map() };
  const pick = (face: FontFace, cp: number): number => {
    let i = picked[face].get(cp);
    if (i === undefined) {
      i = faces[face].findIndex((f) => f.font.hasGlyphForCodePoint(cp));
      picked[face].set(cp, i);
    }
    return i;
  };
  const covers = (cp: number): boolean => pick('sans', cp) >= 0 && pick('bold', cp) >= 0;
  const width = (text: string, fontSize: number, face: FontFace): number => {
    let points = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      const font = faces[face][Math.max(0, pick(face, cp))]!.font;
      points += (font.glyphForCodePoint(cp).advanceWidth / font.unitsPerEm) * fontSize;
    }
    return points;
  };
  const set: ReportFontSet = {
    covers,
    width,
    forCodePoints(codePoints) {
      // Stack position 0 is DejaVu; a fallback is kept when any face picks it for a character.
      const needed = new Set<number>();
      for (const cp of codePoints) for (const face of ['sans', 'bold', 'mono'] as const) if (pick(face, cp) > 0) needed.add(pick(face, cp) - 1);
      const families = fallbacks.filter((_, i) => needed.has(i)).map((f) => f.family);
      return { sans: [sans, ...families], mono: [mono, ...families], covers, width };
    },
  };
  registered.set(dir, set);
  return set;
}

function openFont(path: string, postscriptName?: string): Font {
  const font = openSync(path, postscriptName);
  if (!('glyphForCodePoint' in font)) throw new LocalError('REPORT_FONTS_MISSING', `${path} is a font collection without the face ${postscriptName ?? 'asked for'}.`);
  return font;
}

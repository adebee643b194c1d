import { Document, G, Image, Page, Path, Svg, Text, View, type DocumentProps, type Styles, type ViewProps } from '@react-pdf/renderer';
import { createElement, type ComponentType, type ReactElement, type ReactNode } from 'react';
import type { ReportFonts } from './fonts';
import type { FieldRow, ImageTile, ReportBlock, ReportContent, ReportSection, TableColumn, TableRow, Tone } from './types';

/**
 * The review record as react-pdf elements (plain createElement, so the node project needs no JSX).
 * Layout only: every string comes from ReportContent. A4, DejaVu fonts, ruled tables, monospace for
 * ids, hashes and the MRZ, a fixed footer (page X of Y, session id, retain-until) and, for a draft,
 * a banner and a drawn (not text) watermark on every page.
 */

type Style = Styles[string];

const h = createElement;

const COLOR = {
  text: '#1a1a1a',
  muted: '#5f6368',
  rule: '#c9ced6',
  heading: '#12355b',
  headBg: '#e8eef5',
  good: '#1e6b34',
  bad: '#b3261e',
  warn: '#8a5a00',
  draft: '#b3261e',
  panel: '#f4f5f7',
};

const TONE_COLOR: Readonly<Record<Tone, string>> = {
  normal: COLOR.text,
  good: COLOR.good,
  bad: COLOR.bad,
  warn: COLOR.warn,
  muted: COLOR.muted,
};

const TONE_BG: Readonly<Record<Tone, string>> = {
  normal: '#f4f5f7',
  good: '#eaf4ec',
  bad: '#fbeceb',
  warn: '#fdf4e3',
  muted: '#f4f5f7',
};

const MARGIN_X = 40;
/** The verification QR code's printed size: about 3 cm, read by a phone from paper. */
const QR_POINTS = 86;
const QR_BOX = QR_POINTS + 10;
const A4_WIDTH = 595.28;
/** Horizontal padding of a table cell, on each side. */
const CELL_PAD = 3;
/** Width of a sub-row's label ("Media ID", "SHA-256"). */
const SUB_LABEL = 58;
/** Image tiles per row, and the box an image is fitted into (print-images.ts sizes the pixels for it). */
const TILE_COLUMNS = 3;
const TILE_PAD = 4;
export const TILE_IMAGE_BOX = { width: (A4_WIDTH - 2 * MARGIN_X) / TILE_COLUMNS - 2 * TILE_PAD, height: 126 } as const;
/** Notes and other long text: rows longer than this may break across pages. */
const KEEP_TOGETHER_CHARS = 700;

// ---- Text -------------------------------------------------------------------------------------

/**
 * No hyphenation: a record never alters what it prints (react-pdf adds a "-" wherever it breaks a
 * word). A token too long for its column is broken by wrappedLines() instead, onto lines of its own
 * without any added character.
 */
const hyphenation = (word: string): string[] => [word];

/** The page's text width: A4 less the margins. */
const CONTENT_WIDTH = A4_WIDTH - 2 * MARGIN_X;

/**
 * The printed lines of a string in a column `widthPt` wide: textLines(), then every token wider than
 * the column (as `width` measures it) is cut where it stops fitting, each piece on a line of its own;
 * words that fit are left for the layout to wrap at spaces.
 */
export function wrappedLines(text: string, widthPt: number, width: (s: string) => number): string[] {
  return textLines(text).flatMap((l) => breakLongTokens(l, widthPt, width));
}

function breakLongTokens(line: string, widthPt: number, width: (s: string) => number): string[] {
  const parts = line.split(/( +)/);
  if (!parts.some((t) => width(t) > widthPt)) return [line];
  const out: string[] = [];
  let current = '';
  for (const part of parts) {
    if (part.trim() === '' || width(part) <= widthPt) {
      current += part;
      continue;
    }
    // The first piece takes the rest of the current line; the others a line each.
    const pieces = fitPieces(part, widthPt - width(current), widthPt, width);
    out.push(current + pieces[0]!);
    out.push(...pieces.slice(1, -1));
    current = pieces.at(-1)!;
  }
  out.push(current);
  return out.filter((l) => l !== '');
}

/** A token cut into pieces (the first no wider than firstPt, the others widthPt), every character kept. */
function fitPieces(token: string, firstPt: number, widthPt: number, width: (s: string) => number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const ch of token) {
    if (width(piece + ch) > (pieces.length === 0 ? firstPt : widthPt) && (piece !== '' || pieces.length === 0)) {
      pieces.push(piece);
      piece = '';
    }
    piece += ch;
  }
  pieces.push(piece);
  return pieces;
}

// eslint-disable-next-line no-control-regex -- control characters have no glyph and would fall back to a non-embedded font
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Lines of a string: tabs become spaces, other control characters go (they have no glyph). */
export function textLines(s: string): string[] {
  return s.replace(/\r\n?/g, '\n').replace(/\t/g, '    ').replace(CONTROL, '').split('\n');
}

/**
 * Body text. The line height goes with the font size in the same style: react-pdf resolves a
 * unitless line height against the element's own font size (or 18 when absent), and an inherited
 * one breaks absolutely positioned text such as the footer.
 */
const TXT: Style = { fontSize: 9, lineHeight: 1.35 };

function line(text: string, style: Style | Style[] | undefined, key?: string | number): ReactElement {
  const styles: Style[] = [TXT, ...(style === undefined ? [] : Array.isArray(style) ? style : [style])];
  return h(Text, { key, style: styles, hyphenationCallback: hyphenation }, text === '' ? ' ' : text);
}

/**
 * A possibly multi-line string as one Text per line (a newline inside a Text has no glyph), its long
 * tokens broken to fit `widthPt` (wrappedLines).
 */
function lines(s: S, text: string, style: Style | Style[] | undefined, widthPt: number): ReactElement[] {
  const flat = Object.assign({}, TXT, ...(style === undefined ? [] : [style].flat())) as { fontSize?: number; fontFamily?: string | string[]; fontWeight?: unknown };
  const face = flat.fontFamily === s.fonts.mono ? 'mono' : flat.fontWeight === 'bold' ? 'bold' : 'sans';
  const size = flat.fontSize ?? 9;
  return wrappedLines(text, widthPt, (t) => s.fonts.width(t, size, face)).map((l, i) => line(l, style, i));
}

// ---- Styles -----------------------------------------------------------------------------------

function makeStyles(fonts: ReportFonts, draft: boolean) {
  const s = {
    page: {
      fontFamily: fonts.sans,
      fontSize: 9,
      color: COLOR.text,
      paddingTop: draft ? 58 : 40,
      paddingBottom: 58,
      paddingHorizontal: MARGIN_X,
    },
    mono: { fontFamily: fonts.mono, fontSize: 8 },
    bold: { fontWeight: 'bold' },
    title: { fontSize: 17, lineHeight: 1.25, fontWeight: 'bold', color: draft ? COLOR.draft : COLOR.heading, marginBottom: 2 },
    subtitle: { fontSize: 11, color: COLOR.text, marginBottom: 8 },
    titleBox: { borderTopWidth: 2, borderTopColor: draft ? COLOR.draft : COLOR.heading, paddingTop: 4, marginBottom: 4 },
    titleRow: { flexDirection: 'row', alignItems: 'flex-start' },
    // A4 less the margins and the code's box: the header's columns never run under the code.
    titleMain: { width: CONTENT_WIDTH - QR_BOX },
    qrBox: { width: QR_BOX, alignItems: 'flex-end' },
    sectionTitle: {
      fontSize: 12.5,
      lineHeight: 1.3,
      fontWeight: 'bold',
      color: COLOR.heading,
      borderBottomWidth: 1.2,
      borderBottomColor: COLOR.heading,
      paddingBottom: 2,
      marginTop: 14,
      marginBottom: 6,
    },
    heading: { fontSize: 10, lineHeight: 1.3, fontWeight: 'bold', marginTop: 9, marginBottom: 3 },
    fieldRow: { flexDirection: 'row', borderBottomWidth: 0.5, borderBottomColor: COLOR.rule, paddingVertical: 2.5 },
    fieldLabel: { width: '30%', color: COLOR.muted, paddingRight: 6 },
    fieldValue: { width: '70%' },
    headRow: {
      flexDirection: 'row',
      backgroundColor: COLOR.headBg,
      borderTopWidth: 0.8,
      borderTopColor: COLOR.rule,
      borderBottomWidth: 0.8,
      borderBottomColor: COLOR.rule,
    },
    headCell: { fontSize: 8, fontWeight: 'bold', paddingVertical: 2.5, paddingHorizontal: 3 },
    row: { borderBottomWidth: 0.5, borderBottomColor: COLOR.rule, paddingVertical: 1.5 },
    rowCells: { flexDirection: 'row' },
    cell: { paddingVertical: 1, paddingHorizontal: CELL_PAD },
    cellText: { fontSize: 8.5 },
    sub: { flexDirection: 'row', paddingHorizontal: 3, paddingBottom: 1 },
    subLabel: { fontSize: 7.5, color: COLOR.muted, width: SUB_LABEL },
    subText: { fontSize: 8, flexGrow: 1, flexShrink: 1 },
    subMono: { fontFamily: fonts.mono, fontSize: 7.5, flexGrow: 1, flexShrink: 1 },
    empty: { color: COLOR.muted, paddingVertical: 3, paddingHorizontal: 3 },
    callout: { borderLeftWidth: 3, paddingVertical: 3, paddingHorizontal: 6, marginVertical: 2 },
    text: { marginBottom: 0 },
    mrzBox: { backgroundColor: COLOR.panel, borderWidth: 0.5, borderColor: COLOR.rule, paddingVertical: 6, paddingHorizontal: 8, marginBottom: 2 },
    mrzLine: { fontFamily: fonts.mono, fontSize: 10.5, letterSpacing: 0.6, lineHeight: 1.5 },
    caption: { fontSize: 7.5, color: COLOR.muted, marginBottom: 4 },
    barBlock: { marginVertical: 4 },
    barLabel: { fontWeight: 'bold', marginBottom: 3 },
    barTrack: { position: 'relative', height: 12, backgroundColor: '#e3e6ea', borderWidth: 0.5, borderColor: COLOR.rule },
    barMark: { position: 'absolute', top: -4, width: 2, height: 20, backgroundColor: '#111111' },
    barScale: { position: 'relative', height: 12, marginTop: 5 },
    barScaleText: { position: 'absolute', top: 0, fontSize: 7.5, color: COLOR.muted },
    grid: { flexDirection: 'row', marginHorizontal: -TILE_PAD },
    tile: { width: `${100 / TILE_COLUMNS}%`, paddingHorizontal: TILE_PAD, marginBottom: 8 },
    frame: { height: TILE_IMAGE_BOX.height + 2, borderWidth: 0.5, borderColor: COLOR.rule, backgroundColor: COLOR.panel, alignItems: 'center', justifyContent: 'center' },
    image: { width: '100%', height: TILE_IMAGE_BOX.height, objectFit: 'contain' },
    placeholder: { fontSize: 8, color: COLOR.muted, textAlign: 'center', paddingHorizontal: 8 },
    tileCaption: { fontSize: 8, fontWeight: 'bold', marginTop: 2 },
    tileDetail: { fontSize: 7, color: COLOR.muted },
    footer: {
      position: 'absolute',
      bottom: 22,
      left: MARGIN_X,
      right: MARGIN_X,
      borderTopWidth: 0.5,
      borderTopColor: COLOR.rule,
      paddingTop: 4,
      flexDirection: 'row',
      justifyContent: 'space-between',
      fontSize: 7.5,
      color: COLOR.muted,
    },
    footerLeft: { flexGrow: 1, flexShrink: 1, paddingRight: 12 },
    footerRight: { flexShrink: 0, fontWeight: 'bold', color: COLOR.text },
    banner: {
      position: 'absolute',
      top: 18,
      left: MARGIN_X,
      right: MARGIN_X,
      backgroundColor: COLOR.draft,
      color: '#ffffff',
      fontWeight: 'bold',
      fontSize: 10,
      paddingVertical: 4,
      paddingHorizontal: 8,
      textAlign: 'center',
    },
    watermark: { position: 'absolute', top: 250, left: 60 },
  } satisfies Record<string, Style>;
  // The fonts travel with the styles: long tokens are broken where they no longer fit (wrappedLines).
  return Object.assign(s, { fonts });
}

type S = ReturnType<typeof makeStyles>;

// ---- Blocks -----------------------------------------------------------------------------------

/**
 * A block is laid out as pieces: units that never break (a table row, a field row, a row of
 * thumbnails) or long text that may. Headings are kept on the same page as the first piece(s) of
 * what follows them (react-pdf's minPresenceAhead does not do it reliably).
 */
interface Piece {
  el: ReactElement;
  /** Short enough to be kept together with a heading. */
  small: boolean;
}

const piece = (el: ReactElement, small = true): Piece => ({ el, small });

/** Label and value rows; `widthPt` is the width they span (the value column is 70 % of it). */
function fieldPieces(s: S, rows: FieldRow[], widthPt = CONTENT_WIDTH): Piece[] {
  return rows.map((r, i) => {
    const long = r.value.length > KEEP_TOGETHER_CHARS;
    return piece(
      h(
        View,
        { style: [s.fieldRow, i === rows.length - 1 ? { marginBottom: 4 } : {}], wrap: long },
        h(View, { style: s.fieldLabel }, line(r.label, undefined)),
        h(View, { style: s.fieldValue }, ...lines(s, r.value, [r.mono ? s.mono : {}, { color: TONE_COLOR[r.tone ?? 'normal'] }], widthPt * 0.7)),
      ),
      !long,
    );
  });
}

function widths(columns: TableColumn[]): string[] {
  return fractions(columns).map((f) => `${(f * 100).toFixed(3)}%`);
}

function fractions(columns: TableColumn[]): number[] {
  const total = columns.reduce((a, c) => a + c.width, 0);
  return columns.map((c) => c.width / total);
}

function tablePieces(s: S, columns: TableColumn[], rows: TableRow[], empty: string): Piece[] {
  const w = widths(columns);
  const textWidth = fractions(columns).map((f) => CONTENT_WIDTH * f - 2 * CELL_PAD);
  const headCells = (): ReactElement[] => columns.map((c, i) => h(View, { key: i, style: [s.headCell, { width: w[i] }] }, line(c.title, undefined)));
  // The table starts with its head and first row kept together (a small piece, so a heading stays
  // with them too); the rest runs in a View whose `fixed` head react-pdf repeats on every page it
  // reaches, except the page the table started on, where the head is already printed.
  let startPage = -1;
  const marker = h(Text, { style: { fontSize: 1 }, render: ({ pageNumber }: { pageNumber: number }) => ((startPage = pageNumber), '') });
  const head = h(View, {
    fixed: true,
    render: ({ pageNumber }: { pageNumber: number }) => (pageNumber === startPage ? null : h(View, { style: s.headRow, wrap: false }, ...headCells())),
  });
  const tonedIndex = columns.findIndex((c) => c.toned === true);
  const toned = tonedIndex >= 0 ? tonedIndex : columns.length - 1;
  const body =
    rows.length === 0
      ? [piece(h(View, { style: s.row }, line(empty, s.empty)))]
      : rows.map((r) => {
          const long = r.cells.reduce((a, c) => a + c.length, 0) + (r.sub ?? []).reduce((a, x) => a + x.text.length, 0) > KEEP_TOGETHER_CHARS;
          return piece(
            h(
              View,
              { style: s.row, wrap: long },
              h(
                View,
                { style: s.rowCells },
                ...columns.map((c, ci) =>
                  h(
                    View,
                    { style: [s.cell, { width: w[ci] }] },
                    ...lines(s, r.cells[ci] ?? '', [s.cellText, c.mono ? s.mono : {}, ci === toned || r.tone === 'muted' ? { color: TONE_COLOR[r.tone ?? 'normal'] } : {}], textWidth[ci] ?? CONTENT_WIDTH),
                  ),
                ),
              ),
              ...(r.sub ?? []).map((x) =>
                h(
                  View,
                  { style: s.sub },
                  x.label === undefined ? null : line(x.label, s.subLabel),
                  h(View, { style: { flexGrow: 1, flexShrink: 1 } }, ...lines(s, x.text, x.mono ? s.subMono : s.subText, CONTENT_WIDTH - 2 * CELL_PAD - (x.label === undefined ? 0 : SUB_LABEL))),
                ),
              ),
            ),
            !long,
          );
        });
  const [first, ...rest] = body;
  return [
    piece(h(View, { wrap: false }, marker, h(View, { style: s.headRow }, ...headCells()), first?.el), true),
    ...(rest.length === 0 ? [piece(h(View, { style: { marginBottom: 5 } }), true)] : [piece(h(View, { style: { marginBottom: 5 } }, head, ...rest.map((b) => b.el)), false)]),
  ];
}

function callout(s: S, text: string, tone: Tone): Piece {
  const long = text.length > KEEP_TOGETHER_CHARS;
  return piece(
    h(
      View,
      { style: [s.callout, { borderLeftColor: TONE_COLOR[tone], backgroundColor: TONE_BG[tone] }], wrap: long },
      ...lines(s, text, { color: tone === 'normal' ? COLOR.text : TONE_COLOR[tone] }, CONTENT_WIDTH - 15),
    ),
    !long,
  );
}

function mrz(s: S, mrzLines: string[], caption: string): Piece {
  return piece(
    h(View, { wrap: false }, h(View, { style: s.mrzBox }, ...mrzLines.map((l) => line(l, s.mrzLine))), line(caption, s.caption)),
  );
}

const pct = (x: number): string => `${(Math.min(1, Math.max(0, x)) * 100).toFixed(2)}%`;

function scoreBar(s: S, b: Extract<ReportBlock, { kind: 'scoreBar' }>): Piece {
  const fill = b.score === null ? null : h(View, { style: { position: 'absolute', left: 0, top: 0, bottom: 0, width: pct(b.score), backgroundColor: TONE_COLOR[b.tone] } });
  const t = Math.min(1, Math.max(0, b.threshold));
  // The threshold label sits right of the mark, or left of it near the right end.
  const labelStyle: Style = t > 0.75 ? { right: pct(1 - t), paddingRight: 3 } : { left: pct(t), paddingLeft: 3 };
  return piece(
    h(
      View,
      { style: s.barBlock, wrap: false },
      line(`${b.label}: confidence score ${b.scoreText}`, s.barLabel),
      h(View, { style: s.barTrack }, fill, h(View, { style: [s.barMark, { left: pct(t), marginLeft: -1 }] })),
      h(
        View,
        { style: s.barScale },
        h(Text, { style: [s.barScaleText, { left: 0 }] }, '0'),
        h(Text, { style: [s.barScaleText, labelStyle, { color: COLOR.text }] }, `threshold ${b.thresholdText}`),
        h(Text, { style: [s.barScaleText, { right: 0 }] }, '1'),
      ),
      line(b.verdict, { color: TONE_COLOR[b.tone], marginTop: 1 }),
    ),
  );
}


function tile(s: S, t: ImageTile): ReactElement {
  const inner =
    t.image !== undefined
      ? h(Image, { style: s.image, src: { data: t.image.data, format: t.image.format } })
      : line(t.placeholder ?? 'No image', s.placeholder);
  return h(
    View,
    { style: s.tile },
    h(View, { style: [s.frame, t.image === undefined ? { borderStyle: 'dashed' } : {}] }, inner),
    line(t.caption, s.tileCaption),
    line(t.detail, s.tileDetail),
  );
}

function imagePieces(s: S, tiles: ImageTile[]): Piece[] {
  const rows: Piece[] = [];
  for (let i = 0; i < tiles.length; i += TILE_COLUMNS) {
    rows.push(piece(h(View, { style: s.grid, wrap: false }, ...tiles.slice(i, i + TILE_COLUMNS).map((t) => tile(s, t)))));
  }
  return rows;
}

function textPieces(s: S, text: string, mono: boolean | undefined): Piece[] {
  const ls = wrappedLines(text, CONTENT_WIDTH, (t) => s.fonts.width(t, mono ? 8 : 9, mono ? 'mono' : 'sans'));
  return ls.map((l, i) => piece(line(l, [mono ? s.mono : s.text, i === ls.length - 1 ? { marginBottom: 4 } : {}]), l.length <= KEEP_TOGETHER_CHARS));
}

function blockPieces(s: S, b: Exclude<ReportBlock, { kind: 'heading' }>): Piece[] {
  switch (b.kind) {
    case 'fields':
      return fieldPieces(s, b.rows);
    case 'table':
      return tablePieces(s, b.columns, b.rows, b.empty);
    case 'text':
      return textPieces(s, b.text, b.mono);
    case 'callout':
      return [callout(s, b.text, b.tone)];
    case 'mrz':
      return [mrz(s, b.lines, b.caption)];
    case 'scoreBar':
      return [scoreBar(s, b)];
    case 'images':
      return imagePieces(s, b.tiles);
  }
}

/** Room a block needs below its headings on the same page (pt): a table's head and first row. */
const presenceAfterHeading = (b: ReportBlock): number => (b.kind === 'table' ? 110 : 48);

/**
 * A View that is an entry of the PDF's outline. react-pdf makes a bookmark of any node and nests
 * them by `ref` / `parent` (@react-pdf/render addNodeBookmark), though its types declare them on pages only.
 */
const BookmarkedView = View as unknown as ComponentType<ViewProps & { bookmark: { title: string; ref?: string; parent?: string; fit: boolean; expanded?: boolean }; children?: ReactNode }>;

function section(s: S, sec: ReportSection): ReactElement {
  const out: ReactElement[] = [];
  // Each section and sub-heading is a bookmark (the PDF's outline), sub-headings under their section.
  const ref = `section-${sec.id}`;
  let leads: ReactElement[] = [h(BookmarkedView, { bookmark: { title: sec.title, ref, fit: true, expanded: false } }, h(Text, { style: s.sectionTitle, hyphenationCallback: hyphenation }, sec.title))];
  for (const b of sec.blocks) {
    if (b.kind === 'heading') {
      const title = textLines(b.text).join(' ');
      leads.push(h(BookmarkedView, { bookmark: { title, parent: ref, fit: true } }, h(Text, { style: s.heading, hyphenationCallback: hyphenation }, title)));
      continue;
    }
    const pieces = blockPieces(s, b);
    let n = 0;
    if (leads.length > 0) {
      if (pieces[0]?.small === true) n = 1;
      out.push(h(View, { wrap: false, minPresenceAhead: n === 0 ? presenceAfterHeading(b) : 0 }, ...leads, ...pieces.slice(0, n).map((p) => p.el)));
      leads = [];
    }
    out.push(...pieces.slice(n).map((p) => p.el));
  }
  out.push(...leads);
  return h(View, {}, ...out);
}

// ---- Page furniture ---------------------------------------------------------------------------

/** "DRAFT" drawn as strokes, so the watermark is no text in the text layer. Glyph boxes are 80 × 100. */
const WATERMARK_PATHS = [
  'M0 0 L0 100 L38 100 Q80 100 80 50 Q80 0 38 0 Z',
  'M110 100 L110 0 L152 0 Q182 0 182 27 Q182 54 152 54 L110 54 M148 54 L186 100',
  'M214 100 L252 0 L290 100 M228 64 L276 64',
  'M378 0 L320 0 L320 100 M320 48 L368 48',
  'M400 0 L480 0 M440 0 L440 100',
];

function watermark(s: S): ReactElement {
  return h(
    View,
    { style: s.watermark, fixed: true },
    h(
      Svg,
      { width: 480, height: 340, viewBox: '0 0 480 340' },
      h(
        G,
        { transform: 'translate(40 300) rotate(-32) scale(0.95)' },
        ...WATERMARK_PATHS.map((d) =>
          h(Path, { d, stroke: COLOR.draft, strokeWidth: 12, fill: 'none', strokeLinejoin: 'round', strokeLinecap: 'round', strokeOpacity: 0.13 }),
        ),
      ),
    ),
  );
}

export interface PageInfo {
  /** Called with the total page count while the footers are laid out. */
  onTotalPages?: (total: number) => void;
}

function footer(s: S, content: ReportContent, info: PageInfo): ReactElement {
  const f = content.footer;
  const left = `${content.draft ? 'DRAFT · ' : ''}Session ${f.sessionId} · Retain until ${f.retainUntil} · ${f.classification}`;
  return h(
    View,
    { style: s.footer, fixed: true },
    h(Text, { style: s.footerLeft, hyphenationCallback: hyphenation }, left),
    h(Text, {
      style: s.footerRight,
      hyphenationCallback: hyphenation,
      render: ({ pageNumber, totalPages }: { pageNumber: number; totalPages: number }) => {
        info.onTotalPages?.(totalPages);
        return `Page ${pageNumber} of ${totalPages}`;
      },
    }),
  );
}

function titleBlock(s: S, content: ReportContent): ReactNode {
  return h(
    View,
    { style: s.titleBox },
    h(Text, { style: s.title, hyphenationCallback: hyphenation }, content.title),
    line(content.subtitle, s.subtitle),
    h(
      View,
      { style: s.titleRow },
      h(View, { style: s.titleMain }, ...fieldPieces(s, content.header, CONTENT_WIDTH - QR_BOX).map((p) => p.el)),
      h(View, { style: s.qrBox, wrap: false }, qrCode(content.verification.modules)),
    ),
  );
}

/** The QR code drawn as one vector path (no image codec), one unit per module. */
function qrCode(modules: boolean[][]): ReactElement {
  const size = modules.length;
  let d = '';
  modules.forEach((row, y) => row.forEach((dark, x) => (d += dark ? `M${x} ${y}h1v1h-1z` : '')));
  return h(Svg, { width: QR_POINTS, height: QR_POINTS, viewBox: `0 0 ${size} ${size}` }, h(Path, { d, fill: '#000000' }));
}

/** The whole report as a react-pdf Document element. */
export function reportDocument(content: ReportContent, fonts: ReportFonts, info: PageInfo = {}): ReactElement<DocumentProps> {
  const s = makeStyles(fonts, content.draft);
  return h(
    Document,
    {
      title: content.info.title,
      subject: content.info.subject,
      creator: content.info.creator,
      producer: content.info.creator,
      keywords: content.info.keywords,
      author: 'IDV Review Console',
      language: 'en-GB',
      // PDF 1.7 with XMP metadata and an sRGB output intent, as pdfkit writes PDF/A-2b (not validated here: see README).
      conformance: 'PDF/A-2b',
      pageMode: 'useOutlines',
      // the generation time, so the same content renders to the same bytes
      creationDate: new Date(content.info.createdAt),
      modificationDate: new Date(content.info.createdAt),
    },
    h(
      Page,
      { size: 'A4', style: s.page, wrap: true },
      content.draft ? watermark(s) : null,
      content.draft && content.draftBanner !== undefined ? h(Text, { style: s.banner, fixed: true, hyphenationCallback: hyphenation }, content.draftBanner) : null,
      titleBlock(s, content),
      ...content.sections.map((sec) => section(s, sec)),
      footer(s, content, info),
    ),
  );
}

import { toMrzText } from '../../../../common/mrz';
import { createRng, type Rng } from '../random';
import { canRender } from './font';
import { encodeJpeg, padJpeg } from './jpeg';
import { drawFace, faceTraits } from './portrait';
import { mix, Raster, type Rgb } from './raster';
import { specimenMrzLines, type SpecimenIdentity } from './document-fields';

/**
 * Photographs (drawn, not photographed) of specimen documents: a card on a desk with a header, a
 * cartoon portrait, labelled fields, a SPECIMEN overprint and the MRZ rendered with the bitmap font.
 */
export type PageSide = 'front' | 'back';

export interface PageRenderOptions {
  /** Image width in pixels (default 640). Ignored when targetBytes is set. */
  width?: number;
  /** Aim for a JPEG of about this many bytes (the resolution is chosen to get close, then padded). */
  targetBytes?: number;
  quality?: number;
  /** 0 = the page itself; 1, 2… = extra frames (slightly moved, different light, hologram elsewhere). */
  variant?: number;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** `1974-08-12` → `12 AUG 1974`. */
export function vizDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return `${m[3]} ${MONTHS[Number(m[2]) - 1] ?? m[2]} ${m[1]}`;
}

const TITLES: Readonly<Record<string, string>> = {
  PASSPORT: 'PASSPORT',
  NATIONAL_ID: 'IDENTITY CARD',
  DRIVING_LICENCE: 'DRIVING LICENCE',
  RESIDENCE_PERMIT: 'RESIDENCE PERMIT',
};

const ASPECT = 0.7; // image height / width

function palette(doc: SpecimenIdentity): { card: Rgb; band: Rgb; ink: Rgb; line: Rgb } {
  const rng = createRng(`palette:${doc.issuingCountry}:${doc.documentType}`);
  const hue = rng.pick<Rgb>([
    [214, 228, 240],
    [226, 236, 214],
    [240, 226, 214],
    [232, 220, 240],
    [240, 236, 206],
  ]);
  return { card: hue, band: mix(hue, [20, 40, 90], 0.75), ink: [25, 30, 45], line: mix(hue, [40, 60, 120], 0.35) };
}

function printable(s: string): string {
  return canRender(s) ? s.toUpperCase() : toMrzText(s).replace(/</g, ' ');
}

/** Name as printed, with the Latin transliteration after a slash when the script is not Latin. */
function vizName(printed: string): string {
  const latin = toMrzText(printed).replace(/</g, ' ');
  const upper = printed.toUpperCase();
  if (!canRender(upper)) return latin;
  return latin === upper ? upper : `${upper} / ${latin}`;
}

function drawText(r: Raster, text: string, x: number, y: number, scale: number, c: Rgb, maxWidth: number, a = 1): void {
  let t = text;
  while (t.length > 1 && Raster.textWidth(t, scale) > maxWidth) t = t.slice(0, -1);
  r.text(t, x, y, scale, c, a);
}

function guilloche(r: Raster, x: number, y: number, w: number, h: number, c: Rgb, rng: Rng, u: number): void {
  const waves = 14;
  const f1 = rng.range(2, 4) / w;
  const f2 = rng.range(5, 9) / w;
  for (let k = 0; k < waves; k++) {
    const base = y + ((k + 0.5) * h) / waves;
    const amp = (h / waves) * 0.9;
    const ph = k * 0.7;
    let prevY = base;
    for (let px = Math.floor(x); px < x + w; px++) {
      const t = px - x;
      const py = base + amp * Math.sin(2 * Math.PI * f1 * t + ph) * Math.cos(2 * Math.PI * f2 * t - ph);
      const step = py > prevY ? 1 : -1;
      for (let yy = Math.round(prevY); yy !== Math.round(py) + step; yy += step) r.plot(px, yy, c, 0.35);
      prevY = py;
      if (u > 1.5) r.plot(px, py + 1, c, 0.2);
    }
  }
}

function drawMrz(r: Raster, lines: readonly string[], x: number, y: number, w: number, h: number): void {
  const width = lines[0]?.length ?? 44;
  const scale = Math.max(1, Math.floor((w * 0.94) / (width * 6)));
  const lineH = 7 * scale;
  const gap = Math.max(scale * 2, Math.floor((h - lines.length * lineH) / (lines.length + 1)));
  const tx = x + (w - Raster.textWidth('<'.repeat(width), scale)) / 2;
  lines.forEach((line, i) => r.text(line, tx, y + gap + i * (lineH + gap), scale, [20, 20, 25]));
}

interface Layout {
  r: Raster;
  u: number;
  cardX: number;
  cardY: number;
  cardW: number;
  cardH: number;
}

function drawCard(doc: SpecimenIdentity, width: number, variant: number, seed: string): Layout {
  const height = Math.round(width * ASPECT);
  const rng = createRng(`${seed}:page:${variant}`);
  const u = width / 640;
  const r = new Raster(width, height);
  // the desk the card lies on
  r.verticalGradient(0, 0, width, height, [92, 74, 60], [60, 48, 40]);
  for (let i = 0; i < 18; i++) r.fillRect(0, rng.range(0, height), width, Math.max(1, u * rng.range(1, 3)), [110, 88, 70], 0.25);
  const pal = palette(doc);
  const cardW = width * 0.9;
  const cardH = cardW / 1.42;
  const cardX = (width - cardW) / 2 + (variant ? rng.range(-6, 6) * u : 0);
  const cardY = (height - cardH) / 2 + (variant ? rng.range(-6, 6) * u : 0);
  // shadow, card, security print
  r.fillRoundedRect(cardX + 5 * u, cardY + 6 * u, cardW, cardH, 16 * u, [20, 15, 10], 0.45);
  r.fillRoundedRect(cardX, cardY, cardW, cardH, 16 * u, pal.card);
  guilloche(r, cardX + 8 * u, cardY + cardH * 0.16, cardW - 16 * u, cardH * 0.8, pal.line, createRng(`guilloche:${doc.issuingCountry}`), u);
  // header band
  r.fillRect(cardX + 10 * u, cardY + 10 * u, cardW - 20 * u, cardH * 0.13, pal.band);
  const hs = Math.max(1, Math.round(2.2 * u));
  r.text(printable(doc.issuingCountryName), cardX + 18 * u, cardY + 10 * u + (cardH * 0.13 - 7 * hs) / 2, hs, [250, 250, 250]);
  const title = TITLES[doc.documentType] ?? doc.documentType.replace(/_/g, ' ');
  r.text(title, cardX + cardW - 18 * u - Raster.textWidth(title, hs), cardY + 10 * u + (cardH * 0.13 - 7 * hs) / 2, hs, [250, 250, 250]);
  return { r, u, cardX, cardY, cardW, cardH };
}

function overprint(l: Layout, rng: Rng): void {
  const { r, u, cardX, cardY, cardW, cardH } = l;
  const s = Math.max(2, Math.round(7 * u));
  const text = 'SPECIMEN';
  r.text(text, cardX + (cardW - Raster.textWidth(text, s)) / 2, cardY + cardH * 0.42, s, [200, 30, 40], 0.28);
  // hologram patch: a soft iridescent ellipse whose position depends on the frame
  const hx = cardX + cardW * rng.range(0.55, 0.85);
  const hy = cardY + cardH * rng.range(0.25, 0.6);
  r.fillEllipse(hx, hy, cardW * 0.07, cardH * 0.09, [180, 230, 255], 0.25);
  r.fillEllipse(hx + 4 * u, hy + 2 * u, cardW * 0.05, cardH * 0.06, [255, 200, 240], 0.2);
}

function frontPage(doc: SpecimenIdentity, width: number, variant: number): Raster {
  const seed = `${doc.documentNumber}:${doc.portraitSeed}`;
  const l = drawCard(doc, width, variant, seed);
  const { r, u, cardX, cardY, cardW, cardH } = l;
  const pal = palette(doc);
  const mrz = specimenMrzLines(doc);
  const mrzOnFront = mrz !== undefined && doc.mrzFormat !== 'TD1';
  const bodyTop = cardY + cardH * 0.17;
  const bodyBottom = cardY + cardH * (mrzOnFront ? 0.72 : 0.93);
  // portrait
  const photoW = cardW * 0.26;
  const photoH = Math.min(photoW * 1.28, bodyBottom - bodyTop - 8 * u);
  const photoX = cardX + cardW * 0.04;
  r.fillRect(photoX - 2 * u, bodyTop - 2 * u, photoW + 4 * u, photoH + 4 * u, [240, 240, 240]);
  r.verticalGradient(photoX, bodyTop, photoW, photoH, [225, 230, 236], [190, 198, 206]);
  drawFace(r, photoX, bodyTop, photoW, photoH, faceTraits(doc.portraitSeed));
  // ghost image
  const gx = cardX + cardW * 0.83;
  const gw = cardW * 0.12;
  drawFace(r, gx, bodyBottom - gw * 1.3, gw, gw * 1.25, { ...faceTraits(doc.portraitSeed), shirt: pal.line });
  r.fillRect(gx, bodyBottom - gw * 1.3, gw, gw * 1.25, pal.card, 0.55);
  // fields
  const ls = Math.max(1, Math.round(1 * u));
  const vs = Math.max(1, Math.round(2 * u));
  const colX = photoX + photoW + cardW * 0.04;
  const colW = cardX + cardW * 0.8 - colX;
  const rows: Array<[string, string]> = [
    ['SURNAME', vizName(doc.familyName)],
    ['GIVEN NAMES', vizName(doc.givenNames)],
    ['NATIONALITY', doc.nationality],
    ['DATE OF BIRTH', vizDate(doc.dateOfBirth)],
    ['SEX', doc.gender === 'MALE' ? 'M' : doc.gender === 'FEMALE' ? 'F' : 'X'],
    ['DOCUMENT NO', doc.documentNumber],
    ['DATE OF ISSUE', vizDate(doc.dateOfIssue)],
    ['DATE OF EXPIRY', vizDate(doc.expirationDate)],
    ['AUTHORITY', printable(doc.issuingAuthority)],
  ];
  if (doc.placeOfBirth) rows.splice(4, 0, ['PLACE OF BIRTH', printable(doc.placeOfBirth)]);
  const rowH = (bodyBottom - bodyTop) / rows.length;
  const fit = Math.max(1, Math.min(vs, Math.floor((rowH - 9 * ls) / 7)));
  rows.forEach(([label, value], i) => {
    const y = bodyTop + i * rowH;
    r.text(label, colX, y, ls, [80, 90, 110]);
    drawText(r, value, colX, y + 9 * ls, fit, pal.ink, colW);
  });
  // signature
  const sy = bodyTop + photoH + (bodyBottom - bodyTop - photoH) / 2;
  if (sy + 6 * u < bodyBottom) {
    r.arc(photoX + photoW * 0.3, sy, photoW * 0.18, 6 * u, Math.PI, 2.8 * Math.PI, [30, 40, 110], Math.max(1, 1.2 * u));
    r.line(photoX + photoW * 0.45, sy, photoW * 0.9 + photoX, sy - 5 * u, [30, 40, 110], Math.max(1, 1.2 * u));
  }
  overprint(l, createRng(`${seed}:holo:${variant}`));
  if (mrzOnFront && mrz) {
    const zy = cardY + cardH * 0.74;
    r.fillRect(cardX + 10 * u, zy, cardW - 20 * u, cardH * 0.24, [248, 248, 244]);
    drawMrz(r, mrz, cardX + 10 * u, zy, cardW - 20 * u, cardH * 0.24);
  }
  return r;
}

function backPage(doc: SpecimenIdentity, width: number, variant: number): Raster {
  const seed = `${doc.documentNumber}:${doc.portraitSeed}:back`;
  const l = drawCard(doc, width, variant, seed);
  const { r, u, cardX, cardY, cardW, cardH } = l;
  const pal = palette(doc);
  const mrz = specimenMrzLines(doc);
  const ls = Math.max(1, Math.round(1 * u));
  const vs = Math.max(1, Math.round(2 * u));
  const x = cardX + cardW * 0.05;
  let y = cardY + cardH * 0.18;
  const rows: Array<[string, string]> = [
    ['ADDRESS', '1 SPECIMEN STREET, UTOPIA CITY'],
    ['PLACE OF BIRTH', printable(doc.placeOfBirth ?? 'UTOPIA')],
    ['HEIGHT', '1.70 M'],
  ];
  if (doc.documentType === 'DRIVING_LICENCE') rows.push(['CATEGORIES', 'AM A1 B BE']);
  for (const [label, value] of rows) {
    r.text(label, x, y, ls, [80, 90, 110]);
    drawText(r, value, x, y + 9 * ls, vs, pal.ink, cardW * 0.6);
    y += 9 * ls + 7 * vs + 8 * u;
  }
  // a barcode-like block
  const rng = createRng(`${seed}:barcode`);
  const bx = cardX + cardW * 0.68;
  const by = cardY + cardH * 0.2;
  for (let i = 0; i < 60; i++) {
    const bw = Math.max(1, Math.round(rng.range(1, 3) * u));
    r.fillRect(bx + i * 3.2 * u, by, bw, cardH * 0.3, [20, 20, 20]);
  }
  overprint(l, createRng(`${seed}:holo:${variant}`));
  if (mrz && doc.mrzFormat === 'TD1') {
    const zy = cardY + cardH * 0.62;
    r.fillRect(cardX + 10 * u, zy, cardW - 20 * u, cardH * 0.35, [248, 248, 244]);
    drawMrz(r, mrz, cardX + 10 * u, zy, cardW - 20 * u, cardH * 0.35);
  }
  return r;
}

/** Renders one page as a Raster (no grain, no encoding). */
export function renderDocumentRaster(doc: SpecimenIdentity, side: PageSide, width = 640, variant = 0): Raster {
  return side === 'front' ? frontPage(doc, width, variant) : backPage(doc, width, variant);
}

function encodePage(doc: SpecimenIdentity, side: PageSide, width: number, variant: number, quality: number): Buffer {
  const r = renderDocumentRaster(doc, side, width, variant);
  r.noise(createRng(`${doc.documentNumber}:${side}:${variant}:grain`), 4);
  if (variant) r.tint(1 + ((variant % 3) - 1) * 0.06, [variant * 2, 0, -variant]);
  return encodeJpeg(r, quality);
}

/**
 * A JPEG of one document page. With `targetBytes`, a small probe measures bytes per pixel, the
 * resolution is chosen to land near the target, corrected once if needed, and a shortfall is padded
 * with JPEG comment segments so the size is close to exact.
 */
export function renderDocumentPage(doc: SpecimenIdentity, side: PageSide, opts: PageRenderOptions = {}): Buffer {
  const quality = opts.quality ?? 88;
  const variant = opts.variant ?? 0;
  const target = opts.targetBytes;
  if (!target) return encodePage(doc, side, Math.round(opts.width ?? 640), variant, quality);
  const probeW = 480;
  const probe = encodePage(doc, side, probeW, variant, quality);
  const bpp = probe.length / (probeW * Math.round(probeW * ASPECT));
  let width = Math.max(200, Math.round(Math.sqrt(target / bpp / ASPECT)));
  let bytes = encodePage(doc, side, width, variant, quality);
  if (bytes.length > target * 1.05 || bytes.length < target * 0.85) {
    width = Math.max(200, Math.round(width * Math.sqrt((target * 0.97) / bytes.length)));
    bytes = encodePage(doc, side, width, variant, quality);
  }
  return padJpeg(bytes, target);
}

export interface SupplementaryPageInput {
  /** Printed in the header, e.g. UTILITY BILL, BANK STATEMENT. */
  documentType: string;
  fullName: string;
  address: string;
  issuer: string;
  date: string;
}

/** A supplementary document (a bill or statement), drawn as a sheet of paper on a desk. */
export function renderSupplementaryPage(input: SupplementaryPageInput, seed: string, opts: PageRenderOptions = {}): Buffer {
  const width = Math.round(opts.width ?? 480);
  const height = Math.round(width * 1.3);
  const u = width / 480;
  const rng = createRng(`supp:${seed}`);
  const r = new Raster(width, height);
  r.verticalGradient(0, 0, width, height, [92, 74, 60], [60, 48, 40]);
  const px = width * 0.08;
  const py = height * 0.04;
  const pw = width * 0.84;
  const ph = height * 0.92;
  r.fillRect(px + 5 * u, py + 6 * u, pw, ph, [20, 15, 10], 0.4);
  r.fillRect(px, py, pw, ph, [250, 250, 246]);
  r.fillRect(px, py, pw, 40 * u, [40, 90, 70]);
  const hs = Math.max(1, Math.round(2 * u));
  r.text(printable(input.issuer), px + 12 * u, py + (40 * u - 7 * hs) / 2, hs, [255, 255, 255]);
  const ts = Math.max(1, Math.round(1.5 * u));
  let y = py + 60 * u;
  for (const line of [printable(input.fullName), ...printable(input.address).split(/,\s*/)]) {
    drawText(r, line, px + 16 * u, y, ts, [30, 30, 35], pw - 32 * u);
    y += 12 * ts;
  }
  y += 16 * u;
  drawText(r, printable(input.documentType.replace(/_/g, ' ')), px + 16 * u, y, hs, [40, 90, 70], pw - 32 * u);
  drawText(r, `DATE ${vizDate(input.date)}`, px + pw * 0.55, y, ts, [60, 60, 70], pw * 0.45 - 16 * u);
  y += 30 * u;
  for (let i = 0; i < 8; i++) {
    r.fillRect(px + 16 * u, y, pw - 32 * u, Math.max(1, u), [200, 200, 200]);
    drawText(r, `ITEM ${i + 1}`, px + 20 * u, y + 6 * u, Math.max(1, Math.round(u)), [70, 70, 80], pw * 0.5);
    drawText(r, `${(rng.int(9000) / 100 + 10).toFixed(2)}`, px + pw * 0.75, y + 6 * u, Math.max(1, Math.round(u)), [70, 70, 80], pw * 0.2);
    y += 22 * u;
  }
  const s = Math.max(2, Math.round(5 * u));
  r.text('SPECIMEN', px + (pw - Raster.textWidth('SPECIMEN', s)) / 2, py + ph * 0.75, s, [200, 30, 40], 0.25);
  r.noise(createRng(`supp-grain:${seed}`), 4);
  return encodeJpeg(r, opts.quality ?? 85);
}

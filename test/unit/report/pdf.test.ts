import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import { buildReportContent } from '../../../main/core/report/content';
import { PRINT_PIXELS } from '../../../main/core/report/print-images';
import { renderReport } from '../../../main/core/report/render';
import { wrappedLines } from '../../../main/core/report/document';
import type { RedactProfile } from '../../../main/core/report/redaction';
import type { ReportInput } from '../../../main/core/report/types';
import { longNote, NOW, reportInputFor, sha256 } from './fixture';
import { bodyText, extractJpegs, normalise, pdfFonts, pdfImages, pdfInfo, pdfLayoutPages, pdfPages, pdfText, renderPngs } from './poppler';

/**
 * Renders real PDFs and reads them back with poppler-utils, as an auditor would. The PDFs and a
 * 60 dpi PNG of every page are kept in test-artifacts/report/ for people to look at.
 */

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'report');
const NOTE = longNote(20_000);

interface Rendered {
  file: string;
  input: ReportInput;
  pages: number;
  text: string;
}

async function render(name: string, input: ReportInput, redact: RedactProfile = 'none'): Promise<Rendered> {
  const content = buildReportContent(input, { redact, commitmentKey: redact === 'none' ? undefined : Buffer.alloc(32, 1), now: NOW, timeZone: 'Europe/London' });
  const { pdf, pages } = await renderReport(content);
  const file = join(ARTIFACTS, `${name}.pdf`);
  writeFileSync(file, pdf);
  renderPngs(file, ARTIFACTS, name);
  return { file, input, pages, text: pdfText(file) };
}

let full: Rendered;
let redacted: Rendered;
let draft: Rendered;
let greek: Rendered;

beforeAll(async () => {
  // A fresh clone has no artefacts folder yet.
  mkdirSync(ARTIFACTS, { recursive: true });
  full = await render('full-approved-20k-notes', reportInputFor({ review: { notes: NOTE } }));
  redacted = await render(
    'redacted-non-latin',
    reportInputFor({
      sessionId: DEMO_SESSION_IDS.nonLatin,
      review: { notes: 'Passport GR0000042 (also typed as GR 000 0042) matches the MRZ. ΕΛΕΝΗ ΠΑΠΑΔΟΠΟΥΛΟΥ, Дмитрий Иванов.' },
    }),
    'numbers',
  );
  draft = await render('draft-rejected', reportInputFor({ sessionId: DEMO_SESSION_IDS.rejectedIdCard, review: { status: 'DRAFT', decision: 'REJECT', decidedAt: undefined } }));
  greek = await render('unredacted-non-latin', reportInputFor({ sessionId: DEMO_SESSION_IDS.nonLatin }));
}, 60_000);

describe('a confirmed record, read back with pdftotext', () => {
  test('session id, decision, every reason text, the face-match score, every media SHA-256', () => {
    const { text, input } = full;
    expect(text).toContain(DEMO_SESSION_IDS.approvedPassport);
    expect(text).toMatch(/Reviewer's decision\s+Approve/);
    for (const r of input.review.reasonCodes) {
      expect(text).toContain(r.code);
      expect(normalise(text)).toContain(r.text);
    }
    expect(text).toContain('confidence score 0.93');
    expect(text).toContain('threshold 0.7');
    const hashes = input.evidence.stored.flatMap((s) => (s.sha256 === undefined ? [] : [s.sha256]));
    expect(hashes.length).toBeGreaterThan(5);
    for (const h of hashes) expect(text).toContain(h);
    expect(text).toContain(input.evidence.manifestHash);
    expect(text).toContain(input.audit.chainHeadHash);
    for (const e of input.audit.entries) expect(text).toContain(e.hash);
  });

  test("Yoti's reason codes and suggestions in words", () => {
    const t = normalise(draft.text);
    expect(t).toContain('EXPIRED_DOCUMENT: The document has expired');
    expect(t).toContain('PHOTO_TOO_BLURRY: The photo is blurry');
    expect(t).toContain('DIFFERENT_PERSON: Different person is detected from ID.');
    expect(t).toContain('confidence score 0.41');
    expect(t).toContain('Confidence score 0.41 is NOT above the threshold 0.7');
  });

  test('the 20,000-character note comes back in full (across pages, footers taken out)', () => {
    expect(NOTE.length).toBe(20_000);
    const body = normalise(bodyText(full.file));
    const note = normalise(NOTE);
    // not toContain: a failure would print both 20,000-character strings
    const at = body.indexOf(note.slice(0, 200));
    expect(at).toBeGreaterThan(0);
    const found = body.slice(at, at + note.length);
    const firstDifference = [...note].findIndex((ch, i) => found[i] !== ch);
    expect(firstDifference, `differs at ${firstDifference}: "${found.slice(Math.max(0, firstDifference - 40), firstDifference + 40)}"`).toBe(-1);
    expect(pdfPages(full.file).filter((p) => p.includes('no sign of tampering was seen')).length).toBeGreaterThan(2);
  });

  test('every page has its footer: page X of Y, the session id and the retain-until date', () => {
    const pages = pdfPages(full.file);
    expect(full.pages).toBeGreaterThan(5);
    expect(pages).toHaveLength(full.pages);
    expect(Number(pdfInfo(full.file).Pages)).toBe(full.pages);
    pages.forEach((p, i) => {
      expect(p).toContain(`Page ${i + 1} of ${full.pages}`);
      expect(p).toContain(`Session ${DEMO_SESSION_IDS.approvedPassport}`);
      expect(p).toContain('Retain until 2031-03-01');
      expect(p).not.toContain('DRAFT');
    });
  });
});

describe('embedded images and fonts', () => {
  test('pdfimages finds one JPEG per thumbnail given, at most the tile at 300 dpi, with nothing of the stored file but its pixels', () => {
    for (const r of [full, greek]) {
      const images = pdfImages(r.file).filter((i) => i.type === 'image');
      expect(images).toHaveLength(r.input.evidence.images.length);
      expect(images.every((i) => i.enc === 'jpeg' && i.width <= PRINT_PIXELS.width && i.height <= PRINT_PIXELS.height)).toBe(true);
      // The demo server marks every image it draws with a JPEG comment: the stored files carry it, the PDF does not.
      const marked = r.input.evidence.images.filter((i) => i.data.includes('SYNTHETIC SPECIMEN'));
      expect(marked.length).toBeGreaterThan(0);
      const extracted = extractJpegs(r.file, join(ARTIFACTS, 'extracted')).map((f) => readFileSync(f));
      expect(extracted).toHaveLength(images.length);
      expect(extracted.filter((j) => j.includes('SYNTHETIC SPECIMEN') || j.includes('Exif\0'))).toEqual([]);
      const stored = new Set(r.input.evidence.images.map((i) => sha256(i.data)));
      expect(extracted.filter((j) => stored.has(sha256(j)))).toEqual([]);
    }
  });

  test('a capture larger than its tile is embedded at its printed size (300 dpi), not as captured', async () => {
    const input = reportInputFor();
    const page = await sharp({ create: { width: 2769, height: 1938, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg({ quality: 90 }).toBuffer();
    const first = input.evidence.images[0]!;
    const big = await render('full-size-capture', { ...input, evidence: { ...input.evidence, images: [{ ...first, data: page, format: 'jpg' }, ...input.evidence.images.slice(1)] } });
    const images = pdfImages(big.file).filter((i) => i.type === 'image');
    expect(images).toHaveLength(input.evidence.images.length);
    for (const i of images) {
      expect(i.width).toBeLessThanOrEqual(PRINT_PIXELS.width);
      expect(i.height).toBeLessThanOrEqual(PRINT_PIXELS.height);
    }
    expect(images.some((i) => i.width === PRINT_PIXELS.width && Math.abs(i.height - (PRINT_PIXELS.width * 1938) / 2769) <= 1)).toBe(true);
    // The noise page is 2.6 MB as captured; its hash in the record is still the stored original's.
    expect(page.length).toBeGreaterThan(2_000_000);
    expect(readFileSync(big.file).length).toBeLessThan(page.length / 4);
  });

  test('pdffonts: only DejaVu, embedded, with a Unicode map', () => {
    for (const r of [full, redacted, draft]) {
      const fonts = pdfFonts(r.file);
      expect(fonts.length).toBeGreaterThanOrEqual(3);
      for (const f of fonts) {
        expect(f.name).toMatch(/^[A-Z]{6}\+DejaVuSans(-Bold|Mono)?$/);
        expect(f.emb).toBe('yes');
        expect(f.uni).toBe('yes');
      }
      expect(new Set(fonts.map((f) => f.name.slice(7)))).toEqual(new Set(['DejaVuSans', 'DejaVuSans-Bold', 'DejaVuSansMono']));
    }
  });

  test('Unicode names extract as written (no boxes)', () => {
    const all = normalise(`${full.text} ${redacted.text} ${greek.text}`);
    for (const name of ['Zoë Ødegård-Łukasiewicz', 'Дмитрий Иванов', 'ΕΛΕΝΗ ΠΑΠΑΔΟΠΟΥΛΟΥ', 'Ελένη Παπαδοπούλου', 'Łódź Ærøskøbing']) {
      expect(all).toContain(name);
    }
    expect(greek.text).toContain('P<UTOPAPADOPOULOU<<ELENI');
  });
});

describe('a redacted export', () => {
  test('contains no full document number anywhere in its text, not even with spaces removed', () => {
    const number = 'GR0000042';
    expect(greek.text).toContain(number);
    const squeezed = redacted.text.replace(/\s+/g, '');
    expect(redacted.text).not.toContain(number);
    expect(squeezed).not.toContain(number);
    expect(squeezed.toUpperCase()).not.toContain(number);
    expect(redacted.text).toContain('GR0•••••2');
    const info = Object.values(pdfInfo(redacted.file)).join(' ');
    expect(info).not.toContain(number);
  });

  test('withholds the document page images and keeps the rest', () => {
    const images = pdfImages(redacted.file).filter((i) => i.type === 'image');
    const pages = redacted.input.summary.media.filter((m) => m.role === 'DOCUMENT_PAGE').length;
    expect(pages).toBe(1);
    expect(images).toHaveLength(redacted.input.evidence.images.length - pages);
    expect(normalise(redacted.text)).toContain('Withheld in the redacted export');
  });
});

describe('a draft', () => {
  test('is marked DRAFT on every page and in the title', () => {
    const pages = pdfPages(draft.file);
    expect(pages).toHaveLength(draft.pages);
    for (const p of pages) {
      expect(p).toContain('DRAFT: no confirmed decision. This is not a review record.');
      expect(p).toMatch(/DRAFT · Session de3c0a11-5e55-4a0d-8e11-000000000002/);
    }
    expect(pages[0]).toContain('DRAFT identity verification review');
    expect(pdfInfo(draft.file).Title).toMatch(/^DRAFT /);
    expect(draft.text).toContain('Reject (not confirmed)');
  });
});

test('a token too long for a line wraps onto lines of its own, with no hyphen added, and extracts whole', async () => {
  const url = `https://evidence.example.com/${'abcdefghij'.repeat(20)}`;
  const r = await render('long-token', reportInputFor({ review: { notes: `See ${url} for the case.` } }));
  expect(normalise(bodyText(r.file)).replace(/\s+/g, '')).toContain(`See${url}forthecase.`);
  // Raw text, line by line: the pieces join back to the token exactly; nothing was inserted between them.
  const raw = pdfText(r.file);
  const start = raw.indexOf('https://evidence.example.com/');
  const piece = raw.slice(start, raw.indexOf('for the case.', start));
  expect(piece.replace(/\s+/g, '')).toBe(url);
  expect(piece.split('\n').filter((l) => l.trim() !== '').length).toBeGreaterThan(1);
});

test('wrappedLines breaks only tokens wider than the column, where they stop fitting, keeping every character', () => {
  const width = (t: string): number => [...t].length * 5; // 5 pt a character: a 100 pt column holds 20
  const id = 'a'.repeat(40) + 'b'.repeat(40);
  const wrapped = wrappedLines(`id ${id} ok`, 100, width);
  expect(wrapped.join('')).toBe(`id ${id} ok`);
  expect(wrapped[0]).toBe(`id ${'a'.repeat(17)}`); // the first piece takes the rest of its line
  expect(wrapped.every((l) => width(l) <= 100)).toBe(true);
  expect(wrappedLines('short words stay as they are, however long the line is', 100, width)).toEqual(['short words stay as they are, however long the line is']);
  expect(wrappedLines('é'.repeat(30), 100, width)).toEqual(['é'.repeat(20), 'é'.repeat(10)]);
});

test('PDF 1.7 with XMP metadata declaring PDF/A-2b, no personal data in it, and an outline of every section with its sub-headings', async () => {
  const r = await render('outline', reportInputFor());
  expect(pdfInfo(r.file)['PDF version']).toBe('1.7');
  const xmp = execFileSync('pdfinfo', ['-meta', r.file], { encoding: 'utf8' });
  expect(xmp).toMatch(/<pdfaid:part>2<\/pdfaid:part>\s*<pdfaid:conformance>B<\/pdfaid:conformance>/);
  for (const personal of ['Eriksson', 'L898902C3', '1974-08-12', 'Zoë']) expect(xmp).not.toContain(personal);
  const outline = (JSON.parse(execFileSync('qpdf', ['--json', '--json-key=outlines', r.file], { encoding: 'utf8' })) as { outlines: Array<{ title: string; kids: Array<{ title: string }> }> }).outlines;
  expect(outline.map((o) => o.title)).toEqual(['Outcome', 'Session', 'Subject and document', "Yoti's results", 'Evidence', 'Review', 'Audit log excerpt']);
  expect(outline.find((o) => o.title === 'Review')?.kids.map((k) => k.title)).toEqual(['Reason codes', "Verdicts on Yoti's checks", 'Evidence viewed', 'Notes (92 characters, in full)']);
});

test('a character the fonts cannot print stops the export, naming its code points, instead of printing garbage', async () => {
  // Egyptian hieroglyphs and a private-use character: no font of the report has them.
  const input = reportInputFor({ review: { notes: 'Name on the card: \u{13000}\u{13001} \u{E000} (checked).' } });
  const content = buildReportContent(input, { redact: 'none', now: NOW, timeZone: 'Europe/London' });
  await expect(renderReport(content)).rejects.toMatchObject({
    code: 'REPORT_UNPRINTABLE',
    kind: 'usage',
    message: "Not exported: the record holds 3 characters the report's fonts cannot print (U+E000, U+13000, U+13001), and a record never prints a character as garbage. Nothing was written.",
  });
});

test('a table that runs over several pages repeats its column heads on each of them', async () => {
  const input = reportInputFor();
  const base = input.audit.entries[1]!;
  input.audit.entries = Array.from({ length: 90 }, (_, i) => ({ ...base, seq: 200 + i, hash: sha256(Buffer.from(`entry ${i}`)) }));
  const r = await render('long-audit-table', input);
  // The pages the audit excerpt is on: from its title to its last entry.
  const pages = pdfLayoutPages(r.file);
  const first = pages.findIndex((p) => p.includes('Audit log excerpt'));
  const last = pages.findIndex((p) => p.includes('#289 '));
  expect(first).toBeGreaterThanOrEqual(0);
  expect(last - first).toBeGreaterThanOrEqual(2);
  const heads = /^\s*At\s+Actor\s+Action\s+Detail\s*$/m;
  for (let i = first; i <= last; i++) {
    const page = pages[i]!;
    expect(page, `page ${i + 1}`).toMatch(heads);
    // The heads come before the page's first entry.
    expect(page.search(heads), `page ${i + 1}`).toBeLessThan(page.search(/#2\d\d /));
  }
  expect(pages.slice(0, first).some((p) => heads.test(p))).toBe(false);
});

test('page images are written for people to look at', () => {
  for (const r of [full, redacted, draft, greek]) {
    const prefix = r.file.replace(/\.pdf$/, '').split('/').at(-1) ?? '';
    const pngs = renderPngs(r.file, ARTIFACTS, prefix);
    expect(pngs).toHaveLength(r.pages);
  }
});

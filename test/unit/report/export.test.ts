import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import { LocalError } from '../../../common/errors';
import { buildReportContent } from '../../../main/core/report/content';
import { exportReport, generateReport } from '../../../main/core/report/export';
import { defaultFontsDir, FONT_FILES } from '../../../main/core/report/fonts';
import { countPdfPages, renderReport } from '../../../main/core/report/render';
import type { AtomicFs } from '../../../main/core/store/atomic';
import type { JsonObject } from '../../../main/core/audit/canonical';
import { longNote, NOW, reportInputFor, sha256 } from './fixture';
import { bodyText, normalise, pdfFonts, pdfImages, pdfInfo, pdfText, renderPngs } from './poppler';

const ROOT = process.cwd();
const ARTIFACTS = join(ROOT, 'test-artifacts', 'report');
const tmp = mkdtempSync(join(tmpdir(), 'idv-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The audit entries an export asked for (the store appends them in the app and the CLI). */
const recorded: JsonObject[] = [];
const record = (data: JsonObject): Promise<void> => {
  recorded.push(data);
  return Promise.resolve();
};

describe('exportReport', () => {
  test('writes the PDF atomically and returns its SHA-256, size and page count', async () => {
    const outFile = join(tmp, 'out', 'record.pdf');
    const result = await exportReport(reportInputFor(), { outFile, redact: 'none', now: NOW, timeZone: 'UTC', record });
    const bytes = readFileSync(outFile);
    const facts = { sha256: sha256(bytes), bytes: bytes.byteLength, pages: Number(pdfInfo(outFile).Pages), draft: false };
    const input = reportInputFor();
    // What verify-report checks the paper against: the version, decision, decider and manifest it printed.
    const printed = { versionId: input.review.versionId, decision: 'APPROVE', decidedBy: input.review.reviewer?.name, decidedAt: input.review.decidedAt, manifestHash: input.evidence.manifestHash };
    expect(result).toEqual({ ...facts, auditData: { ...facts, reportId: expect.any(String), redact: 'none', ...printed } });
    expect(countPdfPages(bytes)).toBe(result.pages);
    expect(readdirSync(join(tmp, 'out'))).toEqual(['record.pdf']);
    if (process.platform !== 'win32') expect(statSync(outFile).mode & 0o777).toBe(0o600);
    expect(recorded.at(-1)).toEqual(result.auditData);
  });

  test('the file appears only once its audit entry is recorded; a failed entry leaves no PDF and the previous file as it was', async () => {
    const dir = join(tmp, 'audited');
    mkdirSync(dir);
    const outFile = join(dir, 'record.pdf');
    let seenBeforeRecord: string[] = [];
    await exportReport(reportInputFor(), {
      outFile,
      redact: 'none',
      now: NOW,
      record: () => {
        seenBeforeRecord = readdirSync(dir).filter((n) => !n.endsWith('.tmp'));
        return Promise.resolve();
      },
    });
    expect(seenBeforeRecord).toEqual([]);
    expect(readdirSync(dir)).toEqual(['record.pdf']);

    writeFileSync(outFile, 'previous');
    const refused = new LocalError('AUDIT_DAMAGED', 'The audit log cannot be trusted.');
    await expect(exportReport(reportInputFor(), { outFile, redact: 'none', now: NOW, record: () => Promise.reject(refused) })).rejects.toBe(refused);
    expect(readFileSync(outFile, 'utf8')).toBe('previous');
    expect(readdirSync(dir)).toEqual(['record.pdf']);
  });

  test('the same input and time give the same bytes (the hash in the audit log can be re-checked)', async () => {
    const a = await exportReport(reportInputFor(), { outFile: join(tmp, 'a.pdf'), redact: 'none', now: NOW, timeZone: 'UTC', record });
    const b = await exportReport(reportInputFor(), { outFile: join(tmp, 'b.pdf'), redact: 'none', now: NOW, timeZone: 'UTC', record });
    expect(b.sha256).toBe(a.sha256);
    expect(pdfInfo(join(tmp, 'a.pdf')).CreationDate).toMatch(/2026/);
  });

  test('generateReport gives the same bytes in memory, for callers that write the file themselves', async () => {
    const outFile = join(tmp, 'mem.pdf');
    const written = await exportReport(reportInputFor(), { outFile, redact: 'none', now: NOW, timeZone: 'UTC', record });
    const mem = await generateReport(reportInputFor(), { redact: 'none', now: NOW, timeZone: 'UTC' });
    expect(mem.pdf.equals(readFileSync(outFile))).toBe(true);
    expect({ sha256: mem.sha256, bytes: mem.bytes, pages: mem.pages, draft: mem.draft, auditData: mem.auditData }).toEqual(written);
  });

  test('a draft says so in the result', async () => {
    const outFile = join(tmp, 'draft.pdf');
    const result = await exportReport(reportInputFor({ review: { status: 'DRAFT' } }), { outFile, redact: 'numbers', now: NOW, record });
    expect(result.draft).toBe(true);
    expect(pdfText(outFile)).toContain('DRAFT: no confirmed decision');
  });

  test('a full disk leaves the previous file as it was and nothing else', async () => {
    const dir = join(tmp, 'full-disk');
    mkdirSync(dir);
    const outFile = join(dir, 'record.pdf');
    writeFileSync(outFile, 'previous');
    const failing: AtomicFs = {
      ...nodeFs,
      open: async (path, flags, mode) => {
        const handle = await nodeFs.open(path, flags, mode);
        if (flags !== 'wx') return handle;
        return {
          writeFile: () => Promise.reject(Object.assign(new Error('no space'), { code: 'ENOSPC' })),
          sync: () => handle.sync(),
          close: () => handle.close(),
        };
      },
    };
    await expect(exportReport(reportInputFor(), { outFile, redact: 'none', now: NOW, record, fs: failing })).rejects.toMatchObject({ code: 'DISK_FULL' });
    expect(readFileSync(outFile, 'utf8')).toBe('previous');
    expect(readdirSync(dir)).toEqual(['record.pdf']);
  });
});

describe('fonts', () => {
  test('found in assets/fonts from the source tree and from a bundle under out/', () => {
    const fonts = join(ROOT, 'assets', 'fonts');
    expect(defaultFontsDir()).toBe(fonts);
    expect(defaultFontsDir(join(ROOT, 'out', 'cli'))).toBe(fonts);
    expect(readFileSync(join(fonts, 'LICENSE'), 'utf8')).toContain('Bitstream');
    expect(() => defaultFontsDir(tmpdir())).toThrow(LocalError);
  });

  test('a fonts folder can be passed (the packaged app passes resources/fonts); a missing one is a clear error', async () => {
    const dir = join(tmp, 'resources', 'fonts');
    mkdirSync(dir, { recursive: true });
    for (const f of Object.values(FONT_FILES)) copyFileSync(join(ROOT, 'assets', 'fonts', f), join(dir, f));
    const outFile = join(tmp, 'custom-fonts.pdf');
    await exportReport(reportInputFor(), { outFile, redact: 'none', now: NOW, record, fontsDir: dir });
    expect(pdfFonts(outFile).every((f) => f.emb === 'yes' && f.name.includes('DejaVuSans'))).toBe(true);
    const content = buildReportContent(reportInputFor(), { redact: 'none', now: NOW });
    await expect(renderReport(content, { fontsDir: join(tmp, 'nowhere') })).rejects.toMatchObject({ code: 'REPORT_FONTS_MISSING' });
  });
});

test('a large export: every image of a demo session at realistic size (≈1 MB pages) and 20,000-character notes', async () => {
  const note = longNote(20_000);
  const input = reportInputFor({
    sessionId: DEMO_SESSION_IDS.rejectedIdCard,
    media: { pageTargetBytes: 1_000_000, pageFrames: 3, idPhotoFormat: 'png' },
    allImages: true,
    review: { status: 'CONFIRMED', decision: 'REJECT', notes: note },
  });
  const imageBytes = input.evidence.images.reduce((a, i) => a + i.data.byteLength, 0);
  expect(imageBytes).toBeGreaterThan(2_000_000);
  mkdirSync(ARTIFACTS, { recursive: true });
  const outFile = join(ARTIFACTS, 'large-export.pdf');
  const started = performance.now();
  const result = await exportReport(input, { outFile, redact: 'none', now: NOW, timeZone: 'Europe/London', record });
  const ms = performance.now() - started;
  // reported, never asserted: the benchmark measures it
  console.log(
    `large export: ${input.evidence.images.length} images (${(imageBytes / 1e6).toFixed(1)} MB), ${result.pages} pages, ` +
      `${(result.bytes / 1e6).toFixed(1)} MB PDF in ${ms.toFixed(0)} ms`,
  );
  expect(pdfImages(outFile).filter((i) => i.type === 'image')).toHaveLength(input.evidence.images.length);
  const text = normalise(bodyText(outFile));
  expect(text).toContain(normalise(note).slice(-500));
  for (const s of input.evidence.stored) if (s.sha256) expect(text).toContain(s.sha256);
  expect(renderPngs(resolve(outFile), ARTIFACTS, 'large-export')).toHaveLength(result.pages);
}, 120_000);

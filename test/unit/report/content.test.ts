import { describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import { UsageError } from '../../../common/errors';
import { buildReportContent, DRAFT_BANNER, isDraftReview, SECTION_ORDER } from '../../../main/core/report/content';
import { toDocumentFields } from '../../../main/core/report/document-fields';
import { ageOn, environmentWords, expiryWords, formatDuration, formatInstant, parseCalendarDate } from '../../../main/core/report/format';
import { sniffImage } from '../../../main/core/report/images';
import { MASK_CHAR, maskIdentifier } from '../../../main/core/report/mask';
import type { FieldRow, ReportBlock, ReportContent, ReportInput, ReportSectionId, TableRow } from '../../../main/core/report/types';
import { NOW, reportInputFor } from './fixture';

const opts = { redact: 'none', now: NOW, timeZone: 'Europe/Berlin' } as const;

function section(c: ReportContent, id: ReportSectionId): ReportBlock[] {
  const s = c.sections.find((x) => x.id === id);
  if (!s) throw new Error(`no section ${id}`);
  return s.blocks;
}
/** The block after the review's "Notes" heading. */
function notesOf(review: ReportBlock[]): ReportBlock | undefined {
  return review[review.findIndex((b) => b.kind === 'heading' && b.text.startsWith('Notes')) + 1];
}
function fieldRows(blocks: ReportBlock[]): FieldRow[] {
  return blocks.flatMap((b) => (b.kind === 'fields' ? b.rows : []));
}
function field(blocks: ReportBlock[], label: string): string {
  const row = fieldRows(blocks).find((r) => r.label === label);
  if (!row) throw new Error(`no field ${label}`);
  return row.value;
}
function tableRows(blocks: ReportBlock[], firstColumn: string): TableRow[] {
  return blocks.flatMap((b) => (b.kind === 'table' && b.columns[0]?.title === firstColumn ? b.rows : []));
}
/** Every string of the content (image bytes left out). */
const allText = (c: ReportContent): string => JSON.stringify(c, (k, v: unknown) => (k === 'data' ? undefined : v));

describe('masking', () => {
  test('keeps at most the first 3 and the last 1 characters, hides at least half, keeps the length', () => {
    expect(maskIdentifier('L898902C3')).toBe('L89•••••3');
    expect(maskIdentifier('AB1234')).toBe('AB•••4');
    expect(maskIdentifier('SAMPL803018RS9AB')).toBe(`SAM${MASK_CHAR.repeat(12)}B`);
    expect(maskIdentifier('123')).toBe('••3');
    expect(maskIdentifier('12')).toBe('••');
    expect(maskIdentifier('')).toBe('');
    for (let n = 1; n <= 40; n++) {
      const v = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefgh'.slice(0, n);
      const m = maskIdentifier(v);
      expect(Array.from(m)).toHaveLength(n);
      const shown = Array.from(m).filter((c) => c !== MASK_CHAR).length;
      expect(shown).toBeLessThanOrEqual(4);
      expect(shown * 2).toBeLessThanOrEqual(n);
      const prefix = Math.max(0, shown - 1);
      expect(prefix).toBeLessThanOrEqual(3);
      expect(m.slice(0, prefix)).toBe(v.slice(0, prefix));
      if (shown > 0) expect(m.at(-1)).toBe(v.at(-1));
    }
  });

  test('a redacted export masks every MRZ character but the fillers; the check-digit table hides the digits over the number', () => {
    const input = reportInputFor();
    const c = buildReportContent(input, { ...opts, redact: 'numbers', commitmentKey: Buffer.alloc(32, 7) });
    const mrz = section(c, 'subject').flatMap((b) => (b.kind === 'mrz' ? b.lines : []));
    expect(mrz).toHaveLength(2);
    for (const l of mrz) expect(l).toMatch(/^[•<]{44}$/);
    const checks = tableRows(section(c, 'subject'), 'Check digit');
    expect(checks.find((r) => r.cells[0] === 'Document number')?.cells.slice(2, 4)).toEqual(['•', '•']);
    expect(checks.find((r) => r.cells[0] === 'Date of birth')?.cells[2]).toMatch(/^\d$/);
  });
});

describe('formatting', () => {
  test('age in whole years; born on 29 February ages on 1 March in other years', () => {
    const leap = parseCalendarDate('2000-02-29')!;
    expect(ageOn(leap, { y: 2025, m: 2, d: 28 })).toBe(24);
    expect(ageOn(leap, { y: 2025, m: 3, d: 1 })).toBe(25);
    expect(ageOn(leap, { y: 2028, m: 2, d: 29 })).toBe(28);
    expect(ageOn(parseCalendarDate('1974-08-12')!, { y: 2026, m: 8, d: 11 })).toBe(51);
    expect(ageOn(parseCalendarDate('1974-08-12')!, { y: 2026, m: 8, d: 12 })).toBe(52);
    expect(parseCalendarDate('2025-02-29')).toBeUndefined();
  });

  test('days to expiry; a document is valid through its expiry day', () => {
    const on = { y: 2026, m: 3, d: 1 };
    expect(expiryWords({ y: 2026, m: 3, d: 2 }, on)).toEqual({ text: 'valid for 1 more day (as of 2026-03-01)', expired: false });
    expect(expiryWords({ y: 2026, m: 3, d: 1 }, on).expired).toBe(false);
    expect(expiryWords({ y: 2026, m: 2, d: 28 }, on)).toEqual({ text: 'EXPIRED 1 day before 2026-03-01', expired: true });
    expect(expiryWords({ y: 2012, m: 4, d: 15 }, on).text).toBe('EXPIRED 5,068 days before 2026-03-01');
  });

  test('where the session came from', () => {
    expect(environmentWords('https://api.yoti.com/idverify/v1')).toBe('Yoti production');
    expect(environmentWords('https://api.yoti.com/idverify/v1/')).toBe('Yoti production');
    expect(environmentWords('https://api.yoti.com/sandbox/idverify/v1')).toBe('Yoti sandbox');
    expect(environmentWords('http://127.0.0.1:43111/idverify/v1')).toBe('local demo server');
    expect(environmentWords('http://localhost:8080/idverify/v1')).toBe('local demo server');
    expect(environmentWords('http://[::1]:8080/idverify/v1')).toBe('local demo server');
    expect(environmentWords('https://yoti.example.com/idverify/v1')).toBe('custom endpoint (not Yoti production)');
    expect(environmentWords('not a url')).toBe('unrecognised endpoint (not a URL)');
  });

  test('times in UTC and local time; durations', () => {
    expect(formatInstant('2026-03-01T10:07:47Z', 'Europe/Berlin')).toBe('2026-03-01 10:07:47 UTC (local 2026-03-01 11:07:47 GMT+1)');
    expect(formatInstant('2026-07-01T23:30:00Z', 'Europe/London')).toBe('2026-07-01 23:30:00 UTC (local 2026-07-02 00:30:00 GMT+1)');
    expect(formatInstant(undefined, 'UTC')).toBe('Not recorded');
    expect(formatInstant('garbage', 'UTC')).toBe('garbage');
    expect(formatDuration(402)).toBe('6 min 42 s');
    expect(formatDuration(3725)).toBe('1 h 02 min 05 s');
  });

  test('an unknown time zone is a usage error', () => {
    expect(() => buildReportContent(reportInputFor(), { ...opts, timeZone: 'Mars/Olympus' })).toThrow(UsageError);
  });
});

describe('buildReportContent', () => {
  test("Yoti's tasks are listed with their state, creation time and what they generated", () => {
    const input = reportInputFor();
    expect(input.summary.tasks.length).toBeGreaterThan(0);
    const yoti = section(buildReportContent(input, opts), 'yoti');
    const heading = yoti.findIndex((b) => b.kind === 'heading' && b.text === `Tasks (${input.summary.tasks.length})`);
    const table = yoti[heading + 1];
    expect(table).toMatchObject({ kind: 'table', columns: [{ title: 'Resource' }, { title: 'Task' }, { title: 'State' }, { title: 'Created at Yoti' }] });
    const row = table?.kind === 'table' ? table.rows[0] : undefined;
    const task = input.summary.tasks[0]!;
    expect(row?.cells[0]).toBe(task.resource);
    expect(row?.cells[1]).toContain(task.type.text);
    expect(row?.sub?.[0]?.text).toMatch(/^\d+ checks?, \d+ media items?$/);
  });

  test('the media table says how each page was captured (an upload stands out) and when Yoti created each item', () => {
    const input = reportInputFor();
    const page = input.summary.media.find((m) => m.role === 'DOCUMENT_PAGE')!;
    page.captureMethod = 'UPLOAD';
    page.created = '2026-02-26T12:01:00Z';
    const evidence = section(buildReportContent(input, opts), 'evidence');
    const table = evidence.find((b): b is Extract<ReportBlock, { kind: 'table' }> => b.kind === 'table' && b.columns[0]?.title === 'Item');
    const row = table?.rows.find((r) => r.cells[0] === page.label);
    expect(row?.cells[1]).toContain('UPLOADED by the person (not a live capture)');
    expect(row?.tone).toBe('warn');
    expect(row?.sub?.find((x) => x.label === 'At Yoti')?.text).toBe('created 2026-02-26 12:01:00 UTC (local 2026-02-26 13:01:00 GMT+1)');
  });

  test("each check says when Yoti created it and last updated it", () => {
    const input = reportInputFor();
    const check = input.summary.checks[0]!;
    check.created = '2026-02-26T12:01:00Z';
    check.lastUpdated = '2026-02-26T12:03:00Z';
    const yoti = section(buildReportContent(input, opts), 'yoti');
    expect(fieldRows(yoti).find((r) => r.label === 'At Yoti')?.value).toBe(
      'created 2026-02-26 12:01:00 UTC (local 2026-02-26 13:01:00 GMT+1), last updated 2026-02-26 12:03:00 UTC (local 2026-02-26 13:03:00 GMT+1)',
    );
  });

  test('every superseded decision is printed whole (decision, reviewer, reasons, notes, why it changed), then the attestation', () => {
    const input = reportInputFor();
    input.review.superseded = [
      { versionId: 'rv-0000', decision: 'REJECT', reviewer: { name: 'Rosa Reviewer', osAccount: 'rosa' }, decidedAt: '2026-03-01T09:30:00Z', reasonCodes: [{ code: 'DOCUMENT_EXPIRED', text: 'The document has expired' }], notes: 'Looked expired.', changedBecause: 'the expiry date was misread' },
    ];
    input.review.draftSaves = 4;
    const review = section(buildReportContent(input, opts), 'review');
    const table = review.find((b): b is Extract<ReportBlock, { kind: 'table' }> => b.kind === 'table' && b.columns[1]?.title === 'Decision');
    expect(review.some((b) => b.kind === 'heading' && b.text === 'Earlier decisions (1, superseded)')).toBe(true);
    expect(table?.rows[0]?.cells).toEqual(['2026-03-01 09:30:00 UTC (local 2026-03-01 10:30:00 GMT+1)', 'Reject (superseded)', 'Rosa Reviewer (rosa)', 'rv-0000']);
    expect(table?.rows[0]?.sub?.map((x) => `${x.label}: ${x.text}`)).toEqual([
      'Reasons: DOCUMENT_EXPIRED: The document has expired',
      'Notes: Looked expired.',
      'Changed: because: the expiry date was misread',
    ]);
    expect(review.some((b) => b.kind === 'text' && b.text.startsWith('4 draft saves'))).toBe(true);
    const last = review.at(-1);
    expect(last).toMatchObject({ kind: 'callout', text: expect.stringMatching(/^Attestation: Zoë Ødegård-Łukasiewicz confirmed this decision in IDV Review Console on the evidence listed above/) });
  });

  test('every document field Yoti sent is printed: names, country of birth, aliases, the address as an address; withheld in full redaction', () => {
    const input = reportInputFor();
    const doc = input.documentFields[0]!;
    doc.json = {
      ...doc.json,
      first_name: 'Anna',
      middle_name: 'Maria',
      country_of_birth: 'UTO',
      aliases: ['Ann E.', 'A. Eriksson'],
      structured_postal_address: { address_line1: '1 Main Street', town_city: 'Zenith', postal_code: 'ZE1 2AB', formatted_address: '1 Main Street\nZenith\nZE1 2AB' },
      tax_number: 'TX1234567',
    };
    const subject = section(buildReportContent(input, opts), 'subject');
    expect(field(subject, 'First name')).toBe('Anna');
    expect(field(subject, 'Middle name')).toBe('Maria');
    expect(field(subject, 'Country of birth')).toBe('UTO');
    expect(field(subject, 'Aliases')).toBe('Ann E.; A. Eriksson');
    expect(field(subject, 'Structured postal address')).toBe('1 Main Street\nZenith\nZE1 2AB');
    expect(field(subject, 'Tax number')).toBe('TX1234567');
    const numbers = section(buildReportContent(input, { ...opts, redact: 'numbers', commitmentKey: Buffer.alloc(32, 1) }), 'subject');
    expect(field(numbers, 'Tax number')).not.toContain('TX1234567');
    const full = section(buildReportContent(input, { ...opts, redact: 'full', commitmentKey: Buffer.alloc(32, 1) }), 'subject');
    for (const label of ['First name', 'Middle name', 'Aliases', 'Structured postal address', 'Tax number']) expect(field(full, label)).not.toMatch(/Anna|Maria|Main Street|TX1234567|Eriksson/);
  });

  test('sections in a fixed order, title block, footer', () => {
    const c = buildReportContent(reportInputFor(), opts);
    expect(c.sections.map((s) => s.id)).toEqual([...SECTION_ORDER]);
    expect(c.draft).toBe(false);
    expect(c.draftBanner).toBeUndefined();
    expect(c.title).toBe('Identity verification review record');
    expect(c.header.find((r) => r.label === 'Generated (UTC)')?.value).toBe('2026-03-01 12:00:00 UTC');
    expect(c.header.find((r) => r.label === 'Generated (local)')?.value).toBe('2026-03-01 13:00:00 GMT+1 (Europe/Berlin)');
    expect(c.header.find((r) => r.label === 'Generated offline')?.value).toMatch(/^Yes/);
    expect(c.footer).toEqual({ sessionId: DEMO_SESSION_IDS.approvedPassport, retainUntil: '2031-03-01', classification: 'Confidential: contains personal data' });
    expect(field(section(c, 'session'), 'Environment')).toBe('local demo server');
    expect(field(section(c, 'outcome'), "Reviewer's decision")).toBe('Approve');
    // Yoti's response has no created or completed time: both derived, and labelled so.
    expect(field(section(c, 'session'), 'Created (derived)')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d.*, the earliest time Yoti gives for a resource, task, check or media item$/);
    expect(field(section(c, 'session'), 'Completed (derived)')).toMatch(/, the last update Yoti gives for a check or task$/);
  });

  test('anything but a confirmed decision is a draft, marked as one', () => {
    const cases: Array<[Partial<ReportInput['review']>, boolean]> = [
      [{ status: 'CONFIRMED', decision: 'REJECT' }, false],
      [{ status: 'DRAFT', decision: 'REJECT' }, true],
      [{ status: 'NONE', decision: undefined }, true],
      [{ status: 'CONFIRMED', decision: undefined }, true],
    ];
    for (const [review, draft] of cases) {
      const input = reportInputFor({ review });
      expect(isDraftReview(input.review)).toBe(draft);
      const c = buildReportContent(input, opts);
      expect(c.draft).toBe(draft);
      if (draft) {
        expect(c.title).toMatch(/^DRAFT/);
        expect(c.draftBanner).toBe(DRAFT_BANNER);
        expect(c.info.title).toMatch(/^DRAFT/);
        expect(field(section(c, 'outcome'), 'Decided')).toBe('Not decided');
        expect(section(c, 'outcome')[0]).toMatchObject({ kind: 'callout', tone: 'bad' });
      }
    }
  });

  test('subject: age at review, days to expiry, document number, MRZ check digits, fields vs MRZ', () => {
    const c = buildReportContent(reportInputFor(), opts);
    const subject = section(c, 'subject');
    expect(field(subject, 'Full name')).toBe('Anna Maria Eriksson');
    expect(field(subject, 'Date of birth')).toBe('1974-08-12: aged 51 at review (2026-03-01)');
    expect(field(subject, 'Document number')).toBe('L898902C3');
    expect(field(subject, 'Date of expiry')).toBe('2031-04-15: valid for 1,871 more days (as of 2026-03-01)');
    const mrz = subject.find((b) => b.kind === 'mrz');
    expect(mrz).toMatchObject({ kind: 'mrz', lines: ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', expect.stringMatching(/^L898902C36UTO7408122F/)] });
    const digits = tableRows(subject, 'Check digit');
    expect(digits.map((r) => [r.cells[0], r.cells[4]])).toEqual([
      ['Document number', 'Valid'],
      ['Date of birth', 'Valid'],
      ['Date of expiry', 'Valid'],
      ['Personal number / optional data', 'Valid'],
      ['Composite (whole zone)', 'Valid'],
    ]);
    const viz = tableRows(subject, 'Field');
    expect(viz.every((r) => r.cells[3]?.startsWith('Match'))).toBe(true);
  });

  test('an expired document and a changed MRZ show as such; age and expiry count to the decision day', () => {
    const input = reportInputFor({ sessionId: DEMO_SESSION_IDS.rejectedIdCard, review: { status: 'CONFIRMED', decision: 'REJECT', decidedAt: '2025-08-11T22:30:00Z' } });
    const doc = input.documentFields[0]!;
    const line1 = doc.fields.mrz!.line1!;
    doc.fields.mrz!.line1 = `${line1.slice(0, 5)}E${line1.slice(6)}`; // D → E changes the weighted sum by 7
    const subject = section(buildReportContent(input, opts), 'subject');
    // 22:30 UTC is already 12 August in Berlin: the birthday counts
    expect(field(subject, 'Date of birth')).toBe('1974-08-12: aged 51 at review (2025-08-12)');
    expect(field(subject, 'Date of expiry')).toMatch(/^2012-04-15: EXPIRED 4,867 days before 2025-08-12$/);
    const digits = tableRows(subject, 'Check digit');
    expect(digits.filter((r) => r.cells[4] === 'INVALID').map((r) => r.cells[0])).toEqual(['Document number', 'Composite (whole zone)']);
    expect(subject.some((b) => b.kind === 'callout' && /INVALID/.test(b.text))).toBe(true);
    expect(tableRows(subject, 'Field').find((r) => r.cells[0] === 'Document number')?.cells[3]).toBe('DIFFERS');
  });

  test("Yoti's results: every check with recommendation, reason and recovery in words, sub-checks, face match, liveness", () => {
    const input = reportInputFor({ sessionId: DEMO_SESSION_IDS.rejectedIdCard });
    const c = buildReportContent(input, opts);
    const yoti = section(c, 'yoti');
    const text = allText(c);
    expect(text).toContain('EXPIRED_DOCUMENT: The document has expired');
    expect(text).toContain('PHOTO_TOO_BLURRY: The photo is blurry');
    expect(text).toContain('DIFFERENT_PERSON: Different person is detected from ID.');
    expect(text).toContain('BETTER_FOCUS');
    expect(fieldRows(yoti).filter((r) => r.label === 'Recommendation')).toHaveLength(5);
    const bar = yoti.find((b) => b.kind === 'scoreBar');
    expect(bar).toMatchObject({ score: 0.41, threshold: 0.7, scoreText: '0.41', tone: 'bad' });
    expect(tableRows(yoti, 'Attempt').map((r) => r.cells[3])).toEqual(['Reject', 'Approve']);
    const sub = tableRows(yoti, 'Sub-check').find((r) => r.cells[0]?.includes('document_in_date'));
    expect(sub?.cells[1]).toBe('Fail');
    expect(yoti.filter((b) => b.kind === 'callout')).toHaveLength(input.summary.warnings.length);
  });

  test('evidence: a tile per document page, photo and liveness frame; not-captured frames listed; every media item with its hash', () => {
    const input = reportInputFor();
    const c = buildReportContent(input, opts);
    const evidence = section(c, 'evidence');
    const images = evidence.find((b) => b.kind === 'images');
    if (images?.kind !== 'images') throw new Error('no images');
    expect(images.tiles.filter((t) => t.image !== undefined)).toHaveLength(input.evidence.images.length);
    expect(images.tiles.map((t) => t.caption)).toEqual(['Document 1 page 1', 'Document 1 ID photo', 'Liveness 1 frame 1', 'Liveness 1 frame 2', 'Liveness 1 frame 3']);
    expect(evidence.some((b) => b.kind === 'text' && b.text === 'Not captured (empty at Yoti): Liveness 1 frame 4; Liveness 1 frame 5; Liveness 1 frame 6; Liveness 1 frame 7.')).toBe(true);
    const rows = tableRows(evidence, 'Item');
    for (const s of input.evidence.stored) {
      expect(rows.some((r) => r.sub?.some((x) => x.text === s.sha256))).toBe(true);
      expect(rows.some((r) => r.sub?.some((x) => x.text === s.mediaId))).toBe(true);
    }
    expect(field(evidence, 'Evidence manifest hash')).toBe(input.evidence.manifestHash);
  });

  test('images: bytes decide the format; unreadable bytes become a captioned gap', () => {
    const input = reportInputFor({ sessionId: DEMO_SESSION_IDS.nonLatin });
    const png = input.evidence.images.find((i) => i.format === 'png')!;
    png.format = 'jpg';
    const broken = input.evidence.images.find((i) => i.format === 'jpg' && i !== png)!;
    broken.data = broken.data.subarray(0, 40);
    const tiles = section(buildReportContent(input, opts), 'evidence').flatMap((b) => (b.kind === 'images' ? b.tiles : []));
    expect(tiles.find((t) => t.image?.data === png.data)?.image?.format).toBe('png');
    expect(tiles.filter((t) => t.placeholder?.startsWith('The stored image could not be read'))).toHaveLength(1);
    expect(sniffImage(Buffer.from('not an image at all, not at all.............'))).toBeUndefined();
  });

  test('review: reviewer, times, time on task, tools, decision, reason codes with meanings, verdicts, notes in full', () => {
    const notes = 'Line one\n\n\tindented line\r\nlast';
    const input = reportInputFor({ review: { notes } });
    const review = section(buildReportContent(input, opts), 'review');
    expect(field(review, 'Reviewer')).toBe('Zoë Ødegård-Łukasiewicz');
    expect(field(review, 'OS account')).toBe('zoe.reviewer');
    expect(field(review, 'Time on task')).toBe('6 min 42 s (elapsed: clock time from the start of this decision, the first opening or the first save after the previous decision, to its confirmation; not a measure of active work)');
    expect(field(review, 'Active time')).toBe('Not measured');
    const measured = reportInputFor();
    measured.review.activeSeconds = 125;
    expect(field(section(buildReportContent(measured, opts), 'review'), 'Active time')).toMatch(/^2 min 0?5 s \(measured by the app: the window focused and visible, with input within the last minute\)$/);
    expect(field(review, 'Decision')).toBe('Approve');
    expect(tableRows(review, 'Code').map((r) => r.cells)).toEqual([
      ['DOC_GENUINE', 'The document shows no sign of forgery or tampering', 'Console'],
      ['FACE_MATCHES', 'The face on the document matches the person in the liveness frames', 'Console'],
    ]);
    const verdicts = tableRows(review, 'Check');
    expect(verdicts.map((r) => r.cells[2])).toEqual(['Agree', 'OVERRIDE', 'Agree', 'Agree']);
    expect(verdicts[1]?.sub?.[0]?.text).toMatch(/overridden/);
    expect(tableRows(review, 'Item').map((r) => r.cells[1])).toEqual(['zoom, filters (brightness, contrast, invert)', 'zoom, side-by-side compare', 'zoom']);
    expect(review.some((b) => b.kind === 'text' && b.text.startsWith('Not opened by the reviewer: Liveness 1 frame 2; Liveness 1 frame 3'))).toBe(true);
    expect(notesOf(review)).toEqual({ kind: 'text', text: 'Line one\n\n\tindented line\nlast' });

    const noActive = section(buildReportContent(reportInputFor({ review: { timeOnTaskSeconds: undefined } }), opts), 'review');
    expect(field(noActive, 'Time on task')).toBe('7 min 42 s (from first opened to decided)');
  });

  test('review: what the decision was made against, and every guardrail override; typed reasons scrubbed in a redacted export', () => {
    const context = {
      via: 'app' as const,
      yotiResult: 'REJECT',
      yotiResultText: 'Reject: Face match reject',
      status: 'Yoti is still working: 1 check of 3 not done yet.',
      warnings: [{ severity: 'critical' as const, text: 'Face match: Yoti rejects' }],
      faceMatchThreshold: 0.75,
      beforeComplete: 'urgent: the account opening closes today',
      overridesYoti: true,
      contradictedReasons: [{ code: 'DOCUMENT_EXPIRED', fact: 'Document 1 is in date by its printed expiry date' }],
      unviewed: ['Document 1 page 2'],
      changeReason: 'a second look at the face match',
      decidedOver: { reviewer: 'rosa', decision: 'REJECT', reason: 'the expiry date was misread' },
    };
    const review = section(buildReportContent(reportInputFor({ review: { context } }), opts), 'review');
    expect(field(review, 'Where decided')).toBe('Made in the app.');
    expect(field(review, 'At decision time')).toBe("Yoti's result at the time: Reject: Face match reject; 1 warning. Face-match threshold in force: 0.75.");
    const overrides = review.flatMap((b) => (b.kind === 'fields' ? b.rows.filter((r) => r.label === 'Override').map((r) => r.value) : []));
    expect(overrides).toEqual([
      'Decided before Yoti had finished (Yoti is still working: 1 check of 3 not done yet). Why: urgent: the account opening closes today',
      "Approved over Yoti's result or its warnings: the notes say why.",
      'Reason DOCUMENT_EXPIRED kept although Document 1 is in date by its printed expiry date (acknowledged).',
      'Decided without viewing: Document 1 page 2 (acknowledged).',
      'Reason for the change: a second look at the face match',
      "Decided over rosa's REJECT in the team database. Why: the expiry date was misread",
    ]);
    // A record made before guardrails existed has none of these rows.
    expect(fieldRows(section(buildReportContent(reportInputFor(), opts), 'review')).some((r) => r.label === 'Where decided')).toBe(false);
    // Typed reasons are scrubbed like the notes in a redacted export.
    const typed = reportInputFor({
      review: { context: { ...context, beforeComplete: 'passport L898902C3 seen by video', changeReason: 'card L898902C3', decidedOver: { ...context.decidedOver, reason: 'L898902C3 is in date' } } },
    });
    const redacted = section(buildReportContent(typed, { ...opts, redact: 'numbers', commitmentKey: Buffer.alloc(32, 7) }), 'review');
    const rows = fieldRows(redacted).filter((r) => r.label === 'Override').map((r) => r.value).join('\n');
    expect(rows).toContain('Why: passport [masked] seen by video');
    expect(rows).toContain("Decided over rosa's REJECT in the team database. Why: [masked] is in date");
    expect(rows).not.toContain('L898902C3');
  });

  test('audit excerpt: entries with their hashes, and the chain head', () => {
    const input = reportInputFor();
    const audit = section(buildReportContent(input, opts), 'audit');
    const rows = tableRows(audit, 'At');
    expect(rows.map((r) => r.cells[2])).toEqual(['session.fetched', 'session.opened', 'decision.confirmed']);
    expect(rows.map((r) => r.sub?.[0]?.text)).toEqual(input.audit.entries.map((e) => e.hash));
    expect(field(audit, 'Chain head hash')).toBe(input.audit.chainHeadHash);
    expect(field(audit, 'Entries')).toBe('3 entries for this session, of 240 in the log');
  });

  test('a redacted export holds no full document or personal number anywhere, and withholds document pages', () => {
    const input = reportInputFor({
      review: { notes: 'The number L898902C3 matches the MRZ (l898 902 c3); personal number ZE184226B.' },
    });
    input.review.checkVerdicts[0]!.note = 'Number L898902C3 checked.';
    input.audit.entries[0]!.detail = 'fields of L898902C3 stored';
    const full = allText(buildReportContent(input, opts));
    expect(full).toContain('L898902C3');
    const c = buildReportContent(input, { ...opts, redact: 'numbers', commitmentKey: Buffer.alloc(32, 7) });
    const text = allText(c);
    for (const secret of ['L898902C3', 'ZE184226B']) {
      expect(text).not.toContain(secret);
      expect(text.replace(/[^A-Za-z0-9]/g, '').toUpperCase()).not.toContain(secret);
    }
    expect(text).toContain('L89•••••3');
    expect(field(section(c, 'subject'), 'Document number')).toBe('L89•••••3 (masked in this export)');
    const tiles = section(c, 'evidence').flatMap((b) => (b.kind === 'images' ? b.tiles : []));
    expect(tiles.find((t) => t.caption === 'Document 1 page 1')).toMatchObject({ placeholder: expect.stringMatching(/^Withheld/) });
    expect(tiles.filter((t) => t.image !== undefined)).toHaveLength(input.evidence.images.length - 1);
    expect(c.header.find((r) => r.label === 'Export')?.value).toMatch(/^Redacted/);
  });

  test('a session without document fields or checks still builds', () => {
    const input = reportInputFor({ sessionId: DEMO_SESSION_IDS.ongoing, review: { status: 'NONE', decision: undefined, notes: '' } });
    const c = buildReportContent(input, opts);
    expect(c.draft).toBe(true);
    expect(notesOf(section(c, 'review'))).toEqual({ kind: 'text', text: 'No notes.' });
  });
});

test('toDocumentFields keeps the documented string fields and the MRZ lines, nothing else', () => {
  expect(
    toDocumentFields({
      full_name: 'Дмитрий Иванов',
      date_of_birth: '1990-01-02',
      document_number: 42,
      extra: 'x',
      mrz: { type: 2, line1: 'P<', line2: '', line3: 7 },
    }),
  ).toEqual({ full_name: 'Дмитрий Иванов', date_of_birth: '1990-01-02', mrz: { type: 2, line1: 'P<' } });
  expect(toDocumentFields(null)).toEqual({});
  expect(toDocumentFields([1])).toEqual({});
});

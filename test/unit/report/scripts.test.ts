import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildReportContent } from '../../../main/core/report/content';
import { registerReportFonts } from '../../../main/core/report/fonts';
import { renderReport } from '../../../main/core/report/render';
import { NOW, reportInputFor } from './fixture';
import { pdfFonts, renderPngs } from './poppler';

/*
 * Every script a reviewer's note or name may hold prints as itself: each sample comes back from
 * pdftotext exactly as written (NFC), and every font it needed is embedded.
 */
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'report');
/** Twelve scripts and emoji, each given back exactly. */
const SAMPLES: Record<string, string> = {
  Polish: 'Łódź, Zażółć gęślą jaźń',
  Greek: 'Ελένη Παπαδοπούλου',
  Cyrillic: 'Дмитрий Иванов',
  Vietnamese: 'Nguyễn Thị Minh Khai',
  Hebrew: 'שלום עולם',
  Arabic: 'محمد عبد الله',
  Chinese: '张伟，身份证已核对',
  Japanese: 'やまだ たろう、カタカナ',
  Korean: '김민준 신분증 확인',
  Hindi: 'राम कुमार',
  Tamil: 'தமிழ் நாடு',
  Thai: 'สมชาย ใจดี',
  Emoji: '✅ 👍 🔍',
};
const BENGALI = 'আমার সোনার বাংলা';

describe('a note and a reviewer name in every script', () => {
  test('come back from pdftotext exactly as written, with every font embedded', async () => {
    const notes = [...Object.entries(SAMPLES).map(([script, text]) => `${script}: ${text}`), `Bengali: ${BENGALI}`].join('\n');
    const input = reportInputFor({ review: { notes, reviewer: { name: `${SAMPLES.Chinese!.slice(0, 2)} ${SAMPLES.Hindi}`, osAccount: 'reviewer' } } });
    const content = buildReportContent(input, { redact: 'none', now: NOW, timeZone: 'Europe/London' });
    const { pdf } = await renderReport(content);
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'scripts.pdf');
    writeFileSync(file, pdf);
    renderPngs(file, ARTIFACTS, 'scripts');
    // poppler wraps right-to-left runs in directional embedding marks of its own.
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/[\u202a-\u202e]/g, '').normalize('NFC');
    const lost = Object.entries(SAMPLES).filter(([, sample]) => !text.includes(sample.normalize('NFC')));
    expect(lost.map(([script]) => script)).toEqual([]);
    expect(text).toContain(`${SAMPLES.Chinese!.slice(0, 2)} ${SAMPLES.Hindi}`);
    // Printed right (see scripts-*.png), but pdfkit writes no ActualText, so poppler gives a pre-base
    // vowel sign in the order it is drawn: every character comes back, ো as its two drawn halves.
    const bengali = text.split('\n').find((l) => l.startsWith('Bengali: '))?.slice('Bengali: '.length) ?? '';
    expect([...bengali.normalize('NFD')].sort()).toEqual([...BENGALI.normalize('NFD')].sort());
    const fonts = pdfFonts(file);
    expect(fonts.length).toBeGreaterThan(4);
    expect(fonts.filter((f) => f.emb !== 'yes' || f.uni !== 'yes')).toEqual([]);
  });
});

describe('a record takes only the fonts its characters need', () => {
  const codePoints = (text: string): number[] => [...text].map((c) => c.codePointAt(0)!);
  const set = registerReportFonts();

  test('a Latin, Greek, Cyrillic, Hebrew or Arabic record uses DejaVu alone (no fallback font is read)', () => {
    const fonts = set.forCodePoints(codePoints([SAMPLES.Polish, SAMPLES.Greek, SAMPLES.Cyrillic, SAMPLES.Hebrew, SAMPLES.Arabic].join(' ')));
    expect(fonts.sans).toEqual(['DejaVuSans']);
    expect(fonts.mono).toEqual(['DejaVuSansMono']);
  });

  test('a Chinese name adds the CJK collection, a Hindi note Devanagari, emoji the emoji font, nothing else', () => {
    expect(set.forCodePoints(codePoints(SAMPLES.Chinese!)).sans).toEqual(['DejaVuSans', 'NotoSansCJK']);
    expect(set.forCodePoints(codePoints(`${SAMPLES.Hindi} ok`)).sans).toEqual(['DejaVuSans', 'NotoSansDevanagari']);
    const emoji = set.forCodePoints(codePoints('👍'));
    expect(emoji.sans).toHaveLength(2);
    expect(emoji.sans[1]).toMatch(/^NotoEmoji-/);
  });
});

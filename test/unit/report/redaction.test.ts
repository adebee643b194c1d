import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { DEMO_SESSION_IDS } from '../../../main/core/demo-server/demo-sessions';
import { generateReport, type GeneratedReport } from '../../../main/core/report/export';
import { MASK_CHAR } from '../../../main/core/report/mask';
import { commitment, fieldValuesOf, FREE_TEXT_MASK, maskedJson, redactor, type RedactProfile } from '../../../main/core/report/redaction';
import type { ReportInput } from '../../../main/core/report/types';
import { documentFieldsMedia, NOW, reportInputFor } from './fixture';
import { normalise, pdfText, renderPngs } from './poppler';

/**
 * The recovery attack of the compliance review, run against real redacted PDFs: for each candidate
 * document number consistent with the masked one, rebuild the document fields JSON, hash it and look
 * for that hash among every 64-hex string (and 12-hex prefix) of the PDF's text. A redacted export must
 * give nothing away; the same attack on a full export finds the number (so the attack is real).
 */

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'report');
const SESSION = DEMO_SESSION_IDS.rejectedIdCard;
const OTHER = DEMO_SESSION_IDS.approvedPassport;
const FIELDS = documentFieldsMedia(SESSION);
const OTHER_FIELDS = documentFieldsMedia(OTHER);
const NUMBER = FIELDS.json.document_number as string;
const OTHER_NUMBER = OTHER_FIELDS.json.document_number as string;
const MRZ = FIELDS.json.mrz as { line1: string; line2: string; line3: string };
const NOTE = [
  `Card ${NUMBER} expired; also typed as ${NUMBER.slice(0, 3)} ${NUMBER.slice(3, 6)} ${NUMBER.slice(6)} and ${NUMBER.toLowerCase()}.`,
  `The same person's passport ${OTHER_NUMBER} is in session ${OTHER}.`,
  'MRZ as I read it:',
  MRZ.line1,
  MRZ.line2,
  `Born ${FIELDS.json.date_of_birth as string} in ${FIELDS.json.place_of_birth as string}; Anna Eriksson signed.`,
  'Unknown reference AB12CD34EF typed by the subject.',
].join('\n');

function input(): ReportInput {
  const i = reportInputFor({ sessionId: SESSION, review: { notes: NOTE, decision: 'REJECT' } });
  i.knownValues = fieldValuesOf(OTHER_FIELDS.json);
  return i;
}

interface Made {
  file: string;
  made: GeneratedReport;
  text: string;
}

async function make(name: string, profile: RedactProfile): Promise<Made> {
  const made = await generateReport(input(), { redact: profile, now: NOW, timeZone: 'Europe/London' });
  const file = join(ARTIFACTS, `${name}.pdf`);
  writeFileSync(file, made.pdf);
  renderPngs(file, ARTIFACTS, name);
  return { file, made, text: pdfText(file) };
}

/** Every document number with the shape the redacted PDF shows (`D23•••••0`: the hidden characters as digits). */
function candidates(masked: string): string[] {
  const hidden = Array.from(masked).filter((c) => c === MASK_CHAR).length;
  const out: string[] = [];
  for (let n = 0; n < 10 ** hidden; n++) {
    const digits = String(n).padStart(hidden, '0');
    let k = 0;
    out.push(Array.from(masked, (c) => (c === MASK_CHAR ? (digits[k++] ?? '0') : c)).join(''));
  }
  return out;
}

/** The attack: the candidate whose rebuilt fields JSON hashes to a hex string printed in the PDF. */
function recover(text: string): string[] {
  const printed = new Set<string>();
  for (const m of text.matchAll(/[0-9a-f]{12,64}/g)) {
    printed.add(m[0]);
    printed.add(m[0].slice(0, 12));
  }
  const json = FIELDS.bytes.toString('utf8');
  const found: string[] = [];
  for (const c of candidates(`${NUMBER.slice(0, 3)}${MASK_CHAR.repeat(NUMBER.length - 4)}${NUMBER.slice(-1)}`)) {
    const h = createHash('sha256').update(json.replace(NUMBER, c)).digest('hex');
    if (printed.has(h) || printed.has(h.slice(0, 12))) found.push(c);
  }
  return found;
}

/** The raw PDF with every stream decompressed (qpdf --qdf), as text in latin1 and as UTF-16BE strings. */
function rawBytes(file: string): string {
  const out = join(ARTIFACTS, 'qdf.tmp.pdf');
  execFileSync('qpdf', ['--qdf', '--object-streams=disable', file, out]);
  return readFileSync(out).toString('latin1');
}
const utf16 = (s: string): string => Buffer.from(s, 'utf16le').swap16().toString('latin1');
const hexUtf16 = (s: string): string => Buffer.from(s, 'utf16le').swap16().toString('hex');

let full: Made;
let numbers: Made;
let fullRedaction: Made;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  full = await make('attack-unredacted', 'none');
  numbers = await make('attack-redact-numbers', 'numbers');
  fullRedaction = await make('attack-redact-full', 'full');
}, 120_000);

describe('the recovery attack', () => {
  test('finds the number in a full export (the attack works)', () => {
    expect(recover(full.text)).toEqual([NUMBER]);
  });

  test('recovers nothing from --redact numbers or --redact full', () => {
    expect(recover(numbers.text)).toEqual([]);
    expect(recover(fullRedaction.text)).toEqual([]);
  });

  test('the decompressed bytes hold no number, MRZ line or (full) personal value', () => {
    const secretsNumbers = [NUMBER, OTHER_NUMBER, MRZ.line1, MRZ.line2, MRZ.line3, 'AB12CD34EF'];
    const personal = ['Eriksson', 'Anna Maria', FIELDS.json.date_of_birth as string, FIELDS.json.place_of_birth as string];
    for (const [made, secrets] of [
      [numbers, secretsNumbers],
      [fullRedaction, [...secretsNumbers, ...personal]],
    ] as const) {
      const raw = rawBytes(made.file);
      const text = normalise(made.text);
      for (const s of secrets) {
        expect(raw).not.toContain(s);
        expect(raw).not.toContain(utf16(s));
        expect(raw.toLowerCase()).not.toContain(hexUtf16(s));
        expect(text).not.toContain(s);
      }
    }
    // The full profile's text holds no name at all; numbers keeps them (that is its promise).
    expect(normalise(numbers.text)).toContain('Anna Maria Eriksson');
    expect(normalise(fullRedaction.text)).not.toMatch(/Eriksson|ERIKSSON/);
  });
});

describe('what a redacted export says', () => {
  test('how many values were masked, what the commitments are and how they are checked', () => {
    const text = normalise(numbers.text);
    expect(text).toMatch(/Masked in free text \d+ values/);
    const count = Number(/Masked in free text (\d+) values/.exec(text)?.[1]);
    // number ×3 spellings, the other session's number, 2 MRZ lines, the session-id and reference shaped tokens
    expect(count).toBeGreaterThanOrEqual(6);
    expect(text).toContain('HMAC-SHA256(key, "idv-review|commitment|v1|"');
    expect(text).toContain('idv-review verify-report');
    expect(text).toContain(FREE_TEXT_MASK);
    expect(text).not.toMatch(/SHA-256 [0-9a-f]{64}/);
  });

  test('every commitment is HMAC-SHA256 under the key recorded only in the audit data', () => {
    const key = Buffer.from(numbers.made.auditData.commitmentKey as string, 'hex');
    expect(key).toHaveLength(32);
    expect(numbers.made.auditData).toMatchObject({ redact: 'numbers', sha256: numbers.made.sha256 });
    expect(numbers.text).not.toContain(key.toString('hex'));
    const i = input();
    const text = normalise(numbers.text.replace(/-\n/g, '-'));
    for (const s of i.evidence.stored) {
      if (s.sha256 === undefined) continue;
      expect(text).toContain(commitment(key, s.mediaId, s.sha256));
      expect(text).not.toContain(s.sha256);
    }
    // A fresh key per export: two exports of the same record print different commitments.
    expect(fullRedaction.made.auditData.commitmentKey).not.toBe(numbers.made.auditData.commitmentKey);
    expect(full.made.auditData).not.toHaveProperty('commitmentKey');
  });
});

describe('free text', () => {
  const r = redactor('numbers', fieldValuesOf({ document_number: 'L898902C3', personal_number: 'ZE184226B', full_name: 'Anna Eriksson' }));

  test('known numbers in any spelling, MRZ lines and number-shaped words are masked and counted', () => {
    const out = r.freeText('See l898 902-c3, ZE184226B and P<UTOERIKSSON<<ANNA; code XY99ZZ11 but not 2026-12-03 or the word passport.');
    expect(out.text).toBe('See [masked], [masked] and [masked]; code [masked] but not 2026-12-03 or the word passport.');
    expect(out.count).toBe(4);
    expect(r.freeText('Anna Eriksson').text).toBe('Anna Eriksson');
  });

  test('the full profile also masks names (whole and by word) and dates of birth in their usual spellings', () => {
    const f = redactor('full', fieldValuesOf({ full_name: 'Anna Eriksson', date_of_birth: '1974-08-12' }));
    expect(f.freeText('eriksson, born 12/08/1974 (1974-08-12)').text).toBe('[masked], born [masked] ([masked])');
    // Over the structured record only whole values: a label word is never hit.
    expect(f.known('Anna Eriksson, 1974-08-12, Annapolis')).toBe('[masked], [masked], Annapolis');
  });
});

describe("Yoti's JSON shown masked", () => {
  test('the session\'s field values wherever they appear and every string under a personal key are masked; ids, types and structure stay', () => {
    const known = fieldValuesOf({ document_number: 'L898902C3', full_name: 'Anna Maria Eriksson', date_of_birth: '1974-08-12' });
    const session = {
      session_id: 'de3c0a11-5e55-4a0d-8e11-000000000001',
      state: 'COMPLETED',
      checks: [
        {
          id: 'c1',
          type: 'WATCHLIST_SCREENING',
          report: { breakdown: [{ sub_check: 'x', details: [{ name: 'matched', value: 'Anna Maria Eriksson' }, { name: 'doc', value: 'L898902C3' }] }] },
        },
      ],
      identity_profile: { report: { given_names: 'Anna Maria', date_of_birth: '1974-08-12', score: 0.9, ok: true, empty: '' } },
    };
    const { json, masked } = maskedJson(session, known);
    expect(json).toEqual({
      ...session,
      checks: [{ ...session.checks[0], report: { breakdown: [{ sub_check: 'x', details: [{ name: 'matched', value: FREE_TEXT_MASK }, { name: 'doc', value: 'L89•••••3' }] }] } }],
      identity_profile: { report: { given_names: FREE_TEXT_MASK, date_of_birth: FREE_TEXT_MASK, score: 0.9, ok: true, empty: '' } },
    });
    expect(masked).toBe(4);
    // Nothing known and no personal key: nothing changes.
    expect(maskedJson({ session_id: 's', checks: [] }, fieldValuesOf({}))).toEqual({ json: { session_id: 's', checks: [] }, masked: 0 });
  });
});

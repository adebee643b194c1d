import { describe, expect, test } from 'vitest';
import {
  buildTd1,
  buildTd2,
  buildTd3,
  mrzCheckDigit,
  mrzDateToIso,
  toMrzText,
  verifyMrz,
  type MrzFields,
  type MrzResult,
  type MrzVerification,
} from '../../../common/mrz';

// Every vector from shared/docs/review-console-notes.md §4 (ICAO Doc 9303 specimens, fictional state UTO).
const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const TD1 = ['I<UTOD231458907<<<<<<<<<<<<<<<', '7408122F1204159UTO<<<<<<<<<<<6', 'ERIKSSON<<ANNA<MARIA<<<<<<<<<<'];
const TD2 = ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'];

function ok(v: MrzVerification): MrzResult {
  if ('error' in v) throw new Error(v.error);
  return v;
}
const digits = (r: MrzResult): Record<string, { expected: string; actual: string; ok: boolean }> =>
  Object.fromEntries(r.checks.map((c) => [c.name, { expected: c.expected, actual: c.actual, ok: c.ok }]));

const anna: MrzFields = {
  documentCode: 'P',
  issuingState: 'UTO',
  surname: 'Eriksson',
  givenNames: 'Anna Maria',
  documentNumber: 'L898902C3',
  nationality: 'UTO',
  dateOfBirth: '1974-08-12',
  sex: 'F',
  expiryDate: '2012-04-15',
  optionalData: 'ZE184226B',
};

describe('mrzCheckDigit: the worked vectors', () => {
  test.each([
    ['L898902C3', 6],
    ['740812', 2],
    ['120415', 9],
    ['ZE184226B<<<<<', 1],
    ['D23145890', 7],
    ['<<<<<<<<<', 0],
  ])('%s → %i', (s, d) => {
    expect(mrzCheckDigit(s)).toBe(d);
  });

  test('L898902C3 weighting walk-through sums to 316', () => {
    // values 21 8 9 8 9 0 2 12 3 × 7 3 1 … = 316
    expect(mrzCheckDigit('L898902C3')).toBe(316 % 10);
  });

  test('rejects characters outside A–Z, 0–9, <', () => {
    expect(() => mrzCheckDigit('l898')).toThrow(RangeError);
    expect(() => mrzCheckDigit('A B')).toThrow(RangeError);
  });
});

describe('verifyMrz: ICAO specimens', () => {
  test('TD3 specimen: doc 6, dob 2, exp 9, optional 1, composite 0', () => {
    const r = ok(verifyMrz(TD3));
    expect(r.format).toBe('TD3');
    expect(r.valid).toBe(true);
    expect(digits(r)).toEqual({
      document_number: { expected: '6', actual: '6', ok: true },
      date_of_birth: { expected: '2', actual: '2', ok: true },
      expiry: { expected: '9', actual: '9', ok: true },
      optional: { expected: '1', actual: '1', ok: true },
      composite: { expected: '0', actual: '0', ok: true },
    });
    expect(r).toMatchObject({
      documentCode: 'P',
      issuingState: 'UTO',
      surname: 'ERIKSSON',
      givenNames: 'ANNA MARIA',
      documentNumber: 'L898902C3',
      nationality: 'UTO',
      dateOfBirth: '740812',
      sex: 'F',
      expiryDate: '120415',
      optionalData: 'ZE184226B',
    });
    const composite = r.checks.find((c) => c.name === 'composite');
    expect(composite).toMatchObject({ line: 1, index: 43 });
  });

  test('TD1 specimen: doc 7, dob 2, exp 9, composite 6', () => {
    const r = ok(verifyMrz(TD1));
    expect(r.format).toBe('TD1');
    expect(r.valid).toBe(true);
    expect(digits(r)).toEqual({
      document_number: { expected: '7', actual: '7', ok: true },
      date_of_birth: { expected: '2', actual: '2', ok: true },
      expiry: { expected: '9', actual: '9', ok: true },
      composite: { expected: '6', actual: '6', ok: true },
    });
    expect(r).toMatchObject({ documentNumber: 'D23145890', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', nationality: 'UTO', longDocumentNumber: false });
  });

  test('TD2 specimen: doc 7, dob 2, exp 9, composite 6', () => {
    const r = ok(verifyMrz(TD2));
    expect(r.format).toBe('TD2');
    expect(r.valid).toBe(true);
    expect(digits(r)).toEqual({
      document_number: { expected: '7', actual: '7', ok: true },
      date_of_birth: { expected: '2', actual: '2', ok: true },
      expiry: { expected: '9', actual: '9', ok: true },
      composite: { expected: '6', actual: '6', ok: true },
    });
    expect(r.documentNumber).toBe('D23145890');
  });

  test('negative: L898902C3 → L898902C4 fails the document-number digit and the composite', () => {
    const tampered = [TD3[0]!, TD3[1]!.replace('L898902C3', 'L898902C4')];
    const r = ok(verifyMrz(tampered));
    expect(r.valid).toBe(false);
    const d = digits(r);
    expect(d.document_number).toEqual({ expected: mrzCheckDigit('L898902C4').toString(), actual: '6', ok: false });
    expect(d.composite!.ok).toBe(false);
    expect(d.date_of_birth!.ok).toBe(true);
    expect(d.expiry!.ok).toBe(true);
    expect(d.optional!.ok).toBe(true);
  });

  test('shape and character errors', () => {
    expect(verifyMrz([])).toHaveProperty('error');
    expect(verifyMrz([TD3[0]!])).toHaveProperty('error');
    expect(verifyMrz([TD3[0]!, TD3[1]!.slice(0, 43)])).toHaveProperty('error');
    expect(verifyMrz([TD3[0]!, TD3[1]!.replace('L', 'l')])).toHaveProperty('error');
  });

  test('surrounding whitespace is tolerated', () => {
    expect(ok(verifyMrz([` ${TD3[0]!}`, `${TD3[1]!}\n`])).valid).toBe(true);
  });

  test('an all-filler personal number may carry < as its check digit', () => {
    const [l1, l2] = buildTd3({ ...anna, optionalData: '' });
    expect(l2.slice(28, 43)).toBe('<<<<<<<<<<<<<<0');
    const filler = `${l2.slice(0, 42)}<${l2.charAt(43)}`;
    // the composite covers position 43 too, so recompute it for the `<` variant
    const body = filler.slice(0, 43);
    const composite = String(mrzCheckDigit(body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43)));
    const r = ok(verifyMrz([l1, body + composite]));
    expect(r.checks.find((c) => c.name === 'optional')!.ok).toBe(true);
    expect(r.valid).toBe(true);
  });
});

describe('builders reproduce the specimens and round-trip', () => {
  test('buildTd3 reproduces the TD3 specimen exactly', () => {
    expect(buildTd3(anna)).toEqual(TD3);
  });

  test('buildTd1 reproduces the TD1 specimen exactly', () => {
    expect(buildTd1({ ...anna, documentCode: 'I', documentNumber: 'D23145890', optionalData: '', optionalData2: '' })).toEqual(TD1);
  });

  test('buildTd2 reproduces the TD2 specimen exactly', () => {
    expect(buildTd2({ ...anna, documentCode: 'I', documentNumber: 'D23145890', optionalData: '' })).toEqual(TD2);
  });

  test('TD1 long document number variant (over 9 characters) builds and verifies', () => {
    const lines = buildTd1({ ...anna, documentCode: 'ID', documentNumber: 'D23145890123', optionalData: 'X1', optionalData2: '' });
    expect(lines[0]).toHaveLength(30);
    expect(lines[0].charAt(14)).toBe('<');
    expect(lines[0].slice(15, 19)).toBe(`123${mrzCheckDigit('D23145890123')}`);
    const r = ok(verifyMrz(lines));
    expect(r.valid).toBe(true);
    expect(r.longDocumentNumber).toBe(true);
    expect(r.documentNumber).toBe('D23145890123');
    expect(r.optionalData).toBe('X1');
    expect(r.checks[0]).toMatchObject({ name: 'document_number', line: 0, index: 18, ok: true });

    // tamper the overflow: the number check and the composite both fail
    const bad = [lines[0].slice(0, 15) + '124' + lines[0].slice(18), lines[1], lines[2]];
    const rb = ok(verifyMrz(bad));
    expect(rb.valid).toBe(false);
    expect(rb.checks.find((c) => c.name === 'document_number')!.ok).toBe(false);
  });

  test('TD2 long document number variant', () => {
    const lines = buildTd2({ ...anna, documentCode: 'I', documentNumber: 'AB1234567890', optionalData: '' });
    const r = ok(verifyMrz(lines));
    expect(r).toMatchObject({ valid: true, longDocumentNumber: true, documentNumber: 'AB1234567890' });
  });

  test('TD3 refuses a document number over 9 characters', () => {
    expect(() => buildTd3({ ...anna, documentNumber: 'L898902C31' })).toThrow(RangeError);
  });

  test('names are transliterated and truncated to fit', () => {
    expect(toMrzText('Παπαδοπούλου')).toBe('PAPADOPOULOU');
    expect(toMrzText('Ελένη')).toBe('ELENI');
    expect(toMrzText('Иванова')).toBe('IVANOVA');
    expect(toMrzText('Щукин')).toBe('SHCHUKIN');
    expect(toMrzText("O'Brien-Smith")).toBe('OBRIEN<SMITH');
    expect(toMrzText('Müller')).toBe('MUELLER');
    expect(toMrzText('José')).toBe('JOSE');
    const [l1] = buildTd3({ ...anna, surname: 'Wolfeschlegelsteinhausenbergerdorff', givenNames: 'Hubert Blaine Charles' });
    expect(l1).toHaveLength(44);
    expect(l1.startsWith('P<UTOWOLFESCHLEGELSTEINHAUSENBERGERDORFF<<')).toBe(true);
  });

  test('every built MRZ verifies (seeded sweep)', () => {
    for (let i = 0; i < 50; i++) {
      const f: MrzFields = {
        ...anna,
        documentNumber: `X${(i * 7919).toString(36).toUpperCase()}`.slice(0, 9),
        dateOfBirth: `19${50 + (i % 49)}-0${1 + (i % 9)}-1${i % 9}`,
        expiryDate: `20${30 + (i % 9)}-1${i % 3}-2${i % 9}`,
        sex: (['M', 'F', 'X'] as const)[i % 3]!,
      };
      expect(ok(verifyMrz(buildTd3(f))).valid).toBe(true);
      expect(ok(verifyMrz(buildTd2({ ...f, optionalData: '' }))).valid).toBe(true);
      expect(ok(verifyMrz(buildTd1({ ...f, optionalData: '' }))).valid).toBe(true);
    }
  });
});

describe('mrzDateToIso', () => {
  const today = new Date('2026-03-01T00:00:00Z');
  test('birth dates pivot on today, expiry is 20YY', () => {
    expect(mrzDateToIso('740812', 'birth', today)).toBe('1974-08-12');
    expect(mrzDateToIso('250101', 'birth', today)).toBe('2025-01-01');
    expect(mrzDateToIso('270101', 'birth', today)).toBe('1927-01-01');
    expect(mrzDateToIso('120415', 'expiry', today)).toBe('2012-04-15');
  });
  test('29 February only in leap years; garbage is undefined', () => {
    expect(mrzDateToIso('000229', 'birth', today)).toBe('2000-02-29');
    expect(mrzDateToIso('010229', 'birth', today)).toBeUndefined();
    expect(mrzDateToIso('12AB15', 'expiry', today)).toBeUndefined();
  });
});

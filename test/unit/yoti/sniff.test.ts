import { describe, expect, test } from 'vitest';
import { checkMediaType, normaliseContentType, sniffMediaType } from '../../../main/core/yoti/sniff';
import { bytes } from './support/fault-server';

const b = (...xs: number[]): Buffer => Buffer.from(xs);
const t = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('sniffMediaType', () => {
  test.each([
    ['JPEG', bytes.jpeg, 'image/jpeg'],
    ['bare JPEG SOI + marker', b(0xff, 0xd8, 0xff), 'image/jpeg'],
    ['PNG', bytes.png, 'image/png'],
    ['PDF', bytes.pdf, 'application/pdf'],
    ['JSON object', bytes.json, 'application/json'],
    ['JSON array', t('[1,2,3]'), 'application/json'],
    ['JSON after whitespace', t(' \r\n\t{"a":1}\n'), 'application/json'],
    ['JSON after a UTF-8 BOM', Buffer.concat([b(0xef, 0xbb, 0xbf), t('{"a":"é"}')]), 'application/json'],
    ['JSON after BOM and whitespace', Buffer.concat([b(0xef, 0xbb, 0xbf), t('\n [ ]')]), 'application/json'],
  ] as const)('%s', (_name, input, expected) => {
    expect(sniffMediaType(input)).toBe(expected);
  });

  test.each([
    ['empty', b()],
    ['two JPEG bytes only', b(0xff, 0xd8)],
    ['truncated PNG signature', b(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a)],
    ['"%PDF" without dash', t('%PDF')],
    ['PDF magic not at offset 0', t(' %PDF-1.7')],
    ['HTML', bytes.html],
    ['SVG', bytes.svg],
    ['GIF', t('GIF89a')],
    ['WebP', Buffer.concat([t('RIFF'), b(0, 0, 0, 0), t('WEBP')])],
    ['JSON string (not object/array)', t('"hello"')],
    ['JSON number', t('42')],
    ['brace but not JSON', t('{not json}')],
    ['JSON followed by HTML (polyglot)', t('{"a":1}<script>alert(1)</script>')],
    ['invalid UTF-8 inside JSON', Buffer.concat([t('{"a":"'), b(0xff, 0xfe), t('"}')])],
    ['UTF-16 BOM JSON', Buffer.concat([b(0xff, 0xfe), Buffer.from('{}', 'utf16le')])],
    ['plain text', t('hello world')],
  ] as const)('%s → null', (_name, input) => {
    expect(sniffMediaType(input)).toBeNull();
  });
});

describe('normaliseContentType', () => {
  test.each([
    ['image/jpeg', 'image/jpeg'],
    ['Image/JPEG', 'image/jpeg'],
    ['application/json; charset=UTF-8', 'application/json'],
    ['  image/png ; q=1', 'image/png'],
    ['', null],
    [';charset=utf-8', null],
    [undefined, null],
  ] as const)('%j → %j', (input, expected) => {
    expect(normaliseContentType(input)).toBe(expected);
  });

  test('takes the first of repeated headers', () => {
    expect(normaliseContentType(['image/png', 'text/html'])).toBe('image/png');
  });
});

describe('checkMediaType', () => {
  test('no declared type: the sniffed type is used', () => {
    expect(checkMediaType(undefined, bytes.png)).toEqual({ ok: true, mimeType: 'image/png', declaredType: null, sniffedType: 'image/png' });
  });

  test('no declared type and unknown bytes: MEDIA_TYPE_UNKNOWN', () => {
    expect(checkMediaType(undefined, bytes.html)).toMatchObject({ ok: false, code: 'MEDIA_TYPE_UNKNOWN' });
    expect(checkMediaType('', b())).toMatchObject({ ok: false, code: 'MEDIA_TYPE_UNKNOWN' });
    expect(checkMediaType(undefined, b(), 'IMAGE')).toMatchObject({ ok: false, code: 'MEDIA_TYPE_UNKNOWN' });
  });

  test('no declared type, unknown bytes, and the session declares the item BINARY (a facemap): opaque bytes', () => {
    expect(checkMediaType(undefined, b(), 'BINARY')).toEqual({ ok: true, mimeType: 'application/octet-stream', declaredType: null, sniffedType: null });
    // A declared type still rules: BINARY in the session does not let a disguised one through.
    expect(checkMediaType('text/html', bytes.html, 'BINARY')).toMatchObject({ ok: false, code: 'MEDIA_TYPE_NOT_ALLOWED' });
  });

  test.each([
    ['image/jpeg', bytes.jpeg],
    ['image/png', bytes.png],
    ['application/pdf', bytes.pdf],
    ['application/json; charset=utf-8', bytes.json],
  ] as const)('declared %s matching the bytes is accepted', (declared, input) => {
    const verdict = checkMediaType(declared, input);
    expect(verdict.ok).toBe(true);
    if (verdict.ok) expect(verdict.mimeType).toBe(verdict.sniffedType);
  });

  test.each([
    ['image/jpeg', bytes.html, null],
    ['image/jpeg', bytes.svg, null],
    ['image/jpeg', bytes.png, 'image/png'],
    ['image/png', bytes.pdf, 'application/pdf'],
    ['application/pdf', bytes.json, 'application/json'],
    ['application/json', bytes.jpeg, 'image/jpeg'],
    ['image/png', b(), null],
  ] as const)('declared %s with other bytes is a MEDIA_TYPE_MISMATCH', (declared, input, sniffed) => {
    expect(checkMediaType(declared, input)).toEqual({ ok: false, code: 'MEDIA_TYPE_MISMATCH', declaredType: declared, sniffedType: sniffed });
  });

  test('application/octet-stream is accepted as opaque bytes, whatever they sniff as', () => {
    expect(checkMediaType('application/octet-stream', b(1, 2, 3))).toEqual({
      ok: true,
      mimeType: 'application/octet-stream',
      declaredType: 'application/octet-stream',
      sniffedType: null,
    });
    expect(checkMediaType('Application/Octet-Stream', bytes.jpeg)).toMatchObject({ ok: true, mimeType: 'application/octet-stream', sniffedType: 'image/jpeg' });
  });

  test.each(['text/html', 'image/svg+xml', 'image/gif', 'image/jpg', 'text/plain', 'multipart/mixed', 'application/xhtml+xml'])(
    'declared %s is MEDIA_TYPE_NOT_ALLOWED, even with image bytes',
    (declared) => {
      expect(checkMediaType(declared, bytes.jpeg)).toMatchObject({ ok: false, code: 'MEDIA_TYPE_NOT_ALLOWED', declaredType: declared });
    },
  );
});

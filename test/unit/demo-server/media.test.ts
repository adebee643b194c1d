import { crc32, inflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { describe, expect, test } from 'vitest';
import { verifyMrz } from '../../../common/mrz';
import { documentFieldsObject, specimenMrzLines, syntheticIdentity } from '../../../main/core/demo-server/media/document-fields';
import { FACEMAP_MARKER, generateFacemap } from '../../../main/core/demo-server/media/facemap';
import { canRender, glyphFor } from '../../../main/core/demo-server/media/font';
import { padJpeg, SYNTHETIC_COMMENT } from '../../../main/core/demo-server/media/jpeg';
import { renderLivenessFrame } from '../../../main/core/demo-server/media/liveness-frames';
import { encodePng } from '../../../main/core/demo-server/media/png';
import { renderPortrait, renderPortraitRaster } from '../../../main/core/demo-server/media/portrait';
import { Raster } from '../../../main/core/demo-server/media/raster';
import { renderDocumentPage, renderSupplementaryPage } from '../../../main/core/demo-server/media/specimen-document';
import { createRng, seededUuid } from '../../../main/core/demo-server/random';

const decode = (bytes: Uint8Array) => jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });

/** Minimal PNG reader: checks signature and every CRC, inflates IDAT and undoes the filters. */
function readPng(bytes: Buffer): { width: number; height: number; colourType: number; rgba: Uint8Array } {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let off = 8;
  let width = 0;
  let height = 0;
  let colourType = -1;
  const idat: Buffer[] = [];
  const types: string[] = [];
  while (off < bytes.length) {
    const len = bytes.readUInt32BE(off);
    const type = bytes.subarray(off + 4, off + 8).toString('latin1');
    const data = bytes.subarray(off + 8, off + 8 + len);
    expect(bytes.readUInt32BE(off + 8 + len), `CRC of ${type}`).toBe(crc32(bytes.subarray(off + 4, off + 8 + len)) >>> 0);
    types.push(type);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect(data[8]).toBe(8);
      colourType = data[9]!;
    }
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  expect(types[0]).toBe('IHDR');
  expect(types[types.length - 1]).toBe('IEND');
  const channels = colourType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  expect(raw.length).toBe((stride + 1) * height);
  const rgba = new Uint8Array(width * height * 4);
  const prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= channels ? line[i - channels]! : 0;
      const b = prev[i]!;
      line[i] = (filter === 0 ? x : filter === 1 ? x + a : filter === 2 ? x + b : NaN) & 0xff;
    }
    expect([0, 1, 2]).toContain(filter);
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) rgba[(y * width + x) * 4 + c] = line[x * channels + c]!;
      rgba[(y * width + x) * 4 + 3] = channels === 4 ? line[x * channels + 3]! : 255;
    }
    prev.set(line);
  }
  return { width, height, colourType, rgba };
}

const anna = syntheticIdentity('t', {
  givenNames: 'Anna Maria',
  familyName: 'Eriksson',
  documentNumber: 'L898902C3',
  dateOfBirth: '1974-08-12',
  gender: 'FEMALE',
  nationality: 'UTO',
  expirationDate: '2031-04-15',
  personalNumber: 'ZE184226B',
});

describe('JPEG media decode to the declared size', () => {
  test('document pages (front, back, frame variant)', () => {
    for (const [side, variant] of [['front', 0], ['back', 0], ['front', 1]] as const) {
      const bytes = renderDocumentPage(anna, side, { width: 500, variant });
      const img = decode(bytes);
      expect([img.width, img.height]).toEqual([500, 350]);
      expect(bytes.includes(Buffer.from(SYNTHETIC_COMMENT))).toBe(true);
    }
  });

  test('targetBytes lands close to the requested size (and decodes)', () => {
    const bytes = renderDocumentPage(anna, 'front', { targetBytes: 250_000 });
    expect(bytes.length).toBeGreaterThanOrEqual(250_000 * 0.95);
    expect(bytes.length).toBeLessThanOrEqual(250_000 * 1.06);
    const img = decode(bytes);
    expect(img.width).toBeGreaterThan(640);
    expect(img.height).toBe(Math.round(img.width * 0.7));
  });

  test('padJpeg pads exactly with comment segments the decoder skips', () => {
    const small = renderPortrait('p').bytes;
    const padded = padJpeg(small, small.length + 70_000);
    expect(padded.length).toBe(small.length + 70_000);
    expect(decode(padded).width).toBe(240);
  });

  test('portrait and liveness frames', () => {
    expect([decode(renderPortrait('x').bytes).width, decode(renderPortrait('x').bytes).height]).toEqual([240, 300]);
    const f0 = renderLivenessFrame('x', 0);
    const f1 = renderLivenessFrame('x', 1);
    expect([decode(f0).width, decode(f0).height]).toEqual([360, 480]);
    expect(f0.equals(f1)).toBe(false); // the face moves between frames
    expect(f0.equals(renderLivenessFrame('x', 0))).toBe(true); // deterministic
    expect(decode(renderSupplementaryPage({ documentType: 'UTILITY_BILL', fullName: 'A B', address: '1 X, Y', issuer: 'Z', date: '2025-01-01' }, 's')).width).toBe(480);
  });
});

describe('PNG encoder', () => {
  test('valid signature and CRCs; pixels survive the round trip', () => {
    const raster = renderPortraitRaster('png-test', { width: 60, height: 75 });
    const png = encodePng(raster);
    const read = readPng(png);
    expect([read.width, read.height, read.colourType]).toEqual([60, 75, 2]);
    expect(Buffer.from(read.rgba).equals(Buffer.from(raster.data))).toBe(true);
    const withAlpha = readPng(encodePng(raster, { alpha: true }));
    expect(withAlpha.colourType).toBe(6);
  });

  test('portrait as PNG', () => {
    const p = renderPortrait('q', { format: 'png' });
    expect(p.contentType).toBe('image/png');
    expect(readPng(p.bytes)).toMatchObject({ width: 240, height: 300 });
  });
});

describe('facemap, fields, font, randomness', () => {
  test('facemap: marker first, not an image, deterministic', () => {
    const f = generateFacemap('s');
    expect(f.subarray(0, FACEMAP_MARKER.length).toString('latin1')).toBe(FACEMAP_MARKER);
    expect(f.length).toBe(24 * 1024);
    expect(f[0]).not.toBe(0xff);
    expect(f[0]).not.toBe(0x89);
    expect(f.equals(generateFacemap('s'))).toBe(true);
    expect(f.equals(generateFacemap('t'))).toBe(false);
  });

  test('document_fields: the documented flat keys, and an MRZ that verifies', () => {
    const f = documentFieldsObject(anna);
    for (const k of ['full_name', 'given_names', 'family_name', 'date_of_birth', 'nationality', 'gender', 'document_type', 'issuing_country', 'document_number', 'expiration_date', 'date_of_issue', 'issuing_authority']) {
      expect(typeof f[k], k).toBe('string');
    }
    const mrz = f.mrz as Record<string, string | number>;
    expect(mrz.type).toBe(2);
    expect(mrz.line1).toBe('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<');
    const r = verifyMrz([String(mrz.line1), String(mrz.line2)]);
    expect('error' in r ? r.error : r.valid).toBe(true);
    const card = specimenMrzLines({ ...anna, documentType: 'NATIONAL_ID', documentNumber: 'D23145890', mrzFormat: 'TD1', personalNumber: undefined });
    expect(card).toHaveLength(3);
    const dl = documentFieldsObject({ ...anna, documentType: 'DRIVING_LICENCE', mrzFormat: undefined });
    expect(dl.mrz).toBeUndefined();
  });

  test('the font covers A–Z, 0–9, < and punctuation; others are boxes', () => {
    expect(canRender('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<.,-/:\'() ')).toBe(true);
    expect(canRender('ΠΑΠΑΔΟΠΟΥΛΟΥ ΕΛΕΝΗ')).toBe(true);
    expect(canRender('漢')).toBe(false);
    expect(glyphFor('a')).toEqual(glyphFor('A'));
    expect(Raster.textWidth('AB', 2)).toBe(22);
  });

  test('seeded ids and numbers are stable and v4-shaped', () => {
    expect(seededUuid('s', 'l')).toBe(seededUuid('s', 'l'));
    expect(seededUuid('s', 'l')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(createRng('x').bytes(7)).toEqual(createRng('x').bytes(7));
  });
});

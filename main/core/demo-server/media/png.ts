import { crc32, deflateSync } from 'node:zlib';

/**
 * A small PNG encoder (8-bit truecolour, optionally with alpha): signature, IHDR, one IDAT compressed
 * with node:zlib, IEND. Every chunk carries its CRC-32 (zlib.crc32 over type + data).
 */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Uint8Array): Buffer {
  const typeBytes = Buffer.from(type, 'latin1');
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  typeBytes.copy(out, 4);
  Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, 8);
  out.writeUInt32BE(crc32(Buffer.concat([typeBytes, data])) >>> 0, 8 + data.length);
  return out;
}

export interface PngInput {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, row-major. */
  data: Uint8Array;
}

/** Encodes RGBA pixels as PNG; `alpha: false` (default) drops the alpha channel (colour type 2). */
export function encodePng(img: PngInput, opts: { alpha?: boolean; level?: number } = {}): Buffer {
  const { width, height, data } = img;
  if (data.length !== width * height * 4) throw new RangeError('PNG input must be RGBA, width × height × 4 bytes');
  const channels = opts.alpha ? 4 : 3;
  const stride = width * channels;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const rowStart = y * (stride + 1);
    raw[rowStart] = 1; // filter type 1 (Sub): each byte minus the byte one pixel to the left
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        const v = data[(y * width + x) * 4 + c] ?? 0;
        const left = x > 0 ? (data[(y * width + x - 1) * 4 + c] ?? 0) : 0;
        raw[rowStart + 1 + x * channels + c] = (v - left) & 0xff;
      }
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = opts.alpha ? 6 : 2; // colour type: truecolour (+ alpha)
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method 0
  ihdr[12] = 0; // no interlace
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: opts.level ?? 6 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

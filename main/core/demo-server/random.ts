import { createHash } from 'node:crypto';

/**
 * Deterministic randomness for the demo server: everything it generates (ids, timestamps offsets,
 * faces, noise, facemaps) is a function of a seed string, so a demo session is byte-identical on every run.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  bytes(n: number): Uint8Array;
}

function seedWords(seed: string): [number, number, number, number] {
  const h = createHash('sha256').update(seed, 'utf8').digest();
  return [h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(12)];
}

/** sfc32, seeded from sha256(seed). Fast, good enough for pictures and filler bytes (not for secrets). */
export function createRng(seed: string): Rng {
  let [a, b, c, d] = seedWords(seed);
  const u32 = (): number => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) u32();
  const next = (): number => u32() / 4294967296;
  return {
    next,
    int: (n) => Math.floor(next() * n),
    range: (lo, hi) => lo + next() * (hi - lo),
    pick<T>(items: readonly T[]): T {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError('pick() from an empty list');
      return item;
    },
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += 4) {
        const w = u32();
        out[i] = w & 0xff;
        if (i + 1 < n) out[i + 1] = (w >>> 8) & 0xff;
        if (i + 2 < n) out[i + 2] = (w >>> 16) & 0xff;
        if (i + 3 < n) out[i + 3] = (w >>> 24) & 0xff;
      }
      return out;
    },
  };
}

/** A v4-shaped UUID derived from seed and label (lower case, like Yoti's ids). */
export function seededUuid(seed: string, label: string): string {
  const h = createHash('sha256').update(`${seed}\u0000${label}`, 'utf8').digest();
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x40;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Produces distinct ids for one seed; asking twice for the same label gives the same id. */
export function idFactory(seed: string): (label: string) => string {
  return (label) => seededUuid(seed, label);
}

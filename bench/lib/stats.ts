/**
 * The few statistics the benchmarks report. Samples are wall-clock milliseconds (or rates); every
 * comparison is a ratio of figures measured side by side in the same run, never an absolute target.
 */

function sorted(xs: readonly number[]): number[] {
  if (xs.length === 0) throw new RangeError('no samples');
  if (xs.some((x) => !Number.isFinite(x))) throw new RangeError('a sample is not a finite number');
  return [...xs].sort((a, b) => a - b);
}

/** Linear interpolation between closest ranks (the usual "type 7" quantile), q in [0, 1]. */
export function quantile(xs: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError('q must be within [0, 1]');
  const s = sorted(xs);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = s[lo] as number;
  const b = s[hi] as number;
  return a + (b - a) * (pos - lo);
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);
export const p90 = (xs: readonly number[]): number => quantile(xs, 0.9);
export const min = (xs: readonly number[]): number => sorted(xs)[0] as number;

/** a / b; a ratio of medians when given sample sets. */
export function ratio(a: number | readonly number[], b: number | readonly number[]): number {
  const x = typeof a === 'number' ? a : median(a);
  const y = typeof b === 'number' ? b : median(b);
  if (y === 0) throw new RangeError('ratio to zero');
  return x / y;
}

/**
 * Median of the per-round ratios a[i] / b[i]. With interleaved rounds both samples of a round ran
 * under the same machine load, so this is the figure least moved by other work on the machine.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0) throw new RangeError('paired samples must have the same, non-zero length');
  return median(a.map((x, i) => x / (b[i] as number)));
}

export interface Summary {
  n: number;
  median: number;
  p90: number;
  min: number;
}

export function summarise(xs: readonly number[]): Summary {
  return { n: xs.length, median: median(xs), p90: p90(xs), min: min(xs) };
}

export const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(1)} ms`);
export const fmtRatio = (r: number): string => `${r.toFixed(2)}×`;
export const fmtMB = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;

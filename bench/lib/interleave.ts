/**
 * Runs the compared variants side by side: every round runs each variant once, the order rotating
 * from round to round, so that load from other work on the machine (and any drift during the run)
 * falls on all of them alike. Warm-up rounds run first and are not recorded.
 */
export interface Variant {
  name: string;
  /** The timed part. */
  run: () => Promise<unknown>;
  /** Untimed preparation before each run (e.g. emptying a store). */
  before?: () => Promise<void>;
  /** Untimed clean-up after each run. */
  after?: () => Promise<void>;
}

export interface InterleaveOptions {
  rounds: number;
  warmup?: number;
  /** Called after each recorded round, for progress output. */
  onRound?: (round: number, times: ReadonlyMap<string, number>) => void;
}

export interface Samples {
  /** Wall-clock ms per recorded run, by variant. */
  wall: Map<string, number[]>;
  /**
   * CPU ms (user + system, every thread of the process) per recorded run: less moved than wall time
   * when other work preempts the benchmark, and meaningful only where no other thread of this process
   * (such as the demo server's worker) works at the same time.
   */
  cpu: Map<string, number[]>;
}

export async function interleave(variants: readonly Variant[], opts: InterleaveOptions): Promise<Samples> {
  const wall = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const cpu = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  const total = (opts.warmup ?? 1) + opts.rounds;
  for (let r = 0; r < total; r++) {
    const recorded = r >= (opts.warmup ?? 1);
    const times = new Map<string, number>();
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(r + k) % variants.length] as Variant;
      await v.before?.();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await v.run();
      const ms = performance.now() - t0;
      const c = process.cpuUsage(c0);
      await v.after?.();
      times.set(v.name, ms);
      if (recorded) {
        wall.get(v.name)?.push(ms);
        cpu.get(v.name)?.push((c.user + c.system) / 1000);
      }
    }
    if (recorded) opts.onRound?.(r - (opts.warmup ?? 1) + 1, times);
  }
  return { wall, cpu };
}

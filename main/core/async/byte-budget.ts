/**
 * A budget of bytes shared by concurrent work (the media downloads of a fetch): `take(n)` waits,
 * first come first served, until n bytes (at most the whole capacity, so one item larger than the
 * budget still goes, alone) are free, and resolves to the function that gives them back (once).
 */
export class ByteBudget {
  readonly capacity: number;
  #free: number;
  readonly #waiting: Array<{ bytes: number; grant: () => void }> = [];

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('a byte budget is a positive whole number of bytes');
    this.capacity = capacity;
    this.#free = capacity;
  }

  get free(): number {
    return this.#free;
  }

  take(bytes: number): Promise<() => void> {
    const want = Math.max(0, Math.min(Math.ceil(bytes), this.capacity));
    return new Promise((resolve) => {
      const grant = (): void => {
        this.#free -= want;
        let given = false;
        resolve(() => {
          if (given) return;
          given = true;
          this.#free += want;
          this.#next();
        });
      };
      if (this.#waiting.length === 0 && this.#free >= want) grant();
      else this.#waiting.push({ bytes: want, grant });
    });
  }

  #next(): void {
    while (this.#waiting.length > 0 && this.#free >= this.#waiting[0]!.bytes) this.#waiting.shift()!.grant();
  }
}

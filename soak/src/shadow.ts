/** What the soak expects on disk: one generation number per chunk, and a lock per chunk. */
export class ChunkMap {
  readonly #gen: Array<number | undefined>;
  readonly #busy: Uint8Array;
  /** Chunks a write may still land on later (it timed out: the kernel cannot cancel it). */
  readonly #tainted: Uint8Array;

  constructor(readonly chunks: number) {
    this.#gen = new Array<number | undefined>(chunks).fill(undefined);
    this.#busy = new Uint8Array(chunks);
    this.#tainted = new Uint8Array(chunks);
  }

  /** A write to `c` settled without its outcome known: never verify `c` again. */
  taint(c: number): void {
    this.#tainted[c] = 1;
  }

  get tainted(): number {
    return this.#tainted.reduce((s, t) => s + t, 0);
  }

  /** A random chunk no other worker holds (the caller holds far fewer than `chunks`). */
  lockRandom(): number {
    for (;;) {
      const c = Math.floor(Math.random() * this.chunks);
      if (this.#busy[c] === 0) {
        this.#busy[c] = 1;
        return c;
      }
    }
  }

  unlock(c: number): void {
    this.#busy[c] = 0;
  }

  /** The generation last written with success; undefined when unknown (never written, or a write failed). */
  expected(c: number): number | undefined {
    return this.#tainted[c] === 1 ? undefined : this.#gen[c];
  }

  set(c: number, gen: number | undefined): void {
    this.#gen[c] = gen;
  }
}

/** The bytes of generation `gen`: distinct per generation and per offset. */
export function chunkPattern(gen: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = (gen * 2654435761) >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

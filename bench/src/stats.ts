/** Latencies in nanoseconds; the same nearest-rank percentile as bench/c/scsibench.c. */
export interface LatencySummary {
  readonly samples: number;
  readonly mean: number;
  readonly p50: number;
  readonly p99: number;
}

/** Nearest-rank percentile of an ascending array (0 for an empty one). */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
  return sorted[rank - 1] as number;
}

/** The median of any numbers (mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const n = finite.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? (finite[mid] as number) : ((finite[mid - 1] as number) + (finite[mid] as number)) / 2;
}

/**
 * Per-command latencies in bounded memory, however long the run: when full, every other sample is
 * dropped and the stride doubles, so the kept ones stay spread over the whole run (as in the C
 * program). The mean is exact.
 */
export class SampleRecorder {
  readonly #values: Float64Array;
  #n = 0;
  #stride = 1;
  #seen = 0;
  #sum = 0;
  #total = 0;

  constructor(capacity = 1 << 18) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new RangeError('capacity must be an integer ≥ 2');
    this.#values = new Float64Array(capacity);
  }

  add(ns: number): void {
    this.#sum += ns;
    this.#total++;
    if (this.#seen++ % this.#stride !== 0) return;
    if (this.#n === this.#values.length) {
      const half = this.#n >> 1;
      for (let i = 0; i < half; i++) this.#values[i] = this.#values[2 * i] as number;
      this.#n = half;
      this.#stride *= 2;
    }
    this.#values[this.#n++] = ns;
  }

  /** Commands recorded (all of them, not only the kept samples). */
  get count(): number {
    return this.#total;
  }

  summary(): LatencySummary {
    const sorted = this.#values.slice(0, this.#n).sort();
    return {
      samples: this.#n,
      mean: this.#total === 0 ? 0 : this.#sum / this.#total,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
    };
  }
}

/** One resident-set-size reading during a long run. */
export interface RssSample {
  /** Commands completed when it was taken. */
  readonly at: number;
  readonly rssBytes: number;
}

export interface RssVerdict {
  readonly commands: number;
  /** Median RSS over the 10–20 % stretch of the run (after allocations and JIT settled). */
  readonly warmRssBytes: number;
  /** Median RSS over the last 10 % of the run. */
  readonly endRssBytes: number;
  /** end / warm − 1. */
  readonly drift: number;
  /** Largest |sample / warm − 1| after the warm-up. */
  readonly maxDeviation: number;
  /** |drift| ≤ tolerance: no growth that scales with the number of commands. */
  readonly flat: boolean;
  readonly samples: readonly RssSample[];
}

/**
 * Whether RSS stayed flat across a long run. The first 10 % is warm-up (heap growth to its working
 * size); a leak of even a few bytes per command shows as the end exceeding the warm level.
 */
export function rssVerdict(samples: readonly RssSample[], tolerance = 0.05): RssVerdict {
  if (samples.length < 10) throw new RangeError(`need at least 10 RSS samples, got ${samples.length}`);
  const last = samples[samples.length - 1] as RssSample;
  const total = last.at;
  const inRange = (lo: number, hi: number) =>
    samples.filter((s) => s.at >= lo * total && s.at <= hi * total).map((s) => s.rssBytes);
  const warm = median(inRange(0.1, 0.2));
  const end = median(inRange(0.9, 1));
  const after = samples.filter((s) => s.at >= 0.1 * total);
  const maxDeviation = Math.max(...after.map((s) => Math.abs(s.rssBytes / warm - 1)));
  const drift = end / warm - 1;
  return {
    commands: total,
    warmRssBytes: warm,
    endRssBytes: end,
    drift,
    maxDeviation,
    flat: Math.abs(drift) <= tolerance,
    samples,
  };
}

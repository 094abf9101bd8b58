import { type LatencySummary, median, type RssVerdict } from './stats.js';

export type Workload = 'inquiry' | 'randread' | 'seqread' | 'nop';
export type Side = 'c' | 'fio' | 'scsikit';

/**
 * A way of sending the commands. The same method id on two sides (`c` and `scsikit`) is the same
 * kernel interface, which is what the scsikit / C ratios pair up.
 */
export type Method =
  | 'sgv3'
  | 'sgv4'
  | 'uring'
  | 'uring-fixed'
  | 'fio-io_uring'
  | 'fio-sg'
  | 'nop'
  // The synchronous native-call floor (issue #20): a JS loop around one native submit-and-wait.
  | 'floor'
  // INQUIRY through Device.executeBatch: N commands in one native crossing.
  | 'batch-api';

/** One cell of one round: a path at one depth/batch for a while. */
export interface Measurement {
  readonly workload: Workload;
  readonly side: Side;
  readonly method: Method;
  readonly qd: number;
  readonly batch: number;
  /** Bytes per command (0 for NOP). */
  readonly bs: number;
  readonly round: number;
  readonly count: number;
  readonly elapsedNs: number;
  readonly opsPerSec: number;
  /** 10^6 bytes per second. */
  readonly mbPerSec: number;
  /** Per command; for batches, the batch's time divided by its size. */
  readonly lat: LatencySummary;
  /** The depth really used when the path caps it (fio sg: 16 per fd; scsikit SG_IO: threadpool). */
  readonly effectiveQd?: number;
}

/** A path's medians over the rounds. */
export interface Row {
  readonly workload: Workload;
  readonly side: Side;
  readonly method: Method;
  readonly qd: number;
  readonly batch: number;
  readonly bs: number;
  readonly label: string;
  readonly rounds: number;
  readonly opsPerSec: number;
  readonly mbPerSec: number;
  readonly meanNs: number;
  readonly p50Ns: number;
  readonly p99Ns: number;
  readonly effectiveQd?: number;
}

const METHOD_LABEL: Record<Side, Partial<Record<Method, string>>> = {
  c: {
    sgv3: 'C sg v3 SG_IO (/dev/sg)',
    sgv4: 'C bsg v4 SG_IO',
    uring: 'C bsg io_uring',
    'uring-fixed': 'C bsg io_uring, fixed buffers',
    nop: 'C IORING_OP_NOP loop',
  },
  fio: {
    'fio-io_uring': 'fio io_uring, direct (/dev/sdX, block layer)',
    'fio-sg': 'fio sg (/dev/sg)',
  },
  scsikit: {
    sgv3: 'scsikit SG_IO v3 (/dev/sg)',
    sgv4: 'scsikit SG_IO v4 (/dev/bsg)',
    uring: 'scsikit io_uring',
    'uring-fixed': 'scsikit io_uring, fixed buffers',
    nop: 'scsikit NopQueue (JS API)',
    floor: 'floor: sync JS loop, one native io_uring_enter per command',
    'batch-api': 'scsikit batch API (Device.executeBatch; NopQueue.nops on the host)',
  },
};

export function labelOf(side: Side, method: Method, batch = 1): string {
  const base = METHOD_LABEL[side][method] ?? `${side} ${method}`;
  return batch > 1 ? `${base}, batch ${batch}` : base;
}

/** The identity of a row: everything but the round. */
export function rowKey(m: Pick<Measurement, 'workload' | 'side' | 'method' | 'qd' | 'batch'>): string {
  return `${m.workload}/${m.side}/${m.method}/qd${m.qd}/b${m.batch}`;
}

/** Medians over rounds of each statistic, one row per path, in first-seen order. */
export function aggregate(measurements: readonly Measurement[]): Row[] {
  const groups = new Map<string, Measurement[]>();
  for (const m of measurements) {
    const k = rowKey(m);
    const g = groups.get(k);
    if (g === undefined) groups.set(k, [m]);
    else g.push(m);
  }
  return [...groups.values()].map((g) => {
    const first = g[0] as Measurement;
    const eff = g.map((m) => m.effectiveQd).filter((q): q is number => q !== undefined);
    return {
      workload: first.workload,
      side: first.side,
      method: first.method,
      qd: first.qd,
      batch: first.batch,
      bs: first.bs,
      label: labelOf(first.side, first.method, first.batch),
      rounds: g.length,
      opsPerSec: median(g.map((m) => m.opsPerSec)),
      mbPerSec: median(g.map((m) => m.mbPerSec)),
      meanNs: median(g.map((m) => m.lat.mean)),
      p50Ns: median(g.map((m) => m.lat.p50)),
      p99Ns: median(g.map((m) => m.lat.p99)),
      ...(eff.length > 0 ? { effectiveQd: Math.min(...eff) } : {}),
    };
  });
}

/** Everything one run produced: what `--json` prints and `bench/results/<timestamp>.json` holds. */
export interface BenchReport {
  readonly version: 1;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly mode: 'quick' | 'full';
  readonly environment: {
    readonly where: 'lab' | 'host';
    /** The lab guest's accelerator (SCSIKIT_LAB_ACCEL): absolute figures mean little under TCG. */
    readonly accel?: 'tcg' | 'kvm';
    readonly kernel: string;
    readonly node: string;
    readonly device?: {
      readonly bsg: string;
      readonly sg: string;
      readonly block: string;
      readonly queueDepth: number;
    };
    readonly fio?: string;
    readonly uvThreadpoolSize?: string;
    readonly notes: readonly string[];
  };
  readonly config: Readonly<Record<string, unknown>>;
  readonly rows: readonly Row[];
  readonly measurements: readonly Measurement[];
  readonly ratios: readonly Ratio[];
  readonly targets: readonly Target[];
  readonly memory: readonly MemoryCheck[];
  /** A host-side report merged in (the NOP part runs on the host, the rest in the lab). */
  readonly host?: Omit<BenchReport, 'host'>;
}

export interface MemoryCheck {
  readonly name: string;
  readonly verdict: RssVerdict;
}

/** A quotient of two rows measured in the same run. */
export interface Ratio {
  readonly group: string;
  readonly name: string;
  readonly value: number;
  /** What the numbers are: 'ops' (IOPS or commands/s), 'mb' (MB/s), 'mean' (mean time per command). */
  readonly metric: 'ops' | 'mb' | 'mean';
  readonly numerator: string;
  readonly denominator: string;
}

export interface Target {
  readonly name: string;
  readonly goal: string;
  /** The measured figure the goal is about, in the goal's terms; null when not measured. */
  readonly value: number | null;
  readonly display: string;
  /** null: not measured in this run (workload skipped or a path missing). JSON has no undefined. */
  readonly met: boolean | null;
  /**
   * The same figure for the C reference in this run, where the goal compares scsikit with something
   * C is also measured against (C io_uring batch 64 / C SG_IO v4; C io_uring / best fio): when the
   * C ceiling itself misses the goal, no library above it can meet it in this lab. null: none.
   */
  readonly ceiling: number | null;
}

/**
 * Runs the cells of each workload in rounds: every path once per round, the order rotated each
 * round, so drift in the guest (TCG, a busy host) hits every side alike. Round 0 is a short warm-up
 * (JIT, page cache, first-use allocations) and is not recorded.
 */
import { type CResult, type CSpec, runC } from './cbench.js';
import { type FioJob, runFio } from './fio.js';
import type { Measurement, MemoryCheck, Method, Side, Workload } from './model.js';
import type { Progress } from './progress.js';
import type { DriveOptions, RunStats } from './scsikit.js';
import { type RssSample, rssVerdict } from './stats.js';

export interface CellRun {
  readonly seconds: number;
  /** Commands per cell (0: time only). */
  readonly count: number;
}

export interface Cell {
  readonly workload: Workload;
  readonly side: Side;
  readonly method: Method;
  readonly qd: number;
  readonly batch: number;
  readonly bs: number;
  readonly label: string;
  run(r: CellRun): Promise<Omit<Measurement, 'round'>>;
}

export interface RoundPlan {
  readonly cells: readonly Cell[];
  readonly rounds: number;
  readonly warmup: CellRun | undefined;
  readonly measure: CellRun;
}

export interface RoundsOutcome {
  readonly measurements: Measurement[];
  readonly failures: string[];
}

/** What the host part or the lab part produced. */
export interface PartOutcome extends RoundsOutcome {
  readonly memory: MemoryCheck[];
}

/** `items` rotated left by `by` (every item takes every position once over n rounds). */
export function rotate<T>(items: readonly T[], by: number): T[] {
  const n = items.length;
  if (n === 0) return [];
  const k = ((by % n) + n) % n;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** Progress units a plan takes. */
export function planUnits(plan: RoundPlan): number {
  return plan.cells.length * (plan.rounds + (plan.warmup === undefined ? 0 : 1));
}

/**
 * Runs a plan. A cell that fails is reported and left out of later rounds; the others go on (one
 * broken peer must not cost the whole lab run).
 */
export async function runRounds(plan: RoundPlan, progress: Progress): Promise<RoundsOutcome> {
  const measurements: Measurement[] = [];
  const failures: string[] = [];
  const broken = new Set<Cell>();
  const first = plan.warmup === undefined ? 1 : 0;
  for (let round = first; round <= plan.rounds; round++) {
    const params = round === 0 ? (plan.warmup as CellRun) : plan.measure;
    for (const cell of rotate(plan.cells, round)) {
      const what = `${cell.workload} ${round === 0 ? 'warm-up' : `round ${round}/${plan.rounds}`}: ${cell.label}${
        cell.workload === 'randread' || cell.workload === 'seqread' ? ` QD ${cell.qd}` : ''
      }`;
      progress.note(what);
      if (!broken.has(cell)) {
        try {
          const m = await cell.run(params);
          if (round > 0) measurements.push({ ...m, round });
        } catch (e) {
          broken.add(cell);
          failures.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      progress.tick(what);
    }
  }
  return { measurements, failures };
}

// ---------------------------------------------------------------------------------------------
// Cells of each kind.

type CellBase = Pick<Cell, 'workload' | 'side' | 'method' | 'qd' | 'batch' | 'bs' | 'label'>;

function fromC(base: CellBase, r: CResult): Omit<Measurement, 'round'> {
  return {
    workload: base.workload,
    side: base.side,
    method: base.method,
    qd: base.qd,
    batch: base.batch,
    bs: base.bs,
    count: r.count,
    elapsedNs: r.elapsedNs,
    opsPerSec: r.opsPerSec,
    mbPerSec: r.mbPerSec,
    lat: r.lat,
  };
}

export function cCell(base: CellBase, binary: string, spec: Omit<CSpec, 'seconds' | 'count'>): Cell {
  return {
    ...base,
    async run(p) {
      const r = await runC(binary, {
        ...spec,
        seconds: p.seconds,
        ...(p.count > 0 ? { count: p.count } : {}),
      });
      return fromC(base, r);
    },
  };
}

export function fioCell(base: CellBase, job: Omit<FioJob, 'seconds'>, effectiveQd: number): Cell {
  return {
    ...base,
    async run(p) {
      const r = await runFio({ ...job, seconds: p.seconds });
      return {
        workload: base.workload,
        side: base.side,
        method: base.method,
        qd: base.qd,
        batch: base.batch,
        bs: base.bs,
        count: r.ios,
        elapsedNs: r.runtimeMs * 1e6,
        opsPerSec: r.iops,
        mbPerSec: r.bwBytes / 1e6,
        lat: r.lat,
        effectiveQd,
      };
    },
  };
}

/** A cell run in this process; `effectiveQd` is asked after the device is open. */
export function jsCell(
  base: CellBase,
  run: (p: CellRun) => Promise<RunStats>,
  effectiveQd?: () => number | undefined,
): Cell {
  return {
    ...base,
    async run(p) {
      const s = await run(p);
      const secs = s.elapsedNs / 1e9;
      const eff = effectiveQd?.();
      return {
        workload: base.workload,
        side: base.side,
        method: base.method,
        qd: base.qd,
        batch: base.batch,
        bs: base.bs,
        count: s.count,
        elapsedNs: s.elapsedNs,
        opsPerSec: secs > 0 ? s.count / secs : 0,
        mbPerSec: secs > 0 ? (s.count * base.bs) / secs / 1e6 : 0,
        lat: s.lat,
        ...(eff === undefined ? {} : { effectiveQd: eff }),
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Memory checks.

/** Progress units a memory check takes. */
export const MEMORY_UNITS = 20;

/**
 * RSS sampled 200 times across a long run of `total` commands, or as many as `capSeconds` allow (the
 * lab is slow, and the whole benchmark has a time budget). `what` names the commands, e.g.
 * "NOP commands (host, JS API)"; the check's name says how many ran.
 */
export async function memoryCheck(
  what: string,
  total: number,
  capSeconds: number,
  progress: Progress,
  run: (o: DriveOptions) => Promise<RunStats>,
): Promise<MemoryCheck> {
  const samples: RssSample[] = [];
  const label = `RSS across ${total.toLocaleString('en-US')} ${what}`;
  const start = performance.now();
  let ticks = 0;
  const advance = (fraction: number) => {
    while (ticks < Math.min(MEMORY_UNITS, Math.floor(fraction * MEMORY_UNITS))) {
      ticks++;
      progress.tick(label);
    }
  };
  progress.note(label);
  const stats = await run({
    seconds: capSeconds,
    maxCount: total,
    rssEvery: Math.max(1, Math.floor(total / 200)),
    onRss: (s) => samples.push(s),
    onProgress: (done) => advance(Math.max(done / total, (performance.now() - start) / 1000 / capSeconds)),
  });
  advance(1);
  if (samples.length < 10) {
    throw new Error(
      `${label}: only ${stats.count.toLocaleString('en-US')} commands in the ${capSeconds} s cap, too few RSS samples`,
    );
  }
  const capped = stats.count < total ? ` (the ${capSeconds} s cap stopped it)` : '';
  return { name: `${stats.count.toLocaleString('en-US')} ${what}${capped}`, verdict: rssVerdict(samples) };
}

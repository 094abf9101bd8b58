/** Workload 4, on the host without SCSI: IORING_OP_NOP through the JS API against the C NOP loop. */
import { NopQueue } from '@scsikit/transport-uring';
import { ensureBuilt } from './cbench.js';
import type { BenchConfig } from './options.js';
import type { Progress } from './progress.js';
import {
  cCell,
  jsCell,
  MEMORY_UNITS,
  memoryCheck,
  type PartOutcome,
  planUnits,
  type RoundPlan,
  runRounds,
} from './runner.js';
import { nopBatchRun, nopRun } from './scsikit.js';

/** The ring size of the JS queue: a batch of 256 fills it exactly. */
const NOP_RING = 256;

function nopPlan(cfg: BenchConfig, binary: string, queue: () => NopQueue): RoundPlan {
  const cells = cfg.nopBatches.flatMap((batch) => {
    const base = { workload: 'nop', method: 'nop', qd: 1, batch, bs: 0 } as const;
    return [
      cCell({ ...base, side: 'c', label: `C NOP loop, batch ${batch}` }, binary, { op: 'nop', batch }),
      jsCell({ ...base, side: 'scsikit', label: `JS NOP, batch ${batch}` }, (p) =>
        nopRun(queue(), batch, { seconds: p.seconds }),
      ),
      // The batch form (NopQueue.nops: one call, one promise per batch), as executeBatch is for SCSI.
      ...(batch > 1
        ? [
            jsCell(
              { ...base, method: 'batch-api', side: 'scsikit', label: `JS NopQueue.nops, batch ${batch}` },
              (p) => nopBatchRun(queue(), batch, { seconds: p.seconds }),
            ),
          ]
        : []),
    ];
  });
  return {
    cells,
    rounds: cfg.rounds,
    warmup: { seconds: cfg.warmupSeconds, count: 0 },
    measure: { seconds: cfg.cellSeconds, count: 0 },
  };
}

/** Progress units of the host part. */
export function hostUnits(cfg: BenchConfig): number {
  const perRound = cfg.nopBatches.reduce((n, b) => n + (b > 1 ? 3 : 2), 0);
  const cells = cfg.only.has('nop') ? perRound * (cfg.rounds + 1) : 0;
  return cells + (cfg.only.has('memory') ? MEMORY_UNITS : 0);
}

export async function runHost(cfg: BenchConfig, progress: Progress): Promise<PartOutcome> {
  const { binary } = ensureBuilt();
  let q: NopQueue | undefined;
  const queue = () => {
    q ??= new NopQueue(NOP_RING);
    return q;
  };
  try {
    const out: PartOutcome = { measurements: [], failures: [], memory: [] };
    if (cfg.only.has('nop')) {
      const plan = nopPlan(cfg, binary, queue);
      if (planUnits(plan) > 0) {
        const r = await runRounds(plan, progress);
        out.measurements.push(...r.measurements);
        out.failures.push(...r.failures);
      }
    }
    if (cfg.only.has('memory')) {
      // RSS across the long NOP run: the JS side's slots, promises and completion records must not
      // grow with the number of commands.
      try {
        out.memory.push(
          await memoryCheck(
            'NOP commands (host, JS API, batches of 64)',
            cfg.nopRssCommands,
            cfg.memorySeconds,
            progress,
            (o) => nopRun(queue(), 64, o),
          ),
        );
      } catch (e) {
        out.failures.push((e as Error).message);
      }
    }
    return out;
  } finally {
    q?.close();
  }
}

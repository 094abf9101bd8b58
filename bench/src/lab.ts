/**
 * Workloads 1–3 and the read memory check, inside the lab guest, against its scsi_debug disk:
 * C ceiling, fio and scsikit in the same boot.
 */
import { readDeviceInfo } from '@scsikit/core';
import { inLab, readLabManifest } from '@scsikit/lab';
import { ensureBuilt } from './cbench.js';
import { fioVersion } from './fio.js';
import { floorReadRun } from './floor.js';
import { labelOf, type MemoryCheck, type Method, type Side, type Workload } from './model.js';
import type { BenchConfig } from './options.js';
import type { Progress } from './progress.js';
import {
  type Cell,
  cCell,
  fioCell,
  jsCell,
  MEMORY_UNITS,
  memoryCheck,
  type PartOutcome,
  planUnits,
  type RoundPlan,
  runRounds,
} from './runner.js';
import {
  fixedReadRun,
  INQUIRY_BYTES,
  inquiryBatchApiRun,
  inquiryRun,
  type ReadPattern,
  readRun,
  ScsikitSides,
} from './scsikit.js';

export interface LabDeviceNodes {
  readonly hctl: string;
  readonly bsg: string;
  readonly sg: string;
  /** '' when the device has no block node (fio's io_uring peer is then skipped). */
  readonly block: string;
  readonly queueDepth: number;
}

/** The disk: `--device`, else the lab manifest's scsi_debug device. */
export function resolveLabDevice(device: string | undefined): LabDeviceNodes {
  if (device === undefined) {
    if (!inLab()) {
      throw new Error('not in the lab: run `pnpm bench` (it boots the lab), or pass --device H:C:T:L');
    }
    const d = readLabManifest().devices.find((x) => x.kind === 'scsi_debug');
    if (d === undefined) throw new Error('the lab manifest lists no scsi_debug disk (use --profile default)');
    return { hctl: d.hctl, bsg: d.bsg, sg: d.sg, block: d.block, queueDepth: d.queueDepth };
  }
  const hctl = device.replace(/^\/dev\/bsg\//u, '');
  const info = readDeviceInfo(hctl);
  if (info === undefined) throw new Error(`no SCSI device ${hctl} in sysfs`);
  if (info.bsg === undefined || info.sg === undefined)
    throw new Error(`${hctl} needs both a bsg and an sg node`);
  return { hctl, bsg: info.bsg, sg: info.sg, block: info.block ?? '', queueDepth: info.queueDepth ?? 0 };
}

export interface LabPlans {
  readonly inquiry?: RoundPlan;
  readonly randread?: RoundPlan;
  readonly seqread?: RoundPlan;
}

export interface LabContext {
  readonly cfg: BenchConfig;
  readonly nodes: LabDeviceNodes;
  readonly binary: string;
  readonly sides: ScsikitSides;
  readonly fio: boolean;
  readonly blockLength: number;
  readonly lbaCount: number;
}

const base = (workload: Workload, side: Side, method: Method, qd: number, batch: number, bs: number) => ({
  workload,
  side,
  method,
  qd,
  batch,
  bs,
  label: labelOf(side, method, batch),
});

/** The cells of each workload (exported for a look without a device: `--dry-run` style tests). */
export function labPlans(ctx: LabContext): LabPlans {
  const { cfg, nodes, binary, sides } = ctx;
  const geometry = { lbaCount: ctx.lbaCount, blockSize: ctx.blockLength };
  const out: { inquiry?: RoundPlan; randread?: RoundPlan; seqread?: RoundPlan } = {};
  const warmup = { seconds: cfg.warmupSeconds, count: 0 };
  const measure = { seconds: cfg.cellSeconds, count: 0 };

  if (cfg.only.has('inquiry')) {
    const B = cfg.inquiryBatch;
    const pathOf = (m: Method) => (m === 'sgv3' ? nodes.sg : nodes.bsg);
    const cells: Cell[] = [];
    for (const [m, b] of [
      ['sgv3', 1],
      ['sgv4', 1],
      ['uring', 1],
      ['uring', B],
    ] as const) {
      cells.push(
        cCell(base('inquiry', 'c', m, 1, b, INQUIRY_BYTES), binary, {
          op: 'inquiry',
          mode: m,
          path: pathOf(m),
          batch: b,
        }),
      );
      const dev = m === 'sgv3' ? () => sides.sgv3() : m === 'sgv4' ? () => sides.sgv4() : () => sides.uring();
      cells.push(
        jsCell(base('inquiry', 'scsikit', m, 1, b, INQUIRY_BYTES), async (p) =>
          inquiryRun(await dev(), b, { seconds: p.seconds, maxCount: p.count }),
        ),
      );
    }
    cells.push(
      jsCell(base('inquiry', 'scsikit', 'batch-api', 1, B, INQUIRY_BYTES), async (p) =>
        inquiryBatchApiRun(await sides.uring(), B, { seconds: p.seconds, maxCount: p.count }),
      ),
    );
    out.inquiry = {
      cells,
      rounds: cfg.rounds,
      warmup: { seconds: cfg.warmupSeconds, count: Math.min(500, cfg.inquiryCount) },
      measure: { seconds: cfg.inquirySeconds, count: cfg.inquiryCount },
    };
  }

  const readCells = (workload: 'randread' | 'seqread', qd: number, bs: number): Cell[] => {
    const pattern: ReadPattern = {
      bs,
      blockLength: ctx.blockLength,
      lbaCount: ctx.lbaCount,
      sequential: workload === 'seqread',
    };
    const cells: Cell[] = [];
    const c = (m: 'uring' | 'uring-fixed' | 'sgv4') =>
      cCell(base(workload, 'c', m, qd, 1, bs), binary, {
        op: workload,
        mode: m,
        path: nodes.bsg,
        qd,
        bs,
        ...geometry,
      });
    cells.push(c('uring'), c('uring-fixed'));
    if (qd === 1) cells.push(c('sgv4'));
    if (ctx.fio) {
      const rw = workload === 'seqread' ? 'read' : 'randread';
      if (nodes.block !== '') {
        cells.push(
          fioCell(
            base(workload, 'fio', 'fio-io_uring', qd, 1, bs),
            { name: `${workload}-qd${qd}`, filename: nodes.block, engine: 'io_uring', rw, bs, iodepth: qd },
            qd,
          ),
        );
      }
      cells.push(
        fioCell(
          base(workload, 'fio', 'fio-sg', qd, 1, bs),
          { name: `${workload}-qd${qd}`, filename: nodes.sg, engine: 'sg', rw, bs, iodepth: qd },
          Math.min(qd, 16),
        ),
      );
    }
    if (workload === 'randread' && qd === 1) {
      cells.push(
        jsCell(base(workload, 'scsikit', 'floor', 1, 1, bs), (p) =>
          floorReadRun(nodes.bsg, pattern, { seconds: p.seconds }),
        ),
      );
    }
    let sgDepth: number | undefined;
    cells.push(
      jsCell(base(workload, 'scsikit', 'uring', qd, 1, bs), async (p) =>
        readRun(await sides.uring(), qd, pattern, { seconds: p.seconds }),
      ),
      jsCell(base(workload, 'scsikit', 'uring-fixed', qd, 1, bs), async (p) =>
        fixedReadRun(await sides.fixed(), qd, pattern, { seconds: p.seconds }),
      ),
      jsCell(
        base(workload, 'scsikit', 'sgv3', qd, 1, bs),
        async (p) => {
          const dev = await sides.sgv3();
          sgDepth = dev.transport.capabilities.queueDepth;
          return readRun(dev, qd, pattern, { seconds: p.seconds });
        },
        // The SG_IO transport keeps at most min(16, UV_THREADPOOL_SIZE) in the kernel.
        () => (sgDepth === undefined ? undefined : Math.min(qd, sgDepth)),
      ),
    );
    return cells;
  };

  if (cfg.only.has('randread')) {
    out.randread = {
      cells: cfg.randDepths.flatMap((qd) => readCells('randread', qd, 4096)),
      rounds: cfg.rounds,
      warmup,
      measure,
    };
  }
  if (cfg.only.has('seqread')) {
    out.seqread = {
      cells: readCells('seqread', cfg.seqDepth, 128 * 1024),
      rounds: cfg.rounds,
      warmup,
      measure,
    };
  }
  return out;
}

export function labUnits(plans: LabPlans, cfg: BenchConfig): number {
  const cells = [plans.inquiry, plans.randread, plans.seqread].reduce(
    (n, p) => n + (p === undefined ? 0 : planUnits(p)),
    0,
  );
  return cells + (cfg.only.has('memory') ? MEMORY_UNITS : 0);
}

export interface LabSetup {
  readonly ctx: LabContext;
  readonly plans: LabPlans;
  readonly fioVersion: string | undefined;
}

/** Opens the device once (capacity for the C side and fio), builds the C program, finds fio. */
export async function setupLab(cfg: BenchConfig): Promise<LabSetup> {
  const nodes = resolveLabDevice(cfg.device);
  const { binary } = ensureBuilt();
  const fio = await fioVersion();
  // Registered buffers for the deepest fixed-buffer run (QD 128 × 4 KiB) and the 128 KiB reads.
  const sides = new ScsikitSides(
    { bsg: nodes.bsg, sg: nodes.sg },
    { count: Math.max(...cfg.randDepths, cfg.seqDepth, cfg.memoryDepth), size: 128 * 1024 },
  );
  const dev = await sides.uring();
  const cap = await dev.readCapacity();
  const ctx: LabContext = {
    cfg,
    nodes,
    binary,
    sides,
    fio: fio !== undefined,
    blockLength: cap.blockLength,
    lbaCount: Number(cap.lastLba) + 1,
  };
  return { ctx, plans: labPlans(ctx), fioVersion: fio };
}

export async function runLab(setup: LabSetup, progress: Progress): Promise<PartOutcome> {
  const { ctx, plans } = setup;
  const out: PartOutcome = { measurements: [], failures: [], memory: [] };
  try {
    for (const plan of [plans.inquiry, plans.randread, plans.seqread]) {
      if (plan === undefined) continue;
      const r = await runRounds(plan, progress);
      out.measurements.push(...r.measurements);
      out.failures.push(...r.failures);
    }
    if (ctx.cfg.only.has('memory')) {
      try {
        out.memory.push(await readsRss(ctx, progress));
      } catch (e) {
        out.failures.push((e as Error).message);
      }
    }
  } finally {
    await ctx.sides.close();
  }
  return out;
}

/** RSS across many 4 KiB random reads through `Device.read` over io_uring. */
async function readsRss(ctx: LabContext, progress: Progress): Promise<MemoryCheck> {
  const dev = await ctx.sides.uring();
  const pattern = { bs: 4096, blockLength: ctx.blockLength, lbaCount: ctx.lbaCount, sequential: false };
  return memoryCheck(
    `4 KiB reads (lab, Device.read over io_uring, QD ${ctx.cfg.memoryDepth})`,
    ctx.cfg.memoryReads,
    ctx.cfg.memorySeconds,
    progress,
    (o) => readRun(dev, ctx.cfg.memoryDepth, pattern, o),
  );
}

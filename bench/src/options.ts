import { parseArgs } from 'node:util';

export const USAGE = `usage: node --import tsx bench/src/cli.ts [options]
  (normally through \`pnpm bench [options]\`: the host NOP part, then the rest in one lab boot)

  --quick              short cells and fewer rounds (a smoke run, minutes instead of ~15)
  --json               print the report as JSON on stdout instead of the table
  --out DIR            where <timestamp>.json and .svg go (default bench/results)
  --only LIST          comma-separated workloads: inquiry,randread,seqread,memory,nop
  --host-only          the host part: the NOP path and its memory check (no SCSI, no lab)
  --save-host FILE     with --host-only: also write the host report to FILE
  --with-host FILE     merge a host report (from --save-host) into this run's report
  --device DEV         H:C:T:L or /dev/bsg/H:C:T:L (default: the lab manifest's scsi_debug disk)
  --rounds N           measured rounds per workload (default 5, --quick 2)
  --seconds S          seconds per throughput cell (default 2, --quick 0.5)
  --progress MODE      bar | lines | none (default: bar on a terminal)
  --build-only         build the C program and exit
  -h, --help`;

export const WORKLOADS = ['inquiry', 'randread', 'seqread', 'memory', 'nop'] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

export interface BenchConfig {
  readonly quick: boolean;
  readonly json: boolean;
  readonly outDir: string;
  readonly only: ReadonlySet<WorkloadName>;
  readonly hostOnly: boolean;
  readonly saveHost: string | undefined;
  readonly withHost: string | undefined;
  readonly device: string | undefined;
  readonly progress: string | undefined;
  readonly buildOnly: boolean;
  readonly rounds: number;
  /** Seconds of one throughput cell (reads, NOP rows). */
  readonly cellSeconds: number;
  /** Seconds of a warm-up cell (round 0, not recorded). */
  readonly warmupSeconds: number;
  /** INQUIRY commands per cell per round, and the time cap on such a cell. */
  readonly inquiryCount: number;
  readonly inquirySeconds: number;
  readonly inquiryBatch: number;
  readonly randDepths: readonly number[];
  readonly seqDepth: number;
  /** NOP commands for the host RSS check. */
  readonly nopRssCommands: number;
  readonly nopBatches: readonly number[];
  /** 4 KiB reads for the lab RSS check. */
  readonly memoryReads: number;
  readonly memoryDepth: number;
  /** Time cap on each memory check (the reads under TCG may be slower than planned). */
  readonly memorySeconds: number;
}

export class UsageError extends Error {}

function positiveInt(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} must be a positive integer, got "${v}"`);
  return n;
}

function positiveNumber(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number, got "${v}"`);
  return n;
}

/** Parses the command line; throws UsageError with a message for the user. `help` asks for USAGE. */
export function parseOptions(argv: readonly string[], defaultOutDir: string): BenchConfig | 'help' {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  if (v.help === true) return 'help';
  if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument "${parsed.positionals[0]}"`);
  const quick = v.quick === true;
  const hostOnly = v['host-only'] === true;
  let only: Set<WorkloadName>;
  if (v.only === undefined) {
    only = new Set(
      hostOnly ? (['nop', 'memory'] as const) : (['inquiry', 'randread', 'seqread', 'memory'] as const),
    );
  } else {
    only = new Set();
    for (const w of v.only
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')) {
      if (!(WORKLOADS as readonly string[]).includes(w)) {
        throw new UsageError(`--only: unknown workload "${w}" (known: ${WORKLOADS.join(', ')})`);
      }
      only.add(w as WorkloadName);
    }
  }
  if (hostOnly && (only.has('inquiry') || only.has('randread') || only.has('seqread'))) {
    throw new UsageError('--host-only runs no SCSI workload: --only may name nop and memory there');
  }
  if (!hostOnly && only.has('nop')) {
    throw new UsageError('the NOP path runs on the host: use --host-only for it (pnpm bench runs both)');
  }
  if (v['save-host'] !== undefined && !hostOnly) throw new UsageError('--save-host goes with --host-only');
  if (v['with-host'] !== undefined && hostOnly) throw new UsageError('--with-host is for the lab run');
  const cellSeconds = positiveNumber('seconds', v.seconds, quick ? 0.5 : 2);
  return {
    quick,
    json: v.json === true,
    outDir: v.out ?? defaultOutDir,
    only,
    hostOnly,
    saveHost: v['save-host'],
    withHost: v['with-host'],
    device: v.device,
    progress: v.progress,
    buildOnly: v['build-only'] === true,
    rounds: positiveInt('rounds', v.rounds, quick ? 2 : 5),
    cellSeconds,
    warmupSeconds: Math.min(cellSeconds, quick ? 0.2 : 0.4),
    inquiryCount: quick ? 2_000 : 10_000,
    inquirySeconds: quick ? 1 : 3,
    inquiryBatch: 64,
    randDepths: [1, 8, 32, 128],
    seqDepth: 8,
    nopRssCommands: quick ? 1_000_000 : 10_000_000,
    nopBatches: [1, 64, 256],
    memoryReads: quick ? 100_000 : 1_000_000,
    memoryDepth: 32,
    memorySeconds: quick ? 60 : 240,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      quick: { type: 'boolean' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      only: { type: 'string' },
      'host-only': { type: 'boolean' },
      'save-host': { type: 'string' },
      'with-host': { type: 'string' },
      device: { type: 'string' },
      rounds: { type: 'string' },
      seconds: { type: 'string' },
      progress: { type: 'string' },
      'build-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

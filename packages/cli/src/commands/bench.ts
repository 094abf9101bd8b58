/**
 * `bench`: random or sequential reads (or writes with --write) at a block size and queue depth for
 * a duration, with live progress and a latency histogram (log2 buckets in microseconds).
 */
import type { Device } from '@scsikit/core';
import { Option } from 'commander';
import { z } from 'zod';
import { type CliIo, type Output, parseBigInt } from '../context.js';
import { UsageError } from '../errors.js';
import { table } from '../format.js';
import { successSchema, u64, uint } from '../json.js';
import { startProgress } from '../progress.js';
import { type Cli, type CommonOpts, int } from '../registration.js';

export const benchSchema = successSchema('bench', {
  pattern: z.enum(['random', 'sequential']),
  operation: z.enum(['read', 'write']),
  blockSize: uint,
  queueDepth: uint,
  durationMs: z.number(),
  ios: uint,
  bytes: u64,
  errors: uint,
  iops: z.number(),
  mbPerSecond: z.number().describe('10^6 bytes per second'),
  latencyUs: z.object({
    min: z.number(),
    mean: z.number(),
    p50: z.number(),
    p90: z.number(),
    p99: z.number(),
    p999: z.number(),
    max: z.number(),
  }),
  /** Bucket i counts I/Os with latency in [2^i, 2^(i+1)) µs (bucket 0: below 2 µs). */
  histogram: z.array(z.object({ fromUs: z.number(), toUs: z.number(), count: uint })),
});

export interface BenchOptions {
  readonly pattern: 'random' | 'sequential';
  readonly operation: 'read' | 'write';
  readonly blockSize: number;
  readonly queueDepth: number;
  readonly durationMs: number;
  /** Limit the I/O to the first `span` blocks (default: the whole device). */
  readonly spanBlocks?: bigint;
  /** Seed of the random LBA generator, so runs can be repeated. */
  readonly seed: number;
}

/** xorshift32: reproducible offsets without pulling in a generator library. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
}

const round = (v: number) => Math.round(v * 100) / 100;

export async function benchCommand(dev: Device, io: CliIo, o: BenchOptions): Promise<Output> {
  const cap = await dev.readCapacity();
  if (o.blockSize % cap.blockLength !== 0) {
    throw new UsageError(
      `--bs ${o.blockSize} is not a multiple of the logical block length ${cap.blockLength}`,
    );
  }
  const blocksPerIo = o.blockSize / cap.blockLength;
  const span = o.spanBlocks !== undefined && o.spanBlocks < cap.blocks ? o.spanBlocks : cap.blocks;
  const slots = span / BigInt(blocksPerIo);
  if (slots < 1n) throw new UsageError(`--bs ${o.blockSize} is larger than the device (or --span)`);
  const random = rng(o.seed);
  let next = 0n;
  const nextLba = (): bigint => {
    if (o.pattern === 'sequential') {
      const lba = next * BigInt(blocksPerIo);
      next = (next + 1n) % slots;
      return lba;
    }
    // Two 32-bit draws cover devices beyond 2^32 slots.
    const r =
      BigInt(Math.floor(random() * 0x1_0000_0000)) * 0x1_0000_0000n +
      BigInt(Math.floor(random() * 0x1_0000_0000));
    return (r % slots) * BigInt(blocksPerIo);
  };
  // Warm the device's I/O caches (capacity, block limits, opcodes) with one plain read: the first
  // read sizes its helper commands from its options, and a shared `into` buffer is too small there.
  await dev.read(0, blocksPerIo, { retry: false });
  const latencies: number[] = [];
  let bytes = 0n;
  let errors = 0;
  let firstError: unknown;
  const start = performance.now();
  const deadline = start + o.durationMs;
  const bar = startProgress(io, `bench ${o.pattern} ${o.operation}`);
  const tick = setInterval(() => {
    const elapsed = performance.now() - start;
    const secs = elapsed / 1000;
    bar.update(Math.min(100, (elapsed / o.durationMs) * 100), {
      iops: `${Math.round(latencies.length / Math.max(secs, 1e-3))} IOPS`,
      bw: `${(Number(bytes) / 1e6 / Math.max(secs, 1e-3)).toFixed(1)} MB/s`,
    });
  }, 250);
  const worker = async (): Promise<void> => {
    const buf = new Uint8Array(o.blockSize);
    while (performance.now() < deadline && firstError === undefined) {
      const lba = nextLba();
      const t0 = performance.now();
      try {
        if (o.operation === 'read') await dev.read(lba, blocksPerIo, { into: buf, retry: false });
        else await dev.write(lba, blocksPerIo, buf, { retry: false });
        latencies.push((performance.now() - t0) * 1000);
        bytes += BigInt(o.blockSize);
      } catch (e) {
        errors++;
        firstError = e;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: o.queueDepth }, worker));
  } finally {
    clearInterval(tick);
    bar.update(100);
    bar.stop();
  }
  if (firstError !== undefined) throw firstError;
  const elapsedMs = performance.now() - start;
  const sorted = Float64Array.from(latencies).sort();
  const histogram: Array<{ fromUs: number; toUs: number; count: number }> = [];
  for (const us of sorted) {
    const i = us < 2 ? 0 : Math.floor(Math.log2(us));
    while (histogram.length <= i) {
      const k = histogram.length;
      histogram.push({ fromUs: k === 0 ? 0 : 2 ** k, toUs: 2 ** (k + 1), count: 0 });
    }
    const bucket = histogram[i];
    if (bucket !== undefined) bucket.count++;
  }
  const mean = sorted.length === 0 ? 0 : sorted.reduce((a, b) => a + b, 0) / sorted.length;
  const latencyUs = {
    min: round(sorted[0] ?? 0),
    mean: round(mean),
    p50: round(percentile(sorted, 0.5)),
    p90: round(percentile(sorted, 0.9)),
    p99: round(percentile(sorted, 0.99)),
    p999: round(percentile(sorted, 0.999)),
    max: round(sorted[sorted.length - 1] ?? 0),
  };
  const iops = round(latencies.length / (elapsedMs / 1000));
  const mbPerSecond = round(Number(bytes) / 1e6 / (elapsedMs / 1000));
  const peak = Math.max(1, ...histogram.map((b) => b.count));
  const text = [
    `${o.pattern} ${o.operation}s, bs=${o.blockSize}, qd=${o.queueDepth}, ${(elapsedMs / 1000).toFixed(2)} s`,
    `  ios=${latencies.length}  iops=${iops}  bandwidth=${mbPerSecond} MB/s  errors=${errors}`,
    `  latency (us): min=${latencyUs.min} mean=${latencyUs.mean} p50=${latencyUs.p50} p90=${latencyUs.p90} p99=${latencyUs.p99} p99.9=${latencyUs.p999} max=${latencyUs.max}`,
    '  latency histogram:',
    table(
      ['from (us)', 'to (us)', 'count', ''],
      histogram
        .filter((b) => b.count > 0)
        .map((b) => [
          String(b.fromUs),
          String(b.toUs),
          String(b.count),
          '#'.repeat(Math.ceil((b.count / peak) * 40)),
        ]),
      '    ',
    ),
  ];
  return {
    body: {
      pattern: o.pattern,
      operation: o.operation,
      blockSize: o.blockSize,
      queueDepth: o.queueDepth,
      durationMs: round(elapsedMs),
      ios: latencies.length,
      bytes,
      errors,
      iops,
      mbPerSecond,
      latencyUs,
      histogram,
    },
    text: `${text.join('\n')}\n`,
  };
}

/** Registers bench. */
export function registerBenchCommand({ runner, io, deviceCommand }: Cli): void {
  deviceCommand(
    'bench',
    'benchmark: random/sequential reads (or writes with --write), live progress, latency histogram',
  )
    .addOption(
      new Option('--pattern <p>', 'access pattern').choices(['random', 'sequential']).default('random'),
    )
    .option(
      '--bs <bytes>',
      'block size in bytes (a multiple of the logical block length)',
      int('--bs', 512, 64 * 1024 * 1024),
      4096,
    )
    .option('--qd <n>', 'queue depth (commands in flight)', int('--qd', 1, 1024), 1)
    .option(
      '-d, --duration <s>',
      'run time in seconds',
      (v) => {
        const s = Number(v);
        if (!Number.isFinite(s) || s <= 0 || s > 86_400)
          throw new UsageError(`--duration: expected seconds in (0, 86400], got "${v}"`);
        return s;
      },
      5,
    )
    .option('--span <blocks>', 'use only the first N blocks', (v) => parseBigInt(v, '--span'))
    .option('--seed <n>', 'random seed', int('--seed', 0, 2 ** 32 - 1), 1)
    .option('-w, --write', 'write instead of read (destroys data)')
    .action(
      (
        device: string,
        opts: CommonOpts & {
          pattern: 'random' | 'sequential';
          bs: number;
          qd: number;
          duration: number;
          span?: bigint;
          seed: number;
          write?: boolean;
        },
      ) =>
        runner.device('bench', device, opts, opts.write === true, (dev) =>
          benchCommand(dev, io, {
            pattern: opts.pattern,
            operation: opts.write === true ? 'write' : 'read',
            blockSize: opts.bs,
            queueDepth: opts.qd,
            durationMs: opts.duration * 1000,
            ...(opts.span === undefined ? {} : { spanBlocks: opts.span }),
            seed: opts.seed,
          }),
        ),
    );
}

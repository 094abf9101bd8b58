/**
 * The load phase of the soak: several devices × several worker threads, each keeping more commands
 * outstanding than the device's queue depth. Run twice back to back with the same loops: once with
 * the SDK's depth above the loop count (every command goes to the kernel, which queues what the
 * device cannot take), once with the SDK's depth at the device's share (the rest waits in the SDK,
 * by priority: a quarter of the loops high, a quarter low).
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { openDevice } from '@scsikit/core';

type CommandPriority = 'high' | 'normal' | 'low';

export interface LoadJob {
  readonly devices: readonly string[];
  /** The SDK's depth per device; undefined: its default, the device's sysfs queue_depth. */
  readonly queueDepth: number | undefined;
  /** Loops per device in this thread; each keeps one read outstanding. */
  readonly loops: number;
  readonly seconds: number;
  /** Give loops high/low priority (a quarter each), else all normal. */
  readonly priorities: boolean;
}

export interface PriorityFigures {
  count: number;
  meanMs: number;
  maxMs: number;
  minLoopCount: number;
}

export interface LoadResult {
  readonly commands: number;
  readonly errors: number;
  /** Per priority: commands, latency (ms) mean and max, and the fewest commands one loop completed. */
  readonly byPriority: Record<string, PriorityFigures>;
  readonly maxInFlight: number;
  readonly queueDepth: number;
}

function priorityOf(loop: number, on: boolean): CommandPriority {
  if (!on) return 'normal';
  return loop % 4 === 0 ? 'high' : loop % 4 === 1 ? 'low' : 'normal';
}

/** One thread's share: every device, `loops` reads outstanding on each. */
export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const devs = await Promise.all(
    job.devices.map((p) =>
      openDevice(p, {
        transport: 'uring',
        ...(job.queueDepth === undefined ? {} : { queueDepth: job.queueDepth }),
      }),
    ),
  );
  const stats: Record<string, { count: number; sum: number; max: number; loops: number[] }> = {};
  let commands = 0;
  let errors = 0;
  let maxInFlight = 0;
  const end = performance.now() + job.seconds * 1000;
  const loop = async (dev: (typeof devs)[number], i: number) => {
    const priority = priorityOf(i, job.priorities);
    const s = stats[priority] ?? { count: 0, sum: 0, max: 0, loops: [] };
    stats[priority] = s;
    const me = s.loops.push(0) - 1;
    const buf = new Uint8Array(4096);
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await dev.read(Math.floor(Math.random() * 4096) * 8, 8, { into: buf, priority });
      } catch {
        errors++;
      }
      const ms = performance.now() - t0;
      s.count++;
      s.loops[me] = (s.loops[me] ?? 0) + 1;
      s.sum += ms;
      s.max = Math.max(s.max, ms);
      commands++;
      maxInFlight = Math.max(maxInFlight, dev.transport.stats?.().inFlight ?? 0);
    }
  };
  await Promise.all(devs.flatMap((d) => Array.from({ length: job.loops }, (_, i) => loop(d, i))));
  const queueDepth = Math.min(...devs.map((d) => d.transport.capabilities.queueDepth));
  await Promise.all(devs.map((d) => d.close()));
  const byPriority: LoadResult['byPriority'] = {};
  for (const [k, v] of Object.entries(stats))
    byPriority[k] = {
      count: v.count,
      meanMs: v.sum / Math.max(1, v.count),
      maxMs: v.max,
      minLoopCount: Math.min(...v.loops),
    };
  return { commands, errors, byPriority, maxInFlight, queueDepth };
}

// A worker does not inherit the main thread's tsx hooks: it registers them, then loads this file.
const WORKER_BOOT = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((m) => m.register())
  .then(() => import(${JSON.stringify(import.meta.url)}));`;

/** Runs `job` in `threads` worker threads at once and sums what they report. */
export async function runThreads(threads: number, job: LoadJob): Promise<LoadResult & { iops: number }> {
  const results = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<LoadResult>((resolve, reject) => {
          const w = new Worker(WORKER_BOOT, { eval: true, workerData: job });
          w.once('message', resolve);
          w.once('error', reject);
          w.once('exit', (code) => {
            if (code !== 0) reject(new Error(`load worker exited with ${code}`));
          });
        }),
    ),
  );
  const byPriority: LoadResult['byPriority'] = {};
  for (const r of results) {
    for (const [k, v] of Object.entries(r.byPriority)) {
      const acc = byPriority[k] ?? { count: 0, meanMs: 0, maxMs: 0, minLoopCount: Number.POSITIVE_INFINITY };
      byPriority[k] = acc;
      acc.meanMs = (acc.meanMs * acc.count + v.meanMs * v.count) / Math.max(1, acc.count + v.count);
      acc.count += v.count;
      acc.maxMs = Math.max(acc.maxMs, v.maxMs);
      acc.minLoopCount = Math.min(acc.minLoopCount, v.minLoopCount);
    }
  }
  const commands = results.reduce((s, r) => s + r.commands, 0);
  return {
    commands,
    errors: results.reduce((s, r) => s + r.errors, 0),
    byPriority,
    maxInFlight: Math.max(...results.map((r) => r.maxInFlight)),
    queueDepth: Math.min(...results.map((r) => r.queueDepth)),
    iops: commands / job.seconds,
  };
}

if (!isMainThread && parentPort !== null) {
  runLoad(workerData as LoadJob).then(
    (r) => parentPort?.postMessage(r),
    (e: unknown) => {
      throw e;
    },
  );
}

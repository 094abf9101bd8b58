// Random-read load at a chosen queue depth: N random 4 KiB reads with QD workers in flight at once
// (QD 1, 8 and 32 by default), each reading into its own reused buffer; prints IOPS and the p50/p99
// latency per depth as the caller sees it, then the Device's own counters from device.stats().
// On the command line: examples/random-read-load.ts DEVICE --qd=1,4,16 --reads=2000
import { type Device, openDevice } from '@scsikit/core';
import { deviceTarget, duration, isMain, show } from './device.js';

export interface LoadOptions {
  /** Reads per queue depth. @default 500 */
  readonly reads?: number;
  /** @default [1, 8, 32] */
  readonly depths?: readonly number[];
  /** Bytes per read, a multiple of the block length (or one block when smaller). @default 4096 */
  readonly ioBytes?: number;
  /** Same seed, same LBAs: runs compare. @default 1 */
  readonly seed?: number;
}

export async function randomReadLoad(dev: Device, options: LoadOptions = {}): Promise<void> {
  const { reads = 500, depths = [1, 8, 32], ioBytes = 4096, seed = 1 } = options;
  const cap = await dev.readCapacity();
  const perIo = Math.max(1, Math.floor(ioBytes / cap.blockLength));
  const slots = Number(cap.blocks / BigInt(perIo));
  const kernelDepth = dev.transport.capabilities.queueDepth;
  show(
    'reads',
    `${reads} × ${perIo * cap.blockLength} bytes per depth, uniform over ${cap.capacityBytes / 1048576n} MiB`,
  );
  show('kernel depth', `${kernelDepth} (${dev.kind} transport; more waits in userspace)`);
  console.log(
    `  ${'QD'.padStart(4)} ${'IOPS'.padStart(8)} ${'MiB/s'.padStart(7)} ${'p50'.padStart(9)} ${'p99'.padStart(9)}`,
  );
  const random = xorshift32(seed);
  for (const qd of depths) {
    const latencies: number[] = [];
    let issued = 0;
    const t0 = performance.now();
    // One worker per queue slot: each keeps exactly one read in flight.
    await Promise.all(
      Array.from({ length: qd }, async () => {
        const into = new Uint8Array(perIo * cap.blockLength);
        while (issued < reads) {
          issued++;
          const lba = BigInt(Math.floor(random() * slots) * perIo);
          const t = performance.now();
          await dev.read(lba, perIo, { into });
          latencies.push(performance.now() - t);
        }
      }),
    );
    const s = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const at = (q: number) =>
      latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)] ?? 0;
    const capped = qd > kernelDepth ? `  (${kernelDepth} in the kernel)` : '';
    console.log(
      `  ${String(qd).padStart(4)} ${(reads / s).toFixed(0).padStart(8)} ${((reads * perIo * cap.blockLength) / 1048576 / s).toFixed(1).padStart(7)} ${duration(at(0.5)).padStart(9)} ${duration(at(0.99)).padStart(9)}${capped}`,
    );
  }
  const st = dev.stats();
  show(
    'device.stats()',
    `${st.commands} commands, ${st.failed} failed, ${st.retries} retries; transport latency p50 ${duration(st.latencyMs.p50)}, p99 ${duration(st.latencyMs.p99)}`,
  );
}

/** A small seeded generator in [0, 1): the same LBAs for the same seed. */
function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

/** `--name=1,2,3` from the command line. */
function numbers(name: string): number[] | undefined {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`));
  return arg
    ?.slice(name.length + 3)
    .split(',')
    .map(Number);
}

if (isMain(import.meta.url)) {
  await using dev = await openDevice(deviceTarget());
  const depths = numbers('qd');
  const reads = numbers('reads')?.[0];
  await randomReadLoad(dev, {
    ...(depths === undefined ? {} : { depths }),
    ...(reads === undefined ? {} : { reads }),
  });
}

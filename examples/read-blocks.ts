// Reads through io_uring: a few single blocks with their latency, then random 4 KiB reads at queue
// depth 32 (one io_uring_enter per batch, completions drained once per wake-up).
import { type Device, openDevice } from '@scsikit/core';
import { deviceTarget, hex, isMain } from './device.js';

export async function readBlocks(dev: Device): Promise<void> {
  const cap = await dev.readCapacity();
  console.log(`  transport    ${dev.transport.kind}`);
  for (const lba of [0n, 1n, cap.lastLba / 2n, cap.lastLba]) {
    const t0 = performance.now();
    const data = await dev.read(lba, 1);
    const us = ((performance.now() - t0) * 1000).toFixed(0);
    console.log(
      `  LBA ${String(lba).padStart(10)}  ${data.length} bytes in ${us.padStart(5)} µs  ${hex(data)} …`,
    );
  }
  const perRead = Math.max(1, 4096 / cap.blockLength);
  const span = Number(cap.blocks) / perRead;
  const n = 2000;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < n) {
        next++;
        await dev.read(BigInt(Math.floor(Math.random() * span) * perRead), perRead);
      }
    }),
  );
  const s = (performance.now() - t0) / 1000;
  const st = dev.stats();
  console.log(`  ${n} random 4 KiB reads at QD 32: ${(n / s).toFixed(0)} IOPS in this (emulated, TCG) guest`);
  console.log(
    `  latency p50 ${(st.latencyMs.p50 * 1000).toFixed(0)} µs, p99 ${(st.latencyMs.p99 * 1000).toFixed(0)} µs over ${st.commands} commands`,
  );
}

if (isMain(import.meta.url)) {
  await using dev = await openDevice(deviceTarget());
  await readBlocks(dev);
}

// Reads through io_uring: a few single blocks with their latency, then one larger read that the
// Device splits at the device's transfer limit, landing in a buffer the caller owns (`into`).
import { type Device, openDevice } from '@scsikit/core';
import { deviceTarget, duration, hex, isMain, show } from './device.js';

export async function readBlocks(dev: Device): Promise<void> {
  const cap = await dev.readCapacity();
  show('transport', dev.transport.kind);
  for (const lba of [0n, 1n, cap.lastLba / 2n, cap.lastLba]) {
    const t0 = performance.now();
    const data = await dev.read(lba, 1);
    const took = duration(performance.now() - t0);
    console.log(
      `  LBA ${String(lba).padStart(12)}  ${data.length} bytes in ${took.padStart(9)}  ${hex(data)} …`,
    );
  }
  // 4 MiB (or the whole disk if smaller): more than one command carries on most paths.
  const want = BigInt(Math.floor((4 << 20) / cap.blockLength));
  const blocks = Number(want < cap.blocks ? want : cap.blocks);
  const into = new Uint8Array(blocks * cap.blockLength);
  const before = dev.stats().commands;
  const t0 = performance.now();
  const view = await dev.read(0, blocks, { into });
  const ms = performance.now() - t0;
  show(
    'large read',
    `${view.length} bytes into the caller's buffer in ${duration(ms)}, as ${dev.stats().commands - before} READ commands`,
  );
}

if (isMain(import.meta.url)) {
  await using dev = await openDevice(deviceTarget());
  await readBlocks(dev);
}

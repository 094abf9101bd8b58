import { openDevice } from '@scsikit/core';
import { EmulatedDisk } from '@scsikit/emulated-disk';
import { describe, expect, it } from 'vitest';
import { fixedReadRun, inquiryRun, type ReadPattern, readRun } from '../src/scsikit.js';

// The scsikit workloads of the lab part, run here against the in-process emulated disk: the same
// public API calls, so a mistake in them shows up before a 15-minute lab run.
describe('scsikit workloads over the public API (emulated disk)', () => {
  const open = () =>
    openDevice(
      new EmulatedDisk({ capacity: { blocks: 4096 }, fixedBuffers: { count: 8, bufferBytes: 131072 } }),
    );

  it('INQUIRY one at a time and in batches', async () => {
    const dev = await open();
    const one = await inquiryRun(dev, 1, { seconds: 10, maxCount: 50 });
    const batched = await inquiryRun(dev, 16, { seconds: 10, maxCount: 64 });
    expect(one.count).toBe(50);
    expect(batched.count).toBe(64);
    expect(batched.lat.samples).toBe(4);
    expect(dev.stats().succeeded).toBe(114);
    await dev.close();
  });

  it.each([
    ['random 4 KiB', { bs: 4096, blockLength: 512, lbaCount: 4096, sequential: false }],
    ['sequential 128 KiB', { bs: 131072, blockLength: 512, lbaCount: 4096, sequential: true }],
  ] as const)('%s reads through Device.read and with fixed-buffer leases', async (_, p: ReadPattern) => {
    const dev = await open();
    const plain = await readRun(dev, 4, p, { seconds: 10, maxCount: 40 });
    const fixed = await fixedReadRun(dev, 4, p, { seconds: 10, maxCount: 40 });
    expect(plain.count).toBe(40);
    expect(fixed.count).toBe(40);
    // Every lease went back to the pool.
    expect(dev.transport.pool?.available).toBe(8);
    // Both runs went through Device.read, plus its one-time READ CAPACITY / VPD look-ups.
    const read = dev.stats().bytesRead;
    expect(read).toBeGreaterThanOrEqual(80 * p.bs);
    expect(read).toBeLessThan(80 * p.bs + 8192);
    await dev.close();
  });

  it('refuses fixed-buffer reads on a device opened without them', async () => {
    const dev = await openDevice(new EmulatedDisk({ capacity: { blocks: 64 } }));
    await expect(
      fixedReadRun(dev, 1, { bs: 4096, blockLength: 512, lbaCount: 64, sequential: false }, { seconds: 1 }),
    ).rejects.toThrow(/without fixed buffers/u);
    await dev.close();
  });
});

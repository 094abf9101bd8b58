// Device.executeBatch against the default profile's scsi_debug disk over io_uring: INQUIRY and
// READs in one batch match what one-at-a-time commands return, a failing command settles alone,
// and a read-only device refuses a batch holding a write before any command is sent.
import { buildInquiry, buildRead16, buildWrite10 } from '@scsikit/cdb';
import { readLabManifest } from '@scsikit/lab';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckConditionError, type Device, openDevice, PermissionError } from '../src/index.js';

const disk = readLabManifest().devices.find((d) => d.kind === 'scsi_debug');
if (disk === undefined) throw new Error('the default profile has a scsi_debug disk');
const opened: Device[] = [];
afterAll(async () => {
  for (const d of opened) await d.close();
});

describe(`Device.executeBatch on ${disk.hctl} (scsi_debug, io_uring)`, () => {
  it('64 INQUIRY and 32 READs in one batch answer as one-at-a-time commands do', async () => {
    const dev = await openDevice(disk.bsg, { transport: 'uring' });
    opened.push(dev);
    expect(dev.transport.kind).toBe('uring');
    const { blockLength, lastLba } = await dev.readCapacity();
    const blocks = 4096 / blockLength;
    const lbas = Array.from({ length: 32 }, (_, i) => (i * 997 * blocks) % Number(lastLba - BigInt(blocks)));
    const single = await dev.execute(buildInquiry({ allocationLength: 96 }));
    const singles = [];
    for (const lba of lbas) singles.push((await dev.read(lba, blocks)).slice());
    const into = lbas.map(() => new Uint8Array(4096));
    const before = dev.stats().commands;
    const out = await dev.executeBatch([
      ...Array.from({ length: 64 }, () => buildInquiry({ allocationLength: 96 })),
      ...lbas.map((lba, i) => ({
        command: buildRead16({ lba: BigInt(lba), blocks, blockLength }),
        options: { into: into[i] as Uint8Array },
      })),
    ]);
    expect(out).toHaveLength(96);
    for (const [i, o] of out.entries()) {
      if (!o.ok) throw new Error(`command ${i}: ${o.error.message}`);
      if (i < 64) expect(o.result.data).toEqual(single.data);
    }
    for (const [i, buf] of into.entries()) expect(buf).toEqual(singles[i]);
    expect(dev.stats().commands - before).toBe(96);
  });

  it('a READ past the end settles alone as a CheckConditionError', async () => {
    const dev = await openDevice(disk.bsg, { transport: 'uring' });
    opened.push(dev);
    const { blockLength, lastLba } = await dev.readCapacity();
    const out = await dev.executeBatch(
      [
        buildInquiry({ allocationLength: 36 }),
        buildRead16({ lba: lastLba + 1n, blocks: 1, blockLength }),
        buildInquiry({ allocationLength: 36 }),
      ],
      { retry: false },
    );
    expect(out.map((o) => o.ok)).toEqual([true, false, true]);
    const bad = out[1];
    if (bad?.ok !== false) throw new Error('expected the READ past the end to fail');
    expect(bad.error).toBeInstanceOf(CheckConditionError);
    expect(bad.error).toMatchObject({ senseKey: 5, asc: 0x21 });
  });

  it('read-only: a WRITE anywhere in the batch refuses it before anything is sent', async () => {
    const dev = await openDevice(disk.bsg, { transport: 'uring' });
    opened.push(dev);
    const submitted = dev.transport.stats?.().submitted;
    expect(submitted).toBeTypeOf('number');
    const e = await dev
      .executeBatch([
        buildInquiry({ allocationLength: 36 }),
        {
          command: buildWrite10({ lba: 0, blocks: 1, blockLength: 512 }),
          options: { data: new Uint8Array(512) },
        },
      ])
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PermissionError);
    expect(dev.transport.stats?.().submitted).toBe(submitted);
  });
});

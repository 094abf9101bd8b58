// Zoned commands on scsi_debug's host-managed ZBC disk (4 MiB zones, the first conventional):
// REPORT ZONES, writes at the write pointer, zone state changes, and the errors ZBC defines.
import { readLabManifest } from '@scsikit/lab';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckConditionError, type Device, openDevice } from '../src/index.js';

const manifest = readLabManifest();
const lab = manifest.devices.find((d) => d.type === 0x14);

// Zone conditions (ZBC-2).
const EMPTY = 0x1;
const EXPLICITLY_OPEN = 0x3;
const CLOSED = 0x4;
const FULL = 0xe;

let dev: Device;
let blockLength = 512;

beforeAll(async () => {
  expect(lab, 'the zoned profile has a host-managed disk').toBeDefined();
  dev = await openDevice(lab!.bsg, { write: true });
  blockLength = (await dev.readCapacity()).blockLength;
});

afterAll(async () => {
  await dev?.zones.resetWritePointer({ all: true }).catch(() => undefined);
  await dev?.close();
});

async function zone(n: number) {
  const all = await dev.zones.reportZones();
  const z = all.zones[n];
  expect(z, `zone ${n}`).toBeDefined();
  return z!;
}

async function sense(p: Promise<unknown>): Promise<[number, number, number]> {
  const e = await p.then(
    () => expect.fail('the command succeeded'),
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(CheckConditionError);
  const c = e as CheckConditionError;
  return [c.senseKey, c.asc, c.ascq];
}

describe(`zoned commands on ${lab?.hctl ?? 'no zoned disk'} (${manifest.profile})`, () => {
  it('REPORT ZONES: one conventional zone, then sequential-write-required zones covering the disk', async () => {
    const cap = await dev.readCapacity();
    const all = await dev.zones.reportZones();
    expect(all.maximumLba).toBe(cap.lastLba);
    expect(all.zones[0]?.zoneType).toBe(0x1);
    expect(all.zones[1]?.zoneType).toBe(0x2);
    const zoneBlocks = BigInt((4 * 1024 * 1024) / blockLength);
    expect(all.zones[1]?.zoneLength).toBe(zoneBlocks);
    expect(BigInt(all.zoneListLength / 64) * zoneBlocks).toBe(cap.blocks);
    // A small allocation length returns fewer descriptors, never a cut one.
    const two = await dev.zones.reportZones({ allocationLength: 64 * 3 });
    expect(two.zones.length).toBe(2);
    // Filtered from a start LBA.
    const from = await dev.zones.reportZones({ startLba: zoneBlocks * 2n, allocationLength: 128 });
    expect(from.zones[0]?.zoneStartLba).toBe(zoneBlocks * 2n);
  });

  it('writes at the write pointer advance it; an unaligned write is 05/21/04', async () => {
    await dev.zones.resetWritePointer({ all: true });
    const z = await zone(1);
    expect(z.zoneCondition).toBe(EMPTY);
    const data = new Uint8Array(8 * blockLength).fill(0x5a);
    await dev.write(z.zoneStartLba, 8, data);
    const after = await zone(1);
    expect(after.writePointerLba).toBe(z.zoneStartLba + 8n);
    expect(await dev.read(z.zoneStartLba, 8)).toEqual(data);
    // ZBC: UNALIGNED WRITE COMMAND when the write does not start at the write pointer.
    expect(await sense(dev.write(z.zoneStartLba + 100n, 1, data.subarray(0, blockLength)))).toEqual([
      5, 0x21, 0x04,
    ]);
  });

  it('open, close, finish and reset change the zone condition', async () => {
    const z = await zone(2);
    await dev.zones.openZone(z.zoneStartLba);
    expect((await zone(2)).zoneCondition).toBe(EXPLICITLY_OPEN);
    await dev.write(z.zoneStartLba, 1, new Uint8Array(blockLength));
    await dev.zones.closeZone(z.zoneStartLba);
    expect((await zone(2)).zoneCondition).toBe(CLOSED);
    await dev.zones.finishZone(z.zoneStartLba);
    const full = await zone(2);
    expect(full.zoneCondition).toBe(FULL);
    // Writing to a full zone is refused.
    const [key] = await sense(dev.write(z.zoneStartLba, 1, new Uint8Array(blockLength)));
    expect(key).toBe(5);
    await dev.zones.resetWritePointer(z.zoneStartLba);
    const reset = await zone(2);
    expect(reset.zoneCondition).toBe(EMPTY);
    expect(reset.writePointerLba).toBe(z.zoneStartLba);
  });

  it('a zone action on an LBA that is not a zone start is INVALID FIELD IN CDB', async () => {
    const z = await zone(3);
    expect(await sense(dev.zones.openZone(z.zoneStartLba + 1n))).toEqual([5, 0x24, 0]);
  });
});

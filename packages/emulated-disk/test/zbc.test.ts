import {
  buildCloseZone,
  buildFinishZone,
  buildInquiry,
  buildOpenZone,
  buildRead16,
  buildReadCapacity16,
  buildReportZones,
  buildResetWritePointer,
  buildWrite16,
  decodeReadCapacity16,
  decodeReportZones,
  decodeStandardInquiry,
  decodeVpdPage,
} from '@scsikit/cdb';
import { describe, expect, it } from 'vitest';
import { EmulatedDisk, EmulatedDiskOptionsError, ZoneCondition } from '../src/index.js';
import { expectSense, good, pattern, send } from './helpers.js';

const ZONE = 1024;
const zoned = (maxOpenZones?: number) =>
  new EmulatedDisk({
    capacity: { blocks: ZONE * 8 },
    zoned: { zoneSize: ZONE, conventionalZones: 2, ...(maxOpenZones === undefined ? {} : { maxOpenZones }) },
  });

async function zones(disk: EmulatedDisk, options: Parameters<typeof buildReportZones>[0] = {}) {
  return decodeReportZones((await good(disk, buildReportZones(options))).data);
}

describe('host-managed zoned disk', () => {
  it('identifies as PDT 14h with VPD B6h and RC BASIS 1', async () => {
    const disk = zoned(4);
    expect(decodeStandardInquiry((await good(disk, buildInquiry())).data).peripheralDeviceType).toBe(0x14);
    expect(
      decodeVpdPage((await good(disk, buildInquiry({ evpd: true, pageCode: 0xb6 }))).data),
    ).toMatchObject({
      kind: 'zonedBlockDeviceCharacteristics',
      urswrz: true,
      maximumNumberOfOpenSequentialWriteRequiredZones: 4,
    });
    expect(decodeReadCapacity16((await good(disk, buildReadCapacity16())).data).rcBasis).toBe(1);
  });

  it('REPORT ZONES lists conventional then empty sequential zones; PARTIAL and options', async () => {
    const disk = zoned();
    const all = await zones(disk);
    expect(all.zones).toHaveLength(8);
    expect(all.maximumLba).toBe(BigInt(ZONE * 8 - 1));
    expect(all.zones.map((z) => z.zoneType)).toEqual([1, 1, 2, 2, 2, 2, 2, 2]);
    expect(all.zones[2]).toMatchObject({
      zoneCondition: ZoneCondition.EMPTY,
      zoneStartLba: 2048n,
      writePointerLba: 2048n,
      zoneLength: 1024n,
    });
    const partial = await zones(disk, {
      zoneStartLba: 3 * ZONE,
      allocationLength: 64 + 2 * 64,
      partial: true,
    });
    expect(partial.zoneListLength).toBe(128);
    expect(partial.zones.map((z) => z.zoneStartLba)).toEqual([3072n, 4096n]);
    const notPartial = await zones(disk, { zoneStartLba: 3 * ZONE, allocationLength: 64 + 2 * 64 });
    expect(notPartial.zoneListLength).toBe(5 * 64);
    expect(notPartial.truncated).toBe(true);
    expect((await zones(disk, { reportingOptions: 0x3f })).zones).toHaveLength(2);
    expectSense(await send(disk, buildReportZones({ zoneStartLba: ZONE * 8 })), 5, 0x21, 0);
  });

  it('sequential writes advance the write pointer; the wrong LBA is UNALIGNED WRITE 21h/04h', async () => {
    const disk = zoned();
    const z = 2 * ZONE;
    await good(disk, buildWrite16({ lba: z, blocks: 4 }), pattern(2048, 1));
    await good(disk, buildWrite16({ lba: z + 4, blocks: 4 }), pattern(2048, 2));
    expect((await zones(disk, { zoneStartLba: z })).zones[0]).toMatchObject({
      zoneCondition: ZoneCondition.IMPLICITLY_OPEN,
      writePointerLba: BigInt(z + 8),
    });
    expectSense(await send(disk, buildWrite16({ lba: z + 20, blocks: 1 }), pattern(512, 3)), 5, 0x21, 0x04);
    expectSense(await send(disk, buildWrite16({ lba: z, blocks: 1 }), pattern(512, 3)), 5, 0x21, 0x04);
    // Conventional zones take writes anywhere.
    await good(disk, buildWrite16({ lba: 700, blocks: 1 }), pattern(512, 4));
    expect((await good(disk, buildRead16({ lba: z, blocks: 8 }))).data.subarray(0, 2048)).toEqual(
      pattern(2048, 1),
    );
  });

  it('crossing a zone end is WRITE BOUNDARY VIOLATION 21h/05h; a full zone is 24h/00h', async () => {
    const disk = zoned();
    const z = 3 * ZONE;
    await good(disk, buildWrite16({ lba: z, blocks: ZONE - 2 }), new Uint8Array((ZONE - 2) * 512));
    expectSense(
      await send(disk, buildWrite16({ lba: z + ZONE - 2, blocks: 4 }), new Uint8Array(2048)),
      5,
      0x21,
      0x05,
    );
    await good(disk, buildWrite16({ lba: z + ZONE - 2, blocks: 2 }), new Uint8Array(1024));
    expect((await zones(disk, { zoneStartLba: z })).zones[0]?.zoneCondition).toBe(ZoneCondition.FULL);
    expectSense(
      await send(disk, buildWrite16({ lba: z + 5, blocks: 1 }), new Uint8Array(512)),
      5,
      0x24,
      0x00,
    );
    // A write from the last conventional zone into the first sequential one crosses zone types.
    expectSense(
      await send(disk, buildWrite16({ lba: 2 * ZONE - 1, blocks: 2 }), new Uint8Array(1024)),
      5,
      0x21,
      0x05,
    );
  });

  it('OPEN, CLOSE, FINISH, RESET WRITE POINTER (one zone and ALL)', async () => {
    const disk = zoned();
    const z = 4 * ZONE;
    const cond = async () => (await zones(disk, { zoneStartLba: z })).zones[0];
    await good(disk, buildOpenZone({ zoneId: z }));
    expect((await cond())?.zoneCondition).toBe(ZoneCondition.EXPLICITLY_OPEN);
    await good(disk, buildWrite16({ lba: z, blocks: 2 }), pattern(1024, 7));
    await good(disk, buildCloseZone({ zoneId: z }));
    expect(await cond()).toMatchObject({
      zoneCondition: ZoneCondition.CLOSED,
      writePointerLba: BigInt(z + 2),
    });
    await good(disk, buildFinishZone({ zoneId: z }));
    expect(await cond()).toMatchObject({ zoneCondition: ZoneCondition.FULL });
    await good(disk, buildResetWritePointer({ zoneId: z }));
    expect(await cond()).toMatchObject({ zoneCondition: ZoneCondition.EMPTY, writePointerLba: BigInt(z) });
    expect((await good(disk, buildRead16({ lba: z, blocks: 2 }))).data).toEqual(new Uint8Array(1024));
    // A zone id that is not a zone start, or a conventional zone: INVALID FIELD IN CDB.
    expectSense(await send(disk, buildOpenZone({ zoneId: z + 1 })), 5, 0x24, 0);
    expectSense(await send(disk, buildOpenZone({ zoneId: 0 })), 5, 0x24, 0);
    await good(disk, buildWrite16({ lba: 5 * ZONE, blocks: 1 }), pattern(512, 1));
    await good(disk, buildResetWritePointer({ all: true }));
    expect((await zones(disk, { reportingOptions: 0x01 })).zones).toHaveLength(6);
  });

  it('maxOpenZones: one too many is DATA PROTECT 55h/0Eh', async () => {
    const disk = zoned(1);
    await good(disk, buildWrite16({ lba: 2 * ZONE, blocks: 1 }), pattern(512, 1));
    expectSense(await send(disk, buildWrite16({ lba: 3 * ZONE, blocks: 1 }), pattern(512, 1)), 7, 0x55, 0x0e);
    expectSense(await send(disk, buildOpenZone({ zoneId: 3 * ZONE })), 7, 0x55, 0x0e);
  });

  it('rejects a capacity that is not a whole number of zones', () => {
    expect(() => new EmulatedDisk({ capacity: { blocks: 1000 }, zoned: { zoneSize: 256 } })).toThrow(
      EmulatedDiskOptionsError,
    );
    expect(() => new EmulatedDisk({ capacity: { blocks: 1024 }, zoned: { zoneSize: 100 } })).toThrow(
      /power of two/,
    );
  });
});

import {
  buildAtaIdentifyDevice,
  buildCompareAndWrite,
  buildFormatUnit,
  buildInquiry,
  buildPrRegister,
  buildRead16,
  buildRead32,
  buildReadCapacity16,
  buildReportSupportedOperationCodes,
  buildSanitize,
  buildSynchronizeCache10,
  buildUnmap,
  buildWrite32,
  buildWriteBuffer,
  buildZbcOut,
} from '@scsikit/cdb';
import { EmulatedDisk } from '@scsikit/emulated-disk';
import { describe, expect, it } from 'vitest';
import { classifyCommand, openDevice, PermissionError } from '../src/index.js';
import { scripted } from './helpers.js';

describe('classifyCommand', () => {
  it.each([
    ['INQUIRY', buildInquiry().cdb, 'read', true],
    ['READ(16)', buildRead16({ lba: 0, blocks: 1 }).cdb, 'read', true],
    ['READ(32)', buildRead32({ lba: 0, blocks: 1 }).cdb, 'read', true],
    ['READ CAPACITY(16)', buildReadCapacity16().cdb, 'read', true],
    ['REPORT SUPPORTED OPCODES', buildReportSupportedOperationCodes({ mode: 'all' }).cdb, 'read', true],
    ['SYNCHRONIZE CACHE(10)', buildSynchronizeCache10().cdb, 'write', true],
    ['ATA IDENTIFY (PIO in)', buildAtaIdentifyDevice().cdb, 'read', true],
    ['WRITE(32)', buildWrite32({ lba: 0, blocks: 1 }).cdb, 'write', true],
    ['UNMAP', buildUnmap({ parameterListLength: 24 }).cdb, 'write', true],
    ['ZBC OUT', buildZbcOut('resetWritePointer', { all: true }).cdb, 'write', true],
    ['COMPARE AND WRITE', buildCompareAndWrite({ lba: 0, blocks: 1 }).cdb, 'write', false],
    ['PR OUT', buildPrRegister({ newKey: 1n }).spec.cdb, 'write', false],
    ['FORMAT UNIT', buildFormatUnit().cdb, 'write', false],
    ['SANITIZE', buildSanitize({ serviceAction: 'blockErase' }).cdb, 'write', false],
    [
      'WRITE BUFFER',
      buildWriteBuffer({ mode: 0x05, bufferId: 0, bufferOffset: 0, parameterListLength: 0 }).cdb,
      'write',
      false,
    ],
    ['vendor C0h', new Uint8Array([0xc0, 0, 0, 0, 0, 0]), 'write', false],
    [
      'ATA non-data',
      new Uint8Array([0x85, 3 << 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xe7, 0]),
      'write',
      false,
    ],
  ] as const)('%s', (_name, cdb, access, idempotent) => {
    expect(classifyCommand(cdb)).toEqual({ access, idempotent });
  });
});

describe('the read-only guard classifies by the device type', () => {
  it("takes an emulated device's type from its transport: READ(10) is no command of an enclosure's", async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 64 } });
    const base = scripted(disk, {});
    const enclosure = { ...base, capabilities: { ...base.capabilities, peripheralType: 0x0d } };
    const dev = await openDevice(enclosure);
    const read10 = new Uint8Array([0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    await expect(dev.execute(read10, { transferLength: 512 })).rejects.toBeInstanceOf(PermissionError);
    expect(base.sent).toEqual([]);
    // SPC commands are every type's: INQUIRY goes out.
    await dev.execute(buildInquiry().cdb.slice(), { transferLength: 96 });
    expect(base.sent.map((c) => c[0])).toEqual([0x12]);
    // The same transport as a disk sends READ(10) read-only.
    const asDisk = await openDevice(base);
    await asDisk.execute(read10, { transferLength: 512 });
    expect(base.sent.map((c) => c[0])).toEqual([0x12, 0x28]);
    expect(classifyCommand(read10, 0x0d)).toEqual({ access: 'write', idempotent: false });
    expect(classifyCommand(read10, 0x05)).toEqual({ access: 'read', idempotent: true });
  });
});

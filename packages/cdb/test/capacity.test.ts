import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../src/errors.js';
import { decodeReadCapacity10, decodeReadCapacity16 } from '../src/pages/capacity.js';

function bytes(...parts: number[]): Uint8Array {
  return new Uint8Array(parts);
}

function rejectsOnlyWithDecodeError(decode: (b: Uint8Array) => unknown): void {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      try {
        decode(b);
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
      }
    }),
    { numRuns: 2000 },
  );
}

describe('decodeReadCapacity10 (SBC-4 "READ CAPACITY (10) parameter data")', () => {
  it('decodes a 256 MiB scsi_debug disk', () => {
    const d = decodeReadCapacity10(bytes(0x00, 0x07, 0xff, 0xff, 0x00, 0x00, 0x02, 0x00));
    expect(d.returnedLogicalBlockAddress).toBe(524287);
    expect(d.lastLba).toBe(524287n);
    expect(d.blockLength).toBe(512);
    expect(d.logicalBlockLengthInBytes).toBe(512);
    expect(d.capacityBytes).toBe(256n * 1024n * 1024n);
    expect(d.needsReadCapacity16).toBe(false);
  });

  it('flags FFFFFFFFh as "use READ CAPACITY(16)"', () => {
    const d = decodeReadCapacity10(bytes(0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x10, 0x00));
    expect(d.needsReadCapacity16).toBe(true);
    expect(d.blockLength).toBe(4096);
  });

  it('accepts an ArrayBuffer', () => {
    const d = decodeReadCapacity10(new ArrayBuffer(8));
    expect(d.lastLba).toBe(0n);
    expect(decodeReadCapacity10(bytes(0, 0, 0, 9, 0, 0, 2, 0)).lastLba).toBe(9n);
  });

  it('rejects a short buffer naming the field', () => {
    expect(() => decodeReadCapacity10(bytes(0, 0, 0, 1, 0, 0))).toThrowError(DecodeError);
    expect(() => decodeReadCapacity10(bytes(0, 0, 0, 1, 0, 0))).toThrowError(/logicalBlockLengthInBytes/);
  });

  it('never throws anything but DecodeError', () => rejectsOnlyWithDecodeError(decodeReadCapacity10));
});

function rc16(lastLba: bigint, blockLength: number, b12: number, b13: number, b14: number, b15: number) {
  const b = new Uint8Array(32);
  new DataView(b.buffer).setBigUint64(0, lastLba);
  new DataView(b.buffer).setUint32(8, blockLength);
  b[12] = b12;
  b[13] = b13;
  b[14] = b14;
  b[15] = b15;
  return b;
}

describe('decodeReadCapacity16 (SBC-4 "READ CAPACITY (16) parameter data")', () => {
  it('decodes a 256 MiB scsi_debug disk', () => {
    const d = decodeReadCapacity16(rc16(524287n, 512, 0, 0, 0, 0));
    expect(d.lastLba).toBe(524287n);
    expect(d.returnedLogicalBlockAddress).toBe(524287n);
    expect(d.blockLength).toBe(512);
    expect(d.capacityBytes).toBe(268435456n);
    expect(d.protEn).toBe(false);
    expect(d.protectionTypeName).toBe('none');
    expect(d.protectionType).toBe(0);
    expect(d.lbpme).toBe(false);
    expect(d.physicalBlockLength).toBe(512);
    expect(d.truncated).toBe(false);
    expect(d.reserved).toHaveLength(16);
  });

  it('decodes a 4Kn-physical thin-provisioned disk with type 2 protection', () => {
    // PROT_EN=1, P_TYPE=1 (type 2), RC BASIS=01b; P_I_EXPONENT=2, LBPPBE=3; LBPME, LBPRZ, lowest aligned 0x0107.
    const d = decodeReadCapacity16(rc16(0x1_0000_0000n, 512, 0x13, 0x23, 0xc1, 0x07));
    expect(d.protEn).toBe(true);
    expect(d.pType).toBe(1);
    expect(d.protectionType).toBe(2);
    expect(d.protectionTypeName).toBe('type2');
    expect(d.rcBasis).toBe(1);
    expect(d.pIExponent).toBe(2);
    expect(d.logicalBlocksPerPhysicalBlockExponent).toBe(3);
    expect(d.physicalBlockLength).toBe(4096);
    expect(d.lbpme).toBe(true);
    expect(d.lbprz).toBe(true);
    expect(d.lowestAlignedLba).toBe(0x107);
    expect(d.capacityBytes).toBe(0x1_0000_0001n * 512n);
  });

  it('names reserved P_TYPE values', () => {
    const d = decodeReadCapacity16(rc16(1n, 512, 0x07, 0, 0, 0));
    expect(d.pType).toBe(3);
    expect(d.protectionTypeName).toBe('reserved');
    expect(d.protectionType).toBe(0);
  });

  it('handles a 64-bit maximum LBA without overflow', () => {
    const d = decodeReadCapacity16(rc16(0xffff_ffff_ffff_fffen, 4096, 0, 0, 0, 0));
    expect(d.capacityBytes).toBe(0xffff_ffff_ffff_ffffn * 4096n);
  });

  it('accepts a 16..31-byte answer as truncated, rejects fewer than 16', () => {
    const d = decodeReadCapacity16(rc16(7n, 512, 0, 0, 0x80, 0).subarray(0, 16));
    expect(d.truncated).toBe(true);
    expect(d.requiredLength).toBe(32);
    expect(d.availableLength).toBe(16);
    expect(d.lbpme).toBe(true);
    expect(() => decodeReadCapacity16(rc16(7n, 512, 0, 0, 0, 0).subarray(0, 12))).toThrowError(DecodeError);
  });

  it('never throws anything but DecodeError', () => rejectsOnlyWithDecodeError(decodeReadCapacity16));
});

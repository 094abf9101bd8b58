import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex } from '../src/bytes.js';
import {
  buildCompareAndWrite,
  buildOrwrite16,
  buildPreFetch10,
  buildPreFetch16,
  buildRead,
  buildRead6,
  buildRead10,
  buildRead12,
  buildRead16,
  buildRead32,
  buildReadAuto,
  buildSynchronizeCache10,
  buildSynchronizeCache16,
  buildVerify,
  buildVerify10,
  buildVerify12,
  buildVerify16,
  buildVerify32,
  buildWrite,
  buildWrite6,
  buildWrite10,
  buildWrite12,
  buildWrite16,
  buildWrite32,
  buildWriteAndVerify,
  buildWriteAndVerify10,
  buildWriteAndVerify12,
  buildWriteAndVerify16,
  buildWriteAndVerify32,
  buildWriteAtomic16,
  buildWriteAuto,
  buildWriteSame10,
  buildWriteSame16,
  buildWriteSame32,
  encodeRead10,
  encodeRead16,
  encodeWrite10,
  encodeWrite16,
  ReadAutoParamsSchema,
  ReadParamsSchema,
  RwFlag,
  VerifyParamsSchema,
  WriteAtomicParamsSchema,
  WriteParamsSchema,
} from '../src/commands/sbc-io.js';
import { CdbBuildError } from '../src/errors.js';
import type { CdbSpec } from '../src/types.js';
import { buildError, bytes, h } from './helpers.js';

/** Throws `fn` and returns the CdbBuildError, failing the test for any other outcome. */

/** Test-local parser: LBA and length field of a READ/WRITE/VERIFY-shaped CDB, straight from the T10 layout. */
function parseRw(cdb: Uint8Array): { lba: bigint; length: number; size: number } {
  const v = new DataView(cdb.buffer, cdb.byteOffset, cdb.byteLength);
  switch (cdb.length) {
    case 6:
      return { size: 6, lba: BigInt(((cdb[1]! & 0x1f) << 16) | v.getUint16(2)), length: cdb[4]! };
    case 10:
      return { size: 10, lba: BigInt(v.getUint32(2)), length: v.getUint16(7) };
    case 12:
      return { size: 12, lba: BigInt(v.getUint32(2)), length: v.getUint32(6) };
    case 16:
      return { size: 16, lba: v.getBigUint64(2), length: v.getUint32(10) };
    case 32:
      expect(cdb[0]).toBe(0x7f);
      expect(cdb[7]).toBe(0x18);
      return { size: 32, lba: v.getBigUint64(12), length: v.getUint32(28) };
    default:
      throw new Error(`bad CDB length ${cdb.length}`);
  }
}

describe('READ (SBC-4 READ (6|10|12|16|32) tables)', () => {
  it('READ(6): 21-bit LBA, 256 blocks encoded as 0', () => {
    const s = buildRead6({ lba: 0x12345, blocks: 256 });
    expect(bytes(s)).toBe(h('08 01 23 45 00 00'));
    expect(s).toMatchObject({ direction: 'in', transferLength: 256 * 512, name: 'READ(6)' });
    expect(bytes(buildRead6({ lba: 0x1fffff, blocks: 1, control: 4 }))).toBe(h('08 1f ff ff 01 04'));
  });

  it('READ(6): refuses 0 blocks (it would mean 256), LBA ≥ 2^21 and flags it cannot carry', () => {
    expect(buildError(() => buildRead6({ lba: 0, blocks: 0 })).field).toBe('blocks');
    expect(buildError(() => buildRead6({ lba: 0, blocks: 257 })).field).toBe('blocks');
    expect(buildError(() => buildRead6({ lba: 0x200000, blocks: 1 })).field).toBe('lba');
    expect(buildError(() => buildRead6({ lba: 0, blocks: 1, fua: true })).message).toMatch(
      /not available in READ\(6\)/u,
    );
    expect(buildError(() => buildRead6({ lba: 0, blocks: 1, group: 1 })).field).toBe('group');
  });

  it('READ(10): flags, group, length', () => {
    const s = buildRead10({
      lba: 0x01020304,
      blocks: 0x0506,
      rdprotect: 1,
      dpo: true,
      fua: true,
      rarc: true,
      group: 3,
      control: 0,
    });
    expect(bytes(s)).toBe(h('28 3c 01 02 03 04 03 05 06 00'));
    expect(s).toMatchObject({ direction: 'in', transferLength: 0x506 * 512, name: 'READ(10)' });
  });

  it('READ(10): 0 blocks transfers nothing (not 65536) and is direction none', () => {
    expect(buildRead10({ lba: 7, blocks: 0 })).toMatchObject({ direction: 'none', transferLength: 0 });
  });

  it('READ(12)', () => {
    const s = buildRead12({ lba: 0xfffffffe, blocks: 0x10000, fua: true, group: 0x3f, blockLength: 4096 });
    expect(bytes(s)).toBe(h('a8 08 ff ff ff fe 00 01 00 00 3f 00'));
    expect(s.transferLength).toBe(0x10000 * 4096);
  });

  it('READ(16): 64-bit LBA and the DLD bits (DLD2 byte 1 bit 0, DLD1/DLD0 byte 14 bits 7-6)', () => {
    const s = buildRead16({
      lba: 0x0102030405060708n,
      blocks: 0x0a0b0c0d,
      dld: 7,
      group: 5,
      blockLength: 520,
    });
    expect(bytes(s)).toBe(h('88 01 01 02 03 04 05 06 07 08 0a 0b 0c 0d c5 00'));
    expect(s.transferLength).toBe(0x0a0b0c0d * 520);
    expect(bytes(buildRead16({ lba: 0, blocks: 1, dld: 1 }))).toBe(
      h('88 00 0000000000000000 00000001 40 00'),
    );
    expect(bytes(buildRead16({ lba: 0, blocks: 1, dld: 2 }))).toBe(
      h('88 00 0000000000000000 00000001 80 00'),
    );
  });

  it('READ(32): variable-length CDB 7Fh / SA 0009h with EILBRT, ELBAT, LBATM', () => {
    const s = buildRead32({
      lba: 0x1122334455667788n,
      blocks: 0x10,
      rdprotect: 2,
      dpo: true,
      group: 1,
      control: 0x04,
      eilbrt: 0xa1a2a3a4,
      elbat: 0xb1b2,
      lbatm: 0xffff,
    });
    expect(bytes(s)).toBe(
      h('7f 04 00 00 00 00 01 18 00 09 50 00 1122334455667788 a1a2a3a4 b1b2 ffff 00000010'),
    );
    expect(s).toMatchObject({ direction: 'in', transferLength: 16 * 512, name: 'READ(32)' });
  });

  it('refuses fields a size cannot carry instead of dropping them', () => {
    expect(buildError(() => buildRead10({ lba: 0, blocks: 1, dld: 1 })).field).toBe('dld');
    expect(buildError(() => buildRead16({ lba: 0, blocks: 1, eilbrt: 1 })).field).toBe('eilbrt');
    expect(buildError(() => buildRead10({ lba: 2 ** 32, blocks: 1 })).field).toBe('lba');
    expect(buildError(() => buildRead10({ lba: 0, blocks: 0x10000 })).field).toBe('blocks');
    expect(buildError(() => buildRead16({ lba: 1n << 64n, blocks: 1 })).field).toBe('lba');
    expect(buildError(() => buildRead16({ lba: 0, blocks: 1, rdprotect: 8 })).field).toBe('rdprotect');
    expect(buildError(() => buildRead16({ lba: 0, blocks: 1, group: 64 })).field).toBe('group');
    expect(buildError(() => buildRead16({ lba: 0, blocks: 1, blockLength: 0 })).field).toBe('blockLength');
    expect(buildError(() => buildRead16({ lba: -1, blocks: 1 })).message).toMatch(/^lba: /u);
    expect(buildError(() => buildRead({ lba: 0, blocks: 1 }, { size: 8 as 6 })).field).toBe('size');
    expect(buildError(() => buildRead16({ lba: 0, blocks: 0xffffffff, blockLength: 0xffffffff })).field).toBe(
      'blocks',
    );
  });
});

describe('WRITE (SBC-4 WRITE (6|10|12|16|32) tables)', () => {
  it('WRITE(6)', () => {
    const s = buildWrite6({ lba: 0x0a0b0c, blocks: 8 });
    expect(bytes(s)).toBe(h('0a 0a 0b 0c 08 00'));
    expect(s).toMatchObject({ direction: 'out', transferLength: 4096, name: 'WRITE(6)' });
    expect(bytes(buildWrite6({ lba: 0, blocks: 256 }))).toBe(h('0a 00 00 00 00 00'));
  });

  it('WRITE(10/12/16/32)', () => {
    expect(bytes(buildWrite10({ lba: 0x100, blocks: 1, wrprotect: 7, dpo: true, fua: true, group: 2 }))).toBe(
      h('2a f8 00 00 01 00 02 00 01 00'),
    );
    expect(bytes(buildWrite12({ lba: 0x100, blocks: 0x12345678 }))).toBe(
      h('aa 00 00 00 01 00 12 34 56 78 00 00'),
    );
    const w16 = buildWrite16({ lba: 2 ** 40, blocks: 2, fua: true, dld: 4 });
    expect(bytes(w16)).toBe(h('8a 09 0000010000000000 00000002 00 00'));
    expect(w16).toMatchObject({ direction: 'out', transferLength: 1024, name: 'WRITE(16)' });
    expect(bytes(buildWrite32({ lba: 1, blocks: 1, fua: true, eilbrt: 1, elbat: 2, lbatm: 3 }))).toBe(
      h('7f 00 00000000 00 18 000b 08 00 0000000000000001 00000001 0002 0003 00000001'),
    );
    expect(buildError(() => buildWrite10({ lba: 0, blocks: 1, dld: 2 })).field).toBe('dld');
    expect(buildError(() => buildWrite({ lba: 0, blocks: 1, dpo: true }, { size: 6 })).field).toBe('dpo');
  });
});

describe('WRITE AND VERIFY / VERIFY (SBC-4 tables)', () => {
  it('WRITE AND VERIFY(10/12/16/32): BYTCHK in byte 1 bits 2-1, always data-out', () => {
    const s = buildWriteAndVerify10({ lba: 5, blocks: 2, bytchk: 1, dpo: true });
    expect(bytes(s)).toBe(h('2e 12 00 00 00 05 00 00 02 00'));
    expect(s).toMatchObject({ direction: 'out', transferLength: 1024, name: 'WRITE AND VERIFY(10)' });
    expect(bytes(buildWriteAndVerify12({ lba: 5, blocks: 2 }))).toBe(h('ae 00 00000005 00000002 00 00'));
    expect(bytes(buildWriteAndVerify16({ lba: 5, blocks: 2, wrprotect: 3 }))).toBe(
      h('8e 60 0000000000000005 00000002 00 00'),
    );
    expect(bytes(buildWriteAndVerify32({ lba: 5, blocks: 2, bytchk: 1 }))).toBe(
      h('7f 00 00000000 00 18 000c 02 00 0000000000000005 00000000 0000 0000 00000002'),
    );
    expect(buildError(() => buildWriteAndVerify({ lba: 0, blocks: 1 }, { size: 6 as 10 })).field).toBe(
      'size',
    );
    expect(buildError(() => buildWriteAndVerify16({ lba: 0, blocks: 1, bytchk: 4 })).field).toBe('bytchk');
  });

  it('VERIFY: data-out only with BYTCHK, one block for 11b, 10b refused', () => {
    const none = buildVerify10({ lba: 0x10, blocks: 0x20 });
    expect(bytes(none)).toBe(h('2f 00 00 00 00 10 00 00 20 00'));
    expect(none).toMatchObject({ direction: 'none', transferLength: 0, name: 'VERIFY(10)' });
    const all = buildVerify16({ lba: 0x10, blocks: 0x20, bytchk: 1, vrprotect: 1 });
    expect(bytes(all)).toBe(h('8f 22 0000000000000010 00000020 00 00'));
    expect(all).toMatchObject({ direction: 'out', transferLength: 0x20 * 512 });
    const one = buildVerify12({ lba: 0x10, blocks: 0x20, bytchk: 3, blockLength: 4096 });
    expect(bytes(one)).toBe(h('af 06 00000010 00000020 00 00'));
    expect(one).toMatchObject({ direction: 'out', transferLength: 4096 });
    expect(bytes(buildVerify32({ lba: 1, blocks: 1 }))).toBe(
      h('7f 00 00000000 00 18 000a 00 00 0000000000000001 00000000 0000 0000 00000001'),
    );
    expect(buildError(() => buildVerify16({ lba: 0, blocks: 1, bytchk: 2 })).field).toBe('bytchk');
    expect(buildError(() => buildVerify({ lba: 0, blocks: 1 }, { size: 6 as 10 })).field).toBe('size');
  });
});

describe('WRITE SAME (SBC-4 WRITE SAME (10|16|32) tables)', () => {
  it('sends one block unless NDOB', () => {
    const s10 = buildWriteSame10({ lba: 0x1000, blocks: 0x800, unmap: true, anchor: true });
    expect(bytes(s10)).toBe(h('41 18 00 00 10 00 00 08 00 00'));
    expect(s10).toMatchObject({ direction: 'out', transferLength: 512, name: 'WRITE SAME(10)' });
    const s16 = buildWriteSame16({ lba: 0x1000, blocks: 0, unmap: true, ndob: true });
    expect(bytes(s16)).toBe(h('93 09 0000000000001000 00000000 00 00'));
    expect(s16).toMatchObject({ direction: 'none', transferLength: 0 });
    const s32 = buildWriteSame32({ lba: 1, blocks: 2, wrprotect: 1, blockLength: 4096 });
    expect(bytes(s32)).toBe(
      h('7f 00 00000000 00 18 000d 20 00 0000000000000001 00000000 0000 0000 00000002'),
    );
    expect(s32.transferLength).toBe(4096);
    expect(buildError(() => buildWriteSame10({ lba: 0, blocks: 1, ndob: true })).field).toBe('ndob');
  });
});

describe('ORWRITE, WRITE ATOMIC, COMPARE AND WRITE (SBC-4 tables)', () => {
  it('ORWRITE(16)', () => {
    const s = buildOrwrite16({ lba: 9, blocks: 3, orprotect: 1, fua: true, group: 1 });
    expect(bytes(s)).toBe(h('8b 28 0000000000000009 00000003 01 00'));
    expect(s).toMatchObject({ direction: 'out', transferLength: 1536, name: 'ORWRITE(16)' });
  });

  it('WRITE ATOMIC(16): ATOMIC BOUNDARY bytes 10-11, 16-bit TRANSFER LENGTH bytes 12-13', () => {
    const s = buildWriteAtomic16({ lba: 0x20, blocks: 0x10, atomicBoundary: 0x8, dpo: true, group: 2 });
    expect(bytes(s)).toBe(h('9c 10 0000000000000020 0008 0010 02 00'));
    expect(s).toMatchObject({ direction: 'out', transferLength: 0x10 * 512, name: 'WRITE ATOMIC(16)' });
    expect(buildError(() => buildWriteAtomic16({ lba: 0, blocks: 0x10000 })).field).toBe('blocks');
  });

  it('COMPARE AND WRITE: 8-bit block count in byte 13, data-out is 2 × blocks', () => {
    const s = buildCompareAndWrite({ lba: 0x1234, blocks: 1, fua: true });
    expect(bytes(s)).toBe(h('89 08 0000000000001234 000000 01 00 00'));
    expect(s).toMatchObject({ direction: 'out', transferLength: 1024, name: 'COMPARE AND WRITE' });
    expect(buildError(() => buildCompareAndWrite({ lba: 0, blocks: 256 })).field).toBe('blocks');
  });
});

describe('PRE-FETCH / SYNCHRONIZE CACHE (SBC-4 tables)', () => {
  it('no data transfer, IMMED byte 1 bit 1', () => {
    expect(buildSynchronizeCache10()).toEqual({
      cdb: new Uint8Array([0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      direction: 'none',
      transferLength: 0,
      name: 'SYNCHRONIZE CACHE(10)',
    });
    expect(bytes(buildSynchronizeCache10({ lba: 0x100, blocks: 0x20, immed: true, group: 1 }))).toBe(
      h('35 02 00000100 01 0020 00'),
    );
    expect(bytes(buildSynchronizeCache16({ lba: 2n ** 40n, blocks: 0x10000, immed: true }))).toBe(
      h('91 02 0000010000000000 00010000 00 00'),
    );
    expect(bytes(buildPreFetch10({ lba: 1, blocks: 2, immed: true }))).toBe(h('34 02 00000001 00 0002 00'));
    expect(bytes(buildPreFetch16({ lba: 1, blocks: 2 }))).toBe(h('90 00 0000000000000001 00000002 00 00'));
    expect(buildError(() => buildPreFetch10({ blocks: 0x10000 })).field).toBe('blocks');
    expect(buildError(() => buildSynchronizeCache10({ lba: 2 ** 32 })).field).toBe('lba');
  });
});

describe('buildReadAuto / buildWriteAuto', () => {
  it('picks the smallest CDB that fits', () => {
    expect(buildReadAuto({ lba: 0, blocks: 8 }).name).toBe('READ(10)');
    expect(buildReadAuto({ lba: 0, blocks: 8, allow6: true }).name).toBe('READ(6)');
    expect(buildReadAuto({ lba: 0, blocks: 8, allow6: true, fua: true }).name).toBe('READ(10)');
    expect(buildReadAuto({ lba: 2 ** 21, blocks: 8, allow6: true }).name).toBe('READ(10)');
    expect(buildReadAuto({ lba: 2 ** 32 - 1, blocks: 0xffff }).name).toBe('READ(10)');
    expect(buildReadAuto({ lba: 2 ** 32, blocks: 1 }).name).toBe('READ(16)');
    expect(buildReadAuto({ lba: 0, blocks: 0x10000 }).name).toBe('READ(16)');
    expect(buildReadAuto({ lba: 0, blocks: 1, dld: 1 }).name).toBe('READ(16)');
    expect(buildWriteAuto({ lba: 5n, blocks: 1 }).name).toBe('WRITE(10)');
    expect(buildWriteAuto({ lba: 1n << 33n, blocks: 1, fua: true }).cdb[1]).toBe(0x08);
    expect(buildWriteAuto({ lba: 1, blocks: 256, allow6: true }).name).toBe('WRITE(6)');
  });

  it('maxCdb: 10 refuses what does not fit, naming the field', () => {
    expect(buildError(() => buildReadAuto({ lba: 2 ** 32, blocks: 1, maxCdb: 10 })).field).toBe('lba');
    expect(buildError(() => buildWriteAuto({ lba: 0, blocks: 0x10000, maxCdb: 10 })).field).toBe('blocks');
    expect(buildError(() => buildWriteAuto({ lba: 0, blocks: 1, maxCdb: 12 as 10 })).field).toBe('maxCdb');
  });
});

describe('hot-path encoders', () => {
  it('write the same bytes as the builders at an offset, without touching neighbours', () => {
    const buf = new Uint8Array(40).fill(0xee);
    encodeRead16(buf, 4, 0x0102030405060708n, 0x11223344, RwFlag.FUA | RwFlag.DPO);
    expect(hex(buf.subarray(4, 20))).toBe(h('88 18 0102030405060708 11223344 00 00'));
    expect(buf[3]).toBe(0xee);
    expect(buf[20]).toBe(0xee);
    encodeWrite16(buf, 0, 2 ** 53 - 1, 1);
    expect(hex(buf.subarray(0, 16))).toBe(h('8a 00 001fffffffffffff 00000001 00 00'));
    encodeRead10(buf, 20, 0xfffffffe, 0xffff, RwFlag.RARC);
    expect(hex(buf.subarray(20, 30))).toBe(h('28 04 fffffffe 00 ffff 00'));
    encodeWrite10(buf, 30, 7n, 1, RwFlag.FUA | (1 << 5));
    expect(hex(buf.subarray(30, 40))).toBe(h('2a 28 00000007 00 0001 00'));
  });

  it('validate with cheap checks and throw CdbBuildError naming the field', () => {
    const buf = new Uint8Array(16);
    expect(buildError(() => encodeRead16(buf, 1, 0, 1)).field).toBe('offset');
    expect(buildError(() => encodeRead16(buf, 0, -1, 1)).field).toBe('lba');
    expect(buildError(() => encodeRead16(buf, 0, 1.5, 1)).field).toBe('lba');
    expect(buildError(() => encodeRead16(buf, 0, 2 ** 53, 1)).field).toBe('lba');
    expect(buildError(() => encodeRead16(buf, 0, 1n << 64n, 1)).field).toBe('lba');
    expect(buildError(() => encodeRead16(buf, 0, 0, 2 ** 32)).field).toBe('blocks');
    expect(buildError(() => encodeRead16(buf, 0, 0, Number.NaN)).field).toBe('blocks');
    expect(buildError(() => encodeWrite16(buf, 0, 0, 1, RwFlag.RARC)).field).toBe('flags');
    expect(buildError(() => encodeRead10(buf, 0, 2 ** 32, 1)).field).toBe('lba');
    expect(buildError(() => encodeRead10(buf, 0, 0, 0x10000)).field).toBe('blocks');
    expect(buildError(() => encodeRead10(buf, 0, 0, 1, RwFlag.DLD2)).field).toBe('flags');
    expect(buildError(() => encodeWrite10(buf, 7, 0, 1)).field).toBe('offset');
  });

  it('agree with buildRead16/buildWrite10 on random input', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.nat({ max: 0xffffffff }),
        (lba, blocks) => {
          const buf = new Uint8Array(16);
          encodeRead16(buf, 0, lba, blocks);
          expect(buf).toEqual(buildRead16({ lba, blocks }).cdb);
          encodeWrite16(buf, 0, lba, blocks, RwFlag.FUA);
          expect(buf).toEqual(buildWrite16({ lba, blocks, fua: true }).cdb);
        },
      ),
    );
    fc.assert(
      fc.property(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffff }), (lba, blocks) => {
        const buf = new Uint8Array(10);
        encodeWrite10(buf, 0, lba, blocks, RwFlag.DPO);
        expect(buf).toEqual(buildWrite10({ lba, blocks, dpo: true }).cdb);
        encodeRead10(buf, 0, BigInt(lba), blocks);
        expect(buf).toEqual(buildRead10({ lba, blocks }).cdb);
      }),
    );
  });
});

describe('zod schemas', () => {
  it('accept valid params and reject out-of-range or unknown fields', () => {
    expect(ReadParamsSchema.safeParse({ lba: 5n, blocks: 8, fua: true }).success).toBe(true);
    expect(ReadParamsSchema.safeParse({ lba: -1, blocks: 8 }).success).toBe(false);
    expect(ReadParamsSchema.safeParse({ lba: 0, blocks: 8, fau: true }).success).toBe(false);
    expect(WriteParamsSchema.safeParse({ lba: 1n << 64n, blocks: 1 }).success).toBe(false);
    expect(VerifyParamsSchema.safeParse({ lba: 0, blocks: 1, bytchk: 2 }).success).toBe(false);
    expect(WriteAtomicParamsSchema.safeParse({ lba: 0, blocks: 0x10000 }).success).toBe(false);
    expect(ReadAutoParamsSchema.safeParse({ lba: 0, blocks: 1, maxCdb: 10, allow6: true }).success).toBe(
      true,
    );
    expect(ReadAutoParamsSchema.safeParse({ lba: 0, blocks: 1, eilbrt: 1 }).success).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------------

type Kind = 'read' | 'write' | 'writeAndVerify' | 'verify';
const LIMITS: Record<number, { lbaBits: number; lenMax: number; lenMin: number }> = {
  6: { lbaBits: 21, lenMin: 1, lenMax: 256 },
  10: { lbaBits: 32, lenMin: 0, lenMax: 0xffff },
  12: { lbaBits: 32, lenMin: 0, lenMax: 0xffffffff },
  16: { lbaBits: 64, lenMin: 0, lenMax: 0xffffffff },
  32: { lbaBits: 64, lenMin: 0, lenMax: 0xffffffff },
};

function build(kind: Kind, size: 6 | 10 | 12 | 16 | 32, lba: bigint, blocks: number): CdbSpec {
  switch (kind) {
    case 'read':
      return buildRead({ lba, blocks }, { size });
    case 'write':
      return buildWrite({ lba, blocks }, { size });
    case 'writeAndVerify':
      return buildWriteAndVerify({ lba, blocks }, { size: size as 10 });
    case 'verify':
      return buildVerify({ lba, blocks, bytchk: 1 }, { size: size as 10 });
  }
}

const validCase = fc
  .record({
    kind: fc.constantFrom<Kind>('read', 'write', 'writeAndVerify', 'verify'),
    size: fc.constantFrom<6 | 10 | 12 | 16 | 32>(6, 10, 12, 16, 32),
  })
  .filter((c) => c.size !== 6 || c.kind === 'read' || c.kind === 'write')
  .chain((c) => {
    const l = LIMITS[c.size]!;
    return fc.record({
      kind: fc.constant(c.kind),
      size: fc.constant(c.size),
      lba: fc.bigInt({ min: 0n, max: (1n << BigInt(l.lbaBits)) - 1n }),
      blocks: fc.integer({ min: l.lenMin, max: l.lenMax }),
    });
  });

describe('property: READ/WRITE/WRITE AND VERIFY/VERIFY', () => {
  it('random valid params round-trip through a parser of the T10 layout', () => {
    fc.assert(
      fc.property(validCase, ({ kind, size, lba, blocks }) => {
        const s = build(kind, size, lba, blocks);
        const parsed = parseRw(s.cdb);
        expect(parsed.size).toBe(size);
        expect(parsed.lba).toBe(lba);
        expect(size === 6 ? parsed.length || 256 : parsed.length).toBe(blocks);
        expect(s.transferLength).toBe(blocks * 512);
        expect(s.direction).toBe(blocks === 0 ? 'none' : kind === 'read' ? 'in' : 'out');
      }),
    );
  });

  it('random out-of-range LBA or length throws CdbBuildError naming it', () => {
    const invalid = fc
      .record({
        kind: fc.constantFrom<Kind>('read', 'write'),
        size: fc.constantFrom<6 | 10 | 12 | 16 | 32>(6, 10, 12, 16, 32),
        which: fc.constantFrom('lba', 'blocks'),
        junk: fc.constantFrom(-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY),
        over: fc.boolean(),
      })
      .map((c) => {
        const l = LIMITS[c.size]!;
        const lba = c.which === 'lba' ? (c.over ? 1n << BigInt(l.lbaBits) : c.junk) : 0n;
        const blocks = c.which === 'blocks' ? (c.over ? l.lenMax + 1 : c.size === 6 ? 0 : c.junk) : 1;
        return { ...c, lba, blocks };
      });
    fc.assert(
      fc.property(invalid, ({ kind, size, which, lba, blocks }) => {
        const fn = kind === 'read' ? buildRead : buildWrite;
        expect(buildError(() => fn({ lba: lba as bigint, blocks }, { size })).field).toBe(which);
      }),
    );
  });

  it('arbitrary params either build or throw CdbBuildError, never anything else', () => {
    const num = fc.oneof(
      fc.integer({ min: -10, max: 300 }),
      fc.nat(),
      fc.double(),
      fc.constantFrom(2 ** 32, 2 ** 53, 0xffff, 0x10000),
    );
    const params = fc.record(
      {
        lba: fc.oneof(num, fc.bigInt({ min: -1n, max: 1n << 65n })),
        blocks: num,
        blockLength: num,
        group: num,
        control: num,
        rdprotect: num,
        wrprotect: num,
        vrprotect: num,
        bytchk: num,
        dld: num,
        eilbrt: num,
        elbat: num,
        lbatm: num,
        dpo: fc.boolean(),
        fua: fc.boolean(),
        ndob: fc.boolean(),
        unmap: fc.boolean(),
        atomicBoundary: num,
      },
      { requiredKeys: ['lba', 'blocks'] },
    );
    const builders = [
      buildRead6,
      buildRead10,
      buildRead12,
      buildRead16,
      buildRead32,
      buildWrite6,
      buildWrite10,
      buildWrite12,
      buildWrite16,
      buildWrite32,
      buildWriteAndVerify10,
      buildWriteAndVerify12,
      buildWriteAndVerify16,
      buildWriteAndVerify32,
      buildVerify10,
      buildVerify12,
      buildVerify16,
      buildVerify32,
      buildWriteSame10,
      buildWriteSame16,
      buildWriteSame32,
      buildOrwrite16,
      buildWriteAtomic16,
      buildCompareAndWrite,
      buildPreFetch10,
      buildPreFetch16,
      buildSynchronizeCache10,
      buildSynchronizeCache16,
      buildReadAuto,
      buildWriteAuto,
    ] as ((p: never) => CdbSpec)[];
    fc.assert(
      fc.property(fc.constantFrom(...builders), params, (b, p) => {
        try {
          const s = b(p as never);
          expect(s.cdb.length).toBeGreaterThanOrEqual(6);
          expect(Number.isSafeInteger(s.transferLength)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(CdbBuildError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

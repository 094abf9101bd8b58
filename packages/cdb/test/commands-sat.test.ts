import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AtaPassThroughParamsSchema,
  buildAtaIdentifyDevice,
  buildAtaPassThrough,
  buildAtaPassThrough12,
  buildAtaPassThrough16,
  buildAtaPassThrough32,
  buildAtaReadLogExt,
  buildAtaSmartReadData,
  buildAtaSmartReadLog,
  buildAtaSmartReadThresholds,
  buildAtaSmartReturnStatus,
} from '../src/commands/sat.js';
import { CdbBuildError } from '../src/errors.js';
import { buildError, bytes, h } from './helpers.js';

describe('ready-made ATA commands', () => {
  it('IDENTIFY DEVICE: the CDB smartctl and sg_sat_identify send (SAT-5 ATA PASS-THROUGH (16) table)', () => {
    const s = buildAtaIdentifyDevice();
    // PROTOCOL 4 (PIO data-in) << 1 = 08h; T_DIR | BYTE_BLOCK | T_LENGTH=2 (count) = 0Eh.
    expect(bytes(s)).toBe(h('85 08 0e 00 00 00 01 00 00 00 00 00 00 00 ec 00'));
    expect(s).toEqual({ cdb: s.cdb, direction: 'in', transferLength: 512, name: 'ATA PASS-THROUGH(16)' });
    expect(bytes(buildAtaIdentifyDevice({ cdbSize: 12 }))).toBe(h('a1 08 0e 00 01 00 00 00 00 ec 00 00'));
    expect(bytes(buildAtaIdentifyDevice({ ckCond: true, device: 0x40 }))).toBe(
      h('85 08 2e 00 00 00 01 00 00 00 00 00 00 40 ec 00'),
    );
  });

  it('SMART READ DATA: feature D0h, LBA mid/high 4Fh/C2h', () => {
    const s = buildAtaSmartReadData();
    expect(bytes(s)).toBe(h('85 08 0e 00 d0 00 01 00 00 00 4f 00 c2 00 b0 00'));
    expect(s.transferLength).toBe(512);
    expect(bytes(buildAtaSmartReadData({ cdbSize: 12 }))).toBe(h('a1 08 0e d0 01 00 4f c2 00 b0 00 00'));
  });

  it('SMART READ THRESHOLDS: feature D1h, LBA low 01h, mid/high 4Fh/C2h (as smartctl sends it)', () => {
    const s = buildAtaSmartReadThresholds();
    expect(bytes(s)).toBe(h('85 08 0e 00 d1 00 01 00 01 00 4f 00 c2 00 b0 00'));
    expect(s).toEqual({ cdb: s.cdb, direction: 'in', transferLength: 512, name: 'ATA PASS-THROUGH(16)' });
    expect(bytes(buildAtaSmartReadThresholds({ cdbSize: 12 }))).toBe(
      h('a1 08 0e d1 01 01 4f c2 00 b0 00 00'),
    );
  });

  it('SMART RETURN STATUS: non-data (PROTOCOL 3 → 06h), CK_COND (20h), feature DAh, no transfer', () => {
    const s = buildAtaSmartReturnStatus();
    // byte 2: CK_COND 20h, T_DIR/BYTE_BLOCK/T_LENGTH clear: nothing moves.
    expect(bytes(s)).toBe(h('85 06 20 00 da 00 00 00 00 00 4f 00 c2 00 b0 00'));
    expect(s).toEqual({ cdb: s.cdb, direction: 'none', transferLength: 0, name: 'ATA PASS-THROUGH(16)' });
    expect(bytes(buildAtaSmartReturnStatus({ cdbSize: 12 }))).toBe(h('a1 06 20 da 00 00 4f c2 00 b0 00 00'));
    expect(bytes(buildAtaSmartReturnStatus({ ckCond: false }))).toBe(
      h('85 06 00 00 da 00 00 00 00 00 4f 00 c2 00 b0 00'),
    );
    expect(buildError(() => buildAtaSmartReturnStatus({ device: 0x100 })).field).toBe('device');
  });

  it('SMART READ LOG: feature D5h, LBA low = log address, COUNT = pages', () => {
    const s = buildAtaSmartReadLog(0x06, 2);
    expect(bytes(s)).toBe(h('85 08 0e 00 d5 00 02 00 06 00 4f 00 c2 00 b0 00'));
    expect(s.transferLength).toBe(1024);
    expect(buildError(() => buildAtaSmartReadLog(0x100, 1)).field).toBe('logAddress');
    expect(buildError(() => buildAtaSmartReadLog(1, 0)).field).toBe('pages');
  });

  it('READ LOG EXT: 48-bit, page number split over LBA(15:8) and LBA(39:32) (as sg_sat_read_gplog)', () => {
    const s = buildAtaReadLogExt(0x04, 0x0102, 0x0003);
    expect(bytes(s)).toBe(h('85 09 0e 00 00 00 03 00 04 01 02 00 00 00 2f 00'));
    expect(s).toMatchObject({ direction: 'in', transferLength: 3 * 512 });
    const s32 = buildAtaReadLogExt(0x04, 0x0102, 0x0003, { cdbSize: 32 });
    expect(bytes(s32)).toBe(
      h('7f 00 00000000 00 18 1ff0 09 0e 0000 00 01 00 00 02 04 0000 0003 00 2f 00 00 00000000'),
    );
    expect(bytes(buildAtaReadLogExt(0x30, 5, 1, { cdbSize: 12 }))).toBe(
      h('a1 08 0e 00 01 30 05 00 00 2f 00 00'),
    );
    expect(buildError(() => buildAtaReadLogExt(0x30, 0x100, 1, { cdbSize: 12 })).field).toBe('page');
    expect(buildError(() => buildAtaReadLogExt(0x30, 0, 0x10000)).field).toBe('count');
  });
});

describe('ATA PASS-THROUGH register layout (SAT-5 ATA PASS-THROUGH (12|16|32) tables)', () => {
  const regs = {
    protocol: 'dma',
    tDir: 'out',
    command: 0x35,
    features: 0x0102,
    count: 0x0304,
    lba: 0x0a0b0c0d0e0fn,
    device: 0x40,
    extend: true,
    multipleCount: 2,
    offline: 1,
  } as const;

  it('(16): interleaved ext bytes', () => {
    const s = buildAtaPassThrough16(regs);
    // byte1: MULTIPLE_COUNT 2<<5 | PROTOCOL 6<<1 | EXTEND = 4Dh; byte2: OFF_LINE 1<<6 | BYTE_BLOCK | T_LENGTH 2 = 46h
    expect(bytes(s)).toBe(h('85 4d 46 0102 0304 0c 0f 0b 0e 0a 0d 40 35 00'));
    // byte 7 LBA(31:24), 8 LBA(7:0), 9 LBA(39:32), 10 LBA(15:8), 11 LBA(47:40), 12 LBA(23:16)
    expect(Array.from(s.cdb.subarray(7, 13))).toEqual([0x0c, 0x0f, 0x0b, 0x0e, 0x0a, 0x0d]);
    expect(s).toMatchObject({ direction: 'out', transferLength: 0x0304 * 512 });
  });

  it('(32): big-endian LBA in bytes 14-19, ICC 27, AUXILIARY 28-31, control in byte 1', () => {
    const s = buildAtaPassThrough32({ ...regs, icc: 0x11, auxiliary: 0xdeadbeef, control: 4 });
    expect(bytes(s)).toBe(
      h('7f 04 00000000 00 18 1ff0 4d 46 0000 0a0b0c0d0e0f 0102 0304 40 35 00 11 deadbeef'),
    );
  });

  it('(12): 28-bit registers only', () => {
    const s = buildAtaPassThrough12({
      protocol: 'nonData',
      command: 0xe0,
      features: 1,
      count: 2,
      lba: 0x030405,
      device: 0xa0,
    });
    expect(bytes(s)).toBe(h('a1 06 00 01 02 05 04 03 a0 e0 00 00'));
    expect(s).toMatchObject({ direction: 'none', transferLength: 0 });
    expect(buildError(() => buildAtaPassThrough12({ ...regs })).field).toBe('extend');
  });

  it('without EXTEND the 48-bit parts must be zero', () => {
    const base = { protocol: 'nonData', command: 0xe5 } as const;
    expect(buildError(() => buildAtaPassThrough16({ ...base, lba: 0x1000000 })).field).toBe('lba');
    expect(buildError(() => buildAtaPassThrough16({ ...base, count: 0x100 })).field).toBe('count');
    expect(buildError(() => buildAtaPassThrough16({ ...base, features: 0x100 })).field).toBe('features');
    expect(buildError(() => buildAtaPassThrough16({ ...base, extend: true, lba: 1n << 48n })).field).toBe(
      'lba',
    );
  });

  it('protocol, T_LENGTH and T_DIR must agree', () => {
    expect(
      buildError(() => buildAtaPassThrough16({ protocol: 'nonData', command: 0, tLength: 'count' })).field,
    ).toBe('tLength');
    expect(
      buildError(() => buildAtaPassThrough16({ protocol: 'pioIn', command: 0xec, tLength: 'none' })).field,
    ).toBe('tLength');
    expect(
      buildError(() => buildAtaPassThrough16({ protocol: 'pioIn', command: 0xec, count: 1, tDir: 'out' }))
        .field,
    ).toBe('tDir');
    expect(buildError(() => buildAtaPassThrough16({ protocol: 'dma', command: 0xc8, count: 1 })).field).toBe(
      'tDir',
    );
    expect(buildError(() => buildAtaPassThrough16({ protocol: 'pioIn', command: 0xec })).field).toBe('count');
    expect(
      buildError(() =>
        buildAtaPassThrough16({ protocol: 'pioIn', command: 0xec, count: 1, tLength: 'tpsiu' }),
      ).field,
    ).toBe('transferLength');
    expect(buildError(() => buildAtaPassThrough16({ protocol: 'bogus' as 'dma', command: 0 })).field).toBe(
      'protocol',
    );
    expect(buildError(() => buildAtaPassThrough16({ protocol: 'nonData', command: 0, icc: 1 })).field).toBe(
      'icc',
    );
    expect(
      buildError(() => buildAtaPassThrough({ protocol: 'nonData', command: 0 }, { size: 10 as 12 })).field,
    ).toBe('size');
  });

  it('transfer length follows T_LENGTH, BYTE_BLOCK and T_TYPE', () => {
    const pio = { protocol: 'pioOut', command: 0x92 } as const;
    expect(buildAtaPassThrough16({ ...pio, features: 3, tLength: 'features' }).transferLength).toBe(1536);
    expect(buildAtaPassThrough16({ ...pio, count: 200, byteBlock: false }).transferLength).toBe(200);
    const logical = buildAtaPassThrough16({ ...pio, count: 2, tType: true, logicalSectorSize: 4096 });
    expect(logical.transferLength).toBe(8192);
    expect(logical.cdb[2]).toBe(0x16);
    expect(
      buildAtaPassThrough16({ ...pio, count: 0, transferLength: 65536 * 512, extend: true }).transferLength,
    ).toBe(65536 * 512);
    expect(buildAtaPassThrough16({ ...pio, tLength: 'tpsiu', transferLength: 4096 }).cdb[2]).toBe(0x07);
  });
});

describe('zod schema', () => {
  it('validates registers at the API boundary', () => {
    expect(AtaPassThroughParamsSchema.safeParse({ protocol: 'pioIn', command: 0xec, count: 1 }).success).toBe(
      true,
    );
    expect(AtaPassThroughParamsSchema.safeParse({ protocol: 'pio', command: 0xec }).success).toBe(false);
    expect(AtaPassThroughParamsSchema.safeParse({ protocol: 'dma', command: 0x100 }).success).toBe(false);
    expect(
      AtaPassThroughParamsSchema.safeParse({ protocol: 'dma', command: 1, lba: 1n << 48n }).success,
    ).toBe(false);
  });
});

describe('property: ATA PASS-THROUGH', () => {
  it('48-bit registers round-trip through the 16- and 32-byte layouts', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 48n) - 1n }),
        fc.nat({ max: 0xffff }),
        fc.integer({ min: 1, max: 0xffff }),
        fc.nat({ max: 0xff }),
        (lba, features, count, command) => {
          const p = { protocol: 'pioIn', command, features, count, lba, extend: true } as const;
          const c16 = buildAtaPassThrough16(p).cdb;
          const lba16 =
            (BigInt(c16[11]!) << 40n) |
            (BigInt(c16[9]!) << 32n) |
            (BigInt(c16[7]!) << 24n) |
            (BigInt(c16[12]!) << 16n) |
            (BigInt(c16[10]!) << 8n) |
            BigInt(c16[8]!);
          expect(lba16).toBe(lba);
          expect((c16[3]! << 8) | c16[4]!).toBe(features);
          expect((c16[5]! << 8) | c16[6]!).toBe(count);
          expect(c16[14]).toBe(command);
          const c32 = buildAtaPassThrough32(p).cdb;
          const v = new DataView(c32.buffer);
          expect((BigInt(v.getUint16(14)) << 32n) | BigInt(v.getUint32(16))).toBe(lba);
          expect(v.getUint16(20)).toBe(features);
          expect(v.getUint16(22)).toBe(count);
          expect(c32[25]).toBe(command);
        },
      ),
    );
  });

  it('random params build or throw CdbBuildError', () => {
    const num = fc.oneof(fc.integer({ min: -2, max: 70000 }), fc.double(), fc.constantFrom(2 ** 32, 2 ** 48));
    const params = fc.record(
      {
        protocol: fc.constantFrom(
          'hardReset',
          'softReset',
          'nonData',
          'pioIn',
          'pioOut',
          'dma',
          'deviceDiagnostic',
          'deviceReset',
          'udmaIn',
          'udmaOut',
          'fpdma',
          'returnResponseInfo',
          'nope',
        ),
        command: num,
        features: num,
        count: num,
        lba: fc.oneof(num, fc.bigInt({ min: -1n, max: 1n << 50n })),
        device: num,
        tLength: fc.constantFrom('none', 'features', 'count', 'tpsiu', 'bogus'),
        tDir: fc.constantFrom('in', 'out'),
        byteBlock: fc.boolean(),
        tType: fc.boolean(),
        ckCond: fc.boolean(),
        offline: num,
        extend: fc.boolean(),
        multipleCount: num,
        icc: num,
        auxiliary: num,
        logicalSectorSize: num,
        transferLength: num,
        control: num,
      },
      { requiredKeys: ['protocol', 'command'] },
    );
    fc.assert(
      fc.property(fc.constantFrom<12 | 16 | 32>(12, 16, 32), params, (size, p) => {
        try {
          const s = buildAtaPassThrough(p as never, { size });
          expect(s.cdb.length).toBe(size);
          expect(Number.isSafeInteger(s.transferLength)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(CdbBuildError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

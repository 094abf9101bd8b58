import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex } from '../src/bytes.js';
import {
  buildFormatUnit,
  buildFormatUnitData,
  buildGetLbaStatus,
  buildReadCapacity10,
  buildReadCapacity16,
  buildReadDefectData10,
  buildReadDefectData12,
  buildReassignBlocks,
  buildReassignBlocksData,
  buildReportReferrals,
  buildSanitize,
  buildSanitizeOverwriteData,
  buildUnmap,
  buildUnmapData,
  FormatUnitParamsSchema,
  GetLbaStatusParamsSchema,
  ReadCapacity16ParamsSchema,
  SanitizeOverwriteDataParamsSchema,
  SanitizeParamsSchema,
  UnmapDataSchema,
  UnmapParamsSchema,
} from '../src/commands/sbc-admin.js';
import { CdbBuildError } from '../src/errors.js';
import type { CdbSpec } from '../src/types.js';
import { buildError, h } from './helpers.js';

const bytes = (spec: CdbSpec | Uint8Array) => hex(spec instanceof Uint8Array ? spec : spec.cdb);

describe('READ CAPACITY (SBC-4 READ CAPACITY (10) and (16) tables)', () => {
  it('READ CAPACITY(10): 25h, 8 bytes in', () => {
    expect(buildReadCapacity10()).toEqual({
      cdb: new Uint8Array([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
      direction: 'in',
      transferLength: 8,
      name: 'READ CAPACITY(10)',
    });
    expect(bytes(buildReadCapacity10({ lba: 0x01020304, pmi: true }))).toBe(h('25 00 01020304 0000 01 00'));
    expect(buildError(() => buildReadCapacity10({ lba: 2 ** 32 })).field).toBe('lba');
  });

  it('READ CAPACITY(16): 9Eh/10h, allocation length defaults to 32', () => {
    const s = buildReadCapacity16();
    expect(bytes(s)).toBe(h('9e 10 0000000000000000 00000020 00 00'));
    expect(s).toMatchObject({ direction: 'in', transferLength: 32, name: 'READ CAPACITY(16)' });
    expect(bytes(buildReadCapacity16({ allocationLength: 12, lba: 5n, pmi: true }))).toBe(
      h('9e 10 0000000000000005 0000000c 01 00'),
    );
    expect(buildError(() => buildReadCapacity16({ allocationLength: -1 })).field).toBe('allocationLength');
  });
});

describe('GET LBA STATUS / REPORT REFERRALS (SBC-4 tables)', () => {
  it('GET LBA STATUS(16): 9Eh/12h, report type byte 14', () => {
    const s = buildGetLbaStatus({ startingLba: 0x1000n, allocationLength: 0x100, reportType: 2 });
    expect(bytes(s)).toBe(h('9e 12 0000000000001000 00000100 02 00'));
    expect(s).toMatchObject({ direction: 'in', transferLength: 256, name: 'GET LBA STATUS(16)' });
    expect(buildGetLbaStatus().transferLength).toBe(24);
    expect(buildError(() => buildGetLbaStatus({ reportType: 8 })).field).toBe('reportType');
    expect(buildError(() => buildGetLbaStatus({ startingLba: -1n })).field).toBe('startingLba');
  });

  it('REPORT REFERRALS: 9Eh/13h, ONE_SEG byte 14 bit 0', () => {
    const s = buildReportReferrals({ lba: 7, allocationLength: 64, oneSeg: true });
    expect(bytes(s)).toBe(h('9e 13 0000000000000007 00000040 01 00'));
    expect(s).toMatchObject({ direction: 'in', transferLength: 64, name: 'REPORT REFERRALS' });
  });
});

describe('UNMAP (SBC-4 UNMAP command and parameter list tables)', () => {
  it('builds the CDB and the parameter list', () => {
    const data = buildUnmapData([
      { lba: 0x1000, blocks: 0x800 },
      { lba: 0x0102030405060708n, blocks: 1 },
    ]);
    expect(bytes(data)).toBe(
      h('0026 0020 00000000' + '0000000000001000 00000800 00000000' + '0102030405060708 00000001 00000000'),
    );
    const s = buildUnmap({ parameterListLength: data.length, anchor: true, group: 1 });
    expect(bytes(s)).toBe(h('42 01 00000000 01 0028 00'));
    expect(s).toMatchObject({ direction: 'out', transferLength: 40, name: 'UNMAP' });
    expect(bytes(buildUnmapData([]))).toBe(h('0006 0000 00000000'));
  });

  it('validates ranges and lengths, naming the field', () => {
    expect(buildError(() => buildUnmapData([{ lba: 0, blocks: 2 ** 32 }])).field).toBe('ranges[0].blocks');
    expect(
      buildError(() =>
        buildUnmapData([
          { lba: 0, blocks: 1 },
          { lba: -1, blocks: 1 },
        ]),
      ).field,
    ).toBe('ranges[1].lba');
    const many = Array.from({ length: 4096 }, () => ({ lba: 0, blocks: 1 }));
    expect(buildError(() => buildUnmapData(many)).field).toBe('ranges');
    expect(buildError(() => buildUnmap({ parameterListLength: 20 })).field).toBe('parameterListLength');
    expect(buildError(() => buildUnmap({ parameterListLength: 0x10000 })).field).toBe('parameterListLength');
    expect(buildUnmap({ parameterListLength: 0 }).direction).toBe('none');
  });
});

describe('FORMAT UNIT (SBC-4 FORMAT UNIT and parameter list header tables)', () => {
  it('CDB: FMTPINFO, LONGLIST, FMTDATA, CMPLST, DEFECT LIST FORMAT, FFMT', () => {
    expect(buildFormatUnit()).toEqual({
      cdb: new Uint8Array([0x04, 0, 0, 0, 0, 0]),
      direction: 'none',
      transferLength: 0,
      name: 'FORMAT UNIT',
    });
    const s = buildFormatUnit({
      fmtpinfo: 3,
      longlist: true,
      fmtdata: true,
      cmplst: true,
      defectListFormat: 6,
      ffmt: 1,
      parameterListLength: 8,
    });
    expect(bytes(s)).toBe(h('04 fe 00 00 01 00'));
    expect(s).toMatchObject({ direction: 'out', transferLength: 8 });
    expect(buildError(() => buildFormatUnit({ fmtdata: true })).field).toBe('parameterListLength');
    expect(buildError(() => buildFormatUnit({ parameterListLength: 4 })).field).toBe('parameterListLength');
    expect(buildError(() => buildFormatUnit({ fmtpinfo: 4 })).field).toBe('fmtpinfo');
    expect(buildError(() => buildFormatUnit({ ffmt: 4 })).field).toBe('ffmt');
  });

  it('parameter list: short and long headers, initialization pattern, defects', () => {
    expect(bytes(buildFormatUnitData({ fov: true, dcrt: true, immed: true }))).toBe(h('00 a2 0000'));
    expect(
      bytes(
        buildFormatUnitData({
          longList: true,
          protectionFieldUsage: 1,
          pIInformation: 0,
          protectionIntervalExponent: 3,
          initializationPattern: { si: true, pattern: new Uint8Array([0xaa, 0x55]) },
          defectList: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]),
        }),
      ),
    ).toBe(h('01 08 00 03 00000008' + '20 01 0002 aa55' + '0102030405060708'));
    expect(buildError(() => buildFormatUnitData({ pIInformation: 1 })).field).toBe('pIInformation');
    expect(buildError(() => buildFormatUnitData({ protectionFieldUsage: 8 })).field).toBe(
      'protectionFieldUsage',
    );
    expect(
      buildError(() => buildFormatUnitData({ initializationPattern: { pattern: new Uint8Array(0x10000) } }))
        .field,
    ).toBe('initializationPattern.pattern');
  });
});

describe('SANITIZE (SBC-4 SANITIZE command and OVERWRITE parameter list tables)', () => {
  it('service actions and CDB bits', () => {
    expect(bytes(buildSanitize({ serviceAction: 'blockErase', immed: true }))).toBe(
      h('48 82 0000000000 0000 00'),
    );
    expect(bytes(buildSanitize({ serviceAction: 'cryptoErase', ause: true, znr: true }))).toBe(
      h('48 63 0000000000 0000 00'),
    );
    expect(bytes(buildSanitize({ serviceAction: 'exitFailureMode' }))).toBe(h('48 1f 0000000000 0000 00'));
    const s = buildSanitize({ serviceAction: 'overwrite', parameterListLength: 8 });
    expect(bytes(s)).toBe(h('48 01 0000000000 0008 00'));
    expect(s).toMatchObject({ direction: 'out', transferLength: 8, name: 'SANITIZE' });
    expect(buildSanitize({ serviceAction: 'blockErase' }).direction).toBe('none');
  });

  it('parameter list length must match the service action', () => {
    expect(buildError(() => buildSanitize({ serviceAction: 'overwrite' })).field).toBe('parameterListLength');
    expect(
      buildError(() => buildSanitize({ serviceAction: 'blockErase', parameterListLength: 8 })).field,
    ).toBe('parameterListLength');
    expect(buildError(() => buildSanitize({ serviceAction: 'nuke' as 'overwrite' })).field).toBe(
      'serviceAction',
    );
  });

  it('overwrite parameter data: INVERT, TEST, OVERWRITE COUNT, pattern', () => {
    const d = buildSanitizeOverwriteData({
      invert: true,
      test: 2,
      overwriteCount: 3,
      pattern: new Uint8Array([0, 0xff]),
    });
    expect(bytes(d)).toBe(h('c3 00 0002 00ff'));
    expect(bytes(buildSanitizeOverwriteData({ pattern: new Uint8Array(4) }))).toBe(h('01 00 0004 00000000'));
    expect(
      buildError(() => buildSanitizeOverwriteData({ overwriteCount: 0, pattern: new Uint8Array(1) })).field,
    ).toBe('overwriteCount');
    expect(
      buildError(() => buildSanitizeOverwriteData({ overwriteCount: 32, pattern: new Uint8Array(1) })).field,
    ).toBe('overwriteCount');
    expect(buildError(() => buildSanitizeOverwriteData({ pattern: new Uint8Array(0) })).field).toBe(
      'pattern',
    );
    expect(buildError(() => buildSanitizeOverwriteData({ test: 4, pattern: new Uint8Array(1) })).field).toBe(
      'test',
    );
  });
});

describe('REASSIGN BLOCKS (SBC-4 REASSIGN BLOCKS command and parameter list tables)', () => {
  it('short LBAs with a short list', () => {
    const d = buildReassignBlocksData({ lbas: [0x10, 0x01020304] });
    expect(bytes(d)).toBe(h('0000 0008 00000010 01020304'));
    const s = buildReassignBlocks({ parameterListLength: d.length });
    expect(bytes(s)).toBe(h('07 00 00 00 00 00'));
    expect(s).toMatchObject({ direction: 'out', transferLength: 12, name: 'REASSIGN BLOCKS' });
  });

  it('long LBAs with a long list', () => {
    const d = buildReassignBlocksData({ lbas: [0x0102030405060708n], longlba: true, longlist: true });
    expect(bytes(d)).toBe(h('00000008 0102030405060708'));
    expect(bytes(buildReassignBlocks({ parameterListLength: d.length, longlba: true, longlist: true }))).toBe(
      h('07 03 00 00 00 00'),
    );
  });

  it('validation', () => {
    expect(buildError(() => buildReassignBlocksData({ lbas: [2 ** 32] })).field).toBe('lbas[0]');
    expect(buildError(() => buildReassignBlocks({ parameterListLength: 10 })).field).toBe(
      'parameterListLength',
    );
    expect(buildError(() => buildReassignBlocks({ parameterListLength: 8, longlba: true })).field).toBe(
      'parameterListLength',
    );
    const many = Array.from({ length: 0x4000 }, (_, i) => i);
    expect(buildError(() => buildReassignBlocksData({ lbas: many })).field).toBe('lbas');
    expect(buildReassignBlocksData({ lbas: many, longlist: true }).length).toBe(4 + 4 * 0x4000);
  });
});

describe('READ DEFECT DATA (SBC-4 READ DEFECT DATA (10) and (12) tables)', () => {
  it('(10): flags in byte 2, 16-bit allocation length', () => {
    const s = buildReadDefectData10({
      reqPlist: true,
      reqGlist: true,
      defectListFormat: 5,
      allocationLength: 0xffff,
    });
    expect(bytes(s)).toBe(h('37 00 1d 00000000 ffff 00'));
    expect(s).toMatchObject({ direction: 'in', transferLength: 0xffff, name: 'READ DEFECT DATA(10)' });
    expect(buildReadDefectData10().transferLength).toBe(4);
    expect(buildError(() => buildReadDefectData10({ allocationLength: 0x10000 })).field).toBe(
      'allocationLength',
    );
  });

  it('(12): flags in byte 1, address descriptor index, 32-bit allocation length', () => {
    const s = buildReadDefectData12({
      reqGlist: true,
      defectListFormat: 3,
      addressDescriptorIndex: 9,
      allocationLength: 0x10000,
    });
    expect(bytes(s)).toBe(h('b7 0b 00000009 00010000 00 00'));
    expect(s).toMatchObject({ direction: 'in', transferLength: 0x10000, name: 'READ DEFECT DATA(12)' });
    expect(buildError(() => buildReadDefectData12({ defectListFormat: 8 })).field).toBe('defectListFormat');
  });
});

describe('zod schemas', () => {
  it('validate at the API boundary', () => {
    expect(ReadCapacity16ParamsSchema.safeParse({ allocationLength: 32 }).success).toBe(true);
    expect(GetLbaStatusParamsSchema.safeParse({ reportType: 9 }).success).toBe(false);
    expect(UnmapParamsSchema.safeParse({ parameterListLength: 24, anchor: true }).success).toBe(true);
    expect(UnmapDataSchema.safeParse([{ lba: 1n, blocks: 2 }]).success).toBe(true);
    expect(UnmapDataSchema.safeParse([{ lba: 1n, blocks: -2 }]).success).toBe(false);
    expect(FormatUnitParamsSchema.safeParse({ fmtpinfo: 4 }).success).toBe(false);
    expect(
      SanitizeParamsSchema.safeParse({ serviceAction: 'overwrite', parameterListLength: 8 }).success,
    ).toBe(true);
    expect(SanitizeParamsSchema.safeParse({ serviceAction: 'wipe' }).success).toBe(false);
    expect(SanitizeOverwriteDataParamsSchema.safeParse({ pattern: new Uint8Array(0) }).success).toBe(false);
  });
});

describe('property: builders build or throw CdbBuildError', () => {
  const num = fc.oneof(
    fc.integer({ min: -5, max: 70000 }),
    fc.nat(),
    fc.double(),
    fc.constantFrom(2 ** 32, 2 ** 53, 0xffff, 0x10000, 31, 32),
  );
  const anyLba = fc.oneof(num, fc.bigInt({ min: -1n, max: 1n << 65n }));
  const params = fc.record(
    {
      lba: anyLba,
      startingLba: anyLba,
      allocationLength: num,
      parameterListLength: num,
      reportType: num,
      fmtpinfo: num,
      defectListFormat: num,
      ffmt: num,
      fmtdata: fc.boolean(),
      longlba: fc.boolean(),
      longlist: fc.boolean(),
      group: num,
      control: num,
      addressDescriptorIndex: num,
      serviceAction: fc.constantFrom('overwrite', 'blockErase', 'cryptoErase', 'exitFailureMode', 'bogus'),
      overwriteCount: num,
      test: num,
      protectionFieldUsage: num,
      pIInformation: num,
      protectionIntervalExponent: num,
      longList: fc.boolean(),
      pattern: fc.uint8Array({ maxLength: 8 }),
      lbas: fc.array(anyLba, { maxLength: 4 }),
    },
    { requiredKeys: [] },
  );
  const builders: ((p: never) => CdbSpec | Uint8Array)[] = [
    buildReadCapacity10,
    buildReadCapacity16,
    buildGetLbaStatus,
    buildReportReferrals,
    buildUnmap,
    buildFormatUnit,
    buildFormatUnitData,
    buildSanitize,
    buildSanitizeOverwriteData,
    buildReassignBlocks,
    buildReassignBlocksData,
    buildReadDefectData10,
    buildReadDefectData12,
  ];

  it('random params', () => {
    fc.assert(
      fc.property(fc.constantFrom(...builders), params, (b, p) => {
        try {
          const out = b(p as never);
          expect(out instanceof Uint8Array || out.cdb instanceof Uint8Array).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(CdbBuildError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('buildUnmapData round-trips random valid ranges', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            lba: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
            blocks: fc.nat({ max: 0xffffffff }),
          }),
          {
            maxLength: 20,
          },
        ),
        (ranges) => {
          const d = buildUnmapData(ranges);
          const v = new DataView(d.buffer);
          expect(v.getUint16(0)).toBe(d.length - 2);
          expect(v.getUint16(2)).toBe(16 * ranges.length);
          ranges.forEach((r, i) => {
            expect(v.getBigUint64(8 + 16 * i)).toBe(r.lba);
            expect(v.getUint32(16 + 16 * i)).toBe(r.blocks);
          });
        },
      ),
    );
  });
});

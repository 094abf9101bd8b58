import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildCloseZone,
  buildFinishZone,
  buildOpenZone,
  buildReportRealms,
  buildReportZoneDomains,
  buildReportZones,
  buildResetWritePointer,
  buildSequentializeZone,
  buildZbcOut,
  REPORT_ZONES_OPTIONS,
  ReportZonesParamsSchema,
  ResetWritePointerParamsSchema,
} from '../src/commands/zbc.js';
import { CdbBuildError } from '../src/errors.js';
import type { CdbSpec } from '../src/types.js';
import { buildError, bytes, h } from './helpers.js';

describe('REPORT ZONES (ZBC-2 REPORT ZONES command table)', () => {
  it('ZBC IN 95h/00h with zone start LBA, allocation length, PARTIAL and reporting options', () => {
    const s = buildReportZones({
      zoneStartLba: 0x80000n,
      allocationLength: 0x1000,
      partial: true,
      reportingOptions: REPORT_ZONES_OPTIONS.full,
    });
    expect(bytes(s)).toBe(h('95 00 0000000000080000 00001000 85 00'));
    expect(s).toMatchObject({ direction: 'in', transferLength: 0x1000, name: 'REPORT ZONES' });
    expect(bytes(buildReportZones())).toBe(h('95 00 0000000000000000 00002000 00 00'));
    expect(bytes(buildReportZones({ reportingOptions: REPORT_ZONES_OPTIONS.notWritePointer }))).toBe(
      h('95 00 0000000000000000 00002000 3f 00'),
    );
  });

  it('range errors name the field', () => {
    expect(buildError(() => buildReportZones({ reportingOptions: 0x40 })).field).toBe('reportingOptions');
    expect(buildError(() => buildReportZones({ zoneStartLba: 1n << 64n })).field).toBe('zoneStartLba');
    expect(buildError(() => buildReportZones({ allocationLength: 2 ** 32 })).field).toBe('allocationLength');
    expect(buildReportZones({ allocationLength: 0 }).direction).toBe('none');
  });
});

describe('REPORT REALMS / REPORT ZONE DOMAINS (ZBC-2)', () => {
  it('ZBC IN 95h/06h and 95h/07h', () => {
    expect(bytes(buildReportRealms({ realmLocator: 0x100, allocationLength: 64, reportingOptions: 2 }))).toBe(
      h('95 06 0000000000000100 00000040 02 00'),
    );
    expect(
      bytes(buildReportZoneDomains({ zoneDomainLocator: 1, allocationLength: 64, reportingOptions: 1 })),
    ).toBe(h('95 07 0000000000000001 00000040 01 00'));
    expect(buildReportRealms().name).toBe('REPORT REALMS');
    expect(buildError(() => buildReportZoneDomains({ reportingOptions: 64 })).field).toBe('reportingOptions');
  });
});

describe('ZBC OUT zone actions (ZBC-2 CLOSE/FINISH/OPEN ZONE, RESET WRITE POINTER tables)', () => {
  it('single zone by ZONE ID, with ZONE COUNT in bytes 12-13', () => {
    const s = buildResetWritePointer({ zoneId: 0x80000n });
    expect(bytes(s)).toBe(h('94 04 0000000000080000 0000 0000 00 00'));
    expect(s).toEqual({ cdb: s.cdb, direction: 'none', transferLength: 0, name: 'RESET WRITE POINTER' });
    expect(bytes(buildOpenZone({ zoneId: 0x100000, zoneCount: 2 }))).toBe(
      h('94 03 0000000000100000 0000 0002 00 00'),
    );
    expect(bytes(buildCloseZone({ zoneId: 0 }))).toBe(h('94 01 0000000000000000 0000 0000 00 00'));
    expect(bytes(buildFinishZone({ zoneId: 1n << 40n }))).toBe(h('94 02 0000010000000000 0000 0000 00 00'));
    expect(bytes(buildSequentializeZone({ zoneId: 8 }))).toBe(h('94 10 0000000000000008 0000 0000 00 00'));
  });

  it('ALL (byte 14 bit 0) leaves ZONE ID and ZONE COUNT zero', () => {
    expect(bytes(buildResetWritePointer({ all: true }))).toBe(h('94 04 0000000000000000 0000 0000 01 00'));
    expect(bytes(buildFinishZone({ all: true, control: 4 }))).toBe(
      h('94 02 0000000000000000 0000 0000 01 04'),
    );
  });

  it('needs exactly one of zoneId and all', () => {
    expect(buildError(() => buildOpenZone({})).field).toBe('all');
    expect(buildError(() => buildOpenZone({ all: true, zoneId: 5 })).field).toBe('zoneId');
    expect(buildError(() => buildCloseZone({ all: true, zoneCount: 2 })).field).toBe('zoneCount');
    expect(buildError(() => buildCloseZone({ zoneId: 0, zoneCount: 0x10000 })).field).toBe('zoneCount');
    expect(buildError(() => buildZbcOut('explode' as 'openZone', { all: true })).field).toBe('action');
  });
});

describe('zod schemas', () => {
  it('validate at the API boundary', () => {
    expect(ReportZonesParamsSchema.safeParse({ partial: true, reportingOptions: 0x3e }).success).toBe(true);
    expect(ReportZonesParamsSchema.safeParse({ reportingOptions: 0x40 }).success).toBe(false);
    expect(ResetWritePointerParamsSchema.safeParse({ all: true }).success).toBe(true);
    expect(ResetWritePointerParamsSchema.safeParse({ zoneId: 5n }).success).toBe(true);
    expect(ResetWritePointerParamsSchema.safeParse({}).success).toBe(false);
    expect(ResetWritePointerParamsSchema.safeParse({ all: true, zoneId: 1 }).success).toBe(false);
  });
});

describe('property: ZBC builders', () => {
  it('REPORT ZONES round-trips random valid params', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.nat({ max: 0xffffffff }),
        fc.nat({ max: 0x3f }),
        fc.boolean(),
        (lba, alloc, options, partial) => {
          const s = buildReportZones({
            zoneStartLba: lba,
            allocationLength: alloc,
            reportingOptions: options,
            partial,
          });
          const v = new DataView(s.cdb.buffer);
          expect(v.getBigUint64(2)).toBe(lba);
          expect(v.getUint32(10)).toBe(alloc);
          expect(s.cdb[14]).toBe((partial ? 0x80 : 0) | options);
          expect(s.transferLength).toBe(alloc);
        },
      ),
    );
  });

  it('random params build or throw CdbBuildError', () => {
    const num = fc.oneof(fc.integer({ min: -2, max: 70000 }), fc.double(), fc.constantFrom(2 ** 32, 2 ** 64));
    const anyLba = fc.oneof(num, fc.bigInt({ min: -1n, max: 1n << 65n }));
    const params = fc.record(
      {
        zoneStartLba: anyLba,
        realmLocator: anyLba,
        zoneDomainLocator: anyLba,
        zoneId: anyLba,
        all: fc.boolean(),
        zoneCount: num,
        allocationLength: num,
        reportingOptions: num,
        partial: fc.boolean(),
        control: num,
      },
      { requiredKeys: [] },
    );
    const builders = [
      buildReportZones,
      buildReportRealms,
      buildReportZoneDomains,
      buildResetWritePointer,
      buildOpenZone,
      buildCloseZone,
      buildFinishZone,
      buildSequentializeZone,
    ] as ((p: never) => CdbSpec)[];
    fc.assert(
      fc.property(fc.constantFrom(...builders), params, (b, p) => {
        try {
          expect(b(p as never).cdb.length).toBe(16);
        } catch (e) {
          expect(e).toBeInstanceOf(CdbBuildError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

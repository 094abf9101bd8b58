import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../src/errors.js';
import { decodeReportZones } from '../src/pages/zones.js';

interface Z {
  type: number;
  cond: number;
  flags?: number;
  len: bigint;
  start: bigint;
  wp: bigint;
}

/** ZBC-2 REPORT ZONES header + zone descriptors. */
function reportZones(
  zones: Z[],
  same: number,
  maxLba: bigint,
  granularity = 0n,
  listLength?: number,
): Uint8Array {
  const b = new Uint8Array(64 + zones.length * 64);
  const v = new DataView(b.buffer);
  v.setUint32(0, listLength ?? zones.length * 64);
  b[4] = same;
  v.setBigUint64(8, maxLba);
  v.setBigUint64(16, granularity);
  zones.forEach((z, i) => {
    const o = 64 + i * 64;
    b[o] = z.type;
    b[o + 1] = (z.cond << 4) | (z.flags ?? 0);
    v.setBigUint64(o + 8, z.len);
    v.setBigUint64(o + 16, z.start);
    v.setBigUint64(o + 24, z.wp);
  });
  return b;
}

const ZONE = 524288n;
// A small host-managed layout: one conventional zone, then sequential write required zones.
const sample = reportZones(
  [
    { type: 1, cond: 0, len: ZONE, start: 0n, wp: 0xffff_ffff_ffff_ffffn },
    { type: 2, cond: 1, len: ZONE, start: ZONE, wp: ZONE },
    { type: 2, cond: 2, flags: 0x03, len: ZONE, start: 2n * ZONE, wp: 2n * ZONE + 8n },
    { type: 2, cond: 0xe, len: ZONE, start: 3n * ZONE, wp: 4n * ZONE },
  ],
  1,
  4n * ZONE - 1n,
);

describe('decodeReportZones (ZBC-2 parameter data)', () => {
  it('decodes header and zone descriptors', () => {
    const d = decodeReportZones(sample);
    expect(d.zoneListLength).toBe(256);
    expect(d.same).toBe(1);
    expect(d.sameName).toBe('all zones have the same type and length');
    expect(d.maximumLba).toBe(4n * ZONE - 1n);
    expect(d.zoneStartingLbaGranularity).toBe(0n);
    expect(d.zones).toHaveLength(4);
    expect(d.zones[0]).toEqual({
      zoneType: 1,
      zoneTypeName: 'conventional',
      zoneCondition: 0,
      zoneConditionName: 'not write pointer',
      nonSeq: false,
      reset: false,
      zoneLength: ZONE,
      zoneStartLba: 0n,
      writePointerLba: 0xffff_ffff_ffff_ffffn,
    });
    expect(d.zones[1]).toMatchObject({
      zoneTypeName: 'sequential write required',
      zoneConditionName: 'empty',
    });
    expect(d.zones[2]).toMatchObject({
      zoneConditionName: 'implicitly open',
      nonSeq: true,
      reset: true,
      writePointerLba: 2n * ZONE + 8n,
    });
    expect(d.zones[3]?.zoneConditionName).toBe('full');
    expect(d.truncated).toBe(false);
  });

  it('names every zone type and condition', () => {
    const one = (type: number, cond: number) =>
      decodeReportZones(reportZones([{ type, cond, len: 1n, start: 0n, wp: 0n }], 0, 0n)).zones[0];
    expect(one(3, 3)).toMatchObject({
      zoneTypeName: 'sequential write preferred',
      zoneConditionName: 'explicitly open',
    });
    expect(one(4, 4)).toMatchObject({
      zoneTypeName: 'sequential or before required',
      zoneConditionName: 'closed',
    });
    expect(one(5, 5)).toMatchObject({ zoneTypeName: 'gap', zoneConditionName: 'inactive' });
    expect(one(2, 0xd)?.zoneConditionName).toBe('read only');
    expect(one(2, 0xf)?.zoneConditionName).toBe('offline');
    expect(one(9, 7)).toMatchObject({ zoneTypeName: 'reserved', zoneConditionName: 'reserved' });
  });

  it('keeps whole zones when cut by the allocation length', () => {
    const d = decodeReportZones(sample.subarray(0, 64 + 64 + 10));
    expect(d.zones).toHaveLength(1);
    expect(d.truncated).toBe(true);
    expect(d.requiredLength).toBe(320);
  });

  it('accepts a 16-byte header-only answer (no granularity) and rejects shorter', () => {
    const d = decodeReportZones(sample.subarray(0, 16));
    expect(d.maximumLba).toBe(4n * ZONE - 1n);
    expect(d.zoneStartingLbaGranularity).toBeUndefined();
    expect(d.zones).toEqual([]);
    expect(() => decodeReportZones(sample.subarray(0, 12))).toThrowError(/maximumLba/);
  });

  it('rejects a ZONE LIST LENGTH that is not a multiple of 64', () => {
    expect(() => decodeReportZones(reportZones([], 0, 0n, 0n, 65))).toThrowError(DecodeError);
  });

  it('random bytes either decode or throw DecodeError', () => {
    const arb = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc
        .tuple(fc.integer({ min: 0, max: 4 }), fc.uint8Array({ minLength: 60, maxLength: 300 }))
        .map(([n, rest]) => new Uint8Array([0, 0, (n * 64) >> 8, (n * 64) & 0xff, ...rest])),
    );
    fc.assert(
      fc.property(arb, (b) => {
        try {
          decodeReportZones(b);
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

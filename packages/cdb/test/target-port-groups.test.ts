import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../src/errors.js';
import { decodeReportTargetPortGroups } from '../src/pages/target-port-groups.js';

function u32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

// SPC-6 target port group descriptors.
const groupA = [0x80, 0xdf, 0x00, 0x01, 0, 0x02, 0x5a, 0x02, 0, 0, 0x00, 0x01, 0, 0, 0x00, 0x02];
const groupB = [0x01, 0x0f, 0x00, 0x02, 0, 0x00, 0x00, 0x01, 0, 0, 0x00, 0x03];

describe('decodeReportTargetPortGroups (SPC-6 length and extended header formats)', () => {
  it('decodes the length-only format', () => {
    const d = decodeReportTargetPortGroups(new Uint8Array([...u32(28), ...groupA, ...groupB]));
    expect(d.formatType).toBe(0);
    expect(d.implicitTransitionTime).toBeUndefined();
    expect(d.targetPortGroups).toHaveLength(2);
    const [a, b] = d.targetPortGroups;
    expect(a).toEqual({
      pref: true,
      rtpgFmt: 0,
      asymmetricAccessState: 0,
      asymmetricAccessStateName: 'active/optimized',
      tSup: true,
      oSup: true,
      lbdSup: true,
      uSup: true,
      sSup: true,
      anSup: true,
      aoSup: true,
      targetPortGroup: 1,
      statusCode: 2,
      statusCodeName: 'altered by implicit asymmetric access behavior',
      vendorSpecific: 0x5a,
      targetPortCount: 2,
      relativeTargetPortIdentifiers: [1, 2],
    });
    expect(b?.asymmetricAccessStateName).toBe('active/non-optimized');
    expect(b?.pref).toBe(false);
    expect(b?.tSup).toBe(false);
    expect(b?.relativeTargetPortIdentifiers).toEqual([3]);
    expect(d.truncated).toBe(false);
  });

  it('decodes the extended header format (format type 1, implicit transition time)', () => {
    const d = decodeReportTargetPortGroups(new Uint8Array([...u32(4 + 16), 0x10, 60, 0, 0, ...groupA]));
    expect(d.formatType).toBe(1);
    expect(d.implicitTransitionTime).toBe(60);
    expect(d.targetPortGroups[0]?.targetPortGroup).toBe(1);
  });

  it('names every defined state', () => {
    const state = (s: number) =>
      decodeReportTargetPortGroups(new Uint8Array([...u32(8), s, 0, 0, 1, 0, 0, 0, 0])).targetPortGroups[0]
        ?.asymmetricAccessStateName;
    expect(state(2)).toBe('standby');
    expect(state(3)).toBe('unavailable');
    expect(state(4)).toBe('logical block dependent');
    expect(state(0xe)).toBe('offline');
    expect(state(0xf)).toBe('transitioning');
    expect(state(0x9)).toBe('reserved');
  });

  it('keeps whole descriptors when the allocation length cut the list', () => {
    const full = new Uint8Array([...u32(28), ...groupA, ...groupB]);
    const d = decodeReportTargetPortGroups(full.subarray(0, 24));
    expect(d.targetPortGroups).toHaveLength(1);
    expect(d.truncated).toBe(true);
    expect(d.requiredLength).toBe(32);
    expect(d.availableLength).toBe(24);
  });

  it('rejects a short header and a length that splits a descriptor', () => {
    expect(() => decodeReportTargetPortGroups(new Uint8Array(2))).toThrowError(DecodeError);
    expect(() => decodeReportTargetPortGroups(new Uint8Array([...u32(12), ...groupA]))).toThrowError(
      /returnDataLength/,
    );
  });

  it('random bytes either decode or throw DecodeError', () => {
    const arb = fc.oneof(
      fc.uint8Array({ maxLength: 100 }),
      fc
        .tuple(fc.integer({ min: 0, max: 96 }), fc.uint8Array({ maxLength: 100 }))
        .map(([len, rest]) => new Uint8Array([...u32(len), ...rest])),
    );
    fc.assert(
      fc.property(arb, (b) => {
        try {
          decodeReportTargetPortGroups(b);
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });
});

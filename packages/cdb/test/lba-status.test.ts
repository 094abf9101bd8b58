import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../src/errors.js';
import { decodeGetLbaStatus } from '../src/pages/lba-status.js';

function hexBytes(s: string): Uint8Array {
  return new Uint8Array(
    s
      .trim()
      .split(/\s+/u)
      .map((h) => Number.parseInt(h, 16)),
  );
}

function u32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

// sg3_utils inhex/get_lba_status.hex: SBC-5 header + three LBA status descriptors.
const sample = hexBytes(`
  0 0 0 34  0 0 0 6
  0 0 0 0 0 0 0 0  11 22 33 0  0 0 0 0
  0 0 0 0 11 22 33 0  0 0 0 44  31 1 0 0
  0 0 0 0 11 22 33 44  0 0 0 33  11 1 0 0
`);

describe('decodeGetLbaStatus (SBC-5 parameter data)', () => {
  it('decodes the sg3_utils sample', () => {
    const d = decodeGetLbaStatus(sample);
    expect(d.parameterDataLength).toBe(0x34);
    expect(d.completionCondition).toBe(3);
    expect(d.completionConditionName).toBe('capacity of the medium reached');
    expect(d.rtp).toBe(false);
    expect(d.descriptors).toHaveLength(3);
    expect(d.descriptors[0]).toEqual({
      lbaStatusLogicalBlockAddress: 0n,
      numberOfLogicalBlocks: 0x11223300,
      provisioningStatus: 0,
      provisioningStatusName: 'mapped or unknown',
      lbaAccessibility: 0,
      additionalStatus: 0,
      mayContainUnrecoveredErrors: false,
    });
    expect(d.descriptors[1]).toMatchObject({
      lbaStatusLogicalBlockAddress: 0x11223300n,
      numberOfLogicalBlocks: 0x44,
      provisioningStatus: 1,
      provisioningStatusName: 'deallocated',
      lbaAccessibility: 3,
      mayContainUnrecoveredErrors: true,
    });
    expect(d.descriptors[2]).toMatchObject({
      lbaStatusLogicalBlockAddress: 0x11223344n,
      lbaAccessibility: 1,
    });
    expect(d.truncated).toBe(false);
  });

  it('names anchored, mapped and unknown, and reads RTP', () => {
    const desc = (ps: number) => [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 8, ps, 0, 0, 0];
    const d = decodeGetLbaStatus(
      new Uint8Array([...u32(52), 0, 0, 0, 0x03, ...desc(2), ...desc(3), ...desc(4)]),
    );
    expect(d.rtp).toBe(true);
    expect(d.completionConditionName).toBe('allocation length reached');
    expect(d.descriptors.map((x) => x.provisioningStatusName)).toEqual(['anchored', 'mapped', 'unknown']);
  });

  it('keeps whole descriptors when cut by the allocation length (sg_get_lba_status default 24)', () => {
    const d = decodeGetLbaStatus(sample.subarray(0, 24));
    expect(d.descriptors).toHaveLength(1);
    expect(d.truncated).toBe(true);
    expect(d.requiredLength).toBe(56);
    expect(d.availableLength).toBe(24);
  });

  it('rejects a short header and a length that is not 4 + 16n', () => {
    expect(() => decodeGetLbaStatus(sample.subarray(0, 6))).toThrowError(DecodeError);
    expect(() => decodeGetLbaStatus(new Uint8Array([...u32(10), 0, 0, 0, 0]))).toThrowError(
      /parameterDataLength/,
    );
  });

  it('random bytes either decode or throw DecodeError', () => {
    const arb = fc.oneof(
      fc.uint8Array({ maxLength: 80 }),
      fc
        .tuple(fc.integer({ min: 0, max: 4 }), fc.uint8Array({ maxLength: 80 }))
        .map(([n, rest]) => new Uint8Array([...u32(4 + 16 * n), ...rest])),
    );
    fc.assert(
      fc.property(arb, (b) => {
        try {
          decodeGetLbaStatus(b);
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });
});

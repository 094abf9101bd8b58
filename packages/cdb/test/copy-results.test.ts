import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../src/errors.js';
import {
  decodeCopyOperatingParameters,
  decodeCopyStatusLid1,
  decodeFailedSegmentDetailsLid1,
  decodeReceiveCopyDataLid1,
} from '../src/pages/copy-results.js';

function u32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

function u16(v: number): number[] {
  return [(v >> 8) & 0xff, v & 0xff];
}

describe('decodeCopyStatusLid1 (SPC-4 COPY STATUS response)', () => {
  it('decodes a completed copy', () => {
    const d = decodeCopyStatusLid1(new Uint8Array([...u32(8), 0x81, ...u16(3), 0x01, ...u32(2048)]));
    expect(d).toMatchObject({
      availableData: 8,
      hdd: true,
      copyManagerStatus: 1,
      copyManagerStatusName: 'operation completed without errors',
      segmentsProcessed: 3,
      transferCountUnits: 1,
      transferCount: 2048,
      transferCountBytes: 2048n * 1024n,
      truncated: false,
    });
  });

  it('leaves transferCountBytes out for reserved units and names reserved statuses', () => {
    const d = decodeCopyStatusLid1(new Uint8Array([...u32(8), 0x05, 0, 0, 0x09, ...u32(1)]));
    expect(d.transferCountBytes).toBeUndefined();
    expect(d.copyManagerStatusName).toBe('reserved');
  });

  it('rejects fewer than 12 bytes', () => {
    expect(() => decodeCopyStatusLid1(new Uint8Array([...u32(8), 0, 0, 0, 0, 0, 0]))).toThrowError(
      /transferCount/,
    );
  });
});

describe('decodeReceiveCopyDataLid1', () => {
  it('returns held data and flags truncation', () => {
    const d = decodeReceiveCopyDataLid1(new Uint8Array([...u32(6), 1, 2, 3]));
    expect([...d.heldData]).toEqual([1, 2, 3]);
    expect(d.truncated).toBe(true);
    expect(d.requiredLength).toBe(10);
  });
});

// SPC-4 OPERATING PARAMETERS response: a copy manager like LIO's (block→block segment 02h, identification CSCD E4h).
const opParams = new Uint8Array([
  ...u32(42),
  0x01,
  0,
  0,
  0,
  ...u16(2),
  ...u16(1),
  ...u32(1024),
  ...u32(16 * 1024 * 1024),
  ...u32(0),
  ...u32(0),
  ...u32(0),
  0,
  0,
  ...u16(1),
  1,
  9,
  0,
  0,
  0,
  0,
  0,
  2,
  0x02,
  0xe4,
]);

describe('decodeCopyOperatingParameters (SPC-4 "Response format for OPERATING PARAMETERS")', () => {
  it('decodes the fixed part and the implemented descriptor list', () => {
    const d = decodeCopyOperatingParameters(opParams);
    expect(d).toMatchObject({
      availableData: 42,
      snlid: true,
      maximumCscdDescriptorCount: 2,
      maximumSegmentDescriptorCount: 1,
      maximumDescriptorListLength: 1024,
      maximumSegmentLength: 16 * 1024 * 1024,
      maximumInlineDataLength: 0,
      totalConcurrentCopies: 1,
      maximumConcurrentCopies: 1,
      dataSegmentGranularity: 9,
      implementedDescriptorListLength: 2,
      truncated: false,
    });
    expect(d.implementedDescriptorTypeCodes).toEqual([0x02, 0xe4]);
  });

  it('flags a cut descriptor list and rejects a cut fixed part', () => {
    const d = decodeCopyOperatingParameters(opParams.subarray(0, 45));
    expect(d.implementedDescriptorTypeCodes).toEqual([0x02]);
    expect(d.truncated).toBe(true);
    expect(() => decodeCopyOperatingParameters(opParams.subarray(0, 40))).toThrowError(DecodeError);
  });
});

describe('decodeFailedSegmentDetailsLid1 (SPC-4 FAILED SEGMENT DETAILS response)', () => {
  it('decodes status and sense data', () => {
    const sense = [0x70, 0, 0x05, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x26, 0x00, 0, 0, 0, 0];
    const b = new Uint8Array([
      ...u32(56 + sense.length),
      ...new Array<number>(52).fill(0),
      0x02,
      0,
      ...u16(sense.length),
      ...sense,
    ]);
    const d = decodeFailedSegmentDetailsLid1(b);
    expect(d.hasDetails).toBe(true);
    expect(d.extendedCopyCommandStatus).toBe(2);
    expect(d.senseDataLength).toBe(18);
    expect([...(d.senseData ?? [])]).toEqual(sense);
  });

  it('reports no details for AVAILABLE DATA 0', () => {
    const d = decodeFailedSegmentDetailsLid1(new Uint8Array(u32(0)));
    expect(d.hasDetails).toBe(false);
    expect(d.senseData).toBeUndefined();
  });
});

describe('fuzz', () => {
  it('random bytes either decode or throw DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (b) => {
        for (const decode of [
          decodeCopyStatusLid1,
          decodeReceiveCopyDataLid1,
          decodeCopyOperatingParameters,
          decodeFailedSegmentDetailsLid1,
        ]) {
          try {
            decode(b);
          } catch (e) {
            if (!(e instanceof DecodeError)) throw e;
          }
        }
      }),
      { numRuns: 3000 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CdbBuildError, DecodeError } from '../src/errors.js';
import { decodeLun, decodeReportLuns, encodeLun, intToLun, lunToInt } from '../src/pages/luns.js';

function reportLuns(luns: number[][], listLength?: number): Uint8Array {
  const b = new Uint8Array(8 + luns.length * 8);
  new DataView(b.buffer).setUint32(0, listLength ?? luns.length * 8);
  luns.forEach((l, i) => {
    b.set(l, 8 + i * 8);
  });
  return b;
}

describe('decodeReportLuns (SPC-6 "REPORT LUNS parameter data format")', () => {
  it('decodes scsi_debug with max_luns=2 (LUN 0 and 1, peripheral addressing)', () => {
    const d = decodeReportLuns(
      reportLuns([
        [0, 0, 0, 0, 0, 0, 0, 0],
        [0, 1, 0, 0, 0, 0, 0, 0],
      ]),
    );
    expect(d.lunListLength).toBe(16);
    expect(d.luns).toHaveLength(2);
    expect(d.luns[1]?.lun).toBe(0x0001_0000_0000_0000n);
    expect(d.luns[1]?.addressMethod).toBe('peripheral');
    expect(d.luns[1]?.busIdentifier).toBe(0);
    expect(d.luns[1]?.lunNumber).toBe(1);
    expect(d.luns[1]?.linuxLun).toBe(1n);
    expect(d.luns[1]?.multiLevel).toBe(false);
    expect(d.luns[1]?.malformed).toBe(false);
    expect(d.truncated).toBe(false);
    expect(d.requiredAllocationLength).toBe(24);
  });

  it('decodes flat space, logical unit and well-known LUNs', () => {
    const d = decodeReportLuns(
      reportLuns([
        [0x41, 0x00, 0, 0, 0, 0, 0, 0], // flat LUN 256
        [0x85, 0x43, 0, 0, 0, 0, 0, 0], // logical unit: target 5, bus 2, lun 3
        [0xc1, 0x01, 0, 0, 0, 0, 0, 0], // REPORT LUNS W-LUN
        [0xc1, 0x05, 0, 0, 0, 0, 0, 0], // MANAGEMENT PROTOCOL W-LUN
        [0xd2, 0x01, 0x02, 0x03, 0, 0, 0, 0], // extended flat space 0x010203
        [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // not specified
      ]),
    );
    const [flat, lu, wl, mp, ext, ns] = d.luns;
    expect(flat?.addressMethod).toBe('flat');
    expect(flat?.lunNumber).toBe(256);
    expect(flat?.linuxLun).toBe(0x4100n);
    expect(lu).toMatchObject({ addressMethod: 'logicalUnit', target: 5, busIdentifier: 2, lunNumber: 3 });
    expect(wl?.wellKnown).toEqual({ wlun: 1, name: 'REPORT LUNS' });
    expect(wl?.lunNumber).toBeUndefined();
    expect(mp?.wellKnown?.name).toBe('MANAGEMENT PROTOCOL');
    expect(ext?.addressMethod).toBe('extended');
    expect(ext?.lunNumber).toBe(0x010203);
    expect(ns?.levels[0]?.notSpecified).toBe(true);
  });

  it('follows a peripheral level with a bus identifier to the next level', () => {
    const d = decodeLun(new Uint8Array([0x02, 0x07, 0x00, 0x03, 0, 0, 0, 0]));
    expect(d.multiLevel).toBe(true);
    expect(d.busIdentifier).toBe(2);
    expect(d.target).toBe(7);
    expect(d.levels[1]).toMatchObject({ addressMethod: 'peripheral', lunNumber: 3 });
  });

  it('marks non-zero bytes after the last level as malformed', () => {
    expect(decodeLun(new Uint8Array([0, 1, 0, 0, 0, 0, 0, 9])).malformed).toBe(true);
    // Extended length 3 (8 bytes) starting at level 2 cannot fit.
    expect(decodeLun(new Uint8Array([0x01, 0x00, 0xf2, 0, 0, 0, 0, 0])).malformed).toBe(true);
  });

  it('decodes what fits when the allocation length cut the list', () => {
    const full = reportLuns([
      [0, 0, 0, 0, 0, 0, 0, 0],
      [0, 1, 0, 0, 0, 0, 0, 0],
      [0, 2, 0, 0, 0, 0, 0, 0],
    ]);
    const d = decodeReportLuns(full.subarray(0, 20));
    expect(d.lunListLength).toBe(24);
    expect(d.luns).toHaveLength(1);
    expect(d.truncated).toBe(true);
    expect(d.requiredAllocationLength).toBe(32);
    expect(d.availableLength).toBe(20);
  });

  it('rejects a short header and a LUN LIST LENGTH that is not a multiple of 8', () => {
    expect(() => decodeReportLuns(new Uint8Array(6))).toThrowError(DecodeError);
    expect(() => decodeReportLuns(reportLuns([[0, 0, 0, 0, 0, 0, 0, 0]], 12))).toThrowError(/lunListLength/);
    expect(() => decodeLun(new Uint8Array(7))).toThrowError(DecodeError);
  });

  it('never throws anything but DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        for (const decode of [decodeReportLuns, decodeLun, lunToInt]) {
          try {
            decode(b);
          } catch (e) {
            if (!(e instanceof DecodeError)) throw e;
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('encodeLun / lunToInt / intToLun', () => {
  it('uses peripheral addressing below 256 and flat space from 256', () => {
    expect([...encodeLun(0)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...encodeLun(255)]).toEqual([0, 255, 0, 0, 0, 0, 0, 0]);
    expect([...encodeLun(256)]).toEqual([0x41, 0x00, 0, 0, 0, 0, 0, 0]);
    expect([...encodeLun(16383)]).toEqual([0x7f, 0xff, 0, 0, 0, 0, 0, 0]);
    expect([...encodeLun(16384)]).toEqual([0xd2, 0x00, 0x40, 0x00, 0, 0, 0, 0]);
    expect([...encodeLun(2 ** 24)]).toEqual([0xe2, 0x00, 0x01, 0x00, 0x00, 0x00, 0, 0]);
    expect(decodeLun(encodeLun(2 ** 24)).lunNumber).toBe(2 ** 24);
  });

  it('rejects LUN numbers that do not fit', () => {
    expect(() => encodeLun(-1)).toThrowError(CdbBuildError);
    expect(() => encodeLun(2 ** 40)).toThrowError(/lun/);
    expect(() => intToLun(1n << 64n)).toThrowError(CdbBuildError);
  });

  it('maps to and from Linux integers like scsilun_to_int/int_to_scsilun', () => {
    expect(lunToInt(encodeLun(5))).toBe(5n);
    expect(lunToInt(encodeLun(256))).toBe(0x4100n);
    expect(lunToInt(new Uint8Array([0x00, 0x01, 0x00, 0x02, 0, 0, 0, 0]))).toBe(0x0002_0001n);
    expect([...intToLun(0x0002_0001n)]).toEqual([0x00, 0x01, 0x00, 0x02, 0, 0, 0, 0]);
  });

  it('round-trips encodeLun through decodeLun, and intToLun through lunToInt', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 - 1 }), (n) => {
        expect(decodeLun(encodeLun(n)).lunNumber).toBe(n);
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (n) => {
        expect(lunToInt(intToLun(n))).toBe(n);
      }),
    );
  });

  it('builder inputs either encode or throw CdbBuildError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double()), (n) => {
        try {
          encodeLun(n);
        } catch (e) {
          if (!(e instanceof CdbBuildError)) throw e;
        }
      }),
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../src/errors.js';
import {
  decodePrReadFullStatus,
  decodePrReadKeys,
  decodePrReadReservation,
  decodePrReportCapabilities,
  decodeTransportId,
  transportIdLength,
} from '../src/pages/persistent-reservation.js';

function u32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

function u64(v: bigint): number[] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v);
  return [...b];
}

function ascii(s: string, padTo: number): number[] {
  const out = new Array<number>(padTo).fill(0);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

describe('decodePrReadKeys (SPC-6 READ KEYS parameter data)', () => {
  it('decodes registered keys', () => {
    const d = decodePrReadKeys(
      new Uint8Array([...u32(5), ...u32(16), ...u64(0x123456789abcdef0n), ...u64(1n)]),
    );
    expect(d.prGeneration).toBe(5);
    expect(d.keys).toEqual([0x123456789abcdef0n, 1n]);
    expect(d.truncated).toBe(false);
  });

  it('decodes an empty registration list', () => {
    expect(decodePrReadKeys(new Uint8Array([...u32(0), ...u32(0)])).keys).toEqual([]);
  });

  it('keeps the whole keys present when cut short', () => {
    const d = decodePrReadKeys(new Uint8Array([...u32(5), ...u32(24), ...u64(7n), 0, 0, 0]));
    expect(d.keys).toEqual([7n]);
    expect(d.truncated).toBe(true);
    expect(d.requiredLength).toBe(32);
    expect(d.availableLength).toBe(19);
  });

  it('rejects a short header and a length that is not a multiple of 8', () => {
    expect(() => decodePrReadKeys(new Uint8Array(7))).toThrowError(DecodeError);
    expect(() => decodePrReadKeys(new Uint8Array([...u32(0), ...u32(9)]))).toThrowError(/additionalLength/);
  });
});

describe('decodePrReadReservation (SPC-6 READ RESERVATION parameter data)', () => {
  it('decodes a held reservation', () => {
    const d = decodePrReadReservation(
      new Uint8Array([...u32(3), ...u32(16), ...u64(0xabcn), 0, 0, 0, 0, 0, 0x05, 0, 0]),
    );
    expect(d.reservation).toEqual({
      reservationKey: 0xabcn,
      scope: 0,
      scopeName: 'LU_SCOPE',
      type: 5,
      typeName: 'Write Exclusive - Registrants Only',
    });
  });

  it('decodes "no reservation"', () => {
    const d = decodePrReadReservation(new Uint8Array([...u32(3), ...u32(0)]));
    expect(d.reservation).toBeUndefined();
    expect(d.truncated).toBe(false);
  });

  it('flags a cut answer and rejects an impossible length', () => {
    const d = decodePrReadReservation(new Uint8Array([...u32(3), ...u32(16), ...u64(1n)]));
    expect(d.reservation).toBeUndefined();
    expect(d.truncated).toBe(true);
    expect(() => decodePrReadReservation(new Uint8Array([...u32(3), ...u32(8)]))).toThrowError(DecodeError);
  });
});

describe('decodePrReportCapabilities (SPC-6 REPORT CAPABILITIES parameter data)', () => {
  it('decodes every flag and the type mask', () => {
    const d = decodePrReportCapabilities(new Uint8Array([0x00, 0x08, 0x9d, 0xd1, 0xea, 0x01, 0, 0]));
    expect(d).toMatchObject({
      length: 8,
      rlrC: true,
      crh: true,
      sipC: true,
      atpC: true,
      ptplC: true,
      tmv: true,
      allowCommands: 5,
      ptplA: true,
      typeMaskBits: 0xea01,
      truncated: false,
    });
    expect(d.typeMask).toEqual([1, 3, 5, 6, 7, 8]);
  });

  it('ignores the mask when TMV is clear', () => {
    const d = decodePrReportCapabilities(new Uint8Array([0x00, 0x08, 0x10, 0x00, 0x80, 0x00, 0, 0]));
    expect(d.crh).toBe(true);
    expect(d.typeMask).toEqual([]);
    expect(d.typeMaskBits).toBe(0x8000);
  });

  it('handles short answers', () => {
    expect(decodePrReportCapabilities(new Uint8Array([0, 8, 0, 0x80, 0x02, 0])).truncated).toBe(true);
    expect(decodePrReportCapabilities(new Uint8Array([0, 8, 0, 0x80, 0x02, 0])).typeMask).toEqual([1]);
    expect(() => decodePrReportCapabilities(new Uint8Array([0, 8, 0]))).toThrowError(DecodeError);
    expect(() => decodePrReportCapabilities(new Uint8Array([0, 2, 0, 0, 0, 0, 0, 0]))).toThrowError(/length/);
  });
});

// SPC-6 TransportIDs.
const fcId = [0x00, 0, 0, 0, 0, 0, 0, 0, ...u64(0x21000024ff123456n), ...new Array<number>(8).fill(0)];
const iscsiName = 'iqn.1994-05.com.redhat:abc,i,0x23d000000001';
const iscsiId = [0x45, 0, 0, 44, ...ascii(iscsiName, 44)];
const sasId = [0x06, 0, 0, 0, ...u64(0x5000c50012345678n), ...new Array<number>(12).fill(0)];
const sopId = [0x0a, 0, 0x01, 0x10, ...new Array<number>(20).fill(0)];
const srpId = [0x04, 0, 0, 0, 0, 0, 0, 0, ...Array.from({ length: 16 }, (_, i) => i)];

function fullStatusDescriptor(
  key: bigint,
  flags: number,
  scopeType: number,
  rtpi: number,
  tid: number[],
): number[] {
  return [
    ...u64(key),
    0,
    0,
    0,
    0,
    flags,
    scopeType,
    0,
    0,
    0,
    0,
    rtpi >> 8,
    rtpi & 0xff,
    ...u32(tid.length),
    ...tid,
  ];
}

describe('decodeTransportId', () => {
  it('decodes FC, iSCSI (format 01), SAS, SOP and SRP', () => {
    expect(decodeTransportId(new Uint8Array(fcId))).toMatchObject({
      protocol: 'fc',
      nPortName: '21000024ff123456',
    });
    expect(decodeTransportId(new Uint8Array(iscsiId))).toMatchObject({
      protocol: 'iscsi',
      protocolName: 'iSCSI',
      formatCode: 1,
      iscsiName: 'iqn.1994-05.com.redhat:abc',
      isid: '23d000000001',
    });
    expect(decodeTransportId(new Uint8Array(sasId))).toMatchObject({
      protocol: 'sas',
      sasAddress: '5000c50012345678',
    });
    expect(decodeTransportId(new Uint8Array(sopId))).toMatchObject({
      protocol: 'sop',
      routingId: 0x0110,
      bus: 1,
      device: 2,
      function: 0,
    });
    expect(decodeTransportId(new Uint8Array(srpId))).toMatchObject({
      protocol: 'srp',
      initiatorPortIdentifier: '000102030405060708090a0b0c0d0e0f',
    });
  });

  it('decodes iSCSI format 00 and keeps other protocols raw', () => {
    const f0 = [0x05, 0, 0, 8, ...ascii('iqn.x', 8)];
    expect(decodeTransportId(new Uint8Array(f0))).toMatchObject({ protocol: 'iscsi', iscsiName: 'iqn.x' });
    expect(transportIdLength(new Uint8Array(f0))).toBe(12);
    expect(transportIdLength(new Uint8Array(fcId))).toBe(24);
    const other = decodeTransportId(new Uint8Array([0x09, ...new Array<number>(23).fill(1)]));
    expect(other.protocol).toBe('other');
    expect(other.protocolName).toBe('UAS');
    expect(other.bytes).toHaveLength(24);
  });

  it('rejects a TransportID too short for its fields', () => {
    expect(() => decodeTransportId(new Uint8Array(fcId.slice(0, 12)))).toThrowError(/nPortName/);
  });
});

describe('decodePrReadFullStatus (SPC-6 READ FULL STATUS parameter data)', () => {
  const d1 = fullStatusDescriptor(0x1111n, 0x01, 0x01, 2, fcId);
  const d2 = fullStatusDescriptor(0x2222n, 0x02, 0x00, 0, iscsiId);
  const data = new Uint8Array([...u32(9), ...u32(d1.length + d2.length), ...d1, ...d2]);

  it('decodes descriptors with their TransportIDs', () => {
    const d = decodePrReadFullStatus(data);
    expect(d.prGeneration).toBe(9);
    expect(d.descriptors).toHaveLength(2);
    expect(d.descriptors[0]).toMatchObject({
      reservationKey: 0x1111n,
      allTgPt: false,
      rHolder: true,
      scope: 0,
      type: 1,
      typeName: 'Write Exclusive',
      relativeTargetPortIdentifier: 2,
      additionalDescriptorLength: 24,
    });
    expect(d.descriptors[0]?.transportId).toMatchObject({ protocol: 'fc', nPortName: '21000024ff123456' });
    expect(d.descriptors[1]).toMatchObject({ allTgPt: true, rHolder: false });
    expect(d.descriptors[1]?.transportId).toMatchObject({ protocol: 'iscsi', isid: '23d000000001' });
    expect(d.truncated).toBe(false);
  });

  it('keeps whole descriptors when cut short', () => {
    const d = decodePrReadFullStatus(data.subarray(0, 8 + d1.length + 10));
    expect(d.descriptors).toHaveLength(1);
    expect(d.truncated).toBe(true);
    expect(d.requiredLength).toBe(data.length);
  });

  it('rejects a length that splits a descriptor of a complete answer', () => {
    const bad = new Uint8Array([...u32(9), ...u32(d1.length - 4), ...d1.slice(0, d1.length - 4)]);
    expect(() => decodePrReadFullStatus(bad)).toThrowError(/additionalLength/);
  });
});

describe('fuzz', () => {
  it('random bytes either decode or throw DecodeError', () => {
    const arb = fc.oneof(
      fc.uint8Array({ maxLength: 160 }),
      fc
        .tuple(
          fc.uint8Array({ minLength: 4, maxLength: 4 }),
          fc.integer({ min: 0, max: 150 }),
          fc.uint8Array({ maxLength: 150 }),
        )
        .map(([g, len, rest]) => new Uint8Array([...g, ...u32(len), ...rest])),
    );
    fc.assert(
      fc.property(arb, (b) => {
        for (const decode of [
          decodePrReadKeys,
          decodePrReadReservation,
          decodePrReportCapabilities,
          decodePrReadFullStatus,
          decodeTransportId,
          transportIdLength,
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

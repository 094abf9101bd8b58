import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../src/errors.js';
import {
  decodeSense,
  isProgressSense,
  type SenseData,
  type SenseDescriptor,
  type StandardSense,
  senseProgress,
  senseSummary,
} from '../src/sense.js';
import { expectDecodeError } from './helpers.js';

const bytes = (...b: number[]) => new Uint8Array(b);

function standard(s: SenseData): StandardSense {
  if (s.format === 'vendor') throw new Error('expected standard sense');
  return s;
}

/** Descriptor-format sense (SPC-6 Table 48) around the given descriptors. */
function descriptorSense(key: number, asc: number, ascq: number, ...descs: number[][]): Uint8Array {
  const body = descs.flat();
  return bytes(0x72, key, asc, ascq, 0, 0, 0, body.length, ...body);
}

function descriptor(s: SenseData, kind: SenseDescriptor['kind']): SenseDescriptor {
  const d = standard(s).descriptors.find((x) => x.kind === kind);
  if (!d) throw new Error(`no ${kind} descriptor`);
  return d;
}

describe('decodeSense: fixed format (SPC-6 4.4.3, Table 55)', () => {
  it('decodes scsi_debug READ(16) past the end of the medium', () => {
    const s = standard(decodeSense(bytes(0x70, 0, 5, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x21, 0, 0, 0, 0, 0)));
    expect(s).toMatchObject({
      format: 'fixed',
      responseCode: 0x70,
      current: true,
      deferred: false,
      valid: false,
      senseKey: 5,
      senseKeyName: 'ILLEGAL REQUEST',
      asc: 0x21,
      ascq: 0,
      description: 'Logical block address out of range',
      filemark: false,
      eom: false,
      ili: false,
      sdatOvfl: false,
      additionalLength: 10,
      truncated: false,
      requiredLength: 18,
      availableLength: 18,
      descriptors: [],
      commandSpecificInformation: 0n,
    });
    expect(s.information).toBeUndefined();
    expect(s.senseKeySpecific).toBeUndefined();
    expect(s.fru).toBeUndefined();
    expect(senseSummary(s)).toBe('ILLEGAL REQUEST: Logical block address out of range (asc 21h ascq 00h)');
    expect(isProgressSense(s)).toBe(false);
  });

  it('reports INFORMATION only when VALID is set, and deferred errors', () => {
    const raw = bytes(
      0xf1,
      0,
      0x03,
      0x00,
      0x12,
      0x34,
      0x56,
      0x0a,
      0xca,
      0xfe,
      0,
      1,
      0x11,
      0x00,
      0x07,
      0,
      0,
      0,
    );
    const s = standard(decodeSense(raw));
    expect(s.responseCode).toBe(0x71);
    expect(s.deferred).toBe(true);
    expect(s.current).toBe(false);
    expect(s.valid).toBe(true);
    expect(s.information).toBe(0x123456n);
    expect(s.commandSpecificInformation).toBe(0xcafe0001n);
    expect(s.fru).toBe(7);
    expect(s.senseKeyName).toBe('MEDIUM ERROR');
    expect(senseSummary(s)).toBe('MEDIUM ERROR: Unrecovered read error (asc 11h ascq 00h) [deferred]');
    // Same bytes with VALID clear: the INFORMATION bytes are vendor specific and stay in `raw` only.
    const noValid = standard(decodeSense(raw.map((b, i) => (i === 0 ? 0x71 : b))));
    expect(noValid.valid).toBe(false);
    expect(noValid.information).toBeUndefined();
    expect(noValid.raw.slice(3, 7)).toEqual(bytes(0x00, 0x12, 0x34, 0x56));
  });

  it('decodes tape FILEMARK/EOM/ILI and SDAT_OVFL', () => {
    const s = standard(
      decodeSense(bytes(0x70, 0, 0xf0, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x00, 0x01, 0, 0, 0, 0)),
    );
    expect([s.filemark, s.eom, s.ili, s.sdatOvfl]).toEqual([true, true, true, true]);
    expect(s.description).toBe('Filemark detected');
  });

  it('decodes the field pointer of ILLEGAL REQUEST (SPC-6 Table 57)', () => {
    // INVALID FIELD IN CDB, C/D=1, BPV=1, bit 7 of byte 2.
    const s = standard(
      decodeSense(bytes(0x70, 0, 5, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x24, 0, 0, 0xcf, 0x00, 0x02)),
    );
    expect(s.senseKeySpecific).toEqual({
      kind: 'fieldPointer',
      commandData: true,
      bitPointerValid: true,
      bitPointer: 7,
      fieldPointer: 2,
    });
    // In the parameter list, no bit pointer.
    const p = standard(
      decodeSense(bytes(0x70, 0, 5, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x26, 0, 0, 0x80, 0x01, 0x04)),
    );
    expect(p.senseKeySpecific).toEqual({
      kind: 'fieldPointer',
      commandData: false,
      bitPointerValid: false,
      bitPointer: 0,
      fieldPointer: 0x104,
    });
  });

  it('decodes progress indication (NOT READY, 04h/04h format in progress)', () => {
    const s = standard(
      decodeSense(bytes(0x70, 0, 2, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x04, 0x04, 0, 0x80, 0x80, 0x00)),
    );
    expect(s.senseKeySpecific).toEqual({ kind: 'progressIndication', progress: 0x8000, percent: 50 });
    expect(isProgressSense(s)).toBe(true);
    expect(senseProgress(s)).toEqual({ progress: 0x8000, percent: 50 });
    expect(senseSummary(s)).toBe(
      'NOT READY: Logical unit not ready, format in progress (asc 04h ascq 04h), 50.00% done',
    );
  });

  it('decodes the other sense-key specific layouts (SPC-6 Tables 58, 60, 61)', () => {
    const sks = (key: number, b15: number, b16: number, b17: number) =>
      standard(decodeSense(bytes(0x70, 0, key, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0, 0, 0, b15, b16, b17)))
        .senseKeySpecific;
    expect(sks(0x1, 0x80, 0x00, 0x05)).toEqual({ kind: 'actualRetryCount', actualRetryCount: 5 });
    expect(sks(0x3, 0x80, 0x01, 0x00)).toEqual({ kind: 'actualRetryCount', actualRetryCount: 256 });
    expect(sks(0x4, 0x80, 0x00, 0x01)).toEqual({ kind: 'actualRetryCount', actualRetryCount: 1 });
    expect(sks(0xa, 0xab, 0x00, 0x10)).toEqual({
      kind: 'segmentPointer',
      segmentDescriptor: true,
      bitPointerValid: true,
      bitPointer: 3,
      fieldPointer: 0x10,
    });
    expect(sks(0x6, 0x81, 0, 0)).toEqual({ kind: 'unitAttentionQueueOverflow', overflow: true });
    expect(sks(0xb, 0x81, 0x02, 0x03)).toEqual({ kind: 'raw', bytes: bytes(0x81, 0x02, 0x03) });
    expect(sks(0x5, 0x4f, 0, 2)).toBeUndefined(); // SKSV clear
  });

  it('keeps additional sense bytes past byte 17', () => {
    const s = standard(
      decodeSense(bytes(0x70, 0, 0, 0, 0, 0, 0, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xde, 0xad)),
    );
    expect(s.additionalSenseBytes).toEqual(bytes(0xde, 0xad));
  });

  it('ignores zero padding after 8 + additional length', () => {
    const padded = new Uint8Array(96);
    padded.set([0x70, 0, 6, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x29, 0x00]);
    const s = standard(decodeSense(padded));
    expect(s.raw).toHaveLength(18);
    expect(s.truncated).toBe(false);
    expect(s.additionalSenseBytes).toBeUndefined();
    expect(senseSummary(s)).toBe(
      'UNIT ATTENTION: Power on, reset, or bus device reset occurred (asc 29h ascq 00h)',
    );
  });

  it('decodes what is there when the buffer is shorter than the additional length says', () => {
    const s = standard(decodeSense(bytes(0x70, 0, 5, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x21, 0x00)));
    expect(s.truncated).toBe(true);
    expect(s.requiredLength).toBe(18);
    expect(s.availableLength).toBe(14);
    expect(s.asc).toBe(0x21);
    expect(s.senseKeySpecific).toBeUndefined();
    const minimal = standard(decodeSense(bytes(0x70, 0, 2, 0, 0, 0, 0, 0x0a)));
    expect(minimal.truncated).toBe(true);
    expect(minimal.senseKeyName).toBe('NOT READY');
    expect(minimal.commandSpecificInformation).toBeUndefined();
  });
});

describe('decodeSense: descriptor format (SPC-6 4.4.2)', () => {
  it('lifts information and field pointer out of their descriptors', () => {
    const raw = descriptorSense(
      5,
      0x24,
      0x00,
      [0x00, 0x0a, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34],
      [0x02, 0x06, 0, 0, 0xc8, 0x00, 0x03, 0],
    );
    const s = standard(decodeSense(raw));
    expect(s.format).toBe('descriptor');
    expect(s.current).toBe(true);
    expect(s.valid).toBe(true);
    expect(s.information).toBe(0x1234n);
    expect(s.description).toBe('Invalid field in cdb');
    expect(s.senseKeySpecific).toEqual({
      kind: 'fieldPointer',
      commandData: true,
      bitPointerValid: true,
      bitPointer: 0,
      fieldPointer: 3,
    });
    expect(s.descriptors.map((d) => d.kind)).toEqual(['information', 'senseKeySpecific']);
    expect(senseSummary(s)).toBe('ILLEGAL REQUEST: Invalid field in cdb (asc 24h ascq 00h)');
  });

  it('decodes a deferred descriptor-format sense with SDAT_OVFL', () => {
    const raw = descriptorSense(3, 0x0c, 0x00);
    raw[0] = 0x73;
    raw[4] = 0x80;
    const s = standard(decodeSense(raw));
    expect(s.deferred).toBe(true);
    expect(s.sdatOvfl).toBe(true);
    expect(s.descriptors).toEqual([]);
    expect(s.description).toBe('Write error');
  });

  it('lifts progress from a sense key specific descriptor (sanitize in progress)', () => {
    const s = decodeSense(descriptorSense(2, 0x04, 0x1b, [0x02, 0x06, 0, 0, 0x80, 0x40, 0x00, 0]));
    expect(senseProgress(s)).toEqual({ progress: 0x4000, percent: 25 });
    expect(senseSummary(s)).toBe(
      'NOT READY: Logical unit not ready, sanitize in progress (asc 04h ascq 1Bh), 25.00% done',
    );
  });

  it('decodes another progress indication (0Ah)', () => {
    const s = decodeSense(descriptorSense(0, 0x00, 0x16, [0x0a, 0x06, 0x02, 0x04, 0x04, 0, 0xc0, 0x00]));
    expect(descriptor(s, 'anotherProgressIndication')).toEqual({
      kind: 'anotherProgressIndication',
      type: 0x0a,
      senseKey: 2,
      asc: 4,
      ascq: 4,
      progress: 0xc000,
      percent: 75,
    });
    expect(isProgressSense(s)).toBe(true);
  });

  it('decodes the ATA Status Return descriptor (SAT-5 Table 209)', () => {
    // IDENTIFY-like result: extend=1, count 0001h, LBA bytes interleaved (47:40 = BCh … 7:0 = 78h).
    const ata = [0x09, 0x0c, 0x01, 0x04, 0x00, 0x01, 0x12, 0x78, 0x9a, 0x56, 0xbc, 0x34, 0x40, 0x51];
    const s = decodeSense(descriptorSense(1, 0x00, 0x1d, ata));
    expect(standard(s).description).toBe('ATA pass through information available');
    expect(descriptor(s, 'ataStatusReturn')).toEqual({
      kind: 'ataStatusReturn',
      type: 9,
      extend: true,
      error: 0x04,
      count: 1,
      lba: 0xbc9a12345678,
      device: 0x40,
      status: 0x51,
    });
    const short = [0x09, 0x0c, 0x00, 0x00, 0xff, 0x02, 0xff, 0x78, 0xff, 0x56, 0xff, 0x34, 0xe0, 0x50];
    expect(descriptor(decodeSense(descriptorSense(1, 0, 0x1d, short)), 'ataStatusReturn')).toMatchObject({
      extend: false,
      count: 2,
      lba: 0x345678,
      device: 0xe0,
      status: 0x50,
    });
  });

  it('decodes CSI, FRU, stream and block commands descriptors', () => {
    const s = standard(
      decodeSense(
        descriptorSense(
          3,
          0x11,
          0x00,
          [0x01, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd],
          [0x03, 0x02, 0, 0x2a],
          [0x04, 0x02, 0, 0xc0],
          [0x05, 0x02, 0, 0x20],
        ),
      ),
    );
    expect(s.commandSpecificInformation).toBe(0xabcdn);
    expect(s.fru).toBe(0x2a);
    expect([s.filemark, s.eom, s.ili]).toEqual([true, true, true]);
    expect(descriptor(s, 'streamCommands')).toEqual({
      kind: 'streamCommands',
      type: 4,
      filemark: true,
      eom: true,
      ili: false,
    });
    expect(descriptor(s, 'blockCommands')).toEqual({ kind: 'blockCommands', type: 5, ili: true });
  });

  it('decodes the direct-access block device descriptor (SBC-4 Table 33)', () => {
    const d = [0x0d, 0x1e, 0xa0, 0, 0x80, 0x00, 0x03, 0x09];
    d.push(0, 0, 0, 0, 0, 0, 0x10, 0x00, 0, 0, 0, 0, 0, 0, 0, 0x07, 0, 0, 0, 0, 0, 0, 0, 0);
    expect(d).toHaveLength(2 + 0x1e);
    const s = standard(decodeSense(descriptorSense(1, 0x18, 0x00, d)));
    expect(s.valid).toBe(true);
    expect(s.information).toBe(0x1000n);
    expect(s.commandSpecificInformation).toBe(7n);
    expect(s.ili).toBe(true);
    expect(s.fru).toBe(9);
    expect(s.senseKeySpecific).toEqual({ kind: 'actualRetryCount', actualRetryCount: 3 });
  });

  it('decodes forwarded sense data (0Ch) recursively', () => {
    const inner = [0x70, 0, 3, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x11, 0x00, 0, 0, 0, 0];
    const s = decodeSense(descriptorSense(0xa, 0x0d, 0x01, [0x0c, 2 + inner.length, 0x81, 0x02, ...inner]));
    const f = descriptor(s, 'forwardedSenseData');
    expect(f).toMatchObject({
      kind: 'forwardedSenseData',
      fsdt: true,
      senseDataSource: 1,
      forwardedStatus: 2,
    });
    if (f.kind !== 'forwardedSenseData' || !f.sense) throw new Error('no nested sense');
    expect(senseSummary(f.sense)).toBe('MEDIUM ERROR: Unrecovered read error (asc 11h ascq 00h)');
    // Undecodable forwarded sense is kept as bytes only.
    const bad = decodeSense(descriptorSense(0xa, 0x0d, 0x01, [0x0c, 4, 0x00, 0x02, 0x00, 0x00]));
    const fb = descriptor(bad, 'forwardedSenseData');
    expect(fb).toMatchObject({ forwardedSenseData: bytes(0, 0) });
    expect('sense' in fb).toBe(false);
  });

  it('decodes microcode activation time (0Fh)', () => {
    const s = decodeSense(descriptorSense(6, 0x3f, 0x01, [0x0f, 0x06, 0, 0, 0, 0, 0x00, 0x3c]));
    expect(descriptor(s, 'microcodeActivation')).toEqual({
      kind: 'microcodeActivation',
      type: 0x0f,
      microcodeActivationTime: 60,
    });
  });

  it('decodes user data segment referrals (0Bh)', () => {
    const ref = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0f, 0xff, 0x01, 0, 0x00, 0x05];
    const s = decodeSense(descriptorSense(0xb, 0x3e, 0x04, [0x0b, 2 + ref.length, 0x01, 0, ...ref]));
    expect(descriptor(s, 'userDataSegmentReferral')).toMatchObject({
      notAllReferrals: true,
      referralsTruncated: false,
      referrals: [
        {
          firstUserDataSegmentLba: 0n,
          lastUserDataSegmentLba: 0xfffn,
          targetPortGroups: [{ asymmetricAccessState: 1, targetPortGroup: 5 }],
        },
      ],
    });
  });

  it('keeps OSD, device designation, reserved and vendor descriptors as raw bytes', () => {
    const s = decodeSense(
      descriptorSense(
        0xb,
        0,
        0,
        [0x06, 0x02, 0xaa, 0xbb],
        [0x07, 0x00],
        [0x08, 0x00],
        [0x0e, 0x02, 0, 1],
        [0x40, 0x01, 0x99],
        [0x80, 0x02, 0x01, 0x02],
      ),
    );
    const ds = standard(s).descriptors;
    expect(ds.map((d) => d.kind)).toEqual([
      'osdObjectIdentification',
      'osdResponseIntegrityCheckValue',
      'osdAttributeIdentification',
      'deviceDesignation',
      'other',
      'other',
    ]);
    expect(ds[0]).toEqual({ kind: 'osdObjectIdentification', type: 6, raw: bytes(0x06, 0x02, 0xaa, 0xbb) });
    expect(ds[4]).toEqual({
      kind: 'other',
      type: 0x40,
      vendorSpecific: false,
      malformed: false,
      raw: bytes(0x40, 1, 0x99),
    });
    expect(ds[5]).toMatchObject({ type: 0x80, vendorSpecific: true, malformed: false });
  });

  it('marks descriptors too short for their type as malformed', () => {
    const s = decodeSense(
      descriptorSense(5, 0x24, 0, [0x00, 0x02, 0x80, 0], [0x02, 0x06, 0, 0, 0xc0, 0, 1, 0]),
    );
    const ds = standard(s).descriptors;
    expect(ds[0]).toEqual({
      kind: 'other',
      type: 0,
      vendorSpecific: false,
      malformed: true,
      raw: bytes(0, 2, 0x80, 0),
    });
    expect(standard(s).valid).toBe(false);
    expect(standard(s).senseKeySpecific).toMatchObject({ kind: 'fieldPointer', fieldPointer: 1 });
  });

  it('decodes what is there when a descriptor is cut off by a short buffer', () => {
    const full = descriptorSense(
      5,
      0x21,
      0,
      [0x02, 0x06, 0, 0, 0xc0, 0, 2, 0],
      [0x00, 0x0a, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 1],
    );
    const s = standard(decodeSense(full.slice(0, 20)));
    expect(s.truncated).toBe(true);
    expect(s.requiredLength).toBe(28);
    expect(s.availableLength).toBe(20);
    expect(s.senseKeySpecific).toMatchObject({ fieldPointer: 2 });
    expect(s.descriptors[1]).toMatchObject({ kind: 'other', type: 0, malformed: true });
    expect(s.information).toBeUndefined();
    // A lone type byte at the end.
    const lone = standard(decodeSense(bytes(0x72, 5, 0x21, 0, 0, 0, 0, 1, 0x00)));
    expect(lone.descriptors).toEqual([
      { kind: 'other', type: 0, vendorSpecific: false, malformed: true, raw: bytes(0) },
    ]);
  });
});

describe('decodeSense: errors and vendor format', () => {
  it('rejects empty and all-zero buffers on responseCode', () => {
    expectDecodeError(() => decodeSense(new Uint8Array(0)), 'responseCode');
    expectDecodeError(() => decodeSense(new Uint8Array(18)), 'responseCode');
    expectDecodeError(() => decodeSense(new Uint8Array(32).buffer), 'responseCode');
  });

  it('rejects response codes that are not sense data', () => {
    expectDecodeError(() => decodeSense(bytes(0x45, 0, 5, 0, 0, 0, 0, 0)), 'responseCode');
    expectDecodeError(() => decodeSense(bytes(0x74, 0, 5, 0, 0, 0, 0, 0)), 'responseCode');
  });

  it('rejects sense shorter than 8 bytes', () => {
    expectDecodeError(() => decodeSense(bytes(0x70, 0, 5)), 'additionalSenseLength');
    expectDecodeError(() => decodeSense(bytes(0x72, 5, 0x24, 0, 0, 0, 0)), 'additionalSenseLength');
  });

  it('returns vendor specific (7Fh) sense as raw bytes', () => {
    const s = decodeSense(bytes(0xff, 1, 2, 3));
    expect(s).toEqual({ format: 'vendor', responseCode: 0x7f, raw: bytes(0xff, 1, 2, 3) });
    expect(senseSummary(s)).toBe('Vendor specific sense data (4 bytes)');
    expect(isProgressSense(s)).toBe(false);
  });

  it('does not alias the caller buffer', () => {
    const buf = bytes(0x70, 0, 5, 0, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0x21, 0, 0, 0, 0, 0);
    const s = standard(decodeSense(buf));
    buf[12] = 0;
    expect(s.raw[12]).toBe(0x21);
  });
});

describe('decodeSense: property tests', () => {
  const onlyDecodeErrors = (b: Uint8Array) => {
    try {
      const s = decodeSense(b);
      expect(senseSummary(s).length).toBeGreaterThan(0);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
    }
  };

  it('random bytes either decode or throw DecodeError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), onlyDecodeErrors), { numRuns: 2000 });
  });

  it('random bodies behind valid response codes either decode or throw DecodeError', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x70, 0x71, 0x72, 0x73, 0xf0, 0xf1),
        fc.uint8Array({ maxLength: 260 }),
        (rc, body) => onlyDecodeErrors(new Uint8Array([rc, ...body])),
      ),
      { numRuns: 2000 },
    );
  });

  it('well-formed descriptor lists always decode, one descriptor per entry', () => {
    const desc = fc
      .tuple(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 40 }))
      .map(([type, body]) => [type, body.length, ...body]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 15 }), fc.array(desc, { maxLength: 6 }), (key, descs) => {
        const body = descs.flat();
        fc.pre(body.length <= 244);
        const s = standard(decodeSense(bytes(0x72, key, 0, 0, 0, 0, 0, body.length, ...body)));
        expect(s.descriptors).toHaveLength(descs.length);
        expect(s.truncated).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

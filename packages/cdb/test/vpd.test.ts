import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../src/errors.js';
import {
  decodeDesignationDescriptor,
  decodeDesignationDescriptors,
  designatorTypeName,
} from '../src/pages/designators.js';
import {
  decodeAtaInformation,
  decodeBlockDeviceCharacteristics,
  decodeBlockLimits,
  decodeBlockLimitsExtension,
  decodeDeviceIdentification,
  decodeExtendedInquiry,
  decodeGenericVpdPage,
  decodeLogicalBlockProvisioning,
  decodeModePagePolicy,
  decodePowerCondition,
  decodeReferrals,
  decodeScsiPorts,
  decodeSupportedVpdPages,
  decodeThirdPartyCopy,
  decodeUnitSerialNumber,
  decodeVpdPage,
  decodeZonedBlockDeviceCharacteristics,
  looksLikeStandardInquiry,
  type VpdPage,
  vpdPageName,
} from '../src/pages/vpd.js';
import { protocolIdentifierName } from '../src/protocol-identifiers.js';

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const be16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];
const be32 = (v: number): number[] => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const be64 = (v: bigint): number[] => [...be32(Number(v >> 32n)), ...be32(Number(v & 0xffffffffn))];

/** A VPD page: 4-byte header (SPC-6 Table 585) with PAGE LENGTH set from the payload. */
function page(pageCode: number, payload: number[], pdt = 0): Uint8Array {
  return new Uint8Array([pdt, pageCode, ...be16(payload.length), ...payload]);
}

/** Designation descriptor (SPC-6 Table 590). */
function desig(b0: number, b1: number, designator: number[]): number[] {
  return [b0, b1, 0, designator.length, ...designator];
}

/**
 * scsi_debug's Device Identification page (scsi_debug.c inquiry_vpd_83, host 0, target 0, LUN 0,
 * uuid_ctl=0): T10 vendor ID "Linux   scsi_debug      2000", NAA-3 LU 0x3333333000000000 + 2000,
 * relative target port 1, NAA-3 target port, target port group, NAA-3 target device, SCSI name string.
 */
const SCSI_DEBUG_83 = page(0x83, [
  ...desig(0x02, 0x01, ascii('Linux   scsi_debug      2000')),
  ...desig(0x01, 0x03, be64(0x3333333000000000n + 2000n)),
  ...desig(0x61, 0x94, [0, 0, 0, 1]),
  ...desig(0x61, 0x93, be64(0x3222222000000000n + 2001n)),
  ...desig(0x61, 0x95, [0, 0, 0x01, 0x00]),
  ...desig(0x61, 0xa3, be64(0x3222222000000000n + 2000n)),
  ...desig(0x63, 0xa8, [...ascii('naa.32222220'), ...ascii('000007D0'), 0, 0, 0, 0]),
]);

/** The standard INQUIRY data scsi_debug returns (what a device that ignores EVPD sends back). */
function standardInquiry(byte1 = 0): Uint8Array {
  const b = new Uint8Array(96);
  b.set([0x00, byte1, 0x07, 0x02, 91, 0x10, 0x10, 0x0a]);
  b.set(ascii('Linux   scsi_debug      0191'), 8);
  return b;
}

/**
 * scsi_debug's Block Limits page (inquiry_vpd_b0, defaults: 8 MiB store = 16384 sectors, opt_blks
 * 1024, unmap granularity 1, write_same_length 0xffff), page length 3Ch.
 */
const SCSI_DEBUG_B0 = page(0xb0, [
  0x00,
  0x00,
  ...be16(1),
  ...be32(16384),
  ...be32(1024),
  ...be32(0),
  ...be32(0),
  ...be32(0),
  ...be32(1),
  ...be32(0),
  ...be64(0xffffn),
  ...new Array(20).fill(0),
]);

const NAA5 = [0x50, 0x00, 0xc5, 0x00, 0xa1, 0xb2, 0xc3, 0xd4];

/** One full fixture per decoded page, used by the per-page tests and the truncation sweep. */
const FIXTURES: Readonly<Record<string, Uint8Array>> = {
  supported: page(0x00, [0x00, 0x80, 0x83, 0x86, 0x87, 0x88, 0x89, 0x8a, 0xb0, 0xb1, 0xb2]),
  serial: page(0x80, ascii('    WD-WCC4E1234567  ')),
  deviceId: SCSI_DEBUG_83,
  extended: page(0x86, [
    0x6f,
    0x3f,
    0x0f,
    0x31,
    0xfb,
    0x05,
    ...be16(30),
    0xf0,
    252,
    0xc7,
    ...be16(0x0102),
    ...be16(0x0304),
    0xfe,
    ...new Array(0x3c - 16).fill(0),
  ]),
  modePolicy: page(0x87, [0x3f, 0xff, 0x00, 0x00, 0x08, 0x00, 0x83, 0x00, 0x1c, 0x01, 0x01, 0x00]),
  scsiPorts: page(0x88, [
    0,
    0,
    ...be16(1),
    0,
    0,
    ...be16(0),
    0,
    0,
    ...be16(12),
    ...desig(0x61, 0x93, NAA5),
    0,
    0,
    ...be16(2),
    0,
    0,
    ...be16(24),
    0x06,
    0,
    0,
    0,
    ...be64(0x500605b0000272b0n),
    ...new Array(12).fill(0),
    0,
    0,
    ...be16(12),
    ...desig(0x61, 0x93, [0x50, 0x00, 0xc5, 0x00, 0xa1, 0xb2, 0xc3, 0xd5]),
  ]),
  ata: page(0x89, [
    0,
    0,
    0,
    0,
    ...ascii('linux   '),
    ...ascii('libata          '),
    ...ascii('3.00'),
    0x34,
    0x00,
    0x01,
    0x00,
    0x01,
    0x00,
    0x00,
    0x00,
    0x00,
    ...new Array(11).fill(0),
    0xec,
    0,
    0,
    0,
    ...Array.from({ length: 512 }, (_, i) => i & 0xff),
  ]),
  power: page(0x8a, [
    0x03,
    0x07,
    ...be16(100),
    ...be16(200),
    ...be16(300),
    ...be16(10),
    ...be16(20),
    ...be16(30),
  ]),
  tpc: page(0x8f, [
    ...be16(0x0000),
    ...be16(0x0020),
    0,
    0,
    0,
    0,
    0,
    0,
    ...be16(8),
    ...be32(0xffffffff),
    ...be32(60),
    ...be64(0x800000n),
    ...be64(0x800n),
    ...be16(0x8001),
    ...be16(0x0020),
    ...be32(1),
    ...be32(1),
    ...be32(0x100000),
    9,
    9,
    ...new Array(18).fill(0),
    ...be16(0x0001),
    ...be16(4),
    3,
    0x83,
    1,
    0x10,
  ]),
  blockLimits: SCSI_DEBUG_B0,
  bdc: page(0xb1, [...be16(1), 0x00, 0x63, 0x5f, 0, 0, 0, ...be32(3600), ...new Array(0x3c - 12).fill(0)]),
  lbp: page(0xb2, [0x0a, 0xea, 0x22, 0x05, ...desig(0x01, 0x03, NAA5)]),
  referrals: page(0xb3, [0, 0, 0, 0, ...be32(0x1000), ...be32(4), ...new Array(0x0c - 12).fill(0)]),
  zoned: page(
    0xb6,
    [
      0x11,
      0,
      0,
      0,
      ...be32(0xffffffff),
      ...be32(128),
      ...be32(0xffffffff),
      0,
      0,
      0,
      0x01,
      ...be64(0x80000n),
    ].concat(new Array(0x3c - 28).fill(0)),
    0x14,
  ),
  ble: page(0xb7, [
    0,
    0,
    ...be16(16),
    ...be16(8),
    ...be32(4),
    0,
    0,
    ...be32(0x10000),
    0,
    0,
    ...be16(256),
    ...be32(0x20000),
    ...new Array(0x3c - 24).fill(0),
  ]),
};

describe('common VPD header (SPC-6 Table 585)', () => {
  it('needs 4 bytes', () => {
    for (let n = 0; n < 4; n++) {
      expect(() => decodeVpdPage(FIXTURES.supported!.slice(0, n))).toThrowError(DecodeError);
    }
    expect(() => decodeVpdPage(new Uint8Array(3))).toThrowError(/pageLength/);
  });

  it('rejects a page code other than the one asked for', () => {
    try {
      decodeVpdPage(FIXTURES.serial!, 0x83);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(DecodeError);
      expect((e as DecodeError).field).toBe('pageCode');
      expect((e as DecodeError).message).toMatch(/expected VPD page 0x83.*page 0x80/);
    }
    expect(() => decodeBlockLimits(FIXTURES.serial!)).toThrowError(/pageCode/);
  });

  it('detects standard INQUIRY data returned for a VPD request', () => {
    expect(looksLikeStandardInquiry(standardInquiry())).toBe(true);
    for (const code of [0x83, 0xb0, undefined]) {
      try {
        decodeVpdPage(standardInquiry(), code);
        expect.unreachable();
      } catch (e) {
        expect((e as DecodeError).field).toBe('pageCode');
        expect((e as DecodeError).message).toMatch(/standard INQUIRY/);
      }
    }
    // RMB=1 makes byte 1 equal 80h: the page code matches, the data is still standard INQUIRY.
    expect(() => decodeUnitSerialNumber(standardInquiry(0x80))).toThrowError(/standard INQUIRY/);
    // HOT PLUGGABLE=3 plus LU_CONG and RMB: byte 1 is F0h.
    expect(() => decodeVpdPage(standardInquiry(0xf0), 0xf0)).toThrowError(/standard INQUIRY/);
    // A 36-byte standard answer too.
    expect(() => decodeSupportedVpdPages(standardInquiry().slice(0, 36))).toThrowError(/standard INQUIRY/);
  });

  it('does not mistake real pages for standard INQUIRY data', () => {
    for (const [name, bytes] of Object.entries(FIXTURES)) {
      expect(looksLikeStandardInquiry(bytes), name).toBe(false);
    }
  });

  it('names pages', () => {
    expect(vpdPageName(0x83)).toBe('Device Identification');
    expect(vpdPageName(0xb0)).toBe('Block Limits');
    expect(vpdPageName(0x05)).toBe('ASCII Information');
    expect(vpdPageName(0xc7)).toBe('vendor specific');
    expect(vpdPageName(0xa0)).toBe('reserved');
  });

  it('decodes only the page when the caller passes the whole allocation buffer', () => {
    const buf = new Uint8Array(512);
    buf.set(FIXTURES.serial!);
    buf.fill(0x41, FIXTURES.serial!.length);
    const sn = decodeUnitSerialNumber(buf);
    expect(sn.productSerialNumber).toBe('WD-WCC4E1234567');
    expect(sn.truncated).toBe(false);
    expect(sn.availableLength).toBe(512);
  });
});

describe('Supported VPD Pages (00h) and Unit Serial Number (80h)', () => {
  it('lists page codes', () => {
    const p = decodeSupportedVpdPages(FIXTURES.supported!);
    expect(p.kind).toBe('supportedVpdPages');
    expect(p.supportedPages).toEqual([0x00, 0x80, 0x83, 0x86, 0x87, 0x88, 0x89, 0x8a, 0xb0, 0xb1, 0xb2]);
    expect(p.pageLength).toBe(11);
    expect(decodeVpdPage(FIXTURES.supported!, 0)).toEqual(p);
  });

  it('trims the serial number on both sides', () => {
    const p = decodeUnitSerialNumber(FIXTURES.serial!);
    expect(p.productSerialNumber).toBe('WD-WCC4E1234567');
    expect(p.raw).toEqual(new Uint8Array(ascii('    WD-WCC4E1234567  ')));
  });
});

describe('Device Identification (83h, SPC-6 7.7.6)', () => {
  it("decodes scsi_debug's designators", () => {
    const p = decodeDeviceIdentification(SCSI_DEBUG_83);
    expect(p.truncated).toBe(false);
    const d = p.designators;
    expect(d).toHaveLength(7);
    expect(d[0]).toMatchObject({
      codeSet: 2,
      codeSetName: 'ASCII',
      piv: false,
      association: 0,
      associationName: 'logical unit',
      designatorType: 1,
      designatorTypeName: 'T10 vendor ID based',
      designatorLength: 28,
      decoded: {
        kind: 't10VendorId',
        t10VendorIdentification: 'Linux',
        vendorSpecificIdentifier: 'scsi_debug      2000',
      },
      canonical: 't10.Linux   scsi_debug      2000',
    });
    expect(d[0]).not.toHaveProperty('protocolIdentifier');
    expect(d[1]).toMatchObject({
      codeSetName: 'binary',
      association: 0,
      designatorType: 3,
      decoded: { kind: 'naa', naa: 3, locallyAdministeredValue: 0x3333330000007d0n },
      canonical: 'naa.33333330000007d0',
      hex: '0x33333330000007d0',
    });
    expect(d[2]).toMatchObject({
      protocolIdentifier: 6,
      protocolIdentifierName: 'Serial Attached SCSI (SAS)',
      piv: true,
      association: 1,
      associationName: 'target port',
      designatorTypeName: 'relative target port',
      decoded: { kind: 'relativeTargetPort', relativeTargetPortIdentifier: 1 },
      canonical: '0x0001',
    });
    expect(d[3]).toMatchObject({ association: 1, canonical: 'naa.32222220000007d1' });
    expect(d[4]).toMatchObject({ decoded: { kind: 'targetPortGroup', targetPortGroup: 0x100 } });
    expect(d[5]).toMatchObject({
      association: 2,
      associationName: 'target device',
      canonical: 'naa.32222220000007d0',
    });
    expect(d[6]).toMatchObject({
      codeSetName: 'UTF-8',
      designatorTypeName: 'SCSI name string',
      decoded: { kind: 'scsiNameString', scsiNameString: 'naa.32222220000007D0' },
      canonical: 'naa.32222220000007D0',
    });
  });

  it('keeps complete designators of a truncated page', () => {
    const p = decodeDeviceIdentification(SCSI_DEBUG_83.slice(0, 4 + 32 + 6));
    expect(p.truncated).toBe(true);
    expect(p.requiredLength).toBe(SCSI_DEBUG_83.length);
    expect(p.designators).toHaveLength(1);
  });

  it('rejects a designator running past a complete page', () => {
    const bad = page(0x83, [...desig(0x01, 0x03, NAA5).slice(0, 10)]);
    expect(() => decodeDeviceIdentification(bad)).toThrowError(/designators\[0\]\.designatorLength/);
  });
});

describe('designators (SPC-6 7.7.6.2-7.7.6.12)', () => {
  const one = (b0: number, b1: number, d: number[]) =>
    decodeDesignationDescriptor(new Uint8Array(desig(b0, b1, d)));

  it('decodes NAA 5 (IEEE registered)', () => {
    const d = one(0x01, 0x03, NAA5);
    expect(d.decoded).toEqual({
      kind: 'naa',
      naa: 5,
      ieeeCompanyId: 0x000c50,
      vendorSpecificIdentifier: 0x0a1b2c3d4n,
    });
    expect(d.canonical).toBe('naa.5000c500a1b2c3d4');
    expect(d.hex).toBe('0x5000c500a1b2c3d4');
  });

  it('decodes NAA 6 (IEEE registered extended)', () => {
    const d = one(
      0x01,
      0x03,
      [0x60, 0x0a, 0x0b, 0x80, 0x00, 0x12, 0x34, 0x56, 0, 0, 0xab, 0xcd, 0x12, 0x34, 0x56, 0x78],
    );
    expect(d.decoded).toEqual({
      kind: 'naa',
      naa: 6,
      ieeeCompanyId: 0x00a0b8,
      vendorSpecificIdentifier: 0x000123456n,
      vendorSpecificIdentifierExtension: 0x0000abcd12345678n,
    });
    expect(d.canonical).toBe('naa.600a0b80001234560000abcd12345678');
  });

  it('decodes NAA 2 (IEEE extended) and NAA 3 (locally assigned)', () => {
    expect(one(0x01, 0x03, [0x20, 0x00, 0x00, 0x1b, 0x32, 0x8a, 0xb3, 0xc4]).decoded).toEqual({
      kind: 'naa',
      naa: 2,
      vendorSpecificIdentifierA: 0,
      ieeeCompanyId: 0x001b32,
      vendorSpecificIdentifierB: 0x8ab3c4,
    });
    expect(one(0x01, 0x03, be64(0x3000000000000042n)).decoded).toEqual({
      kind: 'naa',
      naa: 3,
      locallyAdministeredValue: 0x42n,
    });
  });

  it('flags an NAA designator whose length does not fit its NAA', () => {
    const d = one(
      0x01,
      0x03,
      NAA5.map((b, i) => (i === 0 ? 0x60 : b)),
    );
    expect(d.decoded.kind).toBe('unrecognized');
    expect(d.canonical).toBe('naa.6000c500a1b2c3d4'.replace('naa.', '0x'));
    expect(one(0x01, 0x03, [0x10, 1, 2, 3, 4, 5, 6, 7]).decoded).toEqual({ kind: 'naa', naa: 1 });
  });

  it('decodes the three EUI-64 formats', () => {
    const eui = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77];
    expect(one(0x01, 0x02, eui)).toMatchObject({
      decoded: {
        kind: 'eui64',
        format: 'EUI-64',
        ieeeCompanyId: 0x001122,
        vendorSpecificExtensionIdentifier: 0x3344556677n,
      },
      canonical: 'eui.0011223344556677',
    });
    expect(one(0x01, 0x02, [...eui, 0xde, 0xad, 0xbe, 0xef]).decoded).toEqual({
      kind: 'eui64',
      format: 'EUI-64 + directory ID',
      ieeeCompanyId: 0x001122,
      vendorSpecificExtensionIdentifier: 0x3344556677n,
      directoryId: 0xdeadbeef,
    });
    expect(one(0x01, 0x02, [1, 2, 3, 4, 5, 6, 7, 8, ...eui]).decoded).toEqual({
      kind: 'eui64',
      format: 'identifier extension + EUI-64',
      identifierExtension: 0x0102030405060708n,
      ieeeCompanyId: 0x001122,
      vendorSpecificExtensionIdentifier: 0x3344556677n,
    });
    expect(one(0x01, 0x02, [1, 2, 3]).decoded.kind).toBe('unrecognized');
  });

  it('decodes UUID, MD5, logical unit group, vendor specific and protocol specific port designators', () => {
    const uuid = one(0x01, 0x0a, [0x10, 0x00, ...Array.from({ length: 16 }, (_, i) => i * 17)]);
    expect(uuid.decoded).toEqual({ kind: 'uuid', uuidType: 1, uuid: '00112233-4455-6677-8899-aabbccddeeff' });
    expect(uuid.canonical).toBe('uuid.00112233-4455-6677-8899-aabbccddeeff');
    expect(one(0x01, 0x07, new Array(16).fill(0xab)).decoded).toEqual({
      kind: 'md5',
      md5LogicalUnitIdentifier: 'ab'.repeat(16),
    });
    expect(one(0x01, 0x06, [0, 0, 0x12, 0x34]).decoded).toEqual({
      kind: 'logicalUnitGroup',
      logicalUnitGroup: 0x1234,
    });
    expect(one(0x02, 0x00, ascii('SERIAL42  '))).toMatchObject({
      decoded: { kind: 'vendorSpecific', text: 'SERIAL42' },
      canonical: 'SERIAL42',
    });
    expect(one(0x01, 0x00, [1, 2])).toMatchObject({
      decoded: { kind: 'vendorSpecific' },
      canonical: '0x0102',
    });
    const usb = one(0x91, 0x99, [0x85, 0, 0x02, 0]);
    expect(usb.protocolIdentifier).toBe(9);
    expect(usb.decoded).toEqual({
      kind: 'protocolSpecificPort',
      usb: { deviceAddress: 5, interfaceNumber: 2 },
    });
    expect(one(0xa1, 0x99, [0x01, 0x08, 0, 0]).decoded).toEqual({
      kind: 'protocolSpecificPort',
      pcie: { routingId: 0x0108 },
    });
    expect(one(0x01, 0x0b, [1]).decoded).toEqual({
      kind: 'unrecognized',
      reason: 'reserved designator type 0xb',
    });
    expect(designatorTypeName(0xf)).toBe('reserved');
    expect(protocolIdentifierName(0xc)).toBe('reserved');
  });

  it('ignores PROTOCOL IDENTIFIER unless PIV is set for a port or device association', () => {
    expect(one(0x61, 0x13, NAA5)).not.toHaveProperty('protocolIdentifier');
    expect(one(0x61, 0x83, NAA5)).not.toHaveProperty('protocolIdentifier');
  });

  it('walks a descriptor list and reports truncation only when told', () => {
    const list = new Uint8Array([...desig(0x01, 0x03, NAA5), ...desig(0x01, 0x03, NAA5).slice(0, 6)]);
    expect(decodeDesignationDescriptors(list, true)).toMatchObject({ truncated: true });
    expect(decodeDesignationDescriptors(list, true).descriptors).toHaveLength(1);
    expect(() => decodeDesignationDescriptors(list)).toThrowError(DecodeError);
    expect(() => decodeDesignationDescriptor(new Uint8Array([1, 3, 0]))).toThrowError(DecodeError);
  });
});

describe('Extended INQUIRY Data (86h, SPC-6 Table 602)', () => {
  it('decodes every field', () => {
    const p = decodeExtendedInquiry(FIXTURES.extended!);
    expect(p).toMatchObject({
      kind: 'extendedInquiry',
      pageLength: 0x3c,
      activateMicrocode: 1,
      spt: 5,
      grdChk: true,
      appChk: true,
      refChk: true,
      uaskSup: true,
      groupSup: true,
      priorSup: true,
      headSup: true,
      ordSup: true,
      simpSup: true,
      wuSup: true,
      crdSup: true,
      nvSup: true,
      vSup: true,
      noPiChk: true,
      pIISup: true,
      luiclr: true,
      luCollType: 7,
      rSup: true,
      rtdSup: true,
      hssrelef: true,
      cbcs: true,
      multiITNexusMicrocodeDownload: 5,
      extendedSelfTestCompletionMinutes: 30,
      poaSup: true,
      hraSup: true,
      vsaSup: true,
      dmsValid: true,
      maximumSupportedSenseDataLength: 252,
      ibs: true,
      ias: true,
      sac: true,
      nrd1: true,
      nrd0: true,
      maximumInquiryChangeLogs: 0x0102,
      maximumModePageChangeLogs: 0x0304,
      dmMd4: true,
      dmMd5: true,
      dmMd6: true,
      dmMd7: true,
      dmMdD: true,
      dmMdE: true,
      dmMdF: true,
    });
  });
});

describe('Mode Page Policy (87h) and SCSI Ports (88h)', () => {
  it('decodes mode page policy descriptors', () => {
    expect(decodeModePagePolicy(FIXTURES.modePolicy!).descriptors).toEqual([
      { policyPageCode: 0x3f, policySubpageCode: 0xff, mlus: false, modePagePolicy: 0 },
      { policyPageCode: 0x08, policySubpageCode: 0, mlus: true, modePagePolicy: 3 },
      { policyPageCode: 0x1c, policySubpageCode: 1, mlus: false, modePagePolicy: 1 },
    ]);
    expect(() => decodeModePagePolicy(page(0x87, [0x3f, 0xff]))).toThrowError(/descriptors\[0\]/);
  });

  it('decodes SCSI port descriptors with TransportIDs and target port designators', () => {
    const p = decodeScsiPorts(FIXTURES.scsiPorts!);
    expect(p.ports).toHaveLength(2);
    expect(p.ports[0]?.relativePortIdentifier).toBe(1);
    expect(p.ports[0]).not.toHaveProperty('initiatorPortTransportId');
    expect(p.ports[0]?.targetPortDescriptors[0]?.canonical).toBe('naa.5000c500a1b2c3d4');
    expect(p.ports[1]?.relativePortIdentifier).toBe(2);
    expect(p.ports[1]?.initiatorPortTransportId).toHaveLength(24);
    expect(p.ports[1]?.initiatorPortTransportId?.[0]).toBe(0x06);
    expect(p.ports[1]?.targetPortDescriptors[0]?.canonical).toBe('naa.5000c500a1b2c3d5');
  });
});

describe('ATA Information (89h, SAT-5 Table 150)', () => {
  it('decodes the SAT identification and keeps IDENTIFY data raw', () => {
    const p = decodeAtaInformation(FIXTURES.ata!);
    expect(p).toMatchObject({
      pageLength: 0x238,
      satVendorIdentification: 'linux',
      satProductIdentification: 'libata',
      satProductRevisionLevel: '3.00',
      commandCode: 0xec,
    });
    expect(p.ataDeviceSignature?.[0]).toBe(0x34);
    expect(p.ataDeviceSignature).toHaveLength(20);
    expect(p.identifyData).toHaveLength(512);
    expect(p.identifyData?.[511]).toBe(0xff);
  });
});

describe('Power Condition (8Ah) and Third-party Copy (8Fh)', () => {
  it('decodes power condition recovery times', () => {
    expect(decodePowerCondition(FIXTURES.power!)).toMatchObject({
      standbyY: true,
      standbyZ: true,
      idleC: true,
      idleB: true,
      idleA: true,
      stoppedConditionRecoveryTime: 100,
      standbyZConditionRecoveryTime: 200,
      standbyYConditionRecoveryTime: 300,
      idleAConditionRecoveryTime: 10,
      idleBConditionRecoveryTime: 20,
      idleCConditionRecoveryTime: 30,
    });
  });

  it('decodes ROD limits and general copy operations, keeps other descriptors raw', () => {
    const d = decodeThirdPartyCopy(FIXTURES.tpc!).descriptors;
    expect(d).toHaveLength(3);
    expect(d[0]).toMatchObject({
      descriptorType: 0,
      descriptorTypeName: 'Block Device ROD Limits',
      descriptorLength: 0x20,
      decoded: {
        kind: 'blockDeviceRodLimits',
        maximumRangeDescriptors: 8,
        maximumInactivityTimeout: 0xffffffff,
        defaultInactivityTimeout: 60,
        maximumTokenTransferSize: 0x800000n,
        optimalTransferCount: 0x800n,
      },
    });
    expect(d[1]?.decoded).toEqual({
      kind: 'generalCopyOperations',
      totalConcurrentCopies: 1,
      maximumIdentifiedConcurrentCopies: 1,
      maximumSegmentLength: 0x100000,
      dataSegmentGranularity: 9,
      inlineDataGranularity: 9,
    });
    expect(d[2]).toEqual({
      descriptorType: 1,
      descriptorTypeName: 'Supported Commands',
      descriptorLength: 4,
      raw: new Uint8Array([3, 0x83, 1, 0x10]),
    });
  });
});

describe('Block Limits (B0h, SBC-5 Table 265)', () => {
  it("decodes scsi_debug's page", () => {
    expect(decodeBlockLimits(SCSI_DEBUG_B0)).toMatchObject({
      kind: 'blockLimits',
      pageLength: 0x3c,
      wsnz: false,
      maximumCompareAndWriteLength: 0,
      optimalTransferLengthGranularity: 1,
      maximumTransferLength: 16384,
      optimalTransferLength: 1024,
      maximumPrefetchLength: 0,
      maximumUnmapLbaCount: 0,
      maximumUnmapBlockDescriptorCount: 0,
      optimalUnmapGranularity: 1,
      ugavalid: false,
      unmapGranularityAlignment: 0,
      maximumWriteSameLength: 0xffffn,
      maximumAtomicTransferLength: 0,
      atomicAlignment: 0,
      atomicTransferLengthGranularity: 0,
      maximumAtomicTransferLengthWithAtomicBoundary: 0,
      maximumAtomicBoundarySize: 0,
      truncated: false,
    });
  });

  it('decodes UGAVALID and the 31-bit alignment, and the atomic fields', () => {
    const b = SCSI_DEBUG_B0.slice();
    b.set([0x80, 0, 0, 0x08], 32);
    b.set([...be32(64), ...be32(8), ...be32(4), ...be32(128), ...be32(16)], 44);
    b[4] = 1;
    b[5] = 0xff;
    expect(decodeBlockLimits(b)).toMatchObject({
      wsnz: true,
      maximumCompareAndWriteLength: 255,
      ugavalid: true,
      unmapGranularityAlignment: 8,
      maximumAtomicTransferLength: 64,
      atomicAlignment: 8,
      atomicTransferLengthGranularity: 4,
      maximumAtomicTransferLengthWithAtomicBoundary: 128,
      maximumAtomicBoundarySize: 16,
    });
  });

  it('handles the short 0Ch-length page of older devices', () => {
    const short = page(0xb0, [0, 0, ...be16(8), ...be32(0xffff), ...be32(128)]);
    const p = decodeBlockLimits(short);
    expect(p.truncated).toBe(false);
    expect(p.maximumTransferLength).toBe(0xffff);
    expect(p.optimalTransferLength).toBe(128);
    expect(p).not.toHaveProperty('maximumUnmapLbaCount');
    expect(p).not.toHaveProperty('maximumWriteSameLength');
  });

  it('decodes B0h as a generic page for a tape device', () => {
    const tape = page(0xb0, [0x01, 0, 0, 0], 0x01);
    expect(decodeVpdPage(tape)).toMatchObject({ kind: 'generic', pageCode: 0xb0, peripheralDeviceType: 1 });
  });
});

describe('Block Device Characteristics (B1h), Logical Block Provisioning (B2h), Referrals (B3h)', () => {
  it('decodes block device characteristics', () => {
    expect(decodeBlockDeviceCharacteristics(FIXTURES.bdc!)).toMatchObject({
      mediumRotationRate: 1,
      productType: 0,
      wabereq: 1,
      wacereq: 2,
      nominalFormFactor: 3,
      mact: true,
      zoned: 1,
      bocs: true,
      rbwz: true,
      fuab: true,
      vbuls: true,
      depopulationTime: 3600,
    });
  });

  it('decodes logical block provisioning with a provisioning group descriptor', () => {
    const p = decodeLogicalBlockProvisioning(FIXTURES.lbp!);
    expect(p).toMatchObject({
      thresholdExponent: 10,
      lbpu: true,
      lbpws: true,
      lbpws10: true,
      lbprz: 2,
      ancSup: true,
      dp: false,
      minimumPercentage: 4,
      provisioningType: 2,
      thresholdPercentage: 5,
    });
    expect(p).not.toHaveProperty('provisioningGroupDescriptor');
    const withDp = FIXTURES.lbp!.slice();
    withDp[5] = 0xeb;
    expect(decodeLogicalBlockProvisioning(withDp).provisioningGroupDescriptor?.canonical).toBe(
      'naa.5000c500a1b2c3d4',
    );
    expect(() => decodeLogicalBlockProvisioning(page(0xb2, [0, 1, 0, 0, 1, 3, 0, 8, 0x50]))).toThrowError(
      /provisioningGroupDescriptor/,
    );
  });

  it('decodes referrals', () => {
    expect(decodeReferrals(FIXTURES.referrals!)).toMatchObject({
      userDataSegmentSize: 0x1000,
      userDataSegmentMultiplier: 4,
    });
  });
});

describe('Zoned Block Device Characteristics (B6h, ZBC-2) and Block Limits Extension (B7h)', () => {
  it('decodes zoned characteristics of a host managed device', () => {
    expect(decodeZonedBlockDeviceCharacteristics(FIXTURES.zoned!)).toMatchObject({
      peripheralDeviceType: 0x14,
      zonedBlockDeviceExtension: 1,
      aaorb: false,
      urswrz: true,
      optimalNumberOfOpenSequentialWritePreferredZones: 0xffffffff,
      optimalNumberOfNonSequentiallyWrittenSequentialWritePreferredZones: 128,
      maximumNumberOfOpenSequentialWriteRequiredZones: 0xffffffff,
      zoneAlignmentMethod: 1,
      zoneStartingLbaGranularity: 0x80000n,
    });
    expect(decodeVpdPage(FIXTURES.zoned!, 0xb6).kind).toBe('zonedBlockDeviceCharacteristics');
  });

  it('decodes block limits extension', () => {
    expect(decodeBlockLimitsExtension(FIXTURES.ble!)).toMatchObject({
      maximumNumberOfStreams: 16,
      optimalStreamWriteSize: 8,
      streamGranularitySize: 4,
      maximumScatteredLbaRangeTransferLength: 0x10000,
      maximumScatteredLbaRangeDescriptorCount: 256,
      maximumScatteredTransferLength: 0x20000,
    });
  });
});

describe('dispatcher and generic pages', () => {
  it('dispatches every fixture to its decoder', () => {
    const kinds = Object.fromEntries(Object.entries(FIXTURES).map(([k, v]) => [k, decodeVpdPage(v).kind]));
    expect(kinds).toEqual({
      supported: 'supportedVpdPages',
      serial: 'unitSerialNumber',
      deviceId: 'deviceIdentification',
      extended: 'extendedInquiry',
      modePolicy: 'modePagePolicy',
      scsiPorts: 'scsiPorts',
      ata: 'ataInformation',
      power: 'powerCondition',
      tpc: 'thirdPartyCopy',
      blockLimits: 'blockLimits',
      bdc: 'blockDeviceCharacteristics',
      lbp: 'logicalBlockProvisioning',
      referrals: 'referrals',
      zoned: 'zonedBlockDeviceCharacteristics',
      ble: 'blockLimitsExtension',
    });
  });

  it('keeps other pages raw', () => {
    const vendor = page(0xc0, [1, 2, 3, 4]);
    expect(decodeVpdPage(vendor, 0xc0)).toEqual({
      kind: 'generic',
      peripheralQualifier: 0,
      peripheralDeviceType: 0,
      pageCode: 0xc0,
      pageLength: 4,
      truncated: false,
      requiredLength: 8,
      availableLength: 8,
      raw: new Uint8Array([1, 2, 3, 4]),
    });
    expect(decodeGenericVpdPage(vendor.slice(0, 6))).toMatchObject({
      truncated: true,
      raw: new Uint8Array([1, 2]),
    });
    expect(() => decodeGenericVpdPage(vendor, 0x84)).toThrowError(/pageCode/);
  });
});

describe('truncated buffers, every page', () => {
  const HEADER_KEYS = new Set(['truncated', 'availableLength', 'raw']);

  function sameOrAbsent(cut: VpdPage, full: VpdPage, name: string): void {
    for (const [k, v] of Object.entries(cut)) {
      if (HEADER_KEYS.has(k)) continue;
      const fv = (full as unknown as Record<string, unknown>)[k];
      if (Array.isArray(v)) {
        expect((fv as unknown[]).slice(0, v.length), `${name}.${k}`).toEqual(v);
      } else if (k !== 'productSerialNumber') {
        expect(v, `${name}.${k}`).toEqual(fv);
      }
    }
  }

  for (const [name, bytes] of Object.entries(FIXTURES)) {
    it(`${name}: every cut decodes what is there and sets truncated`, () => {
      const full = decodeVpdPage(bytes);
      expect(full.truncated).toBe(false);
      expect(full.requiredLength).toBe(bytes.length);
      for (let n = 4; n < bytes.length; n++) {
        const cut = decodeVpdPage(bytes.slice(0, n), bytes[1]);
        expect(cut.truncated, `${name} cut at ${n}`).toBe(true);
        expect(cut.requiredLength).toBe(bytes.length);
        expect(cut.availableLength).toBe(n);
        expect(cut.raw).toEqual(bytes.slice(4, n));
        expect(cut.kind).toBe(full.kind);
        sameOrAbsent(cut, full, `${name}@${n}`);
      }
    });
  }
});

const ALL_DECODERS = [
  decodeSupportedVpdPages,
  decodeUnitSerialNumber,
  decodeDeviceIdentification,
  decodeExtendedInquiry,
  decodeModePagePolicy,
  decodeScsiPorts,
  decodeAtaInformation,
  decodePowerCondition,
  decodeThirdPartyCopy,
  decodeBlockLimits,
  decodeBlockDeviceCharacteristics,
  decodeLogicalBlockProvisioning,
  decodeReferrals,
  decodeZonedBlockDeviceCharacteristics,
  decodeBlockLimitsExtension,
  (b: Uint8Array) => decodeDesignationDescriptor(b),
  (b: Uint8Array) => decodeDesignationDescriptors(b),
  (b: Uint8Array) => decodeDesignationDescriptors(b, true),
];

function onlyDecodeErrors(run: () => unknown): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
  }
}

describe('property: random bytes return or throw DecodeError', () => {
  const CODES = [
    0x00, 0x80, 0x83, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8f, 0xb0, 0xb1, 0xb2, 0xb3, 0xb6, 0xb7, 0xc0,
  ];

  it('fully random bytes', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.option(fc.integer({ min: 0, max: 255 })),
        (bytes, code) => {
          onlyDecodeErrors(() => decodeVpdPage(bytes));
          onlyDecodeErrors(() => decodeVpdPage(bytes, code ?? undefined));
          for (const decode of ALL_DECODERS) onlyDecodeErrors(() => decode(bytes));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('random pages with a valid header (reaches the page decoders)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CODES),
        fc.constantFrom(0x00, 0x01, 0x14),
        fc.uint8Array({ maxLength: 700 }),
        fc.integer({ min: -8, max: 8 }),
        (code, pdt, payload, skew) => {
          const bytes = new Uint8Array(4 + payload.length);
          bytes.set([pdt, code, ...be16(Math.max(0, payload.length + skew))]);
          bytes.set(payload, 4);
          onlyDecodeErrors(() => decodeVpdPage(bytes, code));
          onlyDecodeErrors(() => decodeVpdPage(bytes));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('random designator lists', () => {
    const descriptor = fc
      .tuple(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: 24 }),
      )
      .map(([b0, b1, d]) => desig(b0, b1, [...d]));
    fc.assert(
      fc.property(fc.array(descriptor, { maxLength: 6 }), (list) => {
        const p = decodeDeviceIdentification(page(0x83, list.flat()));
        expect(p.designators).toHaveLength(list.length);
      }),
      { numRuns: 1000 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  buildEnclosureControlPage,
  decodeDeviceCapabilitiesPage,
  decodeElementAddressAssignmentPage,
  decodeElementStatus,
  decodeSesAdditionalElementStatus,
  decodeSesConfiguration,
  decodeSesElementDescriptors,
  decodeSesEnclosureStatus,
  decodeSupportedDiagnosticPages,
  decodeTransportGeometryPage,
  slotControl,
} from '../src/index.js';
import { buildError, expectDecodeError } from './helpers.js';

const bytes = (hex: string) =>
  Uint8Array.from((hex.replace(/\s+/gu, '').match(/../gu) ?? []).map((x) => Number.parseInt(x, 16)));
const tag = (s: string) => `${Buffer.from(s.padEnd(32, ' ')).toString('hex')}0000 0001`;

// SMC-3 6.11: header, then a storage page (PVOLTAG, descriptor length 0x30) with two descriptors,
// then a data transfer page without tags (descriptor length 0x0c).
const STATUS =
  '1000 0003 00 00007c' + // first 1000h, 3 elements, byte count 124
  '02 80 0030 00 000060' + // storage, PVOLTAG, 48-byte descriptors, 96 bytes
  `1000 09 00 0000 0000 00 00 0000 ${tag('VOL001L8')}` + // full, access
  `1001 0c 00 3b0e 0000 00 80 1000 ${'00'.repeat(36)}` + // access, except 3Bh/0Eh, SVALID source 1000h
  '04 00 000c 00 00000c' + // data transfer, 12-byte descriptors
  '0100 09 00 0000 b5 02 00 c0 1000'; // full, access; NOT BUS, ID VALID, LU VALID, LUN 5, bus 2; SVALID INVERT

describe('READ ELEMENT STATUS data (SMC-3 6.11)', () => {
  it('header, pages, descriptors, volume tags, SVALID/INVERT, ASC/ASCQ, data transfer fields', () => {
    const d = decodeElementStatus(bytes(STATUS));
    expect(d).toMatchObject({
      firstElementAddressReported: 0x1000,
      numberOfElementsAvailable: 3,
      byteCountOfReportAvailable: 124,
      truncated: false,
    });
    expect(d.pages.map((p) => [p.elementTypeName, p.pVolTag, p.aVolTag, p.elements.length])).toEqual([
      ['storage', true, false, 2],
      ['data transfer', false, false, 1],
    ]);
    const [s0, s1] = d.pages[0]?.elements ?? [];
    expect(s0).toMatchObject({
      elementAddress: 0x1000,
      full: true,
      access: true,
      except: false,
      sValid: false,
      primaryVolumeTag: { volumeIdentifier: 'VOL001L8', volumeSequenceNumber: 1 },
    });
    expect(s1).toMatchObject({
      full: false,
      except: true,
      additionalSenseCode: 0x3b,
      additionalSenseCodeQualifier: 0x0e,
      sValid: true,
      sourceStorageElementAddress: 0x1000,
    });
    expect(s0?.impExp).toBeUndefined();
    expect(d.pages[1]?.elements[0]).toMatchObject({
      elementAddress: 0x100,
      full: true,
      notBus: true,
      idValid: true,
      luValid: true,
      lun: 5,
      scsiBusAddress: 2,
      sValid: true,
      invert: true,
    });
  });
  it('PVOLTAG and AVOLTAG, then a DVCID identifier on a data transfer element', () => {
    const id = Buffer.from('IBM     ULT3580-TD8     1234567890').toString('hex');
    const desc = `0100 01 00 0000 0000 00 80 1003 ${tag('PRI001L8')} ${tag('ALT001L8')} 02 01 00 22 ${id}`;
    const length = 12 + 36 + 36 + 4 + 34;
    const hexLen = (n: number, w: number) => n.toString(16).padStart(w, '0');
    const d = decodeElementStatus(
      bytes(
        `0100 0001 00 ${hexLen(8 + length, 6)} 04 c0 ${hexLen(length, 4)} 00 ${hexLen(length, 6)} ${desc}`,
      ),
    );
    expect(d.pages[0]).toMatchObject({ pVolTag: true, aVolTag: true, elementDescriptorLength: length });
    expect(d.pages[0]?.elements[0]).toMatchObject({
      primaryVolumeTag: { volumeIdentifier: 'PRI001L8' },
      alternateVolumeTag: { volumeIdentifier: 'ALT001L8' },
      deviceIdentifier: { codeSet: 2, identifierType: 1, text: 'IBM     ULT3580-TD8     1234567890' },
      sourceStorageElementAddress: 0x1003,
    });
  });
  it('import/export bits, and a medium transport has no ACCESS', () => {
    const d = decodeElementStatus(
      bytes(
        '0001 0002 00 000028  01 00 000c 00 00000c 0001 05 00 0000 0000 00 00 0000  03 00 000c 00 00000c 0200 33 00 0000 0000 00 00 0000',
      ),
    );
    expect(d.pages[0]?.elements[0]).toMatchObject({ full: true, except: true });
    expect(d.pages[0]?.elements[0]?.access).toBeUndefined();
    expect(d.pages[1]?.elements[0]).toMatchObject({
      full: true,
      impExp: true,
      exEnab: true,
      inEnab: true,
      access: false,
    });
  });
  it('a cut answer keeps the whole descriptors and says how much to ask for', () => {
    const all = bytes(STATUS);
    const d = decodeElementStatus(all.subarray(0, 8 + 8 + 48 + 20));
    expect(d).toMatchObject({ truncated: true, requiredLength: all.length });
    expect(d.pages[0]?.elements.length).toBe(1);
    expectDecodeError(() => decodeElementStatus(all.subarray(0, 7)), 'byteCountOfReportAvailable');
  });
});

describe('changer mode pages (SMC-3 7.3)', () => {
  it('Element Address Assignment 1Dh: first address and count per type', () => {
    const p = decodeElementAddressAssignmentPage(bytes('9d 12 0001 0001 1000 000a 0200 0001 0100 0002 0000'));
    expect(p).toEqual({
      mediumTransport: { firstElementAddress: 1, numberOfElements: 1 },
      storage: { firstElementAddress: 0x1000, numberOfElements: 10 },
      importExport: { firstElementAddress: 0x200, numberOfElements: 1 },
      dataTransfer: { firstElementAddress: 0x100, numberOfElements: 2 },
    });
    expectDecodeError(
      () => decodeElementAddressAssignmentPage(bytes('1e 12')),
      'elementAddressAssignment.pageCode',
    );
  });
  it('Transport Geometry 1Eh and Device Capabilities 1Fh', () => {
    expect(decodeTransportGeometryPage(bytes('1e 04 01 00 00 01')).transports).toEqual([
      { rotate: true, memberNumberInTransportElementSet: 0 },
      { rotate: false, memberNumberInTransportElementSet: 1 },
    ]);
    const c = decodeDeviceCapabilitiesPage(bytes('1f 12 0e 00 0e 0e 0e 06 00000000 00000000 00000000'));
    expect(c.canStore).toEqual({
      mediumTransport: false,
      storage: true,
      importExport: true,
      dataTransfer: true,
    });
    expect(c.moveFrom.dataTransfer).toEqual({
      mediumTransport: false,
      storage: true,
      importExport: true,
      dataTransfer: false,
    });
  });
});

// SES-4 6.1.2: one enclosure, two types (2 device slots "Slots", 1 temperature sensor "T").
const CONFIG =
  '01 00 0038 00000007' +
  '11 00 02 24 5001438012345678' +
  Buffer.from('ACME    JBOD-12         0100').toString('hex') +
  '01 02 00 05  04 01 00 01' +
  Buffer.from('SlotsT').toString('hex');
const TYPES = [
  { elementType: 1, numberOfPossibleElements: 2 },
  { elementType: 4, numberOfPossibleElements: 1 },
];

describe('SES diagnostic pages', () => {
  it('00h supported pages', () => {
    expect(decodeSupportedDiagnosticPages(bytes('00 00 0005 00 01 02 07 0a')).pages).toEqual([
      0, 1, 2, 7, 10,
    ]);
  });
  it('01h configuration: enclosure descriptor, type headers and texts', () => {
    const c = decodeSesConfiguration(bytes(CONFIG));
    expect(c.generationCode).toBe(7);
    expect(c.enclosures[0]).toMatchObject({
      vendor: 'ACME',
      product: 'JBOD-12',
      revision: '0100',
      enclosureLogicalIdentifier: '5001438012345678',
      numberOfTypeDescriptorHeaders: 2,
    });
    expect(c.types).toEqual([
      {
        elementType: 1,
        elementTypeName: 'device slot',
        numberOfPossibleElements: 2,
        subenclosureIdentifier: 0,
        text: 'Slots',
      },
      {
        elementType: 4,
        elementTypeName: 'temperature sensor',
        numberOfPossibleElements: 1,
        subenclosureIdentifier: 0,
        text: 'T',
      },
    ]);
    expectDecodeError(() => decodeSesConfiguration(bytes(CONFIG).subarray(0, 30)), 'enclosureDescriptor');
  });
  it('02h status: overall + individual elements, status names, per-type fields', () => {
    const s = decodeSesEnclosureStatus(
      bytes('02 02 0018 00000007  00000000 01000000 02 01 02 60  00000000 01 00 3c 08'),
      TYPES,
    );
    expect(s).toMatchObject({ crit: true, generationCode: 7 });
    expect(s.elements.map((e) => [e.elementTypeName, e.index, e.statusName])).toEqual([
      ['device slot', undefined, 'unsupported'],
      ['device slot', 0, 'OK'],
      ['device slot', 1, 'critical'],
      ['temperature sensor', undefined, 'unsupported'],
      ['temperature sensor', 0, 'OK'],
    ]);
    expect(s.elements[2]).toMatchObject({ slotAddress: 1, ident: true, fail: true, faultRequested: true });
    expect(s.elements[4]).toMatchObject({ temperatureCelsius: 40, overTemperatureFailure: true });
  });
  it('07h element descriptors and 0Ah SAS addresses', () => {
    const d = decodeSesElementDescriptors(
      bytes('07 00 001c 00000007 0000 0001 41 0000 0002 4231 0000 0000 0000 0000 0000 0001 54'),
      TYPES,
    );
    expect(d.descriptors.map((x) => x.text)).toEqual(['A', 'B1', '', '', 'T']);
    const phy = `10 00 00 08 ${'5001438012345601'} ${'5000c5000a000001'} 01 ${'00'.repeat(7)}`;
    const a = decodeSesAdditionalElementStatus(bytes(`0a 00 0028 00000007 16 22 00 00 01 00 00 00 ${phy}`));
    expect(a.descriptors[0]).toMatchObject({
      elementIndex: 0,
      protocolIdentifier: 6,
      phys: [
        {
          deviceType: 1,
          sasAddress: '5000c5000a000001',
          attachedSasAddress: '5001438012345601',
          phyIdentifier: 1,
        },
      ],
    });
  });
  it('02h control page: every element, only the requested one SELECTed, the expected generation code', () => {
    const page = buildEnclosureControlPage({
      expectedGenerationCode: 7,
      types: TYPES,
      requests: [
        {
          typeIndex: 0,
          index: 1,
          control: slotControl({ ident: false, faultRequested: true }, { ident: true }),
        },
      ],
    });
    expect(Buffer.from(page).toString('hex')).toBe(
      '0200001800000007' + '00000000' + '00000000' + '80000220' + '00000000' + '00000000',
    );
    expect(
      buildError(() =>
        buildEnclosureControlPage({
          expectedGenerationCode: 7,
          types: TYPES,
          requests: [{ typeIndex: 0, index: 2, control: new Uint8Array(4) }],
        }),
      ).field,
    ).toBe('requests[0].index');
  });
});

import {
  buildInitializeElementStatus,
  buildInitializeElementStatusWithRange,
  buildInquiry,
  buildModeSense6,
  buildModeSense10,
  buildMoveMedium,
  buildReadElementStatus,
  buildReportSupportedOperationCodes,
  buildStartStopUnit,
  decodeDeviceCapabilitiesPage,
  decodeElementAddressAssignmentPage,
  decodeElementStatus,
  decodeModeSense6,
  decodeModeSense10,
  decodeStandardInquiry,
  decodeSupportedOpcodesAll,
  SENSE_KEY,
} from '@scsikit/cdb';
import { describe, expect, it } from 'vitest';
import { EmulatedChanger } from '../src/index.js';
import { expectSense, good, send } from './helpers.js';

const status = async (c: EmulatedChanger, params: Parameters<typeof buildReadElementStatus>[0] = {}) =>
  decodeElementStatus((await good(c, buildReadElementStatus({ volTag: true, ...params }))).data);

describe('EmulatedChanger: identity', () => {
  it('INQUIRY says media changer (08h); capabilities carry the type for the guard', async () => {
    const c = new EmulatedChanger();
    expect(decodeStandardInquiry((await good(c, buildInquiry())).data)).toMatchObject({
      peripheralDeviceType: 8,
      vendor: 'SCSIKIT',
      product: 'EMULATED LIBRARY',
    });
    expect(c.capabilities.peripheralType).toBe(8);
    // SAM-5 and SPC-5, no SBC-4 claim.
    expect(
      decodeStandardInquiry((await good(c, buildInquiry())).data).versionDescriptors.map((v) => v.code),
    ).toEqual([0x00a0, 0x05c0]);
    // No block device VPD pages on a changer.
    const vpd = await good(c, buildInquiry({ evpd: true, pageCode: 0 }));
    expect([...vpd.data.subarray(4)]).toEqual([0x00, 0x80, 0x83, 0x86]);
    expectSense(
      await send(c, buildInquiry({ evpd: true, pageCode: 0xb0 })),
      SENSE_KEY.ILLEGAL_REQUEST,
      0x24,
      0x00,
    );
  });
  it('answers SMC and SPC commands only: no START STOP UNIT, and REPORT SUPPORTED OPERATION CODES lists SMC', async () => {
    const c = new EmulatedChanger();
    expectSense(await send(c, buildStartStopUnit()), SENSE_KEY.ILLEGAL_REQUEST, 0x20, 0x00);
    const ops = decodeSupportedOpcodesAll(
      (await good(c, buildReportSupportedOperationCodes({ mode: 'all' }))).data,
    );
    const opcodes = ops.commands.map((x) => x.operationCode);
    expect(opcodes).toEqual(expect.arrayContaining([0x07, 0x37, 0xa5, 0xb8, 0x12]));
    expect(opcodes).not.toContain(0x28);
  });
});

describe('READ ELEMENT STATUS', () => {
  it('every element, one page per type run, barcodes as primary volume tags', async () => {
    const c = new EmulatedChanger({
      slots: 4,
      drives: 2,
      mailSlots: 1,
      cartridges: ['A1', '', 'A3'],
      mailCartridges: ['M1'],
    });
    const d = await status(c);
    expect(d.numberOfElementsAvailable).toBe(8);
    expect(d.pages.map((p) => [p.elementType, p.elements.map((e) => e.elementAddress)])).toEqual([
      [1, [1]],
      [4, [0x100, 0x101]],
      [3, [0x200]],
      [2, [0x1000, 0x1001, 0x1002, 0x1003]],
    ]);
    const slots = d.pages[3]?.elements ?? [];
    expect(slots.map((e) => [e.full, e.primaryVolumeTag?.volumeIdentifier])).toEqual([
      [true, 'A1'],
      [false, ''],
      [true, 'A3'],
      [false, ''],
    ]);
    expect(d.pages[2]?.elements[0]).toMatchObject({ full: true, impExp: true, exEnab: true, inEnab: true });
  });
  it('element type, start address, count; without VOLTAG no tags', async () => {
    const c = new EmulatedChanger();
    const d = await status(c, {
      elementType: 'storage',
      startingElementAddress: 0x1002,
      numberOfElements: 3,
      volTag: false,
    });
    expect(d.pages).toHaveLength(1);
    expect(d.pages[0]).toMatchObject({ pVolTag: false, elementDescriptorLength: 12 });
    expect(d.pages[0]?.elements.map((e) => e.elementAddress)).toEqual([0x1002, 0x1003, 0x1004]);
  });
  it('DVCID: drives carry their serial number', async () => {
    const d = await status(new EmulatedChanger(), { elementType: 'dataTransfer', dvcid: true });
    expect(d.pages[0]?.elements[1]?.deviceIdentifier).toMatchObject({ codeSet: 2, text: 'DRV00001' });
  });
  it('a short allocation length cuts the answer; BYTE COUNT OF REPORT AVAILABLE still says it all', async () => {
    const c = new EmulatedChanger();
    const whole = await status(c);
    const cut = decodeElementStatus(
      (await good(c, buildReadElementStatus({ volTag: true, allocationLength: 100 }))).data,
    );
    expect(cut).toMatchObject({ truncated: true, requiredLength: whole.requiredLength });
  });
  it('a start address past every element is INVALID ELEMENT ADDRESS; a reserved bit INVALID FIELD IN CDB', async () => {
    const c = new EmulatedChanger();
    expectSense(
      await send(c, buildReadElementStatus({ startingElementAddress: 0xf000 })),
      SENSE_KEY.ILLEGAL_REQUEST,
      0x21,
      0x01,
    );
    const bad = buildReadElementStatus();
    bad.cdb[6] = 0x80;
    expectSense(await send(c, bad), SENSE_KEY.ILLEGAL_REQUEST, 0x24, 0x00);
  });
});

describe('MOVE MEDIUM', () => {
  it('moves the cartridge, sets SVALID and the source slot, and back', async () => {
    const c = new EmulatedChanger();
    await good(c, buildMoveMedium({ sourceAddress: 0x1000, destinationAddress: 0x101 }));
    let d = await status(c);
    const drive = d.pages.flatMap((p) => p.elements).find((e) => e.elementAddress === 0x101);
    expect(drive).toMatchObject({
      full: true,
      sValid: true,
      sourceStorageElementAddress: 0x1000,
      primaryVolumeTag: { volumeIdentifier: 'VOL001L8' },
    });
    await good(
      c,
      buildMoveMedium({ transportElementAddress: 1, sourceAddress: 0x101, destinationAddress: 0x1009 }),
    );
    d = await status(c);
    const slot = d.pages.flatMap((p) => p.elements).find((e) => e.elementAddress === 0x1009);
    expect(slot).toMatchObject({ full: true, sourceStorageElementAddress: 0x1000 });
    expect(c.model.element(0x1000)?.full).toBe(false);
  });
  it('errors as a library gives them: source empty, destination full, invalid address, invalid transport', async () => {
    const c = new EmulatedChanger();
    expectSense(
      await send(c, buildMoveMedium({ sourceAddress: 0x1008, destinationAddress: 0x100 })),
      SENSE_KEY.ILLEGAL_REQUEST,
      0x3b,
      0x0e,
    );
    expectSense(
      await send(c, buildMoveMedium({ sourceAddress: 0x1000, destinationAddress: 0x1001 })),
      SENSE_KEY.ILLEGAL_REQUEST,
      0x3b,
      0x0d,
    );
    expectSense(
      await send(c, buildMoveMedium({ sourceAddress: 0x1000, destinationAddress: 0x7777 })),
      SENSE_KEY.ILLEGAL_REQUEST,
      0x21,
      0x01,
    );
    expectSense(
      await send(
        c,
        buildMoveMedium({
          transportElementAddress: 0x1000,
          sourceAddress: 0x1000,
          destinationAddress: 0x100,
        }),
      ),
      SENSE_KEY.ILLEGAL_REQUEST,
      0x21,
      0x01,
    );
    // Nothing moved.
    expect(c.model.element(0x1000)?.full).toBe(true);
  });
});

describe('INITIALIZE ELEMENT STATUS and the mode pages', () => {
  it('INITIALIZE ELEMENT STATUS (WITH RANGE) runs an inventory; a bad range start is INVALID ELEMENT ADDRESS', async () => {
    const c = new EmulatedChanger();
    await good(c, buildInitializeElementStatus());
    await good(
      c,
      buildInitializeElementStatusWithRange({
        range: true,
        startingElementAddress: 0x1000,
        numberOfElements: 2,
      }),
    );
    expect(c.model.inventories).toBe(2);
    expectSense(
      await send(
        c,
        buildInitializeElementStatusWithRange({
          range: true,
          startingElementAddress: 0x3333,
          numberOfElements: 2,
        }),
      ),
      SENSE_KEY.ILLEGAL_REQUEST,
      0x21,
      0x01,
    );
  });
  it('MODE SENSE 1Dh/1Fh (6 and 10), all pages, changeable values zero', async () => {
    const c = new EmulatedChanger({ slots: 20, firstAddress: { slot: 0x400 } });
    const m10 = decodeModeSense10((await good(c, buildModeSense10({ pageCode: 0x1d }))).data);
    expect(decodeElementAddressAssignmentPage(m10.pages[0]?.raw ?? new Uint8Array()).storage).toEqual({
      firstElementAddress: 0x400,
      numberOfElements: 20,
    });
    const all = decodeModeSense6((await good(c, buildModeSense6({ pageCode: 0x3f }))).data);
    expect(all.pages.map((p) => p.pageCode)).toEqual([0x1d, 0x1e, 0x1f]);
    expect(decodeDeviceCapabilitiesPage(all.pages[2]?.raw ?? new Uint8Array()).canStore.storage).toBe(true);
    const ch = decodeModeSense6(
      (await good(c, buildModeSense6({ pageCode: 0x1d, pageControl: 'changeable' }))).data,
    );
    expect(
      decodeElementAddressAssignmentPage(ch.pages[0]?.raw ?? new Uint8Array()).storage.numberOfElements,
    ).toBe(0);
    expectSense(await send(c, buildModeSense6({ pageCode: 0x08 })), SENSE_KEY.ILLEGAL_REQUEST, 0x24, 0x00);
  });
  it('options are checked', () => {
    expect(() => new EmulatedChanger({ slots: 2, cartridges: ['a', 'b', 'c'] })).toThrow(/more cartridges/u);
    expect(() => new EmulatedChanger({ firstAddress: { slot: 0x100 } })).toThrow(/overlap/u);
    expect(() => new EmulatedChanger({ slots: -1 })).toThrow();
  });
});

import {
  buildEnclosureControlPage,
  buildInquiry,
  buildReceiveDiagnosticResults,
  buildSendDiagnostic,
  decodeSesAdditionalElementStatus,
  decodeSesConfiguration,
  decodeSesElementDescriptors,
  decodeSesEnclosureStatus,
  decodeStandardInquiry,
  decodeSupportedDiagnosticPages,
  SENSE_KEY,
  slotControl,
} from '@scsikit/cdb';
import { describe, expect, it } from 'vitest';
import { EmulatedEnclosure } from '../src/index.js';
import { expectSense, good, send } from './helpers.js';

const page = async (e: EmulatedEnclosure, pageCode: number, allocationLength = 4096) =>
  (await good(e, buildReceiveDiagnosticResults({ pcv: true, pageCode, allocationLength }))).data;

async function control(e: EmulatedEnclosure, data: Uint8Array) {
  return send(e, buildSendDiagnostic({ pf: true, parameterListLength: data.length }), data);
}

describe('EmulatedEnclosure: the SES pages', () => {
  it('INQUIRY says enclosure services (0Dh); capabilities carry the type', async () => {
    const e = new EmulatedEnclosure();
    expect(decodeStandardInquiry((await good(e, buildInquiry())).data).peripheralDeviceType).toBe(0x0d);
    expect(e.capabilities.peripheralType).toBe(0x0d);
  });
  it('00h, 01h, 02h, 07h, 0Ah agree with each other', async () => {
    const e = new EmulatedEnclosure({ slots: 4, vendor: 'ACME', product: 'JBOD' });
    expect(decodeSupportedDiagnosticPages(await page(e, 0)).pages).toEqual([0, 1, 2, 7, 0x0a]);
    const c = decodeSesConfiguration(await page(e, 1));
    expect(c.enclosures[0]).toMatchObject({ vendor: 'ACME', product: 'JBOD' });
    expect(c.types[0]).toMatchObject({ elementType: 1, numberOfPossibleElements: 4, text: 'Device Slots' });
    const s = decodeSesEnclosureStatus(await page(e, 2), c.types);
    expect(s.elements).toHaveLength(c.types.reduce((n, t) => n + 1 + t.numberOfPossibleElements, 0));
    expect(s.elements.find((x) => x.elementType === 4 && x.index === 1)?.temperatureCelsius).toBe(38);
    expect(s.elements.find((x) => x.elementType === 3 && x.index === 0)?.fanSpeedRpm).toBe(5000);
    expect(s.elements.find((x) => x.elementType === 0x12 && x.index === 1)?.voltage).toBe(12.1);
    const d = decodeSesElementDescriptors(await page(e, 7), c.types);
    expect(d.descriptors.slice(0, 3).map((x) => x.text)).toEqual(['Device Slots', 'Slot 00', 'Slot 01']);
    const a = decodeSesAdditionalElementStatus(await page(e, 0x0a));
    expect(a.descriptors.map((x) => x.elementIndex)).toEqual([0, 1, 2, 3]);
    expect(a.descriptors[2]?.phys[0]?.sasAddress).toBe('5000c5000a000002');
  });
  it('status flags follow the worst element; an unsupported page is INVALID FIELD IN CDB', async () => {
    const e = new EmulatedEnclosure();
    const psu = e.model.element(1, 1);
    if (psu === undefined) throw new Error('no PSU B');
    psu.status[0] = 0x02; // critical
    const c = decodeSesConfiguration(await page(e, 1));
    expect(decodeSesEnclosureStatus(await page(e, 2), c.types)).toMatchObject({ crit: true, unrecov: false });
    expectSense(
      await send(e, buildReceiveDiagnosticResults({ pcv: true, pageCode: 0x05 })),
      SENSE_KEY.ILLEGAL_REQUEST,
      0x24,
      0x00,
    );
  });
  it('a short allocation length cuts the page; the page length still says it all', async () => {
    const e = new EmulatedEnclosure();
    const c = decodeSesConfiguration(await page(e, 1));
    const cut = decodeSesEnclosureStatus(await page(e, 2, 20), c.types);
    expect(cut.truncated).toBe(true);
    expect(cut.elements).toHaveLength(3);
  });
});

describe('EmulatedEnclosure: the Enclosure Control page', () => {
  it('sets IDENT and FAULT on the selected slot only', async () => {
    const e = new EmulatedEnclosure({ slots: 4 });
    const c = decodeSesConfiguration(await page(e, 1));
    const data = buildEnclosureControlPage({
      expectedGenerationCode: c.generationCode,
      types: c.types,
      requests: [{ typeIndex: 0, index: 2, control: slotControl({}, { ident: true, fault: true }) }],
    });
    await good(e, buildSendDiagnostic({ pf: true, parameterListLength: data.length }), data);
    const s = decodeSesEnclosureStatus(await page(e, 2), c.types);
    const slots = s.elements.filter((x) => x.elementType === 1 && !x.overall);
    expect(slots.map((x) => [x.ident, x.faultRequested])).toEqual([
      [false, false],
      [false, false],
      [true, true],
      [false, false],
    ]);
  });
  it('a stale generation code is refused and nothing changes; so are a short page and a page without PF', async () => {
    const e = new EmulatedEnclosure({ slots: 4 });
    const c = decodeSesConfiguration(await page(e, 1));
    e.model.changeConfiguration();
    const stale = buildEnclosureControlPage({
      expectedGenerationCode: c.generationCode,
      types: c.types,
      requests: [{ typeIndex: 0, index: 0, control: slotControl({}, { ident: true }) }],
    });
    const r = expectSense(await control(e, stale), SENSE_KEY.ILLEGAL_REQUEST, 0x26, 0x00);
    expect(r.senseKeySpecific).toMatchObject({ commandData: false, fieldPointer: 4 });
    expect(e.model.element(0, 0)?.status[2]).toBe(0);
    expectSense(await control(e, stale.subarray(0, 12)), SENSE_KEY.ILLEGAL_REQUEST, 0x26, 0x00);
    expectSense(
      await send(e, buildSendDiagnostic({ parameterListLength: stale.length }), stale),
      SENSE_KEY.ILLEGAL_REQUEST,
      0x24,
      0x00,
    );
    // The default self-test is accepted.
    await good(e, buildSendDiagnostic({ selfTest: true }));
  });
});

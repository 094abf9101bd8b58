import { EmulatedChanger, EmulatedEnclosure } from '@scsikit/emulated-disk';
import { describe, expect, it } from 'vitest';
import { CheckConditionError, openDevice, PermissionError } from '../src/index.js';

describe('device.changer over an emulated media changer', () => {
  it('elementStatus: every element with its barcode, one list across pages', async () => {
    const dev = await openDevice(new EmulatedChanger({ slots: 4, drives: 1, cartridges: ['A1', 'A2'] }));
    const s = await dev.changer.elementStatus();
    expect(
      s.elements.map((e) => [
        e.elementTypeName,
        e.elementAddress,
        e.full,
        e.primaryVolumeTag?.volumeIdentifier,
      ]),
    ).toEqual([
      ['medium transport', 1, false, ''],
      ['data transfer', 0x100, false, ''],
      ['import/export', 0x200, false, ''],
      ['storage', 0x1000, true, 'A1'],
      ['storage', 0x1001, true, 'A2'],
      ['storage', 0x1002, false, ''],
      ['storage', 0x1003, false, ''],
    ]);
    const drives = await dev.changer.elementStatus({
      type: 'dataTransfer',
      volumeTags: false,
      deviceIds: true,
    });
    expect(drives.elements).toHaveLength(1);
    expect(drives.elements[0]?.primaryVolumeTag).toBeUndefined();
    expect(drives.elements[0]?.deviceIdentifier?.text).toBe('DRV00000');
    await dev.close();
  });

  it('elementStatus is sent again with the whole allocation length when the first answer is cut', async () => {
    const changer = new EmulatedChanger({ slots: 400 });
    const dev = await openDevice(changer);
    const s = await dev.changer.elementStatus();
    expect(s.truncated).toBe(false);
    expect(s.elements).toHaveLength(1 + 2 + 1 + 400);
    const sent = changer.recorder.entries.filter((e) => e.opcode === 0xb8);
    expect(sent.map((e) => e.transferLength)).toEqual([4096, s.requiredLength]);
    await dev.close();
  });

  it('move, initializeElementStatus and addressAssignment; the changer errors as CheckConditionError', async () => {
    const changer = new EmulatedChanger();
    const dev = await openDevice(changer, { write: true });
    expect(await dev.changer.addressAssignment()).toEqual({
      mediumTransport: { firstElementAddress: 1, numberOfElements: 1 },
      storage: { firstElementAddress: 0x1000, numberOfElements: 10 },
      importExport: { firstElementAddress: 0x200, numberOfElements: 1 },
      dataTransfer: { firstElementAddress: 0x100, numberOfElements: 2 },
    });
    await dev.changer.move(0x1002, 0x100);
    expect(changer.model.element(0x100)).toMatchObject({ full: true, volumeTag: 'VOL003L8', source: 0x1002 });
    const e = await dev.changer.move(0x1002, 0x101).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CheckConditionError);
    expect((e as CheckConditionError).is(5, 0x3b, 0x0e)).toBe(true);
    await dev.changer.initializeElementStatus();
    await dev.changer.initializeElementStatus({ range: { start: 0x1000, count: 3 }, fast: true });
    expect(changer.model.inventories).toBe(2);
    const names = changer.recorder.commands();
    expect(names).toContain('INITIALIZE ELEMENT STATUS WITH RANGE');
    await dev.close();
  });

  it('read-only: MOVE MEDIUM and INITIALIZE ELEMENT STATUS never reach the changer (SMC scope: 07h is not REASSIGN BLOCKS here)', async () => {
    const changer = new EmulatedChanger();
    const dev = await openDevice(changer);
    await dev.changer.elementStatus();
    changer.recorder.clear();
    for (const attempt of [
      () => dev.changer.move(0x1000, 0x100),
      () => dev.changer.initializeElementStatus(),
    ]) {
      const e = await attempt().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(PermissionError);
      expect((e as Error).message).toMatch(/MOVE MEDIUM|INITIALIZE ELEMENT STATUS/u);
    }
    expect(changer.recorder.commands()).toEqual([]);
    expect(changer.model.element(0x1000)?.full).toBe(true);
    await dev.close();
  });
});

describe('device.enclosure over an emulated enclosure', () => {
  it('pages, configuration, and the joined status with descriptor texts', async () => {
    const dev = await openDevice(new EmulatedEnclosure({ slots: 2 }));
    expect(await dev.enclosure.pages()).toEqual([0, 1, 2, 7, 0x0a]);
    const c = await dev.enclosure.configuration();
    expect(c.types.map((t) => t.elementTypeName)).toContain('voltage sensor');
    const s = await dev.enclosure.status();
    const slot1 = s.elements.find((e) => e.elementType === 1 && e.index === 1);
    expect(slot1).toMatchObject({
      typeIndex: 0,
      typeText: 'Device Slots',
      descriptor: 'Slot 01',
      statusName: 'OK',
      slotAddress: 1,
    });
    expect(s.elements.find((e) => e.descriptor === 'Exhaust')?.temperatureCelsius).toBe(38);
    expect((await dev.enclosure.elementDescriptors()).descriptors[1]?.text).toBe('Slot 00');
    expect((await dev.enclosure.additionalStatus()).descriptors).toHaveLength(2);
    await dev.close();
  });

  it('setIdent / setFault keep the other request and need { write: true }', async () => {
    const enclosure = new EmulatedEnclosure({ slots: 3 });
    const ro = await openDevice(enclosure);
    const e = await ro.enclosure.setIdent(1, true).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PermissionError);
    expect(enclosure.recorder.commands()).not.toContain('SEND DIAGNOSTIC');
    await ro.close();
    const enc2 = new EmulatedEnclosure({ slots: 3 });
    const dev = await openDevice(enc2, { write: true });
    await dev.enclosure.setIdent(1, true);
    await dev.enclosure.setFault(1, true);
    await dev.enclosure.setIdent(1, false);
    const slot = (await dev.enclosure.status()).elements.find((x) => x.elementType === 1 && x.index === 1);
    expect(slot).toMatchObject({ ident: false, faultRequested: true });
    await dev.close();
  });
});

import {
  buildInquiry,
  buildLogSense,
  buildModeSelect10,
  buildModeSelectData,
  buildModeSense6,
  buildModeSense10,
  buildReadMediaSerialNumber,
  buildReportLuns,
  buildReportSupportedOperationCodes,
  buildRequestSense,
  buildStartStopUnit,
  buildTestUnitReady,
  decodeCachingPage,
  decodeControlPage,
  decodeLogPage,
  decodeMediaSerialNumber,
  decodeModeSense6,
  decodeModeSense10,
  decodeReportLuns,
  decodeSense,
  decodeStandardInquiry,
  decodeSupportedOpcodeOne,
  decodeSupportedOpcodesAll,
  decodeVpdPage,
  encodeCachingPage,
  encodeControlPage,
  findModePage,
  versionDescriptorName,
} from '@scsikit/cdb';
import { describe, expect, it } from 'vitest';
import { registered } from '../src/commands.js';
import { EmulatedDisk } from '../src/index.js';
import { expectSense, good, send } from './helpers.js';

describe('INQUIRY', () => {
  it('standard data decodes to the configured identity', async () => {
    const disk = new EmulatedDisk({ vendor: 'ACME', product: 'ROCKET', revision: '1.2', serial: 'SN42' });
    const r = await good(disk, buildInquiry());
    const inq = decodeStandardInquiry(r.data);
    expect(inq).toMatchObject({
      peripheralDeviceType: 0,
      vendor: 'ACME',
      product: 'ROCKET',
      revision: '1.2',
      responseDataFormat: 2,
      hisup: true,
      cmdque: true,
      truncated: false,
    });
    expect(inq.versionDescriptors.map((v) => versionDescriptorName(v.code))).toHaveLength(3);
    expect(r.data.length).toBe(96);
    // Allocation length cuts the answer: 36 bytes asked, 36 returned.
    const short = await good(disk, buildInquiry({ allocationLength: 36 }));
    expect(short.data.length).toBe(36);
    await disk.close();
  });

  it('VPD pages 00 80 83 86 B0 B1 B2 decode', async () => {
    const disk = new EmulatedDisk({ serial: 'SN42', thinProvisioning: true, maxTransferBytes: 65536 });
    const list = decodeVpdPage((await good(disk, buildInquiry({ evpd: true, pageCode: 0 }))).data);
    expect(list).toMatchObject({
      kind: 'supportedVpdPages',
      supportedPages: [0x00, 0x80, 0x83, 0x86, 0xb0, 0xb1, 0xb2],
    });
    const vpd = async (pageCode: number) =>
      decodeVpdPage((await good(disk, buildInquiry({ evpd: true, pageCode }))).data);
    expect(await vpd(0x80)).toMatchObject({ productSerialNumber: 'SN42' });
    const id = await vpd(0x83);
    if (id.kind !== 'deviceIdentification') throw new Error(id.kind);
    expect(id.designators.map((d) => d.designatorType)).toEqual([3, 1, 4]);
    expect(id.designators[0]?.decoded).toMatchObject({ kind: 'naa', naa: 6, ieeeCompanyId: 0x001405 });
    expect(id.designators[1]?.decoded).toMatchObject({
      kind: 't10VendorId',
      t10VendorIdentification: 'SCSIKIT',
    });
    expect(id.designators[2]?.decoded).toMatchObject({
      kind: 'relativeTargetPort',
      relativeTargetPortIdentifier: 1,
    });
    expect((await vpd(0x86)).kind).toBe('extendedInquiry');
    expect(await vpd(0xb0)).toMatchObject({ kind: 'blockLimits', maximumTransferLength: 128, wsnz: true });
    expect(await vpd(0xb1)).toMatchObject({ kind: 'blockDeviceCharacteristics', mediumRotationRate: 1 });
    expect(await vpd(0xb2)).toMatchObject({
      lbpu: true,
      lbpws: true,
      lbpws10: true,
      lbprz: 1,
      provisioningType: 2,
    });
    await disk.close();
  });

  it('different serials give different NAA-6 WWNs; an explicit wwn is used as given', async () => {
    const naa = async (disk: EmulatedDisk) => {
      const r = await good(disk, buildInquiry({ evpd: true, pageCode: 0x83 }));
      return [...r.data.subarray(8, 24)].map((b) => b.toString(16).padStart(2, '0')).join('');
    };
    const a = await naa(new EmulatedDisk({ serial: 'A' }));
    const b = await naa(new EmulatedDisk({ serial: 'B' }));
    expect(a).not.toBe(b);
    expect(a[0]).toBe('6');
    expect(await naa(new EmulatedDisk({ wwn: '6001405f3e2a1b0c9d8e7f6a5b4c3d2e' }))).toBe(
      '6001405f3e2a1b0c9d8e7f6a5b4c3d2e',
    );
  });

  it('an unsupported VPD page is INVALID FIELD IN CDB pointing at byte 2', async () => {
    const disk = new EmulatedDisk();
    const s = expectSense(await send(disk, buildInquiry({ evpd: true, pageCode: 0x89 })), 5, 0x24, 0);
    expect(s.senseKeySpecific).toMatchObject({ kind: 'fieldPointer', commandData: true, fieldPointer: 2 });
  });
});

describe('invalid commands answer like a device', () => {
  it('an unknown opcode is 05h/20h/00h, fixed format by default', async () => {
    const disk = new EmulatedDisk();
    const r = await disk.execute({ cdb: new Uint8Array([0xc5, 0, 0, 0, 0, 0]), direction: 'none' });
    const s = expectSense(r, 5, 0x20, 0);
    expect(s.format).toBe('fixed');
    expect(r.sense.length).toBe(18);
  });

  it('descriptor-format sense once D_SENSE is set by MODE SELECT', async () => {
    const disk = new EmulatedDisk();
    const ms = decodeModeSense10((await good(disk, buildModeSense10({ pageCode: 0x0a }))).data);
    const control = findModePage(ms, 0x0a)!;
    const data = buildModeSelectData({
      headerSize: 10,
      pages: [encodeControlPage({ dSense: true }, control.raw)],
    });
    await good(disk, buildModeSelect10({ parameterListLength: data.length }), data);
    const r = await send(disk, buildInquiry({ evpd: true, pageCode: 0x99 }));
    const s = expectSense(r, 5, 0x24, 0);
    expect(s.format).toBe('descriptor');
    expect(s.senseKeySpecific).toMatchObject({ kind: 'fieldPointer', commandData: true, fieldPointer: 2 });
  });

  it('a reserved service action is INVALID FIELD IN CDB at byte 1', async () => {
    const disk = new EmulatedDisk();
    const cdb = new Uint8Array(16);
    cdb[0] = 0x9e;
    cdb[1] = 0x1f;
    const s = expectSense(await disk.execute({ cdb, direction: 'in', transferLength: 32 }), 5, 0x24, 0);
    expect(s.senseKeySpecific).toMatchObject({ fieldPointer: 1, bitPointerValid: true, bitPointer: 4 });
  });
});

describe('TEST UNIT READY, START STOP UNIT, REQUEST SENSE', () => {
  it('a stopped unit is NOT READY 04h/02h until started; REQUEST SENSE says so', async () => {
    const disk = new EmulatedDisk();
    await good(disk, buildTestUnitReady());
    await good(disk, buildStartStopUnit({ start: false }));
    expectSense(await send(disk, buildTestUnitReady()), 2, 0x04, 0x02);
    const rs = await good(disk, buildRequestSense());
    expect(decodeSense(rs.data)).toMatchObject({ senseKey: 2, asc: 4, ascq: 2 });
    await good(disk, buildInquiry());
    await good(disk, buildStartStopUnit({ start: true }));
    await good(disk, buildTestUnitReady());
  });

  it('REQUEST SENSE reports NO SENSE when nothing is pending, descriptor format on DESC', async () => {
    const disk = new EmulatedDisk();
    expect(decodeSense((await good(disk, buildRequestSense())).data)).toMatchObject({
      format: 'fixed',
      senseKey: 0,
    });
    expect(decodeSense((await good(disk, buildRequestSense({ desc: true }))).data)).toMatchObject({
      format: 'descriptor',
    });
  });

  it('powerOnUnitAttention reports 29h/00h once per connection', async () => {
    const disk = new EmulatedDisk({ powerOnUnitAttention: true });
    expectSense(await send(disk, buildTestUnitReady()), 6, 0x29, 0);
    await good(disk, buildTestUnitReady());
    const b = disk.connect();
    await good(b, buildInquiry()); // INQUIRY does not report a unit attention
    expectSense(await send(b, buildTestUnitReady()), 6, 0x29, 0);
  });
});

describe('MODE SENSE / MODE SELECT', () => {
  it('MODE SENSE(6) all pages: block descriptor and pages 01 08 0A 1C', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 1000 } });
    const ms = decodeModeSense6((await good(disk, buildModeSense6({ pageCode: 0x3f }))).data);
    expect(ms.pages.map((p) => p.pageCode)).toEqual([0x01, 0x08, 0x0a, 0x1c]);
    expect(ms.blockDescriptors[0]).toMatchObject({ numberOfBlocks: 1000, blockLength: 512 });
    expect(ms.truncated).toBe(false);
  });

  it('MODE SENSE(10) with LLBAA returns a long block descriptor', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 1000 }, blockLength: 4096 });
    const ms = decodeModeSense10((await good(disk, buildModeSense10({ pageCode: 0x08, llbaa: true }))).data);
    expect(ms.blockDescriptors[0]).toMatchObject({ numberOfLogicalBlocks: 1000n, blockLength: 4096 });
  });

  it('changeable, default and saved values; MODE SELECT saves WCE with SP and honours the mask', async () => {
    const disk = new EmulatedDisk({ writeCache: true });
    const caching = async (pageControl: 'current' | 'changeable' | 'default' | 'saved') =>
      decodeCachingPage(
        findModePage(
          decodeModeSense10((await good(disk, buildModeSense10({ pageCode: 8, pageControl }))).data),
          8,
        )!.raw,
      );
    expect((await caching('current')).wce).toBe(true);
    expect(await caching('changeable')).toMatchObject({ wce: true, rcd: true, dra: false });
    const raw = findModePage(
      decodeModeSense10((await good(disk, buildModeSense10({ pageCode: 8 }))).data),
      8,
    )!.raw;
    const off = buildModeSelectData({ headerSize: 10, pages: [encodeCachingPage({ wce: false }, raw)] });
    await good(disk, buildModeSelect10({ parameterListLength: off.length, sp: true }), off);
    expect((await caching('current')).wce).toBe(false);
    expect((await caching('saved')).wce).toBe(false);
    expect((await caching('default')).wce).toBe(true);
    // DRA is not changeable: INVALID FIELD IN PARAMETER LIST at page byte 12, bit 5.
    const bad = buildModeSelectData({ headerSize: 10, pages: [encodeCachingPage({ dra: true }, raw)] });
    const r = await send(disk, buildModeSelect10({ parameterListLength: bad.length }), bad);
    const s = expectSense(r, 5, 0x26, 0);
    expect(s.senseKeySpecific).toMatchObject({ commandData: false, fieldPointer: 8 + 12, bitPointer: 5 });
  });

  it('MODE SELECT gives other initiators MODE PARAMETERS CHANGED', async () => {
    const disk = new EmulatedDisk();
    const other = disk.connect();
    const raw = findModePage(
      decodeModeSense10((await good(disk, buildModeSense10({ pageCode: 0x0a }))).data),
      0x0a,
    )!.raw;
    expect(decodeControlPage(raw).dSense).toBe(false);
    const data = buildModeSelectData({ headerSize: 10, pages: [raw] });
    await good(disk, buildModeSelect10({ parameterListLength: data.length }), data);
    expectSense(await send(other, buildTestUnitReady()), 6, 0x2a, 0x01);
  });

  it('an unknown page is INVALID FIELD IN CDB at byte 2', async () => {
    const disk = new EmulatedDisk();
    expectSense(await send(disk, buildModeSense6({ pageCode: 0x19 })), 5, 0x24, 0);
  });
});

describe('LOG SENSE', () => {
  it('supported pages, temperature, error counters, self-test results', async () => {
    const disk = new EmulatedDisk();
    const page = async (pageCode: number) =>
      decodeLogPage((await good(disk, buildLogSense({ pageCode }))).data);
    const supported = await page(0);
    expect(supported.fields).toEqual({
      page: 'supportedPages',
      supportedPages: [0x00, 0x02, 0x03, 0x05, 0x0d, 0x10, 0x15, 0x2f],
    });
    expect((await page(0x0d)).fields).toEqual({
      page: 'temperature',
      temperature: 35,
      referenceTemperature: 65,
    });
    await good(disk, {
      cdb: new Uint8Array([0x28, 0, 0, 0, 0, 0, 0, 0, 2, 0]),
      direction: 'in',
      transferLength: 1024,
      name: 'READ(10)',
    });
    expect((await page(0x03)).fields).toMatchObject({
      page: 'readErrorCounter',
      totalBytesProcessed: 1024n,
      totalUncorrectedErrors: 0n,
    });
    await good(disk, {
      cdb: new Uint8Array([0x1d, 0x20, 0, 0, 0, 0]),
      direction: 'none',
      transferLength: 0,
      name: 'SEND DIAGNOSTIC',
    });
    const st = (await page(0x10)).fields;
    if (st?.page !== 'selfTestResults') throw new Error('no self-test page');
    expect(st.results).toHaveLength(20);
    expect(st.results[0]).toMatchObject({ selfTestCode: 1, selfTestResults: 0 });
    expectSense(await send(disk, buildLogSense({ pageCode: 0x2e })), 5, 0x24, 0);
  });
});

describe('REPORT LUNS, REPORT SUPPORTED OPERATION CODES', () => {
  it('REPORT LUNS lists LUN 0', async () => {
    const disk = new EmulatedDisk();
    const luns = decodeReportLuns((await good(disk, buildReportLuns())).data);
    expect(luns.luns.map((l) => l.lun)).toEqual([0n]);
  });

  it('all commands, with timeouts when RCTD', async () => {
    const disk = new EmulatedDisk({ thinProvisioning: true });
    const all = decodeSupportedOpcodesAll(
      (await good(disk, buildReportSupportedOperationCodes({ mode: 'all', rctd: true }))).data,
    );
    expect(all.truncated).toBe(false);
    const names = all.commands.map((c) => c.name);
    for (const n of [
      'INQUIRY',
      'READ(16)',
      'WRITE SAME(16)',
      'UNMAP',
      'COMPARE AND WRITE',
      'READ CAPACITY(16)',
    ])
      expect(names).toContain(n);
    expect(all.commands.every((c) => c.timeouts !== undefined)).toBe(true);
    const one = decodeSupportedOpcodeOne(
      (await good(disk, buildReportSupportedOperationCodes({ mode: 'one', opcode: 0x28, rctd: true }))).data,
    );
    expect(one).toMatchObject({ support: 'supportedStandard', cdbSize: 10, ctdp: true });
    expect(one.cdbUsageData[0]).toBe(0x28);
    const sa = decodeSupportedOpcodeOne(
      (
        await good(
          disk,
          buildReportSupportedOperationCodes({ mode: 'one', opcode: 0x9e, serviceAction: 0x10 }),
        )
      ).data,
    );
    expect(sa.support).toBe('supportedStandard');
    const missing = decodeSupportedOpcodeOne(
      (await good(disk, buildReportSupportedOperationCodes({ mode: 'one', opcode: 0xc5 }))).data,
    );
    expect(missing.support).toBe('notSupported');
  });
});

describe('READ MEDIA SERIAL NUMBER', () => {
  it('answers the configured serial, space-padded to a multiple of 4, and cut by the allocation length', async () => {
    const disk = new EmulatedDisk({ mediaSerialNumber: 'MEDIA42' });
    const d = decodeMediaSerialNumber((await good(disk, buildReadMediaSerialNumber())).data);
    expect(d).toMatchObject({ mediaSerialNumberLength: 8, text: 'MEDIA42', truncated: false });
    const cut = decodeMediaSerialNumber(
      (await good(disk, buildReadMediaSerialNumber({ allocationLength: 6 }))).data,
    );
    expect(cut).toMatchObject({ text: 'ME', truncated: true, requiredLength: 12 });
    const none = new EmulatedDisk({ mediaSerialNumber: '' });
    expect(
      decodeMediaSerialNumber((await good(none, buildReadMediaSerialNumber())).data).mediaSerialNumberLength,
    ).toBe(0);
  });

  it('is listed by REPORT SUPPORTED OPERATION CODES only when configured', async () => {
    const one = (d: EmulatedDisk) =>
      good(d, buildReportSupportedOperationCodes({ mode: 'one', opcode: 0xab, serviceAction: 0x01 })).then(
        (r) => decodeSupportedOpcodeOne(r.data),
      );
    expect(await one(new EmulatedDisk({ mediaSerialNumber: 'X' }))).toMatchObject({
      support: 'supportedStandard',
      cdbSize: 12,
    });
    const all = async (d: EmulatedDisk) =>
      decodeSupportedOpcodesAll((await good(d, buildReportSupportedOperationCodes({ mode: 'all' }))).data)
        .commands.filter((c) => c.operationCode === 0xab)
        .map((c) => c.serviceAction);
    expect(await all(new EmulatedDisk({ mediaSerialNumber: 'X' }))).toEqual([0x01]);
    expect(await all(new EmulatedDisk())).toEqual([]);
  });

  it('without a configured serial it is INVALID COMMAND OPERATION CODE; NOT READY when stopped; reserved bits checked', async () => {
    expectSense(await send(new EmulatedDisk(), buildReadMediaSerialNumber()), 5, 0x20, 0);
    const disk = new EmulatedDisk({ mediaSerialNumber: 'X' });
    const cdb = buildReadMediaSerialNumber();
    cdb.cdb[3] = 1;
    const s = expectSense(await send(disk, cdb), 5, 0x24, 0);
    expect(s.senseKeySpecific).toMatchObject({ fieldPointer: 3 });
    await good(disk, buildStartStopUnit({ start: false }));
    expectSense(await send(disk, buildReadMediaSerialNumber()), 2, 0x04, 0x02);
  });
});

describe('command definitions take their facts from the registry', () => {
  it('registered(): length and reservation class from the entry; no entry, no definition', () => {
    expect(registered(0x35)).toEqual({ opcode: 0x35, cdbLength: 10, access: 'write' });
    expect(registered(0x9e, 0x12)).toEqual({
      opcode: 0x9e,
      serviceAction: 0x12,
      cdbLength: 16,
      access: 'read',
    });
    expect(registered(0x5f, 0x07)).toMatchObject({ serviceAction: 0x07, access: 'none' }); // the 'any' entry
    expect(() => registered(0xc5)).toThrowError(/registry has no opcode c5h/);
    expect(() => registered(0x9e, 0x1f)).toThrowError(/service action 1fh/);
    expect(() => registered(0x9e)).toThrowError(/registry has no opcode 9eh/);
  });
});

import {
  ataRegistersFromSense,
  buildAtaIdentifyDevice,
  buildAtaPassThrough16,
  buildAtaSmartReadData,
  buildAtaSmartReadThresholds,
  buildAtaSmartReturnStatus,
  buildLogSense,
  decodeAtaIdentify,
  decodeAtaSmartData,
  decodeAtaSmartThresholds,
  decodeLogPage,
  decodeSense,
} from '@scsikit/cdb';
import { describe, expect, it } from 'vitest';
import { EmulatedDisk } from '../src/index.js';
import { expectSense, good, send } from './helpers.js';

describe('health log pages', () => {
  it('Informational Exceptions (2Fh): none by default, the exception set in disk.health, the temperature', async () => {
    const disk = new EmulatedDisk();
    const ie = async () => decodeLogPage((await good(disk, buildLogSense({ pageCode: 0x2f }))).data).fields;
    expect(await ie()).toEqual({
      page: 'informationalExceptions',
      asc: 0,
      ascq: 0,
      mostRecentTemperatureReading: 35,
    });
    disk.health.informationalException = { asc: 0x5d, ascq: 0x10 };
    expect(await ie()).toMatchObject({ asc: 0x5d, ascq: 0x10 });
  });

  it('Background Scan Results (15h): status parameter and one medium error entry', async () => {
    const disk = new EmulatedDisk();
    disk.health.backgroundScan = { status: 3, errors: [{ lba: 1234n }] };
    const f = decodeLogPage((await good(disk, buildLogSense({ pageCode: 0x15 }))).data).fields;
    if (f?.page !== 'backgroundScanResults') throw new Error('no page 15h');
    expect(f.status?.backgroundScanStatus).toBe(3);
    expect(f.mediumScans).toHaveLength(1);
    expect(f.mediumScans[0]).toMatchObject({ senseKey: 3, asc: 0x11, ascq: 0, logicalBlockAddress: 1234n });
  });

  it('self-test results recorded through disk.health', async () => {
    const disk = new EmulatedDisk();
    disk.health.recordSelfTest({ code: 2, result: 7 });
    const f = decodeLogPage((await good(disk, buildLogSense({ pageCode: 0x10 }))).data).fields;
    if (f?.page !== 'selfTestResults') throw new Error('no page 10h');
    expect(f.results[0]).toMatchObject({ selfTestCode: 2, selfTestResults: 7 });
  });
});

describe('ATA PASS-THROUGH (ata: true)', () => {
  it('is INVALID COMMAND OPERATION CODE on a plain disk', async () => {
    expectSense(await send(new EmulatedDisk(), buildAtaSmartReturnStatus()), 5, 0x20, 0);
  });

  it('INQUIRY vendor defaults to ATA; IDENTIFY DEVICE reports SMART supported and enabled', async () => {
    const disk = new EmulatedDisk({ ata: true, serial: 'SN-ATA-1' });
    expect(disk.options.vendor).toBe('ATA');
    const id = decodeAtaIdentify((await good(disk, buildAtaIdentifyDevice())).data);
    expect(id).toMatchObject({
      serialNumber: 'SN-ATA-1',
      smart: { supported: true, enabled: true },
      checksumValid: true,
    });
    expect(id.userAddressableSectors).toBe(BigInt(disk.options.blocks));
  });

  it('SMART RETURN STATUS: registers 4Fh/C2h in RECOVERED ERROR 00h/1Dh sense, F4h/2Ch when failing, both formats', async () => {
    const disk = new EmulatedDisk({ ata: true });
    const regs = async (d: EmulatedDisk) => {
      const s = expectSense(await send(d, buildAtaSmartReturnStatus()), 1, 0x00, 0x1d);
      return ataRegistersFromSense(s);
    };
    expect(await regs(disk)).toMatchObject({ source: 'fixed', lbaMid: 0x4f, lbaHigh: 0xc2, status: 0x50 });
    disk.health.smartFailing = true;
    expect(await regs(disk)).toMatchObject({ lbaMid: 0xf4, lbaHigh: 0x2c });
    const dsense = new EmulatedDisk({ ata: true, descriptorSense: true });
    expect(await regs(dsense)).toMatchObject({ source: 'descriptor', lbaMid: 0x4f, lbaHigh: 0xc2 });
    // Without CK_COND the SATL has nothing to report: GOOD, no sense.
    const r = await send(disk, buildAtaSmartReturnStatus({ ckCond: false }));
    expect([r.status, r.sense.length]).toEqual([0, 0]);
  });

  it('SMART READ DATA and READ THRESHOLDS: the attribute table of disk.health, checksummed', async () => {
    const disk = new EmulatedDisk({ ata: true });
    disk.health.smartAttributes = [{ id: 5, flags: 0x33, current: 30, worst: 30, threshold: 36, raw: 812n }];
    const t = decodeAtaSmartThresholds((await good(disk, buildAtaSmartReadThresholds())).data);
    const d = decodeAtaSmartData((await good(disk, buildAtaSmartReadData())).data, t);
    expect(d.checksumValid).toBe(true);
    expect(d.attributes).toHaveLength(1);
    expect(d.attributes[0]).toMatchObject({
      id: 5,
      prefailure: true,
      raw: 812n,
      threshold: 36,
      whenFailed: 'FAILING_NOW',
    });
  });

  it('aborts what the drive would: another SMART feature, no signature, an unknown command', async () => {
    const disk = new EmulatedDisk({ ata: true });
    const abort = async (p: Parameters<typeof buildAtaPassThrough16>[0]) => {
      const s = expectSense(await send(disk, buildAtaPassThrough16({ ...p, ckCond: true })), 0x0b, 0, 0);
      expect(ataRegistersFromSense(s, { passThrough: true })).toMatchObject({ status: 0x51, error: 0x04 });
    };
    await abort({ protocol: 'nonData', command: 0xb0, features: 0xd8, lba: 0xc24f00 });
    await abort({ protocol: 'nonData', command: 0xb0, features: 0xda });
    await abort({ protocol: 'nonData', command: 0xe7 });
    // The wrong protocol for the command is the CDB's fault: INVALID FIELD IN CDB.
    const wrong = buildAtaPassThrough16({
      protocol: 'nonData',
      command: 0xb0,
      features: 0xd0,
      lba: 0xc24f00,
    });
    const s = decodeSense((await send(disk, wrong)).sense);
    expect(s.format !== 'vendor' && [s.senseKey, s.asc]).toEqual([5, 0x24]);
  });
});

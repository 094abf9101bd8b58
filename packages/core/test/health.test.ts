/**
 * device.health() and device.ata.smartReturnStatus() through openDevice(emulatedDisk), read-only:
 * the PASSED and FAILED paths of each source, the read-only guard letting SMART RETURN STATUS
 * through, and the typed errors.
 */
import { applyModePageChanges, DecodeError } from '@scsikit/cdb';
import { EmulatedDisk } from '@scsikit/emulated-disk';
import { describe, expect, it } from 'vitest';
import { CheckConditionError, openDevice } from '../src/index.js';

async function open(options: ConstructorParameters<typeof EmulatedDisk>[0] = {}) {
  const disk = new EmulatedDisk({ capacity: { blocks: 2048 }, ...options });
  // Read-only: every command health() sends must be read-class.
  const dev = await openDevice(disk, { write: false, retry: false });
  return { disk, dev };
}

describe('device.ata.smartReturnStatus (SAT)', () => {
  it('ok on a healthy drive, thresholdExceeded on a failing one, on a read-only open', async () => {
    const { disk, dev } = await open({ ata: true });
    expect(dev.writable).toBe(false);
    expect(await dev.ata.smartReturnStatus()).toMatchObject({
      status: 'ok',
      registers: { lbaMid: 0x4f, lbaHigh: 0xc2 },
    });
    disk.health.smartFailing = true;
    expect((await dev.ata.smartReturnStatus()).status).toBe('thresholdExceeded');
    expect(disk.recorder.commands().at(-1)).toBe('ATA PASS-THROUGH(16)');
  });

  it('reads the registers from descriptor-format sense too', async () => {
    const { dev } = await open({ ata: true, descriptorSense: true });
    expect(await dev.ata.smartReturnStatus()).toMatchObject({
      status: 'ok',
      registers: { source: 'descriptor' },
    });
  });

  it('a disk without a SAT layer: the CheckConditionError (invalid operation code)', async () => {
    const { dev } = await open();
    const e = await dev.ata.smartReturnStatus().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CheckConditionError);
    expect((e as CheckConditionError).asc).toBe(0x20);
  });

  it('smartAttributes: thresholds and WHEN_FAILED', async () => {
    const { disk, dev } = await open({ ata: true });
    disk.health.smartAttributes = [
      { id: 5, flags: 0x33, current: 100, worst: 30, threshold: 36, raw: 0n },
      { id: 197, flags: 0x12, current: 100, worst: 100, threshold: 0, raw: 3n },
    ];
    const d = await dev.ata.smartAttributes();
    expect(d.attributes.map((a) => [a.id, a.name, a.whenFailed])).toEqual([
      [5, 'Reallocated_Sector_Ct', 'In_the_past'],
      [197, 'Current_Pending_Sector', ''],
    ]);
  });
});

describe('device.health()', () => {
  it('ATA: PASSED from SMART RETURN STATUS and the attributes', async () => {
    const { dev } = await open({ ata: true });
    const h = await dev.health();
    expect(h).toMatchObject({ verdict: 'PASSED', protocol: 'ata', reasons: [], temperatureCelsius: 35 });
    expect(h.sources).toEqual([
      { source: 'smartReturnStatus', status: 'ok' },
      { source: 'smartAttributes', status: 'ok' },
    ]);
  });

  it('ATA: FAILED when SMART RETURN STATUS says threshold exceeded', async () => {
    const { disk, dev } = await open({ ata: true });
    disk.health.smartFailing = true;
    const h = await dev.health();
    expect(h.verdict).toBe('FAILED');
    expect(h.reasons).toEqual([
      expect.objectContaining({ kind: 'smartThresholdExceeded', severity: 'failure' }),
    ]);
  });

  it('ATA: a pre-failure attribute failing now is a failure, an old-age one or a past failure a warning', async () => {
    const { disk, dev } = await open({ ata: true });
    disk.health.smartAttributes = [
      { id: 190, flags: 0x22, current: 40, worst: 40, threshold: 45, raw: 60n },
      { id: 5, flags: 0x33, current: 100, worst: 30, threshold: 36, raw: 0n },
    ];
    let h = await dev.health();
    expect(h.verdict).toBe('PASSED');
    expect(h.reasons.map((r) => [r.kind, r.severity])).toEqual([
      ['attributeFailingNow', 'warning'],
      ['attributeFailedInPast', 'warning'],
    ]);
    disk.health.smartAttributes = [{ id: 5, flags: 0x33, current: 20, worst: 20, threshold: 36, raw: 900n }];
    h = await dev.health();
    expect(h.verdict).toBe('FAILED');
    expect(h.reasons[0]).toMatchObject({
      kind: 'attributeFailingNow',
      id: 5,
      name: 'Reallocated_Sector_Ct',
      prefailure: true,
    });
  });

  it('SCSI: PASSED from the IE log page, with its temperature', async () => {
    const { dev } = await open();
    const h = await dev.health();
    expect(h).toMatchObject({ verdict: 'PASSED', protocol: 'scsi', reasons: [], temperatureCelsius: 35 });
    expect(h.sources).toEqual([
      { source: 'informationalExceptionsLog', status: 'ok' },
      { source: 'selfTestLog', status: 'ok' },
      { source: 'backgroundScanLog', status: 'ok' },
    ]);
  });

  it('SCSI: FAILED on an informational exception (5Dh failure prediction)', async () => {
    const { disk, dev } = await open();
    disk.health.informationalException = { asc: 0x5d, ascq: 0x10 };
    const h = await dev.health();
    expect(h.verdict).toBe('FAILED');
    expect(h.reasons).toEqual([
      expect.objectContaining({ kind: 'informationalException', asc: 0x5d, ascq: 0x10, severity: 'failure' }),
    ]);
    expect((h.reasons[0] as { description: string }).description).toMatch(
      /impending failure general hard drive failure/i,
    );
  });

  it('SCSI: the newest self-test with a failed segment fails; an older one only warns', async () => {
    const { disk, dev } = await open();
    disk.health.recordSelfTest({ code: 2, result: 7 });
    let h = await dev.health();
    expect(h.verdict).toBe('FAILED');
    expect(h.reasons[0]).toMatchObject({ kind: 'selfTestFailed', parameterCode: 1, selfTestResults: 7 });
    disk.health.recordSelfTest({ code: 1, result: 0 });
    h = await dev.health();
    expect(h.verdict).toBe('PASSED');
    expect(h.reasons[0]).toMatchObject({ kind: 'selfTestFailed', parameterCode: 2, severity: 'warning' });
  });

  it('SCSI: background scan halted by a fatal error fails; medium errors warn', async () => {
    const { disk, dev } = await open();
    disk.health.backgroundScan = { status: 0, errors: [{ lba: 77n }] };
    let h = await dev.health();
    expect(h.verdict).toBe('PASSED');
    expect(h.reasons).toEqual([
      expect.objectContaining({ kind: 'backgroundScanMediumErrors', mediumErrors: 1 }),
    ]);
    disk.health.backgroundScan = { status: 3, errors: [] };
    h = await dev.health();
    expect(h.verdict).toBe('FAILED');
    expect(h.reasons[0]).toMatchObject({ kind: 'backgroundScanHalted', backgroundScanStatus: 3 });
  });

  it('SCSI without the IE log page: mode page 1Ch, then REQUEST SENSE once exceptions are enabled (smartctl)', async () => {
    const { disk, dev } = await open();
    // A device without LOG SENSE: every log source unsupported.
    disk.faults.add({ opcode: 0x4d, effect: { status: 2, sense: { key: 5, asc: 0x20, ascq: 0 } } });
    let h = await dev.health();
    expect(h.verdict).toBe('UNKNOWN');
    expect(h.sources.map((s) => [s.source, s.status])).toEqual([
      ['informationalExceptionsLog', 'unsupported'],
      ['informationalExceptionsMode', 'ok'],
      ['requestSense', 'unsupported'],
      ['selfTestLog', 'unsupported'],
      ['backgroundScanLog', 'unsupported'],
    ]);
    // Enable informational exceptions, reported on request (DEXCPT 0, MRIE 6).
    const w = await openDevice(disk, { write: true, retry: false });
    const cur = (await w.modeSense(0x1c)).pages[0];
    const ch = (await w.modeSense(0x1c, { pageControl: 'changeable' })).pages[0];
    if (cur === undefined || ch === undefined) throw new Error('no page 1Ch');
    await w.modeSelect([applyModePageChanges(cur, ch, { dexcpt: false, mrie: 6 })]);
    h = await dev.health();
    expect(h.verdict).toBe('PASSED');
    expect(h.sources[2]).toEqual({ source: 'requestSense', status: 'ok' });
    disk.health.informationalException = { asc: 0x5d, ascq: 0x10 };
    h = await dev.health();
    expect(h.verdict).toBe('FAILED');
    expect(h.reasons[0]).toMatchObject({ kind: 'informationalException', source: 'requestSense', asc: 0x5d });
  });

  it("protocol 'ata' on a disk without SAT: UNKNOWN, the sources say why", async () => {
    const { dev } = await open();
    const h = await dev.health({ protocol: 'ata' });
    expect(h.verdict).toBe('UNKNOWN');
    expect(h.sources.map((s) => [s.source, s.status])).toEqual([
      ['smartReturnStatus', 'unsupported'],
      ['smartAttributes', 'unsupported'],
    ]);
  });

  it('a SATL that ignores CK_COND: a DecodeError from smartReturnStatus, an error source in health()', async () => {
    const { disk, dev } = await open({ ata: true });
    // The SATL answers GOOD without sense: what a bridge that drops CK_COND does.
    disk.faults.add({ opcode: 0x85, effect: { status: 0 }, count: 2 });
    const e = await dev.ata.smartReturnStatus().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DecodeError);
    const h = await dev.health(); // the rule's second firing: SMART RETURN STATUS again
    expect(h.sources[0]).toMatchObject({ source: 'smartReturnStatus', status: 'error' });
    expect(h.sources[0]?.error).toMatch(/CK_COND/);
    // The attributes still answered: smartctl's "PASSED, based on an attribute check".
    expect(h.verdict).toBe('PASSED');
  });
});

/**
 * device.health() against scsi_debug (default profile). scsi_debug's log pages are 00h, 0Dh and 2Fh
 * (resp_log_sense): no self-test or background scan log. Its IE log page reports ASC 0 and 38 °C
 * until the IE control mode page's TEST bit is set, then 5Dh/FFh (FAILURE PREDICTION THRESHOLD
 * EXCEEDED (FALSE), resp_ie_l_pg); MODE SELECT of page 1Ch copies TEST through (resp_mode_select).
 */
import { applyModePageChanges } from '@scsikit/cdb';
import { readLabManifest } from '@scsikit/lab';
import { afterAll, describe, expect, it } from 'vitest';
import { openDevice } from '../src/index.js';

const disk = readLabManifest().devices[0]!;

async function setIeTest(test: boolean): Promise<void> {
  await using dev = await openDevice(disk.bsg, { write: true });
  const current = (await dev.modeSense(0x1c, { pageControl: 'current' })).pages.find(
    (p) => p.pageCode === 0x1c,
  );
  const changeable = (await dev.modeSense(0x1c, { pageControl: 'changeable' })).pages.find(
    (p) => p.pageCode === 0x1c,
  );
  if (current === undefined || changeable === undefined) throw new Error('no IE control mode page 1Ch');
  await dev.modeSelect([applyModePageChanges(current, changeable, { test })]);
}

describe(`health() on scsi_debug ${disk.bsg}`, () => {
  afterAll(() => setIeTest(false));

  it('PASSED on a read-only open, from the IE log page (38 °C); no self-test or background scan log', async () => {
    await using dev = await openDevice(disk.bsg);
    expect(dev.writable).toBe(false);
    const h = await dev.health();
    expect(h).toEqual({
      verdict: 'PASSED',
      protocol: 'scsi',
      reasons: [],
      sources: [
        { source: 'informationalExceptionsLog', status: 'ok' },
        { source: 'selfTestLog', status: 'unsupported' },
        { source: 'backgroundScanLog', status: 'unsupported' },
      ],
      temperatureCelsius: 38,
    });
  });

  it('FAILED once the IE mode page TEST bit makes the log report 5Dh/FFh', async () => {
    await setIeTest(true);
    await using dev = await openDevice(disk.bsg);
    const h = await dev.health();
    expect(h.verdict).toBe('FAILED');
    expect(h.reasons).toEqual([
      expect.objectContaining({
        kind: 'informationalException',
        source: 'informationalExceptionsLog',
        severity: 'failure',
        asc: 0x5d,
        ascq: 0xff,
      }),
    ]);
    await setIeTest(false);
    expect((await dev.health()).verdict).toBe('PASSED');
  });

  it('SMART RETURN STATUS is refused by scsi_debug (no SATL): a typed CheckConditionError', async () => {
    await using dev = await openDevice(disk.bsg);
    const e = await dev.ata.smartReturnStatus().catch((x: unknown) => x);
    expect((e as { name?: string }).name).toBe('CheckConditionError');
    expect((e as { senseKey: number }).senseKey).toBe(5);
  });
});

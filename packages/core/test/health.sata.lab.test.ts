/**
 * SMART through libata's SAT layer on QEMU's AHCI ide-hd (sata profile). QEMU's IDE model answers
 * SMART RETURN STATUS with 4Fh/C2h (F4h/2Ch only after internal errors it counts, which nothing
 * here can provoke: the FAILED path is covered by the emulated disk and the default profile), and
 * a fixed attribute table (hw/ide/core.c smart_attributes): IDs 1, 3, 4, 5, 9, 12, 190 with
 * thresholds 6, 0, 20, 36, 0, 0, 50.
 */
import { readLabManifest } from '@scsikit/lab';
import { describe, expect, it } from 'vitest';
import { openDevice } from '../src/index.js';

const disk = readLabManifest().devices[0]!;

describe(`SMART on the SATA disk ${disk.bsg}`, () => {
  it('libata presents it with INQUIRY vendor "ATA"', async () => {
    await using dev = await openDevice(disk.bsg);
    expect((await dev.inquiry()).vendor?.trim()).toBe('ATA');
  });

  it('SMART RETURN STATUS on a read-only open: ok, LBA mid/high 4Fh/C2h in the sense data libata returns', async () => {
    await using dev = await openDevice(disk.bsg);
    expect(dev.writable).toBe(false);
    const s = await dev.ata.smartReturnStatus();
    expect(s.status).toBe('ok');
    expect(s.registers).toMatchObject({ lbaMid: 0x4f, lbaHigh: 0xc2, error: 0 });
    // Observed on 7.3.4: libata answers an ATA PASS-THROUGH in descriptor format (ATA Status Return
    // descriptor 09h) although its control mode page says D_SENSE 0.
    expect(s.registers.source).toBe('descriptor');
    const control = (await dev.modeSense(0x0a)).pages.find((p) => p.pageCode === 0x0a);
    expect(control?.fields).toMatchObject({ page: 'control', dSense: false });
    expect(s.registers.status & 0x01).toBe(0);
  });

  it("the attribute table: QEMU's IDs and thresholds, nothing failing", async () => {
    await using dev = await openDevice(disk.bsg);
    const d = await dev.ata.smartAttributes();
    expect(d.checksumValid).toBe(true);
    expect(d.attributes.map((a) => [a.id, a.threshold])).toEqual([
      [1, 6],
      [3, 0],
      [4, 20],
      [5, 36],
      [9, 0],
      [12, 0],
      [190, 50],
    ]);
    expect(d.attributes.find((a) => a.id === 5)?.name).toBe('Reallocated_Sector_Ct');
    expect(d.attributes.every((a) => a.whenFailed === '')).toBe(true);
  });

  it('health(): PASSED through the ATA path, both sources answered', async () => {
    await using dev = await openDevice(disk.bsg);
    const h = await dev.health();
    expect(h).toEqual({
      verdict: 'PASSED',
      protocol: 'ata',
      reasons: [],
      sources: [
        { source: 'smartReturnStatus', status: 'ok' },
        { source: 'smartAttributes', status: 'ok' },
      ],
    });
  });
});

/** `scsikit health`: smartctl -H-like text, --json against its schema, exit 0 / 8 / 4. */
import { EmulatedDisk } from '@scsikit/emulated-disk';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.js';
import { cli, cliJson } from './helpers.js';

describe('scsikit health', () => {
  it('SATA disk behind SAT, PASSED: smartctl -H wording, exit 0, opened read-only', async () => {
    const r = await cli(['health', '/dev/sda'], { transport: new EmulatedDisk({ ata: true }) });
    expect(r.code).toBe(0);
    expect(r.opened.map((o) => o.write)).toEqual([false]);
    expect(r.stdout).toContain('SMART overall-health self-assessment test result: PASSED\n');
    expect(r.stdout).toContain('Sources: smartReturnStatus ok, smartAttributes ok');
  });

  it('SATA disk, FAILED: the warning line and exit 8 (smartctl bit 3, disk failing)', async () => {
    const disk = new EmulatedDisk({ ata: true });
    disk.health.smartFailing = true;
    const r = await cli(['health', '/dev/sda'], { transport: disk });
    expect(r.code).toBe(EXIT.HEALTH_FAILED);
    expect(r.code).toBe(8);
    expect(r.stdout).toContain('SMART overall-health self-assessment test result: FAILED!\n');
    expect(r.stdout).toContain('Drive failure expected in less than 24 hours. SAVE ALL DATA.');
  });

  it('SCSI disk: "SMART Health Status: OK" and the temperature', async () => {
    const r = await cli(['health', '/dev/sda']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SMART Health Status: OK\n');
    expect(r.stdout).toContain('Current Drive Temperature:     35 C');
  });

  it('SCSI disk, informational exception: the ASC text with asc/ascq, exit 8; --json validates', async () => {
    const disk = new EmulatedDisk();
    disk.health.informationalException = { asc: 0x5d, ascq: 0xff };
    const r = await cli(['health', '/dev/sda'], { transport: disk });
    expect(r.code).toBe(8);
    expect(r.stdout).toContain(
      'SMART Health Status: Failure prediction threshold exceeded (false) [asc=5d, ascq=ff]\n',
    );
    const doc = await cliJson('health', ['/dev/sda'], { transport: disk, code: 8 });
    expect(doc).toMatchObject({ verdict: 'FAILED', protocol: 'scsi', temperatureCelsius: 35 });
    expect(doc.reasons).toEqual([
      expect.objectContaining({ kind: 'informationalException', asc: 0x5d, ascq: 0xff, severity: 'failure' }),
    ]);
  });

  it('UNKNOWN (--protocol ata on a disk without SAT): exit 4, the sources say why', async () => {
    const doc = await cliJson('health', ['/dev/sda', '--protocol', 'ata'], { code: EXIT.HEALTH_UNKNOWN });
    expect(doc.verdict).toBe('UNKNOWN');
    const r = await cli(['health', '/dev/sda', '--protocol', 'ata']);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain('SMART overall-health self-assessment test result: UNKNOWN!');
    expect(r.stdout).toContain('smartReturnStatus unsupported');
  });

  it('a self-test failure in the JSON: the bigint LBA as a decimal string, when given', async () => {
    const disk = new EmulatedDisk();
    disk.health.recordSelfTest({ code: 2, result: 5 });
    const doc = await cliJson('health', ['/dev/sda'], { transport: disk, code: 8 });
    expect(doc.reasons).toEqual([expect.objectContaining({ kind: 'selfTestFailed', selfTestResults: 5 })]);
  });
});

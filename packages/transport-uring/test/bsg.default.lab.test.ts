import { readLabManifest } from '@scsikit/lab';
import { describe, expect, it } from 'vitest';
import { openBsg, UringRing } from '../src/index.js';

// The kernel interface end to end from Node, in the lab guest (Linux ≥ 7.1, scsi_debug).
const manifest = readLabManifest();
const disk = manifest.devices.find((d) => d.kind === 'scsi_debug');

describe('IORING_OP_URING_CMD on /dev/bsg (default profile)', () => {
  it('the default profile has a scsi_debug disk', () => {
    expect(disk).toBeDefined();
  });

  it('INQUIRY returns vendor Linux, product scsi_debug', () => {
    const ring = new UringRing(8);
    const dev = openBsg(disk!.bsg);
    try {
      const data = new Uint8Array(96);
      const r = ring.execute(dev.fd, { cdb: new Uint8Array([0x12, 0, 0, 0, 96, 0]), direction: 'in', data });
      expect(r).toMatchObject({ res: 0, status: 0, hostStatus: 0, driverStatus: 0, senseLength: 0 });
      const text = new TextDecoder().decode(data.subarray(8, 32));
      expect(text.slice(0, 8).trim()).toBe('Linux');
      expect(text.slice(8, 24).trim()).toBe('scsi_debug');
      expect(r.residual).toBe(96 - (data[4]! + 5));
    } finally {
      dev.close();
      ring.close();
    }
  });

  it('READ(16) past the end returns CHECK CONDITION, ILLEGAL REQUEST, LBA out of range', () => {
    const ring = new UringRing(8);
    const dev = openBsg(disk!.bsg);
    try {
      // LBA 0x10000000 (128 GiB) on a 256 MiB disk, 1 block.
      const cdb = new Uint8Array([0x88, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
      const r = ring.execute(dev.fd, { cdb, direction: 'in', data: new Uint8Array(512) });
      expect(r.res).toBe(0);
      expect(r.status).toBe(0x02);
      expect(r.driverStatus).toBe(0x08);
      expect(r.senseLength).toBeGreaterThanOrEqual(14);
      expect(r.sense[0]! & 0x7f).toBe(0x70);
      expect(r.sense[2]! & 0x0f).toBe(0x05);
      expect(r.sense[12]).toBe(0x21);
      expect(r.sense[13]).toBe(0x00);
    } finally {
      dev.close();
      ring.close();
    }
  });
});

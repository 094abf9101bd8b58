import { readLabManifest } from '@scsikit/lab';
import { describe, expect, it } from 'vitest';
import { openBsg, UringRing } from '../src/ring.js';
import { SgioTransport } from '../src/sgio-transport.js';

// Debian bookworm's 6.1 kernel has no io_uring BSG passthrough (it landed in 7.1): the uring_cmd
// is refused with -EOPNOTSUPP in the CQE, the signal to fall back, and SG_IO answers instead.
const manifest = readLabManifest();
const disk = manifest.devices.find((d) => d.kind === 'scsi_debug');
const INQUIRY_96 = new Uint8Array([0x12, 0, 0, 0, 96, 0]);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();

describe('the SG_IO fallback on Linux 6.1 (legacy profile)', () => {
  it('boots the 6.1 kernel with a scsi_debug disk', () => {
    expect(manifest.kernel).toMatch(/^6\.1\.0-\d+-amd64$/);
    expect(disk).toBeDefined();
  });

  it('IORING_OP_URING_CMD on /dev/bsg completes with -EOPNOTSUPP (-95)', () => {
    const ring = new UringRing(8);
    const dev = openBsg(disk!.bsg);
    try {
      const r = ring.execute(dev.fd, { cdb: INQUIRY_96, direction: 'in', data: new Uint8Array(96) });
      expect(r.res).toBe(-95);
    } finally {
      dev.close();
      ring.close();
    }
  });

  it.each([
    ['v3', 'sg'],
    ['v4', 'bsg'],
  ] as const)('INQUIRY over SG_IO %s (/dev/%s) returns vendor Linux, product scsi_debug', async (_, node) => {
    const t = await SgioTransport.open(disk![node]);
    try {
      const r = await t.execute({ cdb: INQUIRY_96, direction: 'in', transferLength: 96 });
      expect(r).toMatchObject({ status: 0, hostStatus: 0, driverStatus: 0 });
      expect(r.sense.length).toBe(0);
      expect(text(r.data.subarray(8, 16))).toBe('Linux');
      expect(text(r.data.subarray(16, 32))).toBe('scsi_debug');
      expect(r.data.length).toBe((r.data[4] ?? 0) + 5);
      expect(r.residual).toBe(96 - r.data.length);
    } finally {
      await t.close();
    }
  });

  it('a READ(16) past the end is a CHECK CONDITION result over SG_IO, with sense', async () => {
    const t = await SgioTransport.open(disk!.sg);
    try {
      const cdb = new Uint8Array([0x88, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
      const r = await t.execute({ cdb, direction: 'in', transferLength: 512 });
      expect(r.status).toBe(0x02);
      expect(r.sense.length).toBeGreaterThanOrEqual(14);
      expect((r.sense[2] ?? 0) & 0x0f).toBe(0x05);
      expect(r.sense[12]).toBe(0x21);
    } finally {
      await t.close();
    }
  });
});

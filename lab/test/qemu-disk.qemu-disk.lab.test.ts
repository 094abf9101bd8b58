import {
  buildReadCapacity16,
  buildReportSupportedOperationCodes,
  decodeReadCapacity16,
  decodeSense,
} from '@scsikit/cdb';

import { describe, expect, it } from 'vitest';
import { manifest, send } from './lab-device.js';

describe("qemu-disk profile: QEMU's scsi-hd over virtio-scsi", () => {
  const disk = manifest.devices[0]!;

  it('is a QEMU HARDDISK of 64 MiB', () => {
    expect(disk.kind).toBe('qemu-hd');
    const cap = decodeReadCapacity16(send(disk, buildReadCapacity16()).data);
    expect(cap.capacityBytes).toBe(64n * 1024n * 1024n);
  });

  it('rejects REPORT SUPPORTED OPERATION CODES with ILLEGAL REQUEST, invalid command opcode (LAB.md)', () => {
    const r = send(disk, buildReportSupportedOperationCodes({ mode: 'all' }));
    expect(r.status).toBe(0x02);
    const sense = decodeSense(r.sense);
    expect(sense.format).not.toBe('vendor');
    if (sense.format !== 'vendor') expect([sense.senseKey, sense.asc, sense.ascq]).toEqual([5, 0x20, 0]);
  });
});

// Test helper for lab suites: sends a cdb CdbSpec to a manifest device over io_uring.
import type { CdbSpec } from '@scsikit/cdb';
import { type LabDevice, readLabManifest } from '@scsikit/lab';
import { openBsg, type SyncResult, UringRing } from '@scsikit/transport-uring';

export const manifest = readLabManifest();

export function send(device: LabDevice, spec: CdbSpec, data?: Uint8Array): SyncResult & { data: Uint8Array } {
  const ring = new UringRing(8);
  const dev = openBsg(device.bsg, { write: spec.direction === 'out' });
  try {
    const buffer = data ?? new Uint8Array(spec.transferLength);
    const r = ring.execute(dev.fd, {
      cdb: spec.cdb,
      direction: spec.direction,
      ...(spec.direction === 'none' ? {} : { data: buffer }),
    });
    return { ...r, data: buffer.subarray(0, buffer.length - r.residual) };
  } finally {
    dev.close();
    ring.close();
  }
}

import { buildReadCapacity10, decodeReadCapacity10 } from '@scsikit/cdb';
import { describe, expect, it } from 'vitest';
import { manifest, send } from './lab-device.js';

describe('4k profile', () => {
  it('has 4096-byte logical blocks, 256 MiB in all', () => {
    const cap = decodeReadCapacity10(send(manifest.devices[0]!, buildReadCapacity10()).data);
    expect(cap.blockLength).toBe(4096);
    expect(cap.capacityBytes).toBe(256n * 1024n * 1024n);
  });
});

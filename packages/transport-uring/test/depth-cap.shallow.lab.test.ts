import { readLabManifest } from '@scsikit/lab';
import { describe, expect, it } from 'vitest';
import { UringTransport } from '../src/index.js';

// Past the device's tags the kernel does not fail: it punts to io-wq workers that block (LAB.md).
// The transport keeps at most the device's queue depth in the kernel and queues the rest itself.
const device = readLabManifest().devices[0]!;

describe('per-device in-flight cap (scsi_debug with 16 tags)', () => {
  it('takes its default depth from sysfs', () => {
    const t = UringTransport.open(device.bsg);
    expect(device.queueDepth).toBeLessThanOrEqual(16);
    expect(t.capabilities.queueDepth).toBe(device.queueDepth);
    return t.close();
  });

  it('never has more than the depth in the kernel while 128 reads wait their turn, and completes them all', async () => {
    const t = UringTransport.open(device.bsg);
    try {
      let maxInFlight = 0;
      let maxQueued = 0;
      const reads = Array.from({ length: 128 }, (_, i) => {
        const cdb = new Uint8Array(16);
        cdb[0] = 0x88;
        cdb[9] = i * 8;
        cdb[13] = 8;
        return t.execute({ cdb, direction: 'in', transferLength: 4096 }).then((r) => {
          const s = t.stats();
          maxInFlight = Math.max(maxInFlight, s.inFlight);
          maxQueued = Math.max(maxQueued, s.queued);
          return r.status;
        });
      });
      // Nothing is sent before this synchronous run ends: the first queueDepth reads hold their
      // places, the rest wait.
      const s0 = t.stats();
      expect(s0.inFlight).toBe(t.capabilities.queueDepth);
      expect(s0.completed).toBe(0);
      expect(s0.queued).toBe(128 - t.capabilities.queueDepth);
      expect(await Promise.all(reads)).toEqual(new Array(128).fill(0));
      expect(maxInFlight).toBeLessThanOrEqual(t.capabilities.queueDepth);
      expect(maxQueued).toBeGreaterThan(0);
      expect(t.stats()).toMatchObject({ submitted: 128, completed: 128, failed: 0, inFlight: 0, queued: 0 });
    } finally {
      await t.close();
    }
  });
});

import { buildReportZones, decodeReportZones } from '@scsikit/cdb';
import { describe, expect, it } from 'vitest';
import { manifest, send } from './lab-device.js';

describe('zoned profile: a host-managed ZBC disk', () => {
  const disk = manifest.devices[0]!;

  it('is peripheral type 14h (host managed zoned block device)', () => {
    expect(disk.type).toBe(0x14);
  });

  it('reports 4 MiB zones, the first conventional, the rest sequential write required', () => {
    const r = send(disk, buildReportZones({ allocationLength: 64 * 64 }));
    expect(r.status).toBe(0);
    const zones = decodeReportZones(r.data).zones;
    expect(zones.length).toBeGreaterThan(2);
    expect(zones[0]!.zoneType).toBe(1);
    expect(zones[1]!.zoneType).toBe(2);
    expect(zones[1]!.zoneLength * 512n).toBe(4n * 1024n * 1024n);
  });
});

import { existsSync } from 'node:fs';
import { buildInquiry, decodeStandardInquiry } from '@scsikit/cdb';
import { PROFILES } from '@scsikit/lab';
import { describe, expect, it } from 'vitest';
import { manifest, send } from './lab-device.js';

// Runs under every profile: the manifest matches what the profile promises, and every device answers.
describe(`lab profile "${manifest.profile}"`, () => {
  const profile = PROFILES[manifest.profile];

  it('boots the stock Debian 7.x kernel', () => {
    expect(manifest.kernel).toMatch(/^7\.\d+\.\d+\+deb\d+-amd64$/);
  });

  it('creates the devices the profile describes', () => {
    expect(profile).toBeDefined();
    expect(manifest.devices).toHaveLength(profile!.devices);
  });

  for (const device of manifest.devices) {
    it(`${device.hctl} (${device.kind}) has its sg, bsg and block nodes`, () => {
      expect(existsSync(device.sg)).toBe(true);
      expect(existsSync(device.bsg)).toBe(true);
      if (device.type === 0 || device.type === 0x14) expect(existsSync(device.block)).toBe(true);
      expect(device.queueDepth).toBeGreaterThan(0);
    });

    it(`${device.hctl} (${device.kind}) answers INQUIRY over io_uring as the manifest says`, () => {
      const r = send(device, buildInquiry());
      expect(r).toMatchObject({ res: 0, status: 0, hostStatus: 0 });
      const inq = decodeStandardInquiry(r.data);
      expect(inq.vendor).toBe(device.vendor);
      expect(inq.product).toBe(device.model);
      expect(inq.revision).toBe(device.revision);
      expect(inq.peripheralDeviceType).toBe(device.type);
    });
  }
});

import { existsSync } from 'node:fs';
import { buildInquiry, decodeStandardInquiry } from '@scsikit/cdb';
import { type LabDevice, PROFILES } from '@scsikit/lab';
import { SgioTransport } from '@scsikit/transport-uring';
import { describe, expect, it } from 'vitest';
import { manifest, send } from './lab-device.js';

/** `uname -r` of each kernel source's stock Debian kernel. */
const KERNEL_RELEASES = {
  current: { label: '7.x', pattern: /^7\.\d+\.\d+\+deb\d+-amd64$/ },
  legacy: { label: '6.1', pattern: /^6\.1\.0-\d+-amd64$/ },
} as const;

/** The legacy kernel has no io_uring BSG passthrough: there, devices answer over SG_IO. */
async function inquirySgio(device: LabDevice) {
  const spec = buildInquiry();
  const t = await SgioTransport.open(device.sg);
  try {
    const r = await t.execute({ cdb: spec.cdb, direction: 'in', transferLength: spec.transferLength });
    return { res: 0, ...r };
  } finally {
    await t.close();
  }
}

// Runs under every profile: the manifest matches what the profile promises, and every device answers.
describe(`lab profile "${manifest.profile}"`, () => {
  const profile = PROFILES[manifest.profile];
  const kernel = KERNEL_RELEASES[profile?.kernel ?? 'current'];
  const legacy = profile?.kernel === 'legacy';

  it(`boots the stock Debian ${kernel.label} kernel`, () => {
    expect(manifest.kernel).toMatch(kernel.pattern);
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

    it(`${device.hctl} (${device.kind}) answers INQUIRY over ${legacy ? 'SG_IO' : 'io_uring'} as the manifest says`, async () => {
      const r = legacy ? await inquirySgio(device) : send(device, buildInquiry());
      expect(r).toMatchObject({ res: 0, status: 0, hostStatus: 0 });
      const inq = decodeStandardInquiry(r.data);
      expect(inq.vendor).toBe(device.vendor);
      expect(inq.product).toBe(device.model);
      expect(inq.revision).toBe(device.revision);
      expect(inq.peripheralDeviceType).toBe(device.type);
    });
  }
});

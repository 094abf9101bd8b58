// Runs under every lab profile: listDevices() against the devices the profile created.
import { readLabManifest } from '@scsikit/lab';
import { describe, expect, it } from 'vitest';
import { listDevices, resolveTarget } from '../src/index.js';

const manifest = readLabManifest();

describe(`listDevices on the ${manifest.profile} profile`, () => {
  const devices = listDevices();

  it('lists every manifest device with the same identity and nodes', () => {
    for (const lab of manifest.devices) {
      const d = devices.find((x) => x.hctl === lab.hctl);
      expect(d, lab.hctl).toBeDefined();
      expect(d).toMatchObject({
        type: lab.type,
        vendor: lab.vendor.trim(),
        model: lab.model.trim(),
        revision: lab.revision.trim(),
        sg: lab.sg,
        bsg: lab.bsg,
      });
      if (lab.block !== '') expect(d?.block).toBe(lab.block);
      if (lab.queueDepth > 0) expect(d?.queueDepth).toBe(lab.queueDepth);
      if (d?.block !== undefined) expect(d.capacityBytes).toBeGreaterThan(0n);
    }
  });

  it('names the transport of each device', () => {
    const expected = {
      scsi_debug: 'scsi_debug',
      'qemu-hd': 'virtio',
      lio: 'tcm_loop',
      libata: 'ata',
    } as const;
    for (const lab of manifest.devices) {
      const d = devices.find((x) => x.hctl === lab.hctl);
      if (lab.kind === 'other') continue;
      // LIO profiles may reach the LU over iSCSI instead of tcm_loop.
      const kinds = lab.kind === 'lio' ? ['tcm_loop', 'iscsi'] : [expected[lab.kind]];
      expect(kinds, `${lab.hctl} ${d?.transport.kind}`).toContain(d?.transport.kind);
      if (d?.transport.kind === 'iscsi') expect(d.transport.targetName).toMatch(/^(iqn|eui|naa)\./);
    }
  });

  it('every listed device resolves by each of its nodes', () => {
    expect(devices.map((d) => d.hctl)).toEqual(expect.arrayContaining(manifest.devices.map((d) => d.hctl)));
    for (const d of devices) {
      for (const node of [d.block, d.sg, d.bsg]) {
        if (node !== undefined) expect(resolveTarget(node).hctl).toBe(d.hctl);
      }
      // Two tcm_loop ports (lio profile) are two paths to one logical unit: either is a right answer.
      if (d.wwn !== undefined) {
        const paths = devices.filter((x) => x.wwn === d.wwn).map((x) => x.hctl);
        expect(paths).toContain(resolveTarget({ wwn: d.wwn }).hctl);
      }
    }
  });
});

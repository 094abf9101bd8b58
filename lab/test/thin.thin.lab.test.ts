import {
  buildInquiry,
  buildReadCapacity16,
  decodeLogicalBlockProvisioning,
  decodeReadCapacity16,
} from '@scsikit/cdb';
import { describe, expect, it } from 'vitest';
import { manifest, send } from './lab-device.js';

describe('thin profile: logical block provisioning', () => {
  const disk = manifest.devices[0]!;

  it('READ CAPACITY(16) reports LBPME and LBPRZ', () => {
    const cap = decodeReadCapacity16(send(disk, buildReadCapacity16()).data);
    expect(cap.lbpme).toBe(true);
    expect(cap.lbprz).toBe(true);
  });

  it('the logical block provisioning VPD page offers UNMAP and WRITE SAME(16) with UNMAP', () => {
    const lbp = decodeLogicalBlockProvisioning(send(disk, buildInquiry({ evpd: true, pageCode: 0xb2 })).data);
    expect(lbp.lbpu).toBe(true);
    expect(lbp.lbpws).toBe(true);
  });
});

// Read the capacity (READ CAPACITY(16)) and the block limits the device reports (VPD B0h).
import { buildInquiry, buildReadCapacity16, decodeBlockLimits, decodeReadCapacity16 } from '@scsikit/cdb';
import { expectGood, isMain, openSession, type Session } from './device.js';

export function capacity(s: Session): { lastLba: bigint; blockLength: number } {
  const r = s.send(buildReadCapacity16());
  expectGood('READ CAPACITY(16)', r);
  const cap = decodeReadCapacity16(r.data);
  const mib = cap.capacityBytes / 1048576n;
  console.log(`  last LBA         ${cap.lastLba}`);
  console.log(`  block length     ${cap.blockLength} bytes (physical ${cap.physicalBlockLength})`);
  console.log(`  capacity         ${cap.capacityBytes} bytes (${mib} MiB)`);
  console.log(`  thin (LBPME)     ${cap.lbpme}, unmapped reads zero (LBPRZ) ${cap.lbprz}`);
  const bl = s.send(buildInquiry({ evpd: true, pageCode: 0xb0 }));
  if (bl.status === 0) {
    const limits = decodeBlockLimits(bl.data);
    console.log(`  max transfer     ${limits.maximumTransferLength ?? 'not reported'} blocks`);
    console.log(`  max unmap LBAs   ${limits.maximumUnmapLbaCount ?? 'not reported'}`);
  }
  return { lastLba: cap.lastLba, blockLength: cap.blockLength };
}

if (isMain(import.meta.url)) {
  const s = openSession();
  try {
    capacity(s);
  } finally {
    s.close();
  }
}

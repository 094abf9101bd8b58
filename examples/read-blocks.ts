// A few reads through io_uring (IORING_OP_URING_CMD on /dev/bsg), with each command's latency.
import { buildRead16, buildReadCapacity16, decodeReadCapacity16 } from '@scsikit/cdb';
import { expectGood, isMain, openSession, type Session } from './device.js';

export function readBlocks(s: Session): void {
  const cap = decodeReadCapacity16(s.send(buildReadCapacity16()).data);
  const lbas = [0n, 1n, cap.lastLba / 2n, cap.lastLba];
  for (const lba of lbas) {
    const r = s.send(buildRead16({ lba, blocks: 1, blockLength: cap.blockLength }));
    expectGood(`READ(16) at ${lba}`, r);
    const head = [...r.data.subarray(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    console.log(
      `  LBA ${String(lba).padStart(10)}  ${r.data.length} bytes in ${(r.latencyNs / 1000).toFixed(0).padStart(5)} µs  ${head} …`,
    );
  }
  const n = 20_000;
  const nop1 = s.ring.nops(n, 1);
  const nop32 = s.ring.nops(n, 32);
  const rate = (x: { nsec: number }) => ((n / x.nsec) * 1e9).toFixed(0);
  console.log(`  the same ring on NOPs: ${rate(nop1)}/s one by one, ${rate(nop32)}/s in batches of 32`);
}

if (isMain(import.meta.url)) {
  const s = openSession();
  try {
    readBlocks(s);
  } finally {
    s.close();
  }
}

// The README's main job: every example, in order, against one device (the lab's default disk),
// opened read-only; the examples that write open it a second time themselves, or use the emulator.
import { openDevice } from '@scsikit/core';
import { NopQueue } from '@scsikit/transport-uring';
import { capacity } from './capacity.js';
import { clusterFencing } from './cluster-fencing.js';
import { decodeError } from './decode-error.js';
import { deviceTarget } from './device.js';
import { identify } from './identify.js';
import { persistentReservations } from './persistent-reservations.js';
import { randomReadLoad } from './random-read-load.js';
import { readBlocks } from './read-blocks.js';
import { readWriteVerify } from './read-write-verify.js';
import { zonedReport } from './zoned-report.js';

const target = deviceTarget();
await using dev = await openDevice(target);
console.log(`scsikit examples on ${target} (${dev.info?.bsg ?? ''}, ${dev.transport.kind} transport)`);
for (const [title, run] of [
  ['identify the device (INQUIRY, VPD 00h/80h/83h)', identify],
  ['capacity and limits (READ CAPACITY(16), VPD B0h, sysfs)', capacity],
  ['reads through io_uring (READ over IORING_OP_URING_CMD)', readBlocks],
  ['read, write and verify a range (second open, fixed buffers, FUA, VERIFY BYTCHK=1)', readWriteVerify],
  ['random 4 KiB reads at queue depth 1, 8 and 32', randomReadLoad],
  ['errors you can switch on (past the end; write on a read-only open)', decodeError],
  ['persistent reservations between two initiators', persistentReservations],
  ['cluster fencing with Fence (register, reserve, preempt and abort, leave)', clusterFencing],
  ['zoned devices (REPORT ZONES)', zonedReport],
] as const) {
  console.log(`\n▸ ${title}`);
  await run(dev);
}

// The same ring path on NOPs: what JS + native cost per command without a device.
const q = new NopQueue(64);
const n = 20_000;
const t0 = performance.now();
for (let i = 0; i < n; i += 32) await Promise.all(Array.from({ length: 32 }, () => q.nop()));
q.close();
console.log(
  `\n▸ the ring on NOPs: ${((n / (performance.now() - t0)) * 1000).toFixed(0)} commands/s through the JS API, batches of 32`,
);

// A short benchmark of the io_uring transport, run inside the lab (the full benchmark is bench/):
//   pnpm lab run -- node --import tsx packages/transport-uring/bench/transport-bench.ts
// INQUIRY at batch 1 and 64, 4 KiB random reads at QD 1 and 32 with and without fixed buffers,
// and (profile `shallow`) the per-device depth cap against the kernel's io-wq punt.
import { readLabManifest } from '@scsikit/lab';
import type { ScsiCommand, Transport } from '@scsikit/transport';
import { UringTransport } from '../src/index.js';

const device = readLabManifest().devices.find((d) => d.kind === 'scsi_debug');
if (device === undefined) throw new Error('needs a scsi_debug device (the default profile)');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const inquiry: ScsiCommand = {
  cdb: new Uint8Array([0x12, 0, 0, 0, 96, 0]),
  direction: 'in',
  transferLength: 96,
};
const blocks = (256 * 1024 * 1024) / 512;

function read4k(lba: number, data: ScsiCommand['data'], fixed?: ScsiCommand['fixedBuffer']): ScsiCommand {
  const cdb = new Uint8Array(16);
  cdb[0] = 0x88;
  new DataView(cdb.buffer).setUint32(6, lba);
  cdb[13] = 8;
  return fixed === undefined
    ? { cdb, direction: 'in', data: data! }
    : { cdb, direction: 'in', fixedBuffer: fixed };
}

/** Keeps `depth` commands in flight (issued `batch` at a time) for SECONDS; returns commands/s. */
async function run(
  t: Transport,
  depth: number,
  batch: number,
  make: (i: number) => ScsiCommand,
): Promise<number> {
  const end = performance.now() + SECONDS * 1000;
  let done = 0;
  const worker = async (w: number) => {
    let i = w;
    while (performance.now() < end) {
      const cmds = Array.from({ length: batch }, () => {
        i += depth;
        return make(i);
      });
      const rs = await Promise.all(cmds.map((c) => t.execute(c)));
      for (const r of rs) if (r.status !== 0) throw new Error(`status ${r.status}`);
      done += batch;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.max(1, depth / batch) }, (_, w) => worker(w)));
  return done / ((performance.now() - start) / 1000);
}

const rows: Array<[string, number]> = [];
const rand = (i: number) => (((i * 2654435761) >>> 0) % (blocks / 8)) * 8;

if (device.queueDepth > 16) {
  const t = UringTransport.open(device.bsg, { fixedBuffers: { count: 64, size: 4096 } });
  rows.push(['INQUIRY, batch 1', await run(t, 1, 1, () => inquiry)]);
  rows.push(['INQUIRY, batch 64', await run(t, 64, 64, () => inquiry)]);
  for (const qd of [1, 32]) {
    const bufs = Array.from({ length: qd }, () => new Uint8Array(4096));
    rows.push([`4 KiB random read, QD ${qd}`, await run(t, qd, 1, (i) => read4k(rand(i), bufs[i % qd]))]);
    const leases = await Promise.all(Array.from({ length: qd }, () => t.pool!.acquire(4096)));
    rows.push([
      `4 KiB random read, QD ${qd}, fixed buffers`,
      await run(t, qd, 1, (i) => read4k(rand(i), undefined, leases[i % qd])),
    ]);
    for (const l of leases) l.release();
  }
  await t.close();
}

// The depth cap (profile `shallow`: scsi_debug max_queue=16): 128 issued at once, capped at the
// device's 16 tags by the transport, or all handed to the kernel (which punts to io-wq workers).
if (device.queueDepth <= 16) {
  rows.length = 0;
  const bufs = Array.from({ length: 128 }, () => new Uint8Array(4096));
  for (let round = 0; round < 3; round++) {
    for (const [name, depth] of [
      ['128 issued, capped at the device depth', device.queueDepth],
      ['128 issued, uncapped (kernel punts to io-wq)', 128],
    ] as const) {
      const t = UringTransport.open(device.bsg, { queueDepth: depth });
      rows.push([
        `${name} (round ${round + 1})`,
        await run(t, 128, 1, (i) => read4k(rand(i), bufs[i % 128])),
      ]);
      await t.close();
    }
  }
}

const width = Math.max(...rows.map(([n]) => n.length));
console.log(`io_uring transport on ${device.bsg} (scsi_debug, lab TCG guest), ${SECONDS} s per row`);
for (const [name, rate] of rows)
  console.log(`  ${name.padEnd(width)}  ${rate.toFixed(0).padStart(8)} commands/s`);

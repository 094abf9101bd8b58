// One measurement cell of the in-guest A/B driver (ab.mjs), in its own process so two source
// trees' builds (and their addons) never share one: node worker.mjs TREE MODE ARG SECONDS.
//   read QD     — 4 KiB random reads through Device.read at depth QD (one reused buffer per loop)
//   floor 1     — a synchronous JS loop around the addon's Ring.cmdWait (one native call and one
//                 io_uring_enter per READ(16), nothing allocated): the floor of issue #20
//   inqbatch N  — INQUIRY in batches of N through Promise.all over Device.execute
//   inqapi N    — INQUIRY in batches of N through Device.executeBatch
// Prints one JSON line: { count, seconds, opsPerSec, meanNs }.
import { openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [tree, mode, argRaw, secondsRaw, warmupRaw = '0.5'] = process.argv.slice(2);
const warmupSeconds = Number(warmupRaw);
const arg = Number(argRaw);
const seconds = Number(secondsRaw);
const manifest = JSON.parse(
  readFileSync(process.env.SCSIKIT_LAB_MANIFEST ?? '/run/scsikit-lab.json', 'utf8'),
);
const disk = manifest.devices.find((d) => d.kind === 'scsi_debug');
const blockName = disk.block.replace('/dev/', '');
const blockLength = Number(readFileSync(`/sys/block/${blockName}/queue/logical_block_size`, 'utf8'));
const lbaCount = (Number(readFileSync(`/sys/block/${blockName}/size`, 'utf8')) * 512) / blockLength;
const blocks = 4096 / blockLength;
const units = Math.floor(lbaCount / blocks);
const randomLba = () => Math.floor(Math.random() * units) * blocks;

const core = await import(`${tree}/packages/core/dist/index.js`);
const cdb = await import(`${tree}/packages/cdb/dist/index.js`);

async function timed(fn) {
  const run = async (secs) => {
    const end = performance.now() + secs * 1000;
    let count = 0;
    const t0 = performance.now();
    let t = t0;
    while (t < end) {
      count += await fn();
      t = performance.now();
    }
    return { count, ns: (t - t0) * 1e6 };
  };
  await run(warmupSeconds);
  return run(seconds);
}

let out;
if (mode === 'read') {
  const dev = await core.openDevice(disk.bsg, { transport: 'uring' });
  const qd = arg;
  const bufs = Array.from({ length: qd }, () => new Uint8Array(4096));
  let lat = 0;
  let n = 0;
  const drive = async (secs, record) => {
    const end = performance.now() + secs * 1000;
    let done = 0;
    const t0 = performance.now();
    await Promise.all(
      bufs.map(async (into) => {
        for (;;) {
          const a = performance.now();
          if (a >= end) return;
          await dev.read(randomLba(), blocks, { into });
          if (record) {
            lat += performance.now() - a;
            n++;
          }
          done++;
        }
      }),
    );
    return { count: done, ns: (performance.now() - t0) * 1e6 };
  };
  await drive(warmupSeconds, false);
  const r = await drive(seconds, true);
  out = { count: r.count, seconds: r.ns / 1e9, opsPerSec: r.count / (r.ns / 1e9), meanNs: (lat / n) * 1e6 };
  await dev.close();
} else if (mode === 'floor') {
  const req = createRequire(`${tree}/packages/transport-uring/package.json`);
  const addon = req('node-gyp-build')(`${tree}/packages/transport-uring/native`);
  const ring = new addon.Ring(8);
  const fd = openSync(disk.bsg, 'r');
  const c = new Uint8Array(16);
  const view = new DataView(c.buffer);
  c[0] = 0x88;
  view.setUint32(10, blocks);
  const data = new Uint8Array(4096);
  const sense = new Uint8Array(96);
  const r = await timed(() => {
    let k = 0;
    // 64 calls per await: the loop itself is synchronous, as the floor is.
    for (; k < 64; k++) {
      view.setBigUint64(2, BigInt(randomLba()));
      const s = ring.cmdWait(fd, c, 1, data, sense, 30000);
      if (s !== 0) throw new Error(`floor READ(16): ${s}`);
    }
    return k;
  });
  out = { count: r.count, seconds: r.ns / 1e9, opsPerSec: r.count / (r.ns / 1e9), meanNs: r.ns / r.count };
  ring.close();
} else if (mode === 'inqbatch' || mode === 'inqapi') {
  const dev = await core.openDevice(disk.bsg, { transport: 'uring' });
  const spec = cdb.buildInquiry({ allocationLength: 96 });
  const specs = Array.from({ length: arg }, () => spec);
  const pending = new Array(arg);
  const r = await timed(
    mode === 'inqapi'
      ? async () => {
          const res = await dev.executeBatch(specs);
          for (const o of res) if (!o.ok) throw o.error;
          return arg;
        }
      : async () => {
          for (let i = 0; i < arg; i++) pending[i] = dev.execute(spec);
          await Promise.all(pending);
          return arg;
        },
  );
  out = { count: r.count, seconds: r.ns / 1e9, opsPerSec: r.count / (r.ns / 1e9), meanNs: r.ns / r.count };
  await dev.close();
} else throw new Error(`unknown mode ${mode}`);
console.log(JSON.stringify(out));

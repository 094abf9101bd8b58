/**
 * The synchronous native-call floor of issue #20: a JS loop around one native submit-and-wait per
 * READ (the addon's `Ring.cmdWait`: one N-API call, one io_uring_enter, nothing allocated). What any
 * design that crosses into native code once per command pays at least; `Device.read` at QD 1 is
 * judged against it. The addon entry point is a diagnostic, not part of the package's exports: the
 * bench loads the addon the package itself loads (node-gyp-build over its native/ directory).
 */
import { closeSync, constants, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DriveOptions, ReadPattern, RunStats } from './scsikit.js';
import { lbaSource } from './scsikit.js';
import { SampleRecorder } from './stats.js';

interface FloorRing {
  cmdWait(
    fd: number,
    cdb: Uint8Array,
    direction: 0 | 1 | 2,
    data: Uint8Array | null,
    sense: Uint8Array,
    timeoutMs: number,
  ): number;
  close(): void;
}

interface FloorAddon {
  Ring: new (entries: number) => FloorRing;
}

/** The addon @scsikit/transport-uring loads (SCSIKIT_NATIVE_PATH first, as the package does). */
export function loadFloorAddon(): FloorAddon {
  const require = createRequire(import.meta.url);
  const override = process.env.SCSIKIT_NATIVE_PATH;
  if (override !== undefined && override !== '') return require(override) as FloorAddon;
  const entry = require.resolve('@scsikit/transport-uring');
  const pkgRequire = createRequire(entry);
  const nodeGypBuild = pkgRequire('node-gyp-build') as (dir: string) => unknown;
  const addon = nodeGypBuild(join(dirname(entry), '..', 'native')) as Partial<FloorAddon>;
  if (typeof addon.Ring !== 'function' || typeof addon.Ring.prototype.cmdWait !== 'function') {
    throw new Error(
      'the loaded addon has no Ring.cmdWait: rebuild it (pnpm --filter @scsikit/transport-uring build:native)',
    );
  }
  return addon as FloorAddon;
}

/** READ(16) of `blocks` blocks at `lba`, written in place (no allocation per command). */
function setRead16(cdb: Uint8Array, view: DataView, lba: number, blocks: number): void {
  cdb[0] = 0x88;
  view.setBigUint64(2, BigInt(lba));
  view.setUint32(10, blocks);
}

/** 4 KiB random reads, one at a time, each a synchronous native call; latency per call. */
export function floorReadRun(bsg: string, p: ReadPattern, o: DriveOptions): Promise<RunStats> {
  const addon = loadFloorAddon();
  const ring = new addon.Ring(8);
  const fd = openSync(bsg, constants.O_RDONLY);
  try {
    const blocks = p.bs / p.blockLength;
    const next = lbaSource(p);
    const cdb = new Uint8Array(16);
    const view = new DataView(cdb.buffer);
    const data = new Uint8Array(p.bs);
    const sense = new Uint8Array(96);
    const rec = new SampleRecorder();
    const start = performance.now();
    const end = start + o.seconds * 1000;
    const max = o.maxCount ?? 0;
    let done = 0;
    let t = start;
    while (t < end && (max === 0 || done < max)) {
      setRead16(cdb, view, next(), blocks);
      const r = ring.cmdWait(fd, cdb, 1, data, sense, 30_000);
      // -errno, or status | driver << 8 | host << 16 | sense length << 24: anything but GOOD ends the run.
      if (r !== 0)
        throw new Error(`floor READ(16): ${r < 0 ? `errno ${-r}` : `status word 0x${r.toString(16)}`}`);
      const now = performance.now();
      rec.add((now - t) * 1e6);
      t = now;
      done++;
    }
    return Promise.resolve({ count: done, elapsedNs: (t - start) * 1e6, lat: rec.summary() });
  } finally {
    closeSync(fd);
    ring.close();
  }
}

import { execFileSync } from 'node:child_process';
import { existsSync, symlinkSync, unlinkSync } from 'node:fs';
import { readLabManifest } from '@scsikit/lab';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Device, DeviceGoneError, openDevice, ScsiError } from '../src/index.js';

// The lio profile maps one fileio LUN through two tcm_loop ports (lab/src/profiles.ts), each its
// own SCSI device. Unlinking the LUN from the second port is LIO's "LUN unlink" removal: tcm_loop
// removes that port's SCSI device; the other port's device must not notice.
const TARGET = '/sys/kernel/config/target';
const LINK = `${TARGET}/loopback/naa.50014050000000a2/tpgt_1/lun/lun_0/disk0`;
const BACKSTORE = `${TARGET}/core/fileio_0/disk0`;
const TIMEOUT_MS = 4000;
const paths = readLabManifest().devices.map((d) => d.bsg);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Readers on one device until it is gone or `stop()`; outcomes by error name. */
function readers(dev: Device, count: number) {
  const outcomes: Record<string, number> = {};
  let submittedAtGone: number | undefined;
  let slowestMs = 0;
  let stopped = false;
  const one = async () => {
    const buf = new Uint8Array(4096);
    while (!stopped) {
      const t0 = performance.now();
      let outcome = 'ok';
      try {
        await dev.read(Math.floor(Math.random() * 16_000) * 8, 8, { into: buf, timeoutMs: TIMEOUT_MS });
      } catch (e) {
        if (e instanceof DeviceGoneError) {
          submittedAtGone ??= dev.transport.stats?.().submitted;
          stopped = true;
        }
        // Anything else must still be typed: a ScsiError subclass.
        outcome = e instanceof ScsiError ? e.name : `untyped ${String(e)}`;
      }
      slowestMs = Math.max(slowestMs, performance.now() - t0);
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
  };
  const done = Promise.all(Array.from({ length: count }, one));
  return {
    outcomes,
    done,
    stop: () => {
      stopped = true;
    },
    get submittedAtGone() {
      return submittedAtGone;
    },
    get slowestMs() {
      return slowestMs;
    },
  };
}

describe('LIO LUN unlink while commands are outstanding on both ports', () => {
  beforeAll(() => {
    // The guest mounts configfs after binding /sys into the job's root: mount it here as well.
    if (!existsSync(TARGET)) execFileSync('mount', ['-t', 'configfs', 'none', '/sys/kernel/config']);
    expect(existsSync(LINK), LINK).toBe(true);
  });

  it('the unlinked port settles every promise within 2 × timeout and submits nothing after DeviceGoneError; the other port goes on; the relinked port reopens', async () => {
    expect(paths).toHaveLength(2);
    const devs = await Promise.all(paths.map((p) => openDevice(p, { transport: 'uring' })));
    const runs = devs.map((d) => readers(d, 8));
    let gone = -1;
    try {
      await sleep(500);
      unlinkSync(LINK);
      for (let i = 0; i < 200 && gone < 0; i++) {
        gone = paths.findIndex((p) => !existsSync(p));
        if (gone < 0) await sleep(50);
      }
      expect(gone, 'one of the two devices went away').toBeGreaterThanOrEqual(0);
      const lost = runs[gone]!;
      const kept = runs[1 - gone]!;
      const settled = await Promise.race([
        lost.done.then(() => true),
        sleep(2 * TIMEOUT_MS).then(() => false),
      ]);
      expect(settled, 'every reader of the unlinked port settled within 2 × timeout').toBe(true);
      expect(lost.outcomes.DeviceGoneError ?? 0).toBeGreaterThan(0);
      expect(Object.keys(lost.outcomes).filter((k) => k.startsWith('untyped'))).toEqual([]);
      expect(lost.slowestMs).toBeLessThan(2 * TIMEOUT_MS);
      // Later commands fail fast, without reaching the kernel.
      const dev = devs[gone]!;
      await expect(dev.read(0, 8)).rejects.toBeInstanceOf(DeviceGoneError);
      expect(dev.transport.stats?.().submitted).toBe(lost.submittedAtGone);
      // The other port's device saw nothing but successful reads.
      await sleep(300);
      kept.stop();
      await kept.done;
      expect(Object.keys(kept.outcomes)).toEqual(['ok']);
    } finally {
      for (const r of runs) r.stop();
      await Promise.all(devs.map((d) => d.close()));
      if (!existsSync(LINK)) symlinkSync(BACKSTORE, LINK);
    }
    // Relinked: tcm_loop adds the device again at the same address.
    const back = paths[gone]!;
    for (let i = 0; i < 200 && !existsSync(back); i++) await sleep(50);
    const again = await openDevice(back, { transport: 'uring' });
    try {
      expect((await again.inquiry()).vendor).toBe('LIO-ORG');
      expect((await again.read(0, 8)).length).toBe(4096);
    } finally {
      await again.close();
    }
  });
});

import { existsSync, readFileSync, symlinkSync, unlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DeviceGoneError, openDevice, ScsiError } from '../src/index.js';

// The lio profile maps one fileio LUN through two tcm_loop ports (lab/src/profiles.ts). Unlinking
// the LUN from the second port is LIO's "LUN unlink" removal: tcm_loop removes that SCSI device.
const TARGET = '/sys/kernel/config/target';
const PORT = `${TARGET}/loopback/naa.50014050000000a2/tpgt_1`;
const LINK = `${PORT}/lun/lun_0/disk0`;
const BACKSTORE = `${TARGET}/core/fileio_0/disk0`;
const TIMEOUT_MS = 4000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(path: string, present: boolean): Promise<void> {
  for (let i = 0; i < 200 && existsSync(path) !== present; i++) await sleep(50);
  expect(existsSync(path), `${path} ${present ? 'appears' : 'goes away'}`).toBe(present);
}

describe('LIO LUN unlink while commands are outstanding', () => {
  it('settles every promise within 2 × timeout, submits nothing after the first DeviceGoneError, and reopens after the relink', async () => {
    // tcm_loop shows the SCSI address of the port's host ("H:C:T"); the LUN is 0.
    const hctl = `${readFileSync(`${PORT}/address`, 'utf8').trim()}:0`;
    const bsg = `/dev/bsg/${hctl}`;
    expect(existsSync(bsg)).toBe(true);
    const dev = await openDevice(bsg, { transport: 'uring' });
    const outcomes: Record<string, number> = {};
    let submittedAtGone: number | undefined;
    let slowestMs = 0;
    let stop = false;
    const reader = async () => {
      const buf = new Uint8Array(4096);
      while (!stop) {
        const t0 = performance.now();
        let outcome = 'ok';
        try {
          await dev.read(Math.floor(Math.random() * 16_000) * 8, 8, { into: buf, timeoutMs: TIMEOUT_MS });
        } catch (e) {
          if (e instanceof DeviceGoneError) {
            submittedAtGone ??= dev.transport.stats?.().submitted;
            stop = true;
          }
          // Anything else must still be typed: a ScsiError subclass.
          outcome = e instanceof ScsiError ? e.name : `untyped ${String(e)}`;
        }
        slowestMs = Math.max(slowestMs, performance.now() - t0);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }
    };
    const readers = Promise.all(Array.from({ length: 16 }, reader));
    try {
      await sleep(500);
      unlinkSync(LINK);
      await waitFor(bsg, false);
      const settled = await Promise.race([readers.then(() => true), sleep(2 * TIMEOUT_MS).then(() => false)]);
      expect(settled, 'every reader settled within 2 × timeout').toBe(true);
      expect(outcomes.DeviceGoneError ?? 0).toBeGreaterThan(0);
      expect(Object.keys(outcomes).filter((k) => k.startsWith('untyped'))).toEqual([]);
      expect(slowestMs).toBeLessThan(2 * TIMEOUT_MS);
      // Later commands fail fast, without reaching the kernel.
      await expect(dev.read(0, 8)).rejects.toBeInstanceOf(DeviceGoneError);
      expect(dev.transport.stats?.().submitted).toBe(submittedAtGone);
    } finally {
      stop = true;
      await dev.close();
      if (!existsSync(LINK)) symlinkSync(BACKSTORE, LINK);
    }
    // Relinked: tcm_loop adds the device again at the same address.
    await waitFor(bsg, true);
    const again = await openDevice(bsg, { transport: 'uring' });
    try {
      expect((await again.inquiry()).vendor?.trim()).toBe('LIO-ORG');
      expect((await again.read(0, 8)).length).toBe(4096);
    } finally {
      await again.close();
    }
  });
});

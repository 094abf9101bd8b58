import { closeSync, openSync } from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeBsgCompletion, encodeBsgCompletion, openBsg, UringRing } from '../src/index.js';
import { loadNative } from '../src/native.js';

const rings: UringRing[] = [];
function ring(entries = 64): UringRing {
  const r = new UringRing(entries);
  rings.push(r);
  return r;
}
afterEach(() => {
  for (const r of rings.splice(0)) r.close();
});

describe('the ring on NOPs (no SCSI needed)', () => {
  it('opens with SQE128 and CQE32, the flags the BSG passthrough requires', () => {
    const addon = loadNative();
    const r = ring(32);
    expect(r.flags & addon.SETUP_SQE128).toBe(addon.SETUP_SQE128);
    expect(r.flags & addon.SETUP_CQE32).toBe(addon.SETUP_CQE32);
    expect(r.sqEntries).toBe(32);
    expect(addon.SQE_SIZE).toBe(128);
    expect(addon.CQE_SIZE).toBe(32);
  });

  it('completes every NOP, one by one and in batches larger than the ring', () => {
    const r = ring(16);
    expect(r.nops(100, 1)).toMatchObject({ completed: 100, failed: 0 });
    expect(r.nops(1000, 64)).toMatchObject({ completed: 1000, failed: 0 });
    expect(r.nops(0, 1)).toMatchObject({ completed: 0, failed: 0 });
  });

  // /dev/null is no good here: recent kernels give it a no-op uring_cmd handler.
  it('reports a uring_cmd on a file without a uring_cmd handler as -EOPNOTSUPP in the CQE', () => {
    const r = ring();
    const fd = openSync('/dev/zero', 'r');
    try {
      const inquiry = new Uint8Array([0x12, 0, 0, 0, 36, 0]);
      const res = r.execute(fd, { cdb: inquiry, direction: 'in', data: new Uint8Array(36) });
      expect(res.res).toBe(-95);
    } finally {
      closeSync(fd);
    }
  });

  it('works in a worker thread, with its own ring and per-thread addon state', async () => {
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const addon = require(workerData);
      const ring = new addon.Ring(8);
      const r = ring.nops(500, 8);
      ring.close();
      parentPort.postMessage(r.completed);`;
    const nativePath = `${import.meta.dirname}/../native/build/Release/scsikit_uring.node`;
    const worker = new Worker(code, { eval: true, workerData: nativePath });
    const completed = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(completed).toBe(500);
    ring().nops(10, 1);
  });
});

describe('misuse never crashes', () => {
  it('refuses a closed ring with a coded error', () => {
    const r = ring();
    r.close();
    r.close();
    expect(r.isOpen).toBe(false);
    expect(() => r.nops(1, 1)).toThrowError(expect.objectContaining({ code: 'ERR_SCSIKIT_RING_CLOSED' }));
  });

  it('throws on native methods called on the wrong object or with bad arguments', () => {
    const { Ring } = loadNative();
    const nops = Ring.prototype.nops as unknown as (this: unknown, a: number, b: number) => unknown;
    expect(() => nops.call({}, 1, 1)).toThrow();
    expect(() => new Ring(3)).toThrowError(RangeError);
    expect(() => (Ring as unknown as (n: number) => unknown)(8)).toThrowError(TypeError);
    const r = new Ring(8);
    const uringCmd = r.uringCmd as unknown as (...a: unknown[]) => unknown;
    expect(() => uringCmd.call(r, 0, new Uint8Array(2), 0, null, new Uint8Array(96), 0)).toThrowError(
      RangeError,
    );
    expect(() => uringCmd.call(r, 0, new Uint8Array(6), 1, null, new Uint8Array(96), 0)).toThrowError(
      TypeError,
    );
    expect(() => uringCmd.call(r, 0, new Uint8Array(6), 7, null, new Uint8Array(96), 0)).toThrowError(
      RangeError,
    );
    expect(() => uringCmd.call(r, 'x')).toThrowError(TypeError);
    r.close();
  });

  it('sends a uring_cmd and reaps its CQE (/dev/null completes it, /dev/zero has no handler)', () => {
    // The host has no bsg node. /dev/null's uring_cmd handler completes any command with 0; /dev/zero
    // has none, so the kernel answers -EOPNOTSUPP in the CQE. Both drive the SQE preparation, the
    // submit and the wait of uringCmd and of the bench's cmdWait.
    const { Ring } = loadNative();
    const r = new Ring(8);
    const cdb = new Uint8Array([0x12, 0, 0, 0, 96, 0]);
    const sense = new Uint8Array(96);
    const data = new Uint8Array(96);
    for (const [path, res] of [
      ['/dev/null', 0],
      ['/dev/zero', -os.constants.errno.EOPNOTSUPP],
    ] as const) {
      const fd = openSync(path, 'r');
      try {
        for (let i = 0; i < 3; i++) {
          expect(r.uringCmd(fd, cdb, 1, data, sense, 1000)).toMatchObject({ res, info: 0n });
          expect(r.cmdWait(fd, cdb, 1, data, sense, 1000), path).toBe(res);
        }
      } finally {
        closeSync(fd);
      }
    }
    r.close();
  });

  it('opens only /dev/bsg/H:C:T:L paths', () => {
    expect(() => openBsg('/etc/passwd')).toThrowError(/not a BSG device path/);
    expect(() => openBsg('/dev/bsg/0:0:0:0/../../sda')).toThrowError(/not a BSG device path/);
  });
});

describe('big_cqe[0] decoding', () => {
  it('unpacks the fields the kernel packs (CHECK CONDITION with 18 sense bytes)', () => {
    expect(decodeBsgCompletion(0x0000_0200_1200_0802n)).toEqual({
      status: 0x02,
      driverStatus: 0x08,
      hostStatus: 0x00,
      senseLength: 0x12,
      residual: 0x200,
    });
  });

  it('round-trips every field combination', () => {
    const byte = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(byte, byte, byte, byte, fc.integer({ min: 0, max: 0xffffffff }), (s, d, h, l, resid) => {
        const c = { status: s, driverStatus: d, hostStatus: h, senseLength: l, residual: resid };
        expect(decodeBsgCompletion(encodeBsgCompletion(c))).toEqual(c);
      }),
    );
  });
});

import { Worker } from 'node:worker_threads';
import {
  InvalidCommandError,
  SyscallError,
  TransportAbortedError,
  TransportClosedError,
} from '@scsikit/transport';
import { describe, expect, it } from 'vitest';
import { NopQueue, UringTransport } from '../src/index.js';
import { loadNative } from '../src/native.js';
import { ThreadQueue } from '../src/thread-queue.js';

describe('the asynchronous ring on NOPs (same slots, batching and completion path as SCSI commands)', () => {
  it('completes every NOP issued in one turn, with one io_uring_enter for the batch', async () => {
    const q = new NopQueue(64);
    try {
      const results = await Promise.all(Array.from({ length: 64 }, () => q.nop()));
      expect(results).toEqual(new Array(64).fill(0));
      expect(q.freeSlots).toBe(64);
    } finally {
      q.close();
    }
  });

  it('refuses a NOP when every slot is owned by the kernel, and recovers when they come back', async () => {
    const q = new NopQueue(8);
    try {
      // Every NOP waits for the flush at the end of this synchronous run: all 8 slots are taken.
      const first: Promise<number>[] = [];
      while (q.freeSlots > 0 && first.length < 100) first.push(q.nop());
      expect(first.length).toBeGreaterThanOrEqual(8);
      await expect(q.nop()).rejects.toThrow(/no free slot/);
      await Promise.all(first);
      await expect(q.nop()).resolves.toBe(0);
    } finally {
      q.close();
    }
  });

  it('settles NOPs as they complete without starving the event loop (timers and immediates still run)', async () => {
    const q = new NopQueue(32);
    try {
      let done = 0;
      let atImmediate = -1;
      let atTimer = -1;
      setImmediate(() => {
        atImmediate = done;
      });
      setTimeout(() => {
        atTimer = done;
      }, 0);
      // One NOP at a time: each completes during its own flush's io_uring_enter and is reaped inline.
      while (done < 2000) {
        await q.nop();
        done++;
      }
      expect(atImmediate).toBeGreaterThanOrEqual(0);
      expect(atImmediate).toBeLessThan(2000);
      expect(atTimer).toBeGreaterThanOrEqual(0);
      expect(atTimer).toBeLessThan(2000);
    } finally {
      q.close();
    }
  });

  it('keeps running over many turns without losing a completion', async () => {
    const q = new NopQueue(32);
    try {
      let done = 0;
      for (let round = 0; round < 200; round++) {
        await Promise.all(Array.from({ length: 32 }, () => q.nop().then(() => done++)));
      }
      expect(done).toBe(6400);
    } finally {
      q.close();
    }
  });

  it('loses no completion posted later from another CPU while flushes reap inline (io-wq NOPs mixed in)', async () => {
    // Inline completions let a flush turn the eventfd off; a worker's CQE may land as it comes back
    // on. Each round must settle by itself: a lost wake-up leaves a promise pending for ever.
    const q = new NopQueue(64);
    try {
      let settled = 0;
      for (let round = 0; round < 1500; round++) {
        const mix = round % 3;
        const batch = Array.from({ length: 1 + (round % 17) }, (_, i) =>
          q.nop({ viaWorker: mix === 0 || (mix === 1 && i % 2 === 0) }),
        );
        let timer: NodeJS.Timeout | undefined;
        const stalled = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`round ${round}: a completion never arrived`)), 5000);
        });
        try {
          settled += (await Promise.race([Promise.all(batch), stalled])).length;
        } finally {
          clearTimeout(timer);
        }
        if (round % 5 === 0) await q.nop({ viaWorker: true });
        if (round % 7 === 0) await q.nop();
      }
      expect(settled).toBe(Array.from({ length: 1500 }, (_, r) => 1 + (r % 17)).reduce((a, b) => a + b, 0));
      expect(q.freeSlots).toBe(64);
    } finally {
      q.close();
    }
  });

  it('lets an idle process exit: the poll handle is unref’d with nothing in flight', async () => {
    const code = `
      const { NopQueue } = require(${JSON.stringify(`${import.meta.dirname}/../dist/index.cjs`)});
      const q = new NopQueue(8);
      q.nop().then(() => { console.log('done'); });`;
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 10_000 });
    if (r.error === undefined && r.status === 0) expect(r.stdout.trim()).toBe('done');
    else expect.fail(`child did not exit cleanly: status ${r.status} ${r.stderr}`);
  });

  it('gives each worker thread its own ring', async () => {
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const { NopQueue } = require(workerData);
      const q = new NopQueue(16);
      (async () => {
        let n = 0;
        for (let round = 0; round < 50; round++) n += (await Promise.all(Array.from({ length: 10 }, () => q.nop()))).length;
        q.close();
        parentPort.postMessage(n);
      })();`;
    const workers = [0, 1].map(
      () => new Worker(code, { eval: true, workerData: `${import.meta.dirname}/../dist/index.cjs` }),
    );
    const counts = await Promise.all(
      workers.map((w) => new Promise((resolve, reject) => w.once('message', resolve).once('error', reject))),
    );
    expect(counts).toEqual([500, 500]);
  });
});

describe('registered buffer pool', () => {
  it('leases page-aligned registered memory, waits when empty, refuses a double release', async () => {
    const q = ThreadQueue.acquire(16);
    try {
      const pool = q.bufferPool(2, 8192);
      expect(pool.size).toBe(2);
      const a = await pool.acquire(4096);
      const b = await pool.acquire(8192);
      expect(a.buffer.length).toBe(4096);
      expect(b.buffer.byteOffset % 4096).toBe(0);
      expect(pool.owns(a)).toBe(true);
      const waiting = pool.acquire(100);
      a.release();
      const c = await waiting;
      expect(c.index).toBe(a.index);
      expect(pool.owns(a)).toBe(false);
      expect(() => a.release()).toThrow(/released twice/);
      await expect(pool.acquire(9000)).rejects.toBeInstanceOf(InvalidCommandError);
      const ac = new AbortController();
      const aborted = pool.acquire(10, ac.signal);
      ac.abort();
      await expect(aborted).rejects.toBeInstanceOf(TransportAbortedError);
      b.release();
      c.release();
    } finally {
      ThreadQueue.release(q, 100);
    }
  });

  it('rejects waiters when the ring closes', async () => {
    const q = ThreadQueue.acquire(16);
    const pool = q.bufferPool(1, 4096);
    const held = await pool.acquire(10);
    const waiting = pool.acquire(10);
    ThreadQueue.release(q, 100);
    await expect(waiting).rejects.toBeInstanceOf(TransportClosedError);
    await expect(pool.acquire(10)).rejects.toBeInstanceOf(TransportClosedError);
    expect(() => held.release()).not.toThrow();
  });
});

describe('UringTransport.open', () => {
  it('accepts only /dev/bsg/H:C:T:L paths, before any open(2)', () => {
    expect(() => UringTransport.open('/dev/sda')).toThrow(InvalidCommandError);
    expect(() => UringTransport.open('/dev/bsg/0:0:0:0/../../../etc/passwd')).toThrow(/bsg/);
  });

  it('reports a missing node as a SyscallError with the errno open(2) gave', () => {
    const e = (() => {
      try {
        UringTransport.open('/dev/bsg/9:9:9:9');
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(SyscallError);
    expect(e).toMatchObject({ errno: -2, errnoCode: 'ENOENT', syscall: 'open' });
    expect(((e as Error).cause as Error).message).toContain('/dev/bsg/9:9:9:9');
  });
});

describe('the stage record', () => {
  it('names every word of a record once, within STAGE_WORDS, frozen', () => {
    const { STAGE_FIELDS: f, STAGE_WORDS } = loadNative();
    expect(Object.isFrozen(f)).toBe(true);
    const words = [
      f.slot,
      f.op,
      f.fd,
      f.cdbLength,
      f.direction,
      f.dataLength,
      f.senseLength,
      f.timeoutMs,
      f.bufIndex,
    ];
    expect(new Set(words).size).toBe(words.length);
    expect(words.length).toBe(STAGE_WORDS);
    for (const w of words) expect(w >= 0 && w < STAGE_WORDS && Number.isInteger(w)).toBe(true);
    // A NOP's worker flag rides in a command's fd word.
    expect(f.viaWorker).toBe(f.fd);
    expect(f.opNop).not.toBe(f.opCmd);
  });
});

describe('Queue misuse never crashes', () => {
  it('throws on native methods called on the wrong object, with bad arguments or after close', () => {
    const q = ThreadQueue.acquire(8);
    ThreadQueue.release(q, 100);
    expect(q.isOpen).toBe(false);
    expect(() => q.submitNop({ onCompletion() {} }, undefined)).toThrow(/closed/);
    const { Queue, RECORD_WORDS, STAGE_WORDS } = loadNative();
    const flush = Queue.prototype.flush as unknown as (this: unknown) => number;
    expect(() => flush.call({})).toThrow();
    const noop = () => {};
    const small = new Uint8Array(8);
    const stage = new Int32Array(8 * STAGE_WORDS);
    const refs: Array<Uint8Array | null> = new Array(8).fill(null);
    expect(() => new Queue(3, small, small, small, noop, stage, refs)).toThrow(RangeError);
    expect(() => new Queue(8, small, small, small, noop, stage, refs)).toThrow(/too small/);
    const live = new Queue(
      8,
      new Uint8Array(256),
      new Uint8Array(2048),
      new Uint8Array(8 * RECORD_WORDS * 4),
      noop,
      stage,
      refs,
    );
    const stageOne = (words: number[]) => {
      stage.fill(0, 0, STAGE_WORDS);
      stage.set(words);
    };
    try {
      stageOne([8, 0]);
      expect(() => live.flush(false, 1)).toThrow(RangeError);
      stageOne([0, 1, -1, 6, 1, 10, 96, 1000, -1]);
      expect(() => live.flush(false, 1)).toThrow(TypeError);
      refs[0] = new Uint8Array(4);
      expect(() => live.flush(false, 1)).toThrow(/dataLen/);
      refs[0] = null;
      stageOne([0, 1, -1, 40, 0, 0, 96, 1000, -1]);
      expect(() => live.flush(false, 1)).toThrow(/cdbLen/);
      stageOne([0, 0]);
      expect(live.flush(false, 1)).toBe(1);
      expect(() => live.flush(false, 1)).toThrow(expect.objectContaining({ code: 'ERR_SCSIKIT_SLOT_BUSY' }));
    } finally {
      expect(live.close(1000)).toBe(0);
    }
    expect(live.isOpen).toBe(false);
    expect(() => live.flush()).toThrow(/closed/);
  });
});

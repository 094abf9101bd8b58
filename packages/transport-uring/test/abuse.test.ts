/**
 * The addon driven the way a careless or hostile caller would: wrong types and argument counts,
 * methods on the wrong receiver, every call after close, double close, buffers registered twice,
 * leases released twice. Each case must throw a JS error (or be a harmless no-op), never crash the
 * process. `npm test` runs this project again against an AddressSanitizer + UBSan build of the
 * addon (scripts/run-tests.mjs), so an out-of-bounds access or use-after-free here fails the run.
 */
import { InvalidCommandError, TransportClosedError } from '@scsikit/transport';
import { describe, expect, it } from 'vitest';
import { loadNative, type NativeQueue, NopQueue } from '../src/index.js';
import { ThreadQueue } from '../src/thread-queue.js';

type Loose = (...args: unknown[]) => unknown;
const noop = () => {};

/** `fn` throws an Error (not a crash, not a non-Error value). */
function throwsJs(fn: () => unknown, label: string): Error {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, label).toBeInstanceOf(Error);
  return thrown as Error;
}

/** Values of every JS type, for "wrong type" arguments. */
const JUNK: readonly unknown[] = [
  undefined,
  null,
  'x',
  '8',
  Symbol('s'),
  {},
  [],
  () => 0,
  8n,
  Number.NaN,
  -1,
  2 ** 53,
  new Uint16Array(64),
  new Float64Array(64),
  new ArrayBuffer(64),
];

function newQueue(entries = 8): NativeQueue {
  const { Queue } = loadNative();
  return new Queue(
    entries,
    new Uint8Array(entries * 32),
    new Uint8Array(entries * 256),
    new Uint8Array(entries * loadNative().RECORD_WORDS * 4),
    noop,
  );
}

describe('Ring (synchronous) abuse', () => {
  it('the constructor refuses every wrong type and size', () => {
    const { Ring } = loadNative();
    const R = Ring as unknown as new (...a: unknown[]) => unknown;
    throwsJs(() => new R(), 'no arguments');
    for (const v of [...JUNK, 0, 3, 65536, 2 ** 32, 2 ** 32 + 8, 8.5]) {
      throwsJs(() => new R(v), `new Ring(${String(v)})`);
    }
    throwsJs(() => (Ring as unknown as Loose)(8), 'called without new');
  });

  it('every method refuses wrong arguments, a foreign receiver, and a closed ring', () => {
    const { Ring } = loadNative();
    const r = new Ring(8);
    const nops = r.nops as unknown as Loose;
    const uringCmd = r.uringCmd as unknown as Loose;
    throwsJs(() => nops.call(r), 'nops()');
    throwsJs(() => nops.call(r, 1), 'nops(1)');
    for (const v of JUNK.filter((x) => typeof x !== 'number'))
      throwsJs(() => nops.call(r, v, 1), 'nops(junk)');
    throwsJs(() => nops.call(r, -1, 1), 'nops(-1)');
    throwsJs(() => nops.call(r, 1, 0), 'batch 0');
    const sense = new Uint8Array(96);
    throwsJs(() => uringCmd.call(r), 'uringCmd()');
    for (const cdb of JUNK) throwsJs(() => uringCmd.call(r, 0, cdb, 0, null, sense, 100), 'junk cdb');
    for (const s of [null, new Uint8Array(0), 'x', new ArrayBuffer(96)]) {
      throwsJs(() => uringCmd.call(r, 0, new Uint8Array(6), 0, null, s, 100), 'junk sense');
    }
    for (const data of [null, new Uint8Array(0), 'x', new ArrayBuffer(8)]) {
      throwsJs(() => uringCmd.call(r, 0, new Uint8Array(6), 1, data, sense, 100), 'junk data-in');
    }
    for (const method of ['nops', 'uringCmd', 'close'] as const) {
      const m = Ring.prototype[method] as unknown as Loose;
      for (const receiver of [{}, null, undefined, 1, newQueue()]) {
        throwsJs(() => m.call(receiver, 1, 1), `Ring.prototype.${method} on ${String(receiver)}`);
      }
    }
    r.close();
    r.close();
    expect(r.isOpen).toBe(false);
    throwsJs(() => r.nops(1, 1), 'nops after close');
    throwsJs(() => uringCmd.call(r, 0, new Uint8Array(6), 0, null, sense, 100), 'uringCmd after close');
  });
});

describe('Queue (asynchronous engine) abuse', () => {
  it('the constructor refuses wrong types, short or misaligned areas and a missing callback', () => {
    const { Queue } = loadNative();
    const Q = Queue as unknown as new (...a: unknown[]) => unknown;
    const ok = [8, new Uint8Array(256), new Uint8Array(2048), new Uint8Array(128), noop] as const;
    throwsJs(() => new Q(), 'no arguments');
    for (let i = 0; i < ok.length; i++) {
      for (const v of JUNK) {
        // Any typed array of enough bytes is accepted as raw memory, any function as the callback.
        if (ArrayBuffer.isView(v) && v.byteLength >= ([0, 256, 2048, 128][i] ?? Infinity)) continue;
        if (i === 4 && typeof v === 'function') continue;
        const args: unknown[] = [...ok];
        args[i] = v;
        throwsJs(() => new Q(...args), `argument ${i} = ${String(v)}`);
      }
    }
    const misaligned = new Uint8Array(129).subarray(1);
    throwsJs(() => new Q(8, ok[1], ok[2], misaligned, noop), 'misaligned completions');
    throwsJs(() => (Queue as unknown as Loose)(...ok), 'called without new');
  });

  it('submitNop/submitCmd/flush/registerBuffers refuse wrong arguments and receivers', () => {
    const { Queue } = loadNative();
    const q = newQueue();
    try {
      const submitNop = q.submitNop as unknown as Loose;
      const submitCmd = q.submitCmd as unknown as Loose;
      const registerBuffers = q.registerBuffers as unknown as Loose;
      throwsJs(() => submitNop.call(q), 'submitNop()');
      for (const v of [...JUNK.filter((x) => typeof x !== 'number'), 8, 2 ** 32 + 1, 1.5, -1]) {
        throwsJs(() => submitNop.call(q, v), `submitNop(${String(v)})`);
      }
      // fd -1: should a case slip through, the kernel fails it (EBADF) instead of touching stdin.
      const good: unknown[] = [0, -1, 6, 1, new Uint8Array(512), 512, 96, 1000, -1];
      throwsJs(() => submitCmd.call(q), 'submitCmd()');
      throwsJs(() => submitCmd.call(q, ...good.slice(0, 8)), 'submitCmd with 8 arguments');
      for (let i = 0; i < good.length; i++) {
        for (const v of JUNK) {
          if (i === 4 && v === null) continue; // null data is checked with the direction below
          // Data is raw memory: any typed array holding dataLen bytes will do.
          if (i === 4 && ArrayBuffer.isView(v) && v.byteLength >= 512) continue;
          if (typeof v === 'number' && i !== 8 && i !== 5) continue;
          if (i === 8 && v === -1) continue; // -1: no registered buffer, the valid default
          const args = [...good];
          args[i] = v;
          throwsJs(() => submitCmd.call(q, ...args), `submitCmd argument ${i} = ${String(v)}`);
        }
      }
      const cmd = (patch: Record<number, unknown>) => {
        const args = [...good];
        for (const [i, v] of Object.entries(patch)) args[Number(i)] = v;
        return () => submitCmd.call(q, ...args);
      };
      throwsJs(cmd({ 2: 0 }), 'cdbLen 0');
      throwsJs(cmd({ 2: 33 }), 'cdbLen 33');
      throwsJs(cmd({ 2: 2 ** 32 + 6 }), 'cdbLen wrapping to 6');
      throwsJs(cmd({ 6: 2 ** 32 + 96 }), 'senseLen wrapping to 96');
      throwsJs(cmd({ 3: 3 }), 'direction 3');
      throwsJs(cmd({ 4: null }), 'data-in without a buffer');
      throwsJs(cmd({ 5: 513 }), 'dataLen past the buffer');
      throwsJs(cmd({ 5: 0 }), 'dataLen 0 with a data phase');
      throwsJs(cmd({ 5: Number.POSITIVE_INFINITY }), 'dataLen Infinity');
      throwsJs(cmd({ 6: 0 }), 'senseLen 0');
      throwsJs(cmd({ 6: 253 }), 'senseLen 253');
      throwsJs(cmd({ 0: 8 }), 'slot past the ring');
      // No buffer registered yet: any index is wrong, and so is one beyond 16 bits.
      throwsJs(cmd({ 8: 0 }), 'bufIndex without registered buffers');
      throwsJs(cmd({ 8: 65536 }), 'bufIndex 65536');
      throwsJs(cmd({ 8: -2 }), 'bufIndex -2');
      throwsJs(() => registerBuffers.call(q), 'registerBuffers()');
      throwsJs(() => registerBuffers.call(q, 'x', 4096), 'registerBuffers(junk)');
      throwsJs(() => registerBuffers.call(q, 0, 4096), 'zero buffers');
      throwsJs(() => registerBuffers.call(q, 1, 0), 'zero-byte buffers');
      throwsJs(() => registerBuffers.call(q, 2000, 4096), 'too many buffers');
      throwsJs(() => registerBuffers.call(q, 1, 2 ** 30), 'a buffer above 64 MiB');
      throwsJs(() => registerBuffers.call(q, 2 ** 32 + 1, 4096), 'a count wrapping to 1');
      for (const method of ['submitNop', 'submitCmd', 'flush', 'registerBuffers', 'close'] as const) {
        const m = Queue.prototype[method] as unknown as Loose;
        for (const receiver of [{}, null, undefined, 'q', new (loadNative().Ring)(8)]) {
          throwsJs(() => m.call(receiver, 0), `Queue.prototype.${method} on ${String(receiver)}`);
        }
      }
      // After all that the queue still works.
      expect(q.submitNop(0)).toBe(0);
      expect(q.flush()).toBeGreaterThanOrEqual(0);
    } finally {
      q.close(1000);
    }
  });

  it('the stage area: bad records throw from flush with nothing written, and the queue goes on', () => {
    const { Queue, STAGE_WORDS, RECORD_WORDS } = loadNative();
    const entries = 8;
    const stage = new Int32Array(entries * STAGE_WORDS);
    const refs: Array<Uint8Array | null> = new Array(entries).fill(null);
    const Q = Queue as unknown as new (...a: unknown[]) => NativeQueue;
    const areas = () => [
      new Uint8Array(entries * 32),
      new Uint8Array(entries * 256),
      new Uint8Array(entries * RECORD_WORDS * 4),
      noop,
    ];
    throwsJs(
      () => new Q(entries, ...areas(), new Uint8Array(entries * STAGE_WORDS * 4), refs),
      'Uint8Array stage',
    );
    throwsJs(() => new Q(entries, ...areas(), new Int32Array(STAGE_WORDS), refs), 'stage too small');
    throwsJs(() => new Q(entries, ...areas(), stage, {}), 'refs not an array');
    const q = new Q(entries, ...areas(), stage, refs);
    const record = (i: number, words: number[]) => stage.set(words, i * STAGE_WORDS);
    const cmd = (
      slot: number,
      o: Partial<Record<'cdbLen' | 'dir' | 'dataLen' | 'sense' | 'buf', number>> = {},
    ) => [slot, 1, 0, o.cdbLen ?? 6, o.dir ?? 0, o.dataLen ?? 0, o.sense ?? 96, 1000, o.buf ?? -1];
    try {
      const bad: Array<[string, number[][]]> = [
        ['slot out of range', [[entries, 0]]],
        ['negative slot', [[-1, 0]]],
        ['unknown op', [[0, 7]]],
        [
          'the same slot twice',
          [
            [1, 0],
            [1, 0],
          ],
        ],
        ['cdbLen 0', [cmd(0, { cdbLen: 0 })]],
        ['cdbLen 33', [cmd(0, { cdbLen: 33 })]],
        ['direction 3', [cmd(0, { dir: 3 })]],
        ['sense 0', [cmd(0, { sense: 0 })]],
        ['sense 253', [cmd(0, { sense: 253 })]],
        ['bufIndex without registered buffers', [cmd(0, { buf: 0 })]],
        ['data-in without a buffer at its slot', [cmd(2, { dir: 1, dataLen: 8 })]],
        ['a good NOP, then a bad record', [[3, 0], cmd(4, { cdbLen: 40 })]],
      ];
      for (const [label, records] of bad) {
        for (const [i, r] of records.entries()) record(i, r);
        throwsJs(() => q.flush(false, records.length), label);
        expect(q.inflight, `${label}: nothing written`).toBe(0);
      }
      refs[5] = new Uint8Array(4);
      record(0, cmd(5, { dir: 1, dataLen: 8 }));
      throwsJs(() => q.flush(false, 1), 'dataLen beyond the buffer');
      refs[5] = new Uint16Array(8) as unknown as Uint8Array;
      throwsJs(() => q.flush(false, 1), 'a Uint16Array at the slot');
      refs[5] = null;
      for (const n of [entries + 1, -1, 1.5, Number.NaN]) throwsJs(() => q.flush(false, n), `staged ${n}`);
      // Still usable: two NOPs staged and sent in one flush.
      record(0, [6, 0]);
      record(1, [7, 0]);
      expect(q.flush(false, 2)).toBe(2);
      expect(q.inflight).toBe(2);
    } finally {
      q.close(1000);
    }
  });

  it('registerBuffers twice is refused; indexes beyond the registered count are refused', () => {
    const q = newQueue();
    try {
      const buffers = q.registerBuffers(2, 4096);
      expect(buffers).toHaveLength(2);
      const e = throwsJs(() => q.registerBuffers(2, 4096), 'second registerBuffers');
      expect(e).toMatchObject({ code: 'ERR_SCSIKIT_BUFFERS_REGISTERED' });
      const data = new Uint8Array(buffers[0] as ArrayBuffer);
      throwsJs(() => q.submitCmd(0, 0, 6, 1, data, 512, 96, 1000, 2), 'bufIndex 2 of 2');
    } finally {
      q.close(1000);
    }
  });

  it('after close: every method throws, close again is a no-op, registered memory stays valid', () => {
    const q = newQueue();
    const [buffer] = q.registerBuffers(1, 4096);
    expect(q.close(1000)).toBe(0);
    expect(q.close(1000)).toBe(0);
    expect((q.close as unknown as Loose).call(q, 'soon')).toBe(0);
    expect(q.isOpen).toBe(false);
    for (const [label, call] of [
      ['submitNop', () => q.submitNop(0)],
      ['submitCmd', () => q.submitCmd(0, 0, 6, 0, null, 0, 96, 1000, -1)],
      ['flush', () => q.flush()],
      ['registerBuffers', () => q.registerBuffers(1, 4096)],
    ] as const) {
      expect(throwsJs(call, `${label} after close`).message).toMatch(/closed/);
    }
    // Unregistered, but the ArrayBuffer still owns its memory until it is collected.
    const bytes = new Uint8Array(buffer as ArrayBuffer);
    bytes.fill(0xa5);
    expect(bytes[4095]).toBe(0xa5);
  });
});

describe('JS wrappers over the addon', () => {
  it('a lease released twice throws; released after the ring closed is a no-op', async () => {
    const q = ThreadQueue.acquire(16);
    const pool = q.bufferPool(2, 4096);
    const a = await pool.acquire(100);
    a.release();
    expect(() => a.release()).toThrow(/released twice/);
    // The thread's ring registers once: asking again hands back the same pool.
    expect(q.bufferPool(2, 4096)).toBe(pool);
    await expect(pool.acquire(8192)).rejects.toBeInstanceOf(InvalidCommandError);
    const b = await pool.acquire(100);
    ThreadQueue.release(q, 100);
    expect(() => b.release()).not.toThrow();
    await expect(pool.acquire(1)).rejects.toBeInstanceOf(TransportClosedError);
  });

  it('NopQueue: close twice is a no-op; a NOP after close rejects', async () => {
    const n = new NopQueue(8);
    expect(await n.nop()).toBe(0);
    n.close();
    n.close();
    await expect(n.nop()).rejects.toThrow(/closed/);
  });

  it('allocateAligned refuses every wrong type and size', () => {
    const { allocateAligned } = loadNative();
    const alloc = allocateAligned as unknown as Loose;
    throwsJs(() => alloc(), 'no arguments');
    for (const v of [...JUNK.filter((x) => typeof x !== 'number'), 0, -1, 2 ** 40, Number.NaN]) {
      throwsJs(() => alloc(v), `allocateAligned(${String(v)})`);
    }
    expect(new Uint8Array(alloc(4096) as ArrayBuffer).byteLength).toBe(4096);
  });
});

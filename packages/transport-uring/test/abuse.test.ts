/**
 * The addon driven the way a careless or hostile caller would: wrong types and argument counts,
 * methods on the wrong receiver, every call after close, double close, buffers registered twice,
 * leases released twice. Each case must throw a JS error (or be a harmless no-op), never crash the
 * process. `npm test` runs this project again against an AddressSanitizer + UBSan build of the
 * addon (scripts/run-tests.mjs), so an out-of-bounds access or use-after-free here fails the run.
 */
import { InvalidCommandError, TransportClosedError } from '@scsikit/transport';
import { describe, expect, it } from 'vitest';
import { NopQueue } from '../src/index.js';
import { loadNative, type NativeQueue } from '../src/native.js';
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

/** A native queue with its stage area and data array, as ThreadQueue builds one. */
function newQueue(entries = 8): {
  q: NativeQueue;
  stage: Int32Array;
  refs: Array<Uint8Array | null>;
  /** Writes stage record `i` (missing words are 0). */
  record: (i: number, words: readonly number[]) => void;
} {
  const { Queue, RECORD_WORDS, STAGE_WORDS } = loadNative();
  const stage = new Int32Array(entries * STAGE_WORDS);
  const refs: Array<Uint8Array | null> = new Array(entries).fill(null);
  const q = new Queue(
    entries,
    new Uint8Array(entries * 32),
    new Uint8Array(entries * 256),
    new Uint8Array(entries * RECORD_WORDS * 4),
    noop,
    stage,
    refs,
  );
  const record = (i: number, words: readonly number[]) => {
    stage.fill(0, i * STAGE_WORDS, (i + 1) * STAGE_WORDS);
    stage.set(words, i * STAGE_WORDS);
  };
  return { q, stage, refs, record };
}

/** A staged URING_CMD record: slot, op 1, fd, cdbLen, direction, dataLen, senseLen, timeout, bufIndex. */
function cmdRecord(
  slot: number,
  o: Partial<Record<'fd' | 'cdbLen' | 'dir' | 'dataLen' | 'sense' | 'buf', number>> = {},
): number[] {
  // fd -1: should a case slip through, the kernel fails it (EBADF) instead of touching stdin.
  return [slot, 1, o.fd ?? -1, o.cdbLen ?? 6, o.dir ?? 0, o.dataLen ?? 0, o.sense ?? 96, 1000, o.buf ?? -1];
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
    // uringCmd and the bench's cmdWait share one argument check.
    for (const [name, cmd] of [
      ['uringCmd', uringCmd],
      ['cmdWait', r.cmdWait as unknown as Loose],
    ] as const) {
      throwsJs(() => cmd.call(r), `${name}()`);
      for (const cdb of JUNK) throwsJs(() => cmd.call(r, 0, cdb, 0, null, sense, 100), `${name}: junk cdb`);
      for (const s of [null, new Uint8Array(0), 'x', new ArrayBuffer(96)]) {
        throwsJs(() => cmd.call(r, 0, new Uint8Array(6), 0, null, s, 100), `${name}: junk sense`);
      }
      for (const data of [null, new Uint8Array(0), 'x', new ArrayBuffer(8)]) {
        throwsJs(() => cmd.call(r, 0, new Uint8Array(6), 1, data, sense, 100), `${name}: junk data-in`);
      }
      throwsJs(() => cmd.call(r, 0, new Uint8Array(6), 3, null, sense, 100), `${name}: direction 3`);
    }
    for (const method of ['nops', 'uringCmd', 'cmdWait', 'close'] as const) {
      const m = Ring.prototype[method] as unknown as Loose;
      for (const receiver of [{}, null, undefined, 1, newQueue().q]) {
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
    const stageWords = loadNative().STAGE_WORDS;
    const ok = [
      8,
      new Uint8Array(256),
      new Uint8Array(2048),
      new Uint8Array(192),
      noop,
      new Int32Array(8 * stageWords),
      [],
    ] as const;
    throwsJs(() => new Q(), 'no arguments');
    throwsJs(() => new Q(...ok.slice(0, 5)), 'without the stage area');
    throwsJs(() => new Q(...ok.slice(0, 6)), 'without the data array');
    for (let i = 0; i < ok.length; i++) {
      for (const v of JUNK) {
        // Any typed array of enough bytes is accepted as raw memory, any function as the callback.
        if (i < 4 && ArrayBuffer.isView(v) && v.byteLength >= ([0, 256, 2048, 192][i] ?? Infinity)) continue;
        if (i === 4 && typeof v === 'function') continue;
        if (i === 6 && Array.isArray(v)) continue;
        const args: unknown[] = [...ok];
        args[i] = v;
        throwsJs(() => new Q(...args), `argument ${i} = ${String(v)}`);
      }
    }
    const misaligned = new Uint8Array(193).subarray(1);
    throwsJs(() => new Q(8, ok[1], ok[2], misaligned, noop, ok[5], ok[6]), 'misaligned completions');
    throwsJs(() => (Queue as unknown as Loose)(...ok), 'called without new');
  });

  it('flush/registerBuffers refuse wrong arguments and receivers', () => {
    const { Queue } = loadNative();
    const { q, record } = newQueue();
    try {
      const flush = q.flush as unknown as Loose;
      const registerBuffers = q.registerBuffers as unknown as Loose;
      for (const v of [
        ...JUNK.filter((x) => x !== undefined && typeof x !== 'number'),
        9,
        2 ** 32 + 1,
        1.5,
        -1,
      ]) {
        throwsJs(() => flush.call(q, false, v), `flush(false, ${String(v)})`);
      }
      throwsJs(() => registerBuffers.call(q), 'registerBuffers()');
      throwsJs(() => registerBuffers.call(q, 'x', 4096), 'registerBuffers(junk)');
      throwsJs(() => registerBuffers.call(q, 0, 4096), 'zero buffers');
      throwsJs(() => registerBuffers.call(q, 1, 0), 'zero-byte buffers');
      throwsJs(() => registerBuffers.call(q, 2000, 4096), 'too many buffers');
      throwsJs(() => registerBuffers.call(q, 1, 2 ** 30), 'a buffer above 64 MiB');
      throwsJs(() => registerBuffers.call(q, 2 ** 32 + 1, 4096), 'a count wrapping to 1');
      for (const method of ['flush', 'registerBuffers', 'close'] as const) {
        const m = Queue.prototype[method] as unknown as Loose;
        for (const receiver of [{}, null, undefined, 'q', new (loadNative().Ring)(8)]) {
          throwsJs(() => m.call(receiver, 0), `Queue.prototype.${method} on ${String(receiver)}`);
        }
      }
      // After all that the queue still works.
      record(0, [0, 0]);
      expect(q.flush(false, 1)).toBe(1);
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
    const cmd = cmdRecord;
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
        ['cdbLen -1', [cmd(0, { cdbLen: -1 })]],
        ['sense -1', [cmd(0, { sense: -1 })]],
        ['bufIndex without registered buffers', [cmd(0, { buf: 0 })]],
        ['bufIndex 65536', [cmd(0, { buf: 65536 })]],
        ['bufIndex -2', [cmd(0, { buf: -2 })]],
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
      record(0, cmd(5, { dir: 1, dataLen: 0 }));
      throwsJs(() => q.flush(false, 1), 'dataLen 0 with a data phase');
      record(0, cmd(5, { dir: 2, dataLen: -1 }));
      throwsJs(() => q.flush(false, 1), 'dataLen -1');
      refs[5] = new Uint16Array(8) as unknown as Uint8Array;
      throwsJs(() => q.flush(false, 1), 'a Uint16Array at the slot');
      refs[5] = null;
      for (const n of [entries + 1, -1, 1.5, Number.NaN]) throwsJs(() => q.flush(false, n), `staged ${n}`);
      // Still usable: two NOPs staged and sent in one flush.
      record(0, [6, 0]);
      record(1, [7, 0]);
      expect(q.flush(false, 2)).toBe(2);
      expect(q.inflight).toBe(2);
      // A slot the kernel still owns cannot be staged again.
      record(0, [6, 0]);
      const busy = throwsJs(() => q.flush(false, 1), 'a busy slot');
      expect(busy).toMatchObject({ code: 'ERR_SCSIKIT_SLOT_BUSY' });
    } finally {
      q.close(1000);
    }
  });

  it('registerBuffers twice is refused; indexes beyond the registered count are refused', () => {
    const { q, refs, record } = newQueue();
    try {
      const buffers = q.registerBuffers(2, 4096);
      expect(buffers).toHaveLength(2);
      const e = throwsJs(() => q.registerBuffers(2, 4096), 'second registerBuffers');
      expect(e).toMatchObject({ code: 'ERR_SCSIKIT_BUFFERS_REGISTERED' });
      refs[0] = new Uint8Array(buffers[0] as ArrayBuffer);
      record(0, cmdRecord(0, { dir: 1, dataLen: 512, buf: 2 }));
      throwsJs(() => q.flush(false, 1), 'bufIndex 2 of 2');
      expect(q.inflight).toBe(0);
    } finally {
      q.close(1000);
    }
  });

  it('after close: every method throws, close again is a no-op, registered memory stays valid', () => {
    const { q, record } = newQueue();
    const [buffer] = q.registerBuffers(1, 4096);
    record(0, [0, 0]);
    expect(q.close(1000)).toBe(0);
    expect(q.close(1000)).toBe(0);
    expect((q.close as unknown as Loose).call(q, 'soon')).toBe(0);
    expect(q.isOpen).toBe(false);
    for (const [label, call] of [
      ['flush', () => q.flush()],
      ['flush with a staged NOP', () => q.flush(false, 1)],
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

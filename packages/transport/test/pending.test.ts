import { describe, expect, it, vi } from 'vitest';
import {
  PendingCommands,
  type ScsiCommand,
  type ScsiResult,
  TransportAbortedError,
  TransportClosedError,
  TransportTimeoutError,
} from '../src/index.js';

const tur: ScsiCommand = { cdb: new Uint8Array(6), direction: 'none' };
const result: ScsiResult = {
  status: 0,
  hostStatus: 0,
  driverStatus: 0,
  sense: new Uint8Array(0),
  residual: 0,
  data: new Uint8Array(0),
  latencyNs: 1,
};

describe('PendingCommands', () => {
  it('settles once: a late completion after the watchdog is ignored', async () => {
    vi.useFakeTimers();
    try {
      const set = new PendingCommands();
      const orphaned = vi.fn();
      const p = set.track({ ...tur, timeoutMs: 100 }, orphaned);
      const settled = p.promise.catch((e: unknown) => e);
      vi.advanceTimersByTime(99);
      expect(p.settled).toBe(false);
      vi.advanceTimersByTime(1);
      const err = await settled;
      expect(err).toBeInstanceOf(TransportTimeoutError);
      expect((err as TransportTimeoutError).timeoutMs).toBe(100);
      expect(orphaned).toHaveBeenCalledOnce();
      expect(p.resolve(result)).toBe(false);
      expect(set.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('one timer serves every deadline: a shorter one tracked later fires first, each at its own time', async () => {
    vi.useFakeTimers();
    try {
      const set = new PendingCommands();
      const long = set.track({ ...tur, timeoutMs: 300 });
      const completes = set.track({ ...tur, timeoutMs: 100 });
      vi.advanceTimersByTime(50);
      const short = set.track({ ...tur, timeoutMs: 100 }); // deadline 150, after `completes`' 100
      const order: string[] = [];
      for (const [name, p] of [
        ['long', long],
        ['short', short],
      ] as const) {
        p.promise.catch(() => order.push(name));
      }
      completes.resolve(result); // its deadline passes with nothing to time out
      vi.advanceTimersByTime(99); // t = 149
      await Promise.resolve();
      expect(short.settled).toBe(false);
      vi.advanceTimersByTime(1); // t = 150
      await Promise.resolve();
      expect(short.settled).toBe(true);
      expect(long.settled).toBe(false);
      vi.advanceTimersByTime(149); // t = 299
      await Promise.resolve();
      expect(long.settled).toBe(false);
      vi.advanceTimersByTime(1);
      await Promise.resolve();
      expect(order).toEqual(['short', 'long']);
      expect(set.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('defaults the watchdog to 30 s', async () => {
    vi.useFakeTimers();
    try {
      const p = new PendingCommands().track(tur);
      const settled = p.promise.catch((e: unknown) => e);
      vi.advanceTimersByTime(29_999);
      expect(p.settled).toBe(false);
      vi.advanceTimersByTime(1);
      expect(await settled).toBeInstanceOf(TransportTimeoutError);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects on abort with the reason as cause, and stops listening once settled', async () => {
    const controller = new AbortController();
    const set = new PendingCommands();
    const p = set.track({ ...tur, signal: controller.signal });
    controller.abort('enough');
    const err = await p.promise.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportAbortedError);
    expect((err as Error).cause).toBe('enough');

    const c2 = new AbortController();
    const q = set.track({ ...tur, signal: c2.signal });
    expect(q.resolve(result)).toBe(true);
    await expect(q.promise).resolves.toBe(result);
    c2.abort(); // must not throw nor settle twice
    expect(q.reject(new TransportClosedError())).toBe(false);
  });

  it('rejectAll settles every open command for close()', async () => {
    const set = new PendingCommands();
    const ps = [set.track(tur), set.track(tur), set.track(tur)];
    ps[1]!.resolve(result);
    expect(set.rejectAll(() => new TransportClosedError())).toBe(2);
    const outcomes = await Promise.allSettled(ps.map((p) => p.promise));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    expect(set.size).toBe(0);
  });
});

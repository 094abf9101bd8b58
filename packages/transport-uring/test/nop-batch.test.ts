import { describe, expect, it } from 'vitest';
import { NopQueue } from '../src/index.js';

describe('NopQueue.nops: a batch of NOPs, one promise', () => {
  it('settles once every NOP of the batch has completed, and gives every slot back', async () => {
    const q = new NopQueue(64);
    try {
      const p = q.nops(64);
      // All 64 staged in this synchronous run: no slot is free until the flush has reaped them.
      expect(q.freeSlots).toBe(0);
      await expect(p).resolves.toBe(0);
      expect(q.freeSlots).toBe(64);
      for (let i = 0; i < 200; i++) expect(await q.nops(1 + (i % 64))).toBe(0);
      // Through io-wq workers: completions arrive later, from another CPU.
      await expect(q.nops(17, { viaWorker: true })).resolves.toBe(0);
      expect(q.freeSlots).toBe(64);
    } finally {
      q.close();
    }
  });

  it('refuses, with nothing sent, a count that is not a positive integer or exceeds the free slots', async () => {
    const q = new NopQueue(8);
    try {
      await expect(q.nops(0)).rejects.toThrow(RangeError);
      await expect(q.nops(1.5)).rejects.toThrow(RangeError);
      await expect(q.nops(9)).rejects.toThrow(/no room/);
      expect(q.freeSlots).toBe(8);
      const held = q.nop();
      await expect(q.nops(8)).rejects.toThrow(/no room/);
      await held;
      await expect(q.nops(8)).resolves.toBe(0);
    } finally {
      q.close();
    }
    await expect(q.nops(1)).rejects.toThrow(/closed/);
  });
});

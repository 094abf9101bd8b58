import { InvalidCommandError } from '@scsikit/transport';
import { describe, expect, it } from 'vitest';
import { allocateAligned } from '../src/index.js';
import { loadNative } from '../src/native.js';

describe('allocateAligned: page-aligned native buffers for command data', () => {
  it('returns zeroed memory of exactly the size asked, writable from JS', () => {
    for (const n of [1, 512, 4096, 4097, 1 << 20]) {
      const b = allocateAligned(n);
      expect(b.length).toBe(n);
      expect(b.every((x) => x === 0)).toBe(true);
      b.fill(0xa5);
      expect(b[n - 1]).toBe(0xa5);
    }
  });

  it('rejects sizes outside 1..64 MiB with a typed error, before native code', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, 64 * 1024 * 1024 + 1]) {
      expect(() => allocateAligned(bad)).toThrow(InvalidCommandError);
    }
  });

  it('the native function refuses wrong types and sizes itself (abuse)', () => {
    const native = loadNative() as unknown as { allocateAligned: (x: unknown) => ArrayBuffer };
    expect(() => native.allocateAligned('4096')).toThrow(TypeError);
    expect(() => (native.allocateAligned as () => ArrayBuffer)()).toThrow(TypeError);
    expect(() => native.allocateAligned(0)).toThrow(RangeError);
    expect(() => native.allocateAligned(2 ** 40)).toThrow(RangeError);
  });

  it('many short-lived buffers are collected (finalizers free the memory)', () => {
    for (let i = 0; i < 2000; i++) allocateAligned(64 * 1024)[0] = i & 0xff;
    expect(allocateAligned(8).length).toBe(8);
  });
});

/**
 * Every `decode…` export of the package index, fed random bytes: each call returns or throws
 * DecodeError, never another exception (a RangeError from a DataView, a TypeError from an
 * undefined index …). New decoders are picked up automatically; one that needs a required extra
 * argument must be given a caller in CALLERS (test/fuzz/harness.ts, shared with the long fuzz run),
 * or the coverage test fails.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as cdb from '../src/index.js';
import { randomBytes as byteArb, CALLERS } from './fuzz/harness.js';

type Decoder = (bytes: cdb.ByteSource) => unknown;

const decoders = Object.entries(cdb)
  .filter(([name, value]) => name.startsWith('decode') && typeof value === 'function')
  .map(([name, value]) => [name, value as (...args: never[]) => unknown] as const)
  .sort(([a], [b]) => a.localeCompare(b));

/** The same bytes as a view at a non-zero offset of a larger buffer, or as a bare ArrayBuffer. */
function variants(bytes: Uint8Array): cdb.ByteSource[] {
  const big = new Uint8Array(bytes.length + 7);
  big.set(bytes, 3);
  return [bytes, big.subarray(3, 3 + bytes.length), bytes.slice().buffer];
}

describe('decoders fuzz: random bytes → result or DecodeError', () => {
  it('finds the decoders and has a caller for each that needs more than bytes', () => {
    expect(decoders.length).toBeGreaterThan(80);
    const needsCaller = decoders.filter(([name, fn]) => fn.length > 1 && !(name in CALLERS)).map(([n]) => n);
    expect(needsCaller).toEqual([]);
    for (const name of Object.keys(CALLERS)) expect(name in cdb, name).toBe(true);
  });

  it.each(decoders)('%s', (name, fn) => {
    const caller = CALLERS[name];
    fc.assert(
      fc.property(byteArb, fc.integer({ min: 0, max: 255 }), (bytes, n) => {
        for (const source of variants(bytes)) {
          try {
            if (caller === undefined) (fn as unknown as Decoder)(source);
            else caller(fn, cdb.toBytes(source), n);
          } catch (e) {
            if (!(e instanceof cdb.DecodeError)) {
              throw new Error(`${name} threw ${String(e)} on ${cdb.hex(bytes)}`, { cause: e });
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

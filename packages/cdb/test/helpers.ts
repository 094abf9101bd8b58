/** Helpers shared by the builder tests (commands-*.test.ts). */
import fc from 'fast-check';
import { expect } from 'vitest';
import type { z } from 'zod';
import { hex } from '../src/bytes.js';
import { CdbBuildError, DecodeError } from '../src/errors.js';
import type { CdbSpec } from '../src/types.js';

/** Hex as written in the tests ('28 00 …') without the spaces, to compare with `hex()`. */
export const h = (s: string): string => s.replace(/\s+/gu, '');

/** The CDB of a spec in hex. */
export const bytes = (spec: CdbSpec): string => hex(spec.cdb);

export function expectSpec(
  spec: CdbSpec,
  cdb: string,
  direction: CdbSpec['direction'],
  length: number,
): void {
  expect(hex(spec.cdb)).toBe(h(cdb));
  expect(spec.direction).toBe(direction);
  expect(spec.transferLength).toBe(length);
}

/** Runs `fn`, which must throw CdbBuildError, and returns the error. */
export function buildError(fn: () => unknown): CdbBuildError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CdbBuildError);
    return e as CdbBuildError;
  }
  throw new Error('expected a CdbBuildError');
}

const isSpec = (v: unknown): v is CdbSpec => typeof v === 'object' && v !== null && 'cdb' in v;

/**
 * Random params either build or throw CdbBuildError; the zod schema (when given) accepts exactly
 * the params that build; a built CdbSpec has direction 'none' exactly when it moves no data, and a
 * CDB length from `cdbLengths` when given.
 */
export function checkBuilder<P, R>(
  arb: fc.Arbitrary<Record<string, unknown>>,
  build: (p: P) => R,
  schema: z.ZodType<P> | undefined,
  cdbLengths?: readonly number[],
): void {
  fc.assert(
    fc.property(arb, (params) => {
      let built = false;
      let result: R | undefined;
      try {
        result = build(params as P);
        built = true;
      } catch (e) {
        expect(e).toBeInstanceOf(CdbBuildError);
      }
      if (schema !== undefined) expect(schema.safeParse(params).success).toBe(built);
      if (isSpec(result)) {
        expect(result.direction === 'none').toBe(result.transferLength === 0);
        if (cdbLengths !== undefined) expect(cdbLengths).toContain(result.cdb.length);
      }
    }),
    { numRuns: 300 },
  );
}

/** Runs `fn`, which must throw DecodeError naming `field`. */
export function expectDecodeError(fn: () => unknown, field: string): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DecodeError);
    expect((e as DecodeError).field).toBe(field);
    return;
  }
  throw new Error('expected a DecodeError');
}

/**
 * Hot-path cost of building READ(16) CDBs. Run with
 * `pnpm exec vitest bench --run --project cdb packages/cdb/bench` (without `--project` every
 * workspace project runs it, in parallel, which skews the numbers).
 *
 * tinybench times each iteration separately, and its per-iteration overhead (~100 ns) would
 * swamp a ~10 ns encode, so every iteration encodes BATCH CDBs: encodes/s = hz × BATCH.
 * Target: ≥ 5 M `encodeRead16` calls per second into a preallocated buffer.
 */
import { bench, describe } from 'vitest';
import { buildRead16, encodeRead16, RwFlag } from '../src/commands/sbc-io.js';

const BATCH = 1000;
const SLOTS = 256;
const ring = new Uint8Array(16 * SLOTS);
let seed = 0;

describe(`READ(16) CDB, ${BATCH} per iteration`, () => {
  bench('encodeRead16, number LBA, preallocated buffer', () => {
    for (let k = 0; k < BATCH; k++) {
      const slot = seed++ & (SLOTS - 1);
      encodeRead16(ring, slot * 16, seed * 8 + 1_000_000, 8, RwFlag.FUA);
    }
  });

  bench('encodeRead16, bigint LBA, preallocated buffer', () => {
    for (let k = 0; k < BATCH; k++) {
      const slot = seed++ & (SLOTS - 1);
      encodeRead16(ring, slot * 16, 0x1_0000_0000n + BigInt(slot), 8);
    }
  });

  bench('buildRead16 (allocates a CdbSpec per call)', () => {
    for (let k = 0; k < BATCH; k++) buildRead16({ lba: (seed++ & 0xffff) * 8, blocks: 8 });
  });
});

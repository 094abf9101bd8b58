import { buildRead, buildWrite } from '@scsikit/cdb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rwSpec } from '../src/sbc.js';

describe("Device's READ/WRITE CDBs are the public builders' bytes", () => {
  it.each([10, 16] as const)('size %d, every flag combination', (size) => {
    const lba =
      size === 10
        ? fc.bigInt({ min: 0n, max: 0xffff_0000n })
        : fc.oneof(
            fc.bigInt({ min: 0n, max: (1n << 64n) - 0x1_0000_0000n }),
            fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }),
          );
    const blocks =
      size === 10 ? fc.integer({ min: 1, max: 0xffff }) : fc.integer({ min: 1, max: 0xffff_ffff });
    fc.assert(
      fc.property(
        lba,
        blocks,
        fc.constantFrom(512, 4096),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (l, b, bl, dpo, fua, read) => {
          const params = {
            lba: l,
            blocks: b,
            blockLength: bl,
            ...(dpo ? { dpo } : {}),
            ...(fua ? { fua } : {}),
          };
          const expected = read ? buildRead(params, { size }) : buildWrite(params, { size });
          expect(rwSpec(read ? 'read' : 'write', size, l, b, bl, dpo, fua)).toEqual(expected);
          // Device passes LBAs below 2^53 as numbers: the same bytes.
          if (l <= BigInt(Number.MAX_SAFE_INTEGER))
            expect(rwSpec(read ? 'read' : 'write', size, Number(l), b, bl, dpo, fua)).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

import { buildRead10, buildRead16, buildWrite10, buildWrite16 } from '@scsikit/cdb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmulatedDisk } from '../src/index.js';

const BLOCKS = 4096;
const BL = 512;

describe('properties', () => {
  it('random writes and reads at random LBAs always read back what a shadow Map holds', async () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('write' as const),
        lba: fc.integer({ min: 0, max: BLOCKS - 1 }),
        blocks: fc.integer({ min: 1, max: 16 }),
        seed: fc.integer({ min: 0, max: 255 }),
        big: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('read' as const),
        lba: fc.integer({ min: 0, max: BLOCKS - 1 }),
        blocks: fc.integer({ min: 1, max: 16 }),
        big: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('unmap' as const),
        lba: fc.integer({ min: 0, max: BLOCKS - 1 }),
        blocks: fc.integer({ min: 1, max: 16 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), async (ops) => {
        const disk = new EmulatedDisk({ capacity: { blocks: BLOCKS }, thinProvisioning: true });
        const shadow = new Map<number, Uint8Array>();
        const expected = (lba: number) => shadow.get(lba) ?? new Uint8Array(BL);
        for (const o of ops) {
          const inRange = o.lba + o.blocks <= BLOCKS;
          if (o.kind === 'write') {
            const data = new Uint8Array(o.blocks * BL).map((_, i) => (o.seed + i * 13 + o.lba) & 0xff);
            const spec = (o.big ? buildWrite16 : buildWrite10)({ lba: o.lba, blocks: o.blocks });
            const r = await disk.execute({ cdb: spec.cdb, direction: 'out', data });
            expect(r.status).toBe(inRange ? 0 : 2);
            if (inRange)
              for (let i = 0; i < o.blocks; i++) shadow.set(o.lba + i, data.slice(i * BL, (i + 1) * BL));
          } else if (o.kind === 'unmap') {
            if (!inRange) continue;
            const cdb = new Uint8Array(16);
            cdb[0] = 0x93; // WRITE SAME(16) with UNMAP
            cdb[1] = 0x08;
            new DataView(cdb.buffer).setBigUint64(2, BigInt(o.lba));
            new DataView(cdb.buffer).setUint32(10, o.blocks);
            expect((await disk.execute({ cdb, direction: 'out', data: new Uint8Array(BL) })).status).toBe(0);
            for (let i = 0; i < o.blocks; i++) shadow.delete(o.lba + i);
          } else {
            const spec = (o.big ? buildRead16 : buildRead10)({ lba: o.lba, blocks: o.blocks });
            const r = await disk.execute({ cdb: spec.cdb, direction: 'in', transferLength: o.blocks * BL });
            expect(r.status).toBe(inRange ? 0 : 2);
            if (inRange)
              for (let i = 0; i < o.blocks; i++)
                expect(r.data.subarray(i * BL, (i + 1) * BL)).toEqual(expected(o.lba + i));
          }
        }
        await disk.close();
      }),
      { numRuns: 100 },
    );
  });

  it('random CDB bytes never throw: always a ScsiResult, never an internal target failure', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 1024 }, thinProvisioning: true });
    const zonedDisk = new EmulatedDisk({ capacity: { blocks: 1024 }, zoned: { zoneSize: 128 } });
    const cmd = fc.record({
      cdb: fc.uint8Array({ minLength: 6, maxLength: 32 }),
      direction: fc.constantFrom('none' as const, 'in' as const, 'out' as const),
      length: fc.integer({ min: 0, max: 8192 }),
      opcode: fc.option(
        fc.constantFrom(
          0x00,
          0x03,
          0x12,
          0x15,
          0x1a,
          0x1b,
          0x1d,
          0x25,
          0x28,
          0x2a,
          0x2f,
          0x35,
          0x41,
          0x42,
          0x4d,
          0x55,
          0x5a,
          0x5e,
          0x5f,
          0x88,
          0x89,
          0x8a,
          0x8f,
          0x91,
          0x93,
          0x94,
          0x95,
          0x9e,
          0xa0,
          0xa3,
          0xa8,
          0xaa,
          0xaf,
        ),
      ),
      zoned: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(cmd, async ({ cdb, direction, length, opcode, zoned }) => {
        const bytes = cdb.slice();
        if (opcode !== null) bytes[0] = opcode;
        const t = zoned ? zonedDisk : disk;
        const c =
          direction === 'none'
            ? { cdb: bytes, direction }
            : direction === 'in'
              ? { cdb: bytes, direction, transferLength: length }
              : { cdb: bytes, direction, data: new Uint8Array(length).fill(0xa5) };
        const r = await t.execute(c);
        expect(Number.isInteger(r.status)).toBe(true);
        expect(r.residual).toBeGreaterThanOrEqual(0);
        if (r.status === 2) {
          // HARDWARE ERROR / INTERNAL TARGET FAILURE would mean a handler crashed.
          const fixed = (r.sense[0]! & 0x7f) < 0x72;
          const key = (fixed ? r.sense[2]! : r.sense[1]!) & 0x0f;
          expect(key, `opcode 0x${bytes[0]!.toString(16)}`).not.toBe(4);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { EmulatedDisk, EmulatedDiskOptionsError, resolveOptions } from '../src/index.js';

describe('options', () => {
  it('defaults', () => {
    const o = resolveOptions();
    expect(o).toMatchObject({
      blocks: 131072,
      blockLength: 512,
      queueDepth: 32,
      maxTransferBytes: 1 << 20,
      writeCache: true,
    });
    expect(o.thin).toBeUndefined();
    expect(o.wwn[0]! >> 4).toBe(6);
  });

  it.each([
    [{ queueDepth: 0 }, 'Expected `queueDepth` to be an integer in [1, 4096], got `0` (number)'],
    [{ blockLength: 520 }, 'Expected `blockLength` to be 512 or 4096, got `520` (number)'],
    [{ vendor: 'A VERY LONG VENDOR' }, 'Expected `vendor` to be at most 8 printable ASCII characters'],
    [{ capacity: { bytes: 1000 } }, 'Expected `capacity.bytes` to be a multiple of blockLength (512)'],
    [{ capacity: { blocks: -1 } }, 'Expected `capacity'],
    [{ wwn: '5000c500a1b2c3d4' }, 'Expected `wwn` to be 32 hex digits starting with 6 (NAA-6)'],
    [{ latency: { minMs: 5, maxMs: 1 } }, 'minMs ≤ maxMs'],
    [{ queueDepht: 4 }, 'Unknown option `queueDepht` (did you mean `queueDepth`?)'],
    [
      { zoned: { zoneSize: 64 }, capacity: { blocks: 128 }, thinProvisioning: true },
      '`thinProvisioning` to be off on a zoned disk',
    ],
    [{ maxTransferBytes: 1000 }, 'Expected `maxTransferBytes` to be an integer in [4096,'],
  ])('%j is refused with a clear message', (options, message) => {
    let error: unknown;
    try {
      new EmulatedDisk(options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EmulatedDiskOptionsError);
    expect((error as Error).message).toContain(message);
  });

  it('every problem is reported at once', () => {
    try {
      resolveOptions({ queueDepth: 0, blockLength: 1 as 512 });
      expect.unreachable();
    } catch (e) {
      expect((e as EmulatedDiskOptionsError).issues.map((i) => i.path).sort()).toEqual([
        'blockLength',
        'queueDepth',
      ]);
    }
  });

  it('capacity in bytes or blocks, bigint accepted', () => {
    expect(resolveOptions({ capacity: { bytes: 2n ** 40n } }).blocks).toBe(2 ** 31);
    expect(resolveOptions({ capacity: { blocks: 10n }, blockLength: 4096 }).blocks).toBe(10);
  });

  it('connect() after close throws; close is idempotent and closes every connection', async () => {
    const disk = new EmulatedDisk();
    const b = disk.connect();
    const p = disk.close();
    expect(disk.close()).toBe(p);
    await p;
    expect(b.closed).toBe(true);
    expect(() => disk.connect()).toThrow(/closed/);
  });
});

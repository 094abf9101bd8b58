// How to test your own storage code without a disk: run it against an EmulatedDisk, look at the
// CDBs it received (the recorder) and make chosen blocks fail (fault injection).
import { openDevice } from '@scsikit/core';
import { EmulatedDisk } from '@scsikit/emulated-disk';
import { afterEach, describe, expect, it } from 'vitest';
import { VerifyMismatchError, writeVerified } from './verified-write.js';

const disks: EmulatedDisk[] = [];
afterEach(async () => {
  for (const d of disks.splice(0)) await d.close();
});

async function setup() {
  const disk = new EmulatedDisk({ capacity: { bytes: 16 << 20 } });
  disks.push(disk);
  const dev = await openDevice(disk, { write: true }); // the Device API over the emulated transport
  return { disk, dev };
}

const blocks = (n: number, seed: number) =>
  Uint8Array.from({ length: n * 512 }, (_, i) => (i * 13 + seed) & 0xff);
/** The data commands the disk received, by name (the Device API also sends INQUIRY, READ CAPACITY…). */
const io = (disk: EmulatedDisk) => disk.recorder.commands().filter((n) => /^(READ|WRITE)\(/.test(n));

describe('writeVerified', () => {
  it('writes once with FUA, then reads back in chunks', async () => {
    const { disk, dev } = await setup();
    disk.recorder.clear();
    const result = await writeVerified(dev, 100n, blocks(20, 1));
    expect(result).toEqual({ verified: 20, unreadable: [] });
    expect(io(disk)).toEqual(['WRITE(10)', 'READ(10)', 'READ(10)', 'READ(10)']);
    const write = disk.recorder.entries.find((e) => e.name === 'WRITE(10)');
    expect(write?.cdb[1], 'FUA bit set in the WRITE CDB').toBe(0x08);
  });

  it('names the blocks that fail with MEDIUM ERROR (fault injection on an LBA range)', async () => {
    const { disk, dev } = await setup();
    // Every READ touching LBAs 105–106 fails: 03h/11h/00h, INFORMATION = the first bad LBA.
    disk.faults.add({ opcode: [0x28, 0x88], lbaRange: { start: 105, count: 2 }, effect: 'medium-error' });
    disk.recorder.clear();
    const result = await writeVerified(dev, 100n, blocks(16, 2));
    expect(result).toEqual({ verified: 14, unreadable: [105n, 106n] });
    // The failing chunk was re-read block by block; the recorder shows the outcome of each.
    const failed = disk.recorder.entries.filter(
      (e) => e.outcome?.kind === 'completed' && e.outcome.status === 0x02,
    );
    expect(failed.map((e) => e.outcome)).toContainEqual(
      expect.objectContaining({ sense: { key: 0x3, asc: 0x11, ascq: 0x00 } }),
    );
    expect(failed.every((e) => e.name.startsWith('READ('))).toBe(true);
  });

  it('reports a block that reads back wrong', async () => {
    const { disk, dev } = await setup();
    // A lost write: a custom fault answers GOOD to the WRITE without running it, so nothing reaches
    // the medium and the first block read back (LBA 200) is all zeroes.
    disk.faults.add({ opcode: 0x2a, lbaRange: { start: 203, count: 1 }, effect: { status: 0 } });
    const e = await writeVerified(dev, 200n, blocks(8, 3), 1).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(VerifyMismatchError);
    expect((e as VerifyMismatchError).lba).toBe(200n);
  });
});

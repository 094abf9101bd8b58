import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildCompareAndWrite,
  buildGetLbaStatus,
  buildRead6,
  buildRead10,
  buildRead12,
  buildRead16,
  buildReadCapacity10,
  buildReadCapacity16,
  buildSynchronizeCache10,
  buildSynchronizeCache16,
  buildUnmap,
  buildUnmapData,
  buildVerify10,
  buildVerify16,
  buildWrite6,
  buildWrite10,
  buildWrite12,
  buildWrite16,
  buildWriteSame10,
  buildWriteSame16,
  decodeGetLbaStatus,
  decodeReadCapacity10,
  decodeReadCapacity16,
} from '@scsikit/cdb';
import { describe, expect, it } from 'vitest';
import { EmulatedDisk } from '../src/index.js';
import { expectSense, good, pattern, send } from './helpers.js';

describe('READ CAPACITY', () => {
  it('(10) and (16) report the configured geometry', async () => {
    const disk = new EmulatedDisk({
      capacity: { bytes: 1 << 30 },
      blockLength: 512,
      physicalBlockExponent: 3,
      thinProvisioning: true,
    });
    expect(decodeReadCapacity10((await good(disk, buildReadCapacity10())).data)).toMatchObject({
      returnedLogicalBlockAddress: 2 ** 21 - 1,
      blockLength: 512,
    });
    expect(decodeReadCapacity16((await good(disk, buildReadCapacity16())).data)).toMatchObject({
      returnedLogicalBlockAddress: 2n ** 21n - 1n,
      blockLength: 512,
      logicalBlocksPerPhysicalBlockExponent: 3,
      lbpme: true,
      lbprz: true,
    });
  });

  it('an 8 TiB disk reports FFFFFFFFh in READ CAPACITY(10) and costs nothing until written', async () => {
    const disk = new EmulatedDisk({ capacity: { bytes: 2n ** 43n } });
    expect(
      decodeReadCapacity10((await good(disk, buildReadCapacity10())).data).returnedLogicalBlockAddress,
    ).toBe(0xffffffff);
    expect(disk.allocatedBytes).toBe(0);
    await good(disk, buildWrite16({ lba: 2n ** 32n + 5n, blocks: 1 }), pattern(512, 1));
    expect(disk.allocatedBytes).toBe(64 * 1024);
    const r = await good(disk, buildRead16({ lba: 2n ** 32n + 5n, blocks: 1 }));
    expect(r.data).toEqual(pattern(512, 1));
  });
});

describe('READ / WRITE', () => {
  it('every CDB size writes and reads back, in place', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 4096 } });
    const cases = [
      [buildWrite6, buildRead6, 10],
      [buildWrite10, buildRead10, 100],
      [buildWrite12, buildRead12, 1000],
      [buildWrite16, buildRead16, 4000],
    ] as const;
    for (const [w, r, lba] of cases) {
      const data = pattern(3 * 512, lba);
      await good(disk, w({ lba, blocks: 3, blockLength: 512 }), data);
      const into = new Uint8Array(3 * 512);
      const res = await disk.execute({
        cdb: r({ lba, blocks: 3, blockLength: 512 }).cdb,
        direction: 'in',
        data: into,
      });
      expect(res.status).toBe(0);
      expect(res.data.buffer).toBe(into.buffer);
      expect(into).toEqual(data);
    }
    // Unwritten blocks read as zeroes.
    expect((await good(disk, buildRead10({ lba: 2000, blocks: 1 }))).data).toEqual(new Uint8Array(512));
  });

  it('READ(6) with transfer length 0 means 256 blocks', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 1024 } });
    const cdb = buildRead6({ lba: 0, blocks: 1 }).cdb.slice();
    cdb[4] = 0;
    const r = await disk.execute({ cdb, direction: 'in', transferLength: 256 * 512 });
    expect(r.status).toBe(0);
    expect(r.residual).toBe(0);
  });

  it('past the end: 05h/21h/00h with INFORMATION = LBA, nothing written', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 100 } });
    const s = expectSense(
      await send(disk, buildWrite10({ lba: 99, blocks: 2 }), new Uint8Array(1024)),
      5,
      0x21,
      0,
    );
    expect(s.valid).toBe(true);
    expect(s.information).toBe(99n);
    const r = await send(disk, buildRead10({ lba: 100, blocks: 1 }));
    expect(r.residual).toBe(512);
    expect(r.data.length).toBe(0);
  });

  it('a transfer above the maximum is INVALID FIELD IN CDB at the length field', async () => {
    const disk = new EmulatedDisk({ maxTransferBytes: 8192 });
    const s = expectSense(
      await disk.execute({
        cdb: buildRead10({ lba: 0, blocks: 17 }).cdb,
        direction: 'in',
        transferLength: 8192,
      }),
      5,
      0x24,
      0,
    );
    expect(s.senseKeySpecific).toMatchObject({ fieldPointer: 7 });
  });

  it('RDPROTECT without protection information is refused', async () => {
    const disk = new EmulatedDisk();
    expectSense(await send(disk, buildRead10({ lba: 0, blocks: 1, rdprotect: 1 })), 5, 0x24, 0);
  });

  it('a data-out buffer shorter than the command is an underrun (DID_ERROR)', async () => {
    const disk = new EmulatedDisk();
    const r = await disk.execute({
      cdb: buildWrite10({ lba: 0, blocks: 2 }).cdb,
      direction: 'out',
      data: new Uint8Array(512),
    });
    expect(r.hostStatus).toBe(0x07);
  });

  it('a file backing keeps data across instances (sparse file of the full capacity)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emudisk-'));
    const file = join(dir, 'disk.img');
    try {
      const a = new EmulatedDisk({ backing: { file }, capacity: { bytes: 1 << 30 }, writeCache: false });
      await good(a, buildWrite16({ lba: 12345, blocks: 2, fua: true }), pattern(1024, 9));
      await a.close();
      expect(statSync(file).size).toBe(1 << 30);
      const b = new EmulatedDisk({ backing: { file }, capacity: { bytes: 1 << 30 } });
      expect((await good(b, buildRead16({ lba: 12345, blocks: 2 }))).data).toEqual(pattern(1024, 9));
      await good(b, buildSynchronizeCache16());
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('VERIFY, COMPARE AND WRITE, WRITE SAME, SYNCHRONIZE CACHE', () => {
  it('VERIFY BYTCHK 1 compares; a difference is MISCOMPARE 0Eh/1Dh/00h with the offset', async () => {
    const disk = new EmulatedDisk();
    const data = pattern(1024, 3);
    await good(disk, buildWrite10({ lba: 8, blocks: 2 }), data);
    await good(disk, buildVerify10({ lba: 8, blocks: 2, bytchk: 1 }), data);
    await good(disk, buildVerify16({ lba: 8, blocks: 2 }));
    const other = data.slice();
    other[700] = (other[700] as number) ^ 0xff;
    const s = expectSense(
      await send(disk, buildVerify10({ lba: 8, blocks: 2, bytchk: 1 }), other),
      0xe,
      0x1d,
      0,
    );
    expect(s.information).toBe(700n);
  });

  it('COMPARE AND WRITE writes on a match and reports MISCOMPARE otherwise', async () => {
    const disk = new EmulatedDisk();
    const old = pattern(512, 1);
    const next = pattern(512, 2);
    await good(disk, buildWrite16({ lba: 5, blocks: 1 }), old);
    const both = new Uint8Array(1024);
    both.set(old);
    both.set(next, 512);
    await good(disk, buildCompareAndWrite({ lba: 5, blocks: 1 }), both);
    expect((await good(disk, buildRead16({ lba: 5, blocks: 1 }))).data).toEqual(next);
    const s = expectSense(await send(disk, buildCompareAndWrite({ lba: 5, blocks: 1 }), both), 0xe, 0x1d, 0);
    expect(s.information).toBeDefined();
    expect((await good(disk, buildRead16({ lba: 5, blocks: 1 }))).data).toEqual(next);
  });

  it('WRITE SAME repeats one block; 0 blocks is refused (WSNZ)', async () => {
    const disk = new EmulatedDisk();
    const block = pattern(512, 4);
    await good(disk, buildWriteSame10({ lba: 20, blocks: 300 }), block);
    const r = await good(disk, buildRead16({ lba: 20, blocks: 300 }));
    for (let i = 0; i < 300; i++) expect(r.data.subarray(i * 512, (i + 1) * 512)).toEqual(block);
    expectSense(
      await send(
        disk,
        {
          ...buildWriteSame16({ lba: 0, blocks: 1 }),
          cdb: new Uint8Array([0x93, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        },
        block,
      ),
      5,
      0x24,
      0,
    );
  });

  it('SYNCHRONIZE CACHE checks its range', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 100 } });
    await good(disk, buildSynchronizeCache10());
    await good(disk, buildSynchronizeCache16({ lba: 50, blocks: 50 }));
    expectSense(await send(disk, buildSynchronizeCache10({ lba: 90, blocks: 20 })), 5, 0x21, 0);
  });
});

describe('thin provisioning', () => {
  it('UNMAP, WRITE SAME with UNMAP and GET LBA STATUS', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 1 << 20 }, thinProvisioning: true });
    const status = async (lba: number) =>
      decodeGetLbaStatus(
        (await good(disk, buildGetLbaStatus({ startingLba: lba, allocationLength: 8 + 16 * 4 }))).data,
      ).descriptors.map((d) => [
        Number(d.lbaStatusLogicalBlockAddress),
        d.numberOfLogicalBlocks,
        d.provisioningStatusName,
      ]);
    expect(await status(0)).toEqual([[0, 1 << 20, 'deallocated']]);
    await good(disk, buildWrite16({ lba: 1000, blocks: 200 }), pattern(200 * 512, 5));
    expect(await status(0)).toEqual([
      [0, 1000, 'deallocated'],
      [1000, 200, 'mapped or unknown'],
      [1200, (1 << 20) - 1200, 'deallocated'],
    ]);
    const data = buildUnmapData([{ lba: 1050, blocks: 50 }]);
    await good(disk, buildUnmap({ parameterListLength: data.length }), data);
    expect((await status(1000)).slice(0, 3)).toEqual([
      [1000, 50, 'mapped or unknown'],
      [1050, 50, 'deallocated'],
      [1100, 100, 'mapped or unknown'],
    ]);
    expect((await good(disk, buildRead16({ lba: 1050, blocks: 1 }))).data).toEqual(new Uint8Array(512));
    await good(disk, buildWriteSame16({ lba: 1100, blocks: 100, unmap: true }), new Uint8Array(512));
    expect((await status(1000)).slice(0, 2)).toEqual([
      [1000, 50, 'mapped or unknown'],
      [1050, (1 << 20) - 1050, 'deallocated'],
    ]);
    expect(disk.allocatedBytes).toBe(2 * 64 * 1024); // the two 64 KiB chunks holding 1000–1049 only
  });

  it('UNMAP past the end is LBA OUT OF RANGE; without thin provisioning UNMAP is an invalid opcode', async () => {
    const thin = new EmulatedDisk({ capacity: { blocks: 100 }, thinProvisioning: true });
    const data = buildUnmapData([{ lba: 90, blocks: 20 }]);
    expectSense(await send(thin, buildUnmap({ parameterListLength: data.length }), data), 5, 0x21, 0);
    const thick = new EmulatedDisk({ capacity: { blocks: 100 } });
    expectSense(await send(thick, buildUnmap({ parameterListLength: data.length }), data), 5, 0x20, 0);
    expectSense(
      await send(thick, buildWriteSame16({ lba: 0, blocks: 1, unmap: true }), new Uint8Array(512)),
      5,
      0x24,
      0,
    );
    const st = decodeGetLbaStatus((await good(thick, buildGetLbaStatus())).data);
    expect(st.descriptors[0]).toMatchObject({
      numberOfLogicalBlocks: 100,
      provisioningStatusName: 'mapped or unknown',
    });
  });
});

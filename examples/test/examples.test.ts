// Smoke test of every example on the host: each example function runs against an EmulatedDisk
// through the Device API, completes, and prints what its header promises. The lab runs them on a
// real kernel device (`npm run examples`).
import { openDevice } from '@scsikit/core';
import { EmulatedDisk, type EmulatedDiskOptions } from '@scsikit/emulated-disk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { capacity } from '../capacity.js';
import { clusterFencing } from '../cluster-fencing.js';
import { decodeError } from '../decode-error.js';
import { identify } from '../identify.js';
import { persistentReservations } from '../persistent-reservations.js';
import { randomReadLoad } from '../random-read-load.js';
import { readBlocks } from '../read-blocks.js';
import { readWriteVerify } from '../read-write-verify.js';
import { zonedReport } from '../zoned-report.js';

const disks: EmulatedDisk[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const d of disks.splice(0)) await d.close();
});

function disk(options: EmulatedDiskOptions = {}): EmulatedDisk {
  const d = new EmulatedDisk({ capacity: { bytes: 16 << 20 }, ...options });
  disks.push(d);
  return d;
}

/** Runs an example with console.log captured; returns its output. */
async function output(run: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.join(' '));
  });
  await run();
  return lines.join('\n');
}

describe('examples on an EmulatedDisk', () => {
  it('identify: INQUIRY, VPD pages, serial, designators', async () => {
    const dev = await openDevice(disk({ serial: 'EXAMPLE42' }));
    const out = await output(() => identify(dev));
    expect(out).toMatch(/vendor\s+SCSIKIT/);
    expect(out).toMatch(/serial\s+EXAMPLE42/);
    expect(out).toMatch(/designator/);
  });

  it('capacity: READ CAPACITY(16), block limits, transport limits', async () => {
    const out = await output(async () => capacity(await openDevice(disk())));
    expect(out).toMatch(/last LBA\s+32767/);
    expect(out).toMatch(/block length\s+512 bytes/);
    expect(out).toMatch(/max transfer\s+\d+ blocks \(device\)/);
  });

  it('read-blocks: single blocks, then a large read split into several commands', async () => {
    const out = await output(async () => readBlocks(await openDevice(disk({ maxTransferBytes: 1 << 20 }))));
    expect(out).toMatch(/LBA\s+32767 {2}512 bytes/);
    expect(out).toMatch(/4194304 bytes into the caller's buffer .*, as 4 READ commands/);
  });

  it('read-write-verify: a writable second open, fixed buffers, VERIFY, MISCOMPARE, restore', async () => {
    const d = disk({ fixedBuffers: { count: 2, bufferBytes: 256 * 1024 } });
    const before = await (await openDevice(d)).read(0, 32768);
    const dev = await openDevice(d); // read-only, like the main job's
    const out = await output(() => readWriteVerify(dev, (o) => openDevice(d, o)));
    expect(out).toMatch(/scratch range\s+LBA 30208…30719 \(512 × 512 bytes\)/);
    expect(out).toMatch(/buffers\s+2 fixed buffers leased/);
    expect(out).toMatch(/write \+ FUA .* as .*WRITE\(10\) FUA/);
    expect(out).toMatch(/read into .*equal to what was written/);
    expect(out).toMatch(/VERIFY BYTCHK=1 .*: equal/);
    expect(out).toMatch(/one byte off\s+MISCOMPARE/);
    expect(out).toMatch(/fixed read .*through registered buffer/);
    expect(out).toMatch(/restored/);
    expect(d.recorder.commands()).toContain('VERIFY(10)');
    expect(Buffer.from(await dev.read(0, 32768)).equals(Buffer.from(before))).toBe(true);
    expect(dev.writable).toBe(false);
  });

  it('read-write-verify: plain buffers when the transport has no pool', async () => {
    const d = disk();
    const out = await output(async () => readWriteVerify(await openDevice(d), (o) => openDevice(d, o)));
    expect(out).toMatch(/buffers\s+plain Uint8Arrays/);
    expect(out).not.toMatch(/fixed read/);
  });

  it('read-write-verify: a Device opened on a Transport needs an explicit reopen', async () => {
    const dev = await openDevice(disk());
    await expect(readWriteVerify(dev)).rejects.toThrow(/pass a Reopen/);
  });

  it('random-read-load: IOPS and percentiles per queue depth, then device.stats()', async () => {
    const d = disk();
    const dev = await openDevice(d);
    d.recorder.clear();
    const out = await output(() => randomReadLoad(dev, { reads: 50, depths: [1, 4, 64] }));
    expect(out).toMatch(/^\s+1\s+\d+\s+[\d.]+\s+[\d.]+ [µm]?s\s+[\d.]+ [µm]?s$/m);
    expect(out).toMatch(/^\s+64\s+\d+.*\(32 in the kernel\)$/m);
    expect(out).toMatch(/device\.stats\(\)\s+\d+ commands, 0 failed/);
    expect(d.recorder.commands().filter((n) => n === 'READ(10)')).toHaveLength(150);
  });

  it('decode-error: sense decoded past the end; the read-only guard refuses a write', async () => {
    const out = await output(async () => decodeError(await openDevice(disk())));
    expect(out).toMatch(/CheckConditionError \(ERR_SCSIKIT_CHECK_CONDITION\)/);
    expect(out).toMatch(/ILLEGAL REQUEST/);
    expect(out).toMatch(/InvalidArgumentError \(ERR_SCSIKIT_INVALID_ARGUMENT, lba-out-of-range\)/);
    expect(out).toMatch(/PermissionError \(ERR_SCSIKIT_PERMISSION\)/);
  });

  it('persistent-reservations: a device without PR gets the demonstration on the emulator', async () => {
    const d = disk();
    // What the lab's scsi_debug disk answers: ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE.
    d.faults.add({ opcode: [0x5e, 0x5f], effect: { status: 0x02, sense: { key: 0x5, asc: 0x20, ascq: 0 } } });
    const out = await output(async () => persistentReservations(await openDevice(d)));
    expect(out).toMatch(/PR on device\s+not supported: ILLEGAL REQUEST/);
    expect(out).toMatch(/initiators\s+an EmulatedDisk/);
    expect(out).toMatch(/B writes\s+ScsiStatusError \(ERR_SCSIKIT_SCSI_STATUS\): RESERVATION CONFLICT/);
    expect(out).toMatch(/A writes\s+ScsiStatusError .*RESERVATION CONFLICT/);
    expect(out).toMatch(/cleared\s+0 registrations/);
  });

  it('persistent-reservations: on the device itself when it has PR and a second initiator', async () => {
    const d = disk();
    const open = async () => ({
      a: await openDevice(d, { write: true }),
      b: await openDevice(d.connect(), { write: true }),
      where: 'two connections of the test disk',
    });
    const dev = await openDevice(d);
    const out = await output(() => persistentReservations(dev, open));
    expect(out).toMatch(/PR on device\s+supported; types .*Write Exclusive/);
    expect(out).toMatch(/initiators\s+two connections of the test disk/);
    expect(out).toMatch(/reservation\s+0xa11ce0000000000a holds Write Exclusive/);
    expect(out).toMatch(/B preempts A\s+holder 0xb0b000000000000b, keys 0xb0b000000000000b$/m);
    expect((await dev.pr.readKeys()).keys).toEqual([]);
  });

  it('persistent-reservations: PR but one path falls back to the emulator', async () => {
    const out = await output(async () => persistentReservations(await openDevice(disk())));
    expect(out).toMatch(/second path\s+none from this host/);
    expect(out).toMatch(/initiators\s+an EmulatedDisk/);
  });

  it('cluster-fencing: fence_scsi between two initiators with Fence', async () => {
    const d = disk();
    const open = async () => ({
      a: await openDevice(d, { write: true }),
      b: await openDevice(d.connect(), { write: true }),
      where: 'two connections of the test disk',
    });
    const dev = await openDevice(d);
    const out = await output(() => clusterFencing(dev, open));
    expect(out).toMatch(/A acquires\s+A holds the reservation/);
    expect(out).toMatch(/B acquires\s+no: held by 0x0a0a0a0a00000001 \(Write Exclusive - Registrants Only\)/);
    expect(out).toMatch(/after fencing\s+keys 0x0b0b0b0b00000002; holder 0x0b0b0b0b00000002/);
    expect(out).toMatch(/A writes\s+WRITE\(10\) failed: RESERVATION CONFLICT/);
    expect(out).toMatch(/A re-acquires\s+.*this node's key 0x0a0a0a0a00000001 is not registered/);
    expect(out).toMatch(/B leaves\s+0 registrations, no reservation/);
    expect((await dev.pr.readKeys()).keys).toEqual([]);
  });

  it('cluster-fencing: a device without PR runs it on the emulator', async () => {
    const d = disk();
    d.faults.add({ opcode: [0x5e, 0x5f], effect: { status: 0x02, sense: { key: 0x5, asc: 0x20, ascq: 0 } } });
    const out = await output(async () => clusterFencing(await openDevice(d)));
    expect(out).toMatch(/PR on device\s+not supported/);
    expect(out).toMatch(/nodes\s+an EmulatedDisk/);
    expect(out).toMatch(/B leaves\s+0 registrations/);
  });

  it('zoned-report: a conventional disk, then the emulated host-managed one with a write', async () => {
    const out = await output(async () => zonedReport(await openDevice(disk())));
    expect(out).toMatch(/zoned\s+no \(conventional\)/);
    expect(out).toMatch(/zones\s+16 \(SAME: /);
    expect(out).toMatch(/by type\s+1 conventional, 15 sequential write required/);
    expect(out).toMatch(/after a write\s+16 blocks at LBA 8192: implicitly open, write pointer 8208/);
  });

  it('zoned-report: a host-managed device reports its own zones', async () => {
    const d = disk({ capacity: { bytes: 32 << 20 }, zoned: { zoneSize: 2048, conventionalZones: 2 } });
    const out = await output(async () => zonedReport(await openDevice(d)));
    expect(out).toMatch(/zoned\s+host-managed/);
    expect(out).toMatch(/zones\s+32 \(SAME: /);
    expect(out).toMatch(/by type\s+2 conventional, 30 sequential write required/);
    expect(out).not.toMatch(/after a write/);
  });
});

import {
  buildInquiry,
  buildLogSense,
  buildRead10,
  buildRead16,
  buildTestUnitReady,
  buildWrite10,
  decodeLogPage,
} from '@scsikit/cdb';
import { DeviceGoneError, TransportTimeoutError } from '@scsikit/transport';
import { describe, expect, it } from 'vitest';
import { EmulatedDisk } from '../src/index.js';
import { expectSense, good, send } from './helpers.js';

describe('fault injection', () => {
  it("'medium-error' on an LBA range: 03h/11h/00h, INFORMATION = first failing LBA, full residual", async () => {
    const disk = new EmulatedDisk();
    disk.faults.add({ opcode: 0x28, lbaRange: { start: 100, count: 10 }, effect: 'medium-error' });
    await good(disk, buildRead10({ lba: 0, blocks: 8 }));
    const r = await send(disk, buildRead10({ lba: 96, blocks: 8 }));
    const s = expectSense(r, 3, 0x11, 0);
    expect(s.information).toBe(100n);
    expect(r.residual).toBe(8 * 512);
    expect(r.data.length).toBe(0);
    // Other opcodes are not matched; the log counts the uncorrected error.
    await good(disk, buildRead16({ lba: 100, blocks: 1 }));
    const log = decodeLogPage((await good(disk, buildLogSense({ pageCode: 3 }))).data);
    expect(log.fields).toMatchObject({ totalUncorrectedErrors: 1n });
  });

  it("'medium-error' on a write is WRITE ERROR 03h/0Ch/00h", async () => {
    const disk = new EmulatedDisk();
    disk.faults.add({ opcode: 0x2a, effect: 'medium-error', count: 1 });
    expectSense(await send(disk, buildWrite10({ lba: 3, blocks: 1 }), new Uint8Array(512)), 3, 0x0c, 0);
    await good(disk, buildWrite10({ lba: 3, blocks: 1 }), new Uint8Array(512));
  });

  it("'busy' and 'task-set-full' are bare statuses; every and count", async () => {
    const disk = new EmulatedDisk();
    const rule = disk.faults.add({ every: 3, count: 2, effect: 'busy' });
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await send(disk, buildTestUnitReady())).status);
    expect(statuses).toEqual([0, 0, 8, 0, 0, 8, 0, 0, 0]);
    expect(rule).toMatchObject({ matched: 6, fired: 2, remaining: 0 }); // a spent rule stops matching
    rule.remove();
    disk.faults.add({ opcode: 0x00, count: 1, effect: 'task-set-full' });
    const r = await send(disk, buildTestUnitReady());
    expect(r).toMatchObject({ status: 0x28, driverStatus: 0 });
    expect(r.sense.length).toBe(0);
  });

  it("'timeout' never completes: the watchdog rejects, and the slot is freed", async () => {
    const disk = new EmulatedDisk({ queueDepth: 1 });
    disk.faults.add({ opcode: 0x00, count: 1, effect: 'timeout' });
    const p = disk.execute({ cdb: buildTestUnitReady().cdb, direction: 'none', timeoutMs: 50 });
    await expect(p).rejects.toBeInstanceOf(TransportTimeoutError);
    await good(disk, buildTestUnitReady());
    expect(disk.stats().inFlight).toBe(0);
  });

  it("'unit-attention' with a given ASC/ASCQ (default 29h/00h)", async () => {
    const disk = new EmulatedDisk();
    disk.faults.add({ count: 1, effect: 'unit-attention' });
    expectSense(await send(disk, buildTestUnitReady()), 6, 0x29, 0);
    disk.faults.add({ count: 1, effect: 'unit-attention', asc: 0x2a, ascq: 0x09 });
    expectSense(await send(disk, buildTestUnitReady()), 6, 0x2a, 0x09);
    await good(disk, buildTestUnitReady());
  });

  it("'removed': this and every later command rejects with DeviceGoneError, on every connection", async () => {
    const disk = new EmulatedDisk();
    const other = disk.connect();
    disk.faults.add({ opcode: 0x2a, effect: 'removed' });
    await expect(send(disk, buildWrite10({ lba: 0, blocks: 1 }), new Uint8Array(512))).rejects.toBeInstanceOf(
      DeviceGoneError,
    );
    expect(disk.removed).toBe(true);
    await expect(send(disk, buildInquiry())).rejects.toBeInstanceOf(DeviceGoneError);
    await expect(send(other, buildInquiry())).rejects.toMatchObject({
      code: 'ERR_SCSIKIT_DEVICE_GONE',
      errno: -19,
    });
  });

  it('disk.remove(): commands in the device complete, queued ones and later ones are gone', async () => {
    const disk = new EmulatedDisk({ queueDepth: 1, latency: { fixedMs: 20 } });
    const inDevice = send(disk, buildInquiry());
    const queued = send(disk, buildInquiry()).catch((e: unknown) => e);
    disk.remove();
    expect((await inDevice).status).toBe(0);
    expect(await queued).toBeInstanceOf(DeviceGoneError);
  });

  it('custom effects: status, host status, sense (raw or built)', async () => {
    const disk = new EmulatedDisk();
    disk.faults.add({ count: 1, effect: { status: 0, hostStatus: 0x03 } });
    expect(await send(disk, buildTestUnitReady())).toMatchObject({
      status: 0,
      hostStatus: 0x03,
      driverStatus: 0,
    });
    disk.faults.add({ count: 1, effect: { status: 2, sense: { key: 4, asc: 0x44, ascq: 0 } } });
    expectSense(await send(disk, buildTestUnitReady()), 4, 0x44, 0);
    const raw = new Uint8Array(18);
    raw[0] = 0x70;
    raw[2] = 0x0b;
    raw[7] = 10;
    raw[12] = 0x47;
    disk.faults.add({ count: 1, effect: { status: 2, sense: raw } });
    expectSense(await send(disk, buildTestUnitReady()), 0x0b, 0x47, 0);
  });

  it('rules are per connection when asked, listable and removable; bad rules are refused', async () => {
    const disk = new EmulatedDisk();
    const b = disk.connect();
    const rule = disk.faults.add({ connection: 1, effect: 'busy' });
    await good(disk, buildTestUnitReady());
    expect((await send(b, buildTestUnitReady())).status).toBe(8);
    expect(disk.faults.list().map((r) => r.id)).toEqual([rule.id]);
    expect(disk.faults.remove(rule)).toBe(true);
    await good(b, buildTestUnitReady());
    expect(() => disk.faults.add({ effect: 'explode' as 'busy' })).toThrow(/effect/);
    expect(() => disk.faults.add({ effect: 'busy', every: 0 })).toThrow(/every/);
    expect(() => disk.faults.add({ effect: 'busy', count: 0 })).toThrow(/count/);
    expect(() => disk.faults.add({ effect: 'delay' })).toThrow(/delayMs/);
    expect(() => disk.faults.add({ effect: 'busy', opcode: 300 })).toThrow(/opcode/);
  });
});

describe('recorder', () => {
  it('records commands in order with names, connection, direction, length and outcome', async () => {
    const disk = new EmulatedDisk();
    const b = disk.connect();
    await good(disk, buildInquiry());
    await good(b, buildWrite10({ lba: 7, blocks: 2 }), new Uint8Array(1024));
    await send(disk, buildRead10({ lba: 1 << 30, blocks: 1 }));
    expect(disk.recorder.commands()).toEqual(['INQUIRY', 'WRITE(10)', 'READ(10)']);
    expect(disk.recorder.commands({ connection: 1 })).toEqual(['WRITE(10)']);
    const [inq, write, read] = disk.recorder.entries;
    expect(inq).toMatchObject({
      seq: 1,
      connection: 0,
      direction: 'in',
      transferLength: 96,
      outcome: { kind: 'completed', status: 0 },
    });
    expect(write).toMatchObject({ connection: 1, direction: 'out', transferLength: 1024 });
    expect(write?.decoded?.fields).toMatchObject({ lba: 7n, transferLength: 2 });
    expect(read?.outcome).toEqual({
      kind: 'completed',
      status: 2,
      hostStatus: 0,
      sense: { key: 5, asc: 0x21, ascq: 0 },
    });
    disk.recorder.clear();
    expect(disk.recorder.size).toBe(0);
  });

  it('invalid commands are not recorded; abandoned ones say why; the ring keeps the newest', async () => {
    const disk = new EmulatedDisk({ recorderLimit: 2 });
    await expect(disk.execute({ cdb: new Uint8Array(3), direction: 'none' })).rejects.toThrow();
    expect(disk.recorder.size).toBe(0);
    disk.faults.add({ count: 1, effect: 'timeout' });
    await expect(
      disk.execute({ cdb: buildTestUnitReady().cdb, direction: 'none', timeoutMs: 10 }),
    ).rejects.toThrow();
    expect(disk.recorder.last()?.outcome).toEqual({ kind: 'abandoned', reason: 'timeout' });
    expect(disk.recorder.last()?.faultId).toBe(1);
    await good(disk, buildInquiry());
    await good(disk, buildTestUnitReady());
    expect(disk.recorder.commands()).toEqual(['INQUIRY', 'TEST UNIT READY']);
  });
});

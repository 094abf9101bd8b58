import diagnosticsChannel from 'node:diagnostics_channel';
import { buildRead16, buildTestUnitReady, buildWrite10, decodeCdb } from '@scsikit/cdb';
import { EmulatedDisk } from '@scsikit/emulated-disk';
import type { ScsiCommand, ScsiResult, Transport } from '@scsikit/transport';
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  CHANNELS,
  CheckConditionError,
  ClosedError,
  DeviceGoneError,
  InvalidArgumentError,
  openDevice,
  PermissionError,
  ScsiError,
  ScsiStatusError,
  TimeoutError,
} from '../src/index.js';
import { fixedSense, scripted } from './helpers.js';

const pattern = (length: number, seed: number) => {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = (seed * 31 + i * 7 + 1) & 0xff;
  return b;
};

async function open(options: ConstructorParameters<typeof EmulatedDisk>[0] = {}, write = true) {
  const disk = new EmulatedDisk({ capacity: { blocks: 8192 }, ...options });
  const dev = await openDevice(disk, { write, retry: { minDelayMs: 0, maxDelayMs: 1 } });
  return { disk, dev };
}

describe('Device over an emulated disk: SPC', () => {
  it('inquiry, vpd pages and their helpers', async () => {
    const { dev } = await open({ serial: 'SER123', thinProvisioning: true });
    expect(dev.kind).toBe('emulated');
    const inq = await dev.inquiry();
    expect(inq).toMatchObject({
      peripheralDeviceType: 0,
      vendor: 'SCSIKIT',
      product: 'EMULATED DISK',
      revision: '0001',
    });
    const pages = await dev.supportedVpdPages();
    expect(pages).toEqual(expect.arrayContaining([0x00, 0x80, 0x83, 0xb0]));
    expect((await dev.unitSerialNumber()).productSerialNumber).toBe('SER123');
    const id = await dev.deviceIdentification();
    expect(id.designators.some((d) => d.designatorType === 3)).toBe(true);
    expect((await dev.vpd(0xb0)).kind).toBe('blockLimits');
    expect((await dev.blockLimits()).maximumTransferLength).toBeGreaterThan(0);
    expect((await dev.logicalBlockProvisioning()).lbpu).toBe(true);
    if (pages.includes(0xb1))
      expect((await dev.blockDeviceCharacteristics()).kind).toBe('blockDeviceCharacteristics');
    await dev.testUnitReady();
  });

  it('readMediaSerialNumber: read-class, so a read-only device sends it; a disk without one says 05h/20h/00h', async () => {
    const { dev } = await open({ mediaSerialNumber: 'CART-0042' }, false);
    expect(await dev.readMediaSerialNumber()).toMatchObject({ text: 'CART-0042', truncated: false });
    const { dev: plain } = await open();
    const e = await plain.readMediaSerialNumber().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CheckConditionError);
    expect(e).toMatchObject({ senseKey: 5, asc: 0x20, ascq: 0 });
  });

  it('reportLuns, supportedOperationCodes (cached), logSense, modeSense', async () => {
    const { disk, dev } = await open();
    expect((await dev.reportLuns()).luns.length).toBeGreaterThanOrEqual(1);
    const ops = await dev.supportedOperationCodes();
    expect(ops.commands.some((c) => c.operationCode === 0x88)).toBe(true);
    disk.recorder.clear();
    await dev.supportedOperationCodes();
    expect(disk.recorder.size).toBe(0);
    expect(dev.supportsCommand(0x28)).toBe(true);
    expect(dev.supportsCommand(0xc0)).toBe(false);
    const log = await dev.logSense(0x00);
    expect(log.pageCode).toBe(0);
    const mode = await dev.modeSense(0x08);
    expect(mode.pages[0]?.pageCode).toBe(0x08);
  });

  it('cachingPage and setWriteCache honour the changeable mask', async () => {
    const { disk, dev } = await open({ writeCache: true });
    const before = await dev.cachingPage();
    expect(before.current.wce).toBe(true);
    await dev.setWriteCache(false);
    expect((await dev.cachingPage()).current.wce).toBe(false);
    expect(disk.recorder.commands()).toContain('MODE SELECT(10)');
    disk.recorder.clear();
    await dev.setWriteCache(false); // already off: no MODE SELECT
    expect(disk.recorder.commands()).not.toContain('MODE SELECT(10)');
  });
});

describe('Device: capacity and I/O', () => {
  it('readCapacity (10), cached; (16) on request with thin details', async () => {
    const { disk, dev } = await open({ thinProvisioning: true });
    const cap = await dev.readCapacity();
    expect(cap).toMatchObject({ lastLba: 8191n, blockLength: 512, blocks: 8192n, source: 10 });
    disk.recorder.clear();
    await dev.readCapacity();
    expect(disk.recorder.size).toBe(0);
    const c16 = await dev.readCapacity({ use16: true });
    expect(c16).toMatchObject({ source: 16, lbpme: true, lastLba: 8191n });
  });

  it('switches to READ CAPACITY(16) when (10) says FFFFFFFFh', async () => {
    const { dev } = await open({ capacity: { blocks: 2 ** 33 } });
    const cap = await dev.readCapacity();
    expect(cap).toMatchObject({ source: 16, lastLba: 2n ** 33n - 1n });
  });

  it('write then read back, with READ(10)/WRITE(10)', async () => {
    const { disk, dev } = await open();
    const data = pattern(8 * 512, 1);
    await dev.write(100, 8, data);
    const back = await dev.read(100n, 8);
    expect(back).toEqual(data);
    const names = disk.recorder.commands();
    expect(names).toContain('WRITE(10)');
    expect(names).toContain('READ(10)');
  });

  it('chooses READ(16) above 2^32 and fills a caller buffer (`into`)', async () => {
    const { disk, dev } = await open({ capacity: { blocks: 2 ** 33 } });
    const lba = 2n ** 32n + 5n;
    await dev.write(lba, 2, pattern(1024, 9));
    const into = new Uint8Array(2048);
    const back = await dev.read(lba, 2, { into });
    expect(back.buffer).toBe(into.buffer);
    expect(back).toEqual(pattern(1024, 9));
    expect(disk.recorder.commands()).toEqual(expect.arrayContaining(['WRITE(16)', 'READ(16)']));
  });

  it('a first read into a one-block buffer: the sizing queries never use the caller buffer', async () => {
    const { disk, dev } = await open();
    await disk.execute({
      cdb: buildWrite10({ lba: 3, blocks: 1 }).cdb,
      direction: 'out',
      data: pattern(512, 4),
    });
    const into = new Uint8Array(512);
    const back = await dev.read(3, 1, { into });
    expect(back).toEqual(pattern(512, 4));
    expect(disk.recorder.commands()).toContain('REPORT SUPPORTED OPERATION CODES');
  });

  it('splits transfers above the device maximum into several commands', async () => {
    const { disk, dev } = await open({ maxTransferBytes: 4096 }); // 8 blocks
    const data = pattern(20 * 512, 3);
    await dev.write(0, 20, data);
    disk.recorder.clear();
    expect(await dev.read(0, 20)).toEqual(data);
    const reads = disk.recorder.entries.filter((e) => e.name === 'READ(10)');
    expect(reads.map((e) => e.transferLength)).toEqual([4096, 4096, 2048]);
  });

  it('fua/dpo reach the CDB', async () => {
    const { disk, dev } = await open();
    await dev.write(0, 1, new Uint8Array(512), { fua: true });
    const last = disk.recorder.last();
    expect(last?.name).toBe('WRITE(10)');
    expect((last?.cdb[1] ?? 0) & 0x08).toBe(0x08);
  });

  it('verify, writeSame, unmap, getLbaStatus, synchronizeCache', async () => {
    const { disk, dev } = await open({ thinProvisioning: true });
    await dev.write(0, 16, pattern(16 * 512, 4));
    await dev.verify(0, 16);
    await dev.verify(0, 1, { data: pattern(512, 4) });
    await dev.writeSame(16, 8, { data: pattern(512, 5) });
    expect(await dev.read(20, 1)).toEqual(pattern(512, 5));
    await dev.unmap([{ lba: 0, blocks: 8 }]);
    expect(disk.recorder.commands()).toContain('UNMAP');
    const status = await dev.getLbaStatus(0);
    expect(status.descriptors[0]).toMatchObject({
      lbaStatusLogicalBlockAddress: 0n,
      provisioningStatusName: 'deallocated',
    });
    await dev.synchronizeCache();
    expect(disk.recorder.last()?.name).toBe('SYNCHRONIZE CACHE(10)');
  });

  it('compareAndWrite: success, then MISCOMPARE as a CheckConditionError', async () => {
    const { dev } = await open();
    await dev.write(5, 1, pattern(512, 1));
    await dev.compareAndWrite(5, 1, pattern(512, 1), pattern(512, 2));
    expect(await dev.read(5, 1)).toEqual(pattern(512, 2));
    const e = await dev.compareAndWrite(5, 1, pattern(512, 1), pattern(512, 3)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CheckConditionError);
    expect((e as CheckConditionError).senseKeyName).toBe('MISCOMPARE');
  });

  it('rejects bad arguments before sending', async () => {
    const { dev } = await open();
    await expect(dev.read(-1, 1)).rejects.toThrow(InvalidArgumentError);
    await expect(dev.read(0, 0)).rejects.toThrow(/Expected `blocks` to be an integer ≥ 1/);
    await expect(dev.write(0, 2, new Uint8Array(512))).rejects.toThrow(/1024 bytes/);
    await expect(dev.read(0, 2, { into: new Uint8Array(10) })).rejects.toThrow(InvalidArgumentError);
  });
});

describe('Device: errors', () => {
  it('read past the end: CheckConditionError with decoded sense and a readable message', async () => {
    const { dev } = await open();
    const e = await dev.execute(buildRead16({ lba: 9000n, blocks: 1 })).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CheckConditionError);
    expect(e).toBeInstanceOf(ScsiError);
    const c = e as CheckConditionError;
    expect(c.code).toBe('ERR_SCSIKIT_CHECK_CONDITION');
    expect([c.senseKey, c.asc, c.ascq]).toEqual([5, 0x21, 0]);
    expect(c.message).toMatch(
      /^READ\(16\) failed: ILLEGAL REQUEST, Logical block address out of range \(asc 21h ascq 00h\)/,
    );
  });

  it('a medium error names the failing LBA', async () => {
    const { disk, dev } = await open();
    disk.faults.add({ opcode: 0x28, lbaRange: { start: 1234, count: 1 }, effect: 'medium-error' });
    const e = (await dev.read(1230, 8).catch((x: unknown) => x)) as CheckConditionError;
    expect(e).toBeInstanceOf(CheckConditionError);
    expect(e.information).toBe(1234n);
    expect(e.message).toBe(
      'READ(10) failed: MEDIUM ERROR, Unrecovered read error (asc 11h ascq 00h) at LBA 1234',
    );
  });

  it('RESERVATION CONFLICT and BUSY are ScsiStatusErrors', async () => {
    const { disk, dev } = await open();
    disk.faults.add({ opcode: 0x00, effect: { status: 0x18 }, count: 1 });
    const e = (await dev.testUnitReady().catch((x: unknown) => x)) as ScsiStatusError;
    expect(e).toBeInstanceOf(ScsiStatusError);
    expect(e.statusName).toBe('RESERVATION CONFLICT');
    disk.faults.add({ opcode: 0x00, effect: 'busy', count: -1 });
    const b = (await dev.testUnitReady({ retry: false }).catch((x: unknown) => x)) as ScsiStatusError;
    expect(b.status).toBe(0x08);
  });

  it('host errors name the DID_* code in words', async () => {
    const { disk, dev } = await open();
    disk.faults.add({ opcode: 0x00, effect: { status: 0, hostStatus: 0x01 }, count: 1 });
    const e = await dev.testUnitReady().catch((x: unknown) => x);
    expect(e).toMatchObject({
      name: 'HostError',
      hostStatusName: 'DID_NO_CONNECT',
      code: 'ERR_SCSIKIT_HOST',
    });
    expect((e as Error).message).toMatch(/DID_NO_CONNECT, the device did not respond/);
  });

  it('timeouts, aborts, removal and close map onto the hierarchy, keeping the cause', async () => {
    const { disk, dev } = await open();
    disk.faults.add({ opcode: 0x00, effect: 'timeout', count: 1 });
    const t = await dev.testUnitReady({ timeoutMs: 20 }).catch((x: unknown) => x);
    expect(t).toBeInstanceOf(TimeoutError);
    expect((t as Error).cause).toMatchObject({ name: 'TransportTimeoutError' });
    const ac = new AbortController();
    ac.abort();
    await expect(dev.testUnitReady({ signal: ac.signal })).rejects.toBeInstanceOf(AbortError);
    disk.remove();
    await expect(dev.testUnitReady()).rejects.toBeInstanceOf(DeviceGoneError);
    await dev.close();
    await expect(dev.testUnitReady()).rejects.toBeInstanceOf(ClosedError);
  });

  it('instanceof works through the Symbol.for brand', () => {
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('scsikit.core.error')]: true,
      code: 'ERR_SCSIKIT_PERMISSION',
    });
    expect(foreign).toBeInstanceOf(ScsiError);
    expect(foreign).toBeInstanceOf(PermissionError);
    expect(foreign).not.toBeInstanceOf(TimeoutError);
  });
});

describe('Device: read-only guard', () => {
  it('refuses write-class commands before they reach the transport', async () => {
    const { disk, dev } = await open({}, false);
    await dev.read(0, 1); // reads are fine
    disk.recorder.clear();
    const attempts: Array<() => Promise<unknown>> = [
      () => dev.write(0, 1, new Uint8Array(512)),
      () => dev.writeSame(0, 1),
      () => dev.unmap({ lba: 0, blocks: 1 }),
      () => dev.compareAndWrite(0, 1, new Uint8Array(512), new Uint8Array(512)),
      () => dev.setWriteCache(false),
      () => dev.startStopUnit({ start: false }),
      () => dev.synchronizeCache(), // write-class: see SYNCHRONIZE CACHE(10) in @scsikit/cdb's registry
      () => dev.pr.register({ newKey: 1n }),
      () => dev.formatUnit(),
      () => dev.sanitize({ serviceAction: 'blockErase' }),
      () => dev.execute(buildWrite10({ lba: 0, blocks: 1 }), { data: new Uint8Array(512) }),
      () => dev.execute(new Uint8Array([0xc0, 0, 0, 0, 0, 0])), // vendor-specific
      () => dev.execute(new Uint8Array([0x85, 3 << 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xe0, 0])), // ATA non-data
    ];
    for (const attempt of attempts) {
      const e = await attempt().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(PermissionError);
      expect(e).toMatchObject({ reason: 'read-only', code: 'ERR_SCSIKIT_PERMISSION' });
    }
    // Only the caching page reads of setWriteCache reached the disk: nothing write-class.
    expect(disk.recorder.commands().filter((n) => !n.startsWith('MODE SENSE'))).toEqual([]);
    expect(dev.stats().errors.ERR_SCSIKIT_PERMISSION).toBe(attempts.length);
  });
});

describe('Device: retries', () => {
  it('retries a UNIT ATTENTION (capacity changed) and re-reads capacity afterwards', async () => {
    const { disk, dev } = await open();
    await dev.read(0, 1);
    disk.faults.add({ opcode: 0x28, effect: 'unit-attention', asc: 0x2a, ascq: 0x09, count: 1 });
    disk.recorder.clear();
    await dev.read(0, 1);
    const names = disk.recorder.commands();
    // READ(10) → UA, capacity cache dropped, the retry re-reads READ CAPACITY first? No: the retry is
    // the same command; the capacity is re-read by the next caller that needs it.
    expect(names.filter((n) => n === 'READ(10)')).toHaveLength(2);
    await dev.read(0, 1);
    expect(disk.recorder.commands()).toContain('READ CAPACITY(10)');
    expect(dev.stats().retries).toBe(1);
  });

  it('retries power-on UA and NOT READY becoming ready; gives up after maxRetries', async () => {
    const { disk, dev } = await open({ powerOnUnitAttention: true });
    await dev.testUnitReady(); // the power-on UA is retried transparently
    disk.faults.add({ opcode: 0x00, effect: { status: 2, sense: { key: 2, asc: 4, ascq: 1 } }, count: 2 });
    await dev.testUnitReady();
    disk.faults.add({ opcode: 0x00, effect: { status: 2, sense: { key: 2, asc: 4, ascq: 1 } } });
    const e = (await dev.testUnitReady().catch((x: unknown) => x)) as CheckConditionError;
    expect(e.is(2, 4, 1)).toBe(true);
    expect(disk.recorder.commands().filter((n) => n === 'TEST UNIT READY').length).toBe(2 + 3 + 4);
  });

  it('never retries COMPARE AND WRITE unless retry: true', async () => {
    const { disk, dev } = await open();
    disk.faults.add({ opcode: 0x89, effect: 'unit-attention', count: 1 });
    const block = new Uint8Array(512);
    await expect(dev.compareAndWrite(0, 1, block, block)).rejects.toBeInstanceOf(CheckConditionError);
    expect(disk.recorder.commands().filter((n) => n === 'COMPARE AND WRITE')).toHaveLength(1);
    disk.faults.add({ opcode: 0x89, effect: 'unit-attention', count: 1 });
    await dev.compareAndWrite(0, 1, block, block, { retry: true });
    expect(disk.recorder.commands().filter((n) => n === 'COMPARE AND WRITE')).toHaveLength(3);
  });

  it('retry: false turns retrying off for one call', async () => {
    const { disk, dev } = await open();
    disk.faults.add({ opcode: 0x00, effect: 'unit-attention', count: 1 });
    await expect(dev.testUnitReady({ retry: false })).rejects.toBeInstanceOf(CheckConditionError);
  });
});

describe('Device: persistent reservations between two connections', () => {
  it('register, reserve, conflict, preempt, clear', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 1024 } });
    const a = await openDevice(disk, { write: true });
    const b = await openDevice(disk.connect(), { write: true });
    await a.pr.register({ newKey: 0xaan });
    await b.pr.register({ newKey: 0xbbn });
    expect((await a.pr.readKeys()).keys).toEqual([0xaan, 0xbbn]);
    await a.pr.reserve({ key: 0xaan, type: 'writeExclusive' });
    expect((await b.pr.readReservation()).reservation).toMatchObject({ reservationKey: 0xaan });
    const e = (await b.write(0, 1, new Uint8Array(512)).catch((x: unknown) => x)) as ScsiStatusError;
    expect(e).toBeInstanceOf(ScsiStatusError);
    expect(e.statusName).toBe('RESERVATION CONFLICT');
    await b.pr.preempt({ key: 0xbbn, preemptKey: 0xaan, type: 'writeExclusive' });
    expect((await a.pr.readKeys()).keys).toEqual([0xbbn]);
    expect(await a.pr.reportCapabilities()).toBeDefined();
    expect((await a.pr.readFullStatus()).descriptors.length).toBe(1);
    await b.pr.release({ key: 0xbbn, type: 'writeExclusive' });
    await b.pr.clear({ key: 0xbbn });
    expect((await a.pr.readKeys()).keys).toEqual([]);
  });
});

describe('Device: zoned', () => {
  it('reportZones, write at the pointer, finish/reset/open/close', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 1024 }, zoned: { zoneSize: 128 } });
    const dev = await openDevice(disk, { write: true });
    expect((await dev.inquiry()).peripheralDeviceType).toBe(0x14);
    // A zoned device (known from INQUIRY) gets READ CAPACITY(16): RC_BASIS and thin details matter.
    expect((await dev.readCapacity()).source).toBe(16);
    const zones = await dev.zones.reportZones();
    expect(zones.zones).toHaveLength(8);
    await dev.write(128, 4, pattern(2048, 1));
    expect((await dev.zones.reportZones({ startLba: 128 })).zones[0]?.writePointerLba).toBe(132n);
    await dev.zones.finishZone(128);
    await dev.zones.resetWritePointer(128);
    await dev.zones.openZone(256);
    await dev.zones.closeZone(256);
    await dev.zones.resetWritePointer({ all: true });
    expect(disk.zones()?.[1]?.writePointer).toBe(128);
  });
});

describe('Device: execute and observability', () => {
  it('execute raw bytes (direction inferred) and a CdbSpec', async () => {
    const { dev } = await open();
    const r = await dev.execute(new Uint8Array([0x12, 0, 0, 0, 36, 0]), { transferLength: 36 });
    expect(r.data.length).toBe(36);
    await dev.execute(buildTestUnitReady());
    expect(decodeCdb(buildTestUnitReady().cdb).name).toBe('TEST UNIT READY');
  });

  it('publishes start/complete/error/retry and keeps stats with percentiles', async () => {
    const { disk, dev } = await open();
    const seen: string[] = [];
    const subs = (['commandStart', 'commandComplete', 'commandError', 'commandRetry'] as const).map((k) => {
      const fn = (m: unknown) => seen.push(`${k}:${(m as { command: string }).command}`);
      diagnosticsChannel.subscribe(CHANNELS[k], fn);
      return () => diagnosticsChannel.unsubscribe(CHANNELS[k], fn);
    });
    try {
      disk.faults.add({ opcode: 0x00, effect: 'unit-attention', count: 1 });
      await dev.testUnitReady();
      await dev.execute(buildRead16({ lba: 1n << 40n, blocks: 1 })).catch(() => undefined);
    } finally {
      for (const u of subs) u();
    }
    expect(seen).toEqual([
      'commandStart:TEST UNIT READY',
      'commandRetry:TEST UNIT READY',
      'commandStart:TEST UNIT READY',
      'commandComplete:TEST UNIT READY',
      'commandStart:READ(16)',
      'commandError:READ(16)',
    ]);
    const s = dev.stats();
    expect(s).toMatchObject({ commands: 2, succeeded: 1, failed: 1, retries: 1 });
    expect(s.errors).toEqual({ ERR_SCSIKIT_CHECK_CONDITION: 1 });
    expect(s.latencyMs.count).toBe(1);
    expect(s.latencyMs.p99).toBeGreaterThanOrEqual(s.latencyMs.p50);
  });

  it('close() leaves a caller-supplied transport open', async () => {
    const { disk, dev } = await open();
    await dev.close();
    expect(dev.closed).toBe(true);
    expect(disk.closed).toBe(false);
  });
});

describe('Device: choices made from REPORT SUPPORTED OPERATION CODES', () => {
  /** An "all commands" answer listing only `ops` ([opcode, serviceAction?]). */
  function opcodesAnswer(ops: ReadonlyArray<readonly [number, number?]>): Uint8Array {
    const b = new Uint8Array(4 + 8 * ops.length);
    new DataView(b.buffer).setUint32(0, 8 * ops.length);
    ops.forEach(([op, sa], i) => {
      const o = 4 + 8 * i;
      b[o] = op;
      if (sa !== undefined) {
        b[o + 3] = sa;
        b[o + 5] = 0x01;
      }
      b[o + 7] = op >= 0x80 ? 16 : 10;
    });
    return b;
  }

  it('UNMAP unsupported but WRITE SAME(16) is: deallocates with WRITE SAME(16) UNMAP', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 1024 }, thinProvisioning: true });
    const t = scripted(disk, {
      163: () => ({
        status: 0,
        dataIn: opcodesAnswer([[0x12], [0x25], [0x28], [0x2a], [0x88], [0x8a], [0x93], [0x9e, 0x10]]),
      }),
    });
    const dev = await openDevice(t, { write: true });
    await dev.unmap({ lba: 0, blocks: 16 });
    expect(dev.supportsCommand(0x42)).toBe(false);
    const ws = t.sent.filter((c) => c[0] === 0x93);
    expect(ws).toHaveLength(1);
    expect((ws[0]?.[1] ?? 0) & 0x08).toBe(0x08); // UNMAP bit
    expect(t.sent.some((c) => c[0] === 0x42)).toBe(false);
  });

  it('READ(10) unsupported: READ(16) even for small LBAs', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 1024 } });
    const t = scripted(disk, {
      163: () => ({ status: 0, dataIn: opcodesAnswer([[0x12], [0x25], [0x88], [0x8a], [0x9e, 0x10]]) }),
    });
    const dev = await openDevice(t);
    await dev.read(0, 1);
    expect(t.sent.at(-1)?.[0]).toBe(0x88);
  });

  it('retries BUSY with backoff, then succeeds', async () => {
    const { disk, dev } = await open();
    disk.faults.add({ opcode: 0x00, effect: 'busy', count: 2 });
    await dev.testUnitReady();
    expect(dev.stats().retries).toBe(2);
  });
});

/** Forwards to `disk`, clearing DPOFUA in every MODE SENSE(10) header (as LIO answers). */
function withoutDpoFua(disk: EmulatedDisk): Transport {
  return {
    kind: disk.kind,
    capabilities: disk.capabilities,
    get closed() {
      return disk.closed;
    },
    async execute(cmd: ScsiCommand): Promise<ScsiResult> {
      const r = await disk.execute(cmd);
      if (cmd.cdb[0] === 0x5a && r.data.length > 3) r.data[3] = (r.data[3] ?? 0) & ~0x10;
      return r;
    },
    close: () => disk.close(),
  };
}

describe('DPO/FUA follow what the device says (DPOFUA, WCE)', () => {
  const writes = (disk: EmulatedDisk) =>
    disk.recorder.entries.filter((e) => e.name.startsWith('WRITE(') || e.name.startsWith('SYNCHRONIZE'));

  it('DPOFUA set: the FUA and DPO bits are sent as asked', async () => {
    const { disk, dev } = await open();
    disk.recorder.clear();
    await dev.write(4, 2, pattern(1024, 1), { fua: true, dpo: true });
    const w = writes(disk);
    expect(w.map((e) => e.name)).toEqual(['WRITE(10)']);
    expect((w[0]?.cdb[1] ?? 0) & 0x18).toBe(0x18);
  });

  it('DPOFUA clear, write cache on: FUA becomes a SYNCHRONIZE CACHE of the written range', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 8192 } });
    const dev = await openDevice(withoutDpoFua(disk), { write: true });
    disk.recorder.clear();
    await dev.write(4, 2, pattern(1024, 2), { fua: true, dpo: true });
    const w = writes(disk);
    expect(w.map((e) => e.name)).toEqual(['WRITE(10)', 'SYNCHRONIZE CACHE(10)']);
    expect((w[0]?.cdb[1] ?? 0) & 0x18).toBe(0);
    const sync = decodeCdb(w[1]!.cdb);
    expect(sync.fields).toMatchObject({ lba: 4n, numberOfLogicalBlocks: 2 });
    expect(await dev.read(4, 2, { fua: true })).toEqual(pattern(1024, 2));
  });

  it('DPOFUA clear, write cache off: the bits are dropped, no flush is needed', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 8192 } });
    const dev = await openDevice(withoutDpoFua(disk), { write: true });
    await dev.setWriteCache(false);
    disk.recorder.clear();
    await dev.write(4, 1, pattern(512, 3), { fua: true });
    const w = writes(disk);
    expect(w.map((e) => e.name)).toEqual(['WRITE(10)']);
    expect((w[0]?.cdb[1] ?? 0) & 0x18).toBe(0);
  });
});

describe('REPORT SUPPORTED OPERATION CODES without timeouts', () => {
  it('asks again without RCTD when the device refuses it (libata: 05/24/00)', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 4096 } });
    const t = scripted(disk, {
      163: (cmd) =>
        ((cmd.cdb[2] ?? 0) & 0x80) !== 0 ? { status: 2, sense: fixedSense(5, 0x24, 0) } : undefined,
    });
    const dev = await openDevice(t, { write: true });
    const ops = await dev.supportedOperationCodes();
    expect(ops.commands.some((c) => c.operationCode === 0x28)).toBe(true);
    const rsoc = t.sent.filter((c) => c[0] === 0xa3);
    expect(rsoc.map((c) => (c[2] ?? 0) & 0x80)).toEqual([0x80, 0]);
    expect(dev.supportsCommand(0x28)).toBe(true);
  });
});

describe('read/write through registered (fixed) buffers', () => {
  it('reads into and writes from a pool lease, one command each, with the lease index', async () => {
    const disk = new EmulatedDisk({
      capacity: { blocks: 4096 },
      fixedBuffers: { count: 2, bufferBytes: 8192 },
    });
    const dev = await openDevice(disk, { write: true });
    const pool = dev.transport.pool!;
    const lease = await pool.acquire(4096);
    lease.buffer.set(pattern(4096, 5));
    disk.recorder.clear();
    await dev.write(10, 8, lease.buffer, { fixedBuffer: lease });
    lease.buffer.fill(0);
    const back = await dev.read(10, 8, { fixedBuffer: lease });
    expect(back.buffer).toBe(lease.buffer.buffer);
    expect(back).toEqual(pattern(4096, 5));
    expect(disk.recorder.commands().filter((n) => /^(READ|WRITE)\(/u.test(n))).toEqual([
      'WRITE(10)',
      'READ(10)',
    ]);
    // Data from elsewhere is copied into the lease.
    await dev.write(20, 1, pattern(512, 6), { fixedBuffer: lease });
    expect(await dev.read(20, 1)).toEqual(pattern(512, 6));
    lease.release();
  });

  it('refuses what one command cannot carry, and `into` with a lease, before sending', async () => {
    const disk = new EmulatedDisk({
      capacity: { blocks: 4096 },
      fixedBuffers: { count: 1, bufferBytes: 8192 },
      maxTransferBytes: 4096,
    });
    const dev = await openDevice(disk, { write: true });
    const lease = await dev.transport.pool!.acquire(8192);
    await dev.read(0, 1);
    disk.recorder.clear();
    await expect(dev.read(0, 9, { fixedBuffer: lease })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(dev.read(0, 1, { fixedBuffer: lease, into: new Uint8Array(512) })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(
      dev.write(0, 2, new Uint8Array(1024), { fixedBuffer: { ...lease, buffer: new Uint8Array(512) } }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(disk.recorder.size).toBe(0);
    lease.release();
  });
});

import { EmulatedDisk } from '@scsikit/emulated-disk';
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  CheckConditionError,
  InvalidArgumentError,
  openDevice,
  PermissionError,
} from '../src/index.js';

const image = (length: number) => {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = (i * 13 + 7) & 0xff;
  return b;
};

type DiskOptions = ConstructorParameters<typeof EmulatedDisk>[0];

async function open(options: DiskOptions = {}, write = true) {
  const disk = new EmulatedDisk({ capacity: { blocks: 8192 }, microcode: true, ...options });
  const dev = await openDevice(disk, { write, retry: { minDelayMs: 0, maxDelayMs: 1 } });
  return { disk, dev };
}

/**
 * The WRITE BUFFER commands the disk accepted (GOOD): [mode, offset, length]. Those it answered
 * with a unit attention, sent again by the download, are left out.
 */
function writeBuffers(disk: EmulatedDisk): [number, number, number][] {
  return disk.recorder.entries
    .filter((e) => e.opcode === 0x3b && e.outcome?.kind === 'completed' && e.outcome.status === 0)
    .map((e) => {
      const c = e.cdb;
      return [
        (c[1] ?? 0) & 0x1f,
        ((c[3] ?? 0) << 16) | ((c[4] ?? 0) << 8) | (c[5] ?? 0),
        ((c[6] ?? 0) << 16) | ((c[7] ?? 0) << 8) | (c[8] ?? 0),
      ];
    });
}

async function refusal(p: Promise<unknown>): Promise<InvalidArgumentError> {
  const e = await p.catch((x: unknown) => x);
  expect(e).toBeInstanceOf(InvalidArgumentError);
  return e as InvalidArgumentError;
}

describe('downloadMicrocode over the emulated disk', () => {
  it('mode 07h: aligned chunks at ascending offsets, a short last one, progress, activation consumed', async () => {
    const { disk, dev } = await open({ microcode: { offsetBoundary: 9, bufferCapacity: 64 * 1024 } });
    const fw = image(5000);
    const progress: [number, number][] = [];
    const r = await dev.downloadMicrocode(fw, {
      chunkSize: 2048,
      onProgress: (s, t) => progress.push([s, t]),
    });
    expect(writeBuffers(disk)).toEqual([
      [7, 0, 2048],
      [7, 2048, 2048],
      [7, 4096, 904],
    ]);
    expect(progress).toEqual([
      [2048, 5000],
      [4096, 5000],
      [5000, 5000],
    ]);
    expect(r).toMatchObject({ mode: 7, bytesSent: 5000, chunkSize: 2048, activated: true, deferred: false });
    expect(r.limits).toMatchObject({
      offsetBoundary: 9,
      offsetAlignment: 512,
      bufferCapacity: 65536,
      activateMicrocode: 1,
    });
    // The emulation (like scsi_debug) activates on every 07h command: the next chunk meets the unit
    // attention and is sent again; the TEST UNIT READY after the last one consumes the final one.
    const resent = disk.recorder.entries.filter(
      (e) => e.opcode === 0x3b && e.outcome?.kind === 'completed' && e.outcome.status === 2,
    );
    expect(resent.map((e) => e.outcome)).toEqual([
      expect.objectContaining({ sense: { key: 6, asc: 0x3f, ascq: 0x01 } }),
      expect.objectContaining({ sense: { key: 6, asc: 0x3f, ascq: 0x01 } }),
    ]);
    expect(r.unitAttentions).toHaveLength(3);
    expect(r.unitAttentions.every((u) => u.asc === 0x3f && u.ascq === 0x01)).toBe(true);
    expect(r.unitAttentions.at(-1)?.description).toMatch(/microcode has been changed/i);
    expect(disk.microcode().active).toEqual(fw);
    // Nothing left pending: the caller's next command succeeds at once.
    disk.recorder.clear();
    await dev.testUnitReady({ retry: false });
    expect(disk.recorder.entries[0]?.outcome).toMatchObject({ kind: 'completed', status: 0 });
  });

  it('mode 05h sends the whole image in one command at offset 0', async () => {
    const { disk, dev } = await open();
    const r = await dev.downloadMicrocode(image(3000), { mode: 0x05 });
    expect(writeBuffers(disk)).toEqual([[5, 0, 3000]]);
    expect(r).toMatchObject({ activated: true, commands: 1 });
    expect(r.unitAttentions).toEqual([{ asc: 0x3f, ascq: 0x01, description: expect.any(String) }]);
  });

  it('mode 0Eh defers; activate sends mode 0Fh; activateMicrocode() does it later', async () => {
    const { disk, dev } = await open();
    const deferred = await dev.downloadMicrocode(image(1024), {
      mode: 'downloadOffsetsDefer',
      chunkSize: 512,
    });
    expect(deferred).toMatchObject({ mode: 0x0e, activated: false, deferred: true, unitAttentions: [] });
    expect(disk.microcode()).toMatchObject({ deferred: true, activations: 0 });
    const a = await dev.activateMicrocode();
    expect(a.unitAttentions.map((u) => [u.asc, u.ascq])).toEqual([[0x3f, 0x01]]);
    expect(disk.microcode()).toMatchObject({ deferred: false, activations: 1 });
    disk.recorder.clear();
    const now = await dev.downloadMicrocode(image(1024), { mode: 0x0e, chunkSize: 512, activate: true });
    expect(writeBuffers(disk)).toEqual([
      [0x0e, 0, 512],
      [0x0e, 512, 512],
      [0x0f, 0, 0],
    ]);
    expect(now).toMatchObject({ activated: true, commands: 3 });
    // 0Fh with nothing deferred: the device's COMMAND SEQUENCE ERROR reaches the caller.
    const e = await dev.activateMicrocode().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CheckConditionError);
    expect(e).toMatchObject({ senseKey: 5, asc: 0x2c, ascq: 0 });
  });

  it('mode 0Dh: activation events are checked against VPD 86h and sent in MODE SPECIFIC', async () => {
    const { disk, dev } = await open({ microcode: { activationEvents: { hardReset: true } } });
    const r = await dev.downloadMicrocode(image(512), { mode: 0x0d, activationEvents: { hardReset: true } });
    expect(r.limits).toMatchObject({ hraSup: true, poaSup: false, vsaSup: false });
    expect(disk.recorder.entries.find((e) => e.opcode === 0x3b)?.cdb[1]).toBe(0x4d);
    const e = await refusal(
      dev.downloadMicrocode(image(512), { mode: 0x0d, activationEvents: { powerOn: true } }),
    );
    expect(e.reason).toBe('mode-not-allowed');
    expect(e.message).toMatch(/POA_SUP/);
  });

  it('typed refusals before any WRITE BUFFER is sent', async () => {
    const { disk, dev } = await open({ microcode: { offsetBoundary: 9, bufferCapacity: 8192 } });
    expect((await refusal(dev.downloadMicrocode(new Uint8Array(0)))).reason).toBe('empty-image');
    expect((await refusal(dev.downloadMicrocode(image(8193)))).reason).toBe('image-too-large');
    expect((await refusal(dev.downloadMicrocode(image(4096), { chunkSize: 1000 }))).reason).toBe(
      'chunk-misaligned',
    );
    expect((await refusal(dev.downloadMicrocode(image(4096), { chunkSize: 16384 }))).reason).toBe(
      'chunk-too-large',
    );
    // biome-ignore lint/suspicious/noExplicitAny: a JavaScript caller's bad mode
    expect((await refusal(dev.downloadMicrocode(image(512), { mode: 0x04 as any }))).reason).toBe(
      'mode-not-allowed',
    );
    // biome-ignore lint/suspicious/noExplicitAny: a JavaScript caller's bad mode
    expect((await refusal(dev.downloadMicrocode(image(512), { mode: 0x0f as any }))).reason).toBe(
      'mode-not-allowed',
    );
    expect((await refusal(dev.downloadMicrocode(image(4096), { mode: 5, chunkSize: 512 }))).reason).toBe(
      'mode-not-allowed',
    );
    expect((await refusal(dev.downloadMicrocode(image(512), { mode: 7, activate: true }))).reason).toBe(
      'mode-not-allowed',
    );
    expect((await refusal(dev.downloadMicrocode(image(512), { mode: 5, chunkSize: -1 }))).field).toBe(
      'chunkSize',
    );
    expect((await refusal(dev.downloadMicrocode(image(512), { bufferId: 256 }))).field).toBe('bufferId');
    expect((await refusal(dev.activateMicrocode({ bufferId: -1 }))).field).toBe('bufferId');
    expect(writeBuffers(disk)).toEqual([]);
  });

  it('the default chunk respects the buffer capacity and the offset alignment', async () => {
    const { disk, dev } = await open({ microcode: { offsetBoundary: 12, bufferCapacity: 12_000 } });
    const r = await dev.downloadMicrocode(image(10_000));
    // min(capacity 12000, 64 KiB) rounded down to 4096.
    expect(r.chunkSize).toBe(8192);
    expect(writeBuffers(disk).map(([, o, l]) => [o, l])).toEqual([
      [0, 8192],
      [8192, 1808],
    ]);
  });

  it('a stopped disk (READ CAPACITY answers NOT READY) still takes microcode', async () => {
    const { disk, dev } = await open();
    await dev.startStopUnit({ start: false });
    const r = await dev.downloadMicrocode(image(1024), { chunkSize: 512 });
    expect(r).toMatchObject({ activated: true, bytesSent: 1024 });
    expect(disk.recorder.commands()).toContain('READ CAPACITY(10)');
  });

  it('the emulated device itself rejects a misaligned offset (INVALID FIELD IN CDB)', async () => {
    const { dev } = await open({ microcode: { offsetBoundary: 9 } });
    const e = await dev
      .execute(Uint8Array.of(0x3b, 0x07, 0, 0, 0x01, 0x00, 0, 0x02, 0x00, 0), { data: image(512) })
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ senseKey: 5, asc: 0x24, ascq: 0 });
  });

  it('a read-only device refuses before sending anything', async () => {
    const { disk, dev } = await open({}, false);
    const e = await dev.downloadMicrocode(image(512)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PermissionError);
    expect(e).toMatchObject({ reason: 'read-only' });
    expect(await dev.activateMicrocode().catch((x: unknown) => x)).toBeInstanceOf(PermissionError);
    expect(disk.recorder.size).toBe(0);
  });

  it('an abort between chunks stops before the next one and says what the device holds', async () => {
    const { disk, dev } = await open();
    const ac = new AbortController();
    const e = await dev
      .downloadMicrocode(image(4096), {
        chunkSize: 1024,
        signal: ac.signal,
        onProgress: (sent) => {
          if (sent === 2048) ac.abort();
        },
      })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AbortError);
    expect((e as Error).message).toMatch(/2048 of 4096 bytes, not activated/);
    expect(writeBuffers(disk)).toHaveLength(2);
    const before = await dev
      .downloadMicrocode(image(16), { signal: AbortSignal.abort() })
      .catch((x: unknown) => x);
    expect(before).toBeInstanceOf(AbortError);
    expect((before as Error).message).toMatch(/nothing was sent/);
  });

  it('a disk without the option: READ BUFFER and WRITE BUFFER are INVALID COMMAND OPERATION CODE', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 8192 } });
    const dev = await openDevice(disk, { write: true });
    const limits = await dev.microcodeLimits();
    expect(limits.offsetBoundary).toBeUndefined();
    expect(limits.bufferCapacity).toBeUndefined();
    const e = await dev.downloadMicrocode(image(512)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CheckConditionError);
    expect(e).toMatchObject({ senseKey: 5, asc: 0x20, ascq: 0 });
  });
});

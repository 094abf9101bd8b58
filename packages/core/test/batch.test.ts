import { buildInquiry, buildRead16, buildTestUnitReady, buildWrite10 } from '@scsikit/cdb';
import { EmulatedDisk } from '@scsikit/emulated-disk';
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  CheckConditionError,
  ClosedError,
  InvalidArgumentError,
  MAX_BATCH,
  openDevice,
  PermissionError,
} from '../src/index.js';
import { scripted } from './helpers.js';

const BLOCKS = 8192;

async function open(write: boolean) {
  const disk = new EmulatedDisk({ capacity: { blocks: BLOCKS } });
  const transport = scripted(disk, {});
  const dev = await openDevice(transport, { write, retry: { minDelayMs: 0, maxDelayMs: 1 } });
  transport.sent.length = 0;
  return { disk, transport, dev };
}

const block = (seed: number) => Uint8Array.from({ length: 512 }, (_, i) => (seed * 13 + i) & 0xff);

describe('Device.executeBatch over an emulated disk', () => {
  it('hands every command to the transport in the same synchronous run, and settles each in order', async () => {
    const { transport, dev } = await open(true);
    for (let lba = 0; lba < 8; lba++) {
      await dev.execute(buildWrite10({ lba, blocks: 1, blockLength: 512 }), { data: block(lba) });
    }
    transport.sent.length = 0;
    const into = Array.from({ length: 8 }, () => new Uint8Array(512));
    const batch = [
      buildInquiry({ allocationLength: 96 }),
      buildTestUnitReady(),
      ...into.map((buf, lba) => ({
        command: buildRead16({ lba: BigInt(lba), blocks: 1, blockLength: 512 }),
        options: { into: buf },
      })),
    ];
    const pending = dev.executeBatch(batch);
    // All ten reached the transport before any microtask ran: the io_uring transport stages them in
    // this run and sends them with one flush.
    expect(transport.sent.length).toBe(10);
    const out = await pending;
    expect(out).toHaveLength(10);
    expect(out.every((o) => o.ok)).toBe(true);
    const first = out[0];
    if (first?.ok !== true) throw new Error('INQUIRY failed');
    expect(new TextDecoder().decode(first.result.data.subarray(8, 16)).trim()).toBe('SCSIKIT');
    for (let lba = 0; lba < 8; lba++) expect(into[lba]).toEqual(block(lba));
    expect(dev.stats().commands).toBeGreaterThanOrEqual(18);
  });

  it('data-in commands without a buffer of their own share one allocation; each sees only its own bytes', async () => {
    const { dev } = await open(true);
    await dev.execute(buildWrite10({ lba: 5, blocks: 1, blockLength: 512 }), { data: block(5) });
    const own = new Uint8Array(512);
    const out = await dev.executeBatch([
      buildInquiry({ allocationLength: 96 }),
      buildRead16({ lba: 5n, blocks: 1, blockLength: 512 }),
      { command: buildRead16({ lba: 5n, blocks: 1, blockLength: 512 }), options: { into: own } },
      buildInquiry({ allocationLength: 36 }),
    ]);
    const data = out.map((o) => {
      if (!o.ok) throw o.error;
      return o.result.data;
    });
    expect(data[1]).toEqual(block(5));
    expect(data[2]?.buffer).toBe(own.buffer);
    expect(own).toEqual(block(5));
    // One slab for the three that brought none, laid out so no piece straddles a page.
    expect(data[0]?.buffer).toBe(data[1]?.buffer);
    expect(data[3]?.buffer).toBe(data[0]?.buffer);
    for (const d of [data[0], data[1], data[3]]) {
      const off = d?.byteOffset ?? 0;
      expect(Math.floor(off / 4096)).toBe(Math.floor((off + (d?.length ?? 1) - 1) / 4096));
    }
    expect(new TextDecoder().decode(data[3]?.subarray(8, 16)).trim()).toBe('SCSIKIT');
  });

  it('a failing command settles as { ok: false, error } with its typed error; the others succeed', async () => {
    const { dev } = await open(false);
    const out = await dev.executeBatch(
      [
        buildTestUnitReady(),
        buildRead16({ lba: BigInt(BLOCKS), blocks: 1, blockLength: 512 }), // past the end
        buildInquiry({ allocationLength: 36 }),
      ],
      { retry: false },
    );
    expect(out.map((o) => o.ok)).toEqual([true, false, true]);
    const bad = out[1];
    if (bad?.ok !== false) throw new Error('expected a failure');
    expect(bad.error).toBeInstanceOf(CheckConditionError);
    expect(bad.error).toMatchObject({ senseKey: 5, asc: 0x21 });
  });

  it('read-only: one write-class CDB anywhere refuses the whole batch before any command is sent', async () => {
    const { transport, dev } = await open(false);
    const e = await dev
      .executeBatch([
        buildInquiry({ allocationLength: 36 }),
        buildTestUnitReady(),
        { command: buildWrite10({ lba: 0, blocks: 1, blockLength: 512 }), options: { data: block(1) } },
      ])
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PermissionError);
    expect(e).toMatchObject({ reason: 'read-only' });
    expect(transport.sent).toHaveLength(0);
    // Raw vendor bytes count as writes too.
    const raw = await dev
      .executeBatch([buildTestUnitReady(), { command: Uint8Array.of(0xc0, 0, 0, 0, 0, 0) }])
      .catch((x: unknown) => x);
    expect(raw).toBeInstanceOf(PermissionError);
    expect(transport.sent).toHaveLength(0);
  });

  it('bad input is a typed error before anything is sent', async () => {
    const { transport, dev } = await open(true);
    // A data-in buffer too small for its command (the last entry).
    const small = await dev
      .executeBatch([
        buildTestUnitReady(),
        {
          command: buildRead16({ lba: 0n, blocks: 2, blockLength: 512 }),
          options: { into: new Uint8Array(512) },
        },
      ])
      .catch((x: unknown) => x);
    expect(small).toBeInstanceOf(InvalidArgumentError);
    expect(small).toMatchObject({ field: 'into' });
    // A write without data.
    const noData = await dev
      .executeBatch([{ command: buildWrite10({ lba: 0, blocks: 1, blockLength: 512 }) }])
      .catch((x: unknown) => x);
    expect(noData).toBeInstanceOf(InvalidArgumentError);
    // Not a command at all: named by its index.
    const notCmd = await dev
      .executeBatch([buildTestUnitReady(), { command: 42 as unknown as Uint8Array }])
      .catch((x: unknown) => x);
    expect(notCmd).toBeInstanceOf(InvalidArgumentError);
    expect(notCmd).toMatchObject({ field: 'commands[1]' });
    const notArray = await dev.executeBatch('TUR' as unknown as []).catch((x: unknown) => x);
    expect(notArray).toMatchObject({ field: 'commands' });
    const tooMany = await dev
      .executeBatch(Array.from({ length: MAX_BATCH + 1 }, () => buildTestUnitReady()))
      .catch((x: unknown) => x);
    expect(tooMany).toBeInstanceOf(InvalidArgumentError);
    expect(transport.sent).toHaveLength(0);
    expect(await dev.executeBatch([])).toEqual([]);
  });

  it('an aborted signal (the batch’s or one command’s) refuses the batch before sending', async () => {
    const { transport, dev } = await open(false);
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    const e = await dev.executeBatch([buildTestUnitReady()], { signal: ac.signal }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AbortError);
    const one = await dev
      .executeBatch([buildTestUnitReady(), { command: buildTestUnitReady(), options: { signal: ac.signal } }])
      .catch((x: unknown) => x);
    expect(one).toBeInstanceOf(AbortError);
    expect(transport.sent).toHaveLength(0);
  });

  it('a closed device refuses the batch with ClosedError', async () => {
    const { transport, dev } = await open(false);
    await dev.close();
    const e = await dev.executeBatch([buildTestUnitReady()]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ClosedError);
    expect(transport.sent).toHaveLength(0);
  });
});

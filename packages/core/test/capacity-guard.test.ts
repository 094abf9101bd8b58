/**
 * The capacity guard: once the capacity is cached, a range past it is refused with
 * InvalidArgumentError (reason 'lba-out-of-range') and nothing reaches the device. scsi_debug wraps
 * LBAs near 2^64 and, with lbpu=1, GET LBA STATUS at 2^64 − 1 has crashed the guest kernel: these
 * ranges must never be sent. Raw CDBs through `execute` stay unchecked.
 */
import { buildRead16 } from '@scsikit/cdb';
import { EmulatedDisk } from '@scsikit/emulated-disk';
import { describe, expect, it } from 'vitest';
import { CheckConditionError, type Device, InvalidArgumentError, openDevice } from '../src/index.js';
import { scripted } from './helpers.js';

const BLOCKS = 1000;
const MAX_U64 = (1n << 64n) - 1n;
/** What the guard lets a method send on its own: the sizing and provisioning queries. */
const QUERY = /^(READ CAPACITY|INQUIRY|MODE SENSE|REPORT SUPPORTED OPERATION CODES)/u;

async function open() {
  const disk = new EmulatedDisk({ capacity: { blocks: BLOCKS }, thinProvisioning: true });
  const dev = await openDevice(disk, { write: true, retry: false });
  // Fill the caches (capacity, limits, opcodes, provisioning) so later calls send only their command.
  await dev.read(0, 1);
  await dev.logicalBlockProvisioning();
  return { disk, dev };
}

/** The commands `call` made the device see, sizing queries left out. */
async function sentBy(disk: EmulatedDisk, call: () => Promise<unknown>): Promise<[unknown, string[]]> {
  const mark = disk.recorder.entries.length;
  const outcome = await call().catch((e: unknown) => e);
  const names = disk.recorder.entries
    .slice(mark)
    .map((e) => e.name)
    .filter((n) => !QUERY.test(n));
  return [outcome, names];
}

function expectGuarded(e: unknown, command: string, lba: bigint | number): void {
  expect(e).toBeInstanceOf(InvalidArgumentError);
  const err = e as InvalidArgumentError;
  expect(err).toMatchObject({
    code: 'ERR_SCSIKIT_INVALID_ARGUMENT',
    field: 'lba',
    reason: 'lba-out-of-range',
    command,
  });
  expect(err.message).toContain(`${command} `);
  expect(err.message).toContain(`LBA ${lba} `);
  expect(err.message).toContain(`capacity ${BLOCKS} blocks, last LBA ${BLOCKS - 1}`);
  expect(err.message).toMatch(/nothing was sent$/u);
}

const block = new Uint8Array(512);
type Case = readonly [string, string, (dev: Device, lba: bigint, blocks: number) => Promise<unknown>];
const METHODS: readonly Case[] = [
  ['read', 'READ', (d, lba, n) => d.read(lba, n)],
  ['write', 'WRITE', (d, lba, n) => d.write(lba, n, new Uint8Array(n * 512))],
  ['verify', 'VERIFY', (d, lba, n) => d.verify(lba, n)],
  ['writeSame', 'WRITE SAME', (d, lba, n) => d.writeSame(lba, n, { data: block })],
  [
    'unmap',
    'UNMAP',
    (d, lba, n) =>
      d.unmap([
        { lba: 0, blocks: 1 },
        { lba, blocks: n },
      ]),
  ],
  [
    'compareAndWrite',
    'COMPARE AND WRITE',
    (d, lba, n) => d.compareAndWrite(lba, n, new Uint8Array(n * 512), new Uint8Array(n * 512)),
  ],
];

describe('capacity guard: refused before sending, with a typed error', () => {
  it.each(METHODS)('%s: the range just past the end, and one running over it', async (_m, command, call) => {
    const { disk, dev } = await open();
    for (const [lba, n] of [
      [BigInt(BLOCKS), 1],
      [BigInt(BLOCKS - 1), 2],
      [BigInt(BLOCKS - 5), 6],
    ] as const) {
      const [e, sent] = await sentBy(disk, () => call(dev, lba, n));
      expectGuarded(e, command, lba);
      expect(e as Error).toHaveProperty('message', expect.stringContaining(`${n} block(s)`));
      expect(sent).toEqual([]);
    }
  });

  it.each(METHODS)('%s: the last blocks themselves are still sent', async (_m, _command, call) => {
    const { disk, dev } = await open();
    const [e, sent] = await sentBy(disk, () => call(dev, BigInt(BLOCKS - 2), 2));
    expect(e).not.toBeInstanceOf(InvalidArgumentError);
    expect(sent.length).toBeGreaterThan(0);
  });

  it.each(METHODS)('%s: LBAs near 2^64 never reach the device', async (_m, command, call) => {
    const { disk, dev } = await open();
    for (const lba of [MAX_U64, MAX_U64 - 1n, 1n << 63n, 1n << 32n]) {
      const [e, sent] = await sentBy(disk, () => call(dev, lba, 1));
      expectGuarded(e, command, lba);
      expect(sent).toEqual([]);
    }
  });

  it('getLbaStatus: the last LBA is asked, the next one and 2^64 − 1 are refused', async () => {
    const { disk, dev } = await open();
    const [ok, sentOk] = await sentBy(disk, () => dev.getLbaStatus(BLOCKS - 1));
    expect(ok).toMatchObject({ descriptors: expect.any(Array) });
    expect(sentOk).toEqual(['GET LBA STATUS(16)']);
    for (const lba of [BigInt(BLOCKS), MAX_U64]) {
      const [e, sent] = await sentBy(disk, () => dev.getLbaStatus(lba));
      expectGuarded(e, 'GET LBA STATUS', lba);
      expect((e as Error).message).toMatch(/^GET LBA STATUS at LBA \d+ is past the end/u);
      expect(sent).toEqual([]);
    }
  });

  it('a number LBA is checked like a bigint, and a bad LBA still fails its own check first', async () => {
    const { dev } = await open();
    expectGuarded(await dev.read(BLOCKS, 1).catch((e: unknown) => e), 'READ', BLOCKS);
    const bad = await dev.read(-1, 1).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidArgumentError);
    expect((bad as InvalidArgumentError).reason).toBeUndefined();
  });
});

describe('capacity guard: what stays unchecked', () => {
  it('execute() sends a raw READ(16) past the end, and the device answers for itself', async () => {
    const { disk, dev } = await open();
    const [e, sent] = await sentBy(disk, () => dev.execute(buildRead16({ lba: BigInt(BLOCKS), blocks: 1 })));
    expect(e).toBeInstanceOf(CheckConditionError);
    expect([(e as CheckConditionError).senseKey, (e as CheckConditionError).asc]).toEqual([5, 0x21]);
    expect(sent).toEqual(['READ(16)']);
  });

  it('getLbaStatus before any capacity is cached goes to the device', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: BLOCKS }, thinProvisioning: true });
    const dev = await openDevice(disk, { retry: false });
    const [e, sent] = await sentBy(disk, () => dev.getLbaStatus(BLOCKS));
    expect(e).toBeInstanceOf(CheckConditionError);
    expect(sent).toEqual(['GET LBA STATUS(16)']);
  });
});

describe('capacity guard on a device of 2^64 − 1 blocks (no 64-bit wrap)', () => {
  /** READ CAPACITY answers a last LBA of 2^64 − 2; everything else goes to the emulated disk. */
  function huge() {
    const disk = new EmulatedDisk({ capacity: { blocks: BLOCKS } });
    const rc16 = new Uint8Array(32);
    const view = new DataView(rc16.buffer);
    view.setBigUint64(0, MAX_U64 - 1n);
    view.setUint32(8, 512);
    const t = scripted(disk, {
      37: () => ({ dataIn: Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0, 0, 2, 0]) }),
      158: (cmd) => (((cmd.cdb[1] ?? 0) & 0x1f) === 0x10 ? { dataIn: rc16 } : undefined),
    });
    return t;
  }

  it('the last LBA passes the guard; one block more, or a range summing to 2^64, does not', async () => {
    const t = huge();
    const dev = await openDevice(t, { retry: false });
    const cap = await dev.readCapacity();
    expect(cap.blocks).toBe(MAX_U64);
    const before = t.sent.length;
    // The emulated disk behind it refuses the LBA itself: proof that the command went out.
    await expect(dev.read(MAX_U64 - 1n, 1)).rejects.toBeInstanceOf(CheckConditionError);
    expect(t.sent.slice(before).map((c) => c[0])).toContain(0x88);
    const mark = t.sent.length;
    for (const [lba, n] of [
      [MAX_U64, 1],
      [MAX_U64 - 1n, 2],
      [MAX_U64 - 3n, 0xffff],
    ] as const) {
      const e = await dev.read(lba, n).catch((x: unknown) => x);
      expect(e).toMatchObject({ reason: 'lba-out-of-range' });
      expect((e as Error).message).toContain(`capacity ${MAX_U64} blocks`);
    }
    const e = await dev.getLbaStatus(MAX_U64).catch((x: unknown) => x);
    expect(e).toMatchObject({ reason: 'lba-out-of-range', command: 'GET LBA STATUS' });
    expect(t.sent.length).toBe(mark);
  });
});

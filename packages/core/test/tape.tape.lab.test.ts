// The tape profile: device.tape against the Linux 7.3 scsi_debug tape (ptype=1) over io_uring BSG.
// Every expectation is what that target answers; where it departs from SSC-5 (and from the
// emulated tape) the comment says so and docs/target-notes.md lists it.

import { DecodeError } from '@scsikit/cdb';
import { readLabManifest } from '@scsikit/lab';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckConditionError, type Device, openDevice, PermissionError } from '../src/index.js';

const manifest = readLabManifest();
const lab = manifest.devices.find((d) => d.type === 0x01);

const opened: Device[] = [];
afterAll(async () => {
  for (const d of opened) await d.close();
});

async function open(write: boolean): Promise<Device> {
  if (lab === undefined) throw new Error(`no tape in the manifest: ${JSON.stringify(manifest.devices)}`);
  const dev = await openDevice(lab.bsg, { write });
  opened.push(dev);
  return dev;
}

/**
 * What scsi_debug's tape gives back for `data` written in blocks of `block` bytes: it keeps only
 * the first 4 bytes of each block (one u32 per block) and reads the rest as zeros.
 */
function kept(data: Uint8Array, block = data.length): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let o = 0; o < data.length; o += block) out.set(data.subarray(o, o + 4), o);
  return out;
}

function pattern(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (seed * 31 + i * 7 + (i >> 8)) & 0xff);
}

/** The CheckConditionError `p` rejects with, as [sense key, ASC, ASCQ]. */
async function senseOf(p: Promise<unknown>): Promise<[number, number, number]> {
  const e = await p.then(
    () => expect.fail('the command succeeded'),
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(CheckConditionError);
  const c = e as CheckConditionError;
  return [c.senseKey, c.asc, c.ascq];
}

const INVALID_OPCODE: [number, number, number] = [5, 0x20, 0];
const INVALID_FIELD: [number, number, number] = [5, 0x24, 0];

const a = pattern(512, 1);
const b = pattern(1024, 2);
const c = pattern(512, 3);

describe(`device.tape on the scsi_debug tape (${manifest.kernel})`, () => {
  it('is a tape: sysfs type 1, INQUIRY PDT 1, io_uring', async () => {
    expect(lab?.type).toBe(1);
    const dev = await open(true);
    expect(dev.transport.kind).toBe('uring');
    expect((await dev.inquiry()).peripheralDeviceType).toBe(1);
    expect((await dev.tape.status()).ready).toBe(true);
  });

  it('writes records and filemarks in variable mode; READ POSITION counts filemarks as objects', async () => {
    const dev = await open(true);
    await dev.tape.rewind();
    expect(await dev.tape.mode()).toMatchObject({ mode: 'variable', blockLength: 0 });
    await dev.tape.write(a);
    await dev.tape.write(b);
    await dev.tape.writeFilemarks(1);
    await dev.tape.write(c);
    await dev.tape.writeFilemarks(2);
    const p = await dev.tape.readPosition();
    expect(p).toMatchObject({ firstLocation: 6, lastLocation: 6, partition: 0 });
    await dev.tape.rewind();
    const p0 = await dev.tape.readPosition();
    expect(p0.firstLocation).toBe(0);
    // scsi_debug never sets BOP (byte 0 is always 0): SSC-5 wants BOP at the beginning of partition.
    expect(p0.bop).toBe(false);
  });

  it('reads them back: ILI with residue, the filemark result, end of data', async () => {
    const dev = await open(false);
    await dev.tape.rewind();
    const r1 = await dev.tape.read(512);
    expect(r1).toMatchObject({ filemark: false, ili: false, residue: 0, blocks: 1 });
    expect(r1.data).toEqual(kept(a));
    const r2 = await dev.tape.read(2048);
    expect(r2).toMatchObject({ ili: true, residue: 1024, overlength: false });
    expect(r2.data).toEqual(kept(b));
    const fm = await dev.tape.read(2048, { sili: true });
    expect(fm).toMatchObject({ filemark: true, residue: 2048, blocks: 0 });
    expect(fm.data.length).toBe(0);
    expect((await dev.tape.readPosition()).firstLocation).toBe(3);
    expect((await dev.tape.read(512)).data).toEqual(kept(c));
    expect(await dev.tape.read(512)).toMatchObject({ filemark: true, residue: 512 });
    expect(await dev.tape.read(512)).toMatchObject({ filemark: true, residue: 512 });
    const eod = await dev.tape.read(512);
    expect(eod).toMatchObject({ endOfData: true, residue: 512, blocks: 0 });
    expect((await dev.tape.readPosition()).firstLocation).toBe(6);
    // scsi_debug refuses a variable-mode read shorter than its minimum block length (512):
    // ILLEGAL REQUEST, INVALID FIELD IN CDB, where SSC-5 would read and report ILI.
    await dev.tape.rewind();
    expect(await senseOf(dev.tape.read(256))).toEqual(INVALID_FIELD);
  });

  it('SPACE over blocks and filemarks, backwards and to end of data; LOCATE(10)', async () => {
    const dev = await open(false);
    await dev.tape.rewind();
    expect(await dev.tape.space(1, { code: 'filemarks' })).toMatchObject({ filemark: false, residue: 0 });
    expect((await dev.tape.readPosition()).firstLocation).toBe(3);
    expect(await dev.tape.space(-1)).toMatchObject({ filemark: true, residue: 1 });
    await dev.tape.locate(3);
    // Five blocks from the third object meet the filemark after one: residue 4, past the filemark.
    expect(await dev.tape.space(5)).toMatchObject({ filemark: true, residue: 4 });
    expect((await dev.tape.readPosition()).firstLocation).toBe(5);
    expect(await dev.tape.space(0, { code: 'endOfData' })).toMatchObject({ endOfData: false, residue: 0 });
    expect((await dev.tape.readPosition()).firstLocation).toBe(6);
    await dev.tape.rewind();
    expect(await dev.tape.space(9, { code: 'filemarks' })).toMatchObject({ endOfData: true, residue: 6 });
    await dev.tape.locate(3);
    expect((await dev.tape.read(512)).data).toEqual(kept(c));
    // Past end of data: BLANK CHECK at end of data — with ASC 05h/ASCQ 00h ("logical unit does not
    // respond to selection"), scsi_debug's swap of END-OF-DATA DETECTED 00h/05h, so no typed EOD.
    expect(await senseOf(dev.tape.locate(100))).toEqual([8, 0x05, 0x00]);
    expect((await dev.tape.readPosition()).firstLocation).toBe(6);
  });

  it('fixed-block mode through the block descriptor: whole blocks, a filemark after three of four', async () => {
    const dev = await open(true);
    await dev.tape.setBlockLength(512);
    expect(await dev.tape.mode()).toMatchObject({ mode: 'fixed', blockLength: 512 });
    await dev.tape.rewind();
    const data = pattern(1536, 4);
    await dev.tape.write(data, { blockLength: 512 });
    await dev.tape.writeFilemarks(1);
    await dev.tape.rewind();
    const r = await dev.tape.read(4, { blockLength: 512 });
    expect(r).toMatchObject({ filemark: true, residue: 1, blocks: 3 });
    expect(r.data).toEqual(kept(data, 512));
    await dev.tape.setBlockLength(0);
    expect((await dev.tape.mode()).mode).toBe('variable');
  });

  it('READ BLOCK LIMITS, the compression page; what scsi_debug does not implement', async () => {
    const dev = await open(false);
    // GRANULARITY 4, 512 bytes to 1 MiB; MLOI is ignored (the 6-byte answer again).
    expect(await dev.tape.readBlockLimits({ mloi: true })).toEqual({
      granularity: 4,
      maximumBlockLength: 0x100000,
      minimumBlockLength: 512,
    });
    // scsi_debug's Data Compression page says PAGE LENGTH 0Eh (16 bytes) but sends 14, and its MODE
    // DATA LENGTH counts 14: the answer contradicts itself, so the decoder refuses it (typed).
    await expect(dev.tape.compression()).rejects.toBeInstanceOf(DecodeError);
    expect(await senseOf(dev.tape.deviceConfiguration())).toEqual(INVALID_FIELD);
    expect(await senseOf(dev.tape.reportDensitySupport())).toEqual(INVALID_OPCODE);
    expect(await senseOf(dev.tape.tapeAlert())).toEqual(INVALID_FIELD);
    expect(await senseOf(dev.tape.readPosition('long'))).toEqual(INVALID_FIELD);
    expect(await senseOf(dev.tape.locate(1, { sixteen: true }))).toEqual(INVALID_OPCODE);
    expect(await senseOf(dev.tape.space(1, { sixteen: true }))).toEqual(INVALID_OPCODE);
  });

  it('a read-only open reads and positions, and refuses WRITE(6), WRITE FILEMARKS, ERASE, LOAD UNLOAD, MODE SELECT', async () => {
    const ro = await open(false);
    await ro.tape.rewind();
    const before = await ro.tape.read(4096, { sili: true });
    for (const attempt of [
      () => ro.tape.write(pattern(512, 9)),
      () => ro.tape.writeFilemarks(1),
      () => ro.tape.erase({ long: true }),
      () => ro.tape.unload(),
      () => ro.tape.setBlockLength(512),
    ]) {
      await expect(attempt()).rejects.toBeInstanceOf(PermissionError);
    }
    // Nothing reached the tape: the position did not move and the medium still holds the same data.
    expect((await ro.tape.readPosition()).firstLocation).toBe(1);
    await ro.tape.rewind();
    expect((await ro.tape.read(4096, { sili: true })).data).toEqual(before.data);
  });

  it('unload: NOT READY (04h/02h) until load; then a unit attention, then ready', async () => {
    const dev = await open(true);
    await dev.tape.unload();
    // scsi_debug answers 04h/02h (INITIALIZING COMMAND REQUIRED) where a drive without a
    // cartridge answers MEDIUM NOT PRESENT (3Ah), as the emulated tape does.
    expect(await dev.tape.status()).toMatchObject({
      ready: false,
      notReady: { senseKey: 2, asc: 4, ascq: 2 },
    });
    await dev.tape.load();
    let s = await dev.tape.status();
    if (!s.ready) {
      // The first command after LOAD sees NOT READY TO READY CHANGE (28h/00h), once.
      expect(s.notReady).toMatchObject({ senseKey: 6, asc: 0x28 });
      s = await dev.tape.status();
    }
    expect(s).toMatchObject({ ready: true, position: { firstLocation: 0 } });
  });
});

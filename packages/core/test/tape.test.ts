// device.tape against the emulated tape drive (peripheral device type 01h, SSC-5).
import { EmulatedDisk, EmulatedTape, type EmulatedTapeOptions } from '@scsikit/emulated-disk';
import { describe, expect, it } from 'vitest';
import { CheckConditionError, InvalidArgumentError, openDevice, PermissionError } from '../src/index.js';

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);

async function open(options: EmulatedTapeOptions = {}, write = true) {
  const tape = new EmulatedTape(options);
  const dev = await openDevice(tape, { write, retry: { minDelayMs: 0, maxDelayMs: 1 } });
  return { tape, dev };
}

describe('device.tape on the emulated tape', () => {
  it('is a tape to the registry: LOAD UNLOAD, not START STOP UNIT, and peripheral type 1', async () => {
    const { tape, dev } = await open();
    expect(tape.capabilities.peripheralType).toBe(1);
    expect((await dev.inquiry()).peripheralDeviceType).toBe(1);
    await dev.tape.unload();
    expect(tape.recorder.commands()).toContain('LOAD UNLOAD');
    expect(tape.recorder.commands()).not.toContain('START STOP UNIT');
    await dev.close();
  });

  it('writes records and filemarks, rewinds, reads them back; a read at a filemark resolves with filemark + residue', async () => {
    const { tape, dev } = await open();
    const a = bytes(512, 1);
    const b = bytes(1024, 2);
    await dev.tape.write(a);
    await dev.tape.write(b);
    await dev.tape.writeFilemarks(1);
    await dev.tape.write(bytes(100, 3));
    expect((await dev.tape.readPosition()).firstLocation).toBe(4);
    expect(tape.medium().map((o) => o.kind)).toEqual(['block', 'block', 'filemark', 'block']);
    await dev.tape.rewind();
    const p0 = await dev.tape.readPosition();
    expect(p0.bop).toBe(true);
    expect(p0.firstLocation).toBe(0);

    const r1 = await dev.tape.read(512);
    expect(r1.data).toEqual(a);
    expect(r1).toMatchObject({ filemark: false, endOfData: false, ili: false, residue: 0, blocks: 1 });

    // A shorter block than asked (no SILI): ILI, residue = asked − actual, the block's bytes.
    const r2 = await dev.tape.read(2048);
    expect(r2).toMatchObject({ ili: true, residue: 1024, overlength: false, blocks: 1 });
    expect(r2.data).toEqual(b);

    // The filemark: no data, FILEMARK, residue = everything asked; the position is past it.
    const fm = await dev.tape.read(512);
    expect(fm).toMatchObject({ filemark: true, residue: 512, blocks: 0 });
    expect(fm.data.length).toBe(0);
    expect((await dev.tape.readPosition()).firstLocation).toBe(3);

    // A longer block than asked: ILI with a negative residue, the first bytes, the rest skipped.
    const over = await dev.tape.read(40);
    expect(over).toMatchObject({ ili: true, residue: -60, overlength: true });
    expect(over.data).toEqual(bytes(100, 3).subarray(0, 40));

    // End of data: BLANK CHECK resolves with endOfData, nothing read.
    const eod = await dev.tape.read(512);
    expect(eod).toMatchObject({ endOfData: true, residue: 512, blocks: 0 });
    await dev.close();
  });

  it('SILI: a shorter block is no CHECK CONDITION; the transport residual gives its length', async () => {
    const { dev } = await open();
    await dev.tape.write(bytes(300, 4));
    await dev.tape.rewind();
    const r = await dev.tape.read(1000, { sili: true });
    expect(r).toMatchObject({ ili: false, residue: 0 });
    expect(r.data).toEqual(bytes(300, 4));
    await dev.close();
  });

  it('fixed-block mode: MODE SELECT block length, whole blocks, a filemark mid-read returns the blocks before it', async () => {
    const { dev } = await open();
    expect(await dev.tape.mode()).toMatchObject({ mode: 'variable', blockLength: 0, writeProtected: false });
    await dev.tape.setBlockLength(512);
    expect(await dev.tape.mode()).toMatchObject({ mode: 'fixed', blockLength: 512 });
    const data = bytes(1536, 5);
    await dev.tape.write(data, { blockLength: 512 });
    await dev.tape.writeFilemarks();
    await dev.tape.rewind();
    const r = await dev.tape.read(4, { blockLength: 512 });
    expect(r).toMatchObject({ filemark: true, residue: 1, blocks: 3 });
    expect(r.data).toEqual(data);
    // Fixed-mode sizes are checked before anything is sent.
    await expect(dev.tape.write(bytes(700, 1), { blockLength: 512 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(dev.tape.read(1, { blockLength: 512, sili: true })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(dev.tape.read(2 ** 24)).rejects.toBeInstanceOf(InvalidArgumentError);
    // Variable-mode READ in fixed mode is the drive's ILLEGAL REQUEST: a rejection, not a result.
    await expect(dev.tape.read(512)).rejects.toBeInstanceOf(CheckConditionError);
    await dev.close();
  });

  it('SPACE over blocks and filemarks, backwards, to end of data; LOCATE(10/16)', async () => {
    const { dev } = await open();
    for (let i = 0; i < 3; i++) await dev.tape.write(bytes(64, i));
    await dev.tape.writeFilemarks(1);
    await dev.tape.write(bytes(64, 9));
    await dev.tape.writeFilemarks(2);
    await dev.tape.rewind();
    expect(await dev.tape.space(1, { code: 'filemarks' })).toMatchObject({ filemark: false, residue: 0 });
    expect((await dev.tape.readPosition()).firstLocation).toBe(4);
    expect(await dev.tape.space(-1)).toMatchObject({ filemark: true, residue: 1 });
    expect((await dev.tape.readPosition()).firstLocation).toBe(3);
    // Spacing 5 blocks from the start meets the filemark after 3: residue 2, position past it.
    await dev.tape.rewind();
    expect(await dev.tape.space(5)).toMatchObject({ filemark: true, residue: 2 });
    expect((await dev.tape.readPosition()).firstLocation).toBe(4);
    expect(await dev.tape.space(0, { code: 'endOfData' })).toMatchObject({ endOfData: false });
    expect((await dev.tape.readPosition()).firstLocation).toBe(7);
    expect(await dev.tape.space(1)).toMatchObject({ endOfData: true, residue: 1 });
    expect(await dev.tape.space(2, { code: 'sequentialFilemarks', sixteen: true })).toBeDefined();
    await dev.tape.rewind();
    expect(await dev.tape.space(-1)).toMatchObject({ eom: true, residue: 1 });
    await dev.tape.locate(4);
    expect((await dev.tape.read(64)).data).toEqual(bytes(64, 9));
    await dev.tape.locate(1, { sixteen: true });
    expect((await dev.tape.readPosition('long')).logicalObjectNumber).toBe(1n);
    await dev.tape.locate(2, { destType: 'file' });
    expect((await dev.tape.readPosition('extended')).firstLocation).toBe(6n);
    const past = await dev.tape.locate(100).catch((e: unknown) => e);
    expect(past).toBeInstanceOf(CheckConditionError);
    expect((past as CheckConditionError).is(8, 0x00, 0x05)).toBe(true);
    await dev.close();
  });

  it('READ BLOCK LIMITS, REPORT DENSITY SUPPORT, mode pages 0Fh/10h, TapeAlert', async () => {
    const { tape, dev } = await open({ minBlockLength: 4, maxBlockLength: 65536, tapeAlerts: [3, 20] });
    expect(await dev.tape.readBlockLimits({ mloi: true })).toEqual({
      granularity: 0,
      maximumBlockLength: 65536,
      minimumBlockLength: 4,
      maximumLogicalObjectIdentifier: 0xffff_ffffn,
    });
    const d = await dev.tape.reportDensitySupport();
    expect(d.densities[0]).toMatchObject({ primaryDensityCode: 0x58, wrtok: true, deflt: true });
    const m = await dev.tape.reportDensitySupport({ mediumType: true });
    expect(m.mediumTypes[0]?.densityCodes).toEqual([0x58]);
    expect(await dev.tape.compression()).toMatchObject({ dcc: true, dce: false, dde: true });
    expect(await dev.tape.deviceConfiguration()).toMatchObject({ lois: true, eeg: true, swp: false });
    const alerts = await dev.tape.tapeAlert();
    expect(alerts.flags).toHaveLength(64);
    expect(alerts.active.map((f) => [f.flag, f.name])).toEqual([
      [3, 'Hard error'],
      [20, 'Cleaning required'],
    ]);
    expect((await dev.tape.tapeAlert()).active).toEqual([]);
    tape.raiseTapeAlert(64);
    expect((await dev.tape.tapeAlert()).active.map((f) => f.name)).toEqual(['Reserved (40h)']);
    await dev.close();
  });

  it('early warning resolves the write, VOLUME OVERFLOW rejects it; write protection is DATA PROTECT', async () => {
    const { tape, dev } = await open({ capacityBytes: 4096, earlyWarningBytes: 1024 });
    expect(await dev.tape.write(bytes(2048, 1))).toEqual({ earlyWarning: false, residue: 0 });
    expect(await dev.tape.write(bytes(1024, 2))).toEqual({ earlyWarning: true, residue: 0 });
    const full = await dev.tape.write(bytes(2048, 3)).catch((e: unknown) => e);
    expect(full).toBeInstanceOf(CheckConditionError);
    expect((full as CheckConditionError).senseKey).toBe(0x0d);
    tape.setWriteProtected(true);
    expect((await dev.tape.mode()).writeProtected).toBe(true);
    const wp = await dev.tape.writeFilemarks().catch((e: unknown) => e);
    expect((wp as CheckConditionError).senseKey).toBe(7);
    await dev.close();
  });

  it('unload: status says not ready (MEDIUM NOT PRESENT) until load', async () => {
    const { dev } = await open();
    expect((await dev.tape.status()).ready).toBe(true);
    await dev.tape.unload();
    const s = await dev.tape.status();
    expect(s).toMatchObject({ ready: false, notReady: { senseKey: 2, asc: 0x3a } });
    await dev.tape.load();
    expect(await dev.tape.status()).toMatchObject({ ready: true, position: { firstLocation: 0, bop: true } });
    await dev.close();
  });

  it('a read-only open reads and positions but never sends WRITE(6), WRITE FILEMARKS, ERASE, LOAD UNLOAD or MODE SELECT', async () => {
    const tape = new EmulatedTape();
    const rw = await openDevice(tape, { write: true });
    await rw.tape.write(bytes(128, 1));
    await rw.tape.writeFilemarks();
    await rw.close();
    const ro = await openDevice(tape.connect());
    tape.recorder.clear();
    await ro.tape.rewind();
    expect((await ro.tape.read(128)).data).toEqual(bytes(128, 1));
    expect((await ro.tape.space(-1)).residue).toBe(0);
    await ro.tape.locate(1);
    await ro.tape.readPosition();
    for (const attempt of [
      () => ro.tape.write(bytes(16, 0)),
      () => ro.tape.writeFilemarks(1),
      () => ro.tape.writeFilemarks(1, { sixteen: true }),
      () => ro.tape.erase({ long: true }),
      () => ro.tape.unload(),
      () => ro.tape.load(),
      () => ro.tape.setBlockLength(512),
    ]) {
      await expect(attempt()).rejects.toBeInstanceOf(PermissionError);
    }
    const sent = tape.recorder.commands();
    for (const name of [
      'WRITE(6)',
      'WRITE FILEMARKS(6)',
      'WRITE FILEMARKS(16)',
      'ERASE(6)',
      'LOAD UNLOAD',
      'MODE SELECT(6)',
    ]) {
      expect(sent).not.toContain(name);
    }
    // READ POSITION is named with its form, as the T10 tables qualify the 'any' entry.
    expect(sent).toEqual(
      expect.arrayContaining([
        'REWIND',
        'READ(6)',
        'SPACE(6)',
        'LOCATE(10)',
        'READ POSITION (SHORT FORM - BLOCK ID)',
      ]),
    );
    expect(tape.medium()).toHaveLength(2);
    await ro.close();
    await tape.close();
  });

  it('WRITE FILEMARKS(16) writes at the position READ POSITION reports', async () => {
    const { tape, dev } = await open();
    await dev.tape.write(bytes(8, 1));
    await dev.tape.writeFilemarks(2, { sixteen: true });
    expect(tape.medium().map((o) => o.kind)).toEqual(['block', 'filemark', 'filemark']);
    await dev.close();
  });

  it('on a device of another type, device.tape refuses before sending (1Bh would be START STOP UNIT)', async () => {
    const disk = new EmulatedDisk();
    // The emulated disk leaves peripheralType unset: present it as a known disk.
    const known = Object.assign(Object.create(disk) as EmulatedDisk, {
      capabilities: { ...disk.capabilities, peripheralType: 0 },
    });
    const dev = await openDevice(known, { write: true });
    disk.recorder.clear();
    const e = await dev.tape.unload().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect((e as InvalidArgumentError).reason).toBe('not-a-tape');
    await expect(dev.tape.space(1)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(disk.recorder.commands()).toEqual([]);
    await dev.close();
    await disk.close();
  });
});

describe('CheckConditionError on a tape', () => {
  it('names the stream bits and calls INFORMATION the residue', async () => {
    const tape = new EmulatedTape({ blockLength: 512, minBlockLength: 512 });
    const dev = await openDevice(tape, { write: true });
    await dev.tape.writeFilemarks();
    await dev.tape.rewind();
    // Raw execute: no tape contract, the CHECK CONDITION itself.
    const e = await dev
      .execute(Uint8Array.from([0x08, 0x01, 0, 0, 2, 0]), { transferLength: 1024 })
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CheckConditionError);
    const c = e as CheckConditionError;
    expect([c.filemark, c.eom, c.ili]).toEqual([true, false, false]);
    expect(c.message).toContain('[FILEMARK], residue 2');
    await dev.close();
  });
});

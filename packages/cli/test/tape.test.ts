import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatedTape } from '@scsikit/emulated-disk';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, cliJson } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'scsikit-cli-tape-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scsikit tape against the emulated tape drive', () => {
  it('write, weof, rewind, read back; a read at the filemark reports it; space and position', async () => {
    const tape = new EmulatedTape();
    const input = join(dir, 'rec.bin');
    const data = Uint8Array.from({ length: 700 }, (_, i) => i & 0xff);
    writeFileSync(input, data);
    expect(await cliJson('tape', ['x', 'write', '-i', input, '--write'], { transport: tape })).toMatchObject({
      action: 'write',
      bytes: 700,
      earlyWarning: false,
    });
    await cliJson('tape', ['x', 'weof', '2', '--write'], { transport: tape });
    expect(tape.medium().map((o) => o.kind)).toEqual(['block', 'filemark', 'filemark']);
    await cliJson('tape', ['x', 'rewind'], { transport: tape });
    const out = join(dir, 'out.bin');
    const read = await cli(['tape', 'x', 'read', '-l', '1024', '-o', out], { transport: tape });
    expect(read.code).toBe(0);
    expect(read.stdout).toContain('read 700 bytes (1 block)');
    expect(read.stdout).toContain('ILI; residue 324');
    expect(new Uint8Array(readFileSync(out))).toEqual(data);
    const fm = await cliJson('tape', ['x', 'read', '-l', '512'], { transport: tape });
    expect(fm).toMatchObject({ bytes: 0, blocks: 0, result: { filemark: true, residue: 512 } });
    expect(await cliJson('tape', ['x', 'position'], { transport: tape })).toMatchObject({
      position: { firstLocation: 2, bop: false },
    });
    expect(await cliJson('tape', ['x', 'space', '-1', '--filemarks'], { transport: tape })).toMatchObject({
      result: { filemark: false, residue: 0 },
    });
    const eod = await cliJson('tape', ['x', 'space', '5'], { transport: tape });
    expect(eod).toMatchObject({ result: { filemark: true, residue: 5 } });
    await cliJson('tape', ['x', 'locate', '0'], { transport: tape });
    const status = await cli(['tape', 'x', 'status'], { transport: tape });
    expect(status.stdout).toMatch(/Block position: +0/u);
    expect(status.stdout).toMatch(/Block length: +0 \(variable\)/u);
    expect(status.opened).toEqual([{ target: 'x', write: false }]);
  });

  it('write-class actions need --write (exit 1, nothing opened); reads run read-only', async () => {
    const tape = new EmulatedTape();
    for (const action of [['weof'], ['unload'], ['load'], ['erase'], ['setblk', '512']]) {
      const r = await cli(['tape', 'x', ...action], { transport: tape });
      expect(r.code, action.join(' ')).toBe(1);
      expect(r.stderr).toContain('--write');
      expect(r.opened).toEqual([]);
    }
    expect(tape.recorder.commands()).toEqual([]);
    const limits = await cliJson('tape', ['x', 'limits'], { transport: tape });
    expect(limits).toMatchObject({ limits: { minimumBlockLength: 1, maximumBlockLength: 0xffffff } });
  });

  it('setblk switches to fixed mode; densities, alert, compression, config; unload then status', async () => {
    const tape = new EmulatedTape({ tapeAlerts: [20] });
    expect(await cliJson('tape', ['x', 'setblk', '1024', '--write'], { transport: tape })).toMatchObject({
      mode: { blockLength: 1024, mode: 'fixed' },
    });
    const d = await cliJson('tape', ['x', 'densities'], { transport: tape });
    expect((d.densities as unknown[]).length).toBe(1);
    const alert = await cli(['tape', 'x', 'alert'], { transport: tape });
    expect(alert.stdout).toContain('[0x14] Cleaning required');
    expect((await cli(['tape', 'x', 'alert'], { transport: tape })).stdout).toContain('no flags set');
    expect(await cliJson('tape', ['x', 'compression'], { transport: tape })).toMatchObject({
      compression: { dcc: true },
    });
    expect(await cliJson('tape', ['x', 'config'], { transport: tape })).toMatchObject({
      config: { lois: true },
    });
    await cliJson('tape', ['x', 'unload', '--write'], { transport: tape });
    expect(await cliJson('tape', ['x', 'status'], { transport: tape })).toMatchObject({
      ready: false,
      notReady: { senseKey: 2, asc: 0x3a },
    });
    // A command the unloaded drive refuses: NOT READY, exit status of a CHECK CONDITION.
    const r = await cli(['tape', 'x', 'rewind'], { transport: tape });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('NOT READY');
  });

  it('locate and space need N', async () => {
    const r = await cli(['tape', 'x', 'locate'], { transport: new EmulatedTape() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('needs N');
  });
});

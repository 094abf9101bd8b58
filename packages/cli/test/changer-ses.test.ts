import { readFileSync } from 'node:fs';
import { EmulatedChanger, EmulatedEnclosure } from '@scsikit/emulated-disk';
import { describe, expect, it } from 'vitest';
import { cli, cliJson } from './helpers.js';

describe('scsikit changer', () => {
  it('status: mtx-style lines with element addresses, read-only', async () => {
    const changer = new EmulatedChanger({
      slots: 3,
      drives: 1,
      cartridges: ['ABC123', '', 'ABC125'],
      mailCartridges: ['MAIL01'],
    });
    const r = await cli(['changer', '/dev/sg3', 'status'], { transport: changer });
    expect(r.code).toBe(0);
    expect(r.opened).toEqual([{ target: '/dev/sg3', write: false }]);
    expect(r.stdout).toContain('  Storage Changer /dev/sg3:1 Drives, 4 Slots ( 1 Import/Export )');
    expect(r.stdout).toContain('Data Transfer Element 0:Empty  [0x100]');
    expect(r.stdout).toContain('      Storage Element 1:Full :VolumeTag=ABC123  [0x1000]');
    expect(r.stdout).toContain('      Storage Element 2:Empty  [0x1001]');
    expect(r.stdout).toContain('      Storage Element 4 IMPORT/EXPORT:Full :VolumeTag=MAIL01  [0x200]');
    // Slots in mtx's numbering order: the mail slot last, although its address is lower.
    expect(r.stdout.indexOf('Storage Element 3:')).toBeLessThan(
      r.stdout.indexOf('Storage Element 4 IMPORT/EXPORT'),
    );
    const doc = await cliJson('changer', ['x', 'status'], { transport: changer });
    expect(doc.action).toBe('status');
    expect((doc.elements as unknown[]).length).toBe(1 + 1 + 1 + 3);
  });

  it('move needs --write, then moves; status shows where the cartridge came from', async () => {
    const changer = new EmulatedChanger({ slots: 3, drives: 1, cartridges: ['ABC123'] });
    const refused = await cli(['changer', 'x', 'move', '0x1000', '0x100'], { transport: changer });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--write');
    expect(refused.opened).toEqual([]);
    const doc = await cliJson('changer', ['x', 'move', '0x1000', '0x100', '--write'], { transport: changer });
    expect(doc).toMatchObject({ action: 'move', source: 0x1000, destination: 0x100, done: true });
    const r = await cli(['changer', 'x', 'status'], { transport: changer });
    expect(r.stdout).toContain(
      'Data Transfer Element 0:Full (Storage Element 1 Loaded):VolumeTag = ABC123  [0x100]',
    );
  });

  it('a move the library refuses: the sense and a non-zero exit status', async () => {
    const changer = new EmulatedChanger({ slots: 3, drives: 1, cartridges: [] });
    const r = await cli(['changer', 'x', 'move', '0x1000', '0x100', '--write'], { transport: changer });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/source element empty/iu);
    const doc = await cliJson('changer', ['x', 'move', '0x1000', '0x100', '--write'], {
      transport: changer,
      code: r.code,
    });
    expect(doc).toMatchObject({ command: 'changer' });
  });

  it('inventory runs INITIALIZE ELEMENT STATUS behind --write; move without DST is a usage error', async () => {
    const changer = new EmulatedChanger();
    expect((await cli(['changer', 'x', 'inventory'], { transport: changer })).code).toBe(1);
    const r = await cli(['changer', 'x', 'inventory', '--write'], { transport: changer });
    expect(r.code).toBe(0);
    expect(changer.model.inventories).toBe(1);
    expect((await cli(['changer', 'x', 'move', '0x1000', '--write'], { transport: changer })).code).toBe(1);
  });
});

describe('scsikit ses', () => {
  it('default: the supported diagnostic pages', async () => {
    const r = await cli(['ses', 'x'], { transport: new EmulatedEnclosure() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Configuration (SES) [0x01]');
    expect(r.stdout).toContain('Additional Element Status (SES-2) [0x0a]');
    const doc = await cliJson('ses', ['x'], { transport: new EmulatedEnclosure() });
    expect(doc.pages).toEqual([0, 1, 2, 7, 10]);
  });

  it('--page 1, 2, 7, 0xa: sg_ses-style text and JSON', async () => {
    const enc = new EmulatedEnclosure({ slots: 2, vendor: 'ACME' });
    const c = await cli(['ses', 'x', '--page', '1'], { transport: enc });
    expect(c.stdout).toContain('enclosure vendor: ACME');
    expect(c.stdout).toContain('Element type: power supply, subenclosure id: 0');
    const s = await cli(['ses', 'x', '--page', '2'], { transport: enc });
    expect(s.stdout).toContain('Temperature=24 C');
    expect(s.stdout).toContain('Actual speed=5000 rpm');
    expect(s.stdout).toContain('Voltage: 12.10 volts');
    const doc = await cliJson('ses', ['x', '--page', '2'], { transport: enc });
    expect((doc.elements as Array<{ statusName: string }>).every((e) => e.statusName === 'OK')).toBe(true);
    expect((await cli(['ses', 'x', '--page', '7'], { transport: enc })).stdout).toContain(
      'Element 1 descriptor: Slot 01',
    );
    expect((await cli(['ses', 'x', '--page', '0xa'], { transport: enc })).stdout).toContain(
      'SAS address: 0x5000c5000a000001',
    );
    expect((await cli(['ses', 'x', '--page', '5'], { transport: enc })).code).toBe(1);
  });

  it('--join: each element with its name, [type index, index] and status', async () => {
    const enc = new EmulatedEnclosure({ slots: 2 });
    const r = await cli(['ses', 'x', '--join'], { transport: enc });
    expect(r.stdout).toContain('Slot 01 [0,1]  Element type: device slot');
    expect(r.stdout).toContain('PSU B [1,1]  Element type: power supply');
    const doc = await cliJson('ses', ['x', '--join'], { transport: enc });
    expect((doc.elements as Array<{ descriptor: string }>).map((e) => e.descriptor)).toContain('Exhaust');
  });

  it('--set ident --index N needs --write; then the slot shows Ident=1; --clear turns it off', async () => {
    const enc = new EmulatedEnclosure({ slots: 3 });
    const refused = await cli(['ses', 'x', '--set', 'ident', '--index', '2'], { transport: enc });
    expect(refused.code).toBe(1);
    expect(refused.opened).toEqual([]);
    const doc = await cliJson('ses', ['x', '--set', 'ident', '--index', '2', '--write'], { transport: enc });
    expect(doc.set).toEqual({ indicator: 'ident', index: 2, on: true });
    const joined = await cli(['ses', 'x', '--join'], { transport: enc });
    expect(joined.stdout).toMatch(/Slot 02 \[0,2\][^\n]*\n[^\n]*\n\s+Slot address=2, Ident=1/u);
    await cli(['ses', 'x', '--set', 'fault', '--index', '2', '--write'], { transport: enc });
    await cli(['ses', 'x', '--clear', 'ident', '--index', '2', '--write'], { transport: enc });
    const after = await cliJson('ses', ['x', '--join'], { transport: enc });
    const slot = (after.elements as Array<Record<string, unknown>>).find((e) => e.descriptor === 'Slot 02');
    expect(slot).toMatchObject({ ident: false, faultRequested: true });
    expect((await cli(['ses', 'x', '--set', 'ident', '--write'], { transport: enc })).code).toBe(1);
  });
});

/** The top-level properties the published JSON Schema declares for a success document. */
function declared(command: string): string[] {
  const file = new URL(`../schemas/${command}.schema.json`, import.meta.url);
  const schema = JSON.parse(readFileSync(file, 'utf8')) as {
    anyOf: Array<{ properties: Record<string, unknown> }>;
  };
  return Object.keys(schema.anyOf[0]?.properties ?? {});
}

describe('the published schemas declare every member the documents carry (additionalProperties: false)', () => {
  it('changer and ses, every mode', async () => {
    const changer = new EmulatedChanger();
    const enc = new EmulatedEnclosure({ slots: 2 });
    const docs: Array<[string, Record<string, unknown>]> = [
      ['changer', await cliJson('changer', ['x', 'status'], { transport: changer })],
      [
        'changer',
        await cliJson('changer', ['x', 'move', '0x1000', '0x100', '--write'], { transport: changer }),
      ],
      ['changer', await cliJson('changer', ['x', 'inventory', '--write'], { transport: changer })],
    ];
    for (const args of [[], ['--page', '1'], ['--page', '2'], ['--page', '7'], ['--page', '0xa'], ['--join']])
      docs.push(['ses', await cliJson('ses', ['x', ...args], { transport: enc })]);
    docs.push([
      'ses',
      await cliJson('ses', ['x', '--set', 'fault', '--index', '1', '--write'], { transport: enc }),
    ]);
    for (const [command, doc] of docs) {
      const undeclared = Object.keys(doc).filter((k) => !declared(command).includes(k));
      expect(undeclared, `${command} ${JSON.stringify(Object.keys(doc))}`).toEqual([]);
    }
  });
});

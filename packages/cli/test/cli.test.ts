import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPrRegister, buildPrReserve } from '@scsikit/cdb';
import { EmulatedDisk } from '@scsikit/emulated-disk';
import { afterAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { fakeSysfs } from '../../core/test/helpers.js';
import { toJsonSchema } from '../src/json.js';
import { buildProgram } from '../src/main.js';
import { COMMAND_SCHEMAS, commandDocumentSchema } from '../src/schemas.js';
import { cli, cliJson, longOpDisk } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'scsikit-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('identity commands against the emulated disk', () => {
  it('inquiry: sg_inq-style text and a T10-named JSON document', async () => {
    const disk = new EmulatedDisk({ vendor: 'ACME', product: 'ROADRUNNER', revision: '0042' });
    const r = await cli(['inquiry', '/dev/sg0'], { transport: disk });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('standard INQUIRY:');
    expect(r.stdout).toMatch(/PQual=0 {2}PDT=0 {2}RMB=0/u);
    expect(r.stdout).toMatch(/Vendor identification: +ACME/u);
    expect(r.stdout).toMatch(/Product revision level: +0042/u);
    expect(r.opened).toEqual([{ target: '/dev/sg0', write: false }]);
    const doc = await cliJson('inquiry', ['x'], { transport: disk });
    expect(doc).toMatchObject({
      peripheralDeviceType: 0,
      rmb: false,
      hisup: true,
      tpgs: 0,
      vendor: 'ACME',
      product: 'ROADRUNNER',
      revision: '0042',
      responseDataFormat: 2,
    });
  });

  it('inquiry --vpd sn and vpd --page: pages by number or sg_vpd abbreviation', async () => {
    const disk = new EmulatedDisk({ serial: 'SER-123' });
    const doc = await cliJson('inquiry', ['x', '--vpd', 'sn'], { transport: disk });
    expect(doc.vpd).toMatchObject({
      kind: 'unitSerialNumber',
      pageCode: 0x80,
      productSerialNumber: 'SER-123',
    });
    const bl = await cliJson('vpd', ['x', '--page', '0xb0'], { transport: disk });
    const [page] = bl.pages as Array<Record<string, unknown>>;
    expect(page).toMatchObject({ kind: 'blockLimits', pageCode: 0xb0, maximumTransferLength: 2048 });
    const text = await cli(['vpd', 'x', '--page', 'di'], { transport: disk });
    expect(text.stdout).toContain('Device Identification VPD page (0x83)');
    expect(text.stdout).toMatch(/naa\.6[0-9a-f]{31}/u);
  });

  it('vpd --page all decodes every page the device lists', async () => {
    const disk = new EmulatedDisk({ thinProvisioning: true });
    const doc = await cliJson('vpd', ['x', '--page', 'all'], { transport: disk });
    const pages = doc.pages as Array<{ pageCode: number; kind: string }>;
    expect(pages.map((p) => p.pageCode)).toEqual([0x00, 0x80, 0x83, 0x86, 0xb0, 0xb1, 0xb2]);
    expect(pages.every((p) => p.kind !== 'generic')).toBe(true);
    const lbp = pages.find((p) => p.pageCode === 0xb2) as unknown as Record<string, unknown>;
    expect(lbp).toMatchObject({ lbpu: true, lbpws: true });
  });

  it('vpd --page rejects a bad page with exit 1', async () => {
    const r = await cli(['vpd', 'x', '--page', 'nonsense']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--page');
  });

  it('readcap (10) and --long (16); 64-bit values are decimal strings', async () => {
    const disk = new EmulatedDisk({
      capacity: { blocks: 100_000 },
      blockLength: 4096,
      thinProvisioning: true,
    });
    const r = await cli(['readcap', 'x'], { transport: disk });
    expect(r.stdout).toContain('Last LBA=99999 (0x1869f), Number of logical blocks=100000');
    expect(r.stdout).toContain('Logical block length=4096 bytes');
    const d10 = await cliJson('readcap', ['x'], { transport: disk });
    expect(d10).toMatchObject({
      source: 10,
      lastLba: '99999',
      blockLength: 4096,
      capacityBytes: '409600000',
    });
    const d16 = await cliJson('readcap', ['x', '--long'], { transport: disk });
    expect(d16).toMatchObject({
      source: 16,
      returnedLogicalBlockAddress: '99999',
      logicalBlockLengthInBytes: 4096,
      protEn: false,
      lbpme: true,
      lbprz: true,
      numberOfLogicalBlocks: '100000',
    });
  });

  it('readcap switches to (16) past 2^32 blocks; 64-bit values stay decimal strings', async () => {
    const blocks = 2n ** 33n + 3n;
    const disk = new EmulatedDisk({ capacity: { blocks } });
    const doc = await cliJson('readcap', ['x'], { transport: disk });
    // (10) answers FFFFFFFFh, so (16) is used.
    expect(doc).toMatchObject({
      source: 16,
      lastLba: (blocks - 1n).toString(),
      numberOfLogicalBlocks: blocks.toString(),
    });
  });

  it('media-serial: sg_rmsn-style text and JSON; a disk without the command exits 9', async () => {
    const disk = new EmulatedDisk({ mediaSerialNumber: 'CART-0042' });
    const r = await cli(['media-serial', 'x'], { transport: disk });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Reported media serial number length = 12');
    expect(r.stdout).toContain('Media serial number: CART-0042');
    expect(r.opened).toEqual([{ target: 'x', write: false }]);
    expect(await cliJson('media-serial', ['x'], { transport: disk })).toMatchObject({
      mediaSerialNumberLength: 12,
      mediaSerialNumber: '434152542d30303432202020', // 'CART-0042' and 3 spaces to 12 bytes
      text: 'CART-0042',
    });
    const none = await cli(['media-serial', 'x'], { transport: new EmulatedDisk({ mediaSerialNumber: '' }) });
    expect(none.stdout).toContain('(the medium has no serial number)');
    expect((await cli(['media-serial', 'x'], { transport: new EmulatedDisk() })).code).toBe(9);
    // raw names it from the registry and, the entry being read-class, sends it without --write.
    const raw = await cliJson('raw', ['x', 'ab 01 00 00 00 00 00 00 01 00 00 00', '-r', '256'], {
      transport: disk,
    });
    expect(raw).toMatchObject({ name: 'READ MEDIA SERIAL NUMBER', status: 0, bytesIn: 16 });
  });

  it('luns, tur, opcodes', async () => {
    const disk = new EmulatedDisk();
    const luns = await cliJson('luns', ['x'], { transport: disk });
    expect(luns).toMatchObject({ lunListLength: 8, luns: [{ lun: '0', bytes: '0000000000000000' }] });
    expect((await cli(['luns', 'x'], { transport: disk })).stdout).toContain('    0000000000000000');
    expect(await cliJson('tur', ['x'], { transport: disk })).toMatchObject({ ready: true });
    const op = await cliJson('opcodes', ['x'], { transport: disk });
    const commands = op.commands as Array<{ operationCode: number; name: string; timeouts?: unknown }>;
    expect(commands.find((c) => c.operationCode === 0x28)).toMatchObject({ name: 'READ(10)' });
    expect(commands.every((c) => c.timeouts !== undefined)).toBe(true);
    const text = await cli(['opcodes', 'x'], { transport: disk });
    expect(text.stdout).toMatch(/^ {2}1d +6 +1 +120 +SEND DIAGNOSTIC$/mu);
  });

  it('modes and logs', async () => {
    const disk = new EmulatedDisk({ writeCache: false });
    const modes = await cliJson('modes', ['x', '--page', '8'], { transport: disk });
    const [caching] = modes.pages as Array<{ pageCode: number; fields: Record<string, unknown> }>;
    expect(caching).toMatchObject({ pageCode: 8, fields: { wce: false } });
    expect((await cli(['modes', 'x', '-p', '8'], { transport: disk })).stdout).toMatch(/WCE: +0/u);
    const changeable = await cliJson('modes', ['x', '--page', '8', '--control', 'changeable'], {
      transport: disk,
    });
    expect(changeable.pageControl).toBe('changeable');
    const all = await cliJson('modes', ['x'], { transport: disk });
    expect((all.pages as Array<{ pageCode: number }>).map((p) => p.pageCode)).toContain(0x0a);
    const logs = await cliJson('logs', ['x'], { transport: disk });
    expect(logs).toMatchObject({ pageCode: 0, fields: { page: 'supportedPages' } });
    const temp = await cliJson('logs', ['x', '--page', '0xd'], { transport: disk });
    expect(temp).toMatchObject({ pageCode: 0x0d, fields: { page: 'temperature' } });
    expect((await cli(['logs', 'x', '-p', '0x0d'], { transport: disk })).stdout).toContain(
      'Temperature  [0x0d]',
    );
    expect((await cli(['modes', 'x', '--page', '8,1,2'], { transport: disk })).code).toBe(1);
  });

  it('list reads sysfs like lsscsi -g', async () => {
    const fs = fakeSysfs([
      {
        hctl: '2:0:0:0',
        hostPath: 'pseudo_0/adapter0/host2',
        block: 'sda',
        sg: 'sg0',
        procName: 'scsi_debug',
      },
    ]);
    try {
      const r = await cli(['list', '--sysfs', fs.sys]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^\[2:0:0:0\] +disk +Linux +scsi_debug +0191 +\S*sda +\S*sg0$/mu);
      const doc = await cliJson('list', ['--sysfs', fs.sys]);
      expect(doc.devices).toMatchObject([{ hctl: '2:0:0:0', type: 0, vendor: 'Linux', model: 'scsi_debug' }]);
    } finally {
      rmSync(fs.root, { recursive: true, force: true });
    }
  });
});

describe('data commands', () => {
  it('write --write from a file, read back to a file and to stdout, verify against it', async () => {
    const disk = new EmulatedDisk();
    const input = join(dir, 'in.bin');
    const data = Uint8Array.from({ length: 1024 }, (_, i) => (i * 7) & 0xff);
    writeFileSync(input, data);
    const w = await cliJson('write', ['x', '--lba', '10', '--input', input, '--write'], { transport: disk });
    expect(w).toMatchObject({ lba: '10', blocks: 2, blockLength: 512, bytes: 1024 });
    const out = join(dir, 'out.bin');
    const rd = await cliJson('read', ['x', '--lba', '10', '--count', '2', '--output', out], {
      transport: disk,
    });
    expect(rd).toMatchObject({ output: out, bytes: 1024 });
    expect(new Uint8Array(readFileSync(out))).toEqual(data);
    const stdout = await cli(['read', 'x', '-l', '10', '-n', '2', '-o', '-'], { transport: disk });
    expect(new Uint8Array(stdout.bytes)).toEqual(data);
    const hex = await cliJson('read', ['x', '-l', '0xa', '-n', '1'], { transport: disk });
    expect(hex.data).toBe(Buffer.from(data.subarray(0, 512)).toString('hex'));
    expect((await cli(['read', 'x', '-l', '10', '-n', '1'], { transport: disk })).stdout).toMatch(
      /^ 0000 {5}00 07 0e 15/mu,
    );
    expect(
      await cliJson('verify', ['x', '--lba', '10', '--count', '2', '--input', input], { transport: disk }),
    ).toMatchObject({ ok: true });
    expect(await cliJson('verify', ['x', '--lba', '10', '--count', '2'], { transport: disk })).toMatchObject({
      ok: true,
    });
  });

  it('a miscompare exits 14; a missing file exits 15', async () => {
    const disk = new EmulatedDisk();
    const other = join(dir, 'ones.bin');
    writeFileSync(other, new Uint8Array(512).fill(1));
    const doc = await cliJson('verify', ['x', '--lba', '0', '--count', '1', '--input', other], {
      transport: disk,
      code: 14,
    });
    expect(doc.error).toMatchObject({ senseKey: 0x0e, senseKeyName: 'MISCOMPARE', exitStatus: 14 });
    const missing = await cli(['write', 'x', '--lba', '0', '--input', join(dir, 'nope.bin'), '--write'], {
      transport: disk,
    });
    expect(missing.code).toBe(15);
    expect(missing.stderr).toContain('cannot read');
  });

  it('unmap --write and lba-status show the deallocated range; sync', async () => {
    const disk = new EmulatedDisk({ thinProvisioning: true });
    writeFileSync(join(dir, 'blk.bin'), new Uint8Array(4096).fill(0xaa));
    await cliJson('write', ['x', '--lba', '0', '--input', join(dir, 'blk.bin'), '--write'], {
      transport: disk,
    });
    let st = await cliJson('lba-status', ['x'], { transport: disk });
    expect((st.descriptors as Array<Record<string, unknown>>)[0]).toMatchObject({
      lbaStatusLogicalBlockAddress: '0',
      numberOfLogicalBlocks: 8,
      provisioningStatus: 0,
    });
    const u = await cliJson('unmap', ['x', '--range', '0,8', '--range', '100,4', '--write'], {
      transport: disk,
    });
    expect(u).toMatchObject({
      ranges: [
        { lba: '0', blocks: 8 },
        { lba: '100', blocks: 4 },
      ],
      ok: true,
    });
    st = await cliJson('lba-status', ['x', '--lba', '0'], { transport: disk });
    expect((st.descriptors as Array<Record<string, unknown>>)[0]).toMatchObject({ provisioningStatus: 1 });
    expect(await cliJson('sync', ['x'], { transport: disk })).toMatchObject({ ok: true, immed: false });
    expect(await cliJson('sync', ['x', '-l', '5', '-n', '3', '--immed'], { transport: disk })).toMatchObject({
      lba: '5',
      blocks: 3,
      immed: true,
    });
    // SYNCHRONIZE CACHE is write-class: sync opens read-write, without --write (as sg_sync does).
    expect((await cli(['sync', 'x'], { transport: disk })).opened).toEqual([{ target: 'x', write: true }]);
  });

  it('zones on a host-managed disk', async () => {
    const disk = new EmulatedDisk({
      capacity: { blocks: 4096 },
      zoned: { zoneSize: 1024, conventionalZones: 1 },
    });
    const doc = await cliJson('zones', ['x'], { transport: disk });
    const zones = doc.zones as Array<Record<string, unknown>>;
    expect(zones).toHaveLength(4);
    expect(zones[0]).toMatchObject({
      zoneStartLba: '0',
      zoneLength: '1024',
      zoneTypeName: expect.stringMatching(/conventional/iu),
    });
    expect(zones[1]).toMatchObject({ zoneStartLba: '1024', writePointerLba: '1024' });
    const text = await cli(['zones', 'x', '--max', '2'], { transport: disk });
    expect(text.stdout).toContain('Report zones response:');
  });

  it('raw: data-in as a hex dump or a file, data-out from a file', async () => {
    const disk = new EmulatedDisk();
    const r = await cliJson('raw', ['x', '12', '00', '00', '00', '24', '00', '--request', '36'], {
      transport: disk,
    });
    expect(r).toMatchObject({ name: 'INQUIRY', status: 0, statusName: 'GOOD', direction: 'in', bytesIn: 36 });
    expect((r.dataIn as string).slice(16, 30)).toBe(Buffer.from('SCSIKIT').toString('hex'));
    const out = join(dir, 'rc.bin');
    await cliJson('raw', ['x', '25000000000000000000', '-r', '8', '-o', out], { transport: disk });
    expect(readFileSync(out)).toHaveLength(8);
    const blk = join(dir, 'raw-out.bin');
    writeFileSync(blk, new Uint8Array(512).fill(0x5a));
    const w = await cliJson('raw', ['x', '2a 00 00 00 00 07 00 00 01 00', '--infile', blk, '--write'], {
      transport: disk,
    });
    expect(w).toMatchObject({ name: 'WRITE(10)', direction: 'out', bytesOut: 512 });
    const back = await cliJson('read', ['x', '-l', '7', '-n', '1'], { transport: disk });
    expect(back.data).toBe('5a'.repeat(512));
    expect((await cli(['raw', 'x', 'zz'], { transport: disk })).code).toBe(1);
  });
});

describe('persistent reservations', () => {
  it('register, reserve, read keys/reservation/capabilities, release, clear', async () => {
    const disk = new EmulatedDisk();
    await cliJson('pr', ['x', 'register', '--sa-key', '0xabc', '--write'], { transport: disk });
    await cliJson('pr', ['x', 'reserve', '--key', '0xabc', '--type', 'writeExclusive', '--write'], {
      transport: disk,
    });
    const keys = await cliJson('pr', ['x', 'read-keys'], { transport: disk });
    expect(keys).toMatchObject({ keys: ['2748'], keysHex: ['0xabc'], prGeneration: 1 });
    const res = await cliJson('pr', ['x', 'read-reservation'], { transport: disk });
    expect(res).toMatchObject({ reservation: { reservationKey: '2748', type: 1 } });
    expect((await cli(['pr', 'x', 'read-reservation'], { transport: disk })).stdout).toContain('Key=0xabc');
    const caps = await cliJson('pr', ['x', 'report-capabilities'], { transport: disk });
    expect(caps.capabilities).toMatchObject({ tmv: expect.any(Boolean) });
    const full = await cliJson('pr', ['x', 'read-full-status'], { transport: disk });
    expect(full.descriptors).toMatchObject([{ reservationKey: '2748', rHolder: true }]);
    await cliJson('pr', ['x', 'release', '--key', '0xabc', '--type', '1', '--write'], { transport: disk });
    await cliJson('pr', ['x', 'clear', '--key', '0xabc', '--write'], { transport: disk });
    expect(await cliJson('pr', ['x', 'read-keys'], { transport: disk })).toMatchObject({ keys: [] });
  });

  it('preempt takes over another initiator’s reservation', async () => {
    const disk = new EmulatedDisk();
    const other = disk.connect();
    await other.execute({
      cdb: buildPrRegister({ newKey: 1n }).spec.cdb,
      direction: 'out',
      data: buildPrRegister({ newKey: 1n }).data,
    });
    const reserve = buildPrReserve({ key: 1n, type: 'exclusiveAccess' });
    await other.execute({ cdb: reserve.spec.cdb, direction: 'out', data: reserve.data });
    await cliJson('pr', ['x', 'register', '--sa-key', '2', '--write'], { transport: disk });
    await cliJson('pr', ['x', 'preempt', '--key', '2', '--sa-key', '1', '--type', '3', '--write'], {
      transport: disk,
    });
    expect(await cliJson('pr', ['x', 'read-reservation'], { transport: disk })).toMatchObject({
      reservation: { reservationKey: '2', type: 3 },
    });
  });

  it('missing OUT parameters are syntax errors', async () => {
    const r = await cli(['pr', 'x', 'reserve', '--key', '1', '--write']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('--type');
    expect((await cli(['pr', 'x', 'steal'])).code).toBe(1);
  });
});

describe('exit statuses for provoked conditions (sg3_utils convention)', () => {
  it('LBA out of range: 22, from the device (a raw READ(10) reaches it)', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 1000 } });
    const doc = await cliJson('raw', ['x', '28 00 00 00 03 e8 00 00 01 00', '-r', '512'], {
      transport: disk,
      code: 22,
    });
    expect(doc.error).toMatchObject({ senseKey: 5, asc: 0x21, ascq: 0, scsiCommand: 'READ(10)' });
  });

  it('LBA out of range: 22 too when the SDK refuses the range before sending it', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 1000 } });
    const doc = await cliJson('read', ['x', '--lba', '1000', '--count', '1'], { transport: disk, code: 22 });
    expect(doc.error).toMatchObject({ code: 'ERR_SCSIKIT_INVALID_ARGUMENT', scsiCommand: 'READ' });
    expect(String((doc.error as { message: string }).message)).toMatch(/LBA 1000 is past the end/u);
    expect(disk.recorder.commands()).not.toContain('READ(10)');
  });

  it('reservation conflict: 24, from a second initiator of one EmulatedDisk', async () => {
    const disk = new EmulatedDisk();
    const holder = disk.connect();
    const reg = buildPrRegister({ newKey: 7n });
    await holder.execute({ cdb: reg.spec.cdb, direction: 'out', data: reg.data });
    const reserve = buildPrReserve({ key: 7n, type: 'exclusiveAccess' });
    await holder.execute({ cdb: reserve.spec.cdb, direction: 'out', data: reserve.data });
    const doc = await cliJson('read', ['x', '--lba', '0', '--count', '1'], { transport: disk, code: 24 });
    expect(doc.error).toMatchObject({ status: 0x18, statusName: 'RESERVATION CONFLICT', exitStatus: 24 });
  });

  it('not ready: 2 (fault injection)', async () => {
    const disk = new EmulatedDisk();
    disk.faults.add({ opcode: 0x00, effect: { status: 2, sense: { key: 2, asc: 0x04, ascq: 0x02 } } });
    const r = await cli(['tur', 'x'], { transport: disk });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('NOT READY');
  });

  it('invalid operation code: 9 (raw, vendor opcode)', async () => {
    const r = await cli(['raw', 'x', 'c0', '00', '00', '00', '00', '00', '--write']);
    expect(r.code).toBe(9);
    expect(r.stderr).toContain('Invalid command operation code');
  });

  it('busy 26, task set full 27, medium error 3, unit attention 6, timeout 33, host error 35', async () => {
    const cases: Array<[Parameters<EmulatedDisk['faults']['add']>[0]['effect'], number]> = [
      ['busy', 26],
      ['task-set-full', 27],
      ['medium-error', 3],
      [{ status: 2, sense: { key: 7, asc: 0x27, ascq: 0 } }, 7],
      [{ status: 2, sense: { key: 0xb, asc: 0x47, ascq: 0 } }, 11],
      [{ status: 0, hostStatus: 0x01 }, 35],
    ];
    for (const [effect, code] of cases) {
      const disk = new EmulatedDisk();
      disk.faults.add({ opcode: 0x28, effect });
      const r = await cli(['read', 'x', '-l', '0', '-n', '1'], { transport: disk });
      expect(r.code, JSON.stringify(effect)).toBe(code);
    }
    const ua = new EmulatedDisk();
    ua.faults.add({ opcode: 0x00, effect: 'unit-attention', asc: 0x2a, ascq: 0x09 });
    expect((await cli(['tur', 'x'], { transport: ua })).code).toBe(6);
    const slow = new EmulatedDisk();
    slow.faults.add({ opcode: 0x00, effect: 'timeout' });
    expect((await cli(['tur', 'x', '--timeout', '50'], { transport: slow })).code).toBe(33);
  });

  it('syntax errors: 1, with an error document under --json', async () => {
    expect((await cli(['read', 'x', '--lba', 'twelve', '--count', '1'])).code).toBe(1);
    expect((await cli(['read', 'x', '--count', '1'])).code).toBe(1);
    expect((await cli(['frobnicate'])).code).toBe(1);
    expect((await cli([])).code).toBe(1);
    const r = await cli(['readcap', 'x', '--bogus', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      schemaVersion: 1,
      command: 'readcap',
      error: { exitStatus: 1 },
    });
  });
});

describe('the read-only guard', () => {
  it('write-class commands refuse without --write and open nothing', async () => {
    const input = join(dir, 'guard.bin');
    writeFileSync(input, new Uint8Array(512));
    for (const argv of [
      ['write', 'x', '--lba', '0', '--input', input],
      ['unmap', 'x', '--range', '0,1'],
      ['format', 'x', '--yes'],
      ['sanitize', 'x', '--action', 'block', '--yes'],
      ['pr', 'x', 'register', '--sa-key', '1'],
    ]) {
      const r = await cli(argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.stderr, argv.join(' ')).toContain('--write');
      expect(
        r.opened.filter((o) => o.write),
        argv.join(' '),
      ).toEqual([]);
    }
  });

  it('raw and bench open read-only unless --write: core refuses write-class CDBs', async () => {
    const disk = new EmulatedDisk();
    const r = await cli(['raw', 'x', '2a', '00', '00', '00', '00', '00', '00', '00', '01', '00'], {
      transport: disk,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('read-only');
    expect(r.opened).toEqual([{ target: 'x', write: false }]);
    const b = await cli(['bench', 'x', '--duration', '0.05'], { transport: disk });
    expect(b.opened).toEqual([{ target: 'x', write: false }]);
  });

  it('format and sanitize ask for confirmation unless --yes', async () => {
    const refused = await cli(['format', 'x', '--write'], {
      transport: longOpDisk([], 0x04),
      confirm: false,
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('not confirmed');
    expect(refused.opened).toEqual([]);
    const t = longOpDisk([], 0x04);
    const ok = await cli(['format', 'x', '--write'], { transport: t, confirm: true });
    expect(ok.code).toBe(0);
    expect(t.seen).toContain(0x04);
  });
});

describe('format and sanitize --wait follow the progress indication', () => {
  it('format --wait --yes: progress from REQUEST SENSE until NO SENSE', async () => {
    const t = longOpDisk([0.1, 0.5, 0.9], 0x04);
    const r = await cli(['format', 'x', '--write', '--yes', '--wait', '--poll', '1'], { transport: t });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Format: 10.00%');
    expect(r.stderr).toContain('Format: 50.00%');
    expect(r.stderr).toContain('Format: 100.00%');
    const doc = await cliJson('format', ['x', '--write', '--yes', '--wait', '--poll', '1'], {
      transport: longOpDisk([0.25, 0.75], 0x04),
    });
    expect(doc).toMatchObject({ started: true, completed: true, progress: [25, 75, 100] });
  });

  it('sanitize --action block --wait', async () => {
    const t = longOpDisk([0.5], 0x1b);
    const doc = await cliJson(
      'sanitize',
      ['x', '--action', 'block', '--write', '--yes', '--wait', '--poll', '1'],
      {
        transport: t,
      },
    );
    expect(doc).toMatchObject({ serviceAction: 'blockErase', completed: true, progress: [50, 100] });
    expect(t.seen).toContain(0x48);
    const started = await cliJson('sanitize', ['x', '-a', 'crypto', '-w', '-y'], {
      transport: longOpDisk([], 0x1b),
    });
    expect(started).toMatchObject({ started: true, completed: false });
    expect(
      (await cli(['sanitize', 'x', '-a', 'overwrite', '-w', '-y'], { transport: longOpDisk([], 0x1b) })).code,
    ).toBe(1);
  });
});

describe('bench', () => {
  it('random reads at qd 4: IOPS, latency percentiles and a histogram', async () => {
    const disk = new EmulatedDisk({ latency: { fixedMs: 1 } });
    const doc = await cliJson('bench', ['x', '--duration', '0.3', '--qd', '4', '--bs', '4096'], {
      transport: disk,
    });
    expect(doc).toMatchObject({
      pattern: 'random',
      operation: 'read',
      blockSize: 4096,
      queueDepth: 4,
      errors: 0,
    });
    const ios = doc.ios as number;
    expect(ios).toBeGreaterThan(10);
    const hist = doc.histogram as Array<{ count: number; fromUs: number }>;
    expect(hist.reduce((a, b) => a + b.count, 0)).toBe(ios);
    const lat = doc.latencyUs as Record<string, number>;
    expect(lat.p50).toBeGreaterThanOrEqual(900);
    expect(lat.max).toBeGreaterThanOrEqual(lat.p99 ?? Number.POSITIVE_INFINITY);
    const text = await cli(['bench', 'x', '-d', '0.1', '--pattern', 'sequential'], { transport: disk });
    expect(text.stdout).toContain('latency histogram:');
    expect(text.stderr).toMatch(/bench sequential read: \d+\.\d\d%/u);
  });

  it('sequential writes need --write and land on the device', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 64 } });
    const doc = await cliJson(
      'bench',
      ['x', '-d', '0.05', '--pattern', 'sequential', '--bs', '512', '--write'],
      {
        transport: disk,
      },
    );
    expect(doc).toMatchObject({ operation: 'write', errors: 0 });
    expect((await cli(['bench', 'x', '--bs', '1000'], { transport: disk })).code).toBe(1);
  });
});

describe('--verbose traces each CDB and the status/sense (core diagnostics channels)', () => {
  it('prints CDBs in hex, GOOD, and the decoded sense of a failure', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 100 } });
    const ok = await cli(['tur', 'x', '-v'], { transport: disk });
    expect(ok.stderr).toContain('TEST UNIT READY cdb: [00 00 00 00 00 00]');
    expect(ok.stderr).toContain('status: GOOD');
    const bad = await cli(['raw', 'x', '28 00 00 00 00 c8 00 00 01 00', '-r', '512', '-vv'], {
      transport: disk,
    });
    expect(bad.stderr).toContain('READ(10) cdb: [28 00 00 00 00 c8 00 00 01 00]');
    expect(bad.stderr).toContain('status: CHECK CONDITION');
    expect(bad.stderr).toContain('Additional sense: Logical block address out of range');
    expect(bad.stderr).toMatch(/sense: f0 00 05 00 00 00 c8/u);
    const quiet = await cli(['tur', 'x'], { transport: disk });
    expect(quiet.stderr).toBe('');
  });
});

describe('help, schemas, completion', () => {
  const { program } = buildProgram({
    io: { out: () => {}, outBytes: () => {}, err: () => {}, confirm: async () => false },
  });
  const names = program.commands.map((c) => c.name());

  it('scsikit --help lists every command, DEVICE forms and the exit statuses', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const n of names) expect(r.stdout).toContain(n);
    expect(r.stdout).toContain('/dev/bsg/H:C:T:L');
    expect(r.stdout).toMatch(/ 22 {2}LBA out of range/u);
    expect(r.stdout).toMatch(/ 24 {2}reservation conflict/u);
    expect((await cli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/u);
  });

  it.each(names)('scsikit %s --help describes the command and its options', async (name) => {
    const r = await cli([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: scsikit ${name}`);
    const cmd = program.commands.find((c) => c.name() === name);
    expect(cmd?.description().length).toBeGreaterThan(10);
    for (const o of cmd?.options ?? []) {
      expect(r.stdout, o.flags).toContain(o.long ?? o.flags);
      expect(o.description.length, `${name} ${o.flags}`).toBeGreaterThan(3);
    }
  });

  it('every command that prints JSON has a schema; scsikit schema prints valid JSON Schema', async () => {
    for (const n of names.filter((x) => !['schema', 'completion'].includes(x))) {
      expect(COMMAND_SCHEMAS[n], n).toBeDefined();
    }
    const r = await cli(['schema', 'readcap']);
    const schema = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(schema.$schema).toContain('json-schema.org');
    expect(JSON.stringify(schema)).toContain('decimal string');
    const all = JSON.parse((await cli(['schema'])).stdout) as Record<string, unknown>;
    expect(Object.keys(all).sort()).toEqual(Object.keys(COMMAND_SCHEMAS).sort());
    expect((await cli(['schema', 'nope'])).code).toBe(1);
  });

  it('the published schemas/ files are current', () => {
    for (const n of Object.keys(COMMAND_SCHEMAS)) {
      const file = new URL(`../schemas/${n}.schema.json`, import.meta.url);
      const published = JSON.parse(readFileSync(file, 'utf8')) as unknown;
      const current = JSON.parse(JSON.stringify(toJsonSchema(n, COMMAND_SCHEMAS[n] as z.ZodType))) as unknown;
      expect(published, `${n}: run pnpm --filter @scsikit/cli schemas`).toEqual(current);
    }
  });

  it('an error document validates against the command schema', () => {
    const doc = { schemaVersion: 1, command: 'tur', error: { name: 'X', message: 'm', exitStatus: 2 } };
    expect(commandDocumentSchema('tur').safeParse(doc).success).toBe(true);
    expect(commandDocumentSchema('tur').safeParse({ ...doc, schemaVersion: 2 }).success).toBe(false);
  });

  it('completion scripts name the commands and their options', async () => {
    const bash = await cli(['completion', 'bash']);
    expect(bash.stdout).toContain('complete -F _scsikit scsikit');
    expect(bash.stdout).toContain('--vpd');
    expect((await cli(['completion', 'zsh'])).stdout).toContain('bashcompinit');
  });
});

import diagnosticsChannel from 'node:diagnostics_channel';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EmulatedDisk } from '@scsikit/emulated-disk';
import { SyscallError, type Transport } from '@scsikit/transport';
import { afterAll, describe, expect, it } from 'vitest';
import { CHANNELS, InvalidArgumentError, listDevices, resolveTarget } from '../src/index.js';
import { openDeviceWith, type TransportOpeners } from '../src/open.js';
import { fakeSysfs } from './helpers.js';

/** VPD 83h with one NAA-6 LU designator. */
function vpd83(naaHex: string): Uint8Array {
  const id = Buffer.from(naaHex, 'hex');
  const b = new Uint8Array(4 + 4 + id.length);
  b[1] = 0x83;
  b[3] = 4 + id.length;
  b[4] = 0x01; // binary
  b[5] = 0x03; // association LU, type NAA
  b[7] = id.length;
  b.set(id, 8);
  return b;
}

function vpd80(serial: string): Uint8Array {
  const b = new Uint8Array(4 + serial.length);
  b[1] = 0x80;
  b[3] = serial.length;
  b.set(Buffer.from(serial, 'latin1'), 4);
  return b;
}

const tree = fakeSysfs(
  [
    {
      hctl: '0:0:0:0',
      hostPath: 'pseudo_0/adapter0/host0',
      procName: 'scsi_debug',
      block: 'sda',
      sg: 'sg0',
      sectors: 524288,
      wwid: 'naa.5333333000000000',
    },
    {
      hctl: '2:0:0:1',
      hostPath: 'platform/host2/session1',
      procName: 'iscsi_tcp',
      vendor: 'LIO-ORG',
      model: 'disk1',
      rev: '4.0',
      block: 'sdb',
      sg: 'sg1',
      vpd83: vpd83('6001405aabbccdd0011223344556677'.padEnd(32, '0')),
      vpd80: vpd80('SERIAL-B'),
    },
    {
      hctl: '1:0:0:0',
      hostPath: 'pci0000:00/0000:00:04.0/virtio1/host1',
      procName: 'virtio_scsi',
      vendor: 'QEMU',
      model: 'QEMU HARDDISK',
      rev: '2.5+',
      block: 'sdc',
      sg: 'sg2',
    },
    { hctl: '3:0:1:0', hostPath: 'tcm_loop_0/tcm_loop_adapter_0/host3', type: 0x14, sg: 'sg3' },
  ],
  (sys) => {
    const session = join(sys, 'class', 'iscsi_session', 'session1');
    const conn = join(sys, 'class', 'iscsi_connection', 'connection1:0');
    for (const [dir, name, text] of [
      [session, 'targetname', 'iqn.2003-01.org.linux-iscsi.lab:disk1'],
      [conn, 'persistent_address', '127.0.0.1'],
      [conn, 'persistent_port', '3260'],
    ] as const) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, name), `${text}\n`);
    }
  },
);
const roots = { sysRoot: tree.sys, devRoot: tree.dev };
const touch = (name: string) => {
  writeFileSync(join(tree.dev, name), '');
  return join(tree.dev, name);
};
afterAll(() => rmSync(tree.root, { recursive: true, force: true }));

describe('listDevices (fake sysfs)', () => {
  it('lists every device in H:C:T:L order with its nodes, identity and transport', () => {
    const devices = listDevices(roots);
    expect(devices.map((d) => d.hctl)).toEqual(['0:0:0:0', '1:0:0:0', '2:0:0:1', '3:0:1:0']);
    const [sd, qemu, iscsi, zbc] = devices;
    expect(sd).toMatchObject({
      host: 0,
      lun: 0,
      type: 0,
      typeName: 'disk',
      vendor: 'Linux',
      model: 'scsi_debug',
      revision: '0191',
      block: join(tree.dev, 'sda'),
      sg: join(tree.dev, 'sg0'),
      bsg: join(tree.dev, 'bsg', '0:0:0:0'),
      queueDepth: 64,
      capacityBytes: 268435456n,
      logicalBlockSize: 512,
      wwn: 'naa.5333333000000000',
      state: 'running',
      transport: { kind: 'scsi_debug' },
    });
    expect(qemu?.transport).toEqual({ kind: 'virtio' });
    expect(iscsi).toMatchObject({
      vendor: 'LIO-ORG',
      lun: 1,
      serial: 'SERIAL-B',
      transport: {
        kind: 'iscsi',
        session: 1,
        targetName: 'iqn.2003-01.org.linux-iscsi.lab:disk1',
        portal: { address: '127.0.0.1', port: 3260 },
      },
    });
    expect(iscsi?.wwn).toMatch(/^naa\.6001405aabbccdd/);
    expect(zbc).toMatchObject({ type: 0x14, transport: { kind: 'tcm_loop' } });
    expect(zbc?.block).toBeUndefined();
  });

  it('is empty without sysfs', () => {
    expect(listDevices({ sysRoot: join(tree.root, 'nowhere') })).toEqual([]);
  });
});

describe('resolveTarget (fake sysfs)', () => {
  it.each([
    ['sd node', () => join(tree.dev, 'sdb'), '2:0:0:1'],
    ['sg node', () => join(tree.dev, 'sg2'), '1:0:0:0'],
    ['bsg node', () => join(tree.dev, 'bsg', '3:0:1:0'), '3:0:1:0'],
    ['H:C:T:L', () => '0:0:0:0', '0:0:0:0'],
  ])('%s', (_n, target, hctl) => {
    expect(resolveTarget(target(), roots).hctl).toBe(hctl);
  });

  it('wwn and serial', () => {
    expect(resolveTarget({ wwn: '0x5333333000000000' }, roots).hctl).toBe('0:0:0:0');
    expect(resolveTarget({ wwn: 'NAA.5333333000000000' }, roots).hctl).toBe('0:0:0:0');
    expect(resolveTarget({ serial: 'SERIAL-B' }, roots).hctl).toBe('2:0:0:1');
  });

  it('follows symlinks, but only to nodes under the device root', () => {
    const byId = join(tree.dev, 'disk-by-id-lio');
    symlinkSync(join(tree.dev, 'sdb'), byId);
    expect(resolveTarget(byId, roots).hctl).toBe('2:0:0:1');
    const outside = join(tree.root, 'outside');
    writeFileSync(outside, '');
    const sneaky = join(tree.dev, 'sdz');
    symlinkSync(outside, sneaky);
    expect(() => resolveTarget(sneaky, roots)).toThrow(/resolves to ".*outside", a regular file not under /);
  });

  it.each([
    ['a missing node', () => join(tree.dev, 'sdq'), /no such file or device node/],
    ['a partition', () => touch('sda1'), /is a partition/],
    ['an unknown H:C:T:L', () => '9:9:9:9', /No SCSI device matches 9:9:9:9 \(devices: 0:0:0:0/],
    ['a relative name', () => 'sda', /Expected a device as/],
    ['a non-SCSI node', () => touch('nvme0n1'), /is a regular file, not a SCSI device node/],
    ['an unknown wwn', () => ({ wwn: 'naa.1' }), /No SCSI device matches wwn/],
  ])('rejects %s', (_n, target, message) => {
    expect(() => resolveTarget(target() as never, roots)).toThrow(InvalidArgumentError);
    expect(() => resolveTarget(target() as never, roots)).toThrow(message);
  });
});

describe('openDevice: transport choice (fake openers)', () => {
  function openers(uringFails?: unknown) {
    const calls: string[] = [];
    const o: TransportOpeners = {
      uring: (path) => {
        calls.push(`uring ${path}`);
        const disk = new EmulatedDisk({ capacity: { blocks: 64 } });
        if (uringFails === undefined) return disk;
        const failing: Transport = {
          kind: 'uring',
          capabilities: disk.capabilities,
          closed: false,
          close: () => disk.close(),
          execute: () => Promise.reject(uringFails),
        };
        return failing;
      },
      sgio: async (path) => {
        calls.push(`sgio ${path}`);
        return new EmulatedDisk({ capacity: { blocks: 64 } });
      },
    };
    return { o, calls };
  }

  it('auto: io_uring on the bsg node when the probe works', async () => {
    const { o, calls } = openers();
    const dev = await openDeviceWith(o, join(tree.dev, 'sda'), roots);
    expect(calls).toEqual([`uring ${join(tree.dev, 'bsg', '0:0:0:0')}`]);
    expect(dev.path).toBe(join(tree.dev, 'bsg', '0:0:0:0'));
    expect(dev.info?.hctl).toBe('0:0:0:0');
    await dev.close();
  });

  it('auto: falls back to SG_IO on /dev/sgN when the probe answers -EOPNOTSUPP, and says so', async () => {
    const { o, calls } = openers(new SyscallError(-95, 'io_uring_cmd'));
    const events: unknown[] = [];
    const fn = (m: unknown) => events.push(m);
    diagnosticsChannel.subscribe(CHANNELS.transportFallback, fn);
    try {
      const dev = await openDeviceWith(o, '1:0:0:0', roots);
      expect(dev.path).toBe(join(tree.dev, 'sg2'));
    } finally {
      diagnosticsChannel.unsubscribe(CHANNELS.transportFallback, fn);
    }
    expect(calls).toEqual([`uring ${join(tree.dev, 'bsg', '1:0:0:0')}`, `sgio ${join(tree.dev, 'sg2')}`]);
    expect(events).toEqual([
      expect.objectContaining({
        from: 'uring',
        to: 'sgio',
        reason: 'io_uring passthrough answered -EOPNOTSUPP',
      }),
    ]);
  });

  it("'uring' does not fall back; other probe failures are not fallbacks either", async () => {
    const { o } = openers(new SyscallError(-95, 'io_uring_cmd'));
    await expect(openDeviceWith(o, '1:0:0:0', { ...roots, transport: 'uring' })).rejects.toMatchObject({
      code: 'ERR_SCSIKIT_TRANSPORT',
      errnoCode: 'EOPNOTSUPP',
    });
    const eperm = openers(new SyscallError(-1, 'io_uring_cmd'));
    await expect(openDeviceWith(eperm.o, '1:0:0:0', roots)).rejects.toMatchObject({
      code: 'ERR_SCSIKIT_PERMISSION',
      reason: 'kernel',
    });
  });

  it("'sgio' opens the sg node directly", async () => {
    const { o, calls } = openers();
    await openDeviceWith(o, { serial: 'SERIAL-B' }, { ...roots, transport: 'sgio', write: true });
    expect(calls).toEqual([`sgio ${join(tree.dev, 'sg1')}`]);
  });
});

/**
 * Paths that are not SCSI devices: each is refused with a typed error whose message says what the
 * path is, both by `openDevice` and by the transports' own `open`. Nothing here needs a device.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errnoError, TransportError } from '@scsikit/transport';
import { SgioTransport, UringTransport } from '@scsikit/transport-uring';
import { afterAll, describe, expect, it } from 'vitest';
import { DeviceGoneError, InvalidArgumentError, openDevice } from '../src/index.js';
import { openDeviceWith, type TransportOpeners } from '../src/open.js';
import { fakeSysfs } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'scsikit-not-a-device-'));
const file = join(dir, 'file.img');
writeFileSync(file, new Uint8Array(4096));
const removed = join(dir, 'removed');
writeFileSync(removed, '');
rmSync(removed);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each path, and what the message must say about it. */
const PATHS: ReadonlyArray<readonly [string, string, RegExp]> = [
  ['a regular file', file, /"\/.*file\.img", a regular file not under \/dev/u],
  [
    '/dev/null',
    '/dev/null',
    /"\/dev\/null" \(\/dev\/null\) is a character device \(1:3\), not a SCSI device node/u,
  ],
  ['a directory', dir, /a directory not under \/dev/u],
  ['/dev itself', '/dev', /"\/dev", a directory not under \/dev/u],
  ['a nonexistent path', '/dev/sg4242', /Cannot open "\/dev\/sg4242": no such file or device node/u],
  [
    'a removed node',
    removed,
    /Cannot open ".*removed": no such file or device node \(never there, or removed\)/u,
  ],
  ['.. out of /dev', '/dev/../etc/passwd', /resolves to "\/etc\/passwd", a regular file not under \/dev/u],
  ['.. inside /dev', '/dev/bsg/../null', /\(\/dev\/null\) is a character device/u],
  ['a NUL byte', '/dev/sg0\0/../null', /Expected a device as .*got "\/dev\/sg0\\u0000/u],
  ['an empty string', '', /Expected a device as .*got ""/u],
];

describe('openDevice on paths that are not SCSI devices', () => {
  it.each(PATHS)('%s: InvalidArgumentError naming the path and what it is', async (_what, path, message) => {
    const e = await openDevice(path).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e).toMatchObject({ code: 'ERR_SCSIKIT_INVALID_ARGUMENT', field: 'target' });
    expect((e as Error).message).toMatch(message);
  });

  it('a device directory of the fake tree (not a node) is named as a directory', async () => {
    const tree = fakeSysfs([]);
    mkdirSync(join(tree.dev, 'sgdir'));
    const e = await openDevice(join(tree.dev, 'sgdir'), { sysRoot: tree.sys, devRoot: tree.dev }).catch(
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect((e as Error).message).toMatch(/is a directory, not a SCSI device node/u);
    rmSync(tree.root, { recursive: true, force: true });
  });
});

describe('openDevice when the node changes between sysfs and open(2)', () => {
  const tree = fakeSysfs([{ hctl: '3:0:0:0', hostPath: 'pseudo_0/adapter0/host3', sg: 'sg3' }]);
  const roots = { sysRoot: tree.sys, devRoot: tree.dev };
  afterAll(() => rmSync(tree.root, { recursive: true, force: true }));

  function failing(error: () => unknown): TransportOpeners {
    return {
      uring: () => {
        throw error();
      },
      sgio: async () => {
        throw error();
      },
    };
  }

  it('removed after sysfs listed it (the real open(2) ENOENT): DeviceGoneError naming the nodes', async () => {
    // What UringTransport.open really throws for a node that is not there.
    const real = () => UringTransport.open('/dev/bsg/250:0:0:0');
    expect(real).toThrow(expect.objectContaining({ errnoCode: 'ENOENT' }));
    const e = await openDeviceWith(
      failing(() => {
        try {
          real();
        } catch (x) {
          return x;
        }
      }),
      join(tree.dev, 'sg3'),
      roots,
    ).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DeviceGoneError);
    expect((e as Error).message).toMatch(/^3:0:0:0: .*sg3 vanished while opening it \(ENOENT\)/u);
    expect((e as Error).cause).toBeInstanceOf(TransportError);
  });

  it('ENXIO and ENODEV at open are the device going away too', async () => {
    for (const errno of [-6, -19]) {
      const e = await openDeviceWith(
        failing(() => errnoError(errno, 'open')),
        join(tree.dev, 'sg3'),
        { ...roots, transport: 'sgio' },
      ).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DeviceGoneError);
    }
  });

  it('a node that is no SCSI device (ENOTTY from the transport): InvalidArgumentError with the reason', async () => {
    const e = await openDeviceWith(
      failing(() => errnoError(-25, 'open', new Error(`${tree.dev}/sg3: not a character device`))),
      join(tree.dev, 'sg3'),
      { ...roots, transport: 'sgio' },
    ).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect((e as Error).message).toMatch(
      /^3:0:0:0: .*sg3 is not a SCSI device node \(.*not a character device\)/u,
    );
  });
});

describe('the transports refuse the same paths with typed errors', () => {
  const paths = [file, '/dev/null', dir, removed, '/dev/bsg/../null', '/dev/bsg/0:0:0:0\0', '/dev/sda'];

  it.each(paths)('UringTransport.open(%j): InvalidCommandError before any open(2)', (path) => {
    expect(() => UringTransport.open(path)).toThrow(
      expect.objectContaining({ name: 'InvalidCommandError', field: 'path' }),
    );
    expect(() => UringTransport.open(path)).toThrow(TransportError);
  });

  it.each(paths)('SgioTransport.open(%j): InvalidCommandError before any open(2)', async (path) => {
    const e = await SgioTransport.open(path).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TransportError);
    expect(e).toMatchObject({ name: 'InvalidCommandError', field: 'path' });
    expect((e as Error).message).toContain(JSON.stringify(path));
  });

  it('a well-formed node that does not exist: SyscallError ENOENT from both', async () => {
    expect(() => UringTransport.open('/dev/bsg/250:0:0:0')).toThrow(
      expect.objectContaining({ name: 'SyscallError', errnoCode: 'ENOENT' }),
    );
    await expect(SgioTransport.open('/dev/sg4242')).rejects.toMatchObject({
      name: 'SyscallError',
      errnoCode: 'ENOENT',
      syscall: 'realpath',
    });
  });
});

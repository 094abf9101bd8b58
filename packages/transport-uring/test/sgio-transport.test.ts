import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  DeviceGoneError,
  InvalidCommandError,
  OutcomeUnknownError,
  type ScsiCommand,
  SyscallError,
  type Transport,
  TransportAbortedError,
  TransportClosedError,
  TransportError,
  TransportTimeoutError,
} from '@scsikit/transport';
import { assertResultInvariants, describeTransportConformance } from '@scsikit/transport/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadSgioBinding,
  type SgioBinding,
  type SgioCallback,
  type SgioNativeError,
  type SgioNativeResult,
} from '../src/native.js';
import {
  openSgioTransport,
  parseSgioPath,
  readSysfsLimits,
  SgioTransport,
  type SgioTransportInit,
  threadpoolSize,
} from '../src/sgio-transport.js';

const inquiry = (n = 36): ScsiCommand => ({
  cdb: new Uint8Array([0x12, 0, 0, 0, n, 0]),
  direction: 'in',
  transferLength: n,
});
const tur = (): ScsiCommand => ({ cdb: new Uint8Array(6), direction: 'none' });

// ---------------------------------------------------------------------------------------------
// A scriptable stand-in for the addon's sgioExecute: no device, no kernel.

interface Call {
  readonly fd: number;
  readonly version: 3 | 4;
  readonly cdb: Uint8Array;
  readonly direction: 0 | 1 | 2;
  readonly data: Uint8Array | null;
  readonly sense: Uint8Array;
  readonly timeoutMs: number;
  readonly callback: SgioCallback;
}

const ok = (r: Partial<SgioNativeResult> = {}): SgioNativeResult => ({
  status: 0,
  hostStatus: 0,
  driverStatus: 0,
  senseLength: 0,
  residual: 0,
  durationMs: 0,
  nsec: 1000,
  ...r,
});

function nativeError(errno: number, code: string): SgioNativeError {
  return Object.assign(new Error(`ioctl(SG_IO): ${code}`), { errno, code, syscall: 'ioctl(SG_IO)' as const });
}

/** Holds every call until the test completes it. */
class HeldBinding implements SgioBinding {
  readonly calls: Call[] = [];
  sgioExecute(...args: Parameters<SgioBinding['sgioExecute']>): void {
    const [fd, version, cdb, direction, data, sense, timeoutMs, callback] = args;
    this.calls.push({ fd, version, cdb, direction, data, sense, timeoutMs, callback });
  }
}

function transport(binding: SgioBinding, init: Partial<SgioTransportInit> = {}) {
  const closed: number[] = [];
  const t = new SgioTransport({
    fd: 42,
    version: 3,
    queueDepth: 2,
    maxTransferBytes: 65536,
    binding,
    closeFd: (fd) => closed.push(fd),
    closeWaitMs: 200,
    ...init,
  });
  return { t, closed };
}

const tick = () => new Promise((r) => setImmediate(r));

// ---------------------------------------------------------------------------------------------
// A fake SG_IO disk, so the whole conformance suite runs through SgioTransport on any host.

const STUCK = 0xc0;
const SLOW = 0xc1;
const BLOCKS = 1024;
const BLOCK = 512;

function fixedSense(key: number, asc: number, ascq = 0): Uint8Array {
  const s = new Uint8Array(18);
  s[0] = 0x70;
  s[2] = key;
  s[7] = 10;
  s[12] = asc;
  s[13] = ascq;
  return s;
}

interface FakeAnswer {
  readonly moved: number;
  readonly check?: Uint8Array;
  readonly delayMs?: number;
}

/** What the fake disk answers, or undefined for a command it never completes (a dropped command). */
function fakeDisk(cdb: Uint8Array, data: Uint8Array | null): FakeAnswer | undefined {
  const view = new DataView(cdb.buffer, cdb.byteOffset, cdb.length);
  const length = data?.length ?? 0;
  switch (cdb[0]) {
    case 0x00:
      return { moved: 0 };
    case 0x12: {
      const std = new Uint8Array(36);
      std.set([0, 0, 5, 2, 31]);
      std.set(new TextEncoder().encode('FAKE    SGIO DISK       0001'), 8);
      const n = Math.min(length, std.length, view.getUint16(3));
      data?.set(std.subarray(0, n));
      return { moved: n };
    }
    case 0x25: {
      const cap = new Uint8Array(8);
      new DataView(cap.buffer).setUint32(0, BLOCKS - 1);
      new DataView(cap.buffer).setUint32(4, BLOCK);
      const n = Math.min(length, 8);
      data?.set(cap.subarray(0, n));
      return { moved: n };
    }
    case 0x28:
    case 0x88: {
      const lba = cdb[0] === 0x28 ? BigInt(view.getUint32(2)) : view.getBigUint64(2);
      const blocks = cdb[0] === 0x28 ? view.getUint16(7) : view.getUint32(10);
      if (lba + BigInt(blocks) > BigInt(BLOCKS)) return { moved: 0, check: fixedSense(0x05, 0x21) };
      const n = Math.min(length, blocks * BLOCK);
      for (let i = 0; i < n; i++) data![i] = (Number(lba) * 7 + i * 13 + 1) & 0xff;
      return { moved: n };
    }
    case STUCK:
      return undefined;
    case SLOW:
      return { moved: 0, delayMs: view.getUint32(2) };
    default:
      return { moved: 0, check: fixedSense(0x05, 0x20) };
  }
}

/** The fake disk behind the binding interface, completing asynchronously like the threadpool. */
class FakeDiskBinding implements SgioBinding {
  sgioExecute(...args: Parameters<SgioBinding['sgioExecute']>): void {
    const [, , cdb, , data, sense, , callback] = args;
    const a = fakeDisk(cdb, data);
    if (a === undefined) return;
    const finish = () => {
      const senseLength = a.check === undefined ? 0 : Math.min(a.check.length, sense.length);
      if (a.check !== undefined) sense.set(a.check.subarray(0, senseLength));
      const failed = a.check !== undefined;
      callback(
        null,
        ok({
          status: failed ? 2 : 0,
          driverStatus: failed ? 8 : 0,
          senseLength,
          residual: (data?.length ?? 0) - a.moved,
        }),
      );
    };
    if (a.delayMs !== undefined) setTimeout(finish, a.delayMs);
    else setImmediate(finish);
  }
}

describeTransportConformance('sgio over a fake SG_IO binding', {
  open: async () =>
    new SgioTransport({
      fd: 3,
      version: 3,
      queueDepth: 4,
      maxTransferBytes: 512 * 1024,
      binding: new FakeDiskBinding(),
      closeFd: () => {},
      closeWaitMs: 200,
    }),
  blockLength: BLOCK,
  stuckCommand: () => ({ cdb: new Uint8Array([STUCK, 0, 0, 0, 0, 0]), direction: 'none' }),
  slowCommand: (ms) => {
    const cdb = new Uint8Array([SLOW, 0, 0, 0, 0, 0]);
    new DataView(cdb.buffer).setUint32(2, ms);
    return { cdb, direction: 'none' };
  },
});

// ---------------------------------------------------------------------------------------------

describe('device paths', () => {
  it('accepts /dev/sgN (v3) and /dev/bsg/H:C:T:L (v4)', () => {
    expect(parseSgioPath('/dev/sg0')).toEqual({
      path: '/dev/sg0',
      version: 3,
      sysfs: '/sys/class/scsi_generic/sg0',
    });
    expect(parseSgioPath('/dev/sg127')?.version).toBe(3);
    expect(parseSgioPath('/dev/bsg/0:0:1:2')).toEqual({
      path: '/dev/bsg/0:0:1:2',
      version: 4,
      sysfs: '/sys/class/bsg/0:0:1:2',
    });
  });

  it.each([
    '/dev/sda',
    '/dev/sg',
    '/dev/sg0/',
    '/dev//sg0',
    '/dev/sg-1',
    '/dev/sg0x',
    'sg0',
    'dev/sg0',
    '/dev/bsg/0:0:0',
    '/dev/bsg/0:0:0:0/../../sda',
    '/dev/bsg/../sg0',
    '/dev/./sg0',
    '/etc/passwd',
    '',
  ])('refuses %j', (path) => {
    expect(parseSgioPath(path)).toBeUndefined();
  });

  it('open() rejects a bad path or bad options before touching the file system', async () => {
    await expect(SgioTransport.open('/dev/sda')).rejects.toThrowError(
      /Expected a SCSI generic device path \(\/dev\/sgN or \/dev\/bsg\/H:C:T:L\), got "\/dev\/sda"/,
    );
    await expect(SgioTransport.open('/dev/bsg/0:0:0:0/../../sda')).rejects.toBeInstanceOf(
      InvalidCommandError,
    );
    await expect(SgioTransport.open('/dev/sg0', { queueDepth: 17 })).rejects.toThrowError(
      'Expected `queueDepth` to be an integer in [1, 16], got `17` (number)',
    );
    await expect(SgioTransport.open('/dev/sg0', { queueDepth: 0 })).rejects.toBeInstanceOf(RangeError);
    await expect(SgioTransport.open('/dev/sg0', { maxTransferBytes: 100 })).rejects.toThrowError(
      /`maxTransferBytes` to be an integer in \[4096, /,
    );
    const typo = { readonly: true } as unknown as { write: boolean };
    await expect(SgioTransport.open('/dev/sg0', typo)).rejects.toThrowError(/Unknown option `readonly`/);
    await expect(
      SgioTransport.open('/dev/sg0', { write: 'yes' as unknown as boolean }),
    ).rejects.toBeInstanceOf(TypeError);
  });

  it('reads UV_THREADPOOL_SIZE the way libuv does', () => {
    expect(threadpoolSize({})).toBe(4);
    expect(threadpoolSize({ UV_THREADPOOL_SIZE: '16' })).toBe(16);
    expect(threadpoolSize({ UV_THREADPOOL_SIZE: '0' })).toBe(4);
    expect(threadpoolSize({ UV_THREADPOOL_SIZE: 'x' })).toBe(4);
    expect(threadpoolSize({ UV_THREADPOOL_SIZE: '99999' })).toBe(1024);
  });
});

/** Creating a character device node needs root (CAP_MKNOD); probed once, at collection time. */
const canMknod = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'scsikit-mknod-'));
  try {
    return spawnSync('mknod', [join(dir, 'probe'), 'c', '1', '3']).status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();
const needsMknod = canMknod ? '' : ' (skipped: mknod needs root)';

describe('open() against a temporary /dev and /sys', () => {
  let root: string;
  let roots: { dev: string; sys: string };
  const held = new HeldBinding();

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'scsikit-sgio-'));
    roots = { dev: join(root, 'dev'), sys: join(root, 'sys') };
    mkdirSync(join(roots.dev, 'bsg'), { recursive: true });
    writeFileSync(join(roots.dev, 'sg3'), 'not a device');
    symlinkSync('/etc/hostname', join(roots.dev, 'sg4'));
    symlinkSync(join(roots.dev, 'sg3'), join(roots.dev, 'sg5'));
    // A character device with /dev/null's numbers (1:3) stands in for an sg node.
    if (canMknod) {
      for (const n of ['sg0', 'sg1', 'sg2', 'bsg/2:0:0:0']) {
        expect(spawnSync('mknod', [join(roots.dev, n), 'c', '1', '3']).status).toBe(0);
      }
    }
    const device = (hctl: string, files: Record<string, string>) => {
      const dir = join(roots.sys, 'devices', hctl);
      for (const [f, v] of Object.entries(files)) {
        mkdirSync(join(dir, f, '..'), { recursive: true });
        writeFileSync(join(dir, f), v);
      }
      return dir;
    };
    const node = (cls: string, name: string, dev: string, deviceDir: string) => {
      const dir = join(roots.sys, 'class', cls, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'dev'), `${dev}\n`);
      symlinkSync(deviceDir, join(dir, 'device'));
      // …/class/scsi_device/H:C:T:L/device, where the shared limits reader looks.
      const scsiDevice = join(roots.sys, 'class', 'scsi_device', basename(deviceDir));
      mkdirSync(scsiDevice, { recursive: true });
      if (!existsSync(join(scsiDevice, 'device'))) symlinkSync(deviceDir, join(scsiDevice, 'device'));
    };
    // sg0: a disk: 32 tags, 32767 KiB hardware limit, 128 segments → 512 KiB.
    node(
      'scsi_generic',
      'sg0',
      '1:3',
      device('0:0:0:0', {
        queue_depth: '32\n',
        'block/sdz/queue/max_hw_sectors_kb': '32767\n',
        'block/sdz/queue/max_segments': '128\n',
      }),
    );
    // sg1: no block device: the host's limits (4 MiB max_sectors, 256 segments → 255 pages), 2 tags.
    node('scsi_generic', 'sg1', '1:3', device('1:0:0:0', { queue_depth: '2\n' }));
    mkdirSync(join(roots.sys, 'class', 'scsi_host', 'host1'), { recursive: true });
    writeFileSync(join(roots.sys, 'class', 'scsi_host', 'host1', 'max_sectors'), '8192\n');
    writeFileSync(join(roots.sys, 'class', 'scsi_host', 'host1', 'sg_tablesize'), '256\n');
    // sg2: sysfs names another device (21:2) than the node is (1:3).
    node('scsi_generic', 'sg2', '21:2', device('0:0:0:2', {}));
    // bsg 2:0:0:0: no limits in sysfs at all.
    node('bsg', '2:0:0:0', '1:3', device('2:0:0:0', {}));
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('a missing node is a SyscallError (ENOENT) naming realpath', async () => {
    const err = await openSgioTransport(join(roots.dev, 'sg9'), {}, roots, held).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyscallError);
    expect(err).toMatchObject({ errno: -2, errnoCode: 'ENOENT', syscall: 'realpath' });
  });

  it('a regular file is refused with a typed ENOTTY error, and no fd leaks', async () => {
    const before = openSync('/dev/null', 'r');
    closeSync(before);
    const err = await openSgioTransport(join(roots.dev, 'sg3'), {}, roots, held).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SyscallError);
    expect(err).toMatchObject({ errno: -25, errnoCode: 'ENOTTY', syscall: 'open' });
    expect((err as Error).message).toMatch(/the kernel refused the command \(open: ENOTTY\)/);
    expect(((err as Error).cause as Error).message).toMatch(/not a character device/);
    // The fd opened for the check was closed: the next open gets the same number back.
    const after = openSync('/dev/null', 'r');
    closeSync(after);
    expect(after).toBe(before);
  });

  it('a symlink must resolve to an sg or bsg node under the same /dev', async () => {
    await expect(openSgioTransport(join(roots.dev, 'sg4'), {}, roots, held)).rejects.toThrowError(
      /resolves to "\/etc\/hostname", not a SCSI generic device/,
    );
    // sg5 → sg3: allowed as a path, then refused as a regular file.
    await expect(openSgioTransport(join(roots.dev, 'sg5'), {}, roots, held)).rejects.toMatchObject({
      errnoCode: 'ENOTTY',
    });
  });

  it.skipIf(!canMknod)(
    `a character device that is not the one sysfs names is refused${needsMknod}`,
    async () => {
      const err = await openSgioTransport(join(roots.dev, 'sg2'), {}, roots, held).catch((e: unknown) => e);
      expect(err).toMatchObject({ errnoCode: 'ENOTTY', syscall: 'open' });
      expect(((err as Error).cause as Error).message).toMatch(
        /character device 1:3, not the one sysfs names \(21:2\)/,
      );
    },
  );

  it.skipIf(!canMknod)(`reads queue depth and transfer limits from sysfs${needsMknod}`, async () => {
    const sg0 = await openSgioTransport(join(roots.dev, 'sg0'), {}, roots, held);
    expect(sg0.capabilities).toEqual({
      kind: 'sgio',
      fixedBuffers: false,
      // 128 segments, less one for an unaligned buffer's extra page.
      maxTransferBytes: 127 * 4096,
      queueDepth: Math.min(16, threadpoolSize()),
    });
    expect(sg0.version).toBe(3);
    expect((sg0 as Transport).pool).toBeUndefined();
    await sg0.close();
    const sg1 = await openSgioTransport(join(roots.dev, 'sg1'), { write: true }, roots, held);
    expect(sg1.capabilities).toMatchObject({ maxTransferBytes: 255 * 4096, queueDepth: 2 });
    await sg1.close();
    const bsg = await openSgioTransport(join(roots.dev, 'bsg', '2:0:0:0'), {}, roots, held);
    expect(bsg.version).toBe(4);
    expect(bsg.capabilities).toMatchObject({ maxTransferBytes: 512 * 1024 });
    await bsg.close();
    const explicit = await openSgioTransport(
      join(roots.dev, 'sg0'),
      { queueDepth: 16, maxTransferBytes: 8192 },
      roots,
      held,
    );
    expect(explicit.capabilities).toMatchObject({ queueDepth: 16, maxTransferBytes: 8192 });
    await explicit.close();
    expect(readSysfsLimits(parseSgioPath(join(roots.dev, 'sg2'), roots)!, roots)).toEqual({});
  });

  it.skipIf(!canMknod)(
    `end to end through the addon: SG_IO on a character device without it is a typed ENOTTY${needsMknod}`,
    async () => {
      const t = await openSgioTransport(join(roots.dev, 'sg0'), {}, roots);
      const err = await t.execute(inquiry()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SyscallError);
      expect(err).toMatchObject({ errno: -25, errnoCode: 'ENOTTY', syscall: 'ioctl(SG_IO)' });
      expect(t.stats()).toMatchObject({ submitted: 1, completed: 0, failed: 1, inFlight: 0, queued: 0 });
      await t.close();
    },
  );
});

describe('the native sgioExecute', () => {
  const binding = loadSgioBinding();

  function run(fd: number, version: 3 | 4, direction: 0 | 1 | 2, data: Uint8Array | null) {
    return new Promise<{ err: SgioNativeError | null; result: SgioNativeResult | undefined }>((resolve) => {
      binding.sgioExecute(
        fd,
        version,
        new Uint8Array([0x12, 0, 0, 0, 36, 0]),
        direction,
        data,
        new Uint8Array(96),
        1000,
        (err, result) => resolve({ err, result }),
      );
    });
  }

  it.each([
    ['/dev/null', 3],
    ['/dev/null', 4],
    ['/etc/hostname', 3],
    ['/etc/hostname', 4],
  ] as const)('ioctl(SG_IO) v%s on %s fails with ENOTTY, errno negative', async (path, version) => {
    const fd = openSync(path, 'r');
    try {
      const { err, result } = await run(fd, version, 1, new Uint8Array(36));
      expect(result).toBeUndefined();
      expect(err).toBeInstanceOf(Error);
      expect(err).toMatchObject({ errno: -25, code: 'ENOTTY', syscall: 'ioctl(SG_IO)' });
    } finally {
      closeSync(fd);
    }
  });

  it('a closed fd gives EBADF', async () => {
    const fd = openSync('/dev/null', 'r');
    closeSync(fd);
    const { err } = await run(fd, 3, 0, null);
    expect(err).toMatchObject({ errno: -9, code: 'EBADF' });
  });

  it('throws on bad arguments, never crashes', () => {
    const call = binding.sgioExecute as unknown as (...a: unknown[]) => unknown;
    const cb = () => {};
    const cdb = new Uint8Array(6);
    const sense = new Uint8Array(96);
    const cases: Array<[unknown[], ErrorConstructor]> = [
      [[], TypeError],
      [[0, 3, cdb, 0, null, sense, 1], TypeError],
      [[-1, 3, cdb, 0, null, sense, 1, cb], RangeError],
      [[0, 5, cdb, 0, null, sense, 1, cb], RangeError],
      [[0, 3, new Uint8Array(5), 0, null, sense, 1, cb], RangeError],
      [[0, 3, new Uint8Array(33), 0, null, sense, 1, cb], RangeError],
      [[0, 3, new Uint16Array(6), 0, null, sense, 1, cb], TypeError],
      [[0, 3, [0x12, 0, 0, 0, 0, 0], 0, null, sense, 1, cb], TypeError],
      [[0, 3, cdb, 3, null, sense, 1, cb], RangeError],
      [[0, 3, cdb, 0, new Uint8Array(1), sense, 1, cb], TypeError],
      [[0, 3, cdb, 1, null, sense, 1, cb], TypeError],
      [[0, 3, cdb, 1, new Uint8Array(0), sense, 1, cb], RangeError],
      [[0, 3, cdb, 0, null, new Uint8Array(0), 1, cb], RangeError],
      [[0, 3, cdb, 0, null, new Uint8Array(253), 1, cb], RangeError],
      [[0, 3, cdb, 0, null, sense, 0, cb], RangeError],
      [[0, 3, cdb, 0, null, sense, 1.5, cb], RangeError],
      [[0, 3, cdb, 0, null, sense, 1, 'cb'], TypeError],
    ];
    for (const [args, type] of cases) expect(() => call(...args), JSON.stringify(args)).toThrowError(type);
  });

  it('works in a worker thread (per-environment, no process globals)', async () => {
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const fs = require('node:fs');
      const addon = require(workerData);
      const fd = fs.openSync('/dev/null', 'r');
      addon.sgioExecute(fd, 3, new Uint8Array(6), 0, null, new Uint8Array(32), 100, (err) => {
        fs.closeSync(fd);
        parentPort.postMessage(err.code);
      });`;
    const nativePath =
      process.env.SCSIKIT_NATIVE_PATH ?? `${import.meta.dirname}/../native/build/Release/scsikit_uring.node`;
    const worker = new Worker(code, { eval: true, workerData: nativePath });
    const code2 = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(code2).toBe('ENOTTY');
  });
});

describe('SgioTransport over an fd without SG_IO (the native path and the error mapping)', () => {
  it.each([3, 4] as const)(
    'v%s: execute rejects with SyscallError ENOTTY, counted as failed',
    async (version) => {
      const fd = openSync('/dev/null', 'r');
      const t = new SgioTransport({
        fd,
        version,
        queueDepth: 4,
        maxTransferBytes: 65536,
        binding: loadSgioBinding(),
        closeFd: closeSync,
      });
      const errs = await Promise.all(
        [t.execute(inquiry()), t.execute(tur())].map((p) => p.catch((e: unknown) => e)),
      );
      for (const err of errs) {
        expect(err).toBeInstanceOf(SyscallError);
        expect(err).toBeInstanceOf(TransportError);
        expect(err).toMatchObject({
          code: 'ERR_SCSIKIT_SYSCALL',
          errno: -25,
          errnoCode: 'ENOTTY',
          syscall: 'ioctl(SG_IO)',
        });
      }
      expect(t.stats()).toMatchObject({ submitted: 2, completed: 0, failed: 2, inFlight: 0, queued: 0 });
      await t.close();
      expect(() => fstatSync(fd)).toThrowError(/EBADF/);
    },
  );
});

describe('SgioTransport with a scripted binding', () => {
  it('refuses invalid commands before the binding sees them', async () => {
    const b = new HeldBinding();
    const { t } = transport(b);
    const bad: ScsiCommand[] = [
      { cdb: new Uint8Array(5), direction: 'none' },
      { cdb: new Uint8Array(6), direction: 'out' },
      { cdb: new Uint8Array(6), direction: 'in', transferLength: 65537 },
      { cdb: new Uint8Array(6), direction: 'none', senseBytes: 0 },
      { cdb: new Uint8Array(6), direction: 'none', priority: 'urgent' as 'high' },
    ];
    for (const cmd of bad) await expect(t.execute(cmd)).rejects.toBeInstanceOf(InvalidCommandError);
    await expect(t.execute({ ...tur(), signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      TransportAbortedError,
    );
    expect(b.calls).toHaveLength(0);
    expect(t.stats()).toMatchObject({ submitted: 0, completed: 0, failed: 0 });
  });

  it('passes the command through: version, direction, exact transfer view, sense size, timeout', async () => {
    const b = new HeldBinding();
    const { t } = transport(b, { version: 4 });
    const data = new Uint8Array(300);
    const p1 = t.execute({
      cdb: new Uint8Array([0x12, 0, 0, 0, 200, 0]),
      direction: 'in',
      data,
      transferLength: 200,
      senseBytes: 18,
      timeoutMs: 1234,
    });
    const p2 = t.execute({ ...tur(), timeoutMs: 50_000 });
    const [c1, c2] = b.calls;
    expect(c1).toMatchObject({ fd: 42, version: 4, direction: 1, timeoutMs: 1234 });
    expect(c1!.data!.buffer).toBe(data.buffer);
    expect(c1!.data!.length).toBe(200);
    expect(c1!.sense.length).toBe(18);
    expect(c2).toMatchObject({ direction: 0, data: null, timeoutMs: 50_000 });
    expect(c2!.sense.length).toBe(96);
    // The device wrote 36 bytes of 200 and 18 sense bytes (say, a recovered error).
    c1!.sense.set(fixedSense(0x01, 0x17));
    c1!.callback(null, ok({ status: 0, driverStatus: 8, senseLength: 18, residual: 164 }));
    const r1 = await p1;
    expect(r1.data.buffer).toBe(data.buffer);
    expect(r1.data.length).toBe(36);
    expect(r1.residual).toBe(164);
    expect(r1.sense).toEqual(fixedSense(0x01, 0x17));
    expect(r1.sense.buffer, 'sense is a fresh copy').not.toBe(c1!.sense.buffer);
    expect(r1.latencyNs).toBeGreaterThan(0);
    c2!.callback(null, ok({ status: 0x18 }));
    expect(await p2).toMatchObject({
      status: 0x18,
      residual: 0,
      sense: new Uint8Array(0),
      data: new Uint8Array(0),
    });
    expect(t.stats()).toMatchObject({ submitted: 2, completed: 2, failed: 0, inFlight: 0 });
  });

  it('clamps an out-of-range residual and sense length', async () => {
    const b = new HeldBinding();
    const { t } = transport(b);
    const p = t.execute(inquiry(36));
    b.calls[0]!.callback(null, ok({ residual: 1000, senseLength: 200, status: 0x102 }));
    const r = await p;
    expect(r).toMatchObject({ residual: 36, status: 0x02 });
    expect(r.data.length).toBe(0);
    expect(r.sense.length).toBe(96);
    const p2 = t.execute(inquiry(36));
    b.calls[1]!.callback(null, ok({ residual: -5 }));
    expect((await p2).residual).toBe(0);
  });

  it('a zero-length transfer has no data phase; data is still a view of the destination', async () => {
    const b = new HeldBinding();
    const { t } = transport(b);
    const p = t.execute({ cdb: new Uint8Array([0x12, 0, 0, 0, 0, 0]), direction: 'in', transferLength: 0 });
    expect(b.calls[0]).toMatchObject({ direction: 0, data: null });
    b.calls[0]!.callback(null, ok());
    expect((await p).data.length).toBe(0);
    const dest = new Uint8Array(new ArrayBuffer(64), 8, 16);
    const cmd: ScsiCommand = { cdb: new Uint8Array(6), direction: 'in', data: dest, transferLength: 0 };
    const p2 = t.execute(cmd);
    expect(b.calls[1]).toMatchObject({ direction: 0, data: null });
    b.calls[1]!.callback(null, ok());
    const r = await p2;
    assertResultInvariants(cmd, r);
    expect(r.data.buffer).toBe(dest.buffer);
  });

  it('keeps at most queueDepth in flight and dispatches high, then normal, then low, each FIFO', async () => {
    const b = new HeldBinding();
    const { t } = transport(b, { queueDepth: 1 });
    const tagged = (tag: number, priority?: 'high' | 'normal' | 'low'): ScsiCommand => ({
      cdb: new Uint8Array([0, 0, 0, 0, tag, 0]),
      direction: 'none',
      ...(priority === undefined ? {} : { priority }),
    });
    const ps = [
      t.execute(tagged(0)),
      t.execute(tagged(1, 'low')),
      t.execute(tagged(2)),
      t.execute(tagged(3, 'high')),
      t.execute(tagged(4, 'low')),
      t.execute(tagged(5, 'high')),
      t.execute(tagged(6, 'normal')),
    ];
    expect(b.calls).toHaveLength(1);
    expect(t.stats()).toMatchObject({ inFlight: 1, queued: 6, submitted: 1 });
    for (let i = 0; i < ps.length; i++) {
      expect(b.calls).toHaveLength(i + 1);
      b.calls[i]!.callback(null, ok());
    }
    await Promise.all(ps);
    expect(b.calls.map((c) => c.cdb[4])).toEqual([0, 3, 5, 2, 6, 1, 4]);
    expect(t.stats()).toMatchObject({ inFlight: 0, queued: 0, submitted: 7, completed: 7 });
  });

  it('the watchdog rejects at timeoutMs; the orphan keeps its slot until the ioctl returns', async () => {
    const b = new HeldBinding();
    const { t } = transport(b, { queueDepth: 1 });
    const stuck = t.execute({ ...tur(), timeoutMs: 30 });
    const next = t.execute(tur());
    await expect(stuck).rejects.toBeInstanceOf(TransportTimeoutError);
    expect(t.stats()).toMatchObject({ inFlight: 1, queued: 1, failed: 1 });
    expect(b.calls).toHaveLength(1);
    b.calls[0]!.callback(null, ok()); // the late completion: ignored, frees the slot
    expect(b.calls).toHaveLength(2);
    b.calls[1]!.callback(null, ok());
    await next;
    expect(t.stats()).toMatchObject({ submitted: 2, completed: 1, failed: 1, inFlight: 0 });
  });

  it('an abort while queued rejects at once and the command is never sent', async () => {
    const b = new HeldBinding();
    const { t } = transport(b, { queueDepth: 1 });
    const first = t.execute(tur());
    const ac = new AbortController();
    const queued = t.execute({ ...tur(), signal: ac.signal });
    expect(t.stats().queued).toBe(1);
    ac.abort(new Error('no longer needed'));
    await expect(queued).rejects.toBeInstanceOf(TransportAbortedError);
    expect(t.stats()).toMatchObject({ queued: 0, failed: 1 });
    b.calls[0]!.callback(null, ok());
    await first;
    await tick();
    expect(b.calls).toHaveLength(1);
  });

  it('maps errno: ENODEV is DeviceGoneError, EFAULT is OutcomeUnknownError, ENOMEM is retried', async () => {
    const b = new HeldBinding();
    const { t } = transport(b);
    const gone = t.execute(tur());
    b.calls[0]!.callback(nativeError(-19, 'ENODEV'), undefined);
    await expect(gone).rejects.toBeInstanceOf(DeviceGoneError);
    const fault = t.execute(tur());
    b.calls[1]!.callback(nativeError(-14, 'EFAULT'), undefined);
    await expect(fault).rejects.toBeInstanceOf(OutcomeUnknownError);
    const retried = t.execute(inquiry());
    b.calls[2]!.callback(nativeError(-12, 'ENOMEM'), undefined);
    await new Promise((r) => setTimeout(r, 20));
    expect(b.calls).toHaveLength(4);
    expect(b.calls[3]!.cdb).toBe(b.calls[2]!.cdb);
    b.calls[3]!.callback(null, ok({ residual: 0 }));
    expect((await retried).data.length).toBe(36);
    expect(t.stats()).toMatchObject({ submitted: 3, completed: 1, failed: 2, retried: { ENOMEM: 1 } });
  });

  it('gives up retrying after three back-offs', async () => {
    const b = new HeldBinding();
    const { t } = transport(b);
    const p = t.execute(tur());
    for (let i = 0; i < 4; i++) {
      while (b.calls.length <= i) await new Promise((r) => setTimeout(r, 2));
      b.calls[i]!.callback(nativeError(-11, 'EAGAIN'), undefined);
    }
    await expect(p).rejects.toMatchObject({ errnoCode: 'EAGAIN' });
    expect(t.stats().retried).toEqual({ EAGAIN: 3 });
  });

  it('a binding that throws rejects the command and frees its slot', async () => {
    let n = 0;
    const b: SgioBinding = {
      sgioExecute(...args) {
        if (n++ === 0) throw new TypeError('bad arguments');
        args[7](null, ok());
      },
    };
    const { t } = transport(b, { queueDepth: 1 });
    const p1 = t.execute(tur());
    const p2 = t.execute(tur());
    await expect(p1).rejects.toBeInstanceOf(SyscallError);
    await expect(p2).resolves.toMatchObject({ status: 0 });
  });
});

describe('close() with no device', () => {
  it('rejects queued and in-flight commands, waits for the ioctls, then closes the fd', async () => {
    const b = new HeldBinding();
    const { t, closed } = transport(b, { queueDepth: 2, closeWaitMs: 5_000 });
    const ps = Array.from({ length: 6 }, () => t.execute(tur()).catch((e: unknown) => e));
    const closing = t.close();
    expect(t.closed).toBe(true);
    for (const e of await Promise.all(ps)) expect(e).toBeInstanceOf(TransportClosedError);
    expect(t.stats()).toMatchObject({ inFlight: 2, queued: 0, failed: 6, submitted: 2 });
    await tick();
    expect(closed, 'the fd stays open while ioctls use it').toEqual([]);
    b.calls[0]!.callback(null, ok());
    await tick();
    expect(closed).toEqual([]);
    b.calls[1]!.callback(nativeError(-5, 'EIO'), undefined);
    await closing;
    expect(closed).toEqual([42]);
    expect(b.calls, 'queued commands were never sent').toHaveLength(2);
    expect(t.stats()).toMatchObject({ completed: 0, failed: 6, inFlight: 0 });
    await expect(t.execute(tur())).rejects.toBeInstanceOf(TransportClosedError);
    expect(t.close()).toBe(closing);
  });

  it('resolves after a bounded wait when an ioctl never returns; the last return closes the fd', async () => {
    const b = new HeldBinding();
    const { t, closed } = transport(b, { closeWaitMs: 50 });
    const p = t.execute({ ...tur(), timeoutMs: 60_000 }).catch((e: unknown) => e);
    const start = performance.now();
    await t.close();
    expect(performance.now() - start).toBeGreaterThanOrEqual(45);
    expect(await p).toBeInstanceOf(TransportClosedError);
    expect(closed).toEqual([]);
    expect(t.stats().inFlight).toBe(1);
    b.calls[0]!.callback(null, ok());
    expect(closed).toEqual([42]);
    expect(t.stats().inFlight).toBe(0);
  });

  it('closes the fd at once when nothing is in flight, and only once', async () => {
    const { t, closed } = transport(new HeldBinding());
    await Promise.all([t.close(), t.close()]);
    expect(closed).toEqual([42]);
    expect(t.stats()).toMatchObject({ submitted: 0, inFlight: 0, queued: 0 });
  });

  it('no retry after close: a back-off in progress ends and the fd closes', async () => {
    const b = new HeldBinding();
    const { t, closed } = transport(b, { closeWaitMs: 1_000 });
    const p = t.execute(tur()).catch((e: unknown) => e);
    b.calls[0]!.callback(nativeError(-12, 'ENOMEM'), undefined);
    await t.close();
    expect(await p).toBeInstanceOf(TransportClosedError);
    expect(b.calls).toHaveLength(1);
    expect(closed).toEqual([42]);
  });
});

/**
 * `openDevice`: target → sysfs → nodes → transport. With `transport: 'auto'` it opens the io_uring
 * BSG transport and probes it with TEST UNIT READY; a kernel without io_uring passthrough for this
 * device answers -EOPNOTSUPP, and the device is reopened over SG_IO on /dev/sgN (a debuglog line and
 * a `scsikit:transport:fallback` event say so).
 */
import { buildTestUnitReady } from '@scsikit/cdb';
import { SyscallError, type Transport } from '@scsikit/transport';
import * as uring from '@scsikit/transport-uring';
import { Device } from './device.js';
import { channels, log } from './diagnostics.js';
import type { ScsiDeviceInfo } from './discovery.js';
import { DeviceGoneError, InvalidArgumentError, mapTransportError, type ScsiError } from './errors.js';
import { type OpenOptions, type ResolvedOpenOptions, resolveOpenOptions } from './options.js';
import { type DeviceTarget, resolveTarget } from './resolve.js';

/** @internal How transports are opened; tests substitute fakes. */
export interface TransportOpeners {
  uring(path: string, options: ResolvedOpenOptions): Transport | Promise<Transport>;
  sgio(path: string, options: ResolvedOpenOptions): Promise<Transport>;
}

export const defaultOpeners: TransportOpeners = {
  uring: (path, o) =>
    uring.UringTransport.open(path, {
      write: o.write,
      ...(o.queueDepth === undefined ? {} : { queueDepth: o.queueDepth }),
      ...(o.fixedBuffers === undefined ? {} : { fixedBuffers: o.fixedBuffers }),
    }),
  sgio: (path, o) =>
    uring.SgioTransport.open(path, {
      write: o.write,
      // The sg driver refuses a 17th outstanding command per fd.
      ...(o.queueDepth === undefined ? {} : { queueDepth: Math.min(o.queueDepth, 16) }),
    }),
};

const EOPNOTSUPP = 95;
/** Errors from opening io_uring that mean "io_uring cannot be used here", not "no such device". */
const URING_UNAVAILABLE: ReadonlySet<string> = new Set(['EOPNOTSUPP', 'ENOTSUP', 'ENOSYS']);

function isTransport(t: unknown): t is Transport {
  return (
    typeof t === 'object' &&
    t !== null &&
    typeof (t as Transport).execute === 'function' &&
    typeof (t as Transport).close === 'function' &&
    typeof (t as Transport).capabilities === 'object'
  );
}

function isEopnotsupp(e: unknown): boolean {
  return e instanceof SyscallError && Math.abs(e.errno) === EOPNOTSUPP;
}

function unavailable(e: unknown): boolean {
  if (isEopnotsupp(e)) return true;
  const code =
    (e as { errnoCode?: unknown; code?: unknown } | null)?.errnoCode ??
    (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && URING_UNAVAILABLE.has(code);
}

async function openUring(
  path: string,
  o: ResolvedOpenOptions,
  openers: TransportOpeners,
): Promise<Transport> {
  const t = await openers.uring(path, o);
  try {
    // The probe: any device answer (even CHECK CONDITION) proves the path works.
    await t.execute({ cdb: buildTestUnitReady().cdb, direction: 'none', timeoutMs: o.timeoutMs });
  } catch (e) {
    await t.close();
    throw e;
  }
  return t;
}

async function openSgio(info: ScsiDeviceInfo, o: ResolvedOpenOptions, openers: TransportOpeners) {
  const path = info.sg ?? info.bsg;
  if (path === undefined) {
    throw new InvalidArgumentError('target', `${info.hctl} has neither an sg nor a bsg node`);
  }
  return { transport: await openers.sgio(path, o), path };
}

async function openTransport(
  info: ScsiDeviceInfo,
  o: ResolvedOpenOptions,
  openers: TransportOpeners,
): Promise<{ transport: Transport; path: string }> {
  if (o.transport === 'sgio') return openSgio(info, o, openers);
  if (info.bsg === undefined) {
    if (o.transport === 'uring') {
      throw new InvalidArgumentError(
        'transport',
        `${info.hctl} has no bsg node; io_uring passthrough needs one`,
      );
    }
    return fallback(info, o, openers, 'no bsg node', undefined);
  }
  try {
    return { transport: await openUring(info.bsg, o, openers), path: info.bsg };
  } catch (e) {
    if (o.transport === 'auto' && unavailable(e)) {
      return fallback(
        info,
        o,
        openers,
        isEopnotsupp(e) ? 'io_uring passthrough answered -EOPNOTSUPP' : String(e),
        e,
      );
    }
    throw e;
  }
}

async function fallback(
  info: ScsiDeviceInfo,
  o: ResolvedOpenOptions,
  openers: TransportOpeners,
  reason: string,
  cause: unknown,
): Promise<{ transport: Transport; path: string }> {
  const opened = await openSgio(info, o, openers);
  log('%s: io_uring not usable (%s); using SG_IO on %s', info.hctl, reason, opened.path);
  if (channels.fallback.hasSubscribers) {
    channels.fallback.publish({ path: info.bsg ?? opened.path, from: 'uring', to: 'sgio', reason, cause });
  }
  return opened;
}

/** Errno names from opening a node that resolved a moment earlier: it went away in between. */
const VANISHED: ReadonlySet<string> = new Set(['ENOENT', 'ENXIO', 'ENODEV']);

/**
 * An open failure, naming the device. A node that sysfs listed but open(2) cannot find was removed
 * (DeviceGoneError); one that is no SCSI node (ENOTTY: a regular file, another driver's device) is a
 * bad target. Everything else maps as any transport error.
 */
function openFailure(e: unknown, info: ScsiDeviceInfo): ScsiError {
  const errnoCode =
    (e as { errnoCode?: unknown } | null)?.errnoCode ?? (e as { code?: unknown } | null)?.code;
  const nodes = [info.bsg, info.sg].filter((n) => n !== undefined).join(' or ');
  if (typeof errnoCode === 'string' && VANISHED.has(errnoCode)) {
    return new DeviceGoneError(
      `${info.hctl}: ${nodes} vanished while opening it (${errnoCode}): the device was removed`,
      {
        cause: e,
      },
    );
  }
  if (errnoCode === 'ENOTTY') {
    const why = (e as { cause?: { message?: unknown } }).cause?.message;
    return new InvalidArgumentError(
      'target',
      `${info.hctl}: ${nodes} is not a SCSI device node${typeof why === 'string' ? ` (${why})` : ''}`,
      { cause: e },
    );
  }
  return mapTransportError(e);
}

/** @internal `openDevice` with injectable transport openers. */
export async function openDeviceWith(
  openers: TransportOpeners,
  target: DeviceTarget | Transport,
  options?: OpenOptions,
): Promise<Device> {
  const o = resolveOpenOptions(options);
  const base = { writable: o.write, timeoutMs: o.timeoutMs, retry: o.retry };
  if (isTransport(target)) return new Device({ ...base, transport: target, ownsTransport: false });
  const info = resolveTarget(target, { sysRoot: o.sysRoot, devRoot: o.devRoot });
  let opened: { transport: Transport; path: string };
  try {
    opened = await openTransport(info, o, openers);
  } catch (e) {
    throw openFailure(e, info);
  }
  log('opened %s (%s) over %s', opened.path, info.hctl, opened.transport.kind);
  return new Device({ ...base, transport: opened.transport, ownsTransport: true, path: opened.path, info });
}

/**
 * Opens a SCSI device.
 *
 * `target`: '/dev/sdX', '/dev/sgN', '/dev/bsg/H:C:T:L', 'H:C:T:L', `{ wwn }`, `{ serial }`, or a
 * Transport you opened yourself (an `EmulatedDisk` in tests). Paths must resolve (symlinks followed)
 * to such a node under /dev. Rejects with InvalidArgumentError for a bad target or option,
 * PermissionError when the node cannot be opened, DeviceGoneError when it vanished.
 *
 * @example
 * const dev = await openDevice('/dev/sda');
 * const { vendor, product } = await dev.inquiry();
 * await dev.close();
 */
export function openDevice(target: DeviceTarget | Transport, options?: OpenOptions): Promise<Device> {
  return openDeviceWith(defaultOpeners, target, options);
}

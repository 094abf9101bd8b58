/**
 * From what the caller names (a node path, 'H:C:T:L', a WWN or a serial number) to the device's
 * sysfs description, which carries its bsg and sg nodes. Paths are checked by shape and by realpath:
 * whatever a path resolves to must be a SCSI node under the device root.
 */
import { realpathSync, statSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { type DiscoveryOptions, listDevices, readDeviceInfo, type ScsiDeviceInfo } from './discovery.js';
import { InvalidArgumentError } from './errors.js';

/** What `openDevice` accepts besides a Transport. */
export type DeviceTarget = string | { readonly wwn: string } | { readonly serial: string };

const HCTL = /^\d{1,9}:\d{1,9}:\d{1,9}:\d{1,19}$/u;
/** Node names below the device root (after realpath). */
const BLOCK = /^sd[a-z]{1,4}$/u;
const PARTITION = /^sd[a-z]{1,4}\d+$/u;
const SG = /^sg\d{1,9}$/u;
const BSG = /^bsg\/(\d{1,9}:\d{1,9}:\d{1,9}:\d{1,19})$/u;

const FORMS = "'/dev/sdX', '/dev/sgN', '/dev/bsg/H:C:T:L', 'H:C:T:L', { wwn } or { serial }";

function normalizeWwn(w: string): string {
  return w
    .trim()
    .toLowerCase()
    .replace(/^(naa|eui|t10|0x)\.?/u, '')
    .replace(/[^0-9a-z]/gu, '');
}

function notFound(what: string, options: DiscoveryOptions): never {
  const known = listDevices(options)
    .map((d) => `${d.hctl}${d.block === undefined ? '' : ` ${d.block}`}`)
    .join(', ');
  throw new InvalidArgumentError(
    'target',
    `No SCSI device matches ${what}${known.length > 0 ? ` (devices: ${known})` : ' (sysfs lists no SCSI devices)'}`,
  );
}

/** What a path is, in words, for the messages that refuse it ('a directory', 'a regular file'…). */
function kindOf(path: string): string {
  try {
    const st = statSync(path);
    if (st.isDirectory()) return 'a directory';
    if (st.isFile()) return 'a regular file';
    if (st.isCharacterDevice()) return `a character device (${st.rdev >> 8}:${st.rdev & 0xff})`;
    if (st.isBlockDevice()) return 'a block device';
    if (st.isFIFO()) return 'a FIFO';
    if (st.isSocket()) return 'a socket';
    return 'a special file';
  } catch (e) {
    return `unreadable (${String((e as { code?: unknown }).code ?? e)})`;
  }
}

function byPath(path: string, options: DiscoveryOptions): ScsiDeviceInfo {
  const devRoot = options.devRoot ?? '/dev';
  let real: string;
  try {
    real = realpathSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new InvalidArgumentError(
      'target',
      `Cannot open ${JSON.stringify(path)}: ${code === 'ENOENT' ? 'no such file or device node (never there, or removed)' : String(code ?? e)}`,
      { cause: e },
    );
  }
  let realDevRoot = devRoot;
  try {
    realDevRoot = realpathSync(devRoot);
  } catch {
    // Keep the configured root; the check below then fails clearly.
  }
  const rel = relative(realDevRoot, real).split(sep).join('/');
  if (rel.startsWith('..') || rel === '' || rel.startsWith('/')) {
    throw new InvalidArgumentError(
      'target',
      `${JSON.stringify(path)} resolves to ${JSON.stringify(real)}, ${kindOf(real)} not under ${devRoot}; expected ${FORMS}`,
    );
  }
  if (PARTITION.test(rel)) {
    throw new InvalidArgumentError(
      'target',
      `${JSON.stringify(path)} is a partition; SCSI commands go to the whole device (${devRoot}/${rel.replace(/\d+$/u, '')})`,
    );
  }
  const bsg = BSG.exec(rel);
  if (bsg?.[1] !== undefined) {
    return readDeviceInfo(bsg[1], options) ?? notFound(JSON.stringify(path), options);
  }
  const name = `${devRoot.replace(/\/$/u, '')}/${rel}`;
  if (BLOCK.test(rel) || SG.test(rel)) {
    const found = listDevices(options).find((d) => d.block === name || d.sg === name);
    return found ?? notFound(JSON.stringify(path), options);
  }
  throw new InvalidArgumentError(
    'target',
    `${JSON.stringify(path)} (${real}) is ${kindOf(real)}, not a SCSI device node; expected ${FORMS}`,
  );
}

/**
 * Finds the device a target names. Throws InvalidArgumentError for a malformed target, a path that
 * does not resolve to a SCSI node under the device root, a partition, or no match.
 */
export function resolveTarget(target: DeviceTarget, options: DiscoveryOptions = {}): ScsiDeviceInfo {
  if (typeof target === 'string') {
    if (target.length === 0 || target.length > 4096 || target.includes('\0')) {
      throw new InvalidArgumentError(
        'target',
        `Expected a device as ${FORMS}, got ${JSON.stringify(target)}`,
      );
    }
    if (HCTL.test(target)) return readDeviceInfo(target, options) ?? notFound(target, options);
    if (target.startsWith('/')) return byPath(target, options);
    throw new InvalidArgumentError('target', `Expected a device as ${FORMS}, got ${JSON.stringify(target)}`);
  }
  if (target !== null && typeof target === 'object') {
    if ('wwn' in target && typeof target.wwn === 'string' && target.wwn.trim().length > 0) {
      const want = normalizeWwn(target.wwn);
      const found = listDevices(options).find((d) => d.wwn !== undefined && normalizeWwn(d.wwn) === want);
      return found ?? notFound(`wwn ${JSON.stringify(target.wwn)}`, options);
    }
    if ('serial' in target && typeof target.serial === 'string' && target.serial.trim().length > 0) {
      const want = target.serial.trim();
      const found = listDevices(options).find((d) => d.serial === want);
      return found ?? notFound(`serial ${JSON.stringify(target.serial)}`, options);
    }
  }
  throw new InvalidArgumentError('target', `Expected a device as ${FORMS}, got ${JSON.stringify(target)}`);
}

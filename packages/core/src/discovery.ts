/**
 * SCSI device discovery from sysfs: `/sys/class/scsi_device/H:C:T:L/device/` and what hangs off it
 * (block node, sg node, bsg node, identity, capacity, WWN) plus the transport the host sits on
 * (iSCSI session, SAS, virtio, tcm_loop, scsi_debug…). Synchronous file reads only; no commands.
 * `sysRoot`/`devRoot` let tests run against a fake tree in a temporary directory.
 */
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { decodeDeviceIdentification, decodeUnitSerialNumber, peripheralTypeName } from '@scsikit/cdb';

/** Where `listDevices`/`readDeviceInfo` look (tests point them at a fake tree). */
export interface DiscoveryOptions {
  /** @default '/sys' */
  readonly sysRoot?: string;
  /** @default '/dev' */
  readonly devRoot?: string;
}

/** How the host adapter reaches the device, as far as sysfs tells. */
export type DeviceTransportInfo =
  | {
      readonly kind: 'iscsi';
      /** iSCSI session number (sessionN). */
      readonly session: number;
      /** The target's iSCSI name (IQN/EUI), when sysfs shows it. */
      readonly targetName?: string;
      /** The portal of the session's first connection. */
      readonly portal?: { readonly address: string; readonly port: number };
    }
  | { readonly kind: 'sas'; readonly sasAddress?: string }
  | { readonly kind: 'fc' }
  | { readonly kind: 'virtio' }
  | { readonly kind: 'tcm_loop' }
  | { readonly kind: 'scsi_debug' }
  | { readonly kind: 'usb' }
  | { readonly kind: 'ata' }
  | { readonly kind: 'unknown'; readonly driver?: string };

/** One SCSI device as sysfs describes it. Absent fields are those sysfs does not show. */
export interface ScsiDeviceInfo {
  /** 'H:C:T:L'. */
  readonly hctl: string;
  readonly host: number;
  readonly channel: number;
  readonly target: number;
  readonly lun: number;
  /** Peripheral device type (0 disk, 5 CD/DVD, 0x0d enclosure, 0x14 host-managed zoned…). */
  readonly type: number;
  /** Its short name ('disk', 'cd/dvd', 'enclosure', 'zbc'…). */
  readonly typeName: string;
  readonly vendor: string;
  readonly model: string;
  readonly revision: string;
  /** 'running', 'offline', 'blocked'… */
  readonly state?: string;
  /** Upper-level block node, e.g. '/dev/sda'. */
  readonly block?: string;
  /** SCSI generic node, e.g. '/dev/sg0'. */
  readonly sg?: string;
  /** BSG node, '/dev/bsg/H:C:T:L'. */
  readonly bsg?: string;
  readonly queueDepth?: number;
  /** From `block/<name>/size` (512-byte units, whatever the logical block size). */
  readonly capacityBytes?: bigint;
  readonly logicalBlockSize?: number;
  /** World wide name: sysfs `wwid` (e.g. 'naa.6001405…'), else the LU's designator in VPD 83h. */
  readonly wwn?: string;
  /** Unit serial number (VPD 80h). */
  readonly serial?: string;
  readonly transport: DeviceTransportInfo;
  /** The device's sysfs directory (symlinks resolved). */
  readonly sysfsPath: string;
}

const HCTL = /^(\d+):(\d+):(\d+):(\d+)$/u;

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1').replace(/[\s\0]+$/u, '');
  } catch {
    return undefined;
  }
}

function readBytes(path: string): Uint8Array | undefined {
  try {
    const b = readFileSync(path);
    return b.length > 0 ? new Uint8Array(b) : undefined;
  } catch {
    return undefined;
  }
}

function readInt(path: string): number | undefined {
  const t = readText(path);
  if (t === undefined || !/^\d+$/u.test(t.trim())) return undefined;
  return Number.parseInt(t.trim(), 10);
}

function list(path: string): string[] {
  try {
    return readdirSync(path).sort();
  } catch {
    return [];
  }
}

/** Numeric H:C:T:L order. */
export function compareHctl(a: string, b: string): number {
  const pa = a.split(':').map(Number);
  const pb = b.split(':').map(Number);
  for (let i = 0; i < 4; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Designator preference for a WWN: NAA, EUI-64, SCSI name string, T10 vendor id. */
const DESIGNATOR_RANK: Readonly<Record<number, number>> = { 3: 0, 2: 1, 8: 2, 1: 3 };

function wwnFromVpd83(bytes: Uint8Array | undefined): string | undefined {
  if (bytes === undefined) return undefined;
  try {
    const page = decodeDeviceIdentification(bytes);
    const lu = page.designators
      .filter((d) => d.association === 0 && DESIGNATOR_RANK[d.designatorType] !== undefined)
      .sort((a, b) => (DESIGNATOR_RANK[a.designatorType] ?? 9) - (DESIGNATOR_RANK[b.designatorType] ?? 9));
    return lu[0]?.canonical;
  } catch {
    return undefined;
  }
}

function serialFromVpd80(bytes: Uint8Array | undefined): string | undefined {
  if (bytes === undefined) return undefined;
  try {
    const s = decodeUnitSerialNumber(bytes).productSerialNumber;
    return s.length > 0 ? s : undefined;
  } catch {
    return undefined;
  }
}

function iscsiInfo(sysRoot: string, session: number): DeviceTransportInfo {
  const targetName = readText(join(sysRoot, 'class', 'iscsi_session', `session${session}`, 'targetname'));
  let portal: { address: string; port: number } | undefined;
  for (const conn of list(join(sysRoot, 'class', 'iscsi_connection'))) {
    if (!conn.startsWith(`connection${session}:`)) continue;
    const dir = join(sysRoot, 'class', 'iscsi_connection', conn);
    const address = readText(join(dir, 'persistent_address')) ?? readText(join(dir, 'address'));
    const port = readInt(join(dir, 'persistent_port')) ?? readInt(join(dir, 'port'));
    if (address !== undefined && port !== undefined) {
      portal = { address, port };
      break;
    }
  }
  return {
    kind: 'iscsi',
    session,
    ...(targetName === undefined ? {} : { targetName }),
    ...(portal === undefined ? {} : { portal }),
  };
}

/** The transport from the device's sysfs path and its host's `proc_name`. */
function transportInfo(sysRoot: string, devicePath: string, host: number): DeviceTransportInfo {
  const session = /\/session(\d+)\//u.exec(devicePath);
  if (session?.[1] !== undefined) return iscsiInfo(sysRoot, Number(session[1]));
  const procName = readText(join(sysRoot, 'class', 'scsi_host', `host${host}`, 'proc_name'));
  if (/\/end_device-|\/port-\d+:|\/expander-/u.test(devicePath) || procName?.includes('sas') === true) {
    const sasAddress = readText(join(devicePath, 'sas_address'));
    return { kind: 'sas', ...(sasAddress === undefined ? {} : { sasAddress }) };
  }
  if (/\/rport-\d+:/u.test(devicePath)) return { kind: 'fc' };
  if (/\/virtio\d+\//u.test(devicePath) || procName === 'virtio_scsi') return { kind: 'virtio' };
  if (devicePath.includes('/tcm_loop') || procName === 'tcm_loop') return { kind: 'tcm_loop' };
  if (procName === 'scsi_debug' || /\/pseudo_\d+\/adapter\d+\//u.test(devicePath))
    return { kind: 'scsi_debug' };
  if (/\/usb\d+\//u.test(devicePath) || procName === 'usb-storage' || procName === 'uas')
    return { kind: 'usb' };
  if (/\/ata\d+\//u.test(devicePath)) return { kind: 'ata' };
  return { kind: 'unknown', ...(procName === undefined ? {} : { driver: procName }) };
}

/** Reads one device, or undefined when `hctl` is not in sysfs. */
export function readDeviceInfo(hctl: string, options: DiscoveryOptions = {}): ScsiDeviceInfo | undefined {
  const sysRoot = options.sysRoot ?? '/sys';
  const devRoot = options.devRoot ?? '/dev';
  const m = HCTL.exec(hctl);
  if (m === null) return undefined;
  const link = join(sysRoot, 'class', 'scsi_device', hctl, 'device');
  let dev: string;
  try {
    dev = realpathSync(link);
  } catch {
    return undefined;
  }
  const [host, channel, target, lun] = [m[1], m[2], m[3], m[4]].map(Number) as [
    number,
    number,
    number,
    number,
  ];
  const type = readInt(join(dev, 'type')) ?? 0x1f;
  const blockName = list(join(dev, 'block'))[0];
  const sgName = list(join(dev, 'scsi_generic'))[0];
  const bsgName = list(join(dev, 'bsg'))[0];
  const sectors = blockName === undefined ? undefined : readInt(join(dev, 'block', blockName, 'size'));
  const logicalBlockSize =
    blockName === undefined
      ? undefined
      : readInt(join(dev, 'block', blockName, 'queue', 'logical_block_size'));
  const state = readText(join(dev, 'state'));
  const queueDepth = readInt(join(dev, 'queue_depth'));
  const wwid = readText(join(dev, 'wwid'))?.trim();
  const wwn = wwid !== undefined && wwid.length > 0 ? wwid : wwnFromVpd83(readBytes(join(dev, 'vpd_pg83')));
  const serial = serialFromVpd80(readBytes(join(dev, 'vpd_pg80')));
  return {
    hctl,
    host,
    channel,
    target,
    lun,
    type,
    typeName: peripheralTypeName(type, 'short'),
    vendor: (readText(join(dev, 'vendor')) ?? '').trim(),
    model: (readText(join(dev, 'model')) ?? '').trim(),
    revision: (readText(join(dev, 'rev')) ?? '').trim(),
    ...(state === undefined ? {} : { state }),
    ...(blockName === undefined ? {} : { block: join(devRoot, blockName) }),
    ...(sgName === undefined ? {} : { sg: join(devRoot, sgName) }),
    ...(bsgName === undefined ? {} : { bsg: join(devRoot, 'bsg', bsgName) }),
    ...(queueDepth === undefined ? {} : { queueDepth }),
    ...(sectors === undefined ? {} : { capacityBytes: BigInt(sectors) * 512n }),
    ...(logicalBlockSize === undefined ? {} : { logicalBlockSize }),
    ...(wwn === undefined ? {} : { wwn }),
    ...(serial === undefined ? {} : { serial }),
    transport: transportInfo(sysRoot, dev, host),
    sysfsPath: dev,
  };
}

/**
 * Every SCSI device the kernel knows, in H:C:T:L order. An empty array when sysfs has no
 * `class/scsi_device` (no SCSI support, or a container without /sys).
 */
export function listDevices(options: DiscoveryOptions = {}): ScsiDeviceInfo[] {
  const sysRoot = options.sysRoot ?? '/sys';
  return list(join(sysRoot, 'class', 'scsi_device'))
    .filter((name) => HCTL.test(name))
    .sort(compareHctl)
    .map((hctl) => readDeviceInfo(hctl, options))
    .filter((d): d is ScsiDeviceInfo => d !== undefined);
}

/**
 * Field-by-field decoders and encoders for individual mode pages (SPC-6 / SBC-5 / SPL-5).
 *
 * Each typed page is described once by a layout table (byte offset, bit position, width per field,
 * named as T10 names them in camelCase). The same table drives the decoder, the encoder and the
 * changeable-mask check in `applyModePageChanges`, so the three can never disagree.
 *
 * Offsets are from the first byte of the page (byte 0 = PS/SPF/page code), as in the T10 tables.
 */
import {
  ByteReader,
  type ByteSource,
  checkBigUint,
  checkUint,
  putU16,
  putU24,
  putU32,
  putU64,
  toBytes,
} from '../bytes.js';
import { CdbBuildError, DecodeError } from '../errors.js';
import { PROTOCOL_IDENTIFIER } from '../protocol-identifiers.js';
import { readModePageFrame } from './mode-frame.js';

export type { ModePageFrame } from './mode-frame.js';

// ---------------------------------------------------------------------------------------------
// Layout tables
// ---------------------------------------------------------------------------------------------

/** One field of a mode page layout. `optional` fields may be absent on older, shorter pages. */
export type ModeFieldSpec =
  | { readonly kind: 'bool'; readonly offset: number; readonly bit: number; readonly optional?: true }
  | {
      readonly kind: 'bits';
      readonly offset: number;
      readonly lsb: number;
      readonly width: number;
      readonly optional?: true;
    }
  | { readonly kind: 'uint'; readonly offset: number; readonly size: 1 | 2 | 3 | 4; readonly optional?: true }
  | { readonly kind: 'u64'; readonly offset: number; readonly optional?: true };

export type ModeFieldTable = Readonly<Record<string, ModeFieldSpec>>;

type FieldValue<F> = F extends { kind: 'bool' } ? boolean : F extends { kind: 'u64' } ? bigint : number;

/** The decoded object type of a layout table: booleans for bits, numbers, bigint for 64-bit fields. */
export type FieldsOf<T extends ModeFieldTable> = {
  -readonly [K in keyof T as T[K] extends { optional: true } ? never : K]: FieldValue<T[K]>;
} & {
  -readonly [K in keyof T as T[K] extends { optional: true } ? K : never]?: FieldValue<T[K]>;
};

/** A typed mode page: where it lives and how long the current standard makes it. */
export interface ModePageLayout<T extends ModeFieldTable = ModeFieldTable> {
  readonly pageCode: number;
  /** 0 for page_0 format pages; spf is implied by a non-zero subpage or `spf: true`. */
  readonly subpageCode: number;
  readonly spf: boolean;
  /** Discriminant used in `ModePage.fields.page`. */
  readonly name: ModePageName;
  /** Total bytes (header included) of the page in the current standard; encoders emit this size. */
  readonly standardLength: number;
  readonly fields: T;
}

const bool = (offset: number, bit: number) => ({ kind: 'bool', offset, bit }) as const;
const bits = (offset: number, lsb: number, width: number) => ({ kind: 'bits', offset, lsb, width }) as const;
const u8 = (offset: number) => ({ kind: 'uint', offset, size: 1 }) as const;
const u16 = (offset: number) => ({ kind: 'uint', offset, size: 2 }) as const;
const u24 = (offset: number) => ({ kind: 'uint', offset, size: 3 }) as const;
const u32 = (offset: number) => ({ kind: 'uint', offset, size: 4 }) as const;
const opt = <S extends ModeFieldSpec>(spec: S) => ({ ...spec, optional: true }) as const;

export type ModePageName =
  | 'readWriteErrorRecovery'
  | 'disconnectReconnect'
  | 'format'
  | 'rigidDiskGeometry'
  | 'verifyErrorRecovery'
  | 'caching'
  | 'control'
  | 'controlExtension'
  | 'applicationTag'
  | 'protocolSpecificLu'
  | 'sasLu'
  | 'protocolSpecificPort'
  | 'sasPort'
  | 'powerCondition'
  | 'informationalExceptionsControl'
  | 'backgroundControl';

/** Read-Write Error Recovery mode page (01h), SBC-5 Table 200. */
const READ_WRITE_ERROR_RECOVERY = {
  /** Automatic write reallocation enabled. */
  awre: bool(2, 7),
  /** Automatic read reallocation enabled. */
  arre: bool(2, 6),
  /** Transfer block: transfer an unrecovered block before CHECK CONDITION. */
  tb: bool(2, 5),
  /** Read continuous: transfer data without waiting for error recovery. */
  rc: bool(2, 4),
  /** Enable early recovery (obsolete in SBC-4). */
  eer: bool(2, 3),
  /** Post error: report recovered errors. */
  per: bool(2, 2),
  /** Data terminate on error. */
  dte: bool(2, 1),
  /** Disable correction (obsolete in SBC-4). */
  dcr: bool(2, 0),
  readRetryCount: u8(3),
  /** Logical block provisioning error reporting enabled (TPERE in SBC-3 before r25; same bit). */
  lbpere: bool(7, 7),
  /** Misaligned write reporting: 0 disabled, 1 enabled, 2 terminate. */
  mwr: bits(7, 5, 2),
  writeRetryCount: u8(8),
  /** Recovery time limit in milliseconds; 0 = vendor default. */
  recoveryTimeLimit: u16(10),
} as const;

/** Disconnect-Reconnect mode page (02h), SPC-6 Table 460; units are transport specific. */
const DISCONNECT_RECONNECT = {
  bufferFullRatio: u8(2),
  bufferEmptyRatio: u8(3),
  busInactivityLimit: u16(4),
  disconnectTimeLimit: u16(6),
  connectTimeLimit: u16(8),
  /** In 512-byte units. */
  maximumBurstSize: u16(10),
  /** Enable modify data pointers. */
  emdp: bool(12, 7),
  fairArbitration: bits(12, 4, 3),
  /** Disconnect immediate. */
  dimm: bool(12, 3),
  /** Data transfer disconnect control. */
  dtdc: bits(12, 0, 3),
  /** In 512-byte units. */
  firstBurstSize: u16(14),
} as const;

/** Format Device mode page (03h), SBC-2 (obsolete since SBC-3, still returned by many disks). */
const FORMAT = {
  tracksPerZone: u16(2),
  alternateSectorsPerZone: u16(4),
  alternateTracksPerZone: u16(6),
  alternateTracksPerLogicalUnit: u16(8),
  sectorsPerTrack: u16(10),
  dataBytesPerPhysicalSector: u16(12),
  interleave: u16(14),
  trackSkewFactor: u16(16),
  cylinderSkewFactor: u16(18),
  /** Soft sector formatting. */
  ssec: bool(20, 7),
  /** Hard sector formatting. */
  hsec: bool(20, 6),
  /** Removable medium. */
  rmb: bool(20, 5),
  /** Surface: addresses allocated to a surface before the next surface. */
  surf: bool(20, 4),
} as const;

/** Rigid Disk Drive Geometry mode page (04h), SBC-2 (obsolete since SBC-3). */
const RIGID_DISK_GEOMETRY = {
  numberOfCylinders: u24(2),
  numberOfHeads: u8(5),
  startingCylinderForWritePrecompensation: u24(6),
  startingCylinderForReducedWriteCurrent: u24(9),
  deviceStepRate: u16(12),
  landingZoneCylinder: u24(14),
  /** Rotational position locking. */
  rpl: bits(17, 0, 2),
  rotationalOffset: u8(18),
  /** Revolutions per minute (0 = not reported, 1 = non-rotating medium). */
  mediumRotationRate: u16(20),
} as const;

/** Verify Error Recovery mode page (07h), SBC-5 Table 224. */
const VERIFY_ERROR_RECOVERY = {
  eer: bool(2, 3),
  per: bool(2, 2),
  dte: bool(2, 1),
  dcr: bool(2, 0),
  verifyRetryCount: u8(3),
  /** Milliseconds. */
  verifyRecoveryTimeLimit: u16(10),
} as const;

/** Caching mode page (08h), SBC-5 Table 193. */
const CACHING = {
  /** Initiator control. */
  ic: bool(2, 7),
  /** Abort pre-fetch. */
  abpf: bool(2, 6),
  /** Caching analysis permitted. */
  cap: bool(2, 5),
  /** Discontinuity. */
  disc: bool(2, 4),
  /** Size enable. */
  size: bool(2, 3),
  /** Write cache enable. */
  wce: bool(2, 2),
  /** Multiplication factor. */
  mf: bool(2, 1),
  /** Read cache disable. */
  rcd: bool(2, 0),
  demandReadRetentionPriority: bits(3, 4, 4),
  writeRetentionPriority: bits(3, 0, 4),
  disablePrefetchTransferLength: u16(4),
  minimumPrefetch: u16(6),
  maximumPrefetch: u16(8),
  maximumPrefetchCeiling: u16(10),
  /** Force sequential write. */
  fsw: bool(12, 7),
  /** Logical block cache segment size: cacheSegmentSize is in blocks, not bytes. */
  lbcss: bool(12, 6),
  /** Disable read-ahead. */
  dra: bool(12, 5),
  /** Synchronous cache progress indication (SBC-4). */
  syncProg: bits(12, 1, 2),
  /** Non-volatile cache disable. */
  nvDis: bool(12, 0),
  numberOfCacheSegments: u8(13),
  cacheSegmentSize: u16(14),
} as const;

/** Control mode page (0Ah), SPC-6 Table 450. */
const CONTROL = {
  /** Task set type. */
  tst: bits(2, 5, 3),
  /** Task management functions only. */
  tmfOnly: bool(2, 4),
  /** Disable protection information check if protect field is zero. */
  dpicz: bool(2, 3),
  /** Descriptor format sense data. */
  dSense: bool(2, 2),
  /** Global logging target save disable. */
  gltsd: bool(2, 1),
  /** Report log exception condition. */
  rlec: bool(2, 0),
  queueAlgorithmModifier: bits(3, 4, 4),
  /** No unit attention on release. */
  nuar: bool(3, 3),
  /** Queue error management. */
  qerr: bits(3, 1, 2),
  /** Vendor specific bit. */
  vs: bool(4, 7),
  /** Report a check. */
  rac: bool(4, 6),
  /** Unit attention interlocks control. */
  uaIntlck: bits(4, 4, 2),
  /** Software write protect. */
  swp: bool(4, 3),
  /** Application tag owner. */
  ato: bool(5, 7),
  /** Task aborted status. */
  tas: bool(5, 6),
  /** Application tag mode page enabled. */
  atmpe: bool(5, 5),
  /** Reject write without protection. */
  rwwp: bool(5, 4),
  /** Supported block lengths and protection information. */
  sblp: bool(5, 3),
  autoloadMode: bits(5, 0, 3),
  /** 100 microsecond units; FFFFh = unlimited. */
  busyTimeoutPeriod: u16(8),
  /** Seconds. */
  extendedSelfTestCompletionTime: u16(10),
} as const;

/** Control Extension mode subpage (0Ah/01h), SPC-6 Table 452. */
const CONTROL_EXTENSION = {
  /** Device life control. */
  dlc: bool(4, 3),
  /** Timestamp changeable by methods outside this standard. */
  tcmos: bool(4, 2),
  /** SCSI timestamp commands take precedence. */
  scsip: bool(4, 1),
  /** Implicit asymmetric logical unit access enabled. */
  ialuae: bool(4, 0),
  initialCommandPriority: bits(5, 0, 4),
  /** 0 = no limit. */
  maximumSenseDataLength: u8(6),
} as const;

/** Protocol Specific Logical Unit mode page (18h), short format, SPC-6 Table 476. */
const PROTOCOL_SPECIFIC_LU = {
  /** SPC protocol identifier (6 = SAS). */
  protocolIdentifier: bits(2, 0, 4),
} as const;

/** SAS Protocol-Specific Logical Unit mode page (18h), SPL-5. */
const SAS_LU = {
  /** Transport layer retries. */
  tlr: bool(2, 4),
  protocolIdentifier: bits(2, 0, 4),
} as const;

/** Protocol Specific Port mode page (19h), short format, SPC-6 Table 478. */
const PROTOCOL_SPECIFIC_PORT = {
  protocolIdentifier: bits(2, 0, 4),
} as const;

/** SAS Protocol-Specific Port mode page (19h) short format, SPL-5; later fields optional (SAS-1 pages end at byte 7). */
const SAS_PORT = {
  /** Continue AWT. */
  continueAwt: bool(2, 6),
  /** Broadcast asynchronous event. */
  broadcastAsynchronousEvent: bool(2, 5),
  /** Ready LED meaning. */
  readyLedMeaning: bool(2, 4),
  protocolIdentifier: bits(2, 0, 4),
  /** Milliseconds; FFFFh = never. */
  iTNexusLossTime: u16(4),
  /** Milliseconds; 0 disables the timer. */
  initiatorResponseTimeout: u16(6),
  /** 10 microsecond units (SAS-2). */
  rejectToOpenLimit: opt(u16(8)),
  /** SPL-4. */
  maximumAllowedXferRdy: opt(u8(10)),
} as const;

/** Power Condition mode page (1Ah), SPC-6 Table 480; timers are in 100 ms units. */
const POWER_CONDITION = {
  /** Power management and background functions precedence. */
  pmBgPrecedence: bits(2, 6, 2),
  standbyY: bool(2, 0),
  idleC: bool(3, 3),
  idleB: bool(3, 2),
  idleA: bool(3, 1),
  standbyZ: bool(3, 0),
  idleAConditionTimer: u32(4),
  standbyZConditionTimer: u32(8),
  idleBConditionTimer: u32(12),
  idleCConditionTimer: u32(16),
  standbyYConditionTimer: u32(20),
  /** CHECK CONDITION if from idle_c: 1 disabled, 2 enabled. */
  ccfIdle: bits(39, 6, 2),
  ccfStandby: bits(39, 4, 2),
  ccfStopped: bits(39, 2, 2),
} as const;

/** Informational Exceptions Control mode page (1Ch), SPC-6 Table 483. */
const INFORMATIONAL_EXCEPTIONS_CONTROL = {
  /** Performance: informational exception operations must not cause delays. */
  perf: bool(2, 7),
  /** Enable background function. */
  ebf: bool(2, 5),
  /** Enable warning. */
  ewasc: bool(2, 4),
  /** Disable exception control. */
  dexcpt: bool(2, 3),
  /** Test: generate false device failures. */
  test: bool(2, 2),
  /** Enable background error reporting. */
  ebackerr: bool(2, 1),
  /** Log errors. */
  logerr: bool(2, 0),
  /** Method of reporting informational exceptions. */
  mrie: bits(3, 0, 4),
  /** 100 ms units. */
  intervalTimer: u32(4),
  reportCount: u32(8),
} as const;

/** Background Control mode subpage (1Ch/01h), SBC-5 Table 191. */
const BACKGROUND_CONTROL = {
  /** Suspend on log full. */
  sLFull: bool(4, 2),
  /** Log only when intervention required. */
  lowir: bool(4, 1),
  /** Enable background medium scan. */
  enBms: bool(4, 0),
  /** Enable pre-scan. */
  enPs: bool(5, 0),
  /** Hours. */
  backgroundMediumScanIntervalTime: u16(6),
  /** Hours; 0 = no limit. */
  backgroundPrescanTimeLimit: u16(8),
  /** Milliseconds. */
  minimumIdleTimeBeforeBackgroundScan: u16(10),
  /** Milliseconds. */
  maximumTimeToSuspendBackgroundScan: u16(12),
} as const;

const layout = <T extends ModeFieldTable>(
  name: ModePageName,
  pageCode: number,
  subpageCode: number,
  standardLength: number,
  fields: T,
): ModePageLayout<T> => ({ name, pageCode, subpageCode, spf: subpageCode !== 0, standardLength, fields });

export const READ_WRITE_ERROR_RECOVERY_LAYOUT = layout(
  'readWriteErrorRecovery',
  0x01,
  0,
  12,
  READ_WRITE_ERROR_RECOVERY,
);
export const DISCONNECT_RECONNECT_LAYOUT = layout('disconnectReconnect', 0x02, 0, 16, DISCONNECT_RECONNECT);
export const FORMAT_LAYOUT = layout('format', 0x03, 0, 24, FORMAT);
export const RIGID_DISK_GEOMETRY_LAYOUT = layout('rigidDiskGeometry', 0x04, 0, 24, RIGID_DISK_GEOMETRY);
export const VERIFY_ERROR_RECOVERY_LAYOUT = layout('verifyErrorRecovery', 0x07, 0, 12, VERIFY_ERROR_RECOVERY);
export const CACHING_LAYOUT = layout('caching', 0x08, 0, 20, CACHING);
export const CONTROL_LAYOUT = layout('control', 0x0a, 0, 12, CONTROL);
export const CONTROL_EXTENSION_LAYOUT = layout('controlExtension', 0x0a, 0x01, 32, CONTROL_EXTENSION);
export const PROTOCOL_SPECIFIC_LU_LAYOUT = layout('protocolSpecificLu', 0x18, 0, 8, PROTOCOL_SPECIFIC_LU);
export const SAS_LU_LAYOUT = layout('sasLu', 0x18, 0, 8, SAS_LU);
export const PROTOCOL_SPECIFIC_PORT_LAYOUT = layout(
  'protocolSpecificPort',
  0x19,
  0,
  8,
  PROTOCOL_SPECIFIC_PORT,
);
export const SAS_PORT_LAYOUT = layout('sasPort', 0x19, 0, 16, SAS_PORT);
export const POWER_CONDITION_LAYOUT = layout('powerCondition', 0x1a, 0, 40, POWER_CONDITION);
export const INFORMATIONAL_EXCEPTIONS_CONTROL_LAYOUT = layout(
  'informationalExceptionsControl',
  0x1c,
  0,
  12,
  INFORMATIONAL_EXCEPTIONS_CONTROL,
);
export const BACKGROUND_CONTROL_LAYOUT = layout('backgroundControl', 0x1c, 0x01, 16, BACKGROUND_CONTROL);

export type ReadWriteErrorRecoveryPage = FieldsOf<typeof READ_WRITE_ERROR_RECOVERY>;
export type DisconnectReconnectPage = FieldsOf<typeof DISCONNECT_RECONNECT>;
export type FormatPage = FieldsOf<typeof FORMAT>;
export type RigidDiskGeometryPage = FieldsOf<typeof RIGID_DISK_GEOMETRY>;
export type VerifyErrorRecoveryPage = FieldsOf<typeof VERIFY_ERROR_RECOVERY>;
export type CachingPage = FieldsOf<typeof CACHING>;
export type ControlPage = FieldsOf<typeof CONTROL>;
export type ControlExtensionPage = FieldsOf<typeof CONTROL_EXTENSION>;
export type ProtocolSpecificLuPage = FieldsOf<typeof PROTOCOL_SPECIFIC_LU>;
export type SasLuPage = FieldsOf<typeof SAS_LU>;
export type ProtocolSpecificPortPage = FieldsOf<typeof PROTOCOL_SPECIFIC_PORT>;
export type SasPortPage = FieldsOf<typeof SAS_PORT>;
export type PowerConditionPage = FieldsOf<typeof POWER_CONDITION>;
export type InformationalExceptionsControlPage = FieldsOf<typeof INFORMATIONAL_EXCEPTIONS_CONTROL>;
export type BackgroundControlPage = FieldsOf<typeof BACKGROUND_CONTROL>;

/** SPC protocol identifier for SAS (SPL). */
export const PROTOCOL_IDENTIFIER_SAS = PROTOCOL_IDENTIFIER.sas;

// ---------------------------------------------------------------------------------------------
// Generic page framing helpers (the page header itself is read in ./mode-frame.ts)
// ---------------------------------------------------------------------------------------------

/** Reads a single page's bytes, checking the code; the reader covers exactly the page's declared bytes. */
function pageReader(layout: ModePageLayout, page: ByteSource): ByteReader {
  const r = new ByteReader(page);
  const frame = readModePageFrame(r, 0);
  if (frame.pageCode !== layout.pageCode || frame.subpageCode !== layout.subpageCode) {
    throw new DecodeError(
      'pageCode',
      `expected mode page ${pageId(layout.pageCode, layout.subpageCode)}, got ${pageId(frame.pageCode, frame.subpageCode)}`,
      0,
    );
  }
  if (frame.spf !== layout.spf) {
    throw new DecodeError(
      'spf',
      `page ${pageId(layout.pageCode, layout.subpageCode)} requires SPF=${layout.spf ? 1 : 0}`,
      0,
    );
  }
  const end = frame.headerLength + frame.pageLength;
  if (end > r.length) {
    throw new DecodeError(
      'pageLength',
      `page length ${frame.pageLength} exceeds the ${r.length} byte(s) given`,
      0,
    );
  }
  return new ByteReader(r.bytes.subarray(0, end));
}

function pageId(pageCode: number, subpageCode: number): string {
  const h = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;
  return subpageCode === 0 ? h(pageCode) : `${h(pageCode)}/${h(subpageCode)}`;
}

function fieldSize(spec: ModeFieldSpec): number {
  switch (spec.kind) {
    case 'bool':
    case 'bits':
      return 1;
    case 'uint':
      return spec.size;
    case 'u64':
      return 8;
  }
}

function readField(r: ByteReader, name: string, spec: ModeFieldSpec): boolean | number | bigint {
  switch (spec.kind) {
    case 'bool':
      return r.bit(spec.offset, spec.bit, name);
    case 'bits':
      return r.bits(spec.offset, spec.lsb, spec.width, name);
    case 'uint':
      switch (spec.size) {
        case 1:
          return r.u8(spec.offset, name);
        case 2:
          return r.u16(spec.offset, name);
        case 3:
          return r.u24(spec.offset, name);
        case 4:
          return r.u32(spec.offset, name);
      }
      break;
    case 'u64':
      return r.u64(spec.offset, name);
  }
  throw new DecodeError(name, 'unsupported field layout');
}

/** Decodes the fields of `layout` from one complete page (header included). */
export function decodeModePageFields<T extends ModeFieldTable>(
  layout: ModePageLayout<T>,
  page: ByteSource,
): FieldsOf<T> {
  const r = pageReader(layout, page);
  const out: Record<string, boolean | number | bigint> = {};
  for (const [name, spec] of Object.entries(layout.fields)) {
    if (spec.optional === true && !r.has(spec.offset, fieldSize(spec))) continue;
    out[name] = readField(r, name, spec);
  }
  return out as FieldsOf<T>;
}

/** Per byte offset, the bits a field occupies. */
export function fieldMask(spec: ModeFieldSpec): Array<[offset: number, mask: number]> {
  switch (spec.kind) {
    case 'bool':
      return [[spec.offset, 1 << spec.bit]];
    case 'bits':
      return [[spec.offset, ((1 << spec.width) - 1) << spec.lsb]];
    default: {
      const size = fieldSize(spec);
      return Array.from({ length: size }, (_, i): [number, number] => [spec.offset + i, 0xff]);
    }
  }
}

function writeField(buf: Uint8Array, name: string, spec: ModeFieldSpec, value: unknown): void {
  if (spec.offset + fieldSize(spec) > buf.length) {
    throw new CdbBuildError(name, `does not fit: the page is only ${buf.length} byte(s) long`);
  }
  switch (spec.kind) {
    case 'bool': {
      if (typeof value !== 'boolean') throw new CdbBuildError(name, `must be a boolean, got ${typeof value}`);
      const m = 1 << spec.bit;
      buf[spec.offset] = ((buf[spec.offset] as number) & ~m) | (value ? m : 0);
      return;
    }
    case 'bits': {
      const v = checkUint(value as number, spec.width, name);
      const m = ((1 << spec.width) - 1) << spec.lsb;
      buf[spec.offset] = ((buf[spec.offset] as number) & ~m) | (v << spec.lsb);
      return;
    }
    case 'uint': {
      const v = checkUint(value as number, spec.size * 8, name);
      if (spec.size === 1) buf[spec.offset] = v;
      else if (spec.size === 2) putU16(buf, spec.offset, v);
      else if (spec.size === 3) putU24(buf, spec.offset, v);
      else putU32(buf, spec.offset, v);
      return;
    }
    case 'u64': {
      if (typeof value !== 'bigint' && typeof value !== 'number') {
        throw new CdbBuildError(name, `must be a bigint, got ${typeof value}`);
      }
      putU64(buf, spec.offset, checkBigUint(value, 64, name));
      return;
    }
  }
}

/** Writes page code (PS cleared, as MODE SELECT requires), subpage and page length. */
function writePageHeader(buf: Uint8Array, layout: ModePageLayout): void {
  if (layout.spf) {
    buf[0] = 0x40 | layout.pageCode;
    buf[1] = layout.subpageCode;
    putU16(buf, 2, buf.length - 4);
  } else {
    buf[0] = layout.pageCode;
    buf[1] = buf.length - 2;
  }
}

/**
 * Encodes a typed page. Fields not given keep their bits from `base` (typically the page's `raw`
 * from MODE SENSE, which also preserves vendor and reserved bits and any bytes beyond the fields
 * this layout knows); without a base the page is the standard length with every other bit zero.
 * The PS bit is always cleared: MODE SELECT rejects pages with PS set.
 */
export function encodeModePageFields<T extends ModeFieldTable>(
  layout: ModePageLayout<T>,
  fields: Partial<FieldsOf<T>>,
  base?: ByteSource,
): Uint8Array {
  let buf: Uint8Array;
  if (base === undefined) {
    buf = new Uint8Array(layout.standardLength);
  } else {
    let r: ByteReader;
    try {
      r = pageReader(layout, base);
    } catch (e) {
      if (e instanceof DecodeError) throw new CdbBuildError('base', e.message);
      throw e;
    }
    buf = r.bytes.slice();
  }
  writePageHeader(buf, layout);
  const given = fields as Readonly<Record<string, unknown>>;
  for (const [name, spec] of Object.entries(layout.fields)) {
    const value = given[name];
    if (value === undefined) continue;
    writeField(buf, name, spec, value);
  }
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Per-page decoders / encoders
// ---------------------------------------------------------------------------------------------

/** Read-Write Error Recovery (01h). `page` is one complete page, header included. */
export function decodeReadWriteErrorRecoveryPage(page: ByteSource): ReadWriteErrorRecoveryPage {
  return decodeModePageFields(READ_WRITE_ERROR_RECOVERY_LAYOUT, page);
}
export function encodeReadWriteErrorRecoveryPage(
  fields: Partial<ReadWriteErrorRecoveryPage>,
  base?: ByteSource,
): Uint8Array {
  return encodeModePageFields(READ_WRITE_ERROR_RECOVERY_LAYOUT, fields, base);
}

export function decodeDisconnectReconnectPage(page: ByteSource): DisconnectReconnectPage {
  return decodeModePageFields(DISCONNECT_RECONNECT_LAYOUT, page);
}
export function encodeDisconnectReconnectPage(
  fields: Partial<DisconnectReconnectPage>,
  base?: ByteSource,
): Uint8Array {
  return encodeModePageFields(DISCONNECT_RECONNECT_LAYOUT, fields, base);
}

export function decodeFormatPage(page: ByteSource): FormatPage {
  return decodeModePageFields(FORMAT_LAYOUT, page);
}
export function encodeFormatPage(fields: Partial<FormatPage>, base?: ByteSource): Uint8Array {
  return encodeModePageFields(FORMAT_LAYOUT, fields, base);
}

export function decodeRigidDiskGeometryPage(page: ByteSource): RigidDiskGeometryPage {
  return decodeModePageFields(RIGID_DISK_GEOMETRY_LAYOUT, page);
}
export function encodeRigidDiskGeometryPage(
  fields: Partial<RigidDiskGeometryPage>,
  base?: ByteSource,
): Uint8Array {
  return encodeModePageFields(RIGID_DISK_GEOMETRY_LAYOUT, fields, base);
}

export function decodeVerifyErrorRecoveryPage(page: ByteSource): VerifyErrorRecoveryPage {
  return decodeModePageFields(VERIFY_ERROR_RECOVERY_LAYOUT, page);
}
export function encodeVerifyErrorRecoveryPage(
  fields: Partial<VerifyErrorRecoveryPage>,
  base?: ByteSource,
): Uint8Array {
  return encodeModePageFields(VERIFY_ERROR_RECOVERY_LAYOUT, fields, base);
}

/** Caching (08h). To turn the write cache off: `encodeCachingPage({ wce: false }, current.raw)`. */
export function decodeCachingPage(page: ByteSource): CachingPage {
  return decodeModePageFields(CACHING_LAYOUT, page);
}
export function encodeCachingPage(fields: Partial<CachingPage>, base?: ByteSource): Uint8Array {
  return encodeModePageFields(CACHING_LAYOUT, fields, base);
}

export function decodeControlPage(page: ByteSource): ControlPage {
  return decodeModePageFields(CONTROL_LAYOUT, page);
}
export function encodeControlPage(fields: Partial<ControlPage>, base?: ByteSource): Uint8Array {
  return encodeModePageFields(CONTROL_LAYOUT, fields, base);
}

export function decodeControlExtensionPage(page: ByteSource): ControlExtensionPage {
  return decodeModePageFields(CONTROL_EXTENSION_LAYOUT, page);
}
export function encodeControlExtensionPage(
  fields: Partial<ControlExtensionPage>,
  base?: ByteSource,
): Uint8Array {
  return encodeModePageFields(CONTROL_EXTENSION_LAYOUT, fields, base);
}

/** Protocol Specific Logical Unit (18h), any protocol: only the protocol identifier is common. */
export function decodeProtocolSpecificLuPage(page: ByteSource): ProtocolSpecificLuPage {
  return decodeModePageFields(PROTOCOL_SPECIFIC_LU_LAYOUT, page);
}
export function encodeProtocolSpecificLuPage(
  fields: Partial<ProtocolSpecificLuPage>,
  base?: ByteSource,
): Uint8Array {
  return encodeModePageFields(PROTOCOL_SPECIFIC_LU_LAYOUT, fields, base);
}

/** SAS Protocol-Specific Logical Unit (18h); throws when the protocol identifier is not SAS. */
export function decodeSasLuPage(page: ByteSource): SasLuPage {
  const fields = decodeModePageFields(SAS_LU_LAYOUT, page);
  if (fields.protocolIdentifier !== PROTOCOL_IDENTIFIER_SAS) {
    throw new DecodeError('protocolIdentifier', `expected SAS (6), got ${fields.protocolIdentifier}`, 2);
  }
  return fields;
}
export function encodeSasLuPage(fields: Partial<SasLuPage>, base?: ByteSource): Uint8Array {
  return encodeModePageFields(
    SAS_LU_LAYOUT,
    { protocolIdentifier: PROTOCOL_IDENTIFIER_SAS, ...fields },
    base,
  );
}

/** Protocol Specific Port (19h) short format, any protocol. */
export function decodeProtocolSpecificPortPage(page: ByteSource): ProtocolSpecificPortPage {
  return decodeModePageFields(PROTOCOL_SPECIFIC_PORT_LAYOUT, page);
}
export function encodeProtocolSpecificPortPage(
  fields: Partial<ProtocolSpecificPortPage>,
  base?: ByteSource,
): Uint8Array {
  return encodeModePageFields(PROTOCOL_SPECIFIC_PORT_LAYOUT, fields, base);
}

/** SAS Protocol-Specific Port (19h) short format; throws when the protocol identifier is not SAS. */
export function decodeSasPortPage(page: ByteSource): SasPortPage {
  const fields = decodeModePageFields(SAS_PORT_LAYOUT, page);
  if (fields.protocolIdentifier !== PROTOCOL_IDENTIFIER_SAS) {
    throw new DecodeError('protocolIdentifier', `expected SAS (6), got ${fields.protocolIdentifier}`, 2);
  }
  return fields;
}
export function encodeSasPortPage(fields: Partial<SasPortPage>, base?: ByteSource): Uint8Array {
  return encodeModePageFields(
    SAS_PORT_LAYOUT,
    { protocolIdentifier: PROTOCOL_IDENTIFIER_SAS, ...fields },
    base,
  );
}

export function decodePowerConditionPage(page: ByteSource): PowerConditionPage {
  return decodeModePageFields(POWER_CONDITION_LAYOUT, page);
}
export function encodePowerConditionPage(fields: Partial<PowerConditionPage>, base?: ByteSource): Uint8Array {
  return encodeModePageFields(POWER_CONDITION_LAYOUT, fields, base);
}

export function decodeInformationalExceptionsControlPage(
  page: ByteSource,
): InformationalExceptionsControlPage {
  return decodeModePageFields(INFORMATIONAL_EXCEPTIONS_CONTROL_LAYOUT, page);
}
export function encodeInformationalExceptionsControlPage(
  fields: Partial<InformationalExceptionsControlPage>,
  base?: ByteSource,
): Uint8Array {
  return encodeModePageFields(INFORMATIONAL_EXCEPTIONS_CONTROL_LAYOUT, fields, base);
}

export function decodeBackgroundControlPage(page: ByteSource): BackgroundControlPage {
  return decodeModePageFields(BACKGROUND_CONTROL_LAYOUT, page);
}
export function encodeBackgroundControlPage(
  fields: Partial<BackgroundControlPage>,
  base?: ByteSource,
): Uint8Array {
  return encodeModePageFields(BACKGROUND_CONTROL_LAYOUT, fields, base);
}

// ---------------------------------------------------------------------------------------------
// Application Tag mode subpage (0Ah/02h): a list of descriptors, not a fixed layout
// ---------------------------------------------------------------------------------------------

/** One application tag descriptor, SBC-5 Table 188. */
export interface ApplicationTagDescriptor {
  /** This is the last valid descriptor. */
  last: boolean;
  logicalBlockApplicationTag: number;
  logicalBlockAddress: bigint;
  logicalBlockCount: bigint;
}

export interface ApplicationTagPage {
  descriptors: ApplicationTagDescriptor[];
}

const APPLICATION_TAG_HEADER = 16;
const APPLICATION_TAG_DESCRIPTOR = 24;

/** Application Tag (0Ah/02h): 12 reserved bytes after the header, then 24-byte descriptors. */
export function decodeApplicationTagPage(page: ByteSource): ApplicationTagPage {
  const frameReader = new ByteReader(page);
  const frame = readModePageFrame(frameReader, 0);
  if (frame.pageCode !== 0x0a || frame.subpageCode !== 0x02 || !frame.spf) {
    throw new DecodeError(
      'pageCode',
      `expected mode page 0x0a/0x02, got ${pageId(frame.pageCode, frame.subpageCode)}`,
      0,
    );
  }
  const end = 4 + frame.pageLength;
  if (end > frameReader.length) {
    throw new DecodeError(
      'pageLength',
      `page length ${frame.pageLength} exceeds the ${frameReader.length} byte(s) given`,
      2,
    );
  }
  if (end < APPLICATION_TAG_HEADER || (end - APPLICATION_TAG_HEADER) % APPLICATION_TAG_DESCRIPTOR !== 0) {
    throw new DecodeError('pageLength', `must be 12 plus a multiple of 24, got ${frame.pageLength}`, 2);
  }
  const descriptors: ApplicationTagDescriptor[] = [];
  for (let o = APPLICATION_TAG_HEADER; o < end; o += APPLICATION_TAG_DESCRIPTOR) {
    descriptors.push({
      last: frameReader.bit(o, 7, 'last'),
      logicalBlockApplicationTag: frameReader.u16(o + 6, 'logicalBlockApplicationTag'),
      logicalBlockAddress: frameReader.u64(o + 8, 'logicalBlockAddress'),
      logicalBlockCount: frameReader.u64(o + 16, 'logicalBlockCount'),
    });
  }
  return { descriptors };
}

/** Encodes an Application Tag subpage (PS clear, reserved bytes zero). */
export function encodeApplicationTagPage(fields: ApplicationTagPage): Uint8Array {
  const n = fields.descriptors.length;
  const length = APPLICATION_TAG_HEADER + n * APPLICATION_TAG_DESCRIPTOR;
  if (length - 4 > 0xffff)
    throw new CdbBuildError('descriptors', `too many descriptors (${n})`, '65535-byte page');
  const buf = new Uint8Array(length);
  buf[0] = 0x40 | 0x0a;
  buf[1] = 0x02;
  putU16(buf, 2, length - 4);
  fields.descriptors.forEach((d, i) => {
    const o = APPLICATION_TAG_HEADER + i * APPLICATION_TAG_DESCRIPTOR;
    if (d.last) buf[o] = 0x80;
    putU16(
      buf,
      o + 6,
      checkUint(d.logicalBlockApplicationTag, 16, `descriptors[${i}].logicalBlockApplicationTag`),
    );
    putU64(buf, o + 8, checkBigUint(d.logicalBlockAddress, 64, `descriptors[${i}].logicalBlockAddress`));
    putU64(buf, o + 16, checkBigUint(d.logicalBlockCount, 64, `descriptors[${i}].logicalBlockCount`));
  });
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Dispatcher
// ---------------------------------------------------------------------------------------------

type Tagged<N extends ModePageName, F> = { page: N } & F;

/** Typed fields of a known page; narrow on `page`. */
export type ModePageFields =
  | Tagged<'readWriteErrorRecovery', ReadWriteErrorRecoveryPage>
  | Tagged<'disconnectReconnect', DisconnectReconnectPage>
  | Tagged<'format', FormatPage>
  | Tagged<'rigidDiskGeometry', RigidDiskGeometryPage>
  | Tagged<'verifyErrorRecovery', VerifyErrorRecoveryPage>
  | Tagged<'caching', CachingPage>
  | Tagged<'control', ControlPage>
  | Tagged<'controlExtension', ControlExtensionPage>
  | Tagged<'applicationTag', ApplicationTagPage>
  | Tagged<'protocolSpecificLu', ProtocolSpecificLuPage>
  | Tagged<'sasLu', SasLuPage>
  | Tagged<'protocolSpecificPort', ProtocolSpecificPortPage>
  | Tagged<'sasPort', SasPortPage>
  | Tagged<'powerCondition', PowerConditionPage>
  | Tagged<'informationalExceptionsControl', InformationalExceptionsControlPage>
  | Tagged<'backgroundControl', BackgroundControlPage>;

const FIXED_LAYOUTS: readonly ModePageLayout[] = [
  READ_WRITE_ERROR_RECOVERY_LAYOUT,
  DISCONNECT_RECONNECT_LAYOUT,
  FORMAT_LAYOUT,
  RIGID_DISK_GEOMETRY_LAYOUT,
  VERIFY_ERROR_RECOVERY_LAYOUT,
  CACHING_LAYOUT,
  CONTROL_LAYOUT,
  CONTROL_EXTENSION_LAYOUT,
  POWER_CONDITION_LAYOUT,
  INFORMATIONAL_EXCEPTIONS_CONTROL_LAYOUT,
  BACKGROUND_CONTROL_LAYOUT,
];

/**
 * The layout table for a page, or undefined when the page has no fixed-layout decoder.
 * Pages 18h/19h choose the SAS layout when byte 2 names SAS, else the protocol-neutral one.
 * These are SBC/SPC layouts: pages 01h-08h mean something else on tape or optical devices.
 */
export function findModePageLayout(
  pageCode: number,
  subpageCode: number,
  page?: Uint8Array,
): ModePageLayout | undefined {
  if ((pageCode === 0x18 || pageCode === 0x19) && subpageCode === 0) {
    const sas =
      page !== undefined && page.length > 2 && ((page[2] as number) & 0x0f) === PROTOCOL_IDENTIFIER_SAS;
    if (pageCode === 0x18) return sas ? SAS_LU_LAYOUT : PROTOCOL_SPECIFIC_LU_LAYOUT;
    return sas ? SAS_PORT_LAYOUT : PROTOCOL_SPECIFIC_PORT_LAYOUT;
  }
  return FIXED_LAYOUTS.find((l) => l.pageCode === pageCode && l.subpageCode === subpageCode);
}

/**
 * Typed fields for one complete page, or undefined for pages without a typed decoder
 * (vendor pages, command duration limits 0Ah/03h-04h, IO advice hints 0Ah/05h, background
 * operation control 0Ah/06h, SAS subpages of 19h …). Throws DecodeError when the page is
 * too short for its layout.
 */
export function decodeKnownModePage(page: ByteSource): ModePageFields | undefined {
  const bytes = toBytes(page);
  const frame = readModePageFrame(new ByteReader(bytes), 0);
  if (frame.pageCode === 0x0a && frame.subpageCode === 0x02 && frame.spf) {
    return { page: 'applicationTag', ...decodeApplicationTagPage(bytes) };
  }
  const found = findModePageLayout(frame.pageCode, frame.subpageCode, bytes);
  if (found === undefined) return undefined;
  const fields = decodeModePageFields(found, bytes);
  return { page: found.name, ...fields } as ModePageFields;
}

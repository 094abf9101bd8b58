/**
 * SAT-5 ATA PASS-THROUGH (12) A1h, (16) 85h and (32) 7Fh/1FF0h with typed ATA registers, plus
 * ready-made IDENTIFY DEVICE, SMART READ DATA, SMART READ LOG and READ LOG EXT commands.
 *
 * The SCSI transfer length is not in the CDB: it follows from T_LENGTH (which ATA register holds
 * the length), BYTE_BLOCK and T_TYPE, so the builder computes it (or takes `transferLength`).
 */
import { z } from 'zod';
import { checkParams, lookup, show } from '../args.js';
import { checkBigUint, checkUint, putU16, putU32 } from '../bytes.js';
import { CdbBuildError } from '../errors.js';
import type { CdbSpec, DataDirection } from '../types.js';
import { flag, optUint, zUint } from './cdb-spec.js';

export const ATA_PASS_THROUGH_12_OPCODE = 0xa1;
export const ATA_PASS_THROUGH_16_OPCODE = 0x85;
export const ATA_PASS_THROUGH_32_SA = 0x1ff0;

/** SAT PROTOCOL field values (SAT-5 PROTOCOL field table). 2, 7, 13 and 14 are reserved/obsolete. */
export const ATA_PROTOCOL = {
  hardReset: 0,
  softReset: 1,
  nonData: 3,
  pioIn: 4,
  pioOut: 5,
  dma: 6,
  deviceDiagnostic: 8,
  deviceReset: 9,
  udmaIn: 10,
  udmaOut: 11,
  fpdma: 12,
  returnResponseInfo: 15,
} as const;
export type AtaProtocol = keyof typeof ATA_PROTOCOL;

/** T_LENGTH field: where the ATA command keeps its transfer length (SAT-5 T_LENGTH field table). */
export const ATA_T_LENGTH = { none: 0, features: 1, count: 2, tpsiu: 3 } as const;
export type AtaTLength = keyof typeof ATA_T_LENGTH;

/** ATA command codes used by the helpers (ACS-4). */
export const ATA_COMMAND = {
  identifyDevice: 0xec,
  smart: 0xb0,
  readLogExt: 0x2f,
} as const;
/** SMART feature codes and the LBA signature every SMART command carries (LBA mid 4Fh, high C2h). */
export const ATA_SMART = {
  readData: 0xd0,
  readThresholds: 0xd1,
  readLog: 0xd5,
  returnStatus: 0xda,
  lbaSignature: 0xc24f00,
} as const;

const NO_DATA: ReadonlySet<AtaProtocol> = new Set<AtaProtocol>([
  'hardReset',
  'softReset',
  'nonData',
  'deviceDiagnostic',
  'deviceReset',
  'returnResponseInfo',
]);
const FIXED_DIR: Partial<Record<AtaProtocol, DataDirection>> = {
  pioIn: 'in',
  udmaIn: 'in',
  pioOut: 'out',
  udmaOut: 'out',
};

/** ATA registers and SAT control fields of an ATA PASS-THROUGH command. */
export interface AtaPassThroughParams {
  readonly protocol: AtaProtocol;
  /** ATA COMMAND register. */
  readonly command: number;
  /** FEATURES: 8 bits unless `extend` (or the 32-byte CDB with `extend`), then 16. @default 0 */
  readonly features?: number;
  /** COUNT: 8 bits unless `extend`, then 16. @default 0 */
  readonly count?: number;
  /**
   * LBA: 24 bits unless `extend` (48 bits). For 28-bit commands put LBA(27:24) in `device`
   * bits 3-0 yourself: SAT has no other place for them. @default 0
   */
  readonly lba?: bigint | number;
  /** DEVICE register. @default 0 */
  readonly device?: number;
  /** Which register holds the transfer length. @default 'count' for data protocols, else 'none' */
  readonly tLength?: AtaTLength;
  /** T_DIR. Implied by pioIn/pioOut/udmaIn/udmaOut; required for dma and fpdma; encoded as given otherwise. */
  readonly tDir?: 'in' | 'out';
  /** BYTE_BLOCK: the length counts blocks (true) or bytes (false). @default true with data, false without */
  readonly byteBlock?: boolean;
  /** T_TYPE: blocks are logical sectors (true) or 512 bytes (false). @default false */
  readonly tType?: boolean;
  /** CK_COND: return the ATA registers in sense data even on success. @default false */
  readonly ckCond?: boolean;
  /** OFF_LINE (2 bits): seconds = 2^offline − 2 the SATL waits before checking status. @default 0 */
  readonly offline?: number;
  /** EXTEND: a 48-bit command (not available in the 12-byte CDB). @default false */
  readonly extend?: boolean;
  /** MULTIPLE_COUNT (3 bits) for READ/WRITE MULTIPLE. @default 0 */
  readonly multipleCount?: number;
  /** 32-byte CDB only: ICC (isochronous command completion). @default 0 */
  readonly icc?: number;
  /** 32-byte CDB only: AUXILIARY (32 bits). @default 0 */
  readonly auxiliary?: number;
  /** Logical sector size used when `tType` is set. @default 512 */
  readonly logicalSectorSize?: number;
  /**
   * Bytes to transfer, overriding the computed value. Required with `tLength: 'tpsiu'` and when the
   * length register is 0 (in ATA, a COUNT of 0 can mean 256 or 65536 sectors).
   */
  readonly transferLength?: number;
  /** @default 0 */
  readonly control?: number;
}

const protocolNames = Object.keys(ATA_PROTOCOL) as [AtaProtocol, ...AtaProtocol[]];

export const AtaPassThroughParamsSchema = z.strictObject({
  protocol: z.enum(protocolNames),
  command: zUint(8),
  features: zUint(16).optional(),
  count: zUint(16).optional(),
  lba: z
    .union([
      z
        .bigint()
        .min(0n)
        .max((1n << 48n) - 1n),
      zUint(48),
    ])
    .optional(),
  device: zUint(8).optional(),
  tLength: z.enum(['none', 'features', 'count', 'tpsiu']).optional(),
  tDir: z.enum(['in', 'out']).optional(),
  byteBlock: z.boolean().optional(),
  tType: z.boolean().optional(),
  ckCond: z.boolean().optional(),
  offline: zUint(2).optional(),
  extend: z.boolean().optional(),
  multipleCount: zUint(3).optional(),
  icc: zUint(8).optional(),
  auxiliary: zUint(32).optional(),
  logicalSectorSize: zUint(32).min(1).optional(),
  transferLength: zUint(32).optional(),
  control: zUint(8).optional(),
});

export type AtaCdbSize = 12 | 16 | 32;

interface Resolved {
  readonly protocol: number;
  readonly features: number;
  readonly count: number;
  readonly lba: bigint;
  readonly device: number;
  readonly command: number;
  readonly byte1: number;
  readonly flags: number;
  readonly control: number;
  readonly icc: number;
  readonly auxiliary: number;
  readonly direction: DataDirection;
  readonly transferLength: number;
}

function resolve(p: AtaPassThroughParams, size: AtaCdbSize, name: string): Resolved {
  const protocol = lookup(ATA_PROTOCOL, p.protocol);
  if (protocol === undefined) {
    throw new CdbBuildError('protocol', `must be one of ${Object.keys(ATA_PROTOCOL).join(', ')}`);
  }
  const extend = p.extend === true;
  if (size === 12 && extend) throw new CdbBuildError('extend', `is not available in ${name} (use 16 or 32)`);
  const wide = extend;
  const command = checkUint(p.command, 8, 'command');
  const features = optUint(p.features, wide ? 16 : 8, 'features');
  const count = optUint(p.count, wide ? 16 : 8, 'count');
  const lba = checkBigUint(p.lba ?? 0, wide ? 48 : 24, 'lba');
  const device = optUint(p.device, 8, 'device');
  const offline = optUint(p.offline, 2, 'offline');
  const multipleCount = optUint(p.multipleCount, 3, 'multipleCount');
  const control = optUint(p.control, 8, 'control');
  let icc = 0;
  let auxiliary = 0;
  if (size === 32) {
    icc = optUint(p.icc, 8, 'icc');
    auxiliary = optUint(p.auxiliary, 32, 'auxiliary');
  } else {
    if ((p.icc ?? 0) !== 0) throw new CdbBuildError('icc', `is not available in ${name} (32-byte CDB only)`);
    if ((p.auxiliary ?? 0) !== 0) {
      throw new CdbBuildError('auxiliary', `is not available in ${name} (32-byte CDB only)`);
    }
  }

  const noData = NO_DATA.has(p.protocol);
  const tLengthName: AtaTLength = p.tLength ?? (noData ? 'none' : 'count');
  const tLength = ATA_T_LENGTH[tLengthName];
  if (tLength === undefined) throw new CdbBuildError('tLength', 'must be none, features, count or tpsiu');
  if (noData && tLength !== 0) {
    throw new CdbBuildError('tLength', `must be 'none' for the ${p.protocol} protocol (no data phase)`);
  }
  if (!noData && tLength === 0) {
    throw new CdbBuildError(
      'tLength',
      `the ${p.protocol} protocol moves data; say which register holds the length`,
    );
  }
  const fixed = FIXED_DIR[p.protocol];
  let tDir: DataDirection = 'none';
  if (!noData) {
    if (fixed !== undefined) {
      if (p.tDir !== undefined && p.tDir !== fixed) {
        throw new CdbBuildError('tDir', `must be '${fixed}' for the ${p.protocol} protocol`);
      }
      tDir = fixed;
    } else if (p.tDir === undefined) {
      throw new CdbBuildError('tDir', `is required for the ${p.protocol} protocol`);
    } else {
      tDir = p.tDir;
    }
  }
  // Without a data phase T_DIR is encoded as given (some SATLs look at it) but moves nothing.
  const tDirBit = (noData ? p.tDir : tDir) === 'in' ? 0x08 : 0;
  const byteBlock = p.byteBlock ?? !noData;
  const tType = p.tType === true;

  let transferLength = 0;
  if (tLength !== 0) {
    if (p.transferLength !== undefined) {
      transferLength = checkUint(p.transferLength, 32, 'transferLength');
    } else if (tLengthName === 'tpsiu') {
      throw new CdbBuildError('transferLength', "is required with tLength 'tpsiu'");
    } else {
      const field = tLengthName === 'features' ? 'features' : 'count';
      const units = tLengthName === 'features' ? features : count;
      if (units === 0) {
        throw new CdbBuildError(
          field,
          'is 0, which ATA may read as 256/65536 blocks; pass transferLength explicitly',
        );
      }
      const unit = byteBlock ? (tType ? optUint(p.logicalSectorSize, 32, 'logicalSectorSize', 512) : 512) : 1;
      if (unit === 0) throw new CdbBuildError('logicalSectorSize', 'must be at least 1');
      transferLength = units * unit;
    }
  }
  const direction: DataDirection = transferLength === 0 ? 'none' : tDir;

  const byte1 = (multipleCount << 5) | (protocol << 1) | (extend ? 1 : 0);
  const flags =
    (offline << 6) |
    flag(p.ckCond, 5, 'ckCond') |
    (tType ? 0x10 : 0) |
    tDirBit |
    (byteBlock ? 0x04 : 0) |
    tLength;
  return {
    protocol,
    features,
    count,
    lba,
    device,
    command,
    byte1,
    flags,
    control,
    icc,
    auxiliary,
    direction,
    transferLength,
  };
}

function lbaBytes(lba: bigint): number[] {
  // [LBA 7:0, 15:8, 23:16, 31:24, 39:32, 47:40]
  const out: number[] = [];
  for (let i = 0n; i < 6n; i++) out.push(Number((lba >> (8n * i)) & 0xffn));
  return out;
}

/** ATA PASS-THROUGH(12), A1h (SAT-5 ATA PASS-THROUGH (12) table): 28-bit commands only. */
export function buildAtaPassThrough12(p: AtaPassThroughParams): CdbSpec {
  checkParams(p, 'p');
  const name = 'ATA PASS-THROUGH(12)';
  const r = resolve(p, 12, name);
  const l = lbaBytes(r.lba);
  const cdb = new Uint8Array(12);
  cdb[0] = ATA_PASS_THROUGH_12_OPCODE;
  cdb[1] = r.byte1;
  cdb[2] = r.flags;
  cdb[3] = r.features;
  cdb[4] = r.count;
  cdb[5] = l[0] as number;
  cdb[6] = l[1] as number;
  cdb[7] = l[2] as number;
  cdb[8] = r.device;
  cdb[9] = r.command;
  cdb[11] = r.control;
  return { cdb, direction: r.direction, transferLength: r.transferLength, name };
}

/**
 * ATA PASS-THROUGH(16), 85h (SAT-5 ATA PASS-THROUGH (16) table). The "previous"/ext bytes
 * interleave: byte 7 LBA(31:24), 8 LBA(7:0), 9 LBA(39:32), 10 LBA(15:8), 11 LBA(47:40), 12 LBA(23:16).
 */
export function buildAtaPassThrough16(p: AtaPassThroughParams): CdbSpec {
  checkParams(p, 'p');
  const name = 'ATA PASS-THROUGH(16)';
  const r = resolve(p, 16, name);
  const l = lbaBytes(r.lba);
  const cdb = new Uint8Array(16);
  cdb[0] = ATA_PASS_THROUGH_16_OPCODE;
  cdb[1] = r.byte1;
  cdb[2] = r.flags;
  putU16(cdb, 3, r.features);
  putU16(cdb, 5, r.count);
  cdb[7] = l[3] as number;
  cdb[8] = l[0] as number;
  cdb[9] = l[4] as number;
  cdb[10] = l[1] as number;
  cdb[11] = l[5] as number;
  cdb[12] = l[2] as number;
  cdb[13] = r.device;
  cdb[14] = r.command;
  cdb[15] = r.control;
  return { cdb, direction: r.direction, transferLength: r.transferLength, name };
}

/**
 * ATA PASS-THROUGH(32), 7Fh/1FF0h (SAT-5 ATA PASS-THROUGH (32) table): LBA(47:0) big-endian in
 * bytes 14-19, FEATURES 20-21, COUNT 22-23, DEVICE 24, COMMAND 25, ICC 27, AUXILIARY 28-31.
 */
export function buildAtaPassThrough32(p: AtaPassThroughParams): CdbSpec {
  checkParams(p, 'p');
  const name = 'ATA PASS-THROUGH(32)';
  const r = resolve(p, 32, name);
  const l = lbaBytes(r.lba);
  const cdb = new Uint8Array(32);
  cdb[0] = 0x7f;
  cdb[1] = r.control;
  cdb[7] = 0x18;
  putU16(cdb, 8, ATA_PASS_THROUGH_32_SA);
  cdb[10] = r.byte1;
  cdb[11] = r.flags;
  for (let i = 0; i < 6; i++) cdb[19 - i] = l[i] as number;
  putU16(cdb, 20, r.features);
  putU16(cdb, 22, r.count);
  cdb[24] = r.device;
  cdb[25] = r.command;
  cdb[27] = r.icc;
  putU32(cdb, 28, r.auxiliary);
  return { cdb, direction: r.direction, transferLength: r.transferLength, name };
}

/** ATA PASS-THROUGH of the given size. */
export function buildAtaPassThrough(
  p: AtaPassThroughParams,
  options: { readonly size: AtaCdbSize },
): CdbSpec {
  checkParams(p, 'p');
  checkParams(options, 'options');
  switch (options.size) {
    case 12:
      return buildAtaPassThrough12(p);
    case 16:
      return buildAtaPassThrough16(p);
    case 32:
      return buildAtaPassThrough32(p);
    default:
      throw new CdbBuildError('size', `must be 12, 16 or 32, got ${show(options.size)}`);
  }
}

/** Options shared by the ready-made ATA commands. */
export interface AtaHelperOptions {
  /** @default 16 */
  readonly cdbSize?: AtaCdbSize;
  /** @default false */
  readonly ckCond?: boolean;
  /** DEVICE register (e.g. 0x40 for LBA mode on old bridges). @default 0 */
  readonly device?: number;
}
export const AtaHelperOptionsSchema = z.strictObject({
  cdbSize: z.union([z.literal(12), z.literal(16), z.literal(32)]).optional(),
  ckCond: z.boolean().optional(),
  device: zUint(8).optional(),
});

function helper(p: AtaPassThroughParams, o: AtaHelperOptions): CdbSpec {
  const full: AtaPassThroughParams = {
    ...p,
    ...(o.ckCond === undefined ? {} : { ckCond: o.ckCond }),
    ...(o.device === undefined ? {} : { device: o.device }),
  };
  return buildAtaPassThrough(full, { size: o.cdbSize ?? 16 });
}

/** IDENTIFY DEVICE (ECh), PIO data-in, one 512-byte block. */
export function buildAtaIdentifyDevice(o: AtaHelperOptions = {}): CdbSpec {
  checkParams(o, 'o');
  return helper({ protocol: 'pioIn', command: ATA_COMMAND.identifyDevice, count: 1, tLength: 'count' }, o);
}

/** SMART READ DATA (B0h / feature D0h, LBA mid/high 4Fh/C2h), PIO data-in, 512 bytes. */
export function buildAtaSmartReadData(o: AtaHelperOptions = {}): CdbSpec {
  checkParams(o, 'o');
  return helper(
    {
      protocol: 'pioIn',
      command: ATA_COMMAND.smart,
      features: ATA_SMART.readData,
      count: 1,
      lba: ATA_SMART.lbaSignature,
      tLength: 'count',
    },
    o,
  );
}

/** SMART READ LOG (B0h / feature D5h): `pages` (1..255) 512-byte pages of SMART log `logAddress`. */
export function buildAtaSmartReadLog(logAddress: number, pages: number, o: AtaHelperOptions = {}): CdbSpec {
  checkParams(o, 'o');
  checkUint(logAddress, 8, 'logAddress');
  if (!Number.isInteger(pages) || pages < 1 || pages > 255) {
    throw new CdbBuildError('pages', `must be an integer in [1, 255], got ${show(pages)}`, '8 bits');
  }
  return helper(
    {
      protocol: 'pioIn',
      command: ATA_COMMAND.smart,
      features: ATA_SMART.readLog,
      count: pages,
      lba: ATA_SMART.lbaSignature | logAddress,
      tLength: 'count',
    },
    o,
  );
}

/**
 * READ LOG EXT (2Fh), PIO data-in, 48-bit: LBA(7:0) log address, LBA(15:8) page number low,
 * LBA(39:32) page number high; `count` (1..65535) pages. The 12-byte CDB cannot carry the
 * 48-bit form, so there `page` and `count` are limited to 8 bits and EXTEND is clear.
 */
export function buildAtaReadLogExt(
  logAddress: number,
  page: number,
  count: number,
  o: AtaHelperOptions = {},
): CdbSpec {
  checkParams(o, 'o');
  checkUint(logAddress, 8, 'logAddress');
  const narrow = o.cdbSize === 12;
  checkUint(page, narrow ? 8 : 16, 'page');
  if (!Number.isInteger(count) || count < 1 || count > (narrow ? 0xff : 0xffff)) {
    throw new CdbBuildError(
      'count',
      `must be an integer in [1, ${narrow ? 255 : 65535}], got ${show(count)}`,
    );
  }
  const lba = (BigInt(page >>> 8) << 32n) | BigInt(((page & 0xff) << 8) | logAddress);
  return helper(
    { protocol: 'pioIn', command: ATA_COMMAND.readLogExt, count, lba, tLength: 'count', extend: !narrow },
    o,
  );
}

/**
 * SMART READ THRESHOLDS (B0h / feature D1h, LBA mid/high 4Fh/C2h), PIO data-in, 512 bytes. Obsolete
 * since ATA/ATAPI-5 in the standard, still answered by most drives: smartctl's attribute table
 * reads it for the THRESH column.
 */
export function buildAtaSmartReadThresholds(o: AtaHelperOptions = {}): CdbSpec {
  checkParams(o, 'o');
  return helper(
    {
      protocol: 'pioIn',
      command: ATA_COMMAND.smart,
      features: ATA_SMART.readThresholds,
      count: 1,
      // LBA(7:0) 01h as ATA-3 wrote it (and smartmontools sends): drives that look at it want it.
      lba: ATA_SMART.lbaSignature | 0x01,
      tLength: 'count',
    },
    o,
  );
}

/**
 * SMART RETURN STATUS (B0h / feature DAh, LBA mid/high 4Fh/C2h), non-data. The answer is in the ATA
 * registers, so CK_COND is set unless the caller clears it: the SATL then returns them in sense data
 * (RECOVERED ERROR, ATA PASS-THROUGH INFORMATION AVAILABLE) for `ataRegistersFromSense`.
 */
export function buildAtaSmartReturnStatus(o: AtaHelperOptions = {}): CdbSpec {
  checkParams(o, 'o');
  return helper(
    {
      protocol: 'nonData',
      command: ATA_COMMAND.smart,
      features: ATA_SMART.returnStatus,
      lba: ATA_SMART.lbaSignature,
    },
    { ...o, ckCond: o.ckCond ?? true },
  );
}

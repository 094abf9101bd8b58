/**
 * SBC-4 administrative commands: READ CAPACITY(10/16), GET LBA STATUS, REPORT REFERRALS, UNMAP,
 * FORMAT UNIT, SANITIZE, REASSIGN BLOCKS and READ DEFECT DATA(10/12), with builders for the
 * parameter lists the data-out commands send.
 */
import { z } from 'zod';
import { checkParams, lookup, show } from '../args.js';
import { checkBigUint, checkUint, putU16, putU32, putU64 } from '../bytes.js';
import { CdbBuildError } from '../errors.js';
import type { CdbSpec } from '../types.js';
import { checkBytes, flag, type LbaIn16, lbaIn16, optUint, spec, zLba64, zUint } from './cdb-spec.js';

export const SBC_ADMIN_OPCODES = {
  formatUnit: 0x04,
  reassignBlocks: 0x07,
  readCapacity10: 0x25,
  readDefectData10: 0x37,
  unmap: 0x42,
  sanitize: 0x48,
  serviceActionIn16: 0x9e,
  readDefectData12: 0xb7,
} as const;

/** SERVICE ACTION IN(16) (9Eh) service actions used here. */
export const SERVICE_ACTION_IN_16_SA = {
  readCapacity16: 0x10,
  getLbaStatus: 0x12,
  reportReferrals: 0x13,
} as const;

/** SANITIZE service actions (SBC-4 SANITIZE service action codes table). */
export const SANITIZE_SERVICE_ACTIONS = {
  overwrite: 0x01,
  blockErase: 0x02,
  cryptoErase: 0x03,
  exitFailureMode: 0x1f,
} as const;
export type SanitizeServiceAction = keyof typeof SANITIZE_SERVICE_ACTIONS;

// ---------------------------------------------------------------------------------------------
// READ CAPACITY
// ---------------------------------------------------------------------------------------------

export interface ReadCapacity10Params {
  /** Obsolete LOGICAL BLOCK ADDRESS field; only meaningful with `pmi`. @default 0 */
  readonly lba?: bigint | number;
  /** Obsolete PMI bit (byte 8 bit 0). @default false */
  readonly pmi?: boolean;
  /** @default 0 */
  readonly control?: number;
}
export const ReadCapacity10ParamsSchema = z.strictObject({
  lba: z.union([z.bigint().min(0n).max(0xffffffffn), zUint(32)]).optional(),
  pmi: z.boolean().optional(),
  control: zUint(8).optional(),
});

/** READ CAPACITY(10), 25h (SBC-4 READ CAPACITY (10) table): returns 8 bytes. */
export function buildReadCapacity10(p: ReadCapacity10Params = {}): CdbSpec {
  checkParams(p, 'p');
  const lba = checkBigUint(p.lba ?? 0, 32, 'lba');
  const cdb = new Uint8Array(10);
  cdb[0] = SBC_ADMIN_OPCODES.readCapacity10;
  putU32(cdb, 2, Number(lba));
  cdb[8] = flag(p.pmi, 0, 'pmi');
  cdb[9] = optUint(p.control, 8, 'control');
  return spec(cdb, 'in', 8, 'READ CAPACITY(10)');
}

export interface ReadCapacity16Params {
  /** @default 32 (the full SBC-4 parameter data) */
  readonly allocationLength?: number;
  /** Obsolete LOGICAL BLOCK ADDRESS field. @default 0 */
  readonly lba?: bigint | number;
  /** Obsolete PMI bit (byte 14 bit 0). @default false */
  readonly pmi?: boolean;
  /** @default 0 */
  readonly control?: number;
}
export const ReadCapacity16ParamsSchema = z.strictObject({
  allocationLength: zUint(32).optional(),
  lba: zLba64.optional(),
  pmi: z.boolean().optional(),
  control: zUint(8).optional(),
});

/** A SERVICE ACTION IN(16) command in the shared layout of `lbaIn16`. */
function serviceActionIn16(
  serviceAction: number,
  name: string,
  c: Omit<LbaIn16, 'opcode' | 'serviceAction' | 'name'>,
): CdbSpec {
  return lbaIn16({ ...c, opcode: SBC_ADMIN_OPCODES.serviceActionIn16, serviceAction, name });
}

/** READ CAPACITY(16), SERVICE ACTION IN(16) 9Eh/10h (SBC-4 READ CAPACITY (16) table). */
export function buildReadCapacity16(p: ReadCapacity16Params = {}): CdbSpec {
  checkParams(p, 'p');
  return serviceActionIn16(SERVICE_ACTION_IN_16_SA.readCapacity16, 'READ CAPACITY(16)', {
    lbaField: 'lba',
    lba: p.lba ?? 0,
    allocationLength: p.allocationLength,
    defaultAllocation: 32,
    byte14: flag(p.pmi, 0, 'pmi'),
    control: p.control,
  });
}

// ---------------------------------------------------------------------------------------------
// GET LBA STATUS / REPORT REFERRALS
// ---------------------------------------------------------------------------------------------

export interface GetLbaStatusParams {
  /** STARTING LOGICAL BLOCK ADDRESS. @default 0 */
  readonly startingLba?: bigint | number;
  /** @default 24 (header plus one LBA status descriptor, as sg_get_lba_status uses) */
  readonly allocationLength?: number;
  /**
   * REPORT TYPE (byte 14 bits 2-0) filters the returned descriptors by provisioning status;
   * 0 returns all. Devices predating the field (early SBC-3) reject non-zero values. @default 0
   */
  readonly reportType?: number;
  /** @default 0 */
  readonly control?: number;
}
export const GetLbaStatusParamsSchema = z.strictObject({
  startingLba: zLba64.optional(),
  allocationLength: zUint(32).optional(),
  reportType: zUint(3).optional(),
  control: zUint(8).optional(),
});

/** GET LBA STATUS(16), 9Eh/12h (SBC-4 GET LBA STATUS (16) table). */
export function buildGetLbaStatus(p: GetLbaStatusParams = {}): CdbSpec {
  checkParams(p, 'p');
  return serviceActionIn16(SERVICE_ACTION_IN_16_SA.getLbaStatus, 'GET LBA STATUS(16)', {
    lbaField: 'startingLba',
    lba: p.startingLba ?? 0,
    allocationLength: p.allocationLength,
    defaultAllocation: 24,
    byte14: optUint(p.reportType, 3, 'reportType'),
    control: p.control,
  });
}

export interface ReportReferralsParams {
  /** @default 0 */
  readonly lba?: bigint | number;
  /** @default 4096 */
  readonly allocationLength?: number;
  /** ONE_SEG: report only the user data segment containing `lba`. @default false */
  readonly oneSeg?: boolean;
  /** @default 0 */
  readonly control?: number;
}
export const ReportReferralsParamsSchema = z.strictObject({
  lba: zLba64.optional(),
  allocationLength: zUint(32).optional(),
  oneSeg: z.boolean().optional(),
  control: zUint(8).optional(),
});

/** REPORT REFERRALS, 9Eh/13h (SBC-4 REPORT REFERRALS table): ONE_SEG is byte 14 bit 0. */
export function buildReportReferrals(p: ReportReferralsParams = {}): CdbSpec {
  checkParams(p, 'p');
  return serviceActionIn16(SERVICE_ACTION_IN_16_SA.reportReferrals, 'REPORT REFERRALS', {
    lbaField: 'lba',
    lba: p.lba ?? 0,
    allocationLength: p.allocationLength,
    defaultAllocation: 4096,
    byte14: flag(p.oneSeg, 0, 'oneSeg'),
    control: p.control,
  });
}

// ---------------------------------------------------------------------------------------------
// UNMAP
// ---------------------------------------------------------------------------------------------

export interface UnmapParams {
  /** Byte count of the parameter list (`buildUnmapData(...).length`). */
  readonly parameterListLength: number;
  /** ANCHOR: anchor rather than deallocate. @default false */
  readonly anchor?: boolean;
  /** @default 0 */
  readonly group?: number;
  /** @default 0 */
  readonly control?: number;
}
export const UnmapParamsSchema = z.strictObject({
  parameterListLength: zUint(16),
  anchor: z.boolean().optional(),
  group: zUint(6).optional(),
  control: zUint(8).optional(),
});

/** UNMAP, 42h (SBC-4 UNMAP table): ANCHOR byte 1 bit 0, PARAMETER LIST LENGTH bytes 7-8. */
export function buildUnmap(p: UnmapParams): CdbSpec {
  checkParams(p, 'p');
  const len = checkUint(p.parameterListLength, 16, 'parameterListLength');
  if (len !== 0 && (len < 8 || (len - 8) % 16 !== 0)) {
    throw new CdbBuildError(
      'parameterListLength',
      `must be 0 or 8 + 16·n (header + descriptors), got ${len}`,
    );
  }
  const cdb = new Uint8Array(10);
  cdb[0] = SBC_ADMIN_OPCODES.unmap;
  cdb[1] = flag(p.anchor, 0, 'anchor');
  cdb[6] = optUint(p.group, 6, 'group');
  putU16(cdb, 7, len);
  cdb[9] = optUint(p.control, 8, 'control');
  return spec(cdb, 'out', len, 'UNMAP');
}

export interface UnmapRange {
  readonly lba: bigint | number;
  /** NUMBER OF LOGICAL BLOCKS, 32 bits; 0 is allowed and unmaps nothing. */
  readonly blocks: number;
}
export const UnmapRangeSchema = z.strictObject({ lba: zLba64, blocks: zUint(32) });
export const UnmapDataSchema = z.array(UnmapRangeSchema).max(4095);

/**
 * UNMAP parameter list (SBC-4 UNMAP parameter list and block descriptor tables): 8-byte header
 * (UNMAP DATA LENGTH = n − 2, BLOCK DESCRIPTOR DATA LENGTH = 16·k) then 16-byte descriptors.
 * At most 4095 descriptors fit the 16-bit length fields; the device's MAXIMUM UNMAP BLOCK
 * DESCRIPTOR COUNT (Block Limits VPD) is usually far lower.
 */
export function buildUnmapData(ranges: readonly UnmapRange[]): Uint8Array {
  if (!Array.isArray(ranges)) throw new CdbBuildError('ranges', 'must be an array of { lba, blocks }');
  if (ranges.length > 4095) {
    throw new CdbBuildError(
      'ranges',
      `at most 4095 descriptors fit the parameter list, got ${ranges.length}`,
    );
  }
  const out = new Uint8Array(8 + 16 * ranges.length);
  putU16(out, 0, out.length - 2);
  putU16(out, 2, 16 * ranges.length);
  ranges.forEach((r, i) => {
    if (typeof r !== 'object' || r === null)
      throw new CdbBuildError(`ranges[${i}]`, 'must be { lba, blocks }');
    const lba = checkBigUint(r.lba, 64, `ranges[${i}].lba`);
    const blocks = checkUint(r.blocks, 32, `ranges[${i}].blocks`);
    putU64(out, 8 + 16 * i, lba);
    putU32(out, 16 + 16 * i, blocks);
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// FORMAT UNIT
// ---------------------------------------------------------------------------------------------

export interface FormatUnitParams {
  /** FMTPINFO (byte 1 bits 7-6), with the header's PROTECTION FIELD USAGE selects the PI type. @default 0 */
  readonly fmtpinfo?: number;
  /** LONGLIST: the parameter list uses the 8-byte long header. @default false */
  readonly longlist?: boolean;
  /** FMTDATA: a parameter list follows; requires `parameterListLength` > 0. @default false */
  readonly fmtdata?: boolean;
  /** CMPLST: the defect list replaces the GLIST rather than adding to it. @default false */
  readonly cmplst?: boolean;
  /** DEFECT LIST FORMAT (byte 1 bits 2-0). @default 0 */
  readonly defectListFormat?: number;
  /** FFMT fast format (byte 4 bits 1-0, SBC-4). @default 0 */
  readonly ffmt?: number;
  /**
   * Bytes of parameter list to send. FORMAT UNIT's CDB carries no length, so the transport
   * needs it here: must be > 0 with `fmtdata` and 0 without. @default 0
   */
  readonly parameterListLength?: number;
  /** @default 0 */
  readonly control?: number;
}
export const FormatUnitParamsSchema = z.strictObject({
  fmtpinfo: zUint(2).optional(),
  longlist: z.boolean().optional(),
  fmtdata: z.boolean().optional(),
  cmplst: z.boolean().optional(),
  defectListFormat: zUint(3).optional(),
  ffmt: zUint(2).optional(),
  parameterListLength: zUint(32).optional(),
  control: zUint(8).optional(),
});

/** FORMAT UNIT, 04h (SBC-4 FORMAT UNIT table). */
export function buildFormatUnit(p: FormatUnitParams = {}): CdbSpec {
  checkParams(p, 'p');
  const len = optUint(p.parameterListLength, 32, 'parameterListLength');
  if (p.fmtdata === true && len === 0) {
    throw new CdbBuildError('parameterListLength', 'must be > 0 when fmtdata is set (the list is sent)');
  }
  if (p.fmtdata !== true && len !== 0) {
    throw new CdbBuildError('parameterListLength', 'must be 0 unless fmtdata is set (no list is sent)');
  }
  const cdb = new Uint8Array(6);
  cdb[0] = SBC_ADMIN_OPCODES.formatUnit;
  cdb[1] =
    (optUint(p.fmtpinfo, 2, 'fmtpinfo') << 6) |
    flag(p.longlist, 5, 'longlist') |
    flag(p.fmtdata, 4, 'fmtdata') |
    flag(p.cmplst, 3, 'cmplst') |
    optUint(p.defectListFormat, 3, 'defectListFormat');
  cdb[4] = optUint(p.ffmt, 2, 'ffmt');
  cdb[5] = optUint(p.control, 8, 'control');
  return spec(cdb, 'out', len, 'FORMAT UNIT');
}

export interface FormatUnitInitializationPattern {
  /** SI: security initialize (overwrite all areas including those not addressable). @default false */
  readonly si?: boolean;
  /** INITIALIZATION PATTERN TYPE: 00h default, 01h repeat the pattern. @default 1 */
  readonly type?: number;
  /** The pattern (may be empty with type 0). At most 65535 bytes. */
  readonly pattern: Uint8Array;
}

export interface FormatUnitDataParams {
  /** Use the 8-byte long header (must match the CDB's LONGLIST). @default false */
  readonly longList?: boolean;
  /** PROTECTION FIELD USAGE (byte 0 bits 2-0). @default 0 */
  readonly protectionFieldUsage?: number;
  /** FOV: the following option bits are valid. @default false */
  readonly fov?: boolean;
  /** DPRY: do not use the PLIST. @default false */
  readonly dpry?: boolean;
  /** DCRT: disable certification. @default false */
  readonly dcrt?: boolean;
  /** STPF: stop format on a missing list. @default false */
  readonly stpf?: boolean;
  /** IMMED: return status once the parameter list is validated. @default false */
  readonly immed?: boolean;
  /** Long header only: P_I_INFORMATION (byte 3 bits 7-4). @default 0 */
  readonly pIInformation?: number;
  /** Long header only: PROTECTION INTERVAL EXPONENT (byte 3 bits 3-0). @default 0 */
  readonly protectionIntervalExponent?: number;
  /** Initialization pattern descriptor; its presence sets IP. */
  readonly initializationPattern?: FormatUnitInitializationPattern;
  /** Defect list bytes, already in the format named by the CDB's DEFECT LIST FORMAT. */
  readonly defectList?: Uint8Array;
}
const bytesSchema = z.instanceof(Uint8Array);
export const FormatUnitDataParamsSchema = z.strictObject({
  longList: z.boolean().optional(),
  protectionFieldUsage: zUint(3).optional(),
  fov: z.boolean().optional(),
  dpry: z.boolean().optional(),
  dcrt: z.boolean().optional(),
  stpf: z.boolean().optional(),
  immed: z.boolean().optional(),
  pIInformation: zUint(4).optional(),
  protectionIntervalExponent: zUint(4).optional(),
  initializationPattern: z
    .strictObject({ si: z.boolean().optional(), type: zUint(8).optional(), pattern: bytesSchema })
    .optional(),
  defectList: bytesSchema.optional(),
});

/**
 * FORMAT UNIT parameter list (SBC-4 short and long parameter list header tables, initialization
 * pattern descriptor table): header, optional initialization pattern descriptor, defect list.
 */
export function buildFormatUnitData(p: FormatUnitDataParams = {}): Uint8Array {
  checkParams(p, 'p');
  const long = p.longList === true;
  const headerLen = long ? 8 : 4;
  const ip = p.initializationPattern;
  if (ip !== undefined) checkParams(ip, 'initializationPattern');
  const pattern = ip === undefined ? undefined : checkBytes(ip.pattern, 'initializationPattern.pattern');
  const patternLen = pattern === undefined ? 0 : pattern.length;
  if (patternLen > 0xffff) {
    throw new CdbBuildError('initializationPattern.pattern', `at most 65535 bytes, got ${patternLen}`);
  }
  const ipdLen = ip === undefined ? 0 : 4 + patternLen;
  const defects = p.defectList === undefined ? new Uint8Array(0) : checkBytes(p.defectList, 'defectList');
  checkUint(defects.length, long ? 32 : 16, 'defectList');
  if (!long) {
    if ((p.pIInformation ?? 0) !== 0)
      throw new CdbBuildError('pIInformation', 'needs the long header (longList)');
    if ((p.protectionIntervalExponent ?? 0) !== 0) {
      throw new CdbBuildError('protectionIntervalExponent', 'needs the long header (longList)');
    }
  }
  const out = new Uint8Array(headerLen + ipdLen + defects.length);
  out[0] = optUint(p.protectionFieldUsage, 3, 'protectionFieldUsage');
  out[1] =
    flag(p.fov, 7, 'fov') |
    flag(p.dpry, 6, 'dpry') |
    flag(p.dcrt, 5, 'dcrt') |
    flag(p.stpf, 4, 'stpf') |
    (ip === undefined ? 0 : 0x08) |
    flag(p.immed, 1, 'immed');
  if (long) {
    out[3] =
      (optUint(p.pIInformation, 4, 'pIInformation') << 4) |
      optUint(p.protectionIntervalExponent, 4, 'protectionIntervalExponent');
    putU32(out, 4, defects.length);
  } else {
    putU16(out, 2, defects.length);
  }
  if (ip !== undefined) {
    out[headerLen] = flag(ip.si, 5, 'initializationPattern.si');
    out[headerLen + 1] = optUint(ip.type, 8, 'initializationPattern.type', 1);
    putU16(out, headerLen + 2, patternLen);
    out.set(pattern ?? new Uint8Array(0), headerLen + 4);
  }
  out.set(defects, headerLen + ipdLen);
  return out;
}

// ---------------------------------------------------------------------------------------------
// SANITIZE
// ---------------------------------------------------------------------------------------------

export interface SanitizeParams {
  readonly serviceAction: SanitizeServiceAction;
  /** IMMED: return status once the command is validated; poll with REQUEST SENSE. @default false */
  readonly immed?: boolean;
  /** ZNR: zoned no reset (leave write pointers; SBC-4). @default false */
  readonly znr?: boolean;
  /** AUSE: allow EXIT FAILURE MODE after a failed sanitize. @default false */
  readonly ause?: boolean;
  /**
   * Bytes of parameter data: required (> 4) for `overwrite`, must be 0 otherwise.
   * @default 0
   */
  readonly parameterListLength?: number;
  /** @default 0 */
  readonly control?: number;
}
export const SanitizeParamsSchema = z.strictObject({
  serviceAction: z.enum(['overwrite', 'blockErase', 'cryptoErase', 'exitFailureMode']),
  immed: z.boolean().optional(),
  znr: z.boolean().optional(),
  ause: z.boolean().optional(),
  parameterListLength: zUint(16).optional(),
  control: zUint(8).optional(),
});

/** SANITIZE, 48h (SBC-4 SANITIZE table): IMMED bit 7, ZNR bit 6, AUSE bit 5, SA bits 4-0. */
export function buildSanitize(p: SanitizeParams): CdbSpec {
  checkParams(p, 'p');
  const sa = lookup(SANITIZE_SERVICE_ACTIONS, p.serviceAction);
  if (sa === undefined) {
    throw new CdbBuildError(
      'serviceAction',
      `must be one of ${Object.keys(SANITIZE_SERVICE_ACTIONS).join(', ')}`,
    );
  }
  const len = optUint(p.parameterListLength, 16, 'parameterListLength');
  if (p.serviceAction === 'overwrite' && len < 5) {
    throw new CdbBuildError(
      'parameterListLength',
      'OVERWRITE needs its parameter data (4-byte header + pattern)',
    );
  }
  if (p.serviceAction !== 'overwrite' && len !== 0) {
    throw new CdbBuildError('parameterListLength', `must be 0 for ${p.serviceAction}`);
  }
  const cdb = new Uint8Array(10);
  cdb[0] = SBC_ADMIN_OPCODES.sanitize;
  cdb[1] = flag(p.immed, 7, 'immed') | flag(p.znr, 6, 'znr') | flag(p.ause, 5, 'ause') | sa;
  putU16(cdb, 7, len);
  cdb[9] = optUint(p.control, 8, 'control');
  return spec(cdb, 'out', len, 'SANITIZE');
}

export interface SanitizeOverwriteDataParams {
  /** INVERT: invert the pattern between passes. @default false */
  readonly invert?: boolean;
  /** TEST (2 bits, vendor-defined test modes). @default 0 */
  readonly test?: number;
  /** OVERWRITE COUNT, 1..31 (0 is reserved). @default 1 */
  readonly overwriteCount?: number;
  /** INITIALIZATION PATTERN, 1..65535 bytes and at most one logical block (device-checked). */
  readonly pattern: Uint8Array;
}
export const SanitizeOverwriteDataParamsSchema = z.strictObject({
  invert: z.boolean().optional(),
  test: zUint(2).optional(),
  overwriteCount: z.number().int().min(1).max(31).optional(),
  pattern: z
    .instanceof(Uint8Array)
    .refine((b) => b.length >= 1 && b.length <= 0xffff, 'pattern must be 1..65535 bytes'),
});

/** SANITIZE OVERWRITE parameter data (SBC-4 OVERWRITE service action parameter list table). */
export function buildSanitizeOverwriteData(p: SanitizeOverwriteDataParams): Uint8Array {
  checkParams(p, 'p');
  const count = p.overwriteCount ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 31) {
    throw new CdbBuildError(
      'overwriteCount',
      `must be an integer in [1, 31] (0 is reserved), got ${show(count)}`,
    );
  }
  const n = checkBytes(p.pattern, 'pattern').length;
  if (n < 1 || n > 0xffff) throw new CdbBuildError('pattern', `must be 1..65535 bytes, got ${n}`, '16 bits');
  const out = new Uint8Array(4 + n);
  out[0] = flag(p.invert, 7, 'invert') | (optUint(p.test, 2, 'test') << 5) | count;
  putU16(out, 2, n);
  out.set(p.pattern, 4);
  return out;
}

// ---------------------------------------------------------------------------------------------
// REASSIGN BLOCKS
// ---------------------------------------------------------------------------------------------

export interface ReassignBlocksParams {
  /** LONGLBA: 8-byte LBAs in the list. @default false */
  readonly longlba?: boolean;
  /** LONGLIST: 4-byte DEFECT LIST LENGTH in the header. @default false */
  readonly longlist?: boolean;
  /** Bytes of parameter list (`buildReassignBlocksData(...).length`). */
  readonly parameterListLength: number;
  /** @default 0 */
  readonly control?: number;
}
export const ReassignBlocksParamsSchema = z.strictObject({
  longlba: z.boolean().optional(),
  longlist: z.boolean().optional(),
  parameterListLength: zUint(32),
  control: zUint(8).optional(),
});

/**
 * REASSIGN BLOCKS, 07h (SBC-4 REASSIGN BLOCKS table): LONGLBA byte 1 bit 1, LONGLIST bit 0.
 * The CDB has no length field; `parameterListLength` is what the transport sends.
 */
export function buildReassignBlocks(p: ReassignBlocksParams): CdbSpec {
  checkParams(p, 'p');
  const len = checkUint(p.parameterListLength, 32, 'parameterListLength');
  const entry = p.longlba === true ? 8 : 4;
  if (len < 4 || (len - 4) % entry !== 0) {
    throw new CdbBuildError('parameterListLength', `must be 4 + ${entry}·n (header + LBAs), got ${len}`);
  }
  const cdb = new Uint8Array(6);
  cdb[0] = SBC_ADMIN_OPCODES.reassignBlocks;
  cdb[1] = flag(p.longlba, 1, 'longlba') | flag(p.longlist, 0, 'longlist');
  cdb[5] = optUint(p.control, 8, 'control');
  return spec(cdb, 'out', len, 'REASSIGN BLOCKS');
}

export interface ReassignBlocksDataParams {
  /** LBAs to reassign: 32-bit each unless `longlba`. */
  readonly lbas: readonly (bigint | number)[];
  /** @default false */
  readonly longlba?: boolean;
  /** @default false */
  readonly longlist?: boolean;
}
export const ReassignBlocksDataParamsSchema = z.strictObject({
  lbas: z.array(zLba64),
  longlba: z.boolean().optional(),
  longlist: z.boolean().optional(),
});

/**
 * REASSIGN BLOCKS parameter list (SBC-4 REASSIGN BLOCKS parameter list header table): a short
 * header (bytes 2-3 DEFECT LIST LENGTH) or long header (bytes 0-3), then 4- or 8-byte LBAs.
 */
export function buildReassignBlocksData(p: ReassignBlocksDataParams): Uint8Array {
  checkParams(p, 'p');
  if (!Array.isArray(p.lbas)) throw new CdbBuildError('lbas', 'must be an array of LBAs');
  const entry = p.longlba === true ? 8 : 4;
  const listLen = entry * p.lbas.length;
  checkUint(listLen, p.longlist === true ? 32 : 16, 'lbas');
  const out = new Uint8Array(4 + listLen);
  if (p.longlist === true) putU32(out, 0, listLen);
  else putU16(out, 2, listLen);
  p.lbas.forEach((lba, i) => {
    const v = checkBigUint(lba, entry * 8, `lbas[${i}]`);
    if (entry === 8) putU64(out, 4 + 8 * i, v);
    else putU32(out, 4 + 4 * i, Number(v));
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// READ DEFECT DATA
// ---------------------------------------------------------------------------------------------

export interface ReadDefectDataParams {
  /** REQ_PLIST: return the primary (factory) list. @default false */
  readonly reqPlist?: boolean;
  /** REQ_GLIST: return the grown list. @default false */
  readonly reqGlist?: boolean;
  /** DEFECT LIST FORMAT (3 bits): 0 short block, 3 long block, 4 bytes from index, 5 physical sector. @default 0 */
  readonly defectListFormat?: number;
  /** @default 4 for (10) and 8 for (12): the header only, to learn the list length first */
  readonly allocationLength?: number;
  /** @default 0 */
  readonly control?: number;
}
export interface ReadDefectData12Params extends ReadDefectDataParams {
  /** ADDRESS DESCRIPTOR INDEX: first descriptor to return. @default 0 */
  readonly addressDescriptorIndex?: number;
}
const readDefectShape = {
  reqPlist: z.boolean().optional(),
  reqGlist: z.boolean().optional(),
  defectListFormat: zUint(3).optional(),
  control: zUint(8).optional(),
};
export const ReadDefectData10ParamsSchema = z.strictObject({
  ...readDefectShape,
  allocationLength: zUint(16).optional(),
});
export const ReadDefectData12ParamsSchema = z.strictObject({
  ...readDefectShape,
  allocationLength: zUint(32).optional(),
  addressDescriptorIndex: zUint(32).optional(),
});

function defectFlags(p: ReadDefectDataParams): number {
  return (
    flag(p.reqPlist, 4, 'reqPlist') |
    flag(p.reqGlist, 3, 'reqGlist') |
    optUint(p.defectListFormat, 3, 'defectListFormat')
  );
}

/** READ DEFECT DATA(10), 37h (SBC-4 READ DEFECT DATA (10) table): flags in byte 2. */
export function buildReadDefectData10(p: ReadDefectDataParams = {}): CdbSpec {
  checkParams(p, 'p');
  const alloc = optUint(p.allocationLength, 16, 'allocationLength', 4);
  const cdb = new Uint8Array(10);
  cdb[0] = SBC_ADMIN_OPCODES.readDefectData10;
  cdb[2] = defectFlags(p);
  putU16(cdb, 7, alloc);
  cdb[9] = optUint(p.control, 8, 'control');
  return spec(cdb, 'in', alloc, 'READ DEFECT DATA(10)');
}

/** READ DEFECT DATA(12), B7h (SBC-4 READ DEFECT DATA (12) table): flags in byte 1. */
export function buildReadDefectData12(p: ReadDefectData12Params = {}): CdbSpec {
  checkParams(p, 'p');
  const alloc = optUint(p.allocationLength, 32, 'allocationLength', 8);
  const cdb = new Uint8Array(12);
  cdb[0] = SBC_ADMIN_OPCODES.readDefectData12;
  cdb[1] = defectFlags(p);
  putU32(cdb, 2, optUint(p.addressDescriptorIndex, 32, 'addressDescriptorIndex'));
  putU32(cdb, 6, alloc);
  cdb[11] = optUint(p.control, 8, 'control');
  return spec(cdb, 'in', alloc, 'READ DEFECT DATA(12)');
}

/**
 * SSC-5 tape (sequential-access) commands: REWIND, LOAD UNLOAD, READ POSITION, LOCATE(10/16),
 * SPACE(6/16), WRITE FILEMARKS(6/16), READ(6)/WRITE(6) in fixed and variable block mode, ERASE(6),
 * READ BLOCK LIMITS and REPORT DENSITY SUPPORT. Their opcodes mean other commands on a disk (1Bh,
 * 34h, 91h…): the registry holds them in the tape scope, so a CDB built here is only named and
 * classified right against a peripheral device type of 01h.
 */
import { z } from 'zod';
import { checkParams, lookup, show } from '../args.js';
import { checkBigUint, checkUint, putU16, putU24, putU32, putU64 } from '../bytes.js';
import { CdbBuildError } from '../errors.js';
import type { CdbSpec } from '../types.js';
import { flag, optUint, spec, specIn, specNone, specOut, zUint } from './cdb-spec.js';

/** The peripheral device type SSC's commands belong to (the registry's 'tape' scope). */
export const TAPE_PERIPHERAL_TYPE = 0x01;

const zFlag = z.boolean().exactOptional();
const zControl = zUint(8).exactOptional();

// ---------------------------------------------------------------------------------------------
// REWIND, LOAD UNLOAD, ERASE

export interface RewindParams {
  /** IMMED: return before the rewind ends. @default false */
  readonly immed?: boolean;
  /** @default 0 */
  readonly control?: number;
}
export const RewindParamsSchema: z.ZodType<RewindParams> = z.strictObject({
  immed: zFlag,
  control: zControl,
});

/** REWIND (01h, SSC-5): to the beginning of the current partition. IMMED byte 1 bit 0. */
export function buildRewind(p: RewindParams = {}): CdbSpec {
  checkParams(p, 'p');
  const cdb = new Uint8Array(6);
  cdb[0] = 0x01;
  cdb[1] = flag(p.immed, 0, 'immed');
  cdb[5] = optUint(p.control, 8, 'control');
  return specNone(cdb, 'REWIND');
}

export interface LoadUnloadParams {
  /** LOAD (true) or unload (false). */
  readonly load: boolean;
  /** IMMED. @default false */
  readonly immed?: boolean;
  /** HOLD: keep the medium in the drive (load: do not thread; unload: do not eject). @default false */
  readonly hold?: boolean;
  /** EOT: on unload, position at the end of the medium first. @default false */
  readonly eot?: boolean;
  /** RETEN: retension (wind to the end and back). @default false */
  readonly reten?: boolean;
  /** @default 0 */
  readonly control?: number;
}
export const LoadUnloadParamsSchema: z.ZodType<LoadUnloadParams> = z.strictObject({
  load: z.boolean(),
  immed: zFlag,
  hold: zFlag,
  eot: zFlag,
  reten: zFlag,
  control: zControl,
});

/** LOAD UNLOAD (1Bh, SSC-5): IMMED byte 1 bit 0; byte 4 HOLD bit 3, EOT bit 2, RETEN bit 1, LOAD bit 0. */
export function buildLoadUnload(p: LoadUnloadParams): CdbSpec {
  checkParams(p, 'p');
  if (typeof p.load !== 'boolean') throw new CdbBuildError('load', `must be a boolean, got ${show(p.load)}`);
  const cdb = new Uint8Array(6);
  cdb[0] = 0x1b;
  cdb[1] = flag(p.immed, 0, 'immed');
  cdb[4] =
    flag(p.hold, 3, 'hold') | flag(p.eot, 2, 'eot') | flag(p.reten, 1, 'reten') | flag(p.load, 0, 'load');
  cdb[5] = optUint(p.control, 8, 'control');
  return specNone(cdb, 'LOAD UNLOAD');
}

export interface Erase6Params {
  /** LONG: erase from the position to the end of the partition (else a gap only). @default false */
  readonly long?: boolean;
  /** @default false */
  readonly immed?: boolean;
  /** @default 0 */
  readonly control?: number;
}
export const Erase6ParamsSchema: z.ZodType<Erase6Params> = z.strictObject({
  long: zFlag,
  immed: zFlag,
  control: zControl,
});

/** ERASE(6) (19h, SSC-5): IMMED byte 1 bit 1, LONG bit 0. */
export function buildErase6(p: Erase6Params = {}): CdbSpec {
  checkParams(p, 'p');
  const cdb = new Uint8Array(6);
  cdb[0] = 0x19;
  cdb[1] = flag(p.immed, 1, 'immed') | flag(p.long, 0, 'long');
  cdb[5] = optUint(p.control, 8, 'control');
  return specNone(cdb, 'ERASE(6)');
}

// ---------------------------------------------------------------------------------------------
// READ POSITION

/** READ POSITION service actions (SSC-5): the three answer forms. */
export const READ_POSITION_FORM = { short: 0x00, long: 0x06, extended: 0x08 } as const;
export type ReadPositionForm = keyof typeof READ_POSITION_FORM;

/** Bytes of each answer form: the short form is 20 bytes, long 32, extended 32. */
export const READ_POSITION_LENGTH: Readonly<Record<ReadPositionForm, number>> = {
  short: 20,
  long: 32,
  extended: 32,
};

export interface ReadPositionParams {
  /** @default 'short' */
  readonly form?: ReadPositionForm;
  /**
   * ALLOCATION LENGTH (bytes 7-8) for the extended form. The short and long forms have fixed
   * answers and SSC requires the field to be 0 for them (scsi_debug rejects anything else).
   * @default 32 for 'extended'
   */
  readonly allocationLength?: number;
  /** @default 0 */
  readonly control?: number;
}
export const ReadPositionParamsSchema: z.ZodType<ReadPositionParams> = z
  .strictObject({
    form: z.enum(['short', 'long', 'extended']).exactOptional(),
    allocationLength: zUint(16).exactOptional(),
    control: zControl,
  })
  .refine((p) => p.form === 'extended' || p.allocationLength === undefined || p.allocationLength === 0, {
    path: ['allocationLength'],
    message: 'only the extended form takes an allocation length',
  });

/** READ POSITION (34h, SSC-5): SERVICE ACTION byte 1 bits 4-0; ALLOCATION LENGTH bytes 7-8 (extended only). */
export function buildReadPosition(p: ReadPositionParams = {}): CdbSpec {
  checkParams(p, 'p');
  const form = p.form ?? 'short';
  const serviceAction = lookup(READ_POSITION_FORM, form);
  if (serviceAction === undefined) {
    throw new CdbBuildError('form', `must be one of short, long, extended, got ${show(form)}`);
  }
  const cdb = new Uint8Array(10);
  cdb[0] = 0x34;
  cdb[1] = serviceAction;
  let length = READ_POSITION_LENGTH[form];
  if (form === 'extended') {
    length = optUint(p.allocationLength, 16, 'allocationLength', 32);
    putU16(cdb, 7, length);
  } else if (p.allocationLength !== undefined && p.allocationLength !== 0) {
    throw new CdbBuildError('allocationLength', `must be 0 or absent for the ${form} form (SSC-5)`);
  }
  cdb[9] = optUint(p.control, 8, 'control');
  return specIn(cdb, length, 'READ POSITION');
}

// ---------------------------------------------------------------------------------------------
// LOCATE

export interface Locate10Params {
  /** LOGICAL OBJECT IDENTIFIER (bytes 3-6): the block (object) number to position before. */
  readonly blockAddress: number;
  /** PARTITION (byte 8); sets CP (change partition) when given. */
  readonly partition?: number;
  /** BT: the address is a vendor-specific block address, not a logical object identifier. @default false */
  readonly bt?: boolean;
  /** @default false */
  readonly immed?: boolean;
  /** @default 0 */
  readonly control?: number;
}
export const Locate10ParamsSchema: z.ZodType<Locate10Params> = z.strictObject({
  blockAddress: zUint(32),
  partition: zUint(8).exactOptional(),
  bt: zFlag,
  immed: zFlag,
  control: zControl,
});

/** LOCATE(10) (2Bh, SSC-5): byte 1 BT bit 2, CP bit 1, IMMED bit 0; bytes 3-6 the address; byte 8 PARTITION. */
export function buildLocate10(p: Locate10Params): CdbSpec {
  checkParams(p, 'p');
  const address = checkUint(p.blockAddress, 32, 'blockAddress');
  const cdb = new Uint8Array(10);
  cdb[0] = 0x2b;
  cdb[1] = flag(p.bt, 2, 'bt') | (p.partition === undefined ? 0 : 0x02) | flag(p.immed, 0, 'immed');
  putU32(cdb, 3, address);
  cdb[8] = optUint(p.partition, 8, 'partition');
  cdb[9] = optUint(p.control, 8, 'control');
  return specNone(cdb, 'LOCATE(10)');
}

/** LOCATE(16) DEST_TYPE (SSC-5): what LOGICAL IDENTIFIER counts. */
export const LOCATE_DEST_TYPE = { object: 0, file: 1, endOfData: 3 } as const;
export type LocateDestType = keyof typeof LOCATE_DEST_TYPE;

export interface Locate16Params {
  /** LOGICAL IDENTIFIER (bytes 4-11). */
  readonly logicalIdentifier: bigint | number;
  /** @default 'object' */
  readonly destType?: LocateDestType;
  /** PARTITION (byte 3); sets CP when given. */
  readonly partition?: number;
  /** @default false */
  readonly immed?: boolean;
  /** @default 0 */
  readonly control?: number;
}
export const Locate16ParamsSchema: z.ZodType<Locate16Params> = z.strictObject({
  logicalIdentifier: z.union([
    z
      .bigint()
      .min(0n)
      .max((1n << 64n) - 1n),
    zUint(53),
  ]),
  destType: z.enum(['object', 'file', 'endOfData']).exactOptional(),
  partition: zUint(8).exactOptional(),
  immed: zFlag,
  control: zControl,
});

/** LOCATE(16) (92h, SSC-5): byte 1 DEST_TYPE bits 5-3, CP bit 1, IMMED bit 0; byte 3 PARTITION; bytes 4-11. */
export function buildLocate16(p: Locate16Params): CdbSpec {
  checkParams(p, 'p');
  const id = checkBigUint(p.logicalIdentifier, 64, 'logicalIdentifier');
  const destType = lookup(LOCATE_DEST_TYPE, p.destType ?? 'object');
  if (destType === undefined) {
    throw new CdbBuildError('destType', `must be one of object, file, endOfData, got ${show(p.destType)}`);
  }
  const cdb = new Uint8Array(16);
  cdb[0] = 0x92;
  cdb[1] = (destType << 3) | (p.partition === undefined ? 0 : 0x02) | flag(p.immed, 0, 'immed');
  cdb[3] = optUint(p.partition, 8, 'partition');
  putU64(cdb, 4, id);
  cdb[15] = optUint(p.control, 8, 'control');
  return specNone(cdb, 'LOCATE(16)');
}

// ---------------------------------------------------------------------------------------------
// SPACE

/** SPACE CODE (SSC-5, byte 1 bits 3-0). */
export const SPACE_CODE = { blocks: 0, filemarks: 1, sequentialFilemarks: 2, endOfData: 3 } as const;
export type SpaceCode = keyof typeof SPACE_CODE;

const MIN_I24 = -(2 ** 23);
const MAX_I24 = 2 ** 23 - 1;
const MIN_I64 = -(1n << 63n);
const MAX_I64 = (1n << 63n) - 1n;

function spaceCode(code: SpaceCode | undefined): number {
  const c = lookup(SPACE_CODE, code ?? 'blocks');
  if (c === undefined) {
    throw new CdbBuildError(
      'code',
      `must be one of ${Object.keys(SPACE_CODE).join(', ')}, got ${show(code)}`,
    );
  }
  return c;
}

export interface Space6Params {
  /** @default 'blocks' */
  readonly code?: SpaceCode;
  /** COUNT, two's complement: negative spaces backwards. Ignored (sent as 0) for 'endOfData'. @default 1 */
  readonly count?: number;
  /** @default 0 */
  readonly control?: number;
}
export const Space6ParamsSchema: z.ZodType<Space6Params> = z.strictObject({
  code: z.enum(['blocks', 'filemarks', 'sequentialFilemarks', 'endOfData']).exactOptional(),
  count: z.number().int().min(MIN_I24).max(MAX_I24).exactOptional(),
  control: zControl,
});

/** SPACE(6) (11h, SSC-5): CODE byte 1 bits 3-0; COUNT bytes 2-4, a signed 24-bit number. */
export function buildSpace6(p: Space6Params = {}): CdbSpec {
  checkParams(p, 'p');
  const code = spaceCode(p.code);
  const given = p.count ?? 1;
  if (!Number.isInteger(given) || given < MIN_I24 || given > MAX_I24) {
    throw new CdbBuildError('count', `must be an integer in [${MIN_I24}, ${MAX_I24}], got ${show(given)}`);
  }
  const count = code === SPACE_CODE.endOfData ? 0 : given;
  const cdb = new Uint8Array(6);
  cdb[0] = 0x11;
  cdb[1] = code;
  putU24(cdb, 2, count < 0 ? count + 2 ** 24 : count);
  cdb[5] = optUint(p.control, 8, 'control');
  return specNone(cdb, 'SPACE(6)');
}

export interface Space16Params {
  /** @default 'blocks' */
  readonly code?: SpaceCode;
  /** COUNT, signed 64-bit. Ignored (sent as 0) for 'endOfData'. @default 1 */
  readonly count?: bigint | number;
  /** @default 0 */
  readonly control?: number;
}
export const Space16ParamsSchema: z.ZodType<Space16Params> = z.strictObject({
  code: z.enum(['blocks', 'filemarks', 'sequentialFilemarks', 'endOfData']).exactOptional(),
  count: z.union([z.bigint().min(MIN_I64).max(MAX_I64), z.number().int().safe()]).exactOptional(),
  control: zControl,
});

/** SPACE(16) (91h, SSC-5): CODE byte 1 bits 3-0; COUNT bytes 4-11 (signed); PARAMETER LENGTH 12-13 = 0. */
export function buildSpace16(p: Space16Params = {}): CdbSpec {
  checkParams(p, 'p');
  const code = spaceCode(p.code);
  const raw = p.count ?? 1;
  if (typeof raw === 'number' && !Number.isSafeInteger(raw)) {
    throw new CdbBuildError('count', `must be a safe integer or a bigint, got ${show(raw)}`);
  }
  if (typeof raw !== 'number' && typeof raw !== 'bigint') {
    throw new CdbBuildError('count', `must be a safe integer or a bigint, got ${show(raw)}`);
  }
  const given = BigInt(raw);
  if (given < MIN_I64 || given > MAX_I64) {
    throw new CdbBuildError('count', `must fit a signed 64-bit number, got ${given}`);
  }
  const count = code === SPACE_CODE.endOfData ? 0n : given;
  const cdb = new Uint8Array(16);
  cdb[0] = 0x91;
  cdb[1] = code;
  putU64(cdb, 4, count < 0n ? count + (1n << 64n) : count);
  cdb[15] = optUint(p.control, 8, 'control');
  return specNone(cdb, 'SPACE(16)');
}

// ---------------------------------------------------------------------------------------------
// WRITE FILEMARKS

export interface WriteFilemarks6Params {
  /** FILEMARK COUNT (24 bits); 0 only flushes the drive's buffer to the medium. @default 1 */
  readonly count?: number;
  /** IMMED. @default false */
  readonly immed?: boolean;
  /** @default 0 */
  readonly control?: number;
}
export const WriteFilemarks6ParamsSchema: z.ZodType<WriteFilemarks6Params> = z.strictObject({
  count: zUint(24).exactOptional(),
  immed: zFlag,
  control: zControl,
});

/** WRITE FILEMARKS(6) (10h, SSC-5): IMMED byte 1 bit 0; FILEMARK COUNT bytes 2-4. */
export function buildWriteFilemarks6(p: WriteFilemarks6Params = {}): CdbSpec {
  checkParams(p, 'p');
  const cdb = new Uint8Array(6);
  cdb[0] = 0x10;
  cdb[1] = flag(p.immed, 0, 'immed');
  putU24(cdb, 2, optUint(p.count, 24, 'count', 1));
  cdb[5] = optUint(p.control, 8, 'control');
  return specNone(cdb, 'WRITE FILEMARKS(6)');
}

export interface WriteFilemarks16Params {
  /** FILEMARK COUNT (24 bits). @default 1 */
  readonly count?: number;
  /** PARTITION (byte 3) and LOGICAL OBJECT IDENTIFIER (bytes 4-11) where writing must start. @default 0, 0 */
  readonly partition?: number;
  readonly logicalObjectIdentifier?: bigint | number;
  /** @default false */
  readonly immed?: boolean;
  /** @default 0 */
  readonly control?: number;
}
export const WriteFilemarks16ParamsSchema: z.ZodType<WriteFilemarks16Params> = z.strictObject({
  count: zUint(24).exactOptional(),
  partition: zUint(8).exactOptional(),
  logicalObjectIdentifier: z
    .union([
      z
        .bigint()
        .min(0n)
        .max((1n << 64n) - 1n),
      zUint(53),
    ])
    .exactOptional(),
  immed: zFlag,
  control: zControl,
});

/** WRITE FILEMARKS(16) (80h, SSC-5): IMMED byte 1 bit 0; PARTITION byte 3; bytes 4-11; COUNT bytes 12-14. */
export function buildWriteFilemarks16(p: WriteFilemarks16Params = {}): CdbSpec {
  checkParams(p, 'p');
  const cdb = new Uint8Array(16);
  cdb[0] = 0x80;
  cdb[1] = flag(p.immed, 0, 'immed');
  cdb[3] = optUint(p.partition, 8, 'partition');
  putU64(cdb, 4, checkBigUint(p.logicalObjectIdentifier ?? 0, 64, 'logicalObjectIdentifier'));
  putU24(cdb, 12, optUint(p.count, 24, 'count', 1));
  cdb[15] = optUint(p.control, 8, 'control');
  return specNone(cdb, 'WRITE FILEMARKS(16)');
}

// ---------------------------------------------------------------------------------------------
// READ(6) / WRITE(6), fixed and variable block mode

export interface TapeTransferParams {
  /**
   * FIXED=1: `length` counts blocks of `blockLength` bytes (the mode block descriptor's length,
   * which must be non-zero). FIXED=0 (variable mode): `length` is the byte count of one block.
   */
  readonly fixed: boolean;
  /** TRANSFER LENGTH (24 bits): blocks when fixed, bytes when variable. */
  readonly length: number;
  /** The fixed block length in bytes; required when `fixed`, refused otherwise. */
  readonly blockLength?: number;
  /** @default 0 */
  readonly control?: number;
}

export interface TapeReadParams extends TapeTransferParams {
  /**
   * SILI: suppress INCORRECT LENGTH for a block shorter than asked (variable mode only; SSC forbids
   * SILI with FIXED). @default false
   */
  readonly sili?: boolean;
}
/** Fixed mode needs the block length, variable mode refuses one. */
const modeAgrees = (p: { fixed: boolean; blockLength?: number | undefined }) =>
  p.fixed === (p.blockLength !== undefined);
const MODE_MESSAGE = { path: ['blockLength'], message: 'required in fixed mode, refused in variable mode' };
export const TapeReadParamsSchema: z.ZodType<TapeReadParams> = z
  .strictObject({
    fixed: z.boolean(),
    length: zUint(24),
    blockLength: zUint(24).min(1).exactOptional(),
    control: zControl,
    sili: zFlag,
  })
  .refine(modeAgrees, MODE_MESSAGE)
  .refine((p) => !(p.fixed && p.sili === true), { path: ['sili'], message: 'SILI with FIXED is illegal' });
export const TapeWriteParamsSchema: z.ZodType<TapeTransferParams> = z
  .strictObject({
    fixed: z.boolean(),
    length: zUint(24),
    blockLength: zUint(24).min(1).exactOptional(),
    control: zControl,
  })
  .refine(modeAgrees, MODE_MESSAGE);

/** Bytes moved by a tape READ(6)/WRITE(6). */
function tapeTransferBytes(p: TapeTransferParams): number {
  if (typeof p.fixed !== 'boolean')
    throw new CdbBuildError('fixed', `must be a boolean, got ${show(p.fixed)}`);
  const length = checkUint(p.length, 24, 'length');
  if (!p.fixed) {
    if (p.blockLength !== undefined) {
      throw new CdbBuildError('blockLength', 'is only for fixed mode; variable mode sends `length` bytes');
    }
    return length;
  }
  if (p.blockLength === undefined) {
    throw new CdbBuildError('blockLength', 'is required in fixed mode (FIXED=1 counts blocks)');
  }
  const blockLength = checkUint(p.blockLength, 24, 'blockLength');
  if (blockLength === 0) throw new CdbBuildError('blockLength', 'must be at least 1 in fixed mode', '>= 1');
  return length * blockLength;
}

/** READ(6) on a tape (08h, SSC-5): SILI byte 1 bit 1, FIXED bit 0; TRANSFER LENGTH bytes 2-4. */
export function buildTapeRead6(p: TapeReadParams): CdbSpec {
  checkParams(p, 'p');
  const bytes = tapeTransferBytes(p);
  if (p.fixed && p.sili === true) {
    throw new CdbBuildError('sili', 'SILI with FIXED is an ILLEGAL REQUEST (SSC-5)');
  }
  const cdb = new Uint8Array(6);
  cdb[0] = 0x08;
  cdb[1] = flag(p.sili, 1, 'sili') | (p.fixed ? 1 : 0);
  putU24(cdb, 2, p.length);
  cdb[5] = optUint(p.control, 8, 'control');
  return spec(cdb, 'in', bytes, 'READ(6)');
}

/** WRITE(6) on a tape (0Ah, SSC-5): FIXED byte 1 bit 0; TRANSFER LENGTH bytes 2-4. */
export function buildTapeWrite6(p: TapeTransferParams): CdbSpec {
  checkParams(p, 'p');
  const bytes = tapeTransferBytes(p);
  const cdb = new Uint8Array(6);
  cdb[0] = 0x0a;
  cdb[1] = p.fixed ? 1 : 0;
  putU24(cdb, 2, p.length);
  cdb[5] = optUint(p.control, 8, 'control');
  return specOut(cdb, bytes, 'WRITE(6)');
}

// ---------------------------------------------------------------------------------------------
// READ BLOCK LIMITS, REPORT DENSITY SUPPORT

export interface ReadBlockLimitsParams {
  /** MLOI: answer the 20-byte maximum logical object identifier form instead of the 6-byte limits. @default false */
  readonly mloi?: boolean;
  /** @default 0 */
  readonly control?: number;
}
export const ReadBlockLimitsParamsSchema: z.ZodType<ReadBlockLimitsParams> = z.strictObject({
  mloi: zFlag,
  control: zControl,
});

/** READ BLOCK LIMITS (05h, SSC-5): MLOI byte 1 bit 0; 6 bytes answered, 20 with MLOI. */
export function buildReadBlockLimits(p: ReadBlockLimitsParams = {}): CdbSpec {
  checkParams(p, 'p');
  const cdb = new Uint8Array(6);
  cdb[0] = 0x05;
  cdb[1] = flag(p.mloi, 0, 'mloi');
  cdb[5] = optUint(p.control, 8, 'control');
  return specIn(cdb, p.mloi === true ? 20 : 6, 'READ BLOCK LIMITS');
}

export interface ReportDensitySupportParams {
  /** MEDIA: only what the mounted medium supports (else everything the drive does). @default false */
  readonly media?: boolean;
  /** MEDIUM TYPE: medium type descriptors instead of density descriptors. @default false */
  readonly mediumType?: boolean;
  /** @default 8192 */
  readonly allocationLength?: number;
  /** @default 0 */
  readonly control?: number;
}
export const ReportDensitySupportParamsSchema: z.ZodType<ReportDensitySupportParams> = z.strictObject({
  media: zFlag,
  mediumType: zFlag,
  allocationLength: zUint(16).exactOptional(),
  control: zControl,
});

/** REPORT DENSITY SUPPORT (44h, SSC-5): MEDIUM TYPE byte 1 bit 1, MEDIA bit 0; ALLOCATION LENGTH bytes 7-8. */
export function buildReportDensitySupport(p: ReportDensitySupportParams = {}): CdbSpec {
  checkParams(p, 'p');
  const alloc = optUint(p.allocationLength, 16, 'allocationLength', 8192);
  const cdb = new Uint8Array(10);
  cdb[0] = 0x44;
  cdb[1] = flag(p.mediumType, 1, 'mediumType') | flag(p.media, 0, 'media');
  putU16(cdb, 7, alloc);
  cdb[9] = optUint(p.control, 8, 'control');
  return specIn(cdb, alloc, 'REPORT DENSITY SUPPORT');
}

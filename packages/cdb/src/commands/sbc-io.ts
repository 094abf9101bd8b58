/**
 * SBC-4 data-transfer commands: READ, WRITE, WRITE AND VERIFY, VERIFY, WRITE SAME, ORWRITE, WRITE ATOMIC,
 * COMPARE AND WRITE, PRE-FETCH and SYNCHRONIZE CACHE, plus allocation-free READ/WRITE(10/16) encoders
 * for the I/O hot path.
 *
 * Layouts follow SBC-4 (section 5) as sg3_utils implements them. GROUP NUMBER is the 6-bit field of
 * SBC-5/SPC-6 (SBC-4 defined bits 4-0 and reserved bit 5). The 32-byte variants use the
 * variable-length CDB (7Fh, ADDITIONAL CDB LENGTH 18h, service action in bytes 8-9).
 */
import { z } from 'zod';
import { checkParams, show } from '../args.js';
import { checkBigUint, checkUint, putU16, putU32, putU64 } from '../bytes.js';
import { CdbBuildError } from '../errors.js';
import type { CdbSpec } from '../types.js';
import { flag, MAX_U64, spec, zLba64, zUint } from './cdb-spec.js';

/** Opcodes of the commands built here (SBC-4 "commands for direct access block devices" table). */
export const SBC_IO_OPCODES = {
  read6: 0x08,
  write6: 0x0a,
  read10: 0x28,
  write10: 0x2a,
  writeAndVerify10: 0x2e,
  verify10: 0x2f,
  preFetch10: 0x34,
  synchronizeCache10: 0x35,
  writeSame10: 0x41,
  variableLength: 0x7f,
  read16: 0x88,
  compareAndWrite: 0x89,
  write16: 0x8a,
  orwrite16: 0x8b,
  writeAndVerify16: 0x8e,
  verify16: 0x8f,
  preFetch16: 0x90,
  synchronizeCache16: 0x91,
  writeSame16: 0x93,
  writeAtomic16: 0x9c,
  read12: 0xa8,
  write12: 0xaa,
  writeAndVerify12: 0xae,
  verify12: 0xaf,
} as const;

/** Service actions of the 32-byte variable-length CDB (7Fh) used here (SBC-4). */
export const SBC_VARIABLE_LENGTH_SA = {
  read32: 0x0009,
  verify32: 0x000a,
  write32: 0x000b,
  writeAndVerify32: 0x000c,
  writeSame32: 0x000d,
} as const;

/**
 * Byte-1 flag bits of READ/WRITE(10/16) for the `encode…` hot-path functions. RDPROTECT/WRPROTECT
 * go in bits 7-5 (`protect << 5`). DLD2 exists only in the 16-byte CDBs; RARC only in READ.
 */
export const RwFlag = { DPO: 0x10, FUA: 0x08, RARC: 0x04, DLD2: 0x01 } as const;

const TWO32 = 4294967296;

// ---------------------------------------------------------------------------------------------
// Parameter types
// ---------------------------------------------------------------------------------------------

/** CDB sizes a READ/WRITE can take. */
export type RwCdbSize = 6 | 10 | 12 | 16 | 32;
/** CDB sizes of WRITE AND VERIFY and VERIFY (no 6-byte form). */
export type VerifyCdbSize = 10 | 12 | 16 | 32;

interface TransferParamsBase {
  /** First logical block. 21 bits in 6-byte CDBs, 32 bits in 10/12, 64 bits in 16/32. */
  readonly lba: bigint | number;
  /**
   * Number of logical blocks. 16 bits in 10-byte CDBs, 32 bits in 12/16/32. READ(6)/WRITE(6):
   * 1..256 (256 is encoded as 0, and 0 is refused because on the wire it means 256).
   */
  readonly blocks: number;
  /**
   * Bytes per block in the data buffer, used only to compute `transferLength`. Include the
   * protection information bytes when (RD|WR|VR)PROTECT is non-zero (e.g. 520 for 512+8).
   * @default 512
   */
  readonly blockLength?: number;
  /** @default 0 */
  readonly group?: number;
  /** CONTROL byte (NACA etc.). @default 0 */
  readonly control?: number;
  /** 32-byte CDB only: EXPECTED INITIAL LOGICAL BLOCK REFERENCE TAG. @default 0 */
  readonly eilbrt?: number;
  /** 32-byte CDB only: EXPECTED LOGICAL BLOCK APPLICATION TAG. @default 0 */
  readonly elbat?: number;
  /** 32-byte CDB only: LOGICAL BLOCK APPLICATION TAG MASK. @default 0 */
  readonly lbatm?: number;
}

/** READ(6/10/12/16/32) parameters (SBC-4 READ commands). */
export interface ReadParams extends TransferParamsBase {
  /** 3 bits; not in READ(6). @default 0 */
  readonly rdprotect?: number;
  /** Disable page out (cache retention hint); not in READ(6). @default false */
  readonly dpo?: boolean;
  /** Force unit access; not in READ(6). @default false */
  readonly fua?: boolean;
  /** Rebuild assist recovery control; not in READ(6). @default false */
  readonly rarc?: boolean;
  /** Duration limit descriptor (3 bits: DLD2 in byte 1, DLD1/DLD0 in byte 14); READ(16) only. @default 0 */
  readonly dld?: number;
}

/** WRITE(6/10/12/16/32) parameters (SBC-4 WRITE commands). */
export interface WriteParams extends TransferParamsBase {
  /** 3 bits; not in WRITE(6). @default 0 */
  readonly wrprotect?: number;
  /** @default false */
  readonly dpo?: boolean;
  /** @default false */
  readonly fua?: boolean;
  /** Duration limit descriptor, WRITE(16) only. @default 0 */
  readonly dld?: number;
}

/** WRITE AND VERIFY(10/12/16/32) parameters. Always moves `blocks` of data out. */
export interface WriteAndVerifyParams extends TransferParamsBase {
  /** @default 0 */
  readonly wrprotect?: number;
  /** @default false */
  readonly dpo?: boolean;
  /** 2 bits: 00b verify medium only, 01b also compare with the data-out buffer. @default 0 */
  readonly bytchk?: number;
}

/** VERIFY(10/12/16/32) parameters; `blocks` is the VERIFICATION LENGTH. */
export interface VerifyParams extends TransferParamsBase {
  /** @default 0 */
  readonly vrprotect?: number;
  /** @default false */
  readonly dpo?: boolean;
  /**
   * 00b: medium check only, no data-out. 01b: compare `blocks` blocks sent in the data-out buffer.
   * 11b: one block is sent and compared with every block in the range. 10b is reserved (refused).
   * @default 0
   */
  readonly bytchk?: number;
}

/** WRITE SAME(10/16/32) parameters. */
export interface WriteSameParams extends TransferParamsBase {
  /** @default 0 */
  readonly wrprotect?: number;
  /** Anchor instead of deallocate (with `unmap`). @default false */
  readonly anchor?: boolean;
  /** Allow the device to unmap the range. @default false */
  readonly unmap?: boolean;
  /** No data-out buffer: write zeros (16/32 only). @default false */
  readonly ndob?: boolean;
}

/** ORWRITE(16) parameters. */
export interface OrwriteParams extends TransferParamsBase {
  /** @default 0 */
  readonly orprotect?: number;
  /** @default false */
  readonly dpo?: boolean;
  /** @default false */
  readonly fua?: boolean;
}

/** WRITE ATOMIC(16) parameters. `blocks` is 16 bits here. */
export interface WriteAtomicParams extends TransferParamsBase {
  /** @default 0 */
  readonly wrprotect?: number;
  /** @default false */
  readonly dpo?: boolean;
  /** @default false */
  readonly fua?: boolean;
  /** ATOMIC BOUNDARY (16 bits), 0 = the whole transfer is one atomic write. @default 0 */
  readonly atomicBoundary?: number;
}

/** COMPARE AND WRITE parameters. `blocks` is the 8-bit NUMBER OF LOGICAL BLOCKS. */
export interface CompareAndWriteParams extends TransferParamsBase {
  /** @default 0 */
  readonly wrprotect?: number;
  /** @default false */
  readonly dpo?: boolean;
  /** @default false */
  readonly fua?: boolean;
}

/** PRE-FETCH(10/16) and SYNCHRONIZE CACHE(10/16): no data transfer. `blocks` 0 = to the last LBA. */
export interface CacheRangeParams {
  /** @default 0 */
  readonly lba?: bigint | number;
  /** 16 bits in the 10-byte CDB, 32 bits in the 16-byte one. 0 means "through the last LBA". @default 0 */
  readonly blocks?: number;
  /** Return status before the operation completes. @default false */
  readonly immed?: boolean;
  /** @default 0 */
  readonly group?: number;
  /** @default 0 */
  readonly control?: number;
}
export type PreFetchParams = CacheRangeParams;
export type SynchronizeCacheParams = CacheRangeParams;

/** Options for `buildReadAuto`/`buildWriteAuto`. */
export interface AutoSizeOptions {
  /** Largest CDB to use. @default 16 */
  readonly maxCdb?: 10 | 16;
  /** Allow READ(6)/WRITE(6) when everything fits and no flags are set. @default false */
  readonly allow6?: boolean;
}
export type ReadAutoParams = Omit<ReadParams, 'eilbrt' | 'elbat' | 'lbatm'> & AutoSizeOptions;
export type WriteAutoParams = Omit<WriteParams, 'eilbrt' | 'elbat' | 'lbatm'> & AutoSizeOptions;

// ---------------------------------------------------------------------------------------------
// zod schemas (API boundary only; builders never run them)
// ---------------------------------------------------------------------------------------------

const transferBaseShape = {
  lba: zLba64,
  blocks: zUint(32),
  blockLength: zUint(32).min(1).optional(),
  group: zUint(6).optional(),
  control: zUint(8).optional(),
  eilbrt: zUint(32).optional(),
  elbat: zUint(16).optional(),
  lbatm: zUint(16).optional(),
};

export const ReadParamsSchema = z.strictObject({
  ...transferBaseShape,
  rdprotect: zUint(3).optional(),
  dpo: z.boolean().optional(),
  fua: z.boolean().optional(),
  rarc: z.boolean().optional(),
  dld: zUint(3).optional(),
});
export const WriteParamsSchema = z.strictObject({
  ...transferBaseShape,
  wrprotect: zUint(3).optional(),
  dpo: z.boolean().optional(),
  fua: z.boolean().optional(),
  dld: zUint(3).optional(),
});
export const WriteAndVerifyParamsSchema = z.strictObject({
  ...transferBaseShape,
  wrprotect: zUint(3).optional(),
  dpo: z.boolean().optional(),
  bytchk: zUint(2).optional(),
});
export const VerifyParamsSchema = z.strictObject({
  ...transferBaseShape,
  vrprotect: zUint(3).optional(),
  dpo: z.boolean().optional(),
  bytchk: z.union([z.literal(0), z.literal(1), z.literal(3)]).optional(),
});
export const WriteSameParamsSchema = z.strictObject({
  ...transferBaseShape,
  wrprotect: zUint(3).optional(),
  anchor: z.boolean().optional(),
  unmap: z.boolean().optional(),
  ndob: z.boolean().optional(),
});
export const OrwriteParamsSchema = z.strictObject({
  ...transferBaseShape,
  orprotect: zUint(3).optional(),
  dpo: z.boolean().optional(),
  fua: z.boolean().optional(),
});
export const WriteAtomicParamsSchema = z.strictObject({
  ...transferBaseShape,
  blocks: zUint(16),
  wrprotect: zUint(3).optional(),
  dpo: z.boolean().optional(),
  fua: z.boolean().optional(),
  atomicBoundary: zUint(16).optional(),
});
export const CompareAndWriteParamsSchema = z.strictObject({
  ...transferBaseShape,
  blocks: zUint(8),
  wrprotect: zUint(3).optional(),
  dpo: z.boolean().optional(),
  fua: z.boolean().optional(),
});
const cacheRangeShape = {
  lba: zLba64.optional(),
  blocks: zUint(32).optional(),
  immed: z.boolean().optional(),
  group: zUint(6).optional(),
  control: zUint(8).optional(),
};
export const PreFetchParamsSchema = z.strictObject(cacheRangeShape);
export const SynchronizeCacheParamsSchema = z.strictObject(cacheRangeShape);
const autoShape = {
  maxCdb: z.union([z.literal(10), z.literal(16)]).optional(),
  allow6: z.boolean().optional(),
};
export const ReadAutoParamsSchema = ReadParamsSchema.omit({ eilbrt: true, elbat: true, lbatm: true }).extend(
  autoShape,
);
export const WriteAutoParamsSchema = WriteParamsSchema.omit({
  eilbrt: true,
  elbat: true,
  lbatm: true,
}).extend(autoShape);

// ---------------------------------------------------------------------------------------------
// Shared encoding
// ---------------------------------------------------------------------------------------------

/** Refuses a field the chosen CDB has no room for, instead of dropping it silently. */
function notIn(name: string, field: string, value: number | boolean | undefined): void {
  if (value !== undefined && value !== 0 && value !== false) {
    throw new CdbBuildError(field, `is not available in ${name}`);
  }
}

function byteCount(blocks: number, blockLength: number | undefined): number {
  const bl = blockLength === undefined ? 512 : checkUint(blockLength, 32, 'blockLength');
  if (bl === 0) throw new CdbBuildError('blockLength', 'must be at least 1');
  const n = blocks * bl;
  if (n > Number.MAX_SAFE_INTEGER) {
    throw new CdbBuildError('blocks', `blocks × blockLength (${n}) exceeds Number.MAX_SAFE_INTEGER`);
  }
  return n;
}

const LBA_BITS: Readonly<Record<RwCdbSize, number>> = { 6: 21, 10: 32, 12: 32, 16: 64, 32: 64 };
const LEN_BITS: Readonly<Record<RwCdbSize, number>> = { 6: 8, 10: 16, 12: 32, 16: 32, 32: 32 };

interface RwFields {
  readonly name: string;
  readonly size: RwCdbSize;
  /** Opcode, or the service action for size 32. */
  readonly code: number;
  /** Byte 1 (byte 10 in 32-byte CDBs), already validated. */
  readonly flags: number;
  readonly lba: bigint;
  /** Value of the length field, already validated (READ(6): 0 for 256). */
  readonly length: number;
  readonly group: number;
  readonly control: number;
  readonly dld: number;
  readonly eilbrt: number;
  readonly elbat: number;
  readonly lbatm: number;
}

/** Lays out the common READ/WRITE-shaped CDB shared by READ, WRITE, VERIFY, WRITE AND VERIFY, WRITE SAME. */
function encodeRwCdb(f: RwFields): Uint8Array {
  const cdb = new Uint8Array(f.size);
  switch (f.size) {
    case 6: {
      const lba = Number(f.lba);
      cdb[0] = f.code;
      cdb[1] = (lba >>> 16) & 0x1f;
      putU16(cdb, 2, lba & 0xffff);
      cdb[4] = f.length;
      cdb[5] = f.control;
      break;
    }
    case 10:
      cdb[0] = f.code;
      cdb[1] = f.flags;
      putU32(cdb, 2, Number(f.lba));
      cdb[6] = f.group;
      putU16(cdb, 7, f.length);
      cdb[9] = f.control;
      break;
    case 12:
      cdb[0] = f.code;
      cdb[1] = f.flags;
      putU32(cdb, 2, Number(f.lba));
      putU32(cdb, 6, f.length);
      cdb[10] = f.group;
      cdb[11] = f.control;
      break;
    case 16:
      cdb[0] = f.code;
      cdb[1] = f.flags | ((f.dld >> 2) & 1);
      putU64(cdb, 2, f.lba);
      putU32(cdb, 10, f.length);
      cdb[14] = ((f.dld & 3) << 6) | f.group;
      cdb[15] = f.control;
      break;
    case 32:
      cdb[0] = SBC_IO_OPCODES.variableLength;
      cdb[1] = f.control;
      cdb[6] = f.group;
      cdb[7] = 0x18;
      putU16(cdb, 8, f.code);
      cdb[10] = f.flags;
      putU64(cdb, 12, f.lba);
      putU32(cdb, 20, f.eilbrt);
      putU16(cdb, 24, f.elbat);
      putU16(cdb, 26, f.lbatm);
      putU32(cdb, 28, f.length);
      break;
  }
  return cdb;
}

interface CommonChecked {
  lba: bigint;
  length: number;
  group: number;
  control: number;
  dld: number;
  eilbrt: number;
  elbat: number;
  lbatm: number;
}

/** Range-checks the fields every transfer command shares against the chosen CDB size. */
function checkCommon(
  name: string,
  size: RwCdbSize,
  p: TransferParamsBase & { readonly dld?: number },
  dldAllowed: boolean,
): CommonChecked {
  checkParams(p, 'params');
  const lba = checkBigUint(p.lba, LBA_BITS[size], 'lba');
  let length: number;
  if (size === 6) {
    // 6-byte CDBs: TRANSFER LENGTH 0 means 256 blocks, so 256 is sent as 0 and 0 is refused.
    if (!Number.isInteger(p.blocks) || p.blocks < 1 || p.blocks > 256) {
      throw new CdbBuildError(
        'blocks',
        `must be an integer in [1, 256] for ${name} (256 is encoded as 0; 0 would mean 256), got ${show(p.blocks)}`,
        '1..256',
      );
    }
    length = p.blocks & 0xff;
    notIn(name, 'group', p.group);
  } else {
    length = checkUint(p.blocks, LEN_BITS[size], 'blocks');
  }
  const group = p.group === undefined ? 0 : checkUint(p.group, 6, 'group');
  const control = p.control === undefined ? 0 : checkUint(p.control, 8, 'control');
  let dld = 0;
  if (dldAllowed && size === 16) dld = p.dld === undefined ? 0 : checkUint(p.dld, 3, 'dld');
  else notIn(name, 'dld', p.dld);
  let eilbrt = 0;
  let elbat = 0;
  let lbatm = 0;
  if (size === 32) {
    eilbrt = p.eilbrt === undefined ? 0 : checkUint(p.eilbrt, 32, 'eilbrt');
    elbat = p.elbat === undefined ? 0 : checkUint(p.elbat, 16, 'elbat');
    lbatm = p.lbatm === undefined ? 0 : checkUint(p.lbatm, 16, 'lbatm');
  } else {
    notIn(name, 'eilbrt', p.eilbrt);
    notIn(name, 'elbat', p.elbat);
    notIn(name, 'lbatm', p.lbatm);
  }
  return { lba, length, group, control, dld, eilbrt, elbat, lbatm };
}

function protect(value: number | undefined, field: string): number {
  return value === undefined ? 0 : checkUint(value, 3, field) << 5;
}

function checkSize<T extends number>(size: number, allowed: readonly T[], what: string): T {
  if (!(allowed as readonly number[]).includes(size)) {
    throw new CdbBuildError(
      'size',
      `${what} has no ${show(size)}-byte CDB; use one of ${allowed.join(', ')}`,
    );
  }
  return size as T;
}

// ---------------------------------------------------------------------------------------------
// READ / WRITE
// ---------------------------------------------------------------------------------------------

const READ_CODES: Readonly<Record<RwCdbSize, number>> = {
  6: SBC_IO_OPCODES.read6,
  10: SBC_IO_OPCODES.read10,
  12: SBC_IO_OPCODES.read12,
  16: SBC_IO_OPCODES.read16,
  32: SBC_VARIABLE_LENGTH_SA.read32,
};
const WRITE_CODES: Readonly<Record<RwCdbSize, number>> = {
  6: SBC_IO_OPCODES.write6,
  10: SBC_IO_OPCODES.write10,
  12: SBC_IO_OPCODES.write12,
  16: SBC_IO_OPCODES.write16,
  32: SBC_VARIABLE_LENGTH_SA.write32,
};

/**
 * READ of any size (SBC-4 READ (6|10|12|16|32) command tables). Flags the chosen
 * size has no room for (e.g. `fua` in READ(6), `dld` outside READ(16)) throw instead of being dropped.
 */
export function buildRead(p: ReadParams, options: { readonly size: RwCdbSize }): CdbSpec {
  checkParams(p, 'p');
  checkParams(options, 'options');
  const size = checkSize(options.size, [6, 10, 12, 16, 32] as const, 'READ');
  const name = `READ(${size})`;
  const c = checkCommon(name, size, p, true);
  let flags = 0;
  if (size === 6) {
    notIn(name, 'rdprotect', p.rdprotect);
    notIn(name, 'dpo', p.dpo);
    notIn(name, 'fua', p.fua);
    notIn(name, 'rarc', p.rarc);
  } else {
    flags =
      protect(p.rdprotect, 'rdprotect') |
      flag(p.dpo, 4, 'dpo') |
      flag(p.fua, 3, 'fua') |
      flag(p.rarc, 2, 'rarc');
  }
  const cdb = encodeRwCdb({ name, size, code: READ_CODES[size], flags, ...c });
  return spec(cdb, 'in', byteCount(p.blocks, p.blockLength), name);
}

/** WRITE of any size (SBC-4 WRITE (6|10|12|16|32) command tables). */
export function buildWrite(p: WriteParams, options: { readonly size: RwCdbSize }): CdbSpec {
  checkParams(p, 'p');
  checkParams(options, 'options');
  const size = checkSize(options.size, [6, 10, 12, 16, 32] as const, 'WRITE');
  const name = `WRITE(${size})`;
  const c = checkCommon(name, size, p, true);
  let flags = 0;
  if (size === 6) {
    notIn(name, 'wrprotect', p.wrprotect);
    notIn(name, 'dpo', p.dpo);
    notIn(name, 'fua', p.fua);
  } else {
    flags = protect(p.wrprotect, 'wrprotect') | flag(p.dpo, 4, 'dpo') | flag(p.fua, 3, 'fua');
  }
  const cdb = encodeRwCdb({ name, size, code: WRITE_CODES[size], flags, ...c });
  return spec(cdb, 'out', byteCount(p.blocks, p.blockLength), name);
}

/** READ(6): 21-bit LBA, 1..256 blocks (256 encoded as 0), no flags. */
export const buildRead6 = (p: ReadParams): CdbSpec => buildRead(p, { size: 6 });
/** READ(10): 32-bit LBA, 16-bit length (0 transfers nothing). */
export const buildRead10 = (p: ReadParams): CdbSpec => buildRead(p, { size: 10 });
/** READ(12): 32-bit LBA, 32-bit length. */
export const buildRead12 = (p: ReadParams): CdbSpec => buildRead(p, { size: 12 });
/** READ(16): 64-bit LBA, 32-bit length, optional DLD. */
export const buildRead16 = (p: ReadParams): CdbSpec => buildRead(p, { size: 16 });
/** READ(32): 7Fh/0009h with the expected protection-information tags. */
export const buildRead32 = (p: ReadParams): CdbSpec => buildRead(p, { size: 32 });
/** WRITE(6): 21-bit LBA, 1..256 blocks (256 encoded as 0), no flags. */
export const buildWrite6 = (p: WriteParams): CdbSpec => buildWrite(p, { size: 6 });
export const buildWrite10 = (p: WriteParams): CdbSpec => buildWrite(p, { size: 10 });
export const buildWrite12 = (p: WriteParams): CdbSpec => buildWrite(p, { size: 12 });
export const buildWrite16 = (p: WriteParams): CdbSpec => buildWrite(p, { size: 16 });
/** WRITE(32): 7Fh/000Bh with the expected protection-information tags. */
export const buildWrite32 = (p: WriteParams): CdbSpec => buildWrite(p, { size: 32 });

function lbaFits(lba: bigint | number, bits: number): boolean {
  return typeof lba === 'bigint' ? lba >= 0n && lba < 1n << BigInt(bits) : lba >= 0 && lba < 2 ** bits;
}

/**
 * The smallest READ/WRITE CDB that carries the request: 10 when lba < 2^32 and blocks ≤ 0xffff
 * (and no DLD), else 16. 6 only with `allow6`, no flags, lba < 2^21 and 1..256 blocks.
 * Throws (naming the field that does not fit) when `maxCdb: 10` is too small.
 */
function autoSize(p: ReadAutoParams | WriteAutoParams, hasFlags: boolean, what: string): 6 | 10 | 16 {
  // Typed refusals before the comparisons below coerce them (a symbol would throw a TypeError).
  checkBigUint(p.lba, 64, 'lba');
  checkUint(p.blocks, 32, 'blocks');
  const max = p.maxCdb ?? 16;
  if (max !== 10 && max !== 16) throw new CdbBuildError('maxCdb', `must be 10 or 16, got ${show(max)}`);
  const dld = p.dld !== undefined && p.dld !== 0;
  if (
    p.allow6 === true &&
    !hasFlags &&
    !dld &&
    (p.group ?? 0) === 0 &&
    lbaFits(p.lba, 21) &&
    Number.isInteger(p.blocks) &&
    p.blocks >= 1 &&
    p.blocks <= 256
  ) {
    return 6;
  }
  const fits10 = lbaFits(p.lba, 32) && p.blocks <= 0xffff && !dld;
  if (fits10) return 10;
  if (max === 10) {
    const field = dld ? 'dld' : lbaFits(p.lba, 32) ? 'blocks' : 'lba';
    throw new CdbBuildError(field, `does not fit ${what}(10) and maxCdb is 10`);
  }
  return 16;
}

function stripAuto<T extends AutoSizeOptions>(p: T): Omit<T, 'maxCdb' | 'allow6'> {
  const { maxCdb: _m, allow6: _a, ...rest } = p;
  return rest;
}

/** READ with the smallest CDB that fits (see `AutoSizeOptions`). */
export function buildReadAuto(p: ReadAutoParams): CdbSpec {
  checkParams(p, 'p');
  const hasFlags = (p.rdprotect ?? 0) !== 0 || p.dpo === true || p.fua === true || p.rarc === true;
  return buildRead(stripAuto(p), { size: autoSize(p, hasFlags, 'READ') });
}

/** WRITE with the smallest CDB that fits (see `AutoSizeOptions`). */
export function buildWriteAuto(p: WriteAutoParams): CdbSpec {
  checkParams(p, 'p');
  const hasFlags = (p.wrprotect ?? 0) !== 0 || p.dpo === true || p.fua === true;
  return buildWrite(stripAuto(p), { size: autoSize(p, hasFlags, 'WRITE') });
}

// ---------------------------------------------------------------------------------------------
// WRITE AND VERIFY / VERIFY
// ---------------------------------------------------------------------------------------------

const WAV_CODES: Readonly<Record<VerifyCdbSize, number>> = {
  10: SBC_IO_OPCODES.writeAndVerify10,
  12: SBC_IO_OPCODES.writeAndVerify12,
  16: SBC_IO_OPCODES.writeAndVerify16,
  32: SBC_VARIABLE_LENGTH_SA.writeAndVerify32,
};
const VERIFY_CODES: Readonly<Record<VerifyCdbSize, number>> = {
  10: SBC_IO_OPCODES.verify10,
  12: SBC_IO_OPCODES.verify12,
  16: SBC_IO_OPCODES.verify16,
  32: SBC_VARIABLE_LENGTH_SA.verify32,
};

/** WRITE AND VERIFY (SBC-4 WRITE AND VERIFY (10|12|16|32) tables). BYTCHK is bits 2-1 (2 bits since SBC-3 r34). */
export function buildWriteAndVerify(
  p: WriteAndVerifyParams,
  options: { readonly size: VerifyCdbSize },
): CdbSpec {
  checkParams(p, 'p');
  checkParams(options, 'options');
  const size = checkSize(options.size, [10, 12, 16, 32] as const, 'WRITE AND VERIFY');
  const name = `WRITE AND VERIFY(${size})`;
  const c = checkCommon(name, size, p, false);
  const bytchk = p.bytchk === undefined ? 0 : checkUint(p.bytchk, 2, 'bytchk');
  const flags = protect(p.wrprotect, 'wrprotect') | flag(p.dpo, 4, 'dpo') | (bytchk << 1);
  const cdb = encodeRwCdb({ name, size, code: WAV_CODES[size], flags, ...c });
  return spec(cdb, 'out', byteCount(p.blocks, p.blockLength), name);
}

/**
 * VERIFY (SBC-4 VERIFY (10|12|16|32) tables). Data-out only when BYTCHK is
 * non-zero: 01b sends `blocks` blocks, 11b sends a single block.
 */
export function buildVerify(p: VerifyParams, options: { readonly size: VerifyCdbSize }): CdbSpec {
  checkParams(p, 'p');
  checkParams(options, 'options');
  const size = checkSize(options.size, [10, 12, 16, 32] as const, 'VERIFY');
  const name = `VERIFY(${size})`;
  const c = checkCommon(name, size, p, false);
  const bytchk = p.bytchk === undefined ? 0 : checkUint(p.bytchk, 2, 'bytchk');
  if (bytchk === 2) throw new CdbBuildError('bytchk', 'value 10b is reserved (no defined data-out length)');
  const flags = protect(p.vrprotect, 'vrprotect') | flag(p.dpo, 4, 'dpo') | (bytchk << 1);
  const cdb = encodeRwCdb({ name, size, code: VERIFY_CODES[size], flags, ...c });
  const bytes = bytchk === 0 ? 0 : byteCount(bytchk === 3 ? 1 : p.blocks, p.blockLength);
  return spec(cdb, 'out', bytes, name);
}

export const buildWriteAndVerify10 = (p: WriteAndVerifyParams): CdbSpec =>
  buildWriteAndVerify(p, { size: 10 });
export const buildWriteAndVerify12 = (p: WriteAndVerifyParams): CdbSpec =>
  buildWriteAndVerify(p, { size: 12 });
export const buildWriteAndVerify16 = (p: WriteAndVerifyParams): CdbSpec =>
  buildWriteAndVerify(p, { size: 16 });
export const buildWriteAndVerify32 = (p: WriteAndVerifyParams): CdbSpec =>
  buildWriteAndVerify(p, { size: 32 });
export const buildVerify10 = (p: VerifyParams): CdbSpec => buildVerify(p, { size: 10 });
export const buildVerify12 = (p: VerifyParams): CdbSpec => buildVerify(p, { size: 12 });
export const buildVerify16 = (p: VerifyParams): CdbSpec => buildVerify(p, { size: 16 });
export const buildVerify32 = (p: VerifyParams): CdbSpec => buildVerify(p, { size: 32 });

// ---------------------------------------------------------------------------------------------
// WRITE SAME
// ---------------------------------------------------------------------------------------------

function buildWriteSameSized(p: WriteSameParams, size: 10 | 16 | 32): CdbSpec {
  const name = `WRITE SAME(${size})`;
  const c = checkCommon(name, size, p, false);
  if (size === 10) notIn(name, 'ndob', p.ndob);
  const flags =
    protect(p.wrprotect, 'wrprotect') |
    flag(p.anchor, 4, 'anchor') |
    flag(p.unmap, 3, 'unmap') |
    flag(p.ndob, 0, 'ndob');
  const code =
    size === 10
      ? SBC_IO_OPCODES.writeSame10
      : size === 16
        ? SBC_IO_OPCODES.writeSame16
        : SBC_VARIABLE_LENGTH_SA.writeSame32;
  const cdb = encodeRwCdb({ name, size, code, flags, ...c });
  return spec(cdb, 'out', p.ndob === true ? 0 : byteCount(1, p.blockLength), name);
}

/**
 * WRITE SAME(10) (SBC-4 WRITE SAME (10) table): one block of data-out is replicated over `blocks` blocks;
 * `blocks` 0 means "through the last LBA" (when the device's WSNZ bit allows it). No NDOB here.
 */
export const buildWriteSame10 = (p: WriteSameParams): CdbSpec => buildWriteSameSized(p, 10);
/** WRITE SAME(16) (SBC-4 WRITE SAME (16) table). NDOB: no data-out buffer, the device writes zeros. */
export const buildWriteSame16 = (p: WriteSameParams): CdbSpec => buildWriteSameSized(p, 16);
/** WRITE SAME(32), 7Fh/000Dh (SBC-4 WRITE SAME (32) table). */
export const buildWriteSame32 = (p: WriteSameParams): CdbSpec => buildWriteSameSized(p, 32);

// ---------------------------------------------------------------------------------------------
// ORWRITE(16), WRITE ATOMIC(16), COMPARE AND WRITE
// ---------------------------------------------------------------------------------------------

/** ORWRITE(16) (SBC-4 ORWRITE (16) table): 64-bit LBA, 32-bit transfer length, data-out. */
export function buildOrwrite16(p: OrwriteParams): CdbSpec {
  checkParams(p, 'p');
  const name = 'ORWRITE(16)';
  const c = checkCommon(name, 16, p, false);
  const flags = protect(p.orprotect, 'orprotect') | flag(p.dpo, 4, 'dpo') | flag(p.fua, 3, 'fua');
  const cdb = encodeRwCdb({ name, size: 16, code: SBC_IO_OPCODES.orwrite16, flags, ...c });
  return spec(cdb, 'out', byteCount(p.blocks, p.blockLength), name);
}

/**
 * WRITE ATOMIC(16) (SBC-4 WRITE ATOMIC (16) table): ATOMIC BOUNDARY in bytes 10-11 and a 16-bit TRANSFER LENGTH
 * in bytes 12-13 (not the 32-bit field of WRITE(16)).
 */
export function buildWriteAtomic16(p: WriteAtomicParams): CdbSpec {
  checkParams(p, 'p');
  const name = 'WRITE ATOMIC(16)';
  checkUint(p.blocks, 16, 'blocks');
  const c = checkCommon(name, 16, p, false);
  const atomicBoundary =
    p.atomicBoundary === undefined ? 0 : checkUint(p.atomicBoundary, 16, 'atomicBoundary');
  const cdb = new Uint8Array(16);
  cdb[0] = SBC_IO_OPCODES.writeAtomic16;
  cdb[1] = protect(p.wrprotect, 'wrprotect') | flag(p.dpo, 4, 'dpo') | flag(p.fua, 3, 'fua');
  putU64(cdb, 2, c.lba);
  putU16(cdb, 10, atomicBoundary);
  putU16(cdb, 12, c.length);
  cdb[14] = c.group;
  cdb[15] = c.control;
  return spec(cdb, 'out', byteCount(p.blocks, p.blockLength), name);
}

/**
 * COMPARE AND WRITE (SBC-4 COMPARE AND WRITE table): 8-bit NUMBER OF LOGICAL BLOCKS in byte 13; the data-out
 * buffer carries the verify data followed by the write data, so it is 2 × blocks × blockLength.
 */
export function buildCompareAndWrite(p: CompareAndWriteParams): CdbSpec {
  checkParams(p, 'p');
  const name = 'COMPARE AND WRITE';
  checkUint(p.blocks, 8, 'blocks');
  const c = checkCommon(name, 16, p, false);
  const cdb = new Uint8Array(16);
  cdb[0] = SBC_IO_OPCODES.compareAndWrite;
  cdb[1] = protect(p.wrprotect, 'wrprotect') | flag(p.dpo, 4, 'dpo') | flag(p.fua, 3, 'fua');
  putU64(cdb, 2, c.lba);
  cdb[13] = c.length;
  cdb[14] = c.group;
  cdb[15] = c.control;
  return spec(cdb, 'out', 2 * byteCount(p.blocks, p.blockLength), name);
}

// ---------------------------------------------------------------------------------------------
// PRE-FETCH / SYNCHRONIZE CACHE
// ---------------------------------------------------------------------------------------------

function buildCacheRange(p: CacheRangeParams, size: 10 | 16, opcode: number, name: string): CdbSpec {
  checkParams(p, 'params');
  const lba = checkBigUint(p.lba ?? 0, size === 10 ? 32 : 64, 'lba');
  const blocks = checkUint(p.blocks ?? 0, size === 10 ? 16 : 32, 'blocks');
  const group = p.group === undefined ? 0 : checkUint(p.group, 6, 'group');
  const control = p.control === undefined ? 0 : checkUint(p.control, 8, 'control');
  const cdb = new Uint8Array(size);
  cdb[0] = opcode;
  cdb[1] = flag(p.immed, 1, 'immed');
  if (size === 10) {
    putU32(cdb, 2, Number(lba));
    cdb[6] = group;
    putU16(cdb, 7, blocks);
    cdb[9] = control;
  } else {
    putU64(cdb, 2, lba);
    putU32(cdb, 10, blocks);
    cdb[14] = group;
    cdb[15] = control;
  }
  return spec(cdb, 'none', 0, name);
}

/** PRE-FETCH(10) (SBC-4 PRE-FETCH (10) table): IMMED is byte 1 bit 1; PREFETCH LENGTH 0 = through the last LBA. */
export const buildPreFetch10 = (p: PreFetchParams = {}): CdbSpec =>
  buildCacheRange(p, 10, SBC_IO_OPCODES.preFetch10, 'PRE-FETCH(10)');
/** PRE-FETCH(16) (SBC-4 PRE-FETCH (16) table). */
export const buildPreFetch16 = (p: PreFetchParams = {}): CdbSpec =>
  buildCacheRange(p, 16, SBC_IO_OPCODES.preFetch16, 'PRE-FETCH(16)');
/** SYNCHRONIZE CACHE(10) (SBC-4 SYNCHRONIZE CACHE (10) table): `blocks` 0 = from `lba` through the last LBA. */
export const buildSynchronizeCache10 = (p: SynchronizeCacheParams = {}): CdbSpec =>
  buildCacheRange(p, 10, SBC_IO_OPCODES.synchronizeCache10, 'SYNCHRONIZE CACHE(10)');
/** SYNCHRONIZE CACHE(16) (SBC-4 SYNCHRONIZE CACHE (16) table). */
export const buildSynchronizeCache16 = (p: SynchronizeCacheParams = {}): CdbSpec =>
  buildCacheRange(p, 16, SBC_IO_OPCODES.synchronizeCache16, 'SYNCHRONIZE CACHE(16)');

// ---------------------------------------------------------------------------------------------
// Hot path: allocation-free READ/WRITE(10/16) encoders
// ---------------------------------------------------------------------------------------------

function checkTarget(target: Uint8Array, offset: number, size: number): void {
  if (!(offset >= 0 && (offset | 0) === offset && offset + size <= target.length)) {
    throw new CdbBuildError(
      'offset',
      `needs ${size} bytes at ${show(offset)} in a ${target.length}-byte buffer`,
      `${size} bytes`,
    );
  }
}

function encodeRw16(
  target: Uint8Array,
  offset: number,
  opcode: number,
  lba: bigint | number,
  blocks: number,
  flags: number,
  allowedFlags: number,
): void {
  checkTarget(target, offset, 16);
  if (blocks >>> 0 !== blocks)
    throw new CdbBuildError(
      'blocks',
      `must be an integer in [0, 4294967295], got ${show(blocks)}`,
      '32 bits',
    );
  if ((flags & allowedFlags) !== flags) {
    throw new CdbBuildError(
      'flags',
      `only bits 0x${allowedFlags.toString(16)} may be set, got ${show(flags)}`,
    );
  }
  let hi: number;
  let lo: number;
  if (typeof lba === 'number') {
    if (!(lba >= 0 && lba <= Number.MAX_SAFE_INTEGER && Math.floor(lba) === lba)) {
      throw new CdbBuildError(
        'lba',
        `must be an integer in [0, 2^53-1] (use a bigint above), got ${show(lba)}`,
        '64 bits',
      );
    }
    hi = Math.floor(lba / TWO32);
    lo = lba >>> 0;
  } else {
    if (lba < 0n || lba > MAX_U64)
      throw new CdbBuildError('lba', `must be in [0, 2^64-1], got ${show(lba)}`, '64 bits');
    hi = Number(lba >> 32n);
    lo = Number(lba & 0xffffffffn);
  }
  target[offset] = opcode;
  target[offset + 1] = flags;
  target[offset + 2] = hi >>> 24;
  target[offset + 3] = (hi >>> 16) & 0xff;
  target[offset + 4] = (hi >>> 8) & 0xff;
  target[offset + 5] = hi & 0xff;
  target[offset + 6] = lo >>> 24;
  target[offset + 7] = (lo >>> 16) & 0xff;
  target[offset + 8] = (lo >>> 8) & 0xff;
  target[offset + 9] = lo & 0xff;
  target[offset + 10] = blocks >>> 24;
  target[offset + 11] = (blocks >>> 16) & 0xff;
  target[offset + 12] = (blocks >>> 8) & 0xff;
  target[offset + 13] = blocks & 0xff;
  target[offset + 14] = 0;
  target[offset + 15] = 0;
}

function encodeRw10(
  target: Uint8Array,
  offset: number,
  opcode: number,
  lba: bigint | number,
  blocks: number,
  flags: number,
  allowedFlags: number,
): void {
  checkTarget(target, offset, 10);
  if ((blocks & 0xffff) !== blocks)
    throw new CdbBuildError('blocks', `must be an integer in [0, 65535], got ${show(blocks)}`, '16 bits');
  if ((flags & allowedFlags) !== flags) {
    throw new CdbBuildError(
      'flags',
      `only bits 0x${allowedFlags.toString(16)} may be set, got ${show(flags)}`,
    );
  }
  let n: number;
  if (typeof lba === 'number') {
    if (lba >>> 0 !== lba)
      throw new CdbBuildError('lba', `must be an integer in [0, 4294967295], got ${show(lba)}`, '32 bits');
    n = lba;
  } else {
    if (lba < 0n || lba > 0xffffffffn)
      throw new CdbBuildError('lba', `must be in [0, 4294967295], got ${show(lba)}`, '32 bits');
    n = Number(lba);
  }
  target[offset] = opcode;
  target[offset + 1] = flags;
  target[offset + 2] = n >>> 24;
  target[offset + 3] = (n >>> 16) & 0xff;
  target[offset + 4] = (n >>> 8) & 0xff;
  target[offset + 5] = n & 0xff;
  target[offset + 6] = 0;
  target[offset + 7] = blocks >>> 8;
  target[offset + 8] = blocks & 0xff;
  target[offset + 9] = 0;
}

/**
 * Writes a READ(16) CDB into `target[offset..offset+16)` without allocating (number LBAs; a bigint
 * LBA costs two BigInt operations). `flags` is byte 1: `RwFlag.DPO | RwFlag.FUA | RwFlag.RARC |
 * RwFlag.DLD2 | rdprotect << 5`. Group and control are written as 0.
 */
export function encodeRead16(
  target: Uint8Array,
  offset: number,
  lba: bigint | number,
  blocks: number,
  flags = 0,
): void {
  encodeRw16(target, offset, SBC_IO_OPCODES.read16, lba, blocks, flags, 0xfd);
}

/** WRITE(16) counterpart of `encodeRead16`; `flags` may not contain RARC. */
export function encodeWrite16(
  target: Uint8Array,
  offset: number,
  lba: bigint | number,
  blocks: number,
  flags = 0,
): void {
  encodeRw16(target, offset, SBC_IO_OPCODES.write16, lba, blocks, flags, 0xf9);
}

/** READ(10) into `target[offset..offset+10)`: 32-bit LBA, 16-bit length; `flags` without DLD2. */
export function encodeRead10(
  target: Uint8Array,
  offset: number,
  lba: bigint | number,
  blocks: number,
  flags = 0,
): void {
  encodeRw10(target, offset, SBC_IO_OPCODES.read10, lba, blocks, flags, 0xfc);
}

/** WRITE(10) into `target[offset..offset+10)`; `flags` may hold WRPROTECT, DPO and FUA only. */
export function encodeWrite10(
  target: Uint8Array,
  offset: number,
  lba: bigint | number,
  blocks: number,
  flags = 0,
): void {
  encodeRw10(target, offset, SBC_IO_OPCODES.write10, lba, blocks, flags, 0xf8);
}

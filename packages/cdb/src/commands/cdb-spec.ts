/**
 * Internal helpers shared by every CDB builder file (SPC, PR, diagnostic/buffer, security, copy, SBC,
 * ZBC, SAT): CdbSpec constructors, parameter checks and zod pieces. Not part of the package's public
 * surface: do not re-export from index.ts.
 */
import { z } from 'zod';
import { show } from '../args.js';
import { checkBigUint, checkUint, putU32, putU64 } from '../bytes.js';
import { CdbBuildError } from '../errors.js';
import type { CdbSpec, DataDirection } from '../types.js';

/** Largest 64-bit unsigned value (LBAs, reservation keys). */
export const MAX_U64 = (1n << 64n) - 1n;

/**
 * A CdbSpec. A zero-length transfer is sent as direction 'none' so transports never set up an empty
 * data phase (SPC: allocation / parameter list length 0 means "move no data").
 */
export function spec(
  cdb: Uint8Array,
  direction: DataDirection,
  transferLength: number,
  name: string,
): CdbSpec {
  return transferLength === 0
    ? { cdb, direction: 'none', transferLength: 0, name }
    : { cdb, direction, transferLength, name };
}

/** A data-in command. Allocation length 0 is legal in SPC and means "move no data", so direction 'none'. */
export function specIn(cdb: Uint8Array, length: number, name: string): CdbSpec {
  return { cdb, direction: length === 0 ? 'none' : 'in', transferLength: length, name };
}

/** A data-out command. Parameter list length 0 means no data-out phase, so direction 'none'. */
export function specOut(cdb: Uint8Array, length: number, name: string): CdbSpec {
  return { cdb, direction: length === 0 ? 'none' : 'out', transferLength: length, name };
}

export function specNone(cdb: Uint8Array, name: string): CdbSpec {
  return { cdb, direction: 'none', transferLength: 0, name };
}

/**
 * An optional boolean parameter as a bit mask. Rejects non-booleans so a JS caller passing `1` or
 * `'yes'` gets a CdbBuildError instead of a silently set (or cleared) bit.
 */
export function flag(value: boolean | undefined, bit: number, field: string): number {
  if (value === undefined || value === false) return 0;
  if (value === true) return 1 << bit;
  throw new CdbBuildError(field, `must be a boolean, got ${typeof value}`);
}

/** An optional unsigned parameter: `fallback` when omitted, else range-checked like checkUint. */
export function optUint(value: number | undefined, bits: number, field: string, fallback = 0): number {
  return value === undefined ? fallback : checkUint(value, bits, field);
}

/** Guards byte-array parameters for JavaScript callers that bypass the types. */
export function checkBytes(value: unknown, field: string): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new CdbBuildError(field, 'must be a Uint8Array');
  return value;
}

/** Like checkUint but with a lower bound too (allocation lengths T10 requires to be at least N). */
export function checkUintMin(value: number, bits: number, min: number, field: string): number {
  checkUint(value, bits, field);
  if (value < min) throw new CdbBuildError(field, `must be at least ${min}, got ${value}`, `>= ${min}`);
  return value;
}

/**
 * Resolves a code given either by name (a key of `table`) or as a raw number that must fit `bits`.
 * Raw numbers let callers reach reserved or vendor-specific values the name table does not cover.
 */
export function pickCode<K extends string>(
  table: Readonly<Record<K, number>>,
  value: K | number,
  bits: number,
  field: string,
): number {
  if (typeof value === 'number') return checkUint(value, bits, field);
  if (typeof value === 'string' && Object.hasOwn(table, value)) return table[value];
  throw new CdbBuildError(
    field,
    `must be one of ${Object.keys(table).join(', ')} or an integer of ${bits} bits, got ${show(value)}`,
  );
}

/** Resolves a code that may only be given by name (a key of `table`). */
export function pickName<K extends string>(
  table: Readonly<Record<K, number>>,
  value: K,
  field: string,
): number {
  if (typeof value === 'string' && Object.hasOwn(table, value)) return table[value];
  throw new CdbBuildError(field, `must be one of ${Object.keys(table).join(', ')}, got ${show(value)}`);
}

/** zod: an unsigned integer of `bits` bits. */
export function zUint(bits: number): z.ZodNumber {
  return z
    .number()
    .int()
    .min(0)
    .max(bits >= 53 ? Number.MAX_SAFE_INTEGER : 2 ** bits - 1);
}

/** zod: an unsigned 64-bit-or-less quantity as bigint. */
export function zBigUint(bits: number): z.ZodBigInt {
  return z
    .bigint()
    .min(0n)
    .max((1n << BigInt(bits)) - 1n);
}

/** zod: a 64-bit LBA, as bigint or as a safe-integer number. */
export const zLba64 = z.union([zBigUint(64), zUint(53)]);

/** zod: a code given by name or as a raw number of `bits` bits. */
export function zCode<K extends string>(table: Readonly<Record<K, number>>, bits: number) {
  const names = Object.keys(table) as [K, ...K[]];
  return z.union([z.enum(names), zUint(bits)]);
}

/** What `lbaIn16` writes: the service action's 16-byte CDB with a 64-bit LBA and a 32-bit allocation length. */
export interface LbaIn16 {
  readonly opcode: number;
  readonly serviceAction: number;
  readonly name: string;
  /** The LBA field's name in errors (`lba`, `startingLba`, `zoneStartLba`…). */
  readonly lbaField: string;
  readonly lba: bigint | number;
  readonly allocationLength: number | undefined;
  readonly defaultAllocation: number;
  /** Byte 14, checked by the caller (PMI, REPORT TYPE, ONE_SEG, REPORTING OPTIONS…). */
  readonly byte14: number;
  readonly control: number | undefined;
}

/**
 * The data-in commands of SERVICE ACTION IN(16) and ZBC IN share one layout: service action in
 * byte 1, LBA in bytes 2-9, ALLOCATION LENGTH in bytes 10-13, a command-specific byte 14.
 */
export function lbaIn16(c: LbaIn16): CdbSpec {
  const lba = checkBigUint(c.lba, 64, c.lbaField);
  const alloc = optUint(c.allocationLength, 32, 'allocationLength', c.defaultAllocation);
  const cdb = new Uint8Array(16);
  cdb[0] = c.opcode;
  cdb[1] = c.serviceAction;
  putU64(cdb, 2, lba);
  putU32(cdb, 10, alloc);
  cdb[14] = c.byte14;
  cdb[15] = optUint(c.control, 8, 'control');
  return spec(cdb, 'in', alloc, c.name);
}

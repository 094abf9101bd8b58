/**
 * REPORT LUNS parameter data (SPC-6 REPORT LUNS command) and the 8-byte LUN structure (SAM-6 LUN representation): address
 * methods, well-known logical units, and Linux's integer LUN mapping.
 */
import { ByteReader, type ByteSource, checkBigUint, checkUint, toBytes } from '../bytes.js';
import { DecodeError } from '../errors.js';

/** SAM-6 address method, bits 7-6 of each 2-byte level. */
export type LunAddressMethod = 'peripheral' | 'flat' | 'logicalUnit' | 'extended';

/** Well-known logical unit numbers (SPC-6 "Well known logical unit numbers", the W-LUN field of extended address method 1). */
export const WELL_KNOWN_LUN_NAMES: Readonly<Record<number, string>> = {
  1: 'REPORT LUNS',
  2: 'ACCESS CONTROLS',
  3: 'TARGET LOG PAGES',
  4: 'SECURITY PROTOCOL',
  5: 'MANAGEMENT PROTOCOL',
};

export interface WellKnownLun {
  /** W-LUN field. */
  readonly wlun: number;
  /** T10 name without the "well known logical unit" suffix; 'reserved' when unassigned. */
  readonly name: string;
}

/** One addressing level of a LUN (2, 4, 6 or 8 bytes). */
export interface LunLevel {
  readonly addressMethod: LunAddressMethod;
  /** The bytes of this level (copy). */
  readonly bytes: Uint8Array;
  /** Peripheral method: BUS IDENTIFIER (non-zero means the next level addresses through this bus); logical unit method: BUS NUMBER. */
  readonly busIdentifier?: number;
  /** Peripheral method with a non-zero bus identifier, or the logical unit method: TARGET. */
  readonly target?: number;
  /** The LUN this level addresses, when it addresses one (peripheral bus 0, flat, logical unit, extended flat). */
  readonly lunNumber?: number;
  /** Extended method: LENGTH field (0-3: 2, 4, 6, 8 bytes). */
  readonly length?: number;
  /** Extended method: EXTENDED ADDRESS METHOD field. */
  readonly extendedAddressMethod?: number;
  /** Extended method: the value after the first byte, as a number (≤ 56 bits, so bigint for length 3). */
  readonly extendedValue?: bigint;
  /** Extended method 1 with length 0: a well-known logical unit. */
  readonly wellKnown?: WellKnownLun;
  /** Extended method 0Fh with length 3: "logical unit not specified". */
  readonly notSpecified?: boolean;
}

/** A decoded 8-byte LUN. The top-level fields repeat the first level for convenience. */
export interface LunDescriptor {
  /** The 8 bytes as one big-endian bigint (T10 order, e.g. LUN 1 = 0x0001000000000000n). */
  readonly lun: bigint;
  readonly bytes: Uint8Array;
  readonly addressMethod: LunAddressMethod;
  readonly busIdentifier?: number;
  readonly target?: number;
  /** The LUN number the first level addresses, e.g. 5 for both 0005… (peripheral) and 4005… (flat). */
  readonly lunNumber?: number;
  readonly wellKnown?: WellKnownLun;
  /** Every addressing level decoded; more than one only when a peripheral level names a bus. */
  readonly levels: readonly LunLevel[];
  readonly multiLevel: boolean;
  /** Linux's integer for this LUN (scsilun_to_int), as shown in H:C:T:L. */
  readonly linuxLun: bigint;
  /** An extended address ran past byte 8, or non-zero bytes follow the last level. */
  readonly malformed: boolean;
}

function beBig(bytes: Uint8Array, start: number, end: number): bigint {
  let v = 0n;
  for (let i = start; i < end; i++) v = (v << 8n) | BigInt(bytes[i] as number);
  return v;
}

function decodeLevel(
  b: Uint8Array,
  off: number,
): { level: LunLevel; size: number; next: boolean } | undefined {
  const b0 = b[off] as number;
  const b1 = b[off + 1] as number;
  const method = b0 >> 6;
  if (method === 0) {
    const bus = b0 & 0x3f;
    const bytes = b.slice(off, off + 2);
    if (bus === 0)
      return {
        level: { addressMethod: 'peripheral', bytes, busIdentifier: 0, lunNumber: b1 },
        size: 2,
        next: false,
      };
    return {
      level: { addressMethod: 'peripheral', bytes, busIdentifier: bus, target: b1 },
      size: 2,
      next: true,
    };
  }
  if (method === 1) {
    return {
      level: { addressMethod: 'flat', bytes: b.slice(off, off + 2), lunNumber: ((b0 & 0x3f) << 8) | b1 },
      size: 2,
      next: false,
    };
  }
  if (method === 2) {
    return {
      level: {
        addressMethod: 'logicalUnit',
        bytes: b.slice(off, off + 2),
        target: b0 & 0x3f,
        busIdentifier: b1 >> 5,
        lunNumber: b1 & 0x1f,
      },
      size: 2,
      next: false,
    };
  }
  const length = (b0 >> 4) & 3;
  const eam = b0 & 0x0f;
  const size = 2 + 2 * length;
  if (off + size > b.length) return undefined;
  const value = beBig(b, off + 1, off + size);
  const base = {
    addressMethod: 'extended' as const,
    bytes: b.slice(off, off + size),
    length,
    extendedAddressMethod: eam,
    extendedValue: value,
  };
  if (length === 0 && eam === 1) {
    return {
      level: { ...base, wellKnown: { wlun: b1, name: WELL_KNOWN_LUN_NAMES[b1] ?? 'reserved' } },
      size,
      next: false,
    };
  }
  if (eam === 2 && (length === 1 || length === 2)) {
    // Extended flat space (24-bit) and long extended flat space (40-bit) LUNs.
    return { level: { ...base, lunNumber: Number(value) }, size, next: false };
  }
  if (length === 3 && eam === 0x0f) return { level: { ...base, notSpecified: true }, size, next: false };
  return { level: base, size, next: false };
}

/**
 * Decodes one 8-byte LUN per SAM-6: a peripheral level with a non-zero bus identifier is followed by
 * the next level (up to four); anything else ends the address.
 */
export function decodeLun(source: ByteSource): LunDescriptor {
  const r = new ByteReader(source);
  r.need(0, 8, 'lun');
  const b = r.bytes.subarray(0, 8);
  const levels: LunLevel[] = [];
  let off = 0;
  let malformed = false;
  while (off < 8) {
    const d = decodeLevel(b, off);
    if (d === undefined) {
      malformed = true;
      break;
    }
    levels.push(d.level);
    off += d.size;
    if (!d.next) break;
  }
  for (let i = off; i < 8 && !malformed; i++) if (b[i] !== 0) malformed = true;
  const first = levels[0];
  const out: {
    -readonly [K in keyof LunDescriptor]: LunDescriptor[K];
  } = {
    lun: beBig(b, 0, 8),
    bytes: b.slice(),
    addressMethod: first?.addressMethod ?? 'extended',
    levels,
    multiLevel: levels.length > 1,
    linuxLun: lunToInt(b),
    malformed,
  };
  if (first?.busIdentifier !== undefined) out.busIdentifier = first.busIdentifier;
  if (first?.target !== undefined) out.target = first.target;
  if (first?.lunNumber !== undefined) out.lunNumber = first.lunNumber;
  if (first?.wellKnown !== undefined) out.wellKnown = first.wellKnown;
  return out;
}

/** REPORT LUNS parameter data. */
export interface ReportLunsData {
  /** LUN LIST LENGTH: bytes of LUN list the device has (8 per LUN), regardless of the allocation length. */
  readonly lunListLength: number;
  /** The LUNs present in the returned bytes (whole 8-byte entries only). */
  readonly luns: readonly LunDescriptor[];
  /** Bytes 4-7 (reserved) as returned. */
  readonly reserved: Uint8Array;
  /** The list was cut short by the allocation length; re-issue with `requiredAllocationLength`. */
  readonly truncated: boolean;
  /** lunListLength + 8: the allocation length that returns the whole list. */
  readonly requiredAllocationLength: number;
  readonly requiredLength: number;
  readonly availableLength: number;
}

/** Decodes REPORT LUNS parameter data. Needs the 8-byte header; LUN LIST LENGTH must be a multiple of 8. */
export function decodeReportLuns(source: ByteSource): ReportLunsData {
  const r = new ByteReader(source);
  const lunListLength = r.u32(0, 'lunListLength');
  const reserved = r.slice(4, 4, 'reserved');
  if (lunListLength % 8 !== 0) {
    throw new DecodeError('lunListLength', `must be a multiple of 8, got ${lunListLength}`, 0);
  }
  const required = lunListLength + 8;
  const listBytes = Math.min(lunListLength, r.length - 8);
  const count = Math.floor(listBytes / 8);
  const luns: LunDescriptor[] = [];
  for (let i = 0; i < count; i++) luns.push(decodeLun(r.bytes.subarray(8 + i * 8, 16 + i * 8)));
  return {
    lunListLength,
    luns,
    reserved,
    truncated: r.length < required,
    requiredAllocationLength: required,
    requiredLength: required,
    availableLength: Math.min(r.length, required),
  };
}

/**
 * Encodes a single-level LUN the way Linux and most targets do: peripheral device addressing below
 * 256, flat space addressing below 16384, extended flat space (SAM-6) below 2^24, long extended flat
 * space below 2^40. Throws CdbBuildError above that.
 */
export function encodeLun(n: number): Uint8Array {
  checkUint(n, 40, 'lun');
  const out = new Uint8Array(8);
  if (n < 256) {
    out[1] = n;
  } else if (n < 0x4000) {
    out[0] = 0x40 | (n >> 8);
    out[1] = n & 0xff;
  } else if (n < 0x1000000) {
    out[0] = 0xd2;
    out[1] = (n >>> 16) & 0xff;
    out[2] = (n >>> 8) & 0xff;
    out[3] = n & 0xff;
  } else {
    out[0] = 0xe2;
    let v = n;
    for (let i = 5; i >= 1; i--) {
      out[i] = v % 256;
      v = Math.floor(v / 256);
    }
  }
  return out;
}

/**
 * Linux's scsilun_to_int: each 2-byte level becomes 16 bits of the integer, first level lowest
 * ("word flipped"), address method bits included. So flat LUN 256 (41 00 …) is 0x4100 = 16640.
 */
export function lunToInt(source: ByteSource): bigint {
  const b = toBytes(source);
  if (b.length < 8) throw new DecodeError('lun', `needs 8 bytes but only ${b.length} remain`, 0);
  let v = 0n;
  for (let i = 0; i < 8; i += 2) {
    v |= BigInt(((b[i] as number) << 8) | (b[i + 1] as number)) << BigInt(i * 8);
  }
  return v;
}

/** Linux's int_to_scsilun: the exact inverse of `lunToInt`. */
export function intToLun(value: bigint | number): Uint8Array {
  let v = checkBigUint(value, 64, 'lun');
  const out = new Uint8Array(8);
  for (let i = 0; i < 8; i += 2) {
    out[i] = Number((v >> 8n) & 0xffn);
    out[i + 1] = Number(v & 0xffn);
    v >>= 16n;
  }
  return out;
}

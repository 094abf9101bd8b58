import { show } from './args.js';
import { CdbBuildError, DecodeError } from './errors.js';

/** Anything a decoder accepts: a Uint8Array (Node Buffers are Uint8Arrays) or an ArrayBuffer. */
export type ByteSource = Uint8Array | ArrayBuffer;

export function toBytes(source: ByteSource): Uint8Array {
  return source instanceof Uint8Array ? source : new Uint8Array(source);
}

/**
 * Bounds-checked big-endian reader. Every read names the field it is for, so a short buffer
 * becomes a DecodeError that says which field was missing instead of `undefined` or garbage.
 */
export class ByteReader {
  readonly bytes: Uint8Array;
  readonly length: number;
  readonly #view: DataView;

  constructor(source: ByteSource) {
    this.bytes = toBytes(source);
    this.length = this.bytes.length;
    this.#view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  has(offset: number, size: number): boolean {
    return offset >= 0 && size >= 0 && offset + size <= this.length;
  }

  need(offset: number, size: number, field: string): void {
    if (!this.has(offset, size)) {
      throw new DecodeError(
        field,
        `needs ${size} byte(s) but only ${Math.max(0, this.length - offset)} remain`,
        offset,
      );
    }
  }

  u8(offset: number, field: string): number {
    this.need(offset, 1, field);
    return this.bytes[offset] as number;
  }

  u16(offset: number, field: string): number {
    this.need(offset, 2, field);
    return this.#view.getUint16(offset);
  }

  u24(offset: number, field: string): number {
    this.need(offset, 3, field);
    return (this.#view.getUint16(offset) << 8) | (this.bytes[offset + 2] as number);
  }

  u32(offset: number, field: string): number {
    this.need(offset, 4, field);
    return this.#view.getUint32(offset);
  }

  u64(offset: number, field: string): bigint {
    this.need(offset, 8, field);
    return this.#view.getBigUint64(offset);
  }

  /** Bits [lsb, lsb+width) of the byte at offset. */
  bits(offset: number, lsb: number, width: number, field: string): number {
    return (this.u8(offset, field) >> lsb) & ((1 << width) - 1);
  }

  bit(offset: number, bit: number, field: string): boolean {
    return ((this.u8(offset, field) >> bit) & 1) === 1;
  }

  /** A copy of the bytes, so results never alias a caller's (possibly pooled) buffer. */
  slice(offset: number, size: number, field: string): Uint8Array {
    this.need(offset, size, field);
    return this.bytes.slice(offset, offset + size);
  }

  /** ASCII field as T10 defines it: printable bytes, trailing spaces and NULs trimmed. */
  ascii(offset: number, size: number, field: string): string {
    return asciiTrim(this.slice(offset, size, field));
  }
}

export function asciiTrim(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : b === 0 ? '\0' : '.';
  return s.replace(/[\s\0]+$/u, '').replace(/\0/gu, '');
}

export function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Checks an integer parameter fits `bits` bits before it is written into a CDB. */
export function checkUint(value: number, bits: number, field: string): number {
  const max = bits >= 53 ? Number.MAX_SAFE_INTEGER : 2 ** bits - 1;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new CdbBuildError(field, `must be an integer in [0, ${max}], got ${show(value)}`, `${bits} bits`);
  }
  return value;
}

export function checkBigUint(value: bigint | number, bits: number, field: string): bigint {
  const v = typeof value === 'bigint' ? value : Number.isInteger(value) ? BigInt(value) : -1n;
  const max = (1n << BigInt(bits)) - 1n;
  if (v < 0n || v > max) {
    throw new CdbBuildError(field, `must be an integer in [0, ${max}], got ${show(value)}`, `${bits} bits`);
  }
  return v;
}

/** Big-endian writers for CDB construction; callers range-check first (checkUint). */
export function putU16(buf: Uint8Array, offset: number, value: number): void {
  buf[offset] = (value >>> 8) & 0xff;
  buf[offset + 1] = value & 0xff;
}

export function putU24(buf: Uint8Array, offset: number, value: number): void {
  buf[offset] = (value >>> 16) & 0xff;
  buf[offset + 1] = (value >>> 8) & 0xff;
  buf[offset + 2] = value & 0xff;
}

export function putU32(buf: Uint8Array, offset: number, value: number): void {
  buf[offset] = (value >>> 24) & 0xff;
  buf[offset + 1] = (value >>> 16) & 0xff;
  buf[offset + 2] = (value >>> 8) & 0xff;
  buf[offset + 3] = value & 0xff;
}

export function putU64(buf: Uint8Array, offset: number, value: bigint): void {
  const hi = Number((value >> 32n) & 0xffffffffn);
  const lo = Number(value & 0xffffffffn);
  putU32(buf, offset, hi);
  putU32(buf, offset + 4, lo);
}

import { ByteReader, type ByteSource } from '../bytes.js';

/**
 * READ BUFFER descriptor (mode 03h, SPC-6 6.18.5): how a device wants WRITE BUFFER downloads with
 * offsets to be cut. Four bytes: OFFSET BOUNDARY, then BUFFER CAPACITY (24 bits).
 */
export interface ReadBufferDescriptor {
  /** OFFSET BOUNDARY: buffer offsets must be multiples of 2^offsetBoundary; FFh: only offset 0. */
  readonly offsetBoundary: number;
  /**
   * The alignment in bytes (2^offsetBoundary); undefined for FFh, where no offset but 0 is
   * accepted (the whole image goes in one command).
   */
  readonly offsetAlignment: number | undefined;
  /** BUFFER CAPACITY: the bytes the buffer holds, the largest image a download may send. */
  readonly bufferCapacity: number;
}

/** READ BUFFER mode 03h data: fewer than 4 bytes is a DecodeError. */
export function decodeReadBufferDescriptor(bytes: ByteSource): ReadBufferDescriptor {
  const r = new ByteReader(bytes);
  const offsetBoundary = r.u8(0, 'offsetBoundary');
  const bufferCapacity = r.u24(1, 'bufferCapacity');
  return {
    offsetBoundary,
    offsetAlignment: offsetBoundary === 0xff ? undefined : 2 ** offsetBoundary,
    bufferCapacity,
  };
}

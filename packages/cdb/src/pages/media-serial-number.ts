/**
 * READ MEDIA SERIAL NUMBER parameter data (SPC-6): a 4-byte MEDIA SERIAL NUMBER LENGTH, then the
 * serial number itself (vendor specific; `text` reads it as ASCII).
 */
import { asciiTrim, ByteReader, type ByteSource } from '../bytes.js';
import type { Truncation } from '../types.js';

/** `requiredLength` is mediaSerialNumberLength + 4. */
export interface MediaSerialNumber extends Truncation {
  /** MEDIA SERIAL NUMBER LENGTH: bytes of serial number the device has; 0 when the medium has none. */
  readonly mediaSerialNumberLength: number;
  /** The serial number bytes present in the answer (copy). */
  readonly mediaSerialNumber: Uint8Array;
  /** `mediaSerialNumber` as printable ASCII, trailing spaces and NULs trimmed. */
  readonly text: string;
}

/** Decodes READ MEDIA SERIAL NUMBER parameter data. DecodeError when the 4-byte header is missing. */
export function decodeMediaSerialNumber(source: ByteSource): MediaSerialNumber {
  const r = new ByteReader(source);
  const length = r.u32(0, 'mediaSerialNumberLength');
  const present = Math.min(length, r.length - 4);
  const serial = r.bytes.slice(4, 4 + present);
  return {
    mediaSerialNumberLength: length,
    mediaSerialNumber: serial,
    text: asciiTrim(serial),
    truncated: present < length,
    requiredLength: length + 4,
    availableLength: 4 + present,
  };
}

import { describe, expect, it } from 'vitest';
import { DecodeError } from '../src/errors.js';
import { decodeReadBufferDescriptor } from '../src/pages/read-buffer.js';

describe('decodeReadBufferDescriptor (SPC-6 READ BUFFER descriptor mode 03h)', () => {
  it('decodes OFFSET BOUNDARY (byte 0) and the 24-bit BUFFER CAPACITY (bytes 1-3)', () => {
    // 2^9 = 512-byte offsets, 0x100000 = 1 MiB buffer.
    const d = decodeReadBufferDescriptor(Uint8Array.of(0x09, 0x10, 0x00, 0x00));
    expect(d).toEqual({ offsetBoundary: 9, offsetAlignment: 512, bufferCapacity: 0x100000 });
  });

  it('offset boundary 0 allows any byte offset', () => {
    expect(decodeReadBufferDescriptor(Uint8Array.of(0, 0, 0x02, 0x01)).offsetAlignment).toBe(1);
    expect(decodeReadBufferDescriptor(Uint8Array.of(0, 0, 0x02, 0x01)).bufferCapacity).toBe(0x201);
  });

  it('offset boundary FFh: only offset 0 (no alignment to report)', () => {
    const d = decodeReadBufferDescriptor(Uint8Array.of(0xff, 0xff, 0xff, 0xff));
    expect(d.offsetBoundary).toBe(0xff);
    expect(d.offsetAlignment).toBeUndefined();
    expect(d.bufferCapacity).toBe(0xffffff);
  });

  it('fewer than 4 bytes is a DecodeError naming bufferCapacity', () => {
    expect(() => decodeReadBufferDescriptor(Uint8Array.of(9, 0, 0))).toThrow(DecodeError);
    expect(() => decodeReadBufferDescriptor(Uint8Array.of(9, 0, 0))).toThrow(/bufferCapacity/);
    expect(() => decodeReadBufferDescriptor(new Uint8Array(0))).toThrow(/offsetBoundary/);
  });
});

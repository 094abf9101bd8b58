import { describe, expect, it } from 'vitest';
import { ByteReader, CdbBuildError, checkBigUint, checkUint, DecodeError, putU64 } from '../src/index.js';

describe('ByteReader', () => {
  it('reads big-endian fields and refuses to read past the end', () => {
    const r = new ByteReader(new Uint8Array([0x12, 0x34, 0x56, 0x78, 0x9a]));
    expect(r.u16(0, 'a')).toBe(0x1234);
    expect(r.u24(1, 'b')).toBe(0x345678);
    expect(r.u32(1, 'c')).toBe(0x3456789a);
    expect(() => r.u32(2, 'lastField')).toThrowError(DecodeError);
    expect(() => r.u32(2, 'lastField')).toThrowError(/lastField/);
  });

  it('trims T10 ASCII fields', () => {
    const r = new ByteReader(new TextEncoder().encode('Linux   '));
    expect(r.ascii(0, 8, 'vendor')).toBe('Linux');
  });
});

describe('range checks', () => {
  it('rejects values that do not fit, naming the field', () => {
    expect(() => checkUint(256, 8, 'allocationLength')).toThrowError(CdbBuildError);
    expect(() => checkUint(1.5, 8, 'x')).toThrowError(/x: must be an integer/);
    expect(() => checkBigUint(1n << 64n, 64, 'lba')).toThrowError(/lba/);
    expect(checkBigUint(5, 32, 'lba')).toBe(5n);
  });

  it('writes 64-bit values big-endian', () => {
    const b = new Uint8Array(8);
    putU64(b, 0, 0x0102030405060708n);
    expect([...b]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

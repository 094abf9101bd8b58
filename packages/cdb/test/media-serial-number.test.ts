import { describe, expect, it } from 'vitest';
import { DecodeError } from '../src/errors.js';
import { decodeMediaSerialNumber } from '../src/pages/media-serial-number.js';

/** Parameter data: MEDIA SERIAL NUMBER LENGTH then the serial bytes. */
function answer(serial: string, length = serial.length): Uint8Array {
  const b = new Uint8Array(4 + serial.length);
  new DataView(b.buffer).setUint32(0, length);
  for (let i = 0; i < serial.length; i++) b[4 + i] = serial.charCodeAt(i);
  return b;
}

describe('decodeMediaSerialNumber (SPC-6 READ MEDIA SERIAL NUMBER parameter data)', () => {
  it('decodes the serial number, trimming trailing spaces for `text`', () => {
    const d = decodeMediaSerialNumber(answer('TAPE0042    '));
    expect(d.mediaSerialNumberLength).toBe(12);
    expect(d.text).toBe('TAPE0042');
    expect(d.mediaSerialNumber).toHaveLength(12);
    expect(d.truncated).toBe(false);
    expect(d.requiredLength).toBe(16);
    expect(d.availableLength).toBe(16);
  });

  it('a medium without a serial number answers length 0', () => {
    const d = decodeMediaSerialNumber(answer(''));
    expect(d).toMatchObject({ mediaSerialNumberLength: 0, text: '', truncated: false });
  });

  it('an allocation length shorter than the serial number gives what came and says how much to ask', () => {
    const d = decodeMediaSerialNumber(answer('TAPE', 16));
    expect(d.text).toBe('TAPE');
    expect(d.truncated).toBe(true);
    expect(d.requiredLength).toBe(20);
    expect(d.availableLength).toBe(8);
  });

  it('fewer than the 4 header bytes is a DecodeError on mediaSerialNumberLength', () => {
    const e = (() => {
      try {
        decodeMediaSerialNumber(new Uint8Array(3));
      } catch (x) {
        return x;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(DecodeError);
    expect((e as DecodeError).field).toBe('mediaSerialNumberLength');
  });
});

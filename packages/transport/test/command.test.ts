import { describe, expect, it } from 'vitest';
import {
  type FixedBufferLease,
  InvalidCommandError,
  preflight,
  receivedView,
  type ScsiCommand,
  TransportAbortedError,
  type TransportCapabilities,
  TransportClosedError,
  validateCommand,
} from '../src/index.js';

const caps: TransportCapabilities = {
  kind: 'emulated',
  fixedBuffers: true,
  maxTransferBytes: 65536,
  queueDepth: 8,
};
const tur = new Uint8Array(6);
const lease = (n: number): FixedBufferLease => ({ buffer: new Uint8Array(n), index: 0, release() {} });

function fieldOf(cmd: ScsiCommand, c = caps): { field: string; message: string } {
  try {
    validateCommand(cmd, c);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidCommandError);
    return { field: (e as InvalidCommandError).field, message: (e as Error).message };
  }
  throw new Error('expected validateCommand to throw');
}

describe('validateCommand', () => {
  it('returns the transfer length of valid commands', () => {
    expect(validateCommand({ cdb: tur, direction: 'none' }, caps)).toBe(0);
    expect(validateCommand({ cdb: tur, direction: 'in', data: new Uint8Array(96) }, caps)).toBe(96);
    expect(
      validateCommand({ cdb: tur, direction: 'in', data: new Uint8Array(96), transferLength: 36 }, caps),
    ).toBe(36);
    expect(validateCommand({ cdb: tur, direction: 'in', transferLength: 65536 }, caps)).toBe(65536);
    expect(validateCommand({ cdb: tur, direction: 'out', fixedBuffer: lease(512) }, caps)).toBe(512);
    expect(
      validateCommand({ cdb: new Uint8Array(32), direction: 'none', senseBytes: 252, timeoutMs: 1 }, caps),
    ).toBe(0);
  });

  it.each<[string, ScsiCommand, string, string]>([
    [
      'a 5-byte CDB',
      { cdb: new Uint8Array(5), direction: 'none' },
      'cdb',
      '6 to 32 bytes, got a Uint8Array of 5 bytes',
    ],
    ['a 33-byte CDB', { cdb: new Uint8Array(33), direction: 'none' }, 'cdb', 'of 33 bytes'],
    [
      'a CDB that is not a Uint8Array',
      { cdb: [0x12] as unknown as Uint8Array, direction: 'none' },
      'cdb',
      '(object)',
    ],
    ['an unknown direction', { cdb: tur, direction: 'both' as 'in' }, 'direction', 'got `both` (string)'],
    [
      "data with direction 'none'",
      { cdb: tur, direction: 'none', data: new Uint8Array(1) },
      'data',
      "'none'",
    ],
    [
      "transferLength with 'none'",
      { cdb: tur, direction: 'none', transferLength: 4 },
      'transferLength',
      "'none'",
    ],
    ["'out' without data", { cdb: tur, direction: 'out' }, 'data', "'out'"],
    ["'in' without any destination", { cdb: tur, direction: 'in' }, 'transferLength', "'in'"],
    [
      'data and fixedBuffer',
      { cdb: tur, direction: 'in', data: new Uint8Array(8), fixedBuffer: lease(8) },
      'fixedBuffer',
      'mutually exclusive',
    ],
    [
      'transferLength over the maximum',
      { cdb: tur, direction: 'in', transferLength: 65537 },
      'transferLength',
      '[0, 65536] (maxTransferBytes)',
    ],
    [
      'transferLength over the buffer',
      { cdb: tur, direction: 'in', data: new Uint8Array(8), transferLength: 9 },
      'transferLength',
      '[0, 8] (the data length)',
    ],
    [
      'a fractional transferLength',
      { cdb: tur, direction: 'in', transferLength: 1.5 },
      'transferLength',
      'got `1.5`',
    ],
    [
      'data over the maximum',
      { cdb: tur, direction: 'out', data: new Uint8Array(65537) },
      'data',
      'maxTransferBytes (65536)',
    ],
    ['senseBytes 0', { cdb: tur, direction: 'none', senseBytes: 0 }, 'senseBytes', '[1, 252], got `0`'],
    ['senseBytes 253', { cdb: tur, direction: 'none', senseBytes: 253 }, 'senseBytes', '[1, 252], got `253`'],
    ['timeoutMs 0', { cdb: tur, direction: 'none', timeoutMs: 0 }, 'timeoutMs', '[1, 2147483647]'],
    ['timeoutMs NaN', { cdb: tur, direction: 'none', timeoutMs: Number.NaN }, 'timeoutMs', 'got `NaN`'],
    [
      'an unknown priority',
      { cdb: tur, direction: 'none', priority: 'urgent' as 'high' },
      'priority',
      "'high', 'normal' or 'low'",
    ],
  ])('rejects %s, naming the field and the limit', (_what, cmd, field, text) => {
    const r = fieldOf(cmd);
    expect(r.field).toBe(field);
    expect(r.message).toContain(`\`${field}\``);
    expect(r.message).toContain(text);
  });

  it('refuses fixedBuffer on a transport without fixed buffers', () => {
    const r = fieldOf({ cdb: tur, direction: 'in', fixedBuffer: lease(8) }, { ...caps, fixedBuffers: false });
    expect(r).toMatchObject({ field: 'fixedBuffer' });
    expect(r.message).toContain('no fixed buffers');
  });
});

describe('preflight', () => {
  it('refuses in order: closed, then invalid, then already aborted', () => {
    const signal = AbortSignal.abort('bye');
    const invalid: ScsiCommand = { cdb: new Uint8Array(5), direction: 'none', signal };
    expect(preflight(invalid, caps, true)).toBeInstanceOf(TransportClosedError);
    expect(preflight(invalid, caps, false)).toBeInstanceOf(InvalidCommandError);
    const aborted = preflight({ cdb: tur, direction: 'none', signal }, caps, false);
    expect(aborted).toBeInstanceOf(TransportAbortedError);
    expect(aborted?.cause).toBe('bye');
    expect(preflight({ cdb: tur, direction: 'none' }, caps, false)).toBeUndefined();
  });
});

describe('receivedView', () => {
  it('is a view of the first length − residual bytes, not a copy', () => {
    const data = new Uint8Array([1, 2, 3, 4, 5]);
    const v = receivedView(data, 2);
    expect([...v]).toEqual([1, 2, 3]);
    expect(v.buffer).toBe(data.buffer);
    v[0] = 9;
    expect(data[0]).toBe(9);
  });

  it('clamps a residual out of range', () => {
    const data = new Uint8Array(4);
    expect(receivedView(data, 0).length).toBe(4);
    expect(receivedView(data, 10).length).toBe(0);
    expect(receivedView(data, -3).length).toBe(4);
    expect(receivedView(data, Number.NaN).length).toBe(4);
  });
});

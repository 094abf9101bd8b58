import { EmulatedDisk } from '@scsikit/emulated-disk';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, InvalidArgumentError, openDevice, resolveOpenOptions } from '../src/index.js';

describe('openDevice options', () => {
  it('defaults', () => {
    expect(resolveOpenOptions(undefined)).toEqual({
      write: false,
      transport: 'auto',
      queueDepth: undefined,
      timeoutMs: 30000,
      retry: DEFAULT_RETRY_POLICY,
      fixedBuffers: undefined,
      sysRoot: '/sys',
      devRoot: '/dev',
    });
    expect(resolveOpenOptions({ retry: false }).retry.maxRetries).toBe(0);
    expect(resolveOpenOptions({ retry: { maxRetries: 7 } }).retry).toMatchObject({
      maxRetries: 7,
      factor: 2,
    });
    expect(resolveOpenOptions({ fixedBuffers: true }).fixedBuffers).toEqual({ count: 8, size: 1 << 20 });
  });

  it.each([
    [{ queueDepth: 0 }, 'Expected `queueDepth` to be an integer in [1, 4096], got `0` (number)'],
    [{ queueDepth: 1.5 }, 'Expected `queueDepth` to be an integer in [1, 4096], got `1.5` (number)'],
    [{ transport: 'spdk' }, "Expected `transport` to be 'auto', 'uring' or 'sgio', got `'spdk'` (string)"],
    [{ write: 'yes' }, "Expected `write` to be a boolean, got `'yes'` (string)"],
    [{ timeoutMs: -1 }, 'Expected `timeoutMs` to be an integer in [1, 2147483647], got `-1` (number)'],
    [
      { retry: { maxRetries: -1 } },
      'Expected `retry.maxRetries` to be an integer in [0, 100], got `-1` (number)',
    ],
    [{ writ: true }, 'Unknown option `writ` (did you mean `write`?)'],
    [
      { retry: { minDelayMs: 50, maxDelayMs: 10 } },
      'Expected `retry.minDelayMs` (50) to be at most `retry.maxDelayMs` (10)',
    ],
    [{ sysRoot: 'sys' }, "Expected `sysRoot` to be an absolute path, got `'sys'` (string)"],
  ])('%j → %s', (options, message) => {
    expect(() => resolveOpenOptions(options)).toThrow(InvalidArgumentError);
    expect(() => resolveOpenOptions(options)).toThrow(message);
  });

  it('openDevice rejects (never throws synchronously) on bad options and targets', async () => {
    const disk = new EmulatedDisk({ capacity: { blocks: 64 } });
    await expect(openDevice(disk, { queueDepth: 0 })).rejects.toMatchObject({
      code: 'ERR_SCSIKIT_INVALID_ARGUMENT',
      field: 'queueDepth',
    });
    await expect(openDevice('sda')).rejects.toThrow(/Expected a device as/);
    await expect(openDevice('')).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

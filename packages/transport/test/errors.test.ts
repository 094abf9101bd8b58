import { describe, expect, it } from 'vitest';
import {
  DeviceGoneError,
  errnoError,
  InvalidCommandError,
  OutcomeUnknownError,
  SyscallError,
  TransportAbortedError,
  TransportClosedError,
  TransportError,
  TransportErrorCodes,
  TransportTimeoutError,
} from '../src/index.js';

describe('error classes', () => {
  it.each([
    [new TransportClosedError(), TransportClosedError, 'TransportClosedError', 'ERR_SCSIKIT_CLOSED'],
    [new TransportAbortedError('why'), TransportAbortedError, 'TransportAbortedError', 'ERR_SCSIKIT_ABORTED'],
    [new TransportTimeoutError(250), TransportTimeoutError, 'TransportTimeoutError', 'ERR_SCSIKIT_TIMEOUT'],
    [
      new InvalidCommandError('cdb', 'bad'),
      InvalidCommandError,
      'InvalidCommandError',
      'ERR_SCSIKIT_INVALID_COMMAND',
    ],
    [new SyscallError(-22, 'io_uring_enter'), SyscallError, 'SyscallError', 'ERR_SCSIKIT_SYSCALL'],
    [new DeviceGoneError('io_uring_enter'), DeviceGoneError, 'DeviceGoneError', 'ERR_SCSIKIT_DEVICE_GONE'],
    [
      new OutcomeUnknownError('ioctl(SG_IO)'),
      OutcomeUnknownError,
      'OutcomeUnknownError',
      'ERR_SCSIKIT_OUTCOME_UNKNOWN',
    ],
  ] as const)(
    '%s: name, stable code, instanceof its class, the base and Error only',
    (err, Class, name, code) => {
      expect(err.name).toBe(name);
      expect(err.code).toBe(code);
      expect(err).toBeInstanceOf(Class);
      expect(err).toBeInstanceOf(TransportError);
      expect(err).toBeInstanceOf(Error);
      expect(err.stack).toContain(name);
      const others = [
        TransportClosedError,
        TransportAbortedError,
        TransportTimeoutError,
        InvalidCommandError,
        SyscallError,
        DeviceGoneError,
        OutcomeUnknownError,
      ].filter((c) => c !== Class);
      for (const Other of others)
        expect(err instanceof Other, `${name} instanceof ${Other.name}`).toBe(false);
    },
  );

  it('carries the abort reason as cause and the timeout in ms', () => {
    const reason = new Error('stop');
    expect(new TransportAbortedError(reason).cause).toBe(reason);
    const t = new TransportTimeoutError(1500);
    expect(t.timeoutMs).toBe(1500);
    expect(t.message).toContain('1500 ms');
  });

  it('a syscall error keeps the negative errno, its name and the syscall; code stays stable', () => {
    const e = new SyscallError(-22, 'io_uring_enter');
    expect(e).toMatchObject({
      code: 'ERR_SCSIKIT_SYSCALL',
      errno: -22,
      errnoCode: 'EINVAL',
      syscall: 'io_uring_enter',
    });
    expect(e.message).toContain('EINVAL');
    // A positive errno (as some APIs report it) is normalised to the kernel's negative convention.
    expect(new SyscallError(95, 'ioctl(SG_IO)')).toMatchObject({ errno: -95, errnoCode: 'EOPNOTSUPP' });
    expect(new DeviceGoneError('ioctl(SG_IO)')).toMatchObject({ errno: -19, errnoCode: 'ENODEV' });
    expect(new OutcomeUnknownError('io_uring_enter')).toMatchObject({ errno: -14, errnoCode: 'EFAULT' });
  });

  it('instanceof narrows to the subclass (a compile-time check as much as a runtime one)', () => {
    const caught: unknown = new TransportTimeoutError(10);
    if (!(caught instanceof TransportTimeoutError)) throw new Error('not narrowed');
    expect(caught.timeoutMs).toBe(10);
    const other: unknown = new SyscallError(-1, 'open');
    if (!(other instanceof SyscallError)) throw new Error('not narrowed');
    expect(other.errnoCode).toBe('EPERM');
  });

  it('errors without a syscall have no errno or syscall property at all', () => {
    const e = new TransportClosedError();
    expect('errno' in e).toBe(false);
    expect('syscall' in e).toBe(false);
  });

  it('errnoError: -ENODEV is terminal, anything else a refusal', () => {
    expect(errnoError(-19, 'io_uring_enter')).toBeInstanceOf(DeviceGoneError);
    expect(errnoError(-1, 'io_uring_enter')).toMatchObject({
      code: TransportErrorCodes.SYSCALL,
      errnoCode: 'EPERM',
    });
  });

  it('instanceof survives a duplicate install (another copy of the classes, same Symbol.for brand)', () => {
    // What a second copy of this package would construct: unrelated prototype chain, shared brand.
    class ForeignError extends Error {
      constructor(readonly code: string) {
        super('from another copy');
        (this as Record<symbol, unknown>)[Symbol.for('scsikit.transport.error')] = true;
      }
    }
    const foreign = new ForeignError('ERR_SCSIKIT_TIMEOUT');
    expect(foreign).toBeInstanceOf(TransportTimeoutError);
    expect(foreign).toBeInstanceOf(TransportError);
    expect(foreign instanceof TransportClosedError).toBe(false);
    // Without the brand, a look-alike is not one of ours.
    const lookalike = Object.assign(new Error('x'), { code: 'ERR_SCSIKIT_TIMEOUT' });
    expect(lookalike instanceof TransportTimeoutError).toBe(false);
    expect(lookalike instanceof TransportError).toBe(false);
    expect((null as unknown) instanceof TransportError).toBe(false);
  });
});

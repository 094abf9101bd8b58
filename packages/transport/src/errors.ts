import { getSystemErrorName } from 'node:util';

/**
 * Failures to *deliver* a command — the only reasons `Transport.execute` rejects. A device's answer,
 * however bad, is a `ScsiResult`, never one of these.
 */

/** Stable codes: match on these (or on the classes), never on messages. */
export const TransportErrorCodes = {
  CLOSED: 'ERR_SCSIKIT_CLOSED',
  ABORTED: 'ERR_SCSIKIT_ABORTED',
  TIMEOUT: 'ERR_SCSIKIT_TIMEOUT',
  INVALID_COMMAND: 'ERR_SCSIKIT_INVALID_COMMAND',
  SYSCALL: 'ERR_SCSIKIT_SYSCALL',
  DEVICE_GONE: 'ERR_SCSIKIT_DEVICE_GONE',
  OUTCOME_UNKNOWN: 'ERR_SCSIKIT_OUTCOME_UNKNOWN',
  NATIVE_UNAVAILABLE: 'ERR_SCSIKIT_NATIVE_UNAVAILABLE',
} as const;

/** One of the {@link TransportErrorCodes} values: `error.code` of every TransportError. */
export type TransportErrorCode = (typeof TransportErrorCodes)[keyof typeof TransportErrorCodes];

/**
 * Registry-wide brand. Two installed copies of this package (a duplicate in node_modules, the ESM and
 * the CJS build side by side) have distinct classes; `Symbol.for` is shared, so `instanceof` keeps
 * working across them.
 */
const BRAND: unique symbol = Symbol.for('scsikit.transport.error') as never;

/**
 * The `static [Symbol.hasInstance]` of a branded error family (this package's TransportError and
 * core's ScsiError): `value` carries `brand` (a `Symbol.for` key every copy of the package shares)
 * and, when `errorClass` pins a `code` (a subclass), that code. Two installs of a package (a
 * duplicate in node_modules, the ESM and the CJS build side by side) have distinct classes, so
 * the prototype chain alone would say no.
 */
export function isBranded(
  errorClass: { readonly code?: string | undefined },
  brand: symbol,
  value: unknown,
): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { [key: symbol]: unknown; code?: unknown };
  if (v[brand] !== true) return false;
  const code = errorClass.code;
  return code === undefined || v.code === code;
}

/** What TransportError constructors accept besides the message. */
export interface TransportErrorOptions {
  readonly cause?: unknown;
  /** Negative errno as the kernel returned it (-22), when a syscall is involved. */
  readonly errno?: number;
  /** The call that failed: 'io_uring_enter', 'ioctl(SG_IO)', 'open'… */
  readonly syscall?: string;
}

/** Base of every error a transport rejects with: the command was not delivered (or its outcome is unknown). */
export class TransportError extends Error {
  readonly code: TransportErrorCode;
  // `declare`: no own property at all unless set, so `'errno' in err` means a syscall was involved.
  declare readonly errno?: number;
  declare readonly syscall?: string;
  readonly [BRAND] = true;

  /** Subclasses pin the code their `instanceof` accepts; the base accepts any branded error. */
  static readonly code: TransportErrorCode | undefined = undefined;

  constructor(code: TransportErrorCode, message: string, options: TransportErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TransportError';
    this.code = code;
    if (options.errno !== undefined) (this as { errno?: number }).errno = options.errno;
    if (options.syscall !== undefined) (this as { syscall?: string }).syscall = options.syscall;
  }

  /**
   * Brand + code instead of the prototype chain, so an error thrown by another copy of this package
   * still matches. Inherited by every subclass, where `this` is the subclass and `this.code` its code.
   */
  static override [Symbol.hasInstance]<T>(
    this: (abstract new (...args: never[]) => T) & { readonly code?: string | undefined },
    value: unknown,
  ): value is T {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass on the right of instanceof.
    return isBranded(this, BRAND, value);
  }
}

/** The transport is closed: `execute` after `close()`, or outstanding when `close()` ran. */
export class TransportClosedError extends TransportError {
  static override readonly code = TransportErrorCodes.CLOSED;
  constructor(message = 'the transport is closed') {
    super(TransportErrorCodes.CLOSED, message);
    this.name = 'TransportClosedError';
  }
}

/** The command's AbortSignal fired. The command may still run in the kernel (no cancellation). */
export class TransportAbortedError extends TransportError {
  static override readonly code = TransportErrorCodes.ABORTED;
  /** @param reason `signal.reason`, kept as `cause`. */
  constructor(reason?: unknown) {
    super(TransportErrorCodes.ABORTED, 'the command was aborted', { cause: reason });
    this.name = 'TransportAbortedError';
  }
}

/**
 * The transport's watchdog fired at `timeoutMs`. The kernel may still complete (or be timing out)
 * the command; its outcome is unknown to the caller.
 */
export class TransportTimeoutError extends TransportError {
  static override readonly code = TransportErrorCodes.TIMEOUT;
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(TransportErrorCodes.TIMEOUT, `the command did not complete within ${timeoutMs} ms`);
    this.name = 'TransportTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** The command breaks the contract; nothing was sent. `field` names the offending property. */
export class InvalidCommandError extends TransportError {
  static override readonly code = TransportErrorCodes.INVALID_COMMAND;
  readonly field: string;
  constructor(field: string, message: string) {
    super(TransportErrorCodes.INVALID_COMMAND, message);
    this.name = 'InvalidCommandError';
    this.field = field;
  }
}

/**
 * A kernel transport's native addon cannot be loaded on this machine: no prebuilt binary fits
 * (platform, architecture, libc) and no source build exists. Nothing was sent. `missing` names the
 * packages a source build needs that this machine lacks; `platform` is `linux-x64-glibc` and the like.
 */
export class NativeUnavailableError extends TransportError {
  static override readonly code = TransportErrorCodes.NATIVE_UNAVAILABLE;
  readonly platform: string;
  readonly missing: readonly string[];
  constructor(platform: string, missing: readonly string[], message: string, cause?: unknown) {
    super(TransportErrorCodes.NATIVE_UNAVAILABLE, message, { cause });
    this.name = 'NativeUnavailableError';
    this.platform = platform;
    this.missing = missing;
  }
}

/**
 * Where libuv's name differs from the one the kernel source (and the LAB notes) use for the same
 * number: Linux returns -EOPNOTSUPP from uring_cmd/bsg; libuv calls 95 ENOTSUP.
 */
const KERNEL_NAMES: Readonly<Record<number, string>> = { 95: 'EOPNOTSUPP' };

/** The symbolic name of a (negative or positive) errno: -22 → 'EINVAL'. */
function errnoName(errno: number): string {
  const kernel = KERNEL_NAMES[Math.abs(errno)];
  if (kernel !== undefined) return kernel;
  try {
    return getSystemErrorName(-Math.abs(errno));
  } catch {
    return `E${Math.abs(errno)}`;
  }
}

/** A syscall-level error carries the errno both as the kernel's number and as its name. */
abstract class ErrnoError extends TransportError {
  /** 'EINVAL', 'EOPNOTSUPP'… (`code` stays the stable ERR_SCSIKIT_* code). */
  readonly errnoCode: string;
  declare readonly errno: number;
  declare readonly syscall: string;
  constructor(code: TransportErrorCode, errno: number, syscall: string, message: string, cause?: unknown) {
    const negative = -Math.abs(errno);
    super(code, `${message} (${syscall}: ${errnoName(negative)})`, { errno: negative, syscall, cause });
    this.errnoCode = errnoName(negative);
  }
}

/** The kernel refused the command before issuing it (-EINVAL, -EOPNOTSUPP, -EPERM, -ENOMEM…). */
export class SyscallError extends ErrnoError {
  static override readonly code = TransportErrorCodes.SYSCALL;
  constructor(errno: number, syscall: string, cause?: unknown) {
    super(TransportErrorCodes.SYSCALL, errno, syscall, 'the kernel refused the command', cause);
    this.name = 'SyscallError';
  }
}

/** -ENODEV: the device is gone. Terminal — stop submitting; reopening will fail too. */
export class DeviceGoneError extends ErrnoError {
  static override readonly code = TransportErrorCodes.DEVICE_GONE;
  constructor(syscall: string, cause?: unknown) {
    super(TransportErrorCodes.DEVICE_GONE, -19, syscall, 'the device is gone', cause);
    this.name = 'DeviceGoneError';
  }
}

/**
 * -EFAULT reported after execution (a bad sense buffer is detected only then): the command may have
 * run. Never retry a non-idempotent command on this error without checking the device's state.
 */
export class OutcomeUnknownError extends ErrnoError {
  static override readonly code = TransportErrorCodes.OUTCOME_UNKNOWN;
  constructor(syscall: string, errno = -14, cause?: unknown) {
    super(
      TransportErrorCodes.OUTCOME_UNKNOWN,
      errno,
      syscall,
      'the command may have executed but its completion could not be delivered',
      cause,
    );
    this.name = 'OutcomeUnknownError';
  }
}

/**
 * The one funnel from a negative errno to an error: -ENODEV is terminal, everything else is a
 * refusal. `-EFAULT` after execution is the transport's call to make: it constructs
 * `OutcomeUnknownError` itself, since only it knows whether the command reached the device.
 */
export function errnoError(errno: number, syscall: string, cause?: unknown): SyscallError | DeviceGoneError {
  return Math.abs(errno) === 19
    ? new DeviceGoneError(syscall, cause)
    : new SyscallError(errno, syscall, cause);
}

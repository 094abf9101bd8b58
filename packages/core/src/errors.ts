/**
 * One error hierarchy for everything a `Device` method can reject with. A device's answer that is
 * not GOOD becomes a typed error here (CHECK CONDITION with decoded sense, another SAM status, a
 * host/driver failure); a failure to deliver (the transport's errors) is mapped onto the same
 * hierarchy, keeping the transport's error as `cause`.
 */
import {
  driverByteName,
  hostByteName,
  type SenseData,
  type SenseKeySpecific,
  type SenseProgress,
  samStatusName,
  senseProgress,
} from '@scsikit/cdb';
import {
  InvalidCommandError,
  isBranded,
  OutcomeUnknownError,
  SyscallError,
  TransportAbortedError,
  TransportClosedError,
  DeviceGoneError as TransportDeviceGoneError,
  TransportError,
  TransportTimeoutError,
} from '@scsikit/transport';

/** Stable codes: match on these (or on the classes), never on messages. */
export const ScsiErrorCodes = {
  CHECK_CONDITION: 'ERR_SCSIKIT_CHECK_CONDITION',
  SCSI_STATUS: 'ERR_SCSIKIT_SCSI_STATUS',
  HOST: 'ERR_SCSIKIT_HOST',
  TIMEOUT: 'ERR_SCSIKIT_TIMEOUT',
  ABORTED: 'ERR_SCSIKIT_ABORTED',
  DEVICE_GONE: 'ERR_SCSIKIT_DEVICE_GONE',
  PERMISSION: 'ERR_SCSIKIT_PERMISSION',
  INVALID_ARGUMENT: 'ERR_SCSIKIT_INVALID_ARGUMENT',
  CLOSED: 'ERR_SCSIKIT_CLOSED',
  TRANSPORT: 'ERR_SCSIKIT_TRANSPORT',
} as const;

/** One of the {@link ScsiErrorCodes} values: `error.code` of every ScsiError. */
export type ScsiErrorCode = (typeof ScsiErrorCodes)[keyof typeof ScsiErrorCodes];

/**
 * Registry-wide brand: two copies of this package (ESM and CJS side by side, a duplicate install)
 * have distinct classes, but `Symbol.for` is shared, so `instanceof` keeps working across them.
 */
const BRAND: unique symbol = Symbol.for('scsikit.core.error') as never;

/** What every ScsiError constructor accepts besides its message. */
export interface ScsiErrorOptions {
  readonly cause?: unknown;
  /** T10 name of the command that failed, e.g. 'READ(16)'. */
  readonly command?: string;
}

/** Base of every error `@scsikit/core` throws. */
export class ScsiError extends Error {
  readonly code: ScsiErrorCode;
  /** T10 name of the command that failed, when a command was involved. */
  declare readonly command?: string;
  readonly [BRAND] = true;

  /** Subclasses pin the code their `instanceof` accepts; the base accepts any branded error. */
  static readonly code: ScsiErrorCode | undefined = undefined;

  constructor(code: ScsiErrorCode, message: string, options: ScsiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ScsiError';
    this.code = code;
    if (options.command !== undefined) (this as { command?: string }).command = options.command;
  }

  /** Brand + code instead of the prototype chain, so an error from another copy still matches. */
  static override [Symbol.hasInstance]<T>(
    this: (abstract new (...args: never[]) => T) & { readonly code?: string | undefined },
    value: unknown,
  ): value is T {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the subclass on the right of instanceof.
    return isBranded(this, BRAND, value);
  }
}

function h2(v: number): string {
  return `${v.toString(16).toUpperCase().padStart(2, '0')}h`;
}

/** The parts of a transport's ScsiResult the errors keep (`error.result`). */
export interface ResultSummary {
  readonly status: number;
  readonly hostStatus: number;
  readonly driverStatus: number;
  readonly residual: number;
}

/**
 * CHECK CONDITION: the device said no and explained why in its sense data. `sense` is exactly what
 * `decodeSense` returned (fixed or descriptor format read the same way); the getters are shortcuts.
 * @example "READ(16) failed: MEDIUM ERROR, Unrecovered read error (asc 11h ascq 00h) at LBA 1234"
 */
export class CheckConditionError extends ScsiError {
  static override readonly code = ScsiErrorCodes.CHECK_CONDITION;
  declare readonly command: string;
  readonly sense: SenseData;
  readonly result: ResultSummary;

  constructor(command: string, sense: SenseData, result: ResultSummary) {
    super(ScsiErrorCodes.CHECK_CONDITION, CheckConditionError.#message(command, sense), { command });
    this.name = 'CheckConditionError';
    this.sense = sense;
    this.result = result;
  }

  static #message(command: string, s: SenseData): string {
    if (s.format === 'vendor') return `${command} failed: vendor-specific sense data (${s.raw.length} bytes)`;
    let m = `${command} failed: ${s.senseKeyName}, ${s.description} (asc ${h2(s.asc)} ascq ${h2(s.ascq)})`;
    // SSC's stream bits: on a tape INFORMATION is the residue, not an LBA.
    const stream = [s.filemark && 'FILEMARK', s.eom && 'EOM', s.ili && 'ILI'].filter(Boolean);
    if (stream.length > 0) m += ` [${stream.join(', ')}]`;
    if (s.valid && s.information !== undefined)
      m += stream.length > 0 ? `, residue ${s.information}` : ` at LBA ${s.information}`;
    const p = senseProgress(s);
    if (p !== undefined) m += `, ${p.percent.toFixed(2)}% done`;
    if (s.deferred) m += ' [deferred error]';
    return m;
  }

  /** SENSE KEY (0 for vendor-format sense). */
  get senseKey(): number {
    return this.sense.format === 'vendor' ? 0 : this.sense.senseKey;
  }
  /** 'MEDIUM ERROR', 'ILLEGAL REQUEST'… */
  get senseKeyName(): string {
    return this.sense.format === 'vendor' ? 'VENDOR SPECIFIC' : this.sense.senseKeyName;
  }
  /** ADDITIONAL SENSE CODE (0 for vendor-format sense). */
  get asc(): number {
    return this.sense.format === 'vendor' ? 0 : this.sense.asc;
  }
  /** ADDITIONAL SENSE CODE QUALIFIER (0 for vendor-format sense). */
  get ascq(): number {
    return this.sense.format === 'vendor' ? 0 : this.sense.ascq;
  }
  /** The T10 text for ASC/ASCQ, e.g. 'Unrecovered read error'. */
  get description(): string {
    return this.sense.format === 'vendor' ? 'vendor specific' : this.sense.description;
  }
  /** INFORMATION when VALID is set: for medium errors the first failing LBA. */
  get information(): bigint | undefined {
    return this.sense.format === 'vendor' || !this.sense.valid ? undefined : this.sense.information;
  }
  /** SSC FILEMARK bit: a tape READ or SPACE met a filemark (see device.tape's contract). */
  get filemark(): boolean {
    return this.sense.format !== 'vendor' && this.sense.filemark;
  }
  /** SSC EOM bit: early warning, end or beginning of the partition. */
  get eom(): boolean {
    return this.sense.format !== 'vendor' && this.sense.eom;
  }
  /** SSC ILI bit: the block was not the length asked for. */
  get ili(): boolean {
    return this.sense.format !== 'vendor' && this.sense.ili;
  }
  /** Sense-key specific data (field pointer, retry count, progress indication…). */
  get senseKeySpecific(): SenseKeySpecific | undefined {
    return this.sense.format === 'vendor' ? undefined : this.sense.senseKeySpecific;
  }
  /** Progress of a long operation (FORMAT UNIT, SANITIZE…), when the sense reports one. */
  get progress(): SenseProgress | undefined {
    return senseProgress(this.sense);
  }
  /** Whether the sense matches key (and ASC, ASCQ when given). */
  is(senseKey: number, asc?: number, ascq?: number): boolean {
    return (
      this.senseKey === senseKey &&
      (asc === undefined || this.asc === asc) &&
      (ascq === undefined || this.ascq === ascq)
    );
  }
}

/**
 * A SAM status other than GOOD/CONDITION MET/CHECK CONDITION: BUSY (08h), RESERVATION CONFLICT (18h),
 * TASK SET FULL (28h), ACA ACTIVE (30h), TASK ABORTED (40h).
 */
export class ScsiStatusError extends ScsiError {
  static override readonly code = ScsiErrorCodes.SCSI_STATUS;
  declare readonly command: string;
  readonly status: number;
  /** 'BUSY', 'RESERVATION CONFLICT'… */
  readonly statusName: string;
  readonly result: ResultSummary;

  /** `explanation`: what the status means here, in words (e.g. who holds the reservation). */
  constructor(
    command: string,
    result: ResultSummary,
    options: { readonly explanation?: string; readonly cause?: unknown } = {},
  ) {
    const statusName = samStatusName(result.status);
    const why = options.explanation === undefined ? '' : `: ${options.explanation}`;
    super(
      ScsiErrorCodes.SCSI_STATUS,
      `${command} failed: ${statusName} (status ${h2(result.status)})${why}`,
      {
        command,
        ...(options.cause === undefined ? {} : { cause: options.cause }),
      },
    );
    this.name = 'ScsiStatusError';
    this.status = result.status;
    this.statusName = statusName;
    this.result = result;
  }
}

/** What each Linux host byte means, in words. */
const HOST_BYTE_WORDS: Readonly<Record<number, string>> = {
  1: 'the device did not respond (no connection, or the device is offline)',
  2: 'the bus stayed busy through the retry period',
  3: 'the command timed out and was aborted by the kernel',
  4: 'the target is not reachable (bad target)',
  5: 'the command was aborted',
  6: 'a parity error on the bus',
  7: 'an internal error in the host adapter or its driver',
  8: 'the bus was reset',
  9: 'a bad interrupt in the host adapter',
  10: 'passed through the host adapter without being processed',
  11: 'a soft error in the low-level driver; retry may succeed',
  12: 'the low-level driver asked for an immediate retry',
  13: 'the low-level driver requeued the command',
  14: 'the transport was disrupted (e.g. a lost link); retry may succeed',
  15: 'the transport failed permanently for this I_T nexus',
  16: 'the target failed; do not retry on other paths',
  17: 'the nexus failed; retry on another path may succeed',
  18: 'allocation failure in the host',
  19: 'a medium error reported by the host',
  20: 'the transport marginal path',
};

/**
 * The host adapter or the Linux driver, not the device, failed the command (host byte DID_*, or a
 * driver byte other than DRIVER_SENSE). `hostStatusName` is the DID_* name, `hostStatusText` words.
 */
export class HostError extends ScsiError {
  static override readonly code = ScsiErrorCodes.HOST;
  declare readonly command: string;
  readonly hostStatus: number;
  /** 'DID_TIME_OUT', 'DID_NO_CONNECT'… */
  readonly hostStatusName: string;
  /** What it means, in words. */
  readonly hostStatusText: string;
  readonly driverStatus: number;
  readonly driverStatusName: string;
  readonly result: ResultSummary;

  constructor(command: string, result: ResultSummary) {
    const hostStatusName = hostByteName(result.hostStatus);
    const hostStatusText =
      HOST_BYTE_WORDS[result.hostStatus] ??
      (result.hostStatus === 0 ? 'the driver reported an error' : 'an unknown host error');
    const driverStatusName = driverByteName(result.driverStatus);
    super(
      ScsiErrorCodes.HOST,
      `${command} failed: ${hostStatusName}, ${hostStatusText} (host ${h2(result.hostStatus)}, driver ${h2(result.driverStatus)})`,
      { command },
    );
    this.name = 'HostError';
    this.hostStatus = result.hostStatus;
    this.hostStatusName = hostStatusName;
    this.hostStatusText = hostStatusText;
    this.driverStatus = result.driverStatus;
    this.driverStatusName = driverStatusName;
    this.result = result;
  }
}

/**
 * The command did not complete in time (the transport's watchdog). Its outcome is unknown, and the
 * kernel may still hold it: a read may still write into its buffer later (the transport keeps the
 * memory alive until then). Do not reuse that buffer for another command.
 */
export class TimeoutError extends ScsiError {
  static override readonly code = ScsiErrorCodes.TIMEOUT;
  readonly timeoutMs: number | undefined;
  constructor(message: string, options: ScsiErrorOptions & { readonly timeoutMs?: number } = {}) {
    super(ScsiErrorCodes.TIMEOUT, message, options);
    this.name = 'TimeoutError';
    this.timeoutMs = options.timeoutMs;
  }
}

/** The caller's AbortSignal fired. The command may still run in the kernel (it cannot be cancelled). */
export class AbortError extends ScsiError {
  static override readonly code = ScsiErrorCodes.ABORTED;
  constructor(message = 'the command was aborted', options: ScsiErrorOptions = {}) {
    super(ScsiErrorCodes.ABORTED, message, options);
    this.name = 'AbortError';
  }
}

/** The device is gone (removed, -ENODEV). Terminal: close the device; reopening will fail. */
export class DeviceGoneError extends ScsiError {
  static override readonly code = ScsiErrorCodes.DEVICE_GONE;
  constructor(message = 'the device is gone', options: ScsiErrorOptions = {}) {
    super(ScsiErrorCodes.DEVICE_GONE, message, options);
    this.name = 'DeviceGoneError';
  }
}

/**
 * Not allowed: a write-class command on a device opened read-only (refused before it reaches the
 * kernel; `reason: 'read-only'`), or the kernel/file system said EPERM/EACCES (`reason: 'kernel'`).
 */
export class PermissionError extends ScsiError {
  static override readonly code = ScsiErrorCodes.PERMISSION;
  readonly reason: 'read-only' | 'kernel';
  constructor(
    message: string,
    options: ScsiErrorOptions & { readonly reason: 'read-only' | 'kernel' } = { reason: 'read-only' },
  ) {
    super(ScsiErrorCodes.PERMISSION, message, options);
    this.name = 'PermissionError';
    this.reason = options.reason;
  }
}

/**
 * A bad argument or option; nothing was sent. `field` names it. `reason`, when set, says which
 * check refused it, for code that must tell them apart:
 * - `'lba-out-of-range'`: the range runs past the device's cached capacity (the device would have
 *   answered ILLEGAL REQUEST, LOGICAL BLOCK ADDRESS OUT OF RANGE, 05h/21h/00h).
 */
export class InvalidArgumentError extends ScsiError {
  static override readonly code = ScsiErrorCodes.INVALID_ARGUMENT;
  readonly field: string;
  /** Which check refused the argument (see the class description); absent for the others. */
  declare readonly reason?: string;
  constructor(field: string, message: string, options: ScsiErrorOptions & { readonly reason?: string } = {}) {
    super(ScsiErrorCodes.INVALID_ARGUMENT, message, options);
    this.name = 'InvalidArgumentError';
    this.field = field;
    if (options.reason !== undefined) (this as { reason?: string }).reason = options.reason;
  }
}

/** The device (or its transport) is closed. */
export class ClosedError extends ScsiError {
  static override readonly code = ScsiErrorCodes.CLOSED;
  constructor(message = 'the device is closed', options: ScsiErrorOptions = {}) {
    super(ScsiErrorCodes.CLOSED, message, options);
    this.name = 'ClosedError';
  }
}

/**
 * Any other delivery failure: the kernel refused the command (-EINVAL, -ENOMEM…), or the outcome is
 * unknown (`outcomeUnknown`: it may have executed). `errno`/`errnoCode` as the transport reported.
 */
export class TransportFailureError extends ScsiError {
  static override readonly code = ScsiErrorCodes.TRANSPORT;
  readonly errno: number | undefined;
  readonly errnoCode: string | undefined;
  readonly outcomeUnknown: boolean;
  constructor(
    message: string,
    options: ScsiErrorOptions & {
      readonly errno?: number;
      readonly errnoCode?: string;
      readonly outcomeUnknown?: boolean;
    } = {},
  ) {
    super(ScsiErrorCodes.TRANSPORT, message, options);
    this.name = 'TransportFailureError';
    this.errno = options.errno;
    this.errnoCode = options.errnoCode;
    this.outcomeUnknown = options.outcomeUnknown ?? false;
  }
}

const EPERM = 1;
const EACCES = 13;

/**
 * Maps whatever a transport (or open(2)) threw onto this hierarchy, keeping it as `cause`.
 * A `ScsiError` passes through unchanged.
 */
export function mapTransportError(e: unknown, command?: string): ScsiError {
  if (e instanceof ScsiError) return e;
  const opts = { cause: e, ...(command === undefined ? {} : { command }) };
  const prefix = command === undefined ? '' : `${command}: `;
  if (e instanceof TransportTimeoutError) {
    return new TimeoutError(`${prefix}${e.message}`, { ...opts, timeoutMs: e.timeoutMs });
  }
  if (e instanceof TransportAbortedError) return new AbortError(`${prefix}${e.message}`, opts);
  if (e instanceof TransportClosedError) return new ClosedError(`${prefix}${e.message}`, opts);
  if (e instanceof TransportDeviceGoneError) return new DeviceGoneError(`${prefix}${e.message}`, opts);
  if (e instanceof InvalidCommandError)
    return new InvalidArgumentError(e.field, `${prefix}${e.message}`, opts);
  if (e instanceof SyscallError || e instanceof OutcomeUnknownError) {
    const errno = Math.abs(e.errno);
    if (errno === EPERM || errno === EACCES) {
      return new PermissionError(`${prefix}${e.message}`, { ...opts, reason: 'kernel' });
    }
    return new TransportFailureError(`${prefix}${e.message}`, {
      ...opts,
      errno: e.errno,
      errnoCode: e.errnoCode,
      outcomeUnknown: e instanceof OutcomeUnknownError,
    });
  }
  if (e instanceof TransportError) return new TransportFailureError(`${prefix}${e.message}`, opts);
  const sys = e as { code?: unknown; errno?: unknown; message?: unknown };
  if (sys !== null && typeof sys === 'object' && typeof sys.code === 'string') {
    if (sys.code === 'EPERM' || sys.code === 'EACCES') {
      return new PermissionError(`${prefix}${String(sys.message)}`, { ...opts, reason: 'kernel' });
    }
    if (sys.code === 'ENODEV' || sys.code === 'ENXIO') {
      return new DeviceGoneError(`${prefix}${String(sys.message)}`, opts);
    }
    if (sys.code === 'ENOENT') {
      return new InvalidArgumentError('target', `${prefix}${String(sys.message)}`, opts);
    }
  }
  if (e instanceof RangeError || e instanceof TypeError) {
    return new InvalidArgumentError('options', `${prefix}${e.message}`, opts);
  }
  const message = e instanceof Error ? e.message : String(e);
  return new TransportFailureError(`${prefix}${message}`, opts);
}

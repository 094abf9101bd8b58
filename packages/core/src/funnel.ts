/**
 * The command funnel every command of a Device goes through: read-only guard → transport → typed
 * error → retry policy → diagnostics. It also holds what the command families share per device
 * (the caches, the stats, the options opened with); the families in `spc.ts`, `sbc.ts` and
 * `commands/` are plain functions over it.
 */
import {
  type CdbSpec,
  type DataDirection,
  decodeCdb,
  decodeSense,
  opcodeName,
  SAM_STATUS,
  SENSE_KEY,
} from '@scsikit/cdb';
import {
  type CommandPriority,
  DRIVER_SENSE,
  type FixedBufferLease,
  type ScsiCommand,
  type ScsiResult,
  type Transport,
} from '@scsikit/transport';
import { DeviceCaches } from './caches.js';
import { type CommandClass, classifyCommand } from './command-class.js';
import { type CommandStartMessage, channels, DeviceStatsCollector, log } from './diagnostics.js';
import type { ScsiDeviceInfo } from './discovery.js';
import {
  AbortError,
  CheckConditionError,
  ClosedError,
  HostError,
  InvalidArgumentError,
  mapTransportError,
  PermissionError,
  type ScsiError,
  ScsiStatusError,
} from './errors.js';
import { type RetryPolicy, retryDelay, sleep } from './retry.js';

/** Options every command method accepts. */
export interface CommandOptions {
  /** Milliseconds before the transport's watchdog gives up. @default the device's `timeoutMs` */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /**
   * `false`: no retries for this call. `true`: retry under the device's policy even a non-idempotent
   * command (COMPARE AND WRITE, PR OUT…) — only when you know a repeat is harmless. An object: a
   * policy for this call, merged over the device's.
   * @default the device's policy; non-idempotent commands are not retried
   */
  readonly retry?: boolean | Partial<RetryPolicy>;
  /** @default 'normal' */
  readonly priority?: CommandPriority;
}

/** `execute` options for raw CDB bytes or a CdbSpec. */
export interface ExecuteOptions extends CommandOptions {
  /** Direction for raw bytes. @default 'out' with `data`, 'in' with `transferLength`/`into`, else 'none' */
  readonly direction?: DataDirection;
  /** Data-out bytes. */
  readonly data?: Uint8Array;
  /** Data-in destination (written in place). */
  readonly into?: Uint8Array;
  /** Data-in bytes expected. @default the spec's transferLength */
  readonly transferLength?: number;
  /**
   * A registered buffer from `device.transport.pool` carrying the data (in or out) instead of
   * `data`/`into`: no per-command page pinning. The lease stays yours: release it after use.
   */
  readonly fixedBuffer?: FixedBufferLease;
}

/** @internal What the command families that only send commands (`commands/`) need of the funnel. */
export interface CommandRunner {
  run(spec: CdbSpec, options?: ExecuteOptions): Promise<ScsiResult>;
  readonly writable: boolean;
  /** The transport's largest transfer: allocation lengths stay below it. */
  readonly maxTransferBytes: number;
}

/** @internal What the funnel is opened with. */
export interface FunnelInit {
  readonly transport: Transport;
  readonly writable: boolean;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  /** The device in diagnostics messages: its path, else the transport's kind. */
  readonly label: string;
  readonly info: ScsiDeviceInfo | undefined;
}

/** @internal A command that passed the guards, ready for the transport. */
export interface PreparedCommand {
  readonly cmd: ScsiCommand;
  readonly klass: CommandClass;
}

/** What `runFor` is given to resolve with the transport's result rather than a value of its own. */
export const RESULT: unique symbol = Symbol('result');

/** @internal One Device's funnel; Device and the command families share it. */
export class Funnel implements CommandRunner {
  readonly transport: Transport;
  readonly writable: boolean;
  readonly info: ScsiDeviceInfo | undefined;
  readonly stats = new DeviceStatsCollector();
  readonly caches = new DeviceCaches();
  /** Set by `Device.close()`: every later command rejects with ClosedError. */
  closed = false;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #label: string;
  /** Which command set the registry classifies by (tape, changer, enclosure or block). */
  readonly #peripheralType: number | undefined;

  constructor(init: FunnelInit) {
    this.transport = init.transport;
    this.writable = init.writable;
    this.info = init.info;
    this.#peripheralType = init.info?.type ?? init.transport.capabilities.peripheralType;
    this.#timeoutMs = init.timeoutMs;
    this.#retry = init.retry;
    this.#label = init.label;
  }

  /** The device's peripheral type (sysfs, or the transport's capabilities), when known. */
  get peripheralType(): number | undefined {
    return this.#peripheralType;
  }

  get maxTransferBytes(): number {
    return this.transport.capabilities.maxTransferBytes;
  }

  /** `Device.execute`: a CdbSpec, or raw CDB bytes with `direction`/`data`/`transferLength`. */
  execute(command: CdbSpec | Uint8Array, options: ExecuteOptions = {}): Promise<ScsiResult> {
    let spec: CdbSpec;
    try {
      spec = this.specOf(command, options);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.run(spec, options);
  }

  /** The CdbSpec of `execute`'s argument: raw bytes get their direction and name here. */
  specOf(command: CdbSpec | Uint8Array, options: ExecuteOptions): CdbSpec {
    if (command instanceof Uint8Array) {
      const direction: DataDirection =
        options.direction ??
        (options.data !== undefined
          ? 'out'
          : options.into !== undefined || options.transferLength !== undefined
            ? 'in'
            : 'none');
      const transferLength =
        direction === 'none'
          ? 0
          : (options.transferLength ?? options.data?.length ?? options.into?.length ?? 0);
      const cdb = command;
      let name: string;
      try {
        name = decodeCdb(cdb, this.#peripheralType).name;
      } catch {
        name = opcodeName(cdb[0] ?? 0, undefined, this.#peripheralType);
      }
      return { cdb, direction, transferLength, name };
    }
    if (command === null || typeof command !== 'object' || !(command.cdb instanceof Uint8Array)) {
      throw new InvalidArgumentError(
        'command',
        'Expected a CdbSpec ({ cdb, direction, transferLength, name }) or CDB bytes',
      );
    }
    return command;
  }

  /**
   * The guards and the command object, synchronously, then `#send`. Not an async function: a
   * suspended async function keeps its whole register file, and this one's prelude would make that
   * the largest allocation of a read.
   */
  run(spec: CdbSpec, options: ExecuteOptions = {}): Promise<ScsiResult> {
    return this.runFor<ScsiResult>(spec, options, RESULT);
  }

  /** `run`, resolving with `value` instead of the result (read's view, write's undefined). */
  runFor<T>(spec: CdbSpec, options: ExecuteOptions, value: T | typeof RESULT): Promise<T> {
    this.stats.commands++;
    const klass = classifyCommand(spec.cdb, this.#peripheralType);
    let cmd: ScsiCommand;
    try {
      cmd = this.#guarded(spec, klass, options);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#send(spec, cmd, klass, options, value);
  }

  /**
   * The guards (closed, read-only) and the transport command, without sending it: throws the typed
   * error (recorded in the stats) instead. `executeBatch` prepares every command before it sends any.
   */
  prepare(spec: CdbSpec, options: ExecuteOptions): PreparedCommand {
    const klass = classifyCommand(spec.cdb, this.#peripheralType);
    return { cmd: this.#guarded(spec, klass, options), klass };
  }

  /** `prepare`'s work for one class, with no object of its own (`runFor` is every command's path). */
  #guarded(spec: CdbSpec, klass: CommandClass, options: ExecuteOptions): ScsiCommand {
    if (this.closed) {
      this.#fail(spec, new ClosedError(`${spec.name}: the device is closed`, { command: spec.name }));
    }
    if (klass.access === 'write' && !this.writable) {
      this.#fail(
        spec,
        new PermissionError(
          `${spec.name} changes the device, which was opened read-only; open it with { write: true }`,
          { reason: 'read-only', command: spec.name },
        ),
      );
    }
    try {
      return this.#command(spec, options);
    } catch (e) {
      this.#fail(spec, mapTransportError(e, spec.name));
    }
  }

  /** Sends what `prepare` returned (counted as one command), resolving with the transport's result. */
  sendPrepared(spec: CdbSpec, prepared: PreparedCommand, options: ExecuteOptions): Promise<ScsiResult> {
    this.stats.commands++;
    return this.#send<ScsiResult>(spec, prepared.cmd, prepared.klass, options, RESULT);
  }

  /** Fails early (before any capacity read) when a write-class helper runs on a read-only device. */
  guardWrite(name: string): void {
    if (!this.writable) {
      this.stats.commands++;
      const e = new PermissionError(
        `${name} changes the device, which was opened read-only; open it with { write: true }`,
        {
          reason: 'read-only',
          command: name,
        },
      );
      this.stats.recordError(e.code);
      throw e;
    }
  }

  /** Sends `cmd`, retrying as the policy allows; small on purpose (see `runFor`). */
  async #send<T>(
    spec: CdbSpec,
    cmd: ScsiCommand,
    klass: CommandClass,
    options: ExecuteOptions,
    value: T | typeof RESULT,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const message = this.#startMessage(spec, attempt);
      let result: ScsiResult;
      try {
        result = await this.transport.execute(cmd);
      } catch (e) {
        return this.#fail(spec, mapTransportError(e, spec.name), message);
      }
      const error = errorOf(spec.name, result);
      if (error === undefined) {
        this.#succeeded(spec, cmd, result, message);
        // T is ScsiResult when the value is RESULT (`run`).
        return value === RESULT ? (result as T) : value;
      }
      const delayMs = this.#retryDelayOrFail(spec, error, attempt, klass, options, message);
      try {
        await sleep(delayMs, options.signal);
      } catch (reason) {
        return this.#fail(
          spec,
          new AbortError(`${spec.name}: aborted while waiting to retry`, {
            cause: reason,
            command: spec.name,
          }),
          message,
        );
      }
    }
  }

  /** The diagnostics-channel message of one attempt, built only when someone listens. */
  #startMessage(spec: CdbSpec, attempt: number): CommandStartMessage | undefined {
    if (
      !channels.start.hasSubscribers &&
      !channels.complete.hasSubscribers &&
      !channels.error.hasSubscribers &&
      !channels.retry.hasSubscribers
    ) {
      return undefined;
    }
    const message = { device: this.#label, command: spec.name, cdb: spec.cdb, attempt };
    if (channels.start.hasSubscribers) channels.start.publish(message);
    return message;
  }

  #succeeded(
    spec: CdbSpec,
    cmd: ScsiCommand,
    result: ScsiResult,
    message: CommandStartMessage | undefined,
  ): void {
    const stats = this.stats;
    stats.succeeded++;
    stats.recordLatency(result.latencyNs);
    if (spec.direction === 'in') stats.bytesRead += result.data.length;
    else if (spec.direction === 'out') stats.bytesWritten += cmd.transferLength ?? cmd.data?.length ?? 0;
    if (message !== undefined && channels.complete.hasSubscribers) {
      channels.complete.publish({
        ...message,
        status: result.status,
        bytes: spec.direction === 'in' ? result.data.length : (cmd.data?.length ?? 0),
        latencyNs: result.latencyNs,
      });
    }
  }

  /** The delay before the next attempt; throws the typed error when there is none. */
  #retryDelayOrFail(
    spec: CdbSpec,
    error: ScsiError,
    attempt: number,
    klass: CommandClass,
    options: ExecuteOptions,
    message: CommandStartMessage | undefined,
  ): number {
    if (error instanceof CheckConditionError && error.senseKey === SENSE_KEY.UNIT_ATTENTION)
      this.caches.onUnitAttention(error.asc, error.ascq);
    const policy: RetryPolicy =
      options.retry === false
        ? { ...this.#retry, maxRetries: 0 }
        : typeof options.retry === 'object'
          ? { ...this.#retry, ...options.retry }
          : this.#retry;
    // Only an explicit `retry: true` lets a non-idempotent command be sent again.
    const retry = retryDelay(policy, error, attempt, klass, options.retry === true);
    if (retry === undefined) this.#fail(spec, error, message);
    this.stats.retries++;
    log('%s: retry %d in %d ms after %s', spec.name, attempt + 1, retry.delayMs, error.message);
    if (message !== undefined && channels.retry.hasSubscribers) {
      channels.retry.publish({
        ...message,
        error,
        delayMs: retry.delayMs,
        reason: retry.condition.reason ?? '',
      });
    }
    return retry.delayMs;
  }

  #fail(spec: CdbSpec, error: ScsiError, message?: CommandStartMessage): never {
    this.stats.recordError(error.code);
    if (channels.error.hasSubscribers) {
      channels.error.publish({
        ...(message ?? { device: this.#label, command: spec.name, cdb: spec.cdb, attempt: 0 }),
        error,
      });
    }
    throw error;
  }

  #command(spec: CdbSpec, o: ExecuteOptions): ScsiCommand {
    // One object shape for every command (undefined fields included): this runs per command.
    const timeoutMs = o.timeoutMs ?? this.#timeoutMs;
    const { signal, priority } = o;
    if (
      spec.direction === 'none' ||
      (spec.transferLength === 0 && o.data === undefined && o.into === undefined)
    ) {
      return {
        cdb: spec.cdb,
        direction: 'none',
        data: undefined,
        transferLength: undefined,
        timeoutMs,
        signal,
        priority,
        fixedBuffer: undefined,
      };
    }
    const length = o.transferLength ?? spec.transferLength;
    if (o.fixedBuffer !== undefined) {
      if (o.data !== undefined || o.into !== undefined) {
        throw new InvalidArgumentError('fixedBuffer', '`fixedBuffer` replaces `data`/`into`: pass one');
      }
      if (!(o.fixedBuffer.buffer instanceof Uint8Array) || o.fixedBuffer.buffer.length < length) {
        throw new InvalidArgumentError(
          'fixedBuffer',
          `${spec.name} moves ${length} bytes but the fixed buffer has ${o.fixedBuffer.buffer?.length}`,
        );
      }
      return {
        cdb: spec.cdb,
        direction: spec.direction === 'out' ? 'out' : 'in',
        data: undefined,
        transferLength: length,
        timeoutMs,
        signal,
        priority,
        fixedBuffer: o.fixedBuffer,
      };
    }
    let data: Uint8Array | undefined;
    if (spec.direction === 'out') {
      data = o.data;
      if (data === undefined) throw new InvalidArgumentError('data', `${spec.name} needs data-out bytes`);
      if (data.length < length) {
        throw new InvalidArgumentError(
          'data',
          `${spec.name} transfers ${length} bytes but data has ${data.length}`,
        );
      }
    } else if (o.into !== undefined) {
      data = o.into;
      if (data.length < length) {
        throw new InvalidArgumentError(
          'into',
          `${spec.name} reads ${length} bytes but \`into\` has ${data.length}`,
        );
      }
    }
    return {
      cdb: spec.cdb,
      direction: spec.direction === 'out' ? 'out' : 'in',
      data: data === undefined || data.length === length ? data : data.subarray(0, length),
      transferLength: data === undefined ? length : undefined,
      timeoutMs,
      signal,
      priority,
      fixedBuffer: undefined,
    };
  }
}

/** A result that is not GOOD, as the typed error; undefined for GOOD / CONDITION MET. */
function errorOf(name: string, r: ScsiResult): ScsiError | undefined {
  const good = r.status === SAM_STATUS.GOOD || r.status === SAM_STATUS.CONDITION_MET;
  if (r.hostStatus === 0 && good) {
    if (r.driverStatus === 0 || r.driverStatus === DRIVER_SENSE) return undefined;
  }
  const summary = {
    status: r.status,
    hostStatus: r.hostStatus,
    driverStatus: r.driverStatus,
    residual: r.residual,
  };
  if (r.hostStatus !== 0) return new HostError(name, summary);
  if (good) {
    // A driver byte other than 0/DRIVER_SENSE on GOOD is a driver-level failure.
    if (r.driverStatus !== 0 && r.driverStatus !== DRIVER_SENSE) return new HostError(name, summary);
    return undefined;
  }
  if (r.status === SAM_STATUS.CHECK_CONDITION) {
    if (r.sense.length === 0) return new ScsiStatusError(name, summary);
    try {
      return new CheckConditionError(name, decodeSense(r.sense), summary);
    } catch {
      return new ScsiStatusError(name, summary);
    }
  }
  return new ScsiStatusError(name, summary);
}

/** Sends, decodes, and re-sends once with a larger allocation length when the answer was truncated. */
export async function readDecoded<
  T extends { readonly truncated?: boolean; readonly requiredLength?: number },
>(
  runner: CommandRunner,
  build: (allocationLength: number) => CdbSpec,
  decode: (bytes: Uint8Array) => T,
  initial: number,
  max: number,
  options?: CommandOptions,
): Promise<T> {
  // Allocation lengths never exceed what the transport can move in one command.
  const cap = Math.min(max, runner.maxTransferBytes);
  const size = Math.min(initial, cap);
  const first = decode((await runner.run(build(size), options)).data);
  const need = first.requiredLength ?? 0;
  if (first.truncated !== true || need <= size || size >= cap) return first;
  return decode((await runner.run(build(Math.min(need, cap)), options)).data);
}

/** The per-call options that apply to a helper command (no data, buffers or transfer lengths). */
export function commandOnly(options: CommandOptions): CommandOptions {
  return {
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.priority === undefined ? {} : { priority: options.priority }),
  };
}

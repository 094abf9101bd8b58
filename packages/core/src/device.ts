/**
 * `Device`: one opened SCSI device behind a Transport. Every method builds its CDB with
 * `@scsikit/cdb`, sends it through one funnel (`#run`: read-only guard → transport → typed error →
 * retry policy → diagnostics) and returns cdb's decoded answer. The families that would crowd this
 * file live in `commands/` (persistent reservations, zoned, long operations, ATA).
 */
import {
  applyModePageChanges,
  type BlockDeviceCharacteristicsVpd,
  type BlockLimitsVpd,
  buildCompareAndWrite,
  buildGetLbaStatus,
  buildInquiry,
  buildLogSense,
  buildModeSelect6,
  buildModeSelect10,
  buildModeSelectData,
  buildModeSense6,
  buildModeSense10,
  buildReadCapacity10,
  buildReadCapacity16,
  buildReportLuns,
  buildReportSupportedOperationCodes,
  buildStartStopUnit,
  buildSynchronizeCache10,
  buildSynchronizeCache16,
  buildTestUnitReady,
  buildUnmap,
  buildUnmapData,
  buildVerify,
  buildWriteSame10,
  buildWriteSame16,
  type CachingPage,
  CdbBuildError,
  type CdbSpec,
  type CompareAndWriteParams,
  type DataDirection,
  type DeviceIdentificationVpd,
  decodeBlockDeviceCharacteristics,
  decodeBlockLimits,
  decodeCachingPage,
  decodeCdb,
  decodeDeviceIdentification,
  decodeGetLbaStatus,
  decodeLogicalBlockProvisioning,
  decodeLogPage,
  decodeModeSense6,
  decodeModeSense10,
  decodeReadCapacity10,
  decodeReadCapacity16,
  decodeReportLuns,
  decodeSense,
  decodeStandardInquiry,
  decodeSupportedOpcodesAll,
  decodeSupportedVpdPages,
  decodeUnitSerialNumber,
  decodeVpdPage,
  type GetLbaStatusData,
  type LogicalBlockProvisioningVpd,
  type LogPage,
  type LogPageControl,
  type ModePage,
  type ModePageControl,
  type ModeParameters,
  opcodeName,
  type ReportLunsData,
  type ReportLunsSelect,
  type StandardInquiry,
  type StartStopUnitParams,
  type SupportedOpcodesAll,
  type UnitSerialNumberVpd,
  type UnmapRange,
  type VpdPage,
} from '@scsikit/cdb';
import type {
  CommandPriority,
  FixedBufferLease,
  ScsiCommand,
  ScsiResult,
  Transport,
  TransportKind,
} from '@scsikit/transport';
import { type CommandClass, classifyCommand } from './command-class.js';
import { AtaCommands } from './commands/ata.js';
import {
  type FormatUnitOptions,
  type LongOperation,
  type SanitizeOptions,
  startFormatUnit,
  startSanitize,
} from './commands/long-ops.js';
import { PersistentReservations } from './commands/pr.js';
import { ZonedCommands } from './commands/zoned.js';
import {
  type CommandStartMessage,
  channels,
  type DeviceStats,
  DeviceStatsCollector,
  log,
} from './diagnostics.js';
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
import { rwSpec } from './rw-cdb.js';

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

/** READ CAPACITY, normalised over (10) and (16). */
export interface Capacity {
  /** LBA of the last logical block. */
  readonly lastLba: bigint;
  /** Logical block length in bytes. */
  readonly blockLength: number;
  /** lastLba + 1. */
  readonly blocks: bigint;
  readonly capacityBytes: bigint;
  /** Which command answered. */
  readonly source: 10 | 16;
  /** (16) only: physical block length (blockLength × 2^exponent). */
  readonly physicalBlockLength?: number;
  /** (16) only: protection type, 0 when off. */
  readonly protectionType?: number;
  /** (16) only: logical block provisioning management enabled (thin). */
  readonly lbpme?: boolean;
  /** (16) only: deallocated blocks read as zeroes. */
  readonly lbprz?: boolean;
}

export interface ReadCapacityOptions extends CommandOptions {
  /** Use READ CAPACITY(16) even when (10) would do (protection and thin provisioning details). */
  readonly use16?: boolean;
  /** Ignore the cache. @default false */
  readonly refresh?: boolean;
}

export interface ReadOptions extends CommandOptions {
  /** Destination (at least blocks × blockLength bytes); the result is a view of it. */
  readonly into?: Uint8Array;
  /**
   * Read into a registered buffer (`device.transport.pool.acquire`); the result is a view of its
   * memory. One command only: at most the device's maximum transfer.
   */
  readonly fixedBuffer?: FixedBufferLease;
  readonly fua?: boolean;
  readonly dpo?: boolean;
}

export interface WriteOptions extends CommandOptions {
  /**
   * Write from a registered buffer (`device.transport.pool.acquire`): `data` is copied into it
   * unless it already is the lease's memory. One command only: at most the maximum transfer.
   */
  readonly fixedBuffer?: FixedBufferLease;
  readonly fua?: boolean;
  readonly dpo?: boolean;
}

export interface WriteSameOptions extends CommandOptions {
  /** The one block replicated; absent with `ndob` (zeroes). @default a zeroed block */
  readonly data?: Uint8Array;
  /** Deallocate the blocks if the device can (thin provisioning). */
  readonly unmap?: boolean;
  /** No data-out buffer: the device writes zeroes (WRITE SAME(16) only). */
  readonly ndob?: boolean;
}

export interface ModeSenseOptions extends CommandOptions {
  readonly subpage?: number;
  /** @default 'current' */
  readonly pageControl?: ModePageControl;
  /** Disable block descriptors. @default true */
  readonly dbd?: boolean;
}

/** `cachingPage()`: the caching mode page (08h) decoded, with the raw pages for MODE SELECT. */
export interface CachingPageState {
  /** The page as the device has it now (PC = current). */
  readonly current: CachingPage;
  /** 1 bits = changeable (PC = changeable values). */
  readonly changeable: CachingPage;
  /** The raw page, for applyModePageChanges/modeSelect. */
  readonly page: ModePage;
  readonly changeablePage: ModePage;
}

/** What `openDevice` hands the constructor. */
export interface DeviceInit {
  readonly transport: Transport;
  /** The transport is the Device's: `close()` closes it. False for a caller-supplied Transport. */
  readonly ownsTransport: boolean;
  readonly writable: boolean;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly path?: string;
  readonly info?: ScsiDeviceInfo;
}

const GOOD = 0x00;
const CHECK_CONDITION = 0x02;
const CONDITION_MET = 0x04;
const DRIVER_SENSE = 0x08;
const UNIT_ATTENTION = 0x06;
const ILLEGAL_REQUEST = 0x05;
const MAX_READ16_BLOCKS = 0xffff_ffff;
const MAX_SAFE_LBA = BigInt(Number.MAX_SAFE_INTEGER) - 0x1_0000_0000n;
/** Below this, an LBA plus a block count is exact in number arithmetic. */
const MAX_SAFE_LBA_NUMBER = Number(MAX_SAFE_LBA);

/** @internal What the command families in `commands/` use to send commands. */
export interface CommandRunner {
  run(spec: CdbSpec, options?: ExecuteOptions): Promise<ScsiResult>;
  readonly writable: boolean;
  /** The transport's largest transfer: allocation lengths stay below it. */
  readonly maxTransferBytes: number;
}

/** One SCSI device. Create it with `openDevice`. */
export class Device implements AsyncDisposable {
  /** The transport the commands go through (`transport.kind`: 'uring' | 'sgio' | 'emulated'). */
  readonly transport: Transport;
  /** The node opened, e.g. '/dev/bsg/0:0:0:0'; undefined for a caller-supplied Transport. */
  readonly path: string | undefined;
  /** The sysfs description, when opened by name. */
  readonly info: ScsiDeviceInfo | undefined;
  /** Whether write-class commands are allowed (`openDevice(…, { write: true })`). */
  readonly writable: boolean;
  /** PERSISTENT RESERVE IN/OUT. */
  readonly pr: PersistentReservations;
  /** ZBC: REPORT ZONES and the zone actions. */
  readonly zones: ZonedCommands;
  /** SAT ATA PASS-THROUGH helpers. */
  readonly ata: AtaCommands;

  readonly #ownsTransport: boolean;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #stats = new DeviceStatsCollector();
  readonly #label: string;
  #closed = false;
  /** Caches, dropped on the unit attentions that invalidate them (see `#onUnitAttention`). */
  #capacity: Capacity | undefined;
  /** `#capacity`'s block count as a number (see #capBlocks), and the capacity it was taken from. */
  #capBlocksNumber: number | undefined;
  #capBlocksOf: Capacity | undefined;
  #blockLimits: BlockLimitsVpd | null | undefined;
  #lbp: LogicalBlockProvisioningVpd | null | undefined;
  /** DPOFUA and WCE from the caching page, read the first time DPO/FUA is asked for. */
  #cacheMode: { readonly dpofua: boolean; readonly wce: boolean } | null | undefined;
  #vpdPages: readonly number[] | null | undefined;
  /** null: the device does not support REPORT SUPPORTED OPERATION CODES. */
  #opcodes: SupportedOpcodesAll | null | undefined;
  #ioMemo:
    | {
        readonly cap: Capacity;
        readonly limits: BlockLimitsVpd | null;
        readonly value: IoLimits;
      }
    | undefined;
  #supportMemo: { list: SupportedOpcodesAll; answers: Map<number, boolean> } | undefined;
  #inquiry: StandardInquiry | undefined;
  /** MODE SENSE(10) refused with INVALID COMMAND OPERATION CODE: use (6). */
  #modeSense6 = false;

  /** @internal `openDevice` constructs Devices; call it instead. */
  constructor(init: DeviceInit) {
    this.transport = init.transport;
    this.#ownsTransport = init.ownsTransport;
    this.writable = init.writable;
    this.#timeoutMs = init.timeoutMs;
    this.#retry = init.retry;
    this.path = init.path;
    this.info = init.info;
    this.#label = init.path ?? init.transport.kind;
    const runner = this.#runner();
    this.pr = new PersistentReservations(runner);
    this.zones = new ZonedCommands(runner);
    this.ata = new AtaCommands(runner);
  }

  /** True once `close()` has been called; every later command rejects with ClosedError. */
  get closed(): boolean {
    return this.#closed;
  }

  // -------------------------------------------------------------------------------------------
  // The funnel

  /**
   * Sends any command: a cdb `CdbSpec`, or raw CDB bytes with `direction`/`data`/`transferLength`.
   * The read-only guard applies (unknown and vendor opcodes count as writes). Resolves with the
   * transport's result on GOOD/CONDITION MET; rejects with a typed ScsiError otherwise.
   */
  execute(command: CdbSpec | Uint8Array, options: ExecuteOptions = {}): Promise<ScsiResult> {
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
        name = decodeCdb(cdb).name;
      } catch {
        name = opcodeName(cdb[0] ?? 0, undefined, this.info?.type);
      }
      return this.#run({ cdb, direction, transferLength, name }, options);
    }
    if (command === null || typeof command !== 'object' || !(command.cdb instanceof Uint8Array)) {
      return Promise.reject(
        new InvalidArgumentError(
          'command',
          'Expected a CdbSpec ({ cdb, direction, transferLength, name }) or CDB bytes',
        ),
      );
    }
    return this.#run(command, options);
  }

  /**
   * The guards and the command object, synchronously, then `#send`. Not an async function: a
   * suspended async function keeps its whole register file, and this one's prelude would make that
   * the largest allocation of a read.
   */
  #run(spec: CdbSpec, options: ExecuteOptions = {}): Promise<ScsiResult> {
    return this.#runFor<ScsiResult>(spec, options, RESULT);
  }

  /** `#run`, resolving with `value` instead of the result (read's view, write's undefined). */
  #runFor<T>(spec: CdbSpec, options: ExecuteOptions, value: T | typeof RESULT): Promise<T> {
    this.#stats.commands++;
    const klass = classifyCommand(spec.cdb);
    let cmd: ScsiCommand;
    try {
      if (this.#closed) {
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
        cmd = this.#command(spec, options);
      } catch (e) {
        this.#fail(spec, mapTransportError(e, spec.name));
      }
    } catch (e) {
      return Promise.reject(e);
    }
    return this.#send(spec, cmd, klass, options, value);
  }

  /** Sends `cmd`, retrying as the policy allows; small on purpose (see `#runFor`). */
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
      const error = this.#errorOf(spec.name, result);
      if (error === undefined) {
        this.#succeeded(spec, cmd, result, message);
        // T is ScsiResult when the value is RESULT (`#run`).
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
    const stats = this.#stats;
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
    if (error instanceof CheckConditionError && error.senseKey === UNIT_ATTENTION)
      this.#onUnitAttention(error);
    const policy: RetryPolicy =
      options.retry === false
        ? { ...this.#retry, maxRetries: 0 }
        : typeof options.retry === 'object'
          ? { ...this.#retry, ...options.retry }
          : this.#retry;
    // Only an explicit `retry: true` lets a non-idempotent command be sent again.
    const retry = retryDelay(policy, error, attempt, klass, options.retry === true);
    if (retry === undefined) this.#fail(spec, error, message);
    this.#stats.retries++;
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
    this.#stats.recordError(error.code);
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

  /** A result that is not GOOD, as the typed error; undefined for GOOD / CONDITION MET. */
  #errorOf(name: string, r: ScsiResult): ScsiError | undefined {
    if (r.hostStatus === 0 && (r.status === GOOD || r.status === CONDITION_MET)) {
      if (r.driverStatus === 0 || r.driverStatus === DRIVER_SENSE) return undefined;
    }
    const summary = {
      status: r.status,
      hostStatus: r.hostStatus,
      driverStatus: r.driverStatus,
      residual: r.residual,
    };
    if (r.hostStatus !== 0) return new HostError(name, summary);
    if (r.status === GOOD || r.status === CONDITION_MET) {
      // A driver byte other than 0/DRIVER_SENSE on GOOD is a driver-level failure.
      if (r.driverStatus !== 0 && r.driverStatus !== DRIVER_SENSE) return new HostError(name, summary);
      return undefined;
    }
    if (r.status === CHECK_CONDITION) {
      if (r.sense.length === 0) return new ScsiStatusError(name, summary);
      try {
        return new CheckConditionError(name, decodeSense(r.sense), summary);
      } catch {
        return new ScsiStatusError(name, summary);
      }
    }
    return new ScsiStatusError(name, summary);
  }

  /**
   * Drops what a unit attention says is stale: capacity and block limits on power on/reset (29h)
   * and capacity data changed (2Ah/09h); mode data on mode parameters changed (2Ah/01h); everything
   * on inquiry data / operating conditions changed (3Fh).
   */
  #onUnitAttention(e: CheckConditionError): void {
    const { asc, ascq } = e;
    if (asc === 0x29 || (asc === 0x2a && ascq === 0x09)) {
      log('unit attention %s/%s: capacity and limits caches dropped', asc.toString(16), ascq.toString(16));
      this.#capacity = undefined;
      this.#blockLimits = undefined;
      this.#lbp = undefined;
    }
    if (asc === 0x29 || (asc === 0x2a && ascq === 0x01)) {
      this.#modeSense6 = false;
      this.#cacheMode = undefined;
    }
    if (asc === 0x3f) {
      this.#capacity = undefined;
      this.#blockLimits = undefined;
      this.#lbp = undefined;
      this.#vpdPages = undefined;
      this.#opcodes = undefined;
      this.#inquiry = undefined;
      this.#cacheMode = undefined;
    }
  }

  /** Sends, decodes, and re-sends once with a larger allocation length when the answer was truncated. */
  async #readDecoded<T extends { readonly truncated?: boolean; readonly requiredLength?: number }>(
    build: (allocationLength: number) => CdbSpec,
    decode: (bytes: Uint8Array) => T,
    initial: number,
    max: number,
    options?: CommandOptions,
  ): Promise<T> {
    // Allocation lengths never exceed what the transport can move in one command.
    const cap = Math.min(max, this.transport.capabilities.maxTransferBytes);
    const size = Math.min(initial, cap);
    const first = decode((await this.#run(build(size), options)).data);
    const need = first.requiredLength ?? 0;
    if (first.truncated !== true || need <= size || size >= cap) return first;
    return decode((await this.#run(build(Math.min(need, cap)), options)).data);
  }

  // -------------------------------------------------------------------------------------------
  // SPC

  /** TEST UNIT READY: resolves when the device is ready, rejects (NOT READY…) when not. */
  async testUnitReady(options?: CommandOptions): Promise<void> {
    await this.#run(buildTestUnitReady(), options);
  }

  /** Standard INQUIRY: peripheral device type, vendor, product, revision, version descriptors… */
  async inquiry(options?: CommandOptions): Promise<StandardInquiry> {
    const data = await this.#readDecoded(
      (allocationLength) => buildInquiry({ allocationLength }),
      decodeStandardInquiry,
      96,
      255,
      options,
    );
    this.#inquiry = data;
    return data;
  }

  /** Any VPD page, decoded (`kind` tells which decoder ran). Retries with the page's full length. */
  async vpd(page: number, options?: CommandOptions): Promise<VpdPage> {
    if (!Number.isInteger(page) || page < 0 || page > 0xff) {
      throw new InvalidArgumentError(
        'page',
        `Expected \`page\` to be an integer in [0, 255], got \`${String(page)}\``,
      );
    }
    return this.#readDecoded(
      (allocationLength) => buildInquiry({ evpd: true, pageCode: page, allocationLength }),
      (b) => decodeVpdPage(b, page),
      252,
      0xffff,
      options,
    );
  }

  async #vpdTyped<T>(page: number, decode: (b: Uint8Array) => T, options?: CommandOptions): Promise<T> {
    return this.#readDecoded(
      (allocationLength) => buildInquiry({ evpd: true, pageCode: page, allocationLength }),
      decode as (b: Uint8Array) => T & { truncated?: boolean },
      252,
      0xffff,
      options,
    );
  }

  /** VPD 00h: the page codes the device supports (cached). */
  async supportedVpdPages(
    options?: CommandOptions & { readonly refresh?: boolean },
  ): Promise<readonly number[]> {
    if (this.#vpdPages != null && options?.refresh !== true) return this.#vpdPages;
    const p = await this.#vpdTyped(0x00, decodeSupportedVpdPages, options);
    this.#vpdPages = p.supportedPages;
    return p.supportedPages;
  }

  /** VPD 80h: unit serial number. */
  unitSerialNumber(options?: CommandOptions): Promise<UnitSerialNumberVpd> {
    return this.#vpdTyped(0x80, decodeUnitSerialNumber, options);
  }

  /** VPD 83h: device identification (NAA, EUI-64, target port, relative port…). */
  deviceIdentification(options?: CommandOptions): Promise<DeviceIdentificationVpd> {
    return this.#vpdTyped(0x83, decodeDeviceIdentification, options);
  }

  /** VPD B0h: block limits (max transfer, unmap limits, WRITE SAME length…). Cached. */
  async blockLimits(options?: CommandOptions & { readonly refresh?: boolean }): Promise<BlockLimitsVpd> {
    if (this.#blockLimits != null && options?.refresh !== true) return this.#blockLimits;
    const p = await this.#vpdTyped(0xb0, decodeBlockLimits, options);
    this.#blockLimits = p;
    return p;
  }

  /** VPD B1h: block device characteristics (rotation rate, form factor, zoned…). */
  blockDeviceCharacteristics(options?: CommandOptions): Promise<BlockDeviceCharacteristicsVpd> {
    return this.#vpdTyped(0xb1, decodeBlockDeviceCharacteristics, options);
  }

  /** VPD B2h: logical block provisioning (LBPU: UNMAP, LBPWS: WRITE SAME(16) UNMAP…). Cached. */
  async logicalBlockProvisioning(
    options?: CommandOptions & { readonly refresh?: boolean },
  ): Promise<LogicalBlockProvisioningVpd> {
    if (this.#lbp != null && options?.refresh !== true) return this.#lbp;
    const p = await this.#vpdTyped(0xb2, decodeLogicalBlockProvisioning, options);
    this.#lbp = p;
    return p;
  }

  /** REPORT LUNS. */
  reportLuns(options?: CommandOptions & { readonly select?: ReportLunsSelect }): Promise<ReportLunsData> {
    const select = options?.select;
    return this.#readDecoded(
      (allocationLength) =>
        buildReportLuns({ allocationLength, ...(select === undefined ? {} : { selectReport: select }) }),
      decodeReportLuns,
      4096,
      0xffff_fff0,
      options,
    );
  }

  /**
   * REPORT SUPPORTED OPERATION CODES (all commands, with timeouts). Cached per device; the cache
   * picks CDB sizes and UNMAP vs WRITE SAME(16) UNMAP. Rejects when the device does not support it.
   */
  async supportedOperationCodes(
    options?: CommandOptions & { readonly refresh?: boolean },
  ): Promise<SupportedOpcodesAll> {
    if (this.#opcodes != null && options?.refresh !== true) return this.#opcodes;
    const type = this.#inquiry?.peripheralDeviceType ?? this.info?.type;
    const ask = (rctd: boolean) =>
      this.#readDecoded(
        (allocationLength) => buildReportSupportedOperationCodes({ mode: 'all', rctd, allocationLength }),
        (b) => decodeSupportedOpcodesAll(b, type === undefined ? {} : { peripheralDeviceType: type }),
        8192,
        0xffff_fff0,
        options,
      );
    try {
      let r: SupportedOpcodesAll;
      try {
        r = await ask(true);
      } catch (e) {
        // libata's SAT layer refuses RCTD (05/24/00) but lists its commands without timeouts.
        if (!(e instanceof CheckConditionError && e.is(ILLEGAL_REQUEST, 0x24))) throw e;
        r = await ask(false);
      }
      this.#opcodes = r;
      return r;
    } catch (e) {
      if (e instanceof CheckConditionError && e.senseKey === ILLEGAL_REQUEST) this.#opcodes = null;
      throw e;
    }
  }

  /**
   * Whether the device supports a command, from the cached REPORT SUPPORTED OPERATION CODES;
   * undefined when that is unknown (not asked yet, or the device cannot tell).
   */
  supportsCommand(opcode: number, serviceAction?: number): boolean | undefined {
    const all = this.#opcodes;
    if (all == null) return undefined;
    // Asked twice per read/write: remembered per opcode list (a new list is a new memo).
    if (this.#supportMemo?.list !== all) this.#supportMemo = { list: all, answers: new Map() };
    const key = serviceAction === undefined ? opcode : opcode + 256 * (serviceAction + 1);
    let answer = this.#supportMemo.answers.get(key);
    if (answer === undefined) {
      answer = all.commands.some(
        (c) =>
          c.operationCode === opcode &&
          (serviceAction === undefined || !c.servactv || c.serviceAction === serviceAction),
      );
      this.#supportMemo.answers.set(key, answer);
    }
    return answer;
  }

  /** MODE SENSE: (10), falling back to (6) when the device refuses (10). Pages decoded. */
  async modeSense(page: number, options: ModeSenseOptions = {}): Promise<ModeParameters> {
    const base = {
      pageCode: page,
      ...(options.subpage === undefined ? {} : { subpageCode: options.subpage }),
      pageControl: options.pageControl ?? 'current',
      dbd: options.dbd ?? true,
    };
    if (!this.#modeSense6) {
      try {
        return await this.#readDecoded(
          (allocationLength) => buildModeSense10({ ...base, allocationLength }),
          decodeModeSense10,
          4096,
          0xffff,
          options,
        );
      } catch (e) {
        if (!(e instanceof CheckConditionError && e.is(ILLEGAL_REQUEST, 0x20, 0x00))) throw e;
        this.#modeSense6 = true;
      }
    }
    return this.#readDecoded(
      (allocationLength) => buildModeSense6({ ...base, allocationLength }),
      decodeModeSense6,
      252,
      255,
      options,
    );
  }

  /**
   * MODE SELECT of whole pages (as returned by modeSense, after applyModePageChanges). Uses the size
   * MODE SENSE used. `save`: also save them (SP).
   */
  async modeSelect(
    pages: readonly ModePage[],
    options: CommandOptions & { readonly save?: boolean } = {},
  ): Promise<void> {
    const headerSize = this.#modeSense6 ? 6 : 10;
    const data = buildModeSelectData({ headerSize, pages: pages.map((p) => p.raw) });
    const params = { pf: true, sp: options.save === true, parameterListLength: data.length };
    const spec = headerSize === 6 ? buildModeSelect6(params) : buildModeSelect10(params);
    await this.#run(spec, { ...options, data });
  }

  /** The caching mode page (08h): current values and the changeable mask. */
  async cachingPage(options?: CommandOptions): Promise<CachingPageState> {
    const current = await this.modeSense(0x08, { ...options, pageControl: 'current' });
    const changeable = await this.modeSense(0x08, { ...options, pageControl: 'changeable' });
    const page = current.pages.find((p) => p.pageCode === 0x08);
    const changeablePage = changeable.pages.find((p) => p.pageCode === 0x08);
    if (page === undefined || changeablePage === undefined) {
      throw new InvalidArgumentError('page', 'the device returned no caching mode page (08h)');
    }
    return {
      current: decodeCachingPage(page.raw),
      changeable: decodeCachingPage(changeablePage.raw),
      page,
      changeablePage,
    };
  }

  /**
   * Turns the volatile write cache on or off (caching page WCE), honouring the changeable mask:
   * rejects with InvalidArgumentError when the device does not let WCE change. No-op when already so.
   */
  async setWriteCache(
    enabled: boolean,
    options: CommandOptions & { readonly save?: boolean } = {},
  ): Promise<void> {
    this.#guardWrite('MODE SELECT');
    const state = await this.cachingPage(options);
    if (state.current.wce === enabled) return;
    let page: ModePage;
    try {
      page = applyModePageChanges(state.page, state.changeablePage, { wce: enabled });
    } catch (e) {
      if (e instanceof CdbBuildError) {
        throw new InvalidArgumentError(
          'enabled',
          `the device does not allow changing the write cache: ${e.message}`,
          {
            cause: e,
          },
        );
      }
      throw e;
    }
    this.#cacheMode = undefined;
    await this.modeSelect([page], options);
  }

  /** LOG SENSE of one page (and subpage), decoded with typed fields where cdb knows the page. */
  logSense(
    page: number,
    options: CommandOptions & { readonly subpage?: number; readonly pageControl?: LogPageControl } = {},
  ): Promise<LogPage> {
    return this.#readDecoded(
      (allocationLength) =>
        buildLogSense({
          pageCode: page,
          ...(options.subpage === undefined ? {} : { subpageCode: options.subpage }),
          pageControl: options.pageControl ?? 'cumulative',
          allocationLength,
        }),
      decodeLogPage as (b: Uint8Array) => LogPage & { truncated?: boolean },
      4096,
      0xffff,
      options,
    );
  }

  /** START STOP UNIT (spin up/down, power conditions, eject). A write-class command. */
  async startStopUnit(
    params: StartStopUnitParams = { start: true },
    options?: CommandOptions,
  ): Promise<void> {
    await this.#run(buildStartStopUnit(params), options);
  }

  // -------------------------------------------------------------------------------------------
  // SBC: capacity and I/O

  /**
   * READ CAPACITY: (10) first; (16) when (10) reports FFFFFFFFh, when `use16`, or when the device is
   * zoned or formatted with protection. Cached until a unit attention says the capacity changed.
   */
  async readCapacity(options: ReadCapacityOptions = {}): Promise<Capacity> {
    if (
      this.#capacity !== undefined &&
      options.refresh !== true &&
      (options.use16 !== true || this.#capacity.source === 16)
    ) {
      return this.#capacity;
    }
    let want16 =
      options.use16 === true ||
      this.#inquiry?.protect === true ||
      (this.#inquiry?.peripheralDeviceType ?? this.info?.type) === 0x14;
    if (!want16) {
      const r10 = decodeReadCapacity10((await this.#run(buildReadCapacity10(), options)).data);
      if (!r10.needsReadCapacity16) {
        const cap: Capacity = {
          lastLba: r10.lastLba,
          blockLength: r10.blockLength,
          blocks: r10.lastLba + 1n,
          capacityBytes: r10.capacityBytes,
          source: 10,
        };
        this.#capacity = cap;
        return cap;
      }
      want16 = true;
    }
    const r = decodeReadCapacity16(
      (await this.#run(buildReadCapacity16({ allocationLength: 32 }), options)).data,
    );
    const cap: Capacity = {
      lastLba: r.lastLba,
      blockLength: r.blockLength,
      blocks: r.lastLba + 1n,
      capacityBytes: r.capacityBytes,
      source: 16,
      physicalBlockLength: r.physicalBlockLength,
      protectionType: r.protectionType,
      lbpme: r.lbpme,
      lbprz: r.lbprz,
    };
    this.#capacity = cap;
    return cap;
  }

  /**
   * The I/O sizing when every cache it needs (capacity, block limits if VPD B0h exists, opcodes) is
   * warm (no await on the hot path), else undefined.
   */
  #ioInfoWarm(): IoLimits | undefined {
    const cap = this.#capacity;
    const limits = this.#blockLimits;
    if (cap === undefined || limits === undefined || this.#opcodes === undefined) return undefined;
    // Memoised on the caches it derives from: one object per cache refresh, not per command.
    const memo = this.#ioMemo;
    if (memo !== undefined && memo.cap === cap && memo.limits === limits) return memo.value;
    const value = this.#ioLimits(cap.blockLength);
    this.#ioMemo = { cap, limits, value };
    return value;
  }

  #ioLimits(blockLength: number): IoLimits {
    const byTransport = Math.floor(this.transport.capabilities.maxTransferBytes / blockLength);
    const byDevice = this.#blockLimits?.maximumTransferLength;
    const maxBlocks = Math.max(
      1,
      Math.min(
        byTransport,
        byDevice !== undefined && byDevice > 0 ? byDevice : MAX_READ16_BLOCKS,
        MAX_READ16_BLOCKS,
      ),
    );
    return { blockLength, maxBlocks };
  }

  async #ioInfo(callerOptions?: CommandOptions): Promise<IoLimits> {
    const warm = this.#ioInfoWarm();
    if (warm !== undefined) return warm;
    // The caller's `into`/`data` belong to its own command, never to these queries.
    const options = callerOptions === undefined ? undefined : commandOnly(callerOptions);
    const cap = this.#capacity ?? (await this.readCapacity(options));
    if (this.#blockLimits === undefined) {
      try {
        const pages = await this.supportedVpdPages(options);
        this.#blockLimits = pages.includes(0xb0) ? await this.blockLimits(options) : null;
      } catch (e) {
        if (!(e instanceof CheckConditionError)) throw e;
        this.#blockLimits = null;
      }
    }
    if (this.#opcodes === undefined) {
      try {
        await this.supportedOperationCodes(options);
      } catch (e) {
        if (!(e instanceof CheckConditionError)) throw e;
        this.#opcodes = null;
      }
    }
    return this.#ioLimits(cap.blockLength);
  }

  /** One READ/WRITE command of the size `#rwSize` picks. */
  #rwSpec(
    kind: 'read' | 'write',
    lba: bigint | number,
    blocks: number,
    blockLength: number,
    bits: DpoFua,
  ): CdbSpec {
    const size = this.#rwSize(lba, blocks, kind === 'read');
    return rwSpec(kind, size, lba, blocks, blockLength, bits.dpo, bits.fua);
  }

  /** The smallest READ/WRITE CDB that carries `lba`/`blocks`, unless the device says it lacks it. */
  #rwSize(lba: bigint | number, blocks: number, read: boolean): 10 | 16 {
    // A bigint LBA here is at least 2^53 (ioLba): never READ(10).
    const fits10 = blocks <= 0xffff && typeof lba === 'number' && lba + blocks <= 0x1_0000_0000;
    if (!fits10) return 16;
    const has10 = this.supportsCommand(read ? 0x28 : 0x2a);
    const has16 = this.supportsCommand(read ? 0x88 : 0x8a);
    return has10 === false && has16 === true ? 16 : 10;
  }

  /**
   * Reads `blocks` logical blocks from `lba`. Picks READ(10) or READ(16), splits transfers larger
   * than the device's maximum (block limits VPD, transport) into several commands, and writes into
   * `options.into` when given (the result is then a view of it).
   */
  read(lba: bigint | number, blocks: number, options: ReadOptions = {}): Promise<Uint8Array> {
    const warm = this.#ioInfoWarm();
    if (warm === undefined || wantsDpoFua(options)) return this.#readAfterQueries(lba, blocks, options);
    // Warm caches, the common case: no async function of its own (see `#runFor`).
    try {
      const start = ioLba(lba);
      checkBlocks(blocks);
      this.#checkRange('READ', start, blocks);
      return this.#readChecked(start, blocks, warm, NO_DPO_FUA, options);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** `read` when a cache is cold or DPO/FUA needs the caching mode page: the queries first. */
  async #readAfterQueries(lba: bigint | number, blocks: number, options: ReadOptions): Promise<Uint8Array> {
    const start = ioLba(lba);
    checkBlocks(blocks);
    const io = this.#ioInfoWarm() ?? (await this.#ioInfo(options));
    this.#checkRange('READ', start, blocks);
    const bits = wantsDpoFua(options) ? await this.#dpoFua(options) : NO_DPO_FUA;
    return this.#readChecked(start, blocks, io, bits, options);
  }

  /** The READ command(s) of a checked range; throws synchronously on a bad buffer. */
  #readChecked(
    start: bigint | number,
    blocks: number,
    io: IoLimits,
    bits: DpoFua,
    options: ReadOptions,
  ): Promise<Uint8Array> {
    const { blockLength, maxBlocks } = io;
    const total = blocks * blockLength;
    const lease = options.fixedBuffer;
    if (lease !== undefined) {
      this.#checkFixed(lease, blocks, maxBlocks, total, options.into !== undefined);
      const spec = this.#rwSpec('read', start, blocks, blockLength, bits);
      return this.#runFor(spec, withFixedBuffer(options, lease), lease.buffer.subarray(0, total));
    }
    const into = options.into ?? new Uint8Array(total);
    if (into.length < total) {
      throw new InvalidArgumentError(
        'into',
        `Expected \`into\` to hold ${total} bytes, it has ${into.length}`,
      );
    }
    if (blocks <= maxBlocks) {
      // One command: no job list, no settle-all round.
      const spec = this.#rwSpec('read', start, blocks, blockLength, bits);
      const view = into.length === total ? into : into.subarray(0, total);
      return this.#runFor(spec, withBuffer(options, 'into', view), view);
    }
    const jobs: Promise<unknown>[] = [];
    for (let done = 0; done < blocks; done += maxBlocks) {
      const n = Math.min(maxBlocks, blocks - done);
      const at = lbaPlus(start, done);
      const spec = this.#rwSpec('read', at, n, blockLength, bits);
      jobs.push(
        this.#run(
          spec,
          withBuffer(options, 'into', into.subarray(done * blockLength, (done + n) * blockLength)),
        ),
      );
    }
    return settleAll(jobs).then(() => into.subarray(0, total));
  }

  /**
   * Writes `blocks` logical blocks at `lba` from `data` (exactly blocks × blockLength bytes), split
   * like `read`. Needs `{ write: true }`.
   */
  write(lba: bigint | number, blocks: number, data: Uint8Array, options: WriteOptions = {}): Promise<void> {
    const warm = this.#ioInfoWarm();
    if (warm === undefined || wantsDpoFua(options))
      return this.#writeAfterQueries(lba, blocks, data, options);
    // Warm caches, like `read`: no async function of its own.
    try {
      const start = ioLba(lba);
      checkBlocks(blocks);
      this.#guardWrite('WRITE');
      this.#checkRange('WRITE', start, blocks);
      checkWriteData(data, blocks, warm.blockLength);
      return this.#writeChecked(start, blocks, data, warm, NO_DPO_FUA, options);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** `write` when a cache is cold or DPO/FUA needs the caching mode page; FUA may become a flush. */
  async #writeAfterQueries(
    lba: bigint | number,
    blocks: number,
    data: Uint8Array,
    options: WriteOptions,
  ): Promise<void> {
    const start = ioLba(lba);
    checkBlocks(blocks);
    this.#guardWrite('WRITE');
    const io = this.#ioInfoWarm() ?? (await this.#ioInfo(options));
    this.#checkRange('WRITE', start, blocks);
    checkWriteData(data, blocks, io.blockLength);
    const bits = wantsDpoFua(options) ? await this.#dpoFua(options) : NO_DPO_FUA;
    await this.#writeChecked(start, blocks, data, io, bits, options);
    if (bits.flushAfter) await this.synchronizeCache({ ...commandOnly(options), lba: start, blocks });
  }

  /** The WRITE command(s) of a checked range and buffer; throws synchronously on a bad lease. */
  #writeChecked(
    start: bigint | number,
    blocks: number,
    data: Uint8Array,
    io: IoLimits,
    bits: DpoFua,
    options: WriteOptions,
  ): Promise<void> {
    const { blockLength, maxBlocks } = io;
    const lease = options.fixedBuffer;
    if (lease !== undefined) {
      this.#checkFixed(lease, blocks, maxBlocks, data.length, false);
      if (data.buffer !== lease.buffer.buffer || data.byteOffset !== lease.buffer.byteOffset) {
        lease.buffer.set(data);
      }
      const spec = this.#rwSpec('write', start, blocks, blockLength, bits);
      return this.#runFor(spec, withFixedBuffer(options, lease), undefined);
    }
    if (blocks <= maxBlocks) {
      const spec = this.#rwSpec('write', start, blocks, blockLength, bits);
      return this.#runFor(spec, withBuffer(options, 'data', data), undefined);
    }
    const jobs: Promise<unknown>[] = [];
    for (let done = 0; done < blocks; done += maxBlocks) {
      const n = Math.min(maxBlocks, blocks - done);
      const at = lbaPlus(start, done);
      const spec = this.#rwSpec('write', at, n, blockLength, bits);
      jobs.push(
        this.#run(
          spec,
          withBuffer(options, 'data', data.subarray(done * blockLength, (done + n) * blockLength)),
        ),
      );
    }
    return settleAll(jobs);
  }

  /**
   * The DPO/FUA bits to send. A device that clears DPOFUA in the mode parameter header may reject
   * them (LIO: 05/24/00), so, as the sd driver does, DPO (a hint) is dropped and a write's FUA
   * becomes a SYNCHRONIZE CACHE of the range when the write cache is on (when it is off, every
   * write is already durable). Read FUA has no substitute and is dropped.
   */
  async #dpoFua(options: ReadOptions | WriteOptions): Promise<DpoFua> {
    if (!wantsDpoFua(options)) return NO_DPO_FUA;
    const wantDpo = options.dpo === true;
    const wantFua = options.fua === true;
    if (this.#cacheMode === undefined) {
      try {
        const ms = await this.modeSense(0x08, commandOnly(options));
        const page = ms.pages.find((p) => p.pageCode === 0x08);
        this.#cacheMode = {
          dpofua: ms.header.dpofua,
          wce: page === undefined ? true : decodeCachingPage(page.raw).wce,
        };
      } catch (e) {
        if (!(e instanceof CheckConditionError)) throw e;
        // No caching page to ask: send the bits as the caller asked.
        this.#cacheMode = null;
      }
    }
    const mode = this.#cacheMode;
    if (mode === null || mode.dpofua) return { dpo: wantDpo, fua: wantFua, flushAfter: false };
    return { dpo: false, fua: false, flushAfter: wantFua && mode.wce };
  }

  /** A fixed buffer carries exactly one command: it must hold the transfer, and the transfer must fit. */
  #checkFixed(
    lease: FixedBufferLease,
    blocks: number,
    maxBlocks: number,
    bytes: number,
    withInto: boolean,
  ): void {
    if (withInto) {
      throw new InvalidArgumentError('fixedBuffer', '`fixedBuffer` replaces `into`: pass one');
    }
    if (blocks > maxBlocks) {
      throw new InvalidArgumentError(
        'blocks',
        `a fixed buffer carries one command: at most ${maxBlocks} blocks on this device, got ${blocks}`,
      );
    }
    if (!(lease?.buffer instanceof Uint8Array) || lease.buffer.length < bytes) {
      throw new InvalidArgumentError(
        'fixedBuffer',
        `Expected the fixed buffer to hold ${bytes} bytes, it has ${String(lease?.buffer?.length)}`,
      );
    }
  }

  /** Fails early (before any capacity read) when a write-class helper runs on a read-only device. */
  #guardWrite(name: string): void {
    if (!this.writable) {
      this.#stats.commands++;
      const e = new PermissionError(
        `${name} changes the device, which was opened read-only; open it with { write: true }`,
        {
          reason: 'read-only',
          command: name,
        },
      );
      this.#stats.recordError(e.code);
      throw e;
    }
  }

  /**
   * Refuses a range past the cached capacity before anything is sent (scsi_debug mishandles LBAs
   * near 2^64; GET LBA STATUS there has crashed a guest kernel). `blocks` 0 still needs `lba` to
   * address a block (WRITE SAME: to the end of the medium). No cache, no check; `execute` never checks.
   */
  #checkRange(command: string, lba: bigint | number, blocks: number): void {
    const cap = this.#capacity;
    if (cap === undefined) return;
    // Number arithmetic is exact below 2^53; only LBAs beyond that pay for BigInt.
    const capBlocks = this.#capBlocks(cap);
    if (typeof lba === 'number' && lba < MAX_SAFE_LBA_NUMBER && capBlocks !== undefined) {
      if (lba + Math.max(blocks, 1) <= capBlocks) return;
    } else if (BigInt(lba) + BigInt(Math.max(blocks, 1)) <= cap.blocks) return;
    const what = blocks === 0 ? `${command} at LBA ${lba}` : `${command} of ${blocks} block(s) at LBA ${lba}`;
    throw new InvalidArgumentError(
      'lba',
      `${what} is past the end of the device (capacity ${cap.blocks} blocks, last LBA ${cap.lastLba}); nothing was sent`,
      { command, reason: 'lba-out-of-range' },
    );
  }

  /** The capacity's block count as a number while number arithmetic is exact, else undefined. */
  #capBlocks(cap: Capacity): number | undefined {
    if (this.#capBlocksOf !== cap) {
      this.#capBlocksOf = cap;
      this.#capBlocksNumber = cap.blocks < MAX_SAFE_LBA ? Number(cap.blocks) : undefined;
    }
    return this.#capBlocksNumber;
  }

  /**
   * VERIFY: the device checks the blocks can be read (BYTCHK 0), or compares them with `data`
   * (BYTCHK 1). A miscompare is a CheckConditionError with sense key MISCOMPARE.
   */
  async verify(
    lba: bigint | number,
    blocks: number,
    options: CommandOptions & { readonly data?: Uint8Array } = {},
  ): Promise<void> {
    const start = checkLba(lba);
    checkBlocks(blocks, 0);
    const { blockLength } = await this.#ioInfo(options);
    this.#checkRange('VERIFY', start, blocks);
    const fits10 = start + BigInt(blocks) <= 0x1_0000_0000n && blocks <= 0xffff;
    const spec = buildVerify(
      { lba: start, blocks, blockLength, ...(options.data === undefined ? {} : { bytchk: 1 }) },
      { size: fits10 ? 10 : 16 },
    );
    await this.#run(spec, options.data === undefined ? options : { ...options, data: options.data });
  }

  /** WRITE SAME(10/16): one block replicated over the range; `unmap` deallocates where possible. */
  async writeSame(lba: bigint | number, blocks: number, options: WriteSameOptions = {}): Promise<void> {
    const start = checkLba(lba);
    checkBlocks(blocks, 0);
    this.#guardWrite('WRITE SAME');
    const { blockLength } = await this.#ioInfo(options);
    this.#checkRange('WRITE SAME', start, blocks);
    // WRITE SAME(10) may carry UNMAP only where the provisioning VPD sets LBPWS10 (scsi_debug
    // answers 05/24/00 otherwise).
    const lbp = options.unmap === true ? await this.#provisioning(options) : null;
    const use16 =
      options.ndob === true ||
      start + BigInt(blocks) > 0x1_0000_0000n ||
      blocks > 0xffff ||
      (options.unmap === true && (this.supportsCommand(0x41) === false || lbp?.lbpws10 !== true));
    const params = {
      lba: start,
      blocks,
      blockLength,
      ...(options.unmap === true ? { unmap: true } : {}),
      ...(options.ndob === true ? { ndob: true } : {}),
    };
    const spec = use16 ? buildWriteSame16(params) : buildWriteSame10(params);
    if (options.ndob === true) {
      await this.#run(spec, options);
      return;
    }
    if (options.data !== undefined && options.data.length !== blockLength) {
      throw new InvalidArgumentError(
        'data',
        `Expected \`data\` to be one block (${blockLength} bytes), got ${options.data.length}`,
      );
    }
    // The block goes in transport memory when it offers some: LIO refuses a WRITE SAME block that
    // straddles two pages (05/24/00), which an ordinary Uint8Array may do.
    const data = this.transport.allocateBuffer?.(blockLength) ?? new Uint8Array(blockLength);
    if (options.data !== undefined) data.set(options.data);
    await this.#run(spec, { ...options, data });
  }

  /** The provisioning VPD (B2h) when the device has it, else null. */
  async #provisioning(options: CommandOptions): Promise<LogicalBlockProvisioningVpd | null> {
    await this.#ioInfo(options);
    if (this.#vpdPages?.includes(0xb2) !== true) return null;
    try {
      return await this.logicalBlockProvisioning(commandOnly(options));
    } catch (e) {
      if (!(e instanceof CheckConditionError)) throw e;
      return null;
    }
  }

  /**
   * Deallocates ranges (thin provisioning). Uses UNMAP, or WRITE SAME(16) with UNMAP when the device
   * supports only that (REPORT SUPPORTED OPERATION CODES / the provisioning VPD). Ranges above the
   * block limits (descriptor count, LBA count) are split over several commands.
   */
  async unmap(ranges: UnmapRange | readonly UnmapRange[], options: CommandOptions = {}): Promise<void> {
    const list = (Array.isArray(ranges) ? ranges : [ranges]) as readonly UnmapRange[];
    this.#guardWrite('UNMAP');
    await this.#ioInfo(options);
    const lbp = await this.#provisioning(options);
    const unmapOk = this.supportsCommand(0x42) ?? lbp?.lbpu ?? true;
    const wsOk = this.supportsCommand(0x93) ?? lbp?.lbpws ?? false;
    const limits = this.#blockLimits;
    const maxLbas =
      limits?.maximumUnmapLbaCount !== undefined && limits.maximumUnmapLbaCount > 0
        ? Math.min(limits.maximumUnmapLbaCount, 0xffff_ffff)
        : 0xffff_ffff;
    const pieces: UnmapRange[] = [];
    for (const r of list) {
      let lba = checkLba(r.lba);
      let left = r.blocks;
      checkBlocks(left, 0);
      this.#checkRange('UNMAP', lba, left);
      while (left > 0) {
        const n = Math.min(left, maxLbas);
        pieces.push({ lba, blocks: n });
        lba += BigInt(n);
        left -= n;
      }
    }
    if (!unmapOk && wsOk) {
      for (const p of pieces) await this.writeSame(p.lba, p.blocks, { ...options, unmap: true });
      return;
    }
    const maxDescriptors =
      limits?.maximumUnmapBlockDescriptorCount !== undefined && limits.maximumUnmapBlockDescriptorCount > 0
        ? Math.min(limits.maximumUnmapBlockDescriptorCount, 4094)
        : 4094;
    for (let i = 0; i < pieces.length; i += maxDescriptors) {
      const data = buildUnmapData(pieces.slice(i, i + maxDescriptors));
      await this.#run(buildUnmap({ parameterListLength: data.length }), { ...options, data });
    }
  }

  /**
   * SYNCHRONIZE CACHE(10/16): makes written data durable. Allowed on a read-only device (it changes
   * no data); see `command-class.ts`.
   */
  async synchronizeCache(
    options: CommandOptions & {
      readonly lba?: bigint | number;
      readonly blocks?: number;
      readonly immed?: boolean;
    } = {},
  ): Promise<void> {
    const lba = checkLba(options.lba ?? 0);
    const blocks = options.blocks ?? 0;
    const params = { lba, blocks, ...(options.immed === true ? { immed: true } : {}) };
    const spec =
      lba >= 0x1_0000_0000n || blocks > 0xffff
        ? buildSynchronizeCache16(params)
        : buildSynchronizeCache10(params);
    await this.#run(spec, options);
  }

  /**
   * GET LBA STATUS: mapped / deallocated / anchored extents from `lba`. Once the capacity is cached
   * (`readCapacity`, or any read/write), an `lba` past the last LBA is refused without sending.
   */
  async getLbaStatus(lba: bigint | number, options: CommandOptions = {}): Promise<GetLbaStatusData> {
    const startingLba = checkLba(lba);
    this.#checkRange('GET LBA STATUS', startingLba, 0);
    return this.#readDecoded(
      (allocationLength) => buildGetLbaStatus({ startingLba, allocationLength }),
      decodeGetLbaStatus as (b: Uint8Array) => GetLbaStatusData & { truncated?: boolean },
      4096,
      0xffff_fff0,
      options,
    );
  }

  /**
   * COMPARE AND WRITE: atomically writes `write` if the blocks equal `compare` (each blocks ×
   * blockLength bytes). A miscompare rejects with CheckConditionError (MISCOMPARE; `information` is
   * the offset of the first differing byte). Never retried unless `retry: true`.
   */
  async compareAndWrite(
    lba: bigint | number,
    blocks: number,
    compare: Uint8Array,
    write: Uint8Array,
    options: CommandOptions & Pick<CompareAndWriteParams, 'fua' | 'dpo'> = {},
  ): Promise<void> {
    const start = checkLba(lba);
    checkBlocks(blocks);
    this.#guardWrite('COMPARE AND WRITE');
    const { blockLength } = await this.#ioInfo(options);
    this.#checkRange('COMPARE AND WRITE', start, blocks);
    const bytes = blocks * blockLength;
    if (compare.length !== bytes || write.length !== bytes) {
      throw new InvalidArgumentError(
        compare.length !== bytes ? 'compare' : 'write',
        `Expected \`compare\` and \`write\` to be ${bytes} bytes each, got ${compare.length} and ${write.length}`,
      );
    }
    // Transport memory when it offers some: LIO answers GOOD to a COMPARE AND WRITE whose buffer
    // straddles two pages but writes the wrong bytes (seen in the lab, Linux 7.3.4).
    const data = this.transport.allocateBuffer?.(2 * bytes) ?? new Uint8Array(2 * bytes);
    data.set(compare, 0);
    data.set(write, bytes);
    const spec = buildCompareAndWrite({
      lba: start,
      blocks,
      blockLength,
      ...(options.fua === true ? { fua: true } : {}),
      ...(options.dpo === true ? { dpo: true } : {}),
    });
    await this.#run(spec, { ...options, data });
  }

  /**
   * FORMAT UNIT. Sent with IMMED (in the parameter list header) unless `wait`; returns a
   * LongOperation whose `progress()` yields percentages from REQUEST SENSE and whose `done` settles
   * when the format ends.
   */
  formatUnit(options: FormatUnitOptions = {}): Promise<LongOperation> {
    return startFormatUnit(this.#runner(), options);
  }

  /** SANITIZE (block erase, crypto erase, overwrite, exit failure mode), like `formatUnit`. */
  sanitize(options: SanitizeOptions): Promise<LongOperation> {
    return startSanitize(this.#runner(), options);
  }

  #runner(): CommandRunner {
    return {
      run: (spec, options) => this.#run(spec, options),
      writable: this.writable,
      maxTransferBytes: this.transport.capabilities.maxTransferBytes,
    };
  }

  /** ATA IDENTIFY DEVICE through SAT ATA PASS-THROUGH(16). */
  ataIdentify(options?: CommandOptions) {
    return this.ata.identify(options);
  }

  /** ATA SMART READ DATA through SAT ATA PASS-THROUGH(16). */
  ataSmartData(options?: CommandOptions) {
    return this.ata.smartData(options);
  }

  // -------------------------------------------------------------------------------------------
  // Lifecycle and observability

  /** Counters since open and latency percentiles (computed now). */
  stats(): DeviceStats & { readonly transport?: ReturnType<NonNullable<Transport['stats']>> } {
    const s = this.#stats.snapshot();
    const t = this.transport.stats?.();
    return t === undefined ? s : { ...s, transport: t };
  }

  /** The transport's kind: 'uring', 'sgio' or 'emulated'. */
  get kind(): TransportKind {
    return this.transport.kind;
  }

  /**
   * Closes the device: later commands reject with ClosedError. Closes the transport the Device
   * opened; a Transport you passed to `openDevice` stays open (it is yours).
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsTransport) await this.transport.close();
  }

  /** `await using dev = await openDevice(…)`: closes the device at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/**
 * read/write's LBA: a number below 2^53 (no BigInt on the per-command path), a bigint above;
 * anything else is refused as checkLba refuses it.
 */
function ioLba(lba: bigint | number): bigint | number {
  if (typeof lba === 'number' && Number.isSafeInteger(lba) && lba >= 0) return lba;
  const big = checkLba(lba);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** `lba + n`, as a number while exact. */
function lbaPlus(lba: bigint | number, n: number): bigint | number {
  if (typeof lba === 'number' && lba + n <= Number.MAX_SAFE_INTEGER) return lba + n;
  return BigInt(lba) + BigInt(n);
}

function checkLba(lba: bigint | number): bigint {
  if (typeof lba === 'bigint' && lba >= 0n && lba < 1n << 64n) return lba;
  if (typeof lba === 'number' && Number.isSafeInteger(lba) && lba >= 0) return BigInt(lba);
  throw new InvalidArgumentError(
    'lba',
    `Expected \`lba\` to be a non-negative integer below 2^64 (number or bigint), got \`${String(lba)}\` (${typeof lba})`,
  );
}

function checkBlocks(blocks: number, min = 1): void {
  if (!Number.isSafeInteger(blocks) || blocks < min) {
    throw new InvalidArgumentError(
      'blocks',
      `Expected \`blocks\` to be an integer ≥ ${min}, got \`${String(blocks)}\` (${typeof blocks})`,
    );
  }
}

function checkWriteData(data: Uint8Array, blocks: number, blockLength: number): void {
  if (!(data instanceof Uint8Array) || data.length !== blocks * blockLength) {
    throw new InvalidArgumentError(
      'data',
      `Expected \`data\` to be ${blocks * blockLength} bytes (${blocks} × ${blockLength}), got ${data instanceof Uint8Array ? data.length : typeof data}`,
    );
  }
}

/** What `#runFor` is given to resolve with the transport's result rather than a value of its own. */
const RESULT: unique symbol = Symbol('result');

/** How I/O is sized: the logical block length and the most blocks one command may move. */
interface IoLimits {
  readonly blockLength: number;
  readonly maxBlocks: number;
}

/** The DPO/FUA bits of a READ/WRITE, and whether a SYNCHRONIZE CACHE stands in for FUA. */
interface DpoFua {
  readonly dpo: boolean;
  readonly fua: boolean;
  readonly flushAfter: boolean;
}

const NO_DPO_FUA: DpoFua = { dpo: false, fua: false, flushAfter: false };

function wantsDpoFua(options: ReadOptions | WriteOptions): boolean {
  return options.dpo === true || options.fua === true;
}

/** The command options of one chunk: the caller's per-call options and that chunk's buffer. */
function withBuffer(options: CommandOptions, key: 'into' | 'data', buffer: Uint8Array): ExecuteOptions {
  return {
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    retry: options.retry,
    priority: options.priority,
    [key]: buffer,
  } as ExecuteOptions;
}

/** The command options of a fixed-buffer command: one object shape, no spreads. */
function withFixedBuffer(options: CommandOptions, fixedBuffer: FixedBufferLease): ExecuteOptions {
  return {
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    retry: options.retry,
    priority: options.priority,
    fixedBuffer,
  } as ExecuteOptions;
}

/** Waits for every job; rejects with the first failure once all have settled (no stray rejections). */
async function settleAll(jobs: readonly Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(jobs);
  for (const r of results) if (r.status === 'rejected') throw r.reason;
}

/** The per-call options that apply to a helper command (no data, buffers or transfer lengths). */
function commandOnly(options: CommandOptions): CommandOptions {
  return {
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.priority === undefined ? {} : { priority: options.priority }),
  };
}

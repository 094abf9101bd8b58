/**
 * `Device`: one opened SCSI device behind a Transport, as a thin facade.
 *
 * One style for every command: each is a plain function in its family's file whose first argument
 * is the funnel (`funnel.ts`: read-only guard → transport → typed error → retry policy →
 * diagnostics, and the per-device caches) — SPC in `spc.ts`, SBC in `sbc.ts`, persistent
 * reservations, zones, ATA and long operations in `commands/`. Device's methods and the methods of
 * its sub-objects (`pr`, `zones`, `ata`) are one-line bindings of those functions and hold no
 * logic. Family files import the funnel, never this file.
 */
import type {
  BlockDeviceCharacteristicsVpd,
  BlockLimitsVpd,
  CdbSpec,
  CompareAndWriteParams,
  DeviceIdentificationVpd,
  GetLbaStatusData,
  LogicalBlockProvisioningVpd,
  LogPage,
  LogPageControl,
  MediaSerialNumber,
  ModePage,
  ModeParameters,
  ReportLunsData,
  ReportLunsSelect,
  SecurityCertificateData,
  StandardInquiry,
  StartStopUnitParams,
  SupportedOpcodesAll,
  SupportedSecurityProtocols,
  UnitSerialNumberVpd,
  UnmapRange,
  VpdPage,
} from '@scsikit/cdb';
import type { ScsiResult, Transport, TransportKind } from '@scsikit/transport';
import { type BatchCommand, type BatchOptions, type BatchOutcome, executeBatch } from './batch.js';
import type { Capacity } from './caches.js';
import { AtaCommands, identify as ataIdentify, smartData as ataSmartData } from './commands/ata.js';
import { ChangerCommands } from './commands/changer.js';
import { EnclosureCommands } from './commands/enclosure.js';
import {
  type FormatUnitOptions,
  formatUnit,
  type LongOperation,
  type SanitizeOptions,
  sanitize,
} from './commands/long-ops.js';
import { PersistentReservations } from './commands/pr.js';
import { TapeCommands } from './commands/tape.js';
import { ZonedCommands } from './commands/zoned.js';
import type { DeviceStats } from './diagnostics.js';
import type { ScsiDeviceInfo } from './discovery.js';
import type {
  ActivateMicrocodeResult,
  DownloadMicrocodeOptions,
  MicrocodeDownloadResult,
  MicrocodeLimits,
} from './firmware.js';
import * as firmware from './firmware.js';
import { type CommandOptions, type ExecuteOptions, Funnel } from './funnel.js';
import { type HealthOptions, type HealthReport, health } from './health.js';
import type { RetryPolicy } from './retry.js';
import type {
  ReadCapacityOptions,
  ReadOptions,
  SynchronizeCacheOptions,
  WriteOptions,
  WriteSameOptions,
} from './sbc.js';
import * as sbc from './sbc.js';
import type { SecurityProtocolInOptions } from './security.js';
import * as security from './security.js';
import type { CachingPageState, ModeSenseOptions } from './spc.js';
import * as spc from './spc.js';

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
  /** SMC-3 media changer: element status, MOVE MEDIUM, INITIALIZE ELEMENT STATUS. */
  readonly changer: ChangerCommands;
  /** SES-4 enclosure services: diagnostic pages, joined element status, slot IDENT/FAULT. */
  readonly enclosure: EnclosureCommands;
  /** SSC tape commands (REWIND, READ/WRITE(6), SPACE, LOCATE, READ POSITION…) for a tape drive. */
  readonly tape: TapeCommands;

  readonly #f: Funnel;
  readonly #ownsTransport: boolean;

  /** @internal `openDevice` constructs Devices; call it instead. */
  constructor(init: DeviceInit) {
    this.transport = init.transport;
    this.#ownsTransport = init.ownsTransport;
    this.writable = init.writable;
    this.path = init.path;
    this.info = init.info;
    this.#f = new Funnel({
      transport: init.transport,
      writable: init.writable,
      timeoutMs: init.timeoutMs,
      retry: init.retry,
      label: init.path ?? init.transport.kind,
      info: init.info,
    });
    this.pr = new PersistentReservations(this.#f);
    this.zones = new ZonedCommands(this.#f);
    this.ata = new AtaCommands(this.#f);
    this.changer = new ChangerCommands(this.#f);
    this.enclosure = new EnclosureCommands(this.#f);
    const f = this.#f;
    this.tape = new TapeCommands(f, () => f.peripheralType);
  }

  /** True once `close()` has been called; every later command rejects with ClosedError. */
  get closed(): boolean {
    return this.#f.closed;
  }

  /**
   * Sends any command: a cdb `CdbSpec`, or raw CDB bytes with `direction`/`data`/`transferLength`.
   * The read-only guard applies (unknown and vendor opcodes count as writes). Resolves with the
   * transport's result on GOOD/CONDITION MET; rejects with a typed ScsiError otherwise.
   */
  execute(command: CdbSpec | Uint8Array, options: ExecuteOptions = {}): Promise<ScsiResult> {
    return this.#f.execute(command, options);
  }

  // -------------------------------------------------------------------------------------------
  // SPC (spc.ts)

  /** TEST UNIT READY: resolves when the device is ready, rejects (NOT READY…) when not. */
  testUnitReady(options?: CommandOptions): Promise<void> {
    return spc.testUnitReady(this.#f, options);
  }

  /** Standard INQUIRY: peripheral device type, vendor, product, revision, version descriptors… */
  inquiry(options?: CommandOptions): Promise<StandardInquiry> {
    return spc.inquiry(this.#f, options);
  }

  /** Any VPD page, decoded (`kind` tells which decoder ran). Retries with the page's full length. */
  vpd(page: number, options?: CommandOptions): Promise<VpdPage> {
    return spc.vpd(this.#f, page, options);
  }

  /** VPD 00h: the page codes the device supports (cached). */
  supportedVpdPages(options?: CommandOptions & { readonly refresh?: boolean }): Promise<readonly number[]> {
    return spc.supportedVpdPages(this.#f, options);
  }

  /** VPD 80h: unit serial number. */
  unitSerialNumber(options?: CommandOptions): Promise<UnitSerialNumberVpd> {
    return spc.unitSerialNumber(this.#f, options);
  }

  /**
   * READ MEDIA SERIAL NUMBER (SERVICE ACTION IN(12) 01h): the serial number of the medium in the
   * unit, for removable media and tape. Most disks do not implement it and reject it with
   * CheckConditionError ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE (20h/00h).
   */
  readMediaSerialNumber(options?: CommandOptions): Promise<MediaSerialNumber> {
    return spc.readMediaSerialNumber(this.#f, options);
  }

  /** VPD 83h: device identification (NAA, EUI-64, target port, relative port…). */
  deviceIdentification(options?: CommandOptions): Promise<DeviceIdentificationVpd> {
    return spc.deviceIdentification(this.#f, options);
  }

  /** VPD B0h: block limits (max transfer, unmap limits, WRITE SAME length…). Cached. */
  blockLimits(options?: CommandOptions & { readonly refresh?: boolean }): Promise<BlockLimitsVpd> {
    return spc.blockLimits(this.#f, options);
  }

  /** VPD B1h: block device characteristics (rotation rate, form factor, zoned…). */
  blockDeviceCharacteristics(options?: CommandOptions): Promise<BlockDeviceCharacteristicsVpd> {
    return spc.blockDeviceCharacteristics(this.#f, options);
  }

  /** VPD B2h: logical block provisioning (LBPU: UNMAP, LBPWS: WRITE SAME(16) UNMAP…). Cached. */
  logicalBlockProvisioning(
    options?: CommandOptions & { readonly refresh?: boolean },
  ): Promise<LogicalBlockProvisioningVpd> {
    return spc.logicalBlockProvisioning(this.#f, options);
  }

  /** REPORT LUNS. */
  reportLuns(options?: CommandOptions & { readonly select?: ReportLunsSelect }): Promise<ReportLunsData> {
    return spc.reportLuns(this.#f, options);
  }

  /**
   * REPORT SUPPORTED OPERATION CODES (all commands, with timeouts). Cached per device; the cache
   * picks CDB sizes and UNMAP vs WRITE SAME(16) UNMAP. Rejects when the device does not support it.
   */
  supportedOperationCodes(
    options?: CommandOptions & { readonly refresh?: boolean },
  ): Promise<SupportedOpcodesAll> {
    return spc.supportedOperationCodes(this.#f, options);
  }

  /**
   * Whether the device supports a command, from the cached REPORT SUPPORTED OPERATION CODES;
   * undefined when that is unknown (not asked yet, or the device cannot tell).
   */
  supportsCommand(opcode: number, serviceAction?: number): boolean | undefined {
    return spc.supportsCommand(this.#f, opcode, serviceAction);
  }

  /** MODE SENSE: (10), falling back to (6) when the device refuses (10). Pages decoded. */
  modeSense(page: number, options: ModeSenseOptions = {}): Promise<ModeParameters> {
    return spc.modeSense(this.#f, page, options);
  }

  /**
   * MODE SELECT of whole pages (as returned by modeSense, after applyModePageChanges). Uses the size
   * MODE SENSE used. `save`: also save them (SP).
   */
  modeSelect(
    pages: readonly ModePage[],
    options: CommandOptions & { readonly save?: boolean } = {},
  ): Promise<void> {
    return spc.modeSelect(this.#f, pages, options);
  }

  /** The caching mode page (08h): current values and the changeable mask. */
  cachingPage(options?: CommandOptions): Promise<CachingPageState> {
    return spc.cachingPage(this.#f, options);
  }

  /**
   * Turns the volatile write cache on or off (caching page WCE), honouring the changeable mask:
   * rejects with InvalidArgumentError when the device does not let WCE change. No-op when already so.
   */
  setWriteCache(enabled: boolean, options: CommandOptions & { readonly save?: boolean } = {}): Promise<void> {
    return spc.setWriteCache(this.#f, enabled, options);
  }

  /** LOG SENSE of one page (and subpage), decoded with typed fields where cdb knows the page. */
  logSense(
    page: number,
    options: CommandOptions & { readonly subpage?: number; readonly pageControl?: LogPageControl } = {},
  ): Promise<LogPage> {
    return spc.logSense(this.#f, page, options);
  }

  /** START STOP UNIT (spin up/down, power conditions, eject). A write-class command. */
  startStopUnit(params: StartStopUnitParams = { start: true }, options?: CommandOptions): Promise<void> {
    return spc.startStopUnit(this.#f, params, options);
  }

  // -------------------------------------------------------------------------------------------
  // SBC (sbc.ts)

  /**
   * READ CAPACITY: (10) first; (16) when (10) reports FFFFFFFFh, when `use16`, or when the device is
   * zoned or formatted with protection. Cached until a unit attention says the capacity changed.
   */
  readCapacity(options: ReadCapacityOptions = {}): Promise<Capacity> {
    return sbc.readCapacity(this.#f, options);
  }

  /**
   * Reads `blocks` logical blocks from `lba`. Picks READ(10) or READ(16), splits transfers larger
   * than the device's maximum (block limits VPD, transport) into several commands, and writes into
   * `options.into` when given (the result is then a view of it).
   */
  read(lba: bigint | number, blocks: number, options: ReadOptions = {}): Promise<Uint8Array> {
    return sbc.read(this.#f, lba, blocks, options);
  }

  /**
   * Writes `blocks` logical blocks at `lba` from `data` (exactly blocks × blockLength bytes), split
   * like `read`. Needs `{ write: true }`.
   */
  write(lba: bigint | number, blocks: number, data: Uint8Array, options: WriteOptions = {}): Promise<void> {
    return sbc.write(this.#f, lba, blocks, data, options);
  }

  /**
   * VERIFY: the device checks the blocks can be read (BYTCHK 0), or compares them with `data`
   * (BYTCHK 1). A miscompare is a CheckConditionError with sense key MISCOMPARE.
   */
  verify(
    lba: bigint | number,
    blocks: number,
    options: CommandOptions & { readonly data?: Uint8Array } = {},
  ): Promise<void> {
    return sbc.verify(this.#f, lba, blocks, options);
  }

  /** WRITE SAME(10/16): one block replicated over the range; `unmap` deallocates where possible. */
  writeSame(lba: bigint | number, blocks: number, options: WriteSameOptions = {}): Promise<void> {
    return sbc.writeSame(this.#f, lba, blocks, options);
  }

  /**
   * Deallocates ranges (thin provisioning). Uses UNMAP, or WRITE SAME(16) with UNMAP when the device
   * supports only that (REPORT SUPPORTED OPERATION CODES / the provisioning VPD). Ranges above the
   * block limits (descriptor count, LBA count) are split over several commands.
   */
  unmap(ranges: UnmapRange | readonly UnmapRange[], options: CommandOptions = {}): Promise<void> {
    return sbc.unmap(this.#f, ranges, options);
  }

  /**
   * SYNCHRONIZE CACHE(10/16): makes written data durable. Write-class (needs `{ write: true }`): it
   * writes cached data to the medium, see its entry in `@scsikit/cdb`'s registry.
   */
  synchronizeCache(options: SynchronizeCacheOptions = {}): Promise<void> {
    return sbc.synchronizeCache(this.#f, options);
  }

  /**
   * GET LBA STATUS: mapped / deallocated / anchored extents from `lba`. Once the capacity is cached
   * (`readCapacity`, or any read/write), an `lba` past the last LBA is refused without sending.
   */
  getLbaStatus(lba: bigint | number, options: CommandOptions = {}): Promise<GetLbaStatusData> {
    return sbc.getLbaStatus(this.#f, lba, options);
  }

  /**
   * COMPARE AND WRITE: atomically writes `write` if the blocks equal `compare` (each blocks ×
   * blockLength bytes). A miscompare rejects with CheckConditionError (MISCOMPARE; `information` is
   * the offset of the first differing byte). Never retried unless `retry: true`.
   */
  compareAndWrite(
    lba: bigint | number,
    blocks: number,
    compare: Uint8Array,
    write: Uint8Array,
    options: CommandOptions & Pick<CompareAndWriteParams, 'fua' | 'dpo'> = {},
  ): Promise<void> {
    return sbc.compareAndWrite(this.#f, lba, blocks, compare, write, options);
  }

  // -------------------------------------------------------------------------------------------
  // Long operations and ATA (commands/)

  /**
   * FORMAT UNIT. Sent with IMMED (in the parameter list header) unless `wait`; returns a
   * LongOperation whose `progress()` yields percentages from REQUEST SENSE and whose `done` settles
   * when the format ends.
   */
  formatUnit(options: FormatUnitOptions = {}): Promise<LongOperation> {
    return formatUnit(this.#f, options);
  }

  /** SANITIZE (block erase, crypto erase, overwrite, exit failure mode), like `formatUnit`. */
  sanitize(options: SanitizeOptions): Promise<LongOperation> {
    return sanitize(this.#f, options);
  }

  /** ATA IDENTIFY DEVICE through SAT ATA PASS-THROUGH(16). */
  ataIdentify(options?: CommandOptions) {
    return ataIdentify(this.#f, options);
  }

  /** ATA SMART READ DATA through SAT ATA PASS-THROUGH(16). */
  ataSmartData(options?: CommandOptions) {
    return ataSmartData(this.#f, options);
  }

  /**
   * One health verdict like `smartctl -H`: SMART RETURN STATUS and the attribute table for a SATA
   * disk behind a SATL, the Informational Exceptions log (or mode page 1Ch and REQUEST SENSE), the
   * self-test and background scan logs for a SCSI disk. Read-class: works on a read-only open.
   */
  health(options?: HealthOptions): Promise<HealthReport> {
    return health(this.#f, options);
  }

  // -------------------------------------------------------------------------------------------
  // Firmware (firmware.ts) and security protocols (security.ts)

  /**
   * Downloads microcode with WRITE BUFFER (mode 07h by default; 05h, 0Dh, 0Eh) in chunks at
   * ascending offsets, after reading the device's limits (READ BUFFER descriptor: offset boundary
   * and buffer capacity; VPD B0h maximum transfer; VPD 86h activation support). Needs
   * `{ write: true }` (PermissionError before anything is sent). Refuses before sending with
   * InvalidArgumentError, `reason` 'empty-image', 'image-too-large' (beyond the buffer capacity, or
   * one command for 05h), 'chunk-misaligned' (chunkSize not a multiple of 2^offset boundary),
   * 'chunk-too-large' or 'mode-not-allowed'. A unit attention on a chunk sends it again (the
   * command did not run). After activation (05h/07h, or 0Dh/0Eh with `activate`, which sends mode
   * 0Fh) it sends TEST UNIT READY to consume the unit attentions the device raises (3Fh/01h
   * MICROCODE HAS BEEN CHANGED, 3Fh/16h … WITHOUT RESET) and returns them with `activated: true`.
   * `signal` is checked between chunks: AbortError then means no command is in flight and the
   * device holds a partial image it has not activated (the running microcode is unchanged; a new
   * download from offset 0 replaces it); its message says how many bytes were sent.
   */
  downloadMicrocode(image: Uint8Array, options?: DownloadMicrocodeOptions): Promise<MicrocodeDownloadResult> {
    return firmware.downloadMicrocode(this.#f, image, options);
  }

  /** WRITE BUFFER mode 0Fh: activates microcode saved with mode 0Dh/0Eh; consumes the unit attentions. */
  activateMicrocode(options?: {
    readonly bufferId?: number;
    readonly timeoutMs?: number;
  }): Promise<ActivateMicrocodeResult> {
    return firmware.activateMicrocode(this.#f, options);
  }

  /** What the device says about microcode downloads (READ BUFFER descriptor, VPD B0h and 86h); absent fields: not said. */
  microcodeLimits(options?: CommandOptions & { readonly bufferId?: number }): Promise<MicrocodeLimits> {
    return firmware.microcodeLimits(this.#f, options?.bufferId, options);
  }

  /** SECURITY PROTOCOL IN: the raw answer of `protocol` / SECURITY PROTOCOL SPECIFIC `specific`. */
  securityProtocolIn(
    protocol: number,
    specific: number,
    options?: SecurityProtocolInOptions,
  ): Promise<Uint8Array> {
    return security.securityProtocolIn(this.#f, protocol, specific, options);
  }

  /** SECURITY PROTOCOL OUT: sends `data`. Write-class: needs `{ write: true }`. */
  securityProtocolOut(
    protocol: number,
    specific: number,
    data: Uint8Array,
    options?: CommandOptions,
  ): Promise<void> {
    return security.securityProtocolOut(this.#f, protocol, specific, data, options);
  }

  /**
   * SECURITY PROTOCOL IN 00h/0000h: the security protocols the device supports, with names. A device
   * without the command rejects with CheckConditionError ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE (20h/00h).
   */
  supportedSecurityProtocols(options?: CommandOptions): Promise<SupportedSecurityProtocols> {
    return security.supportedSecurityProtocols(this.#f, options);
  }

  /** SECURITY PROTOCOL IN 00h/0001h: the device's certificate (length 0: none). */
  securityCertificates(options?: CommandOptions): Promise<SecurityCertificateData> {
    return security.securityCertificates(this.#f, options);
  }

  // -------------------------------------------------------------------------------------------
  // Lifecycle and observability

  /** Counters since open and latency percentiles (computed now). */
  stats(): DeviceStats & { readonly transport?: ReturnType<NonNullable<Transport['stats']>> } {
    const s = this.#f.stats.snapshot();
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
    if (this.#f.closed) return;
    this.#f.closed = true;
    if (this.#ownsTransport) await this.transport.close();
  }

  /**
   * Sends many commands at once: all are checked (spec, buffers, the read-only guard) before any is
   * sent, so a bad one rejects the batch with its typed error and nothing reaches the device; then
   * all go to the transport together (io_uring: one native call and one io_uring_enter, up to the
   * device's queue depth). Resolves with one outcome per command, in order, once all have settled.
   */
  executeBatch(
    commands: ReadonlyArray<CdbSpec | BatchCommand>,
    options?: BatchOptions,
  ): Promise<BatchOutcome[]> {
    return executeBatch(this.#f, commands, options);
  }

  /** `await using dev = await openDevice(…)`: closes the device at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

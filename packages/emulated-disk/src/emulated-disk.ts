/**
 * The transport glue: `EmulatedDisk` is a `Transport` (connection 0) to an in-process logical unit,
 * and `connect()` opens more connections to the same unit — one initiator (I_T nexus) each, for
 * persistent reservations and unit attentions. Each connection validates with the shared
 * `preflight`, settles through `PendingCommands` (watchdog, abort, close), keeps at most
 * `queueDepth` commands in the device and queues the rest by priority.
 */
import { findCommand, SAM_STATUS, SENSE_KEY } from '@scsikit/cdb';
import {
  DeviceGoneError,
  type FixedBufferLease,
  type FixedBufferPool,
  InvalidCommandError,
  type PendingCommand,
  PendingCommands,
  preflight,
  receivedView,
  type ScsiCommand,
  type ScsiResult,
  type Transport,
  TransportAbortedError,
  type TransportCapabilities,
  TransportClosedError,
  type TransportError,
  type TransportStats,
  TransportTimeoutError,
  WaitingRoom,
} from '@scsikit/transport';
import {
  type CommandDef,
  CommandTable,
  type DeviceAnswer,
  type LogicalUnit,
  runCommand,
} from './commands.js';
import { DiskState, type EmulatedDiskOptions, type ResolvedOptions, resolveOptions } from './disk-model.js';
import { FaultInjector, type FiredFault } from './faults.js';
import { microcodeCommands, microcodeState } from './firmware-handlers.js';
import { ataCommands, type DiskHealth } from './health-handlers.js';
import { PrState, prCommands } from './pr-handlers.js';
import { CommandRecorder, type RecordedOutcome } from './recorder.js';
import { lbaExtent, sbcCommands, WRITE_OPCODES } from './sbc-handlers.js';
import { securityCommands } from './security-handlers.js';
import { buildSense } from './sense.js';
import { mediaSerialNumberCommand, spcCommands } from './spc-handlers.js';
import { ZoneState, zbcCommands } from './zbc-handlers.js';

const EMPTY: Uint8Array = new Uint8Array(0);
const DEFAULT_SENSE_BYTES = 96;

/** mulberry32: a small seeded generator, so a random latency model replays identically. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One accepted command, from execute() to its completion in the device. */
interface Job {
  readonly cmd: ScsiCommand;
  readonly connection: EmulatedDiskConnection;
  readonly pending: PendingCommand;
  readonly transfer: number;
  readonly dataIn: Uint8Array;
  readonly dataOut: Uint8Array;
  readonly started: bigint;
  state: 'queued' | 'device' | 'done';
  /** A 'timeout' fault: never completes; its slot is freed when its promise settles. */
  stuck: boolean;
  cancel: (() => void) | undefined;
  record?: { outcome?: RecordedOutcome };
}

/**
 * @internal Another device type on the emulated disk's machinery (EmulatedTape, EmulatedChanger,
 * EmulatedEnclosure): its peripheral device type, which the transport reports in
 * `capabilities.peripheralType` and INQUIRY answers, and its own commands. The unit then answers the
 * SPC commands of its scope and these (a command of its own replaces SPC's handler of that opcode),
 * no block commands.
 */
export interface DevicePersonality {
  readonly peripheralType: number;
  readonly commands: readonly CommandDef[];
}

/** The logical unit every connection shares. */
class SharedUnit implements LogicalUnit {
  readonly options: ResolvedOptions;
  readonly state: DiskState;
  readonly pr: PrState;
  readonly zones: ZoneState | undefined;
  readonly table = new CommandTable();
  readonly faults = new FaultInjector();
  readonly recorder: CommandRecorder;
  /** Commands in the device, all connections (PREEMPT AND ABORT reaches across them). */
  readonly inDevice = new Set<Job>();
  readonly connections = new Set<EmulatedDiskConnection>();
  removed = false;
  #nextConnection = 0;
  readonly #latency: () => number;

  readonly personality: DevicePersonality | undefined;

  constructor(options: EmulatedDiskOptions | undefined, personality?: DevicePersonality) {
    this.options = resolveOptions(options);
    this.state = new DiskState(this.options);
    this.pr = new PrState(this.state);
    this.personality = personality;
    const z = this.options.zoned;
    this.zones = z === undefined ? undefined : new ZoneState(this.options.blocks, z, this.state.store);
    if (personality !== undefined) {
      const pdt = personality.peripheralType;
      this.state.peripheralTypeOverride = pdt;
      // SPC commands of the type's scope (START STOP UNIT is SBC's), then the type's own, which
      // replace SPC's handler of the same opcode (a tape's MODE SENSE block descriptor).
      const inScope = (d: CommandDef) => findCommand(d.opcode, d.serviceAction, pdt) !== undefined;
      this.table.add([...spcCommands, ...prCommands].filter(inScope));
      this.table.add(personality.commands);
    } else {
      this.table.add(spcCommands);
      this.table.add(sbcCommands(this.options));
      this.table.add(prCommands);
    }
    if (this.zones !== undefined && personality === undefined) this.table.add(zbcCommands);
    if (this.options.mediaSerialNumber !== undefined) this.table.add([mediaSerialNumberCommand]);
    if (this.options.ata) this.table.add(ataCommands);
    if (this.options.microcode !== undefined) this.table.add(microcodeCommands(this.options.microcode));
    if (this.options.securityProtocols !== undefined)
      this.table.add(securityCommands(this.options.securityProtocols));
    this.recorder = new CommandRecorder(this.options.recorderLimit, this.state.pdt);
    const l = this.options.latency;
    if ('fixedMs' in l) {
      this.#latency = () => l.fixedMs;
    } else {
      const random = seeded(l.seed ?? 0x5eed);
      this.#latency = () => l.minMs + random() * (l.maxMs - l.minMs);
    }
  }

  nextConnectionId(): number {
    return this.#nextConnection++;
  }

  latency(): number {
    return this.#latency();
  }

  abortTasksOf(connections: readonly number[]): void {
    for (const job of [...this.inDevice]) {
      if (connections.includes(job.connection.id)) job.connection.abortInDevice(job);
    }
  }

  remove(): void {
    if (this.removed) return;
    this.removed = true;
    for (const c of this.connections) c.deviceRemoved();
  }
}

/** Emulated registered buffers: plain Uint8Arrays with the pool's lease rules (acquire waits, release once). */
class EmulatedBufferPool implements FixedBufferPool {
  readonly size: number;
  readonly bufferBytes: number;
  readonly #memory: Uint8Array[];
  readonly #free: number[];
  readonly #waiters = new Set<() => void>();
  #closed = false;

  constructor(count: number, bufferBytes: number) {
    this.size = count;
    this.bufferBytes = bufferBytes;
    this.#memory = Array.from({ length: count }, () => new Uint8Array(bufferBytes));
    this.#free = Array.from({ length: count }, (_, i) => count - 1 - i);
  }

  get available(): number {
    return this.#free.length;
  }

  async acquire(size: number, signal?: AbortSignal): Promise<FixedBufferLease> {
    if (!Number.isInteger(size) || size < 1 || size > this.bufferBytes) {
      throw new InvalidCommandError(
        'size',
        `Expected \`size\` to be an integer in [1, ${this.bufferBytes}], got \`${String(size)}\` (${typeof size})`,
      );
    }
    for (;;) {
      if (this.#closed) throw new TransportClosedError();
      if (signal?.aborted === true) throw new TransportAbortedError(signal.reason);
      const index = this.#free.pop();
      if (index !== undefined) return this.#lease(index, size);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake);
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        this.#waiters.add(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    }
  }

  #lease(index: number, size: number): FixedBufferLease {
    let released = false;
    return {
      buffer: (this.#memory[index] as Uint8Array).subarray(0, size),
      index,
      release: () => {
        if (released) throw new Error(`fixed buffer ${index} was already released`);
        released = true;
        this.#free.push(index);
        const [first] = this.#waiters;
        first?.();
      },
    };
  }

  close(): void {
    this.#closed = true;
    for (const wake of [...this.#waiters]) wake();
  }
}

const reasonOf = (e: TransportError): 'timeout' | 'aborted' | 'closed' =>
  e instanceof TransportTimeoutError ? 'timeout' : e instanceof TransportAbortedError ? 'aborted' : 'closed';

/**
 * One initiator's connection to the emulated disk: a full `Transport`. Closing it ends only this
 * connection; its persistent reservation registrations stay (as after an I_T nexus loss).
 */
export class EmulatedDiskConnection implements Transport {
  readonly kind = 'emulated' as const;
  readonly capabilities: TransportCapabilities;
  readonly pool?: FixedBufferPool;
  /** The initiator id: 0 for the EmulatedDisk itself, then 1, 2… in `connect()` order. */
  readonly id: number;
  /** @internal */
  readonly unit: SharedUnit;
  readonly #pending = new PendingCommands();
  readonly #waiting = new WaitingRoom<Job>();
  readonly #inDevice = new Set<Job>();
  #closing: Promise<void> | undefined;
  #submitted = 0;
  #completed = 0;
  #failed = 0;

  /** @internal Use `new EmulatedDisk()` and `disk.connect()`. */
  constructor(unit: SharedUnit) {
    this.unit = unit;
    this.id = unit.nextConnectionId();
    const o = unit.options;
    this.capabilities = Object.freeze({
      kind: 'emulated',
      fixedBuffers: o.fixedBuffers !== undefined,
      maxTransferBytes: o.maxTransferBytes,
      queueDepth: o.queueDepth,
      ...(unit.personality === undefined ? {} : { peripheralType: unit.personality.peripheralType }),
    });
    if (o.fixedBuffers !== undefined)
      this.pool = new EmulatedBufferPool(o.fixedBuffers.count, o.fixedBuffers.bufferBytes);
    unit.connections.add(this);
    unit.state.connections.add(this.id);
    if (o.powerOnUnitAttention) {
      unit.state.addUnitAttention(this.id, { key: SENSE_KEY.UNIT_ATTENTION, asc: 0x29, ascq: 0x00 });
    }
  }

  get closed(): boolean {
    return this.#closing !== undefined;
  }

  stats(): TransportStats {
    return {
      submitted: this.#submitted,
      completed: this.#completed,
      failed: this.#failed,
      retried: {},
      inFlight: this.#inDevice.size,
      queued: this.#waiting.size,
    };
  }

  execute(cmd: ScsiCommand): Promise<ScsiResult> {
    try {
      const refused = preflight(cmd, this.capabilities, this.closed);
      if (refused !== undefined) return Promise.reject(refused);
      if (this.unit.removed) return Promise.reject(new DeviceGoneError('execute'));
      const buffer = cmd.data ?? cmd.fixedBuffer?.buffer;
      const transfer = cmd.direction === 'none' ? 0 : (cmd.transferLength ?? buffer?.length ?? 0);
      let job: Job | undefined;
      const pending = this.#pending.track(cmd, (error) => {
        this.#failed++;
        if (job !== undefined) this.#settledEarly(job, error);
      });
      job = {
        cmd,
        connection: this,
        pending,
        transfer,
        dataIn: cmd.direction === 'in' ? (buffer ?? new Uint8Array(transfer)).subarray(0, transfer) : EMPTY,
        dataOut: cmd.direction === 'out' && buffer !== undefined ? buffer.subarray(0, transfer) : EMPTY,
        started: process.hrtime.bigint(),
        state: 'queued',
        stuck: false,
        cancel: undefined,
      };
      if (pending.settled) return pending.promise; // the signal fired between preflight and track
      this.#waiting.push(job, cmd.priority);
      this.#pump();
      return pending.promise;
    } catch (e) {
      return Promise.reject(e);
    }
  }

  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#closing = Promise.resolve().then(() => this.#shutDown());
    // Settle synchronously what can be settled now: nothing queued may start after close().
    this.#pending.rejectAll(() => new TransportClosedError());
    return this.#closing;
  }

  #shutDown(): void {
    for (const job of [...this.#inDevice]) this.#release(job);
    this.#waiting.drain();
    (this.pool as EmulatedBufferPool | undefined)?.close();
    this.unit.connections.delete(this);
    this.unit.state.connections.delete(this.id);
    this.unit.state.unitAttentions.delete(this.id);
  }

  /** @internal PREEMPT AND ABORT: the command ends now with TASK ABORTED. */
  abortInDevice(job: Job): void {
    if (!this.#inDevice.has(job)) return;
    this.#release(job);
    this.#finish(job, { status: SAM_STATUS.TASK_ABORTED, dataLength: 0 });
  }

  /** @internal The device was removed: commands still waiting in userspace can never be sent. */
  deviceRemoved(): void {
    for (const job of this.#waiting.drain()) {
      job.state = 'done';
      if (job.pending.reject(new DeviceGoneError('execute'))) this.#failed++;
    }
  }

  #settledEarly(job: Job, error: TransportError): void {
    if (job.state === 'queued') {
      this.#waiting.remove((j) => j === job);
      job.state = 'done';
      return;
    }
    if (job.record !== undefined) job.record.outcome = { kind: 'abandoned', reason: reasonOf(error) };
    // A command the device dropped ('timeout' fault) is aborted by the emulated error handler;
    // any other keeps its slot and runs to completion, as a kernel command would.
    if (job.stuck) {
      this.#release(job);
      this.#pump();
    }
  }

  /** Frees the device slot (and cancels the pending completion). */
  #release(job: Job): void {
    job.cancel?.();
    job.cancel = undefined;
    this.#inDevice.delete(job);
    this.unit.inDevice.delete(job);
    job.state = 'done';
  }

  #pump(): void {
    while (this.#inDevice.size < this.capabilities.queueDepth && !this.closed) {
      const job = this.#waiting.shift();
      if (job === undefined) return;
      this.#dispatch(job);
    }
  }

  #dispatch(job: Job): void {
    const unit = this.unit;
    if (unit.removed) {
      job.state = 'done';
      if (job.pending.reject(new DeviceGoneError('execute'))) this.#failed++;
      return;
    }
    job.state = 'device';
    this.#inDevice.add(job);
    unit.inDevice.add(job);
    this.#submitted++;
    const cdb = job.cmd.cdb;
    const record = unit.recorder.record(this.id, cdb, job.cmd.direction, job.transfer);
    if (record !== undefined) job.record = record;
    const extent = lbaExtent(cdb);
    const fault = unit.faults.match({
      opcode: cdb[0] ?? 0,
      connection: this.id,
      ...(extent === undefined ? {} : { extent }),
    });
    if (record !== undefined && fault !== undefined) (record as { faultId?: number }).faultId = fault.rule.id;
    if (fault?.effect === 'removed') {
      this.#release(job);
      if (record !== undefined) record.outcome = { kind: 'gone' };
      if (job.pending.reject(new DeviceGoneError('execute'))) this.#failed++;
      unit.remove();
      return;
    }
    if (fault?.effect === 'timeout') {
      job.stuck = true;
      return;
    }
    const delay = unit.latency() + (fault?.delayMs ?? 0);
    const run = () => {
      job.cancel = undefined;
      this.#complete(job, fault);
    };
    if (delay <= 0) {
      const h = setImmediate(run);
      job.cancel = () => clearImmediate(h);
    } else {
      const h = setTimeout(run, delay);
      job.cancel = () => clearTimeout(h);
    }
  }

  #complete(job: Job, fault: FiredFault | undefined): void {
    this.#release(job);
    const answer =
      fault === undefined || fault.effect === 'delay'
        ? runCommand(this.unit, {
            cdb: job.cmd.cdb,
            connection: this.id,
            dataIn: job.dataIn,
            dataOut: job.dataOut,
          })
        : this.#faultAnswer(job, fault);
    this.#finish(job, answer, fault);
    this.#pump();
  }

  #faultAnswer(job: Job, fault: FiredFault): DeviceAnswer & { rawSense?: Uint8Array } {
    const e = fault.effect;
    if (e === 'busy') return { status: SAM_STATUS.BUSY, dataLength: 0 };
    if (e === 'task-set-full') return { status: SAM_STATUS.TASK_SET_FULL, dataLength: 0 };
    if (e === 'medium-error' && fault.sense !== undefined) {
      const write = WRITE_OPCODES.has(job.cmd.cdb[0] ?? 0);
      const counters = this.unit.state.counters[write ? 'write' : 'read'];
      counters.uncorrected++;
      return {
        status: SAM_STATUS.CHECK_CONDITION,
        sense: write ? { ...fault.sense, asc: 0x0c, ascq: 0x00 } : fault.sense,
        dataLength: 0,
      };
    }
    if (typeof e === 'object') {
      const s = e.sense;
      return {
        status: e.status,
        hostStatus: e.hostStatus ?? 0,
        dataLength: 0,
        ...(s === undefined ? {} : s instanceof Uint8Array ? { rawSense: s } : { sense: s }),
      };
    }
    return {
      status: SAM_STATUS.CHECK_CONDITION,
      ...(fault.sense === undefined ? {} : { sense: fault.sense }),
      dataLength: 0,
    };
  }

  #finish(job: Job, answer: DeviceAnswer & { rawSense?: Uint8Array }, _fault?: FiredFault): void {
    const cmd = job.cmd;
    const limit = cmd.senseBytes ?? DEFAULT_SENSE_BYTES;
    let sense: Uint8Array = EMPTY;
    if (answer.rawSense !== undefined) sense = answer.rawSense.slice(0, limit);
    else if (answer.sense !== undefined)
      sense = buildSense(answer.sense, this.unit.state.descriptorSense).subarray(0, limit);
    const ok = answer.status === SAM_STATUS.GOOD && (answer.hostStatus ?? 0) === 0;
    const residual =
      cmd.direction === 'in'
        ? job.transfer - Math.min(answer.dataLength, job.transfer)
        : ok
          ? 0
          : job.transfer;
    const result: ScsiResult = {
      status: answer.status,
      hostStatus: answer.hostStatus ?? 0,
      driverStatus: sense.length > 0 ? 0x08 : 0,
      sense,
      residual,
      data: cmd.direction === 'in' ? receivedView(job.dataIn, residual) : EMPTY,
      latencyNs: Number(process.hrtime.bigint() - job.started),
    };
    if (job.pending.resolve(result)) {
      this.#completed++;
      if (job.record !== undefined) {
        const s = answer.sense;
        job.record.outcome = {
          kind: 'completed',
          status: result.status,
          hostStatus: result.hostStatus,
          ...(s === undefined ? {} : { sense: { key: s.key, asc: s.asc, ascq: s.ascq } }),
        };
      }
    }
  }
}

/**
 * An emulated SCSI disk. The object itself is connection 0 — a ready `Transport` — and `connect()`
 * opens further connections (initiators) to the same logical unit. `close()` on the disk closes
 * every connection and releases the backing file.
 *
 * @example
 * const disk = new EmulatedDisk({ capacity: { bytes: 1 << 30 }, thinProvisioning: true });
 * const r = await disk.execute({ cdb: inquiryCdb, direction: 'in', transferLength: 96 });
 */
export class EmulatedDisk extends EmulatedDiskConnection {
  /** Fault rules, tried in order on every command reaching the device (all connections). */
  readonly faults: FaultInjector;
  /** Every command the device received, all connections. */
  readonly recorder: CommandRecorder;
  /** Options with defaults applied. */
  readonly options: ResolvedOptions;
  /** What the disk reports about its health (IE log page, background scan, SMART with `ata`): settable. */
  readonly health: DiskHealth;

  /**
   * Validates `options` (throws EmulatedDiskOptionsError) and creates the unit with its medium;
   * `personality` is @internal (EmulatedTape, EmulatedChanger, EmulatedEnclosure).
   */
  constructor(options?: EmulatedDiskOptions, personality?: DevicePersonality) {
    super(new SharedUnit(options, personality));
    this.faults = this.unit.faults;
    this.recorder = this.unit.recorder;
    this.options = this.unit.options;
    this.health = this.unit.state.health;
  }

  /** A new initiator on the same logical unit (ids 1, 2…). Throws once the disk is closed. */
  connect(): EmulatedDiskConnection {
    if (this.closed) throw new TransportClosedError('the emulated disk is closed');
    return new EmulatedDiskConnection(this.unit);
  }

  /**
   * Hot-unplug, as scsi_debug's device delete: commands in the device complete, commands still
   * queued in userspace and every later command reject with DeviceGoneError (-ENODEV). Terminal.
   */
  remove(): void {
    this.unit.remove();
  }

  get removed(): boolean {
    return this.unit.removed;
  }

  /** Bytes of memory holding block data (memory backing): what the sparse disk costs so far. */
  get allocatedBytes(): number {
    return this.unit.state.store.allocatedBytes;
  }

  /** The zones of a zoned disk (a snapshot), undefined otherwise. */
  zones():
    | Array<{ start: number; length: number; type: 1 | 2; condition: number; writePointer: number }>
    | undefined {
    return this.unit.zones?.zones.map((z) => ({ ...z }));
  }

  /**
   * The microcode buffer (the `microcode` option): bytes received, whether they wait for mode 0Fh,
   * how many activations happened and the image last activated (a copy).
   */
  microcode(): { received: number; deferred: boolean; activations: number; active: Uint8Array | undefined } {
    const s = microcodeState(this.unit.state);
    return {
      received: s.received,
      deferred: s.deferred,
      activations: s.activations,
      active: s.active?.slice(),
    };
  }

  #diskClosing: Promise<void> | undefined;

  /** Closes every connection (outstanding commands reject with TransportClosedError), then the medium. Idempotent. */
  override close(): Promise<void> {
    if (this.#diskClosing !== undefined) return this.#diskClosing;
    const others = [...this.unit.connections].filter((c) => c !== this);
    const mine = super.close();
    this.#diskClosing = Promise.all([mine, ...others.map((c) => c.close())]).then(() => {
      this.unit.state.store.close();
    });
    return this.#diskClosing;
  }
}

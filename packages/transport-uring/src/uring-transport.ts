import { closeSync, constants, openSync } from 'node:fs';
import { debuglog } from 'node:util';
import {
  DEFAULT_SENSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  DeviceGoneError,
  errnoError,
  type FixedBufferLease,
  InvalidCommandError,
  OutcomeUnknownError,
  type PendingCommand,
  PendingCommands,
  receivedView,
  type ScsiCommand,
  type ScsiResult,
  type Transport,
  TransportAbortedError,
  type TransportCapabilities,
  TransportClosedError,
  type TransportError,
  type TransportStats,
  validateCommand,
  WaitingRoom,
} from '@scsikit/transport';
import { allocateAligned } from './aligned-buffer.js';
import type { RegisteredBufferPool } from './fixed-buffer-pool.js';
import { readDeviceLimits } from './sysfs.js';
import { type CompletionTarget, ThreadQueue } from './thread-queue.js';

const log = debuglog('scsikit');

/** Bounded exponential backoff for "try again" outcomes; data, not code (undici-style). */
export interface RetryPolicy {
  /** Resubmissions per command for -EAGAIN/-ENOMEM in the CQE. @default 5 */
  readonly maxRetries: number;
  /** Resubmissions for SCSI BUSY / TASK SET FULL / DID_BUS_BUSY that reach us. @default 2 */
  readonly maxBusyRetries: number;
  /** @default 1 */
  readonly minDelayMs: number;
  /** @default 200 */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 5,
  maxBusyRetries: 2,
  minDelayMs: 1,
  maxDelayMs: 200,
};

export interface UringTransportOptions {
  /** Open O_RDWR. @default false */
  readonly write?: boolean;
  /** Commands in the kernel at once for this device. @default the device's sysfs queue_depth */
  readonly queueDepth?: number;
  /** @default the sysfs limits (max_hw_sectors_kb, max_segments × 4 KiB), else 512 KiB */
  readonly maxTransferBytes?: number;
  /** Slots of the thread's ring; only the first open in a thread decides. @default 256 */
  readonly ringEntries?: number;
  /** Register fixed buffers for this thread's ring (first request decides). @default none */
  readonly fixedBuffers?: { readonly count: number; readonly size: number };
  /** Submit each command at once instead of once per event-loop turn. @default false */
  readonly immediate?: boolean;
  readonly retry?: Partial<RetryPolicy>;
}

const BSG_PATH = /^\/dev\/bsg\/(\d+:\d+:\d+:\d+)$/u;
const ENODEV = -19;
const EFAULT = -14;
const EAGAIN = -11;
const ENOMEM = -12;
const SAM_BUSY = 0x08;
const SAM_TASK_SET_FULL = 0x28;
const DID_BUS_BUSY = 0x02;
const DIRECTION = { none: 0, in: 1, out: 2 } as const;

interface Job {
  readonly cmd: ScsiCommand;
  readonly pending: PendingCommand;
  readonly data: Uint8Array | null;
  readonly length: number;
  readonly bufIndex: number;
  attempts: number;
  busyAttempts: number;
}

/**
 * The io_uring BSG transport: IORING_OP_URING_CMD on /dev/bsg/H:C:T:L through the thread's ring.
 * In-flight commands are capped at the device's queue depth (past its tags the kernel punts to
 * blocking io-wq workers); the rest wait here in three priority FIFOs.
 */
export class UringTransport implements Transport {
  readonly kind = 'uring' as const;
  readonly capabilities: TransportCapabilities;
  readonly path: string;
  /** The thread's registered buffers; present when opened with `fixedBuffers`. */
  readonly pool?: RegisteredBufferPool;
  readonly #pool: RegisteredBufferPool | undefined;
  readonly #fd: number;
  readonly #queue: ThreadQueue;
  // The ring's poll handle holds the loop open while the kernel holds a command; queued commands
  // wait only behind in-flight ones, and retry timers are ref'd.
  readonly #pending = new PendingCommands({ keepAlive: false });
  readonly #waiting = new WaitingRoom<Job>();
  readonly #retry: RetryPolicy;
  readonly #unlisten: () => void;
  #inflight = 0;
  #closed = false;
  #fdOpen = true;
  #unlistenRingClose: (() => void) | undefined;
  #gone = false;
  #stats = { submitted: 0, completed: 0, failed: 0, retried: {} as Record<string, number> };

  /**
   * Opens `/dev/bsg/H:C:T:L`. Rejects paths of any other shape before open(2). The caller decides
   * whether io_uring works here (see `probeUring`); this does not send any command.
   */
  static open(path: string, options: UringTransportOptions = {}): UringTransport {
    const m = BSG_PATH.exec(path);
    if (m?.[1] === undefined)
      throw new InvalidCommandError('path', `Expected a /dev/bsg/H:C:T:L path, got ${JSON.stringify(path)}`);
    return new UringTransport(path, m[1], options);
  }

  private constructor(path: string, hctl: string, options: UringTransportOptions) {
    const limits = readDeviceLimits(hctl);
    const queueDepth = options.queueDepth ?? limits.queueDepth ?? 32;
    if (!Number.isInteger(queueDepth) || queueDepth < 1 || queueDepth > 4096) {
      throw new InvalidCommandError(
        'queueDepth',
        `Expected \`queueDepth\` to be an integer in [1, 4096], got ${queueDepth}`,
      );
    }
    this.path = path;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    try {
      this.#fd = openSync(path, options.write === true ? constants.O_RDWR : constants.O_RDONLY);
    } catch (e) {
      // Typed like every other transport failure; the fs error (naming the path) is the cause.
      const errno = (e as { errno?: unknown }).errno;
      throw errnoError(typeof errno === 'number' ? -Math.abs(errno) : -5, 'open', e);
    }
    try {
      this.#queue = ThreadQueue.acquire(options.ringEntries ?? 256);
    } catch (e) {
      closeSync(this.#fd);
      throw e;
    }
    if (options.immediate === true) this.#queue.immediate = true;
    if (options.fixedBuffers !== undefined) {
      const { count, size } = options.fixedBuffers;
      this.#pool = this.#queue.bufferPool(count, size);
      this.pool = this.#pool;
    } else this.#pool = undefined;
    this.capabilities = {
      kind: 'uring',
      fixedBuffers: this.#pool !== undefined,
      maxTransferBytes: options.maxTransferBytes ?? limits.maxTransferBytes ?? 512 * 1024,
      queueDepth: Math.min(queueDepth, this.#queue.entries),
    };
    this.#unlisten = this.#queue.onSlotsAvailable(() => this.#pump());
    log(
      'opened %s over io_uring (queue depth %d, max transfer %d)',
      path,
      this.capabilities.queueDepth,
      this.capabilities.maxTransferBytes,
    );
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * How completions of this thread's ring reached JS: right after the io_uring_enter that sent
   * them (`inline`, no event-loop turn) or through the eventfd (`polled`). Counts every device of
   * the thread.
   */
  get reaped(): { readonly inline: number; readonly polled: number } {
    return { ...this.#queue.reaped };
  }

  execute(cmd: ScsiCommand): Promise<ScsiResult> {
    if (this.#closed) return Promise.reject(new TransportClosedError());
    if (this.#gone) return Promise.reject(new DeviceGoneError('io_uring_cmd'));
    let length: number;
    try {
      length = validateCommand(cmd, this.capabilities);
      if (cmd.fixedBuffer !== undefined && this.#pool?.owns(cmd.fixedBuffer) !== true) {
        throw new InvalidCommandError(
          'fixedBuffer',
          'the lease was released or does not come from this transport',
        );
      }
    } catch (e) {
      return Promise.reject(e);
    }
    if (cmd.signal?.aborted === true) return Promise.reject(new TransportAbortedError(cmd.signal.reason));
    const data = this.#dataBuffer(cmd, length);
    const pending = this.#pending.track(cmd, this.#onEarlySettle);
    const job: Job = {
      cmd,
      pending,
      data,
      length,
      bufIndex: cmd.fixedBuffer?.index ?? -1,
      attempts: 0,
      busyAttempts: 0,
    };
    if (this.#inflight < this.capabilities.queueDepth && this.#waiting.size === 0 && this.#submit(job)) {
      return pending.promise;
    }
    this.#waiting.push(job, cmd.priority);
    return pending.promise;
  }

  /** The ring's completion callback for this transport's commands (private: not part of the API). */
  readonly #target: CompletionTarget<Job> = {
    onCompletion: (job, res, lo, residual, sense, latencyNs) =>
      this.#complete(job, res, lo, residual, sense, latencyNs),
  };

  /** Watchdog, abort or close settled a command first (one function per transport, not per command). */
  readonly #onEarlySettle = (_error: TransportError, pending: PendingCommand): void => {
    this.#stats.failed++;
    // A queued job that settled early never reaches the kernel: drop it from the waiting room.
    this.#waiting.remove((j) => j.pending === pending);
  };

  #dataBuffer(cmd: ScsiCommand, length: number): Uint8Array | null {
    if (cmd.direction === 'none') return null;
    const lease: FixedBufferLease | undefined = cmd.fixedBuffer;
    const buf = lease?.buffer ?? cmd.data ?? new Uint8Array(length);
    return buf;
  }

  /** Submits waiting jobs while the device's depth and the ring's slots allow. */
  #pump(): void {
    while (this.#inflight < this.capabilities.queueDepth && this.#queue.freeSlots > 0 && !this.#closed) {
      const job = this.#waiting.shift();
      if (job === undefined) return;
      if (job.pending.settled) continue;
      if (!this.#submit(job)) {
        this.#waiting.unshift(job, job.cmd.priority);
        return;
      }
    }
  }

  #submit(job: Job): boolean {
    // Counted before: the completion may be delivered before submitCmd returns.
    const first = job.attempts === 0 && job.busyAttempts === 0;
    if (first) this.#stats.submitted++;
    const { cmd } = job;
    this.#inflight++;
    const ok = this.#queue.submitCmd(
      this.#fd,
      cmd.cdb,
      DIRECTION[cmd.direction],
      job.data,
      job.length,
      cmd.senseBytes ?? DEFAULT_SENSE_BYTES,
      cmd.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      job.bufIndex,
      this.#target,
      job,
    );
    if (!ok) {
      this.#inflight--;
      if (first) this.#stats.submitted--;
      return false;
    }
    return true;
  }

  #complete(job: Job, res: number, lo: number, residual: number, sense: Uint8Array, latencyNs: number): void {
    if (--this.#inflight === 0 && this.#closed) this.#closeFd();
    const { pending } = job;
    if (!pending.settled) this.#settle(job, res, lo, residual, sense, latencyNs);
    if (this.#waiting.size > 0) this.#pump();
  }

  #settle(job: Job, res: number, lo: number, residual: number, sense: Uint8Array, latencyNs: number): void {
    const { pending } = job;
    if (res < 0) {
      if ((res === EAGAIN || res === ENOMEM) && job.attempts < this.#retry.maxRetries && !this.#closed) {
        this.#retryLater(job, res === EAGAIN ? 'EAGAIN' : 'ENOMEM', job.attempts++);
        return;
      }
      let error: TransportError;
      if (res === ENODEV) {
        // Terminal: the device is gone. Fail what waits too, and every later command, fast.
        this.#gone = true;
        error = new DeviceGoneError('io_uring_cmd');
        for (const j of this.#waiting.drain()) j.pending.reject(new DeviceGoneError('io_uring_cmd'));
      } else if (res === EFAULT) error = new OutcomeUnknownError('io_uring_cmd');
      else error = errnoError(res, 'io_uring_cmd');
      this.#stats.failed++;
      pending.reject(error);
      return;
    }
    const status = lo & 0xff;
    const hostStatus = (lo >>> 16) & 0xff;
    const busy = status === SAM_BUSY || status === SAM_TASK_SET_FULL || hostStatus === DID_BUS_BUSY;
    if (busy && job.busyAttempts < this.#retry.maxBusyRetries && !this.#closed) {
      const cause =
        hostStatus === DID_BUS_BUSY ? 'DID_BUS_BUSY' : status === SAM_BUSY ? 'BUSY' : 'TASK_SET_FULL';
      this.#retryLater(job, cause, job.busyAttempts++);
      return;
    }
    this.#stats.completed++;
    pending.resolve({
      status,
      driverStatus: (lo >>> 8) & 0xff,
      hostStatus,
      sense,
      residual,
      data:
        job.cmd.direction === 'in' && job.data !== null
          ? receivedView(
              job.data.length === job.length ? job.data : job.data.subarray(0, job.length),
              residual,
            )
          : EMPTY,
      latencyNs,
    });
  }

  #retryLater(job: Job, cause: string, attempt: number): void {
    this.#stats.retried[cause] = (this.#stats.retried[cause] ?? 0) + 1;
    const delay = Math.min(this.#retry.maxDelayMs, this.#retry.minDelayMs * 2 ** attempt);
    setTimeout(() => {
      if (job.pending.settled || this.#closed) return;
      this.#waiting.unshift(job, 'high');
      this.#pump();
    }, delay);
  }

  /** Page-aligned native memory: a data buffer of up to a page is one kernel segment. */
  allocateBuffer(bytes: number): Uint8Array {
    return allocateAligned(bytes);
  }

  stats(): TransportStats {
    return {
      submitted: this.#stats.submitted,
      completed: this.#stats.completed,
      failed: this.#stats.failed,
      retried: { ...this.#stats.retried },
      inFlight: this.#inflight,
      queued: this.#waiting.size,
    };
  }

  /**
   * Fails every outstanding command with a closed error, then waits (bounded) for the kernel to
   * complete what it holds before releasing the ring and the fd. Commands the kernel still holds
   * after the wait keep the fd and their buffers until they complete; if the thread's ring closes
   * first, the fd is closed then and their buffers stay referenced for the life of the process.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending.rejectAll(() => new TransportClosedError());
    this.#waiting.drain();
    // Let in-flight commands complete through the normal path for up to 2 s before tearing down.
    const deadline = Date.now() + 2000;
    while (this.#inflight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    this.#unlisten();
    const orphans = this.#inflight;
    if (orphans > 0) {
      log('closing %s with %d command(s) still in the kernel', this.path, orphans);
      // The fd number stays ours while the ring may still hold an SQE naming it: a later open that
      // reused the number would receive that command. Requests the kernel has taken hold their own
      // reference to the file, so the fd closes when the last of them completes, or when the ring
      // closes (this close, if it was the ring's last user, or a later one), whichever comes first.
      this.#unlistenRingClose = this.#queue.onClose(() => this.#closeFd());
    }
    ThreadQueue.release(this.#queue, 0);
    if (orphans === 0) this.#closeFd();
  }

  #closeFd(): void {
    if (!this.#fdOpen) return;
    this.#fdOpen = false;
    this.#unlistenRingClose?.();
    closeSync(this.#fd);
  }
}

const EMPTY = new Uint8Array(0);

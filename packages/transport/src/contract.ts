/**
 * The transport contract: what every way of delivering a SCSI command (io_uring BSG, SG_IO, the
 * in-process emulated disk) promises its callers. Types only; `conformance.ts` checks the promises.
 *
 * The one rule everything else follows: a device's answer — GOOD, CHECK CONDITION, BUSY,
 * RESERVATION CONFLICT, a host error such as DID_TIME_OUT or DID_NO_CONNECT — is a {@link ScsiResult}.
 * Only a failure to deliver the command (closed, aborted, watchdog, invalid, kernel refusal) rejects,
 * always with a `TransportError`.
 */

/** Which way data moves. A single command moves data one way only (BSG refuses bidirectional). */
export type DataDirection = 'none' | 'in' | 'out';

/** The implementations the SDK knows; `capabilities.kind` and `Transport.kind` name one of them. */
export type TransportKind = 'uring' | 'sgio' | 'emulated';

/**
 * Scheduling class. A transport that queues in userspace (more commands than `queueDepth`) lets
 * `high` jump ahead of `normal` and `low`, so management commands (TEST UNIT READY, REQUEST SENSE…)
 * are not starved behind bulk I/O; a class passed over `STARVATION_LIMIT` times in a row is served
 * next, so bulk I/O is not starved either (`WaitingRoom`). It never reorders commands already
 * in the kernel.
 * @default 'normal'
 */
export type CommandPriority = 'high' | 'normal' | 'low';

/**
 * One command. The transport never mutates the object and never keeps a reference after the
 * promise settles — except to buffers still in the kernel (see {@link Transport.execute}).
 */
export interface ScsiCommand {
  /** The CDB, 6 to 32 bytes (the kernel refuses a request_len of 0 or above 32). */
  readonly cdb: Uint8Array;
  readonly direction: DataDirection;
  /**
   * `in`: the destination, owned by the caller and written in place (`ScsiResult.data` is a view
   * of it). `out`: the source. Forbidden with `none` and together with `fixedBuffer`.
   * Its length is the transfer length unless `transferLength` says less.
   */
  readonly data?: Uint8Array | undefined;
  /**
   * Bytes to transfer. With `in` and neither `data` nor `fixedBuffer`, required: the transport
   * allocates the destination. With a buffer, at most its length (a prefix is transferred).
   * Never above `capabilities.maxTransferBytes`.
   */
  readonly transferLength?: number | undefined;
  /**
   * Milliseconds, an integer in [1, 2147483647]. Passed to the kernel and enforced by the transport's
   * own watchdog, which rejects with a timeout error at the deadline even if the kernel never
   * completes (a persistent queuecommand-busy never does; bsg uring_cmds cannot be cancelled).
   * @default 30000
   */
  readonly timeoutMs?: number | undefined;
  /**
   * Size of the sense buffer given to the kernel, an integer in [1, 252] (SPC's maximum). Never 0:
   * a zero-length sense buffer means the device's sense is silently lost.
   * @default 96
   */
  readonly senseBytes?: number | undefined;
  /**
   * Rejects the promise with an aborted error. Already aborted: rejects without sending. In flight:
   * rejects promptly, but the command itself runs on (the kernel cannot cancel it) and its buffers
   * stay referenced until the kernel completes it.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * A registered buffer leased from this transport's {@link Transport.pool} (io_uring fixed buffers
   * skip the per-command page pinning). Used like `data`; mutually exclusive with it.
   */
  readonly fixedBuffer?: FixedBufferLease | undefined;
  /** @default 'normal' */
  readonly priority?: CommandPriority | undefined;
}

/** What the device (or the host adapter on its behalf) answered. */
export interface ScsiResult {
  /** SAM status byte: 0x00 GOOD, 0x02 CHECK CONDITION, 0x08 BUSY, 0x18 RESERVATION CONFLICT… */
  readonly status: number;
  /** Linux host byte (DID_*): 0 DID_OK; 0x01 NO_CONNECT, 0x03 TIME_OUT, 0x07 ERROR… */
  readonly hostStatus: number;
  /** Linux driver byte; 0x08 (DRIVER_SENSE) says sense is valid. 0 otherwise. */
  readonly driverStatus: number;
  /**
   * Exactly the sense bytes the device wrote (at most `senseBytes`); empty when it wrote none,
   * e.g. on GOOD. A fresh copy: it does not alias any transport buffer.
   */
  readonly sense: Uint8Array;
  /** Bytes of the transfer that did not move (transfer length − bytes actually transferred). */
  readonly residual: number;
  /**
   * `in`: a view (not a copy) of the received bytes — the first `transferLength − residual` bytes
   * of the caller's `data`, the lease's buffer or the buffer the transport allocated.
   * `none` and `out`: empty.
   */
  readonly data: Uint8Array;
  /** Submission to completion as the transport measured it (monotonic clock), in nanoseconds. */
  readonly latencyNs: number;
}

/** Fixed facts about an open transport; callers size and schedule their I/O from them. */
export interface TransportCapabilities {
  readonly kind: TransportKind;
  /** Whether {@link Transport.pool} exists and commands accept `fixedBuffer`. */
  readonly fixedBuffers: boolean;
  /** Largest transfer the device path accepts (≥ 4096); validation rejects more. */
  readonly maxTransferBytes: number;
  /** Commands the transport keeps in the kernel at once (≥ 1); the rest wait in userspace. */
  readonly queueDepth: number;
  /**
   * Peripheral device type, where the transport knows it without asking (an emulated device). The
   * read-only guard needs it before any INQUIRY: an opcode is another command on a tape or a changer.
   * Kernel transports leave it out; discovery (sysfs) gives it.
   */
  readonly peripheralType?: number;
}

/** One registered buffer, owned by the caller until `release()`. */
export interface FixedBufferLease {
  /** The registered memory, exactly the size acquired. Valid until `release()`. */
  readonly buffer: Uint8Array;
  /** The kernel's registration index (io_uring `buf_index`). */
  readonly index: number;
  /**
   * Returns the buffer to the pool. Throws if already released: a double release would hand
   * the same memory to two owners. Never release while a command using it is in flight.
   */
  release(): void;
}

/** Registered buffers of one transport. Closing the transport closes the pool. */
export interface FixedBufferPool {
  /**
   * Leases a buffer of `size` bytes (1 ≤ size ≤ `bufferBytes`), waiting while none is free.
   * Rejects with an aborted error on `signal`, with a closed error once the transport is closed,
   * and with an invalid-command error for a size out of range.
   */
  acquire(size: number, signal?: AbortSignal): Promise<FixedBufferLease>;
  /** Buffers free right now. */
  readonly available: number;
  /** Buffers in the pool, leased or not. */
  readonly size: number;
  /** Capacity of each buffer in bytes: the largest `size` acquire accepts. */
  readonly bufferBytes: number;
}

/**
 * Counters since open. Every command that passed validation ends in exactly one of `completed`
 * or `failed`; refusals before submission (invalid, closed, already aborted) are not counted.
 */
export interface TransportStats {
  /** Commands handed to the kernel or device (a retry is not a new submission). */
  readonly submitted: number;
  /** Promises resolved with a ScsiResult, whatever its status. */
  readonly completed: number;
  /** Promises rejected after acceptance: timeout, abort, close, kernel refusal. */
  readonly failed: number;
  /** Resubmissions by cause, e.g. `{ EAGAIN: 2, ENOMEM: 1 }`. */
  readonly retried: Readonly<Record<string, number>>;
  /**
   * Commands the kernel holds right now, including those whose promise the watchdog or an abort
   * already settled: they still occupy a slot (and their buffers) until the kernel completes them.
   */
  readonly inFlight: number;
  /** Accepted commands waiting in userspace for a slot. */
  readonly queued: number;
}

/**
 * A way to deliver SCSI commands to one device. Implementations must pass
 * `describeTransportConformance` from `@scsikit/transport/conformance`.
 */
export interface Transport {
  readonly kind: TransportKind;
  readonly capabilities: TransportCapabilities;
  /** True from the moment `close()` is called (synchronously), forever after. */
  readonly closed: boolean;
  /**
   * Sends one command. Never throws synchronously: every failure is a rejected promise.
   * Resolves with the device's answer whatever its status; rejects only with a `TransportError`
   * (closed, aborted, timeout, invalid command, syscall, device gone, outcome unknown), after
   * running `validateCommand` before anything reaches the kernel.
   * Buffers the kernel may touch stay referenced until the kernel completes the command, even when
   * the promise has already settled (watchdog, abort, close): the kernel cannot be told to stop.
   */
  execute(cmd: ScsiCommand): Promise<ScsiResult>;
  /**
   * Rejects every outstanding command's promise (queued or in flight) with a closed error, waits a
   * bounded time for the kernel's completions, then frees everything (ring, fd, pool). Resolves
   * even if the kernel never completes (memory still in the kernel is then kept, not freed).
   * Idempotent: later calls return the same settled promise.
   */
  close(): Promise<void>;
  /** Present when `capabilities.fixedBuffers`. */
  readonly pool?: FixedBufferPool;
  /**
   * A zeroed buffer for command data that the kernel can map in as few segments as possible
   * (page-aligned native memory). Optional: without it, any Uint8Array serves. Some targets
   * mishandle a small buffer that straddles two pages (LIO's WRITE SAME answers 05/24/00).
   */
  allocateBuffer?(bytes: number): Uint8Array;
  /** Counters since open (see {@link TransportStats}). */
  stats?(): TransportStats;
}

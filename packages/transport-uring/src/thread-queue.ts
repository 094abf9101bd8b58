import { debuglog } from 'node:util';
import { RegisteredBufferPool } from './fixed-buffer-pool.js';
import { loadNative, type NativeQueue, type StageFields } from './native.js';

/**
 * Told of each completion, with the token given at submission: cqe->res, big_cqe[0] split in two,
 * the sense bytes written, and the nanoseconds from the io_uring_enter that sent the command to
 * the drain that reaped it. An object and a token rather than a closure per command: this is the
 * per-command path.
 */
export interface CompletionTarget<T> {
  onCompletion(
    token: T,
    res: number,
    infoLo: number,
    residual: number,
    sense: Uint8Array,
    latencyNs: number,
  ): void;
}

const EMPTY = new Uint8Array(0);
const EAGAIN = -11;
const EBUSY = -16;
const EINTR = -4;
const EINVAL = -22;
const log = debuglog('scsikit');

/** What the native queue throws when used after close (the same code). */
function ringClosed(): Error {
  return Object.assign(new Error('the ring is closed'), { code: 'ERR_SCSIKIT_RING_CLOSED' });
}
/**
 * Flushes in a row that may settle their commands at once (reaped right after io_uring_enter) before
 * the queue leaves the CQ to the eventfd until the event loop has turned: promise chains that
 * complete inline never yield, and timers and I/O must still run.
 */
const INLINE_REAP_BUDGET = 64;

/**
 * The thread's io_uring (one per JS thread, shared by every device opened in it). Owns the slots:
 * a slot is taken at submission and given back only when its CQE arrives, so the shared CDB and
 * sense areas of a slot are never rewritten while the kernel may read or write them.
 */
export class ThreadQueue {
  static #current: ThreadQueue | undefined;
  static #users = 0;

  /** The thread's queue, opened on first use with `entries` slots; pair with `release()`. */
  static acquire(entries = 256): ThreadQueue {
    if (ThreadQueue.#current === undefined || !ThreadQueue.#current.isOpen) {
      ThreadQueue.#current = new ThreadQueue(entries);
    }
    ThreadQueue.#users++;
    return ThreadQueue.#current;
  }

  /** Closes the queue when its last user is gone; resolves to commands left in the kernel. */
  static release(queue: ThreadQueue, waitMs: number): number {
    if (queue !== ThreadQueue.#current) return queue.close(waitMs);
    ThreadQueue.#users = Math.max(0, ThreadQueue.#users - 1);
    if (ThreadQueue.#users > 0) return 0;
    ThreadQueue.#current = undefined;
    return queue.close(waitMs);
  }

  readonly entries: number;
  readonly cdbArea: Uint8Array;
  readonly #native: NativeQueue;
  readonly #senseArea: Uint8Array;
  readonly #completions: Uint32Array;
  readonly #cdbStride: number;
  readonly #senseStride: number;
  readonly #recordWords: number;
  readonly #reapedShift: number;
  readonly #targets: Array<CompletionTarget<unknown> | undefined>;
  readonly #tokens: unknown[];
  readonly #free: number[];
  /** Called when slots come back, so transports waiting for one can submit. */
  readonly #slotListeners = new Set<() => void>();
  /** Told once when the ring closes: commands still in the kernel then never complete in JS. */
  readonly #closeListeners = new Set<() => void>();
  #flushScheduled = false;
  /** Inside #onComplete: the completion area is being read, nothing may drain into it. */
  #delivering = false;
  #inlineBudget = INLINE_REAP_BUDGET;
  /** Completions settled right after io_uring_enter, and through the eventfd's turn of the loop. */
  readonly reaped = { inline: 0, polled: 0 };
  #budgetReset: NodeJS.Immediate | undefined;
  /**
   * Submissions JS wrote into the stage area since the last flush, as int32 records (slot, op, fd,
   * cdbLen, direction, dataLen, senseLen, timeoutMs, bufIndex): the native flush turns them into
   * SQEs, one N-API call per flush instead of one per command.
   */
  readonly #stage: Int32Array;
  readonly #stageWords: number;
  /** Word offsets within a stage record, as native/queue.h names them. */
  readonly #f: StageFields;
  #staged = 0;
  /**
   * Each staged command's data buffer, at its slot, from staging until its completion has been
   * delivered: what keeps it alive while the kernel may read or write it (the native queue holds
   * this array, and keeps it for ever when close() leaves commands in the kernel).
   */
  readonly #data: Array<Uint8Array | null>;
  readonly #flushTask = (): void => {
    if (this.#staged > 0) this.#flushAndReap();
    else this.#flushScheduled = false;
  };
  #retryFlush: NodeJS.Immediate | undefined;
  /** Submit immediately instead of once per turn (latency measurements). */
  immediate = false;
  #pool: RegisteredBufferPool | undefined;
  /** close() ran: a JS flag, since the native isOpen accessor is an N-API call per command. */
  #closed = false;

  private constructor(entries: number) {
    const addon = loadNative();
    this.entries = entries;
    this.#cdbStride = addon.CDB_STRIDE;
    this.#senseStride = addon.SENSE_STRIDE;
    this.#recordWords = addon.RECORD_WORDS;
    this.#reapedShift = 2 ** addon.REAPED_SHIFT;
    this.cdbArea = new Uint8Array(entries * this.#cdbStride);
    this.#senseArea = new Uint8Array(entries * this.#senseStride);
    this.#completions = new Uint32Array(entries * this.#recordWords);
    this.#targets = new Array<CompletionTarget<unknown> | undefined>(entries).fill(undefined);
    this.#tokens = new Array<unknown>(entries).fill(undefined);
    this.#free = Array.from({ length: entries }, (_, i) => entries - 1 - i);
    this.#stageWords = addon.STAGE_WORDS;
    this.#f = addon.STAGE_FIELDS;
    this.#stage = new Int32Array(entries * this.#stageWords);
    this.#data = new Array<Uint8Array | null>(entries).fill(null);
    this.#native = new addon.Queue(
      entries,
      this.cdbArea,
      this.#senseArea,
      new Uint8Array(this.#completions.buffer),
      (count) => {
        this.reaped.polled += count;
        this.#onComplete(count);
      },
      this.#stage,
      this.#data,
    );
  }

  get isOpen(): boolean {
    return !this.#closed && this.#native.isOpen;
  }

  get flags(): number {
    return this.#native.flags;
  }

  get freeSlots(): number {
    return this.#free.length;
  }

  get inflight(): number {
    return this.#native.inflight;
  }

  onSlotsAvailable(listener: () => void): () => void {
    this.#slotListeners.add(listener);
    return () => this.#slotListeners.delete(listener);
  }

  onClose(listener: () => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  /**
   * Writes the command into a free slot's SQE (sent at the end of this turn). Returns false when no
   * slot is free. The CDB is copied into the slot's area; `data` stays referenced until the CQE.
   */
  submitCmd<T>(
    fd: number,
    cdb: Uint8Array,
    direction: 0 | 1 | 2,
    data: Uint8Array | null,
    dataLength: number,
    senseLength: number,
    timeoutMs: number,
    bufIndex: number,
    target: CompletionTarget<T>,
    token: T,
  ): boolean {
    if (this.#closed) throw ringClosed();
    const slot = this.#free.pop();
    if (slot === undefined) return false;
    this.cdbArea.set(cdb, slot * this.#cdbStride);
    const s = this.#stage;
    const f = this.#f;
    const o = this.#staged * this.#stageWords;
    s[o + f.slot] = slot;
    s[o + f.op] = f.opCmd;
    s[o + f.fd] = fd;
    s[o + f.cdbLength] = cdb.length;
    s[o + f.direction] = direction;
    s[o + f.dataLength] = dataLength;
    s[o + f.senseLength] = senseLength;
    s[o + f.timeoutMs] = timeoutMs;
    s[o + f.bufIndex] = bufIndex;
    if (direction !== 0) this.#data[slot] = data;
    this.#staged++;
    this.#afterSubmit(slot, target, token);
    return true;
  }

  /**
   * The same path with IORING_OP_NOP: what JS + native cost per command without a device.
   * `viaWorker` sends it through an io-wq worker (IOSQE_ASYNC): it completes later, from another
   * CPU, like a command on a real device.
   */
  submitNop<T>(target: CompletionTarget<T>, token: T, viaWorker = false): boolean {
    if (this.#closed) throw ringClosed();
    const slot = this.#free.pop();
    if (slot === undefined) return false;
    const f = this.#f;
    const o = this.#staged * this.#stageWords;
    this.#stage[o + f.slot] = slot;
    this.#stage[o + f.op] = f.opNop;
    this.#stage[o + f.viaWorker] = viaWorker ? 1 : 0;
    this.#staged++;
    this.#afterSubmit(slot, target, token);
    return true;
  }

  #afterSubmit<T>(slot: number, target: CompletionTarget<T>, token: T): void {
    this.#targets[slot] = target as CompletionTarget<unknown>;
    this.#tokens[slot] = token;
    // Sent once the current run of microtasks has submitted all it will: commands that complete
    // together are resubmitted together (a command alone on an idle ring sent at once split every
    // round of a deep queue into a flush of one and a flush of the rest).
    if (this.immediate) this.flush();
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(this.#flushTask);
    }
  }

  /** Sends everything written since the last flush with one io_uring_enter. */
  flush(): void {
    this.#flushScheduled = false;
    if (this.#closed) return;
    this.#checkFlush(this.#send(false));
  }

  /** io_uring_enter for the staged records (and any SQE a refused enter left in the SQ). */
  #send(reap: boolean): number {
    const n = this.#staged;
    this.#staged = 0;
    try {
      return this.#native.flush(reap, n);
    } catch (e) {
      // The native side checked every record before writing any SQE: none of them was sent.
      // Settle each with EINVAL (the cause is debug-logged) rather than lose it.
      if (n === 0) throw e;
      log('staged submissions refused: %s', (e as Error).message);
      for (let i = 0; i < n; i++) this.#refuse(this.#stage[i * this.#stageWords + this.#f.slot] as number);
      return 0;
    }
  }

  #refuse(slot: number): void {
    this.#settleSlot(slot, EINVAL, 0, 0, EMPTY, 0);
  }

  /** The end-of-turn flush: also settles what completed during io_uring_enter, within the budget. */
  #flushAndReap(): void {
    this.#flushScheduled = false;
    // The JS flag, not the native accessor: an N-API call per flush costs as much as the flush's
    // own bookkeeping (the native side only closes through close(), which sets it).
    if (this.#closed) return;
    const reap = !this.#delivering && this.#inlineBudget > 0;
    const ret = this.#send(reap);
    if (ret < 0 || !reap) {
      this.#checkFlush(ret);
      return;
    }
    const reaped = Math.floor(ret / this.#reapedShift);
    if (reaped === 0) return;
    if (--this.#inlineBudget === 0) {
      this.#budgetReset ??= setImmediate(() => {
        this.#budgetReset = undefined;
        this.#inlineBudget = INLINE_REAP_BUDGET;
      });
    }
    this.reaped.inline += reaped;
    this.#onComplete(reaped);
  }

  #checkFlush(ret: number): void {
    if (ret === EAGAIN || ret === EBUSY || ret === EINTR) this.#scheduleRetryFlush();
    else if (ret < 0) throw Object.assign(new Error(`io_uring_enter failed: ${ret}`), { errno: ret });
  }

  #scheduleRetryFlush(): void {
    // -EAGAIN/-EBUSY from io_uring_enter: the kernel is short of resources or the CQ is full;
    // completions reaped on the next turn make room. Never block the event loop waiting for them.
    this.#retryFlush ??= setImmediate(() => {
      this.#retryFlush = undefined;
      this.flush();
    });
  }

  #onComplete(count: number): void {
    const c = this.#completions;
    const w = this.#recordWords;
    this.#delivering = true;
    try {
      for (let i = 0; i < count; i++) this.#deliver(c, i * w);
    } finally {
      this.#delivering = false;
    }
    for (const l of this.#slotListeners) l();
  }

  #deliver(c: Uint32Array, at: number): void {
    const slot = c[at] as number;
    const res = (c[at + 1] as number) | 0;
    const lo = c[at + 2] as number;
    const residual = c[at + 3] as number;
    const latencyNs = (c[at + 4] as number) + (c[at + 5] as number) * 0x1_0000_0000;
    const senseLength = lo >>> 24;
    // Copied before the slot is reused: the kernel writes the next command's sense there.
    const off = slot * this.#senseStride;
    const sense = senseLength === 0 ? EMPTY : this.#senseArea.slice(off, off + senseLength);
    this.#settleSlot(slot, res, lo, residual, sense, latencyNs);
  }

  /** Gives the slot back (the kernel is done with it and its data buffer) and tells its target. */
  #settleSlot(
    slot: number,
    res: number,
    lo: number,
    residual: number,
    sense: Uint8Array,
    latencyNs: number,
  ): void {
    const target = this.#targets[slot];
    const token = this.#tokens[slot];
    this.#targets[slot] = undefined;
    this.#tokens[slot] = undefined;
    this.#data[slot] = null;
    this.#free.push(slot);
    target?.onCompletion(token, res, lo, residual, sense, latencyNs);
  }

  /**
   * The thread's pool of registered buffers, shared by every transport on this ring (io_uring
   * takes one registration per ring): created by the first request, whose count and size win.
   */
  bufferPool(count: number, size: number): RegisteredBufferPool {
    this.#pool ??= new RegisteredBufferPool(this.#native.registerBuffers(count, size), size);
    return this.#pool;
  }

  close(waitMs: number): number {
    this.#closed = true;
    if (!this.#native.isOpen) return 0;
    if (this.#retryFlush !== undefined) clearImmediate(this.#retryFlush);
    if (this.#budgetReset !== undefined) clearImmediate(this.#budgetReset);
    this.#pool?.close();
    const left = this.#native.close(waitMs);
    const listeners = [...this.#closeListeners];
    this.#closeListeners.clear();
    for (const l of listeners) l();
    return left;
  }
}

import { RegisteredBufferPool } from './fixed-buffer-pool.js';
import { loadNative, type NativeQueue } from './native.js';

/** Called once per completion: cqe->res, big_cqe[0] split in two, and the sense bytes written. */
export type CompletionHandler = (res: number, infoLo: number, residual: number, sense: Uint8Array) => void;

const EMPTY = new Uint8Array(0);
const EAGAIN = -11;
const EBUSY = -16;
const EINTR = -4;

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
  readonly #handlers: Array<CompletionHandler | undefined>;
  readonly #free: number[];
  /** Called when slots come back, so transports waiting for one can submit. */
  readonly #slotListeners = new Set<() => void>();
  #flushScheduled = false;
  #retryFlush: NodeJS.Immediate | undefined;
  /** Submit immediately instead of once per turn (latency measurements). */
  immediate = false;
  #pool: RegisteredBufferPool | undefined;

  private constructor(entries: number) {
    const addon = loadNative();
    this.entries = entries;
    this.#cdbStride = addon.CDB_STRIDE;
    this.#senseStride = addon.SENSE_STRIDE;
    this.cdbArea = new Uint8Array(entries * this.#cdbStride);
    this.#senseArea = new Uint8Array(entries * this.#senseStride);
    this.#completions = new Uint32Array(entries * 4);
    this.#handlers = new Array<CompletionHandler | undefined>(entries).fill(undefined);
    this.#free = Array.from({ length: entries }, (_, i) => entries - 1 - i);
    this.#native = new addon.Queue(
      entries,
      this.cdbArea,
      this.#senseArea,
      new Uint8Array(this.#completions.buffer),
      (count) => this.#onComplete(count),
    );
  }

  get isOpen(): boolean {
    return this.#native.isOpen;
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

  /**
   * Writes the command into a free slot's SQE (sent at the end of this turn). Returns false when no
   * slot is free. The CDB is copied into the slot's area; `data` stays referenced until the CQE.
   */
  submitCmd(
    fd: number,
    cdb: Uint8Array,
    direction: 0 | 1 | 2,
    data: Uint8Array | null,
    dataLength: number,
    senseLength: number,
    timeoutMs: number,
    bufIndex: number,
    handler: CompletionHandler,
  ): boolean {
    const slot = this.#free.pop();
    if (slot === undefined) return false;
    this.cdbArea.set(cdb, slot * this.#cdbStride);
    const ret = this.#native.submitCmd(
      slot,
      fd,
      cdb.length,
      direction,
      data,
      dataLength,
      senseLength,
      timeoutMs,
      bufIndex,
    );
    return this.#afterSubmit(slot, ret, handler);
  }

  /** The same path with IORING_OP_NOP: what JS + native cost per command without a device. */
  submitNop(handler: CompletionHandler): boolean {
    const slot = this.#free.pop();
    if (slot === undefined) return false;
    return this.#afterSubmit(slot, this.#native.submitNop(slot), handler);
  }

  #afterSubmit(slot: number, ret: number, handler: CompletionHandler): boolean {
    if (ret < 0) {
      // SQ full even after a flush (the kernel did not take any): give the slot back, retry later.
      this.#free.push(slot);
      this.#scheduleRetryFlush();
      return false;
    }
    this.#handlers[slot] = handler;
    if (this.immediate) this.flush();
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
    return true;
  }

  /** Sends everything written since the last flush with one io_uring_enter. */
  flush(): void {
    this.#flushScheduled = false;
    if (!this.#native.isOpen) return;
    const ret = this.#native.flush();
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
    for (let i = 0; i < count; i++) {
      const slot = c[i * 4] as number;
      const res = (c[i * 4 + 1] as number) | 0;
      const lo = c[i * 4 + 2] as number;
      const residual = c[i * 4 + 3] as number;
      const senseLength = lo >>> 24;
      // Copied before the slot is reused: the kernel writes the next command's sense there.
      const off = slot * this.#senseStride;
      const sense = senseLength === 0 ? EMPTY : this.#senseArea.slice(off, off + senseLength);
      const handler = this.#handlers[slot];
      this.#handlers[slot] = undefined;
      this.#free.push(slot);
      handler?.(res, lo, residual, sense);
    }
    if (this.#slotListeners.size > 0) for (const l of [...this.#slotListeners]) l();
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
    if (!this.#native.isOpen) return 0;
    if (this.#retryFlush !== undefined) clearImmediate(this.#retryFlush);
    this.#pool?.close();
    return this.#native.close(waitMs);
  }
}

import { type CompletionTarget, ThreadQueue } from './thread-queue.js';

type Resolve = (res: number) => void;
const TARGET: CompletionTarget<Resolve> = { onCompletion: (resolve, res) => resolve(res) };

/** One batch of `nops(count)`: counts its completions down and settles once, with the failures. */
class NopBatch {
  left: number;
  failed = 0;
  readonly resolve: (failed: number) => void;
  constructor(count: number, resolve: (failed: number) => void) {
    this.left = count;
    this.resolve = resolve;
  }
}
const BATCH_TARGET: CompletionTarget<NopBatch> = {
  onCompletion: (batch, res) => {
    if (res !== 0) batch.failed++;
    if (--batch.left === 0) batch.resolve(batch.failed);
  },
};

/**
 * IORING_OP_NOP through the same slots, batching and completion path as SCSI commands: what the
 * JS + native layers cost per command, measurable on any host (no SCSI needed).
 */
export class NopQueue {
  readonly #queue: ThreadQueue;
  #closed = false;

  constructor(ringEntries = 256) {
    this.#queue = ThreadQueue.acquire(ringEntries);
  }

  /**
   * Resolves with cqe->res (0) when the NOP completes; rejects when no slot is free. `viaWorker`:
   * through an io-wq worker, completing later and from another CPU as a real device's command does
   * (the kernel otherwise completes a NOP during the io_uring_enter that sends it).
   */
  nop(options?: { viaWorker?: boolean }): Promise<number> {
    return new Promise((resolve, reject) => {
      if (this.#closed) return reject(new Error('the NOP queue is closed'));
      if (!this.#queue.submitNop(TARGET, resolve, options?.viaWorker === true)) {
        reject(new Error('no free slot: too many NOPs in flight'));
      }
    });
  }

  /**
   * `count` NOPs staged together and sent with one io_uring_enter, settled with one promise: the
   * batch form of the path (as `Device.executeBatch` is for SCSI commands). Resolves with how many
   * completed with a nonzero result; rejects, with nothing sent, when fewer than `count` slots are free.
   */
  nops(count: number, options?: { viaWorker?: boolean }): Promise<number> {
    if (this.#closed) return Promise.reject(new Error('the NOP queue is closed'));
    if (!Number.isInteger(count) || count < 1) {
      return Promise.reject(new RangeError(`count must be a positive integer, got ${count}`));
    }
    if (count > this.#queue.freeSlots) {
      return Promise.reject(new Error(`no room: ${count} NOPs asked, ${this.#queue.freeSlots} slots free`));
    }
    return new Promise((resolve) => {
      const batch = new NopBatch(count, resolve);
      const viaWorker = options?.viaWorker === true;
      for (let i = 0; i < count; i++) this.#queue.submitNop(BATCH_TARGET, batch, viaWorker);
    });
  }

  get freeSlots(): number {
    return this.#queue.freeSlots;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    ThreadQueue.release(this.#queue, 1000);
  }
}

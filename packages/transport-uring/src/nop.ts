import { type CompletionTarget, ThreadQueue } from './thread-queue.js';

type Resolve = (res: number) => void;
const TARGET: CompletionTarget<Resolve> = { onCompletion: (resolve, res) => resolve(res) };

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

  get freeSlots(): number {
    return this.#queue.freeSlots;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    ThreadQueue.release(this.#queue, 1000);
  }
}

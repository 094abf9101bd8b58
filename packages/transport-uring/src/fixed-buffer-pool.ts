import {
  type FixedBufferLease,
  type FixedBufferPool,
  InvalidCommandError,
  TransportAbortedError,
  TransportClosedError,
} from '@scsikit/transport';

interface Lease extends FixedBufferLease {
  readonly slot: number;
  released: boolean;
}

/**
 * Registered (io_uring fixed) buffers handed to JS as Uint8Arrays over native, page-aligned
 * memory: no copy, no per-command page pinning. Acquire waits (FIFO) while all are leased.
 */
export class RegisteredBufferPool implements FixedBufferPool {
  readonly bufferBytes: number;
  readonly #buffers: Uint8Array[];
  readonly #free: number[];
  readonly #waiters: Array<{ size: number; resolve(l: FixedBufferLease): void; reject(e: Error): void }> = [];
  /** Leases not yet released: a command may only carry one of these. */
  readonly #live = new WeakSet<FixedBufferLease>();
  #closed = false;

  constructor(buffers: ArrayBuffer[], bufferBytes: number) {
    this.bufferBytes = bufferBytes;
    this.#buffers = buffers.map((b) => new Uint8Array(b));
    this.#free = this.#buffers.map((_, i) => i).reverse();
  }

  get available(): number {
    return this.#free.length;
  }

  get size(): number {
    return this.#buffers.length;
  }

  /** True while `lease` came from this pool and has not been released. */
  owns(lease: FixedBufferLease): boolean {
    return this.#live.has(lease);
  }

  acquire(size: number, signal?: AbortSignal): Promise<FixedBufferLease> {
    if (this.#closed) return Promise.reject(new TransportClosedError());
    if (!Number.isInteger(size) || size < 1 || size > this.bufferBytes) {
      return Promise.reject(
        new InvalidCommandError(
          'size',
          `Expected \`size\` to be an integer in [1, ${this.bufferBytes}], got ${size}`,
        ),
      );
    }
    if (signal?.aborted === true) return Promise.reject(new TransportAbortedError(signal.reason));
    const slot = this.#free.pop();
    if (slot !== undefined) return Promise.resolve(this.#lease(slot, size));
    return new Promise((resolve, reject) => {
      const waiter = {
        size,
        resolve: (l: FixedBufferLease) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(l);
        },
        reject: (e: Error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
      const onAbort = () => {
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        reject(new TransportAbortedError(signal?.reason));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  #lease(slot: number, size: number): Lease {
    const pool = this;
    const lease: Lease = {
      slot,
      index: slot,
      buffer: (this.#buffers[slot] as Uint8Array).subarray(0, size),
      released: false,
      release() {
        if (lease.released) throw new Error(`fixed buffer ${slot} released twice`);
        lease.released = true;
        pool.#live.delete(lease);
        pool.#giveBack(slot);
      },
    };
    this.#live.add(lease);
    return lease;
  }

  #giveBack(slot: number): void {
    const next = this.#waiters.shift();
    if (next !== undefined && !this.#closed) next.resolve(this.#lease(slot, next.size));
    else this.#free.push(slot);
  }

  close(): void {
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) w.reject(new TransportClosedError());
  }
}

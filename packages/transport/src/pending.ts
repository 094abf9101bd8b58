import { DEFAULT_TIMEOUT_MS } from './command.js';
import type { ScsiCommand, ScsiResult } from './contract.js';
import { TransportAbortedError, type TransportError, TransportTimeoutError } from './errors.js';

/**
 * One accepted command's promise, settled once by whichever comes first: the kernel's completion,
 * the watchdog, the AbortSignal or `close()`. Settling is not completing: when the watchdog, abort
 * or close wins, the kernel still holds the command and the transport must keep its buffers alive
 * until the real completion arrives (then call `resolve`, which is a no-op by then).
 */
export interface PendingCommand {
  readonly promise: Promise<ScsiResult>;
  readonly settled: boolean;
  /** @returns false when already settled (a late completion after the watchdog, abort or close). */
  resolve(result: ScsiResult): boolean;
  /** @returns false when already settled. */
  reject(error: TransportError): boolean;
}

interface Entry extends PendingCommand {
  readonly deadline: number;
  readonly timeoutMs: number;
  early(error: TransportError): boolean;
}

/**
 * The settle-once bookkeeping every transport needs around its submit path: a watchdog deadline per
 * command (the kernel cannot cancel a bsg uring_cmd, and some failures never complete), the abort
 * listener, and `rejectAll` for `close()`. Holds no buffers: the transport owns those.
 */
export class PendingCommands {
  /** Unsettled commands, so close() can reach every promise it must reject. */
  readonly #open = new Set<Entry>();
  /**
   * One watchdog timer for all commands, armed for the earliest deadline: a timer per command
   * (setTimeout + clearTimeout) costs more than the rest of the submit path.
   */
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;

  /** Promises not yet settled. */
  get size(): number {
    return this.#open.size;
  }

  /**
   * Registers a command that passed `preflight`. Arms the watchdog at `timeoutMs` (ref'd: a pending
   * command keeps the process alive until its deadline) and listens to `signal`.
   * @param onEarlySettle runs when the watchdog, the signal or `rejectAll` settles the promise before
   *   the transport's `resolve`/`reject` — the moment the command becomes an orphan in the kernel.
   */
  track(cmd: ScsiCommand, onEarlySettle?: (error: TransportError) => void): PendingCommand {
    let resolvePromise!: (r: ScsiResult) => void;
    let rejectPromise!: (e: TransportError) => void;
    const promise = new Promise<ScsiResult>((res, rej) => {
      resolvePromise = res;
      rejectPromise = rej;
    });
    const signal = cmd.signal;
    const timeoutMs = cmd.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    let settled = false;
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      if (signal !== undefined) signal.removeEventListener('abort', onAbort);
      this.#open.delete(entry);
      if (this.#open.size === 0) this.#timer?.unref();
      return true;
    };
    const early = (error: TransportError): boolean => {
      if (!finish()) return false;
      rejectPromise(error);
      onEarlySettle?.(error);
      return true;
    };
    const onAbort = (): void => {
      early(new TransportAbortedError(signal?.reason));
    };
    const entry: Entry = {
      promise,
      deadline: performance.now() + timeoutMs,
      timeoutMs,
      get settled() {
        return settled;
      },
      resolve(result) {
        if (!finish()) return false;
        resolvePromise(result);
        return true;
      },
      reject(error) {
        if (!finish()) return false;
        rejectPromise(error);
        return true;
      },
      early,
    };
    this.#open.add(entry);
    if (entry.deadline < this.#timerAt) this.#arm(entry.deadline);
    else if (this.#open.size === 1) this.#timer?.ref();
    if (signal !== undefined) {
      signal.addEventListener('abort', onAbort, { once: true });
      // The signal may have fired between preflight and here (a listener added now would never run).
      if (signal.aborted) onAbort();
    }
    return entry;
  }

  #arm(deadline: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = deadline;
    this.#timer = setTimeout(() => this.#sweep(), Math.max(1, Math.ceil(deadline - performance.now())));
    if (this.#open.size === 0) this.#timer.unref();
  }

  /** Times out every command past its deadline, then re-arms for the earliest left. */
  #sweep(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const e of [...this.#open]) {
      if (e.deadline <= now) e.early(new TransportTimeoutError(e.timeoutMs));
      else if (e.deadline < next) next = e.deadline;
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
  }

  /** Rejects every unsettled promise (for `close()`); `onEarlySettle` runs for each. */
  rejectAll(makeError: () => TransportError): number {
    const all = [...this.#open];
    for (const p of all) p.early(makeError());
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    return all.length;
  }
}

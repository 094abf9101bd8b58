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

/**
 * The settle-once bookkeeping every transport needs around its submit path: a watchdog timer per
 * command (the kernel cannot cancel a bsg uring_cmd, and some failures never complete), the abort
 * listener, and `rejectAll` for `close()`. Holds no buffers: the transport owns those.
 */
export class PendingCommands {
  /** Unsettled commands, so close() can reach every promise it must reject. */
  readonly #open = new Set<PendingCommand>();

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
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      this.#open.delete(entry);
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
    const timer = setTimeout(() => early(new TransportTimeoutError(timeoutMs)), timeoutMs);
    const entry: PendingCommand & { early(e: TransportError): boolean } = {
      promise,
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
    signal?.addEventListener('abort', onAbort, { once: true });
    // The signal may have fired between preflight and here (a listener added now would never run).
    if (signal?.aborted === true) onAbort();
    return entry;
  }

  /** Rejects every unsettled promise (for `close()`); `onEarlySettle` runs for each. */
  rejectAll(makeError: () => TransportError): number {
    const all = [...this.#open] as Array<PendingCommand & { early(e: TransportError): boolean }>;
    for (const p of all) p.early(makeError());
    return all.length;
  }
}

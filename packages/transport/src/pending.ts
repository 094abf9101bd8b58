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

/** One tracked command. A class, not an object literal with closures: this runs per command. */
class Entry implements PendingCommand {
  readonly promise: Promise<ScsiResult>;
  readonly deadline: number;
  readonly timeoutMs: number;
  settled = false;
  #resolve!: (r: ScsiResult) => void;
  #reject!: (e: TransportError) => void;
  readonly #owner: PendingCommands;
  readonly #signal: AbortSignal | undefined;
  readonly #onEarlySettle: ((error: TransportError, entry: PendingCommand) => void) | undefined;
  #onAbort: (() => void) | undefined;
  /** @internal Links of the owner's list of unsettled commands. */
  prev: Entry | undefined;
  /** @internal */
  next: Entry | undefined;

  constructor(
    owner: PendingCommands,
    cmd: ScsiCommand,
    onEarlySettle: ((error: TransportError, entry: PendingCommand) => void) | undefined,
  ) {
    this.promise = new Promise<ScsiResult>((res, rej) => {
      this.#resolve = res;
      this.#reject = rej;
    });
    this.#owner = owner;
    this.timeoutMs = cmd.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.deadline = performance.now() + this.timeoutMs;
    this.#signal = cmd.signal;
    this.#onEarlySettle = onEarlySettle;
  }

  listen(): void {
    const signal = this.#signal;
    if (signal === undefined) return;
    this.#onAbort = () => this.early(new TransportAbortedError(signal.reason));
    signal.addEventListener('abort', this.#onAbort, { once: true });
    // The signal may have fired between preflight and here (a listener added now would never run).
    if (signal.aborted) this.#onAbort();
  }

  #finish(): boolean {
    if (this.settled) return false;
    this.settled = true;
    if (this.#onAbort !== undefined) this.#signal?.removeEventListener('abort', this.#onAbort);
    this.#owner.forget(this);
    return true;
  }

  resolve(result: ScsiResult): boolean {
    if (!this.#finish()) return false;
    this.#resolve(result);
    return true;
  }

  reject(error: TransportError): boolean {
    if (!this.#finish()) return false;
    this.#reject(error);
    return true;
  }

  /** Settles before the transport does (watchdog, abort, close): the command is an orphan now. */
  early(error: TransportError): boolean {
    if (!this.#finish()) return false;
    this.#reject(error);
    this.#onEarlySettle?.(error, this);
    return true;
  }
}

/**
 * The settle-once bookkeeping every transport needs around its submit path: a watchdog deadline per
 * command (the kernel cannot cancel a bsg uring_cmd, and some failures never complete), the abort
 * listener, and `rejectAll` for `close()`. Holds no buffers: the transport owns those.
 */
export class PendingCommands {
  /** Unsettled commands, so close() can reach every promise it must reject. */
  // An intrusive doubly linked list rather than a Set: no hashing on the per-command path.
  #head: Entry | undefined;
  #size = 0;
  /**
   * One watchdog timer for all commands, armed for the earliest deadline: a timer per command
   * (setTimeout + clearTimeout) costs more than the rest of the submit path.
   */
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  readonly #keepAlive: boolean;

  /**
   * @param options.keepAlive whether the watchdog timer holds the event loop open while commands
   *   are pending (default true). A transport whose own handle already does so while the kernel
   *   holds a command (io_uring's poll handle, SG_IO's threadpool work) passes false and saves a
   *   ref/unref pair per command.
   */
  constructor(options: { readonly keepAlive?: boolean } = {}) {
    this.#keepAlive = options.keepAlive !== false;
  }

  /** Promises not yet settled. */
  get size(): number {
    return this.#size;
  }

  /**
   * Registers a command that passed `preflight`. Arms the watchdog at `timeoutMs` (ref'd: a pending
   * command keeps the process alive until its deadline) and listens to `signal`.
   * @param onEarlySettle runs when the watchdog, the signal or `rejectAll` settles the promise before
   *   the transport's `resolve`/`reject` — the moment the command becomes an orphan in the kernel.
   */
  track(
    cmd: ScsiCommand,
    onEarlySettle?: (error: TransportError, entry: PendingCommand) => void,
  ): PendingCommand {
    const entry = new Entry(this, cmd, onEarlySettle);
    entry.next = this.#head;
    if (this.#head !== undefined) this.#head.prev = entry;
    this.#head = entry;
    this.#size++;
    if (entry.deadline < this.#timerAt) this.#arm(entry.deadline);
    else if (this.#size === 1 && this.#keepAlive) this.#timer?.ref();
    entry.listen();
    return entry;
  }

  /** @internal An entry settled: it leaves the set (and the timer stops holding the process). */
  forget(entry: Entry): void {
    if (entry.prev !== undefined) entry.prev.next = entry.next;
    else this.#head = entry.next;
    if (entry.next !== undefined) entry.next.prev = entry.prev;
    entry.prev = undefined;
    entry.next = undefined;
    this.#size--;
    if (this.#size === 0 && this.#keepAlive) this.#timer?.unref();
  }

  #arm(deadline: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = deadline;
    this.#timer = setTimeout(() => this.#sweep(), Math.max(1, Math.ceil(deadline - performance.now())));
    if (this.#size === 0 || !this.#keepAlive) this.#timer.unref();
  }

  /** Times out every command past its deadline, then re-arms for the earliest left. */
  #sweep(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const e of this.#entries()) {
      if (e.deadline <= now) e.early(new TransportTimeoutError(e.timeoutMs));
      else if (e.deadline < next) next = e.deadline;
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
  }

  /** A snapshot of the unsettled commands (settling one unlinks it). */
  #entries(): Entry[] {
    const out: Entry[] = [];
    for (let e = this.#head; e !== undefined; e = e.next) out.push(e);
    return out;
  }

  /** Rejects every unsettled promise (for `close()`); `onEarlySettle` runs for each. */
  rejectAll(makeError: () => TransportError): number {
    const all = this.#entries();
    for (const p of all) p.early(makeError());
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    return all.length;
  }
}

import { closeSync, constants, openSync } from 'node:fs';
import { type BsgCompletion, decodeBsgCompletion } from './completion.js';
import { loadNative, type NativeRing } from './native.js';

export type Direction = 'none' | 'in' | 'out';

const DIRECTION_CODE = { none: 0, in: 1, out: 2 } as const;

/** SPC: sense data is at most 252 bytes; 96 covers every descriptor a disk returns. */
export const DEFAULT_SENSE_BYTES = 96;

export interface SyncCommand {
  readonly cdb: Uint8Array;
  readonly direction: Direction;
  /** Data-in destination or data-out source; its length is the transfer length. */
  readonly data?: Uint8Array;
  /** @default 30000 */
  readonly timeoutMs?: number;
  /** @default 96 */
  readonly senseBytes?: number;
}

export interface SyncResult extends BsgCompletion {
  /** cqe->res: 0, or -errno when the kernel refused the command before issuing it. */
  readonly res: number;
  /** The sense bytes the device wrote (a copy sized to senseLength). */
  readonly sense: Uint8Array;
  readonly latencyNs: number;
}

/**
 * A 128-byte-SQE / 32-byte-CQE io_uring. The synchronous `execute` here is the foundation's
 * end-to-end proof of the kernel interface; the asynchronous transport builds on the same ring.
 */
export class UringRing {
  readonly #native: NativeRing;

  constructor(entries = 64) {
    const addon = loadNative();
    this.#native = new addon.Ring(entries);
  }

  get flags(): number {
    return this.#native.flags;
  }

  get sqEntries(): number {
    return this.#native.sqEntries;
  }

  get isOpen(): boolean {
    return this.#native.isOpen;
  }

  nops(count: number, batch = 1): { completed: number; failed: number; nsec: number } {
    return this.#native.nops(count, batch);
  }

  /** Sends one command through IORING_OP_URING_CMD on an open /dev/bsg fd and waits for it. */
  execute(fd: number, cmd: SyncCommand): SyncResult {
    const sense = new Uint8Array(cmd.senseBytes ?? DEFAULT_SENSE_BYTES);
    if (cmd.direction !== 'none' && (cmd.data === undefined || cmd.data.length === 0)) {
      throw new RangeError(`a "${cmd.direction}" command needs a non-empty data buffer`);
    }
    const r = this.#native.uringCmd(
      fd,
      cmd.cdb,
      DIRECTION_CODE[cmd.direction],
      cmd.direction === 'none' ? null : (cmd.data ?? null),
      sense,
      cmd.timeoutMs ?? 30_000,
    );
    const c = decodeBsgCompletion(r.info);
    return {
      ...c,
      res: r.res,
      sense: sense.slice(0, Math.min(c.senseLength, sense.length)),
      latencyNs: r.nsec,
    };
  }

  close(): void {
    this.#native.close();
  }
}

const BSG_PATH = /^\/dev\/bsg\/\d+:\d+:\d+:\d+$/u;

/** Opens a /dev/bsg/H:C:T:L node (libuv sets O_CLOEXEC); anything else is refused before any open(2). */
export function openBsg(path: string, opts: { write?: boolean } = {}): { fd: number; close(): void } {
  if (!BSG_PATH.test(path)) throw new RangeError(`not a BSG device path: ${JSON.stringify(path)}`);
  const fd = openSync(path, opts.write === true ? constants.O_RDWR : constants.O_RDONLY);
  return { fd, close: () => closeSync(fd) };
}

/**
 * A small in-memory disk behind the transport contract: the test double that proves the conformance
 * suite can pass, and — with `faults` — that it fails. Not the product emulated disk (another
 * package); not exported.
 */
import {
  type FixedBufferLease,
  type FixedBufferPool,
  InvalidCommandError,
  PendingCommands,
  preflight,
  receivedView,
  type ScsiCommand,
  type ScsiResult,
  type Transport,
  TransportAbortedError,
  type TransportCapabilities,
  TransportClosedError,
  type TransportStats,
} from '../src/index.js';

/** Deliberate contract violations, one per check the suite must catch. */
export interface FakeDiskFaults {
  /** close() forgets outstanding promises. */
  readonly closeLeavesPending?: boolean;
  /** `data` is the whole buffer, ignoring the residual. */
  readonly dataIgnoresResidual?: boolean;
  /** timeoutMs is never enforced. */
  readonly noWatchdog?: boolean;
  /** An in-flight abort is ignored. */
  readonly ignoresAbort?: boolean;
  /** A CHECK CONDITION rejects instead of resolving. */
  readonly checkConditionRejects?: boolean;
  /** Commands reach the device unvalidated. */
  readonly skipsValidation?: boolean;
  /** Transport-allocated 'in' buffers are one shared scratch buffer (answers overwrite each other). */
  readonly sharedScratch?: boolean;
}

export interface FakeDiskOptions {
  readonly blocks?: number;
  readonly blockLength?: number;
  readonly fixedBuffers?: boolean;
  readonly faults?: FakeDiskFaults;
}

/** Vendor-specific opcodes the fake understands: never completes / completes after CDB bytes 2–5 ms. */
export const STUCK_OPCODE = 0xc0;
export const SLOW_OPCODE = 0xc1;

export const stuckCommand = (): ScsiCommand => ({
  cdb: new Uint8Array([STUCK_OPCODE, 0, 0, 0, 0, 0]),
  direction: 'none',
});

export function slowCommand(ms: number): ScsiCommand {
  const cdb = new Uint8Array([SLOW_OPCODE, 0, 0, 0, 0, 0]);
  new DataView(cdb.buffer).setUint32(2, ms);
  return { cdb, direction: 'none' };
}

/** Deterministic disk content: every block differs, so a misplaced answer is visible. */
export const blockByte = (lba: number, offset: number) => (lba * 7 + offset * 13 + 1) & 0xff;

interface DeviceAnswer {
  status: number;
  /** Bytes moved into the data-in view. */
  moved: number;
  sense?: readonly [key: number, asc: number, ascq: number];
}

const GOOD: DeviceAnswer = { status: 0, moved: 0 };
const checkCondition = (key: number, asc: number, ascq = 0): DeviceAnswer => ({
  status: 0x02,
  moved: 0,
  sense: [key, asc, ascq],
});

class FakePool implements FixedBufferPool {
  readonly size = 4;
  readonly bufferBytes = 64 * 1024;
  readonly #free: number[] = [0, 1, 2, 3];
  readonly #memory = Array.from({ length: this.size }, () => new Uint8Array(this.bufferBytes));
  readonly #waiters: Array<() => void> = [];
  #closed = false;

  get available(): number {
    return this.#free.length;
  }

  async acquire(size: number, signal?: AbortSignal): Promise<FixedBufferLease> {
    if (!Number.isInteger(size) || size < 1 || size > this.bufferBytes) {
      throw new InvalidCommandError('size', `Expected \`size\` to be an integer in [1, ${this.bufferBytes}]`);
    }
    for (;;) {
      if (this.#closed) throw new TransportClosedError();
      if (signal?.aborted === true) throw new TransportAbortedError(signal.reason);
      const index = this.#free.pop();
      if (index !== undefined) return this.#lease(index, size);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
  }

  #lease(index: number, size: number): FixedBufferLease {
    let released = false;
    return {
      buffer: this.#memory[index]!.subarray(0, size),
      index,
      release: () => {
        if (released) throw new Error(`fixed buffer ${index} released twice`);
        released = true;
        this.#free.push(index);
        this.#waiters.shift()?.();
      },
    };
  }

  close(): void {
    this.#closed = true;
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

export class FakeDiskTransport implements Transport {
  readonly kind = 'emulated';
  readonly capabilities: TransportCapabilities;
  readonly pool?: FixedBufferPool;
  readonly #blocks: number;
  readonly #blockLength: number;
  readonly #faults: FakeDiskFaults;
  readonly #pending = new PendingCommands();
  /** Device-side work not yet completed (timers), including commands whose promise already settled. */
  readonly #inDevice = new Map<object, ReturnType<typeof setTimeout> | undefined>();
  readonly #scratch = new Uint8Array(64 * 1024);
  #closing: Promise<void> | undefined;
  #seq = 0;
  #stats = { submitted: 0, completed: 0, failed: 0 };

  constructor(options: FakeDiskOptions = {}) {
    this.#blocks = options.blocks ?? 2048;
    this.#blockLength = options.blockLength ?? 512;
    this.#faults = options.faults ?? {};
    const fixedBuffers = options.fixedBuffers ?? true;
    this.capabilities = { kind: 'emulated', fixedBuffers, maxTransferBytes: 1024 * 1024, queueDepth: 32 };
    if (fixedBuffers) this.pool = new FakePool();
  }

  get closed(): boolean {
    return this.#closing !== undefined;
  }

  stats(): TransportStats {
    return { ...this.#stats, retried: {}, inFlight: this.#inDevice.size, queued: 0 };
  }

  execute(cmd: ScsiCommand): Promise<ScsiResult> {
    const refused = this.#faults.skipsValidation
      ? this.closed
        ? new TransportClosedError()
        : undefined
      : preflight(cmd, this.capabilities, this.closed);
    if (refused !== undefined) return Promise.reject(refused);

    const tracked: ScsiCommand = {
      ...cmd,
      ...(this.#faults.noWatchdog ? { timeoutMs: 2_147_483_647 } : {}),
      ...(this.#faults.ignoresAbort ? { signal: new AbortController().signal } : {}),
    };
    const pending = this.#pending.track(tracked, () => this.#stats.failed++);
    const buffer = cmd.data ?? cmd.fixedBuffer?.buffer;
    const transfer = cmd.direction === 'none' ? 0 : (cmd.transferLength ?? buffer?.length ?? 0);
    const dataIn =
      cmd.direction !== 'in'
        ? new Uint8Array(0)
        : (buffer ?? (this.#faults.sharedScratch ? this.#scratch : new Uint8Array(transfer))).subarray(
            0,
            transfer,
          );
    const senseBuffer = new Uint8Array(cmd.senseBytes ?? 96);
    const started = process.hrtime.bigint();
    this.#stats.submitted++;

    const key = {};
    const complete = () => {
      this.#inDevice.delete(key);
      const answer = this.#answer(cmd.cdb, dataIn);
      let senseLength = 0;
      if (answer.sense !== undefined) {
        // Fixed-format sense, 18 bytes: response code 0x70, key, ASC/ASCQ at 12/13, additional length 10.
        const fixed = new Uint8Array(18);
        fixed[0] = 0x70;
        fixed[2] = answer.sense[0];
        fixed[7] = 10;
        fixed[12] = answer.sense[1];
        fixed[13] = answer.sense[2];
        senseLength = Math.min(fixed.length, senseBuffer.length);
        senseBuffer.set(fixed.subarray(0, senseLength));
      }
      const residual = dataIn.length - answer.moved;
      const result: ScsiResult = {
        status: answer.status,
        hostStatus: 0,
        driverStatus: senseLength > 0 ? 0x08 : 0,
        sense: senseBuffer.slice(0, senseLength),
        residual,
        data: this.#faults.dataIgnoresResidual ? dataIn : receivedView(dataIn, residual),
        latencyNs: Number(process.hrtime.bigint() - started),
      };
      if (this.#faults.checkConditionRejects && answer.status === 0x02) {
        if (pending.reject(new TransportAbortedError('check condition'))) this.#stats.failed++;
      } else if (pending.resolve(result)) {
        this.#stats.completed++;
      }
    };

    const opcode = cmd.cdb[0];
    if (opcode === STUCK_OPCODE) {
      this.#inDevice.set(key, undefined); // never completes
    } else {
      // Deterministic jitter so concurrent commands complete out of submission order.
      const delay =
        opcode === SLOW_OPCODE
          ? new DataView(cmd.cdb.buffer, cmd.cdb.byteOffset).getUint32(2)
          : this.#seq++ % 3;
      this.#inDevice.set(key, setTimeout(complete, delay));
    }
    return pending.promise;
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (!this.#faults.closeLeavesPending) this.#pending.rejectAll(() => new TransportClosedError());
      (this.pool as FakePool | undefined)?.close();
      // Bounded wait for the device's completions, then drop the rest (a real transport would keep
      // their buffers alive instead of freeing them).
      const deadline = Date.now() + 100;
      while (this.#inDevice.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      for (const timer of this.#inDevice.values()) clearTimeout(timer);
      this.#inDevice.clear();
    })();
    return this.#closing;
  }

  /** The disk itself: INQUIRY, TEST UNIT READY, READ CAPACITY(10), READ(10), READ(16). */
  #answer(cdb: Uint8Array, dataIn: Uint8Array): DeviceAnswer {
    const view = new DataView(cdb.buffer, cdb.byteOffset, cdb.length);
    const put = (bytes: Uint8Array): DeviceAnswer => {
      const moved = Math.min(bytes.length, dataIn.length);
      dataIn.set(bytes.subarray(0, moved));
      return { status: 0, moved };
    };
    switch (cdb[0]) {
      case 0x00:
      case SLOW_OPCODE:
        return GOOD;
      case 0x12: {
        if ((cdb[1]! & 0x01) !== 0) return checkCondition(0x5, 0x24); // EVPD: not emulated
        const response = new Uint8Array(74); // shorter than a 255-byte allocation: a residual
        response[2] = 0x06; // SPC-4
        response[3] = 0x02; // response data format 2
        response[4] = response.length - 5;
        response.set(new TextEncoder().encode('SCSIKIT FAKE DISK       0001'), 8);
        return put(response.subarray(0, view.getUint16(3)));
      }
      case 0x25: {
        const response = new Uint8Array(8);
        new DataView(response.buffer).setUint32(0, this.#blocks - 1);
        new DataView(response.buffer).setUint32(4, this.#blockLength);
        return put(response);
      }
      case 0x28:
        return this.#read(BigInt(view.getUint32(2)), view.getUint16(7), dataIn);
      case 0x88:
        return this.#read(view.getBigUint64(2), view.getUint32(10), dataIn);
      default:
        return checkCondition(0x5, 0x20); // INVALID COMMAND OPERATION CODE
    }
  }

  #read(lba: bigint, blocks: number, dataIn: Uint8Array): DeviceAnswer {
    if (lba + BigInt(blocks) > BigInt(this.#blocks)) return checkCondition(0x5, 0x21);
    const moved = Math.min(blocks * this.#blockLength, dataIn.length);
    for (let i = 0; i < moved; i++) {
      dataIn[i] = blockByte(Number(lba) + Math.floor(i / this.#blockLength), i % this.#blockLength);
    }
    return { status: 0, moved };
  }
}

/**
 * Every command the emulated device received, in arrival order, across all connections: what a
 * test asserts on ("my code sent SYNCHRONIZE CACHE after the last WRITE"). Commands refused before
 * reaching the device (invalid, closed, already aborted) are not recorded.
 */
import { cdbServiceAction, commandName, type DecodedCdb, decodeCdb } from '@scsikit/cdb';
import type { DataDirection } from '@scsikit/transport';

/** How a recorded command ended. */
export type RecordedOutcome =
  | {
      readonly kind: 'completed';
      readonly status: number;
      readonly hostStatus: number;
      /** Sense key, ASC, ASCQ when the device returned sense. */
      readonly sense?: { readonly key: number; readonly asc: number; readonly ascq: number };
    }
  /** The promise was settled first by the watchdog, an abort or close(); the device may still have run it. */
  | { readonly kind: 'abandoned'; readonly reason: 'timeout' | 'aborted' | 'closed' }
  /** The device was removed (DeviceGoneError) or dropped it while queued. */
  | { readonly kind: 'gone' };

export interface RecordedCommand {
  /** Arrival order, from 1. */
  readonly seq: number;
  /** Connection (initiator): 0 for the EmulatedDisk itself. */
  readonly connection: number;
  /** A copy of the CDB as sent. */
  readonly cdb: Uint8Array;
  readonly opcode: number;
  readonly serviceAction?: number;
  /** From cdb's `commandName`, e.g. 'READ(16)', 'PERSISTENT RESERVE OUT (REGISTER)'. */
  readonly name: string;
  readonly direction: DataDirection;
  /** Bytes the command moves (data-out given, or data-in room). */
  readonly transferLength: number;
  /** Id of the fault rule that fired on it. */
  readonly faultId?: number;
  /** Absent while the command is in the device. */
  readonly outcome?: RecordedOutcome;
  /** cdb's full decode (fields named as T10 names them); undefined when the CDB cannot be decoded. */
  readonly decoded: DecodedCdb | undefined;
}

type Entry = { -readonly [K in keyof RecordedCommand]: RecordedCommand[K] };

export class CommandRecorder {
  readonly #entries: Entry[] = [];
  #seq = 0;

  constructor(
    /** Ring size; the oldest entries go first. 0 records nothing. */
    readonly limit: number,
    readonly peripheralType: number,
  ) {}

  /** Recorded commands, oldest first (a snapshot). */
  get entries(): readonly RecordedCommand[] {
    return [...this.#entries];
  }

  get size(): number {
    return this.#entries.length;
  }

  /** Names of the recorded commands in order, e.g. `['INQUIRY', 'READ CAPACITY(10)', 'READ(10)']`. */
  commands(filter?: { readonly connection?: number }): string[] {
    return this.#entries
      .filter((e) => filter?.connection === undefined || e.connection === filter.connection)
      .map((e) => e.name);
  }

  /** The most recent entry. */
  last(): RecordedCommand | undefined {
    return this.#entries[this.#entries.length - 1];
  }

  clear(): void {
    this.#entries.length = 0;
  }

  /** @internal Records a command arriving at the device; returns the live entry (or undefined when off). */
  record(
    connection: number,
    cdb: Uint8Array,
    direction: DataDirection,
    transferLength: number,
  ): Entry | undefined {
    this.#seq++;
    if (this.limit === 0) return undefined;
    const copy = cdb.slice();
    const opcode = copy[0] ?? 0;
    let serviceAction: number | undefined;
    try {
      serviceAction = cdbServiceAction(copy, this.peripheralType);
    } catch {
      serviceAction = undefined;
    }
    const pdt = this.peripheralType;
    let decoded: DecodedCdb | undefined | null = null;
    const entry: Entry = {
      seq: this.#seq,
      connection,
      cdb: copy,
      opcode,
      ...(serviceAction === undefined ? {} : { serviceAction }),
      name: commandName(copy, pdt),
      direction,
      transferLength,
      // Decoded lazily: most tests never look, and the recorder sits on the hot path.
      get decoded(): DecodedCdb | undefined {
        if (decoded === null) {
          try {
            decoded = decodeCdb(copy, pdt);
          } catch {
            decoded = undefined;
          }
        }
        return decoded;
      },
    };
    this.#entries.push(entry);
    if (this.#entries.length > this.limit) this.#entries.shift();
    return entry;
  }
}

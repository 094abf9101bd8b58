/** Which way data moves for a command, seen from the initiator. */
export type DataDirection = 'none' | 'in' | 'out';

/**
 * What every builder returns: the CDB bytes plus everything a transport needs to send it,
 * so no transport ever has to know which command it carries.
 */
export interface CdbSpec {
  /** The command descriptor block, 6 to 32 bytes (260 for variable-length commands). */
  readonly cdb: Uint8Array;
  readonly direction: DataDirection;
  /** Bytes expected to move in `direction` (0 when direction is 'none'). */
  readonly transferLength: number;
  /** T10 name of the command, e.g. "READ(16)". */
  readonly name: string;
}

/**
 * How much of an answer the allocation length let through, for answers a short allocation length
 * cuts. Core's readDecoded sends the command again with `requiredLength` when `truncated`.
 */
export interface Truncation {
  /** The device had more than was returned. */
  readonly truncated: boolean;
  /** Bytes of the whole answer: the allocation length that returns all of it. */
  readonly requiredLength: number;
  /** Bytes decoded (never more than requiredLength). */
  readonly availableLength: number;
}

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

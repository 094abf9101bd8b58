import type { ScsiCommand, TransportCapabilities } from './contract.js';
import {
  InvalidCommandError,
  TransportAbortedError,
  TransportClosedError,
  type TransportError,
} from './errors.js';

/** `ScsiResult.driverStatus` when the sense buffer holds valid sense data (Linux DRIVER_SENSE). */
export const DRIVER_SENSE = 0x08;
/** @see ScsiCommand.timeoutMs */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** setTimeout's ceiling: a larger delay would fire at once. */
export const MAX_TIMEOUT_MS = 2_147_483_647;
/** @see ScsiCommand.senseBytes */
export const DEFAULT_SENSE_BYTES = 96;
/** SPC: sense data is at most 252 bytes. */
export const MAX_SENSE_BYTES = 252;
/** The shortest CDB (6-byte group 0 commands). */
export const MIN_CDB_LENGTH = 6;
/** The kernel's BSG limit (request_len > 32 → -EINVAL). */
export const MAX_CDB_LENGTH = 32;

const DIRECTIONS: ReadonlySet<unknown> = new Set(['none', 'in', 'out']);
const PRIORITIES: ReadonlySet<unknown> = new Set(['high', 'normal', 'low']);

function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `a Uint8Array of ${value.length} bytes`;
  return `\`${String(value)}\` (${typeof value})`;
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * The checks every transport runs first, before anything reaches the kernel — the kernel answers
 * some of these mistakes with a bare -EINVAL, and one (an invalid data pointer) with a silent GOOD.
 * Cheap by design: it runs on every command. Throws {@link InvalidCommandError} naming the field.
 * @returns the transfer length in bytes (0 for `none`).
 */
export function validateCommand(cmd: ScsiCommand, capabilities: TransportCapabilities): number {
  const { cdb, direction, data, fixedBuffer, transferLength } = cmd;
  if (!(cdb instanceof Uint8Array) || cdb.length < MIN_CDB_LENGTH || cdb.length > MAX_CDB_LENGTH) {
    throw new InvalidCommandError(
      'cdb',
      `Expected \`cdb\` to be a Uint8Array of ${MIN_CDB_LENGTH} to ${MAX_CDB_LENGTH} bytes, got ${describe(cdb)}`,
    );
  }
  if (!DIRECTIONS.has(direction)) {
    throw new InvalidCommandError(
      'direction',
      `Expected \`direction\` to be 'none', 'in' or 'out', got ${describe(direction)}`,
    );
  }
  if (data !== undefined && !(data instanceof Uint8Array)) {
    throw new InvalidCommandError('data', `Expected \`data\` to be a Uint8Array, got ${describe(data)}`);
  }
  if (fixedBuffer !== undefined) {
    if (data !== undefined) {
      throw new InvalidCommandError(
        'fixedBuffer',
        '`fixedBuffer` and `data` are mutually exclusive: pass one',
      );
    }
    if (!capabilities.fixedBuffers) {
      throw new InvalidCommandError(
        'fixedBuffer',
        `\`fixedBuffer\` given, but this ${capabilities.kind} transport has no fixed buffers`,
      );
    }
    if (!(fixedBuffer.buffer instanceof Uint8Array)) {
      throw new InvalidCommandError('fixedBuffer', 'Expected `fixedBuffer.buffer` to be a Uint8Array');
    }
  }
  const buffer = data ?? fixedBuffer?.buffer;
  const bufferField = data !== undefined ? 'data' : 'fixedBuffer';
  if (direction === 'none' && (buffer !== undefined || transferLength !== undefined)) {
    const field = buffer !== undefined ? bufferField : 'transferLength';
    throw new InvalidCommandError(field, `\`${field}\` given with direction 'none': no data moves`);
  }
  if (direction === 'out' && buffer === undefined) {
    throw new InvalidCommandError('data', "Expected `data` (the source) with direction 'out'");
  }
  if (direction === 'in' && buffer === undefined && transferLength === undefined) {
    throw new InvalidCommandError(
      'transferLength',
      "Expected `data`, `fixedBuffer` or `transferLength` with direction 'in'",
    );
  }
  const max = capabilities.maxTransferBytes;
  if (transferLength !== undefined) {
    const limit = buffer === undefined ? max : Math.min(max, buffer.length);
    if (!isIntegerIn(transferLength, 0, limit)) {
      const bound =
        buffer !== undefined && buffer.length < max ? `the ${bufferField} length` : 'maxTransferBytes';
      throw new InvalidCommandError(
        'transferLength',
        `Expected \`transferLength\` to be an integer in [0, ${limit}] (${bound}), got ${describe(transferLength)}`,
      );
    }
  } else if (buffer !== undefined && buffer.length > max) {
    throw new InvalidCommandError(
      bufferField,
      `\`${bufferField}\` is ${buffer.length} bytes, above maxTransferBytes (${max})`,
    );
  }
  if (cmd.timeoutMs !== undefined && !isIntegerIn(cmd.timeoutMs, 1, MAX_TIMEOUT_MS)) {
    throw new InvalidCommandError(
      'timeoutMs',
      `Expected \`timeoutMs\` to be an integer in [1, ${MAX_TIMEOUT_MS}], got ${describe(cmd.timeoutMs)}`,
    );
  }
  if (cmd.senseBytes !== undefined && !isIntegerIn(cmd.senseBytes, 1, MAX_SENSE_BYTES)) {
    throw new InvalidCommandError(
      'senseBytes',
      `Expected \`senseBytes\` to be an integer in [1, ${MAX_SENSE_BYTES}], got ${describe(cmd.senseBytes)}`,
    );
  }
  if (cmd.priority !== undefined && !PRIORITIES.has(cmd.priority)) {
    throw new InvalidCommandError(
      'priority',
      `Expected \`priority\` to be 'high', 'normal' or 'low', got ${describe(cmd.priority)}`,
    );
  }
  if (direction === 'none') return 0;
  return transferLength ?? buffer?.length ?? 0;
}

/**
 * Everything `execute` must refuse before submitting, in the order callers expect: closed first
 * (nothing works any more), then an invalid command (a programming error must surface even when the
 * signal already fired), then an already-aborted signal. Returns the error instead of throwing so an
 * `execute` can `return Promise.reject(err)` and keep its never-throws-synchronously promise.
 */
export function preflight(
  cmd: ScsiCommand,
  capabilities: TransportCapabilities,
  closed: boolean,
): TransportError | undefined {
  if (closed) return new TransportClosedError();
  try {
    validateCommand(cmd, capabilities);
  } catch (e) {
    if (e instanceof InvalidCommandError) return e;
    throw e;
  }
  if (cmd.signal?.aborted === true) return new TransportAbortedError(cmd.signal.reason);
  return undefined;
}

/**
 * The bytes actually received: a view (no copy) of the first `length − residual` bytes, or `data`
 * itself when the residual is 0. A residual out of range (negative, or larger than the buffer — a misbehaving device) is clamped.
 */
export function receivedView(data: Uint8Array, residual: number): Uint8Array {
  // All of it arrived (the common case): `data` itself, no new view on the per-command path.
  if (residual === 0) return data;
  const r = Number.isFinite(residual) ? Math.min(Math.max(0, Math.trunc(residual)), data.length) : 0;
  return data.subarray(0, data.length - r);
}

/**
 * @scsikit/transport: the contract every scsikit transport implements, its errors and the shared
 * pre-submit checks. The conformance suite lives at `@scsikit/transport/conformance` (it imports
 * vitest, which production code must never load).
 *
 * @module @scsikit/transport
 */
export {
  DEFAULT_SENSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  DRIVER_SENSE,
  MAX_CDB_LENGTH,
  MAX_SENSE_BYTES,
  MAX_TIMEOUT_MS,
  MIN_CDB_LENGTH,
  preflight,
  receivedView,
  validateCommand,
} from './command.js';
export type {
  CommandPriority,
  DataDirection,
  FixedBufferLease,
  FixedBufferPool,
  ScsiCommand,
  ScsiResult,
  Transport,
  TransportCapabilities,
  TransportKind,
  TransportStats,
} from './contract.js';
export {
  DeviceGoneError,
  errnoError,
  InvalidCommandError,
  isBranded,
  NativeUnavailableError,
  OutcomeUnknownError,
  SyscallError,
  TransportAbortedError,
  TransportClosedError,
  TransportError,
  type TransportErrorCode,
  TransportErrorCodes,
  type TransportErrorOptions,
  TransportTimeoutError,
} from './errors.js';
export { type PendingCommand, PendingCommands } from './pending.js';
export { STARVATION_LIMIT, WaitingRoom } from './waiting-room.js';

/**
 * @scsikit/core: open SCSI devices and drive them with typed commands — read-only guard, retries,
 * typed errors with decoded sense, sysfs discovery, diagnostics_channel events.
 *
 * @module @scsikit/core
 */

export { type BatchCommand, type BatchOptions, type BatchOutcome, MAX_BATCH } from './batch.js';
export type { Capacity } from './caches.js';
export { type CommandAccess, type CommandClass, classifyCommand } from './command-class.js';
// Disk health (issue #21).
export type { SmartReturnStatus } from './commands/ata.js';
export { AtaCommands } from './commands/ata.js';
export {
  ChangerCommands,
  type ElementStatus,
  type ElementStatusOptions,
  type InitializeOptions,
  type MoveOptions,
} from './commands/changer.js';
export {
  EnclosureCommands,
  type EnclosureElement,
  type EnclosureStatus,
  type SlotSelector,
} from './commands/enclosure.js';
export {
  type FormatUnitOptions,
  LongOperation,
  type LongOperationOptions,
  type SanitizeOptions,
} from './commands/long-ops.js';
export { PersistentReservations } from './commands/pr.js';
export {
  type LoadUnloadOptions,
  type LocateOptions,
  type SpaceOptions,
  type SpaceResult,
  TapeCommands,
  type TapeMode,
  type TapeReadOptions,
  type TapeReadResult,
  type TapeSenseFlags,
  type TapeStatus,
  type TapeWriteOptions,
  type TapeWriteResult,
  tapeCondition,
} from './commands/tape.js';
export { type ReportZonesOptions, ZonedCommands, type ZoneSelector } from './commands/zoned.js';
export { Device } from './device.js';
export {
  CHANNELS,
  type CommandCompleteMessage,
  type CommandErrorMessage,
  type CommandRetryMessage,
  type CommandStartMessage,
  type DeviceStats,
  type LatencySummary,
  type TransportFallbackMessage,
} from './diagnostics.js';
export {
  compareHctl,
  type DeviceTransportInfo,
  type DiscoveryOptions,
  listDevices,
  readDeviceInfo,
  type ScsiDeviceInfo,
} from './discovery.js';
export {
  AbortError,
  CheckConditionError,
  ClosedError,
  DeviceGoneError,
  HostError,
  InvalidArgumentError,
  mapTransportError,
  PermissionError,
  type ResultSummary,
  ScsiError,
  type ScsiErrorCode,
  ScsiErrorCodes,
  type ScsiErrorOptions,
  ScsiStatusError,
  TimeoutError,
  TransportFailureError,
} from './errors.js';
export { Fence, type FenceOptions, type FenceStatus } from './fence.js';
export type {
  ActivateMicrocodeResult,
  DownloadMicrocodeOptions,
  MicrocodeActivationEvents,
  MicrocodeDownloadResult,
  MicrocodeLimits,
  MicrocodeMode,
  MicrocodeRefusal,
  MicrocodeUnitAttention,
} from './firmware.js';
export type { CommandOptions, ExecuteOptions } from './funnel.js';
export type {
  BackgroundScanReason,
  HealthOptions,
  HealthReason,
  HealthReport,
  HealthSource,
  HealthSourceOutcome,
  HealthVerdict,
  InformationalExceptionReason,
  SelfTestReason,
  SmartAttributeReason,
  SmartChecksumReason,
  SmartThresholdExceededReason,
} from './health.js';
export { openDevice } from './open.js';
export {
  type OpenOptions,
  OpenOptionsSchema,
  type ResolvedOpenOptions,
  resolveOpenOptions,
  type TransportChoice,
} from './options.js';
export { type DeviceTarget, resolveTarget } from './resolve.js';
export {
  DEFAULT_RETRY_ON,
  DEFAULT_RETRY_POLICY,
  matchRetry,
  type RetryCondition,
  type RetryPolicy,
} from './retry.js';
export type {
  ReadCapacityOptions,
  ReadOptions,
  SynchronizeCacheOptions,
  WriteOptions,
  WriteSameOptions,
} from './sbc.js';
export type { SecurityProtocolInOptions } from './security.js';
export type { CachingPageState, ModeSenseOptions } from './spc.js';

/**
 * @scsikit/emulated-disk: an in-process SCSI disk behind the scsikit transport contract — the mock
 * users test their own code against (SBC, ZBC, persistent reservations, fault injection, a recorder).
 *
 * @module @scsikit/emulated-disk
 */
export type {
  CommandContext,
  DeviceAnswer,
} from './commands.js';
export {
  type CapacityOption,
  type EmulatedDiskOptions,
  EmulatedDiskOptionsError,
  EmulatedDiskOptionsSchema,
  type LatencyOption,
  type ResolvedOptions,
  resolveOptions,
  type ThinProvisioningOption,
  type ZonedOption,
} from './disk-model.js';
export {
  EmulatedChanger,
  type EmulatedChangerOptions,
  EmulatedChangerOptionsSchema,
} from './emulated-changer.js';
export { type DevicePersonality, EmulatedDisk, EmulatedDiskConnection } from './emulated-disk.js';
export {
  EmulatedEnclosure,
  type EmulatedEnclosureOptions,
  EmulatedEnclosureOptionsSchema,
} from './emulated-enclosure.js';
export { EmulatedTape, type EmulatedTapeOptions, EmulatedTapeOptionsSchema } from './emulated-tape.js';
export {
  type CustomFaultEffect,
  type FaultEffect,
  FaultInjector,
  type FaultRule,
  type FaultRuleInput,
} from './faults.js';
export type { MicrocodeOption, ResolvedMicrocode } from './firmware-handlers.js';
// Disk health (issue #21).
export {
  DiskHealth,
  type EmulatedBackgroundScanError,
  type EmulatedSmartAttribute,
} from './health-handlers.js';
export { initiatorSasAddress, PrType } from './pr-handlers.js';
export { CommandRecorder, type RecordedCommand, type RecordedOutcome } from './recorder.js';
export type { ResolvedSecurityProtocols, SecurityProtocolsOption } from './security-handlers.js';
export type { AtaRegisterValues } from './sense.js';
export { buildSense, type FieldPointer, type SenseSpec } from './sense.js';
export { type EnclosureElementState, EnclosureModel, type EnclosureTypeState } from './ses-handlers.js';
export { type ChangerElement, type ChangerLayout, ChangerModel, ElementType } from './smc-handlers.js';
export { ZoneCondition } from './zbc-handlers.js';

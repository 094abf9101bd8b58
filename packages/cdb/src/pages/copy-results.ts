/**
 * RECEIVE COPY RESULTS parameter data for the LID1 EXTENDED COPY model (SPC-4, as
 * sg_copy_results decodes it): COPY STATUS (SA 00h), RECEIVE DATA (01h), OPERATING PARAMETERS (03h)
 * and FAILED SEGMENT DETAILS (04h).
 */
import { ByteReader, type ByteSource } from '../bytes.js';

interface Completeness {
  /** AVAILABLE DATA says more than was returned; re-issue with `requiredLength`. */
  readonly truncated: boolean;
  readonly requiredLength: number;
  readonly availableLength: number;
}

/** COPY MANAGER STATUS names (SPC-4 "COPY MANAGER STATUS field"). */
export const COPY_MANAGER_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'operation in progress',
  1: 'operation completed without errors',
  2: 'operation completed with errors',
};

/** COPY STATUS (LID1) parameter data (12 bytes). */
export interface CopyStatusLid1 extends Completeness {
  /** AVAILABLE DATA: 8. */
  readonly availableData: number;
  /** HDD: held data was discarded. */
  readonly hdd: boolean;
  readonly copyManagerStatus: number;
  readonly copyManagerStatusName: string;
  readonly segmentsProcessed: number;
  /** TRANSFER COUNT UNITS: the transfer count is in units of 2^(10·n) bytes (n = 0-6). */
  readonly transferCountUnits: number;
  readonly transferCount: number;
  /** transferCount × 2^(10·units), absent for reserved units. */
  readonly transferCountBytes?: bigint;
}

/** Decodes COPY STATUS (LID1) data; needs all 12 bytes. */
export function decodeCopyStatusLid1(source: ByteSource): CopyStatusLid1 {
  const r = new ByteReader(source);
  const availableData = r.u32(0, 'availableData');
  const b4 = r.u8(4, 'copyManagerStatus');
  const units = r.u8(7, 'transferCountUnits');
  const transferCount = r.u32(8, 'transferCount');
  const required = 4 + availableData;
  const status = b4 & 0x7f;
  const base = {
    availableData,
    hdd: (b4 & 0x80) !== 0,
    copyManagerStatus: status,
    copyManagerStatusName: COPY_MANAGER_STATUS_NAMES[status] ?? 'reserved',
    segmentsProcessed: r.u16(5, 'segmentsProcessed'),
    transferCountUnits: units,
    transferCount,
    truncated: r.length < required,
    requiredLength: required,
    availableLength: Math.min(r.length, required),
  };
  return units <= 6 ? { ...base, transferCountBytes: BigInt(transferCount) << BigInt(10 * units) } : base;
}

/** RECEIVE DATA (LID1): held data of the last copy. */
export interface ReceiveCopyDataLid1 extends Completeness {
  readonly availableData: number;
  /** HELD DATA bytes present. */
  readonly heldData: Uint8Array;
}

export function decodeReceiveCopyDataLid1(source: ByteSource): ReceiveCopyDataLid1 {
  const r = new ByteReader(source);
  const availableData = r.u32(0, 'availableData');
  const required = 4 + availableData;
  const end = Math.min(required, r.length);
  return {
    availableData,
    heldData: r.slice(4, end - 4, 'heldData'),
    truncated: r.length < required,
    requiredLength: required,
    availableLength: end,
  };
}

/** OPERATING PARAMETERS data (SPC-4 "Response format for OPERATING PARAMETERS"). */
export interface CopyOperatingParameters extends Completeness {
  readonly availableData: number;
  /** SNLID: supports the NO LIST ID bit. */
  readonly snlid: boolean;
  /** MAXIMUM CSCD DESCRIPTOR COUNT (formerly maximum target descriptor count). */
  readonly maximumCscdDescriptorCount: number;
  readonly maximumSegmentDescriptorCount: number;
  readonly maximumDescriptorListLength: number;
  readonly maximumSegmentLength: number;
  /** MAXIMUM INLINE DATA LENGTH; 0 = inline data not supported. */
  readonly maximumInlineDataLength: number;
  readonly heldDataLimit: number;
  readonly maximumStreamDeviceTransferSize: number;
  readonly totalConcurrentCopies: number;
  readonly maximumConcurrentCopies: number;
  /** DATA SEGMENT GRANULARITY as log2 bytes. */
  readonly dataSegmentGranularity: number;
  /** INLINE DATA GRANULARITY as log2 bytes. */
  readonly inlineDataGranularity: number;
  /** HELD DATA GRANULARITY as log2 bytes. */
  readonly heldDataGranularity: number;
  readonly implementedDescriptorListLength: number;
  /** Segment (00h-BFh) and CSCD (E0h-FFh) descriptor type codes the copy manager implements. */
  readonly implementedDescriptorTypeCodes: readonly number[];
}

/** Decodes OPERATING PARAMETERS data; needs bytes 0-43 (the fixed part). */
export function decodeCopyOperatingParameters(source: ByteSource): CopyOperatingParameters {
  const r = new ByteReader(source);
  const availableData = r.u32(0, 'availableData');
  r.need(0, 44, 'operatingParameters');
  const listLength = r.u8(43, 'implementedDescriptorListLength');
  const required = Math.max(4 + availableData, 44 + listLength);
  const listEnd = Math.min(44 + listLength, r.length);
  return {
    availableData,
    snlid: r.bit(4, 0, 'snlid'),
    maximumCscdDescriptorCount: r.u16(8, 'maximumCscdDescriptorCount'),
    maximumSegmentDescriptorCount: r.u16(10, 'maximumSegmentDescriptorCount'),
    maximumDescriptorListLength: r.u32(12, 'maximumDescriptorListLength'),
    maximumSegmentLength: r.u32(16, 'maximumSegmentLength'),
    maximumInlineDataLength: r.u32(20, 'maximumInlineDataLength'),
    heldDataLimit: r.u32(24, 'heldDataLimit'),
    maximumStreamDeviceTransferSize: r.u32(28, 'maximumStreamDeviceTransferSize'),
    totalConcurrentCopies: r.u16(34, 'totalConcurrentCopies'),
    maximumConcurrentCopies: r.u8(36, 'maximumConcurrentCopies'),
    dataSegmentGranularity: r.u8(37, 'dataSegmentGranularity'),
    inlineDataGranularity: r.u8(38, 'inlineDataGranularity'),
    heldDataGranularity: r.u8(39, 'heldDataGranularity'),
    implementedDescriptorListLength: listLength,
    implementedDescriptorTypeCodes: [...r.bytes.subarray(44, listEnd)],
    truncated: r.length < required,
    requiredLength: required,
    availableLength: Math.min(r.length, required),
  };
}

/** FAILED SEGMENT DETAILS (LID1) data. */
export interface FailedSegmentDetailsLid1 extends Completeness {
  readonly availableData: number;
  /** AVAILABLE DATA ≥ 56: failure details exist (0 means the copy did not fail). */
  readonly hasDetails: boolean;
  /** EXTENDED COPY COMMAND STATUS: the SCSI status of the failed EXTENDED COPY. */
  readonly extendedCopyCommandStatus?: number;
  readonly senseDataLength?: number;
  /** SENSE DATA as returned (decode with the sense decoder). */
  readonly senseData?: Uint8Array;
}

export function decodeFailedSegmentDetailsLid1(source: ByteSource): FailedSegmentDetailsLid1 {
  const r = new ByteReader(source);
  const availableData = r.u32(0, 'availableData');
  const required = 4 + availableData;
  const base = {
    availableData,
    hasDetails: availableData >= 56,
    truncated: r.length < required,
    requiredLength: required,
    availableLength: Math.min(r.length, required),
  };
  if (availableData < 56 || !r.has(56, 4)) return base;
  const senseDataLength = r.u16(58, 'senseDataLength');
  const end = Math.min(r.length, required, 60 + senseDataLength);
  return {
    ...base,
    extendedCopyCommandStatus: r.u8(56, 'extendedCopyCommandStatus'),
    senseDataLength,
    senseData: r.slice(60, Math.max(0, end - 60), 'senseData'),
  };
}

/**
 * GET LBA STATUS(16/32) parameter data (SBC-5, as sg_get_lba_status decodes it): header with
 * completion condition and RTP, 16-byte LBA status descriptors.
 */
import { ByteReader, type ByteSource } from '../bytes.js';
import { DecodeError } from '../errors.js';
import type { Truncation } from '../types.js';

/** PROVISIONING STATUS names (SBC-5 "PROVISIONING STATUS field"). 0 predates SBC-4r12's split into 3 and 4. */
export const PROVISIONING_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'mapped or unknown',
  1: 'deallocated',
  2: 'anchored',
  3: 'mapped',
  4: 'unknown',
};

/** COMPLETION CONDITION names (SBC-5 header byte 7 bits 3-1). */
export const COMPLETION_CONDITION_NAMES: Readonly<Record<number, string>> = {
  0: 'no indication',
  1: 'allocation length reached',
  2: 'scan length reached',
  3: 'capacity of the medium reached',
};

export interface LbaStatusDescriptor {
  /** LBA STATUS LOGICAL BLOCK ADDRESS: first LBA of the extent. */
  readonly lbaStatusLogicalBlockAddress: bigint;
  /** NUMBER OF LOGICAL BLOCKS in the extent. */
  readonly numberOfLogicalBlocks: number;
  readonly provisioningStatus: number;
  /** 'mapped' | 'deallocated' | 'anchored' | 'mapped or unknown' | 'unknown' | 'reserved'. */
  readonly provisioningStatusName: string;
  /** LBA ACCESSIBILITY (SBC-5, bits 6-4 of byte 12): 0 not reported, 1 inaccessible, 2 read-only. */
  readonly lbaAccessibility: number;
  /** ADDITIONAL STATUS byte: 1 = the extent may contain unrecovered errors. */
  readonly additionalStatus: number;
  readonly mayContainUnrecoveredErrors: boolean;
}

export interface GetLbaStatusData extends Truncation {
  /** PARAMETER DATA LENGTH: bytes after byte 3 the device has. */
  readonly parameterDataLength: number;
  readonly completionCondition: number;
  readonly completionConditionName: string;
  /** RTP: the descriptors honour the REPORT TYPE field of the CDB. */
  readonly rtp: boolean;
  /** Descriptors wholly present in the returned bytes. */
  readonly descriptors: readonly LbaStatusDescriptor[];
}

/**
 * Decodes GET LBA STATUS parameter data. Needs the 8-byte header; PARAMETER DATA LENGTH must be
 * 4 + 16·n (the field counts from byte 4 since SBC-3r25).
 */
export function decodeGetLbaStatus(source: ByteSource): GetLbaStatusData {
  const r = new ByteReader(source);
  const parameterDataLength = r.u32(0, 'parameterDataLength');
  const b7 = r.u8(7, 'completionCondition');
  if (parameterDataLength < 4 || (parameterDataLength - 4) % 16 !== 0) {
    throw new DecodeError('parameterDataLength', `must be 4 + 16n, got ${parameterDataLength}`, 0);
  }
  const required = parameterDataLength + 4;
  const end = Math.min(required, r.length);
  const descriptors: LbaStatusDescriptor[] = [];
  for (let off = 8; off + 16 <= end; off += 16) {
    const provisioningStatus = r.bits(off + 12, 0, 4, 'provisioningStatus');
    const additionalStatus = r.u8(off + 13, 'additionalStatus');
    descriptors.push({
      lbaStatusLogicalBlockAddress: r.u64(off, 'lbaStatusLogicalBlockAddress'),
      numberOfLogicalBlocks: r.u32(off + 8, 'numberOfLogicalBlocks'),
      provisioningStatus,
      provisioningStatusName: PROVISIONING_STATUS_NAMES[provisioningStatus] ?? 'reserved',
      lbaAccessibility: r.bits(off + 12, 4, 3, 'lbaAccessibility'),
      additionalStatus,
      mayContainUnrecoveredErrors: additionalStatus === 1,
    });
  }
  const completionCondition = (b7 >> 1) & 7;
  return {
    parameterDataLength,
    completionCondition,
    completionConditionName: COMPLETION_CONDITION_NAMES[completionCondition] ?? 'reserved',
    rtp: (b7 & 1) !== 0,
    descriptors,
    truncated: r.length < required,
    requiredLength: required,
    availableLength: end,
  };
}

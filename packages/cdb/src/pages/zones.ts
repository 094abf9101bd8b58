/**
 * REPORT ZONES parameter data (ZBC-2, as sg_rep_zones decodes it): 64-byte header and 64-byte
 * zone descriptors.
 */
import { ByteReader, type ByteSource } from '../bytes.js';
import { DecodeError } from '../errors.js';

/** ZONE TYPE names (ZBC-2 "ZONE TYPE field"). */
export const ZONE_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'conventional',
  2: 'sequential write required',
  3: 'sequential write preferred',
  4: 'sequential or before required',
  5: 'gap',
};

/** ZONE CONDITION names (ZBC-2 "ZONE CONDITION field"). */
export const ZONE_CONDITION_NAMES: Readonly<Record<number, string>> = {
  0: 'not write pointer',
  1: 'empty',
  2: 'implicitly open',
  3: 'explicitly open',
  4: 'closed',
  5: 'inactive',
  13: 'read only',
  14: 'full',
  15: 'offline',
};

/** SAME field names (ZBC-2 "SAME field"). */
export const ZONE_SAME_NAMES: Readonly<Record<number, string>> = {
  0: 'zone type and length may differ',
  1: 'all zones have the same type and length',
  2: 'same type and length, except the last zone length',
  3: 'same length, types may differ',
};

export interface ZoneDescriptor {
  readonly zoneType: number;
  /** e.g. 'sequential write required'; 'reserved' for unassigned values. */
  readonly zoneTypeName: string;
  readonly zoneCondition: number;
  /** e.g. 'implicitly open'; 'reserved' for unassigned values. */
  readonly zoneConditionName: string;
  /** NON_SEQ: the zone holds non-sequential write resources (host-aware). */
  readonly nonSeq: boolean;
  /** RESET: a RESET WRITE POINTER is recommended for this zone. */
  readonly reset: boolean;
  /** ZONE LENGTH in logical blocks. */
  readonly zoneLength: bigint;
  /** ZONE START LBA. */
  readonly zoneStartLba: bigint;
  /** WRITE POINTER LBA; not meaningful for conventional/gap zones or full/offline/read-only conditions. */
  readonly writePointerLba: bigint;
}

export interface ReportZonesData {
  /** ZONE LIST LENGTH: bytes of zone descriptors the device has (64 per zone). */
  readonly zoneListLength: number;
  readonly same: number;
  readonly sameName: string;
  /** MAXIMUM LBA: the last LBA of the device (authoritative when READ CAPACITY's RC BASIS is 0). */
  readonly maximumLba: bigint;
  /** ZONE STARTING LBA GRANULARITY (ZBC-2; 0 from ZBC-1 devices), absent when bytes 16-23 were not returned. */
  readonly zoneStartingLbaGranularity?: bigint;
  /** Descriptors wholly present in the returned bytes. */
  readonly zones: readonly ZoneDescriptor[];
  readonly truncated: boolean;
  readonly requiredLength: number;
  readonly availableLength: number;
}

/**
 * Decodes REPORT ZONES parameter data. Needs header bytes 0-15; ZONE LIST LENGTH must be a
 * multiple of 64.
 */
export function decodeReportZones(source: ByteSource): ReportZonesData {
  const r = new ByteReader(source);
  const zoneListLength = r.u32(0, 'zoneListLength');
  const same = r.bits(4, 0, 4, 'same');
  const maximumLba = r.u64(8, 'maximumLba');
  if (zoneListLength % 64 !== 0) {
    throw new DecodeError('zoneListLength', `must be a multiple of 64, got ${zoneListLength}`, 0);
  }
  const required = 64 + zoneListLength;
  const end = Math.min(required, r.length);
  const zones: ZoneDescriptor[] = [];
  for (let off = 64; off + 64 <= end; off += 64) {
    const zoneType = r.bits(off, 0, 4, 'zoneType');
    const zoneCondition = r.bits(off + 1, 4, 4, 'zoneCondition');
    zones.push({
      zoneType,
      zoneTypeName: ZONE_TYPE_NAMES[zoneType] ?? 'reserved',
      zoneCondition,
      zoneConditionName: ZONE_CONDITION_NAMES[zoneCondition] ?? 'reserved',
      nonSeq: r.bit(off + 1, 1, 'nonSeq'),
      reset: r.bit(off + 1, 0, 'reset'),
      zoneLength: r.u64(off + 8, 'zoneLength'),
      zoneStartLba: r.u64(off + 16, 'zoneStartLba'),
      writePointerLba: r.u64(off + 24, 'writePointerLba'),
    });
  }
  const base = {
    zoneListLength,
    same,
    sameName: ZONE_SAME_NAMES[same] ?? 'reserved',
    maximumLba,
    zones,
    truncated: r.length < required,
    requiredLength: required,
    availableLength: end,
  };
  return r.has(16, 8)
    ? { ...base, zoneStartingLbaGranularity: r.u64(16, 'zoneStartingLbaGranularity') }
    : base;
}

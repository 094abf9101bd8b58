/**
 * ZBC-2 zone management: ZBC IN (95h) REPORT ZONES / REPORT REALMS / REPORT ZONE DOMAINS and
 * ZBC OUT (94h) CLOSE / FINISH / OPEN ZONE, RESET WRITE POINTER and SEQUENTIALIZE ZONE.
 */
import { z } from 'zod';
import { checkParams, lookup } from '../args.js';
import { checkBigUint, putU16, putU64 } from '../bytes.js';
import { CdbBuildError } from '../errors.js';
import type { CdbSpec } from '../types.js';
import { flag, lbaIn16, optUint, spec, zLba64, zUint } from './cdb-spec.js';

export const ZBC_IN_OPCODE = 0x95;
export const ZBC_OUT_OPCODE = 0x94;

/** ZBC IN service actions (ZBC-2). */
export const ZBC_IN_SA = { reportZones: 0x00, reportRealms: 0x06, reportZoneDomains: 0x07 } as const;

/** ZBC OUT service actions (ZBC-2). */
export const ZBC_OUT_SA = {
  closeZone: 0x01,
  finishZone: 0x02,
  openZone: 0x03,
  resetWritePointer: 0x04,
  sequentializeZone: 0x10,
} as const;

/** REPORTING OPTIONS of REPORT ZONES (ZBC-2; byte 14 bits 5-0). */
export const REPORT_ZONES_OPTIONS = {
  all: 0x00,
  empty: 0x01,
  implicitlyOpened: 0x02,
  explicitlyOpened: 0x03,
  closed: 0x04,
  full: 0x05,
  readOnly: 0x06,
  offline: 0x07,
  inactive: 0x08,
  rwpRecommended: 0x10,
  nonSeqWriteResourcesActive: 0x11,
  notGap: 0x3e,
  notWritePointer: 0x3f,
} as const;

function zbcIn(
  sa: number,
  locator: bigint | number,
  locatorField: string,
  allocationLength: number | undefined,
  byte14: number,
  control: number | undefined,
  name: string,
): CdbSpec {
  return lbaIn16({
    opcode: ZBC_IN_OPCODE,
    serviceAction: sa,
    name,
    lbaField: locatorField,
    lba: locator,
    allocationLength,
    defaultAllocation: 8192,
    byte14,
    control,
  });
}

export interface ReportZonesParams {
  /** ZONE START LBA: report zones from the one containing this LBA. @default 0 */
  readonly zoneStartLba?: bigint | number;
  /** @default 8192 (64-byte header + 127 zone descriptors) */
  readonly allocationLength?: number;
  /** REPORTING OPTIONS (6 bits), see `REPORT_ZONES_OPTIONS`. @default 0 (all zones) */
  readonly reportingOptions?: number;
  /**
   * PARTIAL: ZONE LIST LENGTH counts only the descriptors that fit the allocation length, so a
   * large zoned device answers quickly. @default false
   */
  readonly partial?: boolean;
  /** @default 0 */
  readonly control?: number;
}
export const ReportZonesParamsSchema = z.strictObject({
  zoneStartLba: zLba64.optional(),
  allocationLength: zUint(32).optional(),
  reportingOptions: zUint(6).optional(),
  partial: z.boolean().optional(),
  control: zUint(8).optional(),
});

/** REPORT ZONES, ZBC IN 95h/00h (ZBC-2 REPORT ZONES command table): PARTIAL byte 14 bit 7. */
export function buildReportZones(p: ReportZonesParams = {}): CdbSpec {
  checkParams(p, 'p');
  const options = optUint(p.reportingOptions, 6, 'reportingOptions');
  const byte14 = flag(p.partial, 7, 'partial') | options;
  return zbcIn(
    ZBC_IN_SA.reportZones,
    p.zoneStartLba ?? 0,
    'zoneStartLba',
    p.allocationLength,
    byte14,
    p.control,
    'REPORT ZONES',
  );
}

export interface ReportRealmsParams {
  /** REALM LOCATOR: report realms from the one containing this LBA. @default 0 */
  readonly realmLocator?: bigint | number;
  /** @default 8192 */
  readonly allocationLength?: number;
  /** REPORTING OPTIONS (6 bits): 0 all, 1 SOBR, 2 SWR, 3 SWP zones active. @default 0 */
  readonly reportingOptions?: number;
  /** @default 0 */
  readonly control?: number;
}
export const ReportRealmsParamsSchema = z.strictObject({
  realmLocator: zLba64.optional(),
  allocationLength: zUint(32).optional(),
  reportingOptions: zUint(6).optional(),
  control: zUint(8).optional(),
});

/** REPORT REALMS, ZBC IN 95h/06h (ZBC-2 REPORT REALMS command table). */
export function buildReportRealms(p: ReportRealmsParams = {}): CdbSpec {
  checkParams(p, 'p');
  return zbcIn(
    ZBC_IN_SA.reportRealms,
    p.realmLocator ?? 0,
    'realmLocator',
    p.allocationLength,
    optUint(p.reportingOptions, 6, 'reportingOptions'),
    p.control,
    'REPORT REALMS',
  );
}

export interface ReportZoneDomainsParams {
  /** ZONE DOMAIN LOCATOR. @default 0 */
  readonly zoneDomainLocator?: bigint | number;
  /** @default 8192 */
  readonly allocationLength?: number;
  /** REPORTING OPTIONS (6 bits): 0 all, 1 all zones active, 2 some active, 3 none active. @default 0 */
  readonly reportingOptions?: number;
  /** @default 0 */
  readonly control?: number;
}
export const ReportZoneDomainsParamsSchema = z.strictObject({
  zoneDomainLocator: zLba64.optional(),
  allocationLength: zUint(32).optional(),
  reportingOptions: zUint(6).optional(),
  control: zUint(8).optional(),
});

/** REPORT ZONE DOMAINS, ZBC IN 95h/07h (ZBC-2 REPORT ZONE DOMAINS command table). */
export function buildReportZoneDomains(p: ReportZoneDomainsParams = {}): CdbSpec {
  checkParams(p, 'p');
  return zbcIn(
    ZBC_IN_SA.reportZoneDomains,
    p.zoneDomainLocator ?? 0,
    'zoneDomainLocator',
    p.allocationLength,
    optUint(p.reportingOptions, 6, 'reportingOptions'),
    p.control,
    'REPORT ZONE DOMAINS',
  );
}

/**
 * Target of a ZBC OUT zone action: one zone by its ZONE ID (the zone's starting LBA), optionally
 * `zoneCount` consecutive zones (ZBC-2), or every zone with `all: true`. Exactly one of
 * `zoneId` and `all` must be given; with `all` the ZONE ID and ZONE COUNT fields stay 0.
 */
export interface ZoneActionParams {
  readonly zoneId?: bigint | number;
  /** @default false */
  readonly all?: boolean;
  /** ZONE COUNT (16 bits, ZBC-2); 0 and 1 both mean one zone. @default 0 */
  readonly zoneCount?: number;
  /** @default 0 */
  readonly control?: number;
}
export const ZoneActionParamsSchema = z
  .strictObject({
    zoneId: zLba64.optional(),
    all: z.boolean().optional(),
    zoneCount: zUint(16).optional(),
    control: zUint(8).optional(),
  })
  .refine((p) => (p.all === true) !== (p.zoneId !== undefined), {
    message: 'give exactly one of zoneId and all: true',
  });
export const ResetWritePointerParamsSchema = ZoneActionParamsSchema;
export const OpenZoneParamsSchema = ZoneActionParamsSchema;
export const CloseZoneParamsSchema = ZoneActionParamsSchema;
export const FinishZoneParamsSchema = ZoneActionParamsSchema;
export const SequentializeZoneParamsSchema = ZoneActionParamsSchema;

export type ZbcOutAction = keyof typeof ZBC_OUT_SA;

const ZBC_OUT_NAMES: Readonly<Record<ZbcOutAction, string>> = {
  closeZone: 'CLOSE ZONE',
  finishZone: 'FINISH ZONE',
  openZone: 'OPEN ZONE',
  resetWritePointer: 'RESET WRITE POINTER',
  sequentializeZone: 'SEQUENTIALIZE ZONE',
};

/** ZBC OUT, 94h (ZBC-2 ZBC OUT command tables): ZONE ID bytes 2-9, ZONE COUNT 12-13, ALL byte 14 bit 0. */
export function buildZbcOut(action: ZbcOutAction, p: ZoneActionParams): CdbSpec {
  checkParams(p, 'p');
  const sa = lookup(ZBC_OUT_SA, action);
  if (sa === undefined) {
    throw new CdbBuildError('action', `must be one of ${Object.keys(ZBC_OUT_SA).join(', ')}`);
  }
  const all = p.all === true;
  if (all === (p.zoneId !== undefined)) {
    throw new CdbBuildError(all ? 'zoneId' : 'all', 'give exactly one of zoneId and all: true');
  }
  const zoneCount = optUint(p.zoneCount, 16, 'zoneCount');
  if (all && zoneCount !== 0) throw new CdbBuildError('zoneCount', 'must be 0 with all: true');
  const zoneId = all ? 0n : checkBigUint(p.zoneId ?? 0, 64, 'zoneId');
  const cdb = new Uint8Array(16);
  cdb[0] = ZBC_OUT_OPCODE;
  cdb[1] = sa;
  putU64(cdb, 2, zoneId);
  putU16(cdb, 12, zoneCount);
  cdb[14] = all ? 1 : 0;
  cdb[15] = optUint(p.control, 8, 'control');
  return spec(cdb, 'none', 0, ZBC_OUT_NAMES[action]);
}

export type ResetWritePointerParams = ZoneActionParams;
export type OpenZoneParams = ZoneActionParams;
export type CloseZoneParams = ZoneActionParams;
export type FinishZoneParams = ZoneActionParams;
export type SequentializeZoneParams = ZoneActionParams;

/** RESET WRITE POINTER (94h/04h): empties the zone(s); `all` skips zones that are not resettable. */
export const buildResetWritePointer = (p: ResetWritePointerParams): CdbSpec =>
  buildZbcOut('resetWritePointer', p);
/** OPEN ZONE (94h/03h): explicitly open; `all` opens every closed zone. */
export const buildOpenZone = (p: OpenZoneParams): CdbSpec => buildZbcOut('openZone', p);
/** CLOSE ZONE (94h/01h). */
export const buildCloseZone = (p: CloseZoneParams): CdbSpec => buildZbcOut('closeZone', p);
/** FINISH ZONE (94h/02h): moves the write pointer to the end of the zone(s). */
export const buildFinishZone = (p: FinishZoneParams): CdbSpec => buildZbcOut('finishZone', p);
/** SEQUENTIALIZE ZONE (94h/10h, ZBC-2). */
export const buildSequentializeZone = (p: SequentializeZoneParams): CdbSpec =>
  buildZbcOut('sequentializeZone', p);

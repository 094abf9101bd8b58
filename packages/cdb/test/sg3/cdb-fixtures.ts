/**
 * fixtures/sg3/cdbs.json: CDBs sg3_utils' utilities print at -vv, with the command line that
 * printed them, and the builder call of ours that must produce the same bytes.
 *
 * `observed: "host"` entries were printed on the development host with a regular file as DEVICE
 * (the tool prints the CDB, then SG_IO fails with ENOTTY), so the host test runs the command again
 * and compares. `observed: "lab"` entries come from tools that stop when INQUIRY fails (sg_opcodes,
 * sg_modes, sg_logs): their bytes are sg3_utils 1.46's defaults, and the lab suites compare the CDBs
 * those tools print against a real device.
 */
import { readFileSync } from 'node:fs';
import {
  buildGetLbaStatus,
  buildInquiry,
  buildLogSense,
  buildModeSense6,
  buildModeSense10,
  buildPersistentReserveIn,
  buildPreventAllowMediumRemoval,
  buildReadAttribute,
  buildReadCapacity10,
  buildReadCapacity16,
  buildReportLuns,
  buildReportSupportedOperationCodes,
  buildReportTargetPortGroups,
  buildReportZones,
  buildRequestSense,
  buildStartStopUnit,
  buildSynchronizeCache10,
  buildSynchronizeCache16,
  buildTestUnitReady,
  buildUnmap,
  buildVerify,
  buildZbcOut,
  type CdbSpec,
  type GetLbaStatusParams,
  type InquiryParams,
  type LogSenseParams,
  type ModeSense6Params,
  type ModeSense10Params,
  type PersistentReserveInParams,
  type PreventAllowMediumRemovalParams,
  type ReadAttributeParams,
  type ReadCapacity10Params,
  type ReadCapacity16Params,
  type ReportLunsParams,
  type ReportSupportedOperationCodesParams,
  type ReportTargetPortGroupsParams,
  type ReportZonesParams,
  type RequestSenseParams,
  type StartStopUnitParams,
  type SynchronizeCacheParams,
  type UnmapParams,
  type VerifyParams,
  type ZbcOutAction,
  type ZoneActionParams,
} from '../../src/index.js';
import { fixturePath } from './run-sg.js';

type Params = Record<string, unknown>;

/** Our builders by name, taking the JSON params of a fixture entry. */
export const BUILDERS: Readonly<Record<string, (p: Params) => CdbSpec>> = {
  buildTestUnitReady: () => buildTestUnitReady(),
  buildInquiry: (p) => buildInquiry(p as InquiryParams),
  buildRequestSense: (p) => buildRequestSense(p as RequestSenseParams),
  buildReportLuns: (p) => buildReportLuns(p as ReportLunsParams),
  buildReadCapacity10: (p) => buildReadCapacity10(p as ReadCapacity10Params),
  buildReadCapacity16: (p) => buildReadCapacity16(p as ReadCapacity16Params),
  buildGetLbaStatus: (p) => buildGetLbaStatus(p as GetLbaStatusParams),
  buildReportSupportedOperationCodes: (p) =>
    buildReportSupportedOperationCodes(p as unknown as ReportSupportedOperationCodesParams),
  buildReportTargetPortGroups: (p) => buildReportTargetPortGroups(p as ReportTargetPortGroupsParams),
  buildModeSense6: (p) => buildModeSense6(p as unknown as ModeSense6Params),
  buildModeSense10: (p) => buildModeSense10(p as unknown as ModeSense10Params),
  buildLogSense: (p) => buildLogSense(p as unknown as LogSenseParams),
  buildPersistentReserveIn: (p) => buildPersistentReserveIn(p as unknown as PersistentReserveInParams),
  buildStartStopUnit: (p) => buildStartStopUnit(p as StartStopUnitParams),
  buildPreventAllowMediumRemoval: (p) =>
    buildPreventAllowMediumRemoval(p as unknown as PreventAllowMediumRemovalParams),
  buildSynchronizeCache10: (p) => buildSynchronizeCache10(p as SynchronizeCacheParams),
  buildSynchronizeCache16: (p) => buildSynchronizeCache16(p as SynchronizeCacheParams),
  buildVerify: (p) => {
    const { size, ...rest } = p as unknown as VerifyParams & { size: 10 | 12 | 16 | 32 };
    return buildVerify(rest, { size });
  },
  buildUnmap: (p) => buildUnmap(p as unknown as UnmapParams),
  buildReportZones: (p) => buildReportZones(p as ReportZonesParams),
  buildZbcOut: (p) => {
    const { action, ...rest } = p as unknown as ZoneActionParams & { action: ZbcOutAction };
    return buildZbcOut(action, rest);
  },
  buildReadAttribute: (p) => buildReadAttribute(p as ReadAttributeParams),
};

export interface CdbFixtureEntry {
  readonly id: string;
  /** argv; "DEVICE" stands for the device node (a regular file on the host). */
  readonly command: readonly string[];
  /** What `<tool> --version` printed. */
  readonly toolVersion: string;
  /** Where the bytes come from, see the file comment. */
  readonly observed: 'host' | 'lab';
  /** The name the tool printed before "cdb:". */
  readonly printedName: string;
  /** The CDB in hex, bytes separated by spaces, as printed. */
  readonly cdb: string;
  readonly builder: string;
  /** Params for the builder; numbers given as strings ending in "n" are bigints. */
  readonly params: Params;
  readonly note?: string;
}

export interface CdbFixtureFile {
  readonly description: string;
  readonly sg3Utils: string;
  readonly entries: readonly CdbFixtureEntry[];
}

export function readCdbFixtures(): CdbFixtureFile {
  return JSON.parse(readFileSync(fixturePath('cdbs.json'), 'utf8')) as CdbFixtureFile;
}

/** Builds a fixture entry's CDB with our builder. */
export function buildFromEntry(entry: Pick<CdbFixtureEntry, 'builder' | 'params'>): CdbSpec {
  const build = BUILDERS[entry.builder];
  if (build === undefined) throw new Error(`unknown builder ${entry.builder}`);
  const params: Params = {};
  for (const [k, v] of Object.entries(entry.params)) {
    params[k] = typeof v === 'string' && /^\d+n$/u.test(v) ? BigInt(v.slice(0, -1)) : v;
  }
  return build(params);
}

export const cdbHex = (cdb: Uint8Array): string =>
  Array.from(cdb, (b) => b.toString(16).padStart(2, '0')).join(' ');

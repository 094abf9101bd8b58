/**
 * General SPC command builders (SPC-6 layouts, cross-checked against what sg3_utils 1.48 sends).
 * Every builder range-checks its parameters and throws CdbBuildError before writing a byte.
 */
import { z } from 'zod';
import { checkParams, show } from '../args.js';
import { checkUint, putU16, putU32 } from '../bytes.js';
import { CdbBuildError } from '../errors.js';
import type { CdbSpec } from '../types.js';
import {
  checkUintMin,
  flag,
  pickCode,
  pickName,
  specIn,
  specNone,
  specOut,
  zCode,
  zUint,
} from './cdb-spec.js';

const MAINTENANCE_IN = 0xa3;

// ---------------------------------------------------------------------------------------------
// TEST UNIT READY (SPC-6)

/** TEST UNIT READY takes no parameters. */
export type TestUnitReadyParams = Readonly<Record<never, never>>;
export const TestUnitReadyParamsSchema: z.ZodType<TestUnitReadyParams> = z.strictObject({});

/** TEST UNIT READY: six zero bytes, no data. */
export function buildTestUnitReady(_params: TestUnitReadyParams = {}): CdbSpec {
  checkParams(_params, 'params');
  return specNone(new Uint8Array(6), 'TEST UNIT READY');
}

// ---------------------------------------------------------------------------------------------
// INQUIRY (SPC-6)

/** Default INQUIRY allocation lengths: 96 covers standard data with version descriptors; 252 is sg_vpd's. */
export const INQUIRY_DEFAULT_ALLOCATION_LENGTH = { standard: 96, vpd: 252 } as const;

export interface InquiryParams {
  /** Request the vital product data page `pageCode` instead of standard INQUIRY data. @default false */
  readonly evpd?: boolean;
  /** VPD page code. Must be 0 (or absent) unless `evpd` is set. @default 0 */
  readonly pageCode?: number;
  /**
   * Bytes the device may return (16 bits). SPC-2 devices treat byte 3 as reserved and read only
   * byte 4, so values above 255 can look like tiny lengths to them.
   * @default 96 for standard data, 252 for a VPD page
   */
  readonly allocationLength?: number;
}

export const InquiryParamsSchema: z.ZodType<InquiryParams> = z
  .strictObject({
    evpd: z.boolean().exactOptional(),
    pageCode: zUint(8).exactOptional(),
    allocationLength: zUint(16).exactOptional(),
  })
  .refine((p) => p.evpd === true || !p.pageCode, {
    message: 'pageCode needs evpd: true',
    path: ['pageCode'],
  });

/** INQUIRY: a non-zero page code without EVPD is ILLEGAL REQUEST on every device, so it is refused here. */
export function buildInquiry(params: InquiryParams = {}): CdbSpec {
  checkParams(params, 'params');
  const evpd = flag(params.evpd, 0, 'evpd');
  const pageCode = checkUint(params.pageCode ?? 0, 8, 'pageCode');
  if (evpd === 0 && pageCode !== 0) {
    throw new CdbBuildError('pageCode', `page ${pageCode} requires evpd: true (SPC: EVPD 0 needs page 0)`);
  }
  const allocationLength = checkUint(
    params.allocationLength ??
      (evpd ? INQUIRY_DEFAULT_ALLOCATION_LENGTH.vpd : INQUIRY_DEFAULT_ALLOCATION_LENGTH.standard),
    16,
    'allocationLength',
  );
  const cdb = new Uint8Array(6);
  cdb[0] = 0x12;
  cdb[1] = evpd;
  cdb[2] = pageCode;
  putU16(cdb, 3, allocationLength);
  return specIn(cdb, allocationLength, 'INQUIRY');
}

// ---------------------------------------------------------------------------------------------
// REQUEST SENSE (SPC-6)

export interface RequestSenseParams {
  /** Ask for descriptor-format sense data instead of fixed format. @default false */
  readonly desc?: boolean;
  /** 8 bits; 252 is the largest sense data SPC defines. @default 252 */
  readonly allocationLength?: number;
}

export const RequestSenseParamsSchema: z.ZodType<RequestSenseParams> = z.strictObject({
  desc: z.boolean().exactOptional(),
  allocationLength: zUint(8).exactOptional(),
});

export function buildRequestSense(params: RequestSenseParams = {}): CdbSpec {
  checkParams(params, 'params');
  const allocationLength = checkUint(params.allocationLength ?? 252, 8, 'allocationLength');
  const cdb = new Uint8Array(6);
  cdb[0] = 0x03;
  cdb[1] = flag(params.desc, 0, 'desc');
  cdb[4] = allocationLength;
  return specIn(cdb, allocationLength, 'REQUEST SENSE');
}

// ---------------------------------------------------------------------------------------------
// REPORT LUNS (SPC-6)

/**
 * SELECT REPORT: 00h all LUNs except well-known, 01h well-known only, 02h all, 10h administrative
 * LUNs, 11h administrative plus subsidiary LUNs of one administrative LUN, 12h subsidiary LUNs.
 */
export type ReportLunsSelect = 0x00 | 0x01 | 0x02 | 0x10 | 0x11 | 0x12;
const REPORT_LUNS_SELECTS: readonly number[] = [0x00, 0x01, 0x02, 0x10, 0x11, 0x12];

export interface ReportLunsParams {
  /** @default 0 */
  readonly selectReport?: ReportLunsSelect;
  /** 32 bits, at least 16 (the minimum SPC-3 set; smaller lengths are refused). @default 8192 */
  readonly allocationLength?: number;
}

export const ReportLunsParamsSchema: z.ZodType<ReportLunsParams> = z.strictObject({
  selectReport: z
    .union([z.literal(0), z.literal(1), z.literal(2), z.literal(16), z.literal(17), z.literal(18)])
    .exactOptional(),
  allocationLength: zUint(32).min(16).exactOptional(),
});

export function buildReportLuns(params: ReportLunsParams = {}): CdbSpec {
  checkParams(params, 'params');
  const select = params.selectReport ?? 0;
  if (!REPORT_LUNS_SELECTS.includes(select)) {
    throw new CdbBuildError('selectReport', `must be one of 0, 1, 2, 0x10, 0x11, 0x12, got ${show(select)}`);
  }
  const allocationLength = checkUintMin(params.allocationLength ?? 8192, 32, 16, 'allocationLength');
  const cdb = new Uint8Array(12);
  cdb[0] = 0xa0;
  cdb[2] = select;
  putU32(cdb, 6, allocationLength);
  return specIn(cdb, allocationLength, 'REPORT LUNS');
}

// ---------------------------------------------------------------------------------------------
// MODE SENSE(6) / MODE SENSE(10) (SPC-6)

/** PC field of MODE SENSE: which copy of the mode pages to return. */
export type ModePageControl = 'current' | 'changeable' | 'default' | 'saved';
export const MODE_PAGE_CONTROL: Readonly<Record<ModePageControl, number>> = {
  current: 0,
  changeable: 1,
  default: 2,
  saved: 3,
};

export interface ModeSense6Params {
  /** 6 bits; 3Fh = all pages (with subpageCode FFh: all subpages too). */
  readonly pageCode: number;
  /** @default 0 */
  readonly subpageCode?: number;
  /** @default 'current' */
  readonly pageControl?: ModePageControl;
  /** Disable block descriptors. @default false */
  readonly dbd?: boolean;
  /** 8 bits. @default 252 */
  readonly allocationLength?: number;
}

export interface ModeSense10Params extends Omit<ModeSense6Params, 'allocationLength'> {
  /** Accept 16-byte (long LBA) block descriptors. @default false */
  readonly llbaa?: boolean;
  /** 16 bits. @default 4096 */
  readonly allocationLength?: number;
}

const zPageControl = z.enum(['current', 'changeable', 'default', 'saved']);

export const ModeSense6ParamsSchema: z.ZodType<ModeSense6Params> = z.strictObject({
  pageCode: zUint(6),
  subpageCode: zUint(8).exactOptional(),
  pageControl: zPageControl.exactOptional(),
  dbd: z.boolean().exactOptional(),
  allocationLength: zUint(8).exactOptional(),
});

export const ModeSense10ParamsSchema: z.ZodType<ModeSense10Params> = z.strictObject({
  pageCode: zUint(6),
  subpageCode: zUint(8).exactOptional(),
  pageControl: zPageControl.exactOptional(),
  dbd: z.boolean().exactOptional(),
  llbaa: z.boolean().exactOptional(),
  allocationLength: zUint(16).exactOptional(),
});

function modePageByte(params: ModeSense6Params): number {
  const pc = pickName(MODE_PAGE_CONTROL, params.pageControl ?? 'current', 'pageControl');
  return (pc << 6) | checkUint(params.pageCode, 6, 'pageCode');
}

export function buildModeSense6(params: ModeSense6Params): CdbSpec {
  checkParams(params, 'params');
  const allocationLength = checkUint(params.allocationLength ?? 252, 8, 'allocationLength');
  const cdb = new Uint8Array(6);
  cdb[0] = 0x1a;
  cdb[1] = flag(params.dbd, 3, 'dbd');
  cdb[2] = modePageByte(params);
  cdb[3] = checkUint(params.subpageCode ?? 0, 8, 'subpageCode');
  cdb[4] = allocationLength;
  return specIn(cdb, allocationLength, 'MODE SENSE(6)');
}

export function buildModeSense10(params: ModeSense10Params): CdbSpec {
  checkParams(params, 'params');
  const allocationLength = checkUint(params.allocationLength ?? 4096, 16, 'allocationLength');
  const cdb = new Uint8Array(10);
  cdb[0] = 0x5a;
  cdb[1] = flag(params.llbaa, 4, 'llbaa') | flag(params.dbd, 3, 'dbd');
  cdb[2] = modePageByte(params);
  cdb[3] = checkUint(params.subpageCode ?? 0, 8, 'subpageCode');
  putU16(cdb, 7, allocationLength);
  return specIn(cdb, allocationLength, 'MODE SENSE(10)');
}

// ---------------------------------------------------------------------------------------------
// MODE SELECT(6) / MODE SELECT(10) (SPC-6)

export interface ModeSelect6Params {
  /** Page format: the parameter list holds SPC mode pages (not vendor format). @default true */
  readonly pf?: boolean;
  /** Save pages: also write them to the saved copy. @default false */
  readonly sp?: boolean;
  /** Bytes of mode parameter list (8 bits; build it with buildModeSelectData from pages/mode); 0 sends none. */
  readonly parameterListLength: number;
}

export interface ModeSelect10Params extends Omit<ModeSelect6Params, 'parameterListLength'> {
  /** Bytes of mode parameter list (16 bits). */
  readonly parameterListLength: number;
}

export const ModeSelect6ParamsSchema: z.ZodType<ModeSelect6Params> = z.strictObject({
  pf: z.boolean().exactOptional(),
  sp: z.boolean().exactOptional(),
  parameterListLength: zUint(8),
});

export const ModeSelect10ParamsSchema: z.ZodType<ModeSelect10Params> = z.strictObject({
  pf: z.boolean().exactOptional(),
  sp: z.boolean().exactOptional(),
  parameterListLength: zUint(16),
});

function modeSelectByte1(params: ModeSelect6Params): number {
  return flag(params.pf ?? true, 4, 'pf') | flag(params.sp, 0, 'sp');
}

export function buildModeSelect6(params: ModeSelect6Params): CdbSpec {
  checkParams(params, 'params');
  const length = checkUint(params.parameterListLength, 8, 'parameterListLength');
  const cdb = new Uint8Array(6);
  cdb[0] = 0x15;
  cdb[1] = modeSelectByte1(params);
  cdb[4] = length;
  return specOut(cdb, length, 'MODE SELECT(6)');
}

export function buildModeSelect10(params: ModeSelect10Params): CdbSpec {
  checkParams(params, 'params');
  const length = checkUint(params.parameterListLength, 16, 'parameterListLength');
  const cdb = new Uint8Array(10);
  cdb[0] = 0x55;
  cdb[1] = modeSelectByte1(params);
  putU16(cdb, 7, length);
  return specOut(cdb, length, 'MODE SELECT(10)');
}

// ---------------------------------------------------------------------------------------------
// LOG SENSE / LOG SELECT (SPC-6)

/** PC field of LOG SENSE / LOG SELECT. */
export type LogPageControl = 'threshold' | 'cumulative' | 'defaultThreshold' | 'defaultCumulative';
export const LOG_PAGE_CONTROL: Readonly<Record<LogPageControl, number>> = {
  threshold: 0,
  cumulative: 1,
  defaultThreshold: 2,
  defaultCumulative: 3,
};
const zLogPageControl = z.enum(['threshold', 'cumulative', 'defaultThreshold', 'defaultCumulative']);

export interface LogSenseParams {
  /** 6 bits; page 00h lists the supported pages. */
  readonly pageCode: number;
  /** @default 0 */
  readonly subpageCode?: number;
  /** @default 'cumulative' (what sg_logs asks for) */
  readonly pageControl?: LogPageControl;
  /** Save parameters (obsolete in SPC-5 and later for LOG SENSE, still sent by some tools). @default false */
  readonly sp?: boolean;
  /** First parameter code to return (16 bits). @default 0 */
  readonly parameterPointer?: number;
  /** 16 bits. @default 4096 */
  readonly allocationLength?: number;
}

export const LogSenseParamsSchema: z.ZodType<LogSenseParams> = z.strictObject({
  pageCode: zUint(6),
  subpageCode: zUint(8).exactOptional(),
  pageControl: zLogPageControl.exactOptional(),
  sp: z.boolean().exactOptional(),
  parameterPointer: zUint(16).exactOptional(),
  allocationLength: zUint(16).exactOptional(),
});

export function buildLogSense(params: LogSenseParams): CdbSpec {
  checkParams(params, 'params');
  const pc = pickName(LOG_PAGE_CONTROL, params.pageControl ?? 'cumulative', 'pageControl');
  const allocationLength = checkUint(params.allocationLength ?? 4096, 16, 'allocationLength');
  const cdb = new Uint8Array(10);
  cdb[0] = 0x4d;
  cdb[1] = flag(params.sp, 0, 'sp');
  cdb[2] = (pc << 6) | checkUint(params.pageCode, 6, 'pageCode');
  cdb[3] = checkUint(params.subpageCode ?? 0, 8, 'subpageCode');
  putU16(cdb, 5, checkUint(params.parameterPointer ?? 0, 16, 'parameterPointer'));
  putU16(cdb, 7, allocationLength);
  return specIn(cdb, allocationLength, 'LOG SENSE');
}

export interface LogSelectParams {
  /** Parameter code reset: reset the parameters selected by PC. Needs parameterListLength 0. @default false */
  readonly pcr?: boolean;
  /** Save parameters. @default false */
  readonly sp?: boolean;
  /** @default 'cumulative' */
  readonly pageControl?: LogPageControl;
  /** 6 bits; with parameterListLength 0 selects the page to reset (SPC-4 and later). @default 0 */
  readonly pageCode?: number;
  /** @default 0 */
  readonly subpageCode?: number;
  /** Bytes of log pages sent (16 bits). @default 0 */
  readonly parameterListLength?: number;
}

export const LogSelectParamsSchema: z.ZodType<LogSelectParams> = z
  .strictObject({
    pcr: z.boolean().exactOptional(),
    sp: z.boolean().exactOptional(),
    pageControl: zLogPageControl.exactOptional(),
    pageCode: zUint(6).exactOptional(),
    subpageCode: zUint(8).exactOptional(),
    parameterListLength: zUint(16).exactOptional(),
  })
  .refine((p) => p.pcr !== true || !p.parameterListLength, {
    message: 'pcr needs parameterListLength 0',
    path: ['parameterListLength'],
  });

/** LOG SELECT: PCR with a non-zero parameter list length is ILLEGAL REQUEST (SPC-6), so refused. */
export function buildLogSelect(params: LogSelectParams = {}): CdbSpec {
  checkParams(params, 'params');
  const pcr = flag(params.pcr, 1, 'pcr');
  const length = checkUint(params.parameterListLength ?? 0, 16, 'parameterListLength');
  if (pcr !== 0 && length !== 0) {
    throw new CdbBuildError('parameterListLength', 'must be 0 when pcr is set');
  }
  const pc = pickName(LOG_PAGE_CONTROL, params.pageControl ?? 'cumulative', 'pageControl');
  const cdb = new Uint8Array(10);
  cdb[0] = 0x4c;
  cdb[1] = pcr | flag(params.sp, 0, 'sp');
  cdb[2] = (pc << 6) | checkUint(params.pageCode ?? 0, 6, 'pageCode');
  cdb[3] = checkUint(params.subpageCode ?? 0, 8, 'subpageCode');
  putU16(cdb, 7, length);
  return specOut(cdb, length, 'LOG SELECT');
}

// ---------------------------------------------------------------------------------------------
// REPORT SUPPORTED OPERATION CODES (SPC-6; MAINTENANCE IN, SA 0Ch)

interface ReportSupportedOperationCodesCommon {
  /** Return command timeouts descriptors too. @default false */
  readonly rctd?: boolean;
  /** 32 bits. @default 8192 */
  readonly allocationLength?: number;
}

/** Every supported command (REPORTING OPTIONS 000b). */
export interface ReportSupportedOperationCodesAll extends ReportSupportedOperationCodesCommon {
  readonly mode: 'all';
}

/**
 * One command. Without `serviceAction`: REPORTING OPTIONS 001b (opcode has no service actions).
 * With it: 010b, or 011b when `serviceActionOptional` is set (SPC-5: the service action is
 * ignored if the opcode has none; not understood by SPC-4 and older devices).
 */
export interface ReportSupportedOperationCodesOne extends ReportSupportedOperationCodesCommon {
  readonly mode: 'one';
  readonly opcode: number;
  readonly serviceAction?: number;
  /** @default false */
  readonly serviceActionOptional?: boolean;
}

export type ReportSupportedOperationCodesParams =
  | ReportSupportedOperationCodesAll
  | ReportSupportedOperationCodesOne;

export const ReportSupportedOperationCodesParamsSchema: z.ZodType<ReportSupportedOperationCodesParams> = z
  .discriminatedUnion('mode', [
    z.strictObject({
      mode: z.literal('all'),
      rctd: z.boolean().exactOptional(),
      allocationLength: zUint(32).exactOptional(),
    }),
    z.strictObject({
      mode: z.literal('one'),
      opcode: zUint(8),
      serviceAction: zUint(16).exactOptional(),
      serviceActionOptional: z.boolean().exactOptional(),
      rctd: z.boolean().exactOptional(),
      allocationLength: zUint(32).exactOptional(),
    }),
  ])
  .refine((p) => p.mode === 'all' || p.serviceActionOptional !== true || p.serviceAction !== undefined, {
    message: 'serviceActionOptional needs serviceAction',
    path: ['serviceActionOptional'],
  });

export function buildReportSupportedOperationCodes(
  params: ReportSupportedOperationCodesParams = { mode: 'all' },
): CdbSpec {
  checkParams(params, 'params');
  let options: number;
  let opcode = 0;
  let serviceAction = 0;
  if (params.mode === 'all') {
    options = 0;
  } else if (params.mode === 'one') {
    opcode = checkUint(params.opcode, 8, 'opcode');
    const optional = flag(params.serviceActionOptional, 0, 'serviceActionOptional');
    if (params.serviceAction === undefined) {
      if (optional) throw new CdbBuildError('serviceActionOptional', 'needs serviceAction');
      options = 1;
    } else {
      serviceAction = checkUint(params.serviceAction, 16, 'serviceAction');
      options = optional ? 3 : 2;
    }
  } else {
    throw new CdbBuildError(
      'mode',
      `must be 'all' or 'one', got ${show((params as { mode: unknown }).mode)}`,
    );
  }
  const allocationLength = checkUint(params.allocationLength ?? 8192, 32, 'allocationLength');
  const cdb = new Uint8Array(12);
  cdb[0] = MAINTENANCE_IN;
  cdb[1] = 0x0c;
  cdb[2] = flag(params.rctd, 7, 'rctd') | options;
  cdb[3] = opcode;
  putU16(cdb, 4, serviceAction);
  putU32(cdb, 6, allocationLength);
  return specIn(cdb, allocationLength, 'REPORT SUPPORTED OPERATION CODES');
}

// ---------------------------------------------------------------------------------------------
// REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS (SPC-6; MAINTENANCE IN, SA 0Dh)

export interface ReportSupportedTaskManagementFunctionsParams {
  /** Ask for the 16-byte extended parameter data. @default false */
  readonly repd?: boolean;
  /** 32 bits, at least 4 (SPC-4 and later reject less). @default 16 */
  readonly allocationLength?: number;
}

export const ReportSupportedTaskManagementFunctionsParamsSchema: z.ZodType<ReportSupportedTaskManagementFunctionsParams> =
  z.strictObject({
    repd: z.boolean().exactOptional(),
    allocationLength: zUint(32).min(4).exactOptional(),
  });

export function buildReportSupportedTaskManagementFunctions(
  params: ReportSupportedTaskManagementFunctionsParams = {},
): CdbSpec {
  checkParams(params, 'params');
  const allocationLength = checkUintMin(params.allocationLength ?? 16, 32, 4, 'allocationLength');
  const cdb = new Uint8Array(12);
  cdb[0] = MAINTENANCE_IN;
  cdb[1] = 0x0d;
  cdb[2] = flag(params.repd, 7, 'repd');
  putU32(cdb, 6, allocationLength);
  return specIn(cdb, allocationLength, 'REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS');
}

// ---------------------------------------------------------------------------------------------
// REPORT TARGET PORT GROUPS (SPC-6; MAINTENANCE IN, SA 0Ah)

export interface ReportTargetPortGroupsParams {
  /** PARAMETER DATA FORMAT 001b: extended header with implicit transition time. @default false */
  readonly extended?: boolean;
  /** 32 bits. @default 4096 */
  readonly allocationLength?: number;
}

export const ReportTargetPortGroupsParamsSchema: z.ZodType<ReportTargetPortGroupsParams> = z.strictObject({
  extended: z.boolean().exactOptional(),
  allocationLength: zUint(32).exactOptional(),
});

export function buildReportTargetPortGroups(params: ReportTargetPortGroupsParams = {}): CdbSpec {
  checkParams(params, 'params');
  const allocationLength = checkUint(params.allocationLength ?? 4096, 32, 'allocationLength');
  const cdb = new Uint8Array(12);
  cdb[0] = MAINTENANCE_IN;
  cdb[1] = flag(params.extended, 5, 'extended') | 0x0a;
  putU32(cdb, 6, allocationLength);
  return specIn(cdb, allocationLength, 'REPORT TARGET PORT GROUPS');
}

// ---------------------------------------------------------------------------------------------
// REPORT IDENTIFYING INFORMATION (SPC-6; MAINTENANCE IN, SA 05h)

/** INFORMATION TYPE (7 bits): 00h identifying information, 02h text identifying information, 7Fh supported. */
export type IdentifyingInformationType = 'peripheralDevice' | 'peripheralDeviceText' | 'supported';
export const IDENTIFYING_INFORMATION_TYPE: Readonly<Record<IdentifyingInformationType, number>> = {
  peripheralDevice: 0x00,
  peripheralDeviceText: 0x02,
  supported: 0x7f,
};

export interface ReportIdentifyingInformationParams {
  /** Name or 7-bit value. @default 'peripheralDevice' */
  readonly informationType?: IdentifyingInformationType | number;
  /** 32 bits. @default 4096 */
  readonly allocationLength?: number;
}

export const ReportIdentifyingInformationParamsSchema: z.ZodType<ReportIdentifyingInformationParams> =
  z.strictObject({
    informationType: zCode(IDENTIFYING_INFORMATION_TYPE, 7).exactOptional(),
    allocationLength: zUint(32).exactOptional(),
  });

/** REPORT IDENTIFYING INFORMATION: INFORMATION TYPE sits in bits 7-1 of byte 10. */
export function buildReportIdentifyingInformation(params: ReportIdentifyingInformationParams = {}): CdbSpec {
  checkParams(params, 'params');
  const type = pickCode(
    IDENTIFYING_INFORMATION_TYPE,
    params.informationType ?? 'peripheralDevice',
    7,
    'informationType',
  );
  const allocationLength = checkUint(params.allocationLength ?? 4096, 32, 'allocationLength');
  const cdb = new Uint8Array(12);
  cdb[0] = MAINTENANCE_IN;
  cdb[1] = 0x05;
  putU32(cdb, 6, allocationLength);
  cdb[10] = type << 1;
  return specIn(cdb, allocationLength, 'REPORT IDENTIFYING INFORMATION');
}

// ---------------------------------------------------------------------------------------------
// READ MEDIA SERIAL NUMBER (SPC-6; SERVICE ACTION IN(12), SA 01h)

const SERVICE_ACTION_IN_12 = 0xab;

export interface ReadMediaSerialNumberParams {
  /** 32 bits: the 4-byte length header plus the serial number. @default 256 */
  readonly allocationLength?: number;
}

export const ReadMediaSerialNumberParamsSchema: z.ZodType<ReadMediaSerialNumberParams> = z.strictObject({
  allocationLength: zUint(32).exactOptional(),
});

/**
 * READ MEDIA SERIAL NUMBER: the vendor-specific serial number of the medium in the unit. Bytes
 * 2-5 and 10 are reserved; ALLOCATION LENGTH is bytes 6-9. Decode the answer with
 * decodeMediaSerialNumber.
 */
export function buildReadMediaSerialNumber(params: ReadMediaSerialNumberParams = {}): CdbSpec {
  checkParams(params, 'params');
  const allocationLength = checkUint(params.allocationLength ?? 256, 32, 'allocationLength');
  const cdb = new Uint8Array(12);
  cdb[0] = SERVICE_ACTION_IN_12;
  cdb[1] = 0x01;
  putU32(cdb, 6, allocationLength);
  return specIn(cdb, allocationLength, 'READ MEDIA SERIAL NUMBER');
}

// ---------------------------------------------------------------------------------------------
// START STOP UNIT (SBC-5)

/** POWER CONDITION field names (SBC-5). */
export type PowerCondition =
  | 'startValid'
  | 'active'
  | 'idle'
  | 'standby'
  | 'luControl'
  | 'forceIdle0'
  | 'forceStandby0';
export const POWER_CONDITION: Readonly<Record<PowerCondition, number>> = {
  startValid: 0x0,
  active: 0x1,
  idle: 0x2,
  standby: 0x3,
  luControl: 0x7,
  forceIdle0: 0xa,
  forceStandby0: 0xb,
};

export interface StartStopUnitParams {
  /** Return status before the operation completes. @default false */
  readonly immed?: boolean;
  /** Name or 4-bit value; anything but 'startValid' makes the device ignore START and LOEJ. @default 'startValid' */
  readonly powerCondition?: PowerCondition | number;
  /** 4 bits (e.g. idle_a/b/c with 'idle'). @default 0 */
  readonly powerConditionModifier?: number;
  /** Do not flush the cache before stopping. @default false */
  readonly noFlush?: boolean;
  /** Load (with start) or eject (without) the medium. @default false */
  readonly loej?: boolean;
  /** @default false */
  readonly start?: boolean;
}

export const StartStopUnitParamsSchema: z.ZodType<StartStopUnitParams> = z.strictObject({
  immed: z.boolean().exactOptional(),
  powerCondition: zCode(POWER_CONDITION, 4).exactOptional(),
  powerConditionModifier: zUint(4).exactOptional(),
  noFlush: z.boolean().exactOptional(),
  loej: z.boolean().exactOptional(),
  start: z.boolean().exactOptional(),
});

export function buildStartStopUnit(params: StartStopUnitParams = {}): CdbSpec {
  checkParams(params, 'params');
  const pc = pickCode(POWER_CONDITION, params.powerCondition ?? 'startValid', 4, 'powerCondition');
  const cdb = new Uint8Array(6);
  cdb[0] = 0x1b;
  cdb[1] = flag(params.immed, 0, 'immed');
  cdb[3] = checkUint(params.powerConditionModifier ?? 0, 4, 'powerConditionModifier');
  cdb[4] =
    (pc << 4) |
    flag(params.noFlush, 2, 'noFlush') |
    flag(params.loej, 1, 'loej') |
    flag(params.start, 0, 'start');
  return specNone(cdb, 'START STOP UNIT');
}

// ---------------------------------------------------------------------------------------------
// PREVENT ALLOW MEDIUM REMOVAL (SPC-6)

export interface PreventAllowMediumRemovalParams {
  /** 2 bits: 0 allow, 1 prevent; 2 and 3 are obsolete in SPC (MMC: persistent prevent). */
  readonly prevent: number;
}

export const PreventAllowMediumRemovalParamsSchema: z.ZodType<PreventAllowMediumRemovalParams> =
  z.strictObject({ prevent: zUint(2) });

export function buildPreventAllowMediumRemoval(params: PreventAllowMediumRemovalParams): CdbSpec {
  checkParams(params, 'params');
  const cdb = new Uint8Array(6);
  cdb[0] = 0x1e;
  cdb[4] = checkUint(params.prevent, 2, 'prevent');
  return specNone(cdb, 'PREVENT ALLOW MEDIUM REMOVAL');
}

// ---------------------------------------------------------------------------------------------
// READ ATTRIBUTE (SPC-6)

export type ReadAttributeServiceAction =
  | 'attributeValues'
  | 'attributeList'
  | 'logicalVolumeList'
  | 'partitionList'
  | 'supportedAttributes';
export const READ_ATTRIBUTE_SERVICE_ACTION: Readonly<Record<ReadAttributeServiceAction, number>> = {
  attributeValues: 0x00,
  attributeList: 0x01,
  logicalVolumeList: 0x02,
  partitionList: 0x03,
  supportedAttributes: 0x05,
};

export interface ReadAttributeParams {
  /** Name or 5-bit value. @default 'attributeValues' */
  readonly serviceAction?: ReadAttributeServiceAction | number;
  /** Restricted for SMC (media changer element address, bytes 2-3). @default 0 */
  readonly elementAddress?: number;
  /** @default 0 */
  readonly logicalVolumeNumber?: number;
  /** @default 0 */
  readonly partitionNumber?: number;
  /** 16 bits. @default 0 */
  readonly firstAttributeIdentifier?: number;
  /** 32 bits. @default 8192 */
  readonly allocationLength?: number;
  /** Attributes may come from a cache (no medium access). @default false */
  readonly cache?: boolean;
}

export const ReadAttributeParamsSchema: z.ZodType<ReadAttributeParams> = z.strictObject({
  serviceAction: zCode(READ_ATTRIBUTE_SERVICE_ACTION, 5).exactOptional(),
  elementAddress: zUint(16).exactOptional(),
  logicalVolumeNumber: zUint(8).exactOptional(),
  partitionNumber: zUint(8).exactOptional(),
  firstAttributeIdentifier: zUint(16).exactOptional(),
  allocationLength: zUint(32).exactOptional(),
  cache: z.boolean().exactOptional(),
});

export function buildReadAttribute(params: ReadAttributeParams = {}): CdbSpec {
  checkParams(params, 'params');
  const sa = pickCode(
    READ_ATTRIBUTE_SERVICE_ACTION,
    params.serviceAction ?? 'attributeValues',
    5,
    'serviceAction',
  );
  const allocationLength = checkUint(params.allocationLength ?? 8192, 32, 'allocationLength');
  const cdb = new Uint8Array(16);
  cdb[0] = 0x8c;
  cdb[1] = sa;
  putU16(cdb, 2, checkUint(params.elementAddress ?? 0, 16, 'elementAddress'));
  cdb[5] = checkUint(params.logicalVolumeNumber ?? 0, 8, 'logicalVolumeNumber');
  cdb[7] = checkUint(params.partitionNumber ?? 0, 8, 'partitionNumber');
  putU16(cdb, 8, checkUint(params.firstAttributeIdentifier ?? 0, 16, 'firstAttributeIdentifier'));
  putU32(cdb, 10, allocationLength);
  cdb[14] = flag(params.cache, 0, 'cache');
  return specIn(cdb, allocationLength, 'READ ATTRIBUTE');
}

/**
 * Typed decoders of individual log pages (SPC-6 7.3, SBC-5 6.5, SPL-5). Each works on the framed
 * page from `decodeLogPage`; parameters a page does not define (vendor codes) stay in
 * `LogPage.parameters` untouched.
 */
import { ByteReader, type ByteSource } from '../bytes.js';
import { DecodeError } from '../errors.js';
import { decodeLogPageFrame, type LogPageBody, type LogPageFrame, type LogParameter } from './log.js';

// ---------------------------------------------------------------------------------------------
// Field types
// ---------------------------------------------------------------------------------------------

/** Supported Log Pages (00h/00h). */
export interface SupportedLogPagesFields {
  readonly page: 'supportedPages';
  readonly supportedPages: number[];
}

/** Supported Log Pages and Subpages (00h/FFh) or a page's Supported Subpages (xxh/FFh). */
export interface SupportedLogSubpagesFields {
  readonly page: 'supportedSubpages';
  readonly supportedPagesAndSubpages: Array<{ pageCode: number; subpageCode: number }>;
}

/** Write (02h), Read (03h) and Verify (05h) Error Counter pages, SBC-5 / SPC-6 Table 423. */
export interface ErrorCounterLogFields {
  readonly page: 'writeErrorCounter' | 'readErrorCounter' | 'verifyErrorCounter';
  /** 0000h */
  readonly errorsCorrectedWithoutSubstantialDelay?: bigint;
  /** 0001h */
  readonly errorsCorrectedWithPossibleDelays?: bigint;
  /** 0002h */
  readonly totalRewritesOrRereads?: bigint;
  /** 0003h */
  readonly totalErrorsCorrected?: bigint;
  /** 0004h */
  readonly totalTimesCorrectionAlgorithmProcessed?: bigint;
  /** 0005h */
  readonly totalBytesProcessed?: bigint;
  /** 0006h */
  readonly totalUncorrectedErrors?: bigint;
}

/** Non-Medium Error page (06h). */
export interface NonMediumErrorLogFields {
  readonly page: 'nonMediumError';
  /** 0000h */
  readonly nonMediumErrorCount?: bigint;
}

/** Temperature page (0Dh), degrees Celsius; null when the device reports FFh (unknown). */
export interface TemperatureLogFields {
  readonly page: 'temperature';
  /** 0000h */
  readonly temperature?: number | null;
  /** 0001h: maximum reported sensor temperature for continuous operation. */
  readonly referenceTemperature?: number | null;
}

/** Week and year as the device reports them (ASCII digits, spaces when not set). */
export interface LogDate {
  readonly year: string;
  readonly week: string;
}

/** Start-Stop Cycle Counter page (0Eh), SPC-6 Table 430. */
export interface StartStopCycleCounterLogFields {
  readonly page: 'startStopCycleCounter';
  /** 0001h */
  readonly dateOfManufacture?: LogDate;
  /** 0002h */
  readonly accountingDate?: LogDate;
  /** 0003h */
  readonly specifiedCycleCountOverDeviceLifetime?: number;
  /** 0004h */
  readonly accumulatedStartStopCycles?: number;
  /** 0005h */
  readonly specifiedLoadUnloadCountOverDeviceLifetime?: number;
  /** 0006h */
  readonly accumulatedLoadUnloadCycles?: number;
}

/** SELF-TEST RESULTS values, SPC-6 Table 434. */
export const SELF_TEST_RESULTS_NAMES: Readonly<Record<number, string>> = {
  0: 'completed without error',
  1: 'aborted by SEND DIAGNOSTIC',
  2: 'aborted by other method',
  3: 'unknown error or unable to complete',
  4: 'completed, failed (segment unknown)',
  5: 'completed, first segment failed',
  6: 'completed, second segment failed',
  7: 'completed, another segment failed (see self-test number)',
  15: 'in progress',
};

/** One self-test results log parameter (0001h-0014h), SPC-6 Table 433. */
export interface SelfTestResult {
  readonly parameterCode: number;
  /** The SELF-TEST CODE of the SEND DIAGNOSTIC that started it (1 background short, 2 extended …). */
  readonly selfTestCode: number;
  readonly selfTestResults: number;
  readonly selfTestResultsName: string;
  /** Segment that failed, when selfTestResults is 7. */
  readonly selfTestNumber: number;
  /** Power-on hours when the test completed. */
  readonly accumulatedPowerOnHours: number;
  /** LBA of the first failure; all ones when none. */
  readonly addressOfFirstFailure: bigint;
  readonly senseKey: number;
  readonly asc: number;
  readonly ascq: number;
  readonly vendorSpecific: number;
}

/** Self-Test Results page (10h): 20 entries, newest first; unused entries are all zero. */
export interface SelfTestResultsLogFields {
  readonly page: 'selfTestResults';
  readonly results: SelfTestResult[];
}

/** Solid State Media page (11h), SBC-5. */
export interface SolidStateMediaLogFields {
  readonly page: 'solidStateMedia';
  /** 0001h: percentage of rated endurance used (may exceed 100). */
  readonly percentageUsedEnduranceIndicator?: number;
}

/** BACKGROUND SCAN STATUS values, SBC-5 Table 231. */
export const BACKGROUND_SCAN_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'no background scans active',
  1: 'background medium scan active',
  2: 'background pre-scan active',
  3: 'halted due to fatal error',
  4: 'halted due to a vendor specific pattern of errors',
  5: 'halted due to medium formatted without P-list',
  6: 'halted due to a vendor specific cause',
  7: 'halted due to temperature out of allowed range',
  8: 'waiting for the background medium scan interval timer to expire',
};

/** Background scan status parameter (0000h), SBC-5 Table 230. */
export interface BackgroundScanStatus {
  readonly accumulatedPowerOnMinutes: number;
  readonly backgroundScanStatus: number;
  readonly backgroundScanStatusName?: string;
  readonly numberOfBackgroundScansPerformed: number;
  /** Fraction of the current scan done, in 1/65536 units. */
  readonly backgroundScanProgress: number;
  readonly numberOfBackgroundMediumScansPerformed: number;
}

/** Background medium scan parameter (0001h-0800h), SBC-5 Table 232. */
export interface BackgroundMediumScanEntry {
  readonly parameterCode: number;
  readonly accumulatedPowerOnMinutes: number;
  readonly reassignStatus: number;
  readonly senseKey: number;
  readonly asc: number;
  readonly ascq: number;
  /** Bytes 11-15 of the parameter. */
  readonly vendorSpecific: Uint8Array;
  readonly logicalBlockAddress: bigint;
}

/** Background Scan Results page (15h). */
export interface BackgroundScanLogFields {
  readonly page: 'backgroundScanResults';
  readonly status?: BackgroundScanStatus;
  readonly mediumScans: BackgroundMediumScanEntry[];
}

/** Phy event descriptor, SPL-5 Table 372. */
export interface SasPhyEventDescriptor {
  readonly phyEventSource: number;
  readonly phyEvent: number;
  readonly peakValueDetectorThreshold: number;
}

/** SAS phy log descriptor, SPL-5 Table 370. */
export interface SasPhyLogDescriptor {
  readonly phyIdentifier: number;
  readonly attachedDeviceType: number;
  readonly attachedReason: number;
  readonly reason: number;
  readonly negotiatedLogicalLinkRate: number;
  readonly attachedSspInitiatorPort: boolean;
  readonly attachedStpInitiatorPort: boolean;
  readonly attachedSmpInitiatorPort: boolean;
  readonly attachedSspTargetPort: boolean;
  readonly attachedStpTargetPort: boolean;
  readonly attachedSmpTargetPort: boolean;
  readonly sasAddress: bigint;
  readonly attachedSasAddress: bigint;
  readonly attachedPhyIdentifier: number;
  readonly invalidDwordCount: number;
  readonly runningDisparityErrorCount: number;
  readonly lossOfDwordSynchronizationCount: number;
  readonly phyResetProblemCount: number;
  readonly phyEventDescriptors: SasPhyEventDescriptor[];
}

/** One port's parameter of the Protocol Specific Port page (18h). SAS details only for protocol 6. */
export interface ProtocolSpecificPortLogParameter {
  /** The parameter code is the relative target port identifier. */
  readonly relativeTargetPortIdentifier: number;
  readonly protocolIdentifier: number;
  readonly generationCode?: number;
  readonly numberOfPhys?: number;
  readonly phys?: SasPhyLogDescriptor[];
}

export interface ProtocolSpecificPortLogFields {
  readonly page: 'protocolSpecificPort';
  readonly ports: ProtocolSpecificPortLogParameter[];
}

/** General Access Statistics and Performance parameter (0001h), SPC-6 Table 426. */
export interface GeneralAccessStatistics {
  readonly numberOfReadCommands: bigint;
  readonly numberOfWriteCommands: bigint;
  readonly numberOfLogicalBlocksReceived: bigint;
  readonly numberOfLogicalBlocksTransmitted: bigint;
  readonly readCommandProcessingIntervals: bigint;
  readonly writeCommandProcessingIntervals: bigint;
  readonly weightedNumberOfReadCommandsPlusWriteCommands: bigint;
  readonly weightedReadCommandProcessingPlusWriteCommandProcessing: bigint;
}

/** Force Unit Access Statistics and Performance parameter (0004h). */
export interface ForceUnitAccessStatistics {
  readonly numberOfReadFuaCommands: bigint;
  readonly numberOfWriteFuaCommands: bigint;
  readonly numberOfReadFuaNvCommands: bigint;
  readonly numberOfWriteFuaNvCommands: bigint;
  readonly readFuaCommandProcessingIntervals: bigint;
  readonly writeFuaCommandProcessingIntervals: bigint;
  readonly readFuaNvCommandProcessingIntervals: bigint;
  readonly writeFuaNvCommandProcessingIntervals: bigint;
}

/** General Statistics and Performance page (19h/00h). Intervals are in timeInterval units. */
export interface GeneralStatisticsLogFields {
  readonly page: 'generalStatisticsAndPerformance';
  readonly generalAccessStatistics?: GeneralAccessStatistics;
  /** 0002h */
  readonly idleTimeIntervals?: bigint;
  /** 0003h: one interval is integer × 10^-exponent seconds. */
  readonly timeInterval?: { readonly exponent: number; readonly integer: number };
  readonly forceUnitAccessStatistics?: ForceUnitAccessStatistics;
}

/** Power Condition Transitions page (1Ah), SPC-6 Table 437. */
export interface PowerConditionTransitionsLogFields {
  readonly page: 'powerConditionTransitions';
  /** 0001h */
  readonly accumulatedTransitionsToActive?: number;
  /** 0002h */
  readonly accumulatedTransitionsToIdleA?: number;
  /** 0003h */
  readonly accumulatedTransitionsToIdleB?: number;
  /** 0004h */
  readonly accumulatedTransitionsToIdleC?: number;
  /** 0008h */
  readonly accumulatedTransitionsToStandbyZ?: number;
  /** 0009h */
  readonly accumulatedTransitionsToStandbyY?: number;
}

/** Informational Exceptions page (2Fh), parameter 0000h, SPC-6 Table 432. */
export interface InformationalExceptionsLogFields {
  readonly page: 'informationalExceptions';
  /** INFORMATIONAL EXCEPTION ADDITIONAL SENSE CODE (0 = no exception). */
  readonly asc?: number;
  /** INFORMATIONAL EXCEPTION ADDITIONAL SENSE CODE QUALIFIER. */
  readonly ascq?: number;
  /** Degrees Celsius; FFh = unknown gives null. */
  readonly mostRecentTemperatureReading?: number | null;
  /** Value bytes after the first three. */
  readonly vendorSpecific?: Uint8Array;
}

export type LogPageFields =
  | SupportedLogPagesFields
  | SupportedLogSubpagesFields
  | ErrorCounterLogFields
  | NonMediumErrorLogFields
  | TemperatureLogFields
  | StartStopCycleCounterLogFields
  | SelfTestResultsLogFields
  | SolidStateMediaLogFields
  | BackgroundScanLogFields
  | ProtocolSpecificPortLogFields
  | GeneralStatisticsLogFields
  | PowerConditionTransitionsLogFields
  | InformationalExceptionsLogFields;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function paramName(p: LogParameter): string {
  return `parameter 0x${p.parameterCode.toString(16).padStart(4, '0')}`;
}

/** A reader over a parameter's value bytes; field names say which parameter they belong to. */
function valueReader(p: LogParameter): ByteReader {
  return new ByteReader(p.raw);
}

function needLength(p: LogParameter, min: number, field: string): void {
  if (p.raw.length < min) {
    throw new DecodeError(
      field,
      `${paramName(p)} needs ${min} value byte(s), has ${p.raw.length}`,
      p.offset + 3,
    );
  }
}

/** Any-length binary value as a bigint (counters may be 1-8 bytes or longer). */
function counter(p: LogParameter): bigint {
  let v = 0n;
  for (const b of p.raw) v = (v << 8n) | BigInt(b);
  return v;
}

/** A counter that T10 defines as 4 bytes; tolerant of other lengths but never lossy. */
function smallCounter(p: LogParameter, field: string): number {
  needLength(p, 1, field);
  const v = counter(p);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new DecodeError(field, `${paramName(p)} value ${v} does not fit a number`, p.offset);
  }
  return Number(v);
}

function temperatureByte(v: number): number | null {
  return v === 0xff ? null : v;
}

function logDate(p: LogParameter, field: string): LogDate {
  needLength(p, 6, field);
  const text = (a: number, b: number) =>
    Array.from(p.raw.subarray(a, b), (c) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.')).join('');
  return { year: text(0, 4), week: text(4, 6) };
}

// ---------------------------------------------------------------------------------------------
// Interpreters
// ---------------------------------------------------------------------------------------------

function supportedPages(page: LogPageBody): SupportedLogPagesFields {
  return { page: 'supportedPages', supportedPages: Array.from(page.body, (b) => b & 0x3f) };
}

function supportedSubpages(page: LogPageBody): SupportedLogSubpagesFields {
  const b = page.body;
  if (b.length % 2 !== 0 && !page.truncated) {
    throw new DecodeError('supportedPagesAndSubpages', `odd list length ${b.length}`, 4 + b.length - 1);
  }
  const list: Array<{ pageCode: number; subpageCode: number }> = [];
  for (let i = 0; i + 1 < b.length; i += 2) {
    list.push({ pageCode: (b[i] as number) & 0x3f, subpageCode: b[i + 1] as number });
  }
  return { page: 'supportedSubpages', supportedPagesAndSubpages: list };
}

const ERROR_COUNTER_NAMES = [
  'errorsCorrectedWithoutSubstantialDelay',
  'errorsCorrectedWithPossibleDelays',
  'totalRewritesOrRereads',
  'totalErrorsCorrected',
  'totalTimesCorrectionAlgorithmProcessed',
  'totalBytesProcessed',
  'totalUncorrectedErrors',
] as const;

function errorCounter(page: LogPageBody, name: ErrorCounterLogFields['page']): ErrorCounterLogFields {
  const out: Record<string, bigint> = {};
  for (const p of page.parameters) {
    const field = ERROR_COUNTER_NAMES[p.parameterCode];
    if (field !== undefined) out[field] = counter(p);
  }
  return { page: name, ...out };
}

function nonMediumError(page: LogPageBody): NonMediumErrorLogFields {
  const p = page.parameters.find((x) => x.parameterCode === 0);
  return p === undefined
    ? { page: 'nonMediumError' }
    : { page: 'nonMediumError', nonMediumErrorCount: counter(p) };
}

function temperature(page: LogPageBody): TemperatureLogFields {
  let out: TemperatureLogFields = { page: 'temperature' };
  for (const p of page.parameters) {
    if (p.parameterCode === 0) {
      out = { ...out, temperature: temperatureByte(valueReader(p).u8(1, 'temperature')) };
    } else if (p.parameterCode === 1) {
      out = { ...out, referenceTemperature: temperatureByte(valueReader(p).u8(1, 'referenceTemperature')) };
    }
  }
  return out;
}

function startStop(page: LogPageBody): StartStopCycleCounterLogFields {
  let out: StartStopCycleCounterLogFields = { page: 'startStopCycleCounter' };
  for (const p of page.parameters) {
    switch (p.parameterCode) {
      case 1:
        out = { ...out, dateOfManufacture: logDate(p, 'dateOfManufacture') };
        break;
      case 2:
        out = { ...out, accountingDate: logDate(p, 'accountingDate') };
        break;
      case 3:
        out = {
          ...out,
          specifiedCycleCountOverDeviceLifetime: smallCounter(p, 'specifiedCycleCountOverDeviceLifetime'),
        };
        break;
      case 4:
        out = { ...out, accumulatedStartStopCycles: smallCounter(p, 'accumulatedStartStopCycles') };
        break;
      case 5:
        out = {
          ...out,
          specifiedLoadUnloadCountOverDeviceLifetime: smallCounter(
            p,
            'specifiedLoadUnloadCountOverDeviceLifetime',
          ),
        };
        break;
      case 6:
        out = { ...out, accumulatedLoadUnloadCycles: smallCounter(p, 'accumulatedLoadUnloadCycles') };
        break;
      default:
        break;
    }
  }
  return out;
}

function selfTestResults(page: LogPageBody): SelfTestResultsLogFields {
  const results: SelfTestResult[] = [];
  for (const p of page.parameters) {
    if (p.parameterCode < 1 || p.parameterCode > 20) continue;
    needLength(p, 16, 'selfTestResult');
    const r = valueReader(p);
    const code = r.bits(0, 0, 4, 'selfTestResults');
    results.push({
      parameterCode: p.parameterCode,
      selfTestCode: r.bits(0, 5, 3, 'selfTestCode'),
      selfTestResults: code,
      selfTestResultsName: SELF_TEST_RESULTS_NAMES[code] ?? `reserved (${code})`,
      selfTestNumber: r.u8(1, 'selfTestNumber'),
      accumulatedPowerOnHours: r.u16(2, 'accumulatedPowerOnHours'),
      addressOfFirstFailure: r.u64(4, 'addressOfFirstFailure'),
      senseKey: r.bits(12, 0, 4, 'senseKey'),
      asc: r.u8(13, 'asc'),
      ascq: r.u8(14, 'ascq'),
      vendorSpecific: r.u8(15, 'vendorSpecific'),
    });
  }
  return { page: 'selfTestResults', results };
}

function solidStateMedia(page: LogPageBody): SolidStateMediaLogFields {
  const p = page.parameters.find((x) => x.parameterCode === 1);
  if (p === undefined) return { page: 'solidStateMedia' };
  return {
    page: 'solidStateMedia',
    percentageUsedEnduranceIndicator: valueReader(p).u8(3, 'percentageUsedEnduranceIndicator'),
  };
}

function backgroundScan(page: LogPageBody): BackgroundScanLogFields {
  let status: BackgroundScanStatus | undefined;
  const mediumScans: BackgroundMediumScanEntry[] = [];
  for (const p of page.parameters) {
    const r = valueReader(p);
    if (p.parameterCode === 0) {
      needLength(p, 12, 'backgroundScanStatus');
      const s = r.u8(5, 'backgroundScanStatus');
      const name = BACKGROUND_SCAN_STATUS_NAMES[s];
      status = {
        accumulatedPowerOnMinutes: r.u32(0, 'accumulatedPowerOnMinutes'),
        backgroundScanStatus: s,
        ...(name === undefined ? {} : { backgroundScanStatusName: name }),
        numberOfBackgroundScansPerformed: r.u16(6, 'numberOfBackgroundScansPerformed'),
        backgroundScanProgress: r.u16(8, 'backgroundScanProgress'),
        numberOfBackgroundMediumScansPerformed: r.u16(10, 'numberOfBackgroundMediumScansPerformed'),
      };
    } else if (p.parameterCode >= 0x0001 && p.parameterCode <= 0x0800) {
      needLength(p, 20, 'backgroundMediumScan');
      mediumScans.push({
        parameterCode: p.parameterCode,
        accumulatedPowerOnMinutes: r.u32(0, 'accumulatedPowerOnMinutes'),
        reassignStatus: r.bits(4, 4, 4, 'reassignStatus'),
        senseKey: r.bits(4, 0, 4, 'senseKey'),
        asc: r.u8(5, 'asc'),
        ascq: r.u8(6, 'ascq'),
        vendorSpecific: r.slice(7, 5, 'vendorSpecific'),
        logicalBlockAddress: r.u64(12, 'logicalBlockAddress'),
      });
    }
  }
  return { page: 'backgroundScanResults', ...(status === undefined ? {} : { status }), mediumScans };
}

/** SAS-1 devices left the descriptor length 0; such descriptors are 48 bytes. */
function sasPhys(p: LogParameter): SasPhyLogDescriptor[] {
  const r = valueReader(p);
  const phys: SasPhyLogDescriptor[] = [];
  let off = 4;
  while (off < r.length) {
    const declared = r.u8(off + 3, 'sasPhyLogDescriptorLength');
    const size = declared < 44 ? 48 : declared + 4;
    r.need(off, size, 'sasPhyLogDescriptor');
    const events: SasPhyEventDescriptor[] = [];
    if (size > 51) {
      const count = r.u8(off + 51, 'numberOfPhyEventDescriptors');
      const eventLength = r.u8(off + 49, 'phyEventDescriptorLength');
      const step = eventLength === 0 ? 12 : eventLength;
      if (step < 12) throw new DecodeError('phyEventDescriptorLength', `${step} is less than 12`, off + 49);
      if (52 + count * step > size) {
        throw new DecodeError(
          'numberOfPhyEventDescriptors',
          `${count} descriptors of ${step} bytes overrun the ${size}-byte phy descriptor`,
          off + 51,
        );
      }
      for (let i = 0; i < count; i++) {
        const e = off + 52 + i * step;
        events.push({
          phyEventSource: r.u8(e + 3, 'phyEventSource'),
          phyEvent: r.u32(e + 4, 'phyEvent'),
          peakValueDetectorThreshold: r.u32(e + 8, 'peakValueDetectorThreshold'),
        });
      }
    }
    phys.push({
      phyIdentifier: r.u8(off + 1, 'phyIdentifier'),
      attachedDeviceType: r.bits(off + 4, 4, 3, 'attachedDeviceType'),
      attachedReason: r.bits(off + 4, 0, 4, 'attachedReason'),
      reason: r.bits(off + 5, 4, 4, 'reason'),
      negotiatedLogicalLinkRate: r.bits(off + 5, 0, 4, 'negotiatedLogicalLinkRate'),
      attachedSspInitiatorPort: r.bit(off + 6, 3, 'attachedSspInitiatorPort'),
      attachedStpInitiatorPort: r.bit(off + 6, 2, 'attachedStpInitiatorPort'),
      attachedSmpInitiatorPort: r.bit(off + 6, 1, 'attachedSmpInitiatorPort'),
      attachedSspTargetPort: r.bit(off + 7, 3, 'attachedSspTargetPort'),
      attachedStpTargetPort: r.bit(off + 7, 2, 'attachedStpTargetPort'),
      attachedSmpTargetPort: r.bit(off + 7, 1, 'attachedSmpTargetPort'),
      sasAddress: r.u64(off + 8, 'sasAddress'),
      attachedSasAddress: r.u64(off + 16, 'attachedSasAddress'),
      attachedPhyIdentifier: r.u8(off + 24, 'attachedPhyIdentifier'),
      invalidDwordCount: r.u32(off + 32, 'invalidDwordCount'),
      runningDisparityErrorCount: r.u32(off + 36, 'runningDisparityErrorCount'),
      lossOfDwordSynchronizationCount: r.u32(off + 40, 'lossOfDwordSynchronizationCount'),
      phyResetProblemCount: r.u32(off + 44, 'phyResetProblemCount'),
      phyEventDescriptors: events,
    });
    off += size;
  }
  return phys;
}

function protocolSpecificPort(page: LogPageBody): ProtocolSpecificPortLogFields {
  const ports: ProtocolSpecificPortLogParameter[] = [];
  for (const p of page.parameters) {
    const r = valueReader(p);
    const protocolIdentifier = r.bits(0, 0, 4, 'protocolIdentifier');
    if (protocolIdentifier !== 6) {
      ports.push({ relativeTargetPortIdentifier: p.parameterCode, protocolIdentifier });
      continue;
    }
    ports.push({
      relativeTargetPortIdentifier: p.parameterCode,
      protocolIdentifier,
      generationCode: r.u8(2, 'generationCode'),
      numberOfPhys: r.u8(3, 'numberOfPhys'),
      phys: sasPhys(p),
    });
  }
  return { page: 'protocolSpecificPort', ports };
}

function generalStatistics(page: LogPageBody): GeneralStatisticsLogFields {
  let out: GeneralStatisticsLogFields = { page: 'generalStatisticsAndPerformance' };
  for (const p of page.parameters) {
    const r = valueReader(p);
    const q = (i: number, name: string) => r.u64(i * 8, name);
    switch (p.parameterCode) {
      case 1:
        needLength(p, 64, 'generalAccessStatistics');
        out = {
          ...out,
          generalAccessStatistics: {
            numberOfReadCommands: q(0, 'numberOfReadCommands'),
            numberOfWriteCommands: q(1, 'numberOfWriteCommands'),
            numberOfLogicalBlocksReceived: q(2, 'numberOfLogicalBlocksReceived'),
            numberOfLogicalBlocksTransmitted: q(3, 'numberOfLogicalBlocksTransmitted'),
            readCommandProcessingIntervals: q(4, 'readCommandProcessingIntervals'),
            writeCommandProcessingIntervals: q(5, 'writeCommandProcessingIntervals'),
            weightedNumberOfReadCommandsPlusWriteCommands: q(
              6,
              'weightedNumberOfReadCommandsPlusWriteCommands',
            ),
            weightedReadCommandProcessingPlusWriteCommandProcessing: q(
              7,
              'weightedReadCommandProcessingPlusWriteCommandProcessing',
            ),
          },
        };
        break;
      case 2:
        out = { ...out, idleTimeIntervals: q(0, 'idleTimeIntervals') };
        break;
      case 3:
        out = { ...out, timeInterval: { exponent: r.u32(0, 'exponent'), integer: r.u32(4, 'integer') } };
        break;
      case 4:
        needLength(p, 64, 'forceUnitAccessStatistics');
        out = {
          ...out,
          forceUnitAccessStatistics: {
            numberOfReadFuaCommands: q(0, 'numberOfReadFuaCommands'),
            numberOfWriteFuaCommands: q(1, 'numberOfWriteFuaCommands'),
            numberOfReadFuaNvCommands: q(2, 'numberOfReadFuaNvCommands'),
            numberOfWriteFuaNvCommands: q(3, 'numberOfWriteFuaNvCommands'),
            readFuaCommandProcessingIntervals: q(4, 'readFuaCommandProcessingIntervals'),
            writeFuaCommandProcessingIntervals: q(5, 'writeFuaCommandProcessingIntervals'),
            readFuaNvCommandProcessingIntervals: q(6, 'readFuaNvCommandProcessingIntervals'),
            writeFuaNvCommandProcessingIntervals: q(7, 'writeFuaNvCommandProcessingIntervals'),
          },
        };
        break;
      default:
        break;
    }
  }
  return out;
}

const TRANSITION_NAMES: Readonly<Record<number, keyof Omit<PowerConditionTransitionsLogFields, 'page'>>> = {
  1: 'accumulatedTransitionsToActive',
  2: 'accumulatedTransitionsToIdleA',
  3: 'accumulatedTransitionsToIdleB',
  4: 'accumulatedTransitionsToIdleC',
  8: 'accumulatedTransitionsToStandbyZ',
  9: 'accumulatedTransitionsToStandbyY',
};

function powerConditionTransitions(page: LogPageBody): PowerConditionTransitionsLogFields {
  const out: Record<string, number> = {};
  for (const p of page.parameters) {
    const name = TRANSITION_NAMES[p.parameterCode];
    if (name !== undefined) out[name] = smallCounter(p, name);
  }
  return { page: 'powerConditionTransitions', ...out };
}

function informationalExceptions(page: LogPageBody): InformationalExceptionsLogFields {
  const p = page.parameters.find((x) => x.parameterCode === 0);
  if (p === undefined) return { page: 'informationalExceptions' };
  const r = valueReader(p);
  return {
    page: 'informationalExceptions',
    asc: r.u8(0, 'asc'),
    ascq: r.u8(1, 'ascq'),
    ...(p.raw.length >= 3
      ? { mostRecentTemperatureReading: temperatureByte(r.u8(2, 'mostRecentTemperatureReading')) }
      : {}),
    ...(p.raw.length > 3 ? { vendorSpecific: p.raw.slice(3) } : {}),
  };
}

/**
 * Typed fields for a framed page, or undefined for pages without a decoder. Throws DecodeError
 * for malformed parameters (decodeLogPage turns that into `fieldsError`).
 */
export function decodeLogPageFields(page: LogPageBody): LogPageFields | undefined {
  if (page.subpageCode === 0xff) return supportedSubpages(page);
  if (page.subpageCode !== 0) return undefined;
  switch (page.pageCode) {
    case 0x00:
      return supportedPages(page);
    case 0x02:
      return errorCounter(page, 'writeErrorCounter');
    case 0x03:
      return errorCounter(page, 'readErrorCounter');
    case 0x05:
      return errorCounter(page, 'verifyErrorCounter');
    case 0x06:
      return nonMediumError(page);
    case 0x0d:
      return temperature(page);
    case 0x0e:
      return startStop(page);
    case 0x10:
      return selfTestResults(page);
    case 0x11:
      return solidStateMedia(page);
    case 0x15:
      return backgroundScan(page);
    case 0x18:
      return protocolSpecificPort(page);
    case 0x19:
      return generalStatistics(page);
    case 0x1a:
      return powerConditionTransitions(page);
    case 0x2f:
      return informationalExceptions(page);
    default:
      return undefined;
  }
}

/** A decoded log page: the frame (without its raw body) plus typed fields where a decoder exists. */
export interface LogPage extends Omit<LogPageFrame, 'body'> {
  /** Typed fields for pages with a decoder (narrow on `fields.page`). */
  readonly fields?: LogPageFields;
  /** Why `fields` is missing although a decoder exists (a malformed parameter). */
  readonly fieldsError?: string;
}

/**
 * Decodes a LOG SENSE answer. Bytes beyond PAGE LENGTH are ignored; fewer bytes than it announces
 * (a small allocation length) give `truncated: true` with the complete parameters decoded.
 * A parameter running past PAGE LENGTH is inconsistent and throws DecodeError; a parameter a typed
 * decoder cannot read leaves `fields` out and says why in `fieldsError`.
 */
export function decodeLogPage(bytes: ByteSource): LogPage {
  const { body, ...page } = decodeLogPageFrame(bytes);
  try {
    const fields = decodeLogPageFields({
      pageCode: page.pageCode,
      subpageCode: page.subpageCode,
      parameters: page.parameters,
      body,
      truncated: page.truncated,
    });
    return fields === undefined ? page : { ...page, fields };
  } catch (e) {
    if (e instanceof DecodeError) return { ...page, fieldsError: e.message };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Stand-alone decoders: check the page code, return the framed page with its typed fields
// ---------------------------------------------------------------------------------------------

type PageName = LogPageFields['page'];
export type TypedLogPage<N extends PageName> = LogPage & {
  readonly fields: Extract<LogPageFields, { page: N }>;
};

function expectPage<N extends PageName>(
  bytes: ByteSource,
  pageCodes: readonly number[],
  subpageCode: number,
  names: readonly N[],
): TypedLogPage<N> {
  const page = decodeLogPage(bytes);
  if (!pageCodes.includes(page.pageCode) || page.subpageCode !== subpageCode) {
    throw new DecodeError(
      'pageCode',
      `expected log page ${pageCodes.map((c) => `0x${c.toString(16)}`).join('/')}, subpage ${subpageCode}; got 0x${page.pageCode.toString(16)}/${page.subpageCode}`,
      0,
    );
  }
  if (page.fields === undefined) {
    throw new DecodeError('parameters', page.fieldsError ?? 'no typed decoder for this page', 4);
  }
  const fields = page.fields;
  if (!(names as readonly string[]).includes(fields.page)) {
    throw new DecodeError('pageCode', `decoded as ${fields.page}`, 0);
  }
  return page as TypedLogPage<N>;
}

/** Supported Log Pages (00h). */
export function decodeSupportedLogPages(bytes: ByteSource): TypedLogPage<'supportedPages'> {
  return expectPage(bytes, [0x00], 0, ['supportedPages']);
}

/** Supported Log Pages and Subpages (00h/FFh), or any page's supported subpages (xxh/FFh). */
export function decodeSupportedLogSubpages(bytes: ByteSource): TypedLogPage<'supportedSubpages'> {
  const page = decodeLogPage(bytes);
  if (page.subpageCode !== 0xff) {
    throw new DecodeError('subpageCode', `expected FFh, got 0x${page.subpageCode.toString(16)}`, 1);
  }
  return expectPage(bytes, [page.pageCode], 0xff, ['supportedSubpages']);
}

/** Write (02h), Read (03h) or Verify (05h) Error Counter page. */
export function decodeErrorCounterLogPage(
  bytes: ByteSource,
): TypedLogPage<'writeErrorCounter' | 'readErrorCounter' | 'verifyErrorCounter'> {
  return expectPage(bytes, [0x02, 0x03, 0x05], 0, [
    'writeErrorCounter',
    'readErrorCounter',
    'verifyErrorCounter',
  ]);
}

export function decodeNonMediumErrorLogPage(bytes: ByteSource): TypedLogPage<'nonMediumError'> {
  return expectPage(bytes, [0x06], 0, ['nonMediumError']);
}

export function decodeTemperatureLogPage(bytes: ByteSource): TypedLogPage<'temperature'> {
  return expectPage(bytes, [0x0d], 0, ['temperature']);
}

export function decodeStartStopCycleCounterLogPage(bytes: ByteSource): TypedLogPage<'startStopCycleCounter'> {
  return expectPage(bytes, [0x0e], 0, ['startStopCycleCounter']);
}

export function decodeSelfTestResultsLogPage(bytes: ByteSource): TypedLogPage<'selfTestResults'> {
  return expectPage(bytes, [0x10], 0, ['selfTestResults']);
}

export function decodeSolidStateMediaLogPage(bytes: ByteSource): TypedLogPage<'solidStateMedia'> {
  return expectPage(bytes, [0x11], 0, ['solidStateMedia']);
}

export function decodeBackgroundScanResultsLogPage(bytes: ByteSource): TypedLogPage<'backgroundScanResults'> {
  return expectPage(bytes, [0x15], 0, ['backgroundScanResults']);
}

export function decodeProtocolSpecificPortLogPage(bytes: ByteSource): TypedLogPage<'protocolSpecificPort'> {
  return expectPage(bytes, [0x18], 0, ['protocolSpecificPort']);
}

export function decodeGeneralStatisticsLogPage(
  bytes: ByteSource,
): TypedLogPage<'generalStatisticsAndPerformance'> {
  return expectPage(bytes, [0x19], 0, ['generalStatisticsAndPerformance']);
}

export function decodePowerConditionTransitionsLogPage(
  bytes: ByteSource,
): TypedLogPage<'powerConditionTransitions'> {
  return expectPage(bytes, [0x1a], 0, ['powerConditionTransitions']);
}

export function decodeInformationalExceptionsLogPage(
  bytes: ByteSource,
): TypedLogPage<'informationalExceptions'> {
  return expectPage(bytes, [0x2f], 0, ['informationalExceptions']);
}

/**
 * Disk health: one verdict like `smartctl -H`, from what the device itself reports. A SATA disk
 * behind a SAT layer (INQUIRY vendor "ATA", as libata answers) is asked SMART RETURN STATUS and its
 * attribute table; a SCSI disk its Informational Exceptions log page (2Fh) — or, without it, the
 * Informational Exceptions Control mode page (1Ch) and REQUEST SENSE, as smartctl does — then its
 * self-test (10h) and background scan (15h) logs when it has them. Every command here is
 * read-class: `health()` works on a device opened read-only.
 */
import {
  ascAscqDescription,
  BACKGROUND_SCAN_STATUS_NAMES,
  type BackgroundScanLogFields,
  buildRequestSense,
  DecodeError,
  decodeInformationalExceptionsControlPage,
  decodeSense,
  type InformationalExceptionsLogFields,
  SENSE_KEY,
  type SelfTestResultsLogFields,
} from '@scsikit/cdb';
import { smartAttributes, smartReturnStatus } from './commands/ata.js';
import { CheckConditionError, ScsiStatusError } from './errors.js';
import type { CommandOptions, Funnel } from './funnel.js';
import { inquiry, logSense, modeSense } from './spc.js';

/** smartctl -H's answer: PASSED, FAILED, or UNKNOWN when no source could say. */
export type HealthVerdict = 'PASSED' | 'FAILED' | 'UNKNOWN';

/** Where a fact came from. */
export type HealthSource =
  | 'smartReturnStatus'
  | 'smartAttributes'
  | 'informationalExceptionsLog'
  | 'informationalExceptionsMode'
  | 'requestSense'
  | 'selfTestLog'
  | 'backgroundScanLog';

/** How asking one source went. */
export interface HealthSourceOutcome {
  readonly source: HealthSource;
  /**
   * 'ok': answered. 'unsupported': the device does not have it (not in the supported log pages,
   * ILLEGAL REQUEST, informational exceptions disabled). 'error': it failed another way (`error`).
   */
  readonly status: 'ok' | 'unsupported' | 'error';
  readonly error?: string;
}

interface ReasonBase {
  /** 'failure' makes the verdict FAILED; 'warning' is reported but leaves it. */
  readonly severity: 'failure' | 'warning';
  readonly source: HealthSource;
  /** One line for people. */
  readonly message: string;
}

/** SMART RETURN STATUS answered F4h/2Ch: the drive predicts its own failure. */
export interface SmartThresholdExceededReason extends ReasonBase {
  readonly kind: 'smartThresholdExceeded';
}

/** An attribute at or below its threshold now (smartctl's FAILING_NOW) or once (In_the_past). */
export interface SmartAttributeReason extends ReasonBase {
  readonly kind: 'attributeFailingNow' | 'attributeFailedInPast';
  readonly id: number;
  readonly name?: string;
  readonly current: number;
  readonly worst: number;
  readonly threshold: number;
  readonly prefailure: boolean;
}

/** SMART READ DATA's byte 511 does not make the sector sum to zero. */
export interface SmartChecksumReason extends ReasonBase {
  readonly kind: 'smartDataChecksum';
}

/** An informational exception reported (IE log page 2Fh or REQUEST SENSE): ASC 5Dh is a failure prediction. */
export interface InformationalExceptionReason extends ReasonBase {
  readonly kind: 'informationalException';
  readonly asc: number;
  readonly ascq: number;
  readonly description: string;
}

/** A self-test in the self-test results log (10h) that did not complete without error. */
export interface SelfTestReason extends ReasonBase {
  readonly kind: 'selfTestFailed';
  /** Parameter code: 1 is the most recent test. */
  readonly parameterCode: number;
  readonly selfTestCode: number;
  readonly selfTestResults: number;
  readonly selfTestResultsName: string;
  readonly accumulatedPowerOnHours: number;
  /** LBA of the first failure, absent when the log says none (all ones). */
  readonly addressOfFirstFailure?: bigint;
  readonly senseKey: number;
  readonly asc: number;
  readonly ascq: number;
}

/** The background scan halted for a reason other than being told to, or found medium errors. */
export interface BackgroundScanReason extends ReasonBase {
  readonly kind: 'backgroundScanHalted' | 'backgroundScanMediumErrors';
  readonly backgroundScanStatus?: number;
  readonly backgroundScanStatusName?: string;
  /** Medium scan parameters with a MEDIUM ERROR or HARDWARE ERROR sense key. */
  readonly mediumErrors?: number;
}

/** One typed finding behind the verdict (narrow on `kind`). */
export type HealthReason =
  | SmartThresholdExceededReason
  | SmartAttributeReason
  | SmartChecksumReason
  | InformationalExceptionReason
  | SelfTestReason
  | BackgroundScanReason;

/** What `device.health()` resolves with. */
export interface HealthReport {
  /**
   * FAILED: a failure reason. PASSED: no failure and the primary source answered (SMART RETURN
   * STATUS or the attributes for ATA; the IE log page or REQUEST SENSE with exceptions enabled for
   * SCSI). UNKNOWN: no primary source answered.
   */
  readonly verdict: HealthVerdict;
  /** 'ata': asked through SAT ATA PASS-THROUGH; 'scsi': through SPC log and mode pages. */
  readonly protocol: 'ata' | 'scsi';
  readonly reasons: readonly HealthReason[];
  readonly sources: readonly HealthSourceOutcome[];
  /** Degrees Celsius: the IE log's most recent temperature, or SMART attribute 194's raw low byte. */
  readonly temperatureCelsius?: number;
}

export interface HealthOptions extends CommandOptions {
  /** 'auto': ATA when INQUIRY's vendor is "ATA" (a SATL such as libata), else SCSI. @default 'auto' */
  readonly protocol?: 'auto' | 'ata' | 'scsi';
}

/** Failures of a source that mean "not answered" rather than "the disk or the path is broken". */
function sourceOutcome(source: HealthSource, e: unknown): HealthSourceOutcome {
  if (e instanceof CheckConditionError || e instanceof ScsiStatusError || e instanceof DecodeError) {
    const unsupported = e instanceof CheckConditionError && e.senseKey === SENSE_KEY.ILLEGAL_REQUEST;
    return { source, status: unsupported ? 'unsupported' : 'error', error: e.message };
  }
  throw e;
}

async function ask<T>(
  sources: HealthSourceOutcome[],
  source: HealthSource,
  run: () => Promise<T>,
): Promise<T | undefined> {
  try {
    const v = await run();
    sources.push({ source, status: 'ok' });
    return v;
  } catch (e) {
    sources.push(sourceOutcome(source, e));
    return undefined;
  }
}

function verdictOf(reasons: readonly HealthReason[], answered: boolean): HealthVerdict {
  if (reasons.some((r) => r.severity === 'failure')) return 'FAILED';
  return answered ? 'PASSED' : 'UNKNOWN';
}

async function ataHealth(f: Funnel, options: CommandOptions): Promise<HealthReport> {
  const sources: HealthSourceOutcome[] = [];
  const reasons: HealthReason[] = [];
  const status = await ask(sources, 'smartReturnStatus', () => smartReturnStatus(f, options));
  if (status?.status === 'thresholdExceeded') {
    reasons.push({
      kind: 'smartThresholdExceeded',
      severity: 'failure',
      source: 'smartReturnStatus',
      message:
        'SMART RETURN STATUS: threshold exceeded (LBA mid/high F4h/2Ch), the drive predicts its failure',
    });
  }
  const data = await ask(sources, 'smartAttributes', () => smartAttributes(f, options));
  let temperatureCelsius: number | undefined;
  if (data !== undefined) {
    if (!data.checksumValid) {
      reasons.push({
        kind: 'smartDataChecksum',
        severity: 'warning',
        source: 'smartAttributes',
        message: `SMART READ DATA checksum byte ${data.checksum} does not make the 512 bytes sum to zero`,
      });
    }
    for (const a of data.attributes) {
      if (a.threshold === undefined || !(a.failingNow === true || a.failedInPast === true)) continue;
      const now = a.failingNow === true;
      const label = `${a.id} ${a.name ?? 'Unknown_Attribute'}`;
      reasons.push({
        kind: now ? 'attributeFailingNow' : 'attributeFailedInPast',
        // smartctl -H: a pre-failure attribute at its threshold now predicts failure; an old-age one,
        // or a past failure, is worth reporting but no verdict.
        severity: now && a.prefailure ? 'failure' : 'warning',
        source: 'smartAttributes',
        message: `attribute ${label}: value ${a.current}, worst ${a.worst}, threshold ${a.threshold} (${now ? 'FAILING_NOW' : 'In_the_past'}, ${a.prefailure ? 'Pre-fail' : 'Old_age'})`,
        id: a.id,
        ...(a.name === undefined ? {} : { name: a.name }),
        current: a.current,
        worst: a.worst,
        threshold: a.threshold,
        prefailure: a.prefailure,
      });
    }
    const t = data.attributes.find((a) => a.id === 194);
    if (t !== undefined) temperatureCelsius = Number(t.raw & 0xffn);
  }
  return {
    verdict: verdictOf(reasons, status !== undefined || data !== undefined),
    protocol: 'ata',
    reasons,
    sources,
    ...(temperatureCelsius === undefined ? {} : { temperatureCelsius }),
  };
}

function ieReason(
  source: 'informationalExceptionsLog' | 'requestSense',
  asc: number,
  ascq: number,
): InformationalExceptionReason {
  const description = ascAscqDescription(asc, ascq);
  return {
    kind: 'informationalException',
    // smartctl -H fails on any informational exception: 5Dh predictions (FFh is the TEST bit's
    // false one, still reported as a failure, as smartctl does) and 0Bh warnings alike.
    severity: 'failure',
    source,
    message: `${description} [asc=${asc.toString(16)}, ascq=${ascq.toString(16)}]`,
    asc,
    ascq,
    description,
  };
}

function selfTestReasons(log: SelfTestResultsLogFields): HealthReason[] {
  const out: HealthReason[] = [];
  // Entries are newest first; unused ones are all zero (code 0, result 0).
  const used = log.results.filter(
    (r) => r.selfTestCode !== 0 || r.selfTestResults !== 0 || r.accumulatedPowerOnHours !== 0,
  );
  for (const [i, r] of used.entries()) {
    if (r.selfTestResults < 3 || r.selfTestResults > 7) continue;
    // A failed segment (4-7) in the newest test is a failure; older failures and 3 (could not
    // complete) are warnings: a later test that passed says the drive got past them.
    const failure = i === 0 && r.selfTestResults >= 4;
    const none = r.addressOfFirstFailure === 0xffff_ffff_ffff_ffffn;
    out.push({
      kind: 'selfTestFailed',
      severity: failure ? 'failure' : 'warning',
      source: 'selfTestLog',
      message: `self-test #${r.parameterCode} (code ${r.selfTestCode}) at ${r.accumulatedPowerOnHours} h: ${r.selfTestResultsName}${none ? '' : `, first failure at LBA ${r.addressOfFirstFailure}`}`,
      parameterCode: r.parameterCode,
      selfTestCode: r.selfTestCode,
      selfTestResults: r.selfTestResults,
      selfTestResultsName: r.selfTestResultsName,
      accumulatedPowerOnHours: r.accumulatedPowerOnHours,
      ...(none ? {} : { addressOfFirstFailure: r.addressOfFirstFailure }),
      senseKey: r.senseKey,
      asc: r.asc,
      ascq: r.ascq,
    });
  }
  return out;
}

function backgroundScanReasons(log: BackgroundScanLogFields): HealthReason[] {
  const out: HealthReason[] = [];
  const s = log.status?.backgroundScanStatus;
  // 3-7 (SBC-5 BACKGROUND SCAN STATUS): halted by the device itself; 3 is a fatal error.
  if (s !== undefined && s >= 3 && s <= 7) {
    const name = BACKGROUND_SCAN_STATUS_NAMES[s] ?? `status ${s}`;
    out.push({
      kind: 'backgroundScanHalted',
      severity: s === 3 ? 'failure' : 'warning',
      source: 'backgroundScanLog',
      message: `background scan ${name}`,
      backgroundScanStatus: s,
      backgroundScanStatusName: name,
    });
  }
  const mediumErrors = log.mediumScans.filter((m) => m.senseKey === 0x03 || m.senseKey === 0x04).length;
  if (mediumErrors > 0) {
    out.push({
      kind: 'backgroundScanMediumErrors',
      severity: 'warning',
      source: 'backgroundScanLog',
      message: `background scan found ${mediumErrors} medium or hardware error(s)`,
      mediumErrors,
    });
  }
  return out;
}

type IeLog = InformationalExceptionsLogFields & { readonly asc: number; readonly ascq: number };

async function scsiHealth(f: Funnel, options: CommandOptions): Promise<HealthReport> {
  const sources: HealthSourceOutcome[] = [];
  const reasons: HealthReason[] = [];
  let supported: readonly number[] = [];
  try {
    const p = await logSense(f, 0x00, options);
    if (p.fields?.page === 'supportedPages') supported = p.fields.supportedPages;
  } catch (e) {
    // No LOG SENSE at all (or no page 00h): every log source counts as unsupported below. What is
    // no device answer (transport, closed, timeout) propagates from sourceOutcome.
    sourceOutcome('informationalExceptionsLog', e);
  }
  let answered = false;
  let temperatureCelsius: number | undefined;
  if (supported.includes(0x2f)) {
    const ie = await ask(sources, 'informationalExceptionsLog', async (): Promise<IeLog> => {
      const { fields } = await logSense(f, 0x2f, options);
      // Parameter 0000h holds the ASC/ASCQ: a page without it says nothing.
      if (fields?.page !== 'informationalExceptions' || fields.asc === undefined) {
        throw new DecodeError('informationalExceptionsLog', 'no parameter 0000h (IE ASC/ASCQ) in page 2Fh');
      }
      return { ...fields, asc: fields.asc, ascq: fields.ascq ?? 0 };
    });
    if (ie !== undefined) {
      answered = true;
      if (ie.asc !== 0) reasons.push(ieReason('informationalExceptionsLog', ie.asc, ie.ascq));
      const t = ie.mostRecentTemperatureReading;
      if (typeof t === 'number') temperatureCelsius = t;
    }
  } else {
    sources.push({ source: 'informationalExceptionsLog', status: 'unsupported' });
    // smartctl's fallback: with exceptions enabled (DEXCPT 0) in the IE control mode page, a
    // pending informational exception is what REQUEST SENSE returns.
    const mode = await ask(sources, 'informationalExceptionsMode', async () => {
      const m = await modeSense(f, 0x1c, { ...options, pageControl: 'current' });
      const page = m.pages.find((p) => p.pageCode === 0x1c && !p.spf);
      if (page === undefined)
        throw new DecodeError('informationalExceptionsMode', 'no page 1Ch in the answer');
      return decodeInformationalExceptionsControlPage(page.raw);
    });
    if (mode?.dexcpt === true) {
      sources.push({
        source: 'requestSense',
        status: 'unsupported',
        error: 'informational exceptions are disabled (DEXCPT set in mode page 1Ch)',
      });
    } else if (mode !== undefined) {
      const sense = await ask(sources, 'requestSense', async () => {
        const r = await f.run(buildRequestSense({ allocationLength: 252 }), options);
        return decodeSense(r.data);
      });
      if (sense !== undefined && sense.format !== 'vendor') {
        answered = true;
        if (sense.asc === 0x5d || sense.asc === 0x0b)
          reasons.push(ieReason('requestSense', sense.asc, sense.ascq));
      }
    }
  }
  if (supported.includes(0x10)) {
    const log = await ask(sources, 'selfTestLog', async () => (await logSense(f, 0x10, options)).fields);
    if (log?.page === 'selfTestResults') reasons.push(...selfTestReasons(log));
  } else {
    sources.push({ source: 'selfTestLog', status: 'unsupported' });
  }
  if (supported.includes(0x15)) {
    const log = await ask(
      sources,
      'backgroundScanLog',
      async () => (await logSense(f, 0x15, options)).fields,
    );
    if (log?.page === 'backgroundScanResults') reasons.push(...backgroundScanReasons(log));
  } else {
    sources.push({ source: 'backgroundScanLog', status: 'unsupported' });
  }
  return {
    verdict: verdictOf(reasons, answered),
    protocol: 'scsi',
    reasons,
    sources,
    ...(temperatureCelsius === undefined ? {} : { temperatureCelsius }),
  };
}

/** `device.health()`: see the file comment. */
export async function health(f: Funnel, options: HealthOptions = {}): Promise<HealthReport> {
  const { protocol = 'auto', ...commandOptions } = options;
  let ata = protocol === 'ata';
  if (protocol === 'auto') ata = (await inquiry(f, commandOptions)).vendor?.trim() === 'ATA';
  return ata ? ataHealth(f, commandOptions) : scsiHealth(f, commandOptions);
}

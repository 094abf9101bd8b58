import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CdbBuildError, DecodeError } from '../src/errors.js';
import {
  buildLogSelectData,
  decodeLogParameterControl,
  encodeLogParameterControl,
  findLogParameter,
  LogSelectDataParamsSchema,
  type LogSelectParameter,
} from '../src/pages/log.js';
import {
  decodeBackgroundScanResultsLogPage,
  decodeErrorCounterLogPage,
  decodeGeneralStatisticsLogPage,
  decodeInformationalExceptionsLogPage,
  decodeLogPage,
  decodeNonMediumErrorLogPage,
  decodePowerConditionTransitionsLogPage,
  decodeProtocolSpecificPortLogPage,
  decodeSelfTestResultsLogPage,
  decodeSolidStateMediaLogPage,
  decodeStartStopCycleCounterLogPage,
  decodeSupportedLogPages,
  decodeSupportedLogSubpages,
  decodeTemperatureLogPage,
} from '../src/pages/log-pages.js';

const u8 = (...b: number[]) => new Uint8Array(b);
const be = (v: bigint | number, n: number) => {
  const out: number[] = [];
  let x = BigInt(v);
  for (let i = 0; i < n; i++) {
    out.unshift(Number(x & 0xffn));
    x >>= 8n;
  }
  return out;
};
const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));

/** A log page: header (page code with SPF when subpage ≠ 0) + body, length filled in. */
function page(pageCode: number, subpageCode: number, body: number[]): Uint8Array {
  return u8(pageCode | (subpageCode === 0 ? 0 : 0x40), subpageCode, ...be(body.length, 2), ...body);
}
/** A log parameter: code, control byte, length, value. */
function param(code: number, control: number, value: number[]): number[] {
  return [...be(code, 2), control, value.length, ...value];
}

// scsi_debug (drivers/scsi/scsi_debug.c resp_log_sense) answers.
const SD_SUPPORTED = u8(0x00, 0x00, 0x00, 0x03, 0x00, 0x0d, 0x2f);
const SD_SUPPORTED_SUBPAGES = page(
  0x00,
  0xff,
  [0, 0, 0, 0xff, 0x0d, 0, 0x0d, 1, 0x0d, 0xff, 0x2f, 0, 0x2f, 0xff],
);
const SD_TEMPERATURE = u8(0x0d, 0, 0, 12, 0, 0, 3, 2, 0, 38, 0, 1, 3, 2, 0, 65);
const SD_IE = u8(0x2f, 0, 0, 7, 0, 0, 3, 3, 0, 0, 38);
const SD_ENV_REPORTING = page(
  0x0d,
  0x01,
  [0, 0, 0x23, 8, 0, 40, 72, 0xff, 45, 18, 0, 0, 1, 0, 0x23, 8, 0, 55, 72, 35, 55, 45, 0, 0],
);

const READ_ERRORS = page(0x03, 0, [
  ...param(0, 0x02, be(1, 4)),
  ...param(1, 0x02, be(2, 4)),
  ...param(2, 0x02, be(3, 4)),
  ...param(3, 0x02, be(4, 4)),
  ...param(4, 0x02, be(9555, 4)),
  ...param(5, 0x02, be(10267843000000n, 8)),
  ...param(6, 0x02, be(0, 4)),
  ...param(0x8000, 0x03, [0xde, 0xad]),
]);

const START_STOP = page(0x0e, 0, [
  ...param(1, 0x01, ascii('202115')),
  ...param(2, 0x01, ascii('      ')),
  ...param(3, 0x03, be(50000, 4)),
  ...param(4, 0x03, be(12, 4)),
  ...param(5, 0x03, be(600000, 4)),
  ...param(6, 0x03, be(1234, 4)),
]);

function selfTestEntry(n: number, v: Partial<Record<string, number | bigint>>): number[] {
  return param(n, 0x03, [
    (Number(v.code ?? 0) << 5) | Number(v.result ?? 0),
    Number(v.number ?? 0),
    ...be(v.poh ?? 0, 2),
    ...be(v.address ?? 0, 8),
    Number(v.sk ?? 0),
    Number(v.asc ?? 0),
    Number(v.ascq ?? 0),
    Number(v.vs ?? 0),
  ]);
}
const SELF_TEST = page(0x10, 0, [
  ...selfTestEntry(1, { code: 1, result: 0, poh: 1234, address: 0xffff_ffff_ffff_ffffn }),
  ...selfTestEntry(2, {
    code: 2,
    result: 7,
    number: 3,
    poh: 1000,
    address: 0x1000,
    sk: 3,
    asc: 0x11,
    ascq: 0,
    vs: 9,
  }),
  ...Array.from({ length: 18 }, (_, i) => selfTestEntry(3 + i, {})).flat(),
]);

const SSM = page(0x11, 0, param(1, 0x03, [0, 0, 0, 5]));

const BACKGROUND_SCAN = page(0x15, 0, [
  ...param(0, 0x03, [...be(2019104, 4), 0, 1, ...be(51, 2), ...be(0x0106, 2), ...be(51, 2)]),
  ...param(1, 0x03, [...be(45786, 4), 0x23, 0x11, 0x04, 1, 2, 3, 4, 5, ...be(0x1234_5678_9an, 8)]),
]);

function sasPhy(): number[] {
  const d = new Array<number>(64).fill(0);
  d[1] = 0; // phy identifier
  d[3] = 60; // descriptor length
  d[4] = 0x23; // attached device type 2, attached reason 3
  d[5] = 0x4b; // reason 4, 12 Gbps
  d[6] = 0x02; // attached SMP initiator
  d[7] = 0x02; // attached SMP target
  d.splice(8, 8, ...be(0x5002538b0156bb31n, 8));
  d.splice(16, 8, ...be(0x500a098007ea96cdn, 8));
  d[24] = 20;
  d.splice(32, 4, ...be(1, 4));
  d.splice(36, 4, ...be(2, 4));
  d.splice(40, 4, ...be(3, 4));
  d.splice(44, 4, ...be(4, 4));
  d[49] = 12;
  d[51] = 1;
  d[55] = 0x20; // phy event source: received ERROR count
  d.splice(56, 4, ...be(7, 4));
  d.splice(60, 4, ...be(0, 4));
  return d;
}
const SAS_PORT = page(0x18, 0, param(1, 0x03, [0x06, 0, 4, 1, ...sasPhy()]));

const GENERAL_STATS = page(0x19, 0, [
  ...param(
    1,
    0x03,
    [1, 2, 3, 4, 5, 6, 7, 8].flatMap((v) => be(v * 1000, 8)),
  ),
  ...param(2, 0x03, be(77, 8)),
  ...param(3, 0x03, [...be(3, 4), ...be(1, 4)]),
  ...param(
    4,
    0x03,
    [9, 10, 11, 12, 13, 14, 15, 16].flatMap((v) => be(v, 8)),
  ),
]);

const POWER_TRANSITIONS = page(0x1a, 0, [
  ...param(1, 0x03, be(10, 4)),
  ...param(2, 0x03, be(20, 4)),
  ...param(8, 0x03, be(30, 4)),
  ...param(9, 0x03, be(40, 4)),
]);

const NON_MEDIUM = page(0x06, 0, param(0, 0x02, be(7748, 2)));

describe('decodeLogPage framing (SPC-6 Tables 409-412)', () => {
  it('decodes the scsi_debug temperature page', () => {
    const p = decodeLogPage(SD_TEMPERATURE);
    expect(p).toMatchObject({
      pageCode: 0x0d,
      subpageCode: 0,
      spf: false,
      ds: false,
      pageLength: 12,
      truncated: false,
      requiredLength: 16,
      availableLength: 16,
    });
    expect(p.parameters).toHaveLength(2);
    expect(p.parameters[0]).toMatchObject({
      parameterCode: 0,
      du: false,
      obsolete: false,
      tsd: false,
      etc: false,
      tmc: 0,
      formatAndLinking: 3,
      controlByte: 3,
      length: 2,
      offset: 4,
    });
    expect([...(p.parameters[1]?.raw ?? [])]).toEqual([0, 65]);
    expect(p.fields).toEqual({ page: 'temperature', temperature: 38, referenceTemperature: 65 });
  });

  it('gives counters as bigint and ASCII lists as text', () => {
    const p = decodeLogPage(READ_ERRORS);
    expect(findLogParameter(p, 5)?.value).toBe(10267843000000n);
    expect(findLogParameter(p, 0x8000)?.value).toBeUndefined();
    expect([...(findLogParameter(p, 0x8000)?.raw ?? [])]).toEqual([0xde, 0xad]);
    expect(findLogParameter(decodeLogPage(START_STOP), 1)?.text).toBe('202115');
  });

  it('keeps subpage pages without a decoder generic', () => {
    const p = decodeLogPage(SD_ENV_REPORTING);
    expect(p).toMatchObject({ pageCode: 0x0d, subpageCode: 1, spf: true, pageLength: 24 });
    // 0100h is the relative humidity parameter (SPC-6 Table 419).
    expect(p.parameters.map((x) => x.parameterCode)).toEqual([0, 0x100]);
    expect(p.fields).toBeUndefined();
  });

  it('ignores bytes past PAGE LENGTH', () => {
    const p = decodeLogPage(new Uint8Array([...SD_TEMPERATURE, 0xff, 0xff, 0xff]));
    expect(p.parameters).toHaveLength(2);
    expect(p.truncated).toBe(false);
  });

  it('decodes complete parameters of a truncated page at every cut, for every fixture', () => {
    const fixtures = [
      SD_SUPPORTED,
      SD_SUPPORTED_SUBPAGES,
      SD_TEMPERATURE,
      SD_IE,
      SD_ENV_REPORTING,
      READ_ERRORS,
      START_STOP,
      SELF_TEST,
      SSM,
      BACKGROUND_SCAN,
      SAS_PORT,
      GENERAL_STATS,
      POWER_TRANSITIONS,
      NON_MEDIUM,
    ];
    for (const full of fixtures) {
      const complete = decodeLogPage(full).parameters.length;
      for (let cut = 4; cut < full.length; cut++) {
        const p = decodeLogPage(full.subarray(0, cut));
        expect(p.truncated).toBe(true);
        expect(p.requiredLength).toBe(full.length);
        expect(p.availableLength).toBe(cut);
        expect(p.parameters.length).toBeLessThanOrEqual(complete);
        for (const x of p.parameters) expect(x.offset + 4 + x.length).toBeLessThanOrEqual(cut);
        expect(p.fieldsError).toBeUndefined();
      }
      for (let cut = 0; cut < 4; cut++) {
        expect(() => decodeLogPage(full.subarray(0, cut))).toThrowError(/logPageHeader/);
      }
    }
    const t = decodeTemperatureLogPage(SD_TEMPERATURE.subarray(0, 12));
    expect(t.truncated).toBe(true);
    expect(t.fields).toEqual({ page: 'temperature', temperature: 38 });
  });

  it('throws DecodeError for inconsistent lengths', () => {
    // Parameter length 5 runs past PAGE LENGTH 6.
    expect(() => decodeLogPage(u8(0x0d, 0, 0, 6, 0, 0, 3, 5, 0, 0))).toThrowError(/parameterLength/);
    // Two bytes left over after the last parameter, within PAGE LENGTH.
    expect(() => decodeLogPage(u8(0x0d, 0, 0, 8, 0, 0, 3, 2, 0, 38, 0, 0))).toThrowError(/parameterLength/);
    // Odd-length page/subpage list.
    const odd = decodeLogPage(u8(0x40, 0xff, 0, 3, 0, 0, 0x0d));
    expect(odd.fields).toBeUndefined();
    expect(odd.fieldsError).toMatch(/supportedPagesAndSubpages/);
    expect(() => decodeSupportedLogSubpages(u8(0x40, 0xff, 0, 3, 0, 0, 0x0d))).toThrowError(DecodeError);
  });

  it('parameter control byte round-trips', () => {
    for (let b = 0; b < 256; b++) expect(encodeLogParameterControl(decodeLogParameterControl(b))).toBe(b);
    expect(() => encodeLogParameterControl({ tmc: 4 })).toThrowError(/tmc/);
  });
});

describe('typed log pages', () => {
  it('supported pages (00h) and supported pages and subpages (00h/FFh), scsi_debug', () => {
    expect(decodeSupportedLogPages(SD_SUPPORTED).fields.supportedPages).toEqual([0x00, 0x0d, 0x2f]);
    expect(decodeSupportedLogSubpages(SD_SUPPORTED_SUBPAGES).fields.supportedPagesAndSubpages).toEqual([
      { pageCode: 0, subpageCode: 0 },
      { pageCode: 0, subpageCode: 0xff },
      { pageCode: 0x0d, subpageCode: 0 },
      { pageCode: 0x0d, subpageCode: 1 },
      { pageCode: 0x0d, subpageCode: 0xff },
      { pageCode: 0x2f, subpageCode: 0 },
      { pageCode: 0x2f, subpageCode: 0xff },
    ]);
    expect(decodeLogPage(SD_SUPPORTED).parameters).toEqual([]);
    expect(() => decodeSupportedLogPages(SD_TEMPERATURE)).toThrowError(/pageCode/);
    expect(() => decodeSupportedLogSubpages(SD_SUPPORTED)).toThrowError(/subpageCode/);
  });

  it('temperature (0Dh): FFh is unknown', () => {
    expect(decodeTemperatureLogPage(SD_TEMPERATURE).fields).toEqual({
      page: 'temperature',
      temperature: 38,
      referenceTemperature: 65,
    });
    const unknown = page(0x0d, 0, param(0, 3, [0, 0xff]));
    expect(decodeTemperatureLogPage(unknown).fields.temperature).toBeNull();
    const short = page(0x0d, 0, param(0, 3, [0]));
    expect(decodeLogPage(short).fieldsError).toMatch(/temperature/);
    expect(() => decodeTemperatureLogPage(short)).toThrowError(DecodeError);
  });

  it('informational exceptions (2Fh), scsi_debug', () => {
    expect(decodeInformationalExceptionsLogPage(SD_IE).fields).toEqual({
      page: 'informationalExceptions',
      asc: 0,
      ascq: 0,
      mostRecentTemperatureReading: 38,
    });
    const withVendor = page(0x2f, 0, param(0, 3, [0x5d, 0x10, 40, 1, 2]));
    expect(decodeInformationalExceptionsLogPage(withVendor).fields).toMatchObject({
      asc: 0x5d,
      ascq: 0x10,
      mostRecentTemperatureReading: 40,
      vendorSpecific: u8(1, 2),
    });
  });

  it('read error counters (03h)', () => {
    const p = decodeErrorCounterLogPage(READ_ERRORS);
    expect(p.fields).toEqual({
      page: 'readErrorCounter',
      errorsCorrectedWithoutSubstantialDelay: 1n,
      errorsCorrectedWithPossibleDelays: 2n,
      totalRewritesOrRereads: 3n,
      totalErrorsCorrected: 4n,
      totalTimesCorrectionAlgorithmProcessed: 9555n,
      totalBytesProcessed: 10267843000000n,
      totalUncorrectedErrors: 0n,
    });
    const write = READ_ERRORS.slice();
    write[0] = 0x02;
    expect(decodeErrorCounterLogPage(write).fields.page).toBe('writeErrorCounter');
    write[0] = 0x05;
    expect(decodeErrorCounterLogPage(write).fields.page).toBe('verifyErrorCounter');
    expect(() => decodeErrorCounterLogPage(SD_IE)).toThrowError(/pageCode/);
  });

  it('non-medium error (06h)', () => {
    expect(decodeNonMediumErrorLogPage(NON_MEDIUM).fields).toEqual({
      page: 'nonMediumError',
      nonMediumErrorCount: 7748n,
    });
  });

  it('start-stop cycle counter (0Eh)', () => {
    expect(decodeStartStopCycleCounterLogPage(START_STOP).fields).toEqual({
      page: 'startStopCycleCounter',
      dateOfManufacture: { year: '2021', week: '15' },
      accountingDate: { year: '    ', week: '  ' },
      specifiedCycleCountOverDeviceLifetime: 50000,
      accumulatedStartStopCycles: 12,
      specifiedLoadUnloadCountOverDeviceLifetime: 600000,
      accumulatedLoadUnloadCycles: 1234,
    });
    const bad = page(0x0e, 0, param(1, 1, ascii('2021')));
    expect(decodeLogPage(bad).fieldsError).toMatch(/dateOfManufacture/);
  });

  it('self-test results (10h): 20 entries', () => {
    const r = decodeSelfTestResultsLogPage(SELF_TEST).fields.results;
    expect(r).toHaveLength(20);
    expect(r[0]).toEqual({
      parameterCode: 1,
      selfTestCode: 1,
      selfTestResults: 0,
      selfTestResultsName: 'completed without error',
      selfTestNumber: 0,
      accumulatedPowerOnHours: 1234,
      addressOfFirstFailure: 0xffff_ffff_ffff_ffffn,
      senseKey: 0,
      asc: 0,
      ascq: 0,
      vendorSpecific: 0,
    });
    expect(r[1]).toMatchObject({
      selfTestCode: 2,
      selfTestResults: 7,
      selfTestResultsName: 'completed, another segment failed (see self-test number)',
      selfTestNumber: 3,
      addressOfFirstFailure: 0x1000n,
      senseKey: 3,
      asc: 0x11,
      ascq: 0,
      vendorSpecific: 9,
    });
    const short = page(0x10, 0, param(1, 3, new Array<number>(15).fill(0)));
    expect(decodeLogPage(short).fieldsError).toMatch(/selfTestResult/);
  });

  it('solid state media (11h)', () => {
    expect(decodeSolidStateMediaLogPage(SSM).fields).toEqual({
      page: 'solidStateMedia',
      percentageUsedEnduranceIndicator: 5,
    });
  });

  it('background scan results (15h)', () => {
    const f = decodeBackgroundScanResultsLogPage(BACKGROUND_SCAN).fields;
    expect(f.status).toEqual({
      accumulatedPowerOnMinutes: 2019104,
      backgroundScanStatus: 1,
      backgroundScanStatusName: 'background medium scan active',
      numberOfBackgroundScansPerformed: 51,
      backgroundScanProgress: 0x0106,
      numberOfBackgroundMediumScansPerformed: 51,
    });
    expect(f.mediumScans).toEqual([
      {
        parameterCode: 1,
        accumulatedPowerOnMinutes: 45786,
        reassignStatus: 2,
        senseKey: 3,
        asc: 0x11,
        ascq: 0x04,
        vendorSpecific: u8(1, 2, 3, 4, 5),
        logicalBlockAddress: 0x1234_5678_9an,
      },
    ]);
  });

  it('SAS protocol specific port (18h, SPL-5 Table 369)', () => {
    const ports = decodeProtocolSpecificPortLogPage(SAS_PORT).fields.ports;
    expect(ports).toHaveLength(1);
    expect(ports[0]).toMatchObject({
      relativeTargetPortIdentifier: 1,
      protocolIdentifier: 6,
      generationCode: 4,
      numberOfPhys: 1,
    });
    expect(ports[0]?.phys?.[0]).toEqual({
      phyIdentifier: 0,
      attachedDeviceType: 2,
      attachedReason: 3,
      reason: 4,
      negotiatedLogicalLinkRate: 0x0b,
      attachedSspInitiatorPort: false,
      attachedStpInitiatorPort: false,
      attachedSmpInitiatorPort: true,
      attachedSspTargetPort: false,
      attachedStpTargetPort: false,
      attachedSmpTargetPort: true,
      sasAddress: 0x5002538b0156bb31n,
      attachedSasAddress: 0x500a098007ea96cdn,
      attachedPhyIdentifier: 20,
      invalidDwordCount: 1,
      runningDisparityErrorCount: 2,
      lossOfDwordSynchronizationCount: 3,
      phyResetProblemCount: 4,
      phyEventDescriptors: [{ phyEventSource: 0x20, phyEvent: 7, peakValueDetectorThreshold: 0 }],
    });
    const fcp = page(0x18, 0, param(1, 3, [0x00, 0, 0, 0]));
    expect(decodeProtocolSpecificPortLogPage(fcp).fields.ports).toEqual([
      { relativeTargetPortIdentifier: 1, protocolIdentifier: 0 },
    ]);
    // Event count overruns the descriptor.
    const phy = sasPhy();
    phy[51] = 2;
    expect(decodeLogPage(page(0x18, 0, param(1, 3, [6, 0, 4, 1, ...phy]))).fieldsError).toMatch(
      /numberOfPhyEventDescriptors/,
    );
  });

  it('general statistics and performance (19h)', () => {
    const f = decodeGeneralStatisticsLogPage(GENERAL_STATS).fields;
    expect(f.generalAccessStatistics).toEqual({
      numberOfReadCommands: 1000n,
      numberOfWriteCommands: 2000n,
      numberOfLogicalBlocksReceived: 3000n,
      numberOfLogicalBlocksTransmitted: 4000n,
      readCommandProcessingIntervals: 5000n,
      writeCommandProcessingIntervals: 6000n,
      weightedNumberOfReadCommandsPlusWriteCommands: 7000n,
      weightedReadCommandProcessingPlusWriteCommandProcessing: 8000n,
    });
    expect(f.idleTimeIntervals).toBe(77n);
    expect(f.timeInterval).toEqual({ exponent: 3, integer: 1 });
    expect(f.forceUnitAccessStatistics?.writeFuaNvCommandProcessingIntervals).toBe(16n);
  });

  it('power condition transitions (1Ah)', () => {
    expect(decodePowerConditionTransitionsLogPage(POWER_TRANSITIONS).fields).toEqual({
      page: 'powerConditionTransitions',
      accumulatedTransitionsToActive: 10,
      accumulatedTransitionsToIdleA: 20,
      accumulatedTransitionsToStandbyZ: 30,
      accumulatedTransitionsToStandbyY: 40,
    });
  });
});

describe('buildLogSelectData', () => {
  it('sets a temperature threshold parameter (binary list)', () => {
    const data = buildLogSelectData({ pageCode: 0x0d, parameters: [{ parameterCode: 1, value: u8(0, 60) }] });
    expect([...data]).toEqual([0x0d, 0, 0, 6, 0, 1, 0x03, 2, 0, 60]);
  });

  it('encodes counters with their control bits and a subpage header', () => {
    const data = buildLogSelectData({
      pageCode: 0x03,
      parameters: [
        { parameterCode: 6, value: 0n, length: 8, formatAndLinking: 2, etc: true, tmc: 3 },
        { parameterCode: 0x8001, value: 0x12345n },
      ],
    });
    expect([...data]).toEqual([
      0x03,
      0,
      0,
      20,
      0,
      6,
      0x1e,
      8,
      ...new Array<number>(8).fill(0),
      0x80,
      0x01,
      0x00,
      4,
      0,
      1,
      0x23,
      0x45,
    ]);
    expect([...buildLogSelectData({ pageCode: 0x0d, subpageCode: 1, ds: true })]).toEqual([0xcd, 1, 0, 0]);
  });

  it('round-trips through decodeLogPage', () => {
    const parameters: LogSelectParameter[] = [
      { parameterCode: 0, value: 5n, length: 2 },
      { parameterCode: 1, du: true, tsd: true, value: u8(1, 2, 3), formatAndLinking: 1 },
    ];
    const p = decodeLogPage(buildLogSelectData({ pageCode: 0x30, parameters }));
    expect(p.parameters[0]).toMatchObject({ parameterCode: 0, value: 5n, length: 2, formatAndLinking: 0 });
    expect(p.parameters[1]).toMatchObject({ du: true, tsd: true, formatAndLinking: 1, length: 3 });
  });

  it('rejects parameters that do not fit, naming them', () => {
    expect(() => buildLogSelectData({ pageCode: 0x40 })).toThrowError(/pageCode/);
    expect(() => buildLogSelectData({ pageCode: 1, subpageCode: 2, spf: false })).toThrowError(/spf/);
    expect(() => buildLogSelectData({ pageCode: 1, parameters: [{ parameterCode: 0x10000 }] })).toThrowError(
      /parameters\[0\]\.parameterCode/,
    );
    expect(() =>
      buildLogSelectData({ pageCode: 1, parameters: [{ parameterCode: 0, value: 256n, length: 1 }] }),
    ).toThrowError(/parameters\[0\]\.value/);
    expect(() =>
      buildLogSelectData({ pageCode: 1, parameters: [{ parameterCode: 0, value: u8(1), length: 2 }] }),
    ).toThrowError(/parameters\[0\]\.length/);
    expect(() =>
      buildLogSelectData({ pageCode: 1, parameters: [{ parameterCode: 0, tmc: 4 }] }),
    ).toThrowError(/parameters\[0\]\.tmc/);
    expect(() =>
      buildLogSelectData({ pageCode: 1, parameters: [{ parameterCode: 0, value: new Uint8Array(256) }] }),
    ).toThrowError(CdbBuildError);
  });

  it('has a zod schema for the API boundary', () => {
    expect(
      LogSelectDataParamsSchema.safeParse({ pageCode: 0x0d, parameters: [{ parameterCode: 1, value: 3n }] })
        .success,
    ).toBe(true);
    expect(LogSelectDataParamsSchema.safeParse({ pageCode: 0x40 }).success).toBe(false);
  });
});

describe('fuzz: decoders only return or throw DecodeError; builders only build or throw CdbBuildError', () => {
  const decoders: Array<[string, (b: Uint8Array) => unknown]> = [
    ['decodeLogPage', decodeLogPage],
    ['decodeSupportedLogPages', decodeSupportedLogPages],
    ['decodeSupportedLogSubpages', decodeSupportedLogSubpages],
    ['decodeErrorCounterLogPage', decodeErrorCounterLogPage],
    ['decodeNonMediumErrorLogPage', decodeNonMediumErrorLogPage],
    ['decodeTemperatureLogPage', decodeTemperatureLogPage],
    ['decodeStartStopCycleCounterLogPage', decodeStartStopCycleCounterLogPage],
    ['decodeSelfTestResultsLogPage', decodeSelfTestResultsLogPage],
    ['decodeSolidStateMediaLogPage', decodeSolidStateMediaLogPage],
    ['decodeBackgroundScanResultsLogPage', decodeBackgroundScanResultsLogPage],
    ['decodeProtocolSpecificPortLogPage', decodeProtocolSpecificPortLogPage],
    ['decodeGeneralStatisticsLogPage', decodeGeneralStatisticsLogPage],
    ['decodePowerConditionTransitionsLogPage', decodePowerConditionTransitionsLogPage],
    ['decodeInformationalExceptionsLogPage', decodeInformationalExceptionsLogPage],
  ];
  const onlyDecodeError = (decode: (b: Uint8Array) => unknown, b: Uint8Array) => {
    try {
      decode(b);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
    }
  };
  const pageCodes = [0x00, 0x02, 0x03, 0x05, 0x06, 0x0d, 0x0e, 0x10, 0x11, 0x15, 0x18, 0x19, 0x1a, 0x2f];

  for (const [name, decode] of decoders) {
    it(name, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 120 }), (b) => onlyDecodeError(decode, b)),
        { numRuns: 1000 },
      );
      // Well-framed pages with random parameters reach the typed decoders.
      fc.assert(
        fc.property(
          fc.constantFrom(...pageCodes),
          fc.constantFrom(0, 0, 0xff),
          fc.array(
            fc.tuple(
              fc.integer({ min: 0, max: 0x14 }),
              fc.integer({ min: 0, max: 255 }),
              fc.uint8Array({ maxLength: 80 }),
            ),
            {
              maxLength: 5,
            },
          ),
          fc.integer({ min: 0, max: 400 }),
          (code, sub, params, cut) => {
            const bytes = page(
              code,
              sub,
              params.flatMap(([pc, ctl, v]) => param(pc, ctl, [...v])),
            );
            onlyDecodeError(decode, bytes);
            onlyDecodeError(decode, bytes.subarray(0, cut));
          },
        ),
        { numRuns: 1000 },
      );
    });
  }

  it('buildLogSelectData', () => {
    const parameter = fc.record(
      {
        parameterCode: fc.integer({ min: -1, max: 0x10001 }),
        du: fc.boolean(),
        tmc: fc.integer({ min: -1, max: 5 }),
        formatAndLinking: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
        value: fc.oneof(fc.bigInt({ min: -1n, max: 1n << 70n }), fc.uint8Array({ maxLength: 300 })),
        length: fc.integer({ min: -1, max: 300 }),
      },
      { requiredKeys: ['parameterCode'] },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: -1, max: 70 }),
        fc.integer({ min: -1, max: 300 }),
        fc.array(parameter, { maxLength: 4 }),
        (pageCode, subpageCode, parameters) => {
          try {
            const data = buildLogSelectData({ pageCode, subpageCode, parameters });
            const decoded = decodeLogPage(data);
            const isList = subpageCode === 0xff || (pageCode === 0 && subpageCode === 0);
            if (!isList) expect(decoded.parameters).toHaveLength(parameters.length);
          } catch (e) {
            if (!(e instanceof CdbBuildError)) throw e;
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

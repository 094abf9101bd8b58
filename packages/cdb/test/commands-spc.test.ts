import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildExtendedCopy,
  buildReceiveCopyResults,
  RECEIVE_COPY_SERVICE_ACTION,
} from '../src/commands/copy.js';
import {
  buildActivateDeferredMicrocode,
  buildReadBuffer10,
  buildReadBuffer16,
  buildReceiveDiagnosticResults,
  buildSendDiagnostic,
  buildWriteBuffer,
  READ_BUFFER_MODE,
  WRITE_BUFFER_MODE,
} from '../src/commands/diagnostic-buffer.js';
import {
  buildPersistentReserveIn,
  buildPersistentReserveOut,
  PR_IN_SERVICE_ACTION,
  PR_OUT_SERVICE_ACTION,
} from '../src/commands/persistent-reservation.js';
import { buildSecurityProtocolIn, buildSecurityProtocolOut } from '../src/commands/security.js';
import {
  buildInquiry,
  buildLogSelect,
  buildLogSense,
  buildModeSelect6,
  buildModeSelect10,
  buildModeSense6,
  buildModeSense10,
  buildPreventAllowMediumRemoval,
  buildReadAttribute,
  buildReadMediaSerialNumber,
  buildReportIdentifyingInformation,
  buildReportLuns,
  buildReportSupportedOperationCodes,
  buildReportSupportedTaskManagementFunctions,
  buildReportTargetPortGroups,
  buildRequestSense,
  buildStartStopUnit,
  buildTestUnitReady,
  InquiryParamsSchema,
  LogSelectParamsSchema,
  LogSenseParamsSchema,
  ModeSelect6ParamsSchema,
  ModeSelect10ParamsSchema,
  ModeSense6ParamsSchema,
  ModeSense10ParamsSchema,
  PreventAllowMediumRemovalParamsSchema,
  READ_ATTRIBUTE_SERVICE_ACTION,
  ReadAttributeParamsSchema,
  ReadMediaSerialNumberParamsSchema,
  ReportIdentifyingInformationParamsSchema,
  ReportLunsParamsSchema,
  ReportSupportedOperationCodesParamsSchema,
  ReportSupportedTaskManagementFunctionsParamsSchema,
  ReportTargetPortGroupsParamsSchema,
  RequestSenseParamsSchema,
  StartStopUnitParamsSchema,
  TestUnitReadyParamsSchema,
} from '../src/commands/spc.js';
import { CdbBuildError, type CdbSpec, hex } from '../src/index.js';
import { T10_OPCODES, T10_SERVICE_ACTIONS } from '../src/spec/t10-tables.generated.js';
import { checkBuilder, expectSpec } from './helpers.js';

/** SPC builders only emit fixed-length CDBs. */
const SPC_CDB_LENGTHS = [6, 10, 12, 16];

/** Hex with spaces for readability in goldens. */

describe('TEST UNIT READY (SPC-6)', () => {
  it('is six zero bytes with no data', () => {
    expectSpec(buildTestUnitReady(), '00 00 00 00 00 00', 'none', 0);
    expect(buildTestUnitReady().name).toBe('TEST UNIT READY');
  });
});

describe('INQUIRY (SPC-6)', () => {
  it('asks for 96 bytes of standard data by default', () => {
    expectSpec(buildInquiry(), '12 00 00 00 60 00', 'in', 96);
  });
  it('asks for 252 bytes of a VPD page by default', () => {
    expectSpec(buildInquiry({ evpd: true, pageCode: 0x83 }), '12 01 83 00 fc 00', 'in', 252);
  });
  it('writes a 16-bit allocation length in bytes 3-4', () => {
    expectSpec(
      buildInquiry({ evpd: true, pageCode: 0xb0, allocationLength: 0x1234 }),
      '12 01 b0 12 34 00',
      'in',
      0x1234,
    );
  });
  it('refuses a page code without EVPD, accepts page 0 without it', () => {
    expect(() => buildInquiry({ pageCode: 0x80 })).toThrowError(CdbBuildError);
    expect(() => buildInquiry({ pageCode: 0x80 })).toThrowError(/pageCode/);
    expectSpec(buildInquiry({ pageCode: 0 }), '12 00 00 00 60 00', 'in', 96);
    expect(InquiryParamsSchema.safeParse({ pageCode: 0x80 }).success).toBe(false);
  });
  it('treats allocation length 0 as no data', () => {
    expectSpec(buildInquiry({ allocationLength: 0 }), '12 00 00 00 00 00', 'none', 0);
  });
  it('range-checks', () => {
    expect(() => buildInquiry({ allocationLength: 0x10000 })).toThrowError(/allocationLength/);
    expect(() => buildInquiry({ evpd: true, pageCode: 256 })).toThrowError(/pageCode/);
  });
});

describe('REQUEST SENSE (SPC-6)', () => {
  it('defaults to 252 bytes of fixed-format sense', () => {
    expectSpec(buildRequestSense(), '03 00 00 00 fc 00', 'in', 252);
  });
  it('sets DESC and an 8-bit length', () => {
    expectSpec(buildRequestSense({ desc: true, allocationLength: 18 }), '03 01 00 00 12 00', 'in', 18);
    expect(() => buildRequestSense({ allocationLength: 256 })).toThrowError(CdbBuildError);
  });
});

describe('REPORT LUNS (SPC-6)', () => {
  it('defaults to select report 0 and 8192 bytes', () => {
    expectSpec(buildReportLuns(), 'a0 00 00 00 00 00 00 00 20 00 00 00', 'in', 8192);
  });
  it('writes SELECT REPORT in byte 2 and length in 6-9', () => {
    expectSpec(
      buildReportLuns({ selectReport: 0x02, allocationLength: 16 }),
      'a0 00 02 00 00 00 00 00 00 10 00 00',
      'in',
      16,
    );
    expectSpec(buildReportLuns({ selectReport: 0x12 }), 'a0 00 12 00 00 00 00 00 20 00 00 00', 'in', 8192);
  });
  it('refuses unknown select values and allocation lengths under 16', () => {
    expect(() => buildReportLuns({ selectReport: 3 as 0 })).toThrowError(/selectReport/);
    expect(() => buildReportLuns({ allocationLength: 15 })).toThrowError(/at least 16/);
  });
});

describe('MODE SENSE(6)/(10) (SPC-6)', () => {
  it('MODE SENSE(6) defaults: current values, 252 bytes', () => {
    expectSpec(buildModeSense6({ pageCode: 0x08 }), '1a 00 08 00 fc 00', 'in', 252);
  });
  it('MODE SENSE(6) puts PC in bits 7-6 of byte 2 and DBD in byte 1 bit 3', () => {
    expectSpec(
      buildModeSense6({
        pageCode: 0x3f,
        subpageCode: 0xff,
        pageControl: 'changeable',
        dbd: true,
        allocationLength: 255,
      }),
      '1a 08 7f ff ff 00',
      'in',
      255,
    );
  });
  it('MODE SENSE(10) sets LLBAA, DBD and a 16-bit length', () => {
    expectSpec(
      buildModeSense10({
        pageCode: 0x1c,
        subpageCode: 0x01,
        pageControl: 'saved',
        dbd: true,
        llbaa: true,
        allocationLength: 0x200,
      }),
      '5a 18 dc 01 00 00 00 02 00 00',
      'in',
      0x200,
    );
    expectSpec(buildModeSense10({ pageCode: 0x0a }), '5a 00 0a 00 00 00 00 10 00 00', 'in', 4096);
    expectSpec(
      buildModeSense10({ pageCode: 0x0a, pageControl: 'default' }),
      '5a 00 8a 00 00 00 00 10 00 00',
      'in',
      4096,
    );
  });
  it('range-checks the 6-bit page code and the page control name', () => {
    expect(() => buildModeSense6({ pageCode: 0x40 })).toThrowError(/pageCode/);
    expect(() => buildModeSense6({ pageCode: 1, pageControl: 'bogus' as 'saved' })).toThrowError(
      /pageControl/,
    );
    expect(() => buildModeSense6({ pageCode: 1, allocationLength: 256 })).toThrowError(/allocationLength/);
  });
});

describe('MODE SELECT(6)/(10) (SPC-6)', () => {
  it('sets PF by default and sends parameterListLength bytes out', () => {
    expectSpec(buildModeSelect6({ parameterListLength: 0x18 }), '15 10 00 00 18 00', 'out', 0x18);
    expectSpec(
      buildModeSelect6({ pf: false, sp: true, parameterListLength: 0x18 }),
      '15 01 00 00 18 00',
      'out',
      0x18,
    );
    expectSpec(
      buildModeSelect10({ sp: true, parameterListLength: 0x123 }),
      '55 11 00 00 00 00 00 01 23 00',
      'out',
      0x123,
    );
  });
  it('a zero-length list moves no data', () => {
    expectSpec(buildModeSelect6({ parameterListLength: 0 }), '15 10 00 00 00 00', 'none', 0);
  });
  it('range-checks the list length', () => {
    expect(() => buildModeSelect6({ parameterListLength: 256 })).toThrowError(/parameterListLength/);
    expect(() => buildModeSelect10({ parameterListLength: 0x10000 })).toThrowError(/parameterListLength/);
  });
});

describe('LOG SENSE / LOG SELECT (SPC-6)', () => {
  it('LOG SENSE defaults to cumulative values, 4096 bytes', () => {
    expectSpec(buildLogSense({ pageCode: 0x0d }), '4d 00 4d 00 00 00 00 10 00 00', 'in', 4096);
  });
  it('LOG SENSE writes SP, PC, subpage, parameter pointer, length', () => {
    expectSpec(
      buildLogSense({
        pageCode: 0x0d,
        subpageCode: 0x01,
        pageControl: 'threshold',
        sp: true,
        parameterPointer: 0x0102,
        allocationLength: 0xfffc,
      }),
      '4d 01 0d 01 00 01 02 ff fc 00',
      'in',
      0xfffc,
    );
  });
  it('LOG SELECT with PCR resets and sends nothing', () => {
    expectSpec(buildLogSelect({ pcr: true }), '4c 02 40 00 00 00 00 00 00 00', 'none', 0);
  });
  it('LOG SELECT sends pages', () => {
    expectSpec(
      buildLogSelect({
        sp: true,
        pageControl: 'defaultCumulative',
        pageCode: 0x0d,
        parameterListLength: 0x20,
      }),
      '4c 01 cd 00 00 00 00 00 20 00',
      'out',
      0x20,
    );
  });
  it('LOG SELECT refuses PCR with a parameter list', () => {
    expect(() => buildLogSelect({ pcr: true, parameterListLength: 4 })).toThrowError(/parameterListLength/);
    expect(LogSelectParamsSchema.safeParse({ pcr: true, parameterListLength: 4 }).success).toBe(false);
  });
});

describe('REPORT SUPPORTED OPERATION CODES (SPC-6)', () => {
  it('all commands', () => {
    expectSpec(buildReportSupportedOperationCodes(), 'a3 0c 00 00 00 00 00 00 20 00 00 00', 'in', 8192);
    expectSpec(
      buildReportSupportedOperationCodes({ mode: 'all', rctd: true, allocationLength: 0x10000 }),
      'a3 0c 80 00 00 00 00 01 00 00 00 00',
      'in',
      0x10000,
    );
  });
  it('one command without service action: options 001b', () => {
    expectSpec(
      buildReportSupportedOperationCodes({ mode: 'one', opcode: 0x12, rctd: true }),
      'a3 0c 81 12 00 00 00 00 20 00 00 00',
      'in',
      8192,
    );
  });
  it('one command with service action: options 010b, or 011b when optional', () => {
    expectSpec(
      buildReportSupportedOperationCodes({ mode: 'one', opcode: 0x9e, serviceAction: 0x10 }),
      'a3 0c 02 9e 00 10 00 00 20 00 00 00',
      'in',
      8192,
    );
    expectSpec(
      buildReportSupportedOperationCodes({
        mode: 'one',
        opcode: 0x28,
        serviceAction: 0,
        serviceActionOptional: true,
        allocationLength: 64,
      }),
      'a3 0c 03 28 00 00 00 00 00 40 00 00',
      'in',
      64,
    );
  });
  it('refuses bad combinations', () => {
    expect(() => buildReportSupportedOperationCodes({ mode: 'one', opcode: 0x100 })).toThrowError(/opcode/);
    expect(() =>
      buildReportSupportedOperationCodes({ mode: 'one', opcode: 0x12, serviceActionOptional: true }),
    ).toThrowError(/serviceActionOptional/);
    expect(() =>
      buildReportSupportedOperationCodes({ mode: 'some' } as unknown as { mode: 'all' }),
    ).toThrowError(CdbBuildError);
  });
});

describe('REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS (SPC-6)', () => {
  it('defaults to 16 bytes, REPD in byte 2 bit 7', () => {
    expectSpec(
      buildReportSupportedTaskManagementFunctions(),
      'a3 0d 00 00 00 00 00 00 00 10 00 00',
      'in',
      16,
    );
    expectSpec(
      buildReportSupportedTaskManagementFunctions({ repd: true }),
      'a3 0d 80 00 00 00 00 00 00 10 00 00',
      'in',
      16,
    );
    expect(() => buildReportSupportedTaskManagementFunctions({ allocationLength: 3 })).toThrowError(
      /at least 4/,
    );
  });
});

describe('REPORT TARGET PORT GROUPS (SPC-6)', () => {
  it('puts PARAMETER DATA FORMAT 001b in byte 1 bits 7-5 when extended', () => {
    expectSpec(buildReportTargetPortGroups(), 'a3 0a 00 00 00 00 00 00 10 00 00 00', 'in', 4096);
    expectSpec(
      buildReportTargetPortGroups({ extended: true, allocationLength: 0x0400 }),
      'a3 2a 00 00 00 00 00 00 04 00 00 00',
      'in',
      0x400,
    );
  });
});

describe('READ MEDIA SERIAL NUMBER (SPC-6, SERVICE ACTION IN(12) 01h)', () => {
  it('puts the service action in byte 1 and ALLOCATION LENGTH in bytes 6-9', () => {
    expectSpec(buildReadMediaSerialNumber(), 'ab 01 00 00 00 00 00 00 01 00 00 00', 'in', 256);
    expectSpec(
      buildReadMediaSerialNumber({ allocationLength: 0x01020304 }),
      'ab 01 00 00 00 00 01 02 03 04 00 00',
      'in',
      0x01020304,
    );
    expect(buildReadMediaSerialNumber({ allocationLength: 0 }).direction).toBe('none');
    expect(() => buildReadMediaSerialNumber({ allocationLength: 2 ** 32 })).toThrowError(/allocationLength/);
  });
});

describe('REPORT IDENTIFYING INFORMATION (SPC-6)', () => {
  it('puts INFORMATION TYPE in byte 10 bits 7-1', () => {
    expectSpec(buildReportIdentifyingInformation(), 'a3 05 00 00 00 00 00 00 10 00 00 00', 'in', 4096);
    expectSpec(
      buildReportIdentifyingInformation({ informationType: 'supported', allocationLength: 0x100 }),
      'a3 05 00 00 00 00 00 00 01 00 fe 00',
      'in',
      0x100,
    );
    expectSpec(
      buildReportIdentifyingInformation({ informationType: 'peripheralDeviceText' }),
      'a3 05 00 00 00 00 00 00 10 00 04 00',
      'in',
      4096,
    );
    expect(() => buildReportIdentifyingInformation({ informationType: 0x80 })).toThrowError(
      /informationType/,
    );
  });
});

describe('START STOP UNIT (SBC-5)', () => {
  it('start, stop, eject', () => {
    expectSpec(buildStartStopUnit({ start: true }), '1b 00 00 00 01 00', 'none', 0);
    expectSpec(buildStartStopUnit({ immed: true, noFlush: true }), '1b 01 00 00 04 00', 'none', 0);
    expectSpec(buildStartStopUnit({ loej: true }), '1b 00 00 00 02 00', 'none', 0);
  });
  it('power conditions in byte 4 bits 7-4, modifier in byte 3', () => {
    expectSpec(
      buildStartStopUnit({ powerCondition: 'idle', powerConditionModifier: 1 }),
      '1b 00 00 01 20 00',
      'none',
      0,
    );
    expectSpec(buildStartStopUnit({ powerCondition: 'forceStandby0' }), '1b 00 00 00 b0 00', 'none', 0);
    expectSpec(buildStartStopUnit({ powerCondition: 7 }), '1b 00 00 00 70 00', 'none', 0);
    expect(() => buildStartStopUnit({ powerCondition: 16 })).toThrowError(/powerCondition/);
    expect(() => buildStartStopUnit({ powerConditionModifier: 16 })).toThrowError(/powerConditionModifier/);
  });
});

describe('PREVENT ALLOW MEDIUM REMOVAL (SPC-6)', () => {
  it('puts PREVENT in byte 4', () => {
    expectSpec(buildPreventAllowMediumRemoval({ prevent: 1 }), '1e 00 00 00 01 00', 'none', 0);
    expectSpec(buildPreventAllowMediumRemoval({ prevent: 0 }), '1e 00 00 00 00 00', 'none', 0);
    expect(() => buildPreventAllowMediumRemoval({ prevent: 4 })).toThrowError(/prevent/);
  });
});

describe('READ ATTRIBUTE (SPC-6)', () => {
  it('defaults to attribute values, 8192 bytes', () => {
    expectSpec(buildReadAttribute(), '8c 00 00 00 00 00 00 00 00 00 00 00 20 00 00 00', 'in', 8192);
  });
  it('writes every field', () => {
    expectSpec(
      buildReadAttribute({
        serviceAction: 'supportedAttributes',
        elementAddress: 0x1234,
        logicalVolumeNumber: 1,
        partitionNumber: 2,
        firstAttributeIdentifier: 0x0400,
        allocationLength: 0x100,
        cache: true,
      }),
      '8c 05 12 34 00 01 00 02 04 00 00 00 01 00 01 00',
      'in',
      0x100,
    );
    expect(() => buildReadAttribute({ serviceAction: 0x20 })).toThrowError(/serviceAction/);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: random params either build or throw CdbBuildError, and the zod schema agrees with the
// builder (what the schema accepts builds; what the builder accepts the schema accepts).

const anyNumber = fc.oneof(
  fc.integer({ min: -2, max: 300 }),
  fc.integer({ min: 0, max: 0x1_0000_0002 }),
  fc.constantFrom(-1, 0.5, Number.NaN, 0xffff, 0x10000, 0xffffff, 0x1000000, 0xffffffff, 2 ** 32),
);
const anyBool = fc.oneof(fc.boolean(), fc.constantFrom(1 as unknown as boolean, 'yes' as unknown as boolean));
const anyName = (names: readonly string[]) =>
  fc.oneof(fc.constantFrom(...names), anyNumber, fc.constant('nope'));
const pcNames = ['current', 'changeable', 'default', 'saved'];
const logPcNames = ['threshold', 'cumulative', 'defaultThreshold', 'defaultCumulative'];

/** Runs one builder on arbitrary params and checks the outcome against its schema. */

describe('builder properties', () => {
  it('TEST UNIT READY', () => {
    checkBuilder(fc.constant({}), buildTestUnitReady, TestUnitReadyParamsSchema, SPC_CDB_LENGTHS);
  });
  it('INQUIRY', () => {
    checkBuilder(
      fc.record({ evpd: anyBool, pageCode: anyNumber, allocationLength: anyNumber }, { requiredKeys: [] }),
      buildInquiry,
      InquiryParamsSchema,
      SPC_CDB_LENGTHS,
    );
  });
  it('REQUEST SENSE', () => {
    checkBuilder(
      fc.record({ desc: anyBool, allocationLength: anyNumber }, { requiredKeys: [] }),
      buildRequestSense,
      RequestSenseParamsSchema,
      SPC_CDB_LENGTHS,
    );
  });
  it('REPORT LUNS', () => {
    checkBuilder(
      fc.record(
        {
          selectReport: fc.oneof(fc.constantFrom(0, 1, 2, 0x10, 0x11, 0x12), anyNumber),
          allocationLength: anyNumber,
        },
        { requiredKeys: [] },
      ),
      buildReportLuns,
      ReportLunsParamsSchema,
      SPC_CDB_LENGTHS,
    );
  });
  it('MODE SENSE(6)/(10)', () => {
    const common = {
      pageCode: anyNumber,
      subpageCode: anyNumber,
      pageControl: anyName(pcNames),
      dbd: anyBool,
      allocationLength: anyNumber,
    };
    checkBuilder(
      fc.record(common, { requiredKeys: [] }),
      buildModeSense6,
      ModeSense6ParamsSchema,
      SPC_CDB_LENGTHS,
    );
    checkBuilder(
      fc.record({ ...common, llbaa: anyBool }, { requiredKeys: [] }),
      buildModeSense10,
      ModeSense10ParamsSchema,
      SPC_CDB_LENGTHS,
    );
  });
  it('MODE SELECT(6)/(10)', () => {
    const arb = fc.record({ pf: anyBool, sp: anyBool, parameterListLength: anyNumber }, { requiredKeys: [] });
    checkBuilder(arb, buildModeSelect6, ModeSelect6ParamsSchema, SPC_CDB_LENGTHS);
    checkBuilder(arb, buildModeSelect10, ModeSelect10ParamsSchema, SPC_CDB_LENGTHS);
  });
  it('LOG SENSE / LOG SELECT', () => {
    checkBuilder(
      fc.record(
        {
          pageCode: anyNumber,
          subpageCode: anyNumber,
          pageControl: anyName(logPcNames),
          sp: anyBool,
          parameterPointer: anyNumber,
          allocationLength: anyNumber,
        },
        { requiredKeys: [] },
      ),
      buildLogSense,
      LogSenseParamsSchema,
      SPC_CDB_LENGTHS,
    );
    checkBuilder(
      fc.record(
        {
          pcr: anyBool,
          sp: anyBool,
          pageControl: anyName(logPcNames),
          pageCode: anyNumber,
          subpageCode: anyNumber,
          parameterListLength: fc.oneof(fc.constant(0), anyNumber),
        },
        { requiredKeys: [] },
      ),
      buildLogSelect,
      LogSelectParamsSchema,
      SPC_CDB_LENGTHS,
    );
  });
  it('REPORT SUPPORTED OPERATION CODES', () => {
    checkBuilder(
      fc.oneof(
        fc.record(
          { mode: fc.constant('all'), rctd: anyBool, allocationLength: anyNumber },
          { requiredKeys: ['mode'] },
        ),
        fc.record(
          {
            mode: fc.constant('one'),
            opcode: anyNumber,
            serviceAction: anyNumber,
            serviceActionOptional: anyBool,
            rctd: anyBool,
            allocationLength: anyNumber,
          },
          { requiredKeys: ['mode'] },
        ),
      ),
      buildReportSupportedOperationCodes,
      ReportSupportedOperationCodesParamsSchema,
      SPC_CDB_LENGTHS,
    );
  });
  it('REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS / TARGET PORT GROUPS / IDENTIFYING INFORMATION', () => {
    checkBuilder(
      fc.record({ repd: anyBool, allocationLength: anyNumber }, { requiredKeys: [] }),
      buildReportSupportedTaskManagementFunctions,
      ReportSupportedTaskManagementFunctionsParamsSchema,
      SPC_CDB_LENGTHS,
    );
    checkBuilder(
      fc.record({ extended: anyBool, allocationLength: anyNumber }, { requiredKeys: [] }),
      buildReportTargetPortGroups,
      ReportTargetPortGroupsParamsSchema,
      SPC_CDB_LENGTHS,
    );
    checkBuilder(
      fc.record(
        {
          informationType: anyName(['peripheralDevice', 'peripheralDeviceText', 'supported']),
          allocationLength: anyNumber,
        },
        { requiredKeys: [] },
      ),
      buildReportIdentifyingInformation,
      ReportIdentifyingInformationParamsSchema,
      SPC_CDB_LENGTHS,
    );
    checkBuilder(
      fc.record({ allocationLength: anyNumber }, { requiredKeys: [] }),
      buildReadMediaSerialNumber,
      ReadMediaSerialNumberParamsSchema,
      SPC_CDB_LENGTHS,
    );
  });
  it('START STOP UNIT / PREVENT ALLOW MEDIUM REMOVAL / READ ATTRIBUTE', () => {
    checkBuilder(
      fc.record(
        {
          immed: anyBool,
          powerCondition: anyName(['startValid', 'active', 'idle', 'standby', 'luControl', 'forceIdle0']),
          powerConditionModifier: anyNumber,
          noFlush: anyBool,
          loej: anyBool,
          start: anyBool,
        },
        { requiredKeys: [] },
      ),
      buildStartStopUnit,
      StartStopUnitParamsSchema,
      SPC_CDB_LENGTHS,
    );
    checkBuilder(
      fc.record({ prevent: anyNumber }, { requiredKeys: [] }),
      buildPreventAllowMediumRemoval,
      PreventAllowMediumRemovalParamsSchema,
      SPC_CDB_LENGTHS,
    );
    checkBuilder(
      fc.record(
        {
          serviceAction: anyName(Object.keys(READ_ATTRIBUTE_SERVICE_ACTION)),
          elementAddress: anyNumber,
          logicalVolumeNumber: anyNumber,
          partitionNumber: anyNumber,
          firstAttributeIdentifier: anyNumber,
          allocationLength: anyNumber,
          cache: anyBool,
        },
        { requiredKeys: [] },
      ),
      buildReadAttribute,
      ReadAttributeParamsSchema,
      SPC_CDB_LENGTHS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Every opcode / service action these builders emit carries the name T10 gives it, as tabulated
// from sg3_utils (opcodes.tsv, service-actions.tsv) and generated into src/spec/t10-tables.generated.ts.

const opcodeNames = new Map<number, string[]>();
for (const [op, , name] of T10_OPCODES) {
  opcodeNames.set(op, [...(opcodeNames.get(op) ?? []), name]);
}
const saNames = new Map<string, string[]>();
for (const [op, sa, , name] of T10_SERVICE_ACTIONS) {
  const key = `${op}/${sa}`;
  saNames.set(key, [...(saNames.get(key) ?? []), name]);
}

const norm = (s: string) => s.toUpperCase().replace(/\s+/gu, '');
/** sg3_utils writes "Write buffer(10)" and "Extended copy" where T10 writes WRITE BUFFER, EXTENDED COPY(LID4). */
function sameName(specName: string, tableName: string): boolean {
  const a = norm(specName);
  const b = norm(tableName);
  return a === b || a === `${b}(LID4)` || a === b.replace('(10)', '');
}
/** camelCase service action names ('registerAndIgnoreExistingKey') as the table's words. */
const words = (camel: string) => camel.replace(/([A-Z])/gu, ' $1').toLowerCase();

/** Opcodes whose byte 1 bits 4-0 carry a service action named by the CdbSpec. */
const SA_NAMED = new Set([0x83, 0x84, 0xa3, 0xab]);
/** Known gap: the tabulated opcode list has no row for 00h TEST UNIT READY. */
const MISSING_OPCODES = new Set([0x00]);

const allSpecs: CdbSpec[] = [
  buildTestUnitReady(),
  buildInquiry(),
  buildRequestSense(),
  buildReportLuns(),
  buildModeSense6({ pageCode: 1 }),
  buildModeSense10({ pageCode: 1 }),
  buildModeSelect6({ parameterListLength: 12 }),
  buildModeSelect10({ parameterListLength: 16 }),
  buildLogSense({ pageCode: 0 }),
  buildLogSelect(),
  buildReportSupportedOperationCodes(),
  buildReportSupportedTaskManagementFunctions(),
  buildReportTargetPortGroups(),
  buildReportIdentifyingInformation(),
  buildReadMediaSerialNumber(),
  buildStartStopUnit(),
  buildPreventAllowMediumRemoval({ prevent: 0 }),
  buildReadAttribute(),
  buildPersistentReserveIn({ serviceAction: 'readKeys' }),
  buildPersistentReserveOut({ serviceAction: 'register', parameterListLength: 24 }),
  buildSendDiagnostic({ selfTest: true }),
  buildReceiveDiagnosticResults(),
  buildReadBuffer10({ mode: 'descriptor', allocationLength: 4 }),
  buildReadBuffer16({ mode: 'descriptor', allocationLength: 4 }),
  buildWriteBuffer({ mode: 'data', parameterListLength: 4 }),
  buildActivateDeferredMicrocode(),
  buildSecurityProtocolIn({ securityProtocol: 0, allocationLength: 512 }),
  buildSecurityProtocolOut({ securityProtocol: 1, transferLength: 512 }),
  buildExtendedCopy({ parameterListLength: 64 }),
  buildExtendedCopy({ lid: 'lid4', parameterListLength: 64 }),
  ...Object.keys(RECEIVE_COPY_SERVICE_ACTION).map((sa) =>
    buildReceiveCopyResults({ serviceAction: sa as keyof typeof RECEIVE_COPY_SERVICE_ACTION }),
  ),
];

describe('T10 names (opcodes.tsv, service-actions.tsv)', () => {
  it.each(allSpecs.map((s) => [s.name, s] as const))('%s', (_name, spec) => {
    const opcode = spec.cdb[0] as number;
    if (SA_NAMED.has(opcode)) {
      const names = saNames.get(`${opcode}/${(spec.cdb[1] as number) & 0x1f}`) ?? [];
      expect(
        names.some((n) => sameName(spec.name, n)),
        `${spec.name} vs ${names.join(' | ')}`,
      ).toBe(true);
    } else if (MISSING_OPCODES.has(opcode) && !opcodeNames.has(opcode)) {
      expect(hex(spec.cdb)).toBe('000000000000');
    } else {
      const names = opcodeNames.get(opcode) ?? [];
      expect(
        names.some((n) => sameName(spec.name, n)),
        `${spec.name} vs ${names.join(' | ')}`,
      ).toBe(true);
    }
  });

  it('PR IN / PR OUT / READ ATTRIBUTE service action names match the table', () => {
    for (const [op, table] of [
      [0x5e, PR_IN_SERVICE_ACTION],
      [0x5f, PR_OUT_SERVICE_ACTION],
      [0x8c, READ_ATTRIBUTE_SERVICE_ACTION],
    ] as const) {
      for (const [name, sa] of Object.entries(table)) {
        expect(saNames.get(`${op}/${sa}`), `${op.toString(16)}/${sa}`).toContain(words(name));
      }
    }
  });

  it('every named READ BUFFER / WRITE BUFFER mode except vendor-specific 01h is in the table', () => {
    for (const [op, table] of [
      [0x3c, READ_BUFFER_MODE],
      [0x3b, WRITE_BUFFER_MODE],
    ] as const) {
      for (const [name, mode] of Object.entries(table)) {
        if (mode === 0x01) continue;
        expect(saNames.has(`${op}/${mode}`), `${op.toString(16)} mode ${name}`).toBe(true);
      }
    }
  });
});

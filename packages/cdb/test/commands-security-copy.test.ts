import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildExtendedCopy,
  buildReceiveCopyResults,
  buildReceiveRodTokenInformation,
  ExtendedCopyParamsSchema,
  RECEIVE_COPY_SERVICE_ACTION,
  ReceiveCopyResultsParamsSchema,
  ReceiveRodTokenInformationParamsSchema,
} from '../src/commands/copy.js';
import {
  buildSecurityProtocolIn,
  buildSecurityProtocolOut,
  SECURITY_PROTOCOL,
  SecurityProtocolInParamsSchema,
  SecurityProtocolOutParamsSchema,
} from '../src/commands/security.js';
import { checkBuilder, expectSpec } from './helpers.js';

describe('SECURITY PROTOCOL IN (SPC-6)', () => {
  it('security protocol information: supported protocols list', () => {
    expectSpec(
      buildSecurityProtocolIn({ securityProtocol: SECURITY_PROTOCOL.information, allocationLength: 0x200 }),
      'a2 00 00 00 00 00 00 00 02 00 00 00',
      'in',
      0x200,
    );
  });
  it('INC_512 counts 512-byte units; transferLength stays in bytes', () => {
    expectSpec(
      buildSecurityProtocolIn({
        securityProtocol: SECURITY_PROTOCOL.tcg1,
        securityProtocolSpecific: 0x0001,
        inc512: true,
        allocationLength: 2,
      }),
      'a2 01 00 01 80 00 00 00 00 02 00 00',
      'in',
      1024,
    );
  });
  it('range-checks', () => {
    expect(() => buildSecurityProtocolIn({ securityProtocol: 0x100, allocationLength: 1 })).toThrowError(
      /securityProtocol/,
    );
    expect(() =>
      buildSecurityProtocolIn({
        securityProtocol: 0,
        securityProtocolSpecific: 0x10000,
        allocationLength: 1,
      }),
    ).toThrowError(/securityProtocolSpecific/);
    expect(() => buildSecurityProtocolIn({ securityProtocol: 0, allocationLength: 2 ** 32 })).toThrowError(
      /allocationLength/,
    );
  });
});

describe('SECURITY PROTOCOL OUT (SPC-6)', () => {
  it('sends transferLength bytes', () => {
    expectSpec(
      buildSecurityProtocolOut({
        securityProtocol: SECURITY_PROTOCOL.tcg1,
        securityProtocolSpecific: 0x0004,
        transferLength: 0x800,
      }),
      'b5 01 00 04 00 00 00 00 08 00 00 00',
      'out',
      0x800,
    );
    expectSpec(
      buildSecurityProtocolOut({ securityProtocol: 0xee, inc512: true, transferLength: 1 }),
      'b5 ee 00 00 80 00 00 00 00 01 00 00',
      'out',
      512,
    );
  });
});

describe('EXTENDED COPY (SPC-4 LID1, SPC-6 LID4)', () => {
  it('LID1 by default; parameter list length in bytes 10-13', () => {
    expectSpec(
      buildExtendedCopy({ parameterListLength: 0x40 }),
      '83 00 00 00 00 00 00 00 00 00 00 00 00 40 00 00',
      'out',
      0x40,
    );
    expect(buildExtendedCopy({ parameterListLength: 0x40 }).name).toBe('EXTENDED COPY(LID1)');
  });
  it('LID4 is service action 01h', () => {
    const spec = buildExtendedCopy({ lid: 'lid4', parameterListLength: 0x01020304 });
    expectSpec(spec, '83 01 00 00 00 00 00 00 00 00 01 02 03 04 00 00', 'out', 0x01020304);
    expect(spec.name).toBe('EXTENDED COPY(LID4)');
  });
  it('refuses unknown formats', () => {
    expect(() => buildExtendedCopy({ lid: 'lid2' as 'lid1', parameterListLength: 1 })).toThrowError(/lid/);
  });
});

describe('THIRD-PARTY COPY IN / RECEIVE COPY RESULTS (SPC-6)', () => {
  it('LID1 actions put a one-byte list identifier in byte 2', () => {
    expectSpec(
      buildReceiveCopyResults({
        serviceAction: 'copyStatusLid1',
        listIdentifier: 5,
        allocationLength: 0x100,
      }),
      '84 00 05 00 00 00 00 00 00 00 00 00 01 00 00 00',
      'in',
      0x100,
    );
    expectSpec(
      buildReceiveCopyResults({ serviceAction: 'failureDetailsLid1', listIdentifier: 0xff }),
      '84 04 ff 00 00 00 00 00 00 00 00 00 10 00 00 00',
      'in',
      4096,
    );
  });
  it('operating parameters has no list identifier', () => {
    const spec = buildReceiveCopyResults({ serviceAction: 'operatingParameters' });
    expectSpec(spec, '84 03 00 00 00 00 00 00 00 00 00 00 10 00 00 00', 'in', 4096);
    expect(spec.name).toBe('RECEIVE COPY OPERATING PARAMETERS');
    expect(() =>
      buildReceiveCopyResults({ serviceAction: 'operatingParameters', listIdentifier: 1 }),
    ).toThrowError(/listIdentifier/);
  });
  it('LID4 actions put a four-byte list identifier in bytes 2-5', () => {
    expectSpec(
      buildReceiveCopyResults({ serviceAction: 'copyStatusLid4', listIdentifier: 0x01020304 }),
      '84 05 01 02 03 04 00 00 00 00 00 00 10 00 00 00',
      'in',
      4096,
    );
    expect(() =>
      buildReceiveCopyResults({ serviceAction: 'copyStatusLid1', listIdentifier: 256 }),
    ).toThrowError(/listIdentifier/);
  });
  it('RECEIVE ROD TOKEN INFORMATION', () => {
    const spec = buildReceiveRodTokenInformation({ listIdentifier: 0x11223344 });
    expectSpec(spec, '84 07 11 22 33 44 00 00 00 00 00 00 04 00 00 00', 'in', 1024);
    expect(spec.name).toBe('RECEIVE ROD TOKEN INFORMATION');
  });
});

// ---------------------------------------------------------------------------------------------

const anyNumber = fc.oneof(
  fc.integer({ min: -2, max: 300 }),
  fc.integer({ min: 0, max: 0x1_0000_0002 }),
  fc.constantFrom(-1, 0.5, Number.NaN, 0xffff, 0x10000, 0xffffffff, 2 ** 32),
);
const anyBool = fc.oneof(fc.boolean(), fc.constantFrom(1 as unknown as boolean, 'yes' as unknown as boolean));
const anyName = (names: readonly string[]) =>
  fc.oneof(fc.constantFrom(...names), anyNumber, fc.constant('nope'));

describe('builder properties: build or CdbBuildError, and the schema agrees', () => {
  it('SECURITY PROTOCOL IN / OUT', () => {
    const common = { securityProtocol: anyNumber, securityProtocolSpecific: anyNumber, inc512: anyBool };
    checkBuilder(
      fc.record({ ...common, allocationLength: anyNumber }, { requiredKeys: [] }),
      buildSecurityProtocolIn,
      SecurityProtocolInParamsSchema,
    );
    checkBuilder(
      fc.record({ ...common, transferLength: anyNumber }, { requiredKeys: [] }),
      buildSecurityProtocolOut,
      SecurityProtocolOutParamsSchema,
    );
  });
  it('EXTENDED COPY', () => {
    checkBuilder(
      fc.record(
        { lid: fc.constantFrom('lid1', 'lid4', 'lid2'), parameterListLength: anyNumber },
        { requiredKeys: [] },
      ),
      buildExtendedCopy,
      ExtendedCopyParamsSchema,
    );
  });
  it('RECEIVE COPY RESULTS / RECEIVE ROD TOKEN INFORMATION', () => {
    checkBuilder(
      fc.record(
        {
          serviceAction: anyName(Object.keys(RECEIVE_COPY_SERVICE_ACTION)),
          listIdentifier: anyNumber,
          allocationLength: anyNumber,
        },
        { requiredKeys: [] },
      ),
      buildReceiveCopyResults,
      ReceiveCopyResultsParamsSchema,
    );
    checkBuilder(
      fc.record({ listIdentifier: anyNumber, allocationLength: anyNumber }, { requiredKeys: [] }),
      buildReceiveRodTokenInformation,
      ReceiveRodTokenInformationParamsSchema,
    );
  });
});

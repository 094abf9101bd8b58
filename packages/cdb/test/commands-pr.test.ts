import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildFcTransportId,
  buildIscsiTransportId,
  buildPersistentReserveIn,
  buildPersistentReserveOut,
  buildPersistentReserveOutData,
  buildPrClear,
  buildPrPreempt,
  buildPrRegister,
  buildPrRegisterAndMove,
  buildPrRelease,
  buildPrReserve,
  buildRegisterAndMoveData,
  buildSasTransportId,
  PersistentReserveInParamsSchema,
  PersistentReserveOutDataParamsSchema,
  PersistentReserveOutParamsSchema,
  PR_IN_SERVICE_ACTION,
  PR_OUT_SERVICE_ACTION,
  PR_TYPE,
  RegisterAndMoveDataParamsSchema,
} from '../src/commands/persistent-reservation.js';
import { CdbBuildError, hex } from '../src/index.js';
import { checkBuilder, expectSpec, h } from './helpers.js';

describe('PERSISTENT RESERVE IN (SPC-6)', () => {
  it('READ KEYS with the default 8192 bytes', () => {
    expectSpec(
      buildPersistentReserveIn({ serviceAction: 'readKeys' }),
      '5e 00 00 00 00 00 00 20 00 00',
      'in',
      8192,
    );
  });
  it('READ FULL STATUS, allocation length in bytes 7-8', () => {
    expectSpec(
      buildPersistentReserveIn({ serviceAction: 'readFullStatus', allocationLength: 0x1000 }),
      '5e 03 00 00 00 00 00 10 00 00',
      'in',
      0x1000,
    );
    expectSpec(
      buildPersistentReserveIn({ serviceAction: 'reportCapabilities', allocationLength: 8 }),
      '5e 02 00 00 00 00 00 00 08 00',
      'in',
      8,
    );
  });
  it('range-checks', () => {
    expect(() => buildPersistentReserveIn({ serviceAction: 0x20 })).toThrowError(/serviceAction/);
    expect(() =>
      buildPersistentReserveIn({ serviceAction: 'readKeys', allocationLength: 0x10000 }),
    ).toThrowError(/allocationLength/);
  });
});

describe('PERSISTENT RESERVE OUT (SPC-6)', () => {
  it('REGISTER with the 24-byte basic list', () => {
    expectSpec(
      buildPersistentReserveOut({ serviceAction: 'register', parameterListLength: 24 }),
      '5f 00 00 00 00 00 00 00 18 00',
      'out',
      24,
    );
  });
  it('puts SCOPE and TYPE in byte 2', () => {
    expectSpec(
      buildPersistentReserveOut({
        serviceAction: 'reserve',
        type: 'writeExclusive',
        parameterListLength: 24,
      }),
      '5f 01 01 00 00 00 00 00 18 00',
      'out',
      24,
    );
    expectSpec(
      buildPersistentReserveOut({
        serviceAction: 'preemptAndAbort',
        type: 'exclusiveAccessRegistrantsOnly',
        parameterListLength: 24,
      }),
      '5f 05 06 00 00 00 00 00 18 00',
      'out',
      24,
    );
    expectSpec(
      buildPersistentReserveOut({
        serviceAction: 'release',
        scope: 1,
        type: 8,
        parameterListLength: 0x01020304,
      }),
      '5f 02 18 00 00 01 02 03 04 00',
      'out',
      0x01020304,
    );
  });
  it('refuses a reserve/release/preempt without a type', () => {
    for (const sa of [
      'reserve',
      'release',
      'preempt',
      'preemptAndAbort',
      'replaceLostReservation',
    ] as const) {
      expect(() => buildPersistentReserveOut({ serviceAction: sa, parameterListLength: 24 })).toThrowError(
        /type/,
      );
    }
    expect(() => buildPersistentReserveOut({ serviceAction: 1, parameterListLength: 24 })).toThrowError(
      /type/,
    );
  });
  it('range-checks', () => {
    expect(() =>
      buildPersistentReserveOut({ serviceAction: 'register', scope: 16, parameterListLength: 24 }),
    ).toThrowError(/scope/);
    expect(() =>
      buildPersistentReserveOut({
        serviceAction: 'reserve',
        type: 'bogus' as 'writeExclusive',
        parameterListLength: 24,
      }),
    ).toThrowError(/type/);
  });
});

describe('PR OUT parameter list (SPC-6)', () => {
  it('basic 24-byte list', () => {
    const data = buildPersistentReserveOutData({
      reservationKey: 0x0123456789abcdefn,
      serviceActionReservationKey: 0xfedcba9876543210n,
      aptpl: true,
      allTargetPorts: true,
    });
    expect(hex(data)).toBe(h('0123456789abcdef fedcba9876543210 00000000 05 00 0000'));
  });
  it('all zero by default', () => {
    expect(hex(buildPersistentReserveOutData())).toBe('00'.repeat(24));
  });
  it('extended list with SPEC_I_PT and TransportIDs', () => {
    const sas = buildSasTransportId(0x5000c50012345678n);
    const data = buildPersistentReserveOutData({ serviceActionReservationKey: 1n, transportIds: [sas, sas] });
    expect(data.length).toBe(28 + 48);
    expect(data[20]).toBe(0x08);
    expect(hex(data.subarray(24, 28))).toBe('00000030');
    expect(hex(data.subarray(28, 40))).toBe(h('06 000000 5000c50012345678'));
    expect(hex(data.subarray(52, 64))).toBe(h('06 000000 5000c50012345678'));
  });
  it('refuses inconsistent SPEC_I_PT and malformed TransportIDs', () => {
    const sas = buildSasTransportId(1n);
    expect(() =>
      buildPersistentReserveOutData({ specifyInitiatorPorts: false, transportIds: [sas] }),
    ).toThrowError(/transportIds/);
    expect(() => buildPersistentReserveOutData({ specifyInitiatorPorts: true })).toThrowError(
      /specifyInitiatorPorts/,
    );
    expect(() => buildPersistentReserveOutData({ transportIds: [new Uint8Array(20)] })).toThrowError(
      /at least 24/,
    );
    expect(() => buildPersistentReserveOutData({ transportIds: [new Uint8Array(26)] })).toThrowError(
      /multiple of 4/,
    );
    expect(() => buildPersistentReserveOutData({ reservationKey: 1n << 64n })).toThrowError(/reservationKey/);
    expect(() => buildPersistentReserveOutData({ reservationKey: -1n })).toThrowError(CdbBuildError);
  });
});

describe('REGISTER AND MOVE parameter list (SPC-6)', () => {
  it('header, relative target port, TransportID length, TransportID', () => {
    const fcId = buildFcTransportId(0x21000024ff123456n);
    const data = buildRegisterAndMoveData({
      reservationKey: 1n,
      serviceActionReservationKey: 2n,
      unreg: true,
      aptpl: true,
      relativeTargetPortIdentifier: 2,
      transportId: fcId,
    });
    expect(hex(data)).toBe(
      h(
        `0000000000000001 0000000000000002 00 03 0002 00000018
         00 00000000000000 21000024ff123456 0000000000000000`,
      ),
    );
  });
  it('range-checks', () => {
    expect(() =>
      buildRegisterAndMoveData({
        reservationKey: 1n,
        serviceActionReservationKey: 2n,
        relativeTargetPortIdentifier: 0x10000,
        transportId: buildSasTransportId(1n),
      }),
    ).toThrowError(/relativeTargetPortIdentifier/);
  });
});

describe('TransportIDs (SPC-6)', () => {
  it('SAS and FC are 24 bytes with the protocol identifier in byte 0', () => {
    expect(hex(buildSasTransportId(0x5000c50012345678n))).toBe(
      h(`06000000 5000c50012345678 ${'00'.repeat(12)}`),
    );
    expect(hex(buildFcTransportId(0x21000024ff123456n))).toBe(
      h(`00 ${'00'.repeat(7)} 21000024ff123456 ${'00'.repeat(8)}`),
    );
  });
  it('iSCSI device name: NUL-terminated, padded, at least 20 bytes of name', () => {
    const id = buildIscsiTransportId({ name: 'iqn.a' });
    expect(id.length).toBe(24);
    expect(hex(id.subarray(0, 10))).toBe(h('05 00 0014 69716e2e61 00'));
  });
  it('iSCSI initiator port: FORMAT CODE 01b and ",i,0x<ISID>"', () => {
    const id = buildIscsiTransportId({ name: 'iqn.a', isid: 0x23d000000001n });
    expect(id.length).toBe(28);
    expect(id[0]).toBe(0x45);
    expect(hex(id.subarray(2, 4))).toBe('0018');
    expect(new TextDecoder().decode(id.subarray(4, 26))).toBe('iqn.a,i,0x23d000000001');
    expect(id[26]).toBe(0);
  });
  it('refuses bad names', () => {
    expect(() => buildIscsiTransportId({ name: '' })).toThrowError(/name/);
    expect(() => buildIscsiTransportId({ name: 'a'.repeat(224) })).toThrowError(/223/);
    expect(() => buildIscsiTransportId({ name: 'iqn.a', isid: 1n << 48n })).toThrowError(/isid/);
  });
});

describe('PR OUT convenience builders', () => {
  it('register / register and ignore existing key', () => {
    const { spec, data } = buildPrRegister({ newKey: 0xabcn });
    expectSpec(spec, '5f 00 00 00 00 00 00 00 18 00', 'out', 24);
    expect(hex(data)).toBe(h(`0000000000000000 0000000000000abc ${'00'.repeat(8)}`));
    const ignore = buildPrRegister({ key: 5n, newKey: 6n, ignoreExisting: true, aptpl: true });
    expectSpec(ignore.spec, '5f 06 00 00 00 00 00 00 18 00', 'out', 24);
    expect(ignore.data[20]).toBe(0x01);
  });
  it('register with SPEC_I_PT sizes the list', () => {
    const { spec, data } = buildPrRegister({ newKey: 1n, transportIds: [buildSasTransportId(2n)] });
    expect(spec.transferLength).toBe(52);
    expect(data.length).toBe(52);
  });
  it('reserve, release, clear, preempt', () => {
    const reserve = buildPrReserve({ key: 0xabcn, type: 'exclusiveAccess' });
    expectSpec(reserve.spec, '5f 01 03 00 00 00 00 00 18 00', 'out', 24);
    expect(hex(reserve.data.subarray(0, 8))).toBe('0000000000000abc');
    expectSpec(
      buildPrRelease({ key: 0xabcn, type: 'writeExclusiveAllRegistrants' }).spec,
      '5f 02 07 00 00 00 00 00 18 00',
      'out',
      24,
    );
    expectSpec(buildPrClear({ key: 1n }).spec, '5f 03 00 00 00 00 00 00 18 00', 'out', 24);
    const preempt = buildPrPreempt({ key: 1n, preemptKey: 2n, type: 'writeExclusive', abort: true });
    expectSpec(preempt.spec, '5f 05 01 00 00 00 00 00 18 00', 'out', 24);
    expect(hex(preempt.data.subarray(8, 16))).toBe('0000000000000002');
    expectSpec(
      buildPrPreempt({ key: 1n, preemptKey: 2n, type: 'writeExclusive' }).spec,
      '5f 04 01 00 00 00 00 00 18 00',
      'out',
      24,
    );
  });
  it('register and move', () => {
    const { spec, data } = buildPrRegisterAndMove({
      reservationKey: 1n,
      serviceActionReservationKey: 2n,
      relativeTargetPortIdentifier: 1,
      transportId: buildSasTransportId(3n),
      type: 'writeExclusive',
    });
    expectSpec(spec, '5f 07 01 00 00 00 00 00 30 00', 'out', 48);
    expect(data.length).toBe(48);
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
const anyKey = fc.bigInt({ min: -1n, max: 1n << 64n });
const anyTransportId = fc.oneof(
  fc.uint8Array({ minLength: 0, maxLength: 40 }),
  fc.constant(new Uint8Array(24)),
  fc.constant(new Uint8Array(32)),
);

describe('builder properties: build or CdbBuildError, and the schema agrees', () => {
  it('PR IN', () => {
    checkBuilder(
      fc.record(
        { serviceAction: anyName(Object.keys(PR_IN_SERVICE_ACTION)), allocationLength: anyNumber },
        { requiredKeys: [] },
      ),
      buildPersistentReserveIn,
      PersistentReserveInParamsSchema,
    );
  });
  it('PR OUT', () => {
    // The schema does not know which service actions need a type; give one whenever a service action is valid.
    checkBuilder(
      fc.record(
        {
          serviceAction: anyName(Object.keys(PR_OUT_SERVICE_ACTION)),
          scope: anyNumber,
          type: anyName(Object.keys(PR_TYPE)),
          parameterListLength: anyNumber,
        },
        { requiredKeys: ['type'] },
      ),
      buildPersistentReserveOut,
      PersistentReserveOutParamsSchema,
    );
  });
  it('PR OUT data', () => {
    checkBuilder(
      fc.record(
        {
          reservationKey: anyKey,
          serviceActionReservationKey: anyKey,
          aptpl: anyBool,
          allTargetPorts: anyBool,
          specifyInitiatorPorts: anyBool,
          transportIds: fc.array(anyTransportId, { maxLength: 3 }),
        },
        { requiredKeys: [] },
      ),
      buildPersistentReserveOutData,
      PersistentReserveOutDataParamsSchema,
    );
  });
  it('REGISTER AND MOVE data', () => {
    checkBuilder(
      fc.record(
        {
          reservationKey: anyKey,
          serviceActionReservationKey: anyKey,
          unreg: anyBool,
          aptpl: anyBool,
          relativeTargetPortIdentifier: anyNumber,
          transportId: anyTransportId,
        },
        { requiredKeys: [] },
      ),
      buildRegisterAndMoveData,
      RegisterAndMoveDataParamsSchema,
    );
  });
  it('PR OUT data length always matches its SPEC_I_PT layout', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 6, max: 12 }), { maxLength: 4 }), (words) => {
        const ids = words.map((w) => new Uint8Array(w * 4));
        const data = buildPersistentReserveOutData({ transportIds: ids });
        const total = ids.reduce((n, id) => n + id.length, 0);
        expect(data.length).toBe(ids.length === 0 ? 24 : 28 + total);
      }),
    );
  });
});

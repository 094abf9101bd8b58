import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildInitializeElementStatus,
  buildInitializeElementStatusWithRange,
  buildMoveMedium,
  buildReadElementStatus,
  classifyCdb,
  commandForCdb,
  decodeCdb,
  ELEMENT_TYPE,
  InitializeElementStatusWithRangeParamsSchema,
  MoveMediumParamsSchema,
  ReadElementStatusParamsSchema,
} from '../src/index.js';
import { buildError, checkBuilder, expectSpec } from './helpers.js';

describe('READ ELEMENT STATUS (SMC-3 6.11)', () => {
  it('golden bytes: defaults, then VOLTAG, type, start, count, CURDATA/DVCID, 24-bit allocation length', () => {
    expectSpec(buildReadElementStatus(), 'b8 00 00 00 ff ff 00 01 00 00 00 00', 'in', 65536);
    expectSpec(
      buildReadElementStatus({
        elementType: 'storage',
        volTag: true,
        startingElementAddress: 0x1000,
        numberOfElements: 10,
        curData: true,
        dvcid: true,
        allocationLength: 0x123456,
      }),
      'b8 12 10 00 00 0a 03 12 34 56 00 00',
      'in',
      0x123456,
    );
    expectSpec(
      buildReadElementStatus({ elementType: 4 }),
      'b8 04 00 00 ff ff 00 01 00 00 00 00',
      'in',
      65536,
    );
  });
  it('range errors before a byte is written', () => {
    expect(buildError(() => buildReadElementStatus({ elementType: 16 })).field).toBe('elementType');
    expect(buildError(() => buildReadElementStatus({ allocationLength: 0x1000000 })).field).toBe(
      'allocationLength',
    );
    expect(buildError(() => buildReadElementStatus({ startingElementAddress: 0x10000 })).field).toBe(
      'startingElementAddress',
    );
  });
});

describe('MOVE MEDIUM (SMC-3 6.6)', () => {
  it('golden bytes: transport, source, destination, INVERT; no data phase', () => {
    expectSpec(
      buildMoveMedium({ sourceAddress: 0x1000, destinationAddress: 0x100 }),
      'a5 00 00 00 10 00 01 00 00 00 00 00',
      'none',
      0,
    );
    expectSpec(
      buildMoveMedium({ transportElementAddress: 1, sourceAddress: 2, destinationAddress: 3, invert: true }),
      'a5 00 00 01 00 02 00 03 00 00 01 00',
      'none',
      0,
    );
  });
  it('refuses an address over 16 bits', () => {
    expect(buildError(() => buildMoveMedium({ sourceAddress: 0x10000, destinationAddress: 0 })).field).toBe(
      'sourceAddress',
    );
  });
});

describe('INITIALIZE ELEMENT STATUS (SMC-3 6.2, 6.3)', () => {
  it('golden bytes', () => {
    expectSpec(buildInitializeElementStatus(), '07 00 00 00 00 00', 'none', 0);
    expectSpec(buildInitializeElementStatusWithRange(), '37 00 00 00 00 00 00 00 00 00', 'none', 0);
    expectSpec(
      buildInitializeElementStatusWithRange({
        range: true,
        fast: true,
        startingElementAddress: 0x1000,
        numberOfElements: 4,
      }),
      '37 03 10 00 00 00 00 04 00 00',
      'none',
      0,
    );
  });
  it('a start or count without RANGE is refused (the changer would ignore it)', () => {
    expect(buildError(() => buildInitializeElementStatusWithRange({ numberOfElements: 2 })).field).toBe(
      'range',
    );
  });
});

describe('registry: SMC commands only on a changer', () => {
  it('07h is INITIALIZE ELEMENT STATUS on type 08h, REASSIGN BLOCKS on a disk', () => {
    const cdb = buildInitializeElementStatus().cdb;
    expect(commandForCdb(cdb, 0x08)?.name).toBe('INITIALIZE ELEMENT STATUS');
    expect(commandForCdb(cdb, 0x00)?.name).toBe('REASSIGN BLOCKS');
  });
  it('classes: READ ELEMENT STATUS read, MOVE MEDIUM a non-idempotent write, INITIALIZE a write', () => {
    expect(classifyCdb(buildReadElementStatus().cdb, 0x08)).toEqual({ access: 'read', idempotent: true });
    expect(classifyCdb(buildMoveMedium({ sourceAddress: 1, destinationAddress: 2 }).cdb, 0x08)).toEqual({
      access: 'write',
      idempotent: false,
    });
    expect(classifyCdb(buildInitializeElementStatus().cdb, 0x08).access).toBe('write');
    expect(classifyCdb(buildInitializeElementStatusWithRange().cdb, 0x08).access).toBe('write');
    // On a disk B8h is nobody's: the guard treats it as an unknown, non-idempotent write.
    expect(commandForCdb(buildReadElementStatus().cdb, 0x00)).toBeUndefined();
  });
});

const anyNumber = fc.oneof(
  fc.integer({ min: -2, max: 300 }),
  fc.integer({ min: 0, max: 0x1_0000_0002 }),
  fc.constantFrom(-1, 0.5, Number.NaN, 0xffff, 0x10000, 0xffffff, 0x1000000),
);
const anyBool = fc.oneof(fc.boolean(), fc.constantFrom(1 as unknown as boolean, 'yes' as unknown as boolean));

describe('builder properties: build or CdbBuildError, and the schema agrees', () => {
  it('READ ELEMENT STATUS / MOVE MEDIUM / INITIALIZE ELEMENT STATUS WITH RANGE', () => {
    checkBuilder(
      fc.record(
        {
          elementType: fc.oneof(
            fc.constantFrom(...Object.keys(ELEMENT_TYPE)),
            anyNumber,
            fc.constant('nope'),
          ),
          volTag: anyBool,
          startingElementAddress: anyNumber,
          numberOfElements: anyNumber,
          curData: anyBool,
          dvcid: anyBool,
          allocationLength: anyNumber,
        },
        { requiredKeys: [] },
      ),
      buildReadElementStatus,
      ReadElementStatusParamsSchema,
      [12],
    );
    checkBuilder(
      fc.record(
        {
          transportElementAddress: anyNumber,
          sourceAddress: anyNumber,
          destinationAddress: anyNumber,
          invert: anyBool,
        },
        { requiredKeys: ['sourceAddress', 'destinationAddress'] },
      ),
      buildMoveMedium,
      MoveMediumParamsSchema,
      [12],
    );
    checkBuilder(
      fc.record(
        { range: anyBool, fast: anyBool, startingElementAddress: anyNumber, numberOfElements: anyNumber },
        { requiredKeys: [] },
      ),
      buildInitializeElementStatusWithRange,
      InitializeElementStatusWithRangeParamsSchema,
      [10],
    );
  });
});

describe('decodeCdb: SMC fields on a changer only', () => {
  it('names and fields with peripheral type 08h', () => {
    const move = decodeCdb(
      buildMoveMedium({ sourceAddress: 0x1000, destinationAddress: 0x100, invert: true }).cdb,
      0x08,
    );
    expect(move.name).toBe('MOVE MEDIUM');
    expect(move.fields).toMatchObject({
      transportElementAddress: 0,
      sourceAddress: 0x1000,
      destinationAddress: 0x100,
      invert: true,
    });
    const res = decodeCdb(
      buildReadElementStatus({
        elementType: 'dataTransfer',
        volTag: true,
        dvcid: true,
        allocationLength: 4096,
      }).cdb,
      0x08,
    );
    expect(res.fields).toMatchObject({
      volTag: true,
      elementTypeCode: 4,
      dvcid: true,
      curData: false,
      allocationLength: 4096,
      numberOfElements: 0xffff,
    });
    const range = decodeCdb(
      buildInitializeElementStatusWithRange({ range: true, startingElementAddress: 5, numberOfElements: 2 })
        .cdb,
      0x08,
    );
    expect(range.fields).toMatchObject({
      range: true,
      fast: false,
      startingElementAddress: 5,
      numberOfElements: 2,
    });
    expect(decodeCdb(buildInitializeElementStatus().cdb, 0x08).name).toBe('INITIALIZE ELEMENT STATUS');
    expect(decodeCdb(buildInitializeElementStatus().cdb, 0x00).name).toBe('REASSIGN BLOCKS');
  });
});

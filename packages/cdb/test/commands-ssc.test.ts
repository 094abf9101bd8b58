import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildErase6,
  buildLoadUnload,
  buildLocate10,
  buildLocate16,
  buildReadBlockLimits,
  buildReadPosition,
  buildReportDensitySupport,
  buildRewind,
  buildSpace6,
  buildSpace16,
  buildTapeRead6,
  buildTapeWrite6,
  buildWriteFilemarks6,
  buildWriteFilemarks16,
  classifyCdb,
  commandForCdb,
  Erase6ParamsSchema,
  LoadUnloadParamsSchema,
  Locate10ParamsSchema,
  Locate16ParamsSchema,
  ReadPositionParamsSchema,
  ReportDensitySupportParamsSchema,
  Space6ParamsSchema,
  Space16ParamsSchema,
  TapeReadParamsSchema,
  TapeWriteParamsSchema,
  WriteFilemarks6ParamsSchema,
  WriteFilemarks16ParamsSchema,
} from '../src/index.js';
import { buildError, checkBuilder, expectSpec } from './helpers.js';

// Golden bytes from the SSC-5 CDB tables (and, for READ POSITION/SPACE/LOCATE(10)/READ(6), the
// bytes the Linux 7.3 scsi_debug tape accepts: docs/target-notes.md).
describe('SSC-5 builders: golden bytes', () => {
  it('REWIND, LOAD UNLOAD, ERASE(6)', () => {
    expectSpec(buildRewind(), '01 00 00 00 00 00', 'none', 0);
    expectSpec(buildRewind({ immed: true }), '01 01 00 00 00 00', 'none', 0);
    expectSpec(buildLoadUnload({ load: true }), '1b 00 00 00 01 00', 'none', 0);
    expectSpec(buildLoadUnload({ load: false, eot: true, immed: true }), '1b 01 00 00 04 00', 'none', 0);
    expectSpec(buildLoadUnload({ load: true, hold: true, reten: true }), '1b 00 00 00 0b 00', 'none', 0);
    expectSpec(buildErase6({ long: true, immed: true }), '19 03 00 00 00 00', 'none', 0);
  });

  it('READ POSITION: short (allocation length 0, 20 bytes), long, extended', () => {
    expectSpec(buildReadPosition(), '34 00 00 00 00 00 00 00 00 00', 'in', 20);
    expectSpec(buildReadPosition({ form: 'long' }), '34 06 00 00 00 00 00 00 00 00', 'in', 32);
    expectSpec(buildReadPosition({ form: 'extended' }), '34 08 00 00 00 00 00 00 20 00', 'in', 32);
    expect(buildError(() => buildReadPosition({ form: 'short', allocationLength: 20 })).field).toBe(
      'allocationLength',
    );
  });

  it('LOCATE(10) and LOCATE(16)', () => {
    expectSpec(buildLocate10({ blockAddress: 3 }), '2b 00 00 00 00 00 03 00 00 00', 'none', 0);
    expectSpec(
      buildLocate10({ blockAddress: 0x01020304, partition: 1, immed: true }),
      '2b 03 00 01 02 03 04 00 01 00',
      'none',
      0,
    );
    expectSpec(
      buildLocate16({ logicalIdentifier: 5n }),
      '92 00 00 00 00 00 00 00 00 00 00 05 00 00 00 00',
      'none',
      0,
    );
    expectSpec(
      buildLocate16({ logicalIdentifier: 2, destType: 'file', partition: 1 }),
      '92 0a 00 01 00 00 00 00 00 00 00 02 00 00 00 00',
      'none',
      0,
    );
    expect(buildError(() => buildLocate10({ blockAddress: 2 ** 32 })).field).toBe('blockAddress');
  });

  it('SPACE(6) and SPACE(16): codes and signed counts', () => {
    expectSpec(buildSpace6(), '11 00 00 00 01 00', 'none', 0);
    expectSpec(buildSpace6({ code: 'filemarks', count: -1 }), '11 01 ff ff ff 00', 'none', 0);
    expectSpec(buildSpace6({ code: 'sequentialFilemarks', count: 2 }), '11 02 00 00 02 00', 'none', 0);
    expectSpec(buildSpace6({ code: 'endOfData', count: 9 }), '11 03 00 00 00 00', 'none', 0);
    expectSpec(buildSpace6({ count: -(2 ** 23) }), '11 00 80 00 00 00', 'none', 0);
    expect(buildError(() => buildSpace6({ count: 2 ** 23 })).field).toBe('count');
    expectSpec(
      buildSpace16({ code: 'filemarks', count: -2n }),
      '91 01 00 00 ff ff ff ff ff ff ff fe 00 00 00 00',
      'none',
      0,
    );
    expectSpec(buildSpace16({ count: 3 }), '91 00 00 00 00 00 00 00 00 00 00 03 00 00 00 00', 'none', 0);
    expect(buildError(() => buildSpace16({ count: 1n << 63n })).field).toBe('count');
  });

  it('WRITE FILEMARKS(6) and (16)', () => {
    expectSpec(buildWriteFilemarks6(), '10 00 00 00 01 00', 'none', 0);
    expectSpec(buildWriteFilemarks6({ count: 0x010203, immed: true }), '10 01 01 02 03 00', 'none', 0);
    expectSpec(
      buildWriteFilemarks16({ count: 2 }),
      '80 00 00 00 00 00 00 00 00 00 00 00 00 00 02 00',
      'none',
      0,
    );
    expect(buildError(() => buildWriteFilemarks6({ count: 2 ** 24 })).field).toBe('count');
  });

  it('READ(6)/WRITE(6): variable mode counts bytes, fixed mode counts blocks of the block length', () => {
    expectSpec(buildTapeRead6({ fixed: false, length: 2048 }), '08 00 00 08 00 00', 'in', 2048);
    expectSpec(buildTapeRead6({ fixed: false, length: 2048, sili: true }), '08 02 00 08 00 00', 'in', 2048);
    expectSpec(buildTapeRead6({ fixed: true, length: 4, blockLength: 512 }), '08 01 00 00 04 00', 'in', 2048);
    expectSpec(buildTapeWrite6({ fixed: false, length: 512 }), '0a 00 00 02 00 00', 'out', 512);
    expectSpec(
      buildTapeWrite6({ fixed: true, length: 3, blockLength: 512 }),
      '0a 01 00 00 03 00',
      'out',
      1536,
    );
    expect(buildError(() => buildTapeRead6({ fixed: true, length: 1 })).field).toBe('blockLength');
    expect(buildError(() => buildTapeRead6({ fixed: false, length: 1, blockLength: 512 })).field).toBe(
      'blockLength',
    );
    expect(
      buildError(() => buildTapeRead6({ fixed: true, length: 1, blockLength: 512, sili: true })).field,
    ).toBe('sili');
    expect(buildError(() => buildTapeWrite6({ fixed: false, length: 2 ** 24 })).field).toBe('length');
  });

  it('READ BLOCK LIMITS and REPORT DENSITY SUPPORT', () => {
    expectSpec(buildReadBlockLimits(), '05 00 00 00 00 00', 'in', 6);
    expectSpec(buildReadBlockLimits({ mloi: true }), '05 01 00 00 00 00', 'in', 20);
    expectSpec(buildReportDensitySupport(), '44 00 00 00 00 00 00 20 00 00', 'in', 8192);
    expectSpec(
      buildReportDensitySupport({ media: true, mediumType: true, allocationLength: 512 }),
      '44 03 00 00 00 00 00 02 00 00',
      'in',
      512,
    );
  });
});

describe('SSC-5 in the registry (tape scope)', () => {
  const TAPE = 0x01;
  it('names on a tape; the same opcodes are other commands on a disk', () => {
    expect(commandForCdb(buildLoadUnload({ load: true }).cdb, TAPE)?.name).toBe('LOAD UNLOAD');
    expect(commandForCdb(buildLoadUnload({ load: true }).cdb)?.name).toBe('START STOP UNIT');
    expect(commandForCdb(buildSpace16().cdb, TAPE)?.name).toBe('SPACE(16)');
    expect(commandForCdb(buildSpace16().cdb)?.name).toBe('SYNCHRONIZE CACHE(16)');
    expect(commandForCdb(buildReadPosition({ form: 'long' }).cdb, TAPE)?.name).toBe('READ POSITION');
    expect(commandForCdb(buildReadPosition().cdb)?.name).toBe('PRE-FETCH(10)');
    expect(commandForCdb(buildRewind().cdb)).toBeUndefined();
  });

  it('classes: reading and positioning are read-class; relative moves are not idempotent; writes are write-class', () => {
    const READ = { access: 'read', idempotent: true };
    const READ_MOVES = { access: 'read', idempotent: false };
    expect(classifyCdb(buildTapeRead6({ fixed: false, length: 512 }).cdb, TAPE)).toEqual(READ_MOVES);
    expect(classifyCdb(buildSpace6().cdb, TAPE)).toEqual(READ_MOVES);
    expect(classifyCdb(buildSpace16().cdb, TAPE)).toEqual(READ_MOVES);
    expect(classifyCdb(buildRewind().cdb, TAPE)).toEqual(READ);
    expect(classifyCdb(buildLocate10({ blockAddress: 1 }).cdb, TAPE)).toEqual(READ);
    expect(classifyCdb(buildLocate16({ logicalIdentifier: 1 }).cdb, TAPE)).toEqual(READ);
    expect(classifyCdb(buildReadPosition().cdb, TAPE)).toEqual(READ);
    expect(classifyCdb(buildReadBlockLimits().cdb, TAPE)).toEqual(READ);
    for (const spec of [
      buildTapeWrite6({ fixed: false, length: 512 }),
      buildWriteFilemarks6(),
      buildWriteFilemarks16(),
      buildErase6(),
    ]) {
      expect(classifyCdb(spec.cdb, TAPE), spec.name).toEqual({ access: 'write', idempotent: false });
    }
    expect(classifyCdb(buildLoadUnload({ load: false }).cdb, TAPE)).toEqual({
      access: 'write',
      idempotent: true,
    });
  });
});

const anyNumber = fc.oneof(
  fc.integer({ min: -3, max: 300 }),
  fc.integer({ min: -(2 ** 24), max: 2 ** 33 }),
  fc.constantFrom(-1, 0.5, Number.NaN, 0xffff, 0x10000, 0xffffff, 0x1000000, 2 ** 23, -(2 ** 23) - 1),
);
const anyBig = fc.oneof(anyNumber, fc.bigInt({ min: -(1n << 64n), max: 1n << 65n }));
const anyBool = fc.oneof(fc.boolean(), fc.constantFrom(1 as unknown as boolean));
const anyName = (names: readonly string[]) => fc.oneof(fc.constantFrom(...names), fc.constant('nope'));

describe('SSC-5 builder properties: build or CdbBuildError, and the schema agrees', () => {
  it('every SSC builder', () => {
    checkBuilder(
      fc.record({ immed: anyBool, control: anyNumber }, { requiredKeys: [] }),
      buildRewind,
      undefined,
    );
    checkBuilder(
      fc.record(
        { load: anyBool, immed: anyBool, hold: anyBool, eot: anyBool, reten: anyBool, control: anyNumber },
        {
          requiredKeys: ['load'],
        },
      ),
      buildLoadUnload,
      LoadUnloadParamsSchema,
    );
    checkBuilder(
      fc.record({ long: anyBool, immed: anyBool }, { requiredKeys: [] }),
      buildErase6,
      Erase6ParamsSchema,
    );
    checkBuilder(
      fc.record(
        { form: anyName(['short', 'long', 'extended']), allocationLength: anyNumber },
        { requiredKeys: [] },
      ),
      buildReadPosition,
      ReadPositionParamsSchema,
    );
    checkBuilder(
      fc.record(
        { blockAddress: anyNumber, partition: anyNumber, bt: anyBool, immed: anyBool },
        {
          requiredKeys: ['blockAddress'],
        },
      ),
      buildLocate10,
      Locate10ParamsSchema,
    );
    checkBuilder(
      fc.record(
        {
          logicalIdentifier: anyBig,
          destType: anyName(['object', 'file', 'endOfData']),
          partition: anyNumber,
        },
        {
          requiredKeys: ['logicalIdentifier'],
        },
      ),
      buildLocate16,
      Locate16ParamsSchema,
    );
    const codes = ['blocks', 'filemarks', 'sequentialFilemarks', 'endOfData'];
    checkBuilder(
      fc.record({ code: anyName(codes), count: anyNumber }, { requiredKeys: [] }),
      buildSpace6,
      Space6ParamsSchema,
    );
    checkBuilder(
      fc.record({ code: anyName(codes), count: anyBig }, { requiredKeys: [] }),
      buildSpace16,
      Space16ParamsSchema,
    );
    checkBuilder(
      fc.record({ count: anyNumber, immed: anyBool }, { requiredKeys: [] }),
      buildWriteFilemarks6,
      WriteFilemarks6ParamsSchema,
    );
    checkBuilder(
      fc.record(
        { count: anyNumber, partition: anyNumber, logicalObjectIdentifier: anyBig },
        { requiredKeys: [] },
      ),
      buildWriteFilemarks16,
      WriteFilemarks16ParamsSchema,
    );
    checkBuilder(
      fc.record(
        { fixed: anyBool, length: anyNumber, blockLength: anyNumber, sili: anyBool },
        { requiredKeys: ['fixed', 'length'] },
      ),
      buildTapeRead6,
      TapeReadParamsSchema,
    );
    checkBuilder(
      fc.record(
        { fixed: anyBool, length: anyNumber, blockLength: anyNumber },
        { requiredKeys: ['fixed', 'length'] },
      ),
      buildTapeWrite6,
      TapeWriteParamsSchema,
    );
    checkBuilder(
      fc.record({ media: anyBool, mediumType: anyBool, allocationLength: anyNumber }, { requiredKeys: [] }),
      buildReportDensitySupport,
      ReportDensitySupportParamsSchema,
    );
  });
});

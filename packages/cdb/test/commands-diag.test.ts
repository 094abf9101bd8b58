import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildActivateDeferredMicrocode,
  buildDiagnosticPage,
  buildReadBuffer10,
  buildReadBuffer16,
  buildReceiveDiagnosticResults,
  buildSendDiagnostic,
  buildWriteBuffer,
  DiagnosticPageParamsSchema,
  planMicrocodeDownload,
  READ_BUFFER_MODE,
  ReadBuffer10ParamsSchema,
  ReadBuffer16ParamsSchema,
  ReceiveDiagnosticResultsParamsSchema,
  SELF_TEST_CODE,
  SendDiagnosticParamsSchema,
  WRITE_BUFFER_ACTIVATION,
  WRITE_BUFFER_MODE,
  WriteBufferParamsSchema,
} from '../src/commands/diagnostic-buffer.js';
import { CdbBuildError, hex } from '../src/index.js';
import { checkBuilder, expectSpec, h } from './helpers.js';

describe('SEND DIAGNOSTIC (SPC-6)', () => {
  it('default self-test: SELFTEST bit, no data', () => {
    expectSpec(buildSendDiagnostic({ selfTest: true }), '1d 04 00 00 00 00', 'none', 0);
    expectSpec(
      buildSendDiagnostic({ selfTest: true, devOffl: true, unitOffl: true }),
      '1d 07 00 00 00 00',
      'none',
      0,
    );
  });
  it('SELF-TEST CODE in byte 1 bits 7-5', () => {
    expectSpec(buildSendDiagnostic({ selfTestCode: 'backgroundShort' }), '1d 20 00 00 00 00', 'none', 0);
    expectSpec(buildSendDiagnostic({ selfTestCode: 'backgroundExtended' }), '1d 40 00 00 00 00', 'none', 0);
    expectSpec(buildSendDiagnostic({ selfTestCode: 'abortBackground' }), '1d 80 00 00 00 00', 'none', 0);
    expectSpec(buildSendDiagnostic({ selfTestCode: 'foregroundExtended' }), '1d c0 00 00 00 00', 'none', 0);
    expectSpec(buildSendDiagnostic({ selfTestCode: 7 }), '1d e0 00 00 00 00', 'none', 0);
  });
  it('sends diagnostic pages with PF', () => {
    expectSpec(
      buildSendDiagnostic({ pf: true, parameterListLength: 0x10 }),
      '1d 10 00 00 10 00',
      'out',
      0x10,
    );
  });
  it('refuses SELFTEST with a self-test code, and out-of-range values', () => {
    expect(() => buildSendDiagnostic({ selfTest: true, selfTestCode: 'foregroundShort' })).toThrowError(
      /selfTestCode/,
    );
    expect(() => buildSendDiagnostic({ selfTestCode: 8 })).toThrowError(/selfTestCode/);
    expect(() => buildSendDiagnostic({ parameterListLength: 0x10000 })).toThrowError(/parameterListLength/);
  });
  it('builds a diagnostic page', () => {
    const page = buildDiagnosticPage({
      pageCode: 0x02,
      pageSpecific: 0x01,
      data: new Uint8Array([0xaa, 0xbb]),
    });
    expect(hex(page)).toBe(h('02 01 0002 aa bb'));
    expect(hex(buildDiagnosticPage({ pageCode: 0x00 }))).toBe('00000000');
    expect(() => buildDiagnosticPage({ pageCode: 0x100 })).toThrowError(/pageCode/);
  });
});

describe('RECEIVE DIAGNOSTIC RESULTS (SPC-6)', () => {
  it('defaults to the last SEND DIAGNOSTIC results, 4096 bytes', () => {
    expectSpec(buildReceiveDiagnosticResults(), '1c 00 00 10 00 00', 'in', 4096);
  });
  it('PCV and a page code', () => {
    expectSpec(
      buildReceiveDiagnosticResults({ pcv: true, pageCode: 0x02, allocationLength: 0xffff }),
      '1c 01 02 ff ff 00',
      'in',
      0xffff,
    );
  });
  it('refuses a page code without PCV', () => {
    expect(() => buildReceiveDiagnosticResults({ pageCode: 0x02 })).toThrowError(/pcv/);
  });
});

describe('READ BUFFER(10) (SPC-6)', () => {
  it('descriptor mode', () => {
    expectSpec(
      buildReadBuffer10({ mode: 'descriptor', allocationLength: 4 }),
      '3c 03 00 00 00 00 00 00 04 00',
      'in',
      4,
    );
  });
  it('error history with mode specific, buffer id, 24-bit offset and length', () => {
    expectSpec(
      buildReadBuffer10({
        mode: 'errorHistory',
        modeSpecific: 1,
        bufferId: 0x10,
        bufferOffset: 0x123456,
        allocationLength: 0x10000,
      }),
      '3c 3c 10 12 34 56 01 00 00 00',
      'in',
      0x10000,
    );
  });
  it('range-checks 24-bit fields', () => {
    expect(() => buildReadBuffer10({ mode: 2, bufferOffset: 0x1000000, allocationLength: 1 })).toThrowError(
      /bufferOffset/,
    );
    expect(() => buildReadBuffer10({ mode: 2, allocationLength: 0x1000000 })).toThrowError(
      /allocationLength/,
    );
    expect(() => buildReadBuffer10({ mode: 0x20, allocationLength: 1 })).toThrowError(/mode/);
  });
});

describe('READ BUFFER(16) (SPC-6)', () => {
  it('64-bit offset in bytes 2-9, length in 10-13, buffer id in 14', () => {
    expectSpec(
      buildReadBuffer16({
        mode: 'data',
        bufferOffset: 0x0102030405060708n,
        allocationLength: 0x01020304,
        bufferId: 7,
      }),
      '9b 02 01 02 03 04 05 06 07 08 01 02 03 04 07 00',
      'in',
      0x01020304,
    );
    expect(() => buildReadBuffer16({ mode: 2, bufferOffset: 1n << 64n, allocationLength: 1 })).toThrowError(
      /bufferOffset/,
    );
  });
});

describe('WRITE BUFFER (SPC-6)', () => {
  it('download with offsets, save and defer activate', () => {
    expectSpec(
      buildWriteBuffer({ mode: 'downloadOffsetsDefer', bufferOffset: 0x010000, parameterListLength: 0x8000 }),
      '3b 0e 00 01 00 00 00 80 00 00',
      'out',
      0x8000,
    );
  });
  it('activate deferred microcode moves no data', () => {
    expectSpec(buildActivateDeferredMicrocode(), '3b 0f 00 00 00 00 00 00 00 00', 'none', 0);
    expectSpec(buildActivateDeferredMicrocode({ bufferId: 2 }), '3b 0f 02 00 00 00 00 00 00 00', 'none', 0);
  });
  it('mode 0Dh with activation events in the mode specific bits', () => {
    expectSpec(
      buildWriteBuffer({
        mode: 'downloadOffsetsSelectActivation',
        modeSpecific: WRITE_BUFFER_ACTIVATION.poAct | WRITE_BUFFER_ACTIVATION.hrAct,
        bufferId: 1,
        parameterListLength: 0x200,
      }),
      '3b cd 01 00 00 00 00 02 00 00',
      'out',
      0x200,
    );
  });
  it('echo buffer', () => {
    expectSpec(
      buildWriteBuffer({ mode: 'echo', parameterListLength: 4 }),
      '3b 0a 00 00 00 00 00 00 04 00',
      'out',
      4,
    );
  });
  it('range-checks', () => {
    expect(() => buildWriteBuffer({ mode: 'data', parameterListLength: 0x1000000 })).toThrowError(
      /parameterListLength/,
    );
    expect(() => buildWriteBuffer({ mode: 'data', modeSpecific: 8 })).toThrowError(/modeSpecific/);
  });
});

describe('planMicrocodeDownload', () => {
  it('splits an image into ascending mode 0Eh chunks', () => {
    const plan = planMicrocodeDownload(10000, 4096);
    expect(plan.map((c) => [c.offset, c.length])).toEqual([
      [0, 4096],
      [4096, 4096],
      [8192, 1808],
    ]);
    expect(plan.map((c) => hex(c.spec.cdb))).toEqual([
      h('3b 0e 00 000000 001000 00'),
      h('3b 0e 00 001000 001000 00'),
      h('3b 0e 00 002000 000710 00'),
    ]);
    expect(plan.every((c) => c.spec.direction === 'out' && c.spec.transferLength === c.length)).toBe(true);
  });
  it('passes buffer id and mode specific bits through', () => {
    const plan = planMicrocodeDownload(512, 512, 'downloadOffsetsSelectActivation', {
      bufferId: 3,
      modeSpecific: 4,
    });
    expect(hex(plan[0]?.spec.cdb ?? new Uint8Array())).toBe(h('3b 8d 03 000000 000200 00'));
  });
  it('modes without offsets need the whole image in one command', () => {
    const plan = planMicrocodeDownload(1000, 4096, 'downloadSave');
    expect(plan).toHaveLength(1);
    expect(hex(plan[0]?.spec.cdb ?? new Uint8Array())).toBe(h('3b 05 00 000000 0003e8 00'));
    expect(() => planMicrocodeDownload(10000, 4096, 'download')).toThrowError(/one command/);
  });
  it('honours the offset boundary and buffer capacity from READ BUFFER descriptor mode', () => {
    expect(planMicrocodeDownload(8192, 4096, 0x0e, { offsetBoundary: 9 })).toHaveLength(2);
    expect(() => planMicrocodeDownload(8192, 1000, 0x0e, { offsetBoundary: 9 })).toThrowError(
      /offset boundary/,
    );
    expect(() => planMicrocodeDownload(8192, 4096, 0x0e, { offsetBoundary: 0xff })).toThrowError(
      /one command/,
    );
    expect(planMicrocodeDownload(4096, 4096, 0x0e, { offsetBoundary: 0xff })).toHaveLength(1);
    expect(() => planMicrocodeDownload(8192, 4096, 0x0e, { bufferCapacity: 2048 })).toThrowError(/capacity/);
  });
  it('refuses non-download modes, empty images and offsets past 24 bits', () => {
    expect(() => planMicrocodeDownload(100, 10, 'data' as 'download')).toThrowError(
      /not a microcode download mode/,
    );
    expect(() => planMicrocodeDownload(0, 10)).toThrowError(/imageLength/);
    expect(() => planMicrocodeDownload(100, 0)).toThrowError(/chunkSize/);
    expect(() => planMicrocodeDownload(100, 0x1000000)).toThrowError(/chunkSize/);
    expect(() => planMicrocodeDownload(0x2000000, 0xffffff)).toThrowError(/24 bits/);
    expect(planMicrocodeDownload(0x1000000, 0x800000)).toHaveLength(2);
  });
});

// ---------------------------------------------------------------------------------------------

const anyNumber = fc.oneof(
  fc.integer({ min: -2, max: 300 }),
  fc.integer({ min: 0, max: 0x1_0000_0002 }),
  fc.constantFrom(-1, 0.5, Number.NaN, 0xffff, 0x10000, 0xffffff, 0x1000000, 0xffffffff, 2 ** 32),
);
const anyBool = fc.oneof(fc.boolean(), fc.constantFrom(1 as unknown as boolean, 'yes' as unknown as boolean));
const anyName = (names: readonly string[]) =>
  fc.oneof(fc.constantFrom(...names), anyNumber, fc.constant('nope'));

describe('builder properties: build or CdbBuildError, and the schema agrees', () => {
  it('SEND DIAGNOSTIC / RECEIVE DIAGNOSTIC RESULTS / diagnostic page', () => {
    checkBuilder(
      fc.record(
        {
          selfTestCode: anyName(Object.keys(SELF_TEST_CODE)),
          pf: anyBool,
          selfTest: anyBool,
          devOffl: anyBool,
          unitOffl: anyBool,
          parameterListLength: anyNumber,
        },
        { requiredKeys: [] },
      ),
      buildSendDiagnostic,
      SendDiagnosticParamsSchema,
    );
    checkBuilder(
      fc.record({ pcv: anyBool, pageCode: anyNumber, allocationLength: anyNumber }, { requiredKeys: [] }),
      buildReceiveDiagnosticResults,
      ReceiveDiagnosticResultsParamsSchema,
    );
    checkBuilder(
      fc.record(
        { pageCode: anyNumber, pageSpecific: anyNumber, data: fc.uint8Array({ maxLength: 8 }) },
        { requiredKeys: [] },
      ),
      buildDiagnosticPage,
      DiagnosticPageParamsSchema,
    );
  });
  it('READ BUFFER(10)/(16) / WRITE BUFFER', () => {
    const common = {
      mode: anyName(Object.keys(READ_BUFFER_MODE)),
      modeSpecific: anyNumber,
      bufferId: anyNumber,
      allocationLength: anyNumber,
    };
    checkBuilder(
      fc.record({ ...common, bufferOffset: anyNumber }, { requiredKeys: [] }),
      buildReadBuffer10,
      ReadBuffer10ParamsSchema,
    );
    checkBuilder(
      fc.record({ ...common, bufferOffset: fc.bigInt({ min: -1n, max: 1n << 64n }) }, { requiredKeys: [] }),
      buildReadBuffer16,
      ReadBuffer16ParamsSchema,
    );
    checkBuilder(
      fc.record(
        {
          mode: anyName(Object.keys(WRITE_BUFFER_MODE)),
          modeSpecific: anyNumber,
          bufferId: anyNumber,
          bufferOffset: anyNumber,
          parameterListLength: anyNumber,
        },
        { requiredKeys: [] },
      ),
      buildWriteBuffer,
      WriteBufferParamsSchema,
    );
  });
  it('planMicrocodeDownload: chunks tile the image exactly, or CdbBuildError', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -1, max: 200_000 }), fc.constantFrom(0.5, 0x2000000)),
        fc.oneof(fc.integer({ min: 256, max: 0x1000001 }), fc.constantFrom(0, -1, 0.5)),
        anyName(['download', 'downloadSave', 'downloadOffsets', 'downloadOffsetsDefer', 'data']),
        fc.record(
          {
            offsetBoundary: fc.integer({ min: 0, max: 0x100 }),
            bufferCapacity: anyNumber,
            bufferId: anyNumber,
          },
          { requiredKeys: [] },
        ),
        (imageLength, chunkSize, mode, options) => {
          let plan: ReturnType<typeof planMicrocodeDownload>;
          try {
            plan = planMicrocodeDownload(imageLength, chunkSize, mode as 'download', options);
          } catch (e) {
            expect(e).toBeInstanceOf(CdbBuildError);
            return;
          }
          let next = 0;
          for (const chunk of plan) {
            expect(chunk.offset).toBe(next);
            expect(chunk.length).toBeGreaterThan(0);
            expect(chunk.length).toBeLessThanOrEqual(chunkSize);
            expect(chunk.spec.transferLength).toBe(chunk.length);
            next += chunk.length;
          }
          expect(next).toBe(imageLength);
        },
      ),
      { numRuns: 300 },
    );
  });
});

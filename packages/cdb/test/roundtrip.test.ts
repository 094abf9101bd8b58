/**
 * Builders and `decodeCdb` checked against each other: random valid parameters → `build…` →
 * `decodeCdb(spec.cdb)` must give back the opcode / service action, a T10 name consistent with
 * `spec.name`, the LBA and the length fields; random out-of-range parameters → CdbBuildError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildInquiry,
  buildLogSense,
  buildModeSense6,
  buildModeSense10,
  buildPersistentReserveIn,
  buildPersistentReserveOut,
  buildPreFetch10,
  buildPreFetch16,
  buildRead6,
  buildRead10,
  buildRead12,
  buildRead16,
  buildRead32,
  buildReadCapacity10,
  buildReadCapacity16,
  buildReportLuns,
  buildReportZones,
  buildSynchronizeCache10,
  buildSynchronizeCache16,
  buildUnmap,
  buildVerify10,
  buildVerify12,
  buildVerify16,
  buildVerify32,
  buildWrite6,
  buildWrite10,
  buildWrite12,
  buildWrite16,
  buildWrite32,
  buildWriteAndVerify10,
  buildWriteAndVerify12,
  buildWriteAndVerify16,
  buildWriteAndVerify32,
  buildWriteSame10,
  buildWriteSame16,
  buildWriteSame32,
  CdbBuildError,
  type CdbSpec,
  type DecodedCdb,
  decodeCdb,
  opcodeName,
  PR_IN_SERVICE_ACTION,
  PR_OUT_SERVICE_ACTION,
  PR_TYPE,
} from '../src/index.js';

const RUNS = { numRuns: 200 };

/**
 * `spec.name` is the command as T10 names it ("PERSISTENT RESERVE IN"); `decodeCdb` may add the
 * service action in parentheses ("PERSISTENT RESERVE IN (READ KEYS)"), as `opcodeName` does.
 */
function expectSameCommand(spec: CdbSpec, d: DecodedCdb, opcode: number, serviceAction?: number): void {
  expect(d.opcode).toBe(opcode);
  expect(d.serviceAction).toBe(serviceAction);
  expect(d.length).toBe(spec.cdb.length);
  expect(d.name).toBe(opcodeName(opcode, serviceAction));
  expect(d.name === spec.name || d.name.startsWith(`${spec.name} (`), `${spec.name} vs ${d.name}`).toBe(true);
}

/** Every arbitrary value of `arb` makes `build` throw CdbBuildError (never another error, never build). */
function expectRejects<T>(arb: fc.Arbitrary<T>, build: (p: T) => unknown): void {
  fc.assert(
    fc.property(arb, (p) => {
      expect(() => build(p)).toThrow(CdbBuildError);
    }),
    RUNS,
  );
}

const u = (bits: number) => fc.integer({ min: 0, max: 2 ** bits - 1 });
const ubig = (bits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });
/** Just past an unsigned field of `bits` bits, or negative, or not an integer. */
const badUint = (bits: number) =>
  fc.oneof(
    fc.integer({ min: 2 ** bits, max: 2 ** bits + 1_000_000 }),
    fc.integer({ min: -1_000_000, max: -1 }),
    fc
      .double({ min: 0.001, max: 2 ** Math.min(bits, 52) - 1, noNaN: true })
      .filter((x) => !Number.isInteger(x)),
  );
const badBig = (bits: number) =>
  fc.oneof(
    fc.bigInt({ min: 1n << BigInt(bits), max: (1n << BigInt(bits)) + (1n << 40n) }),
    fc.bigInt({ min: -(1n << 40n), max: -1n }),
  );

// ---------------------------------------------------------------------------------------------
// READ / WRITE / VERIFY / WRITE AND VERIFY

type RwBuild = (p: { lba: bigint | number; blocks: number; blockLength?: number }) => CdbSpec;
interface RwCase {
  readonly name: string;
  readonly build: RwBuild;
  readonly opcode: number;
  readonly serviceAction?: number;
  readonly lbaBits: number;
  readonly lenBits: number;
  /** 'data': blocks of data move; 'none': VERIFY with BYTCHK 0 moves nothing. */
  readonly moves: 'in' | 'out' | 'none';
  readonly lengthField: 'transferLength' | 'verificationLength';
}

const RW: readonly RwCase[] = [
  {
    name: 'READ(6)',
    build: buildRead6,
    opcode: 0x08,
    lbaBits: 21,
    lenBits: 8,
    moves: 'in',
    lengthField: 'transferLength',
  },
  {
    name: 'READ(10)',
    build: buildRead10,
    opcode: 0x28,
    lbaBits: 32,
    lenBits: 16,
    moves: 'in',
    lengthField: 'transferLength',
  },
  {
    name: 'READ(12)',
    build: buildRead12,
    opcode: 0xa8,
    lbaBits: 32,
    lenBits: 32,
    moves: 'in',
    lengthField: 'transferLength',
  },
  {
    name: 'READ(16)',
    build: buildRead16,
    opcode: 0x88,
    lbaBits: 64,
    lenBits: 32,
    moves: 'in',
    lengthField: 'transferLength',
  },
  {
    name: 'READ(32)',
    build: buildRead32,
    opcode: 0x7f,
    serviceAction: 0x09,
    lbaBits: 64,
    lenBits: 32,
    moves: 'in',
    lengthField: 'transferLength',
  },
  {
    name: 'WRITE(6)',
    build: buildWrite6,
    opcode: 0x0a,
    lbaBits: 21,
    lenBits: 8,
    moves: 'out',
    lengthField: 'transferLength',
  },
  {
    name: 'WRITE(10)',
    build: buildWrite10,
    opcode: 0x2a,
    lbaBits: 32,
    lenBits: 16,
    moves: 'out',
    lengthField: 'transferLength',
  },
  {
    name: 'WRITE(12)',
    build: buildWrite12,
    opcode: 0xaa,
    lbaBits: 32,
    lenBits: 32,
    moves: 'out',
    lengthField: 'transferLength',
  },
  {
    name: 'WRITE(16)',
    build: buildWrite16,
    opcode: 0x8a,
    lbaBits: 64,
    lenBits: 32,
    moves: 'out',
    lengthField: 'transferLength',
  },
  {
    name: 'WRITE(32)',
    build: buildWrite32,
    opcode: 0x7f,
    serviceAction: 0x0b,
    lbaBits: 64,
    lenBits: 32,
    moves: 'out',
    lengthField: 'transferLength',
  },
  {
    name: 'VERIFY(10)',
    build: buildVerify10,
    opcode: 0x2f,
    lbaBits: 32,
    lenBits: 16,
    moves: 'none',
    lengthField: 'verificationLength',
  },
  {
    name: 'VERIFY(12)',
    build: buildVerify12,
    opcode: 0xaf,
    lbaBits: 32,
    lenBits: 32,
    moves: 'none',
    lengthField: 'verificationLength',
  },
  {
    name: 'VERIFY(16)',
    build: buildVerify16,
    opcode: 0x8f,
    lbaBits: 64,
    lenBits: 32,
    moves: 'none',
    lengthField: 'verificationLength',
  },
  {
    name: 'VERIFY(32)',
    build: buildVerify32,
    opcode: 0x7f,
    serviceAction: 0x0a,
    lbaBits: 64,
    lenBits: 32,
    moves: 'none',
    lengthField: 'verificationLength',
  },
  {
    name: 'WRITE AND VERIFY(10)',
    build: buildWriteAndVerify10,
    opcode: 0x2e,
    lbaBits: 32,
    lenBits: 16,
    moves: 'out',
    lengthField: 'transferLength',
  },
  {
    name: 'WRITE AND VERIFY(12)',
    build: buildWriteAndVerify12,
    opcode: 0xae,
    lbaBits: 32,
    lenBits: 32,
    moves: 'out',
    lengthField: 'transferLength',
  },
  {
    name: 'WRITE AND VERIFY(16)',
    build: buildWriteAndVerify16,
    opcode: 0x8e,
    lbaBits: 64,
    lenBits: 32,
    moves: 'out',
    lengthField: 'transferLength',
  },
  {
    name: 'WRITE AND VERIFY(32)',
    build: buildWriteAndVerify32,
    opcode: 0x7f,
    serviceAction: 0x0c,
    lbaBits: 64,
    lenBits: 32,
    moves: 'out',
    lengthField: 'transferLength',
  },
];

describe('READ / WRITE / VERIFY / WRITE AND VERIFY round-trip through decodeCdb', () => {
  for (const c of RW) {
    /** READ(6)/WRITE(6): 1..256 blocks (256 goes on the wire as 0). */
    const blocks = c.lenBits === 8 ? fc.integer({ min: 1, max: 256 }) : u(c.lenBits);
    const lba = c.lbaBits > 32 ? ubig(c.lbaBits) : u(c.lbaBits);
    const blockLength = fc.constantFrom(512, 520, 4096, 4160);

    it(`${c.name}: valid params`, () => {
      fc.assert(
        fc.property(lba, blocks, blockLength, (l, n, bl) => {
          const spec = c.build({ lba: l, blocks: n, blockLength: bl });
          expect(spec.name).toBe(c.name);
          const d = decodeCdb(spec.cdb);
          expectSameCommand(spec, d, c.opcode, c.serviceAction);
          expect(d.fields.lba).toBe(BigInt(l));
          expect(d.fields[c.lengthField]).toBe(n);
          if (c.moves === 'none') {
            expect(spec.transferLength).toBe(0);
            expect(spec.direction).toBe('none');
          } else {
            expect(spec.transferLength).toBe(n * bl);
            expect(spec.direction).toBe(n === 0 ? 'none' : c.moves);
          }
        }),
        RUNS,
      );
    });

    it(`${c.name}: out-of-range LBA or length throws CdbBuildError`, () => {
      const badLba: fc.Arbitrary<bigint | number> = c.lbaBits > 32 ? badBig(c.lbaBits) : badUint(c.lbaBits);
      expectRejects(fc.tuple(badLba, blocks), ([l, n]) => c.build({ lba: l, blocks: n }));
      const badBlocks =
        c.lenBits === 8
          ? fc.oneof(fc.constant(0), fc.integer({ min: 257, max: 100_000 }))
          : badUint(c.lenBits);
      expectRejects(fc.tuple(lba, badBlocks), ([l, n]) => c.build({ lba: l, blocks: n }));
    });
  }
});

// ---------------------------------------------------------------------------------------------
// WRITE SAME, SYNCHRONIZE CACHE, PRE-FETCH

describe('WRITE SAME / SYNCHRONIZE CACHE / PRE-FETCH round-trip through decodeCdb', () => {
  const ws = [
    { name: 'WRITE SAME(10)', build: buildWriteSame10, opcode: 0x41, lbaBits: 32, lenBits: 16 },
    { name: 'WRITE SAME(16)', build: buildWriteSame16, opcode: 0x93, lbaBits: 64, lenBits: 32 },
    {
      name: 'WRITE SAME(32)',
      build: buildWriteSame32,
      opcode: 0x7f,
      serviceAction: 0x0d,
      lbaBits: 64,
      lenBits: 32,
    },
  ] as const;
  for (const c of ws) {
    const lba = c.lbaBits > 32 ? ubig(c.lbaBits) : u(c.lbaBits);
    it(`${c.name}: valid params`, () => {
      fc.assert(
        fc.property(lba, u(c.lenBits), fc.boolean(), (l, n, unmap) => {
          const spec = c.build({ lba: l, blocks: n, unmap });
          expect(spec.name).toBe(c.name);
          const d = decodeCdb(spec.cdb);
          expectSameCommand(spec, d, c.opcode, 'serviceAction' in c ? c.serviceAction : undefined);
          expect(d.fields.lba).toBe(BigInt(l));
          expect(d.fields.numberOfLogicalBlocks).toBe(n);
          expect(d.fields.unmap).toBe(unmap);
          // One block of data-out (the pattern), whatever the range.
          expect(spec.transferLength).toBe(512);
        }),
        RUNS,
      );
    });
    it(`${c.name}: out-of-range params throw CdbBuildError`, () => {
      const badLba: fc.Arbitrary<bigint | number> = c.lbaBits > 32 ? badBig(c.lbaBits) : badUint(c.lbaBits);
      expectRejects(badLba, (l) => c.build({ lba: l, blocks: 1 }));
      expectRejects(badUint(c.lenBits), (n) => c.build({ lba: 0, blocks: n }));
    });
  }

  const cache = [
    { name: 'SYNCHRONIZE CACHE(10)', build: buildSynchronizeCache10, opcode: 0x35, lbaBits: 32, lenBits: 16 },
    { name: 'SYNCHRONIZE CACHE(16)', build: buildSynchronizeCache16, opcode: 0x91, lbaBits: 64, lenBits: 32 },
    { name: 'PRE-FETCH(10)', build: buildPreFetch10, opcode: 0x34, lbaBits: 32, lenBits: 16 },
    { name: 'PRE-FETCH(16)', build: buildPreFetch16, opcode: 0x90, lbaBits: 64, lenBits: 32 },
  ] as const;
  for (const c of cache) {
    const lba = c.lbaBits > 32 ? ubig(c.lbaBits) : u(c.lbaBits);
    it(`${c.name}: valid params`, () => {
      fc.assert(
        fc.property(lba, u(c.lenBits), fc.boolean(), (l, n, immed) => {
          const spec = c.build({ lba: l, blocks: n, immed });
          expect(spec.name).toBe(c.name);
          expect(spec.direction).toBe('none');
          const d = decodeCdb(spec.cdb);
          expectSameCommand(spec, d, c.opcode);
          expect(d.fields.lba).toBe(BigInt(l));
          expect(d.fields.numberOfLogicalBlocks).toBe(n);
          expect(d.fields.immed).toBe(immed);
        }),
        RUNS,
      );
    });
    it(`${c.name}: out-of-range params throw CdbBuildError`, () => {
      const badLba: fc.Arbitrary<bigint | number> = c.lbaBits > 32 ? badBig(c.lbaBits) : badUint(c.lbaBits);
      expectRejects(badLba, (l) => c.build({ lba: l }));
      expectRejects(badUint(c.lenBits), (n) => c.build({ blocks: n }));
    });
  }
});

// ---------------------------------------------------------------------------------------------
// SPC data-in commands

describe('INQUIRY / MODE SENSE / LOG SENSE / REPORT LUNS round-trip through decodeCdb', () => {
  it('INQUIRY: valid params', () => {
    const params = fc.oneof(
      fc.record({ evpd: fc.constant(false), allocationLength: u(16) }),
      fc.record({ evpd: fc.constant(true), pageCode: u(8), allocationLength: u(16) }),
    );
    fc.assert(
      fc.property(params, (p) => {
        const spec = buildInquiry(p);
        const d = decodeCdb(spec.cdb);
        expectSameCommand(spec, d, 0x12);
        expect(d.fields.evpd).toBe(p.evpd);
        expect(d.fields.pageCode).toBe('pageCode' in p ? p.pageCode : 0);
        expect(d.fields.allocationLength).toBe(p.allocationLength);
        expect(spec.transferLength).toBe(p.allocationLength);
      }),
      RUNS,
    );
  });
  it('INQUIRY: out-of-range params throw CdbBuildError', () => {
    expectRejects(badUint(16), (a) => buildInquiry({ allocationLength: a }));
    expectRejects(badUint(8), (pc) => buildInquiry({ evpd: true, pageCode: pc }));
    expectRejects(fc.integer({ min: 1, max: 255 }), (pc) => buildInquiry({ evpd: false, pageCode: pc }));
  });

  const pageControl = fc.constantFrom('current', 'changeable', 'default', 'saved' as const);
  const PC = { current: 0, changeable: 1, default: 2, saved: 3 } as const;
  for (const [name, build, opcode, allocBits] of [
    ['MODE SENSE(6)', buildModeSense6, 0x1a, 8],
    ['MODE SENSE(10)', buildModeSense10, 0x5a, 16],
  ] as const) {
    it(`${name}: valid params`, () => {
      fc.assert(
        fc.property(
          u(6),
          u(8),
          pageControl,
          fc.boolean(),
          u(allocBits),
          (pageCode, subpageCode, pc, dbd, a) => {
            const spec = build({ pageCode, subpageCode, pageControl: pc, dbd, allocationLength: a });
            expect(spec.name).toBe(name);
            const d = decodeCdb(spec.cdb);
            expectSameCommand(spec, d, opcode);
            expect(d.fields).toMatchObject({ pageCode, subpageCode, pc: PC[pc], dbd, allocationLength: a });
            expect(spec.transferLength).toBe(a);
          },
        ),
        RUNS,
      );
    });
    it(`${name}: out-of-range params throw CdbBuildError`, () => {
      expectRejects(badUint(6), (pageCode) => build({ pageCode }));
      expectRejects(badUint(8), (subpageCode) => build({ pageCode: 0, subpageCode }));
      expectRejects(badUint(allocBits), (allocationLength) => build({ pageCode: 0, allocationLength }));
    });
  }

  it('LOG SENSE: valid params', () => {
    const LPC = { threshold: 0, cumulative: 1, defaultThreshold: 2, defaultCumulative: 3 } as const;
    const lpc = fc.constantFrom('threshold', 'cumulative', 'defaultThreshold', 'defaultCumulative' as const);
    fc.assert(
      fc.property(u(6), u(8), lpc, u(16), u(16), (pageCode, subpageCode, pc, pointer, a) => {
        const spec = buildLogSense({
          pageCode,
          subpageCode,
          pageControl: pc,
          parameterPointer: pointer,
          allocationLength: a,
        });
        const d = decodeCdb(spec.cdb);
        expectSameCommand(spec, d, 0x4d);
        expect(d.fields).toMatchObject({
          pageCode,
          subpageCode,
          pc: LPC[pc],
          parameterPointer: pointer,
          allocationLength: a,
        });
        expect(spec.transferLength).toBe(a);
      }),
      RUNS,
    );
  });
  it('LOG SENSE: out-of-range params throw CdbBuildError', () => {
    expectRejects(badUint(6), (pageCode) => buildLogSense({ pageCode }));
    expectRejects(badUint(16), (allocationLength) => buildLogSense({ pageCode: 0, allocationLength }));
    expectRejects(badUint(16), (parameterPointer) => buildLogSense({ pageCode: 0, parameterPointer }));
  });

  it('REPORT LUNS: valid params', () => {
    const select = fc.constantFrom(0, 1, 2, 0x10, 0x11, 0x12 as const);
    fc.assert(
      fc.property(select, fc.integer({ min: 16, max: 2 ** 32 - 1 }), (selectReport, a) => {
        const spec = buildReportLuns({ selectReport, allocationLength: a });
        const d = decodeCdb(spec.cdb);
        expectSameCommand(spec, d, 0xa0);
        expect(d.fields).toMatchObject({ selectReport, allocationLength: a });
        expect(spec.transferLength).toBe(a);
      }),
      RUNS,
    );
  });
  it('REPORT LUNS: out-of-range params throw CdbBuildError', () => {
    // SPC: the allocation length must be at least 16.
    expectRejects(fc.oneof(badUint(32), fc.integer({ min: 0, max: 15 })), (allocationLength) =>
      buildReportLuns({ allocationLength }),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// READ CAPACITY, PR IN/OUT, REPORT ZONES, UNMAP

describe('READ CAPACITY / PR IN / PR OUT / REPORT ZONES / UNMAP round-trip through decodeCdb', () => {
  it('READ CAPACITY(10): valid params', () => {
    fc.assert(
      fc.property(u(32), fc.boolean(), (lba, pmi) => {
        const spec = buildReadCapacity10({ lba, pmi });
        const d = decodeCdb(spec.cdb);
        expectSameCommand(spec, d, 0x25);
        expect(d.fields).toMatchObject({ lba: BigInt(lba), pmi });
        expect(spec.transferLength).toBe(8);
      }),
      RUNS,
    );
    expectRejects(badUint(32), (lba) => buildReadCapacity10({ lba }));
  });

  it('READ CAPACITY(16): valid params', () => {
    fc.assert(
      fc.property(ubig(64), u(32), fc.boolean(), (lba, a, pmi) => {
        const spec = buildReadCapacity16({ lba, allocationLength: a, pmi });
        const d = decodeCdb(spec.cdb);
        expectSameCommand(spec, d, 0x9e, 0x10);
        expect(d.fields).toMatchObject({ lba, allocationLength: a, pmi });
        expect(spec.transferLength).toBe(a);
      }),
      RUNS,
    );
    expectRejects(badBig(64), (lba) => buildReadCapacity16({ lba }));
    expectRejects(badUint(32), (allocationLength) => buildReadCapacity16({ allocationLength }));
  });

  it('PERSISTENT RESERVE IN: valid params', () => {
    const sa = fc.constantFrom(
      ...(Object.keys(PR_IN_SERVICE_ACTION) as (keyof typeof PR_IN_SERVICE_ACTION)[]),
    );
    fc.assert(
      fc.property(sa, u(16), (serviceAction, a) => {
        const spec = buildPersistentReserveIn({ serviceAction, allocationLength: a });
        const d = decodeCdb(spec.cdb);
        expectSameCommand(spec, d, 0x5e, PR_IN_SERVICE_ACTION[serviceAction]);
        expect(d.fields.allocationLength).toBe(a);
        expect(spec.transferLength).toBe(a);
      }),
      RUNS,
    );
    expectRejects(badUint(16), (allocationLength) =>
      buildPersistentReserveIn({ serviceAction: 'readKeys', allocationLength }),
    );
    expectRejects(badUint(5), (serviceAction) => buildPersistentReserveIn({ serviceAction }));
  });

  it('PERSISTENT RESERVE OUT: valid params', () => {
    const sa = fc.constantFrom(
      ...(Object.keys(PR_OUT_SERVICE_ACTION) as (keyof typeof PR_OUT_SERVICE_ACTION)[]),
    );
    const type = fc.constantFrom(...(Object.keys(PR_TYPE) as (keyof typeof PR_TYPE)[]));
    fc.assert(
      fc.property(sa, type, u(32), (serviceAction, t, len) => {
        const spec = buildPersistentReserveOut({ serviceAction, type: t, parameterListLength: len });
        const d = decodeCdb(spec.cdb);
        expectSameCommand(spec, d, 0x5f, PR_OUT_SERVICE_ACTION[serviceAction]);
        expect(d.fields).toMatchObject({ type: PR_TYPE[t], scope: 0, parameterListLength: len });
        expect(spec.transferLength).toBe(len);
      }),
      RUNS,
    );
    expectRejects(badUint(32), (parameterListLength) =>
      buildPersistentReserveOut({ serviceAction: 'register', parameterListLength }),
    );
    expectRejects(badUint(4), (scope) =>
      buildPersistentReserveOut({ serviceAction: 'register', scope, parameterListLength: 24 }),
    );
  });

  it('REPORT ZONES: valid params', () => {
    fc.assert(
      fc.property(ubig(64), u(32), u(6), fc.boolean(), (lba, a, options, partial) => {
        const spec = buildReportZones({
          zoneStartLba: lba,
          allocationLength: a,
          reportingOptions: options,
          partial,
        });
        const d = decodeCdb(spec.cdb);
        expectSameCommand(spec, d, 0x95, 0x00);
        expect(d.fields).toMatchObject({ lba, allocationLength: a, reportingOptions: options, partial });
        expect(spec.transferLength).toBe(a);
      }),
      RUNS,
    );
    expectRejects(badBig(64), (zoneStartLba) => buildReportZones({ zoneStartLba }));
    expectRejects(badUint(32), (allocationLength) => buildReportZones({ allocationLength }));
    expectRejects(badUint(6), (reportingOptions) => buildReportZones({ reportingOptions }));
  });

  it('UNMAP: valid params', () => {
    // 0, or the 8-byte header plus 16-byte block descriptors (SBC-4 UNMAP parameter list).
    const len = fc.oneof(
      fc.constant(0),
      fc.integer({ min: 0, max: 4095 }).map((n) => 8 + 16 * n),
    );
    fc.assert(
      fc.property(len, fc.boolean(), u(6), (parameterListLength, anchor, group) => {
        const spec = buildUnmap({ parameterListLength, anchor, group });
        const d = decodeCdb(spec.cdb);
        expectSameCommand(spec, d, 0x42);
        expect(d.fields).toMatchObject({ parameterListLength, anchor, groupNumber: group });
        expect(spec.transferLength).toBe(parameterListLength);
      }),
      RUNS,
    );
    expectRejects(badUint(16), (parameterListLength) => buildUnmap({ parameterListLength }));
    expectRejects(
      fc.integer({ min: 1, max: 0xffff }).filter((n) => n < 8 || (n - 8) % 16 !== 0),
      (parameterListLength) => buildUnmap({ parameterListLength }),
    );
  });
});

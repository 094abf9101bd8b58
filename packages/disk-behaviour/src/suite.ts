/**
 * `describeDiskBehaviour`: what an SBC disk must answer to each command (SPC-5 / SBC-4), written
 * once and run against the emulated disk on the host and scsi_debug, QEMU scsi-hd and LIO in the
 * lab. CDBs come from `@scsikit/cdb`'s builders and go through the bare `Transport`, so nothing
 * between the suite and the device retries or reinterprets an answer.
 *
 * Each case has a main probe (and sometimes named steps). Where the deviations table records an
 * answer for the target, the probe asserts exactly that answer and the case ends there — a wrong
 * entry fails, so the table stays verified. Otherwise the probe must give the standard answer.
 */
import {
  buildCompareAndWrite,
  buildGetLbaStatus,
  buildInquiry,
  buildLogSense,
  buildModeSelect10,
  buildModeSelectData,
  buildModeSense6,
  buildModeSense10,
  buildPersistentReserveIn,
  buildPrRegister,
  buildPrRelease,
  buildPrReserve,
  buildRead,
  buildReadCapacity10,
  buildReadCapacity16,
  buildReportLuns,
  buildReportSupportedOperationCodes,
  buildRequestSense,
  buildStartStopUnit,
  buildSynchronizeCache10,
  buildSynchronizeCache16,
  buildTestUnitReady,
  buildUnmap,
  buildUnmapData,
  buildVerify10,
  buildWrite,
  buildWriteSame10,
  buildWriteSame16,
  type CdbSpec,
  decodeGetLbaStatus,
  decodeModeSense6,
  decodeModeSense10,
  decodePrReadKeys,
  decodeReadCapacity10,
  decodeReadCapacity16,
  decodeReportLuns,
  decodeSense,
  decodeStandardInquiry,
  decodeSupportedLogPages,
  decodeSupportedOpcodeOne,
  decodeSupportedOpcodesAll,
  decodeVpdPage,
  type ModeParameters,
} from '@scsikit/cdb';
import type { ScsiResult, Transport } from '@scsikit/transport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Answer, CHECK_CONDITION, GOOD, mismatches, observe, RESERVATION_CONFLICT } from './answers.js';
import { CASES, type CaseId } from './catalog.js';
import { DEVIATIONS, type DeviationsTable, deviationFor, type TargetKind } from './deviations.js';

/** What is known about the disk under test. Facts left out are read from the device. */
export interface DiskTarget {
  readonly kind: TargetKind;
  /** Logical block length; READ CAPACITY must report exactly this when given. */
  readonly blockLength?: number;
  /** Capacity in logical blocks; READ CAPACITY must report exactly this when given. */
  readonly capacityBlocks?: bigint;
  /** Logical block provisioning is enabled (UNMAP, LBPME): runs the thin cases. @default false */
  readonly thin?: boolean;
  /** Host-managed zoned (PDT 14h): the suite is registered as skipped (it writes anywhere). */
  readonly zoned?: boolean;
  /** VPD pages the target is known to have: each gets its case. @default [0x00, 0x80, 0x83, 0xb0, 0xb1] */
  readonly vpdPages?: readonly number[];
  /** Tags selecting configuration-dependent deviations (`onlyWith`), e.g. `'no-wwn'`. */
  readonly config?: readonly string[];
  /** First LBA the suite may overwrite; it writes at most 1024 blocks from there. @default 2048 */
  readonly scratchLba?: number;
  /** Multiplies test timeouts (the QEMU TCG lab runs JavaScript 10–16× slower). @default 1 */
  readonly timeScale?: number;
}

export interface DiskBehaviourSetup {
  /** A fresh transport to the disk, opened for write; closed after each case. */
  open(): Promise<Transport>;
  /** A transport through a second initiator (another I_T nexus) to the same logical unit. */
  openSecond?(): Promise<Transport>;
}

export interface DiskBehaviourOptions {
  /** @default DEVIATIONS from `./deviations.js` */
  readonly deviations?: DeviationsTable;
}

/** Thrown by a probe once a recorded deviation is confirmed: the case has nothing more to check. */
class DeviationConfirmed {}

export interface ProbeOptions {
  /** Which step of the case this is (deviation entries with `step` target it). */
  readonly step?: string;
  /** Facts about a GOOD answer's data, compared with the recorded entry's `facts`. */
  readonly facts?: (r: ScsiResult) => NonNullable<Answer['facts']>;
}

export interface Geometry {
  readonly blockLength: number;
  /** Logical blocks. */
  readonly capacity: bigint;
  readonly lastLba: bigint;
}

/** What a case gets: the transport, the target, and probes that honour the deviations table. */
export interface CaseContext {
  readonly id: CaseId;
  readonly t: Transport;
  readonly target: DiskTarget;
  readonly setup: DiskBehaviourSetup;
  readonly scratch: number;
  /** Sends a builder's spec; never throws for a device answer. */
  send(spec: CdbSpec, data?: Uint8Array, t?: Transport): Promise<ScsiResult>;
  /** `send` that expects GOOD (throws naming the command and the sense otherwise). */
  good(spec: CdbSpec, data?: Uint8Array, t?: Transport): Promise<ScsiResult>;
  /** `send`, then: a recorded answer for this step → assert it and end the case; else return the result. */
  probe(spec: CdbSpec, options?: ProbeOptions, data?: Uint8Array, t?: Transport): Promise<ScsiResult>;
  /** Asserts a result against an expected answer (status, sense, field pointer, INFORMATION). */
  expectAnswer(r: ScsiResult, expected: Answer, what?: string): void;
  geometry(): Promise<Geometry>;
}

const hex = (n: number) => `${n.toString(16).padStart(2, '0')}h`;

function describeResult(r: ScsiResult): string {
  if (r.hostStatus !== 0) return `host status ${hex(r.hostStatus)}`;
  if (r.status === GOOD) return 'GOOD';
  if (r.sense.length === 0) return `status ${hex(r.status)}`;
  try {
    const s = decodeSense(r.sense);
    if (s.format === 'vendor') return `status ${hex(r.status)} (vendor sense)`;
    return `status ${hex(r.status)} ${s.senseKey.toString(16)}/${hex(s.asc)}/${hex(s.ascq)} ${s.senseKeyName}, ${s.description}`;
  } catch {
    return `status ${hex(r.status)} (undecodable sense)`;
  }
}

function pattern(length: number, seed: number): Uint8Array {
  const b = new Uint8Array(length);
  for (let i = 0; i < length; i++) b[i] = (seed * 131 + i * 7 + (i >> 8) + 1) & 0xff;
  return b;
}

const sense = (key: number, asc: number, ascq: number, more: Partial<Answer> = {}): Answer => ({
  status: CHECK_CONDITION,
  sense: [key, asc, ascq],
  ...more,
});

function makeContext(
  id: CaseId,
  t: Transport,
  target: DiskTarget,
  setup: DiskBehaviourSetup,
  table: DeviationsTable,
): CaseContext {
  let geometry: Geometry | undefined;
  const send = (spec: CdbSpec, data?: Uint8Array, via: Transport = t): Promise<ScsiResult> => {
    if (spec.direction === 'out')
      return via.execute({
        cdb: spec.cdb,
        direction: 'out',
        data: data ?? new Uint8Array(spec.transferLength),
      });
    if (spec.direction === 'in')
      return via.execute({ cdb: spec.cdb, direction: 'in', transferLength: spec.transferLength });
    return via.execute({ cdb: spec.cdb, direction: 'none' });
  };
  const ctx: CaseContext = {
    id,
    t,
    target,
    setup,
    scratch: target.scratchLba ?? 2048,
    send,
    async good(spec, data, via) {
      const r = await send(spec, data, via);
      if (r.status !== GOOD || r.hostStatus !== 0) throw new Error(`${spec.name}: ${describeResult(r)}`);
      return r;
    },
    async probe(spec, options = {}, data, via) {
      const r = await send(spec, data, via);
      const recorded = deviationFor(table, id, target.kind, target.config);
      if (recorded !== undefined && recorded.step === options.step) {
        const seen = observe(
          r,
          r.status === GOOD && options.facts !== undefined ? options.facts(r) : undefined,
        );
        expect(
          mismatches(seen, recorded.answer),
          `${spec.name} on ${target.kind}: the deviations table says "${recorded.note}"; the target answered ${describeResult(r)}`,
        ).toEqual([]);
        throw new DeviationConfirmed();
      }
      return r;
    },
    expectAnswer(r, expected, what = 'answer') {
      const { facts: _facts, ...withoutFacts } = expected;
      expect(mismatches(observe(r), withoutFacts), `${what}: ${describeResult(r)}`).toEqual([]);
    },
    async geometry() {
      if (geometry !== undefined) return geometry;
      const r16 = await send(buildReadCapacity16());
      if (r16.status === GOOD) {
        const c = decodeReadCapacity16(r16.data);
        geometry = { blockLength: c.blockLength, lastLba: c.lastLba, capacity: c.lastLba + 1n };
      } else {
        const c = decodeReadCapacity10((await ctx.good(buildReadCapacity10())).data);
        geometry = { blockLength: c.blockLength, lastLba: c.lastLba, capacity: c.lastLba + 1n };
      }
      return geometry;
    },
  };
  return ctx;
}

// ---------------------------------------------------------------------------------------------
// The checks, one per case id.

type Check = (ctx: CaseContext) => Promise<void>;

async function inquiryFull(ctx: CaseContext): Promise<Uint8Array> {
  return (await ctx.good(buildInquiry({ allocationLength: 96 }))).data.slice();
}

async function vpd(ctx: CaseContext, page: number) {
  const r = await ctx.probe(buildInquiry({ evpd: true, pageCode: page, allocationLength: 252 }));
  ctx.expectAnswer(r, { status: GOOD }, `VPD ${hex(page)}`);
  expect(r.data.length, 'a VPD page has a 4-byte header').toBeGreaterThanOrEqual(4);
  expect(r.data[1], 'PAGE CODE').toBe(page);
  expect((r.data[0] ?? 0) & 0x1f, 'PERIPHERAL DEVICE TYPE').toBe(0);
  const length = ((r.data[2] ?? 0) << 8) | (r.data[3] ?? 0);
  expectReturned(
    ctx,
    r.data.length,
    Math.min(length + 4, 252),
    'PAGE LENGTH + 4 bytes (or the allocation length) came back',
  );
  return { r, decoded: decodeVpdPage(r.data) };
}

async function writeBlocks(
  ctx: CaseContext,
  size: 6 | 10 | 12 | 16,
  lba: number,
  data: Uint8Array,
  fua = false,
) {
  const { blockLength } = await ctx.geometry();
  const blocks = data.length / blockLength;
  return ctx.good(buildWrite({ lba, blocks, blockLength, ...(fua ? { fua } : {}) }, { size }), data);
}

async function readBlocks(ctx: CaseContext, size: 6 | 10 | 12 | 16, lba: number, blocks: number) {
  const { blockLength } = await ctx.geometry();
  return (await ctx.good(buildRead({ lba, blocks, blockLength }, { size }))).data.slice();
}

async function roundTrip(ctx: CaseContext, size: 6 | 10 | 12 | 16, offset: number): Promise<void> {
  const { blockLength } = await ctx.geometry();
  const lba = ctx.scratch + offset;
  const data = pattern(2 * blockLength, size + offset);
  await ctx
    .probe(buildWrite({ lba, blocks: 2, blockLength }, { size }), {}, data)
    .then((r) => ctx.expectAnswer(r, { status: GOOD }, `WRITE(${size})`));
  const back = await ctx.probe(buildRead({ lba, blocks: 2, blockLength }, { size }), { step: 'read' });
  ctx.expectAnswer(back, { status: GOOD }, `READ(${size})`);
  expect(back.data.length).toBe(data.length);
  expect(Buffer.from(back.data).equals(Buffer.from(data)), 'data read back equals data written').toBe(true);
}

/**
 * The bytes a data-in command returned against what the answer says it holds. QEMU's virtio-scsi
 * path reports no residual for emulated commands, so there the whole allocation comes back (the
 * answer zero-padded); everywhere else the count must be exact.
 */
function expectReturned(ctx: CaseContext, returned: number, expected: number, what: string): void {
  if (ctx.target.kind === 'qemu') expect(returned, what).toBeGreaterThanOrEqual(expected);
  else expect(returned, what).toBe(expected);
}

async function modePage6(ctx: CaseContext, page: number, length: number): Promise<void> {
  const r = await ctx.probe(buildModeSense6({ pageCode: page, allocationLength: 252 }));
  ctx.expectAnswer(r, { status: GOOD }, `MODE SENSE(6) page ${hex(page)}`);
  const m = decodeModeSense6(r.data);
  expectReturned(
    ctx,
    r.data.length,
    m.header.modeDataLength + 1,
    'MODE DATA LENGTH counts the bytes after it',
  );
  await checkDescriptors(ctx, m);
  const p = m.pages.find((x) => x.pageCode === page);
  expect(p, `page ${hex(page)} returned`).toBeDefined();
  expect(p?.pageLength, `PAGE LENGTH of page ${hex(page)}`).toBe(length);
}

async function checkDescriptors(ctx: CaseContext, m: ModeParameters): Promise<void> {
  const { blockLength } = await ctx.geometry();
  for (const d of m.blockDescriptors)
    expect(d.blockLength, 'block descriptor BLOCK LENGTH').toBe(blockLength);
}

/** The caching page's current and changeable bytes (MODE SENSE(10), no block descriptors). */
async function cachingPage(ctx: CaseContext, pc: 'current' | 'changeable'): Promise<Uint8Array> {
  const r = await ctx.good(
    buildModeSense10({ pageCode: 0x08, pageControl: pc, dbd: true, allocationLength: 512 }),
  );
  const page = decodeModeSense10(r.data).pages.find((p) => p.pageCode === 0x08);
  if (page === undefined) throw new Error(`MODE SENSE(10): no caching page in the ${pc} values`);
  return page.raw.slice();
}

async function modeSelectCaching(ctx: CaseContext, page: Uint8Array, step?: string): Promise<ScsiResult> {
  const data = buildModeSelectData({ headerSize: 10, pages: [page] });
  return ctx.probe(
    buildModeSelect10({ pf: true, parameterListLength: data.length }),
    step === undefined ? {} : { step },
    data,
  );
}

/** Sends TEST UNIT READY until no unit attention is pending (at most 4 times). */
async function drainUnitAttentions(ctx: Pick<CaseContext, 'send'>, t?: Transport): Promise<void> {
  for (let i = 0; i < 4; i++) {
    const r = await ctx.send(buildTestUnitReady(), undefined, t);
    const s = r.sense.length > 0 ? decodeSense(r.sense) : undefined;
    if (r.status !== CHECK_CONDITION || s === undefined || s.format === 'vendor' || s.senseKey !== 0x6)
      return;
  }
}

const PR_KEY_A = 0x5c5140000000000an;
const PR_KEY_B = 0x5c5140000000000bn;

export const CHECKS: Readonly<Record<CaseId, Check>> = {
  async 'inquiry.standard'(ctx) {
    const r = await ctx.probe(buildInquiry({ allocationLength: 96 }));
    ctx.expectAnswer(r, { status: GOOD }, 'INQUIRY');
    expect(r.data.length).toBeGreaterThanOrEqual(36);
    const inq = decodeStandardInquiry(r.data);
    expect(inq.peripheralQualifier, 'PERIPHERAL QUALIFIER: connected').toBe(0);
    expect(inq.peripheralDeviceType, 'direct access block device').toBe(0);
    expect(inq.responseDataFormat).toBe(2);
    expect(inq.additionalLength).toBeGreaterThanOrEqual(31);
    expect(inq.version, 'VERSION: SPC-3 (05h) or later').toBeGreaterThanOrEqual(0x05);
    for (const b of r.data.subarray(8, 36))
      expect(b >= 0x20 && b <= 0x7e, 'T10 identity is printable ASCII').toBe(true);
  },

  async 'inquiry.allocation-length'(ctx) {
    const full = await inquiryFull(ctx);
    const r = await ctx.probe(buildInquiry({ allocationLength: 36 }), {
      facts: (x) => ({ prefixOfFullAnswer: Buffer.from(x.data).equals(Buffer.from(full.subarray(0, 36))) }),
    });
    ctx.expectAnswer(r, { status: GOOD }, 'INQUIRY allocation 36');
    expect(r.data.length).toBe(36);
    expect([...r.data], 'the first 36 bytes of the full answer').toEqual([...full.subarray(0, 36)]);
    // Allocation length 0 moves nothing and is not an error (SPC).
    const zero = await ctx.send(buildInquiry({ allocationLength: 0 }));
    ctx.expectAnswer(zero, { status: GOOD }, 'INQUIRY allocation 0');
  },

  async 'inquiry.vpd.00'(ctx) {
    const { r } = await vpd(ctx, 0x00);
    // PAGE LENGTH bounds the list: a path without residuals returns zero padding after it.
    const list = [...r.data.subarray(4, 4 + (((r.data[2] ?? 0) << 8) | (r.data[3] ?? 0)))];
    expect(list[0], 'lists itself first').toBe(0x00);
    expect(list, 'ascending').toEqual([...list].sort((a, b) => a - b));
    for (const p of ctx.target.vpdPages ?? DEFAULT_VPD) expect(list, `lists ${hex(p)}`).toContain(p);
  },

  async 'inquiry.vpd.80'(ctx) {
    const { r } = await vpd(ctx, 0x80);
    // SPC: an ASCII data field may end in NUL padding (LIO counts its string's terminator).
    const serial = r.data.subarray(4, 4 + (((r.data[2] ?? 0) << 8) | (r.data[3] ?? 0)));
    let end = serial.length;
    while (end > 0 && serial[end - 1] === 0) end--;
    for (const b of serial.subarray(0, end))
      expect(b >= 0x20 && b <= 0x7e, 'PRODUCT SERIAL NUMBER is ASCII').toBe(true);
  },

  async 'inquiry.vpd.83'(ctx) {
    const r = await ctx.probe(buildInquiry({ evpd: true, pageCode: 0x83, allocationLength: 252 }), {
      facts: (x) => {
        const d = decodeVpdPage(x.data);
        return {
          naaLogicalUnit:
            d.kind === 'deviceIdentification' &&
            d.designators.some((g) => g.association === 0 && g.designatorType === 3),
        };
      },
    });
    ctx.expectAnswer(r, { status: GOOD }, 'VPD 83h');
    const d = decodeVpdPage(r.data);
    if (d.kind !== 'deviceIdentification') throw new Error(`VPD 83h decoded as ${d.kind}`);
    expect(d.designators.length).toBeGreaterThan(0);
    const naa = d.designators.filter((g) => g.association === 0 && g.designatorType === 3);
    expect(naa.length, 'a logical unit NAA designator').toBeGreaterThan(0);
    for (const g of naa) expect(g.decoded.kind).toBe('naa');
  },

  async 'inquiry.vpd.b0'(ctx) {
    const { r, decoded } = await vpd(ctx, 0xb0);
    expect(decoded.kind).toBe('blockLimits');
    expect(r.data.length).toBeGreaterThanOrEqual(0x10);
  },

  async 'inquiry.vpd.b1'(ctx) {
    const { decoded } = await vpd(ctx, 0xb1);
    expect(decoded.kind).toBe('blockDeviceCharacteristics');
  },

  async 'inquiry.vpd.b2'(ctx) {
    const { r } = await vpd(ctx, 0xb2);
    if (ctx.target.thin === true) {
      expect((r.data[5] ?? 0) & 0xc0, 'LBPU or LBPWS on a thin target').not.toBe(0);
    }
  },

  async 'inquiry.vpd.invalid-page'(ctx) {
    const r = await ctx.probe(buildInquiry({ evpd: true, pageCode: 0x9a, allocationLength: 252 }));
    ctx.expectAnswer(
      r,
      sense(0x5, 0x24, 0x00, { fieldPointer: { cdb: true, byte: 2 } }),
      'unsupported VPD 9Ah',
    );
  },

  async 'inquiry.page-without-evpd'(ctx) {
    // The builder refuses this CDB (it is invalid), so set PAGE CODE by hand.
    const spec = buildInquiry({ allocationLength: 96 });
    const cdb = spec.cdb.slice();
    cdb[2] = 0x80;
    const r = await ctx.probe({ ...spec, cdb });
    ctx.expectAnswer(r, sense(0x5, 0x24, 0x00, { fieldPointer: { cdb: true, byte: 2 } }), 'EVPD 0, page 80h');
  },

  async 'test-unit-ready'(ctx) {
    const r = await ctx.probe(buildTestUnitReady());
    ctx.expectAnswer(r, { status: GOOD });
    expect(r.data.length).toBe(0);
  },

  async 'request-sense'(ctx) {
    const r = await ctx.probe(buildRequestSense({ allocationLength: 252 }));
    ctx.expectAnswer(r, { status: GOOD }, 'REQUEST SENSE');
    expect(r.data.length, 'at least the 8-byte fixed header').toBeGreaterThanOrEqual(8);
    expect((r.data[0] ?? 0) & 0x7f, 'current, fixed format').toBe(0x70);
    const s = decodeSense(r.data);
    if (s.format === 'vendor') throw new Error('vendor sense');
    expect([s.senseKey, s.asc, s.ascq], 'NO SENSE').toEqual([0, 0, 0]);
  },

  async 'read-capacity'(ctx) {
    const r10 = await ctx.probe(buildReadCapacity10());
    ctx.expectAnswer(r10, { status: GOOD }, 'READ CAPACITY(10)');
    const r16 = await ctx.probe(buildReadCapacity16(), { step: 'rc16' });
    ctx.expectAnswer(r16, { status: GOOD }, 'READ CAPACITY(16)');
    const c10 = decodeReadCapacity10(r10.data);
    const c16 = decodeReadCapacity16(r16.data);
    expect(c10.blockLength).toBe(c16.blockLength);
    if (c16.lastLba < 0xffffffffn) expect(c10.lastLba).toBe(c16.lastLba);
    else expect(c10.returnedLogicalBlockAddress).toBe(0xffffffff);
    if (ctx.target.blockLength !== undefined) expect(c16.blockLength).toBe(ctx.target.blockLength);
    if (ctx.target.capacityBlocks !== undefined) expect(c16.lastLba + 1n).toBe(ctx.target.capacityBlocks);
    expect(c16.lbpme, 'LBPME matches thin provisioning').toBe(ctx.target.thin === true);
  },

  'rw.6': (ctx) => roundTrip(ctx, 6, 0),
  'rw.10': (ctx) => roundTrip(ctx, 10, 4),
  'rw.12': (ctx) => roundTrip(ctx, 12, 8),
  'rw.16': (ctx) => roundTrip(ctx, 16, 12),

  async 'rw.fua'(ctx) {
    const { blockLength } = await ctx.geometry();
    const lba = ctx.scratch + 16;
    const data = pattern(blockLength, 99);
    const w = await ctx.probe(buildWrite({ lba, blocks: 1, blockLength, fua: true }, { size: 16 }), {}, data);
    ctx.expectAnswer(w, { status: GOOD }, 'WRITE(16) FUA');
    const back = await ctx.good(buildRead({ lba, blocks: 1, blockLength, fua: true }, { size: 10 }));
    expect(Buffer.from(back.data).equals(Buffer.from(data))).toBe(true);
  },

  async 'read.past-end'(ctx) {
    const { blockLength, capacity } = await ctx.geometry();
    const r = await ctx.probe(buildRead({ lba: capacity, blocks: 1, blockLength }, { size: 16 }));
    ctx.expectAnswer(r, sense(0x5, 0x21, 0x00), 'READ(16) at the capacity');
    // The residual of a failed command is the initiator path's business (tcm_loop reports 0), not
    // the device's, so it is not checked here.
  },

  async 'read.crossing-end'(ctx) {
    const { blockLength, lastLba } = await ctx.geometry();
    if (lastLba >= 0xffffffffn) throw new Error('READ(10) cannot address the last LBA of this disk');
    const r = await ctx.probe(buildRead({ lba: lastLba, blocks: 2, blockLength }, { size: 10 }));
    ctx.expectAnswer(r, sense(0x5, 0x21, 0x00), 'READ(10) of 2 blocks from the last LBA');
  },

  async 'write.past-end'(ctx) {
    const { blockLength, capacity } = await ctx.geometry();
    const r = await ctx.probe(
      buildWrite({ lba: capacity, blocks: 1, blockLength }, { size: 16 }),
      {},
      pattern(blockLength, 3),
    );
    ctx.expectAnswer(r, sense(0x5, 0x21, 0x00), 'WRITE(16) at the capacity');
  },

  async 'read10.zero-length'(ctx) {
    const { blockLength } = await ctx.geometry();
    // A builder spec for 0 blocks is direction 'none': nothing may move.
    const spec = buildRead({ lba: ctx.scratch, blocks: 0, blockLength }, { size: 10 });
    expect(spec.direction).toBe('none');
    const r = await ctx.probe(spec);
    ctx.expectAnswer(r, { status: GOOD }, 'READ(10) of 0 blocks');
    expect(r.data.length).toBe(0);
  },

  async 'read6.zero-is-256'(ctx) {
    const { blockLength } = await ctx.geometry();
    const lba = ctx.scratch + 256;
    await writeBlocks(ctx, 10, lba, pattern(256 * blockLength, 6));
    // TRANSFER LENGTH 0 on the wire: the builder encodes 256 blocks as 0.
    const spec = buildRead({ lba, blocks: 256, blockLength }, { size: 6 });
    expect(spec.cdb[4]).toBe(0);
    const r = await ctx.probe(spec);
    ctx.expectAnswer(r, { status: GOOD }, 'READ(6) length 0');
    expect(r.data.length, '256 blocks').toBe(256 * blockLength);
    const ten = await readBlocks(ctx, 10, lba, 256);
    expect(Buffer.from(r.data).equals(Buffer.from(ten)), 'same bytes as READ(10) of 256 blocks').toBe(true);
  },

  async 'verify.bytchk0'(ctx) {
    const { blockLength } = await ctx.geometry();
    const r = await ctx.probe(buildVerify10({ lba: ctx.scratch, blocks: 8, blockLength }));
    ctx.expectAnswer(r, { status: GOOD }, 'VERIFY(10) BYTCHK 0');
  },

  async 'verify.bytchk1-match'(ctx) {
    const { blockLength } = await ctx.geometry();
    const lba = ctx.scratch + 32;
    const data = pattern(2 * blockLength, 11);
    await writeBlocks(ctx, 10, lba, data);
    const r = await ctx.probe(buildVerify10({ lba, blocks: 2, blockLength, bytchk: 1 }), {}, data);
    ctx.expectAnswer(r, { status: GOOD }, 'VERIFY(10) BYTCHK 1, same data');
  },

  async 'verify.bytchk1-miscompare'(ctx) {
    const { blockLength } = await ctx.geometry();
    const lba = ctx.scratch + 40;
    const data = pattern(2 * blockLength, 12);
    await writeBlocks(ctx, 10, lba, data);
    const offset = blockLength + 17;
    const other = data.slice();
    other[offset] = (other[offset] ?? 0) ^ 0xff;
    const r = await ctx.probe(buildVerify10({ lba, blocks: 2, blockLength, bytchk: 1 }), {}, other);
    ctx.expectAnswer(
      r,
      sense(0xe, 0x1d, 0x00, { information: offset }),
      'VERIFY(10) BYTCHK 1, one byte changed',
    );
  },

  async 'write-same.10'(ctx) {
    await writeSame(ctx, 10);
  },

  async 'write-same.16'(ctx) {
    await writeSame(ctx, 16);
  },

  async 'sync-cache.10'(ctx) {
    const r = await ctx.probe(buildSynchronizeCache10({ lba: ctx.scratch, blocks: 16 }));
    ctx.expectAnswer(r, { status: GOOD }, 'SYNCHRONIZE CACHE(10)');
  },

  async 'sync-cache.16'(ctx) {
    const r = await ctx.probe(buildSynchronizeCache16({ lba: ctx.scratch, blocks: 16 }));
    ctx.expectAnswer(r, { status: GOOD }, 'SYNCHRONIZE CACHE(16)');
  },

  async 'caw.match'(ctx) {
    const { blockLength } = await ctx.geometry();
    const lba = ctx.scratch + 64;
    const before = pattern(blockLength, 21);
    const after = pattern(blockLength, 22);
    await writeBlocks(ctx, 10, lba, before);
    const buf = dmaBlock(ctx, new Uint8Array(2 * blockLength));
    buf.set(before, 0);
    buf.set(after, blockLength);
    const r = await ctx.probe(buildCompareAndWrite({ lba, blocks: 1, blockLength }), {}, buf);
    ctx.expectAnswer(r, { status: GOOD }, 'COMPARE AND WRITE, matching');
    expect(Buffer.from(await readBlocks(ctx, 10, lba, 1)).equals(Buffer.from(after)), 'written').toBe(true);
  },

  async 'caw.miscompare'(ctx) {
    const { blockLength } = await ctx.geometry();
    const lba = ctx.scratch + 66;
    const before = pattern(blockLength, 23);
    await writeBlocks(ctx, 10, lba, before);
    const offset = 100;
    const buf = dmaBlock(ctx, new Uint8Array(2 * blockLength));
    buf.set(before, 0);
    buf[offset] = (buf[offset] ?? 0) ^ 0x5a;
    buf.set(pattern(blockLength, 24), blockLength);
    const r = await ctx.probe(buildCompareAndWrite({ lba, blocks: 1, blockLength }), {}, buf);
    ctx.expectAnswer(r, sense(0xe, 0x1d, 0x00, { information: offset }), 'COMPARE AND WRITE, one byte off');
    expect(
      Buffer.from(await readBlocks(ctx, 10, lba, 1)).equals(Buffer.from(before)),
      'nothing written',
    ).toBe(true);
  },

  async 'thin.unmap'(ctx) {
    const { blockLength } = await ctx.geometry();
    const lba = ctx.scratch + 512;
    await writeBlocks(ctx, 10, lba, pattern(64 * blockLength, 31));
    const data = buildUnmapData([{ lba, blocks: 64 }]);
    const r = await ctx.probe(buildUnmap({ parameterListLength: data.length }), {}, data);
    ctx.expectAnswer(r, { status: GOOD }, 'UNMAP');
    const cap = decodeReadCapacity16((await ctx.good(buildReadCapacity16())).data);
    if (cap.lbprz)
      expect(
        (await readBlocks(ctx, 10, lba, 64)).every((b) => b === 0),
        'LBPRZ: zeroes',
      ).toBe(true);
  },

  async 'thin.write-same-unmap'(ctx) {
    const { blockLength } = await ctx.geometry();
    const lba = ctx.scratch + 640;
    await writeBlocks(ctx, 10, lba, pattern(32 * blockLength, 32));
    const spec = buildWriteSame16({ lba, blocks: 32, blockLength, unmap: true });
    const r = await ctx.probe(spec, {}, dmaBlock(ctx, new Uint8Array(blockLength)));
    ctx.expectAnswer(r, { status: GOOD }, 'WRITE SAME(16) UNMAP');
    expect(
      (await readBlocks(ctx, 10, lba, 32)).every((b) => b === 0),
      'zeroes read back',
    ).toBe(true);
  },

  async 'thin.get-lba-status'(ctx) {
    const { blockLength } = await ctx.geometry();
    const lba = ctx.scratch + 768;
    await writeBlocks(ctx, 10, lba, pattern(64 * blockLength, 33));
    const data = buildUnmapData([{ lba, blocks: 64 }]);
    await ctx.good(buildUnmap({ parameterListLength: data.length }), data);
    const r = await ctx.probe(buildGetLbaStatus({ startingLba: lba, allocationLength: 24 }));
    ctx.expectAnswer(r, { status: GOOD }, 'GET LBA STATUS');
    const s = decodeGetLbaStatus(r.data);
    const d = s.descriptors[0];
    expect(d?.lbaStatusLogicalBlockAddress, 'the first descriptor starts at the LBA asked').toBe(BigInt(lba));
    expect([1, 2], 'deallocated or anchored').toContain(d?.provisioningStatus);
  },

  'mode-sense.caching': (ctx) => modePage6(ctx, 0x08, 0x12),
  'mode-sense.control': (ctx) => modePage6(ctx, 0x0a, 0x0a),
  'mode-sense.rw-recovery': (ctx) => modePage6(ctx, 0x01, 0x0a),
  'mode-sense.ie': (ctx) => modePage6(ctx, 0x1c, 0x0a),

  async 'mode-sense.all-pages'(ctx) {
    const r = await ctx.probe(buildModeSense10({ pageCode: 0x3f, allocationLength: 4096 }));
    ctx.expectAnswer(r, { status: GOOD }, 'MODE SENSE(10) page 3Fh');
    const m = decodeModeSense10(r.data);
    expectReturned(
      ctx,
      r.data.length,
      m.header.modeDataLength + 2,
      'MODE DATA LENGTH counts the bytes after it',
    );
    expect(m.truncated).toBe(false);
    await checkDescriptors(ctx, m);
    const codes = m.pages.map((p) => p.pageCode);
    expect(codes, 'ascending page codes').toEqual([...codes].sort((a, b) => a - b));
    expect(codes, 'the caching page among them').toContain(0x08);
  },

  async 'mode-sense.changeable'(ctx) {
    const r = await ctx.probe(
      buildModeSense10({ pageCode: 0x08, pageControl: 'changeable', dbd: true, allocationLength: 512 }),
    );
    ctx.expectAnswer(r, { status: GOOD }, 'MODE SENSE(10) changeable caching page');
    const changeable = decodeModeSense10(r.data).pages.find((p) => p.pageCode === 0x08);
    const current = await cachingPage(ctx, 'current');
    expect(changeable?.raw.length, 'same page length as the current values').toBe(current.length);
  },

  async 'mode-select.wce'(ctx) {
    const current = await cachingPage(ctx, 'current');
    const changeable = await cachingPage(ctx, 'changeable');
    const wce = ((current[2] ?? 0) & 0x04) !== 0;
    const toggled = current.slice();
    toggled[2] = (toggled[2] ?? 0) ^ 0x04;
    const r = await modeSelectCaching(ctx, toggled);
    if (((changeable[2] ?? 0) & 0x04) === 0) {
      // Not changeable: the standard answer is INVALID FIELD IN PARAMETER LIST.
      ctx.expectAnswer(r, sense(0x5, 0x26, 0x00), 'MODE SELECT of an unchangeable WCE');
      return;
    }
    try {
      ctx.expectAnswer(r, { status: GOOD }, 'MODE SELECT(10) with WCE toggled');
      await drainUnitAttentions(ctx);
      const now = await cachingPage(ctx, 'current');
      expect(((now[2] ?? 0) & 0x04) !== 0, 'MODE SENSE shows the new WCE').toBe(!wce);
    } finally {
      await modeSelectCaching(ctx, current);
      await drainUnitAttentions(ctx);
    }
  },

  async 'mode-select.no-self-unit-attention'(ctx) {
    const current = await cachingPage(ctx, 'current');
    await ctx.good(
      buildModeSelect10({ pf: true, parameterListLength: 8 + current.length }),
      buildModeSelectData({ headerSize: 10, pages: [current] }),
    );
    try {
      const r = await ctx.probe(buildTestUnitReady());
      ctx.expectAnswer(r, { status: GOOD }, 'the sender’s next command');
    } finally {
      await drainUnitAttentions(ctx);
    }
  },

  async 'log-sense.supported-pages'(ctx) {
    const r = await ctx.probe(buildLogSense({ pageCode: 0x00, allocationLength: 1024 }));
    ctx.expectAnswer(r, { status: GOOD }, 'LOG SENSE page 00h');
    const pages = decodeSupportedLogPages(r.data).fields.supportedPages;
    expect(pages).toContain(0x00);
    expect(pages, 'ascending').toEqual([...pages].sort((a, b) => a - b));
  },

  async 'report-luns'(ctx) {
    const r = await ctx.probe(buildReportLuns({ allocationLength: 4096 }));
    ctx.expectAnswer(r, { status: GOOD }, 'REPORT LUNS');
    const l = decodeReportLuns(r.data);
    expect(l.lunListLength % 8).toBe(0);
    expect(l.luns.length).toBeGreaterThan(0);
  },

  async 'rsoc.all'(ctx) {
    const r = await ctx.probe(buildReportSupportedOperationCodes({ mode: 'all', allocationLength: 65_535 }));
    ctx.expectAnswer(r, { status: GOOD }, 'REPORT SUPPORTED OPERATION CODES');
    const all = decodeSupportedOpcodesAll(r.data);
    expect(all.truncated).toBe(false);
    const find = (op: number) => all.commands.find((c) => c.operationCode === op);
    expect(find(0x12)?.cdbLength, 'INQUIRY, 6 bytes').toBe(6);
    expect(find(0x28)?.cdbLength, 'READ(10), 10 bytes').toBe(10);
  },

  async 'rsoc.one'(ctx) {
    const r = await ctx.probe(
      buildReportSupportedOperationCodes({ mode: 'one', opcode: 0x28, allocationLength: 512 }),
    );
    ctx.expectAnswer(r, { status: GOOD }, 'REPORT SUPPORTED OPERATION CODES, READ(10)');
    const one = decodeSupportedOpcodeOne(r.data);
    expect(one.supportCode, 'SUPPORT 011b: supported as the standard says').toBe(3);
    expect(one.cdbSize).toBe(10);
    expect(one.cdbUsageData[0]).toBe(0x28);
  },

  async 'start-stop.start'(ctx) {
    const r = await ctx.probe(buildStartStopUnit({ start: true }));
    ctx.expectAnswer(r, { status: GOOD }, 'START STOP UNIT START 1');
  },

  async 'start-stop.stop-then-start'(ctx) {
    try {
      const stop = await ctx.probe(buildStartStopUnit({ start: false }), { step: 'stop' });
      ctx.expectAnswer(stop, { status: GOOD }, 'START STOP UNIT START 0');
      const tur = await ctx.probe(buildTestUnitReady(), { step: 'tur-while-stopped' });
      const s = tur.sense.length > 0 ? decodeSense(tur.sense) : undefined;
      expect(tur.status, 'TEST UNIT READY while stopped').toBe(CHECK_CONDITION);
      if (s === undefined || s.format === 'vendor') throw new Error('no standard sense');
      expect([s.senseKey, s.asc], 'NOT READY, LOGICAL UNIT NOT READY').toEqual([0x2, 0x04]);
    } finally {
      // Whatever happened, leave the unit started (IMMED 1 is what every target accepts).
      await ctx.send(buildStartStopUnit({ start: true, immed: true }));
      await drainUnitAttentions(ctx);
    }
    await ctx.good(buildTestUnitReady());
  },

  async 'opcode.unsupported'(ctx) {
    // 0Eh: reserved in SPC-5 and SBC-4, implemented by none of the targets.
    const r = await ctx.probe({
      cdb: new Uint8Array([0x0e, 0, 0, 0, 0, 0]),
      direction: 'none',
      transferLength: 0,
      name: 'opcode 0Eh',
    });
    ctx.expectAnswer(r, sense(0x5, 0x20, 0x00), 'opcode 0Eh');
  },

  async 'cdb.reserved-bit'(ctx) {
    const spec = buildTestUnitReady();
    const cdb = spec.cdb.slice();
    cdb[2] = 0x01;
    const r = await ctx.probe({ ...spec, cdb });
    if (ctx.target.kind === 'emulated' || r.status !== GOOD) {
      // The emulator checks reserved fields: it is where user code should learn about a bad CDB.
      ctx.expectAnswer(
        r,
        sense(0x5, 0x24, 0x00, { fieldPointer: { cdb: true, byte: 2, bit: 0 } }),
        'reserved bit',
      );
    }
  },

  async 'pr.read-keys'(ctx) {
    const r = await ctx.probe(buildPersistentReserveIn({ serviceAction: 'readKeys' }));
    ctx.expectAnswer(r, { status: GOOD }, 'PERSISTENT RESERVE IN, READ KEYS');
    const k = decodePrReadKeys(r.data);
    expect(k.additionalLength % 8).toBe(0);
  },

  async 'pr.two-initiators'(ctx) {
    const second = ctx.setup.openSecond;
    if (second === undefined) throw new Error('needs setup.openSecond');
    const b = await second();
    const { blockLength } = await ctx.geometry();
    const lba = ctx.scratch + 900;
    const a = ctx.t;
    let reserved = false;
    const registered: Transport[] = [];
    try {
      await drainUnitAttentions(ctx, b);
      const regA = buildPrRegister({ newKey: PR_KEY_A, ignoreExisting: true });
      await ctx.good(regA.spec, regA.data, a);
      registered.push(a);
      const regB = buildPrRegister({ newKey: PR_KEY_B, ignoreExisting: true });
      await ctx.good(regB.spec, regB.data, b);
      registered.push(b);
      const keys = decodePrReadKeys(
        (await ctx.good(buildPersistentReserveIn({ serviceAction: 'readKeys' }), undefined, b)).data,
      );
      expect(keys.keys).toEqual(expect.arrayContaining([PR_KEY_A, PR_KEY_B]));
      const res = buildPrReserve({ key: PR_KEY_A, type: 'writeExclusive' });
      await ctx.good(res.spec, res.data, a);
      reserved = true;
      const w = await ctx.send(
        buildWrite({ lba, blocks: 1, blockLength }, { size: 10 }),
        pattern(blockLength, 5),
        b,
      );
      expect(w.status, 'the other initiator’s WRITE: RESERVATION CONFLICT').toBe(RESERVATION_CONFLICT);
      const rd = await ctx.send(buildRead({ lba, blocks: 1, blockLength }, { size: 10 }), undefined, b);
      expect(rd.status, 'the other initiator’s READ under Write Exclusive: GOOD').toBe(GOOD);
      await ctx.good(buildWrite({ lba, blocks: 1, blockLength }, { size: 10 }), pattern(blockLength, 6), a);
    } finally {
      if (reserved) {
        const rel = buildPrRelease({ key: PR_KEY_A, type: 'writeExclusive' });
        await ctx.send(rel.spec, rel.data, a);
      }
      // Each initiator drops its own registration: no unit attention is left behind.
      for (const [t, key] of [
        [b, PR_KEY_B],
        [a, PR_KEY_A],
      ] as const) {
        if (!registered.includes(t)) continue;
        const un = buildPrRegister({ key, newKey: 0n });
        await ctx.send(un.spec, un.data, t);
      }
      await b.close();
    }
    const w = await ctx.send(
      buildWrite({ lba, blocks: 1, blockLength }, { size: 10 }),
      pattern(blockLength, 7),
    );
    ctx.expectAnswer(w, { status: GOOD }, 'WRITE once the reservation is gone');
  },
};

/**
 * WRITE SAME and COMPARE AND WRITE data in the transport's page-aligned memory when it has some:
 * LIO refuses a WRITE SAME block that straddles two pages (05/24/00), and, worse, answers GOOD to a
 * COMPARE AND WRITE whose buffer straddles two pages without writing the right data. A plain
 * Uint8Array sometimes does straddle.
 */
function dmaBlock(ctx: CaseContext, block: Uint8Array): Uint8Array {
  const out = ctx.t.allocateBuffer?.(block.length);
  if (out === undefined) return block;
  out.set(block);
  return out;
}

async function writeSame(ctx: CaseContext, size: 10 | 16): Promise<void> {
  const { blockLength } = await ctx.geometry();
  const lba = ctx.scratch + (size === 10 ? 128 : 160);
  const blocks = 8;
  await writeBlocks(ctx, 10, lba, pattern(blocks * blockLength, 40 + size));
  const block = dmaBlock(ctx, pattern(blockLength, 50 + size));
  const spec =
    size === 10
      ? buildWriteSame10({ lba, blocks, blockLength })
      : buildWriteSame16({ lba, blocks, blockLength });
  const r = await ctx.probe(spec, {}, block);
  ctx.expectAnswer(r, { status: GOOD }, `WRITE SAME(${size})`);
  const back = await readBlocks(ctx, 10, lba, blocks);
  for (let i = 0; i < blocks; i++) {
    expect(
      Buffer.from(back.subarray(i * blockLength, (i + 1) * blockLength)).equals(Buffer.from(block)),
      `block ${i} holds the data-out block`,
    ).toBe(true);
  }
}

const DEFAULT_VPD: readonly number[] = [0x00, 0x80, 0x83, 0xb0, 0xb1];
const VPD_CASES: ReadonlyMap<CaseId, number> = new Map<CaseId, number>([
  ['inquiry.vpd.00', 0x00],
  ['inquiry.vpd.80', 0x80],
  ['inquiry.vpd.83', 0x83],
  ['inquiry.vpd.b0', 0xb0],
  ['inquiry.vpd.b1', 0xb1],
  ['inquiry.vpd.b2', 0xb2],
]);

/** Why a case does not apply to this target and setup, or undefined when it does. */
export function notApplicable(id: CaseId, target: DiskTarget, setup: DiskBehaviourSetup): string | undefined {
  const page = VPD_CASES.get(id);
  if (page !== undefined && !(target.vpdPages ?? DEFAULT_VPD).includes(page))
    return `VPD ${hex(page)} is not listed for this target`;
  if (id.startsWith('thin.') && target.thin !== true) return 'the target is not thin provisioned';
  if (id === 'pr.two-initiators' && setup.openSecond === undefined)
    return 'the setup has no second initiator';
  return undefined;
}

/** Runs one case: vitest's assertions, with a confirmed deviation counting as a pass. */
export async function runCase(
  id: CaseId,
  t: Transport,
  target: DiskTarget,
  setup: DiskBehaviourSetup,
  table: DeviationsTable = DEVIATIONS,
): Promise<'standard' | 'deviation'> {
  const ctx = makeContext(id, t, target, setup, table);
  try {
    await CHECKS[id](ctx);
  } catch (e) {
    if (e instanceof DeviationConfirmed) return 'deviation';
    throw e;
  }
  const recorded = deviationFor(table, id, target.kind, target.config);
  if (recorded !== undefined) {
    throw new Error(
      `${id} on ${target.kind}: the deviations table records "${recorded.note}"${recorded.step === undefined ? '' : ` at step ${recorded.step}`}, but that probe was never reached or the target followed the standard`,
    );
  }
  return 'standard';
}

/**
 * Registers the suite: one test per case, a fresh transport each, unit attentions drained first.
 * @example
 * describeDiskBehaviour('emulated, 512-byte blocks', { open: async () => new EmulatedDisk() }, { kind: 'emulated' });
 */
export function describeDiskBehaviour(
  name: string,
  setup: DiskBehaviourSetup,
  target: DiskTarget,
  options: DiskBehaviourOptions = {},
): void {
  const table = options.deviations ?? DEVIATIONS;
  const timeout = 30_000 * (target.timeScale ?? 1);
  describe(`disk behaviour: ${name} (${target.kind})`, () => {
    if (target.zoned === true) {
      it.skip('skipped: host-managed zoned disk (writes outside the write pointer fail by design; see the ZBC suites)', () => {});
      return;
    }
    let t: Transport | undefined;
    beforeEach(async () => {
      t = await setup.open();
      await drainUnitAttentions({
        send: (spec) => (t as Transport).execute({ cdb: spec.cdb, direction: 'none' }),
      });
    }, timeout);
    afterEach(async () => {
      if (t !== undefined && !t.closed) await t.close();
      t = undefined;
    }, timeout);
    for (const id of Object.keys(CASES) as CaseId[]) {
      const reason = notApplicable(id, target, setup);
      const recorded = deviationFor(table, id, target.kind, target.config);
      const suffix =
        recorded === undefined ? '' : ` [recorded ${recorded.kind ?? 'deviation'}: ${recorded.note}]`;
      const title = `${id}: ${CASES[id].title}${suffix}`;
      if (reason !== undefined) {
        it.skip(`${title} (skipped: ${reason})`, () => {});
        continue;
      }
      it(
        title,
        async () => {
          if (t === undefined) throw new Error('open() failed');
          await runCase(id, t, target, setup, table);
        },
        timeout,
      );
    }
  });
}

/**
 * SBC commands: READ/WRITE/VERIFY (6, 10, 12, 16), WRITE SAME (10, 16), UNMAP, SYNCHRONIZE CACHE
 * (10, 16), COMPARE AND WRITE, READ CAPACITY (10, 16) and GET LBA STATUS. Data moves straight
 * between the caller's buffer and the block store (reads land in place).
 */
import { putU32, putU64, SENSE_KEY } from '@scsikit/cdb';
import {
  type CommandContext,
  type CommandDef,
  checkRange,
  dataOut,
  type LogicalUnit,
  registered,
  respond,
  u16,
  u24,
  u32,
  u64,
} from './commands.js';
import type { ResolvedOptions } from './disk-model.js';
import {
  CheckCondition,
  invalidCdbField,
  invalidParameterField,
  lbaOutOfRange,
  parameterListLengthError,
} from './sense.js';

/** Where a command's LBA and block count live, for handlers, faults and the recorder. */
interface ExtentLayout {
  readonly lba: (c: Uint8Array) => bigint;
  readonly blocks: (c: Uint8Array) => number;
  /** Byte of the length field, for field pointers. */
  readonly lengthByte: number;
}

const L10 = {
  lba: (c: Uint8Array) => BigInt(u32(c, 2)),
  blocks: (c: Uint8Array) => u16(c, 7),
  lengthByte: 7,
};
const L12 = {
  lba: (c: Uint8Array) => BigInt(u32(c, 2)),
  blocks: (c: Uint8Array) => u32(c, 6),
  lengthByte: 6,
};
const L16 = { lba: (c: Uint8Array) => u64(c, 2), blocks: (c: Uint8Array) => u32(c, 10), lengthByte: 10 };
const L6 = {
  lba: (c: Uint8Array) => BigInt(u24(c, 1) & 0x1fffff),
  // READ(6)/WRITE(6): a transfer length of 0 means 256 blocks.
  blocks: (c: Uint8Array) => (c[4] === 0 ? 256 : (c[4] ?? 0)),
  lengthByte: 4,
};

const EXTENTS: ReadonlyMap<number, ExtentLayout> = new Map<number, ExtentLayout>([
  [0x08, L6],
  [0x0a, L6],
  [0x28, L10],
  [0x2a, L10],
  [0x2f, L10],
  [0x35, L10],
  [0x41, L10],
  [0xa8, L12],
  [0xaa, L12],
  [0xaf, L12],
  [0x88, L16],
  [0x8a, L16],
  [0x8f, L16],
  [0x91, L16],
  [0x93, L16],
  [0x89, { lba: (c) => u64(c, 2), blocks: (c) => c[13] ?? 0, lengthByte: 13 }],
]);

/** The LBA extent a CDB addresses (READ, WRITE, VERIFY, WRITE SAME, SYNCHRONIZE CACHE, COMPARE AND WRITE), else undefined. */
export function lbaExtent(cdb: Uint8Array): { lba: bigint; blocks: number } | undefined {
  const l = EXTENTS.get(cdb[0] ?? 0);
  if (l === undefined || cdb.length < (l === L6 ? 6 : l === L10 ? 10 : l === L12 ? 12 : 16)) return undefined;
  return { lba: l.lba(cdb), blocks: l.blocks(cdb) };
}

/** Commands that write the medium (the 'medium-error' fault reports WRITE ERROR for them). */
export const WRITE_OPCODES: ReadonlySet<number> = new Set([0x0a, 0x2a, 0xaa, 0x8a, 0x41, 0x93, 0x89]);

const writeProtected = () => new CheckCondition({ key: SENSE_KEY.DATA_PROTECT, asc: 0x27, ascq: 0x00 });
const miscompare = (offset: number) =>
  new CheckCondition({ key: SENSE_KEY.MISCOMPARE, asc: 0x1d, ascq: 0x00, information: offset });

/** RDPROTECT/WRPROTECT/VRPROTECT (byte 1 bits 7–5) must be 0: the disk has no protection information. */
function checkNoProtection(cdb: Uint8Array): void {
  if (cdb[0] !== 0x08 && cdb[0] !== 0x0a && ((cdb[1] ?? 0) & 0xe0) !== 0) throw invalidCdbField(1, 7);
}

/** Range and size checks shared by every data command; returns the LBA as a number. */
function extent(lu: LogicalUnit, cdb: Uint8Array): { lba: number; blocks: number; bytes: number } {
  const layout = EXTENTS.get(cdb[0] ?? 0) as ExtentLayout;
  const lba = layout.lba(cdb);
  const blocks = layout.blocks(cdb);
  const bytes = blocks * lu.state.blockLength;
  if (bytes > lu.state.options.maxTransferBytes) throw invalidCdbField(layout.lengthByte);
  return { lba: checkRange(lu, lba, blocks), blocks, bytes };
}

function read(lu: LogicalUnit, ctx: CommandContext): number {
  checkNoProtection(ctx.cdb);
  const { lba, bytes } = extent(lu, ctx.cdb);
  const n = Math.min(bytes, ctx.dataIn.length);
  if (n === bytes) {
    lu.state.store.read(lba, ctx.dataIn.subarray(0, bytes));
  } else if (n > 0) {
    // The initiator's buffer is shorter than the command (an overrun): it gets what fits.
    const all = new Uint8Array(bytes);
    lu.state.store.read(lba, all);
    ctx.dataIn.set(all.subarray(0, n));
  }
  lu.state.counters.read.bytesProcessed += BigInt(bytes);
  return n;
}

/** Writes `src` at `lba` with the zone rules, then flushes when FUA is set or the write cache is off. */
function writeBlocks(lu: LogicalUnit, lba: number, src: Uint8Array, fua: boolean): void {
  const blocks = src.length / lu.state.blockLength;
  if (blocks === 0) return;
  lu.zones?.checkWrite(lba, blocks);
  lu.state.store.write(lba, src);
  lu.zones?.advance(lba, blocks);
  lu.state.counters.write.bytesProcessed += BigInt(src.length);
  if (fua || !lu.state.writeCacheEnabled) lu.state.store.flush();
}

function write(lu: LogicalUnit, ctx: CommandContext): number {
  checkNoProtection(ctx.cdb);
  const { lba, bytes } = extent(lu, ctx.cdb);
  if (lu.state.writeProtected) throw writeProtected();
  const fua = ctx.cdb[0] !== 0x0a && ((ctx.cdb[1] ?? 0) & 0x08) !== 0;
  writeBlocks(lu, lba, dataOut(ctx, bytes), fua);
  return 0;
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function verify(lu: LogicalUnit, ctx: CommandContext): number {
  checkNoProtection(ctx.cdb);
  const bytchk = ((ctx.cdb[1] ?? 0) >> 1) & 3;
  if (bytchk === 2) throw invalidCdbField(1, 2);
  const { lba, blocks, bytes } = extent(lu, ctx.cdb);
  const bl = lu.state.blockLength;
  lu.state.counters.verify.bytesProcessed += BigInt(bytes);
  if (bytchk === 0 || blocks === 0) return 0;
  const medium = new Uint8Array(bytes);
  lu.state.store.read(lba, medium);
  if (bytchk === 1) {
    const at = firstDifference(medium, dataOut(ctx, bytes));
    if (at >= 0) throw miscompare(at);
    return 0;
  }
  // BYTCHK 3: one block of data-out compared against every block.
  const one = dataOut(ctx, bl);
  for (let i = 0; i < blocks; i++) {
    const at = firstDifference(medium.subarray(i * bl, (i + 1) * bl), one);
    if (at >= 0) throw miscompare(i * bl + at);
  }
  return 0;
}

const isZero = (b: Uint8Array): boolean => b.every((x) => x === 0);

function writeSame(lu: LogicalUnit, ctx: CommandContext): number {
  const cdb = ctx.cdb;
  const b1 = cdb[1] ?? 0;
  checkNoProtection(cdb);
  const sixteen = cdb[0] === 0x93;
  const layout = sixteen ? L16 : L10;
  if ((b1 & 0x10) !== 0) throw invalidCdbField(1, 4); // ANCHOR: not supported (ANC_SUP = 0)
  const unmap = (b1 & 0x08) !== 0;
  const ndob = sixteen && (b1 & 0x01) !== 0;
  const thin = lu.state.options.thin !== undefined;
  if (unmap && !thin) throw invalidCdbField(1, 3);
  const blocks = layout.blocks(cdb);
  const maxBlocks = lu.state.options.maxTransferBytes / lu.state.blockLength;
  if (blocks === 0 || blocks > maxBlocks) throw invalidCdbField(layout.lengthByte); // WSNZ = 1
  const lba = checkRange(lu, layout.lba(cdb), blocks);
  if (lu.state.writeProtected) throw writeProtected();
  const bl = lu.state.blockLength;
  const block = ndob ? new Uint8Array(bl) : dataOut(ctx, bl);
  if (unmap && isZero(block)) {
    lu.state.store.deallocate(lba, blocks);
    return 0;
  }
  lu.zones?.checkWrite(lba, blocks);
  const per = Math.min(blocks, 256);
  const pattern = new Uint8Array(per * bl);
  for (let i = 0; i < per; i++) pattern.set(block, i * bl);
  for (let done = 0; done < blocks; done += per) {
    const n = Math.min(per, blocks - done);
    writeBlocks(lu, lba + done, pattern.subarray(0, n * bl), false);
  }
  return 0;
}

function unmap(lu: LogicalUnit, ctx: CommandContext): number {
  const cdb = ctx.cdb;
  if (((cdb[1] ?? 0) & 0x01) !== 0) throw invalidCdbField(1, 0); // ANCHOR
  const length = u16(cdb, 7);
  if (length === 0) return 0;
  if (length < 8) throw parameterListLengthError();
  const data = dataOut(ctx, length);
  const descriptorBytes = u16(data, 2);
  if (8 + descriptorBytes > length || descriptorBytes % 16 !== 0) throw parameterListLengthError();
  const count = descriptorBytes / 16;
  if (count > 256) throw invalidParameterField(2);
  const extents: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    const off = 8 + i * 16;
    const lba = u64(data, off);
    const n = u32(data, off + 8);
    if (lba + BigInt(n) > BigInt(lu.state.capacity)) throw lbaOutOfRange(lba);
    extents.push([Number(lba), n]);
  }
  if (lu.state.writeProtected) throw writeProtected();
  for (const [lba, n] of extents) if (n > 0) lu.state.store.deallocate(lba, n);
  return 0;
}

function synchronizeCache(lu: LogicalUnit, ctx: CommandContext): number {
  const layout = ctx.cdb[0] === 0x91 ? L16 : L10;
  const lba = layout.lba(ctx.cdb);
  const blocks = layout.blocks(ctx.cdb);
  // 0 blocks: from LBA to the end of the medium.
  if (lba > BigInt(lu.state.capacity) || (blocks > 0 && lba + BigInt(blocks) > BigInt(lu.state.capacity))) {
    throw lbaOutOfRange(lba);
  }
  lu.state.store.flush();
  return 0;
}

function compareAndWrite(lu: LogicalUnit, ctx: CommandContext): number {
  const cdb = ctx.cdb;
  checkNoProtection(cdb);
  const blocks = cdb[13] ?? 0;
  const lba = checkRange(lu, u64(cdb, 2), blocks);
  if (blocks === 0) return 0;
  if (lu.state.writeProtected) throw writeProtected();
  const bytes = blocks * lu.state.blockLength;
  const data = dataOut(ctx, bytes * 2);
  lu.zones?.checkWrite(lba, blocks);
  const medium = new Uint8Array(bytes);
  lu.state.store.read(lba, medium);
  const at = firstDifference(medium, data.subarray(0, bytes));
  if (at >= 0) throw miscompare(at);
  writeBlocks(lu, lba, data.subarray(bytes), ((cdb[1] ?? 0) & 0x08) !== 0);
  return 0;
}

function readCapacity10(lu: LogicalUnit, ctx: CommandContext): number {
  const pmi = ((ctx.cdb[8] ?? 0) & 1) === 1;
  if (!pmi && u32(ctx.cdb, 2) !== 0) throw invalidCdbField(2);
  const out = new Uint8Array(8);
  putU32(out, 0, Math.min(lu.state.capacity - 1, 0xffffffff));
  putU32(out, 4, lu.state.blockLength);
  return respond(ctx, out, 8);
}

function readCapacity16(lu: LogicalUnit, ctx: CommandContext): number {
  const alloc = u32(ctx.cdb, 10);
  const o = lu.state.options;
  const out = new Uint8Array(32);
  putU64(out, 0, BigInt(lu.state.capacity - 1));
  putU32(out, 8, lu.state.blockLength);
  if (lu.zones !== undefined) out[12] = 0x10; // RC BASIS 01b: the returned LBA is the medium's last
  out[13] = o.physicalBlockExponent & 0x0f;
  if (o.thin !== undefined) out[14] = 0x80 | (o.thin.lbprz ? 0x40 : 0); // LBPME, LBPRZ
  return respond(ctx, out, alloc);
}

function getLbaStatus(lu: LogicalUnit, ctx: CommandContext): number {
  const start = u64(ctx.cdb, 2);
  const alloc = u32(ctx.cdb, 10);
  const capacity = lu.state.capacity;
  if (start >= BigInt(capacity)) throw lbaOutOfRange(start);
  const max = Math.max(1, Math.min(64, Math.floor((alloc - 8) / 16)));
  const descriptors: Uint8Array[] = [];
  let lba = Number(start);
  const thin = lu.state.options.thin !== undefined;
  while (lba < capacity && descriptors.length < max) {
    const limit = Math.min(capacity - lba, 0xffffffff);
    const run = thin ? lu.state.store.run(lba, limit) : { mapped: true, blocks: limit };
    const d = new Uint8Array(16);
    putU64(d, 0, BigInt(lba));
    putU32(d, 8, run.blocks);
    d[12] = run.mapped ? 0x00 : 0x01; // mapped / deallocated
    descriptors.push(d);
    lba += run.blocks;
  }
  const out = new Uint8Array(8 + descriptors.length * 16);
  putU32(out, 0, 4 + descriptors.length * 16);
  for (const [i, d] of descriptors.entries()) out.set(d, 8 + i * 16);
  return respond(ctx, out, alloc);
}

const io = { medium: true, timeouts: [1, 30] } as const;

/** The SBC command set for these options (UNMAP only with thin provisioning). */
export function sbcCommands(o: ResolvedOptions): CommandDef[] {
  const defs: CommandDef[] = [
    { ...registered(0x08), ...io, run: read },
    { ...registered(0x0a), ...io, run: write },
    {
      ...registered(0x25),
      medium: true,
      reserved: { 1: 0xff, 6: 0xff, 7: 0xff, 8: 0xfe },
      run: readCapacity10,
    },
    { ...registered(0x28), ...io, run: read },
    { ...registered(0x2a), ...io, run: write },
    { ...registered(0x2f), ...io, run: verify },
    { ...registered(0x35), ...io, reserved: { 1: 0xf8 }, run: synchronizeCache },
    { ...registered(0x41), ...io, run: writeSame },
    { ...registered(0x88), ...io, run: read },
    { ...registered(0x89), ...io, run: compareAndWrite },
    { ...registered(0x8a), ...io, run: write },
    { ...registered(0x8f), ...io, run: verify },
    { ...registered(0x91), ...io, reserved: { 1: 0xf8 }, run: synchronizeCache },
    { ...registered(0x93), ...io, run: writeSame },
    { ...registered(0x9e, 0x10), medium: true, run: readCapacity16 },
    { ...registered(0x9e, 0x12), ...io, run: getLbaStatus },
    { ...registered(0xa8), ...io, run: read },
    { ...registered(0xaa), ...io, run: write },
    { ...registered(0xaf), ...io, run: verify },
  ];
  if (o.thin !== undefined) defs.push({ ...registered(0x42), ...io, run: unmap });
  return defs;
}

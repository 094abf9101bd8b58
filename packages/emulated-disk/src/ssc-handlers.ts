/**
 * The emulated tape drive's SSC-5 commands: a medium of records (blocks) and filemarks with an end
 * of data after the last one, a position counted in logical objects (blocks and filemarks both
 * count, as READ POSITION and LOCATE count them), fixed and variable block mode chosen by the mode
 * block descriptor's BLOCK LENGTH, the early warning near the end of the medium, and load/unload.
 * Short transfers and moves end in CHECK CONDITION with the stream bits (FILEMARK, EOM, ILI) and the
 * residue in INFORMATION, as SSC-5 4.2 and the Linux 7.3 scsi_debug tape answer them.
 */
import { putU16, putU24, putU32, putU64, SENSE_KEY } from '@scsikit/cdb';
import {
  type CommandContext,
  type CommandDef,
  dataOut,
  type LogicalUnit,
  registered,
  respond,
  u16,
  u24,
  u32,
  u64,
} from './commands.js';
import {
  CheckCondition,
  invalidCdbField,
  invalidParameterField,
  parameterListLengthError,
  type SenseSpec,
} from './sense.js';

const TAPE = 0x01;
const FILEMARK_BIT = 0x80;
const EOM_BIT = 0x40;
const ILI_BIT = 0x20;

/** One logical object on the medium. */
export type TapeObject =
  | { readonly kind: 'block'; readonly data: Uint8Array }
  | { readonly kind: 'filemark' };

export interface TapeModel {
  /** Bytes the medium holds; a write past it is VOLUME OVERFLOW. */
  readonly capacityBytes: number;
  /** Bytes before the end where writes start to report the early warning (EOM). */
  readonly earlyWarningBytes: number;
  readonly minBlockLength: number;
  readonly maxBlockLength: number;
  /** Density code the block descriptor reports. */
  readonly densityCode: number;
}

/** The drive and its medium. */
export class TapeState {
  readonly model: TapeModel;
  /** Blocks and filemarks from the beginning of the partition; end of data follows the last. */
  objects: TapeObject[] = [];
  /** The next object to read or write (0 = beginning of partition). */
  position = 0;
  loaded = true;
  /** The block descriptor's BLOCK LENGTH: 0 variable mode, else fixed mode of that size. */
  blockLength = 0;
  writeProtected = false;
  /** Data Compression page DCE / DDE. */
  compress = false;
  decompress = true;
  /** Active TapeAlert flags (1-64); LOG SENSE 2Eh reads and clears them, as SSC's default does. */
  readonly tapeAlerts = new Set<number>();

  constructor(model: TapeModel) {
    this.model = model;
  }

  /** Bytes recorded before `index` (filemarks count as no bytes). */
  bytesBefore(index: number): number {
    let n = 0;
    for (let i = 0; i < index && i < this.objects.length; i++) {
      const o = this.objects[i] as TapeObject;
      if (o.kind === 'block') n += o.data.length;
    }
    return n;
  }

  /** Truncates the medium at the position (writing destroys everything after it) and appends. */
  append(o: TapeObject): void {
    this.objects.length = this.position;
    this.objects.push(o);
    this.position++;
  }

  get atEndOfData(): boolean {
    return this.position >= this.objects.length;
  }
}

const notLoaded = (): CheckCondition =>
  new CheckCondition({ key: SENSE_KEY.NOT_READY, asc: 0x3a, ascq: 0x00 });

/** BLANK CHECK, END-OF-DATA DETECTED (00h/05h) with the residue. */
const endOfData = (residue: number, dataLength = 0): CheckCondition =>
  new CheckCondition({ key: SENSE_KEY.BLANK_CHECK, asc: 0x00, ascq: 0x05, information: residue }, dataLength);

/** NO SENSE with stream bits and the residue: FILEMARK DETECTED (00h/01h), or 00h/00h for ILI alone. */
const stopped = (
  stream: number,
  residue: number,
  dataLength: number,
  asc = 0x00,
  ascq = 0x00,
): CheckCondition => {
  const sense: SenseSpec = { key: SENSE_KEY.NO_SENSE, asc, ascq, information: residue, stream };
  return new CheckCondition(sense, dataLength);
};

function checkLoaded(t: TapeState): void {
  if (!t.loaded) throw notLoaded();
}

function checkWritable(t: TapeState): void {
  if (t.writeProtected) throw new CheckCondition({ key: SENSE_KEY.DATA_PROTECT, asc: 0x27, ascq: 0x00 });
}

// ---------------------------------------------------------------------------------------------
// READ(6) / WRITE(6)

function tapeRead(t: TapeState, ctx: CommandContext): number {
  checkLoaded(t);
  const cdb = ctx.cdb;
  const fixed = ((cdb[1] ?? 0) & 0x01) !== 0;
  const sili = ((cdb[1] ?? 0) & 0x02) !== 0;
  const length = u24(cdb, 2);
  if (fixed && sili) throw invalidCdbField(1, 1);
  if (fixed && t.blockLength === 0) throw invalidCdbField(1, 0);
  if (!fixed && t.blockLength !== 0) throw invalidCdbField(1, 0);
  if (length === 0) return 0;
  if (!fixed) {
    const o = t.objects[t.position];
    if (o === undefined) throw endOfData(length);
    t.position++;
    if (o.kind === 'filemark') throw stopped(FILEMARK_BIT, length, 0, 0x00, 0x01);
    const n = respond(ctx, o.data, length);
    const residue = length - o.data.length;
    if (residue === 0 || (residue > 0 && sili)) return n;
    throw stopped(ILI_BIT, residue, n);
  }
  let placed = 0;
  for (let i = 0; i < length; i++) {
    const o = t.objects[t.position];
    if (o === undefined) throw endOfData(length - i, placed);
    t.position++;
    if (o.kind === 'filemark') throw stopped(FILEMARK_BIT, length - i, placed, 0x00, 0x01);
    if (o.data.length !== t.blockLength) {
      // A block of another length in fixed mode: ILI, the position after it (SSC-5 4.2.23).
      throw stopped(ILI_BIT, length - i, placed);
    }
    ctx.dataIn.set(o.data, placed);
    placed += o.data.length;
  }
  return placed;
}

/** Room before the end and the early warning, after truncating the medium at the position. */
function room(t: TapeState): { left: number; warning: boolean } {
  const used = t.bytesBefore(t.position);
  return {
    left: t.model.capacityBytes - used,
    warning: used >= t.model.capacityBytes - t.model.earlyWarningBytes,
  };
}

function tapeWrite(t: TapeState, ctx: CommandContext): number {
  checkLoaded(t);
  checkWritable(t);
  const cdb = ctx.cdb;
  const fixed = ((cdb[1] ?? 0) & 0x01) !== 0;
  const length = u24(cdb, 2);
  if (fixed && t.blockLength === 0) throw invalidCdbField(1, 0);
  if (!fixed && t.blockLength !== 0) throw invalidCdbField(1, 0);
  if (length === 0) return 0;
  const size = fixed ? t.blockLength : length;
  if (!fixed && (size < t.model.minBlockLength || size > t.model.maxBlockLength)) throw invalidCdbField(2);
  const count = fixed ? length : 1;
  const data = dataOut(ctx, size * count);
  for (let i = 0; i < count; i++) {
    const r = room(t);
    if (r.left < size) {
      // VOLUME OVERFLOW: nothing more fits; the residue counts what was not written.
      t.objects.length = t.position;
      throw new CheckCondition({
        key: SENSE_KEY.VOLUME_OVERFLOW,
        asc: 0x00,
        ascq: 0x02,
        information: fixed ? count - i : length,
        stream: EOM_BIT,
      });
    }
    t.append({ kind: 'block', data: data.slice(i * size, (i + 1) * size) });
  }
  // Past the early warning: the data is written; NO SENSE, EOM, END-OF-PARTITION/MEDIUM DETECTED.
  if (room(t).warning) throw stopped(EOM_BIT, 0, 0, 0x00, 0x02);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Positioning, filemarks, erase, load

function writeFilemarks(t: TapeState, count: number): number {
  checkLoaded(t);
  checkWritable(t);
  if (count === 0) return 0;
  for (let i = 0; i < count; i++) t.append({ kind: 'filemark' });
  // Filemarks take no room in this model, but writing at the early warning still reports it.
  if (room(t).warning) throw stopped(EOM_BIT, 0, 0, 0x00, 0x02);
  return 0;
}

/** Signed SPACE count from `bytes` big-endian bytes. */
function signed(cdb: Uint8Array, offset: number, bytes: number): number {
  let v = 0n;
  for (let i = 0; i < bytes; i++) v = (v << 8n) | BigInt(cdb[offset + i] ?? 0);
  const bits = BigInt(bytes * 8);
  if (v >= 1n << (bits - 1n)) v -= 1n << bits;
  return Number(v);
}

function space(t: TapeState, code: number, count: number): number {
  checkLoaded(t);
  if (code === 3) {
    t.position = t.objects.length;
    return 0;
  }
  if (code > 3) throw invalidCdbField(1, 3);
  if (count === 0) return 0;
  const forward = count > 0;
  let left = Math.abs(count);
  // Blocks: stop at a filemark (position past it, in the direction of travel). Filemarks: count
  // them, skipping blocks. Sequential filemarks: `count` filemarks in a row.
  let run = 0;
  while (left > 0) {
    if (forward && t.position >= t.objects.length) throw endOfData(left);
    if (!forward && t.position === 0) {
      // Beginning of partition: NO SENSE, EOM, 00h/04h.
      throw stopped(EOM_BIT, left, 0, 0x00, 0x04);
    }
    const o = (forward ? t.objects[t.position] : t.objects[t.position - 1]) as TapeObject;
    t.position += forward ? 1 : -1;
    if (code === 0) {
      if (o.kind === 'filemark') throw stopped(FILEMARK_BIT, left, 0, 0x00, 0x01);
      left--;
    } else if (code === 1) {
      if (o.kind === 'filemark') left--;
    } else {
      run = o.kind === 'filemark' ? run + 1 : 0;
      if (run === Math.abs(count)) left = 0;
    }
  }
  return 0;
}

/** One partition (0): CP with another partition number is INVALID FIELD IN CDB at `partitionByte`. */
function locate(t: TapeState, address: number, partition: number | undefined, partitionByte = 8): number {
  checkLoaded(t);
  if (partition !== undefined && partition !== 0) throw invalidCdbField(partitionByte);
  if (address > t.objects.length) {
    t.position = t.objects.length;
    throw endOfData(0);
  }
  t.position = address;
  return 0;
}

function readPosition(t: TapeState, ctx: CommandContext): number {
  checkLoaded(t);
  const sa = (ctx.cdb[1] ?? 0) & 0x1f;
  const alloc = u16(ctx.cdb, 7);
  const bop = t.position === 0 ? 0x80 : 0;
  const eop = room(t).warning && t.atEndOfData ? 0x40 : 0;
  if (sa === 0x00 || sa === 0x01) {
    if (alloc !== 0) throw invalidCdbField(7);
    const b = new Uint8Array(20);
    // Nothing is ever buffered: LOCU/BYCU 0 and the buffer counts 0.
    b[0] = bop | eop;
    putU32(b, 4, t.position);
    putU32(b, 8, t.position);
    return respond(ctx, b, 20);
  }
  if (sa === 0x06) {
    if (alloc !== 0) throw invalidCdbField(7);
    const b = new Uint8Array(32);
    b[0] = bop | eop;
    putU64(b, 8, BigInt(t.position));
    let files = 0;
    for (let i = 0; i < t.position; i++) if ((t.objects[i] as TapeObject).kind === 'filemark') files++;
    putU64(b, 16, BigInt(files));
    return respond(ctx, b, 32);
  }
  // Extended form (08h): ADDITIONAL LENGTH 1Ch, the 64-bit locations.
  const b = new Uint8Array(32);
  b[0] = bop | eop;
  putU16(b, 2, 0x1c);
  putU64(b, 8, BigInt(t.position));
  putU64(b, 16, BigInt(t.position));
  return respond(ctx, b, alloc);
}

function readBlockLimits(t: TapeState, ctx: CommandContext): number {
  if (((ctx.cdb[1] ?? 0) & 0x01) !== 0) {
    const b = new Uint8Array(20);
    putU64(b, 12, 0xffff_ffffn);
    return respond(ctx, b, 20);
  }
  const b = new Uint8Array(6);
  putU24(b, 1, t.model.maxBlockLength);
  putU16(b, 4, t.model.minBlockLength);
  return respond(ctx, b, 6);
}

/** One density descriptor (52 bytes): the drive's single density, writable, the default. */
function reportDensitySupport(t: TapeState, ctx: CommandContext): number {
  const mediumType = ((ctx.cdb[1] ?? 0) & 0x02) !== 0;
  const alloc = u16(ctx.cdb, 7);
  const ascii = (b: Uint8Array, o: number, n: number, s: string) => {
    for (let i = 0; i < n; i++) b[o + i] = i < s.length ? s.charCodeAt(i) : 0x20;
  };
  let d: Uint8Array;
  if (mediumType) {
    d = new Uint8Array(56);
    d[0] = 0x00;
    putU16(d, 2, 52);
    d[4] = 1;
    d[5] = t.model.densityCode;
    putU16(d, 14, 127);
    putU16(d, 16, 1000);
    ascii(d, 20, 8, 'SCSIKIT');
    ascii(d, 28, 8, 'EMUTAPE');
    ascii(d, 36, 20, 'emulated tape medium');
  } else {
    d = new Uint8Array(52);
    d[0] = t.model.densityCode;
    d[1] = t.model.densityCode;
    d[2] = 0x80 | 0x20 | 0x01; // WRTOK, DEFLT, DLV
    putU16(d, 3, 0x0030);
    putU24(d, 5, 20000);
    putU16(d, 8, 127);
    putU16(d, 10, 4);
    putU32(d, 12, Math.floor(t.model.capacityBytes / 1_000_000));
    ascii(d, 16, 8, 'SCSIKIT');
    ascii(d, 24, 8, 'EMU');
    ascii(d, 32, 20, 'emulated density');
  }
  const out = new Uint8Array(4 + d.length);
  putU16(out, 0, 2 + d.length);
  out.set(d, 4);
  return respond(ctx, out, alloc);
}

// ---------------------------------------------------------------------------------------------
// MODE SENSE / MODE SELECT: the block descriptor, 0Fh and 10h

function compressionPage(t: TapeState, changeable: boolean): Uint8Array {
  const p = new Uint8Array(16);
  p[0] = 0x0f;
  p[1] = 0x0e;
  if (changeable) {
    p[2] = 0x80;
    p[3] = 0x80;
    return p;
  }
  p[2] = (t.compress ? 0x80 : 0) | 0x40; // DCE, DCC (the drive can compress)
  p[3] = t.decompress ? 0x80 : 0;
  putU32(p, 4, 0x01); // ALDC
  putU32(p, 8, 0x01);
  return p;
}

function configurationPage(t: TapeState, changeable: boolean): Uint8Array {
  const p = new Uint8Array(16);
  p[0] = 0x10;
  p[1] = 0x0e;
  if (changeable) return p;
  p[8] = 0x40; // LOIS: logical object identifiers supported
  p[10] = 0x10 | (t.writeProtected ? 0x04 : 0); // EEG, SWP
  p[14] = t.compress ? 0x01 : 0x00;
  return p;
}

function tapeModeSense(t: TapeState, ctx: CommandContext, ten: boolean): number {
  const cdb = ctx.cdb;
  const dbd = ((cdb[1] ?? 0) & 0x08) !== 0;
  const pc = (cdb[2] ?? 0) >> 6;
  const code = (cdb[2] ?? 0) & 0x3f;
  const alloc = ten ? u16(cdb, 7) : (cdb[4] ?? 0);
  if ((cdb[3] ?? 0) !== 0) throw invalidCdbField(3);
  if (pc === 3) throw new CheckCondition({ key: SENSE_KEY.ILLEGAL_REQUEST, asc: 0x39, ascq: 0x00 });
  const changeable = pc === 1;
  const pages: Uint8Array[] = [];
  if (code === 0x0f || code === 0x3f) pages.push(compressionPage(t, changeable));
  if (code === 0x10 || code === 0x3f) pages.push(configurationPage(t, changeable));
  if (pages.length === 0 && code !== 0x00) throw invalidCdbField(2, 5);
  const bd = new Uint8Array(dbd ? 0 : 8);
  if (!dbd) {
    bd[0] = changeable ? 0xff : t.model.densityCode;
    putU24(bd, 5, changeable ? 0xff_ffff : t.blockLength);
  }
  // DEVICE-SPECIFIC PARAMETER: WP bit 7, BUFFERED MODE 1 (bits 6-4).
  const dsp = (t.writeProtected ? 0x80 : 0) | 0x10;
  const body = new Uint8Array(bd.length + pages.reduce((n, p) => n + p.length, 0));
  body.set(bd, 0);
  let off = bd.length;
  for (const p of pages) {
    body.set(p, off);
    off += p.length;
  }
  let header: Uint8Array;
  if (ten) {
    header = new Uint8Array(8);
    putU16(header, 0, 6 + body.length);
    header[3] = dsp;
    putU16(header, 6, bd.length);
  } else {
    header = new Uint8Array(4);
    header[0] = 3 + body.length;
    header[2] = dsp;
    header[3] = bd.length;
  }
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return respond(ctx, out, alloc);
}

function tapeModeSelect(t: TapeState, ctx: CommandContext, ten: boolean): number {
  const cdb = ctx.cdb;
  const length = ten ? u16(cdb, 7) : (cdb[4] ?? 0);
  if (length === 0) return 0;
  const data = dataOut(ctx, length);
  const headerLength = ten ? 8 : 4;
  if (length < headerLength) throw parameterListLengthError();
  const bdLength = ten ? u16(data, 6) : (data[3] ?? 0);
  if (bdLength !== 0 && bdLength !== 8) throw invalidParameterField(ten ? 6 : 3);
  if (headerLength + bdLength > length) throw parameterListLengthError();
  let blockLength = t.blockLength;
  if (bdLength === 8) {
    const bd = data.subarray(headerLength, headerLength + 8);
    const density = bd[0] ?? 0;
    if (density !== 0 && density !== t.model.densityCode && density !== 0x7f) {
      throw invalidParameterField(headerLength);
    }
    blockLength = u24(bd, 5);
    if (blockLength !== 0 && (blockLength < t.model.minBlockLength || blockLength > t.model.maxBlockLength)) {
      throw invalidParameterField(headerLength + 5);
    }
  }
  let off = headerLength + bdLength;
  let compress = t.compress;
  let decompress = t.decompress;
  while (off < length) {
    const code = (data[off] ?? 0) & 0x3f;
    const len = (data[off + 1] ?? 0) + 2;
    if (off + len > length) throw parameterListLengthError();
    if (code === 0x0f && len === 16) {
      compress = ((data[off + 2] ?? 0) & 0x80) !== 0;
      decompress = ((data[off + 3] ?? 0) & 0x80) !== 0;
    } else if (code !== 0x10 || len !== 16) {
      throw invalidParameterField(off);
    }
    off += len;
  }
  t.blockLength = blockLength;
  t.compress = compress;
  t.decompress = decompress;
  return 0;
}

/** LOG SENSE: supported pages (00h) and TapeAlert (2Eh), whose flags a read clears. */
function tapeLogSense(t: TapeState, ctx: CommandContext): number {
  const cdb = ctx.cdb;
  const page = (cdb[2] ?? 0) & 0x3f;
  const alloc = u16(cdb, 7);
  if ((cdb[3] ?? 0) !== 0) throw invalidCdbField(3);
  let body: Uint8Array;
  if (page === 0x00) {
    body = Uint8Array.from([0x00, 0x2e]);
  } else if (page === 0x2e) {
    body = new Uint8Array(64 * 5);
    for (let f = 1; f <= 64; f++) {
      const o = (f - 1) * 5;
      putU16(body, o, f);
      body[o + 2] = 0x03; // binary format and linking, like real drives
      body[o + 3] = 1;
      body[o + 4] = t.tapeAlerts.has(f) ? 1 : 0;
    }
    t.tapeAlerts.clear();
  } else {
    throw invalidCdbField(2, 5);
  }
  const out = new Uint8Array(4 + body.length);
  out[0] = page;
  putU16(out, 2, body.length);
  out.set(body, 4);
  return respond(ctx, out, alloc);
}

/** The SSC command table over one TapeState (closures: the tape is not in LogicalUnit). */
export function sscCommands(t: TapeState): CommandDef[] {
  const medium = { medium: false } as const;
  const rp = (sa: number): CommandDef => ({
    ...registered(0x34, sa, TAPE),
    ...medium,
    reserved: { 2: 0xff, 3: 0xff, 4: 0xff, 5: 0xff, 6: 0xff },
    run: (_lu: LogicalUnit, c) => readPosition(t, c),
  });
  return [
    // TEST UNIT READY: MEDIUM NOT PRESENT when unloaded (3Ah), as a drive without a cartridge.
    {
      ...registered(0x00, undefined, TAPE),
      ...medium,
      reserved: { 1: 0xff, 2: 0xff, 3: 0xff, 4: 0xff },
      run: () => {
        checkLoaded(t);
        return 0;
      },
    },
    {
      ...registered(0x01, undefined, TAPE),
      ...medium,
      reserved: { 1: 0xfe, 2: 0xff, 3: 0xff, 4: 0xff },
      run: () => {
        checkLoaded(t);
        t.position = 0;
        return 0;
      },
    },
    {
      ...registered(0x05, undefined, TAPE),
      ...medium,
      reserved: { 1: 0xfe, 2: 0xff, 3: 0xff, 4: 0xff },
      run: (_l, c) => readBlockLimits(t, c),
    },
    {
      ...registered(0x08, undefined, TAPE),
      ...medium,
      reserved: { 1: 0xfc },
      run: (_l, c) => tapeRead(t, c),
    },
    {
      ...registered(0x0a, undefined, TAPE),
      ...medium,
      reserved: { 1: 0xfe },
      run: (_l, c) => tapeWrite(t, c),
    },
    {
      ...registered(0x10, undefined, TAPE),
      ...medium,
      reserved: { 1: 0xfe },
      run: (_l, c) => writeFilemarks(t, u24(c.cdb, 2)),
    },
    {
      ...registered(0x11, undefined, TAPE),
      ...medium,
      reserved: { 1: 0xf0 },
      run: (_l, c) => space(t, (c.cdb[1] ?? 0) & 0x0f, signed(c.cdb, 2, 3)),
    },
    { ...registered(0x15, undefined, TAPE), ...medium, run: (_l, c) => tapeModeSelect(t, c, false) },
    {
      ...registered(0x19, undefined, TAPE),
      ...medium,
      reserved: { 1: 0xfc, 2: 0xff, 3: 0xff, 4: 0xff },
      run: () => {
        checkLoaded(t);
        checkWritable(t);
        t.objects.length = t.position;
        return 0;
      },
    },
    { ...registered(0x1a, undefined, TAPE), ...medium, run: (_l, c) => tapeModeSense(t, c, false) },
    {
      ...registered(0x1b, undefined, TAPE),
      ...medium,
      reserved: { 1: 0xfe, 2: 0xff, 3: 0xff, 4: 0xf0 },
      run: (_l, c) => {
        // LOAD UNLOAD: unloading rewinds first; loading puts the tape at the beginning.
        t.position = 0;
        t.loaded = ((c.cdb[4] ?? 0) & 0x01) !== 0;
        return 0;
      },
    },
    {
      ...registered(0x2b, undefined, TAPE),
      ...medium,
      reserved: { 1: 0xf8, 2: 0xff, 7: 0xff },
      run: (_l, c) => {
        if (((c.cdb[1] ?? 0) & 0x04) !== 0) throw invalidCdbField(1, 2); // BT: no vendor block addresses
        const cp = ((c.cdb[1] ?? 0) & 0x02) !== 0;
        return locate(t, u32(c.cdb, 3), cp ? (c.cdb[8] ?? 0) : undefined);
      },
    },
    rp(0x00),
    rp(0x01),
    rp(0x06),
    rp(0x08),
    {
      ...registered(0x44, undefined, TAPE),
      ...medium,
      reserved: { 1: 0xfc },
      run: (_l, c) => reportDensitySupport(t, c),
    },
    { ...registered(0x4d, undefined, TAPE), ...medium, run: (_l, c) => tapeLogSense(t, c) },
    { ...registered(0x55, undefined, TAPE), ...medium, run: (_l, c) => tapeModeSelect(t, c, true) },
    { ...registered(0x5a, undefined, TAPE), ...medium, run: (_l, c) => tapeModeSense(t, c, true) },
    {
      ...registered(0x80, undefined, TAPE),
      ...medium,
      reserved: { 1: 0xf2 },
      run: (_l, c) => {
        // WRITE FILEMARKS(16) names where it writes: it must be the current position.
        if ((c.cdb[3] ?? 0) !== 0) throw invalidCdbField(3);
        if (u64(c.cdb, 4) !== BigInt(t.position)) throw invalidCdbField(4);
        return writeFilemarks(t, u24(c.cdb, 12));
      },
    },
    {
      ...registered(0x91, undefined, TAPE),
      ...medium,
      reserved: { 1: 0xf0, 2: 0xff, 3: 0xff, 12: 0xff, 13: 0xff },
      run: (_l, c) => space(t, (c.cdb[1] ?? 0) & 0x0f, signed(c.cdb, 4, 8)),
    },
    {
      ...registered(0x92, undefined, TAPE),
      ...medium,
      reserved: { 1: 0xc4 },
      run: (_l, c) => {
        const dest = ((c.cdb[1] ?? 0) >> 3) & 0x07;
        const cp = ((c.cdb[1] ?? 0) & 0x02) !== 0;
        const big = u64(c.cdb, 4);
        const id = big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
        if (dest === 3) return locate(t, t.objects.length, undefined);
        if (dest === 1) {
          // The beginning of file `id`: after the id-th filemark.
          checkLoaded(t);
          let files = 0;
          for (let i = 0; i < t.objects.length && files < id; i++) {
            if ((t.objects[i] as TapeObject).kind === 'filemark') files++;
            if (files === id) return locate(t, i + 1, cp ? (c.cdb[3] ?? 0) : undefined, 3);
          }
          if (id === 0) return locate(t, 0, undefined);
          return locate(t, t.objects.length + 1, undefined);
        }
        if (dest !== 0) throw invalidCdbField(1, 5);
        return locate(t, id, cp ? (c.cdb[3] ?? 0) : undefined, 3);
      },
    },
  ];
}

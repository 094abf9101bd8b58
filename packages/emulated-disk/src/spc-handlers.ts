/**
 * SPC commands every logical unit answers: TEST UNIT READY, REQUEST SENSE, INQUIRY (standard and
 * VPD), MODE SENSE/SELECT (6 and 10), LOG SENSE, REPORT LUNS, REPORT SUPPORTED OPERATION CODES,
 * START STOP UNIT and SEND DIAGNOSTIC (self-tests, for the self-test results log).
 */
import { encodeLun, putU16, putU32, putU64, SENSE_KEY } from '@scsikit/cdb';
import {
  type CommandContext,
  type CommandDef,
  dataOut,
  type LogicalUnit,
  registered,
  respond,
  u16,
  u32,
} from './commands.js';
import { MODE_PAGE_CODES, type ModePageSet } from './disk-model.js';
import { extendedInquiryMicrocode } from './firmware-handlers.js';
import { HEALTH_LOG_PAGES, healthLogParameters, pendingInformationalException } from './health-handlers.js';
import {
  buildSense,
  invalidCdbField,
  invalidParameterField,
  NO_SENSE,
  parameterListLengthError,
} from './sense.js';

const ascii = (text: string, length: number): Uint8Array =>
  new TextEncoder().encode(text.padEnd(length, ' ').slice(0, length));

// ---------------------------------------------------------------------------------------------
// INQUIRY

/** Version descriptors: SAM-5, SPC-5, SBC-4, and ZBC for a zoned disk (SAM-5, SPC-5 for another type). */
function versionDescriptors(lu: LogicalUnit): number[] {
  if (lu.state.pdt !== 0x00 && lu.state.pdt !== 0x14) return [0x00a0, 0x05c0]; // no SBC on a changer or an enclosure
  return lu.zones === undefined ? [0x00a0, 0x05c0, 0x0600] : [0x00a0, 0x05c0, 0x0600, 0x0620];
}

function standardInquiry(lu: LogicalUnit): Uint8Array {
  const o = lu.state.options;
  const b = new Uint8Array(96);
  b[0] = lu.state.pdt;
  b[2] = 0x07; // SPC-5
  b[3] = 0x12; // HISUP, response data format 2
  b[4] = b.length - 5;
  b[6] = lu.state.connections.size > 1 ? 0x10 : 0x00; // MULTIP once several initiators exist
  b[7] = 0x02; // CMDQUE
  b.set(ascii(o.vendor, 8), 8);
  b.set(ascii(o.product, 16), 16);
  b.set(ascii(o.revision, 4), 32);
  for (const [i, v] of versionDescriptors(lu).entries()) putU16(b, 58 + i * 2, v);
  return b;
}

function vpdPage(lu: LogicalUnit, code: number, body: Uint8Array): Uint8Array {
  const b = new Uint8Array(4 + body.length);
  b[0] = lu.state.pdt;
  b[1] = code;
  putU16(b, 2, body.length);
  b.set(body, 4);
  return b;
}

export function supportedVpdPages(lu: LogicalUnit): number[] {
  // A changer or an enclosure has no block device pages (B0h-B2h).
  if (lu.state.pdt !== 0x00 && lu.state.pdt !== 0x14) return [0x00, 0x80, 0x83, 0x86];
  const pages = [0x00, 0x80, 0x83, 0x86, 0xb0, 0xb1, 0xb2];
  if (lu.zones !== undefined) pages.push(0xb6);
  return pages;
}

function designator(codeSet: number, association: number, type: number, value: Uint8Array): Uint8Array {
  const d = new Uint8Array(4 + value.length);
  d[0] = codeSet; // protocol identifier 0
  d[1] = (association << 4) | type | (association === 1 ? 0x80 : 0); // PIV for target-port designators
  d[3] = value.length;
  d.set(value, 4);
  return d;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function vpd(lu: LogicalUnit, code: number): Uint8Array | undefined {
  const s = lu.state;
  const o = s.options;
  switch (code) {
    case 0x00:
      return vpdPage(lu, code, Uint8Array.from(supportedVpdPages(lu)));
    case 0x80:
      return vpdPage(lu, code, new TextEncoder().encode(o.serial));
    case 0x83: {
      const t10 = new TextEncoder().encode(
        `${o.vendor.padEnd(8, ' ')}${o.product.padEnd(16, ' ')}${o.serial}`,
      );
      const port = new Uint8Array(4);
      putU32(port, 0, 1);
      return vpdPage(
        lu,
        code,
        concat([
          designator(0x01, 0, 0x3, o.wwn), // NAA, binary, logical unit
          designator(0x02, 0, 0x1, t10), // T10 vendor ID, ASCII, logical unit
          designator(0x01, 1, 0x4, port), // relative target port 1, target port (PIV, protocol 0)
        ]),
      );
    }
    case 0x86: {
      const body = new Uint8Array(0x3c);
      body[1] = 0x07; // HEADSUP, ORDSUP, SIMPSUP
      body[2] = 0x01; // V_SUP (volatile cache)
      if (o.microcode !== undefined) extendedInquiryMicrocode(o.microcode, body);
      return vpdPage(lu, code, body);
    }
    case 0xb0: {
      const body = new Uint8Array(0x3c);
      body[0] = 0x01; // WSNZ: WRITE SAME with 0 blocks is refused
      body[1] = 0xff; // MAXIMUM COMPARE AND WRITE LENGTH
      const physical = 2 ** o.physicalBlockExponent;
      putU16(body, 2, physical); // OPTIMAL TRANSFER LENGTH GRANULARITY
      const maxBlocks = o.maxTransferBytes / o.blockLength;
      putU32(body, 4, maxBlocks);
      putU32(body, 8, maxBlocks); // OPTIMAL TRANSFER LENGTH
      if (o.thin !== undefined) {
        putU32(body, 16, 0xffffffff); // MAXIMUM UNMAP LBA COUNT
        putU32(body, 20, 256); // MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT
        putU32(body, 24, physical); // OPTIMAL UNMAP GRANULARITY
        putU32(body, 28, 0x80000000); // UGAVALID, alignment 0
      }
      putU64(body, 32, BigInt(maxBlocks)); // MAXIMUM WRITE SAME LENGTH
      return vpdPage(lu, code, body);
    }
    case 0xb1: {
      const body = new Uint8Array(0x3c);
      putU16(body, 0, 1); // non-rotating medium
      return vpdPage(lu, code, body);
    }
    case 0xb2: {
      const body = new Uint8Array(4);
      if (o.thin !== undefined) {
        body[1] = 0x80 | 0x40 | 0x20 | (o.thin.lbprz ? 0x04 : 0); // LBPU, LBPWS, LBPWS10, LBPRZ
        body[2] = 0x02; // thin provisioned
      }
      return vpdPage(lu, code, body);
    }
    case 0xb6:
      return lu.zones?.vpdB6(vpdPage.bind(undefined, lu, code));
    default:
      return undefined;
  }
}

function inquiry(lu: LogicalUnit, ctx: CommandContext): number {
  const cdb = ctx.cdb;
  const evpd = ((cdb[1] ?? 0) & 1) === 1;
  const page = cdb[2] ?? 0;
  const alloc = u16(cdb, 3);
  if (((cdb[1] ?? 0) & 0x02) !== 0) throw invalidCdbField(1, 1); // CMDDT is obsolete
  if (!evpd) {
    if (page !== 0) throw invalidCdbField(2);
    return respond(ctx, standardInquiry(lu), alloc);
  }
  const bytes = supportedVpdPages(lu).includes(page) ? vpd(lu, page) : undefined;
  if (bytes === undefined) throw invalidCdbField(2);
  return respond(ctx, bytes, alloc);
}

// ---------------------------------------------------------------------------------------------
// REQUEST SENSE, TEST UNIT READY, START STOP UNIT, SEND DIAGNOSTIC

function requestSense(lu: LogicalUnit, ctx: CommandContext): number {
  const desc = ((ctx.cdb[1] ?? 0) & 1) === 1;
  const alloc = ctx.cdb[4] ?? 0;
  const pending =
    lu.state.takeUnitAttention(ctx.connection) ??
    (lu.state.stopped
      ? { key: SENSE_KEY.NOT_READY, asc: 0x04, ascq: 0x02 }
      : (pendingInformationalException(lu.state) ?? NO_SENSE));
  return respond(ctx, buildSense(pending, desc), alloc);
}

function startStopUnit(lu: LogicalUnit, ctx: CommandContext): number {
  const b4 = ctx.cdb[4] ?? 0;
  const powerCondition = b4 >> 4;
  // 0 START valid, 1 active, 2 idle, 3 standby, 7 LU control, Ah/Bh force idle/standby.
  if (![0x0, 0x1, 0x2, 0x3, 0x7, 0xa, 0xb].includes(powerCondition)) throw invalidCdbField(4, 7);
  if (powerCondition === 0) lu.state.stopped = (b4 & 1) === 0;
  else if (powerCondition === 1) lu.state.stopped = false;
  return 0;
}

function sendDiagnostic(lu: LogicalUnit, ctx: CommandContext): number {
  const b1 = ctx.cdb[1] ?? 0;
  const code = b1 >> 5;
  const selfTest = (b1 & 0x04) !== 0;
  if (selfTest && code !== 0) throw invalidCdbField(1, 7);
  if (u16(ctx.cdb, 3) !== 0) throw invalidCdbField(3); // no diagnostic pages
  const effective = selfTest ? 1 : code;
  if (effective === 0 || code === 4 || code === 3) return 0;
  const hours = Math.floor((Date.now() - lu.state.createdAt) / 3_600_000);
  lu.state.selfTests.unshift({ code: effective, result: 0, powerOnHours: hours });
  lu.state.selfTests.length = Math.min(lu.state.selfTests.length, 20);
  return 0;
}

// ---------------------------------------------------------------------------------------------
// MODE SENSE / MODE SELECT

/** Pages with PS set when savable (MODE SENSE reports it; MODE SELECT ignores it). */
function pagesFor(set: ModePageSet, code: number, saved: boolean): Uint8Array[] | undefined {
  const codes =
    code === 0x3f ? [...MODE_PAGE_CODES] : MODE_PAGE_CODES.includes(code as 1) ? [code] : undefined;
  if (codes === undefined) return undefined;
  return codes.map((c) => {
    const p = (set.get(c) as Uint8Array).slice();
    if (saved) p[0] = (p[0] as number) | 0x80;
    return p;
  });
}

function modeSense(lu: LogicalUnit, ctx: CommandContext, ten: boolean): number {
  const cdb = ctx.cdb;
  const s = lu.state;
  const dbd = ((cdb[1] ?? 0) & 0x08) !== 0;
  const llbaa = ten && ((cdb[1] ?? 0) & 0x10) !== 0;
  const pc = (cdb[2] ?? 0) >> 6;
  const code = (cdb[2] ?? 0) & 0x3f;
  const subpage = cdb[3] ?? 0;
  const alloc = ten ? u16(cdb, 7) : (cdb[4] ?? 0);
  if (subpage !== 0 && !(subpage === 0xff && code === 0x3f)) throw invalidCdbField(3);
  const set = [s.modeCurrent, s.modeChangeable, s.modeDefaults, s.modeSaved][pc] as ModePageSet;
  const pages = pagesFor(set, code, true);
  if (pages === undefined) throw invalidCdbField(2, 5);
  let bd = new Uint8Array(0);
  if (!dbd) {
    if (llbaa) {
      bd = new Uint8Array(16);
      putU64(bd, 0, BigInt(s.capacity));
      putU32(bd, 12, s.blockLength);
    } else {
      bd = new Uint8Array(8);
      putU32(bd, 0, Math.min(s.capacity, 0xffffffff));
      bd[5] = (s.blockLength >> 16) & 0xff;
      bd[6] = (s.blockLength >> 8) & 0xff;
      bd[7] = s.blockLength & 0xff;
    }
  }
  const dsp = (s.writeProtected ? 0x80 : 0) | 0x10; // WP, DPOFUA
  const body = concat([bd, ...pages]);
  let header: Uint8Array;
  if (ten) {
    header = new Uint8Array(8);
    putU16(header, 0, 6 + body.length);
    header[3] = dsp;
    header[4] = llbaa && !dbd ? 1 : 0;
    putU16(header, 6, bd.length);
  } else {
    header = new Uint8Array(4);
    header[0] = Math.min(0xff, 3 + body.length);
    header[2] = dsp;
    header[3] = bd.length;
  }
  return respond(ctx, concat([header, body]), alloc);
}

function modeSelect(lu: LogicalUnit, ctx: CommandContext, ten: boolean): number {
  const cdb = ctx.cdb;
  const s = lu.state;
  const pf = ((cdb[1] ?? 0) & 0x10) !== 0;
  const sp = ((cdb[1] ?? 0) & 0x01) !== 0;
  const length = ten ? u16(cdb, 7) : (cdb[4] ?? 0);
  if (length === 0) return 0;
  if (!pf) throw invalidCdbField(1, 4);
  const data = dataOut(ctx, length);
  const headerLength = ten ? 8 : 4;
  if (length < headerLength) throw parameterListLengthError();
  const bdLength = ten ? u16(data, 6) : (data[3] ?? 0);
  let off = headerLength;
  if (off + bdLength > length) throw parameterListLengthError();
  if (bdLength !== 0) {
    const long = ten && ((data[4] ?? 0) & 1) === 1;
    const size = long ? 16 : 8;
    if (bdLength % size !== 0) throw invalidParameterField(ten ? 6 : 3);
    const blockLength = long ? u32(data, off + 12) : ((data[off + 5] ?? 0) << 16) | u16(data, off + 6);
    if (blockLength !== s.blockLength) throw invalidParameterField(off + (long ? 12 : 5));
  }
  off += bdLength;
  const updates: Array<[number, Uint8Array]> = [];
  while (off < length) {
    if (off + 2 > length) throw parameterListLengthError();
    const code = (data[off] ?? 0) & 0x3f;
    const spf = ((data[off] ?? 0) & 0x40) !== 0;
    const current = s.modeCurrent.get(code);
    if (spf || current === undefined) throw invalidParameterField(off, 5);
    const pageLength = (data[off + 1] ?? 0) + 2;
    if (pageLength !== current.length) throw invalidParameterField(off + 1);
    if (off + pageLength > length) throw parameterListLengthError();
    const changeable = s.modeChangeable.get(code) as Uint8Array;
    const page = data.slice(off, off + pageLength);
    page[0] = current[0] as number; // PS is reserved in MODE SELECT
    for (let i = 2; i < pageLength; i++) {
      const diff = ((page[i] as number) ^ (current[i] as number)) & ~(changeable[i] as number);
      if (diff !== 0) throw invalidParameterField(off + i, 31 - Math.clz32(diff));
    }
    updates.push([code, page]);
    off += pageLength;
  }
  for (const [code, page] of updates) {
    s.modeCurrent.set(code, page);
    if (sp) s.modeSaved.set(code, page.slice());
  }
  if (updates.length > 0)
    s.addUnitAttentionToOthers(ctx.connection, { key: SENSE_KEY.UNIT_ATTENTION, asc: 0x2a, ascq: 0x01 });
  return 0;
}

// ---------------------------------------------------------------------------------------------
// LOG SENSE

const LOG_PAGES = [0x00, 0x02, 0x03, 0x05, 0x0d, 0x10, ...HEALTH_LOG_PAGES] as const;

function logParameter(code: number, control: number, value: Uint8Array): Uint8Array {
  const p = new Uint8Array(4 + value.length);
  putU16(p, 0, code);
  p[2] = control;
  p[3] = value.length;
  p.set(value, 4);
  return p;
}

function counterValue(v: bigint): Uint8Array {
  const b = new Uint8Array(8);
  putU64(b, 0, v);
  return b;
}

function logParameters(lu: LogicalUnit, page: number, cumulative: boolean): Uint8Array[] {
  const s = lu.state;
  switch (page) {
    case 0x02:
    case 0x03:
    case 0x05: {
      const c = s.counters[page === 0x02 ? 'write' : page === 0x03 ? 'read' : 'verify'];
      const values = [0n, 0n, 0n, 0n, 0n, c.bytesProcessed, c.uncorrected];
      return values.map((v, i) => logParameter(i, 0x02, counterValue(cumulative ? v : 0n)));
    }
    case 0x0d:
      return [
        logParameter(0x0000, 0x03, Uint8Array.of(0, cumulative ? s.temperature : 0xff)),
        logParameter(0x0001, 0x03, Uint8Array.of(0, 65)),
      ];
    case 0x10:
      return Array.from({ length: 20 }, (_, i) => {
        const v = new Uint8Array(16);
        const t = cumulative ? s.selfTests[i] : undefined;
        if (t !== undefined) {
          v[0] = (t.code << 5) | t.result;
          putU16(v, 2, t.powerOnHours);
          putU64(v, 4, 0xffffffffffffffffn);
        }
        return logParameter(i + 1, 0x03, v);
      });
    default:
      return healthLogParameters(s.health, page, cumulative);
  }
}

function logSense(lu: LogicalUnit, ctx: CommandContext): number {
  const cdb = ctx.cdb;
  if (((cdb[1] ?? 0) & 0x01) !== 0) throw invalidCdbField(1, 0); // SP: nothing is saveable
  const pc = (cdb[2] ?? 0) >> 6;
  const page = (cdb[2] ?? 0) & 0x3f;
  const subpage = cdb[3] ?? 0;
  const pointer = u16(cdb, 5);
  const alloc = u16(cdb, 7);
  if (!LOG_PAGES.includes(page as 0)) throw invalidCdbField(2, 5);
  let body: Uint8Array;
  let spf = false;
  if (subpage === 0xff) {
    // Supported pages and subpages: each page with subpage 00h (and 00h/FFh itself).
    spf = true;
    const list: number[] = [];
    for (const p of page === 0 ? LOG_PAGES : [page]) {
      list.push(p, 0x00);
      if (p === 0) list.push(0x00, 0xff);
    }
    body = Uint8Array.from(list);
  } else if (subpage !== 0) {
    throw invalidCdbField(3);
  } else if (page === 0) {
    body = Uint8Array.from(LOG_PAGES);
  } else {
    const cumulative = pc === 1 || pc === 3;
    const params = logParameters(lu, page, pc === 1 ? cumulative : false).filter((p) => u16(p, 0) >= pointer);
    if (pointer > 0 && params.length === 0 && page !== 0) throw invalidCdbField(5);
    body = concat(params);
  }
  const out = new Uint8Array(4 + body.length);
  out[0] = page | (spf ? 0x40 : 0);
  out[1] = spf ? subpage : 0;
  putU16(out, 2, body.length);
  out.set(body, 4);
  return respond(ctx, out, alloc);
}

// ---------------------------------------------------------------------------------------------
// REPORT LUNS, REPORT SUPPORTED OPERATION CODES

function reportLuns(_lu: LogicalUnit, ctx: CommandContext): number {
  const select = ctx.cdb[2] ?? 0;
  const alloc = u32(ctx.cdb, 6);
  if (![0x00, 0x01, 0x02, 0x10, 0x11, 0x12].includes(select)) throw invalidCdbField(2);
  if (alloc < 16) throw invalidCdbField(6);
  const luns = select === 0x01 || select === 0x10 || select === 0x12 ? [] : [encodeLun(0)];
  const out = new Uint8Array(8 + luns.length * 8);
  putU32(out, 0, luns.length * 8);
  for (const [i, l] of luns.entries()) out.set(l, 8 + i * 8);
  return respond(ctx, out, alloc);
}

/**
 * READ MEDIA SERIAL NUMBER: the 4-byte length, then the serial padded with spaces to a multiple of
 * four bytes (SPC asks the length to be one).
 */
function readMediaSerialNumber(lu: LogicalUnit, ctx: CommandContext): number {
  const text = lu.state.options.mediaSerialNumber ?? '';
  const serial = new TextEncoder().encode(text.padEnd(Math.ceil(text.length / 4) * 4, ' '));
  const out = new Uint8Array(4 + serial.length);
  putU32(out, 0, serial.length);
  out.set(serial, 4);
  return respond(ctx, out, u32(ctx.cdb, 6));
}

function timeoutsDescriptor(def: CommandDef): Uint8Array {
  const t = new Uint8Array(12);
  putU16(t, 0, 0x0a);
  const [nominal, recommended] = def.timeouts ?? [0, 30];
  putU32(t, 4, nominal);
  putU32(t, 8, recommended);
  return t;
}

/** CDB usage data: the opcode, then the bits this model reads (here: every bit but the CONTROL byte's reserved ones). */
function usageData(def: CommandDef): Uint8Array {
  const u = new Uint8Array(def.cdbLength).fill(0xff);
  u[0] = def.opcode;
  if (def.serviceAction !== undefined) u[1] = (u[1] as number & 0xe0) | def.serviceAction;
  u[def.cdbLength - 1] = 0x04; // CONTROL: NACA only
  return u;
}

function reportSupportedOpcodes(lu: LogicalUnit, ctx: CommandContext): number {
  const cdb = ctx.cdb;
  const rctd = ((cdb[2] ?? 0) & 0x80) !== 0;
  const options = (cdb[2] ?? 0) & 0x07;
  const opcode = cdb[3] ?? 0;
  const sa = u16(cdb, 4);
  const alloc = u32(cdb, 6);
  const table = lu.table;
  if (options === 0) {
    const parts = table.all().map((def) => {
      const d = new Uint8Array(8);
      d[0] = def.opcode;
      if (def.serviceAction !== undefined) putU16(d, 2, def.serviceAction);
      d[5] = (rctd ? 0x02 : 0) | (def.serviceAction !== undefined ? 0x01 : 0);
      putU16(d, 6, def.cdbLength);
      return rctd ? concat([d, timeoutsDescriptor(def)]) : d;
    });
    const body = concat(parts);
    const out = new Uint8Array(4 + body.length);
    putU32(out, 0, body.length);
    out.set(body, 4);
    return respond(ctx, out, alloc);
  }
  let def: CommandDef | undefined;
  if (options === 1) {
    if (table.hasServiceActions(opcode)) throw invalidCdbField(2, 2);
    def = table.get(opcode);
  } else if (options === 2) {
    if (!table.hasServiceActions(opcode)) throw invalidCdbField(2, 2);
    def = table.get(opcode, sa);
  } else if (options === 3) {
    def = table.hasServiceActions(opcode) ? table.get(opcode, sa) : sa === 0 ? table.get(opcode) : undefined;
  } else {
    throw invalidCdbField(2, 2);
  }
  if (def === undefined) {
    const out = new Uint8Array(4);
    out[1] = 0x01; // not supported
    return respond(ctx, out, alloc);
  }
  const usage = usageData(def);
  const head = new Uint8Array(4);
  head[1] = (rctd ? 0x80 : 0) | 0x03; // supported, per the standard
  putU16(head, 2, usage.length);
  return respond(ctx, concat(rctd ? [head, usage, timeoutsDescriptor(def)] : [head, usage]), alloc);
}

// ---------------------------------------------------------------------------------------------

const admin = { medium: false } as const;

export const spcCommands: readonly CommandDef[] = [
  // TEST UNIT READY: bytes 1–4 reserved.
  {
    ...registered(0x00),
    medium: true,
    reserved: { 1: 0xff, 2: 0xff, 3: 0xff, 4: 0xff },
    run: () => 0,
  },
  {
    ...registered(0x03),
    ...admin,
    ignoresUnitAttention: true,
    reserved: { 1: 0xfe, 2: 0xff, 3: 0xff },
    run: requestSense,
  },
  {
    ...registered(0x12),
    ...admin,
    ignoresUnitAttention: true,
    reserved: { 1: 0xfc },
    run: inquiry,
  },
  { ...registered(0x15), ...admin, run: (lu, c) => modeSelect(lu, c, false) },
  { ...registered(0x1a), ...admin, run: (lu, c) => modeSense(lu, c, false) },
  {
    ...registered(0x1b),
    ...admin,
    timeouts: [1, 60],
    reserved: { 1: 0xfe, 2: 0xff, 3: 0xf0, 4: 0x08 },
    run: startStopUnit,
  },
  { ...registered(0x1d), ...admin, timeouts: [1, 120], run: sendDiagnostic },
  { ...registered(0x4d), ...admin, run: logSense },
  { ...registered(0x55), ...admin, run: (lu, c) => modeSelect(lu, c, true) },
  { ...registered(0x5a), ...admin, run: (lu, c) => modeSense(lu, c, true) },
  {
    ...registered(0xa0),
    ...admin,
    ignoresUnitAttention: true,
    reserved: { 1: 0xff, 3: 0xff, 4: 0xff, 5: 0xff, 10: 0xff },
    run: reportLuns,
  },
  {
    ...registered(0xa3, 0x0c),
    ...admin,
    run: reportSupportedOpcodes,
  },
];

/** Added to the table only when the disk has a `mediaSerialNumber`. Bytes 2-5 and 10 reserved. */
export const mediaSerialNumberCommand: CommandDef = {
  ...registered(0xab, 0x01),
  medium: true,
  reserved: { 1: 0xe0, 2: 0xff, 3: 0xff, 4: 0xff, 5: 0xff, 10: 0xff },
  run: readMediaSerialNumber,
};

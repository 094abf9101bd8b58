/**
 * What the emulated disk reports about its own health, and the commands that report it: the
 * Informational Exceptions (2Fh) and Background Scan Results (15h) log pages (LOG SENSE is in
 * spc-handlers.ts and asks here for these two), and, for a disk created with `ata: true`, the SAT
 * layer's ATA PASS-THROUGH(12/16) with IDENTIFY DEVICE and SMART (READ DATA, READ THRESHOLDS,
 * RETURN STATUS). Tests set the state through `disk.health` to drive PASSED and FAILED paths.
 */
import { putU16, putU32, putU64, SENSE_KEY } from '@scsikit/cdb';
import { type CommandContext, type CommandDef, type LogicalUnit, registered, respond } from './commands.js';
import { type AtaRegisterValues, CheckCondition, invalidCdbField, type SenseSpec } from './sense.js';

/** One SMART attribute as the emulated drive keeps it. */
export interface EmulatedSmartAttribute {
  readonly id: number;
  /** Bit 0 pre-failure, bit 1 online … (ATA attribute flags word). */
  readonly flags: number;
  readonly current: number;
  readonly worst: number;
  readonly threshold: number;
  readonly raw: bigint;
}

/** A medium error the background scan found (Background Scan Results parameter 0001h…). */
export interface EmulatedBackgroundScanError {
  readonly lba: bigint;
  /** @default 3 (MEDIUM ERROR) */
  readonly senseKey?: number;
  /** @default 11h/00h (unrecovered read error) */
  readonly asc?: number;
  readonly ascq?: number;
  /** SBC-5 REASSIGN STATUS (4 bits). @default 0 */
  readonly reassignStatus?: number;
}

/** The pieces of DiskState the health model reads. */
interface HealthHost {
  readonly createdAt: number;
  temperature: number;
  readonly selfTests: { code: number; result: number; powerOnHours: number }[];
}

/** `disk.health`: what the health sources answer; change it between commands. */
export class DiskHealth {
  /** The IE log page's (2Fh) informational exception; undefined: none (ASC/ASCQ 0). e.g. { asc: 0x5d, ascq: 0x10 } */
  informationalException: { readonly asc: number; readonly ascq: number } | undefined = undefined;
  /** ATA disks: SMART RETURN STATUS answers F4h/2Ch (threshold exceeded) instead of 4Fh/C2h. */
  smartFailing = false;
  /** ATA disks: the attribute table (SMART READ DATA) and thresholds (SMART READ THRESHOLDS). */
  smartAttributes: EmulatedSmartAttribute[] = [
    { id: 1, flags: 0x000f, current: 100, worst: 100, threshold: 6, raw: 0n },
    { id: 5, flags: 0x0033, current: 100, worst: 100, threshold: 36, raw: 0n },
    { id: 9, flags: 0x0032, current: 100, worst: 100, threshold: 0, raw: 0n },
    { id: 12, flags: 0x0032, current: 100, worst: 100, threshold: 20, raw: 1n },
    { id: 194, flags: 0x0022, current: 65, worst: 60, threshold: 0, raw: 35n },
    { id: 197, flags: 0x0012, current: 100, worst: 100, threshold: 0, raw: 0n },
    { id: 198, flags: 0x0010, current: 100, worst: 100, threshold: 0, raw: 0n },
  ];
  /** Background Scan Results: BACKGROUND SCAN STATUS (SBC-5; 0 no scan active) and the errors found. */
  backgroundScan: { status: number; errors: EmulatedBackgroundScanError[] } = { status: 0, errors: [] };
  readonly #host: HealthHost;

  /** @internal Created by DiskState. */
  constructor(host: HealthHost) {
    this.#host = host;
  }

  /** Adds a self-test results log entry (newest first, 20 kept), as SEND DIAGNOSTIC does. */
  recordSelfTest(entry: { readonly code: number; readonly result: number }): void {
    const s = this.#host.selfTests;
    s.unshift({ code: entry.code & 7, result: entry.result & 0x0f, powerOnHours: this.powerOnHours });
    s.length = Math.min(s.length, 20);
  }

  /** @internal */
  get powerOnHours(): number {
    return Math.floor((Date.now() - this.#host.createdAt) / 3_600_000);
  }

  /** @internal */
  get temperature(): number {
    return this.#host.temperature;
  }
}

// ---------------------------------------------------------------------------------------------
// Log pages 2Fh and 15h

function parameter(code: number, control: number, value: Uint8Array): Uint8Array {
  const p = new Uint8Array(4 + value.length);
  putU16(p, 0, code);
  p[2] = control;
  p[3] = value.length;
  p.set(value, 4);
  return p;
}

/** Log pages this file answers, for LOG SENSE's supported pages list. */
export const HEALTH_LOG_PAGES = [0x15, 0x2f] as const;

/** Parameters of log page 2Fh or 15h (SPC-6 Informational Exceptions, SBC-5 Background Scan Results). */
export function healthLogParameters(health: DiskHealth, page: number, cumulative: boolean): Uint8Array[] {
  if (page === 0x2f) {
    const ie = cumulative ? health.informationalException : undefined;
    // 0000h: IE ASC, IE ASCQ, most recent temperature (as scsi_debug and most drives: 3 bytes).
    return [parameter(0, 0x03, Uint8Array.of(ie?.asc ?? 0, ie?.ascq ?? 0, health.temperature))];
  }
  if (page !== 0x15) return [];
  const bs = health.backgroundScan;
  const status = new Uint8Array(12);
  putU32(status, 0, cumulative ? health.powerOnHours * 60 : 0);
  status[5] = bs.status;
  putU16(status, 6, bs.errors.length > 0 ? 1 : 0);
  putU16(status, 10, bs.errors.length > 0 ? 1 : 0);
  const out = [parameter(0, 0x03, status)];
  for (const [i, e] of bs.errors.slice(0, 0x800).entries()) {
    const v = new Uint8Array(20);
    putU32(v, 0, health.powerOnHours * 60);
    v[4] = ((e.reassignStatus ?? 0) << 4) | ((e.senseKey ?? SENSE_KEY.MEDIUM_ERROR) & 0x0f);
    v[5] = e.asc ?? 0x11;
    v[6] = e.ascq ?? 0x00;
    putU64(v, 12, e.lba);
    out.push(parameter(i + 1, 0x03, v));
  }
  return out;
}

/**
 * REQUEST SENSE's answer for a pending informational exception: with the IE control mode page's
 * DEXCPT clear and MRIE 6h ("only report on request", SPC-6), NO SENSE with the exception's
 * ASC/ASCQ — what smartctl reads when a device has no IE log page.
 */
export function pendingInformationalException(state: {
  readonly health: DiskHealth;
  readonly modeCurrent: ReadonlyMap<number, Uint8Array>;
}): SenseSpec | undefined {
  const ie = state.health.informationalException;
  const page = state.modeCurrent.get(0x1c);
  if (ie === undefined || page === undefined) return undefined;
  const dexcpt = ((page[2] ?? 0) & 0x08) !== 0;
  const mrie = (page[3] ?? 0) & 0x0f;
  return !dexcpt && mrie === 6 ? { key: SENSE_KEY.NO_SENSE, asc: ie.asc, ascq: ie.ascq } : undefined;
}

// ---------------------------------------------------------------------------------------------
// ATA PASS-THROUGH (SAT-5) over an emulated ATA drive

const PIO_IN = 4;
const NON_DATA = 3;
/** DRDY | DSC: the status register of a command that completed. */
const STATUS_OK = 0x50;

interface AtaCommand {
  readonly protocol: number;
  readonly ckCond: boolean;
  readonly features: number;
  readonly count: number;
  readonly lbaLow: number;
  readonly lbaMid: number;
  readonly lbaHigh: number;
  readonly device: number;
  readonly command: number;
}

function parse(cdb: Uint8Array): AtaCommand {
  const b = (i: number) => cdb[i] ?? 0;
  const sixteen = b(0) === 0x85;
  if (sixteen && (b(1) & 0x01) !== 0) throw invalidCdbField(1, 0); // no 48-bit commands here
  return {
    protocol: (b(1) >> 1) & 0x0f,
    ckCond: (b(2) & 0x20) !== 0,
    features: sixteen ? b(4) : b(3),
    count: sixteen ? b(6) : b(4),
    lbaLow: sixteen ? b(8) : b(5),
    lbaMid: sixteen ? b(10) : b(6),
    lbaHigh: sixteen ? b(12) : b(7),
    device: sixteen ? b(13) : b(8),
    command: sixteen ? b(14) : b(9),
  };
}

/** The SATL's answer to an ATA command the drive aborted (ABRT): ABORTED COMMAND with the registers. */
function aborted(c: AtaCommand): CheckCondition {
  return new CheckCondition({
    key: SENSE_KEY.ABORTED_COMMAND,
    asc: 0x00,
    ascq: 0x00,
    ataRegisters: {
      error: 0x04,
      status: 0x51,
      device: c.device,
      count: c.count,
      lbaLow: c.lbaLow,
      lbaMid: c.lbaMid,
      lbaHigh: c.lbaHigh,
    },
  });
}

/** Completion: GOOD, or with CK_COND the registers in RECOVERED ERROR 00h/1Dh sense. */
function complete(c: AtaCommand, registers: AtaRegisterValues, dataLength: number): number {
  if (!c.ckCond) return dataLength;
  throw new CheckCondition({
    key: SENSE_KEY.RECOVERED_ERROR,
    asc: 0x00,
    ascq: 0x1d,
    ataRegisters: registers,
  });
}

function sector(fill: (b: Uint8Array) => void): Uint8Array {
  const b = new Uint8Array(512);
  fill(b);
  let sum = 0;
  for (let i = 0; i < 511; i++) sum += b[i] as number;
  b[511] = (256 - (sum % 256)) % 256;
  return b;
}

function word(b: Uint8Array, i: number, v: number): void {
  b[2 * i] = v & 0xff;
  b[2 * i + 1] = (v >> 8) & 0xff;
}

function ataString(b: Uint8Array, first: number, words: number, text: string): void {
  const t = text.padEnd(words * 2, ' ');
  for (let k = 0; k < words; k++) word(b, first + k, (t.charCodeAt(2 * k) << 8) | t.charCodeAt(2 * k + 1));
}

function identifyData(lu: LogicalUnit): Uint8Array {
  const o = lu.state.options;
  const sectors = BigInt(o.blocks) * BigInt(o.blockLength / 512);
  return sector((b) => {
    word(b, 0, 0x0040);
    ataString(b, 10, 10, o.serial.slice(0, 20));
    ataString(b, 23, 4, o.revision);
    ataString(b, 27, 20, o.product);
    const lba28 = sectors > 0x0fff_ffffn ? 0x0fff_ffff : Number(sectors);
    word(b, 60, lba28 & 0xffff);
    word(b, 61, lba28 >>> 16);
    word(b, 80, 0x01f0); // ATA/ATAPI-4 … ACS-2
    word(b, 82, 0x0001); // SMART supported
    word(b, 83, 0x4400); // valid, 48-bit
    word(b, 84, 0x4000);
    word(b, 85, 0x0001); // SMART enabled
    word(b, 86, 0x0400);
    word(b, 87, 0x4000);
    for (let k = 0; k < 4; k++) word(b, 100 + k, Number((sectors >> BigInt(16 * k)) & 0xffffn));
    b[510] = 0xa5; // integrity word signature, checksum in 511
  });
}

function smartData(h: DiskHealth): Uint8Array {
  return sector((b) => {
    word(b, 0, 0x0010);
    for (const [i, a] of h.smartAttributes.slice(0, 30).entries()) {
      const off = 2 + i * 12;
      b[off] = a.id;
      b[off + 1] = a.flags & 0xff;
      b[off + 2] = (a.flags >> 8) & 0xff;
      b[off + 3] = a.current;
      b[off + 4] = a.worst;
      const raw = a.id === 9 ? BigInt(h.powerOnHours) + a.raw : a.raw;
      for (let k = 0; k < 6; k++) b[off + 5 + k] = Number((raw >> BigInt(8 * k)) & 0xffn);
    }
    b[362] = 0x82; // off-line data collection completed, automatic on
    b[367] = 0x7b;
    word(b, 184, 0x0003); // bytes 368-369: SMART capability
    b[370] = 0x01;
    b[372] = 2;
    b[373] = 30;
  });
}

function smartThresholds(h: DiskHealth): Uint8Array {
  return sector((b) => {
    word(b, 0, 0x0010);
    for (const [i, a] of h.smartAttributes.slice(0, 30).entries()) {
      b[2 + i * 12] = a.id;
      b[3 + i * 12] = a.threshold;
    }
  });
}

function ataPassThrough(lu: LogicalUnit, ctx: CommandContext): number {
  const c = parse(ctx.cdb);
  const regs = (over: Partial<AtaRegisterValues> = {}): AtaRegisterValues => ({
    error: 0,
    status: STATUS_OK,
    device: c.device,
    count: c.count,
    lbaLow: c.lbaLow,
    lbaMid: c.lbaMid,
    lbaHigh: c.lbaHigh,
    ...over,
  });
  const dataIn = (bytes: Uint8Array): number => {
    if (c.protocol !== PIO_IN) throw invalidCdbField(1, 4);
    if (c.count !== 1) throw aborted(c);
    return complete(c, regs({ count: 0 }), respond(ctx, bytes, ctx.dataIn.length));
  };
  if (c.command === 0xec) return dataIn(identifyData(lu));
  if (c.command !== 0xb0) throw aborted(c);
  // Every SMART command carries the 4Fh/C2h signature; the drive aborts one without it.
  if (c.lbaMid !== 0x4f || c.lbaHigh !== 0xc2) throw aborted(c);
  const h = lu.state.health;
  switch (c.features) {
    case 0xd0:
      return dataIn(smartData(h));
    case 0xd1:
      return dataIn(smartThresholds(h));
    case 0xda: {
      if (c.protocol !== NON_DATA) throw invalidCdbField(1, 4);
      const verdict = h.smartFailing ? { lbaMid: 0xf4, lbaHigh: 0x2c } : { lbaMid: 0x4f, lbaHigh: 0xc2 };
      return complete(c, regs(verdict), 0);
    }
    default:
      throw aborted(c);
  }
}

/** ATA PASS-THROUGH(12) and (16), added to the table for a disk created with `ata: true`. */
export const ataCommands: readonly CommandDef[] = [
  { ...registered(0x85), medium: true, run: ataPassThrough },
  { ...registered(0xa1), medium: true, run: ataPassThrough },
];

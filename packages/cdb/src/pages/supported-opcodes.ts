/**
 * REPORT SUPPORTED OPERATION CODES (SPC-6: all_commands and one_command parameter data, command
 * timeouts descriptor) and REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS (SPC-6), laid out as
 * sg_opcodes decodes them.
 */
import { ByteReader, type ByteSource } from '../bytes.js';
import { DecodeError } from '../errors.js';
import { opcodeName } from '../names.js';
import type { Truncation } from '../types.js';

/** Decoder options: the device type picks among T10 names that share an operation code. */
export interface SupportedOpcodesOptions {
  /**
   * PERIPHERAL DEVICE TYPE from INQUIRY (0 disk, 1 tape, 5 MMC, 14h ZBC …).
   * @default 0
   */
  readonly peripheralDeviceType?: number;
}

/** Command timeouts descriptor (SPC-6 "Command timeouts descriptor format"); timeouts in seconds, 0 = not specified. */
export interface CommandTimeoutsDescriptor {
  /** DESCRIPTOR LENGTH: 0Ah in every standard so far. */
  readonly descriptorLength: number;
  /** COMMAND SPECIFIC byte (e.g. WRITE BUFFER mode dependent). */
  readonly commandSpecific: number;
  readonly nominalCommandProcessingTimeout: number;
  readonly recommendedCommandTimeout: number;
}

function decodeTimeouts(r: ByteReader, off: number): CommandTimeoutsDescriptor {
  return {
    descriptorLength: r.u16(off, 'timeouts.descriptorLength'),
    commandSpecific: r.u8(off + 3, 'timeouts.commandSpecific'),
    nominalCommandProcessingTimeout: r.u32(off + 4, 'timeouts.nominalCommandProcessingTimeout'),
    recommendedCommandTimeout: r.u32(off + 8, 'timeouts.recommendedCommandTimeout'),
  };
}

/** One command descriptor of the all_commands format (8 bytes, 20 with CTDP). */
export interface CommandDescriptor {
  readonly operationCode: number;
  /** SERVICE ACTION; meaningful only when `servactv` is set (0 otherwise). */
  readonly serviceAction: number;
  /** SERVACTV: the command is identified by operation code and service action. */
  readonly servactv: boolean;
  /** CTDP: a command timeouts descriptor follows. */
  readonly ctdp: boolean;
  /** RWCDLP (SPC-6): selects the T2A/T2B command duration limit mode pages together with CDLP. */
  readonly rwcdlp: boolean;
  /** MLU: 0 not reported, 1 this LU only, 2 more than one LU, 3 all LUs in the target. */
  readonly mlu: number;
  /** CDLP: command duration limits page (0 none, 1 A/T2A, 2 B/T2B). */
  readonly cdlp: number;
  readonly cdbLength: number;
  readonly timeouts?: CommandTimeoutsDescriptor;
  /** T10 name from `opcodeName`, e.g. "READ CAPACITY(16)". */
  readonly name: string;
}

/** REPORT SUPPORTED OPERATION CODES, REPORTING OPTIONS 000b (all commands). */
export interface SupportedOpcodesAll {
  /** COMMAND DATA LENGTH: bytes of command descriptors the device has. */
  readonly commandDataLength: number;
  /** Descriptors wholly present in the returned bytes, in device order. */
  readonly commands: readonly CommandDescriptor[];
  readonly truncated: boolean;
  /** commandDataLength + 4: the allocation length that returns everything. */
  readonly requiredLength: number;
  readonly availableLength: number;
}

/**
 * Decodes all_commands parameter data. Descriptor size depends on each descriptor's CTDP bit, so a
 * cut-off list stops at the last whole descriptor and sets `truncated`.
 */
export function decodeSupportedOpcodesAll(
  source: ByteSource,
  options: SupportedOpcodesOptions = {},
): SupportedOpcodesAll {
  const r = new ByteReader(source);
  const commandDataLength = r.u32(0, 'commandDataLength');
  const required = commandDataLength + 4;
  const end = Math.min(required, r.length);
  const commands: CommandDescriptor[] = [];
  let off = 4;
  let partial = false;
  while (off + 8 <= end) {
    const b5 = r.u8(off + 5, 'commandDescriptor.flags');
    const ctdp = (b5 & 0x02) !== 0;
    const size = ctdp ? 20 : 8;
    if (off + size > end) {
      partial = true;
      break;
    }
    const servactv = (b5 & 0x01) !== 0;
    const operationCode = r.u8(off, 'operationCode');
    const serviceAction = servactv ? r.u16(off + 2, 'serviceAction') : 0;
    const base = {
      operationCode,
      serviceAction,
      servactv,
      ctdp,
      rwcdlp: (b5 & 0x40) !== 0,
      mlu: (b5 >> 4) & 3,
      cdlp: (b5 >> 2) & 3,
      cdbLength: r.u16(off + 6, 'cdbLength'),
      name: opcodeName(operationCode, servactv ? serviceAction : undefined, options.peripheralDeviceType),
    };
    commands.push(ctdp ? { ...base, timeouts: decodeTimeouts(r, off + 8) } : base);
    off += size;
  }
  if (off < end) partial = true;
  if (partial && r.length >= required) {
    throw new DecodeError(
      'commandDataLength',
      `${commandDataLength} does not end on a command descriptor boundary`,
      0,
    );
  }
  return {
    commandDataLength,
    commands,
    truncated: r.length < required || partial,
    requiredLength: required,
    availableLength: end,
  };
}

/** SUPPORT field of the one_command format (SPC-6 "SUPPORT values"). */
export type OpcodeSupport =
  | 'notAvailable'
  | 'notSupported'
  | 'supportedStandard'
  | 'supportedVendor'
  | 'reserved';

const SUPPORT_NAMES: Readonly<Record<number, OpcodeSupport>> = {
  0: 'notAvailable',
  1: 'notSupported',
  3: 'supportedStandard',
  5: 'supportedVendor',
};

/** REPORT SUPPORTED OPERATION CODES, REPORTING OPTIONS 001b-011b (one command). */
export interface SupportedOpcodeOne extends Truncation {
  /** RWCDLP (byte 0 bit 0). */
  readonly rwcdlp: boolean;
  readonly ctdp: boolean;
  readonly mlu: number;
  readonly cdlp: number;
  /** SUPPORT field as sent (0-7). */
  readonly supportCode: number;
  readonly support: OpcodeSupport;
  /** CDB SIZE: length of the CDB usage data. */
  readonly cdbSize: number;
  /**
   * CDB USAGE DATA: byte 0 is the operation code, every other byte a mask of the bits the device
   * examines in that CDB byte.
   */
  readonly cdbUsageData: Uint8Array;
  readonly timeouts?: CommandTimeoutsDescriptor;
  /** T10 name of the operation code in CDB usage byte 0 (absent when no usage data came back). */
  readonly name?: string;
}

export interface SupportedOpcodeOneOptions extends SupportedOpcodesOptions {
  /** The REQUESTED SERVICE ACTION sent in the CDB (reporting options 010b/011b), for the name. */
  readonly serviceAction?: number;
}

/** Decodes one_command parameter data; a cut-off usage bitmap is returned as far as present. */
export function decodeSupportedOpcodeOne(
  source: ByteSource,
  options: SupportedOpcodeOneOptions = {},
): SupportedOpcodeOne {
  const r = new ByteReader(source);
  const b0 = r.u8(0, 'rwcdlp');
  const b1 = r.u8(1, 'support');
  const cdbSize = r.u16(2, 'cdbSize');
  const ctdp = (b1 & 0x80) !== 0;
  const required = 4 + cdbSize + (ctdp ? 12 : 0);
  const usageAvailable = Math.max(0, Math.min(cdbSize, r.length - 4));
  const supportCode = b1 & 7;
  const base = {
    rwcdlp: (b0 & 1) !== 0,
    ctdp,
    mlu: (b1 >> 5) & 3,
    cdlp: (b1 >> 3) & 3,
    supportCode,
    support: SUPPORT_NAMES[supportCode] ?? 'reserved',
    cdbSize,
    cdbUsageData: r.slice(4, usageAvailable, 'cdbUsageData'),
    truncated: r.length < required,
    requiredLength: required,
    availableLength: Math.min(r.length, required),
  };
  const opcode = base.cdbUsageData[0];
  const named =
    opcode === undefined
      ? base
      : { ...base, name: opcodeName(opcode, options.serviceAction, options.peripheralDeviceType) };
  if (ctdp && r.has(4 + cdbSize, 12)) return { ...named, timeouts: decodeTimeouts(r, 4 + cdbSize) };
  return named;
}

/** REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS parameter data (4 bytes, 16 with REPD). */
export interface SupportedTaskManagementFunctions extends Truncation {
  /** ABORT TASK. */
  readonly ats: boolean;
  /** ABORT TASK SET. */
  readonly atss: boolean;
  /** CLEAR ACA. */
  readonly cacas: boolean;
  /** CLEAR TASK SET. */
  readonly ctss: boolean;
  /** LOGICAL UNIT RESET. */
  readonly lurs: boolean;
  /** QUERY TASK. */
  readonly qts: boolean;
  /** TARGET RESET (obsolete). */
  readonly trs: boolean;
  /** WAKEUP (obsolete). */
  readonly ws: boolean;
  /** QUERY ASYNCHRONOUS EVENT. */
  readonly qaes: boolean;
  /** QUERY TASK SET. */
  readonly qtss: boolean;
  /** I_T NEXUS RESET. */
  readonly itnrs: boolean;
  /** ADDITIONAL DATA LENGTH: 0 for the basic format, 0Ch for the extended (REPD) format. */
  readonly additionalDataLength: number;
  /** Present when the extended format was returned in full. */
  readonly extended?: {
    /** TMFTMOV: the timeout fields below are valid. */
    readonly tmftmov: boolean;
    /** Per-function "uses the long timeout" bits (ATTS, ATSTS, CACATS, CTSTS, LURTS, QTTS, QAETS, QTSTS, ITNRTS). */
    readonly atts: boolean;
    readonly atsts: boolean;
    readonly cacats: boolean;
    readonly ctsts: boolean;
    readonly lurts: boolean;
    readonly qtts: boolean;
    readonly qaets: boolean;
    readonly qtsts: boolean;
    readonly itnrts: boolean;
    /** TMF LONG TIMEOUT, in 100 ms units. */
    readonly tmfLongTimeout: number;
    /** TMF SHORT TIMEOUT, in 100 ms units. */
    readonly tmfShortTimeout: number;
  };
}

/** Decodes REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS data; needs the 4-byte basic part. */
export function decodeSupportedTaskManagementFunctions(source: ByteSource): SupportedTaskManagementFunctions {
  const r = new ByteReader(source);
  const b0 = r.u8(0, 'ats');
  const b1 = r.u8(1, 'qaes');
  const additionalDataLength = r.u8(3, 'additionalDataLength');
  const required = 4 + additionalDataLength;
  const base = {
    ats: (b0 & 0x80) !== 0,
    atss: (b0 & 0x40) !== 0,
    cacas: (b0 & 0x20) !== 0,
    ctss: (b0 & 0x10) !== 0,
    lurs: (b0 & 0x08) !== 0,
    qts: (b0 & 0x04) !== 0,
    trs: (b0 & 0x02) !== 0,
    ws: (b0 & 0x01) !== 0,
    qaes: (b1 & 0x04) !== 0,
    qtss: (b1 & 0x02) !== 0,
    itnrs: (b1 & 0x01) !== 0,
    additionalDataLength,
    truncated: r.length < required,
    requiredLength: required,
    availableLength: Math.min(r.length, required),
  };
  if (additionalDataLength < 0x0c || !r.has(0, 16)) return base;
  const b6 = r.u8(6, 'atts');
  const b7 = r.u8(7, 'qaets');
  return {
    ...base,
    extended: {
      tmftmov: r.bit(4, 0, 'tmftmov'),
      atts: (b6 & 0x80) !== 0,
      atsts: (b6 & 0x40) !== 0,
      cacats: (b6 & 0x20) !== 0,
      ctsts: (b6 & 0x10) !== 0,
      lurts: (b6 & 0x08) !== 0,
      qtts: (b6 & 0x04) !== 0,
      qaets: (b7 & 0x04) !== 0,
      qtsts: (b7 & 0x02) !== 0,
      itnrts: (b7 & 0x01) !== 0,
      tmfLongTimeout: r.u32(8, 'tmfLongTimeout'),
      tmfShortTimeout: r.u32(12, 'tmfShortTimeout'),
    },
  };
}

import {
  T10_ASC_ASCQ,
  T10_ASC_ASCQ_RANGES,
  T10_OPCODES,
  T10_SERVICE_ACTIONS,
  type T10PdtTag,
} from './spec/t10-tables.generated.js';

/** Two uppercase hex digits and T10's `h` suffix, e.g. `0Ah`. */
function h2(value: number): string {
  return `${value.toString(16).toUpperCase().padStart(2, '0')}h`;
}

// ---------------------------------------------------------------------------------------------
// Sense keys (SPC-6 Table 52)

/** Sense key values (SPC-6 Table 52). */
export const SENSE_KEY = {
  NO_SENSE: 0x0,
  RECOVERED_ERROR: 0x1,
  NOT_READY: 0x2,
  MEDIUM_ERROR: 0x3,
  HARDWARE_ERROR: 0x4,
  ILLEGAL_REQUEST: 0x5,
  UNIT_ATTENTION: 0x6,
  DATA_PROTECT: 0x7,
  BLANK_CHECK: 0x8,
  VENDOR_SPECIFIC: 0x9,
  COPY_ABORTED: 0xa,
  ABORTED_COMMAND: 0xb,
  VOLUME_OVERFLOW: 0xd,
  MISCOMPARE: 0xe,
  COMPLETED: 0xf,
} as const;

const SENSE_KEY_NAMES = [
  'NO SENSE',
  'RECOVERED ERROR',
  'NOT READY',
  'MEDIUM ERROR',
  'HARDWARE ERROR',
  'ILLEGAL REQUEST',
  'UNIT ATTENTION',
  'DATA PROTECT',
  'BLANK CHECK',
  'VENDOR SPECIFIC',
  'COPY ABORTED',
  'ABORTED COMMAND',
  // 0Ch was EQUAL (SEARCH DATA commands) before SPC-3; now obsolete.
  'OBSOLETE',
  'VOLUME OVERFLOW',
  'MISCOMPARE',
  'COMPLETED',
] as const;

/** T10 name of a sense key (4 bits), e.g. 5 → "ILLEGAL REQUEST". Out-of-range values are named, not thrown. */
export function senseKeyName(key: number): string {
  return SENSE_KEY_NAMES[key] ?? `INVALID SENSE KEY ${h2(key)}`;
}

// ---------------------------------------------------------------------------------------------
// Additional sense codes

let ascMap: Map<number, string> | undefined;

/** Exact (asc << 8 | ascq) → description; built on first use so importing the module stays cheap. */
function ascTable(): Map<number, string> {
  ascMap ??= new Map(T10_ASC_ASCQ);
  return ascMap;
}

/**
 * Description of an ASC/ASCQ pair as T10 (and sg3_utils) words it. Lookup order: the exact table,
 * then the range rules (`%x` rendered as the ASCQ in lowercase hex without padding, as sg3_utils'
 * printf does: 40h/85h → "Diagnostic failure on component [0x85]"), then a generic text:
 * "ASC=80h ASCQ=01h (vendor specific)" for ASC ≥ 80h, "ASC=21h ASCQ=85h (vendor specific qualifier)"
 * for ASCQ ≥ 80h, otherwise "ASC=7Eh ASCQ=00h (reserved)".
 */
export function ascAscqDescription(asc: number, ascq: number): string {
  const exact = ascTable().get(((asc & 0xff) << 8) | (ascq & 0xff));
  if (exact !== undefined) return exact;
  for (const [rAsc, first, last, template] of T10_ASC_ASCQ_RANGES) {
    if (rAsc === asc && ascq >= first && ascq <= last) return template.replace('%x', ascq.toString(16));
  }
  const codes = `ASC=${h2(asc)} ASCQ=${h2(ascq)}`;
  if (asc >= 0x80) return `${codes} (vendor specific)`;
  if (ascq >= 0x80) return `${codes} (vendor specific qualifier)`;
  return `${codes} (reserved)`;
}

// ---------------------------------------------------------------------------------------------
// SAM status (SAM-6 Table 37)

/** SAM status codes. INTERMEDIATE, INTERMEDIATE-CONDITION MET and COMMAND TERMINATED are obsolete. */
export const SAM_STATUS = {
  GOOD: 0x00,
  CHECK_CONDITION: 0x02,
  CONDITION_MET: 0x04,
  BUSY: 0x08,
  INTERMEDIATE: 0x10,
  INTERMEDIATE_CONDITION_MET: 0x14,
  RESERVATION_CONFLICT: 0x18,
  COMMAND_TERMINATED: 0x22,
  TASK_SET_FULL: 0x28,
  ACA_ACTIVE: 0x30,
  TASK_ABORTED: 0x40,
} as const;

const SAM_STATUS_NAMES: ReadonlyMap<number, string> = new Map([
  [0x00, 'GOOD'],
  [0x02, 'CHECK CONDITION'],
  [0x04, 'CONDITION MET'],
  [0x08, 'BUSY'],
  [0x10, 'INTERMEDIATE'],
  [0x14, 'INTERMEDIATE-CONDITION MET'],
  [0x18, 'RESERVATION CONFLICT'],
  [0x22, 'COMMAND TERMINATED'],
  [0x28, 'TASK SET FULL'],
  [0x30, 'ACA ACTIVE'],
  [0x40, 'TASK ABORTED'],
]);

/** T10 name of a SAM status byte, e.g. 0x02 → "CHECK CONDITION"; other values → "RESERVED [xxh]". */
export function samStatusName(status: number): string {
  return SAM_STATUS_NAMES.get(status) ?? `RESERVED [${h2(status)}]`;
}

// ---------------------------------------------------------------------------------------------
// Linux host and driver bytes (include/scsi/scsi_status.h, sg_io_hdr host_status / driver_status)

const HOST_BYTES: readonly (readonly [name: string, description: string])[] = [
  ['DID_OK', 'No error from the host adapter'],
  ['DID_NO_CONNECT', 'Could not connect to the target before the timeout (device gone or unreachable)'],
  ['DID_BUS_BUSY', 'The bus stayed busy through the timeout period'],
  ['DID_TIME_OUT', 'The command timed out'],
  ['DID_BAD_TARGET', 'Bad target (no such target or LUN)'],
  ['DID_ABORT', 'The command was aborted'],
  ['DID_PARITY', 'Parity error on the bus'],
  ['DID_ERROR', 'Internal error in the host adapter driver'],
  ['DID_RESET', 'The command was terminated by a bus or device reset'],
  ['DID_BAD_INTR', 'Got an interrupt the driver was not expecting'],
  ['DID_PASSTHROUGH', 'Command forced past the mid-layer'],
  ['DID_SOFT_ERROR', 'The low-level driver asks for a retry'],
  ['DID_IMM_RETRY', 'Retry immediately without decrementing the retry count'],
  ['DID_REQUEUE', 'Requeue the command (no immediate retry) without decrementing the retry count'],
  ['DID_TRANSPORT_DISRUPTED', 'Transport disrupted; the port is blocked while the link recovers'],
  ['DID_TRANSPORT_FAILFAST', 'The transport class fast-failed the command'],
  ['DID_TARGET_FAILURE', 'Permanent target failure, do not retry on other paths (older kernels only)'],
  ['DID_NEXUS_FAILURE', 'Permanent nexus failure, other paths may succeed (older kernels only)'],
  ['DID_ALLOC_FAILURE', 'Space allocation on the device failed (older kernels only)'],
  ['DID_MEDIUM_ERROR', 'Medium error (older kernels only)'],
  ['DID_TRANSPORT_MARGINAL', 'Transport marginal errors'],
];

/**
 * Linux host byte name, e.g. 0x07 → "DID_ERROR". Codes 10h–13h exist only in older kernels: newer
 * ones moved those meanings to an internal byte and leave the block unused for SG_IO users.
 */
export function hostByteName(host: number): string {
  return HOST_BYTES[host]?.[0] ?? `DID_UNKNOWN [${h2(host)}]`;
}

/** One-line explanation of a Linux host byte. */
export function hostByteDescription(host: number): string {
  return HOST_BYTES[host]?.[1] ?? `Unknown host byte ${h2(host)}`;
}

const DRIVER_BYTES: readonly (readonly [name: string, description: string])[] = [
  ['DRIVER_OK', 'No error from the driver'],
  ['DRIVER_BUSY', 'The driver was busy'],
  ['DRIVER_SOFT', 'Soft error in the driver'],
  ['DRIVER_MEDIA', 'Media error reported by the driver'],
  ['DRIVER_ERROR', 'Driver error'],
  ['DRIVER_INVALID', 'Invalid request to the driver'],
  ['DRIVER_TIMEOUT', 'The driver timed the command out'],
  ['DRIVER_HARD', 'Hard error in the driver'],
  ['DRIVER_SENSE', 'Sense data is available'],
];

const DRIVER_SUGGEST = ['', 'SUGGEST_RETRY', 'SUGGEST_ABORT', 'SUGGEST_REMAP', 'SUGGEST_DIE'] as const;

/**
 * Linux driver byte name from the low nibble, e.g. 0x08 → "DRIVER_SENSE". Older kernels also put a
 * suggestion in the high nibble (0x10 retry … 0x40 die, 0x80 sense); it is appended when present:
 * 0x28 → "DRIVER_SENSE|SUGGEST_ABORT".
 */
export function driverByteName(driver: number): string {
  const low = driver & 0x0f;
  const name = DRIVER_BYTES[low]?.[0] ?? `DRIVER_UNKNOWN [${h2(low)}]`;
  const high = (driver >> 4) & 0x0f;
  if (high === 0) return name;
  const suggest = high === 0x8 ? 'SUGGEST_SENSE' : (DRIVER_SUGGEST[high] ?? `SUGGEST [${h2(high << 4)}]`);
  return `${name}|${suggest}`;
}

/** One-line explanation of a Linux driver byte (low nibble). */
export function driverByteDescription(driver: number): string {
  const low = driver & 0x0f;
  return DRIVER_BYTES[low]?.[1] ?? `Unknown driver byte ${h2(low)}`;
}

// ---------------------------------------------------------------------------------------------
// Peripheral device types and operation codes

/** Peripheral device type codes (SPC-6 Table 141) that the name tables distinguish. */
export const PERIPHERAL_DEVICE_TYPE = {
  DISK: 0x00,
  TAPE: 0x01,
  PRINTER: 0x02,
  PROCESSOR: 0x03,
  WRITE_ONCE: 0x04,
  MMC: 0x05,
  SCANNER: 0x06,
  OPTICAL: 0x07,
  MEDIUM_CHANGER: 0x08,
  COMMS: 0x09,
  SAC: 0x0c,
  SES: 0x0d,
  RBC: 0x0e,
  OCRW: 0x0f,
  BCC: 0x10,
  OSD: 0x11,
  ADC: 0x12,
  SMD: 0x13,
  ZBC: 0x14,
  WELL_KNOWN_LU: 0x1e,
  UNKNOWN: 0x1f,
} as const;

/** Device type codes each table tag stands for; PDT_ALL is the fallback row and matches none. */
const PDT_TAG_CODES: Record<T10PdtTag, readonly number[]> = {
  PDT_ALL: [],
  PDT_DISK: [0x00],
  PDT_DISK_ZBC: [0x00, 0x14],
  PDT_TAPE: [0x01],
  PDT_PRINTER: [0x02],
  PDT_PROCESSOR: [0x03],
  PDT_MMC: [0x05],
  PDT_OPTICAL: [0x07],
  PDT_MCHANGER: [0x08],
  PDT_SAC: [0x0c],
  PDT_OCRW: [0x0f],
  PDT_ADC: [0x12],
};

/**
 * Lesser-used device types that share most commands with a common one (as sg3_utils decays them):
 * write-once, optical, RBC and ZBC → disk; printer and ADC → tape.
 */
function pdtDecay(pdt: number): number {
  switch (pdt) {
    case 0x04:
    case 0x07:
    case 0x0e:
    case 0x14:
      return 0x00;
    case 0x02:
    case 0x12:
      return 0x01;
    default:
      return pdt;
  }
}

/**
 * Picks the row for a device type among rows sharing a code: exact type, then its decayed type,
 * then the PDT_ALL row, then the first row (so 37h on a disk is READ DEFECT DATA(10), not the
 * changer's INITIALIZE ELEMENT STATUS WITH RANGE listed first). An absent type is treated as a disk,
 * as sg3_utils does.
 */
function pickByPdt<T>(
  rows: readonly T[],
  tagOf: (row: T) => T10PdtTag,
  pdt: number | undefined,
): T | undefined {
  const want = pdt ?? 0;
  const decayed = pdtDecay(want);
  return (
    rows.find((r) => PDT_TAG_CODES[tagOf(r)].includes(want)) ??
    rows.find((r) => PDT_TAG_CODES[tagOf(r)].includes(decayed)) ??
    rows.find((r) => tagOf(r) === 'PDT_ALL') ??
    rows[0]
  );
}

let opcodeIndex: Map<number, (typeof T10_OPCODES)[number][]> | undefined;
let saIndex: Map<number, (typeof T10_SERVICE_ACTIONS)[number][]> | undefined;

function opcodeRows(opcode: number): readonly (typeof T10_OPCODES)[number][] {
  if (opcodeIndex === undefined) {
    opcodeIndex = new Map();
    for (const row of T10_OPCODES) {
      const list = opcodeIndex.get(row[0]);
      if (list) list.push(row);
      else opcodeIndex.set(row[0], [row]);
    }
  }
  return opcodeIndex.get(opcode) ?? [];
}

function serviceActionRows(opcode: number, sa: number): readonly (typeof T10_SERVICE_ACTIONS)[number][] {
  if (saIndex === undefined) {
    saIndex = new Map();
    for (const row of T10_SERVICE_ACTIONS) {
      const key = (row[0] << 16) | row[1];
      const list = saIndex.get(key);
      if (list) list.push(row);
      else saIndex.set(key, [row]);
    }
  }
  return saIndex.get((opcode << 16) | sa) ?? [];
}

/**
 * Codes the snapshot of the T10 opcode table lacks (it dropped opcode 00h and has no row for 7Fh).
 * Used only when the table has no row for the code.
 */
const OPCODE_SUPPLEMENT: ReadonlyMap<number, string> = new Map([
  [0x00, 'TEST UNIT READY'],
  [0x7f, 'VARIABLE LENGTH'],
]);

/**
 * Opcodes whose service-action rows only qualify the command (buffer modes, PR actions, sanitize
 * types …); their names read "PERSISTENT RESERVE IN (READ KEYS)". Other opcodes' service actions
 * are commands in their own right ("READ CAPACITY(16)").
 */
const QUALIFIER_SA_OPCODES: ReadonlySet<number> = new Set([0x34, 0x3b, 0x3c, 0x48, 0x5e, 0x5f, 0x8c]);

/** Where an opcode carries its service action. */
export interface ServiceActionField {
  /** CDB byte holding the (high byte of the) service action. */
  readonly offset: number;
  /** 5: bits 4:0 of `offset`; 16: bytes `offset`..`offset+1`, big-endian. */
  readonly bits: 5 | 16;
}

const SA_BYTE1: ServiceActionField = { offset: 1, bits: 5 };
const SA_VARIABLE: ServiceActionField = { offset: 8, bits: 16 };

/**
 * Opcodes with a service action in CDB byte 1 bits 4:0. READ/WRITE BUFFER's MODE field counts
 * (SPC-4 asked for it to be treated as one), as does READ POSITION on tape.
 */
const SA_IN_BYTE1: ReadonlySet<number> = new Set([
  0x34, 0x3b, 0x3c, 0x48, 0x5e, 0x5f, 0x83, 0x84, 0x8c, 0x94, 0x95, 0x9d, 0x9e, 0x9f, 0xa3, 0xa4, 0xa9, 0xab,
]);

/**
 * Where `opcode` keeps its service action, or undefined when it has none. Depends on the device
 * type for shared codes: 34h is PRE-FETCH(10) on disks but READ POSITION (with a service action) on
 * tape/ADC; A3h/A4h are SEND KEY/REPORT KEY (no service action) on MMC devices. Variable-length 7Fh
 * keeps it in bytes 8–9. An absent device type is treated as a disk.
 */
export function serviceActionField(opcode: number, peripheralType?: number): ServiceActionField | undefined {
  if (opcode === 0x7f) return SA_VARIABLE;
  if (!SA_IN_BYTE1.has(opcode)) return undefined;
  const pdt = peripheralType ?? 0;
  if (opcode === 0x34 && pdt !== 0x01 && pdt !== 0x12) return undefined;
  if ((opcode === 0xa3 || opcode === 0xa4) && pdt === 0x05) return undefined;
  return SA_BYTE1;
}

/** Whether `opcode` carries a service action (see serviceActionField). */
export function hasServiceAction(opcode: number, peripheralType?: number): boolean {
  return serviceActionField(opcode, peripheralType) !== undefined;
}

/**
 * The service action of a CDB, or undefined when its opcode has none or the CDB is too short to
 * hold it.
 */
export function cdbServiceAction(cdb: Uint8Array, peripheralType?: number): number | undefined {
  const opcode = cdb[0];
  if (opcode === undefined) return undefined;
  const field = serviceActionField(opcode, peripheralType);
  if (field === undefined) return undefined;
  const hi = cdb[field.offset];
  if (hi === undefined) return undefined;
  if (field.bits === 5) return hi & 0x1f;
  const lo = cdb[field.offset + 1];
  return lo === undefined ? undefined : (hi << 8) | lo;
}

function baseOpcodeName(opcode: number, peripheralType: number | undefined): string {
  const row = pickByPdt(opcodeRows(opcode), (r) => r[1], peripheralType);
  if (row) return row[2].toUpperCase();
  const supplement = OPCODE_SUPPLEMENT.get(opcode);
  if (supplement !== undefined) return supplement;
  return opcode >= 0xc0 ? `VENDOR SPECIFIC [${h2(opcode)}]` : `UNKNOWN OPCODE [${h2(opcode)}]`;
}

/**
 * T10 name (uppercase, as T10 and `CdbSpec.name` write it) of an operation code, e.g.
 * opcodeName(0x88) → "READ(16)", opcodeName(0x9e, 0x10) → "READ CAPACITY(16)",
 * opcodeName(0x5e, 0) → "PERSISTENT RESERVE IN (READ KEYS)", opcodeName(0x01, undefined, 1) → "REWIND".
 * `peripheralType` (0 disk, 1 tape, 5 MMC, 8 changer, 0Dh SES, 14h ZBC …) picks among names that
 * share a code; absent means disk. A service action the tables do not know is shown in hex.
 * `serviceAction` is ignored for opcodes without one.
 */
export function opcodeName(opcode: number, serviceAction?: number, peripheralType?: number): string {
  const base = baseOpcodeName(opcode, peripheralType);
  if (serviceAction === undefined || !hasServiceAction(opcode, peripheralType)) return base;
  const row = pickByPdt(serviceActionRows(opcode, serviceAction), (r) => r[2], peripheralType);
  if (row === undefined) {
    const digits = opcode === 0x7f ? 4 : 2;
    return `${base} (SERVICE ACTION ${serviceAction.toString(16).toUpperCase().padStart(digits, '0')}h)`;
  }
  const name = row[3].toUpperCase();
  return QUALIFIER_SA_OPCODES.has(opcode) ? `${base} (${name})` : name;
}

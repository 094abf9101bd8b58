/**
 * Sense data the emulated disk returns: fixed format (70h, 18 bytes) by default, descriptor format
 * (72h) when the control mode page's D_SENSE bit is set — exactly what a device builds; decoding
 * lives in `@scsikit/cdb` (`decodeSense`).
 */
import { putU32, putU64, SENSE_KEY } from '@scsikit/cdb';

/** Sense-key specific field pointer (ILLEGAL REQUEST): where in the CDB or parameter list the error is. */
export interface FieldPointer {
  /** true: the CDB (C/D = 1); false: the parameter list (data-out). */
  readonly inCdb: boolean;
  readonly byte: number;
  /** Bit within `byte` (7 = most significant); absent → BPV = 0. */
  readonly bit?: number;
}

/** What to report: the facts, independent of the format. */
export interface SenseSpec {
  readonly key: number;
  readonly asc: number;
  readonly ascq: number;
  /** INFORMATION (an LBA, or a byte offset for MISCOMPARE). */
  readonly information?: bigint | number;
  readonly fieldPointer?: FieldPointer;
  /** Deferred error (71h/73h) rather than current. @default false */
  readonly deferred?: boolean;
  /**
   * SSC stream bits: FILEMARK 80h, EOM 40h, ILI 20h (fixed format byte 2; descriptor format a
   * stream commands descriptor, 04h). A negative INFORMATION (an overlength tape block) is sent in
   * two's complement. @default 0
   */
  readonly stream?: number;
  /**
   * ATA registers a SATL returns after ATA PASS-THROUGH with CK_COND (SAT-5): an ATA Status Return
   * descriptor (09h) in descriptor format, INFORMATION/COMMAND-SPECIFIC INFORMATION in fixed format.
   */
  readonly ataRegisters?: AtaRegisterValues;
}

/** The 28-bit ATA output registers. */
export interface AtaRegisterValues {
  readonly error: number;
  readonly status: number;
  readonly device: number;
  readonly count: number;
  readonly lbaLow: number;
  readonly lbaMid: number;
  readonly lbaHigh: number;
}

/**
 * Thrown inside the model by a handler that ends the command in CHECK CONDITION; never escapes it.
 * `dataLength`: bytes already placed in data-in (a tape READ that stopped at a filemark).
 */
export class CheckCondition {
  constructor(
    readonly sense: SenseSpec,
    readonly dataLength = 0,
  ) {}
}

/** Shorthands for the answers every handler needs. */
export const invalidOpcode = (): CheckCondition =>
  new CheckCondition({ key: SENSE_KEY.ILLEGAL_REQUEST, asc: 0x20, ascq: 0x00 });

/** INVALID FIELD IN CDB (24h/00h), pointing at the byte (and bit) in error. */
export const invalidCdbField = (byte: number, bit?: number): CheckCondition =>
  new CheckCondition({
    key: SENSE_KEY.ILLEGAL_REQUEST,
    asc: 0x24,
    ascq: 0x00,
    fieldPointer: bit === undefined ? { inCdb: true, byte } : { inCdb: true, byte, bit },
  });

/** INVALID FIELD IN PARAMETER LIST (26h/00h), pointing into the data-out buffer. */
export const invalidParameterField = (byte: number, bit?: number): CheckCondition =>
  new CheckCondition({
    key: SENSE_KEY.ILLEGAL_REQUEST,
    asc: 0x26,
    ascq: 0x00,
    fieldPointer: bit === undefined ? { inCdb: false, byte } : { inCdb: false, byte, bit },
  });

/** PARAMETER LIST LENGTH ERROR (1Ah/00h). */
export const parameterListLengthError = (): CheckCondition =>
  new CheckCondition({ key: SENSE_KEY.ILLEGAL_REQUEST, asc: 0x1a, ascq: 0x00 });

/** LOGICAL BLOCK ADDRESS OUT OF RANGE (21h/00h), INFORMATION = the LBA. */
export const lbaOutOfRange = (lba: bigint | number): CheckCondition =>
  new CheckCondition({ key: SENSE_KEY.ILLEGAL_REQUEST, asc: 0x21, ascq: 0x00, information: lba });

/** Three sense-key specific bytes: SKSV, C/D, BPV, bit pointer, field pointer. */
function sksBytes(p: FieldPointer): [number, number, number] {
  const b0 = 0x80 | (p.inCdb ? 0x40 : 0) | (p.bit === undefined ? 0 : 0x08 | (p.bit & 7));
  return [b0, (p.byte >> 8) & 0xff, p.byte & 0xff];
}

/**
 * Builds sense bytes. Fixed format holds a 32-bit INFORMATION: a larger value is left out with
 * VALID = 0, as SPC requires. Descriptor format carries an information descriptor (64 bits) and a
 * sense-key specific descriptor when given.
 */
export function buildSense(spec: SenseSpec, descriptor: boolean): Uint8Array {
  const raw = spec.information === undefined ? undefined : BigInt(spec.information);
  const stream = (spec.stream ?? 0) & 0xe0;
  if (!descriptor) {
    const info = raw !== undefined && raw < 0n && raw >= -(1n << 31n) ? raw + (1n << 32n) : raw;
    const b = new Uint8Array(18);
    b[0] = spec.deferred === true ? 0x71 : 0x70;
    b[2] = (spec.key & 0x0f) | stream;
    b[7] = 10;
    if (info !== undefined && info <= 0xffffffffn) {
      b[0] = (b[0] as number) | 0x80;
      putU32(b, 3, Number(info));
    }
    b[12] = spec.asc;
    b[13] = spec.ascq;
    if (spec.fieldPointer !== undefined) b.set(sksBytes(spec.fieldPointer), 15);
    const r = spec.ataRegisters;
    if (r !== undefined) {
      // SAT-5 fixed format: VALID, ERROR STATUS DEVICE COUNT(7:0), then flags and LBA(23:0).
      b[0] = (b[0] as number) | 0x80;
      b.set([r.error, r.status, r.device, r.count], 3);
      b.set([0, r.lbaLow, r.lbaMid, r.lbaHigh], 8);
    }
    return b;
  }
  const info = raw !== undefined && raw < 0n ? raw + (1n << 64n) : raw;
  const parts: Uint8Array[] = [];
  const r = spec.ataRegisters;
  if (r !== undefined) {
    // ATA Status Return descriptor: LBA bytes interleaved with the (zero) 48-bit upper halves.
    parts.push(
      Uint8Array.of(
        0x09,
        0x0c,
        0,
        r.error,
        0,
        r.count,
        0,
        r.lbaLow,
        0,
        r.lbaMid,
        0,
        r.lbaHigh,
        r.device,
        r.status,
      ),
    );
  }
  if (info !== undefined) {
    const d = new Uint8Array(12);
    d[0] = 0x00;
    d[1] = 0x0a;
    d[2] = 0x80;
    putU64(d, 4, info & 0xffffffffffffffffn);
    parts.push(d);
  }
  if (stream !== 0) {
    const d = new Uint8Array(4);
    d[0] = 0x04;
    d[1] = 0x02;
    d[3] = stream;
    parts.push(d);
  }
  if (spec.fieldPointer !== undefined) {
    const d = new Uint8Array(8);
    d[0] = 0x02;
    d[1] = 0x06;
    d.set(sksBytes(spec.fieldPointer), 4);
    parts.push(d);
  }
  const extra = parts.reduce((n, p) => n + p.length, 0);
  const b = new Uint8Array(8 + extra);
  b[0] = spec.deferred === true ? 0x73 : 0x72;
  b[1] = spec.key & 0x0f;
  b[2] = spec.asc;
  b[3] = spec.ascq;
  b[7] = extra;
  let off = 8;
  for (const p of parts) {
    b.set(p, off);
    off += p.length;
  }
  return b;
}

/** NO SENSE, no additional sense information: what REQUEST SENSE returns when nothing is pending. */
export const NO_SENSE: SenseSpec = { key: SENSE_KEY.NO_SENSE, asc: 0, ascq: 0 };

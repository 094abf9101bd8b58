/**
 * The ATA registers a SATL returns in sense data (SAT-5 12.2.2.6/12.2.2.7) after an ATA
 * PASS-THROUGH with CK_COND set, or after an ATA error: the descriptor format's ATA Status Return
 * descriptor (09h), or the fixed format's INFORMATION and COMMAND-SPECIFIC INFORMATION fields
 * (Linux's libata answers in the format the control mode page's D_SENSE asks for, fixed by default).
 * And SMART RETURN STATUS read from them.
 */
import { DecodeError } from '../errors.js';
import type { SenseData } from '../sense.js';

/** ASC/ASCQ 00h/1Dh: ATA PASS THROUGH INFORMATION AVAILABLE (the CK_COND answer, RECOVERED ERROR). */
export const ATA_PASS_THROUGH_INFORMATION = { asc: 0x00, ascq: 0x1d } as const;

/** ATA output registers, as the SATL returned them. */
export interface AtaRegisters {
  /** 'descriptor': from an ATA Status Return descriptor (09h); 'fixed': from fixed format sense. */
  readonly source: 'descriptor' | 'fixed';
  /** The command was a 48-bit one: the upper COUNT and LBA bytes are meaningful. */
  readonly extend: boolean;
  readonly error: number;
  readonly status: number;
  readonly device: number;
  /** COUNT: 8 bits, 16 with `extend` (descriptor format only; fixed format carries 7:0). */
  readonly count: number;
  /** LBA(7:0), LBA(15:8) "LBA mid", LBA(23:16) "LBA high". */
  readonly lbaLow: number;
  readonly lbaMid: number;
  readonly lbaHigh: number;
  /** LBA(47:0) with `extend` in descriptor format, else LBA(23:0). */
  readonly lba: number;
  /** Fixed format only: COUNT(15:8) / LBA(47:24) were non-zero but could not be returned. */
  readonly countUpperNonZero?: boolean;
  readonly lbaUpperNonZero?: boolean;
}

/**
 * The ATA registers in decoded sense data, or undefined when it carries none: no ATA Status Return
 * descriptor; fixed format without ASC/ASCQ 00h/1Dh, whose INFORMATION field then means something
 * else — unless `passThrough` says the sense answered an ATA PASS-THROUGH command, whose fixed
 * format sense carries the registers with any ASC (an aborted command: ABORTED COMMAND 00h/00h)
 * when VALID is set. Fixed format (SAT-5 "ATA PASS-THROUGH fixed format sense data"): bytes 3-6 ERROR, STATUS,
 * DEVICE, COUNT(7:0); byte 8 bit 7 EXTEND, bit 6 COUNT UPPER NONZERO, bit 5 LBA UPPER NONZERO;
 * bytes 9-11 LBA(7:0), LBA(15:8), LBA(23:16).
 */
export function ataRegistersFromSense(
  sense: SenseData,
  options: { readonly passThrough?: boolean } = {},
): AtaRegisters | undefined {
  if (sense.format === 'descriptor') {
    const d = sense.descriptors.find((x) => x.kind === 'ataStatusReturn');
    if (d === undefined || d.kind !== 'ataStatusReturn') return undefined;
    return {
      source: 'descriptor',
      extend: d.extend,
      error: d.error,
      status: d.status,
      device: d.device,
      count: d.count,
      lbaLow: d.lba % 0x100,
      lbaMid: Math.floor(d.lba / 0x100) % 0x100,
      lbaHigh: Math.floor(d.lba / 0x10000) % 0x100,
      lba: d.lba,
    };
  }
  if (sense.format !== 'fixed') return undefined;
  const information =
    sense.asc === ATA_PASS_THROUGH_INFORMATION.asc && sense.ascq === ATA_PASS_THROUGH_INFORMATION.ascq;
  if (!information && !(options.passThrough === true && sense.valid)) return undefined;
  // ASC/ASCQ are bytes 12-13: an answer that has them has the registers before them.
  const b = sense.raw;
  const at = (i: number) => b[i] ?? 0;
  const flags = at(8);
  return {
    source: 'fixed',
    extend: (flags & 0x80) !== 0,
    error: at(3),
    status: at(4),
    device: at(5),
    count: at(6),
    lbaLow: at(9),
    lbaMid: at(10),
    lbaHigh: at(11),
    lba: (at(11) << 16) | (at(10) << 8) | at(9),
    countUpperNonZero: (flags & 0x40) !== 0,
    lbaUpperNonZero: (flags & 0x20) !== 0,
  };
}

/** SMART RETURN STATUS's answer: LBA mid/high C24Fh (ACS-4 7.48.8 "SMART RETURN STATUS"). */
export type SmartStatus = 'ok' | 'thresholdExceeded';

/** SMART RETURN STATUS in the registers: LBA mid/high 4Fh/C2h, or F4h/2Ch when a threshold is exceeded. */
export const SMART_STATUS_SIGNATURES = {
  ok: { lbaMid: 0x4f, lbaHigh: 0xc2 },
  thresholdExceeded: { lbaMid: 0xf4, lbaHigh: 0x2c },
} as const;

/**
 * The SMART status in the registers SMART RETURN STATUS left. Throws DecodeError for any other
 * LBA mid/high (the drive did not run the command, or the SATL returned stale registers) and when
 * the ATA status says the command was aborted (ERR bit 0 with ABRT: SMART disabled or unsupported).
 */
export function smartStatusFromRegisters(registers: AtaRegisters): SmartStatus {
  if ((registers.status & 0x01) !== 0) {
    throw new DecodeError(
      'status',
      `the device ended SMART RETURN STATUS with an error (status ${hex2(registers.status)}, error ${hex2(registers.error)}): SMART disabled or not supported`,
    );
  }
  const { lbaMid, lbaHigh } = registers;
  const ok = SMART_STATUS_SIGNATURES.ok;
  const bad = SMART_STATUS_SIGNATURES.thresholdExceeded;
  if (lbaMid === ok.lbaMid && lbaHigh === ok.lbaHigh) return 'ok';
  if (lbaMid === bad.lbaMid && lbaHigh === bad.lbaHigh) return 'thresholdExceeded';
  throw new DecodeError(
    'lbaMidHigh',
    `SMART RETURN STATUS left LBA mid/high ${hex2(lbaMid)}/${hex2(lbaHigh)}, neither 4Fh/C2h (ok) nor F4h/2Ch (threshold exceeded)`,
  );
}

function hex2(v: number): string {
  return `${v.toString(16).padStart(2, '0').toUpperCase()}h`;
}

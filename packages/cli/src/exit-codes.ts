/**
 * Exit statuses, following sg3_utils (`man sg3_utils`, EXIT STATUS) so scripts written for its
 * utilities keep working: the SCSI outcome picks the status the same way sg_lib's
 * sg_err_category_sense does (sense key first, then the two ILLEGAL REQUEST special cases).
 */
import { CdbBuildError, DecodeError } from '@scsikit/cdb';
import {
  CheckConditionError,
  ClosedError,
  DeviceGoneError,
  HostError,
  InvalidArgumentError,
  PermissionError,
  ScsiStatusError,
  TimeoutError,
  TransportFailureError,
} from '@scsikit/core';
import { FileError, MalformedResponseError, UsageError } from './errors.js';

export const EXIT = {
  OK: 0,
  SYNTAX_ERROR: 1,
  NOT_READY: 2,
  MEDIUM_HARD: 3,
  /** `health`: no source could give a verdict (smartctl's bit 2: SMART or ATA commands failed). */
  HEALTH_UNKNOWN: 4,
  ILLEGAL_REQUEST: 5,
  UNIT_ATTENTION: 6,
  DATA_PROTECT: 7,
  /** `health`: the verdict is FAILED (smartctl's bit 3, 8: "SMART status check returned DISK FAILING"). */
  HEALTH_FAILED: 8,
  INVALID_OP: 9,
  COPY_ABORTED: 10,
  ABORTED_COMMAND: 11,
  MISCOMPARE: 14,
  FILE_ERROR: 15,
  NO_SENSE: 20,
  RECOVERED: 21,
  LBA_OUT_OF_RANGE: 22,
  RESERVATION_CONFLICT: 24,
  CONDITION_MET: 25,
  BUSY: 26,
  TASK_SET_FULL: 27,
  ACA_ACTIVE: 28,
  TASK_ABORTED: 29,
  TIMEOUT: 33,
  TRANSPORT_ERROR: 35,
  PROTECTION: 40,
  MALFORMED: 97,
  SENSE: 98,
  OTHER: 99,
} as const;

export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

/** One line per status, as the help and README show them (wording after `sg_decode_sense --err`). */
export const EXIT_DESCRIPTIONS: Readonly<Record<ExitStatus, string>> = {
  0: 'success',
  1: 'syntax error (bad option, argument or combination)',
  2: 'device not ready',
  3: 'medium or hardware error (or blank check)',
  4: 'health: UNKNOWN, no health source answered',
  5: 'illegal request (other than invalid operation code)',
  6: 'unit attention',
  7: 'data protect',
  8: 'health: FAILED, the disk reports a failure (prediction)',
  9: 'illegal request: invalid command operation code',
  10: 'copy aborted',
  11: 'aborted command',
  14: 'miscompare',
  15: 'file error (cannot open, read or write DEVICE or a file)',
  20: 'no sense (with additional information)',
  21: 'recovered error',
  22: 'LBA out of range',
  24: 'reservation conflict',
  25: 'condition met',
  26: 'busy',
  27: 'task set full',
  28: 'ACA active',
  29: 'task aborted',
  33: 'command timed out',
  35: 'transport error (host adapter or driver)',
  40: 'aborted command, protection information',
  97: 'malformed response',
  98: 'sense data in another category',
  99: 'other error',
};

const SAM_STATUS_EXIT: Readonly<Record<number, ExitStatus>> = {
  4: EXIT.CONDITION_MET,
  8: EXIT.BUSY,
  24: EXIT.RESERVATION_CONFLICT,
  40: EXIT.TASK_SET_FULL,
  48: EXIT.ACA_ACTIVE,
  64: EXIT.TASK_ABORTED,
};

/** Sense key, ASC, ASCQ → exit status (sg_lib's sg_err_category_sense). */
export function exitForSense(senseKey: number, asc: number, ascq: number): ExitStatus {
  switch (senseKey) {
    case 0x0:
      return EXIT.NO_SENSE;
    case 0x1:
      return EXIT.RECOVERED;
    case 0x2:
      return EXIT.NOT_READY;
    case 0x3:
    case 0x4:
    case 0x8:
      return EXIT.MEDIUM_HARD;
    case 0x5:
      if (asc === 0x20 && ascq === 0x00) return EXIT.INVALID_OP;
      if (asc === 0x21 && ascq === 0x00) return EXIT.LBA_OUT_OF_RANGE;
      return EXIT.ILLEGAL_REQUEST;
    case 0x6:
      return EXIT.UNIT_ATTENTION;
    case 0x7:
      return EXIT.DATA_PROTECT;
    case 0xa:
      return EXIT.COPY_ABORTED;
    case 0xb:
      return asc === 0x10 ? EXIT.PROTECTION : EXIT.ABORTED_COMMAND;
    case 0xe:
      return EXIT.MISCOMPARE;
    default:
      return EXIT.SENSE;
  }
}

/** The exit status for anything a command threw. */
export function exitStatusFor(e: unknown): ExitStatus {
  if (e instanceof UsageError || e instanceof CdbBuildError) return EXIT.SYNTAX_ERROR;
  if (e instanceof FileError) return EXIT.FILE_ERROR;
  if (e instanceof CheckConditionError) {
    if (e.sense.format === 'vendor') return EXIT.SENSE;
    return exitForSense(e.senseKey, e.asc, e.ascq);
  }
  if (e instanceof ScsiStatusError) return SAM_STATUS_EXIT[e.status] ?? EXIT.OTHER;
  if (e instanceof TimeoutError) return EXIT.TIMEOUT;
  if (e instanceof HostError || e instanceof TransportFailureError) return EXIT.TRANSPORT_ERROR;
  // A read-only refusal is a usage mistake (the --write flag was missing), not a device answer.
  if (e instanceof PermissionError) return e.reason === 'read-only' ? EXIT.SYNTAX_ERROR : EXIT.FILE_ERROR;
  // The SDK's capacity guard stands in for the device's 05h/21h/00h: same status as that sense.
  if (e instanceof InvalidArgumentError && e.reason === 'lba-out-of-range') return EXIT.LBA_OUT_OF_RANGE;
  if (e instanceof InvalidArgumentError) return e.field === 'target' ? EXIT.FILE_ERROR : EXIT.SYNTAX_ERROR;
  if (e instanceof DeviceGoneError || e instanceof ClosedError) return EXIT.FILE_ERROR;
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'EISDIR') return EXIT.FILE_ERROR;
  if (e instanceof MalformedResponseError) return EXIT.MALFORMED;
  if (e instanceof DecodeError) return EXIT.MALFORMED;
  return EXIT.OTHER;
}

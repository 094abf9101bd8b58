/**
 * Where real targets answer something other than the suite's standard expectation: per case id,
 * per target kind, the recorded answer and a one-line note. The suite asserts the recorded answer
 * exactly on that target (a wrong entry fails, so the table stays verified); the emulated disk has
 * no column here — it must follow the standard.
 *
 * `basis: 'observed'` entries were seen in the lab (LAB.md, lab tests: every entry here was
 * asserted by a passing lab run on Linux 7.3.4); `'predicted'` marks a reading of the target's
 * source (scsi_debug.c, target_core_{sbc,spc,transport}.c, QEMU's hw/scsi/scsi-disk.c) not yet seen. `kind: 'variant'` marks an answer the standard allows
 * (an optional command or page not implemented, a reserved bit not checked); `'deviation'` one it
 * does not.
 */
import { type Answer, CHECK_CONDITION, GOOD } from './answers.js';
import type { CaseId } from './catalog.js';

/** Every implementation the suite knows; `emulated` is `@scsikit/emulated-disk`. */
export type TargetKind = 'emulated' | 'scsi_debug' | 'qemu' | 'lio';
/** Targets that may carry deviations. */
export type RealTargetKind = Exclude<TargetKind, 'emulated'>;

export const REAL_TARGETS: readonly RealTargetKind[] = ['scsi_debug', 'qemu', 'lio'];

export interface RecordedAnswer {
  readonly answer: Answer;
  /** One line: what the target does and why (source function or lab observation). */
  readonly note: string;
  readonly basis: 'observed' | 'predicted';
  /** @default 'deviation' */
  readonly kind?: 'deviation' | 'variant';
  /**
   * The probe inside the case the answer is for (a case with several commands names them);
   * absent = the case's main probe. The case ends once the recorded answer is confirmed.
   */
  readonly step?: string;
  /** Applies only when the target descriptor's `config` contains this tag (e.g. `'no-wwn'`). */
  readonly onlyWith?: string;
}

export type DeviationsTable = Readonly<
  Partial<Record<CaseId, Readonly<Partial<Record<RealTargetKind, RecordedAnswer>>>>>
>;

const cc = (key: number, asc: number, ascq: number, more: Partial<Answer> = {}): Answer => ({
  status: CHECK_CONDITION,
  sense: [key, asc, ascq],
  ...more,
});

const INVALID_OPCODE = cc(0x5, 0x20, 0x00);

export const DEVIATIONS: DeviationsTable = {
  'inquiry.allocation-length': {
    qemu: {
      answer: { status: GOOD, facts: { prefixOfFullAnswer: false } },
      note: 'ADDITIONAL LENGTH follows the allocation length (scsi_disk_emulate_inquiry sets byte 4 = allocation − 5)',
      basis: 'observed',
    },
  },
  'inquiry.vpd.83': {
    qemu: {
      answer: { status: GOOD, facts: { naaLogicalUnit: false } },
      note: 'no NAA designator unless scsi-hd has wwn= (the lab sets it)',
      basis: 'observed',
      onlyWith: 'no-wwn',
    },
  },
  'inquiry.vpd.invalid-page': {
    qemu: {
      answer: cc(0x5, 0x24, 0x00, { fieldPointer: 'absent' }),
      note: 'SENSE_CODE(INVALID_FIELD) carries no sense-key specific bytes',
      basis: 'observed',
    },
    lio: {
      answer: cc(0x5, 0x24, 0x00, { fieldPointer: 'absent' }),
      note: 'TCM_INVALID_CDB_FIELD is sent without a field pointer',
      basis: 'observed',
    },
  },
  'inquiry.page-without-evpd': {
    scsi_debug: {
      answer: { status: GOOD },
      note: 'resp_inquiry ignores the page code when EVPD is 0 and returns standard data',
      basis: 'observed',
    },
    qemu: {
      answer: cc(0x5, 0x24, 0x00, { fieldPointer: 'absent' }),
      note: 'SENSE_CODE(INVALID_FIELD) carries no sense-key specific bytes',
      basis: 'observed',
    },
    lio: {
      answer: cc(0x5, 0x24, 0x00, { fieldPointer: 'absent' }),
      note: 'TCM_INVALID_CDB_FIELD is sent without a field pointer',
      basis: 'observed',
    },
  },
  'rw.fua': {
    lio: {
      answer: cc(0x5, 0x24, 0x00),
      note: 'fileio without write cache (WCE 0, DPOFUA 0) refuses FUA writes (sbc_check_dpofua)',
      basis: 'observed',
      kind: 'variant',
    },
  },
  'verify.bytchk1-match': {
    qemu: {
      answer: cc(0x5, 0x24, 0x00),
      note: 'scsi-hd refuses BYTCHK ≠ 0 (no byte-by-byte compare)',
      basis: 'observed',
      kind: 'variant',
    },
  },
  'verify.bytchk1-miscompare': {
    scsi_debug: {
      answer: cc(0xe, 0x1d, 0x00, { information: 'absent' }),
      note: 'resp_verify reports the miscompare without the INFORMATION offset',
      basis: 'observed',
    },
    qemu: {
      answer: cc(0x5, 0x24, 0x00),
      note: 'scsi-hd refuses BYTCHK ≠ 0 (no byte-by-byte compare)',
      basis: 'observed',
      kind: 'variant',
    },
    lio: {
      answer: { status: GOOD },
      note: 'VERIFY is a no-op (sbc_emulate_noop): the data-out is never compared',
      basis: 'observed',
    },
  },
  'sync-cache.16': {
    qemu: {
      answer: INVALID_OPCODE,
      note: 'scsi-hd implements SYNCHRONIZE CACHE(10) only',
      basis: 'observed',
      kind: 'variant',
    },
  },
  'caw.match': {
    qemu: {
      answer: { status: GOOD, hostStatus: 0x07 },
      note: 'no COMPARE AND WRITE; virtio-scsi fails the data-out command with DID_ERROR',
      basis: 'observed',
    },
  },
  'caw.miscompare': {
    scsi_debug: {
      answer: cc(0xe, 0x1d, 0x00, { information: 'absent' }),
      note: 'resp_comp_write reports the miscompare without the INFORMATION offset',
      basis: 'observed',
    },
    qemu: {
      answer: { status: GOOD, hostStatus: 0x07 },
      note: 'no COMPARE AND WRITE; virtio-scsi fails the data-out command with DID_ERROR',
      basis: 'observed',
    },
  },
  'thin.get-lba-status': {
    qemu: {
      answer: cc(0x5, 0x24, 0x00),
      note: 'SERVICE ACTION IN(16) knows READ CAPACITY(16) only: INVALID FIELD IN CDB',
      basis: 'observed',
      kind: 'variant',
    },
    lio: {
      answer: cc(0x5, 0x24, 0x00),
      note: 'fileio does not answer GET LBA STATUS (unsupported service action)',
      basis: 'observed',
      kind: 'variant',
    },
  },
  'mode-sense.control': {
    qemu: {
      answer: cc(0x5, 0x24, 0x00),
      note: 'scsi-hd has pages 01h 04h 05h 08h only',
      basis: 'observed',
      kind: 'variant',
    },
  },
  'mode-sense.ie': {
    qemu: {
      answer: cc(0x5, 0x24, 0x00),
      note: 'scsi-hd has pages 01h 04h 05h 08h only',
      basis: 'observed',
      kind: 'variant',
    },
  },
  'mode-select.no-self-unit-attention': {
    scsi_debug: {
      answer: cc(0x6, 0x2a, 0x01),
      note: 'resp_mode_select raises MODE PARAMETERS CHANGED on the device itself, so the sender sees it too',
      basis: 'observed',
    },
  },
  'log-sense.supported-pages': {
    qemu: {
      answer: INVALID_OPCODE,
      note: 'no LOG SENSE',
      basis: 'observed',
      kind: 'variant',
    },
    lio: {
      answer: INVALID_OPCODE,
      note: 'no LOG SENSE',
      basis: 'observed',
      kind: 'variant',
    },
  },
  'rsoc.all': {
    qemu: {
      answer: INVALID_OPCODE,
      note: 'no REPORT SUPPORTED OPERATION CODES',
      basis: 'observed',
      kind: 'variant',
    },
  },
  'rsoc.one': {
    qemu: {
      answer: INVALID_OPCODE,
      note: 'no REPORT SUPPORTED OPERATION CODES',
      basis: 'observed',
      kind: 'variant',
    },
  },
  'start-stop.start': {
    lio: {
      answer: cc(0x5, 0x24, 0x00),
      note: 'sbc_emulate_startstop requires IMMED 1',
      basis: 'observed',
    },
  },
  'start-stop.stop-then-start': {
    lio: {
      answer: cc(0x5, 0x24, 0x00),
      note: 'sbc_emulate_startstop accepts only START 1 with IMMED 1: the unit cannot be stopped',
      basis: 'observed',
      step: 'stop',
    },
    qemu: {
      answer: { status: GOOD },
      note: 'START 0 is accepted but the disk never stops: TEST UNIT READY stays GOOD',
      basis: 'observed',
      step: 'tur-while-stopped',
    },
  },
  'cdb.reserved-bit': {
    scsi_debug: {
      answer: { status: GOOD },
      note: 'reserved bits are checked only with strict=1',
      basis: 'observed',
      kind: 'variant',
    },
    qemu: {
      answer: { status: GOOD },
      note: 'reserved CDB bits are not checked',
      basis: 'observed',
      kind: 'variant',
    },
    lio: {
      answer: { status: GOOD },
      note: 'reserved CDB bits are not checked',
      basis: 'observed',
      kind: 'variant',
    },
  },
  'pr.read-keys': {
    scsi_debug: {
      answer: INVALID_OPCODE,
      note: 'no persistent reservations',
      basis: 'observed',
      kind: 'variant',
    },
    qemu: {
      answer: INVALID_OPCODE,
      note: 'no persistent reservations in scsi-hd (only scsi-block with a pr-manager)',
      basis: 'observed',
      kind: 'variant',
    },
  },
};

/** The recorded answer for `id` on this target, honouring `onlyWith`. */
export function deviationFor(
  table: DeviationsTable,
  id: CaseId,
  kind: TargetKind,
  config: readonly string[] = [],
): RecordedAnswer | undefined {
  if (kind === 'emulated') return undefined;
  const entry = table[id]?.[kind];
  if (entry === undefined) return undefined;
  if (entry.onlyWith !== undefined && !config.includes(entry.onlyWith)) return undefined;
  return entry;
}

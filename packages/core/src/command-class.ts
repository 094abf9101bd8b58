/**
 * One table that says, per opcode (and service action where it matters), whether a command only
 * reads ('read') or may change the medium or the device's state ('write'), and whether it is safe
 * to send twice ('idempotent'). The read-only guard and the retry policy both read it.
 *
 * Decisions worth knowing:
 * - SYNCHRONIZE CACHE and PRE-FETCH are 'read': they change no data, only when data already written
 *   reaches the medium; a read-only monitor may flush. (Non-root callers may still get EPERM from
 *   the kernel's own filter on an O_RDONLY fd; that surfaces as a PermissionError too.)
 * - VERIFY (any BYTCHK) is 'read': it compares, it never writes.
 * - PREVENT ALLOW MEDIUM REMOVAL, START STOP UNIT, MODE/LOG SELECT, SEND DIAGNOSTIC, SET TARGET PORT
 *   GROUPS and every PERSISTENT RESERVE OUT are 'write': they change the device's state.
 * - ATA PASS-THROUGH(12/16) is 'read' only for PIO data-in / DMA data-in protocols (IDENTIFY, SMART
 *   READ DATA, READ LOG EXT); non-data (which covers SECURITY ERASE, SMART EXECUTE, FLUSH…), data-out
 *   and resets are 'write'. ATA PASS-THROUGH(32) is always 'write'.
 * - Any opcode or service action not in the table (vendor-specific, obsolete, unknown) is 'write'.
 */
import { cdbServiceAction } from '@scsikit/cdb';

/** 'read': changes nothing on the medium or in the device; 'write': may change either. */
export type CommandAccess = 'read' | 'write';

/** What `classifyCommand` says about one CDB: the read-only guard and the retry policy act on it. */
export interface CommandClass {
  readonly access: CommandAccess;
  /**
   * Sending it again after an ambiguous failure does no harm. False for COMPARE AND WRITE, PERSISTENT
   * RESERVE OUT, FORMAT UNIT, SANITIZE, WRITE BUFFER, SECURITY PROTOCOL OUT, EXTENDED COPY and anything unknown.
   */
  readonly idempotent: boolean;
}

const READ: CommandClass = { access: 'read', idempotent: true };
const WRITE: CommandClass = { access: 'write', idempotent: true };
const WRITE_ONCE: CommandClass = { access: 'write', idempotent: false };

/** Opcodes whose class does not depend on a service action. */
const BY_OPCODE: ReadonlyMap<number, CommandClass> = new Map([
  [0x00, READ], // TEST UNIT READY
  [0x03, READ], // REQUEST SENSE
  [0x04, WRITE_ONCE], // FORMAT UNIT
  [0x07, WRITE], // REASSIGN BLOCKS
  [0x08, READ], // READ(6)
  [0x0a, WRITE], // WRITE(6)
  [0x12, READ], // INQUIRY
  [0x15, WRITE], // MODE SELECT(6)
  [0x1a, READ], // MODE SENSE(6)
  [0x1b, WRITE], // START STOP UNIT
  [0x1c, READ], // RECEIVE DIAGNOSTIC RESULTS
  [0x1d, WRITE], // SEND DIAGNOSTIC
  [0x1e, WRITE], // PREVENT ALLOW MEDIUM REMOVAL
  [0x25, READ], // READ CAPACITY(10)
  [0x28, READ], // READ(10)
  [0x2a, WRITE], // WRITE(10)
  [0x2e, WRITE], // WRITE AND VERIFY(10)
  [0x2f, READ], // VERIFY(10)
  [0x34, READ], // PRE-FETCH(10)
  [0x35, READ], // SYNCHRONIZE CACHE(10)
  [0x37, READ], // READ DEFECT DATA(10)
  [0x3b, WRITE_ONCE], // WRITE BUFFER
  [0x3c, READ], // READ BUFFER(10)
  [0x3e, READ], // READ LONG(10)
  [0x3f, WRITE], // WRITE LONG(10)
  [0x41, WRITE], // WRITE SAME(10)
  [0x42, WRITE], // UNMAP
  [0x48, WRITE_ONCE], // SANITIZE
  [0x4c, WRITE], // LOG SELECT
  [0x4d, READ], // LOG SENSE
  [0x55, WRITE], // MODE SELECT(10)
  [0x5a, READ], // MODE SENSE(10)
  [0x5e, READ], // PERSISTENT RESERVE IN
  [0x5f, WRITE_ONCE], // PERSISTENT RESERVE OUT
  [0x83, WRITE_ONCE], // EXTENDED COPY (third-party copy OUT)
  [0x84, READ], // RECEIVE COPY RESULTS (third-party copy IN)
  [0x88, READ], // READ(16)
  [0x89, WRITE_ONCE], // COMPARE AND WRITE
  [0x8a, WRITE], // WRITE(16)
  [0x8b, WRITE], // ORWRITE(16)
  [0x8c, READ], // READ ATTRIBUTE
  [0x8d, WRITE], // WRITE ATTRIBUTE
  [0x8e, WRITE], // WRITE AND VERIFY(16)
  [0x8f, READ], // VERIFY(16)
  [0x90, READ], // PRE-FETCH(16)
  [0x91, READ], // SYNCHRONIZE CACHE(16)
  [0x93, WRITE], // WRITE SAME(16)
  [0x94, WRITE], // ZBC OUT (reset write pointer, open/close/finish zone)
  [0x95, READ], // ZBC IN (report zones/realms/domains)
  [0x9b, READ], // READ BUFFER(16)
  [0x9c, WRITE], // WRITE ATOMIC(16)
  [0x9f, WRITE], // SERVICE ACTION OUT(16) (WRITE LONG(16)…)
  [0xa0, READ], // REPORT LUNS
  [0xa2, READ], // SECURITY PROTOCOL IN
  [0xa3, READ], // MAINTENANCE IN (REPORT TARGET PORT GROUPS, REPORT SUPPORTED OPCODES…)
  [0xa4, WRITE], // MAINTENANCE OUT (SET TARGET PORT GROUPS…)
  [0xa8, READ], // READ(12)
  [0xaa, WRITE], // WRITE(12)
  [0xae, WRITE], // WRITE AND VERIFY(12)
  [0xaf, READ], // VERIFY(12)
  [0xb5, WRITE_ONCE], // SECURITY PROTOCOL OUT
  [0xb7, READ], // READ DEFECT DATA(12)
]);

/** SERVICE ACTION IN(16), 9Eh: read-class service actions. */
const SA_IN_16_READ: ReadonlySet<number> = new Set([
  0x10, // READ CAPACITY(16)
  0x11, // READ LONG(16)
  0x12, // GET LBA STATUS
  0x13, // REPORT REFERRALS
  0x16, // GET STREAM STATUS
  0x17, // GET PHYSICAL ELEMENT STATUS
]);

/** Variable-length (7Fh) service actions that only read. */
const VARIABLE_READ: ReadonlySet<number> = new Set([
  0x0009, // READ(32)
  0x000a, // VERIFY(32)
]);

/** Variable-length (7Fh) writes that are safe to repeat: WRITE, WRITE AND VERIFY, WRITE SAME, ORWRITE (32). */
const VARIABLE_WRITE: ReadonlySet<number> = new Set([0x000b, 0x000c, 0x000d, 0x000e]);

const ATA_PASS_THROUGH_12 = 0xa1;
const ATA_PASS_THROUGH_16 = 0x85;
/** ATA PROTOCOL field values that move data in: PIO data-in (4), UDMA data-in (10). */
const ATA_PROTOCOL_IN: ReadonlySet<number> = new Set([4, 10]);
/** DMA (6), DMA queued (7), FPDMA (12): data-in when T_DIR (byte 2 bit 3) is set. */
const ATA_PROTOCOL_DMA: ReadonlySet<number> = new Set([6, 7, 12]);
/** RETURN RESPONSE INFORMATION (15): reads the ATA registers, runs nothing. */
const ATA_PROTOCOL_RESPONSE = 15;

/** ATA PASS-THROUGH(12/16): PROTOCOL is byte 1 bits 4-1, T_DIR byte 2 bit 3. */
function classifyAta(cdb: Uint8Array): CommandClass {
  const protocol = ((cdb[1] ?? 0) >> 1) & 0x0f;
  const tDirIn = ((cdb[2] ?? 0) & 0x08) !== 0;
  if (ATA_PROTOCOL_IN.has(protocol) || protocol === ATA_PROTOCOL_RESPONSE) return READ;
  if (ATA_PROTOCOL_DMA.has(protocol) && tDirIn) return READ;
  return WRITE_ONCE;
}

/**
 * Classifies a CDB by opcode and service action. Anything the table does not know is a
 * non-idempotent write: the safe answer for a guard and for a retry policy.
 */
export function classifyCommand(cdb: Uint8Array): CommandClass {
  const opcode = cdb[0];
  if (opcode === undefined) return WRITE_ONCE;
  if (opcode === ATA_PASS_THROUGH_12 || opcode === ATA_PASS_THROUGH_16) return classifyAta(cdb);
  if (opcode === 0x9e) {
    const sa = cdbServiceAction(cdb) ?? (cdb[1] ?? 0) & 0x1f;
    return SA_IN_16_READ.has(sa) ? READ : WRITE_ONCE;
  }
  if (opcode === 0x7f) {
    const sa = ((cdb[8] ?? 0) << 8) | (cdb[9] ?? 0);
    if (VARIABLE_READ.has(sa)) return READ;
    return VARIABLE_WRITE.has(sa) ? WRITE : WRITE_ONCE; // 1FF0h ATA PASS-THROUGH(32) included
  }
  return BY_OPCODE.get(opcode) ?? WRITE_ONCE;
}

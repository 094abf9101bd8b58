/**
 * The command registry: one entry per command scsikit knows (opcode, service action, name, CDB
 * length, data direction, access class, idempotence, reservation class). The CDB decoder's names
 * and lengths, core's read-only guard and retry policy, the emulated disk's dispatch and the CLI's
 * `raw` naming all read it; nothing else keeps these facts.
 *
 * Sources: SPC-6, SBC-5, ZBC-2, SAT-5 for opcodes, lengths and directions (names as the T10 tables
 * in spec/ give them, see names.ts). Access classes follow the Linux SCSI command filter where it has
 * an opinion (`scsi_cmd_allowed()`, block/scsi_ioctl.c since 5.15, now drivers/scsi/scsi_ioctl.c)
 * and are stricter where it is lenient (START STOP UNIT, which the kernel lets a read-only fd send,
 * is write-class here). Reservation classes follow the "commands allowed in the presence of
 * persistent reservations" tables of SPC-6 (5.13) and SBC-5 (4.17) for the commands the emulated
 * disk implements; for the others, by the same pattern: commands that report identity, status or
 * capabilities never conflict, other commands that only return data conflict under Exclusive
 * Access, anything that changes the medium or the device conflicts under every type.
 *
 * Adding a command: docs/adding-a-command.md.
 */
import { cdbServiceAction, opcodeName } from './names.js';
import type { DataDirection } from './types.js';

/** 'read': changes nothing on the medium or in the device; 'write': may change either. */
export type CommandAccess = 'read' | 'write';

/** What the read-only guard and the retry policy act on. */
export interface CommandClass {
  readonly access: CommandAccess;
  /** Sending it again after an ambiguous failure does no harm. */
  readonly idempotent: boolean;
}

/**
 * How a command fares against another initiator's persistent reservation (SPC-6 5.13, SBC-5 4.17):
 * 'none' is allowed under every type, 'read' conflicts under Exclusive Access (it reads user data),
 * 'write' conflicts under Write Exclusive too. PERSISTENT RESERVE IN/OUT are 'none': their own
 * rules decide.
 */
export type ReservationClass = 'none' | 'read' | 'write';

export interface CommandEntry {
  readonly opcode: number;
  /**
   * The service action this entry is for. 'any': every service action of `opcode` without an entry
   * of its own (the opcodes whose service action only qualifies the command, such as PERSISTENT
   * RESERVE IN, and the class of the not-yet-listed actions of MAINTENANCE IN/OUT and the like).
   * Absent for opcodes without a service action.
   */
  readonly serviceAction?: number | 'any';
  /** Name as T10 writes it and as the builder's CdbSpec.name gives it, e.g. "READ(16)". */
  readonly name: string;
  /** The opcode group's: 6, 10, 12, 16, or 32 for the variable-length (7Fh) commands scsikit builds. */
  readonly cdbLength: number;
  /** 'cdb': the CDB says (ATA PASS-THROUGH's T_DIR and PROTOCOL). */
  readonly direction: DataDirection | 'cdb';
  readonly access: CommandAccess;
  readonly idempotent: boolean;
  /** For commands whose class depends on CDB fields; wins over `access` and `idempotent`. */
  readonly classify?: (cdb: Uint8Array) => CommandClass;
  readonly reservation: ReservationClass;
  /**
   * The standard that defines it (where to read the CDB layout). It also scopes the entry by device
   * type (`commandScope`): SPC commands apply to every type, SSC's to tapes, SMC's to media changers,
   * SES's to enclosures, SBC's, ZBC's and SAT's to every other type.
   */
  readonly standard: 'SPC-6' | 'SBC-5' | 'ZBC-2' | 'SAT-5' | 'SSC-5' | 'SMC-3' | 'SES-4';
}

/**
 * Which command set a device type speaks beyond SPC. One opcode means different commands on different
 * types (1Bh is START STOP UNIT on a disk and LOAD UNLOAD on a tape, 07h REASSIGN BLOCKS and
 * INITIALIZE ELEMENT STATUS, 91h SYNCHRONIZE CACHE(16) and SPACE(16)), so each scope has its own index.
 */
export type CommandScope = 'block' | 'tape' | 'changer' | 'enclosure';

/**
 * The scope of a peripheral device type: 01h tape, 08h media changer, 0Dh enclosure services; every
 * other type (and an unknown one) is 'block', the SBC/ZBC/SAT command set, as scsikit always treated it.
 */
export function commandScope(peripheralType: number | undefined): CommandScope {
  switch (peripheralType) {
    case 0x01:
      return 'tape';
    case 0x08:
      return 'changer';
    case 0x0d:
      return 'enclosure';
    default:
      return 'block';
  }
}

/** The scope an entry belongs to, or 'all' for SPC's commands. */
function entryScope(standard: CommandEntry['standard']): CommandScope | 'all' {
  switch (standard) {
    case 'SPC-6':
      return 'all';
    case 'SSC-5':
      return 'tape';
    case 'SMC-3':
      return 'changer';
    case 'SES-4':
      return 'enclosure';
    default:
      return 'block';
  }
}

const READ: CommandClass = Object.freeze({ access: 'read', idempotent: true });
const WRITE: CommandClass = Object.freeze({ access: 'write', idempotent: true });
const WRITE_ONCE: CommandClass = Object.freeze({ access: 'write', idempotent: false });
/**
 * Changes nothing on the medium but moves a tape relative to where it is (READ(6), SPACE): a
 * read-only open may send it, a retry after an ambiguous failure would move twice.
 */
const READ_MOVES: CommandClass = Object.freeze({ access: 'read', idempotent: false });

/** ATA PROTOCOL field values that move data in: PIO data-in (4), UDMA data-in (10). */
const ATA_PROTOCOL_IN: ReadonlySet<number> = new Set([4, 10]);
/** DMA (6), DMA queued (7), FPDMA (12): data-in when T_DIR (byte 2 bit 3) is set. */
const ATA_PROTOCOL_DMA: ReadonlySet<number> = new Set([6, 7, 12]);
/** RETURN RESPONSE INFORMATION (15): reads the ATA registers, runs nothing. */
const ATA_PROTOCOL_RESPONSE = 15;
/** Non-data (3): the protocol of SMART RETURN STATUS, and of SECURITY ERASE, FLUSH, SMART EXECUTE… */
const ATA_PROTOCOL_NON_DATA = 3;

/**
 * ATA PASS-THROUGH(12/16): 'read' only for the data-in protocols (IDENTIFY, SMART READ DATA, READ
 * LOG EXT) and for SMART RETURN STATUS (see isSmartReturnStatus); the rest of non-data (which covers
 * SECURITY ERASE, SMART EXECUTE, FLUSH…), data-out and resets are 'write'. PROTOCOL is byte 1
 * bits 4-1, T_DIR byte 2 bit 3 (SAT-5).
 */
function classifyAtaPassThrough(cdb: Uint8Array): CommandClass {
  const protocol = ((cdb[1] ?? 0) >> 1) & 0x0f;
  const tDirIn = ((cdb[2] ?? 0) & 0x08) !== 0;
  if (ATA_PROTOCOL_IN.has(protocol) || protocol === ATA_PROTOCOL_RESPONSE) return READ;
  if (ATA_PROTOCOL_DMA.has(protocol) && tDirIn) return READ;
  if (protocol === ATA_PROTOCOL_NON_DATA && isSmartReturnStatus(cdb)) return READ;
  return WRITE_ONCE;
}

/**
 * SMART RETURN STATUS (COMMAND B0h, FEATURES DAh, LBA mid/high 4Fh/C2h): non-data, so the protocol
 * alone would make it write-class, but it only reports the drive's SMART verdict in the registers;
 * smartctl -H sends it on a read-only fd. Recognised by every register that makes it this command
 * (FEATURES 15:8 zero too, so no 48-bit command hides behind it), in the 12- and 16-byte layouts
 * only (ATA PASS-THROUGH(32) stays write-class). CK_COND (how the registers come back) is no part
 * of the decision: it changes what the SATL returns, not what the drive does.
 */
function isSmartReturnStatus(cdb: Uint8Array): boolean {
  const b = (i: number) => cdb[i] ?? 0;
  if (cdb.length === 12 && b(0) === 0xa1) {
    return b(9) === 0xb0 && b(3) === 0xda && b(6) === 0x4f && b(7) === 0xc2;
  }
  if (cdb.length === 16 && b(0) === 0x85) {
    return b(14) === 0xb0 && b(4) === 0xda && b(3) === 0x00 && b(10) === 0x4f && b(12) === 0xc2;
  }
  return false;
}

const spc = 'SPC-6';
const sbc = 'SBC-5';
const zbc = 'ZBC-2';
const sat = 'SAT-5';
const smc = 'SMC-3';
const ssc = 'SSC-5';

type Standard = CommandEntry['standard'];
type Direction = CommandEntry['direction'];

/** The group's length; the variable-length (7Fh) commands scsikit builds are 32 bytes. */
function cdbLengthOf(opcode: number): number {
  return groupCdbLength(opcode) ?? 32;
}

/** An opcode without service action. */
function cmd(
  opcode: number,
  name: string,
  direction: Direction,
  klass: CommandClass,
  reservation: ReservationClass,
  standard: Standard,
): CommandEntry {
  return { opcode, name, cdbLength: cdbLengthOf(opcode), direction, ...klass, reservation, standard };
}

/** One service action of an opcode, or 'any' for all its service actions without an entry. */
function sa(
  opcode: number,
  serviceAction: number | 'any',
  name: string,
  direction: Direction,
  klass: CommandClass,
  reservation: ReservationClass,
  standard: Standard,
): CommandEntry {
  return { ...cmd(opcode, name, direction, klass, reservation, standard), serviceAction };
}

/** Service actions of one opcode that share every fact but the name, as [service action, name] pairs. */
function actions(
  opcode: number,
  direction: Direction,
  klass: CommandClass,
  reservation: ReservationClass,
  standard: Standard,
  names: readonly (readonly [number | 'any', string])[],
): CommandEntry[] {
  return names.map(([action, name]) => sa(opcode, action, name, direction, klass, reservation, standard));
}

/** Every command, in opcode then service action order. */
export const COMMANDS: readonly CommandEntry[] = [
  // ---- 6-byte
  cmd(0x00, 'TEST UNIT READY', 'none', READ, 'none', spc),
  cmd(0x03, 'REQUEST SENSE', 'in', READ, 'none', spc),
  cmd(0x04, 'FORMAT UNIT', 'out', WRITE_ONCE, 'write', sbc),
  cmd(0x07, 'REASSIGN BLOCKS', 'out', WRITE, 'write', sbc),
  cmd(0x08, 'READ(6)', 'in', READ, 'read', sbc),
  cmd(0x0a, 'WRITE(6)', 'out', WRITE, 'write', sbc),
  cmd(0x12, 'INQUIRY', 'in', READ, 'none', spc),
  cmd(0x15, 'MODE SELECT(6)', 'out', WRITE, 'write', spc),
  cmd(0x1a, 'MODE SENSE(6)', 'in', READ, 'read', spc),
  cmd(0x1b, 'START STOP UNIT', 'none', WRITE, 'write', sbc),
  cmd(0x1c, 'RECEIVE DIAGNOSTIC RESULTS', 'in', READ, 'none', spc),
  cmd(0x1d, 'SEND DIAGNOSTIC', 'out', WRITE, 'write', spc),
  cmd(0x1e, 'PREVENT ALLOW MEDIUM REMOVAL', 'none', WRITE, 'write', spc),

  // ---- 10-byte
  cmd(0x25, 'READ CAPACITY(10)', 'in', READ, 'none', sbc),
  cmd(0x28, 'READ(10)', 'in', READ, 'read', sbc),
  cmd(0x2a, 'WRITE(10)', 'out', WRITE, 'write', sbc),
  cmd(0x2e, 'WRITE AND VERIFY(10)', 'out', WRITE, 'write', sbc),
  /** VERIFY is read-class with any BYTCHK: it compares, it never writes (BYTCHK's data-out is the comparand). */
  cmd(0x2f, 'VERIFY(10)', 'out', READ, 'read', sbc),
  /** PRE-FETCH only loads the cache; SBC lets it run under Write Exclusive. */
  cmd(0x34, 'PRE-FETCH(10)', 'none', READ, 'read', sbc),
  /**
   * SYNCHRONIZE CACHE is write-class (idempotent). Core had it 'read', the emulator 'write'; decided
   * for 'write' because (1) SBC-5 has it write cached data to the medium and lists it with the
   * writes in its persistent-reservation table (it conflicts under Write Exclusive), and (2) the
   * Linux command filter, `scsi_cmd_allowed()`, puts SYNCHRONIZE CACHE(10) (its GPCMD_FLUSH_CACHE,
   * 35h) among the "basic writing commands" that need a writable open, and leaves SYNCHRONIZE
   * CACHE(16) to CAP_SYS_RAWIO. A non-root caller on a read-only fd got EPERM from the kernel
   * anyway; 'read' only let root flush through a device it had opened read-only.
   */
  cmd(0x35, 'SYNCHRONIZE CACHE(10)', 'none', WRITE, 'write', sbc),
  cmd(0x37, 'READ DEFECT DATA(10)', 'in', READ, 'read', sbc),
  /** MODE counts as the service action (names.ts): every mode, download microcode included. */
  sa(0x3b, 'any', 'WRITE BUFFER', 'out', WRITE_ONCE, 'write', spc),
  sa(0x3c, 'any', 'READ BUFFER(10)', 'in', READ, 'read', spc),
  cmd(0x3e, 'READ LONG(10)', 'in', READ, 'read', sbc),
  cmd(0x3f, 'WRITE LONG(10)', 'out', WRITE, 'write', sbc),
  cmd(0x41, 'WRITE SAME(10)', 'out', WRITE, 'write', sbc),
  cmd(0x42, 'UNMAP', 'out', WRITE, 'write', sbc),
  sa(0x48, 'any', 'SANITIZE', 'out', WRITE_ONCE, 'write', sbc),
  cmd(0x4c, 'LOG SELECT', 'out', WRITE, 'write', spc),
  cmd(0x4d, 'LOG SENSE', 'in', READ, 'none', spc),
  cmd(0x55, 'MODE SELECT(10)', 'out', WRITE, 'write', spc),
  cmd(0x5a, 'MODE SENSE(10)', 'in', READ, 'read', spc),
  sa(0x5e, 'any', 'PERSISTENT RESERVE IN', 'in', READ, 'none', spc),
  /** Every service action changes the reservation state; none is safe to repeat (REGISTER AND MOVE, PREEMPT…). */
  sa(0x5f, 'any', 'PERSISTENT RESERVE OUT', 'out', WRITE_ONCE, 'none', spc),

  // ---- variable length (7Fh): service action in bytes 8-9
  sa(0x7f, 0x0009, 'READ(32)', 'in', READ, 'read', sbc),
  sa(0x7f, 0x000a, 'VERIFY(32)', 'out', READ, 'read', sbc),
  sa(0x7f, 0x000b, 'WRITE(32)', 'out', WRITE, 'write', sbc),
  sa(0x7f, 0x000c, 'WRITE AND VERIFY(32)', 'out', WRITE, 'write', sbc),
  sa(0x7f, 0x000d, 'WRITE SAME(32)', 'out', WRITE, 'write', sbc),
  sa(0x7f, 0x000e, 'ORWRITE(32)', 'out', WRITE, 'write', sbc),
  /** Always write-class: its protocol field is not worth trusting for a 32-byte form nobody reads with. */
  sa(0x7f, 0x1ff0, 'ATA PASS-THROUGH(32)', 'cdb', WRITE_ONCE, 'write', sat),

  // ---- 16-byte
  ...actions(0x83, 'out', WRITE_ONCE, 'write', spc, [
    ['any', 'THIRD-PARTY COPY OUT'],
    [0x00, 'EXTENDED COPY(LID1)'],
    [0x01, 'EXTENDED COPY(LID4)'],
  ]),
  ...actions(0x84, 'in', READ, 'read', spc, [
    ['any', 'THIRD-PARTY COPY IN'],
    [0x00, 'RECEIVE COPY STATUS(LID1)'],
    [0x01, 'RECEIVE COPY DATA(LID1)'],
    [0x03, 'RECEIVE COPY OPERATING PARAMETERS'],
    [0x04, 'RECEIVE COPY FAILURE DETAILS(LID1)'],
    [0x05, 'RECEIVE COPY STATUS(LID4)'],
    [0x06, 'RECEIVE COPY DATA(LID4)'],
    [0x07, 'RECEIVE ROD TOKEN INFORMATION'],
    [0x08, 'REPORT ALL ROD TOKENS'],
  ]),
  {
    ...cmd(0x85, 'ATA PASS-THROUGH(16)', 'cdb', WRITE_ONCE, 'write', sat),
    classify: classifyAtaPassThrough,
  },
  cmd(0x88, 'READ(16)', 'in', READ, 'read', sbc),
  /** Not idempotent: a second COMPARE AND WRITE after a lost GOOD miscompares against its own write. */
  cmd(0x89, 'COMPARE AND WRITE', 'out', WRITE_ONCE, 'write', sbc),
  cmd(0x8a, 'WRITE(16)', 'out', WRITE, 'write', sbc),
  cmd(0x8b, 'ORWRITE(16)', 'out', WRITE, 'write', sbc),
  sa(0x8c, 'any', 'READ ATTRIBUTE', 'in', READ, 'read', spc),
  cmd(0x8d, 'WRITE ATTRIBUTE', 'out', WRITE, 'write', spc),
  cmd(0x8e, 'WRITE AND VERIFY(16)', 'out', WRITE, 'write', sbc),
  cmd(0x8f, 'VERIFY(16)', 'out', READ, 'read', sbc),
  cmd(0x90, 'PRE-FETCH(16)', 'none', READ, 'read', sbc),
  /** Write-class like SYNCHRONIZE CACHE(10), see there. */
  cmd(0x91, 'SYNCHRONIZE CACHE(16)', 'none', WRITE, 'write', sbc),
  cmd(0x93, 'WRITE SAME(16)', 'out', WRITE, 'write', sbc),
  /** ZBC OUT: every zone action moves write pointers or zone conditions. */
  ...actions(0x94, 'none', WRITE, 'write', zbc, [
    ['any', 'ZBC OUT'],
    [0x01, 'CLOSE ZONE'],
    [0x02, 'FINISH ZONE'],
    [0x03, 'OPEN ZONE'],
    [0x04, 'RESET WRITE POINTER'],
    [0x10, 'SEQUENTIALIZE ZONE'],
  ]),
  ...actions(0x95, 'in', READ, 'read', zbc, [
    ['any', 'ZBC IN'],
    [0x00, 'REPORT ZONES'],
    [0x06, 'REPORT REALMS'],
    [0x07, 'REPORT ZONE DOMAINS'],
  ]),
  cmd(0x9b, 'READ BUFFER(16)', 'in', READ, 'read', spc),
  cmd(0x9c, 'WRITE ATOMIC(16)', 'out', WRITE, 'write', sbc),
  // SERVICE ACTION IN(16): only the listed actions are read-class; any other is a non-idempotent write.
  sa(0x9e, 0x10, 'READ CAPACITY(16)', 'in', READ, 'none', sbc),
  sa(0x9e, 0x11, 'READ LONG(16)', 'in', READ, 'read', sbc),
  sa(0x9e, 0x12, 'GET LBA STATUS(16)', 'in', READ, 'read', sbc),
  sa(0x9e, 0x13, 'REPORT REFERRALS', 'in', READ, 'none', sbc),
  sa(0x9e, 0x16, 'GET STREAM STATUS', 'in', READ, 'none', sbc),
  sa(0x9e, 0x17, 'GET PHYSICAL ELEMENT STATUS', 'in', READ, 'none', sbc),
  /** SERVICE ACTION OUT(16): WRITE LONG(16), REMOVE ELEMENT AND TRUNCATE… */
  sa(0x9f, 'any', 'SERVICE ACTION OUT(16)', 'out', WRITE, 'write', sbc),

  // ---- 12-byte
  cmd(0xa0, 'REPORT LUNS', 'in', READ, 'none', spc),
  {
    ...cmd(0xa1, 'ATA PASS-THROUGH(12)', 'cdb', WRITE_ONCE, 'write', sat),
    classify: classifyAtaPassThrough,
  },
  cmd(0xa2, 'SECURITY PROTOCOL IN', 'in', READ, 'read', spc),
  /** MAINTENANCE IN: the kernel filter lets a read-only fd send every service action. */
  ...actions(0xa3, 'in', READ, 'none', spc, [
    ['any', 'MAINTENANCE IN'],
    [0x05, 'REPORT IDENTIFYING INFORMATION'],
    [0x0a, 'REPORT TARGET PORT GROUPS'],
    [0x0c, 'REPORT SUPPORTED OPERATION CODES'],
    [0x0d, 'REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS'],
  ]),
  /** MAINTENANCE OUT: SET TARGET PORT GROUPS, SET IDENTIFYING INFORMATION… all change the device. */
  sa(0xa4, 'any', 'MAINTENANCE OUT', 'out', WRITE, 'write', spc),
  cmd(0xa8, 'READ(12)', 'in', READ, 'read', sbc),
  cmd(0xaa, 'WRITE(12)', 'out', WRITE, 'write', sbc),
  /** READ MEDIA SERIAL NUMBER, SERVICE ACTION IN(12) 01h: the worked example of docs/adding-a-command.md. */
  sa(0xab, 0x01, 'READ MEDIA SERIAL NUMBER', 'in', READ, 'none', spc),
  cmd(0xae, 'WRITE AND VERIFY(12)', 'out', WRITE, 'write', sbc),
  cmd(0xaf, 'VERIFY(12)', 'out', READ, 'read', sbc),
  cmd(0xb5, 'SECURITY PROTOCOL OUT', 'out', WRITE_ONCE, 'write', spc),
  cmd(0xb7, 'READ DEFECT DATA(12)', 'in', READ, 'read', sbc),

  // ---- SMC-3 (media changers, peripheral device type 08h), opcode order
  /** Re-checks every element; the element status changes, so write-class (the kernel's filter agrees). */
  cmd(0x07, 'INITIALIZE ELEMENT STATUS', 'none', WRITE, 'write', smc),
  cmd(0x37, 'INITIALIZE ELEMENT STATUS WITH RANGE', 'none', WRITE, 'write', smc),
  /** Not idempotent: a second MOVE MEDIUM after a lost GOOD finds its source empty (3Bh/0Eh). */
  cmd(0xa5, 'MOVE MEDIUM', 'none', WRITE_ONCE, 'write', smc),
  cmd(0xb8, 'READ ELEMENT STATUS', 'in', READ, 'read', smc),
  // ---- SSC-5 (tapes, peripheral device type 01h), in opcode order. Reading and positioning change
  // nothing on the medium: 'read', so a read-only open can read a tape. The relative moves (READ,
  // SPACE) are not idempotent: a retry after an ambiguous failure would move twice. REWIND and
  // LOCATE go to an absolute place and READ POSITION does not move: repeating them is harmless.
  // Anything that writes the medium or loads/ejects it (as START STOP UNIT) is write-class;
  // WRITE, WRITE FILEMARKS and ERASE append or erase at the current position: never repeated.
  cmd(0x01, 'REWIND', 'none', READ, 'read', ssc),
  cmd(0x05, 'READ BLOCK LIMITS', 'in', READ, 'none', ssc),
  cmd(0x08, 'READ(6)', 'in', READ_MOVES, 'read', ssc),
  cmd(0x0a, 'WRITE(6)', 'out', WRITE_ONCE, 'write', ssc),
  cmd(0x10, 'WRITE FILEMARKS(6)', 'none', WRITE_ONCE, 'write', ssc),
  cmd(0x11, 'SPACE(6)', 'none', READ_MOVES, 'read', ssc),
  cmd(0x19, 'ERASE(6)', 'none', WRITE_ONCE, 'write', ssc),
  cmd(0x1b, 'LOAD UNLOAD', 'none', WRITE, 'write', ssc),
  cmd(0x2b, 'LOCATE(10)', 'none', READ, 'read', ssc),
  /** The service action picks the answer's form (short, long, extended): one entry for all. */
  sa(0x34, 'any', 'READ POSITION', 'in', READ, 'none', ssc),
  cmd(0x44, 'REPORT DENSITY SUPPORT', 'in', READ, 'none', ssc),
  cmd(0x80, 'WRITE FILEMARKS(16)', 'none', WRITE_ONCE, 'write', ssc),
  cmd(0x91, 'SPACE(16)', 'none', READ_MOVES, 'read', ssc),
  cmd(0x92, 'LOCATE(16)', 'none', READ, 'read', ssc),
];

/** Per opcode: the entry without service action, or the entries by service action ('any' as -1). */
type Slot = CommandEntry | Map<number, CommandEntry>;
const ANY = -1;
const SCOPES: readonly CommandScope[] = ['block', 'tape', 'changer', 'enclosure'];

/** One index per scope and the class object of each entry, built once so the per-command lookup allocates nothing. */
const INDEX: Record<CommandScope, Map<number, Slot>> = {
  block: new Map(),
  tape: new Map(),
  changer: new Map(),
  enclosure: new Map(),
};
const CLASS_OF: Map<CommandEntry, CommandClass> = new Map();

function addToIndex(index: Map<number, Slot>, e: CommandEntry, scope: CommandScope): void {
  const twice = (what: string) => new Error(`registry: ${what} listed twice (${scope} commands)`);
  if (e.serviceAction === undefined) {
    if (index.has(e.opcode)) throw twice(`opcode ${e.opcode.toString(16)}h`);
    index.set(e.opcode, e);
    return;
  }
  const slot = index.get(e.opcode) ?? new Map<number, CommandEntry>();
  if (!(slot instanceof Map)) throw twice(`opcode ${e.opcode.toString(16)}h`);
  const key = e.serviceAction === 'any' ? ANY : e.serviceAction;
  if (slot.has(key)) throw twice(e.name);
  slot.set(key, e);
  index.set(e.opcode, slot);
}

for (const e of COMMANDS) {
  CLASS_OF.set(
    e,
    e.access === 'read' ? (e.idempotent ? READ : READ_MOVES) : e.idempotent ? WRITE : WRITE_ONCE,
  );
  const scope = entryScope(e.standard);
  for (const s of scope === 'all' ? SCOPES : [scope]) addToIndex(INDEX[s], e, s);
}

function lookup(opcode: number, serviceAction: number | undefined, peripheralType: number | undefined) {
  const slot = INDEX[commandScope(peripheralType)].get(opcode);
  if (slot === undefined || !(slot instanceof Map)) return slot;
  return (serviceAction === undefined ? undefined : slot.get(serviceAction)) ?? slot.get(ANY);
}

/**
 * The entry for an opcode and service action on a device type (absent: a block device): the service
 * action's own entry, else the opcode's 'any' entry. `serviceAction` is ignored for opcodes listed
 * without one.
 */
export function findCommand(
  opcode: number,
  serviceAction?: number,
  peripheralType?: number,
): CommandEntry | undefined {
  return lookup(opcode, serviceAction, peripheralType);
}

/**
 * The entry for a CDB (opcode, and service action where the opcode has one) on a device type
 * (absent: a block device), or undefined for a command scsikit does not know there: vendor specific,
 * obsolete, another device type's.
 */
export function commandForCdb(cdb: Uint8Array, peripheralType?: number): CommandEntry | undefined {
  const opcode = cdb[0];
  if (opcode === undefined) return undefined;
  return lookup(opcode, cdbServiceAction(cdb, peripheralType), peripheralType);
}

/**
 * Access class and idempotence of a CDB sent to a device type (absent: a block device). A command the
 * registry does not know there is a non-idempotent write: the safe answer for a read-only guard and
 * for a retry policy.
 */
export function classifyCdb(cdb: Uint8Array, peripheralType?: number): CommandClass {
  const e = commandForCdb(cdb, peripheralType);
  if (e === undefined) return WRITE_ONCE;
  return e.classify === undefined ? (CLASS_OF.get(e) as CommandClass) : e.classify(cdb);
}

/**
 * Device types whose names the registry gives. The 'block' scope is SBC's: other types in it (MMC,
 * optical…) share its classes but not all its names (42h is READ SUB-CHANNEL on a CD, UNMAP on a disk).
 */
function namedByRegistry(pdt: number | undefined): boolean {
  return pdt === undefined || pdt === 0x00 || pdt === 0x14 || commandScope(pdt) !== 'block';
}

/**
 * The name of a CDB's command: the registry's for a command with an entry of its own on that device
 * type (disks, zoned disks, tapes, changers, enclosures), else the T10 tables' (opcodeName): types and commands the registry does not cover, the
 * qualified names under 'any' entries such as "PERSISTENT RESERVE IN (READ KEYS)".
 */
export function commandName(cdb: Uint8Array, peripheralType?: number): string {
  const entry = namedByRegistry(peripheralType) ? commandForCdb(cdb, peripheralType) : undefined;
  if (entry !== undefined && entry.serviceAction !== 'any') return entry.name;
  return opcodeName(cdb[0] ?? 0, cdbServiceAction(cdb, peripheralType), peripheralType);
}

/**
 * CDB length fixed by the opcode's group (bits 7:5): 0 → 6, 1–2 → 10, 4 → 16, 5 → 12. Undefined
 * for group 3 (variable length 7Fh, 7Eh, reserved) and 6–7 (vendor specific), where the CDB says.
 */
export function groupCdbLength(opcode: number): number | undefined {
  switch (opcode >> 5) {
    case 0:
      return 6;
    case 1:
    case 2:
      return 10;
    case 4:
      return 16;
    case 5:
      return 12;
    default:
      return undefined;
  }
}

import { ByteReader, type ByteSource } from './bytes.js';
import { DecodeError } from './errors.js';
import { cdbServiceAction } from './names.js';
import { commandForCdb, commandName, groupCdbLength } from './registry.js';

/**
 * Fields of a decoded CDB, named as T10 names them. Only the fields of the decoded command's
 * layout are present. Lengths are in the unit T10 gives them: logical blocks for SBC data
 * commands, bytes for allocation and parameter list lengths.
 */
export interface CdbFields {
  /** CONTROL byte (last byte; byte 1 of variable-length CDBs). */
  control: number;
  lba?: bigint;
  /** Logical blocks (READ/WRITE/WRITE AND VERIFY/ORWRITE), or bytes/blocks per FIXED on tape. */
  transferLength?: number;
  /** VERIFY: logical blocks to verify. */
  verificationLength?: number;
  /** WRITE SAME, SYNCHRONIZE CACHE, PRE-FETCH, COMPARE AND WRITE: logical blocks. */
  numberOfLogicalBlocks?: number;
  allocationLength?: number;
  parameterListLength?: number;
  groupNumber?: number;
  /** READ/WRITE/VERIFY protection fields (RDPROTECT, WRPROTECT, VRPROTECT). */
  rdprotect?: number;
  wrprotect?: number;
  vrprotect?: number;
  dpo?: boolean;
  fua?: boolean;
  bytchk?: number;
  immed?: boolean;
  unmap?: boolean;
  anchor?: boolean;
  ndob?: boolean;
  pmi?: boolean;
  evpd?: boolean;
  pageCode?: number;
  subpageCode?: number;
  /** PC: page control (MODE SENSE, LOG SENSE/SELECT). */
  pc?: number;
  dbd?: boolean;
  llbaa?: boolean;
  pf?: boolean;
  sp?: boolean;
  pcr?: boolean;
  parameterPointer?: number;
  selectReport?: number;
  desc?: boolean;
  start?: boolean;
  loej?: boolean;
  powerCondition?: number;
  prevent?: number;
  selfTestCode?: number;
  selfTest?: boolean;
  devoffl?: boolean;
  unitoffl?: boolean;
  pcv?: boolean;
  mode?: number;
  bufferId?: number;
  bufferOffset?: bigint;
  scope?: number;
  type?: number;
  ause?: boolean;
  fmtpinfo?: number;
  longlist?: boolean;
  fmtdata?: boolean;
  cmplst?: boolean;
  defectListFormat?: number;
  securityProtocol?: number;
  securityProtocolSpecific?: number;
  inc512?: boolean;
  reportingOptions?: number;
  partial?: boolean;
  all?: boolean;
  zoneCount?: number;
  requestedOperationCode?: number;
  requestedServiceAction?: number;
  /** Tape READ(6)/WRITE(6)/VERIFY(6): FIXED block mode. */
  fixed?: boolean;
  sili?: boolean;
  /** Variable-length CDBs: ADDITIONAL CDB LENGTH (byte 7). */
  additionalCdbLength?: number;
  expectedInitialLogicalBlockReferenceTag?: number;
  expectedLogicalBlockApplicationTag?: number;
  logicalBlockApplicationTagMask?: number;
  /** ATA PASS-THROUGH (SAT-5): the ATA registers and transfer controls. */
  protocol?: number;
  extend?: boolean;
  multipleCount?: number;
  offLine?: number;
  ckCond?: boolean;
  tType?: boolean;
  tDir?: boolean;
  byteBlock?: boolean;
  tLength?: number;
  features?: number;
  count?: number;
  ataLba?: number;
  device?: number;
  command?: number;
  /** SMC-3 (changer only): READ ELEMENT STATUS, MOVE MEDIUM, INITIALIZE ELEMENT STATUS WITH RANGE. */
  volTag?: boolean;
  elementTypeCode?: number;
  startingElementAddress?: number;
  numberOfElements?: number;
  curData?: boolean;
  dvcid?: boolean;
  transportElementAddress?: number;
  sourceAddress?: number;
  destinationAddress?: number;
  invert?: boolean;
  fast?: boolean;
  range?: boolean;
}

export interface DecodedCdb {
  readonly opcode: number;
  /** Present for opcodes that carry one (see serviceActionField). */
  readonly serviceAction?: number;
  /** T10 name, e.g. "READ(16)" (see opcodeName). */
  readonly name: string;
  /** Opcode bits 7:5, which fix the CDB length: 0 → 6, 1–2 → 10, 4 → 16, 5 → 12; 3 variable; 6–7 vendor. */
  readonly group: number;
  /** CDB length: the group's length, 8 + ADDITIONAL CDB LENGTH for 7Fh, the given length for 7Eh/vendor/reserved. */
  readonly length: number;
  readonly fields: Readonly<CdbFields>;
}

const TAPE_LIKE = (pdt: number | undefined) => pdt === 0x01 || pdt === 0x12;

/**
 * Decodes a CDB into opcode, service action, T10 name and the fields of its generic layout
 * (SPC-6, SBC-5, ZBC-2, SAT-5, SSC-5 for tape READ/WRITE(6)). `peripheralType` selects among
 * commands that share an opcode (absent: disk). Opcodes this decoder has no layout for still get
 * name, group, length and CONTROL.
 *
 * The CDB must be exactly as long as its group says (6/10/12/16 bytes, 8 + ADDITIONAL CDB LENGTH
 * for 7Fh), otherwise DecodeError on `cdb`. Vendor specific (C0h–FFh), reserved group 3 and 7Eh
 * CDBs are taken at the given length (at least 6 bytes).
 */
export function decodeCdb(bytes: ByteSource, peripheralType?: number): DecodedCdb {
  const r = new ByteReader(bytes);
  const opcode = r.u8(0, 'opcode');
  const group = opcode >> 5;
  let length: number;
  if (opcode === 0x7f) {
    const add = r.u8(7, 'additionalCdbLength');
    length = 8 + add;
    if (length < 10) {
      throw new DecodeError(
        'additionalCdbLength',
        `${add} is too small to hold a service action (want >= 2)`,
        7,
      );
    }
  } else {
    length = commandForCdb(r.bytes)?.cdbLength ?? groupCdbLength(opcode) ?? r.length;
    if (length < 6) throw new DecodeError('cdb', `${r.length} byte(s) is shorter than any CDB (6)`, 0);
  }
  if (r.length !== length) {
    throw new DecodeError(
      'cdb',
      `opcode ${opcode.toString(16).padStart(2, '0')}h needs a ${length}-byte CDB, got ${r.length}`,
      0,
    );
  }
  const serviceAction = cdbServiceAction(r.bytes, peripheralType);
  const fields: CdbFields = { control: opcode === 0x7f ? r.u8(1, 'control') : r.u8(length - 1, 'control') };
  decodeFields(r, opcode, serviceAction, peripheralType, fields);
  const name = commandName(r.bytes, peripheralType);
  return serviceAction === undefined
    ? { opcode, name, group, length, fields }
    : { opcode, serviceAction, name, group, length, fields };
}

function rwFlags10(r: ByteReader, f: CdbFields, protect: 'rdprotect' | 'wrprotect' | 'vrprotect'): void {
  f[protect] = r.bits(1, 5, 3, protect);
  f.dpo = r.bit(1, 4, 'dpo');
}

function lba10(r: ByteReader, f: CdbFields): void {
  f.lba = BigInt(r.u32(2, 'lba'));
  f.groupNumber = r.bits(6, 0, 6, 'groupNumber');
}

function lba16(r: ByteReader, f: CdbFields): void {
  f.lba = r.u64(2, 'lba');
  f.groupNumber = r.bits(14, 0, 6, 'groupNumber');
}

function lba12(r: ByteReader, f: CdbFields): void {
  f.lba = BigInt(r.u32(2, 'lba'));
  f.groupNumber = r.bits(10, 0, 6, 'groupNumber');
}

/** SMC-3 CDBs, only on a media changer (07h is REASSIGN BLOCKS elsewhere). False: not one of them. */
function decodeChangerFields(r: ByteReader, opcode: number, f: CdbFields): boolean {
  switch (opcode) {
    case 0x37: // INITIALIZE ELEMENT STATUS WITH RANGE
      f.fast = r.bit(1, 1, 'fast');
      f.range = r.bit(1, 0, 'range');
      f.startingElementAddress = r.u16(2, 'startingElementAddress');
      f.numberOfElements = r.u16(6, 'numberOfElements');
      return true;
    case 0xa5: // MOVE MEDIUM
      f.transportElementAddress = r.u16(2, 'transportElementAddress');
      f.sourceAddress = r.u16(4, 'sourceAddress');
      f.destinationAddress = r.u16(6, 'destinationAddress');
      f.invert = r.bit(10, 0, 'invert');
      return true;
    case 0xb8: // READ ELEMENT STATUS
      f.volTag = r.bit(1, 4, 'volTag');
      f.elementTypeCode = r.bits(1, 0, 4, 'elementTypeCode');
      f.startingElementAddress = r.u16(2, 'startingElementAddress');
      f.numberOfElements = r.u16(4, 'numberOfElements');
      f.curData = r.bit(6, 1, 'curData');
      f.dvcid = r.bit(6, 0, 'dvcid');
      f.allocationLength = r.u24(7, 'allocationLength');
      return true;
    case 0x07: // INITIALIZE ELEMENT STATUS: no fields
      return true;
    default:
      return false;
  }
}

function decodeFields(
  r: ByteReader,
  opcode: number,
  sa: number | undefined,
  pdt: number | undefined,
  f: CdbFields,
): void {
  if (pdt === 0x08 && decodeChangerFields(r, opcode, f)) return;
  switch (opcode) {
    // ---- 6-byte
    case 0x03: // REQUEST SENSE
      f.desc = r.bit(1, 0, 'desc');
      f.allocationLength = r.u8(4, 'allocationLength');
      return;
    case 0x04: // FORMAT UNIT
      if (TAPE_LIKE(pdt)) return;
      f.fmtpinfo = r.bits(1, 6, 2, 'fmtpinfo');
      f.longlist = r.bit(1, 5, 'longlist');
      f.fmtdata = r.bit(1, 4, 'fmtdata');
      f.cmplst = r.bit(1, 3, 'cmplst');
      f.defectListFormat = r.bits(1, 0, 3, 'defectListFormat');
      return;
    case 0x08: // READ(6)
    case 0x0a: // WRITE(6)
    case 0x13: // VERIFY(6) (tape)
      if (TAPE_LIKE(pdt)) {
        // SSC: 24-bit transfer length in blocks (FIXED=1) or bytes (FIXED=0).
        f.fixed = r.bit(1, 0, 'fixed');
        if (opcode === 0x08) f.sili = r.bit(1, 1, 'sili');
        f.transferLength = r.u24(2, 'transferLength');
      } else if (opcode !== 0x13) {
        // SBC READ(6)/WRITE(6): 21-bit LBA; transfer length 0 means 256 blocks (reported as 256).
        f.lba = BigInt(((r.u8(1, 'lba') & 0x1f) << 16) | r.u16(2, 'lba'));
        f.transferLength = r.u8(4, 'transferLength') || 256;
      }
      return;
    case 0x12: // INQUIRY
      f.evpd = r.bit(1, 0, 'evpd');
      f.pageCode = r.u8(2, 'pageCode');
      f.allocationLength = r.u16(3, 'allocationLength');
      return;
    case 0x15: // MODE SELECT(6)
      f.pf = r.bit(1, 4, 'pf');
      f.sp = r.bit(1, 0, 'sp');
      f.parameterListLength = r.u8(4, 'parameterListLength');
      return;
    case 0x1a: // MODE SENSE(6)
      f.dbd = r.bit(1, 3, 'dbd');
      f.pc = r.bits(2, 6, 2, 'pc');
      f.pageCode = r.bits(2, 0, 6, 'pageCode');
      f.subpageCode = r.u8(3, 'subpageCode');
      f.allocationLength = r.u8(4, 'allocationLength');
      return;
    case 0x1b: // START STOP UNIT
      if (TAPE_LIKE(pdt)) return;
      f.immed = r.bit(1, 0, 'immed');
      f.powerCondition = r.bits(4, 4, 4, 'powerCondition');
      f.loej = r.bit(4, 1, 'loej');
      f.start = r.bit(4, 0, 'start');
      return;
    case 0x1c: // RECEIVE DIAGNOSTIC RESULTS
      f.pcv = r.bit(1, 0, 'pcv');
      f.pageCode = r.u8(2, 'pageCode');
      f.allocationLength = r.u16(3, 'allocationLength');
      return;
    case 0x1d: // SEND DIAGNOSTIC
      f.selfTestCode = r.bits(1, 5, 3, 'selfTestCode');
      f.pf = r.bit(1, 4, 'pf');
      f.selfTest = r.bit(1, 2, 'selfTest');
      f.devoffl = r.bit(1, 1, 'devoffl');
      f.unitoffl = r.bit(1, 0, 'unitoffl');
      f.parameterListLength = r.u16(3, 'parameterListLength');
      return;
    case 0x1e: // PREVENT ALLOW MEDIUM REMOVAL
      f.prevent = r.bits(4, 0, 2, 'prevent');
      return;

    // ---- 10-byte
    case 0x25: // READ CAPACITY(10)
      f.lba = BigInt(r.u32(2, 'lba'));
      f.pmi = r.bit(8, 0, 'pmi');
      return;
    case 0x28: // READ(10)
    case 0x2a: // WRITE(10)
    case 0x2e: // WRITE AND VERIFY(10)
    case 0x2f: // VERIFY(10)
      rwFlags10(r, f, opcode === 0x28 ? 'rdprotect' : opcode === 0x2f ? 'vrprotect' : 'wrprotect');
      if (opcode === 0x28 || opcode === 0x2a) f.fua = r.bit(1, 3, 'fua');
      else f.bytchk = r.bits(1, 1, 2, 'bytchk');
      lba10(r, f);
      if (opcode === 0x2f) f.verificationLength = r.u16(7, 'verificationLength');
      else f.transferLength = r.u16(7, 'transferLength');
      return;
    case 0x34: // PRE-FETCH(10); READ POSITION on tape has no generic layout here
    case 0x35: // SYNCHRONIZE CACHE(10)
      if (sa !== undefined) return;
      f.immed = r.bit(1, 1, 'immed');
      lba10(r, f);
      f.numberOfLogicalBlocks = r.u16(7, 'numberOfLogicalBlocks');
      return;
    case 0x37: // READ DEFECT DATA(10)
      f.allocationLength = r.u16(7, 'allocationLength');
      return;
    case 0x3b: // WRITE BUFFER(10)
    case 0x3c: // READ BUFFER(10)
      f.mode = r.bits(1, 0, 5, 'mode');
      f.bufferId = r.u8(2, 'bufferId');
      f.bufferOffset = BigInt(r.u24(3, 'bufferOffset'));
      if (opcode === 0x3c) f.allocationLength = r.u24(6, 'allocationLength');
      else f.parameterListLength = r.u24(6, 'parameterListLength');
      return;
    case 0x41: // WRITE SAME(10)
      f.wrprotect = r.bits(1, 5, 3, 'wrprotect');
      f.anchor = r.bit(1, 4, 'anchor');
      f.unmap = r.bit(1, 3, 'unmap');
      lba10(r, f);
      f.numberOfLogicalBlocks = r.u16(7, 'numberOfLogicalBlocks');
      return;
    case 0x42: // UNMAP (disk); READ SUB-CHANNEL on MMC
      if (pdt === 0x05) return;
      f.anchor = r.bit(1, 0, 'anchor');
      f.groupNumber = r.bits(6, 0, 6, 'groupNumber');
      f.parameterListLength = r.u16(7, 'parameterListLength');
      return;
    case 0x48: // SANITIZE
      f.immed = r.bit(1, 7, 'immed');
      f.ause = r.bit(1, 5, 'ause');
      f.parameterListLength = r.u16(7, 'parameterListLength');
      return;
    case 0x4c: // LOG SELECT
      f.pcr = r.bit(1, 1, 'pcr');
      f.sp = r.bit(1, 0, 'sp');
      f.pc = r.bits(2, 6, 2, 'pc');
      f.pageCode = r.bits(2, 0, 6, 'pageCode');
      f.subpageCode = r.u8(3, 'subpageCode');
      f.parameterListLength = r.u16(7, 'parameterListLength');
      return;
    case 0x4d: // LOG SENSE
      f.sp = r.bit(1, 0, 'sp');
      f.pc = r.bits(2, 6, 2, 'pc');
      f.pageCode = r.bits(2, 0, 6, 'pageCode');
      f.subpageCode = r.u8(3, 'subpageCode');
      f.parameterPointer = r.u16(5, 'parameterPointer');
      f.allocationLength = r.u16(7, 'allocationLength');
      return;
    case 0x55: // MODE SELECT(10)
      f.pf = r.bit(1, 4, 'pf');
      f.sp = r.bit(1, 0, 'sp');
      f.parameterListLength = r.u16(7, 'parameterListLength');
      return;
    case 0x5a: // MODE SENSE(10)
      f.llbaa = r.bit(1, 4, 'llbaa');
      f.dbd = r.bit(1, 3, 'dbd');
      f.pc = r.bits(2, 6, 2, 'pc');
      f.pageCode = r.bits(2, 0, 6, 'pageCode');
      f.subpageCode = r.u8(3, 'subpageCode');
      f.allocationLength = r.u16(7, 'allocationLength');
      return;
    case 0x5e: // PERSISTENT RESERVE IN
      f.allocationLength = r.u16(7, 'allocationLength');
      return;
    case 0x5f: // PERSISTENT RESERVE OUT
      f.scope = r.bits(2, 4, 4, 'scope');
      f.type = r.bits(2, 0, 4, 'type');
      f.parameterListLength = r.u32(5, 'parameterListLength');
      return;

    // ---- 16-byte
    case 0x83: // THIRD-PARTY COPY OUT
    case 0x8d: // WRITE ATTRIBUTE
      f.parameterListLength = r.u32(10, 'parameterListLength');
      return;
    case 0x84: // THIRD-PARTY COPY IN
    case 0x8c: // READ ATTRIBUTE
      f.allocationLength = r.u32(10, 'allocationLength');
      return;
    case 0x85: // ATA PASS-THROUGH(16)
      decodeAtaPassThrough(r, f, 16);
      return;
    case 0x88: // READ(16)
    case 0x8a: // WRITE(16)
    case 0x8e: // WRITE AND VERIFY(16)
    case 0x8f: // VERIFY(16)
      rwFlags10(r, f, opcode === 0x88 ? 'rdprotect' : opcode === 0x8f ? 'vrprotect' : 'wrprotect');
      if (opcode === 0x88 || opcode === 0x8a) f.fua = r.bit(1, 3, 'fua');
      else f.bytchk = r.bits(1, 1, 2, 'bytchk');
      lba16(r, f);
      if (opcode === 0x8f) f.verificationLength = r.u32(10, 'verificationLength');
      else f.transferLength = r.u32(10, 'transferLength');
      return;
    case 0x89: // COMPARE AND WRITE
      f.wrprotect = r.bits(1, 5, 3, 'wrprotect');
      f.dpo = r.bit(1, 4, 'dpo');
      f.fua = r.bit(1, 3, 'fua');
      lba16(r, f);
      f.numberOfLogicalBlocks = r.u8(13, 'numberOfLogicalBlocks');
      return;
    case 0x8b: // ORWRITE(16)
      f.wrprotect = r.bits(1, 5, 3, 'wrprotect');
      f.dpo = r.bit(1, 4, 'dpo');
      f.fua = r.bit(1, 3, 'fua');
      lba16(r, f);
      f.transferLength = r.u32(10, 'transferLength');
      return;
    case 0x90: // PRE-FETCH(16)
    case 0x91: // SYNCHRONIZE CACHE(16)
      if (TAPE_LIKE(pdt)) return;
      f.immed = r.bit(1, 1, 'immed');
      lba16(r, f);
      f.numberOfLogicalBlocks = r.u32(10, 'numberOfLogicalBlocks');
      return;
    case 0x93: // WRITE SAME(16)
      if (TAPE_LIKE(pdt)) return;
      f.wrprotect = r.bits(1, 5, 3, 'wrprotect');
      f.anchor = r.bit(1, 4, 'anchor');
      f.unmap = r.bit(1, 3, 'unmap');
      f.ndob = r.bit(1, 0, 'ndob');
      lba16(r, f);
      f.numberOfLogicalBlocks = r.u32(10, 'numberOfLogicalBlocks');
      return;
    case 0x94: // ZBC OUT: zone ID in the LBA field
      f.lba = r.u64(2, 'lba');
      f.zoneCount = r.u16(12, 'zoneCount');
      f.all = r.bit(14, 0, 'all');
      return;
    case 0x95: // ZBC IN
      f.lba = r.u64(2, 'lba');
      f.allocationLength = r.u32(10, 'allocationLength');
      f.partial = r.bit(14, 7, 'partial');
      f.reportingOptions = r.bits(14, 0, 6, 'reportingOptions');
      return;
    case 0x9b: // READ BUFFER(16)
      f.mode = r.bits(1, 0, 5, 'mode');
      f.bufferOffset = r.u64(2, 'bufferOffset');
      f.allocationLength = r.u32(10, 'allocationLength');
      f.bufferId = r.u8(14, 'bufferId');
      return;
    case 0x9e: // SERVICE ACTION IN(16): READ CAPACITY(16), GET LBA STATUS(16), REPORT REFERRALS …
      f.allocationLength = r.u32(10, 'allocationLength');
      if (sa === 0x10 || sa === 0x12 || sa === 0x13) f.lba = r.u64(2, 'lba');
      if (sa === 0x10) f.pmi = r.bit(14, 0, 'pmi');
      return;

    // ---- 12-byte
    case 0xa0: // REPORT LUNS
      f.selectReport = r.u8(2, 'selectReport');
      f.allocationLength = r.u32(6, 'allocationLength');
      return;
    case 0xa1: // ATA PASS-THROUGH(12) (BLANK on MMC)
      if (pdt === 0x05) return;
      decodeAtaPassThrough(r, f, 12);
      return;
    case 0xa2: // SECURITY PROTOCOL IN
    case 0xb5: // SECURITY PROTOCOL OUT
      if (opcode === 0xb5 && pdt === 0x08) return;
      f.securityProtocol = r.u8(1, 'securityProtocol');
      f.securityProtocolSpecific = r.u16(2, 'securityProtocolSpecific');
      f.inc512 = r.bit(4, 7, 'inc512');
      if (opcode === 0xa2) f.allocationLength = r.u32(6, 'allocationLength');
      else f.transferLength = r.u32(6, 'transferLength');
      return;
    case 0xa3: // MAINTENANCE IN (REPORT KEY on MMC)
      if (sa === undefined) return;
      if (sa === 0x0c) {
        // REPORT SUPPORTED OPERATION CODES
        f.reportingOptions = r.bits(2, 0, 3, 'reportingOptions');
        f.requestedOperationCode = r.u8(3, 'requestedOperationCode');
        f.requestedServiceAction = r.u16(4, 'requestedServiceAction');
      }
      f.allocationLength = r.u32(6, 'allocationLength');
      return;
    case 0xa4: // MAINTENANCE OUT (SEND KEY on MMC)
      if (sa === undefined) return;
      f.parameterListLength = r.u32(6, 'parameterListLength');
      return;
    case 0xa8: // READ(12)
    case 0xaa: // WRITE(12)
    case 0xae: // WRITE AND VERIFY(12)
    case 0xaf: // VERIFY(12)
      rwFlags10(r, f, opcode === 0xa8 ? 'rdprotect' : opcode === 0xaf ? 'vrprotect' : 'wrprotect');
      if (opcode === 0xa8 || opcode === 0xaa) f.fua = r.bit(1, 3, 'fua');
      else f.bytchk = r.bits(1, 1, 2, 'bytchk');
      lba12(r, f);
      if (opcode === 0xaf) f.verificationLength = r.u32(6, 'verificationLength');
      else f.transferLength = r.u32(6, 'transferLength');
      return;
    case 0xab: // SERVICE ACTION IN(12): READ MEDIA SERIAL NUMBER
      f.allocationLength = r.u32(6, 'allocationLength');
      return;
    case 0xb7: // READ DEFECT DATA(12)
      f.allocationLength = r.u32(6, 'allocationLength');
      return;

    // ---- variable length
    case 0x7f:
      decodeVariable(r, sa, f);
      return;
    default:
      return;
  }
}

/** ATA PASS-THROUGH(12)/(16) (SAT-5 Tables 140 and 141). */
function decodeAtaPassThrough(r: ByteReader, f: CdbFields, size: 12 | 16): void {
  f.multipleCount = r.bits(1, 5, 3, 'multipleCount');
  f.protocol = r.bits(1, 1, 4, 'protocol');
  f.offLine = r.bits(2, 6, 2, 'offLine');
  f.ckCond = r.bit(2, 5, 'ckCond');
  f.tType = r.bit(2, 4, 'tType');
  f.tDir = r.bit(2, 3, 'tDir');
  f.byteBlock = r.bit(2, 2, 'byteBlock');
  f.tLength = r.bits(2, 0, 2, 'tLength');
  if (size === 12) {
    f.features = r.u8(3, 'features');
    f.count = r.u8(4, 'count');
    f.ataLba = (r.u8(7, 'lba') << 16) | (r.u8(6, 'lba') << 8) | r.u8(5, 'lba');
    f.device = r.u8(8, 'device');
    f.command = r.u8(9, 'command');
    return;
  }
  f.extend = r.bit(1, 0, 'extend');
  // Register pairs: (previous, current) bytes for features, count and each LBA byte.
  f.features = (r.u8(3, 'features') << 8) | r.u8(4, 'features');
  f.count = (r.u8(5, 'count') << 8) | r.u8(6, 'count');
  const low = (r.u8(12, 'lba') << 16) | (r.u8(10, 'lba') << 8) | r.u8(8, 'lba');
  const high = (r.u8(11, 'lba') << 16) | (r.u8(9, 'lba') << 8) | r.u8(7, 'lba');
  f.ataLba = high * 0x1000000 + low;
  f.device = r.u8(13, 'device');
  f.command = r.u8(14, 'command');
}

/** Variable-length CDBs (SBC-5 32-byte commands); byte 1 is CONTROL, byte 6 GROUP NUMBER. */
function decodeVariable(r: ByteReader, sa: number | undefined, f: CdbFields): void {
  f.additionalCdbLength = r.u8(7, 'additionalCdbLength');
  if (r.length !== 32) return;
  f.groupNumber = r.bits(6, 0, 6, 'groupNumber');
  switch (sa) {
    case 0x09: // READ(32)
    case 0x0b: // WRITE(32)
    case 0x0a: // VERIFY(32)
    case 0x0c: // WRITE AND VERIFY(32)
    case 0x0e: // ORWRITE(32)
    case 0x0d: // WRITE SAME(32)
      if (sa === 0x09) f.rdprotect = r.bits(10, 5, 3, 'rdprotect');
      else if (sa === 0x0a) f.vrprotect = r.bits(10, 5, 3, 'vrprotect');
      else f.wrprotect = r.bits(10, 5, 3, 'wrprotect');
      if (sa === 0x0d) {
        f.anchor = r.bit(10, 4, 'anchor');
        f.unmap = r.bit(10, 3, 'unmap');
        f.ndob = r.bit(10, 0, 'ndob');
      } else {
        f.dpo = r.bit(10, 4, 'dpo');
        if (sa === 0x0a || sa === 0x0c) f.bytchk = r.bits(10, 1, 2, 'bytchk');
        else f.fua = r.bit(10, 3, 'fua');
      }
      f.lba = r.u64(12, 'lba');
      f.expectedInitialLogicalBlockReferenceTag = r.u32(20, 'expectedInitialLogicalBlockReferenceTag');
      f.expectedLogicalBlockApplicationTag = r.u16(24, 'expectedLogicalBlockApplicationTag');
      f.logicalBlockApplicationTagMask = r.u16(26, 'logicalBlockApplicationTagMask');
      if (sa === 0x0d) f.numberOfLogicalBlocks = r.u32(28, 'numberOfLogicalBlocks');
      else if (sa === 0x0a) f.verificationLength = r.u32(28, 'verificationLength');
      else f.transferLength = r.u32(28, 'transferLength');
      return;
    default:
      return;
  }
}

/**
 * SSC-5 answers: READ POSITION (short, long and extended forms), READ BLOCK LIMITS (and its MLOI
 * form), REPORT DENSITY SUPPORT (density and medium type descriptors), the tape meaning of the
 * mode parameter header and block descriptor, the Data Compression (0Fh) and Device Configuration
 * (10h) mode pages, and the TapeAlert log page (2Eh) with its 64 flags. Truncated input throws
 * DecodeError only.
 */
import { ByteReader, type ByteSource } from '../bytes.js';
import { DecodeError } from '../errors.js';
import type { Truncation } from '../types.js';
import { decodeLogPageFrame } from './log.js';

// ---------------------------------------------------------------------------------------------
// READ POSITION

/** The flags every READ POSITION form starts with (byte 0). */
export interface TapePositionFlags {
  /** BOP: at the beginning of the partition. */
  readonly bop: boolean;
  /** EOP: between early warning and the end of the partition. */
  readonly eop: boolean;
  /** BPEW: beyond the programmable early warning. */
  readonly bpew: boolean;
}

/** Short form (service action 00h, 20 bytes). */
export interface ReadPositionShort extends TapePositionFlags {
  readonly form: 'short';
  /** LOCU: the logical object count in the buffer is unknown. */
  readonly locu: boolean;
  /** BYCU: the byte count in the buffer is unknown. */
  readonly bycu: boolean;
  /** LOLU: the locations below are unknown (not valid). */
  readonly lolu: boolean;
  /** PERR: a location overflowed its 32-bit field. */
  readonly perr: boolean;
  readonly partition: number;
  /** FIRST LOGICAL OBJECT LOCATION: the next object to be read or written (blocks and filemarks count). */
  readonly firstLocation: number;
  /** LAST LOGICAL OBJECT LOCATION: the next object to go to the medium from the buffer. */
  readonly lastLocation: number;
  readonly objectsInBuffer: number;
  readonly bytesInBuffer: number;
}

/** Long form (service action 06h, 32 bytes). */
export interface ReadPositionLong extends TapePositionFlags {
  readonly form: 'long';
  /** MPU: the partition and numbers below are unknown. */
  readonly mpu: boolean;
  /** LONU: the logical object number is unknown. */
  readonly lonu: boolean;
  readonly partition: number;
  readonly logicalObjectNumber: bigint;
  /** LOGICAL FILE IDENTIFIER: filemarks from the beginning of the partition. */
  readonly logicalFileIdentifier: bigint;
  readonly logicalSetIdentifier: bigint;
}

/** Extended form (service action 08h, 32 bytes). */
export interface ReadPositionExtended extends TapePositionFlags {
  readonly form: 'extended';
  readonly locu: boolean;
  readonly bycu: boolean;
  readonly lolu: boolean;
  readonly perr: boolean;
  readonly partition: number;
  readonly objectsInBuffer: number;
  readonly firstLocation: bigint;
  readonly lastLocation: bigint;
  readonly bytesInBuffer: bigint;
}

export type ReadPosition = ReadPositionShort | ReadPositionLong | ReadPositionExtended;

/** READ POSITION short form (20 bytes). DecodeError when shorter. */
export function decodeReadPositionShort(source: ByteSource): ReadPositionShort {
  const r = new ByteReader(source);
  r.need(0, 20, 'readPosition');
  return {
    form: 'short',
    bop: r.bit(0, 7, 'bop'),
    eop: r.bit(0, 6, 'eop'),
    locu: r.bit(0, 5, 'locu'),
    bycu: r.bit(0, 4, 'bycu'),
    lolu: r.bit(0, 2, 'lolu'),
    perr: r.bit(0, 1, 'perr'),
    bpew: r.bit(0, 0, 'bpew'),
    partition: r.u8(1, 'partition'),
    firstLocation: r.u32(4, 'firstLocation'),
    lastLocation: r.u32(8, 'lastLocation'),
    objectsInBuffer: r.u24(13, 'objectsInBuffer'),
    bytesInBuffer: r.u32(16, 'bytesInBuffer'),
  };
}

/** READ POSITION long form (32 bytes). DecodeError when shorter. */
export function decodeReadPositionLong(source: ByteSource): ReadPositionLong {
  const r = new ByteReader(source);
  r.need(0, 32, 'readPosition');
  return {
    form: 'long',
    bop: r.bit(0, 7, 'bop'),
    eop: r.bit(0, 6, 'eop'),
    mpu: r.bit(0, 3, 'mpu'),
    lonu: r.bit(0, 2, 'lonu'),
    bpew: r.bit(0, 0, 'bpew'),
    partition: r.u32(4, 'partition'),
    logicalObjectNumber: r.u64(8, 'logicalObjectNumber'),
    logicalFileIdentifier: r.u64(16, 'logicalFileIdentifier'),
    logicalSetIdentifier: r.u64(24, 'logicalSetIdentifier'),
  };
}

/** READ POSITION extended form (32 bytes; ADDITIONAL LENGTH 1Ch). DecodeError when shorter. */
export function decodeReadPositionExtended(source: ByteSource): ReadPositionExtended {
  const r = new ByteReader(source);
  r.need(0, 32, 'readPosition');
  return {
    form: 'extended',
    bop: r.bit(0, 7, 'bop'),
    eop: r.bit(0, 6, 'eop'),
    locu: r.bit(0, 5, 'locu'),
    bycu: r.bit(0, 4, 'bycu'),
    lolu: r.bit(0, 2, 'lolu'),
    perr: r.bit(0, 1, 'perr'),
    bpew: r.bit(0, 0, 'bpew'),
    partition: r.u8(1, 'partition'),
    objectsInBuffer: r.u24(5, 'objectsInBuffer'),
    firstLocation: r.u64(8, 'firstLocation'),
    lastLocation: r.u64(16, 'lastLocation'),
    bytesInBuffer: r.u64(24, 'bytesInBuffer'),
  };
}

// ---------------------------------------------------------------------------------------------
// READ BLOCK LIMITS

export interface BlockLimits {
  /** GRANULARITY: block lengths are multiples of 2^granularity bytes. */
  readonly granularity: number;
  /** MAXIMUM BLOCK LENGTH LIMIT in bytes; 0: no limit given. */
  readonly maximumBlockLength: number;
  /** MINIMUM BLOCK LENGTH LIMIT in bytes. Equal to the maximum: only fixed mode of that length. */
  readonly minimumBlockLength: number;
}

/** READ BLOCK LIMITS (6 bytes). DecodeError when shorter. */
export function decodeReadBlockLimits(source: ByteSource): BlockLimits {
  const r = new ByteReader(source);
  return {
    granularity: r.bits(0, 0, 5, 'granularity'),
    maximumBlockLength: r.u24(1, 'maximumBlockLength'),
    minimumBlockLength: r.u16(4, 'minimumBlockLength'),
  };
}

/** READ BLOCK LIMITS with MLOI (20 bytes): the MAXIMUM LOGICAL OBJECT IDENTIFIER (bytes 12-19). */
export function decodeReadBlockLimitsMloi(source: ByteSource): {
  readonly maximumLogicalObjectIdentifier: bigint;
} {
  const r = new ByteReader(source);
  return { maximumLogicalObjectIdentifier: r.u64(12, 'maximumLogicalObjectIdentifier') };
}

// ---------------------------------------------------------------------------------------------
// REPORT DENSITY SUPPORT

export interface DensityDescriptor {
  readonly primaryDensityCode: number;
  readonly secondaryDensityCode: number;
  /** WRTOK: the drive can write this density (on the mounted medium with MEDIA=1). */
  readonly wrtok: boolean;
  /** DUP: the density has another descriptor too. */
  readonly dup: boolean;
  /** DEFLT: the drive's default density. */
  readonly deflt: boolean;
  /** DLV: the descriptor length field is valid. */
  readonly dlv: boolean;
  readonly bitsPerMm: number;
  readonly mediaWidth: number;
  readonly tracks: number;
  /** CAPACITY in megabytes (10^6 bytes). */
  readonly capacity: number;
  readonly assigningOrganization: string;
  readonly densityName: string;
  readonly description: string;
}

export interface MediumTypeDescriptor {
  readonly mediumType: number;
  /** PRIMARY DENSITY CODEs the medium supports (NUMBER OF DENSITY CODES of them, at most 9). */
  readonly densityCodes: number[];
  readonly mediaWidth: number;
  readonly mediumLength: number;
  readonly assigningOrganization: string;
  readonly mediumTypeName: string;
  readonly description: string;
}

export interface DensitySupport extends Truncation {
  readonly kind: 'density' | 'mediumType';
  readonly densities: DensityDescriptor[];
  readonly mediumTypes: MediumTypeDescriptor[];
}

const DENSITY_DESCRIPTOR_LENGTH = 52;
const MEDIUM_TYPE_DESCRIPTOR_LENGTH = 56;

/**
 * REPORT DENSITY SUPPORT parameter data: a 4-byte header (AVAILABLE DENSITY SUPPORT LENGTH, bytes
 * 0-1) then 52-byte density descriptors, or 56-byte medium type descriptors when the command set
 * MEDIUM TYPE. A descriptor cut by the allocation length is left out (truncated).
 */
export function decodeReportDensitySupport(
  source: ByteSource,
  options: { readonly mediumType?: boolean } = {},
): DensitySupport {
  const r = new ByteReader(source);
  const available = r.u16(0, 'availableDensitySupportLength');
  r.need(0, 4, 'header');
  const end = Math.min(r.length, available + 2);
  const densities: DensityDescriptor[] = [];
  const mediumTypes: MediumTypeDescriptor[] = [];
  const size = options.mediumType === true ? MEDIUM_TYPE_DESCRIPTOR_LENGTH : DENSITY_DESCRIPTOR_LENGTH;
  for (let o = 4; o + size <= end; o += size) {
    if (options.mediumType === true) {
      const count = Math.min(r.u8(o + 4, 'numberOfDensityCodes'), 9);
      const codes: number[] = [];
      for (let i = 0; i < count; i++) codes.push(r.u8(o + 5 + i, 'primaryDensityCode'));
      mediumTypes.push({
        mediumType: r.u8(o, 'mediumType'),
        densityCodes: codes,
        mediaWidth: r.u16(o + 14, 'mediaWidth'),
        mediumLength: r.u16(o + 16, 'mediumLength'),
        assigningOrganization: r.ascii(o + 20, 8, 'assigningOrganization'),
        mediumTypeName: r.ascii(o + 28, 8, 'mediumTypeName'),
        description: r.ascii(o + 36, 20, 'description'),
      });
    } else {
      densities.push({
        primaryDensityCode: r.u8(o, 'primaryDensityCode'),
        secondaryDensityCode: r.u8(o + 1, 'secondaryDensityCode'),
        wrtok: r.bit(o + 2, 7, 'wrtok'),
        dup: r.bit(o + 2, 6, 'dup'),
        deflt: r.bit(o + 2, 5, 'deflt'),
        dlv: r.bit(o + 2, 0, 'dlv'),
        bitsPerMm: r.u24(o + 5, 'bitsPerMm'),
        mediaWidth: r.u16(o + 8, 'mediaWidth'),
        tracks: r.u16(o + 10, 'tracks'),
        capacity: r.u32(o + 12, 'capacity'),
        assigningOrganization: r.ascii(o + 16, 8, 'assigningOrganization'),
        densityName: r.ascii(o + 24, 8, 'densityName'),
        description: r.ascii(o + 32, 20, 'description'),
      });
    }
  }
  return {
    kind: options.mediumType === true ? 'mediumType' : 'density',
    densities,
    mediumTypes,
    truncated: r.length < available + 2,
    requiredLength: available + 2,
    availableLength: Math.min(r.length, available + 2),
  };
}

// ---------------------------------------------------------------------------------------------
// Mode parameters on a tape

/** The mode parameter header's DEVICE-SPECIFIC PARAMETER as SSC-5 defines it. */
export interface TapeDeviceSpecificParameter {
  /** WP: the medium is write protected. */
  readonly wp: boolean;
  /** BUFFERED MODE (bits 6-4): 0 unbuffered, 1 buffered. */
  readonly bufferedMode: number;
  /** SPEED (bits 3-0): 0 the drive's default. */
  readonly speed: number;
}

export function decodeTapeDeviceSpecificParameter(byte: number): TapeDeviceSpecificParameter {
  return { wp: (byte & 0x80) !== 0, bufferedMode: (byte >> 4) & 0x07, speed: byte & 0x0f };
}

/**
 * The block descriptor of a tape (general form): DENSITY CODE, NUMBER OF BLOCKS (24 bits) and
 * BLOCK LENGTH (24 bits). BLOCK LENGTH 0 is variable-block mode; non-zero is fixed-block mode with
 * blocks of that many bytes (what READ(6)/WRITE(6) with FIXED=1 count).
 */
export interface TapeBlockDescriptor {
  readonly densityCode: number;
  readonly numberOfBlocks: number;
  readonly blockLength: number;
  readonly mode: 'fixed' | 'variable';
}

/** An 8-byte general-form block descriptor. DecodeError when shorter. */
export function decodeTapeBlockDescriptor(source: ByteSource): TapeBlockDescriptor {
  const r = new ByteReader(source);
  const blockLength = r.u24(5, 'blockLength');
  return {
    densityCode: r.u8(0, 'densityCode'),
    numberOfBlocks: r.u24(1, 'numberOfBlocks'),
    blockLength,
    mode: blockLength === 0 ? 'variable' : 'fixed',
  };
}

function pageReader(source: ByteSource, code: number, field: string): ByteReader {
  const r = new ByteReader(source);
  const pageCode = r.bits(0, 0, 6, field);
  if (pageCode !== code) {
    throw new DecodeError(field, `is page ${pageCode.toString(16)}h, not ${code.toString(16)}h`, 0);
  }
  r.need(0, 16, field);
  return r;
}

/** Data Compression mode page (0Fh, 16 bytes, SSC-5). */
export interface DataCompressionPage {
  /** DCE: compress data written. */
  readonly dce: boolean;
  /** DCC: the drive can compress. */
  readonly dcc: boolean;
  /** DDE: decompress data read. */
  readonly dde: boolean;
  /** RED: report exception on decompression (bits 6-5). */
  readonly red: number;
  readonly compressionAlgorithm: number;
  readonly decompressionAlgorithm: number;
}

/** Decodes one complete Data Compression page (header included). DecodeError when short or another page. */
export function decodeDataCompressionPage(page: ByteSource): DataCompressionPage {
  const r = pageReader(page, 0x0f, 'dataCompressionPage');
  return {
    dce: r.bit(2, 7, 'dce'),
    dcc: r.bit(2, 6, 'dcc'),
    dde: r.bit(3, 7, 'dde'),
    red: r.bits(3, 5, 2, 'red'),
    compressionAlgorithm: r.u32(4, 'compressionAlgorithm'),
    decompressionAlgorithm: r.u32(8, 'decompressionAlgorithm'),
  };
}

/** Device Configuration mode page (10h, 16 bytes, SSC-5). */
export interface DeviceConfigurationPage {
  /** CAP: change active partition (MODE SELECT). */
  readonly cap: boolean;
  /** CAF: change active format. */
  readonly caf: boolean;
  readonly activeFormat: number;
  readonly activePartition: number;
  readonly writeObjectBufferFullRatio: number;
  readonly readObjectBufferEmptyRatio: number;
  /** WRITE DELAY TIME in 100 ms units. */
  readonly writeDelayTime: number;
  /** OBR: object buffer recovery. */
  readonly obr: boolean;
  /** LOIS: logical object identifiers supported. */
  readonly lois: boolean;
  /** RSMK: report setmarks (obsolete). */
  readonly rsmk: boolean;
  /** AVC: automatic velocity control (bits 4-3). */
  readonly avc: number;
  /** SOCF: stop on consecutive filemarks (bits 2-1). */
  readonly socf: number;
  /** ROBO: reverse object buffer order. */
  readonly robo: boolean;
  readonly gapSize: number;
  /** EOD DEFINED (bits 7-5). */
  readonly eodDefined: number;
  /** EEG: enable EOD generation. */
  readonly eeg: boolean;
  /** SEW: synchronize at early warning. */
  readonly sew: boolean;
  /** SWP: software write protection. */
  readonly swp: boolean;
  readonly baml: boolean;
  readonly bam: boolean;
  readonly objectBufferSizeAtEarlyWarning: number;
  readonly selectDataCompressionAlgorithm: number;
  /** ASOCWP, PERSWP, PRMWP: associated, persistent and permanent write protection. */
  readonly asocwp: boolean;
  readonly perswp: boolean;
  readonly prmwp: boolean;
}

/** Decodes one complete Device Configuration page (header included). DecodeError when short or another page. */
export function decodeDeviceConfigurationPage(page: ByteSource): DeviceConfigurationPage {
  const r = pageReader(page, 0x10, 'deviceConfigurationPage');
  return {
    cap: r.bit(2, 6, 'cap'),
    caf: r.bit(2, 5, 'caf'),
    activeFormat: r.bits(2, 0, 5, 'activeFormat'),
    activePartition: r.u8(3, 'activePartition'),
    writeObjectBufferFullRatio: r.u8(4, 'writeObjectBufferFullRatio'),
    readObjectBufferEmptyRatio: r.u8(5, 'readObjectBufferEmptyRatio'),
    writeDelayTime: r.u16(6, 'writeDelayTime'),
    obr: r.bit(8, 7, 'obr'),
    lois: r.bit(8, 6, 'lois'),
    rsmk: r.bit(8, 5, 'rsmk'),
    avc: r.bits(8, 3, 2, 'avc'),
    socf: r.bits(8, 1, 2, 'socf'),
    robo: r.bit(8, 0, 'robo'),
    gapSize: r.u8(9, 'gapSize'),
    eodDefined: r.bits(10, 5, 3, 'eodDefined'),
    eeg: r.bit(10, 4, 'eeg'),
    sew: r.bit(10, 3, 'sew'),
    swp: r.bit(10, 2, 'swp'),
    baml: r.bit(10, 1, 'baml'),
    bam: r.bit(10, 0, 'bam'),
    objectBufferSizeAtEarlyWarning: r.u24(11, 'objectBufferSizeAtEarlyWarning'),
    selectDataCompressionAlgorithm: r.u8(14, 'selectDataCompressionAlgorithm'),
    asocwp: r.bit(15, 2, 'asocwp'),
    perswp: r.bit(15, 1, 'perswp'),
    prmwp: r.bit(15, 0, 'prmwp'),
  };
}

// ---------------------------------------------------------------------------------------------
// TapeAlert (log page 2Eh)

/**
 * The 64 TapeAlert flags (SSC-5 Annex A; parameter codes 0001h-0040h), named as sg3_utils' sg_logs
 * names them. 28h-2Eh are obsolete (they were changer flags), 3Eh-40h reserved.
 */
export const TAPE_ALERT_FLAGS: readonly string[] = [
  'Read warning',
  'Write warning',
  'Hard error',
  'Media',
  'Read failure',
  'Write failure',
  'Media life',
  'Not data grade',
  'Write protect',
  'No removal',
  'Cleaning media',
  'Unsupported format',
  'Recoverable mechanical cartridge failure',
  'Unrecoverable mechanical cartridge failure',
  'Memory chip in cartridge failure',
  'Forced eject',
  'Read only format',
  'Tape directory corrupted on load',
  'Nearing media life',
  'Cleaning required',
  'Cleaning requested',
  'Expired cleaning media',
  'Invalid cleaning tape',
  'Retension requested',
  'Dual port interface error',
  'Cooling fan failing',
  'Power supply failure',
  'Power consumption',
  'Drive maintenance',
  'Hardware A',
  'Hardware B',
  'Interface',
  'Eject media',
  'Microcode update fail',
  'Drive humidity',
  'Drive temperature',
  'Drive voltage',
  'Predictive failure',
  'Diagnostics required',
  'Obsolete (28h)',
  'Obsolete (29h)',
  'Obsolete (2Ah)',
  'Obsolete (2Bh)',
  'Obsolete (2Ch)',
  'Obsolete (2Dh)',
  'Obsolete (2Eh)',
  'External data encryption control - communications failure',
  'External data encryption control - key manager returned an error',
  'Diminished native capacity',
  'Lost statistics',
  'Tape directory invalid at unload',
  'Tape system area write failure',
  'Tape system area read failure',
  'No start of data',
  'Loading or threading failure',
  'Unrecoverable unload failure',
  'Automation interface failure',
  'Microcode failure',
  'WORM medium - integrity check failed',
  'WORM medium - overwrite attempted',
  'Encryption policy violation',
  'Reserved (3Eh)',
  'Reserved (3Fh)',
  'Reserved (40h)',
];

export interface TapeAlertFlag {
  /** The flag number, 1-64 (its parameter code). */
  readonly flag: number;
  readonly name: string;
  readonly active: boolean;
}

export interface TapeAlertPage extends Truncation {
  /** Every flag the page carried, in parameter code order (a device sends all 64). */
  readonly flags: TapeAlertFlag[];
  /** The set ones. */
  readonly active: TapeAlertFlag[];
}

/**
 * The TapeAlert log page (2Eh): LOG SENSE parameter data. Each parameter 0001h-0040h is one flag,
 * set when bit 0 of its one-byte value is. DecodeError for another page or a cut header.
 */
export function decodeTapeAlertPage(source: ByteSource): TapeAlertPage {
  const page = decodeLogPageFrame(source);
  if (page.pageCode !== 0x2e) {
    throw new DecodeError('tapeAlertPage', `is log page ${page.pageCode.toString(16)}h, not 2Eh`, 0);
  }
  const flags: TapeAlertFlag[] = [];
  for (const p of page.parameters) {
    if (p.parameterCode < 1 || p.parameterCode > 64) continue;
    flags.push({
      flag: p.parameterCode,
      name: TAPE_ALERT_FLAGS[p.parameterCode - 1] ?? `Flag ${p.parameterCode}`,
      active: ((p.raw[0] ?? 0) & 0x01) !== 0,
    });
  }
  flags.sort((a, b) => a.flag - b.flag);
  return {
    flags,
    active: flags.filter((f) => f.active),
    truncated: page.truncated,
    requiredLength: page.requiredLength,
    availableLength: page.availableLength,
  };
}

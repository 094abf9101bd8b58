/**
 * READ CAPACITY(10) and READ CAPACITY(16) parameter data (SBC-4 "READ CAPACITY (10) parameter data" and
 * "READ CAPACITY (16) parameter data" tables, as sg_readcap decodes them).
 */
import { ByteReader, type ByteSource } from '../bytes.js';

/** READ CAPACITY(10) parameter data (8 bytes). */
export interface ReadCapacity10Data {
  /** RETURNED LOGICAL BLOCK ADDRESS as sent: the last LBA, or 0xFFFFFFFF when it does not fit. */
  readonly returnedLogicalBlockAddress: number;
  /** Friendly alias: the last addressable LBA (returned LBA as a bigint). */
  readonly lastLba: bigint;
  /** LOGICAL BLOCK LENGTH IN BYTES. */
  readonly logicalBlockLengthInBytes: number;
  /** Friendly alias of `logicalBlockLengthInBytes`. */
  readonly blockLength: number;
  /**
   * (lastLba + 1) × blockLength. Meaningless when `needsReadCapacity16` is true: the device has
   * more than 2^32 blocks and only READ CAPACITY(16) reports the real size.
   */
  readonly capacityBytes: bigint;
  /** The returned LBA is 0xFFFFFFFF: the capacity does not fit, issue READ CAPACITY(16). */
  readonly needsReadCapacity16: boolean;
}

/** Decodes READ CAPACITY(10) parameter data. Needs all 8 bytes. */
export function decodeReadCapacity10(bytes: ByteSource): ReadCapacity10Data {
  const r = new ByteReader(bytes);
  const returned = r.u32(0, 'returnedLogicalBlockAddress');
  const blockLength = r.u32(4, 'logicalBlockLengthInBytes');
  const lastLba = BigInt(returned);
  return {
    returnedLogicalBlockAddress: returned,
    lastLba,
    logicalBlockLengthInBytes: blockLength,
    blockLength,
    capacityBytes: (lastLba + 1n) * BigInt(blockLength),
    needsReadCapacity16: returned === 0xffffffff,
  };
}

/** Protection information type implied by PROT_EN and P_TYPE (SBC-4 4.22.2). */
export type ProtectionTypeName = 'none' | 'type1' | 'type2' | 'type3' | 'reserved';

/** READ CAPACITY(16) parameter data (32 bytes; the decoder accepts ≥ 16). */
export interface ReadCapacity16Data {
  /** RETURNED LOGICAL BLOCK ADDRESS: the last LBA (but see `rcBasis`). */
  readonly returnedLogicalBlockAddress: bigint;
  /** Friendly alias of `returnedLogicalBlockAddress`. */
  readonly lastLba: bigint;
  readonly logicalBlockLengthInBytes: number;
  /** Friendly alias of `logicalBlockLengthInBytes`. */
  readonly blockLength: number;
  /** PROT_EN: protection information is enabled on the medium. */
  readonly protEn: boolean;
  /** P_TYPE (0-7): with PROT_EN set, 0 = type 1, 1 = type 2, 2 = type 3, others reserved. */
  readonly pType: number;
  /** 0 when PROT_EN is clear, else pType + 1 (1-3); reserved P_TYPE values give 0 with name 'reserved'. */
  readonly protectionType: number;
  readonly protectionTypeName: ProtectionTypeName;
  /** P_I_EXPONENT: 2^n protection information intervals per logical block. */
  readonly pIExponent: number;
  /** LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT: 2^n logical blocks per physical block. */
  readonly logicalBlocksPerPhysicalBlockExponent: number;
  /** LBPME: logical block provisioning management (thin provisioning) is enabled. */
  readonly lbpme: boolean;
  /** LBPRZ: unmapped blocks read as zeros. */
  readonly lbprz: boolean;
  /** LOWEST ALIGNED LOGICAL BLOCK ADDRESS (14 bits). */
  readonly lowestAlignedLba: number;
  /**
   * RC BASIS: 0 = the returned LBA may exclude part of the capacity (ZBC: REPORT ZONES' maximum LBA is
   * authoritative); 1 = the returned LBA is the last LBA of the logical unit; 2-3 reserved.
   */
  readonly rcBasis: number;
  /** (lastLba + 1) × blockLength. */
  readonly capacityBytes: bigint;
  /** blockLength × 2^logicalBlocksPerPhysicalBlockExponent. */
  readonly physicalBlockLength: number;
  /** Bytes 16-31 (reserved) as returned, so nothing is dropped. */
  readonly reserved: Uint8Array;
  /** Fewer than the 32 bytes T10 defines were returned; the decoded fields are still valid. */
  readonly truncated: boolean;
  readonly requiredLength: number;
  readonly availableLength: number;
}

const RC16_LENGTH = 32;

/**
 * Decodes READ CAPACITY(16) parameter data. Needs the first 16 bytes (every defined field); a
 * shorter-than-32 answer is accepted and flagged `truncated`.
 */
export function decodeReadCapacity16(bytes: ByteSource): ReadCapacity16Data {
  const r = new ByteReader(bytes);
  r.need(0, 16, 'readCapacity16');
  const lastLba = r.u64(0, 'returnedLogicalBlockAddress');
  const blockLength = r.u32(8, 'logicalBlockLengthInBytes');
  const protEn = r.bit(12, 0, 'protEn');
  const pType = r.bits(12, 1, 3, 'pType');
  const rcBasis = r.bits(12, 4, 2, 'rcBasis');
  const pIExponent = r.bits(13, 4, 4, 'pIExponent');
  const lbppbe = r.bits(13, 0, 4, 'logicalBlocksPerPhysicalBlockExponent');
  const lbpme = r.bit(14, 7, 'lbpme');
  const lbprz = r.bit(14, 6, 'lbprz');
  const lowestAlignedLba = r.u16(14, 'lowestAlignedLba') & 0x3fff;
  let protectionTypeName: ProtectionTypeName = 'none';
  let protectionType = 0;
  if (protEn) {
    if (pType <= 2) {
      protectionType = pType + 1;
      protectionTypeName = `type${pType + 1}` as ProtectionTypeName;
    } else {
      protectionTypeName = 'reserved';
    }
  }
  const available = Math.min(r.length, RC16_LENGTH);
  return {
    returnedLogicalBlockAddress: lastLba,
    lastLba,
    logicalBlockLengthInBytes: blockLength,
    blockLength,
    protEn,
    pType,
    protectionType,
    protectionTypeName,
    pIExponent,
    logicalBlocksPerPhysicalBlockExponent: lbppbe,
    lbpme,
    lbprz,
    lowestAlignedLba,
    rcBasis,
    capacityBytes: (lastLba + 1n) * BigInt(blockLength),
    physicalBlockLength: blockLength * 2 ** lbppbe,
    reserved: r.slice(16, available - 16, 'reserved'),
    truncated: r.length < RC16_LENGTH,
    requiredLength: RC16_LENGTH,
    availableLength: available,
  };
}

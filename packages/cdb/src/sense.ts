import { type ByteSource, toBytes } from './bytes.js';
import { DecodeError } from './errors.js';
import { ascAscqDescription, senseKeyName } from './names.js';

// ---------------------------------------------------------------------------------------------
// Sense-key specific information (SPC-6 4.4.2.4)

/** ILLEGAL REQUEST: which CDB or parameter-list byte (and bit) was wrong (SPC-6 Table 57). */
export interface FieldPointerSks {
  readonly kind: 'fieldPointer';
  /** C/D: true when the error is in the CDB, false when in the parameter data. */
  readonly commandData: boolean;
  /** BPV: `bitPointer` is meaningful. */
  readonly bitPointerValid: boolean;
  readonly bitPointer: number;
  /** Byte number of the first byte of the field in error (the most significant byte for multi-byte fields). */
  readonly fieldPointer: number;
}

/** RECOVERED ERROR, MEDIUM ERROR, HARDWARE ERROR: retries the device made (SPC-6 Table 58). */
export interface ActualRetryCountSks {
  readonly kind: 'actualRetryCount';
  readonly actualRetryCount: number;
}

/** NO SENSE, NOT READY: how far a long operation (FORMAT UNIT, SANITIZE, self-test …) is (SPC-6 Table 59). */
export interface ProgressIndicationSks {
  readonly kind: 'progressIndication';
  /** Numerator of a fraction whose denominator is 65 536. */
  readonly progress: number;
  /** `progress` as a percentage, 0 to just under 100 (not rounded). */
  readonly percent: number;
}

/** COPY ABORTED: the byte of the parameter list or segment descriptor in error (SPC-6 Table 60). */
export interface SegmentPointerSks {
  readonly kind: 'segmentPointer';
  /** SD: true when `fieldPointer` is relative to the segment descriptor, false to the parameter list. */
  readonly segmentDescriptor: boolean;
  readonly bitPointerValid: boolean;
  readonly bitPointer: number;
  readonly fieldPointer: number;
}

/** UNIT ATTENTION: the unit attention condition queue overflowed (SPC-6 Table 61). */
export interface UnitAttentionQueueOverflowSks {
  readonly kind: 'unitAttentionQueueOverflow';
  readonly overflow: boolean;
}

/** Any other sense key: the three bytes as sent (first byte includes SKSV). */
export interface RawSks {
  readonly kind: 'raw';
  readonly bytes: Uint8Array;
}

export type SenseKeySpecific =
  | FieldPointerSks
  | ActualRetryCountSks
  | ProgressIndicationSks
  | SegmentPointerSks
  | UnitAttentionQueueOverflowSks
  | RawSks;

/**
 * Decodes the three sense-key specific bytes (byte 0 holds SKSV in bit 7) for `senseKey`.
 * The caller checks SKSV; the layout depends only on the sense key.
 */
function decodeSks(b: Uint8Array, senseKey: number): SenseKeySpecific {
  const b0 = b[0] ?? 0;
  const value = ((b[1] ?? 0) << 8) | (b[2] ?? 0);
  switch (senseKey) {
    case 0x5:
      return {
        kind: 'fieldPointer',
        commandData: (b0 & 0x40) !== 0,
        bitPointerValid: (b0 & 0x08) !== 0,
        bitPointer: b0 & 0x07,
        fieldPointer: value,
      };
    case 0x1:
    case 0x3:
    case 0x4:
      return { kind: 'actualRetryCount', actualRetryCount: value };
    case 0x0:
    case 0x2:
      return { kind: 'progressIndication', progress: value, percent: (value * 100) / 65536 };
    case 0xa:
      return {
        kind: 'segmentPointer',
        segmentDescriptor: (b0 & 0x20) !== 0,
        bitPointerValid: (b0 & 0x08) !== 0,
        bitPointer: b0 & 0x07,
        fieldPointer: value,
      };
    case 0x6:
      return { kind: 'unitAttentionQueueOverflow', overflow: (b0 & 0x01) !== 0 };
    default:
      return { kind: 'raw', bytes: b.slice(0, 3) };
  }
}

// ---------------------------------------------------------------------------------------------
// Sense data descriptors (SPC-6 4.4.2, SBC-4, SAT-5, OSD)

interface DescriptorBase {
  /** Descriptor type code (byte 0). */
  readonly type: number;
}

/** 00h Information (SPC-6 4.4.2.2). */
export interface InformationDescriptor extends DescriptorBase {
  readonly kind: 'information';
  readonly valid: boolean;
  readonly information: bigint;
}

/** 01h Command-specific information (SPC-6 4.4.2.3). */
export interface CommandSpecificInformationDescriptor extends DescriptorBase {
  readonly kind: 'commandSpecificInformation';
  readonly commandSpecificInformation: bigint;
}

/** 02h Sense key specific (SPC-6 4.4.2.4). `senseKeySpecific` is absent when SKSV is 0. */
export interface SenseKeySpecificDescriptor extends DescriptorBase {
  readonly kind: 'senseKeySpecific';
  readonly sksv: boolean;
  readonly senseKeySpecific?: SenseKeySpecific;
}

/** 03h Field replaceable unit (SPC-6 4.4.2.5). */
export interface FruDescriptor extends DescriptorBase {
  readonly kind: 'fru';
  readonly fieldReplaceableUnitCode: number;
}

/** 04h Stream commands (SSC-5): FILEMARK, EOM, ILI. */
export interface StreamCommandsDescriptor extends DescriptorBase {
  readonly kind: 'streamCommands';
  readonly filemark: boolean;
  readonly eom: boolean;
  readonly ili: boolean;
}

/** 05h Block commands (SBC-4 4.18.2): ILI. */
export interface BlockCommandsDescriptor extends DescriptorBase {
  readonly kind: 'blockCommands';
  readonly ili: boolean;
}

/** 06h–08h OSD object identification / response integrity check value / attribute identification (kept raw). */
export interface OsdDescriptor extends DescriptorBase {
  readonly kind: 'osdObjectIdentification' | 'osdResponseIntegrityCheckValue' | 'osdAttributeIdentification';
  /** The whole descriptor, header included. */
  readonly raw: Uint8Array;
}

/**
 * 09h ATA Status Return (SAT-5 12.2.2.6). As sg3_utils reads it: with EXTEND clear only the 8-bit
 * count and 24-bit LBA are meaningful (the rest of a 28-bit LBA sits in `device` bits 3:0).
 */
export interface AtaStatusReturnDescriptor extends DescriptorBase {
  readonly kind: 'ataStatusReturn';
  readonly extend: boolean;
  readonly error: number;
  readonly count: number;
  /** LBA(47:0) when `extend`, else LBA(23:0). */
  readonly lba: number;
  readonly device: number;
  readonly status: number;
}

/** 0Ah Another progress indication (SPC-6 4.4.2.7): progress of an operation other than the reported one. */
export interface AnotherProgressIndicationDescriptor extends DescriptorBase {
  readonly kind: 'anotherProgressIndication';
  readonly senseKey: number;
  readonly asc: number;
  readonly ascq: number;
  readonly progress: number;
  readonly percent: number;
}

/** One referral of a user data segment referral descriptor (SBC-4 4.18.4). */
export interface UdsReferral {
  readonly firstUserDataSegmentLba: bigint;
  readonly lastUserDataSegmentLba: bigint;
  readonly targetPortGroups: readonly {
    readonly asymmetricAccessState: number;
    readonly targetPortGroup: number;
  }[];
}

/** 0Bh User data segment referral (SBC-4 4.18.4). */
export interface UserDataSegmentReferralDescriptor extends DescriptorBase {
  readonly kind: 'userDataSegmentReferral';
  /** NOT_ALL_R: more referrals exist than fit. */
  readonly notAllReferrals: boolean;
  readonly referrals: readonly UdsReferral[];
  /** Set when the last referral's length ran past the descriptor; `raw` still has every byte. */
  readonly referralsTruncated: boolean;
  readonly raw: Uint8Array;
}

/** 0Ch Forwarded sense data (SPC-6 4.4.2.8), e.g. from an EXTENDED COPY target. */
export interface ForwardedSenseDataDescriptor extends DescriptorBase {
  readonly kind: 'forwardedSenseData';
  /** FSDT: the forwarded sense data was created by the copy manager, not received. */
  readonly fsdt: boolean;
  /** 0: copy source device, 1–7: copy destination device n-1. */
  readonly senseDataSource: number;
  readonly forwardedStatus: number;
  readonly forwardedSenseData: Uint8Array;
  /** The forwarded sense decoded, absent when it is empty or does not decode. */
  readonly sense?: SenseData;
}

/** 0Dh Direct-access block device (SBC-4 4.18.5): information, CSI, SKS and FRU in one descriptor. */
export interface DirectAccessBlockDeviceDescriptor extends DescriptorBase {
  readonly kind: 'directAccessBlockDevice';
  readonly valid: boolean;
  readonly ili: boolean;
  readonly sksv: boolean;
  readonly senseKeySpecific?: SenseKeySpecific;
  readonly fieldReplaceableUnitCode: number;
  readonly information: bigint;
  readonly commandSpecificInformation: bigint;
}

/** 0Eh Device designation (SPC-6 4.4.2.9), kept raw. */
export interface DeviceDesignationDescriptor extends DescriptorBase {
  readonly kind: 'deviceDesignation';
  readonly raw: Uint8Array;
}

/** 0Fh Microcode activation (SPC-6 4.4.2.10). */
export interface MicrocodeActivationDescriptor extends DescriptorBase {
  readonly kind: 'microcodeActivation';
  /** Seconds until the new microcode is active; 0 means unknown. */
  readonly microcodeActivationTime: number;
}

/**
 * A descriptor this decoder does not interpret (reserved or vendor specific 80h–FFh), or one too
 * short for its type (`malformed`). `raw` is the whole descriptor as received.
 */
export interface OtherDescriptor extends DescriptorBase {
  readonly kind: 'other';
  readonly vendorSpecific: boolean;
  readonly malformed: boolean;
  readonly raw: Uint8Array;
}

export type SenseDescriptor =
  | InformationDescriptor
  | CommandSpecificInformationDescriptor
  | SenseKeySpecificDescriptor
  | FruDescriptor
  | StreamCommandsDescriptor
  | BlockCommandsDescriptor
  | OsdDescriptor
  | AtaStatusReturnDescriptor
  | AnotherProgressIndicationDescriptor
  | UserDataSegmentReferralDescriptor
  | ForwardedSenseDataDescriptor
  | DirectAccessBlockDeviceDescriptor
  | DeviceDesignationDescriptor
  | MicrocodeActivationDescriptor
  | OtherDescriptor;

// ---------------------------------------------------------------------------------------------
// Decoded sense data

/** Fixed (70h/71h) or descriptor (72h/73h) format sense data, with both formats' facts in one shape. */
export interface StandardSense {
  readonly format: 'fixed' | 'descriptor';
  readonly responseCode: number;
  /** 70h/72h: about the command that returned it. */
  readonly current: boolean;
  /** 71h/73h: about an earlier command whose completion was already reported (e.g. a cached write). */
  readonly deferred: boolean;
  /**
   * Fixed: the VALID bit (INFORMATION is defined). Descriptor: an information descriptor with VALID
   * set (or a direct-access block device descriptor with VALID) is present.
   */
  readonly valid: boolean;
  readonly senseKey: number;
  readonly senseKeyName: string;
  readonly asc: number;
  readonly ascq: number;
  /** ASC/ASCQ text (see ascAscqDescription). */
  readonly description: string;
  /** Present when `valid`. Fixed format holds 32 bits, descriptor format 64. */
  readonly information?: bigint;
  readonly commandSpecificInformation?: bigint;
  readonly filemark: boolean;
  readonly eom: boolean;
  readonly ili: boolean;
  /** SDAT_OVFL: the device had more sense data than fitted. */
  readonly sdatOvfl: boolean;
  /** Present when SKSV is set (fixed bytes 15–17, or a sense key specific descriptor). */
  readonly senseKeySpecific?: SenseKeySpecific;
  /** Field replaceable unit code, present when non-zero (0 means no specific unit). */
  readonly fru?: number;
  /** ADDITIONAL SENSE LENGTH (byte 7): bytes that follow byte 7. */
  readonly additionalLength: number;
  /** Descriptor format: every descriptor in order. Fixed format: empty. */
  readonly descriptors: readonly SenseDescriptor[];
  /** Fixed format: bytes 18 and beyond (additional sense bytes, vendor specific). */
  readonly additionalSenseBytes?: Uint8Array;
  /** The buffer held fewer bytes than 8 + additional length; what is here was decoded. */
  readonly truncated: boolean;
  /** 8 + additional length. */
  readonly requiredLength: number;
  /** Bytes received. */
  readonly availableLength: number;
  /** The sense bytes decoded (min of required and available), copied. */
  readonly raw: Uint8Array;
}

/** Response code 7Fh: vendor specific format, kept as bytes. */
export interface VendorSense {
  readonly format: 'vendor';
  readonly responseCode: 0x7f;
  readonly raw: Uint8Array;
}

export type SenseData = StandardSense | VendorSense;

function u64(b: Uint8Array, off: number): bigint {
  let v = 0n;
  for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(b[off + i] ?? 0);
  return v;
}

function u32(b: Uint8Array, off: number): number {
  return (
    (((b[off] ?? 0) << 24) >>> 0) + (((b[off + 1] ?? 0) << 16) | ((b[off + 2] ?? 0) << 8) | (b[off + 3] ?? 0))
  );
}

function u16(b: Uint8Array, off: number): number {
  return ((b[off] ?? 0) << 8) | (b[off + 1] ?? 0);
}

/** Smallest additional length (byte 1) each typed descriptor needs; shorter ones are kept raw as malformed. */
const MIN_DESCRIPTOR_LENGTH: ReadonlyMap<number, number> = new Map([
  [0x00, 0x0a],
  [0x01, 0x0a],
  [0x02, 0x06],
  [0x03, 0x02],
  [0x04, 0x02],
  [0x05, 0x02],
  [0x09, 0x0c],
  [0x0a, 0x06],
  [0x0b, 0x02],
  [0x0c, 0x02],
  // SBC-4 gives 1Eh; only bytes up to the command-specific information (byte 23) are read.
  [0x0d, 0x16],
  [0x0f, 0x06],
]);

/** Forwarded sense nests sense in sense; a hostile buffer could nest deeply, so stop somewhere. */
const MAX_FORWARD_DEPTH = 4;

function decodeDescriptor(d: Uint8Array, senseKey: number, depth: number): SenseDescriptor {
  const type = d[0] ?? 0;
  const addLen = d.length - 2;
  const min = MIN_DESCRIPTOR_LENGTH.get(type);
  if (addLen < 0 || (min !== undefined && addLen < min)) {
    return { kind: 'other', type, vendorSpecific: type >= 0x80, malformed: true, raw: d.slice() };
  }
  switch (type) {
    case 0x00:
      return { kind: 'information', type, valid: ((d[2] ?? 0) & 0x80) !== 0, information: u64(d, 4) };
    case 0x01:
      return { kind: 'commandSpecificInformation', type, commandSpecificInformation: u64(d, 4) };
    case 0x02: {
      const sksv = ((d[4] ?? 0) & 0x80) !== 0;
      return sksv
        ? { kind: 'senseKeySpecific', type, sksv, senseKeySpecific: decodeSks(d.subarray(4, 7), senseKey) }
        : { kind: 'senseKeySpecific', type, sksv };
    }
    case 0x03:
      return { kind: 'fru', type, fieldReplaceableUnitCode: d[3] ?? 0 };
    case 0x04: {
      const f = d[3] ?? 0;
      return {
        kind: 'streamCommands',
        type,
        filemark: (f & 0x80) !== 0,
        eom: (f & 0x40) !== 0,
        ili: (f & 0x20) !== 0,
      };
    }
    case 0x05:
      return { kind: 'blockCommands', type, ili: ((d[3] ?? 0) & 0x20) !== 0 };
    case 0x06:
      return { kind: 'osdObjectIdentification', type, raw: d.slice() };
    case 0x07:
      return { kind: 'osdResponseIntegrityCheckValue', type, raw: d.slice() };
    case 0x08:
      return { kind: 'osdAttributeIdentification', type, raw: d.slice() };
    case 0x09: {
      const extend = ((d[2] ?? 0) & 0x01) !== 0;
      const b = (i: number) => d[i] ?? 0;
      // LBA bytes are interleaved: 7 = 7:0, 9 = 15:8, 11 = 23:16, 6 = 31:24, 8 = 39:32, 10 = 47:40.
      const low24 = (b(11) << 16) | (b(9) << 8) | b(7);
      const high24 = (b(10) << 16) | (b(8) << 8) | b(6);
      return {
        kind: 'ataStatusReturn',
        type,
        extend,
        error: b(3),
        count: extend ? (b(4) << 8) | b(5) : b(5),
        lba: extend ? high24 * 0x1000000 + low24 : low24,
        device: b(12),
        status: b(13),
      };
    }
    case 0x0a: {
      const progress = u16(d, 6);
      return {
        kind: 'anotherProgressIndication',
        type,
        senseKey: (d[2] ?? 0) & 0x0f,
        asc: d[3] ?? 0,
        ascq: d[4] ?? 0,
        progress,
        percent: (progress * 100) / 65536,
      };
    }
    case 0x0b:
      return decodeUdsReferral(d);
    case 0x0c: {
      const forwarded = d.slice(4);
      let sense: SenseData | undefined;
      if (forwarded.length > 0 && depth < MAX_FORWARD_DEPTH) {
        try {
          sense = decodeSenseAt(forwarded, depth + 1);
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
        }
      }
      const base = {
        kind: 'forwardedSenseData',
        type,
        fsdt: ((d[2] ?? 0) & 0x80) !== 0,
        senseDataSource: (d[2] ?? 0) & 0x0f,
        forwardedStatus: d[3] ?? 0,
        forwardedSenseData: forwarded,
      } as const;
      return sense === undefined ? base : { ...base, sense };
    }
    case 0x0d: {
      const sksv = ((d[4] ?? 0) & 0x80) !== 0;
      const base = {
        kind: 'directAccessBlockDevice',
        type,
        valid: ((d[2] ?? 0) & 0x80) !== 0,
        ili: ((d[2] ?? 0) & 0x20) !== 0,
        sksv,
        fieldReplaceableUnitCode: d[7] ?? 0,
        information: u64(d, 8),
        commandSpecificInformation: u64(d, 16),
      } as const;
      return sksv ? { ...base, senseKeySpecific: decodeSks(d.subarray(4, 7), senseKey) } : base;
    }
    case 0x0e:
      return { kind: 'deviceDesignation', type, raw: d.slice() };
    case 0x0f:
      return { kind: 'microcodeActivation', type, microcodeActivationTime: u16(d, 6) };
    default:
      return { kind: 'other', type, vendorSpecific: type >= 0x80, malformed: false, raw: d.slice() };
  }
}

function decodeUdsReferral(d: Uint8Array): UserDataSegmentReferralDescriptor {
  const referrals: UdsReferral[] = [];
  let off = 4;
  let referralsTruncated = false;
  // Each referral: 3 reserved, count of TPG descriptors, first LBA, last LBA, then 4 bytes per TPG.
  while (off + 4 <= d.length) {
    const tpgCount = d[off + 3] ?? 0;
    const size = 20 + tpgCount * 4;
    if (off + size > d.length) {
      referralsTruncated = true;
      break;
    }
    const targetPortGroups = [];
    for (let j = 0; j < tpgCount; j++) {
      const t = off + 20 + j * 4;
      targetPortGroups.push({ asymmetricAccessState: (d[t] ?? 0) & 0x0f, targetPortGroup: u16(d, t + 2) });
    }
    referrals.push({
      firstUserDataSegmentLba: u64(d, off + 4),
      lastUserDataSegmentLba: u64(d, off + 12),
      targetPortGroups,
    });
    off += size;
  }
  if (off < d.length && !referralsTruncated) referralsTruncated = true;
  return {
    kind: 'userDataSegmentReferral',
    type: 0x0b,
    notAllReferrals: ((d[2] ?? 0) & 0x01) !== 0,
    referrals,
    referralsTruncated,
    raw: d.slice(),
  };
}

/** Splits the descriptor list; a last descriptor cut short by the buffer is kept as malformed. */
function decodeDescriptors(list: Uint8Array, senseKey: number, depth: number): SenseDescriptor[] {
  const out: SenseDescriptor[] = [];
  let off = 0;
  while (off < list.length) {
    const len = list[off + 1];
    const end = len === undefined ? list.length : off + 2 + len;
    if (end > list.length) {
      const type = list[off] ?? 0;
      out.push({ kind: 'other', type, vendorSpecific: type >= 0x80, malformed: true, raw: list.slice(off) });
      break;
    }
    out.push(decodeDescriptor(list.subarray(off, end), senseKey, depth));
    off = end;
  }
  return out;
}

/**
 * Decodes SCSI sense data (SPC-6 4.4): fixed (70h/71h) or descriptor (72h/73h) format, current or
 * deferred; vendor specific 7Fh is returned as raw bytes.
 *
 * - Empty, all-zero or unknown response code → DecodeError on `responseCode`.
 * - Fewer than 8 bytes (no ADDITIONAL SENSE LENGTH) → DecodeError.
 * - More bytes than 8 + additional length: the extra bytes are ignored (sense buffers are usually
 *   fixed-size and zero-padded).
 * - Fewer: what is there is decoded and `truncated` is set; fields past the end are absent (ASC/ASCQ 0).
 *
 * Descriptor format: information, command-specific information, sense key specific data, FRU and
 * the FILEMARK/EOM/ILI bits are lifted from their descriptors (or from a direct-access block device
 * descriptor) so both formats read the same.
 */
export function decodeSense(bytes: ByteSource): SenseData {
  return decodeSenseAt(toBytes(bytes), 0);
}

function decodeSenseAt(b: Uint8Array, depth: number): SenseData {
  const first = b[0];
  if (first === undefined) throw new DecodeError('responseCode', 'sense buffer is empty', 0);
  const responseCode = first & 0x7f;
  if (responseCode === 0x7f) return { format: 'vendor', responseCode: 0x7f, raw: b.slice() };
  if (responseCode < 0x70 || responseCode > 0x73) {
    const allZero = b.every((x) => x === 0);
    throw new DecodeError(
      'responseCode',
      allZero
        ? 'sense buffer is all zeros (no sense data was returned)'
        : `response code ${responseCode.toString(16).padStart(2, '0')}h is not sense data (want 70h-73h or 7Fh)`,
      0,
    );
  }
  if (b.length < 8) {
    throw new DecodeError(
      'additionalSenseLength',
      `needs 8 bytes of sense data but only ${b.length} present`,
      7,
    );
  }
  const additionalLength = b[7] ?? 0;
  const requiredLength = 8 + additionalLength;
  const availableLength = b.length;
  const truncated = availableLength < requiredLength;
  const s = b.slice(0, Math.min(requiredLength, availableLength));
  const deferred = responseCode === 0x71 || responseCode === 0x73;
  const common = {
    responseCode,
    current: !deferred,
    deferred,
    additionalLength,
    truncated,
    requiredLength,
    availableLength,
    raw: s,
  };
  return responseCode <= 0x71 ? decodeFixed(s, common) : decodeDescriptorFormat(s, common, depth);
}

type Common = Pick<
  StandardSense,
  | 'responseCode'
  | 'current'
  | 'deferred'
  | 'additionalLength'
  | 'truncated'
  | 'requiredLength'
  | 'availableLength'
  | 'raw'
>;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function withKey(senseKey: number, asc: number, ascq: number) {
  return {
    senseKey,
    senseKeyName: senseKeyName(senseKey),
    asc,
    ascq,
    description: ascAscqDescription(asc, ascq),
  };
}

function decodeFixed(s: Uint8Array, common: Common): StandardSense {
  const b0 = s[0] ?? 0;
  const b2 = s[2] ?? 0;
  const valid = (b0 & 0x80) !== 0;
  const senseKey = b2 & 0x0f;
  const out: Mutable<StandardSense> = {
    format: 'fixed',
    ...common,
    valid,
    ...withKey(senseKey, s[12] ?? 0, s[13] ?? 0),
    filemark: (b2 & 0x80) !== 0,
    eom: (b2 & 0x40) !== 0,
    ili: (b2 & 0x20) !== 0,
    sdatOvfl: (b2 & 0x10) !== 0,
    descriptors: [],
  };
  // INFORMATION is vendor specific when VALID is 0; it stays in `raw`.
  if (valid && s.length >= 7) out.information = BigInt(u32(s, 3));
  if (s.length >= 12) out.commandSpecificInformation = BigInt(u32(s, 8));
  const fru = s[14];
  if (fru !== undefined && fru !== 0) out.fru = fru;
  if (s.length >= 18 && ((s[15] ?? 0) & 0x80) !== 0)
    out.senseKeySpecific = decodeSks(s.subarray(15, 18), senseKey);
  if (s.length > 18) out.additionalSenseBytes = s.slice(18);
  return out;
}

function decodeDescriptorFormat(s: Uint8Array, common: Common, depth: number): StandardSense {
  const senseKey = (s[1] ?? 0) & 0x0f;
  const descriptors = decodeDescriptors(s.subarray(8), senseKey, depth);
  const out: Mutable<StandardSense> = {
    format: 'descriptor',
    ...common,
    valid: false,
    ...withKey(senseKey, s[2] ?? 0, s[3] ?? 0),
    filemark: false,
    eom: false,
    ili: false,
    sdatOvfl: ((s[4] ?? 0) & 0x80) !== 0,
    descriptors,
  };
  // The first descriptor of each kind wins; SPC allows at most one of each.
  for (const d of descriptors) {
    switch (d.kind) {
      case 'information':
        if (d.valid && !out.valid) {
          out.valid = true;
          out.information = d.information;
        }
        break;
      case 'commandSpecificInformation':
        out.commandSpecificInformation ??= d.commandSpecificInformation;
        break;
      case 'senseKeySpecific':
        if (d.senseKeySpecific) out.senseKeySpecific ??= d.senseKeySpecific;
        break;
      case 'fru':
        if (d.fieldReplaceableUnitCode !== 0) out.fru ??= d.fieldReplaceableUnitCode;
        break;
      case 'streamCommands':
        out.filemark ||= d.filemark;
        out.eom ||= d.eom;
        out.ili ||= d.ili;
        break;
      case 'blockCommands':
        out.ili ||= d.ili;
        break;
      case 'directAccessBlockDevice':
        if (d.valid && !out.valid) {
          out.valid = true;
          out.information = d.information;
        }
        out.commandSpecificInformation ??= d.commandSpecificInformation;
        if (d.senseKeySpecific) out.senseKeySpecific ??= d.senseKeySpecific;
        if (d.fieldReplaceableUnitCode !== 0) out.fru ??= d.fieldReplaceableUnitCode;
        out.ili ||= d.ili;
        break;
      default:
        break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** Progress of a long operation reported in sense data, as a fraction of 65 536 and a percentage. */
export interface SenseProgress {
  readonly progress: number;
  readonly percent: number;
}

/**
 * The progress a sense reports: the sense key specific progress indication (NO SENSE / NOT READY,
 * e.g. 04h/04h "format in progress"), else an "another progress indication" descriptor.
 */
export function senseProgress(sense: SenseData): SenseProgress | undefined {
  if (sense.format === 'vendor') return undefined;
  const sks = sense.senseKeySpecific;
  if (sks?.kind === 'progressIndication') return { progress: sks.progress, percent: sks.percent };
  for (const d of sense.descriptors) {
    if (d.kind === 'anotherProgressIndication') return { progress: d.progress, percent: d.percent };
  }
  return undefined;
}

/** Whether the sense reports the progress of a long operation (see senseProgress). */
export function isProgressSense(sense: SenseData): boolean {
  return senseProgress(sense) !== undefined;
}

function h2(v: number): string {
  return `${v.toString(16).toUpperCase().padStart(2, '0')}h`;
}

/**
 * One line for logs and error messages, e.g.
 * "ILLEGAL REQUEST: Logical block address out of range (asc 21h ascq 00h)". Deferred errors get a
 * " [deferred]" suffix, progress a ", 50.00% done" one.
 */
export function senseSummary(sense: SenseData): string {
  if (sense.format === 'vendor') return `Vendor specific sense data (${sense.raw.length} bytes)`;
  let line = `${sense.senseKeyName}: ${sense.description} (asc ${h2(sense.asc)} ascq ${h2(sense.ascq)})`;
  const progress = senseProgress(sense);
  if (progress) line += `, ${progress.percent.toFixed(2)}% done`;
  if (sense.deferred) line += ' [deferred]';
  return line;
}

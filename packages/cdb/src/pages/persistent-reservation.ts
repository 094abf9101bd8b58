/**
 * PERSISTENT RESERVE IN parameter data (SPC-6): READ KEYS, READ RESERVATION, REPORT
 * CAPABILITIES, READ FULL STATUS, and TransportIDs (SPC-6 "TransportID identifiers") as sg_persist decodes them.
 */
import { ByteReader, type ByteSource, hex } from '../bytes.js';
import { DecodeError } from '../errors.js';
import { protocolIdentifierShortName } from '../protocol-identifiers.js';

/** Persistent reservation TYPE names (SPC-6 "Persistent reservations type codes"). */
export const PR_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'Write Exclusive',
  3: 'Exclusive Access',
  5: 'Write Exclusive - Registrants Only',
  6: 'Exclusive Access - Registrants Only',
  7: 'Write Exclusive - All Registrants',
  8: 'Exclusive Access - All Registrants',
};

/** Persistent reservation SCOPE names (SPC-6 "Persistent reservations scope codes"); only LU_SCOPE is defined today. */
export const PR_SCOPE_NAMES: Readonly<Record<number, string>> = { 0: 'LU_SCOPE' };

function typeName(type: number): string {
  return PR_TYPE_NAMES[type] ?? 'reserved';
}

function scopeName(scope: number): string {
  return PR_SCOPE_NAMES[scope] ?? 'reserved';
}

interface Completeness {
  /** ADDITIONAL LENGTH says more than was returned; re-issue with `requiredLength`. */
  readonly truncated: boolean;
  readonly requiredLength: number;
  readonly availableLength: number;
}

/** READ KEYS parameter data. */
export interface PrReadKeys extends Completeness {
  /** PRGENERATION: bumped by every successful PR OUT that changes registrations. */
  readonly prGeneration: number;
  readonly additionalLength: number;
  /** Registered RESERVATION KEYs present in the returned bytes. */
  readonly keys: readonly bigint[];
}

function header(
  r: ByteReader,
  unit: number,
): { prGeneration: number; additionalLength: number; end: number } {
  const prGeneration = r.u32(0, 'prGeneration');
  const additionalLength = r.u32(4, 'additionalLength');
  if (additionalLength % unit !== 0) {
    throw new DecodeError('additionalLength', `must be a multiple of ${unit}, got ${additionalLength}`, 4);
  }
  return { prGeneration, additionalLength, end: Math.min(r.length, 8 + additionalLength) };
}

/** Decodes READ KEYS data; ADDITIONAL LENGTH must be a multiple of 8. */
export function decodePrReadKeys(source: ByteSource): PrReadKeys {
  const r = new ByteReader(source);
  const { prGeneration, additionalLength, end } = header(r, 8);
  const keys: bigint[] = [];
  for (let off = 8; off + 8 <= end; off += 8) keys.push(r.u64(off, 'reservationKey'));
  return {
    prGeneration,
    additionalLength,
    keys,
    truncated: r.length < 8 + additionalLength,
    requiredLength: 8 + additionalLength,
    availableLength: end,
  };
}

export interface PrReservation {
  readonly reservationKey: bigint;
  readonly scope: number;
  readonly scopeName: string;
  readonly type: number;
  /** e.g. 'Write Exclusive - Registrants Only'. */
  readonly typeName: string;
}

/** READ RESERVATION parameter data. */
export interface PrReadReservation extends Completeness {
  readonly prGeneration: number;
  /** 0 (no reservation) or 10h. */
  readonly additionalLength: number;
  /** The persistent reservation, absent when none is held (or its bytes were not returned). */
  readonly reservation?: PrReservation;
}

/** Decodes READ RESERVATION data. ADDITIONAL LENGTH must be 0 or at least 10h. */
export function decodePrReadReservation(source: ByteSource): PrReadReservation {
  const r = new ByteReader(source);
  const { prGeneration, additionalLength, end } = header(r, 1);
  if (additionalLength !== 0 && additionalLength < 0x10) {
    throw new DecodeError('additionalLength', `must be 0 or 16, got ${additionalLength}`, 4);
  }
  const base = {
    prGeneration,
    additionalLength,
    truncated: r.length < 8 + additionalLength,
    requiredLength: 8 + additionalLength,
    availableLength: end,
  };
  if (additionalLength === 0 || end < 22) return base;
  const scope = r.bits(21, 4, 4, 'scope');
  const type = r.bits(21, 0, 4, 'type');
  return {
    ...base,
    reservation: {
      reservationKey: r.u64(8, 'reservationKey'),
      scope,
      scopeName: scopeName(scope),
      type,
      typeName: typeName(type),
    },
  };
}

/** REPORT CAPABILITIES parameter data (8 bytes). */
export interface PrReportCapabilities extends Completeness {
  /** LENGTH field: 8. */
  readonly length: number;
  /** RLR_C: REPLACE LOST RESERVATION supported. */
  readonly rlrC: boolean;
  /** CRH: compatible reservation handling (SPC-2 RESERVE/RELEASE exceptions). */
  readonly crh: boolean;
  /** SIP_C: SPEC_I_PT supported. */
  readonly sipC: boolean;
  /** ATP_C: ALL_TG_PT supported. */
  readonly atpC: boolean;
  /** PTPL_C: persist through power loss supported. */
  readonly ptplC: boolean;
  /** TMV: the type mask is valid. */
  readonly tmv: boolean;
  /** ALLOW COMMANDS (0-7): which commands pass a Write Exclusive reservation (SPC-6 "ALLOW COMMANDS field"). */
  readonly allowCommands: number;
  /** PTPL_A: persist through power loss is active. */
  readonly ptplA: boolean;
  /** PERSISTENT RESERVATION TYPE MASK as sent (bytes 4-5). */
  readonly typeMaskBits: number;
  /** The reservation TYPE codes the mask marks supported (empty when TMV is clear), ascending. */
  readonly typeMask: readonly number[];
}

/** Type mask bit → TYPE (byte 4 bit 7 = WR_EX_AR … byte 5 bit 0 = EX_AC_AR). */
const TYPE_MASK_BITS: ReadonlyArray<readonly [number, number]> = [
  [0x0001, 0x8],
  [0x0200, 0x1],
  [0x0800, 0x3],
  [0x2000, 0x5],
  [0x4000, 0x6],
  [0x8000, 0x7],
];

/** Decodes REPORT CAPABILITIES data; needs bytes 0-5 (through the type mask). */
export function decodePrReportCapabilities(source: ByteSource): PrReportCapabilities {
  const r = new ByteReader(source);
  const length = r.u16(0, 'length');
  if (length < 6) throw new DecodeError('length', `must be at least 6 (8 expected), got ${length}`, 0);
  const b2 = r.u8(2, 'flags');
  const b3 = r.u8(3, 'flags');
  const typeMaskBits = r.u16(4, 'typeMask');
  const tmv = (b3 & 0x80) !== 0;
  const typeMask = tmv
    ? TYPE_MASK_BITS.filter(([bit]) => (typeMaskBits & bit) !== 0)
        .map(([, t]) => t)
        .sort((a, b) => a - b)
    : [];
  return {
    length,
    rlrC: (b2 & 0x80) !== 0,
    crh: (b2 & 0x10) !== 0,
    sipC: (b2 & 0x08) !== 0,
    atpC: (b2 & 0x04) !== 0,
    ptplC: (b2 & 0x01) !== 0,
    tmv,
    allowCommands: (b3 >> 4) & 7,
    ptplA: (b3 & 0x01) !== 0,
    typeMaskBits,
    typeMask,
    truncated: r.length < length,
    requiredLength: length,
    availableLength: Math.min(r.length, length),
  };
}

interface TransportIdBase {
  /** PROTOCOL IDENTIFIER (bits 3-0 of byte 0). */
  readonly protocolIdentifier: number;
  readonly protocolName: string;
  /** FORMAT CODE (bits 7-6 of byte 0). */
  readonly formatCode: number;
  /** The TransportID bytes (copy), kept for protocols and formats not decoded further. */
  readonly bytes: Uint8Array;
}

/** A TransportID (SPC-6 "TransportID identifiers"), decoded for FC, 1394, SRP, iSCSI, SAS and SOP; raw otherwise. */
export type TransportId =
  | (TransportIdBase & {
      readonly protocol: 'fc' /** N_PORT_NAME, 16 hex digits. */;
      readonly nPortName: string;
    })
  | (TransportIdBase & {
      readonly protocol: 'sbp' /** EUI-64 NAME, 16 hex digits. */;
      readonly eui64Name: string;
    })
  | (TransportIdBase & {
      readonly protocol: 'srp';
      /** INITIATOR PORT IDENTIFIER, 32 hex digits. */
      readonly initiatorPortIdentifier: string;
    })
  | (TransportIdBase & {
      readonly protocol: 'iscsi';
      /** ISCSI NAME (format 00b), or the name before ",i,0x" (format 01b). */
      readonly iscsiName: string;
      /** Format 01b: the initiator session ID in hex, as written after ",i,0x". */
      readonly isid?: string;
    })
  | (TransportIdBase & {
      readonly protocol: 'sas' /** SAS ADDRESS, 16 hex digits. */;
      readonly sasAddress: string;
    })
  | (TransportIdBase & {
      readonly protocol: 'sop';
      /** ROUTING ID: a PCIe routing ID; bus/device/function assume the non-ARI layout. */
      readonly routingId: number;
      readonly bus: number;
      readonly device: number;
      readonly function: number;
    })
  | (TransportIdBase & { readonly protocol: 'other' });

/** How many bytes the TransportID at `off` occupies: 4 + ADDITIONAL LENGTH for iSCSI, else 24. */
export function transportIdLength(source: ByteSource, off = 0): number {
  const r = new ByteReader(source);
  const b0 = r.u8(off, 'transportId.protocolIdentifier');
  if ((b0 & 0x0f) === 0x5) return 4 + r.u16(off + 2, 'transportId.additionalLength');
  return 24;
}

const utf8 = new TextDecoder('utf-8');

/** Decodes one TransportID; the bytes given are the whole TransportID. */
export function decodeTransportId(source: ByteSource): TransportId {
  const r = new ByteReader(source);
  const b0 = r.u8(0, 'transportId.protocolIdentifier');
  const protocolIdentifier = b0 & 0x0f;
  const formatCode = b0 >> 6;
  const base: TransportIdBase = {
    protocolIdentifier,
    protocolName: protocolIdentifierShortName(protocolIdentifier),
    formatCode,
    bytes: r.bytes.slice(),
  };
  if (formatCode === 0) {
    switch (protocolIdentifier) {
      case 0x0:
        return { ...base, protocol: 'fc', nPortName: hex(r.slice(8, 8, 'transportId.nPortName')) };
      case 0x3:
        return { ...base, protocol: 'sbp', eui64Name: hex(r.slice(8, 8, 'transportId.eui64Name')) };
      case 0x4:
        return {
          ...base,
          protocol: 'srp',
          initiatorPortIdentifier: hex(r.slice(8, 16, 'transportId.initiatorPortIdentifier')),
        };
      case 0x6:
        return { ...base, protocol: 'sas', sasAddress: hex(r.slice(4, 8, 'transportId.sasAddress')) };
      case 0xa: {
        const routingId = r.u16(2, 'transportId.routingId');
        return {
          ...base,
          protocol: 'sop',
          routingId,
          bus: routingId >> 8,
          device: (routingId >> 3) & 0x1f,
          function: routingId & 7,
        };
      }
      default:
        break;
    }
  }
  if (protocolIdentifier === 0x5 && formatCode <= 1) {
    const additionalLength = r.u16(2, 'transportId.additionalLength');
    const raw = r.slice(4, Math.min(additionalLength, r.length - 4), 'transportId.iscsiName');
    const nul = raw.indexOf(0);
    const text = utf8.decode(nul < 0 ? raw : raw.subarray(0, nul));
    if (formatCode === 1) {
      const sep = text.toLowerCase().indexOf(',i,0x');
      if (sep >= 0)
        return { ...base, protocol: 'iscsi', iscsiName: text.slice(0, sep), isid: text.slice(sep + 5) };
    }
    return { ...base, protocol: 'iscsi', iscsiName: text };
  }
  return { ...base, protocol: 'other' };
}

/** One full status descriptor of READ FULL STATUS. */
export interface PrFullStatusDescriptor {
  readonly reservationKey: bigint;
  /** ALL_TG_PT: the registration applies to all target ports. */
  readonly allTgPt: boolean;
  /** R_HOLDER: this I_T nexus holds the reservation (scope and type are valid). */
  readonly rHolder: boolean;
  readonly scope: number;
  readonly scopeName: string;
  readonly type: number;
  readonly typeName: string;
  /** RELATIVE TARGET PORT IDENTIFIER (not meaningful when allTgPt is set). */
  readonly relativeTargetPortIdentifier: number;
  readonly additionalDescriptorLength: number;
  /** The initiator's TransportID, decoded. */
  readonly transportId: TransportId;
}

/** READ FULL STATUS parameter data. */
export interface PrReadFullStatus extends Completeness {
  readonly prGeneration: number;
  readonly additionalLength: number;
  /** Descriptors wholly present in the returned bytes. */
  readonly descriptors: readonly PrFullStatusDescriptor[];
}

/** Decodes READ FULL STATUS data; a descriptor cut by the allocation length ends the list (`truncated`). */
export function decodePrReadFullStatus(source: ByteSource): PrReadFullStatus {
  const r = new ByteReader(source);
  const { prGeneration, additionalLength, end } = header(r, 1);
  const required = 8 + additionalLength;
  const descriptors: PrFullStatusDescriptor[] = [];
  let off = 8;
  let partial = false;
  while (off < end) {
    if (off + 24 > end) {
      partial = true;
      break;
    }
    const dlen = r.u32(off + 20, 'additionalDescriptorLength');
    if (off + 24 + dlen > end) {
      partial = true;
      break;
    }
    const scope = r.bits(off + 13, 4, 4, 'scope');
    const type = r.bits(off + 13, 0, 4, 'type');
    descriptors.push({
      reservationKey: r.u64(off, 'reservationKey'),
      allTgPt: r.bit(off + 12, 1, 'allTgPt'),
      rHolder: r.bit(off + 12, 0, 'rHolder'),
      scope,
      scopeName: scopeName(scope),
      type,
      typeName: typeName(type),
      relativeTargetPortIdentifier: r.u16(off + 18, 'relativeTargetPortIdentifier'),
      additionalDescriptorLength: dlen,
      transportId: decodeTransportId(r.bytes.subarray(off + 24, off + 24 + dlen)),
    });
    off += 24 + dlen;
  }
  if (partial && r.length >= required) {
    throw new DecodeError('additionalLength', `${additionalLength} cuts a full status descriptor`, off);
  }
  return {
    prGeneration,
    additionalLength,
    descriptors,
    truncated: r.length < required,
    requiredLength: required,
    availableLength: end,
  };
}

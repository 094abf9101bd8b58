import { asciiTrim, ByteReader, type ByteSource, hex, toBytes } from '../bytes.js';
import { DecodeError } from '../errors.js';
import { protocolIdentifierName } from '../protocol-identifiers.js';

/**
 * Designation descriptors (SPC-6 7.7.6.1, Table 590): the identifiers of the Device Identification VPD
 * page (83h), also carried by the SCSI Ports VPD page (88h), the Logical Block Provisioning VPD page (B2h)
 * and others. Each descriptor is a 4-byte header plus DESIGNATOR LENGTH bytes of designator.
 */

/** ASSOCIATION field (SPC-6 Table 592). */
export const DESIGNATOR_ASSOCIATION_NAMES: readonly string[] = [
  'logical unit',
  'target port',
  'target device',
  'reserved',
];

/** DESIGNATOR TYPE field (SPC-6 Table 593). */
export const DESIGNATOR_TYPE_NAMES: readonly string[] = [
  'vendor specific',
  'T10 vendor ID based',
  'EUI-64 based',
  'NAA',
  'relative target port',
  'target port group',
  'logical unit group',
  'MD5 logical unit identifier',
  'SCSI name string',
  'protocol specific port identifier',
  'UUID',
];

export type CodeSetName = 'binary' | 'ASCII' | 'UTF-8' | 'reserved';

export function designatorAssociationName(code: number): string {
  return DESIGNATOR_ASSOCIATION_NAMES[code & 0x3] ?? 'reserved';
}

export function designatorTypeName(code: number): string {
  return DESIGNATOR_TYPE_NAMES[code] ?? 'reserved';
}

/** CODE SET field (SPC-6 Table 591): 1 binary, 2 ASCII, 3 UTF-8; everything else reserved. */
export function codeSetName(code: number): CodeSetName {
  return code === 1 ? 'binary' : code === 2 ? 'ASCII' : code === 3 ? 'UTF-8' : 'reserved';
}

/** The designator decoded according to its DESIGNATOR TYPE. */
export type DesignatorValue =
  | { readonly kind: 'vendorSpecific'; readonly text?: string }
  | {
      readonly kind: 't10VendorId';
      readonly t10VendorIdentification: string;
      readonly vendorSpecificIdentifier: string;
    }
  | EuiDesignatorValue
  | NaaDesignatorValue
  | { readonly kind: 'relativeTargetPort'; readonly relativeTargetPortIdentifier: number }
  | { readonly kind: 'targetPortGroup'; readonly targetPortGroup: number }
  | { readonly kind: 'logicalUnitGroup'; readonly logicalUnitGroup: number }
  | { readonly kind: 'md5'; readonly md5LogicalUnitIdentifier: string }
  | { readonly kind: 'scsiNameString'; readonly scsiNameString: string }
  | ProtocolSpecificPortValue
  | { readonly kind: 'uuid'; readonly uuidType: number; readonly uuid: string }
  /** Reserved designator type, or a designator whose length does not fit its type's layout. */
  | { readonly kind: 'unrecognized'; readonly reason: string };

/**
 * EUI-64 based designators (SPC-6 7.7.6.5): 8 bytes (EUI-64), 12 bytes (EUI-64 + DIRECTORY ID) or
 * 16 bytes (IDENTIFIER EXTENSION + EUI-64).
 */
export interface EuiDesignatorValue {
  readonly kind: 'eui64';
  readonly format: 'EUI-64' | 'EUI-64 + directory ID' | 'identifier extension + EUI-64';
  readonly ieeeCompanyId: number;
  /** 40-bit VENDOR SPECIFIC EXTENSION IDENTIFIER. */
  readonly vendorSpecificExtensionIdentifier: bigint;
  readonly directoryId?: number;
  readonly identifierExtension?: bigint;
}

/**
 * NAA designators (SPC-6 7.7.6.6). NAA 2 (IEEE extended), 3 (locally assigned), 5 (IEEE registered)
 * and 6 (IEEE registered extended) are decoded; the 4-bit NAA field is always reported.
 */
export interface NaaDesignatorValue {
  readonly kind: 'naa';
  readonly naa: number;
  readonly ieeeCompanyId?: number;
  /** NAA 2: 12-bit VENDOR SPECIFIC IDENTIFIER A. */
  readonly vendorSpecificIdentifierA?: number;
  /** NAA 2: 24-bit VENDOR SPECIFIC IDENTIFIER B. */
  readonly vendorSpecificIdentifierB?: number;
  /** NAA 5 and 6: 36-bit VENDOR SPECIFIC IDENTIFIER. */
  readonly vendorSpecificIdentifier?: bigint;
  /** NAA 6: 64-bit VENDOR SPECIFIC IDENTIFIER EXTENSION. */
  readonly vendorSpecificIdentifierExtension?: bigint;
  /** NAA 3: 60-bit LOCALLY ADMINISTERED VALUE. */
  readonly locallyAdministeredValue?: bigint;
}

/** Protocol specific port identifier (SPC-6 7.7.6.10); layout depends on the protocol (UAS, SOP). */
export interface ProtocolSpecificPortValue {
  readonly kind: 'protocolSpecificPort';
  /** UAS (protocol 9): USB device address and interface number. */
  readonly usb?: { readonly deviceAddress: number; readonly interfaceNumber: number };
  /** SOP (protocol Ah): PCI Express routing ID. */
  readonly pcie?: { readonly routingId: number };
}

export interface DesignationDescriptor {
  /** Only reported when PIV is set and the association is target port or target device (SPC-6 7.7.6.1). */
  readonly protocolIdentifier?: number;
  readonly protocolIdentifierName?: string;
  readonly codeSet: number;
  readonly codeSetName: CodeSetName;
  readonly piv: boolean;
  readonly association: number;
  readonly associationName: string;
  readonly designatorType: number;
  readonly designatorTypeName: string;
  readonly designatorLength: number;
  /** The designator bytes as returned (copy). */
  readonly designator: Uint8Array;
  readonly decoded: DesignatorValue;
  /**
   * Printable identifier in the form Linux (sysfs `wwid`) and sg3_utils use: `naa.5000c500a1b2c3d4`,
   * `eui.0011223344556677`, `t10.<vendor><id>`, `uuid.…`, a SCSI name string as is; numeric
   * designators as `0x…` hex.
   */
  readonly canonical: string;
  /** `0x` followed by the designator bytes in hex. */
  readonly hex: string;
}

export interface DesignationDescriptorList {
  readonly descriptors: readonly DesignationDescriptor[];
  /** The list was cut short (by the allocation length); `descriptors` holds only complete ones. */
  readonly truncated: boolean;
}

const HEADER = 4;

/**
 * Decodes one designation descriptor (header + designator). Bytes past the descriptor are ignored.
 * @param field Name used in DecodeError messages (e.g. `designationDescriptor[2]`).
 */
export function decodeDesignationDescriptor(
  bytes: ByteSource,
  field = 'designationDescriptor',
): DesignationDescriptor {
  const r = new ByteReader(bytes);
  const b0 = r.u8(0, `${field}.codeSet`);
  const b1 = r.u8(1, `${field}.designatorType`);
  const length = r.u8(3, `${field}.designatorLength`);
  const designator = r.slice(HEADER, length, `${field}.designator`);
  const codeSet = b0 & 0x0f;
  const piv = (b1 & 0x80) !== 0;
  const association = (b1 >> 4) & 0x3;
  const designatorType = b1 & 0x0f;
  const protocolIdentifier = piv && (association === 1 || association === 2) ? b0 >> 4 : undefined;
  const decoded = decodeDesignatorValue(designatorType, codeSet, designator, protocolIdentifier);
  return {
    ...(protocolIdentifier === undefined
      ? {}
      : { protocolIdentifier, protocolIdentifierName: protocolIdentifierName(protocolIdentifier) }),
    codeSet,
    codeSetName: codeSetName(codeSet),
    piv,
    association,
    associationName: designatorAssociationName(association),
    designatorType,
    designatorTypeName: designatorTypeName(designatorType),
    designatorLength: length,
    designator,
    decoded,
    canonical: canonicalDesignator(decoded, designator, codeSet),
    hex: `0x${hex(designator)}`,
  };
}

/**
 * Walks a list of designation descriptors filling `bytes`.
 * @param truncatedInput the caller knows the list was cut short (allocation length); a descriptor that
 *   runs past the end is then dropped and `truncated` set. Otherwise such a descriptor is a DecodeError.
 */
export function decodeDesignationDescriptors(
  bytes: ByteSource,
  truncatedInput = false,
  field = 'designationDescriptor',
): DesignationDescriptorList {
  const data = toBytes(bytes);
  const descriptors: DesignationDescriptor[] = [];
  let offset = 0;
  while (offset < data.length) {
    const name = `${field}[${descriptors.length}]`;
    if (offset + HEADER > data.length || offset + HEADER + (data[offset + 3] as number) > data.length) {
      if (truncatedInput) return { descriptors, truncated: true };
      throw new DecodeError(
        `${name}.designatorLength`,
        `descriptor runs past the end of the list (${data.length - offset} byte(s) left)`,
        offset,
      );
    }
    const size = HEADER + (data[offset + 3] as number);
    descriptors.push(decodeDesignationDescriptor(data.subarray(offset, offset + size), name));
    offset += size;
  }
  return { descriptors, truncated: false };
}

function u16(b: Uint8Array, o: number): number {
  return ((b[o] as number) << 8) | (b[o + 1] as number);
}

function u24(b: Uint8Array, o: number): number {
  return ((b[o] as number) << 16) | ((b[o + 1] as number) << 8) | (b[o + 2] as number);
}

function big(b: Uint8Array, o: number, n: number): bigint {
  let v = 0n;
  for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(b[o + i] as number);
  return v;
}

/** Text up to the first NUL (SCSI name strings are NUL-terminated and NUL-padded to a multiple of 4). */
function utf8z(b: Uint8Array): string {
  const end = b.indexOf(0);
  return new TextDecoder('utf-8').decode(end < 0 ? b : b.subarray(0, end));
}

function unrecognized(reason: string): DesignatorValue {
  return { kind: 'unrecognized', reason };
}

function decodeDesignatorValue(
  type: number,
  codeSet: number,
  d: Uint8Array,
  protocol: number | undefined,
): DesignatorValue {
  switch (type) {
    case 0x0:
      return codeSet === 2 || codeSet === 3
        ? { kind: 'vendorSpecific', text: asciiTrim(d) }
        : { kind: 'vendorSpecific' };
    case 0x1:
      if (d.length < 8) return unrecognized(`T10 vendor ID designator needs 8+ bytes, has ${d.length}`);
      return {
        kind: 't10VendorId',
        t10VendorIdentification: asciiTrim(d.subarray(0, 8)),
        vendorSpecificIdentifier: asciiTrim(d.subarray(8)),
      };
    case 0x2:
      return decodeEui(d);
    case 0x3:
      return decodeNaa(d);
    case 0x4:
    case 0x5:
    case 0x6: {
      if (d.length < 4) return unrecognized(`designator needs 4 bytes, has ${d.length}`);
      const v = u16(d, 2);
      if (type === 0x4) return { kind: 'relativeTargetPort', relativeTargetPortIdentifier: v };
      if (type === 0x5) return { kind: 'targetPortGroup', targetPortGroup: v };
      return { kind: 'logicalUnitGroup', logicalUnitGroup: v };
    }
    case 0x7:
      if (d.length !== 16) return unrecognized(`MD5 designator needs 16 bytes, has ${d.length}`);
      return { kind: 'md5', md5LogicalUnitIdentifier: hex(d) };
    case 0x8:
      return { kind: 'scsiNameString', scsiNameString: utf8z(d) };
    case 0x9:
      if (protocol === 0x9 && d.length >= 4) {
        return {
          kind: 'protocolSpecificPort',
          usb: { deviceAddress: (d[0] as number) & 0x7f, interfaceNumber: d[2] as number },
        };
      }
      if (protocol === 0xa && d.length >= 4)
        return { kind: 'protocolSpecificPort', pcie: { routingId: u16(d, 0) } };
      return { kind: 'protocolSpecificPort' };
    case 0xa: {
      if (d.length !== 18) return unrecognized(`UUID designator needs 18 bytes, has ${d.length}`);
      const h = hex(d.subarray(2));
      return {
        kind: 'uuid',
        uuidType: (d[0] as number) >> 4,
        uuid: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`,
      };
    }
    default:
      return unrecognized(`reserved designator type 0x${type.toString(16)}`);
  }
}

function decodeEui(d: Uint8Array): DesignatorValue {
  if (d.length === 8) {
    return {
      kind: 'eui64',
      format: 'EUI-64',
      ieeeCompanyId: u24(d, 0),
      vendorSpecificExtensionIdentifier: big(d, 3, 5),
    };
  }
  if (d.length === 12) {
    return {
      kind: 'eui64',
      format: 'EUI-64 + directory ID',
      ieeeCompanyId: u24(d, 0),
      vendorSpecificExtensionIdentifier: big(d, 3, 5),
      directoryId: Number(big(d, 8, 4)),
    };
  }
  if (d.length === 16) {
    return {
      kind: 'eui64',
      format: 'identifier extension + EUI-64',
      identifierExtension: big(d, 0, 8),
      ieeeCompanyId: u24(d, 8),
      vendorSpecificExtensionIdentifier: big(d, 11, 5),
    };
  }
  return unrecognized(`EUI-64 based designator must be 8, 12 or 16 bytes, has ${d.length}`);
}

function decodeNaa(d: Uint8Array): DesignatorValue {
  if (d.length < 1) return unrecognized('empty NAA designator');
  const naa = (d[0] as number) >> 4;
  const need = naa === 6 ? 16 : 8;
  if ((naa === 2 || naa === 3 || naa === 5 || naa === 6) && d.length !== need) {
    return unrecognized(`NAA ${naa} designator must be ${need} bytes, has ${d.length}`);
  }
  switch (naa) {
    case 2:
      return {
        kind: 'naa',
        naa,
        vendorSpecificIdentifierA: u16(d, 0) & 0x0fff,
        ieeeCompanyId: u24(d, 2),
        vendorSpecificIdentifierB: u24(d, 5),
      };
    case 3:
      return { kind: 'naa', naa, locallyAdministeredValue: big(d, 0, 8) & 0x0fffffffffffffffn };
    case 5:
    case 6: {
      const head = big(d, 0, 8);
      return {
        kind: 'naa',
        naa,
        ieeeCompanyId: Number((head >> 36n) & 0xffffffn),
        vendorSpecificIdentifier: head & 0xfffffffffn,
        ...(naa === 6 ? { vendorSpecificIdentifierExtension: big(d, 8, 8) } : {}),
      };
    }
    default:
      return { kind: 'naa', naa };
  }
}

function canonicalDesignator(v: DesignatorValue, d: Uint8Array, codeSet: number): string {
  switch (v.kind) {
    case 'naa':
      return `naa.${hex(d)}`;
    case 'eui64':
      return `eui.${hex(d)}`;
    case 't10VendorId':
      return `t10.${asciiTrim(d)}`;
    case 'scsiNameString':
      return v.scsiNameString;
    case 'uuid':
      return `uuid.${v.uuid}`;
    case 'relativeTargetPort':
      return `0x${v.relativeTargetPortIdentifier.toString(16).padStart(4, '0')}`;
    case 'targetPortGroup':
      return `0x${v.targetPortGroup.toString(16).padStart(4, '0')}`;
    case 'logicalUnitGroup':
      return `0x${v.logicalUnitGroup.toString(16).padStart(4, '0')}`;
    default:
      return (codeSet === 2 || codeSet === 3) && v.kind === 'vendorSpecific' ? asciiTrim(d) : `0x${hex(d)}`;
  }
}

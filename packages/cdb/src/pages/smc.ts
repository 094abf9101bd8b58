/**
 * Media changer answers (SMC-3): READ ELEMENT STATUS data (6.11: the element status data header,
 * one element status page per element type, its element descriptors with the volume tags and the
 * device identifier), and the changer's mode pages: Element Address Assignment (1Dh), Transport
 * Geometry Parameters (1Eh) and Device Capabilities (1Fh).
 */
import { asciiTrim, ByteReader, type ByteSource } from '../bytes.js';
import { DecodeError } from '../errors.js';
import type { Truncation } from '../types.js';

/** SMC-3 element type names, by ELEMENT TYPE CODE. */
export const ELEMENT_TYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'medium transport',
  2: 'storage',
  3: 'import/export',
  4: 'data transfer',
};

/** "medium transport", …, or "reserved [N]". */
export function elementTypeName(code: number): string {
  return ELEMENT_TYPE_NAMES[code] ?? `reserved [${code}]`;
}

/** A volume tag (SMC-3 Table 28): 32 bytes of VOLUME IDENTIFIER, 2 reserved, VOLUME SEQUENCE NUMBER. */
export interface VolumeTag {
  /** VOLUME IDENTIFIER as ASCII, trailing spaces and NULs trimmed (the barcode). */
  readonly volumeIdentifier: string;
  readonly volumeSequenceNumber: number;
}

/** The device identifier a data transfer element reports with DVCID (SMC-3 Table 26). */
export interface ElementDeviceIdentifier {
  readonly codeSet: number;
  readonly identifierType: number;
  /** IDENTIFIER bytes (copy). */
  readonly identifier: Uint8Array;
  /** `identifier` as ASCII (code set 2 or 3), trailing spaces trimmed. */
  readonly text: string;
}

/** One element descriptor (SMC-3 Tables 21-25); fields that a type lacks are absent. */
export interface ElementDescriptor {
  readonly elementAddress: number;
  readonly elementType: number;
  readonly elementTypeName: string;
  /** FULL: the element holds a unit of media. */
  readonly full: boolean;
  /** EXCEPT: the element is in an abnormal state; ASC/ASCQ say why. */
  readonly except: boolean;
  /** ACCESS: a medium transport can reach it (absent for a medium transport element). */
  readonly access?: boolean;
  /** IMPEXP (import/export): the medium was put in by an operator (true) or by the changer (false). */
  readonly impExp?: boolean;
  /** EXENAB (import/export): the element can take media out of the changer. */
  readonly exEnab?: boolean;
  /** INENAB (import/export): the element can take media into the changer. */
  readonly inEnab?: boolean;
  readonly additionalSenseCode: number;
  readonly additionalSenseCodeQualifier: number;
  /** Data transfer: NOT BUS, ID VALID, LU VALID, LOGICAL UNIT NUMBER, SCSI BUS ADDRESS (byte 6-7). */
  readonly notBus?: boolean;
  readonly idValid?: boolean;
  readonly luValid?: boolean;
  readonly lun?: number;
  readonly scsiBusAddress?: number;
  /** SVALID: `sourceStorageElementAddress` and `invert` are valid. */
  readonly sValid: boolean;
  /** INVERT: the medium was turned over since it left its source. */
  readonly invert: boolean;
  /** SOURCE STORAGE ELEMENT ADDRESS: where the medium was last moved from. */
  readonly sourceStorageElementAddress: number;
  readonly primaryVolumeTag?: VolumeTag;
  readonly alternateVolumeTag?: VolumeTag;
  readonly deviceIdentifier?: ElementDeviceIdentifier;
}

/** One element status page (SMC-3 Table 20): one element type's descriptors. */
export interface ElementStatusPage {
  readonly elementType: number;
  readonly elementTypeName: string;
  /** PVOLTAG: each descriptor carries a primary volume tag. */
  readonly pVolTag: boolean;
  /** AVOLTAG: each descriptor carries an alternate volume tag. */
  readonly aVolTag: boolean;
  readonly elementDescriptorLength: number;
  readonly byteCountOfDescriptorDataAvailable: number;
  /** The complete descriptors present (a descriptor cut by the allocation length is left out). */
  readonly elements: ElementDescriptor[];
}

/** READ ELEMENT STATUS data. `requiredLength` is BYTE COUNT OF REPORT AVAILABLE + 8. */
export interface ElementStatusData extends Truncation {
  readonly firstElementAddressReported: number;
  readonly numberOfElementsAvailable: number;
  readonly byteCountOfReportAvailable: number;
  readonly pages: ElementStatusPage[];
}

const VOLUME_TAG_LENGTH = 36;

function volumeTag(r: ByteReader, offset: number, field: string): VolumeTag {
  return {
    volumeIdentifier: r.ascii(offset, 32, `${field}.volumeIdentifier`),
    volumeSequenceNumber: r.u16(offset + 34, `${field}.volumeSequenceNumber`),
  };
}

function descriptor(
  r: ByteReader,
  at: number,
  length: number,
  type: number,
  pVolTag: boolean,
  aVolTag: boolean,
): ElementDescriptor {
  const flags = r.u8(at + 2, 'elementDescriptor.flags');
  const b9 = r.u8(at + 9, 'elementDescriptor.sValid');
  const d: ElementDescriptor = {
    elementAddress: r.u16(at, 'elementDescriptor.elementAddress'),
    elementType: type,
    elementTypeName: elementTypeName(type),
    full: (flags & 0x01) !== 0,
    except: (flags & 0x04) !== 0,
    ...(type === 1 ? {} : { access: (flags & 0x08) !== 0 }),
    ...(type === 3
      ? { impExp: (flags & 0x02) !== 0, exEnab: (flags & 0x10) !== 0, inEnab: (flags & 0x20) !== 0 }
      : {}),
    additionalSenseCode: r.u8(at + 4, 'elementDescriptor.additionalSenseCode'),
    additionalSenseCodeQualifier: r.u8(at + 5, 'elementDescriptor.additionalSenseCodeQualifier'),
    ...(type === 4 ? dataTransferFields(r, at) : {}),
    sValid: (b9 & 0x80) !== 0,
    invert: (b9 & 0x40) !== 0,
    sourceStorageElementAddress: r.u16(at + 10, 'elementDescriptor.sourceStorageElementAddress'),
  };
  let off = at + 12;
  const end = at + length;
  let primary: VolumeTag | undefined;
  let alternate: VolumeTag | undefined;
  if (pVolTag && off + VOLUME_TAG_LENGTH <= end) {
    primary = volumeTag(r, off, 'primaryVolumeTag');
    off += VOLUME_TAG_LENGTH;
  }
  if (aVolTag && off + VOLUME_TAG_LENGTH <= end) {
    alternate = volumeTag(r, off, 'alternateVolumeTag');
    off += VOLUME_TAG_LENGTH;
  }
  const id = type === 4 ? deviceIdentifier(r, off, end) : undefined;
  return {
    ...d,
    ...(primary === undefined ? {} : { primaryVolumeTag: primary }),
    ...(alternate === undefined ? {} : { alternateVolumeTag: alternate }),
    ...(id === undefined ? {} : { deviceIdentifier: id }),
  };
}

function dataTransferFields(r: ByteReader, at: number) {
  const b6 = r.u8(at + 6, 'elementDescriptor.notBus');
  return {
    notBus: (b6 & 0x80) !== 0,
    idValid: (b6 & 0x20) !== 0,
    luValid: (b6 & 0x10) !== 0,
    lun: b6 & 0x07,
    scsiBusAddress: r.u8(at + 7, 'elementDescriptor.scsiBusAddress'),
  };
}

/** The DVCID identification descriptor after the volume tags, when one with a non-zero length fits. */
function deviceIdentifier(r: ByteReader, off: number, end: number): ElementDeviceIdentifier | undefined {
  if (off + 4 > end) return undefined;
  const length = r.u8(off + 3, 'deviceIdentifier.identifierLength');
  if (length === 0 || off + 4 + length > end) return undefined;
  const codeSet = r.u8(off, 'deviceIdentifier.codeSet') & 0x0f;
  const identifier = r.slice(off + 4, length, 'deviceIdentifier.identifier');
  return {
    codeSet,
    identifierType: r.u8(off + 1, 'deviceIdentifier.identifierType') & 0x0f,
    identifier,
    text: codeSet === 2 || codeSet === 3 ? asciiTrim(identifier) : '',
  };
}

/**
 * Decodes READ ELEMENT STATUS data. DecodeError when the 8-byte header is missing; pages and
 * descriptors cut by the allocation length are left out (`truncated` says so).
 */
export function decodeElementStatus(source: ByteSource): ElementStatusData {
  const r = new ByteReader(source);
  const byteCount = r.u24(5, 'byteCountOfReportAvailable');
  const required = 8 + byteCount;
  const end = Math.min(r.length, required);
  const pages: ElementStatusPage[] = [];
  let off = 8;
  while (off + 8 <= end) {
    const type = r.u8(off, 'elementStatusPage.elementTypeCode') & 0x0f;
    const b1 = r.u8(off + 1, 'elementStatusPage.pVolTag');
    const descLength = r.u16(off + 2, 'elementStatusPage.elementDescriptorLength');
    const available = r.u24(off + 5, 'elementStatusPage.byteCountOfDescriptorDataAvailable');
    const pVolTag = (b1 & 0x80) !== 0;
    const aVolTag = (b1 & 0x40) !== 0;
    const pageEnd = Math.min(end, off + 8 + available);
    const elements: ElementDescriptor[] = [];
    // A descriptor shorter than the 12 fixed bytes is malformed: nothing of it can be trusted.
    if (descLength < 12 && available > 0)
      throw new DecodeError('elementDescriptorLength', `must be at least 12, got ${descLength}`, off + 2);
    for (let d = off + 8; descLength > 0 && d + descLength <= pageEnd; d += descLength) {
      elements.push(descriptor(r, d, descLength, type, pVolTag, aVolTag));
    }
    pages.push({
      elementType: type,
      elementTypeName: elementTypeName(type),
      pVolTag,
      aVolTag,
      elementDescriptorLength: descLength,
      byteCountOfDescriptorDataAvailable: available,
      elements,
    });
    off += 8 + available;
  }
  return {
    firstElementAddressReported: r.u16(0, 'firstElementAddressReported'),
    numberOfElementsAvailable: r.u16(2, 'numberOfElementsAvailable'),
    byteCountOfReportAvailable: byteCount,
    pages,
    truncated: r.length < required,
    requiredLength: required,
    availableLength: end,
  };
}

// ---------------------------------------------------------------------------------------------
// Mode pages (SMC-3 7.3)

/** First address and count of one element type. */
export interface ElementRange {
  readonly firstElementAddress: number;
  readonly numberOfElements: number;
}

/** Element Address Assignment mode page (1Dh, SMC-3 Table 33). */
export interface ElementAddressAssignmentPage {
  readonly mediumTransport: ElementRange;
  readonly storage: ElementRange;
  readonly importExport: ElementRange;
  readonly dataTransfer: ElementRange;
}

function modePageBody(source: ByteSource, code: number, minLength: number, name: string): ByteReader {
  const r = new ByteReader(source);
  const pageCode = r.u8(0, `${name}.pageCode`) & 0x3f;
  if (pageCode !== code)
    throw new DecodeError(
      `${name}.pageCode`,
      `expected ${code.toString(16)}h, got ${pageCode.toString(16)}h`,
      0,
    );
  const length = r.u8(1, `${name}.pageLength`);
  if (length + 2 < minLength)
    throw new DecodeError(`${name}.pageLength`, `must be at least ${minLength - 2}, got ${length}`, 1);
  r.need(0, minLength, name);
  return r;
}

/** Decodes the Element Address Assignment page (the whole page, its 2-byte header included). */
export function decodeElementAddressAssignmentPage(page: ByteSource): ElementAddressAssignmentPage {
  const r = modePageBody(page, 0x1d, 18, 'elementAddressAssignment');
  const range = (off: number, field: string): ElementRange => ({
    firstElementAddress: r.u16(off, `${field}.firstElementAddress`),
    numberOfElements: r.u16(off + 2, `${field}.numberOfElements`),
  });
  return {
    mediumTransport: range(2, 'mediumTransport'),
    storage: range(6, 'storage'),
    importExport: range(10, 'importExport'),
    dataTransfer: range(14, 'dataTransfer'),
  };
}

/** Transport Geometry Parameters page (1Eh, SMC-3 Table 37): one descriptor per medium transport. */
export interface TransportGeometryPage {
  readonly transports: ReadonlyArray<{
    readonly rotate: boolean;
    readonly memberNumberInTransportElementSet: number;
  }>;
}

export function decodeTransportGeometryPage(page: ByteSource): TransportGeometryPage {
  const r = modePageBody(page, 0x1e, 2, 'transportGeometry');
  const end = Math.min(r.length, 2 + r.u8(1, 'transportGeometry.pageLength'));
  const transports = [];
  for (let off = 2; off + 2 <= end; off += 2) {
    transports.push({
      rotate: r.bit(off, 0, 'transportGeometry.rotate'),
      memberNumberInTransportElementSet: r.u8(off + 1, 'transportGeometry.memberNumber'),
    });
  }
  return { transports };
}

/** Per element type (medium transport, storage, import/export, data transfer): a flag each. */
export interface ElementTypeFlags {
  readonly mediumTransport: boolean;
  readonly storage: boolean;
  readonly importExport: boolean;
  readonly dataTransfer: boolean;
}

/** Device Capabilities page (1Fh, SMC-3 Table 38). */
export interface DeviceCapabilitiesPage {
  /** StorMT…StorDT: element types that can store media. */
  readonly canStore: ElementTypeFlags;
  /** MOVE MEDIUM from a source type (key) to destination types. */
  readonly moveFrom: Readonly<Record<keyof ElementTypeFlags, ElementTypeFlags>>;
  /** EXCHANGE MEDIUM from a source type (key) with destination types. */
  readonly exchangeFrom: Readonly<Record<keyof ElementTypeFlags, ElementTypeFlags>>;
}

function typeFlags(b: number): ElementTypeFlags {
  return {
    mediumTransport: (b & 1) !== 0,
    storage: (b & 2) !== 0,
    importExport: (b & 4) !== 0,
    dataTransfer: (b & 8) !== 0,
  };
}

export function decodeDeviceCapabilitiesPage(page: ByteSource): DeviceCapabilitiesPage {
  const r = modePageBody(page, 0x1f, 16, 'deviceCapabilities');
  const per = (off: number, field: string) => ({
    mediumTransport: typeFlags(r.u8(off, field)),
    storage: typeFlags(r.u8(off + 1, field)),
    importExport: typeFlags(r.u8(off + 2, field)),
    dataTransfer: typeFlags(r.u8(off + 3, field)),
  });
  return {
    canStore: typeFlags(r.u8(2, 'deviceCapabilities.stor')),
    moveFrom: per(4, 'deviceCapabilities.moveFrom'),
    exchangeFrom: per(12, 'deviceCapabilities.exchangeFrom'),
  };
}

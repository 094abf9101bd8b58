import { ByteReader, type ByteSource } from '../bytes.js';
import { DecodeError } from '../errors.js';
import {
  type DesignationDescriptor,
  decodeDesignationDescriptor,
  decodeDesignationDescriptors,
} from './designators.js';

/**
 * Vital product data pages (INQUIRY with EVPD=1): SPC-6 7.7, SBC-5 6.6, ZBC-2 6.5, SAT-5 12.4.
 * Every page starts with the same 4-byte header; PAGE LENGTH (bytes 2-3) counts the bytes after it.
 */

/** VPD page names (SPC-6 Table 589 and the command standards). */
const VPD_PAGE_NAMES: Readonly<Record<number, string>> = {
  0: 'Supported VPD pages',
  128: 'Unit Serial Number',
  129: 'Implemented Operating Definition (obsolete)',
  130: 'ASCII Implemented Operating Definition (obsolete)',
  131: 'Device Identification',
  132: 'Software Interface Identification',
  133: 'Management Network Addresses',
  134: 'Extended INQUIRY Data',
  135: 'Mode Page Policy',
  136: 'SCSI Ports',
  137: 'ATA Information',
  138: 'Power Condition',
  139: 'Device Constituents',
  140: 'CFA Profile Information',
  141: 'Power Consumption',
  143: 'Third-party Copy',
  144: 'Protocol Specific Logical Unit Information',
  145: 'Protocol Specific Port Information',
  146: 'SCSI Feature Sets',
  176: 'Block Limits',
  177: 'Block Device Characteristics',
  178: 'Logical Block Provisioning',
  179: 'Referrals',
  180: 'Supported Block Lengths and Protection Types',
  181: 'Block Device Characteristics Extension',
  182: 'Zoned Block Device Characteristics',
  183: 'Block Limits Extension',
  184: 'Format Presets',
  185: 'Concurrent Positioning Ranges',
  186: 'Capacity/Product Identification Mapping',
};

/** Name of a VPD page code; B0h-BFh names are the SBC/ZBC ones (other device types reuse those codes). */
export function vpdPageName(pageCode: number): string {
  const known = VPD_PAGE_NAMES[pageCode];
  if (known !== undefined) return known;
  if (pageCode >= 0x01 && pageCode <= 0x7f) return 'ASCII Information';
  if (pageCode >= 0xc0) return 'vendor specific';
  return 'reserved';
}

/** Header fields every decoded VPD page carries. */
export interface VpdHeader {
  readonly peripheralQualifier: number;
  readonly peripheralDeviceType: number;
  readonly pageCode: number;
  /** PAGE LENGTH: bytes the device has after the 4-byte header. */
  readonly pageLength: number;
  /** Fewer than pageLength + 4 bytes were returned; absent fields lie beyond the returned bytes. */
  readonly truncated: boolean;
  /** pageLength + 4: the allocation length that returns the whole page. */
  readonly requiredLength: number;
  readonly availableLength: number;
  /** The page bytes after the header, as returned (copy, at most pageLength), so nothing is lost. */
  readonly raw: Uint8Array;
}

export interface SupportedVpdPages extends VpdHeader {
  readonly kind: 'supportedVpdPages';
  /** Page codes in the order returned (ascending per SPC-6). */
  readonly supportedPages: readonly number[];
}

export interface UnitSerialNumberVpd extends VpdHeader {
  readonly kind: 'unitSerialNumber';
  /** PRODUCT SERIAL NUMBER with leading and trailing spaces/NULs trimmed (ATA bridges right-align it). */
  readonly productSerialNumber: string;
}

export interface DeviceIdentificationVpd extends VpdHeader {
  readonly kind: 'deviceIdentification';
  readonly designators: readonly DesignationDescriptor[];
}

/** Extended INQUIRY Data VPD page (SPC-6 7.7.8). */
export interface ExtendedInquiryVpd extends VpdHeader {
  readonly kind: 'extendedInquiry';
  /** 0 none indicated, 1 activate before completing final WRITE BUFFER, 2 after power on or hard reset. */
  readonly activateMicrocode?: number;
  /** Supported protection types; meaningful only when standard INQUIRY PROTECT is set. */
  readonly spt?: number;
  readonly grdChk?: boolean;
  readonly appChk?: boolean;
  readonly refChk?: boolean;
  readonly uaskSup?: boolean;
  readonly groupSup?: boolean;
  readonly priorSup?: boolean;
  readonly headSup?: boolean;
  readonly ordSup?: boolean;
  readonly simpSup?: boolean;
  readonly wuSup?: boolean;
  /** Obsolete in SPC-5. */
  readonly crdSup?: boolean;
  readonly nvSup?: boolean;
  readonly vSup?: boolean;
  readonly noPiChk?: boolean;
  /** P_I_I_SUP: protection information intervals supported. */
  readonly pIISup?: boolean;
  readonly luiclr?: boolean;
  readonly luCollType?: number;
  readonly rSup?: boolean;
  readonly rtdSup?: boolean;
  readonly hssrelef?: boolean;
  /** Obsolete in SPC-5. */
  readonly cbcs?: boolean;
  readonly multiITNexusMicrocodeDownload?: number;
  readonly extendedSelfTestCompletionMinutes?: number;
  readonly poaSup?: boolean;
  readonly hraSup?: boolean;
  readonly vsaSup?: boolean;
  readonly dmsValid?: boolean;
  /** 0: not reported. */
  readonly maximumSupportedSenseDataLength?: number;
  readonly ibs?: boolean;
  readonly ias?: boolean;
  readonly sac?: boolean;
  readonly nrd1?: boolean;
  readonly nrd0?: boolean;
  readonly maximumInquiryChangeLogs?: number;
  readonly maximumModePageChangeLogs?: number;
  readonly dmMd4?: boolean;
  readonly dmMd5?: boolean;
  readonly dmMd6?: boolean;
  readonly dmMd7?: boolean;
  readonly dmMdD?: boolean;
  readonly dmMdE?: boolean;
  readonly dmMdF?: boolean;
}

export interface ModePagePolicyDescriptor {
  /** 3Fh with subpage FFh: the policy applies to every mode page and subpage not listed. */
  readonly policyPageCode: number;
  readonly policySubpageCode: number;
  /** MLUS: the mode page is shared by multiple logical units. */
  readonly mlus: boolean;
  /** 0 shared, 1 per target port, 2 obsolete (per initiator port), 3 per I_T nexus. */
  readonly modePagePolicy: number;
}

export interface ModePagePolicyVpd extends VpdHeader {
  readonly kind: 'modePagePolicy';
  readonly descriptors: readonly ModePagePolicyDescriptor[];
}

export interface ScsiPortDescriptor {
  readonly relativePortIdentifier: number;
  /** Initiator port TransportID, raw (absent when its length is 0). */
  readonly initiatorPortTransportId?: Uint8Array;
  readonly targetPortDescriptors: readonly DesignationDescriptor[];
}

export interface ScsiPortsVpd extends VpdHeader {
  readonly kind: 'scsiPorts';
  readonly ports: readonly ScsiPortDescriptor[];
}

/** ATA Information VPD page (SAT-5 12.4.2), filled in by a SCSI/ATA translation layer. */
export interface AtaInformationVpd extends VpdHeader {
  readonly kind: 'ataInformation';
  readonly satVendorIdentification?: string;
  readonly satProductIdentification?: string;
  readonly satProductRevisionLevel?: string;
  /** The ATA device signature as a 20-byte Register - Device to Host FIS (byte 0 34h on SATA). */
  readonly ataDeviceSignature?: Uint8Array;
  /** ECh (IDENTIFY DEVICE) or A1h (IDENTIFY PACKET DEVICE). */
  readonly commandCode?: number;
  /** The 512 bytes of IDENTIFY (PACKET) DEVICE data, little-endian words as ATA defines them. */
  readonly identifyData?: Uint8Array;
}

/** Power Condition VPD page (SPC-6 7.7.12); recovery times are in milliseconds. */
export interface PowerConditionVpd extends VpdHeader {
  readonly kind: 'powerCondition';
  readonly standbyY?: boolean;
  readonly standbyZ?: boolean;
  readonly idleC?: boolean;
  readonly idleB?: boolean;
  readonly idleA?: boolean;
  readonly stoppedConditionRecoveryTime?: number;
  readonly standbyZConditionRecoveryTime?: number;
  readonly standbyYConditionRecoveryTime?: number;
  readonly idleAConditionRecoveryTime?: number;
  readonly idleBConditionRecoveryTime?: number;
  readonly idleCConditionRecoveryTime?: number;
}

/** Block Device ROD Limits descriptor (SBC-5 6.6.9.3); 0 means not reported. */
export interface BlockDeviceRodLimits {
  readonly kind: 'blockDeviceRodLimits';
  readonly maximumRangeDescriptors: number;
  /** Seconds; FFFFFFFFh: no maximum. */
  readonly maximumInactivityTimeout: number;
  readonly defaultInactivityTimeout: number;
  readonly maximumTokenTransferSize: bigint;
  readonly optimalTransferCount: bigint;
}

/** General Copy Operations descriptor (SPC-6 7.7.17.10). Granularities are log2 values. */
export interface GeneralCopyOperations {
  readonly kind: 'generalCopyOperations';
  readonly totalConcurrentCopies: number;
  readonly maximumIdentifiedConcurrentCopies: number;
  readonly maximumSegmentLength: number;
  readonly dataSegmentGranularity: number;
  readonly inlineDataGranularity: number;
}

export interface ThirdPartyCopyDescriptor {
  readonly descriptorType: number;
  readonly descriptorTypeName: string;
  readonly descriptorLength: number;
  /** The third-party copy parameters (after the 4-byte descriptor header). */
  readonly raw: Uint8Array;
  readonly decoded?: BlockDeviceRodLimits | GeneralCopyOperations;
}

export interface ThirdPartyCopyVpd extends VpdHeader {
  readonly kind: 'thirdPartyCopy';
  readonly descriptors: readonly ThirdPartyCopyDescriptor[];
}

/**
 * Block Limits VPD page (SBC-5 6.6.4). Lengths are in logical blocks; 0 usually means "not reported"
 * (for maximumCompareAndWriteLength: COMPARE AND WRITE not supported). Devices written to SBC-2 return
 * the short 0Ch-length page, which ends after optimalTransferLength.
 */
export interface BlockLimitsVpd extends VpdHeader {
  readonly kind: 'blockLimits';
  readonly wsnz?: boolean;
  readonly maximumCompareAndWriteLength?: number;
  readonly optimalTransferLengthGranularity?: number;
  readonly maximumTransferLength?: number;
  readonly optimalTransferLength?: number;
  readonly maximumPrefetchLength?: number;
  /** FFFFFFFFh: no limit. */
  readonly maximumUnmapLbaCount?: number;
  /** FFFFFFFFh: no limit. */
  readonly maximumUnmapBlockDescriptorCount?: number;
  readonly optimalUnmapGranularity?: number;
  readonly ugavalid?: boolean;
  /** Meaningful only when ugavalid. */
  readonly unmapGranularityAlignment?: number;
  readonly maximumWriteSameLength?: bigint;
  readonly maximumAtomicTransferLength?: number;
  readonly atomicAlignment?: number;
  readonly atomicTransferLengthGranularity?: number;
  readonly maximumAtomicTransferLengthWithAtomicBoundary?: number;
  readonly maximumAtomicBoundarySize?: number;
}

/** Block Device Characteristics VPD page (SBC-5 6.6.2). */
export interface BlockDeviceCharacteristicsVpd extends VpdHeader {
  readonly kind: 'blockDeviceCharacteristics';
  /** 0 not reported, 1 non-rotating medium (solid state), 0401h-FFFEh nominal rpm. */
  readonly mediumRotationRate?: number;
  readonly productType?: number;
  readonly wabereq?: number;
  readonly wacereq?: number;
  /** 0 not reported, 1 5.25", 2 3.5", 3 2.5", 4 1.8", 5 less than 1.8". */
  readonly nominalFormFactor?: number;
  /** MACT: multiple actuators. */
  readonly mact?: boolean;
  /** 0 not reported, 1 host aware, 2 device managed (obsolete in SBC-5). */
  readonly zoned?: number;
  readonly bocs?: boolean;
  readonly rbwz?: boolean;
  readonly fuab?: boolean;
  readonly vbuls?: boolean;
  /** Seconds a depopulation is expected to take; 0 not reported. */
  readonly depopulationTime?: number;
}

/** Logical Block Provisioning VPD page (SBC-5 6.6.6). */
export interface LogicalBlockProvisioningVpd extends VpdHeader {
  readonly kind: 'logicalBlockProvisioning';
  /** 0: thresholds not supported. */
  readonly thresholdExponent?: number;
  readonly lbpu?: boolean;
  readonly lbpws?: boolean;
  readonly lbpws10?: boolean;
  /** 3 bits (SBC-4): 0 unmapped blocks read undefined data, 1 zeroes, 2 the provisioning initialization pattern. */
  readonly lbprz?: number;
  readonly ancSup?: boolean;
  /** DP: a provisioning group descriptor follows. */
  readonly dp?: boolean;
  readonly minimumPercentage?: number;
  /** 0 not reported / fully provisioned, 1 resource provisioned, 2 thin provisioned. */
  readonly provisioningType?: number;
  readonly thresholdPercentage?: number;
  readonly provisioningGroupDescriptor?: DesignationDescriptor;
}

export interface ReferralsVpd extends VpdHeader {
  readonly kind: 'referrals';
  readonly userDataSegmentSize?: number;
  readonly userDataSegmentMultiplier?: number;
}

/** Zoned Block Device Characteristics VPD page (ZBC-2 6.5.2). FFFFFFFFh counts: not reported / no limit. */
export interface ZonedBlockDeviceCharacteristicsVpd extends VpdHeader {
  readonly kind: 'zonedBlockDeviceCharacteristics';
  /** 0 not reported (host managed when PDT is 14h), 1 host aware, 2 domains and realms. */
  readonly zonedBlockDeviceExtension?: number;
  readonly aaorb?: boolean;
  readonly urswrz?: boolean;
  readonly optimalNumberOfOpenSequentialWritePreferredZones?: number;
  readonly optimalNumberOfNonSequentiallyWrittenSequentialWritePreferredZones?: number;
  readonly maximumNumberOfOpenSequentialWriteRequiredZones?: number;
  /** 0 not reported, 1 constant zone lengths, 8 gap zones taken into account. */
  readonly zoneAlignmentMethod?: number;
  readonly zoneStartingLbaGranularity?: bigint;
}

/** Block Limits Extension VPD page (SBC-5 6.6.5). */
export interface BlockLimitsExtensionVpd extends VpdHeader {
  readonly kind: 'blockLimitsExtension';
  /** 0: stream control not supported. */
  readonly maximumNumberOfStreams?: number;
  readonly optimalStreamWriteSize?: number;
  readonly streamGranularitySize?: number;
  readonly maximumScatteredLbaRangeTransferLength?: number;
  readonly maximumScatteredLbaRangeDescriptorCount?: number;
  readonly maximumScatteredTransferLength?: number;
}

/** A page without a dedicated decoder: header plus `raw`. */
export interface GenericVpdPage extends VpdHeader {
  readonly kind: 'generic';
}

export type VpdPage =
  | SupportedVpdPages
  | UnitSerialNumberVpd
  | DeviceIdentificationVpd
  | ExtendedInquiryVpd
  | ModePagePolicyVpd
  | ScsiPortsVpd
  | AtaInformationVpd
  | PowerConditionVpd
  | ThirdPartyCopyVpd
  | BlockLimitsVpd
  | BlockDeviceCharacteristicsVpd
  | LogicalBlockProvisioningVpd
  | ReferralsVpd
  | ZonedBlockDeviceCharacteristicsVpd
  | BlockLimitsExtensionVpd
  | GenericVpdPage;

type Draft<T> = { -readonly [K in keyof T]: T[K] };

function h2(code: number): string {
  return `0x${code.toString(16).padStart(2, '0')}`;
}

/**
 * Real-device quirk: some devices (USB bridges, old SCSI-2 targets) ignore EVPD and answer with
 * standard INQUIRY data. Its byte 1 (RMB, LU_CONG, HOT PLUGGABLE) can even equal the page code asked
 * for (00h, 80h, B0h …). Standard data reads as a VPD page whose PAGE LENGTH (VERSION, byte 3) runs
 * past the bytes returned, with RESPONSE DATA FORMAT 2 and printable vendor/product/revision text.
 */
export function looksLikeStandardInquiry(bytes: ByteSource): boolean {
  const b = new ByteReader(bytes).bytes;
  if (b.length < 36) return false;
  const b1 = b[1] as number;
  const version = b[2] as number;
  const b3 = b[3] as number;
  if ((b1 & 0x0f) !== 0 || (b3 & 0x0f) !== 2) return false;
  if (version > 0x07 && version !== 0x0d) return false;
  if (((version << 8) | b3) + 4 <= b.length) return false;
  if ((b[4] as number) + 5 < 36) return false;
  for (let i = 8; i < 36; i++) {
    const c = b[i] as number;
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

interface Parsed {
  readonly header: VpdHeader;
  /** Reader over the page as far as it was returned (header included, at most pageLength + 4). */
  readonly r: ByteReader;
}

function parseHeader(bytes: ByteSource, expectedPageCode: number | undefined): Parsed {
  const all = new ByteReader(bytes);
  all.need(0, 4, 'pageLength');
  if (looksLikeStandardInquiry(all.bytes)) {
    throw new DecodeError(
      'pageCode',
      'the device answered with standard INQUIRY data instead of a VPD page (it ignored EVPD)',
      1,
    );
  }
  const b0 = all.u8(0, 'peripheralDeviceType');
  const pageCode = all.u8(1, 'pageCode');
  if (expectedPageCode !== undefined && pageCode !== expectedPageCode) {
    throw new DecodeError(
      'pageCode',
      `expected VPD page ${h2(expectedPageCode)} but the device returned page ${h2(pageCode)} ` +
        '(some devices answer any EVPD request with standard INQUIRY data)',
      1,
    );
  }
  const pageLength = all.u16(2, 'pageLength');
  const requiredLength = pageLength + 4;
  const end = Math.min(all.length, requiredLength);
  return {
    header: {
      peripheralQualifier: b0 >> 5,
      peripheralDeviceType: b0 & 0x1f,
      pageCode,
      pageLength,
      truncated: all.length < requiredLength,
      requiredLength,
      availableLength: all.length,
      raw: all.slice(4, end - 4, 'raw'),
    },
    r: new ByteReader(all.bytes.subarray(0, end)),
  };
}

/** A list entry ran past the page: fine when the page was truncated, a DecodeError otherwise. */
function shortEntry(p: Parsed, field: string, offset: number, need: number): boolean {
  if (p.header.truncated) return true;
  throw new DecodeError(
    field,
    `entry needs ${need} byte(s) but the page has ${p.r.length - offset} left`,
    offset,
  );
}

/** Supported VPD Pages (00h, SPC-6 7.7.16). */
export function decodeSupportedVpdPages(bytes: ByteSource): SupportedVpdPages {
  const p = parseHeader(bytes, 0x00);
  return { ...p.header, kind: 'supportedVpdPages', supportedPages: [...p.header.raw] };
}

/** Unit Serial Number (80h, SPC-6 7.7.19). */
export function decodeUnitSerialNumber(bytes: ByteSource): UnitSerialNumberVpd {
  const p = parseHeader(bytes, 0x80);
  const text = p.r.ascii(4, p.r.length - 4, 'productSerialNumber');
  return { ...p.header, kind: 'unitSerialNumber', productSerialNumber: text.trimStart() };
}

/** Device Identification (83h, SPC-6 7.7.6). */
export function decodeDeviceIdentification(bytes: ByteSource): DeviceIdentificationVpd {
  const p = parseHeader(bytes, 0x83);
  const list = decodeDesignationDescriptors(p.header.raw, p.header.truncated, 'designators');
  return { ...p.header, kind: 'deviceIdentification', designators: list.descriptors };
}

/** Extended INQUIRY Data (86h, SPC-6 7.7.8). */
export function decodeExtendedInquiry(bytes: ByteSource): ExtendedInquiryVpd {
  const p = parseHeader(bytes, 0x86);
  const r = p.r;
  const out: Draft<ExtendedInquiryVpd> = { ...p.header, kind: 'extendedInquiry' };
  if (r.has(4, 1)) {
    out.activateMicrocode = r.bits(4, 6, 2, 'activateMicrocode');
    out.spt = r.bits(4, 3, 3, 'spt');
    out.grdChk = r.bit(4, 2, 'grdChk');
    out.appChk = r.bit(4, 1, 'appChk');
    out.refChk = r.bit(4, 0, 'refChk');
  }
  if (r.has(5, 1)) {
    out.uaskSup = r.bit(5, 5, 'uaskSup');
    out.groupSup = r.bit(5, 4, 'groupSup');
    out.priorSup = r.bit(5, 3, 'priorSup');
    out.headSup = r.bit(5, 2, 'headSup');
    out.ordSup = r.bit(5, 1, 'ordSup');
    out.simpSup = r.bit(5, 0, 'simpSup');
  }
  if (r.has(6, 1)) {
    out.wuSup = r.bit(6, 3, 'wuSup');
    out.crdSup = r.bit(6, 2, 'crdSup');
    out.nvSup = r.bit(6, 1, 'nvSup');
    out.vSup = r.bit(6, 0, 'vSup');
  }
  if (r.has(7, 1)) {
    out.noPiChk = r.bit(7, 5, 'noPiChk');
    out.pIISup = r.bit(7, 4, 'pIISup');
    out.luiclr = r.bit(7, 0, 'luiclr');
  }
  if (r.has(8, 1)) {
    out.luCollType = r.bits(8, 5, 3, 'luCollType');
    out.rSup = r.bit(8, 4, 'rSup');
    out.rtdSup = r.bit(8, 3, 'rtdSup');
    out.hssrelef = r.bit(8, 1, 'hssrelef');
    out.cbcs = r.bit(8, 0, 'cbcs');
  }
  if (r.has(9, 1)) out.multiITNexusMicrocodeDownload = r.bits(9, 0, 4, 'multiITNexusMicrocodeDownload');
  if (r.has(10, 2)) out.extendedSelfTestCompletionMinutes = r.u16(10, 'extendedSelfTestCompletionMinutes');
  if (r.has(12, 1)) {
    out.poaSup = r.bit(12, 7, 'poaSup');
    out.hraSup = r.bit(12, 6, 'hraSup');
    out.vsaSup = r.bit(12, 5, 'vsaSup');
    out.dmsValid = r.bit(12, 4, 'dmsValid');
  }
  if (r.has(13, 1)) out.maximumSupportedSenseDataLength = r.u8(13, 'maximumSupportedSenseDataLength');
  if (r.has(14, 1)) {
    out.ibs = r.bit(14, 7, 'ibs');
    out.ias = r.bit(14, 6, 'ias');
    out.sac = r.bit(14, 2, 'sac');
    out.nrd1 = r.bit(14, 1, 'nrd1');
    out.nrd0 = r.bit(14, 0, 'nrd0');
  }
  if (r.has(15, 2)) out.maximumInquiryChangeLogs = r.u16(15, 'maximumInquiryChangeLogs');
  if (r.has(17, 2)) out.maximumModePageChangeLogs = r.u16(17, 'maximumModePageChangeLogs');
  if (r.has(19, 1)) {
    out.dmMd4 = r.bit(19, 7, 'dmMd4');
    out.dmMd5 = r.bit(19, 6, 'dmMd5');
    out.dmMd6 = r.bit(19, 5, 'dmMd6');
    out.dmMd7 = r.bit(19, 4, 'dmMd7');
    out.dmMdD = r.bit(19, 3, 'dmMdD');
    out.dmMdE = r.bit(19, 2, 'dmMdE');
    out.dmMdF = r.bit(19, 1, 'dmMdF');
  }
  return out;
}

/** Mode Page Policy (87h, SPC-6 7.7.10): 4-byte descriptors. */
export function decodeModePagePolicy(bytes: ByteSource): ModePagePolicyVpd {
  const p = parseHeader(bytes, 0x87);
  const r = p.r;
  const descriptors: ModePagePolicyDescriptor[] = [];
  for (let o = 4; o < r.length; o += 4) {
    if (!r.has(o, 4) && shortEntry(p, `descriptors[${descriptors.length}]`, o, 4)) break;
    descriptors.push({
      policyPageCode: r.bits(o, 0, 6, 'policyPageCode'),
      policySubpageCode: r.u8(o + 1, 'policySubpageCode'),
      mlus: r.bit(o + 2, 7, 'mlus'),
      modePagePolicy: r.bits(o + 2, 0, 2, 'modePagePolicy'),
    });
  }
  return { ...p.header, kind: 'modePagePolicy', descriptors };
}

/** SCSI Ports (88h, SPC-6 7.7.18): one SCSI port designation descriptor per port. */
export function decodeScsiPorts(bytes: ByteSource): ScsiPortsVpd {
  const p = parseHeader(bytes, 0x88);
  const r = p.r;
  const ports: ScsiPortDescriptor[] = [];
  let o = 4;
  while (o < r.length) {
    const field = `ports[${ports.length}]`;
    if (!r.has(o, 8) && shortEntry(p, field, o, 8)) break;
    const relativePortIdentifier = r.u16(o + 2, `${field}.relativePortIdentifier`);
    const tidLength = r.u16(o + 6, `${field}.initiatorPortTransportIdLength`);
    const tpdAt = o + 8 + tidLength;
    if (!r.has(tpdAt, 4) && shortEntry(p, field, o, tpdAt + 4 - o)) break;
    const tpdLength = r.u16(tpdAt + 2, `${field}.targetPortDescriptorsLength`);
    const size = tpdAt + 4 + tpdLength - o;
    if (!r.has(o, size) && shortEntry(p, field, o, size)) break;
    const list = decodeDesignationDescriptors(
      r.slice(tpdAt + 4, tpdLength, `${field}.targetPortDescriptors`),
      false,
      `${field}.targetPortDescriptors`,
    );
    ports.push({
      relativePortIdentifier,
      ...(tidLength > 0
        ? { initiatorPortTransportId: r.slice(o + 8, tidLength, `${field}.initiatorPortTransportId`) }
        : {}),
      targetPortDescriptors: list.descriptors,
    });
    o += size;
  }
  return { ...p.header, kind: 'scsiPorts', ports };
}

/** ATA Information (89h, SAT-5 12.4.2). IDENTIFY data is left raw for the ATA decoders. */
export function decodeAtaInformation(bytes: ByteSource): AtaInformationVpd {
  const p = parseHeader(bytes, 0x89);
  const r = p.r;
  const out: Draft<AtaInformationVpd> = { ...p.header, kind: 'ataInformation' };
  if (r.has(8, 8)) out.satVendorIdentification = r.ascii(8, 8, 'satVendorIdentification');
  if (r.has(16, 16)) out.satProductIdentification = r.ascii(16, 16, 'satProductIdentification');
  if (r.has(32, 4)) out.satProductRevisionLevel = r.ascii(32, 4, 'satProductRevisionLevel');
  if (r.has(36, 20)) out.ataDeviceSignature = r.slice(36, 20, 'ataDeviceSignature');
  if (r.has(56, 1)) out.commandCode = r.u8(56, 'commandCode');
  if (r.has(60, 512)) out.identifyData = r.slice(60, 512, 'identifyData');
  return out;
}

/** Power Condition (8Ah, SPC-6 7.7.12). */
export function decodePowerCondition(bytes: ByteSource): PowerConditionVpd {
  const p = parseHeader(bytes, 0x8a);
  const r = p.r;
  const out: Draft<PowerConditionVpd> = { ...p.header, kind: 'powerCondition' };
  if (r.has(4, 1)) {
    out.standbyY = r.bit(4, 1, 'standbyY');
    out.standbyZ = r.bit(4, 0, 'standbyZ');
  }
  if (r.has(5, 1)) {
    out.idleC = r.bit(5, 2, 'idleC');
    out.idleB = r.bit(5, 1, 'idleB');
    out.idleA = r.bit(5, 0, 'idleA');
  }
  if (r.has(6, 2)) out.stoppedConditionRecoveryTime = r.u16(6, 'stoppedConditionRecoveryTime');
  if (r.has(8, 2)) out.standbyZConditionRecoveryTime = r.u16(8, 'standbyZConditionRecoveryTime');
  if (r.has(10, 2)) out.standbyYConditionRecoveryTime = r.u16(10, 'standbyYConditionRecoveryTime');
  if (r.has(12, 2)) out.idleAConditionRecoveryTime = r.u16(12, 'idleAConditionRecoveryTime');
  if (r.has(14, 2)) out.idleBConditionRecoveryTime = r.u16(14, 'idleBConditionRecoveryTime');
  if (r.has(16, 2)) out.idleCConditionRecoveryTime = r.u16(16, 'idleCConditionRecoveryTime');
  return out;
}

/** Third-party copy descriptor type names (SPC-6 Table 645). */
export function thirdPartyCopyDescriptorTypeName(type: number): string {
  switch (type) {
    case 0x0000:
      return 'Block Device ROD Limits';
    case 0x0001:
      return 'Supported Commands';
    case 0x0004:
      return 'Parameter Data';
    case 0x0008:
      return 'Supported Descriptors';
    case 0x000c:
      return 'Supported CSCD Descriptor IDs';
    case 0x000d:
      return 'Copy Group Identifier';
    case 0x0106:
      return 'ROD Token Features';
    case 0x0108:
      return 'Supported ROD Token and ROD Types';
    case 0x8001:
      return 'General Copy Operations';
    case 0x9101:
      return 'Stream Copy Operations';
    case 0xc001:
      return 'Held Data';
    default:
      return type >= 0xe000 && type <= 0xefff ? 'restricted' : 'reserved';
  }
}

/** Third-party Copy (8Fh, SPC-6 7.7.17): descriptors kept raw, two common ones decoded. */
export function decodeThirdPartyCopy(bytes: ByteSource): ThirdPartyCopyVpd {
  const p = parseHeader(bytes, 0x8f);
  const r = p.r;
  const descriptors: ThirdPartyCopyDescriptor[] = [];
  let o = 4;
  while (o < r.length) {
    const field = `descriptors[${descriptors.length}]`;
    if (!r.has(o, 4) && shortEntry(p, field, o, 4)) break;
    const descriptorType = r.u16(o, `${field}.descriptorType`);
    const descriptorLength = r.u16(o + 2, `${field}.descriptorLength`);
    if (!r.has(o, 4 + descriptorLength) && shortEntry(p, field, o, 4 + descriptorLength)) break;
    let decoded: BlockDeviceRodLimits | GeneralCopyOperations | undefined;
    if (descriptorType === 0x0000 && descriptorLength >= 0x20) {
      decoded = {
        kind: 'blockDeviceRodLimits',
        maximumRangeDescriptors: r.u16(o + 10, 'maximumRangeDescriptors'),
        maximumInactivityTimeout: r.u32(o + 12, 'maximumInactivityTimeout'),
        defaultInactivityTimeout: r.u32(o + 16, 'defaultInactivityTimeout'),
        maximumTokenTransferSize: r.u64(o + 20, 'maximumTokenTransferSize'),
        optimalTransferCount: r.u64(o + 28, 'optimalTransferCount'),
      };
    } else if (descriptorType === 0x8001 && descriptorLength >= 14) {
      decoded = {
        kind: 'generalCopyOperations',
        totalConcurrentCopies: r.u32(o + 4, 'totalConcurrentCopies'),
        maximumIdentifiedConcurrentCopies: r.u32(o + 8, 'maximumIdentifiedConcurrentCopies'),
        maximumSegmentLength: r.u32(o + 12, 'maximumSegmentLength'),
        dataSegmentGranularity: r.u8(o + 16, 'dataSegmentGranularity'),
        inlineDataGranularity: r.u8(o + 17, 'inlineDataGranularity'),
      };
    }
    descriptors.push({
      descriptorType,
      descriptorTypeName: thirdPartyCopyDescriptorTypeName(descriptorType),
      descriptorLength,
      raw: r.slice(o + 4, descriptorLength, `${field}.raw`),
      ...(decoded === undefined ? {} : { decoded }),
    });
    o += 4 + descriptorLength;
  }
  return { ...p.header, kind: 'thirdPartyCopy', descriptors };
}

/** Block Limits (B0h, SBC-5 6.6.4). Handles the short 0Ch-length page of SBC-2 era devices. */
export function decodeBlockLimits(bytes: ByteSource): BlockLimitsVpd {
  const p = parseHeader(bytes, 0xb0);
  const r = p.r;
  const out: Draft<BlockLimitsVpd> = { ...p.header, kind: 'blockLimits' };
  if (r.has(4, 1)) out.wsnz = r.bit(4, 0, 'wsnz');
  if (r.has(5, 1)) out.maximumCompareAndWriteLength = r.u8(5, 'maximumCompareAndWriteLength');
  if (r.has(6, 2)) out.optimalTransferLengthGranularity = r.u16(6, 'optimalTransferLengthGranularity');
  if (r.has(8, 4)) out.maximumTransferLength = r.u32(8, 'maximumTransferLength');
  if (r.has(12, 4)) out.optimalTransferLength = r.u32(12, 'optimalTransferLength');
  if (r.has(16, 4)) out.maximumPrefetchLength = r.u32(16, 'maximumPrefetchLength');
  if (r.has(20, 4)) out.maximumUnmapLbaCount = r.u32(20, 'maximumUnmapLbaCount');
  if (r.has(24, 4)) out.maximumUnmapBlockDescriptorCount = r.u32(24, 'maximumUnmapBlockDescriptorCount');
  if (r.has(28, 4)) out.optimalUnmapGranularity = r.u32(28, 'optimalUnmapGranularity');
  if (r.has(32, 4)) {
    out.ugavalid = r.bit(32, 7, 'ugavalid');
    out.unmapGranularityAlignment = r.u32(32, 'unmapGranularityAlignment') & 0x7fffffff;
  }
  if (r.has(36, 8)) out.maximumWriteSameLength = r.u64(36, 'maximumWriteSameLength');
  if (r.has(44, 4)) out.maximumAtomicTransferLength = r.u32(44, 'maximumAtomicTransferLength');
  if (r.has(48, 4)) out.atomicAlignment = r.u32(48, 'atomicAlignment');
  if (r.has(52, 4)) out.atomicTransferLengthGranularity = r.u32(52, 'atomicTransferLengthGranularity');
  if (r.has(56, 4)) {
    out.maximumAtomicTransferLengthWithAtomicBoundary = r.u32(
      56,
      'maximumAtomicTransferLengthWithAtomicBoundary',
    );
  }
  if (r.has(60, 4)) out.maximumAtomicBoundarySize = r.u32(60, 'maximumAtomicBoundarySize');
  return out;
}

/** Block Device Characteristics (B1h, SBC-5 6.6.2). */
export function decodeBlockDeviceCharacteristics(bytes: ByteSource): BlockDeviceCharacteristicsVpd {
  const p = parseHeader(bytes, 0xb1);
  const r = p.r;
  const out: Draft<BlockDeviceCharacteristicsVpd> = { ...p.header, kind: 'blockDeviceCharacteristics' };
  if (r.has(4, 2)) out.mediumRotationRate = r.u16(4, 'mediumRotationRate');
  if (r.has(6, 1)) out.productType = r.u8(6, 'productType');
  if (r.has(7, 1)) {
    out.wabereq = r.bits(7, 6, 2, 'wabereq');
    out.wacereq = r.bits(7, 4, 2, 'wacereq');
    out.nominalFormFactor = r.bits(7, 0, 4, 'nominalFormFactor');
  }
  if (r.has(8, 1)) {
    out.mact = r.bit(8, 6, 'mact');
    out.zoned = r.bits(8, 4, 2, 'zoned');
    out.bocs = r.bit(8, 3, 'bocs');
    out.rbwz = r.bit(8, 2, 'rbwz');
    out.fuab = r.bit(8, 1, 'fuab');
    out.vbuls = r.bit(8, 0, 'vbuls');
  }
  if (r.has(12, 4)) out.depopulationTime = r.u32(12, 'depopulationTime');
  return out;
}

/** Logical Block Provisioning (B2h, SBC-5 6.6.6). */
export function decodeLogicalBlockProvisioning(bytes: ByteSource): LogicalBlockProvisioningVpd {
  const p = parseHeader(bytes, 0xb2);
  const r = p.r;
  const out: Draft<LogicalBlockProvisioningVpd> = { ...p.header, kind: 'logicalBlockProvisioning' };
  if (r.has(4, 1)) out.thresholdExponent = r.u8(4, 'thresholdExponent');
  if (r.has(5, 1)) {
    out.lbpu = r.bit(5, 7, 'lbpu');
    out.lbpws = r.bit(5, 6, 'lbpws');
    out.lbpws10 = r.bit(5, 5, 'lbpws10');
    out.lbprz = r.bits(5, 2, 3, 'lbprz');
    out.ancSup = r.bit(5, 1, 'ancSup');
    out.dp = r.bit(5, 0, 'dp');
  }
  if (r.has(6, 1)) {
    out.minimumPercentage = r.bits(6, 3, 5, 'minimumPercentage');
    out.provisioningType = r.bits(6, 0, 3, 'provisioningType');
  }
  if (r.has(7, 1)) out.thresholdPercentage = r.u8(7, 'thresholdPercentage');
  if (out.dp === true && r.length > 8) {
    const size = r.has(8, 4) ? 4 + r.u8(11, 'provisioningGroupDescriptor.designatorLength') : 4;
    if (r.has(8, size)) {
      out.provisioningGroupDescriptor = decodeDesignationDescriptor(
        r.bytes.subarray(8, 8 + size),
        'provisioningGroupDescriptor',
      );
    } else {
      shortEntry(p, 'provisioningGroupDescriptor', 8, size);
    }
  }
  return out;
}

/** Referrals (B3h, SBC-5 6.6.7). */
export function decodeReferrals(bytes: ByteSource): ReferralsVpd {
  const p = parseHeader(bytes, 0xb3);
  const r = p.r;
  const out: Draft<ReferralsVpd> = { ...p.header, kind: 'referrals' };
  if (r.has(8, 4)) out.userDataSegmentSize = r.u32(8, 'userDataSegmentSize');
  if (r.has(12, 4)) out.userDataSegmentMultiplier = r.u32(12, 'userDataSegmentMultiplier');
  return out;
}

/** Zoned Block Device Characteristics (B6h, ZBC-2 6.5.2). */
export function decodeZonedBlockDeviceCharacteristics(bytes: ByteSource): ZonedBlockDeviceCharacteristicsVpd {
  const p = parseHeader(bytes, 0xb6);
  const r = p.r;
  const out: Draft<ZonedBlockDeviceCharacteristicsVpd> = {
    ...p.header,
    kind: 'zonedBlockDeviceCharacteristics',
  };
  if (r.has(4, 1)) {
    out.zonedBlockDeviceExtension = r.bits(4, 4, 4, 'zonedBlockDeviceExtension');
    out.aaorb = r.bit(4, 1, 'aaorb');
    out.urswrz = r.bit(4, 0, 'urswrz');
  }
  if (r.has(8, 4)) {
    out.optimalNumberOfOpenSequentialWritePreferredZones = r.u32(
      8,
      'optimalNumberOfOpenSequentialWritePreferredZones',
    );
  }
  if (r.has(12, 4)) {
    out.optimalNumberOfNonSequentiallyWrittenSequentialWritePreferredZones = r.u32(
      12,
      'optimalNumberOfNonSequentiallyWrittenSequentialWritePreferredZones',
    );
  }
  if (r.has(16, 4)) {
    out.maximumNumberOfOpenSequentialWriteRequiredZones = r.u32(
      16,
      'maximumNumberOfOpenSequentialWriteRequiredZones',
    );
  }
  if (r.has(23, 1)) out.zoneAlignmentMethod = r.bits(23, 0, 4, 'zoneAlignmentMethod');
  if (r.has(24, 8)) out.zoneStartingLbaGranularity = r.u64(24, 'zoneStartingLbaGranularity');
  return out;
}

/** Block Limits Extension (B7h, SBC-5 6.6.5). */
export function decodeBlockLimitsExtension(bytes: ByteSource): BlockLimitsExtensionVpd {
  const p = parseHeader(bytes, 0xb7);
  const r = p.r;
  const out: Draft<BlockLimitsExtensionVpd> = { ...p.header, kind: 'blockLimitsExtension' };
  if (r.has(6, 2)) out.maximumNumberOfStreams = r.u16(6, 'maximumNumberOfStreams');
  if (r.has(8, 2)) out.optimalStreamWriteSize = r.u16(8, 'optimalStreamWriteSize');
  if (r.has(10, 4)) out.streamGranularitySize = r.u32(10, 'streamGranularitySize');
  if (r.has(16, 4)) {
    out.maximumScatteredLbaRangeTransferLength = r.u32(16, 'maximumScatteredLbaRangeTransferLength');
  }
  if (r.has(22, 2)) {
    out.maximumScatteredLbaRangeDescriptorCount = r.u16(22, 'maximumScatteredLbaRangeDescriptorCount');
  }
  if (r.has(24, 4)) out.maximumScatteredTransferLength = r.u32(24, 'maximumScatteredTransferLength');
  return out;
}

/** Any page, header and raw bytes only (page code and lengths still checked). */
export function decodeGenericVpdPage(bytes: ByteSource, expectedPageCode?: number): GenericVpdPage {
  const p = parseHeader(bytes, expectedPageCode);
  return { ...p.header, kind: 'generic' };
}

/**
 * Peripheral device types whose B0h-B7h pages are the SBC/ZBC ones. Other types define their own
 * pages at those codes (B0h is Sequential-access Device Capabilities on tape), decoded as generic.
 */
const SBC_DEVICE_TYPES = new Set([0x00, 0x04, 0x07, 0x0e, 0x14]);

const DECODERS: Readonly<Record<number, (bytes: ByteSource) => VpdPage>> = {
  0: decodeSupportedVpdPages,
  128: decodeUnitSerialNumber,
  131: decodeDeviceIdentification,
  134: decodeExtendedInquiry,
  135: decodeModePagePolicy,
  136: decodeScsiPorts,
  137: decodeAtaInformation,
  138: decodePowerCondition,
  143: decodeThirdPartyCopy,
  176: decodeBlockLimits,
  177: decodeBlockDeviceCharacteristics,
  178: decodeLogicalBlockProvisioning,
  179: decodeReferrals,
  182: decodeZonedBlockDeviceCharacteristics,
  183: decodeBlockLimitsExtension,
};

/**
 * Decodes any VPD page, choosing the decoder from byte 1 (and the peripheral device type for B0h-BFh).
 * @param expectedPageCode the page that was asked for; a different page code in the answer is a
 *   DecodeError on `pageCode` (the device ignored EVPD and sent standard INQUIRY data).
 */
export function decodeVpdPage(bytes: ByteSource, expectedPageCode?: number): VpdPage {
  const p = parseHeader(bytes, expectedPageCode);
  const { pageCode, peripheralDeviceType } = p.header;
  const decoder = DECODERS[pageCode];
  if (decoder === undefined || (pageCode >= 0xb0 && !SBC_DEVICE_TYPES.has(peripheralDeviceType))) {
    return { ...p.header, kind: 'generic' };
  }
  return decoder(bytes);
}

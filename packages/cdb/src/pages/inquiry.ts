import { ByteReader, type ByteSource } from '../bytes.js';

/**
 * Standard INQUIRY data (SPC-6 6.7.2, Table 148). Devices return 36 bytes at least (SCSI-2 and later),
 * 96 when they carry version descriptors; ADDITIONAL LENGTH (byte 4) says how many follow byte 4.
 */

/** PERIPHERAL DEVICE TYPE (SPC-6 Table 150), T10 names. */
const PDT_NAMES: readonly string[] = [
  'direct access block device',
  'sequential access device',
  'printer device',
  'processor device',
  'write-once device',
  'CD/DVD device',
  'scanner device',
  'optical memory device',
  'medium changer device',
  'communications device',
  'graphic arts pre-press device',
  'graphic arts pre-press device',
  'storage array controller device',
  'enclosure services device',
  'simplified direct-access device',
  'optical card reader/writer device',
  'bridge controller commands',
  'object-based storage device',
  'automation/drive interface',
  'security manager device',
  'host managed zoned block device',
  'reserved',
  'reserved',
  'reserved',
  'reserved',
  'reserved',
  'reserved',
  'reserved',
  'reserved',
  'reserved',
  'well known logical unit',
  'unknown or no device type',
];

/** The short names sg3_utils prints (`sg_inq`, `lsscsi` style). */
const PDT_SHORT_NAMES: readonly string[] = [
  'disk',
  'tape',
  'printer',
  'processor',
  'write once optical disk',
  'cd/dvd',
  'scanner',
  'optical memory device',
  'medium changer',
  'communications',
  'graphics [0xa]',
  'graphics [0xb]',
  'storage array controller',
  'enclosure services device',
  'simplified direct access device',
  'optical card reader/writer device',
  'bridge controller commands',
  'object based storage',
  'automation/driver interface',
  'security manager device',
  'host managed zoned block',
  '0x15',
  '0x16',
  '0x17',
  '0x18',
  '0x19',
  '0x1a',
  '0x1b',
  '0x1c',
  '0x1d',
  'well known logical unit',
  'no physical device on this lu',
];

/**
 * Name of a PERIPHERAL DEVICE TYPE (0x00-0x1f).
 * @param form `'long'` is the T10 name ('direct access block device'), `'short'` the sg3_utils one ('disk').
 * @default form 'long'
 */
export function peripheralTypeName(code: number, form: 'long' | 'short' = 'long'): string {
  return (form === 'short' ? PDT_SHORT_NAMES : PDT_NAMES)[code & 0x1f] ?? 'reserved';
}

/**
 * VERSION field (SPC-6 Table 149). SPC-6 claims 0Dh, not 08h: 08h-0Ch once encoded ECMA/ISO versions.
 */
export function inquiryVersionName(version: number): string {
  switch (version) {
    case 0x00:
      return 'no conformance claimed';
    case 0x01:
      return 'SCSI-1';
    case 0x02:
      return 'SCSI-2';
    case 0x03:
      return 'SPC';
    case 0x04:
      return 'SPC-2';
    case 0x05:
      return 'SPC-3';
    case 0x06:
      return 'SPC-4';
    case 0x07:
      return 'SPC-5';
    case 0x0d:
      return 'SPC-6';
    default:
      return version >= 0x08 && version <= 0x0c ? 'obsolete' : 'reserved';
  }
}

/** TPGS field (SPC-6 Table 151). */
export function tpgsName(tpgs: number): string {
  return (
    ['not supported', 'implicit ALUA only', 'explicit ALUA only', 'implicit and explicit ALUA'][tpgs & 3] ??
    'not supported'
  );
}

/**
 * Version descriptor families (SPC-6 Table 152 and the T10 "stds.txt" list): each standard owns a block
 * of 32 codes, the first meaning "no version claimed", the others particular revisions/approvals.
 */
const VERSION_FAMILIES: Readonly<Record<number, string>> = {
  32: 'SAM',
  64: 'SAM-2',
  96: 'SAM-3',
  128: 'SAM-4',
  160: 'SAM-5',
  192: 'SAM-6',
  288: 'SPC',
  320: 'MMC',
  352: 'SCC',
  384: 'SBC',
  416: 'SMC',
  448: 'SES',
  480: 'SCC-2',
  512: 'SSC',
  544: 'RBC',
  576: 'MMC-2',
  608: 'SPC-2',
  640: 'OCRW',
  672: 'MMC-3',
  704: 'RMC',
  736: 'SMC-2',
  768: 'SPC-3',
  800: 'SBC-2',
  832: 'OSD',
  864: 'SSC-2',
  896: 'BCC',
  928: 'MMC-4',
  960: 'ADC',
  992: 'SES-2',
  1024: 'SSC-3',
  1056: 'MMC-5',
  1088: 'OSD-2',
  1120: 'SPC-4',
  1152: 'SMC-3',
  1184: 'ADC-2',
  1216: 'SBC-3',
  1248: 'MMC-6',
  1280: 'ADC-3',
  1312: 'SSC-4',
  1376: 'OSD-3',
  1408: 'SES-3',
  1440: 'SSC-5',
  1472: 'SPC-5',
  1504: 'SFSC',
  1536: 'SBC-4',
  1568: 'ZBC',
  1600: 'ADC-4',
  1632: 'ZBC-2',
  1664: 'SES-4',
  2080: 'SSA-TL2',
  2112: 'SSA-TL1',
  2144: 'SSA-S3P',
  2176: 'SSA-S2P',
  2208: 'SIP',
  2240: 'FCP',
  2272: 'SBP-2',
  2304: 'FCP-2',
  2336: 'SST',
  2368: 'SRP',
  2400: 'iSCSI',
  2432: 'SBP-3',
  2464: 'SRP-2',
  2496: 'ADP',
  2528: 'ADT',
  2560: 'FCP-3',
  2592: 'ADT-2',
  2624: 'FCP-4',
  2656: 'ADT-3',
  2720: 'SPI',
  2752: 'Fast-20',
  2784: 'SPI-2',
  2816: 'SPI-3',
  2848: 'EPI',
  2880: 'SPI-4',
  2912: 'SPI-5',
  3040: 'SAS',
  3072: 'SAS-1.1',
  3104: 'SAS-2',
  3136: 'SAS-2.1',
  3168: 'SAS-3',
  3200: 'SAS-4',
  3360: 'FC-PH',
  3392: 'FC-AL',
  3424: 'FC-AL-2',
  3456: 'FC-PH-3',
  3488: 'FC-FS',
  3520: 'FC-PI',
  3552: 'FC-PI-2',
  3584: 'FC-FS-2',
  3616: 'FC-LS',
  3648: 'FC-SP',
  3680: 'FC-PI-3',
  3712: 'FC-PI-4',
  3744: 'FC 10GFC',
  3776: 'FC-SP-2',
  3808: 'FC-FS-3',
  3840: 'FC-LS-2',
  3872: 'FC-PI-5',
  3904: 'FC-PI-6',
  3936: 'FC-FS-4',
  3968: 'FC-LS-3',
  4768: 'FC-SCM',
  4800: 'FC-DA-2',
  4832: 'FC-DA',
  4864: 'FC-Tape',
  4896: 'FC-FLA',
  4928: 'FC-PLDA',
  4960: 'SSA-PH2',
  4992: 'SSA-PH3',
  5280: 'IEEE 1394',
  5312: 'IEEE 1394a',
  5344: 'IEEE 1394b',
  5600: 'ATA/ATAPI-6',
  5632: 'ATA/ATAPI-7',
  5952: 'UAS',
  6016: 'UAS-2',
  7840: 'SAT',
  7872: 'SAT-2',
  7904: 'SAT-3',
  7936: 'SAT-4',
  8352: 'SPL',
  8384: 'SPL-2',
  8416: 'SPL-3',
  8448: 'SPL-4',
  8480: 'SPL-5',
  8672: 'SOP',
  8704: 'PQI',
  8736: 'SOP-2',
  8768: 'PQI-2',
  65472: 'IEEE 1667',
};

/** Codes that name a specific approved standard or a code outside the 32-code family blocks. */
const VERSION_EXACT: Readonly<Record<number, string>> = {
  60: 'SAM ANSI INCITS 270-1996',
  92: 'SAM-2 ANSI INCITS 366-2003',
  119: 'SAM-3 ANSI INCITS 402-2005',
  144: 'SAM-4 ANSI INCITS 447-2008',
  316: 'SPC ANSI INCITS 301-1997',
  412: 'SBC ANSI INCITS 306-1998',
  631: 'SPC-2 ANSI INCITS 351-2001',
  788: 'SPC-3 ANSI INCITS 408-2005',
  829: 'SBC-2 ANSI INCITS 405-2005',
  1126: 'SPC-4 T10/BSR INCITS 513 revision 36',
  1317: 'SSC-4 T10/BSR INCITS 516 revision 3',
  1319: 'SSC-4 ANSI INCITS 516-2013',
  1570: 'ZBC BSR INCITS 536 revision 02',
  1572: 'ZBC BSR INCITS 536 revision 05',
  3069: 'SAS ANSI INCITS 376-2003',
  3089: 'SAS-1.1 ANSI INCITS 417-2006',
  3114: 'SAS-2 ANSI INCITS 457-2010',
  3150: 'SAS-2.1 ANSI INCITS 478-2011',
  3176: 'SAS-3 ANSI INCITS 519-2014',
  2401: 'iSCSI RFC 7143',
  2402: 'iSCSI RFC 7144',
  5629: 'ATA/ATAPI-6 ANSI INCITS 361-2002',
  5660: 'ATA/ATAPI-7 ANSI INCITS 397-2005',
  5664: 'ATA/ATAPI-8 ATA8-AAM (no version claimed)',
  5665: 'ATA/ATAPI-8 ATA8-PT (no version claimed)',
  5666: 'ATA/ATAPI-8 ATA8-AST (no version claimed)',
  5667: 'ATA/ATAPI-8 ATA8-ACS (no version claimed)',
  5672: 'ATA/ATAPI-8 ATA8-AAM ANSI INCITS 451-2008',
  5674: 'ATA/ATAPI-8 ATA8-ACS ANSI INCITS 452-2009 w/ Amendment 1',
  5928: 'Universal Serial Bus Specification, Revision 1.1',
  5929: 'Universal Serial Bus Specification, Revision 2.0',
  5936: 'USB Mass Storage Class Bulk-Only Transport, Revision 1.0',
  5960: 'UAS ANSI INCITS 471-2010',
  5985: 'ACS-2 (no version claimed)',
  5986: 'ACS-2 ANSI INCITS 482-2013',
  5989: 'ACS-3 INCITS 522-2014',
  5991: 'ACS-4 INCITS 529-2018',
  7853: 'SAT ANSI INCITS 431-2007',
  7882: 'SAT-2 ANSI INCITS 465-2010',
  7912: 'SAT-3 ANSI INCITS 517-2015',
  8359: 'SPL ANSI INCITS 476-2011',
  8392: 'SPL-2 ANSI INCITS 505-2013',
  8424: 'SPL-3 ANSI INCITS 492-2015',
  8680: 'SOP ANSI INCITS 489-2014',
  8712: 'PQI ANSI INCITS 490-2014',
  65473: 'IEEE 1667-2006',
  65474: 'IEEE 1667-2009',
  65475: 'IEEE 1667-2015',
  65476: 'IEEE 1667-2018',
};

/**
 * Name of a version descriptor code, or undefined when the code is not in the table. Codes inside a
 * known family but not listed exactly read as e.g. "SPC-4 (revision code 0x3)".
 */
export function versionDescriptorName(code: number): string | undefined {
  const exact = VERSION_EXACT[code];
  if (exact !== undefined) return exact;
  const family = VERSION_FAMILIES[code & 0xffe0];
  if (family === undefined) return undefined;
  const revision = code & 0x1f;
  return revision === 0
    ? `${family} (no version claimed)`
    : `${family} (revision code 0x${revision.toString(16)})`;
}

export interface VersionDescriptor {
  readonly code: number;
  /** Undefined for codes the table does not know. */
  readonly name?: string;
}

/**
 * Decoded standard INQUIRY data. Fields whose bytes the device did not return (short allocation
 * length, or an old device with a short ADDITIONAL LENGTH) are absent.
 */
export interface StandardInquiry {
  readonly peripheralQualifier: number;
  readonly peripheralDeviceType: number;
  /** T10 name of the device type, e.g. 'direct access block device'. */
  readonly peripheralDeviceTypeName: string;
  readonly rmb: boolean;
  /** LU_CONG: the logical unit is a member of a logical unit conglomerate. */
  readonly luCong: boolean;
  /** HOT PLUGGABLE (SPC-6): 0 no information, 1 designed to be removed, 2 not designed to be removed. */
  readonly hotPluggable: number;
  readonly version: number;
  /** 'SPC-4', 'SPC-5', 'SPC-6' … */
  readonly versionName: string;
  /** Obsolete since SPC-3 (asynchronous event reporting capability). */
  readonly aerc: boolean;
  /** Obsolete since SPC-2 (TERMINATE TASK supported). */
  readonly trmtsk: boolean;
  readonly normaca: boolean;
  readonly hisup: boolean;
  /** 2 for every device since SCSI-2; anything else is pre-SCSI-2 or broken. */
  readonly responseDataFormat: number;
  /** ADDITIONAL LENGTH (n-4): the device has additionalLength + 5 bytes of standard INQUIRY data. */
  readonly additionalLength: number;
  readonly sccs?: boolean;
  /** Access controls coordinator (obsolete in SPC-5). */
  readonly acc?: boolean;
  readonly tpgs?: number;
  /** The 3PC bit: third-party copy (EXTENDED COPY and ROD token) commands supported. */
  readonly tpc?: boolean;
  readonly protect?: boolean;
  /** Obsolete (basic task management model). */
  readonly bque?: boolean;
  readonly encserv?: boolean;
  /** Vendor specific bit (byte 6 bit 5). */
  readonly vs?: boolean;
  readonly multip?: boolean;
  /** Obsolete (medium changer). */
  readonly mchngr?: boolean;
  /** SPI only, obsolete. */
  readonly addr16?: boolean;
  /** Obsolete (relative addressing). */
  readonly reladr?: boolean;
  /** SPI only, obsolete. */
  readonly wbus16?: boolean;
  /** SPI only, obsolete. */
  readonly sync?: boolean;
  /** Obsolete (linked commands). */
  readonly linked?: boolean;
  readonly cmdque?: boolean;
  /** Vendor specific bit (byte 7 bit 0). */
  readonly vs2?: boolean;
  /** T10 VENDOR IDENTIFICATION, trailing spaces trimmed. */
  readonly vendor?: string;
  readonly product?: string;
  readonly revision?: string;
  /** Bytes 36-55, vendor specific, as returned (possibly fewer than 20 when cut short). */
  readonly vendorSpecific?: Uint8Array;
  /** SPI only (byte 56). */
  readonly clocking?: number;
  readonly qas?: boolean;
  readonly ius?: boolean;
  /** Bytes 58-73; zero entries (unused slots) are left out. */
  readonly versionDescriptors: readonly VersionDescriptor[];
  /** Bytes 96..n, vendor specific. */
  readonly vendorSpecificTrailer?: Uint8Array;
  /** The device has more data than was returned; re-issue with allocation length `requiredLength`. */
  readonly truncated: boolean;
  readonly requiredLength: number;
  readonly availableLength: number;
}

type Draft<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Decodes standard INQUIRY data. Needs the 5-byte header (DecodeError otherwise); everything after
 * it is decoded as far as the bytes go, limited to ADDITIONAL LENGTH + 5, with `truncated` set
 * when fewer bytes than that were returned.
 */
export function decodeStandardInquiry(bytes: ByteSource): StandardInquiry {
  const all = new ByteReader(bytes);
  const b0 = all.u8(0, 'peripheralDeviceType');
  const b1 = all.u8(1, 'rmb');
  const version = all.u8(2, 'version');
  const b3 = all.u8(3, 'responseDataFormat');
  const additionalLength = all.u8(4, 'additionalLength');
  const requiredLength = additionalLength + 5;
  const r = new ByteReader(all.bytes.subarray(0, Math.min(all.length, requiredLength)));
  const pdt = b0 & 0x1f;
  const out: Draft<StandardInquiry> = {
    peripheralQualifier: b0 >> 5,
    peripheralDeviceType: pdt,
    peripheralDeviceTypeName: peripheralTypeName(pdt),
    rmb: (b1 & 0x80) !== 0,
    luCong: (b1 & 0x40) !== 0,
    hotPluggable: (b1 >> 4) & 0x3,
    version,
    versionName: inquiryVersionName(version),
    aerc: (b3 & 0x80) !== 0,
    trmtsk: (b3 & 0x40) !== 0,
    normaca: (b3 & 0x20) !== 0,
    hisup: (b3 & 0x10) !== 0,
    responseDataFormat: b3 & 0x0f,
    additionalLength,
    versionDescriptors: [],
    truncated: all.length < requiredLength,
    requiredLength,
    availableLength: all.length,
  };
  if (r.has(5, 1)) {
    out.sccs = r.bit(5, 7, 'sccs');
    out.acc = r.bit(5, 6, 'acc');
    out.tpgs = r.bits(5, 4, 2, 'tpgs');
    out.tpc = r.bit(5, 3, 'tpc');
    out.protect = r.bit(5, 0, 'protect');
  }
  if (r.has(6, 1)) {
    out.bque = r.bit(6, 7, 'bque');
    out.encserv = r.bit(6, 6, 'encserv');
    out.vs = r.bit(6, 5, 'vs');
    out.multip = r.bit(6, 4, 'multip');
    out.mchngr = r.bit(6, 3, 'mchngr');
    out.addr16 = r.bit(6, 0, 'addr16');
  }
  if (r.has(7, 1)) {
    out.reladr = r.bit(7, 7, 'reladr');
    out.wbus16 = r.bit(7, 5, 'wbus16');
    out.sync = r.bit(7, 4, 'sync');
    out.linked = r.bit(7, 3, 'linked');
    out.cmdque = r.bit(7, 1, 'cmdque');
    out.vs2 = r.bit(7, 0, 'vs2');
  }
  if (r.has(8, 8)) out.vendor = r.ascii(8, 8, 'vendor');
  if (r.has(16, 16)) out.product = r.ascii(16, 16, 'product');
  if (r.has(32, 4)) out.revision = r.ascii(32, 4, 'revision');
  if (r.length > 36) out.vendorSpecific = r.slice(36, Math.min(20, r.length - 36), 'vendorSpecific');
  if (r.has(56, 1)) {
    out.clocking = r.bits(56, 2, 2, 'clocking');
    out.qas = r.bit(56, 1, 'qas');
    out.ius = r.bit(56, 0, 'ius');
  }
  const descriptors: VersionDescriptor[] = [];
  for (let i = 0; i < 8; i++) {
    const offset = 58 + 2 * i;
    if (!r.has(offset, 2)) break;
    const code = r.u16(offset, `versionDescriptors[${i}]`);
    if (code === 0) continue;
    const name = versionDescriptorName(code);
    descriptors.push(name === undefined ? { code } : { code, name });
  }
  out.versionDescriptors = descriptors;
  if (r.length > 96) out.vendorSpecificTrailer = r.slice(96, r.length - 96, 'vendorSpecificTrailer');
  return out;
}

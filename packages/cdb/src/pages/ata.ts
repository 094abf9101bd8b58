/**
 * ATA data returned through SAT pass-through (ATA PASS-THROUGH(12/16)): IDENTIFY DEVICE (ACS-4),
 * SMART READ DATA and SMART READ THRESHOLDS (the de facto attribute table smartmontools reads).
 * All ATA data is little-endian 16-bit words, unlike SCSI.
 */
import { ByteReader, type ByteSource } from '../bytes.js';

const SECTOR = 512;

/** Little-endian word reader over a 512-byte ATA sector. */
class WordReader {
  readonly bytes: Uint8Array;

  constructor(source: ByteSource, field: string) {
    const r = new ByteReader(source);
    r.need(0, SECTOR, field);
    this.bytes = r.bytes.subarray(0, SECTOR);
  }

  w(i: number): number {
    return (this.bytes[2 * i] as number) | ((this.bytes[2 * i + 1] as number) << 8);
  }

  bit(i: number, bit: number): boolean {
    return ((this.w(i) >> bit) & 1) === 1;
  }

  /** Words first..first+count-1 as one little-endian number (word `first` lowest). */
  words(first: number, count: number): bigint {
    let v = 0n;
    for (let k = count - 1; k >= 0; k--) v = (v << 16n) | BigInt(this.w(first + k));
    return v;
  }

  /** ATA string: each word holds two characters, first character in the high byte. */
  string(first: number, count: number): string {
    let s = '';
    for (let k = 0; k < count; k++) {
      const word = this.w(first + k);
      for (const c of [word >> 8, word & 0xff])
        s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : c === 0 ? ' ' : '.';
    }
    return s.trim();
  }

  checksumOk(): boolean {
    let sum = 0;
    for (const b of this.bytes) sum += b;
    return sum % 256 === 0;
  }
}

/** A word holds valid data when bits 15-14 are 01b (ACS-4 convention for words 83, 84, 87, 106, 209). */
function wordValid(word: number): boolean {
  return (word & 0xc000) === 0x4000;
}

/** NOMINAL FORM FACTOR names (word 168 bits 3-0). */
export const ATA_FORM_FACTOR_NAMES: Readonly<Record<number, string>> = {
  0: 'not reported',
  1: '5.25 inch',
  2: '3.5 inch',
  3: '2.5 inch',
  4: '1.8 inch',
  5: 'less than 1.8 inch',
  6: 'mSATA',
  7: 'M.2',
  8: 'MicroSSD',
  9: 'CFast',
};

/** MAJOR VERSION NUMBER bits (word 80). */
const MAJOR_VERSIONS: ReadonlyArray<readonly [number, string]> = [
  [4, 'ATA/ATAPI-4'],
  [5, 'ATA/ATAPI-5'],
  [6, 'ATA/ATAPI-6'],
  [7, 'ATA/ATAPI-7'],
  [8, 'ATA8-ACS'],
  [9, 'ACS-2'],
  [10, 'ACS-3'],
  [11, 'ACS-4'],
  [12, 'ACS-5'],
];

const SATA_SPEEDS: Readonly<Record<number, string>> = { 1: '1.5 Gb/s', 2: '3.0 Gb/s', 3: '6.0 Gb/s' };

export interface AtaFeature {
  readonly supported: boolean;
  readonly enabled: boolean;
}

/** IDENTIFY DEVICE data, decoded. */
export interface AtaIdentifyData {
  /** Word 0 bit 15 clear: an ATA (not ATAPI) device. */
  readonly ataDevice: boolean;
  /** MODEL NUMBER (words 27-46), byte-swapped back and trimmed. */
  readonly modelNumber: string;
  /** SERIAL NUMBER (words 10-19), trimmed both sides (often right-aligned). */
  readonly serialNumber: string;
  /** FIRMWARE REVISION (words 23-26). */
  readonly firmwareRevision: string;
  /** Standards claimed in word 80, e.g. ['ATA8-ACS', 'ACS-2', 'ACS-3']. */
  readonly majorVersions: readonly string[];
  /** Words 60-61: total addressable sectors for 28-bit commands. */
  readonly lba28Sectors: number;
  /** Word 83 bit 10: 48-bit addressing supported. */
  readonly lba48Supported: boolean;
  /** Words 100-103: total addressable sectors for 48-bit commands. */
  readonly lba48Sectors: bigint;
  /** Usable capacity in logical sectors: words 230-233 when word 69 bit 3 says so, else LBA48, else LBA28. */
  readonly userAddressableSectors: bigint;
  /** Logical sector size in bytes: words 117-118 × 2 when word 106 bit 12 is set, else 512. */
  readonly logicalSectorSize: number;
  /** logicalSectorSize × 2^(word 106 bits 3-0) when word 106 bit 13 is set. */
  readonly physicalSectorSize: number;
  readonly logicalSectorsPerPhysicalSector: number;
  /** Word 209: offset of the first logical sector within the first physical sector. */
  readonly logicalSectorAlignment: number;
  /** userAddressableSectors × logicalSectorSize. */
  readonly capacityBytes: bigint;
  /** Words 108-111 as 16 hex digits (NAA 5 …), absent unless word 84 or 87 bit 8 says a WWN is present. */
  readonly wwn?: string;
  readonly smart: AtaFeature;
  readonly security: AtaFeature & {
    readonly locked: boolean;
    readonly frozen: boolean;
    readonly countExpired: boolean;
    readonly enhancedEraseSupported: boolean;
  };
  readonly writeCache: AtaFeature;
  readonly readLookAhead: AtaFeature;
  readonly trim: {
    /** Word 169 bit 0: DATA SET MANAGEMENT with the TRIM bit. */
    readonly supported: boolean;
    /** Word 69 bit 14: deterministic data after TRIM. */
    readonly deterministicReadAfterTrim: boolean;
    /** Word 69 bit 5: trimmed sectors read as zeros. */
    readonly readZeroAfterTrim: boolean;
  };
  readonly ncq: {
    /** Word 76 bit 8. */
    readonly supported: boolean;
    /** Word 75 bits 4-0 plus one. */
    readonly queueDepth: number;
  };
  /** SATA signalling speeds claimed in word 76 bits 3-1, e.g. ['1.5 Gb/s', '3.0 Gb/s', '6.0 Gb/s']. */
  readonly sataSpeeds: readonly string[];
  /** Negotiated speed from word 77 bits 3-1 (ACS-3), when reported. */
  readonly currentSataSpeed?: string;
  /** NOMINAL MEDIA ROTATION RATE (word 217) as sent. */
  readonly nominalMediaRotationRate: number;
  /** Word 217 = 1: a non-rotating (solid state) device. */
  readonly solidState: boolean;
  /** Word 217 in 0401h-FFFEh: the spindle speed in rpm. */
  readonly rotationRateRpm?: number;
  readonly formFactor: number;
  readonly formFactorName: string;
  /** Word 255 bits 7-0 = A5h: the integrity word is present and `checksumValid` means something. */
  readonly integrityWordPresent: boolean;
  /** Sum of the 512 bytes mod 256 is zero (only checked when the integrity word is present). */
  readonly checksumValid?: boolean;
  /** The 512 bytes as returned (copy), for vendor words and anything not decoded here. */
  readonly bytes: Uint8Array;
}

/** Decodes the 512-byte IDENTIFY DEVICE data. Needs all 512 bytes. */
export function decodeAtaIdentify(source: ByteSource): AtaIdentifyData {
  const d = new WordReader(source, 'identifyDevice');
  const w80 = d.w(80);
  const majorVersions =
    w80 === 0 || w80 === 0xffff
      ? []
      : MAJOR_VERSIONS.filter(([b]) => ((w80 >> b) & 1) === 1).map(([, n]) => n);
  const w83ok = wordValid(d.w(83));
  const w84ok = wordValid(d.w(84));
  const w87ok = wordValid(d.w(87));
  const cmdSet1 = w83ok ? d.w(82) : 0;
  const enabled1 = w87ok ? d.w(85) : 0;
  const lba28Sectors = Number(d.words(60, 2));
  const lba48Supported = w83ok && d.bit(83, 10);
  const lba48Sectors = d.words(100, 4);
  let sectors = BigInt(lba28Sectors);
  if (d.bit(69, 3)) sectors = d.words(230, 4);
  else if (lba48Supported) sectors = lba48Sectors;
  const w106 = d.w(106);
  const w106ok = wordValid(w106);
  let logicalSectorSize = SECTOR;
  if (w106ok && (w106 & 0x1000) !== 0) {
    const words = Number(d.words(117, 2));
    if (words > 0) logicalSectorSize = words * 2;
  }
  const perPhysical = w106ok && (w106 & 0x2000) !== 0 ? 2 ** (w106 & 0x0f) : 1;
  const w209 = d.w(209);
  const w128 = d.w(128);
  const w76 = d.w(76);
  const sataValid = w76 !== 0 && w76 !== 0xffff;
  const sataSpeeds = sataValid
    ? [1, 2, 3].filter((b) => ((w76 >> b) & 1) === 1).map((b) => SATA_SPEEDS[b] as string)
    : [];
  const currentSpeed = sataValid ? SATA_SPEEDS[(d.w(77) >> 1) & 7] : undefined;
  const w217 = d.w(217);
  const formFactor = d.w(168) & 0x0f;
  const integrityWordPresent = (d.w(255) & 0xff) === 0xa5;
  const wwnPresent = (w87ok && d.bit(87, 8)) || (w84ok && d.bit(84, 8));
  const out: { -readonly [K in keyof AtaIdentifyData]: AtaIdentifyData[K] } = {
    ataDevice: !d.bit(0, 15),
    modelNumber: d.string(27, 20),
    serialNumber: d.string(10, 10),
    firmwareRevision: d.string(23, 4),
    majorVersions,
    lba28Sectors,
    lba48Supported,
    lba48Sectors,
    userAddressableSectors: sectors,
    logicalSectorSize,
    physicalSectorSize: logicalSectorSize * perPhysical,
    logicalSectorsPerPhysicalSector: perPhysical,
    logicalSectorAlignment: wordValid(w209) ? w209 & 0x3fff : 0,
    capacityBytes: sectors * BigInt(logicalSectorSize),
    smart: { supported: (cmdSet1 & 0x0001) !== 0, enabled: (enabled1 & 0x0001) !== 0 },
    security: {
      supported: (cmdSet1 & 0x0002) !== 0 || (w128 & 0x0001) !== 0,
      enabled: (w128 & 0x0002) !== 0,
      locked: (w128 & 0x0004) !== 0,
      frozen: (w128 & 0x0008) !== 0,
      countExpired: (w128 & 0x0010) !== 0,
      enhancedEraseSupported: (w128 & 0x0020) !== 0,
    },
    writeCache: { supported: (cmdSet1 & 0x0020) !== 0, enabled: (enabled1 & 0x0020) !== 0 },
    readLookAhead: { supported: (cmdSet1 & 0x0040) !== 0, enabled: (enabled1 & 0x0040) !== 0 },
    trim: {
      supported: d.bit(169, 0),
      deterministicReadAfterTrim: d.bit(69, 14),
      readZeroAfterTrim: d.bit(69, 5),
    },
    ncq: { supported: sataValid && (w76 & 0x0100) !== 0, queueDepth: (d.w(75) & 0x1f) + 1 },
    sataSpeeds,
    nominalMediaRotationRate: w217,
    solidState: w217 === 1,
    formFactor,
    formFactorName: ATA_FORM_FACTOR_NAMES[formFactor] ?? 'reserved',
    integrityWordPresent,
    bytes: d.bytes.slice(),
  };
  if (wwnPresent) {
    out.wwn = [108, 109, 110, 111].map((i) => d.w(i).toString(16).padStart(4, '0')).join('');
  }
  if (currentSpeed !== undefined) out.currentSataSpeed = currentSpeed;
  if (w217 >= 0x0401 && w217 <= 0xfffe) out.rotationRateRpm = w217;
  if (integrityWordPresent) out.checksumValid = d.checksumOk();
  return out;
}

/** Attribute names for common IDs (smartmontools' defaults; vendors reuse some IDs differently). */
export const SMART_ATTRIBUTE_NAMES: Readonly<Record<number, string>> = {
  1: 'Raw_Read_Error_Rate',
  2: 'Throughput_Performance',
  3: 'Spin_Up_Time',
  4: 'Start_Stop_Count',
  5: 'Reallocated_Sector_Ct',
  7: 'Seek_Error_Rate',
  8: 'Seek_Time_Performance',
  9: 'Power_On_Hours',
  10: 'Spin_Retry_Count',
  11: 'Calibration_Retry_Count',
  12: 'Power_Cycle_Count',
  177: 'Wear_Leveling_Count',
  179: 'Used_Rsvd_Blk_Cnt_Tot',
  181: 'Program_Fail_Cnt_Total',
  182: 'Erase_Fail_Count_Total',
  183: 'Runtime_Bad_Block',
  184: 'End-to-End_Error',
  187: 'Reported_Uncorrect',
  188: 'Command_Timeout',
  189: 'High_Fly_Writes',
  190: 'Airflow_Temperature_Cel',
  191: 'G-Sense_Error_Rate',
  192: 'Power-Off_Retract_Count',
  193: 'Load_Cycle_Count',
  194: 'Temperature_Celsius',
  195: 'Hardware_ECC_Recovered',
  196: 'Reallocated_Event_Count',
  197: 'Current_Pending_Sector',
  198: 'Offline_Uncorrectable',
  199: 'UDMA_CRC_Error_Count',
  200: 'Multi_Zone_Error_Rate',
  220: 'Disk_Shift',
  222: 'Loaded_Hours',
  223: 'Load_Retry_Count',
  224: 'Load_Friction',
  226: 'Load-in_Time',
  240: 'Head_Flying_Hours',
  241: 'Total_LBAs_Written',
  242: 'Total_LBAs_Read',
};

/** OFF-LINE DATA COLLECTION STATUS names (bits 6-0 of byte 362). */
export const OFFLINE_DATA_COLLECTION_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'never started',
  2: 'completed without error',
  3: 'in progress',
  4: 'suspended by an interrupting command from host',
  5: 'aborted by an interrupting command from host',
  6: 'aborted by the device with a fatal error',
};

/** SELF-TEST EXECUTION STATUS names (bits 7-4 of byte 363). */
export const SELF_TEST_EXECUTION_STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'completed without error or no self-test has ever been run',
  1: 'aborted by the host',
  2: 'interrupted by the host with a hardware or software reset',
  3: 'fatal error or unknown test error',
  4: 'completed with an unknown test element failure',
  5: 'completed with an electrical element failure',
  6: 'completed with a servo/seek element failure',
  7: 'completed with a read element failure',
  8: 'completed, handling damage suspected',
  15: 'in progress',
};

export interface SmartAttribute {
  readonly id: number;
  /** smartmontools' default name, absent for IDs without a common meaning. */
  readonly name?: string;
  /** Flags word as sent. */
  readonly flags: number;
  /** Bit 0: pre-failure (a value at or below threshold predicts failure); clear = old age. */
  readonly prefailure: boolean;
  /** Bit 1: updated during normal operation (not only off-line). */
  readonly online: boolean;
  readonly performance: boolean;
  readonly errorRate: boolean;
  readonly eventCount: boolean;
  readonly selfPreserving: boolean;
  /** Normalized current value (1-253, higher is better). */
  readonly current: number;
  readonly worst: number;
  /** 48-bit raw value, little-endian bytes 5-10; its meaning is vendor specific. */
  readonly raw: bigint;
  /** The 12 bytes of the entry as sent. */
  readonly bytes: Uint8Array;
  /** From SMART READ THRESHOLDS when given to the decoder. */
  readonly threshold?: number;
  /** threshold given, non-zero, and current ≤ threshold: the attribute is failing now. */
  readonly failingNow?: boolean;
  /** threshold given, non-zero, and worst ≤ threshold: it failed at some time (smartctl's "In_the_past"). */
  readonly failedInPast?: boolean;
  /**
   * smartctl -A's WHEN_FAILED: 'FAILING_NOW' when failing now, else 'In_the_past' when the worst
   * value once was at or below the threshold, else '' (threshold given) — absent without thresholds.
   */
  readonly whenFailed?: 'FAILING_NOW' | 'In_the_past' | '';
}

/** SMART READ DATA (512 bytes). */
export interface AtaSmartData {
  /** Bytes 0-1: data structure revision. */
  readonly revision: number;
  /** Non-empty attribute slots (ID ≠ 0) in table order. */
  readonly attributes: readonly SmartAttribute[];
  /** Byte 362 as sent. */
  readonly offlineDataCollectionStatus: number;
  /** Bit 7 of byte 362: automatic off-line data collection enabled. */
  readonly autoOfflineEnabled: boolean;
  /** Name of bits 6-0; 'vendor specific' for 40h-7Fh, else 'reserved' when unassigned. */
  readonly offlineDataCollectionStatusName: string;
  /** Byte 363 bits 7-4. */
  readonly selfTestExecutionStatus: number;
  readonly selfTestExecutionStatusName: string;
  /** Byte 363 bits 3-0 × 10: percent of the running self-test left. */
  readonly selfTestPercentRemaining: number;
  /** Seconds to complete off-line data collection (bytes 364-365). */
  readonly totalTimeToCompleteOfflineDataCollection: number;
  readonly offlineDataCollectionCapability: number;
  readonly smartCapability: number;
  /** Byte 370 bit 0: SMART error logging supported. */
  readonly errorLoggingSupported: boolean;
  /** Minutes. */
  readonly shortSelfTestPollingTime: number;
  /** Minutes; from bytes 375-376 when byte 373 is FFh. */
  readonly extendedSelfTestPollingTime: number;
  /** Minutes. */
  readonly conveyanceSelfTestPollingTime: number;
  /** Byte 511. */
  readonly checksum: number;
  /** Sum of all 512 bytes mod 256 is zero. */
  readonly checksumValid: boolean;
}

/** SMART READ THRESHOLDS (512 bytes; obsolete in ACS but still answered by most drives). */
export interface AtaSmartThresholds {
  readonly revision: number;
  /** Threshold per attribute ID (slots with ID 0 skipped). */
  readonly thresholds: ReadonlyMap<number, number>;
  readonly checksum: number;
  readonly checksumValid: boolean;
}

/** Decodes SMART READ THRESHOLDS data. Needs all 512 bytes. */
export function decodeAtaSmartThresholds(source: ByteSource): AtaSmartThresholds {
  const d = new WordReader(source, 'smartThresholds');
  const thresholds = new Map<number, number>();
  for (let i = 0; i < 30; i++) {
    const off = 2 + i * 12;
    const id = d.bytes[off] as number;
    if (id !== 0) thresholds.set(id, d.bytes[off + 1] as number);
  }
  return {
    revision: d.w(0),
    thresholds,
    checksum: d.bytes[511] as number,
    checksumValid: d.checksumOk(),
  };
}

/**
 * Decodes SMART READ DATA. Needs all 512 bytes. Pass decoded SMART READ THRESHOLDS to annotate each
 * attribute with its threshold and a failing-now flag.
 */
export function decodeAtaSmartData(source: ByteSource, thresholds?: AtaSmartThresholds): AtaSmartData {
  const d = new WordReader(source, 'smartData');
  const b = d.bytes;
  const attributes: SmartAttribute[] = [];
  for (let i = 0; i < 30; i++) {
    const off = 2 + i * 12;
    const id = b[off] as number;
    if (id === 0) continue;
    const flags = (b[off + 1] as number) | ((b[off + 2] as number) << 8);
    let raw = 0n;
    for (let k = 10; k >= 5; k--) raw = (raw << 8n) | BigInt(b[off + k] as number);
    const current = b[off + 3] as number;
    const attr: { -readonly [K in keyof SmartAttribute]: SmartAttribute[K] } = {
      id,
      flags,
      prefailure: (flags & 0x01) !== 0,
      online: (flags & 0x02) !== 0,
      performance: (flags & 0x04) !== 0,
      errorRate: (flags & 0x08) !== 0,
      eventCount: (flags & 0x10) !== 0,
      selfPreserving: (flags & 0x20) !== 0,
      current,
      worst: b[off + 4] as number,
      raw,
      bytes: b.slice(off, off + 12),
    };
    const name = SMART_ATTRIBUTE_NAMES[id];
    if (name !== undefined) attr.name = name;
    const threshold = thresholds?.thresholds.get(id);
    if (threshold !== undefined) {
      attr.threshold = threshold;
      attr.failingNow = threshold !== 0 && current <= threshold;
      attr.failedInPast = threshold !== 0 && attr.worst <= threshold;
      attr.whenFailed = attr.failingNow ? 'FAILING_NOW' : attr.failedInPast ? 'In_the_past' : '';
    }
    attributes.push(attr);
  }
  const ods = b[362] as number;
  const odsCode = ods & 0x7f;
  const ste = b[363] as number;
  const steCode = ste >> 4;
  const ext = b[373] as number;
  return {
    revision: d.w(0),
    attributes,
    offlineDataCollectionStatus: ods,
    autoOfflineEnabled: (ods & 0x80) !== 0,
    offlineDataCollectionStatusName:
      OFFLINE_DATA_COLLECTION_STATUS_NAMES[odsCode] ?? (odsCode >= 0x40 ? 'vendor specific' : 'reserved'),
    selfTestExecutionStatus: steCode,
    selfTestExecutionStatusName: SELF_TEST_EXECUTION_STATUS_NAMES[steCode] ?? 'reserved',
    selfTestPercentRemaining: (ste & 0x0f) * 10,
    totalTimeToCompleteOfflineDataCollection: (b[364] as number) | ((b[365] as number) << 8),
    offlineDataCollectionCapability: b[367] as number,
    smartCapability: (b[368] as number) | ((b[369] as number) << 8),
    errorLoggingSupported: ((b[370] as number) & 1) !== 0,
    shortSelfTestPollingTime: b[372] as number,
    extendedSelfTestPollingTime: ext === 0xff ? (b[375] as number) | ((b[376] as number) << 8) : ext,
    conveyanceSelfTestPollingTime: b[374] as number,
    checksum: b[511] as number,
    checksumValid: d.checksumOk(),
  };
}

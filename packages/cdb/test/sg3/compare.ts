/**
 * Field-by-field comparisons of our decoders with sg3_utils' text decoding of the same bytes. Used
 * by the host suite (sg3_utils reads the bytes with --inhex) and the lab suites (sg3_utils reads the
 * live device, we decode its --raw output). Every function fails on the first disagreement.
 */
import { expect } from 'vitest';
import {
  type DesignationDescriptor,
  decodeGetLbaStatus,
  decodeLogPage,
  decodeLun,
  decodePrReadKeys,
  decodePrReportCapabilities,
  decodeReadCapacity16,
  decodeReportLuns,
  decodeSense,
  decodeStandardInquiry,
  decodeSupportedOpcodesAll,
  decodeVpdPage,
  hex,
  type StandardSense,
  T10_ASC_ASCQ,
} from '../../src/index.js';
import {
  classifyOurDescription,
  classifySgAscLine,
  leadingNumber,
  parseColonLines,
  parseKeyValues,
  parseSgDecodeSense,
  parseSgGetLbaStatusBrief,
  parseSgInqStandard,
  parseSgSupportedVpdAcronyms,
  parseSgVpdDeviceId,
  requireKey,
  SG_CODE_SETS,
  SG_DESIGNATOR_TYPES,
} from './parse.js';

const num = (v: boolean | number | undefined): number | undefined => (typeof v === 'boolean' ? Number(v) : v);

/** Compares every `KEY=value` sg3_utils printed that `keys` maps to one of our fields. */
function expectKeyValues(
  printed: Map<string, number>,
  ours: Record<string, unknown>,
  keys: Readonly<Record<string, string>>,
  context: string,
): number {
  let compared = 0;
  for (const [sgKey, field] of Object.entries(keys)) {
    const v = printed.get(sgKey);
    if (v === undefined) continue;
    expect(num(ours[field] as boolean | number | undefined), `${context}: ${sgKey} vs ${field}`).toBe(v);
    compared++;
  }
  return compared;
}

// ---------------------------------------------------------------------------------------------
// Standard INQUIRY

const INQ_KEYS: Readonly<Record<string, string>> = {
  PQual: 'peripheralQualifier',
  PDT: 'peripheralDeviceType',
  RMB: 'rmb',
  LU_CONG: 'luCong',
  hot_pluggable: 'hotPluggable',
  version: 'version',
  AERC: 'aerc',
  TrmTsk: 'trmtsk',
  NormACA: 'normaca',
  HiSUP: 'hisup',
  Resp_data_format: 'responseDataFormat',
  SCCS: 'sccs',
  ACC: 'acc',
  TPGS: 'tpgs',
  '3PC': 'tpc',
  Protect: 'protect',
  BQue: 'bque',
  EncServ: 'encserv',
  MultiP: 'multip',
  VS: 'vs',
  MChngr: 'mchngr',
  Addr16: 'addr16',
  RelAdr: 'reladr',
  WBus16: 'wbus16',
  Sync: 'sync',
  Linked: 'linked',
  CmdQue: 'cmdque',
  Clocking: 'clocking',
  QAS: 'qas',
  IUS: 'ius',
};

export function compareStandardInquiry(bytes: Uint8Array, sgText: string): void {
  const sg = parseSgInqStandard(sgText);
  const ours = decodeStandardInquiry(bytes);
  const compared = expectKeyValues(sg.flags, ours as unknown as Record<string, unknown>, INQ_KEYS, 'INQUIRY');
  expect(compared, 'INQUIRY flags compared').toBeGreaterThanOrEqual(25);
  expect(requireKey(sg.flags, 'length', sgText)).toBe(ours.additionalLength + 5);
  expect(ours.vendor ?? '').toBe(sg.vendor.trim());
  expect(ours.product ?? '').toBe(sg.product.trim());
  expect(ours.revision ?? '').toBe(sg.revision.trim());
  expect(ours.versionName, 'version name').toBe(sg.versionName);
  // sg_inq -d lists descriptors as "SAM-6 (no version claimed)" … (sg_lib_data.c version_desc_arr).
  expect(
    ours.versionDescriptors.map((d) => d.name),
    'version descriptors',
  ).toEqual(sg.versionDescriptors);
}

// ---------------------------------------------------------------------------------------------
// VPD pages

function compareDesignator(
  ours: DesignationDescriptor,
  sg: ReturnType<typeof parseSgVpdDeviceId>[number],
): void {
  const ctx = `designator ${ours.designatorTypeName} (${ours.canonical})`;
  expect(SG_DESIGNATOR_TYPES[sg.typeName], `${ctx}: type "${sg.typeName}"`).toBe(ours.designatorType);
  expect(SG_CODE_SETS[sg.codeSetName], `${ctx}: code set`).toBe(ours.codeSet);
  expect(sg.association, `${ctx}: association`).toBe(ours.association);
  expect(sg.transport !== undefined, `${ctx}: protocol shown`).toBe(ours.protocolIdentifier !== undefined);
  const line = (label: string): string => {
    const l = sg.lines.find((x) => x.startsWith(`${label}:`));
    if (l === undefined) throw new Error(`${ctx}: sg_vpd printed no "${label}:" in ${sg.lines.join(' | ')}`);
    return l.slice(label.length + 1).trim();
  };
  const d = ours.decoded;
  switch (ours.designatorType) {
    case 0:
      expect(line('vendor specific'), ctx).toBe(ours.canonical);
      break;
    case 1:
      if (d.kind !== 't10VendorId') throw new Error(`${ctx}: decoded as ${d.kind}`);
      expect(line('vendor id'), ctx).toBe(d.t10VendorIdentification.trim());
      expect(line('vendor specific'), ctx).toBe(d.vendorSpecificIdentifier);
      // sg_vpd prints the 8-byte T10 VENDOR IDENTIFICATION as is; our canonical form keeps its blanks.
      expect(ours.canonical, ctx).toBe(
        `t10.${line('vendor id').padEnd(8, ' ')}${d.vendorSpecificIdentifier}`,
      );
      break;
    case 2:
      expect(sg.lines[0], ctx).toBe(`0x${hex(ours.designator)}`);
      expect(ours.canonical, ctx).toBe(`eui.${hex(ours.designator)}`);
      break;
    case 3:
      expect(sg.lines[0], ctx).toBe(`0x${hex(ours.designator)}`);
      expect(ours.canonical, ctx).toBe(`naa.${hex(ours.designator)}`);
      break;
    case 4:
      if (d.kind !== 'relativeTargetPort') throw new Error(`${ctx}: decoded as ${d.kind}`);
      expect(Number(line('Relative target port')), ctx).toBe(d.relativeTargetPortIdentifier);
      break;
    case 5:
      if (d.kind !== 'targetPortGroup') throw new Error(`${ctx}: decoded as ${d.kind}`);
      expect(Number(line('Target port group')), ctx).toBe(d.targetPortGroup);
      break;
    case 6:
      if (d.kind !== 'logicalUnitGroup') throw new Error(`${ctx}: decoded as ${d.kind}`);
      expect(Number(line('Logical unit group')), ctx).toBe(d.logicalUnitGroup);
      break;
    case 8:
      if (d.kind !== 'scsiNameString') throw new Error(`${ctx}: decoded as ${d.kind}`);
      expect(sg.lines[0], ctx).toBe('SCSI name string:');
      expect(sg.lines[1], ctx).toBe(d.scsiNameString);
      break;
    case 0xa:
      if (d.kind !== 'uuid') throw new Error(`${ctx}: decoded as ${d.kind}`);
      expect(line('Locally assigned UUID'), ctx).toBe(d.uuid);
      break;
    default:
      throw new Error(`${ctx}: no comparison for designator type ${ours.designatorType}`);
  }
}

const B0_LABELS: Readonly<Record<string, string>> = {
  'Write same non-zero (WSNZ)': 'wsnz',
  'Maximum compare and write length': 'maximumCompareAndWriteLength',
  'Optimal transfer length granularity': 'optimalTransferLengthGranularity',
  'Maximum transfer length': 'maximumTransferLength',
  'Optimal transfer length': 'optimalTransferLength',
  'Maximum prefetch transfer length': 'maximumPrefetchLength',
  'Maximum unmap LBA count': 'maximumUnmapLbaCount',
  'Maximum unmap block descriptor count': 'maximumUnmapBlockDescriptorCount',
  'Optimal unmap granularity': 'optimalUnmapGranularity',
  'Unmap granularity alignment': 'unmapGranularityAlignment',
  'Maximum write same length': 'maximumWriteSameLength',
  'Maximum atomic transfer length': 'maximumAtomicTransferLength',
  'Atomic alignment': 'atomicAlignment',
  'Atomic transfer length granularity': 'atomicTransferLengthGranularity',
  'Maximum atomic transfer length with atomic boundary': 'maximumAtomicTransferLengthWithAtomicBoundary',
  'Maximum atomic boundary size': 'maximumAtomicBoundarySize',
};

const B2_LABELS: Readonly<Record<string, string>> = {
  'Unmap command supported (LBPU)': 'lbpu',
  'Write same (16) with unmap bit supported (LBPWS)': 'lbpws',
  'Write same (10) with unmap bit supported (LBPWS10)': 'lbpws10',
  'Logical block provisioning read zeros (LBPRZ)': 'lbprz',
  'Anchored LBAs supported (ANC_SUP)': 'ancSup',
  'Threshold exponent': 'thresholdExponent',
  'Descriptor present (DP)': 'dp',
  'Minimum percentage': 'minimumPercentage',
  'Provisioning type': 'provisioningType',
  'Threshold percentage': 'thresholdPercentage',
};

const EI_KEYS: Readonly<Record<string, string>> = {
  ACTIVATE_MICROCODE: 'activateMicrocode',
  SPT: 'spt',
  GRD_CHK: 'grdChk',
  APP_CHK: 'appChk',
  REF_CHK: 'refChk',
  UASK_SUP: 'uaskSup',
  GROUP_SUP: 'groupSup',
  PRIOR_SUP: 'priorSup',
  HEADSUP: 'headSup',
  ORDSUP: 'ordSup',
  SIMPSUP: 'simpSup',
  WU_SUP: 'wuSup',
  CRD_SUP: 'crdSup',
  NV_SUP: 'nvSup',
  V_SUP: 'vSup',
  NO_PI_CHK: 'noPiChk',
  P_I_I_SUP: 'pIISup',
  LUICLR: 'luiclr',
  LU_COLL_TYPE: 'luCollType',
  R_SUP: 'rSup',
  RTD_SUP: 'rtdSup',
  HSSRELEF: 'hssrelef',
  CBCS: 'cbcs',
  POA_SUP: 'poaSup',
  HRA_SUP: 'hraSup',
  VSA_SUP: 'vsaSup',
  DMS_VALID: 'dmsValid',
  IBS: 'ibs',
  IAS: 'ias',
  SAC: 'sac',
  NRD1: 'nrd1',
  NRD0: 'nrd0',
  DM_MD_4: 'dmMd4',
  DM_MD_5: 'dmMd5',
  DM_MD_6: 'dmMd6',
  DM_MD_7: 'dmMd7',
  DM_MD_D: 'dmMdD',
  DM_MD_E: 'dmMdE',
  DM_MD_F: 'dmMdF',
};

const B1_KEYS: Readonly<Record<string, string>> = {
  WABEREQ: 'wabereq',
  WACEREQ: 'wacereq',
  ZONED: 'zoned',
  RBWZ: 'rbwz',
  BOCS: 'bocs',
  FUAB: 'fuab',
  VBULS: 'vbuls',
  DEPOPULATION_TIME: 'depopulationTime',
};

/**
 * Compares one VPD page. `acronyms` maps sg_vpd's page acronyms to codes (from `sg_vpd -e`).
 * Returns the page code compared.
 */
export function compareVpdPage(bytes: Uint8Array, sgText: string, acronyms: Map<string, number>): number {
  const page = decodeVpdPage(bytes);
  const rec = page as unknown as Record<string, unknown>;
  switch (page.kind) {
    case 'supportedVpdPages': {
      const codes = parseSgSupportedVpdAcronyms(sgText).map((a) => acronyms.get(a));
      expect(codes).toEqual(page.supportedPages);
      break;
    }
    case 'unitSerialNumber':
      expect(requireKey(parseColonLines(sgText), 'Unit serial number', sgText).trim()).toBe(
        page.productSerialNumber,
      );
      break;
    case 'deviceIdentification': {
      const sg = parseSgVpdDeviceId(sgText);
      // sg_vpd's "di" groups designators by association, in page order within each group.
      const ours = [...page.designators].sort((a, b) => a.association - b.association);
      expect(sg.length, 'designator count').toBe(ours.length);
      ours.forEach((d, i) => {
        const s = sg[i];
        if (s !== undefined) compareDesignator(d, s);
      });
      break;
    }
    case 'extendedInquiry': {
      const kv = parseKeyValues(sgText);
      expect(expectKeyValues(kv, rec, EI_KEYS, 'Extended INQUIRY')).toBeGreaterThanOrEqual(35);
      const m = (re: RegExp): number => Number(re.exec(sgText)?.[1] ?? Number.NaN);
      expect(m(/Multi I_T nexus microcode download=(\d+)/u)).toBe(page.multiITNexusMicrocodeDownload);
      expect(m(/Extended self-test completion minutes=(\d+)/u)).toBe(page.extendedSelfTestCompletionMinutes);
      expect(m(/Maximum supported sense data length=(\d+)/u)).toBe(page.maximumSupportedSenseDataLength);
      expect(m(/Maximum inquiry change logs=(\d+)/u)).toBe(page.maximumInquiryChangeLogs);
      expect(m(/Maximum mode page change logs=(\d+)/u)).toBe(page.maximumModePageChangeLogs);
      break;
    }
    case 'blockLimits': {
      const lines = parseColonLines(sgText);
      let compared = 0;
      for (const [label, field] of Object.entries(B0_LABELS)) {
        const v = lines.get(label);
        if (v === undefined) continue;
        const ours = rec[field] as boolean | number | bigint | undefined;
        expect(ours, `${label} missing in ours`).toBeDefined();
        const theirs = leadingNumber(v);
        const mine = BigInt(typeof ours === 'boolean' ? Number(ours) : (ours ?? -1));
        // `-1 [unbounded]`: an all-ones 32- or 64-bit field.
        if (theirs === -1n) expect([0xffffffffn, 0xffffffffffffffffn], label).toContain(mine);
        else expect(theirs, label).toBe(mine);
        compared++;
      }
      expect(compared, 'block limits fields compared').toBeGreaterThanOrEqual(10);
      expect(lines.get('Unmap granularity alignment valid')).toBe(String(page.ugavalid));
      break;
    }
    case 'blockDeviceCharacteristics': {
      const rpm = /Nominal rotation rate: (\d+) rpm/u.exec(sgText);
      const expectedRate = rpm !== null ? Number(rpm[1]) : sgText.includes('Non-rotating medium') ? 1 : 0;
      expect(page.mediumRotationRate).toBe(expectedRate);
      expect(expectKeyValues(parseKeyValues(sgText), rec, B1_KEYS, 'Block device characteristics')).toBe(8);
      if (sgText.includes('Nominal form factor not reported')) expect(page.nominalFormFactor).toBe(0);
      break;
    }
    case 'logicalBlockProvisioning': {
      const lines = parseColonLines(sgText);
      let compared = 0;
      for (const [label, field] of Object.entries(B2_LABELS)) {
        const v = requireKey(lines, label, sgText);
        expect(leadingNumber(v), label).toBe(BigInt(num(rec[field] as boolean | number) ?? -1));
        compared++;
      }
      expect(compared).toBe(10);
      const pg = page.provisioningGroupDescriptor;
      if (pg !== undefined) {
        expect(sgText).toContain(`0x${hex(pg.designator)}`);
        expect(pg.canonical).toBe(`naa.${hex(pg.designator)}`);
      } else {
        expect(sgText).not.toContain('Provisioning group descriptor');
      }
      break;
    }
    default:
      throw new Error(`no sg_vpd comparison for page ${page.pageCode.toString(16)}h`);
  }
  return page.pageCode;
}

// ---------------------------------------------------------------------------------------------
// Sense data

const T10_CODES = new Set(T10_ASC_ASCQ.map(([c]) => c));

/**
 * sg3_utils' sense key names (sg_lib_data.c sg_lib_sense_key_desc) in upper case, where they differ
 * from ours: sg3_utils appends the code to "Vendor Specific(9)", and calls 0Ch "Equal", which SPC-6
 * Table 52 lists as obsolete (EQUAL was SCSI-2's SEARCH DATA result). Both are cosmetic; listed
 * here so any other difference still fails.
 */
const SENSE_KEY_NAME_DIFFERENCES: Readonly<Record<number, readonly [sg: string, ours: string]>> = {
  9: ['VENDOR SPECIFIC(9)', 'VENDOR SPECIFIC'],
  12: ['EQUAL', 'OBSOLETE'],
};

export function compareSense(bytes: Uint8Array, sgText: string): StandardSense {
  const sg = parseSgDecodeSense(sgText);
  const ours = decodeSense(bytes);
  if (ours.format === 'vendor') throw new Error('vendor-format sense has no sg_decode_sense comparison');
  expect(ours.format).toBe(sg.format);
  expect(ours.deferred).toBe(sg.deferred);
  const known = SENSE_KEY_NAME_DIFFERENCES[ours.senseKey];
  if (known !== undefined) {
    expect([sg.senseKeyName.toUpperCase(), ours.senseKeyName]).toEqual([...known]);
  } else {
    expect(ours.senseKeyName, 'sense key name').toBe(sg.senseKeyName.toUpperCase());
  }
  const sgClass = classifySgAscLine(sg.ascLine);
  const ourClass = classifyOurDescription(ours.description);
  const code = (ours.asc << 8) | ours.ascq;
  if (sgClass.kind === 'reserved' && ourClass.kind === 'known' && T10_CODES.has(code)) {
    // Version skew, not a disagreement: our table follows T10 asc-num.txt of 2024-11-28, sg3_utils
    // 1.46 (2021) does not know the newer pairs (e.g. 67h/0Eh "Feature not enabled").
    expect(sgClass).toEqual({ kind: 'reserved', asc: ours.asc, ascq: ours.ascq });
  } else {
    expect(ourClass, `asc ${ours.asc} ascq ${ours.ascq}`).toEqual(sgClass);
  }
  if (ours.format === 'fixed') {
    // sg_decode_sense shows a non-zero INFORMATION field even with VALID=0, prefixed "Valid=0, ".
    expect(sg.informationValid, 'fixed VALID').toBe(ours.valid);
    if (ours.valid) expect(sg.information, 'fixed INFORMATION').toBe(ours.information);
    else expect(ours.information).toBeUndefined();
  } else {
    const info = ours.descriptors.find((d) => d.kind === 'information');
    expect(sg.information, 'information descriptor').toBe(
      info?.kind === 'information' ? info.information : undefined,
    );
    expect(sg.informationValid, 'information descriptor VALID').toBe(
      info?.kind === 'information' && info.valid,
    );
    expect(ours.valid, 'VALID from the information descriptor').toBe(sg.informationValid);
    const csi = ours.descriptors.find((d) => d.kind === 'commandSpecificInformation');
    expect(sg.commandSpecific, 'command-specific descriptor').toBe(
      csi?.kind === 'commandSpecificInformation' ? csi.commandSpecificInformation : undefined,
    );
  }
  expect(sg.fru, 'FRU code').toBe(ours.fru);
  return ours;
}

// ---------------------------------------------------------------------------------------------
// LUNs, GET LBA STATUS, log pages

/** sg_luns --test prints the first level's method and numbers. */
export function compareLun(bytes: Uint8Array, sgLines: readonly string[]): void {
  const ours = decodeLun(bytes);
  const first = sgLines[0] ?? '';
  if (ours.wellKnown !== undefined) {
    expect(first).toBe(`${ours.wellKnown.name} well known logical unit`);
    return;
  }
  const m = /^(.+?) addressing: (.*)$/u.exec(first);
  if (m === null) throw new Error(`sg_luns: unexpected "${first}"`);
  const method = m[1] ?? '';
  const fields = new Map(
    [...(m[2] ?? '').matchAll(/(\w+)=(0x[0-9a-f]+|\d+)/gu)].map((x) => [x[1] ?? '', Number(x[2])] as const),
  );
  const expectedMethod: Record<string, string> = {
    'Peripheral device': 'peripheral',
    'Flat space': 'flat',
    'Logical unit': 'logicalUnit',
    'Extended flat space': 'extended',
    'Long extended flat space': 'extended',
  };
  expect(ours.addressMethod, `method "${method}"`).toBe(expectedMethod[method]);
  if (fields.has('lun'))
    expect(BigInt(ours.lunNumber ?? ours.levels[0]?.extendedValue ?? -1)).toBe(
      BigInt(fields.get('lun') ?? -1),
    );
  if (fields.has('bus_id')) expect(ours.busIdentifier).toBe(fields.get('bus_id'));
  if (fields.has('target')) expect(ours.target).toBe(fields.get('target'));
  expect(ours.multiLevel, 'second level shown').toBe(
    sgLines.some((l) => l.includes('Second level addressing')),
  );
}

export function compareLbaStatus(bytes: Uint8Array, sgBriefText: string): void {
  const sg = parseSgGetLbaStatusBrief(sgBriefText);
  const ours = decodeGetLbaStatus(bytes);
  expect(ours.completionCondition).toBe(sg.completionCondition);
  expect(Number(ours.rtp)).toBe(sg.rtp);
  expect(
    ours.descriptors.map((d) => ({
      lba: d.lbaStatusLogicalBlockAddress,
      blocks: BigInt(d.numberOfLogicalBlocks),
      provisioningStatus: d.provisioningStatus,
      additionalStatus: d.additionalStatus,
    })),
  ).toEqual(sg.descriptors);
}

const ERROR_COUNTER_LABELS: Readonly<Record<string, string>> = {
  'Errors corrected without substantial delay': 'errorsCorrectedWithoutSubstantialDelay',
  'Errors corrected with possible delays': 'errorsCorrectedWithPossibleDelays',
  'Total rewrites or rereads': 'totalRewritesOrRereads',
  'Total errors corrected': 'totalErrorsCorrected',
  'Total times correction algorithm processed': 'totalTimesCorrectionAlgorithmProcessed',
  'Total bytes processed': 'totalBytesProcessed',
  'Total uncorrected errors': 'totalUncorrectedErrors',
};

/** `Label = value` lines of sg_logs. */
function parseEqualsLines(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*(.+?) = (.+)$/u.exec(line);
    if (m !== null) map.set(m[1] ?? '', (m[2] ?? '').trim());
  }
  return map;
}

export function compareLogPage(bytes: Uint8Array, sgText: string): number {
  const page = decodeLogPage(bytes);
  const f = page.fields;
  if (f === undefined) throw new Error(`no typed decoder for log page ${page.pageCode}`);
  const header = /\[0x([0-9a-f]+)\]/u.exec(sgText);
  expect(Number.parseInt(header?.[1] ?? '', 16), 'page code in sg_logs heading').toBe(page.pageCode);
  const eq = parseEqualsLines(sgText);
  switch (f.page) {
    case 'supportedPages': {
      const codes = [...sgText.matchAll(/^\s+0x([0-9a-f]{2})\s/gmu)].map((m) =>
        Number.parseInt(m[1] ?? '', 16),
      );
      expect(codes).toEqual(f.supportedPages);
      break;
    }
    case 'temperature':
      expect(`${f.temperature} C`).toBe(eq.get('Current temperature'));
      expect(`${f.referenceTemperature} C`).toBe(eq.get('Reference temperature'));
      break;
    case 'informationalExceptions': {
      const ie = /IE asc = 0x([0-9a-f]+), ascq = 0x([0-9a-f]+)/u.exec(sgText);
      expect([f.asc, f.ascq]).toEqual([
        Number.parseInt(ie?.[1] ?? '', 16),
        Number.parseInt(ie?.[2] ?? '', 16),
      ]);
      expect(`${f.mostRecentTemperatureReading} C`).toBe(eq.get('Current temperature'));
      break;
    }
    case 'writeErrorCounter':
    case 'readErrorCounter':
    case 'verifyErrorCounter': {
      const rec = f as unknown as Record<string, bigint | undefined>;
      let compared = 0;
      for (const [label, field] of Object.entries(ERROR_COUNTER_LABELS)) {
        const v = eq.get(label);
        expect(v === undefined ? undefined : BigInt(v), label).toBe(rec[field]);
        compared += v === undefined ? 0 : 1;
      }
      expect(compared).toBeGreaterThan(0);
      break;
    }
    default:
      throw new Error(`no sg_logs comparison for ${f.page}`);
  }
  return page.pageCode;
}

// ---------------------------------------------------------------------------------------------
// Answers only a device gives (no --inhex in sg3_utils 1.46): used by the lab suites

/** `sg_readcap --long` text vs decodeReadCapacity16 of `sg_readcap --long --raw`. */
export function compareReadCapacity16(bytes: Uint8Array, sgText: string): void {
  const ours = decodeReadCapacity16(bytes);
  const kv = parseKeyValues(sgText);
  expect(requireKey(kv, 'prot_en', sgText)).toBe(Number(ours.protEn));
  expect(requireKey(kv, 'p_type', sgText)).toBe(ours.pType);
  expect(requireKey(kv, 'p_i_exponent', sgText)).toBe(ours.pIExponent);
  expect(requireKey(kv, 'lbpme', sgText)).toBe(Number(ours.lbpme));
  expect(requireKey(kv, 'lbprz', sgText)).toBe(Number(ours.lbprz));
  expect(BigInt(/Last LBA=(\d+)/u.exec(sgText)?.[1] ?? '-1')).toBe(ours.lastLba);
  expect(Number(/Logical block length=(\d+)/u.exec(sgText)?.[1])).toBe(ours.logicalBlockLengthInBytes);
  expect(Number(/Logical blocks per physical block exponent=(\d+)/u.exec(sgText)?.[1])).toBe(
    ours.logicalBlocksPerPhysicalBlockExponent,
  );
  expect(Number(/Lowest aligned LBA=(\d+)/u.exec(sgText)?.[1])).toBe(ours.lowestAlignedLba);
  expect(BigInt(/Device size: (\d+) bytes/u.exec(sgText)?.[1] ?? '-1')).toBe(ours.capacityBytes);
}

/** `sg_luns` text (LUNs as 16 hex digits) vs decodeReportLuns of `sg_luns --raw`. */
export function compareReportLuns(bytes: Uint8Array, sgText: string): void {
  const ours = decodeReportLuns(bytes);
  const sgLuns = [...sgText.matchAll(/^\s{4}([0-9a-f]{16})\b/gmu)].map((m) => BigInt(`0x${m[1]}`));
  expect(sgLuns.length).toBeGreaterThan(0);
  expect(ours.luns.map((l) => l.lun)).toEqual(sgLuns);
  expect(Number(/Lun list length = (\d+)/u.exec(sgText)?.[1])).toBe(ours.lunListLength);
}

/** `sg_opcodes` table (opcode, service action, CDB size) vs decodeSupportedOpcodesAll of `--raw`. */
export function compareSupportedOpcodes(bytes: Uint8Array, sgText: string): void {
  const ours = decodeSupportedOpcodesAll(bytes);
  const rows = [...sgText.matchAll(/^\s+([0-9a-f]{2})\s+(?:([0-9a-f]{1,4})\s+)?(\d+)\s+\S/gmu)].map((m) => ({
    opcode: Number.parseInt(m[1] ?? '', 16),
    serviceAction: m[2] === undefined ? undefined : Number.parseInt(m[2], 16),
    cdbLength: Number(m[3]),
  }));
  expect(rows.length).toBeGreaterThan(0);
  const key = (r: { opcode: number; serviceAction?: number | undefined; cdbLength: number }) =>
    `${r.opcode.toString(16)}/${r.serviceAction?.toString(16) ?? '-'}/${r.cdbLength}`;
  expect(
    ours.commands
      .map((c) =>
        key({
          opcode: c.operationCode,
          serviceAction: c.servactv ? c.serviceAction : undefined,
          cdbLength: c.cdbLength,
        }),
      )
      .sort(),
  ).toEqual(rows.map(key).sort());
}

/** `sg_persist --read-keys` text vs decodePrReadKeys of the same answer (`--hex` not parsed: raw from us). */
export function comparePrReadKeys(bytes: Uint8Array, sgText: string): void {
  const ours = decodePrReadKeys(bytes);
  const generation = /PR generation=0x([0-9a-f]+)/u.exec(sgText);
  expect(generation, 'PR generation line').not.toBeNull();
  expect(Number.parseInt(generation?.[1] ?? '', 16)).toBe(ours.prGeneration);
  const keys = [...sgText.matchAll(/^\s+0x([0-9a-f]+)\s*$/gmu)].map((m) => BigInt(`0x${m[1]}`));
  expect(keys).toEqual(ours.keys);
}

const PR_CAP_LABELS: Readonly<Record<string, string>> = {
  'Replace Lost Reservation Capable(RLR_C)': 'rlrC',
  'Compatible Reservation Handling(CRH)': 'crh',
  'Specify Initiator Ports Capable(SIP_C)': 'sipC',
  'All Target Ports Capable(ATP_C)': 'atpC',
  'Persist Through Power Loss Capable(PTPL_C)': 'ptplC',
  'Type Mask Valid(TMV)': 'tmv',
  'Allow Commands': 'allowCommands',
  'Persist Through Power Loss Active(PTPL_A)': 'ptplA',
};

export function comparePrCapabilities(bytes: Uint8Array, sgText: string): void {
  const ours = decodePrReportCapabilities(bytes) as unknown as Record<string, boolean | number>;
  const lines = parseColonLines(sgText);
  let compared = 0;
  for (const [label, field] of Object.entries(PR_CAP_LABELS)) {
    const v = lines.get(label);
    if (v === undefined) continue;
    expect(leadingNumber(v), label).toBe(BigInt(num(ours[field]) ?? -1));
    compared++;
  }
  expect(compared, 'capability fields compared').toBeGreaterThanOrEqual(6);
}

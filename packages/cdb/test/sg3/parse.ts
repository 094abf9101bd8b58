/**
 * Parsers of sg3_utils 1.46 text output (1.46 has no --json). Each parser throws when the text does
 * not have the expected shape, so a format change fails the test instead of comparing nothing.
 */

function fail(what: string, text: string): never {
  throw new Error(`sg3_utils output: ${what}\n--- output ---\n${text}`);
}

const hexBytes = (s: string): Uint8Array =>
  Uint8Array.from(
    s
      .trim()
      .split(/\s+/u)
      .map((b) => Number.parseInt(b, 16)),
  );

export interface PrintedCdb {
  /** The command name the tool printed, e.g. "inquiry", "read capacity(16)", "Report zones". */
  readonly name: string;
  readonly cdb: Uint8Array;
}

/**
 * The CDBs a tool printed at -v/-vv, in order. sg3_utils prints `    <name> cdb: [12 00 00 00 24 00]`
 * (sg_cmds_basic.c / sg_cmds_extra.c, 1.45+: with brackets), `    <name> cdb: 12 00 …` (older
 * releases; some printed `<name> cmd:`), or `    cdb: <name> [03 00 …]` (sg_requests).
 */
export function parsePrintedCdbs(text: string): PrintedCdb[] {
  const out: PrintedCdb[] = [];
  // Second form: sg_requests prints `    cdb: Request Sense [03 00 00 00 fc 00]`.
  const re =
    /^\s*(?:cdb:\s+(.+?)\s+\[((?:[0-9a-f]{2}\s?)+)\]|(.+?)\s+(?:cdb|cmd):\s*\[?((?:[0-9a-f]{2}\s?)+?)\]?)\s*$/gimu;
  for (const m of text.matchAll(re)) {
    out.push({ name: m[1] ?? m[3] ?? '', cdb: hexBytes(m[2] ?? m[4] ?? '') });
  }
  return out;
}

/** Every `NAME=VALUE` token (sg_inq's flag lines, sg_vpd's 86h/B1h lines), `[NAME=V]` included. */
export function parseKeyValues(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const m of text.matchAll(/\[?([A-Za-z0-9_]+)=(0x[0-9a-fA-F]+|\d+)\]?/gu)) {
    map.set(m[1] ?? '', Number(m[2]));
  }
  return map;
}

/** `Label: value` lines (leading blanks dropped, the value kept as printed without trailing blanks). */
export function parseColonLines(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([^:]+?):\s?(.*)$/u.exec(line);
    if (m !== null) map.set(m[1] ?? '', (m[2] ?? '').trimEnd());
  }
  return map;
}

/**
 * The leading number of a value such as `4096 blocks`, `0x10000 blocks [..]`, `2 (thin provisioned)`.
 * sg3_utils prints an all-ones ("no limit") field as `-1 [unbounded]`: that is -1n here.
 */
export function leadingNumber(value: string | undefined): bigint {
  const m = /^(0x[0-9a-fA-F]+|-1|\d+)/u.exec(value?.trim() ?? '');
  if (m === null) throw new Error(`no number at the start of "${value}"`);
  return BigInt(m[1] ?? '');
}

export function requireKey<K, V>(map: Map<K, V>, key: K, text: string): V {
  const v = map.get(key);
  if (v === undefined) fail(`no "${String(key)}"`, text);
  return v;
}

// ---------------------------------------------------------------------------------------------
// sg_inq: standard INQUIRY

export interface SgStandardInquiry {
  readonly flags: Map<string, number>;
  readonly vendor: string;
  readonly product: string;
  readonly revision: string;
  readonly pdtName: string;
  readonly versionName: string;
  readonly versionDescriptors: string[];
}

export function parseSgInqStandard(text: string): SgStandardInquiry {
  if (!text.includes('standard INQUIRY:')) fail('not a standard INQUIRY decode', text);
  const fields = parseColonLines(text);
  const pdt = /Peripheral device type:\s*(.+)$/mu.exec(text);
  const version = /version=0x[0-9a-f]+\s+\[([^\]]*)\]/u.exec(text);
  const descriptors: string[] = [];
  const vd = text.indexOf('Version descriptors:');
  if (vd >= 0) {
    for (const line of text.slice(vd).split('\n').slice(1)) {
      if (!/^ {4}\S/u.test(line)) break;
      descriptors.push(line.trim());
    }
  }
  return {
    flags: parseKeyValues(text),
    vendor: requireKey(fields, 'Vendor identification', text),
    product: requireKey(fields, 'Product identification', text),
    revision: requireKey(fields, 'Product revision level', text),
    pdtName: pdt?.[1]?.trim() ?? fail('no peripheral device type', text),
    versionName: version?.[1] ?? '',
    versionDescriptors: descriptors,
  };
}

// ---------------------------------------------------------------------------------------------
// sg_vpd: Device Identification (83h)

export interface SgDesignator {
  readonly association: number;
  readonly typeName: string;
  readonly codeSetName: string;
  readonly transport?: string;
  /** The value lines below the designator header, trimmed. */
  readonly lines: string[];
}

const ASSOCIATION_HEADINGS: Readonly<Record<string, number>> = {
  'Addressed logical unit:': 0,
  'Target port:': 1,
  'Target device that contains addressed lu:': 2,
};

export function parseSgVpdDeviceId(text: string): SgDesignator[] {
  if (!text.includes('Device Identification VPD page:')) fail('not a Device Identification decode', text);
  const out: Array<{
    association: number;
    typeName: string;
    codeSetName: string;
    transport?: string;
    lines: string[];
  }> = [];
  let association = -1;
  for (const line of text.split('\n')) {
    const heading = ASSOCIATION_HEADINGS[line.trim()];
    if (heading !== undefined) {
      association = heading;
      continue;
    }
    const d = /^\s*designator type: (.+?),\s+code set: (.+)$/u.exec(line);
    if (d !== null) {
      out.push({ association, typeName: d[1] ?? '', codeSetName: (d[2] ?? '').trim(), lines: [] });
      continue;
    }
    const cur = out.at(-1);
    if (cur === undefined || line.trim() === '') continue;
    const t = /^\s*transport: (.+)$/u.exec(line);
    if (t !== null && cur.lines.length === 0) cur.transport = (t[1] ?? '').trim();
    else cur.lines.push(line.trim());
  }
  if (out.length === 0) fail('no designators', text);
  return out;
}

/** sg_vpd's designator type names (sg_lib_data.c sg_lib_designator_type_arr, as printed) → code. */
export const SG_DESIGNATOR_TYPES: Readonly<Record<string, number>> = {
  'vendor specific [0x0]': 0,
  'T10 vendor identification': 1,
  'EUI-64 based': 2,
  NAA: 3,
  'Relative target port': 4,
  'Target port group': 5,
  'Logical unit group': 6,
  'MD5 logical unit identifier': 7,
  'SCSI name string': 8,
  'Protocol specific port identifier': 9,
  'UUID identifier': 0xa,
};

export const SG_CODE_SETS: Readonly<Record<string, number>> = { Binary: 1, ASCII: 2, 'UTF-8': 3 };

// ---------------------------------------------------------------------------------------------
// sg_decode_sense

export interface SgSense {
  readonly format: 'fixed' | 'descriptor';
  readonly deferred: boolean;
  readonly senseKeyName: string;
  /** The ASC/ASCQ line: `Additional sense: …`, or `ASC=…` forms for unknown codes; '' when absent. */
  readonly ascLine: string;
  /** Fixed format `Info fld=0x…`, descriptor format `Descriptor type: Information: 0x…`. */
  readonly information?: bigint;
  /** False when sg_decode_sense printed no INFORMATION or flagged it "Valid=0". */
  readonly informationValid: boolean;
  readonly commandSpecific?: bigint;
  readonly fru?: number;
  readonly ili: boolean;
  readonly text: string;
}

export function parseSgDecodeSense(text: string): SgSense {
  const head = /^(Fixed|Descriptor) format, (current|<<<deferred>>>); Sense key: (.+)$/mu.exec(text);
  if (head === null) fail('no sense header', text);
  const lines = text.split('\n');
  const headIdx = lines.findIndex((l) => l.includes('Sense key:'));
  const ascLine = (lines[headIdx + 1] ?? '').trim();
  // Fixed: "Info fld=0x…" or "Valid=0, Info fld=0x…"; descriptor: "Information: 0x…" or
  // "Information: Valid=0 (-> vendor specific) 0x…".
  const info =
    /(?:Valid=0, )?Info fld=0x([0-9a-f]+)/u.exec(text) ??
    /Descriptor type: Information: (?:Valid=0 \(-> vendor specific\) )?0x([0-9a-f]+)/u.exec(text);
  const csi = /Descriptor type: Command specific: 0x([0-9a-f]+)/u.exec(text);
  const fru = /Field replaceable unit code: (0x[0-9a-f]+|\d+)/u.exec(text);
  return {
    format: head[1] === 'Fixed' ? 'fixed' : 'descriptor',
    deferred: head[2] !== 'current',
    senseKeyName: (head[3] ?? '').trim(),
    ascLine,
    ...(info === null ? {} : { information: BigInt(`0x${info[1]}`) }),
    informationValid: info !== null && !/Valid=0/u.test(info[0]),
    ...(csi === null ? {} : { commandSpecific: BigInt(`0x${csi[1]}`) }),
    ...(fru === null ? {} : { fru: Number(fru[1]) }),
    ili: /\bILI\b/u.test(text),
    text,
  };
}

/** What our ascAscqDescription should say for an sg_decode_sense ASC line (exact text, or a class). */
export type AscClass =
  | { readonly kind: 'known'; readonly text: string }
  | { readonly kind: 'vendor' | 'vendorQualifier' | 'reserved'; readonly asc: number; readonly ascq: number };

export function classifySgAscLine(line: string): AscClass {
  let m = /^Additional sense: (.+)$/u.exec(line);
  if (m !== null) return { kind: 'known', text: m[1] ?? '' };
  m = /^vendor specific ASC=([0-9a-f]{2}), ASCQ=([0-9a-f]{2}) \(hex\)$/u.exec(line);
  if (m !== null)
    return { kind: 'vendor', asc: Number.parseInt(m[1] ?? '', 16), ascq: Number.parseInt(m[2] ?? '', 16) };
  m = /^ASC=([0-9a-f]{2}), vendor specific qualification ASCQ=([0-9a-f]{2}) \(hex\)$/u.exec(line);
  if (m !== null) {
    return {
      kind: 'vendorQualifier',
      asc: Number.parseInt(m[1] ?? '', 16),
      ascq: Number.parseInt(m[2] ?? '', 16),
    };
  }
  m = /^ASC=([0-9a-f]{2}), ASCQ=([0-9a-f]{2}) \(hex\)$/u.exec(line);
  if (m !== null)
    return { kind: 'reserved', asc: Number.parseInt(m[1] ?? '', 16), ascq: Number.parseInt(m[2] ?? '', 16) };
  throw new Error(`unrecognised sg_decode_sense ASC line: "${line}"`);
}

/** Our ascAscqDescription forms for codes not in the T10 table (names.ts) → the same classes. */
export function classifyOurDescription(text: string): AscClass {
  const m =
    /^ASC=([0-9A-F]{2})h ASCQ=([0-9A-F]{2})h \((vendor specific|vendor specific qualifier|reserved)\)$/u.exec(
      text,
    );
  if (m === null) return { kind: 'known', text };
  const kind = m[3] === 'vendor specific' ? 'vendor' : m[3] === 'reserved' ? 'reserved' : 'vendorQualifier';
  return { kind, asc: Number.parseInt(m[1] ?? '', 16), ascq: Number.parseInt(m[2] ?? '', 16) };
}

// ---------------------------------------------------------------------------------------------
// sg_luns --test

export function parseSgLunTest(text: string): string[] {
  const idx = text.indexOf('Decoded LUN:');
  if (idx < 0) fail('no "Decoded LUN:"', text);
  return text
    .slice(idx)
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

// ---------------------------------------------------------------------------------------------
// sg_get_lba_status --brief: "0x<lba>  0x<blocks>  <p_status>  <add_status>" per descriptor

export interface SgLbaStatusBrief {
  readonly completionCondition: number;
  readonly rtp: number;
  readonly descriptors: Array<{
    lba: bigint;
    blocks: bigint;
    provisioningStatus: number;
    additionalStatus: number;
  }>;
}

export function parseSgGetLbaStatusBrief(text: string): SgLbaStatusBrief {
  const cc = /Completion condition=(\d+)/u.exec(text);
  const rtp = /RTP=(\d+)/u.exec(text);
  if (cc === null || rtp === null) fail('no completion condition / RTP', text);
  const descriptors = [...text.matchAll(/^0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\d+)\s+(\d+)\s*$/gmu)].map(
    (m) => ({
      lba: BigInt(`0x${m[1]}`),
      blocks: BigInt(`0x${m[2]}`),
      provisioningStatus: Number(m[3]),
      additionalStatus: Number(m[4]),
    }),
  );
  return { completionCondition: Number(cc[1]), rtp: Number(rtp[1]), descriptors };
}

// ---------------------------------------------------------------------------------------------
// sg_vpd supported pages: "  Name [acronym]" lines; `sg_vpd -e` maps acronyms to page codes

export function parseSgVpdEnumeration(text: string): Map<string, number> {
  const map = new Map<string, number>();
  const start = text.indexOf('Standard VPD pages:');
  if (start < 0) fail('no "Standard VPD pages:"', text);
  for (const line of text.slice(start).split('\n').slice(1)) {
    if (line.trim() === '') break;
    const m = /^\s+(\S+)\s+(0x[0-9a-f]+)\s/u.exec(line);
    if (m !== null) map.set(m[1] ?? '', Number(m[2]));
  }
  return map;
}

export function parseSgSupportedVpdAcronyms(text: string): string[] {
  return [...text.matchAll(/^\s+.+ \[([a-z0-9_]+)\]\s*$/gmu)].map((m) => m[1] ?? '');
}

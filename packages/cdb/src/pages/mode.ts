/**
 * Mode parameter data (SPC-6 7.5): MODE SENSE answers and MODE SELECT parameter lists.
 *
 * Layout: mode parameter header (4 bytes for the 6-byte commands, 8 for the 10-byte ones), zero or
 * more block descriptors, then mode pages. Typed page fields live in ./mode-pages.ts.
 */
import { z } from 'zod';
import { checkParams, show } from '../args.js';
import {
  ByteReader,
  type ByteSource,
  checkBigUint,
  checkUint,
  putU16,
  putU24,
  putU32,
  putU64,
} from '../bytes.js';
import { CdbBuildError, DecodeError } from '../errors.js';
import { type ModePageFrame, readModePageFrame } from './mode-frame.js';
import {
  decodeKnownModePage,
  encodeModePageFields,
  fieldMask,
  findModePageLayout,
  type ModePageFields,
} from './mode-pages.js';

/** Which command the data belongs to: MODE SENSE/SELECT(6) (4-byte header) or (10) (8-byte header). */
export type ModeHeaderSize = 6 | 10;

/** Page code 3Fh asks MODE SENSE for all pages; subpage FFh for all subpages. */
export const MODE_PAGE_ALL = 0x3f;
export const MODE_SUBPAGE_ALL = 0xff;

/** Mode parameter header, SPC-6 Tables 453 (6) and 454 (10). */
export interface ModeParameterHeader {
  /**
   * Bytes that follow the MODE DATA LENGTH field. MODE SENSE only: reserved (0) in MODE SELECT.
   */
  readonly modeDataLength: number;
  readonly mediumType: number;
  /** The whole byte; its meaning depends on the device type (SBC meanings below). */
  readonly deviceSpecificParameter: number;
  /** SBC: the medium is write-protected (bit 7). */
  readonly wp: boolean;
  /** SBC: DPO and FUA bits are supported (bit 4). */
  readonly dpofua: boolean;
  /** Block descriptors are the 16-byte long LBA form (MODE SENSE(10) only; false for (6)). */
  readonly longlba: boolean;
  readonly blockDescriptorLength: number;
}

/**
 * Short (8-byte) block descriptor. Direct-access devices use the SBC form (32-bit NUMBER OF
 * LOGICAL BLOCKS in bytes 0-3); other device types use the general form (DENSITY CODE in byte 0,
 * 24-bit NUMBER OF BLOCKS in bytes 1-3). Both readings are given; pick by device type.
 */
export interface ShortBlockDescriptor {
  readonly kind: 'short';
  /** SBC short LBA form: bytes 0-3. FFFFFFFFh means "more than fits" (use the long form). */
  readonly numberOfBlocks: number;
  /** Bytes 5-7. */
  readonly blockLength: number;
  /** General form: byte 0. */
  readonly densityCode: number;
  /** General form: bytes 1-3. */
  readonly densityNumberOfBlocks: number;
  readonly raw: Uint8Array;
}

/** Long LBA (16-byte) block descriptor, SBC-5 Table 181 (LONGLBA=1). */
export interface LongBlockDescriptor {
  readonly kind: 'long';
  readonly numberOfLogicalBlocks: bigint;
  readonly blockLength: number;
  readonly raw: Uint8Array;
}

export type BlockDescriptor = ShortBlockDescriptor | LongBlockDescriptor;

/** One mode page as framed by SPC-6 Table 456/457, with typed fields when a decoder exists. */
export interface ModePage extends Omit<ModePageFrame, 'headerLength'> {
  /** The complete page, header included (a copy, never aliasing the caller's buffer). */
  readonly raw: Uint8Array;
  /** Typed fields for pages with a decoder (narrow on `fields.page`). */
  readonly fields?: ModePageFields;
  /** Why `fields` is missing although a decoder exists (usually a page shorter than its layout). */
  readonly fieldsError?: string;
}

export interface ModeParameters {
  readonly headerSize: ModeHeaderSize;
  readonly header: ModeParameterHeader;
  readonly blockDescriptors: BlockDescriptor[];
  /** Complete pages only; a page cut off by the allocation length is left out. */
  readonly pages: ModePage[];
  /** The device had more data than was returned (allocation length too small). */
  readonly truncated: boolean;
  /** Bytes the device has: MODE DATA LENGTH plus its own field. Re-issue with at least this. */
  readonly requiredLength: number;
  /** Bytes actually decoded (never more than requiredLength). */
  readonly availableLength: number;
}

export interface DecodeModeParametersOptions {
  readonly headerSize: ModeHeaderSize;
}

function decodeHeader(r: ByteReader, headerSize: ModeHeaderSize): ModeParameterHeader {
  if (headerSize === 6) {
    const dsp = r.u8(2, 'deviceSpecificParameter');
    return {
      modeDataLength: r.u8(0, 'modeDataLength'),
      mediumType: r.u8(1, 'mediumType'),
      deviceSpecificParameter: dsp,
      wp: (dsp & 0x80) !== 0,
      dpofua: (dsp & 0x10) !== 0,
      longlba: false,
      blockDescriptorLength: r.u8(3, 'blockDescriptorLength'),
    };
  }
  const dsp = r.u8(3, 'deviceSpecificParameter');
  return {
    modeDataLength: r.u16(0, 'modeDataLength'),
    mediumType: r.u8(2, 'mediumType'),
    deviceSpecificParameter: dsp,
    wp: (dsp & 0x80) !== 0,
    dpofua: (dsp & 0x10) !== 0,
    longlba: r.bit(4, 0, 'longlba'),
    blockDescriptorLength: r.u16(6, 'blockDescriptorLength'),
  };
}

function decodeBlockDescriptor(r: ByteReader, offset: number, long: boolean): BlockDescriptor {
  if (long) {
    return {
      kind: 'long',
      numberOfLogicalBlocks: r.u64(offset, 'numberOfLogicalBlocks'),
      blockLength: r.u32(offset + 12, 'blockLength'),
      raw: r.slice(offset, 16, 'blockDescriptor'),
    };
  }
  return {
    kind: 'short',
    numberOfBlocks: r.u32(offset, 'numberOfBlocks'),
    blockLength: r.u24(offset + 5, 'blockLength'),
    densityCode: r.u8(offset, 'densityCode'),
    densityNumberOfBlocks: r.u24(offset + 1, 'densityNumberOfBlocks'),
    raw: r.slice(offset, 8, 'blockDescriptor'),
  };
}

function makePage(frame: ModePageFrame, raw: Uint8Array): ModePage {
  const base = {
    pageCode: frame.pageCode,
    subpageCode: frame.subpageCode,
    spf: frame.spf,
    ps: frame.ps,
    pageLength: frame.pageLength,
    raw,
  };
  try {
    const fields = decodeKnownModePage(raw);
    return fields === undefined ? base : { ...base, fields };
  } catch (e) {
    if (e instanceof DecodeError) return { ...base, fieldsError: e.message };
    throw e;
  }
}

/**
 * Walks pages in [start, availableEnd). A page running past `requiredEnd` is inconsistent
 * (DecodeError); one running past `availableEnd` only was cut by the allocation length.
 */
function walkPages(
  r: ByteReader,
  start: number,
  requiredEnd: number,
  availableEnd: number,
): { pages: ModePage[]; truncated: boolean } {
  const pages: ModePage[] = [];
  let off = start;
  while (off < availableEnd) {
    const spf = ((r.bytes[off] as number) & 0x40) !== 0;
    const headerLength = spf ? 4 : 2;
    if (off + headerLength > availableEnd) {
      if (availableEnd < requiredEnd) return { pages, truncated: true };
      throw new DecodeError(
        'pageLength',
        `${availableEnd - off} trailing byte(s) too short for a page header`,
        off,
      );
    }
    const frame = readModePageFrame(r, off);
    const end = off + frame.headerLength + frame.pageLength;
    if (end > requiredEnd) {
      throw new DecodeError(
        'pageLength',
        `page 0x${frame.pageCode.toString(16)} (length ${frame.pageLength}) runs past the mode data (${requiredEnd} bytes)`,
        off,
      );
    }
    if (end > availableEnd) return { pages, truncated: true };
    pages.push(makePage(frame, r.slice(off, end - off, 'modePage')));
    off = end;
  }
  return { pages, truncated: availableEnd < requiredEnd };
}

/**
 * Decodes a MODE SENSE answer. Bytes beyond MODE DATA LENGTH are ignored; fewer bytes than it
 * announces (a small allocation length) give `truncated: true` with the complete pages decoded.
 */
export function decodeModeParameters(
  bytes: ByteSource,
  options: DecodeModeParametersOptions,
): ModeParameters {
  const headerSize = options.headerSize;
  if (headerSize !== 6 && headerSize !== 10) {
    throw new DecodeError('headerSize', `must be 6 or 10, got ${show(headerSize)}`);
  }
  const r = new ByteReader(bytes);
  const headerLength = headerSize === 6 ? 4 : 8;
  r.need(0, headerLength, 'modeParameterHeader');
  const header = decodeHeader(r, headerSize);
  const requiredLength = header.modeDataLength + (headerSize === 6 ? 1 : 2);
  if (requiredLength < headerLength) {
    throw new DecodeError(
      'modeDataLength',
      `${header.modeDataLength} is shorter than the rest of the ${headerLength}-byte header`,
      0,
    );
  }
  const availableLength = Math.min(r.length, requiredLength);
  const bdEnd = headerLength + header.blockDescriptorLength;
  if (bdEnd > requiredLength) {
    throw new DecodeError(
      'blockDescriptorLength',
      `${header.blockDescriptorLength} runs past the mode data length ${header.modeDataLength}`,
      headerSize === 6 ? 3 : 6,
    );
  }
  const descriptorSize = header.longlba ? 16 : 8;
  if (header.blockDescriptorLength % descriptorSize !== 0) {
    throw new DecodeError(
      'blockDescriptorLength',
      `${header.blockDescriptorLength} is not a multiple of ${descriptorSize}`,
      headerSize === 6 ? 3 : 6,
    );
  }
  const blockDescriptors: BlockDescriptor[] = [];
  for (let o = headerLength; o + descriptorSize <= Math.min(bdEnd, availableLength); o += descriptorSize) {
    blockDescriptors.push(decodeBlockDescriptor(r, o, header.longlba));
  }
  const walked =
    bdEnd <= availableLength
      ? walkPages(r, bdEnd, requiredLength, availableLength)
      : { pages: [], truncated: true };
  return {
    headerSize,
    header,
    blockDescriptors,
    pages: walked.pages,
    truncated: walked.truncated || availableLength < requiredLength,
    requiredLength,
    availableLength,
  };
}

/** MODE SENSE(6) answer: 4-byte header. */
export function decodeModeSense6(bytes: ByteSource): ModeParameters {
  return decodeModeParameters(bytes, { headerSize: 6 });
}

/** MODE SENSE(10) answer: 8-byte header, LONGLBA possible. */
export function decodeModeSense10(bytes: ByteSource): ModeParameters {
  return decodeModeParameters(bytes, { headerSize: 10 });
}

/**
 * Decodes a bare sequence of mode pages (no header). A last page running past the end is
 * reported as `truncated`, since nothing here says how long the data should have been.
 */
export function decodeModePages(bytes: ByteSource): { pages: ModePage[]; truncated: boolean } {
  const r = new ByteReader(bytes);
  let off = 0;
  const pages: ModePage[] = [];
  while (off < r.length) {
    const spf = ((r.bytes[off] as number) & 0x40) !== 0;
    if (off + (spf ? 4 : 2) > r.length) return { pages, truncated: true };
    const frame = readModePageFrame(r, off);
    const end = off + frame.headerLength + frame.pageLength;
    if (end > r.length) return { pages, truncated: true };
    pages.push(makePage(frame, r.slice(off, end - off, 'modePage')));
    off = end;
  }
  return { pages, truncated: false };
}

/** Decodes exactly one complete page (header included); typed fields when a decoder exists. */
export function decodeModePage(page: ByteSource): ModePage {
  const r = new ByteReader(page);
  const frame = readModePageFrame(r, 0);
  const end = frame.headerLength + frame.pageLength;
  if (end > r.length) {
    throw new DecodeError(
      'pageLength',
      `page length ${frame.pageLength} exceeds the ${r.length} byte(s) given`,
      0,
    );
  }
  return makePage(frame, r.slice(0, end, 'modePage'));
}

/** Finds a page in decoded mode parameters. */
export function findModePage(
  params: Pick<ModeParameters, 'pages'>,
  pageCode: number,
  subpageCode = 0,
): ModePage | undefined {
  return params.pages.find((p) => p.pageCode === pageCode && p.subpageCode === subpageCode);
}

// ---------------------------------------------------------------------------------------------
// MODE SELECT parameter list
// ---------------------------------------------------------------------------------------------

/** Block descriptor for MODE SELECT: SBC short form, general (density) form, or long LBA form. */
export type ModeSelectBlockDescriptor =
  | { readonly kind: 'short'; readonly numberOfBlocks: number; readonly blockLength: number }
  | {
      readonly kind: 'general';
      readonly densityCode: number;
      readonly densityNumberOfBlocks: number;
      readonly blockLength: number;
    }
  | { readonly kind: 'long'; readonly numberOfLogicalBlocks: bigint; readonly blockLength: number };

/** A page to send: its complete bytes, or anything carrying them as `raw` (e.g. a decoded ModePage). */
export type ModeSelectPage = Uint8Array | { readonly raw: Uint8Array };

export interface ModeSelectDataParams {
  readonly headerSize: ModeHeaderSize;
  /** Pages in the order to send; PS is cleared on each. @default [] */
  readonly pages?: readonly ModeSelectPage[];
  /** All of one size; the long form needs headerSize 10 (sets LONGLBA). @default [] */
  readonly blockDescriptors?: readonly ModeSelectBlockDescriptor[];
  /** @default 0 (SBC: reserved) */
  readonly mediumType?: number;
  /**
   * @default 0 — for SBC devices WP and DPOFUA are ignored/reserved in MODE SELECT, so copying
   * the MODE SENSE value back is at best useless.
   */
  readonly deviceSpecificParameter?: number;
}

const u8Schema = z.number().int().min(0).max(255);

export const ModeSelectDataParamsSchema = z.object({
  headerSize: z.union([z.literal(6), z.literal(10)]),
  pages: z.array(z.union([z.instanceof(Uint8Array), z.object({ raw: z.instanceof(Uint8Array) })])).optional(),
  blockDescriptors: z
    .array(
      z.discriminatedUnion('kind', [
        z.object({
          kind: z.literal('short'),
          numberOfBlocks: z.number().int().min(0).max(0xffffffff),
          blockLength: z.number().int().min(0).max(0xffffff),
        }),
        z.object({
          kind: z.literal('general'),
          densityCode: u8Schema,
          densityNumberOfBlocks: z.number().int().min(0).max(0xffffff),
          blockLength: z.number().int().min(0).max(0xffffff),
        }),
        z.object({
          kind: z.literal('long'),
          numberOfLogicalBlocks: z
            .bigint()
            .min(0n)
            .max((1n << 64n) - 1n),
          blockLength: z.number().int().min(0).max(0xffffffff),
        }),
      ]),
    )
    .optional(),
  mediumType: u8Schema.optional(),
  deviceSpecificParameter: u8Schema.optional(),
});

function encodeBlockDescriptor(d: ModeSelectBlockDescriptor, i: number): Uint8Array {
  const name = `blockDescriptors[${i}]`;
  switch (d.kind) {
    case 'short': {
      const b = new Uint8Array(8);
      putU32(b, 0, checkUint(d.numberOfBlocks, 32, `${name}.numberOfBlocks`));
      putU24(b, 5, checkUint(d.blockLength, 24, `${name}.blockLength`));
      return b;
    }
    case 'general': {
      const b = new Uint8Array(8);
      b[0] = checkUint(d.densityCode, 8, `${name}.densityCode`);
      putU24(b, 1, checkUint(d.densityNumberOfBlocks, 24, `${name}.densityNumberOfBlocks`));
      putU24(b, 5, checkUint(d.blockLength, 24, `${name}.blockLength`));
      return b;
    }
    case 'long': {
      const b = new Uint8Array(16);
      putU64(b, 0, checkBigUint(d.numberOfLogicalBlocks, 64, `${name}.numberOfLogicalBlocks`));
      putU32(b, 12, checkUint(d.blockLength, 32, `${name}.blockLength`));
      return b;
    }
    default:
      throw new CdbBuildError(`${name}.kind`, `must be 'short', 'general' or 'long'`);
  }
}

/** Validates one page's framing and returns a copy with PS cleared. */
function preparePage(page: ModeSelectPage, i: number): Uint8Array {
  const bytes = page instanceof Uint8Array ? page : page.raw;
  const name = `pages[${i}]`;
  if (!(bytes instanceof Uint8Array) || bytes.length < 2) {
    throw new CdbBuildError(name, 'must be the complete page bytes (at least 2)');
  }
  const spf = ((bytes[0] as number) & 0x40) !== 0;
  if (spf && bytes.length < 4) throw new CdbBuildError(name, 'a subpage needs a 4-byte header');
  const pageLength = spf ? ((bytes[2] as number) << 8) | (bytes[3] as number) : (bytes[1] as number);
  const expected = pageLength + (spf ? 4 : 2);
  if (expected !== bytes.length) {
    throw new CdbBuildError(name, `PAGE LENGTH says ${expected} byte(s) but ${bytes.length} were given`);
  }
  const copy = bytes.slice();
  copy[0] = (copy[0] as number) & 0x7f;
  return copy;
}

/**
 * Builds a MODE SELECT parameter list: header with MODE DATA LENGTH 0 (reserved in MODE SELECT),
 * block descriptors, then the pages with their PS bit cleared (a set PS bit is an error).
 * MODE SELECT(6) lists are limited to 255 bytes, (10) to 65535.
 */
export function buildModeSelectData(params: ModeSelectDataParams): Uint8Array {
  checkParams(params, 'params');
  const { headerSize } = params;
  if (headerSize !== 6 && headerSize !== 10) {
    throw new CdbBuildError('headerSize', `must be 6 or 10, got ${show(headerSize)}`);
  }
  const headerLength = headerSize === 6 ? 4 : 8;
  const mediumType = checkUint(params.mediumType ?? 0, 8, 'mediumType');
  const dsp = checkUint(params.deviceSpecificParameter ?? 0, 8, 'deviceSpecificParameter');
  const descriptors = params.blockDescriptors ?? [];
  if (!Array.isArray(descriptors)) throw new CdbBuildError('blockDescriptors', 'must be an array');
  if (params.pages !== undefined && !Array.isArray(params.pages)) {
    throw new CdbBuildError('pages', 'must be an array');
  }
  const long = descriptors.length > 0 && descriptors[0]?.kind === 'long';
  descriptors.forEach((d, i) => {
    if ((d.kind === 'long') !== long) {
      throw new CdbBuildError(`blockDescriptors[${i}].kind`, 'cannot mix long and short block descriptors');
    }
  });
  if (long && headerSize === 6) {
    throw new CdbBuildError('blockDescriptors', 'long LBA block descriptors need MODE SELECT(10)');
  }
  const bd = descriptors.map(encodeBlockDescriptor);
  const pages = (params.pages ?? []).map(preparePage);
  const bdLength = bd.reduce((n, b) => n + b.length, 0);
  const total = headerLength + bdLength + pages.reduce((n, p) => n + p.length, 0);
  const limit = headerSize === 6 ? 0xff : 0xffff;
  if (headerSize === 6 && bdLength > 0xff) {
    throw new CdbBuildError('blockDescriptors', `${bdLength} bytes of block descriptors`, '255 bytes');
  }
  if (total > limit) {
    throw new CdbBuildError(
      'pages',
      `parameter list would be ${total} bytes`,
      `${limit} bytes for MODE SELECT(${headerSize})`,
    );
  }
  const out = new Uint8Array(total);
  if (headerSize === 6) {
    out[1] = mediumType;
    out[2] = dsp;
    out[3] = bdLength;
  } else {
    out[2] = mediumType;
    out[3] = dsp;
    out[4] = long ? 1 : 0;
    putU16(out, 6, bdLength);
  }
  let off = headerLength;
  for (const b of [...bd, ...pages]) {
    out.set(b, off);
    off += b.length;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Changing a page within the changeable mask
// ---------------------------------------------------------------------------------------------

/** Field name → new value, as named in the page's typed fields (e.g. `{ wce: false }`). */
export type ModePageChanges = Readonly<Record<string, boolean | number | bigint | undefined>>;

/**
 * Applies field changes to a page read with MODE SENSE (PC=current), honouring the changeable
 * mask read with PC=changeable values (1 bits are changeable). Bits the changes do not touch keep
 * their current value, so vendor and reserved bits go back to the device exactly as they came.
 * Returns the new page (PS cleared), ready for `buildModeSelectData`. Throws CdbBuildError naming
 * the field when a change flips a bit the device does not allow to change, when the field does not
 * exist for the page, or when the page has no fixed-layout encoder.
 */
export function applyModePageChanges(
  current: ModePage,
  changeable: ModePage,
  changes: ModePageChanges,
): ModePage {
  if (current.pageCode !== changeable.pageCode || current.subpageCode !== changeable.subpageCode) {
    throw new CdbBuildError(
      'changeable',
      `is the mask of page 0x${changeable.pageCode.toString(16)}/${changeable.subpageCode}, not of page 0x${current.pageCode.toString(16)}/${current.subpageCode}`,
    );
  }
  const layout = findModePageLayout(current.pageCode, current.subpageCode, current.raw);
  if (layout === undefined) {
    throw new CdbBuildError(
      'changes',
      `page 0x${current.pageCode.toString(16)}/${current.subpageCode} has no field layout; edit its raw bytes instead`,
    );
  }
  for (const name of Object.keys(changes)) {
    if (name === 'page') continue;
    if (!(name in layout.fields)) {
      throw new CdbBuildError(name, `is not a field of the ${layout.name} mode page`);
    }
  }
  const { page: _tag, ...fieldChanges } = changes;
  const next = encodeModePageFields(layout, fieldChanges, current.raw);
  const cur = current.raw;
  const mask = changeable.raw;
  for (const [name, spec] of Object.entries(layout.fields)) {
    if (fieldChanges[name] === undefined) continue;
    for (const [offset, bitsOfField] of fieldMask(spec)) {
      const flipped = ((next[offset] as number) ^ (cur[offset] as number)) & bitsOfField;
      const allowed = offset < mask.length ? (mask[offset] as number) : 0;
      if ((flipped & ~allowed) !== 0) {
        throw new CdbBuildError(
          name,
          `is not changeable on this device (changeable mask at byte ${offset} is 0x${allowed.toString(16).padStart(2, '0')})`,
        );
      }
    }
  }
  return decodeModePage(next);
}

/**
 * Log pages (SPC-6 7.3): LOG SENSE answers and LOG SELECT parameter lists.
 *
 * A log page is a 4-byte header (DS/SPF/page code, subpage, 16-bit page length) followed by log
 * parameters, each a 4-byte header (16-bit parameter code, control byte, length) plus value bytes.
 * The supported-pages lists (00h/00h and any page's subpage FFh) have no parameters, only a list.
 * This file holds the framing (header, parameters, control byte) and the LOG SELECT list; typed
 * per-page fields and `decodeLogPage` itself live in ./log-pages.ts.
 */
import { z } from 'zod';
import { checkParams } from '../args.js';
import { ByteReader, type ByteSource, checkBigUint, checkUint, putU16 } from '../bytes.js';
import { CdbBuildError, DecodeError } from '../errors.js';

/** FORMAT AND LINKING field values, SPC-6 Table 412. */
export const LOG_FORMAT_AND_LINKING = {
  /** Bounded data counter: the counter stops at its maximum. */
  boundedDataCounter: 0,
  /** ASCII format list. */
  asciiFormatList: 1,
  /** Bounded or unbounded data counter: an unbounded counter wraps to 0. */
  boundedOrUnboundedDataCounter: 2,
  /** Binary format list. */
  binaryFormatList: 3,
} as const;

export type LogFormatAndLinking = 0 | 1 | 2 | 3;

/** The parameter control byte (byte 2 of each log parameter), SPC-6 Table 411. */
export interface LogParameterControl {
  /** Disable update: the device does not update this value. */
  readonly du: boolean;
  /** Bit 6: DS in SPC-3, obsolete since SPC-4; kept so nothing is dropped. */
  readonly obsolete: boolean;
  /** Target save disable. */
  readonly tsd: boolean;
  /** Enable threshold comparison. */
  readonly etc: boolean;
  /** Threshold met criteria (0 every update, 1 equal, 2 not equal, 3 greater). */
  readonly tmc: number;
  readonly formatAndLinking: LogFormatAndLinking;
}

export function decodeLogParameterControl(byte: number): LogParameterControl {
  return {
    du: (byte & 0x80) !== 0,
    obsolete: (byte & 0x40) !== 0,
    tsd: (byte & 0x20) !== 0,
    etc: (byte & 0x10) !== 0,
    tmc: (byte >> 2) & 0x03,
    formatAndLinking: (byte & 0x03) as LogFormatAndLinking,
  };
}

/** Encodes a control byte; omitted bits are 0. */
export function encodeLogParameterControl(control: Partial<LogParameterControl>): number {
  const tmc = checkUint(control.tmc ?? 0, 2, 'tmc');
  const fl = checkUint(control.formatAndLinking ?? 0, 2, 'formatAndLinking');
  return (
    (control.du === true ? 0x80 : 0) |
    (control.obsolete === true ? 0x40 : 0) |
    (control.tsd === true ? 0x20 : 0) |
    (control.etc === true ? 0x10 : 0) |
    (tmc << 2) |
    fl
  );
}

/** One log parameter. */
export interface LogParameter extends LogParameterControl {
  readonly parameterCode: number;
  /** The whole control byte, as sent. */
  readonly controlByte: number;
  /** PARAMETER LENGTH: bytes of value after the 4-byte parameter header. */
  readonly length: number;
  /** Counter value (format and linking 0 or 2), any length, big-endian. */
  readonly value?: bigint;
  /** ASCII format list parameters (format and linking 1), trailing spaces/NULs trimmed. */
  readonly text?: string;
  /** The value bytes (after the 4-byte parameter header), a copy. */
  readonly raw: Uint8Array;
  /** Byte offset of the parameter within the page. */
  readonly offset: number;
}

/** A framed log page: header and parameters, no typed fields (see `LogPage` in ./log-pages.ts). */
export interface LogPageFrame {
  readonly pageCode: number;
  readonly subpageCode: number;
  /** Subpage format. */
  readonly spf: boolean;
  /** LOG SENSE: disable save (the page's parameters are not saveable). */
  readonly ds: boolean;
  /** PAGE LENGTH: bytes after the 4-byte header. */
  readonly pageLength: number;
  /** Complete parameters only; empty for the supported-pages lists. */
  readonly parameters: LogParameter[];
  readonly truncated: boolean;
  /** PAGE LENGTH + 4: re-issue LOG SENSE with at least this allocation length. */
  readonly requiredLength: number;
  readonly availableLength: number;
  /** Bytes after the header that were returned (up to PAGE LENGTH), a copy. */
  readonly body: Uint8Array;
}

/** What typed decoders see: the framed page with its parameters and the raw body. */
export interface LogPageBody {
  readonly pageCode: number;
  readonly subpageCode: number;
  readonly parameters: readonly LogParameter[];
  /** Bytes after the header that were returned (up to PAGE LENGTH). */
  readonly body: Uint8Array;
  readonly truncated: boolean;
}

function bigFromBytes(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

function asciiValue(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : b === 0 ? '\0' : '.';
  return s.replace(/[\s\0]+$/u, '').replace(/\0/gu, '');
}

/** True for the pages whose body is a list of page (and subpage) codes instead of parameters. */
export function isSupportedPagesList(pageCode: number, subpageCode: number): boolean {
  return (pageCode === 0 && subpageCode === 0) || subpageCode === 0xff;
}

/**
 * Frames a LOG SENSE answer: header and parameters, no typed fields (`decodeLogPage` adds those).
 * Bytes beyond PAGE LENGTH are ignored; fewer bytes than it announces
 * (a small allocation length) give `truncated: true` with the complete parameters decoded.
 * A parameter running past PAGE LENGTH is inconsistent and throws DecodeError.
 */
export function decodeLogPageFrame(bytes: ByteSource): LogPageFrame {
  const r = new ByteReader(bytes);
  r.need(0, 4, 'logPageHeader');
  const b0 = r.u8(0, 'pageCode');
  const pageCode = b0 & 0x3f;
  const spf = (b0 & 0x40) !== 0;
  const ds = (b0 & 0x80) !== 0;
  const subpageCode = r.u8(1, 'subpageCode');
  const pageLength = r.u16(2, 'pageLength');
  const requiredLength = pageLength + 4;
  const availableLength = Math.min(r.length, requiredLength);
  const truncated = availableLength < requiredLength;
  const parameters: LogParameter[] = [];
  if (!isSupportedPagesList(pageCode, subpageCode)) {
    let off = 4;
    while (off < availableLength) {
      if (off + 4 > availableLength) {
        if (truncated) break;
        throw new DecodeError(
          'parameterLength',
          `${availableLength - off} trailing byte(s) after the last parameter`,
          off,
        );
      }
      const length = r.u8(off + 3, 'parameterLength');
      const end = off + 4 + length;
      if (end > requiredLength) {
        throw new DecodeError(
          'parameterLength',
          `parameter 0x${r.u16(off, 'parameterCode').toString(16)} (length ${length}) runs past the page length ${pageLength}`,
          off + 3,
        );
      }
      if (end > availableLength) break;
      const controlByte = r.u8(off + 2, 'parameterControl');
      const control = decodeLogParameterControl(controlByte);
      const raw = r.slice(off + 4, length, 'parameterValue');
      const isCounter = control.formatAndLinking === 0 || control.formatAndLinking === 2;
      parameters.push({
        parameterCode: r.u16(off, 'parameterCode'),
        ...control,
        controlByte,
        length,
        ...(isCounter && length > 0 ? { value: bigFromBytes(raw) } : {}),
        ...(control.formatAndLinking === 1 ? { text: asciiValue(raw) } : {}),
        raw,
        offset: off,
      });
      off = end;
    }
  }
  const body = r.slice(4, availableLength - 4, 'pageBody');
  return {
    pageCode,
    subpageCode,
    spf,
    ds,
    pageLength,
    parameters,
    truncated,
    requiredLength,
    availableLength,
    body,
  };
}

/** Finds a parameter by code. */
export function findLogParameter(
  page: Pick<LogPageFrame, 'parameters'>,
  parameterCode: number,
): LogParameter | undefined {
  return page.parameters.find((p) => p.parameterCode === parameterCode);
}

// ---------------------------------------------------------------------------------------------
// LOG SELECT parameter list
// ---------------------------------------------------------------------------------------------

/** One parameter to send with LOG SELECT. */
export interface LogSelectParameter {
  readonly parameterCode: number;
  /** @default false */
  readonly du?: boolean;
  /** @default false */
  readonly tsd?: boolean;
  /** @default false */
  readonly etc?: boolean;
  /** @default 0 */
  readonly tmc?: number;
  /** @default 0 (bounded data counter) for a bigint value, 3 (binary list) for bytes */
  readonly formatAndLinking?: LogFormatAndLinking;
  /** Counter value, or the value bytes as they are. @default empty (length 0) */
  readonly value?: bigint | Uint8Array;
  /**
   * PARAMETER LENGTH. For a bigint value @default 4 when it fits 32 bits, else 8 (devices want
   * the length they report in LOG SENSE, so pass it when you know it). For bytes it must match.
   */
  readonly length?: number;
}

export interface LogSelectDataParams {
  readonly pageCode: number;
  /** @default 0 */
  readonly subpageCode?: number;
  /** @default true when subpageCode is not 0 */
  readonly spf?: boolean;
  /** Disable save for the page. @default false */
  readonly ds?: boolean;
  /** @default [] */
  readonly parameters?: readonly LogSelectParameter[];
}

export const LogSelectParameterSchema = z.object({
  parameterCode: z.number().int().min(0).max(0xffff),
  du: z.boolean().optional(),
  tsd: z.boolean().optional(),
  etc: z.boolean().optional(),
  tmc: z.number().int().min(0).max(3).optional(),
  formatAndLinking: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).optional(),
  value: z.union([z.bigint().min(0n), z.instanceof(Uint8Array)]).optional(),
  length: z.number().int().min(0).max(255).optional(),
});

export const LogSelectDataParamsSchema = z.object({
  pageCode: z.number().int().min(0).max(0x3f),
  subpageCode: z.number().int().min(0).max(0xff).optional(),
  spf: z.boolean().optional(),
  ds: z.boolean().optional(),
  parameters: z.array(LogSelectParameterSchema).optional(),
});

function encodeParameter(p: LogSelectParameter, i: number): Uint8Array {
  const name = `parameters[${i}]`;
  checkUint(p.parameterCode, 16, `${name}.parameterCode`);
  let valueBytes: Uint8Array;
  let defaultFormat: LogFormatAndLinking;
  if (p.value instanceof Uint8Array) {
    if (p.length !== undefined && p.length !== p.value.length) {
      throw new CdbBuildError(`${name}.length`, `is ${p.length} but the value has ${p.value.length} byte(s)`);
    }
    valueBytes = p.value;
    defaultFormat = 3;
  } else if (p.value === undefined) {
    valueBytes = new Uint8Array(checkUint(p.length ?? 0, 8, `${name}.length`));
    defaultFormat = 0;
  } else {
    const v = checkBigUint(p.value, 8 * 255, `${name}.value`);
    const length = checkUint(p.length ?? (v <= 0xffffffffn ? 4 : 8), 8, `${name}.length`);
    checkBigUint(v, length * 8, `${name}.value`);
    valueBytes = new Uint8Array(length);
    let rest = v;
    for (let k = length - 1; k >= 0; k--) {
      valueBytes[k] = Number(rest & 0xffn);
      rest >>= 8n;
    }
    defaultFormat = 0;
  }
  if (valueBytes.length > 0xff) {
    throw new CdbBuildError(`${name}.value`, `is ${valueBytes.length} bytes`, '255 bytes');
  }
  let control: number;
  try {
    control = encodeLogParameterControl({
      du: p.du ?? false,
      tsd: p.tsd ?? false,
      etc: p.etc ?? false,
      tmc: p.tmc ?? 0,
      formatAndLinking: p.formatAndLinking ?? defaultFormat,
    });
  } catch (e) {
    if (e instanceof CdbBuildError) throw new CdbBuildError(`${name}.${e.field}`, e.message);
    throw e;
  }
  const out = new Uint8Array(4 + valueBytes.length);
  putU16(out, 0, p.parameterCode);
  out[2] = control;
  out[3] = valueBytes.length;
  out.set(valueBytes, 4);
  return out;
}

/**
 * Builds a LOG SELECT parameter list: one log page (header + parameters). To reset all counters
 * send LOG SELECT with PCR=1 and no parameter list instead; this list is for setting values or
 * thresholds (PC=00b/10b) of individual parameters.
 */
export function buildLogSelectData(params: LogSelectDataParams): Uint8Array {
  checkParams(params, 'params');
  const pageCode = checkUint(params.pageCode, 6, 'pageCode');
  const subpageCode = checkUint(params.subpageCode ?? 0, 8, 'subpageCode');
  const spf = params.spf ?? subpageCode !== 0;
  if (!spf && subpageCode !== 0) throw new CdbBuildError('spf', 'must be true when subpageCode is not 0');
  if (params.parameters !== undefined && !Array.isArray(params.parameters)) {
    throw new CdbBuildError('parameters', 'must be an array of log parameters');
  }
  const encoded = (params.parameters ?? []).map(encodeParameter);
  const length = encoded.reduce((n, b) => n + b.length, 0);
  if (length > 0xffff)
    throw new CdbBuildError('parameters', `page would be ${length} bytes long`, '65535 bytes');
  const out = new Uint8Array(4 + length);
  out[0] = (params.ds === true ? 0x80 : 0) | (spf ? 0x40 : 0) | pageCode;
  out[1] = subpageCode;
  putU16(out, 2, length);
  let off = 4;
  for (const b of encoded) {
    out.set(b, off);
    off += b.length;
  }
  return out;
}

/**
 * SEND DIAGNOSTIC, RECEIVE DIAGNOSTIC RESULTS, READ BUFFER(10/16) and WRITE BUFFER builders (SPC-6),
 * plus a planner that splits a microcode image into WRITE BUFFER download commands.
 */
import { z } from 'zod';
import { checkParams } from '../args.js';
import { checkBigUint, checkUint, putU16, putU24, putU32, putU64 } from '../bytes.js';
import { CdbBuildError } from '../errors.js';
import type { CdbSpec } from '../types.js';
import { flag, pickCode, specIn, specOut, zBigUint, zCode, zUint } from './cdb-spec.js';

// ---------------------------------------------------------------------------------------------
// SEND DIAGNOSTIC (SPC-6)

/** SELF-TEST CODE values (SPC-6). */
export type SelfTestCode =
  | 'backgroundShort'
  | 'backgroundExtended'
  | 'abortBackground'
  | 'foregroundShort'
  | 'foregroundExtended';
export const SELF_TEST_CODE: Readonly<Record<SelfTestCode, number>> = {
  backgroundShort: 0x1,
  backgroundExtended: 0x2,
  abortBackground: 0x4,
  foregroundShort: 0x5,
  foregroundExtended: 0x6,
};

export interface SendDiagnosticParams {
  /** Name or 3-bit value; must be 0 when `selfTest` is set. @default 0 */
  readonly selfTestCode?: SelfTestCode | number;
  /** Page format: the parameter list holds diagnostic pages. Set it when sending pages. @default false */
  readonly pf?: boolean;
  /** Run the default self-test (result in status, not in a page). @default false */
  readonly selfTest?: boolean;
  /** Device offline: the test may affect other logical units. @default false */
  readonly devOffl?: boolean;
  /** Unit offline: the test may change user-visible state of this logical unit. @default false */
  readonly unitOffl?: boolean;
  /** Bytes of diagnostic pages sent (16 bits). @default 0 */
  readonly parameterListLength?: number;
}

export const SendDiagnosticParamsSchema: z.ZodType<SendDiagnosticParams> = z
  .strictObject({
    selfTestCode: zCode(SELF_TEST_CODE, 3).exactOptional(),
    pf: z.boolean().exactOptional(),
    selfTest: z.boolean().exactOptional(),
    devOffl: z.boolean().exactOptional(),
    unitOffl: z.boolean().exactOptional(),
    parameterListLength: zUint(16).exactOptional(),
  })
  .refine((p) => p.selfTest !== true || !p.selfTestCode, {
    message: 'selfTest needs selfTestCode 0',
    path: ['selfTestCode'],
  });

/** SEND DIAGNOSTIC: SELFTEST with a non-zero SELF-TEST CODE is ILLEGAL REQUEST, so it is refused. */
export function buildSendDiagnostic(params: SendDiagnosticParams = {}): CdbSpec {
  checkParams(params, 'params');
  const code = pickCode(SELF_TEST_CODE, params.selfTestCode ?? 0, 3, 'selfTestCode');
  const selfTest = flag(params.selfTest, 2, 'selfTest');
  if (selfTest !== 0 && code !== 0) {
    throw new CdbBuildError('selfTestCode', 'must be 0 when selfTest is set');
  }
  const length = checkUint(params.parameterListLength ?? 0, 16, 'parameterListLength');
  const cdb = new Uint8Array(6);
  cdb[0] = 0x1d;
  cdb[1] =
    (code << 5) |
    flag(params.pf, 4, 'pf') |
    selfTest |
    flag(params.devOffl, 1, 'devOffl') |
    flag(params.unitOffl, 0, 'unitOffl');
  putU16(cdb, 3, length);
  return specOut(cdb, length, 'SEND DIAGNOSTIC');
}

export interface DiagnosticPageParams {
  readonly pageCode: number;
  /** Byte 1, page specific (e.g. SES generation flags). @default 0 */
  readonly pageSpecific?: number;
  /** Page body after the 4-byte header. @default empty */
  readonly data?: Uint8Array;
}

export const DiagnosticPageParamsSchema: z.ZodType<DiagnosticPageParams> = z.strictObject({
  pageCode: zUint(8),
  pageSpecific: zUint(8).exactOptional(),
  data: z.instanceof(Uint8Array).exactOptional(),
});

/** A diagnostic page for SEND DIAGNOSTIC's parameter list: PAGE CODE, byte 1, PAGE LENGTH, body. */
export function buildDiagnosticPage(params: DiagnosticPageParams): Uint8Array {
  checkParams(params, 'params');
  const data = params.data ?? new Uint8Array(0);
  if (!(data instanceof Uint8Array)) throw new CdbBuildError('data', 'must be a Uint8Array');
  checkUint(data.length, 16, 'data.length');
  const out = new Uint8Array(4 + data.length);
  out[0] = checkUint(params.pageCode, 8, 'pageCode');
  out[1] = checkUint(params.pageSpecific ?? 0, 8, 'pageSpecific');
  putU16(out, 2, data.length);
  out.set(data, 4);
  return out;
}

// ---------------------------------------------------------------------------------------------
// RECEIVE DIAGNOSTIC RESULTS (SPC-6)

export interface ReceiveDiagnosticResultsParams {
  /** Page code valid: return page `pageCode` instead of the results of the last SEND DIAGNOSTIC. @default false */
  readonly pcv?: boolean;
  /** Must be 0 (or absent) unless `pcv` is set. @default 0 */
  readonly pageCode?: number;
  /** 16 bits. @default 4096 */
  readonly allocationLength?: number;
}

export const ReceiveDiagnosticResultsParamsSchema: z.ZodType<ReceiveDiagnosticResultsParams> = z
  .strictObject({
    pcv: z.boolean().exactOptional(),
    pageCode: zUint(8).exactOptional(),
    allocationLength: zUint(16).exactOptional(),
  })
  .refine((p) => p.pcv === true || !p.pageCode, { message: 'pageCode needs pcv: true', path: ['pageCode'] });

/** RECEIVE DIAGNOSTIC RESULTS: without PCV the device ignores PAGE CODE, so a non-zero one is refused. */
export function buildReceiveDiagnosticResults(params: ReceiveDiagnosticResultsParams = {}): CdbSpec {
  checkParams(params, 'params');
  const pcv = flag(params.pcv, 0, 'pcv');
  const pageCode = checkUint(params.pageCode ?? 0, 8, 'pageCode');
  if (pcv === 0 && pageCode !== 0) {
    throw new CdbBuildError('pageCode', `page ${pageCode} requires pcv: true`);
  }
  const allocationLength = checkUint(params.allocationLength ?? 4096, 16, 'allocationLength');
  const cdb = new Uint8Array(6);
  cdb[0] = 0x1c;
  cdb[1] = pcv;
  cdb[2] = pageCode;
  putU16(cdb, 3, allocationLength);
  return specIn(cdb, allocationLength, 'RECEIVE DIAGNOSTIC RESULTS');
}

// ---------------------------------------------------------------------------------------------
// READ BUFFER(10) / READ BUFFER(16) (SPC-6)

/** READ BUFFER MODE values (SPC-6). */
export type ReadBufferMode =
  | 'combined'
  | 'vendor'
  | 'data'
  | 'descriptor'
  | 'echo'
  | 'echoDescriptor'
  | 'microcodeStatus'
  | 'enableExpanderComms'
  | 'errorHistory';
export const READ_BUFFER_MODE: Readonly<Record<ReadBufferMode, number>> = {
  combined: 0x00,
  vendor: 0x01,
  data: 0x02,
  descriptor: 0x03,
  echo: 0x0a,
  echoDescriptor: 0x0b,
  microcodeStatus: 0x0f,
  enableExpanderComms: 0x1a,
  errorHistory: 0x1c,
};

export interface ReadBuffer10Params {
  /**
   * Name or 5-bit value. 'descriptor' returns 4 bytes (OFFSET BOUNDARY, BUFFER CAPACITY); for
   * 'errorHistory' the buffer ID selects directory (00h), data (10h-EFh), clear (FEh) or release (FFh).
   */
  readonly mode: ReadBufferMode | number;
  /** 3 bits (bits 7-5 of byte 1, SPC-5 and later). @default 0 */
  readonly modeSpecific?: number;
  /** @default 0 */
  readonly bufferId?: number;
  /** 24 bits; must honour the OFFSET BOUNDARY from descriptor mode. @default 0 */
  readonly bufferOffset?: number;
  /** 24 bits. */
  readonly allocationLength: number;
}

export interface ReadBuffer16Params extends Omit<ReadBuffer10Params, 'bufferOffset' | 'allocationLength'> {
  /** 64 bits. @default 0n */
  readonly bufferOffset?: bigint;
  /** 32 bits. */
  readonly allocationLength: number;
}

const zReadBufferCommon = {
  mode: zCode(READ_BUFFER_MODE, 5),
  modeSpecific: zUint(3).exactOptional(),
  bufferId: zUint(8).exactOptional(),
};

export const ReadBuffer10ParamsSchema: z.ZodType<ReadBuffer10Params> = z.strictObject({
  ...zReadBufferCommon,
  bufferOffset: zUint(24).exactOptional(),
  allocationLength: zUint(24),
});

export const ReadBuffer16ParamsSchema: z.ZodType<ReadBuffer16Params> = z.strictObject({
  ...zReadBufferCommon,
  bufferOffset: zBigUint(64).exactOptional(),
  allocationLength: zUint(32),
});

function readBufferByte1(params: ReadBuffer10Params | ReadBuffer16Params): number {
  const mode = pickCode(READ_BUFFER_MODE, params.mode, 5, 'mode');
  return (checkUint(params.modeSpecific ?? 0, 3, 'modeSpecific') << 5) | mode;
}

export function buildReadBuffer10(params: ReadBuffer10Params): CdbSpec {
  checkParams(params, 'params');
  const allocationLength = checkUint(params.allocationLength, 24, 'allocationLength');
  const cdb = new Uint8Array(10);
  cdb[0] = 0x3c;
  cdb[1] = readBufferByte1(params);
  cdb[2] = checkUint(params.bufferId ?? 0, 8, 'bufferId');
  putU24(cdb, 3, checkUint(params.bufferOffset ?? 0, 24, 'bufferOffset'));
  putU24(cdb, 6, allocationLength);
  return specIn(cdb, allocationLength, 'READ BUFFER(10)');
}

/** READ BUFFER(16): offset in bytes 2-9, allocation length 10-13, buffer ID in byte 14. */
export function buildReadBuffer16(params: ReadBuffer16Params): CdbSpec {
  checkParams(params, 'params');
  const allocationLength = checkUint(params.allocationLength, 32, 'allocationLength');
  const cdb = new Uint8Array(16);
  cdb[0] = 0x9b;
  cdb[1] = readBufferByte1(params);
  putU64(cdb, 2, checkBigUint(params.bufferOffset ?? 0n, 64, 'bufferOffset'));
  putU32(cdb, 10, allocationLength);
  cdb[14] = checkUint(params.bufferId ?? 0, 8, 'bufferId');
  return specIn(cdb, allocationLength, 'READ BUFFER(16)');
}

// ---------------------------------------------------------------------------------------------
// WRITE BUFFER (SPC-6)

/** WRITE BUFFER MODE values (SPC-6). */
export type WriteBufferMode =
  | 'combined'
  | 'vendor'
  | 'data'
  | 'download'
  | 'downloadSave'
  | 'downloadOffsets'
  | 'downloadOffsetsSave'
  | 'echo'
  | 'downloadOffsetsSelectActivation'
  | 'downloadOffsetsDefer'
  | 'activateDeferred'
  | 'enableExpanderComms'
  | 'disableExpanderComms'
  | 'downloadErrorHistory';
export const WRITE_BUFFER_MODE: Readonly<Record<WriteBufferMode, number>> = {
  combined: 0x00,
  vendor: 0x01,
  data: 0x02,
  download: 0x04,
  downloadSave: 0x05,
  downloadOffsets: 0x06,
  downloadOffsetsSave: 0x07,
  echo: 0x0a,
  downloadOffsetsSelectActivation: 0x0d,
  downloadOffsetsDefer: 0x0e,
  activateDeferred: 0x0f,
  enableExpanderComms: 0x1a,
  disableExpanderComms: 0x1b,
  downloadErrorHistory: 0x1c,
};

/** Mode 0Dh MODE SPECIFIC bits: activate on power on, on hard reset, on a vendor-specific event. */
export const WRITE_BUFFER_ACTIVATION = { poAct: 0x4, hrAct: 0x2, vseAct: 0x1 } as const;

export interface WriteBufferParams {
  /** Name or 5-bit value. */
  readonly mode: WriteBufferMode | number;
  /** 3 bits (bits 7-5 of byte 1); for mode 0Dh see WRITE_BUFFER_ACTIVATION. @default 0 */
  readonly modeSpecific?: number;
  /** @default 0 */
  readonly bufferId?: number;
  /** 24 bits. @default 0 */
  readonly bufferOffset?: number;
  /** Bytes sent (24 bits); 0 for 'activateDeferred'. @default 0 */
  readonly parameterListLength?: number;
}

export const WriteBufferParamsSchema: z.ZodType<WriteBufferParams> = z.strictObject({
  mode: zCode(WRITE_BUFFER_MODE, 5),
  modeSpecific: zUint(3).exactOptional(),
  bufferId: zUint(8).exactOptional(),
  bufferOffset: zUint(24).exactOptional(),
  parameterListLength: zUint(24).exactOptional(),
});

export function buildWriteBuffer(params: WriteBufferParams): CdbSpec {
  checkParams(params, 'params');
  const mode = pickCode(WRITE_BUFFER_MODE, params.mode, 5, 'mode');
  const length = checkUint(params.parameterListLength ?? 0, 24, 'parameterListLength');
  const cdb = new Uint8Array(10);
  cdb[0] = 0x3b;
  cdb[1] = (checkUint(params.modeSpecific ?? 0, 3, 'modeSpecific') << 5) | mode;
  cdb[2] = checkUint(params.bufferId ?? 0, 8, 'bufferId');
  putU24(cdb, 3, checkUint(params.bufferOffset ?? 0, 24, 'bufferOffset'));
  putU24(cdb, 6, length);
  return specOut(cdb, length, 'WRITE BUFFER');
}

export interface ActivateDeferredMicrocodeParams {
  /** @default 0 */
  readonly bufferId?: number;
}

export const ActivateDeferredMicrocodeParamsSchema: z.ZodType<ActivateDeferredMicrocodeParams> =
  z.strictObject({ bufferId: zUint(8).exactOptional() });

/** WRITE BUFFER mode 0Fh: activate microcode downloaded with mode 0Dh or 0Eh. No data. */
export function buildActivateDeferredMicrocode(params: ActivateDeferredMicrocodeParams = {}): CdbSpec {
  checkParams(params, 'params');
  return buildWriteBuffer({ mode: 'activateDeferred', bufferId: params.bufferId ?? 0 });
}

// ---------------------------------------------------------------------------------------------
// Microcode download planning

/** WRITE BUFFER modes that download microcode. */
export type MicrocodeDownloadMode =
  | 'download'
  | 'downloadSave'
  | 'downloadOffsets'
  | 'downloadOffsetsSave'
  | 'downloadOffsetsSelectActivation'
  | 'downloadOffsetsDefer';
const MICROCODE_MODES: ReadonlySet<number> = new Set([0x04, 0x05, 0x06, 0x07, 0x0d, 0x0e]);
const OFFSET_MODES: ReadonlySet<number> = new Set([0x06, 0x07, 0x0d, 0x0e]);

export interface MicrocodeDownloadOptions {
  /** @default 0 */
  readonly bufferId?: number;
  /** MODE SPECIFIC bits (activation events for mode 0Dh). @default 0 */
  readonly modeSpecific?: number;
  /**
   * OFFSET BOUNDARY from READ BUFFER descriptor mode: offsets must be multiples of 2^n; FFh means
   * only offset 0 is allowed (the whole image in one command). @default no alignment check
   */
  readonly offsetBoundary?: number;
  /** BUFFER CAPACITY from READ BUFFER descriptor mode: no chunk may exceed it. @default no check */
  readonly bufferCapacity?: number;
}

export const MicrocodeDownloadOptionsSchema: z.ZodType<MicrocodeDownloadOptions> = z.strictObject({
  bufferId: zUint(8).exactOptional(),
  modeSpecific: zUint(3).exactOptional(),
  offsetBoundary: zUint(8).exactOptional(),
  bufferCapacity: zUint(24).exactOptional(),
});

/** One WRITE BUFFER command of a download: send `image.subarray(offset, offset + length)` with `spec`. */
export interface MicrocodeChunk {
  readonly offset: number;
  readonly length: number;
  readonly spec: CdbSpec;
}

/**
 * Splits a microcode image of `imageLength` bytes into WRITE BUFFER commands of at most `chunkSize`
 * bytes, in ascending offset order (devices expect them so). Modes 04h/05h carry no offset, so the
 * whole image must fit one command. After mode 0Dh/0Eh, send buildActivateDeferredMicrocode().
 * @default mode 'downloadOffsetsDefer' (0Eh)
 */
export function planMicrocodeDownload(
  imageLength: number,
  chunkSize: number,
  mode: MicrocodeDownloadMode | number = 'downloadOffsetsDefer',
  options: MicrocodeDownloadOptions = {},
): MicrocodeChunk[] {
  const modeCode = pickCode(WRITE_BUFFER_MODE, mode, 5, 'mode');
  if (!MICROCODE_MODES.has(modeCode)) {
    throw new CdbBuildError('mode', `0x${modeCode.toString(16)} is not a microcode download mode`);
  }
  checkUint(imageLength, 32, 'imageLength');
  if (imageLength === 0) throw new CdbBuildError('imageLength', 'must be at least 1');
  checkUint(chunkSize, 24, 'chunkSize');
  if (chunkSize === 0) throw new CdbBuildError('chunkSize', 'must be at least 1');
  const bufferId = checkUint(options.bufferId ?? 0, 8, 'bufferId');
  const modeSpecific = checkUint(options.modeSpecific ?? 0, 3, 'modeSpecific');
  if (options.bufferCapacity !== undefined) {
    const capacity = checkUint(options.bufferCapacity, 24, 'bufferCapacity');
    if (chunkSize > capacity) {
      throw new CdbBuildError('chunkSize', `${chunkSize} exceeds the buffer capacity ${capacity}`);
    }
  }
  let single = !OFFSET_MODES.has(modeCode);
  if (options.offsetBoundary !== undefined) {
    const boundary = checkUint(options.offsetBoundary, 8, 'offsetBoundary');
    if (boundary === 0xff) {
      single = true;
    } else if (boundary > 23 || chunkSize % 2 ** boundary !== 0) {
      throw new CdbBuildError(
        'chunkSize',
        `${chunkSize} is not a multiple of the offset boundary 2^${boundary}`,
        `multiple of ${2 ** boundary}`,
      );
    }
  }
  if (single && imageLength > chunkSize) {
    throw new CdbBuildError(
      'imageLength',
      `${imageLength} bytes do not fit one command of ${chunkSize} (mode 0x${modeCode.toString(16)} or offset boundary FFh allows no offsets)`,
    );
  }
  const lastOffset = Math.floor((imageLength - 1) / chunkSize) * chunkSize;
  if (lastOffset > 0xffffff) {
    throw new CdbBuildError(
      'imageLength',
      `${imageLength} bytes need offsets beyond 24 bits`,
      '24-bit offsets',
    );
  }
  const chunks: MicrocodeChunk[] = [];
  for (let offset = 0; offset < imageLength; offset += chunkSize) {
    const length = Math.min(chunkSize, imageLength - offset);
    const spec = buildWriteBuffer({
      mode: modeCode,
      modeSpecific,
      bufferId,
      bufferOffset: offset,
      parameterListLength: length,
    });
    chunks.push({ offset, length, spec });
  }
  return chunks;
}

/**
 * SSC tape commands as plain functions over the funnel, and `device.tape`, which binds them.
 *
 * The READ contract (as the Linux st driver and sg3_utils' sg_dd treat a tape): a READ that stops
 * early for a reason SSC reports with NO SENSE (a filemark, a block shorter or longer than asked)
 * or with BLANK CHECK / END-OF-DATA DETECTED resolves — it is how a tape says "end of file" or
 * "end of recorded data", not a failure — with a `TapeReadResult` holding the bytes that did
 * arrive, the flags and the residue (INFORMATION). Everything else (MEDIUM ERROR, an EOM reached
 * while reading, NOT READY, ILLEGAL REQUEST…) rejects with CheckConditionError. Like st, the
 * position after a READ that met a filemark is after the filemark. SPACE resolves the same way
 * when it stops at a filemark, at end of data or at the beginning of the partition; WRITE and
 * WRITE FILEMARKS resolve at the early warning (NO SENSE with EOM: the data was written) and
 * reject at VOLUME OVERFLOW.
 */
import {
  type BlockLimits,
  buildErase6,
  buildLoadUnload,
  buildLocate10,
  buildLocate16,
  buildLogSense,
  buildModeSelect6,
  buildModeSelectData,
  buildModeSense6,
  buildReadBlockLimits,
  buildReadPosition,
  buildReportDensitySupport,
  buildRewind,
  buildSpace6,
  buildSpace16,
  buildTapeRead6,
  buildTapeWrite6,
  buildTestUnitReady,
  buildWriteFilemarks6,
  buildWriteFilemarks16,
  type DataCompressionPage,
  type DensitySupport,
  type DeviceConfigurationPage,
  decodeDataCompressionPage,
  decodeDeviceConfigurationPage,
  decodeModeSense6,
  decodeReadBlockLimits,
  decodeReadBlockLimitsMloi,
  decodeReadPositionExtended,
  decodeReadPositionLong,
  decodeReadPositionShort,
  decodeReportDensitySupport,
  decodeTapeAlertPage,
  decodeTapeBlockDescriptor,
  decodeTapeDeviceSpecificParameter,
  type ReadPosition,
  type ReadPositionExtended,
  type ReadPositionForm,
  type ReadPositionLong,
  type ReadPositionShort,
  SENSE_KEY,
  type SenseData,
  type SpaceCode,
  TAPE_PERIPHERAL_TYPE,
  type TapeAlertPage,
} from '@scsikit/cdb';
import { CheckConditionError, InvalidArgumentError } from '../errors.js';
import { type CommandOptions, type CommandRunner, readDecoded } from '../funnel.js';

/** Largest TRANSFER LENGTH / COUNT of a 6-byte SSC CDB (24 bits). */
const MAX_U24 = 0xff_ffff;

// ---------------------------------------------------------------------------------------------
// The sense data a tape reports on a short transfer or move

/** INFORMATION as a signed number: SSC writes a negative residue (an overlength block) in two's complement. */
function signedInformation(sense: SenseData): number | undefined {
  if (sense.format === 'vendor' || !sense.valid || sense.information === undefined) return undefined;
  const bits = sense.format === 'fixed' ? 32n : 64n;
  let v = sense.information;
  if (v >= 1n << (bits - 1n)) v -= 1n << bits;
  return Number(v);
}

/** What a tape's sense data says about a transfer or a move that stopped early. */
export interface TapeSenseFlags {
  /** FILEMARK: a filemark stopped it (the position is past the filemark when moving forward). */
  readonly filemark: boolean;
  /** END-OF-DATA DETECTED (BLANK CHECK 00h/05h): nothing is recorded past this point. */
  readonly endOfData: boolean;
  /** EOM: the early warning or the end (or, moving backwards, the beginning) of the partition. */
  readonly eom: boolean;
  /** ILI: the block was not the length asked for (variable mode). */
  readonly ili: boolean;
  /**
   * INFORMATION: what was asked minus what was done (bytes in variable mode, blocks in fixed mode,
   * blocks or filemarks for SPACE). Negative for a block longer than asked. 0 when nothing stopped
   * early.
   */
  readonly residue: number;
}

const NO_FLAGS: TapeSenseFlags = { filemark: false, endOfData: false, eom: false, ili: false, residue: 0 };

/** The flags of a CHECK CONDITION a tape command resolves with; undefined for a real failure. */
export function tapeCondition(error: unknown): TapeSenseFlags | undefined {
  if (!(error instanceof CheckConditionError) || error.sense.format === 'vendor') return undefined;
  const s = error.sense;
  const endOfData = s.senseKey === SENSE_KEY.BLANK_CHECK && s.asc === 0x00 && s.ascq === 0x05;
  const early = s.senseKey === SENSE_KEY.NO_SENSE && (s.filemark || s.eom || s.ili);
  if (!endOfData && !early) return undefined;
  return { filemark: s.filemark, endOfData, eom: s.eom, ili: s.ili, residue: signedInformation(s) ?? 0 };
}

// ---------------------------------------------------------------------------------------------
// READ(6) / WRITE(6)

export interface TapeReadOptions extends CommandOptions {
  /**
   * Fixed-block mode: `length` counts blocks of this many bytes (the mode block descriptor's BLOCK
   * LENGTH, see `mode()`). Absent: variable-block mode, `length` is the byte count of one block.
   */
  readonly blockLength?: number;
  /** SILI (variable mode only): a shorter block is no CHECK CONDITION. @default false */
  readonly sili?: boolean;
  /** Where the data goes (at least the bytes asked for). @default a new buffer */
  readonly into?: Uint8Array;
}

export interface TapeReadResult extends TapeSenseFlags {
  /** The bytes that arrived (a view of the buffer). */
  readonly data: Uint8Array;
  /** Fixed mode: whole blocks read. Variable mode: 1 when a block was read, else 0. */
  readonly blocks: number;
  /** Variable mode: the block was longer than asked; `data` holds its first bytes, the rest is skipped. */
  readonly overlength: boolean;
}

function checkLength(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > MAX_U24) {
    throw new InvalidArgumentError(
      field,
      `${field} must be an integer in [0, ${MAX_U24}], got ${String(value)}`,
    );
  }
  return value;
}

function checkBlockLength(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1 || value > MAX_U24) {
    throw new InvalidArgumentError(
      'blockLength',
      `blockLength must be an integer in [1, ${MAX_U24}], got ${String(value)}`,
    );
  }
  return value;
}

/**
 * READ(6): one block of up to `length` bytes (variable mode) or `length` blocks of `blockLength`
 * bytes (fixed mode). Resolves at a filemark, end of data or a length mismatch (see the file's
 * contract); rejects with CheckConditionError otherwise. Never retried (it moves the tape).
 */
export async function read(
  runner: CommandRunner,
  length: number,
  options: TapeReadOptions = {},
): Promise<TapeReadResult> {
  checkLength(length, 'length');
  const blockLength = checkBlockLength(options.blockLength);
  const fixed = blockLength !== undefined;
  if (fixed && options.sili === true) {
    throw new InvalidArgumentError(
      'sili',
      'SILI is for variable-block mode only (SSC: SILI with FIXED is illegal)',
    );
  }
  const spec = buildTapeRead6({
    fixed,
    length,
    ...(fixed ? { blockLength } : {}),
    ...(options.sili === true ? { sili: true } : {}),
  });
  if (spec.transferLength > runner.maxTransferBytes) {
    throw new InvalidArgumentError(
      'length',
      `a read of ${spec.transferLength} bytes exceeds the transport's ${runner.maxTransferBytes}`,
    );
  }
  const buffer = options.into ?? new Uint8Array(spec.transferLength);
  if (buffer.length < spec.transferLength) {
    throw new InvalidArgumentError(
      'into',
      `into holds ${buffer.length} bytes, the read needs ${spec.transferLength}`,
    );
  }
  const into = buffer.subarray(0, spec.transferLength);
  let flags = NO_FLAGS;
  let transportResidual = 0;
  try {
    const r = await runner.run(spec, { ...options, into });
    transportResidual = r.residual;
  } catch (e) {
    const f = tapeCondition(e);
    if (f === undefined) throw e;
    flags = f;
    transportResidual = (e as CheckConditionError).result.residual;
  }
  let bytes: number;
  let blocks: number;
  let overlength = false;
  if (fixed) {
    // The residue counts blocks not read; without one, trust the transport's residual.
    blocks = flags === NO_FLAGS ? length : Math.max(0, Math.min(length, length - flags.residue));
    bytes = blocks * blockLength;
  } else if (flags.ili && flags.residue < 0) {
    overlength = true;
    bytes = length;
    blocks = 1;
  } else {
    bytes = Math.max(0, Math.min(length, length - flags.residue));
    // SILI suppresses the CHECK CONDITION: the transport's residual is the only sign of a short block.
    if (flags === NO_FLAGS) bytes = Math.max(0, length - transportResidual);
    blocks = flags.filemark || flags.endOfData ? 0 : 1;
  }
  return { ...flags, data: into.subarray(0, bytes), blocks, overlength };
}

export interface TapeWriteOptions extends CommandOptions {
  /** Fixed-block mode: `data` is whole blocks of this many bytes. Absent: variable mode, one block. */
  readonly blockLength?: number;
}

/** What WRITE(6) and WRITE FILEMARKS resolve with: all written, perhaps past the early warning. */
export interface TapeWriteResult {
  /** EOM (NO SENSE): past the early warning; the data was written, the medium is nearly full. */
  readonly earlyWarning: boolean;
  /** Blocks (fixed) or bytes (variable) not written: INFORMATION when the drive reported one. */
  readonly residue: number;
}

/** WRITE(6): `data` as one variable-length block, or as whole blocks of `blockLength` (fixed mode). */
export async function write(
  runner: CommandRunner,
  data: Uint8Array,
  options: TapeWriteOptions = {},
): Promise<TapeWriteResult> {
  if (!(data instanceof Uint8Array)) throw new InvalidArgumentError('data', 'data must be a Uint8Array');
  const blockLength = checkBlockLength(options.blockLength);
  let length: number;
  if (blockLength === undefined) {
    if (data.length < 1)
      throw new InvalidArgumentError('data', 'a variable-mode block needs at least one byte');
    length = checkLength(data.length, 'data.length');
  } else {
    if (data.length === 0 || data.length % blockLength !== 0) {
      throw new InvalidArgumentError(
        'data',
        `fixed-mode data must be a non-zero multiple of the block length ${blockLength}, got ${data.length} bytes`,
      );
    }
    length = checkLength(data.length / blockLength, 'blocks');
  }
  if (data.length > runner.maxTransferBytes) {
    throw new InvalidArgumentError(
      'data',
      `${data.length} bytes exceed the transport's ${runner.maxTransferBytes}`,
    );
  }
  const spec = buildTapeWrite6({
    fixed: blockLength !== undefined,
    length,
    ...(blockLength === undefined ? {} : { blockLength }),
  });
  try {
    await runner.run(spec, { ...options, data });
    return { earlyWarning: false, residue: 0 };
  } catch (e) {
    const f = tapeCondition(e);
    if (f === undefined || !f.eom || f.endOfData) throw e;
    return { earlyWarning: true, residue: f.residue };
  }
}

// ---------------------------------------------------------------------------------------------
// Positioning

export interface SpaceOptions extends CommandOptions {
  /** What to count. @default 'blocks' */
  readonly code?: SpaceCode;
  /** SPACE(16) instead of SPACE(6) (counts beyond 24 bits). @default when the count needs it */
  readonly sixteen?: boolean;
}

/** SPACE's outcome: all flags false and residue 0 when it moved the whole count. */
export type SpaceResult = TapeSenseFlags;

/**
 * SPACE(6) (or SPACE(16) for a count beyond 24 bits): `count` blocks, filemarks or sequential
 * filemarks, negative backwards; code 'endOfData' ignores the count. Resolves when a filemark, end
 * of data or the beginning of the partition stops it (flags and residue say which and how far
 * short); rejects with CheckConditionError otherwise. Never retried.
 */
export async function space(
  runner: CommandRunner,
  count: number | bigint,
  options: SpaceOptions = {},
): Promise<SpaceResult> {
  const code = options.code ?? 'blocks';
  if (typeof count === 'number' && !Number.isSafeInteger(count)) {
    throw new InvalidArgumentError('count', `count must be an integer, got ${String(count)}`);
  }
  const big = BigInt(count);
  const fits6 = big >= -(1n << 23n) && big < 1n << 23n;
  const spec =
    options.sixteen === true || !fits6
      ? buildSpace16({ code, count: big })
      : buildSpace6({ code, count: Number(big) });
  try {
    await runner.run(spec, options);
    return NO_FLAGS;
  } catch (e) {
    const f = tapeCondition(e);
    if (f === undefined) throw e;
    return f;
  }
}

export interface LocateOptions extends CommandOptions {
  /** Change to this partition first (CP). */
  readonly partition?: number;
  /** LOCATE(16) instead of LOCATE(10). @default when the address needs 64 bits */
  readonly sixteen?: boolean;
  /** LOCATE(16) only: count files (filemarks) instead of objects. @default 'object' */
  readonly destType?: 'object' | 'file' | 'endOfData';
}

/**
 * LOCATE(10) (or LOCATE(16)): positions before logical object `address` (blocks and filemarks
 * both count, from 0 at the beginning of the partition). Locating past end of data rejects with
 * CheckConditionError (BLANK CHECK) and leaves the tape at end of data.
 */
export async function locate(
  runner: CommandRunner,
  address: number | bigint,
  options: LocateOptions = {},
): Promise<void> {
  const big = typeof address === 'bigint' ? address : undefined;
  const sixteen =
    options.sixteen === true ||
    options.destType !== undefined ||
    (big !== undefined && big > 0xffff_ffffn) ||
    (typeof address === 'number' && address > 0xffff_ffff);
  const part = options.partition === undefined ? {} : { partition: options.partition };
  const spec = sixteen
    ? buildLocate16({
        logicalIdentifier: address,
        ...part,
        ...(options.destType === undefined ? {} : { destType: options.destType }),
      })
    : buildLocate10({ blockAddress: Number(address), ...part });
  await runner.run(spec, options);
}

/** REWIND: to the beginning of the current partition. */
export async function rewind(
  runner: CommandRunner,
  options: CommandOptions & { readonly immed?: boolean } = {},
): Promise<void> {
  await runner.run(buildRewind(options.immed === true ? { immed: true } : {}), options);
}

export interface LoadUnloadOptions extends CommandOptions {
  readonly immed?: boolean;
  readonly hold?: boolean;
  readonly eot?: boolean;
  readonly reten?: boolean;
}

/** LOAD UNLOAD with LOAD=1 (write-class, like START STOP UNIT). */
export async function load(runner: CommandRunner, options: LoadUnloadOptions = {}): Promise<void> {
  await runner.run(buildLoadUnload({ ...loadFlags(options), load: true }), options);
}

/** LOAD UNLOAD with LOAD=0: rewinds and unloads (ejects unless `hold`). Write-class. */
export async function unload(runner: CommandRunner, options: LoadUnloadOptions = {}): Promise<void> {
  await runner.run(buildLoadUnload({ ...loadFlags(options), load: false }), options);
}

function loadFlags(o: LoadUnloadOptions) {
  return {
    ...(o.immed === undefined ? {} : { immed: o.immed }),
    ...(o.hold === undefined ? {} : { hold: o.hold }),
    ...(o.eot === undefined ? {} : { eot: o.eot }),
    ...(o.reten === undefined ? {} : { reten: o.reten }),
  };
}

/** READ POSITION in the form asked for (short by default: what every SSC drive answers). */
export async function readPosition(
  runner: CommandRunner,
  form: 'short',
  options?: CommandOptions,
): Promise<ReadPositionShort>;
export async function readPosition(
  runner: CommandRunner,
  form: 'long',
  options?: CommandOptions,
): Promise<ReadPositionLong>;
export async function readPosition(
  runner: CommandRunner,
  form: 'extended',
  options?: CommandOptions,
): Promise<ReadPositionExtended>;
export async function readPosition(
  runner: CommandRunner,
  form: ReadPositionForm,
  options?: CommandOptions,
): Promise<ReadPosition>;
export async function readPosition(
  runner: CommandRunner,
  form: ReadPositionForm = 'short',
  options?: CommandOptions,
): Promise<ReadPosition> {
  const r = await runner.run(buildReadPosition({ form }), options);
  switch (form) {
    case 'long':
      return decodeReadPositionLong(r.data);
    case 'extended':
      return decodeReadPositionExtended(r.data);
    default:
      return decodeReadPositionShort(r.data);
  }
}

/** WRITE FILEMARKS(6) (or (16) with `sixteen`): `count` filemarks at the position; 0 flushes the buffer. */
export async function writeFilemarks(
  runner: CommandRunner,
  count = 1,
  options: CommandOptions & { readonly immed?: boolean; readonly sixteen?: boolean } = {},
): Promise<TapeWriteResult> {
  checkLength(count, 'count');
  const immed = options.immed === true ? { immed: true } : {};
  let spec = buildWriteFilemarks6({ count, ...immed });
  if (options.sixteen === true) {
    // WRITE FILEMARKS(16) names the place it writes: the current position, read first.
    const at = await readPosition(runner, 'short', options);
    spec = buildWriteFilemarks16({
      count,
      partition: at.partition,
      logicalObjectIdentifier: at.firstLocation,
      ...immed,
    });
  }
  try {
    await runner.run(spec, options);
    return { earlyWarning: false, residue: 0 };
  } catch (e) {
    const f = tapeCondition(e);
    if (f === undefined || !f.eom || f.endOfData) throw e;
    return { earlyWarning: true, residue: f.residue };
  }
}

/** ERASE(6): LONG erases from the position to the end of the partition. Write-class, never retried. */
export async function erase(
  runner: CommandRunner,
  options: CommandOptions & { readonly long?: boolean; readonly immed?: boolean } = {},
): Promise<void> {
  await runner.run(
    buildErase6({
      ...(options.long === undefined ? {} : { long: options.long }),
      ...(options.immed === undefined ? {} : { immed: options.immed }),
    }),
    options,
  );
}

// ---------------------------------------------------------------------------------------------
// Limits, densities, mode, TapeAlert

/** READ BLOCK LIMITS; with `mloi`, also the maximum logical object identifier (a second command). */
export async function readBlockLimits(
  runner: CommandRunner,
  options: CommandOptions & { readonly mloi?: boolean } = {},
): Promise<BlockLimits & { readonly maximumLogicalObjectIdentifier?: bigint }> {
  const limits = decodeReadBlockLimits((await runner.run(buildReadBlockLimits(), options)).data);
  if (options.mloi !== true) return limits;
  const r = await runner.run(buildReadBlockLimits({ mloi: true }), options);
  // A drive without the MLOI form answers the 6-byte limits again (scsi_debug does).
  if (r.data.length < 20) return limits;
  return { ...limits, ...decodeReadBlockLimitsMloi(r.data) };
}

/** REPORT DENSITY SUPPORT: density descriptors, or medium type descriptors with `mediumType`. */
export function reportDensitySupport(
  runner: CommandRunner,
  options: CommandOptions & { readonly media?: boolean; readonly mediumType?: boolean } = {},
): Promise<DensitySupport> {
  const flags = {
    ...(options.media === undefined ? {} : { media: options.media }),
    ...(options.mediumType === undefined ? {} : { mediumType: options.mediumType }),
  };
  return readDecoded(
    runner,
    (allocationLength) => buildReportDensitySupport({ ...flags, allocationLength }),
    (b) => decodeReportDensitySupport(b, { mediumType: options.mediumType === true }),
    8192,
    0xffff,
    options,
  );
}

/** The tape's mode as MODE SENSE(6)'s header and block descriptor give it. */
export interface TapeMode {
  readonly densityCode: number;
  /** 0: variable-block mode; else fixed-block mode with blocks of this many bytes. */
  readonly blockLength: number;
  readonly mode: 'fixed' | 'variable';
  readonly numberOfBlocks: number;
  readonly writeProtected: boolean;
  readonly bufferedMode: number;
  readonly speed: number;
  readonly mediumType: number;
}

/** MODE SENSE(6) with the block descriptor (DBD=0), as st and mt read a tape's mode. */
export async function mode(runner: CommandRunner, options?: CommandOptions): Promise<TapeMode> {
  // Only the header and the block descriptor (12 bytes) are read: the pages that follow are not
  // needed, and a malformed one (scsi_debug's 0Fh is 2 bytes shorter than its PAGE LENGTH) would
  // make the whole answer undecodable.
  const r = await runner.run(buildModeSense6({ pageCode: 0x3f, dbd: false, allocationLength: 12 }), options);
  const m = decodeModeSense6(r.data);
  const dsp = decodeTapeDeviceSpecificParameter(m.header.deviceSpecificParameter);
  const bd = m.blockDescriptors[0];
  const desc = bd === undefined ? undefined : decodeTapeBlockDescriptor(bd.raw);
  return {
    densityCode: desc?.densityCode ?? 0,
    blockLength: desc?.blockLength ?? 0,
    mode: desc?.mode ?? 'variable',
    numberOfBlocks: desc?.numberOfBlocks ?? 0,
    writeProtected: dsp.wp,
    bufferedMode: dsp.bufferedMode,
    speed: dsp.speed,
    mediumType: m.header.mediumType,
  };
}

/**
 * MODE SELECT(6) with one block descriptor: BLOCK LENGTH 0 selects variable-block mode, any other
 * fixed-block mode with blocks of that size (what `mt setblk` does). Keeps the density code unless
 * `densityCode` is given; buffered mode 1. Write-class.
 */
export async function setBlockLength(
  runner: CommandRunner,
  blockLength: number,
  options: CommandOptions & { readonly densityCode?: number } = {},
): Promise<void> {
  if (!Number.isInteger(blockLength) || blockLength < 0 || blockLength > MAX_U24) {
    throw new InvalidArgumentError(
      'blockLength',
      `blockLength must be an integer in [0, ${MAX_U24}], got ${String(blockLength)}`,
    );
  }
  const data = buildModeSelectData({
    headerSize: 6,
    deviceSpecificParameter: 0x10,
    blockDescriptors: [
      { kind: 'general', densityCode: options.densityCode ?? 0, densityNumberOfBlocks: 0, blockLength },
    ],
  });
  await runner.run(buildModeSelect6({ pf: true, parameterListLength: data.length }), { ...options, data });
}

async function modePage(runner: CommandRunner, page: number, options?: CommandOptions): Promise<Uint8Array> {
  const r = await runner.run(buildModeSense6({ pageCode: page, dbd: true, allocationLength: 255 }), options);
  const found = decodeModeSense6(r.data).pages.find((p) => p.pageCode === page);
  if (found === undefined) {
    throw new InvalidArgumentError('page', `the device returned no mode page ${page.toString(16)}h`);
  }
  return found.raw;
}

/** The Data Compression mode page (0Fh), current values. */
export async function compression(
  runner: CommandRunner,
  options?: CommandOptions,
): Promise<DataCompressionPage> {
  return decodeDataCompressionPage(await modePage(runner, 0x0f, options));
}

/** The Device Configuration mode page (10h), current values. */
export async function deviceConfiguration(
  runner: CommandRunner,
  options?: CommandOptions,
): Promise<DeviceConfigurationPage> {
  return decodeDeviceConfigurationPage(await modePage(runner, 0x10, options));
}

/** LOG SENSE page 2Eh: the 64 TapeAlert flags (reading the page clears them on most drives). */
export function tapeAlert(runner: CommandRunner, options?: CommandOptions): Promise<TapeAlertPage> {
  return readDecoded(
    runner,
    (allocationLength) => buildLogSense({ pageCode: 0x2e, allocationLength }),
    decodeTapeAlertPage,
    512,
    0xffff,
    options,
  );
}

/** What `status()` gathers, as `mt status` prints it. */
export interface TapeStatus {
  /** TEST UNIT READY answered GOOD. */
  readonly ready: boolean;
  /** The sense of a failed TEST UNIT READY (NOT READY, MEDIUM NOT PRESENT…). */
  readonly notReady?: {
    readonly senseKey: number;
    readonly asc: number;
    readonly ascq: number;
    readonly description: string;
  };
  readonly position?: ReadPositionShort;
  readonly mode?: TapeMode;
}

/** TEST UNIT READY, then (when ready) READ POSITION and the mode. Changes nothing. */
export async function status(runner: CommandRunner, options?: CommandOptions): Promise<TapeStatus> {
  try {
    await runner.run(buildTestUnitReady(), options);
  } catch (e) {
    if (!(e instanceof CheckConditionError)) throw e;
    return {
      ready: false,
      notReady: { senseKey: e.senseKey, asc: e.asc, ascq: e.ascq, description: e.description },
    };
  }
  return {
    ready: true,
    position: await readPosition(runner, 'short', options),
    mode: await mode(runner, options),
  };
}

/**
 * `device.tape`: the SSC commands of a tape drive. Reading and positioning are read-class (a
 * read-only open may send them); WRITE, WRITE FILEMARKS, ERASE, LOAD/UNLOAD and MODE SELECT need
 * `{ write: true }`. READ and SPACE are never retried (a retry would move the tape twice).
 */
export class TapeCommands {
  readonly #runner: CommandRunner;

  /**
   * @internal Created by Device. `peripheralType` is the device's (sysfs, or the transport's
   * capabilities): on a device known to be another type every method rejects before sending, since
   * the same opcodes are other commands there (1Bh LOAD UNLOAD is START STOP UNIT on a disk, 91h
   * SPACE(16) SYNCHRONIZE CACHE(16)). An unknown type is let through.
   */
  constructor(runner: CommandRunner, peripheralType: () => number | undefined = () => undefined) {
    this.#runner = {
      get writable() {
        return runner.writable;
      },
      get maxTransferBytes() {
        return runner.maxTransferBytes;
      },
      run(spec, options) {
        const type = peripheralType();
        if (type !== undefined && type !== TAPE_PERIPHERAL_TYPE) {
          return Promise.reject(
            new InvalidArgumentError(
              'device',
              `${spec.name}: device.tape is for tape drives (peripheral device type 01h); this device is type ${type.toString(16).padStart(2, '0')}h`,
              { reason: 'not-a-tape', command: spec.name },
            ),
          );
        }
        return runner.run(spec, options);
      },
    };
  }

  /** TEST UNIT READY, READ POSITION and the mode in one answer. */
  status(options?: CommandOptions): Promise<TapeStatus> {
    return status(this.#runner, options);
  }
  /** REWIND. */
  rewind(options?: CommandOptions & { readonly immed?: boolean }): Promise<void> {
    return rewind(this.#runner, options);
  }
  /** LOAD UNLOAD, LOAD=1. Write-class. */
  load(options?: LoadUnloadOptions): Promise<void> {
    return load(this.#runner, options);
  }
  /** LOAD UNLOAD, LOAD=0. Write-class. */
  unload(options?: LoadUnloadOptions): Promise<void> {
    return unload(this.#runner, options);
  }
  /** READ POSITION (short form unless asked). */
  readPosition(form?: 'short', options?: CommandOptions): Promise<ReadPositionShort>;
  readPosition(form: 'long', options?: CommandOptions): Promise<ReadPositionLong>;
  readPosition(form: 'extended', options?: CommandOptions): Promise<ReadPositionExtended>;
  readPosition(form: ReadPositionForm = 'short', options?: CommandOptions): Promise<ReadPosition> {
    return readPosition(this.#runner, form, options);
  }
  /** LOCATE(10/16) to logical object `address`. */
  locate(address: number | bigint, options?: LocateOptions): Promise<void> {
    return locate(this.#runner, address, options);
  }
  /** SPACE(6/16). Resolves with the flags when a filemark, EOD or BOP stops it. */
  space(count: number | bigint, options?: SpaceOptions): Promise<SpaceResult> {
    return space(this.#runner, count, options);
  }
  /** WRITE FILEMARKS(6/16). Write-class. */
  writeFilemarks(
    count?: number,
    options?: CommandOptions & { readonly immed?: boolean; readonly sixteen?: boolean },
  ): Promise<TapeWriteResult> {
    return writeFilemarks(this.#runner, count, options);
  }
  /** READ(6): see the file's contract (filemark / EOD / ILI resolve with flags). */
  read(length: number, options?: TapeReadOptions): Promise<TapeReadResult> {
    return read(this.#runner, length, options);
  }
  /** WRITE(6): one variable block, or whole fixed blocks with `blockLength`. Write-class. */
  write(data: Uint8Array, options?: TapeWriteOptions): Promise<TapeWriteResult> {
    return write(this.#runner, data, options);
  }
  /** ERASE(6). Write-class. */
  erase(options?: CommandOptions & { readonly long?: boolean; readonly immed?: boolean }): Promise<void> {
    return erase(this.#runner, options);
  }
  /** READ BLOCK LIMITS (and the MLOI form with `mloi`). */
  readBlockLimits(
    options?: CommandOptions & { readonly mloi?: boolean },
  ): Promise<BlockLimits & { readonly maximumLogicalObjectIdentifier?: bigint }> {
    return readBlockLimits(this.#runner, options);
  }
  /** REPORT DENSITY SUPPORT. */
  reportDensitySupport(
    options?: CommandOptions & { readonly media?: boolean; readonly mediumType?: boolean },
  ): Promise<DensitySupport> {
    return reportDensitySupport(this.#runner, options);
  }
  /** Density code, block length (fixed or variable mode), write protection: MODE SENSE(6). */
  mode(options?: CommandOptions): Promise<TapeMode> {
    return mode(this.#runner, options);
  }
  /** MODE SELECT(6) block descriptor: 0 = variable mode, else fixed mode of that block length. Write-class. */
  setBlockLength(
    blockLength: number,
    options?: CommandOptions & { readonly densityCode?: number },
  ): Promise<void> {
    return setBlockLength(this.#runner, blockLength, options);
  }
  /** Mode page 0Fh. */
  compression(options?: CommandOptions): Promise<DataCompressionPage> {
    return compression(this.#runner, options);
  }
  /** Mode page 10h. */
  deviceConfiguration(options?: CommandOptions): Promise<DeviceConfigurationPage> {
    return deviceConfiguration(this.#runner, options);
  }
  /** Log page 2Eh: the 64 TapeAlert flags. */
  tapeAlert(options?: CommandOptions): Promise<TapeAlertPage> {
    return tapeAlert(this.#runner, options);
  }
}

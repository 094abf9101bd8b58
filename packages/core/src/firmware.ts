/**
 * Microcode (firmware) download: WRITE BUFFER modes 05h, 07h, 0Dh, 0Eh and the activation of
 * deferred microcode (mode 0Fh), as plain functions over the funnel. Before sending a byte the
 * download reads what the device says about itself — VPD B0h (maximum transfer length), VPD 86h
 * (how it activates microcode), READ BUFFER descriptor mode 03h (offset boundary, buffer capacity)
 * — and refuses with a typed error what the device would refuse half-way through.
 */
import {
  buildActivateDeferredMicrocode,
  buildReadBuffer10,
  buildTestUnitReady,
  buildWriteBuffer,
  type CdbSpec,
  decodeReadBufferDescriptor,
  type ExtendedInquiryVpd,
  type ReadBufferDescriptor,
  SENSE_KEY,
  WRITE_BUFFER_ACTIVATION,
  WRITE_BUFFER_MODE,
} from '@scsikit/cdb';
import { AbortError, CheckConditionError, InvalidArgumentError } from './errors.js';
import type { CommandOptions, Funnel } from './funnel.js';
import { readCapacity } from './sbc.js';
import { blockLimits, supportedVpdPages, vpd } from './spc.js';

/** The WRITE BUFFER modes `downloadMicrocode` sends (SPC-6 6.49). */
export type MicrocodeMode =
  | 0x05
  | 0x07
  | 0x0d
  | 0x0e
  | 'downloadSave'
  | 'downloadOffsetsSave'
  | 'downloadOffsetsSelectActivation'
  | 'downloadOffsetsDefer';

/** What a download may be refused for before anything is sent (InvalidArgumentError `reason`). */
export type MicrocodeRefusal =
  | 'empty-image'
  | 'image-too-large'
  | 'chunk-misaligned'
  | 'chunk-too-large'
  | 'mode-not-allowed';

/** Mode 0Dh's activation events (MODE SPECIFIC field: PO_ACT, HR_ACT, VSE_ACT). */
export interface MicrocodeActivationEvents {
  readonly powerOn?: boolean;
  readonly hardReset?: boolean;
  readonly vendorSpecific?: boolean;
}

/** `Device.downloadMicrocode` options. */
export interface DownloadMicrocodeOptions {
  /**
   * 05h: one command, saved and activated on completion; 07h: chunks at offsets, saved and
   * activated after the last one; 0Dh: chunks, saved, activated on the `activationEvents` (or by
   * `activate`); 0Eh: chunks, saved, activation deferred until mode 0Fh (`activate`).
   * @default 0x07
   */
  readonly mode?: MicrocodeMode;
  /**
   * Bytes per WRITE BUFFER command: a multiple of the device's offset alignment, at most its buffer
   * capacity and maximum transfer. The last chunk may be shorter.
   * @default the largest the device allows, at most 64 KiB (mode 05h: the whole image)
   */
  readonly chunkSize?: number;
  /** BUFFER ID. @default 0 */
  readonly bufferId?: number;
  /** Modes 0Dh/0Eh: send WRITE BUFFER mode 0Fh after the download to activate it now. @default false */
  readonly activate?: boolean;
  /** Mode 0Dh only: the events that activate the saved microcode (checked against VPD 86h). */
  readonly activationEvents?: MicrocodeActivationEvents;
  /** Checked between chunks (never while a chunk is in the device, which cannot be cancelled). */
  readonly signal?: AbortSignal;
  /** After each chunk: bytes the device has accepted so far, and the image length. */
  readonly onProgress?: (bytesSent: number, total: number) => void;
  /** Per command. @default the device's `timeoutMs` */
  readonly timeoutMs?: number;
}

/** A unit attention met during the download or consumed after activation. */
export interface MicrocodeUnitAttention {
  readonly asc: number;
  readonly ascq: number;
  /** T10 text, e.g. 'Microcode has been changed'. */
  readonly description: string;
}

/** What the device said about downloads; a field is absent when the device did not say. */
export interface MicrocodeLimits {
  /** READ BUFFER descriptor OFFSET BOUNDARY (FFh: offset 0 only). */
  readonly offsetBoundary?: number;
  /** 2^offsetBoundary bytes. */
  readonly offsetAlignment?: number;
  /** READ BUFFER descriptor BUFFER CAPACITY in bytes: the largest image. */
  readonly bufferCapacity?: number;
  /** The largest chunk: transport limit, VPD B0h MAXIMUM TRANSFER LENGTH, 24-bit length field. */
  readonly maxTransferBytes: number;
  /** VPD 86h ACTIVATE MICROCODE (0: not indicated, 1: before the final command completes, 2: after a reset or power on). */
  readonly activateMicrocode?: number;
  /** VPD 86h POA_SUP / HRA_SUP / VSA_SUP: mode 0Dh activation events the device supports. */
  readonly poaSup?: boolean;
  readonly hraSup?: boolean;
  readonly vsaSup?: boolean;
}

/** What `Device.downloadMicrocode` did. */
export interface MicrocodeDownloadResult {
  /** The WRITE BUFFER mode used. */
  readonly mode: number;
  readonly bufferId: number;
  /** Image bytes the device accepted. */
  readonly bytesSent: number;
  readonly chunkSize: number;
  /** WRITE BUFFER commands completed (chunks, plus the mode 0Fh activation). */
  readonly commands: number;
  /**
   * The command that activates the microcode completed with GOOD: the last chunk of mode 05h/07h,
   * or mode 0Fh after 0Dh/0Eh with `activate`.
   */
  readonly activated: boolean;
  /** Saved but not active (0Dh/0Eh without `activate`): activate with `activateMicrocode()`. */
  readonly deferred: boolean;
  /**
   * Unit attentions met: during the download (each chunk was sent again: a unit attention means
   * the command did not run), and those TEST UNIT READY consumed after activation — typically
   * 3Fh/01h MICROCODE HAS BEEN CHANGED or 3Fh/16h … WITHOUT RESET, so the next command does not
   * trip over them.
   */
  readonly unitAttentions: readonly MicrocodeUnitAttention[];
  readonly limits: MicrocodeLimits;
}

/** What `Device.activateMicrocode` did. */
export interface ActivateMicrocodeResult {
  readonly activated: true;
  readonly unitAttentions: readonly MicrocodeUnitAttention[];
}

const MODES: Readonly<Record<string, number>> = {
  downloadSave: WRITE_BUFFER_MODE.downloadSave,
  downloadOffsetsSave: WRITE_BUFFER_MODE.downloadOffsetsSave,
  downloadOffsetsSelectActivation: WRITE_BUFFER_MODE.downloadOffsetsSelectActivation,
  downloadOffsetsDefer: WRITE_BUFFER_MODE.downloadOffsetsDefer,
};
const ALLOWED: ReadonlySet<number> = new Set([0x05, 0x07, 0x0d, 0x0e]);
/** Without an answer from the device, chunks stay at this size: small enough for any transport. */
const DEFAULT_CHUNK = 64 * 1024;
/** WRITE BUFFER's BUFFER OFFSET and PARAMETER LIST LENGTH are 24-bit fields. */
const MAX_24 = 0xff_ffff;
/** A unit attention per command is normal (one per event); more in a row means something loops. */
const MAX_UA_RESENDS = 8;

function refuse(field: string, reason: MicrocodeRefusal, message: string): never {
  throw new InvalidArgumentError(field, message, { reason });
}

/** BUFFER ID: 8 bits, 0 when absent. */
function checkBufferId(bufferId: number | undefined): number {
  const id = bufferId ?? 0;
  if (!Number.isInteger(id) || id < 0 || id > 0xff) {
    throw new InvalidArgumentError(
      'bufferId',
      `Expected \`bufferId\` to be an integer in [0, 255], got ${String(bufferId)}`,
    );
  }
  return id;
}

const hex = (n: number) => `${n.toString(16).padStart(2, '0')}h`;

/** A function, so TypeScript does not narrow `aborted` across the awaits between checks. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function isIllegalRequest(e: unknown): boolean {
  return e instanceof CheckConditionError && e.senseKey === SENSE_KEY.ILLEGAL_REQUEST;
}

function readOnly(options: CommandOptions): CommandOptions {
  return {
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
}

/**
 * Reads the device's download limits. Each source is optional: a device without READ BUFFER, or
 * without VPD B0h/86h, leaves those fields out (ILLEGAL REQUEST is "does not say", any other error
 * is thrown).
 */
export async function microcodeLimits(
  f: Funnel,
  bufferId?: number,
  options: CommandOptions = {},
): Promise<MicrocodeLimits> {
  const id = checkBufferId(bufferId);
  const o = readOnly(options);
  let maxTransferBytes = Math.min(f.maxTransferBytes, MAX_24);
  let pages: readonly number[] = [];
  try {
    pages = await supportedVpdPages(f, o);
  } catch (e) {
    if (!isIllegalRequest(e)) throw e;
  }
  if (pages.includes(0xb0)) {
    const limits = await blockLimits(f, o);
    const blocks = limits.maximumTransferLength ?? 0;
    if (blocks > 0) {
      // MAXIMUM TRANSFER LENGTH counts logical blocks: only a device with a capacity has them. A
      // device that cannot say its block length now (stopped: NOT READY) still takes microcode.
      try {
        const cap = await readCapacity(f, o);
        maxTransferBytes = Math.min(maxTransferBytes, blocks * cap.blockLength);
      } catch (e) {
        if (!(e instanceof CheckConditionError)) throw e;
      }
    }
  }
  let ext: ExtendedInquiryVpd | undefined;
  if (pages.includes(0x86)) {
    const page = await vpd(f, 0x86, o);
    if (page.kind === 'extendedInquiry') ext = page;
  }
  let descriptor: ReadBufferDescriptor | undefined;
  try {
    const r = await f.run(buildReadBuffer10({ mode: 'descriptor', bufferId: id, allocationLength: 4 }), o);
    descriptor = decodeReadBufferDescriptor(r.data);
  } catch (e) {
    if (!isIllegalRequest(e)) throw e;
  }
  return {
    ...(descriptor === undefined
      ? {}
      : {
          offsetBoundary: descriptor.offsetBoundary,
          ...(descriptor.offsetAlignment === undefined
            ? {}
            : { offsetAlignment: descriptor.offsetAlignment }),
          bufferCapacity: descriptor.bufferCapacity,
        }),
    maxTransferBytes,
    ...(ext?.activateMicrocode === undefined ? {} : { activateMicrocode: ext.activateMicrocode }),
    ...(ext?.poaSup === undefined ? {} : { poaSup: ext.poaSup }),
    ...(ext?.hraSup === undefined ? {} : { hraSup: ext.hraSup }),
    ...(ext?.vsaSup === undefined ? {} : { vsaSup: ext.vsaSup }),
  };
}

function modeCode(mode: MicrocodeMode | undefined): number {
  if (mode === undefined) return 0x07;
  const code = typeof mode === 'string' ? MODES[mode] : mode;
  if (code === undefined || !ALLOWED.has(code)) {
    refuse(
      'mode',
      'mode-not-allowed',
      `WRITE BUFFER mode ${typeof mode === 'number' ? hex(mode) : `'${String(mode)}'`} is not a microcode download mode downloadMicrocode sends (05h, 07h, 0Dh, 0Eh; activate deferred microcode with activateMicrocode())`,
    );
  }
  return code;
}

function activationBits(
  mode: number,
  events: MicrocodeActivationEvents | undefined,
  limits: MicrocodeLimits,
): number {
  if (events === undefined) return 0;
  if (mode !== 0x0d) {
    refuse('activationEvents', 'mode-not-allowed', 'activationEvents apply to mode 0Dh only');
  }
  const wanted: [boolean | undefined, boolean | undefined, string, number][] = [
    [events.powerOn, limits.poaSup, 'power on (POA_SUP)', WRITE_BUFFER_ACTIVATION.poAct],
    [events.hardReset, limits.hraSup, 'hard reset (HRA_SUP)', WRITE_BUFFER_ACTIVATION.hrAct],
    [
      events.vendorSpecific,
      limits.vsaSup,
      'a vendor-specific event (VSA_SUP)',
      WRITE_BUFFER_ACTIVATION.vseAct,
    ],
  ];
  let bits = 0;
  for (const [want, supported, what, bit] of wanted) {
    if (want !== true) continue;
    // Only refuse what VPD 86h denies; a device without the page has not said.
    if (supported === false) {
      refuse('activationEvents', 'mode-not-allowed', `the device does not support activation on ${what}`);
    }
    bits |= bit;
  }
  return bits;
}

/** The chunk size to use, or a typed refusal. */
function chunkSizeFor(
  image: Uint8Array,
  mode: number,
  requested: number | undefined,
  limits: MicrocodeLimits,
): number {
  if (requested !== undefined && (!Number.isSafeInteger(requested) || requested < 1)) {
    throw new InvalidArgumentError(
      'chunkSize',
      `Expected \`chunkSize\` to be a positive integer, got ${requested}`,
    );
  }
  const capacity = limits.bufferCapacity;
  if (capacity !== undefined && image.length > capacity) {
    refuse(
      'image',
      'image-too-large',
      `the image has ${image.length} bytes but the device's buffer holds ${capacity} (READ BUFFER descriptor)`,
    );
  }
  const ceiling = Math.min(limits.maxTransferBytes, capacity ?? MAX_24);
  // No offsets: mode 05h, or an offset boundary of FFh (offset 0 only).
  const single = mode === 0x05 || limits.offsetBoundary === 0xff;
  if (single) {
    if (requested !== undefined && requested < image.length) {
      refuse(
        'chunkSize',
        'mode-not-allowed',
        mode === 0x05
          ? 'mode 05h sends the image in one command (no offsets): use mode 07h to send chunks'
          : 'the device accepts offset 0 only (READ BUFFER offset boundary FFh): the image must go in one command',
      );
    }
    if (image.length > ceiling) {
      refuse(
        'image',
        'image-too-large',
        `the image (${image.length} bytes) must go in one command but the device moves at most ${ceiling} bytes per command`,
      );
    }
    return image.length;
  }
  if (image.length - 1 > MAX_24) {
    refuse('image', 'image-too-large', `the image (${image.length} bytes) needs offsets beyond 24 bits`);
  }
  const align = limits.offsetAlignment ?? 1;
  if (requested !== undefined) {
    if (requested % align !== 0) {
      refuse(
        'chunkSize',
        'chunk-misaligned',
        `chunkSize ${requested} is not a multiple of the device's offset boundary 2^${limits.offsetBoundary} = ${align} bytes`,
      );
    }
    if (requested > ceiling) {
      refuse(
        'chunkSize',
        'chunk-too-large',
        `chunkSize ${requested} exceeds what the device takes per command (${ceiling} bytes: buffer capacity, maximum transfer)`,
      );
    }
    return requested;
  }
  const size = Math.floor(Math.min(ceiling, DEFAULT_CHUNK) / align) * align;
  if (size === 0) {
    refuse(
      'chunkSize',
      'chunk-too-large',
      `the device's offset alignment (${align} bytes) exceeds what it takes per command (${ceiling} bytes)`,
    );
  }
  return size;
}

function attentionOf(e: CheckConditionError): MicrocodeUnitAttention {
  return { asc: e.asc, ascq: e.ascq, description: e.description };
}

/**
 * Sends one WRITE BUFFER, again when the device answers UNIT ATTENTION (the command did not run,
 * SAM-5 5.14): the generic retry policy leaves WRITE BUFFER alone, being non-idempotent.
 */
async function sendOnce(
  f: Funnel,
  spec: CdbSpec,
  data: Uint8Array | undefined,
  seen: MicrocodeUnitAttention[],
  timeoutMs: number | undefined,
): Promise<void> {
  for (let resend = 0; ; resend++) {
    try {
      await f.run(spec, {
        retry: false,
        ...(data === undefined ? {} : { data }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      });
      return;
    } catch (e) {
      if (!(e instanceof CheckConditionError) || e.senseKey !== SENSE_KEY.UNIT_ATTENTION) throw e;
      if (resend >= MAX_UA_RESENDS) throw e;
      seen.push(attentionOf(e));
    }
  }
}

/**
 * After activation: TEST UNIT READY until no unit attention is pending, so the caller's next
 * command meets none. Stops at GOOD or at any other answer (a device may be NOT READY while it
 * restarts: that is its state, not the download's outcome).
 */
async function consumeAttentions(
  f: Funnel,
  seen: MicrocodeUnitAttention[],
  timeoutMs: number | undefined,
): Promise<void> {
  for (let i = 0; i < MAX_UA_RESENDS; i++) {
    try {
      await f.run(buildTestUnitReady(), { retry: false, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
      return;
    } catch (e) {
      if (!(e instanceof CheckConditionError) || e.senseKey !== SENSE_KEY.UNIT_ATTENTION) return;
      seen.push(attentionOf(e));
    }
  }
}

function abortError(
  name: string,
  sent: number,
  total: number,
  activation: boolean,
  cause: unknown,
): AbortError {
  const state =
    sent === 0
      ? 'nothing was sent'
      : activation
        ? `the whole image (${total} bytes) is saved but not activated: activate it with activateMicrocode(), or leave it for the next reset`
        : `the device holds ${sent} of ${total} bytes, not activated; the running microcode is unchanged — download again from offset 0 (which replaces the partial image) or reset the device to discard it`;
  return new AbortError(`${name}: aborted between commands; ${state}`, { cause, command: 'WRITE BUFFER' });
}

/**
 * WRITE BUFFER microcode download, in chunks at ascending offsets, then activation as the mode
 * says. Contract: see `Device.downloadMicrocode`.
 */
export async function downloadMicrocode(
  f: Funnel,
  image: Uint8Array,
  options: DownloadMicrocodeOptions = {},
): Promise<MicrocodeDownloadResult> {
  f.guardWrite('WRITE BUFFER');
  if (!(image instanceof Uint8Array)) {
    throw new InvalidArgumentError('image', 'Expected `image` to be a Uint8Array');
  }
  if (image.length === 0) refuse('image', 'empty-image', 'the microcode image is empty');
  const mode = modeCode(options.mode);
  const bufferId = checkBufferId(options.bufferId);
  if (options.activate === true && mode !== 0x0d && mode !== 0x0e) {
    refuse(
      'activate',
      'mode-not-allowed',
      `mode ${hex(mode)} activates by itself; activate applies to 0Dh and 0Eh`,
    );
  }
  const { signal, timeoutMs, onProgress } = options;
  if (isAborted(signal)) throw abortError('downloadMicrocode', 0, image.length, false, signal?.reason);
  const limits = await microcodeLimits(f, bufferId, {
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(signal === undefined ? {} : { signal }),
  });
  const modeSpecific = activationBits(mode, options.activationEvents, limits);
  const chunkSize = chunkSizeFor(image, mode, options.chunkSize, limits);
  const seen: MicrocodeUnitAttention[] = [];
  let sent = 0;
  let commands = 0;
  while (sent < image.length) {
    if (isAborted(signal)) throw abortError('downloadMicrocode', sent, image.length, false, signal?.reason);
    const length = Math.min(chunkSize, image.length - sent);
    const spec = buildWriteBuffer({
      mode,
      modeSpecific,
      bufferId,
      bufferOffset: mode === 0x05 ? 0 : sent,
      parameterListLength: length,
    });
    await sendOnce(f, spec, image.subarray(sent, sent + length), seen, timeoutMs);
    sent += length;
    commands++;
    onProgress?.(sent, image.length);
  }
  let activated = mode === 0x05 || mode === 0x07;
  if (options.activate === true) {
    if (isAborted(signal)) throw abortError('downloadMicrocode', sent, image.length, true, signal?.reason);
    await sendOnce(f, buildActivateDeferredMicrocode({ bufferId }), undefined, seen, timeoutMs);
    commands++;
    activated = true;
  }
  if (activated) await consumeAttentions(f, seen, timeoutMs);
  return {
    mode,
    bufferId,
    bytesSent: sent,
    chunkSize,
    commands,
    activated,
    deferred: !activated,
    unitAttentions: seen,
    limits,
  };
}

/** WRITE BUFFER mode 0Fh: activates microcode saved by mode 0Dh/0Eh, then consumes the unit attentions. */
export async function activateMicrocode(
  f: Funnel,
  options: { readonly bufferId?: number; readonly timeoutMs?: number } = {},
): Promise<ActivateMicrocodeResult> {
  f.guardWrite('WRITE BUFFER');
  const bufferId = checkBufferId(options.bufferId);
  const seen: MicrocodeUnitAttention[] = [];
  await sendOnce(f, buildActivateDeferredMicrocode({ bufferId }), undefined, seen, options.timeoutMs);
  await consumeAttentions(f, seen, options.timeoutMs);
  return { activated: true, unitAttentions: seen };
}

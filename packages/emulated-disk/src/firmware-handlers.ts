/**
 * Microcode download, for a disk created with the `microcode` option: WRITE BUFFER modes 05h, 07h,
 * 0Dh, 0Eh and 0Fh, and READ BUFFER descriptor mode (03h), which advertises the offset boundary and
 * buffer capacity the WRITE BUFFER handler then enforces. Other WRITE BUFFER / READ BUFFER modes
 * are ILLEGAL REQUEST, INVALID FIELD IN CDB (byte 1), as a device that does not implement them.
 *
 * Activation model: modes 05h and 07h save and activate what they carry on completion (07h: each
 * command, as Linux's scsi_debug does, since nothing in a chunk says it is the last), 0Dh/0Eh save
 * it for a later mode 0Fh. Activation raises UNIT ATTENTION 3Fh/01h MICROCODE HAS BEEN CHANGED on
 * every connection, the sender's included (SPC's ACTIVATE MICROCODE 01b spares the sender; raising
 * it there too is what lets software on the only initiator see the change).
 */
import { putU24, SENSE_KEY } from '@scsikit/cdb';
import { z } from 'zod';
import {
  type CommandContext,
  type CommandDef,
  dataOut,
  type LogicalUnit,
  registered,
  respond,
  u24,
} from './commands.js';
import type { DiskState } from './disk-model.js';
import { CheckCondition, invalidCdbField } from './sense.js';

/** The `microcode` option: what READ BUFFER descriptor mode and VPD 86h advertise. */
export interface MicrocodeOption {
  /** READ BUFFER descriptor OFFSET BOUNDARY: offsets must be multiples of 2^n (0–23, or 255: offset 0 only). @default 9 */
  readonly offsetBoundary?: number;
  /** READ BUFFER descriptor BUFFER CAPACITY, bytes (≤ FFFFFFh). @default 1 MiB */
  readonly bufferCapacity?: number;
  /** VPD 86h ACTIVATE MICROCODE (0–2). @default 1 (before the final command completes) */
  readonly activateMicrocode?: number;
  /** VPD 86h POA_SUP, HRA_SUP, VSA_SUP: mode 0Dh activation events accepted. @default none */
  readonly activationEvents?: {
    readonly powerOn?: boolean;
    readonly hardReset?: boolean;
    readonly vendorSpecific?: boolean;
  };
}

export const MicrocodeOptionSchema = z.union(
  [
    z.boolean(),
    z.strictObject({
      offsetBoundary: z
        .number()
        .int()
        .refine((n) => (n >= 0 && n <= 23) || n === 255, { error: 'an integer in [0, 23], or 255' })
        .optional(),
      bufferCapacity: z.number().int().min(1).max(0xff_ffff).optional(),
      activateMicrocode: z.number().int().min(0).max(2).optional(),
      activationEvents: z
        .strictObject({
          powerOn: z.boolean().optional(),
          hardReset: z.boolean().optional(),
          vendorSpecific: z.boolean().optional(),
        })
        .optional(),
    }),
  ],
  { error: 'true, or { offsetBoundary?, bufferCapacity?, activateMicrocode?, activationEvents? }' },
);

/** The `microcode` option with its defaults applied. */
export interface ResolvedMicrocode {
  readonly offsetBoundary: number;
  readonly bufferCapacity: number;
  readonly activateMicrocode: number;
  readonly poaSup: boolean;
  readonly hraSup: boolean;
  readonly vsaSup: boolean;
}

export function resolveMicrocode(
  o: z.output<typeof MicrocodeOptionSchema> | undefined,
): ResolvedMicrocode | undefined {
  if (o === undefined || o === false) return undefined;
  const m = o === true ? {} : o;
  return {
    offsetBoundary: m.offsetBoundary ?? 9,
    bufferCapacity: m.bufferCapacity ?? 1024 * 1024,
    activateMicrocode: m.activateMicrocode ?? 1,
    poaSup: m.activationEvents?.powerOn ?? false,
    hraSup: m.activationEvents?.hardReset ?? false,
    vsaSup: m.activationEvents?.vendorSpecific ?? false,
  };
}

/** The unit's microcode buffer and what has been activated; `EmulatedDisk.microcode()` snapshots it. */
export interface MicrocodeState {
  /** Bytes received into the buffer (up to the highest offset + length written). */
  buffer: Uint8Array;
  received: number;
  /** Saved with 0Dh/0Eh and waiting for 0Fh. */
  deferred: boolean;
  /** Times microcode was activated. */
  activations: number;
  /** The image last activated. */
  active: Uint8Array | undefined;
}

const states = new WeakMap<DiskState, MicrocodeState>();

export function microcodeState(state: DiskState): MicrocodeState {
  let s = states.get(state);
  if (s === undefined) {
    s = { buffer: new Uint8Array(0), received: 0, deferred: false, activations: 0, active: undefined };
    states.set(state, s);
  }
  return s;
}

/**
 * VPD 86h page bytes 4 (ACTIVATE MICROCODE, bits 7-6) and 12 (POA_SUP, HRA_SUP, VSA_SUP), written
 * into the page body (which starts at page byte 4).
 */
export function extendedInquiryMicrocode(m: ResolvedMicrocode, body: Uint8Array): void {
  body[0] = ((body[0] ?? 0) & 0x3f) | (m.activateMicrocode << 6);
  body[8] = ((body[8] ?? 0) & 0x1f) | (m.poaSup ? 0x80 : 0) | (m.hraSup ? 0x40 : 0) | (m.vsaSup ? 0x20 : 0);
}

const MICROCODE_CHANGED = { key: SENSE_KEY.UNIT_ATTENTION, asc: 0x3f, ascq: 0x01 } as const;
/** No deferred microcode to activate: COMMAND SEQUENCE ERROR (2Ch/00h). */
const commandSequenceError = () =>
  new CheckCondition({ key: SENSE_KEY.ILLEGAL_REQUEST, asc: 0x2c, ascq: 0x00 });

function activate(lu: LogicalUnit, s: MicrocodeState): void {
  s.active = s.buffer.slice(0, s.received);
  s.activations++;
  s.deferred = false;
  for (const c of lu.state.connections) lu.state.addUnitAttention(c, MICROCODE_CHANGED);
}

function writeBuffer(m: ResolvedMicrocode, lu: LogicalUnit, ctx: CommandContext): number {
  const cdb = ctx.cdb;
  const mode = (cdb[1] ?? 0) & 0x1f;
  const modeSpecific = (cdb[1] ?? 0) >> 5;
  const offset = u24(cdb, 3);
  const length = u24(cdb, 6);
  const s = microcodeState(lu.state);
  if (mode === 0x0f) {
    if (length !== 0) throw invalidCdbField(6);
    if (!s.deferred) throw commandSequenceError();
    activate(lu, s);
    return 0;
  }
  // MODE SPECIFIC: only mode 0Dh defines it (PO_ACT, HR_ACT, VSE_ACT), each needing its *_SUP.
  const supported = mode === 0x0d ? (m.poaSup ? 4 : 0) | (m.hraSup ? 2 : 0) | (m.vsaSup ? 1 : 0) : 0;
  if ((modeSpecific & ~supported) !== 0)
    throw invalidCdbField(1, 5 + (31 - Math.clz32(modeSpecific & ~supported)));
  if (cdb[2] !== 0) throw invalidCdbField(2); // one buffer: ID 0
  if (mode === 0x05) {
    if (offset !== 0) throw invalidCdbField(3);
  } else if (m.offsetBoundary === 0xff ? offset !== 0 : offset % 2 ** m.offsetBoundary !== 0) {
    throw invalidCdbField(3);
  }
  if (length === 0 || offset + length > m.bufferCapacity) throw invalidCdbField(6);
  const data = dataOut(ctx, length);
  // A download starting at offset 0 begins a new image.
  if (offset === 0) {
    s.buffer = new Uint8Array(m.bufferCapacity);
    s.received = 0;
    s.deferred = false;
  } else if (offset > s.received) {
    // A gap: the image would have a hole the device never received.
    throw invalidCdbField(3);
  }
  s.buffer.set(data, offset);
  s.received = Math.max(s.received, offset + length);
  if (mode === 0x05 || mode === 0x07) activate(lu, s);
  else s.deferred = true;
  return 0;
}

function readBufferDescriptor(m: ResolvedMicrocode, _lu: LogicalUnit, ctx: CommandContext): number {
  if (ctx.cdb[2] !== 0) throw invalidCdbField(2);
  const out = new Uint8Array(4);
  out[0] = m.offsetBoundary;
  putU24(out, 1, m.bufferCapacity);
  return respond(ctx, out, u24(ctx.cdb, 6));
}

/** WRITE BUFFER's download modes and READ BUFFER descriptor mode, as one table entry per mode. */
export function microcodeCommands(m: ResolvedMicrocode): CommandDef[] {
  const write = (mode: number): CommandDef => ({
    ...registered(0x3b, mode),
    medium: false,
    timeouts: [1, 120],
    run: (lu, ctx) => writeBuffer(m, lu, ctx),
  });
  return [
    write(0x05),
    write(0x07),
    write(0x0d),
    write(0x0e),
    write(0x0f),
    {
      ...registered(0x3c, 0x03),
      medium: false,
      reserved: { 3: 0xff, 4: 0xff, 5: 0xff },
      run: (lu, ctx) => readBufferDescriptor(m, lu, ctx),
    },
  ];
}

/**
 * The command table and the device-side dispatcher: from CDB bytes to a device answer (status,
 * sense, bytes moved), in the order a SCSI target checks things — opcode, unit attention,
 * reservation conflict, NOT READY, then the command itself. Handlers report problems by throwing
 * {@link CheckCondition} (or a status sentinel); `runCommand` turns every throw into an answer, so
 * nothing a CDB contains can make the model throw.
 */
import {
  findCommand,
  groupCdbLength,
  hasServiceAction,
  type ReservationClass,
  SAM_STATUS,
  SENSE_KEY,
} from '@scsikit/cdb';
import type { DiskState } from './disk-model.js';
import type { PrState } from './pr-handlers.js';
import { CheckCondition, invalidCdbField, invalidOpcode, lbaOutOfRange, type SenseSpec } from './sense.js';
import type { ZoneState } from './zbc-handlers.js';

/** Everything a handler may touch: the LU's state and its reservation and zone models. */
export interface LogicalUnit {
  readonly state: DiskState;
  readonly pr: PrState;
  readonly zones: ZoneState | undefined;
  readonly table: CommandTable;
  /** PREEMPT AND ABORT: ends the preempted connections' commands still in the device. */
  abortTasksOf(connections: readonly number[]): void;
}

/** One command as the device sees it. */
export interface CommandContext {
  /** The CDB, zero-padded to the opcode's length if the initiator sent fewer bytes. */
  readonly cdb: Uint8Array;
  /** The initiator (I_T nexus): 0 for the EmulatedDisk itself, 1, 2… for `connect()`. */
  readonly connection: number;
  /** Data-out bytes the initiator sent (empty unless direction 'out'). */
  readonly dataOut: Uint8Array;
  /** Where data-in goes (empty unless direction 'in'); handlers return how many bytes they placed. */
  readonly dataIn: Uint8Array;
}

/** What the device answered. */
export interface DeviceAnswer {
  readonly status: number;
  readonly sense?: SenseSpec;
  /** Non-zero for a host-side failure (DID_*). */
  readonly hostStatus?: number;
  /** Bytes placed in `dataIn`. */
  readonly dataLength: number;
}

/** Which reservation rules apply: the registry's reservation class (SPC-6 5.13, SBC-5 4.17). */
export type Access = ReservationClass;

/**
 * One command the model implements. `opcode`, `serviceAction`, `cdbLength` and `access` come from
 * `@scsikit/cdb`'s registry through {@link registered}; the rest is how this model runs it.
 */
export interface CommandDef {
  readonly opcode: number;
  readonly serviceAction?: number;
  readonly cdbLength: number;
  /** 'read' conflicts under Exclusive Access, 'write' under every type, 'none' never. */
  readonly access: Access;
  /** Needs the medium: NOT READY 04h/02h while the unit is stopped. */
  readonly medium: boolean;
  /** Reported even with a unit attention pending (INQUIRY, REPORT LUNS, REQUEST SENSE). */
  readonly ignoresUnitAttention?: boolean;
  /** Seconds for REPORT SUPPORTED OPERATION CODES' command timeouts descriptor: [nominal, recommended]. */
  readonly timeouts?: readonly [number, number];
  /**
   * Reserved CDB bits, byte → mask. SPC lets a device server ignore them; the emulation checks
   * them (INVALID FIELD IN CDB with a field pointer), so user code that sets one learns it here.
   */
  readonly reserved?: Readonly<Record<number, number>>;
  /** Places data in `ctx.dataIn` and returns its length; throws CheckCondition or a sentinel. */
  run(lu: LogicalUnit, ctx: CommandContext): number;
}

/** The registry's facts a CommandDef carries. */
export type RegisteredFacts = Pick<CommandDef, 'opcode' | 'serviceAction' | 'cdbLength' | 'access'>;

/**
 * Opcode, service action, CDB length and reservation class of a command from the registry, for a
 * device type (absent: a block device; a tape's or a changer's opcodes are other commands). Throws
 * when the registry has no entry: a handler for an unregistered command is a bug in the model,
 * found when the command table is built rather than when the command runs.
 */
export function registered(opcode: number, serviceAction?: number, peripheralType?: number): RegisteredFacts {
  const entry = findCommand(opcode, serviceAction, peripheralType);
  const matches =
    entry !== undefined &&
    (serviceAction === undefined
      ? entry.serviceAction === undefined
      : entry.serviceAction === serviceAction || entry.serviceAction === 'any');
  if (!matches) {
    const sa = serviceAction === undefined ? '' : ` service action ${serviceAction.toString(16)}h`;
    throw new Error(`@scsikit/cdb's registry has no opcode ${opcode.toString(16)}h${sa}`);
  }
  const facts = { opcode, cdbLength: entry.cdbLength, access: entry.reservation };
  return serviceAction === undefined ? facts : { ...facts, serviceAction };
}

/** Ends a command with a bare status (RESERVATION CONFLICT, CONDITION MET…). */
export class StatusOnly {
  constructor(readonly status: number) {}
}

/** Ends a command with a host status (DID_ERROR when the initiator supplied too little data-out). */
export class HostFailure {
  constructor(readonly hostStatus: number) {}
}

/** DID_ERROR: the data-out buffer was shorter than the command needs (an HBA underrun). */
export const DID_ERROR = 0x07;

/** Opcode (and service action) → definition. */
export class CommandTable {
  readonly #byOpcode = new Map<number, CommandDef | Map<number, CommandDef>>();

  add(defs: readonly CommandDef[]): void {
    for (const d of defs) {
      if (d.serviceAction === undefined) {
        this.#byOpcode.set(d.opcode, d);
        continue;
      }
      let m = this.#byOpcode.get(d.opcode);
      if (m === undefined || !(m instanceof Map)) {
        m = new Map();
        this.#byOpcode.set(d.opcode, m);
      }
      m.set(d.serviceAction, d);
    }
  }

  /** `undefined` for an unknown opcode; 'badServiceAction' when the opcode is known but not the SA. */
  find(cdb: Uint8Array): CommandDef | 'badServiceAction' | undefined {
    const e = this.#byOpcode.get(cdb[0] ?? 0);
    if (e === undefined || !(e instanceof Map)) return e;
    return e.get((cdb[1] ?? 0) & 0x1f) ?? 'badServiceAction';
  }

  /** For REPORT SUPPORTED OPERATION CODES: every command, opcode then service action order. */
  all(): CommandDef[] {
    const out: CommandDef[] = [];
    for (const [, e] of [...this.#byOpcode].sort((a, b) => a[0] - b[0])) {
      if (e instanceof Map)
        out.push(...[...e.values()].sort((a, b) => (a.serviceAction ?? 0) - (b.serviceAction ?? 0)));
      else out.push(e);
    }
    return out;
  }

  /** True when the opcode is one with service actions in this table. */
  hasServiceActions(opcode: number): boolean {
    return this.#byOpcode.get(opcode) instanceof Map;
  }

  get(opcode: number, serviceAction?: number): CommandDef | undefined {
    const e = this.#byOpcode.get(opcode);
    if (e === undefined) return undefined;
    if (e instanceof Map) return serviceAction === undefined ? undefined : e.get(serviceAction);
    return e;
  }
}

// ---------------------------------------------------------------------------------------------
// CDB field readers (big-endian) and shared checks

export const u16 = (b: Uint8Array, o: number): number => ((b[o] ?? 0) << 8) | (b[o + 1] ?? 0);
export const u24 = (b: Uint8Array, o: number): number => ((b[o] ?? 0) << 16) | u16(b, o + 1);
export const u32 = (b: Uint8Array, o: number): number => ((b[o] ?? 0) * 0x1000000 + u24(b, o + 1)) >>> 0;
export const u64 = (b: Uint8Array, o: number): bigint => (BigInt(u32(b, o)) << 32n) | BigInt(u32(b, o + 4));

/**
 * Checks [lba, lba + blocks) against the capacity (LBA OUT OF RANGE 21h/00h with INFORMATION = LBA)
 * and returns the LBA as a number.
 */
export function checkRange(lu: LogicalUnit, lba: bigint, blocks: number): number {
  if (lba + BigInt(blocks) > BigInt(lu.state.capacity)) throw lbaOutOfRange(lba);
  return Number(lba);
}

/** Copies `bytes` (cut to the allocation length) into data-in; returns the bytes moved. */
export function respond(ctx: CommandContext, bytes: Uint8Array, allocationLength: number): number {
  const n = Math.min(bytes.length, allocationLength, ctx.dataIn.length);
  ctx.dataIn.set(bytes.subarray(0, n));
  return n;
}

/** The first `bytes` of data-out; an initiator that sent fewer gets DID_ERROR (underrun). */
export function dataOut(ctx: CommandContext, bytes: number): Uint8Array {
  if (ctx.dataOut.length < bytes) throw new HostFailure(DID_ERROR);
  return ctx.dataOut.subarray(0, bytes);
}

/** NOT READY, LOGICAL UNIT NOT READY, INITIALIZING COMMAND REQUIRED (04h/02h). */
const notReady: SenseSpec = { key: SENSE_KEY.NOT_READY, asc: 0x04, ascq: 0x02 };

/**
 * Runs one command on the LU, as the device would: never throws. An unexpected exception inside
 * a handler (a model bug) is HARDWARE ERROR, INTERNAL TARGET FAILURE (44h/00h), not a crash.
 */
export function runCommand(lu: LogicalUnit, ctx: CommandContext): DeviceAnswer {
  try {
    const opcode = ctx.cdb[0] ?? 0;
    // Short CDBs are padded to their group's length; vendor and variable-length ones to 6 bytes.
    const want = groupCdbLength(opcode) ?? 6;
    const cdb = ctx.cdb.length >= want ? ctx.cdb : padded(ctx.cdb, want);
    const c: CommandContext = cdb === ctx.cdb ? ctx : { ...ctx, cdb };
    const def = lu.table.find(cdb);
    if (def === undefined) throw invalidOpcode();
    if (def === 'badServiceAction') {
      // A service action this device does not implement: INVALID FIELD IN CDB at byte 1.
      throw hasServiceAction(opcode, lu.state.pdt) ? invalidCdbField(1, 4) : invalidOpcode();
    }
    if (def.ignoresUnitAttention !== true) {
      const ua = lu.state.takeUnitAttention(ctx.connection);
      if (ua !== undefined) return { status: SAM_STATUS.CHECK_CONDITION, sense: ua, dataLength: 0 };
    }
    if (lu.pr.conflicts(ctx.connection, def.access))
      return { status: SAM_STATUS.RESERVATION_CONFLICT, dataLength: 0 };
    checkReserved(def, cdb);
    if (def.medium && lu.state.stopped)
      return { status: SAM_STATUS.CHECK_CONDITION, sense: notReady, dataLength: 0 };
    const dataLength = def.run(lu, c);
    return { status: SAM_STATUS.GOOD, dataLength };
  } catch (e) {
    if (e instanceof CheckCondition)
      return { status: SAM_STATUS.CHECK_CONDITION, sense: e.sense, dataLength: e.dataLength };
    if (e instanceof StatusOnly) return { status: e.status, dataLength: 0 };
    if (e instanceof HostFailure) return { status: SAM_STATUS.GOOD, hostStatus: e.hostStatus, dataLength: 0 };
    return {
      status: SAM_STATUS.CHECK_CONDITION,
      sense: { key: SENSE_KEY.HARDWARE_ERROR, asc: 0x44, ascq: 0x00 },
      dataLength: 0,
    };
  }
}

/** INVALID FIELD IN CDB at the first reserved bit set (the most significant one of its byte). */
function checkReserved(def: CommandDef, cdb: Uint8Array): void {
  if (def.reserved === undefined) return;
  for (const [byte, mask] of Object.entries(def.reserved)) {
    const set = (cdb[Number(byte)] ?? 0) & mask;
    if (set !== 0) throw invalidCdbField(Number(byte), 31 - Math.clz32(set));
  }
}

function padded(cdb: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  out.set(cdb.subarray(0, length));
  return out;
}

/**
 * Persistent reservations (SPC-5 5.14): registrations and one LU-scope reservation shared by every
 * connection (each connection is one I_T nexus). PERSISTENT RESERVE OUT: REGISTER, REGISTER AND
 * IGNORE EXISTING KEY, RESERVE, RELEASE, CLEAR, PREEMPT, PREEMPT AND ABORT. PERSISTENT RESERVE IN:
 * READ KEYS, READ RESERVATION, REPORT CAPABILITIES, READ FULL STATUS. Not emulated: APTPL,
 * SPEC_I_PT, ALL_TG_PT, REGISTER AND MOVE, REPLACE LOST RESERVATION (reported in the capabilities).
 *
 * Unit attentions follow SPC: a PREEMPT gives every initiator that lost its registration 2Ah/05h
 * REGISTRATIONS PREEMPTED; CLEAR gives the other registrants 2Ah/03h RESERVATIONS PREEMPTED; releasing
 * a registrants-only or all-registrants reservation gives them 2Ah/04h RESERVATIONS RELEASED.
 */
import { buildSasTransportId, putU16, putU32, putU64, SAM_STATUS, SENSE_KEY } from '@scsikit/cdb';
import {
  type Access,
  type CommandContext,
  type CommandDef,
  dataOut,
  type LogicalUnit,
  registered,
  respond,
  StatusOnly,
  u16,
  u32,
  u64,
} from './commands.js';
import type { DiskState } from './disk-model.js';
import { CheckCondition, invalidCdbField, invalidParameterField, parameterListLengthError } from './sense.js';

/** Reservation types (SPC): WE, EA, WE-RO, EA-RO, WE-AR, EA-AR. */
export const PrType = {
  WRITE_EXCLUSIVE: 0x1,
  EXCLUSIVE_ACCESS: 0x3,
  WRITE_EXCLUSIVE_REGISTRANTS_ONLY: 0x5,
  EXCLUSIVE_ACCESS_REGISTRANTS_ONLY: 0x6,
  WRITE_EXCLUSIVE_ALL_REGISTRANTS: 0x7,
  EXCLUSIVE_ACCESS_ALL_REGISTRANTS: 0x8,
} as const;

const VALID_TYPES = new Set<number>(Object.values(PrType));
const allRegistrants = (type: number) => type === 0x7 || type === 0x8;
const registrantsType = (type: number) => type >= 0x5;

const conflict = () => new StatusOnly(SAM_STATUS.RESERVATION_CONFLICT);
const ua = (ascq: number) => ({ key: SENSE_KEY.UNIT_ATTENTION, asc: 0x2a, ascq });

/** The SAS address a connection's TransportID reports in READ FULL STATUS. */
export const initiatorSasAddress = (connection: number): bigint =>
  0x5001405000000000n | BigInt(connection + 1);

export class PrState {
  /** PRGENERATION: bumped by every PR OUT that changes the registrations. */
  generation = 0;
  /** Connection → registered key, in registration order. */
  readonly registrations = new Map<number, bigint>();
  reservation: { holder: number; type: number } | undefined;

  constructor(readonly state: DiskState) {}

  /** SPC: for all-registrants types every registrant holds the reservation; otherwise its creator. */
  isHolder(connection: number): boolean {
    const r = this.reservation;
    if (r === undefined) return false;
    return allRegistrants(r.type) ? this.registrations.has(connection) : r.holder === connection;
  }

  /** Whether a command of this access class from `connection` gets RESERVATION CONFLICT. */
  conflicts(connection: number, access: Access): boolean {
    const r = this.reservation;
    if (r === undefined || access === 'none' || this.isHolder(connection)) return false;
    const registered = this.registrations.has(connection);
    switch (r.type) {
      case PrType.WRITE_EXCLUSIVE:
        return access === 'write';
      case PrType.EXCLUSIVE_ACCESS:
        return true;
      case PrType.WRITE_EXCLUSIVE_REGISTRANTS_ONLY:
      case PrType.WRITE_EXCLUSIVE_ALL_REGISTRANTS:
        return access === 'write' && !registered;
      default:
        return !registered;
    }
  }

  /** Drops a registration; a holder losing it loses the reservation (the last one, for all-registrants). */
  unregister(connection: number): void {
    this.registrations.delete(connection);
    const r = this.reservation;
    if (r === undefined) return;
    if (allRegistrants(r.type) ? this.registrations.size === 0 : r.holder === connection) {
      this.releaseReservation(connection);
    }
  }

  releaseReservation(by: number): void {
    const r = this.reservation;
    this.reservation = undefined;
    if (r !== undefined && registrantsType(r.type)) {
      for (const c of this.registrations.keys()) if (c !== by) this.state.addUnitAttention(c, ua(0x04));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// PERSISTENT RESERVE IN

function readKeys(pr: PrState): Uint8Array {
  const keys = [...pr.registrations.values()];
  const out = new Uint8Array(8 + keys.length * 8);
  putU32(out, 0, pr.generation);
  putU32(out, 4, keys.length * 8);
  for (const [i, k] of keys.entries()) putU64(out, 8 + i * 8, k);
  return out;
}

function readReservation(pr: PrState): Uint8Array {
  const r = pr.reservation;
  const out = new Uint8Array(r === undefined ? 8 : 24);
  putU32(out, 0, pr.generation);
  if (r !== undefined) {
    putU32(out, 4, 16);
    putU64(out, 8, allRegistrants(r.type) ? 0n : (pr.registrations.get(r.holder) ?? 0n));
    out[21] = r.type; // scope 0 (LU_SCOPE)
  }
  return out;
}

function reportCapabilities(): Uint8Array {
  const out = new Uint8Array(8);
  putU16(out, 0, 8);
  out[3] = 0x80; // TMV; ALLOW COMMANDS 0
  putU16(out, 4, 0xea01); // WR_EX_AR, EX_AC_RO, WR_EX_RO, EX_AC, WR_EX, EX_AC_AR
  return out;
}

function readFullStatus(pr: PrState): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [connection, key] of pr.registrations) {
    const id = buildSasTransportId(initiatorSasAddress(connection));
    const d = new Uint8Array(24 + id.length);
    putU64(d, 0, key);
    if (pr.isHolder(connection)) {
      d[12] = 0x01; // R_HOLDER
      d[13] = pr.reservation?.type ?? 0;
    }
    putU16(d, 18, 1); // relative target port 1
    putU32(d, 20, id.length);
    d.set(id, 24);
    parts.push(d);
  }
  const length = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(8 + length);
  putU32(out, 0, pr.generation);
  putU32(out, 4, length);
  let off = 8;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

function persistentReserveIn(lu: LogicalUnit, ctx: CommandContext): number {
  const sa = (ctx.cdb[1] ?? 0) & 0x1f;
  const alloc = u16(ctx.cdb, 7);
  const bytes = [readKeys, readReservation, reportCapabilities, readFullStatus][sa]?.(lu.pr);
  if (bytes === undefined) throw invalidCdbField(1, 4);
  return respond(ctx, bytes, alloc);
}

// ---------------------------------------------------------------------------------------------
// PERSISTENT RESERVE OUT

function persistentReserveOut(lu: LogicalUnit, ctx: CommandContext): number {
  const { pr, state } = lu;
  const cdb = ctx.cdb;
  const me = ctx.connection;
  const sa = (cdb[1] ?? 0) & 0x1f;
  const scope = (cdb[2] ?? 0) >> 4;
  const type = (cdb[2] ?? 0) & 0x0f;
  const length = u32(cdb, 5);
  if (sa > 0x06) throw invalidCdbField(1, 4); // REGISTER AND MOVE, REPLACE LOST RESERVATION: not emulated
  if (length !== 24) throw parameterListLengthError();
  const data = dataOut(ctx, 24);
  const key = u64(data, 0);
  const saKey = u64(data, 8);
  const flags = data[20] ?? 0;
  if ((flags & 0x08) !== 0) throw invalidParameterField(20, 3); // SPEC_I_PT
  if ((flags & 0x04) !== 0) throw invalidParameterField(20, 2); // ALL_TG_PT
  if ((flags & 0x01) !== 0) throw invalidParameterField(20, 0); // APTPL
  const mine = pr.registrations.get(me);

  if (sa === 0x00 || sa === 0x06) {
    // REGISTER / REGISTER AND IGNORE EXISTING KEY
    if (sa === 0x00 && (mine === undefined ? key !== 0n : key !== mine)) throw conflict();
    if (saKey === 0n) {
      if (mine !== undefined) {
        pr.unregister(me);
        pr.generation++;
      }
      return 0;
    }
    pr.registrations.set(me, saKey);
    pr.generation++;
    return 0;
  }

  if (mine === undefined || key !== mine) throw conflict();
  const checkTypeAndScope = () => {
    if (scope !== 0) throw invalidCdbField(2, 7);
    if (!VALID_TYPES.has(type)) throw invalidCdbField(2, 3);
  };

  switch (sa) {
    case 0x01: {
      // RESERVE
      checkTypeAndScope();
      const r = pr.reservation;
      if (r !== undefined) {
        if (!pr.isHolder(me) || r.type !== type) throw conflict();
        return 0;
      }
      pr.reservation = { holder: me, type };
      return 0;
    }
    case 0x02: {
      // RELEASE
      const r = pr.reservation;
      if (r === undefined || !pr.isHolder(me)) return 0;
      if (scope !== 0 || r.type !== type) {
        throw new CheckCondition({ key: SENSE_KEY.ILLEGAL_REQUEST, asc: 0x26, ascq: 0x04 });
      }
      pr.releaseReservation(me);
      return 0;
    }
    case 0x03: {
      // CLEAR
      for (const c of pr.registrations.keys()) if (c !== me) state.addUnitAttention(c, ua(0x03));
      pr.registrations.clear();
      pr.reservation = undefined;
      pr.generation++;
      return 0;
    }
    default: {
      // PREEMPT (04h) / PREEMPT AND ABORT (05h)
      const r = pr.reservation;
      const everyOther = r !== undefined && allRegistrants(r.type) && saKey === 0n;
      if (saKey === 0n && !everyOther) throw invalidParameterField(8);
      const victims = [...pr.registrations]
        .filter(([c, k]) => c !== me && (everyOther || k === saKey))
        .map(([c]) => c);
      const takesReservation =
        r !== undefined &&
        (everyOther || (!allRegistrants(r.type) && pr.registrations.get(r.holder) === saKey));
      if (takesReservation) checkTypeAndScope();
      if (victims.length === 0 && !takesReservation && ![...pr.registrations.values()].includes(saKey)) {
        throw conflict();
      }
      for (const c of victims) {
        pr.registrations.delete(c);
        state.addUnitAttention(c, ua(0x05));
      }
      if (takesReservation && r !== undefined) {
        if (r.type !== type) {
          for (const c of pr.registrations.keys()) if (c !== me) state.addUnitAttention(c, ua(0x04));
        }
        pr.reservation = { holder: me, type };
      }
      pr.generation++;
      if (sa === 0x05 && victims.length > 0) lu.abortTasksOf(victims);
      return 0;
    }
  }
}

const pr = { medium: false, timeouts: [1, 30] } as const;

export const prCommands: readonly CommandDef[] = [
  ...[0, 1, 2, 3].map((serviceAction) => ({
    ...registered(0x5e, serviceAction),
    ...pr,
    run: persistentReserveIn,
  })),
  ...[0, 1, 2, 3, 4, 5, 6].map((serviceAction) => ({
    ...registered(0x5f, serviceAction),
    ...pr,
    run: persistentReserveOut,
  })),
];

/**
 * A host-managed zoned disk (ZBC, PDT 14h): conventional zones first, then sequential-write-required
 * zones with write pointers. Write rules and their sense follow scsi_debug's ZBC emulation (the
 * lab's reference): crossing a zone end → 21h/05h WRITE BOUNDARY VIOLATION, a full zone → 24h/00h,
 * not at the write pointer → 21h/04h UNALIGNED WRITE COMMAND, too many open zones → DATA PROTECT
 * 55h/0Eh INSUFFICIENT ZONE RESOURCES. Reads are unrestricted (URSWRZ = 1): unwritten blocks read zeroes.
 */
import { putU32, putU64, SENSE_KEY } from '@scsikit/cdb';
import {
  type CommandContext,
  type CommandDef,
  type LogicalUnit,
  registered,
  respond,
  u32,
  u64,
} from './commands.js';
import type { BlockStore } from './disk-model.js';
import { CheckCondition, invalidCdbField, lbaOutOfRange } from './sense.js';

/** ZBC zone conditions. */
export const ZoneCondition = {
  NOT_WRITE_POINTER: 0x0,
  EMPTY: 0x1,
  IMPLICITLY_OPEN: 0x2,
  EXPLICITLY_OPEN: 0x3,
  CLOSED: 0x4,
  FULL: 0xe,
} as const;

export interface Zone {
  readonly start: number;
  readonly length: number;
  /** 1 conventional, 2 sequential write required. */
  readonly type: 1 | 2;
  condition: number;
  writePointer: number;
}

const rangeError = (ascq: number) => new CheckCondition({ key: SENSE_KEY.ILLEGAL_REQUEST, asc: 0x21, ascq });

export class ZoneState {
  readonly zones: Zone[] = [];
  readonly zoneSize: number;
  readonly maxOpen: number | undefined;

  constructor(
    capacity: number,
    options: {
      readonly zoneSize: number;
      readonly conventionalZones: number;
      readonly maxOpenZones?: number;
    },
    readonly store: BlockStore,
  ) {
    this.zoneSize = options.zoneSize;
    this.maxOpen = options.maxOpenZones;
    for (let start = 0, i = 0; start < capacity; start += this.zoneSize, i++) {
      const conventional = i < options.conventionalZones;
      this.zones.push({
        start,
        length: this.zoneSize,
        type: conventional ? 1 : 2,
        condition: conventional ? ZoneCondition.NOT_WRITE_POINTER : ZoneCondition.EMPTY,
        writePointer: start,
      });
    }
  }

  zoneOf(lba: number): Zone {
    return this.zones[Math.floor(lba / this.zoneSize)] as Zone;
  }

  get openCount(): number {
    return this.zones.filter(
      (z) => z.condition === ZoneCondition.IMPLICITLY_OPEN || z.condition === ZoneCondition.EXPLICITLY_OPEN,
    ).length;
  }

  /** Throws the sense a host-managed disk gives for a write it refuses. */
  checkWrite(lba: number, blocks: number): void {
    const first = this.zoneOf(lba);
    const last = this.zoneOf(lba + Math.max(blocks, 1) - 1);
    if (first !== last) {
      if (first.type === 1 && last.type === 1) return;
      throw rangeError(0x05); // WRITE BOUNDARY VIOLATION
    }
    if (first.type === 1) return;
    if (first.condition === ZoneCondition.FULL) throw invalidCdbField(2);
    if (lba !== first.writePointer) throw rangeError(0x04); // UNALIGNED WRITE COMMAND
    if (
      (first.condition === ZoneCondition.EMPTY || first.condition === ZoneCondition.CLOSED) &&
      this.maxOpen !== undefined &&
      this.openCount >= this.maxOpen
    ) {
      throw new CheckCondition({ key: SENSE_KEY.DATA_PROTECT, asc: 0x55, ascq: 0x0e });
    }
  }

  /** Moves the write pointer after a successful write (implicitly opening, or filling, the zone). */
  advance(lba: number, blocks: number): void {
    const z = this.zoneOf(lba);
    if (z.type === 1) return;
    z.writePointer = lba + blocks;
    if (z.writePointer >= z.start + z.length) z.condition = ZoneCondition.FULL;
    else if (z.condition !== ZoneCondition.EXPLICITLY_OPEN) z.condition = ZoneCondition.IMPLICITLY_OPEN;
  }

  /** Zone Block Device Characteristics VPD page (B6h) body, wrapped by `page`. */
  vpdB6(page: (body: Uint8Array) => Uint8Array): Uint8Array {
    const body = new Uint8Array(0x3c);
    body[0] = 0x01; // URSWRZ: unrestricted reads
    putU32(body, 4, 0xffffffff); // optimal open sequential write preferred: not reported
    putU32(body, 8, 0xffffffff);
    putU32(body, 12, this.maxOpen ?? 0xffffffff);
    return page(body);
  }
}

// ---------------------------------------------------------------------------------------------
// REPORT ZONES

/** Reporting options → which zones match. */
function matches(z: Zone, option: number): boolean {
  switch (option) {
    case 0x00:
      return true;
    case 0x01:
      return z.condition === ZoneCondition.EMPTY;
    case 0x02:
      return z.condition === ZoneCondition.IMPLICITLY_OPEN;
    case 0x03:
      return z.condition === ZoneCondition.EXPLICITLY_OPEN;
    case 0x04:
      return z.condition === ZoneCondition.CLOSED;
    case 0x05:
      return z.condition === ZoneCondition.FULL;
    case 0x06:
    case 0x07:
    case 0x10:
    case 0x11:
      return false; // read-only, offline, reset recommended, non-sequential resources: none here
    case 0x3f:
      return z.condition === ZoneCondition.NOT_WRITE_POINTER;
    default:
      return false;
  }
}

const VALID_OPTIONS = new Set([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x10, 0x11, 0x3f]);

function reportZones(lu: LogicalUnit, ctx: CommandContext): number {
  const zs = lu.zones as ZoneState;
  const cdb = ctx.cdb;
  const start = u64(cdb, 2);
  const alloc = u32(cdb, 10);
  const partial = ((cdb[14] ?? 0) & 0x80) !== 0;
  const option = (cdb[14] ?? 0) & 0x3f;
  if (start >= BigInt(lu.state.capacity)) throw lbaOutOfRange(start);
  if (!VALID_OPTIONS.has(option)) throw invalidCdbField(14, 5);
  const from = Math.floor(Number(start) / zs.zoneSize);
  const selected = zs.zones.slice(from).filter((z) => matches(z, option));
  const fit = Math.max(0, Math.floor((alloc - 64) / 64));
  const listed = partial ? selected.slice(0, fit) : selected;
  const out = new Uint8Array(64 + Math.min(listed.length, fit) * 64);
  putU32(out, 0, listed.length * 64);
  out[4] = 0x00; // SAME: zone types differ (conventional and sequential)
  putU64(out, 8, BigInt(lu.state.capacity - 1));
  listed.slice(0, fit).forEach((z, i) => {
    const d = 64 + i * 64;
    out[d] = z.type;
    out[d + 1] = z.condition << 4;
    putU64(out, d + 8, BigInt(z.length));
    putU64(out, d + 16, BigInt(z.start));
    putU64(out, d + 24, z.type === 1 ? 0xffffffffffffffffn : BigInt(z.writePointer));
  });
  return respond(ctx, out, alloc);
}

// ---------------------------------------------------------------------------------------------
// ZONE ACTIONS (ZBC OUT): CLOSE, FINISH, OPEN, RESET WRITE POINTER

type Action = 'close' | 'finish' | 'open' | 'reset';

function apply(zs: ZoneState, z: Zone, action: Action, all: boolean): void {
  const c = z.condition;
  switch (action) {
    case 'close':
      if (c === ZoneCondition.IMPLICITLY_OPEN || c === ZoneCondition.EXPLICITLY_OPEN) {
        z.condition = z.writePointer === z.start ? ZoneCondition.EMPTY : ZoneCondition.CLOSED;
      }
      return;
    case 'finish':
      if (
        all &&
        c !== ZoneCondition.IMPLICITLY_OPEN &&
        c !== ZoneCondition.EXPLICITLY_OPEN &&
        c !== ZoneCondition.CLOSED
      ) {
        return;
      }
      z.writePointer = z.start + z.length;
      z.condition = ZoneCondition.FULL;
      return;
    case 'open':
      if (c === ZoneCondition.EXPLICITLY_OPEN || c === ZoneCondition.FULL) return;
      if (all && c !== ZoneCondition.CLOSED) return;
      if (c !== ZoneCondition.IMPLICITLY_OPEN && zs.maxOpen !== undefined && zs.openCount >= zs.maxOpen) {
        throw new CheckCondition({ key: SENSE_KEY.DATA_PROTECT, asc: 0x55, ascq: 0x0e });
      }
      z.condition = ZoneCondition.EXPLICITLY_OPEN;
      return;
    case 'reset':
      if (z.writePointer > z.start) zs.store.deallocate(z.start, z.writePointer - z.start);
      z.writePointer = z.start;
      z.condition = ZoneCondition.EMPTY;
      return;
  }
}

function zoneAction(action: Action) {
  return (lu: LogicalUnit, ctx: CommandContext): number => {
    const zs = lu.zones as ZoneState;
    const all = ((ctx.cdb[14] ?? 0) & 0x01) !== 0;
    if (lu.state.writeProtected && action !== 'close') {
      throw new CheckCondition({ key: SENSE_KEY.DATA_PROTECT, asc: 0x27, ascq: 0x00 });
    }
    if (all) {
      for (const z of zs.zones) if (z.type === 2) apply(zs, z, action, true);
      return 0;
    }
    const id = u64(ctx.cdb, 2);
    if (id >= BigInt(lu.state.capacity)) throw lbaOutOfRange(id);
    const z = zs.zoneOf(Number(id));
    if (BigInt(z.start) !== id || z.type === 1) throw invalidCdbField(2);
    apply(zs, z, action, false);
    return 0;
  };
}

const zbc = { medium: true, timeouts: [1, 30] } as const;

export const zbcCommands: readonly CommandDef[] = [
  { ...registered(0x95, 0x00), ...zbc, run: reportZones },
  { ...registered(0x94, 0x01), ...zbc, run: zoneAction('close') },
  { ...registered(0x94, 0x02), ...zbc, run: zoneAction('finish') },
  { ...registered(0x94, 0x03), ...zbc, run: zoneAction('open') },
  { ...registered(0x94, 0x04), ...zbc, run: zoneAction('reset') },
];

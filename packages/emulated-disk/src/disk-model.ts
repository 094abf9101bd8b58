/**
 * The emulated logical unit: its options (validated once, with zod, at construction), its medium
 * (a sparse in-memory or sparse-file block store with a provisioning map) and the state every
 * handler shares — mode pages, unit attentions, counters. Handlers live in the *-handlers.ts files.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import {
  encodeCachingPage,
  encodeControlPage,
  encodeInformationalExceptionsControlPage,
  encodeReadWriteErrorRecoveryPage,
} from '@scsikit/cdb';
import { z } from 'zod';
import {
  type MicrocodeOption,
  MicrocodeOptionSchema,
  type ResolvedMicrocode,
  resolveMicrocode,
} from './firmware-handlers.js';
import { DiskHealth } from './health-handlers.js';
import {
  type ResolvedSecurityProtocols,
  resolveSecurityProtocols,
  type SecurityProtocolsOption,
  SecurityProtocolsOptionSchema,
} from './security-handlers.js';
import type { SenseSpec } from './sense.js';

// ---------------------------------------------------------------------------------------------
// Options

/** How big the disk is: a count of logical blocks or of bytes (a multiple of `blockLength`). */
export type CapacityOption = { readonly blocks: number | bigint } | { readonly bytes: number | bigint };

/** Completion delay of every command. `minMs`/`maxMs` draw uniformly from a seeded generator. */
export type LatencyOption =
  | { readonly fixedMs: number }
  | { readonly minMs: number; readonly maxMs: number; readonly seed?: number };

export interface ThinProvisioningOption {
  /**
   * LBPRZ: deallocated blocks read as zeroes (the emulation always returns zeroes; this is what it
   * reports in READ CAPACITY(16) and the Logical Block Provisioning VPD page).
   * @default true
   */
  readonly lbprz?: boolean;
}

export interface ZonedOption {
  /** Blocks per zone, a power of two; the capacity must be a multiple of it. */
  readonly zoneSize: number;
  /** Conventional zones at the start of the LBA space. @default 1 */
  readonly conventionalZones?: number;
  /** Explicitly + implicitly open zones allowed at once; absent = no limit (reported as FFFFFFFFh). */
  readonly maxOpenZones?: number;
}

export interface EmulatedDiskOptions {
  /** @default { bytes: 64 MiB } */
  readonly capacity?: CapacityOption;
  /** @default 512 */
  readonly blockLength?: 512 | 4096;
  /** LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT (0–15): 3 makes a 512e disk with 4 KiB physical blocks. @default 0 */
  readonly physicalBlockExponent?: number;
  /** T10 vendor identification, ≤ 8 printable ASCII characters. @default 'SCSIKIT' */
  readonly vendor?: string;
  /** ≤ 16 printable ASCII characters. @default 'EMULATED DISK' (or 'EMULATED ZBC' when zoned) */
  readonly product?: string;
  /** ≤ 4 printable ASCII characters. @default '0001' */
  readonly revision?: string;
  /** Unit serial number (VPD 80h), ≤ 32 printable ASCII characters. @default 'EMU00000001' */
  readonly serial?: string;
  /**
   * The LU's NAA designator (VPD 83h): 32 hex digits starting with 6 (NAA IEEE Registered Extended).
   * @default derived from `serial`, so two disks with different serials have different WWNs
   * @example '6001405f3e2a1b0c9d8e7f6a5b4c3d2e'
   */
  readonly wwn?: string;
  /**
   * READ MEDIA SERIAL NUMBER answers this (≤ 32 printable ASCII characters; '' for a medium without
   * one). Absent: the command is not implemented (INVALID COMMAND OPERATION CODE), as on most disks.
   * @default absent
   */
  readonly mediaSerialNumber?: string;
  /** Thin provisioning (LBPME): UNMAP, WRITE SAME with UNMAP, GET LBA STATUS deallocated extents. @default off */
  readonly thinProvisioning?: boolean | ThinProvisioningOption;
  /** Write cache enabled (caching mode page WCE) at power-on; MODE SELECT may change it. @default true */
  readonly writeCache?: boolean;
  /** Control mode page D_SENSE at power-on: descriptor-format sense. @default false */
  readonly descriptorSense?: boolean;
  /** Where the blocks live. A file is sparse and opened (created when missing) at construction. @default 'memory' */
  readonly backing?: 'memory' | { readonly file: string };
  /** A host-managed zoned disk (PDT 14h) instead of a plain one. @default absent */
  readonly zoned?: ZonedOption;
  /** Commands in the device at once per connection; the rest wait in userspace. @default 32 */
  readonly queueDepth?: number;
  /** @default { fixedMs: 0 } (completion on the next event-loop turn) */
  readonly latency?: LatencyOption;
  /** Largest transfer accepted (capabilities.maxTransferBytes, VPD B0h MAXIMUM TRANSFER LENGTH). @default 1 MiB */
  readonly maxTransferBytes?: number;
  /**
   * Emulated registered buffers (`capabilities.fixedBuffers`, `transport.pool`): plain Uint8Arrays,
   * so code written for io_uring fixed buffers can be tested unchanged. @default false
   */
  readonly fixedBuffers?: boolean | { readonly count?: number; readonly bufferBytes?: number };
  /** Report UNIT ATTENTION 29h/00h (power on occurred) on each connection's first command, as real disks do. @default false */
  readonly powerOnUnitAttention?: boolean;
  /** Recorder ring size: the oldest entries are dropped beyond it; 0 turns recording off. @default 10000 */
  readonly recorderLimit?: number;
  /**
   * A SATA disk behind a SAT layer (as libata presents one): ATA PASS-THROUGH(12/16) answers IDENTIFY
   * DEVICE and SMART (READ DATA, READ THRESHOLDS, RETURN STATUS; state in `disk.health`), and the
   * INQUIRY vendor defaults to "ATA". @default false
   */
  readonly ata?: boolean;
  /**
   * Microcode download: WRITE BUFFER modes 05h/07h/0Dh/0Eh/0Fh, READ BUFFER descriptor mode and the
   * VPD 86h activation fields (see firmware-handlers.ts). Absent: WRITE/READ BUFFER are INVALID
   * COMMAND OPERATION CODE, as on disks that take firmware another way. @default absent
   */
  readonly microcode?: boolean | MicrocodeOption;
  /** SECURITY PROTOCOL IN protocol 00h answers these. Absent: INVALID COMMAND OPERATION CODE. @default absent */
  readonly securityProtocols?: SecurityProtocolsOption;
}

/** Options failed validation; `issues` lists every problem, `message` says all of them. */
export class EmulatedDiskOptionsError extends TypeError {
  readonly issues: readonly { readonly path: string; readonly message: string }[];
  constructor(issues: readonly { readonly path: string; readonly message: string }[]) {
    super(`Invalid EmulatedDisk options: ${issues.map((i) => i.message).join('; ')}`);
    this.name = 'EmulatedDiskOptionsError';
    this.issues = issues;
  }
}

const MiB = 1024 * 1024;
const printable = (max: number) =>
  z
    .string({ error: `a string of at most ${max} printable ASCII characters` })
    .max(max, { error: `at most ${max} printable ASCII characters` })
    .regex(/^[\x20-\x7e]*$/u, { error: `printable ASCII characters only (at most ${max})` });
const intIn = (min: number, max: number) =>
  z
    .number({ error: `an integer in [${min}, ${max}]` })
    .int({ error: `an integer in [${min}, ${max}]` })
    .min(min, { error: `an integer in [${min}, ${max}]` })
    .max(max, { error: `an integer in [${min}, ${max}]` });
const positiveCount = z.union([z.number().int().positive(), z.bigint().positive()], {
  error: 'a positive integer (number or bigint)',
});
const ms = z
  .number({ error: 'a finite number of milliseconds ≥ 0' })
  .min(0, { error: 'a number of milliseconds ≥ 0' })
  .max(2_147_483_647, { error: 'at most 2147483647 ms' });

export const EmulatedDiskOptionsSchema = z.strictObject({
  capacity: z
    .union([z.strictObject({ blocks: positiveCount }), z.strictObject({ bytes: positiveCount })], {
      error: '{ blocks } or { bytes }, a positive integer',
    })
    .optional(),
  blockLength: z.union([z.literal(512), z.literal(4096)], { error: '512 or 4096' }).optional(),
  physicalBlockExponent: intIn(0, 15).optional(),
  vendor: printable(8).optional(),
  product: printable(16).optional(),
  revision: printable(4).optional(),
  serial: printable(32).min(1, { error: 'a non-empty string' }).optional(),
  mediaSerialNumber: printable(32).optional(),
  ata: z.boolean({ error: 'a boolean' }).optional(),
  wwn: z
    .string({ error: '32 hex digits starting with 6 (NAA-6)' })
    .regex(/^6[0-9a-fA-F]{31}$/u, { error: '32 hex digits starting with 6 (NAA-6)' })
    .optional(),
  thinProvisioning: z
    .union([z.boolean(), z.strictObject({ lbprz: z.boolean().optional() })], {
      error: 'a boolean or { lbprz?: boolean }',
    })
    .optional(),
  writeCache: z.boolean({ error: 'a boolean' }).optional(),
  descriptorSense: z.boolean({ error: 'a boolean' }).optional(),
  backing: z
    .union(
      [z.literal('memory'), z.strictObject({ file: z.string().min(1, { error: 'a non-empty path' }) })],
      { error: "'memory' or { file: path }" },
    )
    .optional(),
  zoned: z
    .strictObject(
      {
        zoneSize: intIn(1, 2 ** 32).refine((n) => Number.isInteger(Math.log2(n)), {
          error: 'a power of two (blocks per zone)',
        }),
        conventionalZones: intIn(0, 2 ** 32).optional(),
        maxOpenZones: intIn(1, 2 ** 32 - 2).optional(),
      },
      { error: '{ zoneSize, conventionalZones?, maxOpenZones? }' },
    )
    .optional(),
  queueDepth: intIn(1, 4096).optional(),
  latency: z
    .union(
      [
        z.strictObject({ fixedMs: ms }),
        z.strictObject({ minMs: ms, maxMs: ms, seed: z.number().int().optional() }),
      ],
      { error: '{ fixedMs } or { minMs, maxMs, seed? }' },
    )
    .refine((l) => !('minMs' in l) || l.minMs <= l.maxMs, { error: 'minMs ≤ maxMs' })
    .optional(),
  maxTransferBytes: intIn(4096, 1024 * MiB).optional(),
  fixedBuffers: z
    .union(
      [
        z.boolean(),
        z.strictObject({ count: intIn(1, 1024).optional(), bufferBytes: intIn(512, 1024 * MiB).optional() }),
      ],
      { error: 'a boolean or { count?, bufferBytes? }' },
    )
    .optional(),
  powerOnUnitAttention: z.boolean({ error: 'a boolean' }).optional(),
  recorderLimit: intIn(0, 10_000_000).optional(),
  microcode: MicrocodeOptionSchema.optional(),
  securityProtocols: SecurityProtocolsOptionSchema.optional(),
});

/** Every option with its default applied; what the model reads. */
export interface ResolvedOptions {
  readonly blocks: number;
  readonly blockLength: number;
  readonly physicalBlockExponent: number;
  readonly vendor: string;
  readonly product: string;
  readonly revision: string;
  readonly serial: string;
  /** 16 bytes. */
  readonly wwn: Uint8Array;
  readonly mediaSerialNumber: string | undefined;
  readonly thin: { readonly lbprz: boolean } | undefined;
  readonly writeCache: boolean;
  readonly descriptorSense: boolean;
  readonly backing: 'memory' | { readonly file: string };
  readonly zoned:
    | { readonly zoneSize: number; readonly conventionalZones: number; readonly maxOpenZones?: number }
    | undefined;
  readonly queueDepth: number;
  readonly latency: LatencyOption;
  readonly maxTransferBytes: number;
  readonly fixedBuffers: { readonly count: number; readonly bufferBytes: number } | undefined;
  readonly powerOnUnitAttention: boolean;
  readonly recorderLimit: number;
  readonly ata: boolean;
  readonly microcode: ResolvedMicrocode | undefined;
  readonly securityProtocols: ResolvedSecurityProtocols | undefined;
}

function describeValue(v: unknown): string {
  if (typeof v === 'bigint') return `\`${v}n\` (bigint)`;
  if (typeof v === 'string') return `\`'${v}'\` (string)`;
  if (v !== null && typeof v === 'object')
    return `\`${JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x))}\` (object)`;
  return `\`${String(v)}\` (${v === null ? 'null' : typeof v})`;
}

const KNOWN_KEYS = Object.keys(EmulatedDiskOptionsSchema.shape);

/** Edit distance, for "did you mean" on a misspelt option. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
    }
  }
  return d[a.length]![b.length]!;
}

function fail(path: string, message: string): never {
  throw new EmulatedDiskOptionsError([{ path, message }]);
}

/** FNV-1a, 64 bits: a stable hash of the serial for the default WWN. */
function fnv64(text: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (const c of new TextEncoder().encode(text)) {
    h ^= BigInt(c);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h;
}

/** NAA-6 with the Linux-IO OUI (00:14:05) and a vendor-specific part derived from the serial. */
function defaultWwn(serial: string): Uint8Array {
  const a = fnv64(serial);
  const b = fnv64(`${serial}#ext`);
  const hi = (0x6n << 60n) | (0x001405n << 36n) | (a >> 28n);
  const out = new Uint8Array(16);
  new DataView(out.buffer).setBigUint64(0, hi);
  new DataView(out.buffer).setBigUint64(8, b);
  return out;
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * Validates `input` and applies defaults. Throws {@link EmulatedDiskOptionsError} with every
 * problem, each message naming the option and the value: Expected `queueDepth` to be an integer in
 * [1, 4096], got `0` (number).
 */
export function resolveOptions(input: EmulatedDiskOptions = {}): ResolvedOptions {
  if (input === null || typeof input !== 'object')
    fail('', `Expected options to be an object, got ${describeValue(input)}`);
  const parsed = EmulatedDiskOptionsSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      if (issue.code === 'unrecognized_keys') {
        const where = path === '' ? '' : ` in \`${path}\``;
        return {
          path,
          message: issue.keys
            .map((k) => {
              const near = path === '' ? KNOWN_KEYS.find((known) => distance(k, known) <= 2) : undefined;
              return `Unknown option \`${k}\`${where}${near === undefined ? '' : ` (did you mean \`${near}\`?)`}`;
            })
            .join('; '),
        };
      }
      return {
        path,
        message: `Expected \`${path}\` to be ${issue.message}, got ${describeValue(issue.input)}`,
      };
    });
    throw new EmulatedDiskOptionsError(issues);
  }
  const o = parsed.data;
  const blockLength = o.blockLength ?? 512;
  let blocks: number;
  const capacity = o.capacity ?? { bytes: 64 * MiB };
  if ('blocks' in capacity) {
    blocks = Number(capacity.blocks);
  } else {
    const bytes = BigInt(capacity.bytes);
    if (bytes % BigInt(blockLength) !== 0n) {
      fail(
        'capacity.bytes',
        `Expected \`capacity.bytes\` to be a multiple of blockLength (${blockLength}), got \`${bytes}\``,
      );
    }
    blocks = Number(bytes / BigInt(blockLength));
  }
  if (!Number.isSafeInteger(blocks) || blocks * blockLength > Number.MAX_SAFE_INTEGER) {
    fail(
      'capacity',
      `Expected \`capacity\` to be at most 2^53 − 1 bytes, got ${blocks} blocks of ${blockLength}`,
    );
  }
  let zoned: ResolvedOptions['zoned'];
  if (o.zoned !== undefined) {
    const { zoneSize } = o.zoned;
    const conventionalZones = o.zoned.conventionalZones ?? 1;
    if (blocks % zoneSize !== 0) {
      fail(
        'zoned.zoneSize',
        `Expected the capacity (${blocks} blocks) to be a multiple of \`zoned.zoneSize\` (${zoneSize})`,
      );
    }
    if (conventionalZones >= blocks / zoneSize) {
      fail(
        'zoned.conventionalZones',
        `Expected \`zoned.conventionalZones\` to leave at least one sequential zone (the disk has ${blocks / zoneSize} zones), got \`${conventionalZones}\``,
      );
    }
    if (o.thinProvisioning !== undefined && o.thinProvisioning !== false) {
      fail(
        'thinProvisioning',
        'Expected `thinProvisioning` to be off on a zoned disk (the emulation does not combine them)',
      );
    }
    zoned = {
      zoneSize,
      conventionalZones,
      ...(o.zoned.maxOpenZones === undefined ? {} : { maxOpenZones: o.zoned.maxOpenZones }),
    };
  }
  const maxTransferBytes = o.maxTransferBytes ?? MiB;
  if (maxTransferBytes % blockLength !== 0) {
    fail(
      'maxTransferBytes',
      `Expected \`maxTransferBytes\` to be a multiple of blockLength (${blockLength}), got \`${maxTransferBytes}\``,
    );
  }
  const serial = o.serial ?? 'EMU00000001';
  const fb = o.fixedBuffers ?? false;
  return {
    blocks,
    blockLength,
    physicalBlockExponent: o.physicalBlockExponent ?? 0,
    vendor: o.vendor ?? (o.ata === true ? 'ATA' : 'SCSIKIT'),
    product: o.product ?? (zoned === undefined ? 'EMULATED DISK' : 'EMULATED ZBC'),
    revision: o.revision ?? '0001',
    serial,
    wwn: o.wwn === undefined ? defaultWwn(serial) : hexBytes(o.wwn),
    mediaSerialNumber: o.mediaSerialNumber,
    thin:
      o.thinProvisioning === undefined || o.thinProvisioning === false
        ? undefined
        : { lbprz: o.thinProvisioning === true ? true : (o.thinProvisioning.lbprz ?? true) },
    writeCache: o.writeCache ?? true,
    descriptorSense: o.descriptorSense ?? false,
    backing: o.backing ?? 'memory',
    zoned,
    queueDepth: o.queueDepth ?? 32,
    latency:
      o.latency === undefined
        ? { fixedMs: 0 }
        : 'fixedMs' in o.latency
          ? { fixedMs: o.latency.fixedMs }
          : {
              minMs: o.latency.minMs,
              maxMs: o.latency.maxMs,
              ...(o.latency.seed === undefined ? {} : { seed: o.latency.seed }),
            },
    maxTransferBytes,
    fixedBuffers:
      fb === false
        ? undefined
        : {
            count: fb === true ? 8 : (fb.count ?? 8),
            bufferBytes:
              fb === true
                ? Math.min(maxTransferBytes, MiB)
                : (fb.bufferBytes ?? Math.min(maxTransferBytes, MiB)),
          },
    powerOnUnitAttention: o.powerOnUnitAttention ?? false,
    recorderLimit: o.recorderLimit ?? 10_000,
    ata: o.ata ?? false,
    microcode: resolveMicrocode(o.microcode),
    securityProtocols: resolveSecurityProtocols(o.securityProtocols),
  };
}

// ---------------------------------------------------------------------------------------------
// Medium

/** Bytes per allocation chunk: a 1 TiB disk costs nothing until written, then 64 KiB per touched chunk. */
const CHUNK_BYTES = 64 * 1024;

/** Which blocks hold data (mapped) and which are deallocated, chunk by chunk. */
class ProvisioningMap {
  readonly #bitmaps = new Map<number, { bits: Uint8Array; count: number }>();
  constructor(
    readonly chunkBlocks: number,
    /** State of every block of a chunk never touched (a pre-existing backing file counts as mapped). */
    readonly defaultMapped: boolean,
  ) {}

  #chunk(index: number): { bits: Uint8Array; count: number } {
    let c = this.#bitmaps.get(index);
    if (c === undefined) {
      c = { bits: new Uint8Array(this.chunkBlocks).fill(this.defaultMapped ? 1 : 0), count: 0 };
      c.count = this.defaultMapped ? this.chunkBlocks : 0;
      this.#bitmaps.set(index, c);
    }
    return c;
  }

  isMapped(lba: number): boolean {
    const c = this.#bitmaps.get(Math.floor(lba / this.chunkBlocks));
    return c === undefined ? this.defaultMapped : c.bits[lba % this.chunkBlocks] === 1;
  }

  /** Marks [lba, lba + n) mapped or not. Returns the chunks left with no mapped block. */
  set(lba: number, n: number, mapped: boolean): number[] {
    const emptied: number[] = [];
    let b = lba;
    const end = lba + n;
    while (b < end) {
      const index = Math.floor(b / this.chunkBlocks);
      const stop = Math.min(end, (index + 1) * this.chunkBlocks);
      const c = this.#chunk(index);
      for (let i = b % this.chunkBlocks, k = b; k < stop; i++, k++) {
        const was = c.bits[i] === 1;
        if (was !== mapped) {
          c.bits[i] = mapped ? 1 : 0;
          c.count += mapped ? 1 : -1;
        }
      }
      if (c.count === 0) {
        if (!this.defaultMapped) this.#bitmaps.delete(index);
        emptied.push(index);
      }
      b = stop;
    }
    return emptied;
  }

  /** Length of the run starting at `lba` with one state, at most `max` blocks. */
  run(lba: number, max: number): { mapped: boolean; blocks: number } {
    const mapped = this.isMapped(lba);
    let n = 1;
    while (n < max) {
      const b = lba + n;
      const c = this.#bitmaps.get(Math.floor(b / this.chunkBlocks));
      if (c === undefined && b % this.chunkBlocks === 0) {
        // A whole untouched chunk: skip it at once.
        if (this.defaultMapped !== mapped) break;
        n += this.chunkBlocks;
        continue;
      }
      if (this.isMapped(b) !== mapped) break;
      n++;
    }
    return { mapped, blocks: Math.min(n, max) };
  }
}

/** Blocks of the medium. Offsets and counts are in logical blocks; callers check ranges. */
export interface BlockStore {
  read(lba: number, dst: Uint8Array): void;
  write(lba: number, src: Uint8Array): void;
  /** After this, the blocks read as zeroes and report deallocated. */
  deallocate(lba: number, blocks: number): void;
  isMapped(lba: number): boolean;
  run(lba: number, max: number): { mapped: boolean; blocks: number };
  /** Bytes of memory holding block data (memory backing) — the cost of a sparse disk. */
  readonly allocatedBytes: number;
  flush(): void;
  close(): void;
}

class MemoryStore implements BlockStore {
  readonly #chunks = new Map<number, Uint8Array>();
  readonly #map: ProvisioningMap;
  readonly #chunkBlocks: number;
  constructor(readonly blockLength: number) {
    this.#chunkBlocks = CHUNK_BYTES / blockLength;
    this.#map = new ProvisioningMap(this.#chunkBlocks, false);
  }
  get allocatedBytes(): number {
    return this.#chunks.size * CHUNK_BYTES;
  }
  #each(
    lba: number,
    bytes: number,
    fn: (chunk: number, offset: number, at: number, len: number) => void,
  ): void {
    let at = 0;
    let byte = lba * this.blockLength;
    while (at < bytes) {
      const chunk = Math.floor(byte / CHUNK_BYTES);
      const offset = byte % CHUNK_BYTES;
      const len = Math.min(CHUNK_BYTES - offset, bytes - at);
      fn(chunk, offset, at, len);
      at += len;
      byte += len;
    }
  }
  read(lba: number, dst: Uint8Array): void {
    this.#each(lba, dst.length, (chunk, offset, at, len) => {
      const c = this.#chunks.get(chunk);
      if (c === undefined) dst.fill(0, at, at + len);
      else dst.set(c.subarray(offset, offset + len), at);
    });
  }
  write(lba: number, src: Uint8Array): void {
    this.#each(lba, src.length, (chunk, offset, at, len) => {
      let c = this.#chunks.get(chunk);
      if (c === undefined) {
        c = new Uint8Array(CHUNK_BYTES);
        this.#chunks.set(chunk, c);
      }
      c.set(src.subarray(at, at + len), offset);
    });
    this.#map.set(lba, src.length / this.blockLength, true);
  }
  deallocate(lba: number, blocks: number): void {
    this.#each(lba, blocks * this.blockLength, (chunk, offset, _at, len) => {
      this.#chunks.get(chunk)?.fill(0, offset, offset + len);
    });
    for (const chunk of this.#map.set(lba, blocks, false)) this.#chunks.delete(chunk);
  }
  isMapped(lba: number): boolean {
    return this.#map.isMapped(lba);
  }
  run(lba: number, max: number): { mapped: boolean; blocks: number } {
    return this.#map.run(lba, max);
  }
  flush(): void {}
  close(): void {
    this.#chunks.clear();
  }
}

class FileStore implements BlockStore {
  #fd: number | undefined;
  readonly #map: ProvisioningMap;
  readonly #zeros = new Uint8Array(CHUNK_BYTES);
  constructor(
    path: string,
    readonly blockLength: number,
    capacityBytes: number,
  ) {
    this.#fd = openSync(path, 'a+');
    closeSync(this.#fd);
    this.#fd = openSync(path, 'r+');
    const size = fstatSync(this.#fd).size;
    if (size < capacityBytes) ftruncateSync(this.#fd, capacityBytes);
    // Data already in the file is taken as mapped; this session tracks what it deallocates.
    this.#map = new ProvisioningMap(CHUNK_BYTES / blockLength, size > 0);
  }
  get allocatedBytes(): number {
    return 0;
  }
  #handle(): number {
    if (this.#fd === undefined) throw new Error('the backing file is closed');
    return this.#fd;
  }
  read(lba: number, dst: Uint8Array): void {
    const fd = this.#handle();
    let at = 0;
    while (at < dst.length) {
      const n = readSync(fd, dst, at, dst.length - at, lba * this.blockLength + at);
      if (n === 0) {
        dst.fill(0, at);
        return;
      }
      at += n;
    }
  }
  write(lba: number, src: Uint8Array): void {
    const fd = this.#handle();
    let at = 0;
    while (at < src.length) at += writeSync(fd, src, at, src.length - at, lba * this.blockLength + at);
    this.#map.set(lba, src.length / this.blockLength, true);
  }
  deallocate(lba: number, blocks: number): void {
    const fd = this.#handle();
    let at = 0;
    const bytes = blocks * this.blockLength;
    while (at < bytes) {
      const len = Math.min(this.#zeros.length, bytes - at);
      at += writeSync(fd, this.#zeros, 0, len, lba * this.blockLength + at);
    }
    this.#map.set(lba, blocks, false);
  }
  isMapped(lba: number): boolean {
    return this.#map.isMapped(lba);
  }
  run(lba: number, max: number): { mapped: boolean; blocks: number } {
    return this.#map.run(lba, max);
  }
  flush(): void {
    if (this.#fd !== undefined) fsyncSync(this.#fd);
  }
  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}

export function openStore(o: ResolvedOptions): BlockStore {
  return o.backing === 'memory'
    ? new MemoryStore(o.blockLength)
    : new FileStore(o.backing.file, o.blockLength, o.blocks * o.blockLength);
}

// ---------------------------------------------------------------------------------------------
// Mode pages

/** The pages MODE SENSE reports, in page-code order. */
export const MODE_PAGE_CODES = [0x01, 0x08, 0x0a, 0x1c] as const;

export type ModePageSet = Map<number, Uint8Array>;

/** Default and changeable values built with cdb's page encoders; current and saved start at default. */
export function initialModePages(o: ResolvedOptions): {
  defaults: ModePageSet;
  changeable: ModePageSet;
} {
  const defaults: ModePageSet = new Map([
    [
      0x01,
      encodeReadWriteErrorRecoveryPage({ awre: true, arre: true, readRetryCount: 8, writeRetryCount: 8 }),
    ],
    [0x08, encodeCachingPage({ wce: o.writeCache })],
    [
      0x0a,
      encodeControlPage({
        dSense: o.descriptorSense,
        busyTimeoutPeriod: 0xffff,
        extendedSelfTestCompletionTime: 60,
      }),
    ],
    [0x1c, encodeInformationalExceptionsControlPage({ dexcpt: true })],
  ]);
  const changeable: ModePageSet = new Map([
    [
      0x01,
      encodeReadWriteErrorRecoveryPage({
        awre: true,
        arre: true,
        per: true,
        readRetryCount: 0xff,
        writeRetryCount: 0xff,
        recoveryTimeLimit: 0xffff,
      }),
    ],
    [0x08, encodeCachingPage({ wce: true, rcd: true })],
    [0x0a, encodeControlPage({ dSense: true, swp: true })],
    [
      0x1c,
      encodeInformationalExceptionsControlPage({
        perf: true,
        ewasc: true,
        dexcpt: true,
        logerr: true,
        mrie: 0xf,
        intervalTimer: 0xffffffff,
        reportCount: 0xffffffff,
      }),
    ],
  ]);
  return { defaults, changeable };
}

const clone = (set: ModePageSet): ModePageSet => new Map([...set].map(([k, v]) => [k, v.slice()]));

// ---------------------------------------------------------------------------------------------
// The logical unit's shared state

/** One self-test results log entry (SEND DIAGNOSTIC with a self-test code). */
export interface SelfTestEntry {
  readonly code: number;
  readonly result: number;
  readonly powerOnHours: number;
}

/** Error counter pages 02h (write), 03h (read), 05h (verify). */
export interface ErrorCounters {
  bytesProcessed: bigint;
  uncorrected: bigint;
}

export class DiskState {
  readonly options: ResolvedOptions;
  readonly store: BlockStore;
  readonly modeDefaults: ModePageSet;
  readonly modeChangeable: ModePageSet;
  modeCurrent: ModePageSet;
  modeSaved: ModePageSet;
  /** START STOP UNIT with START = 0 stops the unit: media access answers NOT READY 04h/02h. */
  stopped = false;
  /** Pending unit attentions per connection, oldest first. */
  readonly unitAttentions = new Map<number, SenseSpec[]>();
  readonly counters: Record<'write' | 'read' | 'verify', ErrorCounters> = {
    write: { bytesProcessed: 0n, uncorrected: 0n },
    read: { bytesProcessed: 0n, uncorrected: 0n },
    verify: { bytesProcessed: 0n, uncorrected: 0n },
  };
  /** Newest first, at most 20. */
  readonly selfTests: SelfTestEntry[] = [];
  /** Degrees Celsius reported by the temperature log page. */
  temperature = 35;
  /** What the health sources report (IE log, background scan, SMART): `EmulatedDisk.health`. */
  readonly health: DiskHealth = new DiskHealth(this);
  readonly createdAt = Date.now();
  /** Connections that exist, for unit attentions addressed to "every other initiator". */
  readonly connections = new Set<number>();

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.store = openStore(options);
    const { defaults, changeable } = initialModePages(options);
    this.modeDefaults = defaults;
    this.modeChangeable = changeable;
    this.modeCurrent = clone(defaults);
    this.modeSaved = clone(defaults);
  }

  get capacity(): number {
    return this.options.blocks;
  }
  get blockLength(): number {
    return this.options.blockLength;
  }
  /** Set for another device type built on this machinery (08h media changer, 0Dh enclosure). */
  peripheralTypeOverride: number | undefined;
  /** Peripheral device type: 00h disk, 14h host-managed zoned, or the override. */
  get pdt(): number {
    return this.peripheralTypeOverride ?? (this.options.zoned === undefined ? 0x00 : 0x14);
  }
  /** Control mode page D_SENSE. */
  get descriptorSense(): boolean {
    return (((this.modeCurrent.get(0x0a)?.[2] ?? 0) >> 2) & 1) === 1;
  }
  /** Control mode page SWP: the medium is write protected. */
  get writeProtected(): boolean {
    return (((this.modeCurrent.get(0x0a)?.[4] ?? 0) >> 3) & 1) === 1;
  }
  /** Caching mode page WCE. */
  get writeCacheEnabled(): boolean {
    return (((this.modeCurrent.get(0x08)?.[2] ?? 0) >> 2) & 1) === 1;
  }

  /** Queues a unit attention for `connection` (duplicates of one pending condition are kept once). */
  addUnitAttention(connection: number, sense: SenseSpec): void {
    let q = this.unitAttentions.get(connection);
    if (q === undefined) {
      q = [];
      this.unitAttentions.set(connection, q);
    }
    if (!q.some((s) => s.asc === sense.asc && s.ascq === sense.ascq)) q.push(sense);
  }

  /** Queues a unit attention for every connection but `except`. */
  addUnitAttentionToOthers(except: number, sense: SenseSpec): void {
    for (const c of this.connections) if (c !== except) this.addUnitAttention(c, sense);
  }

  takeUnitAttention(connection: number): SenseSpec | undefined {
    return this.unitAttentions.get(connection)?.shift();
  }
}

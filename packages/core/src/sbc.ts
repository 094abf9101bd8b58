/**
 * SBC commands of a Device (capacity, read/write, verify, WRITE SAME, UNMAP, SYNCHRONIZE CACHE,
 * GET LBA STATUS, COMPARE AND WRITE) as plain functions over the funnel.
 *
 * read/write on warm caches (capacity, block limits, opcodes) run without an async function of
 * their own: `read` → `readChecked` → `Funnel.runFor` are synchronous, and only the funnel's small
 * `#send` awaits the transport. The paths that must query the device first are separate async
 * functions (`readAfterQueries`, `writeAfterQueries`).
 */
import {
  type BlockLimitsVpd,
  buildCompareAndWrite,
  buildGetLbaStatus,
  buildReadCapacity10,
  buildReadCapacity16,
  buildSynchronizeCache10,
  buildSynchronizeCache16,
  buildUnmap,
  buildUnmapData,
  buildVerify,
  buildWriteSame10,
  buildWriteSame16,
  type CdbSpec,
  type CompareAndWriteParams,
  decodeCachingPage,
  decodeGetLbaStatus,
  decodeReadCapacity10,
  decodeReadCapacity16,
  encodeRead10,
  encodeRead16,
  encodeWrite10,
  encodeWrite16,
  type GetLbaStatusData,
  type LogicalBlockProvisioningVpd,
  RwFlag,
  type UnmapRange,
} from '@scsikit/cdb';
import type { FixedBufferLease } from '@scsikit/transport';
import type { Capacity, IoLimits } from './caches.js';
import { CheckConditionError, InvalidArgumentError } from './errors.js';
import { type CommandOptions, commandOnly, type ExecuteOptions, type Funnel, readDecoded } from './funnel.js';
import {
  blockLimits,
  logicalBlockProvisioning,
  modeSense,
  supportedOperationCodes,
  supportedVpdPages,
  supportsCommand,
} from './spc.js';

export interface ReadCapacityOptions extends CommandOptions {
  /** Use READ CAPACITY(16) even when (10) would do (protection and thin provisioning details). */
  readonly use16?: boolean;
  /** Ignore the cache. @default false */
  readonly refresh?: boolean;
}

export interface ReadOptions extends CommandOptions {
  /** Destination (at least blocks × blockLength bytes); the result is a view of it. */
  readonly into?: Uint8Array;
  /**
   * Read into a registered buffer (`device.transport.pool.acquire`); the result is a view of its
   * memory. One command only: at most the device's maximum transfer.
   */
  readonly fixedBuffer?: FixedBufferLease;
  readonly fua?: boolean;
  readonly dpo?: boolean;
}

export interface WriteOptions extends CommandOptions {
  /**
   * Write from a registered buffer (`device.transport.pool.acquire`): `data` is copied into it
   * unless it already is the lease's memory. One command only: at most the maximum transfer.
   */
  readonly fixedBuffer?: FixedBufferLease;
  readonly fua?: boolean;
  readonly dpo?: boolean;
}

export interface WriteSameOptions extends CommandOptions {
  /** The one block replicated; absent with `ndob` (zeroes). @default a zeroed block */
  readonly data?: Uint8Array;
  /** Deallocate the blocks if the device can (thin provisioning). */
  readonly unmap?: boolean;
  /** No data-out buffer: the device writes zeroes (WRITE SAME(16) only). */
  readonly ndob?: boolean;
}

const MAX_READ16_BLOCKS = 0xffff_ffff;
const MAX_SAFE_LBA = BigInt(Number.MAX_SAFE_INTEGER) - 0x1_0000_0000n;
/** Below this, an LBA plus a block count is exact in number arithmetic. */
const MAX_SAFE_LBA_NUMBER = Number(MAX_SAFE_LBA);

// ---------------------------------------------------------------------------------------------
// Capacity and I/O sizing

export async function readCapacity(f: Funnel, options: ReadCapacityOptions = {}): Promise<Capacity> {
  const caches = f.caches;
  if (
    caches.capacity !== undefined &&
    options.refresh !== true &&
    (options.use16 !== true || caches.capacity.source === 16)
  ) {
    return caches.capacity;
  }
  let want16 =
    options.use16 === true ||
    caches.inquiry?.protect === true ||
    (caches.inquiry?.peripheralDeviceType ?? f.info?.type) === 0x14;
  if (!want16) {
    const r10 = decodeReadCapacity10((await f.run(buildReadCapacity10(), options)).data);
    if (!r10.needsReadCapacity16) {
      const cap: Capacity = {
        lastLba: r10.lastLba,
        blockLength: r10.blockLength,
        blocks: r10.lastLba + 1n,
        capacityBytes: r10.capacityBytes,
        source: 10,
      };
      caches.capacity = cap;
      return cap;
    }
    want16 = true;
  }
  const r = decodeReadCapacity16((await f.run(buildReadCapacity16({ allocationLength: 32 }), options)).data);
  const cap: Capacity = {
    lastLba: r.lastLba,
    blockLength: r.blockLength,
    blocks: r.lastLba + 1n,
    capacityBytes: r.capacityBytes,
    source: 16,
    physicalBlockLength: r.physicalBlockLength,
    protectionType: r.protectionType,
    lbpme: r.lbpme,
    lbprz: r.lbprz,
  };
  caches.capacity = cap;
  return cap;
}

/**
 * The I/O sizing when every cache it needs (capacity, block limits if VPD B0h exists, opcodes) is
 * warm (no await on the hot path), else undefined.
 */
function ioInfoWarm(f: Funnel): IoLimits | undefined {
  const caches = f.caches;
  const cap = caches.capacity;
  const limits = caches.blockLimits;
  if (cap === undefined || limits === undefined || caches.opcodes === undefined) return undefined;
  // Memoised on the caches it derives from: one object per cache refresh, not per command.
  const memo = caches.ioMemo;
  if (memo !== undefined && memo.cap === cap && memo.limits === limits) return memo.value;
  const value = ioLimits(f, cap.blockLength);
  caches.ioMemo = { cap, limits, value };
  return value;
}

function ioLimits(f: Funnel, blockLength: number): IoLimits {
  const byTransport = Math.floor(f.maxTransferBytes / blockLength);
  const byDevice = f.caches.blockLimits?.maximumTransferLength;
  const maxBlocks = Math.max(
    1,
    Math.min(
      byTransport,
      byDevice !== undefined && byDevice > 0 ? byDevice : MAX_READ16_BLOCKS,
      MAX_READ16_BLOCKS,
    ),
  );
  return { blockLength, maxBlocks };
}

async function ioInfo(f: Funnel, callerOptions?: CommandOptions): Promise<IoLimits> {
  const warm = ioInfoWarm(f);
  if (warm !== undefined) return warm;
  // The caller's `into`/`data` belong to its own command, never to these queries.
  const options = callerOptions === undefined ? undefined : commandOnly(callerOptions);
  const caches = f.caches;
  const cap = caches.capacity ?? (await readCapacity(f, options));
  if (caches.blockLimits === undefined) {
    try {
      const pages = await supportedVpdPages(f, options);
      caches.blockLimits = pages.includes(0xb0) ? await blockLimits(f, options) : null;
    } catch (e) {
      if (!(e instanceof CheckConditionError)) throw e;
      caches.blockLimits = null;
    }
  }
  if (caches.opcodes === undefined) {
    try {
      await supportedOperationCodes(f, options);
    } catch (e) {
      if (!(e instanceof CheckConditionError)) throw e;
      caches.opcodes = null;
    }
  }
  return ioLimits(f, cap.blockLength);
}

/**
 * Refuses a range past the cached capacity before anything is sent (scsi_debug mishandles LBAs
 * near 2^64; GET LBA STATUS there has crashed a guest kernel). `blocks` 0 still needs `lba` to
 * address a block (WRITE SAME: to the end of the medium). No cache, no check; `execute` never checks.
 */
function checkRange(f: Funnel, command: string, lba: bigint | number, blocks: number): void {
  const cap = f.caches.capacity;
  if (cap === undefined) return;
  // Number arithmetic is exact below 2^53; only LBAs beyond that pay for BigInt.
  const capBlocks = capBlocksOf(f, cap);
  if (typeof lba === 'number' && lba < MAX_SAFE_LBA_NUMBER && capBlocks !== undefined) {
    if (lba + Math.max(blocks, 1) <= capBlocks) return;
  } else if (BigInt(lba) + BigInt(Math.max(blocks, 1)) <= cap.blocks) return;
  const what = blocks === 0 ? `${command} at LBA ${lba}` : `${command} of ${blocks} block(s) at LBA ${lba}`;
  throw new InvalidArgumentError(
    'lba',
    `${what} is past the end of the device (capacity ${cap.blocks} blocks, last LBA ${cap.lastLba}); nothing was sent`,
    { command, reason: 'lba-out-of-range' },
  );
}

/** The capacity's block count as a number while number arithmetic is exact, else undefined. */
function capBlocksOf(f: Funnel, cap: Capacity): number | undefined {
  const caches = f.caches;
  if (caches.capBlocksOf !== cap) {
    caches.capBlocksOf = cap;
    caches.capBlocksNumber = cap.blocks < MAX_SAFE_LBA ? Number(cap.blocks) : undefined;
  }
  return caches.capBlocksNumber;
}

// ---------------------------------------------------------------------------------------------
// READ and WRITE

const RW_NAMES = {
  read: { 10: 'READ(10)', 16: 'READ(16)' },
  write: { 10: 'WRITE(10)', 16: 'WRITE(16)' },
} as const;

/**
 * A READ/WRITE (10) or (16) spec from values already checked (LBA within capacity, block count
 * within the transfer limit, the size `rwSize` chose), written by cdb's allocation-free encoders:
 * the public builders validate every field of a params object, which on the per-command path cost
 * more than the rest of `read` (a test holds these bytes equal to buildRead/buildWrite).
 * @param lba a number must be a safe integer (read/write pass numbers below 2^53: no BigInt on the
 * per-command path)
 */
export function rwSpec(
  kind: 'read' | 'write',
  size: 10 | 16,
  lba: bigint | number,
  blocks: number,
  blockLength: number,
  dpo: boolean,
  fua: boolean,
): CdbSpec {
  const cdb = new Uint8Array(size);
  const flags = (dpo ? RwFlag.DPO : 0) | (fua ? RwFlag.FUA : 0);
  if (kind === 'read') {
    if (size === 10) encodeRead10(cdb, 0, lba, blocks, flags);
    else encodeRead16(cdb, 0, lba, blocks, flags);
  } else if (size === 10) encodeWrite10(cdb, 0, lba, blocks, flags);
  else encodeWrite16(cdb, 0, lba, blocks, flags);
  return {
    cdb,
    direction: kind === 'read' ? 'in' : 'out',
    transferLength: blocks * blockLength,
    name: RW_NAMES[kind][size],
  };
}

/** One READ/WRITE command of the size `rwSize` picks. */
function ioSpec(
  f: Funnel,
  kind: 'read' | 'write',
  lba: bigint | number,
  blocks: number,
  blockLength: number,
  bits: DpoFua,
): CdbSpec {
  const size = rwSize(f, lba, blocks, kind === 'read');
  return rwSpec(kind, size, lba, blocks, blockLength, bits.dpo, bits.fua);
}

/** The smallest READ/WRITE CDB that carries `lba`/`blocks`, unless the device says it lacks it. */
function rwSize(f: Funnel, lba: bigint | number, blocks: number, read: boolean): 10 | 16 {
  // A bigint LBA here is at least 2^53 (ioLba): never READ(10).
  const fits10 = blocks <= 0xffff && typeof lba === 'number' && lba + blocks <= 0x1_0000_0000;
  if (!fits10) return 16;
  const has10 = supportsCommand(f, read ? 0x28 : 0x2a);
  const has16 = supportsCommand(f, read ? 0x88 : 0x8a);
  return has10 === false && has16 === true ? 16 : 10;
}

export function read(
  f: Funnel,
  lba: bigint | number,
  blocks: number,
  options: ReadOptions = {},
): Promise<Uint8Array> {
  const warm = ioInfoWarm(f);
  if (warm === undefined || wantsDpoFua(options)) return readAfterQueries(f, lba, blocks, options);
  // Warm caches, the common case: no async function of its own (see `Funnel.run`).
  try {
    const start = ioLba(lba);
    checkBlocks(blocks);
    checkRange(f, 'READ', start, blocks);
    return readChecked(f, start, blocks, warm, NO_DPO_FUA, options);
  } catch (e) {
    return Promise.reject(e);
  }
}

/** `read` when a cache is cold or DPO/FUA needs the caching mode page: the queries first. */
async function readAfterQueries(
  f: Funnel,
  lba: bigint | number,
  blocks: number,
  options: ReadOptions,
): Promise<Uint8Array> {
  const start = ioLba(lba);
  checkBlocks(blocks);
  const io = ioInfoWarm(f) ?? (await ioInfo(f, options));
  checkRange(f, 'READ', start, blocks);
  const bits = wantsDpoFua(options) ? await dpoFua(f, options) : NO_DPO_FUA;
  return readChecked(f, start, blocks, io, bits, options);
}

/** The READ command(s) of a checked range; throws synchronously on a bad buffer. */
function readChecked(
  f: Funnel,
  start: bigint | number,
  blocks: number,
  io: IoLimits,
  bits: DpoFua,
  options: ReadOptions,
): Promise<Uint8Array> {
  const { blockLength, maxBlocks } = io;
  const total = blocks * blockLength;
  const lease = options.fixedBuffer;
  if (lease !== undefined) {
    checkFixed(lease, blocks, maxBlocks, total, options.into !== undefined);
    const spec = ioSpec(f, 'read', start, blocks, blockLength, bits);
    return f.runFor(spec, withFixedBuffer(options, lease), lease.buffer.subarray(0, total));
  }
  const into = options.into ?? new Uint8Array(total);
  if (into.length < total) {
    throw new InvalidArgumentError('into', `Expected \`into\` to hold ${total} bytes, it has ${into.length}`);
  }
  if (blocks <= maxBlocks) {
    // One command: no job list, no settle-all round.
    const spec = ioSpec(f, 'read', start, blocks, blockLength, bits);
    const view = into.length === total ? into : into.subarray(0, total);
    return f.runFor(spec, withBuffer(options, 'into', view), view);
  }
  const jobs: Promise<unknown>[] = [];
  for (let done = 0; done < blocks; done += maxBlocks) {
    const n = Math.min(maxBlocks, blocks - done);
    const at = lbaPlus(start, done);
    const spec = ioSpec(f, 'read', at, n, blockLength, bits);
    jobs.push(
      f.run(spec, withBuffer(options, 'into', into.subarray(done * blockLength, (done + n) * blockLength))),
    );
  }
  return settleAll(jobs).then(() => into.subarray(0, total));
}

export function write(
  f: Funnel,
  lba: bigint | number,
  blocks: number,
  data: Uint8Array,
  options: WriteOptions = {},
): Promise<void> {
  const warm = ioInfoWarm(f);
  if (warm === undefined || wantsDpoFua(options)) return writeAfterQueries(f, lba, blocks, data, options);
  // Warm caches, like `read`: no async function of its own.
  try {
    const start = ioLba(lba);
    checkBlocks(blocks);
    f.guardWrite('WRITE');
    checkRange(f, 'WRITE', start, blocks);
    checkWriteData(data, blocks, warm.blockLength);
    return writeChecked(f, start, blocks, data, warm, NO_DPO_FUA, options);
  } catch (e) {
    return Promise.reject(e);
  }
}

/** `write` when a cache is cold or DPO/FUA needs the caching mode page; FUA may become a flush. */
async function writeAfterQueries(
  f: Funnel,
  lba: bigint | number,
  blocks: number,
  data: Uint8Array,
  options: WriteOptions,
): Promise<void> {
  const start = ioLba(lba);
  checkBlocks(blocks);
  f.guardWrite('WRITE');
  const io = ioInfoWarm(f) ?? (await ioInfo(f, options));
  checkRange(f, 'WRITE', start, blocks);
  checkWriteData(data, blocks, io.blockLength);
  const bits = wantsDpoFua(options) ? await dpoFua(f, options) : NO_DPO_FUA;
  await writeChecked(f, start, blocks, data, io, bits, options);
  if (bits.flushAfter) await synchronizeCache(f, { ...commandOnly(options), lba: start, blocks });
}

/** The WRITE command(s) of a checked range and buffer; throws synchronously on a bad lease. */
function writeChecked(
  f: Funnel,
  start: bigint | number,
  blocks: number,
  data: Uint8Array,
  io: IoLimits,
  bits: DpoFua,
  options: WriteOptions,
): Promise<void> {
  const { blockLength, maxBlocks } = io;
  const lease = options.fixedBuffer;
  if (lease !== undefined) {
    checkFixed(lease, blocks, maxBlocks, data.length, false);
    if (data.buffer !== lease.buffer.buffer || data.byteOffset !== lease.buffer.byteOffset) {
      lease.buffer.set(data);
    }
    const spec = ioSpec(f, 'write', start, blocks, blockLength, bits);
    return f.runFor(spec, withFixedBuffer(options, lease), undefined);
  }
  if (blocks <= maxBlocks) {
    const spec = ioSpec(f, 'write', start, blocks, blockLength, bits);
    return f.runFor(spec, withBuffer(options, 'data', data), undefined);
  }
  const jobs: Promise<unknown>[] = [];
  for (let done = 0; done < blocks; done += maxBlocks) {
    const n = Math.min(maxBlocks, blocks - done);
    const at = lbaPlus(start, done);
    const spec = ioSpec(f, 'write', at, n, blockLength, bits);
    jobs.push(
      f.run(spec, withBuffer(options, 'data', data.subarray(done * blockLength, (done + n) * blockLength))),
    );
  }
  return settleAll(jobs);
}

/**
 * The DPO/FUA bits to send. A device that clears DPOFUA in the mode parameter header may reject
 * them (LIO: 05/24/00), so, as the sd driver does, DPO (a hint) is dropped and a write's FUA
 * becomes a SYNCHRONIZE CACHE of the range when the write cache is on (when it is off, every
 * write is already durable). Read FUA has no substitute and is dropped.
 */
async function dpoFua(f: Funnel, options: ReadOptions | WriteOptions): Promise<DpoFua> {
  if (!wantsDpoFua(options)) return NO_DPO_FUA;
  const wantDpo = options.dpo === true;
  const wantFua = options.fua === true;
  const caches = f.caches;
  if (caches.cacheMode === undefined) {
    try {
      const ms = await modeSense(f, 0x08, commandOnly(options));
      const page = ms.pages.find((p) => p.pageCode === 0x08);
      caches.cacheMode = {
        dpofua: ms.header.dpofua,
        wce: page === undefined ? true : decodeCachingPage(page.raw).wce,
      };
    } catch (e) {
      if (!(e instanceof CheckConditionError)) throw e;
      // No caching page to ask: send the bits as the caller asked.
      caches.cacheMode = null;
    }
  }
  const mode = caches.cacheMode;
  if (mode === null || mode.dpofua) return { dpo: wantDpo, fua: wantFua, flushAfter: false };
  return { dpo: false, fua: false, flushAfter: wantFua && mode.wce };
}

/** A fixed buffer carries exactly one command: it must hold the transfer, and the transfer must fit. */
function checkFixed(
  lease: FixedBufferLease,
  blocks: number,
  maxBlocks: number,
  bytes: number,
  withInto: boolean,
): void {
  if (withInto) {
    throw new InvalidArgumentError('fixedBuffer', '`fixedBuffer` replaces `into`: pass one');
  }
  if (blocks > maxBlocks) {
    throw new InvalidArgumentError(
      'blocks',
      `a fixed buffer carries one command: at most ${maxBlocks} blocks on this device, got ${blocks}`,
    );
  }
  if (!(lease?.buffer instanceof Uint8Array) || lease.buffer.length < bytes) {
    throw new InvalidArgumentError(
      'fixedBuffer',
      `Expected the fixed buffer to hold ${bytes} bytes, it has ${String(lease?.buffer?.length)}`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// VERIFY, WRITE SAME, UNMAP, SYNCHRONIZE CACHE, GET LBA STATUS, COMPARE AND WRITE

export async function verify(
  f: Funnel,
  lba: bigint | number,
  blocks: number,
  options: CommandOptions & { readonly data?: Uint8Array } = {},
): Promise<void> {
  const start = checkLba(lba);
  checkBlocks(blocks, 0);
  const { blockLength } = await ioInfo(f, options);
  checkRange(f, 'VERIFY', start, blocks);
  const fits10 = start + BigInt(blocks) <= 0x1_0000_0000n && blocks <= 0xffff;
  const spec = buildVerify(
    { lba: start, blocks, blockLength, ...(options.data === undefined ? {} : { bytchk: 1 }) },
    { size: fits10 ? 10 : 16 },
  );
  await f.run(spec, options.data === undefined ? options : { ...options, data: options.data });
}

export async function writeSame(
  f: Funnel,
  lba: bigint | number,
  blocks: number,
  options: WriteSameOptions = {},
): Promise<void> {
  const start = checkLba(lba);
  checkBlocks(blocks, 0);
  f.guardWrite('WRITE SAME');
  const { blockLength } = await ioInfo(f, options);
  checkRange(f, 'WRITE SAME', start, blocks);
  // WRITE SAME(10) may carry UNMAP only where the provisioning VPD sets LBPWS10 (scsi_debug
  // answers 05/24/00 otherwise).
  const lbp = options.unmap === true ? await provisioning(f, options) : null;
  const use16 =
    options.ndob === true ||
    start + BigInt(blocks) > 0x1_0000_0000n ||
    blocks > 0xffff ||
    (options.unmap === true && (supportsCommand(f, 0x41) === false || lbp?.lbpws10 !== true));
  const params = {
    lba: start,
    blocks,
    blockLength,
    ...(options.unmap === true ? { unmap: true } : {}),
    ...(options.ndob === true ? { ndob: true } : {}),
  };
  const spec = use16 ? buildWriteSame16(params) : buildWriteSame10(params);
  if (options.ndob === true) {
    await f.run(spec, options);
    return;
  }
  if (options.data !== undefined && options.data.length !== blockLength) {
    throw new InvalidArgumentError(
      'data',
      `Expected \`data\` to be one block (${blockLength} bytes), got ${options.data.length}`,
    );
  }
  // The block goes in transport memory when it offers some: LIO refuses a WRITE SAME block that
  // straddles two pages (05/24/00), which an ordinary Uint8Array may do.
  const data = f.transport.allocateBuffer?.(blockLength) ?? new Uint8Array(blockLength);
  if (options.data !== undefined) data.set(options.data);
  await f.run(spec, { ...options, data });
}

/** The provisioning VPD (B2h) when the device has it, else null. */
async function provisioning(f: Funnel, options: CommandOptions): Promise<LogicalBlockProvisioningVpd | null> {
  await ioInfo(f, options);
  if (f.caches.vpdPages?.includes(0xb2) !== true) return null;
  try {
    return await logicalBlockProvisioning(f, commandOnly(options));
  } catch (e) {
    if (!(e instanceof CheckConditionError)) throw e;
    return null;
  }
}

export async function unmap(
  f: Funnel,
  ranges: UnmapRange | readonly UnmapRange[],
  options: CommandOptions = {},
): Promise<void> {
  const list = (Array.isArray(ranges) ? ranges : [ranges]) as readonly UnmapRange[];
  f.guardWrite('UNMAP');
  await ioInfo(f, options);
  const lbp = await provisioning(f, options);
  const unmapOk = supportsCommand(f, 0x42) ?? lbp?.lbpu ?? true;
  const wsOk = supportsCommand(f, 0x93) ?? lbp?.lbpws ?? false;
  const limits: BlockLimitsVpd | null | undefined = f.caches.blockLimits;
  const maxLbas =
    limits?.maximumUnmapLbaCount !== undefined && limits.maximumUnmapLbaCount > 0
      ? Math.min(limits.maximumUnmapLbaCount, 0xffff_ffff)
      : 0xffff_ffff;
  const pieces: UnmapRange[] = [];
  for (const r of list) {
    let lba = checkLba(r.lba);
    let left = r.blocks;
    checkBlocks(left, 0);
    checkRange(f, 'UNMAP', lba, left);
    while (left > 0) {
      const n = Math.min(left, maxLbas);
      pieces.push({ lba, blocks: n });
      lba += BigInt(n);
      left -= n;
    }
  }
  if (!unmapOk && wsOk) {
    for (const p of pieces) await writeSame(f, p.lba, p.blocks, { ...options, unmap: true });
    return;
  }
  const maxDescriptors =
    limits?.maximumUnmapBlockDescriptorCount !== undefined && limits.maximumUnmapBlockDescriptorCount > 0
      ? Math.min(limits.maximumUnmapBlockDescriptorCount, 4094)
      : 4094;
  for (let i = 0; i < pieces.length; i += maxDescriptors) {
    const data = buildUnmapData(pieces.slice(i, i + maxDescriptors));
    await f.run(buildUnmap({ parameterListLength: data.length }), { ...options, data });
  }
}

/** SYNCHRONIZE CACHE's range (0 blocks: to the end of the medium) and IMMED. */
export interface SynchronizeCacheOptions extends CommandOptions {
  readonly lba?: bigint | number;
  readonly blocks?: number;
  readonly immed?: boolean;
}

export async function synchronizeCache(f: Funnel, options: SynchronizeCacheOptions = {}): Promise<void> {
  const lba = checkLba(options.lba ?? 0);
  const blocks = options.blocks ?? 0;
  const params = { lba, blocks, ...(options.immed === true ? { immed: true } : {}) };
  const spec =
    lba >= 0x1_0000_0000n || blocks > 0xffff
      ? buildSynchronizeCache16(params)
      : buildSynchronizeCache10(params);
  await f.run(spec, options);
}

export async function getLbaStatus(
  f: Funnel,
  lba: bigint | number,
  options: CommandOptions = {},
): Promise<GetLbaStatusData> {
  const startingLba = checkLba(lba);
  checkRange(f, 'GET LBA STATUS', startingLba, 0);
  return readDecoded(
    f,
    (allocationLength) => buildGetLbaStatus({ startingLba, allocationLength }),
    decodeGetLbaStatus as (b: Uint8Array) => GetLbaStatusData & { truncated?: boolean },
    4096,
    0xffff_fff0,
    options,
  );
}

export async function compareAndWrite(
  f: Funnel,
  lba: bigint | number,
  blocks: number,
  compare: Uint8Array,
  write: Uint8Array,
  options: CommandOptions & Pick<CompareAndWriteParams, 'fua' | 'dpo'> = {},
): Promise<void> {
  const start = checkLba(lba);
  checkBlocks(blocks);
  f.guardWrite('COMPARE AND WRITE');
  const { blockLength } = await ioInfo(f, options);
  checkRange(f, 'COMPARE AND WRITE', start, blocks);
  const bytes = blocks * blockLength;
  if (compare.length !== bytes || write.length !== bytes) {
    throw new InvalidArgumentError(
      compare.length !== bytes ? 'compare' : 'write',
      `Expected \`compare\` and \`write\` to be ${bytes} bytes each, got ${compare.length} and ${write.length}`,
    );
  }
  // Transport memory when it offers some: LIO answers GOOD to a COMPARE AND WRITE whose buffer
  // straddles two pages but writes the wrong bytes (seen in the lab, Linux 7.3.4).
  const data = f.transport.allocateBuffer?.(2 * bytes) ?? new Uint8Array(2 * bytes);
  data.set(compare, 0);
  data.set(write, bytes);
  const spec = buildCompareAndWrite({
    lba: start,
    blocks,
    blockLength,
    ...(options.fua === true ? { fua: true } : {}),
    ...(options.dpo === true ? { dpo: true } : {}),
  });
  await f.run(spec, { ...options, data });
}

// ---------------------------------------------------------------------------------------------
// Argument checks and per-command option objects

/**
 * read/write's LBA: a number below 2^53 (no BigInt on the per-command path), a bigint above;
 * anything else is refused as checkLba refuses it.
 */
function ioLba(lba: bigint | number): bigint | number {
  if (typeof lba === 'number' && Number.isSafeInteger(lba) && lba >= 0) return lba;
  const big = checkLba(lba);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/** `lba + n`, as a number while exact. */
function lbaPlus(lba: bigint | number, n: number): bigint | number {
  if (typeof lba === 'number' && lba + n <= Number.MAX_SAFE_INTEGER) return lba + n;
  return BigInt(lba) + BigInt(n);
}

function checkLba(lba: bigint | number): bigint {
  if (typeof lba === 'bigint' && lba >= 0n && lba < 1n << 64n) return lba;
  if (typeof lba === 'number' && Number.isSafeInteger(lba) && lba >= 0) return BigInt(lba);
  throw new InvalidArgumentError(
    'lba',
    `Expected \`lba\` to be a non-negative integer below 2^64 (number or bigint), got \`${String(lba)}\` (${typeof lba})`,
  );
}

function checkBlocks(blocks: number, min = 1): void {
  if (!Number.isSafeInteger(blocks) || blocks < min) {
    throw new InvalidArgumentError(
      'blocks',
      `Expected \`blocks\` to be an integer ≥ ${min}, got \`${String(blocks)}\` (${typeof blocks})`,
    );
  }
}

function checkWriteData(data: Uint8Array, blocks: number, blockLength: number): void {
  if (!(data instanceof Uint8Array) || data.length !== blocks * blockLength) {
    throw new InvalidArgumentError(
      'data',
      `Expected \`data\` to be ${blocks * blockLength} bytes (${blocks} × ${blockLength}), got ${data instanceof Uint8Array ? data.length : typeof data}`,
    );
  }
}

/** The DPO/FUA bits of a READ/WRITE, and whether a SYNCHRONIZE CACHE stands in for FUA. */
interface DpoFua {
  readonly dpo: boolean;
  readonly fua: boolean;
  readonly flushAfter: boolean;
}

const NO_DPO_FUA: DpoFua = { dpo: false, fua: false, flushAfter: false };

function wantsDpoFua(options: ReadOptions | WriteOptions): boolean {
  return options.dpo === true || options.fua === true;
}

/** The command options of one chunk: the caller's per-call options and that chunk's buffer. */
function withBuffer(options: CommandOptions, key: 'into' | 'data', buffer: Uint8Array): ExecuteOptions {
  return {
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    retry: options.retry,
    priority: options.priority,
    [key]: buffer,
  } as ExecuteOptions;
}

/** The command options of a fixed-buffer command: one object shape, no spreads. */
function withFixedBuffer(options: CommandOptions, fixedBuffer: FixedBufferLease): ExecuteOptions {
  return {
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    retry: options.retry,
    priority: options.priority,
    fixedBuffer,
  } as ExecuteOptions;
}

/** Waits for every job; rejects with the first failure once all have settled (no stray rejections). */
async function settleAll(jobs: readonly Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(jobs);
  for (const r of results) if (r.status === 'rejected') throw r.reason;
}

/**
 * The scsikit side, through the public API only: `openDevice` and the Device methods, the Transport
 * contract (`device.transport`, its `pool` of registered buffers) where Device has no way to say it,
 * and `NopQueue` for the host NOP path.
 */
import { buildInquiry, type CdbSpec } from '@scsikit/cdb';
import { type Device, openDevice } from '@scsikit/core';
import type { FixedBufferLease, Transport } from '@scsikit/transport';
import { type NopQueue, SgioTransport } from '@scsikit/transport-uring';
import { type RssSample, SampleRecorder } from './stats.js';

export interface RunStats {
  readonly count: number;
  readonly elapsedNs: number;
  readonly lat: ReturnType<SampleRecorder['summary']>;
}

export interface DriveOptions {
  readonly seconds: number;
  /** Stop after this many commands too (0: time only). */
  readonly maxCount?: number;
  /** Called every `rssEvery` commands with the count so far (memory checks). */
  readonly rssEvery?: number;
  readonly onRss?: (s: RssSample) => void;
  readonly onProgress?: (count: number) => void;
}

/**
 * RSS for the memory checks, after a full collection when the process runs with --expose-gc (as the
 * lab part does, like the soak): garbage not yet collected is not growth.
 */
function rssSample(at: number): RssSample {
  (globalThis as { gc?: () => void }).gc?.();
  return { at, rssBytes: process.memoryUsage.rss() };
}

/**
 * Keeps `qd` commands in flight: `qd` loops, each awaiting its own command before issuing the next,
 * the way an application using promises does. Latency is what the caller sees, call to settle.
 */
export async function driveQueue(
  qd: number,
  o: DriveOptions,
  issue: (worker: number) => Promise<unknown>,
): Promise<RunStats> {
  const rec = new SampleRecorder();
  const start = performance.now();
  const end = start + o.seconds * 1000;
  const max = o.maxCount ?? 0;
  const rssEvery = o.rssEvery ?? 0;
  let issued = 0;
  let done = 0;
  const worker = async (w: number) => {
    for (;;) {
      const t0 = performance.now();
      if (t0 >= end || (max > 0 && issued >= max)) return;
      issued++;
      await issue(w);
      rec.add((performance.now() - t0) * 1e6);
      done++;
      if (rssEvery > 0 && done % rssEvery === 0) {
        o.onRss?.(rssSample(done));
        o.onProgress?.(done);
      }
    }
  };
  await Promise.all(Array.from({ length: qd }, (_, w) => worker(w)));
  return { count: done, elapsedNs: (performance.now() - start) * 1e6, lat: rec.summary() };
}

/**
 * Batches: `batch` commands issued in one turn of the event loop (the io_uring transport sends them
 * with one io_uring_enter), then all awaited. One sample per batch, its time divided by its size.
 */
export async function driveBatches(
  batch: number,
  o: DriveOptions,
  issue: () => Promise<unknown>,
  /** `issue` sends the whole batch itself (Device.executeBatch), once per batch. */
  whole = false,
): Promise<RunStats> {
  const rec = new SampleRecorder();
  const pending: Promise<unknown>[] = new Array(batch);
  const start = performance.now();
  const end = start + o.seconds * 1000;
  const max = o.maxCount ?? 0;
  const rssEvery = o.rssEvery ?? 0;
  let done = 0;
  let t = start;
  while (t < end && (max === 0 || done < max)) {
    const t0 = performance.now();
    if (whole) await issue();
    else {
      for (let i = 0; i < batch; i++) pending[i] = issue();
      await Promise.all(pending);
    }
    t = performance.now();
    rec.add(((t - t0) * 1e6) / batch);
    const before = done;
    done += batch;
    if (rssEvery > 0 && Math.floor(done / rssEvery) !== Math.floor(before / rssEvery)) {
      o.onRss?.(rssSample(done));
      o.onProgress?.(done);
    }
  }
  return { count: done, elapsedNs: (t - start) * 1e6, lat: rec.summary() };
}

// ---------------------------------------------------------------------------------------------
// Devices.

export interface DeviceNodes {
  readonly bsg: string;
  readonly sg: string;
}

/** The ways scsikit opens the one disk; each opened on first use and kept for every round. */
export class ScsikitSides {
  readonly #nodes: DeviceNodes;
  readonly #fixedBuffers: { readonly count: number; readonly size: number };
  readonly #open = new Map<string, Promise<Device>>();
  readonly #ownTransports: Transport[] = [];

  constructor(nodes: DeviceNodes, fixedBuffers: { readonly count: number; readonly size: number }) {
    this.#nodes = nodes;
    this.#fixedBuffers = fixedBuffers;
  }

  #get(key: string, open: () => Promise<Device>): Promise<Device> {
    let p = this.#open.get(key);
    if (p === undefined) {
      p = open();
      this.#open.set(key, p);
    }
    return p;
  }

  /** io_uring BSG passthrough, as `openDevice` gives it (no fallback: the run must measure io_uring). */
  uring(): Promise<Device> {
    return this.#get('uring', () => openDevice(this.#nodes.bsg, { transport: 'uring' }));
  }

  /** io_uring with registered buffers (`fixedBuffers`); commands carry leases from `transport.pool`. */
  fixed(): Promise<Device> {
    return this.#get('fixed', () =>
      openDevice(this.#nodes.bsg, { transport: 'uring', fixedBuffers: this.#fixedBuffers }),
    );
  }

  /** The SG_IO fallback as `openDevice` picks it: v3 on /dev/sgN. */
  sgv3(): Promise<Device> {
    return this.#get('sgv3', () => openDevice(this.#nodes.sg, { transport: 'sgio' }));
  }

  /** SG_IO v4 on the bsg node: `openDevice` never picks it, so the transport is opened by hand. */
  sgv4(): Promise<Device> {
    return this.#get('sgv4', async () => {
      const t = await SgioTransport.open(this.#nodes.bsg);
      this.#ownTransports.push(t);
      return openDevice(t);
    });
  }

  /** Closes whatever opened; one that failed to open (its cells already reported it) is skipped. */
  async close(): Promise<void> {
    const devices = await Promise.allSettled(this.#open.values());
    for (const d of devices) if (d.status === 'fulfilled') await d.value.close();
    for (const t of this.#ownTransports) await t.close();
    this.#open.clear();
  }
}

export const INQUIRY_BYTES = 96;
const INQUIRY: CdbSpec = buildInquiry({ allocationLength: INQUIRY_BYTES });

/** INQUIRY through `Device.execute` (the funnel every typed method uses), no decoding. */
export function inquiryRun(dev: Device, batch: number, o: DriveOptions): Promise<RunStats> {
  const one = () => dev.execute(INQUIRY);
  return batch > 1 ? driveBatches(batch, o, one) : driveQueue(1, o, one);
}

/** INQUIRY in batches through `Device.executeBatch`: all `batch` checked, then sent in one crossing. */
export function inquiryBatchApiRun(dev: Device, batch: number, o: DriveOptions): Promise<RunStats> {
  const specs = Array.from({ length: batch }, () => INQUIRY);
  return driveBatches(
    batch,
    o,
    async () => {
      for (const r of await dev.executeBatch(specs)) if (!r.ok) throw r.error;
    },
    true,
  );
}

export interface ReadPattern {
  readonly bs: number;
  readonly blockLength: number;
  readonly lbaCount: number;
  readonly sequential: boolean;
}

/** Random (aligned to the transfer) or sequential LBAs, shared by all workers of a run. */
export function lbaSource(p: ReadPattern): () => number {
  const blocks = p.bs / p.blockLength;
  const units = Math.floor(p.lbaCount / blocks);
  if (!Number.isInteger(blocks) || units < 1) throw new RangeError('the transfer does not fit the device');
  let next = 0;
  return p.sequential
    ? () => {
        const lba = next * blocks;
        next = (next + 1) % units;
        return lba;
      }
    : () => Math.floor(Math.random() * units) * blocks;
}

/** Reads through `Device.read` into one reused buffer per worker (no allocation per command). */
export function readRun(dev: Device, qd: number, p: ReadPattern, o: DriveOptions): Promise<RunStats> {
  const blocks = p.bs / p.blockLength;
  const next = lbaSource(p);
  const bufs = Array.from({ length: qd }, () => new Uint8Array(p.bs));
  return driveQueue(qd, o, (w) => dev.read(next(), blocks, { into: bufs[w] as Uint8Array }));
}

/** Reads through `Device.read` with registered buffers: one lease from `transport.pool` per worker. */
export async function fixedReadRun(
  dev: Device,
  qd: number,
  p: ReadPattern,
  o: DriveOptions,
): Promise<RunStats> {
  const pool = dev.transport.pool;
  if (pool === undefined) throw new Error('the device was opened without fixed buffers');
  const blocks = p.bs / p.blockLength;
  const next = lbaSource(p);
  const leases: FixedBufferLease[] = [];
  try {
    for (let i = 0; i < qd; i++) leases.push(await pool.acquire(p.bs));
    return await driveQueue(qd, o, (w) =>
      dev.read(next(), blocks, { fixedBuffer: leases[w] as FixedBufferLease }),
    );
  } finally {
    for (const l of leases) l.release();
  }
}

/** NOPs through `NopQueue.nop()`: the JS API, the slots and the completion path, no device. */
export function nopRun(q: NopQueue, batch: number, o: DriveOptions): Promise<RunStats> {
  const one = () => q.nop();
  return batch > 1 ? driveBatches(batch, o, one) : driveQueue(1, o, one);
}

/** NOPs through `NopQueue.nops(batch)`: one call and one promise per batch. */
export function nopBatchRun(q: NopQueue, batch: number, o: DriveOptions): Promise<RunStats> {
  return driveBatches(batch, o, () => q.nops(batch), true);
}

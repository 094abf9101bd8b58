import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shape of the compiled addon (native/addon.cc). Hand-written: nothing crosses as `any`. */
export interface NativeRing {
  /** Submits `count` NOPs, `batch` per io_uring_enter, and reaps them all. */
  nops(count: number, batch: number): { completed: number; failed: number; nsec: number };
  /** One IORING_OP_URING_CMD on a /dev/bsg fd, waited for (the caller's buffers stay alive meanwhile). */
  uringCmd(
    fd: number,
    cdb: Uint8Array,
    direction: 0 | 1 | 2,
    data: Uint8Array | null,
    sense: Uint8Array,
    timeoutMs: number,
  ): { res: number; info: bigint; nsec: number };
  close(): void;
  readonly flags: number;
  readonly sqEntries: number;
  readonly isOpen: boolean;
}

/**
 * The asynchronous engine (native/queue.cc): one per JS thread. JS writes CDBs into `cdbArea`
 * (32 bytes per slot) and submissions into `stageArea` (STAGE_WORDS int32 per command, the data
 * buffer at its slot of `dataRefs`); the kernel writes sense into `senseArea` (256 bytes per slot),
 * and each wake-up writes completion records into `completionArea` and calls `onComplete(count)`
 * once per batch.
 */
export interface NativeQueue {
  /**
   * Writes `staged` records of the stage area as SQEs (all checked first: a bad one throws with
   * nothing written), then io_uring_enter for everything in the SQ: SQEs sent, or -errno. With
   * `reap`, also drains the CQ into the completion area: sent + reaped × 2^REAPED_SHIFT.
   */
  flush(reap?: boolean, staged?: number): number;
  /** Page-aligned buffers registered with io_uring_register_buffers (once per queue). */
  registerBuffers(count: number, size: number): ArrayBuffer[];
  /** Waits up to `waitMs` for in-flight commands, then tears down; returns those still in the kernel. */
  close(waitMs: number): number;
  readonly inflight: number;
  readonly flags: number;
  readonly entries: number;
  readonly isOpen: boolean;
}

export interface NativeAddon {
  Ring: new (entries: number) => NativeRing;
  Queue: new (
    entries: number,
    cdbArea: Uint8Array,
    senseArea: Uint8Array,
    completionArea: Uint8Array,
    onComplete: (count: number) => void,
    stageArea: Int32Array,
    dataRefs: Array<Uint8Array | null>,
  ) => NativeQueue;
  /** Zeroed, page-aligned native memory (freed when the ArrayBuffer is collected). */
  allocateAligned(size: number): ArrayBuffer;
  CDB_STRIDE: number;
  SENSE_STRIDE: number;
  /** uint32 words per completion record: slot, res, info lo/hi, latency ns lo/hi. */
  RECORD_WORDS: number;
  /** int32 words per stage-area record: slot, op (0 NOP, 1 URING_CMD), fd, cdbLen, direction, dataLen, senseLen, timeoutMs, bufIndex. */
  STAGE_WORDS: number;
  REAPED_SHIFT: number;
  SQE_SIZE: number;
  CQE_SIZE: number;
  SETUP_SQE128: number;
  SETUP_CQE32: number;
  SETUP_SINGLE_ISSUER: number;
  SETUP_COOP_TASKRUN: number;
}

let cached: NativeAddon | undefined;

/**
 * Loads the addon: `SCSIKIT_NATIVE_PATH` (an explicit .node file, e.g. a sanitizer build) first,
 * then the package's own build via node-gyp-build. Loaded at run time, never bundled.
 */
export function loadNative(): NativeAddon {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const override = process.env.SCSIKIT_NATIVE_PATH;
  if (override !== undefined && override !== '') {
    cached = require(override) as NativeAddon;
    return cached;
  }
  const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
  const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
  try {
    cached = nodeGypBuild(join(packageRoot, 'native')) as NativeAddon;
  } catch (e) {
    throw new Error(
      `@scsikit/transport-uring: the native addon is not built (${(e as Error).message.split('\n')[0]}). ` +
        'Build it with `pnpm --filter @scsikit/transport-uring build:native` (needs liburing-dev, make, g++).',
    );
  }
  return cached;
}

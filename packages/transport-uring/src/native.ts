import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NativeUnavailableError } from '@scsikit/transport';

/**
 * The addon's interface (native/addon.cc), hand-written so nothing crosses as `any`.
 * @internal Not part of the public API: users reach the addon through the transports.
 */
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
  /**
   * The bench's synchronous floor: the same command sent and waited for with one io_uring_enter,
   * nothing allocated. Returns -errno, or big_cqe[0]'s low 32 bits (status | driver << 8 | host << 16).
   */
  cmdWait(
    fd: number,
    cdb: Uint8Array,
    direction: 0 | 1 | 2,
    data: Uint8Array | null,
    sense: Uint8Array,
    timeoutMs: number,
  ): number;
  close(): void;
  readonly flags: number;
  readonly sqEntries: number;
  readonly isOpen: boolean;
}

/**
 * @internal The asynchronous engine (native/queue.cc): one per JS thread. JS writes CDBs into
 * `cdbArea` (32 bytes per slot) and submissions into `stageArea` (STAGE_WORDS int32 per command at
 * the offsets of STAGE_FIELDS, the data buffer at its slot of `dataRefs`); the kernel writes sense
 * into `senseArea` (256 bytes per slot), and each wake-up writes completion records into
 * `completionArea` and calls `onComplete(count)` once per batch.
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

/**
 * @internal Word offsets within one stage record, named once in native/queue.h (`StageField`).
 * `viaWorker` shares a NOP's word with a command's `fd`; `opNop`/`opCmd` are the values of `op`.
 */
export interface StageFields {
  readonly slot: number;
  readonly op: number;
  readonly fd: number;
  readonly viaWorker: number;
  readonly cdbLength: number;
  readonly direction: number;
  readonly dataLength: number;
  readonly senseLength: number;
  readonly timeoutMs: number;
  readonly bufIndex: number;
  readonly opNop: number;
  readonly opCmd: number;
}

/** @internal */
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
  /** int32 words per stage-area record; the offsets within one are STAGE_FIELDS. */
  STAGE_WORDS: number;
  STAGE_FIELDS: StageFields;
  REAPED_SHIFT: number;
  SQE_SIZE: number;
  CQE_SIZE: number;
  SETUP_SQE128: number;
  SETUP_CQE32: number;
  SETUP_SINGLE_ISSUER: number;
  SETUP_COOP_TASKRUN: number;
}

// The SG_IO binding (native/sgio.h).

/** What `sgioExecute` hands its callback when the ioctl succeeded (whatever the device answered). */
export interface SgioNativeResult {
  /** SAM status byte (v3 `status`, v4 `device_status`). */
  readonly status: number;
  /** DID_* (v3 `host_status`, v4 `transport_status`). */
  readonly hostStatus: number;
  readonly driverStatus: number;
  /** Sense bytes copied into the caller's `sense` array. */
  readonly senseLength: number;
  /** v3 `resid`, v4 `din_resid` / `dout_resid`; may be out of range on a misbehaving device. */
  readonly residual: number;
  /** The kernel's own `duration` field, in milliseconds. */
  readonly durationMs: number;
  /** The ioctl's wall time on the threadpool thread (monotonic clock). */
  readonly nsec: number;
}

/** The error `sgioExecute` hands its callback when the ioctl itself failed. */
export interface SgioNativeError extends Error {
  /** Negative errno (-25). */
  readonly errno: number;
  /** libuv's name ('ENOTTY'). */
  readonly code: string;
  readonly syscall: 'ioctl(SG_IO)';
}

export type SgioCallback = (err: SgioNativeError | null, result: SgioNativeResult | undefined) => void;

export interface SgioBinding {
  /**
   * Runs one ioctl(SG_IO) on the threadpool. `data` and `sense` stay referenced until `callback`
   * runs; the CDB is copied. Throws synchronously (TypeError/RangeError) on bad arguments only.
   */
  sgioExecute(
    fd: number,
    version: 3 | 4,
    cdb: Uint8Array,
    direction: 0 | 1 | 2,
    data: Uint8Array | null,
    sense: Uint8Array,
    timeoutMs: number,
    callback: SgioCallback,
  ): void;
}

/** @internal The addon's `sgioExecute`; throws when the addon was built without native/sgio.cc. */
export function loadSgioBinding(): SgioBinding {
  const addon = loadNative() as NativeAddon & Partial<SgioBinding>;
  if (typeof addon.sgioExecute !== 'function') {
    throw new NativeUnavailableError(
      nativePlatform(),
      [],
      '@scsikit/transport-uring: the loaded native addon has no sgioExecute (built without native/sgio.cc); ' +
        'rebuild it from this package: `npm rebuild @scsikit/transport-uring`',
    );
  }
  return addon as NativeAddon & SgioBinding;
}

let cached: NativeAddon | undefined;

/** The libc the running Node was linked against: prebuilds are tagged with it. */
function libc(): 'glibc' | 'musl' {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)
    ?.header;
  return header?.glibcVersionRuntime === undefined ? 'musl' : 'glibc';
}

/** @internal `linux-x64-glibc` and the like: what a prebuild must match. */
export function nativePlatform(): string {
  return `${process.platform}-${process.arch}-${libc()}`;
}

/**
 * @internal What a source build of the addon needs that this machine lacks, as Debian/Ubuntu
 * package names (shared with the install step: scripts/build-tools.cjs).
 */
export function missingBuildTools(): string[] {
  const tools = createRequire(import.meta.url)('../scripts/build-tools.cjs') as {
    missingBuildTools(): string[];
  };
  return tools.missingBuildTools();
}

/**
 * @internal Loads the addon: `SCSIKIT_NATIVE_PATH` (an explicit .node file, e.g. a sanitizer build)
 * first, then node-gyp-build's search: a source build in native/build, else the prebuild for this
 * platform in native/prebuilds. Loaded at run time, never bundled; pure-TS packages never get here.
 * @throws NativeUnavailableError when neither loads, naming what a source build lacks.
 */
export function loadNative(): NativeAddon {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  const override = process.env.SCSIKIT_NATIVE_PATH;
  if (override !== undefined && override !== '') {
    try {
      cached = require(override) as NativeAddon;
    } catch (e) {
      throw new NativeUnavailableError(
        nativePlatform(),
        [],
        `@scsikit/transport-uring: SCSIKIT_NATIVE_PATH=${override} does not load: ${firstLine(e)}`,
        e,
      );
    }
    return cached;
  }
  const native = join(dirname(fileURLToPath(import.meta.url)), '..', 'native');
  const nodeGypBuild = require('node-gyp-build') as (dir: string) => unknown;
  try {
    cached = nodeGypBuild(native) as NativeAddon;
  } catch (e) {
    throw unavailable(e);
  }
  return cached;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}

function unavailable(cause: unknown): NativeUnavailableError {
  const platform = nativePlatform();
  const missing = missingBuildTools();
  const build =
    missing.length === 0
      ? 'build it from source with `npm rebuild @scsikit/transport-uring` (the toolchain is present)'
      : `to build it from source, install ${missing.join(', ')} ` +
        `(Debian/Ubuntu: apt-get install ${missing.join(' ')}), then \`npm rebuild @scsikit/transport-uring\``;
  return new NativeUnavailableError(
    platform,
    missing,
    `@scsikit/transport-uring: no native addon loads on ${platform} (${firstLine(cause)}). ` +
      `Prebuilt binaries ship for linux-x64-glibc (glibc ≥ 2.17); ${build}. ` +
      'Pure-TypeScript packages (@scsikit/cdb, @scsikit/emulated-disk) work without it.',
    cause,
  );
}

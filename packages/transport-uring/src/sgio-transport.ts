/**
 * The SG_IO fallback: the transport contract over `ioctl(SG_IO)` for kernels without the io_uring
 * BSG passthrough (< 7.1). Each command is one blocking ioctl on a libuv threadpool thread
 * (native/sgio.cc): v3 `sg_io_hdr_t` on /dev/sgN, v4 `struct sg_io_v4` on /dev/bsg/H:C:T:L.
 *
 * What differs from io_uring, and why the code below looks the way it does:
 * - A command occupies a threadpool thread until the kernel completes it, so in-flight commands are
 *   capped by the threadpool size as well as by the device (the rest wait here, by priority).
 * - The ioctl cannot be cancelled either: the watchdog, an abort or close() settle the promise, the
 *   thread stays blocked until the kernel's own timeout, and the fd stays open until it returns.
 * - v4 (bsg) raises any timeout below 7 s to 7 s (LAB.md); the watchdog still fires at `timeoutMs`.
 */
import {
  type BigIntStats,
  closeSync,
  constants,
  fstat,
  open,
  readFileSync,
  readlinkSync,
  realpath,
} from 'node:fs';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import {
  DEFAULT_SENSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  errnoError,
  InvalidCommandError,
  OutcomeUnknownError,
  type PendingCommand,
  PendingCommands,
  preflight,
  receivedView,
  type ScsiCommand,
  type ScsiResult,
  SyscallError,
  type Transport,
  type TransportCapabilities,
  TransportClosedError,
  TransportError,
  type TransportStats,
  WaitingRoom,
} from '@scsikit/transport';
import { allocateAligned } from './aligned-buffer.js';
import { loadSgioBinding, type SgioBinding, type SgioNativeError, type SgioNativeResult } from './native.js';
import { readDeviceLimits } from './sysfs.js';

// ---------------------------------------------------------------------------------------------
// Options and limits.

export interface SgioOpenOptions {
  /**
   * Open read-write (`O_RDWR`). Read-only opens are the default; a read-only guard for write-class
   * commands is the Device API's job (root bypasses the kernel's own filter).
   * @default false
   */
  readonly write?: boolean;
  /**
   * Commands kept in the kernel at once; the rest wait in userspace by priority. At most 16 on
   * /dev/sg (the sg driver's limit per fd). Each one holds a libuv threadpool thread.
   * @default min(the device's queue_depth, 16 on /dev/sg, the libuv threadpool size)
   */
  readonly queueDepth?: number;
  /**
   * Largest transfer accepted, in bytes.
   * @default from sysfs: min(max_hw_sectors_kb × 1024, (max_segments − 1) × 4096), else 512 KiB
   */
  readonly maxTransferBytes?: number;
}

/** The sg driver refuses a 17th outstanding command per fd (-EDOM). */
export const SG_MAX_QUEUE = 16;
/** When sysfs says nothing about transfer limits. */
export const DEFAULT_SGIO_MAX_TRANSFER = 512 * 1024;
/** libuv's default threadpool size (UV_THREADPOOL_SIZE unset). */
const DEFAULT_THREADPOOL_SIZE = 4;
/** libuv's ceiling for UV_THREADPOOL_SIZE. */
const MAX_THREADPOOL_SIZE = 1024;
/** How long close() waits for in-flight ioctls before resolving without them. */
const CLOSE_WAIT_MS = 2_000;
/** -ENOMEM / -EAGAIN before issuing: retried with 1, 4, 16 ms back-off. */
const RETRY_DELAYS_MS: readonly number[] = [1, 4, 16];
const RETRYABLE: ReadonlySet<string> = new Set(['ENOMEM', 'EAGAIN']);
const EFAULT = 14;
const ENOTTY = 25;
const SYSCALL = 'ioctl(SG_IO)';

const OPTION_KEYS: ReadonlySet<string> = new Set(['write', 'queueDepth', 'maxTransferBytes']);

function describe(value: unknown): string {
  return `\`${String(value)}\` (${typeof value})`;
}

function checkInteger(name: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`Expected \`${name}\` to be an integer in [${min}, ${max}], got ${describe(value)}`);
  }
  return value;
}

/** libuv reads UV_THREADPOOL_SIZE once, at the pool's first use; this mirrors its parsing. */
export function threadpoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number.parseInt(env.UV_THREADPOOL_SIZE ?? '', 10);
  if (!Number.isFinite(n) || n <= 0) return DEFAULT_THREADPOOL_SIZE;
  return Math.min(n, MAX_THREADPOOL_SIZE);
}

// ---------------------------------------------------------------------------------------------
// Path validation and sysfs.

/** Where device nodes and sysfs live; tests point them at a temporary tree. */
export interface SgioRoots {
  /** @default '/dev' */
  readonly dev: string;
  /** @default '/sys' */
  readonly sys: string;
}

const DEFAULT_ROOTS: SgioRoots = { dev: '/dev', sys: '/sys' };

/** A node this transport may open, and how it speaks SG_IO. */
export interface SgioNode {
  readonly path: string;
  /** 3: /dev/sgN (`sg_io_hdr_t`); 4: /dev/bsg/H:C:T:L (`struct sg_io_v4`). */
  readonly version: 3 | 4;
  /** The sysfs class directory of the node: …/class/scsi_generic/sgN or …/class/bsg/H:C:T:L. */
  readonly sysfs: string;
}

const SG_NAME = /^sg(\d{1,6})$/u;
const BSG_NAME = /^bsg\/(\d{1,6}:\d{1,6}:\d{1,6}:\d{1,10})$/u;

/**
 * Classifies a device path: `/dev/sgN` (preferred: the sg driver's SG_IO waits interruptibly and
 * honours any timeout) or `/dev/bsg/H:C:T:L`. Anything else — `..`, doubled slashes, block
 * devices — is refused. Pure: touches no file.
 */
export function parseSgioPath(path: string, roots: SgioRoots = DEFAULT_ROOTS): SgioNode | undefined {
  if (typeof path !== 'string' || !path.startsWith(`${roots.dev}/`)) return undefined;
  const rest = path.slice(roots.dev.length + 1);
  const sg = SG_NAME.exec(rest);
  if (sg !== null) return { path, version: 3, sysfs: `${roots.sys}/class/scsi_generic/sg${sg[1]}` };
  const bsg = BSG_NAME.exec(rest);
  if (bsg !== null) return { path, version: 4, sysfs: `${roots.sys}/class/bsg/${bsg[1]}` };
  return undefined;
}

/** The node's SCSI address (H:C:T:L): a bsg node is named by it, an sg node links to it. */
function hctlOf(node: SgioNode): string | undefined {
  let name: string;
  try {
    name = node.version === 4 ? basename(node.sysfs) : basename(readlinkSync(`${node.sysfs}/device`));
  } catch {
    return undefined; // no sysfs entry: nothing to read limits from
  }
  return /^\d+:\d+:\d+:\d+$/u.test(name) ? name : undefined;
}

/**
 * Queue depth and transfer limit from sysfs (`readDeviceLimits`, shared with the io_uring
 * transport), each absent when sysfs does not say.
 */
export function readSysfsLimits(
  node: SgioNode,
  roots: SgioRoots = DEFAULT_ROOTS,
): { queueDepth?: number; maxTransferBytes?: number } {
  const hctl = hctlOf(node);
  if (hctl === undefined) return {};
  const device = readDeviceLimits(hctl, roots.sys);
  const maxTransferBytes = device.maxTransferBytes;
  const out: { queueDepth?: number; maxTransferBytes?: number } = {};
  if (device.queueDepth !== undefined && device.queueDepth > 0) out.queueDepth = device.queueDepth;
  if (maxTransferBytes !== undefined && maxTransferBytes > 0) {
    out.maxTransferBytes = Math.min(Math.max(4096, maxTransferBytes), 0x7fff_f000);
  }
  return out;
}

/** Linux's dev_t → "major:minor", as sysfs writes it in `dev`. */
function devString(rdev: bigint): string {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  return `${major}:${minor}`;
}

function syscallFailure(e: unknown, syscall: string): TransportError {
  const errno = (e as { errno?: unknown }).errno;
  return errnoError(typeof errno === 'number' ? -Math.abs(errno) : -5, syscall, e);
}

const openAsync = promisify(open);
const realpathAsync = promisify(realpath);
const fstatAsync = promisify(
  (fd: number, cb: (err: NodeJS.ErrnoException | null, stats: BigIntStats) => void) =>
    fstat(fd, { bigint: true }, cb),
);

// ---------------------------------------------------------------------------------------------
// The transport.

interface Job {
  readonly cmd: ScsiCommand;
  readonly pending: PendingCommand;
  /** Data-in destination or data-out source: exactly the transfer, a view of the caller's memory. */
  readonly buffer: Uint8Array;
  readonly direction: 0 | 1 | 2;
  readonly sense: Uint8Array;
  readonly timeoutMs: number;
  /** True once handed to the threadpool; queued jobs that settle early are skipped. */
  dispatched: boolean;
  attempts: number;
  start: bigint;
}

const DIRECTION = { none: 0, in: 1, out: 2 } as const;
/** Internal construction parameters; `SgioTransport.open` derives them from the path. */
export interface SgioTransportInit {
  readonly fd: number;
  readonly version: 3 | 4;
  readonly queueDepth: number;
  readonly maxTransferBytes: number;
  readonly binding: SgioBinding;
  /** Closes the fd; called once, after the last in-flight ioctl returned. */
  readonly closeFd: (fd: number) => void;
  /** How long close() waits for in-flight ioctls. @default 2000 */
  readonly closeWaitMs?: number;
}

/**
 * The contract over ioctl(SG_IO). Open with {@link SgioTransport.open}.
 * @example
 * const t = await SgioTransport.open('/dev/sg0');
 * const r = await t.execute({ cdb: inquiryCdb, direction: 'in', transferLength: 96 });
 * await t.close();
 */
export class SgioTransport implements Transport {
  readonly kind = 'sgio' as const;
  readonly capabilities: TransportCapabilities;
  readonly #fd: number;
  readonly #version: 3 | 4;
  readonly #binding: SgioBinding;
  readonly #closeFd: (fd: number) => void;
  readonly #closeWaitMs: number;
  /** Settle-once promises, watchdog and abort listeners. */
  readonly #pending = new PendingCommands();
  /** Accepted commands waiting for a slot, by priority. */
  readonly #waiting = new WaitingRoom<Job>();
  /** ioctls on the threadpool, including orphans whose promise already settled. */
  #inFlight = 0;
  #closed = false;
  #fdClosed = false;
  #closing: Promise<void> | undefined;
  /** Resolves close()'s wait when the last in-flight ioctl returns. */
  #onDrained: (() => void) | undefined;
  #submitted = 0;
  #completed = 0;
  #failed = 0;
  readonly #retried: Record<string, number> = {};

  /**
   * Opens `/dev/sgN` (v3; preferred: deterministic timeouts, interruptible waits) or
   * `/dev/bsg/H:C:T:L` (v4). The path must resolve, symlinks followed, to such a node under /dev
   * and be the character device sysfs names. Rejects with a `RangeError`/`TypeError` for a bad path
   * or option, and with a `TransportError` (`SyscallError`, `DeviceGoneError`) when the system refuses.
   */
  static open(path: string, options: SgioOpenOptions = {}): Promise<SgioTransport> {
    return openSgioTransport(path, options);
  }

  /** @internal Use {@link SgioTransport.open}. */
  constructor(init: SgioTransportInit) {
    this.#fd = init.fd;
    this.#version = init.version;
    this.#binding = init.binding;
    this.#closeFd = init.closeFd;
    this.#closeWaitMs = init.closeWaitMs ?? CLOSE_WAIT_MS;
    this.capabilities = Object.freeze({
      kind: 'sgio',
      fixedBuffers: false,
      maxTransferBytes: init.maxTransferBytes,
      queueDepth: init.queueDepth,
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The SG_IO interface in use: 3 (/dev/sg) or 4 (/dev/bsg). */
  get version(): 3 | 4 {
    return this.#version;
  }

  execute(cmd: ScsiCommand): Promise<ScsiResult> {
    const refused = preflight(cmd, this.capabilities, this.#closed);
    if (refused !== undefined) return Promise.reject(refused);
    const transfer = cmd.direction === 'none' ? 0 : (cmd.transferLength ?? cmd.data?.length ?? 0);
    const buffer =
      cmd.data !== undefined
        ? cmd.data.subarray(0, transfer)
        : new Uint8Array(cmd.direction === 'in' ? transfer : 0);
    let job: Job | undefined;
    const pending = this.#pending.track(cmd, () => this.#settledEarly(job));
    if (pending.settled) return pending.promise; // aborted between preflight and track
    job = {
      cmd,
      pending,
      buffer,
      // A zero-length transfer moves nothing: the kernel sees no data phase.
      direction: transfer === 0 ? 0 : DIRECTION[cmd.direction],
      sense: new Uint8Array(cmd.senseBytes ?? DEFAULT_SENSE_BYTES),
      timeoutMs: cmd.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      dispatched: false,
      attempts: 0,
      start: 0n,
    };
    this.#waiting.push(job, cmd.priority);
    this.#pump();
    return pending.promise;
  }

  close(): Promise<void> {
    if (this.#closing !== undefined) return this.#closing;
    this.#closed = true;
    this.#closing = this.#shutdown();
    return this.#closing;
  }

  /** Page-aligned native memory: a data buffer of up to a page is one kernel segment. */
  allocateBuffer(bytes: number): Uint8Array {
    return allocateAligned(bytes);
  }

  stats(): TransportStats {
    return {
      submitted: this.#submitted,
      completed: this.#completed,
      failed: this.#failed,
      retried: { ...this.#retried },
      inFlight: this.#inFlight,
      queued: this.#waiting.size,
    };
  }

  async #shutdown(): Promise<void> {
    // Queued jobs leave their FIFOs through #settledEarly; in-flight ones become orphans.
    this.#pending.rejectAll(() => new TransportClosedError());
    this.#waiting.drain(); // rejected just above
    if (this.#inFlight > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await new Promise<void>((resolve) => {
        this.#onDrained = resolve;
        // Bounded: a command the device never completes must not hang close(). Unref'd: the
        // ioctls themselves keep the loop alive until the kernel returns them.
        timer = setTimeout(resolve, this.#closeWaitMs);
        timer.unref();
      });
      clearTimeout(timer);
      this.#onDrained = undefined;
    }
    // With ioctls still running, the fd stays open: the last completion closes it (#complete).
    if (this.#inFlight === 0) this.#releaseFd();
  }

  #releaseFd(): void {
    if (this.#fdClosed) return;
    this.#fdClosed = true;
    try {
      this.#closeFd(this.#fd);
    } catch {
      // close(2) on a char device cannot fail in a way the caller could act on; the fd is gone.
    }
  }

  /** The watchdog, the signal or close() settled a job's promise before the kernel answered. */
  #settledEarly(job: Job | undefined): void {
    this.#failed++;
    if (job !== undefined && !job.dispatched) this.#waiting.remove((j) => j === job);
  }

  #pump(): void {
    while (!this.#closed && this.#inFlight < this.capabilities.queueDepth) {
      const job = this.#waiting.shift();
      if (job === undefined) break;
      job.dispatched = true;
      this.#submitted++;
      this.#dispatch(job);
    }
  }

  #dispatch(job: Job): void {
    this.#inFlight++;
    job.attempts++;
    job.start = process.hrtime.bigint();
    try {
      this.#binding.sgioExecute(
        this.#fd,
        this.#version,
        job.cmd.cdb,
        job.direction,
        job.direction === 0 ? null : job.buffer,
        job.sense,
        job.timeoutMs,
        (err, result) => this.#complete(job, err, result),
      );
    } catch (e) {
      // Argument checks the TypeScript side should have made: nothing reached the kernel.
      this.#inFlight--;
      if (job.pending.reject(new SyscallError(-22, SYSCALL, e))) this.#failed++;
      // Not from here: #pump is on the stack, and a binding that always throws would recurse.
      queueMicrotask(() => this.#afterCompletion());
    }
  }

  #complete(job: Job, err: SgioNativeError | null, result: SgioNativeResult | undefined): void {
    const end = process.hrtime.bigint();
    this.#inFlight--;
    if (err !== null || result === undefined) {
      this.#failedIoctl(job, err);
    } else {
      const transfer = job.buffer.length;
      const residual = Math.min(Math.max(0, Math.trunc(result.residual) || 0), transfer);
      const senseLength = Math.min(result.senseLength, job.sense.length);
      const resolved = job.pending.resolve({
        status: result.status & 0xff,
        hostStatus: result.hostStatus & 0xff,
        driverStatus: result.driverStatus & 0xff,
        sense: job.sense.slice(0, senseLength),
        residual,
        // `in`: a view of the destination even for a zero-length transfer (sent without a data phase).
        data: job.cmd.direction === 'in' ? receivedView(job.buffer, residual) : new Uint8Array(0),
        latencyNs: Number(end - job.start),
      });
      if (resolved) this.#completed++;
    }
    this.#afterCompletion();
  }

  #failedIoctl(job: Job, err: SgioNativeError | null): void {
    const errno = typeof err?.errno === 'number' ? err.errno : -5;
    const code = err?.code ?? '';
    if (
      RETRYABLE.has(code) &&
      job.attempts <= RETRY_DELAYS_MS.length &&
      !job.pending.settled &&
      !this.#closed
    ) {
      // Refused before issuing (an allocation under pressure): the command never ran, so resend.
      this.#retried[code] = (this.#retried[code] ?? 0) + 1;
      this.#inFlight++; // keeps its slot through the back-off
      setTimeout(
        () => {
          this.#inFlight--;
          if (job.pending.settled || this.#closed) return this.#afterCompletion();
          this.#dispatch(job);
        },
        RETRY_DELAYS_MS[job.attempts - 1],
      );
      return;
    }
    // SG_IO copies the header and sense back after the command ran: -EFAULT means "ran, maybe".
    const error =
      Math.abs(errno) === EFAULT
        ? new OutcomeUnknownError(SYSCALL, -EFAULT, err)
        : errnoError(errno, SYSCALL, err);
    if (job.pending.reject(error)) this.#failed++;
  }

  #afterCompletion(): void {
    if (!this.#closed) {
      this.#pump();
      return;
    }
    if (this.#inFlight > 0) return;
    // close() is waiting: wake it (it closes the fd). It gave up waiting: the last one closes it.
    if (this.#onDrained !== undefined) this.#onDrained();
    else this.#releaseFd();
  }
}

/**
 * @internal `SgioTransport.open` with the roots and the binding injectable (tests use a temporary
 * tree and a fake binding).
 */
export async function openSgioTransport(
  path: string,
  options: SgioOpenOptions = {},
  roots: SgioRoots = DEFAULT_ROOTS,
  binding?: SgioBinding,
): Promise<SgioTransport> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) {
      throw new TypeError(
        `Unknown option \`${key}\`; SgioTransport.open accepts ${[...OPTION_KEYS].map((k) => `\`${k}\``).join(', ')}`,
      );
    }
  }
  if (options.write !== undefined && typeof options.write !== 'boolean') {
    throw new TypeError(`Expected \`write\` to be a boolean, got ${describe(options.write)}`);
  }
  const node = parseSgioPath(path, roots);
  if (node === undefined) {
    throw new InvalidCommandError(
      'path',
      `Expected a SCSI generic device path (${roots.dev}/sgN or ${roots.dev}/bsg/H:C:T:L), got ${JSON.stringify(path)}`,
    );
  }
  const maxDepth = node.version === 3 ? SG_MAX_QUEUE : 4096;
  if (options.queueDepth !== undefined) checkInteger('queueDepth', options.queueDepth, 1, maxDepth);
  if (options.maxTransferBytes !== undefined) {
    checkInteger('maxTransferBytes', options.maxTransferBytes, 4096, 0x7fff_f000);
  }
  const native = binding ?? loadSgioBinding();

  // No symlink games: whatever the path resolves to must itself be such a node under the dev root.
  let resolved: string;
  try {
    resolved = await realpathAsync(path);
  } catch (e) {
    throw syscallFailure(e, 'realpath');
  }
  const real = parseSgioPath(resolved, roots);
  if (real === undefined) {
    throw new InvalidCommandError(
      'path',
      `${JSON.stringify(path)} resolves to ${JSON.stringify(resolved)}, not a SCSI generic device under ${roots.dev}`,
    );
  }
  const flags = (options.write === true ? constants.O_RDWR : constants.O_RDONLY) | constants.O_NONBLOCK;
  let fd: number;
  try {
    // O_NONBLOCK: never wait in open() for another process's O_EXCL; SG_IO blocks regardless.
    fd = await openAsync(resolved, flags);
  } catch (e) {
    throw syscallFailure(e, 'open');
  }
  try {
    const st = await fstatAsync(fd);
    let dev: string | undefined;
    try {
      dev = readFileSync(`${real.sysfs}/dev`, 'utf8').trim();
    } catch {
      dev = undefined;
    }
    if (!st.isCharacterDevice() || dev !== devString(st.rdev)) {
      const what = st.isCharacterDevice()
        ? `character device ${devString(st.rdev)}, not the one sysfs names (${dev ?? 'none'})`
        : 'not a character device';
      throw errnoError(-ENOTTY, 'open', new Error(`${resolved}: ${what}`));
    }
    const limits = readSysfsLimits(real, roots);
    const queueDepth =
      options.queueDepth ?? Math.max(1, Math.min(limits.queueDepth ?? maxDepth, maxDepth, threadpoolSize()));
    return new SgioTransport({
      fd,
      version: real.version,
      queueDepth,
      maxTransferBytes: options.maxTransferBytes ?? limits.maxTransferBytes ?? DEFAULT_SGIO_MAX_TRANSFER,
      binding: native,
      closeFd: closeSync,
    });
  } catch (e) {
    closeSync(fd);
    throw e instanceof TransportError ? e : syscallFailure(e, 'fstat');
  }
}

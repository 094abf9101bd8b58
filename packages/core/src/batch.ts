/**
 * `Device.executeBatch`: many commands sent at once (inventory sweeps, INQUIRY/VPD across LUNs,
 * verify passes). Every command is checked first — its spec, its buffers, the read-only guard —
 * so a bad one refuses the whole batch before anything reaches the device; then all are handed to
 * the transport in one synchronous run, which the io_uring transport stages and sends with one
 * native call and one io_uring_enter (up to the device's queue depth; the rest follow as slots
 * free up). Each command then settles on its own, with the funnel's retries and typed errors.
 */
import type { CdbSpec } from '@scsikit/cdb';
import type { ScsiResult } from '@scsikit/transport';
import { AbortError, InvalidArgumentError, type ScsiError } from './errors.js';
import type { CommandOptions, ExecuteOptions, Funnel, PreparedCommand } from './funnel.js';

/** One command of a batch with options of its own (raw CDB bytes need `direction` and the like). */
export interface BatchCommand {
  readonly command: CdbSpec | Uint8Array;
  /** Merged over the batch's options. */
  readonly options?: ExecuteOptions;
}

/** What every command of the batch gets unless its own options say otherwise. */
export type BatchOptions = CommandOptions;

/** One command's outcome, at its index in the batch. */
export type BatchOutcome =
  | { readonly ok: true; readonly result: ScsiResult }
  | { readonly ok: false; readonly error: ScsiError };

/** The io_uring ring's largest size: a batch never needs more slots than a ring can have. */
export const MAX_BATCH = 4096;

function isBatchCommand(x: unknown): x is BatchCommand {
  return typeof x === 'object' && x !== null && 'command' in x;
}

/** @internal Device.executeBatch over its funnel. */
export function executeBatch(
  funnel: Funnel,
  commands: ReadonlyArray<CdbSpec | BatchCommand>,
  options: BatchOptions = {},
): Promise<BatchOutcome[]> {
  const n = Array.isArray(commands) ? commands.length : -1;
  let specs: CdbSpec[];
  let opts: ExecuteOptions[];
  let prepared: PreparedCommand[];
  try {
    if (n < 0) throw new InvalidArgumentError('commands', 'Expected an array of commands');
    if (n > MAX_BATCH) {
      throw new InvalidArgumentError('commands', `Expected at most ${MAX_BATCH} commands, got ${n}`);
    }
    if (options.signal?.aborted === true) {
      throw new AbortError('executeBatch: aborted before sending', { cause: options.signal.reason });
    }
    specs = new Array<CdbSpec>(n);
    opts = new Array<ExecuteOptions>(n);
    prepared = new Array<PreparedCommand>(n);
    const slabbed: number[] = [];
    // Everything is checked before anything is sent: the read-only guard refuses a write-class
    // CDB anywhere in the batch with no command of it on the wire.
    for (let i = 0; i < n; i++) {
      const entry = commands[i];
      const own = isBatchCommand(entry) ? entry : { command: entry as CdbSpec };
      if (own.options !== undefined && (typeof own.options !== 'object' || own.options === null)) {
        throw new InvalidArgumentError(`commands[${i}].options`, 'Expected an options object');
      }
      const o: ExecuteOptions = own.options === undefined ? options : { ...options, ...own.options };
      if (o.signal?.aborted === true) {
        throw new AbortError(`executeBatch: command ${i}'s signal is aborted`, { cause: o.signal.reason });
      }
      let spec: CdbSpec;
      try {
        spec = funnel.specOf(own.command as CdbSpec | Uint8Array, o);
      } catch (e) {
        throw e instanceof InvalidArgumentError
          ? new InvalidArgumentError(`commands[${i}]`, `commands[${i}]: ${e.message}`, { cause: e })
          : e;
      }
      specs[i] = spec;
      opts[i] = o;
      if (spec.direction === 'in' && o.into === undefined && o.fixedBuffer === undefined) slabbed.push(i);
    }
    giveSlab(funnel, specs, opts, slabbed);
    for (let i = 0; i < n; i++) prepared[i] = funnel.prepare(specs[i] as CdbSpec, opts[i] as ExecuteOptions);
  } catch (e) {
    funnel.stats.commands++;
    return Promise.reject(e);
  }
  // One synchronous run: the transport stages each command as it is handed over and flushes once
  // this run of microtasks ends.
  const out = new Array<Promise<BatchOutcome>>(n);
  for (let i = 0; i < n; i++) {
    out[i] = funnel
      .sendPrepared(specs[i] as CdbSpec, prepared[i] as PreparedCommand, opts[i] as ExecuteOptions)
      .then(settledOk, settledError);
  }
  return Promise.all(out);
}

const PAGE = 4096;

/**
 * One buffer for every data-in command of the batch that brought none (`into`/`fixedBuffer`): one
 * allocation per batch instead of one per command (GC was a third of a host profile of 64
 * INQUIRYs). From the transport's `allocateBuffer` when it has one (page-aligned), and laid out so
 * that no piece of up to a page straddles two pages. Each command's result is a view of its piece:
 * a result kept keeps the whole slab.
 */
function giveSlab(
  funnel: Funnel,
  specs: CdbSpec[],
  opts: ExecuteOptions[],
  slabbed: readonly number[],
): void {
  if (slabbed.length < 2) return;
  const at: number[] = [];
  let total = 0;
  for (const i of slabbed) {
    const len = (opts[i] as ExecuteOptions).transferLength ?? (specs[i] as CdbSpec).transferLength;
    if (!Number.isInteger(len) || len <= 0 || len > funnel.maxTransferBytes) {
      at.push(-1); // left to the funnel's own checks and the transport's buffer
      continue;
    }
    if (len <= PAGE && (total % PAGE) + len > PAGE) total = Math.ceil(total / PAGE) * PAGE;
    at.push(total);
    total += len;
  }
  if (total === 0) return;
  const slab = funnel.transport.allocateBuffer?.(total) ?? new Uint8Array(total);
  slabbed.forEach((i, k) => {
    const off = at[k] as number;
    if (off < 0) return;
    const o = opts[i] as ExecuteOptions;
    const len = o.transferLength ?? (specs[i] as CdbSpec).transferLength;
    opts[i] = { ...o, into: slab.subarray(off, off + len) };
  });
}

const settledOk = (result: ScsiResult): BatchOutcome => ({ ok: true, result });
// The funnel rejects only with ScsiErrors (mapTransportError types everything else).
const settledError = (error: unknown): BatchOutcome => ({ ok: false, error: error as ScsiError });

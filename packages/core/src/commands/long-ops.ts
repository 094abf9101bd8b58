/**
 * FORMAT UNIT and SANITIZE: long operations. By default they are sent with IMMED, so the command
 * returns at once and the device reports progress through REQUEST SENSE (sense-key specific
 * progress indication, NOT READY 04h/04h "format in progress", 04h/1Bh "sanitize in progress").
 * `{ wait: true }` is sg_format's `--wait`: no IMMED, the command itself lasts as long as the work.
 */
import {
  buildFormatUnit,
  buildFormatUnitData,
  buildRequestSense,
  buildSanitize,
  buildSanitizeOverwriteData,
  decodeSense,
  type FormatUnitDataParams,
  type FormatUnitParams,
  type SanitizeOverwriteDataParams,
  type SanitizeParams,
  SENSE_KEY,
  senseProgress,
} from '@scsikit/cdb';
import { CheckConditionError } from '../errors.js';
import type { CommandOptions, CommandRunner } from '../funnel.js';
import { sleep } from '../retry.js';

export interface LongOperationOptions extends CommandOptions {
  /**
   * Wait inside the command (no IMMED) instead of polling; `timeoutMs` must then cover the whole
   * operation.
   * @default false
   */
  readonly wait?: boolean;
  /** Time between REQUEST SENSE polls. @default 1000 */
  readonly pollIntervalMs?: number;
}

export interface FormatUnitOptions extends LongOperationOptions {
  /** CDB fields (FMTPINFO, LONGLIST, FFMT…); FMTDATA and the length are set from `data`. */
  readonly cdb?: Omit<FormatUnitParams, 'fmtdata' | 'parameterListLength'>;
  /** Parameter list header fields (protection, initialization pattern…); IMMED is set unless `wait`. */
  readonly data?: Omit<FormatUnitDataParams, 'immed'>;
}

export interface SanitizeOptions extends LongOperationOptions {
  readonly serviceAction: SanitizeParams['serviceAction'];
  readonly znr?: boolean;
  readonly ause?: boolean;
  /** Pattern and count for `serviceAction: 'overwrite'`. */
  readonly overwrite?: SanitizeOverwriteDataParams;
}

/** While waiting for the first poll a long operation reports no percentage. */
const IN_PROGRESS_ASCQ: ReadonlySet<number> = new Set([0x04, 0x1b, 0x07, 0x11]);
/** A sent-with-`wait` operation: at most 4 hours unless the caller says otherwise. */
const WAIT_TIMEOUT_MS = 4 * 60 * 60 * 1000;

/**
 * A long operation the device accepted. Iterate it (or `progress()`) for percentages, or await
 * `wait()`; both end when REQUEST SENSE no longer reports the operation, and reject with a
 * CheckConditionError when the device reports that it failed (e.g. 31h/00h, 31h/03h).
 */
export class LongOperation implements AsyncIterable<number> {
  readonly name: string;
  readonly #runner: CommandRunner;
  readonly #interval: number;
  readonly #options: CommandOptions;
  readonly #finished: boolean;

  /** @internal */
  constructor(name: string, runner: CommandRunner, options: LongOperationOptions, finished: boolean) {
    this.name = name;
    this.#runner = runner;
    this.#interval = options.pollIntervalMs ?? 1000;
    this.#finished = finished;
    this.#options = {
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      priority: 'high',
    };
  }

  /** Percent done (0–100), one value per poll, ending with 100. */
  async *progress(): AsyncGenerator<number, void, undefined> {
    if (this.#finished) {
      yield 100;
      return;
    }
    for (;;) {
      const r = await this.#runner.run(buildRequestSense({ allocationLength: 252 }), this.#options);
      if (r.data.length === 0) break;
      const sense = decodeSense(r.data);
      if (sense.format === 'vendor') break;
      const p = senseProgress(sense);
      if (p !== undefined) {
        yield p.percent;
      } else if (
        sense.senseKey === SENSE_KEY.NOT_READY &&
        sense.asc === 0x04 &&
        IN_PROGRESS_ASCQ.has(sense.ascq)
      ) {
        // In progress, no percentage this time.
      } else if (sense.senseKey === SENSE_KEY.NO_SENSE && sense.asc === 0 && sense.ascq === 0) {
        break;
      } else {
        throw new CheckConditionError(this.name, sense, {
          status: r.status,
          hostStatus: 0,
          driverStatus: 0,
          residual: 0,
        });
      }
      await sleep(this.#interval, this.#options.signal);
    }
    yield 100;
  }

  /** `for await (const percent of op)`: the same as `progress()`. */
  [Symbol.asyncIterator](): AsyncIterator<number> {
    return this.progress();
  }

  /** Resolves when the operation has finished. */
  async wait(): Promise<void> {
    for await (const _ of this.progress()) {
      // Drain.
    }
  }
}

/** @internal Device.formatUnit. */
export async function formatUnit(runner: CommandRunner, options: FormatUnitOptions): Promise<LongOperation> {
  const wait = options.wait === true;
  const data = buildFormatUnitData({ ...options.data, immed: !wait });
  const spec = buildFormatUnit({ ...options.cdb, fmtdata: true, parameterListLength: data.length });
  await runner.run(spec, {
    ...options,
    data,
    ...(wait ? { timeoutMs: options.timeoutMs ?? WAIT_TIMEOUT_MS } : {}),
  });
  return new LongOperation('FORMAT UNIT', runner, options, wait);
}

/** @internal Device.sanitize. */
export async function sanitize(runner: CommandRunner, options: SanitizeOptions): Promise<LongOperation> {
  const wait = options.wait === true;
  const data = options.overwrite === undefined ? undefined : buildSanitizeOverwriteData(options.overwrite);
  const spec = buildSanitize({
    serviceAction: options.serviceAction,
    immed: !wait,
    ...(options.znr === undefined ? {} : { znr: options.znr }),
    ...(options.ause === undefined ? {} : { ause: options.ause }),
    ...(data === undefined ? {} : { parameterListLength: data.length }),
  });
  await runner.run(spec, {
    ...options,
    ...(data === undefined ? {} : { data }),
    ...(wait ? { timeoutMs: options.timeoutMs ?? WAIT_TIMEOUT_MS } : {}),
  });
  return new LongOperation('SANITIZE', runner, options, wait);
}

/**
 * Persistent reservations (SPC PERSISTENT RESERVE IN/OUT) as plain functions over the funnel, and
 * `device.pr`, which binds them. PR OUT is non-idempotent: it is never retried unless the call
 * passes `retry: true`.
 */
import {
  buildPersistentReserveIn,
  buildPrClear,
  buildPrPreempt,
  buildPrRegister,
  buildPrRelease,
  buildPrReserve,
  decodePrReadFullStatus,
  decodePrReadKeys,
  decodePrReadReservation,
  decodePrReportCapabilities,
  type PrClearParams,
  type PrOutCommand,
  type PrPreemptParams,
  type PrReadFullStatus,
  type PrReadKeys,
  type PrReadReservation,
  type PrRegisterParams,
  type PrReportCapabilities,
  type PrReserveParams,
} from '@scsikit/cdb';
import { type CommandOptions, type CommandRunner, readDecoded } from '../funnel.js';

type Decoded = { readonly truncated?: boolean; readonly requiredLength?: number };
type PrInAction = 'readKeys' | 'readReservation' | 'reportCapabilities' | 'readFullStatus';

function prIn<T extends Decoded>(
  runner: CommandRunner,
  serviceAction: PrInAction,
  decode: (b: Uint8Array) => T,
  options?: CommandOptions,
): Promise<T> {
  return readDecoded(
    runner,
    (allocationLength) => buildPersistentReserveIn({ serviceAction, allocationLength }),
    decode,
    8192,
    0xffff,
    options,
  );
}

async function prOut(runner: CommandRunner, command: PrOutCommand, options?: CommandOptions): Promise<void> {
  await runner.run(command.spec, { ...options, data: command.data });
}

export function readKeys(runner: CommandRunner, options?: CommandOptions): Promise<PrReadKeys> {
  return prIn(runner, 'readKeys', decodePrReadKeys as (b: Uint8Array) => PrReadKeys & Decoded, options);
}

export function readReservation(runner: CommandRunner, options?: CommandOptions): Promise<PrReadReservation> {
  return prIn(
    runner,
    'readReservation',
    decodePrReadReservation as (b: Uint8Array) => PrReadReservation & Decoded,
    options,
  );
}

export function reportCapabilities(
  runner: CommandRunner,
  options?: CommandOptions,
): Promise<PrReportCapabilities> {
  return prIn(
    runner,
    'reportCapabilities',
    decodePrReportCapabilities as (b: Uint8Array) => PrReportCapabilities & Decoded,
    options,
  );
}

export function readFullStatus(runner: CommandRunner, options?: CommandOptions): Promise<PrReadFullStatus> {
  return prIn(
    runner,
    'readFullStatus',
    decodePrReadFullStatus as (b: Uint8Array) => PrReadFullStatus & Decoded,
    options,
  );
}

export function register(
  runner: CommandRunner,
  params: PrRegisterParams,
  options?: CommandOptions,
): Promise<void> {
  return prOut(runner, buildPrRegister(params), options);
}

export function reserve(
  runner: CommandRunner,
  params: PrReserveParams,
  options?: CommandOptions,
): Promise<void> {
  return prOut(runner, buildPrReserve(params), options);
}

export function release(
  runner: CommandRunner,
  params: PrReserveParams,
  options?: CommandOptions,
): Promise<void> {
  return prOut(runner, buildPrRelease(params), options);
}

export function clear(runner: CommandRunner, params: PrClearParams, options?: CommandOptions): Promise<void> {
  return prOut(runner, buildPrClear(params), options);
}

export function preempt(
  runner: CommandRunner,
  params: Omit<PrPreemptParams, 'abort'>,
  options?: CommandOptions,
): Promise<void> {
  return prOut(runner, buildPrPreempt({ ...params, abort: false }), options);
}

export function preemptAndAbort(
  runner: CommandRunner,
  params: Omit<PrPreemptParams, 'abort'>,
  options?: CommandOptions,
): Promise<void> {
  return prOut(runner, buildPrPreempt({ ...params, abort: true }), options);
}

/**
 * `device.pr`: PERSISTENT RESERVE IN (read, retried like any read) and OUT (a write-class command:
 * needs `{ write: true }`, never retried unless the call passes `retry: true`). A conflict with
 * another initiator's reservation rejects with ScsiStatusError (RESERVATION CONFLICT, 18h).
 */
export class PersistentReservations {
  readonly #runner: CommandRunner;

  /** @internal Created by Device. */
  constructor(runner: CommandRunner) {
    this.#runner = runner;
  }

  /** READ KEYS: the registered reservation keys and the PR generation. */
  readKeys(options?: CommandOptions): Promise<PrReadKeys> {
    return readKeys(this.#runner, options);
  }

  /** READ RESERVATION: the holder's key, type and scope (none when unreserved). */
  readReservation(options?: CommandOptions): Promise<PrReadReservation> {
    return readReservation(this.#runner, options);
  }

  /** REPORT CAPABILITIES: which types, APTPL, SIP_C, ATP_C… the device supports. */
  reportCapabilities(options?: CommandOptions): Promise<PrReportCapabilities> {
    return reportCapabilities(this.#runner, options);
  }

  /** READ FULL STATUS: every registration with its TransportID and holder flag. */
  readFullStatus(options?: CommandOptions): Promise<PrReadFullStatus> {
    return readFullStatus(this.#runner, options);
  }

  /** REGISTER (or REGISTER AND IGNORE EXISTING KEY with `ignoreExisting`); `newKey` 0 unregisters. */
  register(params: PrRegisterParams, options?: CommandOptions): Promise<void> {
    return register(this.#runner, params, options);
  }

  /** RESERVE with a registered key. */
  reserve(params: PrReserveParams, options?: CommandOptions): Promise<void> {
    return reserve(this.#runner, params, options);
  }

  /** RELEASE the reservation this I_T nexus holds. */
  release(params: PrReserveParams, options?: CommandOptions): Promise<void> {
    return release(this.#runner, params, options);
  }

  /** CLEAR every registration and the reservation. */
  clear(params: PrClearParams, options?: CommandOptions): Promise<void> {
    return clear(this.#runner, params, options);
  }

  /** PREEMPT the registrations (and reservation) of `preemptKey`. */
  preempt(params: Omit<PrPreemptParams, 'abort'>, options?: CommandOptions): Promise<void> {
    return preempt(this.#runner, params, options);
  }

  /** PREEMPT AND ABORT: like preempt, and the preempted initiators' tasks are aborted. */
  preemptAndAbort(params: Omit<PrPreemptParams, 'abort'>, options?: CommandOptions): Promise<void> {
    return preemptAndAbort(this.#runner, params, options);
  }
}

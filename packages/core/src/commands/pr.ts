/**
 * Persistent reservations (SPC PERSISTENT RESERVE IN/OUT) as `device.pr.*`. PR OUT is
 * non-idempotent: it is never retried unless the call passes `retry: true`.
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
import type { CommandOptions, CommandRunner } from '../device.js';

type Decoded = { readonly truncated?: boolean; readonly requiredLength?: number };

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

  async #in<T extends Decoded>(
    serviceAction: 'readKeys' | 'readReservation' | 'reportCapabilities' | 'readFullStatus',
    decode: (b: Uint8Array) => T,
    options?: CommandOptions,
  ): Promise<T> {
    const cap = Math.min(0xffff, this.#runner.maxTransferBytes);
    const size = Math.min(8192, cap);
    const first = decode(
      (await this.#runner.run(buildPersistentReserveIn({ serviceAction, allocationLength: size }), options))
        .data,
    );
    const need = first.requiredLength ?? 0;
    if (first.truncated !== true || need <= size) return first;
    const allocationLength = Math.min(need, cap);
    return decode(
      (await this.#runner.run(buildPersistentReserveIn({ serviceAction, allocationLength }), options)).data,
    );
  }

  async #out(command: PrOutCommand, options?: CommandOptions): Promise<void> {
    await this.#runner.run(command.spec, { ...options, data: command.data });
  }

  /** READ KEYS: the registered reservation keys and the PR generation. */
  readKeys(options?: CommandOptions): Promise<PrReadKeys> {
    return this.#in('readKeys', decodePrReadKeys as (b: Uint8Array) => PrReadKeys & Decoded, options);
  }

  /** READ RESERVATION: the holder's key, type and scope (none when unreserved). */
  readReservation(options?: CommandOptions): Promise<PrReadReservation> {
    return this.#in(
      'readReservation',
      decodePrReadReservation as (b: Uint8Array) => PrReadReservation & Decoded,
      options,
    );
  }

  /** REPORT CAPABILITIES: which types, APTPL, SIP_C, ATP_C… the device supports. */
  reportCapabilities(options?: CommandOptions): Promise<PrReportCapabilities> {
    return this.#in(
      'reportCapabilities',
      decodePrReportCapabilities as (b: Uint8Array) => PrReportCapabilities & Decoded,
      options,
    );
  }

  /** READ FULL STATUS: every registration with its TransportID and holder flag. */
  readFullStatus(options?: CommandOptions): Promise<PrReadFullStatus> {
    return this.#in(
      'readFullStatus',
      decodePrReadFullStatus as (b: Uint8Array) => PrReadFullStatus & Decoded,
      options,
    );
  }

  /** REGISTER (or REGISTER AND IGNORE EXISTING KEY with `ignoreExisting`); `newKey` 0 unregisters. */
  register(params: PrRegisterParams, options?: CommandOptions): Promise<void> {
    return this.#out(buildPrRegister(params), options);
  }

  /** RESERVE with a registered key. */
  reserve(params: PrReserveParams, options?: CommandOptions): Promise<void> {
    return this.#out(buildPrReserve(params), options);
  }

  /** RELEASE the reservation this I_T nexus holds. */
  release(params: PrReserveParams, options?: CommandOptions): Promise<void> {
    return this.#out(buildPrRelease(params), options);
  }

  /** CLEAR every registration and the reservation. */
  clear(params: PrClearParams, options?: CommandOptions): Promise<void> {
    return this.#out(buildPrClear(params), options);
  }

  /** PREEMPT the registrations (and reservation) of `preemptKey`. */
  preempt(params: Omit<PrPreemptParams, 'abort'>, options?: CommandOptions): Promise<void> {
    return this.#out(buildPrPreempt({ ...params, abort: false }), options);
  }

  /** PREEMPT AND ABORT: like preempt, and the preempted initiators' tasks are aborted. */
  preemptAndAbort(params: Omit<PrPreemptParams, 'abort'>, options?: CommandOptions): Promise<void> {
    return this.#out(buildPrPreempt({ ...params, abort: true }), options);
  }
}

/**
 * SCSI-3 persistent-reservation fencing, as cluster managers do it (Pacemaker's fence_scsi): every
 * node registers its own key, one node holds a Write Exclusive – Registrants Only reservation, and
 * a surviving node removes a failed one with PREEMPT AND ABORT, after which the failed node's
 * writes end in RESERVATION CONFLICT.
 */
import { PR_TYPE, type PrType, SAM_STATUS, SENSE_KEY } from '@scsikit/cdb';
import type { Device } from './device.js';
import { CheckConditionError, InvalidArgumentError, ScsiStatusError } from './errors.js';
import type { CommandOptions } from './funnel.js';

const MAX_KEY = (1n << 64n) - 1n;

/** How a node fences: its key, the reservation type, and options for every command it sends. */
export interface FenceOptions {
  /** This node's reservation key: non-zero, unique per node, stable across restarts. */
  readonly key: bigint;
  /** The reservation type the cluster uses. @default 'writeExclusiveRegistrantsOnly' */
  readonly type?: PrType;
  /** Per-command options (timeout, signal) for every command the fence sends. */
  readonly commandOptions?: CommandOptions;
}

/** Who is registered and who holds the reservation, as this node sees it. */
export interface FenceStatus {
  /** PRGENERATION: bumped by every registration change. */
  readonly generation: number;
  readonly registeredKeys: readonly bigint[];
  /** The reservation holder's key and type, absent when the unit is not reserved. */
  readonly reservation?: { readonly key: bigint; readonly type: number; readonly typeName: string };
  /** This node's key is registered. */
  readonly registered: boolean;
  /** This node's key holds the reservation (for all-registrants types: any registrant does). */
  readonly holder: boolean;
}

function hexKey(key: bigint): string {
  return `0x${key.toString(16).padStart(16, '0')}`;
}

/**
 * Fencing on one shared logical unit, from one node's side: `join` (register), `acquire`
 * (reserve), `status`, `fence(peer)` (preempt and abort a failed node), `leave` (release and
 * unregister). A RESERVATION CONFLICT comes back as a ScsiStatusError whose message says why, in
 * words (e.g. "this node's key … is not registered: another node has fenced it off").
 */
export class Fence {
  readonly device: Device;
  readonly key: bigint;
  readonly type: PrType;
  readonly #options: CommandOptions;

  constructor(device: Device, options: FenceOptions) {
    if (typeof options.key !== 'bigint' || options.key <= 0n || options.key > MAX_KEY) {
      throw new InvalidArgumentError(
        'key',
        `Expected \`key\` to be a non-zero 64-bit bigint, got \`${String(options.key)}\``,
      );
    }
    const type = options.type ?? 'writeExclusiveRegistrantsOnly';
    if (!(type in PR_TYPE)) {
      throw new InvalidArgumentError(
        'type',
        `Expected \`type\` to be one of ${Object.keys(PR_TYPE).join(', ')}, got \`${String(type)}\``,
      );
    }
    this.device = device;
    this.key = options.key;
    this.type = type;
    this.#options = options.commandOptions ?? {};
  }

  /** Registers this node's key (REGISTER AND IGNORE EXISTING KEY, so calling it again is harmless). */
  async join(): Promise<void> {
    await this.#out('REGISTER AND IGNORE EXISTING KEY', () =>
      this.device.pr.register({ newKey: this.key, ignoreExisting: true }, this.#options),
    );
  }

  /**
   * Reserves the unit with the fencing type. Resolves true when this node holds the reservation
   * afterwards (also when it already did), false when another node holds it.
   */
  async acquire(): Promise<boolean> {
    try {
      await this.#out('RESERVE', () =>
        this.device.pr.reserve({ key: this.key, type: this.type }, this.#options),
      );
    } catch (e) {
      if (!(e instanceof ScsiStatusError && e.status === SAM_STATUS.RESERVATION_CONFLICT)) throw e;
      const s = await this.status();
      if (!s.registered) throw e;
      return s.holder;
    }
    return true;
  }

  /** READ KEYS and READ RESERVATION, as one view. */
  async status(): Promise<FenceStatus> {
    const keys = await this.device.pr.readKeys(this.#options);
    const r = (await this.device.pr.readReservation(this.#options)).reservation;
    const registered = keys.keys.includes(this.key);
    const allRegistrants = r !== undefined && (r.type === 0x7 || r.type === 0x8);
    return {
      generation: keys.prGeneration,
      registeredKeys: keys.keys,
      ...(r === undefined
        ? {}
        : { reservation: { key: r.reservationKey, type: r.type, typeName: r.typeName } }),
      registered,
      holder: r !== undefined && registered && (allRegistrants || r.reservationKey === this.key),
    };
  }

  /**
   * Fences a failed node off: PREEMPT AND ABORT of `peerKey`, which removes its registration, takes
   * over its reservation (with this fence's type) if it held one, and aborts its queued commands.
   * `abort: false` sends PREEMPT instead (the peer's queued commands then still run).
   */
  async fence(peerKey: bigint, options: { readonly abort?: boolean } = {}): Promise<void> {
    if (typeof peerKey !== 'bigint' || peerKey <= 0n || peerKey > MAX_KEY || peerKey === this.key) {
      throw new InvalidArgumentError(
        'peerKey',
        `Expected \`peerKey\` to be another node's non-zero 64-bit key, got \`${String(peerKey)}\``,
      );
    }
    const params = { key: this.key, preemptKey: peerKey, type: this.type };
    if (options.abort === false) {
      await this.#out(`PREEMPT of ${hexKey(peerKey)}`, () => this.device.pr.preempt(params, this.#options));
    } else {
      await this.#out(`PREEMPT AND ABORT of ${hexKey(peerKey)}`, () =>
        this.device.pr.preemptAndAbort(params, this.#options),
      );
    }
  }

  /** Releases the reservation if this node holds it, then unregisters its key. */
  async leave(): Promise<void> {
    const s = await this.status();
    if (!s.registered) return;
    if (s.reservation !== undefined && s.reservation.key === this.key) {
      const type = s.reservation.type;
      await this.#out('RELEASE', () => this.device.pr.release({ key: this.key, type }, this.#options));
    }
    await this.#out('UNREGISTER', () =>
      this.device.pr.register({ key: this.key, newKey: 0n }, this.#options),
    );
  }

  /**
   * Runs one PR OUT. A UNIT ATTENTION means the device did not execute it (other nodes' changes
   * are reported that way), so it is sent again; NOT READY is checked against the device's state
   * (LIO may apply the change and still answer NOT READY). A RESERVATION CONFLICT is explained.
   */
  async #out(what: string, send: () => Promise<void>): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await send();
        return;
      } catch (e) {
        if (e instanceof CheckConditionError && e.senseKey === SENSE_KEY.UNIT_ATTENTION && attempt < 3)
          continue;
        if (e instanceof CheckConditionError && e.senseKey === SENSE_KEY.NOT_READY) {
          if (await this.#applied(what)) return;
        }
        if (e instanceof ScsiStatusError && e.status === SAM_STATUS.RESERVATION_CONFLICT) {
          throw new ScsiStatusError(e.command, e.result, {
            explanation: await this.#explain(what),
            cause: e,
          });
        }
        throw e;
      }
    }
  }

  /** After a NOT READY: did the change take effect anyway? Only register/unregister can tell. */
  async #applied(what: string): Promise<boolean> {
    try {
      const s = await this.status();
      if (what === 'REGISTER AND IGNORE EXISTING KEY') return s.registered;
      if (what === 'UNREGISTER') return !s.registered;
      if (what === 'RESERVE') return s.holder;
      return false;
    } catch {
      return false;
    }
  }

  async #explain(what: string): Promise<string> {
    let s: FenceStatus;
    try {
      s = await this.status();
    } catch {
      return `${what} refused; the reservation state could not be read`;
    }
    const me = hexKey(this.key);
    if (!s.registered) {
      return `${what} refused: this node's key ${me} is not registered (another node has fenced it off, or it never joined)`;
    }
    if (s.reservation !== undefined && s.reservation.key !== this.key) {
      return `${what} refused: node ${hexKey(s.reservation.key)} holds a ${s.reservation.typeName} reservation`;
    }
    return `${what} refused by the device (registered keys: ${s.registeredKeys.map(hexKey).join(', ') || 'none'})`;
  }
}

/**
 * SAT: ATA commands through ATA PASS-THROUGH(16), for disks behind a SATL, as plain functions over
 * the funnel, and `device.ata`, which binds them.
 */
import {
  type AtaIdentifyData,
  type AtaRegisters,
  type AtaSmartData,
  type AtaSmartThresholds,
  ataRegistersFromSense,
  buildAtaIdentifyDevice,
  buildAtaSmartReadData,
  buildAtaSmartReadThresholds,
  buildAtaSmartReturnStatus,
  DecodeError,
  decodeAtaIdentify,
  decodeAtaSmartData,
  decodeAtaSmartThresholds,
  decodeSense,
  type SmartStatus,
  smartStatusFromRegisters,
} from '@scsikit/cdb';
import { CheckConditionError } from '../errors.js';
import type { CommandOptions, CommandRunner } from '../funnel.js';

export async function identify(runner: CommandRunner, options?: CommandOptions): Promise<AtaIdentifyData> {
  return decodeAtaIdentify((await runner.run(buildAtaIdentifyDevice(), options)).data);
}

export async function smartData(runner: CommandRunner, options?: CommandOptions): Promise<AtaSmartData> {
  return decodeAtaSmartData((await runner.run(buildAtaSmartReadData(), options)).data);
}

export async function smartThresholds(
  runner: CommandRunner,
  options?: CommandOptions,
): Promise<AtaSmartThresholds> {
  return decodeAtaSmartThresholds((await runner.run(buildAtaSmartReadThresholds(), options)).data);
}

/** SMART READ DATA annotated with SMART READ THRESHOLDS (threshold, failingNow, whenFailed per attribute). */
export async function smartAttributes(
  runner: CommandRunner,
  options?: CommandOptions,
): Promise<AtaSmartData> {
  const thresholds = await smartThresholds(runner, options);
  return decodeAtaSmartData((await runner.run(buildAtaSmartReadData(), options)).data, thresholds);
}

const PASS_THROUGH = { passThrough: true } as const;

/** SMART RETURN STATUS's verdict and the registers it came in. */
export interface SmartReturnStatus {
  /** 'ok' (LBA mid/high 4Fh/C2h) or 'thresholdExceeded' (F4h/2Ch: the drive predicts its failure). */
  readonly status: SmartStatus;
  readonly registers: AtaRegisters;
}

/**
 * SMART RETURN STATUS with CK_COND: the SATL answers CHECK CONDITION, RECOVERED ERROR, 00h/1Dh with
 * the registers in the sense data (either format), which is the success path here. Rejects with
 * DecodeError when the answer carries no registers (a SATL that ignored CK_COND) or registers that
 * are neither verdict (SMART disabled: the drive aborted), and with the CheckConditionError itself
 * when the sense has no registers (no SATL: ILLEGAL REQUEST, invalid operation code …).
 */
export async function smartReturnStatus(
  runner: CommandRunner,
  options?: CommandOptions,
): Promise<SmartReturnStatus> {
  let registers: AtaRegisters | undefined;
  try {
    const r = await runner.run(buildAtaSmartReturnStatus(), options);
    registers = r.sense.length === 0 ? undefined : ataRegistersFromSense(decodeSense(r.sense), PASS_THROUGH);
    if (registers === undefined) {
      throw new DecodeError('ataRegisters', 'GOOD without the ATA registers: the SATL ignored CK_COND');
    }
  } catch (e) {
    if (!(e instanceof CheckConditionError)) throw e;
    registers = ataRegistersFromSense(e.sense, PASS_THROUGH);
    if (registers === undefined) throw e;
  }
  return { status: smartStatusFromRegisters(registers), registers };
}

/** `device.ata`: ATA commands for a SATA disk behind a SAT layer (read-class; no IMMED, no retry surprises). */
export class AtaCommands {
  readonly #runner: CommandRunner;

  /** @internal Created by Device. */
  constructor(runner: CommandRunner) {
    this.#runner = runner;
  }

  /** IDENTIFY DEVICE (ECh), decoded: model, serial, firmware, capacity, feature support. */
  identify(options?: CommandOptions): Promise<AtaIdentifyData> {
    return identify(this.#runner, options);
  }

  /** SMART READ DATA (B0h/D0h), decoded attributes. */
  smartData(options?: CommandOptions): Promise<AtaSmartData> {
    return smartData(this.#runner, options);
  }

  /** SMART READ THRESHOLDS (B0h/D1h): the threshold of each attribute. */
  smartThresholds(options?: CommandOptions): Promise<AtaSmartThresholds> {
    return smartThresholds(this.#runner, options);
  }

  /** SMART READ THRESHOLDS then SMART READ DATA: attributes with threshold and WHEN_FAILED (smartctl -A). */
  smartAttributes(options?: CommandOptions): Promise<AtaSmartData> {
    return smartAttributes(this.#runner, options);
  }

  /**
   * SMART RETURN STATUS (B0h/DAh) with CK_COND: 'ok' or 'thresholdExceeded' (smartctl -H's
   * PASSED/FAILED). Read-class (see the registry's ATA PASS-THROUGH classify): works read-only.
   */
  smartReturnStatus(options?: CommandOptions): Promise<SmartReturnStatus> {
    return smartReturnStatus(this.#runner, options);
  }
}

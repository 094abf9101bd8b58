/**
 * SAT: ATA commands through ATA PASS-THROUGH(16), for disks behind a SATL, as plain functions over
 * the funnel, and `device.ata`, which binds them.
 */
import {
  type AtaIdentifyData,
  type AtaSmartData,
  buildAtaIdentifyDevice,
  buildAtaSmartReadData,
  decodeAtaIdentify,
  decodeAtaSmartData,
} from '@scsikit/cdb';
import type { CommandOptions, CommandRunner } from '../funnel.js';

export async function identify(runner: CommandRunner, options?: CommandOptions): Promise<AtaIdentifyData> {
  return decodeAtaIdentify((await runner.run(buildAtaIdentifyDevice(), options)).data);
}

export async function smartData(runner: CommandRunner, options?: CommandOptions): Promise<AtaSmartData> {
  return decodeAtaSmartData((await runner.run(buildAtaSmartReadData(), options)).data);
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
}

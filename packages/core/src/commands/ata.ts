/** SAT: ATA commands through ATA PASS-THROUGH(16), for disks behind a SATL (`device.ata.*`). */
import {
  type AtaIdentifyData,
  type AtaSmartData,
  buildAtaIdentifyDevice,
  buildAtaSmartReadData,
  decodeAtaIdentify,
  decodeAtaSmartData,
} from '@scsikit/cdb';
import type { CommandOptions, CommandRunner } from '../device.js';

/** `device.ata`: ATA commands for a SATA disk behind a SAT layer (read-class; no IMMED, no retry surprises). */
export class AtaCommands {
  readonly #runner: CommandRunner;

  /** @internal Created by Device. */
  constructor(runner: CommandRunner) {
    this.#runner = runner;
  }

  /** IDENTIFY DEVICE (ECh), decoded: model, serial, firmware, capacity, feature support. */
  async identify(options?: CommandOptions): Promise<AtaIdentifyData> {
    return decodeAtaIdentify((await this.#runner.run(buildAtaIdentifyDevice(), options)).data);
  }

  /** SMART READ DATA (B0h/D0h), decoded attributes. */
  async smartData(options?: CommandOptions): Promise<AtaSmartData> {
    return decodeAtaSmartData((await this.#runner.run(buildAtaSmartReadData(), options)).data);
  }
}

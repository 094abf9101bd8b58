/**
 * `EmulatedEnclosure`: an in-process SCSI enclosure services device (SES-4, peripheral device type
 * 0Dh): device slots, power supplies, fans, temperature and voltage sensors, an alarm, the ESC
 * electronics, answering the diagnostic pages a JBOD's SES processor does. No Linux kernel target
 * answers SES pages (scsi_debug has no RECEIVE DIAGNOSTIC RESULTS), so enclosure code is tested here.
 */
import { z } from 'zod';
import { EmulatedDiskOptionsError } from './disk-model.js';
import { EmulatedDisk } from './emulated-disk.js';
import { defaultEnclosureTypes, EnclosureModel, sesCommands } from './ses-handlers.js';

export interface EmulatedEnclosureOptions {
  /** Device slots. @default 12 */
  readonly slots?: number;
  /** INQUIRY identity (and the Configuration page's). @default 'SCSIKIT', 'EMULATED JBOD' */
  readonly vendor?: string;
  readonly product?: string;
}

export const EmulatedEnclosureOptionsSchema: z.ZodType<EmulatedEnclosureOptions> = z.strictObject({
  slots: z.number().int().min(1).max(255).exactOptional(),
  vendor: z.string().max(8).exactOptional(),
  product: z.string().max(16).exactOptional(),
});

/**
 * An enclosure on the emulated disk's machinery. `capabilities.peripheralType` is 0Dh; SEND
 * DIAGNOSTIC is write-class, so setting an LED needs a device opened with `{ write: true }`.
 *
 * @example
 * const jbod = new EmulatedEnclosure({ slots: 24 });
 * const dev = await openDevice(jbod, { write: true });
 * await dev.enclosure.setIdent(3, true);
 */
export class EmulatedEnclosure extends EmulatedDisk {
  /** The elements' states, for tests to break a fan or pull a power supply; `changeConfiguration()`. */
  readonly model: EnclosureModel;

  constructor(options: EmulatedEnclosureOptions = {}) {
    const parsed = EmulatedEnclosureOptionsSchema.safeParse(options);
    if (!parsed.success)
      throw new EmulatedDiskOptionsError(
        parsed.error.issues.map((i) => ({
          path: i.path.join('.'),
          message: `${i.path.join('.')}: ${i.message}`,
        })),
      );
    const vendor = options.vendor ?? 'SCSIKIT';
    const product = options.product ?? 'EMULATED JBOD';
    const model = new EnclosureModel(defaultEnclosureTypes(options.slots ?? 12), vendor, product);
    super(
      { capacity: { blocks: 1 }, vendor, product },
      { peripheralType: 0x0d, commands: sesCommands(model) },
    );
    this.model = model;
  }
}

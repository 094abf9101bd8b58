/**
 * `EmulatedChanger`: an in-process SCSI media changer (SMC-3, peripheral device type 08h) — a tape
 * library's robot with a picker, storage slots, mail slots and drives, and barcoded cartridges.
 * No Linux kernel target emulates a changer (scsi_debug and LIO answer neither READ ELEMENT
 * STATUS nor MOVE MEDIUM), so this is what changer code is tested against.
 */
import { z } from 'zod';
import { EmulatedDiskOptionsError } from './disk-model.js';
import { EmulatedDisk } from './emulated-disk.js';
import { ChangerModel, smcCommands } from './smc-handlers.js';

export interface EmulatedChangerOptions {
  /** Storage slots. @default 10 */
  readonly slots?: number;
  /** Data transfer elements (drives). @default 2 */
  readonly drives?: number;
  /** Import/export elements (mail slots). @default 1 */
  readonly mailSlots?: number;
  /** Medium transport elements (pickers). @default 1 */
  readonly transports?: number;
  /** Barcodes of the cartridges in slots 0, 1, … (an empty string leaves the slot empty). @default 6 cartridges, VOL001L8… */
  readonly cartridges?: readonly string[];
  /** Barcodes of cartridges an operator put in the mail slots 0, 1, … @default none */
  readonly mailCartridges?: readonly string[];
  /** First element address of each type. @default transport 1, drives 0x100, mail slots 0x200, slots 0x1000 */
  readonly firstAddress?: {
    readonly transport?: number;
    readonly drive?: number;
    readonly mailSlot?: number;
    readonly slot?: number;
  };
  /** INQUIRY identity. @default 'SCSIKIT', 'EMULATED LIBRARY' */
  readonly vendor?: string;
  readonly product?: string;
}

const count = (max: number) => z.number().int().min(0).max(max);
const address = z.number().int().min(0).max(0xffff);

export const EmulatedChangerOptionsSchema: z.ZodType<EmulatedChangerOptions> = z.strictObject({
  slots: count(4096).exactOptional(),
  drives: count(256).exactOptional(),
  mailSlots: count(256).exactOptional(),
  transports: count(16).exactOptional(),
  cartridges: z.array(z.string().max(32)).exactOptional(),
  mailCartridges: z.array(z.string().max(32)).exactOptional(),
  firstAddress: z
    .strictObject({
      transport: address.exactOptional(),
      drive: address.exactOptional(),
      mailSlot: address.exactOptional(),
      slot: address.exactOptional(),
    })
    .exactOptional(),
  vendor: z.string().max(8).exactOptional(),
  product: z.string().max(16).exactOptional(),
});

const optionError = (message: string) => new EmulatedDiskOptionsError([{ path: '', message }]);

const DEFAULT_CARTRIDGES = ['VOL001L8', 'VOL002L8', 'VOL003L8', 'VOL004L8', 'VOL005L8', 'CLN001CU'];

function modelOf(options: EmulatedChangerOptions): ChangerModel {
  const parsed = EmulatedChangerOptionsSchema.safeParse(options);
  if (!parsed.success)
    throw new EmulatedDiskOptionsError(
      parsed.error.issues.map((i) => ({
        path: i.path.join('.'),
        message: `${i.path.join('.')}: ${i.message}`,
      })),
    );
  const f = options.firstAddress ?? {};
  const layout = {
    transports: options.transports ?? 1,
    slots: options.slots ?? 10,
    mailSlots: options.mailSlots ?? 1,
    drives: options.drives ?? 2,
    firstTransport: f.transport ?? 1,
    firstSlot: f.slot ?? 0x1000,
    firstMailSlot: f.mailSlot ?? 0x200,
    firstDrive: f.drive ?? 0x100,
  };
  const ranges = [
    [layout.firstTransport, layout.transports],
    [layout.firstSlot, layout.slots],
    [layout.firstMailSlot, layout.mailSlots],
    [layout.firstDrive, layout.drives],
  ] as const;
  for (const [i, [a, n]] of ranges.entries()) {
    if (a + n > 0x10000) throw optionError('element addresses must stay below 10000h');
    for (const [j, [b, m]] of ranges.entries())
      if (i !== j && n > 0 && m > 0 && a < b + m && b < a + n)
        throw optionError('element address ranges overlap');
  }
  const cartridges = options.cartridges ?? DEFAULT_CARTRIDGES.slice(0, layout.slots);
  const mail = options.mailCartridges ?? [];
  if (cartridges.length > layout.slots) throw optionError('more cartridges than slots');
  if (mail.length > layout.mailSlots) throw optionError('more mail cartridges than mail slots');
  const filled = (tags: readonly string[]) => new Map([...tags.entries()].filter(([, t]) => t !== ''));
  return new ChangerModel(layout, filled(cartridges), filled(mail));
}

/**
 * A media changer on the emulated disk's machinery (dispatch, sense, connections, faults,
 * recorder). `capabilities.peripheralType` is 08h, so core's read-only guard classifies CDBs by
 * SMC's command set (07h is INITIALIZE ELEMENT STATUS here, not REASSIGN BLOCKS).
 *
 * @example
 * const changer = new EmulatedChanger({ slots: 20, drives: 2, cartridges: ['A00001L8'] });
 * const dev = await openDevice(changer, { write: true });
 * await dev.changer.move(0x1000, 0x100);
 */
export class EmulatedChanger extends EmulatedDisk {
  /** The elements and cartridges, for tests to inspect or rearrange (an operator's hands). */
  readonly model: ChangerModel;

  constructor(options: EmulatedChangerOptions = {}) {
    const model = modelOf(options);
    super(
      {
        capacity: { blocks: 1 },
        vendor: options.vendor ?? 'SCSIKIT',
        product: options.product ?? 'EMULATED LIBRARY',
      },
      { peripheralType: 0x08, commands: smcCommands(model) },
    );
    this.model = model;
  }
}

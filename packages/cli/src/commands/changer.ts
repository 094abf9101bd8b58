/**
 * `changer`: a media changer (SMC-3), mtx's actions: status (READ ELEMENT STATUS, printed like
 * `mtx status`), move SRC DST (MOVE MEDIUM) and inventory (INITIALIZE ELEMENT STATUS). move and
 * inventory change the library and need --write.
 */
import type { ElementDescriptor } from '@scsikit/cdb';
import type { Device } from '@scsikit/core';
import { Argument } from 'commander';
import { z } from 'zod';
import { type Output, parseIntIn } from '../context.js';
import { UsageError } from '../errors.js';
import { byte, successSchema, uint } from '../json.js';
import { type Cli, type CommonOpts, gate } from '../registration.js';

const CHANGER_ACTIONS = ['status', 'move', 'inventory'] as const;
type ChangerAction = (typeof CHANGER_ACTIONS)[number];

const elementSchema = z.looseObject({
  elementAddress: uint,
  elementType: z.number().int(),
  elementTypeName: z.string(),
  full: z.boolean(),
  except: z.boolean(),
  access: z.boolean().optional(),
  impExp: z.boolean().optional(),
  additionalSenseCode: byte,
  additionalSenseCodeQualifier: byte,
  sValid: z.boolean(),
  invert: z.boolean(),
  sourceStorageElementAddress: uint,
  primaryVolumeTag: z.object({ volumeIdentifier: z.string(), volumeSequenceNumber: uint }).optional(),
  alternateVolumeTag: z.object({ volumeIdentifier: z.string(), volumeSequenceNumber: uint }).optional(),
});

export const changerSchema = successSchema('changer', {
  action: z.enum(CHANGER_ACTIONS),
  /** status: the elements, in the order the changer reported them. */
  firstElementAddressReported: uint.optional(),
  numberOfElementsAvailable: uint.optional(),
  elements: z.array(elementSchema).optional(),
  /** move: the addresses used. */
  source: uint.optional(),
  destination: uint.optional(),
  done: z.boolean().optional(),
});

const hex = (n: number) => `0x${n.toString(16)}`;

/** mtx numbers storage then import/export elements 1, 2, … and data transfer elements 0, 1, … */
function mtxNumbers(elements: readonly ElementDescriptor[]): Map<number, number> {
  const slots = [
    ...elements.filter((e) => e.elementType === 2),
    ...elements.filter((e) => e.elementType === 3),
  ];
  return new Map(slots.map((e, i) => [e.elementAddress, i + 1]));
}

function volumeTag(e: ElementDescriptor, sep: string): string {
  const tag = e.primaryVolumeTag?.volumeIdentifier;
  return tag === undefined || tag === '' ? '' : `:VolumeTag${sep}${tag}`;
}

/** `mtx status`'s lines, each with the element address mtx leaves out (MOVE MEDIUM takes addresses). */
export function changerStatusText(device: string, elements: readonly ElementDescriptor[]): string {
  const slot = mtxNumbers(elements);
  const drives = elements.filter((e) => e.elementType === 4);
  // mtx's order: storage slots, then the import/export (mail) slots numbered after them.
  const storage = [
    ...elements.filter((e) => e.elementType === 2),
    ...elements.filter((e) => e.elementType === 3),
  ];
  const mail = elements.filter((e) => e.elementType === 3).length;
  const lines = [
    `  Storage Changer ${device}:${drives.length} Drives, ${storage.length} Slots ( ${mail} Import/Export )`,
  ];
  const state = (e: ElementDescriptor) => (e.full ? 'Full' : 'Empty');
  const except = (e: ElementDescriptor) =>
    e.except
      ? ` [exception ASC=${e.additionalSenseCode.toString(16).padStart(2, '0')}h ASCQ=${e.additionalSenseCodeQualifier.toString(16).padStart(2, '0')}h]`
      : '';
  for (const [i, e] of drives.entries()) {
    const from = e.sValid ? slot.get(e.sourceStorageElementAddress) : undefined;
    const loaded = !e.full
      ? ''
      : from === undefined
        ? ' (Unknown Storage Element Loaded)'
        : ` (Storage Element ${from} Loaded)`;
    lines.push(
      `Data Transfer Element ${i}:${state(e)}${loaded}${volumeTag(e, ' = ')}${except(e)}  [${hex(e.elementAddress)}]`,
    );
  }
  for (const e of storage) {
    const ie = e.elementType === 3 ? ' IMPORT/EXPORT' : '';
    const full = e.full ? 'Full ' : 'Empty';
    lines.push(
      `      Storage Element ${slot.get(e.elementAddress)}${ie}:${full}${volumeTag(e, '=')}${except(e)}  [${hex(e.elementAddress)}]`,
    );
  }
  for (const e of elements.filter((x) => x.elementType === 1)) {
    lines.push(
      `  Medium Transport Element:${state(e)}${volumeTag(e, '=')}${except(e)}  [${hex(e.elementAddress)}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function changerCommand(
  dev: Device,
  device: string,
  action: ChangerAction,
  args: { source?: number; destination?: number },
): Promise<Output> {
  switch (action) {
    case 'status': {
      const s = await dev.changer.elementStatus();
      return {
        body: {
          action,
          firstElementAddressReported: s.firstElementAddressReported,
          numberOfElementsAvailable: s.numberOfElementsAvailable,
          elements: s.elements,
        },
        text: changerStatusText(device, s.elements),
      };
    }
    case 'move': {
      const { source, destination } = args;
      if (source === undefined || destination === undefined)
        throw new UsageError('changer move needs SRC and DST element addresses');
      await dev.changer.move(source, destination);
      return {
        body: { action, source, destination, done: true },
        text: `Moving medium from element ${hex(source)} to element ${hex(destination)}...done\n`,
      };
    }
    case 'inventory':
      await dev.changer.initializeElementStatus();
      return { body: { action, done: true }, text: 'Inventory (INITIALIZE ELEMENT STATUS) done\n' };
  }
}

const address = (what: string) => (v: string) => parseIntIn(v, what, 0, 0xffff);

/** Registers changer. */
export function registerChangerCommands({ runner, deviceCommand }: Cli): void {
  deviceCommand(
    'changer',
    'media changer (mtx): status, move SRC DST, inventory; move and inventory need --write',
  )
    .addArgument(new Argument('<action>', `one of ${CHANGER_ACTIONS.join(', ')}`).choices(CHANGER_ACTIONS))
    .addArgument(
      new Argument('[src]', 'move: source element address (as status prints it)').argParser(address('SRC')),
    )
    .addArgument(new Argument('[dst]', 'move: destination element address').argParser(address('DST')))
    .option('-w, --write', 'allow move and inventory (they change the library)')
    .action(
      (
        device: string,
        action: ChangerAction,
        source: number | undefined,
        destination: number | undefined,
        opts: CommonOpts & { write?: boolean },
      ) => {
        const writes = action !== 'status';
        return gate(
          runner,
          'changer',
          { ...opts, write: writes ? opts.write === true : true },
          () =>
            runner.device('changer', device, opts, writes, (dev) =>
              changerCommand(dev, device, action, {
                ...(source === undefined ? {} : { source }),
                ...(destination === undefined ? {} : { destination }),
              }),
            ),
          `changer ${action}`,
        );
      },
    );
}

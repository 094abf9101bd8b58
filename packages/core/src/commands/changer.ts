/**
 * Media changers (SMC-3) as plain functions over the funnel, and `device.changer`, which binds them:
 * READ ELEMENT STATUS (read-class), MOVE MEDIUM and INITIALIZE ELEMENT STATUS (write-class: they
 * need `{ write: true }`; the guard classifies them by the changer's device type, 08h), and the
 * Element Address Assignment mode page.
 */
import {
  buildInitializeElementStatus,
  buildInitializeElementStatusWithRange,
  buildMoveMedium,
  buildReadElementStatus,
  DecodeError,
  decodeElementAddressAssignmentPage,
  decodeElementStatus,
  type ElementAddressAssignmentPage,
  type ElementDescriptor,
  type ElementStatusData,
  type ElementTypeName,
} from '@scsikit/cdb';
import { type CommandOptions, type CommandRunner, type Funnel, readDecoded } from '../funnel.js';
import { modeSense } from '../spc.js';

export interface ElementStatusOptions extends CommandOptions {
  /** Element type to report. @default 'all' */
  readonly type?: ElementTypeName | number;
  /** First element address to report. @default 0 */
  readonly start?: number;
  /** At most this many elements. @default 0xffff */
  readonly count?: number;
  /** Report volume tags (barcodes). @default true */
  readonly volumeTags?: boolean;
  /** DVCID: device identifiers of the data transfer elements. @default false */
  readonly deviceIds?: boolean;
  /** CURDATA: answer from current data, without moving anything. @default false */
  readonly currentData?: boolean;
}

/** The changer's answer, with every page's elements in one list too. */
export interface ElementStatus extends ElementStatusData {
  /** The descriptors of every page, in the order sent. */
  readonly elements: ElementDescriptor[];
}

/** READ ELEMENT STATUS, sent again with the whole allocation length when the first answer was cut. */
export async function elementStatus(
  runner: CommandRunner,
  options: ElementStatusOptions = {},
): Promise<ElementStatus> {
  const data = await readDecoded(
    runner,
    (allocationLength) =>
      buildReadElementStatus({
        elementType: options.type ?? 'all',
        volTag: options.volumeTags ?? true,
        startingElementAddress: options.start ?? 0,
        numberOfElements: options.count ?? 0xffff,
        ...(options.currentData === undefined ? {} : { curData: options.currentData }),
        ...(options.deviceIds === undefined ? {} : { dvcid: options.deviceIds }),
        allocationLength,
      }),
    decodeElementStatus,
    4096,
    0xff_ffff,
    options,
  );
  return { ...data, elements: data.pages.flatMap((p) => p.elements) };
}

export interface MoveOptions extends CommandOptions {
  /** Medium transport element to use; 0 lets the changer pick. @default 0 */
  readonly transport?: number;
  /** Turn the medium over on the way. @default false */
  readonly invert?: boolean;
}

/** MOVE MEDIUM from `source` to `destination` (element addresses). Never retried unless asked. */
export async function moveMedium(
  runner: CommandRunner,
  source: number,
  destination: number,
  options: MoveOptions = {},
): Promise<void> {
  await runner.run(
    buildMoveMedium({
      sourceAddress: source,
      destinationAddress: destination,
      ...(options.transport === undefined ? {} : { transportElementAddress: options.transport }),
      ...(options.invert === undefined ? {} : { invert: options.invert }),
    }),
    options,
  );
}

export interface InitializeOptions extends CommandOptions {
  /** Only these elements (INITIALIZE ELEMENT STATUS WITH RANGE). */
  readonly range?: { readonly start: number; readonly count: number };
  /** WITH RANGE's FAST: check for media only, skip the labels. @default false */
  readonly fast?: boolean;
}

/** INITIALIZE ELEMENT STATUS (an inventory), or WITH RANGE when `range` or `fast` is given. */
export async function initializeElementStatus(
  runner: CommandRunner,
  options: InitializeOptions = {},
): Promise<void> {
  const spec =
    options.range === undefined && options.fast === undefined
      ? buildInitializeElementStatus()
      : buildInitializeElementStatusWithRange({
          ...(options.fast === undefined ? {} : { fast: options.fast }),
          ...(options.range === undefined
            ? {}
            : {
                range: true,
                startingElementAddress: options.range.start,
                numberOfElements: options.range.count,
              }),
        });
  await runner.run(spec, options);
}

/** The Element Address Assignment mode page (1Dh): first address and count of each element type. */
export async function addressAssignment(
  f: Funnel,
  options: CommandOptions = {},
): Promise<ElementAddressAssignmentPage> {
  const params = await modeSense(f, 0x1d, options);
  const page = params.pages.find((p) => p.pageCode === 0x1d);
  if (page === undefined)
    throw new DecodeError('elementAddressAssignment', 'the changer returned no page 1Dh');
  return decodeElementAddressAssignmentPage(page.raw);
}

/**
 * `device.changer`: a media changer's elements (SMC-3). MOVE MEDIUM and INITIALIZE ELEMENT STATUS
 * are write-class: on a device opened read-only they reject with ReadOnlyError before anything is
 * sent. Errors the changer reports (source empty 3Bh/0Eh, destination full 3Bh/0Dh, invalid
 * address 21h/01h) reject with CheckConditionError.
 */
export class ChangerCommands {
  readonly #f: Funnel;

  /** @internal Created by Device. */
  constructor(f: Funnel) {
    this.#f = f;
  }

  /** READ ELEMENT STATUS: every element (or one type / a range) with its state and volume tags. */
  elementStatus(options: ElementStatusOptions = {}): Promise<ElementStatus> {
    return elementStatus(this.#f, options);
  }

  /** MOVE MEDIUM from one element address to another. */
  move(source: number, destination: number, options?: MoveOptions): Promise<void> {
    return moveMedium(this.#f, source, destination, options);
  }

  /** INITIALIZE ELEMENT STATUS (WITH RANGE when `range` or `fast` is given). */
  initializeElementStatus(options?: InitializeOptions): Promise<void> {
    return initializeElementStatus(this.#f, options);
  }

  /** MODE SENSE page 1Dh decoded: where each element type's addresses start and how many there are. */
  addressAssignment(options?: CommandOptions): Promise<ElementAddressAssignmentPage> {
    return addressAssignment(this.#f, options);
  }
}

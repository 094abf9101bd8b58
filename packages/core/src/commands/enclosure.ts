/**
 * Enclosure services (SES-4) as plain functions over the funnel, and `device.enclosure`, which binds
 * them: the diagnostic pages read with RECEIVE DIAGNOSTIC RESULTS, a joined view of every element
 * (type, index, descriptor text, status), and the IDENT / FAULT requests of a slot sent with SEND
 * DIAGNOSTIC (write-class: needs `{ write: true }`).
 */
import {
  buildEnclosureControlPage,
  buildReceiveDiagnosticResults,
  buildSendDiagnostic,
  decodeSesAdditionalElementStatus,
  decodeSesConfiguration,
  decodeSesElementDescriptors,
  decodeSesEnclosureStatus,
  decodeSupportedDiagnosticPages,
  type SesAdditionalElementStatus,
  type SesConfiguration,
  type SesElementDescriptors,
  type SesEnclosureStatus,
  type SesStatusElement,
  slotControl,
} from '@scsikit/cdb';
import { type CommandOptions, type CommandRunner, readDecoded } from '../funnel.js';

type Decoded = { readonly truncated?: boolean; readonly requiredLength?: number };

/** RECEIVE DIAGNOSTIC RESULTS with PCV for one page, sent again whole when cut. */
export function receivePage<T extends Decoded>(
  runner: CommandRunner,
  pageCode: number,
  decode: (b: Uint8Array) => T,
  options?: CommandOptions,
): Promise<T> {
  return readDecoded(
    runner,
    (allocationLength) => buildReceiveDiagnosticResults({ pcv: true, pageCode, allocationLength }),
    decode,
    4096,
    0xffff,
    options,
  );
}

/** One element of the joined view (sg_ses --join): where it sits, what it is called, how it is. */
export interface EnclosureElement extends SesStatusElement {
  /** Position of its type in the Configuration page's type list. */
  readonly typeIndex: number;
  /** The Configuration page's text for the type. */
  readonly typeText: string;
  /** The subenclosure the type belongs to (0: the primary). */
  readonly subenclosureIdentifier: number;
  /** The Element Descriptor page's text ('' when the enclosure has none). */
  readonly descriptor: string;
}

/** The Enclosure Status page with every element joined to its type and descriptor text. */
export interface EnclosureStatus extends Omit<SesEnclosureStatus, 'elements'> {
  readonly elements: EnclosureElement[];
}

export async function enclosureStatus(
  runner: CommandRunner,
  options: CommandOptions = {},
): Promise<EnclosureStatus> {
  const config = await receivePage(runner, 0x01, decodeSesConfiguration, options);
  const status = await receivePage(runner, 0x02, (b) => decodeSesEnclosureStatus(b, config.types), options);
  const supported = await receivePage(runner, 0x00, decodeSupportedDiagnosticPages, options);
  const texts = supported.pages.includes(0x07)
    ? (await receivePage(runner, 0x07, (b) => decodeSesElementDescriptors(b, config.types), options))
        .descriptors
    : [];
  // Elements come in the same order in every page: type by type, overall first.
  const typeIndexOf: number[] = [];
  for (const [n, t] of config.types.entries())
    for (let i = 0; i <= t.numberOfPossibleElements; i++) typeIndexOf.push(n);
  const elements = status.elements.map((e, n) => {
    const typeIndex = typeIndexOf[n] ?? 0;
    return {
      ...e,
      typeIndex,
      typeText: config.types[typeIndex]?.text ?? '',
      subenclosureIdentifier: config.types[typeIndex]?.subenclosureIdentifier ?? 0,
      descriptor: texts[n]?.text ?? '',
    };
  });
  return { ...status, elements };
}

export interface SlotSelector extends CommandOptions {
  /** The type's position in the Configuration page's list. @default the first device slot or array device slot type */
  readonly typeIndex?: number;
}

/**
 * Sets or clears RQST IDENT / RQST FAULT on one slot: reads the configuration (for the generation
 * code) and the slot's status (to keep the other request), then sends the Enclosure Control page
 * with only that element selected. A stale generation code is the enclosure's to refuse.
 */
export async function setSlotIndicator(
  runner: CommandRunner,
  index: number,
  change: { ident?: boolean; fault?: boolean },
  options: SlotSelector = {},
): Promise<void> {
  const config = await receivePage(runner, 0x01, decodeSesConfiguration, options);
  const typeIndex =
    options.typeIndex ?? config.types.findIndex((t) => t.elementType === 0x01 || t.elementType === 0x17);
  if (typeIndex < 0) throw new RangeError('the enclosure reports no device slot element type');
  const status = await receivePage(runner, 0x02, (b) => decodeSesEnclosureStatus(b, config.types), options);
  let position = 0;
  for (let n = 0; n < typeIndex; n++) position += 1 + (config.types[n]?.numberOfPossibleElements ?? 0);
  const current = status.elements[position + 1 + index] ?? {};
  const page = buildEnclosureControlPage({
    expectedGenerationCode: config.generationCode,
    types: config.types,
    requests: [{ typeIndex, index, control: slotControl(current, change) }],
  });
  await runner.run(buildSendDiagnostic({ pf: true, parameterListLength: page.length }), {
    ...options,
    data: page,
  });
}

/**
 * `device.enclosure`: an enclosure services device (SES-4, peripheral type 0Dh). Reading is
 * read-class; `setIdent` / `setFault` send SEND DIAGNOSTIC and need `{ write: true }`.
 */
export class EnclosureCommands {
  readonly #runner: CommandRunner;

  /** @internal Created by Device. */
  constructor(runner: CommandRunner) {
    this.#runner = runner;
  }

  /** Supported Diagnostic Pages (00h): the page codes. */
  async pages(options?: CommandOptions): Promise<number[]> {
    return (await receivePage(this.#runner, 0x00, decodeSupportedDiagnosticPages, options)).pages;
  }

  /** Configuration (01h): enclosure descriptors, type descriptor headers and texts, generation code. */
  configuration(options?: CommandOptions): Promise<SesConfiguration> {
    return receivePage(this.#runner, 0x01, decodeSesConfiguration, options);
  }

  /** Every element joined: type, index, descriptor text, status and its per-type fields. */
  status(options?: CommandOptions): Promise<EnclosureStatus> {
    return enclosureStatus(this.#runner, options);
  }

  /** Element Descriptor (07h): the element names. */
  async elementDescriptors(options?: CommandOptions): Promise<SesElementDescriptors> {
    const config = await this.configuration(options);
    return receivePage(this.#runner, 0x07, (b) => decodeSesElementDescriptors(b, config.types), options);
  }

  /** Additional Element Status (0Ah): SAS addresses of the device slots. */
  additionalStatus(options?: CommandOptions): Promise<SesAdditionalElementStatus> {
    return receivePage(this.#runner, 0x0a, decodeSesAdditionalElementStatus, options);
  }

  /** RQST IDENT on slot `index` (the locate LED). */
  setIdent(index: number, on: boolean, options?: SlotSelector): Promise<void> {
    return setSlotIndicator(this.#runner, index, { ident: on }, options);
  }

  /** RQST FAULT on slot `index` (the fault LED). */
  setFault(index: number, on: boolean, options?: SlotSelector): Promise<void> {
    return setSlotIndicator(this.#runner, index, { fault: on }, options);
  }
}

/**
 * The enclosure model (SES-4) and its commands: RECEIVE DIAGNOSTIC RESULTS for Supported Diagnostic
 * Pages (00h), Configuration (01h), Enclosure Status (02h), Element Descriptor (07h) and Additional
 * Element Status (0Ah), and SEND DIAGNOSTIC applying the Enclosure Control page (02h) after checking
 * its EXPECTED GENERATION CODE.
 */
import { putU16, putU32 } from '@scsikit/cdb';
import { type CommandContext, type CommandDef, dataOut, registered, respond, u16 } from './commands.js';
import { invalidCdbField, invalidParameterField } from './sense.js';

/** One element of the model: its type and the 4 status bytes it reports (status code in byte 0). */
export interface EnclosureElementState {
  readonly type: number;
  /** Position within its type (0-based); -1 for the OVERALL element. */
  readonly index: number;
  readonly status: Uint8Array;
  /** Its Element Descriptor page text. */
  name: string;
}

export interface EnclosureTypeState {
  readonly type: number;
  readonly text: string;
  readonly elements: EnclosureElementState[];
}

const ascii = (text: string, length: number): Uint8Array =>
  new TextEncoder().encode(text.padEnd(length, ' ').slice(0, length));

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export const SUPPORTED_PAGES = [0x00, 0x01, 0x02, 0x07, 0x0a] as const;

export class EnclosureModel {
  readonly types: EnclosureTypeState[];
  /** GENERATION CODE: changes whenever the configuration does (`changeConfiguration()`). */
  generation = 1;
  readonly vendor: string;
  readonly product: string;
  readonly logicalIdentifier: Uint8Array;

  constructor(types: EnclosureTypeState[], vendor: string, product: string) {
    this.types = types;
    this.vendor = vendor;
    this.product = product;
    this.logicalIdentifier = Uint8Array.of(0x50, 0x01, 0x43, 0x80, 0x12, 0x34, 0x56, 0x7f);
  }

  /** The element `index` (0-based) of the type at `typeIndex`. */
  element(typeIndex: number, index: number): EnclosureElementState | undefined {
    return this.types[typeIndex]?.elements[index + 1];
  }

  /** A configuration change (a hot-plugged module): the generation code moves on. */
  changeConfiguration(): void {
    this.generation = (this.generation + 1) >>> 0;
  }

  page(code: number): Uint8Array | undefined {
    switch (code) {
      case 0x00:
        return diagnosticPage(0x00, 0, Uint8Array.from(SUPPORTED_PAGES));
      case 0x01:
        return this.#configuration();
      case 0x02:
        return this.#status();
      case 0x07:
        return this.#descriptors();
      case 0x0a:
        return this.#additional();
      default:
        return undefined;
    }
  }

  #configuration(): Uint8Array {
    const enc = new Uint8Array(40);
    enc[0] = 0x11; // relative ES process 1 of 1
    enc[2] = this.types.length;
    enc[3] = 36;
    enc.set(this.logicalIdentifier, 4);
    enc.set(ascii(this.vendor, 8), 12);
    enc.set(ascii(this.product, 16), 20);
    enc.set(ascii('0100', 4), 36);
    const headers = this.types.map((t) => Uint8Array.of(t.type, t.elements.length - 1, 0, t.text.length));
    const texts = this.types.map((t) => new TextEncoder().encode(t.text));
    return diagnosticPage(0x01, 0, concat([generation(this.generation), enc, ...headers, ...texts]));
  }

  #status(): Uint8Array {
    const all = this.types.flatMap((t) => t.elements);
    const codes = all.map((e) => (e.status[0] ?? 0) & 0x0f);
    const flags =
      (codes.includes(4) ? 0x01 : 0) | (codes.includes(2) ? 0x02 : 0) | (codes.includes(3) ? 0x04 : 0);
    return diagnosticPage(0x02, flags, concat([generation(this.generation), ...all.map((e) => e.status)]));
  }

  #descriptors(): Uint8Array {
    const parts = this.types
      .flatMap((t) => t.elements)
      .map((e) => {
        const text = new TextEncoder().encode(e.name);
        const d = new Uint8Array(4 + text.length);
        putU16(d, 2, text.length);
        d.set(text, 4);
        return d;
      });
    return diagnosticPage(0x07, 0, concat([generation(this.generation), ...parts]));
  }

  /** SAS descriptors (EIP=1, one phy) for the device slots. */
  #additional(): Uint8Array {
    const parts: Uint8Array[] = [];
    let elementIndex = 0;
    for (const t of this.types) {
      for (const e of t.elements) {
        if (e.index < 0) continue;
        if (t.type === 0x01 || t.type === 0x17) {
          const d = new Uint8Array(2 + 2 + 4 + 28);
          d[0] = 0x16; // EIP, protocol 6 (SAS)
          d[1] = d.length - 2;
          d[3] = elementIndex;
          d[4] = 1; // one phy
          d[7] = e.index; // DEVICE SLOT NUMBER
          const phy = 8;
          const installed = ((e.status[0] ?? 0) & 0x0f) !== 5;
          d[phy] = installed ? 0x10 : 0x00; // end device attached
          d[phy + 3] = installed ? 0x08 : 0x00; // SSP target
          putU32(d, phy + 4, 0x5001_4380);
          putU32(d, phy + 8, 0x1234_5600 + e.index); // attached: the expander phy
          if (installed) {
            putU32(d, phy + 12, 0x5000_c500);
            putU32(d, phy + 16, 0x0a00_0000 + e.index);
          }
          d[phy + 20] = e.index;
          parts.push(d);
        }
        elementIndex++;
      }
    }
    return diagnosticPage(0x0a, 0, concat([generation(this.generation), ...parts]));
  }

  /** Applies an Enclosure Control page (validated by the caller for length and generation). */
  applyControl(page: Uint8Array): void {
    let off = 8;
    for (const t of this.types) {
      for (const e of t.elements) {
        const c = page.subarray(off, off + 4);
        off += 4;
        if (((c[0] ?? 0) & 0x80) === 0 || e.index < 0) continue; // SELECT clear: leave it alone
        const s = e.status;
        if (t.type === 0x01 || t.type === 0x17) {
          // RQST IDENT (byte 2 bit 1) → IDENT; RQST FAULT (byte 3 bit 5) → FAULT REQSTD.
          s[2] = ((s[2] ?? 0) & ~0x02) | ((c[2] ?? 0) & 0x02);
          s[3] = ((s[3] ?? 0) & ~0x20) | ((c[3] ?? 0) & 0x20);
        } else {
          s[1] = ((s[1] ?? 0) & ~0x80) | ((c[1] ?? 0) & 0x80); // RQST IDENT → IDENT
        }
      }
    }
  }

  /** Elements in page order, overall ones included: the length a control page must have. */
  get elementCount(): number {
    return this.types.reduce((n, t) => n + t.elements.length, 0);
  }
}

function generation(code: number): Uint8Array {
  const b = new Uint8Array(4);
  putU32(b, 0, code);
  return b;
}

function diagnosticPage(code: number, byte1: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  out[0] = code;
  out[1] = byte1;
  putU16(out, 2, body.length);
  out.set(body, 4);
  return out;
}

function receiveDiagnosticResults(model: EnclosureModel, ctx: CommandContext): number {
  const pcv = ((ctx.cdb[1] ?? 0) & 0x01) !== 0;
  const code = ctx.cdb[2] ?? 0;
  // Without PCV the device returns the page of the last SEND DIAGNOSTIC; the model keeps none, so 00h.
  const page = model.page(pcv ? code : 0x00);
  if (page === undefined) throw invalidCdbField(2);
  return respond(ctx, page, u16(ctx.cdb, 3));
}

/**
 * SEND DIAGNOSTIC: the default self-test and an empty list are GOOD; with PF, only the Enclosure
 * Control page is accepted, whole, and with the current generation code.
 */
function sendDiagnostic(model: EnclosureModel, ctx: CommandContext): number {
  const b1 = ctx.cdb[1] ?? 0;
  const length = u16(ctx.cdb, 3);
  if ((b1 & 0x04) !== 0 || length === 0) return 0;
  if ((b1 & 0x10) === 0) throw invalidCdbField(1, 4);
  const data = dataOut(ctx, length);
  if (data.length < 8 || data[0] !== 0x02) throw invalidParameterField(0);
  if (u16(data, 2) + 4 !== 8 + 4 * model.elementCount || u16(data, 2) + 4 > length)
    throw invalidParameterField(2);
  const expected =
    (((data[4] ?? 0) << 24) | ((data[5] ?? 0) << 16) | ((data[6] ?? 0) << 8) | (data[7] ?? 0)) >>> 0;
  // A stale EXPECTED GENERATION CODE: the page was built for another configuration; nothing is applied.
  if (expected !== model.generation) throw invalidParameterField(4);
  model.applyControl(data);
  return 0;
}

export function sesCommands(model: EnclosureModel): CommandDef[] {
  return [
    {
      ...registered(0x1c, undefined, 0x0d),
      medium: false,
      reserved: { 1: 0xfe },
      run: (_lu, c) => receiveDiagnosticResults(model, c),
    },
    {
      ...registered(0x1d, undefined, 0x0d),
      medium: false,
      reserved: { 1: 0x08, 2: 0xff },
      run: (_lu, c) => sendDiagnostic(model, c),
    },
  ];
}

/** The default enclosure: `slots` device slots, two of each module, sensors with readings. */
export function defaultEnclosureTypes(slots: number): EnclosureTypeState[] {
  const type = (
    code: number,
    text: string,
    names: readonly string[],
    status: (i: number) => readonly number[],
  ): EnclosureTypeState => ({
    type: code,
    text,
    elements: [
      { type: code, index: -1, status: Uint8Array.of(0x01, 0, 0, 0), name: text },
      ...names.map((name, i) => ({ type: code, index: i, status: Uint8Array.from(status(i)), name })),
    ],
  });
  const slotNames = Array.from({ length: slots }, (_, i) => `Slot ${String(i).padStart(2, '0')}`);
  return [
    type(0x01, 'Device Slots', slotNames, (i) => [0x01, i, 0, 0]),
    type(0x02, 'Power Supplies', ['PSU A', 'PSU B'], () => [0x01, 0, 0, 0x20]), // RQSTED ON
    type(0x03, 'Cooling Fans', ['Fan 1', 'Fan 2'], (i) => [0x01, 0x01, i === 0 ? 0xf4 : 0x2c, 0x23]), // 5000 / 3000 rpm
    type(0x04, 'Temperature Sensors', ['Inlet', 'Exhaust'], (i) => [0x01, 0, i === 0 ? 20 + 24 : 20 + 38, 0]),
    type(0x06, 'Audible Alarm', ['Alarm'], () => [0x01, 0, 0, 0]),
    type(0x07, 'ESC Electronics', ['ESC A'], () => [0x01, 0, 0x01, 0x80]),
    type(0x0e, 'Enclosure', ['Chassis'], () => [0x01, 0, 0, 0]),
    type(0x12, 'Voltage Sensors', ['5V', '12V'], (i) =>
      i === 0 ? [0x01, 0, 0x01, 0xf6] : [0x01, 0, 0x04, 0xba],
    ), // 5.02 V, 12.10 V
  ];
}

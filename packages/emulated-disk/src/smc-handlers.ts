/**
 * The media changer model (SMC-3) and its commands: READ ELEMENT STATUS, MOVE MEDIUM, INITIALIZE
 * ELEMENT STATUS (and WITH RANGE), and MODE SENSE(6/10) with the changer's pages: Element Address
 * Assignment (1Dh), Transport Geometry (1Eh), Device Capabilities (1Fh). Errors are the ones a
 * library gives: source empty 3Bh/0Eh, destination full 3Bh/0Dh, invalid element address 21h/01h.
 */
import { putU16, putU24, SENSE_KEY } from '@scsikit/cdb';
import { type CommandContext, type CommandDef, registered, respond, u16, u24 } from './commands.js';
import { CheckCondition, invalidCdbField } from './sense.js';

/** SMC-3 element type codes. */
export const ElementType = { mediumTransport: 1, storage: 2, importExport: 3, dataTransfer: 4 } as const;

export interface ChangerElement {
  readonly type: 1 | 2 | 3 | 4;
  readonly address: number;
  full: boolean;
  /** The barcode of the cartridge it holds. */
  volumeTag: string;
  /** Where the cartridge was last moved from (SVALID when defined). */
  source: number | undefined;
  /** Import/export: put in by an operator (IMPEXP). */
  impExp: boolean;
  /** An abnormal state: ASC/ASCQ reported with EXCEPT. */
  exception: { asc: number; ascq: number } | undefined;
  /** Data transfer element: its serial number, reported with DVCID. */
  readonly serial?: string;
}

/** The first address of each element type; numbers come from the options. */
export interface ChangerLayout {
  readonly transports: number;
  readonly slots: number;
  readonly mailSlots: number;
  readonly drives: number;
  readonly firstTransport: number;
  readonly firstSlot: number;
  readonly firstMailSlot: number;
  readonly firstDrive: number;
}

export class ChangerModel {
  readonly elements: ChangerElement[] = [];
  readonly layout: ChangerLayout;
  /** INITIALIZE ELEMENT STATUS commands run (an inventory each). */
  inventories = 0;

  constructor(
    layout: ChangerLayout,
    cartridges: ReadonlyMap<number, string>,
    mail: ReadonlyMap<number, string>,
  ) {
    this.layout = layout;
    const add = (type: ChangerElement['type'], first: number, n: number) => {
      for (let i = 0; i < n; i++) {
        const address = first + i;
        this.elements.push({
          type,
          address,
          full: false,
          volumeTag: '',
          source: undefined,
          impExp: false,
          exception: undefined,
          ...(type === 4 ? { serial: `DRV${String(i).padStart(5, '0')}` } : {}),
        });
      }
    };
    add(1, layout.firstTransport, layout.transports);
    add(2, layout.firstSlot, layout.slots);
    add(3, layout.firstMailSlot, layout.mailSlots);
    add(4, layout.firstDrive, layout.drives);
    this.elements.sort((a, b) => a.address - b.address);
    for (const [i, tag] of cartridges) this.load(layout.firstSlot + i, tag, false);
    for (const [i, tag] of mail) this.load(layout.firstMailSlot + i, tag, true);
  }

  element(address: number): ChangerElement | undefined {
    return this.elements.find((e) => e.address === address);
  }

  load(address: number, tag: string, byOperator: boolean): void {
    const e = this.element(address);
    if (e === undefined) throw new RangeError(`no element at address ${address}`);
    e.full = true;
    e.volumeTag = tag;
    e.source = undefined;
    e.impExp = byOperator;
  }

  move(transport: number, source: number, destination: number): void {
    if (transport !== 0 && this.element(transport)?.type !== 1) throw invalidElementAddress();
    const from = this.element(source);
    const to = this.element(destination);
    if (from === undefined || to === undefined) throw invalidElementAddress();
    if (!from.full) throw mediumSourceEmpty();
    if (to.full) throw mediumDestinationFull();
    to.full = true;
    to.volumeTag = from.volumeTag;
    // SOURCE STORAGE ELEMENT ADDRESS: the storage (or mail) slot the cartridge left last.
    to.source = from.type === 2 || from.type === 3 ? from.address : from.source;
    to.impExp = false;
    from.full = false;
    from.volumeTag = '';
    from.source = undefined;
    from.impExp = false;
  }
}

/** INVALID ELEMENT ADDRESS (21h/01h). */
export const invalidElementAddress = (): CheckCondition =>
  new CheckCondition({ key: SENSE_KEY.ILLEGAL_REQUEST, asc: 0x21, ascq: 0x01 });
/** MEDIUM SOURCE ELEMENT EMPTY (3Bh/0Eh). */
export const mediumSourceEmpty = (): CheckCondition =>
  new CheckCondition({ key: SENSE_KEY.ILLEGAL_REQUEST, asc: 0x3b, ascq: 0x0e });
/** MEDIUM DESTINATION ELEMENT FULL (3Bh/0Dh). */
export const mediumDestinationFull = (): CheckCondition =>
  new CheckCondition({ key: SENSE_KEY.ILLEGAL_REQUEST, asc: 0x3b, ascq: 0x0d });

const ascii = (text: string, length: number): Uint8Array =>
  new TextEncoder().encode(text.padEnd(length, ' ').slice(0, length));

const ID_LENGTH = 32;

function descriptorLength(type: number, volTag: boolean, dvcid: boolean): number {
  return 12 + (volTag ? 36 : 0) + (type === 4 && dvcid ? 4 + ID_LENGTH : 0);
}

function encodeDescriptor(e: ChangerElement, volTag: boolean, dvcid: boolean): Uint8Array {
  const b = new Uint8Array(descriptorLength(e.type, volTag, dvcid));
  putU16(b, 0, e.address);
  let flags = (e.full ? 0x01 : 0) | (e.exception === undefined ? 0 : 0x04);
  if (e.type !== 1) flags |= 0x08; // ACCESS: the picker reaches every slot, mail slot and drive
  if (e.type === 3) flags |= (e.impExp ? 0x02 : 0) | 0x30; // EXENAB, INENAB
  b[2] = flags;
  b[4] = e.exception?.asc ?? 0;
  b[5] = e.exception?.ascq ?? 0;
  if (e.source !== undefined && e.full) {
    b[9] = 0x80; // SVALID
    putU16(b, 10, e.source);
  }
  if (volTag && e.full) {
    b.set(ascii(e.volumeTag, 32), 12);
  }
  if (e.type === 4 && dvcid) {
    const at = 12 + (volTag ? 36 : 0);
    b[at] = 0x02; // ASCII
    b[at + 1] = 0x00; // vendor specific identifier
    b[at + 3] = ID_LENGTH;
    b.set(ascii(e.serial ?? '', ID_LENGTH), at + 4);
  }
  return b;
}

/** READ ELEMENT STATUS: the elements of the type from the start address, one page per run of a type. */
function readElementStatus(model: ChangerModel, ctx: CommandContext): number {
  const cdb = ctx.cdb;
  const volTag = (cdb[1] ?? 0) & 0x10;
  const type = (cdb[1] ?? 0) & 0x0f;
  const start = u16(cdb, 2);
  const count = u16(cdb, 4);
  const dvcid = ((cdb[6] ?? 0) & 0x01) !== 0;
  const allocationLength = u24(cdb, 7);
  if (type > 4) throw invalidCdbField(1, 3);
  const highest = model.elements.reduce((m, e) => Math.max(m, e.address), 0);
  if (start > highest) throw invalidElementAddress();
  const chosen = model.elements
    .filter((e) => e.address >= start && (type === 0 || e.type === type))
    .slice(0, count);
  const pages: Uint8Array[] = [];
  let i = 0;
  while (i < chosen.length) {
    const t = chosen[i]?.type ?? 0;
    const run: Uint8Array[] = [];
    for (; i < chosen.length && chosen[i]?.type === t; i++) {
      const e = chosen[i];
      if (e !== undefined) run.push(encodeDescriptor(e, volTag !== 0, dvcid));
    }
    const length = descriptorLength(t, volTag !== 0, dvcid);
    const page = new Uint8Array(8 + run.length * length);
    page[0] = t;
    page[1] = volTag !== 0 ? 0x80 : 0; // PVOLTAG; no alternate tags
    putU16(page, 2, length);
    putU24(page, 5, run.length * length);
    for (const [n, d] of run.entries()) page.set(d, 8 + n * length);
    pages.push(page);
  }
  const body = pages.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(8 + body);
  putU16(out, 0, chosen[0]?.address ?? start);
  putU16(out, 2, chosen.length);
  putU24(out, 5, body);
  let off = 8;
  for (const p of pages) {
    out.set(p, off);
    off += p.length;
  }
  return respond(ctx, out, allocationLength);
}

/** The changer's mode pages, as MODE SENSE returns them (changeable values: all zero). */
function changerPages(model: ChangerModel, changeable: boolean): Map<number, Uint8Array> {
  const l = model.layout;
  const eaa = new Uint8Array(20);
  eaa[0] = 0x1d;
  eaa[1] = 0x12;
  const t = new Uint8Array(2 + 2 * l.transports);
  t[0] = 0x1e;
  t[1] = 2 * l.transports;
  const caps = new Uint8Array(20);
  caps[0] = 0x1f;
  caps[1] = 0x12;
  if (!changeable) {
    for (const [off, first, n] of [
      [2, l.firstTransport, l.transports],
      [6, l.firstSlot, l.slots],
      [10, l.firstMailSlot, l.mailSlots],
      [14, l.firstDrive, l.drives],
    ] as const) {
      putU16(eaa, off, first);
      putU16(eaa, off + 2, n);
    }
    caps[2] = 0x0e; // StorST, StorI/E, StorDT
    caps.fill(0x0e, 4, 8); // MOVE MEDIUM from every type to storage, import/export, data transfer
  }
  return new Map([
    [0x1d, eaa],
    [0x1e, t],
    [0x1f, caps],
  ]);
}

/** MODE SENSE(6/10) of a changer: no block descriptors, pages 1Dh-1Fh (3Fh: all). */
function modeSense(model: ChangerModel, ctx: CommandContext, ten: boolean): number {
  const cdb = ctx.cdb;
  const pc = (cdb[2] ?? 0) >> 6;
  const code = (cdb[2] ?? 0) & 0x3f;
  const subpage = cdb[3] ?? 0;
  if (pc === 3) throw new CheckCondition({ key: SENSE_KEY.ILLEGAL_REQUEST, asc: 0x39, ascq: 0x00 });
  const pages = changerPages(model, pc === 1);
  if (subpage !== 0 && !(code === 0x3f && subpage === 0xff)) throw invalidCdbField(3);
  const chosen = code === 0x3f ? [...pages.values()] : [pages.get(code)];
  if (chosen[0] === undefined) throw invalidCdbField(2, 5);
  const header = ten ? 8 : 4;
  const body = chosen.reduce((n, p) => n + (p?.length ?? 0), 0);
  const out = new Uint8Array(header + body);
  if (ten) putU16(out, 0, out.length - 2);
  else out[0] = out.length - 1;
  let off = header;
  for (const p of chosen) {
    if (p === undefined) continue;
    out.set(p, off);
    off += p.length;
  }
  return respond(ctx, out, ten ? u16(cdb, 7) : (cdb[4] ?? 0));
}

/** The command definitions of a changer over `model`. */
export function smcCommands(model: ChangerModel): CommandDef[] {
  const admin = { medium: false } as const;
  return [
    {
      ...registered(0x07, undefined, 0x08),
      ...admin,
      timeouts: [60, 600],
      reserved: { 1: 0xff, 2: 0xff, 3: 0xff, 4: 0xff },
      run: () => {
        model.inventories++;
        return 0;
      },
    },
    {
      ...registered(0x1a, undefined, 0x08),
      ...admin,
      reserved: { 1: 0xf7 },
      run: (_lu, c) => modeSense(model, c, false),
    },
    {
      ...registered(0x37, undefined, 0x08),
      ...admin,
      timeouts: [60, 600],
      reserved: { 1: 0xfc, 4: 0xff, 5: 0xff, 8: 0xff },
      run: (_lu, c) => {
        const range = ((c.cdb[1] ?? 0) & 0x01) !== 0;
        if (range && model.element(u16(c.cdb, 2)) === undefined) throw invalidElementAddress();
        model.inventories++;
        return 0;
      },
    },
    {
      ...registered(0x5a, undefined, 0x08),
      ...admin,
      reserved: { 1: 0xe7 },
      run: (_lu, c) => modeSense(model, c, true),
    },
    {
      ...registered(0xa5, undefined, 0x08),
      ...admin,
      timeouts: [30, 300],
      reserved: { 1: 0xff, 8: 0xff, 9: 0xff, 10: 0xfe },
      run: (_lu, c) => {
        model.move(u16(c.cdb, 2), u16(c.cdb, 4), u16(c.cdb, 6));
        return 0;
      },
    },
    {
      ...registered(0xb8, undefined, 0x08),
      ...admin,
      reserved: { 1: 0xe0, 6: 0xfc, 10: 0xff },
      run: (_lu, c) => readElementStatus(model, c),
    },
  ];
}

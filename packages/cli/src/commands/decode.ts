/** `sense` and `cdb`: decode bytes given in hex, no device (sg_decode_sense and sg_decode_sense --cdb). */
import {
  type DecodedCdb,
  DecodeError,
  decodeCdb,
  decodeSense,
  type SenseData,
  type SenseKeySpecific,
  senseProgress,
} from '@scsikit/cdb';
import { z } from 'zod';
import { type Output, parseHexBytes } from '../context.js';
import { UsageError } from '../errors.js';
import { hexDump, hexList, hx, labelled, labelOf } from '../format.js';
import { byte, hexBytes, senseSummary, successSchema, u64 } from '../json.js';
import { type Cli, type CommonOpts, int } from '../registration.js';

// ---------------------------------------------------------------------------------------------
// sense

const sksSchema = z.looseObject({
  kind: z.enum([
    'fieldPointer',
    'actualRetryCount',
    'progressIndication',
    'segmentPointer',
    'unitAttentionQueueOverflow',
    'raw',
  ]),
});

/** The decoded sense as the `sense` document and the error documents carry it. */
export const senseBody = {
  format: z.enum(['fixed', 'descriptor', 'vendor']),
  responseCode: byte,
  current: z.boolean().optional(),
  deferred: z.boolean().optional(),
  valid: z.boolean().optional(),
  ...senseSummary,
  commandSpecificInformation: u64.optional(),
  filemark: z.boolean().optional(),
  eom: z.boolean().optional(),
  ili: z.boolean().optional(),
  sdatOvfl: z.boolean().optional(),
  senseKeySpecific: sksSchema.optional(),
  fru: byte.optional(),
  additionalLength: z.number().int().optional(),
  descriptors: z.array(z.looseObject({ type: byte, kind: z.string() })).optional(),
  /** Progress of a long operation (sense key specific or another progress indication descriptor). */
  progress: z.object({ progress: z.number().int(), percent: z.number() }).optional(),
  raw: hexBytes,
};

export const senseSchema = successSchema('sense', senseBody);

function sksLines(sks: SenseKeySpecific): string[] {
  switch (sks.kind) {
    case 'fieldPointer':
      return [
        `Sense Key Specific: Error in ${sks.commandData ? 'Command' : 'Data parameters'}: byte ${sks.fieldPointer}${sks.bitPointerValid ? ` bit ${sks.bitPointer}` : ''}`,
      ];
    case 'actualRetryCount':
      return [`Actual retry count: ${hx(sks.actualRetryCount, 4)}`];
    case 'progressIndication':
      return [`Progress indication: ${sks.percent.toFixed(2)}%`];
    case 'segmentPointer':
      return [
        `Segment pointer: ${sks.segmentDescriptor ? 'segment descriptor' : 'parameter list'} byte ${sks.fieldPointer}${sks.bitPointerValid ? ` bit ${sks.bitPointer}` : ''}`,
      ];
    case 'unitAttentionQueueOverflow':
      return [`Unit attention condition queue: overflow flag is ${sks.overflow ? 1 : 0}`];
    default:
      return [`Sense key specific: ${hexList(sks.bytes)}`];
  }
}

/** sg_decode_sense-like lines for decoded sense (also used for errors at --verbose). */
export function senseText(s: SenseData, indent = ''): string {
  if (s.format === 'vendor')
    return `${indent}Vendor specific sense data (response code 0x7f)\n${hexDump(s.raw)}`;
  const lines = [
    `${s.format === 'fixed' ? 'Fixed' : 'Descriptor'} format, ${s.deferred ? '<<<deferred>>>' : 'current'}; Sense key: ${s.senseKeyName}`,
    `Additional sense: ${s.description}`,
  ];
  const sub: string[] = [];
  if (s.valid && s.information !== undefined) {
    sub.push(`Info fld=${hx(s.information, s.format === 'fixed' ? 8 : 16)} [${s.information}]`);
  }
  if (s.commandSpecificInformation !== undefined && s.commandSpecificInformation !== 0n) {
    sub.push(`Command specific information: ${hx(s.commandSpecificInformation, 8)}`);
  }
  if (s.fru !== undefined) sub.push(`Field replaceable unit code: ${s.fru}`);
  if (s.senseKeySpecific !== undefined) sub.push(...sksLines(s.senseKeySpecific));
  else {
    const p = senseProgress(s);
    if (p !== undefined) sub.push(`Another progress indication: ${p.percent.toFixed(2)}%`);
  }
  const bits = [s.filemark ? 'FILEMARK' : '', s.eom ? 'EOM' : '', s.ili ? 'ILI' : ''].filter((b) => b !== '');
  if (bits.length > 0) sub.push(bits.join(' '));
  if (s.sdatOvfl) sub.push('SDAT_OVFL: sense data overflow');
  if (s.truncated) sub.push(`truncated: ${s.availableLength} of ${s.requiredLength} bytes`);
  for (const d of s.descriptors) {
    if (d.kind === 'information' || d.kind === 'commandSpecificInformation' || d.kind === 'senseKeySpecific')
      continue;
    if (d.kind === 'fru') continue;
    sub.push(`Descriptor type ${hx(d.type)}: ${labelOf(d.kind)}`);
  }
  return [...lines, ...sub.map((l) => `  ${l}`)].map((l) => `${indent}${l}`).join('\n');
}

/** Decoded sense as the documents carry it (aliases: `progress`). */
export function senseJson(s: SenseData): Record<string, unknown> {
  if (s.format === 'vendor') return { format: 'vendor', responseCode: s.responseCode, raw: s.raw };
  const { truncated: _t, requiredLength: _r, availableLength: _a, additionalSenseBytes, ...rest } = s;
  const progress = senseProgress(s);
  return {
    ...rest,
    ...(additionalSenseBytes === undefined ? {} : { additionalSenseBytes }),
    ...(progress === undefined ? {} : { progress }),
  };
}

export function senseCommand(hex: Uint8Array): Output {
  let s: SenseData;
  try {
    s = decodeSense(hex);
  } catch (e) {
    if (e instanceof DecodeError) throw new UsageError(`not sense data: ${e.message}`);
    throw e;
  }
  return { body: senseJson(s), text: `${senseText(s)}\n` };
}

// ---------------------------------------------------------------------------------------------
// cdb

export const cdbSchema = successSchema('cdb', {
  opcode: byte,
  serviceAction: z.number().int().min(0).optional(),
  /** T10 command name, e.g. 'READ(16)'. */
  name: z.string(),
  group: z.number().int().min(0).max(7),
  length: z.number().int().min(6),
  /** The CDB's fields named as T10 names them (LBA as a decimal string). */
  fields: z.looseObject({ control: byte, lba: u64.optional() }),
  raw: hexBytes,
});

export function cdbCommand(bytes: Uint8Array, peripheralType?: number): Output {
  let d: DecodedCdb;
  try {
    d = decodeCdb(bytes, peripheralType);
  } catch (e) {
    if (e instanceof DecodeError) throw new UsageError(`not a CDB: ${e.message}`);
    throw e;
  }
  const rows: Array<[string, unknown]> = [['Operation code', hx(d.opcode)]];
  if (d.serviceAction !== undefined) rows.push(['Service action', hx(d.serviceAction)]);
  rows.push(['CDB length', d.length]);
  for (const [k, v] of Object.entries(d.fields)) {
    if (k === 'control') continue;
    rows.push([labelOf(k), typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'bigint' ? v.toString() : v]);
  }
  rows.push(['Control', hx(d.fields.control)]);
  return {
    body: { ...d, raw: bytes },
    text: `${d.name}\n${labelled(rows)}\n`,
  };
}

/** Registers sense, cdb (no device). */
export function registerDecodeCommands({ runner, localCommand }: Cli): void {
  localCommand('sense', 'decode sense data given in hex (sg_decode_sense); no device')
    .argument('<hex...>', 'sense bytes in hex (e.g. 70 00 05 00 00 00 00 0a …)')
    .action((hex: string[], opts: CommonOpts) =>
      runner.local('sense', opts, () => senseCommand(parseHexBytes(hex, 'sense'))),
    );

  localCommand('cdb', 'decode a CDB given in hex: command name and fields; no device')
    .argument('<hex...>', 'CDB bytes in hex (e.g. 28 00 00 00 10 00 00 00 08 00)')
    .option('--pdt <type>', 'peripheral device type (commands that share an opcode)', int('--pdt', 0, 0x1f))
    .action((hex: string[], opts: CommonOpts & { pdt?: number }) =>
      runner.local('cdb', opts, () => cdbCommand(parseHexBytes(hex, 'CDB'), opts.pdt)),
    );
}

/**
 * `ses`: an enclosure (SES-4), sg_ses's reads and its slot LEDs: without options the supported
 * diagnostic pages; --page N one page decoded; --join every element with its type, index, name
 * and status; --set/--clear ident|fault --index N (SEND DIAGNOSTIC, needs --write).
 */
import type { SesStatusElement } from '@scsikit/cdb';
import type { Device, EnclosureElement } from '@scsikit/core';
import { Option } from 'commander';
import { z } from 'zod';
import type { Output } from '../context.js';
import { UsageError } from '../errors.js';
import { byte, hexBytes, successSchema, uint } from '../json.js';
import { type Cli, type CommonOpts, gate, int } from '../registration.js';

const INDICATORS = ['ident', 'fault'] as const;
type Indicator = (typeof INDICATORS)[number];

const statusElementSchema = z.looseObject({
  elementType: byte,
  elementTypeName: z.string(),
  index: uint.optional(),
  overall: z.boolean(),
  status: z.number().int(),
  statusName: z.string(),
  raw: hexBytes,
});

export const sesSchema = successSchema('ses', {
  /** The page shown (absent with --join and --set/--clear). */
  page: byte.optional(),
  /** Page 00h: the supported diagnostic pages. */
  pages: z.array(byte).optional(),
  generationCode: uint.optional(),
  /** Page 01h. */
  numberOfSecondarySubenclosures: byte.optional(),
  enclosures: z.array(z.looseObject({ vendor: z.string(), product: z.string() })).optional(),
  types: z
    .array(
      z.looseObject({
        elementType: byte,
        elementTypeName: z.string(),
        numberOfPossibleElements: uint,
        text: z.string(),
      }),
    )
    .optional(),
  /** Page 02h and --join: the status flags of byte 1. */
  invop: z.boolean().optional(),
  info: z.boolean().optional(),
  nonCrit: z.boolean().optional(),
  crit: z.boolean().optional(),
  unrecov: z.boolean().optional(),
  /** Page 02h, and --join (with typeIndex, typeText, descriptor). */
  elements: z.array(statusElementSchema).optional(),
  /** Page 07h. */
  descriptors: z
    .array(z.looseObject({ elementType: byte, overall: z.boolean(), text: z.string() }))
    .optional(),
  /** Page 0Ah: one descriptor per element with additional status (SAS phys). */
  additional: z
    .array(
      z.looseObject({
        elementIndex: byte.optional(),
        invalid: z.boolean(),
        protocolIdentifier: byte,
        phys: z.array(
          z.looseObject({ sasAddress: z.string(), attachedSasAddress: z.string(), phyIdentifier: byte }),
        ),
        raw: hexBytes,
      }),
    )
    .optional(),
  /** --set / --clear. */
  set: z.object({ indicator: z.enum(INDICATORS), index: uint, on: z.boolean() }).optional(),
});

const PAGE_NAMES: Readonly<Record<number, string>> = {
  0: 'Supported Diagnostic Pages',
  1: 'Configuration (SES)',
  2: 'Enclosure Status (SES)',
  7: 'Element Descriptor (SES)',
  10: 'Additional Element Status (SES-2)',
};

const h2 = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;

/** The per-type fields of a status element, as sg_ses words them. */
function detailText(e: SesStatusElement): string {
  const parts: string[] = [];
  if (e.slotAddress !== undefined) parts.push(`Slot address=${e.slotAddress}`);
  if (e.ident !== undefined) parts.push(`Ident=${Number(e.ident)}`);
  if (e.fail !== undefined)
    parts.push(`${e.slotAddress === undefined ? 'Fail' : 'Fault sensed'}=${Number(e.fail)}`);
  if (e.faultRequested !== undefined) parts.push(`Fault reqstd=${Number(e.faultRequested)}`);
  if (e.deviceOff !== undefined) parts.push(`Device off=${Number(e.deviceOff)}`);
  if (e.temperatureCelsius !== undefined) parts.push(`Temperature=${e.temperatureCelsius} C`);
  if (e.overTemperatureFailure) parts.push('OT failure=1');
  if (e.overTemperatureWarning) parts.push('OT warning=1');
  if (e.fanSpeedRpm !== undefined) parts.push(`Actual speed=${e.fanSpeedRpm} rpm`);
  if (e.voltage !== undefined) parts.push(`Voltage: ${e.voltage.toFixed(2)} volts`);
  if (e.current !== undefined) parts.push(`Current: ${e.current.toFixed(2)} amps`);
  if (e.acFail) parts.push('AC fail=1');
  if (e.dcFail) parts.push('DC fail=1');
  if (e.open !== undefined) parts.push(`Open=${Number(e.open)}`);
  if (e.muted !== undefined) parts.push(`Muted=${Number(e.muted)}`);
  return parts.join(', ');
}

function statusLines(e: SesStatusElement): string[] {
  const head = `Predicted failure=${Number(e.prdfail)}, Disabled=${Number(e.disabled)}, Swap=${Number(e.swap)}, status: ${e.statusName}`;
  const d = detailText(e);
  return d === '' ? [head] : [head, d];
}

function joinText(elements: readonly EnclosureElement[]): string {
  const out: string[] = [];
  for (const e of elements) {
    if (e.overall) continue;
    const name = e.descriptor === '' ? `${e.elementTypeName} ${e.index}` : e.descriptor;
    out.push(`${name} [${e.typeIndex},${e.index}]  Element type: ${e.elementTypeName}`);
    for (const l of statusLines(e)) out.push(`  ${l}`);
  }
  return `${out.join('\n')}\n`;
}

export async function sesCommand(
  dev: Device,
  o: { page?: number; join?: boolean; set?: { indicator: Indicator; index: number; on: boolean } },
): Promise<Output> {
  if (o.set !== undefined) {
    const { indicator, index, on } = o.set;
    if (indicator === 'ident') await dev.enclosure.setIdent(index, on);
    else await dev.enclosure.setFault(index, on);
    return {
      body: { set: o.set },
      text: `${on ? 'Set' : 'Cleared'} ${indicator} on device slot ${index}\n`,
    };
  }
  if (o.join === true) {
    const s = await dev.enclosure.status();
    const { truncated: _t, requiredLength: _r, availableLength: _a, ...rest } = s;
    const flags = `INVOP=${Number(s.invop)}, INFO=${Number(s.info)}, NON-CRIT=${Number(s.nonCrit)}, CRIT=${Number(s.crit)}, UNRECOV=${Number(s.unrecov)}`;
    return {
      body: rest,
      text: `  ${flags}\n  generation code: ${h2(s.generationCode)}\n${joinText(s.elements)}`,
    };
  }
  const page = o.page ?? 0x00;
  const title = `${PAGE_NAMES[page] ?? 'Diagnostic'} page (${h2(page)}):`;
  switch (page) {
    case 0x00: {
      const pages = await dev.enclosure.pages();
      const lines = pages.map((p) => `  ${PAGE_NAMES[p] ?? 'unknown'} [${h2(p)}]`);
      return { body: { page, pages }, text: `Supported diagnostic pages:\n${lines.join('\n')}\n` };
    }
    case 0x01: {
      const c = await dev.enclosure.configuration();
      const { truncated: _t, requiredLength: _r, availableLength: _a, ...rest } = c;
      const lines = [title, `  number of secondary subenclosures: ${c.numberOfSecondarySubenclosures}`];
      lines.push(`  generation code: ${h2(c.generationCode)}`);
      for (const e of c.enclosures) {
        lines.push(`  enclosure descriptor list`);
        lines.push(`    Subenclosure identifier: ${e.subenclosureIdentifier}`);
        lines.push(
          `      relative ES process id: ${e.relativeEnclosureServicesProcessIdentifier}, number of ES processes: ${e.numberOfEnclosureServicesProcesses}`,
        );
        lines.push(`      number of type descriptor headers: ${e.numberOfTypeDescriptorHeaders}`);
        lines.push(`      enclosure logical identifier (hex): ${e.enclosureLogicalIdentifier}`);
        lines.push(`      enclosure vendor: ${e.vendor}  product: ${e.product}  rev: ${e.revision}`);
      }
      lines.push('  type descriptor header and text list');
      for (const t of c.types) {
        lines.push(`    Element type: ${t.elementTypeName}, subenclosure id: ${t.subenclosureIdentifier}`);
        lines.push(`      number of possible elements: ${t.numberOfPossibleElements}`);
        if (t.text !== '') lines.push(`      text: ${t.text}`);
      }
      return { body: { page, ...rest }, text: `${lines.join('\n')}\n` };
    }
    case 0x02: {
      const s = await dev.enclosure.status();
      const lines = [
        title,
        `  INVOP=${Number(s.invop)}, INFO=${Number(s.info)}, NON-CRIT=${Number(s.nonCrit)}, CRIT=${Number(s.crit)}, UNRECOV=${Number(s.unrecov)}`,
      ];
      lines.push(`  generation code: ${h2(s.generationCode)}`);
      lines.push('  status descriptor list');
      for (const e of s.elements) {
        if (e.overall)
          lines.push(
            `    Element type: ${e.elementTypeName}, subenclosure id: ${e.subenclosureIdentifier} [ti=${e.typeIndex}]`,
            '      Overall descriptor:',
          );
        else lines.push(`      Element ${e.index} descriptor:`);
        for (const l of statusLines(e)) lines.push(`        ${l}`);
      }
      const { truncated: _t, requiredLength: _r, availableLength: _a, ...rest } = s;
      return {
        body: {
          page,
          ...rest,
          elements: rest.elements.map(
            ({ typeText: _x, descriptor: _d, typeIndex: _i, subenclosureIdentifier: _s, ...e }) => e,
          ),
        },
        text: `${lines.join('\n')}\n`,
      };
    }
    case 0x07: {
      const d = await dev.enclosure.elementDescriptors();
      const lines = [title, `  generation code: ${h2(d.generationCode)}`];
      for (const e of d.descriptors)
        lines.push(`    ${e.overall ? 'Overall descriptor' : `Element ${e.index} descriptor`}: ${e.text}`);
      return {
        body: { page, generationCode: d.generationCode, descriptors: d.descriptors },
        text: `${lines.join('\n')}\n`,
      };
    }
    case 0x0a: {
      const a = await dev.enclosure.additionalStatus();
      const lines = [title, `  generation code: ${h2(a.generationCode)}`];
      for (const d of a.descriptors) {
        lines.push(
          `    element index: ${d.elementIndex ?? '-'}, invalid=${Number(d.invalid)}, protocol: ${d.protocolIdentifier === 6 ? 'SAS' : d.protocolIdentifier}`,
        );
        for (const p of d.phys)
          lines.push(
            `      phy ${p.phyIdentifier}: SAS address: 0x${p.sasAddress}, attached SAS address: 0x${p.attachedSasAddress}`,
          );
      }
      return {
        body: { page, generationCode: a.generationCode, additional: a.descriptors },
        text: `${lines.join('\n')}\n`,
      };
    }
    default:
      throw new UsageError(`--page ${h2(page)}: scsikit decodes pages 0x00, 0x01, 0x02, 0x07 and 0x0a`);
  }
}

/** Registers ses. */
export function registerSesCommands({ runner, deviceCommand }: Cli): void {
  deviceCommand(
    'ses',
    'enclosure services (sg_ses): pages, --join, --set/--clear ident|fault (needs --write)',
  )
    .option('-p, --page <n>', 'diagnostic page: 0 (default), 1, 2, 7 or 0xa', int('--page', 0, 0xff))
    .option('-j, --join', 'every element joined: type, index, descriptor text and status')
    .addOption(new Option('--set <indicator>', 'turn on a slot indicator').choices(INDICATORS))
    .addOption(new Option('--clear <indicator>', 'turn off a slot indicator').choices(INDICATORS))
    .option('-I, --index <n>', 'device slot index for --set/--clear (0-based)', int('--index', 0, 254))
    .option('-w, --write', 'allow --set/--clear (SEND DIAGNOSTIC changes the enclosure)')
    .action(
      (
        device: string,
        opts: CommonOpts & {
          page?: number;
          join?: boolean;
          set?: Indicator;
          clear?: Indicator;
          index?: number;
          write?: boolean;
        },
      ) => {
        const indicator = opts.set ?? opts.clear;
        const writes = indicator !== undefined;
        const run = () =>
          runner.device('ses', device, opts, writes, (dev) => {
            if (opts.set !== undefined && opts.clear !== undefined)
              throw new UsageError('--set and --clear together: give one');
            if (writes && opts.index === undefined)
              throw new UsageError(`--${opts.set ? 'set' : 'clear'} needs --index`);
            return sesCommand(dev, {
              ...(opts.page === undefined ? {} : { page: opts.page }),
              ...(opts.join === true ? { join: true } : {}),
              ...(indicator === undefined || opts.index === undefined
                ? {}
                : { set: { indicator, index: opts.index, on: opts.set !== undefined } }),
            });
          });
        return writes ? gate(runner, 'ses', opts, run, `ses --${opts.set ? 'set' : 'clear'}`) : run();
      },
    );
}

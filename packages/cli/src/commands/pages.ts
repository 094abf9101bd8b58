/** `modes` (sg_modes) and `logs` (sg_logs): mode and log pages, decoded where cdb knows them. */
import {
  LOG_PAGE_CONTROL,
  type LogPage,
  type LogPageControl,
  MODE_PAGE_CONTROL,
  type ModePage,
  type ModePageControl,
} from '@scsikit/cdb';
import type { Device } from '@scsikit/core';
import { Option } from 'commander';
import { z } from 'zod';
import type { Output } from '../context.js';
import { UsageError } from '../errors.js';
import { hexDump, hx, labelled, scalarRows, table } from '../format.js';
import { byte, hexBytes, successSchema, u64, uint } from '../json.js';
import type { Cli, CommonOpts } from '../registration.js';

/** T10 names of the common mode pages (SPC-6, SBC-5), for the human output. */
const MODE_PAGE_NAMES: Readonly<Record<number, string>> = {
  1: 'Read-Write error recovery',
  2: 'Disconnect-Reconnect',
  3: 'Format (obsolete)',
  4: 'Rigid disk geometry (obsolete)',
  7: 'Verify error recovery',
  8: 'Caching',
  10: 'Control',
  24: 'Protocol specific logical unit',
  25: 'Protocol specific port',
  26: 'Power condition',
  28: 'Informational exceptions control',
};

const LOG_PAGE_NAMES: Readonly<Record<number, string>> = {
  0: 'Supported log pages',
  2: 'Write error counter',
  3: 'Read error counter',
  5: 'Verify error counter',
  6: 'Non-medium error',
  13: 'Temperature',
  14: 'Start-stop cycle counter',
  16: 'Self-test results',
  17: 'Solid state media',
  21: 'Background scan results',
  24: 'Protocol specific port',
  25: 'General statistics and performance',
  26: 'Power condition transitions',
  47: 'Informational exceptions',
};

/** `--page P` or `--page P,SUB` (sg_modes/sg_logs syntax). */
export function parsePageArg(text: string, max: number): { page: number; subpage?: number } {
  const [p, s, extra] = text.split(',');
  const num = (t: string | undefined, lim: number, what: string): number => {
    const m = /^(?:0x([0-9a-f]+)|([0-9a-f]+)h|([0-9]+))$/iu.exec((t ?? '').trim());
    const v =
      m === null ? Number.NaN : Number.parseInt(m[1] ?? m[2] ?? m[3] ?? '', m[3] === undefined ? 16 : 10);
    if (!Number.isInteger(v) || v < 0 || v > lim)
      throw new UsageError(`--page: ${what} must be 0-${lim}, got "${t}"`);
    return v;
  };
  if (extra !== undefined) throw new UsageError(`--page: expected PAGE or PAGE,SUBPAGE, got "${text}"`);
  return {
    page: num(p, max, 'page code'),
    ...(s === undefined ? {} : { subpage: num(s, 0xff, 'subpage code') }),
  };
}

// ---------------------------------------------------------------------------------------------
// modes

const modePageSchema = z.looseObject({
  pageCode: z.number().int().min(0).max(0x3f),
  subpageCode: byte,
  spf: z.boolean(),
  ps: z.boolean(),
  pageLength: uint,
  pageName: z.string(),
  /** Typed fields when cdb decodes the page (`fields.page` names it). */
  fields: z.looseObject({}).optional(),
  raw: hexBytes,
});

export const modesSchema = successSchema('modes', {
  pageControl: z.enum(['current', 'changeable', 'default', 'saved']),
  headerSize: z.union([z.literal(6), z.literal(10)]),
  header: z.looseObject({
    modeDataLength: uint,
    mediumType: byte,
    deviceSpecificParameter: byte,
    wp: z.boolean(),
    dpofua: z.boolean(),
    blockDescriptorLength: uint,
  }),
  blockDescriptors: z.array(z.looseObject({})),
  pages: z.array(modePageSchema),
});

export function parsePageControl<T extends string>(text: string, table: Readonly<Record<T, number>>): T {
  const names = Object.keys(table) as T[];
  const byNumber = names.find((n) => String(table[n]) === text);
  const v = names.includes(text as T) ? (text as T) : byNumber;
  if (v === undefined)
    throw new UsageError(`--control: expected one of ${names.join(', ')} (or 0-3), got "${text}"`);
  return v;
}

function modePageText(p: ModePage): string {
  const name = MODE_PAGE_NAMES[p.pageCode] ?? 'mode page';
  const head = `>> ${name}, page_code=${hx(p.pageCode)}${p.spf ? `, subpage_code=${hx(p.subpageCode)}` : ''}, page_len=${hx(p.pageLength)}`;
  const body =
    p.fields === undefined ? hexDump(p.raw, '    ') : labelled(scalarRows(p.fields, ['page']), '    ');
  return `${head}\n${body}`;
}

export async function modesCommand(
  dev: Device,
  page: number,
  subpage: number | undefined,
  control: ModePageControl,
): Promise<Output> {
  const m = await dev.modeSense(page, {
    pageControl: control,
    ...(subpage === undefined ? {} : { subpage }),
  });
  const pages = m.pages.map((p) => ({ ...p, pageName: MODE_PAGE_NAMES[p.pageCode] ?? 'mode page' }));
  const header = `    Mode parameter header from MODE SENSE(${m.headerSize}):\n${labelled(
    [
      ['Mode data length', m.header.modeDataLength],
      ['medium type', hx(m.header.mediumType)],
      ['specific param', hx(m.header.deviceSpecificParameter)],
      ['longlba', m.header.longlba],
      ['Block descriptor length', m.header.blockDescriptorLength],
    ],
    '  ',
  )}`;
  return {
    body: {
      pageControl: control,
      headerSize: m.headerSize,
      header: m.header,
      blockDescriptors: m.blockDescriptors,
      pages,
    },
    text: `${[header, ...m.pages.map(modePageText)].join('\n')}\n`,
  };
}

export { MODE_PAGE_CONTROL };

// ---------------------------------------------------------------------------------------------
// logs

export const logsSchema = successSchema('logs', {
  pageCode: z.number().int().min(0).max(0x3f),
  subpageCode: byte,
  pageName: z.string(),
  spf: z.boolean(),
  ds: z.boolean(),
  pageLength: uint,
  parameters: z.array(
    z.looseObject({
      parameterCode: z.number().int(),
      length: uint,
      value: u64.optional(),
      raw: hexBytes,
    }),
  ),
  /** Typed fields when cdb decodes the page (`fields.page` names it). */
  fields: z.looseObject({ page: z.string() }).optional(),
});

function logText(p: LogPage): string {
  const name = LOG_PAGE_NAMES[p.pageCode] ?? 'log page';
  const lines = [`${name}  [${hx(p.pageCode)}${p.spf ? `,${hx(p.subpageCode)}` : ''}]`];
  const f = p.fields as (Record<string, unknown> & { page: string }) | undefined;
  if (f?.page === 'supportedPages') {
    for (const c of (f as unknown as { supportedPages: number[] }).supportedPages) {
      lines.push(`    ${hx(c)}        ${LOG_PAGE_NAMES[c] ?? ''}`.trimEnd());
    }
  } else if (f !== undefined) {
    lines.push(
      ...scalarRows(f, ['page']).map(
        ([label, v]) => `  ${label} = ${typeof v === 'boolean' ? Number(v) : String(v)}`,
      ),
    );
  } else {
    lines.push(
      table(
        ['Parameter code', 'Length', 'Value'],
        p.parameters.map((q) => [
          hx(q.parameterCode, 4),
          String(q.length),
          q.value?.toString() ?? hexDump(q.raw, '').trim(),
        ]),
        '  ',
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function logsCommand(
  dev: Device,
  page: number,
  subpage: number | undefined,
  control: LogPageControl,
): Promise<Output> {
  const p = await dev.logSense(page, { pageControl: control, ...(subpage === undefined ? {} : { subpage }) });
  const { truncated: _t, requiredLength: _r, availableLength: _a, ...rest } = p;
  return {
    body: { ...rest, pageName: LOG_PAGE_NAMES[p.pageCode] ?? 'log page' },
    text: logText(p),
  };
}

export { LOG_PAGE_CONTROL };

/** Registers modes, logs. */
export function registerPageCommands({ runner, deviceCommand }: Cli): void {
  deviceCommand('modes', 'mode pages (sg_modes): MODE SENSE(10), (6) when the device refuses (10)')
    .option('-p, --page <page[,subpage]>', 'page (0x3f: all) and optional subpage (0xff: all)', '0x3f')
    .addOption(
      new Option('-c, --control <pc>', 'page control')
        .choices(Object.keys(MODE_PAGE_CONTROL))
        .default('current'),
    )
    .action((device: string, opts: CommonOpts & { page: string; control: string }) =>
      runner.device('modes', device, opts, false, (dev) => {
        const { page, subpage } = parsePageArg(opts.page, 0x3f);
        return modesCommand(
          dev,
          page,
          subpage,
          parsePageControl<ModePageControl>(opts.control, MODE_PAGE_CONTROL),
        );
      }),
    );

  deviceCommand('logs', 'log pages (sg_logs): LOG SENSE, decoded where T10 defines the page')
    .option('-p, --page <page[,subpage]>', 'page (0: supported pages) and optional subpage', '0')
    .addOption(
      new Option('-c, --control <pc>', 'page control')
        .choices(Object.keys(LOG_PAGE_CONTROL))
        .default('cumulative'),
    )
    .action((device: string, opts: CommonOpts & { page: string; control: string }) =>
      runner.device('logs', device, opts, false, (dev) => {
        const { page, subpage } = parsePageArg(opts.page, 0x3f);
        return logsCommand(
          dev,
          page,
          subpage,
          parsePageControl<LogPageControl>(opts.control, LOG_PAGE_CONTROL),
        );
      }),
    );
}

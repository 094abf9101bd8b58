/**
 * `tape DEVICE ACTION [N]`: the tape drive's operations in the shape of mt(1) (status, rewind,
 * load/unload, fsf/bsf as `space`, weof, eod, position as `tell`, locate as `seek`, setblk) plus
 * sg3_utils-like reads of READ BLOCK LIMITS, REPORT DENSITY SUPPORT, the 0Fh/10h mode pages and the
 * TapeAlert log page. Actions that change the medium or the drive (write, weof, erase, load,
 * unload, setblk) need --write; reading and positioning run on a read-only open.
 */
import type { Device } from '@scsikit/core';
import { Argument } from 'commander';
import { z } from 'zod';
import { type Output, parseIntIn, readFileBytes, writeFileBytes } from '../context.js';
import { UsageError } from '../errors.js';
import { labelled, table } from '../format.js';
import { successSchema, u64, uint } from '../json.js';
import { type Cli, type CommonOpts, gate, int } from '../registration.js';

export const TAPE_ACTIONS = [
  'status',
  'rewind',
  'load',
  'unload',
  'position',
  'locate',
  'space',
  'eod',
  'weof',
  'read',
  'write',
  'erase',
  'setblk',
  'limits',
  'densities',
  'alert',
  'compression',
  'config',
] as const;
export type TapeAction = (typeof TAPE_ACTIONS)[number];

/** Actions that change the medium or the drive: --write, and a writable open. */
export const TAPE_WRITE_ACTIONS: ReadonlySet<TapeAction> = new Set([
  'load',
  'unload',
  'weof',
  'write',
  'erase',
  'setblk',
]);

const flags = {
  filemark: z.boolean(),
  endOfData: z.boolean(),
  eom: z.boolean(),
  ili: z.boolean(),
  residue: z.number().int(),
};

export const tapeSchema = successSchema('tape', {
  action: z.enum(TAPE_ACTIONS),
  ready: z.boolean().optional(),
  notReady: z.looseObject({ senseKey: uint, asc: uint, ascq: uint, description: z.string() }).optional(),
  /** READ POSITION (short form): objects (blocks and filemarks) from the beginning of the partition. */
  position: z
    .looseObject({
      bop: z.boolean(),
      eop: z.boolean(),
      partition: uint,
      firstLocation: uint,
      lastLocation: uint,
    })
    .optional(),
  mode: z
    .looseObject({
      densityCode: uint,
      blockLength: uint,
      mode: z.enum(['fixed', 'variable']),
      writeProtected: z.boolean(),
    })
    .optional(),
  /** space / read / write / weof: what stopped it early (all false and 0 when nothing did). */
  result: z
    .looseObject({ ...flags })
    .partial()
    .optional(),
  /** read: bytes that arrived (and were written to --output); write: bytes sent. */
  bytes: uint.optional(),
  blocks: uint.optional(),
  earlyWarning: z.boolean().optional(),
  limits: z
    .looseObject({
      granularity: uint,
      maximumBlockLength: uint,
      minimumBlockLength: uint,
      maximumLogicalObjectIdentifier: u64.optional(),
    })
    .optional(),
  densities: z
    .array(
      z.looseObject({
        primaryDensityCode: uint,
        secondaryDensityCode: uint,
        wrtok: z.boolean(),
        deflt: z.boolean(),
        capacity: uint,
        densityName: z.string(),
        description: z.string(),
      }),
    )
    .optional(),
  alerts: z.array(z.looseObject({ flag: uint, name: z.string(), active: z.boolean() })).optional(),
  compression: z.looseObject({ dce: z.boolean(), dcc: z.boolean(), dde: z.boolean() }).optional(),
  config: z.looseObject({ activePartition: uint, lois: z.boolean(), swp: z.boolean() }).optional(),
});

export interface TapeCommandOptions {
  readonly count?: number;
  readonly filemarks?: boolean;
  readonly sequential?: boolean;
  readonly length?: number;
  readonly blockLength?: number;
  readonly sili?: boolean;
  readonly input?: string;
  readonly output?: string;
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

function flagText(r: {
  filemark: boolean;
  endOfData: boolean;
  eom: boolean;
  ili: boolean;
  residue: number;
}): string {
  const what = [
    r.filemark && 'filemark',
    r.endOfData && 'end of data',
    r.eom && 'EOM',
    r.ili && 'ILI',
  ].filter(Boolean);
  return what.length === 0 ? '' : `  stopped early: ${what.join(', ')}; residue ${r.residue}\n`;
}

export async function tapeCommand(dev: Device, action: TapeAction, o: TapeCommandOptions): Promise<Output> {
  const t = dev.tape;
  const needCount = () => {
    if (o.count === undefined) throw new UsageError(`tape ${action}: needs N`);
    return o.count;
  };
  switch (action) {
    case 'status': {
      const s = await t.status();
      const text = s.ready
        ? [
            'Tape drive status:',
            labelled([
              ['Ready', 'yes'],
              ['Block position', s.position?.firstLocation],
              ['Partition', s.position?.partition],
              ['Beginning of partition', yesNo(s.position?.bop === true)],
              ['Density code', `0x${(s.mode?.densityCode ?? 0).toString(16).padStart(2, '0')}`],
              ['Block length', s.mode?.blockLength === 0 ? '0 (variable)' : s.mode?.blockLength],
              ['Write protected', yesNo(s.mode?.writeProtected === true)],
            ]),
          ]
        : ['Tape drive status:', labelled([['Ready', `no (${s.notReady?.description ?? 'not ready'})`]])];
      return { body: { action, ...s }, text: `${text.join('\n')}\n` };
    }
    case 'rewind':
      await t.rewind();
      return { body: { action }, text: '' };
    case 'load':
      await t.load();
      return { body: { action }, text: '' };
    case 'unload':
      await t.unload();
      return { body: { action }, text: '' };
    case 'position': {
      const p = await t.readPosition();
      const text = `${labelled([
        ['Block position', p.firstLocation],
        ['Partition', p.partition],
        ['BOP', yesNo(p.bop)],
        ['EOP', yesNo(p.eop)],
      ])}\n`;
      return { body: { action, position: p }, text };
    }
    case 'locate': {
      await t.locate(needCount());
      return { body: { action }, text: '' };
    }
    case 'space':
    case 'eod': {
      const r =
        action === 'eod'
          ? await t.space(0, { code: 'endOfData' })
          : await t.space(needCount(), {
              code:
                o.sequential === true ? 'sequentialFilemarks' : o.filemarks === true ? 'filemarks' : 'blocks',
            });
      return { body: { action, result: r }, text: flagText(r) };
    }
    case 'weof': {
      const r = await t.writeFilemarks(o.count ?? 1);
      return {
        body: { action, earlyWarning: r.earlyWarning },
        text: r.earlyWarning ? '  early warning: the medium is nearly full\n' : '',
      };
    }
    case 'read': {
      const length = o.length ?? (o.blockLength === undefined ? 262144 : 1);
      const r = await t.read(length, {
        ...(o.blockLength === undefined ? {} : { blockLength: o.blockLength }),
        ...(o.sili === true ? { sili: true } : {}),
      });
      if (o.output !== undefined) writeFileBytes(o.output, r.data);
      const { data: _d, overlength: _o, blocks, ...result } = r;
      const text = `  read ${r.data.length} bytes (${blocks} block${blocks === 1 ? '' : 's'})\n${flagText(r)}`;
      return { body: { action, bytes: r.data.length, blocks, result }, text };
    }
    case 'write': {
      if (o.input === undefined) throw new UsageError('tape write: needs --input FILE');
      const data = readFileBytes(o.input);
      const r = await t.write(data, o.blockLength === undefined ? {} : { blockLength: o.blockLength });
      return {
        body: { action, bytes: data.length, earlyWarning: r.earlyWarning },
        text: `  wrote ${data.length} bytes${r.earlyWarning ? ' (early warning: the medium is nearly full)' : ''}\n`,
      };
    }
    case 'erase':
      await t.erase({ long: true });
      return { body: { action }, text: '' };
    case 'setblk': {
      await t.setBlockLength(needCount());
      const m = await t.mode();
      return {
        body: { action, mode: m },
        text: `  block length ${m.blockLength} (${m.mode} mode)\n`,
      };
    }
    case 'limits': {
      const l = await t.readBlockLimits();
      const text = `Read block limits:\n${labelled([
        ['Granularity', l.granularity],
        ['Maximum block length', l.maximumBlockLength],
        ['Minimum block length', l.minimumBlockLength],
      ])}\n`;
      return { body: { action, limits: l }, text };
    }
    case 'densities': {
      const d = await t.reportDensitySupport();
      const text = `Report density support:\n${table(
        ['Density', 'WRTOK', 'DEFLT', 'Capacity MB', 'Name', 'Description'],
        d.densities.map((x) => [
          `0x${x.primaryDensityCode.toString(16).padStart(2, '0')}`,
          yesNo(x.wrtok),
          yesNo(x.deflt),
          String(x.capacity),
          x.densityName,
          x.description,
        ]),
      )}\n`;
      return { body: { action, densities: d.densities }, text };
    }
    case 'alert': {
      const a = await t.tapeAlert();
      const text =
        a.active.length === 0
          ? 'Tape alert page: no flags set\n'
          : `Tape alert page:\n${a.active.map((f) => `  [0x${f.flag.toString(16).padStart(2, '0')}] ${f.name}`).join('\n')}\n`;
      return { body: { action, alerts: a.flags }, text };
    }
    case 'compression': {
      const c = await t.compression();
      const text = `Data compression page [0xf]:\n${labelled([
        ['DCE (compress)', yesNo(c.dce)],
        ['DCC (capable)', yesNo(c.dcc)],
        ['DDE (decompress)', yesNo(c.dde)],
      ])}\n`;
      return { body: { action, compression: c }, text };
    }
    case 'config': {
      const c = await t.deviceConfiguration();
      const text = `Device configuration page [0x10]:\n${labelled([
        ['Active partition', c.activePartition],
        ['LOIS', yesNo(c.lois)],
        ['SWP', yesNo(c.swp)],
      ])}\n`;
      return { body: { action, config: c }, text };
    }
  }
}

/** Registers `tape`. */
export function registerTapeCommands({ runner, deviceCommand }: Cli): void {
  deviceCommand(
    'tape',
    'tape drive operations (mt-like); write, weof, erase, load, unload, setblk need --write',
  )
    .addArgument(new Argument('<action>', `one of ${TAPE_ACTIONS.join(', ')}`).choices(TAPE_ACTIONS))
    .addArgument(
      new Argument(
        '[n]',
        'locate: block; space: count (negative: backwards); weof: filemarks; setblk: bytes',
      ),
    )
    .option('-f, --filemarks', 'space: count filemarks (mt fsf/bsf) instead of blocks')
    .option('-s, --sequential', 'space: N consecutive filemarks')
    .option(
      '-l, --length <n>',
      'read: bytes (variable mode) or blocks (fixed mode)',
      int('--length', 0, 0xff_ffff),
    )
    .option(
      '-b, --block-length <n>',
      'read/write: fixed-block mode with blocks of n bytes',
      int('--block-length', 1, 0xff_ffff),
    )
    .option('--sili', 'read: suppress the incorrect-length indication (variable mode)')
    .option('-i, --input <file>', 'write: the data (one block, or whole fixed blocks)')
    .option('-o, --output <file>', 'read: where the data goes')
    .option('-w, --write', 'confirm: this changes the medium or the drive')
    .action(
      (
        device: string,
        action: TapeAction,
        n: string | undefined,
        opts: CommonOpts & {
          filemarks?: boolean;
          sequential?: boolean;
          length?: number;
          blockLength?: number;
          sili?: boolean;
          input?: string;
          output?: string;
          write?: boolean;
        },
      ) => {
        const writes = TAPE_WRITE_ACTIONS.has(action);
        return gate(
          runner,
          'tape',
          { ...opts, write: writes ? opts.write === true : true },
          () =>
            runner.device('tape', device, opts, writes, (dev) => {
              // N may be negative (space backwards), which parseIntIn's number syntax does not take.
              const count =
                n === undefined
                  ? undefined
                  : n.startsWith('-')
                    ? -parseIntIn(n.slice(1), 'N', 0, 2 ** 47)
                    : parseIntIn(n, 'N', 0, 2 ** 47);
              return tapeCommand(dev, action, {
                ...(count === undefined ? {} : { count }),
                ...(opts.filemarks === true ? { filemarks: true } : {}),
                ...(opts.sequential === true ? { sequential: true } : {}),
                ...(opts.length === undefined ? {} : { length: opts.length }),
                ...(opts.blockLength === undefined ? {} : { blockLength: opts.blockLength }),
                ...(opts.sili === true ? { sili: true } : {}),
                ...(opts.input === undefined ? {} : { input: opts.input }),
                ...(opts.output === undefined ? {} : { output: opts.output }),
              });
            }),
          `tape ${action}`,
        );
      },
    );
}

/**
 * The `scsikit` command line: commander wiring, device opening, --verbose tracing from core's
 * diagnostics channels, output (human or one --json document) and exit statuses. `run` takes the
 * argument vector and an output sink and resolves with the exit status, so tests drive it in
 * process; bin.ts binds it to the real process.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { LOG_PAGE_CONTROL, type LogPageControl, MODE_PAGE_CONTROL, type ModePageControl } from '@scsikit/cdb';
import {
  CHANNELS,
  CheckConditionError,
  type CommandCompleteMessage,
  type CommandErrorMessage,
  type CommandStartMessage,
  type Device,
  type DeviceTarget,
  HostError,
  listDevices,
  openDevice,
  PermissionError,
  type ScsiDeviceInfo,
  ScsiError,
  ScsiStatusError,
  type TransportChoice,
} from '@scsikit/core';
import { Argument, Command, CommanderError, Option } from 'commander';
import { benchCommand } from './commands/bench.js';
import { cdbCommand, senseCommand, senseJson, senseText } from './commands/decode.js';
import {
  inquiryCommand,
  listCommand,
  lunsCommand,
  opcodesCommand,
  parseVpdPage,
  readcapCommand,
  turCommand,
  VPD_ABBREVIATIONS,
  vpdCommand,
} from './commands/identity.js';
import {
  parseRange,
  rawCommand,
  readCommand,
  syncCommand,
  unmapCommand,
  verifyCommand,
  writeCommand,
} from './commands/io.js';
import { confirmDestructive, formatCommand, SANITIZE_ACTIONS, sanitizeCommand } from './commands/long-ops.js';
import { logsCommand, modesCommand, parsePageArg, parsePageControl } from './commands/pages.js';
import { PR_ACTIONS, PR_OUT_ACTIONS, type PrAction, parsePrType, prCommand } from './commands/pr.js';
import { lbaStatusCommand, zonesCommand } from './commands/zoned.js';
import { completionScript } from './completion.js';
import {
  type CliIo,
  type CommandContext,
  type Output,
  parseBigInt,
  parseHexBytes,
  parseIntIn,
  parseU64,
} from './context.js';
import { UsageError } from './errors.js';
import { EXIT, EXIT_DESCRIPTIONS, exitStatusFor } from './exit-codes.js';
import { hexList } from './format.js';
import { type ErrorBody, SCHEMA_VERSION, stringifyDocument, toJsonValue } from './json.js';
import { COMMAND_SCHEMAS, schemaCommand, writeSchemaFiles } from './schemas.js';

/** The package's own version (src/ and dist/ both sit beside package.json), kept by changesets. */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

/** What `run` needs from the outside world; tests replace `open` and `listDevices`. */
export interface CliDeps {
  readonly io: CliIo;
  /** Opens DEVICE. @default core's openDevice */
  readonly open?: (
    target: DeviceTarget,
    options: { write: boolean; retry: false; timeoutMs?: number; transport?: TransportChoice },
  ) => Promise<Device>;
  /** @default core's listDevices */
  readonly listDevices?: (sysRoot?: string) => ScsiDeviceInfo[];
}

const DEVICE_HELP =
  '/dev/sdX, /dev/sgN, /dev/bsg/H:C:T:L, H:C:T:L, wwn:<naa…> or serial:<unit serial> (as openDevice takes it)';

/** `wwn:…` and `serial:…` select by identity; anything else is a path or H:C:T:L. */
export function parseTarget(text: string): DeviceTarget {
  if (text.startsWith('wwn:')) return { wwn: text.slice(4) };
  if (text.startsWith('serial:')) return { serial: text.slice(7) };
  return text;
}

const EXIT_HELP = `\nExit status (sg3_utils convention, man sg3_utils):\n${Object.entries(EXIT_DESCRIPTIONS)
  .map(([code, text]) => `  ${code.padStart(3)}  ${text}`)
  .join('\n')}\n`;

interface CommonOpts {
  json?: boolean;
  verbose?: number;
  timeout?: number;
  transport?: TransportChoice;
}

const count = (_: string, prev: number) => prev + 1;
const int = (what: string, min: number, max: number) => (v: string) => parseIntIn(v, what, min, max);

function addCommon(cmd: Command, withDevice = true): Command {
  cmd.option('--json', `print one JSON document (schema version ${SCHEMA_VERSION}; see \`scsikit schema\`)`);
  cmd.option(
    '-v, --verbose',
    'print each CDB sent and the status/sense received (repeat for more)',
    count,
    0,
  );
  if (withDevice) {
    cmd.option('-t, --timeout <ms>', 'command timeout in milliseconds', int('--timeout', 1, 2 ** 31 - 1));
    cmd.addOption(
      new Option('--transport <kind>', 'how to reach the device')
        .choices(['auto', 'uring', 'sgio'])
        .default('auto'),
    );
  }
  return cmd;
}

/** Prints the CDBs and outcomes of this device's commands on stderr (core's diagnostics channels). */
function traceVerbose(io: CliIo, level: number, label: () => string | undefined): () => void {
  const mine = (m: CommandStartMessage) => m.device === label();
  const onStart = (m: unknown) => {
    const s = m as CommandStartMessage;
    if (!mine(s)) return;
    io.err(`    ${s.command} cdb: [${hexList(s.cdb)}]${s.attempt > 0 ? ` (retry ${s.attempt})` : ''}\n`);
  };
  const onComplete = (m: unknown) => {
    const c = m as CommandCompleteMessage;
    if (!mine(c)) return;
    io.err(
      `    status: GOOD${level > 1 ? `, ${c.bytes} bytes, ${(c.latencyNs / 1000).toFixed(0)} us` : ''}\n`,
    );
  };
  const onError = (m: unknown) => {
    const c = m as CommandErrorMessage;
    if (!mine(c)) return;
    io.err(
      `${describeError(c.error, true)
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n')}\n`,
    );
  };
  diagnosticsChannel.subscribe(CHANNELS.commandStart, onStart);
  diagnosticsChannel.subscribe(CHANNELS.commandComplete, onComplete);
  diagnosticsChannel.subscribe(CHANNELS.commandError, onError);
  return () => {
    diagnosticsChannel.unsubscribe(CHANNELS.commandStart, onStart);
    diagnosticsChannel.unsubscribe(CHANNELS.commandComplete, onComplete);
    diagnosticsChannel.unsubscribe(CHANNELS.commandError, onError);
  };
}

/** Status and sense of a failed command, in sg3_utils' words. */
function describeError(e: unknown, withSense: boolean): string {
  if (e instanceof CheckConditionError) {
    const lines = [`status: CHECK CONDITION`];
    if (withSense) {
      lines.push(senseText(e.sense, ''));
      lines.push(`sense: ${hexList(e.sense.raw)}`);
    }
    return lines.join('\n');
  }
  if (e instanceof ScsiStatusError) return `status: ${e.statusName}`;
  if (e instanceof HostError) return `host status: ${e.hostStatusName} (${e.hostStatusText})`;
  return `error: ${(e as Error).message}`;
}

function errorBody(e: unknown, exitStatus: number): ErrorBody {
  const err = e as Error;
  const body: Record<string, unknown> = {
    name: err?.name ?? 'Error',
    message: err?.message ?? String(e),
    exitStatus,
  };
  if (e instanceof ScsiError) {
    body.code = e.code;
    if (e.command !== undefined) body.scsiCommand = e.command;
  }
  if (e instanceof CheckConditionError) {
    body.status = e.result.status;
    body.statusName = 'CHECK CONDITION';
    const s = senseJson(e.sense);
    for (const k of ['senseKey', 'senseKeyName', 'asc', 'ascq', 'description'] as const) {
      if (s[k] !== undefined) body[k] = s[k];
    }
    if (e.information !== undefined) body.information = e.information;
    if (e.progress !== undefined) body.progressPercent = e.progress.percent;
    body.sense = e.sense.raw;
  } else if (e instanceof ScsiStatusError) {
    body.status = e.status;
    body.statusName = e.statusName;
  } else if (e instanceof HostError) {
    body.hostStatus = e.hostStatus;
    body.hostStatusName = e.hostStatusName;
  }
  return toJsonValue(body) as unknown as ErrorBody;
}

function hint(e: unknown): string {
  if (e instanceof PermissionError && e.reason === 'read-only') {
    return ' (the device was opened read-only: pass --write to allow commands that change it)';
  }
  return '';
}

class Runner {
  status: number = EXIT.OK;
  readonly #io: CliIo;
  readonly #deps: CliDeps;

  constructor(deps: CliDeps) {
    this.#io = deps.io;
    this.#deps = deps;
  }

  emit(name: string, out: Output, ctx: CommandContext): void {
    if (ctx.json) this.#io.out(stringifyDocument(name, out.body));
    else if (out.text !== '') this.#io.out(out.text);
  }

  fail(name: string, e: unknown, ctx: { json: boolean; verbose: number }): number {
    const status = exitStatusFor(e);
    const message = (e as Error)?.message ?? String(e);
    this.#io.err(`scsikit ${name}: ${message}${hint(e)}\n`);
    if (ctx.json)
      this.#io.out(
        `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, command: name, error: errorBody(e, status) }, null, 2)}\n`,
      );
    return status;
  }

  /** A command without a device (sense, cdb, schema, list). */
  async local(name: string, opts: CommonOpts, body: () => Output | Promise<Output>): Promise<void> {
    const ctx = { io: this.#io, json: opts.json === true, verbose: opts.verbose ?? 0 };
    try {
      this.emit(name, await body(), ctx);
      this.status = EXIT.OK;
    } catch (e) {
      this.status = this.fail(name, e, ctx);
    }
  }

  /** Opens DEVICE (read-only unless `write`), runs `body`, prints, closes. */
  async device(
    name: string,
    target: string,
    opts: CommonOpts,
    write: boolean,
    body: (dev: Device, ctx: CommandContext) => Promise<Output>,
  ): Promise<void> {
    const ctx: CommandContext = {
      io: this.#io,
      json: opts.json === true,
      verbose: opts.verbose ?? 0,
      ...(opts.timeout === undefined ? {} : { timeoutMs: opts.timeout }),
    };
    let dev: Device | undefined;
    const untrace =
      ctx.verbose > 0
        ? traceVerbose(this.#io, ctx.verbose, () =>
            dev === undefined ? undefined : (dev.path ?? dev.transport.kind),
          )
        : () => {};
    try {
      const open = this.#deps.open ?? ((t, o) => openDevice(t, o));
      // No retries: like sg3_utils, report what the device answered to the one command sent.
      dev = await open(parseTarget(target), {
        write,
        retry: false,
        ...(opts.timeout === undefined ? {} : { timeoutMs: opts.timeout }),
        ...(opts.transport === undefined ? {} : { transport: opts.transport }),
      });
      if (ctx.verbose > 1)
        this.#io.err(`    opened ${dev.path ?? target} over ${dev.kind}${write ? ' (read-write)' : ''}\n`);
      this.emit(name, await body(dev, ctx), ctx);
      this.status = EXIT.OK;
    } catch (e) {
      this.status = this.fail(name, e, ctx);
    } finally {
      untrace();
      await dev?.close().catch(() => {});
    }
  }
}

function requireWrite(name: string, write: boolean | undefined): void {
  if (write !== true) {
    throw new UsageError(`${name} changes the device: pass --write to confirm`);
  }
}

/** Builds the program; `runner` receives each command's outcome. */
export function buildProgram(deps: CliDeps, runner = new Runner(deps)): { program: Command; runner: Runner } {
  const io = deps.io;
  const program = new Command('scsikit')
    .description(
      'Drive Linux SCSI devices: identity, VPD, capacity, mode/log pages, persistent reservations, ' +
        'zones, I/O, raw CDBs, format/sanitize and benchmarks. Output is labelled like sg3_utils; ' +
        '--json prints one versioned JSON document (field names: T10 names in camelCase).',
    )
    .version(VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `\nDEVICE: ${DEVICE_HELP}.\n${EXIT_HELP}`);

  const deviceCommand = (name: string, description: string) =>
    addCommon(program.command(name).description(description).argument('<device>', DEVICE_HELP));

  // ---- identity ------------------------------------------------------------------------------
  addCommon(
    program.command('list').description('list SCSI devices with their sg/bsg nodes (lsscsi -g)'),
    false,
  )
    .option('--sysfs <dir>', 'sysfs root to read (default /sys)')
    .action((opts: CommonOpts & { sysfs?: string }) =>
      runner.local('list', opts, () =>
        listCommand(
          (deps.listDevices ?? ((r) => listDevices(r === undefined ? {} : { sysRoot: r })))(opts.sysfs),
        ),
      ),
    );

  deviceCommand('inquiry', 'standard INQUIRY data (sg_inq), or one VPD page with --vpd')
    .option('-p, --vpd <page>', `a VPD page: number or ${Object.keys(VPD_ABBREVIATIONS).join('|')}`)
    .action((device: string, opts: CommonOpts & { vpd?: string }) =>
      runner.device('inquiry', device, opts, false, (dev) =>
        inquiryCommand(dev, opts.vpd === undefined ? undefined : parseVpdPage(opts.vpd)),
      ),
    );

  deviceCommand('vpd', 'VPD pages decoded (sg_vpd): one page, or all the device lists')
    .option('-p, --page <page>', `page code, ${Object.keys(VPD_ABBREVIATIONS).join('|')}, or all`, '0')
    .action((device: string, opts: CommonOpts & { page: string }) =>
      runner.device('vpd', device, opts, false, (dev) =>
        vpdCommand(dev, opts.page.toLowerCase() === 'all' ? 'all' : parseVpdPage(opts.page)),
      ),
    );

  deviceCommand('readcap', 'READ CAPACITY (sg_readcap); (16) with --long or when (10) cannot tell')
    .option('-l, --long', 'use READ CAPACITY(16)')
    .action((device: string, opts: CommonOpts & { long?: boolean }) =>
      runner.device('readcap', device, opts, false, (dev) => readcapCommand(dev, opts.long === true)),
    );

  deviceCommand('luns', 'REPORT LUNS (sg_luns)')
    .option('-s, --select <n>', 'SELECT REPORT field (0, 1, 2, 0x10-0x12)', int('--select', 0, 255), 0)
    .action((device: string, opts: CommonOpts & { select: number }) =>
      runner.device('luns', device, opts, false, (dev) => lunsCommand(dev, opts.select)),
    );

  deviceCommand('tur', 'TEST UNIT READY (sg_turs): exit 0 when ready, 2 when not').action(
    (device: string, opts: CommonOpts) => runner.device('tur', device, opts, false, (dev) => turCommand(dev)),
  );

  deviceCommand('opcodes', 'supported operation codes with timeouts (sg_opcodes --rctd)').action(
    (device: string, opts: CommonOpts) =>
      runner.device('opcodes', device, opts, false, (dev) => opcodesCommand(dev)),
  );

  // ---- pages ---------------------------------------------------------------------------------
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

  // ---- persistent reservations ---------------------------------------------------------------
  deviceCommand('pr', 'persistent reservations (sg_persist); OUT actions need --write')
    .addArgument(new Argument('<action>', `one of ${PR_ACTIONS.join(', ')}`).choices(PR_ACTIONS))
    .option('-k, --key <key>', 'RESERVATION KEY (ours, registered)', (v) => parseU64(v, '--key'))
    .option('-s, --sa-key <key>', 'SERVICE ACTION RESERVATION KEY (new key; key to preempt)', (v) =>
      parseU64(v, '--sa-key'),
    )
    .option(
      '-T, --type <type>',
      'reservation type: 1 3 5 6 7 8 or writeExclusive, exclusiveAccess, …',
      parsePrType,
    )
    .option('--aptpl', 'activate persist through power loss (register)')
    .option('-w, --write', 'allow OUT actions (they change the device)')
    .action(
      (
        device: string,
        action: PrAction,
        opts: CommonOpts & {
          key?: bigint;
          saKey?: bigint;
          type?: number | string;
          aptpl?: boolean;
          write?: boolean;
        },
      ) =>
        gate(
          runner,
          'pr',
          { ...opts, write: PR_OUT_ACTIONS.has(action) ? opts.write === true : true },
          () =>
            runner.device('pr', device, opts, PR_OUT_ACTIONS.has(action), (dev) =>
              prCommand(dev, action, {
                ...(opts.key === undefined ? {} : { key: opts.key }),
                ...(opts.saKey === undefined ? {} : { serviceActionKey: opts.saKey }),
                ...(opts.type === undefined ? {} : { type: opts.type as number }),
                ...(opts.aptpl === true ? { aptpl: true } : {}),
              }),
            ),
          `pr ${action}`,
        ),
    );

  // ---- zoned and provisioning ----------------------------------------------------------------
  deviceCommand('zones', 'REPORT ZONES (sg_rep_zones)')
    .option('-s, --start <lba>', 'zone start LBA (default 0)', (v) => parseU64(v, '--start'))
    .option(
      '-o, --options <n>',
      'REPORTING OPTIONS (0 all, 1 empty, 2 implicitly open …)',
      int('--options', 0, 0x3f),
      0,
    )
    .option('-m, --max <n>', 'at most this many zones', int('--max', 1, 1_000_000))
    .action((device: string, opts: CommonOpts & { start?: bigint; options: number; max?: number }) =>
      runner.device('zones', device, opts, false, (dev) =>
        zonesCommand(dev, {
          startLba: opts.start ?? 0n,
          reportingOptions: opts.options,
          ...(opts.max === undefined ? {} : { maxZones: opts.max }),
        }),
      ),
    );

  deviceCommand('lba-status', 'GET LBA STATUS (sg_get_lba_status): mapped/deallocated extents')
    .option('-l, --lba <lba>', 'starting LBA (default 0)', (v) => parseU64(v, '--lba'))
    .action((device: string, opts: CommonOpts & { lba?: bigint }) =>
      runner.device('lba-status', device, opts, false, (dev) => lbaStatusCommand(dev, opts.lba ?? 0n)),
    );

  // ---- data ----------------------------------------------------------------------------------
  const lbaOpt = (c: Command) =>
    c.requiredOption('-l, --lba <lba>', 'first LBA', (v) => parseU64(v, '--lba'));
  const countOpt = (c: Command, required: boolean) =>
    required
      ? c.requiredOption('-n, --count <blocks>', 'number of logical blocks', int('--count', 1, 2 ** 32 - 1))
      : c.option('-n, --count <blocks>', 'number of logical blocks', int('--count', 0, 2 ** 32 - 1));

  countOpt(lbaOpt(deviceCommand('read', 'READ blocks to a file, stdout (-o -) or a hex dump')), true)
    .option('-o, --output <file>', "write the data here ('-': standard output, binary)")
    .option('--fua', 'force unit access')
    .option('--dpo', 'disable page out')
    .action(
      (
        device: string,
        opts: CommonOpts & { lba: bigint; count: number; output?: string; fua?: boolean; dpo?: boolean },
      ) =>
        runner.device('read', device, opts, false, (dev) =>
          readCommand(dev, io, {
            lba: opts.lba,
            blocks: opts.count,
            ...(opts.output === undefined ? {} : { output: opts.output }),
            fua: opts.fua === true,
            dpo: opts.dpo === true,
          }),
        ),
    );

  countOpt(lbaOpt(deviceCommand('write', 'WRITE blocks from a file (needs --write)')), false)
    .requiredOption('-i, --input <file>', 'data to write (whole blocks; --count defaults to all of it)')
    .option('--fua', 'force unit access')
    .option('--dpo', 'disable page out')
    .option('-w, --write', 'confirm: this changes the device')
    .action(
      (
        device: string,
        opts: CommonOpts & {
          lba: bigint;
          count?: number;
          input: string;
          fua?: boolean;
          dpo?: boolean;
          write?: boolean;
        },
      ) =>
        gate(runner, 'write', opts, () =>
          runner.device('write', device, opts, true, (dev) =>
            writeCommand(dev, {
              lba: opts.lba,
              ...(opts.count === undefined ? {} : { blocks: opts.count }),
              input: opts.input,
              fua: opts.fua === true,
              dpo: opts.dpo === true,
            }),
          ),
        ),
    );

  countOpt(
    lbaOpt(deviceCommand('verify', 'VERIFY blocks (medium check), or compare with a file (BYTCHK)')),
    true,
  )
    .option('-i, --input <file>', 'compare the blocks with this file (miscompare: exit 14)')
    .action((device: string, opts: CommonOpts & { lba: bigint; count: number; input?: string }) =>
      runner.device('verify', device, opts, false, (dev) =>
        verifyCommand(dev, {
          lba: opts.lba,
          blocks: opts.count,
          ...(opts.input === undefined ? {} : { compareWith: opts.input }),
        }),
      ),
    );

  deviceCommand('unmap', 'UNMAP ranges (thin provisioning; needs --write)')
    .requiredOption(
      '-r, --range <lba,count>',
      'a range to deallocate (repeat for more)',
      (v: string, prev: Array<{ lba: bigint; blocks: number }>) => [...prev, parseRange(v, parseU64)],
      [] as Array<{ lba: bigint; blocks: number }>,
    )
    .option('-w, --write', 'confirm: this changes the device')
    .action(
      (
        device: string,
        opts: CommonOpts & { range: Array<{ lba: bigint; blocks: number }>; write?: boolean },
      ) =>
        gate(runner, 'unmap', opts, () =>
          runner.device('unmap', device, opts, true, (dev) => unmapCommand(dev, opts.range)),
        ),
    );

  deviceCommand('sync', 'SYNCHRONIZE CACHE (whole device, or a range)')
    .option('-l, --lba <lba>', 'first LBA (default 0)', (v) => parseU64(v, '--lba'))
    .option('-n, --count <blocks>', 'blocks (0: to the end)', int('--count', 0, 2 ** 32 - 1), 0)
    .option('--immed', 'return before the cache is flushed')
    .action((device: string, opts: CommonOpts & { lba?: bigint; count: number; immed?: boolean }) =>
      runner.device('sync', device, opts, false, (dev) =>
        syncCommand(dev, { lba: opts.lba ?? 0n, blocks: opts.count, immed: opts.immed === true }),
      ),
    );

  deviceCommand('raw', 'send any CDB given in hex (sg_raw); data in/out from files')
    .argument('<cdb...>', 'CDB bytes in hex (e.g. 12 00 00 00 24 00, or 120000002400)')
    .option('-r, --request <bytes>', 'data-in: expect this many bytes', int('--request', 0, 2 ** 30))
    .option('-o, --outfile <file>', 'write data-in here instead of a hex dump')
    .option('-i, --infile <file>', 'data-out: send this file')
    .option(
      '-s, --send <bytes>',
      'data-out: send only the first N bytes of --infile',
      int('--send', 0, 2 ** 30),
    )
    .option('-w, --write', 'allow commands that change the device (unknown and vendor opcodes count as such)')
    .action(
      (
        device: string,
        cdb: string[],
        opts: CommonOpts & {
          request?: number;
          outfile?: string;
          infile?: string;
          send?: number;
          write?: boolean;
        },
      ) =>
        runner.device('raw', device, opts, opts.write === true, (dev) =>
          rawCommand(dev, {
            cdb: parseHexBytes(cdb, 'CDB'),
            ...(opts.request === undefined ? {} : { request: opts.request }),
            ...(opts.outfile === undefined ? {} : { outfile: opts.outfile }),
            ...(opts.infile === undefined ? {} : { infile: opts.infile }),
            ...(opts.send === undefined ? {} : { send: opts.send }),
          }),
        ),
    );

  // ---- long operations -----------------------------------------------------------------------
  const longOpts = (c: Command) =>
    c
      .option('-w, --write', 'confirm: this changes the device')
      .option('-y, --yes', 'do not ask for confirmation')
      .option('--wait', "follow the operation with a progress bar fed by the device's progress indication")
      .option('--poll <ms>', 'REQUEST SENSE poll interval with --wait', int('--poll', 1, 600_000), 1000);

  longOpts(
    deviceCommand('format', 'FORMAT UNIT (sg_format): destroys all data; needs --write and confirmation'),
  )
    .option('--fmtpinfo <n>', 'FMTPINFO (protection information format)', int('--fmtpinfo', 0, 3), 0)
    .action(
      (
        device: string,
        opts: CommonOpts & { write?: boolean; yes?: boolean; wait?: boolean; poll: number; fmtpinfo: number },
      ) =>
        gate(runner, 'format', opts, async () => {
          try {
            await confirmDestructive(io, 'FORMAT UNIT', opts.yes === true);
          } catch (e) {
            runner.status = runner.fail('format', e, {
              json: opts.json === true,
              verbose: opts.verbose ?? 0,
            });
            return;
          }
          await runner.device('format', device, opts, true, (dev) =>
            formatCommand(dev, io, {
              wait: opts.wait === true,
              pollIntervalMs: opts.poll,
              fmtpinfo: opts.fmtpinfo,
            }),
          );
        }),
    );

  longOpts(
    deviceCommand('sanitize', 'SANITIZE (sg_sanitize): destroys all data; needs --write and confirmation'),
  )
    .addOption(
      new Option('-a, --action <action>', 'sanitize method')
        .choices(Object.keys(SANITIZE_ACTIONS))
        .makeOptionMandatory(),
    )
    .option('--pattern <hex>', 'overwrite: the pattern (hex bytes)')
    .option('--passes <n>', 'overwrite: OVERWRITE COUNT', int('--passes', 1, 31), 1)
    .option('--ause', 'allow unrestricted sanitize exit')
    .option('--znr', 'zoned no reset')
    .action(
      (
        device: string,
        opts: CommonOpts & {
          write?: boolean;
          yes?: boolean;
          wait?: boolean;
          poll: number;
          action: string;
          pattern?: string;
          passes: number;
          ause?: boolean;
          znr?: boolean;
        },
      ) =>
        gate(runner, 'sanitize', opts, async () => {
          try {
            await confirmDestructive(io, 'SANITIZE', opts.yes === true);
          } catch (e) {
            runner.status = runner.fail('sanitize', e, {
              json: opts.json === true,
              verbose: opts.verbose ?? 0,
            });
            return;
          }
          await runner.device('sanitize', device, opts, true, (dev) =>
            sanitizeCommand(dev, io, {
              wait: opts.wait === true,
              pollIntervalMs: opts.poll,
              serviceAction: SANITIZE_ACTIONS[opts.action] ?? 'blockErase',
              ause: opts.ause === true,
              znr: opts.znr === true,
              ...(opts.pattern === undefined ? {} : { pattern: parseHexBytes([opts.pattern], '--pattern') }),
              passes: opts.passes,
            }),
          );
        }),
    );

  // ---- decoding, no device -------------------------------------------------------------------
  addCommon(
    program.command('sense').description('decode sense data given in hex (sg_decode_sense); no device'),
    false,
  )
    .argument('<hex...>', 'sense bytes in hex (e.g. 70 00 05 00 00 00 00 0a …)')
    .action((hex: string[], opts: CommonOpts) =>
      runner.local('sense', opts, () => senseCommand(parseHexBytes(hex, 'sense'))),
    );

  addCommon(
    program.command('cdb').description('decode a CDB given in hex: command name and fields; no device'),
    false,
  )
    .argument('<hex...>', 'CDB bytes in hex (e.g. 28 00 00 00 10 00 00 00 08 00)')
    .option('--pdt <type>', 'peripheral device type (commands that share an opcode)', int('--pdt', 0, 0x1f))
    .action((hex: string[], opts: CommonOpts & { pdt?: number }) =>
      runner.local('cdb', opts, () => cdbCommand(parseHexBytes(hex, 'CDB'), opts.pdt)),
    );

  // ---- bench ---------------------------------------------------------------------------------
  deviceCommand(
    'bench',
    'benchmark: random/sequential reads (or writes with --write), live progress, latency histogram',
  )
    .addOption(
      new Option('--pattern <p>', 'access pattern').choices(['random', 'sequential']).default('random'),
    )
    .option(
      '--bs <bytes>',
      'block size in bytes (a multiple of the logical block length)',
      int('--bs', 512, 64 * 1024 * 1024),
      4096,
    )
    .option('--qd <n>', 'queue depth (commands in flight)', int('--qd', 1, 1024), 1)
    .option(
      '-d, --duration <s>',
      'run time in seconds',
      (v) => {
        const s = Number(v);
        if (!Number.isFinite(s) || s <= 0 || s > 86_400)
          throw new UsageError(`--duration: expected seconds in (0, 86400], got "${v}"`);
        return s;
      },
      5,
    )
    .option('--span <blocks>', 'use only the first N blocks', (v) => parseBigInt(v, '--span'))
    .option('--seed <n>', 'random seed', int('--seed', 0, 2 ** 32 - 1), 1)
    .option('-w, --write', 'write instead of read (destroys data)')
    .action(
      (
        device: string,
        opts: CommonOpts & {
          pattern: 'random' | 'sequential';
          bs: number;
          qd: number;
          duration: number;
          span?: bigint;
          seed: number;
          write?: boolean;
        },
      ) =>
        runner.device('bench', device, opts, opts.write === true, (dev) =>
          benchCommand(dev, io, {
            pattern: opts.pattern,
            operation: opts.write === true ? 'write' : 'read',
            blockSize: opts.bs,
            queueDepth: opts.qd,
            durationMs: opts.duration * 1000,
            ...(opts.span === undefined ? {} : { spanBlocks: opts.span }),
            seed: opts.seed,
          }),
        ),
    );

  // ---- meta ----------------------------------------------------------------------------------
  addCommon(
    program.command('schema').description("print the JSON Schema of a command's --json document"),
    false,
  )
    .argument('[command]', `one of ${Object.keys(COMMAND_SCHEMAS).join(', ')}; all when absent`)
    .option('--out-dir <dir>', 'write <command>.schema.json files into this directory instead')
    .action((command: string | undefined, opts: CommonOpts & { outDir?: string }) =>
      runner.local('schema', { ...opts, json: false }, () =>
        opts.outDir === undefined
          ? schemaCommand(command)
          : { body: {}, text: `${writeSchemaFiles(opts.outDir).join('\n')}\n` },
      ),
    );

  program
    .command('completion')
    .description('print a shell completion script (bash or zsh): eval "$(scsikit completion bash)"')
    .addArgument(new Argument('<shell>', 'bash or zsh').choices(['bash', 'zsh']))
    .action((shell: 'bash' | 'zsh') =>
      runner.local('completion', {}, () => ({ body: {}, text: completionScript(shell, program) })),
    );

  return { program, runner };
}

/** Write-class commands: refuse before opening anything unless --write was given. */
async function gate(
  runner: Runner,
  name: string,
  opts: CommonOpts & { write?: boolean },
  body: () => Promise<void>,
  what = name,
): Promise<void> {
  try {
    requireWrite(what, opts.write);
  } catch (e) {
    runner.status = runner.fail(name, e, { json: opts.json === true, verbose: opts.verbose ?? 0 });
    return;
  }
  await body();
}

/** Runs the command line and resolves with the exit status. Never throws. */
export async function run(argv: readonly string[], deps: CliDeps): Promise<number> {
  const { program, runner } = buildProgram(deps);
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT.SYNTAX_ERROR;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return runner.status;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      ) {
        return EXIT.OK;
      }
      if (argv.includes('--json')) {
        const command = argv.find((a) => !a.startsWith('-')) ?? 'scsikit';
        deps.io.out(
          `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, command, error: { name: 'UsageError', message: e.message, exitStatus: EXIT.SYNTAX_ERROR } }, null, 2)}\n`,
        );
      }
      return EXIT.SYNTAX_ERROR;
    }
    return runner.fail(argv[0] ?? 'scsikit', e, { json: argv.includes('--json'), verbose: 0 });
  }
}

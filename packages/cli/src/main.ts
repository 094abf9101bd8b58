/**
 * The `scsikit` command line: commander wiring, device opening, --verbose tracing from core's
 * diagnostics channels, output (human or one --json document) and exit statuses. `run` takes the
 * argument vector and an output sink and resolves with the exit status, so tests drive it in
 * process; bin.ts binds it to the real process.
 */
import diagnosticsChannel from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import {
  CHANNELS,
  CheckConditionError,
  type CommandCompleteMessage,
  type CommandErrorMessage,
  type CommandStartMessage,
  type Device,
  type DeviceTarget,
  HostError,
  openDevice,
  PermissionError,
  ScsiError,
  ScsiStatusError,
} from '@scsikit/core';
import { Command, CommanderError } from 'commander';
import { registerBenchCommand } from './commands/bench.js';
import { registerChangerCommands } from './commands/changer.js';
import { registerDecodeCommands, senseJson, senseText } from './commands/decode.js';
import { registerFirmwareCommands } from './commands/firmware.js';
import { registerHealthCommands } from './commands/health.js';
import { registerIdentityCommands } from './commands/identity.js';
import { registerIoCommands } from './commands/io.js';
import { registerLongOpCommands } from './commands/long-ops.js';
import { registerPageCommands } from './commands/pages.js';
import { registerPrCommands } from './commands/pr.js';
import { registerSecurityCommands } from './commands/security.js';
import { registerSesCommands } from './commands/ses.js';
import { registerTapeCommands } from './commands/tape.js';
import { registerZonedCommands } from './commands/zoned.js';
import { registerCompletionCommand } from './completion.js';
import type { CliIo, CommandContext, Output } from './context.js';
import { EXIT, EXIT_DESCRIPTIONS, exitStatusFor } from './exit-codes.js';
import { hexList } from './format.js';
import { type ErrorBody, SCHEMA_VERSION, stringifyDocument, toJsonValue } from './json.js';
import {
  addCommon,
  type Cli,
  type CliDeps,
  type CommandRunner,
  type CommonOpts,
  DEVICE_HELP,
} from './registration.js';
import { registerSchemaCommand } from './schemas.js';

export type { CliDeps } from './registration.js';

/** The package's own version (src/ and dist/ both sit beside package.json), kept by changesets. */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string })
  .version;

/** `wwn:…` and `serial:…` select by identity; anything else is a path or H:C:T:L. */
export function parseTarget(text: string): DeviceTarget {
  if (text.startsWith('wwn:')) return { wwn: text.slice(4) };
  if (text.startsWith('serial:')) return { serial: text.slice(7) };
  return text;
}

const EXIT_HELP = `\nExit status (sg3_utils convention, man sg3_utils):\n${Object.entries(EXIT_DESCRIPTIONS)
  .map(([code, text]) => `  ${code.padStart(3)}  ${text}`)
  .join('\n')}\n`;

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

class Runner implements CommandRunner {
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

  const cli: Cli = {
    program,
    runner,
    deps,
    io,
    deviceCommand: (name, description) =>
      addCommon(program.command(name).description(description).argument('<device>', DEVICE_HELP)),
    localCommand: (name, description) => addCommon(program.command(name).description(description), false),
  };
  // In this order in --help.
  registerIdentityCommands(cli);
  registerPageCommands(cli);
  registerPrCommands(cli);
  registerZonedCommands(cli);
  registerTapeCommands(cli);
  registerIoCommands(cli);
  registerLongOpCommands(cli);
  registerFirmwareCommands(cli);
  registerSecurityCommands(cli);
  registerDecodeCommands(cli);
  registerBenchCommand(cli);
  registerHealthCommands(cli);
  registerChangerCommands(cli);
  registerSesCommands(cli);
  registerSchemaCommand(cli);
  registerCompletionCommand(cli);
  return { program, runner };
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

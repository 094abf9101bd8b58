/**
 * What a command family file needs to register its subcommands: the common options, the DEVICE
 * argument, the runner that opens the device and prints the outcome (main.ts implements it) and
 * the --write gate. Family files import this file, never main.ts.
 */
import type { Device, DeviceTarget, ScsiDeviceInfo, TransportChoice } from '@scsikit/core';
import { type Command, Option } from 'commander';
import { type CliIo, type CommandContext, type Output, parseIntIn } from './context.js';
import { UsageError } from './errors.js';
import { SCHEMA_VERSION } from './json.js';

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

export const DEVICE_HELP =
  '/dev/sdX, /dev/sgN, /dev/bsg/H:C:T:L, H:C:T:L, wwn:<naa…> or serial:<unit serial> (as openDevice takes it)';

/** The options every command has (`--json`, `-v`), and those of a command with a DEVICE. */
export interface CommonOpts {
  json?: boolean;
  verbose?: number;
  timeout?: number;
  transport?: TransportChoice;
}

const count = (_: string, prev: number) => prev + 1;

/** A commander option parser for an integer in [min, max]. */
export const int = (what: string, min: number, max: number) => (v: string) => parseIntIn(v, what, min, max);

/** Adds the common options; `withDevice` adds those that only apply when a device is opened. */
export function addCommon(cmd: Command, withDevice = true): Command {
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

/** Runs one command's body, prints its output or its error, and records the exit status. */
export interface CommandRunner {
  /** The exit status of the command that ran last. */
  status: number;
  /** A command without a device (sense, cdb, schema, list). */
  local(name: string, opts: CommonOpts, body: () => Output | Promise<Output>): Promise<void>;
  /** Opens DEVICE (read-only unless `write`), runs `body`, prints, closes. */
  device(
    name: string,
    target: string,
    opts: CommonOpts,
    write: boolean,
    body: (dev: Device, ctx: CommandContext) => Promise<Output>,
  ): Promise<void>;
  /** Reports a failure (stderr, and the JSON error document with --json); returns the exit status. */
  fail(name: string, e: unknown, ctx: { json: boolean; verbose: number }): number;
}

/** What a family's `register…` function is handed. */
export interface Cli {
  readonly program: Command;
  readonly runner: CommandRunner;
  readonly deps: CliDeps;
  readonly io: CliIo;
  /** A subcommand taking DEVICE, with the common options. */
  deviceCommand(name: string, description: string): Command;
  /** A subcommand without a device, with the options that apply there. */
  localCommand(name: string, description: string): Command;
}

/** Write-class commands: refuse before opening anything unless --write was given. */
export async function gate(
  runner: CommandRunner,
  name: string,
  opts: CommonOpts & { write?: boolean },
  body: () => Promise<void>,
  what = name,
): Promise<void> {
  if (opts.write !== true) {
    const e = new UsageError(`${what} changes the device: pass --write to confirm`);
    runner.status = runner.fail(name, e, { json: opts.json === true, verbose: opts.verbose ?? 0 });
    return;
  }
  await body();
}

/**
 * `format` (sg_format) and `sanitize` (sg_sanitize): sent with IMMED; `--wait` then polls REQUEST
 * SENSE and shows the device's progress indication until the operation ends.
 */
import type { SanitizeServiceAction } from '@scsikit/cdb';
import type { Device, LongOperation } from '@scsikit/core';
import { type Command, Option } from 'commander';
import { z } from 'zod';
import { type CliIo, type Output, parseHexBytes } from '../context.js';
import { UsageError } from '../errors.js';
import { successSchema } from '../json.js';
import { startProgress } from '../progress.js';
import { type Cli, type CommonOpts, gate, int } from '../registration.js';

const longOpBody = {
  /** True when the command returned and the operation still runs in the device (no --wait). */
  started: z.boolean(),
  /** True when --wait saw the operation end. */
  completed: z.boolean(),
  /** Percentages the device reported while --wait polled. */
  progress: z.array(z.number()).optional(),
};
export const formatSchema = successSchema('format', { ...longOpBody, fmtpinfo: z.number().int() });
export const sanitizeSchema = successSchema('sanitize', {
  ...longOpBody,
  serviceAction: z.enum(['overwrite', 'blockErase', 'cryptoErase', 'exitFailureMode']),
});

export const SANITIZE_ACTIONS: Readonly<Record<string, SanitizeServiceAction>> = {
  block: 'blockErase',
  crypto: 'cryptoErase',
  overwrite: 'overwrite',
  'exit-failure': 'exitFailureMode',
};

/** Confirmation unless --yes: destructive, whole device. */
export async function confirmDestructive(io: CliIo, what: string, yes: boolean): Promise<void> {
  if (yes) return;
  const ok = await io.confirm(`${what} destroys every block on the device. Continue? [y/N] `);
  if (!ok) throw new UsageError(`${what} not confirmed; answer y, or pass --yes`);
}

async function follow(io: CliIo, op: LongOperation, label: string): Promise<number[]> {
  const seen: number[] = [];
  const bar = startProgress(io, label);
  try {
    for await (const p of op.progress()) {
      seen.push(p);
      bar.update(p);
    }
  } finally {
    bar.stop();
  }
  return seen;
}

export interface LongOpOptions {
  readonly wait: boolean;
  readonly pollIntervalMs: number;
}

export async function formatCommand(
  dev: Device,
  io: CliIo,
  o: LongOpOptions & { fmtpinfo: number },
): Promise<Output> {
  const op = await dev.formatUnit({
    pollIntervalMs: o.pollIntervalMs,
    ...(o.fmtpinfo === 0 ? {} : { cdb: { fmtpinfo: o.fmtpinfo } }),
  });
  if (!o.wait) {
    return {
      body: { started: true, completed: false, fmtpinfo: o.fmtpinfo },
      text: 'FORMAT UNIT started (IMMED); the device reports progress through REQUEST SENSE (add --wait to follow it)\n',
    };
  }
  const progress = await follow(io, op, 'Format');
  return {
    body: { started: true, completed: true, fmtpinfo: o.fmtpinfo, progress },
    text: 'FORMAT UNIT complete\n',
  };
}

export async function sanitizeCommand(
  dev: Device,
  io: CliIo,
  o: LongOpOptions & {
    serviceAction: SanitizeServiceAction;
    ause: boolean;
    znr: boolean;
    pattern?: Uint8Array;
    passes: number;
  },
): Promise<Output> {
  if (o.serviceAction === 'overwrite' && o.pattern === undefined) {
    throw new UsageError('sanitize --action overwrite needs --pattern HEX');
  }
  const op = await dev.sanitize({
    serviceAction: o.serviceAction,
    pollIntervalMs: o.pollIntervalMs,
    ...(o.ause ? { ause: true } : {}),
    ...(o.znr ? { znr: true } : {}),
    ...(o.serviceAction === 'overwrite' && o.pattern !== undefined
      ? { overwrite: { pattern: o.pattern, overwriteCount: o.passes } }
      : {}),
  });
  if (!o.wait) {
    return {
      body: { started: true, completed: false, serviceAction: o.serviceAction },
      text: 'SANITIZE started (IMMED); the device reports progress through REQUEST SENSE\n',
    };
  }
  const progress = await follow(io, op, 'Sanitize');
  return {
    body: { started: true, completed: true, serviceAction: o.serviceAction, progress },
    text: 'SANITIZE complete\n',
  };
}

/** Registers format, sanitize. */
export function registerLongOpCommands({ runner, io, deviceCommand }: Cli): void {
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
}

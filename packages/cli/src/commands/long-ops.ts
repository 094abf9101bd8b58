/**
 * `format` (sg_format) and `sanitize` (sg_sanitize): sent with IMMED; `--wait` then polls REQUEST
 * SENSE and shows the device's progress indication until the operation ends.
 */
import type { SanitizeServiceAction } from '@scsikit/cdb';
import type { Device, LongOperation } from '@scsikit/core';
import { z } from 'zod';
import type { CliIo, Output } from '../context.js';
import { UsageError } from '../errors.js';
import { successSchema } from '../json.js';
import { startProgress } from '../progress.js';

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

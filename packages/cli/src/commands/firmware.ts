/**
 * `fw-download` (sg_write_buffer's microcode modes): WRITE BUFFER 05h/07h/0Dh/0Eh in chunks the
 * device allows, with a progress bar, then activation (05h/07h by themselves, 0Dh/0Eh with
 * --activate, which sends mode 0Fh). Write-class: needs --write.
 */
import type { Device, MicrocodeDownloadResult, MicrocodeMode } from '@scsikit/core';
import { z } from 'zod';
import { type CliIo, type Output, readFileBytes } from '../context.js';
import { UsageError } from '../errors.js';
import { byte, successSchema, uint } from '../json.js';
import { startProgress } from '../progress.js';
import { type Cli, type CommonOpts, gate, int } from '../registration.js';

const MODE_NAMES: Readonly<Record<number, string>> = {
  5: 'download microcode and save',
  7: 'download microcode with offsets and save',
  13: 'download microcode with offsets, select activation events, save, and defer activate',
  14: 'download microcode with offsets, save, and defer activate',
};

export const fwDownloadSchema = successSchema('fw-download', {
  /** WRITE BUFFER MODE used (5, 7, 13, 14). */
  mode: byte,
  modeName: z.string(),
  bufferId: byte,
  /** Bytes of the image file, all sent. */
  bytesSent: uint,
  chunkSize: uint,
  /** WRITE BUFFER commands completed (chunks, plus mode 0Fh with --activate). */
  commands: uint,
  /** The command that activates the microcode completed with GOOD. */
  activated: z.boolean(),
  /** Saved, waiting for activation (0Dh/0Eh without --activate). */
  deferred: z.boolean(),
  /** Unit attentions met and consumed (3Fh/01h MICROCODE HAS BEEN CHANGED…). */
  unitAttentions: z.array(z.object({ asc: byte, ascq: byte, description: z.string() })),
  /** What the device said about downloads; a member is absent when it did not say. */
  limits: z.object({
    offsetBoundary: byte.optional(),
    offsetAlignment: z.number().optional(),
    bufferCapacity: uint.optional(),
    maxTransferBytes: uint,
    activateMicrocode: z.number().int().min(0).max(3).optional(),
    poaSup: z.boolean().optional(),
    hraSup: z.boolean().optional(),
    vsaSup: z.boolean().optional(),
  }),
});

const h2 = (n: number) => `${n.toString(16).padStart(2, '0')}h`;

export function fwDownloadText(r: MicrocodeDownloadResult): string {
  const l = r.limits;
  const lines = [
    `WRITE BUFFER mode ${h2(r.mode)} (${MODE_NAMES[r.mode] ?? 'reserved'}), buffer ID ${r.bufferId}`,
    `  sent ${r.bytesSent} bytes in ${r.commands} command(s) of up to ${r.chunkSize} bytes`,
    `  device: offset boundary ${
      l.offsetBoundary === undefined
        ? 'not reported'
        : l.offsetBoundary === 0xff
          ? 'FFh (offset 0 only)'
          : `2^${l.offsetBoundary} (${l.offsetAlignment} bytes)`
    }, buffer capacity ${l.bufferCapacity === undefined ? 'not reported' : `${l.bufferCapacity} bytes`}, max transfer ${l.maxTransferBytes} bytes`,
  ];
  if (r.activated) lines.push('Microcode activated');
  else
    lines.push(
      'Microcode saved, activation deferred (activate with WRITE BUFFER mode 0Fh: fw-download --activate)',
    );
  for (const u of r.unitAttentions)
    lines.push(`  unit attention consumed: ${h2(u.asc)}/${h2(u.ascq)} ${u.description}`);
  return `${lines.join('\n')}\n`;
}

export interface FwDownloadOptions {
  readonly file: string;
  readonly mode: number;
  readonly chunkSize?: number;
  readonly bufferId: number;
  readonly activate: boolean;
}

export async function fwDownloadCommand(dev: Device, io: CliIo, o: FwDownloadOptions): Promise<Output> {
  const image = readFileBytes(o.file);
  if (!(o.mode in MODE_NAMES)) throw new UsageError(`--mode ${o.mode}: expected 5, 7, 0xd or 0xe`);
  const bar = startProgress(io, 'Download');
  let r: MicrocodeDownloadResult;
  try {
    r = await dev.downloadMicrocode(image, {
      mode: o.mode as MicrocodeMode,
      bufferId: o.bufferId,
      ...(o.chunkSize === undefined ? {} : { chunkSize: o.chunkSize }),
      ...(o.activate ? { activate: true } : {}),
      onProgress: (sent, total) => bar.update((sent / total) * 100, { bytes: `${sent}/${total} bytes` }),
    });
  } finally {
    bar.stop();
  }
  const body = {
    mode: r.mode,
    modeName: MODE_NAMES[r.mode] ?? 'reserved',
    bufferId: r.bufferId,
    bytesSent: r.bytesSent,
    chunkSize: r.chunkSize,
    commands: r.commands,
    activated: r.activated,
    deferred: r.deferred,
    unitAttentions: r.unitAttentions,
    limits: r.limits,
  };
  return { body, text: fwDownloadText(r) };
}

/** Registers fw-download. */
export function registerFirmwareCommands({ runner, io, deviceCommand }: Cli): void {
  deviceCommand(
    'fw-download',
    'download microcode with WRITE BUFFER (sg_write_buffer -m 5/7/0xd/0xe); needs --write',
  )
    .argument('<file>', 'the microcode image')
    .option('-m, --mode <mode>', 'WRITE BUFFER mode: 5, 7, 0xd or 0xe', int('--mode', 0, 0x1f), 7)
    .option(
      '--chunk <bytes>',
      "bytes per command (default: the device's limits, at most 64 KiB)",
      int('--chunk', 1, 0xffffff),
    )
    .option('--buffer-id <n>', 'BUFFER ID', int('--buffer-id', 0, 255), 0)
    .option('--activate', 'modes 0xd/0xe: activate now (WRITE BUFFER mode 0Fh) instead of deferring')
    .option('-w, --write', 'confirm: this changes the device')
    .action(
      (
        device: string,
        file: string,
        opts: CommonOpts & {
          mode: number;
          chunk?: number;
          bufferId: number;
          activate?: boolean;
          write?: boolean;
        },
      ) =>
        gate(runner, 'fw-download', opts, () =>
          runner.device('fw-download', device, opts, true, (dev) =>
            fwDownloadCommand(dev, io, {
              file,
              mode: opts.mode,
              bufferId: opts.bufferId,
              activate: opts.activate === true,
              ...(opts.chunk === undefined ? {} : { chunkSize: opts.chunk }),
            }),
          ),
        ),
    );
}

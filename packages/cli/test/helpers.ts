/** Runs the CLI in process against an EmulatedDisk and captures what it prints. */
import { type Device, openDevice } from '@scsikit/core';
import { EmulatedDisk } from '@scsikit/emulated-disk';
import type { ScsiCommand, ScsiResult, Transport } from '@scsikit/transport';
import { expect } from 'vitest';
import { run } from '../src/main.js';
import { commandDocumentSchema } from '../src/schemas.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Binary bytes written to stdout (`read -o -`). */
  readonly bytes: Uint8Array;
  /** Every DEVICE the CLI asked to open, with the write flag. */
  readonly opened: Array<{ target: unknown; write: boolean }>;
}

export interface RunOptions {
  /** The transport DEVICE resolves to. @default a fresh EmulatedDisk */
  readonly transport?: Transport;
  /** The answer to a confirmation prompt. @default false (nobody at the terminal) */
  readonly confirm?: boolean;
}

export async function cli(argv: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const chunks: Uint8Array[] = [];
  const opened: Array<{ target: unknown; write: boolean }> = [];
  const transport = options.transport ?? new EmulatedDisk();
  const code = await run(argv, {
    io: {
      out: (s) => {
        stdout += s;
      },
      outBytes: (b) => {
        chunks.push(b.slice());
      },
      err: (s) => {
        stderr += s;
      },
      confirm: async () => options.confirm ?? false,
    },
    open: async (target, o): Promise<Device> => {
      opened.push({ target, write: o.write });
      return openDevice(transport, o);
    },
  });
  return { code, stdout, stderr, bytes: Buffer.concat(chunks), opened };
}

/** Runs with --json, checks the exit status and validates the document against the command's schema. */
export async function cliJson(
  command: string,
  argv: readonly string[],
  options: RunOptions & { readonly code?: number } = {},
): Promise<Record<string, unknown>> {
  const r = await cli([command, ...argv, '--json'], options);
  expect(r.code, `${command} ${argv.join(' ')}: ${r.stderr}`).toBe(options.code ?? 0);
  const doc = JSON.parse(r.stdout) as Record<string, unknown>;
  const parsed = commandDocumentSchema(command).safeParse(doc);
  expect(parsed.success, `${command} document: ${parsed.error?.message}`).toBe(true);
  expect(doc.schemaVersion).toBe(1);
  expect(doc.command).toBe(command);
  return doc;
}

/**
 * A transport in front of an EmulatedDisk that answers FORMAT UNIT and SANITIZE (which the
 * emulator does not implement) with GOOD and then reports progress through REQUEST SENSE:
 * NOT READY 04h/04h (format) or 04h/1Bh (sanitize) with the given fractions, then NO SENSE.
 */
export function longOpDisk(
  steps: readonly number[],
  ascq: 0x04 | 0x1b,
): Transport & { readonly seen: number[] } {
  const disk = new EmulatedDisk();
  const seen: number[] = [];
  let polls = 0;
  const answer = (data: Uint8Array): ScsiResult => ({
    status: 0,
    hostStatus: 0,
    driverStatus: 0,
    sense: new Uint8Array(),
    residual: 0,
    data,
    latencyNs: 1000,
  });
  const execute = async (cmd: ScsiCommand): Promise<ScsiResult> => {
    const op = cmd.cdb[0];
    seen.push(op ?? -1);
    if (op === 0x04 || op === 0x48) return answer(new Uint8Array());
    if (op === 0x03) {
      const step = steps[polls++];
      const sense = new Uint8Array(18);
      sense[0] = 0x70;
      sense[7] = 10;
      if (step !== undefined) {
        const v = Math.round(step * 65536);
        sense[2] = 0x02;
        sense[12] = 0x04;
        sense[13] = ascq;
        sense[15] = 0x80;
        sense[16] = (v >> 8) & 0xff;
        sense[17] = v & 0xff;
      }
      return answer(sense);
    }
    return disk.execute(cmd);
  };
  return {
    kind: disk.kind,
    capabilities: disk.capabilities,
    get closed() {
      return disk.closed;
    },
    execute,
    close: () => disk.close(),
    seen,
  };
}

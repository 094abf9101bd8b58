/**
 * Data commands: read, write, verify, unmap, sync (ranges, to and from files) and raw (any CDB in
 * hex, sg_raw). Write-class commands only run on a device opened with --write (core's guard).
 */
import { decodeCdb, samStatusName } from '@scsikit/cdb';
import type { Device } from '@scsikit/core';
import type { Command } from 'commander';
import { z } from 'zod';
import type { CliIo, Output } from '../context.js';
import { parseHexBytes, parseU64, readFileBytes, writeFileBytes } from '../context.js';
import { UsageError } from '../errors.js';
import { hexDump, hexList } from '../format.js';
import { byte, hexBytes, successSchema, u64, uint } from '../json.js';
import { type Cli, type CommonOpts, gate, int } from '../registration.js';

const range = { lba: u64, blocks: uint, blockLength: uint, bytes: uint };

export const readSchema = successSchema('read', {
  ...range,
  /** The file written, '-' for standard output; absent when the data is in `data`. */
  output: z.string().optional(),
  data: hexBytes.optional(),
});
export const writeSchema = successSchema('write', { ...range, input: z.string() });
export const verifySchema = successSchema('verify', {
  lba: u64,
  blocks: uint,
  /** BYTCHK=1 compare against this file (a miscompare exits 14). */
  compareWith: z.string().optional(),
  ok: z.literal(true),
});
export const unmapSchema = successSchema('unmap', {
  ranges: z.array(z.object({ lba: u64, blocks: uint })),
  ok: z.literal(true),
});
export const syncSchema = successSchema('sync', {
  lba: u64,
  blocks: uint,
  immed: z.boolean(),
  ok: z.literal(true),
});
export const rawSchema = successSchema('raw', {
  cdb: hexBytes,
  name: z.string(),
  status: byte,
  statusName: z.string(),
  direction: z.enum(['none', 'in', 'out']),
  /** Data-in bytes received (also written to --outfile when given). */
  dataIn: hexBytes.optional(),
  bytesIn: uint.optional(),
  bytesOut: uint.optional(),
  outfile: z.string().optional(),
});

async function blockLength(dev: Device): Promise<number> {
  return (await dev.readCapacity()).blockLength;
}

export async function readCommand(
  dev: Device,
  io: CliIo,
  o: { lba: bigint; blocks: number; output?: string; fua: boolean; dpo: boolean },
): Promise<Output> {
  const data = await dev.read(o.lba, o.blocks, {
    ...(o.fua ? { fua: true } : {}),
    ...(o.dpo ? { dpo: true } : {}),
  });
  const bl = data.length / o.blocks;
  const base = { lba: o.lba, blocks: o.blocks, blockLength: bl, bytes: data.length };
  if (o.output === '-') {
    io.outBytes(data);
    return { body: { ...base, output: '-' }, text: '' };
  }
  if (o.output !== undefined) {
    writeFileBytes(o.output, data);
    return {
      body: { ...base, output: o.output },
      text: `Read ${o.blocks} block(s) (${data.length} bytes) from LBA ${o.lba} into ${o.output}\n`,
    };
  }
  return { body: { ...base, data }, text: `${hexDump(data)}\n` };
}

export async function writeCommand(
  dev: Device,
  o: { lba: bigint; blocks?: number; input: string; fua: boolean; dpo: boolean },
): Promise<Output> {
  const bytes = readFileBytes(o.input);
  const bl = await blockLength(dev);
  const blocks = o.blocks ?? bytes.length / bl;
  if (!Number.isInteger(blocks) || blocks < 1) {
    throw new UsageError(
      `${o.input} holds ${bytes.length} bytes, not a whole number (≥ 1) of ${bl}-byte blocks`,
    );
  }
  if (bytes.length < blocks * bl) {
    throw new UsageError(`${o.input} holds ${bytes.length} bytes; ${blocks} block(s) need ${blocks * bl}`);
  }
  await dev.write(o.lba, blocks, bytes.subarray(0, blocks * bl), {
    ...(o.fua ? { fua: true } : {}),
    ...(o.dpo ? { dpo: true } : {}),
  });
  return {
    body: { lba: o.lba, blocks, blockLength: bl, bytes: blocks * bl, input: o.input },
    text: `Wrote ${blocks} block(s) (${blocks * bl} bytes) at LBA ${o.lba} from ${o.input}\n`,
  };
}

export async function verifyCommand(
  dev: Device,
  o: { lba: bigint; blocks: number; compareWith?: string },
): Promise<Output> {
  if (o.compareWith === undefined) {
    await dev.verify(o.lba, o.blocks);
  } else {
    const bl = await blockLength(dev);
    const bytes = readFileBytes(o.compareWith);
    if (bytes.length < o.blocks * bl) {
      throw new UsageError(
        `${o.compareWith} holds ${bytes.length} bytes; ${o.blocks} block(s) need ${o.blocks * bl}`,
      );
    }
    await dev.verify(o.lba, o.blocks, { data: bytes.subarray(0, o.blocks * bl) });
  }
  return {
    body: {
      lba: o.lba,
      blocks: o.blocks,
      ...(o.compareWith === undefined ? {} : { compareWith: o.compareWith }),
      ok: true,
    },
    text: `Verified ${o.blocks} block(s) from LBA ${o.lba}${o.compareWith === undefined ? '' : ` against ${o.compareWith}`}: ok\n`,
  };
}

/** `LBA,COUNT` (sg_unmap's --lba/--num pairs in one argument). */
export function parseRange(
  text: string,
  parse: (t: string, what: string) => bigint,
): { lba: bigint; blocks: number } {
  const [l, n, extra] = text.split(',');
  if (l === undefined || n === undefined || extra !== undefined) {
    throw new UsageError(`--range: expected LBA,COUNT, got "${text}"`);
  }
  const blocks = parse(n, '--range count');
  if (blocks < 1n || blocks > 0xffff_ffffn)
    throw new UsageError(`--range: count must be 1-4294967295, got ${n}`);
  return { lba: parse(l, '--range LBA'), blocks: Number(blocks) };
}

export async function unmapCommand(
  dev: Device,
  ranges: ReadonlyArray<{ lba: bigint; blocks: number }>,
): Promise<Output> {
  await dev.unmap(ranges);
  return {
    body: { ranges, ok: true },
    text: `Unmapped ${ranges.map((r) => `${r.blocks} block(s) at LBA ${r.lba}`).join(', ')}\n`,
  };
}

export async function syncCommand(
  dev: Device,
  o: { lba: bigint; blocks: number; immed: boolean },
): Promise<Output> {
  await dev.synchronizeCache({ lba: o.lba, blocks: o.blocks, immed: o.immed });
  return {
    body: { ...o, ok: true },
    text: `SYNCHRONIZE CACHE ${o.blocks === 0 ? 'of the whole device' : `of ${o.blocks} block(s) at LBA ${o.lba}`}: ok\n`,
  };
}

export async function rawCommand(
  dev: Device,
  o: { cdb: Uint8Array; request?: number; infile?: string; send?: number; outfile?: string },
): Promise<Output> {
  if (o.request !== undefined && o.infile !== undefined) {
    throw new UsageError('raw: give --request (data-in) or --infile (data-out), not both');
  }
  let name: string;
  try {
    name = decodeCdb(o.cdb).name;
  } catch (e) {
    throw new UsageError(`raw: ${(e as Error).message}`);
  }
  let dataOut: Uint8Array | undefined;
  if (o.infile !== undefined) {
    const bytes = readFileBytes(o.infile);
    const n = o.send ?? bytes.length;
    if (n > bytes.length) throw new UsageError(`--send ${n}: ${o.infile} holds only ${bytes.length} bytes`);
    dataOut = bytes.subarray(0, n);
  } else if (o.send !== undefined) {
    throw new UsageError('--send needs --infile');
  }
  const r = await dev.execute(o.cdb, {
    ...(dataOut === undefined ? {} : { data: dataOut, direction: 'out' as const }),
    ...(o.request === undefined ? {} : { transferLength: o.request, direction: 'in' as const }),
    retry: false,
  });
  const direction = dataOut !== undefined ? 'out' : o.request !== undefined ? 'in' : 'none';
  const lines = [`    ${name} cdb: [${hexList(o.cdb)}]`, `SCSI Status: ${samStatusName(r.status)}`];
  const body: Record<string, unknown> = {
    cdb: o.cdb,
    name,
    status: r.status,
    statusName: samStatusName(r.status),
    direction,
  };
  if (direction === 'in') {
    body.bytesIn = r.data.length;
    if (o.outfile !== undefined) {
      writeFileBytes(o.outfile, r.data);
      body.outfile = o.outfile;
      lines.push(`Received ${r.data.length} bytes of data, written to ${o.outfile}`);
    } else {
      body.dataIn = r.data;
      lines.push(`Received ${r.data.length} bytes of data:`, hexDump(r.data));
    }
  }
  if (dataOut !== undefined) {
    body.bytesOut = dataOut.length;
    lines.push(`Sent ${dataOut.length} bytes of data`);
  }
  return { body, text: `${lines.join('\n')}\n` };
}

/** Registers read, write, verify, unmap, sync, raw. */
export function registerIoCommands({ runner, io, deviceCommand }: Cli): void {
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
      // Opened read-write without --write, as sg_sync does: SYNCHRONIZE CACHE is write-class but
      // changes no data.
      runner.device('sync', device, opts, true, (dev) =>
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
}

/**
 * Data commands: read, write, verify, unmap, sync (ranges, to and from files) and raw (any CDB in
 * hex, sg_raw). Write-class commands only run on a device opened with --write (core's guard).
 */
import { decodeCdb, samStatusName } from '@scsikit/cdb';
import type { Device } from '@scsikit/core';
import { z } from 'zod';
import type { CliIo, Output } from '../context.js';
import { readFileBytes, writeFileBytes } from '../context.js';
import { UsageError } from '../errors.js';
import { hexDump, hexList } from '../format.js';
import { byte, hexBytes, successSchema, u64, uint } from '../json.js';

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

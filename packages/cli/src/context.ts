/**
 * What every command implementation gets: an output sink (so tests capture it), the parsed global
 * options, and the helpers that turn command-line text into numbers, bytes and files with a
 * UsageError (exit 1) or FileError (exit 15) when they cannot.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { z } from 'zod';
import { FileError, UsageError } from './errors.js';

/** Where a run's output goes. The argv entry wires it to the process; tests to buffers. */
export interface CliIo {
  /** Standard output, text. */
  out(text: string): void;
  /** Standard output, bytes (`read` without --output file). */
  outBytes(bytes: Uint8Array): void;
  /** Standard error. */
  err(text: string): void;
  /** Where progress bars draw; absent: progress is printed as plain lines on `err`. */
  readonly progressStream?: Writable;
  /** Asks a yes/no question (format, sanitize); false when nobody can answer. */
  confirm(question: string): Promise<boolean>;
}

/** Options every device command accepts. */
export interface GlobalOptions {
  readonly json: boolean;
  readonly verbose: number;
  readonly timeoutMs?: number;
}

/** A command's result: the JSON body (after `schemaVersion`/`command`) and the human text. */
export interface Output {
  readonly body: Record<string, unknown>;
  readonly text: string;
}

export interface CommandContext extends GlobalOptions {
  readonly io: CliIo;
}

/** A command's output schema, for `scsikit schema` and the tests. */
export interface CommandSchema {
  readonly command: string;
  readonly schema: z.ZodType;
}

/** Parses an integer as sg3_utils does: decimal, `0x…` hex, or hex with a trailing `h`. */
export function parseBigInt(text: string, what: string): bigint {
  const t = text.trim();
  let v: bigint | undefined;
  if (/^0x[0-9a-f]+$/iu.test(t)) v = BigInt(t);
  else if (/^[0-9a-f]+h$/iu.test(t)) v = BigInt(`0x${t.slice(0, -1)}`);
  else if (/^[0-9]+$/u.test(t)) v = BigInt(t);
  if (v === undefined) throw new UsageError(`${what}: expected a number (decimal, 0x… or …h), got "${text}"`);
  return v;
}

/** Like parseBigInt, within [min, max], as a number. */
export function parseIntIn(text: string, what: string, min: number, max: number): number {
  const v = parseBigInt(text, what);
  if (v < BigInt(min) || v > BigInt(max)) {
    throw new UsageError(`${what}: expected a value in [${min}, ${max}], got ${text}`);
  }
  return Number(v);
}

/** A 64-bit unsigned value (LBAs, reservation keys). */
export function parseU64(text: string, what: string): bigint {
  const v = parseBigInt(text, what);
  if (v >= 1n << 64n) throw new UsageError(`${what}: does not fit 64 bits: ${text}`);
  return v;
}

/**
 * Hex bytes from the command line: separate arguments (`70 00 05`), one run (`700005`), commas, or
 * `0x` prefixes — the forms sg_decode_sense and sg_raw take.
 */
export function parseHexBytes(parts: readonly string[], what: string): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    for (const tok of part.split(/[\s,]+/u)) {
      if (tok === '') continue;
      const t = tok.replace(/^0x/iu, '');
      if (!/^[0-9a-f]+$/iu.test(t)) throw new UsageError(`${what}: "${tok}" is not hex`);
      if (t.length <= 2) {
        out.push(Number.parseInt(t, 16));
        continue;
      }
      if (t.length % 2 !== 0) throw new UsageError(`${what}: "${tok}" has an odd number of hex digits`);
      for (let i = 0; i < t.length; i += 2) out.push(Number.parseInt(t.slice(i, i + 2), 16));
    }
  }
  if (out.length === 0) throw new UsageError(`${what}: no bytes given`);
  return Uint8Array.from(out);
}

export function readFileBytes(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new FileError(path, `cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
}

export function writeFileBytes(path: string, bytes: Uint8Array): void {
  try {
    writeFileSync(path, bytes);
  } catch (e) {
    throw new FileError(path, `cannot write ${path}: ${(e as Error).message}`, { cause: e });
  }
}

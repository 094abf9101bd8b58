/** The C reference program (bench/c/scsibench.c): built here, run once per cell, one JSON line back. */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { LatencySummary } from './stats.js';

const execFileAsync = promisify(execFile);

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const C_SOURCE = join(BENCH_DIR, 'c', 'scsibench.c');
/** Gitignored (`build/`). */
export const BUILD_DIR = join(BENCH_DIR, 'build');

/**
 * Compiler arguments. -O2, never -march=native: the binary built on the host runs in the TCG guest,
 * whose CPU model is not the host's (a fio built that way died with SIGILL, LAB.md).
 */
export function ccArgs(source: string, output: string): string[] {
  return ['-O2', '-g', '-std=gnu11', '-Wall', '-Wextra', '-Werror', '-o', output, source, '-luring', '-lm'];
}

export interface BuildResult {
  readonly binary: string;
  readonly built: boolean;
}

/**
 * Builds the program unless an up-to-date binary from the same source and flags exists (the lab
 * guest reuses the one built on the host: compiling under TCG is slow).
 */
export function ensureBuilt(
  options: { readonly buildDir?: string; readonly cc?: string; readonly force?: boolean } = {},
): BuildResult {
  const buildDir = options.buildDir ?? BUILD_DIR;
  const cc = options.cc ?? process.env.CC ?? 'cc';
  const binary = join(buildDir, 'scsibench');
  const stampFile = join(buildDir, 'scsibench.stamp');
  const args = ccArgs(C_SOURCE, binary);
  // Same compiler, flags and source bytes as the binary's: a changed flag rebuilds too.
  const source = createHash('sha256').update(readFileSync(C_SOURCE)).digest('hex');
  const stamp = JSON.stringify({ cc, args, source });
  const fresh =
    options.force !== true &&
    existsSync(binary) &&
    existsSync(stampFile) &&
    readFileSync(stampFile, 'utf8') === stamp;
  if (fresh) return { binary, built: false };
  mkdirSync(buildDir, { recursive: true });
  try {
    execFileSync(cc, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(
      `building ${C_SOURCE} failed (${cc} ${args.join(' ')}; needs liburing-dev):\n${err.stderr?.toString() ?? err.message}`,
    );
  }
  writeFileSync(stampFile, stamp);
  return { binary, built: true };
}

export interface CSpec {
  readonly op: 'inquiry' | 'randread' | 'seqread' | 'nop';
  readonly mode?: 'sgv3' | 'sgv4' | 'uring' | 'uring-fixed';
  readonly path?: string;
  readonly qd?: number;
  readonly batch?: number;
  readonly count?: number;
  readonly seconds?: number;
  readonly bs?: number;
  readonly lbaCount?: number;
  readonly blockSize?: number;
  readonly seed?: number;
}

/** The program's arguments for one run (an argument array: nothing goes through a shell). */
export function cArgs(spec: CSpec): string[] {
  const args: string[] = [spec.op];
  const opt = (name: string, v: string | number | undefined) => {
    if (v !== undefined) args.push(`--${name}`, String(v));
  };
  opt('path', spec.path);
  opt('mode', spec.mode);
  opt('qd', spec.qd);
  opt('batch', spec.batch);
  opt('count', spec.count);
  opt('seconds', spec.seconds);
  opt('bs', spec.bs);
  opt('lba-count', spec.lbaCount);
  opt('block-size', spec.blockSize);
  opt('seed', spec.seed);
  return args;
}

export interface CResult {
  readonly op: string;
  readonly mode: string;
  readonly qd: number;
  readonly batch: number;
  readonly count: number;
  readonly bytes: number;
  readonly elapsedNs: number;
  readonly opsPerSec: number;
  readonly mbPerSec: number;
  readonly maxRssKiB: number;
  readonly lat: LatencySummary;
}

/** The last line of the program's output, checked field by field. */
export function parseCResult(stdout: string): CResult {
  const line = stdout.trim().split('\n').pop() ?? '';
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new Error(`scsibench printed no JSON line: ${JSON.stringify(stdout.slice(0, 200))}`);
  }
  const o = v as Record<string, unknown>;
  const n = (x: unknown, what: string): number => {
    if (typeof x !== 'number' || !Number.isFinite(x))
      throw new Error(`scsibench JSON: ${what} is not a number`);
    return x;
  };
  if (o === null || typeof o !== 'object' || o.tool !== 'scsibench')
    throw new Error('scsibench JSON: not ours');
  const lat = o.lat_ns as Record<string, unknown> | undefined;
  if (lat === undefined || lat === null || typeof lat !== 'object')
    throw new Error('scsibench JSON: no lat_ns');
  return {
    op: String(o.op),
    mode: String(o.mode),
    qd: n(o.qd, 'qd'),
    batch: n(o.batch, 'batch'),
    count: n(o.count, 'count'),
    bytes: n(o.bytes, 'bytes'),
    elapsedNs: n(o.elapsed_ns, 'elapsed_ns'),
    opsPerSec: n(o.ops_per_sec, 'ops_per_sec'),
    mbPerSec: n(o.mb_per_sec, 'mb_per_sec'),
    maxRssKiB: n(o.max_rss_kib, 'max_rss_kib'),
    lat: {
      samples: n(lat.samples, 'lat_ns.samples'),
      mean: n(lat.mean, 'lat_ns.mean'),
      p50: n(lat.p50, 'lat_ns.p50'),
      p99: n(lat.p99, 'lat_ns.p99'),
    },
  };
}

export async function runC(binary: string, spec: CSpec): Promise<CResult> {
  const args = cArgs(spec);
  try {
    const { stdout } = await execFileAsync(binary, args, {
      timeout: Math.round((spec.seconds ?? 60) * 1000) + 120_000,
      maxBuffer: 1 << 20,
    });
    return parseCResult(stdout);
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`${binary} ${args.join(' ')} failed: ${(err.stderr ?? '').trim() || err.message}`);
  }
}

/** fio, the external peer: job options as argument arrays, and its JSON output read back. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LatencySummary } from './stats.js';

const execFileAsync = promisify(execFile);

export interface FioJob {
  readonly name: string;
  /** /dev/sdX for io_uring (the block layer), /dev/sgN for sg. */
  readonly filename: string;
  readonly engine: 'io_uring' | 'sg';
  readonly rw: 'randread' | 'read';
  readonly bs: number;
  readonly iodepth: number;
  readonly seconds: number;
}

/** fio splits `filename` on ':' (several files): a literal colon must be escaped (LAB.md: bsg paths). */
export function fioFilename(path: string): string {
  return path.replace(/:/gu, '\\:');
}

/** The sg driver refuses a 17th outstanding command per fd: fio's sg engine cannot go deeper. */
export const FIO_SG_MAX_DEPTH = 16;

export function fioArgs(job: FioJob): string[] {
  if (!(job.seconds > 0)) throw new RangeError('a fio job needs seconds > 0');
  const iodepth = job.engine === 'sg' ? Math.min(job.iodepth, FIO_SG_MAX_DEPTH) : job.iodepth;
  return [
    `--name=${job.name}`,
    `--filename=${fioFilename(job.filename)}`,
    `--ioengine=${job.engine}`,
    // O_DIRECT on the block device; the sg engine goes around the page cache anyway.
    ...(job.engine === 'io_uring' ? ['--direct=1'] : []),
    `--rw=${job.rw}`,
    `--bs=${job.bs}`,
    `--iodepth=${iodepth}`,
    '--time_based=1',
    `--runtime=${Math.max(1, Math.round(job.seconds * 1000))}ms`,
    '--norandommap=1',
    '--randrepeat=0',
    // Never write to the disk, whatever the other options say. Not for sg: the engine then opens
    // /dev/sgN O_RDONLY and its write(2) of each sg_io_hdr fails with EBADF (seen in the lab).
    ...(job.engine === 'sg' ? [] : ['--readonly']),
    '--lat_percentiles=1',
    '--group_reporting=1',
    '--output-format=json',
  ];
}

export interface FioResult {
  readonly version: string;
  readonly iops: number;
  /** Bytes per second. */
  readonly bwBytes: number;
  readonly ios: number;
  readonly runtimeMs: number;
  /** Submission to completion (fio's `lat_ns`), in nanoseconds. */
  readonly lat: LatencySummary;
}

interface FioLat {
  readonly mean?: number;
  readonly N?: number;
  readonly percentile?: Record<string, number>;
}

function obj(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new Error(`fio JSON: ${what} is not an object`);
  return v as Record<string, unknown>;
}

function numberAt(o: Record<string, unknown>, key: string, what: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new Error(`fio JSON: ${what}.${key} is not a number`);
  return v;
}

/**
 * Reads fio's `--output-format=json` output. fio may print notes before the document: everything
 * before the first line that opens it is skipped. Throws on a job error or a malformed document.
 */
export function parseFioJson(text: string): FioResult {
  const start = text.search(/^\{/mu);
  const end = text.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error('fio printed no JSON document');
  let doc: Record<string, unknown>;
  try {
    doc = obj(JSON.parse(text.slice(start, end + 1)), 'the document');
  } catch (e) {
    throw new Error(`fio JSON does not parse: ${(e as Error).message}`);
  }
  const jobs = doc.jobs;
  if (!Array.isArray(jobs) || jobs.length === 0) throw new Error('fio JSON: no jobs');
  const job = obj(jobs[0], 'jobs[0]');
  const error = job.error;
  if (typeof error === 'number' && error !== 0) throw new Error(`fio job failed with error ${error}`);
  const read = obj(job.read, 'jobs[0].read');
  const lat = obj(read.lat_ns ?? read.clat_ns, 'jobs[0].read.lat_ns') as FioLat;
  const pct = lat.percentile ?? (obj(read.clat_ns, 'jobs[0].read.clat_ns') as FioLat).percentile ?? {};
  const ios = numberAt(read, 'total_ios', 'read');
  if (ios === 0) throw new Error('fio JSON: the job completed no reads');
  return {
    version: typeof doc['fio version'] === 'string' ? doc['fio version'] : 'fio',
    iops: numberAt(read, 'iops', 'read'),
    bwBytes: numberAt(read, 'bw_bytes', 'read'),
    ios,
    runtimeMs: numberAt(read, 'runtime', 'read'),
    lat: {
      samples: lat.N ?? ios,
      mean: lat.mean ?? Number.NaN,
      p50: pct['50.000000'] ?? Number.NaN,
      p99: pct['99.000000'] ?? Number.NaN,
    },
  };
}

/** `fio --version`, or undefined when fio is not installed. */
export async function fioVersion(fio = 'fio'): Promise<string | undefined> {
  try {
    const { stdout } = await execFileAsync(fio, ['--version'], { timeout: 10_000 });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

export async function runFio(job: FioJob, fio = 'fio'): Promise<FioResult> {
  const args = fioArgs(job);
  try {
    const { stdout } = await execFileAsync(fio, args, {
      // fio's own start-up under TCG takes seconds; a hung job must not hang the run.
      timeout: Math.round(job.seconds * 1000) + 60_000,
      maxBuffer: 16 << 20,
    });
    return parseFioJson(stdout);
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`fio ${args.join(' ')} failed: ${(err.stderr ?? '').trim() || err.message}`);
  }
}

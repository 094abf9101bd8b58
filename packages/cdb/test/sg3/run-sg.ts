/**
 * Runs sg3_utils' utilities for the differential tests. Every call passes an argument vector to
 * spawnSync (never a shell string), so paths and values need no quoting.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface SgRun {
  /** The command as run, for messages and fixtures: tool then arguments. */
  readonly argv: readonly string[];
  /** Exit status; sg3_utils uses small non-zero codes (SG_LIB_CAT_*) for SCSI failures. */
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SgRawRun extends Omit<SgRun, 'stdout'> {
  readonly stdout: Uint8Array;
}

const TIMEOUT_MS = 30_000;

function spawn(tool: string, args: readonly string[], encoding: 'utf8' | 'buffer') {
  const r = spawnSync(tool, [...args], {
    encoding: encoding === 'utf8' ? 'utf8' : 'buffer',
    timeout: TIMEOUT_MS,
    env: { ...process.env, LC_ALL: 'C' },
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.error !== undefined) throw new Error(`${tool} ${args.join(' ')}: ${r.error.message}`);
  if (r.status === null) throw new Error(`${tool} ${args.join(' ')}: killed by ${String(r.signal)}`);
  return r;
}

/** Runs `tool args…` and returns its text output; the caller decides what the exit status means. */
export function runSg(tool: string, args: readonly string[]): SgRun {
  const r = spawn(tool, args, 'utf8');
  return {
    argv: [tool, ...args],
    status: r.status ?? -1,
    stdout: String(r.stdout),
    stderr: String(r.stderr),
  };
}

/** Like runSg, but stdout is binary (for `--raw`). */
export function runSgRaw(tool: string, args: readonly string[]): SgRawRun {
  const r = spawn(tool, args, 'buffer');
  return {
    argv: [tool, ...args],
    status: r.status ?? -1,
    stdout: new Uint8Array(r.stdout as Buffer),
    stderr: (r.stderr as Buffer).toString('utf8'),
  };
}

/** Runs the tool and throws with its stderr unless it exits 0. */
export function runSgOk(tool: string, args: readonly string[]): SgRun {
  const r = runSg(tool, args);
  if (r.status !== 0) {
    throw new Error(`${r.argv.join(' ')} exited ${r.status}:\n${r.stderr}${r.stdout}`);
  }
  return r;
}

/** True when `tool` can be run from PATH. */
export function hasSgTool(tool: string): boolean {
  const r = spawnSync(tool, ['--version'], { encoding: 'utf8', timeout: TIMEOUT_MS });
  return r.error === undefined && r.status !== null;
}

/** The utility's own version and date, e.g. "2.10 20210328" (from `sg_inq --version` and friends). */
export function sgToolVersion(tool: string): string {
  const r = runSg(tool, ['--version']);
  const text = `${r.stdout}${r.stderr}`.replace(/\s+/gu, ' ');
  return /\d+\.\d+\S* \d{8}/u.exec(text)?.[0] ?? text.trim();
}

/** The installed sg3-utils Debian package version (dpkg-query), or '' when dpkg does not know it. */
export function sg3UtilsPackageVersion(): string {
  const r = spawnSync('dpkg-query', ['-W', 'sg3-utils'], { encoding: 'utf8' });
  return r.status === 0 ? (String(r.stdout).split('\t')[1] ?? '').trim() : '';
}

// ---------------------------------------------------------------------------------------------
// Hex files in the format sg3_utils' --inhex reads

export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/sg3/', import.meta.url));

/** Parses sg3_utils-style ASCII hex: whitespace or comma separated bytes; `#` starts a comment line. */
export function parseHex(text: string): Uint8Array {
  const out: number[] = [];
  for (const line of text.split('\n')) {
    const content = line.replace(/#.*$/u, '').trim();
    if (content === '') continue;
    for (const tok of content.split(/[\s,]+/u)) {
      if (!/^[0-9a-fA-F]{1,2}$/u.test(tok)) throw new Error(`not a hex byte: "${tok}" in "${line}"`);
      out.push(Number.parseInt(tok, 16));
    }
  }
  return Uint8Array.from(out);
}

export function toHexText(bytes: Uint8Array, comment?: string): string {
  const lines = comment === undefined ? [] : comment.split('\n').map((l) => `# ${l}`);
  for (let i = 0; i < bytes.length; i += 16) {
    lines.push(Array.from(bytes.subarray(i, i + 16), (b) => b.toString(16).padStart(2, '0')).join(' '));
  }
  return `${lines.join('\n')}\n`;
}

/** Path of a fixture file in fixtures/sg3/. */
export function fixturePath(name: string): string {
  return join(FIXTURE_DIR, name);
}

/** The bytes of fixtures/sg3/<name>.hex. */
export function readHexFixture(name: string): Uint8Array {
  return parseHex(readFileSync(fixturePath(`${name}.hex`), 'utf8'));
}

/** A scratch directory for generated hex files and the stand-in device; removed by `dispose`. */
export class Scratch {
  readonly dir = mkdtempSync(join(tmpdir(), 'scsikit-sg3-'));
  #n = 0;

  /** Writes bytes as an ASCII hex file (for `--inhex`) and returns its path. */
  hexFile(bytes: Uint8Array): string {
    const path = join(this.dir, `in-${this.#n++}.hex`);
    writeFileSync(path, toHexText(bytes));
    return path;
  }

  /**
   * A regular file to pass as DEVICE. sg3_utils opens it, prints the CDB at -v and above, and then
   * the SG_IO ioctl fails with ENOTTY: the tool shows the CDB it would send without any device.
   */
  fakeDevice(): string {
    const path = join(this.dir, 'not-a-device');
    writeFileSync(path, '');
    return path;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
